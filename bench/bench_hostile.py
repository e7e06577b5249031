"""Hostile-input benchmark (issue 15): validate, facts and indexing over generated worst
cases up to the 8 MB limit, each beside same-run references.

    python bench/bench_hostile.py [--sizes 1,8] [--shapes a,b] [--export 1000,4000]

Each case runs in a fresh child process (so peak memory is the case's own, not the
largest so far) and reports, per shape and size:

- validate: parse_brief (what `briefing validate` does per file); facts: brief.facts
  (what `briefing facts` adds); index: briefing.index.parse.parse_file (what indexing
  does per file: the fast path, else the full parse);
- MB/s of each, CPU seconds (process time: the machine is shared, wall time is noisier);
- peak RSS of the child, against the goal 100 MB + 10x the file.

References measured in the same run: reading the file's bytes and decoding them
(``read``), and a plain-prose brief of the same size (``prose`` row). Goal: >= 2 MB/s
(a 1 MB brief in < 0.5 s), linear in size (compare the 1 MB and 8 MB rows).

--export N,...: markdown export of one paragraph with N highlights (linear in text +
highlights; the issue's figures were 13.6 / 63 / 260 s for 1,000 / 2,000 / 4,000).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tui"))

MB = 1024 * 1024


def _child(shape: str, size: int, path: str) -> dict:
    """Run in the child: time the steps on one generated file."""
    import resource
    import time

    from briefing.core.limits import MAX_BRIEF_BYTES
    from briefing.core.parser import parse_brief
    from briefing.core.problems import BriefError
    from briefing.index.parse import parse_file

    def cpu() -> float:
        return time.process_time()

    data = Path(path).read_bytes()
    out = {"shape": shape, "bytes": len(data)}
    t = cpu()
    Path(path).read_bytes().decode("utf-8")
    out["read"] = cpu() - t
    t = cpu()
    try:
        brief = parse_brief(data, path)
        out["problems"] = len(brief.warnings)
        out["valid"] = True
    except BriefError as exc:
        brief = None
        out["problems"] = len(exc.problems)
        out["valid"] = False
    out["validate"] = cpu() - t
    t = cpu()
    if brief is not None:
        facts = brief.facts
        out["facts_n"] = sum(len(v) for v in facts.values())
    out["facts"] = cpu() - t
    del brief
    t = cpu()
    parse_file(path)
    out["index"] = cpu() - t
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["limit_ok"] = len(data) <= MAX_BRIEF_BYTES
    return out


def _export_child(n: int) -> dict:
    import resource
    import time

    from bench.hostile_shapes import highlighted_paragraph
    from briefing.core.anchor import Highlight, make_quote, text_hash
    from briefing.core.parser import parse_brief
    from briefing.export import export_markdown

    text, spans = highlighted_paragraph(n)
    brief = parse_brief(text)
    th = text_hash(brief.text)
    hs = []
    for i, (s, e) in enumerate(spans):
        q = make_quote(brief.text, s, e)
        hs.append(Highlight(id=str(i), path="x", start=s, end=e, exact=q.exact, prefix=q.prefix, suffix=q.suffix,
                            text_hash=th))
    t = time.process_time()
    brief2 = parse_brief(text)  # the reference: one parse of the same brief
    ref = time.process_time() - t
    del brief2
    t = time.process_time()
    out = export_markdown(brief, hs)
    took = time.process_time() - t
    return {"n": n, "bytes": len(text.encode()), "export": took, "parse": ref, "marked": out.count("{.highlight"),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _run_child(args: list[str]) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "tui"), str(ROOT)])}
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise SystemExit(f"child failed: {args}\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1,8", help="sizes in MB (default 1,8)")
    ap.add_argument("--shapes", default="", help="comma-separated shape names (default: all)")
    ap.add_argument("--export", default="1000,4000", help="highlight counts for the export case ('' to skip)")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    ap.add_argument("--export-child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(_child(args.child[0], int(args.child[1]), args.child[2])))
        return 0
    if args.export_child:
        print(json.dumps(_export_child(args.export_child)))
        return 0

    from bench.hostile_shapes import SHAPES

    names = [s for s in args.shapes.split(",") if s] or list(SHAPES)
    if "prose" not in names:
        names.insert(0, "prose")
    sizes = [float(s) for s in args.sizes.split(",") if s]
    print(f"{'shape':20} {'MB':>5} {'valid':>5} {'probs':>5} {'read s':>7} {'validate s':>10} {'MB/s':>6} "
          f"{'facts s':>8} {'index s':>8} {'MB/s':>6} {'peak MB':>8} {'goal MB':>8}  ok")
    worst = []
    with tempfile.TemporaryDirectory() as tmp:
        for size_mb in sizes:
            size = int(size_mb * MB) - 4096  # under the 8 MB limit, front matter included
            for name in names:
                path = Path(tmp) / f"{name}.md"
                path.write_text(SHAPES[name](size), encoding="utf-8")
                r = _run_child(["--child", name, str(size), str(path)])
                mb = r["bytes"] / MB
                rate_v = mb / max(r["validate"] + r["facts"], 1e-9)
                rate_i = mb / max(r["index"], 1e-9)
                goal = 100 + 10 * mb
                ok = rate_v >= 2 and rate_i >= 2 and r["peak_mb"] <= goal
                worst.append((min(rate_v, rate_i), name, size_mb))
                print(f"{name:20} {mb:5.2f} {str(r['valid']):>5} {r['problems']:5d} {r['read']:7.3f} "
                      f"{r['validate']:10.3f} {rate_v:6.1f} {r['facts']:8.3f} {r['index']:8.3f} {rate_i:6.1f} "
                      f"{r['peak_mb']:8.0f} {goal:8.0f}  {'yes' if ok else 'NO'}", flush=True)
                path.unlink()
    if worst:
        rate, name, size_mb = min(worst)
        print(f"\nslowest: {name} at {size_mb:g} MB, {rate:.1f} MB/s (validate+facts or index; goal >= 2)")
    counts = [int(n) for n in args.export.split(",") if n]
    if counts:
        print(f"\n{'highlights':>10} {'KB':>6} {'export s':>9} {'parse s (ref)':>14} {'ratio':>6} {'marked':>7} {'peak MB':>8}")
        for n in counts:
            r = _run_child(["--export-child", str(n)])
            print(f"{r['n']:10d} {r['bytes'] / 1024:6.0f} {r['export']:9.3f} {r['parse']:14.3f} "
                  f"{r['export'] / max(r['parse'], 1e-9):6.1f} {r['marked']:7d} {r['peak_mb']:8.0f}", flush=True)
    print("\n(CPU seconds of one child process per case; preliminary on a shared machine: compare rows "
          "within this run)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
