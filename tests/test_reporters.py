"""Machine formats of `validate`: parsed by real parsers, the same findings everywhere, the exit
code independent of the format; shards; checks between files; the repository configuration."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import xmlschema

from conftest import ROOT
from essaimage.cli import app
from essaimage.reports.github import github_escape_data, github_escape_property
from helpers import BASE, build_file_tree, runner, validate

SARIF_SCHEMA = json.loads(
    (ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)

JUNIT_SCHEMA = ROOT / "tests" / "data" / "junit-10.xsd"  # Jenkins' schema, see tests/data/README.md


def locations_text(output):
    return sorted(
        (m[1], int(m[2]), int(m[3]), m[5])
        for m in re.finditer(
            r"^(.+?):(\d+):(\d+): (erreur|avertissement|info)\[(\w+)\]", output, re.M
        )
    )


def test_every_format_parses_and_gives_the_same_locations(broken_repo):
    text = validate()
    assert text.exit_code == 1
    expected = locations_text(text.stdout)
    codes = {code for *_, code in expected}
    assert {"R101", "R102", "R103", "S102", "S106", "D803"} <= codes

    data = json.loads(validate("-f", "json").stdout)
    assert data["version"] == 1 and data["echec"] is True
    assert (
        sorted((c["fichier"], c["ligne"], c["colonne"], c["code"]) for c in data["constats"])
        == expected
    )

    github = validate("-f", "github").stdout
    found = re.findall(
        r"^::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+),title=(\w+) ", github, re.M
    )
    assert sorted((f, int(line), int(col), code) for _, f, line, col, code in found) == expected

    gitlab = validate("-f", "gitlab").stdout
    assert not gitlab.startswith("\ufeff")
    issues = json.loads(gitlab)
    assert sorted(
        (i["location"]["path"], i["location"]["lines"]["begin"], i["check_name"]) for i in issues
    ) == [(f, line, f"essaimage-{code}") for f, line, _, code in expected]
    fingerprints = [i["fingerprint"] for i in issues]
    assert len(set(fingerprints)) == len(fingerprints)
    assert fingerprints == [i["fingerprint"] for i in json.loads(validate("-f", "gitlab").stdout)]

    sarif = json.loads(validate("-f", "sarif").stdout)
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

    junit_xml = validate("-f", "junit").stdout.encode("utf-8")
    xmlschema.XMLSchema(JUNIT_SCHEMA).validate(junit_xml)  # what Jenkins accepts
    junit = ET.fromstring(junit_xml)
    cases = junit.findall(".//testcase")
    keys = [(c.get("classname"), c.get("name")) for c in cases]
    assert len(keys) == len(set(keys))
    failures = junit.findall(".//failure")
    assert len(failures) == sum(1 for f in data["constats"] if f["niveau"] == "erreur")
    assert {c.get("classname") for c in cases} >= {
        "innovations/casse.yaml",
        "territoires/bourg.yaml",
    }


@pytest.mark.parametrize("fmt", ["text", "json", "github", "gitlab", "junit", "sarif"])
def test_exit_code_does_not_depend_on_the_format(broken_repo, fmt):
    assert validate("-f", fmt).exit_code == 1
    assert validate("-f", fmt, "innovations/atelier.yaml").exit_code == 0
    assert validate("-f", fmt, "--strict", "innovations/copie.yaml").exit_code == 1
    assert validate("-f", fmt, "--niveau-echec", "info", "innovations/atelier.yaml").exit_code == 0


def test_several_reports_in_one_run(broken_repo):
    result = validate(
        "--rapport", "gitlab=qualite.json", "--rapport", "junit=rapports/junit.xml", "-f", "sarif"
    )
    assert result.exit_code == 1
    jsonschema.validate(json.loads(result.stdout), SARIF_SCHEMA)
    assert json.loads(Path("qualite.json").read_text(encoding="utf-8"))
    ET.parse("rapports/junit.xml")


def test_bad_options_exit_2(broken_repo):
    assert validate("-f", "pdf").exit_code == 2
    assert validate("--rapport", "pdf=x").exit_code == 2
    assert validate("--rapport", "json").exit_code == 2
    assert validate("--niveau-echec", "grave").exit_code == 2
    assert validate("--shard", "3/2").exit_code == 2


def test_valid_repository_passes(tmp_path, monkeypatch):
    (tmp_path / "essaimage.yaml").write_text("essaimage: 1\n", encoding="utf-8")
    (tmp_path / "innovations").mkdir()
    (tmp_path / "innovations" / "a.yaml").write_text(BASE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert validate().exit_code == 0
    assert validate("-f", "sarif").exit_code == 0


def test_github_escaping_follows_the_toolkit():
    assert github_escape_data("50 %\nsuite\r") == "50 %25%0Asuite%0D"
    assert github_escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_github_step_summary(broken_repo, monkeypatch):
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(broken_repo / "resume.md"))
    validate("-f", "github")
    summary = (broken_repo / "resume.md").read_text(encoding="utf-8")
    assert summary.startswith("### essaimage validate") and "| innovations/casse.yaml |" in summary


# --- the real consumers (issue 12) -------------------------------------------------------------

# A key holding a newline and a forged workflow command, a value holding a bell (YAML escapes).
HOSTILE_LINES = r'"x\n::warning file=README.md,line=1::forged": 1' + "\n" + r'"cle\x07": 1' + "\n"


def hostile_repo(root: Path) -> Path:
    """Odd file names (space, accents, %), a YAML key with a newline and a value with a bell."""
    descriptor = BASE.replace(
        "nom: Atelier vélo solidaire\n", "nom: Atelier vélo solidaire\n" + HOSTILE_LINES
    )
    assert descriptor != BASE
    return build_file_tree(
        root,
        {
            ".git/": None,
            "essaimage.yaml": "essaimage: 1\n",
            "innovations/café réparé.yaml": descriptor,
            "innovations/100%.yaml": descriptor.replace("id: atelier-velo", "id: atelier-cent"),
        },
    )


def shifted(root: Path) -> None:
    """Insert a comment line at the top of every descriptor: every problem moves one line down."""
    for path in (root / "innovations").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("\n", "\n# une ligne de plus\n", 1), encoding="utf-8")


def test_sarif_is_valid_with_format_checking_and_stable_across_moved_lines(tmp_path, monkeypatch):
    monkeypatch.chdir(hostile_repo(tmp_path))
    sarif = json.loads(validate("-f", "sarif").stdout)
    jsonschema.validate(sarif, SARIF_SCHEMA, format_checker=jsonschema.FormatChecker())
    checker = jsonschema.FormatChecker()
    run = sarif["runs"][0]
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    }
    assert uris == {"innovations/caf%C3%A9%20r%C3%A9par%C3%A9.yaml", "innovations/100%25.yaml"}
    assert all(checker.conforms(uri, "uri-reference") for uri in uris)
    assert not checker.conforms("innovations/café réparé.yaml", "uri-reference")  # what it was
    for rule in run["tool"]["driver"]["rules"]:
        assert rule["name"] != rule["id"] and rule["name"].isalnum()
        assert {"tags", "precision", "problem.severity"} <= set(rule["properties"])
    fingerprints = [r["partialFingerprints"]["essaimageIdentity/v1"] for r in run["results"]]
    assert len(set(fingerprints)) == len(fingerprints)
    shifted(tmp_path)
    again = json.loads(validate("-f", "sarif").stdout)["runs"][0]["results"]
    assert [r["partialFingerprints"]["essaimageIdentity/v1"] for r in again] == fingerprints
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in again] == [
        r["locations"][0]["physicalLocation"]["region"]["startLine"] + 1 for r in run["results"]
    ]


def test_junit_is_well_formed_xml_and_names_tests_by_what_they_are(tmp_path, monkeypatch):
    monkeypatch.chdir(hostile_repo(tmp_path))
    first = validate("-f", "junit").stdout
    tree = ET.fromstring(first.encode("utf-8"))  # a strict parser: a raw \x07 is fatal
    cases = [(c.get("classname"), c.get("name")) for c in tree.iter("testcase")]
    assert all("ligne" not in name for _, name in cases) and len(set(cases)) == len(cases)
    assert "cle\\u0007" in first and "\x07" not in first
    xmlschema.XMLSchema(JUNIT_SCHEMA).validate(first.encode("utf-8"))
    shifted(tmp_path)
    second = ET.fromstring(validate("-f", "junit").stdout.encode("utf-8"))
    assert [(c.get("classname"), c.get("name")) for c in second.iter("testcase")] == cases


def test_gitlab_fingerprints_ignore_line_numbers_in_messages(tmp_path, monkeypatch):
    duplicated = BASE.replace("licence: CC-BY-SA-4.0\n", "licence: CC-BY-SA-4.0\nlicence: MIT\n")
    build_file_tree(
        tmp_path,
        {
            ".git/": None,
            "essaimage.yaml": "essaimage: 1\n",
            "innovations/a.yaml": duplicated,
            "innovations/b.yaml": BASE,  # the same id: R101 « déjà celui de … (ligne N) »
        },
    )
    monkeypatch.chdir(tmp_path)
    issues = json.loads(validate("-f", "gitlab").stdout)
    assert {"essaimage-Y009", "essaimage-R101"} <= {i["check_name"] for i in issues}
    assert any("ligne" in i["description"] for i in issues)
    shifted(tmp_path)
    again = json.loads(validate("-f", "gitlab").stdout)
    assert [i["fingerprint"] for i in again] == [i["fingerprint"] for i in issues]
    assert [i["location"]["lines"]["begin"] for i in again] != [
        i["location"]["lines"]["begin"] for i in issues
    ]


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_no_value_can_forge_a_line_or_an_annotation(tmp_path, monkeypatch, fmt):
    monkeypatch.chdir(hostile_repo(tmp_path))
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "resume.md"))
    output = validate("-f", fmt, "--sans-contexte").stdout
    assert "forged" in output  # the key is reported…
    for line in output.splitlines():  # …but never opens a line of its own
        assert not line.startswith("::warning file=README.md")
        assert "\x07" not in line
    if fmt == "github":
        rows = (tmp_path / "resume.md").read_text(encoding="utf-8").splitlines()
        table = [row for row in rows if row.startswith("| innovations/")]
        assert all(row.endswith("|") for row in table) and len(table) >= 4


def test_a_hook_run_on_one_file_says_what_the_repository_run_says(broken_repo):
    """The pre-commit hook passes only the changed file; R102/R103 must not depend on that."""
    alone = json.loads(validate("-f", "json", "territoires/bourg.yaml").stdout)["constats"]
    everything = json.loads(validate("-f", "json").stdout)["constats"]
    in_repository = [c for c in everything if c["fichier"] == "territoires/bourg.yaml"]
    assert {"R102", "R103"} <= {c["code"] for c in alone}
    assert alone == in_repository


def test_the_hook_finds_the_repository_files_whatever_their_folders(tmp_path, monkeypatch):
    build_file_tree(
        tmp_path,
        {
            ".git/": None,
            "essaimage.yaml": "essaimage: 1\ninnovations: fiches\n",
            "fiches/atelier.yaml": BASE.replace("      etp: 0,5", "      etp: -1"),
            ".github/workflows/ci.yml": "on: push\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    hook = ["--seulement-du-depot", "--autoriser-vide"]
    result = validate(*hook, "fiches/atelier.yaml", ".github/workflows/ci.yml")
    assert result.exit_code == 1 and "fiches/atelier.yaml:" in result.stdout
    assert "ci.yml" not in result.stdout
    assert validate(*hook, ".github/workflows/ci.yml").exit_code == 0
    assert validate(".github/workflows/ci.yml").exit_code == 1  # without the hook's options


def test_validate_reads_the_standard_input_under_the_name_given(broken_repo):
    text = (broken_repo / "territoires" / "bourg.yaml").read_text(encoding="utf-8")
    result = runner.invoke(
        app, ["validate", "-", "--nom-fichier", "territoires/bourg.yaml"], input=text
    )
    assert result.exit_code == 1
    assert "territoires/bourg.yaml:" in result.stdout and "R103" in result.stdout
    unnamed = runner.invoke(app, ["validate", "-"], input="essaimage: 1\nnom: x\n")
    assert unnamed.exit_code == 1 and unnamed.stdout.startswith("entree-standard.yaml:")


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (["--strict", "--niveau-echec", "erreur"], "--strict et --niveau-echec"),
        (["-q", "-v"], "--silencieux et --detail"),
        (["--nom-fichier", "a.yaml"], "--nom-fichier ne sert qu'avec"),
        (["-", "innovations"], "« - » (l'entrée standard) se vérifie seul"),
    ],
)
def test_options_that_contradict_each_other_are_refused(broken_repo, arguments, said):
    result = runner.invoke(app, ["validate", *arguments])
    assert result.exit_code == 2 and said in result.stderr


def test_an_empty_run_fails_unless_allowed(tmp_path, monkeypatch):
    (tmp_path / "vide").mkdir()
    monkeypatch.chdir(tmp_path)
    assert validate("vide").exit_code == 2
    allowed = validate("vide", "--autoriser-vide")
    assert allowed.exit_code == 0 and "aucun fichier à vérifier" in allowed.stdout


def test_quiet_and_verbose_text(broken_repo):
    quiet = validate("-q").stdout.splitlines()
    assert quiet and all(re.match(r"^\S+:\d+:\d+: ", line) for line in quiet)
    verbose = validate("-v").stdout
    assert "innovations/atelier.yaml : aucun problème" in verbose


def test_json_output_follows_its_published_schema_with_paths_from_the_root(
    broken_repo, monkeypatch
):
    schema = json.loads((ROOT / "docs" / "validation.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    (broken_repo / "territoires" / "sous").mkdir()
    monkeypatch.chdir(broken_repo / "territoires" / "sous")  # paths still from the root
    document = json.loads(validate("-f", "json", "..").stdout)
    jsonschema.validate(document, schema, format_checker=jsonschema.FormatChecker())
    assert document["constats"] and document["fichiers"] == ["territoires/bourg.yaml"]
    assert {c["fichier"] for c in document["constats"]} == {"territoires/bourg.yaml"}
    monkeypatch.chdir(broken_repo)
    whole = json.loads(validate("-f", "json").stdout)
    jsonschema.validate(whole, schema)
    assert whole["indices"] and all(
        i["fichier"].startswith("innovations/") for i in whole["indices"]
    )


def test_the_configuration_can_be_named(broken_repo, monkeypatch):
    (broken_repo / "ci.yaml").write_text(
        "essaimage: 1\nexclure: [innovations/casse.yaml]\n", encoding="utf-8"
    )
    default = json.loads(validate("-f", "json").stdout)
    assert "innovations/casse.yaml" in default["fichiers"]
    named = runner.invoke(app, ["--config", "ci.yaml", "validate", "-f", "json"])
    files = json.loads(named.stdout)["fichiers"]
    assert "innovations/casse.yaml" not in files and "ci.yaml" in files
    monkeypatch.setenv("ESSAIMAGE_CONFIG", "ci.yaml")
    from_env = runner.invoke(app, ["validate", "-f", "json"])
    assert json.loads(from_env.stdout)["fichiers"] == files
    monkeypatch.setenv("ESSAIMAGE_CONFIG", "absente.yaml")
    missing = runner.invoke(app, ["validate"])
    assert (
        missing.exit_code == 2
        and "la configuration « absente.yaml » n'existe pas" in missing.stderr
    )


def test_choices_are_declared_and_completion_is_offered():
    bad = runner.invoke(app, ["validate", "-f", "pdf"])
    assert bad.exit_code == 2
    assert "« pdf » n'est pas permis (valeurs permises : text, json, github" in bad.stderr
    root_help = runner.invoke(app, ["--aide"], env={"COLUMNS": "200"}).stdout
    assert "--install-completion" in root_help and "Installe la complétion" in root_help
    assert "Install completion" not in root_help


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_processes_in_parallel_give_the_same_report(broken_repo, monkeypatch, fmt):
    """Issue 13: `--jobs 2` shares the files among processes; the findings, their order and the
    checks between files (R101, R102, R103) are those of one process."""
    from essaimage.check import pipeline

    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 2)  # the four files are shared out
    shared_out = []
    original = pipeline._in_parallel
    monkeypatch.setattr(
        pipeline, "_in_parallel", lambda *a: shared_out.append(a[1]) or original(*a)
    )
    alone = validate("-f", fmt, "--jobs", "1")
    assert not shared_out
    here = []  # the files checked in this process (the workers' own records stay theirs)
    check_file = pipeline.check_file
    monkeypatch.setattr(pipeline, "check_file", lambda *a: here.append(a) or check_file(*a))
    shared = validate("-f", fmt, "--jobs", "2")
    assert shared_out == [2] and here == []
    assert shared.stdout == alone.stdout and shared.exit_code == alone.exit_code == 1
    assert {"R101", "R102", "R103"} <= set(re.findall(r"R10\d", shared.stdout))


def test_jobs_must_be_a_positive_count(broken_repo):
    result = validate("--jobs", "0")
    assert result.exit_code == 2 and "--jobs attend un nombre de processus" in result.stderr


def test_processes_that_cannot_be_used_leave_the_work_to_this_one(broken_repo, monkeypatch):
    """A worker that dies or a result that cannot be sent: the files not yet back are checked
    in this process, and the report is the same."""
    from essaimage.check import pipeline

    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 2)
    alone = validate("-f", "json", "--jobs", "1").stdout

    def unsendable(paths, keep_text):  # a local function cannot be sent to a worker
        return []

    monkeypatch.setattr(pipeline, "_check_chunk", unsendable)
    assert validate("-f", "json", "--jobs", "2").stdout == alone


def test_every_code_s_sarif_family_comes_from_the_registry():
    """Issue 23: SARIF tagged X900, K301 and K302 « format »; its families knew an E family but
    not K or X."""
    from essaimage.check.codes import REGISTRY, family_tag

    assert {code: family_tag(code) for code in ("X900", "K302", "S101", "T106")} == {
        "X900": "interne", "K302": "kit", "S101": "format", "T106": "territoire",
    }  # fmt: skip
    assert all(family_tag(code) for code in REGISTRY)


def test_one_list_of_formats_for_f_and_rapport():
    """Issue 23: a format added to reporters.FORMATS worked with --rapport and was refused by
    -f (a Literal of its own in cli/validate.py): both read vocabulary.REPORT_FORMATS now."""
    from essaimage.cli.validate import FormatRapport
    from essaimage.format.vocabulary import REPORT_FORMATS
    from essaimage.reports import formats as reporters

    assert tuple(reporters.FORMATS) == REPORT_FORMATS
    assert tuple(member.value for member in FormatRapport) == REPORT_FORMATS
    for name in REPORT_FORMATS:
        result = runner.invoke(
            app, ["validate", "-f", name, str(ROOT / "examples" / "innovations")]
        )
        assert result.exit_code in (0, 1), (name, result.output)
