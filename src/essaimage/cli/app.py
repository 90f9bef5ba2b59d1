"""The Typer application, in French, and the one boundary between the core and the terminal.

Every command raises `EssaimageError` for what it cannot do; `Groupe.main` prints it and turns it
into the exit code, and does the same for the command-line library's usage errors, said in
French. Exit codes: 0 nothing wrong, 1 findings that fail the run, 2 a problem with the command
itself (unknown option, missing path, unknown territory…).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Optional, cast

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup

from ..errors import EssaimageError, UsageError
from ..version import __version__

HELP_OPTIONS = ["--aide", "--help", "-h"]  # in this order wherever the help shows them
_COMPLETION_HELP = {  # Typer adds these options with an English help
    "install_completion": "Installe la complétion des commandes dans votre interpréteur "
    "(bash, zsh, fish, PowerShell).",
    "show_completion": "Affiche le script de complétion, pour le copier ou l'adapter.",
}


@functools.cache
def _french_panels() -> None:
    """Typer's help panels, in French (the module's documented presentation settings). Done
    when a help is shown: importing Rich's help machinery costs ~80 ms that a run that shows
    no help (`--version`, a pre-commit hook) should not pay."""
    from typer import rich_utils

    rich_utils.ARGUMENTS_PANEL_TITLE = "Arguments"
    rich_utils.OPTIONS_PANEL_TITLE = "Options"
    rich_utils.COMMANDS_PANEL_TITLE = "Commandes"
    rich_utils.ERRORS_PANEL_TITLE = "Erreur"
    rich_utils.DEFAULT_STRING = "[par défaut : {}]"
    rich_utils.REQUIRED_LONG_STRING = "[obligatoire]"
    rich_utils.RICH_HELP = "Aide : [blue]'{command_path} {help_option}'[/]"
    rich_utils.ABORTED_TEXT = "Interrompu."


# An argument's name already says what it holds (CHEMIN, CODE…); Typer would add its Python
# type (`<list[str]>`) beside it, which means nothing to the people who read this help.
TyperArgument.display_type_rich = lambda self, ctx: None  # type: ignore[method-assign]


def _click_class(name: str) -> type[Exception]:
    """A class of Typer's bundled click by name, found from a public Typer export."""
    return cast(
        "type[Exception]", next(c for c in typer.BadParameter.__mro__ if c.__name__ == name)
    )


ClickUsageError = _click_class("UsageError")
ClickException = _click_class("ClickException")


def _reflowed(text: str | None) -> str | None:
    """A docstring's paragraphs each on one line: Typer (from 0.29) keeps the line breaks of
    the paragraphs after the first, which the help's own wrapping then leaves ragged."""
    if not text:
        return text
    import inspect

    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(" ".join(p.split("\n")) for p in paragraphs)


class _French:
    """French usage line and help option for Typer commands."""

    def get_usage(self, ctx: Any) -> str:
        usage = cast(str, super().get_usage(ctx))  # type: ignore[misc]
        usage = usage.replace("Usage:", "Utilisation :", 1)
        return usage.replace("COMMAND [ARGS]...", "COMMANDE [ARGUMENTS]...")

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _french_panels()
        self.help = _reflowed(getattr(self, "help", None))
        super().format_help(ctx, formatter)  # type: ignore[misc]

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if param.name in _COMPLETION_HELP:
                param.help = _COMPLETION_HELP[param.name]
                param.metavar = ""
        return cast("list[Any]", params)

    def get_help_option_names(self, ctx: Any) -> list[str]:
        names = set(super().get_help_option_names(ctx))  # type: ignore[misc]
        return [name for name in HELP_OPTIONS if name in names]

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = "Affiche cette aide et s'arrête."
            option.metavar = ""
        return option


class Commande(_French, TyperCommand):
    """A command with French usage and help."""


class Groupe(_French, TyperGroup):
    """The command group: French usage and help, and the error boundary of every command."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """The command named first, or a French « commande inconnue » with the closest name."""
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            from ..text.words import suggest  # pydantic-core with it: only for a mistake

            close = suggest(name, self.list_commands(ctx))
            hint = f" ; vouliez-vous dire « {close} » ?" if close else ""
            raise ClickUsageError(f"commande inconnue : « {name} »{hint}", ctx)
        return super().resolve_command(ctx, args)

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run a command; whatever goes wrong is said in French and becomes the exit code."""
        arguments = list(sys.argv[1:] if args is None else args)
        code = run_at_boundary(
            lambda: super(Groupe, self).main(
                args=args,
                prog_name=prog_name,
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            ),
            help_path=self._help_path(arguments),
        )
        if standalone_mode:
            sys.exit(code)
        return code

    def _help_path(self, arguments: list[str]) -> str:
        """`essaimage kit` when the command line names a command, else `essaimage`."""
        named = next((a for a in arguments if not a.startswith("-")), None)
        return f"essaimage {named}" if named in self.commands else "essaimage"


def run_at_boundary(command: Any, help_path: str = "essaimage") -> int:
    """Run `command()` and return its exit code; errors are printed on the error stream, a
    usage error with the help to read (`help_path --aide`)."""
    try:
        code = command()
    except EssaimageError as exc:
        _echo_err(exc.lines())
        return exc.exit_code
    except ClickUsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            return 0  # the help has been shown
        try:
            message = french_usage_error(exc)
        except Exception:  # noqa: BLE001 - an unforeseen error shape still gets reported
            message = str(exc)
        ctx = getattr(exc, "ctx", None)
        command_path = ctx.command_path if ctx is not None else help_path
        _echo_err([f"essaimage : erreur : {message}", f"  Aide : {command_path} --aide"])
        return 2
    except ClickException as exc:
        _echo_err([f"essaimage : erreur : {exc.format_message()}"])  # type: ignore[attr-defined]
        return 2
    except (typer.Abort, KeyboardInterrupt):
        _echo_err(["Interrompu."])
        return 130
    except Exception as exc:  # noqa: BLE001 - never a traceback for the user
        _echo_err(
            [
                f"essaimage : erreur interne ({type(exc).__name__} : {exc}). "
                "Ce n'est pas votre faute : signalez-le aux mainteneurs."
            ]
        )
        return 2
    return code if isinstance(code, int) else 0


def _echo_err(lines: list[str]) -> None:
    say("\n".join(lines), err=True)


def say(text: str, err: bool = False, nl: bool = True) -> None:
    """Print text that may carry what a repository holds (a plan's or territory's name, a file
    name, a message): each line's controls, escape sequences and bidi characters are shown as
    escapes (`terminal.visible`), never sent raw to the terminal. Plain text: no markup is read
    (`[bold]` stays `[bold]`)."""
    from ..text.terminal import visible_lines

    typer.echo(visible_lines(text), err=err, nl=nl)


def french_usage_error(exc: Any) -> str:
    """A usage error of the command-line library, said in French.

    Typer's bundled click writes its messages in English f-strings (no gettext to hook): they
    are rebuilt here from the exception's kind and attributes, and from the fixed English
    wording only where the value is not kept apart.
    """
    kind = type(exc).__name__
    text = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    if kind == "NoSuchOption":
        message = f"option inconnue : {exc.option_name}"
        from ..text.words import suggest

        close = suggest(exc.option_name, exc.possibilities or [], cutoff=0)
        if close:
            message += f" ; vouliez-vous dire {close} ?"
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
        if param is not None and getattr(param, "opts", None):
            name = param.opts[0] if param.param_type_name == "option" else param.name.upper()
        else:
            name = "un paramètre"
        return f"valeur refusée pour {name} : {_french_bad_value(exc.message)}"
    if kind == "BadOptionUsage":
        option = exc.option_name
        if "requires" in exc.message:
            count = exc.message.rpartition("requires ")[2].split(" ")[0]
            wanted = "une valeur" if not count.isdigit() else f"{count} valeurs"
            return f"l'option {option} attend {wanted}"
        if "does not take a value" in exc.message:
            return f"l'option {option} ne prend pas de valeur"
        return f"option mal utilisée : {option}"
    if kind == "BadArgumentUsage":
        return "nombre de valeurs incorrect pour un argument"
    prefix = "Got unexpected extra argument"  # then « (s) (a b) », « s (a b) » or « (a) »
    if text.startswith(prefix):
        rest = text[len(prefix) :].removeprefix("(s)").removeprefix("s").strip()
        extra = rest.removeprefix("(").removesuffix(")").split(" ")
        shown = ", ".join(f"« {x} »" for x in extra)
        return f"{'argument' if len(extra) == 1 else 'arguments'} en trop : {shown}"
    if text.startswith("Missing command"):
        return "commande manquante"
    return str(text)


# The English wordings of Typer's value checks, by how they end: (ending, French after the value).
_BAD_VALUES = (
    (" is not a valid integer.", "n'est pas un nombre entier"),
    (" is not a valid float.", "n'est pas un nombre"),
    (" does not exist.", "n'existe pas"),
    (" is a file.", "est un fichier, pas un dossier"),
    (" is a directory.", "est un dossier, pas un fichier"),
    (" is not readable.", "ne peut pas être lu"),
    (" is not writable.", "ne peut pas être écrit"),
)


# Typer converts values with Pydantic and passes on its English reason, without the value.
_PYDANTIC_REASONS = (
    ("Input should be a valid integer", "un nombre entier est attendu"),
    ("Input should be a valid number", "un nombre est attendu"),
    ("Input should be a valid boolean", "oui ou non est attendu"),
    ("Input should be a valid date", "une date AAAA-MM-JJ est attendue"),
    ("Input should be greater than or equal to", "un nombre d'au moins {} est attendu"),
    ("Input should be greater than", "un nombre plus grand que {} est attendu"),
    ("Input should be less than or equal to", "un nombre d'au plus {} est attendu"),
)


def _french_bad_value(message: str) -> str:
    """Typer's English reasons for refusing a value, in French; ours pass as they are."""
    message = message.removeprefix("Value error, ")
    for ending, french in _BAD_VALUES:
        if message.endswith(ending):
            value = message[: -len(ending)].rpartition(" ")[2] if " " in message else message
            return f"« {value.strip(chr(39))} » {french}"
    for start, french in _PYDANTIC_REASONS:
        if message.startswith(start):
            bound = message[len(start) :].split(",")[0].strip()
            return french.format(bound)
    if " is not one of " in message:
        value, _, choices = message.removesuffix(".").partition(" is not one of ")
        permitted = ", ".join(c.strip().strip("'") for c in choices.split(","))
        return f"« {value.strip(chr(39))} » n'est pas permis (valeurs permises : {permitted})"
    return message


def echo_lines(lines: list[str], err: bool = False) -> None:
    """Print lines on the standard output (or the error stream), each made `visible`."""
    from ..text.terminal import visible

    for line in lines:
        typer.echo(visible(line), err=err)


def freeze_start_up() -> None:
    """Take every object alive now (modules, schemas, the run's settings) out of the garbage
    collector's sight, and let it run less often. A file's tree has no cycles and is freed as
    soon as the file is checked, yet each collection walked the whole heap (about 10 % of a
    1 000-descriptor validate, issue 13). Called by commands once their imports are done.
    """
    import gc

    gc.freeze()
    gc.set_threshold(50_000, 50, 100)


def checked_repository(contexte: bool | None, refused: str) -> tuple[Any, list[Any]]:
    """The repository of the current folder and its checked files, for commands that publish
    it (`site`, `export`): its errors, if any, are printed and end the run with exit 1, and
    `refused` (« Site non construit ») says what was not done."""
    from ..check.pipeline import check_files
    from ..check.repository import repository_at, repository_files
    from ..findings import CheckResult, Severity
    from ..reports.text import text_report

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
        say(f"{refused} : corrigez d'abord ces erreurs.", err=True)
        raise typer.Exit(1)
    return repo, checked


def chosen_formats(value: str, known: Sequence[str]) -> list[str]:
    """The formats of a `--format` option: one of `known`, several joined by commas (`md,pdf`),
    or `tout`: every known format whose library is installed (PDF: WeasyPrint; ODT, DOCX:
    pandoc). A format named whose library is missing is a usage error that says what to install
    (before anything is written)."""
    from ..render import office, pdf

    def available(name: str) -> str | None:
        if name == "pdf":
            return pdf.missing()
        if name in office.FORMATS:
            return office.missing()
        return None

    names = [name.strip() for name in value.split(",") if name.strip()]
    if names == ["tout"]:
        return [name for name in known if available(name) is None]
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        allowed = ", ".join(known)
        raise UsageError(
            f"format « {unknown[0] if unknown else value} » inconnu (formats permis : {allowed}, "
            "plusieurs séparés par des virgules, ou tout)"
        )
    if "pdf" in names:
        pdf.require()
    if any(name in office.FORMATS for name in names):
        office.require()
    return list(dict.fromkeys(names))


def on_terminal() -> bool:
    """True when the standard output is a terminal (False when it is closed)."""
    return sys.stdout is not None and sys.stdout.isatty()


def frames_wanted(option: bool | None) -> bool:
    """Code frames under findings: asked for, refused, or only on a terminal."""
    return on_terminal() if option is None else option


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


app = typer.Typer(
    cls=Groupe,
    name="essaimage",
    help="Vérifie des descripteurs d'innovation et produit des kits d'essaimage par territoire.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": HELP_OPTIONS},
)


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
    config: Annotated[
        Optional[Path],
        typer.Option(
            "--config",
            metavar="FICHIER",
            envvar="ESSAIMAGE_CONFIG",
            help="La configuration du dépôt à utiliser au lieu du essaimage.yaml le plus proche "
            "(aussi : variable d'environnement ESSAIMAGE_CONFIG).",
            show_default=False,
            show_envvar=False,
        ),
    ] = None,
) -> None:
    """Vérifie des descripteurs d'innovation et produit des kits d'essaimage par territoire."""
    from ..files.discovery import name_configuration

    if config is not None and not config.is_file():
        raise UsageError(f"la configuration « {config} » n'existe pas (--config, ESSAIMAGE_CONFIG)")
    name_configuration(config)
