"""ODT and DOCX documents (kits, plans) from essaimage's HTML, with pandoc, the optional extra
`essaimage[bureautique]` (pandoc's binary in the `pypandoc-binary` wheel; a `pandoc` on the PATH
does too).

Pandoc reads the HTML made for documents (the synthèse first, then the table of contents) and
writes real word-processing documents: heading styles (the navigator and a table of contents
work), tables, lists, links, the title and language in the properties. Styles come from the
reference documents shipped in the package (`templates/reference.odt`, `reference.docx`, built
by `scripts/build_reference_docs.py`).

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
    ):
        command = [
            pandoc, "--sandbox", "--from=html", f"--to={fmt}", "--shift-heading-level-by=-1",
            f"--reference-doc={reference_path}", f"--lua-filter={links_filter}", "--output=-",
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
    return restamped(done.stdout, fmt, source_date())


def restamped(data: bytes, fmt: str, moment: dt.datetime | None) -> bytes:
    """The archive dated `moment` (its properties and its members), or without dates in its
    properties and its members at 1980-01-01 when None. (In its sandbox, pandoc dates everything
    1970-01-01.)"""
    member, elements = DATED[fmt]
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
