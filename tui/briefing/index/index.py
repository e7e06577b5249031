"""``Index``: the open brief index, one object over one SQLite file (``index.db`` in the
data directory). Its parts live beside it: opening, checking and recovering the file in
``schema`` (``Recovery``), building it in ``build`` (``Building``), reading it in
``search`` (``Searching``). Here: opening, the connections and the write transaction.

Threads: every method may be called from any thread (each thread has its own connection;
writes are serialised by ``_write_lock``; WAL lets the UI read while a refresh writes).
One refresh at a time (``_refresh_lock``).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from briefing import db
from briefing.db import enable_wal, is_busy
from briefing.index import schema
from briefing.index.build import Building
from briefing.index.schema import DB_NAME, Recovery
from briefing.index.search import Searching
from briefing.paths import data_dir as default_data_dir

# SQLite machine steps between two looks at a cancel flag (a Python call each: ~1% of a query).
CANCEL_CHECK_STEPS = 4000


class Index(Recovery, Building, Searching):
    """The cache. Create with ``Index.open()``; close with ``close()`` (or ``with``)."""

    def __init__(self, db_path: Path, workers: int | None = None):
        self.db_path = db_path
        self.workers = workers if workers is not None else max(1, min(os.cpu_count() or 1, 4))
        self.notices: list[str] = []  # what happened to a bad cache, for the UI to show once
        self.moved_aside: list[Path] = []
        self._local = threading.local()
        self._conns: list[sqlite3.Connection] = []
        self._conns_lock = threading.Lock()
        self._write_lock = threading.RLock()
        self._refresh_lock = threading.Lock()
        self._generation = 0
        self._roots: dict[str, bool] = {}  # root key -> follow_symlinks, from the last refresh
        self._verified = False
        self._fingerprint = schema.parser_fingerprint()

    # -- opening

    @classmethod
    def open(cls, data_dir: str | os.PathLike | None = None, workers: int | None = None) -> "Index":
        """The index in ``data_dir`` (default: the data folder). A folder that cannot be
        written, or an index another program keeps locked, gives an index in a fallback
        folder for this session, with a notice saying why."""
        folder = Path(data_dir) if data_dir is not None else default_data_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            probe = folder / DB_NAME
            if not os.access(folder, os.W_OK) or (probe.exists() and not os.access(probe, os.W_OK)):
                raise PermissionError(f"{folder} is not writable")
        except OSError as exc:
            return cls._open_fallback(f"cannot write the index in {folder} ({exc})", workers)
        index = cls(folder / DB_NAME, workers)
        try:
            index._prepare()
        except sqlite3.OperationalError as exc:
            if not is_busy(exc):
                raise
            # Busy is never damage: the file is left as it is, for whoever holds it.
            index.close()
            return cls._open_fallback(f"the index {index.db_path} is locked by another program ({exc})", workers)
        return index

    @classmethod
    def _open_fallback(cls, why: str, workers: int | None) -> "Index":
        from briefing.paths import private_fallback_dir

        fallback = private_fallback_dir()  # 0700 and ours, never a folder someone else made
        index = cls(fallback / DB_NAME, workers)
        index.notices.append(f"{why}; using {fallback}")
        index._prepare()
        return index

    # -- connections

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is not None and self._local.generation == self._generation:
            return conn
        conn = db.connect(self.db_path, 30)  # (refuses a FIFO or a folder in the file's place)
        # For a new file only (else ignored): 8 KB pages hold a brief's text without overflow
        # pages, and FTS5's segments in fewer pages (storing ~9% faster than with 4 KB).
        conn.execute("PRAGMA page_size=8192")
        enable_wal(conn, 30)
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA journal_size_limit=33554432")  # keep the WAL file from staying huge after a build
        conn.execute("PRAGMA temp_store=MEMORY")
        conn.execute("PRAGMA cache_size=-32000")
        conn.execute("PRAGMA foreign_keys=OFF")
        self._local.conn = conn
        self._local.generation = self._generation
        with self._conns_lock:
            self._conns.append(conn)
        return conn

    def _close_all(self) -> None:
        with self._conns_lock:
            for conn in self._conns:
                try:
                    conn.close()
                except sqlite3.Error:
                    pass
            self._conns.clear()
        self._generation += 1

    def close(self) -> None:
        self._close_all()

    def __enter__(self) -> "Index":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    class _Tx:
        def __init__(self, index: "Index", conn: sqlite3.Connection):
            self.index, self.conn = index, conn

        def __enter__(self):
            self.index._write_lock.acquire()
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except BaseException:
                self.index._write_lock.release()
                raise
            return self.conn

        def __exit__(self, exc_type, exc, tb):
            try:
                if exc_type is None:
                    self.conn.execute("COMMIT")
                elif self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
            finally:
                self.index._write_lock.release()

    def _tx(self, conn: sqlite3.Connection | None = None) -> "Index._Tx":
        return Index._Tx(self, conn or self._conn())

    @contextmanager
    def cancellable(self, cancelled: Callable[[], bool]) -> Iterator[None]:
        """Reads made inside, on this thread, stop soon after ``cancelled()`` turns true: SQLite
        asks every ``CANCEL_CHECK_STEPS`` steps of its machine, and the query raises
        ``sqlite3.OperationalError`` ("interrupted", ``db.is_interrupted``), which no caller
        takes for damage. (The reader's search worker: a new search line, or ``q``, does not
        wait for the old query.)"""
        conn = self._conn()
        handler = self._local.cancel_handler = lambda: 1 if cancelled() else 0  # (_ready lifts it)
        conn.set_progress_handler(handler, CANCEL_CHECK_STEPS)
        try:
            yield
        finally:
            self._local.cancel_handler = None
            conn.set_progress_handler(None, 0)

    def ready_for_views(self) -> bool:
        """Make the views' index (schema.VIEWS_INDEXES) if a large build left it out: the
        views across briefs call this first (it then costs a look at the schema). Not while
        a refresh runs here, nor when another process holds the file (a build: its workers
        write): the view then reads without it, only slower, and the next one makes it.
        True when the index is there."""
        return self._ready(schema.VIEWS_INDEXES)

    def ready_for_search(self) -> bool:
        """``ready_for_views`` for the search's index (schema.SEARCH_INDEXES): a search that
        filters by a fact (TYPE:"name") calls this first. Without it such a filter reads the
        facts table (~15 ms for 10,000 briefs, 4 ms with it; making it ~0.2 s, once)."""
        return self._ready(schema.SEARCH_INDEXES)

    def _ready(self, names) -> bool:
        conn = self._conn()
        if not schema.missing_indexes(conn, names):
            return True
        if self._refresh_lock.locked() or not self._write_lock.acquire(blocking=False):
            return False
        try:
            conn.execute("PRAGMA busy_timeout=0")
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if is_busy(exc):
                    return False
                raise
            finally:
                conn.execute("PRAGMA busy_timeout=30000")
            # Made whole even inside a cancellable read: the search typed next would otherwise
            # cancel it part-way, again and again, and throw the work away each time.
            handler = getattr(self._local, "cancel_handler", None)
            conn.set_progress_handler(None, 0)
            try:
                schema.make_indexes(conn, names)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            finally:
                if handler is not None:
                    conn.set_progress_handler(handler, CANCEL_CHECK_STEPS)
            return True
        finally:
            self._write_lock.release()

    def optimize(self) -> None:
        """Merge the full-text index's segments (worth it after a large build)."""
        with self._tx() as conn:
            conn.execute("INSERT INTO fts(fts) VALUES('optimize')")

    @property
    def roots(self) -> list[str]:
        return list(self._roots)
