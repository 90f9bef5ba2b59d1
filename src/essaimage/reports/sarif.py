"""The SARIF view: SARIF 2.1.0, for code scanning."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from ..check.catalogue import codes
from ..check.codes import family_tag
from ..check.rules import Rule
from ..findings import Severity
from ..text.terminal import visible
from ..version import __version__
from .report import Report, help_uri, identities, project_urls

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
                    **help_uri(code),
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
                    **help_uri(code),
                    "defaultConfiguration": {"level": _SARIF_LEVELS[entry.niveau]},
                    "properties": {
                        "tags": ["essaimage", family_tag(code)],
                        "precision": "very-high",
                        "problem.severity": _PROBLEM_SEVERITIES[entry.niveau],
                    },
                }
            )
    return out


def render(report: Report) -> str:
    """The report in this format."""
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
