"""The highlights a brief carries in its own text: ``[words]{.highlight note="..."}`` spans
(what ``e`` → Markdown writes, docs/FORMAT.md), read by the parser into ``Brief.marks``.

The reader shows them as highlights beside the reader's own (the store's), with their notes:
an exported brief opened elsewhere, or by someone else, keeps its highlights, as a Readwise or
Hypothesis export brought back does. They live in the file, so the keys do not remove them
(``h`` on one says so; editing the file does); ``a`` on one copies it, with its note, into the
store, where it is the reader's own (and hides the file's at the same words). A stored
highlight over exactly a file mark's words is shown instead of it (no doubles after a copy).

Textual-free; on the UI thread (a few objects per brief).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefing.core.anchor import Highlight, text_hash

if TYPE_CHECKING:
    from briefing.session.shapes import ShownBrief

IN_FILE = "in_file"  # the key of ``Highlight.extra`` that marks one of the file's own
PREFIX = "file:"  # their ids: never a store id (those are uuid hex)


def is_in_file(highlight: Highlight) -> bool:
    """A highlight written in the brief's file, not in the store."""
    return bool(highlight.extra.get(IN_FILE))


def with_file_marks(brief: ShownBrief, stored: list[Highlight]) -> list[Highlight]:
    """``stored`` and the brief's own ``.highlight`` spans as highlights, in text order
    (orphans last, as the store gives them); a file mark under a stored highlight of the
    same words is left out. A file mark is keyed as the store keys the brief's own
    (``store.brief_key``: the resolved path), so it reads as one of the same brief's."""
    marks = getattr(brief, "marks", None) or ()
    if not marks:
        return stored
    from briefing.store import brief_key  # (imported by then: the store gave ``stored``)

    text = brief.text
    taken = {(h.start, h.end) for h in stored if not h.orphan}
    key = digest = None
    out = list(stored)
    for k in marks:
        if (k.start, k.end) in taken or not 0 <= k.start < k.end <= len(text):
            continue
        key = key or brief_key(brief.path)
        digest = digest or text_hash(text)
        out.append(Highlight.of_text(text, k.start, k.end, id=f"{PREFIX}{k.start}:{k.end}", path=key,
                                     note=k.note or None, digest=digest, extra={IN_FILE: True}))
    out.sort(key=lambda h: (h.orphan, h.start, h.end, h.created))
    return out
