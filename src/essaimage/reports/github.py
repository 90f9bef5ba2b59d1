"""The GitHub view: workflow commands (annotations), escaped as GitHub's toolkit does, and the
step summary in Markdown."""

from __future__ import annotations

from ..check.catalogue import codes
from ..findings import Severity
from ..text.terminal import visible
from .report import Report, by_file
from .text import indice_line, summary

_GITHUB_COMMANDS = {
    Severity.ERREUR: "error",
    Severity.AVERTISSEMENT: "warning",
    Severity.INFO: "notice",
}


def github_escape_data(text: str) -> str:
    """Escape a workflow command's message, as @actions/core does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_escape_property(text: str) -> str:
    """Escape a workflow command's property value, as @actions/core does."""
    return github_escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report) -> str:
    """The report in this format."""
    lines = []
    for f in report.result.sorted_findings():
        entry = codes().get(f.code)
        title = f"{f.code} {entry.titre if entry else f.code}"
        props = ",".join(
            f"{key}={github_escape_property(str(value))}"
            for key, value in (
                ("file", visible(report.path(f.file))),
                ("line", f.line),
                ("col", f.column),
                ("title", title),
            )
        )
        message = github_escape_data(visible(f.message))
        lines.append(f"::{_GITHUB_COMMANDS[f.severity]} {props}::{message}")
    lines.append(summary(report.result))
    return "\n".join(lines) + "\n"


# What GitHub's Markdown would read as markup in a table cell: emphasis, code, links and
# images, raw HTML and entities, the cell separator, strikethrough, math, the escape itself.
_MARKDOWN_MARKUP = frozenset("\\`*_[]<>&|~$!#")


def markdown_text(text: str) -> str:
    """Text from a file (a message quoting a key, a file name) shown as text in GitHub's
    Markdown: on one line (`visible`), with every markup character backslash-escaped, so that
    it renders as it reads (no link, image, HTML, emphasis nor extra table cell)."""
    text = visible(text)
    if _MARKDOWN_MARKUP.isdisjoint(text):
        return text
    return "".join("\\" + c if c in _MARKDOWN_MARKUP else c for c in text)


def step_summary(report: Report) -> str:
    """A Markdown summary of every finding, for $GITHUB_STEP_SUMMARY (annotations are capped).
    What comes from files (file names, messages quoting keys and values) renders as text."""
    out = ["### essaimage validate", "", summary(report.result), ""]
    findings = report.result.sorted_findings()
    if findings:
        out += ["| Fichier | Ligne | Niveau | Code | Message |", "|---|---|---|---|---|"]
        for f in findings:
            message = markdown_text(f.message)
            path = markdown_text(report.path(f.file))
            out.append(f"| {path} | {f.line} | {f.severity.value} | {f.code} | {message} |")
    for file, indice in sorted(report.readiness, key=by_file):
        out.append("")
        out.append(indice_line(markdown_text(report.path(file)), indice))
    return "\n".join(out) + "\n"
