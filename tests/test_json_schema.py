"""The JSON Schema for editors, checked by the real check-jsonschema: as lenient as essaimage,
strict where essaimage is."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, FIXTURES
from essaimage.check.catalogue import json_schema as build
from helpers import BASE, check_jsonschema, invoke


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
        "plan-cible-ambigue",
        "plan-invalide",
    ],
)
def test_mistakes_fail_check_jsonschema_too(schema_file, fixture):
    result = check_jsonschema(schema_file, FIXTURES / "invalides" / f"{fixture}.yaml")
    assert result.returncode == 1, result.stdout


def test_schema_of_each_kind():
    assert build("configuration")["title"] == "Configuration d'un dépôt essaimage (essaimage.yaml)"
    assert invoke("schema", "rien").exit_code == 2


def test_every_wrapped_reference_says_it_is_an_object():
    """In VS Code, completing `mode_degrade`, `cadre_juridique` or `dimensionnement` inserted the
    bare word without « : » (issues 25 and 28): the 23 `allOf: [{$ref}]` wrappers had no type."""
    from essaimage.check.catalogue import json_schema

    wrappers: list[dict] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            if "allOf" in value:
                wrappers.append(value)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(json_schema())
    assert len(wrappers) >= 20
    assert [w.get("title") for w in wrappers if w.get("type") != "object"] == []
    mode = json_schema("innovation")["definitions"]["Innovation"]["properties"]["mode_degrade"]
    assert mode["type"] == "object" and mode["allOf"] == [{"$ref": "#/definitions/ModeDegrade"}]
