"""A new descriptor, territory profile, plan or take-over report to fill in: the commented
skeletons that `essaimage init` writes.

A skeleton validates without error (a descriptor with warnings: it remains to be completed); the
skeletons of a plan and of a profile name the repository's first innovation; that of a take-over
report is written from its innovation: one `fidelite` item per cœur element, its marges and
their options for `adaptations` (commented: an adaptation is said only when it was made), one
`prerequis` item per prerequisite. Beside it, at the repository root,
`essaimage.schema.json` is written when it is missing, for completion in editors. An existing
file is never overwritten.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from importlib import resources
from pathlib import Path

from ..check.catalogue import json_schema
from ..check.repository import repository_for
from ..check.retours import SKELETON_TEXTS
from ..errors import OutputError, UsageError
from ..files.discovery import YAML_SUFFIXES
from ..files.output import OutputFolder, atomic_write, source_date
from ..format.models import Innovation, line_label, means_lines
from ..text.words import slugify, suggest

SCHEMA_NAME = "essaimage.schema.json"


TEMPLATES = {
    "innovation": "templates/squelette.yaml",
    "territoire": "templates/squelette-territoire.yaml",
    "plan": "templates/squelette-plan.yaml",
}
WHAT = {
    "innovation": "du descripteur",
    "territoire": "du profil",
    "plan": "du plan",
    "retour": "du retour",
}


def skeleton_text(
    fichier: Path, schema_path: Path, kind: str = "innovation", innovation: str = ""
) -> str:
    """The skeleton for `fichier`, its id from the file name, its schema line relative to it;
    a plan and a profile name `innovation`."""
    relative = os.path.relpath(schema_path, Path(os.path.abspath(fichier)).parent)
    ident = slugify(fichier.stem)
    if len(ident) < 3:
        ident = f"{kind}-{ident}".strip("-")
    text = resources.files("essaimage").joinpath(TEMPLATES[kind]).read_text("utf-8")
    return (
        text.replace("{schema}", Path(relative).as_posix())
        .replace("{fichier}", fichier.as_posix())
        .replace("{id}", ident)
        .replace("{innovation}", innovation or "identifiant-de-l-innovation")
    )


def _first_innovation(start: Path) -> str:
    """The id of the repository's first innovation (by file name), if any."""
    from ..check.loader import load_file  # only a plan needs it

    for path in repository_for(start).files("innovations"):
        loaded = load_file(path, str(path))
        data = loaded.document.data if loaded.document else None
        if isinstance(data, dict) and isinstance(data.get("id"), str) and "coeur" in data:
            return data["id"]
    return ""


def _schema_path(start: Path) -> Path:
    return (repository_for(start).root or start) / SCHEMA_NAME


def new_file_text(
    fichier: Path, start: Path, kind: str = "innovation", innovation: str | None = None
) -> str:
    """The skeleton a new file of `kind` starts from (what `essaimage init` writes, and the
    editor's `--nouveau`): a profile, a plan or a report names `innovation`, by default the
    repository's first one. UsageError for a report on an innovation the repository has not."""
    if kind == "retour":
        return retour_skeleton(fichier, start, innovation or _first_innovation(start))
    if innovation is None:
        innovation = _first_innovation(start) if kind != "innovation" else ""
    text = skeleton_text(fichier, _schema_path(start), kind, innovation)
    return text.replace("{ligne}", _first_line(start, innovation))


def _first_line(start: Path, ident: str) -> str:
    """The first means line of the innovation `ident` (a profile's `deja_en_place` names one,
    as the descriptor writes it), « Coordination » when it cannot be read."""
    if not ident:
        return "Coordination"
    try:
        innovation = _descriptor_of(start, ident)
    except UsageError:
        return "Coordination"
    lines = means_lines(innovation.moyens)
    return _one_line(line_label(lines[0])).replace('"', "'") if lines else "Coordination"


def _descriptor_of(start: Path, ident: str) -> Innovation:
    """The valid descriptor of the repository whose id is `ident`."""
    from ..check.loader import root_facts
    from ..check.pipeline import check_file

    files = repository_for(start).files("innovations")
    ids: dict[str, Path] = {}
    for path in sorted(files, key=lambda p: p.stem != ident):  # the file named after it first
        facts = root_facts(path)
        if facts is not None and facts.id is not None and "coeur" in facts.keys:
            ids.setdefault(facts.id, path)
            if facts.id == ident:
                break
    if ident not in ids:
        close = suggest(ident, sorted(ids)) if ident else None
        raise UsageError(
            f"aucune innovation du dépôt n'a l'identifiant « {ident} »"
            + (f" ; vouliez-vous dire « {close} » ?" if close else ""),
            "Le retour porte sur une innovation du dépôt : essaimage init retour FICHIER "
            "--innovation IDENTIFIANT (innovations : "
            + (", ".join(sorted(ids)) or "aucune")
            + ").",
        )
    checked = check_file(ids[ident])
    if not isinstance(checked.model, Innovation):
        raise UsageError(
            f"le descripteur de « {ident} » ({checked.shown_as}) a des erreurs : corrigez-le "
            f"d'abord (essaimage validate {checked.shown_as})"
        )
    return checked.model


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's)."""
    return json.dumps(_one_line(text), ensure_ascii=False)


def retour_skeleton(fichier: Path, start: Path, ident: str) -> str:
    """The skeleton of a take-over report on the innovation `ident` of the repository."""
    innovation = _descriptor_of(start, ident)
    relative = os.path.relpath(_schema_path(start), Path(os.path.abspath(fichier)).parent)
    stamp = source_date()
    today = (stamp.date() if stamp else dt.date.today()).isoformat()
    lines = [
        f"# yaml-language-server: $schema={Path(relative).as_posix()}",
        "#",
        f"# Retour d'essaimage : une reprise de « {_one_line(innovation.nom)} », à une date.",
        "# Remplacez les textes entre guillemets, vérifiez chaque réponse, décommentez les parties",
        "# utiles (retirez le « # »), puis vérifiez le fichier avec :",
        f"# essaimage validate {fichier.as_posix()}",
        "# Ce fichier sera publié : du contact, gardez le rôle, la structure et une adresse",
        "# professionnelle.",
        "essaimage: 1",
        "retour:",
        f"  innovation: {innovation.id}",
        "  territoire:",
        f'    nom: "{SKELETON_TEXTS[("territoire", "nom")]}"     # ou code_insee et type '
        "(essaimage territoires NOM)",
        "  # profil: territoires/mon-territoire.yaml   # à la place de « territoire »",
        "  porteur:",
        f'    nom: "{SKELETON_TEXTS[("porteur", "nom")]}"',
        "    # type: collectivite        # collectivite, etat, etablissement-public, "
        "association, entreprise, autre",
        "  # plan: identifiant-du-plan   # si la reprise fait partie d'un plan de montée en charge",
        f"  date: {today}              # la date de ce retour",
        "  # debut: 2027-09-01           # le début de la préparation",
        "  # lancement: 2027-11-06       # le début du fonctionnement",
        "  statut: en-preparation        # en-preparation, en-fonctionnement, suspendu, arrete",
        '  # raison_arret: "…"          # obligatoire si la reprise est suspendue ou arrêtée',
        "  # sites: 1",
        "  # beneficiaires: 100          # par an",
        "",
        "  # Le cœur du concept : pour chaque élément, respecté (oui), en partie (en-partie) ou",
        "  # non. À vérifier : le squelette répond « oui » partout.",
        "  fidelite:" if innovation.coeur else "  fidelite: []",
    ]
    for element in innovation.coeur:
        lines += [
            f"    - coeur: {element.id}       # {_one_line(element.titre)}",
            "      respecte: oui             # oui, en-partie ou non",
            '      # commentaire: "…"',
        ]
    lines += [
        "",
        "  # Les adaptations faites : une par changement, dans une marge (ou « coeur: ID » si",
        "  # un élément du cœur a été changé). Décommentez celles qui ont eu lieu, et retirez",
        "  # alors le « [] ».",
        "  adaptations: []",
    ]
    for marge in innovation.marges:
        options = " ; ".join(_one_line(name) for name in marge.option_names())
        lines += [
            f"  # - marge: {marge.id}       # {_one_line(marge.titre)}",
            '  #   choix: "…"' + (f"          # options : {options}" if options else ""),
            "  #   nature: ajout            # ajout, retrait, remplacement, raccourcissement, "
            "allongement, ordre, autre",
            "  #   planifiee: oui           # oui (décidée à l'avance) ou non (face à un problème)",
            "  #   moment: preparation      # preparation, lancement, fonctionnement, extension",
            '  #   decideurs: ["…"]',
            '  #   raison: "…"',
        ]
    lines += [
        "",
        "  # Les prérequis du descripteur : confirmés (confirme), pas nécessaires",
        "  # (pas-necessaire) ou insuffisants (insuffisant). À vérifier : le squelette répond",
        "  # « confirme » partout.",
        "  prerequis:" if innovation.prerequis else "  prerequis: []",
    ]
    for prerequisite in innovation.prerequis:
        lines += [
            f"    - description: {_quoted(prerequisite.description)}",
            "      verdict: confirme         # confirme, pas-necessaire ou insuffisant",
        ]
    lines += [
        "",
        "  # Ce qui a vraiment été dépensé, par site, écrit comme les moyens du descripteur.",
        "  # moyens_reels:",
        "  #   humains:",
        '  #     - role: "Coordination"',
        "  #       etp: 0,2",
        "  #       statut: salarie",
        "  #   financiers:",
        '  #     - poste: "…"',
        "  #       montant: 1 000",
        "  #       nature: fonctionnement",
        "  #   delai_lancement_mois: 3",
        "  # financements_obtenus:",
        '  #   - financeur: "…"',
        "  #     nature: subvention",
        "  #     porte_sur: fonctionnement",
        "  #     montant: 5 000",
        "  # resultats:",
        '  #   - indicateur: "…"',
        "  #     valeur: 100",
        "  #     date: 2028",
        '  # difficultes: "…"',
        '  # conseils: "…"            # aux repreneurs suivants',
        "  # contact:",
        '  #   role: "Coordination du projet"',
        '  #   structure: "…"',
        "  #   courriel: contact@exemple.fr",
        "",
    ]
    return "\n".join(lines)


def create_descriptor(
    fichier: Path, start: Path, kind: str = "innovation", innovation: str | None = None
) -> list[Path]:
    """Write the skeleton of a descriptor, a profile (`territoire`), a plan or a take-over report
    (`retour`, on `innovation`) at `fichier`, and the editor schema at the repository root if
    missing.

    Returns the files written, the schema first. UsageError for a name that is not YAML or a
    file that exists; OutputError when writing fails.
    """
    if fichier.suffix not in YAML_SUFFIXES:
        raise UsageError(f"« {fichier} » : le nom {WHAT[kind]} doit finir par .yaml ou .yml")
    exists = UsageError(f"« {fichier} » existe déjà : essaimage init n'écrase jamais un fichier")
    if fichier.exists():
        raise exists
    text = new_file_text(fichier, start, kind, innovation)
    schema_path = _schema_path(start)
    written = []
    try:
        with OutputFolder(fichier.parent) as folder:  # never through a link, never overwrites
            folder.create(fichier.name, text)
        if not schema_path.exists():
            atomic_write(
                schema_path, json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
            )
            written.append(schema_path)
    except FileExistsError:
        raise exists from None
    except OSError as exc:
        raise OutputError(f"écriture impossible de « {fichier} » : {exc.strerror or exc}") from None
    return [*written, fichier]
