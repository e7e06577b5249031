"""Switching an SQLite connection to the write-ahead log, for the store and the index.

SQLite does not wait for a lock while it changes the journal mode (``busy_timeout`` does not
apply there): a second briefing opening a new database at the same moment as the first got
"database is locked". This waits, up to a deadline, as every other statement does.
"""

from __future__ import annotations

import sqlite3
import time

_BUSY = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def enable_wal(conn: sqlite3.Connection, timeout: float) -> str:
    """``PRAGMA journal_mode = WAL``, retried while the database is locked; the mode set."""
    deadline = time.monotonic() + timeout
    delay = 0.005
    while True:
        try:
            return conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode & 0xFF not in _BUSY or time.monotonic() + delay > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.1)
