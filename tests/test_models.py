"""The models are the one source of the format's documentation and vocabulary: every model and
field has its French title and description, every enumeration its labels, nothing else."""

from __future__ import annotations

import re
import typing

import pytest
from pydantic import BaseModel
from pydantic_core import PydanticCustomError

from conftest import FIXTURES, ROOT
from essaimage.check.pipeline import check_file
from essaimage.format import licences, models
from essaimage.format.reference import anchor, reference_markdown
from essaimage.format.vocabulary import ENUMERATIONS
from helpers import BASE, used_fields


def all_models() -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []

    def visit(annotation: object) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation not in found:
                found.append(annotation)
                for info in annotation.model_fields.values():
                    visit(info.annotation)
            return
        for arg in typing.get_args(annotation):
            visit(arg)

    for root in (models.Innovation, models.Profil, models.Configuration):
        visit(root)
    return found


MODELS = all_models()
FIELDS = [(m, name) for m in MODELS for name in m.model_fields]


def test_every_model_is_reached():
    assert len(MODELS) >= 35
    assert models.MoyensRequis in MODELS and models.ReglesParChemin in MODELS


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_every_model_has_a_french_title_and_description(model):
    assert model.model_config.get("title"), model.__name__
    assert len(models.model_description(model)) > 10


@pytest.mark.parametrize(("model", "name"), FIELDS, ids=[f"{m.__name__}.{n}" for m, n in FIELDS])
def test_every_field_has_a_french_title_and_description(model, name):
    info = model.model_fields[name]
    assert info.title and info.title != name, "titre manquant"
    assert info.description and len(info.description) > 5, "description manquante"


def literals_in(annotation: object) -> list[object]:
    if typing.get_origin(annotation) is typing.Literal:
        return [annotation]
    found = []
    for arg in typing.get_args(annotation):
        found.extend(literals_in(arg))
    return found


def test_every_enumeration_has_exactly_its_labels():
    for name, (values, labels) in ENUMERATIONS.items():
        assert list(typing.get_args(values)) == list(labels), name
        assert all(label.strip() for label in labels.values()), name


def test_the_models_use_no_enumeration_without_labels():
    registered = {typing.get_args(values) for values, _ in ENUMERATIONS.values()}
    for model, name in FIELDS:
        for literal in literals_in(model.model_fields[name].annotation):
            values = typing.get_args(literal)
            if values == (1,):
                continue  # the format version
            assert values in registered, f"{model.__name__}.{name}: {values}"


def test_field_reference_page_is_generated_from_the_models():
    page = (ROOT / "docs" / "champs.md").read_text(encoding="utf-8")
    assert page == reference_markdown(), (
        "docs/champs.md a dérivé : essaimage schema --markdown > docs/champs.md"
    )


def test_field_reference_links_resolve_and_headings_are_unique():
    page = reference_markdown()
    headings = [line.lstrip("#").strip() for line in page.splitlines() if line.startswith("#")]
    anchors = [anchor(h) for h in headings]
    assert len(anchors) == len(set(anchors))
    for target in re.findall(r"\]\(#([^)]+)\)", page):
        assert target in anchors, target
    for model in MODELS:
        for name in model.model_fields:
            assert f"| `{name}` |" in page


def test_the_hand_written_valid_files_use_every_field():
    """tests/fixtures/valides uses every key of the format: a new field needs its example there
    (and so goes through validation, the editor schema check and the kit of those files)."""
    valides = FIXTURES / "valides"
    used = {}
    for model, name in (
        (models.Innovation, "complet.yaml"),
        (models.Profil, "profil-complet.yaml"),
        (models.FichierPlan, "plan-complet.yaml"),
        (models.FichierRetour, "retour-complet.yaml"),
        (models.Configuration, "configuration/essaimage.yaml"),
    ):
        used.update(used_fields(model, check_file(valides / name).document.data))
    missing = sorted({(m.__name__, n) for m, n in FIELDS} - set(used))
    assert missing == [], "champs sans exemple dans tests/fixtures/valides"


def test_enumerated_values_are_accepted_as_french_users_type_them(tmp_path):
    """« Essaimée », « Commune », « L’ » mean the listed values, silently (issue 12)."""
    path = tmp_path / "d.yaml"
    path.write_text(BASE.replace("maturite: essaimee", "maturite: Essaimée"), encoding="utf-8")
    checked = check_file(path)
    assert checked.ok, checked.findings
    assert checked.model.maturite == "essaimee"
    profile = tmp_path / "p.yaml"
    profile.write_text(
        "essaimage: 1\nterritoire: {nom: Pays de Redon, type: Commune, article: L’}\n",
        encoding="utf-8",
    )
    checked = check_file(profile)
    assert checked.ok, checked.findings
    territoire = checked.model.territoire
    assert (territoire.type, territoire.article) == ("commune", "l'")
    assert (
        models.Financement.model_validate(
            {"financeur": "Région", "nature": "Appel à projets", "part": 10}
        ).nature
        == "appel-a-projets"
    )


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("CC-BY-SA-4.0", "CC-BY-SA-4.0"),
        ("cc-by-sa-4.0", "CC-BY-SA-4.0"),
        ("CC-BY-4.0 OR etalab-2.0", "CC-BY-4.0 OR etalab-2.0"),
        ("LO-2.0", "etalab-2.0"),
        ("Licence Ouverte 2.0", "etalab-2.0"),
        (
            "GPL-2.0-or-later WITH Classpath-exception-2.0",
            "GPL-2.0-or-later WITH Classpath-exception-2.0",
        ),
    ],
)
def test_licences_are_spdx_identifiers_or_expressions(written, kept):
    assert licences.to_spdx(written) == kept


@pytest.mark.parametrize(
    ("written", "suggested"),
    [
        ("MIT-ish", "MIT"),
        ("CC-BY-SA4.0", "CC-BY-SA-4.0"),
        ("CC BY SA", "CC-BY-SA-4.0"),
        ("n-importe-quoi", "etalab-2.0"),
        ("Licence Ouverte", "etalab-2.0"),
        ("MIT AND (", "etalab-2.0"),
    ],
)
def test_a_licence_outside_the_spdx_list_is_refused_with_a_real_identifier(written, suggested):
    with pytest.raises(PydanticCustomError) as refused:
        licences.to_spdx(written)
    assert refused.value.context["hint"] == (
        f"Écrivez par exemple « {suggested} » (identifiants sur spdx.org/licenses)."
    )


def test_validating_keeps_nothing_of_the_texts_once_the_model_is_dropped():
    """Pydantic may keep the texts it strips in a cache of ~16 000 entries: a validate run over
    a catalogue would hold 1,7 Mio of them until it ends (issue 13). None is kept."""
    import gc
    import tracemalloc

    models.Territoire.model_validate({"nom": "Bourg", "type": "commune"})
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        for number in range(3000):
            models.Territoire.model_validate({"nom": f" Ville numéro {number} ", "type": "commune"})
        gc.collect()
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    kept = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    assert kept < 20_000, kept  # with Pydantic's string cache: ~250 000 bytes
