"""The vocabulary of the format: every enumerated value, and its French label beside it.

Each enumeration is a `Literal` type (what the models accept, what mypy checks) and a mapping of
its values to the French words kits and pages show. `ENUMERATIONS` lists them all; a test checks
that each mapping has exactly the values of its type, and that the models use no other.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

Secteur = Literal[
    "agriculture", "alimentation", "citoyennete", "culture", "economie", "education", "emploi",
    "environnement", "handicap", "inclusion-numerique", "jeunesse", "logement", "mobilite",
    "sante", "securite", "seniors", "social", "sport", "autre",
]  # fmt: skip
SECTEURS: dict[str, str] = {
    "agriculture": "agriculture",
    "alimentation": "alimentation",
    "citoyennete": "citoyenneté",
    "culture": "culture",
    "economie": "économie",
    "education": "éducation",
    "emploi": "emploi",
    "environnement": "environnement",
    "handicap": "handicap",
    "inclusion-numerique": "inclusion numérique",
    "jeunesse": "jeunesse",
    "logement": "logement",
    "mobilite": "mobilité",
    "sante": "santé",
    "securite": "sécurité",
    "seniors": "seniors",
    "social": "social",
    "sport": "sport",
    "autre": "autre",
}

Maturite = Literal["experimentation", "prototype", "deployable", "essaimee", "generalisee"]
MATURITES: dict[str, str] = {
    "experimentation": "Expérimentation",
    "prototype": "Prototype",
    "deployable": "Prête à être déployée",
    "essaimee": "Déjà essaimée",
    "generalisee": "Généralisée",
}

ModeleEssaimage = Literal["souple", "franchise", "centralise", "libre"]
MODELES: dict[str, str] = {
    "souple": "Essaimage souple",
    "franchise": "Franchise sociale",
    "centralise": "Essaimage centralisé (filiale)",
    "libre": "Diffusion libre",
}
MODELES_EXPLICATIONS: dict[str, str] = {
    "souple": "le porteur d'origine partage sa méthode et ses outils ; chaque repreneur est "
    "autonome et s'engage sur le cœur du concept.",
    "franchise": "le repreneur signe un contrat avec la tête de réseau : marque, méthode, "
    "formation et suivi en échange du respect d'un cahier des charges.",
    "centralise": "la structure d'origine ouvre elle-même une antenne ou une filiale sur le "
    "nouveau territoire.",
    "libre": "tout le monde peut reprendre l'innovation librement, sans lien formel avec le "
    "porteur d'origine.",
}

TypeTerritoireValeur = Literal["commune", "epci", "departement", "region", "national", "autre"]
TYPES_TERRITOIRE: dict[str, str] = {
    "commune": "commune",
    "epci": "intercommunalité (EPCI)",
    "departement": "département",
    "region": "région",
    "national": "national",
    "autre": "autre",
}
OFFICIAL_TYPES = ("commune", "epci", "departement", "region")  # the types of the reference

TypeStructureValeur = Literal[
    "collectivite", "etat", "etablissement-public", "association", "entreprise", "autre"
]
TYPES_STRUCTURE: dict[str, str] = {
    "collectivite": "collectivité",
    "etat": "État",
    "etablissement-public": "établissement public",
    "association": "association",
    "entreprise": "entreprise",
    "autre": "autre",
}

NatureResultat = Literal["resultat", "activite"]
NATURES_RESULTAT: dict[str, str] = {"resultat": "résultat", "activite": "activité"}

RoleActeur = Literal[
    "financeur", "prescripteur", "facilitateur", "operateur", "regulateur", "parrain"
]
ROLES_ACTEUR: dict[str, str] = {
    "financeur": "Financeur",
    "prescripteur": "Prescripteur",
    "facilitateur": "Facilitateur",
    "operateur": "Opérateur",
    "regulateur": "Régulateur",
    "parrain": "Parrain",
}

NatureIndicateur = Literal["resultat", "activite", "fidelite"]
NATURES_INDICATEUR: dict[str, str] = {
    "resultat": "Résultat",
    "activite": "Activité",
    "fidelite": "Fidélité",
}

TypeRessource = Literal["guide", "outil", "modele", "formation", "video", "autre"]
TYPES_RESSOURCE: dict[str, str] = {
    "guide": "Guide",
    "outil": "Outil",
    "modele": "Modèle de document",
    "formation": "Formation",
    "video": "Vidéo",
    "autre": "Autre",
}

NatureFinance = Literal["investissement", "fonctionnement"]
NATURES_FINANCE: dict[str, str] = {
    "investissement": "Investissement",
    "fonctionnement": "Fonctionnement",
}

Periodicite = Literal["unique", "annuel", "mensuel"]
PERIODICITES: dict[str, str] = {"unique": "une fois", "annuel": "par an", "mensuel": "par mois"}

Phase = Literal["fonctionnement", "preparation", "preparation-et-fonctionnement"]
PHASES: dict[str, str] = {
    "fonctionnement": "à partir du lancement",
    "preparation": "pendant la préparation seulement",
    "preparation-et-fonctionnement": "dès le début de la préparation",
}

StatutHumain = Literal["salarie", "benevole", "mise-a-disposition", "prestation"]
STATUTS: dict[str, str] = {
    "salarie": "salarié",
    "benevole": "bénévole",
    "mise-a-disposition": "mis à disposition",
    "prestation": "prestation",
}
# The report formats of `validate -f` and `--rapport`, in the order the help gives them: the
# one list the command line reads (reporters.FORMATS has a renderer for each, checked there).
REPORT_FORMATS = ("text", "json", "github", "gitlab", "junit", "sarif")

STATUTS_PAYES = ("salarie", "prestation")  # the people whose time the repreneur pays

NatureFinancement = Literal[
    "subvention", "prestation", "mecenat", "appel-a-projets", "fonds-europeens",
    "participation-usagers", "autofinancement", "autre",
]  # fmt: skip
NATURES_FINANCEMENT: dict[str, str] = {
    "subvention": "subvention",
    "prestation": "prestation",
    "mecenat": "mécénat",
    "appel-a-projets": "appel à projets",
    "fonds-europeens": "fonds européens",
    "participation-usagers": "participation des usagers",
    "autofinancement": "apport du repreneur",
    "autre": "autre",
}

PorteSur = Literal["investissement", "fonctionnement", "tout"]
PORTE_SUR: dict[str, str] = {
    "investissement": "investissement",
    "fonctionnement": "fonctionnement",
    "tout": "tout le budget",
}
DE_PORTE_SUR: dict[str, str] = {
    "investissement": "de l'investissement",
    "fonctionnement": "du fonctionnement",
    "tout": "de tout le budget",
}  # "30 % du fonctionnement": the French contraction of « de le »

TypeSelection = Literal["commune", "epci", "departement"]
TYPES_SELECTION: dict[str, str] = {
    "commune": "communes",
    "epci": "intercommunalités (EPCI)",
    "departement": "départements",
}

OrdreSelection = Literal["population-decroissante", "population-croissante", "nom"]
ORDRES_SELECTION: dict[str, str] = {
    "population-decroissante": "les plus peuplés d'abord",
    "population-croissante": "les moins peuplés d'abord",
    "nom": "par ordre alphabétique",
}

NiveauRegleValeur = Literal["erreur", "avertissement", "info", "ignorer"]
NIVEAUX_REGLE: dict[str, str] = {
    "erreur": "erreur",
    "avertissement": "avertissement",
    "info": "info",
    "ignorer": "ignorer (la règle ne s'applique pas)",
}

ArticleValeur = Literal["le", "la", "les", "l'", "aucun"]
ARTICLES_NOM: dict[str, str] = {
    "le": "le (« pour le Pays de Redon », « du Pays de Redon »)",
    "la": "la (« pour la Communauté de communes… »)",
    "les": "les (« pour les Sables », « des Sables »)",
    "l'": "l' (« pour l'Agglomération du Cotentin »)",
    "aucun": "aucun article (« pour Quimper », « de Quimper »)",
}

StatutRetour = Literal["en-preparation", "en-fonctionnement", "suspendu", "arrete"]
STATUTS_RETOUR: dict[str, str] = {
    "en-preparation": "en préparation",
    "en-fonctionnement": "en fonctionnement",
    "suspendu": "suspendue",
    "arrete": "arrêtée",
}  # said of « la reprise »: feminine, as kits write them
STATUTS_RETOUR_PLURIEL: dict[str, str] = {
    "en-preparation": "en préparation",
    "en-fonctionnement": "en fonctionnement",
    "suspendu": "suspendues",
    "arrete": "arrêtées",
}
STATUTS_ARRET = ("suspendu", "arrete")  # the statuses that need a `raison_arret`

Respect = Literal["oui", "en-partie", "non"]
RESPECTS: dict[str, str] = {
    "oui": "respecté",
    "en-partie": "respecté en partie",
    "non": "non respecté",
}

NatureAdaptation = Literal[
    "ajout", "retrait", "remplacement", "raccourcissement", "allongement", "ordre", "autre"
]
NATURES_ADAPTATION: dict[str, str] = {
    "ajout": "ajout",
    "retrait": "retrait",
    "remplacement": "remplacement",
    "raccourcissement": "raccourcissement",
    "allongement": "allongement",
    "ordre": "changement d'ordre",
    "autre": "autre",
}

MomentAdaptation = Literal["preparation", "lancement", "fonctionnement", "extension"]
MOMENTS_ADAPTATION: dict[str, str] = {
    "preparation": "pendant la préparation",
    "lancement": "au lancement",
    "fonctionnement": "en fonctionnement",
    "extension": "à l'extension",
}

VerdictPrerequis = Literal["confirme", "pas-necessaire", "insuffisant"]
VERDICTS_PREREQUIS: dict[str, str] = {
    "confirme": "confirmé",
    "pas-necessaire": "pas nécessaire",
    "insuffisant": "insuffisant",
}

ENUMERATIONS: dict[str, tuple[Any, Mapping[str, str]]] = {
    "article": (ArticleValeur, ARTICLES_NOM),
    "secteur": (Secteur, SECTEURS),
    "maturite": (Maturite, MATURITES),
    "modele_essaimage": (ModeleEssaimage, MODELES),
    "type_territoire": (TypeTerritoireValeur, TYPES_TERRITOIRE),
    "type_structure": (TypeStructureValeur, TYPES_STRUCTURE),
    "nature_resultat": (NatureResultat, NATURES_RESULTAT),
    "role_acteur": (RoleActeur, ROLES_ACTEUR),
    "nature_indicateur": (NatureIndicateur, NATURES_INDICATEUR),
    "type_ressource": (TypeRessource, TYPES_RESSOURCE),
    "nature_finance": (NatureFinance, NATURES_FINANCE),
    "periodicite": (Periodicite, PERIODICITES),
    "phase": (Phase, PHASES),
    "niveau_regle": (NiveauRegleValeur, NIVEAUX_REGLE),
    "statut": (StatutHumain, STATUTS),
    "nature_financement": (NatureFinancement, NATURES_FINANCEMENT),
    "porte_sur": (PorteSur, PORTE_SUR),
    "type_selection": (TypeSelection, TYPES_SELECTION),
    "ordre_selection": (OrdreSelection, ORDRES_SELECTION),
    "statut_retour": (StatutRetour, STATUTS_RETOUR),
    "respect": (Respect, RESPECTS),
    "nature_adaptation": (NatureAdaptation, NATURES_ADAPTATION),
    "moment_adaptation": (MomentAdaptation, MOMENTS_ADAPTATION),
    "verdict_prerequis": (VerdictPrerequis, VERDICTS_PREREQUIS),
}
"""Every enumeration of the format: its values (a Literal type) and their French labels."""
