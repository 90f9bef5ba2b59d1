"""The official territory reference and the resolution of --territoire."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES
from essaimage.errors import InvalidProfileError, TargetError
from essaimage.targets import resolve_target
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


def test_profile_by_path_completed_from_the_reference():
    cible = resolve_target(str(EXAMPLES / "territoires" / "saint-brieuc.yaml"), [])
    assert (cible.nom, cible.type, cible.code_insee) == ("Saint-Brieuc", "commune", "22278")
    assert cible.population == reference().get("commune", "22278").population
    assert cible.slug == "saint-brieuc"
    assert cible.profil.projets["pedibus"].beneficiaires == 240


def test_profile_by_stem_from_the_repository_folder():
    cible = resolve_target("redon-agglomeration", [EXAMPLES / "innovations"])
    assert cible.nom == "CA Redon Agglomération"
    assert cible.libelle.startswith("CA Redon Agglomération (243500741, EPCI")


def test_official_territory_gets_a_safe_slug():
    cible = resolve_target("2A", [])
    assert cible.slug == "corse-du-sud-2a"
    assert cible.profil is None


def test_ambiguous_target_is_an_error_with_candidates():
    with pytest.raises(TargetError) as caught:
        resolve_target("Paris", [])
    assert caught.value.candidates == ["Paris (75, département)", "Paris (75056, Paris)"]


def test_invalid_profile_is_reported_with_its_findings(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("essaimage: 1\nterritoire:\n  nom: X\n  population: -4\n", encoding="utf-8")
    with pytest.raises(InvalidProfileError) as caught:
        resolve_target(str(path), [])
    assert [f.code for f in caught.value.findings] == ["S106"]
