"""`essaimage kit`: the kits of innovations for one or more territories."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import (
    Commande,
    ContexteOption,
    app,
    chosen_formats,
    echo_lines,
    frames_wanted,
    freeze_start_up,
    say,
)

KIT_FORMATS = ("md", "html", "pdf", "odt", "docx")


@app.command(cls=Commande)
def kit(
    descripteurs: Annotated[
        Optional[list[str]],
        typer.Argument(
            metavar="DESCRIPTEUR",
            help="Descripteurs d'innovation (fichiers YAML). Sans descripteur, dans un dépôt : les "
            "innovations que le profil du territoire prévoit (projets), ou toutes les innovations "
            "du dépôt pour un territoire officiel ou un profil qui n'en prévoit aucune.",
            show_default=False,
        ),
    ] = None,
    territoires: Annotated[
        list[str],
        typer.Option(
            "--territoire",
            "-t",
            metavar="TERRITOIRE",
            help="Territoire receveur : profil (chemin, ou nom de fichier du dossier territoires/), "
            "code INSEE (44, 44109, SIREN d'EPCI, region:53), code postal ou nom officiel "
            "(« Saint-Étienne »). Répétable ; essaimage territoires aide à trouver un code.",
            show_default=False,
        ),
    ] = ...,  # type: ignore[assignment]  # required: Typer's marker
    sortie: Annotated[
        Path, typer.Option("--sortie", "-o", metavar="DOSSIER", help="Dossier où écrire les kits.")
    ] = Path("kits"),
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="md, html, pdf, odt, docx, plusieurs séparés par des virgules (md,pdf), ou tout "
            "(md et html ; pdf si WeasyPrint est installé : pip install weasyprint ; odt et "
            "docx si pandoc l'est : pip install pypandoc-binary).",
        ),
    ] = "tout",
    contexte: ContexteOption = None,
) -> None:
    """Produit le kit d'essaimage d'une innovation pour un ou plusieurs territoires.

    Un kit par territoire : SORTIE/<identifiant-innovation>/<territoire>.md et .html (et .pdf,
    .odt, .docx selon les formats).
    Un descripteur qui contient des erreurs ne produit aucun kit : les erreurs sont affichées.
    """
    from ..commands.kits import KitRequest, make_kits
    from ..files.output import foreign_warning
    from ..reports.text import kit_summary, text_report

    formats = chosen_formats(format, KIT_FORMATS)
    freeze_start_up()
    request = KitRequest(
        descripteurs=[Path(argument) for argument in descripteurs or []],
        territoires=list(territoires),
        sortie=sortie,
        formats=formats,
        start=Path.cwd(),
    )
    run = make_kits(request, lambda path: say(f"Kit écrit : {path.as_posix()}"))
    for note in run.notes:
        say(f"Note : {note}.", err=True)
    if run.foreign:
        say(f"Attention : {foreign_warning(run.foreign)}.", err=True)
    result = run.result
    if result.failed() and not run.count:
        say("Aucun kit produit : corrigez d'abord ces erreurs.", err=True)
    frames = frames_wanted(contexte)
    echo_lines(text_report(result, run.sources if frames else {}, frames)[:-1])
    say(kit_summary(run.count, result))
    raise typer.Exit(1 if result.failed() else 0)
