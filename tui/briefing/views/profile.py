"""The profile of a leader, region or any fact across briefs: the briefs that mention it
(newest first, with counts), first and last seen, the roles and countries it was given,
the entities most often mentioned with it, its mentions in their sentences
(keyword-in-context) and its mentions per month.

Everything comes from the index: the facts of its identity keys (facts_ident), the other
facts of those briefs for the company it keeps, and the displayed text of the briefs
whose sentences are shown.
"""

from __future__ import annotations

import collections
import re
from dataclasses import dataclass, field

from briefing.core.sanitize import sanitise_field
from briefing.index.viewrows import unpack_spans
from briefing.views.context import context
from briefing.views.resolve import Resolved, resolve
from briefing.views.scope import Scope, texts

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class Seen:
    path: str
    title: str
    published: str | None
    mentions: int

    def as_json(self) -> dict:
        return {"path": self.path, "title": self.title, "published": self.published, "mentions": self.mentions}


@dataclass
class InContext:
    path: str
    title: str
    published: str | None
    start: int
    end: int
    sentence: str
    at: tuple[int, int]

    def as_json(self) -> dict:
        return {"path": self.path, "title": self.title, "published": self.published, "start": self.start,
                "end": self.end, "sentence": self.sentence, "at": list(self.at)}


@dataclass
class Profile:
    name: str
    type: str
    idents: list[str]
    briefs: list[Seen]
    roles: list[tuple[str, int]]  # (role, in how many briefs)
    countries: list[tuple[str, int]]
    company: list[tuple[str, str, int]]  # (type, name, in how many of its briefs)
    contexts: list[InContext]
    months: list[tuple[str, int]]  # (YYYY-MM, mentions), every month from the first to the last
    mentions: int = 0
    names: list[str] = field(default_factory=list)  # the names it was given, most used first

    @property
    def first_seen(self) -> str | None:
        days = [b.published for b in self.briefs if b.published]
        return min(days) if days else None

    @property
    def last_seen(self) -> str | None:
        days = [b.published for b in self.briefs if b.published]
        return max(days) if days else None

    def as_json(self) -> dict:
        return {
            "name": self.name, "type": self.type, "idents": self.idents, "names": self.names,
            "mentions": self.mentions, "first_seen": self.first_seen, "last_seen": self.last_seen,
            "briefs": [b.as_json() for b in self.briefs],
            "roles": [{"role": r, "briefs": n} for r, n in self.roles],
            "countries": [{"country": c, "briefs": n} for c, n in self.countries],
            "mentioned_with": [{"type": t, "name": n, "briefs": k} for t, n, k in self.company],
            "months": [{"month": m, "mentions": n} for m, n in self.months],
            "contexts": [c.as_json() for c in self.contexts],
        }


def profile(index, name: str, scope: Scope, *, fact_type: str | None = None, contexts: int | None = None,
            company: int = 10, company_briefs: int | None = None) -> Profile:
    """The profile of ``name`` (see briefing.views.resolve; raises NotFound or Ambiguous);
    ``contexts``: how many sentences at most (None: all), newest briefs first;
    ``company_briefs``: in how many of its newest briefs to count what is mentioned with it
    (None: all of them)."""
    return index._guard(_profile, index, resolve(index, name, fact_type), scope, contexts, company, company_briefs)


def _profile(index, resolved: Resolved, scope: Scope, contexts: int | None, company_limit: int,
             company_briefs: int | None) -> Profile:
    from briefing.views.resolve import NotFound

    conn = index._conn()
    where, args = scope.where(index)
    idents = resolved.idents
    marks = ",".join("?" * len(idents))
    rows = conn.execute(
        f"SELECT b.id, b.path, b.title, b.published, f.label, f.mentions, f.role, f.country, f.spans "
        f"FROM facts f JOIN briefs b ON b.id = f.brief_id WHERE f.ident IN ({marks}) AND {where} "
        f"ORDER BY b.published IS NULL, b.published DESC, b.path", idents + args).fetchall()
    if not rows:
        raise NotFound(f"no brief here mentions {resolved.name!r}")
    per_brief: dict[int, Seen] = {}
    packed_spans: dict[int, list[str]] = collections.defaultdict(list)
    names: collections.Counter = collections.Counter()
    roles: dict[str, set[int]] = collections.defaultdict(set)
    countries: dict[str, set[int]] = collections.defaultdict(set)
    months: collections.Counter = collections.Counter()
    for bid, path, title, published, label, mentions, role, country, packed in rows:
        # (Sanitised: the index is a file anyone may edit; the path stays the key that opens it.)
        title, published, label, role, country = (sanitise_field(v) for v in (title, published, label, role, country))
        if not (isinstance(published, str) and _ISO_DAY.fullmatch(published)):
            published = None  # (what the index writes, or undated: months are counted from it)
        if type(mentions) is not int:
            mentions = 0
        seen = per_brief.get(bid)
        if seen is None:
            seen = per_brief[bid] = Seen(path, title, published, 0)
        seen.mentions += mentions
        if packed:
            packed_spans[bid].append(packed)
        names[label] += mentions or 1
        if role:
            roles[role].add(bid)
        if country:
            countries[country].add(bid)
        if published and mentions:
            months[published[:7]] += mentions
    briefs = list(per_brief.values())
    ids = list(per_brief)
    # The company it keeps: the other facts (dates aside) of its briefs (the newest
    # ``company_briefs``), by how many share them.
    among = ids if company_briefs is None else ids[:company_briefs]
    # (By how many of its briefs mention them, then by how often.)
    together: collections.Counter = collections.Counter()
    often: collections.Counter = collections.Counter()
    labels: dict[str, tuple[str, str]] = {}
    for i in range(0, len(among), 900):
        chunk = among[i:i + 900]
        for ident, kind, label, n, m in conn.execute(
                f"SELECT ident, type, min(label), count(DISTINCT brief_id), sum(mentions) FROM facts WHERE brief_id IN "
                f"({','.join('?' * len(chunk))}) AND type != 'date' AND mentions > 0 GROUP BY ident", chunk):
            if ident not in idents:
                together[ident] += n
                often[ident] += m
                labels.setdefault(ident, (sanitise_field(kind), sanitise_field(label)))
    ranked = sorted(together, key=lambda i: (-together[i], -often[i], labels[i][1]))[:company_limit]
    company = [(*labels[i], together[i]) for i in ranked]
    # Sentences, newest brief first, in the order of the brief.
    shown: list[InContext] = []
    budget = contexts
    picked, spans = [], {}
    for bid in ids:
        if budget is not None and budget <= 0:
            break
        if packed_spans.get(bid):
            picked.append(bid)
            spans[bid] = [s for packed in packed_spans[bid] for s in unpack_spans(packed)]
            if budget is not None:
                budget -= len(spans[bid])
    body = texts(index, picked)
    for bid in picked:
        text = body.get(bid, "")
        seen = per_brief[bid]
        for start, end in sorted(set(spans[bid])):
            if contexts is not None and len(shown) >= contexts:
                break
            sentence, s, e = context(text, start, end)
            shown.append(InContext(seen.path, seen.title, seen.published, start, end, sentence, (s, e)))
    return Profile(
        name=names.most_common(1)[0][0] if names else resolved.name,
        type=resolved.type,
        idents=idents,
        briefs=briefs,
        roles=_by_count(roles),
        countries=_by_count(countries),
        company=company,
        contexts=shown,
        months=_every_month(months),
        mentions=sum(b.mentions for b in briefs),
        names=[n for n, _ in names.most_common()],
    )


def _by_count(found: dict[str, set[int]]) -> list[tuple[str, int]]:
    return sorted(((k, len(v)) for k, v in found.items()), key=lambda x: (-x[1], x[0]))


def _every_month(counts: collections.Counter) -> list[tuple[str, int]]:
    if not counts:
        return []
    first, last = min(counts), max(counts)
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while True:
        key = f"{y:04d}-{m:02d}"
        out.append((key, counts.get(key, 0)))
        if key >= last or len(out) > 12 * 200:
            break
        m += 1
        if m > 12:
            y, m = y + 1, 1
    return out
