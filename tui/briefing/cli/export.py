"""``briefing export PATH --format md|html|json [-o OUT] [--force] [--highlights-only] [--facts all|highlighted]``.

Loads the brief (problems go to stderr in compiler form, exit 1), takes its highlights from
the store in ``data_dir()``, and writes the export to standard output, or atomically to OUT
(an existing OUT is replaced only with --force). Exit 0 on success, 1 on any failure; never
a traceback.
"""

from __future__ import annotations

import argparse
import sys

from briefing.cli.guard import guarded, stderr_line
from briefing.core.problems import BriefError

EXIT_OK = 0
EXIT_FAIL = 1


def _err(message: str) -> None:
    stderr_line("briefing", message)


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


def run_export(args: argparse.Namespace) -> int:
    return guarded(_run, args, _err, "export failed")


def _run(args: argparse.Namespace) -> int:
    from briefing.export import export
    from briefing.core.parser import load_brief

    fmt = getattr(args, "format", None) or "md"
    output = getattr(args, "output", None)
    force = bool(getattr(args, "force", False))
    digest = bool(getattr(args, "highlights_only", False))
    facts = getattr(args, "facts", None)

    try:
        brief = load_brief(args.path)
    except BriefError as exc:
        from briefing.core.sanitize import terminal_line

        for p in exc.problems:
            print(terminal_line(p.format()), file=sys.stderr)
        return EXIT_FAIL

    highlights = []
    try:
        from briefing.store import Store, StoreError

        store = Store.open()
        try:
            if store.problem:
                _err(f"warning: {store.problem}")
            highlights = store.highlights(brief, update=False)
        finally:
            store.close()
    except StoreError as exc:
        _err(f"warning: highlights could not be read: {exc}")

    text = export(brief, highlights, fmt, highlights_only=digest, facts=facts)

    if output in (None, "-"):
        _write_stdout(text)
        return EXIT_OK

    from briefing.atomic import write_atomic

    try:
        write_atomic(output, text, force=force)
    except FileExistsError:
        _err(f"{output}: already exists; use --force to replace it")
        return EXIT_FAIL
    except IsADirectoryError:
        _err(f"{output}: is a folder; give a file name")
        return EXIT_FAIL
    except OSError as exc:
        _err(f"{output}: cannot write: {exc.strerror or exc}")
        return EXIT_FAIL
    return EXIT_OK
