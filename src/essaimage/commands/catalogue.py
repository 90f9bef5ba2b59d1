"""The repository's innovations, listed and, for one territory, ranked: `essaimage catalogue`.

Without a territory, each valid innovation of the repository (its `innovations` folders, as
`essaimage kit` and `site` find them) with its sectors, maturity, readiness score, evidence and
take-overs. With a territory (read as `kit --territoire` reads it), each innovation is computed
for it as its kit would be (`kit.prepare.prepare`): the verdict of every prerequisite, the
project's size, its cost, the reste à charge, the funding found and the closest take-over.

The ranking is one a person can explain: prerequisites all met first, then some to check, then
one not met; within each group, more sourced results first, then more take-overs, then a lower
cost in year 1, then the name. Each place comes with its reason, in French.

The work is per innovation: each descriptor is checked, its entry computed and the descriptor
let go. A descriptor with errors is left out, its errors counted. Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..check.pipeline import FileCheck, check_file
from ..check.repository import repository_at
from ..check.rules import Indice
from ..errors import UsageError
from ..findings import Severity
from ..format.models import Innovation
from ..format.scalars import to_quantity
from ..format.vocabulary import SECTEURS
from ..kit.budget import Budget
from ..kit.prepare import Kit, prepare
from ..kit.reprises import Reprise, Reprises, gather
from ..kit.target import Cible, project_errors, resolve_target
from ..render.phrases import cout_resume, niveau_preuve, reste_resume
from ..text.french import et_liste, euros, nombre, pluriel
from .export import typical_site

Groupe = Literal["rempli", "a-verifier", "non-rempli"]
GROUPS: tuple[Groupe, ...] = ("rempli", "a-verifier", "non-rempli")  # the ranking's order
VERDICT_WORDS = {
    "rempli": "rempli",
    "a-verifier": "à vérifier localement",
    "non-rempli": "non rempli",
}


@dataclass(frozen=True)
class Prerequis:
    """One prerequisite and its verdict for the territory (`statut` None without one)."""

    description: str
    statut: str | None  # « rempli », « a-verifier », « non-rempli »
    raison: str | None  # why, in French

    @property
    def verdict(self) -> str | None:
        """The verdict in words: « rempli », « à vérifier localement », « non rempli »."""
        return VERDICT_WORDS[self.statut] if self.statut else None


@dataclass(frozen=True)
class Financeur:
    """A funding the kit found for the territory, and what it pays over three years."""

    financeur: str
    nature: str | None
    montant_3_ans: float | None  # None when a payment cannot be computed


@dataclass
class Entree:
    """One innovation of the catalogue, for the territory when there is one."""

    id: str
    nom: str
    accroche: str
    fichier: str  # the descriptor, as shown
    secteurs: list[str]  # their codes
    maturite: str | None  # its code
    indice: int | None  # readiness score out of 10
    niveau_preuve: str  # in words
    resultats_sources: int  # results (nature « resultat ») with a source
    reprises: int
    reprise_proche: Reprise | None  # the closest take-over, for a territory
    cout_annee_1: float  # for the territory; without one, a typical site's
    cout_3_ans: float
    couts_incomplets: bool
    prerequis: list[Prerequis] = field(default_factory=list)
    groupe: Groupe | None = None  # None without a territory
    sites: int | None = None
    beneficiaires: int | None = None
    habitants: int | None = None
    cout_phrase: str | None = None  # the kit's synthèse words
    reste_annee_1: float | None = None
    reste_3_ans: float | None = None
    reste_phrase: str | None = None
    financements: list[Financeur] = field(default_factory=list)
    origine_financement: str | None = None  # « profil », « descripteur », « plan »
    points_attention: list[str] = field(default_factory=list)  # the kit's warnings, in words
    rang: int = 0
    raison: str = ""  # why it stands at its place

    def key(self) -> tuple[int, int, int, float, str, str]:
        """The ranking's key: group, sourced results, take-overs, cost in year 1, name, id."""
        group = GROUPS.index(self.groupe) if self.groupe else 0
        return (
            group,
            -self.resultats_sources,
            -self.reprises,
            self.cout_annee_1,
            self.nom.casefold(),
            self.id,
        )


@dataclass(frozen=True)
class Ecarte:
    """A descriptor left out of the ranking, and why (its errors, which `validate` shows)."""

    fichier: str
    erreurs: int
    raison: str = ""  # said instead of the errors' count when there is a reason of its own

    @property
    def phrase(self) -> str:
        """« innovations/x.yaml : 2 erreurs, non classée ; essaimage validate les montre »."""
        if self.raison:
            return f"{self.fichier} : {self.raison}, non classée"
        count = f"{nombre(self.erreurs)} {pluriel(self.erreurs, 'erreur')}"
        shows = "la montre" if self.erreurs == 1 else "les montre"
        return f"{self.fichier} : {count}, non classée ; essaimage validate {shows}"


@dataclass
class Filtres:
    """What the catalogue is narrowed to."""

    secteurs: list[str] = field(default_factory=list)  # codes; any of them
    budget_max: float | None = None  # euros, on the cost in year 1

    @property
    def actifs(self) -> bool:
        """True when something narrows the list."""
        return bool(self.secteurs) or self.budget_max is not None


@dataclass
class Catalogue:
    """What `essaimage catalogue` lists, ranked."""

    cible: Cible | None
    entrees: list[Entree] = field(default_factory=list)
    ecartes: list[Ecarte] = field(default_factory=list)
    filtres: Filtres = field(default_factory=Filtres)
    filtrees: int = 0  # valid innovations the filters left out
    notes: list[str] = field(default_factory=list)  # how the territory was read, reports aside

    @property
    def pour(self) -> str:
        """Whom the costs are for: the territory's label, or « un site type »."""
        return self.cible.libelle if self.cible is not None else "un site type"


def sectors(values: Sequence[str]) -> list[str]:
    """The `--secteur` values as codes (a label such as « mobilité » is accepted too);
    UsageError listing the vocabulary for an unknown one."""
    by_label = {label: code for code, label in SECTEURS.items()}
    codes = []
    for value in values:
        written = value.strip().lower()
        code = written if written in SECTEURS else by_label.get(written)
        if code is None:
            raise UsageError(
                f"secteur « {value} » inconnu (secteurs permis : {', '.join(SECTEURS)})"
            )
        if code not in codes:
            codes.append(code)
    return codes


def budget(value: str) -> float:
    """The `--budget-max` value in euros, read as the format reads amounts (`30 000`, `12500`,
    `2,5`); UsageError for anything else."""
    try:
        amount = to_quantity(value.strip().removesuffix("€").strip())
    except ValueError as exc:
        raise UsageError(
            f"--budget-max : {exc}", "Écrivez un montant en euros, par exemple 30000 ou 30 000."
        ) from None
    if not isinstance(amount, (int, float)) or isinstance(amount, bool) or amount < 0:
        raise UsageError(f"--budget-max : « {value} » n'est pas un montant positif")
    return float(amount)


def innovation_files(start: Path) -> list[Path]:
    """The repository's descriptors, as `essaimage kit` and `site` find them; UsageError when
    there is none."""
    paths = repository_at(start).files("innovations")
    if not paths:
        raise UsageError(
            "aucune innovation dans ce dossier (ni essaimage.yaml, ni dossier innovations/)",
            "Lancez essaimage catalogue à la racine d'un dépôt de descripteurs.",
        )
    return paths


def build(
    start: Path,
    territoire: str | None = None,
    filtres: Filtres | None = None,
    files: Sequence[Path] | None = None,
) -> Catalogue:
    """The catalogue of the repository around `start` (or of `files`), for `territoire` when
    given, filtered and ranked. TargetError for a territory that designates none or several,
    InvalidProfileError for a profile with errors, UsageError when there is nothing to read."""
    paths = list(files) if files is not None else innovation_files(start)
    cible = None
    if territoire is not None:
        cible = resolve_target(territoire, [start, *{p.parent for p in paths}])
    catalogue = Catalogue(cible, filtres=filtres or Filtres())
    if cible is not None and cible.note:
        catalogue.notes.append(cible.note)
    seen: dict[str, str] = {}
    for path in paths:
        checked = check_file(path)
        errors = sum(1 for f in checked.findings if f.severity is Severity.ERREUR)
        if errors or checked.model is None:
            catalogue.ecartes.append(Ecarte(checked.shown_as, errors))
            continue
        if not isinstance(checked.model, Innovation):
            continue  # a profile or a report placed among the innovations: not listed
        ident = checked.model.id
        if ident in seen:  # R101, as validate says it: the first one counts
            reason = f"identifiant « {ident} » déjà pris par {seen[ident]}"
            catalogue.ecartes.append(Ecarte(checked.shown_as, 1, reason))
            continue
        seen[ident] = checked.shown_as
        if not _wanted_sector(checked.model, catalogue.filtres):
            catalogue.filtrees += 1
            continue
        entree = _entry(checked, cible, catalogue)
        if entree is None:
            continue
        limit = catalogue.filtres.budget_max
        if limit is not None and entree.cout_annee_1 > limit:
            catalogue.filtrees += 1
            continue
        catalogue.entrees.append(entree)
    rank(catalogue.entrees)
    return catalogue


def _wanted_sector(innovation: Innovation, filtres: Filtres) -> bool:
    return not filtres.secteurs or any(s in filtres.secteurs for s in innovation.secteurs)


def _entry(checked: FileCheck, cible: Cible | None, catalogue: Catalogue) -> Entree | None:
    """One innovation's entry; None (and the descriptor left out) when the territory's
    profile has a project for it that `validate` refuses (R103, R107), or when its kit cannot
    be computed."""
    innovation = checked.innovation
    if cible is None:
        return _listed(checked)
    refused = [f for f in project_errors(checked, cible) if f.severity is Severity.ERREUR]
    if refused:
        name = refused[0].file
        catalogue.ecartes.append(
            Ecarte(
                checked.shown_as,
                len(refused),
                f"le projet de {name} pour cette innovation a "
                f"{nombre(len(refused))} {pluriel(len(refused), 'erreur')} "
                "(essaimage validate les montre)",
            )
        )
        return None
    try:
        kit = prepare(innovation, checked, cible)
    except Exception as exc:  # noqa: BLE001 - one innovation must not stop the others
        catalogue.ecartes.append(
            Ecarte(checked.shown_as, 1, f"erreur interne ({type(exc).__name__} : {exc})")
        )
        return None
    if kit.reprises is not None and kit.reprises.ecartes:
        note = (
            f"« {innovation.id} » ne compte pas les retours d’essaimage qui ont des erreurs : "
            f"{', '.join(kit.reprises.ecartes)} (essaimage validate les montre)"
        )
        catalogue.notes.append(note)
    return _for_territory(checked, kit)


def _sourced(innovation: Innovation) -> int:
    return sum(1 for r in innovation.resultats if r.nature == "resultat" and r.source is not None)


def _listed(checked: FileCheck) -> Entree:
    """An innovation without a territory: a typical site's cost (as `essaimage export`)."""
    innovation = checked.innovation
    reprises = gather(innovation, checked, None, None)
    return Entree(
        **_common(checked, checked.readiness, reprises, typical_site(innovation)),
        reprise_proche=None,
        prerequis=[Prerequis(p.description, None, None) for p in innovation.prerequis],
    )


def _common(
    checked: FileCheck, indice: Indice | None, reprises: Reprises | None, cost: Budget
) -> dict[str, Any]:
    """What every entry says, with or without a territory: the innovation, its evidence and
    take-overs, and the cost of `cost` (a typical site's, or the kit's headline budget)."""
    innovation = checked.innovation
    return {
        "id": innovation.id,
        "nom": innovation.nom,
        "accroche": innovation.accroche,
        "fichier": checked.shown_as,
        "secteurs": list(innovation.secteurs),
        "maturite": innovation.maturite,
        "indice": indice.score if indice else None,
        "niveau_preuve": niveau_preuve(innovation, reprises),
        "resultats_sources": _sourced(innovation),
        "reprises": len(reprises.liste) if reprises else 0,
        "cout_annee_1": round(cost.total_annee_1, 2),
        "cout_3_ans": round(cost.total_3_ans, 2),
        "couts_incomplets": cost.incomplet,
    }


def _reason(statut: str, explications: Sequence[str], echecs: Sequence[str]) -> str:
    texts = echecs if statut == "non-rempli" and echecs else explications
    return " ; ".join(texts)


def _for_territory(checked: FileCheck, kit: Kit) -> Entree:
    """An innovation as its kit for the territory computes it."""
    prerequis = [
        Prerequis(v.description, v.statut, _reason(v.statut, v.explications, v.echecs))
        for v in kit.prerequis
    ]
    statuts = {p.statut for p in prerequis}
    groupe: Groupe = (
        "non-rempli"
        if "non-rempli" in statuts
        else "a-verifier"
        if "a-verifier" in statuts
        else "rempli"
    )
    reprises = kit.reprises
    # the closest: the first of the list once compared, or the only one there is
    listed = reprises.liste if reprises else []
    compared = reprises is not None and reprises.plus_proche is not None
    closest = listed[0] if listed and (compared or len(listed) == 1) else None
    plan = kit.financement
    finance = kit.budget_finance
    if plan is None:  # as the synthèse says it: everything is left to fund
        reste_1, reste_3 = finance.total_annee_1, finance.total_3_ans
        financements: list[Financeur] = []
    else:
        reste_1 = plan.reste_a_charge[0] if plan.reste_a_charge else 0.0
        reste_3 = sum(plan.reste_a_charge[:3])
        financements = [
            Financeur(
                v.financement.financeur,
                v.financement.nature,
                None
                if any(p is None for p in v.par_annee[:3])
                else round(sum(p or 0.0 for p in v.par_annee[:3]), 2),
            )
            for v in plan.financeurs
        ]
    return Entree(
        # the cost the kit puts first and funds: without what the territory already has
        **_common(checked, kit.indice, reprises, finance),
        reprise_proche=closest,
        prerequis=prerequis,
        groupe=groupe,
        sites=kit.taille.sites,
        beneficiaires=kit.taille.beneficiaires,
        habitants=kit.taille.habitants,
        cout_phrase=cout_resume(kit),
        reste_annee_1=round(reste_1, 2),
        reste_3_ans=round(reste_3, 2),
        reste_phrase=reste_resume(kit),
        financements=financements,
        origine_financement=plan.origine if plan is not None else None,
        points_attention=list(dict.fromkeys(finding.message for finding in kit.avertissements)),
    )


def rank(entrees: list[Entree]) -> None:
    """Sort the entries by the ranking's key and give each its place and reason."""
    entrees.sort(key=Entree.key)
    for place, entree in enumerate(entrees, start=1):
        entree.rang = place
        entree.raison = reason(entree)


def ordinal(place: int) -> str:
    """`1er`, `2e`, `3e`…"""
    return "1er" if place == 1 else f"{place}e"


def reason(entree: Entree) -> str:
    """Why an innovation stands at its place, in the ranking's order: its prerequisites, its
    sourced results, its take-overs, its cost in year 1."""
    parts = []
    if entree.groupe is not None:
        parts.append(_group_words(entree))
    count = entree.resultats_sources
    parts.append(
        f"{nombre(count)} {pluriel(count, 'résultat sourcé', 'résultats sourcés')}"
        if count
        else "aucun résultat sourcé"
    )
    parts.append(
        f"{nombre(entree.reprises)} {pluriel(entree.reprises, 'reprise')}"
        if entree.reprises
        else "aucune reprise"
    )
    cost = euros(entree.cout_annee_1)
    where = (
        "la première année" if entree.groupe is not None else "la première année pour un site type"
    )
    parts.append(f"{cost} {where}" + (" (coût incomplet)" if entree.couts_incomplets else ""))
    return " ; ".join(parts)


def _group_words(entree: Entree) -> str:
    if not entree.prerequis:
        return "aucun prérequis fixé"
    if entree.groupe == "rempli":
        return "tous les prérequis sont remplis"
    failed = [p for p in entree.prerequis if p.statut == "non-rempli"]
    if failed:
        count = len(failed)
        named = et_liste([f"« {p.description} »" for p in failed])
        words = pluriel(count, "prérequis non rempli", "prérequis non remplis")
        return f"{nombre(count)} {words} — {named}"
    to_check = sum(1 for p in entree.prerequis if p.statut == "a-verifier")
    return f"{nombre(to_check)} prérequis à vérifier localement"


__all__ = [
    "GROUPS",
    "Catalogue",
    "Ecarte",
    "Entree",
    "Filtres",
    "Financeur",
    "Prerequis",
    "budget",
    "build",
    "innovation_files",
    "ordinal",
    "rank",
    "reason",
    "sectors",
]
