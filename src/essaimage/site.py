"""The static catalogue site of a repository of descriptors.

`build` writes, under one folder: an index of the innovations (with a filter by sector and text:
one static page per sector without JavaScript, live filtering with it) and of the scale-up plans,
one page per innovation (with the plans that include it), the kits (HTML and Markdown, and PDF
where WeasyPrint is installed) of every (innovation, profile) pair that the profiles plan in
their `projets`, each plan's document and sites (`plans/<id>/`), and the catalogue as open data
(`donnees/`, see `export`). Every link is relative, so the site works under a sub-path and from
`file://`. Output is deterministic, and a file is rewritten only when its content changes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import export, template_data
from .confinement import Unreadable, inside_folder, read_regular_file, safe_relative
from .errors import OutputError
from .kit import prepare
from .models import FichierPlan, Innovation, Profil
from .output import sha256, write_if_changed
from .pipeline import FileCheck
from .plan_output import plan_text, render_plan, sites_csv
from .production import pairs
from .render import environment, render_all, render_html, render_template, start_run
from .repository import templates_apart
from .rules import Indice
from .scalars import fold_accents
from .scaleup import PlanCalcule, compute
from .targets import Cible, from_profile
from .vocabulary import SECTEURS


@dataclass
class Fiche:
    """One innovation as the catalogue shows it."""

    descripteur: FileCheck
    kits: list[tuple[Cible, str]] = field(default_factory=list)  # (territory, relative link)
    plans: list[tuple[str, str]] = field(default_factory=list)  # (plan name, relative link)

    @property
    def innovation(self) -> Innovation:
        """The validated descriptor."""
        return self.descripteur.innovation

    @property
    def indice(self) -> Indice | None:
        """The descriptor's readiness score."""
        return self.descripteur.readiness

    @property
    def fichier(self) -> str:
        """The descriptor's file name."""
        return self.descripteur.path.name

    @property
    def territoires(self) -> list[str]:
        """Where it was taken over, then where it is planned, without repeats."""
        names = [e.territoire.nom for e in self.innovation.essaimages]
        names += [cible.nom for cible, _ in self.kits]
        return list(dict.fromkeys(names))

    @property
    def texte(self) -> str:
        """What the text filter searches, lower-cased."""
        i = self.innovation
        parts = [
            i.nom,
            i.accroche,
            " ".join(SECTEURS[s] for s in i.secteurs),
            *self.territoires,
        ]
        return " ".join(parts).lower()


MANIFEST = ".essaimage-site"
DATA_FOLDER = "donnees"  # the open data package (essaimage export) inside the site
MAX_MANIFEST = 16 * 1024 * 1024  # bytes read of a manifest or of a file to delete
PDF_SOURCES = ".essaimage-site-pdf"  # from which HTML each PDF was made (PdfCache)
MAX_PDF = 64 * 1024 * 1024  # bytes read of a PDF to reuse


@dataclass
class SiteResult:
    """What `build` did."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    hashes: dict[str, str] = field(default_factory=dict)  # relative path -> sha256 of content

    @property
    def pages(self) -> int:
        """Every file of the site."""
        return len(self.written) + len(self.unchanged)


def entries(checked: list[FileCheck]) -> list[Fiche]:
    """The catalogue's entries, without their kits: the first valid descriptor of each id, by
    name."""
    fiches: dict[str, Fiche] = {}
    for c in checked:
        if isinstance(c.model, Innovation):
            fiche = Fiche(c)
            fiches.setdefault(fiche.innovation.id, fiche)
    return sorted(fiches.values(), key=lambda f: (f.innovation.nom.lower(), f.innovation.id))


def plan(checked: list[FileCheck]) -> tuple[list[Fiche], list[tuple[FileCheck, Cible]]]:
    """The catalogue entries, and the (innovation, territory) pairs the profiles plan."""
    innovations = [c for c in checked if isinstance(c.model, Innovation)]
    cibles = [
        from_profile(c.model, c.path, c.document) for c in checked if isinstance(c.model, Profil)
    ]
    planned = pairs(innovations, cibles, "prevues")
    ordered = entries(checked)
    fiches = {f.innovation.id: f for f in ordered}
    for descriptor, cible in planned:
        ident = descriptor.innovation.id
        fiches[ident].kits.append((cible, f"../kits/{ident}/{cible.slug}.html"))
    for fiche in ordered:
        fiche.kits.sort(key=lambda pair: (pair[0].nom.lower(), pair[0].slug))
    return ordered, sorted(planned, key=lambda p: (p[0].innovation.id, p[1].slug))


def build(
    checked: list[FileCheck],
    out: Path,
    templates: Path | None = None,
    step: Callable[[str], None] | None = None,
    licence: str = export.DEFAULT_LICENCE,
    site_url: str | None = None,
) -> SiteResult:
    """Write the site for valid checked files, with the open data package in `donnees/`
    (under `licence`, its rows linking to pages under `site_url`); `step` is told of each file
    written.

    OutputError when a file cannot be written, UsageError when `out` and the templates'
    folder overlap.
    """
    templates_apart(templates, out)
    try:
        return _build(checked, out, templates, step, licence, site_url)
    except OSError as exc:
        raise OutputError(f"écriture impossible dans « {out} » : {exc.strerror or exc}") from None


def _build(
    checked: list[FileCheck],
    out: Path,
    templates: Path | None,
    step: Callable[[str], None] | None,
    licence: str,
    site_url: str | None,
) -> SiteResult:
    previous = _previous_manifest(out)
    cache = PdfCache(out, previous)
    pages = _render_pages(checked, templates, step, licence, site_url, cache)  # before any write
    targets = {}
    for relative in pages:
        path = inside_folder(out, relative)
        if os.path.lexists(path) and relative not in previous:
            raise OutputError(
                f"« {path} » existe et n'a pas été écrit par essaimage : il n'est pas écrasé",
                "Déplacez ce fichier, ou construisez le site dans un autre dossier (--sortie).",
            )
        targets[relative] = path
    # The manifest is written first, naming this build's files too: a build interrupted while
    # writing can be run again (it may rewrite them) and never leaves a file it cannot delete.
    hashes = {relative: sha256(text) for relative, text in pages.items()}
    _write_manifest(out, {**{k: v for k, v in previous.items() if v}, **hashes})
    result = SiteResult()
    for relative, text in pages.items():
        path = targets[relative]
        _remove_temporary_files(path)
        (result.written if write_if_changed(path, text) else result.unchanged).append(path)
        result.hashes[relative] = hashes[relative]
    result.removed = _remove_stale(out, previous, result)
    _write_manifest(out, result.hashes)
    cache.save()
    return result


def _write_manifest(out: Path, hashes: dict[str, str]) -> None:
    lines = (f"{digest}  {name}\n" for name, digest in sorted(hashes.items()))
    write_if_changed(inside_folder(out, MANIFEST), "".join(lines))


def document_formats() -> list[str]:
    """The formats of the site's kits and plans: HTML and Markdown, and PDF where WeasyPrint is
    installed (`essaimage[pdf]`)."""
    from . import pdf

    return ["html", "md"] + (["pdf"] if pdf.missing() is None else [])


def _render_pages(
    checked: list[FileCheck],
    templates: Path | None,
    step: Callable[[str], None] | None,
    licence: str = export.DEFAULT_LICENCE,
    site_url: str | None = None,
    cache: PdfCache | None = None,
) -> dict[str, str | bytes]:
    """Every page of the site, by path relative to the site's folder; a PDF whose HTML has not
    changed since the last build is taken from it (`cache`) instead of being made again."""
    start_run()  # the repository's templates get their time anew for this build
    fiches, planned = plan(checked)
    plans = computed_plans(checked, fiches)
    env = environment("html", str(templates) if templates else None)
    pages: dict[str, str | bytes] = {}

    def add(relative: str, text: str | bytes) -> None:
        pages[relative] = text
        if step:
            step(relative)

    secteurs = sorted(
        {s for f in fiches for s in f.innovation.secteurs},
        key=lambda s: fold_accents(SECTEURS[s]),
    )
    custom = templates is not None
    records = {id(f): template_data.fiche(f) for f in fiches}  # what a template sees of each
    plan_records = [template_data.plan(computed) for computed in plans]

    def index(selection: list[Fiche], secteur: str | None, racine: str) -> str:
        context = template_data.index_context(
            [records[id(f)] for f in selection], secteurs, secteur, racine,
            plan_records if secteur is None else [],
            export.licence_entry(licence) if secteur is None else None,
        )  # fmt: skip
        return render_template(env, "site_index.html.j2", custom, **context)

    add("index.html", index(fiches, None, ""))
    for secteur in secteurs:
        selection = [f for f in fiches if secteur in f.innovation.secteurs]
        add(f"secteurs/{secteur}.html", index(selection, secteur, "../"))
    formats = document_formats()
    for fiche in fiches:
        context = template_data.innovation_page_context(records[id(fiche)], "../", "pdf" in formats)
        page = render_template(env, "site_innovation.html.j2", custom, **context)
        add(f"innovations/{fiche.innovation.id}.html", page)
    texts = [f for f in formats if f != "pdf"]
    for descriptor, cible in planned:
        kit = prepare(descriptor.innovation, descriptor, cible)
        data = template_data.kit(kit)  # once for every format
        stem = f"kits/{kit.innovation.id}/{cible.slug}"
        for fmt, text in render_all(data, texts, templates).items():
            add(f"{stem}.{fmt}", text)
        if "pdf" in formats:
            add(f"{stem}.pdf", _pdf(f"{stem}.pdf", render_html(data, templates, "pdf"), cache))
    for computed in plans:
        folder = f"plans/{computed.plan.id}"
        for fmt in texts:
            add(f"{folder}/plan.{fmt}", render_plan(computed, fmt))
        if "pdf" in formats:
            html = plan_text(computed, "html", None, "pdf")
            add(f"{folder}/plan.pdf", _pdf(f"{folder}/plan.pdf", html, cache))
        add(f"{folder}/sites.csv", sites_csv(computed))
    for name, text in export.package(checked, plans, licence, site_url).items():
        add(f"{DATA_FOLDER}/{name}", text)
    return pages


def _pdf(relative: str, html: str, cache: PdfCache | None) -> bytes:
    """The PDF of this HTML: the one the last build wrote when its HTML is the same, else a new
    one."""
    from . import pdf

    if cache is None:
        return pdf.to_pdf(html)
    key = sha256(f"{pdf.engine()}\n{html}")
    made = cache.reuse(relative, key)
    if made is None:
        made = pdf.to_pdf(html)
    cache.sources[relative] = key
    return made


class PdfCache:
    """The PDFs of the last build, reused when their HTML (and the engine) did not change:
    making a PDF takes ~0,5 s, comparing takes nothing. `.essaimage-site-pdf` in the site's
    folder says from which HTML each PDF was made (`sha256  path` lines, as the manifest).

    Anyone can edit that file in a merge request: a PDF is reused only when the manifest lists it
    with the hash of its content as essaimage wrote it, and it is a regular file inside the
    folder; otherwise it is made again."""

    def __init__(self, out: Path, previous: dict[str, str | None]):
        self.out = out
        self.previous = previous
        self.sources: dict[str, str] = {}
        try:
            lines = read_regular_file(inside_folder(out, PDF_SOURCES), MAX_MANIFEST)
            self.known = dict(
                (name, key) for key, name in _manifest_entries(lines.decode("utf-8").splitlines())
            )
        except (OutputError, Unreadable, UnicodeDecodeError):
            self.known = {}

    def reuse(self, relative: str, key: str) -> bytes | None:
        """The PDF written at `relative` by the last build from the HTML of `key`, if intact."""
        digest = self.previous.get(relative)
        if self.known.get(relative) != key or digest is None:
            return None
        try:
            path = inside_folder(self.out, relative)
            if path.is_symlink():
                return None
            content = read_regular_file(path, MAX_PDF)
        except (OutputError, Unreadable):
            return None
        return content if hashlib.sha256(content).hexdigest() == digest else None

    def save(self) -> None:
        """Remember from which HTML this build's PDFs were made (or forget, without PDFs)."""
        if not self.sources and not self.known:
            return
        lines = (f"{key}  {name}\n" for name, key in sorted(self.sources.items()))
        write_if_changed(inside_folder(self.out, PDF_SOURCES), "".join(lines))


def computed_plans(checked: list[FileCheck], fiches: list[Fiche]) -> list[PlanCalcule]:
    """The repository's valid plans computed, each linked from the page of its innovation.

    A plan's innovation is one of the checked descriptors (by id, or by path from the plan)."""
    by_id = {f.innovation.id: f for f in fiches}
    by_path = {os.path.abspath(f.descripteur.path): f for f in fiches}
    out = []
    for item in sorted(
        (c for c in checked if isinstance(c.model, FichierPlan)), key=lambda c: c.shown_as
    ):
        assert isinstance(item.model, FichierPlan)
        plan = item.model.plan
        fiche = by_id.get(plan.innovation) or by_path.get(
            os.path.abspath(item.path.parent / plan.innovation)
        )
        if fiche is None:
            continue  # R104 said it
        computed = compute(plan, fiche.descripteur, item.path.parent)
        fiche.plans.append((plan.nom, f"../plans/{plan.id}/plan.html"))
        out.append(computed)
    return out


def _previous_manifest(out: Path) -> dict[str, str | None]:
    """What the previous build wrote: relative path -> hash of its content (None for the lines
    of first versions, which had no hash: such a file may be rewritten, never deleted)."""
    try:
        manifest = inside_folder(out, MANIFEST)
        lines = read_regular_file(manifest, MAX_MANIFEST).decode("utf-8").splitlines()
    except (OutputError, Unreadable, UnicodeDecodeError):
        return {}
    entries: dict[str, str | None] = {name: digest for digest, name in _manifest_entries(lines)}
    for line in lines:
        if safe_relative(line) and line not in entries:
            entries[line] = None
    return entries


def _remove_temporary_files(path: Path) -> None:
    """Delete what an interrupted write of `path` left beside it (`.<name>.<random>.tmp`)."""
    prefix = f".{path.name}."
    with contextlib.suppress(OSError):
        for entry in os.scandir(path.parent):
            leftover = entry.name.startswith(prefix) and entry.name.endswith(".tmp")
            if leftover and entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)


def _remove_stale(out: Path, previous: dict[str, str | None], result: SiteResult) -> list[Path]:
    """Delete the files an earlier build wrote and this one did not.

    The manifest is part of the output folder, so anyone can edit it (in a merge request): a file
    is deleted only when the manifest lists it with a safe relative path, it lies in the output
    folder once links are resolved, it is a regular file, and its content still has the hash
    this tool recorded when it wrote it. Anything else is left alone.
    """
    removed = []
    for name, digest in sorted(previous.items()):
        if name in result.hashes or digest is None:
            continue
        try:
            path = inside_folder(out, name)
        except OutputError:
            continue  # a link leads out of the folder: never delete through it
        if path.is_symlink() or not path.is_file():
            continue
        try:
            current = read_regular_file(path, MAX_MANIFEST)
        except Unreadable:
            continue
        if hashlib.sha256(current).hexdigest() != digest:
            continue  # changed since essaimage wrote it: someone's file now
        path.unlink()
        removed.append(path)
        folder = path.parent
        while folder != out and not folder.is_symlink() and not any(folder.iterdir()):
            folder.rmdir()  # a folder this build left empty
            folder = folder.parent
    return removed


def _manifest_entries(lines: list[str]) -> list[tuple[str, str]]:
    """(hash, relative path) of each well-formed manifest line; any other line is ignored."""
    entries = []
    for line in lines:
        digest, sep, name = line.partition("  ")
        hexadecimal = len(digest) == 64 and all(c in "0123456789abcdef" for c in digest)
        if sep and hexadecimal and safe_relative(name):
            entries.append((digest, name))
    return entries


def count_files(checked: list[FileCheck]) -> int:
    """How many files `build` writes, for a progress bar."""
    fiches, planned = plan(checked)
    secteurs = {s for f in fiches for s in f.innovation.secteurs}
    plans = sum(1 for c in checked if isinstance(c.model, FichierPlan))
    documents = len(document_formats())
    return (
        1 + len(secteurs) + len(fiches) + documents * len(planned) + (documents + 1) * plans
        + len(export.FILES)
    )  # fmt: skip
