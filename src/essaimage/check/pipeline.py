"""The one orchestrator of a check: each file in phases, then the checks between files.

Phases of one file: reading (`loader`), the format (`diagnostics`), consistency inside the file
(`consistency`), then, for a descriptor without errors, the deployability rules (`rules`) with
the repository's and the descriptor's severity settings. After every file, the checks between
files (`consistency.check_across`) run on what was read; the innovations of the repository that
the run did not name are read here, once, so that no check reads a file itself.

`validate` keeps of each checked file only what the report and the checks between files need
(`lighten`): its memory does not grow with the repository. From PARALLEL_FROM files, it may share
the files among processes (`jobs`); the results come back in the files' order.

An unexpected exception while checking one file becomes an internal-error finding for that file,
beside the findings of the phases before it (each phase adds its findings as soon as it is done;
inside the format's phase, `diagnostics` keeps the loaded file's control characters and every
error it can still say), and the run goes on with the next one.
"""

from __future__ import annotations

import functools
import glob
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..errors import EssaimageError
from ..files.confinement import allowed_roots, is_inside
from ..files.discovery import is_configuration
from ..files.paths import display_path
from ..findings import CheckResult, Finding, Severity, internal_error
from ..format.models import (
    Configuration,
    FichierPlan,
    FichierRetour,
    Innovation,
    Plan,
    Profil,
    Retour,
    TerritoireProfil,
    model_for,
)
from ..territories.cog import reference
from ..text.words import normalize_name
from . import consistency, diagnostics, retours, rules
from .loader import MAX_BYTES, Document, load_bytes, load_file, root_facts
from .repository import Repository, repository_for


@dataclass(slots=True)
class FileCheck:
    """What checking one file gave."""

    path: Path
    shown_as: str
    text: str | None = None  # the file as read, for code frames
    document: Document | None = None
    model: BaseModel | None = None
    findings: list[Finding] = field(default_factory=list)
    readiness: rules.Indice | None = None  # « indice de déployabilité » of a valid descriptor
    repository: Repository | None = None  # the repository whose settings applied
    levels: dict[str, str] = field(default_factory=dict)  # rule levels for this descriptor
    identity: consistency.InnovationIdentity | None = None  # for the checks between files

    @property
    def ok(self) -> bool:
        """True when the file has no error."""
        return not any(f.severity is Severity.ERREUR for f in self.findings)

    @property
    def innovation(self) -> Innovation:
        """The validated descriptor, for a file known to be a valid innovation."""
        if not isinstance(self.model, Innovation):
            raise TypeError(f"{self.shown_as} n'est pas un descripteur valide")
        return self.model


def check_file(path: Path, content: bytes | None = None) -> FileCheck:
    """Read, validate and check one file; never raises for the file's content.

    With `content` (the standard input), nothing is read from disk: `path` is only the name the
    text goes by, which places it in its repository (configuration, relative resources).
    """
    result = FileCheck(path, display_path(path))
    _check_into(result, content)
    try:
        result.identity = consistency.innovation_identity(path, result.document, result.model)
    except Exception as exc:  # noqa: BLE001 - one broken file must not stop the run
        result.findings.append(internal_error(result.shown_as, exc))
    return result


def _check_into(result: FileCheck, content: bytes | None) -> None:
    """The phases of one file, each adding to `result` as soon as it is done (what a later phase
    raises cannot take it back); stops at the first that fails."""
    path, shown = result.path, result.shown_as
    try:
        roots = allowed_roots(path)
        if content is None and not is_inside(path, roots):
            result.findings.append(outside_finding(shown))
            return
        loaded = load_file(path, shown) if content is None else load_bytes(content, shown)
        result.text = loaded.text
        result.findings.extend(loaded.findings)
        if loaded.document is None:
            return
        doc = result.document = loaded.document
        model_cls = Configuration if is_configuration(path) else None
        model, schema_findings = diagnostics.validate_document(doc, shown, model_cls)
        result.findings.extend(schema_findings)
        if model is None:
            return
        if isinstance(model, Innovation):
            result.findings.extend(
                consistency.check_innovation(model, doc, shown, path.parent, roots)
            )
        elif isinstance(model, Profil):
            result.findings.extend(consistency.check_profile(model, doc, shown))
        elif isinstance(model, FichierPlan):
            result.findings.extend(consistency.check_plan(model, doc, shown, path.parent, roots))
        elif isinstance(model, FichierRetour):
            result.findings.extend(retours.check_retour(model, doc, shown, path.parent, roots))
        if not result.ok:
            return
        result.model = model
        if isinstance(model, Innovation):
            result.repository = repository_for(path.parent)
            # defaults < repository < by path < the descriptor's own `regles`
            result.levels = {**result.repository.overrides_for(path), **model.regles}
            found_hits = rules.hits(model)  # once, for the findings and the score
            lessons = lessons_for(path, model.id)
            if lessons.retours:
                found_hits["D902"] = []  # its take-overs have reports
            result.findings.extend(rules.check(model, doc, shown, result.levels, found_hits))
            result.findings.extend(
                rules.lesson_findings(model, lessons, doc, shown, result.levels, rules.today())
            )
            result.readiness = rules.indice(model, found_hits=found_hits)
    except Exception as exc:  # noqa: BLE001 - one broken file must not stop the run
        result.findings.append(internal_error(shown, exc))
        result.model = result.readiness = None


_KEPT = (Profil, FichierPlan, FichierRetour)  # the files the checks between files read
_NO_LEVELS: dict[str, str] = {}  # shared by every lightened check, never written
_READINESS: dict[rules.Indice, rules.Indice] = {}


def lighten(check: FileCheck, keep_text: bool = False) -> FileCheck:
    """Drop what a validate run no longer needs once a file is checked: its tree and model (those
    of a profile, a plan or a take-over report stay, for the checks between files) and, unless asked, its text.
    The findings, the identity and the score stay: memory no longer grows with the files' size.
    """
    if not isinstance(check.model, _KEPT):
        check.document = check.model = None
    check.levels = _NO_LEVELS  # they served the checks; kits read them, validate does not
    if check.readiness is not None:  # a few scores recur across a catalogue: one object each
        check.readiness = _READINESS.setdefault(check.readiness, check.readiness)
    if not keep_text:
        check.text = None
    return check


STDIN_NAME = "entree-standard.yaml"


def read_stdin(stream: Any) -> bytes:
    """The standard input's bytes, at most MAX_BYTES + 1 (enough to say it is too large)."""
    chunks, size = [], 0
    while size <= MAX_BYTES:
        chunk = stream.read(min(1 << 16, MAX_BYTES + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def outside_finding(shown: str) -> Finding:
    """The finding for a file that is a link to somewhere outside the repository."""
    return Finding(
        shown, 1, 1, "$", "Y001", Severity.ERREUR,
        "fichier non lu : c'est un lien vers un fichier hors du dépôt",
        "essaimage ne lit que les fichiers du dépôt ; copiez le fichier dans le dépôt.",
    )  # fmt: skip


def check_files(
    files: list[Path],
    across: bool = True,
    contents: dict[Path, bytes] | None = None,
    keep: bool = True,
    keep_text: bool = True,
    jobs: int = 1,
) -> tuple[CheckResult, list[FileCheck]]:
    """Check files one by one, then (unless `across` is off) the checks between files.
    `contents` gives the text of files that are not read from disk (the standard input).

    With `keep` off, each file's tree and model are dropped once it is checked (see `lighten`),
    and its text too unless `keep_text`: validate's memory then stays flat as the repository
    grows; kits and the site keep everything (`keep`, the default). With `keep` off and
    `jobs` > 1, a run of PARALLEL_FROM files or more is shared among that many processes; the
    files come back in their order, so the findings are the same, and the checks between files
    run once all are back.
    """
    result = CheckResult()
    checked = []
    if jobs > 1 and not keep and not contents and len(files) >= PARALLEL_FROM:
        each: Iterable[FileCheck] = _in_parallel(files, jobs, keep_text)
    else:
        each = (check_file(path, (contents or {}).get(path)) for path in files)
    for file_check in each:
        if not keep:
            lighten(file_check, keep_text)
        checked.append(file_check)
        result.files.append(file_check.shown_as)
        result.extend(file_check.findings)
    if across:
        try:
            result.extend(
                consistency.check_across(
                    checked,
                    _outside_ids(checked),
                    _profile_names(checked),
                    _profiles_outside_identities(checked),
                )
            )
            result.extend(_retours_across(checked))
        except EssaimageError:
            raise  # a repository the command cannot work in: said by the command line
        except Exception as exc:  # noqa: BLE001 - reported, never a traceback
            result.append(internal_error(checked[0].shown_as if checked else ".", exc))
    # A configuration with errors that was not among the files named is still reported.
    seen = {c.shown_as for c in checked}
    repositories = {id(c.repository): c.repository for c in checked if c.repository}
    for repository in repositories.values():
        if repository.findings and repository.findings[0].file not in seen:
            seen.add(repository.findings[0].file)
            result.files.append(repository.findings[0].file)
            result.extend(repository.findings)
    return result, checked


PARALLEL_FROM = 200  # below, starting the processes costs more than they save
_CHUNKS_PER_JOB = 8  # small enough to balance the load, large enough to pay the transfer


def available_cpus() -> int:
    """The processors this process may run on (a CI runner's quota, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _in_parallel(files: list[Path], jobs: int, keep_text: bool) -> Iterator[FileCheck]:
    """Check files in `jobs` processes, in chunks; yields the results in the files' order. If
    the processes cannot be used (no fork, a worker dies), the files are checked here."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = max(1, -(-len(files) // (jobs * _CHUNKS_PER_JOB)))
    chunks = [files[i : i + size] for i in range(0, len(files), size)]
    methods = multiprocessing.get_all_start_methods()
    # fork: the workers start with everything this process has imported and computed
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    done = 0
    repositories: dict[Path, Repository] = {}  # one look-up per folder
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            for chunk, results in zip(
                chunks, pool.map(_check_chunk, chunks, [keep_text] * len(chunks)), strict=True
            ):
                for path, file_check in zip(chunk, results, strict=True):
                    file_check.path = path  # this process's own object, not a copy rebuilt
                    if file_check.readiness is not None:  # a valid descriptor: see check_file
                        folder = file_check.path.parent
                        if folder not in repositories:
                            repositories[folder] = repository_for(folder)
                        file_check.repository = repositories[folder]
                    done += 1
                    yield file_check
    except Exception:  # noqa: BLE001 - a dead worker, a result that cannot be sent (pickle
        # raises PicklingError, AttributeError or TypeError), no fork: the rest is checked here,
        # the run is slower, never wrong
        for path in files[done:]:
            yield check_file(path)


def _check_chunk(paths: list[Path], keep_text: bool) -> list[FileCheck]:
    """In a worker: check some files, lightened, without their repository and their path (the
    parent has both: rebuilding 10 000 paths from their pickles cost it a second)."""
    results = []
    for path in paths:
        file_check = lighten(check_file(path), keep_text)
        file_check.repository = None
        file_check.path = _SENT_WITHOUT_PATH
        results.append(file_check)
    return results


_SENT_WITHOUT_PATH = Path()  # what a worker's result holds instead of its path


def _outside_ids(checked: list[FileCheck]) -> dict[Path, dict[str, set[str] | None]]:
    """For each valid profile, its repository's innovations that the run did not read: their
    ids and the ids of their marges (None when the file does not list them clearly).

    A pre-commit hook checks only the files that changed: a profile's project may name an
    innovation that is in the repository but not in the run, and its choices are checked
    against that innovation's marges as a run over the whole repository would.
    """
    wanting = [c for c in checked if isinstance(c.model, (Profil, FichierPlan, FichierRetour))]
    if not wanting:
        return {}
    in_run = {os.path.abspath(c.path) for c in checked}
    run_ids = {c.identity.id for c in checked if c.identity is not None}
    by_home: dict[tuple[Path, frozenset[str]], dict[str, set[str] | None]] = {}
    outside: dict[Path, dict[str, set[str] | None]] = {}
    for item in wanting:
        wanted = frozenset(_named_innovations(item.model) - run_ids)
        key = (_innovations_home(item.path), wanted)
        if key not in by_home:
            by_home[key] = _ids_in(key[0], skip=in_run, wanted=wanted)
        outside[item.path] = by_home[key]
    return outside


def _named_innovations(model: BaseModel | None) -> set[str]:
    """The innovation ids a profile's projects, a plan or a take-over report name."""
    if isinstance(model, Profil):
        return set(model.projets)
    if isinstance(model, FichierPlan):
        return {model.plan.innovation}
    if isinstance(model, FichierRetour):
        return {model.retour.innovation}
    return set()


def _profile_names(checked: list[FileCheck]) -> dict[Path, set[str]]:
    """For each valid plan, the file names (without .yaml) of its repository's profiles."""
    names: dict[Path, set[str]] = {}
    for item in checked:
        if isinstance(item.model, FichierPlan):
            repository = repository_for(item.path.parent)
            names[item.path] = {path.stem for path in repository.files("territoires")}
    return names


def _innovations_home(profile: Path) -> Path:
    """The repository a profile belongs to: its configuration's root, or the folder above."""
    repository = repository_for(profile.parent)
    return repository.root if repository.root is not None else profile.parent.parent


def _ids_in(root: Path, skip: set[str], wanted: frozenset[str]) -> dict[str, set[str] | None]:
    """The repository's innovations that are not in `skip` (read only, not checked): id -> the
    ids of its marges. Only `wanted` matters: the files named after those ids are read first
    (innovations/pedibus.yaml for « pedibus »), and the whole repository only when one of them
    is not found so (a hook on one profile then reads a few files, not a national catalogue;
    a misspelt project still gets its suggestion from every id)."""
    if not wanted:
        return {}
    repository = repository_for(root)
    files = (
        repository.files("innovations")
        if repository.root
        else sorted((root / "innovations").glob("*.y*ml"))
    )
    ids = _read_ids([file for file in files if file.stem in wanted], root, skip)
    if wanted <= ids.keys():
        return ids
    return _read_ids(files, root, skip)


def _read_ids(files: list[Path], root: Path, skip: set[str]) -> dict[str, set[str] | None]:
    ids: dict[str, set[str] | None] = {}
    for file in files:
        if os.path.abspath(file) in skip or not is_inside(file, [root]):
            continue  # already read by this run, or a link leading out of the repository
        facts = root_facts(file)  # the few values needed, without building the document
        if facts is None or facts.id is None:
            continue
        if model_for(dict.fromkeys(facts.keys)) is Innovation:
            ids[facts.id] = facts.marges
    return ids


# --- take-over reports against their repository ----------------------------------------------


def _kind_files(root: Path, kind: str) -> list[Path]:
    """The files of one kind in a repository (its configuration's patterns, else the folder of
    that name beside the files checked)."""
    repository = repository_for(root)
    if repository.root is not None:
        return repository.files(kind)
    return sorted((root / kind).glob("*.y*ml"))


def _retours_across(checked: list[FileCheck]) -> list[Finding]:
    """The checks between a run's take-over reports and their repository's innovations, plans
    and profiles (`retours.check_across`). What the run did not read is read here, only what
    the reports name: the innovation of each report (the file named after it first), the plans
    when a report names one the run lacks, the profiles it names."""
    wanting = [c for c in checked if isinstance(c.model, FichierRetour) and c.document]
    if not wanting:
        return []
    in_run = {os.path.abspath(c.path) for c in checked}
    identities: dict[str, consistency.InnovationIdentity | None] = {
        c.identity.id: c.identity  # with coeur None when the file is not a valid descriptor
        for c in checked
        if c.identity is not None
    }
    plans = {c.model.plan.id: c.model.plan for c in checked if isinstance(c.model, FichierPlan)}
    profiles = {
        c.path.stem: retours.ProfileTerritory(c.path.stem, c.model.territoire)
        for c in checked
        if isinstance(c.model, Profil)
    }
    findings: list[Finding] = []
    by_home: dict[Path, list[FileCheck]] = {}
    for item in wanting:
        by_home.setdefault(_innovations_home(item.path), []).append(item)
    for home, items in by_home.items():
        reports = [r for r in items if isinstance(r.model, FichierRetour)]
        models = [r.model for r in reports if isinstance(r.model, FichierRetour)]
        known = dict(identities)
        missing = {m.retour.innovation for m in models} - known.keys()
        if missing:
            known.update(_outside_identities(home, in_run, frozenset(missing)))
        home_plans = dict(plans)
        if any(m.retour.plan and m.retour.plan not in home_plans for m in models):
            home_plans.update(_outside_plans(home, in_run))
        home_profiles = dict(profiles)
        names: set[str] | None = None
        if any(m.retour.profil for m in models):
            profile_files = _kind_files(home, "territoires")
            names = {path.stem for path in profile_files}
            home_profiles.update(_outside_profiles(profile_files, models, home_profiles, home))
        files = [
            retours.RetourFile(r.shown_as, r.document, r.model)
            for r in reports
            if r.document is not None and isinstance(r.model, FichierRetour)
        ]
        findings.extend(retours.check_across(files, known, home_plans, home_profiles, names))
    return findings


def _profiles_outside_identities(
    checked: list[FileCheck],
) -> dict[Path, dict[str, consistency.InnovationIdentity | None]]:
    """For each valid profile, the identity of the innovations its projects name that the run
    did not check (a hook on the profile alone): the files named after them only (the
    repository's other files are read once already, by `_outside_ids`, for unknown ids)."""
    in_run = {os.path.abspath(c.path) for c in checked}
    run_ids = {c.identity.id for c in checked if c.identity is not None}
    found: dict[Path, dict[str, consistency.InnovationIdentity | None]] = {}
    cache: dict[tuple[Path, frozenset[str]], dict[str, consistency.InnovationIdentity | None]] = {}
    for item in checked:
        if not isinstance(item.model, Profil):
            continue
        wanted = frozenset(set(item.model.projets) - run_ids)
        if not wanted:
            continue
        key = (_innovations_home(item.path), wanted)
        if key not in cache:
            cache[key] = _outside_identities(key[0], in_run, wanted, scan=False)
        found[item.path] = cache[key]
    return found


def _outside_identities(
    home: Path, skip: set[str], wanted: frozenset[str], scan: bool = True
) -> dict[str, consistency.InnovationIdentity | None]:
    """The identities of the innovations `wanted` that the run did not check: the files named
    after them are checked first (innovations/pedibus.yaml for « pedibus »); unless `scan` is
    off, the others of the repository are read (their root facts only) when one is not found
    so, and their ids come back too (with None), for the suggestions of an unknown id."""
    files = [
        f for f in _kind_files(home, "innovations")
        if os.path.abspath(f) not in skip and is_inside(f, [home])
    ]  # fmt: skip
    found: dict[str, consistency.InnovationIdentity | None] = {}
    for file in files:
        if file.stem in wanted and file.stem not in found:
            identity = check_file(file).identity
            if identity is not None and identity.id == file.stem:
                found[identity.id] = identity
    if wanted <= found.keys() or not scan:
        return found
    paths: dict[str, Path] = {}
    for file in files:
        facts = root_facts(file)
        if facts is None or facts.id is None:
            continue
        if model_for(dict.fromkeys(facts.keys)) is Innovation:
            found.setdefault(facts.id, None)
            paths.setdefault(facts.id, file)
    for ident in (wanted & paths.keys()) - {k for k, v in found.items() if v is not None}:
        found[ident] = check_file(paths[ident]).identity
    return found


def _outside_plans(home: Path, skip: set[str]) -> dict[str, Plan]:
    """The valid plans of the repository that the run did not read, by id."""
    plans: dict[str, Plan] = {}
    for file in _kind_files(home, "plans"):
        if os.path.abspath(file) in skip or not is_inside(file, [home]):
            continue
        check = check_file(file)
        if isinstance(check.model, FichierPlan):
            plans.setdefault(check.model.plan.id, check.model.plan)
    return plans


def _outside_profiles(
    files: list[Path],
    models: list[FichierRetour],
    have: dict[str, retours.ProfileTerritory],
    home: Path,
) -> dict[str, retours.ProfileTerritory]:
    """The profiles the reports name (by file name or path) that the run did not read."""
    wanted = {Path(m.retour.profil).stem for m in models if m.retour.profil} - have.keys()
    found: dict[str, retours.ProfileTerritory] = {}
    for file in files:
        if file.stem not in wanted or file.stem in found or not is_inside(file, [home]):
            continue
        check = check_file(file)
        if isinstance(check.model, Profil):
            found[file.stem] = retours.ProfileTerritory(file.stem, check.model.territoire)
    return found


# --- what the reports teach a descriptor (rules.reprises) --------------------------------------


def lessons_for(descriptor: Path, ident: str) -> rules.Lecons:
    """The lessons of the valid take-over reports on `ident` in the descriptor's repository."""
    repository = repository_for(descriptor.parent)
    home = repository.root if repository.root is not None else descriptor.parent.parent
    signature = _reports_signature(home, repository)
    if signature is None:  # patterns: listed each time
        return _lessons_of(_reports_in(home)).get(ident, rules.Lecons())
    return _lessons_cached(str(home), signature).get(ident, rules.Lecons())


def _reports_signature(home: Path, repository: Repository) -> tuple[object, ...] | None:
    """What changes when a report is added, removed or edited in the repository's report
    folders (their entries, with their dates and sizes); None when they are given by patterns."""
    patterns = repository.model.retours if repository.root is not None else ["retours"]
    signature: list[object] = []
    for pattern in patterns:
        if glob.has_magic(pattern):
            return None
        entries: list[tuple[str, int, int]] = []
        try:
            with os.scandir(home / pattern) as folder:
                for entry in folder:
                    status = entry.stat()
                    entries.append((entry.name, status.st_mtime_ns, status.st_size))
        except OSError:
            pass  # no such folder: no report
        signature.append((pattern, tuple(sorted(entries))))
    return tuple(signature)


@functools.lru_cache(maxsize=64)
def _lessons_cached(home: str, signature: tuple[object, ...]) -> dict[str, rules.Lecons]:
    del signature  # the cache key: a changed folder is read again
    return _lessons_of(_reports_in(Path(home)))


def _reports_in(home: Path) -> list[tuple[str, FichierRetour]]:
    """The repository's valid reports, each with the name of its territory."""
    found = []
    for file in _kind_files(home, "retours"):
        if not is_inside(file, [home]):
            continue
        checked = read_checked(file)  # the kits read the same reports: once per version
        if isinstance(checked.model, FichierRetour) and checked.ok:
            found.append((located(checked.model.retour, file).nom, checked.model))
    return found


def _lessons_of(reports: list[tuple[str, FichierRetour]]) -> dict[str, rules.Lecons]:
    by_innovation: dict[str, list[tuple[str, Retour]]] = {}
    for place, model in reports:
        by_innovation.setdefault(model.retour.innovation, []).append((place, model.retour))
    return {ident: rules.Lecons.of(items) for ident, items in by_innovation.items()}


# --- reading take-over reports (for the lessons, the kits and the open data) ------------------


def refused_alone(path: Path) -> bool:
    """Whether `essaimage validate` on this file alone (as the pre-commit hook runs it) gives it
    an error, the checks between files included — what it names is read from its repository.
    Once per version of the file."""
    try:
        status = os.stat(path)
        version = (status.st_mtime_ns, status.st_size)
    except OSError:
        version = (0, 0)
    return _refused_version(os.path.abspath(path), version)


@functools.lru_cache(maxsize=1024)
def _refused_version(path: str, version: tuple[int, int]) -> bool:
    del version  # the cache key: a changed file is checked again
    result, _ = check_files([Path(path)], keep=False, keep_text=False)
    return result.failed()


def read_checked(path: Path) -> FileCheck:
    """A file checked once per version of it (a site makes many kits from the same reports and
    profiles)."""
    try:
        stat = os.stat(path)
        key = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = (0, 0)
    return _read_version(os.path.abspath(path), key)


@functools.lru_cache(maxsize=4096)
def _read_version(path: str, version: tuple[int, int]) -> FileCheck:
    del version  # the cache key: a changed file is read again
    return check_file(Path(path))


@dataclass(frozen=True, slots=True)
class RetourLu:
    """A valid report, with where it took place (its name, code, type and population)."""

    retour: Retour
    nom: str
    code: str | None
    type: str | None
    population: int | None


def located(retour: Retour, path: Path) -> RetourLu:
    """The report with its territory's name, code, type and population (from the reference
    when the report gives a code, from its profile when it names one)."""
    territoire: TerritoireProfil | None = retour.territoire
    if territoire is None and retour.profil is not None:
        territoire = _profile_territory(retour.profil, path)
    nom = territoire.nom if territoire else None
    code = territoire.code_insee if territoire else None
    kind = territoire.type if territoire else None
    population = territoire.population if territoire else None
    official = reference().get(kind, code) if kind and code else None
    if official is not None:
        nom = nom or official.nom
        if population is None and normalize_name(nom) == normalize_name(official.nom):
            population = official.population
    if nom is None:
        nom = Path(retour.profil).stem if retour.profil else path.stem
    return RetourLu(retour, nom, code, kind, population)


def _profile_territory(name: str, report: Path) -> TerritoireProfil | None:
    """The territory of the profile a report names: a path from the report's folder or from the
    repository's root, or a profile's file name."""
    repository = repository_for(report.parent)
    candidates = [report.parent / name]
    if repository.root is not None:
        candidates.append(repository.root / name)
        candidates += [p for p in repository.files("territoires") if p.stem == name]
    roots = allowed_roots(report)
    for candidate in candidates:
        try:
            usable = candidate.is_file() and is_inside(candidate, roots)
        except OSError:  # a name the system refuses (too long…): not a profile
            usable = False
        if usable:
            checked = read_checked(candidate)
            if isinstance(checked.model, Profil):
                return checked.model.territoire
    return None
