"""The JSON export: metadata, key facts (in ``facts --json``'s shape) and the highlights as
W3C Web Annotation-like objects; the brief's text unless it is a digest. JSON-inert
(``core.sanitize.json_inert``): no character that would end a script or a comment when the
output is embedded.
"""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Iterable

from briefing.core.anchor import make_quote
from briefing.core.sanitize import json_inert
from briefing.export.scope import default_scope, facts_in_scope
from briefing.export.shared import HighlightLike, orphan_highlights, placed_highlights, scrub

if TYPE_CHECKING:
    from briefing.core.model import Brief


def _annotation_id(hid: object) -> str:
    text = str(hid)
    try:
        return uuid.UUID(text).urn
    except ValueError:
        return f"urn:briefing:highlight:{text}"


def annotation(brief: "Brief", h) -> dict:
    """One highlight as a W3C Web Annotation-like object."""
    note = h.note if h.note else None
    note = scrub(note) if note else None
    orphan = bool(getattr(h, "orphan", False)) or not (0 <= h.start < h.end <= len(brief.text))
    if orphan:
        quote = {"type": "TextQuoteSelector", "exact": h.exact, "prefix": getattr(h, "prefix", ""),
                 "suffix": getattr(h, "suffix", "")}
        selectors = [quote]
    else:
        q = make_quote(brief.text, h.start, h.end)
        selectors = [
            {"type": "TextQuoteSelector", "exact": q.exact, "prefix": q.prefix, "suffix": q.suffix},
            {"type": "TextPositionSelector", "start": h.start, "end": h.end},
        ]
    out = {
        "id": _annotation_id(h.id),
        "type": "Annotation",
        "motivation": "commenting" if note else "highlighting",
        "body": {"type": "TextualBody", "value": note, "format": "text/plain", "purpose": "commenting"} if note else None,
        "target": {"source": brief.path, "selector": selectors},
        "orphan": orphan,
        "note": note,
    }
    created = getattr(h, "created", "")
    updated = getattr(h, "updated", "")
    if created:
        out["created"] = created
    if updated:
        out["modified"] = updated
    return out


def export_json(brief: "Brief", highlights: Iterable[HighlightLike] = (), highlights_only: bool = False,
                facts: str | None = None) -> str:
    highlights = list(highlights)
    scope = facts or default_scope(highlights_only)
    meta = brief.meta
    ordered = placed_highlights(brief, highlights) + orphan_highlights(highlights)
    doc = {
        "format": "briefing-export",
        "version": 1,
        "digest": bool(highlights_only),
        "path": brief.path,
        "title": meta.title,
        "published": meta.published.isoformat() if meta.published else None,
        "source": meta.source,
        "url": meta.url,
        "tags": list(meta.tags),
        "summary": meta.summary,
        "facts_scope": scope,
        "facts": {kind: [f.as_json() for f in found]
                  for kind, found in facts_in_scope(brief, placed_highlights(brief, highlights), scope).items()},
        "highlights": [annotation(brief, h) for h in ordered],
    }
    if not highlights_only:
        doc["text"] = brief.text
    return json_inert(scrub(json.dumps(doc, ensure_ascii=False, indent=2))) + "\n"
