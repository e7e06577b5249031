"""Every dated mention across briefs, in the order of the date it refers to (not the day
the brief was published), with the date in words, its sentence and its brief.

The index's date facts have identity keys that sort chronologically (briefing.index.
viewrows.date_ident), so the first screen is the first rows of one range of the
facts_ident index, and a page more is the next ones: the cost does not grow with the
corpus. Within one date: by published day, then path, then place in the brief.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefing.core import dates
from briefing.core.sanitize import sanitise_field
from briefing.index.viewrows import DATE_END, DATE_PREFIX, day_bound, unpack_spans
from briefing.views.context import context
from briefing.views.scope import Scope, texts
from briefing.views.words import in_words


@dataclass
class Dated:
    value: str
    mod: str | None
    precision: str | None
    words: str
    path: str
    title: str
    published: str | None
    start: int  # the mention, in the brief's displayed text
    end: int
    text: str  # the mention as written
    sentence: str
    at: tuple[int, int]  # the mention within the sentence

    def as_json(self) -> dict:
        return {"date": self.value, "mod": self.mod, "precision": self.precision, "words": self.words,
                "text": self.text, "sentence": self.sentence, "at": list(self.at),
                "path": self.path, "title": self.title, "published": self.published,
                "start": self.start, "end": self.end}


def day_of(bound: str, end: bool) -> str:
    """A --from/--to bound (YYYY, YYYY-MM or YYYY-MM-DD) as a day; ValueError if it is none."""
    precision, (y, m, d) = dates.parse_value(bound)  # DateValueError is a ValueError
    if precision not in ("year", "month", "day"):
        raise ValueError(f"{bound!r}: give a year, a month or a day (2024, 2024-06, 2024-06-19)")
    if end:
        if precision == "year":
            m, d = 12, 31
        elif precision == "month":
            d = 31
    return f"{y:04d}-{m:02d}-{d:02d}"


def timeline(index, scope: Scope, *, date_from: str | None = None, date_to: str | None = None,
             entity: list[str] | None = None, limit: int | None = None, offset: int = 0) -> list[Dated]:
    """The dated mentions in ``scope``, chronologically; ``date_from``/``date_to`` bound the
    first day of the date referred to (YYYY-MM-DD); ``entity`` (identity keys) keeps
    mentions in a sentence that mentions that entity; ``limit`` date facts at most (all
    the mentions of each), after skipping ``offset`` of them (a page more)."""
    return index._guard(_timeline, index, scope, date_from, date_to, entity, limit, offset)


def _timeline(index, scope, date_from, date_to, entity, limit, offset) -> list[Dated]:
    hint = " INDEXED BY facts_ident" if index.ready_for_views() else ""  # (missing while a build defers it)
    where, args = scope.where(index)
    lo = day_bound(date_from) if date_from else DATE_PREFIX
    hi = day_bound(date_to, end=True) if date_to else DATE_END
    cond = ["f.ident >= ?", "f.ident < ?", "f.mentions > 0"]
    params: list = [lo, hi]
    if entity:
        marks = ",".join("?" * len(entity))
        cond.append(f"f.brief_id IN (SELECT brief_id FROM facts WHERE ident IN ({marks}))")
        params += entity
    conn = index._conn()
    sql = (f"SELECT f.ident, f.label, f.spans, b.id, b.path, b.title, b.published FROM facts f"
           f"{hint} JOIN briefs b ON b.id = f.brief_id WHERE {' AND '.join(cond)} AND {where} "
           f"ORDER BY f.ident, b.published, b.path")
    if limit is not None:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    rows = conn.execute(sql, params + args).fetchall()
    body = texts(index, [r[3] for r in rows])
    places: dict[int, list[tuple[int, int]]] = {}
    if entity:
        marks = ",".join("?" * len(entity))
        ids = list(body)
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for bid, spans in conn.execute(
                    f"SELECT brief_id, spans FROM facts WHERE ident IN ({marks}) AND brief_id IN "
                    f"({','.join('?' * len(chunk))})", entity + chunk):
                places.setdefault(bid, []).extend(unpack_spans(spans))
    out: list[Dated] = []
    for ident, label, spans, bid, path, title, published in rows:
        _, _, value, mod = ident.split("~")
        # (Sanitised: the index is a file anyone may edit; the path stays the key that opens it.)
        value, mod, title, published = (sanitise_field(v) for v in (value, mod, title, published))
        mod = mod or None
        text = body.get(bid, "")
        try:
            precision = dates.parse_value(value)[0]
        except dates.DateValueError:
            precision = None
        words = in_words(value, mod)
        for start, end in unpack_spans(spans):
            sentence, s, e = context(text, start, end)
            if entity and not _near(text, start, end, places.get(bid, ())):
                continue
            out.append(Dated(value, mod, precision, words, path, title, published, start, end, text[start:end],
                             sentence, (s, e)))
    return out


def _near(text: str, start: int, end: int, places) -> bool:
    """Whether one of ``places`` is in the sentence of start..end."""
    from briefing.views.context import sentence_around

    s, e = sentence_around(text, start, end)
    return any(s <= p < e for p, _ in places)
