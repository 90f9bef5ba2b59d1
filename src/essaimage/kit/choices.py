"""What a territory's marge choices change in the means.

A marge option written as a mapping may `ajoute` means (added when a territory chooses it) and
`retire` lines of the descriptor's `moyens` (named by their `role`, `poste` or `element`). The
means a kit scales are the descriptor's with the chosen options applied; each change is kept, in
words, for the kit to show. Options apply to the full version only: the mode dégradé keeps its
own means. A choice may differ between sites (`choix.<marge>` as a list of {option, sites}):
each option's lines are then counted for its own sites only (v1.2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..format.models import choice_items, line_label, means_lines
from ..text.french import nombre, pluriel
from ..text.words import normalize_name

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..format.models import (
        ChoixSites,
        Innovation,
        MoyenFinancier,
        MoyenHumain,
        MoyenMateriel,
        Moyens,
        Partenaire,
    )


@dataclass(frozen=True)
class Changement:
    """What one chosen option changed in the means."""

    marge: str  # the marge's title
    option: str
    description: str | None
    ajoute: list[str] = field(default_factory=list)  # labels of the lines added
    retire: list[str] = field(default_factory=list)  # labels of the lines removed
    sites: int | None = None  # the sites it applies to, when not all of them


def without_lines(moyens: Moyens, names: set[str]) -> Moyens:
    """These means without the human, financial and material lines whose name (folded by
    `normalize_name`) is in `names`; the same line objects otherwise."""

    def kept(items: list[Any]) -> list[Any]:
        return [i for i in items if normalize_name(line_label(i)) not in names]

    return moyens.model_copy(
        update={
            "humains": kept(list(moyens.humains)),
            "financiers": kept(list(moyens.financiers)),
            "materiels": kept(list(moyens.materiels)),
        }
    )


@dataclass
class Adaptation:
    """The means once the territory's choices are applied: the lines, what changed, and the
    sites each line is for when a choice differs between sites (`sites_par_ligne`, by the
    identity of the line in `moyens`; a line not in it is for all the project's sites)."""

    moyens: Moyens
    changements: list[Changement]
    sites_par_ligne: dict[int, int] = field(default_factory=dict)


def choice_words(value: str | list[ChoixSites]) -> str:
    """A choice as the kit prints it: the text, or « espace fixe (5 sites) ; bus (1 site) »."""
    if isinstance(value, str):
        return value
    return " ; ".join(
        f"{item.option} ({nombre(item.sites)} {pluriel(item.sites, 'site')})" for item in value
    )


def apply_choices(
    innovation: Innovation, choix: Mapping[str, str | list[ChoixSites]], total_sites: int = 1
) -> Adaptation:
    """The descriptor's means with the options chosen by the territory applied, and the changes.

    A choice for some sites only (a list of {option, sites}) adds its option's lines for those
    sites and removes what it `retire`s from those sites only; `total_sites` is the project's."""
    moyens = innovation.moyens
    changes: list[Changement] = []
    removed: set[str] = set()  # lines removed from every site
    fewer: dict[str, int] = {}  # lines removed from some sites: how many
    shares: dict[int, int] = {}
    humains: list[MoyenHumain] = []
    financiers: list[MoyenFinancier] = []
    materiels: list[MoyenMateriel] = []
    partenaires: list[Partenaire] = []
    marges = {m.id: m for m in innovation.marges}
    for marge_id, value in sorted(choix.items()):
        marge = marges.get(marge_id)
        for text, count in choice_items(value):
            chosen = marge.chosen(text) if marge else None
            for option in chosen or []:
                if isinstance(option, str) or (option.ajoute is None and not option.retire):
                    continue
                assert marge is not None
                added: list[str] = []
                if option.ajoute is not None:
                    # each part of a split choice has its own copies of the lines it adds
                    new_h = [h.model_copy() for h in option.ajoute.humains]
                    new_f = [f.model_copy() for f in option.ajoute.financiers]
                    new_m = [m.model_copy() for m in option.ajoute.materiels]
                    if count is not None:
                        shares.update((id(item), count) for item in (*new_h, *new_f, *new_m))
                    humains += new_h
                    financiers += new_f
                    materiels += new_m
                    partenaires += option.ajoute.partenaires
                    added = [h.role for h in new_h] + [f.poste for f in new_f]
                    added += [m.element for m in new_m]
                    added += [p.acteur for p in option.ajoute.partenaires]
                wanted = {normalize_name(name) for name in option.retire}
                if count is None:
                    removed |= wanted
                else:
                    for name in wanted:
                        fewer[name] = fewer.get(name, 0) + count
                gone = [
                    line_label(item)
                    for item in means_lines(moyens)
                    if normalize_name(line_label(item)) in wanted
                ]
                changes.append(
                    Changement(marge.titre, option.option, option.description, added, gone, count)
                )
    if not changes:
        return Adaptation(moyens, [])
    for name, count in fewer.items():
        if count >= total_sites:
            removed.add(name)

    def kept(items: list[Any]) -> list[Any]:
        out = []
        for item in items:
            name = normalize_name(line_label(item))
            if name in removed:
                continue
            if name in fewer:
                shares[id(item)] = total_sites - fewer[name]
            out.append(item)
        return out

    adapted = moyens.model_copy(
        update={
            "humains": kept(list(moyens.humains)) + humains,
            "financiers": kept(list(moyens.financiers)) + financiers,
            "materiels": kept(list(moyens.materiels)) + materiels,
            "partenaires": list(moyens.partenaires) + partenaires,
        }
    )
    return Adaptation(adapted, changes, shares)
