"""`essaimage editer`: a local form in the browser to write a descriptor, a profile or a plan."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import UsageError
from .app import Commande, app, say
from .init import ALIASES, KINDS


@app.command(cls=Commande)
def editer(
    fichier: Annotated[
        Optional[Path],
        typer.Argument(
            metavar="[FICHIER]",
            help="Le fichier à modifier (descripteur, profil, plan, retour ou essaimage.yaml) ; avec "
            "--nouveau, le fichier à créer.",
            show_default=False,
        ),
    ] = None,
    nouveau: Annotated[
        Optional[str],
        typer.Option(
            "--nouveau",
            metavar="TYPE",
            help="Crée un fichier à partir du squelette d'essaimage init : innovation, "
            "territoire (ou profil), plan ou retour (sur la première innovation du dépôt). Il "
            "n'est écrit qu'au premier « Enregistrer ».",
            show_default=False,
        ),
    ] = None,
    port: Annotated[
        int,
        typer.Option(
            "--port",
            help="Le port local où l'éditeur écoute ; 0 : un port libre.",
            min=0,
            max=65535,
        ),
    ] = 0,
    sans_navigateur: Annotated[
        bool,
        typer.Option(
            "--sans-navigateur",
            help="N'ouvre pas le navigateur : ouvrez vous-même l'adresse affichée.",
        ),
    ] = False,
) -> None:
    """Ouvre un formulaire dans le navigateur pour écrire une fiche sans connaître YAML.

    Chaque champ du format y a son titre, son explication et un exemple ; les problèmes
    s'affichent à côté de leur champ pendant la saisie (la même vérification que essaimage
    validate) ; l'aperçu montre le kit pour le territoire choisi ; « Enregistrer » ne change
    dans le fichier que les valeurs modifiées (les commentaires restent). L'éditeur n'écoute
    que sur cet ordinateur (127.0.0.1), par une adresse à usage unique ; Ctrl-C l'arrête.
    """
    from ..commands.init import new_file_text
    from ..commands.kits import repository_profiles
    from ..editor.server import EditorServer, serve
    from ..editor.session import open_session

    kind = ALIASES.get(nouveau, nouveau) if nouveau is not None else None
    if kind is not None and kind not in KINDS:
        raise UsageError(
            f"type « {nouveau} » inconnu pour --nouveau (types : {', '.join(KINDS)}, profil)"
        )
    if fichier is None:
        if kind is None:
            raise UsageError(
                "indiquez le fichier à modifier, ou --nouveau innovation (ou territoire, plan, retour) "
                "pour en créer un"
            )
        fichier = Path(KINDS[kind])
    if fichier.suffix not in (".yaml", ".yml"):
        raise UsageError(
            f"« {fichier.as_posix()} » : le nom du fichier doit finir par .yaml ou .yml"
        )
    skeleton = new_file_text(fichier, Path.cwd(), kind) if kind is not None else ""
    session = open_session(fichier, kind, skeleton)
    try:
        server = EditorServer(session, port)
    except OSError as exc:
        raise UsageError(
            f"l'éditeur ne peut pas écouter sur le port {port} : {exc.strerror or exc}",
            "Choisissez un autre port avec --port, ou --port 0 pour un port libre.",
        ) from None
    server.profiles = lambda: [p.name for p in repository_profiles(session.path)]

    def ready(address: str) -> None:
        what = "Nouveau fichier" if kind else "Fichier"
        say(f"{what} : {session.shown}")
        say("Éditeur ouvert à l'adresse (à usage unique, sur cet ordinateur seulement) :")
        say(address)
        say("Ctrl-C pour arrêter l'éditeur.")
        if not sans_navigateur:
            import webbrowser

            webbrowser.open(address)

    with contextlib.suppress(KeyboardInterrupt):
        serve(server, ready)
    if session.unsaved:
        say("Éditeur arrêté : les dernières modifications n'ont pas été enregistrées.")
    else:
        say("Éditeur arrêté.")
