"""Highlight changes that could not be written yet because another program holds the
highlights database (issue 15: with a write transaction held elsewhere, each ``h`` blocked
the reader ~6.4 s and one highlight in four was lost).

A change the store cannot write within a short wait is kept here, in order, shown as if
saved, and written before the next change (and whenever the reader asks). What is still
waiting when the store closes is written to ``briefing.db.pending.jsonl`` in the data folder
and taken up again the next time the store opens: nothing is lost.

Each change is data, not a closure, so that it can be kept in that file:
``("add", Highlight fields)``, ``("note", id, note)``, ``("remove", id)``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.core.anchor import Highlight

if TYPE_CHECKING:
    import sqlite3

PENDING_SUFFIX = ".pending.jsonl"
_MAX_FILE_BYTES = 16 * 1024 * 1024  # of the file read back (lines past it are not read)
_TEXTS = ("exact", "prefix", "suffix", "note")  # a highlight's texts (shown)
SHORT_WAIT_MS = 250  # how long a change waits for a lock before it is kept (the UI thread waits too)
_FIELDS = [f.name for f in dataclasses.fields(Highlight) if f.name not in ("orphan", "extra")]


def add(h: Highlight) -> tuple:
    return ("add", {name: getattr(h, name) for name in _FIELDS})


def highlight_of(change: tuple) -> Highlight | None:
    """The highlight a change adds (shown before it is written), else None."""
    if change[0] != "add":
        return None
    return Highlight(**{k: v for k, v in change[1].items() if k in _FIELDS})


def path_of(db: Path) -> Path:
    return db.with_name(db.name + PENDING_SUFFIX)


def save(db: Path, changes: list[tuple]) -> None:
    """Append ``changes`` to the file beside ``db`` (one JSON line each, fsynced)."""
    if not changes:
        return
    target = path_of(db)
    # (Without blocking, and only into a regular file: a FIFO in its place is no place to keep them.)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
                 | getattr(os, "O_NONBLOCK", 0), 0o600)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{target}: not a regular file")
        os.write(fd, "".join(json.dumps(list(c), ensure_ascii=True) + "\n" for c in changes).encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def load(db: Path) -> list[tuple]:
    """The changes kept beside ``db`` by an earlier run (the file is left until they are
    written). Lines that do not read are skipped."""
    from briefing.paths import read_regular

    try:  # (regular files only: a FIFO in its place hung the store's opening)
        lines = read_regular(path_of(db), _MAX_FILE_BYTES).decode("utf-8", "replace").splitlines()
    except OSError:
        return []
    from briefing.core.sanitize import sanitise

    # Shown as if saved until they are written: their texts are sanitised as rows read from
    # the database are (the file is only as trustworthy as the data folder). The path stays
    # the key it was.
    clean = lambda v: sanitise(v) if isinstance(v, str) else v  # noqa: E731
    out = []
    for line in lines:
        try:
            c = json.loads(line)
        except ValueError:
            continue
        if isinstance(c, list) and c and c[0] in ("add", "note", "remove"):
            if c[0] == "add" and isinstance(c[1], dict) and highlight_of(tuple(c)) is not None:
                out.append(("add", {k: clean(v) if k in _TEXTS else v for k, v in c[1].items()}))
            elif c[0] == "note" and len(c) == 3 and isinstance(c[1], str):
                out.append(("note", c[1], clean(c[2]) if isinstance(c[2], str) else None))
            elif c[0] == "remove" and len(c) == 2 and isinstance(c[1], str):
                out.append(("remove", c[1]))
    return out


def forget(db: Path) -> None:
    try:
        os.unlink(path_of(db))
    except OSError:
        pass


class PendingChanges:
    """The part of briefing.store.Store that keeps, shows and writes waiting changes (a mixin:
    it uses the store's lock, connection and _write)."""

    def _with_pending(self, key: str, stored: list[Highlight]) -> list[Highlight]:
        """The stored highlights of a brief as they will be once the waiting changes are written."""
        if not self._pending:
            return stored
        by_id = {h.id: h for h in stored}
        for change in self._pending:
            if change[0] == "add":
                h = highlight_of(change)
                if h is not None and h.path == key:
                    by_id.setdefault(h.id, h)
            elif change[0] == "remove":
                by_id.pop(change[1], None)
            elif change[0] == "note" and change[1] in by_id:
                h = by_id[change[1]]
                by_id[h.id] = Highlight(**{**{f: getattr(h, f) for f in _FIELDS}, "note": change[2]})
        return list(by_id.values())

    @staticmethod
    def _apply(conn: "sqlite3.Connection", change: tuple) -> bool:
        """Write one change (again, harmlessly, if it was written already)."""
        from briefing.store import _HL_COLUMNS, _touch_brief, now_iso

        if change[0] == "add":
            h = highlight_of(change)
            conn.execute(f"INSERT OR IGNORE INTO highlights({_HL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (h.id, h.path, h.start, h.end, h.exact, h.prefix, h.suffix, h.text_hash, h.note, h.created,
                          h.updated))
            _touch_brief(conn, h.path, h.text_hash)
            return True
        if change[0] == "note":
            return conn.execute("UPDATE highlights SET note = ?, updated = ? WHERE id = ?",
                                (change[2], now_iso(), change[1])).rowcount > 0
        return conn.execute("DELETE FROM highlights WHERE id = ?", (change[1],)).rowcount > 0

    def _change(self, change: tuple) -> bool:
        """Write a highlight change now, or keep it (after a short wait) if the database is
        busy; True if it was kept or changed something."""
        from briefing.store import StoreBusy

        with self._lock:
            if self._spill_db is not None:
                self._spill.append(change)
            if self._pending:
                self.flush_pending()
            if not self._pending:
                try:
                    return self._write(lambda conn: self._apply(conn, change), short=True)
                except StoreBusy:
                    pass
            self._pending.append(change)
            n = len(self._pending)
            self.notices.append("The highlights database is locked by another program: this change is kept and "
                                f"will be saved when it is free ({n} waiting)")
            return True

    def flush_pending(self, short: bool = True) -> int:
        """Write the changes that were waiting, in order, until one is still busy; the number
        written. (The reader calls it after each store call and on quitting.)"""
        from briefing.store import StoreBusy, StoreError

        written = 0
        with self._lock:
            while self._pending:
                change = self._pending[0]
                try:
                    self._write(lambda conn: self._apply(conn, change), short=short)
                except StoreBusy:
                    break
                except StoreError:
                    pass  # (reported by _write's caller the first time; dropping it would lose it silently)
                self._pending.pop(0)
                written += 1
            if written and not self._pending:
                if self._pending_from_file and self.db_path is not None:
                    forget(self.db_path)
                    self._pending_from_file = False
                self.notices.append(f"Saved {written} highlight change{'s' if written != 1 else ''} "
                                    "that waited for the database")
        return written

    @property
    def pending(self) -> int:
        return len(self._pending)

    def take_notices(self) -> list[str]:
        with self._lock:
            out, self.notices = self.notices, []
        return out

