"""What one kit says: everything the templates show for one innovation and one territory.

`prepare` computes it: the project's size (perimeter, sites), the means with the territory's
choices applied and scaled to it, the budget year by year and its funding, verdicts on the
prerequisites, the dated roadmap, the kit-time rules, the sources. Nothing here prints or writes
files; `render` turns a `Kit` into Markdown and HTML.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from . import __version__, adaptation, funding, prerequisites, rules, scaling, sizing
from .budget import Budget
from .budget import compute as compute_budget
from .findings import Finding
from .french import date_longue, mois_annee, periode, shift_months
from .models import Etape, Innovation, Projet, Resultat
from .output import source_date
from .pipeline import FileCheck
from .prerequisites import Verdict
from .targets import Cible, sha256_prefix


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
    Section("pour-mon-territoire", "Est-ce pour votre territoire ?", "titre-territoire"),
    Section("preuves", "Preuves et pourquoi ça marche", "titre-preuves"),
    Section("coeur-et-marges", "Cœur du concept et marges d'adaptation", "titre-coeur-et-marges"),
    Section("moyens", "Moyens pour votre territoire", "titre-moyens"),
    Section("gouvernance", "Gouvernance", "titre-gouvernance"),
    Section("feuille-de-route", "Feuille de route", "titre-feuille-de-route"),
    Section("plus-loin", "Pour aller plus loin", "titre-plus-loin"),
)


@dataclass
class EtapeDatee:
    """A roadmap step with its place in time."""

    etape: Etape
    periode: str  # "mars-avril 2027" or "mois 1 à 2"


@dataclass
class Kit:
    """Everything the templates show for one innovation and one territory."""

    innovation: Innovation
    cible: Cible
    projet: Projet | None
    taille: sizing.Taille
    moyens: scaling.MoyensCalcules  # the descriptor's means, the chosen options applied
    budget: Budget
    financement: funding.PlanFinancement | None
    changements: list[adaptation.Changement]  # what the marge choices changed in the means
    degrade: scaling.MoyensCalcules | None
    degrade_budget: Budget | None
    prerequis: list[Verdict]
    choix: dict[str, str]
    feuille_de_route: list[EtapeDatee]
    duree_totale: float
    preparation: str | None  # "de mars 2027 à juin 2027"
    lancement: str | None  # the day operation starts: "1er juillet 2027"
    resultats_cles: list[Resultat]
    titres_marges: dict[str, str]
    sources: dict[str, str]
    avertissements: list[Finding] = field(default_factory=list)  # kit-time rules (T…, K301)
    indice: rules.Indice | None = None  # the descriptor's readiness score
    genere_le: str | None = None
    version: str = __version__


def roadmap(innovation: Innovation, debut: dt.date | None) -> tuple[list[EtapeDatee], float]:
    """Steps with their period: calendar months from `debut` (to the day), else "mois 1 à 2"."""
    steps = []
    offset = 0.0
    for etape in innovation.etapes:
        duree = etape.duree_mois
        if not duree:
            steps.append(EtapeDatee(etape, "durée non précisée"))
            continue
        steps.append(EtapeDatee(etape, _period(debut, offset, offset + duree)))
        offset += duree
    return steps, offset


def _period(debut: dt.date | None, start: float, end: float) -> str:
    """`mars-avril 2027` from the start date, else (or beyond the calendar) `mois 1 à 2`."""
    if debut:
        try:
            first = shift_months(debut, start)
            last = shift_months(debut, end) - dt.timedelta(days=1)
        except (ValueError, OverflowError):
            pass  # a roadmap of thousands of years: counted in months
        else:
            return periode(first, last)
    first_month = math.floor(start)
    last_month = max(math.ceil(end) - 1, first_month)
    if first_month == last_month:
        return f"mois {first_month + 1}"
    return f"mois {first_month + 1} à {last_month + 1}"


def preparation_period(debut: dt.date | None, months: float) -> str | None:
    """When the preparation runs: `de mars 2027 à juin 2027` for four months from 1 March."""
    if debut is None or months <= 0:
        return None
    try:
        last = shift_months(debut, months) - dt.timedelta(days=1)
    except (ValueError, OverflowError):
        return None
    if (debut.year, debut.month) == (last.year, last.month):
        return f"en {mois_annee(debut)}"
    return f"de {mois_annee(debut)} à {mois_annee(last)}"


def generation_date() -> str | None:
    """The date to print in kits: only when SOURCE_DATE_EPOCH asks for one."""
    moment = source_date()
    return date_longue(moment.date()) if moment else None


def prepare(
    innovation: Innovation,
    descriptor: FileCheck,
    cible: Cible,
    projet: Projet | None = None,
    annees: int = 3,
) -> Kit:
    """Everything one kit shows, computed for this territory; `projet` (a plan's target) stands
    for the profile's project when given, `annees` is the least number of budget years."""
    projet = projet if projet is not None else cible.projet(innovation.id)
    taille = sizing.measure(innovation, projet, cible)
    effectifs = scaling.Effectifs(taille.habitants, taille.beneficiaires, taille.sites)
    choix = dict(projet.choix) if projet else {}
    adapted, changements = adaptation.apply_choices(innovation, choix)
    moyens = scaling.compute(adapted, effectifs)
    debut = projet.debut if projet else None
    steps, total = roadmap(innovation, debut)
    cout = compute_budget(moyens, adapted, projet, total, annees)

    degrade = degrade_cout = None
    if innovation.mode_degrade and innovation.mode_degrade.moyens:
        reduced = innovation.mode_degrade.moyens
        degrade = scaling.compute(reduced, effectifs)
        degrade_cout = compute_budget(degrade, reduced, projet, total)

    plan = None
    if projet is not None and projet.financements:
        plan = funding.compute(projet.financements, "profil", cout, effectifs)
    elif innovation.financements:
        plan = funding.compute(innovation.financements, "descripteur", cout, effectifs)

    preparation = None
    if moyens.delai_lancement_mois is not None:
        preparation = preparation_period(debut, moyens.delai_lancement_mois)

    titres_marges = {m.id: m.titre for m in innovation.marges}
    titres_marges.update({c.id: c.titre for c in innovation.coeur})
    checks = prerequisites.verdicts(innovation, cible, taille)
    facts = rules.KitFacts(innovation, cible, checks, choix, projet, taille, plan)
    warnings = rules.kit_findings(
        facts, descriptor.document, descriptor.shown_as, descriptor.levels
    )

    known = {m.id for m in innovation.marges}
    choix = {marge: value for marge, value in choix.items() if marge in known}  # K301 said the rest

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
        taille=taille,
        moyens=moyens,
        budget=cout,
        financement=plan,
        changements=changements,
        degrade=degrade,
        degrade_budget=degrade_cout,
        prerequis=checks,
        choix=choix,
        feuille_de_route=steps,
        duree_totale=total,
        preparation=preparation,
        lancement=date_longue(cout.lancement) if cout.lancement else None,
        resultats_cles=key_results or innovation.resultats[:3],
        titres_marges=titres_marges,
        sources=sources,
        avertissements=warnings,
        indice=descriptor.readiness or rules.indice(innovation),
        genere_le=generation_date(),
    )
