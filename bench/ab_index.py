"""Cold indexing of two checkouts compared in alternation (A, B, A, B...) on one corpus,
in wall time and in CPU time of the build with all its processes (the forkserver and the
workers included), so that two builds can be compared on a machine other jobs share.

    python bench/ab_index.py A_DIR B_DIR [--n 10000] [--rounds 4] [--workers 2]

A_DIR and B_DIR are checkouts (worktrees) of briefing: each build runs in a process of its
own with PYTHONPATH pointing at its checkout (exported, so the forkserver's workers import
that checkout too, never the installed package). The package is ``briefing`` under tui/
(today's layout) or ``tui`` (the layout before 2026-12-02). This harness is a child
subreaper: the forkserver, orphaned when a build's process exits, is waited for here, so
``getrusage(RUSAGE_CHILDREN)`` counts every process of the build.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

_CHILD = r"""
import json, os, sys, time
t0 = time.perf_counter()
import importlib
pkg = sys.argv[4]
Index = importlib.import_module(pkg + ".index").Index
mod = importlib.import_module(pkg)
assert mod.__file__.startswith(sys.argv[2]), (mod.__file__, sys.argv[2])
t1 = time.perf_counter()
index = Index.open(workers=int(sys.argv[3]))
stats = index.refresh([sys.argv[1]])
t2 = time.perf_counter()
warm = []
for _ in range(3):
    t = time.perf_counter()
    w = index.refresh([sys.argv[1]])
    warm.append(time.perf_counter() - t)
    assert w.parsed == 0
size = sum(f.stat().st_size for f in index.db_path.parent.glob("index.db*"))
index.close()
print(json.dumps({"cold": t2 - t1, "import": t1 - t0, "write": stats.write_seconds, "files": stats.files,
                  "errors": stats.errors, "workers": stats.workers, "warm": sorted(warm)[1], "db": size}))
"""


def _subreaper() -> None:
    PR_SET_CHILD_SUBREAPER = 36
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _reap(timeout: float = 5.0) -> None:
    """Wait for orphans handed to this process (the forkserver exits once its build has)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.02)


def _cpu_children() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run_one(checkout: Path, corpus: Path, workers: int) -> dict:
    env = dict(os.environ)
    new_layout = (checkout / "tui" / "briefing").is_dir()
    pkg_root = checkout / "tui" if new_layout else checkout
    env["PYTHONPATH"] = f"{pkg_root}{os.pathsep}{checkout}"
    with tempfile.TemporaryDirectory(prefix="briefing-ab-") as data:
        env["BRIEFING_DATA_DIR"] = data
        before = _cpu_children()
        out = subprocess.run([sys.executable, "-c", _CHILD, str(corpus), str(checkout), str(workers),
                              "briefing" if new_layout else "tui"],
                             env=env, capture_output=True, text=True, cwd=data)
        _reap()
        cpu = _cpu_children() - before
    if out.returncode:
        raise SystemExit(f"{checkout}: {out.stderr}")
    got = json.loads(out.stdout.strip().splitlines()[-1])
    got["cpu"] = cpu
    return got


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("a", type=Path)
    ap.add_argument("b", type=Path)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--corpus", type=Path, help="an existing corpus folder (else one is generated)")
    args = ap.parse_args(argv)
    _subreaper()
    tmp = None
    corpus = args.corpus
    if corpus is None:
        from bench.corpus import generate_corpus

        tmp = tempfile.mkdtemp(prefix="briefing-ab-corpus-")
        corpus = Path(tmp) / "briefs"
        generate_corpus(corpus, args.n, seed=0, size_kb=5.0, error_rate=0.01)
    mb = sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file()) / 1e6
    runs: dict[str, list[dict]] = {"A": [], "B": []}
    try:
        for i in range(args.rounds):
            for name, checkout in (("A", args.a), ("B", args.b)) if i % 2 == 0 else (("B", args.b), ("A", args.a)):
                load = os.getloadavg()[0]
                r = run_one(checkout.resolve(), corpus, args.workers)
                r["load"] = load
                runs[name].append(r)
                print(f"{name} round {i}: {mb / r['cold']:.1f} MB/s ({r['cold']:.2f} s), CPU {r['cpu']:.2f} s, "
                      f"storing {r['write']:.2f} s, warm {r['warm'] * 1000:.0f} ms, db {r['db'] / 1e6:.0f} MB, "
                      f"load {load:.1f}", flush=True)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"\n{mb:.1f} MB, {runs['A'][0]['files']} briefs; medians of {args.rounds} runs each, in alternation")
    med = {k: {f: statistics.median(r[f] for r in v) for f in ("cold", "cpu", "write", "warm", "db")}
           for k, v in runs.items()}
    for k, checkout in (("A", args.a), ("B", args.b)):
        m = med[k]
        print(f"{k} {checkout}: {mb / m['cold']:.1f} MB/s, CPU {m['cpu']:.2f} s, storing {m['write']:.2f} s, "
              f"warm {m['warm'] * 1000:.0f} ms, index.db {m['db'] / 1e6:.0f} MB")
    print(f"B/A: wall {med['B']['cold'] / med['A']['cold']:.2f}, CPU {med['B']['cpu'] / med['A']['cpu']:.2f}, "
          f"storing {med['B']['write'] / med['A']['write']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
