"""Benchmark the views across briefs (briefing.views) on a synthetic corpus with a warm
index; every figure beside references measured in the same run (the machine may be busy:
compare within a run, not across).

    python bench/bench_views.py [--n 10000] [--runs 15] [--keep DIR]

Targets (issue 17, 10,000 briefs): timeline first screen < 150 ms, profile < 100 ms,
compare < 50 ms, related < 100 ms. References: the document list's first screen from the
index (Index.entries, 60 rows newest first) and a two-word search (Index.search).

Writes the corpus and the index in a temporary folder (or DIR with --keep, reused when it
already holds them); BRIEFING_DATA_DIR points there, nothing touches the user's data.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tui"))
# The index's pool workers (a forkserver) must import this checkout too.
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (str(Path(__file__).resolve().parents[1] / "tui"), os.environ.get("PYTHONPATH", "")) if p)

TARGETS_MS = {"timeline": 150, "profile": 100, "compare": 50, "related": 100}


def timed(fn, runs: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), max(times), result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep", metavar="DIR", help="keep (and reuse) the corpus and the index in DIR")
    args = ap.parse_args(argv)

    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-views-"))
    corpus, data = base / "briefs", base / "data"
    os.environ["BRIEFING_DATA_DIR"] = str(data)

    from bench.corpus import generate_corpus
    from briefing.core.parser import load_brief
    from briefing.index import Index
    from briefing.views.compare import compare
    from briefing.views.profile import profile
    from briefing.views.related import related
    from briefing.views.scope import Scope
    from briefing.views.timeline import timeline

    if not corpus.exists():
        t = time.perf_counter()
        generate_corpus(corpus, args.n, seed=args.seed, error_rate=0.01)
        print(f"corpus: {args.n} briefs in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    index = Index.open(data)
    t = time.perf_counter()
    index.refresh([corpus])
    print(f"index brought up to date in {time.perf_counter() - t:.1f} s (warm from here)", file=sys.stderr)
    roots = [str(corpus)]
    scope = Scope(roots=roots)
    rng = random.Random(args.seed)
    entries = index.entries(roots, status="ok")
    paths = [e.path for e in entries]
    leaders = index.facet(roots, "leader", limit=40)
    common, rare = leaders[0][0], leaders[-1][0]
    runs = args.runs

    rows: list[tuple[str, float, float, str]] = []

    def add(label: str, fn, note: str = "") -> object:
        med, worst, result = timed(fn, runs)
        rows.append((label, med, worst, note))
        return result

    add("ref: list, first screen (60 rows)", lambda: index.entries(roots, order="-published", limit=60))
    add("ref: search 'china trade'", lambda: index.search("china trade", roots, limit=200))
    got = add("timeline, first screen (80 dates)", lambda: timeline(index, scope, limit=80))
    rows[-1] = rows[-1][:3] + (f"{len(got)} mentions; target {TARGETS_MS['timeline']} ms",)
    got = add("timeline, first screen, search 'trade'",
              lambda: timeline(index, Scope(roots=roots, query="trade"), limit=80))
    rows[-1] = rows[-1][:3] + (f"{len(got)} mentions; target {TARGETS_MS['timeline']} ms",)
    for name in (common, rare):
        p = add(f"profile '{name}' (as its screen)",
                lambda name=name: profile(index, name, scope, contexts=200, company=8, company_briefs=300))
        rows[-1] = rows[-1][:3] + (f"in {len(p.briefs)} briefs; target {TARGETS_MS['profile']} ms",)
    pairs = [(rng.choice(paths), rng.choice(paths)) for _ in range(runs)]
    it = iter(pairs * 2)

    def one_compare():
        a, b = next(it)
        return compare(load_brief(a), load_brief(b))

    add("compare two briefs (parse both + pair)", one_compare, f"target {TARGETS_MS['compare']} ms")
    picks = iter([rng.choice(paths) for _ in range(runs)])
    got = add("related (a random brief)", lambda: related(index, next(picks), scope),
              f"target {TARGETS_MS['related']} ms")

    ref = rows[0][1]
    print(f"{args.n} briefs, warm index, {runs} runs each (median / worst; ratio = median / the list's first screen)")
    print(f"{'':<44}{'median':>9}{'worst':>9}{'ratio':>8}  note")
    for label, med, worst, note in rows:
        print(f"{label:<44}{med:>7.1f}ms{worst:>7.1f}ms{med / ref:>7.1f}x  {note}")
    index.close()
    if not args.keep:
        import shutil

        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
