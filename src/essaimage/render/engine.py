"""Render kits with the package's Jinja templates (or a repository's own) and write them
atomically.

Every template sees the same plain, frozen data (`template_data`), never an object of the code.
The package's templates render in a plain environment; a repository's (`gabarits`, hostile
input) in an allow-list sandbox, with bounded texts, a time limit per document and per command
and a memory ceiling (docs/gabarits.md). HTML autoescapes everything; Markdown escapes every
value for Markdown through `finalize`, except the `markdown` fields of the format, which pass
through the `md` filter (headings pushed below the kit's own, raw HTML neutralised). In HTML,
those fields are rendered by markdown-it-py with raw HTML and images off (a kit makes no
external request).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import re
import signal
import threading
import time
import traceback
from collections.abc import Callable, Container, Iterator
from pathlib import Path
from types import BuiltinMethodType, MappingProxyType, MethodType
from typing import TYPE_CHECKING, Any

from ..errors import OutputError, TemplateProblem
from ..files import manifest
from ..files.confinement import (
    Unreadable,
    allowed_roots,
    inside_folder,
    is_inside,
    read_inside,
    read_regular_file,
)
from ..files.manifest import WrittenFiles
from ..files.output import OutputFolder
from ..files.paths import display_path
from ..kit.prepare import Kit
from ..text import french, tables, typography
from ..text.links import is_safe_link
from ..text.markdown import parsed, safe_markdown
from ..text.words import markdown_anchor
from . import template_data
from .template_data import Record

if TYPE_CHECKING:  # imported where used: checking files never loads Jinja or markdown-it
    from jinja2 import BaseLoader, Environment
    from jinja2.sandbox import SandboxedEnvironment
    from markdown_it import MarkdownIt
    from markupsafe import Markup

MAX_TEMPLATE_BYTES = 1024 * 1024  # a custom template file
MAX_OUTPUT = 32 * 1024 * 1024  # characters one template may produce, or one text it makes
TEMPLATE_SECONDS = 30.0  # time one rendering with custom templates may take
RUN_SECONDS = 120.0  # time all the renderings with custom templates of one command may take
MAX_REPEAT = 1_000_000  # items or characters a « * » may produce in a template
MAX_WIDTH = 10_000  # the width of `center`, `indent`, the counts of `batch` and `slice`
# Memory a rendering with custom templates may take beyond what the process holds: the largest
# kit (MAX_OUTPUT characters of 4 bytes, 128 Mio) joined once from its chunks, with room to spare.
MEMORY_MARGIN = 512 * 1024 * 1024

FORMATS = {"md": "kit.md.j2", "html": "kit.html.j2"}
_HEADING_SHIFT = 3  # kit sections are h2, subsections h3: a field's "# Titre" becomes h4


class MdSafe(str):
    """Markdown text that is inserted as it is in a Markdown kit."""


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")
_MD_INERT = frozenset("\\`*_[]<>|#\t\r\n")  # a text without these (nor double spaces) is kept


def md_escape(value: object) -> str:
    """Plain text made inert in Markdown: special characters escaped, on one line."""
    if isinstance(value, MdSafe):
        return value
    text = str(value)
    if _MD_INERT.isdisjoint(text) and "  " not in text and text == text.strip():
        return text  # most values: nothing to escape or to join (checked in C)
    # Line breaks would break tables; no-break spaces (U+00A0, U+202F) must stay.
    text = re.sub(r"[ \t\r\n]+", " ", text).strip()
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_fragment(text: str | None, shift: int = _HEADING_SHIFT) -> MdSafe:
    """A `markdown` field for a Markdown kit: re-written from its syntax tree, headings demoted,
    raw HTML as text, images as their description, only http(s) and mailto links."""
    return MdSafe(safe_markdown(text, shift) if text else "")


@functools.cache
def _html_renderer() -> MarkdownIt:
    """What writes a descriptor's parsed text as HTML: an image as its description (a kit makes
    no external request, and shows what the Markdown kit shows); a link the link policy refuses
    (`links.is_safe_link`: `smb:`, `ms-msdt:`, a relative or `//host` path…) as its text."""
    from markdown_it import MarkdownIt
    from markdown_it.common.utils import escapeHtml

    def image_as_text(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
        return escapeHtml(self.renderInlineAsText(tokens[idx].children, options, env))

    def link_open(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
        if is_safe_link(str(tokens[idx].attrGet("href") or "")):
            return str(self.renderToken(tokens, idx, options, env))
        env["refused_link"] = True  # CommonMark links do not nest: the next close is its own
        return ""

    def link_close(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
        if env.pop("refused_link", False):
            return ""
        return str(self.renderToken(tokens, idx, options, env))

    markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})
    markdown.add_render_rule("image", image_as_text)
    markdown.add_render_rule("link_open", link_open)
    markdown.add_render_rule("link_close", link_close)
    return markdown


def md_to_html(text: str | None, shift: int = _HEADING_SHIFT) -> Markup:
    """A `markdown` field as safe HTML: raw HTML off, images as their description, only the
    links of the link policy (http, https, mailto, `#anchor`), headings `shift` levels lower
    (below the kit's h2 parts and h3 subsections; below h2 on a catalogue page: `md(2)`)."""
    from markupsafe import Markup

    return Markup(_html_of_markdown(text, shift) if text else "")


@functools.lru_cache(maxsize=512)
def _html_of_markdown(text: str, shift: int) -> str:
    """Remembered: a site renders each descriptor's texts in several pages. The tokens are
    those of the Markdown kit (`text.markdown.parsed`): a text is parsed once for both."""
    markdown = _html_renderer()
    tokens = [
        token.copy(tag=f"h{min(6, int(token.tag[1]) + shift)}")
        if token.type in ("heading_open", "heading_close")
        else token
        for token in parsed(text)
    ]
    return str(markdown.renderer.render(tokens, markdown.options, {}))


def _courriel_md(address: str) -> str:
    """An e-mail address as a Markdown autolink (`<a@b.fr>`), escaped if it could not be one."""
    if address and all(c.isalnum() or c in "@.-_+" for c in address) and "@" in address:
        return MdSafe(f"<{address}>")
    return md_escape(address)


def _courriel_html(address: str) -> Markup:
    """An e-mail address as a mailto link."""
    from markupsafe import Markup, escape

    return Markup('<a href="mailto:{0}">{0}</a>').format(escape(address))


def _valeur(value: float | str) -> str:
    return value if isinstance(value, str) else french.nombre(value)


def _md_finalize(value: object) -> str:
    if value is None:
        return ""
    return md_escape(value)


def _html_finalize(value: object) -> object:
    return "" if value is None else value


@functools.cache
def environment(kind: str, custom: str | None = None) -> Environment:
    """The Jinja environment of a kit format, created once per templates folder.

    Templates of a repository's `gabarits` folder (`custom`) override the built-in ones by name
    and run in an allow-list sandbox with limits (they are hostile input: docs/gabarits.md). The
    package's own templates are trusted code: a plain environment renders them byte for byte
    the same, without the sandbox's check on every attribute (measured: see
    docs/architecture.md). Both see the same plain data (`template_data`).
    """
    from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined

    environment_class: type[Environment] = Environment
    loader: BaseLoader = PackageLoader("essaimage", "templates")
    if custom:
        loader = ChoiceLoader([_confined_loader(Path(custom)), loader])
        environment_class = _allow_list_sandbox_class()
    env = environment_class(
        loader=loader,
        undefined=StrictUndefined,
        autoescape=kind == "html",
        finalize=_html_finalize if kind == "html" else _md_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates are read and compiled once per run
    )
    env.filters.update(
        nombre=french.nombre,
        euros=french.euros,
        etp=french.etp,
        mois=french.mois,
        date=french.date_longue,
        mois_annee=french.mois_annee,
        annee_ou_date=french.annee_ou_date,
        depuis=french.depuis,
        avec_article=french.avec_article,
        cites=french.cites,
        valeur=_valeur,
        libelles=lambda keys, names: [names[k] for k in keys],
        phrase=lambda text: text[:1].upper() + text[1:],
        precise=french.precise,
        courriel=_courriel_html if kind == "html" else _courriel_md,
        md=md_to_html if kind == "html" else md_fragment,
        pluriel=lambda count, word, plural=None: french.pluriel(count, word, plural),
        ancre=lambda heading: markdown_anchor(typography.prose(heading)),
        typo=typography.prose,  # for attribute values, which the document's pass leaves alone
    )
    env.globals.pop("lipsum", None)  # random text of any length: of no use to a kit
    env.globals.update(template_data.template_globals())
    if custom:
        _bound_filters(env)
        env.templates_folder = Path(custom)  # type: ignore[attr-defined]
    return env


def _shown_name(env: Any, name: str) -> str:
    """A template as a finding names it: its file in the repository's folder, if it is there."""
    folder = getattr(env, "templates_folder", None)
    if folder is not None and (folder / name).is_file():
        return display_path(folder / name)
    return name


def _limit(condition: bool, what: str) -> None:
    """SecurityError (a K302 at the template's line) when a filter would make too much."""
    if condition:
        from jinja2.exceptions import SecurityError

        raise SecurityError(what)


def _bound_filters(env: Environment) -> None:
    """Jinja's filters whose output a small argument can make enormous, bounded (or removed:
    `format`, whose width is read from its format string); the others make at most a few
    times their input, which is bounded."""
    from jinja2 import pass_environment, pass_eval_context
    from jinja2.filters import sync_do_slice

    original = dict(env.filters)
    del env.filters["format"]

    def bounded_width(value: object) -> int:
        count = value if isinstance(value, int) else len(str(value))
        _limit(count > MAX_WIDTH, f"largeur trop grande (au plus {MAX_WIDTH})")
        return count

    def center(value: object, width: int = 80) -> str:
        bounded_width(width)
        return str(original["center"](value, width))

    def indent(s: object, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
        text = str(s)
        size = len(text) + (text.count("\n") + 1) * bounded_width(width)
        _limit(size > MAX_OUTPUT, "texte trop long")
        return str(original["indent"](s, width, first, blank))

    @pass_environment
    def wordwrap(environment: Any, s: object, width: int = 79, *args: Any, **kwargs: Any) -> str:
        wrap = kwargs.get("wrapstring", args[1] if len(args) > 1 else None)
        extra = len(str(wrap)) if wrap is not None else 2
        _limit(len(str(s)) * (1 + extra) > MAX_OUTPUT, "texte trop long")
        return str(original["wordwrap"](environment, s, width, *args, **kwargs))

    @pass_eval_context
    def replace(eval_ctx: Any, s: object, old: object, new: object, count: Any = None) -> str:
        text, old_text = str(s), str(old)
        found = text.count(old_text) if old_text else len(text) + 1
        _limit(len(text) + found * len(str(new)) > MAX_OUTPUT, "texte trop long")
        return str(original["replace"](eval_ctx, s, old, new, count))

    @pass_eval_context
    def join(eval_ctx: Any, value: Any, d: object = "", attribute: Any = None) -> str:
        items = list(value)
        if attribute is None:
            size = sum(len(str(item)) for item in items)
            _limit(size + len(str(d)) * len(items) > MAX_OUTPUT, "texte trop long")
        return str(original["join"](eval_ctx, items, d, attribute))

    def batch(value: Any, linecount: int, fill_with: Any = None) -> Any:
        bounded_width(linecount)
        return original["batch"](value, linecount, fill_with)

    def slice_(value: Any, slices: int, fill_with: Any = None) -> Any:
        bounded_width(slices)
        return sync_do_slice(value, slices, fill_with)  # the filter is its async variant

    def nombre(value: float | int, decimals: int = 2) -> str:
        _limit(not isinstance(decimals, int) or not 0 <= decimals <= 10, "décimales : 0 à 10")
        return french.nombre(value, decimals)

    env.filters.update(
        center=center, indent=indent, wordwrap=wordwrap, replace=replace, join=join,
        batch=batch, slice=slice_, nombre=nombre,
    )  # fmt: skip


_MAPPING_METHODS = frozenset({"items", "keys", "values", "get"})
_LOOP_ATTRIBUTES = frozenset({
    "index", "index0", "revindex", "revindex0", "first", "last", "length", "depth", "depth0",
    "previtem", "nextitem", "cycle", "changed",
})  # fmt: skip
_TEXT_METHODS = frozenset(
    {"lower", "upper", "capitalize", "title", "strip", "lstrip", "rstrip", "startswith", "endswith"}
)


def _too_long(left: Any, right: Any) -> bool:
    """Whether `left + right` would be a text or list longer than MAX_OUTPUT."""
    sized = (str, list, tuple)
    both = isinstance(left, sized) and isinstance(right, sized)
    return both and len(left) + len(right) > MAX_OUTPUT


@functools.cache
def _allow_list_sandbox_class() -> type[SandboxedEnvironment]:
    """The sandbox of a repository's templates: they read the keys of the data (`Record`) and a
    few methods of texts and tables, nothing else of any object; repetitions, powers,
    concatenations are bounded, `%` does not format texts."""
    from jinja2.compiler import CodeGenerator
    from jinja2.exceptions import SecurityError
    from jinja2.runtime import BlockReference, LoopContext, Macro
    from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range
    from jinja2.utils import Cycler, Joiner, Namespace

    allowed: dict[type, frozenset[str]] = {
        MappingProxyType: _MAPPING_METHODS,
        dict: _MAPPING_METHODS,
        dt.date: frozenset({"year", "month", "day"}),
        LoopContext: _LOOP_ATTRIBUTES,
        Cycler: frozenset({"current", "next", "reset"}),
        Macro: frozenset({"name", "arguments"}),
        BlockReference: frozenset({"super"}),
    }
    callable_globals = (safe_range, dict, Namespace, Cycler, Joiner)

    class BoundedConcat(CodeGenerator):
        """`a ~ b` checked like `a + b`: no text longer than MAX_OUTPUT."""

        def visit_Concat(self, node: Any, frame: Any) -> None:
            self.write("environment.bounded(")
            super().visit_Concat(node, frame)
            self.write(")")

    class AllowListSandbox(ImmutableSandboxedEnvironment):
        """An attribute is read only from the data's keys and a short list of methods."""

        code_generator_class = BoundedConcat
        intercepted_binops = frozenset({"*", "**", "+", "%"})

        def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
            if attr.startswith("_"):
                return False
            kind = type(obj)
            if kind is Record:
                return attr in obj.__dict__ or attr in _MAPPING_METHODS
            names = allowed.get(kind)
            if names is None:
                if isinstance(obj, Namespace):
                    return True  # what the template itself set in it
                names = _TEXT_METHODS if isinstance(obj, str) else frozenset()
            return attr in names

        def is_safe_callable(self, obj: Any) -> bool:
            if isinstance(obj, (Macro, BlockReference, LoopContext, Joiner)):
                return True
            if any(obj is allowed_global for allowed_global in callable_globals):
                return True
            if isinstance(obj, (MethodType, BuiltinMethodType)):
                owner = getattr(obj, "__self__", None)
                return owner is not None and self.is_safe_attribute(owner, obj.__name__, obj)
            return False

        def wrap_str_format(self, value: Any) -> None:
            return None  # `format` is refused like any method of a text not on the list

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**" and isinstance(right, (int, float)) and abs(right) > 100:
                raise SecurityError("puissance trop grande")
            if operator == "*":
                for seq, count in ((left, right), (right, left)):
                    sized = isinstance(seq, (str, list, tuple))
                    if sized and isinstance(count, int) and len(seq) * count > MAX_REPEAT:
                        raise SecurityError("répétition trop grande")
            if operator == "%" and isinstance(left, str):
                raise SecurityError("« % » ne met pas en forme un texte dans un gabarit")
            if operator == "+" and _too_long(left, right):
                raise SecurityError("texte ou liste trop longs")
            return super().call_binop(context, operator, left, right)

        def bounded(self, text: str) -> str:
            """A concatenation's result, refused beyond MAX_OUTPUT characters."""
            if len(text) > MAX_OUTPUT:
                raise SecurityError("texte trop long")
            return text

        def handle_exception(self, source: str | None = None) -> Any:
            _CEILING.lift()  # what a failed rendering holds is let go after: room to say where
            return super().handle_exception(source)

    return AllowListSandbox


def _confined_loader(folder: Path) -> BaseLoader:
    """A loader of a repository's custom templates that reads only regular files of `folder`
    itself (a link to /etc/passwd in it is not a template), never more than 1 Mio each, and
    no hidden file or folder (`.git/config`, `.env`)."""
    from jinja2 import BaseLoader, TemplateNotFound
    from jinja2.loaders import split_template_path

    class ConfinedLoader(BaseLoader):
        def get_source(self, environment: Any, template: str) -> tuple[str, str, Any]:
            parts = split_template_path(template)
            if any(part.startswith(".") for part in parts):
                raise TemplateNotFound(template)
            path = folder.joinpath(*parts)
            if not is_inside(path, [folder]):
                raise TemplateNotFound(template)
            try:
                source = read_regular_file(path, MAX_TEMPLATE_BYTES).decode("utf-8")
            except (Unreadable, UnicodeDecodeError):
                raise TemplateNotFound(template) from None
            return source, str(path), lambda: False

    return ConfinedLoader()


KitData = Kit | Record  # a kit, or its data made once for several formats (template_data.kit)


def _data(kit: KitData) -> Record:
    return kit if isinstance(kit, Record) else template_data.kit(kit)


def render(kit: KitData, fmt: str, templates: Path | None = None) -> str | bytes:
    """One kit in one format, with custom templates if given: the text of `md` or `html`, the
    bytes of `pdf`, `odt` and `docx` (see `document`)."""
    data = _data(kit)
    if fmt in DOCUMENT_FORMATS:
        return document(
            fmt, lambda layout: render_html(data, templates, layout), templates is not None
        )
    if fmt == "html":
        return render_html(data, templates)
    env = environment(fmt, str(templates) if templates else None)
    context = {"kit": data, "i": data.innovation, "c": data.cible}
    return render_template(env, FORMATS[fmt], templates is not None, **context)


DOCUMENT_FORMATS = ("pdf", "odt", "docx")  # made from the HTML laid out as a document


def document(fmt: str, html_for: Callable[[str], str], custom: bool = False) -> bytes:
    """The PDF (`pdf.py`), ODT or DOCX (`office.py`) of the HTML that `html_for(layout)`
    makes, laid out for a `pdf` or a word processor (`office`). From a repository's own
    templates (`custom`), hostile input, the PDF stops after TEMPLATE_SECONDS, and its time
    counts in the command's RUN_SECONDS."""
    if fmt != "pdf":
        from . import office

        return office.convert(html_for("bureautique"), fmt)
    from . import pdf

    html = html_for("pdf")
    if not custom:
        return pdf.to_pdf(html)
    try:  # its HTML may be made to lay out forever
        with _custom_time(FORMATS["html"]):
            return pdf.to_pdf(html)
    except (TimeoutError, MemoryError, RecursionError):
        raise TemplateProblem(
            FORMATS["html"],
            None,
            _RUN.why_stopped() or "trop long ou trop gourmand à mettre en PDF",
        ) from None


def render_html(kit: KitData, templates: Path | None, document: str = "") -> str:
    """The HTML kit; `document` lays it out for a `pdf` or for a word processor (`office`):
    the table of contents after the synthèse, no skip link."""
    env = environment("html", str(templates) if templates else None)
    return render_template(
        env, FORMATS["html"], templates is not None,
        **template_data.kit_context(kit, document) if not isinstance(kit, Record)
        else {"kit": kit, "i": kit.innovation, "c": kit.cible, "document": document},
    )  # fmt: skip


class _RunBudget:
    """The time the renderings with a repository's templates have taken in this command."""

    def __init__(self) -> None:
        self.spent = 0.0

    def left(self) -> float:
        """Seconds left for this command's renderings with custom templates."""
        return RUN_SECONDS - self.spent

    def why_stopped(self) -> str | None:
        """The French reason when the command's time is spent, else None."""
        if self.left() > 0.01:
            return None
        seconds = f"{french.nombre(RUN_SECONDS)} {french.pluriel(RUN_SECONDS, 'seconde')}"
        return (
            f"temps épuisé : les gabarits du dépôt ont déjà pris les {seconds} permises pour "
            "toute la commande"
        )


_RUN = _RunBudget()


def start_run() -> None:
    """A new command: its renderings with a repository's templates get RUN_SECONDS in all
    (every kit, format, page and PDF), whatever the previous commands of the process took."""
    _RUN.spent = 0.0


@contextlib.contextmanager
def _custom_time(name: str) -> Iterator[None]:
    """A rendering with custom templates: at most TEMPLATE_SECONDS, and what is left of the
    command's RUN_SECONDS (a TemplateProblem at once when nothing is)."""
    left = _RUN.left()
    stopped = _RUN.why_stopped()
    if stopped:
        raise TemplateProblem(name, None, stopped)
    started = time.monotonic()
    try:
        with _time_limit(min(TEMPLATE_SECONDS, left)):
            yield
    finally:
        _RUN.spent += time.monotonic() - started


class _MemoryCeiling:
    """On Linux, the process's data size (RLIMIT_DATA) lowered to what it holds plus
    MEMORY_MARGIN while a repository's template renders: beyond it, Python raises MemoryError
    (a K302) instead of the machine running out of memory. Lifted as soon as the rendering ends
    or fails, so that nothing else (WeasyPrint, pandoc, which are started after) runs under it.
    """

    def __init__(self) -> None:
        self.previous: tuple[int, int] | None = None

    @contextlib.contextmanager
    def applied(self) -> Iterator[None]:
        """The ceiling in the block (nothing where the system cannot say the data size)."""
        self.lower()
        try:
            yield
        finally:
            self.lift()

    def lower(self) -> None:
        """Lower the soft limit (never raise it); nothing where it cannot be measured."""
        try:
            import resource

            with open("/proc/self/status", encoding="ascii") as status:
                lines = [line for line in status if line.startswith("VmData:")]
            data = int(lines[0].split()[1]) * 1024
            soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
            ceiling = data + MEMORY_MARGIN
            if hard != resource.RLIM_INFINITY:
                ceiling = min(ceiling, hard)
            if soft != resource.RLIM_INFINITY and soft <= ceiling:
                return  # already as low
            resource.setrlimit(resource.RLIMIT_DATA, (ceiling, hard))
            self.previous = (soft, hard)
        except (ImportError, OSError, ValueError, IndexError):
            return  # not Linux: the time limit still applies

    def lift(self) -> None:
        """Give back the limits as they were."""
        if self.previous is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_DATA, self.previous)
            self.previous = None


_CEILING = _MemoryCeiling()


def render_template(env: Any, name: str, custom: bool, **context: Any) -> str:
    """A template rendered within limits, in French typography (`typography.document`), its
    HTML tables' cells labelled for narrow screens (`tables.labelled`); a problem is a
    TemplateProblem (file, line, why).

    With a repository's custom templates (`custom`), the rendering stops after
    TEMPLATE_SECONDS (and when the command's RUN_SECONDS are spent), beyond MAX_OUTPUT
    characters and beyond MEMORY_MARGIN of memory; any error of the template is a
    TemplateProblem at its line: a template is hostile input too.
    """
    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

    try:
        if not custom:  # the package's own templates: their output is bounded by the data
            return _finished(env.get_template(name).render(**context), name)
        with _custom_time(_shown_name(env, name)), _CEILING.applied():
            template = env.get_template(name)
            chunks, size = [], 0
            for chunk in template.generate(**context):
                size += len(chunk)
                if size > MAX_OUTPUT:
                    file = display_path(template.filename) if template.filename else name
                    limit = f"{MAX_OUTPUT // (1024 * 1024)} Mio"
                    raise TemplateProblem(file, None, f"le kit produit dépasserait {limit}")
                chunks.append(chunk)
            text = "".join(chunks)
            del chunks
    except TemplateProblem:
        raise
    except TemplateSyntaxError as exc:
        file = exc.filename or exc.name or name
        raise TemplateProblem(file, exc.lineno, "syntaxe invalide", exc.message) from None
    except TemplateNotFound as exc:
        file, line = _template_frame(exc, name)
        raise TemplateProblem(file, line, f"gabarit « {exc.name} » introuvable") from None
    except TemplateError as exc:
        file, line = _template_frame(exc, name)
        raise TemplateProblem(file, line, _template_message(exc), str(exc)) from None
    except MemoryError as exc:
        file, line = _template_frame(exc, name)
        limit = f"{MEMORY_MARGIN // (1024 * 1024)} Mio"
        raise TemplateProblem(file, line, f"trop gourmand en mémoire (plus de {limit})") from None
    except (RecursionError, TimeoutError) as exc:
        file, line = _template_frame(exc, name)
        why = _RUN.why_stopped() or "trop long ou trop gourmand à produire"
        raise TemplateProblem(file, line, why) from None
    except OverflowError as exc:  # Jinja's sandbox: range() of more than 100 000 items
        if not custom:
            raise
        file, line = _template_frame(exc, name)
        raise TemplateProblem(file, line, "une boucle ou un nombre trop grands", str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - whatever a hostile template makes fail is its own
        if not custom:
            raise
        file, line = _template_frame(exc, name)
        detail = f"{type(exc).__name__} : {exc}"
        raise TemplateProblem(file, line, "le gabarit ne peut pas être produit", detail) from None
    return _finished(text, name)


def _finished(text: str, name: str) -> str:
    """A rendered template's last passes: French typography, then the tables' labels."""
    text = typography.document(text, name)
    return tables.labelled(text) if ".html" in name else text


def _template_message(exc: Exception) -> str:
    kind = type(exc).__name__
    if kind == "UndefinedError":
        return "une variable ou un attribut inconnu"
    if kind == "SecurityError":
        return "une opération interdite dans un gabarit"
    return "le gabarit ne peut pas être produit"


def _template_frame(exc: BaseException, default: str) -> tuple[str, int | None]:
    """The template file and line where a rendering failed (Jinja maps its frames to them)."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".j2") or frame.filename.endswith(".css"):
            return display_path(frame.filename), frame.lineno
    return default, None


@contextlib.contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Raise TimeoutError in the block after `seconds` (on POSIX, in the main thread)."""
    usable = hasattr(signal, "setitimer") and (
        threading.current_thread() is threading.main_thread()
    )
    if seconds is None or not usable:
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def kit_path(out_dir: Path, kit: Kit, fmt: str) -> Path:
    """`DIR/<innovation-id>/<territoire-slug>.<fmt>`, always inside DIR (OutputError otherwise)."""
    return inside_folder(out_dir, f"{kit.innovation.id}/{kit.cible.slug}.{fmt}")


def render_all(
    kit: KitData, fmts: list[str], templates: Path | None = None
) -> dict[str, str | bytes]:
    """One kit in the given formats: texts, and bytes for `pdf`, `odt` and `docx` (the kit's
    data made once for all)."""
    data = _data(kit)
    return {fmt: render(data, fmt, templates) for fmt in fmts}


def write_kit(
    kit: Kit, out_dir: Path, texts: dict[str, str | bytes], files: WrittenFiles | None = None
) -> list[Path]:
    """Write one kit's rendered texts (from `render_all`); the paths written.

    OutputError, before anything is written, when a file of the kit would replace a file that
    essaimage did not write, or lies through a link. Give `files` (on an `OutputFolder` of
    `out_dir`) to record several kits and save the manifest once.
    """
    if files is None:
        with OutputFolder(out_dir) as folder:
            owned = WrittenFiles(folder, manifest.KITS)
            written = _write_kit(kit, out_dir, texts, owned)
            owned.save()
        return written
    return _write_kit(kit, out_dir, texts, files)


def _write_kit(
    kit: Kit, out_dir: Path, texts: dict[str, str | bytes], owned: WrittenFiles
) -> list[Path]:
    targets = {fmt: kit_path(out_dir, kit, fmt).relative_to(out_dir).as_posix() for fmt in texts}
    contents = provided_copies(kit, out_dir, owned.written)
    for relative in [*targets.values(), *contents]:
        owned.claim(relative, "les kits")
    written = []
    for fmt, text in texts.items():
        data = text.encode("utf-8") if isinstance(text, str) else text  # once, for both uses
        owned.folder.write(targets[fmt], data)
        owned.record(targets[fmt], data)
        written.append(owned.folder.shown(targets[fmt]))
    for relative, data in contents.items():
        owned.folder.write(relative, data)
        owned.record(relative, data)
    return written


def provided_copies(kit: Kit, out_dir: Path, done: Container[str] = ()) -> dict[str, bytes]:
    """The resources the kit cites as files, copied beside it: `<innovation-id>/ressources/…`
    (relative to `out_dir`, where the kits are) with their bytes; the ones in `done` (written
    by another kit of the same innovation) left out. OutputError for one that cannot be read
    inside the repository."""
    copies = {}
    for name, source in kit.fichiers_fournis:
        relative = f"{kit.innovation.id}/{name}"
        inside_folder(out_dir, relative)  # a safe name, whatever the repository holds
        if relative not in done and relative not in copies:
            copies[relative] = _provided(source)
    return copies


MAX_RESOURCE = 20 * 1024 * 1024  # a resource copied beside a kit: a guide, a charter, a form


def _provided(source: Path) -> bytes:
    """The bytes of a resource the kit copies beside it, read inside the repository only;
    OutputError, before anything is written, for one that cannot be."""
    try:
        return read_inside(source, allowed_roots(source), MAX_RESOURCE)
    except Unreadable as exc:
        raise OutputError(
            f"la ressource « {display_path(source)} » ne peut pas être copiée à côté du kit : {exc}"
        ) from None
