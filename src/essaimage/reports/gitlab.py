"""The GitLab view: a Code Quality report."""

from __future__ import annotations

import json

from ..findings import Severity
from ..text.terminal import visible
from .report import Report, identities

_GITLAB_SEVERITIES = {
    Severity.ERREUR: "major",
    Severity.AVERTISSEMENT: "minor",
    Severity.INFO: "info",
}


def render(report: Report) -> str:
    """The report in this format."""
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
