"""Checks between the files of a repository (R101, R102, R103): pure functions of what the
pipeline read."""

from __future__ import annotations

import json

from essaimage.check.consistency import check_across
from essaimage.check.pipeline import check_file
from helpers import EXAMPLES, build_file_tree, validate


def test_cross_file_findings_name_the_first_file(broken_repo):
    data = json.loads(validate("-f", "json").stdout)
    by_code = {c["code"]: c for c in data["constats"]}
    assert "innovations/atelier.yaml (ligne 4)" in by_code["R101"]["message"]
    assert by_code["R101"]["fichier"] == "innovations/copie.yaml"
    assert "vouliez-vous dire « atelier-velo » ?" in by_code["R102"]["message"]
    assert (by_code["R103"]["ligne"], "horaires") == (
        6,
        "horaires" if "horaires" in by_code["R103"]["message"] else "",
    )


def test_checks_between_files_only_use_what_they_are_given(tmp_path):
    """A project may name an innovation of the repository that the run did not check: the
    pipeline passes its id; the check itself reads nothing."""
    profile = tmp_path / "bourg.yaml"
    profile.write_text(
        "essaimage: 1\nterritoire: {nom: Bourg}\nprojets:\n  ailleurs: {}\n  inconnue: {}\n",
        encoding="utf-8",
    )
    checked = check_file(profile)
    assert checked.ok
    findings = check_across([checked], {profile: {"ailleurs": None}})
    assert [(f.code, f.line, f.message.split(",")[0]) for f in findings] == [
        ("R102", 5, "le profil prévoit « inconnue »")
    ]
    assert check_across([checked], {}) == []  # nothing to compare with: nothing is said


PLAN = """\
essaimage: 1
plan:
  id: {ident}
  nom: Un plan
  innovation: {innovation}
  porteur: {{nom: Région}}
  debut: 2027-09-01
  cibles:
    - {{code_insee: "22278", type: commune}}
"""


def test_plans_name_a_known_innovation_and_have_unique_ids(tmp_path, monkeypatch):
    build_file_tree(
        tmp_path,
        {
            "essaimage.yaml": "essaimage: 1\n",
            "innovations/pedibus.yaml": (EXAMPLES / "innovations" / "pedibus.yaml").read_text(
                encoding="utf-8"
            ),
            "plans/a.yaml": PLAN.format(ident="bretagne", innovation="pedibus"),
            "plans/b.yaml": PLAN.format(ident="bretagne", innovation="pedibuss"),
        },
    )
    monkeypatch.chdir(tmp_path)
    output = validate("--sans-contexte").stdout
    assert (
        "plans/b.yaml:3:7: erreur[R105] l'identifiant de plan « bretagne » est déjà celui de plans/a.yaml (ligne 3)"
        in output
    )
    assert "plans/b.yaml:5:15: erreur[R104]" in output and "vouliez-vous dire « pedibus »" in output
    assert "plans/a.yaml" not in output.replace("de plans/a.yaml", "")


def test_a_plan_names_profiles_that_exist(tmp_path, monkeypatch):
    build_file_tree(
        tmp_path,
        {
            "essaimage.yaml": "essaimage: 1\n",
            "territoires/saint-brieuc.yaml": (
                EXAMPLES / "territoires" / "saint-brieuc.yaml"
            ).read_text(encoding="utf-8"),
            "plans/a.yaml": PLAN.format(ident="a", innovation="pedibus").replace(
                '    - {code_insee: "22278", type: commune}\n',
                "    - profil: saint-brieuc\n    - profil: saint-brieux\n",
            ),
        },
    )
    monkeypatch.chdir(tmp_path)
    output = validate("--sans-contexte", "plans/a.yaml").stdout
    assert (
        "plans/a.yaml:10:15: erreur[R106] aucun profil de territoire du dépôt ne s'appelle « saint-brieux » ; vouliez-vous dire « saint-brieuc » ?"
        in output
    )
    assert output.count("erreur[") == 1


def test_a_profile_checked_alone_reads_only_the_innovations_it_names(tmp_path, monkeypatch):
    """Issue 13, the pre-commit trap: a hook on one profile reads the files named after its
    projects, not the whole catalogue; a misspelt project still gets its suggestion."""
    from essaimage.check import pipeline
    from helpers import BASE

    tree = {".git/": None, "essaimage.yaml": "essaimage: 1\n"}
    for n in range(30):
        tree[f"innovations/autre-{n}.yaml"] = BASE.replace("id: atelier-velo", f"id: autre-{n}")
    tree["innovations/atelier-velo.yaml"] = BASE
    tree["territoires/bourg.yaml"] = (
        "essaimage: 1\nterritoire: {nom: Bourg}\nprojets:\n"
        "  atelier-velo:\n    choix: {horaire: soirs}\n"
    )
    build_file_tree(tmp_path, tree)
    monkeypatch.chdir(tmp_path)
    read = []
    facts = pipeline.root_facts
    monkeypatch.setattr(pipeline, "root_facts", lambda path: read.append(path.name) or facts(path))
    found = validate("territoires/bourg.yaml")
    assert read == ["atelier-velo.yaml"]
    assert "R103" in found.stdout and "horaire" in found.stdout  # its marges were read
    misspelt = (tmp_path / "territoires/bourg.yaml").read_text().replace("atelier-velo", "atelier")
    (tmp_path / "territoires/bourg.yaml").write_text(misspelt)
    read.clear()
    found = validate("territoires/bourg.yaml")
    assert len(read) == 31 and "vouliez-vous dire « atelier-velo » ?" in found.stdout
