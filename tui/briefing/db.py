"""The one place that opens an SQLite file briefing owns: the highlights store
(``briefing.store``, ``briefing.db`` in the data folder) and the brief index
(``briefing.index``, ``index.db``). Both use it for:

- refusing what is not a regular file (``file_problem``, ``read_header``): a FIFO, a
  device or a folder in the database's place must not hang the reader (SQLite would
  block reading a FIFO) nor be written through; it is reported and moved aside;
- the write-ahead log (``enable_wal``), waited for like any other statement;
- the file's identity: ``PRAGMA application_id`` (``APPLICATION_ID``, "BRIF") and the
  schema version in ``PRAGMA user_version`` (``identity``, ``stamp``);
- what an error means (``classify``): ``busy`` (another process holds a lock: wait or
  retry, never treat as damage), ``corrupt`` (the file is damaged or not SQLite: move it
  aside), ``unwritable`` (permissions, a full disk: go on without writing), ``other``;
- moving a damaged or foreign file aside with its ``-wal``/``-shm``/``-journal``
  (``move_aside``: ``NAME.corrupt-<time>``, never deleted).

What each owner does about a damaged file differs (the index is a cache and is rebuilt;
the store keeps the old file for the user and starts afresh) and stays with it.
Textual-free, and no import from the rest of briefing.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat as stat_mod
import time
from pathlib import Path

APPLICATION_ID = 0x42524946  # "BRIF": marks a file as briefing's (the store and the index)
SQLITE_MAGIC = b"SQLite format 3\x00"

BUSY, CORRUPT, UNWRITABLE, OTHER = "busy", "corrupt", "unwritable", "other"

# SQLite primary result codes, by what an owner does about them.
_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
_CORRUPT_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
_UNWRITABLE_CODES = {sqlite3.SQLITE_PERM, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_FULL,
                     sqlite3.SQLITE_CANTOPEN}
# For an error without a result code (raised by Python's module, or by an older SQLite).
_CORRUPT_WORDS = ("malformed", "not a database", "file is encrypted", "disk image", "corrupt")
_SIDE_FILES = ("-wal", "-shm", "-journal")


# ---------------------------------------------------------------------------- errors


def error_code(exc: BaseException) -> int:
    """SQLite's primary result code of ``exc`` (read from its message when it has none)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return sqlite3.SQLITE_BUSY
    if any(w in text for w in _CORRUPT_WORDS):
        return sqlite3.SQLITE_NOTADB
    if "readonly" in text or "read-only" in text:
        return sqlite3.SQLITE_READONLY
    if "disk is full" in text or "disk i/o" in text:
        return sqlite3.SQLITE_FULL
    if "unable to open" in text:
        return sqlite3.SQLITE_CANTOPEN
    return sqlite3.SQLITE_ERROR


def classify(exc: BaseException) -> str:
    """What an error opening or using an owned file means: BUSY, CORRUPT, UNWRITABLE or OTHER.

    A lock held by another process is BUSY, never CORRUPT, whatever else the message says
    (moving a file aside because someone else was writing it loses their work)."""
    if isinstance(exc, UnicodeDecodeError):  # text read from a damaged page
        return CORRUPT
    if isinstance(exc, sqlite3.OperationalError) and str(exc).startswith("Could not decode to UTF-8"):
        return CORRUPT  # (Python's word for a text value that is not UTF-8: a damaged or edited file)
    if isinstance(exc, NotRegularFile):
        return CORRUPT
    if not isinstance(exc, sqlite3.Error):
        return OTHER
    code = error_code(exc)
    if code in _BUSY_CODES:
        return BUSY
    if code in _CORRUPT_CODES:
        return CORRUPT
    if code in _UNWRITABLE_CODES:
        return UNWRITABLE
    if isinstance(exc, (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError)):
        return OTHER
    # A plain DatabaseError without a known code: the module's word for a file it cannot read.
    return CORRUPT if type(exc) is sqlite3.DatabaseError else OTHER


def is_busy(exc: BaseException) -> bool:
    return classify(exc) == BUSY


def is_corrupt(exc: BaseException) -> bool:
    return classify(exc) == CORRUPT


def is_interrupted(exc: BaseException) -> bool:
    """A query stopped on purpose (a cancel flag, ``Connection.interrupt``): classified OTHER,
    never damage; the caller that asked for it drops the result."""
    return isinstance(exc, sqlite3.OperationalError) and error_code(exc) == sqlite3.SQLITE_INTERRUPT


# ---------------------------------------------------------------------------- the file


class NotRegularFile(sqlite3.DatabaseError):
    """The database's path holds something other than a regular file (a FIFO, a folder...).
    A ``DatabaseError`` (the file is not a database), classified CORRUPT: moved aside."""


_KINDS = ((stat_mod.S_ISDIR, "a folder"), (stat_mod.S_ISFIFO, "a FIFO"), (stat_mod.S_ISSOCK, "a socket"),
          (stat_mod.S_ISCHR, "a character device"), (stat_mod.S_ISBLK, "a block device"))


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def file_problem(path: str | os.PathLike) -> str | None:
    """None when ``path`` is absent or a regular file (or a symlink to one); else what it
    is ("a FIFO", "a folder", "a broken symlink"...). Never blocks: it only stats."""
    try:
        lst = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    mode = lst.st_mode
    if stat_mod.S_ISLNK(mode):
        try:
            mode = os.stat(path).st_mode
        except OSError:
            return "a broken symlink"
    return None if stat_mod.S_ISREG(mode) else _kind(mode)


def check_regular(path: str | os.PathLike) -> None:
    """Raise ``NotRegularFile`` unless ``path`` is absent or a regular file."""
    problem = file_problem(path)
    if problem is not None:
        raise NotRegularFile(f"{os.fspath(path)} is {problem}, not a database file")


def read_header(path: str | os.PathLike, size: int = 100) -> bytes | None:
    """The first ``size`` bytes of the file (None if it does not exist). Opened without
    blocking and checked after opening, so a FIFO swapped in meanwhile raises
    ``NotRegularFile`` instead of hanging."""
    check_regular(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    try:
        mode = os.fstat(fd).st_mode
        if not stat_mod.S_ISREG(mode):
            raise NotRegularFile(f"{os.fspath(path)} is {_kind(mode)}, not a database file")
        return os.read(fd, size)
    finally:
        os.close(fd)


def move_aside(path: str | os.PathLike, kind: str = "corrupt") -> Path | None:
    """Rename ``path`` to ``NAME.<kind>-<time>`` (``-2``, ``-3``... if taken) beside it, with
    its ``-wal``, ``-shm`` and ``-journal``; nothing is deleted. The new path of the main
    file, or None if there was none (its side files still go). Raises OSError if the main
    file cannot be moved; a side file that cannot be is left."""
    path = Path(path)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{kind}-{stamp}")
    n = 1
    while os.path.lexists(target):
        n += 1
        target = path.with_name(f"{path.name}.{kind}-{stamp}-{n}")
    moved = None
    if os.path.lexists(path):
        os.replace(path, target)
        moved = target
    for suffix in _SIDE_FILES:
        side = Path(str(path) + suffix)
        if os.path.lexists(side):
            try:
                os.replace(side, Path(str(target) + suffix))
            except OSError:
                pass
    return moved


# ---------------------------------------------------------------------------- connections


def _clear_side_files(path: str | os.PathLike) -> None:
    """Move aside a ``-wal``, ``-shm`` or ``-journal`` beside ``path`` that is not a regular
    file (a FIFO, a folder: it holds no data of the database). SQLite opens them without
    checking: with a FIFO as index.db-wal every write failed ('disk I/O error') and the
    reader listed nothing; with one as briefing.db-shm the store fell back to memory."""
    for suffix in _SIDE_FILES:
        side = f"{os.fspath(path)}{suffix}"
        if file_problem(side) is not None:
            try:
                move_aside(side, "not-regular")
            except OSError:
                pass  # (SQLite's error then says what is wrong)


def _create_private(path: str | os.PathLike) -> None:
    """A new database file is made readable by its owner only (0600, whatever the umask):
    it holds brief text, notes and highlights. SQLite gives its -wal and -shm files the same
    mode. An existing file keeps its mode (the user may have chosen it)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError:
        return  # (there already, or not creatable: SQLite's own open says what is wrong)
    os.close(fd)


def connect(path: str | os.PathLike, timeout: float, *, uri: bool = False) -> sqlite3.Connection:
    """A connection to an owned file: autocommit (transactions are explicit ``BEGIN``),
    usable from any thread (callers serialise), waiting ``timeout`` seconds for locks.
    Refuses a path that is not a regular file (``NotRegularFile``) unless ``uri``."""
    if not uri and os.fspath(path) != ":memory:":
        check_regular(path)
        _clear_side_files(path)
        _create_private(path)
    conn = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False, uri=uri)
    conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    return conn


def enable_wal(conn: sqlite3.Connection, timeout: float) -> str:
    """``PRAGMA journal_mode = WAL``, retried while the database is locked; the mode set.

    SQLite does not wait for a lock while it changes the journal mode (``busy_timeout``
    does not apply there): a second briefing opening a new database at the same moment as
    the first got "database is locked". This waits, up to a deadline, as every other
    statement does."""
    deadline = time.monotonic() + timeout
    delay = 0.005
    while True:
        try:
            return conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.OperationalError as exc:
            if not is_busy(exc) or time.monotonic() + delay > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.1)


def identity(conn: sqlite3.Connection) -> tuple[int, int]:
    """(application_id, user_version): whose file this is and its schema version."""
    return (conn.execute("PRAGMA application_id").fetchone()[0], conn.execute("PRAGMA user_version").fetchone()[0])


def stamp(conn: sqlite3.Connection, version: int, application_id: int = APPLICATION_ID) -> None:
    """Mark the file as ours, at schema ``version`` (in the caller's transaction)."""
    conn.execute(f"PRAGMA application_id = {int(application_id)}")
    conn.execute(f"PRAGMA user_version = {int(version)}")
