"""The repository configuration: `essaimage.yaml`, found by walking up from a descriptor's folder.

For now it holds the format version and rule severity overrides (`regles: {D104: ignorer}`);
a descriptor's own `regles:` key wins over it. The file is validated like any other, with line
numbers; when it has errors, they are reported and the defaults apply.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from .findings import Finding
from .models import CONFIG_NAMES


@dataclass
class RepositoryConfig:
    """A loaded configuration file (or none), its overrides and its findings."""

    path: Path | None = None
    regles: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def find_config(start: Path) -> Path | None:
    """The nearest `essaimage.yaml` from `start` upwards, not beyond a git repository's root."""
    folder = start.resolve()
    for candidate in [folder, *folder.parents]:
        for name in CONFIG_NAMES:
            if (candidate / name).is_file():
                return candidate / name
        if (candidate / ".git").exists():
            return None
    return None


@functools.lru_cache(maxsize=64)
def _load(path: Path) -> RepositoryConfig:
    from .validation import check_file

    checked = check_file(path)
    regles = dict(checked.model.regles) if checked.model is not None else {}
    return RepositoryConfig(path, regles, checked.findings)


def config_for(folder: Path) -> RepositoryConfig:
    """The configuration that applies to files in `folder` (defaults when there is none)."""
    path = find_config(folder)
    return _load(path) if path else RepositoryConfig()


def clear_cache() -> None:
    """Forget loaded configurations (tests write new ones)."""
    _load.cache_clear()
