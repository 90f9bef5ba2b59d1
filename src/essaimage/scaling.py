"""Scale an innovation's means to one territory, showing each computation.

A quantity given `par: site` is taken once; `par: 10000 habitants` scales with the territory's
population; `par: 8 beneficiaires` with the beneficiaries its profile plans. When the base cannot
be computed (unknown population, no planned beneficiaries) the per-unit figure is kept, with a note.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .french import etp, euros, euros_centimes, nombre, pluriel
from .scalars import Base
from .vocabulary import PERIODICITES

if TYPE_CHECKING:
    from .models import MoyenFinancier, MoyenHumain, MoyenMateriel, Moyens, Partenaire

# "1 500 € par an": the suffix of an amount by its periodicity (a one-off amount has none)
PERIODES = {key: "" if key == "unique" else f" {label}" for key, label in PERIODICITES.items()}


def per_year(amount: float, periodicite: str | None) -> float:
    """An amount as counted in a yearly budget: a monthly amount is paid twelve times."""
    return amount * 12 if periodicite == "mensuel" else amount


@dataclass(frozen=True)
class Effectifs:
    """The counts a territory offers for scaling; None when unknown."""

    habitants: int | None
    beneficiaires: int | None


@dataclass
class Ligne:
    """One means item scaled to the territory."""

    libelle: str
    base: Base
    unitaire: str  # the per-base figure, formatted: "0,02 ETP"
    quantite: float | None  # the scaled figure; None when the base cannot be computed
    resultat: str  # the scaled figure, formatted, or the per-base figure
    calcul: str  # "0,02 ETP par 8 bénéficiaires × 400 bénéficiaires = 1 ETP"
    note: str | None = None
    source: MoyenHumain | MoyenFinancier | MoyenMateriel | None = None  # the model item


@dataclass
class MoyensCalcules:
    """Every kind of means, scaled, with totals."""

    humains: list[Ligne] = field(default_factory=list)
    financiers: list[Ligne] = field(default_factory=list)
    materiels: list[Ligne] = field(default_factory=list)
    partenaires: list[Partenaire] = field(default_factory=list)
    delai_lancement_mois: float | None = None
    total_etp: float = 0.0
    investissement: float = 0.0  # one-off
    investissement_annuel: float = 0.0  # rare: investment renewed every year
    fonctionnement_annuel: float = 0.0
    fonctionnement_ponctuel: float = 0.0
    incomplet: bool = False  # some item could not be computed

    @property
    def vide(self) -> bool:
        """True when nothing is listed."""
        return not (self.humains or self.financiers or self.materiels or self.partenaires)


def base_label(base: Base) -> str:
    """`site`, `habitant`, `10 000 habitants`, `8 bénéficiaires`."""
    if base.par_site:
        return "site"
    word = "habitant" if base.unite == "habitant" else "bénéficiaire"
    if base.n == 1:
        return word
    return f"{nombre(base.n)} {pluriel(base.n, word)}"


def _count(base: Base, effectifs: Effectifs) -> int | None:
    if base.unite == "habitant":
        return effectifs.habitants
    return effectifs.beneficiaires


def _missing_note(base: Base) -> str:
    if base.unite == "habitant":
        return "population du territoire inconnue : appliquez ce ratio à votre population"
    return (
        "aucun nombre de bénéficiaires prévu par le profil du territoire : appliquez ce ratio "
        "au nombre de bénéficiaires visé"
    )


def scale(
    value: float,
    base: Base,
    effectifs: Effectifs,
    fmt: Callable[[float], str],
    suffix: str = "",
    unit_fmt: Callable[[float], str] | None = None,
) -> tuple[float | None, str, str, str | None]:
    """(scaled value or None, formatted result, computation text, note).

    `fmt` formats the scaled figure, `unit_fmt` (default `fmt`) the per-base figure.
    """
    unit_fmt = unit_fmt or fmt
    if base.par_site:
        text = unit_fmt(value) + suffix
        return value, text, f"{text} par site", None
    count = _count(base, effectifs)
    per = f"{unit_fmt(value)} par {base_label(base)}"
    if count is None:
        return None, per + suffix, per + suffix, _missing_note(base)
    word = "habitant" if base.unite == "habitant" else "bénéficiaire"
    scaled = value * count / base.n
    result = fmt(scaled) + suffix
    computation = f"{per} × {nombre(count)} {pluriel(count, word)} = {result}"
    return scaled, result, computation, None


def _materiel_fmt(value: float) -> str:
    return nombre(value)


def compute(moyens: Moyens | None, effectifs: Effectifs) -> MoyensCalcules:
    """The means scaled to a territory, with totals by kind."""
    out = MoyensCalcules()
    if moyens is None:
        return out
    out.partenaires = list(moyens.partenaires)
    out.delai_lancement_mois = moyens.delai_lancement_mois
    for humain in moyens.humains:
        _add_humain(out, humain, effectifs)
    for financier in moyens.financiers:
        _add_financier(out, financier, effectifs)
    for materiel in moyens.materiels:
        _add_materiel(out, materiel, effectifs)
    return out


def _add_humain(out: MoyensCalcules, item: MoyenHumain, effectifs: Effectifs) -> None:
    scaled, result, calc, note = scale(item.etp, item.par, effectifs, etp)
    out.humains.append(Ligne(item.role, item.par, etp(item.etp), scaled, result, calc, note, item))
    if scaled is None:
        out.incomplet = True
    else:
        out.total_etp += scaled


def _add_financier(out: MoyensCalcules, item: MoyenFinancier, effectifs: Effectifs) -> None:
    suffix = PERIODES[item.periodicite or "unique"]
    scaled, result, calc, note = scale(
        item.montant, item.par, effectifs, euros, suffix, unit_fmt=euros_centimes
    )
    unit = euros_centimes(item.montant) + suffix
    out.financiers.append(Ligne(item.poste, item.par, unit, scaled, result, calc, note, item))
    if scaled is None:
        out.incomplet = True
        return
    yearly = per_year(scaled, item.periodicite)
    if item.nature == "investissement":
        if item.periodicite == "unique":
            out.investissement += scaled
        else:
            out.investissement_annuel += yearly
    elif item.periodicite == "unique":
        out.fonctionnement_ponctuel += scaled
    else:
        out.fonctionnement_annuel += yearly


def _add_materiel(out: MoyensCalcules, item: MoyenMateriel, effectifs: Effectifs) -> None:
    scaled, result, calc, note = scale(item.quantite, item.par, effectifs, _materiel_fmt)
    if scaled is not None and not item.par.par_site and not float(scaled).is_integer():
        rounded = math.ceil(scaled - 1e-9)
        result = nombre(rounded)
        calc += f", soit {result} en arrondissant à l'unité supérieure"
        scaled = rounded
    line = Ligne(item.element, item.par, nombre(item.quantite), scaled, result, calc, note, item)
    out.materiels.append(line)
    if scaled is None:
        out.incomplet = True
