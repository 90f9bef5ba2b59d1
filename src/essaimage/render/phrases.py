"""Sentences both kit layouts print: written once here so that Markdown and HTML say the same.

Each function turns a piece of a `Kit` into plain French text (no markup); `template_data` puts
the sentences in the data the templates see (`kit.phrases`, `p.cout_texte`…), which escape
them like any other value.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from ..format.models import line_label, means_lines
from ..format.vocabulary import STATUTS
from ..kit.budget import to_euro
from ..text.french import (
    avec_article,
    cites,
    date_longue,
    et_liste,
    etp,
    euros,
    euros_par_tete,
    mois,
    nombre,
    pluriel,
    round_half_up,
)

if TYPE_CHECKING:
    from ..format.models import ContactProfil, Innovation, MoyensAjoutes
    from ..kit.budget import Annee, Budget, Personne
    from ..kit.funding import PlanFinancement
    from ..kit.prepare import Kit
    from ..kit.reprises import Reprises

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
        return (
            "coût non indiqué : ni le rôle, ni le profil, ni la fiche de l'innovation ne le donnent"
        )
    if personne.cout_annuel is None:
        return f"{euros(personne.cout_etp)} par ETP et par an ({personne.origine_cout})"
    return (
        f"{euros(personne.cout_annuel)} ({etp(personne.ligne.quantite or 0)} × "
        f"{euros(personne.cout_etp)}, {personne.origine_cout})"
    )


def methode_budget(kit: Kit) -> str:
    """How the budget is laid out in time."""
    budget = kit.budget
    debut = budget.debut
    start = (
        f"Années civiles (l'exercice d'une collectivité), à partir du début de la préparation, "
        f"le {date_longue(debut)}, {kit.origine_debut}"
        if debut
        else "Années de projet de 12 mois à partir du début de la préparation (aucune date de "
        "début n'est donnée, ni par un profil du territoire ni par un plan)"
    )
    if budget.lancement is not None and budget.lancement_mois:
        launch = f"le lancement, le {date_longue(budget.lancement)}"
    elif budget.lancement_mois:
        launch = f"le lancement, {nombre(budget.lancement_mois, 1)} mois après le début"
    else:
        launch = "le début (pas de préparation)"
    text = (
        f"{start}. L'investissement est dépensé le mois qui précède le lancement ; le "
        f"fonctionnement, personnel compris, court dès {launch}, au prorata des mois "
        "de chaque année"
    )
    if budget.preparation_annuel:
        text += " ; ce qui sert à la préparation est payé dès le début"
    return text + "."


def _year_words(annee: Annee) -> str:
    """« 2027, à partir de mars », « 2028 », « année 1 »."""
    return annee.periode.replace(" (", ", ").removesuffix(")")


def reperes_budget(kit: Kit) -> list[str]:
    """The budget's key figures under its table, each one a sum of printed figures."""
    budget = kit.budget
    years = budget.annees
    out = []
    if years:
        first = years[0]
        text = f"Coût de la première année ({_year_words(first)}) : {euros(first.total)}"
        prep = _preparation_in(budget, first)
        if prep and first.total:
            text += f", dont {euros(prep)} pour la préparation"
        out.append(text)
        shown = years[:3]
        out.append(
            f"Coût des {nombre(len(shown))} premières années ({_span(shown)}) : "
            f"{euros(sum(a.total for a in shown))}"
        )
    if budget.preparation_annuel and budget.lancement_mois:
        out.append(
            f"Préparation : {mois(budget.lancement_mois)}, {euros(budget.cout_preparation)} "
            f"hors investissement — {_preparation_lines(kit)}"
        )
    out.append(
        f"Une année pleine de fonctionnement : {euros(budget.fonctionnement_annuel)}, dont "
        f"{euros(budget.personnel_annuel)} de personnel"
    )
    per_head = budget.cout_par_beneficiaire(kit.taille.beneficiaires)
    if per_head is not None:
        out.append(
            f"Coût de fonctionnement par bénéficiaire et par an : {euros_par_tete(per_head)}"
        )
    extra = kit.supplementaire
    per_head_extra = extra.cout_par_beneficiaire(kit.taille.beneficiaires) if extra else None
    if extra is not None and per_head_extra is not None:
        out.append(
            "Coût supplémentaire de fonctionnement par bénéficiaire et par an, sans ce qui est "
            f"déjà en place : {euros_par_tete(per_head_extra)}"
        )
    return out


def _span(years: list[Annee]) -> str:
    if years[0].annee_civile is not None and years[-1].annee_civile is not None:
        return f"{years[0].annee_civile} à {years[-1].annee_civile}"
    return f"années {years[0].numero} à {years[-1].numero}"


def _preparation_in(budget: Budget, annee: Annee) -> float:
    """What the preparation months of this year cost (operating costs, not rounded)."""
    return budget.preparation_annuel * annee.mois_preparation / 12


def _preparation_lines(kit: Kit) -> str:
    """The lines paid during the preparation, by name."""
    names = [
        p.ligne.libelle for p in kit.budget.personnes if p.paye and p.phase != "fonctionnement"
    ]
    names += [
        line.libelle
        for line in kit.moyens.financiers
        if getattr(line.source, "phase", None) in ("preparation", "preparation-et-fonctionnement")
        and getattr(line.source, "periodicite", None) != "unique"
    ]
    return ", ".join(names)


def methode_supplementaire(kit: Kit) -> str:
    """What the extra cost leaves out, and what the funding plan pays for."""
    names = " ; ".join(f"« {name} »" for name in kit.en_place)
    return (
        f"Le profil indique que le territoire a déjà : {names}. Ces moyens sont montrés mais "
        "ne sont pas comptés dans le coût supplémentaire, celui que la reprise ajoute ; le plan "
        "de financement s'applique à ce coût supplémentaire."
    )


def sans_financement(kit: Kit) -> str:
    """What the kit says when nobody proposes a funding plan."""
    what = "le coût supplémentaire" if kit.supplementaire is not None else "le coût complet"
    return (
        "Ni le profil du territoire ni la fiche de l'innovation ne proposent de plan de "
        f"financement : le reste à charge est {what}, {euros(kit.budget_finance.total_annee_1)} la première année."
    )


def alertes_financement(kit: Kit) -> list[str]:
    """Years whose funding exceeds the cost."""
    plan = kit.financement
    if plan is None:
        return []
    out = [
        f"{when}, les financements ({euros(paid)}) dépassent le coût ({euros(cost)}) ; revoyez "
        "les parts et les montants."
        for when, paid, cost in plan.excedents
    ]
    out += [
        f"{when}, les aides publiques demandées sur l'investissement ({euros(asked)}) dépassent "
        f"{euros(ceiling)}, soit 80 % de cet investissement de "
        f"{euros(investment)} : une collectivité maître d'ouvrage en finance au moins 20 % "
        "(article L1111-10 du code général des collectivités territoriales). Elles sont "
        "ramenées à ce plafond, en commençant par le dernier financeur de la liste (voir les "
        "notes du tableau)."
        for when, asked, ceiling, investment in plan.plafonnements
    ]
    return out


def budget_incomplet(kit: Kit) -> str:
    """Why the budget's figures are lower bounds."""
    parts = []
    if kit.moyens.incomplet:
        parts.append("des moyens qui n'ont pas pu être calculés (mention « à calculer »)")
    if kit.budget.non_chiffres:
        names = ", ".join(kit.budget.non_chiffres)
        parts.append(f"le coût des postes payés dont le coût d'un ETP n'est pas indiqué ({names})")
    return "Ces montants sont des minimums : ils ne comptent pas " + " ni ".join(parts) + "."


def accompagnement_plan(kit: Kit) -> str | None:
    """The support a scale-up plan's porteur gives this territory, with its value."""
    support = kit.accompagnement
    if support is None:
        return None
    sites = kit.taille.sites
    time = (
        f"{etp(support.etp)} ({etp(support.etp_par_site)} par site × {nombre(sites)} "
        f"{pluriel(sites, 'site')})"
        if sites > 1
        else etp(support.etp)
    )
    text = (
        f"Le porteur du plan « {support.plan} », {avec_article(support.porteur)}, accompagne "
        f"{kit.cible.nom_propre.le} avec {time} pendant {nombre(support.duree_mois)} mois"
    )
    if support.valeur is not None:
        text += (
            f", soit {euros(support.valeur)} à sa charge ({etp(support.etp)} × "
            f"{euros(support.cout_etp_annuel or 0.0)} par an × {nombre(support.duree_mois)} "
            "mois ÷ 12), hors du budget ci-dessus"
        )
    else:
        text += ", à sa charge, hors du budget ci-dessus"
    if support.description:
        text += f". {support.description.rstrip('.')}"
    return text + "."


def origine_financement(plan: PlanFinancement) -> str:
    """Where the funding plan comes from, and what it is worth."""
    applied = "au coût supplémentaire" if plan.sur_cout_supplementaire else "au budget ci-dessus"
    if plan.origine == "profil":
        text = f"Le plan de financement du profil du territoire, appliqué {applied}."
    elif plan.origine == "plan":
        text = f"Les financements communs du plan de montée en charge, appliqués {applied}."
    else:
        text = (
            "Le plan de financement type des reprises précédentes, indiqué par la fiche de "
            "l'innovation : à confirmer avec chaque financeur."
        )
    if plan.avec_plan:
        text += " Les financements communs du plan de montée en charge viennent ensuite."
    if plan.incomplet:
        text += (
            " Certains versements n'ont pas pu être calculés (« à calculer ») : ils ne sont pas "
            "déduits du reste à charge."
        )
    return text


def equipe(kit: Kit) -> str:
    """The team by status in one line: `1,2 ETP salariés, 0,6 ETP bénévoles`; what is already
    in place and the time paid during the preparation only are said apart."""
    parts = []
    people = kit.budget.personnes
    preparation_only = 0.0
    for statut, total in kit.budget.etp_par_statut.items():
        only = sum(
            p.ligne.quantite or 0.0
            for p in people
            if p.statut == statut and p.phase == "preparation"
        )
        preparation_only += only
        total -= only
        if total <= 0:
            continue
        word = STATUTS[statut]
        if statut == "prestation":
            word = "en prestation"
        elif total >= 2:
            word = {"salarie": "salariés", "benevole": "bénévoles"}.get(statut, word)
        there = sum(
            p.ligne.quantite or 0.0
            for p in people
            if p.statut == statut and p.ligne.libelle in kit.en_place
        )
        said = [text for text in (_hours_per_week(statut, total),) if text]
        if there:
            said.append(f"dont {etp(there)} déjà en place")
        parts.append(f"{etp(total)} {word}" + (f" ({', '.join(said)})" if said else ""))
    if preparation_only:
        parts.append(f"plus {etp(preparation_only)} pendant la préparation seulement")
    pending = [p for p in people if p.ligne.quantite is None]
    if pending:
        parts.append(
            f"{'plus ' if parts else ''}{len(pending)} "
            f"{pluriel(len(pending), 'rôle')} à calculer (voir la partie 5)"
        )
    return ", ".join(parts) or "aucun moyen humain indiqué"


HOURS_PER_ETP = 35  # a full-time week in France (Code du travail, art. L3121-27)


def _hours_per_week(statut: str, total: float) -> str:
    """What `total` ETP of this status are in a week, for a reader who counts in people and
    hours: « environ 9 heures de travail payé par semaine, une part du temps d'un agent »; empty
    for staff paid by the project a full time or more, or bought from a provider."""
    hours = int(round_half_up(total * HOURS_PER_ETP))
    amount = "moins d'une heure" if hours < 1 else f"{nombre(hours)} {pluriel(hours, 'heure')}"
    if statut == "benevole":
        return f"environ {amount} de bénévolat par semaine, à partager entre plusieurs personnes"
    if statut == "mise-a-disposition":
        return (
            f"environ {amount} par semaine d'agents d'une autre structure, qui les met à "
            "disposition sans coût pour le projet"
        )
    if statut == "prestation" or total >= 1:
        return ""
    return f"environ {amount} de travail payé par semaine, une part du temps d'un agent"


def niveau_preuve(innovation: Innovation, reprises: Reprises | None = None) -> str:
    """The strength of the evidence, in words: the descriptor's results, then the take-overs
    that measured results on their own territory (their reports)."""
    text = _niveau_fiche(innovation)
    measured = sorted({m.territoire for m in reprises.resultats if m.effet}) if reprises else []
    if measured:
        text += f" ; des résultats mesurés par {_count(len(measured), 'reprise')} (partie 6)"
    return text


def _count(count: int, word: str) -> str:
    return f"{nombre(count)} {pluriel(count, word)}"


def _niveau_fiche(innovation: Innovation) -> str:
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
    return "D'après la fiche de l'innovation, aucun renoncement ne porte sur le cœur du concept."


def cout_degrade(kit: Kit) -> str:
    """The cost of the degraded version beside the full one, by the same rules: first year,
    three years, a year of operation, and the reste à charge with the same funding plan; the
    extra cost of both when means are already in place, and a warning when the funding pays
    more than the minimal version costs (it was written for means that version has not)."""
    reduced = kit.degrade_supplementaire or kit.degrade_budget
    full = kit.budget_finance
    assert reduced is not None
    if not (reduced.investissement or reduced.fonctionnement_annuel or reduced.preparation_annuel):
        return "La fiche de l'innovation ne chiffre pas la version minimale en euros."
    minimum = " au moins" if reduced.incomplet else ""
    what = "Coût supplémentaire" if kit.supplementaire is not None else "Coût"

    def figures(budget: Budget, plan: PlanFinancement | None) -> str:
        three = budget.annees[:3]
        text = (
            f"{euros(budget.total_annee_1)} la première année, "
            f"{euros(sum(a.total for a in three))} sur {nombre(len(three))} ans, dont "
            f"{euros(budget.investissement)} d'investissement, puis "
            f"{euros(budget.fonctionnement_annuel)} par an de fonctionnement, personnel compris"
        )
        if plan is not None:
            left = euros(sum(plan.reste_a_charge[:3]))
            text += f", et {left} de reste à charge sur {nombre(len(three))} ans"
        return text

    text = (
        f"{what} de la version minimale {kit.cible.nom_propre.pour} :{minimum} "
        f"{figures(reduced, kit.degrade_financement)}. La version complète demande "
        f"{figures(full, kit.financement)}."
    )
    plan = kit.degrade_financement
    if plan is not None and plan.excedents:
        when, paid, cost = plan.excedents[0]
        text += (
            f" Attention : {when}, les financements ({euros(paid)}) dépassent le coût de la "
            f"version minimale ({euros(cost)}) ; ils supposent sans doute des moyens qu'elle "
            "n'a pas, et son reste à charge est alors sous-estimé."
        )
    return text


def libelles_moyens(moyens: MoyensAjoutes) -> list[str]:
    """The names of the lines of these means: roles, postes, elements, partners."""
    return [line_label(item) for item in means_lines(moyens)] + [
        p.acteur for p in moyens.partenaires
    ]


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
    """The first year's cost, split into preparation, investment and operation."""
    budget = kit.budget_finance
    first = budget.annees[0] if budget.annees else None
    if first is None or not first.total and not kit.budget.fonctionnement_annuel:
        return "non chiffré : la fiche de l'innovation ne donne ni dépenses ni coût des postes"
    shown = budget.annees[:3]
    parts = [(first.investissement, "d'investissement", "investissement")]
    prep = _preparation_in(budget, first)
    if prep:
        parts.append((to_euro(prep), "de préparation", "préparation"))
        parts.append((first.fonctionnement - to_euro(prep), "de fonctionnement", "fonctionnement"))
    else:
        parts.append((first.fonctionnement, "de fonctionnement", "fonctionnement"))
    parts = [part for part in parts if part[0]]
    if not parts:
        split = ""
    elif len(parts) == 1:
        split = f", tout en {parts[0][2]}"
    else:
        split = ", dont " + et_liste([f"{euros(amount)} {what}" for amount, what, _ in parts])
    text = (
        f"{euros(first.total)} la première année ({_year_words(first)}){split} ; "
        f"{euros(sum(a.total for a in shown))} sur {nombre(len(shown))} ans ({_span(shown)})"
    )
    if kit.supplementaire is not None:
        full = kit.budget.annees
        text = (
            f"coût supplémentaire de {text} ; coût complet de {euros(full[0].total)} la "
            f"première année et {euros(sum(a.total for a in full[:3]))} sur "
            f"{nombre(len(full[:3]))} ans, avec ce qui est déjà en place ({', '.join(kit.en_place)})"
        )
    if not first.total:
        text += " ; " + _why_nothing_first(kit)
    if budget.incomplet:
        missing = list(dict.fromkeys([*kit.moyens.non_calcules, *kit.budget.non_chiffres]))
        names = cites(missing)
        verb = "n'est pas chiffré" if len(missing) == 1 else "ne sont pas chiffrés"
        text += f" ; davantage en réalité, car {names} {verb} (partie 5)"
    return text


def _why_nothing_first(kit: Kit) -> str:
    """Why a first year costs nothing: all preparation, and nothing paid during it."""
    budget = kit.budget
    running = next((a for a in budget.annees if a.mois_fonctionnement), None)
    paid = [p.ligne.libelle for p in budget.personnes if p.paye]
    start = f" ; le fonctionnement commence {running.en}" if running else ""
    if paid:
        return (
            "la première année n'est que préparation et la fiche de l'innovation ne dit pas qui "
            f"est payé pendant la préparation ({', '.join(paid)} : « phase » à préciser){start}"
        )
    return f"la première année n'est que préparation, sans dépense prévue{start}"


def reste_resume(kit: Kit) -> str:
    """What is left for the repreneur in year 1 and over three years, and its apport."""
    plan = kit.financement
    budget = kit.budget_finance
    if plan is None:
        three = sum(a.total for a in budget.annees[:3])
        return (
            f"{euros(budget.total_annee_1)} la première année, {euros(three)} sur 3 ans : aucun "
            "plan de financement proposé, tout reste à financer"
        )
    first = plan.reste_a_charge[0] if plan.reste_a_charge else 0.0
    three = sum(plan.reste_a_charge[:3])
    where = {
        "profil": "plan de financement du profil",
        "descripteur": "plan de financement type de la fiche de l'innovation, à confirmer",
        "plan": "financements du plan de montée en charge",
    }[plan.origine]
    if plan.avec_plan:
        where += " et financements du plan de montée en charge"
    text = f"{euros(first)} la première année, {euros(three)} sur 3 ans ({where})"
    if plan.apports:
        # the apport covers at most what is left to pay in each year
        own = sum(min(a, r) for a, r in zip(plan.apport[:3], plan.reste_a_charge[:3], strict=True))
        left = sum(plan.reste_a_trouver[:3])
        text += (
            f" ; l'apport prévu du repreneur en couvre {euros(own)} sur 3 ans, il reste "
            f"{euros(left)} à trouver"
        )
    if plan.incomplet:
        text += " ; des versements restent à calculer (partie 5)"
    return text


def prerequis_resume(kit: Kit) -> str:
    """Failed prerequisites by name, then how many remain to check on site."""
    failed = [v.description for v in kit.prerequis if v.statut == "non-rempli"]
    to_check = sum(1 for v in kit.prerequis if v.statut == "a-verifier")
    met = sum(1 for v in kit.prerequis if v.statut == "rempli")
    if not kit.prerequis:
        return "aucun prérequis fixé par la fiche de l'innovation"
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
    """Who to call on the territory: the project's contact, else the repreneur's, with the
    repreneur's name."""
    profil = kit.cible.profil
    porteur = profil.porteur if profil is not None else None
    contact = contact_joignable(kit)
    if porteur is None and contact is None:
        return "à désigner : aucun repreneur n'est indiqué dans un profil de territoire"
    who = ", ".join(x for x in (contact.nom, contact.role) if x) if contact else ""
    if porteur is None:
        return who
    return f"{who}, {porteur.nom}" if who else porteur.nom


def contact_joignable(kit: Kit) -> ContactProfil | None:
    """The local contact (the project's, else the repreneur's), whose e-mail and telephone
    each view writes as links its way."""
    if kit.projet is not None and kit.projet.contact is not None:
        contact = kit.projet.contact
        if contact.nom or contact.role or contact.courriel or contact.telephone:
            return contact
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
        f"{indice.score} points sur {indice.total}, pour ce que la fiche documente en vue d'une "
        "reprise (pas pour la valeur de l'innovation)."
    )
    missing = [
        f"{label} ({reason})" if reason else label
        for label, reason in itertools.zip_longest(indice.manquants, indice.raisons, fillvalue="")
    ]
    if missing:
        text += f" Il manque : {' ; '.join(missing)}."
    return text
