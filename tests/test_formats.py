"""Machine formats of `validate`: parsed by real parsers, the same findings everywhere, the exit
code independent of the format; shards; checks between files; the repository configuration."""

from __future__ import annotations

import json
import re
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, ROOT
from essaimage import repository as config
from essaimage.cli import app
from essaimage.discovery import shard
from essaimage.reporters import github_escape_data, github_escape_property
from essaimage.repository import collect_files

SARIF_SCHEMA = json.loads(
    (ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)
BASE = (FIXTURES / "regles" / "base.yaml").read_text(encoding="utf-8")
NO_LICENCE = BASE.replace("\nlicence: CC-BY-SA-4.0\n", "\n", 1)
runner = CliRunner()


@pytest.fixture(autouse=True)
def _fresh_config_cache():
    config.clear_cache()
    yield
    config.clear_cache()


@pytest.fixture
def broken_repo(tmp_path, monkeypatch):
    """A repository with one invalid descriptor, one with warnings, a duplicate id and a profile."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "essaimage.yaml").write_text("essaimage: 1\n", encoding="utf-8")
    innovations = tmp_path / "innovations"
    innovations.mkdir()
    (tmp_path / "territoires").mkdir()
    (innovations / "atelier.yaml").write_text(BASE, encoding="utf-8")
    (innovations / "copie.yaml").write_text(NO_LICENCE, encoding="utf-8")
    (innovations / "casse.yaml").write_text(
        BASE.replace("id: atelier-velo", "id: atelier-casse").replace("      etp: 0,5", "      etp: -1")
        .replace("nom: Atelier vélo solidaire", "nomm: Atelier vélo"),
        encoding="utf-8",
    )  # fmt: skip
    (tmp_path / "territoires" / "bourg.yaml").write_text(
        textwrap.dedent("""\
            essaimage: 1
            territoire: {nom: Bourg, type: commune}
            projets:
              atelier-velos: {beneficiaires: 10}
              atelier-velo:
                choix: {horaire: soirs}
            """),
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args):
    return runner.invoke(app, ["validate", *args], catch_exceptions=False)


def locations_text(output):
    return sorted(
        (m[1], int(m[2]), int(m[3]), m[5])
        for m in re.finditer(
            r"^(.+?):(\d+):(\d+): (erreur|avertissement|info)\[(\w+)\]", output, re.M
        )
    )


def test_every_format_parses_and_gives_the_same_locations(broken_repo):
    text = run()
    assert text.exit_code == 1
    expected = locations_text(text.stdout)
    codes = {code for *_, code in expected}
    assert {"R101", "R102", "R103", "S102", "S106", "D803"} <= codes

    data = json.loads(run("-f", "json").stdout)
    assert data["version"] == 1 and data["echec"] is True
    assert (
        sorted((c["fichier"], c["ligne"], c["colonne"], c["code"]) for c in data["constats"])
        == expected
    )

    github = run("-f", "github").stdout
    found = re.findall(
        r"^::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+),title=(\w+) ", github, re.M
    )
    assert sorted((f, int(line), int(col), code) for _, f, line, col, code in found) == expected

    gitlab = run("-f", "gitlab").stdout
    assert not gitlab.startswith("\ufeff")
    issues = json.loads(gitlab)
    assert sorted(
        (i["location"]["path"], i["location"]["lines"]["begin"], i["check_name"]) for i in issues
    ) == [(f, line, code) for f, line, _, code in expected]
    fingerprints = [i["fingerprint"] for i in issues]
    assert len(set(fingerprints)) == len(fingerprints)
    assert fingerprints == [i["fingerprint"] for i in json.loads(run("-f", "gitlab").stdout)]

    sarif = json.loads(run("-f", "sarif").stdout)
    jsonschema.validate(sarif, SARIF_SCHEMA)
    results = sarif["runs"][0]["results"]
    located = sorted(
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"],
            r["ruleId"],
        )
        for r in results
    )
    assert located == expected
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    assert any("cœur" in rule["shortDescription"]["text"] for rule in rules)

    junit = ET.fromstring(run("-f", "junit").stdout)
    cases = junit.findall(".//testcase")
    keys = [(c.get("classname"), c.get("name")) for c in cases]
    assert len(keys) == len(set(keys))
    failures = junit.findall(".//failure")
    assert len(failures) == sum(1 for f in data["constats"] if f["niveau"] == "erreur")
    assert {c.get("file") for c in cases} >= {"innovations/casse.yaml", "territoires/bourg.yaml"}


@pytest.mark.parametrize("fmt", ["text", "json", "github", "gitlab", "junit", "sarif"])
def test_exit_code_does_not_depend_on_the_format(broken_repo, fmt):
    assert run("-f", fmt).exit_code == 1
    assert run("-f", fmt, "innovations/atelier.yaml").exit_code == 0
    assert run("-f", fmt, "--strict", "innovations/copie.yaml").exit_code == 1
    assert run("-f", fmt, "--niveau-echec", "info", "innovations/atelier.yaml").exit_code == 0


def test_several_reports_in_one_run(broken_repo):
    result = run(
        "--rapport", "gitlab=qualite.json", "--rapport", "junit=rapports/junit.xml", "-f", "sarif"
    )
    assert result.exit_code == 1
    jsonschema.validate(json.loads(result.stdout), SARIF_SCHEMA)
    assert json.loads(Path("qualite.json").read_text(encoding="utf-8"))
    ET.parse("rapports/junit.xml")


def test_bad_options_exit_2(broken_repo):
    assert run("-f", "pdf").exit_code == 2
    assert run("--rapport", "pdf=x").exit_code == 2
    assert run("--rapport", "json").exit_code == 2
    assert run("--niveau-echec", "grave").exit_code == 2
    assert run("--shard", "3/2").exit_code == 2


def test_shards_are_disjoint_and_cover_everything(broken_repo):
    files = collect_files(["."])
    parts = [shard(files, k, 3) for k in (1, 2, 3)]
    assert sorted(f for part in parts for f in part) == sorted(files)
    assert sum(len(p) for p in parts) == len(files)
    assert shard(files, 2, 3) == parts[1]  # deterministic
    result = run("--shard", "1/1", "-f", "json")
    codes = {c["code"] for c in json.loads(result.stdout)["constats"]}
    assert not codes & {"R101", "R102", "R103"}  # a shard cannot see across files


def test_valid_repository_passes(tmp_path, monkeypatch):
    (tmp_path / "essaimage.yaml").write_text("essaimage: 1\n", encoding="utf-8")
    (tmp_path / "innovations").mkdir()
    (tmp_path / "innovations" / "a.yaml").write_text(BASE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run().exit_code == 0
    assert run("-f", "sarif").exit_code == 0


def test_github_escaping_follows_the_toolkit():
    assert github_escape_data("50 %\nsuite\r") == "50 %25%0Asuite%0D"
    assert github_escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_github_step_summary(broken_repo, monkeypatch):
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(broken_repo / "resume.md"))
    run("-f", "github")
    summary = (broken_repo / "resume.md").read_text(encoding="utf-8")
    assert summary.startswith("### essaimage validate") and "| innovations/casse.yaml |" in summary


def test_cross_file_findings_name_the_first_file(broken_repo):
    data = json.loads(run("-f", "json").stdout)
    by_code = {c["code"]: c for c in data["constats"]}
    assert "innovations/atelier.yaml (ligne 4)" in by_code["R101"]["message"]
    assert by_code["R101"]["fichier"] == "innovations/copie.yaml"
    assert "vouliez-vous dire « atelier-velo » ?" in by_code["R102"]["message"]
    assert (by_code["R103"]["ligne"], "horaires") == (
        6,
        "horaires" if "horaires" in by_code["R103"]["message"] else "",
    )


def test_configuration_folders_exclusions_and_rules_by_path(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / "essaimage.yaml").write_text(
        textwrap.dedent("""\
            essaimage: 1
            innovations: fiches
            exclure: [fiches/brouillons]
            regles_par_chemin:
              - chemins: ["fiches/anciennes/*"]
                regles: {D803: ignorer}
            """),
        encoding="utf-8",
    )
    (tmp_path / "fiches" / "brouillons").mkdir(parents=True)
    (tmp_path / "fiches" / "anciennes").mkdir()
    (tmp_path / "fiches" / "brouillons" / "x.yaml").write_text("pas: valide\n", encoding="utf-8")
    no_licence = NO_LICENCE
    (tmp_path / "fiches" / "anciennes" / "a.yaml").write_text(no_licence, encoding="utf-8")
    (tmp_path / "fiches" / "b.yaml").write_text(
        no_licence.replace("atelier-velo", "atelier-b"), encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    data = json.loads(run("-f", "json").stdout)
    assert data["fichiers"] == ["essaimage.yaml", "fiches/anciennes/a.yaml", "fiches/b.yaml"]
    assert [(c["fichier"], c["code"]) for c in data["constats"]] == [("fiches/b.yaml", "D803")]


def test_configuration_errors_have_lines(tmp_path, monkeypatch):
    (tmp_path / "essaimage.yaml").write_text("essaimage: 1\ninovations: fiches\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("--sans-contexte")
    assert (
        "essaimage.yaml:2:1: erreur[S102] clé inconnue « inovations » ; vouliez-vous dire « innovations » ?"
        in result.stdout
    )
