"""What the three export formats share: the highlight they read, which highlights have a
place in the text and which are orphans, notes and other outside text made safe, and the
labels of fact groups. Pure functions; no textual, no I/O.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable, Protocol

from briefing.core.sanitize import sanitise_line

if TYPE_CHECKING:
    from briefing.core.model import Brief

_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_URL_RE = re.compile(r"^https?://[^\s\"'<>`]+$", re.I)


class HighlightLike(Protocol):
    """What the exports read from a highlight (``briefing.core.anchor.Highlight`` has it all)."""

    id: str
    start: int
    end: int
    exact: str
    note: str | None
    orphan: bool


def scrub(text: str) -> str:
    """No lone surrogates: they cannot be written as UTF-8."""
    return _SURROGATE_RE.sub("\ufffd", text) if _SURROGATE_RE.search(text) else text


def clean_note(note: str | None) -> str:
    """A note as one line of safe text ('' for none)."""
    if not note:
        return ""
    return " ".join(sanitise_line(scrub(note)).split())


def placed_highlights(brief: "Brief", highlights: Iterable) -> list:
    """Highlights with usable offsets into brief.text, in text order."""
    n = len(brief.text)
    out = [h for h in highlights if not getattr(h, "orphan", False) and 0 <= h.start < h.end <= n]
    return sorted(out, key=lambda h: (h.start, h.end))


def orphan_highlights(highlights: Iterable) -> list:
    return [h for h in highlights if getattr(h, "orphan", False)]


def is_http(url: str | None) -> bool:
    return bool(url) and _URL_RE.match(url) is not None


_GROUP_LABELS = {"leader": "Leaders", "date": "Dates", "region": "Regions", "org": "Organisations", "event": "Events"}


def group_label(kind: str) -> str:
    return _GROUP_LABELS.get(kind, kind.replace("_", " ").replace("-", " ").capitalize())


def fact_details(fact) -> list[str]:
    """The parts shown after a fact's name: role, country, kind, date texts."""
    parts: list[str] = []
    if fact.type == "date":
        parts.append(fact.iso)  # the value as written, beside the words
        if fact.texts:
            parts.append("; ".join(fact.texts))
    else:
        for value in (fact.role, fact.country, fact.kind):
            if value:
                parts.append(value)
    return parts
