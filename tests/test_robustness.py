"""Hand-written valid files pass; broken inputs of every kind give findings, never exceptions."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, FIXTURES
from essaimage.check import diagnostics
from essaimage.check.pipeline import check_file
from essaimage.kit.prepare import prepare
from essaimage.kit.target import resolve_target
from essaimage.render.engine import render_all
from essaimage.territories import cog as territoires
from helpers import check_paths

VALID = sorted((FIXTURES / "valides").glob("*.yaml"))
SEEDS = sorted(EXAMPLES.rglob("*.yaml")) + VALID


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_hand_written_files_using_every_key_validate(path):
    checked = check_file(path)
    assert [f for f in checked.findings if f.severity.value == "erreur"] == []
    assert checked.model is not None


def test_hand_written_descriptor_renders_for_its_profile():
    checked = check_file(FIXTURES / "valides" / "complet.yaml")
    kit = prepare(
        checked.model,
        checked,
        resolve_target(str(FIXTURES / "valides" / "profil-complet.yaml"), []),
    )
    md = render_all(kit, ["md"])["md"]
    assert kit.cible.population == 12345 and kit.cible.nom == "Bourg-sur-Exemple"
    assert "1\u00a0ETP par 12\u00a0bénéficiaires × 24\u00a0bénéficiaires = 2\u00a0ETP" in md
    # per inhabitant: the perimeter's 12 000, not the commune's 12 345; per site: 2 sites
    assert (
        "0,50\u00a0€ par habitant et par an × 12\u202f000\u00a0habitants = 6\u202f000\u00a0€ par an"
        in md
    )
    assert (
        "1\u202f000\u00a0€ par site et par mois × 2\u00a0sites = 2\u202f000\u00a0€ par mois" in md
    )
    assert "février à mars 2027" in md
    # « démarches » is chosen for 1 of the 2 sites: the rented van (300 € a month per site) is
    # kept on the other one, the software (20 € a month) and a laptop are added on its own
    assert kit.moyens.fonctionnement_annuel == 24000 + 6000 + 300 * 12 + 20 * 12
    [laptop] = [line for line in kit.moyens.materiels if line.libelle == "Ordinateur portable"]
    assert laptop.quantite == 1
    assert [line.libelle for line in kit.moyens.materiels] == [
        "Triporteur électrique",
        "Ordinateur portable",
    ]


def mutations(text: str, rng: random.Random, count: int):
    lines = text.splitlines(keepends=True)
    pieces = [
        ": ",
        "\t",
        "- ",
        "[",
        "{",
        "&a ",
        "*a",
        "!!python/object ",
        '"',
        "'",
        "#",
        "\n",
        "  ",
        "\xe9",
        "---\n",
        "~",
        "0",
        "-1",
        "é",
    ]
    for _ in range(count):
        mutated = list(lines)
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(mutated))
            action = rng.randrange(4)
            if action == 0:
                del mutated[i]
            elif action == 1:
                mutated.insert(i, mutated[rng.randrange(len(mutated))])
            elif action == 2:
                line = mutated[i]
                j = rng.randrange(len(line) + 1)
                mutated[i] = line[:j] + rng.choice(pieces) + line[j:]
            else:
                mutated[i] = mutated[i][: rng.randrange(len(mutated[i]) + 1)] + "\n"
        yield "".join(mutated)


@pytest.mark.parametrize("seed", SEEDS, ids=[p.stem for p in SEEDS])
def test_mutated_files_give_findings_not_exceptions(seed, tmp_path):
    rng = random.Random(seed.name)
    text = seed.read_text(encoding="utf-8")
    target = tmp_path / seed.name
    for mutated in mutations(text, rng, 40):
        target.write_text(mutated, encoding="utf-8")
        checked = check_file(target)
        internal = [f for f in checked.findings if f.code == "X900"]
        assert not internal, (internal, mutated)
        for finding in checked.findings:
            assert finding.line >= 1 and finding.column >= 1 and finding.message


def test_an_unexpected_exception_stays_with_its_file(tmp_path, monkeypatch):
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text("essaimage: 1\n", encoding="utf-8")

    def explode(doc, file, *args):
        if file.endswith("a.yaml"):
            raise RuntimeError("panne simulée")
        return original(doc, file, *args)

    original = diagnostics.validate_document
    monkeypatch.setattr(diagnostics, "validate_document", explode)
    result, _ = check_paths([str(tmp_path)])
    codes = [(Path(f.file).name, f.code) for f in result.sorted_findings()]
    assert codes[0] == ("a.yaml", "X900")
    assert ("b.yaml", "S101") in codes
    assert "panne simulée" in result.sorted_findings()[0].message


def test_validating_descriptors_does_not_load_the_reference_or_the_templates(monkeypatch):
    territoires.reference.cache_clear()
    for module in ("jinja2", "markdown_it"):
        monkeypatch.delitem(sys.modules, module, raising=False)
    check_paths([str(EXAMPLES / "innovations")])
    assert territoires.reference.cache_info().currsize == 0
    assert "jinja2" not in sys.modules
