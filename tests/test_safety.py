"""A repository is hostile input: nothing is read, written or deleted outside it, and no file hangs
or exhausts the machine. Each test reproduces an attack that worked on an earlier version."""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import pytest

from conftest import EXAMPLES
from essaimage.files.discovery import glob_paths
from essaimage.format.scalars import to_base
from helpers import BASE, build_file_tree, invoke, validate

pytestmark = pytest.mark.skipif(os.name != "posix", reason="liens symboliques et tubes POSIX")

PROFILE = "essaimage: 1\nterritoire: {nom: Bourg, type: commune}\nprojets: {atelier-velo: {}}\n"


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A small valid repository (current folder) and, beside it, a folder of someone else's."""
    root = tmp_path / "depot"
    build_file_tree(
        root,
        {
            ".git/": None,
            "essaimage.yaml": "essaimage: 1\n",
            "innovations/atelier.yaml": BASE,
            "territoires/bourg.yaml": PROFILE,
        },
    )
    build_file_tree(tmp_path / "victime", {"important.txt": "à garder\n"})
    monkeypatch.chdir(root)
    return root


# --- deletions -----------------------------------------------------------------------------


def test_site_manifest_cannot_delete_outside_the_site(repo, tmp_path):
    victim = tmp_path / "victime" / "important.txt"
    digest = hashlib.sha256(victim.read_bytes()).hexdigest()
    assert invoke("site").exit_code == 0
    manifest = repo / "public" / ".essaimage-site"
    manifest.write_text(
        manifest.read_text(encoding="utf-8")
        + f"{digest}  {victim}\n{digest}  ../../victime/important.txt\n"
        + f"{victim}\n",  # the format of the first versions: a bare path
        encoding="utf-8",
    )
    assert invoke("site").exit_code == 0
    assert victim.read_text(encoding="utf-8") == "à garder\n"


def test_site_never_deletes_through_a_link_nor_a_file_someone_changed(repo, tmp_path):
    assert invoke("site").exit_code == 0
    public = repo / "public"
    (public / "lien").symlink_to(tmp_path / "victime", target_is_directory=True)
    victim = tmp_path / "victime" / "important.txt"
    digest = hashlib.sha256(victim.read_bytes()).hexdigest()
    kit = public / "kits" / "atelier-velo" / "bourg.md"
    kit.write_text("mes notes sur ce kit\n", encoding="utf-8")  # changed since essaimage wrote it
    manifest = public / ".essaimage-site"
    manifest.write_text(
        manifest.read_text(encoding="utf-8") + f"{digest}  lien/important.txt\n", encoding="utf-8"
    )
    (repo / "territoires" / "bourg.yaml").unlink()  # the kit is no longer produced
    refused = invoke("site")  # a link in the site's folder is never published
    assert refused.exit_code == 2 and "« lien »" in refused.stderr
    assert victim.exists()
    (public / "lien").unlink()
    assert invoke("site", "--garder-etrangers").exit_code == 0  # the changed kit: someone's now
    assert victim.exists()
    assert kit.read_text(encoding="utf-8") == "mes notes sur ce kit\n"


def test_site_removes_what_it_wrote_and_no_longer_produces(repo):
    assert invoke("site").exit_code == 0
    kit = repo / "public" / "kits" / "atelier-velo" / "bourg.html"
    assert kit.exists()
    (repo / "territoires" / "bourg.yaml").unlink()
    result = invoke("site")
    assert result.exit_code == 0 and ", 3 retirés)" in result.stdout  # its kits and its page
    assert not kit.exists() and not (repo / "public" / "kits").exists()
    assert not (repo / "public" / "territoires" / "bourg.html").exists()


# --- writes --------------------------------------------------------------------------------


def test_site_does_not_write_through_a_linked_folder(repo, tmp_path):
    (repo / "public").mkdir()
    (repo / "public" / "kits").symlink_to(tmp_path / "victime", target_is_directory=True)
    result = invoke("site")
    assert result.exit_code == 2
    assert "essaimage n'écrit ni n'efface hors de son dossier de sortie" in result.stderr
    assert sorted(p.name for p in (tmp_path / "victime").iterdir()) == ["important.txt"]


@pytest.mark.parametrize("value", ["../sortie", "/tmp/sortie", "public/../../sortie"])
def test_the_configuration_cannot_send_the_site_out_of_the_repository(repo, value):
    (repo / "essaimage.yaml").write_text(f"essaimage: 1\nsite: {value}\n", encoding="utf-8")
    result = validate("--sans-contexte")
    assert result.exit_code == 1
    assert "essaimage.yaml:2:7: erreur[S113]" in result.stdout and "sort du dépôt" in result.stdout


def test_a_configured_folder_that_links_out_is_refused(repo, tmp_path):
    (repo / "essaimage.yaml").write_text("essaimage: 1\nsite: public\n", encoding="utf-8")
    (repo / "public").symlink_to(tmp_path / "victime", target_is_directory=True)
    result = invoke("site")
    assert result.exit_code == 2 and "est un lien qui sort du dépôt" in result.stderr
    (repo / "innovations" / "atelier.yaml").rename(tmp_path / "atelier.yaml")
    (repo / "innovations").rmdir()
    (repo / "innovations").symlink_to("/", target_is_directory=True)  # a walk of the whole disk
    started = time.perf_counter()
    result = validate()
    assert result.exit_code == 2 and "est un lien qui sort du dépôt" in result.stderr
    assert time.perf_counter() - started < 5


def test_the_configuration_cannot_read_folders_out_of_the_repository(repo):
    (repo / "essaimage.yaml").write_text(
        "essaimage: 1\ninnovations: [innovations, ../autre, /etc]\n", encoding="utf-8"
    )
    result = validate("--sans-contexte")
    assert result.exit_code == 1
    assert result.stdout.count("erreur[S113]") == 2


# --- reads ---------------------------------------------------------------------------------


def test_a_descriptor_linked_out_of_the_repository_is_not_read(repo, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("MOT_DE_PASSE=hunter2\n", encoding="utf-8")
    (repo / "innovations" / "fuite.yaml").symlink_to(secret)
    result = validate("--contexte")
    assert "innovations/fuite.yaml:1:1: erreur[Y001]" in result.stdout
    assert "hunter2" not in result.stdout + result.stderr


def test_devices_and_tubes_are_not_read(repo):
    (repo / "innovations" / "zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(repo / "innovations" / "tube.yaml")
    started = time.perf_counter()
    result = validate("--sans-contexte")
    assert time.perf_counter() - started < 5
    assert "innovations/zero.yaml:1:1: erreur[Y001]" in result.stdout
    assert "innovations/tube.yaml:1:1: erreur[Y001]" in result.stdout
    assert "n'est pas un fichier ordinaire" in result.stdout


def test_a_resource_path_out_of_the_repository_says_nothing_of_what_is_there(repo):
    outputs = []
    for target in ("passwd", "absent-ici"):
        body = BASE.replace(
            "ressources:\n",
            f"ressources:\n  - titre: Secret\n    chemin: ../../../../../../../etc/{target}\n",
        )
        (repo / "innovations" / "atelier.yaml").write_text(body, encoding="utf-8")
        result = validate("innovations/atelier.yaml", "--sans-contexte")
        outputs.append([line for line in result.stdout.splitlines() if "C204" in line])
    assert outputs[0] and outputs[0] == [o.replace("absent-ici", "passwd") for o in outputs[1]]
    assert "sort du dépôt" in outputs[0][0]


def test_custom_templates_do_not_follow_links_out_of_their_folder(repo, tmp_path):
    (repo / "essaimage.yaml").write_text("essaimage: 1\ngabarits: gabarits\n", encoding="utf-8")
    (repo / "gabarits").mkdir()
    (repo / "gabarits" / "secret").symlink_to(tmp_path / "victime" / "important.txt")
    (repo / "gabarits" / "kit.md.j2").write_text("{% include 'secret' %}\n", encoding="utf-8")
    result = invoke("kit", "-t", "bourg", "-f", "md", "-o", str(tmp_path / "kits"))
    assert result.exit_code == 1
    written = list((tmp_path / "kits").rglob("*.md")) if (tmp_path / "kits").exists() else []
    assert all("à garder" not in p.read_text(encoding="utf-8") for p in written)


# --- time and memory -----------------------------------------------------------------------


def test_a_pathological_base_is_read_in_linear_time():
    started = time.perf_counter()
    with pytest.raises(ValueError):
        to_base("1" + " " * (2 * 1024 * 1024 - 100) + "x")
    assert time.perf_counter() - started < 1


def test_a_whole_file_of_pathological_values_is_checked_quickly(repo):
    spaces = " " * (1024 * 1024)
    text = BASE.replace("      etp: 0,5\n", f'      etp: 0,5\n      par: "1{spaces}x"\n', 1)
    text = text.replace(
        "    structure: Association de l'atelier\n",
        f'    structure: Association\n    courriel: "a@{"b" * 500_000}"\n',
    )
    (repo / "innovations" / "atelier.yaml").write_text(text, encoding="utf-8")
    started = time.perf_counter()
    result = validate("innovations/atelier.yaml", "--sans-contexte")
    assert time.perf_counter() - started < 5
    assert "erreur[S111]" in result.stdout and "erreur[S108]" in result.stdout


def test_code_frames_split_a_file_once(repo):
    many = "".join(f"cle: {i}\n" for i in range(40_000))
    (repo / "innovations" / "doublons.yaml").write_text("essaimage: 1\n" + many, encoding="utf-8")
    started = time.perf_counter()
    result = validate("innovations/doublons.yaml", "--contexte")
    assert time.perf_counter() - started < 15
    assert result.stdout.count("erreur[Y009]") == 39_999


def test_a_glob_through_link_loops_ends(tmp_path):
    build_file_tree(tmp_path, {"a/x.yaml": "x: 1\n"})
    (tmp_path / "a" / "boucle").symlink_to(tmp_path / "a", target_is_directory=True)
    (tmp_path / "a" / "b").symlink_to(tmp_path / "a" / "c")
    (tmp_path / "a" / "c").symlink_to(tmp_path / "a" / "b")
    started = time.perf_counter()
    found = glob_paths(str(tmp_path / "a" / "**" / "*.yaml"))
    assert found == [tmp_path / "a" / "x.yaml"]
    assert time.perf_counter() - started < 2


# --- values --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    ["x@example.org?cc=attacker%40evil.example", 'x"onmouseover="alert(1)@a.fr', "a@b@c.fr"],
)
def test_an_email_cannot_add_a_recipient_nor_leave_its_attribute(repo, address):
    text = BASE.replace(
        "    structure: Association de l'atelier\n",
        f"    structure: Association\n    courriel: '{address}'\n",
    )
    (repo / "innovations" / "atelier.yaml").write_text(text, encoding="utf-8")
    assert "erreur[S108]" in validate("innovations/atelier.yaml", "--sans-contexte").stdout


def test_a_link_loop_is_one_finding_and_the_run_goes_on(repo):
    (repo / "innovations" / "a.yaml").symlink_to("b.yaml")
    (repo / "innovations" / "b.yaml").symlink_to("a.yaml")
    result = validate("--sans-contexte")
    assert result.exit_code == 1
    assert (
        "innovations/a.yaml:1:1: erreur[Y001] fichier illisible : liens symboliques en boucle"
        in (result.stdout)
    )
    assert "innovations/b.yaml:1:1: erreur[Y001]" in result.stdout
    assert "erreur interne" not in result.stdout + result.stderr


# --- every value that validates can be rendered --------------------------------------------


def kit_exit(repo, descriptor: str, profile: str = PROFILE, *env: str) -> str:
    (repo / "innovations" / "atelier.yaml").write_text(descriptor, encoding="utf-8")
    (repo / "territoires" / "bourg.yaml").write_text(profile, encoding="utf-8")
    result = invoke("kit", "-t", "bourg", "-f", "md", "-o", "kits", "--sans-contexte")
    assert "X900" not in result.stdout and "erreur interne" not in result.stderr
    return result.stdout


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("      montant: 3 000", "      montant: 1234567890123456789012345678", "S106"),
        ("      montant: 3 000", "      montant: " + "9" * 400, "S106"),
        ("mis_a_jour: 2026-06-01", "mis_a_jour: 0004-01-01", "S109"),
        ("    date: 2025", "    date: 0000", "S109"),
        (
            "    duree_mois: 2\n  - titre: Ouvrir",
            "    duree_mois: 100000\n  - titre: Ouvrir",
            "S106",
        ),
    ],
)
def test_values_no_kit_could_compute_are_refused(repo, old, new, code):
    assert BASE.count(old) == 1
    out = kit_exit(repo, BASE.replace(old, new))
    assert f"erreur[{code}]" in out


def test_extreme_values_that_validate_render(repo):
    text = BASE.replace("      montant: 3 000", "      montant: 999 999 999 999 999")
    text = text.replace(
        "      etp: 0,5\n", "      etp: 999999999999999\n      par: 0,001 habitant\n", 1
    )
    text = text.replace("    valeur: 400", "    valeur: " + "9" * 40)  # beyond 15 digits: a text
    text = text.replace(
        "    duree_mois: 2\n  - titre: Ouvrir", "    duree_mois: 1200\n  - titre: Ouvrir"
    )
    more = "".join(f"  - titre: Étape {i}\n    duree_mois: 1200\n" for i in range(80))
    text = text.replace("indicateurs:\n", more + "indicateurs:\n", 1)  # 8 000 years of steps
    profile = (
        "essaimage: 1\nterritoire: {nom: Bourg, population: 999 999 999 999 999}\n"
        "projets: {atelier-velo: {debut: 2999-12-31, beneficiaires: 999999999999999}}\n"
    )
    out = kit_exit(repo, text, profile)
    assert "1 kit produit" in out


def test_a_date_beyond_the_calendar_in_source_date_epoch_is_ignored(repo, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99999999999999")
    result = validate("innovations/atelier.yaml", "--sans-contexte")
    assert result.exit_code == 0 and "X900" not in result.stdout


# --- unique outputs, no partial site -------------------------------------------------------


def test_two_profiles_that_would_write_the_same_kit_are_an_error(repo, tmp_path):
    (repo / "territoires" / "bourg_2.yaml").write_text(PROFILE.replace("Bourg", "Autre"), "utf-8")
    (repo / "territoires" / "bourg-2.yaml").write_text(PROFILE, encoding="utf-8")
    result = invoke(
        "kit", "innovations/atelier.yaml", "-t", "territoires/bourg-2.yaml",
        "-t", "territoires/bourg_2.yaml", "-o", str(tmp_path / "kits"),
    )  # fmt: skip
    assert result.exit_code == 2
    assert "« territoires/bourg-2.yaml » et « territoires/bourg_2.yaml »" in result.stderr
    assert not (tmp_path / "kits").exists()
    site = invoke("site")
    assert site.exit_code == 2 and "donneraient des kits du même nom" in site.stderr
    assert not (repo / "public").exists()


def test_the_same_territory_named_twice_makes_one_kit(repo, tmp_path):
    result = invoke(
        "kit", "innovations/atelier.yaml", "-t", "bourg", "-t", "territoires/bourg.yaml",
        "-o", str(tmp_path / "kits"), "-f", "md",
    )  # fmt: skip
    assert result.exit_code == 0 and "1 kit produit" in result.stdout


def test_the_site_never_overwrites_a_file_it_did_not_write(repo):
    (repo / "public").mkdir()
    (repo / "public" / "index.html").write_text("ma page\n", encoding="utf-8")
    result = invoke("site")
    assert result.exit_code == 2 and "n'a pas été écrit par essaimage" in result.stderr
    assert (repo / "public" / "index.html").read_text(encoding="utf-8") == "ma page\n"
    assert sorted(p.name for p in (repo / "public").iterdir()) == ["index.html"]


def test_a_template_error_leaves_no_partial_site(repo):
    (repo / "essaimage.yaml").write_text("essaimage: 1\ngabarits: gabarits\n", encoding="utf-8")
    (repo / "gabarits").mkdir()
    (repo / "gabarits" / "kit.md.j2").write_text("{{ kit.inconnu.x }}\n", encoding="utf-8")
    assert invoke("site").exit_code != 0
    assert not (repo / "public").exists() or not any((repo / "public").rglob("*"))


def test_files_left_by_an_interrupted_build_are_cleaned(repo):
    assert invoke("site").exit_code == 0
    leftover = repo / "public" / ".index.html.abcd1234.tmp"
    leftover.write_text("à moitié écrit", encoding="utf-8")
    kept = repo / "public" / ".autre.tmp"
    kept.write_text("pas à nous", encoding="utf-8")
    assert invoke("site", "--garder-etrangers").exit_code == 0
    assert not leftover.exists() and kept.exists()


# --- custom templates ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "line", "reason"),
    [
        ("ligne 1\n{{ 'a' * 10**10 }}\n", 2, "une opération interdite dans un gabarit"),
        ("{{ kit.inconnu.x }}\n", 1, "une variable ou un attribut inconnu"),
        ("un\ndeux\n{% for x in %}\n", 3, "syntaxe invalide"),
        ("{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}", 1,
         "le kit produit dépasserait 1 Mio"),
    ],
)  # fmt: skip
def test_custom_template_problems_point_at_the_template(
    repo, tmp_path, monkeypatch, template, line, reason
):
    from essaimage.render import engine as render

    monkeypatch.setattr(render, "MAX_OUTPUT", 1024 * 1024)
    (repo / "essaimage.yaml").write_text("essaimage: 1\ngabarits: gabarits\n", encoding="utf-8")
    (repo / "gabarits").mkdir()
    (repo / "gabarits" / "kit.md.j2").write_text(template, encoding="utf-8")
    started = time.perf_counter()
    result = invoke("kit", "-t", "bourg", "-f", "md", "-o", str(tmp_path / "k"), "--sans-contexte")
    assert time.perf_counter() - started < 20
    assert result.exit_code == 1
    assert f"gabarits/kit.md.j2:{line}:1: erreur[K302] {reason}" in result.stdout
    assert "X900" not in result.stdout


def test_a_custom_template_that_never_ends_is_stopped(repo, tmp_path, monkeypatch):
    from essaimage.render import engine as render

    monkeypatch.setattr(render, "TEMPLATE_SECONDS", 0.5)
    (repo / "essaimage.yaml").write_text("essaimage: 1\ngabarits: gabarits\n", encoding="utf-8")
    (repo / "gabarits").mkdir()
    (repo / "gabarits" / "kit.md.j2").write_text(
        "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
        encoding="utf-8",
    )
    started = time.perf_counter()
    result = invoke("kit", "-t", "bourg", "-f", "md", "-o", str(tmp_path / "k"), "--sans-contexte")
    assert time.perf_counter() - started < 10
    assert "erreur[K302] trop long ou trop gourmand à produire" in result.stdout


# --- reports and kits robust to any name and value -----------------------------------------


def test_a_control_character_in_a_text_is_refused_at_its_line(repo):
    text = BASE.replace("nom: Atelier vélo solidaire", 'nom: "Atelier\\x07 vélo\\x1b[31m"')
    (repo / "innovations" / "atelier.yaml").write_text(text, encoding="utf-8")
    result = validate("innovations/atelier.yaml", "--sans-contexte")
    assert "innovations/atelier.yaml:5:6: erreur[S113]" in result.stdout
    assert "U+0007" in result.stdout and "\x07" not in result.stdout


def test_control_characters_are_found_in_list_items_keys_and_raw_bidi_overrides(repo):
    """Checked on the loaded file (issue 13: once per file, not once per field), each at its own
    line and column: an item of a list of texts, a key of a mapping, a raw U+202E."""
    text = BASE.replace("nom: Atelier vélo solidaire", 'nom: "Atelier \u202egnp.exe"')
    text += 'public_cible:\n  - Familles\n  - "Habitants\\x07 du quartier"\n'
    text += 'regles:\n  "D1\\x1b": ignorer\n'
    (repo / "innovations" / "atelier.yaml").write_text(text, encoding="utf-8")
    result = validate("innovations/atelier.yaml", "--sans-contexte", "-f", "json")
    found = {(f["chemin"], f["code"], f["ligne"]) for f in json.loads(result.stdout)["constats"]}
    lines = text.splitlines()
    assert ("nom", "S113", 1 + lines.index('nom: "Atelier \u202egnp.exe"')) in found
    item = 1 + lines.index('  - "Habitants\\x07 du quartier"')
    assert any(
        code == "S113" and line == item and "public_cible" in path for path, code, line in found
    )
    key = 1 + lines.index('  "D1\\x1b": ignorer')
    assert any(code == "S113" and line == key for _, code, line in found)


def test_a_file_without_escape_nor_override_is_not_walked():
    from essaimage.format.scalars import may_hold_controls

    assert not may_hold_controls(BASE)
    assert may_hold_controls('nom: "a\\tb"')
    assert may_hold_controls("nom: a\u202eb")
    assert may_hold_controls("nom: a\x85b")


@pytest.mark.parametrize(
    "url",
    ['https://exemple.org/"onmouseover=x', "https://exemple.org/<script>", "https://a.fr/x]y>"],
)
def test_a_link_cannot_leave_its_attribute_or_its_markdown(repo, url):
    text = BASE.replace("    url: https://exemple.org/fiches", f"    url: '{url}'")
    (repo / "innovations" / "atelier.yaml").write_text(text, encoding="utf-8")
    assert "erreur[S107]" in validate("innovations/atelier.yaml", "--sans-contexte").stdout


def test_a_file_name_that_is_not_utf8_is_shown_escaped_in_every_report(repo):
    name = os.fsdecode(b"innovations/caf\xe9.yaml")
    (repo / name).write_text("essaimage: 1\n", encoding="utf-8")
    for fmt in ("text", "json", "github", "gitlab", "junit", "sarif"):
        result = validate("-f", fmt, "--rapport", f"{fmt}=rapport.{fmt}")
        assert result.exit_code == 1, (fmt, result.stderr)
        shown = "caf\\\\xe9.yaml" if fmt in ("json", "gitlab") else "caf\\xe9.yaml"
        if fmt == "sarif":  # a URI reference: the backslash percent-encoded
            shown = "caf%5Cxe9.yaml"
        assert shown in result.stdout, fmt
        (repo / f"rapport.{fmt}").read_text(encoding="utf-8")  # written, valid UTF-8


# --- the Markdown kit ----------------------------------------------------------------------

HOSTILE_MARKDOWN = """\
`` `<img src=https://pisteur.example/p.png onerror=alert(1)>
<script>alert(2)</script>

![pixel](https://pisteur.example/pixel.png) [clic](javascript:alert(3)) [donnée](data:text/html,x)
[bon lien](https://exemple.org/a) [écrire](mailto:a@b.fr)

``` <img src=x onerror=alert(4)>
du code
```

\\- pas une liste
# Titre
"""


def test_the_markdown_kit_keeps_no_html_image_or_unsafe_link():
    from markdown_it import MarkdownIt

    from essaimage.text.markdown import safe_markdown

    out = safe_markdown(HOSTILE_MARKDOWN, 3)
    html = MarkdownIt("commonmark").render(out)  # as a Markdown viewer would show it
    assert "<img" not in html and "<script" not in html
    assert 'href="javascript' not in html and 'href="data' not in html  # inert text at most
    assert 'href="https://exemple.org/a"' in html and 'href="mailto:a@b.fr"' in html
    assert "pixel" in html  # an image becomes its description
    assert "<h4>Titre</h4>" in html and "<li>" not in html


def test_the_html_kit_keeps_no_html_image_or_unsafe_link_and_reads_like_the_markdown_one():
    """Both kits come from one parse of a text (`markdown_safe.parsed`): the HTML one shows an
    image as its description too, and parsing for one kit leaves the other's output as it was."""
    from essaimage.render.engine import md_to_html
    from essaimage.text.markdown import parsed, safe_markdown

    parsed.cache_clear()
    before = safe_markdown(HOSTILE_MARKDOWN, 3)
    html = str(md_to_html(HOSTILE_MARKDOWN))
    assert "<img" not in html and "<script" not in html
    assert 'href="javascript' not in html and 'href="data' not in html
    assert 'href="https://exemple.org/a"' in html and 'href="mailto:a@b.fr"' in html
    assert "<p>pixel " in html and "!" not in html.split("pixel")[0][-5:]  # no « ! » left
    assert "<h4>Titre</h4>" in html and "<h1>" not in html  # its own copy was shifted
    assert "<h2>Titre</h2>" in str(md_to_html(HOSTILE_MARKDOWN, 1))
    safe_markdown.cache_clear()
    assert safe_markdown(HOSTILE_MARKDOWN, 3) == before  # the shared tokens were not changed


def test_the_markdown_kit_says_what_the_author_wrote():
    """Re-written from its syntax tree, every Markdown text of the examples reads the same."""
    from markdown_it import MarkdownIt

    from essaimage.check.pipeline import check_file
    from essaimage.text.markdown import safe_markdown

    md = MarkdownIt("commonmark")
    texts = []
    for path in sorted((EXAMPLES / "innovations").glob("*.yaml")):
        data = check_file(path).document.data
        texts += [data["probleme"], data["solution"], data.get("pourquoi_ca_marche") or ""]
    texts += ["*a* **b** `c` [d](https://e.fr)\n\n1. un\n2. deux\n   - trois\n\n> cit\n\n---\n"]
    for text in texts:
        assert md.render(safe_markdown(text, 0)) == md.render(text)


# --- smaller -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'essaimage: 1\nnom: "a"\ncle: a\x01b\n', "3:7: erreur[Y005] caractère de contrôle"),
        (b"a: " + b"[" * 2000 + b"]" * 2000 + b"\n", "erreur[Y012] imbrication trop profonde"),
        (b"%YAML 9.9\n---\na: 1\n", "erreur[Y005] version de YAML non prise en charge"),
    ],
)
def test_reading_problems_are_french_and_at_their_place(tmp_path, content, expected):
    path = tmp_path / "f.yaml"
    path.write_bytes(content)
    result = validate(str(path), "--sans-contexte")
    assert expected in result.stdout


def test_catalogue_pages_do_not_skip_heading_levels(repo):
    text = BASE.replace("probleme: Beaucoup", "probleme: |\n  # Constat\n  Beaucoup").replace(
        " faute de savoir les réparer.", " faute de savoir\n  les réparer."
    )
    (repo / "innovations" / "atelier.yaml").write_text(text, encoding="utf-8")
    assert invoke("site").exit_code == 0
    page = (repo / "public" / "innovations" / "atelier-velo.html").read_text(encoding="utf-8")
    assert "<h2>Le problème</h2>\n<h3>Constat</h3>" in page


def test_a_hundred_thousand_unknown_keys_are_checked_in_seconds(repo):
    keys = "".join(f"cle{i}: x\n" for i in range(100_000))
    (repo / "innovations" / "cles.yaml").write_text("essaimage: 1\n" + keys, encoding="utf-8")
    started = time.perf_counter()
    result = validate("innovations/cles.yaml", "--sans-contexte")
    assert time.perf_counter() - started < 15
    assert result.stdout.count("erreur[S102]") == 100_000


def test_a_configuration_that_excludes_everything_is_not_a_silent_success(tmp_path, monkeypatch):
    build_file_tree(
        tmp_path,
        {"essaimage.yaml": "essaimage: 1\nexclure: ['*']\n", "projet/innovations/a.yaml": BASE},
    )
    monkeypatch.chdir(tmp_path / "projet")
    result = validate(".")
    assert result.exit_code == 2
    assert "aucun fichier à vérifier : la configuration" in result.stderr


def test_a_key_cannot_forge_a_line_in_any_report(repo):
    (repo / "innovations" / "atelier.yaml").write_text(
        BASE + '"x\\n::warning file=README.md,line=1::faux": 1\n', encoding="utf-8"
    )
    for fmt in ("text", "github"):
        out = validate("innovations/atelier.yaml", "-f", fmt, "--sans-contexte").stdout
        assert not any(line.startswith("::warning file=README.md") for line in out.splitlines())
        assert "\\u000a::warning" in out or "%0A" in out


def test_a_configuration_linked_out_of_the_repository_is_not_read(repo, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("essaimage: 1\nMOT_DE_PASSE: hunter2\n", encoding="utf-8")
    (repo / "essaimage.yaml").unlink()
    (repo / "essaimage.yaml").symlink_to(secret)
    result = validate("innovations/atelier.yaml", "--sans-contexte")
    assert "hunter2" not in result.stdout + result.stderr
    assert "essaimage.yaml:1:1: erreur[Y001]" in result.stdout


def test_an_interrupted_site_build_can_be_run_again(repo, monkeypatch):
    from essaimage.commands import site

    assert invoke("site").exit_code == 0
    (repo / "innovations" / "autre.yaml").write_text(
        BASE.replace("id: atelier-velo", "id: atelier-autre"), encoding="utf-8"
    )
    original = site.OutputFolder.write_if_changed

    def disk_full(folder, relative, text):
        if relative.endswith("atelier-autre.html"):
            raise OSError(28, "No space left on device")
        return original(folder, relative, text)

    monkeypatch.setattr(site.OutputFolder, "write_if_changed", disk_full)
    assert invoke("site").exit_code == 2
    monkeypatch.setattr(site.OutputFolder, "write_if_changed", original)
    result = invoke("site")
    assert result.exit_code == 0, result.stderr
    assert (repo / "public" / "innovations" / "atelier-autre.html").exists()


def test_kits_never_replace_a_file_essaimage_did_not_write(repo, tmp_path):
    out = tmp_path / "kits"
    mine = out / "atelier-velo" / "bourg.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("mes notes\n", encoding="utf-8")
    result = invoke("kit", "-t", "bourg", "-o", str(out))
    assert result.exit_code == 2 and "n'a pas été écrit par essaimage" in result.stderr
    assert mine.read_text(encoding="utf-8") == "mes notes\n"
    assert not (out / "atelier-velo" / "bourg.html").exists()  # nothing of that kit written
    mine.unlink()
    assert invoke("kit", "-t", "bourg", "-o", str(out)).exit_code == 0
    assert invoke("kit", "-t", "bourg", "-o", str(out)).exit_code == 0  # its own files: rewritten


def test_kits_of_earlier_versions_and_of_custom_templates_are_rewritten(repo, tmp_path):
    out = tmp_path / "kits"
    earlier = out / "atelier-velo" / "bourg.md"
    earlier.parent.mkdir(parents=True)
    earlier.write_text("# Kit\n\n- Produit par essaimage 0.0.9\n", encoding="utf-8")
    assert invoke("kit", "-t", "bourg", "-o", str(out), "-f", "md").exit_code == 0
    (repo / "essaimage.yaml").write_text("essaimage: 1\ngabarits: gabarits\n", encoding="utf-8")
    (repo / "gabarits").mkdir()
    (repo / "gabarits" / "kit.md.j2").write_text("Kit maison {{ i.nom }}\n", encoding="utf-8")
    for _ in range(2):
        assert invoke("kit", "-t", "bourg", "-o", str(out), "-f", "md").exit_code == 0
    assert earlier.read_text(encoding="utf-8").startswith("Kit maison")


def test_no_installed_pydantic_plugin_sees_the_descriptors(tmp_path):
    """A package may declare a Pydantic plugin (a tracer, say) that Pydantic runs on every
    validation: it must see nothing of a repository's files. The spy plugin below is seen by
    Pydantic's own models, and not by essaimage's."""
    import subprocess
    import sys

    site = tmp_path / "site"
    build_file_tree(
        site,
        {
            "espion.py": (
                "import sys\n"
                "class Espion:\n"
                "    def new_schema_validator(self, schema, *args, **kwargs):\n"
                "        print('vu', file=sys.stderr)\n"
                "        return None, None, None\n"
                "plugin = Espion()\n"
            ),
            "espion-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: espion\nVersion: 1.0\n",
            "espion-1.0.dist-info/entry_points.txt": "[pydantic]\nespion = espion:plugin\n",
        },
    )
    environment = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    environment["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(site), os.environ.get("PYTHONPATH")])
    )

    def stderr_of(code: str) -> str:
        return subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=environment,
            cwd=EXAMPLES, check=True,
        ).stderr  # fmt: skip

    plain = "from pydantic import BaseModel\nclass M(BaseModel):\n    a: int = 0\nM()\n"
    assert "vu" in stderr_of(plain)  # the spy works
    ours = (
        "from pathlib import Path\nfrom essaimage.check.pipeline import check_file\n"
        "assert check_file(Path('innovations/pedibus.yaml')).model is not None\n"
    )
    assert "vu" not in stderr_of(ours)


def test_every_promise_of_docs_securite_points_at_a_test_that_exists():
    """docs/securite.md names the test behind each promise: each name is a test of tests/, and
    each test of the safety files is named there (a promise cannot lose its test unseen)."""
    import ast

    tests = Path(__file__).parent
    doc = (tests.parent / "docs" / "securite.md").read_text(encoding="utf-8")
    named = set()
    for part in doc.split("`")[1::2]:
        if part.startswith("test_") and "." not in part:
            named.add(part)
    defined: dict[str, set[str]] = {}
    for file in tests.glob("test_*.py"):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        names = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        defined[file.name] = {n for n in names if n.startswith("test_")}
    everywhere = set().union(*defined.values())
    assert named - everywhere == set()
    safety = set().union(*(v for k, v in defined.items() if k.startswith("test_safety_")))
    helpers = {
        "test_jinja_s_own_features_still_work_in_a_repository_s_template",
        "test_the_bounded_filters_do_what_jinja_s_do",
        "test_the_reference_in_docs_gabarits_is_the_code_s",
        "test_the_plan_property_is_not_vacuous",
        "test_every_promise_of_docs_securite_points_at_a_test_that_exists",
    }  # guards of the tests themselves, not promises
    assert safety - named - helpers == set()


def test_importing_essaimage_leaves_the_user_s_environment_as_it_was():
    """Issue 23: importing essaimage.format.models set PYDANTIC_DISABLE_PLUGINS for the whole process
    (and the CLI's `setdefault` was dead); the plugins are now off while essaimage validates."""
    import subprocess
    import sys

    environment = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    code = (
        "import os\nimport essaimage.format.models, essaimage.check.pipeline\n"
        "print(os.environ.get('PYDANTIC_DISABLE_PLUGINS'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment, check=True
    )
    assert done.stdout.strip() == "None"
