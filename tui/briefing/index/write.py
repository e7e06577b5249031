"""Where the index is written: ``_store_rows`` turns parse results (briefing.index.parse)
into the rows of every table of the schema (briefing.index.schema), in the caller's
transaction. The one writer of brief rows: the process that builds, and each worker of
a pool (briefing.index.pool), call it.
"""

from __future__ import annotations

import json
import sqlite3

from briefing.index.entry import TAG_SEP
from briefing.index.viewrows import spelling_rows
from briefing.index.parse import (R_CHECKED, R_FACTS, R_FACTS_TEXT, R_HASH, R_INO, R_KEY, R_MTIME, R_PROBLEMS,
                                  R_PUBLISHED, R_SIZE, R_SOURCE, R_STATUS, R_SUMMARY, R_TAGS, R_TEXT, R_TITLE, R_URL)


def _problem_counts(problems: list[tuple]) -> tuple[int, int, str | None]:
    """(errors, warnings, the first error as "LINE:COL: message") of a result's problems."""
    errors = [p for p in problems if p[2] == "error"]
    first = f"{errors[0][0]}:{errors[0][1]}: {errors[0][3]}" if errors else None
    return len(errors), len(problems) - len(errors), first


_BRIEF_COLS = ("size", "mtime_ns", "ino", "hash", "checked_ns", "status", "title", "published", "source", "tags",
               "error_count", "warning_count", "first_error")


_UPDATE_BRIEF = f"UPDATE briefs SET {', '.join(c + '=?' for c in _BRIEF_COLS)} WHERE path = ? RETURNING id"
_INSERT_BRIEF = f"INSERT INTO briefs({', '.join(_BRIEF_COLS)}, path) VALUES({', '.join('?' * (len(_BRIEF_COLS) + 1))})"


def _store_rows(conn: sqlite3.Connection, results: list[tuple], owners: dict[str, list[str]],
                fresh=frozenset()) -> list[int]:
    """Write parse results (in the caller's transaction); their row ids, in order. Runs in
    the process that stores, or in a worker (see _parse_and_store_chunk). ``fresh``: the
    paths that had no row when the refresh began (inserted first: a cold build then does
    not look for 10,000 rows to update in vain)."""
    bids: list[int] = []
    fts_rows, fact_rows, tag_rows, member_rows, old_ids, detail_rows = [], [], [], [], [], []
    for r in results:
        key = r[R_KEY]
        problems = r[R_PROBLEMS]
        values = (r[R_SIZE], r[R_MTIME], r[R_INO], r[R_HASH], r[R_CHECKED], r[R_STATUS], r[R_TITLE],
                  r[R_PUBLISHED], r[R_SOURCE], TAG_SEP.join(r[R_TAGS])) + _problem_counts(problems)
        # Update, else insert: an upsert with RETURNING makes SQLite keep a statement journal
        # of every page it touches (~40 KB per brief, 40% of a cold build's storing).
        # (In the caller's transaction: no other process can add the path in between.)
        if key in fresh:
            try:
                bid = conn.execute(_INSERT_BRIEF, values + (key,)).lastrowid
            except sqlite3.IntegrityError:  # another process stored it since the refresh began
                bid = conn.execute(_UPDATE_BRIEF, values + (key,)).fetchone()[0]
        else:
            got = conn.execute(_UPDATE_BRIEF, values + (key,)).fetchone()
            bid = got[0] if got is not None else conn.execute(_INSERT_BRIEF, values + (key,)).lastrowid
        bids.append(bid)
        detail_rows.append((bid, r[R_URL], r[R_SUMMARY], json.dumps(problems, ensure_ascii=False) if problems else None))
        # Every row's old facts and tags go, not only those this refresh knew of: another
        # process may have written the brief since (a key its facts would collide with).
        old_ids.append((bid,))
        for root in owners.get(key, ()):
            member_rows.append((root, bid))
        fts_rows.append((bid, r[R_TITLE], r[R_TEXT], r[R_FACTS_TEXT]))
        # (A fact's last column, its entity's folded aliases, is for the spellings table only.)
        fact_rows.extend((bid, seq) + f[:9] for seq, f in enumerate(r[R_FACTS]))
        tag_rows.extend((t.casefold(), bid) for t in dict.fromkeys(r[R_TAGS]))
    conn.executemany("DELETE FROM facts WHERE brief_id = ?", old_ids)
    conn.executemany("DELETE FROM tags WHERE brief_id = ?", old_ids)
    # OR REPLACE: a changed brief's old text goes; so does a row another process
    # wrote for a path that was new when this refresh began.
    conn.executemany("INSERT OR REPLACE INTO fts(rowid, title, text, facts) VALUES(?, ?, ?, ?)", fts_rows)
    conn.executemany("INSERT OR REPLACE INTO details(id, url, summary, problems) VALUES(?, ?, ?, ?)", detail_rows)
    if fact_rows:
        conn.executemany("INSERT INTO facts(brief_id, seq, type, match, label, key, ident, mentions, role, country, "
                         "spans) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", fact_rows)
        conn.executemany("INSERT OR IGNORE INTO spellings(spelling, ident, name, type) VALUES(?, ?, ?, ?)",
                         spelling_rows(f for r in results for f in r[R_FACTS]))
    if tag_rows:
        conn.executemany("INSERT OR IGNORE INTO tags(tag, brief_id) VALUES(?, ?)", tag_rows)
    if member_rows:
        conn.executemany("INSERT OR IGNORE INTO members(root, brief_id) VALUES(?, ?)", member_rows)
    return bids
