"""Rules checked when a kit is made for one territory (T…).

They need what only a kit knows: the receiving territory, the verdicts on the prerequisites, the
choices and the plans of its profile. The kit hands them these as plain facts (`KitFacts`): the
rules sit with the code registry, below the kit, so that `validate` knows every rule code. A hit
points at the descriptor, or at the territory profile (`Hit.in_profile`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from ...findings import Finding, Severity
from ...format.models import ChoixSites, Innovation, Profil, Projet, choice_items
from ...text.french import NomPropre, euros, nombre
from ..loader import Document, PathKey
from .base import CFIR, CGCT, FRAME, GUIDE, ISAT, Hit, finding, rule, rules

AVERTISSEMENT = Severity.AVERTISSEMENT


@dataclass(frozen=True)
class Unmet:
    """A prerequisite the territory does not meet: its place in `prerequis`, its text, why."""

    index: int
    description: str
    echecs: tuple[str, ...]


@dataclass(frozen=True)
class KitFacts:
    """What the kit rules look at: the innovation, the territory and what the kit computed."""

    innovation: Innovation
    projet: Projet | None  # the territory's project for this innovation
    choix: Mapping[str, str | list[ChoixSites]]
    nom: NomPropre  # the receiving territory's name, with its article
    type_territoire: str | None
    profil: Profil | None  # the territory profile, when there is one
    profil_document: Document | None  # the profile as read, for the findings' positions
    profil_fichier: str  # the profile's file as shown, or the territory's name
    non_remplis: tuple[Unmet, ...]
    habitants: int | None  # the population base the kit scales with
    sites: int
    beneficiaires: int | None
    financement_origine: str | None  # "descripteur", "profil", "plan"; None without funding
    excedents: tuple[tuple[str, float, float], ...] = ()  # (when, paid, cost)
    plafonnements: tuple[tuple[str, float, float, float], ...] = ()  # (when, asked, ceiling, inv.)


@rule(
    "T101", AVERTISSEMENT, "prérequis non rempli par le territoire",
    "Un prérequis non rempli (population, type de territoire) annonce une reprise difficile : "
    "mieux vaut le savoir avant de s'engager.",
    [ISAT, GUIDE],
    "Vérifiez avec le porteur d'origine si une adaptation ou le mode dégradé lève l'obstacle, "
    "ou choisissez un autre périmètre (par exemple l'intercommunalité plutôt que la commune).",
    "prerequis:\n  - description: Une ville moyenne\n    population_min: 20 000",
    moment="kit",
)  # fmt: skip
def _prerequis_non_rempli(facts: KitFacts) -> Iterator[Hit]:
    for unmet in facts.non_remplis:
        yield Hit(
            ("prerequis", unmet.index),
            f"{facts.nom.sujet} ne {facts.nom.accorde('remplit', 'remplissent')} pas le prérequis "
            f"« {unmet.description} » : " + " ; ".join(unmet.echecs),
        )


@rule(
    "T102", AVERTISSEMENT, "choix du territoire hors des options de la marge",
    "Une marge annonce ses options connues ; un choix hors de cette liste est peut-être légitime, "
    "mais il doit être vérifié au regard des limites de la marge.",
    [FRAME, CFIR],
    "Choisissez une des options de la marge, ou vérifiez que votre choix respecte ses limites et "
    "faites-le valider par le décideur de la marge.",
    "projets:\n  pedibus:\n    choix:\n      frequence: matins et soirs   # une des options",
    moment="kit",
)  # fmt: skip
def _choix_hors_options(facts: KitFacts) -> Iterator[Hit]:
    marges = {m.id: m for m in facts.innovation.marges}
    for marge_id, value in sorted(facts.choix.items()):
        marge = marges.get(marge_id)
        if marge is None or not marge.options:
            continue
        for index, (text, _) in enumerate(choice_items(value)):
            if marge.chosen(text) is None:
                path: PathKey = ("projets", facts.innovation.id, "choix", marge_id)
                if isinstance(value, list):
                    path = (*path, index, "option")
                yield Hit(
                    path,
                    f"le choix {facts.nom.de} pour la marge « {marge.titre} » "
                    f"(« {text} ») "
                    f"n'est pas une des options prévues : {' ; '.join(marge.option_names())}",
                    in_profile=True,
                )


@rule(
    "T103", AVERTISSEMENT, "moyen calculé par bénéficiaire sans bénéficiaires prévus",
    "Une partie des moyens dépend du nombre de bénéficiaires : sans ce nombre dans le profil ni "
    "« beneficiaires_par_site » dans le dimensionnement de l'innovation, le kit ne peut pas "
    "chiffrer ces moyens ni les totaux.",
    [ISAT],
    "Indiquez « beneficiaires » dans le projet du profil de territoire.",
    "projets:\n  pedibus:\n    beneficiaires: 240",
    moment="kit",
)  # fmt: skip
def _par_beneficiaire_sans_beneficiaires(facts: KitFacts) -> Iterator[Hit]:
    if facts.beneficiaires:  # the profile's, or the innovation's dimensionnement
        return
    moyens = facts.innovation.moyens
    per_beneficiary = [
        (("moyens", "humains", j), item.role)
        for j, item in enumerate(moyens.humains)
        if item.par.unite == "beneficiaire"
    ]
    per_beneficiary += [
        (("moyens", "financiers", j), item.poste)
        for j, item in enumerate(moyens.financiers)
        if item.par.unite == "beneficiaire"
    ]
    per_beneficiary += [
        (("moyens", "materiels", j), item.element)
        for j, item in enumerate(moyens.materiels)
        if item.par.unite == "beneficiaire"
    ]
    if not per_beneficiary:
        return
    names = " ; ".join(label for _, label in per_beneficiary)
    count = len(per_beneficiary)
    nom = facts.nom
    opening = (
        f"{nom.sujet} ne {nom.accorde('prévoit', 'prévoient')} aucun nombre de bénéficiaires"
        if facts.profil is not None
        else f"aucun profil ne donne le nombre de bénéficiaires {nom.de}"
    )
    yield Hit(
        per_beneficiary[0][0],
        f"{opening}, or "
        + (f"{count} moyens sont comptés" if count > 1 else "un moyen est compté")
        + f" par bénéficiaire ({names}) : le kit ne peut pas les chiffrer",
    )


LARGE_TYPES = {  # with their article: « la Bretagne est une région »
    "departement": "un département",
    "region": "une région",
    "national": "le territoire national",
}


@rule(
    "T104", AVERTISSEMENT, "grand territoire sans périmètre ni nombre de sites",
    "Pour un département ou une région, les moyens d'un seul site sur toute la population "
    "n'ont pas de sens : un moyen « par 10 000 habitants » compte des centaines de milliers "
    "d'habitants que le projet ne touchera pas, un moyen « par site » n'est compté qu'une fois.",
    [ISAT, GUIDE],
    "Dans le profil, donnez au projet un « perimetre » (ses communes, ou sa population) et un "
    "nombre de « sites » ; ou décrivez un « dimensionnement » dans le descripteur.",
    "projets:\n  pedibus:\n    sites: 10\n    perimetre:\n      communes: [\"01053\", \"01004\"]",
    moment="kit",
)  # fmt: skip
def _grand_territoire_sans_taille(facts: KitFacts) -> Iterator[Hit]:
    kind = LARGE_TYPES.get(facts.type_territoire or "")
    projet = facts.projet
    if kind is None or (projet is not None and (projet.perimetre or projet.sites)):
        return
    population = (
        f"{nombre(facts.habitants)} habitants" if facts.habitants is not None else "sa population"
    )
    sites = "un seul site" if facts.sites == 1 else f"{facts.sites} sites"
    where = ("projets", facts.innovation.id) if projet is not None else ()
    yield Hit(
        where,
        f"{facts.nom.sujet} {facts.nom.accorde('est', 'sont')} {kind} : sans périmètre ni nombre de sites "
        + ("dans son profil" if facts.profil is not None else "(aucun profil de territoire)")
        + f", les chiffres du kit supposent {sites} pour toute {facts.nom.accorde('sa', 'leur')} "
        f"population ({population})",
        in_profile=True,
    )


def _funding_place(facts: KitFacts) -> tuple[PathKey, bool]:
    """Where a funding plan's finding points: the profile's `financements` when the plan is
    the profile's, else the descriptor's."""
    if facts.financement_origine == "profil":
        return ("projets", facts.innovation.id, "financements"), True
    return ("financements",), False


@rule(
    "T105", AVERTISSEMENT, "plan de financement qui dépasse le coût",
    "Des financements supérieurs au coût annoncent des parts mal réparties ou un montant "
    "compté deux fois : un financeur ne paie pas plus que la dépense.",
    [GUIDE],
    "Revoyez les « part » (leur somme sur un même budget ne dépasse pas 100 %), les « montant », "
    "les « plafond » et les « duree_ans » des financements.",
    "financements:\n  - financeur: Commune\n    part: 40\n  - financeur: État\n    part: 50",
    moment="kit",
)  # fmt: skip
def _financement_excedentaire(facts: KitFacts) -> Iterator[Hit]:
    if not facts.excedents:
        return
    when, paid, cost = facts.excedents[0]
    path, in_profile = _funding_place(facts)
    yield Hit(
        path,
        f"{facts.nom.pour}, les financements {when} "
        f"({euros(paid)}) dépassent son coût ({euros(cost)})",
        in_profile=in_profile,
    )


@rule(
    "T106", AVERTISSEMENT, "aide publique au-delà de 80 % d'un investissement d'une collectivité",
    "Une collectivité maître d'ouvrage d'un investissement en finance au moins 20 % (article "
    "L1111-10 du code général des collectivités territoriales) : le kit réduit les aides "
    "publiques à 80 % de l'investissement, en commençant par le dernier financeur de la liste.",
    [CGCT],
    "Revoyez les financements publics de l'investissement ou prévoyez un apport du repreneur "
    "d'au moins 20 % (« nature: autofinancement »).",
    "financements:\n  - financeur: Région\n    porte_sur: investissement\n    part: 60\n"
    "  - financeur: Commune\n    nature: autofinancement\n    porte_sur: investissement\n"
    "    part: 40",
    moment="kit",
)  # fmt: skip
def _aide_publique_plafonnee(facts: KitFacts) -> Iterator[Hit]:
    if not facts.plafonnements:
        return
    when, asked, ceiling, investment = facts.plafonnements[0]
    path, in_profile = _funding_place(facts)
    yield Hit(
        path,
        f"{facts.nom.pour}, les aides publiques demandées sur l'investissement "
        f"{when} ({euros(asked)}) dépassent {euros(ceiling)}, soit 80 % de cet "
        f"investissement de {euros(investment)} : elles sont ramenées à ce plafond (article "
        "L1111-10 du code général des collectivités territoriales)",
        in_profile=in_profile,
    )


def kit_findings(
    facts: KitFacts,
    descriptor: Document | None,
    descriptor_file: str,
    overrides: Mapping[str, str],
) -> list[Finding]:
    """The kit rules' findings for this territory, levels configured. A choice for a marge the
    innovation has not is R103, an error that refuses the kit before it is prepared
    (`consistency.project_against`), as `validate` says it."""
    found = []
    for entry in rules("kit"):
        for hit in entry.controle(facts):
            doc, file = (
                (facts.profil_document, facts.profil_fichier)
                if hit.in_profile
                else (descriptor, descriptor_file)
            )
            result = finding(entry.code, hit, doc, file, overrides)
            if result is not None:
                found.append(result)
    return found
