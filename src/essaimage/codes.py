"""Stable finding codes of the loader, the schema and the in-file checks, with their French titles.

Codes never change meaning once published: reports, CI annotations and user configuration refer to them.
Y = reading the YAML file, S = the descriptor format (schema), C = consistency inside one file,
K = preparing a kit, X = internal error.
"""

from __future__ import annotations

CODES: dict[str, str] = {
    # Reading the file
    "Y001": "fichier illisible",
    "Y002": "encodage non UTF-8",
    "Y003": "fichier vide",
    "Y004": "fichier trop volumineux",
    "Y005": "syntaxe YAML invalide",
    "Y006": "tabulation dans l'indentation",
    "Y007": "plusieurs documents dans un fichier",
    "Y008": "la racine n'est pas une table de clés",
    "Y009": "clé en double",
    "Y010": "étiquette YAML interdite",
    "Y011": "trop d'alias YAML",
    "Y012": "imbrication trop profonde",
    "Y013": "clé non textuelle",
    # The format
    "S100": "version de format non prise en charge",
    "S101": "champ obligatoire manquant",
    "S102": "clé inconnue",
    "S103": "valeur hors de la liste autorisée",
    "S104": "type de valeur incorrect",
    "S105": "longueur incorrecte",
    "S106": "nombre hors des bornes",
    "S107": "lien invalide",
    "S108": "adresse électronique invalide",
    "S109": "date invalide",
    "S110": "identifiant invalide",
    "S111": "base de calcul « par » invalide",
    "S112": "identifiant de licence invalide",
    "S113": "valeur invalide",
    # Consistency inside one file
    "C201": "identifiant en double",
    "C202": "identifiant à la fois dans le cœur et dans les marges",
    "C203": "adaptation d'une marge inconnue",
    "C204": "fichier de ressource introuvable",
    "C205": "ressource avec à la fois « url » et « chemin », ou aucun des deux",
    "C206": "territoire non identifié",
    "C207": "code INSEE inconnu",
    # Between the files of a repository
    "R101": "identifiant d'innovation déjà utilisé",
    "R102": "projet pour une innovation inconnue",
    "R103": "choix pour une marge inconnue",
    # Kits
    "K301": "choix pour une marge inconnue",
    # Internal
    "X900": "erreur interne",
}


def title(code: str) -> str:
    """The French title of a code."""
    return CODES[code]
