"""Building the index: ``refresh`` brings it up to date with the briefs under some folders,
``refresh_paths`` with the paths a watcher reported, ``forget`` drops a folder.

A refresh stats every file (briefing.index.scan), re-parses only new and changed ones
(briefing.index.parse; in a pool of worker processes when there are many, see
briefing.index.pool), stores them (briefing.index.write) and forgets removed ones. A file
is keyed by its resolved path and checked against size, mtime and inode, and a content
hash when those cannot be trusted (changed within the same timestamp tick as its last
read). ``Building`` is mixed into ``briefing.index.Index``, which provides ``_conn``,
``_tx``, ``_recover``, ``verify`` and the locks.

This is the longest module of the index (~480 lines): one refresh, with its pool and its
retries, reads best in one place.
"""

from __future__ import annotations

import collections
import concurrent.futures as cf
import contextlib
import os
import sqlite3
import threading
import time
from typing import Callable, Iterable

from briefing.db import is_corrupt
from briefing.index import parse, schema, tuning
from briefing.index import pool as _pool  # (a build names its executor "pool")
from briefing.index.entry import TAG_SEP, Change, Entry, RefreshStats, _listing
from briefing.index.parse import (R_CHECKED, R_HASH, R_INO, R_KEY, R_MTIME, R_PROBLEMS, R_PUBLISHED, R_SIZE,
                                  R_SOURCE, R_STATUS, R_TAGS, R_TITLE, _failed, _hash_file, _parse_chunk, _settle,
                                  _suspect, _total_size, quick_meta)
from briefing.index.pool import _mp_context, _parse_and_store_chunk, _stop_workers, _store_chunks, _worker_init
from briefing.index.scan import _classify_path, _Found, _root_key, _stored_key, scan_root
from briefing.index.write import _problem_counts, _store_rows


class Building:
    """The refreshes of ``Index``."""

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
                if is_corrupt(exc):
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
                on_many = (tuning.POOL_MIN_FILES, _pool._prestart_pool)
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
            if row[4] != f.ino or f.mtime_ns >= row[6] - tuning.RACY_NS:
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
                if len(new_keys) >= tuning.QUICK_MIN_FILES:
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
        bulk = len(keys) >= tuning.BULK_MIN_FILES
        if bulk:
            conn.execute(f"PRAGMA wal_autocheckpoint={tuning.BULK_CHECKPOINT_PAGES}")
        # A new index (or one mostly rebuilt): the facts' secondary indexes are left out,
        # each made in one sort by the first search or view that needs it, rather than kept
        # up to date by every insert (schema.defer_indexes).
        deferred = bulk and len(keys) >= tuning.DEFER_INDEXES_SHARE * self._stored_count(conn)
        if deferred:
            with self._tx(conn):
                schema.defer_indexes(conn)
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

    @staticmethod
    def _stored_count(conn) -> int:
        """Briefs with rows stored (not only listed from a quick look)."""
        return conn.execute("SELECT count(*) FROM briefs WHERE status != 'pending'").fetchone()[0]

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
            limit = tuning.BATCH_FILES if done else min(tuning.BATCH_FILES, tuning.FIRST_BATCH_FILES)
            if len(batch) >= limit or (batch and (now or time.perf_counter() - last >= tuning.BATCH_SECONDS)):
                done = self._write(conn, batch, owners, rows, stats, progress, done, total)
                batch = []
                last = time.perf_counter()

        def stored(slim: list[tuple], bids: list[int], seconds: float) -> None:  # by a worker
            nonlocal done
            seen.update(r[R_KEY] for r in slim)
            stats.write_seconds += seconds
            done = self._report(slim, bids, rows, stats, progress, done, total)

        use_pool = workers > 1 and (total >= tuning.POOL_MIN_FILES or _total_size(keys) >= tuning.POOL_MIN_BYTES)
        pending_keys = list(keys)
        started = False

        def start() -> None:
            nonlocal started
            if not started:
                started = True
                first()

        if use_pool:
            try:
                self._parse_in_pool(keys, workers, take, stored, owners, rows, cancel, stats, start)
            except Exception:  # noqa: BLE001 - no pool here (sandbox, no /dev/shm...): parse in-process
                stats.workers = 0
            pending_keys = [] if stats.cancelled else [k for k in keys if k not in seen]
        start()
        for i in range(0, len(pending_keys), tuning.CHUNK_FILES):
            if cancel is not None and cancel.is_set():
                stats.cancelled = True
                break
            take(_parse_chunk(pending_keys[i:i + tuning.CHUNK_FILES]))
        if batch:
            done = self._write(conn, batch, owners, rows, stats, progress, done, total)
        if retry and not stats.cancelled:
            done = self._write(conn, _settle(retry, stats), owners, rows, stats, progress, done, total)

    def _parse_in_pool(self, keys: list[str], workers: int, take, stored, owners: dict[str, list[str]], rows: dict, cancel,
                       stats: RefreshStats, start: Callable[[], None]) -> None:
        """Parse and store in worker processes, feeding what they stored to ``stored`` and
        what they did not to ``take`` (with what this process parses while the pool starts);
        ``start`` runs while the first tasks are being given, before anything is stored. (If
        the pool breaks, the caller parses what was not taken.)"""
        ctx = _mp_context()
        bulk = len(keys) >= tuning.BULK_MIN_FILES
        db = str(self.db_path)
        stats.workers = workers

        def task(pool, chunk: list[str]) -> cf.Future:
            mine = {k: owners[k] for k in chunk if k in owners}
            return pool.submit(_parse_and_store_chunk, db, chunk, mine, bulk, {k for k in chunk if k not in rows})

        with cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init) as pool:
            chunks = collections.deque(_store_chunks(keys))
            mine = [chunks.popleft()] if len(chunks) > 1 else []
            ahead = [chunks.popleft() for _ in range(min(len(chunks), workers * tuning.STORE_INFLIGHT_PER_WORKER))]
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
            bids = _store_rows(conn, results, owners, {r[R_KEY] for r in results if r[R_KEY] not in rows})
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
                if not is_corrupt(exc):
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
                      or f.mtime_ns >= row[6] - tuning.RACY_NS):
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
                r = parse.parse_file(key)
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
