"""Reader benchmark: time to first paint, measured in a real terminal (tmux), side by side
with a bare Textual app, using the shared tool ``ttfp.py`` (found beside the repository in
``../shared/tools``; pass ``--tools DIR`` otherwise).

    python bench/bench_reader.py [-n 7]

Prints, for each case, the median time until a sentinel text is on screen, the reference
(a bare Textual app) measured in alternation in the same run, and the median ratio.
Targets (issue: the reader): shipped briefs <= 1.3x the bare app; a 1 MB brief paints its
first screen in < 0.6 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_big_brief(folder: Path, size: int = 1_000_000) -> Path:
    para = (
        "On [Wednesday]{.date value=2024-06-19} the [Prime Minister]{.leader} spoke in "
        "[Tokyo]{.region kind=city} about trade, security and the *regional* order, and officials "
        "said the talks with [Wellington]{.region kind=city} would continue next month. "
    ) * 6
    body = "\n\n".join(para for _ in range(size // len(para)))
    path = folder / "one-megabyte.md"
    path.write_text("---\ntitle: One megabyte brief\npublished: 2024-06-19\n---\n"
                    "Benchmarkopening of the large brief.\n\n" + body + "\n", encoding="utf-8")
    return path


def ttfp(tools: Path, command: str, sentinel: str, runs: int, cwd: Path, env: dict) -> dict:
    # The reference runs the way the guide measures it (`python` found on PATH, as `briefing`
    # is): where `python` is a pyenv shim, so is `briefing`, and the ratio stays fair.
    ref = f"{shutil.which('python') or sys.executable} {tools / 'hello_textual.py'}"
    out = subprocess.run(
        [sys.executable, str(tools / "ttfp.py"), command, sentinel, "--vs", ref, "READY", "-n", str(runs)],
        capture_output=True, text=True, cwd=cwd, env=env,
    )
    result = {"raw": out.stdout + out.stderr}
    for key, pattern in (("a", r"^A: median ([\d.]+)s"), ("b", r"^B: median ([\d.]+)s"), ("ratio", r"^ratio A/B: median ([\d.]+)")):
        m = re.search(pattern, out.stdout, re.MULTILINE)
        result[key] = float(m.group(1)) if m else float("nan")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--runs", type=int, default=7)
    parser.add_argument("--tools", type=Path, default=ROOT.parent / "shared" / "tools")
    args = parser.parse_args()
    if not (args.tools / "ttfp.py").exists():
        print(f"ttfp.py not found in {args.tools}; pass --tools DIR", file=sys.stderr)
        return 2
    exe = shutil.which("briefing")
    if exe is None or shutil.which("tmux") is None:
        print("needs the installed `briefing` command and tmux", file=sys.stderr)
        return 2
    # ttfp.py kills each session when done; were it the last one, the tmux server would exit and
    # race the next run's start. An idle session keeps the server up for the whole benchmark.
    keepalive = "briefing-bench-keepalive"
    subprocess.run(["tmux", "new-session", "-d", "-s", keepalive, "sleep 3600"], capture_output=True)
    try:
        return _run(args, exe)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", keepalive], capture_output=True)


def _run(args, exe: str) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        env = {**os.environ, "BRIEFING_DATA_DIR": str(tmp_path / "data")}
        big = make_big_brief(tmp_path)
        empty = tmp_path / "cwd"
        empty.mkdir()
        cases = [
            ("first paint, shipped briefs", f"{exe}", "Japan and New Zealand agree", "ratio <= 1.3", empty),
            ("open a 1 MB brief", f"{exe} {big}", "Benchmarkopening", "A < 0.6 s", empty),
        ]
        print(f"briefing reader benchmark — {date.today().isoformat()} — {platform.node()} "
              f"({os.cpu_count()} cores, Python {platform.python_version()}), {args.runs} runs each, medians")
        print(f"{'case':32} {'briefing':>10} {'bare Textual':>13} {'ratio':>7}   target")
        for name, command, sentinel, target, cwd in cases:
            r = ttfp(args.tools, command, sentinel, args.runs, cwd, env)
            if r["a"] != r["a"]:  # tmux can lose a race between one run's end and the next start
                r = ttfp(args.tools, command, sentinel, args.runs, cwd, env)
            print(f"{name:32} {r['a']:>9.3f}s {r['b']:>12.3f}s {r['ratio']:>7.2f}   {target}")
            if r["a"] != r["a"]:
                print(r["raw"], file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
