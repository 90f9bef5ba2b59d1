"""What essaimage may read and write: inside the repository, regular files, within size limits.

A repository is hostile input (anyone can open a merge request): a descriptor may be a symbolic
link to `/proc/self/environ`, a FIFO, or `/dev/zero`; a configuration may point the site at
`../..`. The rule, in one place: a path is resolved (symbolic links followed) before it is
checked, and must lie inside one of the allowed folders — the repository's root, or, outside a
repository, the current folder and the folders named on the command line. Only regular files are
read, and never more than the size limit, however large the file claims to be.

Output follows the same rule (`output_location`): a folder that essaimage writes may lie anywhere
the command line names, but no symbolic link lying inside a repository is followed out of it on
the way there (a committed `public -> /elsewhere` is refused). Inside the output folder,
`output.OutputFolder` never writes or deletes through a link.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from ..errors import OutputError
from ..text.terminal import printable
from .discovery import locate

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


def read_regular_file(
    path: Path | str, limit: int, dir_fd: int | None = None, follow: bool = True
) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (`path` relative to the folder
    `dir_fd` when given; a symbolic link is not opened when `follow` is false).

    Unreadable for anything else: a FIFO (opened without waiting for a writer), a device, a
    socket, a folder, or a file found larger than `limit` while reading (a file's announced size
    is not trusted).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | (0 if follow else getattr(os, "O_NOFOLLOW", 0))
    try:
        if not follow and not hasattr(os, "O_NOFOLLOW") and os.path.islink(path):
            raise OSError(errno.ELOOP, "symbolic link")  # no O_NOFOLLOW (Windows): checked first
        handle = os.open(path, flags, dir_fd=dir_fd)
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


def read_inside(path: Path, roots: Iterable[Path], limit: int) -> bytes:
    """The bytes of the regular file at `path`, resolved when it is opened: Unreadable when it
    lies (links followed) outside every one of `roots`, is not a regular file, or is larger
    than `limit`. What lies outside is not told."""
    real = _real(path)
    if real is None or not is_inside(Path(real), roots):
        raise Unreadable("le fichier n'est pas dans le dépôt")
    return read_regular_file(real, limit, follow=False)  # a link put there since is refused


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


def repository_root(folder: Path) -> Path | None:
    """The repository around `folder`, located without following links: its git work tree,
    else the folder of its essaimage.yaml; None outside any repository."""
    location = locate(folder)
    return location.git or (location.config.parent if location.config else None)


def guarded_roots(path: Path) -> list[str]:
    """The real folders that a commit may fill with links on the way to output folder `path`:
    the repository around the current folder and the one that `path` lies in (both located
    lexically, as the command line names them)."""
    roots = []
    for folder in (Path.cwd(), Path(os.path.abspath(path))):
        root = repository_root(folder)
        real = _real(root) if root is not None else None
        if real is not None and real not in roots:
            roots.append(real)
    return roots


def within(real: str, folder: str) -> bool:
    """True when the real path `real` is `folder` or lies below it (both resolved)."""
    return real == folder or real.startswith(folder.rstrip(os.sep) + os.sep)


MAX_LINKS = 40  # links followed to resolve one path (Linux's own limit)


def output_location(path: Path) -> str:
    """The real location of output folder `path`, checked: the folder may lie anywhere the
    command line names (outside the repository is the user's choice), but no symbolic link
    lying inside a repository (`guarded_roots`) may lead out of it on the way there. A
    committed `public -> /elsewhere`, or `rapports -> ..`, is an OutputError naming the link.

    The path is resolved component by component, as the system does (`..` after a link is the
    parent of the link's target); components that do not exist yet are taken as they are
    (essaimage creates them, without following anything). What is returned is what
    `output.OutputFolder` opens, each component without following a link, so that a link put
    in its place afterwards is refused rather than followed.
    """
    roots = guarded_roots(path)
    start = os.path.join(os.getcwd(), os.fspath(path))
    links = [0]
    return _resolve(start, roots, links)


def _resolve(path: str, roots: list[str], links: list[int]) -> str:
    """`path` (absolute) resolved; OutputError for a link that leaves a root, or a loop."""
    pending = [part for part in path.split(os.sep) if part not in ("", ".")]
    pending.reverse()  # popped from the end: the first component first
    current = os.sep if not os.path.splitdrive(path)[0] else os.path.splitdrive(path)[0] + os.sep
    missing = False
    while pending:
        part = pending.pop()
        if part == "..":
            current = os.path.dirname(current) or current
            continue
        candidate = os.path.join(current, part)
        if missing or not os.path.islink(candidate):
            missing = missing or not os.path.lexists(candidate)
            current = candidate
            continue
        links[0] += 1
        if links[0] > MAX_LINKS:
            raise OutputError(f"« {_shown(candidate)} » : liens symboliques en boucle")
        try:
            target = os.readlink(candidate)
        except OSError as exc:
            raise OutputError(f"« {_shown(candidate)} » : {os_error_text(exc)}") from None
        real = _resolve(os.path.join(current, target), roots, links)
        for root in roots:
            if within(current, root) and not within(real, root):
                raise OutputError(
                    f"« {_shown(candidate)} » est un lien symbolique qui sort du dépôt : "
                    "essaimage n'écrit pas à travers lui",
                    "Retirez ce lien du dépôt, ou nommez un dossier hors du dépôt.",
                )
        current = real
    return current


def _shown(path: str) -> str:
    """A link's path as users see it: relative to the current folder when below it."""
    here = _real(os.getcwd())
    if here is not None and within(path, here) and path != here:
        path = path[len(here.rstrip(os.sep)) + 1 :]
    return printable(path.replace(os.sep, "/"))
