"""Highlights that follow a brief which moved or was copied.

Highlights are stored under a brief's path. When a path has none, the store looks for
highlights stored under another path whose brief has the same text (by the hash every
highlight keeps) or, failing that, whose every quote is found in this text (a brief moved,
then edited):

- if that other path no longer exists, the brief moved: its highlights (and reading state)
  are re-attached to the new path, and the reader says so;
- if it still exists, this is a copy: the reader offers to copy the highlights (a command);
  nothing is moved.

Nothing is ever dropped: re-attaching changes the key of rows; copying inserts new rows.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefing.core.model import Brief

MAX_QUOTE_CANDIDATES = 200  # paths whose quotes are searched in a brief (the rest: by hash only)


@dataclass(frozen=True)
class Origin:
    """Where a brief's highlights were stored before: ``path``, ``count`` highlights;
    ``gone``: that path no longer exists (the brief moved); ``by``: "text" or "quotes"."""

    path: str
    count: int
    gone: bool
    by: str


class FollowMixin:
    """Store methods (see briefing.store.Store) for briefs that moved or were copied."""

    def origin_of(self, brief: "Brief") -> Origin | None:
        """Another path whose highlights belong to this brief, when this path has none."""
        from briefing.core.anchor import text_hash
        from briefing.store import brief_key

        key = brief_key(brief.path)
        if self._read("SELECT 1 FROM highlights WHERE path = ? LIMIT 1", (key,)):
            return None
        digest = text_hash(brief.text)
        same = self._read("SELECT path, count(*) FROM highlights WHERE text_hash = ? AND path != ? GROUP BY path "
                          "ORDER BY max(updated) DESC", (digest, key))
        # (Paths and quotes that are not text, in a tampered file, are no origin.)
        found = [Origin(path, n, not os.path.exists(path), "text") for path, n in same if isinstance(path, str)]
        if not found:
            # Edited since: every quote of a path that is gone, found in this text.
            text = brief.text
            paths = self._read("SELECT path, count(*) FROM highlights WHERE path != ? GROUP BY path "
                               "ORDER BY max(updated) DESC LIMIT ?", (key, MAX_QUOTE_CANDIDATES))
            for path, n in paths:
                if not isinstance(path, str) or os.path.exists(path):
                    continue
                quotes = self._read("SELECT exact FROM highlights WHERE path = ?", (path,))
                if quotes and all(isinstance(q[0], str) and q[0] and q[0] in text for q in quotes):
                    found.append(Origin(path, n, True, "quotes"))
                    break
        # A moved brief first (its old path gone), else the copy's original.
        found.sort(key=lambda o: not o.gone)
        return found[0] if found else None

    def reattach(self, origin: Origin, brief: "Brief") -> int:
        """Move ``origin``'s highlights and reading state to this brief's path (it moved)."""
        from briefing.store import brief_key

        key = brief_key(brief.path)

        def move(conn: sqlite3.Connection) -> int:
            n = conn.execute("UPDATE highlights SET path = ? WHERE path = ?", (key, origin.path)).rowcount
            if not conn.execute("SELECT 1 FROM briefs WHERE path = ?", (key,)).fetchone():
                conn.execute("UPDATE briefs SET path = ? WHERE path = ?", (key, origin.path))
            return n

        return self._write(move)

    def copy_highlights(self, origin: Origin, brief: "Brief") -> int:
        """Copy ``origin``'s highlights to this brief's path (a copy of it); the originals stay."""
        from briefing.store import _HL_COLUMNS, brief_key, now_iso

        key = brief_key(brief.path)
        rows = self._read(f"SELECT {_HL_COLUMNS} FROM highlights WHERE path = ?", (origin.path,))
        stamp = now_iso()

        def copy(conn: sqlite3.Connection) -> int:
            for row in rows:
                values = (uuid.uuid4().hex, key, *row[2:9], stamp, stamp)
                conn.execute(f"INSERT INTO highlights ({_HL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values)
            return len(rows)

        return self._write(copy)
