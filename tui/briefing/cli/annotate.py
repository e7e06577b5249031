"""``briefing annotate PATH... [--published YYYY-MM-DD] [--title T] [--source S] [-o OUT | --out-dir DIR] [--force] [--learn/--no-learn]``.

Drafts a brief (``draft: true``) from raw text: ``-`` reads standard input; the draft goes
to standard output, to OUT, or to DIR/NAME.md for each input (several inputs need
--out-dir). An existing output is replaced only with --force. Exit 0 when every input was drafted, 1 when any
failed (a message names the input and the reason: no published date, not UTF-8, exists...),
2 for a usage error. Never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from briefing.cli.guard import guarded, stderr_line

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
MAX_BYTES = 8 * 1024 * 1024


def add_parser(sub) -> None:
    a = sub.add_parser("annotate", help="draft a brief's annotations from raw text",
                       description="Draft leaders, regions and dates in raw text as a brief (draft: true).")
    a.add_argument("paths", nargs="+", metavar="PATH", help="text files or folders of .txt files; - for standard input")
    a.add_argument("--published", type=_date, metavar="YYYY-MM-DD",
                   help="the publication date (default: a dateline in the text); relative dates are resolved against it")
    a.add_argument("--title", help="the title (default: the headline, else the file name)")
    a.add_argument("--source", help="the source to record in the front matter")
    out = a.add_mutually_exclusive_group()
    out.add_argument("-o", "--output", metavar="OUT", help="file to write (one input only; default: standard output)")
    out.add_argument("--out-dir", metavar="DIR", help="write NAME.md for each input into DIR")
    a.add_argument("--force", action="store_true", help="replace outputs that exist")
    a.add_argument("--learn", action=argparse.BooleanOptionalAction, default=True,
                   help="use the leaders and regions of the indexed briefs as a gazetteer (default: on)")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--published must be a date YYYY-MM-DD, not {text!r}") from None


def _err(message: str) -> None:
    stderr_line("briefing annotate", message)


def run_annotate(args: argparse.Namespace) -> int:
    return guarded(_run, args, _err, "failed")


def _inputs(paths: list[str]) -> list[str]:
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if p != "-" and path.is_dir():
            out.extend(str(f) for f in sorted(path.iterdir()) if f.suffix == ".txt" and not f.name.startswith("."))
        else:
            out.append(p)
    return out


def _read(name: str) -> str:
    if name == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1) if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
    else:
        with open(name, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValueError("larger than 8 MB")
    if b"\x00" in data[:65536]:
        raise ValueError("binary file (NUL byte)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ValueError(f"not UTF-8 (line {line}, byte {exc.start})") from None


def _run(args: argparse.Namespace) -> int:
    from briefing.annotate import learned_entities

    inputs = _inputs(args.paths)
    if not inputs:
        _err("no .txt file found in the given folders")
        return EXIT_FAIL
    if len(inputs) > 1 and not args.out_dir:
        _err("several inputs need --out-dir DIR (one draft per input)")
        return EXIT_USAGE
    if inputs.count("-") > 1:
        _err("standard input (-) can be read once")
        return EXIT_USAGE
    out_dir = Path(args.out_dir) if args.out_dir else None
    if out_dir is not None:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            _err(f"{out_dir}: cannot create the folder: {exc.strerror or exc}")
            return EXIT_FAIL
    global _JOB
    _JOB = (args, out_dir, learned_entities() if args.learn else None)
    if len(inputs) >= PARALLEL_FROM and "-" not in inputs:
        messages = _in_parallel(inputs)
    else:
        messages = [_draft_one(name) for name in inputs]
    failed = 0
    for message in messages:
        if message:
            _err(message)
            failed += 1
    return EXIT_FAIL if failed else EXIT_OK


# Many inputs are drafted by a pool of worker processes (one per core), forked after the
# gazetteers are loaded so that each worker starts warm; the parent reports in input order.
PARALLEL_FROM = 64
_JOB: tuple | None = None


def _in_parallel(inputs: list[str]) -> list[str | None]:
    import multiprocessing
    import os

    workers = min(os.cpu_count() or 1, 8)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [_draft_one(name) for name in inputs]
    from briefing.annotate.gazetteer import default_gazetteer

    learned = _JOB[2]
    (learned.gazetteer() if learned is not None else default_gazetteer())  # loaded once, shared by fork
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return pool.map(_draft_one, inputs, chunksize=max(1, len(inputs) // (workers * 8)))
    except OSError:  # no processes to be had: do it here
        return [_draft_one(name) for name in inputs]


def _draft_one(name: str) -> str | None:
    """Draft one input and write it where asked: None, or the message that says what failed."""
    from briefing.annotate import AnnotateError, draft_brief
    from briefing.atomic import write_atomic

    args, out_dir, learned = _JOB
    label = "standard input" if name == "-" else name
    try:
        text = _read(name)
    except (OSError, ValueError) as exc:
        return f"{label}: cannot read: {getattr(exc, 'strerror', None) or exc}"
    stem = "stdin" if name == "-" else Path(name).stem
    try:
        brief = draft_brief(text, published=args.published, title=args.title, source=args.source,
                            learned=learned, fallback_title=None if name == "-" else Path(name).stem)
    except AnnotateError as exc:
        return f"{label}: {exc}"
    except Exception as exc:  # a bug of ours: name the input, go on with the others
        return f"{label}: failed: {type(exc).__name__}: {exc}"
    target = out_dir / f"{stem}.md" if out_dir is not None else (Path(args.output) if args.output else None)
    if target is None:
        _write_stdout(brief)
        return None
    try:
        write_atomic(target, brief, force=args.force, durable=out_dir is None)
    except FileExistsError:
        return f"{target}: exists (use --force to replace it)"
    except OSError as exc:
        return f"{target}: cannot write: {exc.strerror or exc}"
    return None


def _write_stdout(text: str) -> None:
    out = sys.stdout
    buffer = getattr(out, "buffer", None)
    if buffer is not None:
        out.flush()
        buffer.write(text.encode("utf-8", "replace"))
        buffer.flush()
    else:
        out.write(text)
        out.flush()
