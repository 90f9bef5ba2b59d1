"""The official territory reference: COG 2026 régions, départements, communes and EPCI.

Data: `data/cog2026.tsv`, built by `scripts/build_cog.py` from the npm package
@etalab/decoupage-administratif@6.0.0 (MIT; INSEE and DGCL data). Besides the four official
levels it holds the municipal arrondissements of Paris, Lyon and Marseille, the former communes
(déléguées, associées) with the commune they belong to today, each commune's EPCI, postal codes
and SIREN, and INSEE's type of name, which gives a name its article (« l'Ain »).

Loaded on first use only, so that commands which do not need it never pay for it; lines are
parsed on demand and the indexes by name and by postal code are built on the first search.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Literal

from ..text.french import ARTICLES, NomPropre
from ..text.words import normalize_name

SOURCE = (
    "Code officiel géographique 2026 (INSEE) et populations municipales, d'après le paquet "
    "@etalab/decoupage-administratif 6.0.0 (licence MIT)"
)
SOURCE_SHORT = "COG 2026 de l'INSEE"

TypeOfficiel = Literal["region", "departement", "commune", "epci", "arrondissement", "ancienne"]
_KINDS: dict[str, TypeOfficiel] = {
    "R": "region",
    "D": "departement",
    "C": "commune",
    "E": "epci",
    "A": "arrondissement",
    "H": "ancienne",
}
KIND_NAMES = {
    "region": "région",
    "departement": "département",
    "commune": "commune",
    "epci": "EPCI",
    "arrondissement": "arrondissement municipal",
    "ancienne": "ancienne commune",
}
LEVELS = ("region", "departement", "epci", "commune", "arrondissement", "ancienne")
_ORDER = ("region", "departement", "commune", "arrondissement", "epci")  # the file's order

_EPCI_PREFIXES = ("ca ", "cc ", "cu ", "ct ")  # communauté d'agglomération, de communes…
_LEADING_ARTICLES = ("le ", "la ", "les ", "l ")


@dataclass(frozen=True)
class TerritoireOfficiel:
    """One territory of the reference."""

    type: TypeOfficiel
    code: str
    nom: str
    parent: str  # région of a département, département of a commune, départements of an EPCI
    population: int | None
    liaison: int | None = None  # INSEE's type of name: its article
    lien: str = ""  # a commune's EPCI; the commune of an arrondissement or a former commune
    codes_postaux: tuple[str, ...] = ()
    siren: str = ""

    @property
    def nom_propre(self) -> NomPropre:
        """The name and its French forms (article from INSEE's type of name; an EPCI's guessed
        from its legal form)."""
        if self.type == "epci":
            return NomPropre.devine(self.nom)
        return NomPropre(self.nom, self.liaison, self.type not in ("region", "departement"))

    @property
    def nom_article(self) -> str:
        """The name as written in a sentence: « l'Ain », « les Côtes-d'Armor », « Le Mans »."""
        return self.nom_propre.le

    @property
    def de_nom(self) -> str:
        """The name after « de »: « de l'Ain », « du Mans », « des Côtes-d'Armor »."""
        return self.nom_propre.de


@dataclass(frozen=True)
class Resolution:
    """What a user's words designate, and what the user should know about it."""

    territoire: TerritoireOfficiel
    note: str | None = None  # « 53 est aussi le code de la région… », « ancienne commune… »


class TerritoryNotFound(Exception):
    """A territory asked for that the reference does not hold, or holds more than once."""

    def __init__(self, message: str, candidates: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.candidates = candidates or []


# INSEE's type of name gives no article for eight régions (0 or 1: « Bretagne », « Occitanie »)
# that French writes with one: « la Bretagne », « l'Occitanie ». Their type of name, by code;
# and that of four overseas collectivities, listed both as région and as département.
REGION_ARTICLES = {"11": 5, "27": 3, "28": 3, "53": 3, "76": 5, "84": 5, "93": 3, "94": 3}
OVERSEAS_ARTICLES = {"984": 4, "987": 3, "988": 3, "989": 5}


def _liaison(kind: str, code: str, liaison: str) -> int | None:
    """A territory's type of name: INSEE's, or the article French writes for a région."""
    if kind == "R" and code in REGION_ARTICLES:
        return REGION_ARTICLES[code]
    if kind in ("R", "D") and code in OVERSEAS_ARTICLES:
        return OVERSEAS_ARTICLES[code]
    return int(liaison) if liaison else None


def _parse(line: str) -> TerritoireOfficiel:
    kind, code, nom, parent, population, liaison, lien, postaux, siren = line.split("\t")
    return TerritoireOfficiel(
        _KINDS[kind],
        code,
        nom,
        parent,
        int(population) if population else None,
        _liaison(kind, code, liaison),
        lien,
        tuple(postaux.split(",")) if postaux else (),
        siren,
    )


def _name_keys(kind: str, code: str, nom: str, liaison: str) -> set[str]:
    """The folded names a user may type for a territory: with and without its article, an EPCI
    with and without its legal prefix."""
    folded = normalize_name(nom)
    keys = {folded}
    article = _liaison(kind, code, liaison)
    if kind in ("R", "D") and article in ARTICLES:
        keys.add(normalize_name(ARTICLES[article] + nom))
    if kind == "E":
        keys.update(folded[len(p) :] for p in _EPCI_PREFIXES if folded.startswith(p))
    return keys


class Reference:
    """The territories of the reference, by code, by name and by postal code."""

    def __init__(self, text: str):
        # Lines are kept as text and parsed on demand: most runs look up a handful of codes.
        self._lines: dict[tuple[str, str], str] = {}
        self._former: dict[str, list[str]] = {}  # former communes may share a code
        for line in text.splitlines():
            if line and not line.startswith("#"):
                kind, code, _ = line.split("\t", 2)
                if kind == "H":
                    self._former.setdefault(code, []).append(line)
                else:
                    self._lines[(_KINDS[kind], code)] = line

    def all(self, kinds: Iterable[str] | None = None) -> list[TerritoireOfficiel]:
        """Territories of the reference in file order (former communes aside), of some kinds."""
        wanted = tuple(sorted(set(kinds))) if kinds is not None else tuple(_KINDS.values())
        return [item for kind in _ORDER if kind in wanted for item in self._of_kind(kind)]

    @functools.lru_cache(maxsize=8)  # noqa: B019 - one reference per process, kept for its life
    def _of_kind(self, kind: str) -> list[TerritoireOfficiel]:
        """The territories of one kind, parsed once."""
        return [_parse(line) for (k, _), line in self._lines.items() if k == kind]

    @functools.cached_property
    def _names(self) -> dict[str, list[str]]:
        """Lines (former communes included) by folded name; built on the first search by name
        from the raw lines: only the territories found are parsed."""
        index: dict[str, list[str]] = {}
        lines = [*self._lines.values(), *(x for group in self._former.values() for x in group)]
        for line in lines:
            kind, code, nom, _, _, liaison, _ = line.split("\t", 6)
            for key in _name_keys(kind, code, nom, liaison):
                index.setdefault(key, []).append(line)
        return index

    def named(self, folded: str) -> list[TerritoireOfficiel]:
        """The territories (former communes included) with this folded name."""
        return [_parse(line) for line in self._names.get(folded, [])]

    @functools.cached_property
    def by_postal_code(self) -> dict[str, list[TerritoireOfficiel]]:
        """Communes and arrondissements by postal code; built on the first search by one."""
        index: dict[str, list[TerritoireOfficiel]] = {}
        for item in self.all(("commune", "arrondissement")):
            for postal in item.codes_postaux:
                index.setdefault(postal, []).append(item)
        return index

    def get(self, kind: str, code: str) -> TerritoireOfficiel | None:
        """The territory of this type and code, if any (a commune's code may be a municipal
        arrondissement's)."""
        code = code.strip().upper() if kind == "departement" else code.strip()
        line = self._lines.get((kind, code))
        if line is None and kind == "commune":
            line = self._lines.get(("arrondissement", code))
        return _parse(line) if line is not None else None

    def former(self, code: str) -> tuple[TerritoireOfficiel, TerritoireOfficiel] | None:
        """A former commune by its code, and the commune it belongs to today."""
        for line in self._former.get(code.strip(), []):
            old = _parse(line)
            today = self.get("commune", old.lien)
            if today is not None:
                return old, today
        return None

    def members(self, epci: str) -> list[TerritoireOfficiel]:
        """The communes of an EPCI."""
        return [c for c in self.all(("commune",)) if c.lien == epci]

    def label(self, item: TerritoireOfficiel) -> str:
        """`Nom (code, département)` as shown in lists of candidates."""
        if item.type in ("commune", "ancienne"):
            dep = self.get("departement", item.parent)
            where = dep.nom if dep else item.parent
        elif item.type == "arrondissement":
            city = self.get("commune", item.lien)
            where = f"arrondissement municipal {city.de_nom if city else item.lien}"
        elif item.type == "epci":
            names = [
                d.nom for code in item.parent.split(",") if (d := self.get("departement", code))
            ]
            where = "EPCI, " + (", ".join(names) if names else "")
        else:
            where = KIND_NAMES[item.type]
        return f"{item.nom} ({item.code}, {where.rstrip(', ')})"

    def by_insee_code(self, code: str) -> TerritoireOfficiel | None:
        """A département (2-3 characters), commune or arrondissement (5) or EPCI (9-digit
        SIREN) by its code."""
        code = code.strip().upper()
        if len(code) in (2, 3):
            return self.get("departement", code)
        if len(code) == 5:
            return self.get("commune", code)
        if len(code) == 9 and code.isdigit():
            return self.get("epci", code) or self._commune_by_siren(code)
        return None

    @functools.cached_property
    def _sirens(self) -> dict[str, str]:
        return {c.siren: c.code for c in self.all(("commune",)) if c.siren}

    def _commune_by_siren(self, siren: str) -> TerritoireOfficiel | None:
        code = self._sirens.get(siren)
        return self.get("commune", code) if code else None

    def resolve(self, query: str) -> Resolution:
        """The one territory a user means by a code, a postal code or a name, with a note when
        the answer needs one; raises TerritoryNotFound."""
        text = query.strip()
        kind = None
        prefix, sep, rest = text.partition(":")
        if sep and normalize_name(prefix) in ("region", "departement", "commune", "epci"):
            kind, text = normalize_name(prefix), rest.strip()
            if found := self.get(kind, text):
                return Resolution(found)
        if not kind and _looks_like_code(text):
            return self._by_code(text)
        return self._by_name(query, text, kind)

    def find(self, query: str) -> TerritoireOfficiel:
        """The territory a user means by a code or a name; raises TerritoryNotFound."""
        return self.resolve(query).territoire

    def _by_code(self, text: str) -> Resolution:
        found = self.by_insee_code(text)
        if found is not None:
            note = None
            region = self.get("region", text) if found.type == "departement" else None
            if region is not None:
                note = (
                    f"« {text} » désigne ici le département {_of(found)} ; pour la région "
                    f"{region.nom}, écrivez « region:{text} »"
                )
            elif len(text) == 5:
                others = [t for t in self.by_postal_code.get(text, []) if t.code != found.code]
                if others:
                    names = ", ".join(f"{t.nom} ({t.code})" for t in others[:3])
                    note = (
                        f"« {text} » est pris ici comme code INSEE {_of(found)} ; comme code "
                        f"postal, il désigne {names} : écrivez alors le code INSEE"
                    )
            return Resolution(found, note)
        former = self.former(text)
        if former is not None:
            old, today = former
            return Resolution(
                today,
                f"{old.nom} ({old.code}) est une ancienne commune, aujourd'hui dans "
                f"{today.nom} ({today.code})",
            )
        postal = self.by_postal_code.get(text, []) if len(text) == 5 else []
        if len(postal) == 1:
            return Resolution(postal[0], f"« {text} » est le code postal {_of(postal[0])}")
        if postal:
            raise TerritoryNotFound(
                f"le code postal « {text} » désigne plusieurs communes : précisez le code INSEE",
                [self.label(t) for t in postal],
            )
        raise TerritoryNotFound(
            f"aucun territoire officiel n'a le code « {text} » (département : 2 ou 3 caractères, "
            "commune : 5 chiffres, code postal, EPCI : SIREN à 9 chiffres)"
        )

    def _by_name(self, query: str, text: str, kind: str | None) -> Resolution:
        matches = [t for t in self.search_name(text) if kind in (None, t.type)]
        current = [t for t in matches if t.type != "ancienne"]
        if len(current) == 1:
            return Resolution(current[0])
        if not current and matches:
            today = {t.lien: t for t in matches}
            if len(today) == 1:
                former = matches[0]
                commune = self.get("commune", former.lien)
                if commune is not None:
                    return Resolution(
                        commune,
                        f"{former.nom} est une ancienne commune, aujourd'hui dans "
                        f"{commune.nom} ({commune.code})",
                    )
        if len(current) > 1:
            ordered = sorted(current, key=lambda t: (LEVELS.index(t.type), t.code))
            raise TerritoryNotFound(
                f"« {query} » désigne plusieurs territoires : précisez le code INSEE",
                [self.label(t) for t in ordered],
            )
        raise TerritoryNotFound(
            f"aucun territoire officiel ne s'appelle « {query} »", self.closest(text, kind)
        )

    def search_name(self, text: str) -> list[TerritoireOfficiel]:
        """Territories whose name (with or without its article, or an EPCI's legal prefix)
        is the text, case, accents and hyphens aside."""
        wanted = normalize_name(text)
        found = self.named(wanted)
        for article in _LEADING_ARTICLES:
            if not found and wanted.startswith(article):
                found = self.named(wanted[len(article) :])
        unique = {(t.type, t.code, t.nom): t for t in found}
        return sorted(unique.values(), key=lambda t: (LEVELS.index(t.type), t.code, t.nom))

    def closest(self, name: str, kind: str | None = None, n: int = 5) -> list[str]:
        """Labels of the official territories whose names are closest to `name`."""
        wanted = normalize_name(name)
        names = difflib.get_close_matches(wanted, self._names.keys(), n=n, cutoff=0.75)
        out: list[str] = []
        for found in names:
            out.extend(
                self.label(t)
                for t in self.named(found)
                if kind in (None, t.type) and t.type != "ancienne"
            )
        return list(dict.fromkeys(out))[:n]


Ordre = Literal["population-decroissante", "population-croissante", "nom"]
SELECTABLE = ("commune", "epci", "departement")


@dataclass(frozen=True)
class Selection:
    """Territories of one type inside another, within population bounds (as in plans)."""

    type: str  # commune, epci or departement
    dans: TerritoireOfficiel | None = None
    population_min: int | None = None
    population_max: int | None = None
    exclure: frozenset[str] = frozenset()
    limite: int | None = None
    ordre: Ordre = "population-decroissante"


def inside(dans: TerritoireOfficiel, ref: Reference) -> Callable[[TerritoireOfficiel], bool]:
    """Whether a territory lies in `dans` (an EPCI lies in each département it touches)."""
    if dans.type == "region":
        departements = {d.code for d in ref.all(("departement",)) if d.parent == dans.code}
    elif dans.type == "departement":
        departements = {dans.code}
    else:
        departements = set()

    def inside(item: TerritoireOfficiel) -> bool:
        if dans.type == item.type:
            return dans.code == item.code
        if item.type == "commune":
            return item.lien == dans.code if dans.type == "epci" else item.parent in departements
        if item.type == "epci":
            return not departements.isdisjoint(item.parent.split(","))
        return item.type == "departement" and item.code in departements

    return inside


def _order_key(ordre: Ordre) -> Callable[[TerritoireOfficiel], tuple]:
    if ordre == "nom":
        return lambda t: (normalize_name(t.nom), t.code)
    sign = -1 if ordre == "population-decroissante" else 1
    return lambda t: (t.population is None, sign * (t.population or 0), t.code)


def select(ref: Reference, selection: Selection) -> list[TerritoireOfficiel]:
    """The territories a selection gives, in its order, at most `limite` of them."""
    found = []
    within = inside(selection.dans, ref) if selection.dans is not None else None
    for item in ref.all((selection.type,)):
        if within is not None and not within(item):
            continue
        population = item.population
        if selection.population_min is not None and (population or 0) < selection.population_min:
            continue
        if selection.population_max is not None and (
            population is None or population > selection.population_max
        ):
            continue
        if item.code in selection.exclure:
            continue
        found.append(item)
    found.sort(key=_order_key(selection.ordre))
    return found[: selection.limite] if selection.limite is not None else found


def _looks_like_code(text: str) -> bool:
    """Digits (with 2A/2B): a département, commune, postal code or SIREN; linear, no regex."""
    upper = text.upper()
    return (
        0 < len(upper) <= 9
        and upper[0].isdigit()
        and all(ch.isdigit() or (i == 1 and ch in "AB") for i, ch in enumerate(upper))
    )


def _of(item: TerritoireOfficiel) -> str:
    """« de l'Ain (01) », « du Mans (72181) »."""
    return f"{item.de_nom} ({item.code})"


@functools.cache
def reference() -> Reference:
    """The bundled reference, read once."""
    text = resources.files("essaimage").joinpath("data/cog2026.tsv").read_text(encoding="utf-8")
    return Reference(text)
