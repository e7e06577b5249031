"""``briefing -``: a brief from standard input, then the terminal for keys.

The text is kept as ``from-stdin/<hash>.md`` in the data directory: highlights are stored by
path, so the same text piped again finds its highlights (and can be exported like any brief).
Standard input is then the terminal (``/dev/tty``), as ``less`` does, so the reader can read keys.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from briefing.core.limits import MAX_BRIEF_BYTES


def take_stdin() -> tuple[Path | None, str | None]:
    """Save what standard input holds and make the terminal standard input. Returns the saved
    path, or None and a message."""
    if os.isatty(0):
        return None, "`-` reads a brief from standard input: pipe one in (cat brief.md | briefing -)"
    data = sys.stdin.buffer.read(MAX_BRIEF_BYTES + 1)
    if len(data) > MAX_BRIEF_BYTES:
        return None, f"standard input holds more than {MAX_BRIEF_BYTES // (1024 * 1024)} MB: too large for a brief"
    if not data.strip():
        return None, "standard input was empty: nothing to read"
    from briefing.atomic import write_atomic
    from briefing.paths import data_dir

    path = data_dir() / "from-stdin" / f"{hashlib.sha256(data).hexdigest()[:16]}.md"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            write_atomic(path, data)
    except OSError as exc:
        return None, f"cannot keep the brief from standard input in {path.parent}: {exc.strerror or exc}"
    try:
        tty = os.open("/dev/tty", os.O_RDONLY)
    except OSError:
        return None, "the reader needs a terminal for its keys, and there is none (/dev/tty)"
    os.dup2(tty, 0)
    os.close(tty)
    return path, None
