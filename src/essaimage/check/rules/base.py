"""What a rule is, how it registers, and how a hit becomes a finding with the configured level.

A rule is a code of the registry (title, default level, help) with why it exists, its sources, how
to fix it, an example, when it runs (on a descriptor, or when a kit is made) and its check.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ...findings import Finding, Severity
from ..codes import REGISTRY, Code, register
from ..loader import Document, PathKey, path_to_str

IGNORER = "ignorer"
Moment = Literal["descripteur", "kit", "reprises"]  # reprises: with the reports' lessons

GUIDE = "Guide « Mettre à l'échelle une expérimentation » (innovation publique)"
CFIR = "CFIR (Damschroder et al., 2009) : cœur de l'intervention et périphérie adaptable"
TIDIER = "TIDieR (Hoffmann et al., BMJ 2014) : grille de description d'une intervention"
FRAME = "FRAME (Wiltsey Stirman et al., 2019) : consigner les adaptations"
ISAT = "ISAT (Milat et al., 2020) : outil d'évaluation du passage à l'échelle"
SPRING = "Spring Impact : test de préparation à la réplication"
AVISE = "Avise : stratégies d'essaimage (souple, franchise sociale, centralisé)"
CGCT = "Code général des collectivités territoriales, article L1111-10 (participation minimale du maître d'ouvrage)"


@dataclass(frozen=True)
class Hit:
    """Where a rule fires (a JSON path) and what it says there."""

    path: PathKey
    message: str
    in_profile: bool = False  # a kit rule may point at the territory profile, not the descriptor


@dataclass(frozen=True)
class Rule(Code):
    """A deployability rule: a code of the registry with its reasons and its check."""

    pourquoi: str = ""
    sources: tuple[str, ...] = ()
    correction: str = ""
    exemple: str = ""
    moment: Moment = "descripteur"
    controle: Callable[..., Iterable[Hit]] = field(default=lambda *_: (), compare=False)


def rule(
    code: str,
    niveau: Severity,
    titre: str,
    pourquoi: str,
    sources: list[str],
    correction: str,
    exemple: str,
    moment: Moment = "descripteur",
) -> Callable[[Any], Any]:
    """Register the decorated function as the check of a new rule."""

    def decorate(check: Any) -> Any:
        register(
            Rule(
                code=code,
                titre=titre,
                niveau=niveau,
                aide=correction,
                pourquoi=pourquoi,
                sources=tuple(sources),
                correction=correction,
                exemple=exemple,
                moment=moment,
                controle=check,
            )
        )
        return check

    return decorate


def rules(moment: Moment | None = None) -> list[Rule]:
    """The registered rules, in code order; only those of one moment when it is given."""
    return list(_sorted_rules(moment, len(REGISTRY)))


@functools.lru_cache(maxsize=16)
def _sorted_rules(moment: Moment | None, registered: int) -> tuple[Rule, ...]:
    """The rules sorted once, not once per file checked; `registered` (the registry's size) is
    part of the key, so that a rule registered later is seen."""
    return tuple(
        entry
        for _, entry in sorted(REGISTRY.items())
        if isinstance(entry, Rule) and moment in (None, entry.moment)
    )


def today() -> dt.date:
    """Today, or the day given by SOURCE_DATE_EPOCH (reproducible runs)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
        except (ValueError, OverflowError, OSError):
            pass  # not a date a calendar can hold: today
    return dt.date.today()


def severity_for(code: str, overrides: Mapping[str, str]) -> Severity | None:
    """The configured level of a rule; None when it is silenced."""
    level = overrides.get(code)
    if level == IGNORER:
        return None
    return Severity(level) if level else REGISTRY[code].niveau


def finding(
    code: str, hit: Hit, doc: Document | None, file: str, overrides: Mapping[str, str]
) -> Finding | None:
    """A rule hit as a finding, at the most useful line; None when the rule is silenced."""
    severity = severity_for(code, overrides)
    if severity is None:
        return None
    entry = REGISTRY[code]
    correction = entry.correction if isinstance(entry, Rule) else entry.aide
    pos = doc.key_pos(hit.path) if doc is not None else None
    # no document: what the hit names is not in a file (a territory named on the command line,
    # without a profile), line and column 0; a key not found in its file: its first line
    line, column = (pos.line, pos.column) if pos else ((1, 1) if doc is not None else (0, 0))
    # Most messages are the same phrase in a thousand files (« aucune reprise… »): one string.
    message = sys.intern(hit.message)
    return Finding(
        file, line, column, path_to_str(hit.path), code, severity, message, correction
    )  # fmt: skip
