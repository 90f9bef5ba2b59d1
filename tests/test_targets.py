"""What `--territoire` designates: a profile by path or by name, or an official territory."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES
from essaimage.errors import InvalidProfileError, TargetError
from essaimage.kit.target import resolve_target
from essaimage.territories.cog import reference


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


def test_a_profile_states_the_article_of_its_name(tmp_path):
    profile = tmp_path / "pays.yaml"
    profile.write_text(
        "essaimage: 1\nterritoire:\n  nom: Pays de Redon\n  type: autre\n  article: le\n",
        encoding="utf-8",
    )
    cible = resolve_target(str(profile), [])
    forms = cible.nom_propre
    assert (forms.pour, forms.de, forms.sujet) == (
        "pour le Pays de Redon", "du Pays de Redon", "Le Pays de Redon"
    )  # fmt: skip
    without = tmp_path / "quimper.yaml"
    without.write_text(
        "essaimage: 1\nterritoire:\n  nom: Agglomération du Cotentin\n  type: epci\n  article: l'\n",
        encoding="utf-8",
    )
    assert resolve_target(str(without), []).nom_propre.de == "de l'Agglomération du Cotentin"
