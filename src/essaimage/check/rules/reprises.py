"""Rules that learn from the take-over reports (D905–D908): what the repository's valid reports
on an innovation teach its descriptor, at the descriptor's line.

The pipeline reads the reports of the descriptor's repository (`Lecons.of`, from their models)
and runs these rules after the descriptor's own; they are rules like the others (a level in
essaimage.yaml, `essaimage regles`), run whenever the descriptor is checked — by `validate`, the
hook, `kit` and `plan` alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from ...findings import Finding, Severity
from ...format.models import (
    Innovation,
    MoyenFinancier,
    MoyenHumain,
    Moyens,
    Retour,
    as_compared,
    chosen_options,
)
from ...format.scalars import Base
from ...text.french import date_longue, nombre
from ...text.words import normalize_name
from ..loader import Document
from .base import FRAME, ISAT, Hit, finding, rule, rules

AVERTISSEMENT, INFO = Severity.AVERTISSEMENT, Severity.INFO

AT_LEAST = 2  # reports that make a lesson: one take-over is an anecdote


@dataclass(frozen=True)
class Lecons:
    """What the valid reports on one innovation say, as the rules read it."""

    retours: tuple[Retour, ...] = ()
    lieux: tuple[str, ...] = ()  # each report's territory, in the same order

    @classmethod
    def of(cls, reports: Sequence[tuple[str, Retour]]) -> Lecons:
        """The lessons of (territory, report) pairs: the latest report of each territory."""
        latest: dict[str, tuple[str, Retour]] = {}
        for place, report in sorted(reports, key=lambda pair: pair[1].date):
            latest[normalize_name(place)] = (place, report)
        kept = list(latest.values())
        return cls(tuple(r for _, r in kept), tuple(p for p, _ in kept))


def _real_lines(lecons: Lecons, pick: str) -> Iterator[tuple[str, MoyenHumain | MoyenFinancier]]:
    for place, report in zip(lecons.lieux, lecons.retours, strict=True):
        if report.moyens_reels is not None:
            for line in getattr(report.moyens_reels, pick):
                yield place, line


@rule(
    "D905", INFO, "option à ajouter : choisie hors des options par plusieurs reprises",
    "Quand plusieurs reprises font le même choix en dehors des options d'une marge, ce choix "
    "a fait ses preuves ailleurs : le prochain repreneur doit le trouver parmi les options.",
    [FRAME],
    "Ajoutez ce choix aux « options » de la marge (avec ce qu'il ajoute ou retire aux moyens), "
    "ou dites dans « limites » pourquoi il n'en est pas une.",
    "marges:\n  - id: equipement\n    options: [gilets réfléchissants, capes de pluie]",
    moment="reprises",
)  # fmt: skip
def _option_a_ajouter(model: Innovation, lecons: Lecons, today: dt.date) -> Iterator[Hit]:
    for i, marge in enumerate(model.marges):
        names = marge.option_names()
        if not names:
            continue  # a marge without options leaves the choice free
        seen: dict[str, tuple[str, set[str]]] = {}
        for place, report in zip(lecons.lieux, lecons.retours, strict=True):
            for adaptation in report.adaptations:
                choix = adaptation.choix
                if adaptation.marge != marge.id or choix is None:
                    continue
                if chosen_options(names, choix) is not None:
                    continue
                shown, places = seen.setdefault(normalize_name(choix), (choix, set()))
                places.add(place)
        for shown, places in seen.values():
            if len(places) >= AT_LEAST:
                yield Hit(
                    ("marges", i, "options"),
                    f"« {shown} » a été choisi hors des options de la marge « {marge.id} » par "
                    f"{nombre(len(places))} reprises ({', '.join(sorted(places))}) : une option "
                    "à ajouter ?",
                )


@rule(
    "D906", INFO, "élément du cœur peut-être pas du cœur",
    "Un élément du cœur qu'une reprise n'a pas respecté, alors qu'elle fonctionne et mesure des "
    "résultats, n'est peut-être pas non négociable : c'est la question que pose l'étude de la "
    "fidélité (Carroll et al., 2007).",
    [FRAME, ISAT],
    "Regardez ce que la reprise a fait à la place ; si l'effet tient, faites de l'élément une "
    "marge d'adaptation, avec ses limites ; sinon, dites-le dans son « pourquoi ».",
    "coeur:\n  - id: gratuite\n    pourquoi: Sans gratuité, les familles modestes renoncent "
    "(retour de Lannion, 2028).",
    moment="reprises",
)  # fmt: skip
def _peut_etre_pas_du_coeur(model: Innovation, lecons: Lecons, today: dt.date) -> Iterator[Hit]:
    for i, element in enumerate(model.coeur):
        places = [
            place
            for place, report in zip(lecons.lieux, lecons.retours, strict=True)
            if report.statut == "en-fonctionnement"
            and any(r.nature == "resultat" for r in report.resultats)
            and any(f.coeur == element.id and f.respecte == "non" for f in report.fidelite)
        ]
        if places:
            yield Hit(
                ("coeur", i),
                f"l'élément du cœur « {element.id} » n'a pas été respecté à "
                f"{', '.join(places)}, et la reprise fonctionne avec des résultats mesurés : "
                "est-il vraiment non négociable ?",
            )


def _same_base(a: Base, b: Base) -> bool:
    return a.unite == b.unite and a.n == b.n


@rule(
    "D907", AVERTISSEMENT, "moyens prévus hors de ce que les reprises ont eu",
    "Le kit chiffre les moyens d'après la fiche ; quand plusieurs reprises ont toutes eu plus, "
    "ou toutes moins, le budget voté sur le kit ne tiendra pas.",
    [ISAT],
    "Revoyez le chiffre de la fiche d'après les moyens réels des reprises (le kit les montre "
    "dans « Ce que disent les reprises »), ou expliquez l'écart dans la description du moyen.",
    "moyens:\n  humains:\n    - role: Coordination\n      etp: 0,2    # 0,1 à 0,3 dans les "
    "reprises",
    moment="reprises",
)  # fmt: skip
def _moyens_hors_fourchette(model: Innovation, lecons: Lecons, today: dt.date) -> Iterator[Hit]:
    yield from _people_outside(model.moyens, lecons)
    yield from _money_outside(model.moyens, lecons)


def _range_words(values: list[float], unit: str, decimals: int = 2) -> str:
    """« de 0,1 à 0,3 ETP », or « 0,2 ETP chacune » when they all had the same."""
    low, high = min(values), max(values)
    if low == high:
        return f"{nombre(low, decimals)} {unit} chacune"
    return f"de {nombre(low, decimals)} à {nombre(high, decimals)} {unit}"


def _people_outside(moyens: Moyens, lecons: Lecons) -> Iterator[Hit]:
    for i, line in enumerate(moyens.humains):
        wanted = normalize_name(line.role)
        values = [
            real.etp
            for _, real in _real_lines(lecons, "humains")
            if isinstance(real, MoyenHumain)
            and normalize_name(real.role) == wanted
            and _same_base(real.par, line.par)
        ]
        if len(values) >= AT_LEAST and not min(values) <= line.etp <= max(values):
            yield Hit(
                ("moyens", "humains", i, "etp"),
                f"« {line.role} » : la fiche prévoit {nombre(line.etp)} ETP, les "
                f"{nombre(len(values))} reprises qui l'ont décrit ont eu "
                f"{_range_words(values, 'ETP')}",
            )


def _money_outside(moyens: Moyens, lecons: Lecons) -> Iterator[Hit]:
    for i, line in enumerate(moyens.financiers):
        wanted = normalize_name(line.poste)
        planned, recurring = as_compared(line)
        values = []
        for _, real in _real_lines(lecons, "financiers"):
            if not isinstance(real, MoyenFinancier) or normalize_name(real.poste) != wanted:
                continue
            amount, real_recurring = as_compared(real)
            if real_recurring == recurring and _same_base(real.par, line.par):
                values.append(amount)
        if len(values) >= AT_LEAST and not min(values) <= planned <= max(values):
            when = "par an" if recurring else "une fois"
            yield Hit(
                ("moyens", "financiers", i, "montant"),
                f"« {line.poste} » : la fiche prévoit {nombre(planned, 0)} € {when}, les "
                f"{nombre(len(values))} reprises qui l'ont décrit ont eu "
                f"{_range_words(values, f'€ {when}', 0)}",
            )


@rule(
    "D908", INFO, "aucun retour d'essaimage depuis cinq ans",
    "Les reprises changent : un retour de plus de cinq ans dit mal ce qu'elles vivent "
    "aujourd'hui (comme un résultat ancien, voir D304).",
    [ISAT],
    "Demandez aux reprises un retour récent (essaimage init retour FICHIER --innovation ID).",
    "retour:\n  innovation: pedibus\n  date: 2026-06-30",
    moment="reprises",
)  # fmt: skip
def _retours_anciens(model: Innovation, lecons: Lecons, today: dt.date) -> Iterator[Hit]:
    if not lecons.retours:
        return
    newest = max(report.date for report in lecons.retours)
    try:
        limit = today.replace(year=today.year - 5)
    except ValueError:  # 29 February
        limit = today.replace(year=today.year - 5, day=28)
    if newest < limit:
        yield Hit(
            ("essaimages",) if model.essaimages else (),
            f"le retour d'essaimage le plus récent date du {date_longue(newest)}, plus de 5 ans "
            f"avant {today.year}",
        )


def lesson_hits(model: Innovation, lecons: Lecons, today: dt.date) -> dict[str, list[Hit]]:
    """Every lesson rule's hits on the descriptor, before any level configuration."""
    return {entry.code: list(entry.controle(model, lecons, today)) for entry in rules("reprises")}


def lesson_findings(
    model: Innovation,
    lecons: Lecons,
    doc: Document,
    file: str,
    overrides: Mapping[str, str],
    today: dt.date,
) -> list[Finding]:
    """The lesson rules' findings, levels configured."""
    if not lecons.retours:
        return []  # no report: nothing to learn (and a catalogue's descriptors cost nothing)
    found = []
    for code, hits in lesson_hits(model, lecons, today).items():
        for hit in hits:
            result = finding(code, hit, doc, file, overrides)
            if result is not None:
                found.append(result)
    return found
