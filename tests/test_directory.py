"""`essaimage territoires`: search, selection, and their text, CSV and JSON views."""

from __future__ import annotations

import csv
import io
import json

import pytest

from essaimage.territories.cog import Selection, reference, select
from essaimage.territories.search import as_csv, population_bounds, row, search
from essaimage.text.words import normalize_name
from helpers import invoke


def test_a_selection_of_communes_in_a_region_within_bounds():
    ref = reference()
    communes = select(ref, Selection("commune", ref.get("region", "53"), 5000, 20000))
    assert len(communes) == 123
    assert all(5000 <= c.population <= 20000 for c in communes)
    assert {ref.get("departement", c.parent).parent for c in communes} == {"53"}
    populations = [c.population for c in communes]
    assert populations == sorted(populations, reverse=True)
    assert communes[0].nom == "Bruz"


@pytest.mark.parametrize(
    ("kind", "dans", "count"),
    [
        ("departement", ("region", "53"), 4),
        ("epci", ("departement", "22"), 11),
        ("commune", ("epci", "243500741"), 31),
        ("commune", ("commune", "44109"), 1),
    ],
)
def test_selections_inside_each_level(kind, dans, count):
    ref = reference()
    assert len(select(ref, Selection(kind, ref.get(*dans)))) == count


def test_order_exclusion_and_limit():
    ref = reference()
    base = dict(type="commune", dans=ref.get("departement", "22"), population_min=10_000)
    by_name = select(ref, Selection(**base, ordre="nom"))
    # alphabetical as a reader expects it: accents aside (« Plérin » before « Ploufragan »)
    assert [c.nom for c in by_name] == sorted((c.nom for c in by_name), key=normalize_name)
    smallest = select(ref, Selection(**base, ordre="population-croissante", limite=2))
    assert [c.population for c in smallest] == sorted(c.population for c in by_name)[:2]
    assert "22278" not in {
        c.code for c in select(ref, Selection(**base, exclure=frozenset({"22278"})))
    }


def test_search_by_code_lists_departement_and_region():
    found = search(reference(), "53")
    assert [(t.type, t.nom) for t in found.territoires] == [
        ("departement", "Mayenne"),
        ("region", "Bretagne"),
    ]


def test_search_a_former_commune_gives_today_s_commune_and_says_so():
    found = search(reference(), "Arbignieu")
    assert [t.nom for t in found.territoires] == ["Arboys en Bugey"]
    assert found.notes == [
        "Arbignieu est une ancienne commune, aujourd'hui dans Arboys en Bugey (01015)"
    ]


@pytest.mark.parametrize(
    ("text", "bounds"),
    [("5000-20000", (5000, 20000)), ("5 000-20 000", (5000, 20000)), ("5000-", (5000, None)),
     ("-20000", (None, 20000))],
)  # fmt: skip
def test_population_bounds(text, bounds):
    assert population_bounds(text) == bounds


@pytest.mark.parametrize("text", ["5000", "abc-", "20000-5000", "-", "1-2-3"])
def test_bad_population_bounds(text):
    with pytest.raises(ValueError):
        population_bounds(text)


def test_rows_and_csv_for_spreadsheets():
    ref = reference()
    saint_brieuc = row(ref, ref.get("commune", "22278"))
    assert saint_brieuc["departement"] == {"code": "22", "nom": "Côtes-d'Armor"}
    assert saint_brieuc["epci"]["code"] == "200069409"
    text = as_csv([saint_brieuc, row(ref, ref.get("departement", "22"))])
    assert text.startswith("\ufeff")
    lines = list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))
    assert lines[0]["nom"] == "Saint-Brieuc" and lines[0]["population"] == "44364"
    assert lines[1]["nom"] == "les Côtes-d'Armor" and lines[1]["nom_officiel"] == "Côtes-d'Armor"
    assert lines[1]["region"] == "Bretagne"


def test_the_command_in_its_three_formats():
    text = invoke("territoires", "Saint-Brieuc")
    assert text.exit_code == 0
    header, line = text.stdout.splitlines()
    assert header.split() == ["Code", "Type", "Nom", "Population", "Département", "Région", "EPCI"]
    assert line.startswith("22278  commune  Saint-Brieuc")
    data = json.loads(invoke("territoires", "22", "-f", "json").stdout)
    assert data["territoires"][0]["nom"] == "les Côtes-d'Armor"
    assert invoke("territoires", "22", "-f", "csv").stdout.startswith("\ufeffcode;type;nom")


def test_the_command_lists_a_selection():
    result = invoke(
        "territoires", "--dans", "region:53", "--type", "commune", "--population", "5000-20000",
        "--limite", "3",
    )  # fmt: skip
    assert result.exit_code == 0
    assert [line.split()[0] for line in result.stdout.splitlines()[1:]] == [
        "35047",
        "35360",
        "56162",
    ]


def test_the_command_narrows_a_search():
    result = invoke("territoires", "Sainte-Colombe", "--dans", "35")
    assert [line.split()[0] for line in result.stdout.splitlines()[1:]] == ["35262"]


@pytest.mark.parametrize(
    ("arguments", "code", "said"),
    [
        (["Nantess"], 1, "les plus proches : Nantes (44109, Loire-Atlantique)"),
        ([], 2, "indiquez ce que vous cherchez"),
        (["--type", "region", "--dans", "53"], 2, "type « region » inconnu"),
        (["--dans", "53", "--population", "beaucoup"], 2, "n'est pas une fourchette"),
        (["Nantes", "-f", "xml"], 2, "format « xml » inconnu"),
        (["--dans", "Atlantide"], 2, "aucun territoire officiel ne s'appelle"),
    ],
)
def test_the_command_says_what_is_wrong(arguments, code, said):
    result = invoke("territoires", *arguments)
    assert result.exit_code == code
    assert said in result.output
