"""The repository as open data: a Frictionless Data Package.

`package` turns the checked files of a repository into the files of a data package, by name:

- `innovations.csv`: one row per innovation (identity, origin, readiness score, what one typical
  site costs, take-overs, licence, page address);
- `essaimages.csv`: one row per earlier take-over named in a descriptor;
- `retours.csv`: one row per take-over report (its territory, status, fidelity and counts);
- `adaptations.csv`: one row per adaptation of a report (FRAME's what, when, who, why);
- `plans.csv`: one row per scale-up plan (sites, costs and funding over three years);
- `innovations.json`: every descriptor in full, as validated;
- `datapackage.json`: the package's description, with a Table Schema per CSV file (French titles
  and descriptions, types, formats, enumerations, primary and foreign keys) and its licence.

The CSV files follow schema.data.gouv.fr's conventions: UTF-8 without byte order mark, `,`
between cells, a decimal point, dates as ISO 8601, booleans `true`/`false`, an empty cell for an
unknown value, lists joined by `;`; a text a spreadsheet would run as a formula (`=…`, `+…`,
`-…`, `@…`) starts with `'` (`spreadsheet.text_cell`, docs/donnees-ouvertes.md). Output is deterministic (rows by id, no date unless
SOURCE_DATE_EPOCH gives one). Nothing here prints.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args
from urllib.parse import quote

from ..check.pipeline import FileCheck, RetourLu, located
from ..check.repository import repository_for
from ..errors import OutputError
from ..files.output import OutputFolder, source_date
from ..format.models import (
    AdaptationRetour,
    Essaimage,
    FichierRetour,
    Innovation,
    chosen_options,
)
from ..format.vocabulary import (
    MATURITES,
    MODELES,
    MOMENTS_ADAPTATION,
    NATURES_ADAPTATION,
    SECTEURS,
    STATUTS_RETOUR,
    Maturite,
    ModeleEssaimage,
    MomentAdaptation,
    NatureAdaptation,
    Secteur,
    StatutRetour,
    TypeTerritoireValeur,
)
from ..kit import budget, choices, means
from ..kit import prepare as kit
from ..kit.reprises import gather
from ..plan.compute import PlanCalcule
from ..render.plan_files import THREE_YEARS
from ..text.spreadsheet import text_cell

PACKAGE_NAME = "catalogue-essaimage"
DEFAULT_LICENCE = "etalab-2.0"
LICENCE_TITLES = {
    "etalab-2.0": "Licence Ouverte / Open Licence version 2.0",
    "ODbL-1.0": "Open Data Commons Open Database License v1.0",
    "CC-BY-4.0": "Creative Commons Attribution 4.0 International",
    "CC-BY-SA-4.0": "Creative Commons Attribution Share Alike 4.0 International",
    "CC0-1.0": "Creative Commons Zero v1.0 Universal",
}
FILES = (
    "innovations.csv", "essaimages.csv", "retours.csv", "adaptations.csv", "plans.csv",
    "innovations.json", "datapackage.json",
)  # fmt: skip
LIST_SEPARATOR = ";"
SLUG_PATTERN = "[a-z0-9]+(-[a-z0-9]+)*"
YEAR_OR_DATE_PATTERN = "[0-9]{4}(-[0-9]{2}-[0-9]{2})?"


@dataclass(frozen=True)
class Colonne:
    """One column of a table: its Table Schema field and how a row's value is read."""

    name: str
    type: str  # Table Schema type: string, integer, number, boolean, date
    title: str
    description: str
    value: Callable[[Any], object]
    format: str | None = None
    constraints: dict[str, object] = field(default_factory=dict)

    def schema(self) -> dict[str, object]:
        """The Table Schema field descriptor."""
        out: dict[str, object] = {
            "name": self.name,
            "type": self.type,
            "title": self.title,
            "description": self.description,
        }
        if self.format:
            out["format"] = self.format
        if self.constraints:
            out["constraints"] = self.constraints
        return out


@dataclass(frozen=True)
class Table:
    """One CSV file of the package and its schema."""

    name: str
    title: str
    description: str
    columns: tuple[Colonne, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (field, resource, field)

    @property
    def path(self) -> str:
        """The file's name in the package."""
        return f"{self.name}.csv"

    def csv(self, rows: Iterable[Any]) -> str:
        """The table's CSV text for these row sources."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([c.name for c in self.columns])
        texts = [c.type == "string" for c in self.columns]
        for row in rows:
            writer.writerow(
                [
                    text_cell(cell(c.value(row))) if text else cell(c.value(row))
                    for c, text in zip(self.columns, texts, strict=True)
                ]
            )
        return buffer.getvalue()

    def resource(self) -> dict[str, object]:
        """The table's resource in datapackage.json."""
        schema: dict[str, object] = {
            "fields": [c.schema() for c in self.columns],
            "missingValues": [""],
        }
        if self.primary_key:
            schema["primaryKey"] = list(self.primary_key)
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": local, "reference": {"resource": resource, "fields": remote}}
                for local, resource, remote in self.foreign_keys
            ]
        return {
            "profile": "tabular-data-resource",
            "name": self.name,
            "path": self.path,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "title": self.title,
            "description": self.description,
            "dialect": {"delimiter": ",", "lineTerminator": "\n", "header": True},
            "schema": schema,
        }


def columns_markdown(table: Table) -> str:
    """The table's columns as a Markdown table (for docs/donnees-ouvertes.md)."""
    lines = ["| Colonne | Titre | Type | Description |", "| --- | --- | --- | --- |"]
    for c in table.columns:
        description = c.description.replace("|", "\\|")
        lines.append(f"| `{c.name}` | {c.title} | {c.type} | {description} |")
    return "\n".join(lines) + "\n"


def cell(value: object) -> str:
    """A value as a CSV cell: empty when unknown, `true`/`false`, numbers with a decimal point
    and at most two decimals, lists joined by `;`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return number(value)
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def number(value: float) -> str:
    """`12000`, `12000.5`, `0.25`: rounded to the cent, no useless zero."""
    text = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# --- innovations -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Ligne:
    """One innovation with what its row needs beyond the descriptor."""

    descripteur: FileCheck
    cout: budget.Budget
    url: str | None
    reprises: int = 0  # the take-overs the kits list (entries and reports, one per territory)

    @property
    def innovation(self) -> Innovation:
        """The validated descriptor."""
        return self.descripteur.innovation


def typical_site(innovation: Innovation) -> budget.Budget:
    """The budget of one site of the descriptor's typical size (its `dimensionnement`), with
    no option chosen: what a repreneur starts from before naming a territory."""
    size = innovation.dimensionnement
    effectifs = means.Effectifs(
        size.habitants_par_site if size else None,
        size.beneficiaires_par_site if size else None,
        1,
    )
    moyens = choices.apply_choices(innovation, {}).moyens
    computed = means.compute(moyens, effectifs)
    _, months = kit.roadmap(innovation, None)
    return budget.compute(computed, moyens, None, months)


def _choices(values: Iterable[str]) -> dict[str, object]:
    return {"enum": list(values)}


def _described(labels: dict[str, str]) -> str:
    """`citoyennete (citoyenneté) ; emploi ; …`: the label only where it says more."""
    return " ; ".join(
        code if label.lower() == code else f"{code} ({label})" for code, label in labels.items()
    )


INNOVATIONS = Table(
    name="innovations",
    title="Innovations",
    description="Les innovations du catalogue : une ligne par innovation, avec ce que coûte un "
    "site type.",
    columns=(
        Colonne(
            "id", "string", "Identifiant",
            "L'identifiant de l'innovation (minuscules, chiffres et tirets).",
            lambda r: r.innovation.id,
            constraints={"required": True, "unique": True, "pattern": SLUG_PATTERN},
        ),
        Colonne("nom", "string", "Nom", "Le nom de l'innovation.", lambda r: r.innovation.nom,
                constraints={"required": True}),
        Colonne("accroche", "string", "Accroche", "L'innovation en une phrase.",
                lambda r: r.innovation.accroche, constraints={"required": True}),
        Colonne(
            "secteurs", "string", "Secteurs",
            "Les codes des secteurs, séparés par « ; » : " + _described(SECTEURS) + ".",
            lambda r: r.innovation.secteurs,
            constraints={
                "pattern": f"({'|'.join(get_args(Secteur))})(;({'|'.join(get_args(Secteur))}))*"
            },
        ),
        Colonne("maturite", "string", "Maturité", "La maturité : " + _described(MATURITES) + ".",
                lambda r: r.innovation.maturite, constraints=_choices(get_args(Maturite))),
        Colonne(
            "modele_essaimage", "string", "Modèle d'essaimage",
            "Comment l'innovation se diffuse : " + _described(MODELES) + ".",
            lambda r: r.innovation.modele_essaimage,
            constraints=_choices(get_args(ModeleEssaimage)),
        ),
        Colonne("territoire_origine", "string", "Territoire d'origine",
                "Le territoire où l'innovation a fait ses preuves.",
                lambda r: r.innovation.origine.territoire.nom),
        Colonne("code_insee_origine", "string", "Code INSEE d'origine",
                "Le code INSEE (commune, département) ou le SIREN (EPCI) du territoire d'origine.",
                lambda r: r.innovation.origine.territoire.code_insee),
        Colonne("porteur_origine", "string", "Porteur d'origine",
                "La structure qui porte l'innovation sur son territoire d'origine.",
                lambda r: r.innovation.origine.porteur.nom),
        Colonne("depuis", "string", "Depuis",
                "L'année (AAAA) ou la date (AAAA-MM-JJ) de début sur le territoire d'origine.",
                lambda r: _year_or_date(r.innovation.origine.depuis),
                constraints={"pattern": YEAR_OR_DATE_PATTERN}),
        Colonne(
            "indice", "integer", "Indice de déployabilité",
            "Combien des dix critères de déployabilité le descripteur remplit (0 à 10).",
            lambda r: r.descripteur.readiness.score if r.descripteur.readiness else None,
            constraints={"minimum": 0, "maximum": 10},
        ),
        Colonne(
            "investissement_site", "number", "Investissement d'un site (€)",
            "Les dépenses ponctuelles d'un site type (investissement et frais uniques), en euros.",
            lambda r: r.cout.investissement + r.cout.fonctionnement_ponctuel,
            constraints={"minimum": 0},
        ),
        Colonne(
            "preparation_site", "number", "Préparation d'un site (€)",
            "Ce que coûtent les mois de préparation d'un site type avant son lancement (rôles et "
            "dépenses des lignes « phase: preparation » ou « preparation-et-fonctionnement »), "
            "investissement à part, en euros.",
            lambda r: r.cout.cout_preparation,
            constraints={"minimum": 0},
        ),
        Colonne(
            "fonctionnement_annuel_site", "number", "Fonctionnement annuel d'un site (€)",
            "Une année de fonctionnement d'un site type, personnel salarié compris, en euros.",
            lambda r: r.cout.fonctionnement_annuel + r.cout.investissement_annuel,
            constraints={"minimum": 0},
        ),
        Colonne(
            "couts_complets", "boolean", "Coûts complets",
            "false quand un moyen n'a pu être chiffré (moyen par habitant sans taille de site "
            "type, poste sans coût) : les montants sont alors des minimums.",
            lambda r: not r.cout.incomplet,
        ),
        Colonne("licence", "string", "Licence",
                "La licence du contenu du kit (identifiant SPDX).",
                lambda r: r.innovation.licence),
        Colonne("nombre_essaimages", "integer", "Nombre d'essaimages",
                "Combien de reprises ailleurs le descripteur décrit.",
                lambda r: len(r.innovation.essaimages), constraints={"minimum": 0}),
        Colonne("nombre_reprises", "integer", "Nombre de reprises",
                "Combien de reprises sont connues : celles du descripteur et celles des retours "
                "d'essaimage du dépôt, un territoire une fois (comme les kits les comptent).",
                lambda r: r.reprises, constraints={"minimum": 0}),
        Colonne("mis_a_jour", "date", "Mis à jour", "La date de mise à jour du descripteur.",
                lambda r: r.innovation.mis_a_jour),
        Colonne("page", "string", "Page", "L'adresse de la page de l'innovation sur le site du "
                "catalogue (vide quand site_url n'est pas configuré).",
                lambda r: r.url, format="uri"),
    ),
    primary_key=("id",),
)  # fmt: skip


def _year_or_date(value: object) -> str | None:
    """`2019` or `2019-05-01`."""
    if value is None:
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)


# --- earlier take-overs ----------------------------------------------------------------------


@dataclass(frozen=True)
class Reprise:
    """One earlier take-over, with its innovation's id."""

    innovation: str
    numero: int
    essaimage: Essaimage


ESSAIMAGES = Table(
    name="essaimages",
    title="Essaimages",
    description="Les reprises déjà faites ailleurs, telles que les descripteurs les décrivent : "
    "une ligne par territoire.",
    columns=(
        Colonne("innovation", "string", "Innovation",
                "L'identifiant de l'innovation reprise (colonne id de innovations.csv).",
                lambda r: r.innovation, constraints={"required": True}),
        Colonne("numero", "integer", "Numéro",
                "Le rang de la reprise dans le descripteur (1, 2…).",
                lambda r: r.numero, constraints={"required": True, "minimum": 1}),
        Colonne("territoire", "string", "Territoire", "Où l'innovation a été reprise.",
                lambda r: r.essaimage.territoire.nom, constraints={"required": True}),
        Colonne("code_insee", "string", "Code INSEE",
                "Le code INSEE (commune, département) ou le SIREN (EPCI) du territoire.",
                lambda r: r.essaimage.territoire.code_insee),
        Colonne("type_territoire", "string", "Type de territoire", "Le type du territoire.",
                lambda r: r.essaimage.territoire.type,
                constraints=_choices(get_args(TypeTerritoireValeur))),
        Colonne("population", "integer", "Population", "Le nombre d'habitants du territoire.",
                lambda r: r.essaimage.territoire.population, constraints={"minimum": 0}),
        Colonne("depuis", "string", "Depuis",
                "L'année (AAAA) ou la date (AAAA-MM-JJ) de la reprise.",
                lambda r: _year_or_date(r.essaimage.depuis),
                constraints={"pattern": YEAR_OR_DATE_PATTERN}),
        Colonne("porteur", "string", "Porteur", "Qui a repris l'innovation.",
                lambda r: r.essaimage.porteur),
        Colonne("adaptations", "integer", "Adaptations",
                "Combien de marges d'adaptation la reprise a utilisées.",
                lambda r: len(r.essaimage.adaptations), constraints={"minimum": 0}),
    ),
    primary_key=("innovation", "numero"),
    foreign_keys=(("innovation", "innovations", "id"),),
)  # fmt: skip


# --- plans -----------------------------------------------------------------------------------

PLANS = Table(
    name="plans",
    title="Plans de montée en charge",
    description="Les plans de montée en charge du dépôt : cibles, sites, coûts et financements "
    "de leurs trois premières années.",
    columns=(
        Colonne("id", "string", "Identifiant", "L'identifiant du plan.",
                lambda p: p.plan.id,
                constraints={"required": True, "unique": True, "pattern": SLUG_PATTERN}),
        Colonne("nom", "string", "Nom", "Le nom du plan.", lambda p: p.plan.nom,
                constraints={"required": True}),
        Colonne("innovation", "string", "Innovation",
                "L'identifiant de l'innovation déployée (colonne id de innovations.csv).",
                lambda p: p.innovation.id, constraints={"required": True}),
        Colonne("porteur", "string", "Porteur", "Qui conduit la montée en charge.",
                lambda p: p.plan.porteur.nom),
        Colonne("debut", "date", "Début", "Le début de la première vague.",
                lambda p: p.plan.debut),
        Colonne("territoires", "integer", "Territoires", "Le nombre de territoires cibles.",
                lambda p: len(p.sites), constraints={"minimum": 0}),
        Colonne("sites", "integer", "Sites", "Le nombre de sites sur tous les territoires.",
                lambda p: p.total_sites, constraints={"minimum": 0}),
        Colonne("vagues", "integer", "Vagues", "Le nombre de vagues de déploiement.",
                lambda p: len(p.vagues), constraints={"minimum": 0}),
        Colonne("cout_sites_3_ans", "number", "Coût des sites sur 3 ans (€)",
                "Ce que coûtent les sites pendant les trois premières années du plan, en euros.",
                lambda p: p.total("cout_sites", THREE_YEARS), constraints={"minimum": 0}),
        Colonne("accompagnement_3_ans", "number", "Accompagnement sur 3 ans (€)",
                "Ce que coûte l'accompagnement des sites par le porteur du plan sur trois ans.",
                lambda p: p.total("accompagnement", THREE_YEARS), constraints={"minimum": 0}),
        Colonne("finance_3_ans", "number", "Financé sur 3 ans (€)",
                "Ce que paient les financeurs sur trois ans.",
                lambda p: sum(a.finance for a in p.annees[:THREE_YEARS]),
                constraints={"minimum": 0}),
        Colonne("reste_territoires_3_ans", "number", "Reste aux territoires sur 3 ans (€)",
                "Ce qui reste à la charge des territoires sur trois ans.",
                lambda p: p.total("reste_territoires", THREE_YEARS), constraints={"minimum": 0}),
        Colonne("financeurs", "string", "Financeurs", "Les financeurs, séparés par « ; ».",
                lambda p: p.financeurs),
        Colonne("couts_complets", "boolean", "Coûts complets",
                "false quand un coût d'une cible n'a pu être chiffré : les montants sont alors "
                "des minimums.", lambda p: not p.incomplet),
    ),
    primary_key=("id",),
    foreign_keys=(("innovation", "innovations", "id"),),
)  # fmt: skip

# --- take-over reports ----------------------------------------------------------------------


@dataclass(frozen=True)
class LigneRetour:
    """One report, where it took place and its file (relative to the repository)."""

    fichier: str
    lu: RetourLu
    marges: dict[str, list[str]]  # its innovation's marges and their options


def _respected(row: LigneRetour, how: str) -> int:
    return sum(1 for f in row.lu.retour.fidelite if f.respecte == how)


def _delay(row: LigneRetour) -> float | None:
    real = row.lu.retour.moyens_reels
    return real.delai_lancement_mois if real is not None else None


RETOURS = Table(
    name="retours",
    title="Retours d'essaimage",
    description="Les retours des reprises (format essaimage v1.2) : une ligne par retour, son "
    "territoire, son statut, sa fidélité au cœur et ses adaptations comptées.",
    columns=(
        Colonne("fichier", "string", "Fichier",
                "Le chemin du retour dans le dépôt : il identifie le retour.",
                lambda r: r.fichier, constraints={"required": True, "unique": True}),
        Colonne("innovation", "string", "Innovation",
                "L'identifiant de l'innovation reprise (colonne id de innovations.csv).",
                lambda r: r.lu.retour.innovation, constraints={"required": True}),
        Colonne("territoire", "string", "Territoire", "Où l'innovation a été reprise.",
                lambda r: r.lu.nom, constraints={"required": True}),
        Colonne("code_insee", "string", "Code INSEE",
                "Le code INSEE (commune, département) ou le SIREN (EPCI) du territoire.",
                lambda r: r.lu.code),
        Colonne("type_territoire", "string", "Type de territoire", "Le type du territoire.",
                lambda r: r.lu.type, constraints=_choices(get_args(TypeTerritoireValeur))),
        Colonne("population", "integer", "Population", "Le nombre d'habitants du territoire.",
                lambda r: r.lu.population, constraints={"minimum": 0}),
        Colonne("porteur", "string", "Porteur", "La structure qui a repris.",
                lambda r: r.lu.retour.porteur.nom, constraints={"required": True}),
        Colonne("plan", "string", "Plan",
                "L'identifiant du plan de montée en charge dont la reprise fait partie.",
                lambda r: r.lu.retour.plan),
        Colonne("date", "date", "Date du retour", "La date du retour.",
                lambda r: r.lu.retour.date, constraints={"required": True}),
        Colonne("debut", "date", "Début de la préparation", "Le début de la préparation.",
                lambda r: r.lu.retour.debut),
        Colonne("lancement", "date", "Lancement", "Le début du fonctionnement.",
                lambda r: r.lu.retour.lancement),
        Colonne("statut", "string", "Statut", _described(STATUTS_RETOUR),
                lambda r: r.lu.retour.statut,
                constraints={"required": True, **_choices(get_args(StatutRetour))}),
        Colonne("raison_arret", "string", "Raison de l'arrêt",
                "Pourquoi la reprise est suspendue ou arrêtée.",
                lambda r: r.lu.retour.raison_arret),
        Colonne("sites", "integer", "Sites", "Le nombre de sites en fonctionnement.",
                lambda r: r.lu.retour.sites, constraints={"minimum": 1}),
        Colonne("beneficiaires", "integer", "Bénéficiaires", "Les bénéficiaires par an.",
                lambda r: r.lu.retour.beneficiaires, constraints={"minimum": 0}),
        Colonne("coeur_respecte", "integer", "Éléments du cœur respectés",
                "Combien d'éléments du cœur la reprise dit avoir respectés.",
                lambda r: _respected(r, "oui"), constraints={"minimum": 0}),
        Colonne("coeur_en_partie", "integer", "Éléments du cœur respectés en partie",
                "Combien d'éléments du cœur elle n'a respectés qu'en partie.",
                lambda r: _respected(r, "en-partie"), constraints={"minimum": 0}),
        Colonne("coeur_non_respecte", "integer", "Éléments du cœur non respectés",
                "Combien d'éléments du cœur elle n'a pas respectés.",
                lambda r: _respected(r, "non"), constraints={"minimum": 0}),
        Colonne("adaptations", "integer", "Adaptations",
                "Combien d'adaptations elle a faites (détail dans adaptations.csv).",
                lambda r: len(r.lu.retour.adaptations), constraints={"minimum": 0}),
        Colonne("delai_lancement_mois", "number", "Délai de préparation réel (mois)",
                "Les mois de préparation qu'elle a vraiment eus.", _delay,
                constraints={"minimum": 0}),
        Colonne("financeurs", "string", "Financeurs",
                "Les financeurs obtenus, séparés par « ; ».",
                lambda r: [f.financeur for f in r.lu.retour.financements_obtenus]),
        Colonne("resultats", "integer", "Résultats mesurés",
                "Combien de résultats la reprise a mesurés sur son territoire.",
                lambda r: len(r.lu.retour.resultats), constraints={"minimum": 0}),
    ),
    primary_key=("fichier",),
    foreign_keys=(("innovation", "innovations", "id"),),
)  # fmt: skip


@dataclass(frozen=True)
class LigneAdaptation:
    """One adaptation of one report."""

    retour: LigneRetour
    numero: int
    adaptation: AdaptationRetour

    @property
    def hors_options(self) -> bool | None:
        """True for a choice outside its marge's options; None when it cannot be said."""
        a = self.adaptation
        options = self.retour.marges.get(a.marge) if a.marge else None
        if not options or a.choix is None:
            return None
        return chosen_options(options, a.choix) is None


ADAPTATIONS = Table(
    name="adaptations",
    title="Adaptations faites par les reprises",
    description="Chaque adaptation d'un retour d'essaimage (d'après FRAME : quoi, prévue ou "
    "non, quand, qui a décidé, pourquoi).",
    columns=(
        Colonne("fichier", "string", "Retour",
                "Le retour d'où vient l'adaptation (colonne fichier de retours.csv).",
                lambda a: a.retour.fichier, constraints={"required": True}),
        Colonne("numero", "integer", "Numéro", "Le rang de l'adaptation dans le retour (1, 2…).",
                lambda a: a.numero, constraints={"required": True, "minimum": 1}),
        Colonne("innovation", "string", "Innovation", "L'identifiant de l'innovation reprise.",
                lambda a: a.retour.lu.retour.innovation, constraints={"required": True}),
        Colonne("marge", "string", "Marge", "L'identifiant de la marge adaptée.",
                lambda a: a.adaptation.marge),
        Colonne("coeur", "string", "Élément du cœur changé",
                "L'identifiant de l'élément du cœur changé, à la place d'une marge.",
                lambda a: a.adaptation.coeur),
        Colonne("choix", "string", "Choix", "Ce qui a été fait.", lambda a: a.adaptation.choix),
        Colonne("hors_options", "boolean", "Hors des options",
                "true pour un choix qui n'est pas une option de la marge (une option à ajouter ?).",
                lambda a: a.hors_options),
        Colonne("nature", "string", "Nature", _described(NATURES_ADAPTATION),
                lambda a: a.adaptation.nature, constraints=_choices(get_args(NatureAdaptation))),
        Colonne("planifiee", "boolean", "Prévue",
                "true si elle a été décidée à l'avance, false si elle répond à un problème.",
                lambda a: a.adaptation.planifiee),
        Colonne("moment", "string", "Moment", _described(MOMENTS_ADAPTATION),
                lambda a: a.adaptation.moment, constraints=_choices(get_args(MomentAdaptation))),
        Colonne("decideurs", "string", "Décideurs", "Qui a décidé, séparés par « ; ».",
                lambda a: a.adaptation.decideurs),
        Colonne("raison", "string", "Raison", "Pourquoi cette adaptation.",
                lambda a: a.adaptation.raison, constraints={"required": True}),
    ),
    primary_key=("fichier", "numero"),
    foreign_keys=(("fichier", "retours", "fichier"),),
)  # fmt: skip


TABLES = (INNOVATIONS, ESSAIMAGES, RETOURS, ADAPTATIONS, PLANS)


# --- the package -----------------------------------------------------------------------------


def innovations_of(checked: list[FileCheck]) -> list[FileCheck]:
    """The valid descriptors, the first of each id, by id."""
    first: dict[str, FileCheck] = {}
    for c in checked:
        if isinstance(c.model, Innovation):
            first.setdefault(c.model.id, c)
    return [first[ident] for ident in sorted(first)]


def page_url(site_url: str | None, ident: str) -> str | None:
    """The address of an innovation's page on the published site (a URI: an accented letter of
    the configured address is percent-encoded)."""
    if not site_url:
        return None
    return as_uri(f"{site_url.rstrip('/')}/innovations/{ident}.html")


def as_uri(address: str) -> str:
    """An http(s) address with what a URI cannot hold percent-encoded (`é` → `%C3%A9`)."""
    return quote(address, safe=":/?#[]@!$&'()*+,;=%~")


LICENCE_PAGES = {"etalab-2.0": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"}


def licence_entry(licence: str) -> dict[str, str]:
    """The package's licence as Data Package describes it (its page: Etalab's for the Licence
    Ouverte, SPDX's for the others)."""
    return {
        "name": licence,
        "path": LICENCE_PAGES.get(licence, f"https://spdx.org/licenses/{licence}.html"),
        "title": LICENCE_TITLES.get(licence, licence),
    }


def package(
    checked: list[FileCheck],
    plans: list[PlanCalcule],
    licence: str = DEFAULT_LICENCE,
    site_url: str | None = None,
) -> dict[str, str]:
    """The package's files, by name: its CSV tables, the full descriptors as JSON, and
    datapackage.json. `checked` are valid checked files, `plans` the computed plans."""
    descriptors = innovations_of(checked)
    lignes = [
        Ligne(c, typical_site(c.innovation), page_url(site_url, c.innovation.id), _take_overs(c))
        for c in descriptors
    ]
    known = {c.innovation.id for c in descriptors}
    reprises = [
        Reprise(c.innovation.id, numero, item)
        for c in descriptors
        for numero, item in enumerate(c.innovation.essaimages, start=1)
    ]
    plans = sorted((p for p in plans if p.innovation.id in known), key=lambda p: p.plan.id)
    retours = _reports(checked, {c.innovation.id: c.innovation for c in descriptors})
    adaptations = [
        LigneAdaptation(row, numero, item)
        for row in retours
        for numero, item in enumerate(row.lu.retour.adaptations, start=1)
    ]
    files = {
        INNOVATIONS.path: INNOVATIONS.csv(lignes),
        ESSAIMAGES.path: ESSAIMAGES.csv(reprises),
        RETOURS.path: RETOURS.csv(retours),
        ADAPTATIONS.path: ADAPTATIONS.csv(adaptations),
        PLANS.path: PLANS.csv(_first_of_each_id(plans)),
        "innovations.json": _json(
            [c.innovation.model_dump(mode="json", exclude_none=True) for c in descriptors]
        ),
    }
    files["datapackage.json"] = _json(descriptor(licence, site_url))
    return files


def _take_overs(descriptor: FileCheck) -> int:
    """How many take-overs the kits list for this innovation."""
    found = gather(descriptor.innovation, descriptor, None, None)
    return len(found.liste) if found is not None else 0


def _reports(checked: list[FileCheck], innovations: dict[str, Innovation]) -> list[LigneRetour]:
    """The valid reports on the package's innovations, by file."""
    rows = []
    for c in checked:
        if not isinstance(c.model, FichierRetour) or not c.ok:
            continue
        innovation = innovations.get(c.model.retour.innovation)
        if innovation is None:
            continue
        repository = repository_for(c.path.parent)
        relative = repository.relative(c.path) if repository.root else None
        marges = {m.id: m.option_names() for m in innovation.marges}
        rows.append(LigneRetour(relative or c.path.name, located(c.model.retour, c.path), marges))
    return sorted(rows, key=lambda row: row.fichier)


def _first_of_each_id(plans: list[PlanCalcule]) -> list[PlanCalcule]:
    seen: dict[str, PlanCalcule] = {}
    for p in plans:
        seen.setdefault(p.plan.id, p)
    return list(seen.values())


def descriptor(licence: str, site_url: str | None) -> dict[str, object]:
    """datapackage.json: the package, its licence and its resources."""
    out: dict[str, object] = {
        "profile": "data-package",
        "name": PACKAGE_NAME,
        "title": "Catalogue des innovations à essaimer",
        "description": "Les innovations publiques et sociales décrites pour être reprises sur "
        "d'autres territoires (cœur, marges d'adaptation, moyens), leurs reprises déjà faites et "
        "les plans de montée en charge. Produit par essaimage à partir des descripteurs du "
        "dépôt.",
        "licenses": [licence_entry(licence)],
        "keywords": ["innovation", "essaimage", "innovation sociale", "action publique"],
        "resources": [
            *(table.resource() for table in TABLES),
            {
                "profile": "data-resource",
                "name": "innovations-completes",
                "path": "innovations.json",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                "title": "Descripteurs complets",
                "description": "Chaque descripteur d'innovation en entier, tel que validé "
                "(format essaimage v1).",
            },
        ],
    }
    if site_url:
        out["homepage"] = as_uri(site_url)
    created = _created()
    if created:
        out["created"] = created
    return out


def _created() -> str | None:
    """The package's date when SOURCE_DATE_EPOCH gives one (otherwise none: same input, same
    bytes)."""
    moment = source_date()
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


@dataclass
class ExportResult:
    """What `write` did."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)  # other files of the folder, relative


def write(files: dict[str, str], out: Path) -> ExportResult:
    """Write the package's files in `out` (each atomically, only when its content changes),
    never through a link; the result also lists the folder's other files.

    OutputError when a file cannot be written, something other than a regular file is in the
    place of one, or `out` is a link that leads out of the repository."""
    result = ExportResult()
    try:
        with OutputFolder(out) as folder:
            for name, text in files.items():
                status = folder.lstat(name)
                if status is not None and not stat.S_ISREG(status.st_mode):
                    raise OutputError(
                        f"« {folder.shown(name).as_posix()} » n'est pas un fichier ordinaire : "
                        "il n'est pas remplacé",
                        "Déplacez-le, ou écrivez les données dans un autre dossier (--sortie).",
                    )
                changed = folder.write_if_changed(name, text)
                (result.written if changed else result.unchanged).append(folder.shown(name))
            result.foreign = [name for name, _ in folder.files() if name not in files]
    except OSError as exc:
        raise OutputError(
            f"écriture impossible dans « {out.as_posix()} » : {exc.strerror or exc}"
        ) from None
    return result
