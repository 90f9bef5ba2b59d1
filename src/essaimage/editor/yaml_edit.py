"""The editor's data written into the file's text, changing only the values that changed.

ruamel.yaml's round trip keeps comments, key order and quoting; but dumped whole, it may still
re-fold a plain scalar continued on the next line. So the file's tree is dumped twice, unchanged
(B) and changed (M), and only the hunks of B → M are applied to the original's lines, through the
lines B and the original share: every other line stays byte for byte. The result is read back by
essaimage's own loader and must give the data asked for.
"""

from __future__ import annotations

import difflib
import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from ..check.loader import load_bytes

_AMBIGUOUS = {"yes", "no", "on", "off", "true", "false", "null", "~", "y", "n"}


def _yaml(text: str) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1 << 20
    sequence, offset = _sequence_indent(text)
    yaml.indent(mapping=2, sequence=sequence, offset=offset)
    return yaml


def _sequence_indent(text: str) -> tuple[int, int]:
    """ruamel's (sequence, offset) for the file's first block list: `- ` under its key's
    column (2, 0) or indented (4, 2)."""
    lines = text.splitlines()
    for before, line in zip(lines, lines[1:], strict=False):
        stripped = line.lstrip(" ")
        if stripped.startswith("- ") and before.rstrip().endswith(":"):
            dash = len(line) - len(stripped)
            parent = len(before) - len(before.lstrip(" "))
            offset = max(0, dash - parent)
            return offset + 2, offset
    return 4, 2


def _scalar(text: str) -> Any:
    if "\n" in text.rstrip("\n") and not text.startswith((" ", "\t")) and "\t" not in text:
        return LiteralScalarString(text)
    if (
        text.strip().lower() in _AMBIGUOUS
        or (text[:1] == "0" and text.isdigit() and len(text) > 1)
        or text != text.strip()
        or not text
        or not text.isprintable()
    ):
        return DoubleQuotedScalarString(text)
    return text


def _build(value: Any) -> Any:
    if isinstance(value, dict):
        built = CommentedMap()
        for key, item in value.items():
            built[key] = _build(item)
        return built
    if isinstance(value, list):
        return CommentedSeq([_build(item) for item in value])
    return _scalar(value) if isinstance(value, str) else value


def _apply(node: Any, old: Any, new: Any) -> Any:
    """`node` (ruamel's) changed where `old` and `new` (essaimage's readings) differ."""
    if old == new:
        return node
    if isinstance(new, dict) and isinstance(old, dict) and isinstance(node, CommentedMap):
        for key in [k for k in old if k not in new]:
            del node[key]
        previous = -1
        for key, value in new.items():
            if key in old and key in node:
                node[key] = _apply(node[key], old[key], value)
                previous = list(node).index(key)
            else:
                previous += 1
                node.insert(previous, key, _build(value))
        return node
    if isinstance(new, list) and isinstance(old, list) and isinstance(node, CommentedSeq):
        while len(node) > len(new):
            del node[len(new)]
        for index, value in enumerate(new):
            if index < len(old):
                node[index] = _apply(node[index], old[index], value)
            else:
                node.append(_build(value))
        return node
    return _build(new)


def _dump(yaml: YAML, data: Any) -> list[str]:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue().splitlines(keepends=True)


def updated_text(original: str, old: Any, new: Any) -> str:
    """The file's text with `new` written in place of `old` (both essaimage's readings: texts,
    None, lists, mappings); only the lines of the values that changed differ. ValueError when
    the result would not read back as `new`."""
    if old == new:
        return original
    yaml = _yaml(original)
    unchanged = _dump(yaml, yaml.load(original))
    tree = yaml.load(original)
    changed = _dump(yaml, _apply(tree, old, new))
    lines = original.splitlines(keepends=True)
    to_original = _line_map(unchanged, lines)
    result: list[str] = []
    done = 0
    hunks = difflib.SequenceMatcher(None, unchanged, changed, autojunk=False).get_opcodes()
    for tag, b1, b2, m1, m2 in hunks:
        if tag == "equal":
            continue
        start, end = to_original(b1), to_original(b2)
        result += lines[done:start] + changed[m1:m2]
        done = end
    result += lines[done:]
    text = "".join(result)
    loaded = load_bytes(text.encode("utf-8"), "brouillon.yaml")
    if loaded.document is None or loaded.document.data != new:
        raise ValueError("the edited text does not read back as the data asked for")
    return text


def _line_map(unchanged: list[str], lines: list[str]) -> Any:
    """A function from a line index of B to the matching index in the original's lines."""
    blocks = difflib.SequenceMatcher(None, unchanged, lines, autojunk=False).get_opcodes()

    def index(b: int) -> int:
        for tag, b1, b2, o1, o2 in blocks:
            if b1 <= b < b2 or (b == b2 == len(unchanged)):
                return o1 + (b - b1) if tag == "equal" else (o1 if b == b1 else o2)
        return len(lines)

    return index
