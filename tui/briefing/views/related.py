"""Related briefs: for one brief, the briefs that share the most key facts with it, rare
facts weighing more than common ones.

A BM25-like score over facts rather than words: each fact the brief mentions (by identity
key: one entity whatever it is called, one date per value and mod) weighs its inverse
document frequency in the scope, idf = ln(1 + (N - n + 0.5) / (n + 0.5)) for a fact in n
of N briefs, times a saturating count of its mentions in the other brief,
(k1 + 1) m / (m + k1). "China", in most briefs, adds little; a minister in five adds much.

Candidates come from the rarer facts (their postings, up to POSTINGS_BUDGET in all); the
more common facts then complete the scores of the COMPLETED best candidates only. The
ranking is exact but for briefs that share only common facts with this one (which rank
low): on 10,000 generated briefs this reads a few thousand postings instead of tens of
thousands, ~3x faster, with the same top 5 as the exact ranking on 15 of 15 briefs tried
and 19 of the top 20 on average (bench/bench_views.py's corpus; 2,000/200 gave 11 of 15).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from briefing.core.sanitize import sanitise_field
from briefing.views.scope import Scope

K1 = 1.2
POSTINGS_BUDGET = 4000  # postings of the rarer facts read to find candidates
COMPLETED = 300  # best candidates whose scores the common facts complete


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

    hint = " INDEXED BY facts_ident" if index.ready_for_views() else ""  # (missing while a build defers it)
    conn = index._conn()
    row = conn.execute("SELECT id, status FROM briefs WHERE path = ?", (_root_key(path),)).fetchone()
    if row is None or row[1] != "ok":
        raise NotIndexed(f"{path}: not an indexed brief that reads")
    me = row[0]
    mine = {ident: (sanitise_field(kind), sanitise_field(label)) for ident, kind, label in conn.execute(
        "SELECT ident, type, label FROM facts WHERE brief_id = ? AND mentions > 0", (me,))}
    if not mine:
        return []
    where, args = scope.where(index)
    everything = scope.everything(where)
    total = conn.execute(f"SELECT count(*) FROM briefs b WHERE {where}", args).fetchone()[0]
    idents = list(mine)
    marks = ",".join("?" * len(idents))
    # How many briefs have each fact (the index alone answers: ident is its key).
    if everything:
        df = dict(conn.execute(f"SELECT ident, count(*) FROM facts{hint} WHERE ident IN ({marks}) "
                               f"GROUP BY ident", idents))
    else:
        df = dict(conn.execute(f"SELECT f.ident, count(*) FROM facts f{hint} JOIN briefs b "
                               f"ON b.id = f.brief_id WHERE f.ident IN ({marks}) AND {where} GROUP BY f.ident",
                               idents + args))
    n = max(total, 1)
    idf = {i: math.log(1 + (n - c + 0.5) / (c + 0.5)) for i, c in df.items()}
    # The rarer facts find the candidates (their postings, within a budget); the common ones
    # then only complete the scores of the best candidates: a brief that shares nothing but
    # "China" would rank low anyway, and reading every posting of "China" is most of the cost.
    rare, common, budget = [], [], 0
    for ident in sorted(df, key=lambda i: (df[i], i)):
        if not rare or budget + df[ident] <= POSTINGS_BUDGET:
            rare.append(ident)
            budget += df[ident]
        else:
            common.append(ident)
    scores: dict[int, float] = {}
    parts: dict[int, list[tuple[float, str]]] = {}

    def add(postings) -> None:
        for ident, bid, m in postings:
            if bid == me or not m:
                continue
            w = idf[ident] * (K1 + 1) * m / (m + K1)
            scores[bid] = scores.get(bid, 0.0) + w
            parts.setdefault(bid, []).append((w, ident))

    rmarks = ",".join("?" * len(rare))
    if everything:
        add(conn.execute(f"SELECT ident, brief_id, mentions FROM facts{hint} "
                         f"WHERE ident IN ({rmarks})", rare))
    else:
        add(conn.execute(f"SELECT f.ident, f.brief_id, f.mentions FROM facts f{hint} JOIN briefs b "
                         f"ON b.id = f.brief_id WHERE f.ident IN ({rmarks}) AND {where}", rare + args))
    if common and scores:
        best = [b for b, _ in sorted(scores.items(), key=lambda x: (-x[1], x[0]))[:COMPLETED]]
        cmarks = ",".join("?" * len(common))
        add(conn.execute(f"SELECT ident, brief_id, mentions FROM facts WHERE brief_id IN ({','.join('?' * len(best))}) "
                         f"AND ident IN ({cmarks})", best + common))
    best = sorted(scores.items(), key=lambda x: (-x[1], x[0]))[:limit]
    if not best:
        return []
    ids = [b for b, _ in best]
    info = {r[0]: r[1:] for r in conn.execute(
        f"SELECT id, path, title, published FROM briefs WHERE id IN ({','.join('?' * len(ids))})", ids)}
    out = []
    for bid, score in best:
        p, title, published = info[bid]
        title, published = sanitise_field(title), sanitise_field(published)  # (the index may have been edited)
        shared = [mine[i] for _, i in sorted(parts[bid], key=lambda x: -x[0])[:shown_shared]]
        out.append(Related(p, title, published, score, shared))
    return out
