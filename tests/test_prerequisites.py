"""Honest verdicts: « rempli » only when everything the prerequisite states was checked."""

from __future__ import annotations

import pytest

from essaimage.format.models import Perimetre, Prerequis, Projet
from essaimage.kit.prerequisites import says_only_type_and_population, verdict
from essaimage.kit.size import measure
from essaimage.kit.target import Cible


class Innovation:
    dimensionnement = None


def judge(prerequis, type="commune", population=44_364, projet=None):
    cible = Cible("Lieu", type, None, population, "Lieu", "lieu")
    return verdict(Prerequis(**prerequis), cible, measure(Innovation(), projet, cible))


@pytest.mark.parametrize(
    ("statement", "only"),
    [
        ("Une commune de 2 000 à 50 000 habitants", True),
        ("Un territoire de quelques milliers à quelques dizaines de milliers d'habitants", True),
        ("Une intercommunalité rurale", True),
        ("Une école élémentaire d'au moins une centaine d'élèves", False),
        ("Une commune assez peuplée pour compter plusieurs quartiers autour d'une école", False),
        ("Des terres agricoles disponibles", False),
    ],
)
def test_what_the_tool_can_read_in_a_statement(statement, only):
    assert says_only_type_and_population(statement) is only


def test_a_matching_type_is_not_enough_when_the_statement_asks_for_more():
    """« Une école élémentaire… » is not « Rempli » because the target is a commune (issue 9)."""
    result = judge(
        {"description": "Une école élémentaire d'au moins une centaine d'élèves",
         "types_territoire": ["commune", "epci"]}
    )  # fmt: skip
    assert result.statut == "a-verifier"
    assert result.explications[-1] == "le reste de l'énoncé est à vérifier sur place"


def test_a_statement_about_type_and_size_only_can_be_met():
    result = judge(
        {"description": "Une commune de 2 000 habitants au moins", "population_min": 2000,
         "types_territoire": ["commune"]}
    )  # fmt: skip
    assert result.statut == "rempli"


def test_population_bounds_apply_to_the_perimeter():
    projet = Projet(perimetre=Perimetre(population=12_000))
    result = judge(
        {"description": "Un territoire de 5 000 à 50 000 habitants", "population_min": 5000,
         "population_max": 50000},
        type="departement", population=650_000, projet=projet,
    )  # fmt: skip
    assert result.statut == "rempli"
    assert result.explications == [
        "périmètre du projet : 12\u202f000 habitants (au moins 5\u202f000 et au plus 50\u202f000 requis)"
    ]


def test_commune_bounds_are_not_applied_to_a_region():
    result = judge(
        {"description": "Une commune de 2 000 habitants", "population_min": 2000,
         "types_territoire": ["commune"]},
        type="region", population=3_400_000,
    )  # fmt: skip
    assert result.statut == "a-verifier"
    assert "pour chaque lieu où le projet s'installera" in result.explications[0]
    assert "valent pour chaque commune" in result.explications[1]


def test_commune_bounds_are_checked_on_each_commune_of_the_perimeter():
    # Redon 9 542, Saint-Nicolas-de-Redon, Bains-sur-Oust: all under 10 000
    projet = Projet(perimetre=Perimetre(communes=["35236", "44185", "35013"]))
    met = judge(
        {"description": "Une commune de 2 000 à 10 000 habitants", "population_min": 2000,
         "population_max": 10000, "types_territoire": ["commune"]},
        type="epci", population=67_666, projet=projet,
    )  # fmt: skip
    assert met.statut == "rempli"
    assert "les 3 communes du périmètre sont dans les bornes" in met.explications[1]
    failed = judge(
        {"description": "Une commune de 5 000 habitants", "population_min": 5000,
         "types_territoire": ["commune"]},
        type="epci", population=67_666, projet=projet,
    )  # fmt: skip
    assert failed.statut == "non-rempli"
    assert failed.explications[1] == (
        "communes du périmètre hors des bornes — "
        "Saint-Nicolas-de-Redon : 3\u202f311 habitants, moins que le minimum de 5\u202f000 ; "
        "Bains-sur-Oust : 3\u202f535 habitants, moins que le minimum de 5\u202f000"
    )


def test_a_smaller_territory_than_asked_is_not_met():
    result = judge({"description": "Un département", "types_territoire": ["departement"]})
    assert result.statut == "non-rempli"
