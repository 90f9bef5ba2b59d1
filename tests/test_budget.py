"""The full cost: people by status, ETP valued in euros, the budget year by year."""

from __future__ import annotations

import datetime as dt

import pytest

from essaimage.format.models import MoyenFinancier, MoyenHumain, Moyens, Projet
from essaimage.kit import budget
from essaimage.kit import means as scaling

EFFECTIFS = scaling.Effectifs(habitants=10_000, beneficiaires=100, sites=2)


def moyens(**kwargs):
    return Moyens(**kwargs)


def compute(source, projet=None, roadmap=0.0, effectifs=EFFECTIFS):
    return budget.compute(scaling.compute(source, effectifs), source, projet, roadmap)


def test_the_cost_of_an_etp_comes_from_the_role_then_the_profile_then_the_descriptor():
    source = moyens(
        cout_etp_annuel=40_000,
        humains=[
            MoyenHumain(role="A", etp=1, cout_annuel=30_000),
            MoyenHumain(role="B", etp=1),
        ],
    )
    without_profile = compute(source)
    assert [p.cout_etp for p in without_profile.personnes] == [30_000, 40_000]
    local = compute(source, Projet(cout_etp_annuel=45_000))
    assert [p.cout_etp for p in local.personnes] == [30_000, 45_000]
    assert [p.origine_cout for p in local.personnes] == [
        "coût du rôle indiqué par la fiche de l'innovation",
        "coût local d'un ETP indiqué par le profil",
    ]
    # 1 ETP per site × 2 sites each: 2 × 30 000 + 2 × 45 000
    assert local.personnel_annuel == 150_000


def test_volunteers_and_staff_made_available_are_counted_apart_and_not_costed():
    source = moyens(
        cout_etp_annuel=40_000,
        humains=[
            MoyenHumain(role="Salarié", etp=0.5),
            MoyenHumain(role="Bénévoles", etp=0.25, statut="benevole"),
            MoyenHumain(role="Agent de la mairie", etp=0.5, statut="mise-a-disposition"),
            MoyenHumain(role="Prestataire", etp=0.1, statut="prestation", cout_annuel=60_000),
        ],
    )
    result = compute(source)
    assert result.etp_par_statut == {
        "salarie": 1.0,
        "benevole": 0.5,
        "mise-a-disposition": 1.0,
        "prestation": 0.2,
    }
    assert result.personnel_annuel == 1.0 * 40_000 + 0.2 * 60_000
    assert [p.cout_annuel for p in result.personnes] == [40_000, None, None, 12_000]


def test_paid_staff_without_any_cost_is_named_not_counted_as_zero():
    result = compute(moyens(humains=[MoyenHumain(role="Coordination", etp=1)]))
    assert result.non_chiffres == ["Coordination"] and result.incomplet
    assert result.personnes[0].cout_annuel is None


def test_investment_at_preparation_operation_from_launch_prorated():
    source = moyens(
        cout_etp_annuel=36_000,
        humains=[MoyenHumain(role="Animateur", etp=0.5)],
        financiers=[
            MoyenFinancier(poste="Outils", montant=1_500, nature="investissement"),
            MoyenFinancier(
                poste="Loyer", montant=100, nature="fonctionnement", periodicite="mensuel"
            ),
        ],
        delai_lancement_mois=4,
    )
    result = compute(source, Projet(debut=dt.date(2027, 3, 1)))
    # 2 sites: 3 000 € of investment; a full year: 2 × 100 × 12 + 2 × 0,5 × 36 000 = 38 400 €
    assert result.investissement == 3_000 and result.fonctionnement_annuel == 38_400
    assert result.lancement == dt.date(2027, 7, 1)
    years = result.annees
    # by calendar year (the exercice): 2027 holds March–June of preparation, July–December of operation
    assert [a.periode for a in years] == ["2027 (à partir de mars)", "2028", "2029"]
    assert [a.mois_preparation for a in years] == [4, 0, 0]
    assert [a.mois_fonctionnement for a in years] == [6, 12, 12]
    assert [a.investissement for a in years] == [3_000, 0, 0]
    assert years[0].fonctionnement == pytest.approx(38_400 * 6 / 12)
    assert result.total_annee_1 == pytest.approx(3_000 + 19_200)
    assert result.total_3_ans == pytest.approx(3_000 + 19_200 + 2 * 38_400)
    assert result.cout_par_beneficiaire(100) == pytest.approx(384)


def test_a_long_preparation_shows_a_full_year_of_operation():
    source = moyens(
        financiers=[
            MoyenFinancier(poste="Démarrage", montant=10_000, nature="investissement"),
            MoyenFinancier(poste="Frais", montant=12_000, nature="fonctionnement"),
        ],
        delai_lancement_mois=30,
    )
    result = compute(source)
    assert [a.periode for a in result.annees] == [f"année {n}" for n in range(1, 5)]
    assert [a.mois_fonctionnement for a in result.annees] == [0, 0, 6, 12]
    # spent in the month before launch (month 30 -> year 3)
    assert [a.investissement for a in result.annees] == [0, 0, 20_000, 0]
    assert result.annees[3].fonctionnement == 24_000


def test_without_a_launch_delay_the_roadmap_gives_the_launch():
    source = moyens(financiers=[MoyenFinancier(poste="F", montant=1_200, nature="fonctionnement")])
    result = compute(source, roadmap=6)
    assert result.lancement_mois == 6
    assert [a.mois_fonctionnement for a in result.annees] == [6, 12, 12]
