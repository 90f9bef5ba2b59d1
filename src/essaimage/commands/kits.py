"""Which kits to make, and making them: the core of `essaimage kit`, shared with the site.

`pairs` chooses the (innovation, territory) pairs, each once; `make_kits` checks the descriptors,
resolves the territories, prepares, renders and writes every kit, and returns what happened.
Nothing here prints: the command line shows the result.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..check.pipeline import FileCheck, check_file
from ..check.repository import repository_at, repository_for, templates_apart
from ..errors import InvalidProfileError, OutputError, TemplateProblem, UsageError
from ..files import manifest
from ..files.confinement import output_location
from ..files.manifest import WrittenFiles
from ..files.output import OutputFolder
from ..files.paths import display_path
from ..findings import CheckResult, Finding, Severity, internal_error
from ..format.models import Innovation
from ..kit.prepare import prepare
from ..kit.target import Cible, project_errors, resolve_target
from ..render.engine import render_all, start_run, write_kit

Selection = Literal["toutes", "prevues", "prevues-sinon-toutes"]


def pairs(
    innovations: Sequence[FileCheck], cibles: Sequence[Cible], selection: Selection
) -> list[tuple[FileCheck, Cible]]:
    """The (innovation, territory) pairs to make kits for, each once, territory by territory.

    - `toutes`: every innovation for every territory (descriptors named on the command line);
    - `prevues`: for a territory with a profile, the innovations its `projets` name (the site);
    - `prevues-sinon-toutes`: those, or every innovation when the territory plans none of them
      (`essaimage kit --territoire X` in a repository).

    `innovations` are valid descriptors; the first one with a given id is kept. A territory named
    twice counts once; two territories whose kits would have the same file name are a UsageError
    that names both.
    """
    by_id: dict[str, FileCheck] = {}
    for checked in innovations:
        if isinstance(checked.model, Innovation):
            by_id.setdefault(checked.model.id, checked)
    chosen: list[tuple[FileCheck, Cible]] = []
    seen: set[tuple[str, str]] = set()
    for cible in _distinct(cibles):
        planned = [by_id[i] for i in cible.profil.projets if i in by_id] if cible.profil else []
        if selection == "toutes":
            selected = list(by_id.values())
        elif selection == "prevues":
            selected = planned
        else:
            selected = planned or list(by_id.values())
        for checked in selected:
            key = (checked.innovation.id, cible.slug)
            if key not in seen:
                seen.add(key)
                chosen.append((checked, cible))
    return chosen


def _distinct(cibles: Sequence[Cible]) -> list[Cible]:
    """The territories, each once; UsageError when two of them would name the same file."""
    by_slug: dict[str, Cible] = {}
    out = []
    for cible in cibles:
        other = by_slug.get(cible.slug)
        if other is None:
            by_slug[cible.slug] = cible
            out.append(cible)
        elif _identity(other) != _identity(cible):
            raise UsageError(
                f"{_shown(other)} et {_shown(cible)} donneraient des kits du même nom "
                f"(« {cible.slug} ») : l'un écraserait l'autre",
                "Renommez l'un des deux profils.",
            )
    return out


def _identity(cible: Cible) -> tuple[str, ...]:
    if cible.fichier is not None:
        return ("profil", os.path.normcase(os.path.abspath(cible.fichier)))
    return ("officiel", cible.type or "", cible.code_insee or "")


def _shown(cible: Cible) -> str:
    return f"« {display_path(cible.fichier)} »" if cible.fichier else f"« {cible.libelle} »"


@dataclass
class KitRequest:
    """What `essaimage kit` is asked."""

    descripteurs: list[Path]  # empty: the innovations of the repository around `start`
    territoires: list[str]
    sortie: Path
    formats: list[str]
    start: Path


@dataclass
class KitRun:
    """What making the kits gave: findings, files written, texts for code frames."""

    result: CheckResult = field(default_factory=CheckResult)
    written: list[Path] = field(default_factory=list)
    count: int = 0  # kits made
    sources: dict[str, str] = field(default_factory=dict)  # shown path -> text
    notes: list[str] = field(default_factory=list)  # how territory arguments were read
    foreign: list[str] = field(default_factory=list)  # files of the folder essaimage did not write


def make_kits(request: KitRequest, on_written: Callable[[Path], None] | None = None) -> KitRun:
    """Make every kit the request asks for; `on_written` is told of each file as it is written.

    A descriptor with errors makes no kit (its errors are in the result); a profile with errors
    neither. UsageError for what cannot be done at all, OutputError when a kit cannot be written
    (or the output folder is a link that leads out of the repository: said before any check).
    """
    output_location(request.sortie)
    run = KitRun()
    start_run()  # the repository's templates get their time anew for this command
    if request.descripteurs:  # the descriptors named: a missing or wrong one is said first
        innovations = [_check_descriptor(path, True, run) for path in request.descripteurs]
        cibles = _resolve_cibles(request, request.descripteurs, run)
        chosen = pairs([c for c in innovations if c is not None], cibles, "toutes")
        templates = repository_templates(request.descripteurs, request.sortie)
        _write_kits(chosen, request, templates, run, on_written)
        return run
    paths = _repository_innovations(request.start)
    cibles = _resolve_cibles(request, paths, run)
    # the repository's ids, read once, only when a profile names projects
    planning = any(c.profil is not None and c.profil.projets for c in cibles)
    known = _root_ids(paths) if planning else set()
    run.result.extend(unknown_projects(cibles, known))
    if _one_kit_each(cibles, known):
        templates = repository_templates(paths, request.sortie)
        _stream_kits(paths, cibles[0], request, templates, run, on_written)
        return run
    innovations = [_check_descriptor(path, False, run) for path in paths]
    chosen = pairs([c for c in innovations if c is not None], cibles, "prevues-sinon-toutes")
    _write_kits(chosen, request, repository_templates(paths, request.sortie), run, on_written)
    return run


def repository_templates(descriptors: Sequence[Path], sortie: Path) -> Path | None:
    """The repository's own templates (`gabarits`), if it has some: UsageError when they are
    not a folder of their own, or when the kits would be written in or around them."""
    templates = repository_for(descriptors[0].parent).templates if descriptors else None
    templates_apart(templates, sortie)
    return templates


def _resolve_cibles(request: KitRequest, paths: Sequence[Path], run: KitRun) -> list[Cible]:
    """The territories of the request; a profile with errors makes no kit (its errors go to
    the run)."""
    start_points = [request.start] + [path.parent for path in paths]
    cibles = []
    for argument in request.territoires:
        try:
            cible = resolve_target(argument, start_points)
        except InvalidProfileError as exc:
            run.result.extend(exc.findings)  # no kit for it
            if exc.findings and exc.text is not None:
                run.sources[exc.findings[0].file] = exc.text
            continue
        if cible.document is not None and cible.fichier is not None:
            run.sources[display_path(cible.fichier)] = cible.document.text
        if cible.note:
            run.notes.append(cible.note)
        cibles.append(cible)
    return cibles


@contextlib.contextmanager
def _writing(request: KitRequest, run: KitRun) -> Iterator[WrittenFiles]:
    """Kits written into the output folder: its manifest saved whatever happens, the files
    there that essaimage did not write told to the run, a folder that cannot be written an
    OutputError."""
    try:
        with OutputFolder(request.sortie) as folder:
            run_files = WrittenFiles(folder, manifest.KITS)
            try:
                yield run_files
            finally:
                if run_files.hashes:
                    run_files.save()
            run.foreign = run_files.foreign()
    except OSError as exc:
        raise OutputError(
            f"écriture impossible dans « {request.sortie} » : {exc.strerror or exc}"
        ) from None


def _one_kit_each(cibles: Sequence[Cible], known: set[str]) -> bool:
    """Whether the repository's innovations make their kits one after the other, each for the
    one territory, in the files' order: then each descriptor is checked, its kit made, and it
    is let go (a national catalogue's kits in constant memory). That is the case for a single
    territory whose profile plans none of the repository's innovations (else only those, in
    the profile's order, as `pairs` says). `known`: the repository's ids (`_root_ids`)."""
    if len(_distinct(cibles)) != 1:
        return False
    profil = cibles[0].profil
    if profil is None or not profil.projets:
        return True
    return not set(profil.projets) & known


def _root_ids(descriptors: Sequence[Path]) -> set[str]:
    """The ids the descriptors give themselves, read without checking them (they are checked
    on their own)."""
    from ..check.loader import root_facts

    ids = set()
    for path in descriptors:
        facts = root_facts(path)
        if facts is not None and facts.id is not None:
            ids.add(facts.id.strip())
    return ids


def _stream_kits(
    descriptors: Sequence[Path],
    cible: Cible,
    request: KitRequest,
    templates: Path | None,
    run: KitRun,
    on_written: Callable[[Path], None] | None,
) -> None:
    """`pairs` and `_write_kits` for one territory and every innovation, one descriptor at a
    time: the first valid descriptor of each id makes its kit, as in `pairs`."""
    made: set[str] = set()
    with _writing(request, run) as files:
        for path in descriptors:
            checked = _check_descriptor(path, False, run)
            if checked is None or checked.innovation.id in made:
                continue
            made.add(checked.innovation.id)
            _make_kit(checked, cible, request, templates, run, files, on_written)


def unknown_projects(cibles: Sequence[Cible], known: set[str]) -> list[Finding]:
    """R102, as `essaimage validate` says it: a profile's project that names no innovation of
    the repository (`known`, its ids) gets no kit, and the user is told so rather than left to
    wonder."""
    from ..check.consistency import project_unknown
    from ..text.words import suggest

    findings = []
    for cible in cibles:
        if cible.profil is None or cible.document is None or cible.fichier is None:
            continue
        for ident in cible.profil.projets:
            if ident not in known:
                findings.append(
                    project_unknown(
                        display_path(cible.fichier), cible.document, ident,
                        suggest(ident, sorted(known)),
                    )
                )  # fmt: skip
    return findings


def _write_kits(
    chosen: list[tuple[FileCheck, Cible]],
    request: KitRequest,
    templates: Path | None,
    run: KitRun,
    on_written: Callable[[Path], None] | None,
) -> None:
    with _writing(request, run) as files:
        for checked, cible in chosen:
            _make_kit(checked, cible, request, templates, run, files, on_written)


def _make_kit(
    checked: FileCheck,
    cible: Cible,
    request: KitRequest,
    templates: Path | None,
    run: KitRun,
    files: WrittenFiles,
    on_written: Callable[[Path], None] | None,
) -> None:
    """Prepare, render and write one kit; a problem of this kit is a finding of the run. A
    profile whose project `validate` would refuse against this innovation (R103, R107) makes no
    kit: its errors are the run's."""
    refused = project_errors(checked, cible)  # R103, R107
    if refused:
        run.result.extend(refused)
        return
    try:
        kit = prepare(checked.innovation, checked, cible)
        texts = render_all(kit, request.formats, templates)
    except TemplateProblem as exc:
        run.result.append(template_finding(exc))
        return
    except Exception as exc:  # noqa: BLE001 - one failed kit must not stop the others
        run.result.append(internal_error(checked.shown_as, exc))
        return
    run.result.extend(kit.avertissements)
    if kit.reprises is not None and kit.reprises.ecartes:
        note = (
            f"les kits de « {checked.innovation.id} » ne comptent pas "
            f"{'ce retour d’essaimage' if len(kit.reprises.ecartes) == 1 else 'ces retours d’essaimage'}"
            f", qui {'a' if len(kit.reprises.ecartes) == 1 else 'ont'} des erreurs : "
            f"{', '.join(kit.reprises.ecartes)} (essaimage validate les montre)"
        )
        if note not in run.notes:
            run.notes.append(note)
    for path in write_kit(kit, request.sortie, texts, files):
        run.written.append(path)
        if on_written:
            on_written(path)
    run.count += 1


def template_finding(problem: TemplateProblem) -> Finding:
    """A custom template that cannot make a kit, as a finding at its file and line."""
    return Finding(
        problem.file, problem.line or 1, 1, "$", "K302", Severity.ERREUR,
        problem.reason, problem.hint,
    )  # fmt: skip


def _repository_innovations(start: Path) -> list[Path]:
    paths = repository_at(start).files("innovations")
    if not paths:
        raise UsageError(
            "aucun descripteur indiqué, et aucune innovation dans ce dossier "
            "(ni essaimage.yaml, ni dossier innovations/)",
            "Indiquez un descripteur : essaimage kit innovations/mon-innovation.yaml "
            "--territoire …",
        )
    return paths


def _check_descriptor(path: Path, explicit: bool, run: KitRun) -> FileCheck | None:
    """The descriptor checked; its errors go to the run (deployability warnings are
    `validate`'s business). None when it makes no kit: when it is not valid, or when a rule
    the repository raises to « erreur » fires (validate fails on it: so does its kit)."""
    if explicit and not path.is_file():
        raise UsageError(f"le descripteur « {path} » n'existe pas")
    checked = check_file(path)
    run.result.files.append(checked.shown_as)
    run.result.extend([f for f in checked.findings if f.severity is Severity.ERREUR])
    if checked.text is not None:
        run.sources[checked.shown_as] = checked.text
    if checked.model is None or not checked.ok:
        return None
    if not isinstance(checked.model, Innovation):
        if explicit:
            raise UsageError(
                f"« {checked.shown_as} » n'est pas un descripteur d'innovation",
                "Passez un profil de territoire avec --territoire.",
            )
        return None
    return checked


@dataclass
class Preview:
    """A kit's HTML for a draft and a territory, or why there is none."""

    html: str | None
    reason: str = ""  # in French, when there is no HTML
    findings: list[Finding] = field(default_factory=list)


def preview(path: Path, text: str, territoire: str) -> Preview:
    """The HTML kit of the descriptor `text` (named `path`, which places it in its repository)
    for `territoire`: a profile of the repository (by name or file name) or a territory of the
    official reference, as `essaimage kit -t` reads it, never a path outside the repository.
    Nothing is written."""
    argument = territoire.strip()
    if not argument:
        return Preview(None, "Choisissez un territoire pour voir le kit.")
    if argument.endswith((".yaml", ".yml")) or "/" in argument or "\\" in argument:
        found = [p for p in repository_profiles(path) if p.name == Path(argument).name]
        if not found:
            return Preview(None, f"« {argument} » n'est pas un profil de territoire du dépôt.")
        argument = str(found[0])
    checked = check_file(path, text.encode("utf-8"))
    if not isinstance(checked.model, Innovation):
        reason = (
            "Corrigez d'abord les erreurs de la fiche : le kit se fait d'une fiche sans erreur."
        )
        return Preview(None, reason, [f for f in checked.findings if f.severity is Severity.ERREUR])
    try:
        cible = resolve_target(argument, [path.parent])
    except InvalidProfileError as exc:
        return Preview(None, str(exc), list(exc.findings))
    except UsageError as exc:
        return Preview(None, str(exc) + (f" {exc.hint}" if exc.hint else ""))
    refused = project_errors(checked, cible)
    if refused:
        return Preview(None, "Le projet du profil ne peut pas se faire avec cette fiche.", refused)
    start_run()
    try:
        kit = prepare(checked.innovation, checked, cible)
        html = render_all(kit, ["html"], repository_for(path.parent).templates)["html"]
    except TemplateProblem as exc:
        return Preview(None, "Les gabarits du dépôt ne font pas ce kit.", [template_finding(exc)])
    return Preview(str(html), findings=list(kit.avertissements))


def repository_profiles(path: Path) -> list[Path]:
    """The territory profiles of the repository around `path`, by file name."""
    from ..kit.target import profile_folders

    found: dict[str, Path] = {}
    for folder in profile_folders([path.parent]):
        for profile in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
            if profile.is_file() and not profile.is_symlink():
                found.setdefault(profile.name, profile)
    return sorted(found.values(), key=lambda p: p.name)
