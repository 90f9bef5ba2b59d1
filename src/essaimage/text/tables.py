"""Tables that read on a narrow screen: each data cell labelled with the header of its column.

On a phone, the kits' style sheet (`kit.css`) lays each row of a table out as a block, and each
cell as a line under the name of its column, taken from the cell's `data-label` attribute. The
attributes are set here, on the HTML a template produced, from the header row (`<thead>`) of
each table: the templates keep a single wording of each header, and a repository's own
templates get their labels too.

One left-to-right walk over the tags (a regular expression that stops at the next « < »: linear),
as in `typography.py`; the text of `script`, `style` and the other raw elements is copied as is.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

_TAG = re.compile(r"(<[^<>]*>)")  # stops at the next « < »: linear
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")
_COLSPAN = re.compile(r"""\scolspan\s*=\s*["']?(\d{1,3})""", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\n\r\f]+")  # HTML's spaces, not the no-break ones of typography.py
_RAW = frozenset({"script", "style", "textarea", "title", "xmp"})


@dataclass
class _Table:
    """What the walk knows of the table it is in."""

    headers: list[str] = field(default_factory=list)
    in_head: bool = False
    column: int = 0
    header: list[str] | None = None  # the text of the header cell being read
    span: int = 1


def _span(tag: str) -> int:
    found = _COLSPAN.search(tag)
    return max(1, int(found.group(1))) if found else 1


def _label(parts: list[str]) -> str:
    """A header cell's text as an attribute value: entities read, spaces collapsed (the no-break
    spaces kept), escaped."""
    text = _SPACES.sub(" ", html.unescape("".join(parts))).strip(" ")
    return html.escape(text, quote=True)


def labelled(text: str) -> str:
    """The HTML `text` with `data-label="<header of the column>"` on each `<td>` of the tables
    that have a header row (`<thead>`, its last row); a cell that already has a `data-label`
    keeps it, and a table without a header row is left as it is."""
    if "<thead" not in text:
        return text
    parts = _TAG.split(text)  # text, tag, text, tag… text
    tables: list[_Table] = []
    raw = ""  # the raw element being copied, if any
    for index, part in enumerate(parts):
        if index % 2 == 0:
            if tables and tables[-1].header is not None and not raw:
                tables[-1].header.append(part)
            continue
        found = _TAG_NAME.match(part)
        if found is None:
            continue
        name = found.group(1).lower()
        closing = part.startswith("</")
        if raw:
            raw = "" if closing and name == raw else raw
        elif name in _RAW:
            raw = "" if closing or part.endswith("/>") else name
        elif name == "table":
            if not closing:
                tables.append(_Table())
            elif tables:
                tables.pop()
        elif tables:
            _tag(tables[-1], parts, index, name, closing)
    return "".join(parts)


def _tag(table: _Table, parts: list[str], index: int, name: str, closing: bool) -> None:
    """One tag inside a table: a header read, a cell labelled."""
    tag = parts[index]
    if name == "thead":
        table.in_head = not closing
    elif name == "tr" and not closing:
        table.column = 0
        if table.in_head:
            table.headers = []
    elif name == "th" and table.in_head:
        if not closing:
            table.header, table.span = [], _span(tag)
        elif table.header is not None:
            table.headers.extend([_label(table.header)] * table.span)
            table.header = None
    elif name in ("th", "td") and not closing:
        column = table.column
        table.column += _span(tag)
        if name == "td" and column < len(table.headers) and "data-label" not in tag:
            parts[index] = f'<td data-label="{table.headers[column]}"' + tag[3:]
