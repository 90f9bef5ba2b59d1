"""Scale-up plans: targets, waves, and figures that are sums of the kits' figures."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil

import pytest

from essaimage.check.pipeline import check_file
from essaimage.format.models import Plan
from essaimage.plan.compute import assign_waves, compute, support_by_year, wave_start
from essaimage.render.plan_files import sites_csv
from helpers import EXAMPLES, build_file_tree, invoke, lisible

PLAN = """\
essaimage: 1
plan:
  id: pedibus-bretagne
  nom: Pédibus dans les villes moyennes de Bretagne
  innovation: pedibus
  porteur: {nom: Région Bretagne, type: collectivite}
  debut: 2027-09-01
  cibles:
    - {code_insee: "22278", type: commune, sites: 2, beneficiaires: 300}
    - profil: ../territoires/saint-brieuc.yaml
    - selection:
        dans: region:53
        type: commune
        population_min: 5000
        population_max: 20000
        limite: 6
  vagues: {sites_par_vague: 5, intervalle_mois: 6}
  accompagnement:
    etp_par_site: 0,1
    duree_mois: 12
    cout_etp_annuel: 55 000
  financements:
    - {financeur: Région Bretagne, nature: subvention, porte_sur: investissement, part: 50}
"""


@pytest.fixture
def repo(tmp_path):
    build_file_tree(tmp_path, {"essaimage.yaml": "essaimage: 1\n", "plans/bretagne.yaml": PLAN})
    shutil.copytree(EXAMPLES / "innovations", tmp_path / "innovations")
    shutil.copytree(EXAMPLES / "territoires", tmp_path / "territoires")
    return tmp_path


def computed_plan(repo):
    checked = check_file(repo / "plans" / "bretagne.yaml")
    assert checked.ok, checked.findings
    descriptor = check_file(repo / "innovations" / "pedibus.yaml")
    return compute(checked.model.plan, descriptor, repo / "plans")


def plan_with(**vagues):
    return Plan.model_validate(
        {"id": "p", "nom": "P", "innovation": "x", "porteur": {"nom": "R"},
         "debut": "2027-09-01", "cibles": [{"nom": "A"}], **vagues}
    )  # fmt: skip


@pytest.mark.parametrize(
    ("sites", "waves"),
    [
        ([2, 2, 1, 1], [(1, 1), (1, 1), (1, 1), (2, 2)]),  # 5 per wave, a target never split
        ([3, 3], [(1, 1), (2, 2)]),
        ([12, 1], [(1, 3), (3, 3)]),  # 12 sites alone: waves 1 to 3 (5 + 5 + 2), then 1 more
        ([5, 5], [(1, 1), (2, 2)]),
    ],
)
def test_waves(sites, waves):
    plan = plan_with(vagues={"sites_par_vague": 5, "intervalle_mois": 6})
    assert assign_waves(sites, plan) == waves
    assert wave_start(plan, 3) == dt.date(2028, 9, 1)


def test_without_waves_everything_starts_at_once():
    assert assign_waves([3, 40], plan_with()) == [(1, 1), (1, 1)]


def test_support_is_spread_by_month_over_plan_years():
    from essaimage.format.models import Accompagnement

    support = Accompagnement(etp_par_site=0.1, duree_mois=12, cout_etp_annuel=60_000)
    # 2 sites starting in month 6: 6 months in year 1, 6 in year 2, at 500 € a month per site
    assert support_by_year(support, 2, 6, 3) == [6_000, 6_000, 0]


def test_targets_in_order_once_each(repo):
    computed = computed_plan(repo)
    names = [s.cible.nom for s in computed.sites]
    # Saint-Brieuc explicit, then its profile (same commune: counted once), then the selection
    assert names[0] == "Saint-Brieuc" and names.count("Saint-Brieuc") == 1
    assert len(names) == 7 and names[1:3] == ["Bruz", "Vitré"]
    assert computed.notes == [
        "Saint-Brieuc est nommé deux fois (dont profil saint-brieuc.yaml) : compté une fois"
    ]
    assert [(v.numero, v.sites) for v in computed.vagues] == [(1, 5), (2, 3)]


def test_every_figure_of_the_plan_is_a_sum_of_the_kits(repo):
    computed = computed_plan(repo)
    # calendar years (v1.2 correction 3): a wave of March 2028 counts in 2028, with its kit's 2028
    assert [a.periode for a in computed.annees[:3]] == [
        "2027 (à partir de septembre)",
        "2028",
        "2029",
    ]
    march = next(s for s in computed.sites if s.debut == dt.date(2028, 3, 1))
    assert march.decalage == 1 and march.kit.budget.annees[0].periode == "2028 (à partir de mars)"
    for year in computed.annees:
        index = year.numero - 1
        kits = [(s, index - s.decalage) for s in computed.sites]
        assert year.cout_sites == pytest.approx(
            sum(s.kit.budget.annees[j].total for s, j in kits if j >= 0)
        )
        region = sum(
            v.par_annee[j] or 0
            for s, j in kits
            if j >= 0 and s.kit.financement
            for v in s.kit.financement.versements
            if v.origine == "plan"
        )
        assert year.financements.get("Région Bretagne", 0) == pytest.approx(region)
        # the territories' reste à charge is their kits' (v1.2 correction 7)
        assert year.reste_territoires == pytest.approx(
            sum(s.kit.financement.reste_a_charge[j] for s, j in kits if j >= 0)
        )
    # the plan's share of investment: half of each site's investment, in its year, in its kit
    first = computed.sites[0]
    [region] = [v for v in first.kit.financement.versements if v.origine == "plan"]
    assert region.par_annee[0] == first.kit.budget.annees[0].investissement / 2


def test_the_csv_reads_back_with_french_decimals(repo):
    computed = computed_plan(repo)
    text = sites_csv(computed)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))
    assert [r["territoire"] for r in rows] == [s.cible.nom for s in computed.sites]
    first = rows[0]
    assert float(first["cout_annee_1"].replace(",", ".")) == pytest.approx(
        computed.sites[0].kit.budget.total_annee_1, abs=0.01
    )
    assert first["sites"] == "2" and first["vague"] == "1" and first["debut"] == "2027-09-01"


def test_the_command_writes_the_document_the_sites_and_the_kits(repo, monkeypatch):
    monkeypatch.chdir(repo)
    result = invoke("plan", "plans/bretagne.yaml", "-o", "sortie", "--kits")
    assert result.exit_code == 0, result.output
    folder = repo / "sortie" / "pedibus-bretagne"
    assert {p.name for p in folder.iterdir()} >= {"plan.md", "plan.html", "sites.csv", "sites.json"}
    document = lisible((folder / "plan.md").read_text("utf-8"))
    assert (
        "| Calendrier | 2 vagues, de septembre 2027 à mars 2028, une tous les 6 mois |" in document
    )
    assert "[Bruz](<kits/pedibus/bruz-35047.md>)" in document
    assert (folder / "kits" / "pedibus" / "bruz-35047.html").is_file()
    data = json.loads((folder / "sites.json").read_text("utf-8"))
    assert len(data["sites"]) == 7 and data["annees"][0]["numero"] == 1
    again = invoke("plan", "plans/bretagne.yaml", "-o", "sortie", "--kits")
    assert again.exit_code == 0  # its own files are rewritten


def test_the_plan_is_made_without_the_command_line(repo):
    """Issue 23: the plan's orchestration lives in commands/plan.py (the CLI only prints): the
    core reads, checks, computes and writes, and a plan with an error writes nothing."""
    from essaimage.commands.plan import PlanRequest, QuickForm, make_plan
    from essaimage.errors import UsageError

    with pytest.raises(UsageError, match="--dans"):  # no such file here: an innovation's name
        make_plan(PlanRequest("plans/absent.yaml", repo / "sortie", ["md"], start=repo))
    run = make_plan(PlanRequest(str(repo / "plans" / "bretagne.yaml"), repo / "sortie", ["md"]))
    assert not run.failed() and run.computed is not None
    assert run.computed.total_sites == 8 and run.notes == run.computed.notes != []
    assert [p.name for p in run.written] == ["plan.md"]
    broken = repo / "plans" / "casse.yaml"
    broken.write_text(PLAN.replace("debut: 2027-09-01", "debut: 2027-13-01"), "utf-8")
    run = make_plan(PlanRequest(str(broken), repo / "autre", ["md"]))
    assert run.failed() and run.written == [] and not (repo / "autre").exists()
    assert [f.code for f in run.result.findings] == ["S109"]
    quick = QuickForm(dans="departement:22", population="5000-20000", limite=2, debut="2027-01-01")
    run = make_plan(PlanRequest("pedibus", repo / "rapide", ["csv"], rapide=quick, start=repo))
    assert not run.failed() and len(run.computed.sites) == 2


def test_a_plan_s_kit_has_the_plan_s_funding_and_support_and_the_csv_s_reste(repo, monkeypatch):
    """v1.2 correction 7: before, each kit said « aucun plan de financement proposé » and
    Saint-Brieuc's kit left 45 893 € to pay where sites.csv said 42 893 €."""
    monkeypatch.chdir(repo)
    result = invoke("plan", "plans/bretagne.yaml", "-o", "sortie", "--kits", "-f", "md,csv")
    assert result.exit_code == 0, result.output
    folder = repo / "sortie" / "pedibus-bretagne"
    rows = list(
        csv.DictReader(io.StringIO((folder / "sites.csv").read_text("utf-8")[1:]), delimiter=";")
    )
    bruz = next(r for r in rows if r["territoire"] == "Bruz")
    kit = lisible((folder / "kits" / "pedibus" / "bruz-35047.md").read_text("utf-8"))
    [line] = [x for x in kit.splitlines() if x.startswith("| Reste à charge |")]
    three = f"{float(bruz['reste_a_charge_3_ans'].replace(',', '.')):,.0f}".replace(",", " ")
    assert f"{three} € sur 3 ans (financements du plan de montée en charge)" in line
    assert "| Région Bretagne | subvention | 50 % de l'investissement |" in kit
    # the porteur's support, valued: 0,1 ETP × 55 000 € × 12 months ÷ 12
    assert (
        "Le porteur du plan « Pédibus dans les villes moyennes de Bretagne », la Région Bretagne, "
        "accompagne Bruz avec 0,1 ETP pendant 12 mois, soit 5 500 € à sa charge"
    ) in kit


def test_the_quick_form(repo, monkeypatch):
    monkeypatch.chdir(repo)
    result = invoke(
        "plan", "pedibus", "--dans", "22", "--type", "commune", "--population", "10000-50000",
        "--debut", "2028-01-01", "--sites-par-vague", "2", "--intervalle", "4", "-f", "md",
        "-o", "sortie",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    [document] = (repo / "sortie").glob("*/plan.md")
    text = lisible(document.read_text("utf-8"))
    assert "Pédibus, le ramassage scolaire à pied — communes des Côtes-d'Armor" in text
    assert "Plan porté par une structure à désigner." in text  # not « par Porteur du plan … »
    assert "## 5. L'accompagnement par une structure à désigner" in text
    named = invoke(
        "plan", "pedibus", "--dans", "22", "--porteur", "Département des Côtes-d'Armor",
        "-f", "md", "-o", "nommé",
    )  # fmt: skip
    assert named.exit_code == 0, named.output
    [document] = (repo / "nommé").glob("*/plan.md")
    text = lisible(document.read_text("utf-8"))
    assert "Plan porté par le Département des Côtes-d'Armor." in text


@pytest.mark.parametrize(
    ("arguments", "code", "said"),
    [
        (["pedibus", "--dans", "22", "--population", "900000-"], 2, "ne donne aucun territoire"),
        (["pedibus"], 2, "indiquez où chercher : --dans"),
        (["inconnue", "--dans", "22"], 2, "aucune innovation du dépôt n'a l'identifiant"),
        (["plans/bretagne.yaml", "-f", "odf"], 2, "format « odf » inconnu"),
    ],
)
def test_the_command_says_what_is_wrong(repo, monkeypatch, arguments, code, said):
    monkeypatch.chdir(repo)
    result = invoke("plan", *arguments)
    assert result.exit_code == code, result.output
    assert said in result.output


def test_a_plan_with_errors_shows_them_at_their_line(repo, monkeypatch):
    monkeypatch.chdir(repo)
    (repo / "plans" / "bretagne.yaml").write_text(
        PLAN.replace("debut: 2027-09-01", "debut: 2027-13-01"), encoding="utf-8"
    )
    result = invoke("plan", "plans/bretagne.yaml", "--sans-contexte")
    assert result.exit_code == 1
    assert "plans/bretagne.yaml:7:10: erreur[S109]" in result.output
    assert "Aucun plan produit" in result.output


def test_a_profile_with_errors_shows_its_findings(repo, monkeypatch):
    monkeypatch.chdir(repo)
    (repo / "territoires" / "saint-brieuc.yaml").write_text(
        "essaimage: 1\nterritoire:\n  nom: X\n  type: planete\n", encoding="utf-8"
    )
    result = invoke("plan", "plans/bretagne.yaml", "--sans-contexte")
    assert result.exit_code == 1
    assert "territoires/saint-brieuc.yaml:4:9: erreur[S103]" in result.output


def test_an_unknown_profile_is_said_at_its_line(repo, monkeypatch):
    monkeypatch.chdir(repo)
    (repo / "plans" / "bretagne.yaml").write_text(
        PLAN.replace("profil: ../territoires/saint-brieuc.yaml", "profil: saint-brieux"),
        encoding="utf-8",
    )
    result = invoke("plan", "plans/bretagne.yaml", "--sans-contexte")
    assert result.exit_code == 1
    assert "plans/bretagne.yaml:10:15: erreur[R106]" in result.output
    assert "vouliez-vous dire « saint-brieuc » ?" in result.output


def test_the_summary_line_agrees_in_number(repo, monkeypatch):
    """« 1 territoires, 1 sites » before."""
    monkeypatch.chdir(repo)
    result = invoke(
        "plan", "pedibus", "--dans", "22", "--type", "commune", "--population", "40000-",
        "-f", "md", "-o", "sortie",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert ": 1 territoire, 1 site, 1 vague." in result.stdout


def test_kit_and_plan_find_the_same_profile_by_name(repo, monkeypatch):
    """Issue 23: with saint-brieuc.yaml and saint-brieuc.yml, `kit` took the first and `plan`
    the last (240 against 999 beneficiaries); one look-up now, `.yaml` first."""
    profiles = repo / "territoires"
    text = (profiles / "saint-brieuc.yaml").read_text(encoding="utf-8")
    assert "beneficiaires: 240" in text
    (profiles / "saint-brieuc.yml").write_text(
        text.replace("beneficiaires: 240", "beneficiaires: 999"), encoding="utf-8"
    )
    plan = PLAN.replace("profil: ../territoires/saint-brieuc.yaml", "profil: saint-brieuc")
    # without the explicit target of the same commune, which would come first
    plan = plan.replace(
        '    - {code_insee: "22278", type: commune, sites: 2, beneficiaires: 300}\n', ""
    )
    (repo / "plans" / "bretagne.yaml").write_text(plan, encoding="utf-8")
    computed = computed_plan(repo)
    [site] = [s for s in computed.sites if s.origine.startswith("profil")]
    assert site.origine == "profil saint-brieuc.yaml" and site.kit.taille.beneficiaires == 240
    monkeypatch.chdir(repo)
    result = invoke("kit", "innovations/pedibus.yaml", "-t", "saint-brieuc", "-f", "md", "-o", "k")
    assert result.exit_code == 0, result.output
    assert (
        "240\u00a0bénéficiaires par an" in (repo / "k" / "pedibus" / "saint-brieuc.md").read_text()
    )


def test_every_plan_total_is_the_sum_of_its_printed_years(repo):
    """« 112 750 € sur 3 ans » beside years printed 9 167 + 50 417 + 53 167 = 112 751 €."""
    computed = computed_plan(repo)
    for year in computed.annees:
        for value in (year.cout_sites, year.accompagnement, year.reste_territoires):
            assert value == round(value)
    assert computed.total("accompagnement") == sum(a.accompagnement for a in computed.annees[:3])
    assert computed.trois_ans == "2027 à 2029"
