"""Reading the models' annotations: what the reference page and the editor's form both need.

A field's type is an annotation wrapped in `Annotated` layers whose metadata carry the
validators of `scalars` (French numbers, dates, links…), the markers of `models` (Markdown, rule
codes) and the bounds; these functions unwrap them the same way for every reader.
"""

from __future__ import annotations

import inspect
import typing
from typing import Any

from .vocabulary import ENUMERATIONS


def unwrap(annotation: Any, metadata: list[Any] | None = None) -> tuple[Any, list[Any]]:
    """The annotation under its `Annotated` layers, and their metadata added to `metadata`."""
    found = list(metadata or [])
    while typing.get_origin(annotation) is typing.Annotated:
        annotation, *extra = typing.get_args(annotation)
        found += extra
    return annotation, found


def validators(metadata: list[Any]) -> list[Any]:
    """The functions of the metadata's validators, unwrapped from `models._guarded`."""
    return [inspect.unwrap(m.func) for m in metadata if hasattr(m, "func")]


def enumeration(values: tuple[Any, ...]) -> str | None:
    """The name in `vocabulary.ENUMERATIONS` of the `Literal` values, or None."""
    for name, (literal, _) in ENUMERATIONS.items():
        if typing.get_args(literal) == values:
            return name
    return None


def enumeration_labels(values: tuple[Any, ...]) -> dict[str, str]:
    """The French label of each `Literal` value (the value itself when no list names them)."""
    name = enumeration(values)
    labels = ENUMERATIONS[name][1] if name else {}
    return {str(value): str(labels.get(value, value)) for value in values}
