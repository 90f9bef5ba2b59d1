"""What one kit says: everything the templates show for one innovation and one territory.

`prepare` computes it: means scaled to the territory, verdicts on the prerequisites, the
territory's choices, the dated roadmap, the kit-time rules, the sources. Nothing here prints or
writes files; `render` turns a `Kit` into Markdown and HTML.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from . import __version__, rules, scaling
from .findings import Finding
from .french import add_months, date_longue, mois_annee, nombre, pluriel
from .models import Etape, Innovation, Projet, Resultat
from .pipeline import FileCheck
from .targets import Cible, sha256_prefix
from .vocabulary import TYPES_TERRITOIRE


@dataclass(frozen=True)
class Section:
    """A numbered part of a kit; both layouts (Markdown and HTML) follow `SECTIONS`.

    Its content is the template `sections/<ident>.md.j2` or `.html.j2`.
    """

    ident: str  # the section's anchor in HTML and the name of its templates
    titre: str
    titre_id: str  # the anchor of its heading in HTML


SECTIONS: tuple[Section, ...] = (
    Section("synthese", "Synthèse", "titre-synthese"),
    Section("pour-mon-territoire", "Est-ce pour mon territoire ?", "titre-territoire"),
    Section("preuves", "Preuves et pourquoi ça marche", "titre-preuves"),
    Section("coeur-et-marges", "Cœur du concept et marges d'adaptation", "titre-coeur-et-marges"),
    Section("moyens", "Moyens pour ce territoire", "titre-moyens"),
    Section("gouvernance", "Gouvernance", "titre-gouvernance"),
    Section("feuille-de-route", "Feuille de route", "titre-feuille-de-route"),
    Section("plus-loin", "Pour aller plus loin", "titre-plus-loin"),
)

Statut = Literal["rempli", "non-rempli", "a-verifier"]
VERDICTS: dict[Statut, str] = {
    "rempli": "Rempli",
    "non-rempli": "Non rempli",
    "a-verifier": "À vérifier localement",
}


@dataclass
class Verdict:
    """A prerequisite and what can be said of it for this territory."""

    description: str
    statut: Statut
    explications: list[str]

    @property
    def libelle(self) -> str:
        """The French label of the verdict."""
        return VERDICTS[self.statut]


@dataclass
class EtapeDatee:
    """A roadmap step with its place in time."""

    etape: Etape
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
    resultats_cles: list[Resultat]
    titres_marges: dict[str, str]
    sources: dict[str, str]
    avertissements: list[Finding] = field(default_factory=list)  # kit-time rules (T…, K301)
    indice: rules.Indice | None = None  # the descriptor's readiness score
    genere_le: str | None = None
    version: str = __version__


def _population_check(low: int | None, high: int | None, cible: Cible) -> tuple[bool | None, str]:
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


def _type_check(types: Sequence[str], cible: Cible) -> tuple[bool | None, str]:
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
            notes = ["essaimage ne peut pas le vérifier : à voir sur place"]
            out.append(Verdict(prerequis.description, "a-verifier", notes))
            continue
        oks = [ok for ok, _ in results]
        statut: Statut = "non-rempli" if False in oks else "a-verifier" if None in oks else "rempli"
        out.append(Verdict(prerequis.description, statut, [text for _, text in results]))
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
        steps.append(EtapeDatee(etape, _period(debut, first, last)))
        offset += duree
    return steps, offset


def _period(debut: dt.date | None, first: int, last: int) -> str:
    """`mars 2027 – avril 2027` from the start date, else (or beyond the calendar) `mois 1 à 2`."""
    if debut:
        try:
            start, end = add_months(debut, first), add_months(debut, last)
        except (ValueError, OverflowError):
            pass  # a roadmap of thousands of years: counted in months
        else:
            return (
                mois_annee(start) if first == last else f"{mois_annee(start)} – {mois_annee(end)}"
            )
    return f"mois {first + 1}" if first == last else f"mois {first + 1} à {last + 1}"


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
    facts = rules.KitFacts(innovation, cible, checks, choix, projet)
    warnings = rules.kit_findings(
        facts, descriptor.document, descriptor.shown_as, descriptor.levels
    )

    key_results = [r for r in innovation.resultats if r.nature == "resultat"][:3]
    sources = {
        "descripteur": descriptor.path.name,
        "empreinte_descripteur": sha256_prefix(descriptor.path),
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
        indice=descriptor.readiness or rules.indice(innovation),
        genere_le=generation_date(),
    )
