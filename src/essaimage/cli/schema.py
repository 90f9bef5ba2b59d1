"""`essaimage schema`: the JSON Schema of essaimage's files, for editors."""

from __future__ import annotations

from typing import Annotated

import typer

from ..errors import UsageError
from .app import Commande, app


@app.command(cls=Commande)
def schema(
    type: Annotated[
        str,
        typer.Argument(
            metavar="TYPE",
            help="tout (descripteurs, profils et plans, par défaut), innovation, territoire, "
            "plan ou configuration (essaimage.yaml).",
        ),
    ] = "tout",
    markdown: Annotated[
        bool,
        typer.Option(
            "--markdown",
            metavar="",
            help="Écrit plutôt la référence des champs en Markdown (docs/champs.md).",
        ),
    ] = False,
) -> None:
    """Écrit le schéma JSON des fichiers essaimage, pour les éditeurs (complétion, aide, vérification).

    Par exemple : essaimage schema > essaimage.schema.json, puis en tête d'un fichier YAML :

    # yaml-language-server: $schema=essaimage.schema.json

    Avec --markdown : la référence de toutes les clés, lisible (celle de docs/champs.md).
    """
    import json

    from ..check.catalogue import json_schema
    from ..format.json_schema import KINDS

    if markdown:
        from ..format.reference import reference_markdown

        typer.echo(reference_markdown(), nl=False)
        return
    if type not in KINDS:
        raise UsageError(f"type « {type} » inconnu (types : {', '.join(KINDS)})")
    typer.echo(json.dumps(json_schema(type), ensure_ascii=False, indent=2))
