"""essaimage: turn an innovation that has proven itself into transfer kits for other territories.

The public Python API, for people who script essaimage (the command line uses the same calls):

    from pathlib import Path
    import essaimage

    result, checked = essaimage.check_files(essaimage.collect_files(["innovations"]))
    for finding in result.sorted_findings():
        print(finding.file, finding.line, finding.code, finding.message)

    run = essaimage.make_kits(
        essaimage.KitRequest([Path("innovations/pedibus.yaml")], ["saint-brieuc"],
                             Path("kits"), ["md", "html"], Path.cwd())
    )

Names are loaded on first use, so that `import essaimage` stays cheap. Everything else in the
package is internal and may change.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .version import __version__

_API = {
    # checking files
    "check_file": "check.pipeline",
    "check_files": "check.pipeline",
    "FileCheck": "check.pipeline",
    "collect_files": "check.repository",
    "repository_at": "check.repository",
    "CheckResult": "findings",
    "Finding": "findings",
    "Severity": "findings",
    # the format
    "Innovation": "format.models",
    "Profil": "format.models",
    "Configuration": "format.models",
    # kits
    "resolve_target": "kit.target",
    "Cible": "kit.target",
    "prepare": "kit.prepare",
    "Kit": "kit.prepare",
    "render_all": "render.engine",
    "make_kits": "commands.kits",
    "KitRequest": "commands.kits",
    "KitRun": "commands.kits",
    # errors
    "EssaimageError": "errors",
    "UsageError": "errors",
    "TargetError": "errors",
    "InvalidProfileError": "errors",
    "OutputError": "errors",
}

__all__ = [
    "__version__",
    "CheckResult",
    "Cible",
    "Configuration",
    "EssaimageError",
    "FileCheck",
    "Finding",
    "Innovation",
    "InvalidProfileError",
    "Kit",
    "KitRequest",
    "KitRun",
    "OutputError",
    "Profil",
    "Severity",
    "TargetError",
    "UsageError",
    "check_file",
    "check_files",
    "collect_files",
    "make_kits",
    "prepare",
    "render_all",
    "repository_at",
    "resolve_target",
]


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'essaimage' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # the names above, for type checkers and editors
    from .check.pipeline import FileCheck, check_file, check_files
    from .check.repository import collect_files, repository_at
    from .commands.kits import KitRequest, KitRun, make_kits
    from .errors import EssaimageError, InvalidProfileError, OutputError, TargetError, UsageError
    from .findings import CheckResult, Finding, Severity
    from .format.models import Configuration, Innovation, Profil
    from .kit.prepare import Kit, prepare
    from .kit.target import Cible, resolve_target
    from .render.engine import render_all
