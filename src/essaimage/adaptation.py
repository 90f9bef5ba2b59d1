"""What a territory's marge choices change in the means.

A marge option written as a mapping may `ajoute` means (added when a territory chooses it) and
`retire` lines of the descriptor's `moyens` (named by their `role`, `poste` or `element`). The
means a kit scales are the descriptor's with the chosen options applied; each change is kept, in
words, for the kit to show. Options apply to the full version only: the mode dégradé keeps its
own means. An added role without its own cost takes the `cout_etp_annuel` written in `ajoute`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .scalars import normalize_name

if TYPE_CHECKING:
    from .models import Innovation, MoyenFinancier, MoyenHumain, MoyenMateriel, Moyens


@dataclass(frozen=True)
class Changement:
    """What one chosen option changed in the means."""

    marge: str  # the marge's title
    option: str
    description: str | None
    ajoute: list[str] = field(default_factory=list)  # labels of the lines added
    retire: list[str] = field(default_factory=list)  # labels of the lines removed


def lines(moyens: Moyens) -> list[MoyenHumain | MoyenFinancier | MoyenMateriel]:
    """Every human, financial and material line of these means, in that order."""
    out: list[MoyenHumain | MoyenFinancier | MoyenMateriel] = []
    out += moyens.humains
    out += moyens.financiers
    out += moyens.materiels
    return out


def line_label(item: MoyenHumain | MoyenFinancier | MoyenMateriel) -> str:
    """The name a `retire` uses for a means line: its role, poste or element."""
    fields = item.__dict__  # a missing attribute of a model is slow to ask for (an exception)
    for attribute in ("role", "poste", "element"):
        value = fields.get(attribute)
        if isinstance(value, str):
            return value
    raise TypeError(type(item).__name__)


def _costed(humain: MoyenHumain, ajoute: Moyens) -> MoyenHumain:
    """An added role keeps the ETP cost written with the option's means."""
    if humain.cout_annuel is None and ajoute.cout_etp_annuel is not None:
        return humain.model_copy(update={"cout_annuel": ajoute.cout_etp_annuel})
    return humain


def apply_choices(innovation: Innovation, choix: dict[str, str]) -> tuple[Moyens, list[Changement]]:
    """The descriptor's means with the options chosen by the territory applied, and the changes."""
    moyens = innovation.moyens
    changes: list[Changement] = []
    removed: set[str] = set()
    humains, financiers, materiels = [], [], []
    partenaires = []
    marges = {m.id: m for m in innovation.marges}
    for marge_id, choice in sorted(choix.items()):
        marge = marges.get(marge_id)
        chosen = marge.chosen(choice) if marge else None
        for option in chosen or []:
            if isinstance(option, str) or (option.ajoute is None and not option.retire):
                continue
            assert marge is not None
            added: list[str] = []
            if option.ajoute is not None:
                humains += [_costed(h, option.ajoute) for h in option.ajoute.humains]
                financiers += option.ajoute.financiers
                materiels += option.ajoute.materiels
                partenaires += option.ajoute.partenaires
                added = [line_label(item) for item in lines(option.ajoute)]
                added += [p.acteur for p in option.ajoute.partenaires]
            wanted = {normalize_name(name) for name in option.retire}
            removed |= wanted
            gone = [
                line_label(item)
                for item in lines(moyens)
                if normalize_name(line_label(item)) in wanted
            ]
            changes.append(Changement(marge.titre, option.option, option.description, added, gone))
    if not changes:
        return moyens, []

    def kept(items: list) -> list:
        return [i for i in items if normalize_name(line_label(i)) not in removed]

    adapted = moyens.model_copy(
        update={
            "humains": kept(list(moyens.humains)) + humains,
            "financiers": kept(list(moyens.financiers)) + financiers,
            "materiels": kept(list(moyens.materiels)) + materiels,
            "partenaires": list(moyens.partenaires) + partenaires,
        }
    )
    return adapted, changes
