"""« Ce que disent les reprises » (issue 26 point 3): the descriptor's take-overs and the
repository's reports as one list in every later kit and on the site, the closest first, with the
real figures beside the planned ones; a report with errors is set aside and named."""

from __future__ import annotations

import pytest

from essaimage.check.pipeline import check_file
from essaimage.kit import means, reprises
from essaimage.kit.prepare import prepare
from essaimage.kit.target import resolve_target
from essaimage.render.engine import render_all
from helpers import invoke, lisible

LANNION = """essaimage: 1
retour:
  innovation: pedibus
  territoire: {code_insee: "22113", type: commune}
  porteur: {nom: Ville de Lannion, type: collectivite}
  date: 2028-06-30
  debut: 2027-05-01
  lancement: 2027-11-06
  statut: en-fonctionnement
  fidelite:
    - coeur: trajet-a-pied-encadre
      respecte: oui
    - coeur: gratuite
      respecte: en-partie
      commentaire: Une adhésion de 5 euros par famille à l'association.
  adaptations:
    - marge: frequence
      choix: tous les matins seulement
      planifiee: oui
      raison: Les parents travaillent le soir.
    - marge: equipement
      choix: capes de pluie
      planifiee: non
      raison: La pluie bretonne.
  moyens_reels:
    humains:
      - role: Coordination du réseau de lignes
        etp: 0,3
        par: 100 beneficiaires
    financiers:
      - poste: Signalétique des arrêts (panneaux, marquage)
        montant: 2 000
        nature: investissement
        par: site
  financements_obtenus:
    - financeur: Région Bretagne
      nature: subvention
      porte_sur: investissement
      montant: 3 000
  prerequis:
    - description: Une école élémentaire d'au moins une centaine d'élèves
      verdict: confirme
  resultats:
    - indicateur: Enfants inscrits
      valeur: 64
      date: 2028
  conseils: Commencer par *une* ligne.
  contact: {role: Service éducation, structure: Ville de Lannion, courriel: education@lannion.fr}
"""

RENNES = """essaimage: 1
retour:
  innovation: pedibus
  territoire: {code_insee: "35238", type: commune}
  porteur: {nom: Ville de Rennes}
  date: 2028-09-01
  statut: arrete
  raison_arret: Plus de bénévoles après le départ de l'association.
  fidelite:
    - coeur: gratuite
      respecte: oui
  adaptations:
    - marge: equipement
      choix: capes de pluie
      planifiee: non
      raison: Demandé par les parents.
  moyens_reels:
    humains:
      - role: Coordination du réseau de lignes
        etp: 0,1
        par: 100 beneficiaires
    delai_lancement_mois: 7
  prerequis:
    - description: Une école élémentaire d'au moins une centaine d'élèves
      verdict: pas-necessaire
"""


@pytest.fixture
def repo(examples_repo):
    """The examples, with two reports on the Pédibus instead of the example's (Manosque)."""
    (examples_repo / "retours" / "pedibus-manosque.yaml").unlink()
    (examples_repo / "retours" / "lannion-2028.yaml").write_text(LANNION, encoding="utf-8")
    (examples_repo / "retours" / "rennes-2028.yaml").write_text(RENNES, encoding="utf-8")
    return examples_repo


def _section(repo, target="saint-brieuc", fmt="md"):
    descriptor = check_file(repo / "innovations" / "pedibus.yaml")
    kit = prepare(descriptor.innovation, descriptor, resolve_target(target, [repo / "territoires"]))
    text = render_all(kit, [fmt])[fmt]
    start = text.index("## 6. Ce que disent" if fmt == "md" else 'id="titre-reprises"')
    return kit, lisible(text[start : text.index("Gouvernance", start)])


def test_the_reports_validate(repo):
    result = invoke("validate", "retours", "--sans-contexte")
    assert result.exit_code == 0, result.output


def test_the_kit_says_what_the_take_overs_taught(repo):
    kit, md = _section(repo)
    r = kit.reprises
    assert r is not None and r.retours == 2
    assert r.resume == "2 reprises : 1 en fonctionnement, 1 arrêtée."
    # Saint-Brieuc (a commune of about 45 000): Lannion (about 20 000) is nearer than Rennes
    assert [p.territoire for p in r.liste] == ["Lannion", "Rennes"]
    assert r.liste[0].plus_proche and not r.liste[1].plus_proche
    assert "La reprise la plus proche de votre territoire : Lannion (commune," in md
    assert "Rennes, arrêtée (retour du 1er septembre 2028) : plus de bénévoles" in md
    assert (
        "Un service gratuit pour les familles : respecté par 1 reprise sur 2, en partie par 1."
        in md
    )
    assert "Une adhésion de 5 euros par famille à l'association (Lannion)." in md
    equipement = next(a for a in r.adaptations if a.marge.startswith("Équipement"))
    assert equipement.phrase == "adaptée 2\u00a0fois (2 face à un problème)"
    assert [(c.choix, c.nombre, c.hors_options) for c in equipement.choix] == [
        ("capes de pluie", 2, True)
    ]
    frequence = next(a for a in r.adaptations if a.marge.startswith("Jours"))
    assert [(c.choix, c.hors_options) for c in frequence.choix] == [
        ("tous les matins seulement", False)
    ]


def test_real_means_beside_the_planned_ones(repo):
    kit, md = _section(repo)
    r = kit.reprises
    coordination = next(m for m in r.moyens if m.libelle.startswith("Coordination"))
    per = "par " + means.base_label(kit.innovation.moyens.humains[0].par)  # « 100 bénéficiaires »
    assert coordination.prevu == f"0,1\u00a0ETP {per}"
    assert coordination.reel == f"0,1 à 0,3\u00a0ETP {per}"
    assert coordination.detail.startswith("Lannion : 0,3\u00a0ETP")
    assert not coordination.hors_fourchette  # 0,1 is the low end
    sign = next(m for m in r.moyens if m.libelle.startswith("Signalétique"))
    assert (lisible(sign.prevu), lisible(sign.reel)) == (
        "1 500 € par site, une fois",
        "2 000 € par site, une fois",
    )
    assert sign.hors_fourchette
    # Lannion: 1 May to 6 November = 6,2 months; Rennes: 7 months; planned: 4
    assert r.delai is not None
    assert (r.delai.prevu, r.delai.reel) == ("4\u00a0mois", "6,2 à 7\u00a0mois")
    assert r.delai.hors_fourchette
    assert "| Délai de préparation | 4 mois | 6,2 à 7 mois" in md
    assert [(v.description[:20], v.phrase) for v in r.prerequis] == [
        ("Une école élémentair", "confirmé par 1 reprise, pas nécessaire pour 1 reprise")
    ]
    assert (
        "| Lannion | Région Bretagne | subvention | 3 000 €, au titre de l'investissement |" in md
    )
    assert "| Lannion | Enfants inscrits | 64 | résultat | 2028 | non sourcé |" in md
    assert "Commencer par *une* ligne." in md or "Commencer par _une_ ligne." in md
    assert "education@lannion.fr" in md


def test_a_hand_written_take_over_and_a_report_on_one_territory_are_one(repo):
    path = repo / "innovations" / "pedibus.yaml"
    text = path.read_text(encoding="utf-8")
    text += (
        "essaimages:\n"
        '  - territoire: {nom: Lannion, code_insee: "22113", type: commune}\n'
        "    depuis: 2027\n"
        "    retour: Les familles ont porté la ligne dès la rentrée.\n"
        "  - territoire: {nom: Quimper}\n"
        "    depuis: 2015\n"
    )
    path.write_text(text, encoding="utf-8")
    kit, md = _section(repo)
    names = [p.territoire for p in kit.reprises.liste]
    assert sorted(names) == ["Lannion", "Quimper", "Rennes"]
    assert kit.reprises.resume == (
        "3 reprises : 1 en fonctionnement, 1 arrêtée, 1 sans retour d'essaimage."
    )
    lannion = next(p for p in kit.reprises.liste if p.territoire == "Lannion")
    assert lannion.depuis == "6 novembre 2027"  # the report's launch, not « 2027 »
    assert "Les familles ont porté la ligne" in md


def test_a_report_with_errors_is_set_aside_and_named(repo):
    (repo / "retours" / "casse.yaml").write_text(
        RENNES.replace("coeur: gratuite", "coeur: gratuit"), encoding="utf-8"
    )
    (repo / "retours" / "autre.yaml").write_text(
        LANNION.replace("innovation: pedibus", "innovation: repair-cafe"), encoding="utf-8"
    )
    kit, md = _section(repo)
    assert kit.reprises.ecartes == ["retours/casse.yaml"]
    assert kit.reprises.retours == 2  # the repair café's report is not pedibus's
    assert "n'est pas compté ici : il a des erreurs à corriger (retours/casse.yaml)" in md
    assert invoke("validate", "retours/casse.yaml").exit_code == 1  # validate agrees


def test_no_take_over_says_so(examples_repo):
    (examples_repo / "retours" / "pedibus-manosque.yaml").unlink()
    descriptor = check_file(examples_repo / "innovations" / "pedibus.yaml")
    assert reprises.gather(descriptor.innovation, descriptor, "commune", 1000) is None
    kit, md = _section(examples_repo)
    assert "L'innovation est dite généralisée, mais ni la fiche" in md


def test_the_html_kit_and_the_site_show_them(repo):
    _, html = _section(repo, fmt="html")
    assert 'aria-labelledby="titre-liste-reprises"' in html
    assert '<th scope="row">Lannion (commune' in html
    result = invoke("site")
    assert result.exit_code == 0, result.output
    page = lisible((repo / "public" / "innovations" / "pedibus.html").read_text(encoding="utf-8"))
    assert "Ce que disent les reprises" in page
    assert "2 reprises : 1 en fonctionnement, 1 arrêtée." in page
    assert "Rennes, arrêtée : plus de bénévoles" in page


def test_a_report_that_does_not_even_read_is_named_too(examples_repo):
    """A YAML error in a report on the innovation: validate fails on it, and the kit and the
    catalogue say they leave it aside instead of showing fewer take-overs without a word."""
    (examples_repo / "retours" / "casse.yaml").write_text(
        "essaimage: 1\nretour:\n  innovation: pedibus\n  date: [oops\n", encoding="utf-8"
    )
    descriptor = check_file(examples_repo / "innovations" / "pedibus.yaml")
    found = reprises.gather(descriptor.innovation, descriptor, "commune", 40000)
    assert found is not None and found.ecartes == ["retours/casse.yaml"]
    result = invoke("catalogue", "-t", "22278", "-f", "json")
    assert result.exit_code == 0 and "retours/casse.yaml" in result.stderr
    other = reprises.gather(*_repair_cafe(examples_repo), "commune", 40000)
    assert other is not None and other.ecartes == []  # another innovation's report: not named


def _repair_cafe(repo):
    checked = check_file(repo / "innovations" / "repair-cafe.yaml")
    return checked.innovation, checked


def test_a_report_validate_refuses_between_files_is_not_counted(repo):
    """A report whose plan the repository does not have (R115) fails validate on it alone (the
    hook): the kit does not count it either — the kit and validate agree on what an error is."""
    path = repo / "retours" / "rennes-2028.yaml"
    path.write_text(
        RENNES.replace("  date: 2028-09-01\n", "  date: 2028-09-01\n  plan: pedibus-bretagn\n"),
        encoding="utf-8",
    )
    assert invoke("validate", "retours/rennes-2028.yaml").exit_code == 1
    kit, md = _section(repo)
    assert kit.reprises.ecartes == ["retours/rennes-2028.yaml"]
    assert [p.territoire for p in kit.reprises.liste] == ["Lannion"]
