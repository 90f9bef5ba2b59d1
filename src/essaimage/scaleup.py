"""A scale-up plan computed: its targets resolved, its waves dated, each target's figures, the
driver's support, and the totals by plan year and by funder.

Each target's figures are its kit's (`kit.prepare`: sites, means, budget, funding, verdicts), with
the plan's project for it: an explicit target's `sites`, `beneficiaires`, `perimetre`, `debut`;
a profile's own project (its sites, beneficiaries, perimeter, choices and funding; the start is
its wave's); a selected territory with the innovation's `dimensionnement`. The
plan's `financements` are applied to every target's budget, after its own plan.

Plan years run from the plan's `debut`; a target's year 1 counts in the plan year in which it
starts (its start month from the plan's start, divided by 12), its year 2 in the next, and so
on: every figure of the plan is a sum of figures of the kits. Nothing here prints.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import funding, scaling, sizing
from .errors import UsageError
from .findings import Finding
from .french import mois_annee, nombre, periode, pluriel, shift_months
from .kit import Kit, prepare
from .models import Accompagnement, CiblePlan, Innovation, Plan, Projet
from .pipeline import FileCheck
from .targets import Cible, from_official, from_profile_file, profile_folders
from .territoires import (
    Selection,
    TerritoryNotFound,
    reference,
    select,
)
from .vocabulary import TYPES_SELECTION


@dataclass
class SitePlan:
    """One target of the plan and its kit."""

    cible: Cible
    origine: str  # « cible du plan », « profil saint-brieuc.yaml », « sélection : … »
    kit: Kit
    vague: int
    derniere_vague: int  # the last wave when its sites are spread over several
    debut: dt.date
    decalage: int  # the plan year (from 0) in which its year 1 counts
    du_plan: funding.PlanFinancement | None = None  # the plan's financements on its budget
    accompagnement: list[float] = field(default_factory=list)  # per plan year, euros

    @property
    def sites(self) -> int:
        """Sites of this target."""
        return self.kit.taille.sites

    def cout(self, annee: int) -> float:
        """Its cost in a plan year (0-based), from its kit's years."""
        index = annee - self.decalage
        years = self.kit.budget.annees
        return years[index].total if 0 <= index < len(years) else 0.0

    def paiements(self, annee: int) -> dict[str, float]:
        """What each funder pays for it in a plan year: its own plan, then the plan's."""
        index = annee - self.decalage
        out: dict[str, float] = {}
        for plan in (self.kit.financement, self.du_plan):
            if plan is None:
                continue
            for versement in plan.versements:
                values = versement.par_annee
                value = values[index] if 0 <= index < len(values) else 0.0
                name = versement.financement.financeur
                out[name] = out.get(name, 0.0) + (value or 0.0)
        return out

    def reste(self, annee: int) -> float:
        """What is left for the territory in a plan year (never below zero)."""
        return max(self.cout(annee) - sum(self.paiements(annee).values()), 0.0)

    @property
    def prerequis_non_remplis(self) -> list[str]:
        """The descriptions of the prerequisites it does not meet."""
        return [v.description for v in self.kit.prerequis if v.statut == "non-rempli"]


@dataclass(frozen=True)
class Vague:
    """One wave: when it starts and which targets it holds."""

    numero: int
    debut: dt.date
    sites: int
    cibles: tuple[str, ...]


@dataclass
class AnneePlan:
    """One plan year, all targets together."""

    numero: int
    periode: str
    cout_sites: float
    accompagnement: float
    financements: dict[str, float]
    reste_territoires: float
    sites_actifs: int  # sites started by the end of the year

    @property
    def finance(self) -> float:
        """What the funders pay this year."""
        return sum(self.financements.values())


@dataclass
class PlanCalcule:
    """Everything a plan document shows."""

    plan: Plan
    innovation: Innovation
    descriptor: FileCheck
    sites: list[SitePlan]
    vagues: list[Vague]
    annees: list[AnneePlan]
    financeurs: list[str]  # in order of appearance
    echecs: list[tuple[str, list[str]]]  # prerequisite -> territories that fail it
    notes: list[str] = field(default_factory=list)
    avertissements: list[Finding] = field(default_factory=list)  # the kits' findings

    @property
    def total_sites(self) -> int:
        """Sites over all targets."""
        return sum(s.sites for s in self.sites)

    @property
    def population(self) -> int:
        """Inhabitants of the targets' perimeters (where known)."""
        return sum(s.kit.taille.habitants or 0 for s in self.sites)

    @property
    def beneficiaires(self) -> int:
        """Beneficiaries per year, over the targets that plan them."""
        return sum(s.kit.taille.beneficiaires or 0 for s in self.sites)

    @property
    def calendrier(self) -> str:
        """The waves in words."""
        return calendar_words(self.plan, self.vagues)

    @property
    def incomplet(self) -> bool:
        """True when some target's costs are lower bounds (uncomputed means, unvalued ETP)."""
        return any(s.kit.budget.incomplet for s in self.sites)

    def total(self, attribute: str, years: int = 3) -> float:
        """A yearly figure summed over the first `years` plan years."""
        return sum(getattr(a, attribute) for a in self.annees[:years])

    def par_financeur(self, name: str, years: int = 3) -> float:
        """What one funder pays over the first `years` plan years."""
        return sum(a.financements.get(name, 0.0) for a in self.annees[:years])

    def accompagnement_etp(self) -> float:
        """The driver's ETP for one year of support of every site."""
        support = self.plan.accompagnement
        return support.etp_par_site * self.total_sites if support else 0.0


# --- targets ---------------------------------------------------------------------------------


@dataclass
class _Target:
    cible: Cible
    origine: str
    projet: Projet | None
    debut: dt.date | None = None  # written by the plan for this target


def _explicit(item: CiblePlan) -> _Target:
    projet = Projet(
        sites=item.sites,
        beneficiaires=item.beneficiaires,
        perimetre=item.perimetre,
        debut=item.debut,
    )
    official = None
    if item.code_insee and item.type in ("commune", "epci", "departement", "region"):
        official = reference().get(str(item.type), item.code_insee)
    if official is not None:
        cible = from_official(official)
        if item.nom:
            cible.nom = item.nom
        if item.population is not None:
            cible.population = item.population
    else:
        nom = item.nom or str(item.code_insee)
        cible = Cible(nom, item.type, item.code_insee, item.population, nom, _slug(nom))
    return _Target(cible, "cible du plan", projet, item.debut)


def _slug(text: str) -> str:
    from .scalars import slugify

    return slugify(text) or "territoire"


def _profile(item: CiblePlan, folder: Path, innovation_id: str) -> _Target:
    name = str(item.profil)
    path = folder / name
    if not path.is_file():
        found = None
        for candidate_folder in profile_folders([folder]):
            for suffix in (".yaml", ".yml"):
                candidate = candidate_folder / f"{name}{suffix}"
                if candidate.is_file():
                    found = candidate
        if found is None:
            raise UsageError(f"le profil « {name} » du plan est introuvable")
        path = found
    cible = from_profile_file(path)
    return _Target(cible, f"profil {path.name}", cible.projet(innovation_id))


def _selection(item: CiblePlan) -> list[_Target]:
    assert item.selection is not None
    wanted = item.selection
    try:
        dans = reference().resolve(wanted.dans).territoire
    except TerritoryNotFound as exc:
        raise UsageError(exc.message) from None
    found = select(
        reference(),
        Selection(
            wanted.type,
            dans,
            wanted.population_min,
            wanted.population_max,
            frozenset(wanted.exclure),
            wanted.limite,
            wanted.ordre,
        ),
    )
    words = f"sélection : {TYPES_SELECTION[wanted.type]} {dans.de_nom}"
    return [_Target(from_official(t), words, None) for t in found]


def resolve_targets(
    plan: Plan, folder: Path, innovation_id: str
) -> tuple[list[_Target], list[str]]:
    """Every target of the plan, in the plan's order, each territory once; and notes."""
    targets: list[_Target] = []
    notes: list[str] = []
    for item in plan.cibles:
        if item.profil is not None:
            targets.append(_profile(item, folder, innovation_id))
        elif item.selection is not None:
            selected = _selection(item)
            if not selected:
                raise UsageError(
                    f"la sélection « {item.selection.type} dans {item.selection.dans} » ne donne "
                    "aucun territoire",
                    "Élargissez les bornes de population, ou vérifiez avec essaimage territoires "
                    f"--dans {item.selection.dans} --type {item.selection.type}.",
                )
            targets.extend(selected)
        else:
            targets.append(_explicit(item))
    unique: dict[str, _Target] = {}
    for target in targets:
        key = target.cible.code_insee or target.cible.slug
        if key in unique:
            notes.append(
                f"{target.cible.nom} est nommé deux fois (dont {target.origine}) : compté une fois"
            )
            continue
        unique[key] = target
    return list(unique.values()), notes


# --- waves -----------------------------------------------------------------------------------


def assign_waves(sites: Sequence[int], plan: Plan) -> list[tuple[int, int]]:
    """(first wave, last wave) of each target, in order; waves are numbered from 1.

    A wave holds up to `sites_par_vague` sites; a target's sites are not split across waves
    unless the target alone has more sites than a wave holds. Without `vagues`, everything is
    wave 1.
    """
    if plan.vagues is None:
        return [(1, 1) for _ in sites]
    cap = plan.vagues.sites_par_vague
    out = []
    wave, used = 1, 0
    for count in sites:
        if count > cap:
            if used:
                wave, used = wave + 1, 0
            span = math.ceil(count / cap)
            out.append((wave, wave + span - 1))
            wave += span - 1
            used = count - cap * (span - 1)
            if used == cap:
                wave, used = wave + 1, 0
            continue
        if used + count > cap:
            wave, used = wave + 1, 0
        out.append((wave, wave))
        used += count
        if used == cap:
            wave, used = wave + 1, 0
    return out


def wave_start(plan: Plan, numero: int) -> dt.date:
    """Wave k starts `intervalle_mois` × (k − 1) months after the plan's start."""
    months = plan.vagues.intervalle_mois * (numero - 1) if plan.vagues else 0
    return shift_months(plan.debut, months)


def _months_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


# --- the driver's support --------------------------------------------------------------------


def support_by_year(
    accompagnement: Accompagnement | None, sites: int, offset_months: float, years: int
) -> list[float]:
    """The driver's cost for a target's sites, spread by month over plan years."""
    out = [0.0] * years
    if accompagnement is None or accompagnement.cout_etp_annuel is None:
        return out
    monthly = accompagnement.etp_par_site * accompagnement.cout_etp_annuel / 12 * sites
    start, end = offset_months, offset_months + accompagnement.duree_mois
    for year in range(years):
        overlap = min(end, 12 * (year + 1)) - max(start, 12 * year)
        if overlap > 0:
            out[year] += monthly * overlap
    return out


# --- the plan --------------------------------------------------------------------------------


def compute(plan: Plan, descriptor: FileCheck, folder: Path) -> PlanCalcule:
    """The whole plan computed; UsageError for a target that cannot be found."""
    innovation = descriptor.innovation
    targets, notes = resolve_targets(plan, folder, innovation.id)
    # sites first (as the kit counts them), then waves, then each kit at its wave's date
    counts = [sizing.measure(innovation, _project(t, None), t.cible).sites for t in targets]
    waves = assign_waves(counts, plan)
    starts = []
    for target, (first, _) in zip(targets, waves, strict=True):
        # a target starts with its wave, unless the plan gives it its own date
        starts.append(target.debut or wave_start(plan, first))
    offsets = [max(_months_between(plan.debut, start), 0) // 12 for start in starts]
    # every kit covers the plan's horizon: three years after the last start
    horizon = max(offsets, default=0) + 3
    sites: list[SitePlan] = []
    for target, (first, last), start, offset in zip(targets, waves, starts, offsets, strict=True):
        project = _project(target, start)
        kit = prepare(innovation, descriptor, target.cible, project, horizon - offset)
        site = SitePlan(target.cible, target.origine, kit, first, last, start, offset)
        if plan.financements:
            taille = kit.taille
            effectifs = scaling.Effectifs(taille.habitants, taille.beneficiaires, taille.sites)
            site.du_plan = funding.compute(plan.financements, "plan", kit.budget, effectifs)
        sites.append(site)
    horizon = max((s.decalage + len(s.kit.budget.annees) for s in sites), default=3)
    for site in sites:
        site.accompagnement = support_by_year(
            plan.accompagnement,
            site.sites,
            _months_between(plan.debut, site.debut),
            horizon,
        )
    return PlanCalcule(
        plan=plan,
        innovation=innovation,
        descriptor=descriptor,
        sites=sites,
        vagues=_waves(plan, sites),
        annees=_years(plan, sites, horizon),
        financeurs=_funders(sites),
        echecs=_failures(sites),
        notes=notes,
        avertissements=[f for s in sites for f in s.kit.avertissements],
    )


def _project(target: _Target, start: dt.date | None) -> Projet | None:
    """The project a target's kit is computed with, starting at `start`."""
    if target.projet is None:
        return Projet(debut=start) if start else None
    return target.projet.model_copy(update={"debut": start or target.projet.debut})


def _waves(plan: Plan, sites: list[SitePlan]) -> list[Vague]:
    numbers = sorted({n for s in sites for n in range(s.vague, s.derniere_vague + 1)})
    out = []
    for number in numbers:
        members = [s for s in sites if s.vague <= number <= s.derniere_vague]
        count = 0
        for member in members:
            span = member.derniere_vague - member.vague + 1
            count += member.sites if span == 1 else _share(member, number, plan)
        out.append(
            Vague(number, wave_start(plan, number), count, tuple(m.cible.nom for m in members))
        )
    return out


def _share(site: SitePlan, number: int, plan: Plan) -> int:
    """The sites of a target spread over several waves that start in wave `number`."""
    cap = plan.vagues.sites_par_vague if plan.vagues else site.sites
    before = cap * (number - site.vague)
    return max(min(cap, site.sites - before), 0)


def _period(plan: Plan, year: int) -> str:
    first = shift_months(plan.debut, 12 * year)
    last = shift_months(plan.debut, 12 * (year + 1)) - dt.timedelta(days=1)
    return periode(first, last)


def _years(plan: Plan, sites: list[SitePlan], horizon: int) -> list[AnneePlan]:
    out = []
    for year in range(horizon):
        paid: dict[str, float] = {}
        for site in sites:
            for name, value in site.paiements(year).items():
                paid[name] = paid.get(name, 0.0) + value
        end = shift_months(plan.debut, 12 * (year + 1))
        out.append(
            AnneePlan(
                numero=year + 1,
                periode=_period(plan, year),
                cout_sites=sum(s.cout(year) for s in sites),
                accompagnement=sum(s.accompagnement[year] for s in sites),
                financements=paid,
                reste_territoires=sum(s.reste(year) for s in sites),
                sites_actifs=sum(s.sites for s in sites if s.debut < end),
            )
        )
    return out


def _funders(sites: Iterable[SitePlan]) -> list[str]:
    names: dict[str, None] = {}
    for site in sites:
        for plan in (site.kit.financement, site.du_plan):
            for versement in plan.versements if plan else []:
                names.setdefault(versement.financement.financeur, None)
    return list(names)


def _failures(sites: list[SitePlan]) -> list[tuple[str, list[str]]]:
    where: dict[str, list[str]] = {}
    for site in sites:
        for description in site.prerequis_non_remplis:
            where.setdefault(description, []).append(site.cible.nom)
    return sorted(where.items(), key=lambda item: (-len(item[1]), item[0]))


def calendar_words(plan: Plan, vagues: list[Vague]) -> str:
    """« 3 vagues, de septembre 2027 à septembre 2028, une tous les 6 mois »."""
    if not vagues:
        return "aucun site"
    first, last = vagues[0].debut, vagues[-1].debut
    count = len(vagues)
    text = f"{nombre(count)} {pluriel(count, 'vague')}"
    if count == 1:
        return f"{text}, en {mois_annee(first)}"
    text += f", de {mois_annee(first)} à {mois_annee(last)}"
    if plan.vagues:
        text += f", une tous les {nombre(plan.vagues.intervalle_mois)} mois"
    return text


# --- what `essaimage plan` reads -------------------------------------------------------------


def find_innovation(name: str, folder: Path) -> Path:
    """The descriptor a plan names: a path from the plan's folder, or an innovation id of the
    repository; UsageError when there is none."""
    from .discovery import YAML_SUFFIXES
    from .loader import load_file
    from .repository import repository_at

    if name.endswith(YAML_SUFFIXES):
        path = folder / name
        if not path.is_file():
            raise UsageError(f"le descripteur « {name} » est introuvable")
        return path
    for path in repository_at(folder).files("innovations"):
        loaded = load_file(path, str(path))
        data = loaded.document.data if loaded.document else None
        if isinstance(data, dict) and data.get("id") == name and "coeur" in data:
            return path
    raise UsageError(
        f"aucune innovation du dépôt n'a l'identifiant « {name} »",
        "Nommez l'innovation par son identifiant (id) ou par le chemin de son descripteur.",
    )


def quick_plan(
    innovation: Innovation,
    dans: str,
    type: str,
    population: tuple[int | None, int | None],
    limite: int | None,
    debut: dt.date,
    sites_par_vague: int | None,
    intervalle: int | None,
) -> Plan:
    """The plan the quick form describes: one selection, waves if asked."""
    data: dict[str, object] = {
        "id": f"{innovation.id}-{_slug(dans)}"[:64],
        "nom": f"{innovation.nom} — {TYPES_SELECTION.get(type, type)} {_where(dans)}",
        "innovation": innovation.id,
        "porteur": {"nom": "Porteur du plan à préciser"},
        "debut": debut,
        "cibles": [
            {
                "selection": {
                    "dans": dans,
                    "type": type,
                    "population_min": population[0],
                    "population_max": population[1],
                    "limite": limite,
                }
            }
        ],
    }
    if sites_par_vague or intervalle:
        data["vagues"] = {
            "sites_par_vague": sites_par_vague or 5,
            "intervalle_mois": intervalle or 6,
        }
    return Plan.model_validate(data)


def _where(dans: str) -> str:
    try:
        return reference().resolve(dans).territoire.de_nom
    except TerritoryNotFound:
        return f"dans {dans}"
