"""The cases of the deployability rules: `fixtures/regles/base.yaml` (every rule silent) with a
small patch each, and the finding the patched descriptor must give.

A patch is a list of (text of base.yaml, its replacement); each text must occur exactly once in
base.yaml, so that a patch cannot silently stop applying when base.yaml changes. Lines are those
of the patched file (base.yaml's two comment lines included).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from conftest import FIXTURES

BASE = (FIXTURES / "regles" / "base.yaml").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Case:
    """What a case changes in base.yaml, and what must fire: `D101 ligne 22`, or `aucune`."""

    description: str
    attendu: str
    patch: list[tuple[str, str]] = field(default_factory=list)

    def text(self) -> str:
        """base.yaml with the patch applied."""
        text = BASE
        for old, new in self.patch:
            assert BASE.count(old) == 1, f"« {old} » n'apparaît pas une seule fois dans base.yaml"
            text = text.replace(old, new)
        return text

    def expected(self) -> list[tuple[str, int]]:
        """The (code, line) of the finding this case must give, or nothing."""
        if self.attendu == "aucune":
            return []
        code, _, line = self.attendu.partition(" ligne ")
        return [(code, int(line))]


def coeur(count: int) -> str:
    """A cœur of `count` elements, each justified."""
    return "".join(
        f"  - id: element-{i}\n    titre: Élément {i}\n    pourquoi: Parce que.\n"
        for i in range(count)
    )


BASE_COEUR = (
    "  - id: autoreparation\n    titre: On répare soi-même, accompagné\n"
    "    pourquoi: Apprendre à réparer est le but de l'atelier.\n"
)
LOYER = "      nature: investissement\n  delai_lancement_mois: 4\n"
LOYER_ANNUEL = (
    "      nature: investissement\n    - poste: Loyer\n      montant: 1 200\n"
    "      nature: fonctionnement\n  delai_lancement_mois: 4\n"
)
DEGRADE = "      - role: Animateur\n        etp: 0,2\n"


def degrade_loyer_mensuel(montant: int) -> str:
    """The mode dégradé's means with a monthly rent."""
    return (
        DEGRADE + "    financiers:\n      - poste: Loyer\n"
        f"        montant: {montant}\n        nature: fonctionnement\n"
        "        periodicite: mensuel\n"
    )


CASES = {
    "D101-declenche": Case(
        "D101 se déclenche : 8 éléments.",
        "D101 ligne 22",
        [
            (BASE_COEUR, coeur(8)),
        ],
    ),
    "D101-proche": Case(
        "D101 ne se déclenche pas : 7 éléments.",
        "aucune",
        [
            (BASE_COEUR, coeur(7)),
        ],
    ),
    "D102-declenche": Case(
        "D102 se déclenche : sans pourquoi.",
        "D102 ligne 23",
        [
            ("    pourquoi: Apprendre à réparer est le but de l'atelier.\n", ""),
        ],
    ),
    "D103-declenche": Case(
        "D103 se déclenche : ni options ni limites.",
        "D103 ligne 27",
        [
            ("    options: [soirs, samedis]\n", ""),
        ],
    ),
    "D103-proche": Case(
        "D103 ne se déclenche pas : des limites seulement.",
        "aucune",
        [
            (
                "    options: [soirs, samedis]\n",
                "    limites: Au moins une ouverture par semaine.\n",
            ),
        ],
    ),
    "D104-declenche": Case(
        "D104 se déclenche : sans décideur.",
        "D104 ligne 27",
        [
            ("    decideur: Le bureau de l'association\n", ""),
        ],
    ),
    "D105-declenche": Case(
        "D105 se déclenche : pas de mode dégradé.",
        "D105 ligne 3",
        [
            (
                "mode_degrade:\n  description: Une permanence mensuelle dans un local prêté.\n  renoncements: [horaires]\n  moyens:\n    humains:\n      - role: Animateur\n        etp: 0,2\n",
                "",
            ),
        ],
    ),
    "D105-proche": Case(
        "D105 ne se déclenche pas : un mode dégradé sans moyens.",
        "aucune",
        [
            (
                "  renoncements: [horaires]\n  moyens:\n    humains:\n      - role: Animateur\n        etp: 0,2\n",
                "",
            ),
        ],
    ),
    "D106-declenche": Case(
        "D106 se déclenche : renonce au cœur.",
        "D106 ligne 33",
        [
            ("  renoncements: [horaires]\n", "  renoncements: [autoreparation]\n"),
        ],
    ),
    "D106-proche": Case(
        "D106 ne se déclenche pas : à une marge et à un texte voisin.",
        "aucune",
        [
            ("  renoncements: [horaires]\n", "  renoncements: [horaires, autoréparation]\n"),
        ],
    ),
    "D107-declenche": Case(
        "D107 se déclenche : 0,8 ETP par site.",
        "D107 ligne 34",
        [
            ("        etp: 0,2\n", "        etp: 0,8\n"),
        ],
    ),
    "D107-proche": Case(
        "D107 ne se déclenche pas : 0,8 ETP par 10 bénéficiaires (bases différentes).",
        "aucune",
        [
            ("        etp: 0,2\n", "        etp: 0,8\n        par: 10 beneficiaires\n"),
        ],
    ),
    "D108-declenche": Case(
        "D108 se déclenche : aucune marge.",
        "D108 ligne 26",
        [
            (
                "marges:\n  - id: horaires\n    titre: Horaires d'ouverture\n    options: [soirs, samedis]\n    decideur: Le bureau de l'association\n",
                "marges: []\n",
            ),
            ("    adaptations:\n      - marge: horaires\n        choix: samedis\n", ""),
        ],
    ),
    "D201-declenche": Case(
        "D201 se déclenche : pas de financiers.",
        "D201 ligne 38",
        [
            (
                "  financiers:\n    - poste: Outillage\n      montant: 3 000\n      nature: investissement\n",
                "",
            ),
        ],
    ),
    "D201-proche": Case(
        "D201 ne se déclenche pas : un montant nul.",
        "aucune",
        [
            ("      montant: 3 000\n", "      montant: 0\n"),
        ],
    ),
    "D202-declenche": Case(
        "D202 se déclenche : pas de délai.",
        "D202 ligne 38",
        [
            ("  delai_lancement_mois: 4\n", ""),
        ],
    ),
    "D203-declenche": Case(
        "D203 se déclenche : sans formation.",
        "D203 ligne 40",
        [
            ("      formation: Deux semaines d'immersion dans un atelier existant.\n", ""),
        ],
    ),
    "D204-declenche": Case(
        "D204 se déclenche : 10 mois pour 4.",
        "D204 ligne 55",
        [
            (
                "  - titre: Trouver un local\n    duree_mois: 2\n",
                "  - titre: Trouver un local\n    duree_mois: 8\n",
            ),
        ],
    ),
    "D204-proche": Case(
        "D204 ne se déclenche pas : 6 mois pour 4 (écart de moitié exactement).",
        "aucune",
        [
            (
                "  - titre: Trouver un local\n    duree_mois: 2\n",
                "  - titre: Trouver un local\n    duree_mois: 4\n",
            ),
        ],
    ),
    "D205-declenche": Case(
        "D205 se déclenche : un animateur salarié, aucun coût d'ETP.",
        "D205 ligne 40",
        [
            ("  cout_etp_annuel: 40 000\n", ""),
        ],
    ),
    "D205-proche": Case(
        "D205 ne se déclenche pas : sans coût d'ETP, mais l'animateur est bénévole.",
        "aucune",
        [
            ("  cout_etp_annuel: 40 000\n", ""),
            ("      etp: 0,5\n", "      etp: 0,5\n      statut: benevole\n"),
        ],
    ),
    "D206-declenche": Case(
        "D206 se déclenche : un financement sans nature.",
        "D206 ligne 50",
        [
            (
                "  cout_etp_annuel: 40 000\n",
                "  cout_etp_annuel: 40 000\nfinancements:\n  - financeur: Fondation\n"
                "    part: 20\n",
            ),
        ],
    ),
    "D206-proche": Case(
        "D206 ne se déclenche pas : la nature est dite.",
        "aucune",
        [
            (
                "  cout_etp_annuel: 40 000\n",
                "  cout_etp_annuel: 40 000\nfinancements:\n  - financeur: Fondation\n"
                "    nature: mecenat\n    part: 20\n",
            ),
        ],
    ),
    "D301-declenche": Case(
        "D301 se déclenche : aucun résultat.",
        "D301 ligne 3",
        [
            (
                "resultats:\n  - indicateur: Vélos remis en circulation par an\n    valeur: 400\n    date: 2025\n    nature: resultat\n    source: {titre: Rapport d'activité 2025}\n",
                "",
            ),
        ],
    ),
    "D302-declenche": Case(
        "D302 se déclenche : activité seulement.",
        "D302 ligne 16",
        [
            ("    date: 2025\n    nature: resultat\n", "    date: 2025\n    nature: activite\n"),
        ],
    ),
    "D303-declenche": Case(
        "D303 se déclenche : sans source.",
        "D303 ligne 17",
        [
            ("    source: {titre: Rapport d'activité 2025}\n", ""),
        ],
    ),
    "D305-declenche": Case(
        "D305 se déclenche : la source renvoie à la page d'accueil du site.",
        "D305 ligne 21",
        [
            (
                "    source: {titre: Rapport d'activité 2025}\n",
                "    source: {titre: Rapport d'activité 2025, url: 'https://exemple.org/fr/'}\n",
            ),
        ],
    ),
    "D305-page-meme": Case(
        "D305 ne se déclenche pas : l'adresse mène au rapport.",
        "aucune",
        [
            (
                "    source: {titre: Rapport d'activité 2025}\n",
                "    source: {titre: Rapport d'activité 2025, url: 'https://exemple.org/rapport'}\n",
            ),
        ],
    ),
    "D305-requete": Case(
        "D305 ne se déclenche pas : une page d'accueil avec une requête désigne un document.",
        "aucune",
        [
            (
                "    source: {titre: Rapport d'activité 2025}\n",
                "    source: {titre: Rapport d'activité 2025, url: 'https://exemple.org/?id=12'}\n",
            ),
        ],
    ),
    "D304-declenche": Case(
        "D304 se déclenche : 2019 pour 2026-06-01.",
        "D304 ligne 16",
        [
            ("    date: 2025\n", "    date: 2019\n"),
        ],
    ),
    "D304-proche": Case(
        "D304 ne se déclenche pas : 2021.",
        "aucune",
        [
            ("    date: 2025\n", "    date: 2021\n"),
        ],
    ),
    "D401-declenche": Case(
        "D401 se déclenche : sans atténuation.",
        "D401 ligne 53",
        [
            ("    attenuation: Elles sont publiées sous licence libre.\n", ""),
        ],
    ),
    "D402-declenche": Case(
        "D402 se déclenche : aucune dépendance.",
        "D402 ligne 3",
        [
            (
                "dependances:\n  - element: Les fiches de réparation de l'atelier d'origine\n    attenuation: Elles sont publiées sous licence libre.\n",
                "",
            ),
        ],
    ),
    "D403-declenche": Case(
        "D403 se déclenche : aucun contact.",
        "D403 ligne 3",
        [
            ("contacts:\n  - role: Coordination\n    structure: Association de l'atelier\n", ""),
        ],
    ),
    "D501-declenche": Case(
        "D501 se déclenche : aucun acteur public.",
        "D501 ligne 3",
        [
            ("acteurs_publics:\n  - acteur: Commune\n    role: facilitateur\n", ""),
        ],
    ),
    "D501-proche": Case(
        "D501 ne se déclenche pas : un acteur sans rôle.",
        "aucune",
        [
            ("    role: facilitateur\n", ""),
        ],
    ),
    "D601-declenche": Case(
        "D601 se déclenche : aucune étape.",
        "D601 ligne 3",
        [
            (
                "etapes:\n  - titre: Trouver un local\n    duree_mois: 2\n  - titre: Ouvrir l'atelier\n    duree_mois: 2\n",
                "",
            ),
        ],
    ),
    "D701-declenche": Case(
        "D701 se déclenche : aucun indicateur.",
        "D701 ligne 3",
        [
            (
                "indicateurs:\n  - nom: Vélos réparés\n    nature: resultat\n  - nom: Part des réparations faites par les usagers eux-mêmes\n    nature: fidelite\n",
                "",
            ),
        ],
    ),
    "D702-declenche": Case(
        "D702 se déclenche : aucun indicateur de fidélité.",
        "D702 ligne 60",
        [
            ("    nature: fidelite\n", "    nature: activite\n"),
        ],
    ),
    "D801-declenche": Case(
        "D801 se déclenche : risque sans prévention.",
        "D801 ligne 66",
        [
            ("    prevention: Former chaque année de nouveaux bénévoles.\n", ""),
        ],
    ),
    "D802-declenche": Case(
        "D802 se déclenche : ressource sans licence.",
        "D802 ligne 69",
        [
            ("    licence: CC-BY-SA-4.0\n", ""),
        ],
    ),
    "D803-declenche": Case(
        "D803 se déclenche : pas de licence.",
        "D803 ligne 3",
        [
            ("modele_essaimage: souple\nlicence: CC-BY-SA-4.0\n", "modele_essaimage: souple\n"),
        ],
    ),
    "D804-declenche": Case(
        "D804 se déclenche : aucun risque.",
        "D804 ligne 3",
        [
            (
                "risques:\n  - risque: Manque de bénévoles\n    prevention: Former chaque année de nouveaux bénévoles.\n",
                "",
            ),
        ],
    ),
    "D901-declenche": Case(
        "D901 se déclenche : adapte le cœur.",
        "D901 ligne 75",
        [
            (
                "      - marge: horaires\n        choix: samedis\n",
                "      - marge: autoreparation\n        choix: réparé par les bénévoles\n",
            ),
        ],
    ),
    "D902-declenche": Case(
        "D902 se déclenche : aucune reprise.",
        "D902 ligne 3",
        [
            (
                "essaimages:\n  - territoire: {nom: Lyon}\n    adaptations:\n      - marge: horaires\n        choix: samedis\n",
                "",
            ),
        ],
    ),
    # boundaries: the day exactly five years before « mis_a_jour » is not too old, the day before is
    "D304-limite": Case(
        "D304 ne se déclenche pas : résultat du 1er juin 2021 pour une mise à jour du 1er juin 2026.",
        "aucune",
        [("    date: 2025\n", "    date: 2021-06-01\n")],
    ),
    "D304-limite-depassee": Case(
        "D304 se déclenche : résultat du 31 mai 2021 pour une mise à jour du 1er juin 2026.",
        "D304 ligne 16",
        [("    date: 2025\n", "    date: 2021-05-31\n")],
    ),
    # a monthly amount counts twelve times in a year: 150 € par mois > 1 200 € par an
    "D107-mensuel-declenche": Case(
        "D107 se déclenche : loyer de 150 € par mois en mode dégradé, 1 200 € par an sinon.",
        "D107 ligne 34",
        [(LOYER, LOYER_ANNUEL), (DEGRADE, degrade_loyer_mensuel(150))],
    ),
    "D107-mensuel-proche": Case(
        "D107 ne se déclenche pas : loyer de 90 € par mois en mode dégradé, 1 200 € par an sinon.",
        "aucune",
        [(LOYER, LOYER_ANNUEL), (DEGRADE, degrade_loyer_mensuel(90))],
    ),
}
