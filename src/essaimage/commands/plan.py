"""The core of `essaimage plan`: the plan and its innovation read and checked, the plan computed
(from its file, or from the quick form's options) and its files written. Nothing is printed: the
command line says what `PlanRun` holds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..check.loader import load_file
from ..check.pipeline import FileCheck, check_files
from ..check.repository import repository_at
from ..check.rules import today
from ..errors import InvalidProfileError, TemplateProblem, UsageError
from ..files.discovery import YAML_SUFFIXES
from ..findings import CheckResult, Severity
from ..format.models import FichierPlan, Innovation, Plan
from ..plan.compute import PlanCalcule, compute, quick_plan
from ..render.plan_files import write_plan
from ..territories.search import population_bounds
from .kits import repository_templates, template_finding


@dataclass(frozen=True)
class QuickForm:
    """The quick form's options, as typed: where to look and how to spread the sites."""

    dans: str | None = None
    type: str = "commune"
    population: str | None = None  # "5000-20000"
    limite: int | None = None
    debut: str | None = None  # "AAAA-MM-JJ"; the month after today by default
    sites_par_vague: int | None = None
    intervalle: int | None = None
    porteur: str | None = None  # who carries the plan


@dataclass(frozen=True)
class PlanRequest:
    """What `essaimage plan` is asked: a plan file, or an innovation with the quick form."""

    source: str
    sortie: Path
    formats: list[str]
    kits: bool = False
    rapide: QuickForm = field(default_factory=QuickForm)
    start: Path = field(default_factory=Path.cwd)  # where an innovation id is looked up


@dataclass
class PlanRun:
    """What making the plan gave: its errors (none when it was written), the plan computed, the
    files written and what the user should know."""

    result: CheckResult = field(default_factory=CheckResult)
    sources: dict[str, str] = field(default_factory=dict)  # shown path -> text, for code frames
    computed: PlanCalcule | None = None
    written: list[Path] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)  # files of the folder essaimage did not write
    notes: list[str] = field(default_factory=list)

    def failed(self) -> bool:
        """True when no plan was written: its findings say why (`computed` is set only once the
        plan is written)."""
        return self.computed is None


NOT_A_PLAN = "« {} » n'est ni un plan ni un descripteur d'innovation"


def make_plan(request: PlanRequest) -> PlanRun:
    """Read, check, compute and write the plan the request asks for. UsageError for what the
    command cannot do (a missing innovation, an option's value); errors in the files are the
    run's findings, and then nothing is written."""
    run = PlanRun()
    path = Path(request.source)
    plan_file = _checked(path, run) if path.is_file() else None
    plan: Plan | None = None
    if plan_file is not None and isinstance(plan_file.model, FichierPlan):
        plan = plan_file.model.plan
        folder = path.parent
        descriptor = _checked(find_innovation(plan.innovation, folder), run)
    elif plan_file is not None and not isinstance(plan_file.model, Innovation):
        if not run.result.failed():
            raise UsageError(NOT_A_PLAN.format(request.source))
        return run  # a file with errors: they are what the user needs
    else:
        if request.rapide.dans is None:
            raise UsageError(
                "sans fichier de plan, indiquez où chercher : --dans",
                f"Par exemple : essaimage plan {request.source} --dans region:53 --type commune "
                "--population 5000-20000 --limite 20",
            )
        folder = request.start
        descriptor = (
            plan_file
            if plan_file is not None
            else _checked(find_innovation(request.source, folder), run)
        )
    if run.result.failed() or descriptor.model is None:
        return run
    if plan is None:
        plan = _quick_plan(descriptor, request.rapide)
    try:
        computed = compute(plan, descriptor, folder, plan_file)
    except InvalidProfileError as exc:
        run.result.extend(exc.findings)
        if exc.findings and exc.text is not None:
            run.sources[exc.findings[0].file] = exc.text
        return run
    run.notes = list(computed.notes)
    templates = repository_templates([descriptor.path], request.sortie) if request.kits else None
    try:
        run.written, run.foreign = write_plan(
            computed, request.sortie, request.formats, request.kits, templates
        )
    except TemplateProblem as exc:
        run.result.append(template_finding(exc))
        return run
    run.computed = computed
    return run


def _checked(file: Path, run: PlanRun) -> FileCheck:
    """One file checked with the checks between files (a plan's unknown innovation or profile,
    at its line); its errors kept in the run."""
    report, (found,) = check_files([file])
    run.result.files.append(found.shown_as)
    run.result.extend([f for f in report.findings if f.severity is Severity.ERREUR])
    if found.text is not None:
        run.sources[found.shown_as] = found.text
    return found


def _quick_plan(descriptor: FileCheck, rapide: QuickForm) -> Plan:
    """The plan of the quick form, its options read; UsageError for a value that is none."""
    assert rapide.dans is not None
    try:
        bounds = population_bounds(rapide.population) if rapide.population else (None, None)
    except ValueError:
        raise UsageError(
            f"« {rapide.population} » n'est pas une fourchette de population"
        ) from None
    try:
        start = dt.date.fromisoformat(rapide.debut) if rapide.debut else next_month(today())
    except ValueError:
        raise UsageError(f"« {rapide.debut} » n'est pas une date (AAAA-MM-JJ)") from None
    return quick_plan(
        descriptor.innovation, rapide.dans, rapide.type, bounds, rapide.limite, start,
        rapide.sites_par_vague, rapide.intervalle, rapide.porteur,
    )  # fmt: skip


def next_month(day: dt.date) -> dt.date:
    """The first day of the month after `day`."""
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def find_innovation(name: str, folder: Path) -> Path:
    """The descriptor a plan names: a path from the plan's folder, or an innovation id of the
    repository; UsageError when there is none."""
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
