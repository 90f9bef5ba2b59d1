"""The JUnit view: JUnit XML as GitLab and Jenkins read it."""

from __future__ import annotations

from ..findings import Finding
from ..text.terminal import visible
from .report import Report


def render(report: Report) -> str:
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
