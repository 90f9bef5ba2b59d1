"""Scalars read the French way, and the models built from them."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from essaimage.format import scalars
from essaimage.format.models import Innovation, MoyenFinancier, Prerequis
from essaimage.format.scalars import Base
from essaimage.text import words


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1500", 1500),
        ("1 500", 1500),
        ("1\u00a0500", 1500),
        ("1\u202f500", 1500),
        ("10 000", 10000),
        ("0,5", 0.5),
        ("0.5", 0.5),
        ("-3", -3),
        ("1 234 567,25", 1234567.25),
        (",5", 0.5),
    ],
)
def test_french_numbers(text, value):
    assert scalars.parse_number(text) == value


@pytest.mark.parametrize("text", ["1e5", "inf", "nan", "12 34", "1,500.5", "un", "", "1 5000"])
def test_not_numbers(text):
    assert scalars.parse_number(text) is None


@pytest.mark.parametrize(
    ("text", "base"),
    [
        ("site", Base("site")),
        ("Site", Base("site")),
        ("habitant", Base("habitant", 1)),
        ("10000 habitants", Base("habitant", 10000)),
        ("10 000 habitants", Base("habitant", 10000)),
        ("8 beneficiaires", Base("beneficiaire", 8)),
        ("200 bénéficiaires", Base("beneficiaire", 200)),
        ("bénéficiaire", Base("beneficiaire", 1)),
    ],
)
def test_par_grammar(text, base):
    assert scalars.to_base(text) == base


@pytest.mark.parametrize(
    "text", ["10 usagers", "0 habitants", "par site", "habitants 100", "-5 habitants"]
)
def test_par_grammar_rejects(text):
    with pytest.raises(Exception, match="base de calcul"):
        scalars.to_base(text)


def test_booleans_and_dates():
    assert scalars.to_boolean("Oui") is True
    assert scalars.to_boolean("false") is False
    assert scalars.to_year_or_date("2014") == 2014
    assert scalars.to_year_or_date("2014-03-01") == dt.date(2014, 3, 1)


def test_periodicity_defaults_by_nature():
    invest = MoyenFinancier.model_validate(
        {"poste": "p", "montant": "10", "nature": "investissement"}
    )
    fonct = MoyenFinancier.model_validate(
        {"poste": "p", "montant": "10", "nature": "fonctionnement"}
    )
    assert (invest.periodicite, fonct.periodicite) == ("unique", "annuel")


def test_prerequisite_bounds_must_be_ordered():
    with pytest.raises(ValidationError):
        Prerequis.model_validate(
            {"description": "d", "population_min": "10", "population_max": "5"}
        )


def test_slugify_is_safe_for_any_name():
    assert words.slugify("Saint-Étienne") == "saint-etienne"
    assert words.slugify("../../etc/passwd") == "etc-passwd"
    assert words.slugify("Œuvre & co") == "oeuvre-co"
    assert words.slugify("???") == ""


def test_minimal_descriptor_written_by_hand_validates():
    data = {
        "essaimage": "1",
        "id": "atelier-velo",
        "nom": "Atelier vélo",
        "accroche": "Un atelier où chacun répare son vélo.",
        "origine": {"territoire": {"nom": "Grenoble"}, "porteur": {"nom": "Asso"}},
        "probleme": "p",
        "solution": "s",
        "coeur": [{"id": "a", "titre": "t"}],
        "marges": [],
        "moyens": {"humains": [{"role": "r", "etp": "0,5", "par": "8 beneficiaires"}]},
    }
    model = Innovation.model_validate(data)
    assert model.moyens.humains[0].etp == 0.5
    assert model.moyens.humains[0].par == Base("beneficiaire", 8)
