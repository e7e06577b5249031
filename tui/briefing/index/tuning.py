"""The index's tuning constants, each with why it has its value.

Read them as ``tuning.NAME`` (not ``from ... import NAME``): a test or a benchmark that
sets one (``monkeypatch.setattr(tuning, "POOL_MIN_FILES", 2)``) then changes it for
every module of the index at once. Figures quoted here were measured on a 2-core machine
with the synthetic corpus of bench/corpus.py; see docs/PERFORMANCE.md.
"""

# -- when a file's size and mtime cannot vouch for it

# A file whose mtime is this close to (or after) the moment it was read may have been
# written again within the same timestamp tick: size and mtime cannot vouch for it.
RACY_NS = 2_000_000_000
# A parse error on a file modified this recently may be a half-written file: retried.
RECENT_NS = 2_000_000_000
# A file caught half-written is read again this long after it was first read (an editor's
# save or a copy finishes well within it), at most RETRIES times before it is stored as broken.
RETRY_DELAY = 0.3
RETRIES = 3

# -- opening

# How long opening the index waits for another process that holds it locked before this
# session uses an index of its own in a fallback folder (the locked file is left alone).
OPEN_LOCK_WAIT = 10.0

# -- parsing: in this process or in a pool

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
# Tasks handed to each worker ahead of time: enough that a worker never waits for the next
# one, few enough that a cancel stops little work already handed over.
STORE_INFLIGHT_PER_WORKER = 3
# Workers run below the reader's process, which draws the screen: a key press never waits
# for a core while they parse and store.
WORKER_NICE = 5
WORKER_GC_THRESHOLD = 20_000  # allocations between collections of the youngest objects (Python's: 700)

# -- storing

# Files per write transaction of this process (without a pool, or what workers gave back):
# FTS5 then flushes fewer, larger segments (~12% faster than 256)...
BATCH_FILES = 1024
FIRST_BATCH_FILES = 64  # ... but the first: the first screenful of a new folder shows at once
BATCH_SECONDS = 0.5  # ... or this long since the last commit, whichever comes first
# While this many files or more are stored in one refresh, the WAL is copied into the
# database every BULK_CHECKPOINT_PAGES pages instead of SQLite's 1,000: the pages FTS5 and
# the B-trees write again and again reach the database file fewer times (storing 10,000
# briefs ~20% faster). The WAL then grows to ~32 MB; it is emptied at the end of the build.
BULK_MIN_FILES = 1000
BULK_CHECKPOINT_PAGES = 4096
# A bulk refresh that parses at least this share of the briefs already stored (a new index:
# all of them) drops the facts' secondary indexes instead of updating them at every insert:
# the first search filtering by a fact and the first view make them, one sort each (~0.2 s
# for 10,000 briefs). A refresh of a few thousand briefs in a large index keeps them: making
# them again would cost more.
DEFER_INDEXES_SHARE = 0.5

# -- searching

# bm25 weights of the title, text and facts columns: a word in the title says most about
# what a brief is about, a fact's name more than a word of the text. (Stored in the schema
# when the index is created: changing them needs a SCHEMA_VERSION bump.)
BM25_WEIGHTS = (10.0, 1.0, 3.0)
RANK_ALL_MAX = 3000  # a search matching more briefs ranks only its title matches
