"""One row of the document list: ``Entry``, the one shape the index hands out and the list,
the session and the reader's first frame show.

An ``Entry`` holds a brief's path and its ``listing`` text (the fields below, joined by
LISTING_SEP, as the index's ``listing`` column stores them) and decodes the fields on first
use, so listing 10,000 briefs costs milliseconds. The index makes entries straight from its
rows; the first frame of a small folder makes them from a quick look at each file
(``Entry.of``, status ``pending``), the reader's raw texts too. Nothing here imports SQLite,
pydantic or textual: the first frame imports it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Sequence

from briefing.core.sanitize import is_safe, sanitise_line

def _number(text: str) -> int:
    """A number of the listing; 0 when the index holds anything else there (the file is
    anyone's to edit: error_count 'abc' crashed the list as it drew the row)."""
    try:
        return int(text)
    except ValueError:
        return 0


def _count(text: str) -> int:
    return max(0, _number(text))


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
    parsed: bool          status is not pending
    error_count: int
    warning_count: int
    first_error: str|None "LINE:COL: message"
    mtime: float          seconds since the epoch
    size: int             bytes
    """

    __slots__ = ("_id", "_key", "_listing", "_f", "_path")

    def __init__(self, row: Sequence) -> None:
        self._id, self._key, self._listing = row[0], row[1], row[2]
        self._f: list[str] | None = None
        self._path: Path | None = None

    @classmethod
    def of(cls, path: str, title: str, published: str | None = None, source: str | None = None, *,
           status: str = "ok", tags: tuple[str, ...] = (), error_count: int = 0, first_error: str | None = None,
           mtime_ns: int = 0, warning_count: int = 0, size: int = 0) -> "Entry":
        """An entry made from fields (sanitised text: a quick look, a raw text), not from a row."""
        return cls((0, str(path), listing_text(title, published, source, TAG_SEP.join(tags), status, error_count,
                                               first_error, mtime_ns, warning_count, size)))

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
    def published_iso(self) -> str | None:
        """``published`` as the index keeps it (YYYY-MM-DD): sorting 10,000 rows by it parses no date."""
        return self._fields()[1] or None

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
    def parsed(self) -> bool:
        return self._fields()[4] != "pending"

    @property
    def error_count(self) -> int:
        return _count(self._fields()[5])

    @property
    def first_error(self) -> str | None:
        return self._fields()[6] or None

    @property
    def mtime(self) -> float:
        return _number(self._fields()[7]) / 1e9

    @property
    def warning_count(self) -> int:
        return _count(self._fields()[8])

    @property
    def size(self) -> int:
        return _count(self._fields()[9])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Entry) and self._key == other._key and self._listing == other._listing

    def __hash__(self) -> int:
        return hash((self._key, self._listing))

    def __repr__(self) -> str:
        return (f"Entry(path={self._key!r}, title={self.title!r}, published={self._fields()[1]!r}, "
                f"status={self.status!r}, error_count={self.error_count})")


def listing_text(title: str, published: str | None, source: str | None, tags: str, status: str, error_count: int,
             first_error: str | None, mtime_ns: int, warning_count: int, size: int) -> str:
    """The same text as the ``listing`` column SQLite generates."""
    return LISTING_SEP.join((title, published or "", source or "", tags, status, str(error_count), first_error or "",
                             str(mtime_ns), str(warning_count), str(size)))
