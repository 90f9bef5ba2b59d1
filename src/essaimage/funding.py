"""Who pays how much, year by year, and what is left for the repreneur (the reste à charge).

The plan is the profile's `financements` when it has one (it replaces the typical plan), else the
descriptor's. Each item pays:
- `part`: that percentage of what `porte_sur` covers (investment, operation, or both) each year;
- `montant`: that amount per `par` base (per site by default, like the means), once (`unique`,
  the default for investment: in the year the investment is spent), every year (`annuel`,
  the default otherwise) or every month (`mensuel`), prorated by the months of operation;
- `plafond` caps each payment (the one-off sum, or each year's), `duree_ans` limits the
  payments for operation to the first years of operation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from . import scaling
from .french import euros, euros_centimes, nombre, pluriel
from .vocabulary import DE_PORTE_SUR

if TYPE_CHECKING:
    from .budget import Budget
    from .models import Financement

Origine = Literal["profil", "descripteur", "plan"]
TOLERANCE = 0.5  # euros: rounding noise is not over-funding


@dataclass(frozen=True)
class Versement:
    """What one funder pays, year by year."""

    financement: Financement
    index: int  # position in its file's `financements`
    par_annee: list[float | None]  # None when the amount cannot be computed
    calcul: str  # the computation in words
    note: str | None = None

    @property
    def total(self) -> float:
        """The payments over the years shown."""
        return sum(v or 0.0 for v in self.par_annee)


@dataclass
class PlanFinancement:
    """The funding plan applied to a budget."""

    origine: Origine
    versements: list[Versement]
    reste_a_charge: list[float] = field(default_factory=list)  # per year, never below 0
    excedents: list[tuple[int, float, float]] = field(default_factory=list)  # year, paid, cost
    incomplet: bool = False  # some payment could not be computed

    def finance(self, numero: int) -> float:
        """What the funders pay in this year."""
        return sum(v.par_annee[numero - 1] or 0.0 for v in self.versements)


def _operation_years(budget: Budget) -> list[int]:
    """For each year, its rank among the years of operation (0 before launch)."""
    ranks, rank = [], 0
    for annee in budget.annees:
        if annee.mois_fonctionnement > 0:
            rank += 1
            ranks.append(rank)
        else:
            ranks.append(0)
    return ranks


def _covers(financement: Financement, rank: int) -> bool:
    """Whether `duree_ans` lets this item pay for operation in a year of this rank."""
    return financement.duree_ans is None or 0 < rank <= financement.duree_ans


def _cap(value: float, plafond: float | None) -> float:
    return min(value, plafond) if plafond is not None else value


def _by_share(financement: Financement, budget: Budget) -> tuple[list[float | None], str]:
    share = financement.part or 0.0
    ranks = _operation_years(budget)
    amounts: list[float | None] = []
    for annee, rank in zip(budget.annees, ranks, strict=True):
        base = 0.0
        if financement.porte_sur in ("investissement", "tout"):
            base += annee.investissement
        if financement.porte_sur in ("fonctionnement", "tout") and _covers(financement, rank):
            base += annee.fonctionnement
        amounts.append(_cap(base * share / 100, financement.plafond))
    words = f"{nombre(share)} % {DE_PORTE_SUR[financement.porte_sur]}"
    return amounts, words


def periodicity(financement: Financement) -> str:
    """How often an amount is paid: as written, else once for investment, else every year."""
    if financement.periodicite:
        return financement.periodicite
    return "unique" if financement.porte_sur == "investissement" else "annuel"


def terms_text(financement: Financement) -> str:
    """What a funding item pays, in words, before any computation."""
    if financement.part is not None:
        words = f"{nombre(financement.part)} % {DE_PORTE_SUR[financement.porte_sur]}"
    else:
        assert financement.montant is not None
        words = (
            f"{euros_centimes(financement.montant)} par {scaling.base_label(financement.par)}"
            f"{scaling.ET_PERIODES[periodicity(financement)]}"
        )
    limits = limits_text(financement)
    return f"{words}, {limits}" if limits else words


def _by_amount(
    financement: Financement, budget: Budget, effectifs: scaling.Effectifs
) -> tuple[list[float | None], str, str | None]:
    assert financement.montant is not None
    periodicite = periodicity(financement)
    scaled, _, words, note = scaling.scale(
        financement.montant,
        financement.par,
        effectifs,
        euros,
        scaling.PERIODES[periodicite],
        unit_fmt=euros_centimes,
        et_suffix=scaling.ET_PERIODES[periodicite],
    )
    if scaled is None:
        return [None] * len(budget.annees), words, note
    ranks = _operation_years(budget)
    amounts: list[float | None] = []
    if periodicite == "unique":
        paid_in = _one_off_year(financement, budget)
        amounts = [
            _cap(scaled, financement.plafond) if a.numero == paid_in else 0.0 for a in budget.annees
        ]
        return amounts, words, None
    yearly = scaled * 12 if periodicite == "mensuel" else scaled
    for annee, rank in zip(budget.annees, ranks, strict=True):
        if not _covers(financement, rank):
            amounts.append(0.0)
            continue
        amounts.append(_cap(yearly * annee.mois_fonctionnement / 12, financement.plafond))
    return amounts, words, None


def _one_off_year(financement: Financement, budget: Budget) -> int:
    """A one-off payment comes with the investment it funds, else with the launch."""
    if financement.porte_sur != "fonctionnement":
        for annee in budget.annees:
            if annee.investissement:
                return annee.numero
    for annee in budget.annees:
        if annee.mois_fonctionnement:
            return annee.numero
    return 1


def limits_text(financement: Financement) -> str:
    """The cap and the duration of a funding item, in words (empty when it has neither)."""
    extra = []
    if financement.plafond is not None:
        extra.append(f"au plus {euros(financement.plafond)} par versement")
    if financement.duree_ans is not None:
        years = financement.duree_ans
        extra.append(
            f"pendant {pluriel(years, 'la première année', f'les {nombre(years)} premières années')}"
            " de fonctionnement"
        )
    return ", ".join(extra)


def compute(
    financements: list[Financement],
    origine: Origine,
    budget: Budget,
    effectifs: scaling.Effectifs,
) -> PlanFinancement:
    """Each funder's payments per year and the reste à charge of the repreneur."""
    plan = PlanFinancement(origine, [])
    for index, financement in enumerate(financements):
        note = None
        if financement.part is not None:
            amounts, words = _by_share(financement, budget)
        else:
            amounts, words, note = _by_amount(financement, budget, effectifs)
        conditions = limits_text(financement)
        if conditions:
            words = f"{words}, {conditions}"
        if None in amounts:
            plan.incomplet = True
        plan.versements.append(Versement(financement, index, amounts, words, note))
    for annee in budget.annees:
        paid = plan.finance(annee.numero)
        if paid > annee.total + TOLERANCE:
            plan.excedents.append((annee.numero, paid, annee.total))
        plan.reste_a_charge.append(max(annee.total - paid, 0.0))
    return plan
