"""Output is confined like input (issue 21): no committed link leads an output folder out of
the repository, nothing is written or deleted through a link (not even one swapped in during a
run), files that essaimage did not write are not published by the site, and the PDF cache is
nothing that a commit can forge. Each test replays an attack that worked on an earlier
version."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path

import pytest

from essaimage.commands import site
from essaimage.errors import OutputError
from essaimage.files import output
from essaimage.render import pdf
from helpers import BASE, build_file_tree, invoke, validate

pytestmark = pytest.mark.skipif(os.name != "posix", reason="liens symboliques POSIX")

PROFILE = "essaimage: 1\nterritoire: {nom: Bourg, type: commune}\nprojets: {atelier-velo: {}}\n"
KIT_PDF = "kits/atelier-velo/bourg.pdf"


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A small valid repository (the current folder) and, beside it, another project's site."""
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
    monkeypatch.chdir(root)
    return root


@pytest.fixture(params=["descripteurs", "chemins"])
def both_ways(request, monkeypatch):
    """Each test twice: with directory descriptors (POSIX), and with the check-then-act
    fallback of systems without them (Windows)."""
    if request.param == "chemins":
        monkeypatch.setattr(output, "FD_BASED", False)
    return request.param


def victim_site(folder: Path, count: int = 37) -> dict[str, bytes]:
    """Another project's site, with a manifest that lists each of its files with its true hash
    and the pages essaimage would write (the attack that deleted 13 of 37 files)."""
    files = {f"page-{n}.html": f"page {n} d'un autre projet\n".encode() for n in range(count - 2)}
    files["index.html"] = b"accueil d'un autre projet\n"
    files["kits/atelier-velo/bourg.html"] = b"un kit d'un autre projet\n"
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    lines = [f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in files.items()]
    (folder / ".essaimage-site").write_text("".join(lines), encoding="utf-8")
    return snapshot(folder)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (links not followed) and its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and not p.is_symlink()
    }


# --- output folders that a committed link leads out of the repository ---------------------


@pytest.mark.parametrize("sortie", ["public", "web/public"])
def test_a_committed_link_cannot_send_the_site_out_of_the_repository(
    repo, tmp_path, both_ways, sortie
):
    outside = tmp_path / "autre-projet" / "public"
    outside.mkdir(parents=True)
    before = victim_site(outside)
    first = sortie.split("/")[0]  # the link: the folder itself, or a folder above it
    target = outside if first == sortie else outside.parent
    (repo / first).symlink_to(target, target_is_directory=True)
    result = invoke("site", "--sortie", sortie)
    assert result.exit_code == 2
    assert f"« {first} » est un lien symbolique qui sort du dépôt" in result.stderr
    assert snapshot(outside) == before  # nothing written, nothing deleted


def test_a_link_into_the_repository_that_leads_out_is_refused_too(repo, tmp_path):
    """A link of the user's, outside the repository, that leads to a committed link going out."""
    outside = tmp_path / "autre-projet"
    outside.mkdir()
    before = victim_site(outside)
    (repo / "public").symlink_to(outside, target_is_directory=True)
    (tmp_path / "raccourci").symlink_to(repo / "public", target_is_directory=True)
    result = invoke("site", "--sortie", str(tmp_path / "raccourci"))
    assert result.exit_code == 2 and "« public » est un lien symbolique" in result.stderr
    assert snapshot(outside) == before


def test_output_folders_the_user_chose_are_written(repo, tmp_path):
    """Outside the repository, a folder (even through a link) is the user's choice; inside,
    a link that stays inside is followed."""
    (tmp_path / "mon-site").mkdir()
    (tmp_path / "lien-vers-mon-site").symlink_to(tmp_path / "mon-site")
    assert invoke("site", "-o", str(tmp_path / "lien-vers-mon-site")).exit_code == 0
    assert (tmp_path / "mon-site" / "index.html").exists()
    (repo / "docs").mkdir()
    (repo / "public").symlink_to("docs", target_is_directory=True)
    assert invoke("site", "-o", "public").exit_code == 0
    assert (repo / "docs" / "index.html").exists()


def test_kits_do_not_follow_a_committed_kits_link(repo, tmp_path, both_ways):
    outside = tmp_path / "ailleurs"
    build_file_tree(outside, {"atelier-velo/bourg.md": "à garder\n", "autre.txt": "à garder\n"})
    digest = hashlib.sha256("à garder\n".encode()).hexdigest()  # a forged manifest claims it
    (outside / ".essaimage-kits").write_text(f"{digest}  atelier-velo/bourg.md\n", "utf-8")
    before = snapshot(outside)
    (repo / "kits").symlink_to(outside, target_is_directory=True)
    result = invoke("kit", "-t", "bourg")  # default folder: kits
    assert result.exit_code == 2 and "« kits » est un lien symbolique" in result.stderr
    assert snapshot(outside) == before


def test_a_plan_does_not_follow_a_committed_link(repo, tmp_path, both_ways):
    outside = tmp_path / "ailleurs"
    build_file_tree(outside, {"atelier-velo-22/plan.md": "à garder\n"})
    digest = hashlib.sha256("à garder\n".encode()).hexdigest()
    (outside / "atelier-velo-22" / ".essaimage-kits").write_text(f"{digest}  plan.md\n", "utf-8")
    before = snapshot(outside)
    (repo / "plans-calcules").symlink_to(outside, target_is_directory=True)
    result = invoke("plan", "atelier-velo", "--dans", "22", "--limite", "1", "-f", "md")
    assert result.exit_code == 2 and "« plans-calcules » est un lien symbolique" in result.stderr
    assert snapshot(outside) == before


def test_export_does_not_follow_a_committed_link(repo, tmp_path, both_ways):
    outside = tmp_path / "ailleurs"
    build_file_tree(outside, {"innovations.csv": "à garder\n"})
    before = snapshot(outside)
    (repo / "ouvert").symlink_to(outside, target_is_directory=True)
    result = invoke("export", "--sortie", "ouvert")
    assert result.exit_code == 2 and "« ouvert » est un lien symbolique" in result.stderr
    assert snapshot(outside) == before


def test_a_report_does_not_follow_a_committed_folder_link(repo, tmp_path, both_ways):
    outside = tmp_path / "ailleurs"
    build_file_tree(outside, {"x.xml": "à garder\n"})
    (repo / "rapports").symlink_to(outside, target_is_directory=True)
    result = validate("--rapport", "junit=rapports/x.xml")
    assert result.exit_code == 2 and "« rapports » est un lien symbolique" in result.stderr
    assert (outside / "x.xml").read_text(encoding="utf-8") == "à garder\n"
    assert sorted(p.name for p in outside.iterdir()) == ["x.xml"]


def test_a_report_that_is_a_link_is_refused_not_followed_nor_replaced(repo, tmp_path, both_ways):
    """Decided: a report path that is a symbolic link is an error (code 2); the link and what
    it points to stay as they are."""
    target = tmp_path / "ailleurs.xml"
    target.write_text("à garder\n", encoding="utf-8")
    (repo / "x.xml").symlink_to(target)
    result = validate("--rapport", "junit=x.xml")
    assert result.exit_code == 2 and "n'est pas un fichier ordinaire" in result.stderr
    assert (repo / "x.xml").is_symlink() and target.read_text(encoding="utf-8") == "à garder\n"


def test_init_does_not_create_a_descriptor_through_a_committed_link(repo, tmp_path, both_ways):
    outside = tmp_path / "ailleurs"
    outside.mkdir()
    (repo / "nouvelles").symlink_to(outside, target_is_directory=True)
    result = invoke("init", "nouvelles/velo.yaml")
    assert result.exit_code == 2 and "« nouvelles » est un lien symbolique" in result.stderr
    assert list(outside.iterdir()) == []


# --- links swapped in while essaimage writes ----------------------------------------------


def test_a_folder_swapped_for_a_link_during_the_build_is_not_followed(
    repo, tmp_path, monkeypatch, both_ways
):
    """Between the checks and the writes, `public/kits` becomes a link to another folder: the
    writes refuse it (each folder opened without following links), nothing lands outside."""
    assert invoke("site").exit_code == 0
    outside = tmp_path / "ailleurs"
    outside.mkdir()
    original = site.sha256
    swapped = []

    def swap_then_hash(content):  # called once every check is done, before the first write
        if not swapped:
            (repo / "public" / "kits").rename(tmp_path / "kits-de-cote")
            (repo / "public" / "kits").symlink_to(outside, target_is_directory=True)
            swapped.append(True)
        return original(content)

    monkeypatch.setattr(site, "sha256", swap_then_hash)
    result = invoke("site")
    assert swapped and result.exit_code == 2
    assert "est un lien symbolique" in result.stderr
    assert list(outside.iterdir()) == []


@pytest.mark.skipif(
    not getattr(output, "FD_BASED", True), reason="descripteurs de dossiers absents"
)
def test_an_output_folder_swapped_for_a_link_after_its_check_is_refused(tmp_path):
    """`OutputFolder` checks the folder once, then opens each component of its real path
    without following links: a link put in its place in between is refused."""
    from essaimage.files.output import OutputFolder

    outside = tmp_path / "ailleurs"
    outside.mkdir()
    out = tmp_path / "sortie"
    out.mkdir()
    folder = OutputFolder(out)  # checked: a real folder
    out.rmdir()
    out.symlink_to(outside, target_is_directory=True)
    with pytest.raises(OutputError, match="est un lien symbolique"), folder:
        folder.write("index.html", "page")
    assert list(outside.iterdir()) == []


@pytest.mark.skipif(
    not getattr(output, "FD_BASED", True), reason="descripteurs de dossiers absents"
)
def test_a_file_swapped_for_a_link_is_replaced_never_written_through(tmp_path, monkeypatch):
    """A link put in place of a file between the check and the rename is replaced by the
    rename: what it points to is untouched."""
    from essaimage.files.output import OutputFolder

    outside = tmp_path / "ailleurs.txt"
    outside.write_text("à garder\n", encoding="utf-8")
    out = tmp_path / "sortie"
    out.mkdir()
    (out / "page.html").write_text("ancienne\n", encoding="utf-8")
    original = output._write_new

    def swap_then_write(folder, name, data, mode, keep=None):
        (out / "page.html").unlink()
        (out / "page.html").symlink_to(outside)
        original(folder, name, data, mode, keep)

    monkeypatch.setattr(output, "_write_new", swap_then_write)
    with OutputFolder(out) as folder:
        folder.write("page.html", "nouvelle\n")
    assert (out / "page.html").read_text(encoding="utf-8") == "nouvelle\n"
    assert not (out / "page.html").is_symlink()
    assert outside.read_text(encoding="utf-8") == "à garder\n"


# --- files in the output folder that essaimage did not write ------------------------------


def test_the_site_does_not_publish_foreign_files_unless_asked(repo, both_ways):
    build_file_tree(repo, {"public/CNAME": "catalogue.example.org\n", "public/piege.html": "x"})
    refused = invoke("site")
    assert refused.exit_code == 2
    assert (
        "2 fichiers du dossier de sortie n'ont pas été écrits par essaimage : CNAME, piege.html"
        in refused.stderr
    )
    assert "--garder-etrangers" in refused.stderr
    assert sorted(p.name for p in (repo / "public").iterdir()) == ["CNAME", "piege.html"]
    kept = invoke("site", "--garder-etrangers")
    assert kept.exit_code == 0, kept.output
    assert "ils sont gardés et publiés avec le site (--garder-etrangers)" in kept.stderr
    assert (repo / "public" / "CNAME").read_text(encoding="utf-8") == "catalogue.example.org\n"
    assert (repo / "public" / "index.html").exists()


def test_a_link_in_the_site_folder_is_never_published(repo, tmp_path, both_ways):
    """A static host would publish what a link points to (a runner's secrets): refused even
    with --garder-etrangers."""
    secret = tmp_path / "secret.txt"
    secret.write_text("hunter2\n", encoding="utf-8")
    (repo / "public").mkdir()
    (repo / "public" / "jeton.txt").symlink_to(secret)
    result = invoke("site", "--garder-etrangers")
    assert result.exit_code == 2 and "« jeton.txt »" in result.stderr
    assert not (repo / "public" / "index.html").exists()


@pytest.mark.parametrize("true_hash", [True, False])
def test_a_forged_manifest_cannot_get_a_foreign_file_published(repo, true_hash, both_ways):
    """The manifest is committed too: claiming a file with its true hash only gets it deleted
    as an earlier build's; with any other hash it is a foreign file and stops the build."""
    content = b"<script>vol()</script>\n"
    digest = hashlib.sha256(content if true_hash else b"autre").hexdigest()
    (repo / "public").mkdir()
    (repo / "public" / "piege.html").write_bytes(content)
    (repo / "public" / ".essaimage-site").write_text(f"{digest}  piege.html\n", "utf-8")
    result = invoke("site")
    if true_hash:
        assert result.exit_code == 0 and ", 1 retiré)" in result.stdout
        assert not (repo / "public" / "piege.html").exists()
    else:
        assert result.exit_code == 2 and "piege.html" in result.stderr
        assert (repo / "public" / "piege.html").read_bytes() == content


def test_kit_plan_and_export_say_which_files_they_did_not_write(repo, both_ways):
    build_file_tree(
        repo,
        {
            "kits/notes.txt": "mes notes\n",
            "plans-calcules/atelier-velo-22/notes.txt": "mes notes\n",
            "donnees/notes.txt": "mes notes\n",
        },
    )
    warning = "1 fichier du dossier de sortie n'a pas été écrit par essaimage : notes.txt"
    kit = invoke("kit", "-t", "bourg", "-f", "md")
    assert kit.exit_code == 0 and warning in kit.stderr
    plan = invoke("plan", "atelier-velo", "--dans", "22", "--limite", "1", "-f", "md")
    assert plan.exit_code == 0 and warning in plan.stderr
    export = invoke("export")
    assert export.exit_code == 0 and warning in export.stderr
    again = invoke("kit", "-t", "bourg", "-f", "md")  # its own kits, in its manifest: not said
    assert again.exit_code == 0 and warning in again.stderr and "bourg" not in again.stderr


# --- the PDF cache ------------------------------------------------------------------------


@pytest.fixture
def stub_pdf(monkeypatch):
    """PDFs without WeasyPrint: each « PDF » names the HTML it is made from; the calls counted."""
    made: list[str] = []

    def to_pdf(html: str) -> bytes:
        made.append(html)
        return b"%PDF-essaimage " + hashlib.sha256(html.encode()).hexdigest().encode()

    monkeypatch.setattr(pdf, "missing", lambda: None)
    monkeypatch.setattr(pdf, "engine", lambda: "WeasyPrint 0-test")
    monkeypatch.setattr(pdf, "to_pdf", to_pdf)
    return made


def forge_pdf_cache(public: Path, html: str, attack: bytes) -> None:
    """What a merge request commits: the attacker's PDF, the manifest listing it with its true
    hash, and `.essaimage-site-pdf` saying it was made from this HTML (as versions up to the
    issue's wrote it)."""
    (public / KIT_PDF).parent.mkdir(parents=True, exist_ok=True)
    (public / KIT_PDF).write_bytes(attack)
    digest = hashlib.sha256(attack).hexdigest()
    (public / ".essaimage-site").write_text(f"{digest}  {KIT_PDF}\n", encoding="utf-8")
    key = hashlib.sha256(f"{pdf.engine()}\n{html}".encode()).hexdigest()
    (public / ".essaimage-site-pdf").write_text(f"{key}  {KIT_PDF}\n", encoding="utf-8")


def kit_html(repo: Path, tmp_path: Path, made: list[str]) -> str:
    """The HTML that the kit's PDF is made from (from a build elsewhere)."""
    assert invoke("site", "-o", str(tmp_path / "ailleurs")).exit_code == 0
    (html,) = made  # the one PDF of this repository: its kit
    return html


def test_a_forged_pdf_cache_does_not_publish_the_attackers_pdf(repo, tmp_path, stub_pdf):
    html = kit_html(repo, tmp_path, stub_pdf)
    attack = b"%PDF-1.7 le kit de l'attaquant"
    forge_pdf_cache(repo / "public", html, attack)
    result = invoke("site")
    assert result.exit_code == 0, result.output
    published = (repo / "public" / KIT_PDF).read_bytes()
    assert published != attack and published == pdf.to_pdf(html)
    assert ", 0 inchangé)" in result.stdout  # the attacker's PDF is not claimed « inchangé »
    assert not (repo / "public" / ".essaimage-site-pdf").exists()  # the old cache: removed


def test_an_old_pdf_cache_file_that_essaimage_did_not_write_is_foreign(repo):
    (repo / "public").mkdir()
    (repo / "public" / ".essaimage-site-pdf").write_text("pas un cache\n", encoding="utf-8")
    result = invoke("site")
    assert result.exit_code == 2 and ".essaimage-site-pdf" in result.stderr


def test_the_pdf_cache_is_private_keyed_and_reused(repo, tmp_path, stub_pdf, monkeypatch):
    assert invoke("site").exit_code == 0
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "essaimage" / "pdf"
    (entry,) = cache.iterdir()
    assert re.fullmatch(r"[0-9a-f]{64}\.pdf", entry.name)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    made = len(stub_pdf)
    (repo / "public" / KIT_PDF).write_bytes(b"%PDF- change")  # the folder is not the cache
    again = invoke("site")
    assert len(stub_pdf) == made and "(1 écrit," in again.stdout  # from the cache
    monkeypatch.setattr(pdf, "engine", lambda: "WeasyPrint 1-test")  # another WeasyPrint
    assert invoke("site").exit_code == 0 and len(stub_pdf) == made + 1


@pytest.mark.parametrize("where", ["depot", "sortie"])
def test_a_pdf_cache_inside_the_repository_or_the_output_folder_is_not_read(
    repo, tmp_path, stub_pdf, monkeypatch, where
):
    """A cache there is one a commit (or the folder's earlier content) controls."""
    html = kit_html(repo, tmp_path, stub_pdf)
    out = repo / "public" if where == "depot" else tmp_path / "site"
    base = repo / ".cache" if where == "depot" else out / ".cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(base))
    forged = base / "essaimage" / "pdf" / f"{site.pdf_key(html)}.pdf"
    forged.parent.mkdir(parents=True)
    forged.write_bytes(b"%PDF-1.7 le kit de l'attaquant")
    os.chmod(forged.parent, 0o700)
    result = invoke("site", "-o", str(out), "--garder-etrangers")
    assert result.exit_code == 0, result.output
    assert (out / KIT_PDF).read_bytes() == pdf.to_pdf(html)


def test_a_pdf_cache_that_others_can_write_is_not_read(repo, tmp_path, stub_pdf, monkeypatch):
    html = kit_html(repo, tmp_path, stub_pdf)
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "essaimage" / "pdf"
    (cache / f"{site.pdf_key(html)}.pdf").write_bytes(b"%PDF-1.7 le kit de l'attaquant")
    os.chmod(cache, 0o777)
    assert invoke("site").exit_code == 0
    assert (repo / "public" / KIT_PDF).read_bytes() == pdf.to_pdf(html)


@pytest.mark.pdf
@pytest.mark.skipif(pdf.missing() is not None, reason=f"PDF impossible ici : {pdf.missing()}")
def test_a_forged_pdf_cache_with_real_pdfs(repo, tmp_path):
    """The same attack with WeasyPrint: the published PDF is the one essaimage makes."""
    made: list[str] = []
    to_pdf = pdf.to_pdf

    def recording(html: str) -> bytes:
        made.append(html)
        return to_pdf(html)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf, "to_pdf", recording)
        html = kit_html(repo, tmp_path, made)
    genuine = (tmp_path / "ailleurs" / KIT_PDF).read_bytes()
    attack = genuine + b"\n% le kit de l'attaquant\n"
    forge_pdf_cache(repo / "public", html, attack)
    result = invoke("site")
    assert result.exit_code == 0, result.output
    assert (repo / "public" / KIT_PDF).read_bytes() == genuine
    assert ", 0 inchangé)" in result.stdout


def test_the_pdf_cache_keeps_its_size_and_only_its_own_files(tmp_path, monkeypatch):
    """Pruned to its limit, the least recently used first; nothing but `<sha256>.pdf` at its
    top is ever deleted (not a folder someone keeps there)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    cache = site.PdfCache([])
    for n in range(4):
        cache.put(f"{n:064x}", b"%PDF-" + bytes(1000))
        os.utime(site.cache_folder() / f"{n:064x}.pdf", (1000 + n, 1000 + n))
    assert cache.get(f"{0:064x}") is not None  # used now: the most recent
    mine = site.cache_folder() / "a-moi" / f"{9:064x}.pdf"
    mine.parent.mkdir()
    mine.write_bytes(bytes(5000))
    cache.prune(limit=2500)
    names = sorted(p.name for p in site.cache_folder().glob("*.pdf"))
    assert names == [f"{0:064x}.pdf", f"{3:064x}.pdf"] and mine.exists()


def test_one_manifest_reader_for_kits_and_site(tmp_path):
    """Issue 23: the kits' and the site's manifests are read by one module (files/manifest.py):
    only well-formed lines count (a 64-character digest that is not hexadecimal, a path out of
    the folder are ignored), bare paths of first versions may be rewritten, never deleted."""
    from essaimage.files import manifest

    good = hashlib.sha256(b"x").hexdigest()
    (tmp_path / manifest.KITS).write_text(
        f"{good}  a/kit.md\n{'z' * 64}  b/kit.md\n{good}  ../dehors.md\nancien.md\n", "utf-8"
    )
    with output.OutputFolder(tmp_path) as folder:
        assert manifest.read(folder, manifest.KITS) == {"a/kit.md": good, "ancien.md": None}
        assert manifest.WrittenFiles(folder, manifest.KITS).hashes == {"a/kit.md": good}
        manifest.write(folder, manifest.SITE, {"b.html": good, "a.html": good})
    assert (tmp_path / manifest.SITE).read_text("utf-8") == f"{good}  a.html\n{good}  b.html\n"
