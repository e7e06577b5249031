"""Key facts derived from a brief's mentions and declared entities.

Mentions become one fact when they share a ``ref``; a mention without ``ref`` joins a
declared entity of its type whose name or alias it spells; otherwise mentions of the
same type and text (or ``name=``) are one fact. Dates are one fact per value and mod (a
``ref`` to a date entity gives the entity's value and mod), listed chronologically.
Leaders, regions and other types are listed by mention count, then by first appearance.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefing.core import dates
from briefing.core.basemodel import construct
from briefing.core.columns import Pairs
from briefing.core.model import CORE_TYPES, Fact

if TYPE_CHECKING:
    from briefing.core.model import Brief


_FILLED = ("role", "country", "kind")  # what a later mention may add to a fact
_FILLED_SET = frozenset(_FILLED)


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _precision(value: str | None) -> str | None:
    """year, month, day, ... of a date value; None for none (or for a ``value=`` on a span
    that is not a date, which the parser does not check)."""
    if not value:
        return None
    try:
        return dates.parse_value(value)[0]
    except dates.DateValueError:
        return None


def _date(ref: str | None, attrs: dict[str, str], entities) -> tuple[str | None, str | None]:
    """The value and mod of a date mention: its own, else those of the entity it refers to."""
    entity = entities.get(ref) if ref else None
    value = attrs.get("value") or (entity.value if entity else None)
    mod = attrs.get("mod") or (entity.mod if entity else None)
    return value, (mod.upper() if mod else None)


def _key(mtype: str, text: str, ref: str | None, attrs: dict[str, str], alias_index: dict[tuple[str, str], str],
         entities) -> str:
    if mtype == "date":
        value, mod = _date(ref, attrs, entities)
        return f"date:{value}|{mod or ''}"
    if ref:
        return f"ref:{ref}"
    eid = alias_index.get((mtype, _norm(text)))
    if eid:
        return f"ref:{eid}"
    return f"{mtype}:{_norm(attrs.get('name', text))}"


def compute_facts(brief: "Brief") -> dict[str, list[Fact]]:
    from briefing.core.markdown import no_gc

    with no_gc():  # (tens of thousands of objects, no cycles: see markdown.no_gc)
        return _compute_facts(brief)


def _compute_facts(brief: "Brief") -> dict[str, list[Fact]]:
    entities = brief.entities
    alias_index: dict[tuple[str, str], str] = {}
    for e in entities.values():
        for spelling in [e.name, *e.aliases]:
            alias_index.setdefault((e.type, _norm(spelling)), e.id)

    facts: dict[str, Fact] = {}
    order: dict[str, int] = {}
    # The texts each fact has seen, as a set: a list membership test made N mentions with
    # N different texts cost N*N (issue 15: 80,000 mentions took 205 s).
    seen_texts: dict[str, set[str]] = {}
    # Mentions alike (most of a brief's) are keyed once: by what _key reads of them.
    keys: dict[object, str] = {}
    # The mentions' columns, read row by row: no Mention object is made (an 8 MB brief has 300,000).
    ms = brief.mentions
    for mtype, start, end, text, ref, attrs in zip(ms.types, ms.starts, ms.ends, ms.texts, ms.refs, ms.attrs):
        if mtype == "date":
            sig = (None, ref, attrs.get("value"), attrs.get("mod"))  # (never equal to the 3-tuples)
        elif ref:
            sig = ref
        else:
            sig = (mtype, text, attrs.get("name"))
        key = keys.get(sig)
        if key is None:
            key = _key(mtype, text, ref, attrs, alias_index, entities)
            if len(keys) < 100_000:
                keys[sig] = key
        fact = facts.get(key)
        if fact is None:
            if mtype == "date":
                entity = entities.get(ref) if ref else None
                value, mod = _date(ref, attrs, entities)
            else:
                entity = entities.get(key[4:]) if key.startswith("ref:") else None
                value, mod = attrs.get("value") or (entity.value if entity else None), attrs.get("mod") or (entity.mod if entity else None)
            fact = construct(  # every value is already a checked string
                Fact,
                type=mtype,
                key=key,
                name=entity.name if entity else attrs.get("name", text),
                role=(entity.role if entity else None) or attrs.get("role"),
                country=(entity.country if entity else None) or attrs.get("country"),
                kind=(entity.kind if entity else None) or attrs.get("kind"),
                value=value,
                precision=_precision(value),
                mod=mod,
                texts=[],
                spans=Pairs(),  # (by column: one fact may have 300,000)
            )
            facts[key] = fact
            order[key] = start
            seen_texts[key] = set()
        elif attrs and not _FILLED_SET.isdisjoint(attrs):  # later mentions may fill what the first one left out
            for field in _FILLED:
                if getattr(fact, field) is None and attrs.get(field):
                    setattr(fact, field, attrs[field])
        fact.spans.add(start, end)
        seen = seen_texts[key]
        if text not in seen:
            seen.add(text)
            fact.texts.append(text)

    # Declared entities never mentioned are still facts of the brief.
    for e in entities.values():
        key = f"date:{e.value}|{(e.mod or '').upper()}" if e.type == "date" else f"ref:{e.id}"
        if key not in facts and not (e.type == "date" and not e.value):
            facts[key] = construct(Fact, type=e.type, key=key, name=e.name, role=e.role, country=e.country, kind=e.kind,
                              value=e.value, precision=_precision(e.value), mod=e.mod, texts=[], spans=Pairs())
            order[key] = len(brief.text) + len(order)

    groups: dict[str, list[Fact]] = {t: [] for t in CORE_TYPES}
    for key, fact in facts.items():
        groups.setdefault(fact.type, []).append(fact)
    for kind, items in groups.items():
        if kind == "date":
            items.sort(key=lambda f: dates.sort_key(f.value or "", f.mod))
        else:
            items.sort(key=lambda f: (-f.mentions, order[f.key]))
    others = sorted(k for k in groups if k not in CORE_TYPES)
    return {k: groups[k] for k in (*CORE_TYPES, *others)}
