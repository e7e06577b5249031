"""Wrap a brief's display text into screen lines, keeping character offsets.

The reading pane draws one ``VLine`` per screen row; each knows which slice of
``Brief.text`` it shows, so every style (mentions, find matches, highlights, the
reading cursor) is applied by offset at draw time. Wrapping 1 MB takes a few tens of
milliseconds: a line is cut with ``str.rfind`` at the last space that fits, with a
per-character cell count only for lines that are not plain ASCII.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.cells import get_character_cell_size

if TYPE_CHECKING:
    from briefing.session.shapes import ShownBrief


@dataclass(slots=True)
class VLine:
    start: int  # offset into Brief.text (start == end for an empty line)
    end: int
    kind: str  # text kind of the block: heading, paragraph, quote, item, code, rule; "blank"
    block: int  # index into Brief.blocks, -1 for blank lines
    indent: int  # cells before the text
    level: int = 0  # heading level, quote depth


class Layout:
    def __init__(self, lines: list[VLine], width: int):
        self.lines = lines
        self.width = width
        self._starts = [ln.start if ln.kind != "blank" else -1 for ln in lines]
        # For bisect: the start offset of each line, made non-decreasing across blank lines.
        run = 0
        for i, s in enumerate(self._starts):
            if s < 0:
                self._starts[i] = run
            else:
                run = s
        self._starts_sorted = self._starts

    def line_of(self, offset: int) -> int:
        """Index of the screen line that shows ``offset`` (the last one starting at or before it)."""
        i = bisect.bisect_right(self._starts_sorted, offset) - 1
        while i > 0 and self.lines[i].kind == "blank":
            i -= 1
        return max(i, 0)


def _cut_points(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """Split text[start:end] into (start, end) pieces that fit ``width`` cells."""
    width = max(width, 1)
    out: list[tuple[int, int]] = []
    ascii_ = text[start:end].isascii()
    pos = start
    while True:
        if ascii_:
            if end - pos <= width:
                out.append((pos, end))
                return out
            limit = pos + width
            cut = text.rfind(" ", pos + 1, limit + 1)
        else:
            cells = 0
            limit = pos
            while limit < end:
                w = get_character_cell_size(text[limit])
                if cells + w > width:
                    break
                cells += w
                limit += 1
            if limit >= end:
                out.append((pos, end))
                return out
            limit = max(limit, pos + 1)
            cut = text.rfind(" ", pos + 1, limit + 1)
        if cut <= pos:
            cut = limit  # a word longer than the line: break it
            out.append((pos, cut))
            pos = cut
        else:
            out.append((pos, cut))
            pos = cut + 1  # the space at the break is not drawn
        if pos >= end:
            return out


def layout_brief(brief: ShownBrief, width: int) -> Layout:
    text = brief.text
    lines: list[VLine] = []
    prev_end = -1
    for bi, block in enumerate(brief.blocks):
        if prev_end >= 0 and text.count("\n", prev_end, block.start) >= 2:
            lines.append(VLine(block.start, block.start, "blank", -1, 0))
        prev_end = block.end
        kind = block.kind
        if kind == "quote":
            indent = 2 * block.level
        elif kind == "item":
            indent = 2 * block.level
        elif kind == "code":
            indent = 2
        else:
            indent = 0
        hang = block.content_start - block.start if kind == "item" else 0
        pos = block.start
        first = True  # only the block's first screen line sits left of the hanging indent
        while pos <= block.end:
            nl = text.find("\n", pos, block.end)
            stop = block.end if nl < 0 else nl
            if stop == pos:
                lines.append(VLine(pos, pos, kind, bi, indent + (0 if first else hang), block.level))
                first = False
            else:
                for s, e in _wrap(text, pos, stop, width - indent, hang, first):
                    lines.append(VLine(s, e, kind, bi, indent + (0 if first else hang), block.level))
                    first = False
            if nl < 0:
                break
            pos = nl + 1
    return Layout(lines, width)


def _wrap(text: str, start: int, end: int, avail: int, hang: int, first: bool) -> list[tuple[int, int]]:
    """Wrap with a hanging indent: the block's first piece gets ``avail`` cells, the rest
    ``avail - hang``."""
    if not first or hang == 0:
        return _cut_points(text, start, end, avail - (0 if first else hang))
    pieces = _cut_points(text, start, end, avail)
    if len(pieces) == 1:
        return pieces
    head = pieces[0]
    return [head] + _cut_points(text, head[1] + (1 if text[head[1]:head[1] + 1] == " " else 0), end, avail - hang)
