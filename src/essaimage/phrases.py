"""Sentences both kit layouts print: written once here so that Markdown and HTML say the same.

Each function turns a piece of a `Kit` into plain French text (no markup); `template_data` puts
the sentences in the data the templates see (`kit.phrases`, `p.cout_texte`…), which escape
them like any other value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .adaptation import line_label, lines
from .french import date_longue, etp, euros, nombre, pluriel
from .vocabulary import STATUTS

if TYPE_CHECKING:
    from .budget import Personne
    from .funding import PlanFinancement
    from .kit import Kit
    from .models import ContactProfil, Innovation, Moyens

EQUIPES = {
    "salarie": "Salariés",
    "prestation": "Prestations",
    "benevole": "Bénévoles",
    "mise-a-disposition": "Mis à disposition par un partenaire",
}
"""How the kit names the people of each status in totals."""


def cout_personne(personne: Personne) -> str:
    """The yearly cost cell of a human means line."""
    if not personne.paye:
        if personne.statut == "benevole":
            return "bénévole : pas de salaire, mais du temps à organiser"
        return "pris en charge par le partenaire qui met à disposition"
    if personne.cout_etp is None:
        return "coût non indiqué : ni le rôle, ni le profil, ni le descripteur ne le donnent"
    if personne.cout_annuel is None:
        return f"{euros(personne.cout_etp)} par ETP et par an ({personne.origine_cout})"
    return (
        f"{euros(personne.cout_annuel)} ({etp(personne.ligne.quantite or 0)} × "
        f"{euros(personne.cout_etp)}, {personne.origine_cout})"
    )


def methode_budget(kit: Kit) -> str:
    """How the budget is laid out in time."""
    budget = kit.budget
    debut = kit.projet.debut if kit.projet else None
    start = (
        f"à partir du début prévu par le territoire ({date_longue(debut)})"
        if debut
        else "en années de projet (le profil ne donne pas de date de début)"
    )
    if budget.lancement is not None and budget.lancement_mois:
        launch = f"dès la fin de la préparation, le {date_longue(budget.lancement)}"
    elif budget.lancement_mois:
        launch = (
            f"dès la fin de la préparation, {nombre(budget.lancement_mois, 1)} mois après le début"
        )
    else:
        launch = "dès le début"
    return (
        f"Années comptées {start}. L'investissement est dépensé pendant la préparation ; "
        f"le fonctionnement, personnel compris, court {launch}, au prorata des mois dans "
        "l'année du lancement."
    )


def budget_incomplet(kit: Kit) -> str:
    """Why the budget's figures are lower bounds."""
    parts = []
    if kit.moyens.incomplet:
        parts.append("des moyens qui n'ont pas pu être calculés (mention « à calculer »)")
    if kit.budget.non_chiffres:
        names = ", ".join(kit.budget.non_chiffres)
        parts.append(f"le coût des postes payés dont le coût d'un ETP n'est pas indiqué ({names})")
    return "Ces montants sont des minimums : ils ne comptent pas " + " ni ".join(parts) + "."


def origine_financement(plan: PlanFinancement) -> str:
    """Where the funding plan comes from, and what it is worth."""
    if plan.origine == "profil":
        text = "Le plan de financement du profil du territoire, appliqué au budget ci-dessus."
    else:
        text = (
            "Le plan de financement type des reprises précédentes, indiqué par le descripteur : "
            "à confirmer avec chaque financeur."
        )
    if plan.incomplet:
        text += (
            " Certains versements n'ont pas pu être calculés : le reste à charge est un maximum."
        )
    return text


def equipe(kit: Kit) -> str:
    """The team by status in one line: `1,2 ETP salariés, 0,6 ETP bénévoles`."""
    parts = []
    for statut, total in kit.budget.etp_par_statut.items():
        word = STATUTS[statut]
        if statut == "prestation":
            word = "en prestation"
        elif total >= 2:
            word = {"salarie": "salariés", "benevole": "bénévoles"}.get(statut, word)
        parts.append(f"{etp(total)} {word}")
    pending = [p for p in kit.budget.personnes if p.ligne.quantite is None]
    if pending:
        parts.append(
            f"{'plus ' if parts else ''}{len(pending)} "
            f"{pluriel(len(pending), 'rôle')} à calculer (voir la partie 5)"
        )
    return ", ".join(parts) or "aucun moyen humain indiqué"


def niveau_preuve(innovation: Innovation) -> str:
    """The strength of the evidence, in words."""
    results = [r for r in innovation.resultats if r.nature == "resultat"]
    sourced = [r for r in results if r.source is not None]
    if sourced:
        count = len(sourced)
        return f"{nombre(count)} {pluriel(count, 'résultat mesuré et sourcé', 'résultats mesurés et sourcés')}"
    if results:
        return "des résultats annoncés, sans source à consulter"
    if innovation.resultats:
        return "seulement des chiffres d'activité : aucun résultat mesuré"
    return "aucun résultat publié"


def renoncement(kit: Kit, item: str) -> str:
    """A renoncement of the mode dégradé as what is reduced or given up."""
    coeur = {e.id: e.titre for e in kit.innovation.coeur}
    marges = {m.id: m.titre for m in kit.innovation.marges}
    if item in coeur:
        return f"« {coeur[item]} », un élément du cœur du concept : abandonné dans cette version"
    if item in marges:
        return f"« {marges[item]} » : ramené à ce que décrit la version minimale"
    return item


def coeur_en_mode_degrade(kit: Kit) -> str:
    """Whether the degraded version keeps the core, as far as the descriptor says."""
    mode = kit.innovation.mode_degrade
    coeur = {e.id for e in kit.innovation.coeur}
    if mode is not None and coeur.intersection(mode.renoncements):
        return (
            "Attention : cette version renonce à un élément du cœur du concept ; ce n'est plus "
            "tout à fait la même innovation."
        )
    return "D'après le descripteur, aucun renoncement ne porte sur le cœur du concept."


def cout_degrade(kit: Kit) -> str:
    """The cost of the degraded version beside the full one."""
    reduced, full = kit.degrade_budget, kit.budget
    assert reduced is not None
    if not (reduced.investissement or reduced.fonctionnement_annuel):
        return "Le descripteur ne chiffre pas la version minimale en euros."
    minimum = " au moins" if reduced.incomplet else ""
    # Compared on what does not depend on the calendar: the first year may be all preparation.
    return (
        f"Coût de la version minimale {kit.cible.nom_propre.pour} :{minimum} "
        f"{euros(reduced.investissement)} d'investissement et "
        f"{euros(reduced.fonctionnement_annuel)} de fonctionnement par an, personnel compris ; "
        f"la version complète demande {euros(full.investissement)} d'investissement et "
        f"{euros(full.fonctionnement_annuel)} par an."
    )


def libelles_moyens(moyens: Moyens) -> list[str]:
    """The names of the lines of these means: roles, postes, elements, partners."""
    return [line_label(item) for item in lines(moyens)] + [p.acteur for p in moyens.partenaires]


def projet_resume(kit: Kit) -> str:
    """Sites, beneficiaries and start of the project, in one line."""
    taille = kit.taille
    parts = [f"{nombre(taille.sites)} {pluriel(taille.sites, 'site')}"]
    if taille.beneficiaires:
        count = taille.beneficiaires
        parts.append(f"{nombre(count)} {pluriel(count, 'bénéficiaire')} par an")
    else:
        parts.append("nombre de bénéficiaires non prévu")
    if taille.habitants is not None:
        where = "dans un périmètre de" if taille.perimetre else "pour"
        parts.append(f"{where} {nombre(taille.habitants)} {pluriel(taille.habitants, 'habitant')}")
    text = ", ".join(parts)
    if kit.projet and kit.projet.debut:
        text += f", à partir du {date_longue(kit.projet.debut)}"
    return text


def cout_resume(kit: Kit) -> str:
    """The first year's cost, split into investment and operation."""
    budget = kit.budget
    first = budget.annees[0] if budget.annees else None
    if first is None or not first.total and not budget.fonctionnement_annuel:
        return "non chiffré : le descripteur ne donne ni dépenses ni coût des postes"
    text = (
        f"{euros(first.total)} la première année ({euros(first.investissement)} "
        f"d'investissement, {euros(first.fonctionnement)} de fonctionnement) ; "
        f"{euros(budget.total_3_ans)} sur 3 ans"
    )
    if not first.mois_fonctionnement:
        running = next((a.numero for a in budget.annees if a.mois_fonctionnement), None)
        if running is not None:
            text += f" ; fonctionnement dès l'année {running} (préparation non chiffrée)"
    if budget.incomplet:
        text += " ; au moins : des coûts manquent (partie 5)"
    return text


def reste_resume(kit: Kit) -> str:
    """What is left for the repreneur in year 1 and over three years."""
    plan = kit.financement
    if plan is None:
        return "aucun plan de financement proposé : tout reste à financer"
    first = plan.reste_a_charge[0] if plan.reste_a_charge else 0.0
    three = sum(plan.reste_a_charge[:3])
    where = "du profil" if plan.origine == "profil" else "type du descripteur, à confirmer"
    return (
        f"{euros(first)} la première année, {euros(three)} sur 3 ans (plan de financement {where})"
    )


def prerequis_resume(kit: Kit) -> str:
    """Failed prerequisites by name, then how many remain to check on site."""
    failed = [v.description for v in kit.prerequis if v.statut == "non-rempli"]
    to_check = sum(1 for v in kit.prerequis if v.statut == "a-verifier")
    met = sum(1 for v in kit.prerequis if v.statut == "rempli")
    if not kit.prerequis:
        return "aucun prérequis fixé par le descripteur"
    parts = []
    if failed:
        parts.append(
            pluriel(len(failed), "non rempli", "non remplis")
            + " : "
            + " ; ".join(f"« {d} »" for d in failed)
        )
    if to_check:
        parts.append(f"{nombre(to_check)} à vérifier localement")
    if met:
        parts.append(f"{nombre(met)} {pluriel(met, 'rempli')}")
    return ", ".join(parts)


def contact_local(kit: Kit) -> str:
    """Who to call on the territory: the profile's repreneur and contact."""
    profil = kit.cible.profil
    if profil is None or profil.porteur is None:
        return "à désigner : aucun repreneur n'est indiqué dans un profil de territoire"
    porteur = profil.porteur
    contact = porteur.contact
    if contact is None:
        return porteur.nom
    who = ", ".join(x for x in (contact.nom, contact.role) if x)
    return f"{who}, {porteur.nom}" if who else porteur.nom


def contact_joignable(kit: Kit) -> ContactProfil | None:
    """The local contact's e-mail and telephone, which each view writes as links its way."""
    profil = kit.cible.profil
    if profil is None or profil.porteur is None:
        return None
    return profil.porteur.contact


def indice_resume(kit: Kit) -> str:
    """The readiness score and what it measures, in plain words."""
    indice = kit.indice
    if indice is None:
        return "non calculé"
    text = (
        f"{indice.score} points sur {indice.total} : ce que le descripteur documente pour "
        "une reprise, pas la valeur de l'innovation"
    )
    if indice.manquants:
        text += f" (manque : {' ; '.join(indice.manquants)})"
    return text
