"""Export a brief with its highlights: Markdown (the brief's own format), HTML, JSON.

Pure functions returning text; the caller writes it (``briefing.atomic.write_atomic``).

- ``export_markdown``: the brief's source with every highlight inserted as a
  ``[text]{.highlight note="..."}`` span. Highlights are split at block boundaries (and
  left out of code blocks, which have no inline markup), their ends are moved outward so a
  span never cuts a mention, an emphasis, a link or an existing mark, and literal brackets,
  backticks and emphasis characters that the new spans could change the meaning of are
  backslash-escaped. Each changed block is parsed again and compared with the original;
  a highlight that would change the displayed text is widened to its whole block, or, if
  even that fails, left out. The result parses with ``briefing.core.parser.parse_brief`` and shows
  the same text.
- ``export_html``: one self-contained page (inline CSS, no script, no network, a strict
  Content-Security-Policy); every piece of text and every attribute is escaped, and only
  http(s) links are links.
- ``export_json``: metadata, key facts and the highlights as W3C Web Annotation-like objects.

With ``highlights_only`` each gives a digest: title, key facts and the highlighted
passages in order, with their notes.

Where things are: ``markdown.py``, ``html.py`` and ``json.py`` (one format each),
``insert.py`` (highlights placed into the Markdown source: snapping, escaping, checking),
``shared.py`` (the highlight shape, placed and orphaned highlights, notes, fact labels),
``scope.py`` (which key facts an export lists). This module dispatches on the format and
re-exports the public names, so ``from briefing.export import ...`` is the one API.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from briefing.export.html import ALLOWED_TAGS, CORE_KINDS, CSP, export_html
from briefing.export.insert import highlight_pieces, insert_highlights
from briefing.export.json import annotation, export_json
from briefing.export.markdown import export_markdown, md_escape
from briefing.export.shared import HighlightLike, clean_note, fact_details, group_label

if TYPE_CHECKING:
    from briefing.core.model import Brief

__all__ = [
    "EXPORT_FORMATS", "EXPORTERS", "export", "export_markdown", "export_html", "export_json", "HighlightLike",
    "ALLOWED_TAGS", "CSP", "CORE_KINDS", "annotation", "clean_note", "fact_details", "group_label",
    "highlight_pieces", "insert_highlights", "md_escape",
]

EXPORT_FORMATS = ("md", "html", "json")
EXPORTERS = {"md": export_markdown, "html": export_html, "json": export_json}


def export(brief: "Brief", highlights: Iterable[HighlightLike], fmt: str, highlights_only: bool = False,
           facts: str | None = None) -> str:
    """Dispatch on ``fmt`` (md, html or json). ``facts``: "all" or "highlighted" (the key facts
    mentioned in the highlighted passages); by default "highlighted" for a digest, else "all"."""
    try:
        fn = EXPORTERS[fmt]
    except KeyError:
        raise ValueError(f"unknown export format {fmt!r} (known: {', '.join(EXPORT_FORMATS)})") from None
    return fn(brief, highlights, highlights_only=highlights_only, facts=facts)
