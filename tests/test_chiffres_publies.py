"""Acceptance: kits made from published figures, read figure by figure as an élu reads them.

The descriptors and profiles of tests/data/chiffres-publies/ are written as new users would
write them, from published public figures (each figure of the YAML says its source, its date,
or that it is an hypothesis). Each test makes the kit through the command line and reads the Markdown it
prints: page 1 (« En bref » rows « Coût » and « Reste à charge »), the « Budget année par
année » table and the « Plan de financement » table. Every assertion says how the figure is
redone by hand from the inputs (format v1.2: « Means », « Territory profile », « Corrections »).

A test marked xfail(strict=True) asserts the correct behaviour that the kit does not have yet;
its reason names the defect. Remove the mark when the code is fixed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import invoke, lisible

DATA = Path(__file__).resolve().parent / "data" / "chiffres-publies"
INNOVATIONS = DATA / "innovations"
TERRITOIRES = DATA / "territoires"

# every (descriptor, profile) pair of the data, checked for rounding (correction 10)
KITS = [
    ("france-services", "departement-six-maisons"),
    ("conseiller-numerique", "commune-conseiller-2023"),
    ("conseiller-numerique", "commune-conseiller-2021"),
    ("territoire-zero-chomeur", "ebe-quarante-salaries"),
    ("territoire-zero-chomeur", "ebe-couts-locaux"),
    ("cantine-en-regie", "commune-cantine"),
    ("pedibus", "commune-quatre-lignes"),
    ("pedibus", "commune-arrondis"),
]


# --- reading a kit ------------------------------------------------------------------------------


def run_kit(tmp_path: Path, innovation: str | Path, profile: str | Path):
    """`essaimage kit DESCRIPTEUR --territoire PROFIL -o DOSSIER -f md`, as a user types it."""
    descriptor = innovation if isinstance(innovation, Path) else INNOVATIONS / f"{innovation}.yaml"
    territoire = profile if isinstance(profile, Path) else TERRITOIRES / f"{profile}.yaml"
    out = tmp_path / "kits"
    result = invoke(
        "kit", str(descriptor), "--territoire", str(territoire), "-o", str(out), "-f", "md"
    )
    return result, out / descriptor.stem / f"{territoire.stem}.md"


def make_kit(tmp_path: Path, innovation: str | Path, profile: str | Path) -> str:
    """The Markdown kit, with its typography undone (no-break spaces as spaces, ’ as ')."""
    result, written = run_kit(tmp_path, innovation, profile)
    assert result.exit_code == 0, result.output
    return lisible(written.read_text(encoding="utf-8"))


def variant(tmp_path: Path, profile: str, old: str, new: str) -> Path:
    """A copy of a profile of the data with one text replaced: what a user changes in it."""
    text = (TERRITOIRES / f"{profile}.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / f"{profile}-variante.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def table(md: str, heading: str) -> list[list[str]]:
    """The rows (header first, separator left out) of the first table under the heading that
    starts with `heading`."""
    lines = md.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(heading))
    rows: list[list[str]] = []
    for line in lines[start + 1 :]:
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip()[1:-1].split("|")])
        elif rows:
            break
        else:
            assert not line.startswith("#"), f"no table under « {heading} »"
    return [rows[0], *rows[2:]]


def en_bref(md: str, repere: str) -> str:
    """A row of the page-1 table « En bref »."""
    rows = table(md, "### En bref")
    [value] = [cells[1] for cells in rows[1:] if cells[0] == repere]
    return value


def amount(cell: str) -> float:
    """`**142 500 €**` → 142500, `1,5` → 1.5."""
    text = cell.replace("*", "").replace("€", "").replace(" ", "").replace(",", ".")
    return float(text)


def au_euro(value: float) -> float:
    """Rounded to the euro, halves up, as the kit rounds."""
    return float(math.floor(value + 0.5 + 1e-9))


@dataclass(frozen=True)
class Annee:
    """One row of « Budget année par année »."""

    periode: str
    preparation: float
    fonctionnement_mois: float
    investissement: float
    fonctionnement: float
    personnel: float
    total: float


def budget(md: str) -> list[Annee]:
    header, *rows = table(md, "### Budget année par année")
    assert header == [
        "Année",
        "Mois de préparation",
        "Mois de fonctionnement",
        "Investissement",
        "Fonctionnement",
        "dont personnel",
        "Total",
    ]
    return [Annee(r[0], *(amount(c) for c in r[1:])) for r in rows]


@dataclass(frozen=True)
class Plan:
    """« Plan de financement »: the years, each funder's payments by name, the reste à charge,
    the repreneur's apports and the reste à trouver."""

    annees: list[str]
    calculs: dict[str, str]
    financeurs: dict[str, list[float | None]]  # None: « à calculer »
    reste_a_charge: list[float | None]
    apports: dict[str, list[float | None]]
    reste_a_trouver: list[float | None] | None


def plan(md: str) -> Plan:
    header, *rows = table(md, "### Plan de financement")
    assert header[:3] == ["Financeur", "Nature", "Calcul"]
    financeurs: dict[str, list[float | None]] = {}
    apports: dict[str, list[float | None]] = {}
    calculs: dict[str, str] = {}
    reste: list[float | None] = []
    trouver: list[float | None] | None = None
    for name, nature, calcul, *years in rows:
        values = [None if y == "à calculer" else amount(y) for y in years]
        if name.startswith("**Reste à charge"):
            reste = values
        elif name == "**Reste à trouver**":
            trouver = values
        elif nature == "apport du repreneur":
            apports[name], calculs[name] = values, calcul
        else:
            financeurs[name], calculs[name] = values, calcul
    return Plan(header[3:], calculs, financeurs, reste, apports, trouver)


def reperes(md: str) -> list[str]:
    """The bullet points under the budget table."""
    lines = md.splitlines()
    start = lines.index("### Budget année par année")
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("###"))
    return [line[2:] for line in lines[start:end] if line.startswith("- ")]


# --- 1. France Services: six maisons, agents recruited and trained before opening ---------------


def test_france_services_budget_counts_the_preparation_by_calendar_year(tmp_path):
    md = make_kit(tmp_path, "france-services", "departement-six-maisons")
    years = budget(md)
    # debut 1 October 2022, 3 months of preparation: calendar years from 2022 through the first
    # one entirely in operation (2023), at least three
    assert [y.periode for y in years] == ["2022 (à partir d'octobre)", "2023", "2024"]
    # 2022: October to December, preparation only; 2 agents × 6 sites = 12 ETP paid from the start
    # (phase preparation-et-fonctionnement): 12 × 47 500 € × 3 / 12 = 142 500 €, all staff
    assert years[0] == Annee("2022 (à partir d'octobre)", 3, 0, 0, 142_500, 142_500, 142_500)
    # 2023 and 2024: 12 months of operation; staff 12 × 47 500 = 570 000 €, the lieu
    # 6 × 15 000 = 90 000 €; 570 000 + 90 000 = 660 000 €
    assert years[1] == Annee("2023", 0, 12, 0, 660_000, 570_000, 660_000)
    assert years[2] == Annee("2024", 0, 12, 0, 660_000, 570_000, 660_000)
    assert reperes(md)[:3] == [
        # the first year's total, all of it preparation
        "Coût de la première année (2022, à partir d'octobre) : 142 500 €, dont 142 500 € pour "
        "la préparation",
        # 142 500 + 660 000 + 660 000 = 1 462 500 €
        "Coût des 3 premières années (2022 à 2024) : 1 462 500 €",
        # 570 000 € a year × 3 months ÷ 12 = 142 500 €, the agents only (the lieu opens at launch)
        "Préparation : 3 mois, 142 500 € hors investissement — Agent France Services",
    ]


def test_france_services_page_1_says_the_preparation_the_issue_found_missing(tmp_path):
    md = make_kit(tmp_path, "france-services", "departement-six-maisons")
    # the first year (2022) is the 142 500 € of preparation, named as such; over three years
    # 142 500 + 660 000 + 660 000 = 1 462 500 €
    assert en_bref(md, "Coût") == (
        "142 500 € la première année (2022, à partir d'octobre), tout en préparation ; "
        "1 462 500 € sur 3 ans (2022 à 2024)"
    )


def test_france_services_state_forfait_follows_the_calendar_years(tmp_path):
    md = make_kit(tmp_path, "france-services", "departement-six-maisons")
    funding = plan(md)
    assert funding.annees == ["2022 (à partir d'octobre)", "2023", "2024"]
    [state] = funding.financeurs
    # 2022: 30 000 € per maison, but no maison is open in 2022 (opening 1 January 2023): 0 €;
    # 2023: 35 000 € × 6 = 210 000 €; 2024: 40 000 € × 6 = 240 000 €
    assert funding.financeurs[state] == [0, 210_000, 240_000]
    assert "rien n'est versé en 2022 : le projet n'y fonctionne pas" in funding.calculs[state]
    # reste à charge = cost − State: 142 500 − 0; 660 000 − 210 000 = 450 000;
    # 660 000 − 240 000 = 420 000
    assert funding.reste_a_charge == [142_500, 450_000, 420_000]
    assert funding.apports == {} and funding.reste_a_trouver is None
    # page 1: the first year's 142 500 €, and 142 500 + 450 000 + 420 000 = 1 012 500 €
    assert en_bref(md, "Reste à charge") == (
        "142 500 € la première année, 1 012 500 € sur 3 ans (plan de financement du profil)"
    )


def test_france_services_page_1_launch_row_is_correct_french(tmp_path):
    md = make_kit(tmp_path, "france-services", "departement-six-maisons")
    # 3 months from 1 October 2022: October to December 2022, opening on 1 January 2023
    assert en_bref(md, "Lancement") == (
        "3 mois de préparation, d'octobre à décembre 2022 ; fonctionnement à partir du "
        "1er janvier 2023"
    )


def test_a_first_year_of_preparation_with_no_paid_phase_says_why_it_costs_nothing(tmp_path):
    # the same descriptor without « phase » for the agents: they are paid from the launch only
    text = (INNOVATIONS / "france-services.yaml").read_text(encoding="utf-8")
    head, means = text.split("\nmoyens:\n", 1)
    means = means.replace("      phase: preparation-et-fonctionnement\n", "", 1)
    descriptor = tmp_path / "france-services.yaml"
    descriptor.write_text(f"{head}\nmoyens:\n{means}", encoding="utf-8")
    md = make_kit(tmp_path, descriptor, "departement-six-maisons")
    # 2022 is preparation only and nobody is paid in it: 0 €; 2023 and 2024 cost 660 000 € each
    assert [y.total for y in budget(md)] == [0, 660_000, 660_000]
    # correction 2: a year 1 of 0 € while the descriptor names paid roles is explained on page 1
    assert en_bref(md, "Coût") == (
        "0 € la première année (2022, à partir d'octobre) ; 1 320 000 € sur 3 ans (2022 à 2024) ; la première année n'est que "
        "préparation et la fiche de l'innovation ne dit pas qui est payé pendant la préparation (Agent "
        "France Services : « phase » à préciser) ; le fonctionnement commence en 2023"
    )


def test_france_services_without_a_start_date_says_once_why_the_years_cannot_be_placed(tmp_path):
    profile = variant(tmp_path, "departement-six-maisons", "    debut: 2022-10-01\n", "")
    md = make_kit(tmp_path, "france-services", profile)
    funding = plan(md)
    [state] = funding.financeurs
    # amounts by calendar year cannot be placed in project years: « à calculer », not deducted
    assert funding.annees == ["année 1", "année 2", "année 3"]
    assert funding.financeurs[state] == [None, None, None]
    assert funding.reste_a_charge == [y.total for y in budget(md)]
    # the reason, said once for the three years
    assert funding.calculs[state].count("sans date de début") == 1


# --- 8. the mode dégradé, valued like the full version ---------------------------------------------


def test_france_services_mode_degrade_is_valued_beside_the_full_version(tmp_path):
    md = make_kit(tmp_path, "france-services", "departement-six-maisons")
    # reduced: 1,4 ETP × 6 sites = 8,4 ETP × 47 500 € = 399 000 €, plus the lieu 90 000 € =
    # 489 000 € a year; preparation 399 000 × 3 / 12 = 99 750 € in 2022; over 3 years
    # 99 750 + 2 × 489 000 = 1 077 750 €; same funding: reste à charge
    # 99 750 + (489 000 − 210 000) + (489 000 − 240 000) = 99 750 + 279 000 + 249 000 = 627 750 €.
    # Full version: 142 500 + 2 × 660 000 = 1 462 500 €, reste à charge 1 012 500 € (above)
    assert (
        "Coût de la version minimale pour Département exemple : 99 750 € la première année, "
        "1 077 750 € sur 3 ans, dont 0 € d'investissement, puis 489 000 € par an de "
        "fonctionnement, personnel compris, et 627 750 € de reste à charge sur 3 ans. La version "
        "complète demande 142 500 € la première année, 1 462 500 € sur 3 ans, dont 0 € "
        "d'investissement, puis 660 000 € par an de fonctionnement, personnel compris, et "
        "1 012 500 € de reste à charge sur 3 ans."
    ) in md
    # the reduced means, by the same rules as the full ones
    assert "- Agent France Services : 1,4 ETP par site × 6 sites = 8,4 ETP" in md


# --- 2. conseiller numérique: 17 500 / 12 500 / 12 500 € per year of operation --------------------


def test_conseiller_numerique_schedule_is_spread_over_the_twelve_months_from_the_launch(tmp_path):
    md = make_kit(tmp_path, "conseiller-numerique", "commune-conseiller-2023")
    years = budget(md)
    # debut 1 April 2023, 3 months of training, launch 1 July 2023; first calendar year
    # entirely in operation: 2024; at least three years
    assert [y.periode for y in years] == ["2023 (à partir d'avril)", "2024", "2025"]
    # the conseiller is paid from the start: 30 000 € × 9 / 12 = 22 500 € in 2023 (3 months of
    # preparation + 6 of operation), then 30 000 € a year
    assert [(y.preparation, y.fonctionnement_mois, y.total) for y in years] == [
        (3, 6, 22_500),
        (0, 12, 30_000),
        (0, 12, 30_000),
    ]
    funding = plan(md)
    [state] = funding.financeurs
    # year 1 of operation = July 2023 – June 2024: 17 500 € spread over its 12 months,
    # 6 in 2023: 17 500 × 6 / 12 = 8 750 €;
    # 2024: 6 months of year 1 (8 750 €) + 6 of year 2 (July 2024 – June 2025):
    # 12 500 × 6 / 12 = 6 250 €; 8 750 + 6 250 = 15 000 €;
    # 2025: 6 months of year 2 (6 250 €) + 6 of year 3: 6 250 €; 12 500 €
    assert funding.financeurs[state] == [8_750, 15_000, 12_500]
    # reste à charge: 22 500 − 8 750 = 13 750; 30 000 − 15 000 = 15 000; 30 000 − 12 500 = 17 500
    assert funding.reste_a_charge == [13_750, 15_000, 17_500]
    # page 1: 2023 is 3 months of preparation (30 000 × 3 / 12 = 7 500 €) and 6 months of
    # operation (15 000 €), 7 500 + 15 000 = 22 500 €; 22 500 + 30 000 + 30 000 = 82 500 €
    assert en_bref(md, "Coût") == (
        "22 500 € la première année (2023, à partir d'avril), dont 7 500 € de préparation et "
        "15 000 € de fonctionnement ; 82 500 € sur 3 ans (2023 à 2025)"
    )
    # 13 750 + 15 000 + 17 500 = 46 250 €
    assert en_bref(md, "Reste à charge") == (
        "13 750 € la première année, 46 250 € sur 3 ans (plan de financement du profil)"
    )


# --- 6. duree_ans counts 12-month periods; a first-year bonus pays its whole amount --------------


def test_duree_ans_pays_24_months_and_a_first_year_bonus_pays_5000(tmp_path):
    md = make_kit(tmp_path, "conseiller-numerique", "commune-conseiller-2021")
    years = budget(md)
    # no debut: project years of 12 months; launch after 3 months of preparation
    assert [(y.periode, y.preparation, y.fonctionnement_mois) for y in years] == [
        ("année 1", 3, 9),
        ("année 2", 0, 12),
        ("année 3", 0, 12),
    ]
    funding = plan(md)
    state = funding.financeurs["État (plan de relance 2021)"]
    # 25 000 € a year for 24 months from the launch (correction 4), months 4 to 27:
    # 9 months in year 1 (18 750 €), 12 in year 2 (25 000 €), 3 in year 3 (6 250 €)
    assert state == [18_750, 25_000, 6_250]
    # 18 750 + 25 000 + 6 250 = 50 000 €, the published « 50.000€ par poste, sur 24 mois »
    assert sum(state) == 50_000
    bonus = funding.financeurs["Bonus de démarrage (hypothèse)"]
    # 5 000 € for the first 12 months of operation (months 4 to 15): 9 of them in year 1
    # (5 000 × 9 / 12 = 3 750 €), 3 in year 2 (1 250 €)
    assert bonus == [3_750, 1_250, 0]
    # the whole 5 000 € is paid, not the 3 750 € of its first project year alone
    assert sum(bonus) == 5_000
    # reste à charge: 30 000 − 18 750 − 3 750 = 7 500; 30 000 − 25 000 − 1 250 = 3 750;
    # 30 000 − 6 250 = 23 750
    assert funding.reste_a_charge == [7_500, 3_750, 23_750]
    # 7 500 + 3 750 + 23 750 = 35 000 €
    assert en_bref(md, "Reste à charge") == (
        "7 500 € la première année, 35 000 € sur 3 ans (plan de financement du profil)"
    )


# --- 3. TZCLD: CDE per ETP, the département's share, the EBE's own money kept apart ------------


def test_tzcld_cde_per_beneficiary_and_the_repreneurs_apport_kept_apart(tmp_path):
    md = make_kit(tmp_path, "territoire-zero-chomeur", "ebe-quarante-salaries")
    years = budget(md)
    # debut 1 July 2024, 6 months of preparation, first hires 1 January 2025
    assert [y.periode for y in years] == ["2024 (à partir de juillet)", "2025", "2026"]
    # 2024: only the chef de projet, paid from the start: 48 000 € × 6 / 12 = 24 000 €
    assert years[0] == Annee("2024 (à partir de juillet)", 6, 0, 0, 24_000, 24_000, 24_000)
    # 2025, 2026: 40 salariés × 25 000 = 1 000 000 €, chef de projet 48 000 €, encadrants
    # 40 ÷ 10 = 4 ETP × 40 000 = 160 000 €; 1 000 000 + 48 000 + 160 000 = 1 208 000 €
    assert years[1] == Annee("2025", 0, 12, 0, 1_208_000, 1_208_000, 1_208_000)
    assert years[2].total == 1_208_000
    funding = plan(md)
    # State: 20 541 € × 40 ETP = 821 640 € a year from the first hires (nothing in 2024)
    assert funding.financeurs["État (contribution au développement de l'emploi)"] == [
        0,
        821_640,
        821_640,
    ]
    # département: 3 081 € × 40 = 123 240 € a year
    assert funding.financeurs["Département"] == [0, 123_240, 123_240]
    # reste à charge = cost − State − département, the EBE's own money not subtracted:
    # 24 000; 1 208 000 − 821 640 − 123 240 = 263 120
    assert funding.reste_a_charge == [24_000, 263_120, 263_120]
    # the apport, shown as the repreneur's: 2 000 € × 40 = 80 000 € a year
    assert funding.apports == {
        "Entreprise à but d'emploi (chiffre d'affaires)": [0, 80_000, 80_000]
    }
    # reste à trouver = reste à charge − apport: 24 000; 263 120 − 80 000 = 183 120
    assert funding.reste_a_trouver == [24_000, 183_120, 183_120]
    # page 1: 24 000 + 263 120 × 2 = 550 240 €; the apport covers 0 + 80 000 × 2 = 160 000 €;
    # left to find 24 000 + 183 120 × 2 = 390 240 €
    assert en_bref(md, "Reste à charge") == (
        "24 000 € la première année, 550 240 € sur 3 ans (plan de financement du profil) ; "
        "l'apport prévu du repreneur en couvre 160 000 € sur 3 ans, il reste 390 240 € à "
        "trouver"
    )
    # 24 000 + 1 208 000 × 2 = 2 440 000 €
    assert en_bref(md, "Coût") == (
        "24 000 € la première année (2024, à partir de juillet), tout en préparation ; "
        "2 440 000 € sur 3 ans (2024 à 2026)"
    )


def test_tzcld_apport_comes_after_the_reste_a_charge_in_the_funding_table(tmp_path):
    md = make_kit(tmp_path, "territoire-zero-chomeur", "ebe-quarante-salaries")
    names = [row[0] for row in table(md, "### Plan de financement")[1:]]
    # reste à charge, then the apport du repreneur, then the reste à trouver (correction 5)
    assert names == [
        "État (contribution au développement de l'emploi)",
        "Département",
        "**Reste à charge de Commune exemple**",
        "Entreprise à but d'emploi (chiffre d'affaires)",
        "**Reste à trouver**",
    ]


# --- 7. a profile's cout_etp_annuel set aside by a role's own cost; couts_par_role wins ---------


def test_local_costs_which_value_each_role_uses_and_where_it_comes_from(tmp_path):
    md = make_kit(tmp_path, "territoire-zero-chomeur", "ebe-couts-locaux")
    team = {row[0]: row[4] for row in table(md, "### Équipe")[1:]}
    # the salariés keep their own cout_annuel (25 000 €): 40 × 25 000 = 1 000 000 €
    assert team["Salariés de l'entreprise à but d'emploi"] == (
        "1 000 000 € (40 ETP × 25 000 €, coût du rôle indiqué par la fiche de l'innovation)"
    )
    # couts_par_role wins over the role's own 48 000 €: 1 × 52 000 = 52 000 €
    assert team["Chef de projet — payé dès le début de la préparation"] == (
        "52 000 € (1 ETP × 52 000 €, coût local de ce rôle indiqué par le profil)"
    )
    # a role without its own cost takes the profile's 42 000 € over the descriptor's 40 000 €:
    # 4 × 42 000 = 168 000 €
    assert team["Encadrant technique"] == (
        "168 000 € (4 ETP × 42 000 €, coût local d'un ETP indiqué par le profil)"
    )
    # the kit says that the profile's 42 000 € was set aside for the salariés
    assert (
        "- Salariés de l'entreprise à but d'emploi : le coût local d'un ETP du profil (42 000 €) "
        "est écarté, car la fiche de l'innovation donne un coût pour ce rôle"
    ) in md
    # 2024: the chef de projet at 52 000 € × 6 / 12 = 26 000 €; then
    # 1 000 000 + 52 000 + 168 000 = 1 220 000 € a year
    assert [y.total for y in budget(md)] == [26_000, 1_220_000, 1_220_000]


def test_couts_par_role_accepted_by_validate_is_applied_by_the_kit(tmp_path):
    profile = variant(
        tmp_path,
        "ebe-couts-locaux",
        "      Chef de projet: 52 000\n",
        "      Salaries de l'entreprise a but d'emploi: 24 000\n      chef-de-projet: 52 000\n",
    )
    checked = invoke("validate", str(INNOVATIONS / "territoire-zero-chomeur.yaml"), str(profile))
    assert "R107" not in checked.output  # both names are accepted as the descriptor's roles
    md = make_kit(tmp_path, "territoire-zero-chomeur", profile)
    team = {row[0]: row[4] for row in table(md, "### Équipe")[1:]}
    # couts_par_role wins over everything: 40 × 24 000 = 960 000 €; 1 × 52 000 = 52 000 €
    assert team["Salariés de l'entreprise à but d'emploi"].startswith(
        "960 000 € (40 ETP × 24 000 €"
    )
    assert team["Chef de projet — payé dès le début de la préparation"].startswith("52 000 €")
    assert "écrivez « couts" not in md


# --- 4. cantine en régie: taux_max, the 80 % ceiling (T106), cooks already in place -------------


def test_cantine_headline_is_the_extra_cost_beside_the_full_cost(tmp_path):
    md = make_kit(tmp_path, "cantine-en-regie", "commune-cantine")
    years = budget(md)
    # full cost: 60 000 € of equipment in December 2027 (the month before the 1 January 2028
    # launch); then the cooks 300 ÷ 150 = 2 ETP × 40 000 = 80 000 € and the denrées
    # 30 € × 300 = 9 000 €: 89 000 € a year
    assert [(y.investissement, y.fonctionnement, y.total) for y in years] == [
        (60_000, 0, 60_000),
        (0, 89_000, 89_000),
        (0, 89_000, 89_000),
    ]
    rows = table(md, "#### Coût supplémentaire")
    # the cooks are in place: extra cost = full − 80 000 € from 2028: 60 000, 9 000, 9 000 €
    assert rows[1:] == [
        ["2027 (à partir de septembre)", "60 000 €", "0 €", "60 000 €"],
        ["2028", "89 000 €", "80 000 €", "9 000 €"],
        ["2029", "89 000 €", "80 000 €", "9 000 €"],
    ]
    # page 1 leads with the extra cost (60 000 + 9 000 + 9 000 = 78 000 €), the full cost
    # beside it (60 000 + 89 000 + 89 000 = 238 000 €)
    assert en_bref(md, "Coût") == (
        "coût supplémentaire de 60 000 € la première année (2027, à partir de septembre), tout "
        "en investissement ; 78 000 € sur 3 ans (2027 à 2029) ; coût complet de 60 000 € la "
        "première année et 238 000 € sur 3 ans, avec ce qui est déjà en place (Cuisinier de "
        "restauration collective)"
    )


def test_cantine_aid_capped_by_its_rate_then_public_aid_held_to_80_percent(tmp_path):
    md = make_kit(tmp_path, "cantine-en-regie", "commune-cantine")
    funding = plan(md)
    # Région: min(50 000 €, 70 % × 60 000 € = 42 000 €) = 42 000 €, with the investment
    assert funding.financeurs["Région"] == [42_000, 0, 0]
    assert "au plus 70 % de l'investissement" in funding.calculs["Région"]
    # DETR asked 30 % × 60 000 = 18 000 €: public aid 42 000 + 18 000 = 60 000 € > 80 % ×
    # 60 000 = 48 000 €; the last listed funder loses 60 000 − 48 000 = 12 000 €:
    # 18 000 − 12 000 = 6 000 €
    assert funding.financeurs["État (DETR)"] == [6_000, 0, 0]
    # said where the payment is shown
    assert funding.calculs["État (DETR)"] == (
        "30 % de l'investissement, réduit de 12 000 € en 2027 : l'aide publique est limitée à "
        "80 % de l'investissement d'une collectivité qui en est le maître d'ouvrage (article "
        "L1111-10 du code général des collectivités territoriales)"
    )
    # reste à charge on the extra cost: 60 000 − 42 000 − 6 000 = 12 000 € (the commune's 20 %),
    # then 9 000 € a year
    assert funding.reste_a_charge == [12_000, 9_000, 9_000]
    # 12 000 + 9 000 + 9 000 = 30 000 €
    assert en_bref(md, "Reste à charge") == (
        "12 000 € la première année, 30 000 € sur 3 ans (plan de financement du profil)"
    )
    # the warning under the table, and its count on page 1
    assert (
        "Attention : en 2027, les aides publiques demandées sur l'investissement (60 000 €)" in md
    )
    assert en_bref(md, "Points d'attention") == "un point, détaillé en partie 2"


def test_cantine_t106_is_a_kit_time_warning_at_the_profiles_funding(tmp_path):
    result = invoke(
        "kit",
        str(INNOVATIONS / "cantine-en-regie.yaml"),
        "--territoire",
        str(TERRITOIRES / "commune-cantine.yaml"),
        "-o",
        str(tmp_path),
        "-f",
        "md",
    )
    assert result.exit_code == 0, result.output
    # at the profile's « financements » (line 14), citing article L1111-10 of the CGCT
    assert "commune-cantine.yaml:14:5: avertissement[T106]" in lisible(result.output)
    assert "L1111-10" in result.output


def test_a_deja_en_place_naming_no_line_stops_the_kit_at_its_line(tmp_path):
    """R107 for validate, R107 for kit (issue 22, point 3.3): a kit that charged the cooks
    (238 000 € over 3 years instead of the 78 000 € of extra cost meant) is not written."""
    profile = variant(
        tmp_path,
        "commune-cantine",
        "deja_en_place: [Cuisinier de restauration collective]",
        "deja_en_place: [Cuisiniers]",
    )
    result, written = run_kit(tmp_path, "cantine-en-regie", profile)
    # an error at its line (format v1.2: « A name matching no line is an error at its line »)
    assert "commune-cantine-variante.yaml:13:21: erreur[R107]" in lisible(result.output)
    assert not written.exists()


# --- 5. Pédibus: beneficiaries from the dimensionnement when the profile gives none -------------


def test_pedibus_beneficiaries_are_sites_times_beneficiaires_par_site(tmp_path):
    md = make_kit(tmp_path, "pedibus", "commune-quatre-lignes")
    # 4 lines × 15 children per line = 60 (correction 1), and the kit says where it comes from
    assert (
        "- Bénéficiaires par an : 60, d'après le dimensionnement de l'innovation, 4 sites × 15 "
        "bénéficiaires par site (le profil n'en prévoit pas)"
    ) in md
    assert en_bref(md, "Le projet").startswith("4 sites, 60 bénéficiaires par an")
    # means per beneficiary are counted with it: 0,1 ETP per 100 × 60 = 0,06 ETP × 42 000 €
    # = 2 520 €; kits 12 € × 60 = 720 €
    assert "0,1 ETP par 100 bénéficiaires × 60 bénéficiaires = 0,06 ETP" in md
    assert "12 € par bénéficiaire et par an × 60 bénéficiaires = 720 € par an" in md
    years = budget(md)
    # 2027: balises 1 500 € × 4 = 6 000 € in October, then 2 months of operation (November,
    # December): (2 520 + 720) × 2 / 12 = 540 €; 2028 and 2029: 3 240 € each
    assert [(y.investissement, y.fonctionnement, y.total) for y in years] == [
        (6_000, 540, 6_540),
        (0, 3_240, 3_240),
        (0, 3_240, 3_240),
    ]
    # no T103: the beneficiaries were found
    assert "T103" not in md
    # page 1: 6 000 + 540 = 6 540 € the first year; 6 540 + 3 240 + 3 240 = 13 020 €
    assert en_bref(md, "Coût") == (
        "6 540 € la première année (2027, à partir de septembre), dont 6 000 € "
        "d'investissement et 540 € de fonctionnement ; 13 020 € sur 3 ans (2027 à 2029)"
    )
    # no funding plan: everything is left to pay
    assert en_bref(md, "Reste à charge") == (
        "6 540 € la première année, 13 020 € sur 3 ans : aucun plan de financement proposé, "
        "tout reste à financer"
    )


# --- 9. rounding: every printed total is the sum of the printed lines -----------------------------


def _numbers(text: str) -> list[float]:
    return [amount(m) for m in re.findall(r"\d[\d ]*(?:,\d+)? €", text)]


@pytest.mark.parametrize(("innovation", "profile"), KITS, ids=[p for _, p in KITS])
def test_every_printed_figure_is_redone_from_the_printed_figures(tmp_path, innovation, profile):
    md = make_kit(tmp_path, innovation, profile)
    years = budget(md)
    for year in years:
        # a row's total is its investment plus its operation, as printed
        assert year.total == year.investissement + year.fonctionnement, year
    financed = [y.total for y in years]
    if "#### Coût supplémentaire" in md:
        rows = table(md, "#### Coût supplémentaire")[1:]
        for periode, full, there, extra in rows:
            # coût complet − déjà en place = coût supplémentaire, as printed
            assert amount(full) - amount(there) == amount(extra), periode
        # the funding plan applies to the extra cost
        financed = [amount(extra) for *_, extra in rows]
    first, three = reperes(md)[:2]
    # « Coût des 3 premières années » is the sum of the three printed totals
    assert _numbers(three)[-1] == sum(y.total for y in years[:3])
    assert _numbers(first)[0] == years[0].total
    cost = en_bref(md, "Coût")
    headline = cost.split(" ; coût complet")[0]
    parts = re.search(
        r"la première année \([^()]*\)(?:, dont ([^;]*)|, tout en [a-zé]+)? ;", headline
    )
    assert parts is not None, cost
    # page 1: the first year is the sum of its printed parts (investment, preparation, operation)
    printed = sum(_numbers(parts.group(1))) if parts.group(1) else _numbers(headline)[0]
    assert printed == financed[0] == _numbers(headline)[0]
    # page 1: the three years are the sum of the printed totals of the funded budget
    assert _numbers(headline.split(" ; ")[1])[0] == sum(financed[:3])
    left = en_bref(md, "Reste à charge")
    if md.split("### Plan de financement\n\n", 1)[1].startswith("Ni le profil"):
        # no funding plan: the reste à charge is the cost, the first year and three years
        assert _numbers(left)[:2] == [financed[0], sum(financed[:3])]
        return
    funding = plan(md)
    for index, total in enumerate(financed):
        paid = sum(values[index] for values in funding.financeurs.values())
        # reste à charge = printed cost − printed payments of the funders, never below 0
        assert funding.reste_a_charge[index] == max(total - paid, 0), funding.annees[index]
        if funding.reste_a_trouver is not None:
            own = sum(values[index] for values in funding.apports.values())
            # reste à trouver = reste à charge − the printed apport, never below 0
            assert funding.reste_a_trouver[index] == max(funding.reste_a_charge[index] - own, 0)
    # page 1: the first year's and the three years' reste à charge, as in the table
    assert _numbers(left)[:2] == [funding.reste_a_charge[0], sum(funding.reste_a_charge[:3])]
    if funding.reste_a_trouver is not None:
        # page 1: what the apport covers and what is left to find, over three years
        covered = sum(
            min(sum(v[i] for v in funding.apports.values()), funding.reste_a_charge[i])
            for i in range(3)
        )
        assert _numbers(left)[2:4] == [covered, sum(funding.reste_a_trouver[:3])]


def test_odd_shares_and_amounts_are_rounded_once_and_add_up(tmp_path):
    md = make_kit(tmp_path, "pedibus", "commune-arrondis")
    years = budget(md)
    # 3 lines, 37 children; debut 15 September 2027, launch 15 November 2027. Balises
    # 1 500 × 3 = 4 500 €; a full year: kits 12 × 37 = 444 € + coordination
    # 0,1 × 37 / 100 = 0,04 ETP × 42 000 = 1 554 €, 1 998 €
    assert [(y.investissement, y.fonctionnement, y.total) for y in years] == [
        (4_500, 255, 4_755),  # 1 998 × (16/30 of November + December) / 12 = 255,3
        (0, 1_998, 1_998),
        (0, 1_998, 1_998),
    ]
    funding = plan(md)
    # Région, 33 % of all the budget: 33 % × 4 755 = 1 569,15; 33 % × 1 998 = 659,34
    assert funding.financeurs["Région"] == [1_569, 659, 659]
    # CAF: 21,65 € × 3 lines = 64,95 € a month for 24 months from 15 November 2027:
    # 1,53 months in 2027 (99,59), 12 in 2028 (779,40), 10,47 in 2029 (679,81)
    assert funding.financeurs["Caisse d'allocations familiales"] == [100, 779, 680]
    # reste à charge = printed cost − printed payments: 4 755 − 1 569 − 100 = 3 086;
    # 1 998 − 659 − 779 = 560; 1 998 − 659 − 680 = 659
    assert funding.reste_a_charge == [3_086, 560, 659]
    # the parents' apport, 12,5 % of operation: 12,5 % × 255 = 31,875; 12,5 % × 1 998 = 249,75
    assert funding.apports == {"Association de parents d'élèves": [32, 250, 250]}
    # reste à trouver: 3 086 − 32 = 3 054; 560 − 250 = 310; 659 − 250 = 409
    assert funding.reste_a_trouver == [3_054, 310, 409]
    # page 1: 3 086 + 560 + 659 = 4 305 €; the apport covers 32 + 250 + 250 = 532 €;
    # 3 054 + 310 + 409 = 3 773 € to find
    assert en_bref(md, "Reste à charge") == (
        "3 086 € la première année, 4 305 € sur 3 ans (plan de financement du profil) ; "
        "l'apport prévu du repreneur en couvre 532 € sur 3 ans, il reste 3 773 € à trouver"
    )


def test_a_monthly_amount_printed_in_its_computation_gives_the_yearly_payment(tmp_path):
    md = make_kit(tmp_path, "pedibus", "commune-arrondis")
    funding = plan(md)
    calcul = funding.calculs["Caisse d'allocations familiales"]
    monthly = re.search(r"= (\d[\d ]*(?:,\d+)?) € par mois", calcul)
    assert monthly is not None, calcul
    # 2028 is 12 months of operation inside the 24 months of duree_ans: 12 × the printed monthly
    # amount, rounded to the euro, is the printed payment (21,65 × 3 = 64,95; × 12 = 779,40)
    assert (
        au_euro(12 * amount(monthly.group(1)))
        == funding.financeurs["Caisse d'allocations familiales"][1]
    )


def test_a_partial_first_year_is_redone_from_its_printed_months(tmp_path):
    md = make_kit(tmp_path, "pedibus", "commune-arrondis")
    years = budget(md)
    full_year = years[1].fonctionnement  # 2028, 12 months: 444 € of kits + 1 554 € of staff
    assert full_year == 1_998
    # launch 15 November 2027: the printed months of operation × a full year ÷ 12, to the euro,
    # is the printed operation of 2027 (no preparation cost is paid in this kit)
    first = years[0]
    assert au_euro(full_year * first.fonctionnement_mois / 12) == first.fonctionnement
