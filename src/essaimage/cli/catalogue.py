"""`essaimage catalogue`: the repository's innovations, ranked for a territory."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..errors import UsageError
from .app import Commande, app, freeze_start_up, say

if TYPE_CHECKING:
    from ..commands.catalogue import Catalogue

CATALOGUE_FORMATS = ("text", "csv", "json", "md")  # as commands.catalogue_formats.FORMATS


@app.command(cls=Commande)
def catalogue(
    territoires: Annotated[
        Optional[list[str]],
        typer.Option(
            "--territoire",
            "-t",
            metavar="TERRITOIRE",
            help="Le territoire pour lequel classer les innovations, comme essaimage kit le lit : "
            "profil (chemin, ou nom de fichier du dossier territoires/), code INSEE (22, 22278, "
            "SIREN d'EPCI, region:53), code postal ou nom officiel. Un seul territoire.",
            show_default=False,
        ),
    ] = None,
    secteurs: Annotated[
        Optional[list[str]],
        typer.Option(
            "--secteur",
            "-s",
            metavar="SECTEUR",
            help="Seulement les innovations de ce secteur (mobilite, education, social…). "
            "Répétable : l'un ou l'autre.",
            show_default=False,
        ),
    ] = None,
    budget_max: Annotated[
        Optional[str],
        typer.Option(
            "--budget-max",
            metavar="EUROS",
            help="Seulement les innovations dont la première année coûte au plus ce montant "
            "(pour le territoire ; sans territoire, pour un site type), par exemple 30000. La "
            "première année peut n'être que la préparation : regardez aussi le coût sur 3 ans.",
            show_default=False,
        ),
    ] = None,
    format: Annotated[
        str,
        typer.Option("--format", "-f", metavar="FORMAT", help="text, csv, json ou md."),
    ] = "text",
) -> None:
    """Liste les innovations du dépôt ; avec --territoire, les classe pour ce territoire.

    Chaque innovation est calculée pour le territoire comme son kit : verdict de chaque
    prérequis, sites et bénéficiaires, coût la première année et sur trois ans, reste à charge,
    financements trouvés, niveau de preuve, reprises et la plus proche. Classement : tous les
    prérequis remplis d'abord, puis à vérifier, puis non remplis ; dans chaque groupe, les plus
    de résultats sourcés, puis de reprises, puis le coût le plus bas. Un descripteur qui
    contient des erreurs n'est pas classé (code de sortie 1).
    """
    from ..commands.catalogue import Filtres, budget, build, sectors
    from ..commands.catalogue_formats import FORMATS, nothing_to_list

    if format not in FORMATS:
        raise UsageError(f"format « {format} » inconnu (formats permis : {', '.join(FORMATS)})")
    filtres = Filtres(
        secteurs=sectors(secteurs or []),
        budget_max=budget(budget_max) if budget_max is not None else None,
    )
    if territoires and len(territoires) > 1:
        raise UsageError(
            "essaimage catalogue classe les innovations pour un seul territoire à la fois "
            f"(demandés : {', '.join(territoires)})",
            "Lancez la commande une fois par territoire ; essaimage kit, lui, accepte plusieurs -t.",
        )
    territoire = territoires[0] if territoires else None
    freeze_start_up()
    result = build(Path.cwd(), territoire, filtres)
    for note in result.notes:
        say(f"Note : {note}.", err=True)
    for ecarte in result.ecartes:
        say(f"{ecarte.phrase}.", err=True)
    render = FORMATS[format]
    if render is not None:
        typer.echo(render(result), nl=False)
    elif result.entrees:
        _table(result)
    if not result.entrees:
        say(nothing_to_list(result), err=format != "text")
    raise typer.Exit(1 if result.ecartes else 0)


def _table(result: Catalogue) -> None:
    """The ranking as a table in the terminal, then the reason of each place."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ..commands.catalogue import ordinal
    from ..commands.catalogue_formats import closest_words, prerequisites_short, title_for
    from ..format.vocabulary import MATURITES
    from ..text.french import euros, nombre
    from ..text.terminal import visible
    from ..text.typography import prose

    territorial = result.cible is not None
    title = (
        title_for(result.cible)
        if result.cible is not None
        else "Innovations du dépôt (coûts d'un site type)"
    )
    table = Table(title=Text(visible(title)), title_justify="left", box=None, pad_edge=False)
    table.add_column("Rang", no_wrap=True)
    table.add_column("Innovation", ratio=1, min_width=16)
    if territorial:
        table.add_column("Prérequis")
        table.add_column("Coût an 1", justify="right", no_wrap=True)
        table.add_column("Reste an 1", justify="right", no_wrap=True)
    else:
        table.add_column("Maturité")
        table.add_column("Indice", justify="right", no_wrap=True)
        table.add_column("Coût an 1", justify="right", no_wrap=True)
    table.add_column("Reprises", justify="right", no_wrap=True)
    for e in result.entrees:
        cells = [ordinal(e.rang), visible(e.nom)]
        if territorial:
            cells += [
                prerequisites_short(e),
                euros(e.cout_annee_1),
                euros(e.reste_annee_1 or 0),
            ]
        else:
            cells += [
                MATURITES.get(e.maturite, "") if e.maturite else "",
                f"{e.indice}/10" if e.indice is not None else "",
                euros(e.cout_annee_1),
            ]
        cells.append(nombre(e.reprises))
        table.add_row(*(Text(cell) for cell in cells))
    Console(highlight=False).print(table)
    lines = [""]
    for e in result.entrees:
        lines.append(prose(f"{ordinal(e.rang)} {e.nom} : {e.raison}."))
        if territorial:
            lines.append(
                prose(
                    f"    coût : {euros(e.cout_annee_1)} la première année, "
                    f"{euros(e.cout_3_ans)} sur 3 ans ; reste à charge "
                    f"{euros(e.reste_annee_1 or 0)} puis {euros(e.reste_3_ans or 0)} sur 3 ans"
                )
            )
            for p in e.prerequis:
                lines.append(prose(f"    {p.verdict} : {p.description} ({p.raison})"))
            if e.reprise_proche is not None:
                lines.append(
                    prose(f"    reprise la plus proche : {closest_words(e.reprise_proche)}")
                )
            for text in e.points_attention:
                lines.append(prose(f"    point d'attention du kit : {text}"))
    say("\n".join(lines))
