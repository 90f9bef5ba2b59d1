"""The `essaimage` command line: a thin layer that parses options, calls the core and prints.

`app` holds the French Typer application and the error boundary; each command has its module.
"""

from __future__ import annotations

import os

# The commands register in this order, which is the order of the help.
# isort: off
from .app import app
from . import validate, kit, plan, territoires, catalogue  # noqa: F401, E402
from . import regles, site, export, init, editer, schema  # noqa: F401, E402
# isort: on


def main() -> None:
    """Run the command line (the boundary in `app` turns every outcome into an exit code)."""
    # Pydantic looks for plugins in every installed package's metadata when it builds its first
    # validator (~25 ms a run); the command line uses none. Set the variable to use some.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    app()


__all__ = ["app", "main"]
