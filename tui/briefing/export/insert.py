"""Highlights inserted into a brief's own Markdown source (the full Markdown export).

Each highlight becomes a ``[text]{.highlight note="..."}`` span. Highlights are split at
block boundaries (and left out of code blocks, which have no inline markup); their ends are
moved outward (``_snap``) so a span never cuts a mention, an emphasis, a link or an
existing mark; literal brackets, backticks and emphasis characters that the new spans could
change the meaning of are backslash-escaped. Each changed block is parsed again and compared
with the original; a highlight that would change the displayed text is widened to its whole
block, or, if even that fails, left out. The result parses with
``briefing.core.parser.parse_brief`` and shows the same text.

Offsets: ``brief.text`` (display) and ``brief.source`` (the file) are mapped through the
parser's segments (``_SourceMap``); the units a span must not cut are indexed per block
(``_Units``) so placing thousands of highlights stays O(H log U) (issue 15).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from briefing.core.markdown import parse_body
from briefing.export.shared import clean_note, placed_highlights

if TYPE_CHECKING:
    from briefing.core.model import Brief


@dataclass
class _Unit:
    """Something a highlight must not cut: a mention, a style or an existing mark."""

    start: int
    end: int
    src_start: int
    src_end: int
    autolink: bool = False


@dataclass
class _Piece:
    start: int
    end: int
    notes: list[str] = field(default_factory=list)
    src_start: int = -1
    src_end: int = -1


class _SourceMap:
    """Display offsets of ``brief.text`` to offsets of ``brief.source``."""

    def __init__(self, brief: "Brief"):
        self.brief = brief
        self.source = brief.source
        self.segs = brief.segments
        self.seg_starts = self.segs.displays
        by_src = sorted((s, s + n) for _, s, n in self.segs)
        self.src_starts = [s for s, _ in by_src]
        self.src_ends = [e for _, e in by_src]
        units: list[_Unit] = []
        ms = brief.mentions  # (read by column: no Mention object made per row)
        for start, end, src_start, src_end in zip(ms.starts, ms.ends, ms.src_starts, ms.src_ends):
            units.append(_Unit(start, end, src_start, src_end))
        for k in brief.marks:
            units.append(_Unit(k.start, k.end, k.src_start, k.src_end))
        source = brief.source
        for kind, start, end, _, src_start, src_end in brief.styles.rows():
            auto = kind == "link" and source[src_start : src_start + 1] == "<"
            units.append(_Unit(start, end, src_start, src_end, auto))
        units.sort(key=lambda u: (u.start, -u.end))
        self.units = units
        self.unit_starts = [u.start for u in units]
        self.autolinks = sorted((u.src_start, u.src_end) for u in units if u.autolink)

    def units_in(self, lo: int, hi: int) -> list[_Unit]:
        i = bisect.bisect_left(self.unit_starts, lo)
        j = bisect.bisect_right(self.unit_starts, hi)
        return self.units[i:j]

    def seg_at(self, d: int) -> tuple[int, int, int] | None:
        i = bisect.bisect_right(self.seg_starts, d) - 1
        if i >= 0:
            seg = self.segs[i]
            if seg[0] <= d < seg[0] + seg[2]:
                return seg
        return None

    def is_literal(self, q: int) -> bool:
        """Is source offset q a character shown verbatim (plain text, not markup)?"""
        i = bisect.bisect_right(self.src_starts, q) - 1
        if i < 0 or q >= self.src_ends[i]:
            return False
        j = bisect.bisect_right(self.autolinks, (q, float("inf"))) - 1
        if j >= 0 and self.autolinks[j][0] <= q < self.autolinks[j][1]:
            return False
        return True

    def escaped(self, q: int) -> bool:
        """Is the character at q preceded by an odd run of backslashes (so escaped)?"""
        n = 0
        while q - n - 1 >= 0 and self.source[q - n - 1] == "\\":
            n += 1
        return n % 2 == 1

    def _lone_backslash_before(self, q: int) -> bool:
        """Is q just after a backslash shown as text, which would escape what is put at q?"""
        return q > 0 and self.source[q - 1] == "\\" and self.escaped(q) and self.is_literal(q - 1)

    def map_start(self, s: int, e: int, units: "_Units") -> int:
        d = s
        while d < e:
            here = [u.src_start for u in units.by_start.get(d, ()) if u.end <= e]
            if here:
                return min(here)
            seg = self.seg_at(d)
            if seg is not None:
                q = seg[1] + (d - seg[0])
                if self.source[q] == "\n":  # a soft line break: start on the next line
                    d += 1
                    continue
                if d == seg[0] and seg[2] == 1 and self.escaped(q):
                    q -= 1  # an escaped character: keep its backslash inside
                elif self._lone_backslash_before(q):
                    q -= 1  # "\\x" shown as is: keep the pair together
                return q
            d += 1
        return -1

    def map_end(self, s: int, e: int, units: "_Units") -> int:
        d = e
        while d > s:
            here = [u.src_end for u in units.by_end.get(d, ()) if u.start >= s]
            if here:
                return max(here)
            seg = self.seg_at(d - 1)
            if seg is not None:
                q = seg[1] + (d - 1 - seg[0]) + 1
                if self.source[q - 1] == "\n":  # a soft line break: end on the line before
                    q -= 1
                elif self._lone_backslash_before(q) and self.is_literal(q) and self.source[q] != "\n":
                    q += 1  # "\\x" shown as is: keep the pair together
                return q
            d -= 1
        return -1


class _Units:
    """The units (mentions, marks, styles) of one block, indexed so that snapping and
    mapping a highlight cost O(log U) rather than O(U) (a scan of every unit for each
    highlight made 4,000 highlights in one paragraph take 260 s: issue 15).

    Units nest (spans, emphasis and links are a tree), sorted by (start, -end)."""

    def __init__(self, units: list[_Unit]):
        self.units = units
        self.starts = [u.start for u in units]
        self.max_end: list[int] = []  # max end among units[0..i]
        top = -1
        for u in units:
            top = max(top, u.end)
            self.max_end.append(top)
        self.by_start: dict[int, list[_Unit]] = {}
        self.by_end: dict[int, list[_Unit]] = {}
        for u in units:
            self.by_start.setdefault(u.start, []).append(u)
            self.by_end.setdefault(u.end, []).append(u)

    def crossing(self, x: int) -> tuple[int, int] | None:
        """(smallest start, largest end) of the units with start < x < end, or None."""
        k = bisect.bisect_left(self.starts, x)  # units[:k] start before x
        if k == 0 or self.max_end[k - 1] <= x:
            return None
        i = bisect.bisect_right(self.max_end, x, 0, k)  # the first whose end passes x
        return self.units[i].start, self.max_end[k - 1]


def _snap(start: int, end: int, units: _Units) -> tuple[int, int]:
    """Widen start..end until no unit is cut (units inside or equal are fine)."""
    while True:
        a = units.crossing(start)
        b = units.crossing(end)
        new_start = min(start, a[0] if a else start, b[0] if b else start)
        new_end = max(end, a[1] if a else end, b[1] if b else end)
        if (new_start, new_end) == (start, end):
            return start, end
        start, end = new_start, new_end


def _note_attr(notes: list[str]) -> str:
    note = " / ".join(n for n in (clean_note(x) for x in notes) if n)
    if not note:
        return "{.highlight}"
    note = note.replace("\\", "\\\\").replace('"', '\\"')
    note = re.sub(r"&(?=#?\w+;)", r"\\&", note)  # Pandoc reads entities in attributes
    return '{.highlight note="' + note + '"}'


class _BlockEdit:
    """The highlights of one block and the source edits that insert them."""

    def __init__(self, sm: _SourceMap, block, lo: int, hi: int):
        self.sm = sm
        self.block = block
        self.units = _Units(sm.units_in(block.start, block.end))
        self.lo, self.hi = lo, hi  # source range of the block's lines

    def place(self, piece: _Piece) -> bool:
        s, e = _snap(piece.start, piece.end, self.units)
        piece.start, piece.end = s, e
        piece.src_start = self.sm.map_start(s, e, self.units)
        piece.src_end = self.sm.map_end(s, e, self.units)
        return 0 <= piece.src_start < piece.src_end

    def edits(self, pieces: list[_Piece]) -> list[tuple[int, int, str]]:
        """(source offset, order, text to insert there) for these placed, disjoint pieces."""
        sm, src = self.sm, self.sm.source
        out: list[tuple[int, int, str]] = []
        escape: set[int] = set()
        bounds: set[int] = set()
        for p in pieces:
            out.append((p.src_start, 1, "["))
            out.append((p.src_end, 0, "]" + _note_attr(p.notes)))
            bounds.update((p.src_start, p.src_end))
            for q in (p.src_start, p.src_end):
                # A backslash just before the insertion would escape it.
                if q > 0 and src[q - 1] == "\\" and sm.escaped(q) and sm.is_literal(q - 1):
                    escape.add(q - 1)
            if p.src_start > 0 and src[p.src_start - 1] == "!" and sm.is_literal(p.src_start - 1) \
                    and not sm.escaped(p.src_start - 1):
                escape.add(p.src_start - 1)  # "![" would open an image
        # Literal brackets and backticks anywhere in the block, and literal emphasis
        # characters inside or next to a new span, would change meaning: escape them.
        for m in re.finditer(r"[\[\]`]|\*+|_+", src[self.lo : self.hi]):
            q0 = self.lo + m.start()
            q1 = self.lo + m.end()
            ch = m.group()[0]
            if ch in "[]`":
                if sm.is_literal(q0) and not sm.escaped(q0):
                    escape.add(q0)
                continue
            if not all(sm.is_literal(q) for q in range(q0, q1)) or sm.escaped(q0):
                continue
            near = any(q0 - 1 <= b <= q1 + 1 for b in bounds) or any(
                p.src_start <= q0 < p.src_end for p in pieces)
            if near:
                escape.update(range(q0, q1))
        out.extend((q, 2, "\\") for q in escape)
        return out

    def apply(self, edits: list[tuple[int, int, str]]) -> str:
        """The block's lines with the edits made."""
        src = self.sm.source
        parts: list[str] = []
        pos = self.lo
        for q, _, text in sorted(edits):
            parts.append(src[pos:q])
            parts.append(text)
            pos = q
        parts.append(src[pos : self.hi])
        return "".join(parts)

    def check(self, edits: list[tuple[int, int, str]], expected_new: int, baseline) -> bool:
        new = self.apply(edits)
        body = parse_body(new, 0, 1)
        if any(i.severity == "error" for i in body.issues) or body.text != baseline[0]:
            return False
        marks = sum(1 for s in body.spans if s.type == "highlight")
        return marks == baseline[1] + expected_new


def _block_lines(sm: _SourceMap, block) -> tuple[int, int] | None:
    """Source range of the whole lines a block was parsed from."""
    brief = sm.brief
    i = bisect.bisect_left(sm.seg_starts, block.start)
    j = bisect.bisect_left(sm.seg_starts, block.end)
    points = [q for seg in sm.segs[i:j] for q in (seg[1], seg[1] + seg[2])]
    points += [q for u in sm.units_in(block.start, block.end) for q in (u.src_start, u.src_end)]
    if not points:
        return None
    lo, hi = min(points), max(points)
    lo = brief.source.rfind("\n", 0, lo) + 1
    nl = brief.source.find("\n", max(hi - 1, lo))
    hi = len(brief.source) if nl < 0 else nl
    return lo, hi


def highlight_pieces(brief: "Brief", highlights: Iterable) -> dict[int, list[_Piece]]:
    """Block index -> the (unplaced) pieces of the highlights falling in that block."""
    blocks = brief.blocks
    starts = [b.start for b in blocks]
    out: dict[int, list[_Piece]] = {}
    for h in placed_highlights(brief, highlights):
        i = max(0, bisect.bisect_right(starts, h.start) - 1)
        first = True
        while i < len(blocks) and blocks[i].start < h.end:
            b = blocks[i]
            s, e = max(h.start, b.content_start), min(h.end, b.end)
            if b.kind not in ("code", "rule") and s < e and brief.text[s:e].strip():
                out.setdefault(i, []).append(_Piece(s, e, [h.note] if first and h.note else []))
                first = False
            i += 1
    return out


def _merge(pieces: list[_Piece]) -> list[_Piece]:
    pieces = sorted(pieces, key=lambda p: (p.start, p.end))
    merged: list[_Piece] = []
    for p in pieces:
        if merged and p.start < merged[-1].end:
            last = merged[-1]
            last.end = max(last.end, p.end)
            last.notes += p.notes
        else:
            merged.append(_Piece(p.start, p.end, list(p.notes)))
    return merged


def _place_block(be: _BlockEdit, pieces: list[_Piece]) -> list[tuple[int, int, str]]:
    """The edits for as many of the block's pieces as keep it intact."""
    # Snapping may make pieces overlap: merge (and snap again) until stable.
    pieces = [p for p in pieces if be.place(p)]
    while True:
        merged = [p for p in _merge(pieces) if be.place(p)]
        if len(merged) == len(pieces):
            pieces = merged
            break
        pieces = merged
    if not pieces:
        return []
    old = parse_body(be.apply([]), 0, 1)
    baseline = (old.text, sum(1 for s in old.spans if s.type == "highlight"))
    edits = be.edits(pieces)
    if be.check(edits, len(pieces), baseline):
        return edits
    # Something in this block resists: add the pieces one by one, widening a piece that
    # does not fit to the whole block, and leaving out one that still does not.
    accepted: list[_Piece] = []
    for p in pieces:
        trial = accepted + [p]
        if be.check(be.edits(trial), len(trial), baseline):
            accepted = trial
            continue
        whole = _Piece(be.block.content_start, be.block.end, list(p.notes))
        if be.place(whole):
            trial = _merge(accepted + [whole])
            trial = [q for q in trial if be.place(q)]
            if be.check(be.edits(trial), len(trial), baseline):
                accepted = trial
    return be.edits(accepted) if accepted else []


def insert_highlights(brief: "Brief", highlights: Iterable) -> str:
    """``brief.source`` with the highlights inserted as ``.highlight`` spans."""
    sm = _SourceMap(brief)
    edits: list[tuple[int, int, str]] = []
    for index, pieces in highlight_pieces(brief, highlights).items():
        lines = _block_lines(sm, brief.blocks[index])
        if lines is None:
            continue
        be = _BlockEdit(sm, brief.blocks[index], *lines)
        edits.extend(_place_block(be, pieces))
    src = brief.source
    parts: list[str] = []
    pos = 0
    for q, _, text in sorted(edits):
        parts.append(src[pos:q])
        parts.append(text)
        pos = q
    parts.append(src[pos:])
    return "".join(parts)
