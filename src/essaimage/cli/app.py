"""The Typer application, in French, and the one boundary between the core and the terminal.

Every command raises `EssaimageError` for what it cannot do; `Groupe.main` prints it and turns it
into the exit code, and does the same for the command-line library's usage errors, said in
French. Exit codes: 0 nothing wrong, 1 findings that fail the run, 2 a problem with the command
itself (unknown option, missing path, unknown territory…).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Annotated, Any, Optional, cast

import typer
from typer import rich_utils
from typer.core import TyperCommand, TyperGroup

from .. import __version__
from ..errors import EssaimageError
from ..scalars import suggest

# Typer's help panels, in French (these are the module's documented presentation settings).
rich_utils.ARGUMENTS_PANEL_TITLE = "Arguments"
rich_utils.OPTIONS_PANEL_TITLE = "Options"
rich_utils.COMMANDS_PANEL_TITLE = "Commandes"
rich_utils.ERRORS_PANEL_TITLE = "Erreur"
rich_utils.DEFAULT_STRING = "[par défaut : {}]"
rich_utils.REQUIRED_LONG_STRING = "[obligatoire]"
rich_utils.RICH_HELP = "Aide : [blue]'{command_path} {help_option}'[/]"
rich_utils.ABORTED_TEXT = "Interrompu."


def _click_class(name: str) -> type[Exception]:
    """A class of Typer's bundled click by name, found from a public Typer export."""
    return cast(
        "type[Exception]", next(c for c in typer.BadParameter.__mro__ if c.__name__ == name)
    )


ClickUsageError = _click_class("UsageError")
ClickException = _click_class("ClickException")


class _French:
    """French usage line and help option for Typer commands."""

    def get_usage(self, ctx: Any) -> str:
        usage = cast(str, super().get_usage(ctx))  # type: ignore[misc]
        usage = usage.replace("Usage:", "Utilisation :", 1)
        return usage.replace("COMMAND [ARGS]...", "COMMANDE [ARGUMENTS]...")

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

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run a command; whatever goes wrong is said in French and becomes the exit code."""
        code = run_at_boundary(
            lambda: super(Groupe, self).main(
                args=args,
                prog_name=prog_name,
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            )
        )
        if standalone_mode:
            sys.exit(code)
        return code


def run_at_boundary(command: Any) -> int:
    """Run `command()` and return its exit code; errors are printed on the error stream."""
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
        command_path = ctx.command_path if ctx is not None else "essaimage"
        _echo_err([f"essaimage : erreur : {message}", f"  Aide : {command_path} --help"])
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
    typer.echo("\n".join(lines), err=True)


def french_usage_error(exc: Any) -> str:
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
        return _unknown_command(text, exc)
    return str(text)


def _unknown_command(text: str, exc: Any) -> str:
    """`commande inconnue : valide ; vouliez-vous dire validate ?` (the library's message is English)."""
    _, _, rest = text.partition("'")
    name = rest.partition("'")[0]
    message = f"commande inconnue : {name}"
    ctx = getattr(exc, "ctx", None)
    commands = ctx.command.list_commands(ctx) if ctx is not None else []
    close = suggest(name, commands)
    return message + (f" ; vouliez-vous dire {close} ?" if close else "")


def echo_lines(lines: list[str], err: bool = False) -> None:
    """Print lines on the standard output (or the error stream)."""
    for line in lines:
        typer.echo(line, err=err)


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
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help", "--aide"]},
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
) -> None:
    """Vérifie des descripteurs d'innovation et produit des kits d'essaimage par territoire."""
