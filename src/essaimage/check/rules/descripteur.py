"""Deployability rules of a descriptor (D…): what a valid descriptor still lacks for a repreneur.

Each rule registers its code, default level, title, why it exists (with its sources), how to fix it,
an example, and its check: a function of the validated descriptor and the day, yielding hits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from ...findings import Finding, Severity
from ...format.models import per_year
from ...format.vocabulary import STATUTS_PAYES
from ...text.links import is_home_page
from ..loader import Document
from .base import AVISE, CFIR, FRAME, GUIDE, ISAT, SPRING, TIDIER, Hit, finding, rule, rules, today

if TYPE_CHECKING:
    from ...format.models import Innovation, Moyens

ERREUR, AVERTISSEMENT, INFO = Severity.ERREUR, Severity.AVERTISSEMENT, Severity.INFO


# --- D1 : cœur, marges, mode dégradé ---------------------------------------------------------


@rule(
    "D101", AVERTISSEMENT, "cœur du concept trop long (plus de 7 éléments)",
    "Le cœur du concept doit tenir en quelques éléments pour voyager : au-delà de sept, le "
    "repreneur ne sait plus ce qui est vraiment non négociable, et tout devient rigide.",
    [CFIR, GUIDE],
    "Gardez dans « coeur » les éléments sans lesquels l'innovation ne produit plus ses effets ; "
    "passez les autres en marges d'adaptation, avec leurs limites.",
    "coeur:\n  - id: trajet-encadre\n    titre: Les enfants vont à pied, encadrés par des adultes\n"
    "  # … sept éléments au plus",
)  # fmt: skip
def _coeur_long(model: Innovation, today: dt.date) -> Iterator[Hit]:
    if len(model.coeur) > 7:
        yield Hit(
            ("coeur",),
            f"le cœur du concept compte {len(model.coeur)} éléments : au-delà de 7, il devient difficile à transmettre",
        )


@rule(
    "D102", AVERTISSEMENT, "élément du cœur sans « pourquoi »",
    "Un repreneur respecte d'autant mieux un élément non négociable qu'il comprend pourquoi il "
    "l'est ; sans justification, il sera adapté au premier obstacle.",
    [TIDIER, CFIR],
    "Ajoutez « pourquoi » à l'élément : ce qui se passe si on l'enlève ou le modifie.",
    "coeur:\n  - id: gratuite\n    titre: Un service gratuit\n"
    "    pourquoi: Le service doit rester accessible à tous les enfants du quartier.",
)  # fmt: skip
def _coeur_sans_pourquoi(model: Innovation, today: dt.date) -> Iterator[Hit]:
    for i, element in enumerate(model.coeur):
        if not element.pourquoi:
            yield Hit(
                ("coeur", i),
                f"l'élément du cœur « {element.id} » ne dit pas pourquoi il est non négociable",
            )


@rule(
    "D103", AVERTISSEMENT, "marge sans options ni limites",
    "Une marge d'adaptation sans options ni limites laisse croire que tout est permis : le "
    "repreneur peut, sans le savoir, toucher au cœur du concept.",
    [CFIR, GUIDE],
    "Donnez les « options » connues, ou les « limites » à ne pas dépasser (ou les deux).",
    "marges:\n  - id: frequence\n    titre: Jours couverts\n    options: [matins, matins et soirs]\n"
    "    limites: Au moins un trajet par jour d'école annoncé.",
)  # fmt: skip
def _marge_sans_bornes(model: Innovation, today: dt.date) -> Iterator[Hit]:
    for i, marge in enumerate(model.marges):
        if not marge.options and not marge.limites:
            yield Hit(("marges", i), f"la marge « {marge.id} » n'a ni options ni limites")


@rule(
    "D104", INFO, "marge sans « decideur »",
    "Savoir qui tranche une adaptation (élus, comité, équipe) évite les blocages et les "
    "adaptations décidées par défaut.",
    [GUIDE, FRAME],
    "Ajoutez « decideur » : la personne ou l'instance qui choisit l'option sur le territoire.",
    "marges:\n  - id: lieu\n    titre: Le lieu d'accueil\n    decideur: L'équipe organisatrice",
)  # fmt: skip
def _marge_sans_decideur(model: Innovation, today: dt.date) -> Iterator[Hit]:
    for i, marge in enumerate(model.marges):
        if not marge.decideur:
            yield Hit(("marges", i), f"la marge « {marge.id} » ne dit pas qui décide")


@rule(
    "D105", AVERTISSEMENT, "pas de mode dégradé",
    "Beaucoup de territoires n'auront pas tous les moyens : sans version minimale décrite, ils "
    "renoncent, ou réduisent l'innovation au hasard, cœur compris.",
    [GUIDE, ISAT],
    "Ajoutez « mode_degrade » : la version minimale, ce à quoi elle renonce et ses moyens réduits.",
    "mode_degrade:\n  description: Une seule ligne, le matin.\n  renoncements: [frequence]\n"
    "  moyens:\n    humains:\n      - role: Référent bénévole\n        etp: 0,05",
)  # fmt: skip
def _sans_mode_degrade(model: Innovation, today: dt.date) -> Iterator[Hit]:
    if model.mode_degrade is None:
        yield Hit((), "le descripteur ne décrit pas de mode dégradé (« mode_degrade »)")


@rule(
    "D106", ERREUR, "le mode dégradé renonce à un élément du cœur",
    "Le mode dégradé réduit ce qui est adaptable, jamais le cœur : sans un élément du cœur, ce "
    "n'est plus la même innovation, et ses résultats ne sont plus garantis.",
    [CFIR, GUIDE],
    "Retirez cet élément des « renoncements », ou, s'il est vraiment facultatif, passez-le du "
    "cœur aux marges.",
    "mode_degrade:\n  renoncements:\n    - frequence   # une marge, pas un élément du cœur",
)  # fmt: skip
def _degrade_sans_coeur(model: Innovation, today: dt.date) -> Iterator[Hit]:
    if model.mode_degrade is None:
        return
    coeur = {c.id: c.titre for c in model.coeur}
    for j, renoncement in enumerate(model.mode_degrade.renoncements):
        if renoncement in coeur:
            yield Hit(
                ("mode_degrade", "renoncements", j),
                f"le mode dégradé renonce à « {renoncement} », un élément du cœur du concept",
            )


def _per_base_totals(
    moyens: Moyens | None,
) -> tuple[dict[str, float], dict[tuple[str, str], float]]:
    """ETP and yearly-comparable euros per base unit (site, habitant, beneficiaire)."""
    etp: dict[str, float] = {}
    euros: dict[tuple[str, str], float] = {}
    if moyens is None:
        return etp, euros
    for humain in moyens.humains:
        etp[humain.par.unite] = etp.get(humain.par.unite, 0) + humain.etp / humain.par.n
    for financier in moyens.financiers:
        kind = "ponctuel" if financier.periodicite == "unique" else "annuel"
        key = (financier.par.unite, kind)
        per_unit = per_year(financier.montant, financier.periodicite) / financier.par.n
        euros[key] = euros.get(key, 0) + per_unit
    return etp, euros


@rule(
    "D107", AVERTISSEMENT, "le mode dégradé demande plus de moyens que la version complète",
    "Le mode dégradé est la version pour les territoires qui manquent de moyens : s'il en demande "
    "plus que la version complète, il ne joue pas son rôle ou les moyens sont mal saisis.",
    [GUIDE, ISAT],
    "Vérifiez les ETP et les montants du mode dégradé, et leurs bases « par » : ils se comparent "
    "à base égale (par site, par habitant, par bénéficiaire).",
    "moyens:\n  humains:\n    - role: Coordination\n      etp: 0,5\nmode_degrade:\n  moyens:\n"
    "    humains:\n      - role: Coordination\n        etp: 0,2",
)  # fmt: skip
def _degrade_plus_cher(model: Innovation, today: dt.date) -> Iterator[Hit]:
    if model.mode_degrade is None or model.mode_degrade.moyens is None:
        return
    full_etp, full_euros = _per_base_totals(model.moyens)
    low_etp, low_euros = _per_base_totals(model.mode_degrade.moyens)
    # Only figures counted on the same base (and periodicity) can be compared.
    over = [u for u, v in low_etp.items() if u in full_etp and v > full_etp[u] + 1e-9]
    over_euros = [k for k, v in low_euros.items() if k in full_euros and v > full_euros[k] + 1e-9]
    if over or over_euros:
        what = " et ".join(x for x, flag in (("en ETP", over), ("en budget", over_euros)) if flag)
        yield Hit(
            ("mode_degrade", "moyens"),
            f"le mode dégradé demande plus de moyens que la version complète ({what}, à base égale)",
        )


@rule(
    "D108", AVERTISSEMENT, "aucune marge d'adaptation",
    "Une innovation qui ne laisse rien à adapter se heurte à chaque territoire : les repreneurs "
    "adaptent quand même, mais sans cadre.",
    [CFIR, GUIDE],
    "Décrivez dans « marges » ce qu'un repreneur peut adapter (lieu, rythme, public, "
    "partenaires…), avec options et limites.",
    "marges:\n  - id: lieu\n    titre: Le lieu d'accueil\n    options: [médiathèque, centre social]",
)  # fmt: skip
def _sans_marges(model: Innovation, today: dt.date) -> Iterator[Hit]:
    if not model.marges:
        yield Hit(
            ("marges",), "aucune marge d'adaptation : rien n'est laissé à l'adaptation du repreneur"
        )


# --- D2 : moyens ---------------------------------------------------------------------------


@rule(
    "D201", AVERTISSEMENT, "aucun moyen financier",
    "Sans budget, un territoire ne peut ni décider ni chercher des financements ; c'est la "
    "première question d'un élu ou d'un financeur.",
    [ISAT, SPRING],
    "Ajoutez « moyens.financiers » : investissement et fonctionnement, avec leur base « par ».",
    "moyens:\n  financiers:\n    - poste: Signalétique\n      montant: 1 500\n      nature: investissement",
)  # fmt: skip
def _sans_financiers(model: Innovation, today: dt.date) -> Iterator[Hit]:
    if not model.moyens.financiers:
        yield Hit(("moyens",), "les moyens ne comptent aucun moyen financier (« financiers »)")


@rule(
    "D202", AVERTISSEMENT, "pas de délai de lancement",
    "Le délai entre la décision et le premier service rendu conditionne le calendrier politique "
    "et budgétaire du repreneur.",
    [ISAT, GUIDE],
    "Ajoutez « moyens.delai_lancement_mois » : le nombre de mois entre la décision et le lancement.",
    "moyens:\n  delai_lancement_mois: 6",
)  # fmt: skip
def _sans_delai(model: Innovation, today: dt.date) -> Iterator[Hit]:
    if model.moyens.delai_lancement_mois is None:
        yield Hit(
            ("moyens",),
            "les moyens ne donnent pas de délai de lancement (« delai_lancement_mois »)",
        )


@rule(
    "D203", INFO, "rôle humain sans « formation »",
    "Le savoir-faire se transmet : dire comment chaque rôle est formé évite qu'il reste dans la "
    "tête du porteur d'origine.",
    [TIDIER, SPRING],
    "Ajoutez « formation » au rôle : immersion, guide, formation, accompagnement par un pair…",
    "moyens:\n  humains:\n    - role: Coordination\n      etp: 0,5\n"
    "      formation: Deux jours d'immersion chez le porteur d'origine.",
)  # fmt: skip
def _role_sans_formation(model: Innovation, today: dt.date) -> Iterator[Hit]:
    for i, item in enumerate(model.moyens.humains):
        if not item.formation:
            yield Hit(
                ("moyens", "humains", i), f"le rôle « {item.role} » ne dit pas comment il est formé"
            )


@rule(
    "D204", INFO, "étapes et délai de lancement ne concordent pas",
    "La feuille de route et le délai de lancement décrivent le même chemin : un écart de plus de "
    "moitié signale une erreur ou une étape oubliée.",
    [GUIDE],
    "Accordez la somme des « duree_mois » des étapes et « delai_lancement_mois », ou expliquez "
    "l'écart (étapes en parallèle) dans la description des étapes.",
    "moyens:\n  delai_lancement_mois: 4\netapes:\n  - titre: Préparer\n    duree_mois: 2\n"
    "  - titre: Lancer\n    duree_mois: 2",
)  # fmt: skip
def _etapes_vs_delai(model: Innovation, today: dt.date) -> Iterator[Hit]:
    delai = model.moyens.delai_lancement_mois
    durations = [e.duree_mois for e in model.etapes if e.duree_mois]
    if delai is None or not durations:
        return
    total = sum(durations)
    if abs(total - delai) > delai / 2:
        yield Hit(
            ("etapes",),
            f"les étapes durent {_n(total)} mois au total, pour un délai de lancement de {_n(delai)} mois",
        )


@rule(
    "D205", AVERTISSEMENT, "postes payés sans coût",
    "Un ETP salarié ou une prestation sans coût en euros manque au budget : le kit ne peut "
    "montrer ni le coût complet ni le reste à charge, et un élu sous-estime la dépense.",
    [ISAT, SPRING],
    "Ajoutez « cout_etp_annuel » aux moyens (coût chargé d'un ETP par an), ou « cout_annuel » au "
    "rôle ; un rôle tenu par des bénévoles prend « statut: benevole ».",
    "moyens:\n  cout_etp_annuel: 45 000\n  humains:\n    - role: Coordination\n      etp: 0,5",
)  # fmt: skip
def _payes_sans_cout(model: Innovation, today: dt.date) -> Iterator[Hit]:
    if model.moyens.cout_etp_annuel is not None:
        return
    unvalued = [
        (i, item.role)
        for i, item in enumerate(model.moyens.humains)
        if item.statut in STATUTS_PAYES and item.cout_annuel is None
    ]
    if unvalued:
        names = " ; ".join(role for _, role in unvalued)
        yield Hit(
            ("moyens", "humains", unvalued[0][0]),
            f"aucun coût n'est donné pour {len(unvalued)} "
            f"{'rôle payé' if len(unvalued) == 1 else 'rôles payés'} ({names}) : le budget des "
            "kits ne les compte pas",
        )


@rule(
    "D206", INFO, "financement sans nature",
    "La nature d'un financement (subvention, appel à projets, mécénat…) dit au repreneur à qui "
    "s'adresser et avec quel calendrier ; « autre » ne l'aide pas.",
    [GUIDE],
    "Indiquez « nature » : subvention, prestation, mecenat, appel-a-projets, fonds-europeens, "
    "participation-usagers ou autofinancement.",
    "financements:\n  - financeur: Région\n    nature: appel-a-projets\n    part: 30",
)  # fmt: skip
def _financement_sans_nature(model: Innovation, today: dt.date) -> Iterator[Hit]:
    for i, item in enumerate(model.financements):
        if item.nature in (None, "autre"):
            yield Hit(
                ("financements", i),
                f"le financement de « {item.financeur} » ne dit pas sa nature",
            )


# --- D3 : preuves --------------------------------------------------------------------------


@rule(
    "D301", AVERTISSEMENT, "aucun résultat",
    "Une innovation ne s'essaime que si elle a fait ses preuves : sans résultat, le repreneur ne "
    "peut pas convaincre ses élus ni ses financeurs.",
    [GUIDE, ISAT, SPRING],
    "Ajoutez « resultats » : ce qui a changé pour les bénéficiaires, chiffré, daté et sourcé.",
    "resultats:\n  - indicateur: Réduction du gaspillage\n    valeur: 80\n    unite: \"%\"\n"
    "    date: 2015\n    source:\n      titre: Bilan de la restauration scolaire",
)  # fmt: skip
def _sans_resultats(model: Innovation, today: dt.date) -> Iterator[Hit]:
    if not model.resultats:
        yield Hit(
            (), "aucun résultat ne montre que l'innovation a fait ses preuves (« resultats »)"
        )


@rule(
    "D302", AVERTISSEMENT, "aucun résultat de nature « resultat »",
    "Compter l'activité (nombre d'ateliers, de participants) ne dit pas si l'innovation produit "
    "ses effets : il faut au moins un résultat sur les bénéficiaires.",
    [ISAT, TIDIER],
    "Ajoutez un résultat de nature « resultat » : un effet mesuré, pas seulement une activité.",
    "resultats:\n  - indicateur: Sorties vers l'emploi durable\n    valeur: 45\n    unite: \"%\"\n"
    "    nature: resultat",
)  # fmt: skip
def _que_de_l_activite(model: Innovation, today: dt.date) -> Iterator[Hit]:
    if model.resultats and not any(r.nature == "resultat" for r in model.resultats):
        yield Hit(
            ("resultats",),
            "les résultats ne comptent que de l'activité : aucun n'est de nature « resultat »",
        )


@rule(
    "D303", INFO, "résultat sans source",
    "Un chiffre sans source ne peut être ni vérifié ni cité par le repreneur dans son dossier.",
    [GUIDE],
    "Ajoutez « source » au résultat : le titre du document (et son lien s'il est en ligne).",
    "resultats:\n  - indicateur: Repas bio\n    valeur: 100\n    source:\n"
    "      titre: Rapport d'activité 2024\n      url: https://exemple.org/rapport",
)  # fmt: skip
def _resultat_sans_source(model: Innovation, today: dt.date) -> Iterator[Hit]:
    for i, resultat in enumerate(model.resultats):
        if resultat.source is None:
            yield Hit(("resultats", i), f"le résultat « {resultat.indicateur} » n'a pas de source")


def _as_date(value: dt.date | int) -> dt.date:
    return dt.date(value, 12, 31) if isinstance(value, int) else value


@rule(
    "D304", INFO, "résultats anciens",
    "Des preuves de plus de cinq ans disent mal ce que l'innovation produit aujourd'hui : le "
    "contexte, les publics et la méthode ont pu changer.",
    [ISAT],
    "Ajoutez un résultat récent, ou mettez à jour les résultats existants et « mis_a_jour ».",
    "resultats:\n  - indicateur: Enfants inscrits\n    valeur: 240\n    date: 2025",
)  # fmt: skip
def _resultats_anciens(model: Innovation, today: dt.date) -> Iterator[Hit]:
    dated = [_as_date(r.date) for r in model.resultats if r.date is not None]
    if not dated:
        return
    reference = model.mis_a_jour or today
    newest = max(dated)
    if newest < _years_before(reference, 5):
        yield Hit(
            ("resultats",),
            f"le résultat le plus récent date de {newest.year}, plus de 5 ans avant {reference.year}",
        )


@rule(
    "D305", INFO, "source qui renvoie à la page d'accueil d'un site",
    "Une source doit mener au document qui prouve le chiffre ou au texte cité : la page "
    "d'accueil d'un site (legifrance.gouv.fr/ pour une loi) oblige le repreneur et son élu à "
    "chercher, et la preuve ne peut être ni vérifiée ni citée dans un dossier.",
    [GUIDE],
    "Donnez l'adresse de la page même : le rapport, l'article, le texte de loi (sur Légifrance, "
    "son adresse ELI : /eli/loi/AAAA/M/J/NUMERO/jo/texte).",
    "references:\n  - titre: Loi n° 2018-938 du 30 octobre 2018\n"
    "    url: https://www.legifrance.gouv.fr/eli/loi/2018/10/30/2018-938/jo/texte",
)  # fmt: skip
def _source_page_d_accueil(model: Innovation, today: dt.date) -> Iterator[Hit]:
    cited: list[tuple[tuple[str | int, ...], str, str | None]] = [
        (("resultats", i, "source", "url"), r.source.titre, r.source.url)
        for i, r in enumerate(model.resultats)
        if r.source is not None
    ]
    if model.cadre_juridique is not None:
        cited += [
            (("cadre_juridique", "references", i, "url"), ref.titre, ref.url)
            for i, ref in enumerate(model.cadre_juridique.references)
        ]
    cited += [
        (("financements", i, "source", "url"), f.source.titre, f.source.url)
        for i, f in enumerate(model.financements)
        if f.source is not None
    ]
    for path, titre, url in cited:
        if url is not None and is_home_page(url):
            yield Hit(
                path,
                f"la source « {titre} » renvoie à la page d'accueil de son site ({url}), pas au "
                "document cité",
            )


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# --- D4 : dépendances et contacts ------------------------------------------------------------


@rule(
    "D401", AVERTISSEMENT, "dépendance sans « attenuation »",
    "La diffusion ne doit pas reposer sur l'innovateur d'origine : chaque dépendance déclarée "
    "doit dire comment le repreneur s'en affranchit.",
    [GUIDE, SPRING],
    "Ajoutez « attenuation » : formation, outil ouvert, transfert de licence, réseau de pairs…",
    "dependances:\n  - element: Le logiciel de planning du porteur\n"
    "    attenuation: Un tableur partagé suffit ; modèle fourni.",
)  # fmt: skip
def _dependance_sans_attenuation(model: Innovation, today: dt.date) -> Iterator[Hit]:
    for i, dependance in enumerate(model.dependances):
        if not dependance.attenuation:
            yield Hit(
                ("dependances", i),
                f"la dépendance « {dependance.element} » ne dit pas comment s'en affranchir",
            )


@rule(
    "D402", INFO, "aucune dépendance déclarée",
    "Presque toute innovation dépend encore un peu de son porteur d'origine (savoir-faire, "
    "outils, marque, réseau) ; ne rien déclarer laisse le repreneur le découvrir seul.",
    [GUIDE, SPRING],
    "Déclarez dans « dependances » ce qui dépend encore du porteur d'origine, et comment s'en "
    "affranchir.",
    "dependances:\n  - element: La marque appartient à l'association d'origine\n"
    "    attenuation: Convention d'usage gratuite pour les collectivités.",
)  # fmt: skip
def _sans_dependances(model: Innovation, today: dt.date) -> Iterator[Hit]:
    if not model.dependances:
        yield Hit(
            (), "aucune dépendance envers le porteur d'origine n'est déclarée (« dependances »)"
        )


@rule(
    "D403", AVERTISSEMENT, "aucun contact",
    "Un repreneur a toujours des questions que le kit ne règle pas : il doit savoir à qui les "
    "poser.",
    [SPRING],
    "Ajoutez « contacts » : au moins un rôle, et une structure ou un courriel.",
    "contacts:\n  - role: Référent essaimage\n    structure: Association d'origine",
)  # fmt: skip
def _sans_contact(model: Innovation, today: dt.date) -> Iterator[Hit]:
    if not model.contacts:
        yield Hit((), "aucun contact n'est indiqué (« contacts »)")


# --- D5 à D9 ------------------------------------------------------------------------------


@rule(
    "D501", INFO, "rôle des acteurs publics non décrit",
    "Le guide insiste sur le rôle structurant des acteurs publics (financeur, prescripteur, "
    "facilitateur…) : c'est souvent lui qui rend le passage à l'échelle possible.",
    [GUIDE],
    "Ajoutez « acteurs_publics » : qui, avec quel rôle, pour faire quoi.",
    "acteurs_publics:\n  - acteur: Commune\n    role: operateur\n"
    "    description: Sécurise les traversées et communique.",
)  # fmt: skip
def _sans_acteurs_publics(model: Innovation, today: dt.date) -> Iterator[Hit]:
    if not model.acteurs_publics:
        yield Hit((), "le rôle des acteurs publics n'est pas décrit (« acteurs_publics »)")


@rule(
    "D601", AVERTISSEMENT, "aucune étape de déploiement",
    "Une feuille de route en étapes, avec durées et livrables, transforme l'envie de reprendre "
    "en plan d'action.",
    [GUIDE, SPRING],
    "Ajoutez « etapes » : titre, durée en mois, responsable et livrables de chaque étape.",
    "etapes:\n  - titre: Mobiliser l'école\n    duree_mois: 1\n    livrables: [liste des familles]",
)  # fmt: skip
def _sans_etapes(model: Innovation, today: dt.date) -> Iterator[Hit]:
    if not model.etapes:
        yield Hit((), "aucune étape de déploiement n'est décrite (« etapes »)")


@rule(
    "D701", AVERTISSEMENT, "aucun indicateur",
    "Sans indicateur, le repreneur ne peut ni suivre son déploiement ni comparer ses résultats "
    "à ceux de l'original.",
    [ISAT, GUIDE],
    "Ajoutez « indicateurs » : résultat, activité et fidélité, avec cible et fréquence.",
    "indicateurs:\n  - nom: Enfants inscrits par ligne\n    nature: activite\n    frequence: chaque rentrée",
)  # fmt: skip
def _sans_indicateurs(model: Innovation, today: dt.date) -> Iterator[Hit]:
    if not model.indicateurs:
        yield Hit((), "aucun indicateur de suivi n'est proposé (« indicateurs »)")


@rule(
    "D702", INFO, "aucun indicateur de fidélité",
    "Mesurer la fidélité au cœur du concept permet de savoir si un écart de résultats vient de "
    "l'innovation ou de sa mise en œuvre.",
    [TIDIER, CFIR],
    "Ajoutez un indicateur de nature « fidelite » qui vérifie un élément du cœur.",
    "indicateurs:\n  - nom: Part des trajets accompagnés par un adulte\n    nature: fidelite\n    cible: 100 %",
)  # fmt: skip
def _sans_fidelite(model: Innovation, today: dt.date) -> Iterator[Hit]:
    if model.indicateurs and not any(n.nature == "fidelite" for n in model.indicateurs):
        yield Hit(
            ("indicateurs",),
            "aucun indicateur ne suit la fidélité au cœur du concept (nature « fidelite »)",
        )


@rule(
    "D801", AVERTISSEMENT, "risque sans « prevention »",
    "Un piège signalé sans parade inquiète sans aider : le repreneur a besoin de savoir comment "
    "l'éviter.",
    [GUIDE],
    "Ajoutez « prevention » : ce que le porteur d'origine a appris pour éviter ce risque.",
    "risques:\n  - risque: Essoufflement des bénévoles\n    prevention: Renouveler les équipes à chaque rentrée.",
)  # fmt: skip
def _risque_sans_prevention(model: Innovation, today: dt.date) -> Iterator[Hit]:
    for i, risque in enumerate(model.risques):
        if not risque.prevention:
            yield Hit(("risques", i), f"le risque « {risque.risque} » n'a pas de prévention")


@rule(
    "D802", INFO, "ressource sans licence",
    "Sans licence, le repreneur ne sait pas s'il peut copier, adapter et rediffuser une ressource.",
    [GUIDE],
    "Ajoutez « licence » à la ressource (identifiant SPDX, par exemple CC-BY-SA-4.0 ou etalab-2.0).",
    "ressources:\n  - titre: Charte de ligne\n    chemin: ressources/charte.md\n    licence: CC-BY-SA-4.0",
)  # fmt: skip
def _ressource_sans_licence(model: Innovation, today: dt.date) -> Iterator[Hit]:
    for i, ressource in enumerate(model.ressources):
        if not ressource.licence:
            yield Hit(("ressources", i), f"la ressource « {ressource.titre} » n'a pas de licence")


@rule(
    "D803", AVERTISSEMENT, "pas de licence pour le kit",
    "La licence dit ce que le repreneur peut faire du kit : le reprendre, l'adapter, le "
    "partager. Sans elle, rien n'est permis par défaut.",
    [GUIDE, AVISE],
    "Ajoutez « licence » à la racine du descripteur (identifiant SPDX : CC-BY-SA-4.0, etalab-2.0…).",
    "licence: CC-BY-SA-4.0",
)  # fmt: skip
def _sans_licence(model: Innovation, today: dt.date) -> Iterator[Hit]:
    if not model.licence:
        yield Hit((), "le descripteur n'indique pas de licence (« licence »)")


@rule(
    "D804", AVERTISSEMENT, "aucun risque décrit",
    "Les pièges rencontrés par les premiers sites sont l'un des savoirs les plus utiles au "
    "repreneur ; ne rien en dire l'expose à les rencontrer à son tour.",
    [GUIDE, SPRING],
    "Ajoutez « risques » : les pièges à éviter, chacun avec sa prévention.",
    "risques:\n  - risque: Un trajet sans accompagnateur\n    prevention: Un remplaçant prévu chaque jour.",
)  # fmt: skip
def _sans_risques(model: Innovation, today: dt.date) -> Iterator[Hit]:
    if not model.risques:
        yield Hit((), "aucun risque ni piège à éviter n'est décrit (« risques »)")


@rule(
    "D901", ERREUR, "une reprise précédente a adapté un élément du cœur",
    "Modifier un élément du cœur n'est pas une adaptation mais une rupture de fidélité : la "
    "présenter comme une adaptation brouille ce qui est non négociable.",
    [FRAME, CFIR],
    "Si la reprise a vraiment changé cet élément, dites-le dans « retour » (écart au modèle) ; "
    "si l'élément est adaptable, passez-le du cœur aux marges.",
    "essaimages:\n  - territoire: {nom: Lyon}\n    adaptations:\n      - marge: lieu   # une marge\n"
    "    retour: L'équipe a dû renoncer à la gratuité la première année.",
)  # fmt: skip
def _reprise_hors_marges(model: Innovation, today: dt.date) -> Iterator[Hit]:
    coeur = {c.id for c in model.coeur}
    for i, reprise in enumerate(model.essaimages):
        for j, adaptation in enumerate(reprise.adaptations):
            if adaptation.marge in coeur:
                yield Hit(
                    ("essaimages", i, "adaptations", j, "marge"),
                    f"la reprise de {reprise.territoire.nom} a adapté « {adaptation.marge} », un élément du cœur du concept",
                )


@rule(
    "D902", INFO, "aucune reprise précédente",
    "Les reprises précédentes et leurs adaptations montrent que l'innovation voyage, et ce qui a "
    "été adapté ailleurs.",
    [FRAME, SPRING],
    "Ajoutez « essaimages » : territoire, date, porteur, adaptations et retour d'expérience.",
    "essaimages:\n  - territoire: {nom: Mauléon}\n    depuis: 2016\n    adaptations:\n"
    "      - marge: activites\n        choix: recyclerie",
)  # fmt: skip
def _sans_reprise(model: Innovation, today: dt.date) -> Iterator[Hit]:
    if not model.essaimages:
        yield Hit((), "aucune reprise précédente n'est enregistrée (« essaimages »)")


def _n(value: float) -> str:
    return (f"{value:g}").replace(".", ",")


def hits(model: Innovation, on: dt.date | None = None) -> dict[str, list[Hit]]:
    """Every descriptor rule's hits, before any level configuration."""
    day = on or today()
    return {entry.code: list(entry.controle(model, day)) for entry in rules("descripteur")}


def check(
    model: Innovation,
    doc: Document,
    file: str,
    overrides: Mapping[str, str],
    found_hits: Mapping[str, list[Hit]] | None = None,
) -> list[Finding]:
    """The findings of every descriptor rule, levels configured (`found_hits` from `hits`)."""
    found = []
    for code, rule_hits in (found_hits if found_hits is not None else hits(model)).items():
        for hit in rule_hits:
            result = finding(code, hit, doc, file, overrides)
            if result is not None:
                found.append(result)
    return found
