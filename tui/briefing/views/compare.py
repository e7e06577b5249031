"""Compare two briefs: their key facts side by side by type, in both / only in A / only in B,
with the number of mentions in each.

Facts of the two briefs are paired by the identity rule (briefing.core.identity: Wikidata
ids, else folded names and aliases); dates by value and mod. Two parsed briefs are all it
needs (a few milliseconds each), so it works on any two files, indexed or not.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefing.core.identity import Named, same_entity
from briefing.core.model import Brief, Fact


def named(brief: Brief, fact: Fact) -> Named:
    """The identity of one of a brief's facts (its entity's aliases and Wikidata id)."""
    entity = brief.entities.get(fact.key[4:]) if fact.key.startswith("ref:") else None
    if entity is not None:
        return Named(fact.type, fact.name, tuple(entity.aliases), entity.wikidata)
    return Named(fact.type, fact.name)


def fact_label(fact: Fact) -> str:
    return fact.label


def json_name(fact: Fact) -> str:
    """The name in ``compare --json``: a date as its value (and mod), as scripts read it; the
    text and the reader show it in words (fact.label)."""
    if fact.type == "date":
        return fact.value if not fact.mod else f"{fact.value} ({fact.mod.lower()})"
    return fact.label


@dataclass
class Side:
    label: str
    a: int  # mentions in A (0: not in A)
    b: int  # mentions in B
    name: str = ""  # for JSON (json_name)


@dataclass
class Comparison:
    a: Brief
    b: Brief
    # type -> (in both, only in A, only in B), each in the briefs' fact order
    groups: dict[str, tuple[list[Side], list[Side], list[Side]]]

    def as_json(self) -> dict:
        def brief(x: Brief) -> dict:
            return {"path": x.path, "title": x.meta.title,
                    "published": x.meta.published.isoformat() if x.meta.published else None}

        types = {}
        for kind, (both, only_a, only_b) in self.groups.items():
            types[kind] = {
                "both": [{"name": s.name or s.label, "a": s.a, "b": s.b} for s in both],
                "only_a": [{"name": s.name or s.label, "mentions": s.a} for s in only_a],
                "only_b": [{"name": s.name or s.label, "mentions": s.b} for s in only_b],
            }
        return {"a": brief(self.a), "b": brief(self.b), "facts": types}


def compare(a: Brief, b: Brief) -> Comparison:
    groups: dict[str, tuple[list[Side], list[Side], list[Side]]] = {}
    kinds = list(a.facts) + [k for k in b.facts if k not in a.facts]
    for kind in kinds:
        fa, fb = a.facts.get(kind, []), b.facts.get(kind, [])
        nb = [named(b, f) for f in fb] if kind != "date" else []
        used: set[int] = set()
        both, only_a = [], []
        for f in fa:
            j = _partner(f, named(a, f) if kind != "date" else None, fb, nb, used)
            if j is None:
                only_a.append(Side(fact_label(f), f.mentions, 0, json_name(f)))
            else:
                used.add(j)
                both.append(Side(fact_label(f), f.mentions, fb[j].mentions, json_name(f)))
        only_b = [Side(fact_label(f), 0, f.mentions, json_name(f)) for j, f in enumerate(fb) if j not in used]
        groups[kind] = (both, only_a, only_b)
    return Comparison(a, b, groups)


def _partner(fact: Fact, ident: Named | None, others: list[Fact], named_others: list[Named],
             used: set[int]) -> int | None:
    for j, other in enumerate(others):
        if j in used:
            continue
        if ident is None:
            if (other.value, other.mod) == (fact.value, fact.mod):
                return j
        elif same_entity(ident, named_others[j]):
            return j
    return None
