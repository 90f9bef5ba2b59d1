"""Patterns written as in a `.gitignore`, matched in time proportional to the pattern's length
times the path's length: for `exclure` and `regles_par_chemin` in essaimage.yaml and for the
repository's own `.gitignore`, which are hostile input.

A regular expression made from a pattern backtracks: `a*a*a*a*a*a*ab` against a name of 200
`a` held the check for minutes (issue 21). Here no regular expression is used: a path is cut
into its segments, each segment of the pattern is matched against one segment of the path by
the classic wildcard algorithm (the pieces between `*` are placed leftmost, one after the
other, which is exact when only `*` varies in length), and `**` across segments by a walk over
(pattern segment, path segment) positions, each visited once.

Semantics: those of `GitIgnoreSpec` in the `pathspec` library (1.x), which essaimage used
before, and of git (the tests compare with both):

- a blank line matches nothing, `#` starts a comment, `\\#` and `\\!` are literal; trailing
  spaces (not tabs, as git) are dropped unless escaped with `\\`;
- `!` re-includes what an earlier pattern excluded; the last pattern that matches the path
  itself wins over one that matches only a folder above it, and among equals the last wins;
- a pattern without `/` (or with one only at its end) matches at any depth; a `/` at its start
  or in its middle anchors it to the base folder; a trailing `/` matches only folders (a path
  given with a trailing `/`, or what lies under such a folder);
- `*` matches anything but `/`, `?` one character but `/`, `[a-z]`, `[!a-z]` and `[^a-z]` one
  character of (or not of) a set, with ranges, `\\` escapes and classes such as `[:digit:]`;
  `**/` at the start matches in every folder, `/**` at the end everything inside, `/**/` in the
  middle zero or more folders; `\\` makes the next character literal.

Where `pathspec` fails or lets a set match `/`, git is followed: a set never matches `/`, a
`[:class:]` is read, a pattern with an unclosed `[`, a reversed range, a lone `!` or a trailing
`\\` matches nothing instead of failing, `**` also matches names with a line break.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass

# The POSIX classes git's wildmatch knows inside `[...]`.
_CLASSES: dict[str, Callable[[str], bool]] = {
    "alnum": str.isalnum,
    "alpha": str.isalpha,
    "blank": lambda c: c in " \t",
    "cntrl": lambda c: ord(c) < 32 or ord(c) == 127,
    "digit": lambda c: "0" <= c <= "9",
    "graph": lambda c: c.isprintable() and not c.isspace(),
    "lower": str.islower,
    "print": lambda c: c.isprintable(),
    "punct": lambda c: c.isascii() and c.isprintable() and not c.isalnum() and c != " ",
    "space": str.isspace,
    "upper": str.isupper,
    "xdigit": lambda c: c in "0123456789abcdefABCDEF",
}
_SEPARATORS = [s for s in (os.sep, os.altsep) if s and s != "/"]


class _Invalid(ValueError):
    """A pattern that can match nothing (unclosed `[`, trailing `\\`, unknown class)."""


@dataclass(frozen=True)
class _Set:
    """One character of `[...]`: listed characters, ranges and classes, maybe negated."""

    chars: frozenset[str]
    ranges: tuple[tuple[str, str], ...]
    classes: tuple[Callable[[str], bool], ...]
    negated: bool

    def __call__(self, char: str) -> bool:
        found = (
            char in self.chars
            or any(low <= char <= high for low, high in self.ranges)
            or any(test(char) for test in self.classes)
        )
        return found != self.negated


_ANY = None  # `?` in a piece: any one character
_Atom = str | _Set | None  # a literal character, a set, or `?`


@dataclass(frozen=True)
class _Piece:
    """What lies between two `*` of a segment: fixed-length atoms; `text` when all literal."""

    atoms: tuple[_Atom, ...]
    text: str | None

    def at(self, name: str, start: int) -> bool:
        """Whether the piece matches `name` from `start` (the caller checked the length)."""
        if self.text is not None:
            return name.startswith(self.text, start)
        for offset, atom in enumerate(self.atoms):
            char = name[start + offset]
            if atom is _ANY:
                continue
            if isinstance(atom, str):
                if char != atom:
                    return False
            elif not atom(char):
                return False
        return True

    def find(self, name: str, start: int, end: int) -> int:
        """The leftmost position from `start` where the piece lies wholly before `end`, or -1."""
        if self.text is not None:
            return name.find(self.text, start, end)
        for position in range(start, end - len(self.atoms) + 1):
            if self.at(name, position):
                return position
        return -1


@dataclass(frozen=True)
class _Glob:
    """One segment of a pattern (no `/` in it): pieces separated by `*`."""

    pieces: tuple[_Piece, ...]  # one piece without `*`; n + 1 pieces for n runs of `*`
    nonempty: bool  # the segment `*` alone matches a non-empty name only (as pathspec)

    def match(self, name: str) -> bool:
        """Whether the whole name matches: O(len(pattern) × len(name)) at worst."""
        pieces = self.pieces
        if len(pieces) == 1:
            only = pieces[0]
            if only.text is not None:
                return name == only.text
            return len(name) == len(only.atoms) and only.at(name, 0)
        if self.nonempty and not name:
            return False
        head, tail = pieces[0], pieces[-1]
        low, high = len(head.atoms), len(name) - len(tail.atoms)
        if high < low or not head.at(name, 0) or not tail.at(name, high):
            return False
        for piece in pieces[1:-1]:  # leftmost placement leaves the most room to the others
            found = piece.find(name, low, high)
            if found < 0:
                return False
            low = found + len(piece.atoms)
        return True


def _glob(segment: str) -> _Glob:
    """A pattern segment compiled; _Invalid when it can match nothing."""
    pieces: list[_Piece] = []
    atoms: list[_Atom] = []
    i, end = 0, len(segment)
    while i < end:
        char = segment[i]
        if char == "*":
            pieces.append(_piece(atoms))
            atoms = []
            while i < end and segment[i] == "*":
                i += 1
            continue
        if char == "\\":
            if i + 1 >= end:
                raise _Invalid(segment)
            atoms.append(segment[i + 1])
            i += 2
        elif char == "?":
            atoms.append(_ANY)
            i += 1
        elif char == "[":
            atom, i = _set(segment, i + 1)
            atoms.append(atom)
        else:
            atoms.append(char)
            i += 1
    pieces.append(_piece(atoms))
    return _Glob(tuple(pieces), segment == "*")


def _piece(atoms: list[_Atom]) -> _Piece:
    literal = all(isinstance(atom, str) for atom in atoms)
    return _Piece(tuple(atoms), "".join(atoms) if literal else None)  # type: ignore[arg-type]


def _set(segment: str, i: int) -> tuple[_Set, int]:
    """The set that starts after the `[` at `i - 1`, and where the segment goes on."""
    end = len(segment)
    negated = i < end and segment[i] in "!^"
    if negated:
        i += 1
    chars: set[str] = set()
    ranges: list[tuple[str, str]] = []
    classes: list[Callable[[str], bool]] = []
    first = True
    while True:
        if i >= end:
            raise _Invalid(segment)  # no closing `]`
        char = segment[i]
        if char == "]" and not first:
            return _Set(frozenset(chars), tuple(ranges), tuple(classes), negated), i + 1
        first = False
        if char == "[" and segment.startswith("[:", i):
            close = segment.find(":]", i + 2)
            if close < 0:
                raise _Invalid(segment)
            test = _CLASSES.get(segment[i + 2 : close])
            if test is None:
                raise _Invalid(segment)  # git: a malformed class matches nothing
            classes.append(test)
            i = close + 2
            continue
        if char == "\\":
            if i + 1 >= end:
                raise _Invalid(segment)
            char = segment[i + 1]
            i += 1
        i += 1
        if i + 1 < end and segment[i] == "-" and segment[i + 1] != "]":
            high = segment[i + 1]
            i += 2
            if high == "\\":
                if i >= end:
                    raise _Invalid(segment)
                high = segment[i]
                i += 1
            ranges.append((char, high))  # a reversed range holds nothing, as in git
        else:
            chars.add(char)


# How a pattern is matched: the general walk, or one of pathspec's special forms.
_GENERAL, _ANYTHING, _BELOW_A_FOLDER = "general", "anything", "below"


@dataclass(frozen=True)
class _Pattern:
    """One line of patterns, compiled."""

    excludes: bool  # False for `!…`, which re-includes
    kind: str
    segments: tuple[_Glob | None, ...]  # None for `**`
    folders_only: bool  # written with a trailing `/`
    # Texts that any path the pattern matches contains (the longest literal part of each of its
    # segments): most patterns are passed over by a few substring searches, in C. A 90-line
    # .gitignore against 1 000 paths: 3 ms, where pathspec's compiled expressions took 40 ms.
    needles: tuple[str, ...] = ()

    def match(self, parts: list[str]) -> int:
        """0 when the pattern does not match the path (its segments `parts`), 2 when it matches
        the path itself, 1 when it matches only a folder above it."""
        if self.kind == _ANYTHING:
            return 2
        if self.kind == _BELOW_A_FOLDER:  # `**/`, `*/`: what lies in a folder
            return (1 if self.folders_only else 2) if len(parts) > 1 else 0
        segments, count = self.segments, len(parts)
        if segments[-1] is None:  # `…/**`: what lies inside
            ends = _ends(segments[:-1], parts)
            if any(j < count for j in ends):
                return 1 if self.folders_only else 2
            return 0
        if None not in segments:  # anchored, one segment of the path for each
            if count < len(segments):
                return 0
            for glob, part in zip(segments, parts[: len(segments)], strict=True):
                assert glob is not None
                if not glob.match(part):
                    return 0
            return 2 if count == len(segments) else 1
        if len(segments) == 2 and segments[0] is None:  # `name`, `*.ext`: at any depth
            glob = segments[1]
            assert glob is not None
            if glob.match(parts[-1]) and (count != 2 or parts[0]):
                return 2
            for j in range(count - 1):
                if glob.match(parts[j]) and (j != 1 or parts[0]):
                    return 1
            return 0
        ends = _ends(segments, parts)
        if count in ends:
            return 2
        return 1 if ends else 0


def _ends(segments: tuple[_Glob | None, ...], parts: list[str]) -> set[int]:
    """Every j such that `segments` match `parts[:j]` exactly. Each (segment, j) is tried once:
    at most len(segments) × len(parts) segment matches, no backtracking."""
    count = len(parts)
    states = {0}
    for glob in segments:
        if glob is None:  # `**`: no folder, or folders whose names joined are not empty
            first = min(states)
            reach = set(states)
            reach.update(range(first + 2, count + 1))
            if first < count and parts[first]:
                reach.add(first + 1)
            states = reach
        else:
            states = {j + 1 for j in states if j < count and glob.match(parts[j])}
            if not states:
                break
    return states


def _trimmed(line: str) -> str:
    """The line without its trailing spaces, unless escaped (git's `trim_trailing_spaces`)."""
    last_space = None
    i = 0
    while i < len(line):
        char = line[i]
        if char == " ":
            if last_space is None:
                last_space = i
        elif char == "\\":
            i += 1
            if i >= len(line):
                return line
            last_space = None
        else:
            last_space = None
        i += 1
    return line if last_space is None else line[:last_space]


def compile_pattern(line: str) -> _Pattern | None:
    """One `.gitignore` line compiled, or None for a line that matches nothing."""
    text = _trimmed(line)
    if not text or text.startswith("#") or text == "/":
        return None
    excludes = not text.startswith("!")
    if not excludes:
        text = text[1:]
    parts = text.split("/")
    folders_only = not parts[-1]
    if not parts[0]:
        del parts[0]  # a leading `/` anchors the pattern to the base folder
    elif (len(parts) == 1 or (len(parts) == 2 and not parts[1])) and parts[0] != "**":
        parts.insert(0, "**")  # a single name matches at any depth
    if not parts:
        return None
    if not parts[-1]:
        parts[-1] = "**"
    collapsed: list[str] = []
    for part in parts:
        if not (part == "**" and collapsed and collapsed[-1] == "**"):
            collapsed.append(part)
    if collapsed == ["**"]:
        if folders_only:
            return _Pattern(excludes, _BELOW_A_FOLDER, (), folders_only, ("/",))
        return _Pattern(excludes, _ANYTHING, (), folders_only)
    if collapsed == ["**", "*"]:
        return _Pattern(excludes, _ANYTHING, (), folders_only)
    if collapsed == ["**", "*", "**"]:
        return _Pattern(excludes, _BELOW_A_FOLDER, (), folders_only, ("/",))
    try:
        segments = tuple(None if part == "**" else _glob(part) for part in collapsed)
    except _Invalid:
        return None
    needles = tuple(dict.fromkeys(n for g in segments if g is not None if (n := _literal(g))))
    return _Pattern(excludes, _GENERAL, segments, folders_only, needles)


def _literal(glob: _Glob) -> str:
    """The longest run of literal characters of a segment pattern."""
    runs = [""]
    for piece in glob.pieces:
        runs.append("")
        for atom in piece.atoms:
            if isinstance(atom, str):
                runs[-1] += atom
            else:
                runs.append("")
    return max(runs, key=len)


class IgnoreRules:
    """Compiled `.gitignore` lines: `match_file(path)` says whether they exclude a path."""

    def __init__(self, patterns: Iterable[_Pattern]):
        self._reversed = list(patterns)[::-1]

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> IgnoreRules:
        """The rules of these lines (comments, blank and invalid lines match nothing)."""
        return cls(p for p in map(compile_pattern, lines) if p is not None)

    def match_file(self, path: str) -> bool:
        """Whether `path` (relative to the base folder, with `/`; a trailing `/` for a folder)
        is excluded: the last pattern that matches the path itself decides, else the last that
        matches a folder above it."""
        for separator in _SEPARATORS:
            path = path.replace(separator, "/")
        if path.startswith("/"):
            path = path[1:]
        elif path.startswith("./"):
            path = path[2:]
        if not path:
            return False
        parts = path.split("/")
        above: bool | None = None
        for pattern in self._reversed:
            for needle in pattern.needles:
                if needle not in path:
                    break
            else:
                found = pattern.match(parts)
                if found == 2:
                    return pattern.excludes
                if found == 1 and above is None:
                    above = pattern.excludes
        return bool(above)
