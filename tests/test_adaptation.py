"""Marge choices that change the means: options with `ajoute` and `retire`."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES
from essaimage.check.pipeline import check_file
from essaimage.format.models import Marge
from essaimage.kit.choices import apply_choices

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
    done = apply_choices(CANTINE, {"production": "régie agricole municipale"})
    assert done.moyens is CANTINE.moyens and done.changements == []


def test_the_shared_vegetable_unit_replaces_the_farm():
    """Redon's « légumerie partagée » no longer costs a régie agricole (issue 9)."""
    done = apply_choices(CANTINE, {"production": "Légumerie partagée entre communes"})
    moyens, [change] = done.moyens, done.changements
    assert not set(REGIE) & set(labels(moyens))
    assert "Agent de la légumerie partagée (quote-part de la commune)" in labels(moyens)
    assert "Quote-part de l'équipement de la légumerie partagée" in labels(moyens)
    assert change.retire == REGIE and change.marge == "Origine des légumes"
    assert change.option == "légumerie partagée entre communes"
    assert CANTINE.moyens.humains[1].role == REGIE[0]  # the descriptor is untouched


def test_an_option_adds_only_lines_of_means(tmp_path):
    """v1.2 correction 9: `ajoute.delai_lancement_mois: 48` validated and did nothing; any key
    but humains, financiers, materiels and partenaires is now an error at its line."""
    text = (EXAMPLES / "innovations" / "pedibus.yaml").read_text(encoding="utf-8")
    anchor = "        ajoute:\n"
    assert anchor in text
    path = tmp_path / "pedibus.yaml"
    path.write_text(
        text.replace(anchor, anchor + "          delai_lancement_mois: 48\n", 1), "utf-8"
    )
    checked = check_file(path)
    [error] = [f for f in checked.findings if f.code == "S102"]
    line = text[: text.index(anchor)].count("\n") + 2
    assert error.line == line and error.path.endswith("ajoute.delai_lancement_mois")


def _lieu(innovation):
    """A France Services-like marge: a fixed space pays a rent, a bus is bought and run."""
    marge = Marge.model_validate(
        {
            "id": "lieu",
            "titre": "Le lieu d'accueil",
            "options": [
                {
                    "option": "espace fixe",
                    "ajoute": {
                        "financiers": [
                            {"poste": "Loyer", "montant": 1_000, "nature": "fonctionnement",
                             "periodicite": "mensuel"}
                        ]
                    },
                },
                {
                    "option": "bus itinérant",
                    "ajoute": {
                        "financiers": [
                            {"poste": "Bus aménagé", "montant": 150_000,
                             "nature": "investissement"}
                        ]
                    },
                    "retire": ["Signalétique des arrêts (panneaux, marquage)"],
                },
            ],
        }
    )  # fmt: skip
    return innovation.model_copy(update={"marges": [marge]})


def test_a_choice_by_sites_applies_each_option_to_its_own_sites():
    """« 5 espaces fixes et 1 bus » for a département of 6 sites: one bus (150 000 €), not six
    (900 000 €), and the rent of five spaces; the bus site keeps no signage."""
    from essaimage.format.models import ChoixSites
    from essaimage.kit import means as scaling

    pedibus = _lieu(check_file(EXAMPLES / "innovations" / "pedibus.yaml").model)
    choice = [
        ChoixSites(option="espace fixe", sites=5),
        ChoixSites(option="bus itinérant", sites=1),
    ]
    done = apply_choices(pedibus, {"lieu": choice}, 6)
    scaled = scaling.compute(done.moyens, scaling.Effectifs(60_000, 240, 6), done.sites_par_ligne)
    by_name = {line.libelle: line for line in scaled.financiers}
    assert by_name["Loyer"].quantite == 1_000 * 5
    assert by_name["Loyer"].calcul.endswith("(pour 5 des 6 sites)")
    assert by_name["Bus aménagé"].quantite == 150_000
    signage = by_name["Signalétique des arrêts (panneaux, marquage)"]
    assert signage.quantite == 1_500 * 5  # 1 500 € per site, the bus site aside
    assert [c.sites for c in done.changements] == [5, 1]


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
