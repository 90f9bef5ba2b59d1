"""The official territory reference and the resolution of --territoire."""

from __future__ import annotations

import pytest

from essaimage.territories.cog import TerritoryNotFound, reference
from essaimage.text.words import normalize_name


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


# --- issue 10: names with their article, arrondissements, former communes, postal codes --------


@pytest.mark.parametrize(
    ("query", "article", "de"),
    [
        ("01", "l'Ain", "de l'Ain"),
        ("22", "les Côtes-d'Armor", "des Côtes-d'Armor"),
        ("53", "la Mayenne", "de la Mayenne"),
        ("59", "le Nord", "du Nord"),
        ("72181", "Le Mans", "du Mans"),
        ("85194", "Les Sables-d'Olonne", "des Sables-d'Olonne"),
        ("13001", "Aix-en-Provence", "d'Aix-en-Provence"),
        ("44109", "Nantes", "de Nantes"),
    ],
)
def test_names_with_their_article(query, article, de):
    found = reference().find(query)
    assert (found.nom_article, found.de_nom) == (article, de)


def test_an_ambiguous_code_is_the_departement_and_says_how_to_get_the_region():
    resolution = reference().resolve("53")
    assert (resolution.territoire.type, resolution.territoire.nom) == ("departement", "Mayenne")
    assert "pour la région Bretagne, écrivez « region:53 »" in resolution.note


@pytest.mark.parametrize(
    ("query", "code", "note"),
    [
        ("Lannion-Trégor Communauté", "200065928", None),  # without « CA »
        ("CA Lannion-Trégor Communauté", "200065928", None),
        ("l'Ain", "01", None),
        ("le mans", "72181", None),
        ("75101", "75101", None),  # a municipal arrondissement
        ("44000", "44109", "« 44000 » est le code postal de Nantes (44109)"),
        ("217201813", "72181", None),  # a commune's SIREN
        ("Bellegarde-sur-Valserine", "01033", "aujourd'hui dans Valserhône (01033)"),
        ("01120", "01262", "Cordieux (01120) est une ancienne commune, aujourd'hui dans Montluel"),
    ],
)
def test_what_a_user_may_type(query, code, note):
    resolution = reference().resolve(query)
    assert resolution.territoire.code == code
    assert (resolution.note is None) if note is None else (note in resolution.note)


def test_an_insee_code_that_is_also_a_postal_code_says_so():
    resolution = reference().resolve("13001")
    assert resolution.territoire.nom == "Aix-en-Provence"
    assert "Marseille 1er Arrondissement (13201)" in resolution.note


def test_a_postal_code_of_several_communes_lists_them():
    with pytest.raises(TerritoryNotFound) as caught:
        reference().resolve("01640")  # no commune has this INSEE code
    assert "code postal « 01640 » désigne plusieurs communes" in caught.value.message
    assert "Jujurieux (01199, Ain)" in caught.value.candidates


REGIONS = {
    "01": "la Guadeloupe", "02": "la Martinique", "03": "la Guyane", "04": "La Réunion",
    "06": "Mayotte", "11": "l'Île-de-France", "24": "le Centre-Val de Loire",
    "27": "la Bourgogne-Franche-Comté", "28": "la Normandie", "32": "les Hauts-de-France",
    "44": "le Grand Est", "52": "les Pays de la Loire", "53": "la Bretagne",
    "75": "la Nouvelle-Aquitaine", "76": "l'Occitanie", "84": "l'Auvergne-Rhône-Alpes",
    "93": "la Provence-Alpes-Côte d'Azur", "94": "la Corse",
}  # fmt: skip


def test_every_region_has_the_article_french_gives_it():
    """Issue 24: INSEE's type of name leaves eight régions bare (« pour Bretagne »)."""
    regions = {t.code: t for t in reference().all(["region"])}
    assert {code: regions[code].nom_propre.le for code in REGIONS} == REGIONS
    assert regions["53"].nom_propre.de == "de la Bretagne"
    assert regions["76"].nom_propre.pour == "pour l'Occitanie"
    assert regions["32"].nom_propre.pluriel and not regions["53"].nom_propre.pluriel
    assert reference().named("la bretagne")[0].code == "53"


def test_every_departement_has_an_article_or_none_and_a_de_form():
    """The 101 départements: « les Côtes-d'Armor », « l'Ain », « le Cantal », « la Manche »,
    « Ille-et-Vilaine » (no article, as INSEE writes it), each with its form after « de »."""
    collectivities = {"975", "977", "978", "984", "986", "987", "988", "989"}
    departements = [t for t in reference().all(["departement"]) if t.code not in collectivities]
    assert len(departements) == 101
    forms = {t.code: (t.nom_propre.le, t.nom_propre.de) for t in departements}
    assert forms["22"] == ("les Côtes-d'Armor", "des Côtes-d'Armor")
    assert forms["01"] == ("l'Ain", "de l'Ain")
    assert forms["15"] == ("le Cantal", "du Cantal")
    assert forms["50"] == ("la Manche", "de la Manche")
    assert forms["35"] == ("Ille-et-Vilaine", "d'Ille-et-Vilaine")
    for le, de in forms.values():
        assert de.startswith(("de ", "d'", "du ", "des ")) and le in de or le.split(" ", 1)[1] in de
