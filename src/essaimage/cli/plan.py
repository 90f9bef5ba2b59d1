"""`essaimage plan`: a scale-up plan computed and written (document, sites, kits)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import InvalidProfileError, UsageError
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
    contexte: ContexteOption = None,
) -> None:
    """Calcule un plan de montée en charge et écrit son document, ses sites et ses kits.

    Dans SORTIE/<identifiant-du-plan>/ : plan.md, plan.html et plan.pdf (synthèse sur une page, sites,
    prérequis, financements, accompagnement, risques, acteurs publics), sites.csv (pour les
    tableurs : « ; », virgule décimale, UTF-8 avec BOM) et sites.json ; avec --kits, le kit de
    chaque territoire, relié depuis le plan. Forme rapide, sans fichier de plan :
    essaimage plan INNOVATION --dans region:53 --type commune --population 5000-20000 --limite 20
    """
    from ..check.pipeline import FileCheck, check_files
    from ..check.rules import today
    from ..commands.kits import repository_templates, template_finding
    from ..files.output import foreign_warning
    from ..findings import CheckResult, Severity
    from ..format.models import FichierPlan, Innovation
    from ..plan.compute import compute, find_innovation, quick_plan
    from ..render.engine import TemplateProblem
    from ..render.plan_files import write_plan
    from ..reports.formats import text_report
    from ..territories.search import population_bounds

    formats = chosen_formats(format, PLAN_FORMATS)
    path = Path(source)
    result = CheckResult()
    sources: dict[str, str] = {}

    def checked(file: Path) -> FileCheck:
        # with the checks between files: a plan's unknown innovation or profile, at its line
        report, (found,) = check_files([file])
        result.files.append(found.shown_as)
        result.extend([f for f in report.findings if f.severity is Severity.ERREUR])
        if found.text is not None:
            sources[found.shown_as] = found.text
        return found

    def stop() -> None:
        frames = frames_wanted(contexte)
        echo_lines(text_report(result, sources if frames else {}, frames)[:-1])
        say("Aucun plan produit : corrigez d'abord ces erreurs.", err=True)
        raise typer.Exit(1)

    plan_file = checked(path) if path.is_file() else None
    if plan_file is not None and isinstance(plan_file.model, FichierPlan):
        the_plan = plan_file.model.plan
        folder = path.parent
        descriptor = checked(find_innovation(the_plan.innovation, folder))
    elif plan_file is not None and plan_file.model is None and not result.failed():
        raise UsageError(f"« {source} » n'est ni un plan ni un descripteur d'innovation")
    elif plan_file is not None and not isinstance(plan_file.model, Innovation):
        if result.failed():
            stop()
        raise UsageError(f"« {source} » n'est ni un plan ni un descripteur d'innovation")
    else:
        if dans is None:
            raise UsageError(
                "sans fichier de plan, indiquez où chercher : --dans",
                f"Par exemple : essaimage plan {source} --dans region:53 --type commune "
                "--population 5000-20000 --limite 20",
            )
        folder = Path.cwd()
        descriptor = (
            plan_file if plan_file is not None else checked(find_innovation(source, folder))
        )
        the_plan = None
    if result.failed() or descriptor.model is None:
        stop()
    if the_plan is None:
        assert dans is not None
        try:
            bounds = population_bounds(population) if population else (None, None)
        except ValueError:
            raise UsageError(f"« {population} » n'est pas une fourchette de population") from None
        try:
            start = dt.date.fromisoformat(debut) if debut else _next_month(today())
        except ValueError:
            raise UsageError(f"« {debut} » n'est pas une date (AAAA-MM-JJ)") from None
        the_plan = quick_plan(
            descriptor.innovation, dans, type, bounds, limite, start, sites_par_vague, intervalle
        )
    try:
        computed = compute(the_plan, descriptor, folder, plan_file)
    except InvalidProfileError as exc:
        result.extend(exc.findings)
        if exc.findings and exc.text is not None:
            sources[exc.findings[0].file] = exc.text
        stop()
    for note in computed.notes:
        say(f"Note : {note}.", err=True)
    templates = repository_templates([descriptor.path], sortie) if kits else None
    try:
        written, foreign = write_plan(computed, sortie, formats, kits, templates)
    except TemplateProblem as exc:
        result.append(template_finding(exc))
        stop()
    for file in written:
        if (
            not file.name.endswith((".md", ".html", ".pdf", ".odt", ".docx"))
            or file.parent.name == computed.plan.id
        ):
            say(f"Écrit : {file.as_posix()}")
    kits_count = sum(1 for file in written if file.suffix == ".html" and "kits" in file.parts)
    counts = [
        (len(computed.sites), "territoire"),
        (computed.total_sites, "site"),
        (len(computed.vagues), "vague"),
    ]
    if kits:
        counts.append((kits_count, "kit"))
    said = ", ".join(f"{nombre(count)} {pluriel(count, word)}" for count, word in counts)
    say(f"Plan « {computed.plan.nom} » : {said}.")
    if foreign:
        say(f"Attention : {foreign_warning(foreign)}.", err=True)


def _next_month(day: dt.date) -> dt.date:
    """The first day of the month after `day`."""
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
