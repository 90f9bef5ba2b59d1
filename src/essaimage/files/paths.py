"""How a path is shown to users: relative to the current folder or to the repository root, with
`/`, and with undecodable bytes and invisible characters escaped, so that every report can be
written and no raw byte or bidi override reaches a terminal, a CI log or a page."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from ..text.terminal import printable


def display_path(path: str | Path) -> str:
    """The path as users see it: relative to the current folder when it is below it, with `/`.

    A name that is not valid UTF-8 is shown with `\\xNN` escapes, so that every report can be
    written (and no raw byte reaches a terminal or a CI log).
    """
    try:
        real = os.path.realpath(path)
        here = _resolved(os.getcwd())
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a link loop
        real = here = ""
    if real and here:  # compared as strings: no Path built per file shown
        if real == here:
            return "."
        prefix = here.rstrip(os.sep) + os.sep
        if real.startswith(prefix):
            return printable(real[len(prefix) :].replace(os.sep, "/"))
    return printable(Path(path).as_posix())


@functools.lru_cache(maxsize=8)
def _resolved(folder: str) -> str:
    """The current folder, resolved once (not once per file shown)."""
    return os.path.realpath(folder)


def relative_posix(path: str | Path, root: Path | None) -> str | None:
    """`path` relative to `root`, with `/`; None when there is no root or it lies outside it."""
    if root is None:
        return None
    try:
        return printable(Path(os.path.abspath(path)).relative_to(root).as_posix())
    except ValueError:
        return None
