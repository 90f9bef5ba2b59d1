"""The full cost of one project, year by year: people by status, ETP valued in euros, totals.

People are counted by `statut`: paid staff (`salarie`), services bought (`prestation`),
volunteers (`benevole`) and staff made available by a partner (`mise-a-disposition`); only the
first two cost the repreneur money. A paid ETP is valued, from the first that is given, at the
profile's `couts_par_role` for its role, its role's `cout_annuel`, the profile's local
`cout_etp_annuel`, the descriptor's; with none of them the kit says the cost is missing instead
of counting 0 €.

Time runs in months from the start of the preparation (the profile's `debut`, else « mois 1 »);
the launch comes `delai_lancement_mois` later. Each line is paid in its `phase`: from the launch
(`fonctionnement`), during the preparation only (`preparation`) or from the start
(`preparation-et-fonctionnement`); investment and one-off costs are spent in the month before
the launch. Yearly amounts are spread by month. Years are calendar years (the exercice of a
public body) when the start date is known, from its year through the first calendar year
entirely in operation; else project years of twelve months from the start. At least three
years are shown, at most ten.

Every yearly figure is rounded to the euro once, here, and every total is the sum of the rounded
figures: what the kit prints can be redone by hand.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..format.models import MoyenHumain
from ..format.vocabulary import STATUTS, STATUTS_PAYES
from ..text.french import MOIS, de_mois, nombre, shift_months
from ..text.words import normalize_name
from . import means

if TYPE_CHECKING:
    from ..format.models import Moyens, Projet

YEARS_AT_LEAST = 3
YEARS_AT_MOST = 10


def to_euro(value: float) -> float:
    """An amount rounded to the euro, halves up (what `euros` prints)."""
    return float(math.floor(value + 0.5 + 1e-9))


def overlap(start: float, end: float, low: float, high: float) -> float:
    """The length of [start, end) ∩ [low, high), in months."""
    return max(min(end, high) - max(start, low), 0.0)


@dataclass(frozen=True)
class Personne:
    """A human means line, with its status and its yearly cost."""

    ligne: means.Ligne
    statut: str
    cout_etp: float | None  # euros per ETP per year, when paid and known
    origine_cout: str | None  # "coût du rôle", "valeur locale du profil", …
    cout_annuel: float | None  # ETP × cost; None when unpaid, unknown cost or unknown ETP
    phase: str = "fonctionnement"
    ecarte: str | None = None  # the cost set aside for this one, in words

    @property
    def paye(self) -> bool:
        """True when the repreneur pays for this time (salaried staff or a service)."""
        return self.statut in STATUTS_PAYES


@dataclass(frozen=True)
class Annee:
    """One year of the budget: a calendar year when the start is dated, else a project year."""

    numero: int
    periode: str  # "2027 (à partir de septembre)", "2028", or "année 1" without a start date
    debut_mois: float  # its bounds, in months from the start of the preparation
    fin_mois: float
    mois_preparation: float  # months of preparation in this year
    mois_fonctionnement: float  # months of operation in this year (0 to 12)
    investissement: float  # rounded to the euro
    fonctionnement: float  # operating costs, staff included, prorated, rounded
    personnel: float  # the staff part of `fonctionnement`, rounded
    annee_civile: int | None = None

    @property
    def total(self) -> float:
        """Investment and operation of this year."""
        return self.investissement + self.fonctionnement

    @property
    def en(self) -> str:
        """« en 2027 », « en année 1 »."""
        if self.annee_civile is not None:
            return f"en {self.annee_civile}"
        return f"en année {self.numero}"


@dataclass
class Budget:
    """The project's cost, by kind and year by year."""

    personnes: list[Personne]
    etp_par_statut: dict[str, float]  # status -> ETP, in the order of STATUTS, non-zero only
    personnel_annuel: float  # a full year of paid staff in operation
    non_chiffres: list[str]  # paid roles with no cost anywhere
    investissement: float  # one-off
    investissement_annuel: float  # renewed every year of operation
    fonctionnement_ponctuel: float
    fonctionnement_annuel: float  # a full year of operation, staff included
    lancement_mois: float  # months from the start to launch
    lancement: dt.date | None
    preparation_annuel: float = 0.0  # the yearly rate of what the preparation months cost
    personnel_preparation: float = 0.0  # its staff part
    debut: dt.date | None = None
    annees: list[Annee] = field(default_factory=list)
    incomplet: bool = False  # some cost is missing (uncomputed means or unvalued ETP)

    @property
    def depense_ponctuelle_mois(self) -> float:
        """When investment and one-off costs are spent: the middle of the month before launch."""
        return max(self.lancement_mois - 0.5, 0.0)

    @property
    def total_annee_1(self) -> float:
        """What the first year of the table costs."""
        return self.annees[0].total if self.annees else 0.0

    @property
    def total_3_ans(self) -> float:
        """What the first three years of the table cost."""
        return sum(a.total for a in self.annees[:3])

    @property
    def cout_preparation(self) -> float:
        """What the preparation months cost, investment aside (rounded)."""
        return to_euro(self.preparation_annuel * self.lancement_mois / 12)

    def cout_par_beneficiaire(self, beneficiaires: int | None) -> float | None:
        """A full year of operation (staff included, investment aside) per beneficiary."""
        if not beneficiaires or not self.fonctionnement_annuel:
            return None
        return (self.fonctionnement_annuel + self.investissement_annuel) / beneficiaires

    def fonctionnement_entre(self, start: float, end: float) -> float:
        """Operating costs (staff included) spent in [start, end), in months, not rounded."""
        launch = self.lancement_mois
        spent = self.fonctionnement_ponctuel if start <= self.depense_ponctuelle_mois < end else 0
        return (
            spent
            + self.preparation_annuel * overlap(start, end, 0.0, launch) / 12
            + self.fonctionnement_annuel * overlap(start, end, launch, math.inf) / 12
        )

    def investissement_entre(self, start: float, end: float) -> float:
        """Investment spent in [start, end), in months, not rounded."""
        spent = self.investissement if start <= self.depense_ponctuelle_mois < end else 0.0
        return spent + self.investissement_annuel * self.mois_fonctionnement_entre(start, end) / 12

    def mois_fonctionnement_entre(self, start: float, end: float) -> float:
        """Months of operation in [start, end)."""
        return overlap(start, end, self.lancement_mois, math.inf)


# Where a role's ETP cost comes from, as the kit says it.
FROM_PROFILE_ROLE = "coût local de ce rôle indiqué par le profil"
FROM_ROLE = "coût du rôle indiqué par la fiche de l'innovation"
FROM_PROFILE = "coût local d'un ETP indiqué par le profil"
FROM_DESCRIPTOR = "coût d'un ETP indiqué par la fiche de l'innovation"


def cost_of_etp(
    humain: MoyenHumain, projet: Projet | None, moyens: Moyens | None
) -> tuple[float | None, str | None]:
    """The yearly cost of one ETP of this role, and where it comes from."""
    if projet is not None and projet.couts_par_role:
        # matched as `validate` matches it (R107): case, accents, hyphens and apostrophes aside
        wanted = normalize_name(humain.role)
        for role, cost in projet.couts_par_role.items():
            if normalize_name(role) == wanted:
                return cost, FROM_PROFILE_ROLE
    if humain.cout_annuel is not None:
        return humain.cout_annuel, FROM_ROLE
    if projet is not None and projet.cout_etp_annuel is not None:
        return projet.cout_etp_annuel, FROM_PROFILE
    if moyens is not None and moyens.cout_etp_annuel is not None:
        return moyens.cout_etp_annuel, FROM_DESCRIPTOR
    return None, None


def _set_aside(humain: MoyenHumain, projet: Projet | None, origin: str | None) -> str | None:
    """The profile's local ETP cost, when this role's own cost wins over it."""
    if projet is None or projet.cout_etp_annuel is None:
        return None
    if origin != FROM_ROLE:
        return None
    local = projet.cout_etp_annuel
    return (
        f"le coût local d'un ETP du profil ({nombre(local, 0)}\u00a0€) est écarté, car la "
        "fiche de l'innovation donne un coût pour ce rôle ; écrivez « couts_par_role » dans le profil "
        "pour le remplacer"
    )


def _people(
    lines: list[means.Ligne], projet: Projet | None, moyens: Moyens | None
) -> list[Personne]:
    out = []
    for line in lines:
        humain = line.source
        assert isinstance(humain, MoyenHumain)
        statut = humain.statut
        if statut not in STATUTS_PAYES:
            out.append(Personne(line, statut, None, None, None, humain.phase))
            continue
        cost, origin = cost_of_etp(humain, projet, moyens)
        yearly = cost * line.quantite if cost is not None and line.quantite is not None else None
        aside = _set_aside(humain, projet, origin)
        out.append(Personne(line, statut, cost, origin, yearly, humain.phase, aside))
    return out


def launch_months(moyens: Moyens | None, roadmap_months: float) -> float:
    """Months from the start to launch: the launch delay, else the roadmap's length."""
    if moyens is not None and moyens.delai_lancement_mois is not None:
        return moyens.delai_lancement_mois
    return roadmap_months


def first_year_months(debut: dt.date) -> float:
    """Months from `debut` to the next 1st of January: 4 from 1 September."""
    days = calendar.monthrange(debut.year, debut.month)[1]
    return 12 - debut.month + (days - debut.day + 1) / days


def calendar_label(debut: dt.date, index: int) -> str:
    """« 2027 (à partir de septembre) » for the first year, « 2028 » for the next ones."""
    year = debut.year + index
    if index or (debut.month, debut.day) == (1, 1):
        return str(year)
    month = MOIS[debut.month - 1]
    if debut.day == 1:
        return f"{year} (à partir {de_mois(month)})"
    return f"{year} (à partir du {debut.day} {month})"


def calendar_year_bounds(debut: dt.date, index: int) -> tuple[float, float]:
    """The bounds of the `index`-th calendar year (from 0, the year of `debut`), in months from
    `debut`: the first one is cut at the start."""
    first = first_year_months(debut)
    return (0.0, first) if index == 0 else (first + 12 * (index - 1), first + 12 * index)


def year_bounds(debut: dt.date | None, count: int) -> list[tuple[float, float]]:
    """Each year's bounds in months from the start: calendar years from `debut`, else twelve
    months each."""
    if debut is None:
        return [(12.0 * n, 12.0 * (n + 1)) for n in range(count)]
    return [calendar_year_bounds(debut, n) for n in range(count)]


def years_needed(debut: dt.date | None, launch: float, years_at_least: int) -> int:
    """Through the first year entirely in operation, at least `years_at_least`, at most ten."""
    if debut is None:
        needed = math.ceil((launch + 12) / 12)
    else:
        first = first_year_months(debut)
        # the first calendar year that starts at or after the launch, counted from 1
        needed = 1 + max(math.ceil((launch - first) / 12 - 1e-9), 0) + 1
    return min(max(years_at_least, needed), YEARS_AT_MOST)


def compute(
    moyens: means.MoyensCalcules,
    source: Moyens | None,
    projet: Projet | None,
    roadmap_months: float,
    years_at_least: int = YEARS_AT_LEAST,
) -> Budget:
    """The budget of these scaled means, year by year from the project's start (at least
    `years_at_least` years: a plan asks for as many as its horizon)."""
    personnes = _people(moyens.humains, projet, source)
    etp_par_statut: dict[str, float] = {}
    for statut in STATUTS:
        total = sum(p.ligne.quantite or 0.0 for p in personnes if p.statut == statut)
        if total:
            etp_par_statut[statut] = total
    payes = [p for p in personnes if p.paye]
    non_chiffres = [p.ligne.libelle for p in payes if p.cout_etp is None]
    personnel = sum(p.cout_annuel or 0.0 for p in payes if p.phase != "preparation")
    personnel_preparation = sum(p.cout_annuel or 0.0 for p in payes if p.phase != "fonctionnement")
    debut = projet.debut if projet else None
    launch = launch_months(source, roadmap_months)
    budget = Budget(
        personnes=personnes,
        etp_par_statut=etp_par_statut,
        personnel_annuel=personnel,
        non_chiffres=non_chiffres,
        investissement=moyens.investissement,
        investissement_annuel=moyens.investissement_annuel,
        fonctionnement_ponctuel=moyens.fonctionnement_ponctuel,
        fonctionnement_annuel=moyens.fonctionnement_annuel + personnel,
        lancement_mois=launch,
        lancement=_launch_date(debut, launch),
        preparation_annuel=moyens.preparation_annuel + personnel_preparation,
        personnel_preparation=personnel_preparation,
        debut=debut,
        incomplet=moyens.incomplet or bool(non_chiffres),
    )
    count = years_needed(debut, launch, years_at_least)
    for numero, (start, end) in enumerate(year_bounds(debut, count), start=1):
        staff = (
            personnel_preparation * overlap(start, end, 0.0, launch)
            + personnel * overlap(start, end, launch, math.inf)
        ) / 12
        budget.annees.append(
            Annee(
                numero=numero,
                periode=calendar_label(debut, numero - 1) if debut else f"année {numero}",
                debut_mois=start,
                fin_mois=end,
                mois_preparation=overlap(start, end, 0.0, launch),
                mois_fonctionnement=budget.mois_fonctionnement_entre(start, end),
                investissement=to_euro(budget.investissement_entre(start, end)),
                fonctionnement=to_euro(budget.fonctionnement_entre(start, end)),
                personnel=to_euro(staff),
                annee_civile=debut.year + numero - 1 if debut else None,
            )
        )
    return budget


def _launch_date(debut: dt.date | None, months: float) -> dt.date | None:
    if debut is None:
        return None
    try:
        return shift_months(debut, months)
    except (ValueError, OverflowError):
        return None
