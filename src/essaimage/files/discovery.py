"""Finding files: folders walked, globs expanded, shards, and where a folder's repository is.

`locate` is the one walk up from a folder: it finds the repository configuration
(`essaimage.yaml`, never beyond the git work tree) and the git work tree's root. Everything that
needs "the repository around here" asks it.
"""

from __future__ import annotations

import fnmatch
import functools
import glob
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError
from ..files.paths import display_path, relative_posix
from .gitignore import IgnoreRules

YAML_SUFFIXES = (".yaml", ".yml")
CONFIG_NAMES = ("essaimage.yaml", "essaimage.yml")
_MAX_GITIGNORE = 1024 * 1024
_SKIPPED_DIRS = {"node_modules", "__pycache__", "venv"}


@dataclass(frozen=True)
class Location:
    """Where a folder stands: its repository configuration and its git work tree, if any."""

    config: Path | None  # the nearest essaimage.yaml upwards, not beyond the git root
    git: Path | None  # the git work tree's root
    folders: tuple[Path, ...]  # the folder and its parents, up to the git root included

    @property
    def report_root(self) -> Path:
        """What machine formats make paths relative to: git's root, else the configuration's."""
        if self.git is not None:
            return self.git
        return self.config.parent if self.config is not None else self.folders[0]


_CONFIG_OVERRIDE: list[Path] = []  # the configuration named by --config or ESSAIMAGE_CONFIG


def name_configuration(path: Path | None) -> None:
    """Use this configuration file for every folder (`--config`, `ESSAIMAGE_CONFIG`), instead
    of the nearest essaimage.yaml; None goes back to looking for it."""
    _CONFIG_OVERRIDE[:] = [Path(os.path.abspath(path))] if path is not None else []
    clear_cache()


def is_configuration(path: Path) -> bool:
    """True for a repository configuration: essaimage.yaml, or the file named by --config."""
    if path.name in CONFIG_NAMES:
        return True
    return bool(_CONFIG_OVERRIDE) and Path(os.path.abspath(path)) == _CONFIG_OVERRIDE[0]


@functools.lru_cache(maxsize=256)
def _locate(folder: Path) -> Location:
    config: Path | None = _CONFIG_OVERRIDE[0] if _CONFIG_OVERRIDE else None
    folders: list[Path] = []
    for candidate in [folder, *folder.parents]:
        folders.append(candidate)
        if config is None:
            config = next((candidate / n for n in CONFIG_NAMES if (candidate / n).is_file()), None)
        if (candidate / ".git").exists():
            return Location(config, candidate, tuple(folders))
    return Location(config, None, tuple(folders))


def locate(folder: Path) -> Location:
    """The repository configuration and git work tree around `folder` (one walk, remembered)."""
    return _locate(Path(os.path.abspath(folder)))


def clear_cache() -> None:
    """Forget the folders located so far (a test that creates repositories calls it)."""
    _locate.cache_clear()


def walk(folder: Path) -> list[Path]:
    """The YAML files under `folder`, recursively, sorted; hidden and tool folders skipped, and
    what the git work tree's .gitignore ignores (its root file: nested ones are not read)."""
    ignored = _gitignore(locate(folder).git)
    git_root = locate(folder).git
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIPPED_DIRS)
        if ignored is not None and git_root is not None:
            here = relative_posix(Path(root), git_root) or ""
            prefix = f"{here}/" if here and here != "." else ""
            dirs[:] = [d for d in dirs if not ignored.match_file(f"{prefix}{d}/")]
            files = [f for f in files if not ignored.match_file(f"{prefix}{f}")]
        for name in sorted(files):
            if name.endswith(YAML_SUFFIXES) and not name.startswith("."):
                found.append(Path(root) / name)
    return found


def _gitignore(git_root: Path | None) -> IgnoreRules | None:
    """The git work tree's root .gitignore (`gitignore.IgnoreRules`: matched without
    backtracking), None when there is none."""
    if git_root is None:
        return None
    path = git_root / ".gitignore"
    try:
        status = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(status.st_mode) or status.st_size > _MAX_GITIGNORE:
        return None  # a link, a folder, a device or a huge file: not read
    return _read_gitignore(path, (status.st_mtime_ns, status.st_size))


@functools.lru_cache(maxsize=16)
def _read_gitignore(path: Path, version: tuple[int, int]) -> IgnoreRules | None:
    try:
        with open(path, "rb") as stream:
            text = stream.read(_MAX_GITIGNORE).decode("utf-8", errors="replace")
    except OSError:
        return None
    return IgnoreRules.from_lines(text.splitlines())


def expand(argument: str) -> list[Path]:
    """The YAML files a file, folder (recursively) or glob names; UsageError when none exists."""
    path = Path(argument)
    if path.is_dir():
        return walk(path)
    if path.is_file():
        return [path]
    if glob.has_magic(argument):
        matches = glob_paths(argument)
        if not matches:
            raise UsageError(f"aucun fichier ne correspond à « {argument} »")
        files: list[Path] = []
        for match in map(Path, matches):
            if match.is_dir():
                files.extend(walk(match))
            elif match.name.endswith(YAML_SUFFIXES):
                files.append(match)
        return files
    raise UsageError(f"« {argument} » n'existe pas")


def glob_paths(pattern: str) -> list[Path]:
    """The files and folders a glob names (`*`, `?`, `[…]`, `**` for any depth), sorted.

    Unlike `glob.glob`, links to folders are never followed: two links to each other cannot
    make it loop, and a link cannot take it out of the folder the pattern starts from.
    """
    parts = Path(pattern).parts
    fixed = 0
    while fixed < len(parts) and not glob.has_magic(parts[fixed]):
        fixed += 1
    base, wanted = Path(*parts[:fixed]) if fixed else Path("."), parts[fixed:]
    if not wanted:
        return [base] if base.exists() else []
    depth = None if "**" in wanted else len(wanted)
    found: list[Path] = []
    for root, dirs, files in os.walk(base):
        here = Path(root).relative_to(base).parts
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(dirs + [f for f in files if not f.startswith(".")]):
            if _glob_match(wanted, (*here, name)):
                found.append(Path(root) / name)
        if depth is not None and len(here) + 1 >= depth:
            dirs[:] = []
    return sorted(found)


def _glob_match(pattern: tuple[str, ...], path: tuple[str, ...]) -> bool:
    """Whether path segments match pattern segments; `**` stands for any number of segments.

    Each (pattern, path) position is tried once: time grows with their product, not faster.
    """
    known: dict[tuple[int, int], bool] = {}

    def match(i: int, j: int) -> bool:
        if (i, j) not in known:
            if i == len(pattern):
                known[(i, j)] = j == len(path)
            elif pattern[i] == "**":
                known[(i, j)] = match(i + 1, j) or (j < len(path) and match(i, j + 1))
            else:
                known[(i, j)] = (
                    j < len(path)
                    and fnmatch.fnmatchcase(path[j], pattern[i])
                    and match(i + 1, j + 1)
                )
        return known[(i, j)]

    return match(0, 0)


def unique_sorted(files: list[Path]) -> list[Path]:
    """The files without repeats (same file by any path), sorted as users see them."""
    unique: dict[str, Path] = {}
    for file in files:
        unique.setdefault(os.path.normcase(os.path.abspath(file)), file)
    return sorted(unique.values(), key=lambda p: display_path(p))


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
