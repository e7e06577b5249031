"""Reading the index: the document list with its filters (``entries``, ``count``),
full-text search (``search``: SQLite FTS5, bm25 with the title weighted highest; see
``fts_query`` for the query language), and what one brief's row remembers (``get``,
``meta_for``, ``fact_labels_for``, ``problems_for``). ``Searching`` is mixed into
``briefing.index.Index``, which provides ``_conn`` and ``_guard``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from typing import Iterable

from briefing.core import dates
from briefing.core.sanitize import sanitise, sanitise_field, sanitise_line
from briefing.index import tuning
from briefing.index.entry import TAG_SEP, Entry, Hit, _entry
from briefing.index.scan import _root_key

MARK_OPEN, MARK_CLOSE = "\x01", "\x02"  # snippet markers, never in sanitised text
FactFilter = tuple[str, str] | str


_WORD_RE = re.compile(r"[^\W_]+")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}$")


_QUERY_TOKEN_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')
# A search line is cut to this many characters and this many different terms (repeated
# ones count once): an 800-word line took 11 s on 10,000 briefs (issue 15).
MAX_QUERY_CHARS = 1000
MAX_QUERY_TERMS = 32


def fts_query(text: str, prefix: bool = True) -> str | None:
    """The user's words as an FTS5 query: every word must match (AND); "quoted words" are a
    phrase; -word excludes; the last word also matches as a prefix (search as you type)
    unless the text ends with a space. None when there is nothing to search for."""
    pos: list[str] = []
    neg: list[str] = []
    seen: set[tuple[bool, str]] = set()
    text = text[:MAX_QUERY_CHARS]
    matches = list(_QUERY_TOKEN_RE.finditer(text))
    for i, m in enumerate(matches):
        if m.group(3) is not None:
            raw = m.group(3)
            negate = raw.startswith("-") and len(raw) > 1
            words = _WORD_RE.findall(raw[1:] if negate else raw)
            quoted = False
        else:
            negate = bool(m.group(1))
            words = _WORD_RE.findall(m.group(2))
            quoted = True
        if not words:
            continue
        phrase = '"' + " ".join(w.replace('"', '""') for w in words) + '"'
        last = i == len(matches) - 1
        # (A one-letter prefix would match nearly every word of every brief: not worth it.)
        if prefix and last and not quoted and not negate and not text[-1:].isspace() and len(words[-1]) > 1:
            phrase += " *"
        if (negate, phrase.casefold()) in seen:
            continue
        seen.add((negate, phrase.casefold()))
        (neg if negate else pos).append(phrase)
        if len(seen) >= MAX_QUERY_TERMS:
            break
    if not pos:
        return None
    query = " AND ".join(pos)
    if neg:
        query = f"({query}) NOT ({' OR '.join(neg)})"
    return query


def _unmark(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Text with MARK_OPEN/MARK_CLOSE around matches -> plain text and match offsets."""
    if MARK_OPEN not in marked:
        return marked.replace("\n", " "), ()
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    start = -1
    pos = 0
    for m in re.finditer("[\x01\x02]", marked):
        piece = marked[pos:m.start()]
        out.append(piece)
        length += len(piece)
        if m.group() == MARK_OPEN:
            start = length
        elif start >= 0:
            if length > start:
                spans.append((start, length))
            start = -1
        pos = m.end()
    out.append(marked[pos:])
    return "".join(out).replace("\n", " "), tuple(spans)


_ENTRY_COLS = "b.id, b.path, b.listing"


class Searching:
    """The queries of ``Index``."""

    def _root_clause(self, roots: Iterable[str | os.PathLike] | None) -> tuple[str, list]:
        if roots is None:
            return "1", []
        keys = list(dict.fromkeys(_root_key(r) for r in roots))
        if not keys:
            return "0", []
        conn = self._conn()
        if len(keys) == 1:
            clause = "EXISTS (SELECT 1 FROM members m WHERE m.root = ? AND m.brief_id = b.id)"
            listed = conn.execute("SELECT count(*) FROM members WHERE root = ?", keys).fetchone()[0]
        else:
            marks = ",".join("?" * len(keys))
            clause = f"EXISTS (SELECT 1 FROM members m WHERE m.root IN ({marks}) AND m.brief_id = b.id)"
            listed = conn.execute(f"SELECT count(DISTINCT brief_id) FROM members WHERE root IN ({marks})",
                                  keys).fetchone()[0]
        # Usually the roots hold every cached brief: then there is nothing to filter out
        # (members only ever name existing briefs), which halves the time of a full list.
        if listed == conn.execute("SELECT count(*) FROM briefs").fetchone()[0]:
            return "1", []
        return clause, keys

    def _filters(self, roots, fact, tag, date_from, date_to, status) -> tuple[list[str], list]:
        clause, params = self._root_clause(roots)
        where, args = [clause], list(params)
        facts = [fact] if isinstance(fact, (str, tuple)) else list(fact or [])
        for f in facts:
            if isinstance(f, tuple):
                kind, name = f
                clause, more = self._fact_clause(kind, name)
                where.append(clause)
                args += more
            else:
                where.append("b.id IN (SELECT brief_id FROM facts WHERE key = ?)")
                args.append(f)
        tags = [tag] if isinstance(tag, str) else list(tag or [])
        for t in tags:
            where.append("b.id IN (SELECT brief_id FROM tags WHERE tag = ?)")
            args.append(t.casefold())
        if date_from is not None:
            where.append("b.published >= ?")
            args.append(date_from.isoformat() if isinstance(date_from, dt.date) else str(date_from))
        if date_to is not None:
            where.append("b.published <= ?")
            args.append(date_to.isoformat() if isinstance(date_to, dt.date) else str(date_to))
        if status is not None:
            where.append("b.status = ?")
            args.append(status)
        return where, args

    def _fact_clause(self, kind: str, name: str) -> tuple[str, list]:
        """A filter TYPE:value. A date value matches every date it contains (date:2024-06 the
        days and weeks of June 2024; date:2024 all of 2024); any other value matches a name it
        is, or a name with a word it begins (leader:kish finds Fumio Kishida), as search words do."""
        self.ready_for_search()
        match = name.casefold()
        if kind == "date" and dates.period(name) is not None:
            labels = [row[0] for row in self._conn().execute(
                "SELECT DISTINCT match FROM facts WHERE type = 'date'") if dates.contains(name, row[0])]
            if not labels:
                return "0", []
            marks = ",".join("?" * len(labels))
            return f"b.id IN (SELECT brief_id FROM facts WHERE type = 'date' AND match IN ({marks}))", labels
        escaped = match.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return ("b.id IN (SELECT brief_id FROM facts WHERE type = ? AND (match = ? OR match LIKE ? ESCAPE '\\'"
                " OR match LIKE ? ESCAPE '\\'))"), [kind, match, escaped + "%", "% " + escaped + "%"]

    _ORDERS = {
        "path": "b.path",
        "published": "b.published IS NULL, b.published, b.path",
        "-published": "b.published IS NULL, b.published DESC, b.path",
        "title": "b.title COLLATE NOCASE, b.path",
    }

    def entries(self, roots: Iterable[str | os.PathLike] | None = None, *, fact: FactFilter | list | None = None,
                tag: str | list[str] | None = None, date_from: dt.date | str | None = None,
                date_to: dt.date | str | None = None, query: str | None = None, status: str | None = None,
                order: str = "path", limit: int | None = None) -> list[Entry]:
        """The briefs under ``roots`` (as given to ``refresh``; None: every cached brief)
        that pass every filter given: ``fact`` = (type, name or value) or a fact key (or a
        list of them, all required), ``tag``, ``published`` within [date_from, date_to],
        ``status`` (ok/error/pending) and ``query`` (then ranked by relevance, not ``order``).
        ``order``: path, published, -published or title."""
        return self._guard(self._entries, roots, fact, tag, date_from, date_to, query, status, order, limit)

    def _entries(self, roots, fact, tag, date_from, date_to, query, status, order, limit) -> list[Entry]:
        where, args = self._filters(roots, fact, tag, date_from, date_to, status)
        match = fts_query(query) if query else None
        if query and match is None:
            match = None  # nothing searchable typed: no filtering by query
        lim = f" LIMIT {int(limit)}" if limit is not None else ""
        if match:
            sql = (f"SELECT {_ENTRY_COLS} FROM fts JOIN briefs b ON b.id = fts.rowid "
                   f"WHERE fts MATCH ? AND {' AND '.join(where)} ORDER BY fts.rank{lim}")
            args = [match] + args
        else:
            # In path order the covering index answers alone (no row is read): 10,000 in ~20 ms.
            hint = " INDEXED BY briefs_list" if order == "path" else ""
            sql = (f"SELECT {_ENTRY_COLS} FROM briefs b{hint} WHERE {' AND '.join(where)} "
                   f"ORDER BY {self._ORDERS[order]}{lim}")
        return [_entry(r) for r in self._conn().execute(sql, args)]

    def count(self, roots: Iterable[str | os.PathLike] | None = None, **filters) -> int:
        """How many briefs under ``roots`` (pass the same filters as ``entries`` for the
        shown count; none for the total)."""
        return self._guard(self._count, roots, filters)

    def _count(self, roots, filters) -> int:
        query = filters.pop("query", None)
        where, args = self._filters(roots, filters.get("fact"), filters.get("tag"), filters.get("date_from"),
                                    filters.get("date_to"), filters.get("status"))
        match = fts_query(query) if query else None
        if match:
            sql = f"SELECT count(*) FROM fts JOIN briefs b ON b.id = fts.rowid WHERE fts MATCH ? AND {' AND '.join(where)}"
            args = [match] + args
        else:
            sql = f"SELECT count(*) FROM briefs b WHERE {' AND '.join(where)}"
        return self._conn().execute(sql, args).fetchone()[0]

    def search(self, query: str, roots: Iterable[str | os.PathLike] | None = None, limit: int = 200, *,
               fact: FactFilter | list | None = None, tag: str | list[str] | None = None,
               date_from: dt.date | str | None = None, date_to: dt.date | str | None = None,
               snippet_words: int = 16, prefix: bool = True) -> list[Hit]:
        """Full-text search of title, text and facts, best first (bm25; a title match
        weighs most). See ``fts_query`` for the query language. Each hit has a snippet of
        the text as plain text with the (start, end) offsets of the matching words."""
        return self._guard(self._search, query, roots, limit, fact, tag, date_from, date_to, snippet_words, prefix)

    def _search(self, query, roots, limit, fact, tag, date_from, date_to, snippet_words, prefix) -> list[Hit]:
        match = fts_query(query, prefix)
        if match is None:
            return []
        where, args = self._filters(roots, fact, tag, date_from, date_to, None)
        conn = self._conn()
        n = max(1, min(64, int(snippet_words)))

        def run(match: str, ranked: bool, limit: int) -> list[Hit]:
            sql = (f"SELECT {_ENTRY_COLS}, {'fts.rank' if ranked else '0.0'}, "
                   f"snippet(fts, 1, '{MARK_OPEN}', '{MARK_CLOSE}', '…', {n}), "
                   f"highlight(fts, 0, '{MARK_OPEN}', '{MARK_CLOSE}') "
                   f"FROM fts JOIN briefs b ON b.id = fts.rowid WHERE fts MATCH ? AND {' AND '.join(where)} "
                   f"{'ORDER BY fts.rank ' if ranked else ''}LIMIT ?")
            hits = []
            for row in conn.execute(sql, [match, *args, int(limit)]):
                snippet, spans = _unmark(row[4] or "")
                snippet = sanitise_line(snippet)  # (one character for one: the spans hold)
                _, title_spans = _unmark(row[5] or "")
                hits.append(Hit(Entry(row), row[3], snippet, spans, title_spans))
            return hits

        # bm25 costs a little for every matching brief. When a query matches thousands
        # (a common word, a two-letter prefix while typing), rank only those matching in
        # the title, then list the others as they come (score 0.0).
        total = conn.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (match,)).fetchone()[0]
        if total <= tuning.RANK_ALL_MAX:
            return run(match, True, limit)
        hits = run(f"title : ({match})", True, limit)
        if len(hits) < limit:
            hits += run(f"({match}) NOT (title : ({match}))", False, limit - len(hits))
        return hits

    def get(self, path: str | os.PathLike) -> Entry | None:
        row = self._guard(lambda: self._conn().execute(f"SELECT {_ENTRY_COLS} FROM briefs b WHERE b.path = ?",
                                                       (_root_key(path),)).fetchone())
        return _entry(row) if row else None

    def meta_for(self, path: str | os.PathLike):
        """The brief's ``briefing.core.model.Meta`` as cached (None if not cached or it failed)."""
        from briefing.core.model import Meta

        row = self._guard(lambda: self._conn().execute(
            "SELECT b.title, b.published, b.source, d.url, b.tags, d.summary, b.status FROM briefs b "
            "JOIN details d ON d.id = b.id WHERE b.path = ?",
            (_root_key(path),)).fetchone())
        if row is None or row[6] != "ok":
            return None
        # (sanitised: the index is a file that may have been edited)
        line = sanitise_field
        try:
            published = dt.date.fromisoformat(row[1]) if isinstance(row[1], str) and _ISO_DAY.match(row[1]) else None
        except ValueError:
            published = None
        return Meta.model_construct(title=line(row[0]), published=published,
                                    source=line(row[2]), url=line(row[3]),
                                    tags=[line(t) for t in row[4].split(TAG_SEP)] if row[4] else [],
                                    summary=sanitise(row[5]) if isinstance(row[5], str) else None)

    def fact_labels_for(self, path: str | os.PathLike) -> list[tuple[str, str, str]] | None:
        """The brief's facts as the filters see them: (type, label, key), in ``Brief.facts``
        order (a date's label is its value); None if the brief is not cached or failed."""
        def read():
            conn = self._conn()
            row = conn.execute("SELECT id, status FROM briefs WHERE path = ?", (_root_key(path),)).fetchone()
            if row is None or row[1] != "ok":
                return None
            return [tuple(sanitise_line(str(v)) for v in r) for r in conn.execute(
                "SELECT type, label, key FROM facts WHERE brief_id = ? ORDER BY seq", (row[0],))]

        return self._guard(read)

    def problems_for(self, path: str | os.PathLike) -> list:
        """The brief's problems (errors and warnings) as ``briefing.core.problems.Problem``."""
        from briefing.core.problems import Problem

        key = _root_key(path)
        row = self._guard(lambda: self._conn().execute(
            "SELECT d.problems FROM briefs b JOIN details d ON d.id = b.id WHERE b.path = ?", (key,)).fetchone())
        if row is None or not row[0]:
            return []
        out = []
        try:
            for p in json.loads(row[0]):
                out.append(Problem(path=os.fspath(path), line=int(p[0]), col=int(p[1]),
                                   severity="warning" if p[2] == "warning" else "error", message=sanitise_line(str(p[3]))))
        except (ValueError, TypeError, IndexError, KeyError):
            pass  # an edited row: what could be read
        return out

    def facet(self, roots: Iterable[str | os.PathLike] | None, fact_type: str, limit: int = 50) -> list[tuple[str, int]]:
        """The most frequent facts of a type under ``roots``: (name, number of briefs)."""
        clause, params = self._root_clause(roots)
        sql = (f"SELECT min(f.label), count(DISTINCT f.brief_id) AS n FROM facts f JOIN briefs b ON b.id = f.brief_id "
               f"WHERE f.type = ? AND {clause} GROUP BY f.match ORDER BY n DESC, f.match LIMIT ?")
        # (sanitised: the index is a file that may have been edited; the palette shows these names)
        return self._guard(lambda: [(sanitise_field(name), n) for name, n in
                                    self._conn().execute(sql, [fact_type, *params, int(limit)])])

    def tags(self, roots: Iterable[str | os.PathLike] | None = None, limit: int = 200) -> list[tuple[str, int]]:
        """Tags under ``roots`` with the number of briefs carrying each, most used first."""
        clause, params = self._root_clause(roots)
        sql = (f"SELECT t.tag, count(*) AS n FROM tags t JOIN briefs b ON b.id = t.brief_id WHERE {clause} "
               f"GROUP BY t.tag ORDER BY n DESC, t.tag LIMIT ?")
        return self._guard(lambda: [(sanitise_field(tag), n) for tag, n in self._conn().execute(sql, [*params, int(limit)])])
