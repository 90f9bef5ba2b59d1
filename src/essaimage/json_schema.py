"""A JSON Schema of essaimage's files, for editors (completion, hover help, live checks).

It is derived from the Pydantic models, with French titles and descriptions, and it is as lenient
as essaimage itself: a text field accepts any scalar (`code_insee: 01053` is a number for a YAML
parser, a text for essaimage), a number field accepts French-written numbers (`1 500`, `0,5`),
a boolean field accepts oui/non. What only essaimage can check (ids that refer to each other, files
that exist, the territory reference) stays out of the schema.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Literal, Union

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from . import catalogue, models, scalars
from .scalars import Base

SCALAR = {"type": ["string", "number", "integer", "boolean"]}
NUMBER_TEXT = r"^[+-]?((([0-9]{1,3}([  \u202f\u2009][0-9]{3})+)|[0-9]+)([.,][0-9]+)?|[.,][0-9]+)$"
INTEGER_TEXT = r"^[+-]?([0-9]{1,3}([  \u202f\u2009][0-9]{3})+|[0-9]+)$"
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
YEAR_OR_DATE = r"^[0-9]{4}(-[0-9]{2}-[0-9]{2})?$"
BASE = (
    r"^([sS][iI][tT][eE]|([0-9][0-9  \u202f.,]*)?[  ]*([hH][aA][bB][iI][tT][aA][nN][tT][sS]?|"
    r"[bB][eEéÉ][nN][eEéÉ][fF][iI][cC][iI][aA][iI][rR][eE][sS]?))$"
)
BOOLEAN_TEXT = r"^([oO][uU][iI]|[nN][oO][nN]|[tT][rR][uU][eE]|[fF][aA][lL][sS][eE])$"

MODEL_DOCS = {
    "Innovation": (
        "Descripteur d'innovation",
        "Une innovation qui a fait ses preuves, décrite pour être reprise ailleurs.",
    ),
    "Profil": (
        "Profil de territoire",
        "Le territoire qui reprend des innovations, et ses projets.",
    ),
    "Configuration": (
        "Configuration du dépôt",
        "essaimage.yaml, à la racine d'un dépôt de descripteurs.",
    ),
    "Territoire": ("Territoire", "Un territoire : nom, code INSEE, type et population."),
    "TerritoireProfil": (
        "Territoire receveur",
        "Le nom peut manquer si code_insee et type désignent un territoire officiel.",
    ),
    "Structure": ("Structure", "Une organisation."),
    "Reference": ("Lien", "Un titre et, s'il est en ligne, son adresse."),
    "Resultat": ("Résultat", "Une preuve que l'innovation a fait ses preuves."),
    "ElementCoeur": ("Élément du cœur", "Un élément non négociable du concept."),
    "Marge": ("Marge d'adaptation", "Ce qu'un repreneur peut adapter, dans des limites."),
    "MoyenHumain": ("Moyen humain", "Un rôle et son temps de travail."),
    "MoyenFinancier": ("Moyen financier", "Un poste de dépense."),
    "MoyenMateriel": ("Moyen matériel", "Un équipement."),
    "Partenaire": ("Partenaire", "Un partenaire nécessaire."),
    "Moyens": ("Moyens", "Humains, financiers, matériels, partenaires et délai de lancement."),
    "MoyensRequis": ("Moyens nécessaires", "Au moins un élément dans l'une des listes."),
    "ModeDegrade": ("Mode dégradé", "La version minimale quand les moyens manquent."),
    "Prerequis": ("Prérequis", "Une condition dans le territoire receveur."),
    "ActeurPublic": ("Acteur public", "Un acteur public et son rôle structurant."),
    "Dependance": ("Dépendance", "Ce qui dépend encore du porteur d'origine."),
    "Etape": ("Étape", "Une étape de la feuille de route."),
    "Indicateur": ("Indicateur", "Un indicateur d'évaluation ou de fidélité."),
    "Risque": ("Risque", "Un risque ou piège à éviter."),
    "CadreJuridique": ("Cadre juridique", "Le cadre juridique de l'innovation."),
    "Ressource": ("Ressource", "Un lien web (url) ou un fichier à côté du descripteur (chemin)."),
    "Adaptation": ("Adaptation", "Ce qu'une reprise a changé dans une marge."),
    "Essaimage": ("Reprise", "Une reprise précédente de l'innovation."),
    "Contact": ("Contact", "À qui s'adresser."),
    "Transposition": ("Transposition", "Une piste pour un autre secteur."),
    "Origine": ("Origine", "Où l'innovation a fait ses preuves."),
    "ContactProfil": ("Contact", "La personne à contacter chez le repreneur."),
    "Porteur": ("Repreneur", "La structure qui reprend l'innovation."),
    "PartenaireLocal": ("Partenaire local", "Un partenaire du repreneur."),
    "Projet": ("Projet", "Le projet du territoire pour une innovation."),
    "ReglesParChemin": (
        "Niveaux par chemin",
        "Niveaux des règles pour les fichiers qui correspondent à des motifs.",
    ),
}

FIELD_DOCS = {
    "essaimage": ("Version du format", "Toujours 1.", 1),
    "id": (
        "Identifiant",
        "Minuscules sans accents, chiffres et tirets ; unique dans le dépôt.",
        "atelier-velo",
    ),
    "nom": ("Nom", None, None),
    "accroche": ("Accroche", "Une phrase : quoi, pour qui.", None),
    "secteurs": ("Secteurs", None, None),
    "secteur": ("Secteur", None, None),
    "piste": ("Piste", "Comment transposer l'innovation à ce secteur.", None),
    "transpositions": ("Transpositions", "Pistes pour d'autres secteurs.", None),
    "maturite": ("Maturité", None, None),
    "modele_essaimage": (
        "Modèle d'essaimage",
        "souple, franchise (sociale), centralise (filiale) ou libre.",
        None,
    ),
    "licence": ("Licence", "Identifiant SPDX.", "CC-BY-SA-4.0"),
    "mis_a_jour": ("Mise à jour", "Date de la dernière relecture (AAAA-MM-JJ).", "2026-10-15"),
    "origine": ("Origine", None, None),
    "territoire": ("Territoire", None, None),
    "porteur": ("Porteur", None, None),
    "depuis": ("Depuis", "Année (AAAA) ou date (AAAA-MM-JJ).", 2014),
    "probleme": ("Problème", "Le problème traité (Markdown).", None),
    "solution": ("Solution", "Ce que fait l'innovation (Markdown).", None),
    "public_cible": ("Public cible", None, None),
    "pourquoi_ca_marche": (
        "Pourquoi ça marche",
        "Le mécanisme qui produit les effets (Markdown).",
        None,
    ),
    "resultats": ("Résultats", "Les preuves que l'innovation a fait ses preuves.", None),
    "coeur": ("Cœur du concept", "Les éléments non négociables (au moins un).", None),
    "marges": (
        "Marges d'adaptation",
        "Ce qu'un repreneur peut adapter (liste éventuellement vide).",
        None,
    ),
    "mode_degrade": ("Mode dégradé", None, None),
    "moyens": ("Moyens", None, None),
    "prerequis": ("Prérequis", None, None),
    "acteurs_publics": ("Acteurs publics", None, None),
    "dependances": (
        "Dépendances",
        "Ce qui dépend encore du porteur d'origine, et comment s'en affranchir.",
        None,
    ),
    "etapes": ("Étapes", "La feuille de route, dans l'ordre.", None),
    "indicateurs": ("Indicateurs", None, None),
    "risques": ("Risques", "Risques et pièges à éviter.", None),
    "cadre_juridique": ("Cadre juridique", None, None),
    "ressources": ("Ressources", None, None),
    "essaimages": ("Reprises précédentes", None, None),
    "contacts": ("Contacts", None, None),
    "regles": (
        "Niveaux des règles",
        "code: erreur, avertissement, info ou ignorer.",
        {"D104": "ignorer"},
    ),
    "code_insee": ("Code INSEE", "Département (44), commune (44109) ou SIREN d'EPCI.", "44109"),
    "type": ("Type", None, None),
    "population": ("Population", "Nombre d'habitants.", 48000),
    "site": ("Site web", "Lien http(s).", None),
    "titre": ("Titre", None, None),
    "url": ("Adresse web", "Lien http(s).", "https://exemple.org"),
    "indicateur": ("Indicateur", None, None),
    "valeur": ("Valeur", "Un nombre ou un texte.", None),
    "unite": ("Unité", None, "%"),
    "date": ("Date", "Année (AAAA) ou date (AAAA-MM-JJ).", 2024),
    "nature": ("Nature", None, None),
    "source": ("Source", None, None),
    "description": ("Description", None, None),
    "pourquoi": ("Pourquoi", "Pourquoi cet élément est non négociable.", None),
    "options": ("Options", "Les options connues.", None),
    "limites": ("Limites", "Ce qu'on ne peut pas dépasser.", None),
    "decideur": ("Décideur", "Qui choisit l'option sur le territoire.", None),
    "humains": ("Moyens humains", None, None),
    "financiers": ("Moyens financiers", None, None),
    "materiels": ("Moyens matériels", None, None),
    "partenaires": ("Partenaires", None, None),
    "delai_lancement_mois": ("Délai de lancement (mois)", "Entre la décision et le lancement.", 6),
    "role": ("Rôle", None, None),
    "etp": ("ETP", "Équivalents temps plein (nombre > 0).", "0,5"),
    "par": ("Base de calcul", "site, N habitants ou N bénéficiaires.", "8 bénéficiaires"),
    "competences": ("Compétences", None, None),
    "formation": ("Formation", "Comment le savoir-faire est transmis.", None),
    "poste": ("Poste", None, None),
    "montant": ("Montant (€)", "Nombre ≥ 0, en euros.", "1 500"),
    "periodicite": (
        "Périodicité",
        "Par défaut : unique pour un investissement, annuel pour du fonctionnement.",
        None,
    ),
    "financeurs": ("Financeurs", None, None),
    "element": ("Élément", None, None),
    "quantite": ("Quantité", "Nombre > 0 (1 par défaut).", 1),
    "acteur": ("Acteur", None, None),
    "indispensable": ("Indispensable", "oui ou non.", "oui"),
    "renoncements": (
        "Renoncements",
        "Ce à quoi la version minimale renonce (peut citer un id de marge).",
        None,
    ),
    "population_min": ("Population minimale", None, 2000),
    "population_max": ("Population maximale", None, 100000),
    "types_territoire": ("Types de territoire", None, None),
    "attenuation": ("Atténuation", "Comment le repreneur s'affranchit de cette dépendance.", None),
    "duree_mois": ("Durée (mois)", "Nombre > 0.", 2),
    "responsable": ("Responsable", None, None),
    "livrables": ("Livrables", None, None),
    "definition": ("Définition", None, None),
    "cible": ("Cible", None, None),
    "frequence": ("Fréquence", None, None),
    "risque": ("Risque", None, None),
    "prevention": ("Prévention", "Comment éviter ce risque.", None),
    "references": ("Références", None, None),
    "chemin": ("Chemin", "Fichier, relatif au dossier du descripteur.", "ressources/guide.pdf"),
    "marge": ("Marge", "Identifiant d'une marge du descripteur.", None),
    "choix": ("Choix", None, None),
    "raison": ("Raison", None, None),
    "adaptations": ("Adaptations", None, None),
    "retour": ("Retour d'expérience", None, None),
    "courriel": ("Courriel", None, "prenom.nom@mairie.fr"),
    "telephone": ("Téléphone", None, None),
    "structure": ("Structure", None, None),
    "contexte": ("Contexte local", None, None),
    "contact": ("Contact", None, None),
    "projets": (
        "Projets",
        "Par identifiant d'innovation : début, bénéficiaires, choix, notes.",
        None,
    ),
    "debut": ("Début", "Date de début (AAAA-MM-JJ).", "2027-03-01"),
    "beneficiaires": ("Bénéficiaires", "Nombre de bénéficiaires visés.", 240),
    "notes": ("Notes", None, None),
    "innovations": ("Innovations", "Dossier(s) ou motif(s) des descripteurs.", "innovations"),
    "territoires": ("Territoires", "Dossier(s) ou motif(s) des profils.", "territoires"),
    "exclure": ("Exclure", "Chemins ou motifs à ignorer.", ["brouillons"]),
    "gabarits": (
        "Gabarits",
        "Dossier de gabarits qui remplacent ceux d'essaimage par leur nom.",
        "gabarits",
    ),
    "regles_par_chemin": ("Niveaux par chemin", None, None),
    "chemins": ("Chemins", "Motifs de chemins.", ["innovations/anciennes/*"]),
}
FIELD_DOCS_BY_MODEL = {
    ("Configuration", "site"): ("Dossier du site", "Où essaimage site écrit le site.", "public"),
    ("Projet", "choix"): (
        "Choix",
        "Par identifiant de marge : le choix du territoire.",
        {"frequence": "matins et soirs"},
    ),
    ("Adaptation", "choix"): ("Choix", "L'option retenue.", None),
}


class SchemaBuilder:
    """Builds draft-07 schemas from the models, collecting model definitions."""

    def __init__(self):
        self.definitions: dict[str, dict] = {}

    def model(self, cls: type[BaseModel]) -> dict:
        name = cls.__name__
        if name not in self.definitions:
            self.definitions[name] = {}  # placeholder against recursion
            title, description = MODEL_DOCS.get(name, (name, None))
            properties, required = {}, []
            for field_name, info in cls.model_fields.items():
                properties[field_name] = self.field(name, field_name, info)
                if info.is_required():
                    required.append(field_name)
            schema = {
                "title": title,
                "type": "object",
                "properties": properties,
                "additionalProperties": False,
            }
            if description:
                schema["description"] = description
            if required:
                schema["required"] = required
            if cls is models.TerritoireProfil:
                schema["anyOf"] = [
                    {"required": ["nom"]},
                    {
                        "required": ["code_insee", "type"],
                        "properties": {"type": {"enum": list(models.OFFICIAL_TYPES)}},
                    },
                ]
            if cls is models.Ressource:
                schema["oneOf"] = [{"required": ["url"]}, {"required": ["chemin"]}]
            if cls is models.MoyensRequis:
                schema["anyOf"] = [
                    {"required": [k], "properties": {k: {"minItems": 1}}}
                    for k in ("humains", "financiers", "materiels", "partenaires")
                ]
            self.definitions[name] = schema
        return {"$ref": f"#/definitions/{name}"}

    def field(self, model_name: str, name: str, info: FieldInfo) -> dict:
        schema = self.annotation(info.annotation, info.metadata)
        title, description, example = FIELD_DOCS_BY_MODEL.get((model_name, name)) or FIELD_DOCS.get(
            name, (name, None, None)
        )
        documented = {"title": title}
        if description:
            documented["description"] = description
        if example is not None:
            documented["examples"] = [example]
        if "$ref" in schema:
            return {"allOf": [schema], **documented}
        return {**schema, **documented}

    def annotation(self, annotation, metadata=()) -> dict:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            base, *extra = typing.get_args(annotation)
            return self.annotation(base, [*metadata, *extra])
        validators = [m.func for m in metadata if hasattr(m, "func")]
        bounds = _bounds(metadata)
        if origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if scalars.to_number_or_text in validators:
                return dict(SCALAR)
            if scalars.to_year_or_date in validators:
                return {
                    "anyOf": [
                        {"type": "integer", "minimum": 1000, "maximum": 9999},
                        {"type": "string", "pattern": YEAR_OR_DATE},
                    ]
                }
            if scalars.to_number in validators or set(args) <= {int, float}:
                return {
                    "anyOf": [
                        {"type": "number", **bounds},
                        {"type": "string", "pattern": NUMBER_TEXT},
                    ]
                }
            if len(args) == 1:
                return self.annotation(args[0], metadata)
            return {"anyOf": [self.annotation(a, metadata) for a in args]}
        if origin is Literal:
            values = list(typing.get_args(annotation))
            if values == [1]:
                return {"enum": [1, "1"]}
            return {"enum": values}
        if origin is list:
            (item,) = typing.get_args(annotation)
            schema = {"type": "array", "items": self.annotation(item)}
            if models._one_or_many in validators:
                return {"anyOf": [schema, dict(SCALAR)]}
            if "min_length" in bounds:
                schema["minItems"] = bounds["min_length"]
            return schema
        if origin is dict:
            key, value = typing.get_args(annotation)
            key_schema = self.annotation(key)
            schema = {"type": "object", "additionalProperties": self.annotation(value)}
            if "pattern" in key_schema or "enum" in key_schema:
                schema["propertyNames"] = {
                    k: v for k, v in key_schema.items() if k in ("pattern", "enum", "type")
                }
            return schema
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return self.model(annotation)
        if annotation is Base:
            return {"type": "string", "pattern": BASE}
        if annotation is bool:
            return {"anyOf": [{"type": "boolean"}, {"type": "string", "pattern": BOOLEAN_TEXT}]}
        if annotation is int:
            return {
                "anyOf": [
                    {"type": "integer", **bounds},
                    {"type": "string", "pattern": INTEGER_TEXT},
                ]
            }
        if annotation is dt.date:
            return {"type": "string", "pattern": DATE}
        if annotation is str:
            if scalars.to_slug in validators:
                return {"type": "string", "pattern": f"^{scalars.SLUG.pattern}$", "maxLength": 64}
            if models._rule_code in validators:
                return {"type": "string", "enum": sorted(catalogue.rules())}
            if scalars.to_link in validators:
                return {"type": "string", "pattern": "^[hH][tT][tT][pP][sS]?://[^\\s/]+"}
            if scalars.to_email in validators:
                return {"type": "string", "pattern": "^[^@\\s]+@[^@\\s]+\\.[^@\\s.]{2,}$"}
            if scalars.to_spdx in validators:
                return {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9.+-]*$"}
            schema = dict(SCALAR)
            if bounds.get("min_length") or "max_length" in bounds:
                # lengths only bind texts; a number written bare stays allowed
                schema = {
                    "anyOf": [
                        {"type": "string", **_lengths(bounds)},
                        {"type": ["number", "integer", "boolean"]},
                    ]
                }
            return schema
        return {}


def _bounds(metadata) -> dict:
    out = {}
    for item in metadata:
        if isinstance(item, FieldInfo):
            out.update(_bounds(item.metadata))
            continue
        for attr, key in (
            ("gt", "exclusiveMinimum"),
            ("ge", "minimum"),
            ("lt", "exclusiveMaximum"),
            ("le", "maximum"),
        ):
            value = getattr(item, attr, None)
            if value is not None:
                out[key] = value
        for attr in ("min_length", "max_length"):
            value = getattr(item, attr, None)
            if value is not None:
                out[attr] = value
    return out


def _lengths(bounds: dict) -> dict:
    out = {}
    if "min_length" in bounds:
        out["minLength"] = bounds["min_length"]
    if "max_length" in bounds:
        out["maxLength"] = bounds["max_length"]
    return out


KINDS = ("tout", "innovation", "territoire", "configuration")


def build(kind: str = "tout") -> dict:
    """The JSON Schema (draft-07) of one kind of file, or of descriptors and profiles together."""
    builder = SchemaBuilder()
    innovation = builder.model(models.Innovation)
    profile = builder.model(models.Profil)
    configuration = builder.model(models.Configuration)
    schema: dict = {"$schema": "http://json-schema.org/draft-07/schema#"}
    if kind == "innovation":
        schema.update(title="Descripteur d'innovation essaimage (format 1)", **innovation)
    elif kind == "territoire":
        schema.update(title="Profil de territoire essaimage (format 1)", **profile)
    elif kind == "configuration":
        schema.update(title="Configuration d'un dépôt essaimage (essaimage.yaml)", **configuration)
    else:
        schema.update(
            title="Fichier essaimage (format 1)",
            description="Un profil de territoire s'il a « territoire » et pas « coeur » ; sinon un "
            "descripteur d'innovation.",
            **{
                "if": {
                    "type": "object",
                    "required": ["territoire"],
                    "not": {"required": ["coeur"]},
                },
                "then": profile,
                "else": innovation,
            },
        )
    schema["definitions"] = dict(sorted(builder.definitions.items()))
    return schema
