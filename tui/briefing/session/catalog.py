"""The briefs the reader shows: one entry per file, without the heavy parser.

``peek_entry`` reads only the first few KB of a file and picks ``title``, ``published``
and ``source`` from simple front-matter lines, so the document list can paint before
pydantic and the parser are even imported; the full parse replaces the entry moments
later. Nothing here imports textual or pydantic.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from briefing.core.sanitize import sanitise_line

TAG_SEP = "\x1f"  # as briefing.index stores tags (not imported: the first frame must stay light)

_PEEK_BYTES = 4096
_SCALAR_RE = re.compile(r"^(title|published|source)[ \t]*:[ \t]*(.*?)[ \t]*$", re.MULTILINE)


@dataclass(slots=True)
class DocEntry:
    path: str
    title: str
    published: str | None = None  # ISO date
    source: str | None = None
    ok: bool = True
    parsed: bool = False  # False while the entry comes from a peek
    error_count: int = 0
    tags: tuple[str, ...] = ()
    read: bool = False

    @property
    def name(self) -> str:
        return os.path.basename(self.path)


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


def peek_entry(path: Path) -> DocEntry:
    """A provisional entry from the first lines of the file; never raises."""
    title = sanitise_line(path.stem)  # file names come from other people too
    published = source = None
    try:
        with path.open("rb") as fh:
            head = fh.read(_PEEK_BYTES).decode("utf-8", "replace")
    except OSError:
        return DocEntry(str(path), title)
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
    return DocEntry(str(path), title, published, source)


def sort_entries(entries: list[DocEntry], by: str) -> list[DocEntry]:
    """``date``: newest first, undated last, ties by path (the index's own order, so the
    first rows a warm start shows are the first rows of the full list); ``title``: A to Z."""
    if by == "title":
        return sorted(entries, key=lambda e: (e.title.casefold(), e.path))
    dated = sorted((e for e in entries if e.published), key=lambda e: e.path)
    dated.sort(key=lambda e: e.published, reverse=True)  # stable: ties keep path order
    return dated + sorted((e for e in entries if not e.published), key=lambda e: e.path)


def entry_from_index(e, read: bool = False) -> DocEntry:
    """A list entry from a row of the index (``briefing.index.Entry``), from its raw listing
    fields: 10,000 of these are made before the first frame of a warm start."""
    title, published, source, tags, status, errors = e.listing()[:6]
    return DocEntry(
        e.key, title, published or None, source or None,
        status != "error", status != "pending", int(errors),
        tuple(tags.split(TAG_SEP)) if tags else (), read,
    )
