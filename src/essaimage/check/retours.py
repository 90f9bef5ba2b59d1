"""Checks of take-over reports (« retour: » files, format v1.2), at their line.

In the file (`check_retour`): its official territory exists (C207); `debut` ≤ `lancement` ≤
`date` (C215); a suspended or stopped take-over says why (C216); personal data stays a contact's
role, structure and professional address (C217, a warning); a profile named by its path lies in
the repository (C218); a cœur element changed or not respected is said (C219, a warning: the
take-over is no longer the innovation on that point).

Against the repository (`check_across`): the innovation exists (R108); the cœur elements (R109),
marges (R110) and prerequisites (R111) it names are the innovation's; a choice outside the
marge's options is an option to add (R112, an info); the plan it belongs to exists (R115) and
targets its territory (R114); a profile named by its file name exists (R116). Like every check,
a pure function of what the pipeline has read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..files.confinement import is_inside
from ..files.discovery import YAML_SUFFIXES
from ..findings import Finding, Severity
from ..format.models import (
    CiblePlan,
    FichierRetour,
    Plan,
    Retour,
    TerritoireProfil,
    chosen_options,
)
from ..format.vocabulary import STATUTS_ARRET, STATUTS_RETOUR
from ..territories.cog import Selection, TerritoryNotFound, reference, select
from ..text.french import date_longue
from ..text.words import normalize_name, suggest
from .consistency import InnovationIdentity, territory_code
from .loader import Document, PathKey, path_to_str

ERREUR, AVERTISSEMENT, INFO = Severity.ERREUR, Severity.AVERTISSEMENT, Severity.INFO
BASE: PathKey = ("retour",)


def _at(
    file: str,
    doc: Document,
    path: PathKey,
    code: str,
    severity: Severity,
    message: str,
    hint: str | None = None,
) -> Finding:
    pos = doc.pos(path)
    return Finding(file, pos.line, pos.column, path_to_str(path), code, severity, message, hint)


# --- in the file -------------------------------------------------------------------------


def check_retour(
    model: FichierRetour, doc: Document, file: str, folder: Path, roots: Sequence[Path]
) -> list[Finding]:
    """Findings of the in-file checks of a take-over report."""
    retour = model.retour
    findings = territory_code(retour.territoire, (*BASE, "territoire"), doc, file)
    findings += _dates(retour, doc, file)
    if retour.statut in STATUTS_ARRET and retour.raison_arret is None:
        findings.append(
            _at(
                file, doc, (*BASE, "statut"), "C216", ERREUR,
                f"la reprise est {STATUTS_RETOUR[retour.statut]} sans « raison_arret » : les "
                "repreneurs suivants ont besoin de savoir pourquoi",
                "Ajoutez « raison_arret: » avec la raison, en une phrase (un financement "
                "perdu, un porteur parti…).",
            )
        )  # fmt: skip
    findings += _personal_data(retour, doc, file)
    if retour.profil is not None and retour.profil.endswith(YAML_SUFFIXES):
        findings += _profile_file(retour.profil, folder, roots, doc, file)
    findings += _coeur_kept(retour, doc, file)
    findings += _skeleton_left(retour, doc, file)
    return findings


# The texts of `essaimage init retour` that a person replaces: a report that keeps one would show
# a made-up take-over in every kit.
SKELETON_TEXTS = {
    ("territoire", "nom"): "Nom du territoire",
    ("porteur", "nom"): "La structure qui a repris",
}


def _skeleton_left(retour: Retour, doc: Document, file: str) -> list[Finding]:
    """C220: a text of the skeleton left as it was (a warning: the report validates, as the
    skeleton does, but is not yet a take-over anyone can learn from)."""
    findings = []
    for (part, key), text in SKELETON_TEXTS.items():
        holder = getattr(retour, part)
        if holder is not None and getattr(holder, key) == text:
            findings.append(
                _at(
                    file, doc, (*BASE, part, key), "C220", AVERTISSEMENT,
                    f"« {text} » est le texte du squelette : les kits montreraient une reprise "
                    "qui n'est pas décrite",
                    "Écrivez le vrai nom, ou retirez le retour tant qu'il n'est pas rempli.",
                )
            )  # fmt: skip
    return findings


_DATES = (("debut", "le début de la préparation"), ("lancement", "le lancement"),
          ("date", "la date du retour"))  # fmt: skip


def _dates(retour: Retour, doc: Document, file: str) -> list[Finding]:
    """C215: each date given comes after the ones before it in `debut`, `lancement`, `date`."""
    findings = []
    given = [(key, words, getattr(retour, key)) for key, words in _DATES]
    for i, (key, words, value) in enumerate(given):
        if value is None:
            continue
        for earlier_key, earlier_words, earlier in given[:i]:
            if earlier is not None and earlier > value:
                findings.append(
                    _at(
                        file, doc, (*BASE, key), "C215", ERREUR,
                        f"{words} ({date_longue(value)}) est avant {earlier_words} "
                        f"({date_longue(earlier)})",
                        "Les dates se suivent : début de la préparation, lancement, puis date "
                        f"du retour ; corrigez « {key} » ou « {earlier_key} ».",
                    )
                )  # fmt: skip
                break
    return findings


# Webmail domains: an address there is a person's, not a structure's professional address.
_PERSONAL_MAIL = frozenset({
    "gmail.com", "googlemail.com", "yahoo.fr", "yahoo.com", "hotmail.fr", "hotmail.com",
    "outlook.fr", "outlook.com", "live.fr", "live.com", "msn.com", "orange.fr", "wanadoo.fr",
    "free.fr", "laposte.net", "sfr.fr", "neuf.fr", "bbox.fr", "aol.com", "icloud.com", "me.com",
    "gmx.fr", "gmx.com", "protonmail.com", "proton.me", "numericable.fr", "yopmail.com",
})  # fmt: skip

_PERSONAL_HINT = (
    "Un retour est publié : gardez du contact son rôle, sa structure et une adresse "
    "professionnelle (contact@…, une boîte de service) ; retirez le reste."
)


def _personal_data(retour: Retour, doc: Document, file: str) -> list[Finding]:
    """C217: the report's contact is a role, a structure and a professional address; its texts
    hold no address nor phone number."""
    findings = []
    contact = retour.contact
    if contact is not None:
        if contact.nom is not None:
            findings.append(
                _at(
                    file, doc, (*BASE, "contact", "nom"), "C217", AVERTISSEMENT,
                    "le contact nomme une personne : un retour publié ne garde que son rôle, sa "
                    "structure et une adresse professionnelle",
                    _PERSONAL_HINT,
                )
            )  # fmt: skip
        if contact.telephone is not None:
            findings.append(
                _at(
                    file, doc, (*BASE, "contact", "telephone"), "C217", AVERTISSEMENT,
                    "le contact donne un numéro de téléphone : un retour publié ne garde que le "
                    "rôle, la structure et une adresse professionnelle",
                    _PERSONAL_HINT,
                )
            )  # fmt: skip
        domain = contact.courriel.rpartition("@")[2].lower() if contact.courriel else ""
        if domain in _PERSONAL_MAIL:
            findings.append(
                _at(
                    file, doc, (*BASE, "contact", "courriel"), "C217", AVERTISSEMENT,
                    f"l'adresse du contact est une messagerie personnelle ({domain}) : un "
                    "retour publié donne une adresse professionnelle",
                    _PERSONAL_HINT,
                )
            )  # fmt: skip
    for path, text in _free_texts(retour):
        what = _personal_in(text)
        if what is not None:
            findings.append(
                _at(
                    file, doc, (*BASE, *path), "C217", AVERTISSEMENT,
                    f"ce texte contient {what} : un retour publié ne donne de coordonnées que "
                    "dans « contact »",
                    _PERSONAL_HINT,
                )
            )  # fmt: skip
    return findings


def _free_texts(retour: Retour) -> list[tuple[PathKey, str]]:
    texts: list[tuple[PathKey, str]] = []
    for key in ("raison_arret", "difficultes", "conseils"):
        value = getattr(retour, key)
        if value is not None:
            texts.append(((key,), value))
    for i, item in enumerate(retour.fidelite):
        if item.commentaire is not None:
            texts.append((("fidelite", i, "commentaire"), item.commentaire))
    for i, adaptation in enumerate(retour.adaptations):
        texts.append((("adaptations", i, "raison"), adaptation.raison))
    return texts


def _personal_in(text: str) -> str | None:
    """« une adresse électronique » or « un numéro de téléphone » when the text holds one (a
    linear scan: no pattern that could backtrack on a report's text)."""
    for word in text.split():
        name, at, domain = word.strip("<>()[],;:.!?«»\"'").partition("@")
        if at and name and "." in domain.strip(".") and "@" not in domain:
            return "une adresse électronique"
    digits = ""
    for i, char in enumerate(text):
        if char.isdigit() and char.isascii():
            digits += char
            continue
        following = text[i + 1 : i + 2]
        if char in " .-\u00a0\u202f" and digits and following.isdigit():
            continue  # a separator inside a number: « 06 12 34 56 78 », « 06.12.34.56.78 »
        if _phone(digits):
            return "un numéro de téléphone"
        digits = ""
    return "un numéro de téléphone" if _phone(digits) else None


def _phone(digits: str) -> bool:
    """A French phone number: ten digits from 0 then 1-9, or +33 (33) and nine digits."""
    if len(digits) == 10 and digits[0] == "0" and digits[1] != "0":
        return True
    return len(digits) == 11 and digits.startswith("33") and digits[2] != "0"


def _profile_file(
    name: str, folder: Path, roots: Sequence[Path], doc: Document, file: str
) -> list[Finding]:
    """C218: a profile named by its path lies in the repository (from the report's folder, or
    from the repository's root)."""
    path: PathKey = (*BASE, "profil")
    if Path(name).is_absolute() or ".." in Path(name).parts:
        message = f"« {name} » sort du dépôt : un retour ne nomme qu'un profil du dépôt"
        return [_at(file, doc, path, "C218", ERREUR, message)]
    for base in (folder, *roots[:1]):
        target = base / name
        try:
            if is_inside(target, roots) and target.is_file():
                return []
        except OSError:
            continue
    return [
        _at(
            file, doc, path, "C218", ERREUR,
            f"le profil « {name} » est introuvable dans le dépôt",
            "Le chemin se lit depuis la racine du dépôt (territoires/lannion.yaml) ou depuis le "
            "dossier du retour ; ou nommez le profil par son nom de fichier sans .yaml.",
        )
    ]  # fmt: skip


def _coeur_kept(retour: Retour, doc: Document, file: str) -> list[Finding]:
    """C219: a cœur element not (fully) respected, or changed by an adaptation."""
    findings = []
    for i, item in enumerate(retour.fidelite):
        if item.respecte == "oui":
            continue
        how = "n'a pas été respecté" if item.respecte == "non" else "n'a été respecté qu'en partie"
        findings.append(
            _at(
                file, doc, (*BASE, "fidelite", i, "respecte"), "C219", AVERTISSEMENT,
                f"l'élément du cœur « {item.coeur} » {how} : sur ce point, la reprise n'est "
                "plus l'innovation",
                "Dites pourquoi dans « commentaire » : si la reprise marche quand même, "
                "l'élément n'est peut-être pas du cœur ; sinon, c'est une leçon pour les suivants.",
            )
        )  # fmt: skip
    for i, adaptation in enumerate(retour.adaptations):
        if adaptation.coeur is None:
            continue
        findings.append(
            _at(
                file, doc, (*BASE, "adaptations", i, "coeur"), "C219", AVERTISSEMENT,
                f"l'adaptation change l'élément du cœur « {adaptation.coeur} » : sur ce point, "
                "la reprise n'est plus l'innovation",
                "Si le changement a marché, proposez au porteur d'en faire une marge ; "
                "sinon, dites-le dans « raison ».",
            )
        )  # fmt: skip
    return findings


# --- against the repository ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProfileTerritory:
    """What the checks between files keep of a profile for the reports that name it."""

    stem: str
    territoire: TerritoireProfil


@dataclass(frozen=True, slots=True)
class RetourFile:
    """A valid report of the run, for the checks between files."""

    shown_as: str
    document: Document
    model: FichierRetour


def check_across(
    retours: Sequence[RetourFile],
    innovations: Mapping[str, InnovationIdentity | None],
    plans: Mapping[str, Plan],
    profiles: Mapping[str, ProfileTerritory],
    profile_names: set[str] | None = None,
) -> list[Finding]:
    """R108–R116 for each report: `innovations` are the repository's (id -> identity, None when
    the file is not a valid descriptor: what it names is then not checked), `plans` its plans by
    id, `profiles` the profiles read (by file name without .yaml), `profile_names` the file names
    of every profile of the repository (None when unknown: not checked)."""
    findings: list[Finding] = []
    for item in retours:
        retour, doc, file = item.model.retour, item.document, item.shown_as
        if innovations and retour.innovation not in innovations:
            close = suggest(retour.innovation, sorted(innovations))
            message = (
                f"le retour porte sur « {retour.innovation} », qui n'est l'identifiant d'aucune "
                "innovation du dépôt"
            )
            findings.append(
                _at(
                    file, doc, (*BASE, "innovation"), "R108", ERREUR,
                    message + (f" ; vouliez-vous dire « {close} » ?" if close else ""),
                )
            )  # fmt: skip
        identity = innovations.get(retour.innovation)
        if identity is not None:
            findings += _named_parts(retour, identity, doc, file)
        findings += _plan(retour, plans, profiles, doc, file)
        name = retour.profil
        if (
            name is not None
            and not name.endswith(YAML_SUFFIXES)
            and profile_names is not None
            and name not in profile_names
        ):
            close = suggest(name, sorted(profile_names))
            message = f"aucun profil de territoire du dépôt ne s'appelle « {name} »"
            findings.append(
                _at(
                    file, doc, (*BASE, "profil"), "R116", ERREUR,
                    message + (f" ; vouliez-vous dire « {close} » ?" if close else ""),
                    "Nommez le profil par son nom de fichier sans .yaml (lannion), ou par son "
                    "chemin depuis la racine du dépôt.",
                )
            )  # fmt: skip
    return findings


def _unknown(
    file: str, doc: Document, path: PathKey, code: str, what: str, name: str, known: Sequence[str]
) -> Finding:
    close = suggest(name, known)
    message = f"« {name} » n'est {what}"
    message += (
        f" ; vouliez-vous dire « {close} » ?" if close else f" ({', '.join(known) or 'aucun'})"
    )
    return _at(file, doc, path, code, ERREUR, message)


def _named_parts(
    retour: Retour, identity: InnovationIdentity, doc: Document, file: str
) -> list[Finding]:
    """R109 (cœur), R110 (marge), R111 (prerequisite), R112 (choice outside the options)."""
    findings = []
    ident = retour.innovation
    coeur = list(identity.coeur or ())
    if identity.coeur is not None:
        for i, item in enumerate(retour.fidelite):
            if item.coeur not in coeur:
                what = f"pas un élément du cœur de l'innovation « {ident} »"
                path: PathKey = (*BASE, "fidelite", i, "coeur")
                findings.append(_unknown(file, doc, path, "R109", what, item.coeur, coeur))
    options = dict(identity.options or ())
    for i, adaptation in enumerate(retour.adaptations):
        base: PathKey = (*BASE, "adaptations", i)
        changed = adaptation.coeur
        if changed is not None and identity.coeur is not None and changed not in coeur:
            what = f"pas un élément du cœur de l'innovation « {ident} »"
            findings.append(_unknown(file, doc, (*base, "coeur"), "R109", what, changed, coeur))
        if adaptation.marge is None or identity.options is None:
            continue
        if adaptation.marge not in options:
            what = f"pas une marge de l'innovation « {ident} »"
            findings.append(
                _unknown(
                    file, doc, (*base, "marge"), "R110", what, adaptation.marge, sorted(options)
                )
            )
            continue
        names = list(options[adaptation.marge])
        choix = adaptation.choix
        if choix is not None and names and chosen_options(names, choix) is None:
            findings.append(
                _at(
                    file, doc, (*base, "choix"), "R112", INFO,
                    f"« {choix} » n'est pas une option de la marge « {adaptation.marge} » "
                    f"({' ; '.join(names)}) : une option à ajouter au descripteur ?",
                    "Si ce choix a marché, proposez au porteur de l'ajouter aux options de la "
                    "marge ; s'il est l'une d'elles, écrivez-le comme elle.",
                )
            )  # fmt: skip
    if identity.prerequis is not None:
        known = {normalize_name(text): text for text in identity.prerequis}
        for i, prerequisite in enumerate(retour.prerequis):
            text = prerequisite.description
            if normalize_name(text) in known:
                continue
            what = f"pas un prérequis de l'innovation « {ident} »"
            path = (*BASE, "prerequis", i, "description")
            findings.append(_unknown(file, doc, path, "R111", what, text, list(identity.prerequis)))
    return findings


def _plan(
    retour: Retour,
    plans: Mapping[str, Plan],
    profiles: Mapping[str, ProfileTerritory],
    doc: Document,
    file: str,
) -> list[Finding]:
    """R115: the plan exists; R114: it targets the report's territory."""
    if retour.plan is None:
        return []
    path: PathKey = (*BASE, "plan")
    plan = plans.get(retour.plan)
    if plan is None:
        if not plans:
            return []  # no plan read: nothing to say
        close = suggest(retour.plan, sorted(plans))
        message = f"« {retour.plan} » n'est l'identifiant d'aucun plan du dépôt"
        return [
            _at(
                file, doc, path, "R115", ERREUR,
                message + (f" ; vouliez-vous dire « {close} » ?" if close else ""),
            )
        ]  # fmt: skip
    findings = []
    if plan.innovation != retour.innovation and not plan.innovation.endswith(YAML_SUFFIXES):
        findings.append(
            _at(
                file, doc, path, "R114", ERREUR,
                f"le plan « {plan.id} » porte sur « {plan.innovation} », pas sur "
                f"« {retour.innovation} »",
            )
        )  # fmt: skip
        return findings
    stem = Path(retour.profil).stem if retour.profil else None
    known = profiles.get(stem) if stem is not None else None
    territoire = retour.territoire or (known.territoire if known else None)
    verdict = _targets(plan, stem, territoire)
    if verdict is False:
        where = _name(territoire) if territoire else stem
        findings.append(
            _at(
                file, doc, path, "R114", ERREUR,
                f"le plan « {plan.id} » ne vise pas « {where} » : aucune de ses cibles n'est "
                "ce territoire",
                "Ajoutez le territoire aux cibles du plan, ou retirez « plan » du retour.",
            )
        )  # fmt: skip
    return findings


def _name(territoire: TerritoireProfil) -> str | None:
    """The territory's name: as written, else the reference's for its code (« Lannion » for
    22113), else its code."""
    if territoire.nom:
        return territoire.nom
    official = (
        reference().get(territoire.type, territoire.code_insee)
        if territoire.type and territoire.code_insee
        else None
    )
    return official.nom if official else territoire.code_insee


def _targets(plan: Plan, stem: str | None, territoire: TerritoireProfil | None) -> bool | None:
    """Whether one of the plan's targets is the territory; None when that cannot be told (a
    selection in a place the reference does not know)."""
    unsure = False
    for cible in plan.cibles:
        verdict = _is_target(cible, stem, territoire)
        if verdict:
            return True
        unsure = unsure or verdict is None
    return None if unsure else False


def _is_target(
    cible: CiblePlan, stem: str | None, territoire: TerritoireProfil | None
) -> bool | None:
    if cible.profil is not None:
        return stem is not None and Path(cible.profil).stem == stem
    if territoire is None:
        return False
    code = territoire.code_insee
    if cible.selection is not None:
        if not code or territoire.type != cible.selection.type:
            return False
        wanted = cible.selection
        try:
            dans = reference().resolve(wanted.dans).territoire
        except TerritoryNotFound:
            return None
        chosen = select(
            reference(),
            Selection(wanted.type, dans, wanted.population_min, wanted.population_max,
                      frozenset(wanted.exclure), wanted.limite, wanted.ordre),
        )  # fmt: skip
        return any(item.code == code for item in chosen)
    if cible.code_insee is not None and code is not None:
        return cible.code_insee == code and (cible.type or territoire.type) == territoire.type
    if cible.nom is not None and territoire.nom is not None:
        return normalize_name(cible.nom) == normalize_name(territoire.nom)
    return False
