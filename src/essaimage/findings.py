"""The one finding record that every check produces and every report shows.

A finding says where (file, 1-based line and column, JSON path), what (a stable code, a severity)
and why (a French message, an optional hint). The loader, the schema translation, the in-file checks
and later rule engines all produce `Finding` objects; reporters only format lists of them.
"""

from __future__ import annotations

import enum
import itertools
import operator
from dataclasses import dataclass, field

from .text.terminal import invisible, printable


class Severity(str, enum.Enum):
    """How serious a finding is; the values are the French words shown to users."""

    ERREUR = "erreur"
    AVERTISSEMENT = "avertissement"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for errors, 1 for warnings, 2 for infos: lower is more serious."""
        return _RANKS[self]


_RANKS = {Severity.ERREUR: 0, Severity.AVERTISSEMENT: 1, Severity.INFO: 2}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in one file; line and column 0 for what is not in a file (a territory
    named on the command line, without a profile: `kit --territoire Cantal`)."""

    file: str
    line: int
    column: int
    path: str
    code: str
    severity: Severity
    message: str
    hint: str | None = None

    def __post_init__(self) -> None:
        # A message may quote what a file holds (an unknown key…): no control character from it
        # reaches a terminal, a CI log or a report (a newline could forge a CI annotation).
        for name in ("file", "path", "message", "hint"):
            value = getattr(self, name)
            if value is not None and not value.isprintable() and any(map(invisible, value)):
                object.__setattr__(self, name, printable(value))

    def sort_key(self) -> tuple:
        """Order by file, then position, then seriousness and code."""
        return (self.file, self.line, self.column, self.severity.rank, self.code, self.message)


@dataclass
class CheckResult:
    """Every finding of one run, and the files that were looked at."""

    files: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def append(self, finding: Finding) -> None:
        """Add one finding to the result."""
        self.findings.append(finding)

    def extend(self, findings: list[Finding]) -> None:
        """Add findings to the result."""
        self.findings.extend(findings)

    def sorted_findings(self) -> list[Finding]:
        """All findings, sorted by file then line (file by file: the sort keys of a national
        catalogue's findings are never all held at once)."""
        by_file = self.findings  # most runs add them file after file, in the files' order
        if any(a.file > b.file for a, b in itertools.pairwise(by_file)):
            by_file = sorted(by_file, key=operator.attrgetter("file"))  # keys: their own text
        ordered: list[Finding] = []
        for _, group in itertools.groupby(by_file, key=operator.attrgetter("file")):
            ordered.extend(sorted(group, key=Finding.sort_key))
        return ordered

    def count(self, severity: Severity) -> int:
        """How many findings have this severity."""
        return sum(1 for f in self.findings if f.severity is severity)

    def failed(self) -> bool:
        """True when there is an error (`validate` also knows stricter levels: see Report)."""
        return self.count(Severity.ERREUR) > 0


INTERNAL_HINT = "Ce n'est pas votre faute : signalez-le aux mainteneurs avec le fichier concerné."


def internal_error(shown: str, exc: BaseException) -> Finding:
    """The finding that stands for an unexpected exception while handling a file."""
    return Finding(
        shown, 1, 1, "$", "X900", Severity.ERREUR,
        f"erreur interne d'essaimage en traitant ce fichier ({type(exc).__name__} : {exc})",
        INTERNAL_HINT,
    )  # fmt: skip
