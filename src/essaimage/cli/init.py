"""`essaimage init`: a commented descriptor skeleton to fill in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .app import Commande, app


@app.command(cls=Commande)
def init(
    fichier: Annotated[
        Path,
        typer.Argument(metavar="FICHIER", help="Le descripteur à créer."),
    ] = Path("nouvelle-innovation.yaml"),
) -> None:
    """Crée un squelette de descripteur commenté, à compléter ; n'écrase jamais un fichier.

    Le squelette se vérifie sans erreur (avec des avertissements : il reste à le compléter). À la
    racine du dépôt, essaimage.schema.json est créé s'il manque, pour la complétion dans les
    éditeurs.
    """
    from ..skeleton import create_descriptor

    for path in create_descriptor(fichier, Path.cwd()):
        if path == fichier:
            typer.echo(f"Descripteur créé : {fichier.as_posix()}")
        else:
            typer.echo(f"Schéma pour les éditeurs écrit : {path.as_posix()}")
    typer.echo(f"Complétez-le, puis vérifiez-le : essaimage validate {fichier.as_posix()}")
