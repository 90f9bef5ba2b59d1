"""The tables' cells labelled with their column's header (essaimage/text/tables.py), which the
narrow-screen style sheet shows above each cell; in the kits, plans and site pages."""

from __future__ import annotations

import re
import time

from essaimage.text.tables import labelled
from helpers import EXAMPLES, invoke


def test_each_cell_gets_the_header_of_its_column():
    page = (
        '<table><caption>Budget</caption><thead><tr><th scope="col">Année</th>'
        '<th scope="col">Coût <em>complet</em> &amp; total</th><th colspan="2">Par moitié</th></tr>'
        '</thead><tbody><tr><th scope="row">2027</th><td class="nombre">1 €</td><td>2</td>'
        '<TD>3</TD></tr><tr><td>x</td><td data-label="à part">y</td><td>z</td><td>t</td>'
        "<td>de trop</td></tr></tbody></table>"
    )
    assert labelled(page) == (
        '<table><caption>Budget</caption><thead><tr><th scope="col">Année</th>'
        '<th scope="col">Coût <em>complet</em> &amp; total</th><th colspan="2">Par moitié</th></tr>'
        '</thead><tbody><tr><th scope="row">2027</th>'
        '<td data-label="Coût complet &amp; total" class="nombre">1 €</td>'
        '<td data-label="Par moitié">2</td><td data-label="Par moitié">3</TD></tr>'
        '<tr><td data-label="Année">x</td><td data-label="à part">y</td>'
        '<td data-label="Par moitié">z</td><td data-label="Par moitié">t</td>'
        "<td>de trop</td></tr></tbody></table>"
    )


def test_a_header_keeps_its_no_break_spaces():
    page = "<table><thead><tr><th>\n  Coût\u00a0: total\u202f?  </th></tr></thead><tr><td>1</td></tr></table>"
    assert '<td data-label="Coût\u00a0: total\u202f?">1</td>' in labelled(page)


def test_a_header_is_escaped_in_its_attribute():
    page = "<table><thead><tr><th>« Dit » &quot;x&quot; &lt;b&gt;</th></tr></thead><tr><td>1</td></tr></table>"
    assert '<td data-label="« Dit » &quot;x&quot; &lt;b&gt;">1</td>' in labelled(page)


def test_tables_without_a_header_row_scripts_and_nesting():
    plain = "<table><tbody><tr><th>Coût</th><td>1 €</td></tr></tbody></table>"
    assert labelled(plain) == plain
    page = (
        '<script>var s = "<table><thead><tr><th>no</th></tr></thead><td>";</script>'
        "<table><thead><tr><th>A</th><th>B</th></tr></thead><tbody><tr><td>"
        "<table><thead><tr><th>C</th></tr></thead><tbody><tr><td>c</td></tr></tbody></table>"
        "</td><td>b</td></tr></tbody></table><table><tr><td>après</td></tr></table>"
    )
    done = labelled(page)
    assert done.startswith('<script>var s = "<table><thead><tr><th>no</th></tr></thead><td>";')
    assert re.findall(r'<td(?: data-label="([^"]*)")?>', done)[1:] == ["A", "C", "B", ""]
    assert '<td data-label="A"><table>' in done
    assert '<td data-label="C">c</td>' in done
    assert '</table></td><td data-label="B">b</td>' in done
    assert "<td>après</td>" in done


def test_the_walk_is_linear_on_hostile_markup():
    for hostile in ("<thead" + "<" * 200_000, "<table><thead><tr><th>" + "x<" * 100_000):
        started = time.perf_counter()
        labelled(hostile)
        assert time.perf_counter() - started < 2


def test_every_data_cell_of_the_kits_and_plans_is_labelled(tmp_path):
    for descriptor in sorted((EXAMPLES / "innovations").glob("*.yaml")):
        result = invoke(
            "kit", str(descriptor), "-t", "saint-brieuc", "-f", "html", "-o", str(tmp_path)
        )
        assert result.exit_code == 0, result.output
    plan = EXAMPLES / "plans" / "pedibus-bretagne.yaml"
    assert invoke("plan", str(plan), "-f", "html", "-o", str(tmp_path / "plans")).exit_code == 0
    pages = sorted(tmp_path.rglob("*.html"))
    assert len(pages) == 6
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for table in text.split("<table")[1:]:
            if "<thead" in table:
                assert table.count("<td") == table.count('<td data-label="'), page
        assert 'data-label=""' not in text
    kit = (tmp_path / "pedibus" / "saint-brieuc.html").read_text(encoding="utf-8")
    assert '<td data-label="Responsable">' in kit
    assert '<td data-label="Pour Saint-Brieuc" class="nombre">' in kit
    assert '<td data-label="Total" class="nombre">' in kit
