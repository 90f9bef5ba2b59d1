"""French formatting of numbers, amounts and dates, as kits print them."""

from __future__ import annotations

import datetime as dt

from essaimage import french


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
