"""ODT and DOCX kits and plans (`-f odt`, `-f docx`, pandoc): read back with python-docx and
odfpy (headings, tables, a computed figure, properties), valid packages, the same bytes each
time, nothing embedded for a hostile template, a French usage error without pandoc. Laid out
for paper, read in their XML: A4, ruled tables, column widths from the content, rows that never
split; and, where LibreOffice is installed, printed to PDF by it: A4, the whole synthèse on
page 1, no word cut in a table's column."""

from __future__ import annotations

import collections
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from essaimage.render import office as bureautique
from helpers import EXAMPLES, invoke

docx = pytest.importorskip("docx")
odf = pytest.importorskip("odf.opendocument")
from odf import table, text  # noqa: E402

PEDIBUS = str(EXAMPLES / "innovations" / "pedibus.yaml")
SAINT_BRIEUC = str(EXAMPLES / "territoires" / "saint-brieuc.yaml")
TZCLD = str(EXAMPLES / "innovations" / "territoires-zero-chomeur.yaml")
REDON = str(EXAMPLES / "territoires" / "redon-agglomeration.yaml")
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
    assert first_level[0] == "1. Synthèse" and "9. Pour aller plus loin" in first_level
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


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ODF = {
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}
TEXT_WIDTH = 482  # points: A4 less two margins of 2 cm
NARROW = "ijlftr’'.,;:()"  # characters narrower than half an em in Arial


def _xml(path: Path, member: str) -> ElementTree.Element:
    with zipfile.ZipFile(path) as archive:
        return ElementTree.fromstring(archive.read(member))


def _odf(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{ODF[prefix]}}}{local}"


def _docx_budget(root: ElementTree.Element) -> ElementTree.Element:
    """The budget table of a DOCX kit: its first cell says « Année »."""
    for tbl in root.iter(W + "tbl"):
        first = tbl.find(f"{W}tr/{W}tc")
        if first is not None and "".join(t.text or "" for t in first.iter(W + "t")) == "Année":
            return tbl
    raise AssertionError("pas de tableau du budget")


def _least_width(word: str, size: float) -> float:
    """A low estimate of the points a word needs in Arial at `size`, with the cell's padding."""
    return sum(0.25 if c in NARROW else 0.5 for c in word) * size + 10


@needs_pandoc
@pytest.mark.bureautique
def test_the_docx_is_a4_with_ruled_tables_whose_rows_do_not_split(documents):
    _, folder = documents
    path = folder / "saint-brieuc.docx"
    body = _xml(path, "word/document.xml")
    size = body.find(f"{W}body/{W}sectPr/{W}pgSz")
    assert size is not None
    assert (size.get(W + "w"), size.get(W + "h")) == ("11906", "16838")  # A4, in 1/20 pt
    styles = _xml(path, "word/styles.xml")
    table_style = next(s for s in styles.iter(W + "style") if s.get(W + "styleId") == "Table")
    borders = table_style.find(f"{W}tblPr/{W}tblBorders")
    assert borders is not None
    assert {b.tag.removeprefix(W): b.get(W + "val") for b in borders} == dict.fromkeys(
        ("top", "left", "bottom", "right", "insideH", "insideV"), "single"
    )
    tables = list(body.iter(W + "tbl"))
    assert len(tables) >= 10
    for tbl in tables:
        style = tbl.find(f"{W}tblPr/{W}tblStyle")
        assert style is not None and style.get(W + "val") == "Table"  # the ruled style
        for row in tbl.iter(W + "tr"):
            assert row.find(f"{W}trPr/{W}cantSplit") is not None
    headings = [
        s
        for s in styles.iter(W + "style")
        if s.get(W + "type") == "paragraph" and s.get(W + "styleId", "").startswith("Heading")
    ]
    assert headings and all(h.find(f"{W}pPr/{W}keepNext") is not None for h in headings)


@needs_pandoc
@pytest.mark.bureautique
def test_the_odt_is_a4_with_ruled_tables_whose_rows_do_not_split(documents):
    _, folder = documents
    path = folder / "saint-brieuc.odt"
    styles = _xml(path, "styles.xml")
    page = styles.find(f".//{_odf('style:page-layout-properties')}")
    assert page is not None
    assert (page.get(_odf("fo:page-width")), page.get(_odf("fo:page-height"))) == (
        "21cm", "29.7cm",
    )  # fmt: skip
    heading = next(
        s for s in styles.iter(_odf("style:style")) if s.get(_odf("style:name")) == "Heading"
    )
    paragraph = heading.find(_odf("style:paragraph-properties"))
    assert paragraph is not None and paragraph.get(_odf("fo:keep-with-next")) == "always"
    content = _xml(path, "content.xml")
    automatic = {
        s.get(_odf("style:name")): s for s in content.iter(_odf("style:style"))
    }  # the document's own styles
    cells = list(content.iter(_odf("table:table-cell")))
    rows = list(content.iter(_odf("table:table-row")))
    assert len(cells) > 100
    for cell in cells:
        properties = automatic[cell.get(_odf("table:style-name"))].find(
            _odf("style:table-cell-properties")
        )
        assert properties is not None and "solid" in properties.get(_odf("fo:border"), "")
    for row in rows:
        properties = automatic[row.get(_odf("table:style-name"))].find(
            _odf("style:table-row-properties")
        )
        assert properties is not None and properties.get(_odf("fo:keep-together")) == "always"


@needs_pandoc
@pytest.mark.bureautique
def test_column_widths_come_from_the_content(documents):
    """The budget table's columns are not of equal widths, and none is narrower than its
    longest word needs (a low estimate, at the size of the table's text)."""
    _, folder = documents
    budget = _docx_budget(_xml(folder / "saint-brieuc.docx", "word/document.xml"))
    grid = [int(col.get(W + "w", "0")) for col in budget.iter(W + "gridCol")]
    assert len(grid) == 7 and len(set(grid)) > 1
    widths = [w / sum(grid) * TEXT_WIDTH for w in grid]  # the table spans the text's width
    paragraph_style = budget.find(f".//{W}pStyle")
    assert paragraph_style is not None
    size = {"Tableau": 10, "TableauSerre": 9}[paragraph_style.get(W + "val", "")]
    for row in budget.iter(W + "tr"):
        for column, cell in enumerate(row.iter(W + "tc")):
            text = "".join(t.text or "" if t.tag == W + "t" else " " for t in cell.iter())
            for word in text.replace("\u00a0", "_").replace("\u202f", "_").split():
                assert widths[column] >= _least_width(word, size), (word, widths[column])
    content = _xml(folder / "saint-brieuc.odt", "content.xml")
    relative = [
        p.get(_odf("style:rel-column-width"))
        for p in content.iter(_odf("style:table-column-properties"))
    ]
    assert len(relative) > 20 and all(relative)  # every column of every table has its width
    assert len(set(relative)) > 10


# Printed by LibreOffice, where it is installed: what a repreneur sees.
SOFFICE = shutil.which("soffice")
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None or shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="LibreOffice (soffice) ou poppler-utils (pdftotext, pdfinfo) absent : la mise en "
    "page des kits ODT et DOCX n'est pas vérifiée en PDF",
)


def _arial_metrics() -> bool:
    """Whether LibreOffice sets Arial, the reference documents' font, in Arial or in Liberation
    Sans (its metric twin): the column widths are measured on their characters."""
    if shutil.which("fc-match") is None:
        return False
    done = subprocess.run(["fc-match", "Arial"], capture_output=True, text=True, timeout=30)
    return "Liberation Sans" in done.stdout or "Arial" in done.stdout


@pytest.fixture(scope="module")
def printed(documents, tmp_path_factory):
    """The PDFs LibreOffice prints of two kits in ODT and DOCX: Pédibus for Saint-Brieuc (the
    module's documents) and Territoires zéro chômeur for Redon (a budget over seven columns
    with large figures), as {name: (document, pdf)}."""
    _, folder = documents
    out = tmp_path_factory.mktemp("imprimes")
    result = invoke("kit", TZCLD, "-t", REDON, "-f", "odt,docx", "-o", str(out / "kits"))
    assert result.exit_code == 0, result.output
    sources = {
        "pedibus": folder / "saint-brieuc",
        "tzcld": out / "kits" / "territoires-zero-chomeur" / "redon-agglomeration",
    }
    copies = {}
    for name, stem in sources.items():
        for suffix in ("odt", "docx"):
            copy = out / suffix / f"{name}.{suffix}"
            copy.parent.mkdir(exist_ok=True)
            shutil.copyfile(stem.with_suffix(f".{suffix}"), copy)
            copies[f"{name}.{suffix}"] = (copy, copy.with_suffix(".pdf"))
    profile = (out / "profil").as_uri()  # LibreOffice's own profile, not the user's
    for suffix in ("odt", "docx"):
        files = sorted(str(p) for p in (out / suffix).iterdir())
        subprocess.run(
            [SOFFICE, "--headless", f"-env:UserInstallation={profile}", "--convert-to", "pdf",
             "--outdir", str(out / suffix), *files],
            capture_output=True, timeout=300, check=True,
        )  # fmt: skip
    return copies


def _pdf_text(pdf: Path, *options: str) -> str:
    done = subprocess.run(
        ["pdftotext", *options, str(pdf), "-"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.replace("\u202f", " ").replace("\u00a0", " ")


@needs_pandoc
@needs_libreoffice
@pytest.mark.bureautique
@pytest.mark.parametrize("name", ["pedibus.odt", "pedibus.docx", "tzcld.odt", "tzcld.docx"])
def test_libreoffice_prints_a4_with_the_whole_synthese_on_page_1(printed, name):
    _, pdf = printed[name]
    info = subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size:"))
    width, _, height = size.removeprefix("Page size:").split()[:3]
    assert (round(float(width)), round(float(height))) == (595, 842), size  # A4, not Letter
    pages = _pdf_text(pdf, "-layout").split("\f")
    assert "1. Synthèse" in pages[0] and "la première année" in pages[0], name
    if name.startswith("pedibus"):
        assert "16 120 € la première année" in pages[0]
    # the whole synthèse on page 1: the table of contents that follows it starts on page 1 or
    # at the top of page 2
    assert "Sommaire" in pages[0] or pages[1].lstrip().startswith("Sommaire"), pages[1][:200]


def _words(root: ElementTree.Element, paragraph: str, cell: str, breaks: set[str]):
    """(word, in a table cell) for each word of a document's paragraphs."""
    parents = {child: parent for parent in root.iter() for child in parent}

    def flat(element: ElementTree.Element) -> str:
        pieces = [element.text or ""]
        for child in element:
            pieces.append(" " if child.tag in breaks else flat(child))
            pieces.append(child.tail or "")
        return "".join(pieces)

    for p in root.iter(paragraph):
        inside, up = False, p
        while up in parents and not inside:
            up = parents[up]
            inside = up.tag == cell
        for word in flat(p).replace("\u202f", " ").replace("\u00a0", " ").split():
            yield word, inside


def _plain_word(token: str) -> str | None:
    """The token as a word made of letters (without the punctuation around it), or None: a
    figure or a hyphenated name may be broken where it may."""
    word = token.strip(".,;:()«»!?")
    return word if len(word) >= 3 and all(c.isalpha() or c in "’'" for c in word) else None


@needs_pandoc
@needs_libreoffice
@pytest.mark.bureautique
@pytest.mark.parametrize("name", ["pedibus.odt", "pedibus.docx", "tzcld.odt", "tzcld.docx"])
def test_libreoffice_cuts_no_word_of_a_table(printed, name):
    """Each word of a table cell is printed whole as often as the document holds it: a word cut
    across two lines of a narrow column (« Investisse/ment ») would be missing."""
    if not _arial_metrics():
        pytest.skip(
            "ni Arial ni Liberation Sans (paquet fonts-liberation) : LibreOffice mettrait "
            "une police plus large que celle sur laquelle les colonnes sont mesurées"
        )
    document, pdf = printed[name]
    if name.endswith(".docx"):
        root = _xml(document, "word/document.xml")
        words = _words(root, W + "p", W + "tc", {W + "br", W + "tab"})
    else:
        root = _xml(document, "content.xml")
        breaks = {_odf("text:line-break"), _odf("text:s"), _odf("text:tab")}
        words = _words(root, _odf("text:p"), _odf("table:table-cell"), breaks)
        words = [*words, *_words(root, _odf("text:h"), _odf("table:table-cell"), breaks)]
    held, in_cells = collections.Counter[str](), set()
    for token, inside in words:
        word = _plain_word(token)
        if word:
            held[word] += 1
            if inside:
                in_cells.add(word)
    printed_words = collections.Counter(
        word for token in _pdf_text(pdf).split() if (word := _plain_word(token))
    )
    assert len(in_cells) > 100
    cut = sorted(word for word in in_cells if printed_words[word] < held[word])
    assert cut == [], name
