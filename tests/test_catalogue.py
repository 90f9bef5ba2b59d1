"""`essaimage catalogue`: the repository's innovations, ranked for a territory (issue 27).

Each case runs the command line on a copy of the examples and compares what it says with the
kit essaimage makes for the same innovation and territory."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from conftest import ROOT
from essaimage.check.pipeline import check_file
from essaimage.commands.catalogue import GROUPS
from essaimage.kit.prepare import prepare
from essaimage.kit.target import resolve_target
from essaimage.text import typography
from essaimage.text.french import euros
from helpers import invoke, lisible

SCHEMA = ROOT / "docs" / "catalogue.schema.json"
IDS = [
    "cantine-bio-regie-agricole", "france-services", "pedibus", "repair-cafe",
    "territoires-zero-chomeur",
]  # fmt: skip

# the innovations with one take-over: it is the closest, whatever the territory
ONLY_ONES = {
    "cantine-bio-regie-agricole": "Chaponost",
    "france-services": "Avesnois",
    "pedibus": "Manosque",
}
# territory -> (expected order of the ids, the closest take-over by id)
CASES = {
    "22278": (  # a commune, by its code
        [
            "cantine-bio-regie-agricole",
            "territoires-zero-chomeur",
            "france-services",
            "repair-cafe",
            "pedibus",
        ],
        {"territoires-zero-chomeur": "Mauléon", "repair-cafe": "Mâcon", **ONLY_ONES},
    ),  # fmt: skip
    "saint-brieuc": (  # the same commune through its profile (its projects' sites and choices)
        [
            "cantine-bio-regie-agricole",
            "territoires-zero-chomeur",
            "france-services",
            "repair-cafe",
            "pedibus",
        ],
        {"territoires-zero-chomeur": "Mauléon", "repair-cafe": "Mâcon", **ONLY_ONES},
    ),  # fmt: skip
    "200069409": (  # an EPCI, by its SIREN
        [
            "cantine-bio-regie-agricole",
            "territoires-zero-chomeur",
            "france-services",
            "repair-cafe",
            "pedibus",
        ],
        {"territoires-zero-chomeur": "Mauléon", "repair-cafe": "Mâcon", **ONLY_ONES},
    ),  # fmt: skip
    "22": (  # a département
        [
            "cantine-bio-regie-agricole",
            "territoires-zero-chomeur",
            "france-services",
            "repair-cafe",
            "pedibus",
        ],
        {"territoires-zero-chomeur": "Mauléon", "repair-cafe": "Mâcon", **ONLY_ONES},
    ),  # fmt: skip
    "region:53": (  # a région
        [
            "cantine-bio-regie-agricole",
            "territoires-zero-chomeur",
            "france-services",
            "repair-cafe",
            "pedibus",
        ],
        {"territoires-zero-chomeur": "Mauléon", "repair-cafe": "Mâcon", **ONLY_ONES},
    ),  # fmt: skip
}


def catalogue_json(*args: str) -> list[dict]:
    result = invoke("catalogue", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def validate_schema(data: object) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(data)


def kit_for(repo: Path, ident: str, territoire: str):
    checked = check_file(repo / "innovations" / f"{ident}.yaml")
    cible = resolve_target(territoire, [repo])
    return prepare(checked.innovation, checked, cible)


@pytest.mark.parametrize("territoire", list(CASES))
def test_each_kind_of_territory_is_ranked_as_its_kits_compute_it(examples_repo, territoire):
    order, closest = CASES[territoire]
    data = catalogue_json("--territoire", territoire)
    validate_schema(data)
    assert [e["id"] for e in data] == order
    assert [e["rang"] for e in data] == list(range(1, len(order) + 1))
    for entry in data:
        kit = kit_for(examples_repo, entry["id"], territoire)
        # the same numbers as the kit
        # the cost the kit puts first, on which the reste à charge is computed (issue 27 review:
        # Lannion's complete cost beside a reste computed on the additional one did not add up)
        assert entry["points_attention"] == list(
            dict.fromkeys(finding.message for finding in kit.avertissements)
        )
        assert entry["cout_annee_1"] == round(kit.budget_finance.total_annee_1, 2)
        assert entry["cout_3_ans"] == round(kit.budget_finance.total_3_ans, 2)
        assert entry["sites"] == kit.taille.sites
        assert entry["beneficiaires"] == kit.taille.beneficiaires
        plan = kit.financement
        expected_rest = (
            plan.reste_a_charge[0] if plan is not None else kit.budget_finance.total_annee_1
        )
        assert entry["reste_a_charge"]["annee_1"] == round(expected_rest, 2)
        assert [p["statut"] for p in entry["prerequis"]] == [v.statut for v in kit.prerequis]
        assert [p["description"] for p in entry["prerequis"]] == [
            v.description for v in kit.prerequis
        ]
        near = entry["reprise_la_plus_proche"]
        assert (near["territoire"] if near else None) == closest.get(entry["id"])
        if kit.reprises is not None and kit.reprises.plus_proche:
            assert near["territoire"] == kit.reprises.liste[0].territoire
        assert entry["reprises"] == (len(kit.reprises.liste) if kit.reprises else 0)
        # the reason says the ranking's criteria, in its order
        assert entry["raison_du_rang"].endswith(
            f"{euros(entry['cout_annee_1'])} la première année"
        ) or ("coût incomplet" in entry["raison_du_rang"])
    keys = [
        (GROUPS.index(e["groupe"]), -e["resultats_sources"], -e["reprises"], e["cout_annee_1"])
        for e in data
    ]
    assert keys == sorted(keys)


def test_the_cost_is_the_one_the_kit_prints(examples_repo):
    data = {e["id"]: e for e in catalogue_json("-t", "saint-brieuc")}
    result = invoke("kit", "innovations/pedibus.yaml", "-t", "saint-brieuc", "-f", "md")
    assert result.exit_code == 0, result.output
    text = (examples_repo / "kits" / "pedibus" / "saint-brieuc.md").read_text(encoding="utf-8")
    synthese = text.split("## 1. Synthèse", 1)[1].split("\n## ", 1)[0]
    assert euros(data["pedibus"]["cout_annee_1"]) in synthese
    assert euros(data["pedibus"]["cout_3_ans"]) in synthese
    assert data["pedibus"]["cout_annee_1"] == 16120  # the profile's 4 sites, not one
    assert data["pedibus"]["sites"] == 4


def test_each_prerequisite_gets_its_verdict_and_reason(examples_repo):
    big = {e["id"]: e for e in catalogue_json("-t", "22278")}
    pedibus = big["pedibus"]["prerequis"]
    assert [p["verdict"] for p in pedibus] == ["à vérifier localement"] * 3
    assert "44 364 habitants (au moins 2 000 requis)" in pedibus[2]["raison"].replace("\u202f", " ")
    small = {e["id"]: e for e in catalogue_json("-t", "22314")}  # Saint-Maudan, 399 habitants
    pedibus = small["pedibus"]["prerequis"]
    assert pedibus[2]["verdict"] == "non rempli"
    assert "moins que le minimum de 2 000" in pedibus[2]["raison"].replace("\u202f", " ")
    assert small["pedibus"]["groupe"] == "non-rempli"
    assert (
        "1 prérequis non rempli — « Une commune assez peuplée" in small["pedibus"]["raison_du_rang"]
    )


def test_met_first_then_to_check_then_not_met(examples_repo):
    """A repair café whose only prerequisite essaimage can check: first for a small commune,
    before those to check; the cantine and the pédibus, whose population floor it misses, last."""
    path = examples_repo / "innovations" / "repair-cafe.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("prerequis:\n")
    end = text.index("acteurs_publics:", start)
    replaced = "prerequis:\n  - description: Une commune\n    types_territoire: [commune]\n"
    path.write_text(text[:start] + replaced + text[end:], encoding="utf-8")
    data = catalogue_json("-t", "22314")
    assert [e["groupe"] for e in data] == [
        "rempli", "a-verifier", "a-verifier", "non-rempli", "non-rempli",
    ]  # fmt: skip
    assert data[0]["id"] == "repair-cafe"
    assert data[0]["raison_du_rang"].startswith("tous les prérequis sont remplis ; ")
    assert {e["id"] for e in data[3:]} == {"cantine-bio-regie-agricole", "pedibus"}
    # within the unmet group: more sourced results first
    assert data[3]["id"] == "cantine-bio-regie-agricole"
    text_out = invoke("catalogue", "-t", "22314").stdout
    assert typography.prose("1er Repair Café : tous les prérequis sont remplis") in text_out


def test_without_a_territory_every_innovation_with_its_facts(examples_repo):
    data = catalogue_json()
    validate_schema(data)
    assert sorted(e["id"] for e in data) == IDS
    for entry in data:
        checked = check_file(examples_repo / "innovations" / f"{entry['id']}.yaml")
        assert entry["indice"] == checked.readiness.score
        assert entry["secteurs"] == list(checked.innovation.secteurs)
        assert entry["maturite"] == checked.innovation.maturite
        assert entry["territoire"] is None and entry["reste_a_charge"] is None
        assert entry["cout_pour"] == "site type"
        assert all(p["verdict"] is None for p in entry["prerequis"])
    tzcld = next(e for e in data if e["id"] == "territoires-zero-chomeur")
    assert tzcld["reprises"] == 3


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--secteur", "mobilite"], ["pedibus"]),
        (["--secteur", "mobilité", "--secteur", "emploi"], ["territoires-zero-chomeur", "pedibus"]),
        (["-t", "22278", "--budget-max", "20 000"],
         ["cantine-bio-regie-agricole", "repair-cafe", "pedibus"]),
        (["-t", "saint-brieuc", "--budget-max", "16120", "--secteur", "education"], ["pedibus"]),
        (["-t", "saint-brieuc", "--budget-max", "16119,99", "--secteur", "education"], []),
    ],
)  # fmt: skip
def test_filters(examples_repo, args, expected):
    data = catalogue_json(*args)
    assert [e["id"] for e in data] == expected
    assert [e["rang"] for e in data] == list(range(1, len(expected) + 1))


def test_the_budget_without_a_territory_is_a_typical_sites(examples_repo):
    from essaimage.commands.export import typical_site

    everything = catalogue_json()
    kept = catalogue_json("--budget-max", "5000")
    for entry in everything:
        checked = check_file(examples_repo / "innovations" / f"{entry['id']}.yaml")
        cost = round(typical_site(checked.innovation).total_annee_1, 2)
        assert entry["cout_annee_1"] == cost
        assert (entry["id"] in {e["id"] for e in kept}) == (cost <= 5000)
    assert kept and len(kept) < len(everything)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--secteur", "velo"], "secteur « velo » inconnu (secteurs permis : agriculture, "),
        (["--budget-max", "30.000"], "« 30.000 » se lit 30"),
        (["--budget-max", "beaucoup"], "« beaucoup » n'est pas un nombre"),
        (["--format", "xml"], "format « xml » inconnu (formats permis : text, csv, json, md)"),
        (["-t", "Sainte-Colombe"], "Sainte-Colombe (35262, Ille-et-Vilaine)"),
        (["-t", "Sainte-Colombe"], "désigne plusieurs territoires"),
        (["-t", "Saint-Brieux"], "Saint-Brieuc"),
        (["-t", "territoires/absent.yaml"], "le profil de territoire « territoires/absent.yaml » n'existe pas"),
    ],
)  # fmt: skip
def test_usage_errors_are_french_and_exit_2(examples_repo, args, said):
    result = invoke("catalogue", *args)
    assert result.exit_code == 2, result.output
    assert said in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_an_unknown_sector_lists_the_vocabulary(examples_repo):
    from essaimage.format.vocabulary import SECTEURS

    stderr = invoke("catalogue", "--secteur", "velo").stderr
    assert all(code in stderr for code in SECTEURS)


def test_a_broken_descriptor_is_left_out_with_exit_1(examples_repo):
    broken = examples_repo / "innovations" / "casse.yaml"
    broken.write_text(
        "essaimage: 1\nid: casse\nnom: 12\nmaturite: enorme\nsecteurs: [velo]\n", encoding="utf-8"
    )
    errors = sum(1 for f in check_file(broken).findings if f.severity.name == "ERREUR")
    assert errors >= 2
    for fmt in ("text", "json", "csv", "md"):
        result = invoke("catalogue", "-t", "22278", "-f", fmt)
        assert result.exit_code == 1, result.output
        assert (
            f"innovations/casse.yaml : {errors} erreurs, non classée ; essaimage validate les "
            "montre." in result.stderr
        )
        assert "Traceback" not in result.output
    data = json.loads(invoke("catalogue", "-f", "json").stdout)
    assert sorted(e["id"] for e in data) == IDS
    assert "Innovations non classées" in invoke("catalogue", "-f", "md").stdout


def test_a_duplicate_id_is_left_out(examples_repo):
    source = examples_repo / "innovations" / "pedibus.yaml"
    (examples_repo / "innovations" / "pedibus-copie.yaml").write_text(
        source.read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = invoke("catalogue", "-f", "json")
    assert result.exit_code == 1
    # the first in the files' order counts, as for `essaimage kit`
    assert (
        "innovations/pedibus.yaml : identifiant « pedibus » déjà pris par "
        "innovations/pedibus-copie.yaml, non classée." in result.stderr
    )
    assert [e["id"] for e in json.loads(result.stdout)].count("pedibus") == 1


def test_nothing_to_list_is_said_plainly(examples_repo):
    result = invoke("catalogue", "--secteur", "sport")
    assert result.exit_code == 0
    assert "Aucune innovation ne correspond à ces filtres (5 innovations écartées)." in (
        result.stdout
    )
    result = invoke("catalogue", "--secteur", "sport", "-f", "json")
    assert json.loads(result.stdout) == []
    assert "Aucune innovation" in result.stderr


def test_outside_a_repository(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("catalogue")
    assert result.exit_code == 2
    assert "aucune innovation dans ce dossier" in result.stderr


def test_csv_opens_in_a_french_spreadsheet(examples_repo):
    result = invoke("catalogue", "-t", "saint-brieuc", "-f", "csv")
    assert result.exit_code == 0
    raw = result.stdout_bytes
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert [r["id"] for r in rows] == CASES["saint-brieuc"][0]
    pedibus = next(r for r in rows if r["id"] == "pedibus")
    assert pedibus["cout_annee_1"] == "16120"
    assert pedibus["rang"] == "5"
    assert pedibus["prerequis_a_verifier"].count(" ; ") == 2
    assert re.fullmatch(r"\d+(,\d{1,2})?", next(r for r in rows)["cout_3_ans"])
    assert all(r["raison_du_rang"] for r in rows)
    assert next(r for r in rows if r["id"] == "repair-cafe")["reprise_la_plus_proche"].startswith(
        "Mâcon"
    )


def test_a_formula_never_reaches_the_spreadsheet(examples_repo):
    path = examples_repo / "innovations" / "pedibus.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^nom: .*$", 'nom: "=HYPERLINK(1)"', text, count=1))
    rows = list(
        csv.reader(
            io.StringIO(invoke("catalogue", "-f", "csv").stdout.lstrip("\ufeff")), delimiter=";"
        )
    )
    assert [r[2] for r in rows if r[1] == "pedibus"] == ["'=HYPERLINK(1)"]


@pytest.mark.parametrize("territoire", [None, "22278", "saint-brieuc", "region:53"])
def test_the_markdown_report_reads_right(examples_repo, territoire):
    args = ["-t", territoire] if territoire else []
    result = invoke("catalogue", *args, "-f", "md")
    assert result.exit_code == 0
    text = result.stdout
    assert typography.problemes(text, "md") == []
    assert text.startswith("# ")
    assert "## 1er — " in text
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_the_text_table(examples_repo):
    result = invoke("catalogue", "-t", "22278")
    assert result.exit_code == 0
    out = result.stdout
    assert "Innovations pour Saint-Brieuc (22278, Côtes-d'Armor)" in out
    said = typography.prose
    assert said("1er Cantine bio en régie et ferme municipale : 3 prérequis à vérifier") in out
    assert said("reprise la plus proche : Mauléon") in out
    assert said("coût : 3 673 € la première année, 8 513 € sur 3 ans") in out


def test_the_formats_registry_drives_the_choices():
    from essaimage.cli.catalogue import CATALOGUE_FORMATS
    from essaimage.commands.catalogue_formats import FORMATS

    assert tuple(FORMATS) == CATALOGUE_FORMATS


def test_formats_md_documents_the_json_schema():
    doc = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert "catalogue.schema.json" in doc
    for key in schema["$defs"]["innovation"]["required"]:
        assert f"`{key}`" in doc, key


def test_the_site_has_a_page_per_profile_ranked_as_the_catalogue_ranks(examples_repo):
    """Issue 27 point 4: « Pour <territoire> : les innovations qui lui conviennent », in the
    order and with the figures of `essaimage catalogue --territoire <profil>`."""
    import re

    assert invoke("site").exit_code == 0
    index = (examples_repo / "public" / "index.html").read_text(encoding="utf-8")
    for profile in sorted((examples_repo / "territoires").glob("*.yaml")):
        ranked = catalogue_json("--territoire", str(profile.relative_to(examples_repo)))
        page_path = examples_repo / "public" / "territoires" / f"{profile.stem}.html"
        page = page_path.read_text(encoding="utf-8")
        assert f'href="territoires/{profile.stem}.html"' in index
        order = re.findall(r'<h2 id="rang-([a-z0-9-]+)">', page)
        assert order == [entry["id"] for entry in ranked], profile.stem
        for entry in ranked:
            assert lisible(entry["raison_du_rang"]) in lisible(page), (profile.stem, entry["id"])
            cost = f"{entry['cout_annee_1']:,.0f}".replace(",", "\u202f")
            assert cost in page, (profile.stem, entry["id"], cost)
    saint_brieuc = (examples_repo / "public" / "territoires" / "saint-brieuc.html").read_text(
        encoding="utf-8"
    )
    assert 'href="../kits/pedibus/saint-brieuc.html"' in saint_brieuc  # its planned kit


def test_one_territory_at_a_time(examples_repo):
    result = invoke("catalogue", "-t", "22", "-t", "35")
    assert result.exit_code == 2 and "un seul territoire" in result.stderr


def test_a_departement_is_told_the_kit_assumes_one_site(examples_repo):
    """The kit's T104 (« un seul site pour toute leur population ») reaches the catalogue, in
    every format: a département does not read a one-site cost as its own without being told."""
    entries = catalogue_json("-t", "22")
    cantine = next(e for e in entries if e["id"] == "cantine-bio-regie-agricole")
    assert any("un seul site" in lisible(text) for text in cantine["points_attention"])
    assert "un seul site" in lisible(invoke("catalogue", "-t", "22").stdout)
    assert "un seul site" in lisible(invoke("catalogue", "-t", "22", "-f", "md").stdout)
    assert catalogue_json()[0]["points_attention"] == []
