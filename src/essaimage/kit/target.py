"""The receiving territory of a kit, from what a user writes after `--territoire`.

In this order: a path to a territory profile; a profile of the repository's profile folder by file
stem (`saint-brieuc`); an official territory of the reference by INSEE code, SIREN or name. The
result is a `Cible`: the territory's name, type, code and population, and its profile if it has
one. Nothing here prints.
"""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from ..check.consistency import project_against
from ..check.loader import Document
from ..check.pipeline import FileCheck, check_file
from ..check.repository import repository_for
from ..errors import InvalidProfileError, TargetError, UsageError
from ..files.discovery import YAML_SUFFIXES, locate
from ..files.paths import display_path
from ..findings import Finding
from ..format.models import Innovation, Profil, Projet
from ..format.vocabulary import OFFICIAL_TYPES
from ..territories.cog import SOURCE_SHORT, TerritoireOfficiel, TerritoryNotFound, reference
from ..text.french import NomPropre
from ..text.words import slugify

PROFILE_FOLDER = "territoires"


@dataclass
class Cible:
    """The receiving territory of a kit."""

    nom: str
    type: str | None
    code_insee: str | None
    population: int | None
    libelle: str  # "Nantes (44109, Loire-Atlantique)"
    slug: str
    profil: Profil | None = None
    fichier: Path | None = None
    source_population: str | None = None  # where the population figure comes from
    empreinte: str | None = None  # sha256 of the profile file
    document: Document | None = None  # the profile as read, for positions in findings
    note: str | None = None  # what the user should know of how the argument was read

    @functools.cached_property
    def nom_propre(self) -> NomPropre:
        """The name and its French forms: « pour l'Ain », « de la CA Redon Agglomération ».

        The profile's `article` first, then the official reference, then a guess from the name.
        """
        article = self.profil.territoire.article if self.profil else None
        if article is not None:
            return NomPropre.avec_article(self.nom, article)
        if self.code_insee and self.type in OFFICIAL_TYPES:
            official = reference().get(self.type, self.code_insee)
            if official is not None and official.nom == self.nom:
                return official.nom_propre
        return NomPropre.devine(self.nom)

    def projet(self, innovation_id: str) -> Projet | None:
        """The profile's plan for this innovation, if any."""
        return self.profil.projets.get(innovation_id) if self.profil else None


def profile_folders(start_points: list[Path]) -> list[Path]:
    """Profile folders of the repositories around the given places, nearest first.

    In a repository with `essaimage.yaml`, its `territoires` setting; otherwise the nearest
    `territoires/` folder upwards, not beyond a git repository's root.
    """
    seen: list[Path] = []
    for start in start_points:
        folder = Path(os.path.abspath(start))
        repository = repository_for(folder)
        if repository.root is not None:
            for pattern in repository.model.territoires:
                candidate = repository.root / pattern
                if candidate.is_dir() and candidate not in seen:
                    seen.append(candidate)
            continue
        for candidate in locate(folder).folders:
            profiles = candidate / PROFILE_FOLDER
            if profiles.is_dir():
                if profiles not in seen:
                    seen.append(profiles)
                break
    return seen


def find_profile(argument: str, folders: list[Path]) -> Path | None:
    """The profile a name designates in these folders (nearest first): `name.yaml`, then
    `name.yml`, as written then as a slug; the one look-up of `kit` and `plan`."""
    wanted = {argument, slugify(argument)}
    for folder in folders:
        for suffix in YAML_SUFFIXES:
            for stem in sorted(wanted):
                candidate = folder / f"{stem}{suffix}"
                if stem and candidate.is_file():
                    return candidate
    return None


def resolve_target(argument: str, start_points: list[Path]) -> Cible:
    """The territory a `--territoire` argument designates.

    TargetError when it designates none (or several), InvalidProfileError for a profile with
    errors, UsageError for a profile path that does not exist.
    """
    path = Path(argument)
    if argument.endswith(YAML_SUFFIXES) or path.is_file():
        if not path.is_file():
            raise UsageError(f"le profil de territoire « {argument} » n'existe pas")
        return from_profile_file(path)
    found = find_profile(argument, profile_folders(start_points))
    if found:
        return from_profile_file(found)
    try:
        resolution = reference().resolve(argument)
    except TerritoryNotFound as exc:
        hint = (
            "Indiquez le code INSEE (département 44, commune 44109, EPCI à 9 chiffres), "
            "ou « region:53 » pour une région."
        )
        raise TargetError(exc.message, exc.candidates, hint=hint) from None
    cible = from_official(resolution.territoire)
    cible.note = resolution.note
    return cible


def from_official(official: TerritoireOfficiel) -> Cible:
    """A kit target for an official territory of the reference."""
    return Cible(
        nom=official.nom,
        # a municipal arrondissement is read as a commune (the format has no such type)
        type="commune" if official.type == "arrondissement" else official.type,
        code_insee=official.code,
        population=official.population,
        libelle=reference().label(official),
        slug=f"{slugify(official.nom) or 'territoire'}-{official.code.lower()}",
        source_population=f"population municipale, {SOURCE_SHORT}",
    )


def from_profile_file(path: Path) -> Cible:
    """A kit target from a territory profile file, checked first."""
    checked = check_file(path)
    if not checked.ok or checked.model is None:
        raise InvalidProfileError(
            f"le profil de territoire « {checked.shown_as} » contient des erreurs",
            checked.findings,
            checked.text,
        )
    if not isinstance(checked.model, Profil):
        raise UsageError(
            f"« {checked.shown_as} » décrit une innovation, pas un territoire",
            "Un profil de territoire a une clé « territoire: » à la racine.",
        )
    return from_profile(checked.model, path, checked.document)


def from_profile(profil: Profil, path: Path, document: Document | None = None) -> Cible:
    """A kit target from a valid profile; name and population completed from the reference."""
    territoire = profil.territoire
    nom, population = territoire.nom, territoire.population
    source = "profil du territoire" if population is not None else None
    libelle = None
    if territoire.code_insee and territoire.type in OFFICIAL_TYPES:
        official = reference().get(territoire.type, territoire.code_insee)
        if official:
            nom = nom or official.nom
            if population is None and official.population is not None:
                population = official.population
                source = f"population municipale, {SOURCE_SHORT}"
            if nom == official.nom:
                libelle = reference().label(official)
    # The model requires a name unless the code and type name an official territory.
    nom = nom or territoire.code_insee or path.stem
    libelle = libelle or (f"{nom} ({territoire.code_insee})" if territoire.code_insee else nom)
    return Cible(
        nom=nom,
        type=territoire.type,
        code_insee=territoire.code_insee,
        population=population,
        libelle=libelle,
        slug=slugify(path.stem) or slugify(nom) or "territoire",
        profil=profil,
        fichier=path,
        source_population=source,
        empreinte=sha256_prefix(path),
        document=document,
    )


def sha256_prefix(path: Path) -> str:
    """The first 12 hexadecimal digits of the file's SHA-256: which version a kit was made from."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def project_errors(checked: FileCheck, cible: Cible) -> list[Finding]:
    """`project_against` for a kit: the territory's project for the innovation of `checked`,
    against it; none for a territory without a profile or without such a project."""
    model, identity = checked.model, checked.identity
    if not isinstance(model, Innovation) or identity is None:
        return []
    projet = cible.projet(model.id)
    if projet is None or cible.document is None or cible.fichier is None:
        return []
    return project_against(display_path(cible.fichier), cible.document, model.id, projet, identity)
