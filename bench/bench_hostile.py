"""Hostile-input benchmark (issue 15): validate, facts and indexing over generated worst
cases up to the 8 MB limit, each beside same-run references.

    python bench/bench_hostile.py [--sizes 1,8] [--shapes a,b] [--export 1000,4000]

The default size is 1 MB; ``--sizes 1,8`` adds the 8 MB cases (the limit; ~10 minutes on
a quiet machine). Each step of each case runs in its own fresh child process, so its peak
memory (``ru_maxrss``) is that step's own, imports included, not the largest so far:

- ``ref``: reading the file, decoding its UTF-8 and one ``str.split()`` pass over the text,
  the floor any parser pays (reported as MB/s in the ``ref`` column);
- ``parse``: the Markdown body alone (briefing.core.markdown.parse_body on the decoded text);
- ``validate``: `briefing validate PATH` run in the child (its output thrown away);
- ``facts``: `briefing facts PATH --json` run in the child (load, key facts, JSON);
- ``reader``: briefing.core.parser.load_brief and the brief's key facts, what the reader's
  worker does to open a brief (the library, with the collector on between the steps);
- ``index``: briefing.index.parse.parse_file (what indexing does per file).

Rates are MB/s of CPU time (process time: the machine is shared, wall time is noisier).
The ``prose`` row is an ordinary brief of the same size, the reference for the others.
Goal (issue 15): validate, facts, reader and index >= 2 MB/s (a 1 MB brief in < 0.5 s), linear in
size (compare the 1 MB and 8 MB rows), peak memory < 100 MB + 10x the file.

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
STEPS = ("ref", "parse", "validate", "facts", "reader", "index")
GOAL_RATE = 2.0  # MB/s


def goal_mb(size_mb: float) -> float:
    return 100 + 10 * size_mb


def _child(step: str, path: str) -> dict:
    """Run in the child: one step on one generated file, its CPU time and peak memory."""
    import contextlib
    import io
    import resource
    import time

    from briefing.core.parser import load_brief  # (imported before timing, by every step alike)
    from briefing.core.problems import BriefError

    out: dict = {"bytes": os.path.getsize(path)}
    if step in ("validate", "facts"):
        from briefing.cli import main as cli_main
    elif step == "index":
        from briefing.index.parse import parse_file
    elif step == "parse":
        from briefing.core import frontmatter
        from briefing.core.markdown import parse_body
        from briefing.core.sanitize import normalise_newlines
    out["base_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.process_time()
    if step == "ref":
        words = Path(path).read_bytes().decode("utf-8").split()
        out["words"] = len(words)
    elif step == "parse":
        text = normalise_newlines(Path(path).read_bytes().decode("utf-8"))
        _, _, body_start = frontmatter.split(text)
        body = parse_body(text, body_start, text.count("\n", 0, body_start) + 1)
        out["spans"], out["styles"] = len(body.spans), len(body.styles)
    elif step == "validate" or step == "facts":
        sink = io.StringIO()
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(io.StringIO()):
            out["status"] = cli_main(["validate", path] if step == "validate" else ["facts", path, "--json"])
        out["chars"] = len(sink.getvalue())
    elif step == "reader":
        try:
            brief = load_brief(path)
            out["problems"], out["valid"] = len(brief.warnings), True
            out["facts"] = sum(len(v) for v in brief.facts.values())
        except BriefError as exc:
            out["problems"], out["valid"] = len(exc.problems), False
    elif step == "index":
        parse_file(path)
    out["cpu"] = time.process_time() - t
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
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


def _case(name: str, size_mb: float, tmp: str) -> dict:
    """Every step of one shape at one size, each in its own child."""
    from bench.hostile_shapes import SHAPES

    size = int(size_mb * MB) - 4096  # under the 8 MB limit, front matter included
    path = Path(tmp) / f"{name}.md"
    path.write_text(SHAPES[name](size), encoding="utf-8")
    try:
        return {step: _run_child(["--child", step, str(path)]) for step in STEPS}
    finally:
        path.unlink()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1", help="sizes in MB (default 1; 1,8 adds the 8 MB limit)")
    ap.add_argument("--shapes", default="", help="comma-separated shape names (default: all)")
    ap.add_argument("--export", default="1000,4000", help="highlight counts for the export case ('' to skip)")
    ap.add_argument("--json", metavar="FILE", help="also write every figure to FILE as JSON")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--export-child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(_child(*args.child)))
        return 0
    if args.export_child:
        print(json.dumps(_export_child(args.export_child)))
        return 0

    from bench.hostile_shapes import SHAPES

    names = [s for s in args.shapes.split(",") if s] or list(SHAPES)
    if "prose" not in names:
        names.insert(0, "prose")
    sizes = [float(s) for s in args.sizes.split(",") if s]
    print(f"load average {os.getloadavg()[0]:.2f}; rates in MB/s of CPU time (ref: read + decode + str.split); "
          f"peak: max RSS of the step's child;\ngoal >= {GOAL_RATE:g} MB/s for validate, facts, reader and index, "
          "peak < 100 MB + 10x the file\n")
    print(f"{'':32}{'MB/s:':>6} {'ref':>5} {'parse':>5} {'valid':>5} {'facts':>5} {'reader':>6} {'index':>5} "
          f"  {'peak MB:':>8} {'parse':>5} {'valid':>5} {'facts':>5} {'reader':>6} {'index':>5} {'goal':>5}")
    print(f"{'shape':20} {'MB':>5} {'valid':>5} {'probs':>5}")
    results, worst, failed = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for size_mb in sizes:
            for name in names:
                r = _case(name, size_mb, tmp)
                mb = r["ref"]["bytes"] / MB
                rate = {step: mb / max(r[step]["cpu"], 1e-9) for step in STEPS}
                goal = goal_mb(mb)
                slow = [s for s in ("validate", "facts", "reader", "index") if rate[s] < GOAL_RATE]
                big = [s for s in STEPS[1:] if r[s]["peak_mb"] > goal]  # (the reference's own list of words aside)
                ok = not slow and not big
                if not ok:
                    failed.append(f"{name} {size_mb:g} MB: " + ", ".join([f"{s} {rate[s]:.1f} MB/s" for s in slow]
                                                                         + [f"{s} {r[s]['peak_mb']:.0f} MB" for s in big]))
                worst.append((min(rate["validate"], rate["facts"], rate["reader"], rate["index"]), name, size_mb))
                v = r["reader"]
                print(f"{name:20} {mb:5.2f} {str(v['valid']):>5} {v['problems']:5d} {rate['ref']:5.0f} {rate['parse']:5.1f} "
                      f"{rate['validate']:5.1f} {rate['facts']:5.1f} {rate['reader']:6.1f} {rate['index']:5.1f}  "
                      f"{'':8} {r['parse']['peak_mb']:5.0f} {r['validate']['peak_mb']:5.0f} {r['facts']['peak_mb']:5.0f} "
                      f"{v['peak_mb']:6.0f} {r['index']['peak_mb']:5.0f} {goal:5.0f}  {'yes' if ok else 'NO'}", flush=True)
                results.append({"shape": name, "size_mb": size_mb, **r})
    if results:
        base = max(r[s]["base_mb"] for r in results for s in STEPS)
        print(f"\n(a child's RSS after its imports, before the step: up to {base:.0f} MB)")
    if worst:
        rate, name, size_mb = min(worst)
        print(f"slowest: {name} at {size_mb:g} MB, {rate:.1f} MB/s (validate, facts, reader or index; goal >= {GOAL_RATE:g})")
        print("short of the goal: " + ("; ".join(failed) if failed else "none"))
    counts = [int(n) for n in args.export.split(",") if n]
    exports = []
    if counts:
        print(f"\n{'highlights':>10} {'KB':>6} {'export s':>9} {'parse s (ref)':>14} {'ratio':>6} {'marked':>7} {'peak MB':>8}")
        for n in counts:
            r = _run_child(["--export-child", str(n)])
            exports.append(r)
            print(f"{r['n']:10d} {r['bytes'] / 1024:6.0f} {r['export']:9.3f} {r['parse']:14.3f} "
                  f"{r['export'] / max(r['parse'], 1e-9):6.1f} {r['marked']:7d} {r['peak_mb']:8.0f}", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps({"cases": results, "export": exports,
                                               "load": os.getloadavg()}, indent=1))
    print(f"\n(CPU seconds of one child process per step; load average now {os.getloadavg()[0]:.2f}: "
          "compare rows within this run)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
