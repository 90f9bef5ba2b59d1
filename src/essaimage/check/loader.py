"""Read one YAML file into plain data plus a source map, safely.

The YAML is parsed into events by libyaml (the C parser) when it is available, and the tree is
built here, so that nothing is ever constructed from a tag, every value keeps its line and column,
duplicate keys are caught, and size, depth and alias limits hold. Scalars stay text (or None for a
plain null): the schema types them, not YAML 1.1 implicit typing (`01053` stays "01053").
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from ..files.confinement import TooLarge, Unreadable, read_regular_file
from ..findings import Finding, Severity

_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_EventSource: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # its events, one by one
try:  # libyaml's parser alone, without PyYAML's resolver and constructor
    from yaml._yaml import CParser

    _EventSource = CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    pass

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_ALIASES = 100
# Values produced once aliases are expanded: bounds a "billion laughs" file that stays under MAX_ALIASES.
MAX_EXPANDED_NODES = 200_000

_NULLS = {"", "~", "null", "Null", "NULL"}
_CORE = "tag:yaml.org,2002:"
_HARMLESS_TAGS = {"!", _CORE + "str", _CORE + "seq", _CORE + "map"}

PathKey = tuple  # a JSON path as a tuple of str keys and int indexes


class Pos(NamedTuple):
    """A 1-based line and column in a file (a tuple: a file has hundreds, made fast)."""

    line: int
    column: int


_new_pos = functools.partial(tuple.__new__, Pos)  # Pos((line, column)) without a Python frame


@dataclass
class Document:
    """A loaded file: its data, where each value and key stands, and its text for code frames."""

    data: dict
    positions: dict[PathKey, Pos]
    key_positions: dict[PathKey, Pos]
    text: str
    _line_starts: list[int] | None = field(default=None, repr=False, compare=False)
    _bracketed: dict[PathKey, list[str] | None] = field(
        default_factory=dict, repr=False, compare=False
    )

    def pos(self, path: PathKey) -> Pos:
        """Position of the value at `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path and path not in self.positions:
            path = path[:-1]
        return self.positions.get(path, Pos(1, 1))

    def key_pos(self, path: PathKey) -> Pos:
        """Position of the key that names the value at `path` (the value itself for list items)."""
        return self.key_positions.get(tuple(path)) or self.pos(path)

    def char_at(self, pos: Pos) -> str:
        """The character written at `pos` (columns count characters, as libyaml's do); "" when
        there is none."""
        if self._line_starts is None:
            starts, at = [0], self.text.find("\n")
            while at != -1:
                starts.append(at + 1)
                at = self.text.find("\n", at + 1)
            self._line_starts = starts
        if not 1 <= pos.line <= len(self._line_starts) or pos.column < 1:
            return ""
        index = self._line_starts[pos.line - 1] + pos.column - 1
        return self.text[index : index + 1]

    def bracketed_texts(self, path: PathKey) -> list[str] | None:
        """The items of the list at `path` when it is written between brackets (`[a, b]`) and
        holds at least two texts, none of them quoted: what YAML cut at each comma. None for
        any other value. Kept once found: every error of a long list asks it."""
        path = tuple(path)
        if path not in self._bracketed:
            self._bracketed[path] = self._texts_in_brackets(path)
        return self._bracketed[path]

    def _texts_in_brackets(self, path: PathKey) -> list[str] | None:
        items = value_at(self.data, path)
        if not isinstance(items, list) or len(items) < 2 or path not in self.positions:
            return None
        if self.char_at(self.positions[path]) != "[":
            return None
        for index, item in enumerate(items):
            where = self.positions.get((*path, index))
            if not isinstance(item, str) or where is None or self.char_at(where) in "\"'":
                return None
        return items


def value_at(data: Any, path: PathKey) -> Any:
    """The value at `path` in plain data, or None when the path leads nowhere."""
    value = data
    for part in path:
        found = (isinstance(value, dict) and part in value) or (
            isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value)
        )
        if not found:
            return None
        value = value[part]
    return value


@dataclass
class LoadResult:
    """The document (None when the file could not be read as YAML) and the loading findings.

    `text` is the file as decoded (undecodable bytes replaced), for code frames, even when the
    YAML could not be read; None when the file could not be read at all.
    """

    document: Document | None
    findings: list[Finding] = field(default_factory=list)
    text: str | None = None


class _LoadError(Exception):
    """A problem that stops reading the file."""

    def __init__(self, code: str, message: str, pos: Pos, hint: str | None = None):
        super().__init__(message)
        self.code, self.message, self.pos, self.hint = code, message, pos, hint


# --- plain data and positions, in one pass over the parser's events --------------------------


def path_to_str(path: PathKey) -> str:
    """A JSON path as users read it: `moyens.humains[0].etp`. The same path in a thousand
    files' findings is one string (interned)."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return sys.intern(out or "$")


def _pos(mark: Any) -> Pos:
    return _new_pos((mark.line + 1, mark.column + 1))


def show_tag(tag: str) -> str:
    """A tag as written in YAML (`!!python/object` rather than its long form)."""
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


@dataclass
class _Anchored:
    """A value defined with an anchor (« &nom »): the value, its path, and the slice of the
    reader's log that holds the positions of its subtree (empty for a scalar)."""

    value: Any
    path: PathKey
    start: int = 0
    end: int = 0
    size: int = 1  # values in the subtree
    depth: int = 0  # levels below the anchored value


# In the path of what is kept nowhere: a key that is a collection, or a refused key's value.
_KEY = object()
_NO_KEY = object()  # a mapping waits for its next key
_BAD_KEY = object()  # the key was refused (Y013, Y009): its value is read and dropped


class _Frame:
    """An open mapping or sequence."""

    __slots__ = ("container", "path", "is_map", "key", "key_pos", "first_line", "anchor",
                 "log_start", "dropped")  # fmt: skip

    def __init__(self, container: Any, path: PathKey, pos: Pos, anchor: str | None, dropped: bool):
        self.container = container
        self.path = path
        self.is_map = isinstance(container, dict)
        self.key: Any = _NO_KEY
        self.key_pos = pos
        self.first_line: dict[str, int] = {}
        self.anchor = anchor
        self.log_start = 0
        self.dropped = dropped  # inside a refused key or its value: nothing is kept


class _Reader:
    """Builds the plain data and its source map from parser events, in one pass.

    Every value is placed as soon as its event arrives; nothing is ever constructed from a tag
    (a tag other than the standard text, list and table ones is a finding). An alias expands to
    a fresh copy of its anchor's value, its positions copied under the alias's path; aliases,
    expanded values and depth are bounded. While an anchored collection is open, positions are
    also logged, so that an alias can copy those of its subtree.
    """

    def __init__(self, file: str):
        self.file = file
        self.findings: list[Finding] = []
        self.positions: dict[PathKey, Pos] = {}
        self.key_positions: dict[PathKey, Pos] = {}
        self.anchors: dict[str, _Anchored] = {}
        self.aliases = 0
        self.count = 0  # values produced, aliases expanded included
        self.log: list[tuple[PathKey, Pos, bool]] = []  # (path, position, is a key)
        self.logging = 0  # anchored collections open
        self.root: Any = None
        self.root_pos = Pos(1, 1)
        self.has_root = False

    def error(
        self, code: str, message: str, pos: Pos, hint: str | None = None, path: PathKey = ()
    ) -> None:
        self.findings.append(
            Finding(
                self.file, pos.line, pos.column, path_to_str(path), code, Severity.ERREUR,
                message, hint,
            )
        )  # fmt: skip

    def read(self, events: Any) -> None:
        """Consume the events of one stream (`events.get_event()` until the stream ends)."""
        stack: list[_Frame] = []
        documents = 0
        get_event = events.get_event
        while True:
            event = get_event()
            kind = type(event)
            if kind is yaml.ScalarEvent:
                if event.tag is not None:
                    self._tag(event)
                value = event.value
                if not event.style and value in _NULLS:
                    value = None
                mark = event.start_mark
                pos = _new_pos((mark.line + 1, mark.column + 1))
                top = stack[-1] if stack else None
                # The common cases inline (a text in a mapping or a list, no anchor, nothing
                # logged): most events are these, and a call per event is a third of the reading.
                if (
                    top is not None
                    and not top.dropped
                    and event.anchor is None
                    and not self.logging
                    and self.count < MAX_EXPANDED_NODES
                ):
                    if not top.is_map:
                        path = top.path + (len(top.container),)
                        top.container.append(value)
                        self.positions[path] = pos
                        self.count += 1
                        continue
                    key = top.key
                    if key is _NO_KEY:
                        if value is not None and value not in top.first_line:
                            top.first_line[value] = pos.line
                            top.key, top.key_pos = value, pos
                            continue
                    elif key is not _BAD_KEY:
                        top.key = _NO_KEY
                        top.container[key] = value
                        path = top.path + (key,)
                        self.positions[path] = pos
                        self.key_positions[path] = top.key_pos
                        self.count += 1
                        continue
                self._place(stack, value, pos, event.anchor, None)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                self._tag(event)
                pos = _pos(event.start_mark)
                if len(stack) >= MAX_DEPTH:
                    raise _LoadError(
                        "Y012", f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux)", pos
                    )
                container: Any = {} if kind is yaml.MappingStartEvent else []
                frame = self._place(stack, container, pos, event.anchor, container)
                if frame is not None:
                    stack.append(frame)
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                self._close(stack.pop())
            elif kind is yaml.AliasEvent:
                self._alias(stack, event)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _LoadError(
                        "Y007",
                        "plusieurs documents dans un seul fichier : un fichier ne décrit "
                        "qu'une innovation ou qu'un territoire",
                        _pos(event.start_mark),
                        "Séparez les documents (« --- ») en plusieurs fichiers.",
                    )
            elif kind is yaml.StreamEndEvent or event is None:
                return

    def _tag(self, event: Any) -> None:
        tag = event.tag
        if tag is None or tag in _HARMLESS_TAGS:
            return
        self.error(
            "Y010",
            f"étiquette YAML « {show_tag(tag)} » interdite : essaimage ne lit que du texte, "
            "des listes et des tables",
            _pos(event.start_mark),
            "Retirez l'étiquette ; le format de chaque champ est fixé par essaimage.",
        )

    def _place(
        self, stack: list[_Frame], value: Any, pos: Pos, anchor: str | None, container: Any
    ) -> _Frame | None:
        """Put a scalar or a new collection where the open collection expects it; returns the
        frame of a new collection."""
        path, dropped = self._slot(stack, value, pos, container is not None)
        if path is None:  # a mapping's key: a collection there is read, then dropped
            path, dropped = stack[-1].path + (_KEY,), True
        frame = _Frame(container, path, pos, anchor, dropped) if container is not None else None
        if frame is not None and anchor:
            self.logging += 1  # its subtree's positions are logged from its own on
            frame.log_start = len(self.log)
        self._record(path, pos, False, dropped)
        if frame is None and anchor:
            self.anchors[anchor] = _Anchored(value, path)
        return frame

    def _slot(
        self, stack: list[_Frame], value: Any, pos: Pos, is_collection: bool
    ) -> tuple[PathKey | None, bool]:
        """Where the next node goes: its path, and whether it is dropped (the value of a
        refused key, or inside one: read, so that its anchors exist, but kept nowhere); None
        for the path when the node is a mapping's key (remembered for the value that follows).
        """
        self.count += 1
        self._bound(pos)
        if not stack:
            self.root, self.root_pos, self.has_root = value, pos, True
            return (), False
        top = stack[-1]
        if not top.is_map:
            top.container.append(value)
            return top.path + (len(top.container) - 1,), top.dropped
        if top.key is _NO_KEY:
            self.count -= 1  # a key is not a value
            self._key(top, value, pos, is_collection)
            return None, top.dropped
        key, top.key = top.key, _NO_KEY
        if key is _BAD_KEY:
            return top.path + (_KEY,), True
        top.container[key] = value
        path = top.path + (key,)
        self._record(path, top.key_pos, True, top.dropped)
        return path, top.dropped

    def _key(self, top: _Frame, value: Any, pos: Pos, is_collection: bool) -> None:
        """A mapping's key: a text, said once (said silently inside a dropped value)."""
        top.key_pos = pos
        if is_collection or value is None:
            if not top.dropped:
                self.error(
                    "Y013",
                    "clé non textuelle : chaque clé doit être un mot (par exemple « nom »)",
                    pos,
                    path=top.path,
                )
            top.key = _BAD_KEY
        elif value in top.first_line:
            if not top.dropped:
                self.error(
                    "Y009",
                    f"clé « {value} » en double : elle est déjà définie ligne "
                    f"{top.first_line[value]}",
                    pos,
                    "Gardez une seule fois cette clé ; la première valeur est celle retenue.",
                    top.path + (value,),
                )
            top.key = _BAD_KEY
        else:
            top.first_line[value] = pos.line
            top.key = value

    def _record(self, path: PathKey, pos: Pos, is_key: bool, dropped: bool) -> None:
        if not dropped:
            (self.key_positions if is_key else self.positions)[path] = pos
        if self.logging:
            self.log.append((path, pos, is_key))

    def _bound(self, pos: Pos) -> None:
        if self.count > MAX_EXPANDED_NODES:
            raise _LoadError(
                "Y011",
                f"le fichier compte plus de {MAX_EXPANDED_NODES} valeurs (alias développés "
                "compris)",
                pos,
                "Écrivez les valeurs en entier plutôt que par des alias imbriqués.",
            )

    def _close(self, frame: _Frame) -> None:
        if frame.anchor is None:
            return
        self.logging -= 1
        entries = self.log[frame.log_start :]
        depth = max((len(p) for p, *_ in entries), default=len(frame.path)) - len(frame.path)
        self.anchors[frame.anchor] = _Anchored(
            frame.container,
            frame.path,
            frame.log_start,
            len(self.log),
            size=sum(1 for _, _, is_key in entries if not is_key),
            depth=depth,
        )

    def _alias(self, stack: list[_Frame], event: Any) -> None:
        pos = _pos(event.start_mark)
        self.aliases += 1
        if self.aliases > MAX_ALIASES:
            raise _LoadError(
                "Y011",
                f"plus de {MAX_ALIASES} alias YAML (« *nom ») dans le fichier",
                pos,
                "Écrivez les valeurs en entier plutôt que par des alias.",
            )
        anchored = self.anchors.get(event.anchor)
        if anchored is None:
            raise _LoadError(
                "Y005",
                f"alias « *{event.anchor} » sans ancre « &{event.anchor} » définie avant lui",
                pos,
            )
        is_collection = isinstance(anchored.value, (dict, list))
        value = _copy(anchored.value) if is_collection else anchored.value
        path, dropped = self._slot(stack, value, pos, is_collection)
        if path is None:
            return  # an alias as a key: its text is the key
        if len(path) + anchored.depth > MAX_DEPTH:
            raise _LoadError(
                "Y012", f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux)", pos
            )
        self.count += anchored.size - 1
        self._bound(pos)
        cut = len(anchored.path)
        for sub, sub_pos, is_key in self.log[anchored.start + 1 : anchored.end]:
            below = sub[cut:]
            if _KEY not in below:  # what was dropped inside the anchored value stays so
                self._record(path + below, sub_pos, is_key, dropped)
        self._record(path, pos, False, dropped)


def _copy(value: Any) -> Any:
    """A fresh copy of plain data (an alias must not share its anchor's containers)."""
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


# --- entry points ----------------------------------------------------------------------------


def _decode(raw: bytes) -> str:
    """UTF-8 text without BOM; raises _LoadError at the first byte that is not UTF-8."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start
        line_start = raw.rfind(b"\n", 0, start) + 1
        line = raw.count(b"\n", 0, start) + 1
        column = len(raw[line_start:start].decode("utf-8", errors="replace")) + 1
        raise _LoadError(
            "Y002",
            f"le fichier n'est pas en UTF-8 (octet 0x{raw[start]:02x} invalide)",
            Pos(line, column),
            "Enregistrez le fichier en UTF-8 (dans la plupart des éditeurs : "
            "« Enregistrer sous… », encodage UTF-8).",
        ) from None


_SYNTAX_MESSAGES = [
    ("tab character", "Y006", "tabulation dans l'indentation : YAML n'accepte que des espaces"),
    ("'\\t'", "Y006", "tabulation dans l'indentation : YAML n'accepte que des espaces"),
    (
        "mapping values are not allowed",
        "Y005",
        "deux-points « : » inattendu ; une valeur qui contient « : » doit être entre guillemets",
    ),
    ("did not find expected key", "Y005", "clé attendue : vérifiez l'indentation de cette ligne"),
    (
        "did not find expected '-'",
        "Y005",
        "élément de liste « - » attendu : vérifiez l'indentation de cette ligne",
    ),
    (
        "block sequence entries are not allowed",
        "Y005",
        "élément de liste « - » mal placé : vérifiez l'indentation",
    ),
    (
        "found unexpected end of stream",
        "Y005",
        "fin de fichier inattendue : un guillemet ou un crochet n'est pas refermé",
    ),
    ("could not find expected ':'", "Y005", "« : » attendu après la clé"),
    ("did not find expected node content", "Y005", "valeur attendue à cet endroit"),
    (
        "did not find expected ',' or ']'",
        "Y005",
        "« , » ou « ] » attendu dans la liste entre crochets",
    ),
    (
        "did not find expected ',' or '}'",
        "Y005",
        "« , » ou « } » attendu dans la table entre accolades",
    ),
    ("unknown escape character", "Y005", "séquence d'échappement « \\ » inconnue entre guillemets"),
    (
        "control characters are not allowed",
        "Y005",
        "caractère de contrôle interdit dans le fichier",
    ),
    (
        "that cannot start any token",
        "Y005",
        "caractère qui ne peut pas commencer une valeur : mettez la valeur entre guillemets",
    ),
    ("found undefined alias", "Y005", "alias « * » sans ancre « & » définie avant lui"),
    (
        "exceeded maximum nesting depth",
        "Y012",
        f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux)",
    ),
    (
        "found incompatible YAML document",
        "Y005",
        "version de YAML non prise en charge : retirez la ligne « %YAML »",
    ),
]


_SYNTAX_HINTS = {
    "tab character": "Remplacez les tabulations par des espaces.",
    "'\\t'": "Remplacez les tabulations par des espaces.",
    "mapping values are not allowed": (
        "En français, « : » précédé d'une espace est courant dans un texte ; mettez toute la "
        "valeur entre guillemets, ou écrivez « > » après la clé et le texte sur les lignes suivantes."
    ),
}


def _syntax_error(exc: yaml.YAMLError, text: str) -> _LoadError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    pos = _pos(mark) if mark is not None else Pos(1, 1)
    position = getattr(exc, "position", None)
    if mark is None and isinstance(position, int):
        pos = _position(text, position)  # the reader's errors count characters
    problem = str(getattr(exc, "problem", "") or getattr(exc, "reason", "") or exc)
    lines = text.split("\n")
    here = lines[pos.line - 1][pos.column - 1 : pos.column] if pos.line <= len(lines) else ""
    if here == "\t":  # libyaml does not always say it is a tab
        return _LoadError("Y006", _SYNTAX_MESSAGES[0][2], pos, _SYNTAX_HINTS["tab character"])
    for needle, code, message in _SYNTAX_MESSAGES:
        if needle in problem:
            return _LoadError(code, message, pos, _SYNTAX_HINTS.get(needle))
    return _LoadError(
        "Y005", f"syntaxe YAML invalide (message de l'analyseur : « {problem} »)", pos
    )


def _position(text: str, index: int) -> Pos:
    """The line and column of the character at `index`."""
    index = max(0, min(index, len(text)))
    line_start = text.rfind("\n", 0, index) + 1
    return Pos(text.count("\n", 0, index) + 1, index - line_start + 1)


def _too_big(size: int) -> _LoadError:
    return _LoadError(
        "Y004",
        f"fichier trop volumineux ({size // 1024} Kio ; la limite est "
        f"{MAX_BYTES // (1024 * 1024)} Mio)",
        Pos(1, 1),
    )


def load_bytes(raw: bytes, file: str) -> LoadResult:
    """Load YAML bytes; `file` is the path shown in findings."""
    reader = _Reader(file)
    text: str | None = None
    try:
        if len(raw) > MAX_BYTES:
            raise _too_big(len(raw))
        try:
            text = _decode(raw)
        except _LoadError:
            text = raw.decode("utf-8-sig", errors="replace")
            raise
        events = _EventSource(text)
        try:
            reader.read(events)
        except yaml.YAMLError as exc:
            raise _syntax_error(exc, text) from None
        finally:
            events.dispose()
        root = reader.root
        if not reader.has_root or root is None:
            raise _LoadError(
                "Y003",
                "fichier vide : il doit commencer par « essaimage: 1 »",
                Pos(1, 1),
                "Partez d'un exemple du dossier examples/.",
            )
        if not isinstance(root, dict):
            raise _LoadError(
                "Y008",
                "le fichier doit être une table de clés (« essaimage: 1 », « id: … », …), "
                "pas une liste ni une valeur seule",
                reader.root_pos,
            )
    except _LoadError as exc:
        reader.error(exc.code, exc.message, exc.pos, exc.hint)
        return LoadResult(None, reader.findings, text)
    document = Document(root, reader.positions, reader.key_positions, text)
    return LoadResult(document, reader.findings, text)


@dataclass
class RootFacts:
    """What cross-file checks need of a file they do not check: its root keys, its `id` and the
    `id` of each of its `marges` (None when the list is not a clear list of mappings with ids)."""

    keys: set[str] = field(default_factory=set)
    id: str | None = None
    marges: set[str] | None = field(default_factory=set)


def root_facts(path: Path) -> RootFacts | None:
    """The root facts of a YAML file, read from libyaml's events without building the document
    (no alias is expanded, nothing but these few values is kept); None for a file that cannot
    be read or parsed. A pre-commit hook on one profile reads every other innovation this way."""
    try:
        text = read_regular_file(path, MAX_BYTES).decode("utf-8")
        return _facts(yaml.parse(text, Loader=_Parser))
    except (Unreadable, TooLarge, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return None


def _facts(events: Iterator[yaml.Event]) -> RootFacts | None:
    facts = RootFacts()
    depth = 0  # collections open
    key: str | None = None  # the root key being read, at depth 1
    expect_key = False
    marge_key: str | None = None  # in a marge's mapping: its key being read
    marge_ids: list[str | None] = []
    marges_clear = True
    for event in events:
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if depth == 0 and not isinstance(event, yaml.MappingStartEvent):
                return None  # not a mapping at the root
            if depth == 1 and key == "marges" and isinstance(event, yaml.SequenceStartEvent):
                pass
            elif depth == 2 and key == "marges":
                if isinstance(event, yaml.MappingStartEvent):
                    marge_ids.append(None)
                    marge_key = None
                else:
                    marges_clear = False
            elif depth == 1 and key == "marges":
                marges_clear = False  # « marges » is a mapping: not a list
            elif depth == 3 and key == "marges":
                marge_key = None  # a list or mapping is the value of the marge's key
            depth += 1
            if depth == 1:
                expect_key = True
            elif depth == 2:
                expect_key = False
            continue
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
            if depth == 1:
                expect_key = True
                if key == "marges" and facts.id is not None and "coeur" in facts.keys:
                    break  # a descriptor whose id and marges are known: the rest is not needed
            continue
        if isinstance(event, yaml.AliasEvent) and depth == 1 and not expect_key:
            if key == "marges":
                marges_clear = False
            expect_key = True
            continue
        if not isinstance(event, yaml.ScalarEvent):
            continue
        if depth == 1:
            if expect_key:
                key = event.value
                facts.keys.add(key)
            elif key == "id":
                facts.id = event.value
            elif key == "marges" and event.value not in ("", "~", "null"):
                marges_clear = False
            expect_key = not expect_key
        elif depth == 3 and key == "marges" and marge_ids:
            if marge_key is None:
                marge_key = event.value
            else:
                if marge_key == "id":
                    marge_ids[-1] = event.value
                marge_key = None
    if not marges_clear or None in marge_ids:  # after the loop, or its early end
        facts.marges = None
    else:
        facts.marges = {i for i in marge_ids if i is not None}
    return facts


def load_file(path: str | Path, shown_as: str) -> LoadResult:
    """Load a YAML file from disk; I/O problems become a finding rather than an exception.

    Only a regular file is read, and never more than MAX_BYTES (see `confinement`).
    """
    try:
        raw = read_regular_file(Path(path), MAX_BYTES)
    except TooLarge as exc:
        too_big = _too_big(exc.size_read)
        finding = Finding(shown_as, 1, 1, "$", too_big.code, Severity.ERREUR, too_big.message)
        return LoadResult(None, [finding])
    except Unreadable as exc:
        finding = Finding(shown_as, 1, 1, "$", "Y001", Severity.ERREUR, str(exc))
        return LoadResult(None, [finding])
    return load_bytes(raw, shown_as)
