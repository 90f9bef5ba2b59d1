"""What the take-overs of an innovation teach the next repreneur: « Ce que disent les reprises ».

The descriptor's hand-written `essaimages` and the repository's take-over reports (`retours/`)
are one list of take-overs: a report and a hand-written entry on the same territory are one
take-over, and of several reports on one territory the latest speaks. From that list: the count
by status, stops and their reasons, fidelity per cœur element, adaptations by marge (planned or
not, choices outside the options), real means and preparation delays beside the descriptor's,
funding obtained, results measured, what the take-overs learnt, advice and contacts; the
take-overs in order, the closest to the receiving territory first (same type, then the nearest
population).

A report with errors, in itself or against the descriptor (what `essaimage validate` says of
it), is set aside and named: a kit never counts what validate refuses.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from ..check import consistency, retours
from ..check.pipeline import FileCheck, RetourLu, located, read_checked, refused_alone
from ..check.repository import repository_for
from ..files.confinement import allowed_roots, is_inside
from ..files.paths import display_path
from ..findings import Severity
from ..format.models import (
    Essaimage,
    FichierRetour,
    Financement,
    Innovation,
    Marge,
    MoyenFinancier,
    MoyenHumain,
    Moyens,
    Retour,
    as_compared,
    chosen_options,
)
from ..format.scalars import Base
from ..format.vocabulary import (
    DE_PORTE_SUR,
    NATURES_FINANCEMENT,
    NATURES_RESULTAT,
    OFFICIAL_TYPES,
    PERIODICITES,
    STATUTS_ARRET,
    STATUTS_RETOUR,
    STATUTS_RETOUR_PLURIEL,
    TYPES_TERRITOIRE,
    VERDICTS_PREREQUIS,
)
from ..territories.cog import reference
from ..text.french import annee_ou_date, date_longue, euros, mois, nombre, pluriel
from ..text.words import normalize_name
from . import means

# --- what the templates see ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reprise:
    """One take-over, as the list shows it."""

    territoire: str
    type: str | None  # « commune », « intercommunalité (EPCI) »…
    population: int | None
    porteur: str | None
    sites: int | None  # in its latest report
    depuis: str | None  # « 2014 », « 6 novembre 2027 »
    statut: str  # « en fonctionnement », « arrêtée »… or « non précisé »
    retour_du: str | None  # the date of its latest report, in words
    plus_proche: bool  # the closest to the receiving territory
    ici: bool  # on the receiving territory itself


@dataclass(frozen=True, slots=True)
class Arret:
    """A take-over suspended or stopped, and why."""

    territoire: str
    statut: str  # « suspendue » or « arrêtée »
    raison: str
    date: str  # the report's date, in words


@dataclass(frozen=True, slots=True)
class FideliteCoeur:
    """How the take-overs kept one cœur element."""

    element: str  # its title
    phrase: str  # « respecté par 1 reprise sur 2, en partie par 1 »
    commentaires: list[str]  # « Une adhésion de 5 € par famille (Lannion). »


@dataclass(frozen=True, slots=True)
class ChoixConstate:
    """One choice made in a marge, and by how many take-overs."""

    choix: str
    nombre: int
    hors_options: bool  # not one of the marge's options: an option to add?
    raisons: list[str]  # « la pluie bretonne (Lannion) »


@dataclass(frozen=True, slots=True)
class AdaptationsMarge:
    """The adaptations made in one marge."""

    marge: str  # its title
    phrase: str  # « adaptée 2 fois (1 décidée à l'avance, 1 face à un problème) »
    choix: list[ChoixConstate]
    raisons: list[str]  # the reasons of the adaptations that name no choice


@dataclass(frozen=True, slots=True)
class ChangementCoeur:
    """A cœur element a take-over changed, and why."""

    element: str
    territoire: str
    raison: str


@dataclass(frozen=True, slots=True)
class AdaptationLibre:
    """An adaptation that is neither in a marge nor in the cœur: something the take-over added."""

    territoire: str
    choix: str | None
    raison: str


@dataclass(frozen=True, slots=True)
class VerdictsPrerequis:
    """What the take-overs said of one prerequisite."""

    description: str
    phrase: str  # « confirmé par 2 reprises, pas nécessaire pour 1 »


@dataclass(frozen=True, slots=True)
class MoyenCompare:
    """One line of means: what the descriptor plans, what the take-overs really had."""

    libelle: str
    prevu: str  # « 0,1 ETP par site », or « non prévu par la fiche »
    reel: str  # « 0,1 à 0,3 ETP par site » (« 0,2 ETP par site » when they agree)
    detail: str  # « Lannion : 0,1 ; Saint-Brieuc : 0,3 »
    hors_fourchette: bool  # the planned figure lies outside the real ones


@dataclass(frozen=True, slots=True)
class Obtenu:
    """A funding a take-over obtained."""

    territoire: str
    financeur: str
    nature: str | None  # « subvention »…
    termes: str  # what it paid, in words


@dataclass(frozen=True, slots=True)
class ResultatMesure:
    """A result measured on a take-over's territory."""

    territoire: str
    indicateur: str
    valeur: str  # the value with its unit
    date: str | None
    source: str | None
    source_url: str | None
    effet: bool  # a result (an effect on the beneficiaries), not an activity figure
    nature: str  # « résultat » or « activité »


@dataclass(frozen=True, slots=True)
class TexteReprise:
    """A text of one take-over (what it learnt, its difficulties, its advice)."""

    territoire: str
    texte: str  # Markdown


@dataclass(frozen=True, slots=True)
class ContactReprise:
    """Whom to ask on a take-over's territory."""

    territoire: str
    role: str
    structure: str | None
    courriel: str | None


@dataclass(frozen=True, slots=True)
class Reprises:
    """« Ce que disent les reprises »: everything the section shows."""

    liste: list[Reprise]  # the closest first
    resume: str  # « 3 reprises : 2 en fonctionnement, 1 arrêtée. »
    plus_proche: str | None  # the sentence on the closest take-over
    retours: int  # how many reports speak (the others are hand-written entries)
    arrets: list[Arret]
    fidelite: list[FideliteCoeur]
    adaptations: list[AdaptationsMarge]
    changements_coeur: list[ChangementCoeur]
    autres_adaptations: list[AdaptationLibre]
    prerequis: list[VerdictsPrerequis]
    moyens: list[MoyenCompare]
    equipements: list[str]  # « bus aménagé, deux ordinateurs (Avesnois) »
    partenaires: list[str]  # « MAIF Prévention : forme les encadrants (Manosque) »
    delai: MoyenCompare | None  # the preparation delay, planned and real
    financements: list[Obtenu]
    resultats: list[ResultatMesure]
    recits: list[TexteReprise]  # the hand-written entries' « retour »
    difficultes: list[TexteReprise]
    conseils: list[TexteReprise]
    contacts: list[ContactReprise]
    ecartes: list[str]  # the reports set aside for their errors (file names)


# --- reading the reports -------------------------------------------------------------------


def report_files(descriptor: Path) -> list[Path]:
    """The take-over reports of the descriptor's repository: its configuration's `retours`, or
    the `retours/` folder beside the descriptor's folder; only files inside the repository."""
    repository = repository_for(descriptor.parent)
    if repository.root is not None:
        files = repository.files("retours")
    else:
        folder = descriptor.parent.parent / "retours"
        files = sorted(folder.glob("*.y*ml")) if folder.is_dir() else []
    roots = allowed_roots(descriptor)
    return [file for file in files if is_inside(file, roots)]


def read_reports(
    innovation: Innovation, descriptor: FileCheck, files: Sequence[Path] | None = None
) -> tuple[list[RetourLu], list[str]]:
    """The valid reports on `innovation` (of `files`, by default the repository's) and the names
    of those set aside for their errors."""
    identity = None
    if descriptor.document is not None:
        identity = consistency.innovation_identity(descriptor.path, descriptor.document, innovation)
    read, aside = [], []
    for path in report_files(descriptor.path) if files is None else files:
        checked = read_checked(path)
        model = checked.model
        data = checked.document.data if checked.document else None
        named = data.get("retour") if isinstance(data, dict) else None
        if data is None and _names(checked.text, innovation.id):
            aside.append(display_path(path))  # a report on it that does not even read
            continue
        if not isinstance(named, dict) or named.get("innovation") != innovation.id:
            continue  # another innovation's, or not a report
        # what validate says of it alone (its plan, its profile…), then against this very
        # descriptor (the one a kit is made from may differ from the file: the editor's draft)
        errors = not checked.ok or not isinstance(model, FichierRetour) or refused_alone(path)
        if not errors and identity is not None and checked.document is not None:
            assert isinstance(model, FichierRetour)
            across = retours.check_across(
                [retours.RetourFile(checked.shown_as, checked.document, model)],
                {innovation.id: identity},
                {},
                {},
            )
            errors = any(f.severity is Severity.ERREUR for f in across)
        if errors or not isinstance(model, FichierRetour):
            aside.append(display_path(path))
            continue
        read.append(located(model.retour, path))
    return read, aside


def _names(text: str | None, ident: str) -> bool:
    """Whether an unreadable file's text names the innovation (« innovation: pedibus » on a
    line of its own, its value quoted or not): a linear scan, the file being no YAML one can
    trust."""
    for line in (text or "").splitlines():
        key, colon, value = line.split("#", 1)[0].strip().partition(":")
        if colon and key == "innovation" and value.strip().strip("'\"") == ident:
            return True
    return False


# --- one list of take-overs ----------------------------------------------------------------


@dataclass(slots=True)
class _Reprise:
    """A take-over while the list is made: its latest report and/or its hand-written entry."""

    nom: str
    code: str | None = None
    type: str | None = None
    population: int | None = None
    essaimage: Essaimage | None = None
    retour: Retour | None = None


def _key(nom: str, code: str | None) -> str:
    return f"code:{code}" if code else f"nom:{normalize_name(nom)}"


def _merged(innovation: Innovation, reports: list[RetourLu]) -> list[_Reprise]:
    """The descriptor's entries and the reports as one list, one item per territory."""
    items: dict[str, _Reprise] = {}
    names: dict[str, str] = {}  # normalized name -> key, to join an entry without a code
    for entry in innovation.essaimages:
        where = entry.territoire
        key = _key(where.nom, where.code_insee)
        item = items.setdefault(key, _Reprise(where.nom, where.code_insee, where.type))
        official = (
            reference().get(where.type, where.code_insee)
            if where.type and where.code_insee
            else None
        )
        if where.population is not None:
            item.population = where.population
        elif official is not None and normalize_name(official.nom) == normalize_name(where.nom):
            item.population = official.population  # not a district's: « Villeurbanne, quartier… »
        item.essaimage = entry
        names[normalize_name(where.nom)] = key
    for report in sorted(reports, key=lambda r: r.retour.date):  # the latest last: it speaks
        key = _key(report.nom, report.code)
        if key not in items and normalize_name(report.nom) in names:
            key = names[normalize_name(report.nom)]
        item = items.setdefault(key, _Reprise(report.nom))
        item.code = report.code or item.code
        item.type = report.type or item.type
        if report.population is not None:
            item.population = report.population
        item.retour = report.retour
        names.setdefault(normalize_name(report.nom), key)
    return list(items.values())


def _distance(item: _Reprise, kind: str | None, population: int | None) -> tuple:
    """Closest first: the same type of territory, then the nearest population (by ratio)."""
    same = 0 if kind is not None and item.type == kind else 1
    if population and item.population:
        return (same, 0, abs(math.log(item.population / population)), item.nom)
    return (same, 1, 0.0, item.nom)


# --- the section ---------------------------------------------------------------------------


def gather(
    innovation: Innovation,
    descriptor: FileCheck,
    kind: str | None,
    population: int | None,
    files: Sequence[Path] | None = None,
    code: str | None = None,
) -> Reprises | None:
    """« Ce que disent les reprises » for a territory of type `kind`, `population` (that of the
    project's perimeter) and `code` (all None for the site's page): None when the innovation has
    no take-over at all."""
    reports, aside = read_reports(innovation, descriptor, files)
    items = sorted(_merged(innovation, reports), key=lambda r: _distance(r, kind, population))
    if not items and not aside:
        return None
    titles = {c.id: c.titre for c in innovation.coeur}
    marges = {m.id: m for m in innovation.marges}
    # « the closest » only when something was compared: the same type, or both populations
    compared = bool(items) and _distance(items[0], kind, population)[:2] != (1, 1)
    closest = items[0] if len(items) > 1 and compared else None
    liste = [_shown(item, item is closest, code) for item in items]
    with_report = [(item.nom, item.retour) for item in items if item.retour is not None]
    return Reprises(
        liste=liste,
        resume=_summary(items),
        plus_proche=_closest_sentence(liste[0]) if closest is not None else None,
        autres_adaptations=[
            AdaptationLibre(nom, a.choix, a.raison)
            for nom, r in with_report
            for a in r.adaptations
            if a.marge is None and a.coeur is None
        ],
        equipements=_listed(with_report, "materiels"),
        partenaires=_listed(with_report, "partenaires"),
        retours=len(with_report),
        arrets=[
            Arret(nom, STATUTS_RETOUR[r.statut], r.raison_arret or "", date_longue(r.date))
            for nom, r in with_report
            if r.statut in STATUTS_ARRET
        ],
        fidelite=_fidelity(with_report, titles, innovation),
        adaptations=_adaptations(items, marges),
        changements_coeur=[
            ChangementCoeur(titles.get(a.coeur, a.coeur), nom, a.raison)
            for nom, r in with_report
            for a in r.adaptations
            if a.coeur is not None
        ],
        prerequis=_prerequisites(with_report, innovation),
        moyens=_means(_with_status(with_report), innovation.moyens),
        delai=_delay(_with_status(with_report), innovation.moyens),
        financements=[
            Obtenu(
                nom,
                f.financeur,
                NATURES_FINANCEMENT[f.nature] if f.nature else None,
                _obtained(f),
            )
            for nom, r in with_report
            for f in r.financements_obtenus
        ],
        resultats=[
            ResultatMesure(
                nom,
                res.indicateur,
                _value(res.valeur, res.unite),
                None
                if res.date is None
                else (str(res.date) if isinstance(res.date, int) else date_longue(res.date)),
                res.source.titre if res.source else None,
                res.source.url if res.source else None,
                res.nature == "resultat",
                NATURES_RESULTAT[res.nature],
            )
            for nom, r in with_report
            for res in r.resultats
        ],  # fmt: skip
        recits=[
            TexteReprise(item.nom, item.essaimage.retour)
            for item in items
            if item.essaimage is not None and item.essaimage.retour
        ],
        difficultes=[TexteReprise(nom, r.difficultes) for nom, r in with_report if r.difficultes],
        conseils=[TexteReprise(nom, r.conseils) for nom, r in with_report if r.conseils],
        contacts=[
            ContactReprise(nom, r.contact.role, r.contact.structure, r.contact.courriel)
            for nom, r in with_report
            if r.contact is not None
        ],
        ecartes=aside,
    )


def _shown(item: _Reprise, closest: bool, here: str | None) -> Reprise:
    retour, entry = item.retour, item.essaimage
    started: str | None = None
    if retour is not None and retour.lancement is not None:
        started = date_longue(retour.lancement)
    elif entry is not None and entry.depuis is not None:
        started = annee_ou_date(entry.depuis)
    porteur = retour.porteur.nom if retour is not None else entry.porteur if entry else None
    return Reprise(
        territoire=item.nom,
        type=TYPES_TERRITOIRE.get(item.type) if item.type in OFFICIAL_TYPES else None,
        population=item.population,
        porteur=porteur,
        sites=retour.sites if retour is not None else None,
        depuis=started,
        statut=STATUTS_RETOUR[retour.statut] if retour is not None else "non précisé",
        retour_du=date_longue(retour.date) if retour is not None else None,
        plus_proche=closest,
        ici=here is not None and item.code == here,
    )


def _summary(items: list[_Reprise]) -> str:
    """« 3 reprises : 2 en fonctionnement, 1 arrêtée. », or for take-overs only the descriptor
    names, « 2 reprises décrites par la fiche, sans retour d'essaimage. »"""
    if not items:
        return "Aucune reprise n'est encore décrite : les retours du dépôt ont des erreurs."
    total = len(items)
    counts: dict[str, int] = {}
    for item in items:
        status: str = item.retour.statut if item.retour is not None else ""
        counts[status] = counts.get(status, 0) + 1
    if set(counts) == {""}:
        described = pluriel(total, "décrite", "décrites")
        return (
            f"{_count_words(total)} {described} par la fiche de l'innovation, sans retour "
            "d'essaimage."
        )
    if total == 1:
        (status,) = counts
        return f"1 reprise, {STATUTS_RETOUR[status]}." if status else "1 reprise."
    if len(counts) == 1 and "" not in counts:
        (status,) = counts
        return f"{_count_words(total)}, toutes {STATUTS_RETOUR_PLURIEL[status]}."
    parts = []
    for status in (*STATUTS_RETOUR, ""):
        count = counts.get(status)
        if count and status:
            parts.append(
                f"{nombre(count)} {(STATUTS_RETOUR_PLURIEL if count > 1 else STATUTS_RETOUR)[status]}"
            )
        elif count:
            parts.append(f"{nombre(count)} sans retour d'essaimage")
    return f"{_count_words(total)} : {', '.join(parts)}."


def _closest_sentence(reprise: Reprise) -> str:
    details = [d for d in (reprise.type,) if d]
    if reprise.population is not None:
        details.append(f"{nombre(reprise.population)} habitants")
    about = f" ({', '.join(details)})" if details else ""
    status = "" if reprise.statut == "non précisé" else f", {reprise.statut}"
    if reprise.ici:
        return f"Une reprise a déjà eu lieu sur votre territoire{status}."
    return f"La reprise la plus proche de votre territoire : {reprise.territoire}{about}{status}."


def _count_words(count: int, what: str = "reprise") -> str:
    return f"{nombre(count)} {pluriel(count, what)}"


def _fidelity(
    with_report: list[tuple[str, Retour]], titles: dict[str, str], innovation: Innovation
) -> list[FideliteCoeur]:
    """Each cœur element, in the descriptor's order: how many reports kept it, in part, or
    not (« respecté par 1 reprise sur 2, non respecté par 1 »), or that none says."""
    out = []
    for element in innovation.coeur:
        said = [(nom, f) for nom, r in with_report for f in r.fidelite if f.coeur == element.id]
        if not said:
            phrase = "aucun retour n'en dit rien" if with_report else ""
            if phrase:
                out.append(FideliteCoeur(titles[element.id], phrase, []))
            continue
        counts = [
            (words, sum(1 for _, f in said if f.respecte == how))
            for how, words in (("oui", "respecté"), ("en-partie", "respecté en partie"),
                               ("non", "non respecté"))
        ]  # fmt: skip
        parts: list[str] = []
        for words, count in counts:
            if not count:
                continue
            if not parts:
                parts.append(f"{words} par {_count_words(count)} sur {nombre(len(said))}")
            else:  # « respecté par 2 reprises sur 3, en partie par 1 »
                parts.append(f"{words.removeprefix('respecté ')} par {nombre(count)}")
        comments = [f"{f.commentaire.rstrip('.')} ({nom})." for nom, f in said if f.commentaire]
        out.append(FideliteCoeur(titles[element.id], ", ".join(parts), comments))
    return out


def _adaptations(items: list[_Reprise], marges: dict[str, Marge]) -> list[AdaptationsMarge]:
    """By marge, in the descriptor's order: how many take-overs adapted it, planned or not,
    each choice with its count and its reasons (the hand-written entries' adaptations count
    too)."""
    found: dict[str, list[tuple[str, str | None, bool | None, str | None]]] = {}
    for item in items:
        if item.retour is not None:
            for a in item.retour.adaptations:
                if a.marge is not None:
                    found.setdefault(a.marge, []).append((item.nom, a.choix, a.planifiee, a.raison))
        elif item.essaimage is not None:
            for e in item.essaimage.adaptations:
                found.setdefault(e.marge, []).append((item.nom, e.choix, None, e.raison))
    out = []
    for ident, marge in marges.items():
        made = found.get(ident)
        if not made:
            continue
        planned = sum(1 for _, _, p, _ in made if p is True)
        reaction = sum(1 for _, _, p, _ in made if p is False)
        phrase = f"adaptée {nombre(len(made))}\u00a0fois"
        how = []
        if planned:
            how.append(f"{nombre(planned)} {pluriel(planned, 'décidée')} à l'avance")
        if reaction:
            how.append(f"{nombre(reaction)} face à un problème")
        if how:
            phrase += f" ({', '.join(how)})"
        by_choice: dict[str, tuple[str, int, list[str]]] = {}
        loose: list[str] = []
        for nom, choix, _, raison in made:
            why = f"{_lowered(raison).rstrip('.')} ({nom})" if raison else None
            if choix is None:
                loose += [why] if why else []
                continue
            shown, count, reasons = by_choice.get(normalize_name(choix), (choix, 0, []))
            by_choice[normalize_name(choix)] = (shown, count + 1, reasons + ([why] if why else []))
        names = marge.option_names()
        choices = [
            ChoixConstate(
                shown, count, bool(names) and chosen_options(names, shown) is None, reasons
            )
            for shown, count, reasons in sorted(by_choice.values(), key=lambda c: (-c[1], c[0]))
        ]
        out.append(AdaptationsMarge(marge.titre, phrase, choices, loose))
    return out


def _prerequisites(
    with_report: list[tuple[str, Retour]], innovation: Innovation
) -> list[VerdictsPrerequis]:
    out = []
    for prerequisite in innovation.prerequis:
        wanted = normalize_name(prerequisite.description)
        verdicts = [
            p.verdict
            for _, r in with_report
            for p in r.prerequis
            if normalize_name(p.description) == wanted
        ]
        if not verdicts:
            continue
        parts = []
        for verdict in ("confirme", "pas-necessaire", "insuffisant"):
            count = verdicts.count(verdict)
            if count:
                by = "par" if verdict == "confirme" else "pour"
                parts.append(f"{VERDICTS_PREREQUIS[verdict]} {by} {_count_words(count)}")
        out.append(VerdictsPrerequis(prerequisite.description, ", ".join(parts)))
    return out


# Words that open a sentence and lose their capital inside one (« Pourquoi : les parents… »);
# any other first word (a place, a name, an acronym) keeps it.
_STARTERS = frozenset(
    [
        "le",
        "la",
        "les",
        "l",
        "un",
        "une",
        "des",
        "du",
        "de",
        "d",
        "ce",
        "cet",
        "cette",
        "ces",
        "il",
        "elle",
        "ils",
        "elles",
        "on",
        "nous",
        "pour",
        "par",
        "en",
        "au",
        "aux",
        "à",
        "avec",
        "sans",
        "plus",
        "pas",
        "trop",
        "très",
        "parce",
        "car",
        "quand",
        "si",
        "faute",
        "manque",
        "peu",
        "beaucoup",
        "tous",
        "toutes",
        "chaque",
        "demandé",
        "demandée",
        "demandés",
        "demandées",
        "créer",
        "rendre",
        "transformer",
        "former",
        "trouver",
        "garder",
        "éviter",
        "permettre",
        "répondre",
        "adapter",
        "réduire",
    ]
)


def _lowered(text: str) -> str:
    """A reason as it reads after « Pourquoi : » or « ; »: its first word lowered when it is
    a common opening word (« Le Pédibus… » → « le Pédibus… »), else as written."""
    first = text.split(maxsplit=1)[0] if text.strip() else ""
    bare = first.split("'")[0].split("’")[0].lower()
    if bare in _STARTERS and first[:1].isupper() and not first[1:2].isupper():
        return text[0].lower() + text[1:]
    return text


def _with_status(with_report: list[tuple[str, Retour]]) -> list[tuple[str, Retour]]:
    """The take-overs named with their status when they no longer run (« Quimper, arrêtée »):
    their real means are told apart from those of the take-overs that run."""
    return [
        (nom if r.statut == "en-fonctionnement" else f"{nom}, {STATUTS_RETOUR[r.statut]}", r)
        for nom, r in with_report
    ]


def _listed(with_report: list[tuple[str, Retour]], kind: str) -> list[str]:
    """The equipment or the partners each report describes, one line per take-over:
    « Avesnois : bus aménagé ; 2 × ordinateur », « Manosque : MAIF Prévention, forme… »."""
    out = []
    for nom, r in with_report:
        if r.moyens_reels is None:
            continue
        if kind == "materiels":
            items = [
                m.element if m.quantite == 1 else f"{nombre(m.quantite)}\u00a0× {m.element}"
                for m in r.moyens_reels.materiels
            ]
        else:
            items = [
                f"{p.acteur}, {_lowered(p.role).rstrip('.')}" for p in r.moyens_reels.partenaires
            ]
        if items:
            out.append(f"{nom} : {' ; '.join(items)}")
    return out


def _obtained(financement: Financement) -> str:
    """What a take-over obtained, in words, as the report gives it (a total, not « par site »)."""
    what = DE_PORTE_SUR[financement.porte_sur]
    if financement.part is not None:
        return f"{nombre(financement.part)}\u00a0% {what}"
    if financement.montant is None:
        return "montant non précisé"
    text = euros(financement.montant)
    if financement.periodicite in ("annuel", "mensuel"):
        text += f" {PERIODICITES[financement.periodicite]}"
    if financement.duree_ans:
        text += (
            f" pendant {nombre(financement.duree_ans)}\u00a0{pluriel(financement.duree_ans, 'an')}"
        )
    return f"{text}, au titre {what}"


def _per(base: Base) -> str:
    return f"par {means.base_label(base)}"


def _human_lines(moyens: Moyens) -> dict[str, MoyenHumain]:
    return {normalize_name(h.role): h for h in moyens.humains}


def _money_lines(moyens: Moyens) -> dict[str, MoyenFinancier]:
    return {normalize_name(f.poste): f for f in moyens.financiers}


def _means(with_report: list[tuple[str, Retour]], planned: Moyens) -> list[MoyenCompare]:
    """Each role and money line some report gives, in the descriptor's order then the others':
    the planned figure and the real ones, compared only on the same base."""
    out: list[MoyenCompare] = []
    reals = [(nom, r.moyens_reels) for nom, r in with_report if r.moyens_reels is not None]
    if not reals:
        return out
    humans = _human_lines(planned)
    keys = list(humans) + [
        k for _, m in reals for k in _human_lines(m) if k not in humans
    ]  # fmt: skip
    for key in dict.fromkeys(keys):
        plan = humans.get(key)
        seen = [(nom, m.humains) for nom, m in reals]
        figures = [(nom, h) for nom, lines in seen for h in lines if normalize_name(h.role) == key]
        if not figures:
            continue
        label = plan.role if plan else figures[0][1].role
        out.append(
            _compare(
                label, plan, figures, lambda h: (h.etp, _per(h.par)),
                lambda v, unit: f"{nombre(v)}\u00a0ETP {unit}",
            )
        )  # fmt: skip
    money = _money_lines(planned)
    keys = list(money) + [k for _, m in reals for k in _money_lines(m) if k not in money]
    for key in dict.fromkeys(keys):
        plan_line = money.get(key)
        figures_m = [
            (nom, f) for nom, m in reals for f in m.financiers if normalize_name(f.poste) == key
        ]
        if not figures_m:
            continue
        label = plan_line.poste if plan_line else figures_m[0][1].poste

        def money_unit(f: MoyenFinancier) -> tuple[float, str]:
            amount, recurring = as_compared(f)  # « 1 500 € par site, une fois », « … et par an »
            return amount, f"{_per(f.par)} et par an" if recurring else f"{_per(f.par)}, une fois"

        out.append(
            _compare(label, plan_line, figures_m, money_unit, lambda v, unit: f"{euros(v)} {unit}")
        )
    return out


_Line = TypeVar("_Line", MoyenHumain, MoyenFinancier)


def _compare(
    label: str,
    plan: _Line | None,
    figures: list[tuple[str, _Line]],
    measure: Callable[[_Line], tuple[float, str]],
    words: Callable[[float, str], str],
) -> MoyenCompare:
    """The planned figure beside the real ones that share its unit (the others in the detail)."""
    planned = measure(plan) if plan is not None else None
    unit = planned[1] if planned else measure(figures[0][1])[1]
    same = [(nom, measure(f)[0]) for nom, f in figures if measure(f)[1] == unit]
    detail = " ; ".join(f"{nom} : {words(*measure(f))}" for nom, f in figures)
    if same:
        low, high = min(v for _, v in same), max(v for _, v in same)
        reel = words(low, unit) if low == high else f"{nombre(low)} à {words(high, unit)}"
    else:
        low = high = math.nan
        reel = "sur une autre base, voir le détail"
    prevu = words(*planned) if planned else "non prévu par la fiche"
    outside = bool(planned and same and not (low <= planned[0] <= high))
    return MoyenCompare(label, prevu, reel, detail, outside)


def _delay(with_report: list[tuple[str, Retour]], planned: Moyens) -> MoyenCompare | None:
    """The preparation delay: the descriptor's, and each report's (its `moyens_reels`, else the
    months between `debut` and `lancement`)."""
    figures: list[tuple[str, float]] = []
    for nom, r in with_report:
        months = r.moyens_reels.delai_lancement_mois if r.moyens_reels else None
        if months is None and r.debut is not None and r.lancement is not None:
            months = _months_between(r.debut, r.lancement)
        if months is not None:
            figures.append((nom, months))
    if not figures:
        return None
    low, high = min(v for _, v in figures), max(v for _, v in figures)
    plan = planned.delai_lancement_mois
    reel = mois(low) if low == high else f"{nombre(low, 1)} à {mois(high)}"
    return MoyenCompare(
        "Délai de préparation",
        mois(plan) if plan is not None else "non prévu par la fiche",
        reel,
        " ; ".join(f"{nom} : {mois(v)}" for nom, v in figures),
        plan is not None and not (low <= plan <= high),
    )


def _months_between(start: dt.date, end: dt.date) -> float:
    """Whole and tenths of months between two dates (30,44 days a month)."""
    return round((end - start).days / 30.44, 1)


def _value(valeur: object, unite: str | None) -> str:
    text = nombre(valeur) if isinstance(valeur, (int, float)) else str(valeur)
    return f"{text}\u00a0{unite}" if unite else text
