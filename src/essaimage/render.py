"""Render kits with the package's Jinja templates and write them atomically.

Two sandboxed environments, compiled once: HTML autoescapes everything; Markdown escapes every value
for Markdown through `finalize`, except the `markdown` fields of the format, which pass through the
`md` filter (headings pushed below the kit's own, raw HTML neutralised). In HTML, those fields are
rendered by markdown-it-py with raw HTML and images off (a kit makes no external request).
"""

from __future__ import annotations

import contextlib
import functools
import re
import signal
import threading
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__, french, funding, phrases, scaling, typographie, vocabulary
from .confinement import Unreadable, inside_folder, is_inside, read_regular_file
from .errors import OutputError, TemplateProblem
from .findings import display_path
from .kit import SECTIONS, Kit
from .links import is_safe_link
from .markdown_safe import parsed, safe_markdown
from .output import OutputFolder, WrittenFiles
from .scalars import markdown_anchor
from .territoires import SOURCE

if TYPE_CHECKING:  # imported where used: checking files never loads Jinja or markdown-it
    from jinja2 import BaseLoader, Environment
    from jinja2.sandbox import SandboxedEnvironment
    from markdown_it import MarkdownIt
    from markupsafe import Markup

MAX_TEMPLATE_BYTES = 1024 * 1024  # a custom template file
MAX_OUTPUT = 32 * 1024 * 1024  # characters one template may produce
TEMPLATE_SECONDS = 30.0  # time one rendering with custom templates may take
MAX_REPEAT = 1_000_000  # items or characters a « * » may produce in a template

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
    those of the Markdown kit (`markdown_safe.parsed`): a text is parsed once for both."""
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
    and run in a sandbox with limits (they are hostile input). The package's own templates are
    trusted code: a plain environment renders them byte for byte the same, without the
    sandbox's check on every attribute (measured: see docs/architecture.md).
    """
    from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined

    environment_class: type[Environment] = Environment
    loader: BaseLoader = PackageLoader("essaimage", "templates")
    if custom:
        loader = ChoiceLoader([_confined_loader(Path(custom)), loader])
        environment_class = _limited_sandbox_class()
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
        valeur=_valeur,
        libelles=lambda keys, names: [names[k] for k in keys],
        phrase=lambda text: text[:1].upper() + text[1:],
        precise=french.precise,
        courriel=_courriel_html if kind == "html" else _courriel_md,
        md=md_to_html if kind == "html" else md_fragment,
        pluriel=lambda count, word, plural=None: french.pluriel(count, word, plural),
        ancre=lambda heading: markdown_anchor(typographie.prose(heading)),
        typo=typographie.prose,  # for attribute values, which the document's pass leaves alone
    )
    env.globals.update(
        TYPES_TERRITOIRE=vocabulary.TYPES_TERRITOIRE,
        MATURITES=vocabulary.MATURITES,
        MODELES=vocabulary.MODELES,
        MODELES_EXPLICATIONS=vocabulary.MODELES_EXPLICATIONS,
        ROLES_ACTEUR=vocabulary.ROLES_ACTEUR,
        TYPES_STRUCTURE=vocabulary.TYPES_STRUCTURE,
        NATURES_RESULTAT=vocabulary.NATURES_RESULTAT,
        NATURES_INDICATEUR=vocabulary.NATURES_INDICATEUR,
        NATURES_FINANCE=vocabulary.NATURES_FINANCE,
        NATURES_FINANCEMENT=vocabulary.NATURES_FINANCEMENT,
        STATUTS=vocabulary.STATUTS,
        EQUIPES=phrases.EQUIPES,
        cout_personne=phrases.cout_personne,
        methode_budget=phrases.methode_budget,
        budget_incomplet=phrases.budget_incomplet,
        origine_financement=phrases.origine_financement,
        equipe=phrases.equipe,
        niveau_preuve=phrases.niveau_preuve,
        renoncement=phrases.renoncement,
        coeur_en_mode_degrade=phrases.coeur_en_mode_degrade,
        cout_degrade=phrases.cout_degrade,
        libelles_moyens=phrases.libelles_moyens,
        termes_financement=funding.terms_text,
        MARQUES={"rempli": "oui", "non-rempli": "non", "a-verifier": "?"},
        projet_resume=phrases.projet_resume,
        cout_resume=phrases.cout_resume,
        reste_resume=phrases.reste_resume,
        prerequis_resume=phrases.prerequis_resume,
        contact_local=phrases.contact_local,
        contact_joignable=phrases.contact_joignable,
        indice_resume=phrases.indice_resume,
        TYPES_RESSOURCE=vocabulary.TYPES_RESSOURCE,
        SECTEURS=vocabulary.SECTEURS,
        base_label=scaling.base_label,
        sections=SECTIONS,
        version=__version__,
        source_cog=SOURCE,
    )
    return env


def _limited_sandbox_class() -> type[SandboxedEnvironment]:
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import SandboxedEnvironment

    class LimitedSandbox(SandboxedEnvironment):
        """The sandbox, and no « 'a' * 10**10 »: repetitions and powers are bounded."""

        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**" and isinstance(right, (int, float)) and abs(right) > 100:
                raise SecurityError("puissance trop grande")
            if operator == "*":
                for seq, count in ((left, right), (right, left)):
                    sized = isinstance(seq, (str, list, tuple))
                    if sized and isinstance(count, int) and len(seq) * count > MAX_REPEAT:
                        raise SecurityError("répétition trop grande")
            return super().call_binop(context, operator, left, right)

    return LimitedSandbox


def _confined_loader(folder: Path) -> BaseLoader:
    """A loader of a repository's custom templates that reads only regular files of `folder`
    itself (a link to /etc/passwd in it is not a template), never more than 1 Mio each."""
    from jinja2 import BaseLoader, TemplateNotFound
    from jinja2.loaders import split_template_path

    class ConfinedLoader(BaseLoader):
        def get_source(self, environment: Any, template: str) -> tuple[str, str, Any]:
            path = folder.joinpath(*split_template_path(template))
            if not is_inside(path, [folder]):
                raise TemplateNotFound(template)
            try:
                source = read_regular_file(path, MAX_TEMPLATE_BYTES).decode("utf-8")
            except (Unreadable, UnicodeDecodeError):
                raise TemplateNotFound(template) from None
            return source, str(path), lambda: False

    return ConfinedLoader()


def render(kit: Kit, fmt: str, templates: Path | None = None) -> str | bytes:
    """One kit in one format, with custom templates if given: the text of `md` or `html`, the
    bytes of `pdf`, `odt` and `docx` (see `document`)."""
    if fmt in DOCUMENT_FORMATS:
        return document(
            fmt, lambda layout: render_html(kit, templates, layout), templates is not None
        )
    if fmt == "html":
        return render_html(kit, templates)
    env = environment(fmt, str(templates) if templates else None)
    return render_template(
        env, FORMATS[fmt], templates is not None, kit=kit, i=kit.innovation, c=kit.cible
    )


DOCUMENT_FORMATS = ("pdf", "odt", "docx")  # made from the HTML laid out as a document


def document(fmt: str, html_for: Callable[[str], str], custom: bool = False) -> bytes:
    """The PDF (`pdf.py`), ODT or DOCX (`bureautique.py`) of the HTML that `html_for(layout)`
    makes, laid out for a `pdf` or a word processor (`bureautique`). From a repository's own
    templates (`custom`), hostile input, the PDF stops after TEMPLATE_SECONDS."""
    if fmt != "pdf":
        from . import bureautique

        return bureautique.convert(html_for("bureautique"), fmt)
    from . import pdf

    html = html_for("pdf")
    if not custom:
        return pdf.to_pdf(html)
    try:  # its HTML may be made to lay out forever
        with _time_limit(TEMPLATE_SECONDS):
            return pdf.to_pdf(html)
    except (TimeoutError, MemoryError, RecursionError):
        raise TemplateProblem(
            FORMATS["html"], None, "trop long ou trop gourmand à mettre en PDF"
        ) from None


def render_html(kit: Kit, templates: Path | None, document: str = "") -> str:
    """The HTML kit; `document` lays it out for a `pdf` or for a word processor (`bureautique`):
    the table of contents after the synthèse, no skip link."""
    env = environment("html", str(templates) if templates else None)
    return render_template(
        env, FORMATS["html"], templates is not None,
        kit=kit, i=kit.innovation, c=kit.cible, document=document,
    )  # fmt: skip


def render_template(env: Any, name: str, custom: bool, **context: Any) -> str:
    """A template rendered within limits, in French typography (`typographie.document`);
    a problem is a TemplateProblem (file, line, why).

    With a repository's custom templates (`custom`), the rendering stops after
    TEMPLATE_SECONDS and beyond MAX_OUTPUT characters: a template is hostile input too.
    """
    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

    try:
        with _time_limit(TEMPLATE_SECONDS if custom else None):
            template = env.get_template(name)
            if not custom:  # the package's own templates: their output is bounded by the data
                return typographie.document(template.render(**context), name)
            chunks, size = [], 0
            for chunk in template.generate(**context):
                size += len(chunk)
                if size > MAX_OUTPUT:
                    file = display_path(template.filename) if template.filename else name
                    limit = f"{MAX_OUTPUT // (1024 * 1024)} Mio"
                    raise TemplateProblem(file, None, f"le kit produit dépasserait {limit}")
                chunks.append(chunk)
            return typographie.document("".join(chunks), name)
    except TemplateSyntaxError as exc:
        file = exc.filename or exc.name or name
        raise TemplateProblem(file, exc.lineno, "syntaxe invalide", exc.message) from None
    except TemplateNotFound as exc:
        raise TemplateProblem(name, None, f"gabarit « {exc.name} » introuvable") from None
    except TemplateError as exc:
        file, line = _template_frame(exc, name)
        raise TemplateProblem(file, line, _template_message(exc), str(exc)) from None
    except (MemoryError, RecursionError, TimeoutError) as exc:
        file, line = _template_frame(exc, name)
        raise TemplateProblem(file, line, "trop long ou trop gourmand à produire") from None


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


def render_all(kit: Kit, fmts: list[str], templates: Path | None = None) -> dict[str, str | bytes]:
    """One kit in the given formats: texts, and bytes for `pdf`, `odt` and `docx`."""
    return {fmt: render(kit, fmt, templates) for fmt in fmts}


KITS_MANIFEST = ".essaimage-kits"


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
            owned = WrittenFiles(folder, KITS_MANIFEST)
            written = _write_kit(kit, out_dir, texts, owned)
            owned.save()
        return written
    return _write_kit(kit, out_dir, texts, files)


def _write_kit(
    kit: Kit, out_dir: Path, texts: dict[str, str | bytes], owned: WrittenFiles
) -> list[Path]:
    targets = {fmt: kit_path(out_dir, kit, fmt).relative_to(out_dir).as_posix() for fmt in texts}
    for relative in targets.values():
        if not owned.may_write(relative):
            raise OutputError(
                f"« {owned.folder.shown(relative).as_posix()} » existe et n'a pas été écrit par "
                "essaimage : il n'est pas écrasé",
                "Déplacez ce fichier, ou écrivez les kits dans un autre dossier (--sortie).",
            )
    written = []
    for fmt, text in texts.items():
        data = text.encode("utf-8") if isinstance(text, str) else text  # once, for both uses
        owned.folder.write(targets[fmt], data)
        owned.record(targets[fmt], data)
        written.append(owned.folder.shown(targets[fmt]))
    return written
