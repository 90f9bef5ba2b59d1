"""A scale-up plan computed: its targets resolved, its waves dated, each target's figures, the
driver's support, and the totals by plan year and by funder.

Each target's figures are its kit's (`kit.prepare`: sites, means, budget, funding, verdicts), with
the plan's project for it: an explicit target's `sites`, `beneficiaires`, `perimetre`, `debut`;
a profile's own project (its sites, beneficiaries, perimeter, choices and funding; the start is
its wave's); a selected territory with the innovation's `dimensionnement`. The plan's
`financements` and the porteur's `accompagnement` go into every target's kit, after its own
plan: a kit made by `plan --kits` and the plan's figures for that site are the same.

Plan years are calendar years, from the year of the plan's `debut`: every kit of a plan has a
start date, so its budget is by calendar year too, and its year k counts in the calendar year
it is; every figure of the plan is a sum of figures of the kits. Nothing here prints.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ..check import consistency, diagnostics
from ..check.loader import PathKey
from ..check.pipeline import FileCheck
from ..errors import EssaimageError, InvalidPlanError, InvalidProfileError, UsageError
from ..findings import Finding
from ..format.models import (
    MAX_CIBLES,
    Accompagnement,
    CiblePlan,
    FichierPlan,
    Innovation,
    Plan,
    Projet,
    without_plugins,
)
from ..format.vocabulary import OFFICIAL_TYPES, TYPES_SELECTION
from ..kit import size
from ..kit.budget import calendar_label, first_year_months, to_euro
from ..kit.prepare import AccompagnementPlan, Kit, prepare
from ..kit.target import (
    Cible,
    find_profile,
    from_official,
    from_profile_file,
    profile_folders,
    project_errors,
)
from ..territories.cog import Selection, TerritoireOfficiel, TerritoryNotFound, reference, select
from ..text.french import de_a_mois, mois_annee, nombre, pluriel, shift_months


@dataclass
class SitePlan:
    """One target of the plan and its kit."""

    cible: Cible
    origine: str  # « cible du plan », « profil saint-brieuc.yaml », « sélection : … »
    kit: Kit
    vague: int
    derniere_vague: int  # the last wave when its sites are spread over several
    debut: dt.date
    decalage: int  # the plan year (from 0) in which its year 1 counts: its calendar year
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
        """What each funder pays for it in a plan year, from its kit's funding plan (its own
        funding, then the plan's; the territory's own apport is not a funder's payment)."""
        index = annee - self.decalage
        out: dict[str, float] = {}
        plan = self.kit.financement
        for versement in plan.financeurs if plan is not None else []:
            values = versement.par_annee
            value = values[index] if 0 <= index < len(values) else 0.0
            name = versement.financement.financeur
            out[name] = out.get(name, 0.0) + (value or 0.0)
        return out

    def reste(self, annee: int) -> float:
        """What is left for the territory in a plan year: its kit's reste à charge."""
        index = annee - self.decalage
        plan = self.kit.financement
        if plan is None:
            return self.cout(annee)
        left = plan.reste_a_charge
        return left[index] if 0 <= index < len(left) else 0.0

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

    @property
    def trois_ans(self) -> str:
        """The plan's first three calendar years in words: « 2027 à 2029 »."""
        first = self.plan.debut.year
        return f"{first} à {first + min(len(self.annees), 3) - 1}"

    def total(self, attribute: str, years: int = 3) -> float:
        """A yearly figure summed over the first `years` plan years."""
        return sum(getattr(a, attribute) for a in self.annees[:years])

    def par_financeur(self, name: str, years: int = 3) -> float:
        """What one funder pays over the first `years` plan years."""
        return sum(a.financements.get(name, 0.0) for a in self.annees[:years])


# --- targets ---------------------------------------------------------------------------------


@dataclass
class _Target:
    cible: Cible
    origine: str
    projet: Projet | None
    debut: dt.date | None = None  # written by the plan for this target
    index: int = 0  # its item in the plan's `cibles`


def _explicit(item: CiblePlan) -> _Target:
    with without_plugins():
        projet = Projet(
            sites=item.sites,
            beneficiaires=item.beneficiaires,
            perimetre=item.perimetre,
            debut=item.debut,
        )
    official = None
    if item.code_insee and item.type in OFFICIAL_TYPES:
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
    from ..text.words import slugify

    return slugify(text) or "territoire"


def _profile(item: CiblePlan, folder: Path, innovation_id: str) -> _Target:
    name = str(item.profil)
    path = folder / name
    if not path.is_file():
        found = find_profile(name, profile_folders([folder]))
        if found is None:
            raise UsageError(f"le profil « {name} » du plan est introuvable")
        path = found
    cible = from_profile_file(path)
    return _Target(cible, f"profil {path.name}", cible.projet(innovation_id))


def _selected(item: CiblePlan) -> tuple[list[TerritoireOfficiel], str]:
    """The territories a selection gives, and the words that say where they come from."""
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
    if not found:
        raise UsageError(
            f"la sélection « {wanted.type} dans {wanted.dans} » ne donne aucun territoire",
            "Élargissez les bornes de population, ou vérifiez avec essaimage territoires "
            f"--dans {wanted.dans} --type {wanted.type}.",
        )
    return found, f"sélection : {TYPES_SELECTION[wanted.type]} {dans.de_nom}"


def resolve_targets(
    plan: Plan, folder: Path, innovation_id: str, source: FileCheck | None = None
) -> tuple[list[_Target], list[str]]:
    """Every target of the plan, in the plan's order, each territory once; and notes.

    At most MAX_CIBLES targets: beyond, the plan is refused at the target that crosses the line
    (a finding of `source`, the plan's file, when given), before any kit is computed. A
    territory already named is skipped before its target is built, and a selection's repeats
    make one note: 200 selections of a whole région cost 200 scans of the reference, not
    millions of targets."""
    unique: dict[str, _Target] = {}
    notes: list[str] = []

    def add(target: _Target, index: int) -> None:
        target.index = index
        unique[target.cible.code_insee or target.cible.slug] = target
        if len(unique) > MAX_CIBLES:
            raise _refused(
                plan, source, ("plan", "cibles", index), "C213",
                f"le plan compte plus de {nombre(MAX_CIBLES)} territoires une fois ses "
                "sélections faites (plus que de communes en France)",
                "Resserrez les sélections (population_min, population_max, limite) ou partagez "
                "le plan en plusieurs.",
            )  # fmt: skip

    for index, item in enumerate(plan.cibles):
        if item.selection is not None:
            found, words = _selected(item)
            repeated = []
            for official in found:
                if official.code in unique:
                    repeated.append(official.nom)
                else:
                    add(_Target(from_official(official), words, None), index)
            if len(repeated) == 1:
                notes.append(f"{repeated[0]} est nommé deux fois (dont {words}) : compté une fois")
            elif repeated:
                notes.append(
                    f"{nombre(len(repeated))} territoires de la {words} sont nommés aussi plus "
                    f"haut dans le plan (dont {repeated[0]}) : comptés une fois"
                )
            continue
        target = _profile(item, folder, innovation_id) if item.profil else _explicit(item)
        if (target.cible.code_insee or target.cible.slug) in unique:
            notes.append(
                f"{target.cible.nom} est nommé deux fois (dont {target.origine}) : compté une fois"
            )
        else:
            add(target, index)
    return list(unique.values()), notes


def _refused(
    plan: Plan, source: FileCheck | None, path: PathKey, code: str, message: str, hint: str
) -> EssaimageError:
    """The error of a plan that validates but would compute beyond the bounds: a finding at its
    line when the plan is a file (`source`), else (the quick form) the message alone."""
    if source is None or source.document is None or not isinstance(source.model, FichierPlan):
        return UsageError(message, hint)
    key = path[-1] != "debut"  # a mapping or a list item: at its key; a date: at its value
    finding = consistency.plan_finding(
        source.shown_as, source.document, path, code, message, hint, key
    )
    return InvalidPlanError(
        f"le plan « {plan.nom} » ne peut pas être calculé : {message}", [finding], source.text
    )


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


def _check_calendar(
    plan: Plan,
    targets: Sequence[_Target],
    waves: Sequence[tuple[int, int]],
    source: FileCheck | None,
) -> None:
    """The last wave and every target's own start within MAX_MOIS of the plan's start: the
    plan's dates then stay on the calendar (2999 + 100 years of waves + 10 budget years), and
    its years, waves and support are bounded whatever the sites (consistency says the same at
    validation for what the file alone tells)."""
    last = max((wave for _, wave in waves), default=1)
    problem = consistency.waves_problem(plan, last)
    if problem is not None:
        raise _refused(plan, source, ("plan", "vagues"), "C212", *problem)
    for target in targets:
        problem = consistency.start_problem(plan, target.debut)
        if problem is not None:
            path = ("plan", "cibles", target.index, "debut")
            raise _refused(plan, source, path, "C212", *problem)  # fmt: skip


# --- the driver's support --------------------------------------------------------------------


def support_by_year(
    accompagnement: Accompagnement | None, sites: int, offset_months: float, years: int
) -> list[float]:
    """The driver's cost for a target's sites, spread by month over plan years; the offset is
    counted in months from the 1st of January of the plan's first year (plan years are
    calendar years)."""
    out = [0.0] * years
    if accompagnement is None or accompagnement.cout_etp_annuel is None:
        return out
    monthly = accompagnement.etp_par_site * accompagnement.cout_etp_annuel / 12 * sites
    start, end = offset_months, offset_months + accompagnement.duree_mois
    for year in support_years(accompagnement, offset_months, years):
        overlap = min(end, 12 * (year + 1)) - max(start, 12 * year)
        if overlap > 0:
            out[year] += monthly * overlap
    return out


def support_years(accompagnement: Accompagnement | None, offset_months: float, years: int) -> range:
    """The plan years a target's support runs in (the others cost nothing): what one target
    costs to add up does not grow with the plan's length."""
    if accompagnement is None or accompagnement.cout_etp_annuel is None:
        return range(0)
    end = offset_months + accompagnement.duree_mois
    return range(max(math.floor(offset_months / 12), 0), min(math.ceil(end / 12), years))


def _months_into_plan(plan: Plan, start: dt.date) -> float:
    """Months from the 1st of January of the plan's first year to `start`, to the day."""
    return (start.year - plan.debut.year) * 12 + 12 - first_year_months(start)


def _support(plan: Plan, kit_sites: int) -> AccompagnementPlan | None:
    """What the plan's porteur gives a target of `kit_sites` sites, for its kit."""
    support = plan.accompagnement
    if support is None:
        return None
    return AccompagnementPlan(
        plan=plan.nom,
        porteur=plan.porteur.nom,
        etp_par_site=support.etp_par_site,
        etp=support.etp_par_site * kit_sites,
        duree_mois=support.duree_mois,
        cout_etp_annuel=support.cout_etp_annuel,
        description=support.description,
    )


# --- the plan --------------------------------------------------------------------------------


def compute(
    plan: Plan, descriptor: FileCheck, folder: Path, source: FileCheck | None = None
) -> PlanCalcule:
    """The whole plan computed; UsageError for a target that cannot be found.

    A plan whose targets or waves go beyond the bounds (MAX_CIBLES targets, waves over
    MAX_MOIS months) is refused before its kits are computed: InvalidPlanError with a finding
    at its line when `source` is the plan's checked file, else UsageError. Time and memory are
    then linear in the targets (one kit each, ~0,6 ms, the floor), whatever their sites."""
    innovation = descriptor.innovation
    targets, notes = resolve_targets(plan, folder, innovation.id, source)
    _check_projects(targets, descriptor)
    # sites first (as the kit counts them), then waves, then each kit at its wave's date
    counts = [size.measure(innovation, _project(t, None), t.cible).sites for t in targets]
    waves = assign_waves(counts, plan)
    _check_calendar(plan, targets, waves, source)
    starts = []
    for target, (first, _) in zip(targets, waves, strict=True):
        # a target starts with its wave, unless the plan gives it its own date
        starts.append(target.debut or wave_start(plan, first))
    # a target's kit years are calendar years from its start: its year 1 is a plan year
    offsets = [max(start.year - plan.debut.year, 0) for start in starts]
    # every kit covers the plan's horizon: three years after the last start
    horizon = max(offsets, default=0) + 3
    sites: list[SitePlan] = []
    for target, (first, last), start, offset, count in zip(
        targets, waves, starts, offsets, counts, strict=True
    ):
        project = _project(target, start)
        kit = prepare(
            innovation, descriptor, target.cible, project, horizon - offset,
            du_plan=plan.financements or None, accompagnement=_support(plan, count),
            origine_debut=_start_origin(target, first),
        )  # fmt: skip
        sites.append(SitePlan(target.cible, target.origine, kit, first, last, start, offset))
    horizon = max((s.decalage + len(s.kit.budget.annees) for s in sites), default=3)
    for site in sites:
        site.accompagnement = support_by_year(
            plan.accompagnement, site.sites, _months_into_plan(plan, site.debut), horizon
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


def _check_projects(targets: Sequence[_Target], descriptor: FileCheck) -> None:
    """InvalidProfileError when a profile's project is what `validate` calls an error against
    the plan's innovation (R103, R107), as a kit for it would be refused."""
    findings: list[Finding] = []
    text = None
    for target in targets:
        found = project_errors(descriptor, target.cible)
        if found and text is None and target.cible.document is not None:
            text = target.cible.document.text
        findings.extend(found)
    if findings:
        raise InvalidProfileError(
            f"le profil de territoire « {findings[0].file} » contient des erreurs", findings, text
        )


def _start_origin(target: _Target, wave: int) -> str:
    """Who set a target's start: the plan for this target, else its wave."""
    if target.debut is not None:
        return "fixé par le plan de montée en charge pour ce territoire"
    return f"fixé par le plan de montée en charge (vague {wave})"


def _project(target: _Target, start: dt.date | None) -> Projet | None:
    """The project a target's kit is computed with, starting at `start`."""
    if target.projet is None:
        if start is None:
            return None
        with without_plugins():
            return Projet(debut=start)
    return target.projet.model_copy(update={"debut": start or target.projet.debut})


def _waves(plan: Plan, sites: list[SitePlan]) -> list[Vague]:
    # one pass over the targets: a target spread over several waves is in each of them, and
    # only its first and last may hold others, so this is linear in targets + waves
    members: dict[int, list[SitePlan]] = {}
    for site in sites:
        for number in range(site.vague, site.derniere_vague + 1):
            members.setdefault(number, []).append(site)
    out = []
    for number in sorted(members):
        group = members[number]
        count = 0
        for member in group:
            span = member.derniere_vague - member.vague + 1
            count += member.sites if span == 1 else _share(member, number, plan)
        out.append(
            Vague(number, wave_start(plan, number), count, tuple(m.cible.nom for m in group))
        )
    return out


def _share(site: SitePlan, number: int, plan: Plan) -> int:
    """The sites of a target spread over several waves that start in wave `number`."""
    cap = plan.vagues.sites_par_vague if plan.vagues else site.sites
    before = cap * (number - site.vague)
    return max(min(cap, site.sites - before), 0)


def _period(plan: Plan, year: int) -> str:
    """« 2027 (à partir de septembre) » for the plan's first year, then « 2028 »…"""
    return calendar_label(plan.debut, year)


def _years(plan: Plan, sites: list[SitePlan], horizon: int) -> list[AnneePlan]:
    # Each target adds its own kit years (10 at most) to the plan years they fall in, instead
    # of every plan year asking every target (16 000 targets in 1 600 waves: 6,8 s with the
    # waves before, 0,4 s now). The sums run in the targets' order, as before, to the cent.
    funders = _funders(sites)
    costs, support, left = [0.0] * horizon, [0.0] * horizon, [0.0] * horizon
    paid: list[dict[str, float]] = [dict.fromkeys(funders, 0.0) for _ in range(horizon)]
    ends = [dt.date(plan.debut.year + year + 1, 1, 1) for year in range(horizon)]
    started = [0] * (horizon + 1)  # sites whose start falls in each plan year
    for site in sites:
        for index in range(len(site.kit.budget.annees)):
            year = site.decalage + index
            if not 0 <= year < horizon:
                continue
            costs[year] += site.cout(year)
            for name, value in site.paiements(year).items():
                paid[year][name] += value
            left[year] += site.reste(year)
        offset = _months_into_plan(plan, site.debut)
        running = support_years(plan.accompagnement, offset, len(site.accompagnement))
        for year in running:
            support[year] += site.accompagnement[year]
        started[bisect.bisect_right(ends, site.debut)] += site.sites
    out = []
    active = 0
    for year in range(horizon):
        active += started[year]
        out.append(
            AnneePlan(
                numero=year + 1,
                periode=_period(plan, year),
                # to the euro, as printed: every total of the plan is a sum of printed years
                cout_sites=to_euro(costs[year]),
                accompagnement=to_euro(support[year]),
                financements={name: to_euro(value) for name, value in paid[year].items()},
                reste_territoires=to_euro(left[year]),
                sites_actifs=active,  # sites started by the end of the year
            )
        )
    return out


def _funders(sites: Iterable[SitePlan]) -> list[str]:
    names: dict[str, None] = {}
    for site in sites:
        plan = site.kit.financement
        for versement in plan.financeurs if plan else []:
            names.setdefault(versement.financement.financeur, None)
    return list(names)


def _failures(sites: list[SitePlan]) -> list[tuple[str, list[str]]]:
    where: dict[str, list[str]] = {}
    for site in sites:
        for description in site.prerequis_non_remplis:
            where.setdefault(description, []).append(site.cible.nom)
    return sorted(where.items(), key=lambda item: (-len(item[1]), item[0]))


def calendar_words(plan: Plan, vagues: list[Vague]) -> str:
    """« 3 vagues, de septembre 2027 à septembre 2028, une tous les 6 mois »; « de mars à
    septembre 2027 » in one year."""
    if not vagues:
        return "aucun site"
    first, last = vagues[0].debut, vagues[-1].debut
    count = len(vagues)
    text = f"{nombre(count)} {pluriel(count, 'vague')}"
    if count == 1:
        return f"{text}, en {mois_annee(first)}"
    text += f", {de_a_mois(first, last)}"
    if plan.vagues:
        text += f", {consistency.every_months(plan.vagues.intervalle_mois)}"
    return text


# --- the quick form's plan ------------------------------------------------------------------


def quick_plan(
    innovation: Innovation,
    dans: str,
    type: str,
    population: tuple[int | None, int | None],
    limite: int | None,
    debut: dt.date,
    sites_par_vague: int | None,
    intervalle: int | None,
    porteur: str | None = None,
) -> Plan:
    """The plan the quick form describes: one selection, waves if asked, carried by `porteur`
    (else by « une structure à désigner », which reads in « Plan porté par … »); UsageError
    naming the option whose value the format refuses (the same bounds as in a plan file)."""
    data: dict[str, object] = {
        "id": f"{innovation.id}-{_slug(dans)}"[:64],
        "nom": f"{innovation.nom} — {TYPES_SELECTION.get(type, type)} {_where(dans)}",
        "innovation": innovation.id,
        "porteur": {"nom": porteur if porteur is not None else UNNAMED_PORTEUR},
        "debut": debut.isoformat(),  # as text: the format's years (1000 to 2999) apply
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
    if sites_par_vague is not None or intervalle is not None:  # 0 is refused, not ignored
        data["vagues"] = {
            "sites_par_vague": 5 if sites_par_vague is None else sites_par_vague,
            "intervalle_mois": 6 if intervalle is None else intervalle,
        }
    try:
        with without_plugins():
            return Plan.model_validate(data)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        names = [part for part in reversed(error["loc"]) if part in _QUICK_OPTIONS]
        option = _QUICK_OPTIONS[str(names[0])] if names else "forme rapide"
        raise UsageError(f"{option} : {diagnostics.reason(error)}") from None


UNNAMED_PORTEUR = "une structure à désigner"
_QUICK_OPTIONS = {
    "porteur": "--porteur",
    "debut": "--debut",
    "sites_par_vague": "--sites-par-vague",
    "intervalle_mois": "--intervalle",
    "limite": "--limite",
    "population_min": "--population",
    "population_max": "--population",
    "selection": "--population",  # population_min above population_max
    "dans": "--dans",
    "type": "--type",
}


def _where(dans: str) -> str:
    try:
        return reference().resolve(dans).territoire.de_nom
    except TerritoryNotFound:
        return f"dans {dans}"
