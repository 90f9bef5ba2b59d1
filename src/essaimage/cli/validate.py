"""`essaimage validate`: check files and show every finding in the chosen formats."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Collection
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import OutputError, UsageError
from .app import Commande, ContexteOption, app, frames_wanted

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
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="Sortie : text, json, github, gitlab, junit ou sarif.",
        ),
    ] = "text",
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
        Optional[str],
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
    contexte: ContexteOption = None,
) -> None:
    """Vérifie des descripteurs d'innovation, des profils de territoire et essaimage.yaml.

    Chaque problème s'affiche sur une ligne « fichier:ligne:colonne: niveau[CODE] message ».
    Code de sortie : 0 sans erreur, 1 s'il y a des erreurs (ou des avertissements avec --strict),
    2 pour un problème avec la commande elle-même. Le format de sortie ne change pas le code.
    """
    from ..discovery import locate
    from ..discovery import shard as select_shard
    from ..findings import Severity, display_path
    from ..output import atomic_write
    from ..pipeline import check_files
    from ..reporters import FORMATS, Report, github_step_summary, render
    from ..repository import collect_files, default_files

    if format not in FORMATS:
        raise UsageError(f"format « {format} » inconnu (formats : {', '.join(FORMATS)})")
    if niveau_echec is not None and niveau_echec not in NIVEAUX_ECHEC:
        raise UsageError(
            f"niveau « {niveau_echec} » inconnu (niveaux : {', '.join(NIVEAUX_ECHEC)})"
        )
    reports = _parse_reports(rapport or [], FORMATS)
    fail_level = Severity(niveau_echec or ("avertissement" if strict else "erreur"))
    files = collect_files(chemins) if chemins else default_files(Path.cwd())
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
    result, checked = check_files(files, across=not shard)
    frames = format == "text" and frames_wanted(contexte)
    report = Report(
        result,
        readiness=[(c.shown_as, c.readiness) for c in checked if c.readiness is not None],
        root=root,
        fail_level=fail_level,
        sources={c.shown_as: c.text for c in checked if c.text is not None} if frames else {},
        frames=frames,
    )
    for fmt, target in reports:
        try:
            atomic_write(target, render(report, fmt))
        except OSError as exc:
            message = f"écriture impossible de « {target} » : {exc.strerror or exc}"
            raise OutputError(message) from None
    typer.echo(render(report, format), nl=False)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file and "github" in {format, *(fmt for fmt, _ in reports)}:
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
