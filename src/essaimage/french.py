"""French formatting of numbers, amounts, durations and dates, as kits print them.

Thousands are separated by a narrow no-break space (U+202F), decimals by a comma, and a unit
follows its number after a no-break space (U+00A0): `1 500 €`, `0,5 ETP`, `mars 2027`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
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


def etp(value: float | int) -> str:
    """Full-time equivalents: `0,5 ETP`."""
    return nombre(value, 2) + NBSP + "ETP"


def mois(value: float | int) -> str:
    """A duration in months: `1 mois`, `2,5 mois`."""
    return nombre(value, 1) + NBSP + "mois"


def mois_annee(value: dt.date) -> str:
    """`mars 2027`."""
    return f"{MOIS[value.month - 1]} {value.year}"


def date_longue(value: dt.date) -> str:
    """`1er mars 2027`, `26 novembre 2026`."""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {mois_annee(value)}"


def annee_ou_date(value: dt.date | int) -> str:
    """A bare year as it is, a date in full."""
    return str(value) if isinstance(value, int) else date_longue(value)


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


def pluriel(count: float | int, singular: str, plural: str | None = None) -> str:
    """The word that agrees with `count` in French (1,5 is singular, 2 plural)."""
    return singular if abs(count) < 2 else (plural or singular + "s")
