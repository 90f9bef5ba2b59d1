"""The worked examples of docs/format.md (v1.2): their files are read from the page as they are
printed there, the kit is made, and every figure of their tables is asserted."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES
from essaimage.check.pipeline import check_file
from essaimage.kit.prepare import prepare
from essaimage.kit.target import resolve_target
from essaimage.render.engine import render_all
from helpers import lisible

PAGE = Path(__file__).parent.parent / "docs" / "format.md"


def _files_of_the_page() -> dict[str, str]:
    """Each ```yaml block of the page whose first line is « # <path> »."""
    files = {}
    for block in PAGE.read_text(encoding="utf-8").split("```yaml\n")[1:]:
        text = block.split("```", 1)[0]
        first = text.split("\n", 1)[0]
        if first.startswith("# ") and first.endswith(".yaml") and "/" in first:
            files[first[2:]] = text
    return files


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    root = tmp_path_factory.mktemp("exemples")
    (root / "essaimage.yaml").write_text("essaimage: 1\n", encoding="utf-8")
    for name, text in _files_of_the_page().items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    shutil.copy(EXAMPLES / "innovations" / "pedibus.yaml", root / "innovations" / "pedibus.yaml")
    shutil.copytree(EXAMPLES / "innovations" / "ressources", root / "innovations" / "ressources")
    return root


def kit(repo, descriptor, profile):
    checked = check_file(repo / "innovations" / descriptor)
    assert checked.ok, checked.findings
    assert check_file(repo / "territoires" / profile).ok
    target = resolve_target(str(repo / "territoires" / profile), [])
    return prepare(checked.model, checked, target)


def test_the_page_holds_the_files_of_its_examples():
    assert set(_files_of_the_page()) == {
        "innovations/conseiller-numerique.yaml",
        "territoires/bourg.yaml",
        "territoires/pays-de-test.yaml",
    }


def test_a_digital_adviser_prepared_scheduled_capped_with_a_room_already_there(repo):
    made = kit(repo, "conseiller-numerique.yaml", "bourg.yaml")
    budget, extra, plan = made.budget, made.supplementaire, made.financement
    assert [a.periode for a in budget.annees] == ["2027 (à partir d'octobre)", "2028", "2029"]
    assert made.budget.lancement is not None and made.budget.lancement.isoformat() == "2028-01-01"
    # 2027: 3 months of the adviser (36 000 × 3 ÷ 12) and the computers bought in December
    first = budget.annees[0]
    assert (first.investissement, first.fonctionnement, budget.cout_preparation) == (
        3_000, 9_000, 9_000
    )  # fmt: skip
    assert [a.total for a in budget.annees] == [12_000, 40_800, 40_800]
    assert budget.total_3_ans == 93_600
    # the room is already there: 4 800 € a year shown, not counted
    assert made.en_place == ["Local d'accueil"]
    assert extra is not None and [a.total for a in extra.annees] == [12_000, 36_000, 36_000]
    assert extra.total_3_ans == 84_000
    assert plan is not None and plan.sur_cout_supplementaire
    by_funder = {v.financement.financeur: v.par_annee for v in plan.versements}
    assert by_funder["État"] == [0, 17_500, 12_500]
    assert by_funder["Région"] == [0, 7_200, 7_200]  # min(10 000, 20 % × 36 000)
    assert by_funder["Département"] == [2_400, 0, 0]  # 85 % × 3 000 cut to 80 %
    assert by_funder["Commune de Bourg-Exemple"] == [450, 0, 0]
    assert [f.code for f in made.avertissements] == ["T106"]
    assert plan.reste_a_charge == [9_600, 11_300, 16_300]
    assert plan.apport == [450, 0, 0]
    assert plan.reste_a_trouver == [9_150, 11_300, 16_300]
    page = lisible(render_all(made, ["md"])["md"])
    assert (
        "| Coût | coût supplémentaire de 12 000 € la première année (2027, à partir d'octobre), "
        "dont 3 000 € d'investissement et 9 000 € de préparation ; 84 000 € sur 3 ans (2027 à "
        "2029) ; coût complet de 12 000 € la première année et 93 600 € sur 3 ans, avec ce qui "
        "est déjà en place (Local d'accueil) |"
    ) in page
    assert (
        "| Reste à charge | 9 600 € la première année, 37 200 € sur 3 ans (plan de financement du "
        "profil) ; l'apport prévu du repreneur en couvre 450 € sur 3 ans, il reste 36 750 € à "
        "trouver |"
    ) in page
    assert "3 mois de préparation, d'octobre à décembre 2027" in page


def test_a_choice_that_differs_between_sites(repo):
    made = kit(repo, "pedibus.yaml", "pays-de-test.yaml")
    assert made.taille.sites == 6 and made.taille.beneficiaires == 240
    lines = {p.ligne.libelle: p for p in made.budget.personnes}
    paid = lines["Coordination du réseau de lignes"]
    assert paid.ligne.quantite == pytest.approx(0.16) and paid.cout_annuel == pytest.approx(6_720)
    assert paid.ligne.calcul.endswith("(pour 4 des 6 sites)")
    volunteer = lines["Coordination bénévole par l'association de parents"]
    assert volunteer.ligne.quantite == pytest.approx(0.08)
    assert volunteer.ligne.calcul.endswith("(pour 2 des 6 sites)")
    signage = next(f for f in made.moyens.financiers if f.libelle.startswith("Signalétique"))
    assert signage.quantite == 9_000


def test_the_sites_of_a_choice_must_be_the_project_s(repo, tmp_path):
    text = (repo / "territoires" / "pays-de-test.yaml").read_text(encoding="utf-8")
    path = tmp_path / "pays-de-test.yaml"
    path.write_text(
        text.replace("    debut: 2027-09-01\n", "    debut: 2027-09-01\n    sites: 5\n")
    )
    [finding] = check_file(path).findings
    assert finding.code == "C214" and finding.line == 9  # at « animation: »
    assert lisible(finding.message) == (
        "les options choisies pour « animation » comptent 6 sites, mais le projet prévoit 5 sites"
    )
