"""`essaimage init`: a skeleton that validates, and never an overwritten file."""

from __future__ import annotations

import re
import shutil

from helpers import EXAMPLES, check_jsonschema, invoke


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


def uncomment(text: str) -> str:
    """The skeleton with every commented key put back, as a user filling it in would."""
    lines = []
    for line in text.splitlines():
        match = re.match(r"^(\s*)# ?(.*)$", line)
        body = match.group(2) if match else ""
        keyed = re.match(r"^\s*(-\s)?[a-z_]+:", body) and not body.startswith("yaml-language")
        lines.append(match.group(1) + body if match and keyed else line)
    text = "\n".join(lines) + "\n"
    return text.replace("marges: []", "marges:").replace(
        "pourquoi_ca_marche: |", "pourquoi_ca_marche: Le mécanisme qui produit les effets."
    )


def test_the_commented_examples_of_the_skeleton_validate_too(tmp_path, monkeypatch):
    """Every key the skeleton shows in comments, v1.1 ones included, is written right."""
    monkeypatch.chdir(tmp_path)
    assert invoke("init", "atelier-velo.yaml").exit_code == 0
    full = tmp_path / "complet.yaml"
    full.write_text(uncomment((tmp_path / "atelier-velo.yaml").read_text("utf-8")), "utf-8")
    for key in ("dimensionnement:", "financements:", "cout_etp_annuel:", "statut:", "retire:"):
        assert f"\n{key}" in full.read_text("utf-8") or f" {key}" in full.read_text("utf-8")
    validated = invoke("validate", "--sans-contexte", str(full))
    assert "0 erreur" in validated.stdout, validated.stdout


def test_init_plan_writes_a_plan_that_validates_commented_or_not(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "essaimage.yaml").write_text("essaimage: 1\n", encoding="utf-8")
    (tmp_path / "innovations").mkdir()
    (tmp_path / "territoires").mkdir()
    shutil.copy(EXAMPLES / "innovations" / "repair-cafe.yaml", tmp_path / "innovations")
    shutil.copy(EXAMPLES / "territoires" / "saint-brieuc.yaml", tmp_path / "territoires")
    result = invoke("init", "plan", "plans/bretagne.yaml")
    assert result.exit_code == 0 and "Plan créé : plans/bretagne.yaml" in result.stdout
    plan = tmp_path / "plans" / "bretagne.yaml"
    assert "  innovation: repair-cafe " in plan.read_text("utf-8")  # the repository's innovation
    assert "aucun problème" in invoke("validate", "--sans-contexte", str(plan)).stdout
    full = tmp_path / "plans" / "complet.yaml"
    full.write_text(uncomment(plan.read_text("utf-8")).replace("bretagne", "complet"), "utf-8")
    for key in ("selection:", "vagues:", "accompagnement:", "financements:", "profil:"):
        assert key in full.read_text("utf-8")
    validated = invoke("validate", "--sans-contexte", str(full))
    assert "aucun problème" in validated.stdout, validated.stdout
    assert check_jsonschema(tmp_path / "essaimage.schema.json", plan, full).returncode == 0
    assert invoke("init", "plan", "plans/bretagne.yaml").exit_code == 2  # never overwrites


def test_init_territoire_writes_a_profile_that_validates_commented_or_not(tmp_path, monkeypatch):
    """`init territoire` (and its other name `init profil`) was refused; the profile names the
    repository's innovation, validates, and its commented keys are written right."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "essaimage.yaml").write_text("essaimage: 1\n", encoding="utf-8")
    (tmp_path / "innovations").mkdir()
    shutil.copy(EXAMPLES / "innovations" / "repair-cafe.yaml", tmp_path / "innovations")
    result = invoke("init", "territoire", "territoires/rennes.yaml")
    assert result.exit_code == 0, result.output
    assert "Profil créé : territoires/rennes.yaml" in result.stdout
    profile = tmp_path / "territoires" / "rennes.yaml"
    assert "\n  repair-cafe:\n" in profile.read_text("utf-8")  # the repository's innovation
    assert "aucun problème" in invoke("validate", "--sans-contexte", str(profile)).stdout
    full = tmp_path / "territoires" / "complet.yaml"
    full.write_text(uncomment(profile.read_text("utf-8")), "utf-8")
    for key in ("porteur:", "partenaires:", "perimetre:", "financements:", "deja_en_place:"):
        assert key in full.read_text("utf-8")
    validated = invoke("validate", "--sans-contexte", str(full))
    assert "aucun problème" in validated.stdout, validated.stdout
    assert check_jsonschema(tmp_path / "essaimage.schema.json", profile, full).returncode == 0
    assert invoke("init", "profil", "territoires/rennes.yaml").exit_code == 2  # never overwrites
    assert invoke("init", "profil", "autre.yaml").exit_code == 0
