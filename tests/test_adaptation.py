"""Marge choices that change the means: options with `ajoute` and `retire`."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES
from essaimage.adaptation import apply_choices
from essaimage.models import Marge
from essaimage.pipeline import check_file

CANTINE = check_file(EXAMPLES / "innovations" / "cantine-bio-regie-agricole.yaml").model
REGIE = [
    "Agriculteur ou maraîcher de la régie agricole",
    "Aménagement de la régie agricole (irrigation, serre, matériel)",
    "Fonctionnement de la régie agricole (semences, énergie, entretien)",
    "Terres agricoles cultivables (hectares)",
]


def labels(moyens):
    return (
        [h.role for h in moyens.humains]
        + [f.poste for f in moyens.financiers]
        + [m.element for m in moyens.materiels]
    )


def test_a_text_option_changes_nothing():
    moyens, changes = apply_choices(CANTINE, {"production": "régie agricole municipale"})
    assert moyens is CANTINE.moyens and changes == []


def test_the_shared_vegetable_unit_replaces_the_farm():
    """Redon's « légumerie partagée » no longer costs a régie agricole (issue 9)."""
    moyens, [change] = apply_choices(CANTINE, {"production": "Légumerie partagée entre communes"})
    assert not set(REGIE) & set(labels(moyens))
    assert "Agent de la légumerie partagée (quote-part de la commune)" in labels(moyens)
    assert "Quote-part de l'équipement de la légumerie partagée" in labels(moyens)
    assert change.retire == REGIE and change.marge == "Origine des légumes"
    assert change.option == "légumerie partagée entre communes"
    assert CANTINE.moyens.humains[1].role == REGIE[0]  # the descriptor is untouched


def test_an_added_role_takes_the_cost_written_with_the_option():
    marge = Marge.model_validate(
        {
            "id": "m",
            "titre": "M",
            "options": [
                {
                    "option": "avec renfort",
                    "ajoute": {"cout_etp_annuel": 30_000, "humains": [{"role": "R", "etp": 1}]},
                }
            ],
        }
    )
    innovation = CANTINE.model_copy(update={"marges": [marge]})
    moyens, _ = apply_choices(innovation, {"m": "avec renfort"})
    assert moyens.humains[-1].role == "R" and moyens.humains[-1].cout_annuel == 30_000


@pytest.mark.parametrize(
    ("choice", "names"),
    [
        ("recyclerie", ["recyclerie"]),
        ("recyclerie et mobilité solidaire", ["recyclerie", "mobilité solidaire"]),
        ("Recyclerie, maraîchage + conciergerie", ["recyclerie", "maraîchage", "conciergerie"]),
        ("recyclerie / recyclerie", ["recyclerie"]),
        ("recyclerie et garage", None),
        ("", None),
    ],
)
def test_a_choice_may_name_several_options(choice, names):
    marge = Marge(
        id="activites",
        titre="Activités",
        options=["recyclerie", "maraîchage", "conciergerie", "mobilité solidaire"],
    )
    chosen = marge.chosen(choice)
    assert (chosen if chosen is None else list(chosen)) == names
