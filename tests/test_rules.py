"""Deployability rules: each fires on its fixture and stays silent on a close one; severities are
configurable; the readiness score; the `regles` command and its generated reference page."""

from __future__ import annotations

import re
import textwrap

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES, FIXTURES, ROOT
from essaimage.check import repository
from essaimage.check.catalogue import reference_markdown, rules
from essaimage.check.pipeline import check_file
from essaimage.check.rules import CRITERES
from essaimage.cli import app
from essaimage.kit.prepare import prepare
from essaimage.kit.target import resolve_target
from helpers import BASE, check_paths, lisible, runner
from rule_cases import CASES


@pytest.mark.parametrize("name", sorted(CASES))
def test_rule_case_fires_exactly_what_it_states(name, tmp_path):
    case = CASES[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(case.text(), encoding="utf-8")
    checked = check_file(path)
    got = sorted((f.code, f.line) for f in checked.findings)
    assert got == case.expected(), [f.message for f in checked.findings]


def test_every_descriptor_rule_has_a_firing_case():
    descriptor_codes = {c for c, r in rules().items() if r.moment == "descripteur"}
    firing = {case.attendu.split()[0] for case in CASES.values() if case.attendu != "aucune"}
    assert descriptor_codes == firing


def test_base_descriptor_scores_ten():
    checked = check_file(FIXTURES / "regles" / "base.yaml")
    assert (checked.readiness.score, checked.readiness.manquants) == (10, ())


def test_examples_score_and_missing_criteria():
    _, checked = check_paths([str(EXAMPLES / "innovations")])
    scores = {c.path.stem: (c.readiness.score, c.readiness.manquants) for c in checked}
    # the cantine, France Services and Territoires zéro chômeur now cite dated results of
    # nature « resultat » with their source; the Pédibus and the Repair Café count activity only
    assert scores == {
        "cantine-bio-regie-agricole": (10, ()),
        "france-services": (10, ()),
        "pedibus": (9, ("des résultats prouvés et sourcés",)),
        "repair-cafe": (9, ("des résultats prouvés et sourcés",)),
        "territoires-zero-chomeur": (10, ()),
    }


def test_score_counts_each_criterion_once(tmp_path):
    path = tmp_path / "d301.yaml"
    path.write_text(CASES["D301-declenche"].text(), encoding="utf-8")
    checked = check_file(path)
    assert checked.readiness.score == 9
    assert checked.readiness.manquants == ("des résultats prouvés et sourcés",)
    assert len(CRITERES) == 10


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_descriptor_can_silence_or_raise_a_rule(tmp_path):
    text = BASE.replace("    decideur: Le bureau de l'association\n", "").replace(
        "licence: CC-BY-SA-4.0\nmis_a_jour", "mis_a_jour"
    )
    path = write(tmp_path, "a.yaml", text + "regles:\n  D104: ignorer\n  D803: erreur\n")
    checked = check_file(path)
    assert [(f.code, f.severity.value) for f in checked.findings] == [("D803", "erreur")]
    assert checked.readiness.score == 9  # the score does not depend on the configuration


def test_repository_configuration_applies_and_the_descriptor_wins(tmp_path):
    write(tmp_path, "essaimage.yaml", "essaimage: 1\nregles:\n  D104: erreur\n  D803: ignorer\n")
    (tmp_path / ".git").mkdir()
    folder = tmp_path / "innovations"
    folder.mkdir()
    text = BASE.replace("    decideur: Le bureau de l'association\n", "").replace(
        "licence: CC-BY-SA-4.0\nmis_a_jour", "mis_a_jour"
    )
    path = write(folder, "a.yaml", text)
    assert [(f.code, f.severity.value) for f in check_file(path).findings] == [("D104", "erreur")]
    repository.clear_cache()
    path = write(folder, "a.yaml", text + "regles:\n  D104: info\n")
    assert [(f.code, f.severity.value) for f in check_file(path).findings] == [("D104", "info")]


def test_unknown_rule_code_is_an_error_at_its_line(tmp_path):
    path = write(tmp_path, "a.yaml", BASE + "regles:\n  D104: ignorer\n  D1O4: ignorer\n")
    findings = check_file(path).findings
    assert [(f.code, f.line) for f in findings] == [("S103", 82)]
    assert "vouliez-vous dire « D104 »" in findings[0].message


def test_invalid_repository_configuration_is_reported(tmp_path):
    write(tmp_path, "essaimage.yaml", "essaimage: 1\nregles:\n  D104: silence\n")
    (tmp_path / ".git").mkdir()
    write(tmp_path, "a.yaml", BASE)
    result, _ = check_paths([str(tmp_path / "a.yaml")])
    assert [(f.code, f.line) for f in result.findings] == [("S103", 3)]
    assert result.findings[0].file.endswith("essaimage.yaml")


def test_strict_makes_warnings_fail(tmp_path):
    path = write(
        tmp_path, "a.yaml", BASE.replace("licence: CC-BY-SA-4.0\nmis_a_jour", "mis_a_jour")
    )
    assert runner.invoke(app, ["validate", str(path)]).exit_code == 0
    assert runner.invoke(app, ["validate", "--strict", str(path)]).exit_code == 1


PROFILE = """\
essaimage: 1
territoire:
  nom: Petit-Bourg
  type: commune
  population: 1 200
projets:
  atelier-velo:
    beneficiaires: 30
    choix:
      horaires: le dimanche
"""


def kit_codes(tmp_path, descriptor_text, profile_text):
    descriptor = check_file(write(tmp_path, "d.yaml", descriptor_text))
    cible = resolve_target(str(write(tmp_path, "p.yaml", profile_text)), [])
    return sorted(f.code for f in prepare(descriptor.model, descriptor, cible).avertissements)


def test_kit_rules_fire_for_the_territory(tmp_path):
    descriptor = BASE + "prerequis:\n  - description: Une ville\n    population_min: 5 000\n"
    descriptor = descriptor.replace(
        "      etp: 0,5\n", "      etp: 0,5\n      par: 10 beneficiaires\n", 1
    )
    profile = PROFILE.replace("    beneficiaires: 30\n", "")
    assert kit_codes(tmp_path, descriptor, profile) == ["T101", "T102", "T103"]


def test_kit_rules_stay_silent_when_the_territory_fits(tmp_path):
    descriptor = BASE + "prerequis:\n  - description: Une ville\n    population_min: 1 000\n"
    descriptor = descriptor.replace(
        "      etp: 0,5\n", "      etp: 0,5\n      par: 10 beneficiaires\n", 1
    )
    profile = PROFILE.replace("le dimanche", "Samedis")  # an option, case aside
    assert kit_codes(tmp_path, descriptor, profile) == []


def test_kit_rules_can_be_silenced_by_the_descriptor(tmp_path):
    descriptor = (
        BASE
        + "prerequis:\n  - description: Une ville\n    population_min: 5 000\nregles:\n  T101: ignorer\n"
    )
    assert kit_codes(tmp_path, descriptor, PROFILE) == ["T102"]


def test_kit_shows_the_score_and_the_points_of_attention(tmp_path):
    result = runner.invoke(
        app,
        [
            "kit",
            str(EXAMPLES / "innovations" / "pedibus.yaml"),
            "-t",
            "01001",  # L'Abergement-Clémenciat, 860 inhabitants: below the Pédibus's 2 000
            "-o",
            str(tmp_path),
            "-f",
            "md",
        ],
    )
    assert result.exit_code == 0
    # no T103: the descriptor's dimensionnement gives 1 site × 40 beneficiaries
    assert "avertissement[T101]" in result.stdout and "avertissement[T103]" not in result.stdout
    assert "1 kit produit : 1 point d'attention (repris dans les kits)." in result.stdout
    kit = lisible(
        (tmp_path / "pedibus" / "l-abergement-clemenciat-01001.md").read_text(encoding="utf-8")
    )
    assert (
        "| Préparation de la fiche | 9 points sur 10, pour ce que la fiche documente en vue "
        "d'une reprise (pas pour la valeur de l'innovation). Il manque : des résultats prouvés "
        "et sourcés (les résultats ne mesurent que de l'activité, pas d'effet). |"
    ) in kit
    assert "### Points d'attention pour L'Abergement-Clémenciat" in kit
    assert "Verdict pour L'Abergement-Clémenciat" in kit
    # by hand: 1 500 € of signage, 0,04 ETP × 42 000 € of coordination for 12 months (the
    # preparation included), 6 € × 40 vests and 500 € of communication for 8 months
    # (1 500 + 1 680 + 240 × 8 ÷ 12 + 500 × 8 ÷ 12 = 3 673), then 1 680 + 240 + 500 = 2 420
    # in years 2 and 3 (3 673 + 2 × 2 420 = 8 513)
    assert (
        "| Reste à charge | 3 673 € la première année, 8 513 € sur 3 ans : aucun plan de "
        "financement proposé, tout reste à financer |"
    ) in kit
    # no rule code in reader text, only in the closing note for the descriptor's team
    reader, _, team = kit.partition("### Pour l'équipe qui tient le descripteur")
    assert "T101" not in reader and "viennent de la règle T101 :" in team


def test_a_choice_of_several_allowed_options_is_no_t102(tmp_path):
    """« recyclerie et mobilité solidaire » names two options of the marge (issue 9)."""
    result = runner.invoke(
        app,
        [
            "kit",
            str(EXAMPLES / "innovations" / "territoires-zero-chomeur.yaml"),
            "-t",
            "redon-agglomeration",
            "-o",
            str(tmp_path),
            "-f",
            "md",
        ],
    )
    assert result.exit_code == 0
    assert "T102" not in result.stdout and "1 kit produit." in result.stdout


def test_regles_lists_the_catalogue():
    result = CliRunner().invoke(app, ["regles"])
    assert result.exit_code == 0
    for code, rule in rules().items():
        assert re.search(
            rf"^{code}\s+{rule.niveau.value}\s+\w+\s+{re.escape(rule.titre)}$",
            result.stdout,
            re.M,
        )


def test_regles_explains_one_rule():
    result = CliRunner().invoke(app, ["regles", "d106"])
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith(
        "D106 — le mode dégradé renonce à un élément du cœur\nNiveau par défaut : erreur"
    )
    for heading in ("Pourquoi", "Sources", "Comment corriger", "Exemple"):
        assert f"\n{heading}\n" in out


def test_the_example_of_a_rule_keeps_its_yaml_lines():
    """It was wrapped as prose: « projets:   pedibus:     sites: 10 » on one line."""
    out = CliRunner().invoke(app, ["regles", "T104"]).stdout
    assert "\nExemple\n    projets:\n      pedibus:\n        sites: 10\n" in out


def test_regles_unknown_code_is_a_usage_error():
    assert CliRunner().invoke(app, ["regles", "D999"]).exit_code == 2


def test_reference_page_is_generated_from_the_definitions():
    page = (ROOT / "docs" / "regles.md").read_text(encoding="utf-8")
    assert page == reference_markdown(), (
        "docs/regles.md a dérivé : essaimage regles --markdown > docs/regles.md"
    )


def test_every_registered_code_is_emitted_somewhere():
    """Issue 23: C206 was registered, documented and never emitted."""
    from pathlib import Path

    from essaimage.check.codes import REGISTRY

    source = Path(__file__).parent.parent / "src" / "essaimage"
    texts = "\n".join(
        p.read_text(encoding="utf-8") for p in source.rglob("*.py") if p.name != "codes.py"
    )
    silent = [code for code in REGISTRY if f'"{code}"' not in texts]
    assert silent == []


NAMES = {  # a masculine, a feminine, a plural and an elided name, as the reference gives them
    "masculin": ("Cantal", 2, "departement"),
    "feminin": ("Bretagne", 3, "region"),
    "pluriel": ("Côtes-d'Armor", 4, "departement"),
    "elide": ("Ain", 5, "departement"),
}
SAID = {
    "masculin": ("Le Cantal est un département", "Le Cantal ne remplit pas",
                 "Le Cantal ne prévoit aucun"),
    "feminin": ("La Bretagne est une région", "La Bretagne ne remplit pas",
                "La Bretagne ne prévoit aucun"),
    "pluriel": ("Les Côtes-d'Armor sont un département", "Les Côtes-d'Armor ne remplissent pas",
                "Les Côtes-d'Armor ne prévoient aucun"),
    "elide": ("L'Ain est un département", "L'Ain ne remplit pas", "L'Ain ne prévoit aucun"),
}  # fmt: skip


@pytest.mark.parametrize("kind", sorted(NAMES))
def test_the_kit_rules_say_a_territory_with_its_article_and_agreement(kind):
    """Issue 24: « Bretagne est un région », « Les Côtes-d'Armor ne remplit pas »: each kit rule
    that names the territory, over a masculine, a feminine, a plural and an elided name."""
    from essaimage.check.rules import KitFacts, Unmet
    from essaimage.check.rules import rules as registered
    from essaimage.text.french import NomPropre

    nom, liaison, type_territoire = NAMES[kind]
    innovation = check_file(EXAMPLES / "innovations" / "cantine-bio-regie-agricole.yaml").model
    facts = KitFacts(
        innovation=innovation, projet=None, choix={}, nom=NomPropre(nom, liaison, False),
        type_territoire=type_territoire, profil=None, profil_document=None, profil_fichier=nom,
        non_remplis=(Unmet(0, "Une ville moyenne", ("trop petit",)),), habitants=500_000,
        sites=1, beneficiaires=None, financement_origine=None,
    )  # fmt: skip
    said = [hit.message for rule in registered("kit") for hit in rule.controle(facts)]
    profile = [m for m in said if "aucun profil ne donne" in m]  # T103 without a profile
    assert len(said) == 3 and len(profile) == 1, said
    large, unmet = (next(m for m in said if m.startswith(SAID[kind][i])) for i in (0, 1))
    assert large and unmet
    owner = "leur" if kind == "pluriel" else "sa"  # « pour toute leur population »
    assert f"pour toute {owner} population" in large
    profiled = KitFacts(**{**facts.__dict__, "profil": object()})  # type: ignore[arg-type]
    assert any(m.startswith(SAID[kind][2]) for r in registered("kit") for m in
               (h.message for h in r.controle(profiled)))  # fmt: skip
