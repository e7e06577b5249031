"""The ``briefing`` command line. A contract: scripts and checks outside the project use it.

    briefing [PATH ...]                 open the reader
    briefing validate PATH ...          FILE:LINE:COL: error: MESSAGE, exit 1 on any error
    briefing facts PATH [--json]        the key facts of one brief
    briefing export PATH --format md|html|json [-o OUT] [--force] [--highlights-only] [--facts all|highlighted]
    briefing annotate PATH... [--published YYYY-MM-DD] [-o OUT | --out-dir DIR]   (briefing.cli.annotate)
    briefing timeline|profile|compare|related ...   views across briefs (briefing.cli.views)
    briefing schema NAME | --list       the JSON Schema of a command's JSON (briefing.cli.contracts)

Only the reader imports textual, and only when it opens.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from briefing import __version__
from briefing.paths import default_brief_paths

if TYPE_CHECKING:
    import argparse

SUBCOMMANDS = ("validate", "facts", "export", "annotate")
VIEW_COMMANDS = ("timeline", "profile", "compare", "related")  # briefing.cli.views


def _reader_parser() -> argparse.ArgumentParser:
    import argparse

    p = argparse.ArgumentParser(
        prog="briefing",
        description="A terminal reader for annotated briefs.",
        epilog=(
            "commands:\n"
            "  briefing validate PATH ...        check briefs (compiler-style messages, exit 1 on error)\n"
            "  briefing facts PATH [--json]      print the key facts of one brief\n"
            "  briefing export PATH --format md|html|json [-o OUT] [--force] [--highlights-only] [--facts all|highlighted]\n"
            "  briefing annotate PATH... [--published YYYY-MM-DD] [-o OUT | --out-dir DIR]  draft a brief from raw text\n"
            "  briefing timeline PATH... [--entity NAME] [--from D] [--to D] [--json|--csv]\n"
            "  briefing profile NAME PATH... [--json]\n"
            "  briefing compare A B [--json]\n"
            "  briefing related PATH [--in FOLDER...] [--json]\n"
            "  briefing schema NAME | --list     the JSON Schema of a command's JSON output\n\n"
            "With no PATH the reader opens ./briefs if it exists, else the bundled briefs.\n"
            "Highlights are kept in $BRIEFING_DATA_DIR (default: the user data directory)."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="brief files or folders to open")
    p.add_argument("--follow-symlinks", action="store_true", help="follow symlinks that lead outside the opened folders")
    p.add_argument("--version", action="version", version=f"briefing {__version__}")
    return p


def _command_parser() -> argparse.ArgumentParser:
    import argparse

    p = argparse.ArgumentParser(prog="briefing")
    sub = p.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="check briefs and folders of briefs")
    v.add_argument("paths", nargs="+", metavar="PATH")
    v.add_argument("--follow-symlinks", action="store_true")
    f = sub.add_parser("facts", help="print the key facts of a brief")
    f.add_argument("path", metavar="PATH")
    f.add_argument("--json", action="store_true", help="print JSON instead of a table")
    e = sub.add_parser("export", help="export a brief with its highlights")
    e.add_argument("path", metavar="PATH")
    e.add_argument("--format", choices=("md", "html", "json"), required=True)
    e.add_argument("-o", "--output", metavar="OUT", help="file to write (default: standard output)")
    e.add_argument("--force", action="store_true", help="replace OUT if it exists")
    e.add_argument("--highlights-only", action="store_true", help="a digest: title, key facts, highlighted passages")
    e.add_argument("--facts", choices=("all", "highlighted"),
                   help="key facts listed: all, or those in the highlighted passages (the digest's default)")

    from briefing.cli.annotate import add_parser

    add_parser(sub)
    return p


def _robust_streams() -> None:
    """Standard output and error never fail on a character their encoding lacks (a file
    name that is not UTF-8, a brief's text on an ASCII terminal): it is written escaped."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError, OSError):
            pass  # not a text file (tests pass StringIO): nothing to do


def _line(text: str) -> str:
    from briefing.core.sanitize import terminal_line

    return terminal_line(text)


def json_text(value: object, indent: int | None = 2) -> str:
    """JSON for the terminal and for scripts: valid for any input, nothing raw that acts."""
    from briefing.core.sanitize import json_inert

    import json

    return json_inert(json.dumps(value, ensure_ascii=False, indent=indent))


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _robust_streams()
    # pydantic and the parser are imported by the commands that need them, not here:
    # the reader must paint its first screen as fast as a bare Textual app.
    try:
        if argv and argv[0] in VIEW_COMMANDS:
            from briefing.cli.views import main_views

            return main_views(argv)
        if argv and argv[0] == "schema":
            from briefing.cli.contracts import main_schema

            return main_schema(argv)
        if argv and argv[0] in SUBCOMMANDS:
            args = _command_parser().parse_args(argv)
            command = {"validate": cmd_validate, "facts": cmd_facts, "export": cmd_export,
                       "annotate": cmd_annotate}[args.command]
            if args.command == "annotate":
                return command(args)
            # The cyclic collector paused for the whole command, not only inside the parser:
            # re-enabled between the parse and the facts it walked the brief's hundreds of
            # thousands of objects twice more, a quarter of `facts --json` on a 1 MB brief
            # (issue 15). Briefs make no cycles: validating 400 files leaves ~600 objects to
            # the collector (argparse's and the folder walk's), none per mention.
            from briefing.core.markdown import no_gc

            with no_gc():
                return command(args)
        if not argv:  # plain `briefing`: nothing for argparse to read (it costs start-up time)
            from types import SimpleNamespace

            return cmd_read(SimpleNamespace(paths=[], follow_symlinks=False))
        args = _reader_parser().parse_args(argv)
        return cmd_read(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def cmd_read(args: argparse.Namespace) -> int:
    if "-" in args.paths:  # a brief on standard input (saved first; then the terminal is stdin)
        from briefing.cli.stdin import take_stdin

        saved, problem = take_stdin()
        if saved is None:
            print(f"briefing: {_line(problem)}", file=sys.stderr)
            return 2
        args.paths = [str(saved) if p == "-" else p for p in args.paths]
    paths = [Path(p) for p in args.paths] or default_brief_paths()
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        for m in missing:
            print(f"briefing: {_line(m)}: no such file or folder", file=sys.stderr)
        return 2
    if not (_isatty(sys.stdin) and _isatty(sys.stdout)):
        # Without a terminal the reader cannot show anything or read a key (Textual would spin
        # a core until killed): say so, and point at the commands made for scripts.
        print("briefing: the reader needs a terminal (standard input and output); in scripts use "
              "`briefing validate`, `briefing facts` or `briefing export`", file=sys.stderr)
        return 2
    # No cyclic garbage collection until the first frame is on screen (the app turns it back
    # on then): the imports and the first frame allocate enough to set off a full pass,
    # ~13 ms that a bare Textual app, allocating less, does not pay.
    import gc

    gc.disable()
    from briefing.ui.app import run_reader  # textual is imported here, not before

    return end_now_if_busy(run_reader(paths, follow_symlinks=args.follow_symlinks))


def end_now_if_busy(code: int) -> int:
    """After the reader has ended: if one of its workers is still at work (one that cannot stop
    part-way, such as a large brief's parse), end the process at once (``os._exit``, standard
    streams flushed). The interpreter's own end would free every object first, the abandoned
    work's too: 0.6 s of a 1.2 s quit after opening a brief of 80,000 mentions. Nothing is
    lost that a normal end keeps: the app has ended, the store writes each change as it is
    made, and the index's writes are transactions (a half-made one is rolled back).
    Otherwise ``code``, for a normal end."""
    from briefing.ui import threads

    if threads.any_busy():
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)
    return code


def cmd_validate(args: argparse.Namespace) -> int:
    from briefing.core.parser import iter_brief_paths, load_brief
    from briefing.core.problems import BriefError, Problem

    checked = failed = 0
    out = sys.stdout
    for path, problem in iter_brief_paths(args.paths, args.follow_symlinks):
        checked += 1
        if problem is not None:
            severity = "warning" if "symlink" in problem else "error"
            out.write(_line(Problem(path=str(path), severity=severity, message=problem).format()) + "\n")
            failed += severity == "error"
            continue
        try:
            brief = load_brief(path)
            problems = brief.warnings
        except BriefError as exc:
            problems = exc.problems
            failed += 1
        for p in problems:
            out.write(_line(p.format()) + "\n")
    print(f"{checked} brief(s) checked, {checked - failed} valid, {failed} with errors", file=sys.stderr)
    return 1 if failed or checked == 0 else 0


def _load_or_report(path: str):
    from briefing.core.parser import load_brief
    from briefing.core.problems import BriefError

    try:
        return load_brief(path)
    except BriefError as exc:
        for p in exc.problems:
            print(_line(p.format()), file=sys.stderr)
        return None


def cmd_facts(args: argparse.Namespace) -> int:
    brief = _load_or_report(args.path)
    if brief is None:
        return 1
    if args.json:
        sys.stdout.write(json_text(brief.facts_json()) + "\n")
        return 0
    from briefing.cli.facts_table import print_facts

    print_facts(brief)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from briefing.cli.export import run_export

    return run_export(args)


def cmd_annotate(args: argparse.Namespace) -> int:
    from briefing.cli.annotate import run_annotate

    return run_annotate(args)


def _isatty(stream) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False
