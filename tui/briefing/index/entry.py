"""What the index hands out: ``Entry`` (one row of the document list), ``Hit`` (a search
result), ``Change`` (what a refresh added, changed or removed) and ``RefreshStats``.

``Entry`` lives in ``briefing.core.entry`` (the list and the first frame use it without
importing the index) and is re-exported here. Textual-free; no SQLite here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from briefing.core.entry import LISTING_SEP, TAG_SEP, Entry, listing_text

_listing = listing_text  # (the index's writers' name for it)


@dataclass(frozen=True, slots=True)
class Hit:
    """A search result: the entry, its bm25 score (lower is better, as SQLite reports it)
    and a plain-text snippet of the body with the offsets of the matching words in it."""

    entry: Entry
    score: float
    snippet: str
    spans: tuple[tuple[int, int], ...]  # (start, end) of each matching word in ``snippet``
    title_spans: tuple[tuple[int, int], ...] = ()  # matching words in ``entry.title``

    @property
    def path(self) -> Path:
        return self.entry.path

    @property
    def title(self) -> str:
        return self.entry.title


@dataclass(frozen=True, slots=True)
class Change:
    kind: str  # added | changed | removed
    key: str  # the brief's path, as the index keys it
    entry: Entry | None  # None when removed

    @property
    def path(self) -> Path:  # (made when asked: a build of 10,000 briefs makes 10,000 changes)
        return Path(self.key)


@dataclass
class RefreshStats:
    files: int = 0  # brief files found under the roots
    unchanged: int = 0
    hashed: int = 0  # size and mtime ambiguous: content hash compared
    parsed: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0
    errors: int = 0  # of the parsed, how many failed
    retried: int = 0  # caught half-written and read again
    bytes_parsed: int = 0
    workers: int = 0  # processes used to parse (0: in this process)
    write_seconds: float = 0.0  # of ``seconds``, spent storing results in SQLite
    scan_seconds: float = 0.0
    seconds: float = 0.0
    cancelled: bool = False
    missing_roots: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    @property
    def mb_per_second(self) -> float:
        return self.bytes_parsed / 1e6 / self.seconds if self.seconds else 0.0


def _entry(row: Sequence) -> Entry:
    return Entry(row)

