"""Check files in phases (read, schema, consistency) and collect every finding of a run.

An unexpected exception while checking one file becomes an internal-error finding for that file,
and the run goes on with the next one.
"""

from __future__ import annotations

import glob
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from . import consistency, diagnostics, rules
from .findings import CheckResult, Finding, Severity, display_path, relative_posix
from .loader import Document, load_file
from .models import CONFIG_NAMES, Configuration, Innovation, Profil
from .repository import RepositoryConfig, config_for

YAML_SUFFIXES = (".yaml", ".yml")
_SKIPPED_DIRS = {"node_modules", "__pycache__", "venv"}


class UsageProblem(Exception):
    """A problem with the command itself (a path that does not exist…): exit code 2."""


@dataclass
class FileCheck:
    """What checking one file gave."""

    path: Path
    shown_as: str
    document: Document | None = None
    model: BaseModel | None = None
    findings: list[Finding] = field(default_factory=list)
    indice: rules.Indice | None = None  # readiness score of a valid descriptor
    config: RepositoryConfig | None = None  # the repository configuration that applied

    @property
    def ok(self) -> bool:
        """True when the file has no error."""
        return not any(f.severity is Severity.ERREUR for f in self.findings)


def check_file(path: Path) -> FileCheck:
    """Read, validate and check one file; never raises for the file's content.

    Phases: reading, format (schema), consistency; then, for a descriptor without errors, the
    deployability rules with the repository's and the descriptor's severity settings.
    """
    shown = display_path(path)
    result = FileCheck(path, shown)
    try:
        loaded = load_file(path, shown)
        result.findings.extend(loaded.findings)
        if loaded.document is None:
            return result
        doc = result.document = loaded.document
        model_cls = Configuration if path.name in CONFIG_NAMES else None
        model, schema_findings = diagnostics.validate_document(doc, shown, model_cls)
        result.findings.extend(schema_findings)
        if model is None:
            return result
        if isinstance(model, Innovation):
            result.findings.extend(consistency.check_innovation(model, doc, shown, path.parent))
        elif isinstance(model, Profil):
            result.findings.extend(consistency.check_profile(model, doc, shown))
        if not result.ok:
            return result
        result.model = model
        if isinstance(model, Innovation):
            result.config = config_for(path.parent)
            overrides = {**result.config.overrides_for(path), **model.regles}
            found_hits = rules.hits(model)  # once, for the findings and the score
            result.findings.extend(rules.check(model, doc, shown, overrides, found_hits))
            result.indice = rules.indice(model, found_hits=found_hits)
    except Exception as exc:  # noqa: BLE001 - one broken file must not stop the run
        result.findings.append(internal_error(shown, exc))
        result.model = result.indice = None
    return result


def internal_error(shown: str, exc: BaseException) -> Finding:
    """The finding that stands for an unexpected exception while handling a file."""
    return Finding(
        shown, 1, 1, "$", "X900", Severity.ERREUR,
        f"erreur interne d'essaimage en traitant ce fichier ({type(exc).__name__} : {exc})",
        "Ce n'est pas votre faute : signalez-le aux mainteneurs avec le fichier concerné.",
    )  # fmt: skip


def _walk(folder: Path) -> list[Path]:
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIPPED_DIRS)
        for name in sorted(files):
            if name.endswith(YAML_SUFFIXES) and not name.startswith("."):
                found.append(Path(root) / name)
    return found


def expand(argument: str) -> list[Path]:
    """The YAML files a file, folder (recursively) or glob names; UsageProblem when none exists."""
    path = Path(argument)
    if path.is_dir():
        return _walk(path)
    if path.is_file():
        return [path]
    if glob.has_magic(argument):
        matches = sorted(glob.glob(argument, recursive=True))
        if not matches:
            raise UsageProblem(f"aucun fichier ne correspond à « {argument} »")
        files: list[Path] = []
        for match in map(Path, matches):
            if match.is_dir():
                files.extend(_walk(match))
            elif match.name.endswith(YAML_SUFFIXES):
                files.append(match)
        return files
    raise UsageProblem(f"« {argument} » n'existe pas")


def collect_files(arguments: list[str]) -> list[Path]:
    """The YAML files named by files, folders (recursively) and globs, sorted, without repeats.

    Files found by walking a folder or a glob are left out when the repository configuration
    excludes them; a file named explicitly is always checked.
    """
    files: list[Path] = []
    for argument in arguments:
        found = expand(argument)
        if not Path(argument).is_file():
            found = [f for f in found if not config_for(f.parent).excluded(f)]
        files.extend(found)
    return _unique_sorted(files)


def repository_files(repo) -> list[Path]:
    """The files of a repository: its configuration, its innovations and its profiles."""
    files = [repo.path] if repo.path else []
    return _unique_sorted(files + repo.files("innovations") + repo.files("territoires"))


def _unique_sorted(files: list[Path]) -> list[Path]:
    unique: dict[str, Path] = {}
    for file in files:
        unique.setdefault(os.path.normcase(os.path.abspath(file)), file)
    return sorted(unique.values(), key=lambda p: display_path(p))


def check_paths(arguments: list[str]) -> tuple[CheckResult, list[FileCheck]]:
    """Check every file named; raises UsageProblem for a path that does not exist."""
    return check_files(collect_files(arguments))


def check_files(files: list[Path], across: bool = True) -> tuple[CheckResult, list[FileCheck]]:
    """Check files one by one, then (unless `across` is off) the checks between files."""
    result = CheckResult()
    checked = []
    for path in files:
        file_check = check_file(path)
        checked.append(file_check)
        result.files.append(file_check.shown_as)
        result.extend(file_check.findings)
    if across:
        try:
            result.extend(consistency.check_across(checked))
        except Exception as exc:  # noqa: BLE001 - reported, never a traceback
            result.append(internal_error(checked[0].shown_as if checked else ".", exc))
    # A configuration with errors that was not among the files named is still reported.
    seen = {c.shown_as for c in checked}
    for config in {id(c.config): c.config for c in checked if c.config}.values():
        if config.findings and config.findings[0].file not in seen:
            seen.add(config.findings[0].file)
            result.files.append(config.findings[0].file)
            result.extend(config.findings)
    return result, checked


def shard(files: list[Path], index: int, count: int, root: Path | None = None) -> list[Path]:
    """The files of shard `index` (1-based) out of `count`: a stable split by path hash.

    Shards are disjoint and together cover every file; a file stays in its shard when others
    are added or removed. Paths are hashed relative to `root` (the repository), so every job of
    a CI matrix splits the same way whatever its working folder.
    """

    def bucket(path: Path) -> int:
        name = relative_posix(path, root) or display_path(path)
        digest = hashlib.sha256(name.encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") % count

    return [f for f in files if bucket(f) == index - 1]
