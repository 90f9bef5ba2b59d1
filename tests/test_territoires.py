"""The official territory reference and the resolution of --territoire."""

from __future__ import annotations

import pytest

from essaimage.territoires import TerritoryNotFound, normalize_name, reference


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ("44", "Loire-Atlantique (44, département)"),
        ("2a", "Corse-du-Sud (2A, département)"),
        ("971", "Guadeloupe (971, département)"),
        ("44109", "Nantes (44109, Loire-Atlantique)"),
        ("244400404", "Nantes Métropole (244400404, EPCI, Loire-Atlantique)"),
        ("Saint-Étienne", "Saint-Étienne (42218, Loire)"),
        ("saint etienne", "Saint-Étienne (42218, Loire)"),
        ("SAINT-ETIENNE", "Saint-Étienne (42218, Loire)"),
        ("region:53", "Bretagne (53, région)"),
        ("commune:Paris", "Paris (75056, Paris)"),
    ],
)
def test_find_by_code_or_name(query, label):
    ref = reference()
    assert ref.label(ref.find(query)) == label


def test_populations_of_higher_levels_are_sums_of_communes():
    ref = reference()
    communes = [t for t in ref.all() if t.type == "commune" and t.parent == "44"]
    assert ref.get("departement", "44").population == sum(c.population or 0 for c in communes)
    assert len(communes) > 150


def test_ambiguous_name_lists_candidates_with_codes():
    with pytest.raises(TerritoryNotFound) as caught:
        reference().find("Sainte-Colombe")
    assert "plusieurs territoires" in caught.value.message
    assert "Sainte-Colombe (35262, Ille-et-Vilaine)" in caught.value.candidates
    assert len(caught.value.candidates) >= 10


def test_unknown_name_suggests_the_closest():
    with pytest.raises(TerritoryNotFound) as caught:
        reference().find("Nantess")
    assert caught.value.candidates[0] == "Nantes (44109, Loire-Atlantique)"


def test_unknown_code():
    with pytest.raises(TerritoryNotFound, match="aucun territoire officiel n'a le code"):
        reference().find("99999")


def test_names_compare_without_case_accents_or_hyphens():
    assert normalize_name("Saint-Étienne-du-Rouvray") == normalize_name("saint etienne du rouvray")
    assert normalize_name("L'Haÿ-les-Roses") == normalize_name("l hay les roses")
