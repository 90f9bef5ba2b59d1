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


@dataclass(frozen=True, slots=True)
class Indice:
    """The readiness score: how many of the ten criteria are met, and which are missing."""

    score: int
    manquants: tuple[str, ...]

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
    missing = tuple(label for label, codes in CRITERES if fired.intersection(codes))
    return Indice(len(CRITERES) - len(missing), missing)


def criterion_of(code: str) -> str | None:
    """The readiness criterion a rule counts for, if any."""
    return next((label for label, codes in CRITERES if code in codes), None)
