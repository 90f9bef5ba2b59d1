"""`editor.yaml_edit.updated_text`: new data written into a file's text, every other byte kept."""

from __future__ import annotations

import copy
import difflib
import json
import time
from pathlib import Path
from typing import Any

import pytest

from essaimage.check.loader import load_bytes
from essaimage.commands.init import skeleton_text
from essaimage.editor.yaml_edit import updated_text
from helpers import EXAMPLES, FIXTURES, ROOT

hypothesis = pytest.importorskip("hypothesis", reason="hypothesis est dans les extras de test")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def _skeletons() -> dict[str, str]:
    schema = ROOT / "schema.json"
    return {
        f"squelette-{kind}": skeleton_text(
            Path(f"{kind}s/exemple-{kind}.yaml"), schema, kind, "pedibus"
        )
        for kind in ("innovation", "territoire", "plan")
    }


def _corpus() -> dict[str, str]:
    files = sorted(EXAMPLES.glob("**/*.yaml")) + sorted((FIXTURES / "valides").glob("**/*.yaml"))
    texts = {str(path.relative_to(ROOT)): path.read_text("utf-8") for path in files}
    texts.update(_skeletons())
    return texts


CORPUS = _corpus()
PEDIBUS = (EXAMPLES / "innovations" / "pedibus.yaml").read_text("utf-8")

SMALL = """\
# En-tête du fichier
essaimage: 1
id: exemple  # l'identifiant
secteurs: [mobilite, education]
table: {x: 1, y: deux}
texte: ancien
# avant le bloc
bloc:
  cle: valeur
  liste:
    - un
    - deux
fin: dernier
# fin du fichier
"""


def read(text: str) -> Any:
    loaded = load_bytes(text.encode("utf-8"), "essai.yaml")
    assert loaded.document is not None, loaded.findings
    return loaded.document.data


def comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


def changed_lines(original: str, result: str) -> set[int]:
    """The 1-based lines of `original` that `result` changes (a line inserted before line n
    counts as n)."""
    matcher = difflib.SequenceMatcher(
        None, original.splitlines(), result.splitlines(), autojunk=False
    )
    lines: set[int] = set()
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag != "equal":
            lines.update(range(i1 + 1, max(i2, i1 + 1) + 1))
    return lines


def edited(original: str, change) -> tuple[str, Any]:
    old = read(original)
    new = copy.deepcopy(old)
    change(new)
    result = updated_text(original, old, new)
    assert read(result) == new
    return result, new


def text_paths(data: Any, path: tuple = ()) -> list[tuple]:
    """The paths of the data's texts, in the file's order."""
    if isinstance(data, dict):
        return [p for key, value in data.items() for p in text_paths(value, (*path, key))]
    if isinstance(data, list):
        return [p for index, value in enumerate(data) for p in text_paths(value, (*path, index))]
    return [path] if isinstance(data, str) else []


def set_at(data: Any, path: tuple, value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def span(original: str, path: tuple) -> range:
    """The lines of the value at `path`: from its first line to the line before the next value
    or key that starts below it."""
    document = load_bytes(original.encode("utf-8"), "essai.yaml").document
    assert document is not None
    start = document.positions[path].line
    inside = [
        pos.line for p, pos in document.positions.items() if p[: len(path)] == path and p != path
    ]
    last = max([start, *inside])
    below = [
        pos.line
        for positions in (document.positions, document.key_positions)
        for p, pos in positions.items()
        if pos.line > last
    ]
    end = min(below) if below else len(original.splitlines()) + 1
    return range(start, end)


# --- nothing changed ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_no_change_gives_the_same_text(name):
    text = CORPUS[name]
    old = read(text)
    assert updated_text(text, old, old) == text
    assert updated_text(text, old, json.loads(json.dumps(old))) == text
    assert updated_text(text, old, copy.deepcopy(old)) == text


# --- one value changed, in every file ------------------------------------------------------------


@pytest.mark.parametrize("which", [0, -1])
@pytest.mark.parametrize("name", sorted(CORPUS))
def test_one_text_changed_touches_only_its_lines(name, which):
    original = CORPUS[name]
    path = text_paths(read(original))[which]
    result, _ = edited(original, lambda data: set_at(data, path, "valeur modifiée"))
    lines = span(original, path)
    assert changed_lines(original, result) <= set(lines) | {lines.stop - 1}
    assert changed_lines(original, result)
    kept = [line for number, line in enumerate(original.splitlines(), 1) if number not in lines]
    assert set(comments("\n".join(kept))) <= set(comments(result))


def test_a_text_continued_on_the_next_line_is_rewritten_only_when_changed():
    path = ("etapes", 3, "description")
    result, _ = edited(PEDIBUS, lambda data: set_at(data, ("etapes", 3, "titre"), "Essai"))
    assert "suit\n      le premier mois" in result  # ruamel would join it
    result, _ = edited(PEDIBUS, lambda data: set_at(data, path, "Un point le premier mois."))
    assert changed_lines(PEDIBUS, result) == set(span(PEDIBUS, path))


# --- keys and list items -----------------------------------------------------------------------


def comments_outside(original: str, *paths: tuple) -> list[str]:
    """The comments of `original` outside the subtrees at `paths` (their key lines and values)."""
    document = load_bytes(original.encode("utf-8"), "essai.yaml").document
    assert document is not None
    removed: set[int] = set()
    for path in paths:
        lines = [
            pos.line
            for positions in (document.positions, document.key_positions)
            for p, pos in positions.items()
            if p[: len(path)] == path
        ]
        removed.update(range(min(lines), max(lines) + 1))
    return [
        line.strip()
        for number, line in enumerate(original.splitlines(), 1)
        if number not in removed and line.strip().startswith("#")
    ]


def insert_after(data: dict, after: str, key: str, value: Any) -> None:
    items = list(data.items())
    index = [k for k, _ in items].index(after) + 1
    data.clear()
    data.update(items[:index] + [(key, value)] + items[index:])


def test_a_key_added_goes_after_the_previous_key():
    result, _ = edited(PEDIBUS, lambda data: insert_after(data, "nom", "sous_titre", "À pied"))
    assert "nom: Pédibus, le ramassage scolaire à pied\nsous_titre: À pied\naccroche:" in result
    assert comments(result) == comments(PEDIBUS)
    assert len(changed_lines(PEDIBUS, result)) == 1


def test_a_block_key_added_in_a_nested_mapping():
    value = {"nom": "Ville", "liste": ["a", "b"], "texte": "l1\nl2\n"}
    result, _ = edited(
        PEDIBUS, lambda data: insert_after(data["origine"], "porteur", "relais", value)
    )
    assert (
        "  relais:\n    nom: Ville\n    liste:\n      - a\n      - b\n    texte: |\n      l1\n"
        in result
    )
    assert comments(result) == comments(PEDIBUS)


@pytest.mark.parametrize("key", ["origine", "moyens", "contacts", "nom"])
def test_a_key_deleted_keeps_the_other_comments(key):
    result, _ = edited(PEDIBUS, lambda data: data.pop(key))
    assert comments(result) == comments_outside(PEDIBUS, (key,))


def test_the_last_key_deleted_keeps_the_final_comment():
    original = SMALL
    result, _ = edited(original, lambda data: data.pop("fin"))
    assert result.endswith("    - deux\n# fin du fichier\n")
    result, _ = edited(original, lambda data: data.pop("bloc"))
    assert "# avant le bloc" in result and "# fin du fichier" in result


HUMAINS = ("moyens", "humains")


def humains(data: dict) -> list:
    return data["moyens"]["humains"]


@pytest.mark.parametrize(
    "change, removed",
    [
        (lambda data: humains(data).append({"role": "Nouveau", "etp": "0,2"}), []),
        (lambda data: humains(data).insert(0, {"role": "Premier", "etp": "1"}), []),
        (lambda data: humains(data).pop(0), [(*HUMAINS, 0)]),
        (lambda data: humains(data).pop(), [(*HUMAINS, 1)]),
        (lambda data: humains(data).reverse(), [(*HUMAINS, 0), (*HUMAINS, 1)]),
        (lambda data: data["mode_degrade"]["renoncements"].append("horaires"), []),
        (lambda data: data["mode_degrade"]["renoncements"].pop(0), []),
        (lambda data: data["mode_degrade"]["renoncements"].reverse(), []),
        (lambda data: data["secteurs"].append("sport"), []),
        (lambda data: data["secteurs"].pop(1), []),
        (lambda data: data["secteurs"].reverse(), []),
    ],
)
def test_list_items_added_removed_moved(change, removed):
    result, new = edited(PEDIBUS, change)
    expected = comments_outside(PEDIBUS, *removed)
    assert [line for line in comments(result) if line in expected] == expected


def test_a_list_item_appended_takes_the_list_indentation():
    result, _ = edited(PEDIBUS, lambda data: humains(data).append({"role": "Nouveau"}))
    assert "\n    - role: Nouveau\n  financiers:" in result
    zero = "a:\n- un\n- deux\nb:\n  c: d\n"
    result, _ = edited(zero, lambda data: data["a"].append("trois"))
    assert result == "a:\n- un\n- deux\n- trois\nb:\n  c: d\n"


def test_an_item_of_a_list_of_mappings_changed_keeps_its_neighbours():
    result, _ = edited(PEDIBUS, lambda data: set_at(data, (*HUMAINS, 1, "etp"), "0,3"))
    assert changed_lines(PEDIBUS, result) == set(span(PEDIBUS, (*HUMAINS, 1, "etp")))


# --- how values are written --------------------------------------------------------------------


def written(value: Any, key: str = "texte", original: str = SMALL) -> str:
    result, _ = edited(original, lambda data: data.__setitem__(key, value))
    assert set(comments(original)) <= set(comments(result))
    return result


@pytest.mark.parametrize(
    "value, line",
    [
        ("01053", 'texte: "01053"'),
        ("oui", 'texte: "oui"'),
        ("yes", 'texte: "yes"'),
        ("Non", 'texte: "Non"'),
        ("NULL", 'texte: "NULL"'),
        ("~", 'texte: "~"'),
        ("false", 'texte: "false"'),
        ("", 'texte: ""'),
        ("12 000", "texte: 12 000"),
        ("0,5", "texte: 0,5"),
        ("1500", "texte: 1500"),
        ("2027-09-01", "texte: 2027-09-01"),
        ("Une phrase, simple.", "texte: Une phrase, simple."),
        ("a: b", 'texte: "a: b"'),
        ("a #b", 'texte: "a #b"'),
        (" espace", 'texte: " espace"'),
        ("fin ", 'texte: "fin "'),
        ("tab\tici", 'texte: "tab\\tici"'),
        ("bip\x07", 'texte: "bip\\a"'),
        ("nul\x00", 'texte: "nul\\0"'),
        ('guillemet " et \\', 'texte: guillemet " et \\'),
        (None, "texte:"),
    ],
)
def test_a_text_is_written_as_essaimage_reads_it(value, line):
    result = written(value)
    assert line + "\n" in result
    assert changed_lines(SMALL, result) == {6}


@pytest.mark.parametrize(
    "start", ["- ", "[", "{", "&", "*", "!", "%", "@", "`", "|", ">", "#", "'", '"', "? "]
)
def test_a_text_starting_with_an_indicator_is_quoted(start):
    result = written(start + "x")
    assert "texte: " + start + "x\n" not in result


@pytest.mark.parametrize(
    "value, block",
    [
        ("ligne 1\nligne 2\n", "texte: |\n  ligne 1\n  ligne 2\n"),
        ("ligne 1\nligne 2", "texte: |-\n  ligne 1\n  ligne 2\n"),
        ("ligne 1\n\n", "texte: |+\n  ligne 1\n\n"),
        (
            "- item\n  suite indentée\n# pas un commentaire\nclé: valeur\nespaces   \n",
            "texte: |\n  - item\n    suite indentée\n  # pas un commentaire\n  clé: valeur\n"
            "  espaces   \n",
        ),
        ("a\n\nb\n", "texte: |\n  a\n\n  b\n"),
    ],
)
def test_a_multi_line_text_is_a_literal_block(value, block):
    result = written(value)
    assert block + "# avant le bloc" in result


def test_a_multi_line_text_in_a_nested_mapping_is_indented_below_its_key():
    result, _ = edited(PEDIBUS, lambda data: set_at(data, (*HUMAINS, 0, "role"), "un\ndeux\n"))
    assert "\n    - role: |\n        un\n        deux\n      etp: 0,1\n" in result
    result, _ = edited(
        PEDIBUS, lambda data: set_at(data, ("mode_degrade", "renoncements", 0), "a\nb")
    )
    assert "\n  renoncements:\n    - |-\n      a\n      b\n    - signalétique" in result


@pytest.mark.parametrize("value", ["  indentée\nsuite\n", "a\rb\nc", "\n\n", "x\n\u2028y"])
def test_a_multi_line_text_a_block_cannot_hold_is_double_quoted(value):
    result = written(value)
    assert 'texte: "' in result


def test_a_block_with_kept_newlines_before_a_blank_line():
    original = SMALL.replace("texte: ancien\n", "texte: ancien\n\n")
    written("a\n\n", original=original)


def test_a_very_long_line_is_never_folded():
    value = " ".join(["mot"] * 2000)
    result = written(value)
    assert "texte: " + value + "\n" in result


def test_quotes_of_the_old_value_are_kept():
    original = SMALL.replace("texte: ancien", "texte: 'ancien'").replace(
        "fin: dernier", 'fin: "dernier"'
    )
    result, _ = edited(original, lambda data: data.update(texte="neuf", fin="autre"))
    assert "texte: 'neuf'\n" in result and 'fin: "autre"\n' in result


def test_flow_collections_stay_byte_for_byte():
    result = written("neuf")
    assert "secteurs: [mobilite, education]\ntable: {x: 1, y: deux}\n" in result
    result, _ = edited(SMALL, lambda data: data["secteurs"].__setitem__(1, "a, b"))
    assert 'secteurs: [mobilite, "a, b"]\n' in result
    result, _ = edited(SMALL, lambda data: data["table"].__setitem__("y", None))
    assert read(result)["table"] == {"x": "1", "y": None}


def test_windows_line_endings_are_kept():
    original = SMALL.replace("\n", "\r\n")
    result, _ = edited(original, lambda data: data.update(texte="neuf", ajout="l1\nl2\n"))
    assert result.count("\n") == result.count("\r\n")
    assert "texte: neuf\r\n" in result and "ajout: |\r\n  l1\r\n  l2\r\n" in result


def test_no_final_newline_stays_so():
    original = SMALL.rstrip("\n")
    result, _ = edited(original, lambda data: data.update(texte="neuf"))
    assert result == original.replace("texte: ancien", "texte: neuf")
    result, _ = edited(original, lambda data: data.update(nouveau="x"))
    assert result.endswith("# fin du fichier\nnouveau: x") or result.endswith("nouveau: x")


def test_duplicate_keys_are_read_as_essaimage_reads_them():
    original = "essaimage: 1\nid: a\nid: b\ntexte: ancien\n"
    result, _ = edited(original, lambda data: data.update(texte="neuf"))
    assert result == "essaimage: 1\nid: a\nid: b\ntexte: neuf\n"


def test_a_file_ruamel_reads_otherwise_is_refused():
    original = "base: &b {x: 1}\nautre:\n  <<: *b\n  y: 2\n"
    old = read(original)
    with pytest.raises(ValueError):
        updated_text(original, old, {**old, "base": {"x": "2"}})


def test_data_essaimage_cannot_read_is_refused():
    old = read(SMALL)
    with pytest.raises(ValueError):
        updated_text(SMALL, old, {**old, "texte": 12})


def test_the_biggest_example_is_edited_quickly():
    path = EXAMPLES / "innovations" / "territoires-zero-chomeur.yaml"
    original = path.read_text("utf-8")
    old = read(original)
    new = copy.deepcopy(old)
    new["nom"] = "Nom changé"
    started = time.perf_counter()
    result = updated_text(original, old, new)
    assert time.perf_counter() - started < 5
    assert len(changed_lines(original, result)) == 1


# --- any text ----------------------------------------------------------------------------------

TEXTS = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=TEXTS, item=TEXTS)
def test_any_text_reads_back_identical(value, item):
    def change(data):
        data["texte"] = value
        data["bloc"]["liste"][1] = item

    result, _ = edited(SMALL, change)
    assert comments(result) == comments(SMALL)
    assert changed_lines(SMALL, result) <= set(range(6, 7)) | set(range(12, 13))


@settings(max_examples=100, deadline=None)
@given(item=TEXTS)
def test_any_text_in_a_flow_list_reads_back_identical(item):
    result, _ = edited(SMALL, lambda data: data["secteurs"].append(item))
    assert changed_lines(SMALL, result) == {4}


def test_only_newlines_end_lines():
    original = 'essaimage: 1\nnote: "a\x85b"  # NEL\ntexte: ancien\n'.replace("\\x85", "\x85")
    result, _ = edited(original, lambda data: data.update(texte="neuf"))
    assert result == original.replace("ancien", "neuf")


def test_a_file_ruamel_cannot_parse_is_refused():
    original = "essaimage: 1\ntexte: ancien\n"
    with pytest.raises(ValueError):
        updated_text("essaimage: 1\n  : [\n", read(original), {"essaimage": "2"})
