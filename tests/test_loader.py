"""The YAML loader: positions, schema-typed scalars, safety limits, encodings."""

from __future__ import annotations

import pytest

from essaimage.check.loader import MAX_BYTES, Pos, load_bytes, load_file
from helpers import EXAMPLES


def codes(result):
    return [(f.code, f.line, f.column) for f in result.findings]


def test_values_keep_their_position_and_stay_text():
    result = load_bytes(
        b"essaimage: 1\ncode_insee: 01053\nnom: Non\nliste: [oui, non, on]\n", "f.yaml"
    )
    doc = result.document
    assert doc.data == {
        "essaimage": "1",
        "code_insee": "01053",
        "nom": "Non",
        "liste": ["oui", "non", "on"],
    }
    assert doc.pos(("code_insee",)) == Pos(2, 13)
    assert doc.key_pos(("code_insee",)) == Pos(2, 1)
    assert doc.pos(("liste", 2)) == Pos(4, 19)


def test_plain_null_is_none_but_quoted_null_is_text():
    doc = load_bytes(b'a:\nb: ~\nc: "null"\n', "f.yaml").document
    assert doc.data == {"a": None, "b": None, "c": "null"}


def test_bom_and_crlf_are_accepted():
    result = load_bytes("\ufeffessaimage: 1\r\nnom: Été\r\n".encode(), "f.yaml")
    assert result.findings == []
    assert result.document.data == {"essaimage": "1", "nom": "Été"}
    assert result.document.pos(("nom",)) == Pos(2, 6)


@pytest.mark.parametrize("content", [b"", b"\n\n", b"# rien\n", b"---\n"])
def test_empty_file(content):
    result = load_bytes(content, "f.yaml")
    assert result.document is None
    assert [f.code for f in result.findings] == ["Y003"]


def test_file_too_big(tmp_path):
    path = tmp_path / "gros.yaml"
    path.write_bytes(b"a: " + b"x" * MAX_BYTES + b"\n")
    result = load_file(path, "gros.yaml")
    assert codes(result) == [("Y004", 1, 1)]


def test_unreadable_path_is_a_finding(tmp_path):
    result = load_file(tmp_path / "absent.yaml", "absent.yaml")
    assert [f.code for f in result.findings] == ["Y001"]


def test_first_bad_byte_gives_line_and_column():
    result = load_bytes(b"a: 1\nb: caf\xe9\n", "f.yaml")
    assert codes(result) == [("Y002", 2, 7)]


def test_duplicate_key_points_at_the_second_and_names_the_first():
    result = load_bytes(b"a: 1\nb:\n  c: 1\n  c: 2\n", "f.yaml")
    assert codes(result) == [("Y009", 4, 3)]
    assert "ligne 3" in result.findings[0].message
    assert result.findings[0].path == "b.c"
    assert result.document.data == {"a": "1", "b": {"c": "1"}}


def test_tags_are_never_constructed():
    result = load_bytes(b"a: !!python/object/apply:os.system ['echo pwned']\n", "f.yaml")
    assert [f.code for f in result.findings] == ["Y010"]
    assert result.document.data == {"a": ["echo pwned"]}


def test_standard_str_tag_is_harmless():
    result = load_bytes(b"a: !!str 01053\n", "f.yaml")
    assert result.findings == []
    assert result.document.data == {"a": "01053"}


def test_alias_bomb_is_stopped_even_under_the_alias_limit():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    result = load_bytes("\n".join(lines).encode(), "f.yaml")
    assert result.document is None
    assert [f.code for f in result.findings] == ["Y011"]


def test_aliases_expand_to_their_values():
    doc = load_bytes(b"a: &x {b: 1}\nc: *x\n", "f.yaml").document
    assert doc.data == {"a": {"b": "1"}, "c": {"b": "1"}}
    assert doc.pos(("c",)) == Pos(2, 4)


def test_recursive_alias_is_an_error_not_a_hang():
    result = load_bytes(b"a: &x [*x]\n", "f.yaml")
    assert result.document is None
    assert [f.code for f in result.findings] == ["Y005"]


def test_nesting_limit():
    result = load_bytes(b"a: " + b"[" * 65 + b"]" * 65 + b"\n", "f.yaml")
    assert [f.code for f in result.findings] == ["Y012"]


def test_nesting_just_under_the_limit_is_fine():
    result = load_bytes(b"a: " + b"[" * 63 + b"]" * 63 + b"\n", "f.yaml")
    assert result.findings == []


@pytest.mark.parametrize(
    "content",
    [b"a: [1, 2\n", b"a: 'x\n", b"a: b: c\n", b"- a\nb: 1\n", b"a:\n  - b\n c: 1\n", b"\x00\x01"],
)
def test_syntax_errors_are_findings_in_french(content):
    result = load_bytes(content, "f.yaml")
    assert result.document is None
    assert len(result.findings) == 1
    finding = result.findings[0]
    assert finding.code in {"Y005", "Y006", "Y008"}
    assert finding.line >= 1 and finding.column >= 1


def test_root_facts_read_ids_and_marges_without_building_the_document(tmp_path):
    """What a hook on one profile reads of every other innovation (issue 13: the pre-commit trap)."""
    from essaimage.check.loader import root_facts

    path = tmp_path / "a.yaml"
    path.write_text(
        "essaimage: 1\nid: atelier\nbase: &b {x: 1}\n"
        "marges:\n  - id: lieu\n    options: [a, {id: pas-une-marge}]\n    titre: Le lieu\n"
        "  - titre: Horaires\n    id: horaires\n    limites: {id: non}\n",
        encoding="utf-8",
    )
    facts = root_facts(path)
    assert (facts.id, facts.marges) == ("atelier", {"lieu", "horaires"})
    assert {"essaimage", "id", "base", "marges"} == facts.keys
    path.write_text("id: x\nmarges:\n  - titre: sans id\n", encoding="utf-8")
    assert root_facts(path).marges is None  # not clear: no check against it
    path.write_text("id: x\nmarges: {lieu: 1}\n", encoding="utf-8")
    assert root_facts(path).marges is None
    path.write_text("- une liste\n", encoding="utf-8")
    assert root_facts(path) is None
    path.write_text("id: [x\n", encoding="utf-8")
    assert root_facts(path) is None


def test_anchors_in_a_refused_value_still_exist():
    """A duplicate key's value is read and dropped (Y009), but an anchor defined there can be
    used later, as YAML says."""
    result = load_bytes(b"a: 1\na: &z {x: 1}\nb: *z\nc: [*z]\n", "f.yaml")
    assert [f.code for f in result.findings] == ["Y009"]
    doc = result.document
    assert doc.data == {"a": "1", "b": {"x": "1"}, "c": [{"x": "1"}]}
    assert doc.pos(("b",)) == Pos(3, 4) and doc.pos(("b", "x")) == Pos(2, 11)
    assert doc.pos(("c", 0, "x")) == Pos(2, 11) and ("a", "x") not in doc.positions


def test_an_alias_copies_its_value_and_the_places_of_its_subtree():
    doc = load_bytes(b"a: &x [1, {b: 2}]\nk: &s cle\n*s : *x\n", "f.yaml").document
    assert doc.data == {"a": ["1", {"b": "2"}], "k": "cle", "cle": ["1", {"b": "2"}]}
    assert doc.data["cle"] is not doc.data["a"] and doc.data["cle"][1] is not doc.data["a"][1]
    assert doc.key_pos(("cle",)) == Pos(3, 1)  # where the alias stands, not its anchor
    assert doc.pos(("cle", 1, "b")) == Pos(1, 15)
    assert doc.key_pos(("cle", 1, "b")) == Pos(1, 12)


def test_the_pure_python_parser_gives_the_same_document(monkeypatch):
    """PyYAML without libyaml: the same events, read the same way."""
    import yaml

    from essaimage.check import loader

    raw = (EXAMPLES / "innovations" / "pedibus.yaml").read_bytes()
    fast = load_bytes(raw, "f.yaml").document
    monkeypatch.setattr(loader, "_EventSource", yaml.SafeLoader)
    slow = load_bytes(raw, "f.yaml").document
    assert (slow.data, slow.positions, slow.key_positions) == (
        fast.data,
        fast.positions,
        fast.key_positions,
    )
