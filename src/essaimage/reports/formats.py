"""Views of a run's findings. Every format shows the same sorted list; none decides the exit code.

- `text`: one line per finding, `path:line:col: niveau[CODE] message`, optionally followed by the
  YAML line with a caret under the column and the hint (on a terminal), then a summary.
- `json`: the documented, versioned record of the run (docs/formats.md).
- `github`: GitHub Actions workflow commands (annotations), escaped as GitHub's toolkit does.
- `gitlab`: GitLab Code Quality report.
- `junit`: JUnit XML as GitLab reads it.
- `sarif`: SARIF 2.1.0, for code scanning.
Machine formats give paths relative to the repository root; text gives them relative to the
current folder.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..check.catalogue import codes
from ..check.codes import family_tag
from ..check.rules import Indice, Rule
from ..findings import CheckResult, Finding, Severity, relative_posix
from ..format.vocabulary import REPORT_FORMATS
from ..text.french import nombre, pluriel
from ..text.terminal import visible as visible  # the escape of every line shown, one for all
from ..version import __version__

JSON_VERSION = 1


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


# --- text --------------------------------------------------------------------------------------


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


def _help_uri(code: str) -> dict[str, str]:
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


def finding_line(finding: Finding) -> str:
    """`path:line:col: niveau[CODE] message`, control characters made visible."""
    return (
        f"{visible(finding.file)}:{finding.line}:{finding.column}: "
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


def _by_file(pair: tuple[str, Indice]) -> str:
    return pair[0]


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
    for file, indice in sorted(report.readiness, key=_by_file):
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


def _text(report: Report) -> str:
    return "\n".join(text_lines(report)) + "\n"


# --- json --------------------------------------------------------------------------------------


def _json(report: Report) -> str:
    result = report.result
    document = {
        "format": "essaimage-validation",
        "version": JSON_VERSION,
        "essaimage": __version__,
        "niveau_echec": report.fail_level.value,
        "echec": report.failed,
        "resume": {
            "fichiers": len(result.files),
            "erreurs": result.count(Severity.ERREUR),
            "avertissements": result.count(Severity.AVERTISSEMENT),
            "infos": result.count(Severity.INFO),
        },
        "fichiers": sorted(report.path(file) for file in result.files),
        "constats": [
            {
                "fichier": report.path(f.file),
                "ligne": f.line,
                "colonne": f.column,
                "chemin": f.path,
                "code": f.code,
                "niveau": f.severity.value,
                "message": f.message,
                "conseil": f.hint,
            }
            for f in result.sorted_findings()
        ],
        "indices": [
            {
                "fichier": report.path(file),
                "score": i.score,
                "sur": i.total,
                "manquants": list(i.manquants),
            }
            for file, i in sorted(report.readiness, key=_by_file)
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# --- github ------------------------------------------------------------------------------------

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


def _github(report: Report) -> str:
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


def github_step_summary(report: Report) -> str:
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
    for file, indice in sorted(report.readiness, key=_by_file):
        out.append("")
        out.append(indice_line(markdown_text(report.path(file)), indice))
    return "\n".join(out) + "\n"


# --- gitlab ------------------------------------------------------------------------------------

_GITLAB_SEVERITIES = {
    Severity.ERREUR: "major",
    Severity.AVERTISSEMENT: "minor",
    Severity.INFO: "info",
}


def _gitlab(report: Report) -> str:
    issues = []
    for f, fingerprint in identities(report):
        issues.append(
            {
                "description": f"{f.code} {visible(f.message)}",
                "check_name": f"essaimage-{f.code}",
                "fingerprint": fingerprint,
                "severity": _GITLAB_SEVERITIES[f.severity],
                "location": {"path": report.path(f.file), "lines": {"begin": f.line}},
            }
        )
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"


# --- junit -------------------------------------------------------------------------------------


def _junit(report: Report) -> str:
    """One test case per file without a problem, one per problem. A case is named by what the
    problem is (code and JSON path, numbered among equal ones), never by its line: GitLab knows
    a test by suite, class and name, and would see every shifted line as a new failure. No
    `file` attribute on a case: Jenkins' junit-10.xsd (the one pytest's xunit2 output follows)
    does not allow it, and the class already names the file."""
    cases = []
    failures = 0
    by_file: dict[str, list[Finding]] = {file: [] for file in report.result.files}
    for f in report.result.sorted_findings():
        by_file.setdefault(f.file, []).append(f)
    for file in sorted(by_file):
        path = visible(report.path(file))  # XML 1.0 forbids control characters, even escaped
        names: dict[str, int] = {}
        findings = by_file[file]
        if not findings:
            cases.append(f'    <testcase classname={quoteattr(path)} name="valide"/>')
        for f in findings:
            name = visible(f"{f.code} {f.path or '(fichier)'}")
            names[name] = names.get(name, 0) + 1
            if names[name] > 1:
                name += f" #{names[name]}"
            head = f"    <testcase classname={quoteattr(path)} name={quoteattr(name)}>"
            message = visible(f.message)
            body = escape(
                f"{path}:{f.line}:{f.column}: {f.severity.value}[{f.code}] {message}"
                + (f"\nConseil — {visible(f.hint)}" if f.hint else "")
            )
            if report.failing(f):
                failures += 1
                inner = f"      <failure message={quoteattr(message)} type={quoteattr(f.code)}>{body}</failure>"
            else:
                inner = f"      <system-out>{body}</system-out>"
            cases.append(f"{head}\n{inner}\n    </testcase>")
    tests = len(cases)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuites name="essaimage" tests="{tests}" failures="{failures}" errors="0">\n'
        f'  <testsuite name="essaimage validate" tests="{tests}" failures="{failures}" errors="0" skipped="0">\n'
        + "".join(case + "\n" for case in cases)
        + "  </testsuite>\n</testsuites>\n"
    )


def escape(text: str) -> str:
    """XML character data: `&`, `<`, `>` escaped (xml.sax.saxutils would import urllib, http
    and ssl on every run for three replacements)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    """An XML attribute value in double quotes, with what would end or break it escaped."""
    escaped = escape(text).replace('"', "&quot;")
    return '"' + escaped.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;") + '"'


# --- sarif -------------------------------------------------------------------------------------

_SARIF_LEVELS = {Severity.ERREUR: "error", Severity.AVERTISSEMENT: "warning", Severity.INFO: "note"}


_PROBLEM_SEVERITIES = {
    Severity.ERREUR: "error",
    Severity.AVERTISSEMENT: "warning",
    Severity.INFO: "recommendation",
}


def _rule_name(titre: str) -> str:
    """A rule's SARIF `name`: its title in PascalCase, letters and digits only (« marge sans
    « decideur » » → `MargeSansDecideur`), as the SARIF spec recommends."""
    from ..text.words import fold_accents

    words = re.split(r"[^0-9A-Za-z]+", fold_accents(titre))
    return "".join(word[:1].upper() + word[1:] for word in words if word) or "Regle"


def sarif_uri(path: str) -> str:
    """A repository path as a SARIF `uri` (an RFC 3986 relative reference): each segment
    percent-encoded in UTF-8, so `café réparé.yaml` and `100%.yaml` stay one valid reference."""
    return "/".join(quote(segment, safe="") for segment in path.split("/"))


def sarif_rules() -> list[dict]:
    """Every finding code as a SARIF rule, with French descriptions and help."""
    out = []
    for code, entry in codes().items():
        if isinstance(entry, Rule):
            out.append(
                {
                    "id": code,
                    "name": _rule_name(entry.titre),
                    "shortDescription": {"text": entry.titre},
                    "fullDescription": {"text": entry.pourquoi},
                    **_help_uri(code),
                    "help": {
                        "text": f"{entry.correction}\n\nExemple :\n{entry.exemple}",
                        "markdown": f"{entry.correction}\n\n```yaml\n{entry.exemple}\n```",
                    },
                    "defaultConfiguration": {"level": _SARIF_LEVELS[entry.niveau]},
                    "properties": {
                        "sources": list(entry.sources),
                        "tags": ["essaimage", family_tag(code)],
                        "precision": "very-high",
                        "problem.severity": _PROBLEM_SEVERITIES[entry.niveau],
                    },
                }
            )
        else:
            out.append(
                {
                    "id": code,
                    "name": _rule_name(entry.titre),
                    "shortDescription": {"text": entry.titre},
                    "fullDescription": {"text": entry.titre},
                    "help": {"text": entry.aide},
                    **_help_uri(code),
                    "defaultConfiguration": {"level": _SARIF_LEVELS[entry.niveau]},
                    "properties": {
                        "tags": ["essaimage", family_tag(code)],
                        "precision": "very-high",
                        "problem.severity": _PROBLEM_SEVERITIES[entry.niveau],
                    },
                }
            )
    return out


def _sarif(report: Report) -> str:
    rules = sarif_rules()
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = []
    for f, fingerprint in identities(report):
        result: dict[str, Any] = {
            "ruleId": f.code,
            "level": _SARIF_LEVELS[f.severity],
            "message": {"text": visible(f.message)},
            # A key of our own: GitHub recomputes `primaryLocationLineHash` from the source.
            "partialFingerprints": {"essaimageIdentity/v1": fingerprint},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {
                            "uri": sarif_uri(report.path(f.file)),
                            "uriBaseId": "%SRCROOT%",
                        },
                        "region": {"startLine": f.line, "startColumn": f.column},
                    },
                    "logicalLocations": [{"fullyQualifiedName": f.path, "kind": "member"}],
                }
            ],
        }
        if f.code in index:
            result["ruleIndex"] = index[f.code]
        results.append(result)
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "essaimage",
                        "version": __version__,
                        "semanticVersion": __version__,
                        **(
                            {"informationUri": project_urls()["homepage"]}
                            if "homepage" in project_urls()
                            else {}
                        ),
                        "language": "fr",
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


_RENDERERS: dict[str, Callable[[Report], str]] = {
    "text": _text,
    "json": _json,
    "github": _github,
    "gitlab": _gitlab,
    "junit": _junit,
    "sarif": _sarif,
}
# one renderer for each format the command line offers, in its order (a KeyError at import
# for a format without its renderer)
FORMATS: dict[str, Callable[[Report], str]] = {name: _RENDERERS[name] for name in REPORT_FORMATS}


def render(report: Report, fmt: str) -> str:
    """The report in one format."""
    return FORMATS[fmt](report)


def render_in_parts(report: Report, fmt: str, lines_per_part: int = 1000) -> Iterator[str]:
    """The report in one format, in parts to write one after the other: the text format a few
    hundred lines at a time, the others whole (their consumers read one document)."""
    if fmt != "text":
        yield render(report, fmt)
        return
    part: list[str] = []
    for line in iter_text_lines(report):
        part.append(line)
        if len(part) >= lines_per_part:
            yield "\n".join(part) + "\n"
            part = []
    if part:
        yield "\n".join(part) + "\n"
