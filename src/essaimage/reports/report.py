"""The record every view of a check reads (`Report`), and what several views share: stable
fingerprints of findings, the project's documentation links."""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..check.rules import Indice
from ..files.paths import relative_posix
from ..findings import CheckResult, Finding, Severity


@dataclass
class Report:
    """What every view needs: the findings, the scores, where paths are relative to, what fails."""

    result: CheckResult
    readiness: list[tuple[str, Indice]] = field(default_factory=list)  # by file
    root: Path | None = None  # repository root for machine formats
    fail_level: Severity = Severity.ERREUR
    sources: dict[str, str] = field(default_factory=dict)
    frames: bool = False
    verbosity: int = 0  # text only: -1 the findings alone, 1 also every file without a problem

    def failing(self, finding: Finding) -> bool:
        """True when this finding makes the run fail."""
        return finding.severity.rank <= self.fail_level.rank

    @property
    def failed(self) -> bool:
        """True when the run exits 1."""
        return any(self.failing(f) for f in self.result.findings)

    def path(self, file: str) -> str:
        """A finding's file relative to the repository root, with `/`."""
        return relative_posix(file, self.root) or file


@functools.cache
def project_urls() -> dict[str, str]:
    """The package's `[project.urls]` (Homepage, Documentation…), empty when it declares none:
    SARIF links a rule to its documentation only where the project says where that lives."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        entries = metadata("essaimage").get_all("Project-URL") or []
    except PackageNotFoundError:
        return {}
    urls = {}
    for entry in entries:
        label, _, url = entry.partition(",")
        if url.strip().startswith("https://"):
            urls[label.strip().lower()] = url.strip()
    return urls


def help_uri(code: str) -> dict[str, str]:
    documentation = project_urls().get("documentation")
    return (
        {"helpUri": f"{documentation.rstrip('/')}/regles.md#{code.lower()}"}
        if documentation
        else {}
    )


_LINE_REFERENCE = re.compile(r"\blignes? \d+")


def identity(finding: Finding, path: str) -> str:
    """What a problem is, whatever its line: the file, the code, the JSON path and the message
    without its line references (« déjà définie ligne 3 »). Stable when unrelated lines move."""
    message = _LINE_REFERENCE.sub("ligne", finding.message)
    return f"{path}\0{finding.code}\0{finding.path}\0{message}"


def identities(report: Report) -> list[tuple[Finding, str]]:
    """Each finding with a stable fingerprint: its identity, numbered among equal ones in the
    order of the file (so a line inserted elsewhere changes nothing)."""
    seen: dict[str, int] = {}
    out = []
    for f in report.result.sorted_findings():
        key = identity(f, report.path(f.file))
        seen[key] = seen.get(key, 0) + 1
        out.append((f, hashlib.sha256(f"{key}\0{seen[key]}".encode()).hexdigest()))
    return out


def by_file(pair: tuple[str, Indice]) -> str:
    """The sort key of a score: its file."""
    return pair[0]
