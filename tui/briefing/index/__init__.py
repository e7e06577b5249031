"""The brief index: an SQLite cache of every brief's metadata, problems, facts and text.

The briefs on disk are the truth; ``index.db`` in the data directory only remembers what
parsing them found, keyed by resolved path and checked against size, mtime and inode
(and a content hash when those cannot be trusted: a file changed within the same
timestamp tick as its last read). A refresh stats every file, re-parses only new and
changed ones (in a process pool when there are many), and forgets removed ones. The
document list, search (SQLite FTS5, ranked by bm25 with the title weighted highest) and
the filters then read the cache in milliseconds.

    index = Index.open()                          # $BRIEFING_DATA_DIR/index.db
    index.entries(roots)                          # at once, from the last session's cache
    stats = index.refresh(roots, progress=cb)     # on a worker thread
    index.entries(roots, tag="security", fact=("leader", "Fumio Kishida"),
                  date_from="2020-01-01", query="trade")
    index.count(roots)                            # all, beside len(entries(...)): shown
    index.search("kishida ardern", roots)         # Hits: plain-text snippet + match offsets
    index.fact_labels_for(path), index.problems_for(path), index.meta_for(path), index.get(path)
    index.refresh_paths(changed)                  # from briefing.index.watch, for live updates

A cache that is not SQLite, belongs to another program or fails its checks is moved
aside (``index.db.corrupt-<time>`` / ``index.db.foreign-<time>``, never deleted) and
rebuilt; an older schema of ours is rebuilt in place; a changed parser makes every brief
be parsed again (the old rows stay listed meanwhile). ``Index.notices`` says what happened.

Threads: every method may be called from any thread (each thread has its own connection;
writes are serialised; WAL lets the UI read while a refresh writes). One refresh at a time.
Processes: cold builds parse in a ``forkserver`` pool (``spawn`` where there is none), and
each worker stores what it parses (its own connection; SQLite's lock takes the writes in
turn), so a script that calls ``refresh`` must guard its top level with ``if __name__ ==
"__main__"`` (``python -m tui`` and the ``briefing`` command are fine); if no pool can be
had, parsing and storing happen in-process. The common brief's fields come from
``briefing.index.fast`` (the same fields, without the reader's model).

No textual here: the index is UI-free.
"""

from __future__ import annotations

import collections
import concurrent.futures as cf
import contextlib
import datetime as dt
import hashlib
import json
import multiprocessing
import os
import re
import sqlite3
import stat as stat_mod
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from briefing.core.limits import read_capped
from briefing.paths import data_dir as default_data_dir
from briefing.db import enable_wal

SCHEMA_VERSION = 6
APPLICATION_ID = 0x42524946  # "BRIF": marks the file as briefing's index
DB_NAME = "index.db"
SQLITE_MAGIC = b"SQLite format 3\x00"

BRIEF_SUFFIXES = (".md", ".markdown")

# A file whose mtime is this close to (or after) the moment it was read may have been
# written again within the same timestamp tick: size and mtime cannot vouch for it.
RACY_NS = 2_000_000_000
# A parse error on a file modified this recently may be a half-written file: retried.
RECENT_NS = 2_000_000_000
RETRY_DELAY = 0.3
RETRIES = 3

POOL_MIN_FILES = 48  # fewer files than this are parsed in-process (a pool costs ~0.3 s to start)
# ... unless they are big: a few MB of dense spans take seconds to parse, and parsed in the
# reader's own process they would hold its interpreter (and the keys) all that time.
POOL_MIN_BYTES = 512 * 1024
# This many new files: list them from a quick look at their front matter before parsing.
# The look costs about a quarter of a cold build (reading every front matter, then storing
# every row twice); below this the index itself lists them all within ~6 s on 2 cores
# (3,000 briefs/s), the first screenful at once.
QUICK_MIN_FILES = 20_000
CHUNK_FILES = 16  # files parsed at a time in this process (no pool), between checks for cancel
# With a pool, each worker also stores what it parses: one transaction per task of this many
# files, on its own connection (SQLite's lock takes the writes in turn). The process that
# stores then only counts and reports, and its share of the work runs on both cores.
STORE_CHUNK_FILES = 512
STORE_INFLIGHT_PER_WORKER = 3
WORKER_NICE = 5
WORKER_GC_THRESHOLD = 20_000  # allocations between collections of the youngest objects (Python's: 700)
# Files per write transaction of this process (without a pool, or what workers gave back):
# FTS5 then flushes fewer, larger segments (~12% faster than 256)...
BATCH_FILES = 1024
FIRST_BATCH_FILES = 64  # ... but the first: the first screenful of a new folder shows at once
# While this many files or more are stored in one refresh, the WAL is copied into the
# database every BULK_CHECKPOINT_PAGES pages instead of SQLite's 1,000: the pages FTS5 and
# the B-trees write again and again reach the database file fewer times (storing 10,000
# briefs ~20% faster). The WAL then grows to ~32 MB; it is emptied at the end of the build.
BULK_MIN_FILES = 1000
BULK_CHECKPOINT_PAGES = 4096
BATCH_SECONDS = 0.5  # ... or this long since the last commit, whichever comes first

TAG_SEP = "\x1f"  # never in sanitised text
MARK_OPEN, MARK_CLOSE = "\x01", "\x02"  # snippet markers, never in sanitised text
BM25_WEIGHTS = (10.0, 1.0, 3.0)  # title, text, facts
RANK_ALL_MAX = 3000  # a search matching more briefs ranks only its title matches
CORE_TYPES = ("leader", "date", "region")

_CORRUPT_MARKERS = ("malformed", "not a database", "file is encrypted", "disk image", "corrupt")


# ---------------------------------------------------------------------------- results


class Entry:
    """One row of the document list (immutable; equal when every field is equal).

    Made straight from an SQLite row (id, path, listing), so listing 10,000 briefs costs
    milliseconds; the fields below are decoded on first use.

    path: Path            resolved; open it with ``briefing.core.parser.load_brief``
    key: str              the same path as text (cheap, for dict keys)
    title: str            the brief's title; for one that failed, its title line or file name
    published: date|None
    source: str|None
    tags: tuple[str, ...]
    ok: bool              no errors (also True while pending: nothing is known against it)
    status: str           ok | error | pending (listed from a quick look, not parsed yet)
    error_count: int
    warning_count: int
    first_error: str|None "LINE:COL: message"
    mtime: float          seconds since the epoch
    size: int             bytes
    """

    __slots__ = ("_id", "_key", "_listing", "_f", "_path")

    def __init__(self, row: Sequence):
        self._id, self._key, self._listing = row[0], row[1], row[2]
        self._f: list[str] | None = None
        self._path: Path | None = None

    def _fields(self) -> list[str]:
        if self._f is None:
            self._f = self._listing.split(LISTING_SEP)
        return self._f

    def listing(self) -> list[str]:
        """The raw listing fields: title, published (ISO), source, tags, status,
        error_count, first_error, mtime_ns, warning_count, size. For building 10,000 list
        rows without decoding each property."""
        return self._fields()

    @property
    def path(self) -> Path:
        if self._path is None:
            self._path = Path(self._key)
        return self._path

    @property
    def key(self) -> str:
        return self._key

    @property
    def title(self) -> str:
        return self._fields()[0]

    @property
    def published(self) -> dt.date | None:
        value = self._fields()[1]
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None

    @property
    def source(self) -> str | None:
        return self._fields()[2] or None

    @property
    def tags(self) -> tuple[str, ...]:
        tags = self._fields()[3]
        return tuple(tags.split(TAG_SEP)) if tags else ()

    @property
    def status(self) -> str:
        return self._fields()[4]

    @property
    def ok(self) -> bool:
        return self._fields()[4] != "error"

    @property
    def error_count(self) -> int:
        return int(self._fields()[5])

    @property
    def first_error(self) -> str | None:
        return self._fields()[6] or None

    @property
    def mtime(self) -> float:
        return int(self._fields()[7]) / 1e9

    @property
    def warning_count(self) -> int:
        return int(self._fields()[8])

    @property
    def size(self) -> int:
        return int(self._fields()[9])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Entry) and self._key == other._key and self._listing == other._listing

    def __hash__(self) -> int:
        return hash((self._key, self._listing))

    def __repr__(self) -> str:
        return (f"Entry(path={self._key!r}, title={self.title!r}, published={self._fields()[1]!r}, "
                f"status={self.status!r}, error_count={self.error_count})")


@dataclass(frozen=True, slots=True)
class Hit:
    """A search result: the entry, its bm25 score (lower is better, as SQLite reports it)
    and a plain-text snippet of the body with the offsets of the matching words in it."""

    entry: Entry
    score: float
    snippet: str
    spans: tuple[tuple[int, int], ...]  # (start, end) of each matching word in ``snippet``
    title_spans: tuple[tuple[int, int], ...] = ()  # matching words in ``entry.title``

    @property
    def path(self) -> Path:
        return self.entry.path

    @property
    def title(self) -> str:
        return self.entry.title


@dataclass(frozen=True, slots=True)
class Change:
    kind: str  # added | changed | removed
    key: str  # the brief's path, as the index keys it
    entry: Entry | None  # None when removed

    @property
    def path(self) -> Path:  # (made when asked: a build of 10,000 briefs makes 10,000 changes)
        return Path(self.key)


@dataclass
class RefreshStats:
    files: int = 0  # brief files found under the roots
    unchanged: int = 0
    hashed: int = 0  # size and mtime ambiguous: content hash compared
    parsed: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0
    errors: int = 0  # of the parsed, how many failed
    retried: int = 0  # caught half-written and read again
    bytes_parsed: int = 0
    workers: int = 0  # processes used to parse (0: in this process)
    write_seconds: float = 0.0  # of ``seconds``, spent storing results in SQLite
    scan_seconds: float = 0.0
    seconds: float = 0.0
    cancelled: bool = False
    missing_roots: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    @property
    def mb_per_second(self) -> float:
        return self.bytes_parsed / 1e6 / self.seconds if self.seconds else 0.0


# ---------------------------------------------------------------------------- parsing (also in workers)

_FM_KEY_RE = re.compile(r"^(title|published|source|tags):[ \t]*(.*?)[ \t]*$", re.M)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _scalar(raw: str) -> str | None:
    raw = raw.strip()
    if not raw:
        return None
    if raw[0] == '"':
        if "\\" not in raw and raw.endswith('"') and len(raw) > 1:
            return raw[1:-1] or None  # (what json.loads gives, without its cost)
        try:
            value = json.loads(raw)
            return value if isinstance(value, str) else None
        except ValueError:
            return raw.strip('"') or None
    if raw[0] == "'":
        return raw[1:-1].replace("''", "'") if raw.endswith("'") and len(raw) > 1 else None
    if raw[0] in "[{|>&*!":
        return None
    return raw.split(" #", 1)[0].strip() or None


def quick_meta(data: bytes) -> dict:
    """Title, date, source and tags read from the front matter's top-level lines, without
    parsing or validating anything: for listing a brief before it is parsed, and for
    naming one that failed. Best effort; missing values are None."""
    from briefing.core.frontmatter import split
    from briefing.core.sanitize import normalise_newlines, sanitise_line

    out: dict = {"title": None, "published": None, "source": None, "tags": []}
    yaml_text, _, _ = split(normalise_newlines(data[:65536].decode("utf-8", "replace").removeprefix("\ufeff")))
    if yaml_text is None:
        return out
    for key, raw in _FM_KEY_RE.findall(yaml_text):
        if key == "tags":
            if raw.startswith("[") and raw.endswith("]"):
                tags = [_scalar(t) for t in raw[1:-1].split(",")]
                out["tags"] = [sanitise_line(t) for t in tags if t]
            continue
        value = _scalar(raw)
        if value is None:
            continue
        if key == "published":
            out["published"] = value if _DATE_RE.match(value) else None
        else:
            out[key] = sanitise_line(value)
    return out


def _fact_rows(brief) -> tuple[list[tuple], str]:
    """(rows for the facts table, words for search). The facts in full (roles, texts, where
    each is mentioned) are not kept: the list, the search and the filters need the labels,
    and the reader parses the brief it opens anyway."""
    rows: list[tuple] = []
    words: list[str] = []
    seen: set[str] = set()

    def word(text: str | None) -> None:
        if text and text not in seen:
            seen.add(text)
            words.append(text)

    for kind, facts in brief.facts.items():
        for f in facts:
            label = (f.value or f.name) if kind == "date" else f.name
            rows.append((kind, label.casefold(), label, f.key))
            word(f.name)
            word(f.role)
            word(f.country)
            for t in f.texts:
                word(t)
            if f.key.startswith("ref:"):
                entity = brief.entities.get(f.key[4:])
                if entity is not None:
                    for alias in entity.aliases:
                        word(alias)
    return rows, " ; ".join(words)


def parse_file(key: str) -> tuple:
    """Read and parse one brief: a plain tuple that pickles cheaply (fields: the R_* names)."""
    from briefing.index.fast import extract
    from briefing.core.parser import parse_brief, read_brief_bytes
    from briefing.core.problems import BriefError

    checked_ns = time.time_ns()
    try:
        st = os.stat(key)
    except OSError as exc:
        return _failed(key, f"cannot read: {exc.strerror or exc}", checked_ns)
    if not stat_mod.S_ISREG(st.st_mode):
        return _failed(key, "not a regular file", checked_ns, st)
    try:
        data = read_brief_bytes(key)
    except BriefError as exc:
        return _failed(key, exc.problems[0].message if exc.problems else "cannot read", checked_ns, st)
    try:
        st2 = os.stat(key)
        unstable = st2.st_size != len(data) or st2.st_mtime_ns != st.st_mtime_ns or st.st_size != len(data)
    except OSError:
        st2, unstable = st, True
    digest = hashlib.blake2b(data, digest_size=16).digest()
    fast = extract(data)
    if fast is not None:  # the common brief, without the reader's model (same fields)
        title, published, source, url, summary, tags, text, facts, facts_text = fast
        return (key, len(data), st2.st_mtime_ns, st2.st_ino, digest, checked_ns, "ok", title, published, source,
                url, summary, tags, [], text, facts, facts_text, unstable)
    problems: list[tuple] = []
    try:
        brief = parse_brief(data, key)
    except BriefError as exc:
        problems = [(p.line, p.col, p.severity, p.message) for p in exc.problems]
        q = quick_meta(data)
        title = q["title"] or _name_title(key)
        return (key, len(data), st2.st_mtime_ns, st2.st_ino, digest, checked_ns, "error", title, q["published"],
                q["source"], None, None, q["tags"], problems, "", [], "", unstable)
    title, published, source, url, summary, tags, text, facts, facts_text = brief_fields(brief)
    problems = [(p.line, p.col, p.severity, p.message) for p in brief.warnings]
    return (key, len(data), st2.st_mtime_ns, st2.st_ino, digest, checked_ns, "ok", title, published, source, url,
            summary, tags, problems, text, facts, facts_text, unstable)


def brief_fields(brief) -> tuple:
    """What the index keeps of a parsed brief: the fields briefing.index.fast.extract gives."""
    meta = brief.meta
    facts, facts_text = _fact_rows(brief)
    return (meta.title, meta.published.isoformat() if meta.published else None, meta.source, meta.url,
            meta.summary, list(meta.tags), brief.text, facts, facts_text)


def _failed(key: str, message: str, checked_ns: int, st: os.stat_result | None = None,
            size: int = 0, mtime: int = 0, ino: int = 0) -> tuple:
    if st is not None:
        size, mtime, ino = st.st_size, st.st_mtime_ns, st.st_ino
    return (key, size, mtime, ino, None, checked_ns, "error", _name_title(key), None, None, None, None, [],
            [(1, 1, "error", message)], "", [], "", False)


def _name_title(key: str) -> str:
    """A brief's file name as a title: file names come from other people too, so it is
    sanitised like any text of a brief (and cannot hold the listing's separators)."""
    from briefing.core.sanitize import sanitise_line

    return sanitise_line(os.path.basename(key)) or "(unnamed)"


def _total_size(keys: list[str]) -> int:
    total = 0
    for key in keys:
        try:
            total += os.stat(key).st_size
        except OSError:
            pass
    return total


def _parse_chunk(keys: list[str]) -> list[tuple]:
    return [parse_file(k) for k in keys]


def _slim(r: tuple) -> tuple:
    """A stored result without what only the database needed (text, facts, url, summary)."""
    return r[:R_URL] + (None, None) + r[R_TAGS:R_TEXT] + ("", [], "") + r[R_UNSTABLE:]


def _parse_and_store_chunk(db_path: str, keys: list[str], owners: dict[str, list[str]], bulk: bool) -> tuple:
    """In a worker: parse ``keys`` and store the results in one transaction of a connection
    of its own. Returns (the stored results, slimmed; their row ids; results not stored;
    seconds spent storing). Results that may come from a half-written file are not stored
    (the process that stores retries them); on a database error nothing is, and every result
    goes back to be stored there (which then sees the error, and recovers)."""
    results = [parse_file(k) for k in keys]
    keep, back = [], []
    for r in results:
        (back if _suspect(r) else keep).append(r)
    if not keep:
        return [], [], back, 0.0
    t0 = time.perf_counter()
    try:
        conn = sqlite3.connect(db_path, timeout=30, isolation_level=None)
        try:
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA cache_size=-32000")
            if bulk:
                conn.execute(f"PRAGMA wal_autocheckpoint={BULK_CHECKPOINT_PAGES}")
            conn.execute("BEGIN IMMEDIATE")
            try:
                bids = _store_rows(conn, keep, owners)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        finally:
            conn.close()
    except sqlite3.Error:
        return [], [], results, 0.0
    return [_slim(r) for r in keep], bids, back, time.perf_counter() - t0


def _stop_workers(pool: cf.ProcessPoolExecutor) -> None:
    """Stop the workers now: the tasks already handed to them would go on parsing and
    storing for up to a second (quitting the reader waits for them). A worker stopped in the
    middle of a transaction leaves nothing of it: SQLite rolls it back."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            process.terminate()
        except Exception:  # noqa: BLE001 - gone already
            pass


def _store_chunks(keys: list[str]) -> list[list[str]]:
    """Tasks for workers that store: the first small (the first screenful shows at once),
    then STORE_CHUNK_FILES, and the last ones small (what is left when the others are done
    is the only work then)."""
    first, tail = FIRST_BATCH_FILES, 16 * FIRST_BATCH_FILES  # (the last ~1,000 files)
    chunks, i, n = [], 0, len(keys)
    while i < n:
        size = first if i == 0 or n - i <= tail else STORE_CHUNK_FILES
        chunks.append(keys[i:i + size])
        i += size
    return chunks


def _worker_init() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Below the reader's process, which draws the screen: a key press never waits for a core
    # while the workers parse and store.
    try:
        os.nice(WORKER_NICE)
    except (AttributeError, OSError):
        pass
    # A worker of the reader shares its terminal: anything it printed (a warning) would land
    # in the middle of the screen. Results and errors travel back through the pool instead.
    for fd in (1, 2):
        try:
            if os.isatty(fd):
                null = os.open(os.devnull, os.O_WRONLY)
                os.dup2(null, fd)
                os.close(null)
        except OSError:
            pass
    import briefing.index.fast  # noqa: F401  (import once, before the first task; it imports the parser)
    import gc

    # Parsing makes many short-lived objects and few cycles: collecting less often, and never
    # looking at the modules again, makes a worker ~3% faster (its memory stays bounded by a task).
    gc.freeze()
    gc.set_threshold(WORKER_GC_THRESHOLD, 20, 20)


# Field positions in a parse result tuple.
R_KEY, R_SIZE, R_MTIME, R_INO, R_HASH, R_CHECKED, R_STATUS, R_TITLE, R_PUBLISHED, R_SOURCE, R_URL, R_SUMMARY, \
    R_TAGS, R_PROBLEMS, R_TEXT, R_FACTS, R_FACTS_TEXT, R_UNSTABLE = range(18)


def parser_fingerprint() -> str:
    """Changes whenever the code that turns a file into index rows changes."""
    here = Path(__file__).resolve().parent.parent  # the briefing package
    h = hashlib.blake2b(digest_size=12)
    h.update(f"schema {SCHEMA_VERSION}".encode())
    for name in ("core/parser.py", "core/markdown.py", "core/frontmatter.py", "core/facts.py", "core/model.py",
                 "core/sanitize.py", "core/dates.py", "core/problems.py", "index/__init__.py", "index/fast.py"):
        try:
            h.update((here / name).read_bytes())
        except OSError:
            h.update(name.encode())
    return h.hexdigest()


# ---------------------------------------------------------------------------- scanning


@dataclass(slots=True)
class _Found:
    key: str  # resolved path (or the link's own path when it is not followed)
    size: int
    mtime_ns: int
    ino: int
    problem: str | None = None


def _is_brief_name(name: str) -> bool:
    return not name.startswith(".") and name.lower().endswith(BRIEF_SUFFIXES)


NOT_UTF8_NAME = "the file name is not valid UTF-8: rename the file to open it"


def _storable(key: str) -> bool:
    """Can this path be stored as SQLite text? Not when the file system handed over bytes
    that are not UTF-8 (Python keeps them as lone surrogates)."""
    try:
        key.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _stored_key(key: str) -> str:
    """The path as it can be stored: undecodable bytes become U+FFFD (the row then only
    reports the problem; nothing can be opened under that name)."""
    if _storable(key):
        return key
    try:
        raw = key.encode("utf-8", "surrogateescape")  # the file system's own bytes
    except UnicodeEncodeError:
        raw = key.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "replace")


def _root_key(path: str | os.PathLike) -> str:
    # (A root whose name is not UTF-8 becomes a name that does not exist: a missing root.)
    return _stored_key(os.path.realpath(os.path.abspath(os.fspath(path))))


def scan_root(root: str | os.PathLike, follow_symlinks: bool = False,
              on_many: tuple[int, Callable[[], None]] | None = None) -> list[_Found] | None:
    """Every brief file under ``root`` (a folder or a file) with its stat, in path order;
    None if the root does not exist. The same choices as ``briefing.core.parser.iter_brief_paths``:
    only ``.md``/``.markdown``, hidden entries skipped, symlinks leading outside the
    folder reported and not followed unless asked. ``on_many`` (N, call): call, once, as
    soon as the folders listed so far hold N entries (before they are looked at)."""
    top = _root_key(root)
    try:
        st = os.stat(top)
    except OSError:
        return None
    if not stat_mod.S_ISDIR(st.st_mode):
        problem = None if stat_mod.S_ISREG(st.st_mode) else "not a regular file"
        return [_Found(top, st.st_size, st.st_mtime_ns, st.st_ino, problem)]
    found: list[_Found] = []
    visited = {(st.st_dev, st.st_ino)}
    prefix = top + os.sep
    listed = 0

    def walk(folder: str) -> None:
        try:
            with os.scandir(folder) as it:
                items = sorted(it, key=lambda e: e.name)
        except OSError:
            return
        nonlocal on_many, listed
        listed += len(items)
        if on_many is not None and listed >= on_many[0]:
            call, on_many = on_many[1], None
            call()
        subdirs: list[str] = []
        for e in items:
            name = e.name
            if name.startswith("."):
                continue
            try:
                is_link = e.is_symlink()
                if e.is_dir(follow_symlinks=False):
                    subdirs.append(e.path)
                    continue
                if is_link and follow_symlinks and e.is_dir():
                    real = os.path.realpath(e.path)
                    rst = os.stat(real)
                    if (rst.st_dev, rst.st_ino) not in visited:
                        visited.add((rst.st_dev, rst.st_ino))
                        subdirs.append(real)
                    continue
                if is_link and e.is_dir():
                    continue  # a linked folder is not entered unless asked (as os.walk does)
                if not name.lower().endswith(BRIEF_SUFFIXES):
                    continue
                if is_link:
                    try:
                        lst = e.stat(follow_symlinks=False)
                        target = os.path.realpath(e.path)
                        fst = os.stat(target)
                    except OSError:
                        found.append(_Found(_stored_key(os.path.abspath(e.path)), lst.st_size, lst.st_mtime_ns,
                                            lst.st_ino, "broken symlink"))
                        continue
                    if not follow_symlinks and not target.startswith(prefix):
                        found.append(_Found(_stored_key(os.path.abspath(e.path)), lst.st_size, lst.st_mtime_ns,
                                            lst.st_ino, "symlink leads outside the opened folder (not followed)"))
                        continue
                    key = target
                else:
                    fst = e.stat(follow_symlinks=False)
                    key = e.path
                if not _storable(key):
                    found.append(_Found(_stored_key(key), fst.st_size, fst.st_mtime_ns, fst.st_ino, NOT_UTF8_NAME))
                    continue
                found.append(_Found(key, fst.st_size, fst.st_mtime_ns, fst.st_ino,
                                    None if stat_mod.S_ISREG(fst.st_mode) else "not a regular file"))
            except OSError:
                continue
        for d in subdirs:
            walk(d)

    # Iterative over folders would need an explicit stack; folder depth is bounded by PATH_MAX.
    walk(top)
    return found


def _classify_path(path: str, roots: dict[str, bool]) -> tuple[list[str], _Found | None, bool]:
    """For one changed path: the roots it falls under, its _Found (None if gone or not a
    brief) and whether it is (or was) a folder."""
    under, found, is_dir = _classify_path_raw(path, roots)
    if found is not None and not _storable(found.key):
        found = _Found(_stored_key(found.key), found.size, found.mtime_ns, found.ino, NOT_UTF8_NAME)
    return under, found, is_dir


def _classify_path_raw(path: str, roots: dict[str, bool]) -> tuple[list[str], _Found | None, bool]:
    ap = os.path.abspath(path)
    under = [r for r in roots if ap == r or ap.startswith(r + os.sep)]
    if not under:
        # The path may name the root through a symlinked parent: try resolving it.
        rp = os.path.realpath(ap)
        under = [r for r in roots if rp == r or rp.startswith(r + os.sep)]
        if under:
            ap = rp
    if not under:
        return [], None, False
    try:
        lst = os.lstat(ap)
    except OSError:
        return under, None, not ap.lower().endswith(BRIEF_SUFFIXES)
    if stat_mod.S_ISDIR(lst.st_mode):
        return under, None, True
    root = under[0]
    rel = ap[len(root) + 1:] if ap != root else os.path.basename(ap)
    if ap != root and (any(part.startswith(".") for part in rel.split(os.sep)) or not _is_brief_name(os.path.basename(ap))):
        return under, None, False
    if stat_mod.S_ISLNK(lst.st_mode):
        try:
            target = os.path.realpath(ap)
            fst = os.stat(target)
        except OSError:
            return under, _Found(ap, lst.st_size, lst.st_mtime_ns, lst.st_ino, "broken symlink"), False
        if stat_mod.S_ISDIR(fst.st_mode):
            return under, None, True
        if not roots[root] and ap != root and not target.startswith(root + os.sep):
            return under, _Found(ap, lst.st_size, lst.st_mtime_ns, lst.st_ino,
                                 "symlink leads outside the opened folder (not followed)"), False
        return under, _Found(target, fst.st_size, fst.st_mtime_ns, fst.st_ino), False
    key = os.path.realpath(ap)
    return under, _Found(key, lst.st_size, lst.st_mtime_ns, lst.st_ino,
                         None if stat_mod.S_ISREG(lst.st_mode) else "not a regular file"), False


# ---------------------------------------------------------------------------- queries


_WORD_RE = re.compile(r"[^\W_]+")
_QUERY_TOKEN_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def fts_query(text: str, prefix: bool = True) -> str | None:
    """The user's words as an FTS5 query: every word must match (AND); "quoted words" are a
    phrase; -word excludes; the last word also matches as a prefix (search as you type)
    unless the text ends with a space. None when there is nothing to search for."""
    pos: list[str] = []
    neg: list[str] = []
    matches = list(_QUERY_TOKEN_RE.finditer(text))
    for i, m in enumerate(matches):
        if m.group(3) is not None:
            raw = m.group(3)
            negate = raw.startswith("-") and len(raw) > 1
            words = _WORD_RE.findall(raw[1:] if negate else raw)
            quoted = False
        else:
            negate = bool(m.group(1))
            words = _WORD_RE.findall(m.group(2))
            quoted = True
        if not words:
            continue
        phrase = '"' + " ".join(w.replace('"', '""') for w in words) + '"'
        last = i == len(matches) - 1
        # (A one-letter prefix would match nearly every word of every brief: not worth it.)
        if prefix and last and not quoted and not negate and not text[-1:].isspace() and len(words[-1]) > 1:
            phrase += " *"
        (neg if negate else pos).append(phrase)
    if not pos:
        return None
    query = " AND ".join(pos)
    if neg:
        query = f"({query}) NOT ({' OR '.join(neg)})"
    return query


def _unmark(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Text with MARK_OPEN/MARK_CLOSE around matches -> plain text and match offsets."""
    if MARK_OPEN not in marked:
        return marked.replace("\n", " "), ()
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    start = -1
    pos = 0
    for m in re.finditer("[\x01\x02]", marked):
        piece = marked[pos:m.start()]
        out.append(piece)
        length += len(piece)
        if m.group() == MARK_OPEN:
            start = length
        elif start >= 0:
            if length > start:
                spans.append((start, length))
            start = -1
        pos = m.end()
    out.append(marked[pos:])
    return "".join(out).replace("\n", " "), tuple(spans)


_ENTRY_COLS = "b.id, b.path, b.listing"
LISTING_SEP = "\x1e"


def _listing(title: str, published: str | None, source: str | None, tags: str, status: str, error_count: int,
             first_error: str | None, mtime_ns: int, warning_count: int, size: int) -> str:
    """The same text as the ``listing`` column SQLite generates."""
    return LISTING_SEP.join((title, published or "", source or "", tags, status, str(error_count), first_error or "",
                             str(mtime_ns), str(warning_count), str(size)))


def _entry(row: Sequence) -> Entry:
    return Entry(row)


FactFilter = tuple[str, str] | str


# ---------------------------------------------------------------------------- storing


def _problem_counts(problems: list[tuple]) -> tuple[int, int, str | None]:
    """(errors, warnings, the first error as "LINE:COL: message") of a result's problems."""
    errors = [p for p in problems if p[2] == "error"]
    first = f"{errors[0][0]}:{errors[0][1]}: {errors[0][3]}" if errors else None
    return len(errors), len(problems) - len(errors), first


_BRIEF_COLS = ("size", "mtime_ns", "ino", "hash", "checked_ns", "status", "title", "published", "source", "tags",
               "error_count", "warning_count", "first_error")
_UPDATE_BRIEF = f"UPDATE briefs SET {', '.join(c + '=?' for c in _BRIEF_COLS)} WHERE path = ? RETURNING id"
_INSERT_BRIEF = f"INSERT INTO briefs({', '.join(_BRIEF_COLS)}, path) VALUES({', '.join('?' * (len(_BRIEF_COLS) + 1))})"


def _store_rows(conn: sqlite3.Connection, results: list[tuple], owners: dict[str, list[str]]) -> list[int]:
    """Write parse results (in the caller's transaction); their row ids, in order. Runs in
    the process that stores, or in a worker (see _parse_and_store_chunk)."""
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
        fact_rows.extend((bid, seq) + f for seq, f in enumerate(r[R_FACTS]))
        tag_rows.extend((t.casefold(), bid) for t in dict.fromkeys(r[R_TAGS]))
    conn.executemany("DELETE FROM facts WHERE brief_id = ?", old_ids)
    conn.executemany("DELETE FROM tags WHERE brief_id = ?", old_ids)
    # OR REPLACE: a changed brief's old text goes; so does a row another process
    # wrote for a path that was new when this refresh began.
    conn.executemany("INSERT OR REPLACE INTO fts(rowid, title, text, facts) VALUES(?, ?, ?, ?)", fts_rows)
    conn.executemany("INSERT OR REPLACE INTO details(id, url, summary, problems) VALUES(?, ?, ?, ?)", detail_rows)
    if fact_rows:
        conn.executemany("INSERT INTO facts(brief_id, seq, type, match, label, key) VALUES(?, ?, ?, ?, ?, ?)",
                         fact_rows)
    if tag_rows:
        conn.executemany("INSERT OR IGNORE INTO tags(tag, brief_id) VALUES(?, ?)", tag_rows)
    if member_rows:
        conn.executemany("INSERT OR IGNORE INTO members(root, brief_id) VALUES(?, ?)", member_rows)
    return bids


# ---------------------------------------------------------------------------- the index


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
    PRIMARY KEY(brief_id, seq)
) WITHOUT ROWID;
CREATE INDEX facts_match ON facts(type, match);
CREATE TABLE members(root TEXT NOT NULL, brief_id INTEGER NOT NULL, PRIMARY KEY(root, brief_id)) WITHOUT ROWID;
CREATE INDEX members_brief ON members(brief_id);
-- A prefix index for two-letter prefixes only: longer ones find their few terms as fast
-- without one (measured over 10,000 briefs), and each prefix index makes FTS writing ~1/3 slower.
CREATE VIRTUAL TABLE fts USING fts5(title, text, facts, tokenize='unicode61 remove_diacritics 2', prefix='2');
INSERT INTO fts(fts, rank) VALUES('rank', 'bm25({", ".join(str(w) for w in BM25_WEIGHTS)})');
"""
_TABLES = {"info", "briefs", "details", "tags", "facts", "members", "fts"}


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


def _is_corruption(exc: BaseException) -> bool:
    if isinstance(exc, UnicodeDecodeError):  # text read from a damaged page
        return True
    if not isinstance(exc, sqlite3.DatabaseError) or isinstance(exc, sqlite3.IntegrityError):
        return False
    text = str(exc).lower()
    return any(m in text for m in _CORRUPT_MARKERS) or type(exc) is sqlite3.DatabaseError


class Index:
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
        self._fingerprint = parser_fingerprint()

    # -- opening, checking, recovering

    @classmethod
    def open(cls, data_dir: str | os.PathLike | None = None, workers: int | None = None) -> "Index":
        folder = Path(data_dir) if data_dir is not None else default_data_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            probe = folder / DB_NAME
            if not os.access(folder, os.W_OK) or (probe.exists() and not os.access(probe, os.W_OK)):
                raise PermissionError(f"{folder} is not writable")
        except OSError as exc:
            import tempfile

            fallback = Path(tempfile.gettempdir()) / f"briefing-{os.getuid() if hasattr(os, 'getuid') else 'user'}"
            fallback.mkdir(parents=True, exist_ok=True)
            index = cls(fallback / DB_NAME, workers)
            index.notices.append(f"cannot write the index in {folder} ({exc}); using {fallback}")
        else:
            index = cls(folder / DB_NAME, workers)
        index._prepare()
        return index

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
                if not _is_corruption(exc):
                    raise
                self._recover(f"corrupt ({exc})")

    def _inspect(self) -> str | None:
        """None if the file is absent, empty or ours; 'rebuild' for our own older schema;
        otherwise why it must be moved aside."""
        p = self.db_path
        try:
            with open(p, "rb") as fh:
                head = fh.read(100)
        except FileNotFoundError:
            return None
        except OSError as exc:
            return f"unreadable ({exc.strerror or exc})"
        if not head:
            return None
        if not head.startswith(SQLITE_MAGIC):
            return "not an SQLite database"
        try:
            conn = sqlite3.connect(f"file:{p}?mode=ro", uri=True, timeout=10)
            try:
                app_id = conn.execute("PRAGMA application_id").fetchone()[0]
                version = conn.execute("PRAGMA user_version").fetchone()[0]
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
        stamp = time.strftime("%Y%m%d-%H%M%S")
        kind = "foreign" if reason == "foreign" else "corrupt"
        target = self.db_path.with_name(f"{self.db_path.name}.{kind}-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = self.db_path.with_name(f"{self.db_path.name}.{kind}-{stamp}-{n}")
        moved = False
        for suffix in ("", "-wal", "-shm", "-journal"):
            src = Path(str(self.db_path) + suffix)
            if src.exists():
                os.replace(src, Path(str(target) + suffix))
                moved = moved or suffix == ""
        if moved:
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
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
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
                    conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
                    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
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
            if _is_corruption(exc):
                self._recover(f"corrupt ({exc})")
            elif not (isinstance(exc, sqlite3.ProgrammingError) and self._generation != generation):
                raise
            return fn(*args, **kwargs)

    # -- connections

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is not None and self._local.generation == self._generation:
            return conn
        conn = sqlite3.connect(self.db_path, timeout=30, isolation_level=None, check_same_thread=False)
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

    # -- refreshing

    def refresh(self, paths: Iterable[str | os.PathLike], follow_symlinks: bool = False,
                progress: Callable[[int, int, Entry | None], None] | None = None,
                cancel: threading.Event | None = None, workers: int | None = None) -> RefreshStats:
        """Bring the cache up to date with the briefs under ``paths`` (files or folders).

        Stats every file, re-parses new and changed ones (in ``workers`` processes when
        there are many), forgets files that are gone. ``progress(done, total, entry)`` is
        called (on this thread) after each parsed brief has been committed, so
        ``entries()`` already shows it; ``done == total`` at the end. With many new files
        they are first listed (status ``pending``) from a quick look at their front
        matter, then parsed. ``cancel`` stops early, keeping what was committed.
        """
        paths = list(paths)
        with self._refresh_lock:
            generation = self._generation
            try:
                return self._refresh(paths, follow_symlinks, progress, cancel, workers)
            except sqlite3.DatabaseError as exc:
                if _is_corruption(exc):
                    self._recover(f"corrupt ({exc})")
                elif not (isinstance(exc, sqlite3.ProgrammingError) and self._generation != generation):
                    raise
                return self._refresh(paths, follow_symlinks, progress, cancel, workers)

    def _refresh(self, paths, follow_symlinks, progress, cancel, workers) -> RefreshStats:
        t0 = time.perf_counter()
        stats = RefreshStats()
        if not self._verified:
            self.verify()
        conn = self._conn()
        roots: dict[str, bool] = {}
        for p in paths:
            roots.setdefault(_root_key(p), follow_symlinks)
        self._roots.update(roots)

        # 1. stat everything
        found: dict[str, _Found] = {}
        owners: dict[str, list[str]] = {}
        missing: list[str] = []
        parsers = self.workers if workers is None else workers
        for root, follow in roots.items():
            # A folder new to the index: if it is large, the forkserver (which imports the
            # parser, ~0.15 s) starts while the scan goes on, not after it.
            on_many = None
            if parsers > 1 and conn.execute("SELECT 1 FROM members WHERE root = ? LIMIT 1", (root,)).fetchone() is None:
                on_many = (POOL_MIN_FILES, _prestart_pool)
            items = scan_root(root, follow, on_many)
            if items is None:
                missing.append(root)
                continue
            for f in items:
                found.setdefault(f.key, f)
                own = owners.setdefault(f.key, [])
                if root not in own:
                    own.append(root)
        stats.missing_roots = missing
        stats.files = len(found)

        # 2. compare with the cache
        rows = {r[1]: r for r in conn.execute(
            "SELECT id, path, size, mtime_ns, ino, hash, checked_ns, status, first_error FROM briefs")}
        to_parse: list[str] = []
        problem_rows: list[_Found] = []
        touched: list[tuple[int, int]] = []  # (checked_ns, id): racy but unchanged
        for key, f in found.items():
            row = rows.get(key)
            if f.problem is not None:
                if (row is None or row[7] != "error" or row[2] != f.size or row[3] != f.mtime_ns
                        or row[8] != f"1:1: {f.problem}"):
                    problem_rows.append(f)
                else:
                    stats.unchanged += 1
                continue
            if row is None or row[7] == "pending" or row[2] != f.size or row[3] != f.mtime_ns:
                to_parse.append(key)
                continue
            if row[4] != f.ino or f.mtime_ns >= row[6] - RACY_NS:
                stats.hashed += 1
                now = time.time_ns()
                digest = _hash_file(key)
                if digest is None or digest != row[5]:
                    to_parse.append(key)
                    continue
                touched.append((now, row[0]))
            stats.unchanged += 1
        stats.scan_seconds = time.perf_counter() - t0

        # 3. forget what is gone from the refreshed roots
        with self._tx(conn):
            if touched:
                conn.executemany("UPDATE briefs SET checked_ns = ? WHERE id = ?", touched)
            gone_ids: set[int] = set()
            id_of = {r[1]: r[0] for r in rows.values()}
            found_ids = {id_of[k] for k in found if k in id_of}
            for root in roots:
                members = {r[0] for r in conn.execute("SELECT brief_id FROM members WHERE root = ?", (root,))}
                lost = members - found_ids
                if lost:
                    conn.executemany("DELETE FROM members WHERE root = ? AND brief_id = ?", [(root, i) for i in lost])
                    gone_ids |= lost
                new_members = [(root, id_of[k]) for k, owners_of in owners.items() if root in owners_of and k in id_of
                               and id_of[k] not in members]
                if new_members:
                    conn.executemany("INSERT OR IGNORE INTO members(root, brief_id) VALUES(?, ?)", new_members)
            removed = self._delete_orphans(conn, gone_ids)
        path_of = {r[0]: r[1] for r in rows.values()}
        for i in removed:
            stats.changes.append(Change("removed", path_of[i], None))
        stats.removed = len(removed)

        # 4. rows for files that cannot be read at all (broken or outside symlinks)
        if problem_rows:
            now = time.time_ns()
            results = [_failed(f.key, f.problem or "", now, size=f.size, mtime=f.mtime_ns, ino=f.ino)
                       for f in problem_rows]
            self._write(conn, results, owners, rows, stats, None, 0, 0)

        # 5. parse what is new or changed
        total = len(to_parse)
        if total:
            new_keys = [k for k in to_parse if k not in rows]

            def first() -> None:  # run while the workers start (they take ~0.15 s)
                if len(new_keys) >= QUICK_MIN_FILES:
                    self._quick_list(conn, new_keys, owners, rows)
                if progress:
                    progress(0, total, None)

            self._parse_all(conn, to_parse, owners, rows, stats, progress, cancel, parsers, first)
        elif progress:
            progress(0, 0, None)
        stats.seconds = time.perf_counter() - t0
        return stats

    def _quick_list(self, conn, keys: list[str], owners: dict[str, list[str]], rows: dict) -> None:
        """Insert 'pending' rows for many new files from a glance at their front matter."""
        pending = []
        now = time.time_ns()
        for key in keys:
            try:
                with open(key, "rb") as fh:
                    data = fh.read(16384)
                st = os.stat(key)
            except OSError:
                continue
            q = quick_meta(data)
            pending.append((key, st.st_size, st.st_mtime_ns, st.st_ino, now, q["title"] or os.path.basename(key),
                            q["published"], q["source"], TAG_SEP.join(q["tags"])))
        with self._tx(conn):
            for row in pending:
                cur = conn.execute(
                    "INSERT INTO briefs(path, size, mtime_ns, ino, checked_ns, status, title, published, source, tags) "
                    "VALUES(?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?) ON CONFLICT(path) DO NOTHING RETURNING id", row)
                got = cur.fetchone()
                if got is None:
                    continue
                rows[row[0]] = (got[0], row[0], row[1], row[2], row[3], None, now, "pending", None)
                conn.executemany("INSERT OR IGNORE INTO members(root, brief_id) VALUES(?, ?)",
                                 [(r, got[0]) for r in owners.get(row[0], [])])

    def _parse_all(self, conn, keys: list[str], owners, rows, stats: RefreshStats, progress, cancel,
                   workers: int, first: Callable[[], None]) -> None:
        """Parse and store ``keys``. ``first`` runs before any result is stored: while the
        workers are asked for their first chunks, so that it overlaps their start."""
        bulk = len(keys) >= BULK_MIN_FILES
        if bulk:
            conn.execute(f"PRAGMA wal_autocheckpoint={BULK_CHECKPOINT_PAGES}")
        try:
            self._parse_and_store(conn, keys, owners, rows, stats, progress, cancel, workers, first)
        finally:
            if bulk:
                # Back to SQLite's default, and the WAL emptied now: reads through a WAL of
                # tens of MB are slower.
                conn.execute("PRAGMA wal_autocheckpoint=1000")
                conn.execute("PRAGMA busy_timeout=500")  # (a busy reader: a later commit does it)
                try:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
                finally:
                    conn.execute("PRAGMA busy_timeout=30000")

    def _parse_and_store(self, conn, keys: list[str], owners, rows, stats: RefreshStats, progress, cancel,
                         workers: int, first: Callable[[], None]) -> None:
        total = len(keys)
        done = 0
        batch: list[tuple] = []
        last = time.perf_counter()
        retry: list[tuple] = []

        seen: set[str] = set()

        def take(results: list[tuple], now: bool = False) -> None:
            nonlocal done, last, batch
            for r in results:
                seen.add(r[R_KEY])
                if _suspect(r):
                    retry.append(r)
                else:
                    batch.append(r)
            # The first batch small: the first screenful shows at once.
            limit = BATCH_FILES if done else min(BATCH_FILES, FIRST_BATCH_FILES)
            if len(batch) >= limit or (batch and (now or time.perf_counter() - last >= BATCH_SECONDS)):
                done = self._write(conn, batch, owners, rows, stats, progress, done, total)
                batch = []
                last = time.perf_counter()

        def stored(slim: list[tuple], bids: list[int], seconds: float) -> None:  # by a worker
            nonlocal done
            seen.update(r[R_KEY] for r in slim)
            stats.write_seconds += seconds
            done = self._report(slim, bids, rows, stats, progress, done, total)

        use_pool = workers > 1 and (total >= POOL_MIN_FILES or _total_size(keys) >= POOL_MIN_BYTES)
        pending_keys = list(keys)
        started = False

        def start() -> None:
            nonlocal started
            if not started:
                started = True
                first()

        if use_pool:
            try:
                self._parse_in_pool(keys, workers, take, stored, owners, cancel, stats, start)
            except Exception:  # noqa: BLE001 - no pool here (sandbox, no /dev/shm...): parse in-process
                stats.workers = 0
            pending_keys = [] if stats.cancelled else [k for k in keys if k not in seen]
        start()
        for i in range(0, len(pending_keys), CHUNK_FILES):
            if cancel is not None and cancel.is_set():
                stats.cancelled = True
                break
            take(_parse_chunk(pending_keys[i:i + CHUNK_FILES]))
        if batch:
            done = self._write(conn, batch, owners, rows, stats, progress, done, total)
        if retry and not stats.cancelled:
            done = self._write(conn, _settle(retry, stats), owners, rows, stats, progress, done, total)

    def _parse_in_pool(self, keys: list[str], workers: int, take, stored, owners: dict[str, list[str]], cancel,
                       stats: RefreshStats, start: Callable[[], None]) -> None:
        """Parse and store in worker processes, feeding what they stored to ``stored`` and
        what they did not to ``take`` (with what this process parses while the pool starts);
        ``start`` runs while the first tasks are being given, before anything is stored. (If
        the pool breaks, the caller parses what was not taken.)"""
        ctx = _mp_context()
        bulk = len(keys) >= BULK_MIN_FILES
        db = str(self.db_path)
        stats.workers = workers

        def task(pool, chunk: list[str]) -> cf.Future:
            mine = {k: owners[k] for k in chunk if k in owners}
            return pool.submit(_parse_and_store_chunk, db, chunk, mine, bulk)

        with cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init) as pool:
            chunks = collections.deque(_store_chunks(keys))
            mine = [chunks.popleft()] if len(chunks) > 1 else []
            ahead = [chunks.popleft() for _ in range(min(len(chunks), workers * STORE_INFLIGHT_PER_WORKER))]
            inflight: dict[cf.Future, list[str]] = {}
            failed: list[BaseException] = []

            def submit_ahead() -> None:
                try:
                    for chunk in ahead:
                        inflight[task(pool, chunk)] = chunk
                except BaseException as exc:  # noqa: BLE001 - raised again below
                    failed.append(exc)

            # The first tasks are handed over once the pool has started, which takes ~0.15 s
            # on a first start (the forkserver imports the parser), one core busy. Meanwhile
            # this process parses the first chunk itself (the first screenful), then chunks
            # from the end, on the other core.
            helper = threading.Thread(target=submit_ahead, name="briefing-pool-start", daemon=True)
            helper.start()
            start()
            while mine or (helper.is_alive() and chunks):
                if cancel is not None and cancel.is_set():
                    break
                take(_parse_chunk(mine.pop() if mine else chunks.pop()), now=True)
            helper.join()
            if failed:
                raise failed[0]
            it = iter(chunks)
            while inflight or (cancel is not None and cancel.is_set()):
                done_set: set = set()
                if cancel is None or not cancel.is_set():
                    done_set, _ = cf.wait(inflight, return_when=cf.FIRST_COMPLETED, timeout=0.5)
                if cancel is not None and cancel.is_set():
                    stats.cancelled = True
                    # (Not fut.cancel(): the pool, broken by the stop, then fails every pending
                    # future itself, and Python 3.11 raises in its thread for a cancelled one.)
                    _stop_workers(pool)
                    pool.shutdown(wait=False)
                    return
                for fut in done_set:
                    inflight.pop(fut)
                    slim, bids, back, seconds = fut.result()
                    if slim:
                        stored(slim, bids, seconds)
                    if back:
                        take(back)
                    nxt = next(it, None)
                    if nxt is not None:
                        inflight[task(pool, nxt)] = nxt

    def _write(self, conn, results: list[tuple], owners: dict[str, list[str]], rows: dict, stats: RefreshStats,
               progress, done: int, total: int) -> int:
        """Store parse results in one transaction; report each to ``progress``."""
        if not results:
            return done
        t0 = time.perf_counter()
        with self._tx(conn):
            bids = _store_rows(conn, results, owners)
        stats.write_seconds += time.perf_counter() - t0
        return self._report(results, bids, rows, stats, progress, done, total)

    def _report(self, results: list[tuple], bids: list[int], rows: dict, stats: RefreshStats, progress, done: int,
                total: int) -> int:
        """Count stored results and report each to ``progress``."""
        for bid, r in zip(bids, results):
            key = r[R_KEY]
            old = rows.get(key)
            kind = "added" if old is None or old[7] == "pending" else "changed"
            rows[key] = (bid, key, r[R_SIZE], r[R_MTIME], r[R_INO], r[R_HASH], r[R_CHECKED], r[R_STATUS], None)
            entry = self._entry_from_result(bid, r)
            if r[R_HASH] is not None:
                stats.parsed += 1
                stats.bytes_parsed += r[R_SIZE]
            stats.errors += r[R_STATUS] == "error"
            if kind == "added":
                stats.added += 1
            else:
                stats.changed += 1
            stats.changes.append(Change(kind, key, entry))
            done += 1
            if progress:
                progress(done, max(total, done), entry)
        return done

    @staticmethod
    def _entry_from_result(bid: int, r: tuple) -> Entry:
        errors, warnings, first = _problem_counts(r[R_PROBLEMS])
        return Entry((bid, r[R_KEY], _listing(r[R_TITLE], r[R_PUBLISHED], r[R_SOURCE], TAG_SEP.join(r[R_TAGS]),
                                              r[R_STATUS], errors, first, r[R_MTIME], warnings, r[R_SIZE])))

    def _delete_orphans(self, conn, candidates: Iterable[int]) -> list[int]:
        """Delete briefs (among candidates) that no refreshed root lists any more."""
        ids = [i for i in candidates
               if conn.execute("SELECT 1 FROM members WHERE brief_id = ? LIMIT 1", (i,)).fetchone() is None]
        if ids:
            params = [(i,) for i in ids]
            conn.executemany("DELETE FROM fts WHERE rowid = ?", params)
            conn.executemany("DELETE FROM facts WHERE brief_id = ?", params)
            conn.executemany("DELETE FROM tags WHERE brief_id = ?", params)
            conn.executemany("DELETE FROM details WHERE id = ?", params)
            conn.executemany("DELETE FROM briefs WHERE id = ?", params)
        return ids

    def forget(self, roots: Iterable[str | os.PathLike]) -> int:
        """Drop the cached lists of ``roots`` and every brief no other root lists (a folder
        the user will not open again). Returns how many briefs were dropped."""
        keys = list(dict.fromkeys(_root_key(r) for r in roots))
        with self._refresh_lock:
            conn = self._conn()
            with self._tx(conn):
                ids: set[int] = set()
                for key in keys:
                    ids |= {r[0] for r in conn.execute("SELECT brief_id FROM members WHERE root = ?", (key,))}
                    conn.execute("DELETE FROM members WHERE root = ?", (key,))
                    self._roots.pop(key, None)
                return len(self._delete_orphans(conn, ids))

    def refresh_paths(self, changed: Iterable[str | os.PathLike]) -> list[Change]:
        """Update the cache for paths reported changed (by ``briefing.index.watch.watch_briefs``) under
        the roots of earlier ``refresh`` calls; return what was added, changed or removed.

        A file caught half-written (its size changed while it was read, or it fails to
        parse and was modified in the last two seconds) is read again after a short pause,
        a few times, before it is stored as broken. A changed folder rescans its root.
        """
        if not self._roots:
            return []
        with self._refresh_lock:
            try:
                return self._refresh_paths(changed)
            except sqlite3.DatabaseError as exc:
                if not _is_corruption(exc):
                    raise
                self._recover(f"corrupt ({exc})")
                return self._refresh(list(self._roots), False, None, None, 1).changes

    def _refresh_paths(self, changed: Iterable[str | os.PathLike]) -> list[Change]:
        conn = self._conn()
        roots = dict(self._roots)
        rescan: set[str] = set()
        files: dict[str, _Found] = {}
        owners: dict[str, list[str]] = {}
        gone: list[tuple[list[str], str]] = []
        for p in changed:
            under, f, is_dir = _classify_path(os.fspath(p), roots)
            if not under:
                continue
            if is_dir:
                rescan.update(under)
            elif f is not None:
                files[f.key] = f
                owners[f.key] = under
            elif not os.path.lexists(p):
                gone.append((under, os.path.abspath(p)))
        changes: list[Change] = []
        if rescan:
            for root in sorted(rescan):
                # ``_refresh`` takes the roots' own follow_symlinks setting.
                st = self._refresh([root], roots[root], None, None, None)
                changes.extend(st.changes)
            files = {k: f for k, f in files.items() if not any(r in rescan for r in owners[k])}
        stats = RefreshStats()
        if gone:
            with self._tx(conn):
                ids: dict[int, str] = {}
                for under, ap in gone:
                    keys = {_stored_key(ap), _stored_key(os.path.realpath(ap))}
                    for key in keys:
                        row = conn.execute("SELECT id FROM briefs WHERE path = ?", (key,)).fetchone()
                        if row is None:
                            continue
                        for root in under:
                            conn.execute("DELETE FROM members WHERE root = ? AND brief_id = ?", (root, row[0]))
                        ids[row[0]] = key
                for i in self._delete_orphans(conn, ids):
                    changes.append(Change("removed", ids[i], None))
        if files:
            rows = {}
            for key in files:
                r = conn.execute("SELECT id, path, size, mtime_ns, ino, hash, checked_ns, status, first_error FROM briefs "
                                 "WHERE path = ?", (key,)).fetchone()
                if r is not None:
                    rows[key] = r
            todo, problem_results = [], []
            for key, f in files.items():
                row = rows.get(key)
                if f.problem is not None:
                    problem_results.append(_failed(f.key, f.problem, time.time_ns(), size=f.size, mtime=f.mtime_ns,
                                                   ino=f.ino))
                elif (row is None or row[7] == "pending" or row[2] != f.size or row[3] != f.mtime_ns or row[4] != f.ino
                      or f.mtime_ns >= row[6] - RACY_NS):
                    todo.append(key)
                elif conn.execute("SELECT 1 FROM members WHERE brief_id = ? AND root IN (%s)" % ",".join("?" * len(owners[key])),
                                  (row[0], *owners[key])).fetchone() is None:
                    with self._tx(conn):  # known file, newly under this root
                        conn.executemany("INSERT OR IGNORE INTO members(root, brief_id) VALUES(?, ?)",
                                         [(r, row[0]) for r in owners[key]])
            if problem_results:
                self._write(conn, problem_results, owners, rows, stats, None, 0, 0)
            results, suspects = [], []
            for key in todo:
                r = parse_file(key)
                (suspects if _suspect(r) else results).append(r)
            results += _settle(suspects, stats)
            kept = []
            for r in results:
                key = r[R_KEY]
                old = rows.get(key)
                if old is not None and r[R_HASH] is not None and r[R_HASH] == old[5] and old[7] != "pending":
                    # Same bytes as before (touched, or a racy re-check): only remember the stat.
                    with self._tx(conn):
                        conn.execute("UPDATE briefs SET size=?, mtime_ns=?, ino=?, checked_ns=? WHERE id=?",
                                     (r[R_SIZE], r[R_MTIME], r[R_INO], r[R_CHECKED], old[0]))
                        conn.executemany("INSERT OR IGNORE INTO members(root, brief_id) VALUES(?, ?)",
                                         [(root, old[0]) for root in owners[key]])
                    continue
                kept.append(r)
            self._write(conn, kept, owners, rows, stats, None, 0, 0)
        changes.extend(stats.changes)
        return changes

    # -- reading

    def _root_clause(self, roots: Iterable[str | os.PathLike] | None) -> tuple[str, list]:
        if roots is None:
            return "1", []
        keys = list(dict.fromkeys(_root_key(r) for r in roots))
        if not keys:
            return "0", []
        conn = self._conn()
        if len(keys) == 1:
            clause = "EXISTS (SELECT 1 FROM members m WHERE m.root = ? AND m.brief_id = b.id)"
            listed = conn.execute("SELECT count(*) FROM members WHERE root = ?", keys).fetchone()[0]
        else:
            marks = ",".join("?" * len(keys))
            clause = f"EXISTS (SELECT 1 FROM members m WHERE m.root IN ({marks}) AND m.brief_id = b.id)"
            listed = conn.execute(f"SELECT count(DISTINCT brief_id) FROM members WHERE root IN ({marks})",
                                  keys).fetchone()[0]
        # Usually the roots hold every cached brief: then there is nothing to filter out
        # (members only ever name existing briefs), which halves the time of a full list.
        if listed == conn.execute("SELECT count(*) FROM briefs").fetchone()[0]:
            return "1", []
        return clause, keys

    def _filters(self, roots, fact, tag, date_from, date_to, status) -> tuple[list[str], list]:
        clause, params = self._root_clause(roots)
        where, args = [clause], list(params)
        facts = [fact] if isinstance(fact, (str, tuple)) else list(fact or [])
        for f in facts:
            if isinstance(f, tuple):
                kind, name = f
                where.append("b.id IN (SELECT brief_id FROM facts WHERE type = ? AND match = ?)")
                args += [kind, name.casefold()]
            else:
                where.append("b.id IN (SELECT brief_id FROM facts WHERE key = ?)")
                args.append(f)
        tags = [tag] if isinstance(tag, str) else list(tag or [])
        for t in tags:
            where.append("b.id IN (SELECT brief_id FROM tags WHERE tag = ?)")
            args.append(t.casefold())
        if date_from is not None:
            where.append("b.published >= ?")
            args.append(date_from.isoformat() if isinstance(date_from, dt.date) else str(date_from))
        if date_to is not None:
            where.append("b.published <= ?")
            args.append(date_to.isoformat() if isinstance(date_to, dt.date) else str(date_to))
        if status is not None:
            where.append("b.status = ?")
            args.append(status)
        return where, args

    _ORDERS = {
        "path": "b.path",
        "published": "b.published IS NULL, b.published, b.path",
        "-published": "b.published IS NULL, b.published DESC, b.path",
        "title": "b.title COLLATE NOCASE, b.path",
    }

    def entries(self, roots: Iterable[str | os.PathLike] | None = None, *, fact: FactFilter | list | None = None,
                tag: str | list[str] | None = None, date_from: dt.date | str | None = None,
                date_to: dt.date | str | None = None, query: str | None = None, status: str | None = None,
                order: str = "path", limit: int | None = None) -> list[Entry]:
        """The briefs under ``roots`` (as given to ``refresh``; None: every cached brief)
        that pass every filter given: ``fact`` = (type, name or value) or a fact key (or a
        list of them, all required), ``tag``, ``published`` within [date_from, date_to],
        ``status`` (ok/error/pending) and ``query`` (then ranked by relevance, not ``order``).
        ``order``: path, published, -published or title."""
        return self._guard(self._entries, roots, fact, tag, date_from, date_to, query, status, order, limit)

    def _entries(self, roots, fact, tag, date_from, date_to, query, status, order, limit) -> list[Entry]:
        where, args = self._filters(roots, fact, tag, date_from, date_to, status)
        match = fts_query(query) if query else None
        if query and match is None:
            match = None  # nothing searchable typed: no filtering by query
        lim = f" LIMIT {int(limit)}" if limit is not None else ""
        if match:
            sql = (f"SELECT {_ENTRY_COLS} FROM fts JOIN briefs b ON b.id = fts.rowid "
                   f"WHERE fts MATCH ? AND {' AND '.join(where)} ORDER BY fts.rank{lim}")
            args = [match] + args
        else:
            # In path order the covering index answers alone (no row is read): 10,000 in ~20 ms.
            hint = " INDEXED BY briefs_list" if order == "path" else ""
            sql = (f"SELECT {_ENTRY_COLS} FROM briefs b{hint} WHERE {' AND '.join(where)} "
                   f"ORDER BY {self._ORDERS[order]}{lim}")
        return [_entry(r) for r in self._conn().execute(sql, args)]

    def count(self, roots: Iterable[str | os.PathLike] | None = None, **filters) -> int:
        """How many briefs under ``roots`` (pass the same filters as ``entries`` for the
        shown count; none for the total)."""
        return self._guard(self._count, roots, filters)

    def _count(self, roots, filters) -> int:
        query = filters.pop("query", None)
        where, args = self._filters(roots, filters.get("fact"), filters.get("tag"), filters.get("date_from"),
                                    filters.get("date_to"), filters.get("status"))
        match = fts_query(query) if query else None
        if match:
            sql = f"SELECT count(*) FROM fts JOIN briefs b ON b.id = fts.rowid WHERE fts MATCH ? AND {' AND '.join(where)}"
            args = [match] + args
        else:
            sql = f"SELECT count(*) FROM briefs b WHERE {' AND '.join(where)}"
        return self._conn().execute(sql, args).fetchone()[0]

    def search(self, query: str, roots: Iterable[str | os.PathLike] | None = None, limit: int = 200, *,
               fact: FactFilter | list | None = None, tag: str | list[str] | None = None,
               date_from: dt.date | str | None = None, date_to: dt.date | str | None = None,
               snippet_words: int = 16, prefix: bool = True) -> list[Hit]:
        """Full-text search of title, text and facts, best first (bm25; a title match
        weighs most). See ``fts_query`` for the query language. Each hit has a snippet of
        the text as plain text with the (start, end) offsets of the matching words."""
        return self._guard(self._search, query, roots, limit, fact, tag, date_from, date_to, snippet_words, prefix)

    def _search(self, query, roots, limit, fact, tag, date_from, date_to, snippet_words, prefix) -> list[Hit]:
        match = fts_query(query, prefix)
        if match is None:
            return []
        where, args = self._filters(roots, fact, tag, date_from, date_to, None)
        conn = self._conn()
        n = max(1, min(64, int(snippet_words)))

        def run(match: str, ranked: bool, limit: int) -> list[Hit]:
            sql = (f"SELECT {_ENTRY_COLS}, {'fts.rank' if ranked else '0.0'}, "
                   f"snippet(fts, 1, '{MARK_OPEN}', '{MARK_CLOSE}', '…', {n}), "
                   f"highlight(fts, 0, '{MARK_OPEN}', '{MARK_CLOSE}') "
                   f"FROM fts JOIN briefs b ON b.id = fts.rowid WHERE fts MATCH ? AND {' AND '.join(where)} "
                   f"{'ORDER BY fts.rank ' if ranked else ''}LIMIT ?")
            hits = []
            for row in conn.execute(sql, [match, *args, int(limit)]):
                snippet, spans = _unmark(row[4] or "")
                _, title_spans = _unmark(row[5] or "")
                hits.append(Hit(Entry(row), row[3], snippet, spans, title_spans))
            return hits

        # bm25 costs a little for every matching brief. When a query matches thousands
        # (a common word, a two-letter prefix while typing), rank only those matching in
        # the title, then list the others as they come (score 0.0).
        total = conn.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (match,)).fetchone()[0]
        if total <= RANK_ALL_MAX:
            return run(match, True, limit)
        hits = run(f"title : ({match})", True, limit)
        if len(hits) < limit:
            hits += run(f"({match}) NOT (title : ({match}))", False, limit - len(hits))
        return hits

    def get(self, path: str | os.PathLike) -> Entry | None:
        row = self._guard(lambda: self._conn().execute(f"SELECT {_ENTRY_COLS} FROM briefs b WHERE b.path = ?",
                                                       (_root_key(path),)).fetchone())
        return _entry(row) if row else None

    def meta_for(self, path: str | os.PathLike):
        """The brief's ``briefing.core.model.Meta`` as cached (None if not cached or it failed)."""
        from briefing.core.model import Meta

        row = self._guard(lambda: self._conn().execute(
            "SELECT b.title, b.published, b.source, d.url, b.tags, d.summary, b.status FROM briefs b "
            "JOIN details d ON d.id = b.id WHERE b.path = ?",
            (_root_key(path),)).fetchone())
        if row is None or row[6] != "ok":
            return None
        return Meta.model_construct(title=row[0], published=dt.date.fromisoformat(row[1]) if row[1] else None,
                                    source=row[2], url=row[3], tags=row[4].split(TAG_SEP) if row[4] else [],
                                    summary=row[5])

    def fact_labels_for(self, path: str | os.PathLike) -> list[tuple[str, str, str]] | None:
        """The brief's facts as the filters see them: (type, label, key), in ``Brief.facts``
        order (a date's label is its value); None if the brief is not cached or failed."""
        def read():
            conn = self._conn()
            row = conn.execute("SELECT id, status FROM briefs WHERE path = ?", (_root_key(path),)).fetchone()
            if row is None or row[1] != "ok":
                return None
            return [tuple(r) for r in conn.execute(
                "SELECT type, label, key FROM facts WHERE brief_id = ? ORDER BY seq", (row[0],))]

        return self._guard(read)

    def problems_for(self, path: str | os.PathLike) -> list:
        """The brief's problems (errors and warnings) as ``briefing.core.problems.Problem``."""
        from briefing.core.problems import Problem

        key = _root_key(path)
        row = self._guard(lambda: self._conn().execute(
            "SELECT d.problems FROM briefs b JOIN details d ON d.id = b.id WHERE b.path = ?", (key,)).fetchone())
        if row is None or not row[0]:
            return []
        return [Problem(path=os.fspath(path), line=p[0], col=p[1], severity=p[2], message=p[3]) for p in json.loads(row[0])]

    def facet(self, roots: Iterable[str | os.PathLike] | None, fact_type: str, limit: int = 50) -> list[tuple[str, int]]:
        """The most frequent facts of a type under ``roots``: (name, number of briefs)."""
        clause, params = self._root_clause(roots)
        sql = (f"SELECT min(f.label), count(DISTINCT f.brief_id) AS n FROM facts f JOIN briefs b ON b.id = f.brief_id "
               f"WHERE f.type = ? AND {clause} GROUP BY f.match ORDER BY n DESC, f.match LIMIT ?")
        return self._guard(lambda: [tuple(r) for r in self._conn().execute(sql, [fact_type, *params, int(limit)])])

    def tags(self, roots: Iterable[str | os.PathLike] | None = None, limit: int = 200) -> list[tuple[str, int]]:
        """Tags under ``roots`` with the number of briefs carrying each, most used first."""
        clause, params = self._root_clause(roots)
        sql = (f"SELECT t.tag, count(*) AS n FROM tags t JOIN briefs b ON b.id = t.brief_id WHERE {clause} "
               f"GROUP BY t.tag ORDER BY n DESC, t.tag LIMIT ?")
        return self._guard(lambda: [tuple(r) for r in self._conn().execute(sql, [*params, int(limit)])])

    def optimize(self) -> None:
        """Merge the full-text index's segments (worth it after a large build)."""
        with self._tx() as conn:
            conn.execute("INSERT INTO fts(fts) VALUES('optimize')")

    @property
    def roots(self) -> list[str]:
        return list(self._roots)


def _hash_file(path: str) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            return hashlib.blake2b(read_capped(fh, os.fstat(fh.fileno()).st_size), digest_size=16).digest()
    except OSError:
        return None


def _settle(suspects: list[tuple], stats: RefreshStats) -> list[tuple]:
    """Read files that looked half-written again, after a pause, until they hold still:
    the same bytes twice and no change of size or mtime while reading (a brief that is
    simply broken settles at the first retry). Gives up after RETRIES tries."""
    out: list[tuple] = []
    for attempt in range(RETRIES):
        if not suspects:
            break
        # The pause counts from the last read: suspects found early in a build have waited.
        waited = (time.time_ns() - max(r[R_CHECKED] for r in suspects)) / 1e9
        time.sleep(max(0.0, RETRY_DELAY - waited))
        stats.retried += len(suspects)
        again = []
        for prev in suspects:
            r = parse_file(prev[R_KEY])
            settled = not r[R_UNSTABLE] and (not _suspect(r) or r[R_HASH] == prev[R_HASH])
            (out if settled or attempt == RETRIES - 1 else again).append(r)
        suspects = again
    return out


def _suspect(r: tuple) -> bool:
    """A result that may come from a file caught half-written."""
    if r[R_UNSTABLE]:
        return True
    return r[R_STATUS] == "error" and r[R_HASH] is not None and time.time_ns() - r[R_MTIME] < RECENT_NS


_MP_CONTEXT = None


def _mp_context():
    """forkserver where there is one (forking a threaded UI process is unsafe), else spawn."""
    global _MP_CONTEXT
    if _MP_CONTEXT is None:
        methods = multiprocessing.get_all_start_methods()
        if "forkserver" in methods:
            ctx = multiprocessing.get_context("forkserver")
            try:
                ctx.set_forkserver_preload(["briefing.index", "briefing.core.parser", "briefing.index.fast"])
            except Exception:  # noqa: BLE001
                pass
        else:
            ctx = multiprocessing.get_context("spawn")
        _MP_CONTEXT = ctx
    _start_resource_tracker()
    return _MP_CONTEXT


def _prestart_pool() -> None:
    """Start the forkserver now; the pool made later forks its workers from it at once."""
    try:
        if _mp_context().get_start_method() == "forkserver":
            from multiprocessing import forkserver

            forkserver.ensure_running()
    except Exception:  # noqa: BLE001 - then the pool starts it (or parsing happens in-process)
        pass


_tracker_lock = threading.Lock()


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with a usable standard error.

    The tracker is a helper process that inherits ``sys.stderr.fileno()``. Inside a Textual
    app ``sys.stderr`` is a capture object whose ``fileno()`` is -1, so starting it fails
    ("bad value(s) in fds_to_keep") and no pool could ever be made in the reader: every
    brief was parsed in the reader's own process. Started here once with stderr pointing at
    the null device (its rare messages must not land on the reader's screen either)."""
    try:
        if sys.stderr is not None and sys.stderr.fileno() >= 0:
            return
    except (AttributeError, OSError, ValueError):
        pass
    from multiprocessing import resource_tracker

    with _tracker_lock:
        saved = sys.stderr
        try:
            with open(os.devnull, "w") as null:
                sys.stderr = null
                try:
                    resource_tracker.ensure_running()
                except Exception:  # noqa: BLE001 - the pool will fail and parsing happens in-process
                    pass
                finally:
                    sys.stderr = saved
        except OSError:
            pass
