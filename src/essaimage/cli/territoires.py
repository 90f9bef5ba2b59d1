"""`essaimage territoires`: look a territory up, or list those a selection gives."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ..errors import TargetError, UsageError
from .app import Commande, app, say

FORMATS = ("text", "csv", "json")


@app.command(cls=Commande)
def territoires(
    recherche: Annotated[
        Optional[str],
        typer.Argument(
            metavar="RECHERCHE",
            help="Un nom (« Saint-Brieuc », « l'Ain », « Lannion-Trégor Communauté »), un code "
            "INSEE (22, 22278, region:53), un code postal ou un SIREN.",
            show_default=False,
        ),
    ] = None,
    dans: Annotated[
        Optional[str],
        typer.Option(
            "--dans",
            metavar="CODE",
            help="Dans ce territoire : region:53, 22, un SIREN d'EPCI…",
            show_default=False,
        ),
    ] = None,  # fmt: skip
    type: Annotated[
        Optional[str],
        typer.Option(
            "--type", metavar="TYPE", help="commune, epci ou departement.", show_default=False
        ),
    ] = None,
    population: Annotated[
        Optional[str],
        typer.Option(
            "--population",
            metavar="MIN-MAX",
            help="Bornes de population : 5000-20000, 5000-, -20000.",
            show_default=False,
        ),
    ] = None,  # fmt: skip
    limite: Annotated[
        Optional[int],
        typer.Option("--limite", metavar="N", help="Au plus N territoires.", show_default=False),
    ] = None,
    format: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help="text, csv ou json.")
    ] = "text",
) -> None:
    """Cherche un territoire dans le référentiel officiel, ou liste ceux d'une sélection.

    Avec RECHERCHE : les territoires que ce nom ou ce code désigne. Sans RECHERCHE : les
    territoires de --type dans --dans, entre les bornes de --population, les plus peuplés
    d'abord. Colonnes : code, type, nom avec son article, population, département, région et,
    pour une commune, son EPCI.
    """
    from ..territories.cog import SELECTABLE, Selection, TerritoryNotFound, reference, select
    from ..territories.search import (
        Found,
        as_csv,
        as_json,
        as_text,
        narrow,
        population_bounds,
        row,
    )
    from ..territories.search import search as search_names

    if format not in FORMATS:
        raise UsageError(f"format « {format} » inconnu (formats permis : text, csv, json)")
    if type is not None and type not in SELECTABLE:
        raise UsageError(f"type « {type} » inconnu (types permis : commune, epci, departement)")
    if limite is not None and limite < 1:
        raise UsageError("--limite attend un nombre entier positif")
    bounds: tuple[int | None, int | None] = (None, None)
    if population is not None:
        try:
            bounds = population_bounds(population)
        except ValueError:
            raise UsageError(
                f"« {population} » n'est pas une fourchette de population",
                "Écrivez par exemple --population 5000-20000, 5000- ou -20000.",
            ) from None
    ref = reference()
    notes: list[str] = []
    within = None
    if dans is not None:
        try:
            resolution = ref.resolve(dans)
        except TerritoryNotFound as exc:
            raise TargetError(exc.message, exc.candidates) from None
        within = resolution.territoire
        notes += [resolution.note] if resolution.note else []
    if recherche is not None:
        found = search_names(ref, recherche)
        narrow(ref, found, type, within, bounds)
    elif type is not None or within is not None:
        selection = Selection(type or "commune", within, bounds[0], bounds[1], limite=limite)
        found = Found(select(ref, selection))
    else:
        raise UsageError(
            "indiquez ce que vous cherchez (un nom ou un code), ou une sélection",
            "Par exemple : essaimage territoires Saint-Brieuc, ou "
            "essaimage territoires --dans region:53 --type commune --population 5000-20000",
        )
    notes += found.notes
    shown = found.territoires[:limite] if limite is not None else found.territoires
    rows = [row(ref, item) for item in shown]
    for note in notes:
        say(f"Note : {note}.", err=True)
    if not rows:
        message = "aucun territoire ne correspond"
        if found.suggestions:
            message += " ; les plus proches : " + " ; ".join(found.suggestions)
        say(f"essaimage : {message}.", err=True)
        raise typer.Exit(1)
    if format == "csv":
        typer.echo(as_csv(rows), nl=False)
    elif format == "json":
        typer.echo(as_json(rows, notes), nl=False)
    else:
        say(as_text(rows), nl=False)
