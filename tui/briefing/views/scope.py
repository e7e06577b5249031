"""Which briefs a view looks at: the open folders (roots) and the list's filters.

Built on the index's own filter clauses (Index._filters: roots, facts, tags, published
dates) plus the search words (FTS), so a view shows what the document list shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Scope:
    roots: list | None = None  # None: every indexed brief
    filters: dict = field(default_factory=dict)  # Index.entries' keyword filters (fact, tag, date_from, date_to)
    query: str | None = None  # search words, as the list's search line has them

    def where(self, index) -> tuple[str, list]:
        """A condition on ``b`` (the briefs table) and its parameters; only ok briefs."""
        from briefing.index import fts_query

        f = self.filters
        where, args = index._filters(self.roots, f.get("fact"), f.get("tag"), f.get("date_from"), f.get("date_to"), "ok")
        match = fts_query(self.query) if self.query else None
        if match:
            where.append("b.id IN (SELECT rowid FROM fts WHERE fts MATCH ?)")
            args.append(match)
        return " AND ".join(where), args

    @staticmethod
    def everything(where: str) -> bool:
        """Whether a condition from ``where`` keeps every brief that reads (no filter)."""
        return where == "1 AND b.status = ?"


def texts(index, brief_ids) -> dict[int, str]:
    """The displayed text of each brief (as the index keeps it; sanitised again, one character
    for one: the index is a file anyone may edit)."""
    from briefing.core.sanitize import sanitise

    ids = list(dict.fromkeys(brief_ids))
    out: dict[int, str] = {}
    conn = index._conn()
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        marks = ",".join("?" * len(chunk))
        out.update((i, sanitise(t) if isinstance(t, str) else "") for i, t in conn.execute(
            f"SELECT rowid, text FROM fts WHERE rowid IN ({marks})", chunk))
    return out
