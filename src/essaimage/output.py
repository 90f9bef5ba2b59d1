"""Writing files safely: through a temporary file in the same folder, then a rename."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from pathlib import Path

from .confinement import Unreadable, read_regular_file


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


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def atomic_write(path: Path, content: str | bytes) -> None:
    """Write a text (UTF-8) or bytes through a temporary file in the same folder, then rename
    over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_if_changed(path: Path, content: str | bytes) -> bool:
    """Write a text or bytes atomically unless the file already holds exactly them; True when
    written.

    The file in place is compared only when it is a regular file (not a link, a tube…), and read
    no further than the new content's length.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        if not path.is_symlink() and read_regular_file(path, len(data)) == data:
            return False
    except Unreadable:
        pass
    atomic_write(path, data)
    return True


def sha256(content: str | bytes) -> str:
    """The SHA-256 of a text as essaimage writes it (UTF-8), or of bytes, in hexadecimal."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    return hashlib.sha256(data).hexdigest()


class WrittenFiles:
    """The files essaimage wrote in an output folder, remembered in a manifest in that folder,
    so that a later run overwrites them and never a file someone else put there.

    A file written by a version without manifest is recognised by its signature (the generator
    line every built-in kit carries).
    """

    SIGNATURES = (b'<meta name="generator" content="essaimage ', b"- Produit par essaimage ")

    def __init__(self, folder: Path, manifest: str):
        self.folder = folder
        self.manifest = folder / manifest
        self.hashes: dict[str, str] = {}
        try:
            lines = read_regular_file(self.manifest, 16 * 1024 * 1024).decode("utf-8")
        except (Unreadable, UnicodeDecodeError):
            lines = ""
        for line in lines.splitlines():
            digest, sep, name = line.partition("  ")
            if sep and len(digest) == 64:
                self.hashes[name] = digest

    def may_write(self, relative: str, path: Path) -> bool:
        """True unless `path` holds a file that essaimage did not write."""
        if not os.path.lexists(path) or relative in self.hashes:
            return True
        if path.is_symlink():
            return False
        try:
            head = read_regular_file(path, 16 * 1024 * 1024)
        except Unreadable:
            return False
        return any(signature in head for signature in self.SIGNATURES)

    def record(self, relative: str, content: str | bytes) -> None:
        """Remember a file written (call `save` once done)."""
        self.hashes[relative] = sha256(content)

    def save(self) -> None:
        """Write the manifest."""
        lines = (f"{digest}  {name}\n" for name, digest in sorted(self.hashes.items()))
        write_if_changed(self.manifest, "".join(lines))
