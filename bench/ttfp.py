#!/usr/bin/env python3
"""Time to first paint of a terminal program, measured in a real terminal (tmux).

The method of the team's shared tool (../shared/tools/ttfp.py), kept here so the benchmarks
run from a clone: start COMMAND in a detached tmux session of the given size, poll the screen
every 5 ms, and stop the clock when every SENTINEL is on it. With --vs, a reference command
is run in alternation (A B A B ...) so the ratio holds even when the machine's speed drifts.

    python bench/ttfp.py 'briefing briefs' 'Kishida' 'Luxon ×5' --vs 'python bench/hello_textual.py' READY -n 7

Several sentinels: the screen counts as painted when all of them are on it (the reader's
first screen a person can read: a line of the brief in the pane AND a fact in the sidebar;
a skeleton frame shows neither). Prints the medians and, with --vs, the median of the
pairwise ratios A/B. Exit status 1 when a run never showed its sentinels within --timeout.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import uuid


def first_paint(command: str, sentinels: list[str], width: int, height: int, timeout: float,
                tmux: list[str] | None = None, env: dict | None = None) -> float:
    """Seconds from starting ``command`` until every sentinel is on screen (NaN on timeout).
    ``env``: variables set for the command (a running tmux server does not take them from the
    client's environment: without -e, a BRIEFING_DATA_DIR set by the caller never reached it)."""
    tmux = tmux or ["tmux"]
    session = "ttfp-" + uuid.uuid4().hex[:8]
    env_args = [arg for k, v in (env or {}).items() for arg in ("-e", f"{k}={v}")]
    start = time.perf_counter()
    subprocess.run([*tmux, "new-session", "-d", "-s", session, "-x", str(width), "-y", str(height), *env_args,
                    command], check=True)
    try:
        while time.perf_counter() - start < timeout:
            screen = subprocess.run([*tmux, "capture-pane", "-p", "-t", session],
                                    capture_output=True, text=True).stdout
            if all(s in screen for s in sentinels):
                return time.perf_counter() - start
            time.sleep(0.005)
        return float("nan")
    finally:
        subprocess.run([*tmux, "kill-session", "-t", session], capture_output=True)


def compare(command: str, sentinels: list[str], ref_command: str | None, ref_sentinels: list[str],
            runs: int, size: tuple[int, int] = (120, 40), timeout: float = 30.0, env: dict | None = None) -> dict:
    """``runs`` alternated runs of ``command`` and the reference (after one warm-up of each):
    {"a": [...], "b": [...], "ratios": [...]}, seconds. ``env`` is set for both."""
    width, height = size
    first_paint(command, sentinels, width, height, timeout, env=env)  # warm-up (and a warm index)
    if ref_command:
        first_paint(ref_command, ref_sentinels, width, height, timeout, env=env)
    a, b = [], []
    for _ in range(runs):
        a.append(first_paint(command, sentinels, width, height, timeout, env=env))
        if ref_command:
            b.append(first_paint(ref_command, ref_sentinels, width, height, timeout, env=env))
    return {"a": a, "b": b, "ratios": [x / y for x, y in zip(a, b)]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command")
    parser.add_argument("sentinels", nargs="+", help="texts that must all be on screen")
    parser.add_argument("--vs", nargs="+", metavar="REF", help="REF_COMMAND REF_SENTINEL [REF_SENTINEL...]")
    parser.add_argument("-n", "--runs", type=int, default=5)
    parser.add_argument("--size", default="120x40", help="terminal size, WxH")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per run")
    args = parser.parse_args()
    width, height = (int(x) for x in args.size.split("x"))
    ref, ref_sentinels = (args.vs[0], args.vs[1:]) if args.vs else (None, [])
    r = compare(args.command, args.sentinels, ref, ref_sentinels, args.runs, (width, height), args.timeout)

    def show(name: str, xs: list[float]) -> None:
        print(f"{name}: median {statistics.median(xs):.3f}s  min {min(xs):.3f}s  max {max(xs):.3f}s")

    show("A", r["a"])
    if ref:
        show("B", r["b"])
        print(f"ratio A/B: median {statistics.median(r['ratios']):.2f}  min {min(r['ratios']):.2f}  max {max(r['ratios']):.2f}")
    failed = any(x != x for x in r["a"] + r["b"])  # NaN: a sentinel never appeared
    if failed:
        print("some runs never showed their sentinels", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
