"""The funding plan: each funder's payments per year, and the reste à charge."""

from __future__ import annotations

import pytest

from essaimage.format.models import Financement, MoyenFinancier, Moyens
from essaimage.kit import budget, funding
from essaimage.kit import means as scaling

EFFECTIFS = scaling.Effectifs(habitants=20_000, beneficiaires=50, sites=2)

# 2 sites: 20 000 € of investment; operation 24 000 € a year; launch after 6 months
MOYENS = Moyens(
    financiers=[
        MoyenFinancier(poste="Équipement", montant=10_000, nature="investissement"),
        MoyenFinancier(poste="Frais", montant=12_000, nature="fonctionnement"),
    ],
    delai_lancement_mois=6,
)


def plan(*financements):
    cost = budget.compute(scaling.compute(MOYENS, EFFECTIFS), MOYENS, None, 0)
    items = [Financement(**f) for f in financements]
    return cost, funding.compute(items, "descripteur", cost, EFFECTIFS)


def test_the_budget_the_plan_applies_to():
    cost, _ = plan()
    assert [a.investissement for a in cost.annees] == [20_000, 0, 0]
    assert [a.fonctionnement for a in cost.annees] == [12_000, 24_000, 24_000]


def test_a_share_of_the_investment_is_paid_when_it_is_spent():
    _, result = plan({"financeur": "Région", "porte_sur": "investissement", "part": 40})
    assert result.versements[0].par_annee == [8_000, 0, 0]
    assert result.versements[0].calcul == "40 % de l'investissement"
    assert result.reste_a_charge == [24_000, 24_000, 24_000]


def test_a_share_of_operation_for_the_first_years_only():
    _, result = plan(
        {"financeur": "Fondation", "porte_sur": "fonctionnement", "part": 50, "duree_ans": 2}
    )
    # 2 periods of 12 months from the launch (month 7): 6 months in year 1, 12, then 6 (v1.2 correction 4)
    assert result.versements[0].par_annee == [6_000, 12_000, 6_000]
    assert "pendant les 2 premières années de fonctionnement" in result.versements[0].calcul


def test_an_amount_per_beneficiary_every_year_prorated_and_capped():
    _, result = plan(
        {
            "financeur": "État",
            "porte_sur": "fonctionnement",
            "montant": 400,
            "par": "beneficiaire",
            "plafond": 15_000,
        }
    )
    versement = result.versements[0]
    # 400 € × 50 = 20 000 € a year, 6 months in year 1, capped at 15 000 € a year
    assert versement.par_annee == [10_000, 15_000, 15_000]
    assert versement.calcul.startswith("400\u00a0€ par bénéficiaire et par an × 50 bénéficiaires")
    assert "au plus 15\u202f000\u00a0€ par versement" in versement.calcul


def test_a_one_off_amount_per_site_for_investment():
    _, result = plan({"financeur": "Commune", "porte_sur": "investissement", "montant": 3_000})
    assert result.versements[0].par_annee == [6_000, 0, 0]


def test_a_monthly_amount():
    _, result = plan(
        {"financeur": "Usagers", "montant": 100, "periodicite": "mensuel", "par": "site"}
    )
    # 100 € × 2 sites × 12 months = 2 400 € a year; 6 months in year 1
    assert result.versements[0].par_annee == [1_200, 2_400, 2_400]


def test_a_plan_that_pays_more_than_the_cost_is_reported():
    _, result = plan(
        {"financeur": "A", "part": 70},
        {"financeur": "B", "porte_sur": "fonctionnement", "part": 50},
    )
    # year 1: 70 % of 32 000 + 50 % of 12 000 = 28 400 €, within the cost;
    # year 2: 70 % + 50 % of the 24 000 € of operation = 28 800 €, more than the cost
    assert result.excedents == [
        ("en année 2", pytest.approx(28_800), 24_000),
        ("en année 3", pytest.approx(28_800), 24_000),
    ]
    assert result.reste_a_charge == [pytest.approx(3_600), 0, 0]


def test_an_amount_without_its_base_cannot_be_computed():
    cost = budget.compute(scaling.compute(MOYENS, EFFECTIFS), MOYENS, None, 0)
    no_beneficiaries = scaling.Effectifs(habitants=20_000, beneficiaires=None, sites=2)
    items = [Financement(financeur="État", montant=400, par="beneficiaire")]
    result = funding.compute(items, "profil", cost, no_beneficiaries)
    assert result.incomplet and result.versements[0].par_annee == [None, None, None]
    assert result.reste_a_charge == [32_000, 24_000, 24_000]


def test_a_departement_that_takes_over_pays_its_own_share_itself():
    """Territoires zéro chômeur taken over by the Côtes-d'Armor: the « Département » part of the
    CDE was counted as a funding from outside, the reste à charge understated by 12 632 100 €
    over 3 years (a repreneur's reading, issue 24). It is now the département's apport."""
    from essaimage.format.models import Financement
    from essaimage.kit.funding import own_body

    def line(financeur: str) -> Financement:
        return Financement.model_validate(
            {"financeur": financeur, "porte_sur": "fonctionnement", "part": 10}
        )

    assert own_body(line("Département, part obligatoire de la CDE"), "departement")
    assert own_body(line("Conseil départemental du Finistère"), "departement")
    assert not own_body(line("Département, part obligatoire de la CDE"), "commune")
    assert not own_body(line("Départementale 12"), "departement")  # a word, not the body
    assert own_body(line("Ville de Lannion"), "commune")
    assert own_body(line("Communauté d'agglomération"), "epci")
    assert not own_body(line("État"), "departement")

    from essaimage.check.pipeline import check_file
    from essaimage.kit.prepare import prepare
    from essaimage.kit.target import resolve_target
    from helpers import EXAMPLES

    descriptor = check_file(EXAMPLES / "innovations" / "territoires-zero-chomeur.yaml")
    kits = {
        target: prepare(descriptor.model, descriptor, resolve_target(target, []))
        for target in ("22", "Saint-Brieuc")
    }
    own = {
        target: [v.financement.financeur for v in kit.financement.apports]
        for target, kit in kits.items()
        if kit.financement is not None
    }
    assert own["22"] == [
        "Département, part obligatoire de la CDE",
        "Département, part obligatoire de la CDE des postes d'encadrement",
    ]
    assert own["Saint-Brieuc"] == []  # for a commune, the département funds from outside
    plan = kits["22"].financement
    assert plan is not None
    # 43 113 550 € left to find over 3 years, 12 632 100 € of its own: 55 745 650 € to pay
    assert round(sum(plan.reste_a_charge[:3])) == 55_745_650
    assert round(sum(plan.reste_a_trouver[:3])) == 43_113_550
