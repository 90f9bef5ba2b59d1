"""A JSON Schema of essaimage's files, for editors (completion, hover help, live checks).

It is derived from the Pydantic models and their French titles, descriptions and examples (the
models are the one source of the format's documentation), and it is as lenient
as essaimage itself: a text field accepts any scalar (`code_insee: 01053` is a number for a YAML
parser, a text for essaimage), a number field accepts French-written numbers (`1 500`, `0,5`),
a boolean field accepts oui/non. What only essaimage can check (ids that refer to each other, files
that exist, the territory reference) stays out of the schema.
"""

from __future__ import annotations

import datetime as dt
import inspect
import types
import typing
from collections.abc import Sequence
from typing import Any, Literal, Union

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from . import licences, models, scalars
from .scalars import Base
from .vocabulary import OFFICIAL_TYPES

SCALAR: dict[str, Any] = {"type": ["string", "number", "integer", "boolean"]}
NUMBER_TEXT = r"^[+-]?((([0-9]{1,3}([  \u202f\u2009][0-9]{3})+)|[0-9]+)([.,][0-9]+)?|[.,][0-9]+)$"
INTEGER_TEXT = r"^[+-]?([0-9]{1,3}([  \u202f\u2009][0-9]{3})+|[0-9]+)$"
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
YEAR_OR_DATE = r"^[0-9]{4}(-[0-9]{2}-[0-9]{2})?$"
BASE = (
    r"^([0-9][0-9  \u202f.,]*)?[  ]*([sS][iI][tT][eE][sS]?|[hH][aA][bB][iI][tT][aA][nN][tT][sS]?|"
    r"[bB][eEéÉ][nN][eEéÉ][fF][iI][cC][iI][aA][iI][rR][eE][sS]?)$"
)
BOOLEAN_TEXT = r"^([oO][uU][iI]|[nN][oO][nN]|[tT][rR][uU][eE]|[fF][aA][lL][sS][eE])$"


class SchemaBuilder:
    """Builds draft-07 schemas from the models, collecting model definitions."""

    def __init__(self, rule_codes: Sequence[str]) -> None:
        self.definitions: dict[str, dict[str, Any]] = {}
        self.rule_codes = sorted(rule_codes)

    def model(self, cls: type[BaseModel]) -> dict:
        name = cls.__name__
        if name not in self.definitions:
            self.definitions[name] = {}  # placeholder against recursion
            title = str(cls.model_config.get("title") or name)
            description = models.model_description(cls)
            properties, required = {}, []
            for field_name, info in cls.model_fields.items():
                properties[field_name] = self.field(field_name, info)
                if info.is_required():
                    required.append(field_name)
            schema = {
                "title": title,
                "type": "object",
                "properties": properties,
                "additionalProperties": False,
            }
            if description:
                schema["description"] = description
            if required:
                schema["required"] = required
            if cls is models.TerritoireProfil:
                schema["anyOf"] = [
                    {"required": ["nom"]},
                    {
                        "required": ["code_insee", "type"],
                        "properties": {"type": {"enum": list(OFFICIAL_TYPES)}},
                    },
                ]
            if cls is models.CiblePlan:
                schema["oneOf"] = [
                    {"required": ["profil"]},
                    {"required": ["selection"]},
                    {"anyOf": [{"required": ["nom"]}, {"required": ["code_insee"]}]},
                ]
            if cls is models.Ressource:
                schema["oneOf"] = [{"required": ["url"]}, {"required": ["chemin"]}]
            if cls is models.MoyensRequis:
                schema["anyOf"] = [
                    {"required": [k], "properties": {k: {"minItems": 1}}}
                    for k in ("humains", "financiers", "materiels", "partenaires")
                ]
            self.definitions[name] = schema
        return {"$ref": f"#/definitions/{name}"}

    def field(self, name: str, info: FieldInfo) -> dict[str, Any]:
        schema = self.annotation(info.annotation, info.metadata)
        documented: dict[str, Any] = {"title": info.title or name}
        if info.description:
            documented["description"] = info.description
        if info.examples:
            documented["examples"] = list(info.examples)
        if "$ref" in schema:
            # `type` beside the wrapper: an editor's completion then inserts « key: » and a
            # block, not the bare word (yaml-language-server reads the type here, not the $ref's)
            target = self.definitions.get(schema["$ref"].rpartition("/")[2], {})
            typed = {"type": target["type"]} if "type" in target else {}
            return {"allOf": [schema], **typed, **documented}
        return {**schema, **documented}

    def annotation(self, annotation: Any, metadata: Sequence[Any] = ()) -> dict[str, Any]:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            base, *extra = typing.get_args(annotation)
            return self.annotation(base, [*metadata, *extra])
        validators = [inspect.unwrap(m.func) for m in metadata if hasattr(m, "func")]
        bounds = _bounds(metadata)
        if origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if scalars.to_number_or_text in validators:
                return dict(SCALAR)
            if scalars.to_year_or_date in validators:
                return {
                    "anyOf": [
                        {"type": "integer", "minimum": 1000, "maximum": 9999},
                        {"type": "string", "pattern": YEAR_OR_DATE},
                    ]
                }
            if scalars.to_number in validators or set(args) <= {int, float}:
                return {
                    "anyOf": [
                        {"type": "number", **bounds},
                        {"type": "string", "pattern": NUMBER_TEXT},
                    ]
                }
            if len(args) == 1:
                return self.annotation(args[0], metadata)
            return {"anyOf": [self.annotation(a, metadata) for a in args]}
        if origin is Literal:
            values = list(typing.get_args(annotation))
            if values == [1]:
                return {"enum": [1, "1"]}
            return {"enum": values}
        if origin is list:
            (item,) = typing.get_args(annotation)
            array: dict[str, Any] = {"type": "array", "items": self.annotation(item)}
            if models.one_or_many in validators:
                return {"anyOf": [array, dict(SCALAR)]}
            if "min_length" in bounds:
                array["minItems"] = bounds["min_length"]
            if "max_length" in bounds:
                array["maxItems"] = bounds["max_length"]
            return array
        if origin is dict:
            key, value = typing.get_args(annotation)
            key_schema = self.annotation(key)
            schema = {"type": "object", "additionalProperties": self.annotation(value)}
            if "pattern" in key_schema or "enum" in key_schema:
                schema["propertyNames"] = {
                    k: v for k, v in key_schema.items() if k in ("pattern", "enum", "type")
                }
            return schema
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return self.model(annotation)
        if annotation is Base:
            return {"type": "string", "pattern": BASE}
        if annotation is bool:
            return {"anyOf": [{"type": "boolean"}, {"type": "string", "pattern": BOOLEAN_TEXT}]}
        if annotation is int:
            return {
                "anyOf": [
                    {"type": "integer", **bounds},
                    {"type": "string", "pattern": INTEGER_TEXT},
                ]
            }
        if annotation is dt.date:
            return {"type": "string", "pattern": DATE}
        if annotation is str:
            if scalars.to_slug in validators:
                return {"type": "string", "pattern": f"^{scalars.SLUG.pattern}$", "maxLength": 64}
            if models.RULE_CODE_KEY in metadata:
                return {"type": "string", "enum": self.rule_codes}
            if scalars.to_link in validators:
                return {"type": "string", "pattern": "^[hH][tT][tT][pP][sS]?://[^\\s/]+"}
            if scalars.to_email in validators:
                return {"type": "string", "pattern": "^[^@\\s]+@[^@\\s]+\\.[^@\\s.]{2,}$"}
            if licences.to_spdx in validators:
                return {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9.+() -]*$"}
            text: dict[str, Any] = dict(SCALAR)
            if bounds.get("min_length") or "max_length" in bounds:
                # lengths only bind texts; a number written bare stays allowed
                text = {
                    "anyOf": [
                        {"type": "string", **_lengths(bounds)},
                        {"type": ["number", "integer", "boolean"]},
                    ]
                }
            return text
        return {}


def _bounds(metadata: Sequence[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in metadata:
        if isinstance(item, FieldInfo):
            out.update(_bounds(item.metadata))
            continue
        for attr, key in (
            ("gt", "exclusiveMinimum"),
            ("ge", "minimum"),
            ("lt", "exclusiveMaximum"),
            ("le", "maximum"),
        ):
            value = getattr(item, attr, None)
            if value is not None:
                out[key] = value
        for attr in ("min_length", "max_length"):
            value = getattr(item, attr, None)
            if value is not None:
                out[attr] = value
    return out


def _lengths(bounds: dict) -> dict:
    out = {}
    if "min_length" in bounds:
        out["minLength"] = bounds["min_length"]
    if "max_length" in bounds:
        out["maxLength"] = bounds["max_length"]
    return out


KINDS = ("tout", "innovation", "territoire", "plan", "retour", "configuration")


def build(rule_codes: Sequence[str], kind: str = "tout") -> dict:
    """The JSON Schema (draft-07) of one kind of file, or of descriptors, profiles and plans
    together; the keys of `regles` are among `rule_codes` (the catalogue's: the format does not
    import the rules)."""
    builder = SchemaBuilder(rule_codes)
    innovation = builder.model(models.Innovation)
    profile = builder.model(models.Profil)
    plan = builder.model(models.FichierPlan)
    retour = builder.model(models.FichierRetour)
    configuration = builder.model(models.Configuration)
    schema: dict = {"$schema": "http://json-schema.org/draft-07/schema#"}
    if kind == "innovation":
        schema.update(title="Descripteur d'innovation essaimage (format 1)", **innovation)
    elif kind == "territoire":
        schema.update(title="Profil de territoire essaimage (format 1)", **profile)
    elif kind == "plan":
        schema.update(title="Plan de montée en charge essaimage (format 1)", **plan)
    elif kind == "retour":
        schema.update(title="Retour d'essaimage essaimage (format 1)", **retour)
    elif kind == "configuration":
        schema.update(title="Configuration d'un dépôt essaimage (essaimage.yaml)", **configuration)
    else:
        schema.update(
            title="Fichier essaimage (format 1)",
            description="Un profil de territoire s'il a « territoire » et pas « coeur » ; un plan "
            "s'il a « plan » et ni « coeur » ni « territoire » ; un retour d'essaimage s'il a "
            "« retour » et pas « coeur » ; sinon un descripteur d'innovation.",
            **{
                "if": {
                    "type": "object",
                    "required": ["territoire"],
                    "not": {"required": ["coeur"]},
                },
                "then": profile,
                "else": {
                    "if": {
                        "type": "object",
                        "required": ["plan"],
                        "not": {"anyOf": [{"required": ["coeur"]}, {"required": ["territoire"]}]},
                    },
                    "then": plan,
                    "else": {
                        "if": {
                            "type": "object",
                            "required": ["retour"],
                            "not": {"required": ["coeur"]},
                        },
                        "then": retour,
                        "else": innovation,
                    },
                },
            },
        )
    schema["definitions"] = dict(sorted(builder.definitions.items()))
    return schema
