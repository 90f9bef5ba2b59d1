"""`essaimage validate`: check files and show every finding in the chosen formats."""

from __future__ import annotations

import contextlib
import enum
import os
import sys
from collections.abc import Collection
from pathlib import Path
from typing import Annotated, Literal, Optional

import typer

from ..errors import OutputError, UsageError
from ..format.vocabulary import REPORT_FORMATS
from .app import Commande, ContexteOption, app, frames_wanted, freeze_start_up

# The choices of `-f`, made from the one list of report formats (shell completion offers them).
FormatRapport = enum.Enum(  # type: ignore[misc]
    "FormatRapport", {name: name for name in REPORT_FORMATS}, type=str
)
TEXTE = FormatRapport("text")

NIVEAUX_ECHEC = ("erreur", "avertissement", "info")


@app.command(cls=Commande)
def validate(
    chemins: Annotated[
        Optional[list[str]],
        typer.Argument(
            metavar="CHEMIN",
            help="Fichiers, dossiers (parcourus récursivement : *.yaml, *.yml) ou motifs "
            "(« innovations/*.yaml »). Par défaut : le dépôt (essaimage.yaml), sinon le "
            "dossier courant.",
            show_default=False,
        ),
    ] = None,
    format: Annotated[
        FormatRapport,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=f"Sortie : {', '.join(REPORT_FORMATS[:-1])} ou {REPORT_FORMATS[-1]}.",
        ),
    ] = TEXTE,
    rapport: Annotated[
        Optional[list[str]],
        typer.Option(
            "--rapport",
            metavar="FORMAT=FICHIER",
            help="Écrit aussi un rapport dans un fichier (répétable), par exemple "
            "--rapport gitlab=qualite.json --rapport junit=junit.xml.",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", metavar="", help="Échoue aussi sur les avertissements.")
    ] = False,
    niveau_echec: Annotated[
        Optional[Literal["erreur", "avertissement", "info"]],
        typer.Option(
            "--niveau-echec",
            metavar="NIVEAU",
            help="Niveau à partir duquel la vérification échoue : erreur (par défaut), "
            "avertissement ou info.",
            show_default=False,
        ),
    ] = None,
    shard: Annotated[
        Optional[str],
        typer.Option(
            "--shard",
            metavar="K/N",
            help="Ne vérifie que la part K sur N des fichiers (parts stables et disjointes, pour "
            "une matrice de CI). Les vérifications entre fichiers (identifiants en double, projets "
            "inconnus) ne sont pas faites : lancez-les dans un travail sans --shard.",
            show_default=False,
        ),
    ] = None,
    nom_fichier: Annotated[
        Optional[str],
        typer.Option(
            "--nom-fichier",
            metavar="CHEMIN",
            help="Avec « - » (lire l'entrée standard) : le chemin sous lequel nommer ce texte "
            "dans les messages, qui le situe aussi dans son dépôt (par défaut : "
            "entree-standard.yaml).",
            show_default=False,
        ),
    ] = None,
    du_depot: Annotated[
        bool,
        typer.Option(
            "--seulement-du-depot",
            metavar="",
            help="Parmi les fichiers nommés, ne vérifie que ceux du dépôt (essaimage.yaml, "
            "innovations, territoires et plans qu'il désigne) : pour un crochet pre-commit qui "
            "reçoit tous les fichiers YAML modifiés.",
        ),
    ] = False,
    autoriser_vide: Annotated[
        bool,
        typer.Option(
            "--autoriser-vide",
            metavar="",
            help="Réussit quand il n'y a aucun fichier à vérifier (sinon : erreur, code 2).",
        ),
    ] = False,
    silencieux: Annotated[
        bool,
        typer.Option(
            "--silencieux", "-q", metavar="", help="N'affiche que les problèmes (format text)."
        ),
    ] = False,
    detail: Annotated[
        bool,
        typer.Option(
            "--detail",
            "-v",
            metavar="",
            help="Affiche aussi chaque fichier vérifié sans problème (format text).",
        ),
    ] = False,
    jobs: Annotated[
        Optional[int],
        typer.Option(
            "--jobs",
            "-j",
            metavar="N",
            help="Nombre de processus qui se partagent les fichiers (par défaut : les "
            "processeurs disponibles ; en dessous de 200 fichiers, un seul).",
            show_default=False,
        ),
    ] = None,
    contexte: ContexteOption = None,
) -> None:
    """Vérifie des descripteurs d'innovation, des profils de territoire et essaimage.yaml.

    Chaque problème s'affiche sur une ligne « fichier:ligne:colonne: niveau[CODE] message ».
    Code de sortie : 0 sans erreur, 1 s'il y a des erreurs (ou des avertissements avec --strict),
    2 pour un problème avec la commande elle-même. Le format de sortie ne change pas le code.
    """
    from ..check.pipeline import STDIN_NAME, available_cpus, check_files, read_stdin
    from ..check.repository import collect_files, default_files, of_repository
    from ..files.confinement import output_location
    from ..files.discovery import locate
    from ..files.discovery import shard as select_shard
    from ..files.output import atomic_write
    from ..files.paths import display_path
    from ..findings import Severity
    from ..reports.formats import FORMATS, render, render_in_parts
    from ..reports.github import step_summary as github_step_summary
    from ..reports.report import Report

    freeze_start_up()
    chosen = str(FormatRapport(format).value)

    if chosen not in FORMATS:
        raise UsageError(f"format « {chosen} » inconnu (formats : {', '.join(FORMATS)})")
    if niveau_echec is not None and niveau_echec not in NIVEAUX_ECHEC:
        raise UsageError(
            f"niveau « {niveau_echec} » inconnu (niveaux : {', '.join(NIVEAUX_ECHEC)})"
        )
    if strict and niveau_echec is not None:
        raise UsageError(
            "--strict et --niveau-echec disent tous deux quand échouer : gardez l'un des deux "
            "(--strict vaut --niveau-echec avertissement)"
        )
    if jobs is not None and jobs < 1:
        raise UsageError(f"--jobs attend un nombre de processus d'au moins 1, pas « {jobs} »")
    if silencieux and detail:
        raise UsageError("--silencieux et --detail se contredisent : gardez l'un des deux")
    if nom_fichier is not None and chemins != ["-"]:
        raise UsageError("--nom-fichier ne sert qu'avec « - » (lire l'entrée standard)")
    if chemins and "-" in chemins and chemins != ["-"]:
        raise UsageError("« - » (l'entrée standard) se vérifie seul, sans autre chemin")
    reports = _parse_reports(rapport or [], FORMATS)
    for _, target in reports:  # a report's folder that a link leads out: said before checking
        output_location(target.parent)
    fail_level = Severity(niveau_echec or ("avertissement" if strict else "erreur"))
    contents: dict[Path, bytes] = {}
    if chemins == ["-"]:
        stdin_path = Path(os.path.abspath(nom_fichier or STDIN_NAME))
        contents[stdin_path] = read_stdin(sys.stdin.buffer)
        files = [stdin_path]
    else:
        files = collect_files(chemins) if chemins else default_files(Path.cwd())
        if du_depot:
            files = of_repository(files)
    if not files and autoriser_vide:
        typer.echo("0 fichier vérifié : aucun fichier à vérifier (--autoriser-vide).")
        raise typer.Exit(0)
    if not files:
        config = locate(Path.cwd()).config
        raise UsageError(
            "aucun fichier à vérifier"
            + (f" : la configuration {display_path(config)} n'en désigne aucun" if config else ""),
            "Indiquez les fichiers ou dossiers à vérifier, ou vérifiez « innovations », "
            "« territoires » et « exclure » dans essaimage.yaml.",
        )
    root = locate(Path.cwd()).report_root
    if shard:
        files = select_shard(files, *_parse_shard(shard), root=root)
    frames = chosen == "text" and frames_wanted(contexte)
    result, checked = check_files(
        files,
        across=not shard,
        contents=contents,
        keep=False,
        keep_text=frames,
        jobs=jobs or available_cpus(),
    )
    report = Report(
        result,
        readiness=[(c.shown_as, c.readiness) for c in checked if c.readiness is not None],
        root=root,
        fail_level=fail_level,
        sources={c.shown_as: c.text for c in checked if c.text is not None} if frames else {},
        frames=frames,
        verbosity=-1 if silencieux else (1 if detail else 0),
    )
    for fmt, target in reports:
        try:
            atomic_write(target, render(report, fmt))
        except OSError as exc:
            message = f"écriture impossible de « {target} » : {exc.strerror or exc}"
            raise OutputError(message) from None
    for part in render_in_parts(report, chosen):
        typer.echo(part, nl=False)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file and "github" in {chosen, *(fmt for fmt, _ in reports)}:
        with contextlib.suppress(OSError), open(summary_file, "a", encoding="utf-8") as stream:
            stream.write(github_step_summary(report))
    raise typer.Exit(1 if report.failed else 0)


def _parse_shard(value: str) -> tuple[int, int]:
    try:
        index, count = (int(part) for part in value.split("/"))
    except ValueError:
        index = count = 0
    if not (count >= 1 and 1 <= index <= count):
        raise UsageError(f"--shard attend K/N avec 1 ≤ K ≤ N (par exemple 2/4), pas « {value} »")
    return index, count


def _parse_reports(values: list[str], formats: Collection[str]) -> list[tuple[str, Path]]:
    reports = []
    for value in values:
        fmt, sep, file = value.partition("=")
        if not sep or not file or fmt not in formats:
            raise UsageError(
                f"--rapport attend FORMAT=FICHIER avec un format parmi {', '.join(formats)}, "
                f"pas « {value} »"
            )
        reports.append((fmt, Path(file)))
    return reports
