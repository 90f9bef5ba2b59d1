"""The editor's fields (essaimage.editor.fields): every file's data as a form and back unchanged,
the edits and actions of the form, files with errors, and findings placed on their fields."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from essaimage.check.loader import load_bytes
from essaimage.check.pipeline import check_file
from essaimage.commands.init import skeleton_text
from essaimage.editor.fields import (
    KINDS,
    SCALAR_KINDS,
    ActionRefused,
    Node,
    apply_action,
    data_from_form,
    field_for_finding,
    form_tree,
    model_for,
    name_of,
    path_of,
)
from essaimage.format import models
from helpers import EXAMPLES, FIXTURES

NBSP = "\u00a0"
FILES = sorted(EXAMPLES.rglob("*.yaml")) + sorted((FIXTURES / "valides").rglob("*.y*ml"))
SKELETONS = {
    kind: skeleton_text(
        Path(f"{kind}-exemple.yaml"), Path("essaimage.schema.json"), kind, "pedibus"
    )
    for kind in ("innovation", "territoire", "plan")
}

SMALL = """\
essaimage: 1
id: atelier-velo
nom: Atelier vélo
accroche: Un atelier pour réparer son vélo soi-même.
origine:
  territoire:
    nom: Rennes
    code_insee:
  porteur:
    nom: La Petite Rennes
probleme: |
  Ligne 1.
  Ligne 2.
solution: Réparer ensemble.
coeur:
  - id: autonomie
    titre: On répare soi-même
marges: []
moyens:
  humains:
    - role: Animateur
      etp: 0,5
      souvent_en_place: true
    - role: Bénévole
      etp: 0,1
      competences: [mécanique, accueil]
regles:
  D104: ignorer
"""

PROFILE = """\
essaimage: 1
territoire:
  nom: Lannion
projets:
  pedibus:
    debut: 2027-03-01
    choix:
      frequence: matins et soirs
      animation:
        - option: centre social
          sites: 2
"""


def load(text: str) -> Any:
    """A file's data as the loader gives it."""
    document = load_bytes(text.encode("utf-8"), "essai.yaml").document
    assert document is not None
    return document.data


def walk(node: Node) -> Iterator[Node]:
    """The node and every node below it."""
    yield node
    for child in node.children:
        yield from walk(child)


def untouched_form(root: Node) -> dict[str, str]:
    """The form a browser sends when nothing is changed: every scalar node's text."""
    return {n.name: n.value or "" for n in walk(root) if n.kind in SCALAR_KINDS and n.name}


def scalars_of(data: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple, str]]:
    """Every text of the data, with its path."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from scalars_of(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from scalars_of(value, (*path, index))
    elif isinstance(data, str):
        yield path, data


def tree_of(
    text: str, model: type | None = None, path: Path | None = None
) -> tuple[Any, Any, Node]:
    data = load(text)
    model = model or model_for(data, path)
    return data, model, form_tree(data, model)


def by_name(root: Node) -> dict[str, Node]:
    return {n.name: n for n in walk(root)}


# --- every file, opened and saved unchanged ------------------------------------------------


def _texts() -> list[Any]:
    cases = [
        pytest.param(p.read_text("utf-8"), p, id=str(p.relative_to(p.parents[2]))) for p in FILES
    ]
    cases += [pytest.param(text, None, id=f"squelette-{kind}") for kind, text in SKELETONS.items()]
    return cases


@pytest.mark.parametrize(("text", "path"), _texts())
def test_every_file_opens_and_saves_unchanged(text: str, path: Path | None) -> None:
    data, model, root = tree_of(text, path=path)
    nodes = by_name(root)
    values = {n.path: n.value for n in nodes.values() if n.kind in SCALAR_KINDS}
    for where, value in scalars_of(data):
        # a one_or_many single text shows as the first item of its list
        assert values.get(where, values.get((*where, 0))) == value, where
    assert not any(n.unknown for n in nodes.values())
    assert data_from_form(data, model, untouched_form(root)) == data


@pytest.mark.parametrize(("text", "path"), _texts())
def test_every_node_has_a_french_title(text: str, path: Path | None) -> None:
    _, _, root = tree_of(text, path=path)
    for node in walk(root):
        assert node.kind in KINDS
        assert node.title.strip(), node.name
        assert node.name == name_of(node.path)
        if node.kind in ("liste", "table"):
            assert node.item_title, node.name
        if node.kind in ("oui_non", "choix"):
            assert node.choices
        if node.kind == "groupe":  # every model field has its own French title
            for child in node.children:
                assert child.unknown or child.title != child.path[-1], child.name


def test_every_kind_is_met_in_the_examples() -> None:
    kinds = set()
    for path in FILES:
        data = load(path.read_text("utf-8"))
        kinds |= {n.kind for n in walk(form_tree(data, model_for(data, path)))}
    assert kinds == KINDS


def test_model_for() -> None:
    assert model_for(load(SMALL), Path("a.yaml")) is models.Innovation
    assert model_for(load(PROFILE), None) is models.Profil
    assert model_for({"essaimage": "1", "plan": {}}, None) is models.FichierPlan
    assert model_for({"essaimage": "1"}, Path("depot/essaimage.yaml")) is models.Configuration
    assert model_for(None, None) is models.Innovation


# --- the tree ------------------------------------------------------------------------------


def test_nodes_of_a_descriptor() -> None:
    _, _, root = tree_of(SMALL)
    nodes = by_name(root)
    assert root.name == "" and root.kind == "groupe" and root.title == "Descripteur d'innovation"
    assert [c.name for c in root.children] == list(models.Innovation.model_fields)
    role = nodes["moyens.humains.0.role"]
    assert (role.path, role.title, role.kind, role.value, role.required) == (
        ("moyens", "humains", 0, "role"), "Rôle", "texte", "Animateur", True,
    )  # fmt: skip
    humains = nodes["moyens.humains"]
    assert (humains.kind, humains.item_title) == ("liste", "Moyen humain")
    assert [c.title for c in humains.children] == ["Moyen humain 1", "Moyen humain 2"]
    assert nodes["moyens.humains.0.etp"].kind == "nombre"
    assert nodes["moyens.humains.0.etp"].example == "0,5"
    assert nodes["moyens.humains.0.souvent_en_place"].choices == (("oui", "oui"), ("non", "non"))
    assert nodes["moyens.humains.0.par"].kind == "base"
    assert ("etat", "État") in nodes["origine.porteur.type"].choices  # absent, with its labels
    assert nodes["origine.territoire.code_insee"].value is None  # null in the file
    assert nodes["mode_degrade.moyens.delai_lancement_mois"].value is None  # absent groups show
    regle = nodes["regles.D104"]
    assert (regle.kind, regle.value, regle.title) == ("choix", "ignorer", "D104")
    assert nodes["regles"].item_title == "Règle"
    assert nodes["probleme"].kind == "markdown" and nodes["licence"].kind == "licence"


def test_unions_follow_the_data() -> None:
    data = load((EXAMPLES / "innovations" / "pedibus.yaml").read_text("utf-8"))
    nodes = by_name(form_tree(data, models.Innovation))
    options = nodes["marges.1.options"]
    assert options.item_title == "Option de marge"
    assert [c.kind for c in options.children] == ["groupe", "texte", "texte"]
    assert nodes["marges.0.options.0"].value == "tous les matins seulement"
    assert nodes["resultats.0.valeur"].kind == "texte"  # nombre ou texte
    assert nodes["resultats.0.date"].kind == "annee_ou_date"
    _, _, root = tree_of(PROFILE)
    nodes = by_name(root)
    assert nodes["projets"].kind == "table" and nodes["projets"].item_title == "Projet"
    assert nodes["projets.pedibus.choix.frequence"].kind == "texte"
    assert nodes["projets.pedibus.choix.animation"].kind == "liste"
    assert nodes["projets.pedibus.choix.animation.0.sites"].value == "2"


def test_one_or_many_single_text_is_a_one_item_list() -> None:
    data = {"essaimage": "1", "innovations": "descripteurs", "exclure": ["a", "b"]}
    nodes = by_name(form_tree(data, models.Configuration))
    assert nodes["innovations"].kind == "liste"
    assert [(c.name, c.value) for c in nodes["innovations"].children] == [
        ("innovations.0", "descripteurs")
    ]
    assert nodes["territoires"].children == ()  # absent: an empty list to fill
    form = {"innovations.0": "descripteurs\r\n"}
    assert data_from_form(data, models.Configuration, form) == data
    changed = data_from_form(data, models.Configuration, {"innovations.0": "fiches"})
    assert changed["innovations"] == "fiches"
    added, focus = apply_action(data, models.Configuration, "ajouter:innovations", {})
    assert (added["innovations"], focus) == (["descripteurs", ""], "innovations.1")


def test_names_escape_dots_and_tildes() -> None:
    path = ("regles_par_chemin", 0, "a.b~c", "d")
    assert name_of(path) == "regles_par_chemin.0.a~1b~0c.d"
    assert path_of(name_of(path)) == path
    assert path_of("") == () and name_of(()) == ""
    data = load(SMALL + "  X.1~2: ignorer\n")
    nodes = by_name(form_tree(data, models.Innovation))
    assert nodes["regles.X~11~02"].path == ("regles", "X.1~2")


# --- edits ---------------------------------------------------------------------------------


def edited(text: str, **changes: str) -> tuple[Any, Any]:
    """The data before and after a form where the fields named (`__` for `.`) are changed."""
    data, model, root = tree_of(text)
    form = untouched_form(root)
    form.update({name.replace("__", "."): value for name, value in changes.items()})
    return data, data_from_form(data, model, form)


def test_a_changed_value() -> None:
    before, after = edited(SMALL, moyens__humains__0__role="Animatrice", nom="  Atelier vélo  ")
    assert after["moyens"]["humains"][0]["role"] == "Animatrice"
    after["moyens"]["humains"][0]["role"] = "Animateur"
    assert after == before  # nothing else changed, the name kept as it was
    assert before["moyens"]["humains"][0]["role"] == "Animateur"  # a copy


def test_an_emptied_optional_value_removes_its_key() -> None:
    _, after = edited(SMALL, moyens__humains__0__souvent_en_place="", regles__D104="")
    assert "souvent_en_place" not in after["moyens"]["humains"][0]
    assert after["regles"] == {}


def test_a_filled_absent_field_goes_in_the_models_order() -> None:
    before, after = edited(
        SMALL, maturite="prototype", mode_degrade__description="Un seul atelier."
    )
    keys = list(after)
    assert keys.index("maturite") == keys.index("accroche") + 1
    assert keys.index("mode_degrade") == keys.index("marges") + 1
    assert after["mode_degrade"] == {"description": "Un seul atelier."}
    assert [k for k in keys if k not in ("maturite", "mode_degrade")] == list(before)


def test_absent_fields_left_empty_are_not_created() -> None:
    before, after = edited(SMALL, dimensionnement__sites_max="", cadre_juridique__description=" ")
    assert after == before


def test_a_null_left_empty_stays_null() -> None:
    _, after = edited(SMALL, origine__territoire__code_insee="")
    assert "code_insee" in after["origine"]["territoire"]
    assert after["origine"]["territoire"]["code_insee"] is None


@pytest.mark.parametrize(("typed", "kept"), [("oui", "true"), ("OUI", "true"), ("non", "non")])
def test_yes_or_no_meaning_the_same_keeps_the_files_text(typed: str, kept: str) -> None:
    _, after = edited(SMALL, moyens__humains__0__souvent_en_place=typed)
    assert after["moyens"]["humains"][0]["souvent_en_place"] == kept


def test_markdown_line_endings() -> None:
    before, after = edited(SMALL, probleme="Ligne 1.\r\nLigne 2.\r\n")
    assert after == before
    _, after = edited(SMALL, probleme="\r\nLigne 1.\r\nLigne 3.")
    assert after["probleme"] == "Ligne 1.\nLigne 3.\n"  # the block keeps its final line break


def test_an_emptied_text_item_stays_until_removed() -> None:
    _, after = edited(SMALL, moyens__humains__1__competences__0="")
    assert after["moyens"]["humains"][1]["competences"] == ["", "accueil"]


def test_names_not_in_the_tree_are_ignored() -> None:
    before, after = edited(SMALL, inconnu="x", moyens__humains__7__role="y", **{"": "z"})
    assert after == before


# --- actions -------------------------------------------------------------------------------


def act(text: str, action: str, **form: str) -> tuple[Any, str]:
    data, model, root = tree_of(text)
    full = untouched_form(root)
    full.update({name.replace("__", "."): value for name, value in form.items()})
    return apply_action(data, model, action, full)


def test_add_remove_and_move_groups() -> None:
    data, focus = act(SMALL, "ajouter:moyens.humains")
    assert (data["moyens"]["humains"][2], focus) == ({}, "moyens.humains.2")
    data, focus = act(SMALL, "retirer:moyens.humains.0")
    assert ([h["role"] for h in data["moyens"]["humains"]], focus) == (
        ["Bénévole"],
        "moyens.humains",
    )
    data, focus = act(SMALL, "monter:moyens.humains.1")
    assert ([h["role"] for h in data["moyens"]["humains"]], focus) == (
        ["Bénévole", "Animateur"], "moyens.humains.0",
    )  # fmt: skip
    data, focus = act(SMALL, "descendre:moyens.humains.0", moyens__humains__0__role="Chef")
    assert [h["role"] for h in data["moyens"]["humains"]] == ["Bénévole", "Chef"]  # typed, kept
    assert focus == "moyens.humains.1"


def test_add_remove_and_move_texts() -> None:
    data, focus = act(SMALL, "ajouter:moyens.humains.1.competences")
    assert data["moyens"]["humains"][1]["competences"] == ["mécanique", "accueil", ""]
    assert focus == "moyens.humains.1.competences.2"
    data, _ = act(SMALL, "retirer:moyens.humains.1.competences.0")
    assert data["moyens"]["humains"][1]["competences"] == ["accueil"]
    data, _ = act(SMALL, "descendre:moyens.humains.1.competences.0")
    assert data["moyens"]["humains"][1]["competences"] == ["accueil", "mécanique"]


def test_add_to_an_absent_list_creates_it_in_order() -> None:
    data, focus = act(SMALL, "ajouter:etapes")
    keys = list(data)
    assert data["etapes"] == [{}] and focus == "etapes.0"
    assert keys.index("etapes") == keys.index("moyens") + 1
    data, _ = act(SMALL, "ajouter:public_cible")
    assert data["public_cible"] == [""]
    data, focus = act(SMALL, "ajouter:mode_degrade.moyens.humains")
    assert data["mode_degrade"] == {"moyens": {"humains": [{}]}}


def test_add_an_option_to_a_marge() -> None:
    text = (EXAMPLES / "innovations" / "pedibus.yaml").read_text("utf-8")
    data, _ = act(text, "ajouter:marges.0.options")  # only texts: a text
    assert data["marges"][0]["options"][-1] == ""
    data, _ = act(text, "ajouter:marges.1.options")  # texts and options with means: a text still
    assert data["marges"][1]["options"][-1] == ""
    data, focus = act(text, "ajouter-groupe:marges.1.options")  # a group when asked
    assert data["marges"][1]["options"][-1] == {}
    assert focus == f"marges.1.options.{len(data['marges'][1]['options']) - 1}"
    data, _ = act(text, "ajouter-groupe:marges.0.options")  # in a list of texts only, too
    assert data["marges"][0]["options"][-1] == {}
    nodes = by_name(form_tree(load(text), models.Innovation))
    assert nodes["marges.1.options"].group_item and not nodes["moyens.humains"].group_item


def test_table_entries() -> None:
    data, focus = act(SMALL, "ajouter:regles", **{"regles.+": " D105 "})
    assert (data["regles"], focus) == ({"D104": "ignorer", "D105": ""}, "regles.D105")
    data, focus = act(SMALL, "retirer:regles.D104")
    assert (data["regles"], focus) == ({}, "regles")
    data, focus = act(PROFILE, "ajouter:projets", **{"projets.+": "repair-cafe"})
    assert data["projets"]["repair-cafe"] == {} and focus == "projets.repair-cafe"
    nodes = by_name(form_tree(data, models.Profil))
    assert nodes["projets.repair-cafe.debut"].value is None
    data, _ = act(PROFILE, "retirer:projets.pedibus")
    assert data["projets"] == {}


def test_remove_an_unknown_key() -> None:
    data, focus = act(SMALL + "remarque: à revoir\n", "retirer:remarque")
    assert "remarque" not in data and focus == ""


@pytest.mark.parametrize(
    ("action", "form", "message"),
    [
        ("ajouter:regles", {}, f"Indiquez la clé de la nouvelle entrée de «{NBSP}Niveaux des règles{NBSP}»."),
        ("ajouter:regles", {"regles.+": "D104"}, f"«{NBSP}Niveaux des règles{NBSP}» a déjà une entrée «{NBSP}D104{NBSP}»."),
        ("retirer:moyens.humains.5", {}, f"La liste «{NBSP}Moyens humains{NBSP}» n'a pas d'élément n°{NBSP}6."),
        ("monter:moyens.humains.0", {}, f"«{NBSP}Moyen humain 1{NBSP}» est déjà en tête de la liste."),
        ("descendre:moyens.humains.1", {}, f"«{NBSP}Moyen humain 2{NBSP}» est déjà en fin de la liste."),
        ("ajouter:nom", {}, f"«{NBSP}Nom{NBSP}» n'est ni une liste ni une table{NBSP}: rien à y ajouter."),
        ("ajouter-groupe:moyens.humains", {}, f"Les éléments de «{NBSP}Moyens humains{NBSP}» n'ont qu'une forme{NBSP}: choisissez «{NBSP}Ajouter{NBSP}»."),
        ("retirer:nom", {}, f"«{NBSP}Nom{NBSP}» ne se retire pas{NBSP}: seuls un élément de liste, une entrée de table ou une clé inconnue se retirent."),
        ("monter:regles.D104", {}, f"«{NBSP}D104{NBSP}» n'est pas un élément de liste{NBSP}: il ne se déplace pas."),
        ("retirer:pas.un.champ", {}, f"Le formulaire n'a pas de champ «{NBSP}pas.un.champ{NBSP}»."),
        ("sauter:nom", {}, f"Action inconnue{NBSP}: «{NBSP}sauter:nom{NBSP}»."),
        ("n'importe quoi", {}, f"Action inconnue{NBSP}: «{NBSP}n'importe quoi{NBSP}»."),
        ("", {}, f"Action inconnue{NBSP}: «{NBSP}{NBSP}»."),
    ],
)  # fmt: skip
def test_refused_actions(action: str, form: dict[str, str], message: str) -> None:
    data = load(SMALL)
    with pytest.raises(ActionRefused) as refused:
        apply_action(data, models.Innovation, action, form)
    assert refused.value.message == message == str(refused.value)


# --- files with errors ---------------------------------------------------------------------

BROKEN = {
    "nom-liste": SMALL.replace("nom: Atelier vélo", "nom: [a, b]"),
    "moyens-texte": SMALL.replace("moyens:\n  humains:", "moyens: texte\nmoyens_x:\n  humains:"),
    "humains-texte": SMALL.replace("moyens:\n  humains:\n", "moyens:\n  humains: texte\n  x:\n"),
    "cle-inconnue": SMALL + "remarques:\n  a: [1, {b: c}]\n  'd, e': ~\n",
    "liste-melangee": SMALL + "etapes:\n  - texte\n  - titre: Lancer\n  - [x, y]\n  -\n",
    "coeur-table": SMALL.replace("coeur:\n", "coeur: {a: b}\nc:\n"),
    "regles-liste": SMALL.replace("regles:\n  D104: ignorer\n", "regles: [D104]\n"),
    "groupe-nul": SMALL.replace("  porteur:\n    nom: La Petite Rennes\n", "  porteur:\n"),
    "texte-table": SMALL.replace("solution: Réparer ensemble.", "solution: {a: '1', b: ''}"),
    "competences-table": SMALL.replace("[mécanique, accueil]", "[mécanique, {a: b}]"),
    "profil": PROFILE + "    sites: [1]\n  repair-cafe: texte\n  autre:\n",
}


@pytest.mark.parametrize("text", BROKEN.values(), ids=BROKEN)
def test_files_with_errors_open_and_save_unchanged(text: str) -> None:
    data, model, root = tree_of(text)
    shown = [(n.path, n.value) for n in walk(root) if n.value is not None]
    for where, value in scalars_of(data):
        assert any(where[: len(p)] == p and value in v for p, v in shown), where
    assert data_from_form(data, model, untouched_form(root)) == data


def test_wrong_shapes_show_as_texts() -> None:
    nodes = by_name(tree_of(BROKEN["nom-liste"])[2])
    assert (nodes["nom"].kind, nodes["nom"].value) == ("texte", "[a, b]")
    nodes = by_name(tree_of(BROKEN["cle-inconnue"])[2])
    assert nodes["remarques"].unknown and nodes["remarques"].value == '{a: [1, {b: c}], "d, e": ~}'
    nodes = by_name(tree_of(BROKEN["liste-melangee"])[2])
    assert [c.kind for c in nodes["etapes"].children] == ["texte", "groupe", "texte", "groupe"]
    assert nodes["etapes.2"].value == "[x, y]"
    _, after = edited(BROKEN["nom-liste"], nom="Atelier")
    assert after["nom"] == "Atelier"
    _, after = edited(BROKEN["moyens-texte"], moyens="")
    assert "moyens" not in after


@pytest.mark.parametrize("data", [None, ["a", {"b": "c"}], "texte"])
def test_a_root_of_any_shape(data: Any) -> None:
    root = form_tree(data, models.Innovation)
    form = untouched_form(root)
    assert data_from_form(data, models.Innovation, form) == data
    if data is None:
        assert root.kind == "groupe"
        after = data_from_form(None, models.Innovation, {"id": "atelier"})
        assert after == {"id": "atelier"}
    else:
        assert (root.kind, root.children) == ("texte", ())


# --- findings to fields --------------------------------------------------------------------

PEDIBUS = EXAMPLES / "innovations" / "pedibus.yaml"
INJECTED = {
    "choix": (("maturite: generalisee", "maturite: mure"), "S103", "maturite"),
    "manquant": (
        ("    - role: Coordination du réseau de lignes\n      etp: 0,1\n", "    - role: Coordination du réseau de lignes\n"),
        "S101",
        "moyens.humains.0.etp",
    ),
    "nombre": (("      etp: 0,22", "      etp: beaucoup"), "S104", "moyens.humains.1.etp"),
    "inconnue": (("  porteur:\n    nom: Association", "  porteur:\n    nam: Association"), "S102", "origine.porteur.nam"),
}  # fmt: skip


@pytest.mark.parametrize(("change", "code", "name"), INJECTED.values(), ids=INJECTED)
def test_field_for_a_real_finding(change: tuple[str, str], code: str, name: str) -> None:
    text = PEDIBUS.read_text("utf-8")
    assert change[0] in text
    text = text.replace(*change)
    findings = [f for f in check_file(PEDIBUS, text.encode("utf-8")).findings if f.code == code]
    assert findings
    _, _, root = tree_of(text)
    assert {field_for_finding(root, f.path) for f in findings} == {name}


@pytest.mark.parametrize(
    ("json_path", "name"),
    [
        ("$", None),
        ("", None),
        ("$.projets.pedibus", "projets.pedibus"),
        ("projets.pedibus.choix.animation[0].sites", "projets.pedibus.choix.animation.0.sites"),
        ("$.projets['pedibus'].debut", "projets.pedibus.debut"),
        ("$['clé avec espace']", "clé avec espace"),
        ("a.b.c", "a~1b"),  # a key with a dot, then a path below a text
        ("projets.pedibus.choix.animation[7]", "projets.pedibus.choix.animation"),
        ("territoire.inconnu", "territoire"),
        ("nulle.part", None),
    ],
)
def test_field_for_a_path(json_path: str, name: str | None) -> None:
    _, _, root = tree_of(PROFILE + "clé avec espace: 1\na.b: 2\n")
    assert field_for_finding(root, json_path) == name
