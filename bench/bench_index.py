"""Benchmark the brief index on a synthetic corpus; every figure beside a reference
measured in the same run (the machine may be busy: compare within a run, not across).

    python bench/bench_index.py [--n 10000] [--size-kb 5] [--workers 2] [--seed 0]

Writes the corpus and the index in a temporary folder (BRIEFING_DATA_DIR points there;
nothing touches the user's data) and removes both at the end. Plain-text table on stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tui"))

QUERIES = [
    "china", "kishida", "south china sea", "climate finance", "supply chain", "trade", "minerals", "nato",
    "modi albanese", "tai", "\"joint patrols\"", "vaccine", "semiconductor", "pacific islands", "security -trade",
    "rare earth", "xi jinping", "ardern", "port upgrades", "quad",
]


def rss_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: kilobytes


def descendants_peak_mb() -> float:
    """The largest peak RSS (VmHWM) among this process's descendants (the parser workers
    are children of the forkserver, so getrusage(RUSAGE_CHILDREN) does not see them)."""
    parent: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as fh:
                    parent[int(d)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    me, family, grew = os.getpid(), set(), True
    family.add(me)
    while grew:
        grew = False
        for pid, ppid in parent.items():
            if ppid in family and pid not in family:
                family.add(pid)
                grew = True
    peak = 0.0
    for pid in family - {me}:
        try:
            with open(f"/proc/{pid}/status") as fh:
                for line in fh:
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]) / 1024)
        except OSError:
            pass
    return peak


def _spin(seconds: float) -> float:
    """Busy work for about ``seconds`` on an idle core; returns the CPU time it took."""
    start = time.process_time()
    n = 0
    while n < int(seconds * 4_000_000):
        n += 1
    return time.process_time() - start


def parallel_capacity(workers: int) -> float:
    """How many cores' worth of work ``workers`` processes get right now (other jobs on
    the machine take their share): the same busy loop alone, then in ``workers``
    processes at once."""
    from concurrent.futures import ProcessPoolExecutor

    from briefing.index import _mp_context

    with ProcessPoolExecutor(workers, mp_context=_mp_context()) as pool:
        list(pool.map(_spin, [0.01] * workers))  # start them
        t = time.perf_counter()
        list(pool.map(_spin, [0.5]))
        alone = time.perf_counter() - t
        t = time.perf_counter()
        list(pool.map(_spin, [0.5] * workers))
        together = time.perf_counter() - t
    return workers * alone / together


def median_ms(fn, runs: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), max(times), result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000, help="number of briefs (default 10000)")
    ap.add_argument("--size-kb", type=float, default=5.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=None, help="parser processes (default: min(2, CPUs))")
    ap.add_argument("--error-rate", type=float, default=0.01, help="share of deliberately broken briefs")
    ap.add_argument("--keep", metavar="DIR", help="write the corpus and the index in DIR and keep them")
    args = ap.parse_args(argv)

    if args.keep:
        Path(args.keep).mkdir(parents=True, exist_ok=True)
    with (contextlib.nullcontext(args.keep) if args.keep else
          tempfile.TemporaryDirectory(prefix="briefing-bench-")) as tmp:
        os.environ["BRIEFING_DATA_DIR"] = str(Path(tmp) / "data")
        from bench.corpus import generate_corpus
        from briefing.index import QUICK_MIN_FILES, Index, scan_root
        from briefing.core.parser import parse_brief

        base_rss = rss_mb()
        corpus = Path(tmp) / "briefs"
        if args.keep and corpus.exists():
            raise SystemExit(f"{corpus} exists: give --keep an empty folder")
        t = time.perf_counter()
        paths = generate_corpus(corpus, args.n, seed=args.seed, size_kb=args.size_kb, error_rate=args.error_rate)
        gen_s = time.perf_counter() - t
        total_bytes = sum(p.stat().st_size for p in paths)
        mb = total_bytes / 1e6
        rows: list[tuple[str, str, str]] = []

        # Reference: reading the same bytes (page cache warm: they were just written).
        t = time.perf_counter()
        read = 0
        for p in paths:
            with open(p, "rb") as fh:
                read += len(fh.read())
        read_s = time.perf_counter() - t
        # Reference: the parser alone, in this process, on a sample.
        sample = random.Random(1).sample(paths, min(200, len(paths)))
        datas = [(p.read_bytes(), str(p)) for p in sample]
        t = time.perf_counter()
        for data, name in datas:
            try:
                parse_brief(data, name).facts
            except Exception:  # noqa: BLE001 - broken ones cost time too
                pass
        parse_s = time.perf_counter() - t
        parse_mbs = sum(len(d) for d, _ in datas) / 1e6 / parse_s

        # Cold build.
        listed_at = []
        worker_peak = [0.0]
        last_sample = [0.0]
        t0 = time.perf_counter()
        index = Index.open(workers=args.workers)

        first_at: list[float] = []

        def progress(done, total, entry):
            now = time.perf_counter()
            if done == 0 and not listed_at:
                listed_at.append(now - t0)
            if done and not first_at:
                first_at.append(now - t0)
            if now - last_sample[0] > 2 and done:
                last_sample[0] = now
                worker_peak[0] = max(worker_peak[0], descendants_peak_mb())

        stats = index.refresh([corpus], progress=progress)
        cold_s = time.perf_counter() - t0
        # After the build, not before: its pool would start the forkserver, and the build
        # would then not pay the ~0.15 s a first start pays.
        capacity = parallel_capacity(max(2, args.workers or 2))
        rows.append(("cold index, MB/s",
                     f"{mb / cold_s:.2f} MB/s ({cold_s:.1f} s, {stats.workers or 1} proc)",
                     f"read the bytes: {read / 1e6 / read_s:.0f} MB/s; briefing.core.parser alone, 1 proc: {parse_mbs:.2f} MB/s"))
        rows.append(("  storing in SQLite, summed", f"{stats.write_seconds:.1f} s",
                     "the workers store what they parse, in turn, while the other parses;"
                     f" scanning: {stats.scan_seconds:.2f} s"))
        rows.append(("  CPU the workers could get", f"{capacity:.2f} cores of {os.cpu_count()}",
                     "same busy loop alone vs in 2 processes at once (other jobs share the machine)"))
        if listed_at and args.n >= QUICK_MIN_FILES:  # (listed from a quick look, then parsed)
            rows.append(("  whole list shown (pending)", f"after {listed_at[0]:.2f} s", f"fully parsed after {cold_s:.1f} s"))
        if first_at:
            rows.append(("  first briefs listed", f"after {first_at[0]:.2f} s", f"all {stats.files} after {cold_s:.1f} s"))
        rows.append(("  briefs, errors", f"{stats.files} briefs, {stats.errors} with errors", f"generated: {args.n}"))

        # Warm refresh: nothing changed.
        t = time.perf_counter()
        scan_root(corpus)
        scan_ms = (time.perf_counter() - t) * 1000
        # A large build leaves the facts' search index to the first search filtering by a
        # fact (briefing.index.schema.defer_indexes): that one pays for making it, once.
        leader = index._conn().execute("SELECT label FROM facts WHERE type = 'leader' LIMIT 1").fetchone()
        if leader:
            t = time.perf_counter()
            index.count([corpus], fact=("leader", leader[0]))
            first_ms = (time.perf_counter() - t) * 1000
            next_ms, _, _ = median_ms(lambda: index.count([corpus], fact=("leader", leader[0])), 5)
            rows.append(("first search filtering by a fact", f"{first_ms:.0f} ms",
                         f"makes the facts' search index once; the next ones {next_ms:.1f} ms"))
        warm_ms, _, warm = median_ms(lambda: index.refresh([corpus]), 3)
        assert warm.parsed == 0, warm
        rows.append(("warm refresh (nothing changed)", f"{warm_ms:.0f} ms", f"scan + stat alone: {scan_ms:.0f} ms"))

        # The document list.
        conn = index._conn()
        entries_ms, entries_max, entries = median_ms(lambda: index.entries([corpus]), 7)
        raw_ms, _, _ = median_ms(lambda: conn.execute("SELECT id, path FROM briefs").fetchall(), 7)
        rows.append((f"entries(), {len(entries)} rows", f"{entries_ms:.1f} ms (max {entries_max:.1f}; budget 100)",
                     f"bare SELECT id, path of every row: {raw_ms:.1f} ms"))
        f_ms, _, filtered = median_ms(lambda: index.entries([corpus], tag="security", date_from="2020-01-01",
                                                            fact=("region", "China")), 7)
        rows.append(("entries() tag+date+fact filters", f"{f_ms:.1f} ms ({len(filtered)} rows)", ""))

        # Search.
        lat, bare, counts = [], [], []
        from briefing.index import fts_query

        for q in QUERIES:
            index.search(q, [corpus])  # warm the page cache for this query
            t = time.perf_counter()
            hits = index.search(q, [corpus])
            lat.append((time.perf_counter() - t) * 1000)
            counts.append(len(hits))
            t = time.perf_counter()
            conn.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (fts_query(q),)).fetchone()
            bare.append((time.perf_counter() - t) * 1000)
        lat.sort()
        rows.append((f"search, median of {len(QUERIES)} queries",
                     f"{statistics.median(lat):.1f} ms (p90 {lat[int(len(lat) * 0.9) - 1]:.1f}, max {lat[-1]:.1f}; budget 50)",
                     f"bare FTS5 MATCH count: {statistics.median(bare):.1f} ms"))
        rows.append(("  hits per query (limit 200)", f"median {statistics.median(counts):.0f}", ""))

        rows.append(("peak RSS", f"main {rss_mb():.0f} MB; each worker {worker_peak[0]:.0f} MB",
                     f"after imports, before the corpus: {base_rss:.0f} MB"))
        db_mb = sum(f.stat().st_size for f in index.db_path.parent.glob("index.db*")) / 1e6
        rows.append(("index.db on disk", f"{db_mb:.0f} MB", f"the briefs: {mb:.0f} MB"))
        index.close()

        print(f"briefing index benchmark: {args.n:,} briefs, {mb:.1f} MB (generated in {gen_s:.1f} s), "
              f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
        w0 = max(len(r[0]) for r in rows)
        w1 = max(len(r[1]) for r in rows)
        print(f"{'measure':<{w0}}  {'result':<{w1}}  reference (same run)")
        print(f"{'-' * w0}  {'-' * w1}  {'-' * 20}")
        for name, result, ref in rows:
            print(f"{name:<{w0}}  {result:<{w1}}  {ref}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
