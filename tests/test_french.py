"""French formatting of numbers, amounts and dates, as kits print them."""

from __future__ import annotations

import datetime as dt

import pytest

from essaimage.text import french


def test_french_formatting():
    assert french.euros(1500) == "1\u202f500\u00a0€"
    assert french.etp(0.5) == "0,5\u00a0ETP"
    assert french.euros_centimes(0.5) == "0,50\u00a0€"
    assert french.euros_centimes(1500) == "1\u202f500\u00a0€"
    assert french.nombre(2.5, 0) == "3"
    assert french.nombre(1234567.891) == "1\u202f234\u202f567,89"
    assert french.mois_annee(dt.date(2027, 3, 1)) == "mars 2027"
    assert french.shift_months(dt.date(2027, 11, 15), 3) == dt.date(2028, 2, 15)
    # the day of the month counts; a fraction is counted in days of the month reached
    assert french.shift_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert french.shift_months(dt.date(2027, 1, 15), 1.5) == dt.date(2027, 3, 1)


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "zéro"),
        (1, "un"),
        (17, "dix-sept"),
        (21, "vingt et un"),
        (71, "soixante et onze"),
        (77, "soixante-dix-sept"),
        (80, "quatre-vingts"),
        (81, "quatre-vingt-un"),
        (91, "quatre-vingt-onze"),
        (100, "cent"),
        (200, "deux cents"),
        (201, "deux cent un"),
        (1000, "mille"),
        (2080, "deux mille quatre-vingts"),
        (12_500, "douze mille cinq cents"),
        (30_000, "trente mille"),
        (80_000, "quatre-vingt mille"),
        (200_000, "deux cent mille"),
        (1_500_000, "un million cinq cent mille"),
        (200_000_000, "deux cents millions"),
        (2_000_000_000, "deux milliards"),
        (10**12, "un billion"),
    ],
)
def test_whole_numbers_in_words(number, words):
    assert french.en_lettres(number) == words


def test_names_take_their_article_and_preposition():
    ain = french.NomPropre("Ain", 5, article_dans_le_nom=False)
    assert (ain.le, ain.sujet, ain.de, ain.pour) == ("l'Ain", "L'Ain", "de l'Ain", "pour l'Ain")
    bretagne = french.NomPropre("Bretagne", 0, article_dans_le_nom=False)
    assert (bretagne.de, bretagne.pour) == ("de Bretagne", "pour Bretagne")
    vendee = french.NomPropre("Vendée", 3, article_dans_le_nom=False)
    assert (vendee.de, vendee.pour) == ("de la Vendée", "pour la Vendée")
    landes = french.NomPropre("Landes", 4, article_dans_le_nom=False)
    assert landes.de == "des Landes"
    # communes hold their article: « du Mans », « des Sables-d'Olonne », « d'Angers »
    assert french.NomPropre("Le Mans", 2).de == "du Mans"
    assert french.NomPropre("Le Mans", 2).pour == "pour Le Mans"
    assert french.NomPropre("Les Sables-d'Olonne", 4).de == "des Sables-d'Olonne"
    assert french.NomPropre("Angers", 1).de == "d'Angers"
    assert french.NomPropre("La Rochelle", 3).de == "de La Rochelle"


def test_names_outside_the_reference_are_guessed_from_their_writing():
    assert (
        french.NomPropre.devine("CA Redon Agglomération").pour == "pour la CA Redon Agglomération"
    )
    assert french.NomPropre.devine("Métropole de Lyon").de == "de la Métropole de Lyon"
    assert french.NomPropre.devine("Le Havre").de == "du Havre"
    assert french.NomPropre.devine("Ille-et-Vilaine").de == "d'Ille-et-Vilaine"
    assert french.NomPropre.devine("Quimper").sujet == "Quimper"


def test_month_ranges_are_written_as_french_does():
    assert french.periode(dt.date(2027, 4, 1), dt.date(2027, 5, 31)) == "avril à mai 2027"
    assert french.periode(dt.date(2027, 3, 1), dt.date(2027, 3, 31)) == "mars 2027"
    assert french.periode(dt.date(2027, 9, 1), dt.date(2028, 8, 31)) == "septembre 2027 à août 2028"
    assert french.de_a_mois(dt.date(2027, 3, 1), dt.date(2027, 6, 30)) == "de mars à juin 2027"
    assert (
        french.de_a_mois(dt.date(2027, 10, 1), dt.date(2028, 3, 31)) == "d'octobre 2027 à mars 2028"
    )


def test_since_a_year_or_a_day():
    import datetime as dt

    from essaimage.text.french import depuis

    assert depuis(2009) == "depuis 2009"
    assert depuis(dt.date(2019, 7, 1)) == "depuis le 1er juillet 2019"


@pytest.mark.parametrize(
    ("nom", "dit"),
    [
        ("Région Bretagne", "la Région Bretagne"),
        ("Département du Finistère", "le Département du Finistère"),
        ("État", "l'État"),
        ("Association des maires ruraux", "l'Association des maires ruraux"),
        ("Communauté de communes du Val", "la Communauté de communes du Val"),
        ("La Poste", "La Poste"),  # its own article
        ("ANCT", "ANCT"),  # an acronym: as written
        ("Saint-Brieuc Armor Agglomération", "Saint-Brieuc Armor Agglomération"),
    ],
)
def test_a_body_s_name_takes_the_article_its_first_word_gives(nom, dit):
    """Issue 24: « Plan porté par Région Bretagne »."""
    from essaimage.text.french import avec_article

    assert avec_article(nom) == dit


def test_a_cost_per_head_keeps_its_cents():
    """« 1 € par bénéficiaire » was 1,20 € rounded (issue 24)."""
    assert french.euros_par_tete(1.2) == "1,20\u00a0€"
    assert french.euros_par_tete(6) == "6\u00a0€"
    assert french.euros_par_tete(1250.4) == "1\u202f250\u00a0€"
