#!/usr/bin/env python3
"""How long ``q`` takes to end the reader while its worst-case work runs (issue 15: ``q``
always quits within 0.5 s), beside the bare Textual app's quit (bench/hello_textual.py).

    python bench/bench_quit.py [-n 3] [--cases big_brief,mentions,search,export]

Each case runs the reader in a detached tmux session (a socket of its own) on generated
worst cases (bench/hostile_shapes.py, bench/corpus.py), brings it to its worst moment, sends
``q`` and stops the clock when the process has exited (the shell that ran it writes the time
at once). The cases:

- ``big_brief``: a ~7.9 MB brief of dense valid spans, ``q`` as soon as its head is on screen
  (the whole is being parsed, ~6 s of CPU).
- ``mentions``: a brief of 80,000 mentions of one entity, ``q`` as soon as the first frame shows
  (parse and facts running).
- ``search``: a 400-word search line on 10,000 indexed briefs, ``q`` right after ``enter``.
- ``export``: a brief with 4,000 highlights, ``q`` right after the export dialog's ``enter``.
- ``indexing``: 10,000 briefs never indexed, ``q`` while the index is built.

Every case runs in alternation with the reference (A, B, A, B…); the table gives medians
and maxima of wall seconds from the key to the process's end and the median ratio to the
reference. ``at q`` says what the screen showed when the key was sent (so a run that
missed its worst moment is visible). Wall time on a shared machine: read the ratios.
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tui"))

SIZE = (120, 40)


class Tmux:
    def __init__(self, socket: str) -> None:
        self.base = ["tmux", "-L", socket]

    def run(self, *args: str) -> str:
        return subprocess.run([*self.base, *args], capture_output=True, text=True).stdout

    def screen(self, colours: bool = False) -> str:
        return self.run("capture-pane", "-p", *(["-e"] if colours else []), "-t", "q")

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", "q", *(["-l"] if literal else []), *keys)

    def wait_for(self, test, timeout: float = 60.0, colours: bool = False) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen(colours)
            if test(screen):
                return screen
            time.sleep(0.01)
        raise SystemExit(f"timed out; the screen was:\n{self.screen()}")

    def kill(self) -> None:
        self.run("kill-server")


def _reader(folder: Path) -> str:
    return f"{shlex.quote(sys.executable)} -m briefing {shlex.quote(str(folder))}"


def one_run(tmux: Tmux, command: str, env: dict, cwd: Path, worst_moment) -> tuple[float, str, str]:
    """Start ``command``, bring it to its worst moment, send q: (seconds from q to the
    process's end, what the screen said at q, the exit status)."""
    marker = cwd / f"exited-{time.monotonic_ns()}"
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    shell = f"cd {shlex.quote(str(cwd))} && env {exports} {command}; echo \"$? $(date +%s.%N)\" > {shlex.quote(str(marker))}"
    tmux.run("new-session", "-d", "-s", "q", "-x", str(SIZE[0]), "-y", str(SIZE[1]), f"sh -c {shlex.quote(shell)}")
    try:
        at_q = worst_moment(tmux)
        t0 = time.time()
        tmux.keys("q")
        deadline = time.monotonic() + 120
        while not marker.exists() or not marker.read_text().strip():
            if time.monotonic() > deadline:
                return float("nan"), at_q, "timeout"
            time.sleep(0.002)
        status, ended = marker.read_text().split()
        return float(ended) - t0, at_q, status
    finally:
        tmux.run("kill-session", "-t", "q")
        marker.unlink(missing_ok=True)


# ---------------------------------------------------------------------------- the cases


def _first_frame(words: tuple[str, ...]):
    def moment(tmux: Tmux) -> str:
        screen = tmux.wait_for(lambda s: any(w in s for w in words))
        return "whole brief still parsing" if "Reading the whole brief" in screen else "first frame"
    return moment


def hello_case(work: Path) -> tuple[str, dict, Path, callable]:
    def moment(tmux: Tmux) -> str:
        tmux.wait_for(lambda s: "READY" in s)
        return "READY shown"
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(ROOT / 'bench' / 'hello_textual.py'))}", {}, work, moment


def _one_brief_folder(work: Path, name: str, text: str) -> Path:
    folder = work / name
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.md").write_text(text, encoding="utf-8")
    return folder


def big_brief_case(work: Path):
    from bench.hostile_shapes import valid_spans
    from briefing.core.limits import MAX_BRIEF_BYTES

    folder = _one_brief_folder(work, "big", valid_spans(MAX_BRIEF_BYTES - 200_000))
    return _reader(folder), {}, work, _first_frame(("Kishida", "Hostile shape"))


def mentions_case(work: Path):
    from bench.hostile_shapes import facts_refs

    text = facts_refs(80_000 * 24)
    assert text.count("{.leader") >= 80_000, text.count("{.leader")
    folder = _one_brief_folder(work, "mentions", text)
    return _reader(folder), {}, work, _first_frame(("k1 k2", "Hostile shape"))


def _corpus(work: Path, n: int = 10_000) -> Path:
    from bench.corpus import generate_corpus

    folder = work / "corpus"
    if not folder.exists():
        generate_corpus(folder, n, seed=15)
    return folder


def search_case(work: Path):
    folder = _corpus(work)
    data = work / "data-search"
    if not data.exists():  # a warm index, as a user who searches has
        from briefing.index import Index

        with Index.open(data) as index:
            index.refresh([folder])
    sample = next(folder.rglob("*.md")).read_text(encoding="utf-8").split("---", 2)[2]
    words = [w.strip("[]{}*.,:;()\"'") for w in sample.split()]
    words = [w for w in words if w.isalpha()]
    line = " ".join((words * (400 // max(1, len(words)) + 1))[:400])

    def moment(tmux: Tmux) -> str:
        tmux.wait_for(lambda s: "Briefs 10,000/10,000" in s)
        tmux.keys("/")
        tmux.wait_for(lambda s: "Search:" in s)
        tmux.keys(line, literal=True)
        tmux.wait_for(lambda s: line[-15:] in s, 60)  # every key of the line read
        t = time.monotonic()
        tmux.keys("Enter")
        # Enter hands the focus back to the list once the UI thread has handled it (a q sent
        # before would be typed into the line): q as soon as the search line's border loses
        # the focus colour, while the search may still run in its worker. (The old code ran the
        # search inside Enter's handler: the focus came back only after it.)
        focused = "\x1b[38;5;32m\u258a"
        tmux.wait_for(lambda s: not s.splitlines()[2].startswith(focused), 120, colours=True)
        return f"list answers {time.monotonic() - t:.2f} s after enter"
    return _reader(folder), {"BRIEFING_DATA_DIR": str(data)}, work, moment


def export_case(work: Path):
    from bench.hostile_shapes import highlighted_paragraph
    from briefing.core.parser import load_brief
    from briefing.store import Store

    text, spans = highlighted_paragraph(4000)
    folder = _one_brief_folder(work, "export", text)
    data = work / "data-export"
    if not data.exists():
        brief = load_brief(folder / "export.md")
        store = Store.open(data)
        try:
            for s, e in spans:
                store.add_highlight(brief, s, e)
        finally:
            store.close()
    out = work / "export-out"
    out.mkdir(exist_ok=True)

    def moment(tmux: Tmux) -> str:
        tmux.wait_for(lambda s: "Highlights" in s or "highlight" in s.lower())
        tmux.keys("e")
        tmux.wait_for(lambda s: "Write to:" in s)
        tmux.keys("Tab", "Tab", "Tab")  # format, digest, key facts: to the path
        time.sleep(0.1)
        t = time.monotonic()
        tmux.keys("Enter")
        # q once the dialog says so (the focus is then on Cancel; a q sent with enter would be
        # typed into the path line): the export runs in its worker. (The old code exported
        # inside the handler that closed the dialog: nothing showed until it was done.)
        tmux.wait_for(lambda s: "Exporting" in s or "Write to:" not in s, 120)
        return f"export running ({time.monotonic() - t:.2f} s after enter)"
    return _reader(folder), {"BRIEFING_DATA_DIR": str(data)}, out, moment


def indexing_case(work: Path):
    folder = _corpus(work)
    data = work / f"data-indexing-{time.monotonic_ns()}"  # never indexed

    def moment(tmux: Tmux) -> str:
        screen = tmux.wait_for(lambda s: "Indexing" in s)
        return "indexing" if "Indexing" in screen else "?"
    return _reader(folder), {"BRIEFING_DATA_DIR": str(data)}, work, moment


CASES = {"big_brief": big_brief_case, "mentions": mentions_case, "search": search_case,
         "export": export_case, "indexing": indexing_case}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", "--runs", type=int, default=3)
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--work", help="a folder to keep the generated inputs in (default: a temporary one)")
    args = ap.parse_args()
    names = [c for c in args.cases.split(",") if c]
    tmp = None
    if args.work:
        work = Path(args.work)
        work.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory()
        work = Path(tmp.name)
    tmux = Tmux(f"bench-quit-{os.getpid()}")
    env_base = {"PYTHONPATH": os.pathsep.join([str(ROOT / "tui"), str(ROOT)]),
                "BRIEFING_CONFIG_DIR": str(work / "config"), "BRIEFING_DATA_DIR": str(work / "data"),
                "TERM": "xterm-256color"}
    try:
        print(f"preparing the inputs in {work} …", file=sys.stderr, flush=True)
        prepared = {"hello": hello_case(work)}
        for name in names:
            prepared[name] = CASES[name](work)
        results: dict[str, list] = {name: [] for name in prepared}
        for r in range(args.runs):
            for name in names:
                for case in (name, "hello"):  # alternated with the reference
                    command, env, cwd, moment = prepared[case]
                    if case == "indexing":
                        command, env, cwd, moment = CASES["indexing"](work)
                    results[case].append(one_run(tmux, command, {**env_base, **env}, cwd, moment))
                    print(f"  run {r + 1} {case}: {results[case][-1][0]:.3f} s ({results[case][-1][1]}, "
                          f"exit {results[case][-1][2]})", file=sys.stderr, flush=True)
        ref = statistics.median(t for t, _, _ in results["hello"])
        print(f"\nload average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {os.cpu_count()} CPUs, {args.runs} runs each")
        print(f"{'case':10} {'median s':>9} {'max s':>7} {'ratio':>6}  at q")
        for name in ["hello", *names]:
            times = [t for t, _, _ in results[name]]
            states = sorted({s for _, s, _ in results[name]})
            print(f"{name:10} {statistics.median(times):9.3f} {max(times):7.3f} {statistics.median(times) / ref:6.1f}  "
                  f"{', '.join(states)}")
        print("\n(seconds from sending q to the process's end; hello = bench/hello_textual.py, the reference)")
    finally:
        tmux.kill()
        if tmp is not None:
            tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
