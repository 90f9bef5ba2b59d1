"""Working on a repository of descriptors: JSON Schema for editors (checked by the real
check-jsonschema), `init`, `kit` without a descriptor, custom templates, the catalogue site."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES, FIXTURES
from essaimage import repository as config
from essaimage.cli import app
from essaimage.json_schema import build

runner = CliRunner()
BASE = (FIXTURES / "regles" / "base.yaml").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _fresh_config_cache():
    config.clear_cache()
    yield
    config.clear_cache()


def invoke(*args):
    return runner.invoke(app, list(args), catch_exceptions=False)


# --- JSON Schema --------------------------------------------------------------------------------


def check_jsonschema(schema: Path, *files: Path):
    executable = shutil.which("check-jsonschema") or str(
        Path(sys.executable).parent / "check-jsonschema"
    )
    if not Path(executable).exists() and shutil.which("check-jsonschema") is None:
        pytest.skip("check-jsonschema est dans les extras de test : pip install -e '.[test]'")
    return subprocess.run(
        [executable, "--schemafile", str(schema), *map(str, files)], capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def schema_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "essaimage.schema.json"
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    path.write_text(result.stdout, encoding="utf-8")
    return path


def test_schema_is_a_valid_draft7_schema_in_french(schema_file):
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    innovation = schema["definitions"]["Innovation"]
    assert innovation["title"] == "Descripteur d'innovation"
    assert innovation["properties"]["coeur"]["title"] == "Cœur du concept"
    assert "additionalProperties" in innovation and innovation["additionalProperties"] is False
    assert set(schema["definitions"]["MoyenFinancier"]["properties"]["nature"]["enum"]) == {
        "investissement",
        "fonctionnement",
    }
    meta = subprocess.run(
        [
            shutil.which("check-jsonschema")
            or str(Path(sys.executable).parent / "check-jsonschema"),
            "--check-metaschema",
            str(schema_file),
        ],
        capture_output=True,
        text=True,
    )
    assert meta.returncode == 0, meta.stdout + meta.stderr


def test_examples_and_hand_written_files_pass_check_jsonschema(schema_file):
    files = [
        *sorted((EXAMPLES / "innovations").glob("*.yaml")),
        *sorted((EXAMPLES / "territoires").glob("*.yaml")),
    ]
    files += sorted((FIXTURES / "valides").glob("*.yaml"))
    result = check_jsonschema(schema_file, *files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_leniency_matches_essaimage(schema_file, tmp_path):
    lenient = BASE.replace(
        "    - poste: Outillage\n      montant: 3 000",
        "    - poste: Outillage\n      montant: 3 000,50",
    )
    lenient += "public_cible: [oui, non, on]\n"
    lenient = lenient.replace(
        "  territoire: {nom: Grenoble}",
        "  territoire: {nom: Non, code_insee: 01053, type: commune}",
    )
    path = tmp_path / "souple.yaml"
    path.write_text(lenient, encoding="utf-8")
    assert invoke("validate", str(path)).exit_code == 0
    result = check_jsonschema(schema_file, path)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    "fixture",
    [
        "champ-racine-manquant",
        "champ-imbrique-manquant",
        "cle-inconnue",
        "valeur-hors-liste",
        "maturite-hors-liste",
        "type-liste-attendue",
        "nombre-invalide",
        "identifiant-invalide",
        "profil-sans-nom",
    ],
)
def test_mistakes_fail_check_jsonschema_too(schema_file, fixture):
    result = check_jsonschema(schema_file, FIXTURES / "invalides" / f"{fixture}.yaml")
    assert result.returncode == 1, result.stdout


def test_schema_of_each_kind():
    assert build("configuration")["title"] == "Configuration d'un dépôt essaimage (essaimage.yaml)"
    assert invoke("schema", "rien").exit_code == 2


# --- init ---------------------------------------------------------------------------------------


def test_init_writes_a_skeleton_that_validates_and_never_overwrites(
    tmp_path, monkeypatch, schema_file
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "essaimage.yaml").write_text("essaimage: 1\n", encoding="utf-8")
    result = invoke("init", "innovations/atelier-velo.yaml")
    assert result.exit_code == 0
    skeleton = tmp_path / "innovations" / "atelier-velo.yaml"
    text = skeleton.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../essaimage.schema.json\n")
    assert "id: atelier-velo\n" in text
    assert (tmp_path / "essaimage.schema.json").exists()
    validated = invoke("validate", str(skeleton))
    assert validated.exit_code == 0 and "0 erreur" in validated.stdout
    assert check_jsonschema(tmp_path / "essaimage.schema.json", skeleton).returncode == 0
    skeleton.write_text("mon travail\n", encoding="utf-8")
    again = invoke("init", "innovations/atelier-velo.yaml")
    assert again.exit_code == 2
    assert skeleton.read_text(encoding="utf-8") == "mon travail\n"


# --- kit without a descriptor, custom templates ----------------------------------------------------


@pytest.fixture
def examples_repo(tmp_path, monkeypatch):
    repo = tmp_path / "depot"
    shutil.copytree(EXAMPLES, repo)
    (repo / ".git").mkdir()
    monkeypatch.chdir(repo)
    return repo


def test_kit_without_descriptor_uses_the_profile_projects(examples_repo, tmp_path):
    result = invoke("kit", "--territoire", "saint-brieuc", "-o", str(tmp_path / "k"), "-f", "md")
    assert result.exit_code == 0, result.output
    written = sorted(
        p.relative_to(tmp_path / "k").as_posix() for p in (tmp_path / "k").rglob("*.md")
    )
    assert written == ["pedibus/saint-brieuc.md", "repair-cafe/saint-brieuc.md"]


def test_kit_without_descriptor_for_an_official_territory_gives_the_whole_catalogue(
    examples_repo, tmp_path
):
    result = invoke("kit", "--territoire", "29", "-o", str(tmp_path / "k"), "-f", "md")
    assert result.exit_code == 0
    assert len(list((tmp_path / "k").rglob("*.md"))) == 4


def test_kit_without_descriptor_outside_a_repository(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert invoke("kit", "--territoire", "29").exit_code == 2


def test_custom_templates_override_builtin_ones_by_name(examples_repo, tmp_path):
    (examples_repo / "gabarits").mkdir()
    (examples_repo / "gabarits" / "kit.md.j2").write_text(
        "# Kit maison : {{ i.nom }} pour {{ c.nom }}\n", encoding="utf-8"
    )
    (examples_repo / "essaimage.yaml").write_text(
        "essaimage: 1\nexclure: [ci]\ngabarits: gabarits\n", encoding="utf-8"
    )
    result = invoke(
        "kit", "innovations/pedibus.yaml", "-t", "saint-brieuc", "-o", str(tmp_path / "k")
    )
    assert result.exit_code == 0
    assert (tmp_path / "k" / "pedibus" / "saint-brieuc.md").read_text(
        encoding="utf-8"
    ) == "# Kit maison : Pédibus, le ramassage scolaire à pied pour Saint-Brieuc\n"
    assert "<!DOCTYPE html>" in (tmp_path / "k" / "pedibus" / "saint-brieuc.html").read_text(
        encoding="utf-8"
    )


# --- site ---------------------------------------------------------------------------------------


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def test_site_builds_with_relative_links_that_all_resolve(examples_repo):
    result = invoke("site")
    assert result.exit_code == 0, result.output
    public = examples_repo / "public"
    pages = sorted(public.rglob("*.html"))
    assert (public / "index.html") in pages and (public / "innovations" / "pedibus.html") in pages
    assert (public / "kits" / "pedibus" / "saint-brieuc.md").exists()
    assert (public / "secteurs" / "mobilite.html").exists()
    for page in pages:
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            if link.startswith(("http://", "https://", "mailto:")):
                continue
            assert not link.startswith("/"), f"{page}: lien absolu {link}"
            target = link.split("#")[0]
            if target:
                assert (page.parent / target).resolve().exists(), (
                    f"{page.relative_to(public)} → {link}"
                )
    index = (public / "index.html").read_text(encoding="utf-8")
    assert index.count('class="fiche"') == 4
    assert (
        'id="filtre" class="filtre" hidden' in index
    )  # the text filter appears only with JavaScript


def test_site_is_deterministic_and_rewrites_only_what_changes(examples_repo):
    invoke("site", "-o", "a")
    first = {
        p.relative_to(examples_repo / "a"): p.read_bytes()
        for p in (examples_repo / "a").rglob("*")
        if p.is_file()
    }
    again = invoke("site", "-o", "a")
    assert re.search(r"\(0 écrit, \d+ inchangés\)", again.stdout)
    pedibus = examples_repo / "innovations" / "pedibus.yaml"
    pedibus.write_text(
        pedibus.read_text(encoding="utf-8").replace(
            "ramassage scolaire à pied", "ramassage des écoliers à pied"
        ),
        encoding="utf-8",
    )
    changed = invoke("site", "-o", "a")
    written = int(re.search(r"\((\d+) écrits?,", changed.stdout).group(1))
    assert 0 < written < len(first)
    invoke("site", "-o", "b")
    second = {
        p.relative_to(examples_repo / "b"): p.read_bytes()
        for p in (examples_repo / "b").rglob("*")
        if p.is_file()
    }
    assert second.keys() == first.keys()


def test_site_removes_pages_it_no_longer_produces_and_nothing_else(examples_repo):
    invoke("site", "-o", "a")
    (examples_repo / "a" / "a-moi.txt").write_text("garde-moi", encoding="utf-8")
    (examples_repo / "innovations" / "repair-cafe.yaml").unlink()
    profile = examples_repo / "territoires" / "saint-brieuc.yaml"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text[: text.index("  repair-cafe:")], encoding="utf-8")
    result = invoke("site", "-o", "a")
    assert result.exit_code == 0, result.output
    assert ", 3 retirés)" in result.stdout
    assert not (examples_repo / "a" / "innovations" / "repair-cafe.html").exists()
    assert not (examples_repo / "a" / "kits" / "repair-cafe").exists()
    assert (examples_repo / "a" / "a-moi.txt").read_text(encoding="utf-8") == "garde-moi"


def test_site_is_not_built_when_the_repository_has_errors(examples_repo):
    pedibus = examples_repo / "innovations" / "pedibus.yaml"
    pedibus.write_text(
        pedibus.read_text(encoding="utf-8").replace("maturite: generalisee", "maturite: generale"),
        encoding="utf-8",
    )
    result = invoke("site", "--sans-contexte")
    assert result.exit_code == 1
    assert "innovations/pedibus.yaml:" in result.stdout and "erreur[S103]" in result.stdout
    assert not (examples_repo / "public").exists()


def test_kit_finds_profiles_in_the_configured_folder_and_applies_rule_levels_by_path(
    examples_repo, tmp_path
):
    (examples_repo / "territoires").rename(examples_repo / "profils")
    (examples_repo / "essaimage.yaml").write_text(
        "essaimage: 1\nexclure: [ci]\nterritoires: profils\n"
        "regles_par_chemin:\n  - chemins: [innovations/pedibus.yaml]\n    regles: {T102: ignorer}\n",
        encoding="utf-8",
    )
    result = invoke(
        "kit", "innovations/pedibus.yaml", "-t", "saint-brieuc", "-o", str(tmp_path / "k")
    )
    assert result.exit_code == 0, result.output
    assert "T102" not in result.stdout
    assert (tmp_path / "k" / "pedibus" / "saint-brieuc.md").exists()
