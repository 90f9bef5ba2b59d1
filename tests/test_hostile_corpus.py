"""A corpus of hostile files, as a merge request could bring them: each is checked, and when it
validates, its kit (both formats) and the site are made. Never a traceback, an internal error, a
hang, markup that a browser or a Markdown viewer would run, or a request the kit would make.

With `test_safety.py` (file-system attacks: links, tubes, manifests, output folders…), this is the
hostile corpus of the safety issue."""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser

import pytest

from essaimage.check.pipeline import check_file
from essaimage.text.links import is_safe_link
from helpers import BASE, build_file_tree, invoke

PROFILE = "essaimage: 1\nterritoire: {nom: Bourg, type: commune}\nprojets: {atelier-velo: {}}\n"
XSS = "<script>alert(1)</script><img src=https://pisteur.example/x onerror=alert(2)>"


def patched(*pairs: tuple[str, str], append: str = "") -> str:
    text = BASE
    for old, new in pairs:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text + append


def aliases(levels: int) -> str:
    lines = ["essaimage: 1", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


NOM = ("nom: Atelier vélo solidaire", "nom: Atelier vélo solidaire")
PROBLEME = "probleme: Beaucoup de vélos dorment dans les caves faute de savoir les réparer."

# name -> (file text, the codes that must appear; () for a file that validates)
CORPUS: dict[str, tuple[str, tuple[str, ...]]] = {
    "milliard-de-rires": (aliases(9), ("Y011",)),
    "imbrication": ("essaimage: 1\na: " + "[" * 5000 + "]" * 5000 + "\n", ("Y012",)),
    "trop-gros": ("essaimage: 1\nnom: " + "x" * (2 * 1024 * 1024) + "\n", ("Y004",)),
    "objet-python": ("essaimage: 1\nnom: !!python/object/apply:os.system [ls]\n", ("Y010",)),
    "etiquette-perso": (patched(("nom: Atelier", "nom: !perso Atelier")), ("Y010",)),
    "cle-de-fusion": (patched(append="<<: {nom: autre}\n"), ("S102",)),
    "cles-en-double": ("essaimage: 1\n" + "nom: a\n" * 500, ("Y009",)),
    "cle-non-texte": (patched(append="[1, 2]: x\n"), ("Y013",)),
    "plusieurs-documents": (BASE + "---\n" + BASE, ("Y007",)),
    "octets-non-utf8": ("essaimage: 1\nnom: caf\udce9\n", ("Y002",)),
    "bom-et-crlf": ("\ufeff" + BASE.replace("\n", "\r\n"), ()),
    "html-partout": (
        patched(
            ("nom: Atelier vélo solidaire", f'nom: "{XSS}"'),
            (PROBLEME, f'probleme: "{XSS}"'),
            ("    titre: On répare soi-même, accompagné", f'    titre: "{XSS}"'),
            ("  - role: Coordination", f'  - role: "{XSS}"'),
        ),
        (),
    ),
    "markdown-piege": (
        patched(
            (
                PROBLEME,
                "probleme: |\n  `` `<img src=https://pisteur.example/p onerror=alert(3)>\n"
                "  [clic](javascript:alert(4)) ![pixel](https://pisteur.example/p.png)\n"
                "  <iframe src=https://pisteur.example></iframe>\n"
                "  [donnée](data:text/html;base64,PHNjcmlwdD4=)\n"
                "  ``` <img onerror=alert(5)>\n  x\n  ```\n  # Titre",
            )
        ),
        (),
    ),
    "liens-hors-politique": (
        patched(
            (
                PROBLEME,
                "probleme: |\n  [a](smb://serveur/partage) [b](ms-msdt:/id PCWDiagnostic)\n"
                "  [c](search-ms:query=x) [d](ftp://f.example/x) [e](//pisteur.example/p)\n"
                "  [f](../../secret.html) [g](file:///etc/passwd) <FILE:///etc/passwd>\n"
                "  [h](\\\\serveur\\partage) [i]( JaVaScRiPt:alert(6))",
            )
        ),
        (),
    ),
    "entites": (patched(("nom: Atelier vélo solidaire", 'nom: "&lt;script&gt; &amp;lt;"')), ()),
    "unicode-variee": (
        patched(("nom: Atelier vélo solidaire", "nom: ورشة 自行车 🚲 Ате́лье e\u0301")),
        (),
    ),
    "bidi": (patched(("nom: Atelier vélo solidaire", 'nom: "Atelier \u202egnp.exe"')), ("S113",)),
    "caractere-de-controle": (
        patched(("nom: Atelier vélo solidaire", 'nom: "Atelier\\x1b[2J"')),
        ("S113",),
    ),
    "lien-javascript": (
        patched(("    url: https://exemple.org/fiches", "    url: javascript:alert(1)")),
        ("S107",),
    ),
    "lien-attribut": (
        patched(("    url: https://exemple.org/fiches", "    url: 'https://a.fr/\" onclick=x'")),
        ("S107",),
    ),
    "courriel-entete": (
        patched(
            (
                "    structure: Association de l'atelier",
                "    structure: A\n    courriel: 'a@b.fr?bcc=espion@c.fr'",
            )
        ),
        ("S108",),
    ),
    "chemin-remontant": (
        patched(
            (
                "    url: https://exemple.org/fiches",
                "    chemin: ../../../../../../../../etc/passwd",
            )
        ),
        ("C204",),
    ),
    "chemin-absolu": (
        patched(("    url: https://exemple.org/fiches", "    chemin: /etc/passwd")),
        ("C204",),
    ),
    "nombre-immense": (patched(("      montant: 3 000", "      montant: " + "9" * 500)), ("S106",)),
    "nombre-infini": (patched(("      montant: 3 000", "      montant: .inf")), ("S104",)),
    "nombre-nan": (patched(("      etp: 0,5", "      etp: nan")), ("S104",)),
    "annee-zero": (patched(("    date: 2025", "    date: 0000")), ("S109",)),
    "annee-lointaine": (patched(("mis_a_jour: 2026-06-01", "mis_a_jour: 9999-12-31")), ("S109",)),
    "duree-immense": (
        patched(("    duree_mois: 2\n  - titre: Ouvrir", "    duree_mois: 1e9\n  - titre: Ouvrir")),
        ("S104",),
    ),
    "base-pathologique": (
        patched(("      etp: 0,5\n", '      etp: 0,5\n      par: "1' + " " * 300_000 + 'x"\n')),
        ("S111",),
    ),
    "cle-forgeant-une-annotation": (
        patched(append='"x\\n::error file=README.md,line=1::faux": 1\n'),
        ("S102",),
    ),
    "code-de-regle-inconnu": (patched(append="regles:\n  'D1\\u00a004': ignorer\n"), ("S103",)),
    "identifiant-chemin": (patched(("id: atelier-velo", "id: ../../etc")), ("S110",)),
    "mille-elements-du-coeur": (
        patched(
            (
                "  - id: autoreparation\n",
                "".join(f"  - id: c{i}\n    titre: Élément {i}\n" for i in range(1000))
                + "  - id: autoreparation\n",
            )
        ),
        (),
    ),
    "texte-markdown-long": (
        patched((PROBLEME, "probleme: |\n" + "  *a* [b](https://c.fr) `d`\n" * 10_000)),
        (),
    ),
    "liste-dans-une-valeur": (patched(("nom: Atelier vélo solidaire", "nom: [a, b]")), ("S104",)),
    "table-a-la-racine-d-une-liste": ("- essaimage: 1\n", ("Y008",)),
    "fichier-vide": ("", ("Y003",)),
    "alias-sans-ancre": (patched(("nom: Atelier vélo solidaire", "nom: *rien")), ("Y005",)),
    "tabulations": ("essaimage: 1\nmoyens:\n  humains:\n\t- role: x\n", ("Y006",)),
}


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_file(name, tmp_path, monkeypatch):
    text, expected = CORPUS[name]
    repo = build_file_tree(
        tmp_path / "depot",
        {".git/": None, "essaimage.yaml": "essaimage: 1\n", "territoires/bourg.yaml": PROFILE},
    )
    path = repo / "innovations" / "x.yaml"
    path.parent.mkdir()
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    monkeypatch.chdir(repo)
    started = time.perf_counter()
    checked = check_file(path)
    codes = {f.code for f in checked.findings if f.severity.value == "erreur"}
    assert "X900" not in codes, checked.findings
    assert set(expected) <= codes, sorted(codes)
    if expected:
        assert not checked.ok
    else:
        assert checked.ok, [f.message for f in checked.findings if f.severity.value == "erreur"]
        for view in ("kit", "site"):
            args = ["kit", "-t", "bourg", "-o", "kits"] if view == "kit" else ["site"]
            result = invoke(*args, "--sans-contexte")
            assert result.exit_code in (0, 1) and "X900" not in result.stdout, result.output
        for page in [*repo.glob("kits/**/*.html"), *repo.glob("public/**/*.html")]:
            assert_inert_html(page.read_text(encoding="utf-8"))
        for page in repo.glob("kits/**/*.md"):
            assert_inert_markdown(page.read_text(encoding="utf-8"))
    assert time.perf_counter() - started < 20
    assert sorted(p.name for p in tmp_path.iterdir()) == ["depot"]  # nothing written outside


class Elements(HTMLParser):
    """Every element and attribute a browser would build from a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


_SITE_FOLDERS = ("secteurs/", "innovations/", "territoires/", "kits/", "plans/", "donnees/")


def _site_link(href: str) -> bool:
    """A link the site's own templates write: to one of its pages, relative, below its root."""
    rest = href
    while rest.startswith("../"):
        rest = rest[3:]
    below = rest == "index.html" or rest.startswith(_SITE_FOLDERS)
    return below and ".." not in rest and ":" not in rest and "//" not in rest and "\\" not in rest


def assert_inert_html(html: str) -> None:
    """Nothing a browser would run or fetch: no script but the site's own filter (inline, no
    source), no event handler, no image or frame, no source attribute, no link but those of the link policy
    (links.is_safe_link) and the site's own pages."""
    elements = Elements()
    elements.feed(html)
    for tag, attrs in elements.found:
        names = {name for name, _ in attrs}
        assert tag not in ("img", "iframe", "object", "embed", "svg", "math"), tag
        assert not any(name.startswith("on") for name in names), (tag, attrs)
        assert not names & {"src", "srcset", "data", "formaction"}, (tag, attrs)
        for name, value in attrs:
            if name == "href" and value:
                assert is_safe_link(value) or _site_link(value), value
    scripts = [attrs for tag, attrs in elements.found if tag == "script"]
    assert all(not attrs for attrs in scripts)
    assert html.count("<script>") == len(scripts) <= 1  # the site index's own filter, no other


def assert_inert_markdown(md: str) -> None:
    """Nothing a Markdown viewer would run or fetch."""
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").render(md)
    assert "<img" not in html and "<script" not in html and "<iframe" not in html
    assert not re.search(r'href="(?:javascript|data|vbscript):', html, flags=re.I)
