"""Which key facts an export lists: all of the brief's, or only those mentioned inside the
highlighted passages (the digest's default: a digest is about what the reader marked).

A fact in the highlighted passages keeps only the mentions inside them, so its count says how
often the marked text names it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from briefing.core.model import Brief, Fact

SCOPES = ("all", "highlighted")


def default_scope(highlights_only: bool) -> str:
    return "highlighted" if highlights_only else "all"


def facts_in_scope(brief: "Brief", highlights: Iterable, scope: str) -> dict[str, list["Fact"]]:
    """The brief's facts by type, limited to the highlighted passages when ``scope`` says so."""
    if scope not in SCOPES:
        raise ValueError(f"unknown facts scope {scope!r} (known: {', '.join(SCOPES)})")
    if scope == "all":
        return brief.facts
    n = len(brief.text)
    passages = sorted((h.start, h.end) for h in highlights
                      if not getattr(h, "orphan", False) and 0 <= h.start < h.end <= n)
    out: dict[str, list] = {}
    for kind, facts in brief.facts.items():
        kept = []
        for fact in facts:
            inside = [(a, b) for a, b in fact.spans if any(s < b and a < e for s, e in passages)]
            if inside:
                kept.append(fact.model_copy(update={"spans": inside}))
        out[kind] = kept
    return out
