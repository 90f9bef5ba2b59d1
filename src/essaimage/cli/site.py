"""`essaimage site`: check the repository, then write its static catalogue site."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import UsageError
from .app import (
    Commande,
    ContexteOption,
    app,
    echo_lines,
    frames_wanted,
    freeze_start_up,
    on_terminal,
)


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
    contexte: ContexteOption = None,
) -> None:
    """Construit le site catalogue du dépôt : index, une page par innovation, les kits prévus.

    Le dépôt est d'abord vérifié : une erreur arrête la construction. Les liens sont relatifs
    (le site fonctionne dans un sous-dossier et ouvert depuis le disque) ; un fichier n'est
    réécrit que si son contenu change.
    """
    from ..findings import CheckResult, Severity
    from ..french import pluriel
    from ..pipeline import check_files
    from ..reporters import text_report
    from ..repository import repository_at, repository_files
    from ..site import build, count_files

    freeze_start_up()
    repo = repository_at(Path.cwd())
    files = repository_files(repo)
    if not files:
        raise UsageError(
            "aucun descripteur dans ce dossier (ni essaimage.yaml, ni dossiers innovations/ et "
            "territoires/)"
        )
    result, checked = check_files(files)
    if result.failed():
        frames = frames_wanted(contexte)
        sources = {c.shown_as: c.text for c in checked if c.text is not None} if frames else {}
        errors = CheckResult(
            result.files, [f for f in result.findings if f.severity is Severity.ERREUR]
        )
        echo_lines(text_report(errors, sources, frames))
        typer.echo("Site non construit : corrigez d'abord ces erreurs.", err=True)
        raise typer.Exit(1)
    out = sortie or repo.site
    if on_terminal():
        from rich.progress import Progress

        with Progress(transient=True) as progress:
            task = progress.add_task("Construction du site", total=count_files(checked))
            built = build(checked, out, repo.templates, lambda _: progress.advance(task))
    else:
        built = build(checked, out, repo.templates)
    removed = len(built.removed)
    typer.echo(
        f"Site écrit dans {out.as_posix()} : {built.pages} {pluriel(built.pages, 'fichier')} "
        f"({len(built.written)} {pluriel(len(built.written), 'écrit')}, "
        f"{len(built.unchanged)} {pluriel(len(built.unchanged), 'inchangé')}"
        + (f", {removed} {pluriel(removed, 'retiré')}" if removed else "")
        + ")."
    )
    typer.echo(f"Page d'accueil : {(out / 'index.html').as_posix()}")
