"""The JSON view: the documented, versioned record of the run (docs/formats.md). Named
`json_report` beside the standard `json` it uses."""

from __future__ import annotations

import json

from ..findings import Severity
from ..version import __version__
from .report import Report, by_file

JSON_VERSION = 1


def render(report: Report) -> str:
    """The report in this format."""
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
            for file, i in sorted(report.readiness, key=by_file)
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
