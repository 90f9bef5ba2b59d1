"""The views of a check result, one module per format, and `FORMATS`: the one list of formats
the command line offers (`-f` and `--rapport`), in the order of the format's vocabulary. Every
format shows the same sorted findings; none decides the exit code. Machine formats give paths
relative to the repository root; text gives them relative to the current folder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..format.vocabulary import REPORT_FORMATS
from . import github, gitlab, json_report, junit, sarif, text
from .report import Report

_RENDERERS: dict[str, Callable[[Report], str]] = {
    "text": text.render,
    "json": json_report.render,
    "github": github.render,
    "gitlab": gitlab.render,
    "junit": junit.render,
    "sarif": sarif.render,
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
    for line in text.iter_text_lines(report):
        part.append(line)
        if len(part) >= lines_per_part:
            yield "\n".join(part) + "\n"
            part = []
    if part:
        yield "\n".join(part) + "\n"
