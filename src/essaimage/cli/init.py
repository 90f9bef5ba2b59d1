"""`essaimage init`: a commented descriptor, territory profile or plan skeleton to fill in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import UsageError
from .app import Commande, app, say

KINDS = {
    "innovation": "nouvelle-innovation.yaml",
    "territoire": "nouveau-territoire.yaml",
    "plan": "nouveau-plan.yaml",
}
ALIASES = {"profil": "territoire"}
CREATED = {"innovation": "Descripteur créé", "territoire": "Profil créé", "plan": "Plan créé"}


@app.command(cls=Commande)
def init(
    arguments: Annotated[
        Optional[list[str]],
        typer.Argument(
            metavar="[territoire|plan] [FICHIER]",
            help="« territoire » (ou « profil ») pour un profil de territoire, « plan » pour un "
            "plan de montée en charge, sinon un descripteur d'innovation ; puis le fichier à "
            "créer.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Crée un squelette commenté, à compléter ; n'écrase jamais un fichier.

    essaimage init [FICHIER] : un descripteur d'innovation ; essaimage init territoire [FICHIER] :
    un profil de territoire ; essaimage init plan [FICHIER] : un plan de montée en charge. Le
    squelette se vérifie sans erreur (un descripteur avec des avertissements : il reste à le
    compléter). À la racine du dépôt, essaimage.schema.json est créé s'il manque, pour la
    complétion dans les éditeurs.
    """
    from ..commands.init import create_descriptor

    words = list(arguments or [])
    first = ALIASES.get(words[0], words[0]) if words else ""
    kind = first if first in KINDS else "innovation"
    if first in KINDS:
        words.pop(0)
    if len(words) > 1:
        raise UsageError(
            "essaimage init attend au plus un type (territoire, profil ou plan) et un fichier"
        )
    fichier = Path(words[0]) if words else Path(KINDS[kind])
    for path in create_descriptor(fichier, Path.cwd(), kind):
        if path == fichier:
            say(f"{CREATED[kind]} : {fichier.as_posix()}")
        else:
            say(f"Schéma pour les éditeurs écrit : {path.as_posix()}")
    say(f"Complétez-le, puis vérifiez-le : essaimage validate {fichier.as_posix()}")
