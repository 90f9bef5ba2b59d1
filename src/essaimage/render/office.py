"""ODT and DOCX documents (kits, plans) from essaimage's HTML, with pandoc, the optional extra
`essaimage[bureautique]` (pandoc's binary in the `pypandoc-binary` wheel; a `pandoc` on the PATH
does too).

Pandoc reads the HTML made for documents (the synthèse first, then the table of contents) and
writes real word-processing documents: heading styles (the navigator and a table of contents
work), tables, lists, links, the title and language in the properties. Styles come from the
reference documents shipped in the package (`templates/reference.odt`, `reference.docx`, built
by `scripts/build_reference_docs.py`): A4 pages, text in 11 pt, tables in 10 pt. Tables are
laid out for reading on paper: the filter `templates/tableaux.lua` gives their columns widths
from their content (no word cut inside a column; 9 pt for a table whose words would not hold
at 10 pt), and `laid_out` adds what pandoc does not write: rules around the cells of ODT tables
(the DOCX reference's table style has them) and rows that never split across two pages.

Pandoc runs with `--sandbox`: it reads nothing but the files on its command line, so a
repository's own template cannot make it embed a local file or fetch a URL. Its filter
`templates/liens.lua` applies the link policy (`links.is_safe_link`) to every link of the
document: one that is not http(s), mailto or an anchor becomes its text. The same HTML gives
the same bytes: the document and its archive are dated SOURCE_DATE_EPOCH when it is set;
otherwise the properties carry no date and the archive's members 1980-01-01. Nothing here
prints.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import io
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from ..errors import OutputError, UsageError
from ..files.output import source_date

FORMATS = ("odt", "docx")
ZIP_EARLIEST = (1980, 1, 1, 0, 0, 0)  # the earliest date a ZIP archive can hold
MINIMUM_PANDOC = (2, 15)  # --sandbox
INSTALL_HINT = (
    "Installez-le avec : pip install pypandoc-binary (pandoc y est fourni), ou "
    "installez pandoc 2.15 ou plus récent (https://pandoc.org/installing.html)."
)
TIMEOUT = 120  # seconds for one document
# What the properties say of when the document was made, taken out when no date is asked for.
DATED = {
    "docx": ("docProps/core.xml", ("dcterms:created", "dcterms:modified")),
    "odt": ("meta.xml", ("meta:creation-date", "dc:date")),
}


def pandoc_path() -> str | None:
    """The pandoc to run: the one in the pypandoc-binary wheel, else the one on the PATH."""
    spec = importlib.util.find_spec("pypandoc")
    if spec is not None and spec.origin:
        name = "pandoc.exe" if sys.platform == "win32" else "pandoc"
        bundled = Path(spec.origin).parent / "files" / name
        if bundled.is_file():
            return str(bundled)
    return shutil.which("pandoc")


@functools.cache
def missing() -> str | None:
    """Why ODT and DOCX cannot be made here (in French), or None when they can."""
    pandoc = pandoc_path()
    if pandoc is None:
        return "les formats ODT et DOCX demandent pandoc, absent"
    try:
        done = subprocess.run(
            [pandoc, "--version"], capture_output=True, text=True, timeout=30, check=True
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"pandoc ne démarre pas ({exc})"
    first = done.stdout.split("\n", 1)[0]  # « pandoc 3.9 »
    numbers = first.rpartition(" ")[2].split(".")
    version = tuple(int(n) for n in numbers[:2] if n.isdigit())
    if version < MINIMUM_PANDOC:
        return f"pandoc {'.'.join(numbers)} est trop ancien (2.15 au moins)"
    return None


def require() -> None:
    """UsageError, saying what to install, when ODT and DOCX cannot be made here."""
    reason = missing()
    if reason:
        raise UsageError(reason, INSTALL_HINT)


def convert(html: str, fmt: str) -> bytes:
    """The ODT or DOCX document of an HTML document (UsageError when pandoc is missing,
    OutputError when it fails)."""
    require()
    pandoc = pandoc_path()
    assert pandoc is not None
    templates = resources.files("essaimage").joinpath("templates")
    with (
        resources.as_file(templates.joinpath(f"reference.{fmt}")) as reference_path,
        resources.as_file(templates.joinpath("liens.lua")) as links_filter,
        resources.as_file(templates.joinpath("tableaux.lua")) as tables_filter,
    ):
        command = [
            pandoc, "--sandbox", "--from=html", f"--to={fmt}", "--shift-heading-level-by=-1",
            f"--reference-doc={reference_path}", f"--lua-filter={links_filter}",
            f"--lua-filter={tables_filter}", "--output=-",
        ]  # fmt: skip
        try:
            done = subprocess.run(
                command, input=html.encode("utf-8"), capture_output=True, timeout=TIMEOUT
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise OutputError(
                f"pandoc n'a pas pu écrire le document {fmt.upper()} : {exc}"
            ) from None
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().split("\n", 1)[0]
        raise OutputError(f"pandoc n'a pas pu écrire le document {fmt.upper()} : {why}")
    return restamped(done.stdout, fmt, source_date(), laid_out_change(fmt))


def laid_out_change(fmt: str) -> tuple[str, Callable[[str], str]]:
    """The member to rewrite, and how, for what pandoc does not write: thin grey rules around
    the cells of ODT tables, and no table row split across two pages (DOCX `w:cantSplit`, ODT
    rows kept together). The XML is pandoc's own: its markup is found by plain search (the
    document's text cannot hold it, its `<` being escaped)."""
    return (
        ("word/document.xml", _docx_rows_whole) if fmt == "docx" else ("content.xml", _odt_tables)
    )


DOCX_ROW = "<w:tr>"
DOCX_ROW_PROPERTIES = "<w:trPr>"
DOCX_CANT_SPLIT = "<w:cantSplit />"


def _docx_rows_whole(xml: str) -> str:
    """`word/document.xml` with every table row marked `w:cantSplit` (in its `w:trPr`, made
    when pandoc wrote none)."""
    pieces = xml.split(DOCX_ROW)
    for index in range(1, len(pieces)):
        piece = pieces[index]
        if piece.startswith(DOCX_ROW_PROPERTIES):
            start = len(DOCX_ROW_PROPERTIES)
            pieces[index] = DOCX_ROW_PROPERTIES + DOCX_CANT_SPLIT + piece[start:]
        else:
            pieces[index] = DOCX_ROW_PROPERTIES + DOCX_CANT_SPLIT + "</w:trPr>" + piece
    return DOCX_ROW.join(pieces)


ODT_RULE = "0.5pt solid #a6a6a6"  # the DOCX reference's rules: ½ pt, grey A6A6A6
ODT_PADDING = (  # the DOCX reference's: a little on each side, next to nothing above and below
    'fo:padding-top="0.02cm" fo:padding-bottom="0.02cm" fo:padding-left="0.1cm" '
    'fo:padding-right="0.1cm"'
)
ODT_CELL_STYLES = ("TableHeaderRowCell", "TableRowCell")  # pandoc's, both borderless
ODT_ROW = "<table:table-row>"
ODT_ROW_STYLE = "RangeeEntiere"
ODT_ROW_STYLE_XML = (
    f'<style:style style:name="{ODT_ROW_STYLE}" style:family="table-row">'
    '<style:table-row-properties fo:keep-together="always" /></style:style>'
)
ODT_STYLES_END = "</office:automatic-styles>"


def _odt_tables(xml: str) -> str:
    """`content.xml` with pandoc's table cell styles ruled and padded, and every table row in
    a style that keeps it on one page."""
    for name in ODT_CELL_STYLES:
        start = xml.find(f'<style:style style:name="{name}" style:family="table-cell">')
        end = xml.find("</style:style>", start)
        if start < 0 or end < 0:
            continue
        style = xml[start:end].replace('fo:border="none"', f'fo:border="{ODT_RULE}" {ODT_PADDING}')
        xml = xml[:start] + style + xml[end:]
    if ODT_ROW not in xml:
        return xml
    xml = xml.replace(ODT_ROW, f'<table:table-row table:style-name="{ODT_ROW_STYLE}">')
    return xml.replace(ODT_STYLES_END, ODT_ROW_STYLE_XML + ODT_STYLES_END, 1)


def restamped(
    data: bytes,
    fmt: str,
    moment: dt.datetime | None,
    change: tuple[str, Callable[[str], str]] | None = None,
) -> bytes:
    """The archive dated `moment` (its properties and its members), or without dates in its
    properties and its members at 1980-01-01 when None (in its sandbox, pandoc dates everything
    1970-01-01); `change` rewrites one member's XML on the way (`laid_out_change`)."""
    member, elements = DATED[fmt]
    changed, rewrite = change or ("", lambda xml: xml)
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None
    when = (
        max(moment.timetuple()[:6], ZIP_EARLIEST) if moment else ZIP_EARLIEST
    )  # a ZIP archive holds no date before 1980
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == member:
                xml = content.decode("utf-8")
                for element in elements:
                    xml = _with_element_text(xml, element, stamp)
                content = xml.encode("utf-8")
            elif info.filename == changed:
                content = rewrite(content.decode("utf-8")).encode("utf-8")
            copy = zipfile.ZipInfo(info.filename, date_time=when)
            copy.compress_type = info.compress_type
            copy.external_attr = info.external_attr
            target.writestr(copy, content)
    return out.getvalue()


def _with_element_text(xml: str, name: str, value: str | None) -> str:
    """`xml` with the text of its `<name …>…</name>` elements set to `value`, or without those
    elements when `value` is None (found by plain search, no pattern)."""
    closing = f"</{name}>"
    position = 0
    while True:
        start = xml.find(f"<{name}", position)
        if start < 0:
            return xml
        after = xml[start + len(name) + 1 : start + len(name) + 2]
        opened = xml.find(">", start)
        end = xml.find(closing, start)
        if after not in (" ", ">") or opened < 0 or end < 0:
            position = start + 1
            continue
        if value is None:
            xml = xml[:start] + xml[end + len(closing) :]
            position = start
        else:
            xml = xml[: opened + 1] + value + xml[end:]
            position = opened + 1 + len(value) + len(closing)
