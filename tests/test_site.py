"""The static catalogue site: relative links that resolve, deterministic, rewritten only where it
changes, stale pages removed and nothing else."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import yaml

from helpers import invoke, lisible


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def test_site_builds_with_relative_links_that_all_resolve(examples_repo):
    result = invoke("site")
    assert result.exit_code == 0, result.output
    public = examples_repo / "public"
    pages = sorted(public.rglob("*.html"))
    assert (public / "index.html") in pages and (public / "innovations" / "pedibus.html") in pages
    assert (public / "kits" / "pedibus" / "saint-brieuc.md").exists()
    assert (public / "secteurs" / "mobilite.html").exists()
    for page in pages:
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            if link.startswith(("http://", "https://", "mailto:")):
                continue
            assert not link.startswith("/"), f"{page}: lien absolu {link}"
            target = link.split("#")[0]
            if target:
                assert (page.parent / target).resolve().exists(), (
                    f"{page.relative_to(public)} → {link}"
                )
    index = (public / "index.html").read_text(encoding="utf-8")
    assert index.count('class="fiche"') == 5  # the five example innovations
    # the example plan: listed on the index, linked from its innovation's page, with its sites
    assert 'href="plans/pedibus-bretagne/plan.html"' in index
    assert (public / "plans" / "pedibus-bretagne" / "plan.md").exists()
    assert (public / "plans" / "pedibus-bretagne" / "sites.csv").exists()
    pedibus = (public / "innovations" / "pedibus.html").read_text(encoding="utf-8")
    assert 'href="../plans/pedibus-bretagne/plan.html"' in pedibus
    assert (
        'id="filtre" class="filtre" hidden' in index
    )  # the text filter appears only with JavaScript


def test_site_is_deterministic_and_rewrites_only_what_changes(examples_repo):
    invoke("site", "-o", "a")
    first = {
        p.relative_to(examples_repo / "a"): p.read_bytes()
        for p in (examples_repo / "a").rglob("*")
        if p.is_file()
    }
    again = invoke("site", "-o", "a")
    assert re.search(r"\(0 écrit, \d+ inchangés\)", again.stdout)
    pedibus = examples_repo / "innovations" / "pedibus.yaml"
    pedibus.write_text(
        pedibus.read_text(encoding="utf-8").replace(
            "ramassage scolaire à pied", "ramassage des écoliers à pied"
        ),
        encoding="utf-8",
    )
    changed = invoke("site", "-o", "a")
    written = int(re.search(r"\((\d+) écrits?,", changed.stdout).group(1))
    assert 0 < written < len(first)
    invoke("site", "-o", "b")
    second = {
        p.relative_to(examples_repo / "b"): p.read_bytes()
        for p in (examples_repo / "b").rglob("*")
        if p.is_file()
    }
    assert second.keys() == first.keys()


def test_site_removes_pages_it_no_longer_produces_and_nothing_else(examples_repo):
    invoke("site", "-o", "a")
    (examples_repo / "a" / "a-moi.txt").write_text("garde-moi", encoding="utf-8")
    (examples_repo / "innovations" / "repair-cafe.yaml").unlink()
    (examples_repo / "retours" / "repair-cafe-macon.yaml").unlink()  # its take-over report
    profile = examples_repo / "territoires" / "saint-brieuc.yaml"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text[: text.index("  repair-cafe:")], encoding="utf-8")
    result = invoke("site", "-o", "a", "--garder-etrangers")
    assert result.exit_code == 0, result.output
    assert ", 3 retirés)" in result.stdout
    assert not (examples_repo / "a" / "innovations" / "repair-cafe.html").exists()
    assert not (examples_repo / "a" / "kits" / "repair-cafe").exists()
    assert (examples_repo / "a" / "a-moi.txt").read_text(encoding="utf-8") == "garde-moi"


def test_site_is_not_built_when_the_repository_has_errors(examples_repo):
    pedibus = examples_repo / "innovations" / "pedibus.yaml"
    pedibus.write_text(
        pedibus.read_text(encoding="utf-8").replace("maturite: generalisee", "maturite: generale"),
        encoding="utf-8",
    )
    result = invoke("site", "--sans-contexte")
    assert result.exit_code == 1
    assert "innovations/pedibus.yaml:" in result.stdout and "erreur[S103]" in result.stdout
    assert not (examples_repo / "public").exists()


def test_the_index_agrees_with_one_innovation(examples_repo):
    """Issue 24: « 1 innovation … avec leur kit … pour les territoires qui les reprennent »."""
    invoke("site", "-o", "a")
    many = " ".join(lisible((examples_repo / "a" / "index.html").read_text("utf-8")).split())
    assert "preuves, avec leurs kits d'essaimage pour les territoires qui les reprennent." in many
    for descriptor in (examples_repo / "innovations").glob("*.yaml"):
        if descriptor.name != "pedibus.yaml":
            descriptor.unlink()
    for retour in (examples_repo / "retours").glob("*.yaml"):
        if not retour.name.startswith("pedibus-"):
            retour.unlink()  # the take-over reports of the removed innovations
    for profile in (examples_repo / "territoires").glob("*.yaml"):
        data = yaml.safe_load(profile.read_text(encoding="utf-8"))
        projets = {k: v for k, v in (data.get("projets") or {}).items() if k == "pedibus"}
        data.pop("projets", None)
        if projets:
            data["projets"] = projets
        profile.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = invoke("site", "-o", "b", "--sans-contexte")
    assert result.exit_code == 0, result.output
    one = " ".join(lisible((examples_repo / "b" / "index.html").read_text("utf-8")).split())
    assert (
        "1 innovation qui a fait ses preuves, avec son kit d'essaimage pour les territoires qui la reprennent."
        in one
    )
