"""Issue 21, what a repository's data may bring into the outputs: no dangerous link in any output
(HTML and Markdown kits, site, plan, PDF annotations, ODT and DOCX links), no spreadsheet formula
in a CSV file, no terminal escape in a printed line, no backtracking pattern, no Markdown or HTML
from a file in GitHub's job summary."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import random
import re
import shutil
import signal
import subprocess
import time
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from essaimage.cli import app
from essaimage.files.gitignore import IgnoreRules
from essaimage.render import office as bureautique
from essaimage.render import pdf
from essaimage.text.links import is_safe_link, is_web_link, scheme
from essaimage.text.spreadsheet import text_cell
from essaimage.text.terminal import visible
from helpers import BASE, NO_LICENCE, build_file_tree, invoke, runner

# --- the link policy -------------------------------------------------------------------------

SAFE = [
    "https://exemple.org/page",
    "http://exemple.org",
    "HTTPS://EXEMPLE.ORG/",
    "https://exemple.org/a?b=c#d",
    "mailto:contact@exemple.org",
    "MailTo:contact@exemple.org",
    "#pour-mon-territoire",
    "  https://exemple.org/",  # what a browser strips around an address
    "ht\ttps://exemple.org/",  # a browser drops tabs and line breaks inside an address
    "https:\\\\exemple.org",  # read as https://exemple.org
]
REFUSED = [
    "smb://serveur/partage",
    "SMB://serveur/partage",
    "ms-msdt:/id PCWDiagnostic",
    "ms-officecmd:x",
    "search-ms:query=facture&crumb=location:\\\\serveur\\partage",
    "ftp://serveur/fichier",
    "file:///etc/passwd",
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "\x01javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//serveur/partage",
    "\\\\serveur\\partage",
    "/\\serveur/partage",
    "../../Windows/System32/calc.exe",
    "calc.exe",
    "./rapport.pdf",
    "?q=1",
    "",
    "#",
    "mailto:",
    "https:",
    "https:/exemple.org",
    "https:///exemple.org",
    "http:exemple.org",
    "%6Aavascript:alert(1)",
    "ja%76ascript:alert(1)",
    "https%3A//exemple.org",
]


@pytest.mark.parametrize("url", SAFE)
def test_the_policy_keeps_web_pages_addresses_and_anchors(url):
    assert is_safe_link(url)


@pytest.mark.parametrize("url", REFUSED)
def test_the_policy_refuses_every_other_link(url):
    assert not is_safe_link(url)


def test_the_policy_reads_the_scheme_as_a_browser_does():
    assert scheme(" \tHTTPS://x") == "https"
    assert scheme("ms-msdt:/id") == "ms-msdt"
    assert scheme("//host/x") is None and scheme("#a") is None and scheme("1a:b") is None
    assert is_web_link("https://x.fr") and not is_web_link("mailto:a@b.fr")


def test_the_link_fields_of_the_format_accept_only_what_the_policy_keeps():
    """`lien`, `source.url`, `ressources[].url`, `site_url`… (scalars.to_link) are written as they
    are into an href by the templates: each value they accept is a web link of the policy."""
    from pydantic_core import PydanticCustomError

    from essaimage.format.scalars import to_link

    for url in SAFE + REFUSED:
        try:
            accepted = to_link(url)
        except PydanticCustomError:
            continue
        assert is_web_link(accepted), url
    for url in ("mailto:a@b.fr", "#ancre", "smb://serveur/x", "//serveur/x", "ftp://x/y"):
        with pytest.raises(PydanticCustomError):
            to_link(url)


# --- links from a descriptor's Markdown fields -----------------------------------------------

# Each dangerous destination names « piege »: no link of any output may lead there.
DANGEROUS = {
    "lien-smb": "smb://piege/partage",
    "lien-smb-majuscules": "SMB://PIEGE/partage",
    "lien-msdt": "ms-msdt:/id%20PCWDiagnostic%20/skip%20piege",
    "lien-search": "search-ms:query=piege",
    "lien-ftp": "ftp://piege/fichier",
    "lien-relatif": "../../piege/calc.exe",
    "lien-reseau": "//piege/partage",
    "lien-fichier": "file:///piege/passwd",
    "lien-script": "javascript:piege()",
    "lien-espace": "< javascript:piege()>",
    "lien-donnees": "data:text/html,piege",
}
KEPT = {
    "lien-web": "https://exemple.org/bon",
    "lien-ancien": "http://exemple.org/ancien",
    "lien-courriel": "mailto:contact@exemple.org",
    "lien-ancre": "#pour-mon-territoire",
}
HOSTILE_TEXT = (
    "".join(f"  Voir [{text}]({target}).\n" for text, target in {**DANGEROUS, **KEPT}.items())
    + "  Aussi <smb://piege/auto> et <ms-msdt:piege>.\n"
)


class Links(HTMLParser):
    """Every href of a page."""

    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.hrefs += [value or "" for name, value in attrs if name == "href"]


def hrefs(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.hrefs


def assert_only_kept_links(targets: list[str], *, anchors: bool = True) -> None:
    """No link leads to « piege », and the web, e-mail (and anchor) links are still there."""
    assert not [t for t in targets if "piege" in t.lower()], targets
    for text, target in KEPT.items():
        if anchors or not target.startswith("#"):
            assert target in targets, (text, targets)


@pytest.fixture
def hostile_repo(examples_repo):
    """The examples, with dangerous links in a Markdown field of a descriptor and of a profile."""
    for relative, field in (
        ("innovations/pedibus.yaml", "probleme: |\n"),
        ("territoires/saint-brieuc.yaml", "contexte: |\n"),
    ):
        path = examples_repo / relative
        text = path.read_text(encoding="utf-8")
        assert field in text
        path.write_text(text.replace(field, field + HOSTILE_TEXT + "\n", 1), encoding="utf-8")
    return examples_repo


def test_no_dangerous_link_from_markdown_in_the_html_and_markdown_kits(hostile_repo):
    from markdown_it import MarkdownIt

    result = invoke(
        "kit", "innovations/pedibus.yaml", "-t", "territoires/saint-brieuc.yaml", "-f", "md,html"
    )
    assert result.exit_code == 0, result.output
    html = (hostile_repo / "kits" / "pedibus" / "saint-brieuc.html").read_text(encoding="utf-8")
    assert_only_kept_links(hrefs(html))
    for text in DANGEROUS:
        assert text in html  # a refused link becomes its text
    md = (hostile_repo / "kits" / "pedibus" / "saint-brieuc.md").read_text(encoding="utf-8")
    assert_only_kept_links(hrefs(MarkdownIt("commonmark").render(md)))


def test_no_dangerous_link_from_markdown_in_the_site_and_the_plan(hostile_repo):
    result = invoke("site", "-o", "public")
    assert result.exit_code == 0, result.output
    pages = sorted((hostile_repo / "public").rglob("*.html"))
    assert len(pages) > 5
    innovation = (hostile_repo / "public" / "innovations" / "pedibus.html").read_text("utf-8")
    assert_only_kept_links(hrefs(innovation), anchors=False)
    for page in pages:
        assert not [t for t in hrefs(page.read_text("utf-8")) if "piege" in t.lower()], page
    result = invoke("plan", "plans/pedibus-bretagne.yaml", "-f", "html", "--kits", "-o", "p")
    assert result.exit_code == 0, result.output
    written = sorted((hostile_repo / "p").rglob("*.html"))
    assert len(written) > 1
    for page in written:
        assert not [t for t in hrefs(page.read_text("utf-8")) if "piege" in t.lower()], page


needs_weasyprint = pytest.mark.skipif(
    pdf.missing() is not None, reason=f"PDF impossible ici : {pdf.missing()}"
)
needs_pandoc = pytest.mark.skipif(
    bureautique.missing() is not None, reason=f"pandoc absent : {bureautique.missing()}"
)


def pdf_link_targets(path: Path) -> list[str]:
    """Every link annotation's URI (external) or destination (internal) in a PDF."""
    pikepdf = pytest.importorskip("pikepdf")
    targets = []
    with pikepdf.open(path) as document:
        for page in document.pages:
            for annotation in page.get("/Annots", []):
                if annotation.get("/Subtype") == "/FileAttachment":
                    targets.append("piege:attachment")
                action = annotation.get("/A")
                if action is not None and "/URI" in action:
                    targets.append(str(action.URI))
                elif "/Dest" in annotation:
                    targets.append("#" + str(annotation.Dest))
    return targets


@needs_weasyprint
@pytest.mark.pdf
def test_no_dangerous_link_annotation_in_the_pdf(hostile_repo):
    result = invoke(
        "kit", "innovations/pedibus.yaml", "-t", "territoires/saint-brieuc.yaml", "-f", "pdf"
    )
    assert result.exit_code == 0, result.output
    targets = pdf_link_targets(hostile_repo / "kits" / "pedibus" / "saint-brieuc.pdf")
    assert_only_kept_links(targets)


@needs_weasyprint
@pytest.mark.pdf
def test_the_pdf_leaves_out_any_link_outside_the_policy_whatever_made_the_html(tmp_path):
    """The last check: a repository's own template (or anything else) writing a dangerous
    address straight into the HTML still gets no such link annotation in the PDF."""
    links = "".join(
        f'<p><a href="{target}">{text}</a></p>'
        for text, target in {**DANGEROUS, **KEPT}.items()
        if not target.startswith("<")
    )
    html = (
        '<!DOCTYPE html><html lang="fr"><head><title>t</title>'
        '<style>p.css { link: url("smb://piege/css") }</style></head><body>'
        f'<h2 id="pour-mon-territoire">Pour mon territoire</h2>{links}'
        '<p class="css">lien par la feuille de style</p>'
        '<p><a rel="attachment" href="https://exemple.org/piece-jointe-piege">pièce</a></p>'
        "</body></html>"
    )
    path = tmp_path / "t.pdf"
    path.write_bytes(pdf.to_pdf(html))
    assert_only_kept_links(pdf_link_targets(path))


def docx_link_targets(path: Path) -> list[str]:
    """Every hyperlink of a DOCX: its relationships' targets and its internal anchors."""
    with zipfile.ZipFile(path) as archive:
        rels = archive.read("word/_rels/document.xml.rels").decode("utf-8")
        body = archive.read("word/document.xml").decode("utf-8")
    targets = re.findall(r'Target="([^"]*)"[^>]*TargetMode="External"', rels)
    targets += re.findall(r'TargetMode="External"[^>]*Target="([^"]*)"', rels)
    targets += ["#" + a for a in re.findall(r'<w:hyperlink [^>]*w:anchor="([^"]*)"', body)]
    return [t.replace("&amp;", "&") for t in targets]


def odt_link_targets(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        content = archive.read("content.xml").decode("utf-8")
    return [t.replace("&amp;", "&") for t in re.findall(r'xlink:href="([^"]*)"', content)]


@needs_pandoc
@pytest.mark.bureautique
def test_no_dangerous_link_in_the_odt_and_docx(hostile_repo):
    result = invoke(
        "kit", "innovations/pedibus.yaml", "-t", "territoires/saint-brieuc.yaml", "-f",
        "odt,docx",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    folder = hostile_repo / "kits" / "pedibus"
    assert_only_kept_links(docx_link_targets(folder / "saint-brieuc.docx"))
    assert_only_kept_links(odt_link_targets(folder / "saint-brieuc.odt"))


@needs_pandoc
@pytest.mark.bureautique
def test_the_pandoc_filter_keeps_no_link_the_policy_refuses():
    """templates/liens.lua, the policy inside pandoc (the last check of ODT and DOCX, whatever
    made the HTML), against links.is_safe_link: a link it keeps is one the policy keeps, and
    the plain web, e-mail and anchor links stay."""
    from html import escape

    candidates = SAFE + REFUSED + list(DANGEROUS.values()) + list(KEPT.values())
    body = "".join(
        f'<p><a href="{escape(url)}">lien{index}</a></p>' for index, url in enumerate(candidates)
    )
    html = f'<html><body><h2 id="pour-mon-territoire">T</h2>{body}</body></html>'
    filter_path = Path(bureautique.__file__).parent.parent / "templates" / "liens.lua"
    done = subprocess.run(
        [bureautique.pandoc_path(), "--sandbox", "--from=html", "--to=json",
         f"--lua-filter={filter_path}"],
        input=html.encode("utf-8"), capture_output=True, check=True,
    )  # fmt: skip
    kept: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("t") == "Link":
                kept.append(node["c"][2][0])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(done.stdout))
    assert kept and all(is_safe_link(target) for target in kept), kept
    for url in ("https://exemple.org/page", "mailto:contact@exemple.org", "#pour-mon-territoire"):
        assert url in kept


# --- spreadsheet formulas in CSV files --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+33 1 23 45 67 89", "'+33 1 23 45 67 89"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("   =1+1", "'   =1+1"),  # after spaces too
        ("\n =1+1", "'\n =1+1"),
        ("'déjà une apostrophe", "''déjà une apostrophe"),  # so that the rule can be undone
        ("Saint-Brieuc", "Saint-Brieuc"),
        ("A=B", "A=B"),
        ("  Bourg", "  Bourg"),
        ("", ""),
    ],
)
def test_a_text_cell_is_never_a_formula(text, cell):
    assert text_cell(text) == cell
    undone = cell[1:] if cell.startswith("'") else cell
    assert undone == text


FORMULAS = {
    "nom": '=HYPERLINK("https://piege.example/","clic")',
    "origine": "@SUM(1+1)",
    "porteur": "-2+3",
}


@pytest.fixture
def formula_repo(examples_repo):
    """The examples, with texts that a spreadsheet would run as formulas in a descriptor, a
    profile and a plan."""
    path = examples_repo / "innovations" / "pedibus.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in (
        ("nom: Pédibus, le ramassage scolaire à pied", f"nom: '{FORMULAS['nom']}'"),
        ("    nom: Lausanne (Suisse)", f"    nom: '{FORMULAS['origine']}'"),
        ("    nom: Association transports et environnement (ATE)",
         f"    nom: '{FORMULAS['porteur']}'"),
    ):  # fmt: skip
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    (examples_repo / "territoires" / "piege.yaml").write_text(
        "essaimage: 1\n"
        f"territoire: {{nom: '{FORMULAS['nom']}', type: commune, population: 8000}}\n",
        encoding="utf-8",
    )
    (examples_repo / "plans" / "piege.yaml").write_text(
        "essaimage: 1\nplan:\n  id: piege\n  nom: '=1+1'\n  innovation: pedibus\n"
        "  porteur: {nom: '@porteur'}\n  debut: 2027-09-01\n"
        "  cibles:\n    - profil: ../territoires/piege.yaml\n",
        encoding="utf-8",
    )
    return examples_repo


def csv_rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    text = path.read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def test_no_formula_reaches_the_sites_csv_of_a_plan(formula_repo):
    result = invoke("plan", "plans/piege.yaml", "-f", "csv", "-o", "sortie")
    assert result.exit_code == 0, result.output
    (site,) = csv_rows(formula_repo / "sortie" / "piege" / "sites.csv", ";")
    assert site["territoire"] == "'" + FORMULAS["nom"]
    assert site["population"] == "8000" and site["type"] == "commune"
    assert not site["cout_annee_1"].startswith("'")  # numbers stay numbers


def test_no_formula_reaches_the_open_data_and_the_package_stays_valid(formula_repo):
    frictionless = pytest.importorskip("frictionless")
    result = invoke("export")
    assert result.exit_code == 0, result.output
    out = formula_repo / "donnees"
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    innovations = {row["id"]: row for row in csv_rows(out / "innovations.csv")}
    pedibus = innovations["pedibus"]
    assert pedibus["nom"] == "'" + FORMULAS["nom"]
    assert pedibus["territoire_origine"] == "'" + FORMULAS["origine"]
    assert pedibus["porteur_origine"] == "'" + FORMULAS["porteur"]
    plans = {row["id"]: row for row in csv_rows(out / "plans.csv")}
    assert plans["piege"]["nom"] == "'=1+1" and plans["piege"]["porteur"] == "'@porteur"
    for name in ("innovations.csv", "essaimages.csv", "plans.csv"):
        for row in csv_rows(out / name):
            for column, value in row.items():
                assert value.lstrip()[:1] not in ("=", "+", "-", "@"), (name, column, value)


# --- terminal escapes ------------------------------------------------------------------------

OSC52 = "\x1b]52;c;Y2FsYyAtZQ==\x07"  # writes the clipboard
CSI = "\x1b[2J\x1b[H\x1b[1A"  # clears the screen, moves the cursor
OSC8 = "\x1b]8;;https://piege.example/\x1b\\lien\x1b]8;;\x1b\\"  # a terminal hyperlink
RAW = ("\x1b", "\x07", "\x9b", "\r", "\u202e", "\u2066", "\u200f", "\u061c", "\u2028")


def on_terminal(*args: str):
    """The command line as on a terminal: click strips nothing (it removes some ANSI sequences
    from what is not a terminal, not OSC ones)."""
    return runner.invoke(app, list(args), catch_exceptions=False, color=True)


def assert_no_raw_control(output: str) -> None:
    for line in output.split("\n"):
        for char in RAW:
            assert char not in line, (char, line)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (OSC52, "\\x1b]52;c;Y2FsYyAtZQ==\\x07"),
        ("a\rb", "a\\rb"),
        ("a\tb\nc", "a\\tb\\nc"),
        ("\x9b2J", "\\x9b2J"),
        ("\x7f", "\\x7f"),
        ("abc\u202edef", "abc\\u202edef"),
        (
            "\u200e\u200f\u061c\u2066\u2069\u200b\ufeff\u00ad",
            "\\u200e\\u200f\\u061c\\u2066\\u2069\\u200b\\ufeff\\xad",
        ),
        ("tag\U000e0041", "tag\\U000e0041"),
        ("15\u202f973\u00a0€ : « Bourg »", "15\u202f973\u00a0€ : « Bourg »"),  # French spaces stay
        ("[bold]gras[/bold]", "[bold]gras[/bold]"),
    ],
)
def test_visible_escapes_every_control_and_bidi_character(text, shown):
    assert visible(text) == shown
    assert visible(shown) == shown


def test_a_code_frame_shows_a_file_s_escape_sequences_as_text(tmp_path, monkeypatch):
    """A descriptor line with OSC 52, cursor movement, an OSC 8 link and U+202E, shown under
    its finding by `validate --contexte`: escaped, the caret still under the faulty column."""
    monkeypatch.chdir(tmp_path)
    hostile = f"Atelier {OSC52} {CSI} {OSC8} \u202eevil"
    (tmp_path / "a.yaml").write_text(
        BASE.replace("nom: Atelier vélo solidaire", "nom: " + hostile), encoding="utf-8"
    )
    (tmp_path / "b.yaml").write_text(
        BASE.replace("nom: Atelier vélo solidaire", "nom: Atelier \u202eevil\u200f"),
        encoding="utf-8",
    )
    result = on_terminal("validate", "a.yaml", "b.yaml", "--contexte")
    assert result.exit_code == 1
    assert_no_raw_control(result.output)
    assert "\\x1b]52;c;Y2FsYyAtZQ==\\x07" in result.output
    assert "\\x1b[2J" in result.output and "\\u202eevil" in result.output
    lines = result.output.splitlines()
    frame = next(i for i, line in enumerate(lines) if line.startswith("    5 | nom: Atelier \\x1b"))
    column = int(lines[frame - 1].split(":")[2])
    source = hostile.split("\n")[0]
    caret = lines[frame + 1].index("^") - len("      | ")
    assert caret == len(visible(("nom: " + source)[: column - 1]))


def test_a_plan_name_cannot_rewrite_the_terminal_line(examples_repo):
    """`plan.nom` with a carriage return, bidi marks and Rich markup, printed by `essaimage
    plan`: escaped, and the markup stays text."""
    plan = examples_repo / "plans" / "pedibus-bretagne.yaml"
    text = plan.read_text(encoding="utf-8")
    name = "nom: Le Pédibus dans les villes moyennes de Bretagne"
    assert name in text
    plan.write_text(
        text.replace(
            name,
            'nom: "Plan vrai\\rPlan FAUX \\u200f\\u2028 [bold red]rouge[/] [link=https://piege]x[/link]"',
        ),
        encoding="utf-8",
    )
    result = on_terminal("plan", "plans/pedibus-bretagne.yaml", "-f", "csv")
    assert result.exit_code == 0, result.output
    assert_no_raw_control(result.output)
    assert "Plan « Plan vrai\\rPlan FAUX \\u200f\\u2028 [bold red]rouge[/] " in result.stdout
    assert "[link=https://piege]x[/link]" in result.stdout


def test_a_territory_name_is_printed_escaped(examples_repo):
    """A profile's territory name with a carriage return and a right-to-left mark, in the note
    `essaimage plan` prints when a target is named twice."""
    (examples_repo / "territoires" / "piege.yaml").write_text(
        "essaimage: 1\n"
        'territoire: {nom: "Bourg\\rFAUX\\u200f", code_insee: 22278, type: commune}\n',
        encoding="utf-8",
    )
    (examples_repo / "plans" / "piege.yaml").write_text(
        "essaimage: 1\nplan:\n  id: piege\n  nom: Piège\n  innovation: pedibus\n"
        "  porteur: {nom: Porteur}\n  debut: 2027-09-01\n  cibles:\n"
        "    - selection: {dans: region:53, type: commune, population_min: 40000,"
        " population_max: 50000}\n"
        "    - profil: ../territoires/piege.yaml\n",  # Saint-Brieuc again: a note names it
        encoding="utf-8",
    )
    result = on_terminal("plan", "plans/piege.yaml", "-f", "csv")
    assert result.exit_code == 0, result.output
    assert_no_raw_control(result.output)
    assert "Note : Bourg\\rFAUX\\u200f est nommé deux fois" in result.stderr


def test_a_file_name_is_printed_escaped(tmp_path, monkeypatch):
    """File names with an escape sequence or a right-to-left mark, in every line `validate`
    prints about them (findings, scores, files without a problem)."""
    build_file_tree(
        tmp_path,
        {
            ".git/": None,
            "essaimage.yaml": "essaimage: 1\n",
            "innovations/atelier\u200f.yaml": BASE,
            f"innovations/osc{OSC52}.yaml": BASE.replace("id: atelier-velo", "id: atelier-b"),
            "innovations/rtl\u202e.yaml": NO_LICENCE.replace("id: atelier-velo", "id: atelier-c"),
        },
    )
    monkeypatch.chdir(tmp_path)
    result = on_terminal("validate", "--detail")
    assert_no_raw_control(result.output)
    assert "innovations/atelier\\u200f.yaml : indice de déployabilité" in result.stdout
    assert "innovations/osc\\u001b]52;c;Y2FsYyAtZQ==\\u0007.yaml : indice" in result.stdout
    assert "innovations/rtl\\u202e.yaml:" in result.stdout


# --- GitHub's job summary --------------------------------------------------------------------

HOSTILE_KEY = (
    '"<img src=https://piege.example/p.png> <b>gras</b> [clic](https://piege.example/) '
    '![i](https://piege.example/i.png) **fort** _pench\u00e9_ `code` ~~barr\u00e9~~ $x$ &amp; a|b \\\\": 1'
)


def test_the_job_summary_shows_keys_and_file_names_as_text(tmp_path, monkeypatch):
    from markdown_it import MarkdownIt

    build_file_tree(
        tmp_path,
        {
            ".git/": None,
            "essaimage.yaml": "essaimage: 1\n",
            "innovations/a|<b>*c*.yaml": BASE.replace(
                "nom: Atelier vélo solidaire\n", f"nom: Atelier vélo solidaire\n{HOSTILE_KEY}\n"
            ),
        },
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "resume.md"))
    result = invoke("validate", "-f", "github")
    assert result.exit_code == 1
    summary = (tmp_path / "resume.md").read_text(encoding="utf-8")
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(summary)
    for markup in ("<img", "<a ", "<b>", "<strong>", "<em>", "<code>", "<s>", "<del>"):
        assert markup not in html, (markup, html)
    rows = re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
    assert len(rows) >= 2 and all(row.count("<td>") == 5 for row in rows[1:]), rows
    assert "**fort** _penché_ `code` ~~barré~~ $x$ &amp;amp; a|b \\" in html  # as written
    assert "a|&lt;b&gt;*c*.yaml" in html
    assert "| Fichier | Ligne | Niveau | Code | Message |" in summary  # still a readable table


# --- patterns without backtracking -----------------------------------------------------------

BACKTRACKING = "a*a*a*a*a*a*ab"  # with pathspec's regular expression: minutes on 200 « a »


@contextlib.contextmanager
def at_most(seconds: float):
    """Fails the test (instead of hanging it) when the block takes longer: the regular
    expression engine checks signals, so a backtracking match is interrupted too."""
    if not hasattr(signal, "setitimer"):
        pytest.skip("pas de minuterie SIGALRM ici")

    def expired(*_):
        raise TimeoutError(f"plus de {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_a_backtracking_pattern_matches_in_linear_time():
    rules = IgnoreRules.from_lines([BACKTRACKING])
    started = time.perf_counter()
    with at_most(5):
        assert not rules.match_file("a" * 200)
        assert rules.match_file("a" * 199 + "b")
        assert not rules.match_file("innovations/" + "a" * 100_000)
        assert not IgnoreRules.from_lines(["*a" * 5000 + "?b"]).match_file("a" * 255)
        deep = "/".join(["**", "a*a*a*b"] * 200)
        assert not IgnoreRules.from_lines([deep]).match_file("/".join(["a" * 50] * 200))
    assert time.perf_counter() - started < 1


def test_a_backtracking_exclusion_and_gitignore_stay_effective_and_quick(tmp_path, monkeypatch):
    """The patterns of essaimage.yaml (`exclure`, `regles_par_chemin`) and of the repository's
    .gitignore against a 200-character file name: `validate` ends at once, and what the
    patterns exclude stays excluded."""
    long_name = "a" * 199 + "b"  # matches the pattern: excluded
    near_miss = "a" * 200  # the worst case for a backtracking engine: checked
    build_file_tree(
        tmp_path,
        {
            ".git/": None,
            ".gitignore": f"{BACKTRACKING}\nsortie/\n",
            "essaimage.yaml": (
                f"essaimage: 1\nexclure: ['{BACKTRACKING}', brouillons]\n"
                f"regles_par_chemin:\n  - chemins: ['{BACKTRACKING}']\n    regles: {{D803: ignorer}}\n"
            ),
            f"innovations/{near_miss}.yaml": NO_LICENCE,
            f"innovations/{long_name}/x.yaml": BASE.replace("atelier-velo", "exclu"),
            "innovations/brouillons/y.yaml": BASE.replace("atelier-velo", "brouillon"),
            "innovations/sortie/z.yaml": BASE.replace("atelier-velo", "sortie"),
        },
    )
    monkeypatch.chdir(tmp_path)
    with at_most(20):
        document = json.loads(invoke("validate", "-f", "json").stdout)
    files = document["fichiers"]
    assert files == ["essaimage.yaml", f"innovations/{near_miss}.yaml"], files
    assert [c["code"] for c in document["constats"]] == ["D803"]  # its rule is not ignored


# Git's own examples (gitignore(5)), as exclusions: (patterns, path, excluded). A path ending
# with « / » is a folder.
GIT_EXAMPLES = [
    (["foo/"], "foo/", True),
    (["foo/"], "foo", False),  # a file named foo
    (["foo/"], "a/foo/b.yaml", True),
    (["doc/frotz/"], "doc/frotz/", True),
    (["doc/frotz/"], "a/doc/frotz/", False),
    (["frotz/"], "a/frotz/", True),
    (["doc/frotz"], "doc/frotz", True),
    (["/doc/frotz"], "doc/frotz", True),
    (["doc/frotz"], "a/doc/frotz", False),
    (["*.html"], "a/b/index.html", True),
    (["hello.*"], "hello.txt", True),
    (["/bin"], "bin", True),
    (["/bin"], "src/bin", False),
    (["foo/*"], "foo/test.json", True),
    (["foo/*"], "foo/bar/", True),
    (["foo/*"], "foo", False),
    (["**/foo"], "a/b/foo", True),
    (["**/foo/bar"], "x/foo/bar", True),
    (["**/foo/bar"], "x/foo/y/bar", False),
    (["abc/**"], "abc/x/y", True),
    (["abc/**"], "abc", False),
    (["a/**/b"], "a/b", True),
    (["a/**/b"], "a/x/b", True),
    (["a/**/b"], "a/x/y/b", True),
    (["a/**/b"], "a/x/y/c", False),
    (["/*", "!/foo", "/foo/*", "!/foo/bar"], "foo/bar", False),
    (["/*", "!/foo", "/foo/*", "!/foo/bar"], "foo/baz", True),
    (["/*", "!/foo", "/foo/*", "!/foo/bar"], "autre", True),
    (["*.yaml", "!garder.yaml"], "d/garder.yaml", False),
    (["!garder.yaml", "*.yaml"], "d/garder.yaml", True),  # the last one wins
    (["\\!important!.txt"], "!important!.txt", True),
    (["\\#fichier"], "#fichier", True),
    (["#fichier"], "#fichier", False),  # a comment
    (["fin\\ "], "fin ", True),
    (["fin  "], "fin", True),  # trailing spaces dropped
    (["[a-c]x"], "bx", True),
    (["[!a-c]x"], "dx", True),
    (["[^a-c]x"], "bx", False),
    (["[]a]x"], "]x", True),
    (["x[[:digit:]]"], "x7", True),
    (["x[[:digit:]]"], "xa", False),
    (["x\\*"], "x*", True),
    (["x\\*"], "xy", False),
    (["x?z"], "x/z", False),
    (["a[!b]c"], "a/c", False),  # a set never matches « / » (pathspec's did)
    (["x["], "x[", False),  # an unclosed set: the pattern matches nothing
    (["x\\"], "x", False),  # a trailing backslash: nothing
    (["[z-a]"], "m", False),  # a reversed range: nothing
    (["!"], "x", False),
]


@pytest.mark.parametrize(("patterns", "path", "excluded"), GIT_EXAMPLES)
def test_the_matcher_follows_git_s_examples(patterns, path, excluded):
    assert IgnoreRules.from_lines(patterns).match_file(path) is excluded


def generated_cases(seed: int, count: int):
    """Random .gitignore lines and paths, in the part of the syntax where pathspec follows git
    (no negated set, which pathspec lets match « / », no escape inside a set)."""
    rnd = random.Random(seed)
    atoms = ["a", "b", "ab", "*", "?", "[ab]", "[a-b]", "\\*", "a*", "*b", "**", "[]a]", "c",
             "\\#", "\\!", " ", "#", "!"]  # fmt: skip
    names = ["a", "b", "ab", "ba", "aa", "bb", "abb", "c", "*", "]", "a]", "ca", "aab", "#a", "!"]

    def segment():
        return "".join(rnd.choice(atoms) for _ in range(rnd.randint(1, 3)))

    def pattern():
        text = "/".join(rnd.choice(["**", segment(), segment()]) for _ in range(rnd.randint(1, 4)))
        text = ("/" if rnd.random() < 0.25 else "") + text + ("/" if rnd.random() < 0.3 else "")
        return ("!" if rnd.random() < 0.3 else "") + text + ("  " if rnd.random() < 0.05 else "")

    for _ in range(count):
        lines = [pattern() for _ in range(rnd.randint(1, 3))]
        paths = [
            "/".join(rnd.choice(names) for _ in range(rnd.randint(1, 5)))
            + ("/" if rnd.random() < 0.3 else "")
            for _ in range(10)
        ]
        yield lines, paths


def test_the_matcher_agrees_with_pathspec_on_generated_patterns():
    """pathspec's GitIgnoreSpec, which essaimage used before, as the reference: the same answer
    on every generated (patterns, path) pair (20 000 of them)."""
    pathspec = pytest.importorskip("pathspec")
    compared = 0
    for lines, paths in generated_cases(seed=21, count=2000):
        try:
            reference = pathspec.GitIgnoreSpec.from_lines(lines)
        except Exception:  # noqa: BLE001 - pathspec refuses some lines git reads (a lone « ! »)
            continue
        rules = IgnoreRules.from_lines(lines)
        for path in paths:
            assert rules.match_file(path) == reference.match_file(path), (lines, path)
            compared += 1
    assert compared > 15_000


@pytest.mark.skipif(shutil.which("git") is None, reason="git absent")
def test_the_matcher_agrees_with_git_check_ignore(tmp_path):
    """`git check-ignore` on a real repository, for single patterns with sets (negated ones
    included), classes, escapes and `**`, against files at several depths."""
    patterns = [
        "*.yaml", "a*", "/a*", "a/*", "*/b", "a/**/b", "**/b", "[ab]?", "[!a]b", "a[!b]c",
        "[^a]*", "x[[:digit:]]", "[]a]x", "\\*x", "a\\?", "**/a*b/**", "b/", "/a/b", "?",
        "a*a*a*ab", "[a-c][!a-c]", "a/**",
    ]  # fmt: skip
    paths = [
        "a", "b", "ab", "ba", "bb", "ac", "a/c", "a/b", "b/a", "a/x/b", "x1", "xa", "]x", "*x",
        "a?", "ab/c", "c/ab/d", "a/b/c", "aaab", "ad", "bd", "b/b", "x/a.yaml", "a.yaml",
    ]  # fmt: skip
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    for pattern in patterns:
        (tmp_path / ".gitignore").write_text(pattern + "\n", encoding="utf-8")
        done = subprocess.run(
            ["git", "-C", str(tmp_path), "check-ignore", "--no-index", "--stdin", "-z"],
            input="\0".join(paths) + "\0", capture_output=True, text=True,
        )  # fmt: skip
        ignored = set(done.stdout.split("\0")) - {""}
        rules = IgnoreRules.from_lines([pattern])
        assert {p for p in paths if rules.match_file(p)} == ignored, pattern


def test_a_pattern_that_pathspec_refused_matches_nothing_instead_of_failing(tmp_path, monkeypatch):
    """A lone `!` in the repository's .gitignore, or a trailing `\\` in `exclure`, stopped every
    command with an internal error (pathspec raised); git reads them as matching nothing."""
    build_file_tree(
        tmp_path,
        {
            ".git/": None,
            ".gitignore": "!\nx[\n",
            "essaimage.yaml": 'essaimage: 1\nexclure: ["x\\\\", "[z-a]", brouillons]\n',
            "innovations/a.yaml": BASE,
            "innovations/brouillons/b.yaml": BASE.replace("atelier-velo", "brouillon"),
        },
    )
    monkeypatch.chdir(tmp_path)
    result = invoke("validate", "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["fichiers"] == ["essaimage.yaml", "innovations/a.yaml"]
