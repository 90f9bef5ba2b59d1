"""Typed scalars of the format, read the way French users write them.

Every parser takes the text the loader kept and returns a Python value, or raises a
`PydanticCustomError` whose type names the kind of mistake (the schema translation maps it to a
finding code) and whose message is already in French.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from pydantic_core import PydanticCustomError

from ..text import french
from ..text.links import is_web_link
from ..text.words import fold_accents, slugify, suggest

_SPACES = "\u0020\u00a0\u202f\u2009"
# Bounds that make every value that validates computable in a kit: numbers of at most 15 digits
# (exact as floats, and a product of two stays far from overflow), years a calendar can hold.
MAX_NUMBER = 10**15
FIRST_YEAR, LAST_YEAR = 1000, 2999
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d+)?|[.,]\d+)")
_GROUPED = re.compile(r"[+-]?\d{1,3}([" + _SPACES + r"]\d{3})+([.,]\d+)?")
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
# Characters an address never holds here: they could close an HTML attribute or, after « ? »,
# add a recipient or a header to a mailto: link.
# Characters a link never holds here: they could end a Markdown link or an HTML attribute.
_NOT_IN_LINK = frozenset('"<>\\^`{|}')
_NOT_IN_EMAIL = frozenset(" \t\r\n<>\"'`,;:?&%/\\()[]{}|=!#$*^~")


def _error(kind: str, message: str, **ctx: str | None) -> PydanticCustomError:
    # Braces in user text must not be read as template fields by pydantic.
    return PydanticCustomError(kind, message.replace("{", "{{").replace("}", "}}"), ctx)


value_error = _error  # for validators of other modules (licences)


def parse_number(text: str) -> int | float | None:
    """A number written the French or English way (`1 500`, `0,5`, `2.5`), else None."""
    s = text.strip()
    if s.isdigit() and s.isascii() and len(s) <= 15:  # most numbers: « 40 », « 1500 »
        return int(s)
    if _GROUPED.fullmatch(s):
        s = re.sub("[" + _SPACES + "]", "", s)
    elif not _NUMBER.fullmatch(s):
        return None
    s = s.replace(",", ".")
    value = float(s)
    return int(value) if value.is_integer() and "." not in s else value


def _ascii_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _thousands(text: str) -> tuple[str, int] | None:
    """For a number whose points or commas look like separators of thousands: its sign and the
    whole number meant (`30.000` -> 30 000, `1.500.000` and `1,500,000` -> 1 500 000): one to
    three digits, not beginning with 0, then groups of exactly three digits, each after the same
    separator. None for any other text (read by splitting, not by a regular expression)."""
    s = text.strip()
    sign = s[:1] if s[:1] in "+-" else ""
    s = s[len(sign) :]
    separator = "." if "." in s else ","
    head, *groups = s.split(separator)
    if not groups:
        return None
    if not (_ascii_digits(head) and len(head) <= 3 and head[0] != "0"):
        return None
    if not all(len(group) == 3 and _ascii_digits(group) for group in groups):
        return None
    if len(head) + 3 * len(groups) > 15:
        return None  # beyond the numbers essaimage reads: said as too large
    return sign, int(head + "".join(groups))


def _thousands_error(text: str, sign: str, meant: int, as_read: str | None) -> PydanticCustomError:
    words = ("moins " if sign == "-" else "") + french.en_lettres(meant)
    digits = str(meant)
    grouped = french.nombre(meant).replace(french.THIN, " ")
    how = f"pour {words}, écrivez {sign}{digits} ou {sign}{grouped}"
    if as_read is None:
        separator = "le point" if "." in text else "la virgule"
        message = (
            f"« {text.strip()} » n'est pas un nombre ({separator} ne sépare pas les milliers) ; "
            + how
        )
    else:
        message = f"« {text.strip()} » se lit {as_read} ; {how}"
    return _error(
        "milliers",
        message,
        hint="Le point et la virgule marquent les décimales (0,5 ou 0.5) ; les milliers se "
        "séparent par une espace (30 000) ou ne se séparent pas (30000).",
    )


def _as_read(text: str) -> str | None:
    """How essaimage reads `30.000` or `12,500`, written the French way: « 30 », « 12,5 »;
    None for `1.500.000`, which is no number at all."""
    s = text.strip()
    separator = "." if "." in s else ","
    head, _, tail = s.partition(separator)
    if separator in tail:
        return None
    tail = tail.rstrip("0")
    return head + ("," + tail if tail else "")


def to_number(value: object) -> object:
    """Validator: text to a number; other inputs go on to pydantic's own type check."""
    if not isinstance(value, str):
        return value
    number = parse_number(value)
    if number is None:
        thousands = _thousands(value)
        if thousands is not None:  # `1.500.000`: points between groups of three digits
            raise _thousands_error(value, *thousands, None)
        hint = "Écrivez par exemple 1500, 1 500 ou 0,5."
        unit = value.strip().removesuffix("€").removesuffix("euros").rstrip(_SPACES + "\t")
        if unit != value.strip() and parse_number(unit) is not None:
            hint = f"Écrivez le nombre seul, sans l'unité : {unit} (les montants sont en euros)."
        raise _error("nombre", f"« {value} » n'est pas un nombre", hint=hint)
    if abs(number) >= MAX_NUMBER:
        raise _error("bornes", f"« {value} » est trop grand (un nombre a au plus 15 chiffres ici)")
    return number


def to_quantity(value: object) -> object:
    """Validator of an amount (€) or a count of things: a number, where `30.000` and `12,500`
    are refused, since three decimals there mean thousands to many writers (a fraction such as
    `0.250` stays a fraction)."""
    if isinstance(value, str):
        thousands = _thousands(value)
        if thousands is not None:
            raise _thousands_error(value, *thousands, _as_read(value))
    return to_number(value)


def to_integer(value: object) -> object:
    """Validator: text to a whole number (`30.000` is refused as `to_quantity` does)."""
    number = to_quantity(value)
    if isinstance(number, float):
        if number.is_integer():
            return int(number)
        raise _error("entier", f"« {value} » n'est pas un nombre entier")
    return number


def to_number_or_text(value: object) -> object:
    """Validator for `valeur`: a number when the text reads as one, the text otherwise."""
    if isinstance(value, str):
        number = parse_number(value)
        return value if number is None or abs(number) >= MAX_NUMBER else number
    if isinstance(value, (list, dict)):
        raise _error("type_valeur", "un nombre ou un texte est attendu, pas une liste ni une table")
    return value


_BOOLEANS = {"true": True, "oui": True, "false": False, "non": False}


def to_boolean(value: object) -> object:
    """Validator: true/false/oui/non (any case) to a boolean."""
    if isinstance(value, str):
        key = value.strip().lower()
        if key in _BOOLEANS:
            return _BOOLEANS[key]
        raise _error("booleen", f"« {value} » n'est pas oui ou non", hint="Écrivez oui ou non.")
    return value


def to_version(value: object) -> int:
    """Validator of `essaimage:`: only format version 1 exists."""
    if isinstance(value, str) and parse_number(value) == 1:
        return 1
    shown = value if isinstance(value, str) else type(value).__name__
    raise _error(
        "version",
        f"version de format « {shown} » non prise en charge (seule la version 1 existe)",
        hint="Écrivez « essaimage: 1 » en première ligne.",
    )


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_YEAR = re.compile(r"\d{4}")


def _parse_date(text: str, year_allowed: bool) -> dt.date | int:
    s = text.strip()
    shaped = (year_allowed and _YEAR.fullmatch(s)) or _DATE.fullmatch(s)
    if shaped and not FIRST_YEAR <= int(s[:4]) <= LAST_YEAR:
        raise _error(
            "date", f"« {text} » a une année hors des bornes (de {FIRST_YEAR} à {LAST_YEAR})"
        )
    if year_allowed and _YEAR.fullmatch(s):
        return int(s)
    if _DATE.fullmatch(s):
        try:
            return dt.date.fromisoformat(s)
        except ValueError:
            raise _error("date", f"« {text} » n'est pas une date qui existe") from None
    expected = "AAAA-MM-JJ ou AAAA" if year_allowed else "AAAA-MM-JJ"
    raise _error(
        "date",
        f"« {text} » n'est pas une date au format {expected}",
        hint="Par exemple 2027-03-01" + (" ou 2014." if year_allowed else "."),
    )


def to_date(value: object) -> object:
    """Validator: `AAAA-MM-JJ` to a date."""
    return _parse_date(value, False) if isinstance(value, str) else value


def to_year_or_date(value: object) -> object:
    """Validator: `AAAA` to a year (int) or `AAAA-MM-JJ` to a date."""
    return _parse_date(value, True) if isinstance(value, str) else value


def to_link(value: object) -> object:
    """Validator: an http(s) URL, nothing else (no `javascript:`, no relative path)."""
    if not isinstance(value, str):
        return value
    s = value.strip()
    try:
        parts = urlsplit(s)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https"):
        raise _error(
            "lien",
            f"« {value} » n'est pas un lien http:// ou https://",
            hint="Seuls les liens web commençant par https:// (ou http://) sont acceptés.",
        )
    if (
        not parts.hostname
        or not is_web_link(s)  # the link policy of every output (links.py), read as browsers do
        or not s.isprintable()  # also every space but U+0020
        or " " in s
        or not _NOT_IN_LINK.isdisjoint(s)
    ):
        raise _error(
            "lien",
            f"« {value} » n'est pas un lien web valide",
            hint='Un lien ne contient ni espace ni aucun de ces caractères : " < > \\ ^ ` { | }',
        )
    return s


_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


# What a YAML file must contain for one of its texts to hold a refused character: libyaml
# refuses the other controls written as they are, so only a backslash escape (in a double-quoted
# scalar), a raw NEL or a raw bidirectional control can bring one.
_MAY_BRING_CONTROLS = ("\\", "\x85", *sorted(_BIDI_CONTROLS))


def may_hold_controls(file_text: str) -> bool:
    """Whether a loaded YAML file may hold a text that `to_text` refuses (a dozen substring
    searches in C; false for nearly every file, whose texts then need no check one by one)."""
    return any(sign in file_text for sign in _MAY_BRING_CONTROLS)


def _printable_lines(text: str) -> bool:
    """True when the text has nothing but printable characters, line breaks and tabs (checked
    in C; the character-by-character walk is left for texts with something else)."""
    return (
        text.isprintable()
        or text.replace("\n", "").replace("\t", "").replace("\r", "").isprintable()
    )


def to_text(value: object) -> object:
    """Validator of every text: no control character (a kit could not show it, a report would
    carry it raw) nor bidirectional override (it reorders what a reader sees); line breaks and
    tabs stay."""
    if isinstance(value, str) and not _printable_lines(value):
        for c in value:
            invisible = unicodedata.category(c) in ("Cc", "Cs") or c in _BIDI_CONTROLS
            if c not in "\n\r\t" and invisible:
                raise _error(
                    "controle",
                    f"le texte contient un caractère de contrôle invisible (U+{ord(c):04X})",
                    hint="Retirez ce caractère (souvent collé depuis un autre document).",
                )
    return value


def _is_email(text: str) -> bool:
    """`nom@domaine.tld`: one @, no forbidden character, a top-level domain of 2+ letters."""
    local, at, domain = text.partition("@")
    if not (at and local and domain) or "@" in domain:
        return False
    if any(c in _NOT_IN_EMAIL or not c.isprintable() for c in text):
        return False
    host, dot, tld = domain.rpartition(".")
    labels = host.split(".") if host else []
    return bool(dot) and len(tld) >= 2 and tld.isalpha() and all(labels) and bool(labels)


def to_email(value: object) -> object:
    """Validator: an e-mail address of the usual shape."""
    if isinstance(value, str) and not _is_email(value.strip()):
        raise _error(
            "courriel",
            f"« {value} » n'est pas une adresse électronique valide",
            hint="Par exemple prenom.nom@mairie.fr.",
        )
    return value.strip() if isinstance(value, str) else value


def to_slug(value: object) -> object:
    """Validator: an identifier `[a-z0-9]+(-[a-z0-9]+)*`."""
    if isinstance(value, str) and not SLUG.fullmatch(value):
        suggestion = slugify(value)
        hint = f"Par exemple « {suggestion} »." if suggestion else None
        raise _error(
            "slug",
            f"« {value} » n'est pas un identifiant valide (lettres minuscules sans accent, "
            "chiffres et tirets)",
            hint=hint,
        )
    return value


def one_of(*allowed: str) -> Callable[[object], object]:
    """Validator factory for an enumerated value, with a "did you mean" suggestion."""

    canonical = {_enum_form(value): value for value in allowed}

    def check(value: object) -> object:
        if isinstance(value, str) and value not in allowed:
            # « Commune », « généralisée », « appel à projets » mean what they say: accepted.
            if _enum_form(value) in canonical:
                return canonical[_enum_form(value)]
            listed = ", ".join(allowed)
            close = suggest(value, allowed)
            message = f"« {value} » n'est pas une valeur permise (valeurs permises : {listed})"
            if close:
                message += f" ; vouliez-vous dire « {close} » ?"
            raise _error("choix", message)
        return value

    return check


def _enum_form(value: str) -> str:
    """An enumerated value as people type it, folded: no accents or capitals, spaces and
    underscores as hyphens, the typographic apostrophe as `'`."""
    folded = fold_accents(value.strip()).lower().replace("’", "'")
    return "-".join(folded.replace("_", " ").split())


# --- the `par` base --------------------------------------------------------------------------


Unite = Literal["site", "habitant", "beneficiaire"]


@dataclass(frozen=True)
class Base:
    """What a quantity is counted per: N sites (1 by default), N inhabitants or N beneficiaries."""

    unite: Unite
    n: int | float = 1

    @property
    def par_site(self) -> bool:
        """True when the quantity is counted per site (or per N sites)."""
        return self.unite == "site"


# The unit words of `par`, accents and case folded, longest first.
_UNITS: tuple[tuple[str, Unite], ...] = (
    ("sites", "site"),
    ("site", "site"),
    ("habitants", "habitant"),
    ("habitant", "habitant"),
    ("beneficiaires", "beneficiaire"),
    ("beneficiaire", "beneficiaire"),
)
_NUMBER_CHARS = frozenset("0123456789.," + _SPACES)


def to_base(value: object) -> object:
    """Validator of `par`: `[N] site(s)`, `[N] habitant(s)` or `[N] beneficiaire(s)`."""
    if isinstance(value, Base) or not isinstance(value, str):
        return value
    s = value.strip()
    if s.lower() == "site":
        return Base("site")
    # Read without a regular expression: linear whatever the text (no backtracking).
    folded = fold_accents(s).lower()
    for word, unite in _UNITS:
        if folded.endswith(word):
            count = folded[: len(folded) - len(word)].strip(_SPACES + "\t")
            if all(c in _NUMBER_CHARS for c in count):
                thousands = _thousands(count) if count else None
                if thousands is not None:  # « 10.000 habitants »: ten thousand, not ten
                    raise _thousands_error(count, *thousands, _as_read(count))
                n = parse_number(count) if count else 1
                if n is not None and n > 0:
                    return Base(unite, n)
            break
    raise _error(
        "base",
        f"« {value} » n'est pas une base de calcul valide",
        hint="Écrivez « site », « 10 sites », « 200 bénéficiaires » ou « 10 000 habitants ».",
    )
