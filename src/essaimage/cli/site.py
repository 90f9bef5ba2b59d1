"""`essaimage site`: check the repository, then write its static catalogue site."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import Commande, ContexteOption, app, checked_repository, on_terminal, say


@app.command(cls=Commande)
def site(
    sortie: Annotated[
        Optional[Path],
        typer.Option(
            "--sortie",
            "-o",
            metavar="DOSSIER",
            help="Dossier du site (par défaut : celui d'essaimage.yaml, sinon public/).",
            show_default=False,
        ),
    ] = None,
    garder_etrangers: Annotated[
        bool,
        typer.Option(
            "--garder-etrangers",
            metavar="",
            help="Garde et publie avec le site les fichiers du dossier de sortie qu'essaimage "
            "n'a pas écrits (un fichier CNAME, par exemple) ; sans cette option, leur présence "
            "arrête la construction (code 2).",
        ),
    ] = False,
    contexte: ContexteOption = None,
) -> None:
    """Construit le site catalogue du dépôt : index, une page par innovation, les kits prévus,
    les plans et les données ouvertes (dossier donnees/, comme essaimage export).

    Le dépôt est d'abord vérifié : une erreur arrête la construction. Les liens sont relatifs
    (le site fonctionne dans un sous-dossier et ouvert depuis le disque) ; un fichier n'est
    réécrit que si son contenu change. Le dossier de sortie ne contient que ce qu'essaimage
    écrit : un fichier qu'il n'a pas écrit arrête la construction, sauf avec --garder-etrangers.
    """
    from ..commands.site import build, count_files
    from ..files.output import foreign_warning
    from ..text.french import pluriel

    repo, checked = checked_repository(contexte, "Site non construit")
    out = sortie or repo.site
    settings = repo.model
    if on_terminal():
        from rich.progress import Progress

        with Progress(transient=True) as progress:
            task = progress.add_task("Construction du site", total=count_files(checked))
            built = build(
                checked, out, repo.templates, lambda _: progress.advance(task),
                settings.licence_donnees, settings.site_url, garder_etrangers,
            )  # fmt: skip
    else:
        built = build(
            checked, out, repo.templates, None, settings.licence_donnees, settings.site_url,
            garder_etrangers,
        )  # fmt: skip
    if built.foreign:
        kept = "il est gardé et publié" if len(built.foreign) < 2 else "ils sont gardés et publiés"
        say(
            f"{foreign_warning(built.foreign)} ; {kept} avec le site (--garder-etrangers).",
            err=True,
        )
    removed = len(built.removed)
    say(
        f"Site écrit dans {out.as_posix()} : {built.pages} {pluriel(built.pages, 'fichier')} "
        f"({len(built.written)} {pluriel(len(built.written), 'écrit')}, "
        f"{len(built.unchanged)} {pluriel(len(built.unchanged), 'inchangé')}"
        + (f", {removed} {pluriel(removed, 'retiré')}" if removed else "")
        + ")."
    )
    say(f"Page d'accueil : {(out / 'index.html').as_posix()}")
