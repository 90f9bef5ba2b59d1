"""The repository of descriptors and its configuration, `essaimage.yaml` at its root.

The configuration is found by `discovery.locate` (walking up from a folder, never beyond a git
repository's root). It may hold only `essaimage: 1`; then innovations are in `innovations/`,
profiles in `territoires/`, plans in `plans/` and the site goes to `public/`. It can name other folders or globs,
exclude paths, point at a folder of custom templates, and set rule severities for the whole
repository or by path glob. It is read and validated like any other file, with line numbers;
when it has errors, they are reported and the defaults apply. This module never runs the checks
of descriptors: it only says which files belong to the repository and how to treat them.
"""

from __future__ import annotations

import functools
import glob
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError
from ..files import discovery
from ..files.confinement import Unreadable, allowed_roots, is_inside
from ..files.gitignore import IgnoreRules
from ..files.paths import display_path, relative_posix
from ..findings import Finding, Severity, internal_error
from ..format.models import Configuration, without_plugins
from .diagnostics import validate_document
from .loader import load_file

with without_plugins():
    DEFAULTS = Configuration.model_validate({"essaimage": "1"})


@dataclass
class Repository:
    """A repository: its root folder, its configuration (or the defaults) and their findings."""

    root: Path | None = None
    path: Path | None = None  # essaimage.yaml, when there is one
    model: Configuration = field(default_factory=lambda: DEFAULTS)
    findings: list[Finding] = field(default_factory=list)

    def relative(self, path: Path) -> str | None:
        """`path` relative to the repository root, with `/`; None when outside it."""
        return relative_posix(path, self.root)

    def overrides_for(self, path: Path) -> dict[str, str]:
        """Rule severities for one file: repository-wide, then by path glob, in order."""
        levels: dict[str, str] = dict(self.model.regles)
        if not self.model.regles_par_chemin:
            return levels
        relative = self.relative(path)
        if relative is not None:
            for rule_set in self.model.regles_par_chemin:
                if matches(relative, rule_set.chemins):
                    levels.update(rule_set.regles)
        return levels

    def excluded(self, path: Path) -> bool:
        """True when the configuration excludes this file."""
        if not self.model.exclure:
            return False
        relative = self.relative(path)
        return relative is not None and matches(relative, self.model.exclure)

    def files(self, kind: str) -> list[Path]:
        """The YAML files of `innovations`, `territoires`, `plans` or `retours`, sorted, without the
        excluded ones."""
        if self.root is None:
            return []
        patterns: list[str] = getattr(self.model, kind)
        found: dict[str, Path] = {}
        for pattern in patterns:
            target = self.root / pattern
            if not (target.exists() or glob.has_magic(pattern)):
                continue
            if target.exists() and not is_inside(target, [self.root]):
                raise UsageError(
                    f"« {pattern} » ({kind} dans {display_path(self.path or self.root)}) est un "
                    "lien qui sort du dépôt : essaimage ne le suit pas"
                )
            for path in discovery.expand(str(target)):
                if not self.excluded(path):
                    found.setdefault(os.path.abspath(path), path)
        return sorted(found.values())

    @property
    def templates(self) -> Path | None:
        """The folder of custom templates, when the configuration names one: inside the
        repository and a folder of its own, once links are resolved (UsageError when it is a
        link leading out of the repository, to its root or into git's folder)."""
        if not (self.root and self.model.gabarits):
            return None
        origin = self._key("gabarits")
        path = self._inside(self.model.gabarits, origin)
        problem = _not_apart(path, self.root)
        if problem:
            raise UsageError(
                f"« {self.model.gabarits} » ({origin}) {problem} : essaimage n'y lit pas de "
                "gabarits",
                "Mettez les gabarits dans un dossier à eux, par exemple gabarits/.",
            )
        return path

    @property
    def site(self) -> Path:
        """Where `essaimage site` writes by default (inside the repository)."""
        if self.root is None:
            return Path.cwd() / self.model.site
        return self._inside(self.model.site, self._key("site"))

    @property
    def donnees(self) -> Path:
        """Where `essaimage export` writes by default: `donnees/` at the repository's root."""
        if self.root is None:
            return Path.cwd() / "donnees"
        return self._inside("donnees", "le dossier par défaut d'essaimage export")

    def _key(self, key: str) -> str:
        """Where a path comes from: `site dans essaimage.yaml`."""
        assert self.root is not None
        return f"{key} dans {display_path(self.path or self.root)}"

    def _inside(self, relative: str, origin: str) -> Path:
        assert self.root is not None
        path = self.root / relative
        if not is_inside(path, [self.root]):
            raise UsageError(
                f"« {relative} » ({origin}) est un lien qui sort du dépôt : essaimage n'y lit ni "
                "n'y écrit"
            )
        return path


def _not_apart(folder: Path, root: Path) -> str | None:
    """Why a folder of templates is not a folder of its own once links are resolved: the
    repository's root (or a folder around it), git's folder or a folder holding it; None when
    it is one."""
    if is_inside(root, [folder]):
        return "mène à la racine du dépôt"
    work_tree = discovery.locate(root).git
    if work_tree is not None:
        git = work_tree / ".git"
        if is_inside(folder, [git]):
            return "mène dans le dossier de git"
        if is_inside(git, [folder]):
            return "contient le dossier de git"
    return None


def templates_apart(templates: Path | None, output: Path, option: str = "--sortie") -> None:
    """UsageError when the folder of custom templates is the output folder of a command, lies
    in it or holds it (once links are resolved): a run would read what it writes, or write over
    the templates."""
    if templates is None:
        return
    if is_inside(templates, [output]) or is_inside(output, [templates]):
        raise UsageError(
            f"le dossier de sortie « {output} » et le dossier des gabarits "
            f"« {display_path(templates)} » se recouvrent : l'un est dans l'autre",
            f"Écrivez dans un autre dossier ({option}), hors du dossier des gabarits.",
        )


def matches(relative: str, patterns: list[str]) -> bool:
    """Whether a path (relative to the repository root) matches patterns written as in a
    .gitignore: `*` stays within a folder, `**` crosses them, `!` re-includes, a name without
    `/` matches at any depth, and a folder that matches takes everything under it (matched
    without backtracking: `gitignore.IgnoreRules`)."""
    return bool(patterns) and _spec(tuple(patterns)).match_file(relative)


@functools.lru_cache(maxsize=256)
def _spec(patterns: tuple[str, ...]) -> IgnoreRules:
    # « ./brouillons » was written in the old configurations: the same folder.
    return IgnoreRules.from_lines(p.strip().removeprefix("./") for p in patterns)


@functools.lru_cache(maxsize=64)
def _load(path: Path, version: tuple[int, int]) -> Repository:  # version: (mtime, size)
    shown = display_path(path)
    findings: list[Finding] = []
    model = None
    try:
        if not is_inside(path, allowed_roots(path)):
            raise Unreadable("fichier non lu : c'est un lien vers un fichier hors du dépôt")
        loaded = load_file(path, shown)
        findings.extend(loaded.findings)
        if loaded.document is not None:
            model, schema_findings = validate_document(loaded.document, shown, Configuration)
            findings.extend(schema_findings)
    except Unreadable as exc:
        findings.append(Finding(shown, 1, 1, "$", "Y001", Severity.ERREUR, str(exc)))
    except Exception as exc:  # noqa: BLE001 - reported as a finding, never a traceback
        findings.append(internal_error(shown, exc))
    configuration = model if isinstance(model, Configuration) else DEFAULTS
    return Repository(path.parent, path, configuration, findings)


def repository_for(folder: Path) -> Repository:
    """The repository whose configuration applies to files in `folder` (defaults if none)."""
    path = discovery.locate(folder).config
    if path is None:
        return Repository()
    try:
        status = path.stat()
        version = (status.st_mtime_ns, status.st_size)  # an edited configuration is read again
    except OSError:
        version = (0, 0)
    return _load(Path(os.path.abspath(path)), version)


def repository_at(start: Path) -> Repository:
    """The repository around `start`: its configuration's folder, or `start` with the defaults."""
    found = repository_for(start)
    if found.root is None:
        found = Repository(root=Path(os.path.abspath(start)))
    return found


def repository_files(repo: Repository) -> list[Path]:
    """The files of a repository: its configuration, innovations, profiles, plans and take-over
    reports."""
    files = [repo.path] if repo.path else []
    kinds = ("innovations", "territoires", "plans", "retours")
    return discovery.unique_sorted(files + [path for kind in kinds for path in repo.files(kind)])


def default_files(start: Path) -> list[Path]:
    """What `validate` checks when no path is given: the repository's files when `start` is in a
    configured repository, otherwise every YAML file under `start`."""
    repo = repository_at(start)
    return repository_files(repo) if repo.path else collect_files([os.path.relpath(start)])


def collect_files(arguments: list[str]) -> list[Path]:
    """The YAML files named by files, folders (recursively) and globs, sorted, without repeats.

    Files found by walking a folder or a glob are left out when the repository configuration
    excludes them; a file named explicitly is always checked. UsageError for a path that does
    not exist.
    """
    files: list[Path] = []
    for argument in arguments:
        found = discovery.expand(argument)
        if not Path(argument).is_file():
            by_folder: dict[Path, Repository] = {}  # one look-up per folder, not per file
            for f in found:
                if f.parent not in by_folder:
                    by_folder[f.parent] = repository_for(f.parent)
            found = [f for f in found if not by_folder[f.parent].excluded(f)]
        files.extend(found)
    return discovery.unique_sorted(files)


def of_repository(files: list[Path]) -> list[Path]:
    """The files that are the repository's own (its configuration, innovations, profiles, plans,
    as essaimage.yaml names them, or the defaults): what a pre-commit hook should check among
    the YAML files of a commit, whatever the folders are called."""
    own: set[str] = set()
    repositories: dict[str, Repository] = {}
    kept = []
    for path in files:
        repo = repository_at(_repository_start(path))
        key = str(repo.root)
        if key not in repositories:
            repositories[key] = repo
            own.update(os.path.abspath(p) for p in repository_files(repo))
        if os.path.abspath(path) in own:
            kept.append(path)
    return kept


def _repository_start(path: Path) -> Path:
    """Where a file's repository is looked for: its configuration's folder, else its git root."""
    location = discovery.locate(path.parent)
    if location.config is not None:
        return location.config.parent
    return location.git or path.parent


def clear_cache() -> None:
    """Forget loaded configurations and located folders (tests write new ones)."""
    _load.cache_clear()
    discovery.clear_cache()
