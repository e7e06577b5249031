"""Which identity keys a name given by a person stands for, by the identity rule
(briefing.core.identity), looked up in the index's spellings table.

``resolve(index, "Kishida")`` finds the facts named "Kishida" and those with "Kishida" as
an alias (rule 3: the name of one is an alias of the other), plus the facts named like
those with a Wikidata id and the reverse (an id on one side only: names decide). A name
that only aliases match, or that names things of several types or several Wikidata ids,
is ambiguous: the candidates are given, and ``TYPE:NAME`` or the ``Q…`` id picks one. A
date value (``2024-06``) stands for its date facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from briefing.core import dates
from briefing.core.identity import WIKIDATA_RE, fold
from briefing.core.sanitize import sanitise_field
from briefing.index.viewrows import DATE_END, DATE_PREFIX

_TYPED_RE = re.compile(r"^([a-z][a-z0-9_-]*):(.+)$", re.S)


@dataclass
class Resolved:
    idents: list[str]
    type: str
    name: str  # the name most used by the facts found (filled in by the view)
    candidates: list[tuple[str, str, str]] = field(default_factory=list)  # when ambiguous: (type, name, ident)


class NotFound(LookupError):
    pass


class Ambiguous(LookupError):
    def __init__(self, name: str, candidates: list[tuple[str, str, str]]):
        self.name, self.candidates = name, candidates
        shown = "; ".join(f"{t}:{n!r}" + (f" ({i[3:]})" if i.startswith("wd:") else "") for t, n, i in candidates[:8])
        super().__init__(f"{name!r} names several things: {shown}")


def _type_of(ident: str, types: dict[str, str]) -> str:
    return sanitise_field(types.get(ident) or ident.partition(":")[0])  # (the index may have been edited)


def resolve(index, name: str, fact_type: str | None = None) -> Resolved:
    """The identity keys of ``name`` (raises NotFound or Ambiguous)."""
    name = name.strip()
    m = _TYPED_RE.match(name)
    if fact_type is None and m and not WIKIDATA_RE.match(name):
        fact_type, name = m.group(1), m.group(2).strip().strip('"').strip()
    if not name:
        raise NotFound("an empty name")
    index.ready_for_views()
    conn = index._conn()
    if fact_type in (None, "date"):
        try:
            dates.parse_value(name)
        except dates.DateValueError:
            pass
        else:
            index.ready_for_search()  # (a date is looked up by its match)
            idents = [r[0] for r in conn.execute(
                "SELECT DISTINCT ident FROM facts WHERE type = 'date' AND match = ? AND ident >= ? AND ident < ?",
                (name.casefold(), DATE_PREFIX, DATE_END))]
            if idents:
                return Resolved(idents, "date", name)
            if fact_type == "date":
                raise NotFound(f"no brief mentions the date {name}")
    if WIKIDATA_RE.match(name):
        rows = conn.execute("SELECT spelling, name, type FROM spellings WHERE ident = ?", ("wd:" + name,)).fetchall()
        if not rows:
            raise NotFound(f"no brief gives the Wikidata id {name}")
        idents = {"wd:" + name}
        kind = rows[0][2]
        for spelling, is_name, t in rows:
            if is_name:
                idents.update(_plain_named(conn, spelling, t))
        return Resolved(sorted(idents), kind, name)

    folded = fold(name)
    rows = conn.execute("SELECT ident, name, type FROM spellings WHERE spelling = ?", (folded,)).fetchall()
    if fact_type:
        rows = [r for r in rows if r[2] == fact_type]
    types = {r[0]: r[2] for r in rows}
    named = {r[0] for r in rows if r[1]}
    aliased = {r[0] for r in rows if not r[1]}
    found = named or aliased
    if not found:
        raise NotFound(f"no brief mentions {name!r}" + (f" as a {fact_type}" if fact_type else ""))
    kinds = {_type_of(i, types) for i in found}
    wd = {i for i in found if i.startswith("wd:")}
    if len(kinds) > 1 or len(wd) > 1 or (not named and len(found) > 1):
        raise Ambiguous(name, [(_type_of(i, types), _label(conn, i), i) for i in sorted(found)])
    kind = kinds.pop()
    idents = set(found)
    if named:  # facts that give the name as an alias are the same entity (rule 3)
        idents.update(i for i in aliased if _type_of(i, types) == kind and not (wd and i.startswith("wd:")))
    wd = {i for i in idents if i.startswith("wd:")}
    # An id on one side only: names decide (rule 3), both ways.
    for i in list(idents):
        if i.startswith("wd:"):
            for (spelling,) in conn.execute("SELECT spelling FROM spellings WHERE ident = ? AND name = 1", (i,)):
                idents.update(_plain_named(conn, spelling, kind))
        elif not wd:
            spelling = i.partition(":")[2]
            ids = {r[0] for r in conn.execute(
                "SELECT ident FROM spellings WHERE spelling = ? AND name = 1 AND type = ? AND ident >= 'wd:' "
                "AND ident < 'wd;'", (spelling, kind))}
            if len(ids) == 1:
                idents.update(ids)
    return Resolved(sorted(idents), kind, name)


def _plain_named(conn, spelling: str, kind: str) -> list[str]:
    ident = f"{kind}:{spelling}"
    hit = conn.execute("SELECT 1 FROM spellings WHERE spelling = ? AND ident = ?", (spelling, ident)).fetchone()
    return [ident] if hit else []


def _label(conn, ident: str) -> str:
    row = conn.execute("SELECT label FROM facts WHERE ident = ? LIMIT 1", (ident,)).fetchone()
    return sanitise_field(row[0] if row else ident.partition(":")[2])  # (the index may have been edited)
