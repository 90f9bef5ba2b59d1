"""What a kit says for one territory: verdicts, choices, dated roadmap, warnings."""

from __future__ import annotations

import datetime as dt
import textwrap
from types import SimpleNamespace

import pytest

from conftest import EXAMPLES
from essaimage.check.pipeline import check_file
from essaimage.format.models import Prerequis
from essaimage.kit.prepare import prepare, roadmap
from essaimage.kit.prerequisites import verdicts
from essaimage.kit.size import measure
from essaimage.kit.target import Cible, from_official, project_errors, resolve_target
from essaimage.render.engine import render_all
from essaimage.territories.cog import reference
from helpers import invoke, lisible

DESCRIPTOR = """\
essaimage: 1
id: atelier-velo
nom: Atelier vélo solidaire
accroche: Un atelier où chacun apprend à réparer son vélo avec des bénévoles.
origine:
  territoire: {nom: Grenoble}
  porteur: {nom: Un p'tit vélo dans la tête}
probleme: Des vélos dorment dans les caves.
solution: Un atelier partagé.
coeur:
  - id: autoreparation
    titre: On répare soi-même
marges:
  - id: lieu
    titre: Le lieu
    options: [garage municipal, local associatif]
moyens:
  humains:
    - role: Animateur
      etp: 0,02
      par: 8 beneficiaires
  financiers:
    - poste: Outils
      montant: 1 500
      nature: investissement
  delai_lancement_mois: 3
prerequis:
  - description: Une ville moyenne
    population_min: 20 000
  - description: Une commune
    types_territoire: [commune]
  - description: Un local disponible
etapes:
  - titre: Préparer
    duree_mois: 2
  - titre: Ouvrir
    duree_mois: 1,5
  - titre: Évaluer
    duree_mois: 1
"""

PROFILE = """\
essaimage: 1
territoire:
  nom: Bourg-Exemple
  type: commune
  population: 12 000
projets:
  atelier-velo:
    debut: 2027-03-15
    beneficiaires: 400
    choix:
      lieu: garage municipal
      horaires: le samedi
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def make_kit(tmp_path, profile=PROFILE):
    checked = check_file(write(tmp_path, "atelier.yaml", DESCRIPTOR))
    assert checked.ok, checked.findings
    cible = resolve_target(str(write(tmp_path, "bourg.yaml", profile)), [])
    return prepare(checked.model, checked, cible)


def test_verdicts_for_a_profile(tmp_path):
    kit = make_kit(tmp_path)
    assert [v.statut for v in kit.prerequis] == ["non-rempli", "rempli", "a-verifier"]
    assert "moins que le minimum de 20" in kit.prerequis[0].explications[0]


def test_scaled_means_choices_and_launch(tmp_path):
    kit = make_kit(tmp_path)
    assert kit.moyens.total_etp == 1
    assert kit.moyens.investissement == 1500
    # « horaires » is no marge of the innovation (R103, no kit by `kit`): not among the choices
    assert kit.choix == {"lieu": "garage municipal"}
    assert kit.preparation == "de mars à juin 2027"
    assert kit.lancement == "15 juin 2027"


def test_unknown_choice_is_an_error_at_its_line_as_validate_says_it(tmp_path):
    checked = check_file(write(tmp_path, "atelier.yaml", DESCRIPTOR))
    cible = resolve_target(str(write(tmp_path, "bourg.yaml", PROFILE)), [])
    [error] = project_errors(checked, cible)
    assert (error.code, error.line, error.severity.value) == ("R103", 12, "erreur")
    assert (
        error.message
        == "« horaires » n'est pas une marge de l'innovation « atelier-velo » (marges : lieu)"
    )
    assert not [f for f in make_kit(tmp_path).avertissements if f.code in ("R103", "K301")]


def test_roadmap_is_dated_by_month(tmp_path):
    kit = make_kit(tmp_path)
    # From 15 March, two months end on 14 May: the day of the month counts (issue 9).
    assert [s.periode for s in kit.feuille_de_route] == [
        "mars à mai 2027",
        "mai à juin 2027",
        "juin à juillet 2027",
    ]
    assert kit.duree_totale == 4.5


def test_roadmap_without_start_counts_months(tmp_path):
    checked = check_file(write(tmp_path, "atelier.yaml", DESCRIPTOR))
    steps, total = roadmap(checked.model, None)
    assert [s.periode for s in steps] == ["mois 1 à 2", "mois 3 à 4", "mois 4 à 5"]


def test_roadmap_crosses_the_year():
    class Etape:
        def __init__(self, duree):
            self.duree_mois = duree

    class Innovation:
        etapes = [Etape(3)]

    steps, _ = roadmap(Innovation(), dt.date(2027, 11, 1))
    assert steps[0].periode == "novembre 2027 à janvier 2028"


def test_official_territory_without_beneficiaries(tmp_path):
    checked = check_file(write(tmp_path, "atelier.yaml", DESCRIPTOR))
    kit = prepare(checked.model, checked, from_official(reference().find("44109")))
    assert kit.moyens.incomplet
    assert kit.moyens.humains[0].quantite is None
    assert [v.statut for v in kit.prerequis] == ["rempli", "rempli", "a-verifier"]
    assert kit.projet is None and kit.lancement is None and kit.preparation is None
    # no « Équipe : 0 ETP » when the team depends on beneficiaries nobody planned (issue 9)
    from essaimage.render.phrases import equipe

    assert equipe(kit) == "1 rôle à calculer (voir la partie 5)"


def cible(population=None, type=None):
    return Cible("Bourg", type, None, population, "Bourg", "bourg")


def verdicts_for(innovation, target):
    return verdicts(innovation, target, measure(innovation, None, target))


@pytest.mark.parametrize(
    ("population", "statut"),
    [(19_999, "non-rempli"), (20_000, "rempli"), (50_000, "rempli"), (50_001, "non-rempli")],
)
def test_population_bounds_are_inclusive(population, statut):
    innovation = SimpleNamespace(
        prerequis=[
            Prerequis(description="Ville moyenne", population_min=20000, population_max=50000)
        ],
        dimensionnement=None,
    )
    [verdict] = verdicts_for(innovation, cible(population))
    assert verdict.statut == statut


@pytest.mark.parametrize(
    ("type", "statut"),
    [("commune", "non-rempli"), ("epci", "a-verifier")],
)
def test_a_failed_check_wins_over_an_unknown_one(type, statut):
    """Unknown population and a type outside the list: not met; unknown and matching: to check."""
    prerequis = Prerequis(description="Un EPCI", population_min=1000, types_territoire=["epci"])
    innovation = SimpleNamespace(prerequis=[prerequis], dimensionnement=None)
    [verdict] = verdicts_for(innovation, cible(None, type))
    assert verdict.statut == statut
    assert len(verdict.explications) == 2


# --- issue 9: a kit's figures for any territory ---------------------------------------------

PEDIBUS = EXAMPLES / "innovations" / "pedibus.yaml"


def kit_for(tmp_path, descriptor, profile_text=None, official=None):
    checked = check_file(descriptor)
    if official is not None:
        target = from_official(reference().find(official))
    else:
        target = resolve_target(str(write(tmp_path, "profil.yaml", profile_text)), [])
    return prepare(checked.model, checked, target)


def test_a_departement_without_perimeter_is_one_site_over_everyone_and_says_so(tmp_path):
    """Ain for Pédibus: no profile, so no beneficiaries, no sites, the whole population (T104)."""
    kit = kit_for(tmp_path, PEDIBUS, official="01")
    assert kit.taille.sites == 1 and kit.taille.habitants == kit.cible.population
    [t104] = [f for f in kit.avertissements if f.code == "T104"]
    assert "Ain est un département" in t104.message and "un seul site" in t104.message
    assert (t104.file, t104.line, t104.column) == ("Ain", 0, 0)  # a name, not « Ain:1:1 »


def test_a_territory_without_profile_is_named_without_a_place_in_a_file(tmp_path):
    """`kit -t Cantal`: « Cantal : avertissement[T104] », not « Cantal:1:1: » (no such file)."""
    result = invoke("kit", str(PEDIBUS), "-t", "Cantal", "-f", "md", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "Cantal : avertissement[T104] Le Cantal est un département" in result.output
    assert "Cantal:1:1" not in result.output


def test_a_departement_with_perimeter_and_sites_gives_figures_of_the_right_order(tmp_path):
    """Ten pilot schools in three communes of the Ain: ten times one school's means, not the
    means of one site for 660 000 inhabitants."""
    profile = """\
    essaimage: 1
    territoire: {code_insee: "01", type: departement}
    projets:
      pedibus:
        debut: 2027-09-01
        beneficiaires: 400
        sites: 10
        perimetre:
          communes: ["01053", "01004", "01283"]
        financements:
          - {financeur: Département, nature: subvention, porte_sur: investissement, part: 50}
          - {financeur: Communes, nature: autofinancement, porte_sur: fonctionnement, part: 30,
             duree_ans: 2}
    """
    kit = kit_for(tmp_path, PEDIBUS, profile)
    assert "T104" not in {f.code for f in kit.avertissements}
    assert kit.taille.sites == 10
    assert kit.taille.habitants == sum(c.population for c in kit.taille.communes) < 100_000
    signage = next(line for line in kit.moyens.financiers if line.libelle.startswith("Signalé"))
    assert signage.quantite == 1_500 * 10
    coordination = kit.budget.personnes[0]
    # 0,1 ETP per 100 children × 400 = 0,4 ETP, valued at the descriptor's 42 000 €
    assert coordination.ligne.quantite == pytest.approx(0.4)
    assert coordination.cout_annuel == pytest.approx(0.4 * 42_000)
    # paid from the start of the preparation (phase: preparation-et-fonctionnement)
    assert coordination.phase == "preparation-et-fonctionnement"
    # a full year: 6 € × 400 vests + 500 € × 10 sites + 0,4 × 42 000 €
    assert kit.budget.fonctionnement_annuel == pytest.approx(2_400 + 5_000 + 16_800)
    # the worked example of docs/format.md, figure by figure
    assert kit.taille.habitants == 80_786
    # by calendar year from September 2027: four months of preparation (the coordination paid
    # from the start, 16 800 × 4 ÷ 12 = 5 600 €, and the signage, 15 000 €, bought in
    # December), then 2028 and 2029 in full operation
    assert [a.periode for a in kit.budget.annees] == [
        "2027 (à partir de septembre)",
        "2028",
        "2029",
    ]
    assert [a.total for a in kit.budget.annees] == [20_600, 24_200, 24_200]
    assert kit.budget.total_annee_1 == 15_000 + 5_600
    assert kit.budget.total_3_ans == 20_600 + 2 * 24_200
    departement, communes = kit.financement.versements
    assert departement.par_annee == [7_500, 0, 0]
    # the communes' own money is an apport: 30 % of the operation, the preparation months
    # included (5 600 × 30 % = 1 680 €), then 24 200 × 30 % = 7 260 € for 24 months from
    # January 2028
    assert communes.apport and communes.par_annee == [1_680, 7_260, 7_260]
    # reste à charge: 20 600 − 7 500 = 13 100 €, then the whole 24 200 €
    assert kit.financement.reste_a_charge == [13_100, 24_200, 24_200]
    assert kit.financement.apport == [1_680, 7_260, 7_260]
    # reste à trouver: 13 100 − 1 680 = 11 420 €, 24 200 − 7 260 = 16 940 €
    assert kit.financement.reste_a_trouver == [11_420, 16_940, 16_940]


def test_the_synthese_names_failed_prerequisites_and_the_local_contact(tmp_path):
    from essaimage.render.phrases import contact_local, prerequis_resume

    profile = """\
    essaimage: 1
    territoire: {nom: Hameau, type: commune, population: 300}
    porteur:
      nom: Mairie du Hameau
      contact: {nom: Alex Martin, role: Secrétaire de mairie, courriel: mairie@exemple.org}
    projets:
      pedibus: {beneficiaires: 12}
    """
    kit = kit_for(tmp_path, PEDIBUS, profile)
    assert prerequis_resume(kit).startswith(
        "non rempli : « Une commune assez peuplée pour compter plusieurs quartiers"
    )
    assert contact_local(kit) == "Alex Martin, Secrétaire de mairie, Mairie du Hameau"
    texts = render_all(kit, ["md", "html"])
    assert (
        "| Contact sur le territoire | Alex Martin, Secrétaire de mairie, Mairie du Hameau — "
        "<mairie@exemple.org> |"
    ) in texts["md"]
    assert '— <a href="mailto:mairie@exemple.org">mairie@exemple.org</a>' in texts["html"]


def test_an_over_funded_profile_plan_is_reported_at_its_line(tmp_path):
    profile = """\
    essaimage: 1
    territoire: {nom: Bourg, type: commune, population: 8000}
    projets:
      pedibus:
        beneficiaires: 100
        financements:
          - {financeur: Commune, nature: autofinancement, part: 100}
          - {financeur: Région, nature: subvention, montant: 5000, periodicite: annuel}
    """
    kit = kit_for(tmp_path, PEDIBUS, profile)
    [t105] = [f for f in kit.avertissements if f.code == "T105"]
    assert t105.line == 6 and "dépassent son coût" in t105.message
    # the commune's own money is an apport: it covers what the Région leaves, never counted as aid.
    # By hand, 100 children on 3 sites (100 ÷ 40, rounded up): year 1 is 0,1 ETP × 42 000 € of
    # coordination for 12 months (paid from the preparation on) + 3 × 1 500 € of signage
    # + (6 € × 100 vests + 3 × 500 € of communication) × 8 ÷ 12 = 4 200 + 4 500 + 1 400
    # = 10 100 €; years 2 and 3: 4 200 + 600 + 1 500 = 6 300 €; the apport is 100 % of it
    assert kit.financement.apport == [10_100, 6_300, 6_300]
    assert kit.financement.reste_a_trouver == [0, 0, 0]


INNOVATIONS = sorted((EXAMPLES / "innovations").glob("*.yaml"))
OFFICIAL = ["01001", "13055", "01", "region:53"]  # a village of 860, Marseille, Ain, Bretagne


@pytest.mark.parametrize("descriptor", INNOVATIONS, ids=[p.stem for p in INNOVATIONS])
@pytest.mark.parametrize("official", OFFICIAL)
def test_every_example_for_every_size_of_territory(descriptor, official):
    """Figures hold together whatever the territory: sums are the sums of their parts, large
    territories are warned, nothing is negative."""
    from essaimage.render.engine import render_all

    checked = check_file(descriptor)
    kit = prepare(checked.model, checked, from_official(reference().find(official)))
    large = kit.cible.type in ("departement", "region")
    assert ("T104" in {f.code for f in kit.avertissements}) is large
    budget = kit.budget
    for year in budget.annees:
        assert year.investissement >= 0 and year.fonctionnement >= year.personnel >= 0
    assert budget.total_3_ans == pytest.approx(sum(a.total for a in budget.annees[:3]))
    # a full year of operation pays every paid role but those paid during the preparation only
    paid = sum(p.cout_annuel or 0 for p in budget.personnes if p.paye and p.phase != "preparation")
    assert budget.personnel_annuel == pytest.approx(paid)
    texts = render_all(kit, ["md", "html"])
    assert "None" not in texts["md"] and "nan" not in texts["md"].lower().split()


def test_a_choice_by_sites_a_project_contact_and_partners(tmp_path):
    """v1.2: « 2 sites with the parents' association, 4 with the centre social » — each option's
    lines for its own sites; the project's contact wins over the porteur's; the profile's
    partners are « acteurs du territoire », the project's its own partners."""
    profile = """\
    essaimage: 1
    territoire: {nom: Pays de Test, type: epci, population: 60000}
    porteur:
      nom: Communauté de communes du Pays de Test
      contact: {nom: Alex Martin, role: DGS, courriel: dgs@exemple.org}
    partenaires:
      - {acteur: Centre social, role: Relaie auprès des familles}
    projets:
      pedibus:
        choix:
          animation:
            - {option: association de parents d'élèves, sites: 2}
            - {option: centre social, sites: 4}
        contact: {nom: Camille Durand, role: Cheffe de projet, courriel: pedibus@exemple.org}
        partenaires:
          - {acteur: Association de parents d'élèves, role: Anime deux lignes}
    """
    kit = kit_for(tmp_path, PEDIBUS, profile)
    # no `sites`: the options' sites make the project's, and 6 × 40 = 240 children
    assert kit.taille.sites == 6 and kit.taille.beneficiaires == 240
    assert "la somme des sites des options choisies" in kit.taille.origine_sites
    roles = {p.ligne.libelle: p.ligne for p in kit.budget.personnes}
    salaried = roles["Coordination du réseau de lignes"]
    # the association's 2 sites need no paid coordination: 0,1 ETP per 100 × 160 children
    assert salaried.quantite == pytest.approx(0.16)
    assert salaried.calcul.endswith("(pour 4 des 6 sites)")
    volunteer = roles["Coordination bénévole par l'association de parents"]
    assert volunteer.quantite == pytest.approx(0.08)  # 0,1 ETP per 100 × 80 children
    assert (
        kit.choix["animation"]
        == "association de parents d'élèves (2 sites) ; centre social (4 sites)"
    )
    texts = render_all(kit, ["md"])
    md = lisible(texts["md"])
    assert (
        "| Contact sur le territoire | Camille Durand, Cheffe de projet, Communauté de communes"
        in md
    )
    assert "- Partenaire du projet : Association de parents d'élèves — Anime deux lignes" in md
    assert "- Acteur du territoire : Centre social — Relaie auprès des familles" in md


def test_the_readme_s_first_command_warns_only_as_the_readme_says(tmp_path, monkeypatch):
    """The flagship example's T102 on its first run is on purpose, and said so: in the README
    beside the command, and in the profile at the choice."""
    monkeypatch.chdir(tmp_path)
    result = invoke("kit", str(PEDIBUS), "--territoire", "saint-brieuc", "-f", "md")
    assert result.exit_code == 0, result.output
    codes = {
        line.split("[", 1)[1].split("]", 1)[0] for line in result.output.splitlines() if "[" in line
    }
    assert codes == {"T102"}
    readme = (EXAMPLES.parent / "README.md").read_text("utf-8")
    assert "avec un avertissement attendu (T102)" in readme.split("---", 1)[0]
    lines = (EXAMPLES / "territoires" / "saint-brieuc.yaml").read_text("utf-8").splitlines()
    at = lines.index("      equipement: gilets réfléchissants et capes de pluie")
    assert "exprès" in lines[at - 2] and "T102" in lines[at - 2]
