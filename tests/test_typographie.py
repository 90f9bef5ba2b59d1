"""French typography: the pass every produced document gets, and a proofreader's lint over all
that essaimage produces from the examples (kits for every kind of territory, plans, site)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from essaimage.text import typography as typographie
from helpers import EXAMPLES, invoke
from helpers import example_kits as render_example_kits

NBSP, THIN = "\u00a0", "\u202f"


def test_prose_gets_french_spaces_and_apostrophes():
    text = typographie.prose("Le projet de l'Ain : 100% « oui » ; vraiment ! Et ? n° 3, 20 €")
    assert text == (
        f"Le projet de l’Ain{NBSP}: 100{NBSP}% «{NBSP}oui{NBSP}»{THIN}; vraiment{THIN}! "
        f"Et{THIN}? n°{NBSP}3, 20{NBSP}€"
    )
    # addresses, times and queries keep their signs glued
    assert (
        typographie.prose("https://exemple.fr/?a=1 à 14:30")
        == f"https://exemple.fr/?a=1{NBSP}à 14:30"
    )
    # a sign ending a phrase gets its space; the pass is idempotent
    assert typographie.prose("Note: voir") == f"Note{NBSP}: voir"
    once = typographie.prose("« Voir : ceci » ; l'a")
    assert typographie.prose(once) == once


def test_figures_keep_their_groups_and_their_word():
    """« par 10 000 habitants » broke as « 10 / 000 » at 375 px; « 4 sites », « 1er mars »
    broke between the figure and its word (issue 24)."""
    assert typographie.prose("par 10 000 habitants, 1 234 567 €") == (
        f"par 10{THIN}000{NBSP}habitants, 1{THIN}234{THIN}567{NBSP}€"
    )
    assert typographie.prose("4 sites le 1er mars") == f"4{NBSP}sites le 1er{NBSP}mars"
    assert typographie.prose("au 02 96 62 54 00") == "au 02 96 62 54 00"  # not a number's groups
    assert typographie.prose("| 3 | x") == "| 3 | x"
    once = typographie.prose("10 000 habitants")
    assert typographie.prose(once) == once


def test_markdown_keeps_code_links_and_table_rules():
    source = (
        "| Poste | Coût |\n| :--- | ---: |\n| Local : loyer | 1 € |\n"
        "Voir `essaimage regles : D101` et [l'aide](<https://exemple.fr/l'aide>) !\n"
        "```yaml\nnom: l'essai\n```\n"
    )
    assert typographie.markdown(source) == (
        f"| Poste | Coût |\n| :--- | ---: |\n| Local{NBSP}: loyer | 1{NBSP}€ |\n"
        f"Voir `essaimage regles : D101` et [l’aide](<https://exemple.fr/l'aide>){THIN}!\n"
        "```yaml\nnom: l'essai\n```\n"
    )


def test_html_sets_text_only_and_raises_ordinals():
    source = (
        "<html><head><title>Le 1er kit : l&#39;Ain</title><style>a:hover { x: 'y' }</style>"
        '</head><body><p title="a : b">Le 1er mars : l&#39;Ain</p><code>a : b</code></body></html>'
    )
    assert typographie.html(source) == (
        f"<html><head><title>Le 1er{NBSP}kit{NBSP}: l’Ain</title><style>a:hover {{ x: 'y' }}</style>"
        f'</head><body><p title="a : b">Le 1<sup>er</sup>{NBSP}mars{NBSP}: l’Ain</p>'
        "<code>a : b</code></body></html>"
    )


def test_html_leaves_character_references_whole():
    # an escaped value (« Pédibus & co », « nombre > 0 ») followed by a space: the reference's
    # « ; » is not a semicolon to space (it was, and « &amp ; » showed « & ; »)
    source = "<body><p>(nombre &gt; 0) a &amp; b&nbsp;: c &#169; d &#x3C; e ; f</p></body>"
    assert typographie.html(source) == (
        f"<body><p>(nombre &gt; 0) a &amp; b&nbsp;: c &#169; d &#x3C; e{THIN}; f</p></body>"
    )


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # what kits said before the French text layer (issue 11)
        ("Le projet de Ain\n", "md"),
        ("Choix de Le Mans\n", "md"),
        ("Coût : 12 €\n", "md"),
        ("Un moyen compté « par site »\n", "md"),
        ("« l'Ain »\n", "md"),
        ("intercommunalité (EPCI) (types visés)\n", "md"),
        ("population municipale, COG 2026 (INSEE))\n", "md"),
        ("Marge sans « decideur » : Ajoutez « decideur » : …\n", "md"),
        ("Fin.. suite\n", "md"),
        ("4 mois de préparation, de octobre 2027 à décembre 2027\n", "md"),
        ("#### Colombey-les-Belles, depuis 2016\n\n#### Mauléon\n\nTexte.\n", "md"),
        # what kits said before issue 24
        ("par 10 000 habitants\n", "md"),
        ("4 sites, le 1er mars\n", "md"),
        ("Qui décide\u00a0: Le conseil municipal\n", "md"),
        ("| 1 | janvier-mars 2028 |\n", "md"),
        ("de mars\u00a02027 à juin\u00a02027\n", "md"),
        ("| Étape | — |\n", "md"),
        ("<td>—</td>", "html"),
        ("Modèle\u00a0: franchise — le repreneur signe un contrat\u00a0: marque\n", "md"),
        ("<p>Points d'attention</p>", "html"),
        ("<h4>Colombey-les-Belles</h4>\n<h4>Mauléon</h4><p>x</p>", "html"),
    ],
)
def test_the_proofreader_marks_what_kits_used_to_say(text, kind):
    assert typographie.problemes(text, kind)


def test_the_typography_pass_leaves_nothing_for_the_proofreader():
    text = "Coût : 12 € ; « l'Ain » ! n° 3, 50 %\n"
    assert typographie.problemes(text, "md")
    assert typographie.problemes(typographie.markdown(text), "md") == []


TARGETS = [
    "saint-brieuc",  # a commune's profile
    "redon-agglomeration",  # an EPCI's profile with a perimeter
    "Mouans-Sartoux",  # a commune of the reference, by name
    "72181",  # Le Mans: « du Mans »
    "243500741",  # an EPCI of the reference
    "01",  # l'Ain
    "35",  # Ille-et-Vilaine
    "53",  # la Mayenne (a département by its code)
    "region:53",  # la Bretagne, a région INSEE leaves without article
]


@pytest.fixture(scope="module")
def example_kits() -> dict[tuple[str, str, str], str]:
    """Every example innovation for every kind of target, in both formats, rendered once for
    the proofreader and markdownlint."""
    return render_example_kits(TARGETS, ["md", "html"])


def test_every_example_kit_reads_right(example_kits):
    innovations = list((EXAMPLES / "innovations").glob("*.yaml"))
    assert len(example_kits) == 2 * len(TARGETS) * len(innovations)
    problems = [
        f"{innovation}/{target}.{fmt} : {problem}"
        for (innovation, target, fmt), text in example_kits.items()
        for problem in typographie.problemes(text, fmt)
    ]
    assert problems == []


def test_every_site_page_and_plan_document_reads_right(examples_repo):
    assert invoke("site").exit_code == 0
    result = invoke(
        "plan", "pedibus", "--dans", "22", "--type", "commune", "--population", "10000-50000",
        "-o", "plans-rapides",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    files = sorted((examples_repo / "public").rglob("*.html"))
    files += sorted(  # not the repository's own files the kits cite, copied as they are
        p for p in (examples_repo / "public").rglob("*.md") if p.parent.name != "ressources"
    )
    files += sorted((examples_repo / "plans-rapides").rglob("plan.*"))
    assert any(f.name == "plan.md" for f in files) and any(f.name == "index.html" for f in files)
    problems = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        kind = "html" if path.suffix == ".html" else "md"
        problems += [f"{path.name} : {p}" for p in typographie.problemes(text, kind)]
    assert problems == []


def _markdownlint() -> str | None:
    return os.environ.get("ESSAIMAGE_MARKDOWNLINT") or shutil.which("markdownlint-cli2")


@pytest.mark.skipif(
    _markdownlint() is None,
    reason="markdownlint-cli2 absent (.ci/run l'installe avec npm ; sinon ESSAIMAGE_MARKDOWNLINT)",
)
def test_markdownlint_finds_nothing_in_kits_and_plans(examples_repo, example_kits):
    out = examples_repo / "lint"
    out.mkdir()
    for (innovation, target, fmt), text in example_kits.items():
        if fmt == "md":
            (out / f"{innovation}-{target}.md").write_text(text, encoding="utf-8")
    for plan in sorted((examples_repo / "plans").glob("*.yaml")):
        assert invoke("plan", str(plan), "-f", "md", "-o", str(out / "plans")).exit_code == 0
    assert any((out / "plans").rglob("plan.md"))
    config = Path(__file__).parent / "data" / ".markdownlint-cli2.jsonc"
    result = subprocess.run(
        [_markdownlint(), "--config", str(config), f"{out}/**/*.md"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Summary: 0 error(s)" in result.stdout + result.stderr
