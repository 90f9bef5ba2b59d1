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
import functools
import hashlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..check.pipeline import FileCheck
from ..check.repository import templates_apart
from ..check.rules import Indice
from ..errors import OutputError
from ..files import manifest
from ..files.confinement import Unreadable, guarded_roots, within
from ..files.output import OutputFolder, foreign_warning, leftover_of, sha256
from ..format.models import FichierPlan, Innovation, Profil
from ..format.vocabulary import SECTEURS
from ..kit.prepare import prepare
from ..kit.reprises import Reprises, gather
from ..kit.target import Cible, from_profile
from ..plan.compute import PlanCalcule, compute
from ..render import template_data
from ..render.engine import (
    environment,
    provided_copies,
    render_all,
    render_html,
    render_template,
    start_run,
)
from ..render.plan_files import plan_text, render_plan, sites_csv
from ..text.terminal import printable
from ..text.words import fold_accents
from . import catalogue, catalogue_formats, export
from .kits import pairs


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

    @functools.cached_property
    def reprises(self) -> Reprises | None:
        """What its take-overs teach (hand-written entries and reports), in alphabetical order:
        the catalogue page has no receiving territory."""
        return gather(self.innovation, self.descripteur, None, None)

    @property
    def territoires(self) -> list[str]:
        """Where it was taken over, then where it is planned, without repeats."""
        names = [e.territoire.nom for e in self.innovation.essaimages]
        names += [p.territoire for p in self.reprises.liste] if self.reprises else []
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


DATA_FOLDER = "donnees"  # the open data package (essaimage export) inside the site
PDF_SOURCES = ".essaimage-site-pdf"  # where versions up to 0.x kept their PDF cache: removed
MAX_PDF = 64 * 1024 * 1024  # bytes read of a PDF to reuse, or of a file to delete
PDF_CACHE_BYTES = 256 * 1024 * 1024  # what the PDF cache keeps; the least recently used go first


@dataclass
class SiteResult:
    """What `build` did."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    hashes: dict[str, str] = field(default_factory=dict)  # relative path -> sha256 of content
    foreign: list[str] = field(default_factory=list)  # kept (--garder-etrangers), relative

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
    keep_foreign: bool = False,
) -> SiteResult:
    """Write the site for valid checked files, with the open data package in `donnees/`
    (under `licence`, its rows linking to pages under `site_url`); `step` is told of each file
    written.

    The output folder holds only what essaimage writes: a file it did not write (and that is
    not an earlier build's, intact, which is deleted) stops the build before anything is
    written, unless `keep_foreign` (then it is kept, and listed in the result); a link or
    anything but a regular file stops it in any case (a static host would publish what it
    points to). OutputError when a file cannot be written, or the folder is a link that leads
    out of the repository; UsageError when `out` and the templates' folder overlap.
    """
    templates_apart(templates, out)
    try:
        return _build(checked, out, templates, step, licence, site_url, keep_foreign)
    except OSError as exc:
        raise OutputError(f"écriture impossible dans « {out} » : {exc.strerror or exc}") from None


def _build(
    checked: list[FileCheck],
    out: Path,
    templates: Path | None,
    step: Callable[[str], None] | None,
    licence: str,
    site_url: str | None,
    keep_foreign: bool,
) -> SiteResult:
    folder = OutputFolder(out)  # checked before the pages are made: a link out stops at once
    with folder:
        cache = PdfCache([folder.real, *guarded_roots(out)])
        pages = _render_pages(checked, templates, step, licence, site_url, cache)  # before writes
        previous = manifest.read(folder, manifest.SITE)
        for relative in pages:
            if folder.lstat(relative) is not None and relative not in previous:
                raise OutputError(
                    f"« {printable(folder.shown(relative).as_posix())} » existe et n'a pas été "
                    "écrit par essaimage : il n'est pas écrasé",
                    "Déplacez ce fichier, ou construisez le site dans un autre dossier (--sortie).",
                )
        stale = _stale(folder, previous, pages)
        leftovers, foreign = _others(folder, pages, stale)
        _refuse_foreign(foreign, keep_foreign)
        # The manifest is written first, naming this build's files too: a build interrupted
        # while writing can be run again (it may rewrite them) and never leaves a file it
        # cannot delete.
        hashes = {relative: sha256(text) for relative, text in pages.items()}
        manifest.write(
            folder, manifest.SITE, {**{k: v for k, v in previous.items() if v}, **hashes}
        )
        for leftover in leftovers:
            folder.remove(leftover)  # what an interrupted write left
        result = SiteResult(foreign=[name for name, _ in foreign])
        for relative, text in pages.items():
            written = folder.write_if_changed(relative, text)
            (result.written if written else result.unchanged).append(folder.shown(relative))
            result.hashes[relative] = hashes[relative]
        result.removed = [folder.shown(name) for name in stale if folder.remove(name)]
        manifest.write(folder, manifest.SITE, result.hashes)
        cache.prune()
    return result


def _stale(
    folder: OutputFolder, previous: dict[str, str | None], pages: dict[str, str | bytes]
) -> list[str]:
    """The files an earlier build wrote and this one does not, to delete.

    The manifest is part of the output folder, so anyone can edit it (in a merge request): a
    file is deleted only when the manifest lists it with a safe relative path, it is a regular
    file reached without following a link, and its content still has the hash this tool
    recorded when it wrote it. Anything else is left alone (and is a foreign file). A forged
    line that gives a file's true hash only gets that file deleted, inside the folder: never
    published, never kept.
    """
    stale = []
    for name, digest in sorted(previous.items()):
        if name in pages or digest is None or name in (manifest.SITE, PDF_SOURCES):
            continue
        try:
            current = folder.read(name, MAX_PDF)
        except Unreadable:
            continue  # a link, a folder, a device, too large, or gone
        if hashlib.sha256(current).hexdigest() == digest:
            stale.append(name)
    return stale


def _others(
    folder: OutputFolder, pages: dict[str, str | bytes], stale: list[str]
) -> tuple[list[str], list[tuple[str, str]]]:
    """What the folder holds besides this build's pages, its manifest and the stale files:
    the temporary files an interrupted write of a page left (to delete), and the foreign
    entries (relative path, kind). Found by listing the folder, not from the manifest, which a
    commit can forge."""
    ours = {*pages, manifest.SITE, *stale}
    leftovers, foreign = [], []
    if _is_old_pdf_sources(folder):
        ours.add(PDF_SOURCES)
        leftovers.append(PDF_SOURCES)  # the PDF cache of earlier versions: no longer read
    for name, kind in folder.files():
        if name in ours:
            continue
        parent, _, base = name.rpartition("/")
        target = leftover_of(base)
        if kind == "fichier" and target is not None and f"{parent}/{target}".lstrip("/") in ours:
            leftovers.append(name)
        else:
            foreign.append((name, kind))
    return leftovers, foreign


def _is_old_pdf_sources(folder: OutputFolder) -> bool:
    """Whether `.essaimage-site-pdf` is the PDF cache an earlier version wrote: a regular file
    of well-formed `sha256  path` lines (and nothing else)."""
    lines = manifest.read_lines(folder, PDF_SOURCES)
    return lines is not None and len(manifest.entries(lines)) == len(
        [line for line in lines if line]
    )


def _refuse_foreign(foreign: list[tuple[str, str]], keep: bool) -> None:
    """OutputError for a link or special file in the site's folder (always), or for any file
    essaimage did not write (unless `keep`): a site publishes only what essaimage wrote."""
    special = [name for name, kind in foreign if kind != "fichier"]
    if special:
        shown = ", ".join(f"« {printable(name)} »" for name in special[:10])
        one = len(special) < 2
        what = (
            "qu'essaimage n'a pas écrit et qui n'est pas un fichier ordinaire"
            if one
            else "qu'essaimage n'a pas écrits et qui ne sont pas des fichiers ordinaires"
        )
        raise OutputError(
            f"le dossier du site contient {shown}, {what} (lien symbolique, tube…) : le site "
            "n'est pas construit, même avec --garder-etrangers (un hébergeur publierait ce vers "
            "quoi pointe un lien)",
            f"Retirez-{'le' if one else 'les'} du dossier de sortie, ou construisez le site "
            "dans un autre dossier.",
        )
    if foreign and not keep:
        hint = (
            "il serait publié avec lui. Retirez-le du dossier, ou gardez-le"
            if len(foreign) < 2
            else "ils seraient publiés avec lui. Retirez-les du dossier, ou gardez-les"
        )
        raise OutputError(
            foreign_warning([name for name, _ in foreign]),
            f"Le site n'est pas construit : {hint} avec --garder-etrangers.",
        )


def document_formats() -> list[str]:
    """The formats of the site's kits and plans: HTML and Markdown, and PDF where WeasyPrint is
    installed (`essaimage[pdf]`)."""
    from ..render import pdf

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

    profiles = _territory_pages(checked, fiches, planned)

    def index(selection: list[Fiche], secteur: str | None, racine: str) -> str:
        context = template_data.index_context(
            [records[id(f)] for f in selection], secteurs, secteur, racine,
            plan_records if secteur is None else [],
            export.licence_entry(licence) if secteur is None else None,
            [(t.cible.nom, t.path) for t in profiles] if secteur is None else [],
        )  # fmt: skip
        return render_template(env, "site_index.html.j2", custom, **context)

    add("index.html", index(fiches, None, ""))
    for territory in profiles:
        context = template_data.territory_page_context(
            territory.cible, territory.entrees, territory.kits, "../", territory.fichier
        )
        add(territory.path, render_template(env, "site_territoire.html.j2", custom, **context))
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
        done = {name.removeprefix("kits/") for name in pages}
        for copy, content in provided_copies(kit, Path("kits"), done).items():
            add(f"kits/{copy}", content)
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


@dataclass
class TerritoryPage:
    """A profile's page: its innovations ranked as `essaimage catalogue --territoire` ranks
    them (the JSON's records), with the links of the kits the site makes for it."""

    path: str  # relative to the site
    cible: Cible
    entrees: list[dict[str, object]]
    kits: dict[str, str]  # innovation id -> the kit's page, relative to the site
    fichier: str


def _territory_pages(
    checked: list[FileCheck], fiches: list[Fiche], planned: list[tuple[FileCheck, Cible]]
) -> list[TerritoryPage]:
    """One page per valid profile of the run, in the files' order."""
    descriptors = [f.descripteur.path for f in fiches]
    pages = []
    for item in checked:
        if not isinstance(item.model, Profil) or not descriptors:
            continue
        ranked = catalogue.build(item.path.parent, str(item.path), files=descriptors)
        if ranked.cible is None:
            continue
        kits = {
            descriptor.innovation.id: f"kits/{descriptor.innovation.id}/{cible.slug}.html"
            for descriptor, cible in planned
            if cible.fichier is not None and cible.fichier.resolve() == item.path.resolve()
        }
        pages.append(
            TerritoryPage(
                f"territoires/{ranked.cible.slug}.html",
                ranked.cible,
                [catalogue_formats.record(entree, ranked) for entree in ranked.entrees],
                kits,
                item.path.name,
            )
        )
    return pages


def _pdf(relative: str, html: str, cache: PdfCache | None) -> bytes:
    """The PDF of this HTML (at `relative` in the site): from the cache when the same HTML was
    made into a PDF by the same essaimage and WeasyPrint, else a new one."""
    from ..render import pdf

    if cache is None:
        return pdf.to_pdf(html)
    key = pdf_key(html)
    made = cache.get(key)
    if made is None:
        made = pdf.to_pdf(html)
        cache.put(key, made)
    return made


def pdf_key(html: str) -> str:
    """What a PDF is made from: the HTML, the versions of essaimage and of WeasyPrint, and
    SOURCE_DATE_EPOCH (which dates the PDF and its fonts)."""
    from ..render import pdf
    from ..version import __version__

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return sha256(f"essaimage {__version__}\n{pdf.engine()}\nSOURCE_DATE_EPOCH={epoch}\n{html}")


def cache_folder() -> Path | None:
    """Where the PDF cache lives: `$XDG_CACHE_HOME/essaimage/pdf` (an absolute
    XDG_CACHE_HOME), else `~/.cache/essaimage/pdf`; None without a home folder."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError):
            return None
    return Path(base) / "essaimage" / "pdf"


class PdfCache:
    """The PDFs made by earlier builds, reused when made from the same HTML by the same
    essaimage and WeasyPrint: making a PDF takes ~0,5 s, finding it takes nothing.

    Nothing a commit controls is trusted: the cache lives outside the repository and the
    output folder (`cache_folder`; refused when it lies in one of `excluded`, real paths),
    in a folder of this user's that nobody else can write (0700, its files 0600), each PDF
    named by the SHA-256 of what it is made from (`pdf_key`) and read with a size limit, never
    through a link. Without such a folder, every PDF is made again."""

    def __init__(self, excluded: list[str]):
        self.folder: OutputFolder | None = None
        self.used = False
        path = cache_folder()
        if path is None:
            return
        try:
            folder = OutputFolder(path, private=True)
        except OutputError:
            return
        if not any(within(folder.real, a) or within(a, folder.real) for a in excluded):
            self.folder = folder

    def _usable(self) -> OutputFolder | None:
        """The cache folder, when it is this user's and nobody else can write in it."""
        if self.folder is None:
            return None
        self.used = True
        try:
            status = self.folder.status(create=True)
        except (OSError, OutputError):
            status = None
        getuid = getattr(os, "geteuid", None)
        if status is None or (
            getuid is not None and (status.st_uid != getuid() or status.st_mode & 0o022)
        ):
            self.folder.close()
            self.folder = None
        return self.folder

    def get(self, key: str) -> bytes | None:
        """The PDF made from what `key` names, if the cache has it."""
        folder = self._usable()
        if folder is None:
            return None
        try:
            made = folder.read(f"{key}.pdf", MAX_PDF)
        except Unreadable:
            return None
        if not made.startswith(b"%PDF-"):
            return None
        folder.touch(f"{key}.pdf")  # recently used: kept when the cache is pruned
        return made

    def put(self, key: str, made: bytes) -> None:
        """Keep a PDF made from what `key` names (a cache that cannot be written is no
        error: the PDF is made again next time)."""
        folder = self._usable()
        if folder is None:
            return
        with contextlib.suppress(OSError, OutputError):
            folder.write(f"{key}.pdf", made)

    def prune(self, limit: int = PDF_CACHE_BYTES) -> None:
        """Delete the least recently used PDFs beyond `limit` bytes in all (after a build
        that used the cache)."""
        folder = self._usable() if self.used else None
        if folder is None:
            return
        try:
            sizes = []
            for name, kind in folder.files():
                if kind != "fichier" or not _is_cached_pdf(name):
                    continue
                status = folder.lstat(name)
                if status is not None and stat.S_ISREG(status.st_mode):
                    sizes.append((status.st_mtime_ns, name, status.st_size))
            total = sum(size for *_, size in sizes)
            for _, name, size in sorted(sizes):
                if total <= limit:
                    break
                folder.remove(name)
                total -= size
        except (OSError, OutputError):
            pass
        finally:
            folder.close()


def _is_cached_pdf(name: str) -> bool:
    """A PDF of the cache: `<sha256>.pdf`, at its top."""
    digest, _, suffix = name.partition(".")
    hexadecimal = len(digest) == 64 and all(c in "0123456789abcdef" for c in digest)
    return hexadecimal and suffix == "pdf"


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
        computed = compute(plan, fiche.descripteur, item.path.parent, item)
        fiche.plans.append((plan.nom, f"../plans/{plan.id}/plan.html"))
        out.append(computed)
    return out


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
