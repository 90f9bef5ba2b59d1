"""`essaimage export`: the catalogue as a Frictionless data package, checked by the reference
validator (frictionless), read back, deterministic, and published by `essaimage site`."""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

import pytest

from essaimage.commands import export
from helpers import invoke

frictionless = pytest.importorskip("frictionless")


def rows(path):
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_the_examples_export_passes_the_reference_validator(examples_repo):
    result = invoke("export")
    assert result.exit_code == 0, result.output
    out = examples_repo / "donnees"
    assert sorted(p.name for p in out.iterdir()) == sorted(export.FILES)
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert "Données écrites dans" in result.stdout and "7 fichiers (7 écrits" in result.stdout


def test_figures_read_back_from_the_tables(examples_repo):
    invoke("export")
    out = examples_repo / "donnees"
    innovations = {row["id"]: row for row in rows(out / "innovations.csv")}
    assert list(innovations) == sorted(innovations)
    pedibus = innovations["pedibus"]
    # one school of 40 children: signage 1 500 € once; a year: 6 € × 40 + 500 € + 0,1 ETP per
    # 100 children × 40 × 42 000 € = 240 + 500 + 1 680
    assert pedibus["investissement_site"] == "1500"
    assert pedibus["fonctionnement_annuel_site"] == "2420"
    assert pedibus["couts_complets"] == "true"
    assert pedibus["secteurs"] == "mobilite;education;environnement;sante"
    assert pedibus["maturite"] == "generalisee" and pedibus["indice"] == "9"
    assert pedibus["page"] == ""  # no site_url configured
    reprises = rows(out / "essaimages.csv")
    tzcld = [r for r in reprises if r["innovation"] == "territoires-zero-chomeur"]
    assert [r["numero"] for r in tzcld] == ["1", "2", "3"]
    assert tzcld[0]["territoire"] == "Mauléon" and tzcld[0]["code_insee"] == "79079"
    assert innovations["territoires-zero-chomeur"]["nombre_essaimages"] == "3"
    (plan,) = rows(out / "plans.csv")
    assert plan["id"] == "pedibus-bretagne" and plan["innovation"] == "pedibus"
    assert int(plan["sites"]) >= int(plan["territoires"]) > 0
    full = json.loads((out / "innovations.json").read_text(encoding="utf-8"))
    assert [i["id"] for i in full] == sorted(innovations)
    assert full[2]["id"] == "pedibus" and full[2]["moyens"]["cout_etp_annuel"] == 42000


def test_the_package_describes_its_tables_in_french_with_keys(examples_repo):
    invoke("export")
    package = json.loads((examples_repo / "donnees" / "datapackage.json").read_text("utf-8"))
    assert package["licenses"] == [
        {
            "name": "etalab-2.0",
            "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
            "title": "Licence Ouverte / Open Licence version 2.0",
        }
    ]
    assert "created" not in package  # no date unless SOURCE_DATE_EPOCH gives one
    tables = {r["name"]: r for r in package["resources"] if r["format"] == "csv"}
    assert set(tables) == {"innovations", "essaimages", "retours", "adaptations", "plans"}
    for table in tables.values():
        for column in table["schema"]["fields"]:
            assert column["title"] and column["description"], column["name"]
    assert tables["innovations"]["schema"]["primaryKey"] == ["id"]
    assert tables["essaimages"]["schema"]["foreignKeys"] == [
        {"fields": "innovation", "reference": {"resource": "innovations", "fields": "id"}}
    ]
    fields = {f["name"]: f for f in tables["innovations"]["schema"]["fields"]}
    assert fields["maturite"]["constraints"]["enum"][0] == "experimentation"
    assert fields["investissement_site"]["type"] == "number"


def test_the_files_that_use_every_field_export_to_a_valid_package(tmp_path, monkeypatch):
    """The hand-written files that use every key of the format (with two profiles of the same
    name, which the site refuses for its kits and the export does not need)."""
    valides = Path(__file__).parent / "fixtures" / "valides"
    for folder in ("innovations", "territoires", "plans"):
        (tmp_path / folder).mkdir()
    shutil.copy(valides / "complet.yaml", tmp_path / "innovations")
    shutil.copytree(valides / "docs", tmp_path / "innovations" / "docs")
    shutil.copy(valides / "profil-complet.yaml", tmp_path / "territoires")
    shutil.copy(valides / "profil-complet.yaml", tmp_path / "plans")
    shutil.copy(valides / "plan-complet.yaml", tmp_path / "plans")
    (tmp_path / "essaimage.yaml").write_text("essaimage: 1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke("export")
    assert result.exit_code == 0, result.output
    report = frictionless.validate(str(tmp_path / "donnees" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    (plan,) = rows(tmp_path / "donnees" / "plans.csv")
    # every target's beneficiaries come from its profile or sites × beneficiaires_par_site (30)
    assert plan["innovation"] == "conciergerie-solidaire" and plan["couts_complets"] == "true"


def test_a_broken_reference_is_caught_by_the_validator(examples_repo):
    """The test above is worth something only if the validator reads the keys."""
    invoke("export")
    table = examples_repo / "donnees" / "essaimages.csv"
    text = table.read_text(encoding="utf-8").replace("territoires-zero-chomeur,1", "inconnue,1")
    table.write_text(text, encoding="utf-8")
    report = frictionless.validate(str(examples_repo / "donnees" / "datapackage.json"))
    assert not report.valid
    assert report.flatten(["type"]) == [["foreign-key"]]


def test_configuration_sets_licence_and_page_addresses(examples_repo, monkeypatch):
    config = examples_repo / "essaimage.yaml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + "site_url: https://catalogue.exemple.fr/essaimage/\nlicence_donnees: ODbL-1.0\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    result = invoke("export", "-o", "sortie")
    assert result.exit_code == 0, result.output
    out = examples_repo / "sortie"
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "ODbL-1.0"
    assert package["homepage"] == "https://catalogue.exemple.fr/essaimage/"
    assert package["created"] == "2026-05-28T20:26:40Z"
    pedibus = {r["id"]: r for r in rows(out / "innovations.csv")}["pedibus"]
    assert pedibus["page"] == "https://catalogue.exemple.fr/essaimage/innovations/pedibus.html"
    assert frictionless.validate(str(out / "datapackage.json")).valid


def test_export_is_deterministic_and_rewrites_nothing_unchanged(examples_repo):
    invoke("export", "-o", "a")
    invoke("export", "-o", "b")
    for name in export.FILES:
        assert (examples_repo / "a" / name).read_bytes() == (
            examples_repo / "b" / name
        ).read_bytes()
    before = {name: os.stat(examples_repo / "a" / name).st_mtime_ns for name in export.FILES}
    again = invoke("export", "-o", "a")
    assert "(0 écrit, 7 inchangés)" in again.stdout
    assert before == {n: os.stat(examples_repo / "a" / n).st_mtime_ns for n in export.FILES}


def test_a_repository_with_errors_is_not_exported(broken_repo):
    result = invoke("export")
    assert result.exit_code == 1
    assert "Données non exportées : corrigez d'abord ces erreurs." in result.stderr
    assert not (broken_repo / "donnees").exists()


def test_a_link_in_place_of_a_file_is_not_followed(examples_repo, tmp_path):
    outside = tmp_path / "ailleurs.csv"
    outside.write_text("à moi\n", encoding="utf-8")
    (examples_repo / "donnees").mkdir()
    (examples_repo / "donnees" / "innovations.csv").symlink_to(outside)
    result = invoke("export")
    assert result.exit_code == 2
    assert "n'est pas un fichier ordinaire" in result.stderr
    assert outside.read_text(encoding="utf-8") == "à moi\n"


def test_the_site_publishes_the_same_package(examples_repo):
    invoke("export")
    result = invoke("site")
    assert result.exit_code == 0, result.output
    public = examples_repo / "public"
    for name in export.FILES:
        site_file = (public / "donnees" / name).read_bytes()
        assert site_file == (examples_repo / "donnees" / name).read_bytes(), name
    index = (public / "index.html").read_text(encoding="utf-8")
    assert 'href="donnees/innovations.csv"' in index and "Licence Ouverte" in index
    assert "donnees/" not in (public / "secteurs" / "mobilite.html").read_text(encoding="utf-8")


def test_the_documented_columns_are_the_exported_ones():
    doc = (Path(__file__).parent.parent / "docs" / "donnees-ouvertes.md").read_text("utf-8")
    for table in export.TABLES:
        assert export.columns_markdown(table) in doc, f"docs/donnees-ouvertes.md : {table.path}"


def test_an_accented_site_address_becomes_a_uri():
    assert export.page_url("https://exemple.fr/côtes/", "pedibus") == (
        "https://exemple.fr/c%C3%B4tes/innovations/pedibus.html"
    )
    assert (
        export.page_url("https://exemple.fr/a%20b", "x")
        == "https://exemple.fr/a%20b/innovations/x.html"
    )


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (None, ""),
        (True, "true"),
        (12000.0, "12000"),
        (0.125, "0.12"),
        (1e-9, "0"),
        (["a", "b"], "a;b"),
    ],
)
def test_cells(value, cell):
    assert export.cell(value) == cell


def test_the_take_over_reports_and_their_adaptations_are_open_data(examples_repo):
    """Issue 26 point 5: one row per report in retours.csv, one per adaptation in
    adaptations.csv, keys that frictionless checks."""
    import csv as csv_module

    assert invoke("export").exit_code == 0
    out = examples_repo / "donnees"
    assert frictionless.validate(str(out / "datapackage.json")).valid
    with (out / "retours.csv").open(encoding="utf-8") as stream:
        retours = list(csv_module.DictReader(stream))
    reports = sorted((examples_repo / "retours").glob("*.yaml"))
    assert [r["fichier"] for r in retours] == [f"retours/{p.name}" for p in reports]
    manosque = next(r for r in retours if r["fichier"] == "retours/pedibus-manosque.yaml")
    assert (manosque["innovation"], manosque["territoire"], manosque["code_insee"]) == (
        "pedibus",
        "Manosque",
        "04112",
    )
    assert (manosque["statut"], manosque["coeur_respecte"], manosque["adaptations"]) == (
        "en-fonctionnement",
        "3",
        "2",
    )
    with (out / "innovations.csv").open(encoding="utf-8") as stream:
        pedibus = next(r for r in csv_module.DictReader(stream) if r["id"] == "pedibus")
    assert (pedibus["nombre_essaimages"], pedibus["nombre_reprises"]) == ("0", "1")
    with (out / "adaptations.csv").open(encoding="utf-8") as stream:
        adaptations = list(csv_module.DictReader(stream))
    assert len(adaptations) == sum(int(r["adaptations"]) for r in retours)
    animation = next(
        a for a in adaptations if a["fichier"] == manosque["fichier"] and a["marge"] == "animation"
    )
    assert animation["hors_options"] == "true"  # « la commune, avec l'association MAIF… »
    table = out / "adaptations.csv"
    table.write_text(
        table.read_text(encoding="utf-8").replace("retours/pedibus-manosque.yaml", "x.yaml"),
        encoding="utf-8",
    )
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.flatten(["type"]) and {t for (t,) in report.flatten(["type"])} == {"foreign-key"}
