"""PDF kits and plans (`-f pdf`, WeasyPrint): read back by pdftotext and pikepdf (qpdf), with
their metadata, table of contents, page footers and links; deterministic; a French usage error
when WeasyPrint is missing; nothing fetched for a hostile template."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from essaimage.commands import site
from essaimage.render import pdf
from helpers import EXAMPLES, invoke

pikepdf = pytest.importorskip("pikepdf")
REAL_MISSING = pdf.missing  # before the tests' fixture replaces it
PEDIBUS = str(EXAMPLES / "innovations" / "pedibus.yaml")
SAINT_BRIEUC = str(EXAMPLES / "territoires" / "saint-brieuc.yaml")
needs_weasyprint = pytest.mark.skipif(
    pdf.missing() is not None, reason=f"PDF impossible ici : {pdf.missing()}"
)


def pages_text(path):
    """The text of each page, by pdftotext (as the issue asks), spaces made plain."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext absent (paquet poppler-utils)")
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    text = re.sub(r"[\u00a0\u202f]", " ", done.stdout)
    return text.split("\f")[:-1]


@pytest.fixture(scope="module")
def kit_pdf(tmp_path_factory):
    out = tmp_path_factory.mktemp("kits")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        result = invoke("kit", PEDIBUS, "-t", SAINT_BRIEUC, "-f", "pdf", "-o", str(out))
    return result, out / "pedibus" / "saint-brieuc.pdf"


@needs_weasyprint
@pytest.mark.pdf
def test_the_kit_pdf_opens_on_the_synthese_with_the_computed_figures(kit_pdf):
    result, path = kit_pdf
    assert result.exit_code == 0, result.output
    assert f"Kit écrit : {path.as_posix()}" in result.stdout
    assert sorted(p.suffix for p in path.parent.iterdir() if p.is_file()) == [".pdf"]
    pages = pages_text(path)
    first = pages[0]
    assert "1. Synthèse" in first and "En bref pour Saint-Brieuc" in first
    # by hand: 6 000 + 8 400 + 1 720 = 16 120 € in 2027 (see test_bureautique.COST), then a
    # full year of 10 080 + 1 440 + 2 000 = 13 520 € in 2028 and 2029: 16 120 + 2 × 13 520
    assert "16 120 € la première année" in first and "43 160 € sur 3 ans" in first
    assert "2. Est-ce pour votre territoire" not in first
    for number, page in enumerate(pages, start=1):
        assert f"page {number} sur {len(pages)}" in page
        assert "Kit d’essaimage : Pédibus, le ramassage scolaire à pied — Saint-Brieuc" in page
    assert "WARNING" not in result.stderr and "Ignored" not in result.stderr  # WeasyPrint's logs


@needs_weasyprint
@pytest.mark.pdf
def test_the_table_of_contents_gives_the_right_pages(kit_pdf):
    _, path = kit_pdf
    pages = pages_text(path)
    assert "Sommaire" in pages[1]
    entries = re.findall(r"(\d)\. ([^.\n]+?)[ .]*?(\d+)\n", pages[1])
    assert len(entries) == 9
    for number, title, page in entries:
        heading = f"{number}. {title.strip()}"
        assert heading in pages[int(page) - 1], f"{heading} annoncé page {page}"


def _to_unicode(font):
    """A PDF font's codes and the text they stand for, from its ToUnicode CMap (2-byte codes,
    as WeasyPrint writes them)."""
    table = {}
    if "/ToUnicode" not in font:
        return table
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    for block in cmap.split("beginbfchar")[1:]:
        for source, target in re.findall(
            r"<([0-9a-fA-F]+)> *<([0-9a-fA-F]+)>", block.split("endbfchar")[0]
        ):
            table[int(source, 16)] = bytes.fromhex(target).decode("utf-16-be")
    for block in cmap.split("beginbfrange")[1:]:
        ranges = re.findall(
            r"<([0-9a-fA-F]+)> *<([0-9a-fA-F]+)> *<([0-9a-fA-F]+)>", block.split("endbfrange")[0]
        )
        for first, last, target in ranges:
            start = int(target, 16)
            for code in range(int(first, 16), int(last, 16) + 1):
                table[code] = chr(start + code - int(first, 16))
    return table


def text_sizes(path):
    """Each line of text the PDF draws, with the size it is drawn at on the page, in points: the
    font size of its `Tf` scaled by the text matrix and the page's transformations (`cm`)."""
    shown = []
    with pikepdf.open(path) as document:
        for page in document.pages:
            fonts = {str(name): _to_unicode(font) for name, font in page.Resources.Font.items()}
            matrix, saved, text_scale, font, size = (1.0, 0.0, 0.0, 1.0), [], 1.0, None, 0.0
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op == "q":
                    saved.append(matrix)
                elif op == "Q":
                    matrix = saved.pop()
                elif op == "cm":
                    a, b, c, d = (float(x) for x in operands[:4])
                    m = matrix
                    matrix = (
                        a * m[0] + b * m[2],
                        a * m[1] + b * m[3],
                        c * m[0] + d * m[2],
                        c * m[1] + d * m[3],
                    )
                elif op == "Tm":
                    text_scale = float(operands[3])
                elif op == "Tf":
                    font, size = str(operands[0]), float(operands[1])
                elif op in ("TJ", "Tj"):
                    items = operands[0] if op == "TJ" else [operands[0]]
                    codes = b"".join(bytes(x) for x in items if isinstance(x, pikepdf.String))
                    chars = (
                        int.from_bytes(codes[i : i + 2], "big") for i in range(0, len(codes), 2)
                    )
                    text = "".join(fonts[font].get(code, "\ufffd") for code in chars)
                    shown.append((text, round(abs(size * text_scale * matrix[3]), 2)))
    return shown


@needs_weasyprint
@pytest.mark.pdf
def test_the_pdf_text_is_large_enough_to_read_on_paper(kit_pdf):
    """Issue 24: a 10,5 pt body, tables, captions and notes at 9,5 pt at least, the page footer
    at 9 pt; measured on the text the PDF draws, not on the style sheet."""
    _, path = kit_pdf
    shown = text_sizes(path)
    pages = len(pages_text(path))

    def sizes(fragment):
        found = {size for text, size in shown if fragment in text}
        assert found, f"« {fragment} » absent du PDF"
        return found

    by_size = {}
    for text, size in shown:
        by_size[size] = by_size.get(size, 0) + len(text)
    assert max(by_size, key=by_size.get) == 10.5  # most of the text: the body
    assert sizes("Chaque moyen est compté pour tout le projet") == {10.5}
    assert min(sizes("Étapes du déploiement")) >= 9.5  # a table's caption
    assert min(sizes("Responsable")) >= 9.5  # a table's header and cells
    assert min(sizes("16 120 €")) >= 9.5  # in the synthèse's table
    assert min(sizes("Payé dès le début")) >= 9.5  # a note in a table
    assert min(sizes("regles")) >= 9.5  # a note, its code too
    assert sizes(f"page 1 sur {pages}") == {9.0}  # the running footer
    assert sizes("Kit d’essaimage : Pédibus") == {9.0}
    superscripts = {"er", "re", "e"}  # « 1er », « 1re », « 2e »
    assert min(size for text, size in shown if text not in superscripts) >= 9.0
    assert 9 <= pages <= 11  # 9 pages at the former sizes


@needs_weasyprint
@pytest.mark.pdf
def test_the_pdf_is_valid_tagged_and_described(kit_pdf):
    _, path = kit_pdf
    with pikepdf.open(path) as document:
        assert document.check_pdf_syntax() == []  # qpdf's structural check
        info = document.docinfo
        assert str(info["/Title"]).startswith("Kit d’essaimage\u00a0: Pédibus")
        assert str(info["/Subject"]).startswith("Des lignes à pied")
        assert "/CreationDate" not in info  # no date unless SOURCE_DATE_EPOCH
        assert str(document.Root.Lang) == "fr"
        assert bool(document.Root.MarkInfo.Marked)  # tagged
        assert "/StructTreeRoot" in document.Root
        with document.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
        links = [
            annot
            for page in document.pages
            for annot in page.get("/Annots", [])
            if annot.get("/Subtype") == "/Link"
        ]
        internal = [a for a in links if "/Dest" in a or "/D" in a.get("/A", {})]
        external = [a for a in links if "/URI" in a.get("/A", {})]
        assert len(internal) >= 8  # the table of contents
        assert external  # the descriptor's sources


@needs_weasyprint
@pytest.mark.pdf
def test_the_pdf_is_the_same_bytes_each_time(tmp_path, monkeypatch):
    invoke("kit", PEDIBUS, "-t", SAINT_BRIEUC, "-f", "pdf", "-o", str(tmp_path / "a"))
    invoke("kit", PEDIBUS, "-t", SAINT_BRIEUC, "-f", "pdf", "-o", str(tmp_path / "b"))
    a = (tmp_path / "a" / "pedibus" / "saint-brieuc.pdf").read_bytes()
    assert a == (tmp_path / "b" / "pedibus" / "saint-brieuc.pdf").read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    invoke("kit", PEDIBUS, "-t", SAINT_BRIEUC, "-f", "pdf", "-o", str(tmp_path / "c"))
    with pikepdf.open(tmp_path / "c" / "pedibus" / "saint-brieuc.pdf") as document:
        assert str(document.docinfo["/CreationDate"]).startswith("D:20260528202640")


@needs_weasyprint
@pytest.mark.pdf
def test_a_hostile_template_makes_the_conversion_fetch_nothing(tmp_path, monkeypatch):
    image = tmp_path / "image.png"
    shutil.copy(EXAMPLES.parent / "tests" / "data" / "pixel.png", image)
    repo = tmp_path / "depot"
    shutil.copytree(EXAMPLES, repo)
    (repo / "gabarits").mkdir()
    source = Path(pdf.__file__).parent.parent / "templates" / "kit.html.j2"
    template = source.read_text(encoding="utf-8")
    hostile = (
        f'<img src="{image.as_uri()}" alt="x"><img src="http://203.0.113.1/x.png" alt="y">'
        f'<link rel="stylesheet" href="{image.as_uri()}">'
    )
    (repo / "gabarits" / "kit.html.j2").write_text(
        template.replace('<main id="contenu">', '<main id="contenu">' + hostile), "utf-8"
    )
    (repo / "essaimage.yaml").write_text("essaimage: 1\nexclure: [ci]\ngabarits: gabarits\n")
    monkeypatch.chdir(repo)
    result = invoke("kit", "innovations/pedibus.yaml", "-t", "saint-brieuc", "-f", "pdf")
    assert result.exit_code == 0, result.output
    with pikepdf.open(repo / "kits" / "pedibus" / "saint-brieuc.pdf") as document:
        images = [name for page in document.pages for name in page.get_images()]
        assert images == []


@needs_weasyprint
@pytest.mark.pdf
def test_the_plan_pdf(tmp_path):
    result = invoke(
        "plan", str(EXAMPLES / "plans" / "pedibus-bretagne.yaml"), "-f", "pdf", "-o", str(tmp_path)
    )
    assert result.exit_code == 0, result.output
    path = tmp_path / "pedibus-bretagne" / "plan.pdf"
    assert f"Écrit : {path.as_posix()}" in result.stdout
    with pikepdf.open(path) as document:
        assert document.check_pdf_syntax() == []
        assert str(document.docinfo["/Title"]).startswith("Plan de montée en charge")
    first = pages_text(path)[0]
    assert "1. Synthèse" in first and "Repères pour tout le plan" in first


def test_without_weasyprint_pdf_is_a_usage_error_and_nothing_is_written(tmp_path):
    result = invoke("kit", PEDIBUS, "-t", SAINT_BRIEUC, "-f", "md,pdf", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert "WeasyPrint" in result.stderr and "pip install weasyprint" in result.stderr
    assert list(tmp_path.iterdir()) == []
    plan = invoke(
        "plan", str(EXAMPLES / "plans" / "pedibus-bretagne.yaml"), "-f", "pdf", "-o", str(tmp_path)
    )
    assert plan.exit_code == 2 and "pip install weasyprint" in plan.stderr
    assert list(tmp_path.iterdir()) == []


def test_tout_makes_md_and_html_where_weasyprint_is_missing(tmp_path):
    result = invoke("kit", PEDIBUS, "-t", SAINT_BRIEUC, "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    made = sorted(p.name for p in (tmp_path / "pedibus").iterdir() if p.is_file())
    assert made == ["saint-brieuc.html", "saint-brieuc.md"]


@pytest.mark.parametrize("value", ["rtf", "md,", "md,xls", ""])
def test_unknown_formats_are_usage_errors(tmp_path, value):
    result = invoke("kit", PEDIBUS, "-t", SAINT_BRIEUC, "-f", value, "-o", str(tmp_path))
    if value == "md,":
        assert result.exit_code == 0  # a trailing comma is forgiven
        return
    assert result.exit_code == 2
    assert "formats permis : md, html, pdf, odt, docx" in result.stderr


@needs_weasyprint
@pytest.mark.pdf
def test_the_site_links_the_pdf_of_each_kit(examples_repo):
    result = invoke("site")
    assert result.exit_code == 0, result.output
    public = examples_repo / "public"
    assert (public / "kits" / "pedibus" / "saint-brieuc.pdf").read_bytes().startswith(b"%PDF-")
    assert (public / "plans" / "pedibus-bretagne" / "plan.pdf").exists()
    page = (public / "innovations" / "pedibus.html").read_text(encoding="utf-8")
    assert 'href="../kits/pedibus/saint-brieuc.pdf">PDF</a>' in page


@needs_weasyprint
@pytest.mark.pdf
def test_a_site_rebuild_reuses_the_pdfs_whose_html_did_not_change(examples_repo, monkeypatch):
    first = invoke("site")
    assert first.exit_code == 0, first.output
    public = examples_repo / "public"
    kit = public / "kits" / "pedibus" / "saint-brieuc.pdf"
    plan = public / "plans" / "pedibus-bretagne" / "plan.pdf"
    originals = {kit: kit.read_bytes(), plan: plan.read_bytes()}
    made: list[str] = []
    to_pdf = pdf.to_pdf

    def counting(html):
        made.append(html)
        return to_pdf(html)

    monkeypatch.setattr(pdf, "to_pdf", counting)
    again = invoke("site")
    assert made == [] and "(0 écrit," in again.stdout
    # a PDF changed in the site's folder is written again from the cache (the folder is not
    # trusted), and one that the cache lost is made again, alone
    kit.write_bytes(originals[kit] + b"%")
    cached = sorted(site.cache_folder().glob("*.pdf"))
    next(path for path in cached if path.read_bytes() == originals[plan]).unlink()
    third = invoke("site")
    assert third.exit_code == 0, third.output
    assert len(made) == 1 and "(1 écrit," in third.stdout
    assert {path: path.read_bytes() for path in originals} == originals


def test_a_template_whose_pdf_takes_too_long_is_a_finding(tmp_path, monkeypatch):
    """A repository's template may produce HTML that takes forever to lay out: the PDF stops
    after the templates' time limit and the kit is a K302 finding, the run goes on."""
    import time

    from essaimage.render import engine as render

    repo = tmp_path / "depot"
    shutil.copytree(EXAMPLES, repo)
    (repo / "gabarits").mkdir()
    source = Path(pdf.__file__).parent.parent / "templates" / "kit.html.j2"
    (repo / "gabarits" / "kit.html.j2").write_text(source.read_text("utf-8"), "utf-8")
    (repo / "essaimage.yaml").write_text("essaimage: 1\nexclure: [ci]\ngabarits: gabarits\n")
    monkeypatch.chdir(repo)
    monkeypatch.setattr(pdf, "missing", lambda: None)
    monkeypatch.setattr(pdf, "to_pdf", lambda html: time.sleep(10) or b"%PDF-")
    monkeypatch.setattr(render, "TEMPLATE_SECONDS", 2.0)
    started = time.perf_counter()
    result = invoke("kit", "innovations/pedibus.yaml", "-t", "saint-brieuc", "-f", "pdf")
    assert time.perf_counter() - started < 8
    assert result.exit_code == 1
    assert "K302" in result.stdout + result.stderr
    assert "trop long ou trop gourmand à mettre en PDF" in result.stdout + result.stderr


def test_missing_weasyprint_or_its_system_libraries_are_said_in_french(monkeypatch):
    import builtins
    import sys

    real_import = builtins.__import__

    def failing(kind):
        def fake(name, *args, **kwargs):
            if name == "weasyprint":
                raise kind("cannot load library 'libpango-1.0-0'")
            return real_import(name, *args, **kwargs)

        return fake

    for kind, said in ((ImportError, "absente"), (OSError, "bibliothèque du système")):
        monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
        monkeypatch.setattr(builtins, "__import__", failing(kind))
        reason = REAL_MISSING.__wrapped__()
        assert said in reason
        monkeypatch.setattr(builtins, "__import__", real_import)
