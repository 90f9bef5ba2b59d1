"""Writing files safely: one output folder, opened once, in which nothing is written or deleted
through a symbolic link, each file written through a temporary file and a rename.

Every writer of essaimage (kits, plans, the site, the open data, `validate --rapport`, the
init schema, the PDF cache) writes through an `OutputFolder`. The folder itself is checked by
`confinement.output_location` (no committed link leads it out of its repository); inside it,
on POSIX systems, every operation works on directory descriptors: each folder is opened
relative to its parent without following a link (`O_DIRECTORY | O_NOFOLLOW`), and the temporary
file, the rename, the deletion and the listing are made relative to that descriptor. A link put
in place of a folder between a check and a write is therefore refused, never followed (no
time-of-check/time-of-use race), and a link put in place of a file is replaced by the rename,
never written through.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import TracebackType

from ..errors import OutputError
from ..text.french import pluriel
from ..text.terminal import printable
from .confinement import Unreadable, output_location, read_regular_file, safe_relative


def source_date() -> dt.datetime | None:
    """SOURCE_DATE_EPOCH as a UTC date when it is set and valid: the only date essaimage puts in
    what it writes (kits, documents, data packages), so that the same input gives the same
    bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    try:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        return None


def _fd_based() -> bool:
    """Whether this system opens files and folders relative to a folder's descriptor without
    following links (Linux, macOS, the BSDs: yes; Windows: no)."""
    needed = {os.open, os.mkdir, os.unlink, os.rmdir, os.rename, os.stat}
    return (
        needed <= os.supports_dir_fd
        and os.scandir in os.supports_fd
        and hasattr(os, "O_NOFOLLOW")
        and hasattr(os, "O_DIRECTORY")
    )


FD_BASED = _fd_based()
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation by os.write
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIR = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW | _CLOEXEC
# The folders above the output folder are only passed through: O_PATH (Linux) opens them
# without read permission, as the system does to resolve a path.
_PASS = _DIR | getattr(os, "O_PATH", 0)
MAX_READ = 16 * 1024 * 1024  # bytes read of a manifest, or of a file to compare or recognise

TEMPORARY_SUFFIX = ".tmp"


def temporary_name(name: str) -> str:
    """The name of a temporary file written before it is renamed to `name`."""
    return f".{name}.{secrets.token_hex(4)}{TEMPORARY_SUFFIX}"


def leftover_of(name: str) -> str | None:
    """The file that an interrupted write of a temporary file named `name` was making
    (`.index.html.1a2b3c4d.tmp` -> `index.html`), or None for any other name."""
    if not (name.startswith(".") and name.endswith(TEMPORARY_SUFFIX)):
        return None
    target, dot, token = name[1 : -len(TEMPORARY_SUFFIX)].rpartition(".")
    return target if dot and target and len(token) == 8 else None


class _Folder:
    """An open folder: its descriptor (POSIX), or its path where there are no descriptors."""

    def __init__(self, fd: int | None, path: str, owned: bool):
        self.fd, self.path, self.owned = fd, path, owned

    def at(self, name: str) -> str:
        """What to give the system for `name` in this folder (with `dir_fd=self.fd`)."""
        return name if self.fd is not None else os.path.join(self.path, name)

    def close(self) -> None:
        if self.owned and self.fd is not None:
            os.close(self.fd)


class OutputFolder:
    """A folder that essaimage writes in: checked once (`confinement.output_location`), then
    opened without following links, and every file written, read, listed or deleted relative
    to it, never through a link.

    - `write` goes through a temporary file in the same folder and a rename; it replaces only a
      regular file (a link, a folder or a device in its place is an OutputError, and a link
      put there meanwhile is replaced by the rename, its target untouched).
    - `private` folders (the PDF cache) are created 0700 and their files 0600.
    - The folder is opened (and created) at the first operation that needs it; close it with
      `close` or a `with` block.

    On POSIX, folders are opened with `O_DIRECTORY | O_NOFOLLOW` relative to their parent's
    descriptor, and the temporary file, rename, deletion and listing use `dir_fd`: what is
    checked is what is used. Where `os.supports_dir_fd` lacks these (Windows), each operation
    checks the path's components (no link, a folder) and then acts on the path: a link swapped
    in between the check and the act by another process could still be followed there.
    """

    def __init__(self, path: Path, private: bool = False):
        self.path = path
        self.real = output_location(path)
        self.private = private
        self._root: _Folder | None = None
        self._parent: tuple[OutputFolder, str] | None = None

    def subfolder(self, relative: str) -> OutputFolder:
        """The folder `relative` inside this one, opened through it (never through a link)."""
        _check(self.path, relative)
        sub = object.__new__(OutputFolder)
        sub.path = self.path / relative
        sub.real = os.path.join(self.real, *relative.split("/"))
        sub.private = self.private
        sub._root = None
        sub._parent = (self, relative)
        return sub

    def __enter__(self) -> OutputFolder:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Let the folder's descriptor go (it is opened again if needed)."""
        if self._root is not None:
            self._root.close()
            self._root = None

    def shown(self, relative: str) -> Path:
        """`relative` as users see it: under the folder's path as named."""
        return self.path / relative if relative else self.path

    # --- folders -------------------------------------------------------------------------

    def _mode(self) -> int:
        return 0o700 if self.private else 0o777

    def _open_root(self, create: bool) -> _Folder | None:
        if self._root is not None:
            return self._root
        if self._parent is not None:
            parent, relative = self._parent
            with parent._opened(relative.split("/"), create) as opened:
                if opened is None:
                    return None
                if opened.fd is not None:
                    self._root = _Folder(os.dup(opened.fd), opened.path, True)
                else:
                    self._root = _Folder(None, opened.path, False)
            return self._root
        if not FD_BASED:
            return self._open_root_by_path(create)
        parts = [part for part in self.real.split(os.sep) if part]
        fd = os.open(os.sep, _PASS if parts else _DIR)
        try:
            for index, part in enumerate(parts):
                flags = _DIR if index == len(parts) - 1 else _PASS
                shown = os.sep + os.sep.join(parts[: index + 1])
                child = self._open_child(fd, part, flags, create, shown)
                os.close(fd)
                fd = -1
                if child is None:
                    return None
                fd = child
        except BaseException:
            if fd >= 0:
                os.close(fd)
            raise
        self._root = _Folder(fd, self.real, True)
        return self._root

    def _open_root_by_path(self, create: bool) -> _Folder | None:
        if os.path.islink(self.real):
            raise self._link_error("")
        if not os.path.isdir(self.real):
            if not create:
                return None
            os.makedirs(self.real, self._mode(), exist_ok=True)
        self._root = _Folder(None, self.real, False)
        return self._root

    def _open_child(self, fd: int, name: str, flags: int, create: bool, shown: str) -> int | None:
        """The descriptor of folder `name` in folder `fd`, created if asked; None when it does
        not exist and is not created; OutputError when it is a link or not a folder."""
        for _ in range(2):
            try:
                return os.open(name, flags, dir_fd=fd)
            except FileNotFoundError:
                if not create:
                    return None
                with suppress(FileExistsError):  # made meanwhile: opened (or refused) next turn
                    os.mkdir(name, self._mode(), dir_fd=fd)
            except OSError as exc:
                if exc.errno in (errno.ENOTDIR, errno.ELOOP, errno.EMLINK):
                    raise self._not_a_folder(fd, name, shown) from None
                raise
        return os.open(name, flags, dir_fd=fd)

    def _not_a_folder(self, fd: int | None, name: str, shown: str) -> OutputError:
        try:
            status = os.stat(name, dir_fd=fd, follow_symlinks=False)
            link = stat.S_ISLNK(status.st_mode)
        except OSError:
            link = True
        if link:
            return self._link_error(shown)
        return OutputError(
            f"écriture impossible dans « {self._where(shown)} » : ce n'est pas un dossier"
        )

    def _where(self, relative: str) -> str:
        """A folder on the way, as users see it: `relative` to this folder, or absolute."""
        where = Path(relative) if os.path.isabs(relative) else self.shown(relative)
        return printable(where.as_posix())

    def _link_error(self, relative: str) -> OutputError:
        return OutputError(
            f"« {self._where(relative)} » est un lien symbolique : "
            "essaimage n'écrit ni n'efface hors de son dossier de sortie"
        )

    @contextmanager
    def _opened(self, parts: list[str], create: bool) -> Iterator[_Folder | None]:
        """The folder `parts` inside this one, opened (and created, if asked) without
        following any link; None when it does not exist and is not created."""
        root = self._open_root(create)
        if root is None:
            yield None
            return
        if root.fd is None:
            yield self._folder_by_path(parts, create)
            return
        fd = root.fd
        opened: list[int] = []
        try:
            for index, part in enumerate(parts):
                child = self._open_child(fd, part, _DIR, create, "/".join(parts[: index + 1]))
                if child is None:
                    yield None
                    return
                opened.append(child)
                fd = child
            yield _Folder(fd, os.path.join(root.path, *parts), False)
        finally:
            for handle in opened:
                os.close(handle)

    def _folder_by_path(self, parts: list[str], create: bool) -> _Folder | None:
        """Check then act, where there are no folder descriptors (Windows)."""
        path = self.real
        for index, part in enumerate(parts):
            path = os.path.join(path, part)
            shown = "/".join(parts[: index + 1])
            if os.path.islink(path):
                raise self._link_error(shown)
            if not os.path.lexists(path):
                if not create:
                    return None
                os.mkdir(path, self._mode())
            elif not os.path.isdir(path):
                raise OutputError(
                    f"écriture impossible dans « {self._where(shown)} » : ce n'est pas un dossier"
                )
        return _Folder(None, path, False)

    @contextmanager
    def _parent_of(self, relative: str, create: bool) -> Iterator[tuple[_Folder | None, str]]:
        _check(self.path, relative)
        *folders, name = relative.split("/")
        with self._opened(folders, create) as folder:
            yield folder, name

    def status(self, create: bool = False) -> os.stat_result | None:
        """What the folder itself is (its owner, its permissions), opened (or created, if
        asked); None when it does not exist."""
        root = self._open_root(create)
        if root is None:
            return None
        return os.fstat(root.fd) if root.fd is not None else os.stat(root.path)

    # --- files ---------------------------------------------------------------------------

    def lstat(self, relative: str) -> os.stat_result | None:
        """What is at `relative`, without following a link; None when nothing is there.
        OutputError when a folder on the way is a link."""
        with self._parent_of(relative, False) as (folder, name):
            if folder is None:
                return None
            try:
                return os.stat(folder.at(name), dir_fd=folder.fd, follow_symlinks=False)
            except (FileNotFoundError, NotADirectoryError):
                return None

    def read(self, relative: str, limit: int = MAX_READ) -> bytes:
        """The bytes of the regular file at `relative` (a link is not followed); Unreadable
        otherwise."""
        try:
            with self._parent_of(relative, False) as (folder, name):
                if folder is None:
                    raise Unreadable("fichier introuvable")
                return read_regular_file(folder.at(name), limit, folder.fd, follow=False)
        except (OutputError, OSError) as exc:
            raise Unreadable(f"fichier illisible : {exc}") from None

    def write(self, relative: str, content: str | bytes) -> None:
        """Write a text (UTF-8) or bytes at `relative`, through a temporary file in the same
        folder, then a rename over the target (folders on the way are created).

        OutputError when something other than a regular file is there (a link, a folder…)."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        with self._parent_of(relative, True) as (folder, name):
            assert folder is not None
            try:
                status = os.stat(folder.at(name), dir_fd=folder.fd, follow_symlinks=False)
            except FileNotFoundError:
                status = None
            if status is not None and not stat.S_ISREG(status.st_mode):
                raise OutputError(
                    f"« {printable(self.shown(relative).as_posix())} » n'est pas un fichier "
                    "ordinaire (lien symbolique, dossier…) : il n'est pas remplacé",
                    "Déplacez-le, ou choisissez un autre emplacement.",
                )
            # a file replaced keeps its permissions (a file a person wrote, saved by the
            # editor, stays as readable as it was); a private folder's files stay private
            keep = None if status is None or self.private else stat.S_IMODE(status.st_mode)
            _write_new(folder, name, data, 0o600 if self.private else 0o666, keep)

    def create(self, relative: str, content: str | bytes) -> None:
        """Write a new file at `relative` (folders on the way are created): FileExistsError
        when anything is there already, a link included (nothing is ever replaced)."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC | _BINARY
        with self._parent_of(relative, True) as (folder, name):
            assert folder is not None
            mode = 0o600 if self.private else 0o666
            handle = os.open(folder.at(name), flags, mode, dir_fd=folder.fd)
            try:
                _write_all(handle, data)
            finally:
                os.close(handle)

    def write_if_changed(self, relative: str, content: str | bytes) -> bool:
        """`write` unless the regular file there already holds exactly these bytes (read no
        further than their length); True when written."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        try:
            if self.read(relative, len(data)) == data:
                return False
        except Unreadable:
            pass
        self.write(relative, data)
        return True

    def touch(self, relative: str) -> None:
        """Set the time of the regular file at `relative` to now (a link is left alone)."""
        with self._parent_of(relative, False) as (folder, name):
            if folder is None:
                return
            try:
                if folder.fd is not None or not os.path.islink(folder.at(name)):
                    os.utime(folder.at(name), dir_fd=folder.fd, follow_symlinks=False)
            except (OSError, NotImplementedError):
                pass

    def remove(self, relative: str) -> bool:
        """Delete the regular file at `relative` (a link or anything else is left alone), then
        the folders it leaves empty; True when deleted."""
        parts = relative.split("/")
        with self._parent_of(relative, False) as (folder, name):
            if folder is None:
                return False
            try:
                status = os.stat(folder.at(name), dir_fd=folder.fd, follow_symlinks=False)
            except FileNotFoundError:
                return False
            if not stat.S_ISREG(status.st_mode):
                return False
            os.unlink(folder.at(name), dir_fd=folder.fd)
        for depth in range(len(parts) - 1, 0, -1):
            with self._opened(parts[: depth - 1], False) as above:
                if above is None:
                    break
                try:
                    os.rmdir(above.at(parts[depth - 1]), dir_fd=above.fd)  # only when empty
                except OSError:
                    break
        return True

    def files(self) -> list[tuple[str, str]]:
        """Everything in the folder that is not a folder, recursively, links not followed:
        (relative path, kind), kind « fichier », « lien » or « autre »; sorted."""
        found: list[tuple[str, str]] = []
        root = self._open_root(False)
        if root is None:
            return found
        self._walk(root, "", found)
        return sorted(found)

    def _walk(self, folder: _Folder, prefix: str, found: list[tuple[str, str]]) -> None:
        target: int | str = folder.fd if folder.fd is not None else folder.path
        with os.scandir(target) as entries:
            listed = [(e.name, e.is_dir(follow_symlinks=False), _kind(e)) for e in entries]
        for name, is_dir, kind in listed:
            relative = f"{prefix}{name}"
            if not is_dir:
                found.append((relative, kind))
                continue
            try:
                with self._opened(relative.split("/"), False) as child:
                    if child is not None:
                        self._walk(child, f"{relative}/", found)
            except OutputError:
                found.append((relative, "lien"))  # replaced by a link meanwhile


def _kind(entry: os.DirEntry[str]) -> str:
    if entry.is_symlink():
        return "lien"
    return "fichier" if entry.is_file(follow_symlinks=False) else "autre"


def _check(folder: Path, relative: str) -> None:
    if not safe_relative(relative):
        raise OutputError(
            f"« {printable((folder / relative).as_posix())} » sort du dossier « "
            f"{printable(folder.as_posix())} » (par un lien symbolique ou « .. ») : "
            "essaimage n'écrit ni n'efface hors de son dossier de sortie"
        )


def _write_new(folder: _Folder, name: str, data: bytes, mode: int, keep: int | None = None) -> None:
    """`data` into a new temporary file of `folder`, renamed to `name` (the umask applies, or
    the permission bits `keep` of the file it replaces)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC | _BINARY
    while True:
        temporary = temporary_name(name)
        try:
            handle = os.open(folder.at(temporary), flags, mode, dir_fd=folder.fd)
            break
        except FileExistsError:
            continue
    try:
        try:
            _write_all(handle, data)
            if keep is not None and hasattr(os, "fchmod"):
                os.fchmod(handle, keep)
        finally:
            os.close(handle)
        os.replace(
            folder.at(temporary), folder.at(name), src_dir_fd=folder.fd, dst_dir_fd=folder.fd
        )
    except BaseException:
        with suppress(OSError):
            os.unlink(folder.at(temporary), dir_fd=folder.fd)
        raise


def _write_all(handle: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view) :]


def atomic_write(path: Path, content: str | bytes) -> None:
    """Write one file (a report, the editor schema) atomically: its folder checked as an
    output folder, the file written as `OutputFolder.write` does (never through a link)."""
    with OutputFolder(path.parent) as folder:
        folder.write(path.name, content)


def sha256(content: str | bytes) -> str:
    """The SHA-256 of a text as essaimage writes it (UTF-8), or of bytes, in hexadecimal."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    return hashlib.sha256(data).hexdigest()


def foreign_warning(names: list[str], limit: int = 10) -> str:
    """« 2 fichiers du dossier de sortie n'ont pas été écrits par essaimage : a, b » (the
    first `limit` names, each shown without invisible characters)."""
    count = len(names)
    shown = ", ".join(printable(name) for name in names[:limit])
    if count > limit:
        shown += f" et {count - limit} {pluriel(count - limit, 'autre')}"
    verb = "n'a pas été écrit" if count < 2 else "n'ont pas été écrits"
    return (
        f"{count} {pluriel(count, 'fichier')} du dossier de sortie {verb} par essaimage : {shown}"
    )
