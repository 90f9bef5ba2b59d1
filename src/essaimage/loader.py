"""Read one YAML file into plain data plus a source map, safely.

The YAML is parsed into events by libyaml (the C parser) when it is available, and the tree is
built here, so that nothing is ever constructed from a tag, every value keeps its line and column,
duplicate keys are caught, and size, depth and alias limits hold. Scalars stay text (or None for a
plain null): the schema types them, not YAML 1.1 implicit typing (`01053` stays "01053").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

import yaml

from .confinement import TooLarge, Unreadable, read_regular_file
from .findings import Finding, Severity

_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_ALIASES = 100
# Values produced once aliases are expanded: bounds a "billion laughs" file that stays under MAX_ALIASES.
MAX_EXPANDED_NODES = 200_000

_NULLS = {"", "~", "null", "Null", "NULL"}
_CORE = "tag:yaml.org,2002:"
_HARMLESS_TAGS = {"!", _CORE + "str", _CORE + "seq", _CORE + "map"}

PathKey = tuple  # a JSON path as a tuple of str keys and int indexes


@dataclass(frozen=True)
class Pos:
    """A 1-based line and column in a file."""

    line: int
    column: int


@dataclass
class Document:
    """A loaded file: its data, where each value and key stands, and its text for code frames."""

    data: dict
    positions: dict[PathKey, Pos]
    key_positions: dict[PathKey, Pos]
    text: str

    def pos(self, path: PathKey) -> Pos:
        """Position of the value at `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path and path not in self.positions:
            path = path[:-1]
        return self.positions.get(path, Pos(1, 1))

    def key_pos(self, path: PathKey) -> Pos:
        """Position of the key that names the value at `path` (the value itself for list items)."""
        return self.key_positions.get(tuple(path)) or self.pos(path)


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


# --- the tree built from parser events -------------------------------------------------------


@dataclass
class _Scalar:
    value: str | None
    pos: Pos


@dataclass
class _Seq:
    pos: Pos
    items: list = field(default_factory=list)


@dataclass
class _Map:
    pos: Pos
    items: list = field(default_factory=list)  # (key node, value node) pairs


def path_to_str(path: PathKey) -> str:
    """A JSON path as users read it: `moyens.humains[0].etp`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "$"


def _pos(mark: Any) -> Pos:
    return Pos(mark.line + 1, mark.column + 1)


def show_tag(tag: str) -> str:
    """A tag as written in YAML (`!!python/object` rather than its long form)."""
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


class _Builder:
    """Builds the node tree from parser events, collecting non-fatal findings."""

    def __init__(self, file: str):
        self.file = file
        self.findings: list[Finding] = []
        self.anchors: dict[str, _Node] = {}
        self.alias_count = 0

    def error(
        self, code: str, message: str, pos: Pos, hint: str | None = None, path: PathKey = ()
    ) -> None:
        self.findings.append(
            Finding(
                self.file,
                pos.line,
                pos.column,
                path_to_str(path),
                code,
                Severity.ERREUR,
                message,
                hint,
            )
        )

    def check_tag(self, event: Any) -> None:
        tag = getattr(event, "tag", None)
        if tag is None or tag in _HARMLESS_TAGS:
            return
        self.error(
            "Y010",
            f"étiquette YAML « {show_tag(tag)} » interdite : essaimage ne lit que du texte, "
            "des listes et des tables",
            _pos(event.start_mark),
            "Retirez l'étiquette ; le format de chaque champ est fixé par essaimage.",
        )

    def build(self, events: Iterable[Any]) -> _Node | None:
        root: _Node | None = None
        stack: list[tuple[_Map | _Seq, str | None]] = []
        documents = 0
        for event in events:
            kind = type(event).__name__
            if kind == "DocumentStartEvent":
                documents += 1
                if documents > 1:
                    raise _LoadError(
                        "Y007",
                        "plusieurs documents dans un seul fichier : un fichier ne décrit "
                        "qu'une innovation ou qu'un territoire",
                        _pos(event.start_mark),
                        "Séparez les documents (« --- ») en plusieurs fichiers.",
                    )
                continue
            if kind in ("StreamStartEvent", "StreamEndEvent", "DocumentEndEvent"):
                continue
            if kind in ("MappingEndEvent", "SequenceEndEvent"):
                closed, anchor = stack.pop()
                if anchor:
                    self.anchors[anchor] = closed
                if not stack:
                    root = closed
                continue
            if kind == "AliasEvent":
                self.alias_count += 1
                if self.alias_count > MAX_ALIASES:
                    raise _LoadError(
                        "Y011",
                        f"plus de {MAX_ALIASES} alias YAML (« *nom ») dans le fichier",
                        _pos(event.start_mark),
                        "Écrivez les valeurs en entier plutôt que par des alias.",
                    )
                if event.anchor not in self.anchors:
                    raise _LoadError(
                        "Y005",
                        f"alias « *{event.anchor} » sans ancre « &{event.anchor} » définie avant lui",
                        _pos(event.start_mark),
                    )
                alias = _Alias(self.anchors[event.anchor], _pos(event.start_mark))
                if not stack:
                    root = alias
                else:
                    _attach(stack[-1][0], alias)
                continue
            self.check_tag(event)
            pos = _pos(event.start_mark)
            if kind == "ScalarEvent":
                plain = event.style in (None, "")
                value = None if plain and event.value in _NULLS else event.value
                scalar = _Scalar(value, pos)
                if event.anchor:
                    self.anchors[event.anchor] = scalar
                if not stack:
                    root = scalar
                else:
                    _attach(stack[-1][0], scalar)
                continue
            # a mapping or sequence starts
            if len(stack) >= MAX_DEPTH:
                raise _LoadError(
                    "Y012",
                    f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux)",
                    pos,
                )
            opened: _Map | _Seq = _Map(pos) if kind == "MappingStartEvent" else _Seq(pos)
            if stack:
                _attach(stack[-1][0], opened)
            stack.append((opened, event.anchor))
        return root


@dataclass
class _Alias:
    target: _Node
    pos: Pos


_Node = Union[_Scalar, _Seq, _Map, _Alias]


def _attach(parent: _Map | _Seq, node: _Node) -> None:
    if isinstance(parent, _Seq):
        parent.items.append(node)
        return
    # mappings receive key and value alternately
    if parent.items and len(parent.items[-1]) == 1:
        parent.items[-1] = (parent.items[-1][0], node)
    else:
        parent.items.append((node,))


# --- from nodes to plain data ----------------------------------------------------------------


class _Converter:
    def __init__(self, builder: _Builder):
        self.builder = builder
        self.positions: dict[PathKey, Pos] = {}
        self.key_positions: dict[PathKey, Pos] = {}
        self.count = 0

    def convert(self, node: _Node, path: PathKey, pos: Pos | None = None) -> Any:
        self.count += 1
        if self.count > MAX_EXPANDED_NODES:
            raise _LoadError(
                "Y011",
                f"le fichier compte plus de {MAX_EXPANDED_NODES} valeurs (alias développés "
                "compris)",
                pos or Pos(1, 1),
                "Écrivez les valeurs en entier plutôt que par des alias imbriqués.",
            )
        if len(path) > MAX_DEPTH:
            raise _LoadError(
                "Y012", f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux)", pos or Pos(1, 1)
            )
        if isinstance(node, _Alias):
            return self.convert(node.target, path, node.pos)
        self.positions[path] = pos or node.pos
        if isinstance(node, _Scalar):
            return node.value
        if isinstance(node, _Seq):
            return [self.convert(item, path + (i,)) for i, item in enumerate(node.items)]
        return self.convert_mapping(node, path)

    def convert_mapping(self, node: _Map, path: PathKey) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for pair in node.items:
            key_node, value_node = pair if len(pair) == 2 else (pair[0], _Scalar(None, node.pos))
            while isinstance(key_node, _Alias):
                key_node = key_node.target
            key_pos = key_node.pos
            if not isinstance(key_node, _Scalar) or key_node.value is None:
                self.builder.error(
                    "Y013",
                    "clé non textuelle : chaque clé doit être un mot (par exemple « nom »)",
                    key_pos,
                    path=path,
                )
                continue
            key = key_node.value
            if key in first_line:
                self.builder.error(
                    "Y009",
                    f"clé « {key} » en double : elle est déjà définie ligne {first_line[key]}",
                    key_pos,
                    "Gardez une seule fois cette clé ; la première valeur est celle retenue.",
                    path + (key,),
                )
                continue
            first_line[key] = key_pos.line
            child = path + (key,)
            self.key_positions[child] = key_pos
            out[key] = self.convert(value_node, child)
        return out


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
    builder = _Builder(file)
    text: str | None = None
    try:
        if len(raw) > MAX_BYTES:
            raise _too_big(len(raw))
        try:
            text = _decode(raw)
        except _LoadError:
            text = raw.decode("utf-8-sig", errors="replace")
            raise
        try:
            root = builder.build(yaml.parse(text, Loader=_Parser))
        except yaml.YAMLError as exc:
            raise _syntax_error(exc, text) from None
        if root is None or (isinstance(root, _Scalar) and root.value is None):
            raise _LoadError(
                "Y003",
                "fichier vide : il doit commencer par « essaimage: 1 »",
                Pos(1, 1),
                "Partez d'un exemple du dossier examples/.",
            )
        while isinstance(root, _Alias):
            root = root.target
        if not isinstance(root, _Map):
            raise _LoadError(
                "Y008",
                "le fichier doit être une table de clés (« essaimage: 1 », « id: … », …), "
                "pas une liste ni une valeur seule",
                root.pos,
            )
        converter = _Converter(builder)
        data = converter.convert(root, ())
    except _LoadError as exc:
        builder.error(exc.code, exc.message, exc.pos, exc.hint)
        return LoadResult(None, builder.findings, text)
    document = Document(data, converter.positions, converter.key_positions, text)
    return LoadResult(document, builder.findings, text)


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
