"""The official territory reference: COG 2026 régions, départements, communes and EPCI.

Data: `data/cog2026.tsv`, built by `scripts/build_cog.py` from the npm package
@etalab/decoupage-administratif@6.0.0 (MIT; INSEE and DGCL data). Loaded on first use only, so
that commands which do not need it never pay for it.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Literal

from .scalars import normalize_name

SOURCE = (
    "Code officiel géographique 2026 (INSEE) et populations municipales, d'après le paquet "
    "@etalab/decoupage-administratif 6.0.0 (licence MIT)"
)
SOURCE_SHORT = "COG 2026 (INSEE)"

_KINDS: dict[str, TypeOfficiel] = {"R": "region", "D": "departement", "C": "commune", "E": "epci"}
KIND_NAMES = {
    "region": "région",
    "departement": "département",
    "commune": "commune",
    "epci": "EPCI",
}


TypeOfficiel = Literal["region", "departement", "commune", "epci"]


@dataclass(frozen=True)
class TerritoireOfficiel:
    """One official territory."""

    type: TypeOfficiel
    code: str
    nom: str
    parent: str  # région of a département, département of a commune, départements of an EPCI
    population: int | None


class TerritoryNotFound(Exception):
    """A territory asked for that the reference does not hold, or holds more than once."""

    def __init__(self, message: str, candidates: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.candidates = candidates or []


class Reference:
    """The territories of the reference, by code and by normalised name."""

    def __init__(self, text: str):
        # Lines are kept as text and parsed on demand: most runs look up a handful of codes.
        self._lines: dict[tuple[str, str], str] = {}
        for line in text.splitlines():
            if line and not line.startswith("#"):
                kind, code, _ = line.split("\t", 2)
                self._lines[(_KINDS[kind], code)] = line

    @staticmethod
    def _parse(line: str) -> TerritoireOfficiel:
        kind, code, nom, parent, population = line.split("\t")
        return TerritoireOfficiel(
            _KINDS[kind], code, nom, parent, int(population) if population else None
        )

    def all(self) -> list[TerritoireOfficiel]:
        """Every territory of the reference, in file order."""
        return [self._parse(line) for line in self._lines.values()]

    @functools.cached_property
    def by_name(self) -> dict[str, list[TerritoireOfficiel]]:
        """Territories by normalised name; built on the first search by name."""
        index: dict[str, list[TerritoireOfficiel]] = {}
        for item in self.all():
            index.setdefault(normalize_name(item.nom), []).append(item)
        return index

    def get(self, kind: str, code: str) -> TerritoireOfficiel | None:
        """The territory of this type and code, if any."""
        code = code.strip().upper() if kind == "departement" else code.strip()
        line = self._lines.get((kind, code))
        return self._parse(line) if line is not None else None

    def label(self, item: TerritoireOfficiel) -> str:
        """`Nom (code, département)` as shown in lists of candidates."""
        if item.type == "commune":
            dep = self.get("departement", item.parent)
            where = dep.nom if dep else item.parent
        elif item.type == "epci":
            names = [
                d.nom for code in item.parent.split(",") if (d := self.get("departement", code))
            ]
            where = "EPCI, " + (", ".join(names) if names else "")
        else:
            where = KIND_NAMES[item.type]
        return f"{item.nom} ({item.code}, {where.rstrip(', ')})"

    def by_insee_code(self, code: str) -> TerritoireOfficiel | None:
        """A département (2-3 characters), commune (5) or EPCI (9-digit SIREN) by its code."""
        code = code.strip().upper()
        if len(code) in (2, 3):
            return self.get("departement", code)
        if len(code) == 5:
            return self.get("commune", code)
        if len(code) == 9 and code.isdigit():
            return self.get("epci", code)
        return None

    def find(self, query: str) -> TerritoireOfficiel:
        """The territory a user means by a code or a name; raises TerritoryNotFound."""
        text = query.strip()
        kind = None
        prefix, sep, rest = text.partition(":")
        if sep and normalize_name(prefix) in ("region", "departement", "commune", "epci"):
            kind, text = normalize_name(prefix), rest.strip()
        if kind and (found := self.get(kind, text)):
            return found
        if not kind and re.fullmatch(r"[0-9][0-9AB][0-9]{0,7}", text.upper()):
            found = self.by_insee_code(text)
            if found:
                return found
            raise TerritoryNotFound(
                f"aucun territoire officiel n'a le code « {text} » (département : 2 ou 3 caractères, "
                "commune : 5 chiffres, EPCI : SIREN à 9 chiffres)"
            )
        matches = [t for t in self.by_name.get(normalize_name(text), []) if kind in (None, t.type)]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            ordered = sorted(matches, key=lambda t: (list(KIND_NAMES).index(t.type), t.code))
            raise TerritoryNotFound(
                f"« {query} » désigne plusieurs territoires : précisez le code INSEE",
                [self.label(t) for t in ordered],
            )
        raise TerritoryNotFound(
            f"aucun territoire officiel ne s'appelle « {query} »", self.closest(text, kind)
        )

    def closest(self, name: str, kind: str | None = None, n: int = 5) -> list[str]:
        """Labels of the official territories whose names are closest to `name`."""
        wanted = normalize_name(name)
        names = difflib.get_close_matches(wanted, self.by_name.keys(), n=n, cutoff=0.75)
        out: list[str] = []
        for found in names:
            out.extend(self.label(t) for t in self.by_name[found] if kind in (None, t.type))
        return out[:n]


@functools.cache
def reference() -> Reference:
    """The bundled reference, read once."""
    text = resources.files("essaimage").joinpath("data/cog2026.tsv").read_text(encoding="utf-8")
    return Reference(text)
