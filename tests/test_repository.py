"""The repository configuration, essaimage.yaml: folders, exclusions, rule levels by path, and
its own errors at their lines."""

from __future__ import annotations

import json
import textwrap

from essaimage.check.repository import repository_at
from helpers import BASE, NO_LICENCE, build_file_tree, invoke, validate


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
    data = json.loads(validate("-f", "json").stdout)
    assert data["fichiers"] == ["essaimage.yaml", "fiches/anciennes/a.yaml", "fiches/b.yaml"]
    assert [(c["fichier"], c["code"]) for c in data["constats"]] == [("fiches/b.yaml", "D803")]


def test_configuration_errors_have_lines(tmp_path, monkeypatch):
    (tmp_path / "essaimage.yaml").write_text("essaimage: 1\ninovations: fiches\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = validate("--sans-contexte")
    assert (
        "essaimage.yaml:2:1: erreur[S102] clé inconnue « inovations » ; vouliez-vous dire « innovations » ?"
        in result.stdout
    )


def test_an_excluded_folder_does_not_exclude_its_namesakes(tmp_path):
    build_file_tree(
        tmp_path,
        {
            ".git/": None,
            "essaimage.yaml": "essaimage: 1\nexclure: [innovations/brouillons]\n",
            "innovations/brouillons/a.yaml": "x: 1\n",
            "innovations/brouillons-2/b.yaml": "x: 1\n",
            "innovations/brouillonsc.yaml": "x: 1\n",
        },
    )
    repo = repository_at(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in repo.files("innovations")] == [
        "innovations/brouillons-2/b.yaml",
        "innovations/brouillonsc.yaml",
    ]


def test_rule_levels_apply_in_order_repository_then_paths(tmp_path):
    build_file_tree(
        tmp_path,
        {
            ".git/": None,
            "essaimage.yaml": (
                "essaimage: 1\nregles: {D104: erreur, D803: info}\nregles_par_chemin:\n"
                "  - chemins: [innovations/vieux]\n    regles: {D104: ignorer}\n"
                "  - chemins: ['innovations/*/a.yaml']\n    regles: {D104: info}\n"
            ),
        },
    )
    repo = repository_at(tmp_path)
    assert repo.overrides_for(tmp_path / "innovations" / "b.yaml") == {
        "D104": "erreur",
        "D803": "info",
    }
    assert repo.overrides_for(tmp_path / "innovations" / "vieux" / "b.yaml")["D104"] == "ignorer"
    assert repo.overrides_for(tmp_path / "innovations" / "vieux" / "a.yaml")["D104"] == "info"


def test_exclusions_and_paths_follow_gitignore_semantics(tmp_path, monkeypatch):
    """`*` stays in its folder, `!` re-includes, « brouillons » is not « brouillons-2 », the
    repository's .gitignore is honoured (issue 12)."""
    bad = BASE.replace("      etp: 0,5", "      etp: -1")
    build_file_tree(
        tmp_path,
        {
            ".git/": None,
            ".gitignore": "sortie/\n",
            "essaimage.yaml": (
                "essaimage: 1\ninnovations: innovations\nexclure:\n  - brouillons\n"
                "  - '!innovations/brouillons/garder.yaml'\n"
                "regles_par_chemin:\n  - chemins: ['innovations/*.yaml']\n    regles: {D803: ignorer}\n"
            ),
            "innovations/brouillons/a.yaml": bad,
            "innovations/brouillons/garder.yaml": BASE.replace("atelier-velo", "garde"),
            "innovations/brouillons-2/b.yaml": BASE.replace("atelier-velo", "deux"),
            "innovations/sous/c.yaml": NO_LICENCE.replace("atelier-velo", "sans-licence"),
            "innovations/d.yaml": NO_LICENCE.replace("atelier-velo", "racine"),
            "innovations/sortie/e.yaml": bad,
            "sortie/f.yaml": bad,
        },
    )
    monkeypatch.chdir(tmp_path)
    document = json.loads(invoke("validate", "-f", "json").stdout)
    files = document["fichiers"]
    assert "innovations/brouillons/a.yaml" not in files
    assert "innovations/brouillons/garder.yaml" in files  # « ! » re-includes
    assert "innovations/brouillons-2/b.yaml" in files
    assert not any("sortie/" in f for f in files)  # .gitignore: « sortie/ » at any depth
    # `innovations/*.yaml` does not reach innovations/sous/: D803 stays there only
    d803 = {c["fichier"] for c in document["constats"] if c["code"] == "D803"}
    assert d803 == {"innovations/sous/c.yaml"}
    # a file named on the command line is checked even when ignored
    assert invoke("validate", "sortie/f.yaml").exit_code == 1
