"""A YAML file's text with new data written into it, changing only the values that changed.

The file a person wrote is kept: its comments, key order, quoting, flow lists and blank lines stay
byte for byte; only the lines of the values that changed change. The work is done in four steps:

1. ruamel.yaml reads the text in round trip, with a resolver that types nothing (every scalar is
   text, like essaimage's own loader) and the file's own indentation (mapping indent, sequence
   indent and dash offset, detected from the text). Its reading, with plain nulls as None, must
   equal essaimage's (`old`); otherwise the tree cannot be trusted (merge keys « << », for
   instance) and a ValueError is raised.
2. `old` and `new` are walked in parallel and only their differences are applied to ruamel's tree:
   a changed value is replaced, a new key inserted after the previous key of `new` that exists, a
   removed key deleted; lists are compared item by item (difflib), so an item added, removed or
   moved touches only that item. Every new or changed text is put in the tree as a unique
   placeholder, so that its style is chosen here, not by ruamel.
3. ruamel alone would also rewrite lines nobody changed (a plain text continued on the next line is
   joined, a duplicate key dropped…). So the unchanged tree is dumped (B) and the changed one (M);
   the hunks of B→M (difflib on lines) are applied onto the original's lines through the line
   mapping of B↔original. A hunk that touches a line ruamel rewrote is widened to that line's whole
   rewritten block; every other line stays as in the original. Comment and blank lines that end a
   removed block are kept (ruamel attaches the comment that opens the next key to the previous
   value, and would delete it with that value).
4. Each placeholder is replaced by its text, written so that essaimage reads back exactly that
   text: plain when that reads back identically and no other YAML tool would type it (booleans,
   nulls, codes with a leading zero are quoted; « 12 000 », « 0,5 », « 1500 » stay plain), a
   literal block « | » for a multi-line text (« |- » without a final newline, « |+ » with several),
   otherwise double quotes with escapes. A single-quoted or double-quoted value keeps its quotes.
   The whole result is then read again by essaimage: its data must equal `new`, or a ValueError
   says what was not foreseen.

Line endings « \\r\\n » are kept (lines written anew take the file's most common ending), as are a
byte order mark and a missing final newline. A lone « \\r » as a line break is not supported (the
check of step 4 refuses it). Duplicate keys are read as essaimage reads them (the first value is
kept); a duplicate line outside every changed hunk stays, inside one it may be dropped.
"""

from __future__ import annotations

import difflib
import io
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

from ..check.loader import load_bytes

_NULLS = {"", "~", "null", "Null", "NULL"}
# Texts other YAML tools (YAML 1.1 or 1.2, an editor's language server) would read as a boolean
# or a null, and the French yes and no: quoted, though essaimage reads them as text either way.
_TYPED_WORDS = {"yes", "no", "on", "off", "true", "false", "null", "~", "y", "n", "oui", "non"}
_LEADING_ZERO = re.compile(r"[-+]?0[0-9]+")
_WIDTH = 1_000_000_000  # never fold a line
_CHECKED_AS = "<yaml_edit>"
_ESCAPES = {
    "\0": "\\0", "\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f",
    "\r": "\\r", "\x1b": "\\e", '"': '\\"', "\\": "\\\\", "\x85": "\\N", "\u2028": "\\L",
    "\u2029": "\\P",
}  # fmt: skip


class _TextResolver(VersionedResolver):
    """Types no scalar: every value is read as text, as essaimage's loader reads it."""

    @property
    def versioned_resolver(self) -> Any:
        return {}


@dataclass(frozen=True)
class _Indentation:
    """How a file indents: a mapping's keys, a sequence's items, and the dash inside them."""

    mapping: int = 2
    sequence: int = 4
    offset: int = 2


@dataclass
class _Placeholder:
    """A new or changed value, written in the tree as `token` until its text is chosen."""

    value: str | None
    flow: bool  # inside a flow collection: neither a block nor an empty value
    quote: str  # the old value's quotes (« ' » or « " »), kept when they can hold the new one


@dataclass
class _Edit:
    """The placeholders put in ruamel's tree while the differences are applied."""

    prefix: str
    placeholders: dict[str, _Placeholder] = field(default_factory=dict)

    def placeholder(self, value: str | None, flow: bool, quote: str = "") -> str:
        token = f"{self.prefix}{len(self.placeholders)}z"
        self.placeholders[token] = _Placeholder(value, flow, quote)
        return token


def updated_text(original: str, old: Any, new: Any) -> str:
    """The file's text with `new` written in place of `old`, every other byte kept.

    `old` is essaimage's reading of `original` (`load_bytes(...).document.data`), `new` the data
    wanted, in the same shapes (dicts with text keys, lists, texts, None). The result's reading by
    essaimage equals `new`; it differs from `original` only on the lines of the values that differ.
    Raises ValueError when the file cannot be edited faithfully (see the module's docstring).
    """
    if old == new:
        return original
    _check_shapes(new)
    if not isinstance(new, dict):
        raise ValueError("the new data must be a mapping, like the file's root")
    bom = "\ufeff" if original.startswith("\ufeff") else ""
    raw = _lines(original[len(bom) :])
    newline = _common_ending(raw)
    lines = [line.rstrip("\r\n") for line in raw]
    yaml = _round_trip()
    try:
        tree = yaml.load("".join(line + "\n" for line in lines))
    except YAMLError as exc:
        raise ValueError(f"ruamel.yaml cannot read this file: {exc}") from None
    indentation = _indentation(tree)
    yaml.indent(
        mapping=indentation.mapping, sequence=indentation.sequence, offset=indentation.offset
    )
    if _plain(tree) != old:
        raise ValueError("ruamel.yaml does not read this file as essaimage does; not edited")
    before = _dump(yaml, tree)
    edit = _Edit(_unused_prefix(original))
    _apply_map(edit, tree, old, new, False)
    patched = _patch(raw, lines, before, _dump(yaml, tree), newline)
    final_newline = original.endswith("\n")
    for keep_blocks in (True, False):  # « |+ » may take in the blank lines that follow it
        result = bom + _join(_substitute(patched, edit, indentation, keep_blocks), newline,
                             final_newline)  # fmt: skip
        if _verify(result, new):
            return result
    raise ValueError("the edited text does not read back as the new data (a case not foreseen)")


# --- reading the file ------------------------------------------------------------------------


def _check_shapes(value: Any) -> None:
    """Refuse data essaimage could never read back (numbers, booleans, non-text keys…)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"a mapping key must be a str, not {type(key).__name__}")
            _check_shapes(item)
    elif isinstance(value, list):
        for item in value:
            _check_shapes(item)
    elif value is not None and not isinstance(value, str):
        raise ValueError(f"a value must be a str or None, not {type(value).__name__}")


def _lines(text: str) -> list[str]:
    """The text's lines, each with its own ending (only « \\n » ends a line)."""
    parts = text.split("\n")  # not splitlines: it also cuts at form feeds, U+2028…
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _common_ending(raw_lines: list[str]) -> str:
    crlf = sum(1 for line in raw_lines if line.endswith("\r\n"))
    return "\r\n" if crlf * 2 > len(raw_lines) else "\n"


def _indentation(tree: Any) -> _Indentation:
    """The mapping indent, sequence indent and dash offset of the first nested blocks of the
    tree (ruamel knows where each key and item starts)."""
    mapping: int | None = None
    dashes: tuple[int, int] | None = None
    for parent, child in _nested_blocks(tree):
        column = parent.lc.col if isinstance(parent, CommentedMap) else parent.lc.item(0)[1]
        if isinstance(child, CommentedMap) and mapping is None:
            mapping = child.lc.col - column
        if isinstance(child, CommentedSeq) and dashes is None and isinstance(parent, CommentedMap):
            dashes = (child.lc.item(0)[1] - column, child.lc.col - column)
        if mapping is not None and dashes is not None:
            break
    mapping = mapping if mapping and mapping > 0 else 2
    if dashes is None or dashes[1] < 0 or dashes[0] < dashes[1] + 2:
        return _Indentation(mapping, mapping + 2, mapping)
    return _Indentation(mapping, dashes[0], dashes[1])


def _nested_blocks(node: Any) -> Iterator[tuple[Any, Any]]:
    """(parent, child) for each block collection inside a block mapping, in the file's order."""
    if _is_flow(node) or not node:
        return
    children = node.values() if isinstance(node, CommentedMap) else node
    for child in children:
        if isinstance(child, (CommentedMap, CommentedSeq)) and child and not _is_flow(child):
            if isinstance(node, CommentedMap):
                yield node, child
            yield from _nested_blocks(child)


def _round_trip() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Resolver = _TextResolver
    yaml.preserve_quotes = True
    yaml.width = _WIDTH
    yaml.allow_duplicate_keys = True  # essaimage reads them (a finding); ruamel keeps the first
    return yaml


def _dump(yaml: YAML, tree: Any) -> list[str]:
    stream = io.StringIO()
    yaml.dump(tree, stream)
    return stream.getvalue().split("\n")[:-1]  # lines without their ending


def _plain(node: Any) -> Any:
    """ruamel's reading as essaimage's: a plain empty, « ~ » or « null » is None."""
    if isinstance(node, dict):
        return {str(key): _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(item) for item in node]
    if type(node) is str and node in _NULLS:
        return None
    return str(node) if node is not None else None


def _unused_prefix(text: str) -> str:
    prefix = "zzessaimage"
    while prefix in text:
        prefix += "z"
    return prefix


# --- applying the differences to ruamel's tree -----------------------------------------------


def _apply_map(edit: _Edit, node: Any, old: dict, new: dict, flow: bool) -> None:
    """Make ruamel's mapping `node` (read as `old`) hold `new`, touching only what differs."""
    flow = flow or _is_flow(node)
    for key in old:
        if key not in new:
            del node[key]
    previous = -1
    for key, value in new.items():
        if key in old:
            if old[key] != value:
                _set(edit, node, key, old[key], value, flow)
            previous = list(node.keys()).index(key)
        else:
            previous += 1
            node.insert(previous, key, _build(edit, value, flow))


def _apply_list(edit: _Edit, node: Any, old: list, new: list, flow: bool) -> None:
    """Make ruamel's sequence `node` hold `new`: equal items stay, others are set, added or
    removed where difflib places them."""
    flow = flow or _is_flow(node)
    matcher = difflib.SequenceMatcher(
        None, [_fingerprint(item) for item in old], [_fingerprint(item) for item in new],
        autojunk=False,
    )  # fmt: skip
    for tag, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1)
        for k in range(paired):
            _set(edit, node, i1 + k, old[i1 + k], new[j1 + k], flow)
        for k in range(j1 + paired, j2):
            node.insert(i1 + k - j1, _build(edit, new[k], flow))
        for index in range(i2 - 1, i1 + paired - 1, -1):
            del node[index]


def _set(edit: _Edit, parent: Any, key: Any, old: Any, new: Any, flow: bool) -> None:
    current = parent[key]
    if isinstance(old, dict) and isinstance(new, dict) and isinstance(current, CommentedMap):
        _apply_map(edit, current, old, new, flow)
    elif isinstance(old, list) and isinstance(new, list) and isinstance(current, CommentedSeq):
        _apply_list(edit, current, old, new, flow)
    else:
        parent[key] = _build(edit, new, flow, _quote_of(current))


def _build(edit: _Edit, value: Any, flow: bool, quote: str = "") -> Any:
    """A new value for ruamel's tree, in block style, its texts as placeholders."""
    if isinstance(value, dict):
        mapping = CommentedMap()
        for key, item in value.items():
            mapping[key] = _build(edit, item, flow)
        return mapping
    if isinstance(value, list):
        return CommentedSeq(_build(edit, item, flow) for item in value)
    return edit.placeholder(value, flow, quote)


def _is_flow(node: Any) -> bool:
    return bool(node.fa.flow_style()) if hasattr(node, "fa") else False


def _quote_of(value: Any) -> str:
    if isinstance(value, SingleQuotedScalarString):
        return "'"
    if isinstance(value, DoubleQuotedScalarString):
        return '"'
    return ""


def _fingerprint(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# --- the dump's hunks onto the original's lines ----------------------------------------------


@dataclass(frozen=True)
class _Diff:
    """difflib's opcodes between the dump B and another text, B's ranges first."""

    blocks: Sequence[tuple[str, int, int, int, int]]  # (tag, B from, B to, other from, other to)


def _diff(b_lines: list[str], other: list[str]) -> _Diff:
    matcher = difflib.SequenceMatcher(None, b_lines, other, autojunk=False)
    return _Diff(matcher.get_opcodes())


def _patch(
    raw: list[str], original: list[str], before: list[str], after: list[str], newline: str
) -> list[str]:
    """The original's lines (`raw`, with their endings; `original` without) with the hunks of
    `before`→`after` applied; `before` is ruamel's dump of the unchanged tree."""
    rewritten = _diff(before, original)
    changed = _diff(before, after)
    result = list(raw)
    for low, high in reversed(_regions(changed, rewritten)):
        start, end = _position(rewritten, low, True, True), _position(rewritten, high, False, True)
        a_start = _position(changed, low, True, False)
        a_end = _position(changed, high, False, False)
        added = _keep_trailing_comments(before[low:high], after[a_start : max(a_start, a_end)])
        result[start : max(start, end)] = [line + newline for line in added]
    return result


def _regions(changed: _Diff, rewritten: _Diff) -> list[tuple[int, int]]:
    """The ranges of B's lines to replace: the changed hunks, widened to the whole blocks ruamel
    rewrote that they touch, and merged when they meet."""
    own = [(b1, b2) for tag, b1, b2, _, _ in changed.blocks if tag != "equal"]
    blocks = own + [(b1, b2) for tag, b1, b2, _, _ in rewritten.blocks if tag != "equal"]
    regions: list[tuple[int, int]] = []
    for low, high in own:
        grown = True
        while grown:
            grown = False
            for x1, x2 in blocks:
                if _meets(low, high, x1, x2) and (x1 < low or x2 > high):
                    low, high, grown = min(low, x1), max(high, x2), True
        regions.append((low, high))
    merged: list[tuple[int, int]] = []
    for low, high in sorted(regions):
        if merged and (low < merged[-1][1] or low == merged[-1][1] == merged[-1][0]):
            merged[-1] = (merged[-1][0], max(high, merged[-1][1]))
        else:
            merged.append((low, high))
    return merged


def _meets(low: int, high: int, x1: int, x2: int) -> bool:
    """Whether the block [x1, x2) of B cuts the region [low, high) or holds its boundary."""
    if x1 == x2:  # lines only the other side has, between two lines of B
        return low < x1 < high
    if low == high:
        return x1 < low < x2
    return x1 < high and low < x2


def _position(diff: _Diff, b: int, start: bool, keep: bool) -> int:
    """Where the boundary before B's line `b` falls on the other side. At lines only that side
    has, a region takes them in, or leaves them out when they are to be `keep`t (the
    original's lines ruamel would drop)."""
    found: list[int] = []
    for tag, b1, b2, o1, o2 in diff.blocks:
        if tag == "equal" and b1 <= b <= b2:
            found.append(o1 + b - b1)
        elif tag != "equal":
            found.extend(o for edge, o in ((b1, o1), (b2, o2)) if edge == b)
    return max(found) if start == keep else min(found)


def _keep_trailing_comments(removed: list[str], added: list[str]) -> list[str]:
    """`added`, followed by the comment and blank lines that end `removed` when ruamel dropped
    them all: they open what follows the removed block."""
    tail: list[str] = []
    for line in reversed(removed):
        if line.strip() and not line.lstrip().startswith("#"):
            break
        tail.insert(0, line)
    comments = [line for line in tail if line.strip()]
    if not comments or any(line in added for line in comments):
        return added
    return added + tail


# --- the placeholders' texts -----------------------------------------------------------------


def _substitute(
    lines: list[str], edit: _Edit, indentation: _Indentation, keep_blocks: bool
) -> list[str]:
    """The lines with each placeholder replaced by its text; a block's lines follow its line."""
    # ruamel gives a value set in place of a quoted one the same quotes: they go with the token.
    pattern = re.compile(r"(['\"]?)(" + re.escape(edit.prefix) + r"[0-9]+z)\1")
    result: list[str] = []
    for line in lines:
        if edit.prefix not in line:
            result.append(line)
            continue
        body = line.rstrip("\r\n")
        ending = line[len(body) :]
        block: list[str] = []
        for token in reversed(list(pattern.finditer(body))):
            inline, content = _scalar(edit.placeholders[token.group(2)], keep_blocks)
            if content:
                column = _owner_column(body[: token.start()]) + max(indentation.mapping, 2)
                block = [(" " * column + text if text else "") + ending for text in content]
            head, tail = body[: token.start()], body[token.end() :]
            body = (head.rstrip() if not inline and not tail.strip() else head + inline) + tail
        result.append(body + ending)
        result.extend(block)
    return result


def _owner_column(before: str) -> int:
    """The column of the key (or the dash) a block scalar's content is indented from."""
    stripped = before.rstrip()
    if stripped.endswith(":"):
        return len(before) - len(before.lstrip(" -"))
    return len(stripped) - 1


def _scalar(placeholder: _Placeholder, keep_blocks: bool) -> tuple[str, list[str]]:
    """A value's text on its line, and the content lines of a block (empty for the others)."""
    value = placeholder.value
    if value is None:
        return ("~" if placeholder.flow else ""), []
    if "\n" in value and not placeholder.flow:
        block = _literal(value)
        if block is not None and (keep_blocks or not block[0].endswith("+")):
            return block[0], block[1]
    if placeholder.quote == "'" and _reads_back(_single_quoted(value), value, placeholder.flow):
        return _single_quoted(value), []
    if placeholder.quote != '"' and _plain_is_safe(value, placeholder.flow):
        return value, []
    return _double_quoted(value), []


def _plain_is_safe(value: str, flow: bool) -> bool:
    """Whether `value` may be written plain: read back identically by essaimage, and not a
    boolean, a null or a code with a leading zero for other YAML tools."""
    if not value or value != value.strip() or not all(_printable(char) for char in value):
        return False  # a tab is shown as an escape: invisible, and some tools refuse it
    if value.lower() in _TYPED_WORDS or _LEADING_ZERO.fullmatch(value):
        return False
    return _reads_back(value, value, flow)


def _reads_back(written: str, value: str, flow: bool) -> bool:
    text = f"k: [{written}]\n" if flow else f"k: {written}\n"
    loaded = load_bytes(text.encode("utf-8", "surrogatepass"), _CHECKED_AS).document
    return loaded is not None and loaded.data == {"k": [value] if flow else value}


def _literal(value: str) -> tuple[str, list[str]] | None:
    """A multi-line text as a literal block: its header (« | », « |- », « |+ ») and its lines;
    None when a block cannot hold it (a first line starting with a space, a control
    character…)."""
    if not all(char == "\t" or char == "\n" or _printable(char) for char in value):
        return None
    if value.endswith("\n"):
        body, header = value[:-1], "|+" if value.endswith("\n\n") else "|"
    else:
        body, header = value, "|-"
    content = body.split("\n")
    first = next((line for line in content if line), None)
    if first is None or first.startswith(" "):  # its indentation would be read as the block's
        return None
    written = header + "\n" + "".join(("  " + line if line else "") + "\n" for line in content)
    loaded = load_bytes(("k: " + written).encode("utf-8", "surrogatepass"), _CHECKED_AS).document
    if loaded is None or loaded.data != {"k": value}:
        return None
    return header, content


def _printable(char: str) -> bool:
    """A character YAML prints as is (its printable set, line breaks other than « \\n » and
    the byte order mark excepted)."""
    code = ord(char)
    return (
        0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        and code != 0xFEFF
        or 0x10000 <= code <= 0x10FFFF
    ) and char not in "\u2028\u2029"


def _single_quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _double_quoted(value: str) -> str:
    return '"' + "".join(_escaped(char) for char in value) + '"'


def _escaped(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    if _printable(char):
        return char
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


# --- the result ------------------------------------------------------------------------------


def _join(lines: list[str], newline: str, final_newline: bool) -> str:
    """The lines as one text: each but the last ends with a line break, the last one only if
    the original's did."""
    fixed = [line if line.endswith("\n") else line + newline for line in lines[:-1]]
    fixed.extend(lines[-1:])
    text = "".join(fixed)
    if not final_newline:
        text = text.rstrip("\r\n") if text.endswith("\n") else text
    elif not text.endswith("\n"):
        text += newline
    return text


def _verify(result: str, new: Any) -> bool:
    """Whether essaimage reads `result` as `new`."""
    try:
        raw = result.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"a value cannot be written in UTF-8: {exc}") from None
    loaded = load_bytes(raw, _CHECKED_AS).document
    return loaded is not None and loaded.data == new
