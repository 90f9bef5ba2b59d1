"""« Avant de vous engager »: the go/no-go self-check a kit gives its repreneur before committing,
built from what the kit knows of this take-over.

Replication manuals (Spring Impact's Social Replication Toolkit, Avise's and Ansa's guides) ask
the same questions before a take-over: is there political backing, a named référent, the budget
voted, the prerequisites met, the indispensable partners ready, the dependences on the original
promoter lifted, the decisions of the roadmap taken (a délibération, a convention, an
insurance), the personal data of children protected. Each item here comes from the kit's own
figures and from the innovation's file; none is invented for an innovation that does not need it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..kit.prepare import part_number
from ..text.french import euros, guillemets
from ..text.words import words_of

if TYPE_CHECKING:
    from ..kit.prepare import Kit

# Words of a roadmap's deliverables that name a decision or a commitment to take before starting.
DECISIONS = (
    "délibération", "convention", "assurance", "arrêté", "contrat", "marché", "agrément",
    "autorisation", "charte", "accord", "déclaration",
)  # fmt: skip
# What the kit says of a prerequisite today, after « Le prérequis … est rempli ».
NOW = {
    "rempli": ", comme le kit le constate.",
    "a-verifier": " ; le kit ne peut pas le vérifier, c'est à voir sur place.",
    "non-rempli": " ; le kit le dit aujourd'hui non rempli (partie 2).",
}
# Words that say the innovation serves children: their personal data need care (RGPD).
MINORS = frozenset({"enfant", "enfants", "élève", "élèves", "mineur", "mineurs", "collégiens"})


def avant_engagement(kit: Kit) -> list[str]:
    """The points a repreneur checks before committing, in the order they are decided."""
    items = [
        "Le portage politique est acquis, et la décision de l'exécutif ou la délibération qui "
        "engagera la structure est prête.",
        _referent(kit),
        _budget(kit),
    ]
    items += [
        f"Le prérequis {guillemets(v.description.rstrip('.'))} est rempli{NOW[v.statut]}"
        for v in kit.prerequis
    ]
    items += [
        f"L'accord du partenaire indispensable {guillemets(p.acteur.rstrip('.'))} est obtenu."
        for p in kit.moyens.partenaires
        if p.indispensable
    ]
    items += [
        f"La dépendance envers le porteur d'origine pour {guillemets(d.element.rstrip('.'))} "
        f"est levée (partie {part_number('gouvernance')})."
        for d in kit.innovation.dependances
    ]
    items += _decisions(kit)
    if MINORS.intersection(word.lower() for word in words_of(_purpose(kit))):
        items.append(
            "Les familles sont informées des données collectées sur les enfants (noms, contacts "
            "des parents), et ce traitement est inscrit au registre de la structure (RGPD)."
        )
    if kit.avertissements:
        items.append("Les points d'attention du début de cette partie sont levés ou acceptés.")
    return items


def _referent(kit: Kit) -> str:
    """A named person to lead the project, the profile's contact when it names one."""
    contact = kit.projet.contact if kit.projet and kit.projet.contact else None
    if contact is None and kit.cible.profil and kit.cible.profil.porteur:
        contact = kit.cible.profil.porteur.contact
    who = (contact.nom or contact.role) if contact else None
    named = f" ({who} d'après le profil)" if who else ""
    return f"Un référent est nommé{named}, avec le temps de conduire le projet."


def _budget(kit: Kit) -> str:
    """The first year's cost and what is left to the repreneur, to be voted."""
    budget = kit.budget_finance
    plan = kit.financement
    total = budget.total_annee_1
    left = plan.reste_a_charge[0] if plan and plan.reste_a_charge else total
    if left >= total:
        share, why = (
            "entièrement à la charge du repreneur",
            "aucun financement prévu cette année-là",
        )
    else:
        share, why = (
            f"dont {euros(left)} à la charge du repreneur",
            "une fois déduits les financements",
        )
    return (
        f"Le budget de la première année est inscrit au vote : {euros(total)}, {share} ({why}, "
        "partie 5)."
    )


def _decisions(kit: Kit) -> list[str]:
    """The roadmap's deliverables that are decisions or commitments (a convention, an
    insurance…), with their step."""
    found = []
    for number, step in enumerate(kit.feuille_de_route, start=1):
        for livrable in step.etape.livrables:
            lowered = livrable.lower()
            if any(word in lowered for word in DECISIONS):
                found.append(
                    f"À préparer pour l'étape {number} ({guillemets(step.etape.titre.rstrip('.'))}) "
                    f": {guillemets(livrable.rstrip('.'))}."
                )
    return found


def _purpose(kit: Kit) -> list[str]:
    """What the innovation is for, in its own words: its name, its accroche and its cœur (a
    mention of children elsewhere, « ateliers pour les enfants » among the options, is not
    what it collects data on)."""
    innovation = kit.innovation
    return [innovation.nom, innovation.accroche, *(c.titre for c in innovation.coeur)]
