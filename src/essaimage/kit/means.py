"""Scale an innovation's means to one territory, showing each computation.

Every base scales proportionally: a quantity given `par: site` is taken once per site,
`par: 10 sites` once per ten sites, `par: 10000 habitants` with the population of the project's
perimeter, `par: 8 beneficiaires` with the beneficiaries its profile plans. When the base cannot
be computed (unknown population, no planned beneficiaries) the per-unit figure is kept, with a
note. Counts of material items are rounded up at the end.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..format.models import per_year
from ..format.scalars import Base
from ..format.vocabulary import PERIODICITES, STATUTS_PAYES
from ..text.french import etp, euros_centimes, nombre, pluriel

if TYPE_CHECKING:
    from ..format.models import MoyenFinancier, MoyenHumain, MoyenMateriel, Moyens, Partenaire

# "1 500 € par an": the suffix of an amount by its periodicity (a one-off amount has none)
PERIODES = {key: "" if key == "unique" else f" {label}" for key, label in PERIODICITES.items()}
# "12 € par bénéficiaire et par an": the same after a base
ET_PERIODES = {
    key: "" if key == "unique" else f" et {label}" for key, label in PERIODICITES.items()
}


@dataclass(frozen=True)
class Effectifs:
    """The counts a territory offers for scaling; None when unknown."""

    habitants: int | None
    beneficiaires: int | None
    sites: int = 1


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
    fonctionnement_annuel: float = 0.0  # a year of operation: phases fonctionnement and both
    preparation_annuel: float = 0.0  # the yearly rate during the preparation: phases with it
    fonctionnement_ponctuel: float = 0.0
    incomplet: bool = False  # some item could not be computed
    non_calcules: list[str] = field(default_factory=list)  # the labels of those items

    @property
    def vide(self) -> bool:
        """True when nothing is listed."""
        return not (self.humains or self.financiers or self.materiels or self.partenaires)


UNIT_WORDS = {"site": "site", "habitant": "habitant", "beneficiaire": "bénéficiaire"}


def base_label(base: Base) -> str:
    """`site`, `10 sites`, `habitant`, `10 000 habitants`, `8 bénéficiaires`."""
    word = UNIT_WORDS[base.unite]
    if base.n == 1:
        return word
    return f"{nombre(base.n)} {pluriel(base.n, word)}"


def _count(base: Base, effectifs: Effectifs) -> int | None:
    if base.unite == "site":
        return effectifs.sites
    if base.unite == "habitant":
        return effectifs.habitants
    return effectifs.beneficiaires


def _missing_note(base: Base) -> str:
    if base.unite == "habitant":
        return "population du territoire inconnue ; appliquez ce ratio à votre population"
    return "nombre de bénéficiaires non indiqué ; appliquez ce ratio au nombre que vous visez"


def scale(
    value: float,
    base: Base,
    effectifs: Effectifs,
    fmt: Callable[[float], str],
    suffix: str = "",
    unit_fmt: Callable[[float], str] | None = None,
    et_suffix: str = "",
) -> tuple[float | None, str, str, str | None]:
    """(scaled value or None, formatted result, computation text, note).

    `fmt` formats the scaled figure, `unit_fmt` (default `fmt`) the per-base figure; `suffix`
    follows a figure (" par an"), `et_suffix` a base (" et par an").
    """
    unit_fmt = unit_fmt or fmt
    per = f"{unit_fmt(value)} par {base_label(base)}{et_suffix}"
    count = _count(base, effectifs)
    if base.par_site and base.n == 1 and count == 1:
        return value, unit_fmt(value) + suffix, per, None
    if count is None:
        return None, per, per, _missing_note(base)
    scaled = value * count / base.n
    result = fmt(scaled) + suffix
    word = UNIT_WORDS[base.unite]
    computation = f"{per} × {nombre(count)} {pluriel(count, word)} = {result}"
    return scaled, result, computation, None


def _materiel_fmt(value: float) -> str:
    return nombre(value)


def share(effectifs: Effectifs, sites: int) -> Effectifs:
    """The counts of `sites` of the project's sites: its inhabitants and beneficiaries in
    proportion (rounded to the unit), for a line chosen for some sites only."""
    if effectifs.sites <= 0 or sites >= effectifs.sites:
        return effectifs

    def part(value: int | None) -> int | None:
        return None if value is None else round(value * sites / effectifs.sites)

    return Effectifs(part(effectifs.habitants), part(effectifs.beneficiaires), sites)


def compute(
    moyens: Moyens | None, effectifs: Effectifs, sites_par_ligne: Mapping[int, int] | None = None
) -> MoyensCalcules:
    """The means scaled to a territory, with totals by kind; a line named in `sites_par_ligne`
    (by identity) is scaled to that many of the project's sites only."""
    out = MoyensCalcules()
    if moyens is None:
        return out
    shares = sites_par_ligne or {}
    out.partenaires = list(moyens.partenaires)
    out.delai_lancement_mois = moyens.delai_lancement_mois

    def counts(item: object) -> Effectifs:
        count = shares.get(id(item))
        return effectifs if count is None else share(effectifs, count)

    for humain in moyens.humains:
        _add_humain(out, humain, counts(humain))
    for financier in moyens.financiers:
        _add_financier(out, financier, counts(financier))
    for materiel in moyens.materiels:
        _add_materiel(out, materiel, counts(materiel))
    if shares:
        _say_shares(out, shares, effectifs.sites)
    return out


def _say_shares(out: MoyensCalcules, shares: Mapping[int, int], total: int) -> None:
    """« pour 1 des 6 sites » after the computation of a line counted for some sites only."""
    for line in (*out.humains, *out.financiers, *out.materiels):
        count = shares.get(id(line.source))
        if count is not None and count < total:
            line.calcul += f" (pour {nombre(count)} des {nombre(total)} sites)"


def _add_humain(out: MoyensCalcules, item: MoyenHumain, effectifs: Effectifs) -> None:
    scaled, result, calc, note = scale(item.etp, item.par, effectifs, etp)
    out.humains.append(Ligne(item.role, item.par, etp(item.etp), scaled, result, calc, note, item))
    if scaled is None:
        # volunteers and staff put at disposal cost the repreneur nothing: no cost is missing
        if item.statut in STATUTS_PAYES:
            out.incomplet = True
            out.non_calcules.append(item.role)
    else:
        out.total_etp += scaled


def _add_financier(out: MoyensCalcules, item: MoyenFinancier, effectifs: Effectifs) -> None:
    periodicite = item.periodicite or "unique"
    suffix = PERIODES[periodicite]
    # the scaled amount to the cent when it has cents: 12 months of « 64,95 € par mois » are
    # what the budget pays, not 12 × 65 €
    scaled, result, calc, note = scale(
        item.montant,
        item.par,
        effectifs,
        euros_centimes,
        suffix,
        et_suffix=ET_PERIODES[periodicite],
    )
    unit = euros_centimes(item.montant) + suffix
    out.financiers.append(Ligne(item.poste, item.par, unit, scaled, result, calc, note, item))
    if scaled is None:
        out.incomplet = True
        out.non_calcules.append(item.poste)
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
        if item.phase != "preparation":
            out.fonctionnement_annuel += yearly
        if item.phase in ("preparation", "preparation-et-fonctionnement"):
            out.preparation_annuel += yearly


def _add_materiel(out: MoyensCalcules, item: MoyenMateriel, effectifs: Effectifs) -> None:
    scaled, result, calc, note = scale(item.quantite, item.par, effectifs, _materiel_fmt)
    if scaled is not None and not float(scaled).is_integer():
        rounded = math.ceil(scaled - 1e-9)
        result = nombre(rounded)
        calc += f", soit {result} en arrondissant à l'unité supérieure"
        scaled = rounded
    line = Ligne(item.element, item.par, nombre(item.quantite), scaled, result, calc, note, item)
    out.materiels.append(line)
    if scaled is None:
        out.incomplet = True
        out.non_calcules.append(item.element)
