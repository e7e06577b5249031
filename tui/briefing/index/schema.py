"""The index's SQLite file: its schema, what marks it as ours, and recovering from a file
that is not (``Recovery``, mixed into ``briefing.index.Index``).

A cache that is not SQLite, belongs to another program or fails its checks is moved
aside (``index.db.corrupt-<time>`` / ``index.db.foreign-<time>``, never deleted) and
rebuilt; an older schema of ours is rebuilt in place; a changed parser
(``parser_fingerprint``) makes every brief be parsed again (the old rows stay listed
meanwhile). ``Index.notices`` says what happened.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Callable
from urllib.parse import quote as url_quote

from briefing import db
from briefing.db import APPLICATION_ID, SQLITE_MAGIC, is_corrupt
from briefing.index import tuning

SCHEMA_VERSION = 9  # 9: spans a blob of offsets (was text); no aliases column (the spellings table has them)
DB_NAME = "index.db"

# The code that turns a file into index rows (relative to the briefing package): when any
# of it changes, every brief is parsed again. (tests/test_index.py checks each exists.)
FINGERPRINTED = ("core/parser.py", "core/frontmatter.py", "core/facts.py", "core/model.py",
                 *(f"core/markdown/{name}.py" for name in ("__init__", "builder", "blocks", "inline", "emphasis",
                                                           "spans", "shortcut", "brackets", "results")),
                 "core/sanitize.py", "core/dates.py", "core/problems.py",
                 "index/parse.py", "index/fast.py", "index/scan.py", "index/write.py", "index/entry.py",
                 "index/schema.py", "index/viewrows.py", "core/identity.py", "core/entry.py",
                 "core/front_peek.py", "core/columns.py")


def parser_fingerprint() -> str:
    """Changes whenever the code that turns a file into index rows changes."""
    here = Path(__file__).resolve().parent.parent  # the briefing package
    h = hashlib.blake2b(digest_size=12)
    h.update(f"schema {SCHEMA_VERSION}".encode())
    for name in FINGERPRINTED:
        try:
            h.update((here / name).read_bytes())
        except OSError:
            h.update(name.encode())
    return h.hexdigest()


# The facts' secondary indexes, which a large build of a new index leaves out instead of
# keeping up to date on the way (see defer_indexes), each made when first needed: facts_match
# by the first search that filters by a fact (SEARCH_INDEXES, Index.ready_for_search),
# facts_ident by the first view across briefs (VIEWS_INDEXES, Index.ready_for_views).
DEFERRED_INDEXES = {
    "facts_match": "CREATE INDEX facts_match ON facts(type, match)",
    "facts_ident": "CREATE INDEX facts_ident ON facts(ident, mentions)",
}
SEARCH_INDEXES = ("facts_match",)
VIEWS_INDEXES = ("facts_ident",)

_SCHEMA = f"""
CREATE TABLE info(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE briefs(
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    ino INTEGER NOT NULL DEFAULT 0,
    hash BLOB,
    checked_ns INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    title TEXT NOT NULL,
    published TEXT,
    source TEXT,
    tags TEXT NOT NULL DEFAULT '',
    error_count INTEGER NOT NULL DEFAULT 0,
    warning_count INTEGER NOT NULL DEFAULT 0,
    first_error TEXT,
    -- What the document list shows, in one value: fetching one column instead of ten
    -- is most of what makes listing 10,000 briefs fast. See Entry.
    listing TEXT GENERATED ALWAYS AS (
        title || char(30) || ifnull(published, '') || char(30) || ifnull(source, '') || char(30) || tags
        || char(30) || status || char(30) || error_count || char(30) || ifnull(first_error, '') || char(30)
        || mtime_ns || char(30) || warning_count || char(30) || size) STORED
);
CREATE INDEX briefs_published ON briefs(published);
-- What only one brief at a time needs, kept out of the rows every refresh reads.
CREATE TABLE details(id INTEGER PRIMARY KEY, url TEXT, summary TEXT, problems TEXT);
-- Covers the document list: read in path order without touching the (large) rows.
CREATE INDEX briefs_list ON briefs(path, listing);
CREATE TABLE tags(tag TEXT NOT NULL, brief_id INTEGER NOT NULL, PRIMARY KEY(tag, brief_id)) WITHOUT ROWID;
CREATE INDEX tags_brief ON tags(brief_id);
-- Clustered by brief (rows are written brief after brief, so each insert appends), seq
-- keeping Brief.facts order. One index, for the TYPE:"name" filters; a filter by fact key
-- (index API only, the reader never asks) reads the table.
CREATE TABLE facts(
    brief_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    type TEXT NOT NULL,
    match TEXT NOT NULL,  -- label, casefolded
    label TEXT NOT NULL,  -- name; for a date, its value
    key TEXT NOT NULL,
    -- For the views across briefs (briefing.index.viewrows, briefing.views).
    ident TEXT NOT NULL,  -- identity key; a date's sorts chronologically
    mentions INTEGER NOT NULL,
    role TEXT,
    country TEXT,
    spans BLOB NOT NULL,  -- offsets in the displayed text (viewrows.pack_spans)
    PRIMARY KEY(brief_id, seq)
) WITHOUT ROWID;
{DEFERRED_INDEXES["facts_match"]};
-- The timeline is one range of it (dates sort chronologically); a profile or related
-- briefs look up identity keys. With mentions, it covers related briefs' postings (ident,
-- brief, mentions): ~4x faster than a row lookup each.
{DEFERRED_INDEXES["facts_ident"]};
-- Which identity keys a folded name or alias belongs to (a profile looked up by name).
-- Rows are never removed with a brief: a stale one names a key no fact has any more.
CREATE TABLE spellings(spelling TEXT NOT NULL, ident TEXT NOT NULL, name INTEGER NOT NULL, type TEXT NOT NULL,
                       PRIMARY KEY(spelling, ident, name)) WITHOUT ROWID;
CREATE TABLE members(root TEXT NOT NULL, brief_id INTEGER NOT NULL, PRIMARY KEY(root, brief_id)) WITHOUT ROWID;
CREATE INDEX members_brief ON members(brief_id);
-- A prefix index for two-letter prefixes only: longer ones find their few terms as fast
-- without one (measured over 10,000 briefs), and each prefix index makes FTS writing ~1/3 slower.
CREATE VIRTUAL TABLE fts USING fts5(title, text, facts, tokenize='unicode61 remove_diacritics 2', prefix='2');
INSERT INTO fts(fts, rank) VALUES('rank', 'bm25({", ".join(str(w) for w in tuning.BM25_WEIGHTS)})');
"""


_TABLES = {"info", "briefs", "details", "tags", "facts", "members", "fts", "spellings"}


def _statements(script: str) -> list[str]:
    """A script's statements one by one (executescript would commit the open transaction)."""
    out, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    assert not current.strip(), current
    return out


def missing_indexes(conn: sqlite3.Connection, names=tuple(DEFERRED_INDEXES)) -> list[str]:
    """Those of ``names`` (the DEFERRED_INDEXES) the file does not hold now (a build left
    them out: it makes them later, or the views do)."""
    have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    return [name for name in names if name not in have]


def index_hint(conn: sqlite3.Connection, name: str) -> str:
    """`` INDEXED BY name`` for a query that must use that index, or nothing while a build
    has it deferred (``INDEXED BY`` a missing index is an error; the query is then only slower)."""
    return "" if name in missing_indexes(conn) else f" INDEXED BY {name}"


def defer_indexes(conn: sqlite3.Connection) -> None:
    """Drop the DEFERRED_INDEXES, in the caller's transaction, for a large build of a new
    index: each task's inserts then append to the facts table instead of touching pages
    all over two indexes (for 10,000 briefs: ~20% less CPU storing, ~25% fewer bytes
    written, and shorter turns at SQLite's lock for the workers); ``make_indexes`` makes
    each in one sort when it is first needed: the first search filtering by a fact, the
    SEARCH_INDEXES; the first view, the VIEWS_INDEXES (~0.12 and ~0.2 s of CPU for 10,000
    briefs, which a build that nobody filters or opens a view after does not spend; while
    one is missing the queries that would use it read the table, only slower). See
    docs/PERFORMANCE.md."""
    for name in DEFERRED_INDEXES:
        conn.execute(f"DROP INDEX IF EXISTS {name}")


def make_indexes(conn: sqlite3.Connection, names) -> bool:
    """Make those of ``names`` that are missing, in the caller's transaction (a build left
    them out). True if one was made."""
    missing = missing_indexes(conn, names)
    for name in missing:
        conn.execute(DEFERRED_INDEXES[name])
    return bool(missing)


# (The old name: what briefing.db says is a damaged file.)
_is_corruption = is_corrupt


class Recovery:
    """Opening, checking and recovering the file; part of ``Index`` (which provides
    ``db_path``, ``_conn``, ``_close_all``, ``_tx`` and the locks)."""

    def _prepare(self) -> None:
        """Make sure db_path holds our schema; move aside whatever else is there."""
        with self._write_lock:
            reason = self._inspect()
            if reason == "rebuild":
                try:
                    self._drop_all()
                    reason = None
                except sqlite3.DatabaseError as exc:
                    reason = f"corrupt ({exc})"
            if reason is not None:
                self._move_aside(reason)
            try:
                conn = self._conn()
                if not self._has_schema(conn):
                    self._create(conn)
                self._check_fingerprint(conn)
            except sqlite3.DatabaseError as exc:
                if not is_corrupt(exc):
                    raise
                self._recover(f"corrupt ({exc})")

    def _inspect(self) -> str | None:
        """None if the file is absent, empty or ours; 'rebuild' for our own older schema;
        otherwise why it must be moved aside. Raises the error when another process holds
        the file locked (busy is never damage: the caller leaves the file alone)."""
        p = self.db_path
        try:
            head = db.read_header(p)  # (never blocks: a FIFO in its place is refused, not read)
        except db.NotRegularFile as exc:
            return f"not a regular file ({db.file_problem(p) or exc})"
        except OSError as exc:
            return f"unreadable ({exc.strerror or exc})"
        if not head:
            return None
        if not head.startswith(SQLITE_MAGIC):
            return "not an SQLite database"
        try:
            conn = db.connect(f"file:{url_quote(str(p))}?mode=ro", tuning.OPEN_LOCK_WAIT, uri=True)
            try:
                app_id, version = db.identity(conn)
                tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
                if app_id == APPLICATION_ID and version == SCHEMA_VERSION:
                    if not _TABLES <= tables:
                        return "rebuild"
                    conn.execute("SELECT count(*) FROM briefs").fetchone()
                    conn.execute("SELECT value FROM info WHERE key = 'parser'").fetchone()
                    conn.execute("SELECT rowid FROM fts WHERE fts MATCH 'briefing' LIMIT 1").fetchone()
            finally:
                conn.close()
        except sqlite3.DatabaseError as exc:
            if db.is_busy(exc):
                raise
            return f"corrupt ({exc})"
        except UnicodeDecodeError:  # a damaged schema page: its names are not text any more
            return "corrupt (the schema is not readable)"
        if app_id == APPLICATION_ID:
            return None if version == SCHEMA_VERSION else "rebuild"
        if app_id == 0 and not tables:
            return None
        return "foreign" if app_id != 0 or tables else None

    _REASONS = {"foreign": "another program's SQLite database", "not an SQLite database": "not an SQLite database"}

    def _move_aside(self, reason: str) -> None:
        self._close_all()
        target = db.move_aside(self.db_path, "foreign" if reason == "foreign" else "corrupt")
        if target is not None:
            self.moved_aside.append(target)
            self.notices.append(f"the index {self.db_path} was {self._REASONS.get(reason, reason)}; "
                                f"moved aside to {target.name}; rebuilding it from the briefs")

    def _drop_all(self) -> None:
        conn = self._conn()
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                                    "AND name NOT LIKE 'fts_%'").fetchall():
            conn.execute(f'DROP TABLE IF EXISTS "{name}"')
        conn.execute("PRAGMA user_version=0")  # (no VACUUM: the rebuild reuses the free pages)

    @staticmethod
    def _has_schema(conn: sqlite3.Connection) -> bool:
        if db.identity(conn)[0] != APPLICATION_ID:
            return False
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        return _TABLES <= tables

    def _create(self, conn: sqlite3.Connection) -> None:
        with self._write_lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                # Another briefing may have created it while this one waited for the lock.
                if not self._has_schema(conn):
                    for statement in _statements(_SCHEMA):
                        conn.execute(statement)
                    db.stamp(conn, SCHEMA_VERSION)
                    conn.execute("INSERT OR REPLACE INTO info(key, value) VALUES('parser', ?)", (self._fingerprint,))
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def _check_fingerprint(self, conn: sqlite3.Connection) -> None:
        row = conn.execute("SELECT value FROM info WHERE key='parser'").fetchone()
        if row is None or row[0] != self._fingerprint:
            # The parser changed: keep the rows (the list still shows at once) but make
            # every one look modified, so the next refresh parses them all again.
            with self._tx(conn):
                conn.execute("UPDATE briefs SET mtime_ns = -1")
                conn.execute("INSERT OR REPLACE INTO info(key, value) VALUES('parser', ?)", (self._fingerprint,))

    def verify(self) -> bool:
        """Run SQLite's quick_check; on failure move the cache aside and start afresh.
        True if the cache was sound. (A refresh does this once per session.)"""
        with self._write_lock:
            try:
                rows = self._conn().execute("PRAGMA quick_check").fetchall()
                sound = rows == [("ok",)]
                reason = "failing its integrity check"
            except sqlite3.DatabaseError as exc:
                sound, reason = False, f"corrupt ({exc})"
            if not sound:
                self._recover(reason)
            self._verified = True
            return sound

    def _recover(self, reason: str) -> None:
        with self._write_lock:
            self._move_aside(reason)
            self._generation += 1
            conn = self._conn()
            self._create(conn)

    def _guard(self, fn: Callable, *args, **kwargs):
        """Run a read; if the file turns out corrupt, move it aside and run it once more
        (also when another thread did so meanwhile, closing this thread's connection)."""
        generation = self._generation
        try:
            return fn(*args, **kwargs)
        except sqlite3.DatabaseError as exc:
            if is_corrupt(exc):
                self._recover(f"corrupt ({exc})")
            elif not (isinstance(exc, sqlite3.ProgrammingError) and self._generation != generation):
                raise
            return fn(*args, **kwargs)
