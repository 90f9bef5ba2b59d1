"""`essaimage territoires`: look territories up in the reference, and list them as text, CSV or
JSON.

A search reads a code (INSEE code of a département, commune or arrondissement, postal code,
SIREN of an EPCI or a commune, `region:53`) or a name (with or without its article, an EPCI
with or without its legal prefix; a former commune leads to today's commune). A selection lists
the territories of one type inside another within population bounds, as plans do. Nothing here
prints.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

from ..text.french import nombre
from ..text.words import normalize_name
from .cog import KIND_NAMES, Reference, TerritoireOfficiel, inside

COLUMNS = ("code", "type", "nom", "population", "departement", "region", "epci")  # shown
HEADINGS = {
    "code": "Code",
    "type": "Type",
    "nom": "Nom",
    "population": "Population",
    "departement": "Département",
    "region": "Région",
    "epci": "EPCI",
}


@dataclass
class Found:
    """What a search or a selection gave, and what the user should know about it."""

    territoires: list[TerritoireOfficiel] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)  # closest names when nothing matched


def search(ref: Reference, query: str) -> Found:
    """Every territory the words may designate: by code (INSEE, postal, SIREN) or by name."""
    text = query.strip()
    prefix, sep, rest = text.partition(":")
    if sep and normalize_name(prefix) in ("region", "departement", "commune", "epci"):
        found = ref.get(normalize_name(prefix), rest.strip())
        return Found([found] if found else [])
    if text and text[0].isdigit():
        return _by_code(ref, text.upper())
    out = Found()
    for item in ref.search_name(text):
        if item.type != "ancienne":
            out.territoires.append(item)
            continue
        today = ref.get("commune", item.lien)
        if today is not None:
            out.territoires.append(today)
            out.notes.append(
                f"{item.nom} est une ancienne commune, aujourd'hui dans {today.nom} ({today.code})"
            )
    out.territoires = _unique(out.territoires)
    if not out.territoires:
        out.suggestions = ref.closest(text)
    return out


def _by_code(ref: Reference, code: str) -> Found:
    out = Found()
    if len(code) in (2, 3):
        out.territoires += [t for t in (ref.get("departement", code), ref.get("region", code)) if t]
    elif len(code) == 5:
        direct = ref.get("commune", code)
        former = ref.former(code) if direct is None else None
        commune = direct or (former[1] if former else None)
        postal = ref.by_postal_code.get(code, [])
        out.territoires += ([commune] if commune else []) + postal
        if former is not None:
            out.notes.append(
                f"{former[0].nom} ({code}) est une ancienne commune, aujourd'hui dans "
                f"{former[1].nom} ({former[1].code})"
            )
        if direct is not None and postal:
            out.notes.append(f"« {code} » est le code INSEE {direct.de_nom}, et un code postal")
        elif postal:
            out.notes.append(f"« {code} » est un code postal")
    elif len(code) == 9:
        found = ref.by_insee_code(code)
        out.territoires += [found] if found else []
    out.territoires = _unique(out.territoires)
    return out


def _unique(items: list[TerritoireOfficiel]) -> list[TerritoireOfficiel]:
    return list({(t.type, t.code): t for t in items}.values())


def narrow(
    ref: Reference,
    found: Found,
    type: str | None,
    dans: TerritoireOfficiel | None,
    population: tuple[int | None, int | None],
) -> None:
    """A search's results narrowed by a type, a territory they lie in and population bounds."""
    within = inside(dans, ref) if dans is not None else None
    low, high = population
    found.territoires = [
        t
        for t in found.territoires
        if (type is None or t.type == type)
        and (within is None or within(t))
        and (low is None or (t.population or 0) >= low)
        and (high is None or (t.population is not None and t.population <= high))
    ]


def population_bounds(text: str) -> tuple[int | None, int | None]:
    """`5000-20000`, `5 000-20 000`, `5000-` or `-20000`; ValueError when it is none of them."""
    low, sep, high = (
        text.replace(" ", "").replace("\u202f", "").replace("\u00a0", "").partition("-")
    )
    if not sep or not (low or high) or not (low.isdigit() or not low):
        raise ValueError(text)
    if high and not high.isdigit():
        raise ValueError(text)
    bounds = (int(low) if low else None, int(high) if high else None)
    if bounds[0] is not None and bounds[1] is not None and bounds[0] > bounds[1]:
        raise ValueError(text)
    return bounds


def row(ref: Reference, item: TerritoireOfficiel) -> dict[str, object]:
    """One territory as the listing shows it: name with its article, département, région, EPCI."""
    departement = region = epci = None
    if item.type in ("commune", "arrondissement"):
        departement = ref.get("departement", item.parent)
        if item.type == "commune" and item.lien:
            epci = ref.get("epci", item.lien)
    elif item.type == "departement":
        departement = item
    elif item.type == "epci":
        departement = ref.get("departement", item.parent.split(",")[0])
    if item.type == "region":
        region = item
    elif departement is not None:
        region = ref.get("region", departement.parent)
    return {
        "code": item.code,
        "type": item.type,
        "type_libelle": KIND_NAMES[item.type],
        "nom": item.nom_article if item.type in ("region", "departement") else item.nom,
        "nom_officiel": item.nom,
        "population": item.population,
        "departement": _ref(departement if item.type != "departement" else None),
        "region": _ref(region if item.type != "region" else None),
        "epci": _ref(epci),
    }


def _ref(item: TerritoireOfficiel | None) -> dict[str, str] | None:
    return {"code": item.code, "nom": item.nom} if item is not None else None


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return f"{value['nom']} ({value['code']})"
    return str(value)


def as_text(rows: list[dict[str, object]]) -> str:
    """An aligned table; populations with French thousands separators."""
    cells = [
        [
            nombre(value) if key == "population" and isinstance(value, int) else _cell(value)
            for key, value in ((c, entry["type_libelle" if c == "type" else c]) for c in COLUMNS)
        ]
        for entry in rows
    ]
    table = [[HEADINGS[c] for c in COLUMNS], *cells]
    used = [i for i in range(len(COLUMNS)) if any(line[i] for line in cells)]
    widths = {i: max(len(line[i]) for line in table) for i in used}
    lines = []
    for line in table:
        parts = [
            line[i].rjust(widths[i]) if COLUMNS[i] == "population" else line[i].ljust(widths[i])
            for i in used
        ]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines) + "\n"


def as_csv(rows: list[dict[str, object]]) -> str:
    """What French spreadsheets open directly: `;`, UTF-8 with a byte order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        ["code", "type", "nom", "nom_officiel", "population", "departement_code", "departement",
         "region_code", "region", "epci_code", "epci"]
    )  # fmt: skip
    for entry in rows:
        cells: list[object] = [
            entry["code"], entry["type_libelle"], entry["nom"], entry["nom_officiel"],
            entry["population"],
        ]  # fmt: skip
        for key in ("departement", "region", "epci"):
            value = entry[key]
            cells += [value["code"], value["nom"]] if isinstance(value, dict) else ["", ""]
        writer.writerow("" if cell is None else cell for cell in cells)
    return "\ufeff" + buffer.getvalue()


def as_json(rows: list[dict[str, object]], notes: list[str]) -> str:
    """The same rows as JSON, with the notes."""
    return json.dumps({"territoires": rows, "notes": notes}, ensure_ascii=False, indent=2) + "\n"
