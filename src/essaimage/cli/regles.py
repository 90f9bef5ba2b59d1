"""`essaimage regles`: the catalogue of deployability rules, one rule explained, the reference page."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ..errors import UsageError
from .app import Commande, app


@app.command(cls=Commande)
def regles(
    code: Annotated[
        Optional[str],
        typer.Argument(
            metavar="CODE", help="Le code d'une règle, par exemple D106.", show_default=False
        ),
    ] = None,
    markdown: Annotated[
        bool,
        typer.Option(
            "--markdown", metavar="", help="Écrit la page de référence des règles en Markdown."
        ),
    ] = False,
) -> None:
    """Liste les règles de déployabilité, ou explique l'une d'elles.

    Sans CODE : le catalogue (code, niveau par défaut, titre). Avec CODE : pourquoi la règle
    existe, d'où elle vient, comment corriger, un exemple.
    """
    from ..check.catalogue import explain, listing, reference_markdown, rules
    from ..text.words import suggest

    if markdown:
        typer.echo(reference_markdown(), nl=False)
        return
    if code is None:
        typer.echo("\n".join(listing()))
        return
    rule = rules().get(code.strip().upper())
    if rule is None:
        close = suggest(code, rules(), cutoff=0.5)
        hint = f"Vouliez-vous dire {close} ? " if close else ""
        raise UsageError(
            f"aucune règle n'a le code « {code} »", hint + "La liste : essaimage regles"
        )
    typer.echo("\n".join(explain(rule)))
