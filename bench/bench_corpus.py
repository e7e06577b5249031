"""The corpus benchmark (issue: 10,000 briefs). Generates N synthetic annotated briefs in a
temporary folder, then prints each figure beside a reference measured in the same run:

- index: cold indexing throughput (reference: reading the same bytes), warm refresh, search
  latency, peak memory of the build: ``bench/bench_index.py`` on the same folder;
- reader, in a real terminal (tmux): the first screen a person can read with a warm index,
  i.e. the newest brief's text in the pane and its facts in the sidebar (reference: a bare
  Textual app, bench/hello_textual.py, timed in alternation by bench/ttfp.py); brief switch, key to repaint (reference: a key echoed by
  ``cat`` in the same terminal); opening a 1 MB brief (reference: the bare app); peak RSS of
  the reader after a search (reference: the bare app's).

    python bench/bench_corpus.py [--n 10000] [--runs 7]

Targets on the 2-core machine: warm first paint <= 2x the bare app; cold indexing >= 20 MB/s;
search < 50 ms; brief switch < 50 ms; peak RSS < 400 MB.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_reader import compile_reader, first_screen_sentinels, load_note, make_big_brief, ttfp  # noqa: E402


class Term:
    """A tmux session on a private server, polled every few milliseconds."""

    def __init__(self, command: str, env: dict, cwd: Path, size=(120, 40)):
        self.sock = "bench-" + uuid.uuid4().hex[:8]
        self.tmux = ["tmux", "-L", self.sock]
        subprocess.run([*self.tmux, "new-session", "-d", "-s", "b", "-x", str(size[0]), "-y", str(size[1]), command],
                       check=True, env={**os.environ, **env}, cwd=cwd)

    def screen(self) -> str:
        return subprocess.run([*self.tmux, "capture-pane", "-p", "-t", "b"], capture_output=True, text=True).stdout

    def wait(self, predicate, timeout: float = 30.0, every: float = 0.005) -> float:
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            if predicate(self.screen()):
                return time.perf_counter() - start
            time.sleep(every)  # as ttfp.py polls: each capture spawns a tmux client, which costs CPU the reader needs
        raise TimeoutError("the screen never showed what was awaited")

    def key(self, key: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", "b", key], check=True)

    def pid(self) -> int:
        out = subprocess.run([*self.tmux, "list-panes", "-t", "b", "-F", "#{pane_pid}"], capture_output=True, text=True)
        return int(out.stdout.split()[0])

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)


def peak_rss_mb(pid: int) -> float:
    """VmHWM of a process or, if it is a shell, of its first child."""
    for candidate in [pid, *_children(pid)]:
        try:
            status = Path(f"/proc/{candidate}/status").read_text()
        except OSError:
            continue
        name = status.split("\n", 1)[0]
        if "python" in name or "briefing" in name:
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    return float("nan")


def _children(pid: int) -> list[int]:
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def title_line(screen: str) -> str:
    """The title bar and the top of the pane (its title, date and source): two briefs of a
    synthetic corpus can share a title, never all of these."""
    return "\n".join(screen.splitlines()[:4]) if screen else ""


def switch_latency(exe: str, corpus: Path, env: dict, runs: int) -> list[float]:
    """Key to repaint: in the list, ``j`` moves to the next brief; the clock stops when its
    title is in the header."""
    term = Term(f"{exe} {corpus}", env, corpus)
    try:
        term.wait(lambda s: "Briefs " in s and "Leaders (" in s)
        time.sleep(1.0)  # let the loader settle
        times = []
        for _ in range(runs):
            before = title_line(term.screen())
            start = time.perf_counter()
            term.key("j")
            term.wait(lambda s: title_line(s) != before, timeout=10)
            times.append(time.perf_counter() - start)
            time.sleep(0.15)
        return times
    finally:
        term.close()


def echo_latency(cwd: Path, runs: int) -> list[float]:
    """The reference for key-to-repaint: a key echoed by ``cat`` in the same kind of terminal."""
    term = Term("cat", {}, cwd)
    try:
        time.sleep(0.3)
        times = []
        for i in range(runs):
            mark = "k" * (i + 1)
            start = time.perf_counter()
            term.key("k")
            term.wait(lambda s: mark in s, timeout=5)
            times.append(time.perf_counter() - start)
        return times
    finally:
        term.close()


def rss_after_search(exe: str, corpus: Path, env: dict) -> float:
    term = Term(f"{exe} {corpus}", env, corpus)
    try:
        term.wait(lambda s: "Leaders (" in s)
        time.sleep(1.5)
        for key in ("/", "s", "e", "c", "u", "r", "i", "t", "y"):
            term.key(key)
        time.sleep(1.0)
        term.key("Enter")
        term.key("G")
        time.sleep(0.5)
        return peak_rss_mb(term.pid())
    finally:
        term.close()


def bare_rss(cwd: Path) -> float:
    term = Term(f"{sys.executable} {ROOT / 'bench' / 'hello_textual.py'}", {}, cwd)
    try:
        term.wait(lambda s: "READY" in s)
        time.sleep(0.3)
        return peak_rss_mb(term.pid())
    finally:
        term.close()


def cold_start(exe: str, corpus: Path, data: Path, n: int) -> tuple[float, float]:
    """A first start on the folder, with no index: seconds until the header counts the
    indexing (the first briefs listed; all of them at once from a quick look when there are
    QUICK_MIN_FILES or more), and until it says every brief is indexed."""
    term = Term(f"{exe} {corpus}", {"BRIEFING_DATA_DIR": str(data)}, corpus)
    try:
        start = time.perf_counter()
        term.wait(lambda s: f"/{n:,}" in s.split("\n", 2)[1], timeout=60, every=0.02)
        listed = time.perf_counter() - start
        # Seconds to wait for: a look every 0.1 s (each look costs the reader CPU).
        term.wait(lambda s: f"Briefs {n:,}/{n:,}" in s, timeout=300, every=0.1)
        return listed, time.perf_counter() - start
    finally:
        term.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--reader", default=None, help="the command that starts the reader (default: the installed `briefing`)")
    args = ap.parse_args()
    exe = args.reader or shutil.which("briefing")
    if exe is None or shutil.which("tmux") is None:
        print("needs the installed `briefing` (or --reader CMD) and tmux", file=sys.stderr)
        return 2
    print(f"machine: {load_note()}; {compile_reader(installed=args.reader is None)}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        keep = Path(tmp) / "run"
        print("== index (bench/bench_index.py) ==", flush=True)
        out = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_index.py"), "--n", str(args.n),
                              "--keep", str(keep)], check=True, capture_output=True, text=True).stdout
        print(out, end="", flush=True)
        m = re.search(r"^cold index, MB/s .*?\(([\d.]+) s,", out, re.MULTILINE)
        index_cold_s = float(m.group(1)) if m else float("nan")
        corpus, env = keep / "briefs", {"BRIEFING_DATA_DIR": str(keep / "data")}
        newest = subprocess.run(
            [sys.executable, "-c", "from briefing.index import Index; import sys;"
             f"print(Index.open().entries([{str(corpus)!r}], order='-published', limit=1)[0].key)"],
            capture_output=True, text=True, env={**os.environ, **env, "PYTHONPATH": str(ROOT / "tui")},
            cwd=ROOT).stdout.strip()
        sentinels = first_screen_sentinels(Path(newest))  # the pane's text and the sidebar's first fact
        print(f"\n== reader, {args.n:,} briefs, warm index ==", flush=True)
        keepalive = ["tmux", "new-session", "-d", "-s", "bench-keepalive-" + uuid.uuid4().hex[:6], "sleep 1800"]
        subprocess.run(keepalive, capture_output=True)  # ttfp.py's sessions must not race a dying server
        r = ttfp(f"{exe} {corpus}", sentinels, args.runs, corpus, env)
        print(f"{'first screen, warm index':32} {r['a']:>8.3f}s   bare Textual app {r['b']:.3f}s   ratio {r['ratio']:.2f}   (target <= 2)   {sentinels}")
        switch = switch_latency(exe, corpus, env, args.runs * 2)
        echo = echo_latency(corpus, args.runs * 2)
        print(f"{'brief switch (key to repaint)':32} {statistics.median(switch) * 1000:>7.0f}ms   "
              f"key echoed by cat {statistics.median(echo) * 1000:.0f}ms   (target < 50 ms)")
        big = make_big_brief(Path(tmp))
        r = ttfp(f"{exe} {big}", ["Benchmarkopening"], args.runs, Path(tmp), env)
        print(f"{'open a 1 MB brief':32} {r['a']:>8.3f}s   bare Textual app {r['b']:.3f}s   ratio {r['ratio']:.2f}   (target < 0.6 s)")
        print(f"{'peak RSS, reader after a search':32} {rss_after_search(exe, corpus, env):>7.0f}MB   "
              f"bare Textual app {bare_rss(corpus):.0f}MB   (target < 400 MB)")
        print(f"\n== reader, {args.n:,} briefs, first start (no index) ==", flush=True)
        cold = cold_start(exe, corpus, Path(tmp) / "cold-data", args.n)
        corpus_mb = sum(p.stat().st_size for p in corpus.rglob("*.md")) / 1e6
        print(f"{'listing, then fully indexed':32} {cold[0]:>7.2f}s / {cold[1]:.1f}s   "
              f"the index alone (above): {index_cold_s:.1f}s   ({corpus_mb / cold[1]:.1f} MB/s in the reader)")
    print(f"machine after: {load_note()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
