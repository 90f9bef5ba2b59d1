"""Words compared and turned into identifiers: accents folded, names normalised for comparison,
slugs, Markdown anchors, and the closest candidate to a mistyped word.

No regular expression here can backtrack: each is a single character class repeated.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator


def slugify(text: str, max_length: int = 64) -> str:
    """Lower-case ASCII words joined by hyphens: `Saint-Étienne` -> `saint-etienne`."""
    ascii_text = fold_accents(text).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug[:max_length].strip("-")


def markdown_anchor(heading: str) -> str:
    """The anchor GitHub and most Markdown viewers give a heading: `1. Synthèse` -> `1-synthèse`.

    Lower case, punctuation dropped (letters with accents stay), spaces as hyphens.
    """
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def normalize_name(name: str) -> str:
    """A name folded for comparison: no case, accents, hyphens or apostrophes."""
    folded = fold_accents(name).lower()
    return " ".join(re.split(r"[\s\-'’_.]+", folded)).strip()


def fold_accents(text: str) -> str:
    """The text without diacritics (`Étienne` -> `Etienne`; `œ` -> `oe`)."""
    if text.isascii():
        return text
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae")
    # the accents of Latin letters are in U+0300–U+036F: removed in C; any other combining
    # mark left is removed one character at a time
    decomposed = unicodedata.normalize("NFKD", text).translate(_LATIN_ACCENTS)
    if decomposed.isascii():
        return decomposed
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_LATIN_ACCENTS = {c: None for c in range(0x300, 0x370) if unicodedata.combining(chr(c))}


def suggest(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The closest candidate to a mistyped word, accents and case aside, if one is close."""
    return _suggest(word, tuple(candidates), cutoff)


@functools.lru_cache(maxsize=4096)
def _suggest(word: str, candidates: tuple[str, ...], cutoff: float) -> str | None:
    folded = _folded(candidates)
    match = difflib.get_close_matches(fold_accents(word).lower(), list(folded), n=1, cutoff=cutoff)
    return folded[match[0]] if match else None


@functools.lru_cache(maxsize=256)
def _folded(candidates: tuple[str, ...]) -> dict[str, str]:
    return {fold_accents(c).lower(): c for c in candidates}


def words_of(chunks: Iterable[str]) -> Iterator[str]:
    """The words of the texts, as they are written: runs of letters and digits (cut by hand, not
    by a pattern: linear in the text)."""
    for chunk in chunks:
        start = None
        for index, char in enumerate(chunk):
            if char.isalnum():
                if start is None:
                    start = index
            elif start is not None:
                yield chunk[start:index]
                start = None
        if start is not None:
            yield chunk[start:]
