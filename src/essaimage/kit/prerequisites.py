"""Verdicts on an innovation's prerequisites for one territory, honest about what was checked.

essaimage can check two things: the territory's type and a population range. A prerequisite is
« rempli » only when these checks pass and its statement says nothing else; a statement that asks
for more (« une école d'au moins cent élèves ») stays « à vérifier localement » even when the type
matches. Population bounds apply to the project's perimeter when it has one. A prerequisite
written for communes, read for a larger territory (an EPCI, a département), is checked on the
perimeter's communes when the profile lists them, else left to check for each future site.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from ..format.vocabulary import TYPES_TERRITOIRE
from ..text.french import nombre, pluriel
from ..text.words import fold_accents
from .size import habitants

if TYPE_CHECKING:
    from ..format.models import Innovation, Prerequis
    from .size import Taille
    from .target import Cible

Statut = Literal["rempli", "non-rempli", "a-verifier"]
VERDICTS: dict[Statut, str] = {
    "rempli": "Rempli",
    "non-rempli": "Non rempli",
    "a-verifier": "À vérifier localement",
}

# Territory types from the smallest; "autre" has no place in this order.
LEVELS = {"commune": 1, "epci": 2, "departement": 3, "region": 4, "national": 5}
PLURALS = {
    "commune": "communes",
    "epci": "intercommunalités",
    "departement": "départements",
    "region": "régions",
    "national": "territoires nationaux",
    "autre": "territoires",
}

# Words a statement may use and still say nothing beyond a type and a population range.
_CHECKABLE_WORDS = frozenset(
    " ".join(
        (
            "un une des de d du la le les l a au aux en et ou entre moins plus dans sur avec qui",
            "ayant compte comptant comptent environ jusqu minimum maximum taille",
            "mille million millions quelques plusieurs centaine centaines millier milliers",
            "dizaine dizaines population habitant habitants",
            "commune communes ville villes village villages territoire territoires",
            "intercommunalite intercommunalites epci agglomeration agglomerations metropole",
            "metropoles departement departements region regions national nationale",
            "moyenne moyennes petite petites grande grandes peuple peuplee peuplees peuples",
            "rurale rurales urbaine urbaines",
        )
    ).split()
)
_WORDS = re.compile(r"[a-z0-9]+")  # linear: no backtracking on user text


@dataclass
class Verdict:
    """A prerequisite and what can be said of it for this territory."""

    description: str
    statut: Statut
    explications: list[str]
    echecs: list[str] = field(default_factory=list)  # the explanations of what failed

    @property
    def libelle(self) -> str:
        """The French label of the verdict."""
        return VERDICTS[self.statut]


Check = tuple[bool | None, str]


def says_only_type_and_population(statement: str) -> bool:
    """True when the statement's words are only about a territory's type and size."""
    words = _WORDS.findall(fold_accents(statement).lower())
    return all(word.isdigit() or word in _CHECKABLE_WORDS for word in words)


def _wanted(types: Sequence[str]) -> str:
    return ", ".join(TYPES_TERRITOIRE[t] for t in types)


def _one_of(types: Sequence[str]) -> str:
    """« le type visé », or « l'un des types visés : commune ou intercommunalité (EPCI) »: the
    reader sees what else the prerequisite would accept."""
    if len(types) == 1:
        return "le type visé"
    return "l'un des types visés : " + " ou ".join(TYPES_TERRITOIRE[t] for t in types)


def _bigger_than_wanted(types: Sequence[str], cible: Cible) -> bool:
    """True when the territory holds territories of the wanted types (a département for
    communes): the prerequisite then applies to each place where the project runs."""
    if cible.type not in LEVELS:
        return False
    levels = [LEVELS[t] for t in types if t in LEVELS]
    return bool(levels) and LEVELS[cible.type] > max(levels)


def _type_check(types: Sequence[str], cible: Cible, taille: Taille) -> Check:
    wanted = _wanted(types)
    if cible.type is None or cible.type == "autre":
        return None, f"type de territoire inconnu ; le prérequis vise : {wanted}"
    shown = TYPES_TERRITOIRE[cible.type]
    if cible.type in types:
        return True, f"le territoire est de type {shown}, {_one_of(types)}"
    if _bigger_than_wanted(types, cible):
        if "commune" in types and taille.communes:
            count = len(taille.communes)
            return True, (
                f"le projet se déroule dans {nombre(count)} {pluriel(count, 'commune')} du "
                f"territoire, {_one_of(types)}"
            )
        plural = " ou ".join(PLURALS[t] for t in types)
        return None, (
            f"le prérequis vise des {plural} : à vérifier pour chaque lieu où le projet "
            f"s'installera sur votre territoire ({shown})"
        )
    return False, f"le territoire est de type {shown}, or ce prérequis vise : {wanted}"


def _in_bounds(population: int, low: int | None, high: int | None) -> Check:
    shown = habitants(population)
    if low is not None and population < low:
        return False, f"{shown}, moins que le minimum de {nombre(low)}"
    if high is not None and population > high:
        return False, f"{shown}, plus que le maximum de {nombre(high)}"
    return True, f"{shown} ({_bounds(low, high)})"


def _bounds(low: int | None, high: int | None) -> str:
    """`au moins 2 000 et au plus 50 000 requis`."""
    bounds = []
    if low is not None:
        bounds.append(f"au moins {nombre(low)}")
    if high is not None:
        bounds.append(f"au plus {nombre(high)}")
    return f"{' et '.join(bounds)} requis"


def _population_check(prerequis: Prerequis, cible: Cible, taille: Taille) -> Check:
    low, high = prerequis.population_min, prerequis.population_max
    types = prerequis.types_territoire
    if types and cible.type not in types and _bigger_than_wanted(types, cible):
        if "commune" in types and taille.communes:
            return _communes_check(low, high, taille)
        return None, (
            f"les bornes de population valent pour chaque {_wanted(types)} où le projet "
            "s'installera : à vérifier pour chacun"
        )
    if taille.habitants is None:
        return None, "population inconnue"
    ok, text = _in_bounds(taille.habitants, low, high)
    if taille.perimetre:
        text = f"périmètre du projet : {text}"
    return ok, text


def _communes_check(low: int | None, high: int | None, taille: Taille) -> Check:
    outside = []
    unknown = []
    for commune in taille.communes:
        if commune.population is None:
            unknown.append(commune.nom)
            continue
        ok, text = _in_bounds(commune.population, low, high)
        if not ok:
            outside.append(f"{commune.nom} : {text}")
    if outside:
        word = pluriel(len(outside), "commune", "communes")
        return False, f"{word} du périmètre hors des bornes — " + " ; ".join(outside)
    if unknown:
        return None, f"population inconnue : {', '.join(unknown)}"
    count = len(taille.communes)
    return True, (
        f"{pluriel(count, 'la commune', f'les {nombre(count)} communes')} du périmètre "
        f"{pluriel(count, 'est', 'sont')} dans les bornes ({_bounds(low, high)})"
    )


def verdict(prerequis: Prerequis, cible: Cible, taille: Taille) -> Verdict:
    """What can be said of one prerequisite for this territory."""
    checks: list[Check] = []
    if prerequis.types_territoire:
        checks.append(_type_check(prerequis.types_territoire, cible, taille))
    if prerequis.population_min is not None or prerequis.population_max is not None:
        checks.append(_population_check(prerequis, cible, taille))
    if not checks:
        notes = ["le kit ne peut pas le vérifier ; à voir sur place"]
        return Verdict(prerequis.description, "a-verifier", notes)
    results = [ok for ok, _ in checks]
    texts = [text for _, text in checks]
    if False in results:
        failed = [text for ok, text in checks if ok is False]
        return Verdict(prerequis.description, "non-rempli", texts, failed)
    if None in results:
        return Verdict(prerequis.description, "a-verifier", texts)
    if not says_only_type_and_population(prerequis.description):
        texts.append("le reste de l'énoncé est à vérifier sur place")
        return Verdict(prerequis.description, "a-verifier", texts)
    return Verdict(prerequis.description, "rempli", texts)


def verdicts(innovation: Innovation, cible: Cible, taille: Taille) -> list[Verdict]:
    """A verdict per prerequisite of the innovation."""
    return [verdict(p, cible, taille) for p in innovation.prerequis]
