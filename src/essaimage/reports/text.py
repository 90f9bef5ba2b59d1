"""The text view: one line per finding, `path:line:col: niveau[CODE] message`, optionally the
YAML line with a caret under the column and the hint (on a terminal), then a summary; paths
relative to the current folder."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..check.rules import Indice
from ..findings import CheckResult, Finding, Severity
from ..text.french import nombre, pluriel
from ..text.terminal import visible
from .report import Report, by_file


def finding_line(finding: Finding) -> str:
    """`path:line:col: niveau[CODE] message` (`name : niveau[CODE] message` for what is not in a
    file, line 0), control characters made visible."""
    place = f":{finding.line}:{finding.column}:" if finding.line else " :"
    return (
        f"{visible(finding.file)}{place} "
        f"{finding.severity.value}[{finding.code}] {visible(finding.message)}"
    )


def code_frame(finding: Finding, lines: Sequence[str]) -> list[str]:
    """The finding's source line (from the file's `lines`) with a caret under its column, and its
    hint, indented. The line is shown `visible`: a file's escape sequences, carriage returns
    and bidi controls are printed as escapes, never sent to the terminal raw."""
    out: list[str] = []
    if 1 <= finding.line <= len(lines):
        source = lines[finding.line - 1].replace("\t", " ")
        number = str(finding.line)
        out.append(f"    {number} | {visible(source)}")
        before = visible(source[: finding.column - 1])  # the caret under the same character
        out.append(f"    {' ' * len(number)} | {' ' * len(before)}^")
    if finding.hint:
        out.append(f"    conseil — {visible(finding.hint)}")
    return out


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


def indice_line(file: str, indice: Indice) -> str:
    """`path : indice de déployabilité 9/10 (manque : …)`."""
    line = f"{visible(file)} : indice de déployabilité {indice.score}/{indice.total}"
    if indice.manquants:
        line += " (manque : " + " ; ".join(indice.manquants) + ")"
    return line


def text_lines(report: Report) -> list[str]:
    """The lines of the text report: findings, readiness scores, summary; with verbosity -1 the
    findings alone, with 1 also a line for each file without a problem."""
    return list(iter_text_lines(report))


def iter_text_lines(report: Report) -> Iterator[str]:
    """The lines of `text_lines`, one at a time (a national catalogue's report is not held
    whole in memory)."""
    lines: dict[str, list[str]] = {}  # each file split once, however many findings it has
    for finding in report.result.sorted_findings():
        yield finding_line(finding)
        if report.frames:
            if finding.file not in lines:
                lines[finding.file] = (report.sources.get(finding.file) or "").splitlines()
            yield from code_frame(finding, lines[finding.file])
    if report.verbosity < 0:
        return
    if report.verbosity > 0:
        with_findings = {f.file for f in report.result.findings}
        for file in sorted(report.result.files):
            if file not in with_findings:
                yield f"{visible(file)} : aucun problème"
    for file, indice in sorted(report.readiness, key=by_file):
        yield indice_line(file, indice)
    yield summary(report.result)


def text_report(
    result: CheckResult,
    sources: dict[str, str] | None = None,
    frames: bool = False,
    readiness: list[tuple[str, Indice]] | None = None,
) -> list[str]:
    """The lines of the text report (shortcut for callers without a Report)."""
    return text_lines(Report(result, readiness or [], sources=sources or {}, frames=frames))


def kit_summary(count: int, result: CheckResult) -> str:
    """The last line of `essaimage kit`: `3 kits produits : 2 points d'attention (…).`

    Errors stop the kits of their file; points of attention are repeated in the kits written.
    """
    warnings = result.count(Severity.AVERTISSEMENT) + result.count(Severity.INFO)
    errors = result.count(Severity.ERREUR)
    if count:
        head = f"{nombre(count)} {pluriel(count, 'kit')} {pluriel(count, 'produit')}"
    else:
        head = "Aucun kit produit"
    if not (warnings or errors):
        return f"{head}."
    parts = []
    if errors:
        said = f"{nombre(errors)} {pluriel(errors, 'erreur')}"
        parts.append(said)
    if warnings:
        said = f"{nombre(warnings)} {pluriel(warnings, 'point')} d'attention"
        parts.append(f"{said} (repris dans les kits)" if count else said)
    return f"{head} : {', '.join(parts)}."


def render(report: Report) -> str:
    """The report in this format."""
    return "\n".join(text_lines(report)) + "\n"
