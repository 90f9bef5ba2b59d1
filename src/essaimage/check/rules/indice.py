"""The readiness score (« indice de déployabilité »): ten criteria, each met when none of its
rules fires, whatever levels the configuration gives those rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .base import Hit
from .descripteur import hits

if TYPE_CHECKING:
    from ...format.models import Innovation

CRITERES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("des résultats prouvés et sourcés", ("D301", "D302", "D303", "D304")),
    ("un cœur court et justifié", ("D101", "D102")),
    ("des marges bornées", ("D108", "D103")),
    ("des moyens chiffrés, avec budget et délai de lancement", ("D201", "D202", "D205")),
    ("un mode dégradé", ("D105", "D106", "D107")),
    ("des dépendances levées", ("D402", "D401")),
    ("une feuille de route", ("D601",)),
    ("des indicateurs, dont de fidélité", ("D701", "D702")),
    ("des risques avec leur prévention", ("D804", "D801")),
    ("une licence et un contact", ("D803", "D403")),
)

# Why a criterion is missing, for a reader of the kit (no key of the format, no rule code).
RAISONS: dict[str, str] = {
    "D301": "aucun résultat n'est donné",
    "D302": "les résultats ne mesurent que de l'activité, pas d'effet",
    "D303": "un résultat au moins n'a pas de source",
    "D304": "les résultats datent de plus de cinq ans",
    "D101": "le cœur compte plus de sept éléments",
    "D102": "un élément du cœur au moins ne dit pas pourquoi il est non négociable",
    "D108": "aucune marge d'adaptation n'est prévue",
    "D103": "une marge au moins n'a ni options ni limites",
    "D201": "aucun moyen financier n'est donné",
    "D202": "le délai de lancement n'est pas donné",
    "D205": "des postes payés n'ont pas de coût",
    "D105": "aucun mode dégradé n'est décrit",
    "D106": "le mode dégradé renonce à un élément du cœur",
    "D107": "le mode dégradé demande plus de moyens que la version complète",
    "D402": "aucune dépendance envers le porteur d'origine n'est déclarée",
    "D401": "une dépendance au moins n'a pas de moyen de s'en affranchir",
    "D601": "aucune étape de déploiement n'est décrite",
    "D701": "aucun indicateur n'est prévu",
    "D702": "aucun indicateur ne suit la fidélité au cœur",
    "D804": "aucun risque n'est décrit",
    "D801": "un risque au moins n'a pas de prévention",
    "D803": "le kit n'a pas de licence",
    "D403": "aucun contact n'est donné",
}


@dataclass(frozen=True, slots=True)
class Indice:
    """The readiness score: how many of the ten criteria are met, which are missing and why
    (`raisons`, one text per missing criterion: the reasons of its rules that fired)."""

    score: int
    manquants: tuple[str, ...]
    raisons: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        """Always 10."""
        return len(CRITERES)


def indice(
    model: Innovation,
    on: dt.date | None = None,
    found_hits: Mapping[str, list[Hit]] | None = None,
) -> Indice:
    """The readiness score of a descriptor; it does not depend on the level configuration."""
    found_hits = found_hits if found_hits is not None else hits(model, on)
    fired = {code for code, found in found_hits.items() if found}
    missing = [(label, codes) for label, codes in CRITERES if fired.intersection(codes)]
    reasons = tuple(" ; ".join(RAISONS[c] for c in codes if c in fired) for _, codes in missing)
    return Indice(len(CRITERES) - len(missing), tuple(label for label, _ in missing), reasons)


def criterion_of(code: str) -> str | None:
    """The readiness criterion a rule counts for, if any."""
    return next((label for label, codes in CRITERES if code in codes), None)
