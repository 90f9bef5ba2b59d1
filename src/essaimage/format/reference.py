"""The reference page of the format's fields, `docs/champs.md`, generated from the models.

Every table, key, type, description and example comes from `models` (titles and descriptions of
fields) and `vocabulary` (enumerated values and their labels): the page cannot drift from what
essaimage checks. `essaimage schema --markdown` prints it.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Any, Literal, Union

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ..text.words import markdown_anchor as anchor
from . import licences, models, scalars
from .annotations import enumeration, unwrap, validators
from .scalars import Base
from .vocabulary import ENUMERATIONS

ROOTS: tuple[tuple[type[BaseModel], str], ...] = (
    (models.Innovation, "descripteur"),
    (models.Profil, "profil"),
    (models.FichierPlan, "plan"),
    (models.FichierRetour, "retour"),
    (models.Configuration, "essaimage.yaml"),
)


def _title(model: type[BaseModel]) -> str:
    return str(model.model_config.get("title") or model.__name__)


def _link(model: type[BaseModel]) -> str:
    return f"[{_title(model)}](#{anchor(_title(model))})"


def _bounds(metadata: list[Any]) -> str:
    parts = []
    for item in metadata:
        inner = item.metadata if isinstance(item, FieldInfo) else [item]
        for bound in inner:
            for attr, sign in (("gt", ">"), ("ge", "≥"), ("lt", "<"), ("le", "≤")):
                value = getattr(bound, attr, None)
                if value is not None:
                    parts.append(f"{sign} {value}")
            low, high = getattr(bound, "min_length", None), getattr(bound, "max_length", None)
            if low and low > 1 and high:
                parts.append(f"{low} à {high} caractères")
    return f" ({', '.join(parts)})" if parts else ""


def describe(annotation: Any, metadata: list[Any] | None = None, plural: bool = False) -> str:
    """The type of a field, in French, with links to the tables it contains."""
    annotation, metadata = unwrap(annotation, metadata)
    origin = typing.get_origin(annotation)
    found = validators(metadata)
    s = "s" if plural else ""
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if scalars.to_number_or_text in found:
            return f"nombre{s} ou texte{s}"
        if scalars.to_year_or_date in found:
            return f"année{s} (AAAA) ou date{s} (AAAA-MM-JJ)"
        if scalars.to_number in found or set(args) <= {int, float}:
            return f"nombre{s}" + _bounds(metadata)
        return " ou ".join(describe(a, metadata, plural) for a in args)
    if origin is Literal:
        values = typing.get_args(annotation)
        if values == (1,):
            return "1"
        name = enumeration(values)
        if name is not None:
            return f"valeur{s} de la liste [`{name}`](#{anchor('valeurs de ' + name)})"
        return "valeur parmi : " + ", ".join(f"`{v}`" for v in values)
    if origin is list:
        (item,) = typing.get_args(annotation)
        text = "liste de " + describe(item, plural=True)
        if models.one_or_many in found:
            return "texte ou " + text
        return text + _bounds(metadata)
    if origin is dict:
        key, value = typing.get_args(annotation)
        return f"table : {describe(key)} → {describe(value)}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _link(annotation)
    if annotation is Base:
        return "base de calcul : `site`, `N habitants` ou `N bénéficiaires`"
    if annotation is bool:
        return "oui ou non"
    if annotation is int:
        return f"nombre{s} entier{s}" + _bounds(metadata)
    if annotation is dt.date:
        return f"date{s} (AAAA-MM-JJ)"
    if annotation is str:
        if scalars.to_slug in found:
            return f"identifiant{s} (minuscules sans accents, chiffres, tirets)"
        if models.RULE_CODE_KEY in metadata:
            return f"code{s} de règle (`essaimage regles`)"
        if scalars.to_link in found:
            return f"lien{s} http(s)"
        if scalars.to_email in found:
            return f"adresse{s} électronique{s}"
        if licences.to_spdx in found:
            return f"identifiant{s} ou expression{s} de licence SPDX (`CC-BY-4.0 OR etalab-2.0`)"
        if any(isinstance(m, models.MarkdownText) for m in metadata):
            return f"texte{s} Markdown"
        return f"texte{s}" + _bounds(metadata)
    return "valeur"


def _example(info: FieldInfo) -> str:
    if not info.examples:
        return ""
    value = info.examples[0]
    if isinstance(value, dict):
        return "`" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "`"
    if isinstance(value, list):
        return "`[" + ", ".join(map(str, value)) + "]`"
    return f"`{value}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(model: type[BaseModel]) -> list[str]:
    lines = [
        "| Clé | Titre | Type | Obligatoire | Description | Exemple |",
        "|---|---|---|---|---|---|",
    ]
    for name, info in model.model_fields.items():
        required = "oui" if info.is_required() else ""
        lines.append(
            f"| `{name}` | {_cell(info.title or name)} | "
            f"{_cell(describe(info.annotation, info.metadata))} | {required} | "
            f"{_cell(info.description or '')} | {_cell(_example(info))} |"
        )
    return lines


def _sub_models() -> list[tuple[type[BaseModel], list[str]]]:
    """Every model below the roots, in the order met, with the keys where it appears."""
    found: dict[type[BaseModel], list[str]] = {}

    def visit(annotation: Any, where: str) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            first = annotation not in found
            found.setdefault(annotation, [])
            if where not in found[annotation]:
                found[annotation].append(where)
            if first:
                for name, info in annotation.model_fields.items():
                    visit(info.annotation, f"{where}.{name}")
            return
        origin = typing.get_origin(annotation)
        for arg in typing.get_args(annotation):
            suffix = "[]" if origin is list else ".*" if origin is dict else ""
            visit(arg, where + suffix if arg is typing.get_args(annotation)[-1] else where)

    for root, label in ROOTS:
        for name, info in root.model_fields.items():
            visit(info.annotation, f"{label}: {name}")
    return [(model, places) for model, places in found.items() if model not in dict(ROOTS)]


def reference_markdown() -> str:
    """The reference page of every key of the format."""
    out = [
        "# Référence des champs",
        "",
        "<!-- Page générée par `essaimage schema --markdown` à partir des modèles du format ;",
        "     ne pas la modifier à la main. -->",
        "",
        "Chaque clé des fichiers essaimage, avec son type, si elle est obligatoire, ce qu'elle dit et",
        "un exemple. Les choix d'essaimage là où la spécification laisse la main sont dans",
        "[`format.md`](format.md) ; les règles de déployabilité dans [`regles.md`](regles.md).",
    ]
    for root, _ in ROOTS:
        out += ["", f"## {_title(root)}", "", models.model_description(root), "", *_table(root)]
    out += ["", "## Les tables", ""]
    out.append("Les tables que contiennent les fichiers, dans l'ordre où on les rencontre.")
    for model, places in _sub_models():
        where = ", ".join(f"`{p.split(': ', 1)[1]}` ({p.split(': ', 1)[0]})" for p in places)
        out += [
            "",
            f"### {_title(model)}",
            "",
            f"{models.model_description(model)} Dans : {where}.",
            "",
            *_table(model),
        ]
    out += ["", "## Les listes de valeurs", ""]
    for name, (values, labels) in ENUMERATIONS.items():
        out += [f"### Valeurs de {name}", "", "| Valeur | Dans les kits |", "|---|---|"]
        out += [f"| `{value}` | {labels[value]} |" for value in typing.get_args(values)]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
