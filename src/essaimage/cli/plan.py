"""`essaimage plan`: a scale-up plan computed and written (document, sites, kits)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..text.french import nombre, pluriel
from .app import Commande, ContexteOption, app, chosen_formats, echo_lines, frames_wanted, say

PLAN_FORMATS = ("md", "html", "csv", "pdf", "odt", "docx")


@app.command(cls=Commande)
def plan(
    source: Annotated[
        str,
        typer.Argument(
            metavar="PLAN",
            help="Un plan (plans/mon-plan.yaml) ; ou, pour la forme rapide, une innovation (son "
            "descripteur ou son identifiant) avec --dans et --type.",
            show_default=False,
        ),
    ],
    sortie: Annotated[
        Path, typer.Option("--sortie", "-o", metavar="DOSSIER", help="Dossier où écrire le plan.")
    ] = Path("plans-calcules"),
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="md, html, csv, pdf, odt, docx, plusieurs séparés par des virgules, ou tout "
            "(pdf si WeasyPrint est installé, odt et docx si pandoc l'est).",
        ),
    ] = "tout",
    kits: Annotated[
        bool,
        typer.Option("--kits", metavar="", help="Écrit aussi le kit de chaque territoire du plan."),
    ] = False,
    dans: Annotated[
        Optional[str],
        typer.Option(
            "--dans",
            metavar="CODE",
            help="Forme rapide : où chercher (region:53…).",
            show_default=False,
        ),
    ] = None,  # fmt: skip
    type: Annotated[
        str,
        typer.Option("--type", metavar="TYPE", help="Forme rapide : commune, epci ou departement."),
    ] = "commune",  # fmt: skip
    population: Annotated[
        Optional[str],
        typer.Option(
            "--population", metavar="MIN-MAX", help="Forme rapide : 5000-20000.", show_default=False
        ),
    ] = None,  # fmt: skip
    limite: Annotated[
        Optional[int],
        typer.Option(
            "--limite",
            metavar="N",
            help="Forme rapide : au plus N territoires.",
            show_default=False,
        ),
    ] = None,  # fmt: skip
    debut: Annotated[
        Optional[str],
        typer.Option(
            "--debut",
            metavar="AAAA-MM-JJ",
            help="Forme rapide : début de la première vague (par défaut : le mois prochain).",
            show_default=False,
        ),
    ] = None,  # fmt: skip
    sites_par_vague: Annotated[
        Optional[int],
        typer.Option(
            "--sites-par-vague",
            metavar="N",
            help="Forme rapide : sites par vague.",
            show_default=False,
        ),
    ] = None,  # fmt: skip
    intervalle: Annotated[
        Optional[int],
        typer.Option(
            "--intervalle",
            metavar="MOIS",
            help="Forme rapide : mois entre deux vagues.",
            show_default=False,
        ),
    ] = None,  # fmt: skip
    porteur: Annotated[
        Optional[str],
        typer.Option(
            "--porteur",
            metavar="NOM",
            help="Forme rapide : qui conduit la montée en charge (« Région Bretagne »…) ; "
            "sinon « une structure à désigner ».",
            show_default=False,
        ),
    ] = None,  # fmt: skip
    contexte: ContexteOption = None,
) -> None:
    """Calcule un plan de montée en charge et écrit son document, ses sites et ses kits.

    Dans SORTIE/<identifiant-du-plan>/ : plan.md, plan.html et plan.pdf (synthèse sur une page, sites,
    prérequis, financements, accompagnement, risques, acteurs publics), sites.csv (pour les
    tableurs : « ; », virgule décimale, UTF-8 avec BOM) et sites.json ; avec --kits, le kit de
    chaque territoire, relié depuis le plan. Forme rapide, sans fichier de plan :
    essaimage plan INNOVATION --dans region:53 --type commune --population 5000-20000 --limite 20
    """
    from ..commands.plan import PlanRequest, QuickForm, make_plan
    from ..files.output import foreign_warning
    from ..reports.text import text_report

    quick = QuickForm(dans, type, population, limite, debut, sites_par_vague, intervalle, porteur)
    run = make_plan(PlanRequest(source, sortie, chosen_formats(format, PLAN_FORMATS), kits, quick))
    for note in run.notes:
        say(f"Note : {note}.", err=True)
    computed = run.computed
    if computed is None:
        frames = frames_wanted(contexte)
        echo_lines(text_report(run.result, run.sources if frames else {}, frames)[:-1])
        say("Aucun plan produit : corrigez d'abord ces erreurs.", err=True)
        raise typer.Exit(1)
    for file in run.written:
        if (
            not file.name.endswith((".md", ".html", ".pdf", ".odt", ".docx"))
            or file.parent.name == computed.plan.id
        ):
            say(f"Écrit : {file.as_posix()}")
    kits_count = sum(1 for file in run.written if file.suffix == ".html" and "kits" in file.parts)
    counts = [
        (len(computed.sites), "territoire"),
        (computed.total_sites, "site"),
        (len(computed.vagues), "vague"),
    ]
    if kits:
        counts.append((kits_count, "kit"))
    said = ", ".join(f"{nombre(count)} {pluriel(count, word)}" for count, word in counts)
    say(f"Plan « {computed.plan.nom} » : {said}.")
    if run.foreign:
        say(f"Attention : {foreign_warning(run.foreign)}.", err=True)
