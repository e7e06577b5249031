"""Worker processes for a large build: each parses a task's files and stores them itself.

``_parse_and_store_chunk`` runs in a worker (a ``forkserver`` pool, ``spawn`` where there
is none; see ``_mp_context``) with a connection of its own: SQLite's lock takes the
workers' writes in turn, and the process that drives the build (briefing.index.build) only
counts and reports. Results that may come from a half-written file go back to it to be
retried. Nothing here may print: a worker shares the reader's terminal.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import sqlite3
import sys
import threading
import time

from briefing import db
from briefing.index import parse, tuning
from briefing.index.parse import R_TAGS, R_TEXT, R_UNSTABLE, R_URL, _suspect
from briefing.index.write import _store_rows


def _slim(r: tuple) -> tuple:
    """A stored result without what only the database needed (text, facts, url, summary)."""
    return r[:R_URL] + (None, None) + r[R_TAGS:R_TEXT] + ("", [], "") + r[R_UNSTABLE:]


def _parse_and_store_chunk(db_path: str, keys: list[str], owners: dict[str, list[str]], bulk: bool,
                           fresh=frozenset()) -> tuple:
    """In a worker: parse ``keys`` and store the results in one transaction of a connection
    of its own. Returns (the stored results, slimmed; their row ids; results not stored;
    seconds spent storing). Results that may come from a half-written file are not stored
    (the process that stores retries them); on a database error nothing is, and every result
    goes back to be stored there (which then sees the error, and recovers)."""
    results = [parse.parse_file(k) for k in keys]
    keep, back = [], []
    for r in results:
        (back if _suspect(r) else keep).append(r)
    if not keep:
        return [], [], back, 0.0
    t0 = time.perf_counter()
    try:
        conn = db.connect(db_path, 30)
        try:
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA cache_size=-32000")
            if bulk:
                conn.execute(f"PRAGMA wal_autocheckpoint={tuning.BULK_CHECKPOINT_PAGES}")
            conn.execute("BEGIN IMMEDIATE")
            try:
                bids = _store_rows(conn, keep, owners, fresh)
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
    first, tail = tuning.FIRST_BATCH_FILES, 16 * tuning.FIRST_BATCH_FILES  # (the last ~1,000 files)
    chunks, i, n = [], 0, len(keys)
    while i < n:
        size = first if i == 0 or n - i <= tail else tuning.STORE_CHUNK_FILES
        chunks.append(keys[i:i + size])
        i += size
    return chunks


def _worker_init() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Below the reader's process, which draws the screen: a key press never waits for a core
    # while the workers parse and store.
    try:
        os.nice(tuning.WORKER_NICE)
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
    gc.set_threshold(tuning.WORKER_GC_THRESHOLD, 20, 20)


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
