"""The command line, as users run it: through Typer's CliRunner, and as a process for usage errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from types import SimpleNamespace

import pytest

from conftest import EXAMPLES, FIXTURES
from essaimage.cli import app
from helpers import runner

LINE = re.compile(
    r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<level>erreur|avertissement|info)\[(?P<code>[A-Z]\d{3})\] .+$"
)


def run(*args, cwd=None):
    return runner.invoke(app, list(args), catch_exceptions=False)


def essaimage(*args):
    """The command line in-process, with the real program's exit codes and streams: errors go
    through the same boundary (`Groupe.main`), and an exception that escaped it would fail the
    test rather than pass as an exit code."""
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return SimpleNamespace(returncode=result.exit_code, stdout=result.stdout, stderr=result.stderr)


def program(*args):
    """The real program, as a process: the entry point and `python -m essaimage`."""
    return subprocess.run(
        [sys.executable, "-m", "essaimage", *args], capture_output=True, text=True
    )


def test_validate_examples_is_clean():
    result = run("validate", str(EXAMPLES))
    assert result.exit_code == 0
    # 5 innovations, 3 profiles, 1 plan, 5 retours and essaimage.yaml
    assert "15 fichiers vérifiés : 0 erreur" in result.stdout.strip().splitlines()[-1]
    assert "indice de déployabilité 9/10" in result.stdout


def test_validate_reports_every_file_sorted_in_one_run(monkeypatch):
    monkeypatch.chdir(FIXTURES.parent)
    result = run("validate", "fixtures/invalides", "--sans-contexte")
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    findings = [LINE.match(line) for line in lines[:-1]]
    assert all(findings), [line for line, m in zip(lines, findings, strict=False) if not m]
    keys = [(m["path"], int(m["line"])) for m in findings]
    assert keys == sorted(keys)
    assert len({m["path"] for m in findings}) >= 25
    assert all(m["path"].startswith("fixtures/invalides/") for m in findings)
    assert re.match(r"\d+ fichiers vérifiés : \d+ erreurs, 0 avertissement\.$", lines[-1])


def test_validate_with_context_shows_the_line_and_a_caret(monkeypatch):
    monkeypatch.chdir(FIXTURES / "invalides")
    result = run("validate", "montant-negatif.yaml", "--contexte")
    assert result.stdout.splitlines()[:3] == [
        "montant-negatif.yaml:26:16: erreur[S106] « moyens.financiers[0].montant » ne peut pas être négatif (valeur écrite : -300)",
        "    26 |       montant: -300",
        "       |                ^",
    ]


def test_validate_accepts_globs(monkeypatch):
    monkeypatch.chdir(EXAMPLES)
    result = run("validate", "innovations/*.yaml")
    assert result.exit_code == 0
    assert "5 fichiers vérifiés" in result.stdout  # the five example innovations


def test_validate_missing_path_is_a_usage_error():
    result = essaimage("validate", "nulle-part.yaml")
    assert result.returncode == 2
    assert "« nulle-part.yaml » n'existe pas" in result.stderr


def test_unknown_option_is_reported_in_french():
    result = program("validate", "--strictt")
    assert result.returncode == 2
    assert "option inconnue : --strictt" in result.stderr
    assert "Traceback" not in result.stderr


def test_kit_requires_a_territory():
    result = essaimage("kit", str(EXAMPLES / "innovations" / "pedibus.yaml"))
    assert result.returncode == 2
    assert "option obligatoire manquante : --territoire" in result.stderr


def test_help_is_in_french():
    result = program("kit", "--help")
    assert result.returncode == 0
    assert "Utilisation :" in result.stdout and "Territoire receveur" in result.stdout


def test_install_hints_name_packages_that_exist_and_survive_the_help_s_markup():
    """Issue 24: `kit --help` printed « pip install 'essaimage' » (Rich took `[pdf]` for markup),
    and every hint named an extra of a package that is not on PyPI (anyone could publish one)."""
    from essaimage.render import office, pdf

    shown = " ".join(program("kit", "--help").stdout.replace("│", " ").split())
    assert "pip install weasyprint" in shown and "pip install pypandoc-binary" in shown
    for text in (shown, pdf.INSTALL_HINT, office.INSTALL_HINT):
        assert "essaimage[" not in text and "pip install 'essaimage" not in text


def test_help_paragraphs_flow_as_one_text():
    """Typer 0.29 kept the docstring's line breaks after the first paragraph: the help came out
    ragged (« avec --strict),» alone on its line). Each paragraph now flows."""
    result = program("validate", "--help")
    prose = " ".join(result.stdout.split())
    assert "message ». Code de sortie : 0 sans erreur" in prose
    lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
    short = [line for line in lines[:8] if len(line) < 30 and not line.endswith(".")]
    assert short == [], result.stdout


def test_kit_for_profile_code_and_name(tmp_path):
    result = run(
        "kit",
        str(EXAMPLES / "innovations" / "pedibus.yaml"),
        "-t", "saint-brieuc", "-t", "44109", "-t", "saint etienne",
        "-o", str(tmp_path),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "pedibus").iterdir() if p.is_file())
    assert (tmp_path / "pedibus" / "ressources" / "charte-ligne-pedibus.md").is_file()
    assert names == [
        "nantes-44109.html", "nantes-44109.md",
        "saint-brieuc.html", "saint-brieuc.md",
        "saint-etienne-42218.html", "saint-etienne-42218.md",
    ]  # fmt: skip
    nantes = (tmp_path / "pedibus" / "nantes-44109.md").read_text(encoding="utf-8")
    assert "Nantes (44109, Loire-Atlantique)" in nantes
    # no profile: the descriptor's dimensionnement gives the beneficiaries (v1.2 correction 1)
    assert (
        "d’après le dimensionnement de l’innovation, 1\u00a0site × 40\u00a0bénéficiaires par site"
        in nantes
    )


def test_kit_format_md_only(tmp_path):
    result = run(
        "kit",
        str(EXAMPLES / "innovations" / "repair-cafe.yaml"),
        "-t",
        "35",
        "-o",
        str(tmp_path),
        "-f",
        "md",
    )
    assert result.exit_code == 0
    assert [p.name for p in (tmp_path / "repair-cafe").iterdir()] == ["ille-et-vilaine-35.md"]


def test_kit_unknown_format_is_a_usage_error(tmp_path):
    result = essaimage(
        "kit",
        str(EXAMPLES / "innovations" / "pedibus.yaml"),
        "-t",
        "35",
        "-f",
        "odf",
        "-o",
        str(tmp_path),
    )
    assert result.returncode == 2
    assert "format « odf » inconnu" in result.stderr


def test_ambiguous_territory_lists_candidates(tmp_path):
    result = essaimage(
        "kit",
        str(EXAMPLES / "innovations" / "pedibus.yaml"),
        "-t",
        "Sainte-Colombe",
        "-o",
        str(tmp_path),
    )
    assert result.returncode == 2
    assert "« Sainte-Colombe » désigne plusieurs territoires" in result.stderr
    assert "    - Sainte-Colombe (35262, Ille-et-Vilaine)" in result.stderr
    assert not (tmp_path / "pedibus").exists()


def test_unknown_territory_suggests_names(tmp_path):
    result = essaimage(
        "kit",
        str(EXAMPLES / "innovations" / "pedibus.yaml"),
        "-t",
        "Sant-Brieuc",
        "-o",
        str(tmp_path),
    )
    assert result.returncode == 2
    assert "aucun territoire officiel ne s'appelle « Sant-Brieuc »" in result.stderr
    assert "Saint-Brieuc (22278, Côtes-d'Armor)" in result.stderr


def test_descriptor_with_errors_produces_no_kit(tmp_path, monkeypatch):
    monkeypatch.chdir(FIXTURES / "invalides")
    result = run(
        "kit", "plusieurs-erreurs.yaml", "-t", "44", "-o", str(tmp_path), "--sans-contexte"
    )
    assert result.exit_code == 1
    assert "Aucun kit produit" in result.output
    assert "plusieurs-erreurs.yaml:28:12: erreur[S106]" in result.output
    assert list(tmp_path.iterdir()) == []


def test_profile_passed_as_descriptor_is_a_usage_error(tmp_path):
    result = run(
        "kit", str(EXAMPLES / "territoires" / "saint-brieuc.yaml"), "-t", "44", "-o", str(tmp_path)
    )
    assert result.exit_code == 2


@pytest.mark.parametrize(
    "content", [b"\xff\xfe\x00", b"a: [", b"- - -", b"essaimage: 1\ncoeur: {", b"!!binary x"]
)
def test_no_input_makes_a_traceback(tmp_path, content):
    path = tmp_path / "casse.yaml"
    path.write_bytes(content)
    for args in (
        ["validate", str(path)],
        ["kit", str(path), "-t", "44", "-o", str(tmp_path / "k")],
    ):
        result = essaimage(*args)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stdout + result.stderr


def test_the_real_program_reports_broken_input_without_traceback(tmp_path):
    path = tmp_path / "casse.yaml"
    path.write_bytes(b"essaimage: 1\ncoeur: {")
    result = program("validate", str(path))
    assert result.returncode == 1
    assert "erreur[Y005]" in result.stdout and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (["valide"], "commande inconnue : « valide » ; vouliez-vous dire « validate » ?"),
        (["kit", "-t"], "l'option -t attend une valeur\n  Aide : essaimage kit --aide"),
        (["regles", "D101", "D102"], "argument en trop : « D102 »"),
        (["kit"], "option obligatoire manquante : --territoire"),
        (["plan"], "argument obligatoire manquant : PLAN"),
        (
            ["validate", "--formt", "json"],
            "option inconnue : --formt ; vouliez-vous dire --format ?",
        ),
        (["territoires", "--limite", "abc"], "valeur refusée pour --limite : un nombre entier"),
    ],
)
def test_usage_errors_are_said_in_french(arguments, said):
    result = runner.invoke(app, arguments)
    assert result.exit_code == 2
    assert said in result.stderr
    # nothing of the library's English wording, nor Python's quotes
    for english in ("Did you mean", "requires", "unexpected", "Missing", "Input should", "'"):
        assert english not in result.stderr.replace("l'option", ""), english


@pytest.mark.parametrize(
    "command", ["validate", "kit", "plan", "territoires", "regles", "site", "init", "schema", None]
)
def test_help_shows_no_python_types_and_one_order_of_help_options(command):
    result = runner.invoke(
        app, [command, "--aide"] if command else ["--aide"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0
    assert "--aide,--help" in result.stdout and "--help,--aide" not in result.stdout
    for python_type in ("<str>", "<list[str]>", "<bool>", "<path>", "<int>"):
        assert python_type not in result.stdout


def test_a_folder_that_cannot_be_written_is_a_usage_error(tmp_path):
    blocker = tmp_path / "fichier"
    blocker.write_text("je ne suis pas un dossier", encoding="utf-8")
    result = essaimage(
        "kit", str(EXAMPLES / "innovations" / "pedibus.yaml"), "-t", "35", "-o", str(blocker)
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"essaimage : erreur : écriture impossible dans « {blocker} »")


def test_a_profile_with_errors_makes_no_kit_and_shows_its_findings(tmp_path):
    profile = tmp_path / "bourg.yaml"
    profile.write_text("essaimage: 1\nterritoire:\n  nom: Bourg\n  population: -4\n", "utf-8")
    result = essaimage(
        "kit", str(EXAMPLES / "innovations" / "pedibus.yaml"), "-t", str(profile),
        "-o", str(tmp_path / "k"), "--sans-contexte",
    )  # fmt: skip
    assert result.returncode == 1
    assert "bourg.yaml:4:15: erreur[S106]" in result.stdout
    assert "Aucun kit produit" in result.stderr and not (tmp_path / "k").exists()


def test_an_unexpected_exception_is_said_in_french(monkeypatch, tmp_path):
    from essaimage.commands import kits as production

    def broken(*args, **kwargs):
        raise RuntimeError("panne simulée")

    monkeypatch.setattr(production, "make_kits", broken)
    result = essaimage("kit", "-t", "35", "-o", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.startswith("essaimage : erreur interne (RuntimeError : panne simulée).")


@pytest.mark.skipif(os.name != "posix", reason="fermer la sortie standard d'un processus fils")
def test_a_closed_standard_output_is_no_internal_error(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "essaimage", "validate", str(EXAMPLES / "innovations")],
        stderr=subprocess.PIPE,
        text=True,
        close_fds=True,
        preexec_fn=lambda: os.close(1),
    )
    assert result.returncode == 0, result.stderr
    assert "erreur interne" not in result.stderr


def test_a_refused_kit_says_so_without_contradiction(tmp_path):
    source = (EXAMPLES / "innovations" / "repair-cafe.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "repair-cafe.yaml"
    broken.write_text(source.replace("\nnom:", "\nnom_: ", 1), encoding="utf-8")
    result = runner.invoke(app, ["kit", str(broken), "-t", "22278", "-o", str(tmp_path / "k")])
    assert result.exit_code == 1
    assert result.stdout.rstrip().endswith("\nAucun kit produit : 1 erreur.")
    assert "0 kit" not in result.stdout and "repris dans les kits" not in result.stdout


def test_messages_and_hints_read_as_one_french_sentence():
    """No stacked colons (« X : Y : Z »), no capital after a colon in a message (issue 11)."""
    files = sorted(str(p) for p in FIXTURES.rglob("*.yaml"))
    result = runner.invoke(app, ["validate", "--format", "json", *files])
    findings = json.loads(result.stdout)["constats"]
    assert len(findings) > 100
    stacked = re.compile(r":[^.;!?()—]* :")
    capital = re.compile(r" : [A-ZÉÀ][a-zéèà]")
    for finding in findings:
        message, hint = finding["message"], finding["conseil"] or ""
        assert not stacked.search(message) and not capital.search(message), message
        assert not stacked.search(hint), hint
