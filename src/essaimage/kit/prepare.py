"""What one kit says: everything the templates show for one innovation and one territory.

`prepare` computes it: the project's size (perimeter, sites), the means with the territory's
choices applied and scaled to it, the budget year by year and its funding, verdicts on the
prerequisites, the dated roadmap, the kit-time rules, the sources. Nothing here prints or writes
files; `render.engine` turns a `Kit` into Markdown and HTML.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..check import rules
from ..check.pipeline import FileCheck
from ..files.output import source_date
from ..files.paths import display_path
from ..findings import Finding
from ..format.models import (
    ChoixSites,
    Etape,
    Financement,
    Innovation,
    Moyens,
    Projet,
    Resultat,
    line_label,
    means_lines,
)
from ..format.vocabulary import OFFICIAL_TYPES
from ..text.french import date_longue, de_a_mois, mois_annee, periode, shift_months
from ..text.words import normalize_name
from ..version import __version__
from . import choices, funding, means, prerequisites, reprises, size
from .budget import Budget
from .budget import compute as compute_budget
from .prerequisites import Verdict
from .reprises import Reprises
from .target import Cible, sha256_prefix


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
    Section("reprises", "Ce que disent les reprises", "titre-reprises"),
    Section("gouvernance", "Gouvernance", "titre-gouvernance"),
    Section("feuille-de-route", "Feuille de route", "titre-feuille-de-route"),
    Section("plus-loin", "Pour aller plus loin", "titre-plus-loin"),
)


@dataclass
class EtapeDatee:
    """A roadmap step with its place in time."""

    etape: Etape
    periode: str  # "mars-avril 2027" or "mois 1 à 2"


FROM_PROFILE = "prévu par le profil du territoire"  # who set a project's start, by default


@dataclass(frozen=True)
class AccompagnementPlan:
    """What a scale-up plan's porteur gives one of its territories: time, for some months, at
    the porteur's charge (outside the territory's budget)."""

    plan: str  # the plan's name
    porteur: str
    etp_par_site: float
    etp: float  # for the territory's sites
    duree_mois: float
    cout_etp_annuel: float | None
    description: str | None = None

    @property
    def valeur(self) -> float | None:
        """What the porteur spends on it: ETP × cost per ETP × months ÷ 12, when costed."""
        if self.cout_etp_annuel is None:
            return None
        return self.etp * self.cout_etp_annuel * self.duree_mois / 12


@dataclass
class Kit:
    """Everything the templates show for one innovation and one territory."""

    innovation: Innovation
    cible: Cible
    projet: Projet | None
    taille: size.Taille
    moyens: means.MoyensCalcules  # the descriptor's means, the chosen options applied
    budget: Budget
    financement: funding.PlanFinancement | None  # on `supplementaire` when there is one
    changements: list[choices.Changement]  # what the marge choices changed in the means
    degrade: means.MoyensCalcules | None
    degrade_budget: Budget | None
    degrade_financement: funding.PlanFinancement | None  # on `degrade_supplementaire` if any
    prerequis: list[Verdict]
    choix: dict[str, str]
    feuille_de_route: list[EtapeDatee]
    duree_totale: float
    preparation: str | None  # "de mars 2027 à juin 2027"
    lancement: str | None  # the day operation starts: "1er juillet 2027"
    resultats_cles: list[Resultat]
    titres_marges: dict[str, str]
    sources: dict[str, str]
    en_place: list[str] = field(default_factory=list)  # means lines the territory already has
    supplementaire: Budget | None = None  # the budget without them: what the take-over adds
    accompagnement: AccompagnementPlan | None = None  # a scale-up plan's support, in kind
    degrade_supplementaire: Budget | None = None  # the minimal version without what is there
    origine_debut: str = FROM_PROFILE  # who set the start date
    avertissements: list[Finding] = field(default_factory=list)  # kit-time rules (T…)
    indice: rules.Indice | None = None  # the descriptor's readiness score
    reprises: Reprises | None = None  # what the take-overs teach (None: none yet)
    genere_le: str | None = None
    version: str = __version__
    # Files the kit cites that are copied beside it: the descriptor's `chemin` -> the copy's
    # path from the kit (« ressources/charte.md »), and that copy's source in the repository.
    ressources_fournies: dict[str, str] = field(default_factory=dict)
    fichiers_fournis: list[tuple[str, Path]] = field(default_factory=list)

    @property
    def budget_finance(self) -> Budget:
        """The budget the funding plan pays for: the extra cost when means are in place."""
        return self.supplementaire or self.budget


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
    """When the preparation runs: `de mars à juin 2027` for four months from 1 March."""
    if debut is None or months <= 0:
        return None
    try:
        last = shift_months(debut, months) - dt.timedelta(days=1)
    except (ValueError, OverflowError):
        return None
    if (debut.year, debut.month) == (last.year, last.month):
        return f"en {mois_annee(debut)}"
    return de_a_mois(debut, last)


def generation_date() -> str | None:
    """The date to print in kits: only when SOURCE_DATE_EPOCH asks for one."""
    moment = source_date()
    return date_longue(moment.date()) if moment else None


def _already_there(
    adapted: Moyens,
    shares: dict[int, int],
    projet: Projet | None,
    effectifs: means.Effectifs,
    roadmap_months: float,
    annees: int,
) -> tuple[list[str], Budget | None]:
    """The means lines the territory already has (`deja_en_place`), as the descriptor names
    them, and the budget of what taking the innovation over adds (None when nothing is there)."""
    if projet is None or not projet.deja_en_place:
        return [], None
    wanted = {normalize_name(name) for name in projet.deja_en_place}
    there = [
        line_label(item)
        for item in means_lines(adapted)
        if normalize_name(line_label(item)) in wanted
    ]
    if not there:
        return [], None
    extra = choices.without_lines(adapted, wanted)
    scaled = means.compute(extra, effectifs, shares)
    return there, compute_budget(scaled, extra, projet, roadmap_months, annees)


def _reduced_means(reduced: Moyens, full: Moyens) -> Moyens:
    """The mode dégradé's means, valued like the full ones: the descriptor's ETP cost and launch
    delay where the reduced version gives none."""
    update: dict[str, object] = {}
    if reduced.cout_etp_annuel is None and full.cout_etp_annuel is not None:
        update["cout_etp_annuel"] = full.cout_etp_annuel
    if reduced.delai_lancement_mois is None and full.delai_lancement_mois is not None:
        update["delai_lancement_mois"] = full.delai_lancement_mois
    return reduced.model_copy(update=update) if update else reduced


def _funding(
    innovation: Innovation,
    projet: Projet | None,
    cout: Budget,
    effectifs: means.Effectifs,
    du_plan: list[Financement] | None,
    collectivite: bool,
    type_repreneur: str | None = None,
) -> funding.PlanFinancement | None:
    """The profile's funding plan, else the descriptor's, then the scale-up plan's; in the
    descriptor's typical plan and the scale-up plan, the lines the repreneur would pay to itself
    (`funding.own_body`, `type_repreneur` given for a collectivité that carries the project) are
    its apport."""
    origine: funding.Origine
    if projet is not None and projet.financements:
        own, origine = projet.financements, "profil"
    elif innovation.financements:
        own, origine = innovation.financements, "descripteur"
    elif du_plan:
        own, origine = [], "plan"
    else:
        return None
    if origine == "descripteur":  # a profile's own plan says what it means
        own = funding.as_own_money(own, type_repreneur)
    du_plan = funding.as_own_money(du_plan, type_repreneur) if du_plan else du_plan
    return funding.compute(own, origine, cout, effectifs, du_plan, collectivite)


def is_collectivite(cible: Cible) -> bool:
    """Whether the repreneur is a collectivité: its profile's porteur says so, else the
    territory is a commune, an EPCI, a département or a région (it takes the project over)."""
    porteur = cible.profil.porteur if cible.profil is not None else None
    if porteur is not None and porteur.type is not None:
        return porteur.type == "collectivite"
    return cible.type in OFFICIAL_TYPES


def prepare(
    innovation: Innovation,
    descriptor: FileCheck,
    cible: Cible,
    projet: Projet | None = None,
    annees: int = 3,
    du_plan: list[Financement] | None = None,
    accompagnement: AccompagnementPlan | None = None,
    origine_debut: str = FROM_PROFILE,
) -> Kit:
    """Everything one kit shows, computed for this territory; `projet` (a plan's target) stands
    for the profile's project when given, `annees` is the least number of budget years,
    `du_plan` a scale-up plan's common funding (after the territory's own) and `accompagnement`
    the support its porteur gives this territory, `origine_debut` who set the start date when
    it is not the profile (« fixé par le plan de montée en charge, vague 2 »)."""
    projet = projet if projet is not None else cible.projet(innovation.id)
    taille = size.measure(innovation, projet, cible)
    effectifs = means.Effectifs(taille.habitants, taille.beneficiaires, taille.sites)
    choix = dict(projet.choix) if projet else {}
    adaptation_ = choices.apply_choices(innovation, choix, taille.sites)
    adapted, changements = adaptation_.moyens, adaptation_.changements
    shares = adaptation_.sites_par_ligne
    moyens = means.compute(adapted, effectifs, shares)
    debut = projet.debut if projet else None
    steps, total = roadmap(innovation, debut)
    cout = compute_budget(moyens, adapted, projet, total, annees)
    en_place, supplementaire = _already_there(adapted, shares, projet, effectifs, total, annees)

    public_body = is_collectivite(cible)
    own_kind = cible.type if public_body else None  # whose lines are its own money
    degrade = degrade_cout = degrade_plan = degrade_extra = None
    if innovation.mode_degrade and innovation.mode_degrade.moyens:
        reduced = _reduced_means(innovation.mode_degrade.moyens, adapted)
        degrade = means.compute(reduced, effectifs)
        degrade_cout = compute_budget(degrade, reduced, projet, total, annees)
        # what is already in place is not charged to the minimal version either
        _, degrade_extra = _already_there(reduced, {}, projet, effectifs, total, annees)
        degrade_plan = _funding(
            innovation, projet, degrade_extra or degrade_cout, effectifs, du_plan, public_body,
            own_kind,
        )  # fmt: skip

    plan = _funding(
        innovation, projet, supplementaire or cout, effectifs, du_plan, public_body, own_kind
    )
    if plan is not None and supplementaire is not None:
        plan.sur_cout_supplementaire = True

    preparation = None
    if moyens.delai_lancement_mois is not None:
        preparation = preparation_period(debut, moyens.delai_lancement_mois)

    titres_marges = {m.id: m.titre for m in innovation.marges}
    titres_marges.update({c.id: c.titre for c in innovation.coeur})
    checks = prerequisites.verdicts(innovation, cible, taille)
    facts = _rule_facts(innovation, cible, checks, choix, projet, taille, plan)
    warnings = rules.kit_findings(
        facts, descriptor.document, descriptor.shown_as, descriptor.levels
    )

    known = {m.id for m in innovation.marges}
    shown = {  # a choice for another marge is R103: no kit is made (production, scaleup)
        marge: choices.choice_words(value) for marge, value in choix.items() if marge in known
    }

    key_results = [r for r in innovation.resultats if r.nature == "resultat"][:3]
    sources = {
        "descripteur": descriptor.path.name,
        "empreinte_descripteur": sha256_prefix(descriptor.path),
    }
    if cible.fichier:
        sources["profil"] = cible.fichier.name
        sources["empreinte_profil"] = cible.empreinte or ""
    links, files = provided_files(innovation, descriptor.path)
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
        degrade_financement=degrade_plan,
        en_place=en_place,
        supplementaire=supplementaire,
        accompagnement=accompagnement,
        degrade_supplementaire=degrade_extra,
        origine_debut=origine_debut,
        prerequis=checks,
        choix=shown,
        feuille_de_route=steps,
        duree_totale=total,
        preparation=preparation,
        lancement=date_longue(cout.lancement) if cout.lancement else None,
        resultats_cles=key_results or innovation.resultats[:3],
        titres_marges=titres_marges,
        sources=sources,
        avertissements=warnings,
        indice=descriptor.readiness or rules.indice(innovation),
        reprises=reprises.gather(innovation, descriptor, cible.type, cible.population),
        genere_le=generation_date(),
        ressources_fournies=links,
        fichiers_fournis=files,
    )


RESOURCES_FOLDER = "ressources"  # beside the kits of an innovation


def provided_files(
    innovation: Innovation, descriptor: Path
) -> tuple[dict[str, str], list[tuple[str, Path]]]:
    """The resources given as a file (`chemin`, beside the descriptor) that the kit copies into
    `ressources/` beside it: each `chemin` with its copy's path from the kit, and each copy with
    its source. Copies are named after the file, numbered when two files share a name; where
    the file really lies is checked when it is read (`files.confinement.read_inside`)."""
    links: dict[str, str] = {}
    files: list[tuple[str, Path]] = []
    taken: set[str] = set()
    for ressource in innovation.ressources:
        chemin = ressource.chemin
        if not chemin or chemin in links:
            continue
        written = PurePosixPath(chemin.replace("\\", "/")).name
        name = "".join(c if c.isalnum() or c in "._-" else "-" for c in written).strip(".")
        name = name or "ressource"  # a link's address in Markdown and HTML, as it is
        stem, dot, suffix = name.rpartition(".")
        candidate, number = name, 1
        while candidate.lower() in taken:
            number += 1
            candidate = f"{stem}-{number}.{suffix}" if dot and stem else f"{name}-{number}"
        taken.add(candidate.lower())
        relative = f"{RESOURCES_FOLDER}/{candidate}"
        links[chemin] = relative
        files.append((relative, descriptor.parent / chemin))
    return links, files


def _rule_facts(
    innovation: Innovation,
    cible: Cible,
    checks: list[Verdict],
    choix: Mapping[str, str | list[ChoixSites]],
    projet: Projet | None,
    taille: size.Taille,
    plan: funding.PlanFinancement | None,
) -> rules.KitFacts:
    """What the kit rules (T…) look at, as the plain facts they read."""
    return rules.KitFacts(
        innovation=innovation,
        projet=projet,
        choix=choix,
        nom=cible.nom_propre,
        type_territoire=cible.type,
        profil=cible.profil,
        profil_document=cible.document,
        profil_fichier=display_path(cible.fichier) if cible.fichier else cible.nom,
        non_remplis=tuple(
            rules.Unmet(i, verdict.description, tuple(verdict.echecs))
            for i, verdict in enumerate(checks)
            if verdict.statut == "non-rempli"
        ),
        habitants=taille.habitants,
        sites=taille.sites,
        beneficiaires=taille.beneficiaires,
        financement_origine=plan.origine if plan is not None else None,
        excedents=tuple(plan.excedents) if plan is not None else (),
        plafonnements=tuple(plan.plafonnements) if plan is not None else (),
    )
