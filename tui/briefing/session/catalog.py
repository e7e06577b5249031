"""The briefs the reader shows: one ``briefing.core.entry.Entry`` per file (the index's
shape), without the heavy parser.

``peek_entry`` reads only the first few KB of a file and picks ``title``, ``published``
and ``source`` from simple front-matter lines, so the document list can paint before
pydantic and the parser are even imported; the entry is ``pending`` until the index's
entry replaces it moments later. Nothing here imports textual, pydantic or the index.
"""

from __future__ import annotations

from pathlib import Path

from briefing.core.entry import Entry
from briefing.core.front_peek import peek_front
from briefing.core.sanitize import sanitise_line

_PEEK_BYTES = 4096  # of each file: the first frame reads up to 400 of them


def peek_entry(path: Path) -> Entry:
    """A provisional entry from the first lines of the file (``briefing.core.front_peek``,
    the index's quick look too); never raises."""
    try:
        with path.open("rb") as fh:
            head = fh.read(_PEEK_BYTES)
    except OSError:
        head = b""
    meta = peek_front(head.decode("utf-8", "replace"), cut=len(head) == _PEEK_BYTES, tags=False)
    title = meta["title"] or sanitise_line(path.stem)  # file names come from other people too
    return Entry.of(str(path), title, meta["published"], meta["source"], status="pending")


def sort_entries(entries: list[Entry], by: str) -> list[Entry]:
    """``date``: newest first, undated last, ties by path (the index's own order, so the
    first rows a warm start shows are the first rows of the full list); ``title``: A to Z."""
    if by == "title":
        return sorted(entries, key=lambda e: (e.title.casefold(), e.key))
    dated = sorted((e for e in entries if e.published_iso), key=lambda e: e.key)
    dated.sort(key=lambda e: e.published_iso, reverse=True)  # stable: ties keep path order
    return dated + sorted((e for e in entries if not e.published_iso), key=lambda e: e.key)
