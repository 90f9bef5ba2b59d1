"""French labels of the format's enumerated values, as kits and messages show them."""

from __future__ import annotations

TYPES_TERRITOIRE = {
    "commune": "commune",
    "epci": "intercommunalité (EPCI)",
    "departement": "département",
    "region": "région",
    "national": "national",
    "autre": "autre",
}

MATURITES = {
    "experimentation": "Expérimentation",
    "prototype": "Prototype",
    "deployable": "Prête à être déployée",
    "essaimee": "Déjà essaimée",
    "generalisee": "Généralisée",
}

MODELES = {
    "souple": "Essaimage souple",
    "franchise": "Franchise sociale",
    "centralise": "Essaimage centralisé (filiale)",
    "libre": "Diffusion libre",
}

MODELES_EXPLICATIONS = {
    "souple": "le porteur d'origine partage sa méthode et ses outils ; chaque repreneur est "
    "autonome et s'engage sur le cœur du concept.",
    "franchise": "le repreneur signe un contrat avec la tête de réseau : marque, méthode, "
    "formation et suivi en échange du respect d'un cahier des charges.",
    "centralise": "la structure d'origine ouvre elle-même une antenne ou une filiale sur le "
    "nouveau territoire.",
    "libre": "tout le monde peut reprendre l'innovation librement, sans lien formel avec le "
    "porteur d'origine.",
}

ROLES_ACTEUR = {
    "financeur": "Financeur",
    "prescripteur": "Prescripteur",
    "facilitateur": "Facilitateur",
    "operateur": "Opérateur",
    "regulateur": "Régulateur",
    "parrain": "Parrain",
}

TYPES_STRUCTURE = {
    "collectivite": "collectivité",
    "etat": "État",
    "etablissement-public": "établissement public",
    "association": "association",
    "entreprise": "entreprise",
    "autre": "autre",
}

NATURES_INDICATEUR = {"resultat": "Résultat", "activite": "Activité", "fidelite": "Fidélité"}

NATURES_FINANCE = {"investissement": "Investissement", "fonctionnement": "Fonctionnement"}

TYPES_RESSOURCE = {
    "guide": "Guide",
    "outil": "Outil",
    "modele": "Modèle de document",
    "formation": "Formation",
    "video": "Vidéo",
    "autre": "Autre",
}

SECTEURS = {
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
