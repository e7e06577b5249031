"""Related briefs: for one brief, the briefs that share the most key facts with it, rare
facts weighing more than common ones.

A BM25-like score over facts rather than words: each fact the brief mentions (by identity
key: one entity whatever it is called, one date per value and mod) weighs its inverse
document frequency in the scope, idf = ln(1 + (N - n + 0.5) / (n + 0.5)) for a fact in n
of N briefs, times a saturating count of its mentions in the other brief,
(k1 + 1) m / (m + k1). "China", in most briefs, adds little; a minister in five adds much.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from briefing.views.scope import Scope

K1 = 1.2


@dataclass
class Related:
    path: str
    title: str
    published: str | None
    score: float
    shared: list[tuple[str, str]]  # (type, name) of the shared facts, heaviest first

    def as_json(self) -> dict:
        return {"path": self.path, "title": self.title, "published": self.published, "score": round(self.score, 3),
                "shared": [{"type": t, "name": n} for t, n in self.shared]}


class NotIndexed(LookupError):
    pass


def related(index, path: str, scope: Scope, limit: int = 20, shown_shared: int = 6) -> list[Related]:
    return index._guard(_related, index, path, scope, limit, shown_shared)


def _related(index, path, scope: Scope, limit: int, shown_shared: int) -> list[Related]:
    from briefing.index.scan import _root_key

    conn = index._conn()
    row = conn.execute("SELECT id, status FROM briefs WHERE path = ?", (_root_key(path),)).fetchone()
    if row is None or row[1] != "ok":
        raise NotIndexed(f"{path}: not an indexed brief that reads")
    me = row[0]
    mine = {ident: (kind, label) for ident, kind, label in conn.execute(
        "SELECT ident, type, label FROM facts WHERE brief_id = ? AND mentions > 0", (me,))}
    if not mine:
        return []
    where, args = scope.where(index)
    everything = scope.everything(where)
    total = conn.execute(f"SELECT count(*) FROM briefs b WHERE {where}", args).fetchone()[0]
    marks = ",".join("?" * len(mine))
    idents = list(mine)
    if everything:
        postings = conn.execute(
            f"SELECT ident, brief_id, mentions FROM facts INDEXED BY facts_ident WHERE ident IN ({marks}) "
            f"AND mentions > 0", idents).fetchall()
    else:
        postings = conn.execute(
            f"SELECT f.ident, f.brief_id, f.mentions FROM facts f INDEXED BY facts_ident JOIN briefs b "
            f"ON b.id = f.brief_id WHERE f.ident IN ({marks}) AND f.mentions > 0 AND {where}", idents + args).fetchall()
    df: dict[str, set[int]] = {}
    for ident, bid, _ in postings:
        df.setdefault(ident, set()).add(bid)
    n = max(total, 1)
    idf = {i: math.log(1 + (n - len(b) + 0.5) / (len(b) + 0.5)) for i, b in df.items()}
    scores: dict[int, float] = {}
    parts: dict[int, list[tuple[float, str]]] = {}
    for ident, bid, m in postings:
        if bid == me:  # (only briefs that read have facts)
            continue
        w = idf[ident] * (K1 + 1) * m / (m + K1)
        scores[bid] = scores.get(bid, 0.0) + w
        parts.setdefault(bid, []).append((w, ident))
    best = sorted(scores.items(), key=lambda x: (-x[1], x[0]))[:limit]
    if not best:
        return []
    ids = [b for b, _ in best]
    info = {r[0]: r[1:] for r in conn.execute(
        f"SELECT id, path, title, published FROM briefs WHERE id IN ({','.join('?' * len(ids))})", ids)}
    out = []
    for bid, score in best:
        p, title, published = info[bid]
        shared = [mine[i] for _, i in sorted(parts[bid], key=lambda x: -x[0])[:shown_shared]]
        out.append(Related(p, title, published, score, shared))
    out.sort(key=lambda r: (-r.score, r.path))
    return out
