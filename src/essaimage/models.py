"""Pydantic models of format v1: the innovation descriptor and the territory profile.

Field names are the French keys of `format-v1.md`. The loader gives every scalar as text; the
annotated types below read it (French numbers, oui/non, dates, the `par` base) before pydantic
checks types and bounds. Unknown keys are errors everywhere.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Union

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

from . import catalogue, scalars
from .scalars import Base

# --- enumerations ----------------------------------------------------------------------------

SECTEURS = (
    "agriculture", "alimentation", "citoyennete", "culture", "economie", "education", "emploi",
    "environnement", "handicap", "inclusion-numerique", "jeunesse", "logement", "mobilite",
    "sante", "securite", "seniors", "social", "sport", "autre",
)  # fmt: skip
MATURITES = ("experimentation", "prototype", "deployable", "essaimee", "generalisee")
MODELES = ("souple", "franchise", "centralise", "libre")
TYPES_TERRITOIRE = ("commune", "epci", "departement", "region", "national", "autre")
OFFICIAL_TYPES = ("commune", "epci", "departement", "region")  # the types of the reference
TYPES_STRUCTURE = (
    "collectivite", "etat", "etablissement-public", "association", "entreprise", "autre",
)  # fmt: skip
NATURES_RESULTAT = ("resultat", "activite")
ROLES_ACTEUR = (
    "financeur", "prescripteur", "facilitateur", "operateur", "regulateur", "parrain",
)  # fmt: skip
NATURES_INDICATEUR = ("resultat", "activite", "fidelite")
TYPES_RESSOURCE = ("guide", "outil", "modele", "formation", "video", "autre")
NATURES_FINANCE = ("investissement", "fonctionnement")
PERIODICITES = ("unique", "annuel", "mensuel")


def _enum(*values: str):
    return Annotated[Literal[values], BeforeValidator(scalars.one_of(*values))]


# --- scalar types ----------------------------------------------------------------------------

Texte = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Markdown = Texte
Nombre = Annotated[Union[int, float], BeforeValidator(scalars.to_number)]
NombrePositif = Annotated[Union[int, float], BeforeValidator(scalars.to_number), Field(gt=0)]
NombrePositifOuNul = Annotated[Union[int, float], BeforeValidator(scalars.to_number), Field(ge=0)]
Entier = Annotated[int, BeforeValidator(scalars.to_integer)]
EntierPositifOuNul = Annotated[int, BeforeValidator(scalars.to_integer), Field(ge=0)]
Booleen = Annotated[bool, BeforeValidator(scalars.to_boolean)]
Date = Annotated[dt.date, BeforeValidator(scalars.to_date)]
AnneeOuDate = Annotated[Union[dt.date, int], BeforeValidator(scalars.to_year_or_date)]
Lien = Annotated[str, BeforeValidator(scalars.to_link)]
Courriel = Annotated[str, BeforeValidator(scalars.to_email)]
Slug = Annotated[str, BeforeValidator(scalars.to_slug), StringConstraints(max_length=64)]
Spdx = Annotated[str, BeforeValidator(scalars.to_spdx)]
Par = Annotated[Base, BeforeValidator(scalars.to_base)]
Valeur = Annotated[Union[int, float, Texte], BeforeValidator(scalars.to_number_or_text)]


def _rule_code(value):
    problem = catalogue.rule_code_problem(value) if isinstance(value, str) else None
    if problem:
        raise PydanticCustomError("choix", problem.replace("{", "{{").replace("}", "}}"))
    return value


CodeRegle = Annotated[str, BeforeValidator(_rule_code)]
NiveauRegle = _enum("erreur", "avertissement", "info", "ignorer")
Regles = dict[CodeRegle, NiveauRegle]

Secteur = _enum(*SECTEURS)
TypeTerritoire = _enum(*TYPES_TERRITOIRE)
TypeStructure = _enum(*TYPES_STRUCTURE)


class Modele(BaseModel):
    """Base of every model: unknown keys are errors, text is stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=False)


# --- shared sub-types ------------------------------------------------------------------------


class Territoire(Modele):
    """A territory named in a descriptor (origin, earlier take-overs)."""

    nom: Texte
    code_insee: Texte | None = None
    type: TypeTerritoire | None = None
    population: EntierPositifOuNul | None = None


class Structure(Modele):
    """An organisation."""

    nom: Texte
    type: TypeStructure | None = None
    site: Lien | None = None


class Reference(Modele):
    """A titled link to a source."""

    titre: Texte
    url: Lien | None = None


class Resultat(Modele):
    """One piece of evidence that the innovation has proven itself."""

    indicateur: Texte
    valeur: Valeur
    unite: Texte | None = None
    date: AnneeOuDate | None = None
    nature: _enum(*NATURES_RESULTAT) = "resultat"
    source: Reference | None = None


class ElementCoeur(Modele):
    """A non-negotiable element of the core concept."""

    id: Slug
    titre: Texte
    description: Markdown | None = None
    pourquoi: Texte | None = None


class Marge(Modele):
    """Something a repreneur may adapt, within limits."""

    id: Slug
    titre: Texte
    description: Markdown | None = None
    options: list[Texte] = Field(default_factory=list)
    limites: Texte | None = None
    decideur: Texte | None = None


class MoyenHumain(Modele):
    """People needed."""

    role: Texte
    etp: NombrePositif
    par: Par = Base("site")
    competences: list[Texte] = Field(default_factory=list)
    formation: Texte | None = None


class MoyenFinancier(Modele):
    """Money needed; the periodicity defaults by nature."""

    poste: Texte
    montant: NombrePositifOuNul
    nature: _enum(*NATURES_FINANCE)
    periodicite: _enum(*PERIODICITES) | None = None
    par: Par = Base("site")
    financeurs: list[Texte] = Field(default_factory=list)

    @model_validator(mode="after")
    def _default_periodicity(self):
        if self.periodicite is None:
            self.periodicite = "unique" if self.nature == "investissement" else "annuel"
        return self


class MoyenMateriel(Modele):
    """Equipment needed."""

    element: Texte
    quantite: NombrePositif = 1
    par: Par = Base("site")
    description: Texte | None = None


class Partenaire(Modele):
    """A partner needed to run the innovation."""

    acteur: Texte
    role: Texte
    indispensable: Booleen | None = None


class Moyens(Modele):
    """The means needed: people, money, equipment, partners and launch delay."""

    humains: list[MoyenHumain] = Field(default_factory=list)
    financiers: list[MoyenFinancier] = Field(default_factory=list)
    materiels: list[MoyenMateriel] = Field(default_factory=list)
    partenaires: list[Partenaire] = Field(default_factory=list)
    delai_lancement_mois: NombrePositifOuNul | None = None

    def is_empty(self) -> bool:
        """True when no list holds an item."""
        return not (self.humains or self.financiers or self.materiels or self.partenaires)


class MoyensRequis(Moyens):
    """The full means of a descriptor: at least one item in one of the lists."""

    @model_validator(mode="after")
    def _not_empty(self):
        if self.is_empty():
            raise PydanticCustomError(
                "moyens_vides",
                "« moyens » ne décrit aucun moyen : indiquez au moins un élément dans "
                "humains, financiers, materiels ou partenaires",
            )
        return self


class ModeDegrade(Modele):
    """The minimal version when means are short."""

    description: Markdown | None = None
    renoncements: list[Texte] = Field(default_factory=list)
    moyens: Moyens | None = None


class Prerequis(Modele):
    """A condition in the receiving territory."""

    description: Texte
    population_min: EntierPositifOuNul | None = None
    population_max: EntierPositifOuNul | None = None
    types_territoire: list[TypeTerritoire] = Field(default_factory=list)

    @model_validator(mode="after")
    def _bounds_in_order(self):
        low, high = self.population_min, self.population_max
        if low is not None and high is not None and low > high:
            raise PydanticCustomError(
                "bornes",
                f"population_min ({low}) est plus grand que population_max ({high})",
            )
        return self


class ActeurPublic(Modele):
    """A public actor and its structuring role."""

    acteur: Texte
    role: _enum(*ROLES_ACTEUR) | None = None
    description: Texte | None = None


class Dependance(Modele):
    """What still depends on the original carrier, and how that is removed."""

    element: Texte
    attenuation: Texte | None = None


class Etape(Modele):
    """A step of the deployment roadmap."""

    titre: Texte
    duree_mois: NombrePositif | None = None
    description: Markdown | None = None
    responsable: Texte | None = None
    livrables: list[Texte] = Field(default_factory=list)


class Indicateur(Modele):
    """An evaluation or fidelity indicator."""

    nom: Texte
    nature: _enum(*NATURES_INDICATEUR) | None = None
    definition: Texte | None = None
    cible: Texte | None = None
    frequence: Texte | None = None
    source: Texte | None = None


class Risque(Modele):
    """A risk or pitfall, and how to prevent it."""

    risque: Texte
    prevention: Texte | None = None


class CadreJuridique(Modele):
    """The legal framework."""

    description: Markdown | None = None
    references: list[Reference] = Field(default_factory=list)


class Ressource(Modele):
    """Material for the repreneur: a web link or a file beside the descriptor."""

    titre: Texte
    url: Lien | None = None
    chemin: Texte | None = None
    type: _enum(*TYPES_RESSOURCE) | None = None
    licence: Spdx | None = None


class Adaptation(Modele):
    """What an earlier take-over changed within a marge."""

    marge: Slug
    choix: Texte | None = None
    raison: Texte | None = None


class Essaimage(Modele):
    """An earlier take-over."""

    territoire: Territoire
    depuis: AnneeOuDate | None = None
    porteur: Texte | None = None
    adaptations: list[Adaptation] = Field(default_factory=list)
    retour: Markdown | None = None


class Contact(Modele):
    """Who to contact."""

    role: Texte
    nom: Texte | None = None
    structure: Texte | None = None
    courriel: Courriel | None = None
    telephone: Texte | None = None


class Transposition(Modele):
    """An idea to transpose the innovation to another sector."""

    secteur: Secteur
    piste: Texte


class Origine(Modele):
    """Where the innovation was proven."""

    territoire: Territoire
    porteur: Structure
    depuis: AnneeOuDate | None = None


# --- the innovation descriptor ---------------------------------------------------------------


class Innovation(Modele):
    """An innovation descriptor (format v1)."""

    essaimage: Annotated[Literal[1], BeforeValidator(scalars.to_version)]
    id: Annotated[Slug, StringConstraints(min_length=3, max_length=64)]
    nom: Annotated[Texte, StringConstraints(min_length=3, max_length=120)]
    accroche: Annotated[Texte, StringConstraints(min_length=10, max_length=280)]
    secteurs: list[Secteur] = Field(default_factory=list)
    transpositions: list[Transposition] = Field(default_factory=list)
    maturite: _enum(*MATURITES) | None = None
    modele_essaimage: _enum(*MODELES) | None = None
    licence: Spdx | None = None
    mis_a_jour: Date | None = None
    origine: Origine
    probleme: Markdown
    solution: Markdown
    public_cible: list[Texte] = Field(default_factory=list)
    pourquoi_ca_marche: Markdown | None = None
    resultats: list[Resultat] = Field(default_factory=list)
    coeur: Annotated[list[ElementCoeur], Field(min_length=1)]
    marges: list[Marge]
    mode_degrade: ModeDegrade | None = None
    moyens: MoyensRequis
    prerequis: list[Prerequis] = Field(default_factory=list)
    acteurs_publics: list[ActeurPublic] = Field(default_factory=list)
    dependances: list[Dependance] = Field(default_factory=list)
    etapes: list[Etape] = Field(default_factory=list)
    indicateurs: list[Indicateur] = Field(default_factory=list)
    risques: list[Risque] = Field(default_factory=list)
    cadre_juridique: CadreJuridique | None = None
    ressources: list[Ressource] = Field(default_factory=list)
    essaimages: list[Essaimage] = Field(default_factory=list)
    contacts: list[Contact] = Field(default_factory=list)
    regles: Regles = Field(default_factory=dict)


# --- the territory profile -------------------------------------------------------------------


class TerritoireProfil(Territoire):
    """The receiving territory: `nom` may be left out when `code_insee` and `type` are given."""

    nom: Texte | None = None

    @model_validator(mode="after")
    def _identified(self):
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

    role: Texte | None = None
    nom: Texte | None = None
    courriel: Courriel | None = None
    telephone: Texte | None = None


class Porteur(Modele):
    """The repreneur organisation."""

    nom: Texte
    type: TypeStructure | None = None
    contact: ContactProfil | None = None


class PartenaireLocal(Modele):
    """A local partner of the repreneur."""

    acteur: Texte
    role: Texte | None = None


class Projet(Modele):
    """A territory's plan for one innovation."""

    debut: Date | None = None
    beneficiaires: Annotated[int, BeforeValidator(scalars.to_integer), Field(gt=0)] | None = None
    choix: dict[Slug, Texte] = Field(default_factory=dict)
    notes: Markdown | None = None


class Profil(Modele):
    """A territory profile (format v1)."""

    essaimage: Annotated[Literal[1], BeforeValidator(scalars.to_version)]
    territoire: TerritoireProfil
    contexte: Markdown | None = None
    porteur: Porteur | None = None
    partenaires: list[PartenaireLocal] = Field(default_factory=list)
    projets: dict[Slug, Projet] = Field(default_factory=dict)


def _one_or_many(value):
    """A single text where a list of texts is accepted."""
    return [value] if isinstance(value, str) else value


Chemins = Annotated[list[Texte], BeforeValidator(_one_or_many)]


class ReglesParChemin(Modele):
    """Rule severities for the files matching some globs."""

    chemins: Chemins
    regles: Regles


class Configuration(Modele):
    """The repository configuration, `essaimage.yaml` at the repository root."""

    essaimage: Annotated[Literal[1], BeforeValidator(scalars.to_version)]
    innovations: Chemins = Field(default_factory=lambda: ["innovations"])
    territoires: Chemins = Field(default_factory=lambda: ["territoires"])
    site: Texte = "public"
    exclure: Chemins = Field(default_factory=list)
    gabarits: Texte | None = None
    regles: Regles = Field(default_factory=dict)
    regles_par_chemin: list[ReglesParChemin] = Field(default_factory=list)


def is_profile(data: dict) -> bool:
    """A file is a territory profile when it has `territoire:` and no `coeur:` at its root."""
    return "territoire" in data and "coeur" not in data
