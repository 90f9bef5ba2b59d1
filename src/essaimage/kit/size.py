"""How big a project is on its territory: its population base, its sites, its beneficiaries.

The population base of `par: N habitants` is the project's perimeter (its written population,
else the sum of its communes in the reference), else the territory's population. The number of
sites is the profile's `sites`, else the innovation's `dimensionnement`, else 1. Each figure
carries, in words, where it comes from: a kit shows it so that anyone can check it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..territories.cog import SOURCE_SHORT, TerritoireOfficiel, reference
from ..text.french import nombre, pluriel

if TYPE_CHECKING:
    from ..format.models import Dimensionnement, Innovation, Projet
    from .target import Cible


@dataclass(frozen=True)
class Taille:
    """The counts one kit scales means with, and where each comes from."""

    habitants: int | None  # the population base of `par: N habitants`
    origine_habitants: str  # "population du périmètre (…)", "population du territoire (…)"
    sites: int
    origine_sites: str  # "2 sites prévus par le profil du territoire", "1 site par 20 000 …"
    beneficiaires: int | None  # per year: the profile's, else sites × beneficiaires_par_site
    perimetre: bool = False  # True when the project names a perimeter inside its territory
    communes: list[TerritoireOfficiel] = field(default_factory=list)  # of the perimeter
    communes_inconnues: list[str] = field(default_factory=list)  # codes not in the reference
    origine_beneficiaires: str = "aucun nombre prévu par le profil du territoire"


def habitants(value: int) -> str:
    """`12 000 habitants`, `1 habitant`."""
    return f"{nombre(value)} {pluriel(value, 'habitant')}"


def sites(value: int | float) -> str:
    """`1 site`, `3 sites`."""
    return f"{nombre(value)} {pluriel(value, 'site')}"


def perimeter_communes(projet: Projet | None) -> tuple[list[TerritoireOfficiel], list[str]]:
    """The perimeter's communes found in the reference, and the codes it does not hold."""
    found: list[TerritoireOfficiel] = []
    unknown: list[str] = []
    if projet is None or projet.perimetre is None:
        return found, unknown
    # a set of what is already there: with a list's `in`, a kit whose perimeter lists 130 000
    # codes (what a file may hold) had not ended after ten minutes; 2,3 s so
    seen: set[tuple[str, str]] = set()
    for code in projet.perimetre.communes:
        commune = reference().get("commune", code)
        if commune is None:
            unknown.append(code)
        elif (commune.type, commune.code) not in seen:
            seen.add((commune.type, commune.code))
            found.append(commune)
    return found, unknown


def _population(projet: Projet | None, cible: Cible) -> tuple[int | None, str, list, list]:
    communes, unknown = perimeter_communes(projet)
    perimetre = projet.perimetre if projet else None
    if perimetre is not None:
        what = f", {perimetre.description}" if perimetre.description else ""
        if perimetre.population is not None:
            return (
                perimetre.population,
                f"population du périmètre écrite dans le profil{what}",
                communes,
                unknown,
            )
        counted = [c for c in communes if c.population is not None]
        if counted:
            names = ", ".join(c.nom for c in counted)
            total = sum(c.population or 0 for c in counted)
            origin = (
                f"population du périmètre{what}, somme de {len(counted)} "
                f"{pluriel(len(counted), 'commune')} ({names}), {SOURCE_SHORT}"
            )
            return total, origin, communes, unknown
    if cible.population is None:
        return None, "population du territoire inconnue", communes, unknown
    source = f", {cible.source_population}" if cible.source_population else ""
    return cible.population, f"population du territoire{source}", communes, unknown


def _sites_from_dimensionnement(
    dimensionnement: Dimensionnement, population: int | None, beneficiaires: int | None
) -> tuple[int, str]:
    """ceil(population / habitants_par_site) or ceil(beneficiaries / beneficiaires_par_site),
    the larger, within [sites_min, sites_max]; the computation in words."""
    candidates: list[tuple[int, str]] = []
    per_pop = dimensionnement.habitants_par_site
    if per_pop is not None and population is not None:
        shown = f"{habitants(population)} ÷ {habitants(per_pop)} par site"
        candidates.append(_ratio(population / per_pop, shown))
    per_benef = dimensionnement.beneficiaires_par_site
    if per_benef is not None and beneficiaires is not None:
        shown = (
            f"{nombre(beneficiaires)} {pluriel(beneficiaires, 'bénéficiaire')} ÷ "
            f"{nombre(per_benef)} {pluriel(per_benef, 'bénéficiaire')} par site"
        )
        candidates.append(_ratio(beneficiaires / per_benef, shown))
    low, high = dimensionnement.sites_min, dimensionnement.sites_max
    if not candidates:
        if per_pop is None and per_benef is None:
            said = "la fiche de l'innovation ne donne ni habitants ni bénéficiaires par site"
        else:
            missing = [
                "la fiche de l'innovation ne donne pas d'habitants par site"
                if per_pop is None
                else "la population du territoire est inconnue",
                "la fiche de l'innovation ne donne pas de bénéficiaires par site"
                if per_benef is None
                else "aucun nombre de bénéficiaires n'est prévu",
            ]
            said = " et ".join(missing)
        origin = (
            "le minimum du dimensionnement de l'innovation"
            if "sites_min" in dimensionnement.model_fields_set
            else "par défaut"
        )
        return low, f"{sites(low)}, {origin} ({said})"
    count, computation = max(candidates, key=lambda c: c[0])
    words = f"d'après le dimensionnement de l'innovation, {computation}"
    if len(candidates) > 1:
        words += " (le plus grand des deux calculs)"
    if count < low:
        return low, f"{words}, porté au minimum de {sites(low)}"
    if high is not None and count > high:
        return high, f"{words}, limité au maximum de {sites(high)}"
    return count, words


def _ratio(ratio: float, shown: str) -> tuple[int, str]:
    count = max(math.ceil(ratio - 1e-9), 1)
    if float(ratio).is_integer():
        return count, f"{shown} = {sites(count)}"
    return count, f"{shown} = {nombre(ratio)}, soit {sites(count)} (arrondi au-dessus)"


def measure(innovation: Innovation, projet: Projet | None, cible: Cible) -> Taille:
    """The population base, sites and beneficiaries of this innovation on this territory."""
    population, origine_habitants, communes, unknown = _population(projet, cible)
    beneficiaires = projet.beneficiaires if projet else None
    by_choice = projet.sites_des_choix() if projet is not None else None
    if projet is not None and projet.sites is not None:
        count = projet.sites
        origine_sites = f"{sites(count)} {pluriel(count, 'prévu')} par le profil du territoire"
    elif by_choice is not None:
        count = by_choice
        origine_sites = (
            f"{sites(count)}, la somme des sites des options choisies par le profil du territoire"
        )
    elif innovation.dimensionnement is not None:
        count, origine_sites = _sites_from_dimensionnement(
            innovation.dimensionnement, population, beneficiaires
        )
    else:
        count = 1
        origine_sites = (
            "1 site, car ni le profil du territoire ni la fiche de l'innovation ne disent "
            "combien de sites"
        )
    origine_beneficiaires = (
        "prévus par le profil du territoire"
        if beneficiaires is not None
        else "aucun nombre prévu par le profil du territoire ni par le dimensionnement de "
        "l'innovation"
    )
    per_site = (
        innovation.dimensionnement.beneficiaires_par_site if innovation.dimensionnement else None
    )
    if beneficiaires is None and per_site is not None:
        beneficiaires = count * per_site
        origine_beneficiaires = (
            f"d'après le dimensionnement de l'innovation, {sites(count)} × {nombre(per_site)} "
            f"{pluriel(per_site, 'bénéficiaire')} par site (le profil n'en prévoit pas)"
        )
    return Taille(
        habitants=population,
        origine_habitants=origine_habitants,
        sites=count,
        origine_sites=origine_sites,
        beneficiaires=beneficiaires,
        perimetre=projet is not None and projet.perimetre is not None,
        communes=communes,
        communes_inconnues=unknown,
        origine_beneficiaires=origine_beneficiaires,
    )
