"""Consistency checks inside one valid file, beyond what the schema can say.

Descriptor: coeur and marge ids unique and disjoint; adaptations of earlier take-overs name a marge
(or a coeur element: that is a deployability rule's business, not an error here); resource files
exist beside the descriptor; a resource has either `url` or `chemin`; a marge option `retire`s
lines that exist; funding shares on the same budget add up to 100 % at most.
Profile: an official territory given by code and type exists in the reference, and so do the
communes of a project's perimeter; funding shares add up to 100 % at most.
Plan: its territories exist, no target twice, the files it names lie in the repository, at most
MAX_SELECTIONS selections, its waves and its targets' starts within MAX_MOIS months of its start
(what the file alone tells; `plan.compute` checks the same on the computed waves).
Between files (`check_across`): innovation ids unique, profiles' projects and choices known,
plans name a known innovation and have unique ids. Every
check is a pure function of what the pipeline has read: none of them reads a descriptor.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel

from ..files.confinement import is_inside
from ..files.discovery import YAML_SUFFIXES, is_configuration
from ..files.paths import display_path
from ..findings import Finding, Severity
from ..format.models import (
    MAX_MOIS,
    MAX_SELECTIONS,
    ElementCoeur,
    FichierPlan,
    Financement,
    Innovation,
    Marge,
    Plan,
    Profil,
    Projet,
    TerritoireProfil,
    is_profile,
    line_label,
    means_lines,
)
from ..format.vocabulary import DE_PORTE_SUR, OFFICIAL_TYPES
from ..territories.cog import TerritoryNotFound, reference
from ..text.french import date_longue, nombre, pluriel
from ..text.words import normalize_name, suggest
from .diagnostics import split_name_hint
from .loader import Document, PathKey, path_to_str


def _error(
    file: str,
    doc: Document,
    path: PathKey,
    code: str,
    message: str,
    hint: str | None = None,
    key: bool = False,
) -> Finding:
    pos = doc.key_pos(path) if key else doc.pos(path)
    return Finding(
        file, pos.line, pos.column, path_to_str(path), code, Severity.ERREUR, message, hint
    )


def check_innovation(
    model: Innovation, doc: Document, file: str, folder: Path, roots: Sequence[Path]
) -> list[Finding]:
    """Findings of the in-file checks of a descriptor; `folder` holds the descriptor, `roots`
    are where its resources may lie (the repository)."""
    findings: list[Finding] = []
    coeur_lines = _unique_ids(model.coeur, "coeur", {}, doc, file, findings)
    marge_lines = _unique_ids(model.marges, "marges", coeur_lines, doc, file, findings)

    known = list(marge_lines) + list(coeur_lines)
    for i, reprise in enumerate(model.essaimages):
        for j, adaptation in enumerate(reprise.adaptations):
            if adaptation.marge in known:
                continue
            close = suggest(adaptation.marge, known)
            message = (
                f"l'adaptation porte sur « {adaptation.marge} », qui n'est ni une marge ni un "
                "élément du cœur de ce descripteur"
            )
            if close:
                message += f" ; vouliez-vous dire « {close} » ?"
            hint = "Marges déclarées : " + (", ".join(marge_lines) or "aucune") + "."
            path = ("essaimages", i, "adaptations", j, "marge")
            findings.append(_error(file, doc, path, "C203", message, hint))

    for i, ressource in enumerate(model.ressources):
        base = ("ressources", i)
        if ressource.url and ressource.chemin:
            findings.append(
                _error(
                    file, doc, base + ("chemin",), "C205",
                    "une ressource a soit un « url », soit un « chemin », pas les deux",
                    "Gardez le lien web ou le fichier, et décrivez l'autre dans une seconde ressource.",
                )
            )  # fmt: skip
        elif not ressource.url and not ressource.chemin:
            findings.append(
                _error(
                    file, doc, base, "C205",
                    f"la ressource « {ressource.titre} » n'a ni « url » ni « chemin »",
                    "Ajoutez un lien web (url) ou le chemin d'un fichier placé à côté du descripteur.",
                )
            )  # fmt: skip
        if ressource.chemin:
            where = (*base, "chemin")
            findings.extend(_check_path(ressource.chemin, folder, roots, file, doc, where))
    findings.extend(_removed_lines(model, doc, file))
    findings.extend(_shares(model.financements, ("financements",), doc, file))
    return findings


def _removed_lines(model: Innovation, doc: Document, file: str) -> list[Finding]:
    """C208: an option's `retire` names a line of the descriptor's `moyens`."""
    findings: list[Finding] = []
    if not any(not isinstance(o, str) and o.retire for m in model.marges for o in m.options):
        return findings
    labels = [line_label(item) for item in means_lines(model.moyens)]
    written = set(labels)  # most names are written as in « moyens »: no folding needed
    names: dict[str, str] | None = None
    for i, marge in enumerate(model.marges):
        for j, option in enumerate(marge.options):
            if isinstance(option, str):
                continue
            for k, name in enumerate(option.retire):
                if name in written:
                    continue
                if names is None:
                    names = {normalize_name(label): label for label in labels}
                if normalize_name(name) in names:
                    continue
                close = suggest(name, sorted(names.values()))
                message = (
                    f"l'option « {option.option} » retire « {name} », qui n'est le rôle, le "
                    "poste ni l'élément d'aucun moyen du descripteur"
                )
                if close:
                    message += f" ; vouliez-vous dire « {close} » ?"
                path = ("marges", i, "options", j, "retire", k)
                hint = _cut_at_comma(
                    doc, path, names,
                    "Écrivez le « role », le « poste » ou l'« element » tel qu'il figure dans "
                    "« moyens ».",
                )  # fmt: skip
                findings.append(_error(file, doc, path, "C208", message, hint))
    return findings


def _cut_at_comma(doc: Document, path: PathKey, names: Mapping[str, str], hint: str) -> str:
    """The hint of a name that names nothing: the one naming the quotes when YAML may have cut
    it at a comma of its `[…]` list (`names`: the names the check knows, folded), else `hint`."""
    cut = any("," in name for name in names)  # else no name can have been cut at a comma
    found = split_name_hint(
        doc, path, (lambda text: names.get(normalize_name(text))) if cut else None
    )
    if found is None:
        return hint
    said, certain = found
    return said if certain else f"{said} Sinon, {hint[0].lower()}{hint[1:]}"


def _shares(
    financements: Sequence[Financement], base: PathKey, doc: Document, file: str
) -> list[Finding]:
    """C209: the shares (`part`) paid on investment, and those on operation, each stay within
    100 %; the item that crosses the line is named."""
    findings = []
    totals = {"investissement": 0.0, "fonctionnement": 0.0}
    for i, item in enumerate(financements):
        if item.part is None:
            continue
        for budget in totals:
            if item.porte_sur not in (budget, "tout"):
                continue
            before = totals[budget]
            totals[budget] += item.part
            if before <= 100 < totals[budget]:
                findings.append(
                    _error(
                        file, doc, (*base, i, "part"), "C209",
                        f"avec « {item.financeur} », les parts de financement "
                        f"{DE_PORTE_SUR[budget]} atteignent {nombre(totals[budget])} % : un "
                        "financement ne paie pas plus que la dépense",
                        "Revoyez les parts : leur somme sur un même budget ne dépasse pas 100 %.",
                    )
                )  # fmt: skip
    return findings


def _unique_ids(
    items: Sequence[ElementCoeur | Marge],
    key: str,
    coeur_lines: dict[str, int],
    doc: Document,
    file: str,
    findings: list[Finding],
) -> dict[str, int]:
    """The line of each id of `items`; repeated ids, and marge ids taken from the coeur, are errors."""
    lines: dict[str, int] = {}
    for i, item in enumerate(items):
        path = (key, i, "id")
        if item.id in coeur_lines:
            findings.append(
                _error(
                    file, doc, path, "C202",
                    f"« {item.id} » est à la fois un élément du cœur (ligne {coeur_lines[item.id]}) "
                    "et une marge : un élément non négociable ne peut pas être adapté",
                    "Renommez l'un des deux, ou retirez-le du cœur ou des marges.",
                )
            )  # fmt: skip
        elif item.id in lines:
            findings.append(
                _error(
                    file, doc, path, "C201",
                    f"identifiant « {item.id} » en double dans « {key} » "
                    f"(déjà utilisé ligne {lines[item.id]})",
                )
            )  # fmt: skip
        else:
            lines[item.id] = doc.pos(path).line
    return lines


def _check_path(
    chemin: str, folder: Path, roots: Sequence[Path], file: str, doc: Document, path: PathKey
) -> list[Finding]:
    if Path(chemin).is_absolute() or chemin.startswith(("/", "\\")) or ":" in chemin[:3]:
        return [
            _error(
                file, doc, path, "C204",
                f"« {chemin} » est un chemin absolu : indiquez-le par rapport au dossier du descripteur",
            )
        ]  # fmt: skip
    if not is_inside(folder / chemin, roots):
        # Whether such a file exists is not said: that would tell anyone what is outside.
        return [
            _error(
                file, doc, path, "C204",
                f"« {chemin} » sort du dépôt : une ressource est un fichier du dépôt",
                "Placez la ressource dans le dépôt, par exemple dans un dossier ressources/ à "
                "côté du descripteur.",
            )
        ]  # fmt: skip
    try:
        exists = (folder / chemin).is_file()
    except OSError:
        exists = False
    if exists:
        return []
    return [
        _error(
            file, doc, path, "C204",
            f"le fichier « {chemin} » est introuvable à côté du descripteur "
            f"(cherché dans « {display_path(folder)} »)",
            "Le chemin se lit à partir du dossier qui contient le descripteur.",
        )
    ]  # fmt: skip


def check_profile(model: Profil, doc: Document, file: str) -> list[Finding]:
    """Findings of the in-file checks of a territory profile."""
    findings = territory_code(model.territoire, ("territoire",), doc, file)
    for ident, projet in model.projets.items():
        base: PathKey = ("projets", ident)
        if projet.perimetre is not None:
            for k, code in enumerate(projet.perimetre.communes):
                if reference().get("commune", code) is None:
                    findings.append(
                        _error(
                            file, doc, (*base, "perimetre", "communes", k), "C207",
                            f"aucune commune n'a le code INSEE « {code} » dans le COG 2026 : "
                            "elle n'est pas comptée dans la population du périmètre",
                            "Vérifiez le code sur insee.fr (5 caractères, celui de la commune, "
                            "pas son code postal).",
                        )
                    )  # fmt: skip
        findings.extend(_shares(projet.financements, (*base, "financements"), doc, file))
        findings.extend(_choice_sites(projet, base, doc, file))
    return findings


def _choice_sites(projet: Projet, base: PathKey, doc: Document, file: str) -> list[Finding]:
    """C214: the sites of a choice by sites add up to the project's sites (its `sites`, else
    the sites of its first choice by sites)."""
    expected: int | None = projet.sites
    origin = "le projet prévoit"
    if expected is None:
        expected, origin = projet.sites_des_choix(), "le premier choix par sites en compte"
    findings: list[Finding] = []
    for marge_id, value in projet.choix.items():
        if not isinstance(value, list):
            continue
        total = sum(item.sites for item in value)
        if expected is not None and total != expected:
            findings.append(
                _error(
                    file, doc, (*base, "choix", marge_id), "C214",
                    f"les options choisies pour « {marge_id} » comptent {nombre(total)} "
                    f"{pluriel(total, 'site')}, mais {origin} {nombre(expected)} "
                    f"{pluriel(expected, 'site')}",
                    "Chaque site prend une option : les « sites » de la liste font ensemble les "
                    "sites du projet (par exemple 5 + 1 pour 6 sites).",
                    key=True,
                )
            )  # fmt: skip
    return findings


def territory_code(
    territoire: TerritoireProfil | None, where: PathKey, doc: Document, file: str
) -> list[Finding]:
    """C207: an official territory given by code and type (a profile's, a take-over report's,
    at `where`) exists in the reference."""
    if territoire is None or not (territoire.code_insee and territoire.type in OFFICIAL_TYPES):
        return []
    if reference().get(territoire.type, territoire.code_insee):
        return []
    return [
        _error(
            file, doc, (*where, "code_insee"), "C207",
            f"aucun territoire de type « {territoire.type} » n'a le code INSEE "
            f"« {territoire.code_insee} » dans le COG 2026",
            "Vérifiez le code sur insee.fr, ou retirez « type » pour un territoire hors référentiel.",
        )
    ]  # fmt: skip


def check_plan(
    model: FichierPlan, doc: Document, file: str, folder: Path, roots: Sequence[Path]
) -> list[Finding]:
    """Findings of the in-file checks of a scale-up plan: territories known to the reference,
    no target twice, files it names present in the repository, shares within 100 %, and the
    bounds that keep its computing short (selections, waves, starts)."""
    plan = model.plan
    findings: list[Finding] = []
    base: PathKey = ("plan",)
    if plan.innovation.endswith(YAML_SUFFIXES):
        findings += _named_file(plan.innovation, folder, roots, file, doc, (*base, "innovation"))
    seen: dict[tuple[str, str], int] = {}
    selections = 0
    for i, cible in enumerate(plan.cibles):
        where: PathKey = (*base, "cibles", i)
        if cible.profil is not None:
            key = ("profil", cible.profil)
            if cible.profil.endswith(YAML_SUFFIXES):
                findings += _named_file(cible.profil, folder, roots, file, doc, (*where, "profil"))
        elif cible.selection is not None:
            key = ("selection", f"{cible.selection.dans}/{cible.selection.type}")
            findings += _selection_place(cible.selection.dans, doc, file, (*where, "selection"))
            selections += 1
            if selections == MAX_SELECTIONS + 1:
                findings.append(
                    _error(
                        file, doc, (*where, "selection"), "C213",
                        f"le plan compte plus de {MAX_SELECTIONS} sélections : chacune parcourt "
                        "tout le référentiel des territoires",
                        "Réunissez-les : une sélection par région ou par département suffit, "
                        "avec « exclure » pour les territoires à laisser de côté.",
                        key=True,
                    )
                )  # fmt: skip
        else:
            key = ("territoire", cible.code_insee or normalize_name(cible.nom or ""))
            official = cible.code_insee and cible.type in OFFICIAL_TYPES
            if official and reference().get(str(cible.type), str(cible.code_insee)) is None:
                findings.append(
                    _error(
                        file, doc, (*where, "code_insee"), "C207",
                        f"aucun territoire de type « {cible.type} » n'a le code INSEE "
                        f"« {cible.code_insee} » dans le COG 2026",
                        "Cherchez le code avec : essaimage territoires NOM",
                    )
                )  # fmt: skip
        if key in seen:
            findings.append(
                _error(
                    file, doc, where, "C210",
                    f"cette cible est déjà nommée (cible {seen[key] + 1}) : un territoire ne "
                    "compte qu'une fois dans un plan",
                    "Retirez l'une des deux, ou réunissez leurs sites dans une seule cible.",
                )
            )  # fmt: skip
        else:
            seen[key] = i
        problem = start_problem(plan, cible.debut)
        if problem is not None:
            findings.append(_error(file, doc, (*where, "debut"), "C212", *problem))
    problem = waves_problem(plan, _fewest_waves(plan), at_least=True)
    if problem is not None:
        findings.append(_error(file, doc, (*base, "vagues"), "C212", *problem, key=True))
    findings.extend(_shares(plan.financements, (*base, "financements"), doc, file))
    return findings


def _fewest_waves(plan: Plan) -> int:
    """The waves the plan has at least, from what the file says: every target has a site or
    more (its `sites` when written), and a wave holds `sites_par_vague` of them at most."""
    if plan.vagues is None:
        return 1
    known = sum(cible.sites or 1 for cible in plan.cibles if cible.selection is None)
    return max(-(-known // plan.vagues.sites_par_vague), 1)


def waves_problem(plan: Plan, last_wave: int, at_least: bool = False) -> tuple[str, str] | None:
    """Why the plan's waves are refused (message, hint), or None: the last wave must start at
    most MAX_MOIS months after the plan's start (its dates then stay on the calendar, and its
    years are bounded)."""
    if plan.vagues is None:
        return None
    months = plan.vagues.intervalle_mois * (last_wave - 1)
    if months <= MAX_MOIS:
        return None
    cap, interval = plan.vagues.sites_par_vague, plan.vagues.intervalle_mois
    waves = f"{'au moins ' if at_least else ''}{nombre(last_wave)} vagues"
    return (
        f"les vagues du plan s'étendent sur plus de 100 ans : {waves} ({nombre(cap)} "
        f"{pluriel(cap, 'site')} par vague au plus, {every_months(interval)}), la "
        f"dernière démarrerait {nombre(months)} mois après le début du plan ; "
        f"{nombre(MAX_MOIS)} mois au plus",
        "Mettez plus de sites par vague, rapprochez les vagues ou partagez le plan en plusieurs.",
    )


def every_months(interval: int) -> str:
    """« une par mois », « une tous les 6 mois »."""
    return "une par mois" if interval == 1 else f"une tous les {nombre(interval)} mois"


def start_problem(plan: Plan, debut: object) -> tuple[str, str] | None:
    """Why a target's own start is refused (message, hint), or None: at most MAX_MOIS months
    after the plan's start, like its waves."""
    if not isinstance(debut, dt.date):
        return None
    months = (debut.year - plan.debut.year) * 12 + debut.month - plan.debut.month
    if months <= MAX_MOIS:
        return None
    return (
        f"cette cible démarrerait {nombre(months)} mois après le début du plan "
        f"({date_longue(plan.debut)}) : {nombre(MAX_MOIS)} mois (100 ans) au plus",
        "Vérifiez l'année de ce début, ou faites-en un plan à part.",
    )


def plan_finding(
    file: str, doc: Document, path: PathKey, code: str, message: str, hint: str, key: bool
) -> Finding:
    """A finding of a plan at `path` (its key with `key`), for the bounds that only its computing
    reveals (`plan.compute`)."""
    return _error(file, doc, path, code, message, hint, key=key)


def _selection_place(dans: str, doc: Document, file: str, where: PathKey) -> list[Finding]:
    """C207: the territory a selection searches in exists."""
    try:
        reference().resolve(dans)
    except TerritoryNotFound as exc:
        hint = "Territoires proches : " + " ; ".join(exc.candidates[:5]) if exc.candidates else None
        return [_error(file, doc, (*where, "dans"), "C207", exc.message, hint)]
    return []


def _named_file(
    name: str, folder: Path, roots: Sequence[Path], file: str, doc: Document, path: PathKey
) -> list[Finding]:
    """C211: a descriptor or a profile a plan names by its path lies in the repository."""
    target = folder / name
    if Path(name).is_absolute() or not is_inside(target, roots):
        message = f"« {name} » sort du dépôt : un plan ne nomme que des fichiers du dépôt"
    else:
        try:
            if target.is_file():
                return []
        except OSError:
            pass
        message = (
            f"le fichier « {name} » est introuvable (cherché depuis « {display_path(folder)} »)"
        )
    hint = (
        "Le chemin se lit depuis le dossier du plan ; ou nommez l'innovation par son identifiant."
    )
    return [_error(file, doc, path, "C211", message, hint)]


@dataclass(frozen=True, slots=True)
class InnovationIdentity:
    """What the checks between files keep of an innovation-shaped file once it is checked: its
    `id`, where that id stands, and its marges' ids (None when the file is not a valid
    descriptor: its choices are then checked with the descriptor itself)."""

    id: str
    line: int
    column: int
    marges: tuple[str, ...] | None
    lignes: tuple[str, ...] | None = None  # its means' names, those of options' `ajoute` too
    roles: tuple[str, ...] | None = None  # the roles among them
    coeur: tuple[str, ...] | None = None  # its cœur elements' ids (for take-over reports)
    options: tuple[tuple[str, tuple[str, ...]], ...] | None = None  # marge id -> option names
    prerequis: tuple[str, ...] | None = None  # its prerequisites' descriptions


def innovation_identity(
    path: Path, document: Document | None, model: BaseModel | None
) -> InnovationIdentity | None:
    """The identity of a file whose root has a textual `id` and that is neither a profile nor
    the configuration; None for any other file."""
    data = document.data if document else None
    if document is None or not isinstance(data, dict) or not isinstance(data.get("id"), str):
        return None
    if is_profile(data) or is_configuration(path):
        return None
    pos = document.pos(("id",))
    # interned: the same marge names recur across a catalogue, and this outlives the file
    marges = (
        tuple(sys.intern(m.id) for m in model.marges) if isinstance(model, Innovation) else None
    )
    if not isinstance(model, Innovation):
        return InnovationIdentity(data["id"], pos.line, pos.column, marges)
    added = [
        o.ajoute for m in model.marges for o in m.options if not isinstance(o, str) and o.ajoute
    ]
    everything = [model.moyens, *added]
    labels = tuple(dict.fromkeys(line_label(item) for m in everything for item in means_lines(m)))
    roles = tuple(dict.fromkeys(h.role for m in everything for h in m.humains))
    coeur = tuple(sys.intern(c.id) for c in model.coeur)
    options = tuple((sys.intern(m.id), tuple(m.option_names())) for m in model.marges)
    prerequis = tuple(p.description for p in model.prerequis)
    return InnovationIdentity(
        data["id"], pos.line, pos.column, marges, labels, roles, coeur, options, prerequis
    )


class CheckedFile(Protocol):
    """What the checks between files need to know of one checked file: its identity, and the
    document and model of a profile or a plan (those of other files may be dropped)."""

    @property
    def path(self) -> Path: ...
    @property
    def shown_as(self) -> str: ...
    @property
    def document(self) -> Document | None: ...
    @property
    def model(self) -> BaseModel | None: ...
    @property
    def identity(self) -> InnovationIdentity | None: ...


def check_across(
    checked: Sequence[CheckedFile],
    outside_ids: Mapping[Path, Mapping[str, set[str] | None]],
    profile_names: Mapping[Path, set[str]] | None = None,
    outside_identities: Mapping[Path, Mapping[str, InnovationIdentity | None]] | None = None,
) -> list[Finding]:
    """Checks between the files of one run: innovation ids unique; profiles' `projets` name
    known innovations, and their `choix` name marges of those innovations.

    `outside_ids` gives, for each profile's path, its repository's innovations that this run did
    not check (the pipeline reads them): a project may name one of those, and its choices are
    checked against that innovation's marges. `outside_identities` gives, for a profile, the
    identities of the innovations its projects name that the run did not check (read by the
    pipeline): its means lines and roles are then checked as in a run over the repository.
    """
    findings: list[Finding] = []
    innovations: dict[str, tuple[str, InnovationIdentity]] = {}  # id -> (file, identity)
    for item in checked:
        identity = item.identity
        if identity is None:
            continue
        if identity.id in innovations:
            first, earlier = innovations[identity.id]
            findings.append(
                Finding(
                    item.shown_as, identity.line, identity.column, "id", "R101", Severity.ERREUR,
                    f"l'identifiant « {identity.id} » est déjà celui de {first} "
                    f"(ligne {earlier.line}) : chaque innovation du dépôt a son propre identifiant",
                )
            )  # fmt: skip
        else:
            innovations[identity.id] = (item.shown_as, identity)
    plans: dict[str, tuple[CheckedFile, int]] = {}  # id -> (file, line)
    for item in checked:
        if item.document is None:
            continue
        outside = outside_ids.get(item.path, {})
        known = set(innovations) | set(outside)
        if isinstance(item.model, Profil) and known:  # with no innovation, nothing can be said
            marges = {ident: identity.marges for ident, (_, identity) in innovations.items()}
            identities = {
                ident: identity
                for ident, identity in (outside_identities or {}).get(item.path, {}).items()
                if identity is not None
            }
            identities.update({ident: identity for ident, (_, identity) in innovations.items()})
            findings.extend(
                _project_findings(
                    item, item.model, item.document, known, marges, outside, identities
                )
            )
        elif isinstance(item.model, FichierPlan):
            findings.extend(_plan_findings(item, item.model, item.document, known, plans))
            names = (profile_names or {}).get(item.path, set())
            findings.extend(_plan_profiles(item, item.model, item.document, names))
    return findings


def _plan_profiles(
    item: CheckedFile, model: FichierPlan, document: Document, names: set[str]
) -> list[Finding]:
    """R106: a target named by a profile's file name that no profile of the repository has."""
    findings = []
    for i, cible in enumerate(model.plan.cibles):
        name = cible.profil
        if name is None or name.endswith(YAML_SUFFIXES) or name in names:
            continue
        close = suggest(name, sorted(names))
        message = f"aucun profil de territoire du dépôt ne s'appelle « {name} »"
        findings.append(
            _error(
                item.shown_as, document, ("plan", "cibles", i, "profil"), "R106",
                message + (f" ; vouliez-vous dire « {close} » ?" if close else ""),
                "Nommez le profil par son nom de fichier sans .yaml (saint-brieuc), ou par son "
                "chemin depuis le plan.",
            )
        )  # fmt: skip
    return findings


def _plan_findings(
    item: CheckedFile,
    model: FichierPlan,
    document: Document,
    known: set[str],
    plans: dict[str, tuple[CheckedFile, int]],
) -> list[Finding]:
    """R104 for a plan naming no known innovation, R105 for a plan id used twice."""
    findings = []
    plan = model.plan
    where = document.pos(("plan", "id"))
    if plan.id in plans:
        first, line = plans[plan.id]
        findings.append(
            _error(
                item.shown_as, document, ("plan", "id"), "R105",
                f"l'identifiant de plan « {plan.id} » est déjà celui de {first.shown_as} "
                f"(ligne {line})",
            )
        )  # fmt: skip
    else:
        plans[plan.id] = (item, where.line)
    if not plan.innovation.endswith(YAML_SUFFIXES) and known and plan.innovation not in known:
        close = suggest(plan.innovation, sorted(known))
        message = f"le plan porte sur « {plan.innovation} », qui n'est l'identifiant d'aucune innovation du dépôt"
        findings.append(
            _error(
                item.shown_as, document, ("plan", "innovation"), "R104",
                message + (f" ; vouliez-vous dire « {close} » ?" if close else ""),
            )
        )  # fmt: skip
    return findings


def project_unknown(file: str, document: Document, ident: str, close: str | None) -> Finding:
    """R102: a profile's project names no innovation of the repository."""
    message = f"le profil prévoit « {ident} », qui n'est l'identifiant d'aucune innovation du dépôt"
    return _error(
        file, document, ("projets", ident), "R102",
        message + (f" ; vouliez-vous dire « {close} » ?" if close else ""),
        key=True,
    )  # fmt: skip


_NOT_A = {
    "moyen": "n'est le rôle, le poste ni l'élément d'aucun moyen",
    "rôle": "n'est aucun rôle des moyens",
}


def _named_lines(
    file: str, document: Document, ident: str, projet: Projet, identity: InnovationIdentity
) -> list[Finding]:
    """R107: `deja_en_place` names means lines, `couts_par_role` roles, of the innovation."""
    findings: list[Finding] = []
    checks = (
        ("deja_en_place", list(enumerate(projet.deja_en_place)), identity.lignes, "moyen"),
        ("couts_par_role", [(r, r) for r in projet.couts_par_role], identity.roles, "rôle"),
    )
    for key, names, known, what in checks:
        if not names or known is None:
            continue
        folded = {normalize_name(label): label for label in known}
        for where, name in names:
            if normalize_name(name) in folded:
                continue
            close = suggest(name, sorted(folded.values()))
            message = f"« {name} » {_NOT_A[what]} de l'innovation « {ident} »"
            if close:
                message += f" ; vouliez-vous dire « {close} » ?"
            path = ("projets", ident, key, where)
            hint = "Écrivez le nom tel qu'il figure dans les moyens du descripteur."
            if key == "deja_en_place":
                hint = _cut_at_comma(document, path, folded, hint)
            findings.append(
                _error(file, document, path, "R107", message, hint, key=key == "couts_par_role")
            )
    return findings


def _project_findings(
    item: CheckedFile,
    profile: Profil,
    document: Document,
    known: set[str],
    in_run: Mapping[str, tuple[str, ...] | None],
    outside: Mapping[str, set[str] | None],
    identities: Mapping[str, InnovationIdentity] | None = None,
) -> list[Finding]:
    """R102 for a project naming no known innovation, R103 for a choice naming no marge (of an
    innovation of the run, or of one read outside it), R107 for a means line or a role the
    project names (`deja_en_place`, `couts_par_role`) that the innovation of the run has not."""
    identities = identities or {}
    findings = []
    for ident, projet in profile.projets.items():
        if ident not in known:
            findings.append(
                project_unknown(item.shown_as, document, ident, suggest(ident, sorted(known)))
            )
            continue
        identity = identities.get(ident)
        if identity is not None:
            findings.extend(_named_lines(item.shown_as, document, ident, projet, identity))
        run_marges = in_run.get(ident)
        if run_marges is not None:
            marges = list(run_marges)
        elif ident not in in_run and outside.get(ident) is not None:
            marges = sorted(outside[ident] or ())
        else:
            continue  # invalid in this run, or unclear outside it: checked with the innovation
        findings.extend(_unknown_marges(item.shown_as, document, ident, projet, marges))
    return findings


def _unknown_marges(
    file: str, document: Document, ident: str, projet: Projet, marges: Sequence[str]
) -> list[Finding]:
    """R103: the project's choices for a marge that the innovation `ident` has not (`marges`,
    the ids of its marges)."""
    findings = []
    for marge_id in projet.choix:
        if marge_id in marges:
            continue
        close = suggest(marge_id, marges)
        message = f"« {marge_id} » n'est pas une marge de l'innovation « {ident} »"
        message += (
            f" ; vouliez-vous dire « {close} » ?"
            if close
            else f" (marges : {', '.join(marges) or 'aucune'})"
        )
        path = ("projets", ident, "choix", marge_id)
        findings.append(_error(file, document, path, "R103", message, key=True))
    return findings


def project_against(
    file: str, document: Document, ident: str, projet: Projet, identity: InnovationIdentity
) -> list[Finding]:
    """What `essaimage validate` says of a profile's project once it sees the innovation the
    project names (`identity`): R107 for a means line or a role it does not have, R103 for a
    choice for a marge it does not have. `kit` and `plan` refuse the pair for these errors, as
    `validate` fails on them: one list of codes, one severity."""
    findings = _named_lines(file, document, ident, projet, identity)
    if identity.marges is not None:
        findings.extend(_unknown_marges(file, document, ident, projet, identity.marges))
    return findings
