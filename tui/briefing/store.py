"""Highlights and reading state, kept in SQLite in the data directory (never in a brief).

``Store.open()`` opens ``data_dir()/briefing.db``:

- WAL journal, ``synchronous=FULL``, a busy timeout; every public write is one
  ``BEGIN IMMEDIATE ... COMMIT`` transaction, so killing the process at any moment loses
  nothing that was committed;
- a database another process is writing is waited for (busy timeout, then a few retries);
  still busy, a write raises ``StoreBusy`` (a ``StoreError``) with a message for the reader;
  a highlight change (add, note, remove) is instead kept after a short wait, shown as
  saved, and written later (``briefing.store_pending``): never lost, and the reader told;
- a damaged file (not SQLite, failing the integrity check, or another program's schema) is
  moved aside to ``briefing.db.corrupt-<timestamp>`` (never deleted) and a new one started;
- a data folder that cannot be created or written (read-only, full) still gives a Store:
  it works in memory (seeded with the highlights already saved, when they can be read) and
  ``store.problem`` says why, for the reader to show. A write that fails later for the same
  reasons switches to memory the same way.

(Over 600 lines: opening and recovering, transactions and the highlight operations are one
contract; the changes kept while the file is locked are in ``briefing.store_pending``.)

The schema is versioned with ``PRAGMA user_version`` (and tagged with ``application_id``).

Highlights are keyed per brief by the brief's resolved absolute path; each keeps its offsets
into ``Brief.text``, a TextQuoteSelector and the hash of the text it was placed on, and is
re-anchored (``briefing.core.anchor``) when the text changes.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Callable, TypeVar
from urllib.parse import quote as url_quote

from briefing import store_pending
from briefing.core.anchor import Highlight, anchor_highlight, text_hash
from briefing.core.sanitize import sanitise
from briefing.db import (APPLICATION_ID, BUSY, CORRUPT, UNWRITABLE, NotRegularFile, classify, connect, enable_wal,
                         error_code, file_problem, identity, move_aside, stamp)
from briefing.follow import FollowMixin

if TYPE_CHECKING:
    from briefing.core.model import Brief

DB_NAME = "briefing.db"
SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 3000
WRITE_RETRIES = 2

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS briefs (
        path TEXT PRIMARY KEY,
        text_hash TEXT NOT NULL DEFAULT '',
        read INTEGER NOT NULL DEFAULT 0,
        position INTEGER NOT NULL DEFAULT 0,
        updated TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE IF NOT EXISTS highlights (
        id TEXT PRIMARY KEY,
        path TEXT NOT NULL,
        start_pos INTEGER NOT NULL,
        end_pos INTEGER NOT NULL,
        exact TEXT NOT NULL,
        prefix TEXT NOT NULL DEFAULT '',
        suffix TEXT NOT NULL DEFAULT '',
        text_hash TEXT NOT NULL DEFAULT '',
        note TEXT,
        created TEXT NOT NULL,
        updated TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS highlights_by_path ON highlights(path, start_pos)",
)
_COLUMNS = {
    "briefs": {"path", "text_hash", "read", "position", "updated"},
    "highlights": {"id", "path", "start_pos", "end_pos", "exact", "prefix", "suffix", "text_hash", "note", "created", "updated"},
}
_HL_COLUMNS = "id, path, start_pos, end_pos, exact, prefix, suffix, text_hash, note, created, updated"

T = TypeVar("T")


class StoreError(Exception):
    """A store operation failed; the message is meant for the reader."""


class StoreBusy(StoreError):
    """Another program holds the database longer than the store waits."""


class _Damaged(Exception):
    pass


class _Newer(Exception):
    pass


# (The old name: SQLite's primary result code of an error, from briefing.db.)
_code = error_code


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    code = _code(exc)
    if code == 13:
        return "the disk is full"
    if code == 8:
        return "it is read-only"
    if code in (3, 14):
        return "it cannot be opened for writing"
    return str(exc) or type(exc).__name__


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds")


def brief_key(path: str | os.PathLike) -> str:
    """The key a brief's highlights and state are stored under: its resolved absolute path.

    A path holding bytes that are not UTF-8 (Python keeps them as lone surrogates, which
    SQLite text cannot hold) has them written as ``\\xNN``: still one key per file."""
    from briefing.paths import expand_user

    p = expand_user(path)  # (a '~x.md' of no user x stays as written)
    try:
        key = str(p.resolve())
    except (OSError, RuntimeError, ValueError):  # (ValueError: a name no file system can hold)
        key = os.path.abspath(p)
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        try:
            raw = key.encode("utf-8", "surrogateescape")  # the file system's own bytes
        except UnicodeEncodeError:
            raw = key.encode("utf-8", "surrogatepass")
        key = raw.decode("utf-8", "backslashreplace")
    return key


def _text(value) -> str:
    """A text column's value as text, whatever the file holds (see Store._row)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)


def _offset(value) -> int:
    """An offset column's value: a whole number of at least 0, else 0 (see Store._row)."""
    return value if type(value) is int and value >= 0 else 0


def _clean_note(note: str | None) -> str | None:
    """A note as stored and shown: no control, bidi or invisible character (a pasted escape
    sequence shows as ``␛[...`` and does nothing), no lone surrogate, no outer spaces."""
    if note is None:
        return None
    note = note.encode("utf-8", "replace").decode("utf-8") if _has_surrogates(note) else note
    note = sanitise(note).strip()
    return note or None


def _has_surrogates(s: str) -> bool:
    try:
        s.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


# ---------------------------------------------------------------------------- opening


def _connect(target: str, uri: bool = False) -> sqlite3.Connection:
    conn = connect(target, BUSY_TIMEOUT_MS / 1000, uri=uri)
    # A text value that is not UTF-8 (an edited file) is read with U+FFFD: one bad note made
    # every highlight of its brief unreadable ("Could not decode to UTF-8").
    conn.text_factory = _decode
    return conn


def _decode(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}


def _create_schema(conn: sqlite3.Connection) -> None:
    for stmt in _SCHEMA:
        conn.execute(stmt)
    stamp(conn, SCHEMA_VERSION)


def _check_schema(conn: sqlite3.Connection) -> None:
    """Create the schema in a fresh database; refuse a foreign or newer one."""
    app_id, version = identity(conn)
    tables = _tables(conn)
    if version == 0 and not tables and app_id in (0, APPLICATION_ID):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have created it while we waited for the lock.
            if conn.execute("PRAGMA user_version").fetchone()[0] == 0 and not _tables(conn):
                _create_schema(conn)
            conn.execute("COMMIT")
        except BaseException:
            _rollback(conn)
            raise
        app_id, version = identity(conn)
        tables = _tables(conn)
    if app_id != APPLICATION_ID:
        raise _Damaged("it holds another program's data")
    if version > SCHEMA_VERSION:
        raise _Newer(version)
    if version < 1:
        raise _Damaged(f"unknown schema version {version}")
    for table, columns in _COLUMNS.items():
        if table not in tables:
            raise _Damaged(f"table {table!r} is missing")
        have = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
        if not columns <= have:
            raise _Damaged(f"table {table!r} lacks columns {', '.join(sorted(columns - have))}")


def _open_file(db: Path) -> sqlite3.Connection:
    """Open and check the database file. Raises _Damaged, _Newer, sqlite3.Error or OSError."""
    try:
        conn = _connect(str(db))
    except NotRegularFile:  # (a FIFO would hang the reader: never opened)
        raise _Damaged(f"it is {file_problem(db) or 'not a regular file'}, not a database file") from None
    try:
        try:
            conn.execute("PRAGMA schema_version").fetchone()
            mode = enable_wal(conn, BUSY_TIMEOUT_MS / 1000)
            conn.execute("PRAGMA synchronous = FULL")
            check = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
        except sqlite3.DatabaseError as exc:
            if classify(exc) == CORRUPT:
                raise _Damaged("it is not an SQLite database or is damaged") from None
            raise
        if check != ["ok"]:
            raise _Damaged("the integrity check failed: " + "; ".join(check[:3]))
        try:
            _check_schema(conn)
        except sqlite3.DatabaseError as exc:
            if classify(exc) == CORRUPT:
                raise _Damaged("it is damaged") from None
            raise
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError(f"cannot use a write-ahead log (journal mode {mode})")
        # A write probe: a read-only file or folder fails here, not on the first highlight.
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return conn
    except BaseException:
        conn.close()
        raise


def _move_aside(db: Path) -> Path:
    moved = move_aside(db, "corrupt")
    if moved is None:
        raise FileNotFoundError(f"{db} is gone")
    return moved


def _memory(seed: Path | None = None) -> sqlite3.Connection:
    """An in-memory database, with the highlights of ``seed`` when it can be read."""
    mem = _connect(":memory:")
    if seed is not None and seed.is_file():
        for opts in ("mode=ro", "mode=ro&immutable=1"):
            try:
                src = _connect(f"file:{url_quote(str(seed))}?{opts}", uri=True)
                try:
                    app_id, version = identity(src)
                    if version == SCHEMA_VERSION and app_id == APPLICATION_ID:
                        src.backup(mem)
                finally:
                    src.close()
                break
            except sqlite3.Error:
                continue
    try:
        _check_schema(mem)
    except (_Damaged, _Newer, sqlite3.Error):
        mem.close()
        mem = _connect(":memory:")
        _check_schema(mem)
    return mem


def _rollback(conn: sqlite3.Connection) -> None:
    try:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
    except sqlite3.Error:
        pass


# ---------------------------------------------------------------------------- the store


class Store(store_pending.PendingChanges, FollowMixin):
    """Highlights and reading state. Methods are thread-safe; writes are transactional."""

    def __init__(self, conn: sqlite3.Connection, db_path: Path | None, problem: str | None = None):
        self._conn = conn
        self.db_path = db_path
        self.problem = problem
        self.in_memory = db_path is None
        self._lock = threading.RLock()
        # Highlight changes waiting for the database (see briefing.store_pending), and what
        # to tell the user about them (taken by take_notices).
        self._pending: list[tuple] = store_pending.load(db_path) if db_path is not None else []
        self._pending_from_file = bool(self._pending)
        self.notices: list[str] = []
        # In memory because the file was locked at opening: every change made is also kept
        # here and written beside the file on closing (store_pending), for the next run.
        self._spill_db: Path | None = None
        self._spill: list[tuple] = []
        if self._pending:  # left by an earlier run: written now if the file is free
            self.flush_pending()

    # -- opening and closing
    @classmethod
    def open(cls, data_dir: str | os.PathLike | None = None) -> "Store":
        """Open (or create) the store in ``data_dir`` (default: ``briefing.paths.data_dir()``).

        Never raises for a bad database or folder: see ``problem`` and ``in_memory``."""
        if data_dir is None:
            from briefing.paths import data_dir as default_dir

            data_dir = default_dir()
        from briefing.paths import expand_user

        folder = expand_user(data_dir)
        db = folder / DB_NAME
        lost = "highlights made now are kept only until you quit"
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return cls(_memory(), None, f"cannot create the data folder {folder}: {_reason(exc)}; {lost}")
        problem = None
        try:
            return cls(_open_file(db), db)
        except _Damaged as exc:
            try:
                moved = _move_aside(db)
            except OSError as move_exc:
                return cls(_memory(), None, f"the highlights database {db} is damaged ({exc}) and cannot be "
                                            f"moved aside: {_reason(move_exc)}; {lost}")
            problem = f"the highlights database was damaged ({exc}); it was kept as {moved.name} and a new one started"
        except _Newer as exc:
            return cls(_memory(), None, f"the highlights database {db} was written by a newer briefing "
                                        f"(schema {exc.args[0]}); it is left untouched and {lost}")
        except (sqlite3.Error, OSError) as exc:
            if classify(exc) == BUSY:
                # Locked is never damage: the file is left alone; highlights made meanwhile are
                # kept beside it when the reader quits and written the next time it opens.
                store = cls(_memory(db), None, f"cannot write the highlights database {db}: another program keeps "
                                               "it locked; highlights made now are kept and saved the next time it is free")
                store._spill_db = db
                return store
            return cls(_memory(db), None, f"cannot write the highlights database {db}: {_reason(exc)}; {lost}")
        try:
            return cls(_open_file(db), db, problem)
        except (_Damaged, _Newer, sqlite3.Error, OSError) as exc:
            return cls(_memory(), None, f"{problem}, but the new one cannot be opened: {exc}; {lost}")

    def close(self) -> None:
        with self._lock:
            self.keep_pending()
            try:
                self._conn.close()
            except sqlite3.Error:
                pass

    def keep_pending(self) -> None:
        """Write what waits for the database now if it is free, and keep the rest beside it
        for the next run (the reader calls this as it quits; close calls it too)."""
        with self._lock:
            if self._pending or self._pending_from_file:
                self.flush_pending()  # (a short wait: quitting never hangs on a lock)
                if self.db_path is not None:
                    try:  # what is still waiting is kept beside the database, for next time
                        store_pending.forget(self.db_path)
                        store_pending.save(self.db_path, self._pending)
                    except OSError:
                        pass
                    self._pending_from_file = False
            if self._spill_db is not None and self._spill:
                try:
                    store_pending.save(self._spill_db, self._spill)
                except OSError:
                    pass
                self._spill = []

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- transactions
    def _degrade(self, exc: BaseException) -> None:
        """The file stopped accepting writes: go on in memory with what it holds."""
        mem = _connect(":memory:")
        try:
            _rollback(self._conn)
            self._conn.backup(mem)
            _check_schema(mem)
        except (sqlite3.Error, _Damaged, _Newer):
            mem.close()
            mem = _memory()
        try:
            self._conn.close()
        except sqlite3.Error:
            pass
        self.problem = (f"cannot save to {self.db_path}: {_reason(exc)}; "
                        "highlights made from now on are kept only until you quit")
        self._conn = mem
        self.in_memory = True
        self.db_path = None

    def _write(self, fn: Callable[[sqlite3.Connection], T], short: bool = False) -> T:
        """Run ``fn`` in one IMMEDIATE transaction: all of it is committed or none. ``short``:
        wait SHORT_WAIT_MS for a lock, once (the caller keeps the change if it is busy)."""
        with self._lock:
            if short:
                try:
                    self._conn.execute(f"PRAGMA busy_timeout = {store_pending.SHORT_WAIT_MS}")
                except sqlite3.Error:
                    pass
                try:
                    return self._write_now(fn, retries=1)
                finally:
                    try:
                        self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                    except sqlite3.Error:
                        pass
            return self._write_now(fn, WRITE_RETRIES)

    def _write_now(self, fn: Callable[[sqlite3.Connection], T], retries: int) -> T:
        with self._lock:
            attempt = 0
            while True:
                conn = self._conn
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    try:
                        result = fn(conn)
                        conn.execute("COMMIT")
                    except BaseException:
                        _rollback(conn)
                        raise
                    return result
                except sqlite3.Error as exc:
                    kind = classify(exc)
                    attempt += 1
                    if kind == BUSY and attempt < retries:
                        time.sleep(0.05 * attempt)
                        continue
                    if kind == BUSY:
                        raise StoreBusy("the highlights database is busy (another briefing is writing to it); "
                                         "try again") from None
                    if kind == UNWRITABLE and not self.in_memory:
                        self._degrade(exc)
                        continue
                    if kind == CORRUPT:
                        self.problem = f"the highlights database {self.db_path} is damaged; restart briefing to repair it"
                    raise StoreError(f"cannot save the highlight: {_reason(exc)}") from None

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise StoreError(f"cannot read the highlights database: {_reason(exc)}") from None

    # -- highlights
    @staticmethod
    def _row(row: tuple) -> Highlight:
        # Quotes come from sanitised text and notes are cleaned when saved; cleaning them again
        # here (a no-op for what briefing wrote) keeps a tampered database from reaching the screen.
        # Each value is read as what briefing writes there (SQLite keeps whatever it is given: 'abc'
        # in start_pos, a blob in exact crashed the reader); offsets that are not whole numbers
        # are 0, and the highlight is placed again by its quote. (The id and path are keys: as they are.)
        return Highlight(id=_text(row[0]), path=_text(row[1]), start=_offset(row[2]), end=_offset(row[3]),
                         exact=sanitise(_text(row[4])), prefix=sanitise(_text(row[5])), suffix=sanitise(_text(row[6])),
                         text_hash=_text(row[7]), note=_clean_note(_text(row[8])) if row[8] else None,
                         created=sanitise(_text(row[9])), updated=sanitise(_text(row[10])))

    def highlights(self, brief: "Brief", update: bool = True) -> list[Highlight]:
        """The brief's highlights, placed on its current text, in text order; those that
        cannot be placed come last with ``orphan=True``. Moved ones are saved (``update``)."""
        key = brief_key(brief.path)
        current = text_hash(brief.text)
        rows = self._read(f"SELECT {_HL_COLUMNS} FROM highlights WHERE path = ? ORDER BY start_pos, created", (key,))
        out: list[Highlight] = []
        moved: list[Highlight] = []
        for h in self._with_pending(key, [self._row(row) for row in rows]):
            placed, changed = anchor_highlight(h, brief.text, current)
            out.append(placed)
            if changed:
                moved.append(placed)
        if update and moved:
            def save(conn: sqlite3.Connection) -> None:
                for h in moved:
                    conn.execute(
                        "UPDATE highlights SET start_pos = ?, end_pos = ?, exact = ?, prefix = ?, suffix = ?, "
                        "text_hash = ? WHERE id = ?",
                        (h.start, h.end, h.exact, h.prefix, h.suffix, h.text_hash, h.id))
                _touch_brief(conn, key, current)
            try:
                self._write(save)
            except StoreError:
                pass  # placing them again next time costs little
        out.sort(key=lambda h: (h.orphan, h.start, h.end, h.created))
        return out

    def get_highlight(self, highlight_id: str) -> Highlight | None:
        rows = self._read(f"SELECT {_HL_COLUMNS} FROM highlights WHERE id = ?", (highlight_id,))
        return self._row(rows[0]) if rows else None

    def add_highlight(self, brief: "Brief", start: int, end: int, note: str | None = None) -> Highlight:
        """Save a highlight of ``brief.text[start:end]``."""
        text = brief.text
        if not (0 <= start < end <= len(text)):
            raise ValueError(f"highlight {start}..{end} is outside the text (0..{len(text)}) or empty")
        stamp = now_iso()
        h = Highlight.of_text(text, start, end, id=uuid.uuid4().hex, path=brief_key(brief.path),
                              note=_clean_note(note), created=stamp, updated=stamp)

        self._change(store_pending.add(h))
        return h

    def set_note(self, highlight_id: str, note: str | None) -> bool:
        """Set (or with None/blank, clear) a highlight's note. False if there is no such highlight."""
        return self._change(("note", highlight_id, _clean_note(note)))

    def remove_highlight(self, highlight_id: str) -> bool:
        return self._change(("remove", highlight_id))

    def toggle_highlight(self, brief: "Brief", start: int, end: int) -> Highlight | None:
        """Remove the highlights covering exactly ``start..end``; if there are none, add one.
        Returns the new highlight, or None when highlights were removed."""
        if not (0 <= start < end <= len(brief.text)):
            raise ValueError(f"highlight {start}..{end} is outside the text (0..{len(brief.text)}) or empty")
        try:
            self.highlights(brief)  # bring stored offsets up to date with the text
        except StoreError:
            pass  # (a database another program holds: the change below is kept)
        key = brief_key(brief.path)
        current = text_hash(brief.text)
        stamp = now_iso()
        new = Highlight.of_text(brief.text, start, end, id=uuid.uuid4().hex, path=key, digest=current,
                                created=stamp, updated=stamp)

        def toggle(conn: sqlite3.Connection) -> Highlight | None:
            gone = [r[0] for r in conn.execute(
                "SELECT id FROM highlights WHERE path = ? AND start_pos = ? AND end_pos = ? AND text_hash = ?",
                (key, start, end, current))]
            if gone:
                conn.executemany("DELETE FROM highlights WHERE id = ?", [(g,) for g in gone])
                if self._spill_db is not None:
                    self._spill.extend(("remove", g) for g in gone)
                return None
            _insert(conn, new)
            _touch_brief(conn, key, current)
            if self._spill_db is not None:
                self._spill.append(store_pending.add(new))
            return new

        with self._lock:
            if self._pending:
                self.flush_pending()
            if not self._pending:
                try:
                    return self._write(toggle, short=True)
                except StoreBusy:
                    pass
            # Busy: decide on what the reader shows (stored and waiting), and keep the change.
            try:
                stored = [self._row(r) for r in self._read(f"SELECT {_HL_COLUMNS} FROM highlights WHERE path = ?",
                                                            (key,))]
            except StoreError:
                stored = []
            same = [h for h in self._with_pending(key, stored)
                    if h.start == start and h.end == end and h.text_hash == current]
            if same:
                for h in same:
                    self._change(("remove", h.id))
                return None
            self._change(store_pending.add(new))
            return new

    def highlight_counts(self) -> dict[str, int]:
        """Number of highlights per brief key (see ``brief_key``)."""
        return {path: n for path, n in self._read("SELECT path, COUNT(*) FROM highlights GROUP BY path")}

    def count(self, path: str | os.PathLike | None = None) -> int:
        if path is None:
            return self._read("SELECT COUNT(*) FROM highlights")[0][0]
        return self._read("SELECT COUNT(*) FROM highlights WHERE path = ?", (brief_key(path),))[0][0]

    # -- reading state
    def get_state(self, path: str | os.PathLike) -> tuple[bool, int]:
        """(read, position) of a brief; (False, 0) for one never opened."""
        rows = self._read("SELECT read, position FROM briefs WHERE path = ?", (brief_key(path),))
        return (bool(rows[0][0]), _offset(rows[0][1])) if rows else (False, 0)

    def read_keys(self) -> set[str]:
        """Keys (see ``brief_key``) of every brief marked read: one query for a whole list."""
        return {row[0] for row in self._read("SELECT path FROM briefs WHERE read = 1")}

    def set_read(self, path: str | os.PathLike, read: bool) -> None:
        key = brief_key(path)
        self._write(lambda conn: _upsert_state(conn, key, "read", 1 if read else 0))

    def set_read_many(self, paths, read: bool = True) -> None:
        """Mark many briefs read (or unread) in one transaction ("mark all shown read")."""
        keys = [brief_key(p) for p in paths]

        def mark(conn: sqlite3.Connection) -> None:
            for key in keys:
                _upsert_state(conn, key, "read", 1 if read else 0)

        self._write(mark)

    def set_position(self, path: str | os.PathLike, position: int) -> None:
        key = brief_key(path)
        self._write(lambda conn: _upsert_state(conn, key, "position", max(0, int(position))))


def _insert(conn: sqlite3.Connection, h: Highlight) -> None:
    conn.execute(
        f"INSERT INTO highlights ({_HL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (h.id, h.path, h.start, h.end, h.exact, h.prefix, h.suffix, h.text_hash, h.note, h.created, h.updated))


def _touch_brief(conn: sqlite3.Connection, key: str, digest: str) -> None:
    conn.execute(
        "INSERT INTO briefs (path, text_hash, updated) VALUES (?, ?, ?) "
        "ON CONFLICT(path) DO UPDATE SET text_hash = excluded.text_hash, updated = excluded.updated",
        (key, digest, now_iso()))


def _upsert_state(conn: sqlite3.Connection, key: str, column: str, value: int) -> None:
    assert column in ("read", "position")
    conn.execute(
        f"INSERT INTO briefs (path, {column}, updated) VALUES (?, ?, ?) "
        f"ON CONFLICT(path) DO UPDATE SET {column} = excluded.{column}, updated = excluded.updated",
        (key, value, now_iso()))
