"""Prepare a transfer kit: find the receiving territory, then compute what its kit says.

`resolve_target` turns a `--territoire` argument into a `Cible`: a profile file, a profile of the
repository's `territoires/` folder by file stem, or an official territory by INSEE code or name.
`prepare` gathers everything the templates show for one (innovation, territory) pair: scaled means,
verdicts on prerequisites, choices, dated roadmap, sources. Nothing here prints or writes files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, rules, scaling
from .discovery import locate
from .findings import Finding
from .french import add_months, date_longue, mois_annee, nombre, pluriel
from .labels import TYPES_TERRITOIRE
from .loader import Document
from .models import Innovation, Profil, Projet
from .pipeline import FileCheck, check_file
from .repository import repository_for
from .scalars import slugify

PROFILE_FOLDER = "territoires"


class TargetError(Exception):
    """A `--territoire` argument that designates no usable territory."""

    def __init__(self, message: str, candidates=None, findings=None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.candidates: list[str] = candidates or []
        self.findings: list[Finding] = findings or []
        self.hint = hint


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
    population_source: str | None = None  # where the population figure comes from
    empreinte: str | None = None  # sha256 of the profile file
    document: Document | None = None  # the profile as read, for positions in findings

    def projet(self, innovation_id: str) -> Projet | None:
        """The profile's plan for this innovation, if any."""
        return self.profil.projets.get(innovation_id) if self.profil else None


# --- resolving --territoire ------------------------------------------------------------------


def profile_folders(start_points: list[Path]) -> list[Path]:
    """Profile folders of the repositories around the given places, nearest first.

    In a repository with `essaimage.yaml`, its `territoires` setting; otherwise the nearest
    `territoires/` folder upwards, not beyond a git repository's root.
    """
    seen: list[Path] = []
    for start in start_points:
        folder = start.resolve()
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


def _profile_by_stem(argument: str, folders: list[Path]) -> Path | None:
    wanted = {argument, slugify(argument)}
    for folder in folders:
        for suffix in (".yaml", ".yml"):
            for stem in sorted(wanted):
                candidate = folder / f"{stem}{suffix}"
                if stem and candidate.is_file():
                    return candidate
    return None


def resolve_target(argument: str, start_points: list[Path]) -> Cible:
    """The territory a `--territoire` argument designates; raises TargetError."""
    path = Path(argument)
    if argument.endswith((".yaml", ".yml")) or path.is_file():
        if not path.is_file():
            raise TargetError(f"le profil de territoire « {argument} » n'existe pas")
        return from_profile_file(path)
    found = _profile_by_stem(argument, profile_folders(start_points))
    if found:
        return from_profile_file(found)
    from .territoires import TerritoryNotFound, reference

    try:
        official = reference().find(argument)
    except TerritoryNotFound as exc:
        hint = (
            "Indiquez le code INSEE (département 44, commune 44109, EPCI à 9 chiffres), "
            "ou « region:53 » pour une région."
        )
        raise TargetError(exc.message, exc.candidates, hint=hint) from None
    return from_official(official)


def from_official(official) -> Cible:
    """A kit target for an official territory of the reference."""
    from .territoires import SOURCE_SHORT, reference

    return Cible(
        nom=official.nom,
        type=official.type,
        code_insee=official.code,
        population=official.population,
        libelle=reference().label(official),
        slug=f"{slugify(official.nom) or 'territoire'}-{official.code.lower()}",
        population_source=f"population municipale, {SOURCE_SHORT}",
    )


def from_profile_file(path: Path) -> Cible:
    """A kit target from a territory profile file; raises TargetError when it is not valid."""
    checked = check_file(path)
    if not checked.ok or checked.model is None:
        raise TargetError(
            f"le profil de territoire « {checked.shown_as} » contient des erreurs",
            findings=checked.findings,
        )
    if not isinstance(checked.model, Profil):
        raise TargetError(
            f"« {checked.shown_as} » décrit une innovation, pas un territoire",
            hint="Un profil de territoire a une clé « territoire: » à la racine.",
        )
    return from_profile(checked.model, path, checked.document)


def from_profile(profil: Profil, path: Path, document: Document | None = None) -> Cible:
    """A kit target from a valid profile; name and population completed from the reference."""
    territoire = profil.territoire
    nom, population = territoire.nom, territoire.population
    source = "profil du territoire" if population is not None else None
    libelle = None
    if territoire.code_insee and territoire.type in ("commune", "epci", "departement", "region"):
        from .territoires import SOURCE_SHORT, reference

        official = reference().get(territoire.type, territoire.code_insee)
        if official:
            nom = nom or official.nom
            if population is None and official.population is not None:
                population = official.population
                source = f"population municipale, {SOURCE_SHORT}"
            if nom == official.nom:
                libelle = reference().label(official)
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
        population_source=source,
        empreinte=_sha256(path),
        document=document,
    )


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


# --- what the kit says -----------------------------------------------------------------------

VERDICTS = {
    "rempli": "Rempli",
    "non-rempli": "Non rempli",
    "a-verifier": "À vérifier localement",
}


@dataclass
class Verdict:
    """A prerequisite and what can be said of it for this territory."""

    description: str
    statut: str  # rempli, non-rempli, a-verifier
    explications: list[str]

    @property
    def libelle(self) -> str:
        """The French label of the verdict."""
        return VERDICTS[self.statut]


@dataclass
class EtapeDatee:
    """A roadmap step with its place in time."""

    etape: object
    periode: str  # "mars 2027 – avril 2027" or "mois 1 à 2"


@dataclass
class Kit:
    """Everything the templates show for one innovation and one territory."""

    innovation: Innovation
    cible: Cible
    projet: Projet | None
    moyens: scaling.MoyensCalcules
    degrade: scaling.MoyensCalcules | None
    prerequis: list[Verdict]
    choix: dict[str, str]
    feuille_de_route: list[EtapeDatee]
    duree_totale: float
    lancement: str | None
    resultats_cles: list
    titres_marges: dict[str, str]
    sources: dict[str, str]
    avertissements: list[Finding] = field(default_factory=list)  # kit-time rules (T…, K301)
    indice: object = None  # the descriptor's readiness score
    genere_le: str | None = None
    version: str = __version__


def _population_check(low, high, cible: Cible) -> tuple[bool | None, str]:
    if cible.population is None:
        return None, "population du territoire inconnue"
    pop = cible.population
    shown = f"{nombre(pop)} {pluriel(pop, 'habitant')}"
    if low is not None and pop < low:
        return False, f"{shown}, moins que le minimum de {nombre(low)}"
    if high is not None and pop > high:
        return False, f"{shown}, plus que le maximum de {nombre(high)}"
    bounds = []
    if low is not None:
        bounds.append(f"au moins {nombre(low)}")
    if high is not None:
        bounds.append(f"au plus {nombre(high)}")
    return True, f"{shown} ({' et '.join(bounds)} requis)"


def _type_check(types: list[str], cible: Cible) -> tuple[bool | None, str]:
    wanted = ", ".join(TYPES_TERRITOIRE[t] for t in types)
    if cible.type is None:
        return None, f"type de territoire inconnu (types visés : {wanted})"
    shown = TYPES_TERRITOIRE[cible.type]
    if cible.type in types:
        return True, f"le territoire est de type {shown} (types visés : {wanted})"
    return False, f"le territoire est de type {shown}, or ce prérequis vise : {wanted}"


def verdicts(innovation: Innovation, cible: Cible) -> list[Verdict]:
    """A verdict per prerequisite, from population bounds and territory types."""
    out = []
    for prerequis in innovation.prerequis:
        results: list[tuple[bool | None, str]] = []
        if prerequis.population_min is not None or prerequis.population_max is not None:
            results.append(
                _population_check(prerequis.population_min, prerequis.population_max, cible)
            )
        if prerequis.types_territoire:
            results.append(_type_check(prerequis.types_territoire, cible))
        if not results:
            statut, notes = "a-verifier", ["essaimage ne peut pas le vérifier : à voir sur place"]
        else:
            notes = [text for _, text in results]
            oks = [ok for ok, _ in results]
            statut = "non-rempli" if False in oks else "a-verifier" if None in oks else "rempli"
        out.append(Verdict(prerequis.description, statut, notes))
    return out


def roadmap(innovation: Innovation, debut: dt.date | None) -> tuple[list[EtapeDatee], float]:
    """Steps with their months: calendar months from `debut`, else "mois 1 à 2"."""
    steps = []
    offset = 0.0
    for etape in innovation.etapes:
        duree = etape.duree_mois
        if not duree:
            steps.append(EtapeDatee(etape, "durée non précisée"))
            continue
        first, last = math.floor(offset), max(math.ceil(offset + duree) - 1, math.floor(offset))
        if debut:
            start, end = add_months(debut, first), add_months(debut, last)
            periode = (
                mois_annee(start) if first == last else f"{mois_annee(start)} – {mois_annee(end)}"
            )
        else:
            periode = f"mois {first + 1}" if first == last else f"mois {first + 1} à {last + 1}"
        steps.append(EtapeDatee(etape, periode))
        offset += duree
    return steps, offset


def generation_date() -> str | None:
    """The date to print in kits: only when SOURCE_DATE_EPOCH asks for one."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    try:
        moment = dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        return None
    return date_longue(moment.date())


def prepare(innovation: Innovation, descriptor: FileCheck, cible: Cible) -> Kit:
    """Everything one kit shows, computed for this territory."""
    projet = cible.projet(innovation.id)
    effectifs = scaling.Effectifs(cible.population, projet.beneficiaires if projet else None)
    moyens = scaling.compute(innovation.moyens, effectifs)
    degrade = None
    if innovation.mode_degrade and innovation.mode_degrade.moyens:
        degrade = scaling.compute(innovation.mode_degrade.moyens, effectifs)
    debut = projet.debut if projet else None
    steps, total = roadmap(innovation, debut)

    lancement = None
    if moyens.delai_lancement_mois is not None and debut:
        lancement = mois_annee(add_months(debut, math.ceil(moyens.delai_lancement_mois)))

    titres_marges = {m.id: m.titre for m in innovation.marges}
    titres_marges.update({c.id: c.titre for c in innovation.coeur})
    choix = dict(projet.choix) if projet else {}
    checks = verdicts(innovation, cible)
    repository = (
        descriptor.repository.overrides_for(descriptor.path) if descriptor.repository else {}
    )
    overrides = {**repository, **innovation.regles}
    facts = rules.KitFacts(innovation, cible, checks, choix, projet)
    warnings = rules.kit_findings(facts, descriptor.document, descriptor.shown_as, overrides)

    key_results = [r for r in innovation.resultats if r.nature == "resultat"][:3]
    sources = {
        "descripteur": descriptor.path.name,
        "empreinte_descripteur": _sha256(descriptor.path),
    }
    if cible.fichier:
        sources["profil"] = cible.fichier.name
        sources["empreinte_profil"] = cible.empreinte or ""
    return Kit(
        innovation=innovation,
        cible=cible,
        projet=projet,
        moyens=moyens,
        degrade=degrade,
        prerequis=checks,
        choix=choix,
        feuille_de_route=steps,
        duree_totale=total,
        lancement=lancement,
        resultats_cles=key_results or innovation.resultats[:3],
        titres_marges=titres_marges,
        sources=sources,
        avertissements=warnings,
        indice=descriptor.indice or rules.indice(innovation),
        genere_le=generation_date(),
    )
