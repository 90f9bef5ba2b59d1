"""Who pays how much, year by year, and what is left for the repreneur (the reste à charge).

The plan is the profile's `financements` when it has one (it replaces the typical plan), else the
descriptor's; a scale-up plan's own `financements` come after it. Each item pays, in each year of
the budget:
- `part`: that percentage of what `porte_sur` covers (investment, operation, or both);
- `montant`: that amount per `par` base (per site by default, like the means), once (`unique`,
  the default for investment: in the year the investment is spent), every year (`annuel`,
  the default otherwise) or every month (`mensuel`), spread by month from the launch;
- `echeancier`: an amount per year of operation (the N-th twelve months from the launch) or per
  calendar year (spread over its months of operation), on the same `par` base;
- `plafond` caps each payment (the one-off sum, or each year's), `taux_max` caps it at that
  percentage of what `porte_sur` covers that year, `duree_ans` limits the payments for
  operation to that many periods of twelve months from the launch (a share of operation also
  covers the preparation months before them).

The repreneur's own contribution (`nature: autofinancement`) is shown as its apport: it is not
subtracted from the reste à charge, it says how much of it is already found. Payments are
rounded to the euro, and the reste à charge is the printed cost minus the printed payments.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from ..format.vocabulary import DE_PORTE_SUR
from ..text.french import euros, euros_centimes, nombre, pluriel
from ..text.words import normalize_name
from . import means
from .budget import calendar_year_bounds, overlap, to_euro

if TYPE_CHECKING:
    from ..format.models import Echeance, Financement
    from .budget import Annee, Budget

Origine = Literal["profil", "descripteur", "plan"]
TOLERANCE = 0.5  # euros: rounding noise is not over-funding
APPORT = "autofinancement"
NOT_PUBLIC = frozenset({"mecenat", "participation-usagers", APPORT})
PUBLIC_CEILING = 80  # % of an investment a collectivité leads (CGCT, article L1111-10)


@dataclass(frozen=True)
class Versement:
    """What one funder pays, year by year."""

    financement: Financement
    index: int  # position in its file's `financements`
    par_annee: list[float | None]  # None when the amount cannot be computed
    calcul: str  # the computation in words
    note: str | None = None
    origine: Origine = "descripteur"

    @property
    def total(self) -> float:
        """The payments over the years shown."""
        return sum(v or 0.0 for v in self.par_annee)

    @property
    def apport(self) -> bool:
        """True for the repreneur's own contribution (autofinancement)."""
        return self.financement.nature == APPORT


@dataclass
class PlanFinancement:
    """The funding plan applied to a budget."""

    origine: Origine
    versements: list[Versement]
    reste_a_charge: list[float] = field(default_factory=list)  # per year, never below 0
    apport: list[float] = field(default_factory=list)  # the repreneur's planned apport, per year
    reste_a_trouver: list[float] = field(default_factory=list)  # reste à charge − apport, ≥ 0
    excedents: list[tuple[str, float, float]] = field(
        default_factory=list
    )  # « en 2027 », paid, cost
    plafonnements: list[tuple[str, float, float, float]] = field(
        default_factory=list
    )  # « en 2027 », public aid asked, its ceiling, investment, when the ceiling cut it
    incomplet: bool = False  # some payment could not be computed
    sur_cout_supplementaire: bool = False  # applied to the extra cost beside what is in place

    @property
    def financeurs(self) -> list[Versement]:
        """The payments of others than the repreneur."""
        return [v for v in self.versements if not v.apport]

    @property
    def apports(self) -> list[Versement]:
        """The repreneur's own planned contributions."""
        return [v for v in self.versements if v.apport]

    @property
    def avec_plan(self) -> bool:
        """True when the territory's own plan (or the descriptor's) is followed by a scale-up
        plan's common funding."""
        return self.origine != "plan" and any(v.origine == "plan" for v in self.versements)

    def finance(self, numero: int) -> float:
        """What the funders (the repreneur's apport aside) pay in this year."""
        return sum(v.par_annee[numero - 1] or 0.0 for v in self.financeurs)


def periodicity(financement: Financement) -> str:
    """How often an amount is paid: as written, else once for investment, else every year."""
    if financement.periodicite:
        return financement.periodicite
    return "unique" if financement.porte_sur == "investissement" else "annuel"


def _rank(number: int) -> str:
    return "1re" if number == 1 else f"{number}e"


def _when(echeance: Echeance) -> str:
    if echeance.annee is not None:
        return f"en {echeance.annee}"
    return f"la {_rank(echeance.annee_de_fonctionnement or 1)} année de fonctionnement"


def terms_text(financement: Financement) -> str:
    """What a funding item pays, in words, before any computation."""
    if financement.part is not None:
        words = f"{nombre(financement.part)} % {DE_PORTE_SUR[financement.porte_sur]}"
    elif financement.echeancier is not None:
        base = means.base_label(financement.par)
        words = f"par {base} : " + ", ".join(
            f"{euros_centimes(e.montant)} {_when(e)}" for e in financement.echeancier
        )
    else:
        assert financement.montant is not None
        words = (
            f"{euros_centimes(financement.montant)} par {means.base_label(financement.par)}"
            f"{means.ET_PERIODES[periodicity(financement)]}"
        )
    limits = limits_text(financement)
    return f"{words}, {limits}" if limits else words


def limits_text(financement: Financement, with_preparation: bool = False) -> str:
    """The caps and the duration of a funding item, in words (empty when it has none);
    `with_preparation` when a share of operation also pays the preparation months."""
    extra = []
    if financement.plafond is not None:
        extra.append(f"au plus {euros(financement.plafond)} par versement")
    if financement.taux_max is not None:
        extra.append(
            f"au plus {nombre(financement.taux_max)} % {DE_PORTE_SUR[financement.porte_sur]}"
            " chaque année"
        )
    if financement.duree_ans is not None:
        years = financement.duree_ans
        first = pluriel(years, "la première année", f"les {nombre(years)} premières années")
        if with_preparation:
            extra.append(
                f"pendant la préparation et {first} de fonctionnement (jusqu'à "
                f"{nombre(12 * years)} mois après le lancement)"
            )
        else:
            extra.append(
                f"pendant {first} de fonctionnement ({nombre(12 * years)} mois à partir du "
                "lancement)"
            )
    return ", ".join(extra)


# --- the bases ---------------------------------------------------------------------------------


def _operation_window(financement: Financement, budget: Budget) -> tuple[float, float]:
    """The months whose operation this item may pay for: from the launch, for `duree_ans`
    periods of twelve months when given."""
    launch = budget.lancement_mois
    if financement.duree_ans is None:
        return launch, math.inf
    return launch, launch + 12 * financement.duree_ans


def _base(financement: Financement, budget: Budget, annee: Annee) -> float:
    """What `porte_sur` covers in this year, within the item's duration (not rounded)."""
    start, end = annee.debut_mois, annee.fin_mois
    total = 0.0
    if financement.porte_sur in ("investissement", "tout"):
        total += budget.investissement_entre(start, end)
    if financement.porte_sur in ("fonctionnement", "tout"):
        _, high = _operation_window(financement, budget)
        # the preparation months come before the launch: a share of operation covers them
        total += budget.fonctionnement_entre(start, min(end, high))
    return total


def _capped(value: float, financement: Financement, base: float) -> float:
    if financement.plafond is not None:
        value = min(value, financement.plafond)
    if financement.taux_max is not None:
        value = min(value, base * financement.taux_max / 100)
    return to_euro(value)


# --- the kinds of items ------------------------------------------------------------------------


def _by_share(financement: Financement, budget: Budget) -> tuple[list[float | None], str]:
    share = financement.part or 0.0
    amounts: list[float | None] = []
    for annee in budget.annees:
        base = _base(financement, budget, annee)
        amounts.append(_capped(base * share / 100, financement, base))
    words = f"{nombre(share)} % {DE_PORTE_SUR[financement.porte_sur]}"
    return amounts, words


def _by_amount(
    financement: Financement, budget: Budget, effectifs: means.Effectifs
) -> tuple[list[float | None], str, str | None]:
    assert financement.montant is not None
    periodicite = periodicity(financement)
    scaled, _, words, note = means.scale(
        financement.montant,
        financement.par,
        effectifs,
        euros_centimes,  # to the cent when it has cents: what is paid, month by month
        means.PERIODES[periodicite],
        et_suffix=means.ET_PERIODES[periodicite],
    )
    if scaled is None:
        return [None] * len(budget.annees), words, note
    if periodicite == "unique":
        paid_in = _one_off_year(financement, budget)
        amounts: list[float | None] = [
            _capped(scaled, financement, _base(financement, budget, a))
            if a.numero == paid_in
            else 0.0
            for a in budget.annees
        ]
        return amounts, words, None
    yearly = scaled * 12 if periodicite == "mensuel" else scaled
    low, high = _operation_window(financement, budget)
    amounts = []
    for annee in budget.annees:
        months = overlap(annee.debut_mois, annee.fin_mois, low, high)
        base = _base(financement, budget, annee)
        amounts.append(_capped(yearly * months / 12, financement, base))
    return amounts, words, None


def _calendar_bounds(budget: Budget, year: int) -> tuple[float, float] | None:
    """The months of calendar year `year` from the start, when the start is dated."""
    if budget.debut is None:
        return None
    index = year - budget.debut.year
    if index < 0:
        return -math.inf, -math.inf
    return calendar_year_bounds(budget.debut, index)


def _by_schedule(
    financement: Financement, budget: Budget, effectifs: means.Effectifs
) -> tuple[list[float | None], str, str | None]:
    assert financement.echeancier is not None
    low, high = _operation_window(financement, budget)
    totals: list[float | None] = [0.0] * len(budget.annees)
    parts, notes = [], []
    unplaced: list[int] = []  # calendar years that cannot be placed without a start date
    for echeance in financement.echeancier:
        scaled, _, words, note = means.scale(
            echeance.montant,
            financement.par,
            effectifs,
            euros_centimes,
        )
        parts.append(f"{words} {_when(echeance)}")
        if scaled is None:
            notes.append(note or "")
            totals = [None] * len(budget.annees)
            continue
        if echeance.annee_de_fonctionnement is not None:
            start = budget.lancement_mois + 12 * (echeance.annee_de_fonctionnement - 1)
            span = (start, start + 12.0)
        else:
            assert echeance.annee is not None
            bounds = _calendar_bounds(budget, echeance.annee)
            if bounds is None:
                unplaced.append(echeance.annee)
                totals = [None] * len(budget.annees)
                continue
            span = bounds
        running = overlap(span[0], span[1], low, high)
        if running <= 0:
            notes.append(f"rien n'est versé {_when(echeance)} : le projet n'y fonctionne pas")
            continue
        for index, annee in enumerate(budget.annees):
            months = overlap(
                annee.debut_mois, annee.fin_mois, max(span[0], low), min(span[1], high)
            )
            if months and totals[index] is not None:
                totals[index] = (totals[index] or 0.0) + scaled * months / running
    if unplaced:
        years = ", ".join(str(year) for year in unplaced[:-1])
        years = f"{years} et {unplaced[-1]}" if years else str(unplaced[-1])
        notes.append(
            f"sans date de début du projet, "
            f"{'le montant' if len(unplaced) == 1 else 'les montants'} de {years} ne "
            f"{'peut' if len(unplaced) == 1 else 'peuvent'} pas être "
            f"{'placé' if len(unplaced) == 1 else 'placés'}"
        )
    amounts: list[float | None] = []
    for annee, value in zip(budget.annees, totals, strict=True):
        if value is None:
            amounts.append(None)
            continue
        amounts.append(_capped(value, financement, _base(financement, budget, annee)))
    words = f"échéancier : {' ; '.join(parts)}"
    return amounts, words, " ; ".join(n for n in notes if n) or None


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


def versement(
    financement: Financement,
    index: int,
    origine: Origine,
    budget: Budget,
    effectifs: means.Effectifs,
) -> Versement:
    """One item's payments on this budget, with the computation in words."""
    note = None
    if financement.part is not None:
        amounts, words = _by_share(financement, budget)
    elif financement.echeancier is not None:
        amounts, words, note = _by_schedule(financement, budget, effectifs)
    else:
        amounts, words, note = _by_amount(financement, budget, effectifs)
    with_preparation = (
        financement.part is not None
        and financement.porte_sur != "investissement"
        and budget.preparation_annuel > 0
        and budget.lancement_mois > 0
    )
    conditions = limits_text(financement, with_preparation)
    if conditions:
        words = f"{words}, {conditions}"
    return Versement(financement, index, amounts, words, note, origine)


def is_public(financement: Financement) -> bool:
    """Public aid: every nature but patronage, users' payments and the repreneur's apport."""
    return financement.nature not in NOT_PUBLIC


def _on_investment(versement: Versement, annee: Annee, value: float) -> float:
    """The part of a payment that funds the year's investment."""
    porte_sur = versement.financement.porte_sur
    if porte_sur == "investissement":
        return value
    if porte_sur == "tout" and annee.total:
        return value * annee.investissement / annee.total
    return 0.0


def public_ceiling(investment: float) -> float:
    """The most public aid may pay of a collectivité's investment: 80 % of it, to the euro."""
    return to_euro(investment * PUBLIC_CEILING / 100)


def _public_ceiling(plan: PlanFinancement, budget: Budget) -> None:
    """CGCT L1111-10: the maître d'ouvrage pays at least 20 % of its investment. Public aid
    above 80 % of a year's investment is taken back, from the last listed funder first, and the
    payments say so."""
    for index, annee in enumerate(budget.annees):
        if not annee.investissement:
            continue
        public = [
            (position, v)
            for position, v in enumerate(plan.versements)
            if is_public(v.financement) and v.par_annee[index]
        ]
        asked = sum(_on_investment(v, annee, v.par_annee[index] or 0.0) for _, v in public)
        ceiling = public_ceiling(annee.investissement)
        excess = to_euro(asked - ceiling)
        if excess <= TOLERANCE:
            continue
        plan.plafonnements.append((annee.en, to_euro(asked), ceiling, annee.investissement))
        for position, v in reversed(public):
            if excess <= 0:
                break
            value = v.par_annee[index] or 0.0
            cut = min(excess, to_euro(_on_investment(v, annee, value)))
            if cut <= 0:
                continue
            excess -= cut
            amounts = list(v.par_annee)
            amounts[index] = value - cut
            note = (
                f"réduit de {euros(cut)} {annee.en} : l'aide publique est limitée à 80 % de "
                "l'investissement d'une collectivité qui en est le maître d'ouvrage (article "
                "L1111-10 du code général des collectivités territoriales)"
            )
            note = f"{v.note} ; {note}" if v.note else note
            plan.versements[position] = Versement(
                v.financement, v.index, amounts, v.calcul, note, v.origine
            )


# How a funder names the kind of collectivité it is (as `normalize_name` folds it): when the
# repreneur is that kind of collectivité, such a line is its own money, not a funding from outside.
BODIES: dict[str, tuple[str, ...]] = {
    "departement": ("departement", "conseil departemental"),
    "region": ("region", "conseil regional"),
    "commune": ("commune", "ville", "mairie", "municipalite"),
    "epci": (
        "intercommunalite", "epci", "communaute de communes", "communaute d agglomeration",
        "communaute urbaine", "metropole",
    ),
}  # fmt: skip


def own_body(financement: Financement, type_repreneur: str | None) -> bool:
    """Whether `financement` is paid by the same kind of collectivité as the repreneur (a
    « Département » line for a département that takes the innovation over): then it is the
    repreneur's own money."""
    starts = BODIES.get(type_repreneur or "")
    if not starts or financement.nature == APPORT:
        return False
    name = normalize_name(financement.financeur)
    return any(name == start or name.startswith((start + " ", start + ",")) for start in starts)


def as_own_money(financements: list[Financement], type_repreneur: str | None) -> list[Financement]:
    """The funding plan with the lines the repreneur would pay to itself made its apport
    (`nature: autofinancement`): they reduce what is left to find, not the reste à charge."""
    return [
        f.model_copy(update={"nature": APPORT}) if own_body(f, type_repreneur) else f
        for f in financements
    ]


def compute(
    financements: list[Financement],
    origine: Origine,
    budget: Budget,
    effectifs: means.Effectifs,
    du_plan: list[Financement] | None = None,
    collectivite: bool = False,
) -> PlanFinancement:
    """Each funder's payments per year and the reste à charge of the repreneur; `du_plan`, a
    scale-up plan's common funding, comes after the territory's own. For a repreneur that is a
    collectivité, public aid on an investment is held to 80 % of it."""
    plan = PlanFinancement(origine, [])
    for index, financement in enumerate(financements):
        plan.versements.append(versement(financement, index, origine, budget, effectifs))
    for index, financement in enumerate(du_plan or []):
        plan.versements.append(versement(financement, index, "plan", budget, effectifs))
    if collectivite:
        _public_ceiling(plan, budget)
    plan.incomplet = any(None in v.par_annee for v in plan.versements)
    for annee in budget.annees:
        paid = plan.finance(annee.numero)
        if paid > annee.total + TOLERANCE:
            plan.excedents.append((annee.en, paid, annee.total))
        left = max(annee.total - paid, 0.0)
        own = sum(v.par_annee[annee.numero - 1] or 0.0 for v in plan.apports)
        plan.reste_a_charge.append(left)
        plan.apport.append(own)
        plan.reste_a_trouver.append(max(left - own, 0.0))
    return plan
