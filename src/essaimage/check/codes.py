"""The registry of finding codes: each code with its French title, default level and help.

Codes never change meaning once published: reports, CI annotations and user configuration refer
to them. Y = reading the YAML file, S = the descriptor format, C = consistency inside one file,
R = between the files of a repository, D = deployability rules of a descriptor, T = rules checked
when a kit is made, K = preparing a kit, X = internal error.

The codes of this module are registered here; the rules (D, T) register themselves, with their
check, from the `rules` package. `catalogue.codes()` gives the complete registry.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..findings import Severity

ERREUR, AVERTISSEMENT, INFO = Severity.ERREUR, Severity.AVERTISSEMENT, Severity.INFO


@dataclass(frozen=True)
class Code:
    """A finding code: what it is called, how serious it is by default, how to fix it."""

    code: str
    titre: str
    niveau: Severity
    aide: str


REGISTRY: dict[str, Code] = {}


def register(entry: Code) -> Code:
    """Add a code to the registry; a code is registered once."""
    if entry.code in REGISTRY:
        raise ValueError(f"code {entry.code} registered twice")
    REGISTRY[entry.code] = entry
    return entry


FAMILY_TAGS = {
    "Y": "yaml", "S": "format", "C": "coherence", "R": "depot", "K": "kit", "X": "interne",
    "D": "deployabilite", "T": "territoire",
}  # fmt: skip
"""The family of a code by its letter: SARIF's tags and the reports read it here."""


def family_tag(code: str) -> str:
    """The family a code belongs to (« format », « interne »…), by its first letter."""
    return FAMILY_TAGS[code[0]]


_AIDE_FAMILLE = {
    "Y": "Le fichier doit être du YAML valide en UTF-8 : corrigez la syntaxe à la ligne indiquée.",
    "S": "Le fichier doit suivre le format essaimage v1 : clés, types et valeurs permises (docs/format.md).",
    "C": "Les éléments d'un même fichier doivent être cohérents entre eux (docs/format.md).",
    "R": "Les fichiers d'un dépôt doivent être cohérents entre eux : identifiants uniques, projets et choix connus.",
    "K": "Le profil du territoire doit correspondre à l'innovation dont il prépare le kit ; les "
    "gabarits du dépôt doivent pouvoir le produire.",
    "X": "Erreur interne d'essaimage : signalez-la aux mainteneurs avec le fichier concerné.",
}

_TITRES = {
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
    "S114": "point ou virgule des milliers dans un nombre",
    # Consistency inside one file
    "C201": "identifiant en double",
    "C202": "identifiant à la fois dans le cœur et dans les marges",
    "C203": "adaptation d'une marge inconnue",
    "C204": "fichier de ressource introuvable",
    "C205": "ressource avec à la fois « url » et « chemin », ou aucun des deux",
    "C207": "code INSEE inconnu",
    "C208": "moyen retiré par une option introuvable",
    "C209": "parts de financement au-delà de 100 %",
    "C210": "cible de plan nommée deux fois",
    "C211": "fichier nommé par un plan introuvable",
    "C212": "calendrier du plan au-delà de 100 ans",
    "C213": "trop de cibles ou de sélections dans un plan",
    "C214": "sites des options choisies différents des sites du projet",
    "C215": "dates d'un retour dans le mauvais ordre",
    "C216": "reprise suspendue ou arrêtée sans sa raison",
    "C218": "profil nommé par un retour introuvable",
    # Between the files of a repository
    "R101": "identifiant d'innovation déjà utilisé",
    "R102": "projet pour une innovation inconnue",
    "R103": "choix pour une marge inconnue",
    "R104": "plan pour une innovation inconnue",
    "R105": "identifiant de plan déjà utilisé",
    "R106": "plan qui nomme un profil inconnu",
    "R107": "moyen ou rôle nommé par un profil inconnu",
    "R108": "retour pour une innovation inconnue",
    "R109": "élément du cœur inconnu nommé par un retour",
    "R110": "marge inconnue nommée par un retour",
    "R111": "prérequis inconnu nommé par un retour",
    "R114": "retour dans un plan qui ne vise pas son territoire",
    "R115": "plan inconnu nommé par un retour",
    "R116": "profil inconnu nommé par un retour",
    # Kits
    "K302": "gabarit personnalisé qui ne peut pas produire le kit",
    # Internal
    "X900": "erreur interne",
}

# K301 (a choice for an unknown marge, a warning when a kit was made) is R103 everywhere since
# issue 22: `kit` and `plan` refuse what `validate` calls an error.
for _code, _titre in _TITRES.items():
    register(Code(_code, _titre, ERREUR, _AIDE_FAMILLE[_code[0]]))

# The take-over reports' remarks that are not errors: what a report says is kept as it is, and
# the descriptor's authors are told what it teaches.
register(Code("C217", "donnée personnelle dans un retour", AVERTISSEMENT,
              "Un retour d'essaimage est publié : il ne garde du contact que son rôle, sa "
              "structure et une adresse professionnelle."))  # fmt: skip
register(Code("C219", "élément du cœur changé ou non respecté par une reprise", AVERTISSEMENT,
              "Sur cet élément, la reprise n'est plus l'innovation : dites pourquoi ; si elle "
              "marche quand même, l'élément n'est peut-être pas du cœur."))  # fmt: skip
register(Code("C220", "texte du squelette laissé dans un retour", AVERTISSEMENT,
              "Un retour écrit par essaimage init retour garde ses textes d'exemple tant qu'on ne "
              "les remplace pas : les kits montreraient une reprise qui n'existe pas."))  # fmt: skip
register(Code("R112", "choix hors des options de la marge", INFO,
              "Une reprise a fait un choix que la marge ne prévoit pas : c'est peut-être une "
              "option à ajouter au descripteur."))  # fmt: skip
