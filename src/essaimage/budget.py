"""The full cost of one project, year by year: people by status, ETP valued in euros, totals.

People are counted by `statut`: paid staff (`salarie`), services bought (`prestation`),
volunteers (`benevole`) and staff made available by a partner (`mise-a-disposition`); only the
first two cost the repreneur money. A paid ETP is valued at its role's `cout_annuel`, else the
profile's local `cout_etp_annuel`, else the descriptor's; with none of them the kit says the cost
is missing instead of counting 0 €.

Years are project years from the profile's start date (year 1 = its first twelve months).
Investment and one-off costs are spent during the preparation, in the month before launch at the
latest; operating costs, staff included, run from launch, prorated by month in the year that
holds it. At least three years are shown, and always a full year of operation.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import scaling
from .french import periode, shift_months
from .models import MoyenHumain
from .vocabulary import STATUTS, STATUTS_PAYES

if TYPE_CHECKING:
    from .models import Moyens, Projet

YEARS_AT_LEAST = 3
YEARS_AT_MOST = 10


@dataclass(frozen=True)
class Personne:
    """A human means line, with its status and its yearly cost."""

    ligne: scaling.Ligne
    statut: str
    cout_etp: float | None  # euros per ETP per year, when paid and known
    origine_cout: str | None  # "coût du rôle", "valeur locale du profil", …
    cout_annuel: float | None  # ETP × cost; None when unpaid, unknown cost or unknown ETP

    @property
    def paye(self) -> bool:
        """True when the repreneur pays for this time (salaried staff or a service)."""
        return self.statut in STATUTS_PAYES


@dataclass(frozen=True)
class Annee:
    """One project year of the budget."""

    numero: int
    periode: str  # "mars 2027 – février 2028", or "année 1" without a start date
    mois_fonctionnement: float  # months of operation in this year (0 to 12)
    investissement: float
    fonctionnement: float  # operating costs, staff included, prorated
    personnel: float  # the staff part of `fonctionnement`

    @property
    def total(self) -> float:
        """Investment and operation of this year."""
        return self.investissement + self.fonctionnement


@dataclass
class Budget:
    """The project's cost, by kind and year by year."""

    personnes: list[Personne]
    etp_par_statut: dict[str, float]  # status -> ETP, in the order of STATUTS, non-zero only
    personnel_annuel: float  # a full year of paid staff
    non_chiffres: list[str]  # paid roles with no cost anywhere
    investissement: float  # one-off
    investissement_annuel: float  # renewed every year of operation
    fonctionnement_ponctuel: float
    fonctionnement_annuel: float  # a full year of operation, staff included
    lancement_mois: float  # months from the start to launch
    lancement: dt.date | None
    annees: list[Annee] = field(default_factory=list)
    incomplet: bool = False  # some cost is missing (uncomputed means or unvalued ETP)

    @property
    def total_annee_1(self) -> float:
        """What the first project year costs."""
        return self.annees[0].total if self.annees else 0.0

    @property
    def total_3_ans(self) -> float:
        """What the first three project years cost."""
        return sum(a.total for a in self.annees[:3])

    def cout_par_beneficiaire(self, beneficiaires: int | None) -> float | None:
        """A full year of operation (staff included, investment aside) per beneficiary."""
        if not beneficiaires or not self.fonctionnement_annuel:
            return None
        return (self.fonctionnement_annuel + self.investissement_annuel) / beneficiaires


def cost_of_etp(
    humain: MoyenHumain, projet: Projet | None, moyens: Moyens | None
) -> tuple[float | None, str | None]:
    """The yearly cost of one ETP of this role, and where it comes from."""
    if humain.cout_annuel is not None:
        return humain.cout_annuel, "coût du rôle indiqué par le descripteur"
    if projet is not None and projet.cout_etp_annuel is not None:
        return projet.cout_etp_annuel, "coût local d'un ETP indiqué par le profil"
    if moyens is not None and moyens.cout_etp_annuel is not None:
        return moyens.cout_etp_annuel, "coût d'un ETP indiqué par le descripteur"
    return None, None


def _people(
    lines: list[scaling.Ligne], projet: Projet | None, moyens: Moyens | None
) -> list[Personne]:
    out = []
    for line in lines:
        humain = line.source
        assert isinstance(humain, MoyenHumain)
        statut = humain.statut
        if statut not in STATUTS_PAYES:
            out.append(Personne(line, statut, None, None, None))
            continue
        cost, origin = cost_of_etp(humain, projet, moyens)
        yearly = cost * line.quantite if cost is not None and line.quantite is not None else None
        out.append(Personne(line, statut, cost, origin, yearly))
    return out


def launch_months(moyens: Moyens | None, roadmap_months: float) -> float:
    """Months from the start to launch: the launch delay, else the roadmap's length."""
    if moyens is not None and moyens.delai_lancement_mois is not None:
        return moyens.delai_lancement_mois
    return roadmap_months


def _period(debut: dt.date | None, numero: int) -> str:
    if debut is None:
        return f"année {numero}"
    try:
        first = shift_months(debut, 12 * (numero - 1))
        last = shift_months(debut, 12 * numero) - dt.timedelta(days=1)
    except (ValueError, OverflowError):
        return f"année {numero}"
    return periode(first, last)


def compute(
    moyens: scaling.MoyensCalcules,
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
    personnel = sum(p.cout_annuel or 0.0 for p in payes)
    fonctionnement = moyens.fonctionnement_annuel + personnel
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
        fonctionnement_annuel=fonctionnement,
        lancement_mois=launch,
        lancement=_launch_date(debut, launch),
        incomplet=moyens.incomplet or bool(non_chiffres),
    )
    spent_in = math.floor(max(math.ceil(launch) - 1, 0) / 12) + 1  # the year of the last month
    years = min(max(years_at_least, math.ceil((launch + 12) / 12)), YEARS_AT_MOST)
    for numero in range(1, years + 1):
        running = min(max(12 * numero - launch, 0.0), 12.0)
        one_off = numero == spent_in
        budget.annees.append(
            Annee(
                numero=numero,
                periode=_period(debut, numero),
                mois_fonctionnement=running,
                investissement=(moyens.investissement if one_off else 0.0)
                + moyens.investissement_annuel * running / 12,
                fonctionnement=(moyens.fonctionnement_ponctuel if one_off else 0.0)
                + fonctionnement * running / 12,
                personnel=personnel * running / 12,
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
