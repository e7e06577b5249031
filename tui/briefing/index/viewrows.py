"""What the index keeps of each fact for the views across briefs (briefing.views): the
columns of a facts row after (type, match, label, key).

    ident     the canonical identity key (briefing.core.identity: ``wd:Q…`` or
              ``TYPE:folded name``); for a date, ``date:`` and a key that sorts
              chronologically (first day, wider period first, mod), so that the timeline is
              one range of the facts_ident index, in order
    mentions  how many times the brief mentions it
    role, country
    spans     where: ``start:end`` offsets into the displayed text, comma-separated, in order
    aliases   the entity's aliases, folded, joined by ALIAS_SEP (None without any)

Both the fast path (briefing.index.fast) and the full parser's path compute these with
``view_columns``, so they cannot differ.
"""

from __future__ import annotations

from itertools import chain

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


# "%d:%d,%d:%d,...": one format of all the offsets at once costs ~20% less than a string
# per span joined (a brief has ~60 mentions; this is most of what view_columns costs).
_SPAN_FORMATS = [",".join(["%d:%d"] * n) for n in range(33)]


def pack_spans(spans) -> str:
    n = len(spans)
    return (_SPAN_FORMATS[n] if n < 33 else ",".join(["%d:%d"] * n)) % tuple(chain.from_iterable(spans))


def unpack_spans(packed: str | None) -> list[tuple[int, int]]:
    if not packed:
        return []
    out = []
    for part in packed.split(","):
        s, _, e = part.partition(":")
        out.append((int(s), int(e)))
    return out


def view_columns(kind: str, name: str, value: str | None, mod: str | None, wikidata: str | None,
                 aliases, role: str | None, country: str | None, spans) -> tuple:
    """(ident, mentions, role, country, spans, aliases) of one fact; ``spans`` sorted."""
    if kind == "date":
        return (date_ident(value, mod), len(spans), role, country, pack_spans(spans), None)
    folded = ALIAS_SEP.join(dict.fromkeys(fold(a) for a in aliases)) if aliases else None
    return (ident(kind, name, wikidata), len(spans), role, country, pack_spans(spans), folded or None)


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
