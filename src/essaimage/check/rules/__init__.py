"""Deployability rules: what a valid descriptor still lacks for a repreneur to take it over.

- `base`: what a rule is, its registration in the code registry, levels and findings;
- `descripteur`: the rules of a descriptor (D…), run by `essaimage validate`;
- `kit`: the rules checked when a kit is made for a territory (T…);
- `reprises`: the rules that learn from the repository's take-over reports (D905–D908);
- `indice`: the readiness score.

Importing this package registers every rule in `codes.REGISTRY`.
"""

from __future__ import annotations

from .base import IGNORER, Hit, Rule, finding, rules, severity_for, today
from .descripteur import check, hits
from .indice import CRITERES, Indice, criterion_of, indice
from .kit import KitFacts, Unmet, kit_findings
from .reprises import Lecons, lesson_findings, lesson_hits

__all__ = [
    "CRITERES",
    "IGNORER",
    "Hit",
    "Indice",
    "KitFacts",
    "Lecons",
    "Rule",
    "Unmet",
    "check",
    "criterion_of",
    "finding",
    "hits",
    "indice",
    "kit_findings",
    "lesson_findings",
    "lesson_hits",
    "rules",
    "severity_for",
    "today",
]
