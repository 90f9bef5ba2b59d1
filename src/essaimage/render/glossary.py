"""The kit's glossary: the words of the method and the acronyms a kit uses that a repreneur, an
élu or a partner may not know, each explained in one sentence.

The method's words are those every kit uses (site, ETP, cœur, marges, reste à charge…); an
acronym is explained when it appears, as a whole word, in the innovation's or the territory's
text. Words are cut by hand, not by a pattern: linear in the text, whatever it holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ..text.words import words_of

if TYPE_CHECKING:
    from ..kit.prepare import Kit

# The method's words, in the order a reader meets them in the kit.
METHOD: tuple[tuple[str, str], ...] = (
    (
        "Site",
        "un lieu où l'innovation fonctionne (une école, un local, une ligne, une antenne…) ; les "
        "moyens « par site » se comptent pour chacun.",
    ),
    (
        "ETP",
        "équivalent temps plein. 1 ETP est un temps plein de 35 heures par semaine, 0,5 ETP un "
        "mi-temps, 0,1 ETP environ une demi-journée par semaine.",
    ),
    (
        "Reste à charge",
        "ce que le repreneur paie lui-même, une fois déduits les financements prévus.",
    ),
    (
        "Cœur du concept",
        "ce qui fait que l'innovation marche et qui ne se négocie pas. Sans lui, ce n'est plus "
        "la même innovation.",
    ),
    (
        "Marge d'adaptation",
        "ce que le territoire peut choisir, parmi des options et dans des limites, pour "
        "l'adapter à son contexte.",
    ),
    (
        "Mode dégradé",
        "la version minimale qui garde le cœur, quand les moyens manquent pour la version "
        "complète.",
    ),
    ("Prérequis", "une condition à remplir sur le territoire avant de s'engager."),
    ("Porteur d'origine", "la structure qui a créé l'innovation, là où elle a fait ses preuves."),
    ("Repreneur", "la structure qui reprend l'innovation sur un nouveau territoire."),
)

# Acronyms of French public action that descriptors use; explained only where they appear.
ACRONYMS: dict[str, str] = {
    "ADEME": "Agence de la transition écologique.",
    "ANCT": "Agence nationale de la cohésion des territoires.",
    "ANTS": "Agence nationale des titres sécurisés.",
    "CAF": "caisse d'allocations familiales.",
    "CCAS": "centre communal d'action sociale.",
    "CDE": "contribution au développement de l'emploi, que l'État et le département versent à "
    "l'entreprise à but d'emploi pour chaque emploi créé (Territoires zéro chômeur de longue "
    "durée).",
    "CLE": "comité local pour l'emploi, qui conduit le projet Territoires zéro chômeur de longue "
    "durée sur le territoire.",
    "CDI": "contrat à durée indéterminée.",
    "CIAS": "centre intercommunal d'action sociale.",
    "DETR": "dotation d'équipement des territoires ruraux, versée par l'État aux communes et "
    "intercommunalités pour leurs investissements.",
    "DSIL": "dotation de soutien à l'investissement local, versée par l'État.",
    "EBE": "entreprise à but d'emploi, qui embauche en CDI les personnes privées durablement "
    "d'emploi du territoire.",
    "EGalim": "la loi du 30 octobre 2018 qui impose à la restauration collective publique au "
    "moins 50 % de produits durables et de qualité, dont 20 % de produits bio.",
    "EPCI": "établissement public de coopération intercommunale, c'est-à-dire une "
    "intercommunalité (communauté de communes, d'agglomération, urbaine, métropole).",
    "ESS": "économie sociale et solidaire.",
    "FEDER": "Fonds européen de développement régional.",
    "FNADT": "Fonds national d'aménagement et de développement du territoire.",
    "FSE": "Fonds social européen.",
    "MSA": "Mutualité sociale agricole.",
    "PAT": "projet alimentaire territorial.",
    "PNA": "programme national pour l'alimentation.",
    "QPV": "quartier prioritaire de la politique de la ville.",
    "RGPD": "règlement général sur la protection des données.",
    "SAS": "société par actions simplifiée.",
    "SCIC": "société coopérative d'intérêt collectif.",
    "SIAE": "structure d'insertion par l'activité économique.",
    "SMIC": "salaire minimum interprofessionnel de croissance.",
    "SPL": "société publique locale.",
}


def glossary(kit: Kit, also: Iterable[str] = ()) -> list[tuple[str, str]]:
    """The kit's glossary: the method's words the kit uses, then the acronyms its innovation
    and territory texts (and the kit's own sentences `also`) use, in alphabetical order."""
    terms = [
        (term, text)
        for term, text in METHOD
        if term != "Mode dégradé" or kit.innovation.mode_degrade is not None
    ]
    sources: list[Any] = [kit.innovation.model_dump(mode="json"), list(also)]
    if kit.cible.profil is not None:
        sources.append(kit.cible.profil.model_dump(mode="json"))
    used = set(words_of(texts(sources)))
    terms.extend((name, text) for name, text in sorted(ACRONYMS.items()) if name in used)
    return terms


def texts(value: Any) -> Iterator[str]:
    """Every text held by plain data (dicts, lists, strings), depth first."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))
