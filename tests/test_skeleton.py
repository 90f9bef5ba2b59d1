"""`essaimage init`: a skeleton that validates, and never an overwritten file."""

from __future__ import annotations

from helpers import check_jsonschema, invoke


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
