"""ODT and DOCX kits and plans (`-f odt`, `-f docx`, pandoc): read back with python-docx and
odfpy (headings, tables, a computed figure, properties), valid packages, the same bytes each
time, nothing embedded for a hostile template, a French usage error without pandoc."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from essaimage.render import office as bureautique
from helpers import EXAMPLES, invoke

docx = pytest.importorskip("docx")
odf = pytest.importorskip("odf.opendocument")
from odf import table, text  # noqa: E402

PEDIBUS = str(EXAMPLES / "innovations" / "pedibus.yaml")
SAINT_BRIEUC = str(EXAMPLES / "territoires" / "saint-brieuc.yaml")
needs_pandoc = pytest.mark.skipif(
    bureautique.missing() is not None, reason=f"pandoc absent : {bureautique.missing()}"
)
COST = "16\u202f120\u00a0€ la première année"  # 2027, from March
# by hand: 6 000 € of signage (4 schools × 1 500 €) + 0,24 ETP × 42 000 € of coordination for
# 10 months, the preparation included (8 400 €) + (6 € × 240 vests + 4 × 500 € of communication)
# × 6 ÷ 12 months of operation (1 720 €) = 16 120 €


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    out = tmp_path_factory.mktemp("kits")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        result = invoke("kit", PEDIBUS, "-t", SAINT_BRIEUC, "-f", "odt,docx", "-o", str(out))
    return result, out / "pedibus"


@needs_pandoc
@pytest.mark.bureautique
def test_the_docx_has_headings_tables_and_the_figures(documents):
    result, folder = documents
    assert result.exit_code == 0, result.output
    assert f"Kit écrit : {(folder / 'saint-brieuc.docx').as_posix()}" in result.stdout
    document = docx.Document(folder / "saint-brieuc.docx")
    properties = document.core_properties
    assert (
        properties.title
        == "Kit d’essaimage\u00a0: Pédibus, le ramassage scolaire à pied — Saint-Brieuc"
    )
    assert properties.subject.startswith("Des lignes à pied")
    assert properties.language == "fr"
    assert properties.created is None  # no date unless SOURCE_DATE_EPOCH
    headings = [
        p.text.replace("\u202f", " ") for p in document.paragraphs if p.style.name == "Heading 1"
    ]
    assert headings[:3] == [
        "1. Synthèse", "Sommaire", "2. Est-ce pour votre territoire ?",
    ]  # fmt: skip
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[1].text.startswith("Territoire\u00a0: Saint-Brieuc")
    synthese = document.tables[0]
    rows = {row.cells[0].text: row.cells[1].text for row in synthese.rows}
    assert rows["Coût"].startswith(COST)
    links = [link.address for p in document.paragraphs for link in p.hyperlinks if link.address]
    assert any(address.startswith("http") for address in links)


@needs_pandoc
@pytest.mark.bureautique
def test_the_odt_is_a_valid_package_with_outline_and_tables(documents):
    _, folder = documents
    path = folder / "saint-brieuc.odt"
    with zipfile.ZipFile(path) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        manifest = archive.read("META-INF/manifest.xml").decode("utf-8")
        for member in ("content.xml", "styles.xml", "meta.xml"):
            assert f'manifest:full-path="{member}"' in manifest
            assert member in archive.namelist()
        meta = archive.read("meta.xml").decode("utf-8")
        assert "<dc:language>fr</dc:language>" in meta
        assert "creation-date" not in meta and "<dc:date>" not in meta
    document = odf.load(str(path))
    headings = document.getElementsByType(text.H)
    first_level = [str(h) for h in headings if h.getAttribute("outlinelevel") == "1"]
    assert first_level[0] == "1. Synthèse" and "8. Pour aller plus loin" in first_level
    cells = [str(cell).strip() for cell in document.getElementsByType(table.TableCell)]
    assert any(cell.startswith(COST) for cell in cells)
    assert len(document.getElementsByType(table.Table)) >= 10


@needs_pandoc
@pytest.mark.bureautique
def test_documents_are_the_same_bytes_each_time(tmp_path, monkeypatch):
    for name in ("a", "b"):
        invoke("kit", PEDIBUS, "-t", SAINT_BRIEUC, "-f", "odt,docx", "-o", str(tmp_path / name))
    for suffix in ("odt", "docx"):
        a = (tmp_path / "a" / "pedibus" / f"saint-brieuc.{suffix}").read_bytes()
        assert a == (tmp_path / "b" / "pedibus" / f"saint-brieuc.{suffix}").read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    invoke("kit", PEDIBUS, "-t", SAINT_BRIEUC, "-f", "docx", "-o", str(tmp_path / "c"))
    dated = docx.Document(tmp_path / "c" / "pedibus" / "saint-brieuc.docx")
    assert dated.core_properties.created.isoformat().startswith("2026-05-28T20:26:40")
    with zipfile.ZipFile(tmp_path / "c" / "pedibus" / "saint-brieuc.docx") as archive:
        assert archive.infolist()[0].date_time == (2026, 5, 28, 20, 26, 40)


@needs_pandoc
@pytest.mark.bureautique
def test_a_hostile_template_embeds_nothing(tmp_path, monkeypatch):
    repo = tmp_path / "depot"
    shutil.copytree(EXAMPLES, repo)
    (repo / "gabarits").mkdir()
    source = Path(bureautique.__file__).parent.parent / "templates" / "kit.html.j2"
    pixel = (Path(__file__).parent / "data" / "pixel.png").as_uri()
    hostile = f'<p><img src="{pixel}" alt="x"><img src="file:///etc/hostname" alt="y"></p>'
    template = source.read_text(encoding="utf-8").replace(
        "{% for s in sections %}\n<section", hostile + "\n{% for s in sections %}\n<section", 1
    )
    assert hostile in template
    (repo / "gabarits" / "kit.html.j2").write_text(template, encoding="utf-8")
    (repo / "essaimage.yaml").write_text("essaimage: 1\nexclure: [ci]\ngabarits: gabarits\n")
    monkeypatch.chdir(repo)
    result = invoke("kit", "innovations/pedibus.yaml", "-t", "saint-brieuc", "-f", "odt,docx")
    assert result.exit_code == 0, result.output
    for suffix in ("odt", "docx"):
        with zipfile.ZipFile(repo / "kits" / "pedibus" / f"saint-brieuc.{suffix}") as archive:
            embedded = [n for n in archive.namelist() if n.endswith((".png", "hostname"))]
            assert embedded == [], suffix


@needs_pandoc
@pytest.mark.bureautique
def test_the_plan_in_odt_and_docx(tmp_path):
    plan = str(EXAMPLES / "plans" / "pedibus-bretagne.yaml")
    result = invoke("plan", plan, "-f", "odt,docx", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    document = docx.Document(tmp_path / "pedibus-bretagne" / "plan.docx")
    assert document.core_properties.title.startswith("Plan de montée en charge")
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "1. Synthèse" and "2. Les sites" in headings
    assert (tmp_path / "pedibus-bretagne" / "plan.odt").read_bytes()[30:38] == b"mimetype"


def test_without_pandoc_odt_is_a_usage_error_and_nothing_is_written(tmp_path):
    result = invoke("kit", PEDIBUS, "-t", SAINT_BRIEUC, "-f", "html,odt", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert "pandoc" in result.stderr and "pip install pypandoc-binary" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("xml", "expected"),
    [
        ("<a><dc:date>2026</dc:date><dc:title>T</dc:title></a>", "<a><dc:title>T</dc:title></a>"),
        ("<a><dc:date>1</dc:date><dc:date>2</dc:date></a>", "<a></a>"),
        ("<a><dc:date>sans fin</a>", "<a><dc:date>sans fin</a>"),
    ],
)
def test_dates_are_taken_out_without_a_pattern(xml, expected):
    assert bureautique._with_element_text(xml, "dc:date", None) == expected


def test_dates_are_set_and_only_on_the_named_element():
    xml = '<a><dc:date x="1">1970</dc:date><dc:dates>k</dc:dates></a>'
    assert bureautique._with_element_text(xml, "dc:date", "2026") == (
        '<a><dc:date x="1">2026</dc:date><dc:dates>k</dc:dates></a>'
    )


@needs_pandoc
@pytest.mark.bureautique
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice absent")
def test_libreoffice_opens_both_and_prints_the_synthese_first(documents, tmp_path):
    """Where LibreOffice is installed: both documents convert to PDF, the synthèse on page 1."""
    _, folder = documents
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext absent (paquet poppler-utils)")
    for suffix in ("odt", "docx"):
        out = tmp_path / suffix
        subprocess.run(
            ["soffice", "--headless", f"-env:UserInstallation={(tmp_path / 'profil').as_uri()}",
             "--convert-to", "pdf", "--outdir", str(out), str(folder / f"saint-brieuc.{suffix}")],
            capture_output=True, timeout=300, check=True,
        )  # fmt: skip
        done = subprocess.run(
            ["pdftotext", "-l", "1", str(out / "saint-brieuc.pdf"), "-"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        first = done.stdout.replace("\u202f", " ").replace("\u00a0", " ")
        assert "1. Synthèse" in first and "16 120 € la première année" in first, suffix
