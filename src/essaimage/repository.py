"""The repository of descriptors and its configuration, `essaimage.yaml` at its root.

The configuration is found by walking up from a folder (never beyond a git repository's root).
It may hold only `essaimage: 1`; then innovations are in `innovations/`, profiles in
`territoires/` and the site goes to `public/`. It can name other folders or globs, exclude paths,
point at a folder of custom templates, and set rule severities for the whole repository or by
path glob. It is validated like any other file, with line numbers; when it has errors, they are
reported and the defaults apply.
"""

from __future__ import annotations

import fnmatch
import functools
import glob
import os
from dataclasses import dataclass, field
from pathlib import Path

from .findings import Finding, relative_posix
from .models import CONFIG_NAMES, Configuration

DEFAULTS = Configuration.model_validate({"essaimage": "1"})


@dataclass
class RepositoryConfig:
    """A repository: its root folder, its configuration (or the defaults) and their findings."""

    root: Path | None = None
    path: Path | None = None
    model: Configuration = field(default_factory=lambda: DEFAULTS)
    findings: list[Finding] = field(default_factory=list)

    @property
    def regles(self) -> dict[str, str]:
        """Rule severities for the whole repository."""
        return dict(self.model.regles)

    def relative(self, path: Path) -> str | None:
        """`path` relative to the repository root, with `/`; None when outside it."""
        return relative_posix(path, self.root)

    def overrides_for(self, path: Path) -> dict[str, str]:
        """Rule severities for one file: repository-wide, then by path glob, in order."""
        levels = self.regles
        relative = self.relative(path)
        if relative is not None:
            for rule_set in self.model.regles_par_chemin:
                if any(_matches(relative, pattern) for pattern in rule_set.chemins):
                    levels.update(rule_set.regles)
        return levels

    def excluded(self, path: Path) -> bool:
        """True when the configuration excludes this file."""
        relative = self.relative(path)
        return relative is not None and any(_matches(relative, p) for p in self.model.exclure)

    def files(self, kind: str) -> list[Path]:
        """The YAML files of `innovations` or `territoires`, sorted, without the excluded ones."""
        from .pipeline import expand

        if self.root is None:
            return []
        found: dict[str, Path] = {}
        for pattern in getattr(self.model, kind):
            target = self.root / pattern
            if not (target.exists() or glob.has_magic(pattern)):
                continue
            for path in expand(str(target)):
                if not self.excluded(path):
                    found.setdefault(os.path.abspath(path), path)
        return sorted(found.values())

    @property
    def templates(self) -> Path | None:
        """The folder of custom templates, when the configuration names one."""
        return self.root / self.model.gabarits if self.root and self.model.gabarits else None

    @property
    def site(self) -> Path:
        """Where `essaimage site` writes by default."""
        return (self.root or Path.cwd()) / self.model.site


def _matches(relative: str, pattern: str) -> bool:
    """A path matches a glob (`*` also crosses folders), or lies in the folder a pattern names."""
    pattern = pattern.strip().removeprefix("./").rstrip("/")
    if glob.has_magic(pattern):
        return fnmatch.fnmatchcase(relative, pattern)
    return relative == pattern or relative.startswith(pattern + "/")


def find_config(start: Path) -> Path | None:
    """The nearest `essaimage.yaml` from `start` upwards, not beyond a git repository's root."""
    folder = Path(os.path.abspath(start))
    for candidate in [folder, *folder.parents]:
        for name in CONFIG_NAMES:
            if (candidate / name).is_file():
                return candidate / name
        if (candidate / ".git").exists():
            return None
    return None


@functools.lru_cache(maxsize=64)
def _load(path: Path) -> RepositoryConfig:
    from .pipeline import check_file

    checked = check_file(path)
    model = checked.model if isinstance(checked.model, Configuration) else DEFAULTS
    return RepositoryConfig(path.parent, path, model, checked.findings)


def config_for(folder: Path) -> RepositoryConfig:
    """The configuration that applies to files in `folder` (defaults when there is none)."""
    path = find_config(folder)
    return _load(Path(os.path.abspath(path))) if path else RepositoryConfig()


def repository(start: Path) -> RepositoryConfig:
    """The repository around `start`: its configuration's folder, or `start` with the defaults."""
    found = config_for(start)
    if found.root is None:
        found = RepositoryConfig(root=Path(os.path.abspath(start)))
    return found


def clear_cache() -> None:
    """Forget loaded configurations (tests write new ones)."""
    _load.cache_clear()
