"""Views of a run's findings. Every format shows the same sorted list; none decides the exit code.

`text`: one line per finding, `path:line:col: niveau[CODE] message`, optionally followed by the
YAML line with a caret under the column and the hint (on a terminal), then a summary.
"""

from __future__ import annotations

from .findings import CheckResult, Finding, Severity
from .formats import pluriel


def finding_line(finding: Finding) -> str:
    """`path:line:col: niveau[CODE] message`."""
    return (
        f"{finding.file}:{finding.line}:{finding.column}: "
        f"{finding.severity.value}[{finding.code}] {finding.message}"
    )


def code_frame(finding: Finding, text: str | None) -> list[str]:
    """The finding's source line with a caret under its column, and its hint, indented."""
    lines: list[str] = []
    source_lines = text.splitlines() if text else []
    if 1 <= finding.line <= len(source_lines):
        source = source_lines[finding.line - 1].replace("\t", " ")
        number = str(finding.line)
        lines.append(f"    {number} | {source}")
        lines.append(f"    {' ' * len(number)} | {' ' * (finding.column - 1)}^")
    if finding.hint:
        lines.append(f"    conseil : {finding.hint}")
    return lines


def summary(result: CheckResult) -> str:
    """`3 fichiers vérifiés : 2 erreurs, 1 avertissement.`"""
    files = len(result.files)
    errors = result.count(Severity.ERREUR)
    warnings = result.count(Severity.AVERTISSEMENT)
    infos = result.count(Severity.INFO)
    head = f"{files} {pluriel(files, 'fichier')} {pluriel(files, 'vérifié')}"
    if not (errors or warnings or infos):
        return f"{head} : aucun problème."
    parts = [
        f"{errors} {pluriel(errors, 'erreur')}",
        f"{warnings} {pluriel(warnings, 'avertissement')}",
    ]
    if infos:
        parts.append(f"{infos} {pluriel(infos, 'information')}")
    return f"{head} : {', '.join(parts)}."


def indice_line(file: str, indice) -> str:
    """`path : indice de déployabilité 9/10 (manque : …)`."""
    line = f"{file} : indice de déployabilité {indice.score}/{indice.total}"
    if indice.manquants:
        line += " (manque : " + " ; ".join(indice.manquants) + ")"
    return line


def text_report(
    result: CheckResult,
    sources: dict[str, str] | None = None,
    frames: bool = False,
    indices: list[tuple[str, object]] | None = None,
) -> list[str]:
    """The lines of the text report: findings, readiness scores, summary."""
    out: list[str] = []
    for finding in result.sorted_findings():
        out.append(finding_line(finding))
        if frames:
            out.extend(code_frame(finding, (sources or {}).get(finding.file)))
    out.extend(indice_line(file, indice) for file, indice in sorted(indices or []))
    out.append(summary(result))
    return out
