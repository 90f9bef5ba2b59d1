"""What a template sees: plain, frozen data made from a kit, a catalogue page or a plan.

A repository's own templates (`gabarits`) are hostile input. They never receive the objects
essaimage computes with (Pydantic models, dataclasses, paths, functions), only what this module
makes of them, the same for the package's templates and a repository's (one can include the
other):

- `Record`: a read-only mapping whose keys are also attributes (`kit.budget.annees`), for what
  the code names (a model's fields, a kit's parts);
- `types.MappingProxyType`: a read-only table whose keys are data (ids, statuses, funders);
- tuples for lists; `str`, `int`, `float`, `bool`, `None`; `datetime.date`.

Everything the templates computed by calling a method or a function (`cout_personne(p)`,
`g.option_names()`, `p.total("cout_sites")`…) is computed here once, as a value of the tree.
`docs/gabarits.md` lists the tree (`reference`); a test checks it against the code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel

from ..check import rules
from ..findings import Finding
from ..format import vocabulary
from ..format.models import Financement, Innovation, Marge, MoyensAjoutes
from ..format.scalars import Base
from ..kit import funding, means, reprises
from ..kit.budget import Annee, Budget, Personne
from ..kit.choices import Changement
from ..kit.prepare import SECTIONS, AccompagnementPlan, EtapeDatee, Kit, Section
from ..kit.prerequisites import Verdict
from ..kit.reprises import Reprises
from ..kit.size import Taille
from ..kit.target import Cible
from ..plan.compute import AnneePlan, PlanCalcule, SitePlan, Vague
from ..territories.cog import SOURCE, TerritoireOfficiel
from ..text.french import NomPropre
from ..version import __version__
from . import phrases
from .checklist import avant_engagement
from .glossary import glossary


class Record(Mapping[str, Any]):
    """A read-only mapping whose keys are also attributes: `kit.budget.annees`.

    The keys live in the instance's `__dict__`, so that Jinja reads an attribute at the speed of
    any object's; a Record is always true, like the object it stands for."""

    def __init__(self, items: dict[str, Any]) -> None:
        object.__setattr__(self, "__dict__", items)

    def __getitem__(self, key: str) -> Any:
        return self.__dict__[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.__dict__)

    def __len__(self) -> int:
        return len(self.__dict__)

    def __contains__(self, key: object) -> bool:
        return key in self.__dict__

    def __bool__(self) -> bool:
        return True

    def __setattr__(self, name: str, value: object) -> None:
        raise TypeError("données en lecture seule")

    def __delattr__(self, name: str) -> None:
        raise TypeError("données en lecture seule")

    def __repr__(self) -> str:
        return f"Record({self.__dict__!r})"

    if TYPE_CHECKING:  # for mypy only: a key read as an attribute

        def __getattr__(self, name: str) -> Any: ...


PLAIN_TYPES = (Record, MappingProxyType, tuple, str, int, float, bool, type(None), dt.date)
"""Every type a template's data is made of."""

_AS_IS = frozenset({str, int, float, bool, type(None), dt.date})


def _record(**items: Any) -> Record:
    return Record(items)


# --- what each kind of object shows ---------------------------------------------------------

# Computed keys, by type (and the types deriving from it): what the templates used to ask a
# method, a property or a function of `phrases` for.
_EXTRAS: dict[type, dict[str, Callable[[Any], Any]]] = {
    Marge: {"noms_options": Marge.option_names},
    MoyensAjoutes: {"libelles": phrases.libelles_moyens},
    Financement: {"termes": funding.terms_text},
    Base: {"libelle": means.base_label},
    Annee: {"total": lambda a: a.total, "en": lambda a: a.en},
    Budget: {
        "total_annee_1": lambda b: b.total_annee_1,
        "total_3_ans": lambda b: b.total_3_ans,
        "cout_preparation": lambda b: b.cout_preparation,
    },
    Personne: {"paye": lambda p: p.paye, "cout_texte": phrases.cout_personne},
    means.MoyensCalcules: {"vide": lambda m: m.vide},
    Verdict: {"libelle": lambda v: v.libelle},
    rules.Indice: {"total": lambda i: i.total},
    funding.Versement: {"total": lambda v: v.total},
    AccompagnementPlan: {"valeur": lambda a: a.valeur},
    funding.PlanFinancement: {
        "origine_texte": phrases.origine_financement,
        "financeurs": lambda p: p.financeurs,
        "apports": lambda p: p.apports,
    },
    NomPropre: {
        "le": lambda n: n.le,
        "sujet": lambda n: n.sujet,
        "de": lambda n: n.de,
        "pour": lambda n: n.pour,
    },
    Cible: {"nom_propre": lambda c: c.nom_propre},
    AnneePlan: {"finance": lambda a: a.finance},
    SitePlan: {"sites": lambda s: s.sites},
    PlanCalcule: {
        "descripteur": lambda p: p.descriptor.path.name,
        "total_sites": lambda p: p.total_sites,
        "population": lambda p: p.population,
        "beneficiaires": lambda p: p.beneficiaires,
        "calendrier": lambda p: p.calendrier,
        "incomplet": lambda p: p.incomplet,
        "trois_ans": lambda p: p.trois_ans,
        "sur_3_ans": lambda p: _record(
            cout_sites=p.total("cout_sites"),
            accompagnement=p.total("accompagnement"),
            reste_territoires=p.total("reste_territoires"),
            financeurs=MappingProxyType({name: p.par_financeur(name) for name in p.financeurs}),
        ),
    },
}

# Fields left out, by type: what only the code needs (positions, file contents, the checked
# file, an enumeration of levels).
_HIDDEN: dict[type, frozenset[str]] = {
    Cible: frozenset({"document"}),
    Finding: frozenset({"file", "line", "column", "path", "severity", "hint"}),
    NomPropre: frozenset({"liaison", "article_dans_le_nom"}),
    TerritoireOfficiel: frozenset({"liaison", "lien", "parent", "codes_postaux", "siren"}),
    Kit: frozenset({"fichiers_fournis"}),  # the copies' sources: paths on this machine
    PlanCalcule: frozenset({"descriptor"}),
    SitePlan: frozenset({"kit"}),  # made by `kit`, with its sentences
}

# Fields shown otherwise than as they are: a path as the file name the kits print.
_AS: dict[tuple[type, str], Callable[[Any], Any]] = {
    (Cible, "fichier"): lambda path: path.name if path is not None else None,
}

_DATACLASSES = (
    Kit, Cible, Taille, TerritoireOfficiel, NomPropre, Base, means.Ligne,
    means.MoyensCalcules, Budget, Personne, Annee, funding.PlanFinancement, funding.Versement,
    Changement, Verdict, EtapeDatee, Section, rules.Indice, Finding, PlanCalcule, SitePlan,
    Vague, AnneePlan, AccompagnementPlan, reprises.Reprises, reprises.Reprise, reprises.Arret,
    reprises.FideliteCoeur, reprises.AdaptationsMarge, reprises.ChoixConstate,
    reprises.ChangementCoeur, reprises.AdaptationLibre, reprises.VerdictsPrerequis,
    reprises.MoyenCompare, reprises.Obtenu,
    reprises.ResultatMesure, reprises.TexteReprise, reprises.ContactReprise,
)  # fmt: skip
"""The dataclasses a template may see (any other is refused: nothing new reaches a template
unnoticed)."""


@dataclasses.dataclass(frozen=True)
class _Shape:
    """How one type is turned into a Record: the fields kept, the computed keys."""

    name: str
    fields: tuple[tuple[str, Callable[[Any], Any] | None], ...]  # name, special conversion
    extras: tuple[tuple[str, Callable[[Any], Any]], ...]
    model: bool  # a Pydantic model (its fields read from its __dict__)


_SHAPES: dict[type, _Shape] = {}


def _shape(kind: type) -> _Shape:
    """The shape of a model or of a known dataclass; TypeError for anything else."""
    shape = _SHAPES.get(kind)
    if shape is None:
        shape = _SHAPES[kind] = _new_shape(kind)
    return shape


def _new_shape(kind: type) -> _Shape:
    if issubclass(kind, BaseModel):
        names = tuple(kind.model_fields)
        model = True
    elif kind in _DATACLASSES:
        names = tuple(f.name for f in dataclasses.fields(kind))
        model = False
    else:
        raise TypeError(f"{kind.__name__} n'est pas une donnée de gabarit")
    hidden: frozenset[str] = frozenset()
    extras: dict[str, Callable[[Any], Any]] = {}
    for base in reversed(kind.__mro__):
        hidden |= _HIDDEN.get(base, frozenset())
        extras.update(_EXTRAS.get(base, {}))
    fields = tuple((n, _AS.get((kind, n))) for n in names if n not in hidden)
    for name in [*extras, *names]:
        if name.startswith("_") or hasattr(Record, name):
            raise TypeError(f"{kind.__name__}.{name} ne peut pas être une clé de gabarit")
    return _Shape(kind.__name__, fields, tuple(extras.items()), model)


class _Converter:
    """Turns objects into plain data; a model met twice is one Record (`memo`, and the Records
    of an innovation already converted: `known`)."""

    __slots__ = ("known", "memo")

    def __init__(self, known: Sequence[dict[int, tuple[Any, Record]]] = ()) -> None:
        # id -> (the object, kept alive so that its id is not reused, and its Record)
        self.memo: dict[int, tuple[Any, Record]] = {}
        self.known = known

    def __call__(self, value: Any) -> Any:
        kind = type(value)
        if kind in _AS_IS:
            return value
        if kind is list or kind is tuple:
            return tuple([v if type(v) in _AS_IS else self(v) for v in value])
        if kind is dict:
            return MappingProxyType({_key(k): self(v) for k, v in value.items()})
        if kind is Record or kind is MappingProxyType:  # made here: plain already
            return value
        if isinstance(value, str):  # a str subclass: its text
            return str.__str__(value)
        if isinstance(value, BaseModel):
            key = id(value)
            found = self.memo.get(key)
            if found is None:
                for table in self.known:
                    found = table.get(key)
                    if found is not None:
                        break
                else:
                    found = (value, self.record(value))
                    self.memo[key] = found
            return found[1]
        return self.record(value)

    def record(self, value: Any) -> Record:
        """The Record of a model or of a known dataclass."""
        shape = _shape(type(value))
        if shape.model:
            source = value.__dict__
            items = {
                name: self(source[name]) if special is None else special(source[name])
                for name, special in shape.fields
            }
        else:
            items = {
                name: self(getattr(value, name))
                if special is None
                else special(getattr(value, name))
                for name, special in shape.fields
            }
        for name, compute in shape.extras:
            items[name] = self(compute(value))
        return Record(items)


def _key(key: object) -> str:
    if not isinstance(key, str):
        raise TypeError(f"clé {type(key).__name__} dans une donnée de gabarit")
    return key


def plain(value: Any) -> Any:
    """Any value a template may show, as plain frozen data."""
    return _Converter()(value)


# --- innovations: converted once for all their kits -----------------------------------------

_INNOVATIONS: OrderedDict[int, tuple[Innovation, Record, dict[int, tuple[Any, Record]]]] = (
    OrderedDict()
)
_KEPT = 4  # innovations remembered (a site makes the kits of one descriptor in a row)


def _innovation(innovation: Innovation) -> tuple[Record, dict[int, tuple[Any, Record]]]:
    """The Record of a descriptor, and those of its parts, made once for all its kits."""
    entry = _INNOVATIONS.get(id(innovation))
    if entry is not None and entry[0] is innovation:
        _INNOVATIONS.move_to_end(id(innovation))
        return entry[1], entry[2]
    converter = _Converter()
    record = converter(innovation)
    _INNOVATIONS[id(innovation)] = (innovation, record, converter.memo)
    while len(_INNOVATIONS) > _KEPT:
        _INNOVATIONS.popitem(last=False)
    return record, converter.memo


def innovation(model: Innovation) -> Record:
    """A descriptor as a template sees it (`i`)."""
    return _innovation(model)[0]


# --- kits ----------------------------------------------------------------------------------


def kit(value: Kit) -> Record:
    """Everything one kit shows (`kit`), its innovation (`kit.innovation`, `i`) and territory
    (`kit.cible`, `c`) as plain data, with the sentences both views print (`kit.phrases`)."""
    record_i, known = _innovation(value.innovation)
    convert = _Converter([known])
    items = {name: convert(getattr(value, name)) for name, _ in _shape(Kit).fields}
    items["innovation"] = record_i
    beneficiaires = value.taille.beneficiaires
    for name, budget in (("budget", value.budget), ("degrade_budget", value.degrade_budget)):
        if budget is not None:
            items[name] = Record(
                {
                    **items[name],
                    "cout_par_beneficiaire": budget.cout_par_beneficiaire(beneficiaires),
                }
            )
    items["contact_joignable"] = convert(phrases.contact_joignable(value))
    items["phrases"] = _kit_phrases(value)
    return Record(items)


def _kit_phrases(value: Kit) -> Record:
    """The sentences of `phrases` for this kit (None where the kit shows none)."""
    mode = value.innovation.mode_degrade
    return _record(
        projet_resume=phrases.projet_resume(value),
        cout_resume=phrases.cout_resume(value),
        reste_resume=phrases.reste_resume(value),
        equipe=phrases.equipe(value),
        prerequis_resume=phrases.prerequis_resume(value),
        niveau_preuve=phrases.niveau_preuve(value.innovation, value.reprises),
        contact_local=phrases.contact_local(value),
        indice_resume=phrases.indice_resume(value),
        methode_budget=phrases.methode_budget(value),
        accompagnement_plan=phrases.accompagnement_plan(value),
        reperes_budget=tuple(phrases.reperes_budget(value)),
        alertes_financement=tuple(phrases.alertes_financement(value)),
        sans_financement=phrases.sans_financement(value),
        methode_supplementaire=phrases.methode_supplementaire(value)
        if value.supplementaire is not None
        else None,
        budget_incomplet=phrases.budget_incomplet(value) if value.budget.incomplet else None,
        coeur_en_mode_degrade=phrases.coeur_en_mode_degrade(value),
        cout_degrade=phrases.cout_degrade(value) if value.degrade_budget is not None else None,
        renoncements=tuple(phrases.renoncement(value, r) for r in mode.renoncements)
        if mode is not None
        else (),
        avant_engagement=tuple(checklist := avant_engagement(value)),
        glossaire=tuple(glossary(value, checklist)),
    )


def kit_context(value: Kit, document: str = "") -> dict[str, Any]:
    """The names a kit template is rendered with: `kit`, `i`, `c`, `document`."""
    record = kit(value)
    return {"kit": record, "i": record.innovation, "c": record.cible, "document": document}


# --- the catalogue site --------------------------------------------------------------------


class FicheLike(Protocol):
    """What the site knows of one innovation (`site.Fiche`)."""

    @property
    def innovation(self) -> Innovation: ...
    @property
    def indice(self) -> rules.Indice | None: ...
    @property
    def fichier(self) -> str: ...
    @property
    def territoires(self) -> list[str]: ...
    @property
    def texte(self) -> str: ...

    @property
    def reprises(self) -> Reprises | None: ...

    kits: list[tuple[Cible, str]]
    plans: list[tuple[str, str]]


def fiche(value: FicheLike) -> Record:
    """One innovation of the catalogue (`f`): its descriptor, score, file name, territories,
    the text the filter searches, its kits (territory, link) and plans (name, link)."""
    convert = _Converter([_innovation(value.innovation)[1]])
    return _record(
        innovation=innovation(value.innovation),
        indice=convert(value.indice),
        fichier=value.fichier,
        territoires=tuple(value.territoires),
        reprises=convert(value.reprises),
        texte=value.texte,
        kits=tuple((convert(cible), link) for cible, link in value.kits),
        plans=tuple((name, link) for name, link in value.plans),
    )


def index_context(
    fiches: Sequence[Record],
    secteurs: Sequence[str],
    secteur: str | None,
    racine: str,
    plans: Sequence[Record],
    donnees: Mapping[str, str] | None,
    territoires: Sequence[tuple[str, str]] = (),
) -> dict[str, Any]:
    """The names the catalogue's index (`site_index.html.j2`) is rendered with."""
    return {
        "territoires": tuple(territoires),
        "fiches": tuple(fiches),
        "secteurs": tuple(secteurs),
        "secteur": secteur,
        "racine": racine,
        "plans": tuple(plans),
        "donnees": MappingProxyType(dict(donnees)) if donnees is not None else None,
    }


def territory_page_context(
    cible: Cible,
    entrees: Sequence[Mapping[str, Any]],
    kits: Mapping[str, str],
    racine: str,
    fichier: str,
) -> dict[str, Any]:
    """The names a territory's page (`site_territoire.html.j2`) is rendered with: its
    innovations ranked as `essaimage catalogue --territoire` ranks them (the JSON's records)."""
    return {
        "c": plain(cible),
        "entrees": plain(list(entrees)),
        "kits": MappingProxyType(dict(kits)),
        "racine": racine,
        "fichier": fichier,
    }


def innovation_page_context(record: Record, racine: str, avec_pdf: bool) -> dict[str, Any]:
    """The names an innovation's page (`site_innovation.html.j2`) is rendered with."""
    return {"f": record, "i": record.innovation, "racine": racine, "avec_pdf": avec_pdf}


# --- plans ---------------------------------------------------------------------------------


_PLANS: OrderedDict[int, tuple[PlanCalcule, Record]] = OrderedDict()


def plan(computed: PlanCalcule) -> Record:
    """A computed plan (`p`): its settings (`p.plan`), innovation, sites with their kits, waves,
    years, and the sums over three years (`p.sur_3_ans`). Made once for all its documents."""
    entry = _PLANS.get(id(computed))
    if entry is not None and entry[0] is computed:
        return entry[1]
    record_i, known = _innovation(computed.innovation)
    convert = _Converter([known])
    shape = _shape(PlanCalcule)
    items = {name: convert(getattr(computed, name)) for name, _ in shape.fields if name != "sites"}
    items["innovation"] = record_i
    items["sites"] = tuple(
        Record({**convert(site), "kit": kit(site.kit)}) for site in computed.sites
    )
    for name, compute in shape.extras:
        items[name] = convert(compute(computed))
    record = Record(items)
    _PLANS[id(computed)] = (computed, record)
    while len(_PLANS) > 4:
        _PLANS.popitem(last=False)
    return record


def plan_context(
    computed: PlanCalcule | Record, liens: Mapping[str, str], document: str = ""
) -> dict[str, Any]:
    """The names a plan document is rendered with: `p`, `plan`, `i`, `liens`, `document`."""
    record = computed if isinstance(computed, Record) else plan(computed)
    return {
        "p": record,
        "plan": record.plan,
        "i": record.innovation,
        "liens": MappingProxyType(dict(liens)),
        "document": document,
    }


# --- the names every template has ----------------------------------------------------------


@functools.cache
def template_globals() -> Mapping[str, Any]:
    """The constants every template can read: the French labels of the format's values, the
    kit's sections, the version and the source of the territories."""
    labels = {
        name: getattr(vocabulary, name)
        for name in (
            "TYPES_TERRITOIRE", "MATURITES", "MODELES", "MODELES_EXPLICATIONS", "ROLES_ACTEUR",
            "TYPES_STRUCTURE", "NATURES_RESULTAT", "NATURES_INDICATEUR", "NATURES_FINANCE",
            "NATURES_FINANCEMENT", "STATUTS", "TYPES_RESSOURCE", "SECTEURS", "PHASES",
        )
    }  # fmt: skip
    constants: dict[str, Any] = {
        **labels,
        "EQUIPES": phrases.EQUIPES,
        "MARQUES": {"rempli": "oui", "non-rempli": "non", "a-verifier": "?"},
        "sections": SECTIONS,
        "version": __version__,
        "source_cog": SOURCE,
    }
    return MappingProxyType({name: plain(value) for name, value in constants.items()})


# --- the reference of docs/gabarits.md -----------------------------------------------------

# What each computed key holds, for the reference (every key of _EXTRAS has its line).
_EXTRA_DOCS: dict[str, str] = {
    "Marge.noms_options": "liste de textes : les noms de ses options",
    "MoyensAjoutes.libelles": "liste de textes : les rôles, postes, éléments et partenaires",
    "Financement.termes": "texte : ce qu'il verse, en mots (« 30 % de l'investissement »)",
    "Base.libelle": "texte : la base en mots (« site », « 10 000 habitants »)",
    "Annee.total": "nombre : investissement et fonctionnement de l'année",
    "Annee.en": "texte : l'année dans une phrase (« en 2027 », « en année 2 »)",
    "Budget.total_annee_1": "nombre : ce que coûte la première année",
    "Budget.total_3_ans": "nombre : ce que coûtent les trois premières années",
    "Budget.cout_preparation": "nombre : ce que coûtent les mois de préparation (personnel et "
    "dépenses des lignes « preparation »), hors investissement",
    "Personne.paye": "oui ou non : le repreneur paie ce temps (salarié, prestation)",
    "Personne.cout_texte": "texte : la case « coût par an » du tableau de l'équipe",
    "MoyensCalcules.vide": "oui ou non : aucun moyen n'est listé",
    "Verdict.libelle": "texte : le verdict en français (« rempli »…)",
    "Indice.total": "nombre : toujours 10",
    "Versement.total": "nombre : les versements des années montrées",
    "AccompagnementPlan.valeur": "nombre ou vide : ce que l'accompagnement coûte au porteur du "
    "plan (ETP × coût d'un ETP × mois ÷ 12)",
    "PlanFinancement.origine_texte": "texte : d'où vient le plan de financement et ce qu'il vaut",
    "PlanFinancement.financeurs": "liste de [Versement](#versement) : les versements des "
    "financeurs, sans l'apport du repreneur",
    "PlanFinancement.apports": "liste de [Versement](#versement) : l'apport prévu du repreneur "
    "(« autofinancement »)",
    "NomPropre.le": "texte : le nom dans une phrase (« l'Ain », « Le Mans »)",
    "NomPropre.sujet": "texte : le nom en début de phrase (« L'Ain »)",
    "NomPropre.de": "texte : après « de » (« de l'Ain », « du Mans »)",
    "NomPropre.pour": "texte : après « pour » (« pour l'Ain »)",
    "Cible.nom_propre": "[NomPropre](#nompropre) : les formes du nom",
    "AnneePlan.finance": "nombre : ce que versent les financeurs cette année",
    "SitePlan.sites": "nombre : les sites de ce territoire",
    "PlanCalcule.descripteur": "texte : le nom du fichier du descripteur",
    "PlanCalcule.total_sites": "nombre : les sites de toutes les cibles",
    "PlanCalcule.population": "nombre : les habitants des périmètres (connus)",
    "PlanCalcule.beneficiaires": "nombre : les bénéficiaires par an prévus",
    "PlanCalcule.calendrier": "texte : les vagues en mots",
    "PlanCalcule.incomplet": "oui ou non : des coûts de sites manquent",
    "PlanCalcule.trois_ans": "texte : les trois premières années du plan (« 2027 à 2029 »)",
    "PlanCalcule.sur_3_ans": "[Sur3Ans](#sur3ans) : les sommes des trois premières années",
}

# Keys that are not fields nor in _EXTRAS: added by `kit`, `plan` and `fiche`.
_MADE_DOCS: dict[str, dict[str, str]] = {
    "Kit": {
        "phrases": "[Phrases](#phrases) : les phrases que les deux vues du kit impriment",
        "contact_joignable": "[Contact du repreneur](champs.md#contact-du-repreneur) ou vide : "
        "le courriel et le téléphone du contact local",
    },
    "Budget": {
        "cout_par_beneficiaire": "nombre ou vide : une année pleine de fonctionnement (hors "
        "investissement ponctuel) par bénéficiaire prévu",
    },
    "SitePlan": {"kit": "[Kit](#kit) : le kit de ce territoire, à la date de sa vague"},
}

_RECORDS_MADE: dict[str, dict[str, str]] = {
    "Phrases": {
        "projet_resume": "texte : sites, bénéficiaires et début du projet",
        "cout_resume": "texte : le coût de la première année et sur 3 ans",
        "reste_resume": "texte : le reste à charge",
        "equipe": "texte : l'équipe par statut",
        "prerequis_resume": "texte : les prérequis non remplis, puis à vérifier",
        "niveau_preuve": "texte : la force des preuves (celles de la fiche, puis les reprises "
        "qui ont mesuré des résultats)",
        "contact_local": "texte : qui appeler sur le territoire",
        "indice_resume": "texte : l'indice de déployabilité et ce qu'il mesure",
        "methode_budget": "texte : comment le budget est étalé dans le temps",
        "reperes_budget": "liste de textes : les repères sous le budget (première année, "
        "3 ans, préparation, année pleine, coût par bénéficiaire)",
        "alertes_financement": "liste de textes : les plafonds appliqués et les financements "
        "qui dépassent le coût",
        "sans_financement": "texte : ce que dit le kit quand aucun plan de financement n'est "
        "proposé",
        "methode_supplementaire": "texte ou vide : ce qui est déjà en place et n'est pas compté "
        "dans le coût supplémentaire",
        "accompagnement_plan": "texte ou vide : l'accompagnement que le porteur d'un plan donne "
        "à ce territoire, et sa valeur",
        "budget_incomplet": "texte ou vide : pourquoi les montants sont des minimums",
        "coeur_en_mode_degrade": "texte : si la version minimale garde le cœur",
        "cout_degrade": "texte ou vide : le coût de la version minimale",
        "renoncements": "liste de textes : chaque renoncement du mode dégradé, en mots",
        "glossaire": "liste de paires (terme, explication) : les mots de la méthode et les "
        "sigles que le kit emploie",
        "avant_engagement": "liste de textes : les points à vérifier avant de s'engager "
        "(portage, référent, budget, prérequis, partenaires, dépendances, décisions, données)",
    },
    "EntreeCatalogue": {
        "rang": "nombre : la place (1, 2…)",
        "raison_du_rang": "texte : pourquoi cette place",
        "id": "texte : l'identifiant de l'innovation",
        "nom": "texte : son nom",
        "prerequis": "liste de tables (description, verdict, statut, raison)",
        "cout_annee_1": "nombre : le coût de la première année pour le territoire",
        "cout_3_ans": "nombre : le coût des trois premières années",
        "couts_incomplets": "oui ou non : des coûts n'ont pas pu être chiffrés",
        "reste_a_charge": "table (annee_1, 3_ans) : ce qui reste au territoire",
        "reprises": "nombre : les reprises connues",
        "reprise_la_plus_proche": "table (territoire, type, population, porteur, sites, depuis, "
        "statut) ou vide",
        "autres": "les autres clés de la sortie JSON d'essaimage catalogue (docs/formats.md)",
    },
    "Sur3Ans": {
        "cout_sites": "nombre : le coût des sites",
        "accompagnement": "nombre : le coût de l'accompagnement",
        "reste_territoires": "nombre : le reste à charge des territoires",
        "financeurs": "table : financeur → ce qu'il verse",
    },
    "Fiche": {
        "innovation": "[Descripteur d'innovation](champs.md#descripteur-dinnovation)",
        "indice": "[Indice](#indice) ou vide : l'indice de déployabilité",
        "fichier": "texte : le nom du fichier du descripteur",
        "territoires": "liste de textes : les reprises, puis les territoires qui la prévoient",
        "reprises": "[Reprises](#reprises) ou vide : ce que disent les reprises (par ordre "
        "alphabétique : la page n'a pas de territoire receveur)",
        "texte": "texte : ce que cherche le filtre du catalogue, en minuscules",
        "kits": "liste de paires ([Cible](#cible), lien relatif du kit HTML)",
        "plans": "liste de paires (nom du plan, lien relatif de son document)",
    },
}

TEMPLATE_NAMES: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "kit.md.j2, kit.html.j2 et sections/*",
        (
            ("kit", "[Kit](#kit)"),
            ("i", "la même chose que `kit.innovation`"),
            ("c", "la même chose que `kit.cible`"),
            ("document", "en HTML : vide (page web), « pdf » ou « bureautique »"),
        ),
    ),
    (
        "site_index.html.j2",
        (
            ("fiches", "liste de [Fiche](#fiche)"),
            ("secteurs", "liste de textes : les secteurs du catalogue"),
            ("secteur", "texte ou vide : le secteur de cette page"),
            ("racine", "texte : le chemin relatif vers la racine du site"),
            ("plans", "liste de [PlanCalcule](#plancalcule) (page d'accueil seulement)"),
            ("donnees", "table (name, path, title) ou vide : la licence des données"),
            (
                "territoires",
                "liste de paires (nom du territoire, lien relatif de sa page) "
                "(page d'accueil seulement)",
            ),
        ),
    ),
    (
        "site_territoire.html.j2",
        (
            ("c", "[Cible](#cible) : le territoire du profil"),
            ("entrees", "liste de [EntreeCatalogue](#entreecatalogue), dans l'ordre du classement"),
            (
                "kits",
                "table : identifiant d'innovation → lien relatif de son kit HTML pour ce "
                "territoire",
            ),
            ("racine", "texte : le chemin relatif vers la racine du site"),
            ("fichier", "texte : le nom du fichier du profil"),
        ),
    ),
    (
        "site_innovation.html.j2",
        (
            ("f", "[Fiche](#fiche)"),
            ("i", "la même chose que `f.innovation`"),
            ("racine", "texte : le chemin relatif vers la racine du site"),
            ("avec_pdf", "oui ou non : le site a des kits en PDF"),
        ),
    ),
    (
        "plan.md.j2, plan.html.j2",
        (
            ("p", "[PlanCalcule](#plancalcule)"),
            ("plan", "la même chose que `p.plan`"),
            ("i", "la même chose que `p.innovation`"),
            ("liens", "table : identifiant d'un territoire → lien de son kit (sans extension)"),
            ("document", "en HTML : vide, « pdf » ou « bureautique »"),
        ),
    ),
)


def _hints(kind: type) -> dict[str, Any]:
    """A dataclass's field types, its module's names and the models' resolved together (some
    modules import the models for type checking only)."""
    import sys
    import typing

    from ..format import models

    names = {**vars(models), **vars(sys.modules[kind.__module__]), "dt": dt}
    return typing.get_type_hints(kind, globalns=names)


_PLURALS = {
    "texte": "textes",
    "nombre": "nombres",
    "date": "dates",
    "nombre ou vide": "nombres (ou vides)",
}
_SHOWN_AS = {"Finding": "Avertissement"}  # the record's name in the reference


def _shown(kind: type) -> str:
    return _SHOWN_AS.get(kind.__name__, kind.__name__)


def _kind_words(annotation: Any, found: list[type]) -> str:
    """A field's type in French words; the dataclasses it names are added to `found`."""
    import typing
    from pathlib import Path

    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        optional = len(args) < len(typing.get_args(annotation))
        words = " ou ".join(dict.fromkeys(_kind_words(a, found) for a in args))
        return words + (" ou vide" if optional else "")
    if origin in (list, tuple, Sequence):
        if origin is tuple and args and args[-1] is not Ellipsis:
            return "(" + ", ".join(_kind_words(a, found) for a in args) + ")"
        inner = _kind_words(args[0], found) if args else "valeurs"
        return "liste de " + _PLURALS.get(inner, inner)
    if origin is dict:
        return "table : texte → " + _kind_words(args[1], found)
    if origin is typing.Literal or annotation is str:
        return "texte"
    if annotation is bool:
        return "oui ou non"
    if annotation in (int, float):
        return "nombre"
    if annotation is dt.date:
        return "date"
    if annotation is Path:
        return "texte (nom du fichier)"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        title = str(annotation.model_config.get("title") or annotation.__name__)
        from ..text.words import markdown_anchor

        return f"[{title}](champs.md#{markdown_anchor(title)})"
    if isinstance(annotation, type) and annotation in _DATACLASSES:
        if annotation not in found:
            found.append(annotation)
        return f"[{_shown(annotation)}](#{_shown(annotation).lower()})"
    return "texte"


def reference() -> str:
    """What templates see, in French Markdown: the part of `docs/gabarits.md` between its
    markers (a test compares them)."""
    lines = ["### Les noms de chaque gabarit", ""]
    for templates, names in TEMPLATE_NAMES:
        lines += [f"**{templates}**", ""]
        lines += [f"- `{name}` : {words}" for name, words in names]
        lines.append("")
    lines += ["Et dans tous les gabarits, ces constantes :", ""]
    for name, value in template_globals().items():
        words = "table : valeur → libellé" if isinstance(value, MappingProxyType) else "texte"
        if name == "sections":
            words = "liste de [Section](#section) : les parties du kit, dans l'ordre"
        lines.append(f"- `{name}` : {words}")
    lines += ["", "### Les enregistrements", ""]
    found: list[type] = [Kit, PlanCalcule, NomPropre, Section]
    index = 0
    sections: list[list[str]] = []
    while index < len(found):
        kind = found[index]
        index += 1
        shape = _shape(kind)
        hints = _hints(kind)
        entries = []
        for name, _ in shape.fields:
            words = _kind_words(hints[name], found)
            if (kind, name) in _AS:
                words = "texte ou vide : le nom du fichier"
            entries.append(f"- `{name}` : {words}")
        for name, _ in shape.extras:
            entries.append(f"- `{name}` : {_EXTRA_DOCS[f'{kind.__name__}.{name}']}")
        made = _MADE_DOCS.get(kind.__name__, {})
        entries += [f"- `{name}` : {words}" for name, words in made.items()]
        sections.append([f"#### {_shown(kind)}", "", *entries, ""])
    for name, keys in _RECORDS_MADE.items():
        entries = [f"- `{key}` : {words}" for key, words in keys.items()]
        sections.append([f"#### {name}", "", *entries, ""])
    models_section = ["#### Les champs du format", ""]
    for kind, extras in _EXTRAS.items():
        if issubclass(kind, BaseModel):
            title = str(kind.model_config.get("title") or kind.__name__)
            from ..text.words import markdown_anchor

            for name in extras:
                words = _EXTRA_DOCS[f"{kind.__name__}.{name}"]
                models_section.append(
                    f"- [{title}](champs.md#{markdown_anchor(title)}), en plus de ses champs : "
                    f"`{name}`, {words}"
                )
    for section in sections:
        lines += section
    lines += [*models_section, ""]
    return "\n".join(lines)
