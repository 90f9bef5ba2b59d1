"""The errors that stop a command, as one family.

Problems in the files a user checks are never exceptions: they are findings. What is left is a
command that cannot be carried out (a path that does not exist, an unknown territory, a folder
that cannot be written). Every such problem is an `EssaimageError`; the command line has one
boundary that prints it in French and turns it into the exit code (2).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the findings module is not needed to raise or show an error
    from .findings import Finding


class EssaimageError(Exception):
    """A command that cannot be carried out; its message is French and ready to show."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def lines(self) -> list[str]:
        """What the command line prints: the message, then indented details."""
        lines = [f"essaimage : erreur : {self.message}"]
        if self.hint:
            lines.append(f"  {self.hint}")
        return lines


class UsageError(EssaimageError):
    """The command asks for something that does not exist or cannot be (path, option value)."""


class TargetError(UsageError):
    """A `--territoire` argument that designates no territory, or several."""

    def __init__(self, message: str, candidates: Sequence[str] = (), hint: str | None = None):
        super().__init__(message, hint)
        self.candidates = list(candidates)

    def lines(self) -> list[str]:
        """The message, the possible territories, then the hint."""
        lines = [f"essaimage : erreur : {self.message}"]
        if self.candidates:
            lines.append("  Territoires possibles :")
            lines.extend(f"    - {candidate}" for candidate in self.candidates)
        if self.hint:
            lines.append(f"  {self.hint}")
        return lines


class InvalidProfileError(EssaimageError):
    """A territory profile with errors: no kit can be made for it; its findings say why."""

    exit_code = 1

    def __init__(self, message: str, findings: Sequence[Finding], text: str | None = None):
        super().__init__(message)
        self.findings = list(findings)
        self.text = text  # the profile as read, for code frames


class InvalidPlanError(InvalidProfileError):
    """A plan that validates but cannot be computed within the bounds (waves beyond a hundred
    years, too many territories once its selections are made): its findings say why, at their
    line."""


class OutputError(EssaimageError):
    """A file or folder that cannot be written."""


class TemplateProblem(EssaimageError):
    """A custom template that cannot be rendered: its file and line, and why, in French."""

    def __init__(self, file: str, line: int | None, message: str, detail: str | None = None):
        where = f"gabarit « {file} »" + (f", ligne {line}" if line else "")
        super().__init__(f"{where} : {message}", f"Détail de Jinja : {detail}" if detail else None)
        self.file, self.line, self.reason, self.detail = file, line, message, detail
