"""The briefs the reader shows: one ``briefing.core.entry.Entry`` per file (the index's
shape), without the heavy parser.

``peek_entry`` reads only the first few KB of a file and picks ``title``, ``published``
and ``source`` from simple front-matter lines, so the document list can paint before
pydantic and the parser are even imported; the entry is ``pending`` until the index's
entry replaces it moments later. Nothing here imports textual, pydantic or the index.
"""

from __future__ import annotations

import re
from pathlib import Path

from briefing.core.entry import Entry
from briefing.core.sanitize import sanitise_line

_PEEK_BYTES = 4096
_SCALAR_RE = re.compile(r"^(title|published|source)[ \t]*:[ \t]*(.*?)[ \t]*$", re.MULTILINE)


def _unquote(value: str) -> str | None:
    if not value:
        return None
    if value[0] in "\"'":
        if len(value) < 2 or value[-1] != value[0] or "\\" in value:
            return None  # anything unusual waits for the real parser
        return value[1:-1]
    if value[0] in "[{&*!|>%@`":
        return None
    return value.split(" #", 1)[0].strip() or None


def peek_entry(path: Path) -> Entry:
    """A provisional entry from the first lines of the file; never raises."""
    title = sanitise_line(path.stem)  # file names come from other people too
    published = source = None
    try:
        with path.open("rb") as fh:
            head = fh.read(_PEEK_BYTES).decode("utf-8", "replace")
    except OSError:
        return Entry.of(str(path), title, status="pending")
    if head.startswith("---"):
        end = head.find("\n---", 3)
        front = head[3 : end if end > 0 else len(head)]
        for key, raw in _SCALAR_RE.findall(front):
            value = _unquote(raw)
            if value is None:
                continue
            value = sanitise_line(value)
            if key == "title":
                title = value
            elif key == "published":
                published = value[:10]
            else:
                source = value
    return Entry.of(str(path), title, published, source, status="pending")


def sort_entries(entries: list[Entry], by: str) -> list[Entry]:
    """``date``: newest first, undated last, ties by path (the index's own order, so the
    first rows a warm start shows are the first rows of the full list); ``title``: A to Z."""
    if by == "title":
        return sorted(entries, key=lambda e: (e.title.casefold(), e.key))
    dated = sorted((e for e in entries if e.published_iso), key=lambda e: e.key)
    dated.sort(key=lambda e: e.published_iso, reverse=True)  # stable: ties keep path order
    return dated + sorted((e for e in entries if not e.published_iso), key=lambda e: e.key)
