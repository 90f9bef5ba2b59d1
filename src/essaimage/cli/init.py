"""`essaimage init`: a commented descriptor, territory profile, plan or take-over report skeleton
to fill in."""

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
    "retour": "nouveau-retour.yaml",
}
ALIASES = {"profil": "territoire"}
CREATED = {
    "innovation": "Descripteur créé",
    "territoire": "Profil créé",
    "plan": "Plan créé",
    "retour": "Retour créé",
}


@app.command(cls=Commande)
def init(
    arguments: Annotated[
        Optional[list[str]],
        typer.Argument(
            metavar="[territoire|plan|retour] [FICHIER]",
            help="« territoire » (ou « profil ») pour un profil de territoire, « plan » pour un "
            "plan de montée en charge, « retour » pour un retour d'essaimage, sinon un "
            "descripteur d'innovation ; puis le fichier à créer.",
            show_default=False,
        ),
    ] = None,
    innovation: Annotated[
        Optional[str],
        typer.Option(
            "--innovation",
            metavar="ID",
            help="Pour un retour : l'identifiant de l'innovation reprise (par défaut, la seule "
            "du dépôt). Le squelette liste ses éléments du cœur, ses marges et ses prérequis.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Crée un squelette commenté, à compléter ; n'écrase jamais un fichier.

    essaimage init [FICHIER] : un descripteur d'innovation ; essaimage init territoire [FICHIER] :
    un profil de territoire ; essaimage init plan [FICHIER] : un plan de montée en charge ;
    essaimage init retour [FICHIER] --innovation ID : un retour d'essaimage. Le squelette se
    vérifie sans erreur (un descripteur avec des avertissements : il reste à le
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
            "essaimage init attend au plus un type (territoire, profil, plan ou retour) et un "
            "fichier"
        )
    if innovation is not None and kind != "retour":
        raise UsageError("--innovation ne sert qu'à un retour : essaimage init retour FICHIER "
                         "--innovation ID")  # fmt: skip
    if kind == "retour" and innovation is None:
        innovation = _only_innovation()
    fichier = Path(words[0]) if words else Path(KINDS[kind])
    for path in create_descriptor(fichier, Path.cwd(), kind, innovation):
        if path == fichier:
            say(f"{CREATED[kind]} : {fichier.as_posix()}")
        else:
            say(f"Schéma pour les éditeurs écrit : {path.as_posix()}")
    say(f"Complétez-le, puis vérifiez-le : essaimage validate {fichier.as_posix()}")


def _only_innovation() -> str:
    """The repository's innovation when it has only one; UsageError otherwise."""
    from ..check.loader import root_facts
    from ..check.repository import repository_for

    ids = sorted(
        {
            facts.id
            for path in repository_for(Path.cwd()).files("innovations")
            if (facts := root_facts(path)) is not None and facts.id and "coeur" in facts.keys
        }
    )
    if len(ids) == 1:
        return ids[0]
    raise UsageError(
        "indiquez l'innovation reprise : essaimage init retour FICHIER --innovation ID",
        "Innovations du dépôt : " + (", ".join(ids) if ids else "aucune") + ".",
    )
