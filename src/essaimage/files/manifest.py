"""Manifests: what essaimage wrote in an output folder, one `sha256  relative/path` line per
file, so that a later run rewrites its own files, deletes only what it wrote and never touches a
file someone else put there. One format and one reader for the kits' folders
(`.essaimage-kits`), the site (`.essaimage-site`) and what earlier versions left.

A manifest sits in the output folder, so anyone can edit it: a line is read only when it is
well formed, its path relative and inside the folder; reading is bounded (`MAX_BYTES`).
"""

from __future__ import annotations

import stat

from ..errors import OutputError
from ..text.terminal import printable
from .confinement import Unreadable, safe_relative
from .output import OutputFolder, leftover_of, sha256

KITS = ".essaimage-kits"  # in a folder of kits (`kit`, `plan --kits`)
SITE = ".essaimage-site"  # in a site's folder
MAX_BYTES = 16 * 1024 * 1024  # bytes read of a manifest
_HEX = frozenset("0123456789abcdef")


def entries(lines: list[str]) -> list[tuple[str, str]]:
    """(hash, relative path) of each well-formed manifest line; any other line is ignored."""
    found = []
    for line in lines:
        digest, sep, name = line.partition("  ")
        if sep and len(digest) == 64 and set(digest) <= _HEX and safe_relative(name):
            found.append((digest, name))
    return found


def read_lines(folder: OutputFolder, name: str) -> list[str] | None:
    """The lines of a manifest, None when there is none that can be read as text."""
    try:
        return folder.read(name, MAX_BYTES).decode("utf-8").splitlines()
    except (Unreadable, UnicodeDecodeError):
        return None


def read(folder: OutputFolder, name: str) -> dict[str, str | None]:
    """What a manifest says was written: relative path -> hash of its content, None for the bare
    paths of the first versions (such a file may be rewritten, never deleted)."""
    lines = read_lines(folder, name) or []
    found: dict[str, str | None] = {path: digest for digest, path in entries(lines)}
    for line in lines:  # a bare path has no «  » separator: a malformed entry is no path
        if "  " not in line and safe_relative(line) and line not in found:
            found[line] = None
    return found


def write(folder: OutputFolder, name: str, hashes: dict[str, str]) -> None:
    """The manifest of these files (relative path -> hash), sorted, written only if it changed."""
    lines = (f"{digest}  {path}\n" for path, digest in sorted(hashes.items()))
    folder.write_if_changed(name, "".join(lines))


class WrittenFiles:
    """The files essaimage wrote in an output folder, remembered in a manifest in that folder,
    so that a later run overwrites them and never a file someone else put there.

    A file written by a version without manifest is recognised by its signature (the generator
    line every built-in kit carries).
    """

    SIGNATURES = (b'<meta name="generator" content="essaimage ', b"- Produit par essaimage ")

    def __init__(self, folder: OutputFolder, manifest: str):
        self.folder = folder
        self.manifest = manifest
        self.hashes = {name: d for name, d in read(folder, manifest).items() if d is not None}
        self.written: set[str] = set()

    def may_write(self, relative: str) -> bool:
        """True unless `relative` holds a file that essaimage did not write."""
        status = self.folder.lstat(relative)
        if status is None or relative in self.hashes:
            return True
        if not stat.S_ISREG(status.st_mode):
            return False
        try:
            head = self.folder.read(relative)
        except Unreadable:
            return False
        return any(signature in head for signature in self.SIGNATURES)

    def claim(self, relative: str, what: str) -> None:
        """OutputError, before anything is written, when `relative` holds a file that essaimage
        did not write; `what` names what is written, for the advice (« les kits », « le plan »)."""
        if not self.may_write(relative):
            raise OutputError(
                f"« {printable(self.folder.shown(relative).as_posix())} » existe et n'a pas été "
                "écrit par essaimage : il n'est pas écrasé",
                f"Déplacez ce fichier, ou écrivez {what} dans un autre dossier (--sortie).",
            )

    def record(self, relative: str, content: str | bytes) -> None:
        """Remember a file written (call `save` once done)."""
        self.hashes[relative] = sha256(content)
        self.written.add(relative)

    def save(self) -> None:
        """Write the manifest."""
        write(self.folder, self.manifest, self.hashes)

    def foreign(self) -> list[str]:
        """The files of the folder that essaimage neither wrote now nor claims in its manifest
        (nor the manifest, nor what an interrupted write of them left)."""
        known = {self.manifest, *self.hashes, *self.written}
        return [
            name
            for name, _ in self.folder.files()
            if name not in known and _leftover(name) not in known
        ]


def _leftover(relative: str) -> str | None:
    """The file (relative path) whose interrupted write left `relative`, if it is such a
    temporary file."""
    folder, _, name = relative.rpartition("/")
    target = leftover_of(name)
    if target is None:
        return None
    return f"{folder}/{target}" if folder else target
