"""Text made safe to print in a terminal, a CI log or a table: what a file holds can neither
move the cursor nor write the clipboard (`ESC [`, OSC 52), forge a link (OSC 8), rewrite the line
(a carriage return), nor reorder what is shown (bidirectional controls).

Every character that is not a visible one is shown as an escape: controls C0 (tab and line
breaks included), DEL and C1 (`\\x1b`, `\\x9b`), Unicode format characters (bidirectional
embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069, the marks U+200E, U+200F and
U+061C, zero-width characters, soft hyphen, tags), line and paragraph separators, surrogates,
private and unassigned code points (`\\u202e`, `\\U000e0041`). Spaces (the no-break spaces of
French typography included) stay. The command line passes every line it prints through here;
the text report's lines already are.

`printable` is the lighter escape of names and of the texts a finding carries: only invisible
characters (controls, separators, surrogates, bidi overrides) and undecodable bytes, so that a
French message keeps its no-break spaces and accents.
"""

from __future__ import annotations

import unicodedata

_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def visible(text: str) -> str:
    """Text safe to print in a terminal, a CI log or a table: every control or format character
    (a newline in a YAML key, a carriage return, an escape sequence, a bidi override) shown as
    an escape (`\\n`, `\\r`, `\\x1b`, `\\u202e`), so that no value can forge a line, an
    annotation, a terminal sequence or a table row."""
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char.isprintable() or char == " " or unicodedata.category(char) == "Zs":
            out.append(char)
        elif char in _NAMED:
            out.append(_NAMED[char])
        elif ord(char) < 0x100:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) < 0x10000:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    return "".join(out)


def visible_lines(text: str) -> str:
    """Several lines made `visible` one by one: their line breaks stay line breaks."""
    if text.isprintable():
        return text
    return "\n".join(visible(line) for line in text.split("\n"))


# Bidirectional overrides and isolates: they reorder what a terminal or a browser shows.
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def invisible(c: str) -> bool:
    """A control character, a line or paragraph separator, a surrogate, a bidi override."""
    return unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") or c in _BIDI


def printable(text: str) -> str:
    """A file name or a finding's text as text: invisible characters as `\\uNNNN`, undecodable
    bytes as `\\xNN`; spaces (no-break spaces of French typography included) stay."""
    if text.isascii() and text.isprintable():  # most names and messages: nothing to do
        return text
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(f"\\u{ord(c):04x}" if invisible(c) else c for c in text)
