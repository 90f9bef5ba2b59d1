"""The `essaimage` command line: a thin layer over the core modules.

Exit codes: 0 nothing wrong, 1 findings that fail the run, 2 a problem with the command itself
(unknown option, missing path, unknown territory…). Messages and help are in French, including
the usage errors that the command-line library would otherwise print in English.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer import rich_utils
from typer.core import TyperCommand, TyperGroup

from . import __version__
from .findings import CheckResult, Severity
from .french import pluriel
from .output import atomic_write
from .reporters import text_report

# Typer's help panels, in French (these are the module's documented presentation settings).
rich_utils.ARGUMENTS_PANEL_TITLE = "Arguments"
rich_utils.OPTIONS_PANEL_TITLE = "Options"
rich_utils.COMMANDS_PANEL_TITLE = "Commandes"
rich_utils.ERRORS_PANEL_TITLE = "Erreur"
rich_utils.DEFAULT_STRING = "[par défaut : {}]"
rich_utils.REQUIRED_LONG_STRING = "[obligatoire]"
rich_utils.RICH_HELP = "Aide : [blue]'{command_path} {help_option}'[/]"
rich_utils.ABORTED_TEXT = "Interrompu."


class _French:
    """French usage line and help option for Typer commands."""

    def get_usage(self, ctx) -> str:
        usage = super().get_usage(ctx).replace("Usage:", "Utilisation :", 1)
        return usage.replace("COMMAND [ARGS]...", "COMMANDE [ARGUMENTS]...")

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Affiche cette aide et s'arrête."
            option.metavar = ""
        return option


class Commande(_French, TyperCommand):
    """A command with French usage and help."""


class Groupe(_French, TyperGroup):
    """The command group with French usage and help."""


app = typer.Typer(
    cls=Groupe,
    name="essaimage",
    help="Vérifie des descripteurs d'innovation et produit des kits d'essaimage par territoire.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help", "--aide"]},
)


ContexteOption = Annotated[
    Optional[bool],
    typer.Option(
        "--contexte/--sans-contexte",
        metavar="",
        help="Montre la ligne fautive et un conseil sous chaque problème "
        "(par défaut : seulement dans un terminal).",
        show_default=False,
    ),
]

KIT_FORMATS = {"md": ["md"], "html": ["html"], "tout": ["md", "html"]}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"essaimage {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            metavar="",
            help="Affiche la version et s'arrête.",
        ),
    ] = False,
) -> None:
    """Vérifie des descripteurs d'innovation et produit des kits d'essaimage par territoire."""


def _fail_usage(message: str, hint: str | None = None) -> None:
    typer.echo(f"essaimage : erreur : {message}", err=True)
    if hint:
        typer.echo(f"  {hint}", err=True)
    raise typer.Exit(2)


def _print_findings(
    result: CheckResult, frames: bool, sources: dict[str, str], indices=None
) -> None:
    lines = text_report(result, sources, frames, indices)
    for line in lines:
        typer.echo(line)


def _sources(paths: dict[str, Path]) -> dict[str, str]:
    texts = {}
    for shown, path in paths.items():
        try:
            texts[shown] = path.read_text(encoding="utf-8-sig", errors="replace")
        except OSError:
            continue
    return texts


def _frames_wanted(option: Optional[bool]) -> bool:
    return sys.stdout.isatty() if option is None else option


def _repository_root(start: Path) -> Path:
    """The root that machine formats make paths relative to: git's, else the configuration's."""
    from .discovery import locate

    return locate(start).report_root


def _parse_shard(value: str) -> tuple[int, int]:
    try:
        index, count = (int(part) for part in value.split("/"))
    except ValueError:
        index = count = 0
    if not (count >= 1 and 1 <= index <= count):
        _fail_usage(f"--shard attend K/N avec 1 ≤ K ≤ N (par exemple 2/4), pas « {value} »")
    return index, count


def _parse_reports(values: list[str]) -> list[tuple[str, Path]]:
    from .reporters import FORMATS

    reports = []
    for value in values:
        fmt, sep, file = value.partition("=")
        if not sep or not file or fmt not in FORMATS:
            _fail_usage(
                f"--rapport attend FORMAT=FICHIER avec un format parmi {', '.join(FORMATS)}, "
                f"pas « {value} »"
            )
        reports.append((fmt, Path(file)))
    return reports


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
    from .discovery import shard as select_shard
    from .errors import UsageError
    from .findings import Severity
    from .pipeline import check_files
    from .reporters import FORMATS, Report, github_step_summary, render
    from .repository import collect_files, repository_files
    from .repository import repository_at as repository

    if format not in FORMATS:
        _fail_usage(f"format « {format} » inconnu (formats : {', '.join(FORMATS)})")
    if niveau_echec is not None and niveau_echec not in NIVEAUX_ECHEC:
        _fail_usage(f"niveau « {niveau_echec} » inconnu (niveaux : {', '.join(NIVEAUX_ECHEC)})")
    reports = _parse_reports(rapport or [])
    fail_level = Severity(niveau_echec or ("avertissement" if strict else "erreur"))
    try:
        if chemins:
            files = collect_files(chemins)
        else:
            repo = repository(Path.cwd())
            files = repository_files(repo) if repo.path else collect_files(["."])
    except UsageError as exc:
        _fail_usage(str(exc))
    root = _repository_root(Path.cwd())
    if shard:
        files = select_shard(files, *_parse_shard(shard), root=root)
    result, checked = check_files(files, across=not shard)
    frames = format == "text" and _frames_wanted(contexte)
    report = Report(
        result,
        indices=[(c.shown_as, c.indice) for c in checked if c.indice is not None],
        root=root,
        fail_level=fail_level,
        sources=_sources({c.shown_as: c.path for c in checked}) if frames else {},
        frames=frames,
    )
    for fmt, target in reports:
        try:
            atomic_write(target, render(report, fmt))
        except OSError as exc:
            _fail_usage(f"écriture impossible de « {target} » : {exc.strerror or exc}")
    typer.echo(render(report, format), nl=False)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file and "github" in {format, *(fmt for fmt, _ in reports)}:
        with contextlib.suppress(OSError), open(summary_file, "a", encoding="utf-8") as stream:
            stream.write(github_step_summary(report))
    raise typer.Exit(1 if report.failed else 0)


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
            "code INSEE (44, 44109, SIREN d'EPCI) ou nom officiel (« Saint-Étienne »). "
            "Répétable.",
            show_default=False,
        ),
    ] = ...,
    sortie: Annotated[
        Path, typer.Option("--sortie", "-o", metavar="DOSSIER", help="Dossier où écrire les kits.")
    ] = Path("kits"),
    format: Annotated[
        str,
        typer.Option("--format", "-f", metavar="FORMAT", help="md, html ou tout (les deux)."),
    ] = "tout",
    contexte: ContexteOption = None,
) -> None:
    """Produit le kit d'essaimage d'une innovation pour un ou plusieurs territoires.

    Un kit par territoire : SORTIE/<identifiant-innovation>/<territoire>.md et .html.
    Un descripteur qui contient des erreurs ne produit aucun kit : les erreurs sont affichées.
    """
    from .kit import TargetError, prepare, resolve_target
    from .models import Innovation
    from .pipeline import check_file, internal_error
    from .render import render_all, write_kit
    from .repository import repository_at as repository
    from .repository import repository_for as config_for

    if format not in KIT_FORMATS:
        _fail_usage(f"format « {format} » inconnu (formats permis : md, html, tout)")
    formats = KIT_FORMATS[format]
    frames = _frames_wanted(contexte)
    result = CheckResult()

    if descripteurs:
        paths = [Path(argument) for argument in descripteurs]
        for path in paths:
            if not path.is_file():
                _fail_usage(f"le descripteur « {path} » n'existe pas")
    else:
        paths = repository(Path.cwd()).files("innovations")
        if not paths:
            _fail_usage(
                "aucun descripteur indiqué, et aucune innovation dans ce dossier "
                "(ni essaimage.yaml, ni dossier innovations/)",
                "Indiquez un descripteur : essaimage kit innovations/mon-innovation.yaml "
                "--territoire …",
            )
    innovations: dict[str, object] = {}
    for path in paths:
        checked = check_file(path)
        result.files.append(checked.shown_as)
        # Deployability warnings are `validate`'s business; a kit reports errors and kit rules.
        result.extend([f for f in checked.findings if f.severity is Severity.ERREUR])
        if checked.model is None:
            continue
        if not isinstance(checked.model, Innovation):
            if descripteurs:
                _fail_usage(
                    f"« {checked.shown_as} » n'est pas un descripteur d'innovation",
                    "Passez un profil de territoire avec --territoire.",
                )
            continue
        innovations.setdefault(checked.model.id, checked)

    start_points = [Path.cwd()] + [path.parent for path in paths]
    cibles = []
    for argument in territoires:
        try:
            cibles.append(resolve_target(argument, start_points))
        except TargetError as exc:
            if not exc.findings:
                _report_target_error(exc)
            result.extend(exc.findings)  # an invalid profile: no kit for it

    templates = config_for(paths[0].parent).templates if paths else None
    seen = set()
    written_count = 0
    for cible in cibles:
        selected = list(innovations.values())
        if not descripteurs and cible.profil and cible.profil.projets:
            planned = [innovations[i] for i in cible.profil.projets if i in innovations]
            selected = planned or selected
        for checked in selected:
            key = (checked.model.id, cible.slug)
            if key in seen:
                continue
            seen.add(key)
            try:
                prepared = prepare(checked.model, checked, cible)
                texts = render_all(prepared, formats, templates)
            except Exception as exc:  # noqa: BLE001 - one failed kit must not stop the others
                result.append(internal_error(checked.shown_as, exc))
                continue
            result.extend(prepared.avertissements)
            try:
                written = write_kit(prepared, sortie, texts)
            except OSError as exc:
                _fail_usage(f"écriture impossible dans « {sortie} » : {exc.strerror or exc}")
            for out in written:
                typer.echo(f"Kit écrit : {out.as_posix()}")
            written_count += 1
    if result.failed() and not written_count:
        typer.echo("Aucun kit produit : corrigez d'abord ces erreurs.", err=True)
    shown = {f.file: Path(f.file) for f in result.findings}
    for line in text_report(result, _sources(shown) if frames else {}, frames)[:-1]:
        typer.echo(line)
    typer.echo(kit_summary(written_count, result))
    raise typer.Exit(1 if result.failed() else 0)


@app.command(cls=Commande)
def regles(
    code: Annotated[
        Optional[str],
        typer.Argument(
            metavar="CODE", help="Le code d'une règle, par exemple D106.", show_default=False
        ),
    ] = None,
    markdown: Annotated[
        bool,
        typer.Option(
            "--markdown", metavar="", help="Écrit la page de référence des règles en Markdown."
        ),
    ] = False,
) -> None:
    """Liste les règles de déployabilité, ou explique l'une d'elles.

    Sans CODE : le catalogue (code, niveau par défaut, titre). Avec CODE : pourquoi la règle
    existe, d'où elle vient, comment corriger, un exemple.
    """
    from .catalogue import explain, listing, reference_markdown, rules
    from .scalars import suggest

    if markdown:
        typer.echo(reference_markdown(), nl=False)
        return
    if code is None:
        typer.echo("\n".join(listing()))
        return
    rule = rules().get(code.strip().upper())
    if rule is None:
        close = suggest(code, rules(), cutoff=0.5)
        hint = f"Vouliez-vous dire {close} ? " if close else ""
        _fail_usage(f"aucune règle n'a le code « {code} »", hint + "La liste : essaimage regles")
    typer.echo("\n".join(explain(rule)))


def kit_summary(count: int, result: CheckResult) -> str:
    """`3 kits produits : 2 avertissements.`"""
    warnings = result.count(Severity.AVERTISSEMENT) + result.count(Severity.INFO)
    errors = result.count(Severity.ERREUR)
    head = f"{count} {pluriel(count, 'kit')} {pluriel(count, 'produit')}"
    if not (warnings or errors):
        return f"{head}."
    parts = []
    if errors:
        parts.append(f"{errors} {pluriel(errors, 'erreur')}")
    if warnings:
        parts.append(f"{warnings} {pluriel(warnings, 'point')} d'attention")
    return f"{head} : {', '.join(parts)} (repris dans les kits)."


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
    from .pipeline import check_files
    from .repository import repository_at as repository
    from .repository import repository_files
    from .site import build, count_files

    repo = repository(Path.cwd())
    files = repository_files(repo)
    if not files:
        _fail_usage(
            "aucun descripteur dans ce dossier (ni essaimage.yaml, ni dossiers innovations/ et "
            "territoires/)"
        )
    result, checked = check_files(files)
    if result.failed():
        frames = _frames_wanted(contexte)
        sources = _sources({c.shown_as: c.path for c in checked}) if frames else {}
        errors = CheckResult(
            result.files, [f for f in result.findings if f.severity is Severity.ERREUR]
        )
        _print_findings(errors, frames, sources)
        typer.echo("Site non construit : corrigez d'abord ces erreurs.", err=True)
        raise typer.Exit(1)
    out = sortie or repo.site
    try:
        if sys.stdout.isatty():
            from rich.progress import Progress

            with Progress(transient=True) as progress:
                task = progress.add_task("Construction du site", total=count_files(checked))
                built = build(checked, out, repo.templates, lambda _: progress.advance(task))
        else:
            built = build(checked, out, repo.templates)
    except OSError as exc:
        _fail_usage(f"écriture impossible dans « {out} » : {exc.strerror or exc}")
    typer.echo(
        f"Site écrit dans {out.as_posix()} : {built.pages} {pluriel(built.pages, 'fichier')} "
        f"({len(built.written)} {pluriel(len(built.written), 'écrit')}, "
        f"{len(built.unchanged)} {pluriel(len(built.unchanged), 'inchangé')}"
        + (
            f", {len(built.removed)} {pluriel(len(built.removed), 'retiré')}"
            if built.removed
            else ""
        )
        + ")."
    )
    typer.echo(f"Page d'accueil : {(out / 'index.html').as_posix()}")


@app.command(cls=Commande)
def init(
    fichier: Annotated[
        Path,
        typer.Argument(metavar="FICHIER", help="Le descripteur à créer."),
    ] = Path("nouvelle-innovation.yaml"),
) -> None:
    """Crée un squelette de descripteur commenté, à compléter ; n'écrase jamais un fichier.

    Le squelette se vérifie sans erreur (avec des avertissements : il reste à le compléter). À la
    racine du dépôt, essaimage.schema.json est créé s'il manque, pour la complétion dans les
    éditeurs.
    """
    import json
    from importlib import resources

    from .json_schema import build
    from .repository import repository_for as config_for
    from .scalars import slugify

    if fichier.suffix not in (".yaml", ".yml"):
        _fail_usage(f"« {fichier} » : le nom du descripteur doit finir par .yaml ou .yml")
    if fichier.exists():
        _fail_usage(f"« {fichier} » existe déjà : essaimage init n'écrase jamais un fichier")
    root = config_for(Path.cwd()).root or Path.cwd()
    schema_path = root / "essaimage.schema.json"
    relative = os.path.relpath(schema_path, Path(os.path.abspath(fichier)).parent)
    ident = slugify(fichier.stem)
    if len(ident) < 3:
        ident = f"innovation-{ident}".strip("-")
    text = resources.files("essaimage").joinpath("templates/squelette.yaml").read_text("utf-8")
    text = (
        text.replace("{schema}", Path(relative).as_posix())
        .replace("{fichier}", fichier.as_posix())
        .replace("{id}", ident)
    )
    try:
        fichier.parent.mkdir(parents=True, exist_ok=True)
        with open(fichier, "x", encoding="utf-8", newline="\n") as stream:  # never overwrites
            stream.write(text)
        if not schema_path.exists():
            atomic_write(schema_path, json.dumps(build(), ensure_ascii=False, indent=2) + "\n")
            typer.echo(f"Schéma pour les éditeurs écrit : {schema_path.as_posix()}")
    except FileExistsError:
        _fail_usage(f"« {fichier} » existe déjà : essaimage init n'écrase jamais un fichier")
    except OSError as exc:
        _fail_usage(f"écriture impossible de « {fichier} » : {exc.strerror or exc}")
    typer.echo(f"Descripteur créé : {fichier.as_posix()}")
    typer.echo(f"Complétez-le, puis vérifiez-le : essaimage validate {fichier.as_posix()}")


@app.command(cls=Commande)
def schema(
    type: Annotated[
        str,
        typer.Argument(
            metavar="TYPE",
            help="tout (descripteurs et profils, par défaut), innovation, territoire ou "
            "configuration (essaimage.yaml).",
        ),
    ] = "tout",
) -> None:
    """Écrit le schéma JSON des fichiers essaimage, pour les éditeurs (complétion, aide, vérification).

    Par exemple : essaimage schema > essaimage.schema.json, puis en tête d'un fichier YAML :
    # yaml-language-server: $schema=essaimage.schema.json
    """
    import json

    from .json_schema import KINDS, build

    if type not in KINDS:
        _fail_usage(f"type « {type} » inconnu (types : {', '.join(KINDS)})")
    typer.echo(json.dumps(build(type), ensure_ascii=False, indent=2))


def _report_target_error(exc) -> None:
    lines = [f"essaimage : erreur : {exc.message}"]
    if exc.candidates:
        lines.append("  Territoires possibles :")
        lines.extend(f"    - {c}" for c in exc.candidates)
    if exc.hint:
        lines.append(f"  {exc.hint}")
    typer.echo("\n".join(lines), err=True)
    raise typer.Exit(2)


# --- usage errors in French ------------------------------------------------------------------


def _click_class(name: str) -> type:
    """A class of Typer's bundled click by name, found from a public Typer export."""
    return next(c for c in typer.BadParameter.__mro__ if c.__name__ == name)


def french_usage_error(exc) -> str:
    """A usage error of the command-line library, said in French."""
    kind = type(exc).__name__
    if kind == "NoSuchOption":
        message = f"option inconnue : {exc.option_name}"
        if getattr(exc, "possibilities", None):
            message += " ; vouliez-vous dire " + " ou ".join(sorted(exc.possibilities)) + " ?"
        return message
    if kind == "MissingParameter":
        param = exc.param
        kind_name = getattr(param, "param_type_name", None) or exc.param_type
        if kind_name == "option":
            return f"option obligatoire manquante : {param.opts[0] if param else ''}"
        name = (getattr(param, "metavar", None) or param.name.upper()) if param else ""
        return f"argument obligatoire manquant : {name}"
    if kind == "BadParameter":
        param = getattr(exc, "param", None)
        name = param.opts[0] if param is not None and getattr(param, "opts", None) else "une option"
        return f"valeur invalide pour {name} ({exc.message})"
    if kind == "BadOptionUsage":
        return f"option mal utilisée : {exc.option_name} ({exc.message})"
    text = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    if text.startswith("Got unexpected extra argument"):
        return "argument(s) en trop : " + text.split("(", 1)[-1].rstrip(")")
    if text.startswith("No such command"):
        return "commande inconnue : " + text.split("No such command", 1)[1].strip(" .'\"")
    return text


def main() -> None:
    """Run the command line; usage errors are reported in French with exit code 2."""
    usage_error = _click_class("UsageError")
    try:
        code = app(standalone_mode=False)
    except usage_error as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            sys.exit(0)  # the help has been shown
        try:
            message = french_usage_error(exc)
        except Exception:  # noqa: BLE001 - an unforeseen error shape still gets reported
            message = str(exc)
        typer.echo(f"essaimage : erreur : {message}", err=True)
        command = exc.ctx.command_path if exc.ctx is not None else "essaimage"
        typer.echo(f"  Aide : {command} --help", err=True)
        sys.exit(2)
    except _click_class("ClickException") as exc:
        typer.echo(f"essaimage : erreur : {exc.format_message()}", err=True)
        sys.exit(2)
    except typer.Abort:
        typer.echo("Interrompu.", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - never a traceback for the user
        typer.echo(
            f"essaimage : erreur interne ({type(exc).__name__} : {exc}). "
            "Ce n'est pas votre faute : signalez-le aux mainteneurs.",
            err=True,
        )
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)
