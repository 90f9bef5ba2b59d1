"""`essaimage export`: check the repository, then write its catalogue as open data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import Commande, ContexteOption, app, checked_repository, say


@app.command(cls=Commande)
def export(
    sortie: Annotated[
        Optional[Path],
        typer.Option(
            "--sortie",
            "-o",
            metavar="DOSSIER",
            help="Dossier des données (par défaut : donnees/ à la racine du dépôt).",
            show_default=False,
        ),
    ] = None,
    contexte: ContexteOption = None,
) -> None:
    """Écrit le catalogue du dépôt en données ouvertes : un paquet de données Frictionless.

    innovations.csv (une ligne par innovation, avec le coût d'un site type), essaimages.csv
    (les reprises déjà faites), plans.csv (les plans de montée en charge), innovations.json
    (les descripteurs complets) et datapackage.json (leur description : colonnes, types, clés,
    licence). Le dépôt est d'abord vérifié : une erreur arrête l'export. La licence se règle
    par licence_donnees dans essaimage.yaml (par défaut : etalab-2.0), l'adresse des pages par
    site_url.
    """
    from ..commands import export as data
    from ..commands.site import computed_plans, entries
    from ..files.output import foreign_warning
    from ..text.french import pluriel

    repo, checked = checked_repository(contexte, "Données non exportées")
    settings = repo.model
    plans = computed_plans(checked, entries(checked))
    files = data.package(checked, plans, settings.licence_donnees, settings.site_url)
    out = sortie or repo.donnees
    written = data.write(files, out)
    count = len(written.written)
    say(
        f"Données écrites dans {out.as_posix()} : {len(files)} {pluriel(len(files), 'fichier')} "
        f"({count} {pluriel(count, 'écrit')}, {len(written.unchanged)} "
        f"{pluriel(len(written.unchanged), 'inchangé')})."
    )
    say(f"Description du paquet : {(out / 'datapackage.json').as_posix()}")
    if written.foreign:
        say(f"Attention : {foreign_warning(written.foreign)}.", err=True)
