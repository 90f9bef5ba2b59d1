"""Pydantic models of format v1: the innovation descriptor, the territory profile, essaimage.yaml.

Field names are the French keys of `format-v1.md`. The loader gives every scalar as text; the
annotated types below read it (French numbers, oui/non, dates, the `par` base) before pydantic
checks types and bounds. Unknown keys are errors everywhere.

This module is the one source of the format's documentation: every model and field carries its
French title, description and example (the editor schema and `docs/champs.md` read them). The
enumerated values and their French labels are in `vocabulary`.
"""

import contextlib
import datetime as dt
import functools
import os
from collections.abc import Callable, Iterator
from typing import Annotated, Any, Literal, TypeVar, Union, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ..text import words
from . import licences, scalars
from .scalars import Base
from .vocabulary import (
    OFFICIAL_TYPES,
    ArticleValeur,
    Maturite,
    ModeleEssaimage,
    MomentAdaptation,
    NatureAdaptation,
    NatureFinance,
    NatureFinancement,
    NatureIndicateur,
    NatureResultat,
    NiveauRegleValeur,
    OrdreSelection,
    Periodicite,
    Phase,
    PorteSur,
    Respect,
    RoleActeur,
    Secteur,
    StatutHumain,
    StatutRetour,
    TypeRessource,
    TypeSelection,
    TypeStructureValeur,
    TypeTerritoireValeur,
    VerdictPrerequis,
)


@contextlib.contextmanager
def without_plugins() -> Iterator[None]:
    """Pydantic plugins off while essaimage validates: a plugin any installed package declares
    runs on every validation (a tracer may send what it sees away), so none may see a
    repository's files. Pydantic reads the variable when it builds a model's validator, which
    it does at a model's first validation (`defer_build`): the validations of essaimage run in
    this block, and a user's own environment is left as it was (issue 23)."""
    before = os.environ.get(_PLUGINS)
    os.environ[_PLUGINS] = "__all__"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(_PLUGINS, None)
        else:
            os.environ[_PLUGINS] = before


_PLUGINS = "PYDANTIC_DISABLE_PLUGINS"


INTERNAL_ERROR = "erreur_interne"  # the Pydantic error type of a validator's own bug
_Check = TypeVar("_Check", bound=Callable[..., Any])


def _guarded(check: _Check) -> _Check:
    """A validator whose own bug (an exception that is not a refusal of the value) becomes an
    error at its place among the file's other errors: Pydantic lets any other exception end the
    whole validation, and the file's other findings were lost with it (a licence the SPDX
    library could not parse hid them all)."""

    @functools.wraps(check)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return check(*args, **kwargs)
        except (ValueError, AssertionError):  # a refusal (PydanticCustomError is a ValueError)
            raise
        except Exception as exc:  # noqa: BLE001 - said as X900 at the value's line
            raise PydanticCustomError(
                INTERNAL_ERROR, "{detail}", {"detail": f"{type(exc).__name__} : {exc}"}
            ) from None

    return guarded  # type: ignore[return-value]


def _before(check: Callable[..., Any]) -> BeforeValidator:
    """A validator run before the type's own, guarded (see `_guarded`)."""
    return BeforeValidator(_guarded(check))


def _choice(values: Any) -> BeforeValidator:
    """Validator of an enumerated value: a French message with a suggestion."""
    return _before(scalars.one_of(*get_args(values)))


# --- scalar types ----------------------------------------------------------------------------

MAX_MOIS = 1200  # a duration of a hundred years at most: a roadmap stays on the calendar
# A count of sites is a count of real places: France has about 50 000 schools and 35 000 communes,
# so 100 000 leaves room for any real project and catches a typo (a few zeros too many) at its
# line, before a plan of millions of sites is computed.
MAX_SITES = 100_000
# Targets of one plan, after its selections: every commune of France (34 875) and more. Each is
# a kit to compute (~0,6 ms; every commune of France in 21 s): a plan stays within a minute.
MAX_CIBLES = 40_000
# `selection` items of one plan: each reads the whole reference (~37 000 territories, ~10 ms);
# one per département (101) fits.
MAX_SELECTIONS = 200


class MarkdownText:
    """Marks a text field as CommonMark (rendered in kits, raw HTML off) in the documentation."""


Texte = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Markdown = Annotated[Texte, MarkdownText()]
NombrePositif = Annotated[Union[int, float], _before(scalars.to_number), Field(gt=0)]
NombrePositifOuNul = Annotated[Union[int, float], _before(scalars.to_number), Field(ge=0)]
# An amount in euros, a count of things: `30.000` and `12,500` are refused (S114), never read as
# 30 and 12,5; `0.250` stays a fraction. Counts that are whole numbers refuse them as well.
Montant = Annotated[Union[int, float], _before(scalars.to_quantity), Field(ge=0)]
Quantite = Annotated[Union[int, float], _before(scalars.to_quantity), Field(gt=0)]
EntierPositifOuNul = Annotated[int, _before(scalars.to_integer), Field(ge=0)]
EntierPositif = Annotated[int, _before(scalars.to_integer), Field(gt=0)]
NombreDeSites = Annotated[EntierPositif, Field(le=MAX_SITES)]
Mois = Annotated[NombrePositif, Field(le=MAX_MOIS)]
Booleen = Annotated[bool, _before(scalars.to_boolean)]
Date = Annotated[dt.date, _before(scalars.to_date)]
AnneeOuDate = Annotated[Union[dt.date, int], _before(scalars.to_year_or_date)]
Lien = Annotated[str, _before(scalars.to_link)]
Courriel = Annotated[str, _before(scalars.to_email)]
Slug = Annotated[str, _before(scalars.to_slug), StringConstraints(max_length=64)]
Spdx = Annotated[str, _before(licences.to_spdx)]
Par = Annotated[Base, _before(scalars.to_base)]
Valeur = Annotated[Union[int, float, Texte], _before(scalars.to_number_or_text)]
Version = Annotated[Literal[1], _before(scalars.to_version)]

SecteurChamp = Annotated[Secteur, _choice(Secteur)]
TypeTerritoire = Annotated[TypeTerritoireValeur, _choice(TypeTerritoireValeur)]
TypeStructure = Annotated[TypeStructureValeur, _choice(TypeStructureValeur)]
Article = Annotated[ArticleValeur, _choice(ArticleValeur)]


class RuleCodeKey:
    """Marks the keys of `regles`: rule codes. The models take any text; the keys are checked
    against the code registry after them (`check.diagnostics.rule_key_findings`), so that the
    format does not import the rules."""


RULE_CODE_KEY = RuleCodeKey()
CodeRegle = Annotated[str, RULE_CODE_KEY]
NiveauRegle = Annotated[NiveauRegleValeur, _choice(NiveauRegleValeur)]
Regles = dict[CodeRegle, NiveauRegle]


def _empty_list() -> list[Any]:
    """A field's empty list. Pydantic reads the signature of every default factory, and that of
    the built-in `list` is parsed from its text, slowly: a Python function spares each run ~30
    parsings at start-up."""
    return []


def _empty_dict() -> dict[str, Any]:
    """A field's empty table (see `_empty_list`)."""
    return {}


def _doc(titre: str, description: str) -> ConfigDict:
    """The French title and description of a model, as its configuration carries them."""
    return ConfigDict(title=titre, json_schema_extra={"description": description})


class Modele(BaseModel):
    """Base of every model: unknown keys are errors, text is stripped. No text may hold a control
    character (a kit could not show it, a report would carry it raw): that is checked on the
    loaded file before the models (`diagnostics.control_findings`), once per file instead of
    once per field."""

    # cache_strings: Pydantic would keep up to ~16 000 of the texts it strips, however many
    # files a run checks (1,7 Mio over a catalogue); the keys, which recur, stay cached.
    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, frozen=False, defer_build=True,
        cache_strings="keys",
    )  # fmt: skip


def model_description(model: type[BaseModel]) -> str:
    """The French description of a model (from its configuration)."""
    extra = model.model_config.get("json_schema_extra")
    return str(extra.get("description", "")) if isinstance(extra, dict) else ""


# --- shared sub-types ------------------------------------------------------------------------


class Territoire(Modele):
    """A territory named in a descriptor (origin, earlier take-overs)."""

    model_config = _doc("Territoire", "Un territoire : nom, code INSEE, type et population.")

    nom: Texte = Field(title="Nom", description="Le nom du territoire.", examples=["Grenoble"])
    code_insee: Texte | None = Field(
        None,
        title="Code INSEE",
        description="Département (44), commune (44109) ou SIREN d'EPCI.",
        examples=["44109"],
    )
    type: TypeTerritoire | None = Field(
        None,
        title="Type",
        description="commune, epci, departement, region, national ou autre.",
    )
    population: EntierPositifOuNul | None = Field(
        None, title="Population", description="Nombre d'habitants.", examples=[48000]
    )


class Structure(Modele):
    """An organisation."""

    model_config = _doc("Structure", "Une organisation.")

    nom: Texte = Field(title="Nom", description="Le nom de la structure.")
    type: TypeStructure | None = Field(
        None,
        title="Type",
        description="collectivite, etat, etablissement-public, association, entreprise ou autre.",
    )
    site: Lien | None = Field(
        None, title="Site web", description="Lien http(s) vers le site de la structure."
    )


class Reference(Modele):
    """A titled link to a source."""

    model_config = _doc("Lien", "Un titre et, s'il est en ligne, son adresse.")

    titre: Texte = Field(title="Titre", description="Le titre du document ou de la page.")
    url: Lien | None = Field(
        None, title="Adresse web", description="Lien http(s).", examples=["https://exemple.org"]
    )


class Resultat(Modele):
    """One piece of evidence that the innovation has proven itself."""

    model_config = _doc("Résultat", "Une preuve que l'innovation a fait ses preuves.")

    indicateur: Texte = Field(title="Indicateur", description="Ce qui a été mesuré.")
    valeur: Valeur = Field(title="Valeur", description="Un nombre ou un texte.")
    unite: Texte | None = Field(
        None, title="Unité", description="L'unité de la valeur.", examples=["%"]
    )
    date: AnneeOuDate | None = Field(
        None,
        title="Date",
        description="Année (AAAA) ou date (AAAA-MM-JJ) de la mesure.",
        examples=[2024],
    )
    nature: Annotated[NatureResultat, _choice(NatureResultat)] = Field(
        "resultat",
        title="Nature",
        description="resultat (un effet sur les bénéficiaires, par défaut) ou activite "
        "(ce qui a été fait).",
    )
    source: Reference | None = Field(
        None, title="Source", description="Le document d'où vient le chiffre."
    )


class ElementCoeur(Modele):
    """A non-negotiable element of the core concept."""

    model_config = _doc("Élément du cœur", "Un élément non négociable du concept.")

    id: Slug = Field(
        title="Identifiant",
        description="Minuscules sans accents, chiffres et tirets ; unique dans le descripteur.",
        examples=["trajet-encadre"],
    )
    titre: Texte = Field(title="Titre", description="L'élément, en une phrase.")
    description: Markdown | None = Field(
        None, title="Description", description="L'élément en détail (Markdown)."
    )
    pourquoi: Texte | None = Field(
        None,
        title="Pourquoi",
        description="Pourquoi cet élément est non négociable.",
    )


class MoyenHumain(Modele):
    """People needed."""

    model_config = _doc("Moyen humain", "Un rôle et son temps de travail.")

    role: Texte = Field(title="Rôle", description="Ce que fait la personne.")
    etp: NombrePositif = Field(
        title="ETP", description="Équivalents temps plein (nombre > 0).", examples=["0,5"]
    )
    par: Par = Field(
        Base("site"),
        title="Base de calcul",
        description="site, N sites, N habitants ou N bénéficiaires (par défaut : site).",
        examples=["8 bénéficiaires"],
    )
    competences: list[Texte] = Field(
        default_factory=_empty_list, title="Compétences", description="Les compétences attendues."
    )
    formation: Texte | None = Field(
        None, title="Formation", description="Comment le savoir-faire est transmis."
    )
    statut: Annotated[StatutHumain, _choice(StatutHumain)] = Field(
        "salarie",
        title="Statut",
        description="salarie (par défaut), benevole, mise-a-disposition ou prestation ; seuls "
        "les salariés et les prestations sont chiffrés en euros.",
    )
    cout_annuel: Montant | None = Field(
        None,
        title="Coût annuel d'un ETP (€)",
        description="Coût chargé d'un ETP de ce rôle par an ; l'emporte sur cout_etp_annuel.",
        examples=["42 000"],
    )
    phase: Annotated[Phase, _choice(Phase)] = Field(
        "fonctionnement",
        title="Phase",
        description="Quand la ligne est payée : fonctionnement (par défaut, à partir du "
        "lancement), preparation (pendant les mois de préparation seulement) ou "
        "preparation-et-fonctionnement (dès le début de la préparation).",
    )
    souvent_en_place: Booleen = Field(
        False,
        title="Souvent déjà en place",
        description="Vrai quand les territoires receveurs ont souvent déjà ce moyen (une "
        "cuisine, ses cuisiniers) : le kit dit « souvent déjà en place : vérifiez ».",
    )


class MoyenFinancier(Modele):
    """Money needed; the periodicity defaults by nature."""

    model_config = _doc("Moyen financier", "Un poste de dépense.")

    poste: Texte = Field(title="Poste", description="Ce que l'argent paie.")
    montant: Montant = Field(
        title="Montant (€)", description="Nombre ≥ 0, en euros.", examples=["1 500"]
    )
    nature: Annotated[NatureFinance, _choice(NatureFinance)] = Field(
        title="Nature", description="investissement ou fonctionnement."
    )
    periodicite: Annotated[Periodicite, _choice(Periodicite)] | None = Field(
        None,
        title="Périodicité",
        description="Par défaut : unique pour un investissement, annuel pour du fonctionnement.",
    )
    par: Par = Field(
        Base("site"),
        title="Base de calcul",
        description="site, N sites, N habitants ou N bénéficiaires (par défaut : site).",
        examples=["10 000 habitants"],
    )
    financeurs: list[Texte] = Field(
        default_factory=_empty_list,
        title="Financeurs",
        description="Qui peut financer ce poste.",
    )
    phase: Annotated[Phase, _choice(Phase)] | None = Field(
        None,
        title="Phase",
        description="Pour du fonctionnement : fonctionnement (par défaut, à partir du "
        "lancement), preparation (pendant les mois de préparation seulement) ou "
        "preparation-et-fonctionnement (dès le début de la préparation). Un investissement "
        "n'en a pas : il est dépensé le mois qui précède le lancement.",
    )
    souvent_en_place: Booleen = Field(
        False,
        title="Souvent déjà en place",
        description="Vrai quand les territoires receveurs ont souvent déjà ce moyen (une "
        "cuisine, ses cuisiniers) : le kit dit « souvent déjà en place : vérifiez ».",
    )

    @model_validator(mode="after")
    @_guarded
    def _default_periodicity(self) -> "MoyenFinancier":
        if self.nature == "investissement" and self.phase is not None:
            raise PydanticCustomError(
                "phase",
                "un investissement n'a pas de « phase » : il est dépensé le mois qui précède le "
                "lancement ; retirez « phase » ou mettez « nature: fonctionnement »",
            )
        if self.periodicite is None:
            self.periodicite = "unique" if self.nature == "investissement" else "annuel"
        if self.phase is None and self.nature == "fonctionnement":
            self.phase = "fonctionnement"
        return self


class MoyenMateriel(Modele):
    """Equipment needed."""

    model_config = _doc("Moyen matériel", "Un équipement.")

    element: Texte = Field(title="Élément", description="L'équipement.")
    quantite: Quantite = Field(
        1, title="Quantité", description="Nombre > 0 (1 par défaut).", examples=[1]
    )
    par: Par = Field(
        Base("site"),
        title="Base de calcul",
        description="site, N sites, N habitants ou N bénéficiaires (par défaut : site).",
        examples=["site"],
    )
    description: Texte | None = Field(
        None, title="Description", description="Précisions sur l'équipement."
    )
    souvent_en_place: Booleen = Field(
        False,
        title="Souvent déjà en place",
        description="Vrai quand les territoires receveurs ont souvent déjà ce moyen (une "
        "cuisine, ses cuisiniers) : le kit dit « souvent déjà en place : vérifiez ».",
    )


class Partenaire(Modele):
    """A partner needed to run the innovation."""

    model_config = _doc("Partenaire", "Un partenaire nécessaire.")

    acteur: Texte = Field(title="Acteur", description="Le partenaire.")
    role: Texte = Field(title="Rôle", description="Ce que le partenaire apporte.")
    indispensable: Booleen | None = Field(
        None,
        title="Indispensable",
        description="oui si l'innovation ne peut pas fonctionner sans lui.",
        examples=["oui"],
    )


class MoyensAjoutes(Modele):
    """The lines of means an option adds: people, money, equipment, partners (v1.2
    correction 9: nothing else, the delay and the cost of an ETP are the descriptor's)."""

    model_config = _doc(
        "Moyens ajoutés", "Humains, financiers, matériels et partenaires qu'une option ajoute."
    )

    humains: list[MoyenHumain] = Field(
        default_factory=_empty_list, title="Moyens humains", description="Les rôles et leur temps."
    )
    financiers: list[MoyenFinancier] = Field(
        default_factory=_empty_list, title="Moyens financiers", description="Les postes de dépense."
    )
    materiels: list[MoyenMateriel] = Field(
        default_factory=_empty_list, title="Moyens matériels", description="Les équipements."
    )
    partenaires: list[Partenaire] = Field(
        default_factory=_empty_list, title="Partenaires", description="Les partenaires nécessaires."
    )

    def is_empty(self) -> bool:
        """True when no list holds an item."""
        return not (self.humains or self.financiers or self.materiels or self.partenaires)


class Moyens(MoyensAjoutes):
    """The means needed: people, money, equipment, partners and launch delay."""

    model_config = _doc(
        "Moyens", "Humains, financiers, matériels, partenaires et délai de lancement."
    )

    delai_lancement_mois: Annotated[NombrePositifOuNul, Field(le=MAX_MOIS)] | None = Field(
        None,
        title="Délai de lancement (mois)",
        description="Entre la décision et le lancement (1 200 mois au plus).",
        examples=[6],
    )
    cout_etp_annuel: Montant | None = Field(
        None,
        title="Coût annuel d'un ETP (€)",
        description="Coût chargé d'un ETP salarié par an : chiffre les moyens humains en euros.",
        examples=["45 000"],
    )


class MoyensRequis(Moyens):
    """The full means of a descriptor: at least one item in one of the lists."""

    model_config = _doc("Moyens nécessaires", "Au moins un élément dans l'une des listes.")

    @model_validator(mode="after")
    @_guarded
    def _not_empty(self) -> "MoyensRequis":
        if self.is_empty():
            raise PydanticCustomError(
                "moyens_vides",
                "« moyens » ne décrit aucun moyen : indiquez au moins un élément dans "
                "humains, financiers, materiels ou partenaires",
            )
        return self


class OptionMarge(Modele):
    """An option of a marge that changes the means of a territory that chooses it."""

    model_config = _doc(
        "Option de marge", "Une option d'adaptation, et ce qu'elle ajoute ou retire aux moyens."
    )

    option: Texte = Field(title="Option", description="Le nom de l'option.")
    description: Texte | None = Field(
        None, title="Description", description="L'option en quelques mots."
    )
    ajoute: MoyensAjoutes | None = Field(
        None,
        title="Moyens ajoutés",
        description="Les moyens que cette option ajoute : humains, financiers, materiels et "
        "partenaires (le délai de lancement et le coût d'un ETP restent ceux du descripteur).",
    )
    retire: list[Texte] = Field(
        default_factory=_empty_list,
        title="Moyens retirés",
        description="Les lignes des moyens (rôle, poste ou élément) que cette option retire.",
    )


class Marge(Modele):
    """Something a repreneur may adapt, within limits."""

    model_config = _doc("Marge d'adaptation", "Ce qu'un repreneur peut adapter, dans des limites.")

    id: Slug = Field(
        title="Identifiant",
        description="Minuscules sans accents, chiffres et tirets ; unique dans le descripteur.",
        examples=["frequence"],
    )
    titre: Texte = Field(title="Titre", description="Ce qui peut être adapté.")
    description: Markdown | None = Field(
        None, title="Description", description="La marge en détail (Markdown)."
    )
    options: list[Texte | OptionMarge] = Field(
        default_factory=_empty_list,
        title="Options",
        description="Les options connues : un texte, ou une option qui ajoute ou retire des "
        "moyens.",
    )
    limites: Texte | None = Field(
        None, title="Limites", description="Ce qu'on ne peut pas dépasser."
    )
    decideur: Texte | None = Field(
        None, title="Décideur", description="Qui choisit l'option sur le territoire."
    )

    def option_names(self) -> list[str]:
        """The options' names, whether written as texts or as options with means."""
        return [o if isinstance(o, str) else o.option for o in self.options]

    def chosen(self, choice: str) -> list[str | OptionMarge] | None:
        """The options a territory's choice names: one option, or several joined by « , »,
        « ; », « + », « & », « / » or « et » (case, accents and hyphens aside); None when the
        choice is not made of this marge's options."""
        indexes = chosen_options(self.option_names(), choice)
        return None if indexes is None else [self.options[i] for i in indexes]


def chosen_options(names: list[str], choice: str) -> list[int] | None:
    """The indexes of the options (by `names`) a choice names: one option, or several joined by
    « , », « ; », « + », « & », « / » or « et » (case, accents and hyphens aside), each once;
    None when the choice is not made of these options."""
    by_name: dict[str, int] = {}
    for i, name in enumerate(names):
        by_name.setdefault(words.normalize_name(name), i)
    whole = by_name.get(words.normalize_name(choice))
    if whole is not None:
        return [whole]
    parts = [choice]
    for separator in (",", ";", "+", "&", "/", " et "):
        parts = [piece for part in parts for piece in part.split(separator)]
    wanted = [words.normalize_name(part) for part in parts if part.strip()]
    if wanted and all(name in by_name for name in wanted):
        return list(dict.fromkeys(by_name[name] for name in wanted))
    return None


class ModeDegrade(Modele):
    """The minimal version when means are short."""

    model_config = _doc("Mode dégradé", "La version minimale quand les moyens manquent.")

    description: Markdown | None = Field(
        None, title="Description", description="La version minimale (Markdown)."
    )
    renoncements: list[Texte] = Field(
        default_factory=_empty_list,
        title="Renoncements",
        description="Ce à quoi la version minimale renonce (peut citer un id de marge).",
    )
    moyens: Moyens | None = Field(
        None, title="Moyens", description="Les moyens de la version minimale."
    )


class Prerequis(Modele):
    """A condition in the receiving territory."""

    model_config = _doc("Prérequis", "Une condition dans le territoire receveur.")

    description: Texte = Field(title="Description", description="La condition.")
    population_min: EntierPositifOuNul | None = Field(
        None,
        title="Population minimale",
        description="Le territoire compte au moins ce nombre d'habitants.",
        examples=[2000],
    )
    population_max: EntierPositifOuNul | None = Field(
        None,
        title="Population maximale",
        description="Le territoire compte au plus ce nombre d'habitants.",
        examples=[100000],
    )
    types_territoire: list[TypeTerritoire] = Field(
        default_factory=_empty_list,
        title="Types de territoire",
        description="Les types de territoire visés (commune, epci…).",
    )

    @model_validator(mode="after")
    @_guarded
    def _bounds_in_order(self) -> "Prerequis":
        low, high = self.population_min, self.population_max
        if low is not None and high is not None and low > high:
            raise PydanticCustomError(
                "bornes",
                f"population_min ({low}) est plus grand que population_max ({high})",
            )
        return self


class ActeurPublic(Modele):
    """A public actor and its structuring role."""

    model_config = _doc("Acteur public", "Un acteur public et son rôle structurant.")

    acteur: Texte = Field(title="Acteur", description="L'acteur public.")
    role: Annotated[RoleActeur, _choice(RoleActeur)] | None = Field(
        None,
        title="Rôle",
        description="financeur, prescripteur, facilitateur, operateur, regulateur ou parrain.",
    )
    description: Texte | None = Field(
        None, title="Description", description="Ce qu'il fait concrètement."
    )


class Dependance(Modele):
    """What still depends on the original carrier, and how that is removed."""

    model_config = _doc("Dépendance", "Ce qui dépend encore du porteur d'origine.")

    element: Texte = Field(
        title="Élément", description="Ce qui dépend encore du porteur d'origine."
    )
    attenuation: Texte | None = Field(
        None,
        title="Atténuation",
        description="Comment le repreneur s'affranchit de cette dépendance.",
    )


class Etape(Modele):
    """A step of the deployment roadmap."""

    model_config = _doc("Étape", "Une étape de la feuille de route.")

    titre: Texte = Field(title="Titre", description="L'étape, en quelques mots.")
    duree_mois: Annotated[NombrePositif, Field(le=MAX_MOIS)] | None = Field(
        None, title="Durée (mois)", description="Nombre > 0, 1 200 au plus.", examples=[2]
    )
    description: Markdown | None = Field(
        None, title="Description", description="L'étape en détail (Markdown)."
    )
    responsable: Texte | None = Field(None, title="Responsable", description="Qui mène l'étape.")
    livrables: list[Texte] = Field(
        default_factory=_empty_list, title="Livrables", description="Ce que l'étape produit."
    )


class Indicateur(Modele):
    """An evaluation or fidelity indicator."""

    model_config = _doc("Indicateur", "Un indicateur d'évaluation ou de fidélité.")

    nom: Texte = Field(title="Nom", description="Ce que l'indicateur mesure.")
    nature: Annotated[NatureIndicateur, _choice(NatureIndicateur)] | None = Field(
        None,
        title="Nature",
        description="resultat, activite ou fidelite (fidélité au cœur du concept).",
    )
    definition: Texte | None = Field(None, title="Définition", description="Comment il se calcule.")
    cible: Texte | None = Field(None, title="Cible", description="La valeur visée.")
    frequence: Texte | None = Field(None, title="Fréquence", description="Quand il se mesure.")
    source: Texte | None = Field(None, title="Source", description="D'où viennent les données.")


class Risque(Modele):
    """A risk or pitfall, and how to prevent it."""

    model_config = _doc("Risque", "Un risque ou piège à éviter.")

    risque: Texte = Field(title="Risque", description="Le risque ou le piège.")
    prevention: Texte | None = Field(
        None, title="Prévention", description="Comment éviter ce risque."
    )


class CadreJuridique(Modele):
    """The legal framework."""

    model_config = _doc("Cadre juridique", "Le cadre juridique de l'innovation.")

    description: Markdown | None = Field(
        None, title="Description", description="Le cadre juridique (Markdown)."
    )
    references: list[Reference] = Field(
        default_factory=_empty_list, title="Références", description="Les textes de référence."
    )


class Ressource(Modele):
    """Material for the repreneur: a web link or a file beside the descriptor."""

    model_config = _doc(
        "Ressource", "Un lien web (url) ou un fichier à côté du descripteur (chemin)."
    )

    titre: Texte = Field(title="Titre", description="Le titre de la ressource.")
    url: Lien | None = Field(
        None, title="Adresse web", description="Lien http(s).", examples=["https://exemple.org"]
    )
    chemin: Texte | None = Field(
        None,
        title="Chemin",
        description="Fichier, relatif au dossier du descripteur.",
        examples=["ressources/guide.pdf"],
    )
    type: Annotated[TypeRessource, _choice(TypeRessource)] | None = Field(
        None,
        title="Type",
        description="guide, outil, modele, formation, video ou autre.",
    )
    licence: Spdx | None = Field(
        None,
        title="Licence",
        description="Identifiant SPDX de la licence de la ressource.",
        examples=["CC-BY-SA-4.0"],
    )


class Adaptation(Modele):
    """What an earlier take-over changed within a marge."""

    model_config = _doc("Adaptation", "Ce qu'une reprise a changé dans une marge.")

    marge: Slug = Field(title="Marge", description="Identifiant d'une marge du descripteur.")
    choix: Texte | None = Field(None, title="Choix", description="L'option retenue.")
    raison: Texte | None = Field(None, title="Raison", description="Pourquoi ce choix.")


class Essaimage(Modele):
    """An earlier take-over."""

    model_config = _doc("Reprise", "Une reprise précédente de l'innovation.")

    territoire: Territoire = Field(title="Territoire", description="Où l'innovation a été reprise.")
    depuis: AnneeOuDate | None = Field(
        None,
        title="Depuis",
        description="Année (AAAA) ou date (AAAA-MM-JJ).",
        examples=[2014],
    )
    porteur: Texte | None = Field(None, title="Porteur", description="Qui l'a reprise.")
    adaptations: list[Adaptation] = Field(
        default_factory=_empty_list, title="Adaptations", description="Ce que la reprise a adapté."
    )
    retour: Markdown | None = Field(
        None, title="Retour d'expérience", description="Ce que la reprise a appris (Markdown)."
    )


class Contact(Modele):
    """Who to contact."""

    model_config = _doc("Contact", "À qui s'adresser.")

    role: Texte = Field(title="Rôle", description="Pourquoi s'adresser à ce contact.")
    nom: Texte | None = Field(None, title="Nom", description="Le nom de la personne.")
    structure: Texte | None = Field(None, title="Structure", description="Sa structure.")
    courriel: Courriel | None = Field(
        None, title="Courriel", description="Son adresse électronique.",
        examples=["prenom.nom@mairie.fr"],
    )  # fmt: skip
    telephone: Texte | None = Field(None, title="Téléphone", description="Son téléphone.")


class Transposition(Modele):
    """An idea to transpose the innovation to another sector."""

    model_config = _doc("Transposition", "Une piste pour un autre secteur.")

    secteur: SecteurChamp = Field(title="Secteur", description="Le secteur visé.")
    piste: Texte = Field(title="Piste", description="Comment transposer l'innovation à ce secteur.")


class Origine(Modele):
    """Where the innovation was proven."""

    model_config = _doc("Origine", "Où l'innovation a fait ses preuves.")

    territoire: Territoire = Field(
        title="Territoire", description="Le territoire où l'innovation a fait ses preuves."
    )
    porteur: Structure = Field(title="Porteur", description="La structure qui la porte.")
    depuis: AnneeOuDate | None = Field(
        None,
        title="Depuis",
        description="Année (AAAA) ou date (AAAA-MM-JJ).",
        examples=[2014],
    )


class Dimensionnement(Modele):
    """How many sites a territory needs when its own plan does not say."""

    model_config = _doc(
        "Dimensionnement",
        "Combien de sites un territoire demande quand son projet ne le dit pas : un site par "
        "tant d'habitants ou de bénéficiaires (le plus grand des deux), entre un minimum et un "
        "maximum.",
    )

    habitants_par_site: EntierPositif | None = Field(
        None,
        title="Habitants par site",
        description="Un site pour ce nombre d'habitants du périmètre.",
        examples=[20000],
    )
    beneficiaires_par_site: EntierPositif | None = Field(
        None,
        title="Bénéficiaires par site",
        description="Un site pour ce nombre de bénéficiaires par an.",
        examples=[150],
    )
    sites_min: NombreDeSites = Field(
        1,
        title="Sites au minimum",
        description="Au moins ce nombre de sites (1 par défaut, 100 000 au plus).",
    )
    sites_max: NombreDeSites | None = Field(
        None,
        title="Sites au maximum",
        description="Au plus ce nombre de sites (100 000 au plus).",
        examples=[20],
    )

    @model_validator(mode="after")
    @_guarded
    def _bounds_in_order(self) -> "Dimensionnement":
        if self.sites_max is not None and self.sites_max < self.sites_min:
            raise PydanticCustomError(
                "bornes",
                f"sites_max ({self.sites_max}) est plus petit que sites_min ({self.sites_min})",
            )
        return self


class Echeance(Modele):
    """One year of a funding schedule."""

    model_config = _doc(
        "Échéance",
        "Le montant d'une année : une année de fonctionnement (1 = les 12 premiers mois après "
        "le lancement) ou une année civile.",
    )

    annee_de_fonctionnement: Annotated[EntierPositif, Field(le=100)] | None = Field(
        None,
        title="Année de fonctionnement",
        description="La N-ième période de 12 mois à partir du lancement (1, 2, 3…).",
        examples=[1],
    )
    annee: Annotated[EntierPositif, Field(ge=1000, le=2999)] | None = Field(
        None,
        title="Année civile",
        description="L'année civile (AAAA) : le montant est réparti sur ses mois de "
        "fonctionnement.",
        examples=[2027],
    )
    montant: Montant = Field(
        title="Montant (€)",
        description="Le montant de cette année, sur la même base (par) que le financement.",
        examples=["17 500"],
    )

    @model_validator(mode="after")
    @_guarded
    def _one_year(self) -> "Echeance":
        if (self.annee is None) == (self.annee_de_fonctionnement is None):
            raise PydanticCustomError(
                "echeance",
                "une échéance a soit une « annee_de_fonctionnement » (1, 2, 3…), soit une "
                "« annee » civile (2027), exactement l'une des deux",
            )
        return self


class Financement(Modele):
    """Who pays: a share of a cost, or an amount."""

    model_config = _doc(
        "Financement",
        "Un financeur et ce qu'il paie : une part du coût (part), ou un montant (montant).",
    )

    financeur: Texte = Field(title="Financeur", description="Qui paie.")
    nature: Annotated[NatureFinancement, _choice(NatureFinancement)] | None = Field(
        None,
        title="Nature",
        description="subvention, prestation, mecenat, appel-a-projets, fonds-europeens, "
        "participation-usagers, autofinancement ou autre.",
    )
    porte_sur: Annotated[PorteSur, _choice(PorteSur)] = Field(
        "tout",
        title="Porte sur",
        description="investissement, fonctionnement ou tout (par défaut).",
    )
    part: Annotated[NombrePositifOuNul, Field(le=100)] | None = Field(
        None,
        title="Part (%)",
        description="Le pourcentage du coût visé par porte_sur (de 0 à 100) ; sinon un montant.",
        examples=[50],
    )
    montant: Montant | None = Field(
        None, title="Montant (€)", description="Un montant en euros ; sinon une part.", examples=[
            "10 000"
        ],
    )  # fmt: skip
    par: Par = Field(
        Base("site"),
        title="Base de calcul",
        description="Pour un montant : site, N sites, N habitants ou N bénéficiaires (par "
        "défaut : site).",
    )
    periodicite: Annotated[Periodicite, _choice(Periodicite)] | None = Field(
        None,
        title="Périodicité",
        description="Pour un montant : unique, annuel ou mensuel (par défaut : unique pour "
        "l'investissement, annuel sinon).",
    )
    plafond: Montant | None = Field(
        None,
        title="Plafond (€)",
        description="Au plus ce montant par versement (la somme unique, ou chaque année).",
        examples=["20 000"],
    )
    duree_ans: EntierPositif | None = Field(
        None,
        title="Durée (années)",
        description="Les premières périodes de 12 mois de fonctionnement couvertes, à partir "
        "du lancement (par défaut : toutes).",
        examples=[3],
    )
    taux_max: Annotated[NombrePositifOuNul, Field(le=100)] | None = Field(
        None,
        title="Taux maximal (%)",
        description="Au plus ce pourcentage du coût visé par porte_sur, chaque année : le "
        "versement est le plus petit du montant, du plafond et de ce taux appliqué au coût.",
        examples=[70],
    )
    echeancier: Annotated[list[Echeance], Field(min_length=1, max_length=100)] | None = Field(
        None,
        title="Échéancier",
        description="Des montants qui changent d'une année à l'autre, sur la même base (par) "
        "que montant ; sinon une part ou un montant.",
    )
    conditions: Texte | None = Field(
        None, title="Conditions", description="Les conditions pour l'obtenir."
    )
    source: Reference | None = Field(
        None, title="Source", description="D'où vient ce financement (dispositif, texte)."
    )

    @model_validator(mode="after")
    @_guarded
    def _part_or_amount(self) -> "Financement":
        given = [self.part, self.montant, self.echeancier]
        if sum(value is not None for value in given) != 1:
            raise PydanticCustomError(
                "financement",
                "un financement a soit une « part » (en %), soit un « montant » (en €), soit un "
                "« echeancier » (des montants par année), exactement l'un des trois",
            )
        if self.echeancier is not None:
            _check_schedule(self.echeancier, self.periodicite)
        return self


def _check_schedule(echeancier: list[Echeance], periodicite: str | None) -> None:
    """A schedule names each year once and its amounts are yearly."""
    if periodicite not in (None, "annuel"):
        raise PydanticCustomError(
            "echeancier",
            "un échéancier donne un montant par année : retirez « periodicite » (ou écrivez "
            "« annuel »)",
        )
    seen: set[tuple[str, int]] = set()
    for item in echeancier:
        key = (
            ("annee", item.annee)
            if item.annee is not None
            else ("annee_de_fonctionnement", item.annee_de_fonctionnement or 0)
        )
        if key in seen:
            raise PydanticCustomError(
                "echeancier",
                f"l'échéancier donne deux fois « {key[0]}: {key[1]} » : une année n'a qu'un "
                "montant",
            )
        seen.add(key)


class Perimetre(Modele):
    """Where a project runs inside its territory."""

    model_config = _doc(
        "Périmètre",
        "Où le projet se déroule dans le territoire : ses communes, ou sa population.",
    )

    communes: list[Texte] = Field(
        default_factory=_empty_list,
        title="Communes",
        description="Les codes INSEE des communes du périmètre.",
        examples=[["35238", "35047"]],
    )
    population: EntierPositifOuNul | None = Field(
        None,
        title="Population",
        description="La population du périmètre ; sinon la somme de ses communes, sinon celle "
        "du territoire.",
        examples=[52000],
    )
    description: Texte | None = Field(
        None, title="Description", description="Le périmètre en quelques mots."
    )


# --- the innovation descriptor ---------------------------------------------------------------


class Innovation(Modele):
    """An innovation descriptor (format v1)."""

    model_config = _doc(
        "Descripteur d'innovation",
        "Une innovation qui a fait ses preuves, décrite pour être reprise ailleurs.",
    )

    essaimage: Version = Field(title="Version du format", description="Toujours 1.", examples=[1])
    id: Annotated[Slug, StringConstraints(min_length=3, max_length=64)] = Field(
        title="Identifiant",
        description="Minuscules sans accents, chiffres et tirets ; unique dans le dépôt.",
        examples=["atelier-velo"],
    )
    nom: Annotated[Texte, StringConstraints(min_length=3, max_length=120)] = Field(
        title="Nom", description="Le nom de l'innovation (3 à 120 caractères)."
    )
    accroche: Annotated[Texte, StringConstraints(min_length=10, max_length=280)] = Field(
        title="Accroche", description="Une phrase : quoi, pour qui (10 à 280 caractères)."
    )
    secteurs: list[SecteurChamp] = Field(
        default_factory=_empty_list, title="Secteurs", description="Les secteurs de l'innovation."
    )
    transpositions: list[Transposition] = Field(
        default_factory=_empty_list,
        title="Transpositions",
        description="Pistes pour d'autres secteurs.",
    )
    maturite: Annotated[Maturite, _choice(Maturite)] | None = Field(
        None,
        title="Maturité",
        description="experimentation, prototype, deployable, essaimee ou generalisee.",
    )
    modele_essaimage: Annotated[ModeleEssaimage, _choice(ModeleEssaimage)] | None = Field(
        None,
        title="Modèle d'essaimage",
        description="souple, franchise (sociale), centralise (filiale) ou libre.",
    )
    licence: Spdx | None = Field(
        None,
        title="Licence",
        description="Identifiant SPDX de la licence du contenu du kit.",
        examples=["CC-BY-SA-4.0"],
    )
    mis_a_jour: Date | None = Field(
        None,
        title="Mise à jour",
        description="Date de la dernière relecture (AAAA-MM-JJ).",
        examples=["2026-10-15"],
    )
    origine: Origine = Field(
        title="Origine", description="Où l'innovation a fait ses preuves, et qui la porte."
    )
    probleme: Markdown = Field(title="Problème", description="Le problème traité (Markdown).")
    solution: Markdown = Field(title="Solution", description="Ce que fait l'innovation (Markdown).")
    public_cible: list[Texte] = Field(
        default_factory=_empty_list, title="Public cible", description="Qui en bénéficie."
    )
    pourquoi_ca_marche: Markdown | None = Field(
        None,
        title="Pourquoi ça marche",
        description="Le mécanisme qui produit les effets (Markdown).",
    )
    resultats: list[Resultat] = Field(
        default_factory=_empty_list,
        title="Résultats",
        description="Les preuves que l'innovation a fait ses preuves.",
    )
    coeur: Annotated[list[ElementCoeur], Field(min_length=1)] = Field(
        title="Cœur du concept", description="Les éléments non négociables (au moins un)."
    )
    marges: list[Marge] = Field(
        title="Marges d'adaptation",
        description="Ce qu'un repreneur peut adapter (liste éventuellement vide).",
    )
    mode_degrade: ModeDegrade | None = Field(
        None,
        title="Mode dégradé",
        description="La version minimale, quand les moyens manquent.",
    )
    moyens: MoyensRequis = Field(
        title="Moyens", description="Les moyens nécessaires (au moins un élément)."
    )
    prerequis: list[Prerequis] = Field(
        default_factory=_empty_list,
        title="Prérequis",
        description="Les conditions dans le territoire receveur.",
    )
    acteurs_publics: list[ActeurPublic] = Field(
        default_factory=_empty_list,
        title="Acteurs publics",
        description="Le rôle structurant des acteurs publics.",
    )
    dependances: list[Dependance] = Field(
        default_factory=_empty_list,
        title="Dépendances",
        description="Ce qui dépend encore du porteur d'origine, et comment s'en affranchir.",
    )
    etapes: list[Etape] = Field(
        default_factory=_empty_list,
        title="Étapes",
        description="La feuille de route, dans l'ordre.",
    )
    indicateurs: list[Indicateur] = Field(
        default_factory=_empty_list,
        title="Indicateurs",
        description="Les indicateurs d'évaluation et de fidélité.",
    )
    risques: list[Risque] = Field(
        default_factory=_empty_list, title="Risques", description="Risques et pièges à éviter."
    )
    cadre_juridique: CadreJuridique | None = Field(
        None, title="Cadre juridique", description="Le cadre juridique de l'innovation."
    )
    ressources: list[Ressource] = Field(
        default_factory=_empty_list,
        title="Ressources",
        description="Les documents et outils pour le repreneur.",
    )
    essaimages: list[Essaimage] = Field(
        default_factory=_empty_list,
        title="Reprises précédentes",
        description="Les reprises précédentes et ce qu'elles ont adapté.",
    )
    contacts: list[Contact] = Field(
        default_factory=_empty_list, title="Contacts", description="À qui s'adresser."
    )
    dimensionnement: Dimensionnement | None = Field(
        None,
        title="Dimensionnement",
        description="Combien de sites un territoire demande quand son projet ne le dit pas.",
    )
    financements: list[Financement] = Field(
        default_factory=_empty_list,
        title="Financements",
        description="Le plan de financement type des reprises précédentes.",
    )
    regles: Regles = Field(
        default_factory=_empty_dict,
        title="Niveaux des règles",
        description="Niveau des règles pour ce descripteur : code: erreur, avertissement, "
        "info ou ignorer.",
        examples=[{"D104": "ignorer"}],
    )


# --- the territory profile -------------------------------------------------------------------


class TerritoireProfil(Territoire):
    """The receiving territory: `nom` may be left out when `code_insee` and `type` are given."""

    model_config = _doc(
        "Territoire receveur",
        "Le nom peut manquer si code_insee et type désignent un territoire officiel.",
    )

    nom: Texte | None = Field(  # type: ignore[assignment]  # optional here, with a check below
        None,
        title="Nom",
        description="Le nom du territoire ; repris du référentiel officiel s'il manque.",
        examples=["Saint-Brieuc"],
    )
    article: Article | None = Field(
        None,
        title="Article",
        description=(
            "L'article que prend le nom dans une phrase, pour que le kit écrive « pour le Pays "
            "de Redon » ou « de l'Agglomération du Cotentin » : le, la, les, l' ou aucun. "
            "Sans lui, essaimage suit le référentiel officiel, ou devine d'après le nom."
        ),
        examples=["le"],
    )

    @model_validator(mode="after")
    @_guarded
    def _identified(self) -> "TerritoireProfil":
        if self.nom is None and not (self.code_insee and self.type in OFFICIAL_TYPES):
            raise PydanticCustomError(
                "territoire_anonyme",
                "le territoire n'a pas de « nom » : indiquez son nom, ou son « code_insee » "
                "et son « type » (commune, epci, departement ou region) pour le reprendre du "
                "référentiel officiel",
            )
        return self


class ContactProfil(Modele):
    """The repreneur's contact person."""

    model_config = _doc("Contact du repreneur", "La personne à contacter chez le repreneur.")

    role: Texte | None = Field(None, title="Rôle", description="Sa fonction dans le projet.")
    nom: Texte | None = Field(None, title="Nom", description="Le nom de la personne.")
    courriel: Courriel | None = Field(
        None, title="Courriel", description="Son adresse électronique.",
        examples=["prenom.nom@mairie.fr"],
    )  # fmt: skip
    telephone: Texte | None = Field(None, title="Téléphone", description="Son téléphone.")


class Porteur(Modele):
    """The repreneur organisation."""

    model_config = _doc("Repreneur", "La structure qui reprend l'innovation.")

    nom: Texte = Field(title="Nom", description="Le nom de la structure.")
    type: TypeStructure | None = Field(
        None,
        title="Type",
        description="collectivite, etat, etablissement-public, association, entreprise ou autre.",
    )
    contact: ContactProfil | None = Field(
        None, title="Contact", description="La personne à contacter."
    )


class PartenaireLocal(Modele):
    """A local partner of the repreneur."""

    model_config = _doc("Partenaire local", "Un partenaire du repreneur.")

    acteur: Texte = Field(title="Acteur", description="Le partenaire.")
    role: Texte | None = Field(None, title="Rôle", description="Ce qu'il apporte.")


class ChoixSites(Modele):
    """One option of a marge, chosen for some of the project's sites."""

    model_config = _doc(
        "Choix pour des sites", "Une option retenue pour une partie des sites du projet."
    )

    option: Texte = Field(title="Option", description="L'option retenue pour ces sites.")
    sites: NombreDeSites = Field(
        title="Sites", description="Combien de sites du projet prennent cette option.", examples=[5]
    )


ChoixMarge = Union[Texte, Annotated[list[ChoixSites], Field(min_length=1, max_length=1_000)]]


class Projet(Modele):
    """A territory's plan for one innovation."""

    model_config = _doc("Projet", "Le projet du territoire pour une innovation.")

    debut: Date | None = Field(
        None, title="Début", description="Date de début (AAAA-MM-JJ).", examples=["2027-03-01"]
    )
    beneficiaires: EntierPositif | None = Field(
        None, title="Bénéficiaires", description="Nombre de bénéficiaires visés.", examples=[240]
    )
    choix: dict[Slug, ChoixMarge] = Field(
        default_factory=_empty_dict,
        title="Choix",
        description="Par identifiant de marge : le choix du territoire, ou une liste d'options "
        "avec leurs sites (« option » et « sites ») quand le choix diffère d'un site à l'autre ; "
        "ces sites font alors ensemble les sites du projet.",
        examples=[{"frequence": "matins et soirs"}],
    )
    notes: Markdown | None = Field(
        None, title="Notes", description="Ce que le territoire veut dire du projet (Markdown)."
    )
    sites: NombreDeSites | None = Field(
        None,
        title="Sites",
        description="Le nombre de sites prévus, 100 000 au plus (l'emporte sur le "
        "dimensionnement de l'innovation).",
        examples=[3],
    )
    perimetre: Perimetre | None = Field(
        None, title="Périmètre", description="Où le projet se déroule dans le territoire."
    )
    financements: list[Financement] = Field(
        default_factory=_empty_list,
        title="Financements",
        description="Le plan de financement du territoire ; il remplace le plan type de "
        "l'innovation.",
    )
    cout_etp_annuel: Montant | None = Field(
        None,
        title="Coût annuel d'un ETP (€)",
        description="La valeur locale du coût chargé d'un ETP salarié par an.",
        examples=["43 000"],
    )
    couts_par_role: dict[Texte, Montant] = Field(
        default_factory=_empty_dict,
        title="Coûts par rôle (€ par ETP et par an)",
        description="Par rôle (écrit comme dans les moyens) : le coût local d'un ETP par an ; "
        "l'emporte sur tout autre coût.",
        examples=[{"Chef de projet": "48 000"}],
    )
    deja_en_place: list[Texte] = Field(
        default_factory=_empty_list,
        title="Déjà en place",
        description="Les moyens (rôle, poste ou élément, écrits comme dans les moyens) que le "
        "territoire a déjà : montrés, non chiffrés ; le kit donne alors le coût supplémentaire.",
        examples=[["Cuisiniers"]],
    )
    contact: ContactProfil | None = Field(
        None,
        title="Contact",
        description="La personne à contacter pour ce projet (l'emporte sur le contact du "
        "porteur dans le kit de cette innovation).",
    )
    partenaires: list[PartenaireLocal] = Field(
        default_factory=_empty_list,
        title="Partenaires du projet",
        description="Les partenaires locaux de ce projet (ceux du profil sont montrés comme "
        "acteurs du territoire).",
    )

    def sites_des_choix(self) -> int | None:
        """The sites a choice by sites adds up to (the first such choice), else None."""
        for value in self.choix.values():
            if isinstance(value, list):
                return sum(item.sites for item in value)
        return None


class Profil(Modele):
    """A territory profile (format v1)."""

    model_config = _doc(
        "Profil de territoire", "Le territoire qui reprend des innovations, et ses projets."
    )

    essaimage: Version = Field(title="Version du format", description="Toujours 1.", examples=[1])
    territoire: TerritoireProfil = Field(title="Territoire", description="Le territoire receveur.")
    contexte: Markdown | None = Field(
        None, title="Contexte local", description="Le contexte du territoire (Markdown)."
    )
    porteur: Porteur | None = Field(
        None, title="Porteur", description="La structure qui reprend l'innovation."
    )
    partenaires: list[PartenaireLocal] = Field(
        default_factory=_empty_list, title="Partenaires", description="Les partenaires locaux."
    )
    projets: dict[Slug, Projet] = Field(
        default_factory=_empty_dict,
        title="Projets",
        description="Par identifiant d'innovation : début, bénéficiaires, choix, notes.",
    )


def one_or_many(value: object) -> object:
    """A single text where a list of texts is accepted."""
    return [value] if isinstance(value, str) else value


def inside_repository(value: object) -> object:
    """Validator of a folder of the repository: relative to its root, never leading out of it."""
    if isinstance(value, str):
        text = value.strip().replace("\\", "/")
        absolute = text.startswith("/") or (len(text) > 1 and text[1] == ":")
        if absolute or ".." in text.split("/"):
            message = (
                f"« {value} » sort du dépôt : indiquez un dossier ou un motif à l'intérieur du "
                "dépôt, depuis sa racine (sans « .. » ni chemin absolu)"
            )
            raise PydanticCustomError("chemin", message.replace("{", "{{").replace("}", "}}"))
    return value


def _folder_parts(value: str) -> list[str]:
    """The names of a folder written from the repository's root: `./a//b/` is `a`, `b`."""
    return [part for part in value.strip().replace("\\", "/").split("/") if part not in ("", ".")]


def own_folder(value: object) -> object:
    """Validator of `gabarits`: a folder of its own, neither the repository's root (which holds
    its `.git` and every file) nor git's folder (its `config` may hold a token)."""
    if isinstance(value, str):
        parts = _folder_parts(value)
        if not value.strip():
            why = "un chemin vide désigne la racine du dépôt"
        elif not parts:
            why = f"« {value} » est la racine du dépôt"
        elif [part.casefold() for part in parts] == [".git"]:
            why = f"« {value} » est le dossier de git"
        elif any(part.casefold() == ".git" for part in parts):
            why = f"« {value} » est dans un dossier de git"
        else:
            return value
        message = f"{why} : les gabarits doivent avoir leur propre dossier, par exemple gabarits"
        raise PydanticCustomError("chemin", message.replace("{", "{{").replace("}", "}}"))
    return value


Chemins = Annotated[list[Texte], _before(one_or_many)]
CheminDepot = Annotated[Texte, _before(inside_repository)]
DossierGabarits = Annotated[Texte, _before(inside_repository), _before(own_folder)]
CheminsDepot = Annotated[list[CheminDepot], _before(one_or_many)]


class ReglesParChemin(Modele):
    """Rule severities for the files matching some globs."""

    model_config = _doc(
        "Niveaux par chemin",
        "Niveaux des règles pour les fichiers qui correspondent à des motifs.",
    )

    chemins: Chemins = Field(
        title="Chemins",
        description="Motifs de chemins, depuis la racine du dépôt.",
        examples=[["innovations/anciennes/*"]],
    )
    regles: Regles = Field(
        title="Niveaux des règles",
        description="code: erreur, avertissement, info ou ignorer.",
        examples=[{"D104": "ignorer"}],
    )


class Configuration(Modele):
    """The repository configuration, `essaimage.yaml` at the repository root."""

    model_config = _doc(
        "Configuration du dépôt", "essaimage.yaml, à la racine d'un dépôt de descripteurs."
    )

    essaimage: Version = Field(title="Version du format", description="Toujours 1.", examples=[1])
    innovations: CheminsDepot = Field(
        default_factory=lambda: ["innovations"],
        title="Innovations",
        description="Dossier(s) ou motif(s) des descripteurs.",
        examples=["innovations"],
    )
    territoires: CheminsDepot = Field(
        default_factory=lambda: ["territoires"],
        title="Territoires",
        description="Dossier(s) ou motif(s) des profils.",
        examples=["territoires"],
    )
    plans: CheminsDepot = Field(
        default_factory=lambda: ["plans"],
        title="Plans",
        description="Dossier(s) ou motif(s) des plans de montée en charge.",
        examples=["plans"],
    )
    retours: CheminsDepot = Field(
        default_factory=lambda: ["retours"],
        title="Retours",
        description="Dossier(s) ou motif(s) des retours d'essaimage.",
        examples=["retours"],
    )
    site: CheminDepot = Field(
        "public",
        title="Dossier du site",
        description="Où essaimage site écrit le site.",
        examples=["public"],
    )
    exclure: Chemins = Field(
        default_factory=_empty_list,
        title="Exclure",
        description="Chemins ou motifs à ignorer.",
        examples=[["brouillons"]],
    )
    site_url: Lien | None = Field(
        None,
        title="Adresse du site",
        description="L'adresse publique du site catalogue, pour les liens des données ouvertes "
        "(essaimage export).",
        examples=["https://catalogue.exemple.fr/"],
    )
    licence_donnees: Spdx = Field(
        "etalab-2.0",
        title="Licence des données",
        description="La licence des données ouvertes qu'écrit essaimage export (identifiant SPDX).",
        examples=["etalab-2.0"],
    )
    gabarits: DossierGabarits | None = Field(
        None,
        title="Gabarits",
        description="Dossier de gabarits qui remplacent ceux d'essaimage par leur nom.",
        examples=["gabarits"],
    )
    regles: Regles = Field(
        default_factory=_empty_dict,
        title="Niveaux des règles",
        description="Niveau des règles pour tout le dépôt : code: erreur, avertissement, "
        "info ou ignorer.",
        examples=[{"D104": "ignorer"}],
    )
    regles_par_chemin: list[ReglesParChemin] = Field(
        default_factory=_empty_list,
        title="Niveaux par chemin",
        description="Niveaux des règles pour les fichiers qui correspondent à des motifs, "
        "appliqués dans l'ordre après ceux du dépôt.",
    )

    @field_validator("gabarits")
    @classmethod
    @_guarded
    def _apart_from_outputs(cls, value: str | None, info: ValidationInfo) -> str | None:
        """The templates neither in nor around the site's folder, nor `donnees/` (where
        essaimage export writes by default): an output folder is rewritten by each run."""
        if value is None:
            return value
        mine = _folder_parts(value)
        site = info.data.get("site")
        for folder, what in ((site, "du site"), ("donnees", "des données ouvertes")):
            theirs = _folder_parts(folder) if isinstance(folder, str) else []
            shortest = min(len(mine), len(theirs))
            if not theirs or mine[:shortest] != theirs[:shortest]:
                continue
            where = {-1: "contient le", 0: "est le", 1: "est dans le"}
            relation = where[(len(mine) > len(theirs)) - (len(mine) < len(theirs))]
            message = (
                f"« {value} » {relation} dossier {what} ({'/'.join(theirs)}), où essaimage "
                "écrit : les gabarits doivent avoir leur propre dossier"
            )
            raise PydanticCustomError("chemin", message.replace("{", "{{").replace("}", "}}"))
        return value


# --- the scale-up plan ------------------------------------------------------------------------


class SelectionPlan(Modele):
    """Territories of the reference that a plan targets."""

    model_config = _doc(
        "Sélection de territoires",
        "Les territoires d'un type dans un autre, entre des bornes de population.",
    )

    dans: Texte = Field(
        title="Dans",
        description="Le territoire où chercher : region:53, un code de département, un SIREN "
        "d'EPCI ou un code de commune.",
        examples=["region:53"],
    )
    type: Annotated[TypeSelection, _choice(TypeSelection)] = Field(
        title="Type", description="commune, epci ou departement."
    )
    population_min: EntierPositifOuNul | None = Field(
        None, title="Population minimale", description="Au moins ce nombre d'habitants.",
        examples=[5000],
    )  # fmt: skip
    population_max: EntierPositifOuNul | None = Field(
        None, title="Population maximale", description="Au plus ce nombre d'habitants.",
        examples=[20000],
    )  # fmt: skip
    exclure: list[Texte] = Field(
        default_factory=_empty_list,
        title="Exclure",
        description="Les codes des territoires à laisser de côté.",
        examples=[["35238"]],
    )
    limite: EntierPositif | None = Field(
        None, title="Limite", description="Au plus ce nombre de territoires.", examples=[20]
    )
    ordre: Annotated[OrdreSelection, _choice(OrdreSelection)] = Field(
        "population-decroissante",
        title="Ordre",
        description="population-decroissante (par défaut), population-croissante ou nom.",
    )

    @model_validator(mode="after")
    @_guarded
    def _bounds_in_order(self) -> "SelectionPlan":
        low, high = self.population_min, self.population_max
        if low is not None and high is not None and low > high:
            raise PydanticCustomError(
                "bornes", f"population_min ({low}) est plus grand que population_max ({high})"
            )
        return self


_TERRITORY_KEYS = ("nom", "code_insee", "type", "population")
_PROJECT_KEYS = ("sites", "beneficiaires", "perimetre", "debut")


class CiblePlan(Modele):
    """One target of a plan: a territory, a profile, or a selection of territories."""

    model_config = _doc(
        "Cible d'un plan",
        "Un territoire (avec ses sites, bénéficiaires, périmètre, début), un profil de "
        "territoire, ou une sélection de territoires du référentiel.",
    )

    nom: Texte | None = Field(
        None, title="Nom", description="Le nom du territoire ; repris du référentiel s'il manque."
    )
    code_insee: Texte | None = Field(
        None, title="Code INSEE", description="Département, commune ou SIREN d'EPCI.",
        examples=["22278"],
    )  # fmt: skip
    type: TypeTerritoire | None = Field(
        None,
        title="Type",
        description="commune, epci, departement, region, national ou autre.",
    )
    population: EntierPositifOuNul | None = Field(
        None, title="Population", description="Nombre d'habitants (sinon celui du référentiel)."
    )
    sites: NombreDeSites | None = Field(
        None, title="Sites", description="Le nombre de sites prévus sur ce territoire "
        "(100 000 au plus).", examples=[2],
    )  # fmt: skip
    beneficiaires: EntierPositif | None = Field(
        None, title="Bénéficiaires", description="Le nombre de bénéficiaires par an.",
        examples=[300],
    )  # fmt: skip
    perimetre: Perimetre | None = Field(
        None, title="Périmètre", description="Où le projet se déroule dans le territoire."
    )
    debut: Date | None = Field(
        None, title="Début", description="Quand ce territoire commence (sinon sa vague)."
    )
    profil: Texte | None = Field(
        None,
        title="Profil",
        description="Un profil de territoire : son chemin depuis le plan, ou son nom de fichier "
        "dans le dossier des profils.",
        examples=["territoires/saint-brieuc.yaml"],
    )
    selection: SelectionPlan | None = Field(
        None, title="Sélection", description="Des territoires du référentiel."
    )

    @model_validator(mode="after")
    @_guarded
    def _one_kind(self) -> "CiblePlan":
        territory = any(getattr(self, key) is not None for key in _TERRITORY_KEYS)
        project = [key for key in _PROJECT_KEYS if getattr(self, key) is not None]
        kinds = [kind for kind, given in (("profil", self.profil is not None),
                 ("selection", self.selection is not None), ("territoire", territory)) if given]  # fmt: skip
        if len(kinds) != 1:
            raise PydanticCustomError(
                "cible",
                "une cible est soit un territoire (nom ou code_insee), soit un « profil », soit "
                "une « selection », exactement l'un des trois",
            )
        if kinds[0] != "territoire" and project:
            raise PydanticCustomError(
                "cible",
                f"« {project[0]} » ne va qu'avec un territoire : un profil porte ses propres "
                "projets, une sélection prend ses sites du dimensionnement de l'innovation",
            )
        if (
            kinds[0] == "territoire"
            and self.nom is None
            and not (self.code_insee and self.type in OFFICIAL_TYPES)
        ):
            raise PydanticCustomError(
                "territoire_anonyme",
                "le territoire n'a pas de « nom » : indiquez son nom, ou son « code_insee » et "
                "son « type » (commune, epci, departement ou region)",
            )
        return self


class Vagues(Modele):
    """The calendar of the scale-up: how many sites start together, and how often."""

    model_config = _doc("Vagues", "Combien de sites démarrent ensemble, et à quel rythme.")

    sites_par_vague: NombreDeSites = Field(
        title="Sites par vague",
        description="Au plus ce nombre de sites par vague (100 000 au plus).",
        examples=[5],
    )
    intervalle_mois: Annotated[EntierPositif, Field(le=MAX_MOIS)] = Field(
        title="Intervalle (mois)",
        description="Mois entre deux vagues (1 200 au plus) ; la dernière vague démarre au plus "
        "1 200 mois après le début du plan.",
        examples=[6],
    )


class Accompagnement(Modele):
    """What the driver of the scale-up gives each new site."""

    model_config = _doc(
        "Accompagnement",
        "Ce que le porteur du plan apporte à chaque nouveau site : temps, durée, coût.",
    )

    etp_par_site: NombrePositif = Field(
        title="ETP par site", description="Le temps d'accompagnement par nouveau site.",
        examples=["0,1"],
    )  # fmt: skip
    duree_mois: Mois = Field(
        title="Durée (mois)", description="Combien de mois chaque site est accompagné "
        "(1 200 au plus).", examples=[12],
    )  # fmt: skip
    cout_etp_annuel: Montant | None = Field(
        None, title="Coût annuel d'un ETP (€)", description="Coût chargé d'un ETP du porteur.",
        examples=["55 000"],
    )  # fmt: skip
    description: Texte | None = Field(
        None, title="Description", description="Ce que comprend l'accompagnement."
    )


class Plan(Modele):
    """A scale-up plan: one innovation, many territories, in waves."""

    model_config = _doc(
        "Plan de montée en charge",
        "Une innovation, ses territoires cibles, le calendrier des vagues, l'accompagnement et "
        "les financements du plan.",
    )

    id: Slug = Field(
        title="Identifiant", description="Unique dans le dépôt.", examples=["pedibus-bretagne"]
    )
    nom: Texte = Field(title="Nom", description="Le nom du plan.")
    innovation: Texte = Field(
        title="Innovation",
        description="L'identifiant d'une innovation du dépôt, ou le chemin d'un descripteur.",
        examples=["pedibus"],
    )
    porteur: Structure = Field(title="Porteur", description="Qui conduit la montée en charge.")
    debut: Date = Field(title="Début", description="Le début de la première vague.")
    cibles: Annotated[list[CiblePlan], Field(min_length=1, max_length=MAX_CIBLES)] = Field(
        title="Cibles",
        description="Les territoires visés, au moins un ; 40 000 au plus une fois les sélections "
        "faites, dont 200 sélections au plus.",
    )
    vagues: Vagues | None = Field(
        None,
        title="Vagues",
        description="Le calendrier des vagues (sinon, toutes les cibles au début).",
    )
    accompagnement: Accompagnement | None = Field(
        None, title="Accompagnement", description="Ce que le porteur apporte à chaque site."
    )
    financements: list[Financement] = Field(
        default_factory=_empty_list,
        title="Financements",
        description="Les financements valables pour tout le plan (un fonds national…).",
    )


class FichierPlan(Modele):
    """A plan file: the format version and the plan."""

    model_config = _doc("Fichier de plan", "Un plan de montée en charge.")

    essaimage: Version = Field(title="Version du format", description="Toujours 1.", examples=[1])
    plan: Plan = Field(title="Plan", description="Le plan de montée en charge.")


# --- the take-over report (format v1.2) --------------------------------------------------


class Fidelite(Modele):
    """How one element of the cœur was kept in a take-over."""

    model_config = _doc("Fidélité au cœur", "Comment la reprise a tenu un élément du cœur.")

    coeur: Slug = Field(
        title="Élément du cœur",
        description="L'identifiant d'un élément du cœur du descripteur.",
        examples=["a-pied"],
    )
    respecte: Annotated[Respect, _choice(Respect)] = Field(
        title="Respecté", description="oui, en-partie ou non.", examples=["oui"]
    )
    commentaire: Texte | None = Field(
        None, title="Commentaire", description="Ce qui a été fait, ou pourquoi pas."
    )


class AdaptationRetour(Modele):
    """One adaptation a take-over made (after FRAME: what, planned or not, when, who, why)."""

    model_config = _doc(
        "Adaptation faite",
        "Ce que la reprise a changé : dans une marge, dans un élément du cœur, ou ailleurs.",
    )

    marge: Slug | None = Field(
        None,
        title="Marge",
        description="L'identifiant de la marge adaptée (ou « coeur » si un élément du cœur a "
        "été changé, ou ni l'un ni l'autre).",
        examples=["encadrement"],
    )
    coeur: Slug | None = Field(
        None,
        title="Élément du cœur changé",
        description="L'identifiant de l'élément du cœur changé, à la place de « marge ».",
    )
    choix: Texte | None = Field(
        None,
        title="Choix",
        description="Ce qui a été fait : une option de la marge, ou une autre.",
        examples=["parents bénévoles et animateurs périscolaires"],
    )
    nature: Annotated[NatureAdaptation, _choice(NatureAdaptation)] | None = Field(
        None,
        title="Nature",
        description="ajout, retrait, remplacement, raccourcissement, allongement, ordre ou autre.",
    )
    planifiee: Booleen | None = Field(
        None,
        title="Prévue",
        description="oui si elle a été décidée à l'avance, non si elle répond à un problème.",
        examples=["oui"],
    )
    moment: Annotated[MomentAdaptation, _choice(MomentAdaptation)] | None = Field(
        None,
        title="Moment",
        description="preparation, lancement, fonctionnement ou extension.",
    )
    decideurs: list[Texte] = Field(
        default_factory=_empty_list,
        title="Décideurs",
        description="Qui a décidé de l'adaptation.",
        examples=[["comité de pilotage"]],
    )
    raison: Texte = Field(title="Raison", description="Pourquoi cette adaptation.")

    @model_validator(mode="after")
    @_guarded
    def _marge_or_coeur(self) -> "AdaptationRetour":
        if self.marge is not None and self.coeur is not None:
            raise PydanticCustomError(
                "marge_et_coeur",
                "une adaptation porte sur une marge ou sur un élément du cœur, pas les deux : "
                "gardez « marge » ou « coeur »",
            )
        return self


class PrerequisRetour(Modele):
    """What a take-over says of one prerequisite of the descriptor."""

    model_config = _doc("Prérequis à l'épreuve", "Ce que la reprise dit d'un prérequis.")

    description: Texte = Field(
        title="Prérequis",
        description="La description d'un prérequis du descripteur, telle qu'il l'écrit.",
    )
    verdict: Annotated[VerdictPrerequis, _choice(VerdictPrerequis)] = Field(
        title="Verdict", description="confirme, pas-necessaire ou insuffisant."
    )


class Retour(Modele):
    """A take-over report: one take-over, at one date."""

    model_config = _doc(
        "Retour d'essaimage",
        "Une reprise, à une date : où, par qui, ce qui a été tenu, adapté, dépensé et obtenu.",
    )

    innovation: Slug = Field(
        title="Innovation",
        description="L'identifiant d'une innovation du dépôt.",
        examples=["pedibus"],
    )
    territoire: TerritoireProfil | None = Field(
        None,
        title="Territoire",
        description="Le territoire de la reprise (ou « profil »).",
        examples=[{"code_insee": "22113", "type": "commune"}],
    )
    profil: Texte | None = Field(
        None,
        title="Profil",
        description="Le chemin du profil du territoire dans le dépôt, à la place de "
        "« territoire ».",
        examples=["territoires/lannion.yaml"],
    )
    porteur: Structure = Field(title="Porteur", description="La structure qui a repris.")
    plan: Slug | None = Field(
        None,
        title="Plan",
        description="L'identifiant du plan de montée en charge dont la reprise fait partie.",
        examples=["pedibus-bretagne"],
    )
    date: Date = Field(title="Date du retour", description="La date de ce retour.")
    debut: Date | None = Field(
        None, title="Début de la préparation", description="AAAA-MM-JJ.", examples=["2027-09-01"]
    )
    lancement: Date | None = Field(
        None, title="Lancement", description="Le début du fonctionnement (AAAA-MM-JJ)."
    )
    statut: Annotated[StatutRetour, _choice(StatutRetour)] = Field(
        title="Statut",
        description="en-preparation, en-fonctionnement, suspendu ou arrete.",
        examples=["en-fonctionnement"],
    )
    raison_arret: Texte | None = Field(
        None,
        title="Raison de l'arrêt",
        description="Pourquoi la reprise est suspendue ou arrêtée (obligatoire alors).",
    )
    sites: NombreDeSites | None = Field(
        None, title="Sites", description="Le nombre de sites en fonctionnement.", examples=[3]
    )
    beneficiaires: EntierPositifOuNul | None = Field(
        None,
        title="Bénéficiaires",
        description="Le nombre de bénéficiaires par an.",
        examples=[120],
    )
    fidelite: list[Fidelite] = Field(
        default_factory=_empty_list,
        title="Fidélité au cœur",
        description="Pour chaque élément du cœur : respecté, en partie ou non.",
    )
    adaptations: list[AdaptationRetour] = Field(
        default_factory=_empty_list,
        title="Adaptations",
        description="Ce que la reprise a changé, prévu ou non, quand, qui l'a décidé et pourquoi.",
    )
    moyens_reels: Moyens | None = Field(
        None,
        title="Moyens réels",
        description="Ce qui a vraiment été dépensé, par site, écrit comme les moyens du "
        "descripteur (pas mis à l'échelle).",
    )
    financements_obtenus: list[Financement] = Field(
        default_factory=_empty_list,
        title="Financements obtenus",
        description="Les financements que la reprise a obtenus.",
    )
    prerequis: list[PrerequisRetour] = Field(
        default_factory=_empty_list,
        title="Prérequis",
        description="Pour les prérequis du descripteur : confirmé, pas nécessaire ou insuffisant.",
    )
    resultats: list[Resultat] = Field(
        default_factory=_empty_list,
        title="Résultats",
        description="Les résultats mesurés sur ce territoire.",
    )
    difficultes: Markdown | None = Field(
        None, title="Difficultés", description="Ce qui a été difficile (Markdown)."
    )
    conseils: Markdown | None = Field(
        None, title="Conseils", description="Les conseils aux repreneurs suivants (Markdown)."
    )
    contact: Contact | None = Field(
        None,
        title="Contact",
        description="À qui s'adresser : un rôle, une structure et une adresse professionnelle.",
    )

    @model_validator(mode="after")
    @_guarded
    def _territory_or_profile(self) -> "Retour":
        if (self.territoire is None) == (self.profil is None):
            raise PydanticCustomError(
                "territoire_ou_profil",
                "un retour désigne son territoire par « territoire » ou par « profil » (le "
                "chemin d'un profil du dépôt), l'un des deux exactement",
            )
        return self


class FichierRetour(Modele):
    """A take-over report file: the format version and the report."""

    model_config = _doc("Fichier de retour", "Un retour d'essaimage.")

    essaimage: Version = Field(title="Version du format", description="Toujours 1.", examples=[1])
    retour: Retour = Field(title="Retour", description="Le retour d'essaimage.")


def is_retour(data: dict[str, Any]) -> bool:
    """A file is a take-over report when it has `retour:` and no `coeur:` at its root."""
    return "retour" in data and "coeur" not in data


def model_for(data: object) -> type[BaseModel]:
    """The model a file's data is checked against, detected from its root keys: a profile, a
    plan, a take-over report, else an innovation descriptor."""
    if isinstance(data, dict):
        if is_profile(data):
            return Profil
        if is_plan(data):
            return FichierPlan
        if is_retour(data):
            return FichierRetour
    return Innovation


def is_plan(data: dict[str, Any]) -> bool:
    """A file is a scale-up plan when it has `plan:` and neither `coeur:` nor `territoire:`."""
    return "plan" in data and "coeur" not in data and "territoire" not in data


def is_profile(data: dict[str, Any]) -> bool:
    """A file is a territory profile when it has `territoire:` and no `coeur:` at its root."""
    return "territoire" in data and "coeur" not in data


# --- reading means and choices (the format's shapes, for every layer above) ------------


def means_lines(moyens: MoyensAjoutes) -> list[MoyenHumain | MoyenFinancier | MoyenMateriel]:
    """Every human, financial and material line of these means, in that order."""
    out: list[MoyenHumain | MoyenFinancier | MoyenMateriel] = []
    out += moyens.humains
    out += moyens.financiers
    out += moyens.materiels
    return out


def line_label(item: MoyenHumain | MoyenFinancier | MoyenMateriel) -> str:
    """The name a `retire` uses for a means line: its role, poste or element."""
    fields = item.__dict__  # a missing attribute of a model is slow to ask for (an exception)
    for attribute in ("role", "poste", "element"):
        value = fields.get(attribute)
        if isinstance(value, str):
            return value
    raise TypeError(type(item).__name__)


def per_year(amount: float, periodicite: str | None) -> float:
    """An amount as counted in a yearly budget: a monthly amount is paid twelve times."""
    return amount * 12 if periodicite == "mensuel" else amount


def as_compared(line: MoyenFinancier) -> tuple[float, bool]:
    """A money line's amount as two lines are compared (a take-over's real one and the
    descriptor's): per year and True when it recurs (`annuel`, `mensuel`), else as written and
    False (`unique`, or no periodicity: once, as the kit's budget counts it)."""
    recurring = line.periodicite in ("annuel", "mensuel")
    return (per_year(line.montant, line.periodicite) if recurring else line.montant), recurring


def choice_items(value: str | list[ChoixSites]) -> list[tuple[str, int | None]]:
    """(option text, its sites or None for all) for each part of a choice."""
    if isinstance(value, str):
        return [(value, None)]
    return [(item.option, item.sites) for item in value]
