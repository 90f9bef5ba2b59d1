"""PDF documents from essaimage's HTML (kits, plans), with WeasyPrint, the optional extra
`essaimage[pdf]`.

The HTML is rendered with its own A4 print stylesheet plus `templates/pdf.css` (page numbers and
the document's title in the page footer, the table of contents with page numbers). The PDF is
tagged PDF/UA-1 (structure for screen readers), carries the title, language and subject of the
HTML (`<title>`, `lang`, `<meta name="description">`), keeps the links of the link policy
(`links.is_safe_link`: http, https, mailto, anchors; any other is left out, whatever made the
HTML), and is the same bytes for the same HTML: no date unless SOURCE_DATE_EPOCH gives one, an
identifier computed from the content.

Nothing is fetched: every URL the HTML names (image, stylesheet) is refused, so a repository's
own template cannot make the conversion read a file or the network. WeasyPrint's messages (about
CSS it does not support) are kept out of the user's terminal. WeasyPrint is imported only here,
only when a PDF is asked for.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
from collections.abc import Iterator
from importlib import resources
from typing import Any, NoReturn

from ..errors import UsageError
from ..files.output import source_date
from ..text.links import is_safe_link

INSTALL_HINT = (
    "Installez-la avec : pip install weasyprint ; WeasyPrint demande aussi la bibliothèque "
    "Pango du système (Debian, Ubuntu : apt install libpango-1.0-0 libpangoft2-1.0-0 ; "
    "macOS : brew install pango ; Windows : voir la documentation de WeasyPrint)."
)


@functools.cache
def missing() -> str | None:
    """Why PDF cannot be made here (in French), or None when it can."""
    try:
        import weasyprint  # noqa: F401
    except ImportError:
        return "le format PDF demande la bibliothèque WeasyPrint, absente"
    except OSError as exc:  # a system library (Pango, HarfBuzz…) cannot be loaded
        return f"WeasyPrint ne trouve pas une bibliothèque du système ({exc})"
    return None


def require() -> None:
    """UsageError, saying what to install, when PDF cannot be made here."""
    reason = missing()
    if reason:
        raise UsageError(reason, INSTALL_HINT)


def _refuse(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise ValueError(f"essaimage ne lit aucune ressource externe ({url})")


@functools.cache
def _fetcher() -> Any:
    """A URL fetcher that refuses every URL: WeasyPrint then leaves the resource out. WeasyPrint
    from 68 wants an instance of its URLFetcher class, earlier versions a function."""
    from weasyprint import urls

    base = getattr(urls, "URLFetcher", None)
    if base is None:
        return _refuse

    class Refuser(base):  # type: ignore[misc, valid-type]
        def fetch(self, url: str, headers: Any = None) -> NoReturn:
            _refuse(url)

    return Refuser()


@functools.cache
def _stylesheet() -> Any:
    from weasyprint import CSS

    text = resources.files("essaimage").joinpath("templates").joinpath("pdf.css").read_text("utf-8")
    return CSS(string=text, url_fetcher=_fetcher())


def engine() -> str:
    """What makes the PDFs (a PDF made from the same HTML by the same engine is the same)."""
    import weasyprint

    return f"WeasyPrint {weasyprint.__version__}"


class _Quiet(logging.Handler):
    """Keeps WeasyPrint's log records (in English, about CSS) away from the terminal."""

    def emit(self, record: logging.LogRecord) -> None:
        pass


def to_pdf(html: str) -> bytes:
    """The PDF of an HTML document (UsageError when WeasyPrint is not usable here)."""
    require()
    from weasyprint import HTML

    logger = logging.getLogger("weasyprint")
    handler, propagate = _Quiet(), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        document = HTML(string=html, url_fetcher=_fetcher()).render(stylesheets=[_stylesheet()])
        for page in document.pages:
            page.links[:] = [link for link in page.links if _allowed(link)]
        moment = source_date()
        if moment:
            date = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
            document.metadata.created = document.metadata.modified = date
        with _fixed_font_dates():
            return bytes(document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=True))
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _allowed(link: tuple[str, str, Any, Any]) -> bool:
    """Whether a link WeasyPrint found (an `<a href>`, or a `link:` of a stylesheet) stays in the
    PDF: an anchor of the document, or an address of the link policy. A relative address would
    be opened by the PDF reader next to the file; an attachment is never wanted."""
    kind, target = link[0], link[1]
    return kind == "internal" or (kind == "external" and is_safe_link(target))


@contextlib.contextmanager
def _fixed_font_dates() -> Iterator[None]:
    """Without HarfBuzz's subsetter, WeasyPrint subsets fonts with fontTools, which stamps each
    embedded font with the current time (its `head.modified`) unless SOURCE_DATE_EPOCH is set:
    two runs then differ by a few bytes. Only for the conversion, the epoch is set to 0 when the
    user did not set it (the PDF's own dates still come from `source_date`, absent then)."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        yield
        return
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "0"
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
