"""What essaimage may read and write: inside the repository, regular files, within size limits.

A repository is hostile input (anyone can open a merge request): a descriptor may be a symbolic
link to `/proc/self/environ`, a FIFO, or `/dev/zero`; a configuration may point the site at
`../..`. The rule, in one place: a path is resolved (symbolic links followed) before it is
checked, and must lie inside one of the allowed folders — the repository's root, or, outside a
repository, the current folder and the folders named on the command line. Only regular files are
read, and never more than the size limit, however large the file claims to be.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from .discovery import locate
from .errors import OutputError

_OS_ERRORS = {
    errno.ENOENT: "fichier introuvable",
    errno.EACCES: "accès refusé",
    errno.EPERM: "accès refusé",
    errno.ELOOP: "liens symboliques en boucle",
    errno.EISDIR: "c'est un dossier",
    errno.ENAMETOOLONG: "nom trop long",
}


class Unreadable(Exception):
    """A file that essaimage refuses to read; the message is French, ready for a finding."""


def os_error_text(exc: OSError) -> str:
    """An operating-system error in French (the system's own text is English here)."""
    return _OS_ERRORS.get(
        exc.errno or 0, f"erreur du système ({errno.errorcode.get(exc.errno or 0, '?')})"
    )


def allowed_roots(path: Path) -> list[Path]:
    """Where a file found at `path` may really lie: its repository's root (git work tree, else
    the folder of essaimage.yaml), or, outside a repository, the current folder and the folder
    that holds it."""
    location = locate(path.parent)
    root = location.git or (location.config.parent if location.config else None)
    return [root] if root else [Path.cwd(), Path(os.path.abspath(path.parent))]


def _real(path: Path | str) -> str | None:
    """The real location of `path` (symbolic links followed); None for a link loop."""
    try:
        return os.path.realpath(path, strict=False)
    except (OSError, RuntimeError, ValueError):
        return None


def is_inside(path: Path, roots: Iterable[Path]) -> bool:
    """True when `path`, once resolved, lies in one of `roots` (themselves resolved)."""
    real = _real(path)
    if real is None:
        return False
    for root in roots:
        real_root = _real(root)
        if real_root is not None and (
            real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)
        ):
            return True
    return False


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes.

    Unreadable for anything else: a FIFO (opened without waiting for a writer), a device, a
    socket, a folder, or a file found larger than `limit` while reading (a file's announced size
    is not trusted).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        handle = os.open(path, flags)
    except OSError as exc:
        raise Unreadable(f"fichier illisible : {os_error_text(exc)}") from None
    try:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode):
            raise Unreadable("ce n'est pas un fichier ordinaire (dossier, tube, périphérique…)")
        if status.st_size > limit:
            raise TooLarge(status.st_size)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(handle, min(1 << 16, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise TooLarge(size)
        return b"".join(chunks)
    except OSError as exc:
        raise Unreadable(f"fichier illisible : {os_error_text(exc)}") from None
    finally:
        os.close(handle)


class TooLarge(Unreadable):
    """A file larger than the limit (read up to the limit and one byte more)."""

    def __init__(self, size_read: int):
        super().__init__("fichier trop volumineux")
        self.size_read = size_read


def safe_relative(name: str) -> bool:
    """True for a relative path with `/` that stays below its folder: no absolute path, drive,
    backslash, `..`, empty or control-character part."""
    if not name or name.startswith("/") or "\\" in name or ":" in name:
        return False
    parts = name.split("/")
    return all(part not in ("", ".", "..") and all(c.isprintable() for c in part) for part in parts)


def inside_folder(folder: Path, relative: str) -> Path:
    """`folder / relative`, when it really lies in `folder` (no symbolic link leads out of it).

    Raises OutputError otherwise: essaimage never writes or deletes through such a link.
    """
    path = folder / relative
    if not safe_relative(relative) or not is_inside(path.parent, [folder]):
        raise OutputError(
            f"« {path} » sort du dossier « {folder} » (par un lien symbolique ou « .. ») : "
            "essaimage n'écrit ni n'efface hors de son dossier de sortie"
        )
    return path
