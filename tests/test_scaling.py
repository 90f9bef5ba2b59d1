"""Means scaled to a territory, with the computation shown."""

from __future__ import annotations

from essaimage.format.models import Moyens
from essaimage.kit.means import Effectifs, compute

NBSP, THIN = "\u00a0", "\u202f"


def moyens(**lists):
    return Moyens.model_validate(lists)


def test_per_beneficiary_scaling_shows_the_computation():
    result = compute(
        moyens(humains=[{"role": "Accompagnateur", "etp": "0,02", "par": "8 beneficiaires"}]),
        Effectifs(habitants=50000, beneficiaires=400),
    )
    line = result.humains[0]
    assert line.quantite == 1
    assert line.calcul == f"0,02{NBSP}ETP par 8 bénéficiaires × 400 bénéficiaires = 1{NBSP}ETP"
    assert result.total_etp == 1


def test_per_inhabitant_scaling_and_budget_totals():
    result = compute(
        moyens(
            financiers=[
                {
                    "poste": "Animation",
                    "montant": "1 500",
                    "nature": "fonctionnement",
                    "par": "10 000 habitants",
                },
                {"poste": "Outils", "montant": "800", "nature": "investissement"},
                {
                    "poste": "Loyer",
                    "montant": "100",
                    "nature": "fonctionnement",
                    "periodicite": "mensuel",
                },
                {
                    "poste": "Étude",
                    "montant": "2000",
                    "nature": "fonctionnement",
                    "periodicite": "unique",
                },
            ]
        ),
        Effectifs(habitants=48000, beneficiaires=None),
    )
    first = result.financiers[0]
    assert first.quantite == 7200
    assert first.calcul == (
        f"1{THIN}500{NBSP}€ par 10{THIN}000 habitants et par an × 48{THIN}000 habitants = 7{THIN}200{NBSP}€ par an"
    )
    assert result.investissement == 800
    assert result.fonctionnement_annuel == 7200 + 1200
    assert result.fonctionnement_ponctuel == 2000
    assert not result.incomplet


def test_missing_beneficiaries_keep_the_per_unit_figure_with_a_note():
    result = compute(
        moyens(humains=[{"role": "Cuisinier", "etp": "1", "par": "150 beneficiaires"}]),
        Effectifs(habitants=10000, beneficiaires=None),
    )
    line = result.humains[0]
    assert line.quantite is None
    assert line.resultat == f"1{NBSP}ETP par 150 bénéficiaires"
    assert "nombre de bénéficiaires non indiqué" in line.note
    assert result.incomplet and result.total_etp == 0


def test_site_quantities_do_not_scale():
    result = compute(
        moyens(humains=[{"role": "Chef de projet", "etp": "1"}]),
        Effectifs(habitants=1, beneficiaires=1),
    )
    assert result.humains[0].calcul == f"1{NBSP}ETP par site"
    assert result.total_etp == 1


def test_equipment_is_rounded_up_to_whole_units():
    result = compute(
        moyens(materiels=[{"element": "Vélo", "quantite": "1", "par": "8 beneficiaires"}]),
        Effectifs(habitants=None, beneficiaires=20),
    )
    line = result.materiels[0]
    assert line.quantite == 3
    assert line.calcul.endswith("= 2,5, soit 3 en arrondissant à l'unité supérieure")


def test_a_monthly_amount_per_beneficiary_keeps_its_period():
    """« 2,50 € par bénéficiaire × 120 = 300 € » dropped « par mois » (issue 9)."""
    result = compute(
        moyens(
            financiers=[
                {"poste": "Goûters", "montant": "2,5", "nature": "fonctionnement",
                 "periodicite": "mensuel", "par": "beneficiaire"}
            ]
        ),
        Effectifs(habitants=None, beneficiaires=120),
    )  # fmt: skip
    assert result.financiers[0].calcul == (
        f"2,50{NBSP}€ par bénéficiaire et par mois × 120 bénéficiaires = 300{NBSP}€ par mois"
    )
    assert result.fonctionnement_annuel == 3600


def test_per_site_and_per_n_sites_scale_with_the_sites():
    result = compute(
        moyens(
            humains=[{"role": "Référent", "etp": "0,5", "par": "site"}],
            materiels=[{"element": "Vélo cargo", "quantite": 1, "par": "3 sites"}],
        ),
        Effectifs(habitants=None, beneficiaires=None, sites=4),
    )
    assert result.humains[0].calcul == f"0,5{NBSP}ETP par site × 4 sites = 2{NBSP}ETP"
    # 1 × 4 ÷ 3 = 1,33, rounded up at the end
    assert result.materiels[0].quantite == 2
    assert result.materiels[0].calcul.endswith("soit 2 en arrondissant à l'unité supérieure")


def test_a_volunteer_counted_per_beneficiary_leaves_no_cost_missing():
    """Issue 22: « au moins : des coûts manquent » for volunteers, who cost nothing."""
    from essaimage.format.models import MoyenHumain, Moyens
    from essaimage.kit.means import Effectifs, compute

    unknown = Effectifs(habitants=5_000, beneficiaires=None, sites=1)
    volunteers = Moyens(
        humains=[
            MoyenHumain(role="Accompagnateurs", etp=0.02, par="8 beneficiaires", statut="benevole")
        ]
    )
    assert not compute(volunteers, unknown).incomplet
    staff = Moyens(humains=[MoyenHumain(role="Coordination", etp=0.1, par="100 beneficiaires")])
    assert compute(staff, unknown).incomplet
