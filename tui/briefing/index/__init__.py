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

Where things are (each module's docstring says more):

    index.py    Index: opening, connections, the write transaction (the facade)
    schema.py   the SQLite schema, what marks the file as ours, recovering a bad file
    build.py    refresh / refresh_paths / forget: what to parse, storing, reporting
    scan.py     walking folders and stat-ing brief files; the symlink choices
    parse.py    one file -> a result tuple (R_* fields); quick_meta; retrying half-written files
    fast.py     the common brief's fields without the reader's model
    write.py    a result tuple -> rows of every table (the one writer)
    pool.py     worker processes that parse and store
    search.py   entries / count / search / get and the FTS5 query language
    entry.py    Entry (from briefing.core.entry), Hit, Change, RefreshStats: what the index hands out
    tuning.py   every tuning constant, with why it has its value
    watch.py    live updates from the file system; query.py: the search box's language

A cache that is not SQLite, belongs to another program or fails its checks is moved
aside (``index.db.corrupt-<time>`` / ``index.db.foreign-<time>``, never deleted) and
rebuilt; an older schema of ours is rebuilt in place; a changed parser makes every brief
be parsed again (the old rows stay listed meanwhile). ``Index.notices`` says what happened.

Threads: every method may be called from any thread (each thread has its own connection;
writes are serialised; WAL lets the UI read while a refresh writes). One refresh at a time.
Processes: cold builds parse in a ``forkserver`` pool (``spawn`` where there is none), and
each worker stores what it parses (its own connection; SQLite's lock takes the writes in
turn), so a script that calls ``refresh`` must guard its top level with ``if __name__ ==
"__main__"`` (``python -m briefing`` and the ``briefing`` command are fine); if no pool
can be had, parsing and storing happen in-process.

No textual here: the index is UI-free.

The names below are re-exported so that ``from briefing.index import Index, ...`` keeps
working. Tuning constants are re-exported as values: to change one (a test, a benchmark),
set it on ``briefing.index.tuning``, where every module reads it.
"""

from briefing.index.entry import LISTING_SEP, TAG_SEP, Change, Entry, Hit, RefreshStats
from briefing.index.index import Index
from briefing.index.parse import (R_CHECKED, R_FACTS, R_FACTS_TEXT, R_HASH, R_INO, R_KEY, R_MTIME, R_PROBLEMS,
                                  R_PUBLISHED, R_SIZE, R_SOURCE, R_STATUS, R_SUMMARY, R_TAGS, R_TEXT, R_TITLE,
                                  R_UNSTABLE, R_URL, brief_fields, parse_file, quick_meta)
from briefing.index.pool import _mp_context
from briefing.index.scan import BRIEF_SUFFIXES, NOT_UTF8_NAME, scan_root
from briefing.index.schema import APPLICATION_ID, DB_NAME, SCHEMA_VERSION, SQLITE_MAGIC, parser_fingerprint
from briefing.index.search import MARK_CLOSE, MARK_OPEN, FactFilter, fts_query
from briefing.index.tuning import (BATCH_FILES, BATCH_SECONDS, BM25_WEIGHTS, BULK_CHECKPOINT_PAGES, BULK_MIN_FILES,
                                   CHUNK_FILES, FIRST_BATCH_FILES, POOL_MIN_BYTES, POOL_MIN_FILES, QUICK_MIN_FILES,
                                   RACY_NS, RANK_ALL_MAX, RECENT_NS, RETRIES, RETRY_DELAY, STORE_CHUNK_FILES,
                                   STORE_INFLIGHT_PER_WORKER, WORKER_GC_THRESHOLD, WORKER_NICE)

# As briefing.core.model.CORE_TYPES (tests/test_first_screen.py checks): importing the model
# loads pydantic, ~0.1 s that a warm start would pay before its first frame.
CORE_TYPES = ("leader", "date", "region")

__all__ = [
    "Index", "Entry", "Hit", "Change", "RefreshStats", "FactFilter", "fts_query", "quick_meta", "scan_root",
    "parse_file", "brief_fields", "parser_fingerprint", "NOT_UTF8_NAME", "BRIEF_SUFFIXES", "TAG_SEP", "LISTING_SEP",
    "MARK_OPEN", "MARK_CLOSE", "CORE_TYPES", "SCHEMA_VERSION", "APPLICATION_ID", "DB_NAME", "SQLITE_MAGIC",
    "R_KEY", "R_SIZE", "R_MTIME", "R_INO", "R_HASH", "R_CHECKED", "R_STATUS", "R_TITLE", "R_PUBLISHED", "R_SOURCE",
    "R_URL", "R_SUMMARY", "R_TAGS", "R_PROBLEMS", "R_TEXT", "R_FACTS", "R_FACTS_TEXT", "R_UNSTABLE",
    "RACY_NS", "RECENT_NS", "RETRY_DELAY", "RETRIES", "POOL_MIN_FILES", "POOL_MIN_BYTES", "QUICK_MIN_FILES",
    "CHUNK_FILES", "STORE_CHUNK_FILES", "STORE_INFLIGHT_PER_WORKER", "WORKER_NICE", "WORKER_GC_THRESHOLD",
    "BATCH_FILES", "FIRST_BATCH_FILES", "BATCH_SECONDS", "BULK_MIN_FILES", "BULK_CHECKPOINT_PAGES",
    "BM25_WEIGHTS", "RANK_ALL_MAX", "_mp_context",
]
