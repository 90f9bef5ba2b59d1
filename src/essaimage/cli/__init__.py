"""The `essaimage` command line: a thin layer that parses options, calls the core and prints.

`app` holds the French Typer application and the error boundary; each command has its module.
"""

from __future__ import annotations

# The commands register in this order, which is the order of the help.
# isort: off
from .app import app
from . import validate, kit, plan, territoires, regles, site, init, schema  # noqa: F401, E402
# isort: on


def main() -> None:
    """Run the command line (the boundary in `app` turns every outcome into an exit code)."""
    app()


__all__ = ["app", "main"]
