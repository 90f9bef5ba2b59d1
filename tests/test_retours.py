"""Take-over reports (« retour: », format v1.2): the format, and each check at its line, in
`validate` on a repository and in the pre-commit hook's run on the report alone."""

from __future__ import annotations

import shutil

import pytest

from conftest import FIXTURES
from essaimage.check.catalogue import codes
from essaimage.check.pipeline import check_file
from essaimage.findings import Severity
from essaimage.format import models
from helpers import check_paths, invoke, lisible

VALIDES = FIXTURES / "valides"
REPORT = (VALIDES / "retour-complet.yaml").read_text(encoding="utf-8")


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A repository with the hand-written descriptor, profile, plan and report."""
    (tmp_path / "essaimage.yaml").write_text("essaimage: 1\n", encoding="utf-8")
    for folder, name in (
        ("innovations", "complet.yaml"),
        ("territoires", "profil-complet.yaml"),
        ("plans", "plan-complet.yaml"),
        ("retours", "retour-complet.yaml"),
    ):
        (tmp_path / folder).mkdir()
        shutil.copy(VALIDES / name, tmp_path / folder / name)
    shutil.copytree(VALIDES / "docs", tmp_path / "innovations" / "docs")
    shutil.copy(VALIDES / "profil-complet.yaml", tmp_path / "plans")  # the plan names it there
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _findings(repo, text, only_report=False):
    (repo / "retours" / "retour-complet.yaml").write_text(text, encoding="utf-8")
    result, _ = check_paths(["retours"] if only_report else ["."])
    return [f for f in result.findings if f.file.endswith("retour-complet.yaml")]


def _line_of(text, needle):
    """The line where `needle` (which may hold line breaks) starts."""
    return text[: text.index(needle)].count("\n") + 1


def test_a_report_file_is_read_as_a_report():
    checked = check_file(VALIDES / "retour-complet.yaml")
    assert isinstance(checked.model, models.FichierRetour)
    assert checked.model.retour.statut == "en-fonctionnement"
    assert models.model_for({"essaimage": 1, "retour": {}}) is models.FichierRetour
    assert models.model_for({"id": "x", "coeur": [], "retour": 1}) is models.Innovation


def test_the_hand_written_report_validates_with_only_its_remarks(repo):
    found = sorted((f.code, f.line, f.severity) for f in _findings(repo, REPORT))
    assert found == [
        ("C219", _line_of(REPORT, "respecte: en-partie"), Severity.AVERTISSEMENT),
        ("C219", _line_of(REPORT, "    - coeur: insertion\n      nature"), Severity.AVERTISSEMENT),
        ("R112", _line_of(REPORT, "choix: repassage"), Severity.INFO),
    ]
    assert invoke("validate").exit_code == 0


CASES = [
    # (what is changed, into what, expected code, severity, the line's text)
    ("innovation: conciergerie-solidaire", "innovation: conciergerie-solidair", "R108",
     "innovation: conciergerie-solidair"),
    ("    - coeur: insertion\n      respecte", "    - coeur: insertions\n      respecte", "R109",
     "- coeur: insertions"),
    ("    - marge: services\n      choix: courses", "    - marge: service\n      choix: courses",
     "R110", "- marge: service"),
    ("    - description: Un quartier dense", "    - description: Un quartier peu dense", "R111",
     "Un quartier peu dense"),
    ("  debut: 2027-09-01", "  debut: 2027-12-01", "C215", "lancement: 2027-11-06"),
    ("  date: 2028-06-30", "  date: 2027-10-30", "C215", "date: 2027-10-30"),
    ("  statut: en-fonctionnement", "  statut: arrete", "C216", "statut: arrete"),
    ("  plan: conciergeries-de-l-ain", "  plan: conciergeries-de-lain", "R115",
     "plan: conciergeries-de-lain"),
    ('    code_insee: "01053"', '    code_insee: "01004"', "R114", "plan: conciergeries"),
    ('    code_insee: "01053"', '    code_insee: "01999"', "C207", 'code_insee: "01999"'),
    ("    courriel: conciergerie@exemple.org", "    courriel: j.martin@gmail.com", "C217",
     "j.martin@gmail.com"),
    ("    role: Coordination du projet", "    role: Coordination du projet\n    nom: Jeanne Martin",
     "C217", "nom: Jeanne Martin"),
    ("  conseils: Commencer par deux services, pas plus.",
     "  conseils: Appelez-moi au 06 12 34 56 78.", "C217", "conseils: Appelez-moi"),
    ("  conseils: Commencer par deux services, pas plus.",
     "  conseils: Écrivez à jeanne.martin@exemple.org.", "C217", "conseils: Écrivez"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "code", "where"), CASES, ids=[f"{c[2]}-{i}" for i, c in enumerate(CASES)]
)
def test_each_mistake_is_said_at_its_line(repo, old, new, code, where):
    assert old in REPORT
    text = REPORT.replace(old, new, 1)
    found = [f for f in _findings(repo, text) if f.code == code]
    assert [f.line for f in found] == [_line_of(text, where)], found
    assert found[0].severity is codes()[code].niveau  # the level is the registry's
    assert not found[0].message[0].isupper() and code not in found[0].message


@pytest.mark.parametrize("code", ["R108", "R109", "R110", "R111", "R115"])
def test_the_hook_on_the_report_alone_reads_what_it_names(repo, code):
    """A pre-commit hook checks the report alone: the innovation and the plan it names are read
    from the repository, and the same errors come out."""
    old, new, _, where = next(case for case in CASES if case[2] == code)
    text = REPORT.replace(old, new, 1)
    found = [f for f in _findings(repo, text, only_report=True) if f.code == code]
    assert [f.line for f in found] == [_line_of(text, where)]
    assert "vouliez-vous dire" in found[0].message


def test_a_stopped_take_over_with_its_reason_is_fine(repo):
    text = REPORT.replace(
        "  statut: en-fonctionnement", "  statut: suspendu\n  raison_arret: Le local a fermé."
    )
    assert not [f for f in _findings(repo, text) if f.code == "C216"]


def test_a_report_names_its_territory_by_one_key_exactly(repo):
    text = REPORT.replace("  porteur:\n", "  profil: territoires/profil-complet.yaml\n  porteur:\n")
    found = _findings(repo, text)
    assert [(f.code, f.line) for f in found if f.severity is Severity.ERREUR] == [
        ("S113", _line_of(text, "retour:"))
    ] or [f.code for f in found if f.severity is Severity.ERREUR] == ["S113"]
    assert "l'un des deux exactement" in next(f.message for f in found if f.code == "S113")


def test_a_report_by_profile(repo):
    lines = REPORT.split("  porteur:\n")
    head = lines[0].split("  territoire:\n")[0]
    text = head + "  profil: territoires/profil-complet.yaml\n  porteur:\n" + lines[1]
    assert not [f for f in _findings(repo, text) if f.severity is Severity.ERREUR]
    missing = text.replace("territoires/profil-complet.yaml", "territoires/absent.yaml")
    assert [f.code for f in _findings(repo, missing) if f.severity is Severity.ERREUR] == ["C218"]
    by_name = text.replace("territoires/profil-complet.yaml", "profil-complte")
    found = [f for f in _findings(repo, by_name) if f.code == "R116"]
    assert found and "profil-complet" in found[0].message
    outside = text.replace("territoires/profil-complet.yaml", "../../etc/passwd.yaml")
    assert [f.code for f in _findings(repo, outside) if f.severity is Severity.ERREUR] == ["C218"]


def test_a_plan_by_selection_targets_the_communes_it_selects(repo):
    """The plan selects the 5 least populated communes of the Ain between 5 000 and 20 000
    inhabitants (01053 aside): Ornex (01281, 5 082) is one of them, Cessy (01071, 5 832, the
    sixth) and Oyonnax (01283, about 22 000) are not."""
    inside = REPORT.replace('code_insee: "01053"', 'code_insee: "01281"').replace(
        "nom: Bourg-en-Bresse", "nom: Ornex"
    )
    assert not [f for f in _findings(repo, inside) if f.code == "R114"]
    outside = REPORT.replace('code_insee: "01053"', 'code_insee: "01283"').replace(
        "nom: Bourg-en-Bresse", "nom: Oyonnax"
    )
    found = [f for f in _findings(repo, outside) if f.code == "R114"]
    assert found and "Oyonnax" in found[0].message
    sixth = REPORT.replace('code_insee: "01053"', 'code_insee: "01071"')
    assert [f.code for f in _findings(repo, sixth) if f.code == "R114"] == ["R114"]


def test_reports_appear_in_the_repository_files(repo):
    from essaimage.check.repository import repository_at, repository_files

    files = repository_files(repository_at(repo))
    assert repo / "retours" / "retour-complet.yaml" in files


def test_init_retour_writes_a_skeleton_from_the_innovation(examples_repo):
    """`init retour` lists the innovation's cœur elements, marges with their options and
    prerequisites; the skeleton validates, and once its adaptations are uncommented too."""
    from essaimage.check.pipeline import check_file as check

    result = invoke("init", "retour", "retours/lannion.yaml", "--innovation", "pedibus")
    assert result.exit_code == 0, result.output
    path = examples_repo / "retours" / "lannion.yaml"
    text = path.read_text(encoding="utf-8")
    descriptor = check(examples_repo / "innovations" / "pedibus.yaml").innovation
    for element in descriptor.coeur:
        assert f"- coeur: {element.id}" in text
    for marge in descriptor.marges:
        assert f"# - marge: {marge.id}" in text
        for name in marge.option_names():
            assert name in text
    for prerequisite in descriptor.prerequis:
        assert prerequisite.description in text
    skeleton = invoke("validate", "retours/lannion.yaml", "--sans-contexte")
    assert skeleton.exit_code == 0 and skeleton.stdout.count("[C220]") == 2  # to replace
    uncommented = text.replace("  adaptations: []\n  # - marge", "  adaptations:\n    - marge")
    first = uncommented.split("    - marge")[1].split("  # - marge")[0]
    block = "    - marge" + first.replace("  #   ", "      ").replace('choix: "…"', 'choix: "x"')
    rest = uncommented.split("  # - marge")[-1].split("\n\n", 1)[1]
    path.write_text(uncommented.split("    - marge")[0] + block + "\n" + rest, encoding="utf-8")
    checked = invoke("validate", "retours/lannion.yaml", "--sans-contexte")
    assert checked.exit_code == 0, checked.output
    assert "R112" in checked.output  # « x » is no option of the marge: an info


def test_init_retour_refuses_an_unknown_or_unnamed_innovation(examples_repo):
    unknown = invoke("init", "retour", "r.yaml", "--innovation", "pedibu")
    assert unknown.exit_code == 2 and "vouliez-vous dire « pedibus »" in unknown.output
    unnamed = invoke("init", "retour", "r.yaml")
    assert unnamed.exit_code == 2 and "--innovation" in unnamed.output
    assert not (examples_repo / "r.yaml").exists()
    misplaced = invoke("init", "plan", "p.yaml", "--innovation", "pedibus")
    assert misplaced.exit_code == 2


# --- rules that learn (issue 26 point 4) -----------------------------------------------------

SECOND = (
    REPORT.replace("nom: Bourg-en-Bresse", "nom: Ornex")
    .replace('code_insee: "01053"', 'code_insee: "01281"')
    .replace("population: 41 000", "population: 5 082")
)
STAFF = """  moyens_reels:
    humains:
      - role: Encadrant technique
        etp: {etp}
        par: 12 bénéficiaires
"""


def _descriptor_findings(repo, reports):
    for i, text in enumerate(reports):
        (repo / "retours" / f"r{i}.yaml").write_text(text, encoding="utf-8")
    (repo / "retours" / "retour-complet.yaml").unlink(missing_ok=True)
    result, _ = check_paths(["innovations/complet.yaml"])  # the hook on the descriptor alone
    return [f for f in result.findings if f.code in ("D905", "D906", "D907", "D908")]


def _with_staff(text, etp):
    return text.replace("  moyens_reels:\n    humains:\n", STAFF.format(etp=etp), 1).replace(
        "      - role: Coordination\n        etp: 0,3\n        statut: salarie\n", ""
    )


def test_a_choice_outside_the_options_in_two_reports_is_an_option_to_add(repo):
    descriptor = (repo / "innovations" / "complet.yaml").read_text(encoding="utf-8")
    one = _descriptor_findings(repo, [REPORT])
    assert [f.code for f in one] == []  # one take-over is an anecdote
    two = [f for f in _descriptor_findings(repo, [REPORT, SECOND]) if f.code == "D905"]
    assert [(f.code, f.line, f.severity) for f in two] == [
        ("D905", _line_of(descriptor, "    options:"), Severity.INFO)
    ]
    assert "« repassage »" in two[0].message and "Bourg-en-Bresse, Ornex" in two[0].message


def test_a_core_element_not_kept_where_results_hold_may_not_be_core(repo):
    descriptor = (repo / "innovations" / "complet.yaml").read_text(encoding="utf-8")
    text = REPORT.replace("respecte: en-partie", "respecte: non").replace(
        "      nature: activite\n", "      nature: resultat\n"
    )
    found = [f for f in _descriptor_findings(repo, [text]) if f.code == "D906"]
    assert [(f.line, f.severity) for f in found] == [
        (_line_of(descriptor, "  - id: insertion"), Severity.INFO)
    ]
    stopped = text.replace("statut: en-fonctionnement", "statut: arrete\n  raison_arret: x")
    assert not [f for f in _descriptor_findings(repo, [stopped]) if f.code == "D906"]


def test_planned_means_outside_the_real_ones_warn_at_the_descriptor_s_line(repo):
    descriptor = (repo / "innovations" / "complet.yaml").read_text(encoding="utf-8")
    low, high = _with_staff(REPORT, "1,5"), _with_staff(SECOND, "2")
    found = [f for f in _descriptor_findings(repo, [low, high]) if f.code == "D907"]
    # the utility van: 300 € a month planned, 4 800 € a year in both reports
    assert [(f.line, f.severity) for f in found] == [
        (_line_of(descriptor, "      etp: 1\n"), Severity.AVERTISSEMENT),
        (_line_of(descriptor, "      montant: 300\n"), Severity.AVERTISSEMENT),
    ]
    assert "de 1,5 à 2 ETP" in found[0].message
    assert "3 600 € par an" in lisible(found[1].message)
    assert "de 4 800 à 4 800 € par an" not in lisible(found[1].message)
    around = [_with_staff(REPORT, "0,8"), _with_staff(SECOND, "1,2")]
    codes = [f.path for f in _descriptor_findings(repo, around) if f.code == "D907"]
    assert codes == ["moyens.financiers[4].montant"]


def test_no_report_in_five_years(repo):
    old = (
        REPORT.replace("date: 2028-06-30", "date: 2019-06-30")
        .replace("debut: 2027-09-01", "debut: 2017-09-01")
        .replace("lancement: 2027-11-06", "lancement: 2017-11-06")
    )
    found = [f for f in _descriptor_findings(repo, [old]) if f.code == "D908"]
    assert len(found) == 1 and "30 juin 2019" in found[0].message
    assert not [f for f in _descriptor_findings(repo, [REPORT]) if f.code == "D908"]


def test_reports_stand_for_the_descriptor_s_missing_take_overs(examples_repo):
    """D902 (« aucune reprise précédente ») is not said of an innovation with reports."""
    result, _ = check_paths(["innovations/pedibus.yaml"])
    assert "D902" not in {f.code for f in result.findings}
    (examples_repo / "retours" / "pedibus-manosque.yaml").unlink()
    result, _ = check_paths(["innovations/pedibus.yaml"])
    assert "D902" in {f.code for f in result.findings}


def test_a_plan_that_misses_a_territory_given_by_its_code_names_it(repo):
    text = REPORT.replace("    nom: Bourg-en-Bresse\n", "").replace('"01053"', '"01004"')
    found = [f for f in _findings(repo, text) if f.code == "R114"]
    assert found and "« Ambérieu-en-Bugey »" in found[0].message
