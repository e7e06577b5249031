"""What the index hands out: ``Entry`` (one row of the document list), ``Hit`` (a search
result), ``Change`` (what a refresh added, changed or removed) and ``RefreshStats``.

An ``Entry`` is made straight from an SQLite row and decodes its fields on first use, so
listing 10,000 briefs costs milliseconds. Textual-free; no SQLite here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from briefing.core.sanitize import is_safe, sanitise_line

TAG_SEP = "\x1f"  # between a brief's tags in one column; never in sanitised text
LISTING_SEP = "\x1e"  # between the fields of the ``listing`` column (char(30)); never in sanitised text


class Entry:
    """One row of the document list (immutable; equal when every field is equal).

    Made straight from an SQLite row (id, path, listing), so listing 10,000 briefs costs
    milliseconds; the fields below are decoded on first use.

    path: Path            resolved; open it with ``briefing.core.parser.load_brief``
    key: str              the same path as text (cheap, for dict keys)
    title: str            the brief's title; for one that failed, its title line or file name
    published: date|None
    source: str|None
    tags: tuple[str, ...]
    ok: bool              no errors (also True while pending: nothing is known against it)
    status: str           ok | error | pending (listed from a quick look, not parsed yet)
    error_count: int
    warning_count: int
    first_error: str|None "LINE:COL: message"
    mtime: float          seconds since the epoch
    size: int             bytes
    """

    __slots__ = ("_id", "_key", "_listing", "_f", "_path")

    def __init__(self, row: Sequence):
        self._id, self._key, self._listing = row[0], row[1], row[2]
        self._f: list[str] | None = None
        self._path: Path | None = None

    def _fields(self) -> list[str]:
        if self._f is None:
            fields = self._listing.split(LISTING_SEP)
            # The index is a file anyone with the folder can edit: what it says is sanitised
            # like a brief before it reaches a widget (issue 15: a row set the pane title).
            if not is_safe(self._listing.replace(LISTING_SEP, " ").replace(TAG_SEP, " ")):
                fields = [TAG_SEP.join(sanitise_line(t) for t in f.split(TAG_SEP)) for f in fields]
            self._f = fields
        return self._f

    def listing(self) -> list[str]:
        """The raw listing fields: title, published (ISO), source, tags, status,
        error_count, first_error, mtime_ns, warning_count, size. For building 10,000 list
        rows without decoding each property."""
        return self._fields()

    @property
    def path(self) -> Path:
        if self._path is None:
            self._path = Path(self._key)
        return self._path

    @property
    def key(self) -> str:
        return self._key

    @property
    def title(self) -> str:
        return self._fields()[0]

    @property
    def published(self) -> dt.date | None:
        value = self._fields()[1]
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None

    @property
    def source(self) -> str | None:
        return self._fields()[2] or None

    @property
    def tags(self) -> tuple[str, ...]:
        tags = self._fields()[3]
        return tuple(tags.split(TAG_SEP)) if tags else ()

    @property
    def status(self) -> str:
        return self._fields()[4]

    @property
    def ok(self) -> bool:
        return self._fields()[4] != "error"

    @property
    def error_count(self) -> int:
        return int(self._fields()[5])

    @property
    def first_error(self) -> str | None:
        return self._fields()[6] or None

    @property
    def mtime(self) -> float:
        return int(self._fields()[7]) / 1e9

    @property
    def warning_count(self) -> int:
        return int(self._fields()[8])

    @property
    def size(self) -> int:
        return int(self._fields()[9])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Entry) and self._key == other._key and self._listing == other._listing

    def __hash__(self) -> int:
        return hash((self._key, self._listing))

    def __repr__(self) -> str:
        return (f"Entry(path={self._key!r}, title={self.title!r}, published={self._fields()[1]!r}, "
                f"status={self.status!r}, error_count={self.error_count})")


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


def _listing(title: str, published: str | None, source: str | None, tags: str, status: str, error_count: int,
             first_error: str | None, mtime_ns: int, warning_count: int, size: int) -> str:
    """The same text as the ``listing`` column SQLite generates."""
    return LISTING_SEP.join((title, published or "", source or "", tags, status, str(error_count), first_error or "",
                             str(mtime_ns), str(warning_count), str(size)))


def _entry(row: Sequence) -> Entry:
    return Entry(row)

