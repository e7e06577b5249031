"""Writing files so that a crash never leaves half a file, and naming exports safely.

``write_atomic`` writes a temporary file in the target's folder, flushes and fsyncs it,
then moves it into place (``os.replace``, or a hard link when an existing file must not be
replaced, so two writers cannot both "win") and fsyncs the folder. Readers see the old
file or the new one, never a mix.

A target that exists and is not a regular file is never replaced (``os.replace`` swaps
whatever entry is there: ``-o /dev/stdout --force`` run as root replaced the device node,
issue 15): a character device or a pipe (/dev/stdout, /dev/null, a FIFO) is written
through, like a shell redirection; anything else (a block device, a socket) is refused. A
symlink to a regular file has that file replaced; the link stays.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
import threading
import unicodedata
from pathlib import Path

MAX_NAME = 80
MAX_NAME_BYTES = 200  # of an export name in UTF-8 (file systems allow 255; a temporary name adds to it)
_EXTENSIONS = {"md": "md", "markdown": "md", "html": "html", "json": "json"}
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
_umask_lock = threading.Lock()


def _umask() -> int:
    with _umask_lock:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # not possible on this platform (Windows): the data is already synced
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(path: str | os.PathLike, text: str | bytes, force: bool = False, durable: bool = True) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically and durably; returns the path.

    ``durable=False`` skips the fsyncs (still atomic: readers see the old file or the new
    one, never half of it) for batches of files that can be made again, such as drafts.

    Raises FileExistsError if ``path`` exists and ``force`` is false, IsADirectoryError if
    it is a folder, and OSError for anything the system refuses (no folder, no space...).
    """
    target = Path(path)
    data = text if isinstance(text, bytes) else text.encode("utf-8", "replace")
    try:
        st = os.stat(target)  # (follows a symlink: what would be written is what it names)
    except OSError:
        st = None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder", str(target))
        if stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode):
            _write_through(target, data)
            return target
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFileError(errno.EINVAL, "is not a regular file (a block device or a socket): "
                                      "not written", str(target))
        if target.is_symlink():
            target = Path(os.path.realpath(target))
    if not force and (target.exists() or target.is_symlink()):
        raise FileExistsError(errno.EEXIST, "already exists", str(target))
    folder = target.parent if str(target.parent) else Path(".")
    mode = 0o666 & ~_umask()
    if force and target.is_file():
        try:
            mode = target.stat().st_mode & 0o777
        except OSError:
            pass
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name[:40]}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        try:
            os.chmod(tmp, mode)
        except OSError:
            pass
        if force:
            os.replace(tmp, target)
        else:
            try:
                os.link(tmp, target)  # fails if the target appeared meanwhile
            except FileExistsError:
                raise
            except OSError:
                # No hard links here (some file systems): check, then replace.
                if target.exists() or target.is_symlink():
                    raise FileExistsError(errno.EEXIST, "already exists", str(target)) from None
                os.replace(tmp, target)
            else:
                tmp.unlink()
    except BaseException:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise
    if durable:
        _fsync_dir(folder)
    return target


class NotRegularFileError(OSError):
    """The target exists and is neither a regular file, a character device nor a pipe."""


def _write_through(target: Path, data: bytes) -> None:
    """Write to a character device or a pipe in place. O_NONBLOCK only for the open: a pipe
    that no process reads fails at once (ENXIO) instead of hanging the writer."""
    try:
        fd = os.open(target, os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise OSError(errno.ENXIO, "a pipe that no process is reading", str(target)) from None
        raise
    try:
        os.set_blocking(fd, True)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    finally:
        os.close(fd)


def default_export_name(title: str, fmt: str, digest: bool = False) -> str:
    """A safe file name for an export of a brief titled ``title``: lowercase words joined
    by '-', no separators, dots, control characters or reserved names, at most 80 characters
    and MAX_NAME_BYTES bytes (100 characters of U+20000 made a 305-byte name, issue 15).
    A digest ends in "-digest", so it never takes the full export's name."""
    ext = _EXTENSIONS.get(fmt.lower().lstrip("."))
    if ext is None:
        raise ValueError(f"unknown export format {fmt!r} (known: md, html, json)")
    text = unicodedata.normalize("NFKC", title or "")
    # Letters and digits of any script stay; everything else separates words.
    words = re.findall(r"[^\W_]+", text.casefold())
    stem = "-".join(words)
    suffix = "-digest" if digest else ""
    room = MAX_NAME - len(ext) - 1 - len(suffix)
    if len(stem) > room:
        cut = stem[:room]
        stem = cut.rsplit("-", 1)[0] if "-" in cut[room // 2 :] else cut
    stem = stem.strip("-")
    room_bytes = MAX_NAME_BYTES - len(ext) - 1 - len(suffix)
    if len(stem.encode("utf-8")) > room_bytes:
        stem = stem.encode("utf-8")[:room_bytes].decode("utf-8", "ignore").strip("-")
    if not stem:
        stem = "brief"
    if stem in _RESERVED:
        stem = f"brief-{stem}"
    return f"{stem}{suffix}.{ext}"
