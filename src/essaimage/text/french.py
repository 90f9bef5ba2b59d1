"""French formatting of numbers, amounts, durations and dates, as kits print them.

Thousands are separated by a narrow no-break space (U+202F), decimals by a comma, and a unit
follows its number after a no-break space (U+00A0): `1 500 €`, `0,5 ETP`, `mars 2027`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

THIN = "\u202f"
NBSP = "\u00a0"

MOIS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def round_half_up(value: float, decimals: int = 0) -> Decimal:
    """Round the way people do (2,5 -> 3), not the banker's way.

    Exact for any finite number: the precision is wide enough for the largest float.
    """
    quantum = Decimal(1).scaleb(-decimals)
    with localcontext() as context:
        context.prec = 400
        return Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)


def nombre(value: float | int, decimals: int = 2) -> str:
    """`1234.5` -> `1 234,5`: rounded to `decimals`, trailing zeros dropped."""
    if isinstance(value, int) or (value.is_integer() and abs(value) < 2**53):
        # whole numbers (most figures of a kit) need no decimal rounding
        sign, whole, frac = "-" if value < 0 else "", str(abs(int(value))), ""
    else:
        rounded = round_half_up(value, decimals)
        sign = "-" if rounded < 0 else ""
        whole, _, frac = f"{abs(rounded):f}".partition(".")
        frac = frac.rstrip("0")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = THIN.join(groups)
    return sign + text + ("," + frac if frac else "")


_UNITS = (
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
    "onze", "douze", "treize", "quatorze", "quinze", "seize",
)  # fmt: skip
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}
# Each power of a thousand above « mille », a noun that takes the plural.
_LARGE = ((10**12, "billion"), (10**9, "milliard"), (10**6, "million"))


def _below_hundred(n: int) -> str:
    if n <= 16:
        return _UNITS[n]
    if n < 20:
        return "dix-" + _UNITS[n - 10]
    tens, unit = divmod(n, 10)
    if tens in (7, 9):  # soixante-dix, quatre-vingt-dix: the teens added to 60 and 80
        base, unit = ("soixante" if tens == 7 else "quatre-vingt"), unit + 10
        joined = " et " if unit == 11 and tens == 7 else "-"  # soixante et onze
        return base + joined + _below_hundred(unit)
    if tens == 8:
        return "quatre-vingt" + ("-" + _UNITS[unit] if unit else "s")
    if unit == 0:
        return _TENS[tens]
    return _TENS[tens] + (" et un" if unit == 1 else "-" + _UNITS[unit])


def _below_thousand(n: int, last: bool) -> str:
    """`n` (1 to 999) in words; `last` when nothing follows (« deux cents », but « deux cent
    mille »: the plural of « cent » and « quatre-vingts » is dropped before « mille »)."""
    hundreds, rest = divmod(n, 100)
    words = []
    if hundreds:
        ending = "s" if hundreds > 1 and not rest and last else ""
        words.append(("cent" if hundreds == 1 else _UNITS[hundreds] + " cent") + ending)
    if rest:
        text = _below_hundred(rest)
        words.append(text[:-1] if text == "quatre-vingts" and not last else text)
    return " ".join(words)


def en_lettres(n: int) -> str:
    """A whole number from 0 to 999 999 999 999 999 in words, traditional spelling:
    `30000` -> « trente mille », `1500000` -> « un million cinq cent mille »."""
    if n == 0:
        return _UNITS[0]
    words = []
    for size, name in _LARGE:
        count, n = divmod(n, size)
        if count:
            words.append(f"{_below_thousand(count, True)} {name}{'s' if count > 1 else ''}")
    thousands, n = divmod(n, 1000)
    if thousands:
        words.append("mille" if thousands == 1 else _below_thousand(thousands, False) + " mille")
    if n:
        words.append(_below_thousand(n, True))
    return " ".join(words)


def euros(value: float | int) -> str:
    """An amount in euros, to the euro: `1 500 €`."""
    return nombre(value, 0) + NBSP + "€"


def euros_centimes(value: float | int) -> str:
    """A unit price: to the euro when whole (`12 €`), else with cents (`0,50 €`)."""
    cents = round_half_up(value, 2)
    if cents == cents.to_integral_value():
        return euros(value)
    whole, _, frac = nombre(value, 2).partition(",")
    return f"{whole},{frac.ljust(2, '0')}{NBSP}€"


def euros_par_tete(value: float | int) -> str:
    """A cost per head: with its cents under 100 € (`1,20 €`, never `1 €` for 1,20 €), to the
    euro above (`1 250 €`)."""
    return euros_centimes(value) if abs(value) < 100 else euros(value)


def etp(value: float | int) -> str:
    """Full-time equivalents: `0,5 ETP`."""
    return nombre(value, 2) + NBSP + "ETP"


def mois(value: float | int) -> str:
    """A duration in months: `1 mois`, `2,5 mois`."""
    return nombre(value, 1) + NBSP + "mois"


def mois_annee(value: dt.date) -> str:
    """`mars 2027`."""
    return f"{MOIS[value.month - 1]} {value.year}"


def de_mois(text: str) -> str:
    """« de » before a month's name, elided: `de mars`, `d'avril 2027`, `d'août`, `d'octobre`."""
    return f"d'{text}" if text[0] in "ao" else f"de {text}"


def de_mois_annee(value: dt.date) -> str:
    """`de mars 2027`, `d'avril 2027`, `d'octobre 2027`."""
    return de_mois(mois_annee(value))


def periode(first: dt.date, last: dt.date) -> str:
    """The months from `first` to `last`, as a table cell says them: `mars 2027`,
    `avril à mai 2027`, `septembre 2027 à août 2028` (a range of months takes « à », not a
    hyphen)."""
    if (first.year, first.month) >= (last.year, last.month):
        return mois_annee(first)
    if first.year == last.year:
        return f"{MOIS[first.month - 1]} à {mois_annee(last)}"
    return f"{mois_annee(first)} à {mois_annee(last)}"


def de_a_mois(first: dt.date, last: dt.date) -> str:
    """The months from `first` to `last` in a sentence: `de mars à juin 2027`,
    `d'octobre 2027 à mars 2028` (the year said once when it is the same)."""
    if first.year == last.year:
        return f"{de_mois(MOIS[first.month - 1])} à {mois_annee(last)}"
    return f"{de_mois_annee(first)} à {mois_annee(last)}"


def date_longue(value: dt.date) -> str:
    """`1er mars 2027`, `26 novembre 2026`."""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {mois_annee(value)}"


def annee_ou_date(value: dt.date | int) -> str:
    """A bare year as it is, a date in full."""
    return str(value) if isinstance(value, int) else date_longue(value)


def depuis(value: dt.date | int) -> str:
    """`depuis 2009`, `depuis le 18 octobre 2009`."""
    return f"depuis {value}" if isinstance(value, int) else f"depuis le {date_longue(value)}"


def shift_months(start: dt.date, months: float) -> dt.date:
    """The day `months` after `start`, fractions of a month counted in days of the month reached:
    15 January + 1,5 month = 1 March (15 February + half of February's 28 days)."""
    whole = math.floor(months)
    index = start.year * 12 + start.month - 1 + whole
    year, month = index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    landed = dt.date(year, month, day)
    fraction = months - whole
    if fraction:
        landed += dt.timedelta(days=round(fraction * calendar.monthrange(year, month)[1]))
    return landed


def precise(text: object, detail: object | None) -> str:
    """`text (detail)`, or `text, detail` where parentheses would stack: « CDE (subvention) »
    but « Contrat de développement de l'emploi (CDE), subvention »."""
    text = str(text)
    if detail is None or detail == "":
        return text
    detail = str(detail)
    if text.endswith(")") or detail.endswith(")"):
        return f"{text}, {detail}"
    return f"{text} ({detail})"


def pluriel(count: float | int, singular: str, plural: str | None = None) -> str:
    """The word that agrees with `count` in French (1,5 is singular, 2 plural)."""
    return singular if abs(count) < 2 else (plural or singular + "s")


# --- names of territories, with their article -------------------------------------------------

# INSEE's type of name (TNCC): the article a name takes, and its form after « de ».
ARTICLES = {2: "le ", 3: "la ", 4: "les ", 5: "l'", 6: "aux ", 7: "las ", 8: "los "}
_DE = {0: "de ", 1: "d'", 2: "du ", 3: "de la ", 4: "des ", 5: "de l'", 6: "des ", 7: "de las ",
       8: "de los "}  # fmt: skip
_LEGAL_FORMS = ("CA ", "CC ", "CU ", "CT ", "Métropole ", "Communauté ")  # EPCI: « la CA … »
_VOWELS = frozenset("AEIOUYÂÊÎÔÛÉÈËÏÜŸHaeiouyâêîôûéèëïüÿh")


@dataclass(frozen=True)
class NomPropre:
    """A territory's name and the forms French gives it in a sentence.

    `liaison` is INSEE's type of name (0 consonant, 1 vowel, 2 Le, 3 La, 4 Les, 5 L', 6 Aux…);
    `article_dans_le_nom` is True for communes, whose official name holds its article
    (« Le Mans »), False for départements and régions (« Ain » takes « l' »).
    """

    nom: str
    liaison: int | None = None
    article_dans_le_nom: bool = True

    @classmethod
    def devine(cls, nom: str) -> NomPropre:
        """The forms of a name the reference does not know, guessed from how it is written."""
        for prefix, liaison in (("Le ", 2), ("La ", 3), ("Les ", 4), ("L'", 5), ("L’", 5)):
            if nom.startswith(prefix):
                return cls(nom, liaison, True)
        if nom.startswith(_LEGAL_FORMS):
            return cls(nom, 3, False)  # une communauté, une métropole
        return cls(nom, 1 if nom[:1] in _VOWELS else 0, True)

    @classmethod
    def avec_article(cls, nom: str, article: str) -> NomPropre:
        """The forms of a name whose article is stated (`le`, `la`, `les`, `l'`, `aucun`)."""
        liaison = {"le": 2, "la": 3, "les": 4, "l'": 5}.get(article)
        if liaison is None:
            return cls(nom, 1 if nom[:1] in _VOWELS else 0, article_dans_le_nom=False)
        return cls(nom, liaison, article_dans_le_nom=False)

    @property
    def le(self) -> str:
        """The name in a sentence: « l'Ain », « Le Mans », « la CA Redon Agglomération »."""
        if not self.article_dans_le_nom and self.liaison in ARTICLES:
            return ARTICLES[self.liaison] + self.nom
        return self.nom

    @property
    def pluriel(self) -> bool:
        """True for a plural name (« les Côtes-d'Armor », « Les Sables-d'Olonne »): its verbs
        agree in the plural."""
        return self.liaison in (4, 6, 7, 8)

    def accorde(self, singulier: str, pluriel: str) -> str:
        """The verb that agrees with the name: `accorde("est", "sont")`."""
        return pluriel if self.pluriel else singulier

    @property
    def sujet(self) -> str:
        """The name opening a sentence: « L'Ain », « La CA Redon Agglomération »."""
        text = self.le
        return text[:1].upper() + text[1:]

    @property
    def de(self) -> str:
        """After « de »: « de l'Ain », « du Mans », « des Sables-d'Olonne », « d'Angers »."""
        liaison = self.liaison
        if liaison is None:
            return f"de {self.nom}"
        if not self.article_dans_le_nom:
            return _DE.get(liaison, "de ") + self.nom
        if liaison in (2, 4, 6) and " " in self.nom:  # « Le Mans » → « du Mans »
            return _DE[liaison] + self.nom.split(" ", 1)[1]
        if liaison == 1:
            return f"d'{self.nom}"
        return f"de {self.nom}"

    @property
    def pour(self) -> str:
        """After « pour »: « pour l'Ain », « pour Le Mans »."""
        return f"pour {self.le}"


# --- names of bodies (porteurs, financeurs), with their article --------------------------------

# The first word of a body's name and the article French gives it: « la Région Bretagne »,
# « le Département du Finistère », « l'Association des maires ». A name that starts otherwise
# (an acronym, a brand, a name with its own article: « La Poste ») is written as it is.
_BODY_ARTICLES = {
    **dict.fromkeys(
        ("Région", "Commune", "Ville", "Communauté", "Métropole", "Préfecture", "Caisse",
         "Fédération", "Mairie", "Maison", "Mission", "Direction", "Délégation", "Chambre",
         "Collectivité", "Fondation", "Mutualité", "Banque", "Régie"), "la "),
    **dict.fromkeys(
        ("Département", "Conseil", "Centre", "Syndicat", "Groupement", "Ministère", "Réseau",
         "Comité", "Secrétariat", "Pôle", "Parc", "Pays", "Collectif", "Fonds"), "le "),
    **dict.fromkeys(
        ("Association", "Agence", "État", "Union", "Office", "Établissement", "Institut",
         "École", "Observatoire", "Entreprise"), "l'"),
}  # fmt: skip


def et_liste(items: list[str]) -> str:
    """`a`, `a et b`, `a, b et c`."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} et {items[-1]}"


def guillemets(text: str) -> str:
    """`text` between « », its own guillemets made second-level quotes (“ ”): « l'usage du nom
    “Repair Café” »."""
    return f"« {text.replace('«', '“').replace('»', '”').replace('“ ', '“').replace(' ”', '”')} »"


def cites(items: list[str]) -> str:
    """Names quoted and listed: `« A »`, `« A » et « B »`, `« A », « B » et « C »`."""
    return et_liste([guillemets(item) for item in items])


def avec_article(nom: str) -> str:
    """A body's name in a sentence, with its article when its first word says it: « porté par
    la Région Bretagne », « par l'État »; any other name as it is written."""
    first = nom.split(" ", 1)[0].split("-", 1)[0]
    article = _BODY_ARTICLES.get(first)
    return article + nom if article else nom
