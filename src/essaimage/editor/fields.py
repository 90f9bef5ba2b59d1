"""The form's fields: a file's data as a tree of fields described by the models, and back.

The loader reads every scalar as text, so the form deals only in texts: a field's `value` is the
text in the file, and the models type it later, when the file is checked again.

Kinds. Each model field gets a kind from its annotation (read as `format.reference` reads it
for `docs/champs.md`, through `format.annotations`): `texte`, `markdown`, `nombre`, `entier`,
`date`, `annee_ou_date`, `oui_non`, `choix` (an enumeration, with its French labels), `base`,
`lien`, `courriel`, `identifiant`, `licence`, `groupe` (a nested model), `liste` and `table` (a
dict). Unions are decided from the data, so that every value of a file shows:

- « nombre ou texte » (`valeur`) is a `texte`; « année ou date » an `annee_ou_date`;
- « texte ou liste de textes » (`one_or_many`) is a `liste` of texts: a single text in the file
  shows as a one-item list, and stays a single text while the list keeps one item;
- « liste de textes ou d'options de marge » (`options`) is a `liste` whose items are decided one
  by one: a text item is a `texte`, a table item a `groupe`; « Ajouter » adds a text (the
  simpler kind, whatever the other items are) and « Ajouter … avec ses champs » a group (the
  node's `group_item` says the list offers both);
- « texte ou liste de choix par sites » (a marge's `choix`) is a `texte`, or a `liste` of groups
  when the file holds a list.

Wrong shapes. A file with errors is edited too, and nothing in it is hidden: a value whose shape
is not the field's (a list where a text is expected, a text where a group or a list is, a text
in a list of groups) shows as a `texte` node whose value is the value as YAML flow text
(`[a, b]`); a key the model does not know is an `unknown` node, its value a text or flow text.
On submit such a node keeps its value exactly while its text is unchanged; a changed text
replaces the value by that text, an empty one removes the key (as any field's). A root that is
not a table shows as a `texte` node of name "" that the form does not change.

Names. A node's `name` is its path dotted, list indexes as numbers; `~` and `.` in keys are
written `~0` and `~1` (as JSON Pointer does). `path_of` reads segments made of digits as list
indexes; the tree's nodes carry their exact `path`. The key field beside a table's « Ajouter »
button is named `NAME.+` (a table key `+` would share that name).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Union

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ..files.discovery import is_configuration
from ..format import licences, models, scalars
from ..format.annotations import enumeration_labels, unwrap, validators
from ..format.scalars import Base

NBSP = "\u00a0"
SCALAR_KINDS = frozenset(
    {
        "texte", "markdown", "nombre", "entier", "date", "annee_ou_date", "oui_non", "choix",
        "base", "lien", "courriel", "identifiant", "licence",
    }
)  # fmt: skip
KINDS = SCALAR_KINDS | {"groupe", "liste", "table"}
YES_NO = (("oui", "oui"), ("non", "non"))


@dataclass(frozen=True)
class Node:
    """One field of the form: a scalar (its text), a group, a list or a table (their nodes)."""

    name: str
    path: tuple[str | int, ...]
    title: str
    description: str
    example: str | None
    kind: str
    required: bool
    value: str | None
    choices: tuple[tuple[str, str], ...] = ()
    children: tuple[Node, ...] = ()
    item_title: str = ""
    unknown: bool = False
    group_item: bool = False  # a list of texts or groups: « Ajouter » may add either


class ActionRefused(Exception):
    """A structural action the form cannot apply; its message is in French, for the page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- names ---------------------------------------------------------------------------------


def name_of(path: tuple[str | int, ...]) -> str:
    """The form control's name of a path: `("moyens", "humains", 0, "role")` is
    `moyens.humains.0.role`; `~` and `.` in keys are written `~0` and `~1`."""
    return ".".join(map(_segment, path))


def _segment(part: str | int) -> str:
    """One segment of a name: a list index, or a key with `~` and `.` escaped."""
    return str(part) if isinstance(part, int) else str(part).replace("~", "~0").replace(".", "~1")


def path_of(name: str) -> tuple[str | int, ...]:
    """The path of a form control's name (see `name_of`); segments of digits are list indexes."""
    if not name:
        return ()
    return tuple(
        int(part)
        if part.isascii() and part.isdigit()
        else part.replace("~1", ".").replace("~0", "~")
        for part in name.split(".")
    )


# --- the kind of each field ----------------------------------------------------------------


@dataclass(frozen=True)
class _Spec:
    """What a field holds, read from its annotation. `union` holds `options`, decided by data."""

    kind: str
    choices: tuple[tuple[str, str], ...] = ()
    model: type[BaseModel] | None = None
    item: _Spec | None = None  # a list's items
    value: _Spec | None = None  # a table's values
    options: tuple[_Spec, ...] = ()  # a union's alternatives
    one_or_many: bool = False
    rule_keys: bool = False  # a table whose keys are rule codes


def _spec(annotation: Any, metadata: list[Any] | None = None) -> _Spec:
    """The kind of an annotation (the branches of `format.reference.describe`)."""
    annotation, metadata = unwrap(annotation, metadata)
    origin = typing.get_origin(annotation)
    found = validators(metadata)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if scalars.to_number_or_text in found:
            return _Spec("texte")
        if scalars.to_year_or_date in found:
            return _Spec("annee_ou_date")
        if scalars.to_number in found or set(args) <= {int, float}:
            return _Spec("nombre")
        if len(args) == 1:
            return _spec(args[0], metadata)
        return _Spec("union", options=tuple(_spec(a, metadata) for a in args))
    if origin is Literal:
        labels = enumeration_labels(typing.get_args(annotation))
        return _Spec("choix", choices=tuple(labels.items()))
    if origin is list:
        (item,) = typing.get_args(annotation)
        return _Spec("liste", item=_spec(item), one_or_many=models.one_or_many in found)
    if origin is dict:
        key, value = typing.get_args(annotation)
        rule_keys = models.RULE_CODE_KEY in unwrap(key)[1]
        return _Spec("table", value=_spec(value), rule_keys=rule_keys)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _Spec("groupe", model=annotation)
    return _Spec(
        _scalar_kind(annotation, metadata, found), choices=YES_NO if annotation is bool else ()
    )


def _scalar_kind(annotation: Any, metadata: list[Any], found: list[Any]) -> str:
    """The kind of a scalar annotation."""
    simple = {Base: "base", bool: "oui_non", int: "entier", float: "nombre", dt.date: "date"}
    if annotation in simple:
        return simple[annotation]
    if scalars.to_slug in found:
        return "identifiant"
    if scalars.to_link in found:
        return "lien"
    if scalars.to_email in found:
        return "courriel"
    if licences.to_spdx in found:
        return "licence"
    if any(isinstance(m, models.MarkdownText) for m in metadata):
        return "markdown"
    return "texte"


def _decided(spec: _Spec, value: Any) -> _Spec:
    """A union's alternative for this value: a group for a table, a list for a list, else the
    first scalar alternative."""
    if spec.kind != "union":
        return spec
    wanted: frozenset[str] = SCALAR_KINDS
    if isinstance(value, dict):
        wanted = frozenset({"groupe", "table"})
    elif isinstance(value, list):
        wanted = frozenset({"liste"})
    return next((o for o in spec.options if o.kind in wanted), spec.options[0])


def _fits(spec: _Spec, value: Any) -> bool:
    """Whether the value has the shape of the field (a missing or null value always has)."""
    if value is None or value is _ABSENT:
        return True
    if spec.kind in ("groupe", "table"):
        return isinstance(value, dict)
    if spec.kind == "liste":
        return isinstance(value, list) or (spec.one_or_many and isinstance(value, str))
    return isinstance(value, str)


def _new_item(spec: _Spec, group: bool = False) -> Any:
    """An empty item of this kind: `{}` for a group or a table, `""` for a text; for texts or
    groups (a union), a text unless `group` is asked."""
    if spec.kind == "union":
        return {} if group and _offers_group(spec) else ""
    return {} if spec.kind in ("groupe", "table") else ""


def _offers_group(spec: _Spec | None) -> bool:
    """Whether items of this kind may be a text or a group (a marge's `options`)."""
    return (
        spec is not None
        and spec.kind == "union"
        and {o.kind for o in spec.options} >= {"groupe"}
        and any(o.kind in SCALAR_KINDS for o in spec.options)
    )


# --- texts of values -----------------------------------------------------------------------

_FLOW_SIGNS = frozenset(",[]{}#:\"'\n\r\t&*!|>%@`")


def flow_text(value: Any) -> str:
    """A value as YAML flow text, how a value of the wrong shape shows in its field."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{flow_text(k)}: {flow_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow_text(v) for v in value) + "]"
    if value is None:
        return "~"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    plain = text and text == text.strip() and text[0] not in "-?~" and _FLOW_SIGNS.isdisjoint(text)
    return text if plain else json.dumps(text, ensure_ascii=False)


def _shown(value: Any) -> str | None:
    """The text a scalar node shows: the file's text, a flow text for any other shape."""
    if value is None or value is _ABSENT:
        return None
    return value if isinstance(value, str) else flow_text(value)


def _example(info: FieldInfo) -> str | None:
    """A field's first example as text."""
    if not info.examples:
        return None
    value = info.examples[0]
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def _title(model: type[BaseModel]) -> str:
    """A model's French title."""
    return str(model.model_config.get("title") or model.__name__)


# --- the tree ------------------------------------------------------------------------------


class _Absent:
    """A key the file does not have."""

    def __repr__(self) -> str:
        return "ABSENT"

    def __bool__(self) -> bool:
        return False


_ABSENT: Any = _Absent()
DataPath = tuple[Union[str, int], ...]  # a key or list index at each level


@dataclass
class _Place:
    """Where a node's value is in the data, and how the form may change it."""

    node: Node
    data_path: DataPath  # differs from the node's path for a one_or_many single text
    spec: _Spec | None  # None for an unknown key or a root of the wrong shape
    value: Any  # the data's value there, _ABSENT when the file lacks it
    parent: str | None  # the parent node's name
    role: str  # "root", "field", "item", "entry" or "unknown"


@dataclass
class _Tree:
    """A built tree: its root, every node's place by name, each group's model field order."""

    root: Node | None = None
    places: dict[str, _Place] = field(default_factory=dict)
    orders: dict[DataPath, tuple[str, ...]] = field(default_factory=dict)


UNKNOWN_KEY = f"Cette clé n'est pas connue du format{NBSP}; retirez-la, ou corrigez son nom."


@dataclass(frozen=True)
class _About:
    """What a node says of itself: title, description, example, whether it is required."""

    title: str
    description: str = ""
    example: str | None = None
    required: bool = False


@functools.cache
def _model_fields(model: type[BaseModel]) -> tuple[tuple[str, _Spec, _About], ...]:
    """Each field of a model: its key, its kind and what it says (read once per model)."""
    return tuple(
        (
            key,
            _spec(info.annotation, info.metadata),
            _About(info.title or key, info.description or "", _example(info), info.is_required()),
        )
        for key, info in model.model_fields.items()
    )


class _Builder:
    """Builds the nodes of one file's data, recording each one's place."""

    def __init__(self) -> None:
        self.tree = _Tree()
        self.names: dict[DataPath, str] = {(): ""}

    def name(self, path: DataPath) -> str:
        """`name_of(path)`, from the parent's name already made."""
        known = self.names.get(path)
        if known is None:
            parent = self.name(path[:-1])
            known = self.names[path] = (parent + "." if path[:-1] else "") + _segment(path[-1])
        return known

    def make(
        self,
        about: _About,
        path: DataPath,
        kind: str,
        spec: _Spec | None,
        raw: Any,
        role: str,
        **extra: Any,
    ) -> Node:
        """A node, its place recorded: `raw` is the data's value there, `extra` the node's value,
        choices, children…"""
        node = Node(
            self.name(path), path, about.title, about.description, about.example, kind,
            about.required, **extra,
        )  # fmt: skip
        parent = self.name(path[:-1]) if path else None
        self.tree.places[node.name] = _Place(node, path, spec, raw, parent, role)
        return node

    def root(self, data: Any, model: type[BaseModel]) -> Node:
        about = _About(_title(model), models.model_description(model), None, True)
        if data is not None and not isinstance(data, dict):
            return self.make(about, (), "texte", None, data, "root", value=flow_text(data))
        children = self.fields(data or {}, model, ())
        spec = _Spec("groupe", model=model)
        return self.make(about, (), "groupe", spec, data, "root", value=None, children=children)

    def fields(
        self, data: dict[Any, Any], model: type[BaseModel], path: DataPath
    ) -> tuple[Node, ...]:
        """A group's fields in the model's order, then the keys the model does not know."""
        self.tree.orders[path] = tuple(model.model_fields)
        out = []
        for key, spec, about in _model_fields(model):
            out.append(self.value(data.get(key, _ABSENT), spec, (*path, key), about, "field"))
        for key, value in data.items():
            if key not in model.model_fields:
                about = _About(str(key), UNKNOWN_KEY)
                shown = _shown(value)
                out.append(
                    self.make(
                        about,
                        (*path, key),
                        "texte",
                        None,
                        value,
                        "unknown",
                        value=shown,
                        unknown=True,
                    )
                )
        return tuple(out)

    def value(self, value: Any, spec: _Spec, path: DataPath, about: _About, role: str) -> Node:
        """The node of one value: a scalar, a group, a list or a table."""
        spec = _decided(spec, value)
        if not _fits(spec, value):
            return self.make(about, path, "texte", _Spec("texte"), value, role, value=_shown(value))
        if spec.kind in SCALAR_KINDS:
            shown = _shown(value)
            return self.make(
                about, path, spec.kind, spec, value, role, value=shown, choices=spec.choices
            )
        if spec.kind == "groupe":
            assert spec.model is not None
            children = self.fields(value if isinstance(value, dict) else {}, spec.model, path)
            return self.make(
                about, path, "groupe", spec, value, role, value=None, children=children
            )
        item_title = _item_title(spec, about.title)
        if spec.kind == "liste":
            children = self.items(value, spec, path, item_title)
        else:
            children = self.entries(value, spec, path)
        return self.make(
            about,
            path,
            spec.kind,
            spec,
            value,
            role,
            value=None,
            children=children,
            item_title=item_title,
            group_item=spec.kind == "liste" and _offers_group(spec.item),
        )

    def items(self, value: Any, spec: _Spec, path: DataPath, title: str) -> tuple[Node, ...]:
        """A list's items, numbered from 1 in their titles; a single text as one item."""
        assert spec.item is not None
        if isinstance(value, str):  # one_or_many: a single text, at the list's own key
            item = spec.item
            node = self.make(
                _About(f"{title} 1"), (*path, 0), item.kind, item, value, "item", value=value,
                choices=item.choices,
            )  # fmt: skip
            self.tree.places[node.name].data_path = path
            return (node,)
        out = []
        for index, item in enumerate(value if isinstance(value, list) else []):
            item_spec = _decided(spec.item, item)
            about = _About(f"{title} {index + 1}", _model_description(item_spec))
            out.append(self.value(item, item_spec, (*path, index), about, "item"))
        return tuple(out)

    def entries(self, value: Any, spec: _Spec, path: DataPath) -> tuple[Node, ...]:
        """A table's entries, titled by their keys."""
        assert spec.value is not None
        out = []
        for key, item in (value if isinstance(value, dict) else {}).items():
            item_spec = _decided(spec.value, item)
            about = _About(str(key), _model_description(item_spec))
            out.append(self.value(item, item_spec, (*path, key), about, "entry"))
        return tuple(out)


def _model_description(spec: _Spec) -> str:
    """The French description of a group's model, "" for a scalar."""
    return models.model_description(spec.model) if spec.model is not None else ""


def _item_title(spec: _Spec, field_title: str) -> str:
    """The title of one item of a list or table: its model's title (the richer alternative of
    a union), « Règle » for rule codes, else the field's title."""
    inner = spec.item if spec.kind == "liste" else spec.value
    if spec.rule_keys:
        return "Règle"
    candidates = inner.options if inner is not None and inner.kind == "union" else (inner,)
    for candidate in candidates:
        if candidate is not None and candidate.model is not None:
            return _title(candidate.model)
    return field_title or "Élément"


def _build(data: Any, model: type[BaseModel]) -> _Tree:
    """The tree of the data, with every node's place."""
    builder = _Builder()
    builder.tree.root = builder.root(data, model)
    return builder.tree


def form_tree(data: Any, model: type[BaseModel]) -> Node:
    """The form's tree of one file's data (from `check.loader`: texts, None, lists, tables).

    Every field of the model appears, present or not; nested groups always appear (their fields
    empty when absent); lists show their items and tables their entries. Keys the model does not
    know appear as `unknown` nodes, and values of the wrong shape as texts (see the module's
    docstring for what the form does with them). Never raises for the data's content.
    """
    root = _build(data, model).root
    assert root is not None
    return root


def model_for(data: Any, path: Path | None) -> type[BaseModel]:
    """The model of a file: the configuration by its name, else by its keys (a profile, a plan, a
    take-over report or an innovation descriptor)."""
    if path is not None and is_configuration(path):
        return models.Configuration
    return models.model_for(data)


# --- back from the form --------------------------------------------------------------------


class _Keep:
    """The submitted text means the file's value: nothing changes."""


_KEEP: Any = _Keep()


def _same_boolean(text: str, original: str) -> bool:
    """Whether two texts are the same yes or no as `scalars` reads them (`oui`, `true`…)."""
    try:
        return scalars.to_boolean(text) == scalars.to_boolean(original)
    except ValueError:
        return False


def _submitted(place: _Place, text: str) -> Any:
    """What a scalar node's submitted text makes of its value: `_KEEP`, `_ABSENT` (removed) or
    the new text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    original = place.value
    shown = _shown(original) or ""
    if text.strip() == shown.strip():
        return _KEEP
    kind = place.node.kind
    if kind == "oui_non" and isinstance(original, str) and _same_boolean(text, original):
        return _KEEP
    if not text.strip():
        return "" if place.role == "item" else _ABSENT
    if kind != "markdown":
        return text.strip()
    ending = "\n" if isinstance(original, str) and original.endswith("\n") else ""
    return text.lstrip("\n").rstrip() + ending


def _put(container: Any, key: Any, value: Any, order: tuple[str, ...] | None) -> None:
    """Set `container[key]`; a new key of a group goes after the previous model field present."""
    if isinstance(container, list) or key in container or order is None or key not in order:
        container[key] = value
        return
    earlier = order[: order.index(key)]
    items = list(container.items())
    at = max((i + 1 for i, (k, _) in enumerate(items) if k in earlier), default=0)
    items.insert(at, (key, value))
    container.clear()
    container.update(items)


def _set(root: Any, path: DataPath, value: Any, orders: Mapping[DataPath, tuple[str, ...]]) -> Any:
    """The data with `value` at `path`, the missing groups on the way created; returns the root
    (a new table when the file was empty)."""
    if not path:
        return value
    root = {} if root is None else root
    container = root
    for depth, key in enumerate(path[:-1]):
        inner = container[key] if _has(container, key) else None
        if not isinstance(inner, (dict, list)):
            inner = {}
            _put(container, key, inner, orders.get(path[:depth]))
        container = inner
    _put(container, path[-1], value, orders.get(path[:-1]))
    return root


def _has(container: Any, key: Any) -> bool:
    """Whether a table has the key, or a list the index."""
    if isinstance(container, dict):
        return key in container
    return isinstance(container, list) and isinstance(key, int) and 0 <= key < len(container)


def _at(root: Any, path: DataPath) -> Any:
    """The value at `path`, or `_ABSENT`."""
    value = root
    for key in path:
        if not _has(value, key):
            return _ABSENT
        value = value[key]
    return value


def _remove(root: Any, path: DataPath) -> None:
    """Remove the key or list item at `path`, if there."""
    container = _at(root, path[:-1])
    if isinstance(container, dict):
        container.pop(path[-1], None)
    elif isinstance(container, list) and isinstance(path[-1], int) and path[-1] < len(container):
        del container[path[-1]]


def data_from_form(data: Any, model: type[BaseModel], form: Mapping[str, str]) -> Any:
    """A new data tree: a deep copy of `data` where each scalar node of `form_tree(data, model)`
    named in `form` takes the submitted text.

    Line endings become `\\n`; a text that is the file's once stripped (or, for yes or no, means
    the same) keeps the file's text exactly; an empty text removes its key (a list item becomes
    an empty text, removed only by an action) and a missing field left empty is not created; a
    new key goes in the model's field order, its missing groups created on the way. A one_or_many
    single text stays a single text. Names that are not the tree's are ignored.
    """
    tree = _build(data, model)
    new = copy.deepcopy(data)
    if data is not None and not isinstance(data, dict):
        return new  # a root of the wrong shape: the form does not change it
    for name, place in tree.places.items():
        if name not in form or place.node.kind not in SCALAR_KINDS or place.role == "root":
            continue
        outcome = _submitted(place, form[name])
        if outcome is _KEEP:
            continue
        if outcome is _ABSENT:
            _remove(new, place.data_path)
        else:
            new = _set(new, place.data_path, outcome, tree.orders)
    return new


# --- structural actions --------------------------------------------------------------------

VERBS = ("ajouter", "ajouter-groupe", "retirer", "monter", "descendre")


def _quoted(text: str) -> str:
    """A text between French quotes, with their no-break spaces."""
    return f"«{NBSP}{text}{NBSP}»"


def apply_action(
    data: Any, model: type[BaseModel], action: str, form: Mapping[str, str]
) -> tuple[Any, str]:
    """The data after one of the form's buttons, and the name of the node to focus.

    `ajouter:NAME` appends an empty item to the list NAME (`{}` for a group, `""` for a text,
    `""` too for a list of texts or groups), or, for a table NAME, an entry whose key is
    `form[NAME + ".+"]`; `ajouter-groupe:NAME` appends `{}` to a list of texts or groups; `retirer:NAME` removes a
    list item, a table entry or an unknown key; `monter:NAME` and `descendre:NAME` move a list
    item. The action applies to `data_from_form(data, model, form)`, so typed values stay.
    Raises `ActionRefused` (a French message) for an action that cannot apply.
    """
    verb, colon, name = action.partition(":")
    if not colon or verb not in VERBS:
        raise ActionRefused(f"Action inconnue{NBSP}: {_quoted(action)}.")
    new = data_from_form(data, model, form)
    tree = _build(new, model)
    place = tree.places.get(name)
    if place is None:
        raise ActionRefused(_missing(tree, name))
    if verb in ("ajouter", "ajouter-groupe"):
        return _add(new, tree, place, form, group=verb == "ajouter-groupe")
    if verb == "retirer":
        return _drop(new, place)
    return _move(new, place, -1 if verb == "monter" else 1)


def _missing(tree: _Tree, name: str) -> str:
    """Why a name is not the form's: an item beyond its list's end, or no such field."""
    parent, _, last = name.rpartition(".")
    holder = tree.places.get(parent)
    if holder is not None and holder.node.kind == "liste" and last.isdigit():
        return f"La liste {_quoted(holder.node.title)} n'a pas d'élément n°{NBSP}{int(last) + 1}."
    return f"Le formulaire n'a pas de champ {_quoted(name)}."


def _add(
    new: Any, tree: _Tree, place: _Place, form: Mapping[str, str], group: bool = False
) -> tuple[Any, str]:
    """`ajouter`: an empty item appended to a list, or an entry of a new key added to a table;
    `group`: a group appended to a list of texts or groups."""
    node, spec = place.node, place.spec
    if spec is None or node.kind not in ("liste", "table"):
        raise ActionRefused(
            f"{_quoted(node.title)} n'est ni une liste ni une table{NBSP}: rien à y ajouter."
        )
    if group and not node.group_item:
        raise ActionRefused(
            f"Les éléments de {_quoted(node.title)} n'ont qu'une forme{NBSP}: choisissez "
            f"{_quoted('Ajouter')}."
        )
    current = place.value
    if node.kind == "liste":
        assert spec.item is not None
        items = [current] if isinstance(current, str) else list(current or [])
        items.append(_new_item(spec.item, group))
        return _set(new, place.data_path, items, tree.orders), name_of((*node.path, len(items) - 1))
    assert spec.value is not None
    key = form.get(node.name + ".+", "").strip()
    if not key:
        raise ActionRefused(f"Indiquez la clé de la nouvelle entrée de {_quoted(node.title)}.")
    entries = dict(current or {})
    if key in entries:
        raise ActionRefused(f"{_quoted(node.title)} a déjà une entrée {_quoted(key)}.")
    value = _new_item(spec.value)
    new = _set(new, (*place.data_path, key), value, tree.orders)
    return new, name_of((*node.path, key))


def _drop(new: Any, place: _Place) -> tuple[Any, str]:
    """`retirer`: a list item, a table entry or an unknown key removed; the parent focused."""
    if place.role not in ("item", "entry", "unknown"):
        raise ActionRefused(
            f"{_quoted(place.node.title)} ne se retire pas{NBSP}: seuls un élément de liste, une "
            "entrée de table ou une clé inconnue se retirent."
        )
    _remove(new, place.data_path)  # a single text (one_or_many): its key
    return new, place.parent or ""


def _move(new: Any, place: _Place, step: int) -> tuple[Any, str]:
    """`monter` (step -1) or `descendre` (step 1): a list item swapped with its neighbour."""
    node = place.node
    items = _at(new, place.data_path[:-1])
    if place.role != "item" or not isinstance(items, list):
        raise ActionRefused(
            f"{_quoted(node.title)} n'est pas un élément de liste{NBSP}: il ne se déplace pas."
        )
    index = node.path[-1]
    assert isinstance(index, int)
    target = index + step
    if not 0 <= target < len(items):
        where = "en tête" if step < 0 else "en fin"
        raise ActionRefused(f"{_quoted(node.title)} est déjà {where} de la liste.")
    items[index], items[target] = items[target], items[index]
    return new, name_of((*node.path[:-1], target))


# --- findings to fields --------------------------------------------------------------------


def _step(node: Node, rest: str) -> tuple[Node | None, str]:
    """The child of `node` that the start of a JSON path names, and the path left after it."""
    if rest.startswith("["):
        close = rest.find("]")
        inside = rest[1:close] if close > 0 else ""
        if len(inside) >= 2 and inside[0] == inside[-1] and inside[0] in "'\"":
            wanted: str | int = inside[1:-1].replace("\\" + inside[0], inside[0])
        elif inside.isdigit():
            wanted = int(inside)
        else:
            return None, rest
        for child in node.children:
            if child.path[-1] == wanted or (
                isinstance(wanted, int) and child.path[-1] == str(wanted)
            ):
                return child, rest[close + 1 :]
        return None, rest
    rest = rest.removeprefix(".")
    best: Node | None = None
    for child in node.children:
        key = str(child.path[-1])
        after = rest[len(key) : len(key) + 1]
        if (
            rest.startswith(key)
            and after in ("", ".", "[")
            and (best is None or len(key) > len(str(best.path[-1])))
        ):
            best = child
    if best is None:
        return None, rest
    return best, rest[len(str(best.path[-1])) :]


def field_for_finding(root: Node, json_path: str) -> str | None:
    """The name of the deepest node on a finding's JSON path (`$`, `moyens.humains[0].role`,
    `$.projets.pedibus`, `$['clé avec espace']`), or None for the root or a path off the tree."""
    rest = json_path.strip().removeprefix("$")
    node, found = root, None
    while rest:
        child, rest = _step(node, rest)
        if child is None:
            break
        node, found = child, child.name
    return found
