"""Everything that validates computes, in bounded time and memory (issue 21): the bounds of plans,
profiles and descriptors said as findings at their line, plans computed in time linear in their
targets, and an internal error that never hides the other findings of a file."""

from __future__ import annotations

import datetime as dt
import gc
import shutil
import tempfile
import time
import tracemalloc
from pathlib import Path
from types import SimpleNamespace

import pytest

from essaimage.check import consistency, diagnostics, rules
from essaimage.check.pipeline import check_file, check_files
from essaimage.errors import InvalidPlanError
from essaimage.format import licences
from essaimage.format.models import Perimetre, Plan, Projet
from essaimage.kit.size import perimeter_communes
from essaimage.plan import compute as scaleup
from essaimage.territories.cog import reference
from essaimage.text.french import shift_months
from helpers import BASE, EXAMPLES, NO_LICENCE, build_file_tree, invoke, lisible


def plan_text(cibles: str, rest: str = "", debut: str = "2027-09-01") -> str:
    """A plan of the Pédibus example: `cibles` are its target lines, `rest` what follows them."""
    return (
        "essaimage: 1\nplan:\n  id: essai\n  nom: Plan d'essai\n  innovation: pedibus\n"
        f"  porteur: {{nom: Région}}\n  debut: {debut}\n  cibles:\n{cibles}{rest}"
    )


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A repository with the examples' innovations and profiles, the current folder."""
    build_file_tree(tmp_path, {"essaimage.yaml": "essaimage: 1\n", "plans/": None})
    shutil.copytree(EXAMPLES / "innovations", tmp_path / "innovations")
    shutil.copytree(EXAMPLES / "territoires", tmp_path / "territoires")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def where(findings) -> set[tuple[str, int]]:
    """(code, line) of each finding."""
    return {(f.code, f.line) for f in findings}


DEPARTEMENTS = [t.code for t in reference().all(("departement",))]


def _selections(count: int) -> str:
    lines = [
        f'    - selection: {{dans: "{code}", type: {kind}}}\n'
        for kind in ("commune", "epci")
        for code in DEPARTEMENTS
    ]
    return "".join(lines[:count])


# --- bounds a plan file shows ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "line", "said"),
    [
        pytest.param(  # 99 waves of 100 years from 2999: « year 12899 is out of range » before
            plan_text(
                '    - {code_insee: "22278", type: commune, sites: 100}\n',
                "  vagues: {sites_par_vague: 1, intervalle_mois: 1200}\n",
                debut="2999-09-01",
            ),
            "C212", 10, "les vagues du plan s'étendent sur plus de 100 ans : au moins 100 vagues",
            id="vagues-au-dela-de-100-ans",
        ),
        pytest.param(
            plan_text(
                '    - {code_insee: "22278", type: commune, sites: 3}\n',
                "  vagues: {sites_par_vague: 1, intervalle_mois: 99999999}\n",
            ),
            "S106", 10, "doit être inférieur ou égal à 1 200", id="intervalle",
        ),
        pytest.param(  # 2,37 Gio in 4 s before (the waves' numbers, one per site)
            plan_text(
                '    - {code_insee: "22278", type: commune, sites: 999999999999999}\n',
                "  vagues: {sites_par_vague: 1, intervalle_mois: 1}\n",
            ),
            "S106", 9, "doit être inférieur ou égal à 100 000", id="sites",
        ),
        pytest.param(
            plan_text('    - {nom: Bourg, debut: 2999-01-01}\n', debut="1000-01-01"),
            "C212", 9, "cette cible démarrerait 23 988 mois après le début du plan",
            id="debut-d-une-cible",
        ),
        pytest.param(
            plan_text(
                '    - {nom: Bourg}\n',
                "  accompagnement: {etp_par_site: 1, duree_mois: 99999, cout_etp_annuel: 1}\n",
            ),
            "S106", 10, "doit être inférieur ou égal à 1 200", id="accompagnement",
        ),
        pytest.param(
            plan_text(_selections(202)), "C213", 9 + 200,
            "le plan compte plus de 200 sélections", id="selections",
        ),
    ],
)  # fmt: skip
def test_a_plan_beyond_the_bounds_is_a_finding_at_its_line(repo, text, code, line, said):
    (repo / "plans" / "essai.yaml").write_text(text, encoding="utf-8")
    checked = check_file(repo / "plans" / "essai.yaml")
    assert (code, line) in where(checked.findings), checked.findings
    assert said in lisible(" ".join(f.message for f in checked.findings))
    assert "X900" not in {f.code for f in checked.findings}
    result = invoke("plan", "plans/essai.yaml", "-f", "csv", "--sans-contexte")
    assert result.exit_code == 1, result.output
    assert f"plans/essai.yaml:{line}:" in result.output and f"erreur[{code}]" in result.output
    assert "erreur interne" not in result.output


def test_waves_that_only_the_computing_knows_are_a_finding_at_their_line(repo):
    """4 025 communes of a selection, one a month: the file validates, its computing refuses it
    at `vagues` before any kit (it was computed over 335 years before)."""
    (repo / "plans" / "essai.yaml").write_text(
        plan_text(
            '    - selection: {dans: "region:84", type: commune}\n',
            "  vagues: {sites_par_vague: 1, intervalle_mois: 1}\n",
        ),
        encoding="utf-8",
    )
    assert check_file(repo / "plans" / "essai.yaml").ok
    start = time.perf_counter()
    result = invoke("plan", "plans/essai.yaml", "-f", "csv", "--sans-contexte")
    assert time.perf_counter() - start < 20  # about a second: no kit is computed
    assert result.exit_code == 1, result.output
    assert "plans/essai.yaml:10:3: erreur[C212]" in result.output
    assert "4 025 vagues" in lisible(result.output)
    assert not (repo / "plans-calcules").exists()


def test_too_many_targets_once_selected_are_a_finding_at_the_selection(repo, monkeypatch):
    monkeypatch.setattr(scaleup, "MAX_CIBLES", 5)  # 40 000 in the format: too long a test
    (repo / "plans" / "essai.yaml").write_text(
        plan_text('    - {nom: Bourg}\n    - selection: {dans: "22", type: commune, limite: 20}\n'),
        encoding="utf-8",
    )
    result = invoke("plan", "plans/essai.yaml", "-f", "csv", "--sans-contexte")
    assert result.exit_code == 1, result.output
    assert "plans/essai.yaml:10:7: erreur[C213]" in result.output


def test_the_site_says_a_plan_it_cannot_compute(repo):
    (repo / "plans" / "essai.yaml").write_text(
        plan_text(
            '    - selection: {dans: "region:84", type: commune}\n',
            "  vagues: {sites_par_vague: 1, intervalle_mois: 1}\n",
        ),
        encoding="utf-8",
    )
    result = invoke("site", "-o", "public")
    assert result.exit_code == 1, result.output
    assert "le plan « Plan d'essai » ne peut pas être calculé" in result.output
    assert "erreur interne" not in result.output


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (["--debut", "9999-12-01"], "--debut : « 9999-12-01 » a une année hors des bornes"),
        (["--intervalle", "99999"], "--intervalle : doit être inférieur ou égal à 1 200"),
        (["--sites-par-vague", "-1"], "--sites-par-vague : doit être supérieur à 0"),
        (["--limite", "0"], "--limite : doit être supérieur à 0"),
        (["--intervalle", "0"], "--intervalle : doit être supérieur à 0"),  # was 6, silently
        (["--sites-par-vague", "0"], "--sites-par-vague : doit être supérieur à 0"),
        (["--porteur", " "], "--porteur : ne doit pas être vide"),
        (  # 344 waves a hundred years apart: « year 36327 is out of range » before
            ["--sites-par-vague", "1", "--intervalle", "1200"],
            "les vagues du plan s'étendent sur plus de 100 ans : 344 vagues",
        ),
    ],
)
def test_the_quick_form_says_which_option_is_beyond_the_bounds(repo, options, said):
    result = invoke("plan", "pedibus", "--dans", "22", "--type", "commune", "-f", "csv", *options)
    assert result.exit_code == 2, result.output
    assert said in lisible(result.output)
    assert "erreur interne" not in result.output


# --- sites a descriptor computes: bounded memory ---------------------------------------------


@pytest.mark.parametrize("vagues", [True, False])
def test_millions_of_sites_from_the_descriptor_take_no_memory_per_site(repo, vagues):
    """One site per inhabitant of Bretagne (3,4 million): the waves' numbers were a set of one
    per site (hundreds of Mio) and their dates ran past 9999; now a finding, or one wave."""
    descriptor = repo / "innovations" / "pedibus.yaml"
    text = descriptor.read_text(encoding="utf-8")
    descriptor.write_text(
        text.replace(
            "  beneficiaires_par_site: 40\n  sites_max: 30\n", "  habitants_par_site: 1\n"
        ),
        encoding="utf-8",
    )
    rest = "  vagues: {sites_par_vague: 1, intervalle_mois: 1}\n" if vagues else ""
    plan = repo / "plans" / "essai.yaml"
    plan.write_text(plan_text('    - {code_insee: "53", type: region}\n', rest), encoding="utf-8")
    checked, innovation = check_file(plan), check_file(descriptor)
    assert checked.ok and innovation.ok
    reference()  # read once, outside the measure
    tracemalloc.start()
    start = time.perf_counter()
    try:
        if vagues:
            with pytest.raises(InvalidPlanError) as raised:
                scaleup.compute(checked.model.plan, innovation, plan.parent, checked)
            assert where(raised.value.findings) == {("C212", 10)}
        else:
            computed = scaleup.compute(checked.model.plan, innovation, plan.parent, checked)
            assert computed.total_sites == reference().get("region", "53").population
            assert len(computed.vagues) == 1
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 30 * 2**20, peak
    assert time.perf_counter() - start < 20


# --- linear algorithms -----------------------------------------------------------------------


def _fake_sites(count: int, per_wave: int) -> tuple[Plan, list[scaleup.SitePlan], int]:
    """`count` targets of one site each, `per_wave` per wave and a wave a month, each with a
    ten-year kit and one funder: what `_waves` and `_years` read, without computing kits."""
    plan = Plan.model_validate(
        {"id": "p", "nom": "P", "innovation": "x", "porteur": {"nom": "R"},
         "debut": "2027-09-01", "cibles": [{"nom": "A"}],
         "vagues": {"sites_par_vague": per_wave, "intervalle_mois": 1}}
    )  # fmt: skip
    years = [SimpleNamespace(total=1000.0)] * 10
    state = SimpleNamespace(financeur="État")
    versements = [SimpleNamespace(par_annee=[100.0] * 10, financement=state)]
    funder = SimpleNamespace(
        versements=versements, financeurs=versements, reste_a_charge=[900.0] * 10
    )
    budget, size = SimpleNamespace(annees=years), SimpleNamespace(sites=1)
    kit = SimpleNamespace(taille=size, budget=budget, financement=funder)
    waves = -(-count // per_wave)
    horizon = (waves - 1) // 12 + 11
    sites = []
    for index in range(count):
        wave = index // per_wave + 1
        sites.append(
            scaleup.SitePlan(
                cible=SimpleNamespace(nom=f"T{index}"),
                origine="",
                kit=kit,
                vague=wave,
                derniere_vague=wave,
                debut=shift_months(plan.debut, wave - 1),
                decalage=shift_months(plan.debut, wave - 1).year - plan.debut.year,
                accompagnement=[0.0] * horizon,
            )
        )
    return plan, sites, horizon


def _plan_time(count: int, per_wave: int) -> float:
    plan, sites, horizon = _fake_sites(count, per_wave)
    gc.disable()  # the collector's passes grow with the heap: they would blur the ratio
    try:
        start = time.perf_counter()
        vagues = scaleup._waves(plan, sites)
        annees = scaleup._years(plan, sites, horizon)
        elapsed = time.perf_counter() - start
    finally:
        gc.enable()
    assert len(vagues) == -(-count // per_wave) and len(annees) == horizon
    assert annees[-1].sites_actifs == count
    return elapsed


def test_waves_and_years_take_time_linear_in_the_targets():
    """16 000 targets in 1 600 waves took 6,8 s in these two steps (every wave and every year
    asked every target), 0,4 s now: the time grows as the targets, not as their square."""
    small = min(_plan_time(1_000, 10) for _ in range(3))
    large = min(_plan_time(16_000, 10) for _ in range(3))
    assert large < 40 * small, (small, large)  # ×16 when linear, ×256 when quadratic
    assert _plan_time(34_875, 50) < 10  # all the communes of France: about a second


def test_a_perimeter_of_every_commune_is_read_in_linear_time():
    """A profile's perimeter may list 130 000 codes in a file: more than ten minutes before."""
    codes = [t.code for t in reference().all(("commune",))] * 2
    start = time.perf_counter()
    found, unknown = perimeter_communes(Projet(perimetre=Perimetre(communes=codes)))
    assert time.perf_counter() - start < 10
    assert len(found) == len(codes) // 2 and not unknown


# --- the licence and internal errors ---------------------------------------------------------


@pytest.mark.parametrize(
    ("licence", "code", "said"),
    [
        ('"\\x0e"', "S113", "caractère de contrôle invisible (U+000E)"),
        ("MIT/Apache", "S112", "« / » n'a pas sa place dans une licence"),
        ('"MIT OR"', "S112", "n'est pas une expression de licences bien formée"),
        ('"()"', "S112", "n'est pas une expression de licences bien formée"),
        ('"   "', "S112", "la licence est vide"),  # read as the licence « None » before
    ],
)
def test_a_licence_the_library_cannot_read_is_its_finding_with_the_others(
    tmp_path, licence, code, said
):
    """The licence library raised AttributeError or IndexError on these (X900, and the file's
    other findings were lost); a blank licence became « None »."""
    text = (
        BASE.replace("\nlicence: CC-BY-SA-4.0\n", f"\nlicence: {licence}\ninconnue: 1\n", 1)
        .replace("nom: Atelier vélo solidaire", 'nom: "Atelier\\x07 vélo"')
    )  # fmt: skip
    path = tmp_path / "d.yaml"
    path.write_text(text, encoding="utf-8")
    checked = check_file(path)
    line = text.splitlines().index(f"licence: {licence}") + 1
    name_line = text.splitlines().index('nom: "Atelier\\x07 vélo"') + 1
    assert where(checked.findings) == {(code, line), ("S113", name_line), ("S102", line + 1)}
    licence_finding = next(f for f in checked.findings if f.line == line)
    assert said in licence_finding.message


def test_an_error_the_licence_library_gives_keeps_its_suggestion():
    assert licences.check("MIT/Apache").suggestion == "MIT"
    assert licences.check("CC BY & SA").suggestion == "CC-BY-SA-4.0"


def test_a_validator_that_raises_keeps_the_findings_of_the_other_checks(tmp_path, monkeypatch):
    """A bug in a validator is X900 for the file; the control characters found on the loaded
    file and the loader's findings are still said (only X900 was before)."""
    monkeypatch.setattr(licences, "check", lambda value: 1 / 0)
    text = BASE.replace("nom: Atelier vélo solidaire", 'nom: "Atelier\\x07 vélo"') + "id: deux\n"
    path = tmp_path / "d.yaml"
    path.write_text(text, encoding="utf-8")
    codes = {f.code for f in check_file(path).findings}
    assert codes == {"Y009", "S113", "X900"}


@pytest.mark.parametrize("validator", ["a value's", "a model's"])
def test_a_validator_that_raises_keeps_the_other_errors_of_the_format(
    tmp_path, monkeypatch, validator
):
    """A bug in one validator is X900 at the value it was checking, and the format's other
    errors of the same file are still said (before, the exception ended the validation: only
    X900, at line 1)."""
    if validator == "a value's":
        monkeypatch.setattr(licences, "check", lambda value: 1 / 0)
        text = BASE.replace("      etp: 0,5", "      etp: -1")
        where = "licence"
    else:
        from essaimage.format.models import MoyensRequis

        monkeypatch.setattr(MoyensRequis, "is_empty", lambda self: 1 / 0)
        text = BASE.replace(
            "\nlicence: CC-BY-SA-4.0\n", "\nlicence: CC-BY-SA-4.0\ninconnue: 1\n", 1
        )
        where = "moyens"
    path = tmp_path / "d.yaml"
    path.write_text(text, encoding="utf-8")
    findings = check_file(path).findings
    internal = [f for f in findings if f.code == "X900"]
    lines = text.splitlines()
    assert internal and all(f.path.split(".")[-1].startswith(where) for f in internal)
    top = next(f for f in internal if f.path == where)  # at its own line, not line 1
    assert lines[top.line - 1].startswith(f"{where}:") or lines[top.line - 2].startswith(where)
    assert all("ZeroDivisionError" in f.message for f in internal)
    assert {f.code for f in findings} - {"X900"} == ({"S106"} if where == "licence" else {"S102"})


def test_a_finding_that_cannot_be_said_keeps_the_others(tmp_path, monkeypatch):
    translate = diagnostics.translate

    def broken(error, *args, **kwargs):
        if error["type"] == "extra_forbidden":
            raise RuntimeError("boum")
        return translate(error, *args, **kwargs)

    monkeypatch.setattr(diagnostics, "translate", broken)
    text = BASE.replace("      etp: 0,5", "      etp: -1").replace(
        "\nlicence: CC-BY-SA-4.0\n", "\nlicence: CC-BY-SA-4.0\ninconnue: 1\n", 1
    )
    path = tmp_path / "d.yaml"
    path.write_text(text, encoding="utf-8")
    findings = check_file(path).findings
    assert {f.code for f in findings} == {"S106", "X900"}
    assert "RuntimeError : boum" in next(f.message for f in findings if f.code == "X900")


def _raise(*args, **kwargs):
    raise RuntimeError("boum")


@pytest.mark.parametrize(
    ("module", "stage", "text", "kept"),
    [
        (consistency, "check_innovation", BASE + "id: deux\n", {"Y009"}),
        (rules, "indice", NO_LICENCE, {"D803"}),
        (consistency, "innovation_identity", NO_LICENCE, {"D803"}),
    ],
)
def test_a_stage_that_raises_keeps_what_the_stages_before_found(
    tmp_path, monkeypatch, module, stage, text, kept
):
    monkeypatch.setattr(module, stage, _raise)
    path = tmp_path / "d.yaml"
    path.write_text(text, encoding="utf-8")
    codes = {f.code for f in check_file(path).findings}
    assert codes == kept | {"X900"}


def test_checks_between_files_that_raise_keep_every_file_s_findings(tmp_path, monkeypatch):
    monkeypatch.setattr(consistency, "check_across", _raise)
    build_file_tree(tmp_path, {"a.yaml": NO_LICENCE, "b.yaml": BASE + "id: deux\n"})
    result, _ = check_files([tmp_path / "a.yaml", tmp_path / "b.yaml"])
    assert {f.code for f in result.findings} == {"D803", "Y009", "X900"}


# --- property: plans that validate compute, or are refused by a finding ----------------------

hypothesis = pytest.importorskip("hypothesis", reason="hypothesis est dans les extras de test")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

FOLDER = Path(tempfile.mkdtemp(prefix="essaimage-plans-"))
shutil.copytree(EXAMPLES / "innovations", FOLDER / "innovations", dirs_exist_ok=True)
(FOLDER / "plans").mkdir(exist_ok=True)
years = st.integers(1000, 2999)
target = st.fixed_dictionaries(
    {"sites": st.integers(1, 100_000), "debut": st.none() | st.dates(dt.date(1000, 1, 1), dt.date(2999, 12, 31))}
)  # fmt: skip
COMPUTED: list[int] = []


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(
    targets=st.lists(target, min_size=1, max_size=3),
    per_wave=st.none() | st.integers(1, 100_000),
    interval=st.integers(1, 1200),
    support=st.integers(1, 1200),
    start=st.dates(dt.date(1000, 1, 1), dt.date(2999, 12, 31)),
)
def test_whatever_plan_validates_computes_or_is_refused_by_a_finding(
    targets, per_wave, interval, support, start
):
    lines = "".join(
        f"    - {{nom: T{i}, sites: {t['sites']}"
        + (f", debut: {t['debut']}" if t["debut"] else "")
        + "}\n"
        for i, t in enumerate(targets)
    )
    rest = f"  accompagnement: {{etp_par_site: 0.1, duree_mois: {support}, cout_etp_annuel: 1}}\n"
    if per_wave:
        rest += f"  vagues: {{sites_par_vague: {per_wave}, intervalle_mois: {interval}}}\n"
    path = FOLDER / "plans" / "p.yaml"
    path.write_text(plan_text(lines, rest, debut=start.isoformat()), encoding="utf-8")
    checked = check_file(path)
    assert "X900" not in {f.code for f in checked.findings}
    if not checked.ok:
        assert {f.code for f in checked.findings} <= {"C212"}
        return
    descriptor = check_file(FOLDER / "innovations" / "pedibus.yaml")
    started = time.perf_counter()
    try:
        computed = scaleup.compute(checked.model.plan, descriptor, path.parent, checked)
    except InvalidPlanError as exc:  # what validation could not know: the kits' sites
        assert {f.code for f in exc.findings} == {"C212"}
        return
    assert time.perf_counter() - started < 10
    assert len(computed.annees) <= 111  # 100 years of waves, ten of budget, and the first
    COMPUTED.append(1)


def test_the_plan_property_is_not_vacuous():
    if not COMPUTED:
        test_whatever_plan_validates_computes_or_is_refused_by_a_finding()
    assert len(COMPUTED) >= 20
