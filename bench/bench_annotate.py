"""Speed of ``briefing annotate``; every figure beside a reference measured in the same run
(the machine may be busy: compare within a run, not across runs).

    python bench/bench_annotate.py [--n 1000] [--runs 20]

1. One 5 KB article, in process, after start-up (target < 50 ms), beside parsing the
   draft it produces with the brief parser (what the reader does with it).
2. ``briefing annotate DIR --out-dir OUT`` over N generated articles (target >= 1 MB/s of
   raw text, start-up included), beside ``briefing validate OUT`` over the drafts.
3. Start-up: ``briefing annotate -`` on a one-line text, beside ``briefing --version``.

The articles are the synthetic corpus (bench/corpus.py) with their front matter and spans
taken off: raw text of news-like sentences, places, leaders and dates. Everything is
written in a temporary folder and removed at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tui"))

from bench.corpus import generate_brief  # noqa: E402

_SPAN = re.compile(r"\[([^\[\]]*)\]\{[^}]*\}")


def raw_article(index: int, size_kb: float = 5.0) -> str:
    """A generated brief as raw text: no front matter, no spans, no Markdown headings."""
    _, text = generate_brief(7, index, size_kb)
    body = text.split("\n---\n", 1)[1]
    body = _SPAN.sub(r"\1", body)
    return re.sub(r"(?m)^#+ ", "", body).strip() + "\n"


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def run(cmd: list[str], env: dict, stdin: bytes | None = None) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, env=env, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Speed of briefing annotate (figures beside same-run references).")
    ap.add_argument("--n", type=int, default=1000, help="articles for the --out-dir run")
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args(argv)

    from briefing.annotate import draft_brief
    from briefing.core.parser import parse_brief

    published = dt.date(2024, 6, 19)
    article = raw_article(1, 5.0)
    while len(article.encode()) < 5 * 1024:
        article += raw_article(len(article), 1.0)
    article = article.encode()[:5 * 1024].decode("utf-8", "ignore")
    t0 = time.perf_counter()
    first = draft_brief(article, published=published)
    first_ms = (time.perf_counter() - t0) * 1000
    one = median_ms(lambda: draft_brief(article, published=published), args.runs)
    ref = median_ms(lambda: parse_brief(first), args.runs)
    print("briefing annotate speed (preliminary on a shared machine: compare ratios within a run)\n")
    print(f"{'measure':<58} {'value':>12} {'reference':>12} {'ratio':>7}")
    print(f"{'5 KB article, in process, first call (loads gazetteers)':<58} {first_ms:>9.1f} ms {'':>12} {'':>7}")
    print(f"{'5 KB article, in process (target < 50 ms) / parse draft':<58} {one:>9.1f} ms {ref:>9.1f} ms {one / ref:>6.1f}x")

    env = dict(os.environ, PYTHONPATH=str(ROOT / "tui"))
    with tempfile.TemporaryDirectory() as tmp:
        env["BRIEFING_DATA_DIR"] = str(Path(tmp) / "data")
        src, out = Path(tmp) / "raw", Path(tmp) / "out"
        src.mkdir()
        total = 0
        for i in range(args.n):
            text = raw_article(i)
            total += len(text.encode())
            (src / f"a{i:05d}.txt").write_text(text, encoding="utf-8")
        exe = [sys.executable, "-m", "briefing"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = run(exe + ["annotate", str(src), "--out-dir", str(out), "--published", "2024-06-19", "--no-learn"], env)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        made = len(list(out.glob("*.md")))
        validate = run(exe + ["validate", str(out)], env)
        mbs = total / 1e6 / wall
        print(f"{f'--out-dir over {args.n} articles ({total / 1e6:.1f} MB, {made} drafts) / validate':<58} "
              f"{wall:>10.2f} s {validate:>10.2f} s {wall / validate:>6.1f}x")
        print(f"{'  throughput (target >= 1 MB/s)':<58} {mbs:>7.2f} MB/s {'':>12} {'':>7}")
        print(f"{'  CPU time of the run (all workers; what a busy machine cannot hide)':<58} {cpu:>10.2f} s "
              f"{'':>12} {'':>7}")
        print(f"{'  throughput per CPU-second (x cores = idle-machine wall figure)':<58} {total / 1e6 / cpu:>7.2f} MB/s")
        print(f"{'  load average during the run':<58} {os.getloadavg()[0]:>12.1f}")
        line = b"Prime Minister Fumio Kishida met Polish President Andrzej Duda in Tokyo last week.\n"
        start = statistics.median(run(exe + ["annotate", "-", "--published", "2024-06-19", "--no-learn"], env, line)
                                  for _ in range(5))
        version = statistics.median(run(exe + ["--version"], env) for _ in range(5))
        print(f"{'start-up: annotate - (one line) / briefing --version':<58} {start * 1000:>9.0f} ms "
              f"{version * 1000:>9.0f} ms {start / version:>6.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
