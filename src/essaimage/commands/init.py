"""A new descriptor, territory profile or plan to fill in: the commented skeletons that
`essaimage init` writes.

A skeleton validates without error (a descriptor with warnings: it remains to be completed); the
skeletons of a plan and of a profile name the repository's first innovation. Beside it, at the repository root,
`essaimage.schema.json` is written when it is missing, for completion in editors. An existing
file is never overwritten.
"""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path

from ..check.catalogue import json_schema
from ..check.repository import repository_for
from ..errors import OutputError, UsageError
from ..files.discovery import YAML_SUFFIXES
from ..files.output import OutputFolder, atomic_write
from ..text.words import slugify

SCHEMA_NAME = "essaimage.schema.json"


TEMPLATES = {
    "innovation": "templates/squelette.yaml",
    "territoire": "templates/squelette-territoire.yaml",
    "plan": "templates/squelette-plan.yaml",
}
WHAT = {"innovation": "du descripteur", "territoire": "du profil", "plan": "du plan"}


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


def new_file_text(fichier: Path, start: Path, kind: str = "innovation") -> str:
    """The skeleton a new file of `kind` starts from (what `essaimage init` writes, and the
    editor's `--nouveau`): a profile or plan names the repository's first innovation."""
    innovation = _first_innovation(start) if kind != "innovation" else ""
    return skeleton_text(fichier, _schema_path(start), kind, innovation)


def create_descriptor(fichier: Path, start: Path, kind: str = "innovation") -> list[Path]:
    """Write the skeleton of a descriptor, a profile (`territoire`) or a plan at `fichier`, and
    the editor schema at the repository root if missing.

    Returns the files written, the schema first. UsageError for a name that is not YAML or a
    file that exists; OutputError when writing fails.
    """
    if fichier.suffix not in YAML_SUFFIXES:
        raise UsageError(f"« {fichier} » : le nom {WHAT[kind]} doit finir par .yaml ou .yml")
    exists = UsageError(f"« {fichier} » existe déjà : essaimage init n'écrase jamais un fichier")
    if fichier.exists():
        raise exists
    text = new_file_text(fichier, start, kind)
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
