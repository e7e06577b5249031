"""What the index keeps of each fact for the views across briefs (briefing.views): the
columns of a facts row after (type, match, label, key).

    ident     the canonical identity key (briefing.core.identity: ``wd:Q…`` or
              ``TYPE:folded name``); for a date, ``date:`` and a key that sorts
              chronologically (first day, wider period first, mod), so that the timeline is
              one range of the facts_ident index, in order
    mentions  how many times the brief mentions it
    role, country
    spans     where: (start, end) offsets into the displayed text, in order, as a blob of
              unsigned 32-bit little-endian integers, every start then every length
              (end - start) (``pack_spans``/``unpack_spans``; b"" for none). Packed from
              ints in C instead of formatted as text: the fast path's starts of alike
              mentions go in as they are, with their one length (``pack_starts``).
    aliases   the entity's aliases, folded, joined by ALIAS_SEP (None without any): not
              stored in the facts table, only made into rows of the spellings table

The full parser's path computes these with ``view_columns``; the fast path
(briefing.index.fast) builds the same columns from ``ident``, ``folded_aliases`` and the
``pack_*`` functions as it reads a brief; tests/test_view_rows.py checks they are the same.
"""

from __future__ import annotations

import struct
import sys
from array import array
from operator import neg

from briefing.core import dates
from briefing.core.identity import fold, ident

ALIAS_SEP = "\x1f"  # never in sanitised text
DATE_PREFIX = "date:"
DATE_END = "date;"  # the first key after every date key (';' follows ':')

_DATE_IDENTS: dict[tuple, str] = {}


def date_ident(value: str | None, mod: str | None) -> str:
    key = (value, mod)
    got = _DATE_IDENTS.get(key)
    if got is None:
        (y, m, d), precision, order, _ = dates.sort_key(value or "", mod)
        got = f"{DATE_PREFIX}{y:04d}-{m:02d}-{d:02d}~{precision}{order}~{value or ''}~{mod or ''}"
        if len(_DATE_IDENTS) < 50_000:
            _DATE_IDENTS[key] = got
    return got


def day_bound(day: str, end: bool = False) -> str:
    """The ident bound for dates whose first day is from (or up to, ``end``) ``day``
    (YYYY-MM-DD)."""
    return DATE_PREFIX + day + ("~\x7f" if end else "")


# A 4-byte unsigned C type (offsets into a brief's text, < 4 GiB).
_U32 = next(t for t in "IL" if array(t).itemsize == 4)
_SWAP = sys.byteorder != "little"  # (the blob is little-endian wherever the index was made)


def _blob(a: array) -> bytes:
    if _SWAP:
        a.byteswap()
    return a.tobytes()


# The blob of n spans, packed from 2n ints (a few Structs, made once: a format string each
# time costs more than the packing).
_PACKERS = [struct.Struct(f"<{2 * n}I").pack for n in range(33)]
pack_one = _PACKERS[1]  # pack_spans of one span, given its start and length: most facts' places


def pack_spans(spans) -> bytes:
    """The spans column of (start, end) pairs, in the order given (sorted, for a row)."""
    n = len(spans)
    if not n:
        return b""
    starts = [s for s, _ in spans]
    lengths = [e - s for s, e in spans]
    if n < 33:
        return _PACKERS[n](*starts, *lengths)
    a = array(_U32, starts)
    a.extend(lengths)
    return _blob(a)


# The starts alone (pack_starts: the one length repeated is a bytes product, in C).
_START_PACKERS = [struct.Struct(f"<{n}I").pack for n in range(33)]
_WIDTHS: dict[int, bytes] = {}  # a length -> its 4 bytes


def _width(width: int) -> bytes:
    got = _WIDTHS.get(width)
    if got is None:
        got = struct.pack("<I", width)
        if len(_WIDTHS) < 4096:
            _WIDTHS[width] = got
    return got


def pack_starts(starts, width: int) -> bytes:
    """``pack_spans`` of the spans of one width starting at ``starts`` (ascending)."""
    n = len(starts)
    if n < 33:
        return _START_PACKERS[n](*starts) + _width(width) * n
    a = array(_U32, starts)
    a.extend(array(_U32, [width]) * n)
    return _blob(a)


def pack_groups(groups) -> bytes:
    """``pack_spans`` of the spans of ``groups``, (width, ascending starts) pairs, in order of
    start, the longer first at the same start: the order the parser takes them in (an
    enclosing span first), so its places. (The fast path's places of a fact mentioned in
    several ways.)"""
    pairs = sorted([(s, -width) for width, starts in groups for s in starts])
    n = len(pairs)
    starts, widths = zip(*pairs) if n else ((), ())
    if n < 33:
        return _PACKERS[n](*starts, *map(neg, widths))
    a = array(_U32, starts)
    a.extend(map(neg, widths))
    return _blob(a)


def unpack_spans(packed: bytes | None) -> list[tuple[int, int]]:
    if not packed or not isinstance(packed, bytes) or len(packed) % 8:
        return []  # (none, or not what the index writes: an edited file)
    a = array(_U32)
    a.frombytes(packed)
    if _SWAP:
        a.byteswap()
    n = len(a) // 2
    return [(s, s + w) for s, w in zip(a[:n].tolist(), a[n:].tolist())]


def folded_aliases(aliases) -> str | None:
    """The aliases column: the aliases folded, without repeats, joined by ALIAS_SEP."""
    return ALIAS_SEP.join(dict.fromkeys(fold(a) for a in aliases)) or None if aliases else None


def view_columns(kind: str, name: str, value: str | None, mod: str | None, wikidata: str | None,
                 aliases, role: str | None, country: str | None, spans) -> tuple:
    """(ident, mentions, role, country, spans, aliases) of one fact; ``spans`` sorted.
    (briefing.index.fast makes the same columns its own way, from what it caches.)"""
    if kind == "date":
        return (date_ident(value, mod), len(spans), role, country, pack_spans(spans), None)
    return (ident(kind, name, wikidata), len(spans), role, country, pack_spans(spans), folded_aliases(aliases))


def spelling_rows(fact_rows) -> set[tuple[str, str, int, str]]:
    """The spellings table's rows (spelling, ident, 1 for a name / 0 for an alias, type)
    of fact rows (type, match, label, key, ident, mentions, role, country, spans, aliases)."""
    out: set[tuple[str, str, int, str]] = set()
    for row in fact_rows:
        kind = row[0]
        if kind == "date":
            continue
        out.add((fold(row[2]), row[4], 1, kind))
        if row[9]:
            for alias in row[9].split(ALIAS_SEP):
                out.add((alias, row[4], 0, kind))
    return out
