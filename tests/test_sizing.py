"""How big a project is: population base, number of sites, and where each figure comes from."""

from __future__ import annotations

import pytest

from essaimage.format.models import Dimensionnement, Perimetre, Projet
from essaimage.kit.size import measure
from essaimage.kit.target import Cible


def cible(population=44_364, type="commune"):
    return Cible("Saint-Brieuc", type, "22278", population, "Saint-Brieuc", "saint-brieuc")


class Innovation:
    def __init__(self, dimensionnement=None):
        self.dimensionnement = dimensionnement


def test_without_anything_one_site_over_the_territory():
    taille = measure(Innovation(), None, cible())
    assert (taille.sites, taille.habitants, taille.beneficiaires) == (1, 44_364, None)
    assert "ni le profil du territoire ni la fiche de l'innovation" in taille.origine_sites
    assert taille.origine_habitants.startswith("population du territoire")
    assert not taille.perimetre


def test_the_profile_sites_win_over_the_dimensionnement():
    projet = Projet(sites=4, beneficiaires=240)
    taille = measure(Innovation(Dimensionnement(beneficiaires_par_site=40)), projet, cible())
    assert taille.sites == 4
    assert taille.origine_sites == "4 sites prévus par le profil du territoire"


@pytest.mark.parametrize(
    ("dimensionnement", "beneficiaires", "population", "sites", "words"),
    [
        # ceil(240 / 40) = 6
        ({"beneficiaires_par_site": 40}, 240, 44_364, 6, "240 bénéficiaires ÷ 40"),
        # ceil(250 / 40) = 6,25 -> 7
        ({"beneficiaires_par_site": 40}, 250, 44_364, 7, "soit 7 sites (arrondi au-dessus)"),
        # the larger of ceil(44 364 / 20 000) = 3 and ceil(60 / 40) = 2
        (
            {"habitants_par_site": 20_000, "beneficiaires_par_site": 40},
            60,
            44_364,
            3,
            "le plus grand des deux calculs",
        ),
        # clamped to the maximum
        ({"habitants_par_site": 1_000, "sites_max": 20}, None, 44_364, 20, "limité au maximum"),
        # raised to the minimum
        ({"beneficiaires_par_site": 500, "sites_min": 2}, 100, 44_364, 2, "porté au minimum"),
        # nothing to compute with: the minimum
        ({"beneficiaires_par_site": 40, "sites_min": 3}, None, None, 3, "le minimum"),
        # nor a minimum written: one site by default, saying what is missing (the population,
        # known, is not: « ni population ni bénéficiaires » before)
        (
            {"beneficiaires_par_site": 40},
            None,
            44_364,
            1,
            "1 site, par défaut (la fiche de l'innovation ne donne pas d'habitants par site et aucun "
            "nombre de bénéficiaires n'est prévu)",
        ),
    ],
)
def test_sites_from_the_dimensionnement(dimensionnement, beneficiaires, population, sites, words):
    projet = Projet(beneficiaires=beneficiaires) if beneficiaires else None
    taille = measure(Innovation(Dimensionnement(**dimensionnement)), projet, cible(population))
    assert taille.sites == sites
    assert words in taille.origine_sites


def test_a_written_perimeter_population_is_the_base():
    projet = Projet(perimetre=Perimetre(population=12_000, description="Les quartiers nord"))
    taille = measure(Innovation(), projet, cible())
    assert taille.habitants == 12_000 and taille.perimetre
    assert "Les quartiers nord" in taille.origine_habitants


def test_perimeter_communes_are_summed_from_the_reference():
    # Redon 9 542 + Saint-Nicolas-de-Redon + Bains-sur-Oust, COG 2026
    projet = Projet(perimetre=Perimetre(communes=["35236", "44185", "35013", "99999"]))
    taille = measure(Innovation(), projet, cible(67_666, "epci"))
    assert [c.nom for c in taille.communes] == [
        "Redon",
        "Saint-Nicolas-de-Redon",
        "Bains-sur-Oust",
    ]
    assert taille.habitants == sum(c.population for c in taille.communes) == 16_388
    assert taille.communes_inconnues == ["99999"]
    assert "somme de 3 communes" in taille.origine_habitants


def test_unknown_population_is_said():
    taille = measure(Innovation(), None, cible(None))
    assert taille.habitants is None
    assert taille.origine_habitants == "population du territoire inconnue"
