"""Every example validates and renders; golden kits; determinism; safety of the output."""

from __future__ import annotations

import datetime as dt
import html
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT
from essaimage.check.pipeline import check_file
from essaimage.errors import OutputError
from essaimage.format import models
from essaimage.format.models import Innovation, Profil
from essaimage.format.reference import describe
from essaimage.kit.prepare import SECTIONS, prepare
from essaimage.kit.target import from_official, resolve_target
from essaimage.render.engine import kit_path, render, render_all, write_kit
from essaimage.territories.cog import reference
from essaimage.text import typography as typographie
from essaimage.text.words import markdown_anchor
from helpers import check_paths, lisible, used_fields

GOLDEN = ROOT / "tests" / "golden"
INNOVATIONS = sorted((EXAMPLES / "innovations").glob("*.yaml"))
PROFILES = sorted((EXAMPLES / "territoires").glob("*.yaml"))


def test_examples_have_four_innovations_and_two_profiles_with_projects():
    assert len(INNOVATIONS) >= 4
    assert len(PROFILES) >= 2
    for path in PROFILES:
        assert check_file(path).model.projets


def test_every_example_file_is_valid():
    result, checked = check_paths([str(EXAMPLES)])
    assert [f for f in result.findings if f.severity.value == "erreur"] == []
    # Descriptor infos and warnings, and in the retours the real choices outside a marge's
    # options (R112, an option to add), nothing else.
    assert all(
        f.code.startswith("D") or (f.code == "R112" and "retours" in Path(f.file).parts)
        for f in result.findings
    )
    plans = sorted((EXAMPLES / "plans").glob("*.yaml"))
    retours = sorted((EXAMPLES / "retours").glob("*.yaml"))
    assert len(retours) >= 5
    assert (
        len(checked) == len(INNOVATIONS) + len(PROFILES) + len(plans) + len(retours) + 1
    )  # + essaimage.yaml


def kit_for(descriptor: Path, target: str):
    checked = check_file(descriptor)
    return prepare(checked.model, checked, resolve_target(target, [descriptor.parent]))


@pytest.mark.parametrize("descriptor", INNOVATIONS, ids=[p.stem for p in INNOVATIONS])
@pytest.mark.parametrize("target", [p.stem for p in PROFILES] + ["35", "Mouans-Sartoux"])
def test_every_example_renders(descriptor, target):
    kit = kit_for(descriptor, target)
    texts = {fmt: lisible(text) for fmt, text in render_all(kit, ["md", "html"]).items()}
    assert texts["md"].startswith(f"# Kit d'essaimage : {kit.innovation.nom}\n")
    assert kit.cible.libelle in texts["md"]
    assert "COG 2026" in texts["md"] and "Code officiel géographique 2026" in texts["html"]
    HTMLParser().feed(texts["html"])
    for element in kit.innovation.coeur:
        assert element.titre in texts["html"]


def golden_cases():
    return [
        ("pedibus", "saint-brieuc"),
        ("territoires-zero-chomeur", "redon-agglomeration"),
    ]


@pytest.mark.parametrize(("innovation", "target"), golden_cases())
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_golden_kits(innovation, target, fmt):
    kit = kit_for(EXAMPLES / "innovations" / f"{innovation}.yaml", target)
    text = render(kit, fmt)
    golden = GOLDEN / innovation / f"{target}.{fmt}"
    if os.environ.get("ESSAIMAGE_REGENERER"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8", newline="\n")
    assert text == golden.read_text(encoding="utf-8"), (
        f"{golden} a changé ; relisez le kit puis régénérez avec ESSAIMAGE_REGENERER=1"
    )


def test_golden_kit_contents_read_right():
    text = (GOLDEN / "pedibus" / "saint-brieuc.md").read_text(encoding="utf-8")
    assert "**Choix de Saint-Brieuc\u00a0: matins et soirs**" in text
    assert "| 1 | Mobiliser l’école et quelques familles | 1\u00a0mois | mars 2027 |" in text
    # by hand: 0,22 ETP of volunteers per 15 children × 240 children = 3,52 ETP
    assert (
        "0,22\u00a0ETP par 15\u00a0bénéficiaires × 240\u00a0bénéficiaires = 3,52\u00a0ETP" in text
    )
    assert "44\u202f364\u00a0habitants" in text


def test_rendering_is_deterministic(tmp_path):
    kit = kit_for(EXAMPLES / "innovations" / "repair-cafe.yaml", "saint-brieuc")
    first = write_kit(kit, tmp_path / "a", render_all(kit, ["md", "html"]))
    kit = kit_for(EXAMPLES / "innovations" / "repair-cafe.yaml", "saint-brieuc")
    second = write_kit(kit, tmp_path / "b", render_all(kit, ["md", "html"]))
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes()
    assert sorted(p.name for p in (tmp_path / "a" / "repair-cafe").iterdir()) == [
        "saint-brieuc.html",
        "saint-brieuc.md",
    ]


def test_source_date_epoch_adds_the_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795651200")
    kit = kit_for(EXAMPLES / "innovations" / "pedibus.yaml", "saint-brieuc")
    assert "Produit par essaimage 0.1.0\u00a0le 26\u00a0novembre 2026" in render(kit, "md")


HOSTILE = """\
essaimage: 1
id: hostile
nom: "<script>alert('nom')</script>"
accroche: "Une accroche | avec [lien](javascript:alert(1)) et <b>html</b>"
origine:
  territoire: {nom: "<img src=x onerror=alert(1)>"}
  porteur: {nom: Porteur}
probleme: |
  # Titre de niveau 1
  <script>alert('md')</script>
  [clic](javascript:alert(2)) ![image](https://exemple.org/x.png)
solution: "**gras**"
coeur:
  - id: a
    titre: "Titre | avec barre"
marges: []
moyens:
  humains:
    - role: "<i>rôle</i>"
      etp: 1
"""


def test_user_text_cannot_inject_html_or_requests(tmp_path):
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    checked = check_file(path)
    assert checked.ok, checked.findings
    kit = prepare(checked.model, checked, from_official(reference().find("44109")))
    html = render(kit, "html")
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'href="javascript' not in html
    assert (
        re.findall(r"<[a-z]+[^>]*\s(?:src|srcset|data)=", html) == []
    )  # nothing the page would fetch
    assert "<h4>Titre de niveau 1</h4>" in html
    md = render(kit, "md")
    assert "<script>" not in md
    assert "Titre \\| avec barre" in md
    assert "#### Titre de niveau 1" in md


def test_output_path_never_leaves_the_folder(tmp_path):
    kit = kit_for(EXAMPLES / "innovations" / "pedibus.yaml", "saint-brieuc")
    kit.cible.slug = "../../evasion"
    with pytest.raises(OutputError):
        kit_path(tmp_path, kit, "md")


def test_atomic_write_leaves_no_temporary_file(tmp_path):
    kit = kit_for(EXAMPLES / "innovations" / "pedibus.yaml", "44")
    write_kit(kit, tmp_path, render_all(kit, ["md"]))
    assert sorted(p.name for p in (tmp_path / "pedibus").iterdir()) == [
        "loire-atlantique-44.md", "ressources",
    ]  # fmt: skip
    assert [p.name for p in (tmp_path / "pedibus" / "ressources").iterdir()] == [
        "charte-ligne-pedibus.md"
    ]


def test_both_layouts_carry_the_same_sections_in_the_same_order():
    kit = kit_for(EXAMPLES / "innovations" / "pedibus.yaml", "saint-brieuc")
    texts = render_all(kit, ["md", "html"])
    expected = [(str(n), typographie.prose(s.titre)) for n, s in enumerate(SECTIONS, 1)]
    assert re.findall(r"^## (\d+)\. (.+)$", texts["md"], re.M) == expected
    in_html = re.findall(
        r'^<section id="([^"]+)" aria-labelledby="([^"]+)">\n<h2 id="([^"]+)">(\d+)\. ([^<]+)</h2>$',
        texts["html"],
        re.M,
    )
    assert [(number, title) for *_, number, title in in_html] == expected
    assert [(s, a, h) for s, a, h, *_ in in_html] == [
        (section.ident, section.titre_id, section.titre_id) for section in SECTIONS
    ]
    # the tables of contents lead to those sections
    md_links = re.findall(r"^\d+\. \[.+\]\(#(.+)\)$", texts["md"], re.M)
    assert md_links == [markdown_anchor(f"{n}. {t}") for n, t in expected]
    assert re.findall(r'<li><a href="#([^"]+)">', texts["html"]) == [s.ident for s in SECTIONS]


def test_every_section_has_its_two_views_and_nothing_else():
    folder = ROOT / "src" / "essaimage" / "templates" / "sections"
    expected = sorted(f"{s.ident}.{fmt}.j2" for s in SECTIONS for fmt in ("md", "html"))
    assert sorted(p.name for p in folder.iterdir()) == expected


# Values of the complete files that kits do not print as written, and why. A new field of the
# format is printed in both views or listed here: the test below fails otherwise.
NOT_IN_KITS = {
    ("Innovation", "id"): "identifiant technique : il nomme le dossier du kit",
    ("Innovation", "regles"): "réglage des règles, pas un contenu",
    ("Adaptation", "marge"): "un identifiant : le kit montre le titre de la marge",
    ("Projet", "choix"): "montrés sous chaque marge, par le titre de la marge",
    ("Territoire", "code_insee"): "territoire d'origine : seul son nom est montré",
    ("Ressource", "chemin"): "le fichier est copié à côté du kit : le kit montre sa copie",
    ("Structure", "type"): "le nom du porteur d'origine le dit le plus souvent (« Association… »)",
    ("TerritoireProfil", "code_insee"): "montré dans le libellé officiel s'il existe",
}


# Places of the complete profile a kit of its project does not show, and why.
NOT_IN_THIS_KIT = {
    ("porteur", "contact"): "le contact du projet (projets.<id>.contact) l'emporte dans ce kit",
    ("moyens", "cout_etp_annuel"): "le coût d'un ETP du profil l'emporte dans ce kit",
    ("mode_degrade", "moyens", "cout_etp_annuel"): "le coût d'un ETP du profil l'emporte",
    ("moyens", "humains", 0, "cout_annuel"): "le coût de ce rôle du profil (couts_par_role) "
    "l'emporte dans ce kit",
}

# Values a kit says by not saying anything, and why.
NOT_SHOWN_VALUES = {
    ("MoyenFinancier", "periodicite", "unique"): "un montant payé une fois : le kit ne "
    "l'annonce ni « par an » ni « par mois »",
}


def flat(text: str) -> str:
    """Text as a reader sees it, whatever the markup: no Markdown signs, single spaces."""
    return " ".join(re.sub(r"[*_`#\\]", "", lisible(text)).split()).lower()


def test_every_text_of_the_complete_files_reaches_both_kit_views():
    valides = ROOT / "tests" / "fixtures" / "valides"
    descriptor = check_file(valides / "complet.yaml")
    cible = resolve_target(str(valides / "profil-complet.yaml"), [])
    texts = render_all(prepare(descriptor.model, descriptor, cible), ["md", "html"])
    views = {
        "md": flat(texts["md"]),
        "html": flat(html.unescape(re.sub(r"<[^>]+>", "", texts["html"]))),
    }
    used = used_fields(Innovation, descriptor.document.data)
    used.update(used_fields(Profil, cible.document.data))
    missing = []
    for (model, field), places in sorted(used.items()):
        info = getattr(models, model).model_fields[field]
        kind = describe(info.annotation, info.metadata)
        if (model, field) in NOT_IN_KITS or not kind.startswith(("texte", "liste de textes")):
            continue
        for path, value in places:
            if path[:2] in NOT_IN_THIS_KIT:
                continue
            for text in value if isinstance(value, list) else [value]:
                if not isinstance(text, str):
                    continue
                # a Markdown text is compared line by line, list numbers aside
                lines = text.splitlines() if "Markdown" in kind else [text]
                for line in lines:
                    line = re.sub(r"^\s*(?:\d+[.)]|[-+*])\s+", "", line)
                    for view, shown in views.items():
                        if flat(line).rstrip(".") not in shown:  # « conditions » lose theirs
                            missing.append((view, path, line))
    assert missing == []


# A yes-or-no field is shown by what it means when it is yes: these words, in both views.
SHOWN_WHEN_TRUE = {
    ("MoyenHumain", "souvent_en_place"): "déjà en place",  # « souvent… », or the profile's
    ("MoyenFinancier", "souvent_en_place"): "déjà en place",
    ("MoyenMateriel", "souvent_en_place"): "déjà en place",
    ("Partenaire", "indispensable"): "indispensable",
}
CONTAINERS = ("liste de [", "[")  # a record or a list of records: its own fields are checked


def shown_forms(model: str, field: str, kind: str, value: object) -> list[str] | None:
    """The ways a kit may print this value of a field, lower case and without markup (any one
    will do); None when the value says nothing to show (a « non »)."""
    from essaimage.format.scalars import parse_number, to_base
    from essaimage.format.vocabulary import ENUMERATIONS
    from essaimage.text import french

    text = str(value)
    if kind.startswith("valeur de la liste") or kind.startswith("liste de valeurs de la liste"):
        name = re.search(r"`([a-z_]+)`", kind)
        assert name, kind
        label = ENUMERATIONS[name.group(1)][1][text].lower()
        return [label, label.split(" (")[0], text]  # « intercommunalité (EPCI) »
    if kind.startswith("oui ou non"):
        if (model, field) not in SHOWN_WHEN_TRUE:
            return ["(champ oui ou non sans texte qui le montre : SHOWN_WHEN_TRUE)"]
        return [SHOWN_WHEN_TRUE[(model, field)]] if text.lower() in ("true", "oui") else None
    if kind.startswith("nombre") and "≥ 1000, ≤ 2999" in kind:  # a year
        return [text]
    if kind.startswith("nombre"):
        number = parse_number(text.replace(" ", ""))
        if number is None:  # « nombre ou texte »: a text
            return [text.lower()]
        return [french.nombre(number).lower().replace("\u202f", " ").replace("\u00a0", " ")]
    if kind.startswith("base de calcul"):
        base = to_base(text)
        words = {"site": ("site", "sites"), "habitant": ("habitant", "habitants"),
                 "beneficiaire": ("bénéficiaire", "bénéficiaires")}[base.unite]  # fmt: skip
        if base.n == 1:
            return [f"par {words[0]}", f"1 {words[0]}"]
        return [f"{lisible(french.nombre(base.n))} {words[1]}"]
    if kind.startswith("date"):
        day = dt.date.fromisoformat(text)
        return [lisible(french.date_longue(day)).lower(), lisible(french.mois_annee(day)).lower()]
    if kind.startswith("année"):
        return (
            [text]
            if len(text) == 4
            else [lisible(french.date_longue(dt.date.fromisoformat(text))).lower()]
        )
    return [text.lower()]


def test_every_value_of_the_complete_files_of_any_kind_reaches_both_kit_views():
    """Issue 23: not only texts: numbers, amounts, bases, dates, enumerated values, links,
    addresses and yes-or-no fields are printed by both views, as French prints them; a new field
    of any kind fails here until both views show it or NOT_IN_KITS says why not."""
    valides = ROOT / "tests" / "fixtures" / "valides"
    descriptor = check_file(valides / "complet.yaml")
    cible = resolve_target(str(valides / "profil-complet.yaml"), [])
    texts = render_all(prepare(descriptor.model, descriptor, cible), ["md", "html"])
    views = {
        "md": flat(texts["md"]).lower(),
        "html": flat(html.unescape(re.sub(r"<[^>]+>", " ", lisible(texts["html"])))).lower()
        + " " + html.unescape(texts["html"]).lower(),  # links are in attributes
    }  # fmt: skip
    used = used_fields(Innovation, descriptor.document.data)
    used.update(used_fields(Profil, cible.document.data))
    missing = []
    for (model, field), places in sorted(used.items()):
        info = getattr(models, model).model_fields[field]
        kind = describe(info.annotation, info.metadata)
        plain_text = kind.startswith(("texte", "liste de textes"))  # the test above
        if (model, field) in NOT_IN_KITS or plain_text or kind.startswith(CONTAINERS):
            continue
        for path, value in places:
            if path[:2] in NOT_IN_THIS_KIT or path in NOT_IN_THIS_KIT:
                continue
            if isinstance(value, dict):  # a table: of records (checked field by field) or values
                value = [v for v in value.values() if not isinstance(v, dict)]
                kind = kind.split("→ ", 1)[-1]
            for item in value if isinstance(value, list) else [value]:
                if (model, field, item) in NOT_SHOWN_VALUES:
                    continue
                forms = shown_forms(model, field, kind, item)
                for view, shown in views.items():
                    if forms is not None and not any(flat(f) in shown for f in forms):
                        missing.append((view, f"{model}.{field}", path, item, forms[0]))
    assert missing == [], "\n".join(map(str, missing))


def test_html_tables_scroll_in_their_own_frame_and_are_named_once():
    """At 375 px a table scrolls inside a focusable, named region, never the page (issue 11);
    a table under a heading is named by it, without a caption repeating it."""
    kit = kit_for(EXAMPLES / "innovations" / "territoires-zero-chomeur.yaml", "redon-agglomeration")
    html = render(kit, "html")
    tables = html.count("<table")
    regions = re.findall(
        r'<div class="tableau" role="region" tabindex="0" aria-labelledby="([^"]+)">\n<table', html
    )
    assert tables == len(regions) > 5
    for ident in regions:
        assert html.count(f'id="{ident}"') == 1
    assert '<h3 id="titre-equipe">Équipe</h3>' in html and "<caption>Équipe" not in html
    assert "Marianne" not in html and "system-ui" in html


def test_only_a_repository_s_templates_run_in_the_sandbox(tmp_path):
    """The package's templates are trusted code (no per-attribute checks); a repository's
    templates are hostile input and keep the sandbox with its limits."""
    from jinja2.sandbox import SandboxedEnvironment

    from essaimage.render.engine import environment

    assert not isinstance(environment("md"), SandboxedEnvironment)
    assert isinstance(environment("md", str(tmp_path)), SandboxedEnvironment)
