"""Validate loaded data against the models and turn pydantic errors into French findings.

Each pydantic error type has its French wording and finding code here; the position comes from the
loader's source map (a missing field is reported at the key of the mapping that lacks it, an
unknown key at the key itself, a wrong value at the value).
"""

from __future__ import annotations

import functools
import json
import types
import typing
from collections.abc import Callable, Sequence
from typing import Any, Union

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from ..findings import INTERNAL_HINT, Finding, Severity, internal_error
from ..format import models
from ..format.scalars import may_hold_controls, to_text
from ..text.french import nombre
from ..text.words import suggest
from . import catalogue
from .loader import Document, PathKey, Pos, path_to_str, value_at

MAX_SUGGESTIONS = 1000  # unknown keys in one file beyond which no suggestion is computed

_CUSTOM_CODES = {
    "version": "S100",
    "moyens_vides": "S105",
    "territoire_anonyme": "S101",
    "choix": "S103",
    "nombre": "S104",
    "milliers": "S114",
    "entier": "S104",
    "booleen": "S104",
    "type_valeur": "S104",
    "bornes": "S106",
    "lien": "S107",
    "courriel": "S108",
    "date": "S109",
    "slug": "S110",
    "base": "S111",
    "spdx": "S112",
    "chemin": "S113",
    "controle": "S113",
    "financement": "S113",
    "echeance": "S113",
    "echeancier": "S113",
    "phase": "S113",
    "cible": "S113",
}

_EXPECTED = {
    "string_type": "un texte",
    "int_type": "un nombre entier",
    "int_from_float": "un nombre entier",
    "float_type": "un nombre",
    "bool_type": "oui ou non",
    "list_type": "une liste (éléments précédés de « - »)",
    "model_type": "une table de clés (« clé: valeur » sur les lignes suivantes)",
    "model_attributes_type": "une table de clés (« clé: valeur » sur les lignes suivantes)",
    "dict_type": "une table de clés (« clé: valeur » sur les lignes suivantes)",
    "date_type": "une date",
}

_BOUNDS = {
    "greater_than": "doit être supérieur à {gt}",
    "greater_than_equal": "doit être supérieur ou égal à {ge}",
    "less_than": "doit être inférieur à {lt}",
    "less_than_equal": "doit être inférieur ou égal à {le}",
}


def validate_document(
    doc: Document, file: str, model_cls: type[BaseModel] | None = None
) -> tuple[BaseModel | None, list[Finding]]:
    """The validated model (None when invalid) and the findings of the schema check.

    The model is detected from the content unless `model_cls` is given.
    """
    model_cls = model_cls or models.model_for(doc.data)
    controls = control_findings(doc, file) if may_hold_controls(doc.text) else []
    controls += rule_key_findings(doc, model_cls, file)
    try:
        with models.without_plugins():
            model = model_cls.model_validate(doc.data)
        return (None, controls) if controls else (model, [])
    except ValidationError as exc:
        found = _translated(exc, doc, model_cls, file)
        said = {(finding.path, finding.code) for finding in found}  # a licence says S113 too
        return None, [*found, *(c for c in controls if (c.path, c.code) not in said)]
    except Exception as exc:  # noqa: BLE001 - a validator's own bug: said, the rest kept
        return None, [*controls, internal_error(file, exc)]


def rule_key_findings(doc: Document, model_cls: type[BaseModel], file: str) -> list[Finding]:
    """S103 at each key of a `regles` table that is no rule code of the catalogue, with the
    closest code. The models take any text there: the keys are checked here, after them, so
    that the format does not import the rules."""
    found = []
    for path in _expanded(doc.data, _regles_paths(model_cls)):
        table = value_at(doc.data, path)
        if not isinstance(table, dict):
            continue
        for key in table:
            problem = catalogue.rule_code_problem(key) if isinstance(key, str) else None
            if problem:
                where = (*path, key)
                pos, shown = doc.key_pos(where), path_to_str(where)
                message = f"« {shown} » : {problem}"
                found.append(
                    Finding(file, pos.line, pos.column, shown, "S103", Severity.ERREUR, message)
                )
    return found


@functools.cache
def _regles_paths(model_cls: type[BaseModel]) -> tuple[tuple[str | None, ...], ...]:
    """Where a model holds `regles` tables: field names, None for any item of a list."""
    out: list[tuple[str | None, ...]] = []
    for name, info in model_cls.model_fields.items():
        out.extend((info.alias or name, *rest) for rest in _regles_in(info.annotation))
    return tuple(out)


def _regles_in(annotation: Any) -> list[tuple[str | None, ...]]:
    annotation = _bare(annotation)
    origin = typing.get_origin(annotation)
    if origin is dict:
        key = typing.get_args(annotation)[0]
        marked = typing.get_origin(key) is typing.Annotated and any(
            m is models.RULE_CODE_KEY for m in key.__metadata__
        )
        return [()] if marked else []
    if origin is list:
        return [(None, *rest) for rest in _regles_in(typing.get_args(annotation)[0])]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(_regles_paths(annotation))
    return []


def _expanded(data: Any, patterns: Sequence[tuple[str | None, ...]]) -> list[PathKey]:
    """The paths of the data that these patterns name (None: each item of a list)."""
    paths: list[PathKey] = []
    for pattern in patterns:
        current: list[PathKey] = [()]
        for part in pattern:
            if part is None:
                current = [
                    (*path, i)
                    for path in current
                    if isinstance(items := value_at(data, path), list)
                    for i in range(len(items))
                ]
            else:
                current = [(*path, part) for path in current]
        paths.extend(current)
    return paths


def _translated(
    exc: ValidationError, doc: Document, model_cls: type[BaseModel], file: str
) -> list[Finding]:
    """The findings of a validation error, each error at its place; one that cannot be said is
    an internal error of the file, and the others are still said."""
    errors = exc.errors(include_url=False)
    bug: Exception | None = None
    try:
        errors = _branch_errors(errors, doc, model_cls)
    except Exception as problem:  # noqa: BLE001 - said, and pydantic's errors said as they come
        bug = problem
    # « vouliez-vous dire » for a reasonable number of unknown keys: a file of 100 000 of
    # them is checked in seconds, not minutes
    unknown = sum(1 for error in errors if error["type"] == "extra_forbidden")
    suggestions = unknown <= MAX_SUGGESTIONS
    typos = _typo_targets(errors, doc, model_cls) if suggestions else set()
    findings: dict[tuple, Finding] = {}
    if bug is not None:
        findings[("$", "X900")] = internal_error(file, bug)
    for error in errors:
        if error["type"] == "missing" and tuple(error["loc"]) in typos:
            continue  # already said by "clé inconnue … vouliez-vous dire …"
        try:
            finding = translate(error, doc, model_cls, file, suggestions)
        except Exception as problem:  # noqa: BLE001 - one error unsaid, not all of them
            finding = internal_error(file, problem)
        # union members report the same place several times: keep the first
        findings.setdefault((finding.path, finding.code), finding)
    return list(findings.values())


# --- unions: « a text or a mapping » ------------------------------------------------------------
#
# Pydantic checks a value against every branch of a union (a marge's option is a text or a
# mapping) and reports the errors of all of them, each location carrying the branch's tag
# (`OptionMarge`, `constrained-str`, `list[ChoixSites]`). Only the branch of the shape the file
# gives is said, at its own place: a mistake inside a mapping is that mapping's mistake, never
# « doit être un texte ». A value whose shape fits no branch is one finding that names them all.

_TYPES_ATTENDUS = "types_attendus"  # the error type of a value that fits no branch of a union


def _shape(value: object) -> str:
    """What a value is written as: a mapping, a list, or a single value (text, number, empty)."""
    if isinstance(value, dict):
        return "table"
    if isinstance(value, list):
        return "liste"
    return "valeur"


def _bare(annotation: Any) -> Any:
    """The annotation without Annotated and without the None of an optional value."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _expected_shape(annotation: Any) -> str:
    annotation = _bare(annotation)
    origin = typing.get_origin(annotation)
    if origin is list:
        return "liste"
    if origin is dict or (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        return "table"
    return "valeur"


def _branch(members: Sequence[Any], tag: object) -> Any:
    """The member of a union that a pydantic location tag names, or None when `tag` is not one
    (a model by its class name, a list or a mapping by `list[`/`dict[` in the tag, any other
    tag a single value)."""
    if not isinstance(tag, str) or tag == "[key]":
        return None
    for member in members:
        bare = _bare(member)
        if isinstance(bare, type) and issubclass(bare, BaseModel) and tag == bare.__name__:
            return member
    wanted = "liste" if "list[" in tag else "table" if "dict[" in tag else "valeur"
    return next((m for m in members if _expected_shape(m) == wanted), None)


def untagged(loc: Sequence[Any], model_cls: type[BaseModel]) -> tuple[tuple, tuple]:
    """A pydantic location without its union tags, and the unions it went through: for each,
    the location of the value it checked, the shape of the branch taken, and whether a text
    would have done."""
    clean: list[Any] = []
    crossed: list[tuple[tuple, str, bool]] = []
    current: Any = model_cls
    index = 0
    while index < len(loc):
        part = loc[index]
        current = _bare(current)
        if typing.get_origin(current) in (Union, types.UnionType):
            members = [a for a in typing.get_args(current) if a is not type(None)]
            chosen = _branch(members, part)
            if chosen is None:
                break
            texts = any(_bare(member) is str for member in members)
            crossed.append((tuple(clean), _expected_shape(chosen), texts))
            current = chosen
            index += 1
            continue
        origin = typing.get_origin(current)
        if origin is list and isinstance(part, int):
            current = typing.get_args(current)[0]
        elif origin is dict and part != "[key]":
            current = typing.get_args(current)[1]
        elif (
            isinstance(current, type)
            and issubclass(current, BaseModel)
            and isinstance(part, str)
            and part in current.model_fields
        ):
            current = current.model_fields[part].annotation
        else:
            break  # beyond what the models say (an unknown key, a dict's key): kept as it is
        clean.append(part)
        index += 1
    clean.extend(loc[index:])
    return tuple(clean), tuple(crossed)


def _branch_errors(
    errors: Sequence[ErrorDetails], doc: Document, model_cls: type[BaseModel]
) -> list[ErrorDetails]:
    """The errors without their union tags, only those of the branch that has the shape of the
    value written (a mapping's errors for a mapping); a value that fits no branch (a list where
    a text or a mapping is expected) gives one error naming every branch. A `[…]` list of
    texts where a text would have done gets the hint that names the quotes."""
    located = []
    for error in errors:
        loc, crossed = untagged(error["loc"], model_cls)
        located.append((typing.cast(ErrorDetails, {**error, "loc": loc}), crossed))
    shapes: dict[tuple, str] = {}
    fitting: dict[tuple, bool] = {}  # a union's value -> some error took the branch of its shape
    for _, crossed in located:
        for where, shape, _ in crossed:
            if where not in shapes:
                shapes[where] = _shape(_value_at(doc, where))
            fitting[where] = fitting.get(where, False) or shape == shapes[where]
    kept: list[ErrorDetails] = []
    unfit: dict[tuple, list[ErrorDetails]] = {}
    heads: dict[int, tuple] = {}  # the first error of each unfit value -> that value's place
    for error, crossed in located:
        for where, shape, _ in crossed:
            if shape != shapes[where]:
                if not fitting[where]:
                    if where not in unfit:
                        kept.append(error)  # its place in the list: the group's, said below
                        heads[id(error)] = where
                    unfit.setdefault(where, []).append(error)
                break
        else:
            kept.append(_with_text_hint(error, crossed, doc))
    out = []
    for error in kept:
        where = heads.get(id(error))
        out.append(
            error if where is None else _one_for_all(unfit[where], where, _value_at(doc, where))
        )
    return out


def _with_text_hint(error: ErrorDetails, crossed: tuple, doc: Document) -> ErrorDetails:
    """An item of a `[…]` list of texts that should have been a mapping, where the union
    would also have taken a single text: the hint that names the quotes."""
    loc = tuple(error["loc"])
    if error["type"] not in ("model_type", "dict_type") or not loc or not isinstance(loc[-1], int):
        return error
    if not any(where == loc[:-1] and texts for where, shape, texts in crossed):
        return error
    hint = one_text_hint(doc, loc[:-1])
    if hint is None:
        return error
    return typing.cast(ErrorDetails, {**error, "ctx": {**(error.get("ctx") or {}), "hint": hint}})


# --- a list that YAML cut at its commas ---------------------------------------------------------
#
# In a list between brackets, each comma ends an item: `retire: [Loyer, charges comprises]` is two
# names. When that is what makes an error, the hint says to put the text between quotes. What can
# be told without a false alarm: the pieces joined at their commas are a name the check knows
# (certain); or a piece begins with a small letter right after a comma, the rest of a sentence
# (likely, said as « si … »). Lists of codes or of listed values never get it: a comma is never
# part of them, and quotes would not help.


def _corrected(items: Sequence[str], start: int, end: int) -> str:
    """The list written as it should be: the items from `start` to `end` as one quoted text."""
    joined = json.dumps(", ".join(items[start:end]), ensure_ascii=False)
    before, after = list(items[:start]), list(items[end:])
    if len(before) > 2:
        before = ["…", before[-1]]
    if len(after) > 2:
        after = [after[0], "…"]
    return "[" + ", ".join([*before, joined, *after]) + "]"


def split_name_hint(
    doc: Document, path: PathKey, known: Callable[[str], str | None] | None
) -> tuple[str, bool] | None:
    """For a name written in a `[…]` list that names nothing the check knows (`known` gives the
    name a text stands for, or None): the hint that names the quotes, and whether the cut is
    certain (its pieces joined are a known name) or likely (a piece starts with a small letter
    after a comma); None when neither. `known` is None when no known name holds a comma."""
    index = path[-1] if path else None
    items = doc.bracketed_texts(path[:-1]) if isinstance(index, int) else None
    if items is None or not isinstance(index, int) or index >= len(items):
        return None
    for size in range(2, min(len(items), 5) + 1 if known else 0):  # up to five pieces
        for start in range(max(0, index - size + 1), min(index, len(items) - size) + 1):
            name = known(", ".join(items[start : start + size])) if known else None
            if name is not None:
                return (
                    f"YAML a coupé « {name} » à la virgule ; mettez-le entre guillemets : "
                    f"{_corrected(items, start, start + size)}.",
                    True,
                )
    if index > 0 and items[index][:1].islower():
        start = index - 1
    elif index + 1 < len(items) and items[index + 1][:1].islower():
        start = index
    else:
        return None
    joined = ", ".join(items[start : start + 2])
    return (
        f"Entre crochets, la virgule sépare les éléments ; si « {joined} » est un seul nom, "
        f"mettez-le entre guillemets : {_corrected(items, start, start + 2)}.",
        False,
    )


def one_text_hint(doc: Document, path: PathKey) -> str | None:
    """For a `[…]` list of texts where one text was expected: the hint that names the quotes."""
    items = doc.bracketed_texts(path)
    if items is None:
        return None
    joined = json.dumps(", ".join(items), ensure_ascii=False)
    return (
        "Entre crochets, YAML lit une liste, coupée à chaque virgule ; pour un seul texte, "
        f"mettez-le entre guillemets : {joined}."
    )


def _one_for_all(group: list[ErrorDetails], where: tuple, value: Any) -> ErrorDetails:
    """One error for a value that fits no branch of its union: « un texte ou une table de
    clés »; the group's first error when the branches' own errors say no shape."""
    expected = [
        _EXPECTED[error["type"]]
        for error in group
        if tuple(error["loc"]) == where and error["type"] in _EXPECTED
    ]
    expected = list(dict.fromkeys(expected))
    if _EXPECTED["float_type"] in expected and _EXPECTED["int_type"] in expected:
        expected.remove(_EXPECTED["int_type"])  # « un nombre » says it
    if not expected:
        return group[0]
    error = dict(group[0])
    error.update(
        type=_TYPES_ATTENDUS,
        loc=where,
        input=value,
        ctx={"attendu": " ou ".join(expected)},
        msg="",
    )
    return typing.cast(ErrorDetails, error)


def _value_at(doc: Document, path: tuple) -> Any:
    """The value written at `path`, or None when the path leads nowhere in the file."""
    return value_at(doc.data, path)


def control_findings(doc: Document, file: str) -> list[Finding]:
    """S113 for each text of the file (value or key) that holds a control character or a
    bidirectional override, at its own line and column."""
    found: list[Finding] = []

    def visit(value: Any, path: PathKey) -> None:
        if isinstance(value, str):
            _check_text(value, path, doc.pos(path), found, file)
        elif isinstance(value, dict):
            for key, item in value.items():
                child = (*path, key)
                if isinstance(key, str):
                    _check_text(key, child, doc.key_pos(child), found, file)
                visit(item, child)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                visit(item, (*path, index))

    visit(doc.data, ())
    return found


def _check_text(text: str, path: PathKey, pos: Pos, found: list[Finding], file: str) -> None:
    try:
        to_text(text)
    except PydanticCustomError as exc:
        label = _label(path) if path else "le fichier"
        hint = (exc.context or {}).get("hint")
        found.append(_finding(file, pos, path, "S113", f"{label} : {exc.message()}", hint))


def _typo_targets(
    errors: Sequence[ErrorDetails], doc: Document, model_cls: type[BaseModel]
) -> set[PathKey]:
    """Locations of missing fields that an unknown key in the same mapping looks like."""
    targets = set()
    for error in errors:
        if error["type"] != "extra_forbidden":
            continue
        path = _data_path(doc, tuple(error["loc"]))
        close = suggest(str(path[-1]), _allowed_keys(model_cls, path[:-1]))
        if close:
            targets.add(path[:-1] + (close,))
    return targets


def _data_path(doc: Document, loc: tuple) -> tuple:
    """The longest prefix of a pydantic location that names a value in the file."""
    path: tuple = ()
    for part in loc:
        candidate = path + (part,)
        if candidate not in doc.positions:
            break
        path = candidate
    return path


def _describe(value: object) -> str:
    if value is None:
        return "une valeur vide"
    if isinstance(value, dict):
        return "une table de clés"
    if isinstance(value, list):
        return "une liste"
    return f"« {value} »"


def _label(path: tuple) -> str:
    return f"« {path_to_str(path)} »"


def translate(
    error: ErrorDetails,
    doc: Document,
    model_cls: type[BaseModel],
    file: str,
    suggestions: bool = True,
) -> Finding:
    """One pydantic error as a finding with French message, code and position (with a
    « vouliez-vous dire » for an unknown key unless `suggestions` is off)."""
    kind = error["type"]
    loc = tuple(error["loc"])
    ctx = error.get("ctx") or {}
    hint = ctx.get("hint")
    value = error.get("input")

    if kind == models.INTERNAL_ERROR:  # a validator's own bug, at the value it was checking
        path = _data_path(doc, tuple(part for part in loc if part != "[key]"))
        where = _label(path) if path else "ce fichier"
        message = f"erreur interne d'essaimage en vérifiant {where} ({ctx.get('detail', '')})"
        return _finding(file, doc.pos(path), path, "X900", message, INTERNAL_HINT)

    if kind == "missing":
        parent = _data_path(doc, loc[:-1])
        name = loc[-1]
        where = f" dans {_label(parent)}" if parent else ""
        message = f"champ obligatoire « {name} » manquant{where}"
        return _finding(file, doc.key_pos(parent), loc, "S101", message, hint)

    if "[key]" in loc:
        path = _data_path(doc, loc[: loc.index("[key]")])
        pos = doc.key_pos(path)
    else:
        path = _data_path(doc, loc)
        pos = doc.pos(path)
    label = _label(path) if path else "le fichier"

    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = _allowed_keys(model_cls, path[:-1])
        close = suggest(key, allowed) if allowed and suggestions else None
        message = f"clé inconnue « {key} »"
        if len(path) > 1:
            message += f" dans {_label(path[:-1])}"
        if close:
            message += f" ; vouliez-vous dire « {close} » ?"
        elif allowed:
            hint = hint or "Clés permises ici : " + ", ".join(allowed) + "."
        return _finding(file, doc.key_pos(path), path, "S102", message, hint)

    if kind in _CUSTOM_CODES:
        message = f"{label} : {error['msg']}"
        code = _CUSTOM_CODES[kind]
        if kind in ("territoire_anonyme", "moyens_vides"):
            message = error["msg"]  # the message already names the field
        if isinstance(doc_value(doc, path), dict):
            pos = doc.key_pos(path)  # a whole mapping is wrong: point at its key
        return _finding(file, pos, path, code, message, hint)

    if kind == _TYPES_ATTENDUS:
        attendu = ctx["attendu"]
        if value is None:
            message = f"{label} est vide : {attendu} est attendu"
        else:
            message = f"{label} doit être {attendu}, pas {_describe(value)}"
        return _finding(file, pos, path, "S104", message, hint)

    if kind in _EXPECTED:
        if value is None:
            message = f"{label} est vide : {_EXPECTED[kind]} est attendu"
            if kind in ("model_type", "dict_type", "model_attributes_type"):
                pos = doc.key_pos(path)
        else:
            message = f"{label} doit être {_EXPECTED[kind]}, pas {_describe(value)}"
            if kind == "string_type" and isinstance(value, list):
                hint = hint or one_text_hint(doc, path)
        return _finding(file, pos, path, "S104", message, hint)

    if kind in ("string_too_short", "string_too_long"):
        low, high = ctx.get("min_length"), ctx.get("max_length")
        size = len(value.strip()) if isinstance(value, str) else 0
        if kind == "string_too_short" and low == 1:
            message = f"{label} ne doit pas être vide"
        elif kind == "string_too_short":
            message = f"{label} est trop court : {size} caractère(s), il en faut au moins {low}"
        else:
            message = f"{label} est trop long : {size} caractères, {high} au plus"
        return _finding(file, pos, path, "S105", message, hint)

    if kind in ("too_short", "too_long"):
        low, high = ctx.get("min_length"), ctx.get("max_length")
        if kind == "too_short":
            message = f"{label} doit contenir au moins {low} élément(s)"
            if not value:
                message = f"{label} est vide : il doit contenir au moins {low} élément(s)"
        else:
            message = f"{label} contient trop d'éléments ({high} au plus)"
        return _finding(file, doc.key_pos(path), path, "S105", message, hint)

    if kind in _BOUNDS:
        shown = doc_value(doc, path)
        bound = _BOUNDS[kind].format(**{k: _fmt(v) for k, v in ctx.items()})
        message = f"{label} {bound} (valeur écrite : {shown})"
        if kind == "greater_than_equal" and ctx.get("ge") == 0:
            message = f"{label} ne peut pas être négatif (valeur écrite : {shown})"
        return _finding(file, pos, path, "S106", message, hint)

    return _finding(file, pos, path, "S113", f"{label} : valeur invalide ({error['msg']})", hint)


def reason(error: ErrorDetails) -> str:
    """The French reason of one pydantic error, without its place: for a value given on the
    command line (the quick form of `essaimage plan`), where there is no line to point at."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in _CUSTOM_CODES:
        return str(error["msg"])
    if kind in _BOUNDS:
        bound = _BOUNDS[kind].format(**{k: _fmt(v) for k, v in ctx.items()})
        return f"{bound} (valeur donnée : {error.get('input')})"
    if kind in _EXPECTED:
        return f"{_EXPECTED[kind]} est attendu, pas {_describe(error.get('input'))}"
    if kind == "string_too_short":
        return "ne doit pas être vide"
    if kind == "string_too_long":
        return f"trop long, {_fmt(ctx.get('max_length'))} caractères au plus"
    return f"valeur invalide ({error['msg']})"


def doc_value(doc: Document, path: PathKey) -> Any:
    """The value written in the file at `path`."""
    value: Any = doc.data
    for part in path:
        value = value[part]
    return value


def _fmt(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return nombre(value)  # « 100 000 », as the documentation writes the bounds
    return str(value).replace(".", ",") if isinstance(value, float) else str(value)


def _finding(
    file: str, pos: Pos, path: PathKey, code: str, message: str, hint: str | None
) -> Finding:
    clean_path = tuple(p for p in path if p != "[key]")
    return Finding(
        file, pos.line, pos.column, path_to_str(clean_path), code, Severity.ERREUR, message, hint
    )


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated, Optional and unions down to the structural type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            structural = [a for a in args if _is_structural(a)]
            annotation = (structural or args)[0]
        else:
            return annotation


def _is_structural(annotation: Any) -> bool:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (list, dict):
        return True
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _allowed_keys(model_cls: type[BaseModel], path: PathKey) -> list[str]:
    """The keys the model accepts in the mapping at `path` (empty when unknown)."""
    current: Any = model_cls
    for part in path:
        current = _unwrap(current)
        origin = typing.get_origin(current)
        if origin is list:
            current = typing.get_args(current)[0]
        elif origin is dict:
            current = typing.get_args(current)[1]
        elif isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            if field is None:
                return []
            current = field.annotation
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []
