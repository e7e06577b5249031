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

(Why one module of ~900 lines: the three formats share the placing of highlights
(``highlight_pieces``), the digest and the escaping rules; splitting it into
``export/markdown.py``, ``html.py`` and ``json.py`` is the next step once the work on
export's speed (hostile input, issue 15) has landed, to keep the two changes apart.)
"""

from __future__ import annotations

import bisect
import html
import json
import re
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Protocol

from briefing.core.anchor import make_quote
from briefing.core.dates import in_words, iso_label
from briefing.core.markdown import parse_body
from briefing.core.sanitize import json_inert, sanitise, sanitise_line
from briefing.export.scope import default_scope, facts_in_scope

if TYPE_CHECKING:
    from briefing.core.model import Brief

EXPORT_FORMATS = ("md", "html", "json")
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


def _scrub(text: str) -> str:
    """No lone surrogates: they cannot be written as UTF-8."""
    return _SURROGATE_RE.sub("\ufffd", text) if _SURROGATE_RE.search(text) else text


def clean_note(note: str | None) -> str:
    """A note as one line of safe text ('' for none)."""
    if not note:
        return ""
    return " ".join(sanitise_line(_scrub(note)).split())


def _placed(brief: "Brief", highlights: Iterable) -> list:
    """Highlights with usable offsets into brief.text, in text order."""
    n = len(brief.text)
    out = [h for h in highlights if not getattr(h, "orphan", False) and 0 <= h.start < h.end <= n]
    return sorted(out, key=lambda h: (h.start, h.end))


def _orphans(highlights: Iterable) -> list:
    return [h for h in highlights if getattr(h, "orphan", False)]


def _annotation_id(hid: object) -> str:
    text = str(hid)
    try:
        return uuid.UUID(text).urn
    except ValueError:
        return f"urn:briefing:highlight:{text}"


def _is_http(url: str | None) -> bool:
    return bool(url) and _URL_RE.match(url) is not None


# ============================================================================ Markdown


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
        self.seg_starts = [s[0] for s in self.segs]
        by_src = sorted((s[1], s[1] + s[2]) for s in self.segs)
        self.src_starts = [s for s, _ in by_src]
        self.src_ends = [e for _, e in by_src]
        units: list[_Unit] = []
        for m in brief.mentions:
            units.append(_Unit(m.start, m.end, m.src_start, m.src_end))
        for k in brief.marks:
            units.append(_Unit(k.start, k.end, k.src_start, k.src_end))
        for s in brief.styles:
            auto = s.kind == "link" and brief.source[s.src_start : s.src_start + 1] == "<"
            units.append(_Unit(s.start, s.end, s.src_start, s.src_end, auto))
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
    for h in _placed(brief, highlights):
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


# -- Markdown digest

_MD_INLINE_RE = re.compile(r"[\\`*_\[\]<$~^]|&(?=#?\w+;)|(?<!\w)@(?=\w)")
_MD_LINE_START_RE = re.compile(r"^([#>+=|:-]|\d+[.)])")


def md_escape(text: str) -> str:
    """Plain text as Markdown that shows exactly that text (one paragraph per line). Control,
    bidi and invisible characters become placeholders (brief text has them so already)."""
    lines = []
    for line in sanitise(_scrub(text)).split("\n"):
        line = " ".join(line.split())
        line = _MD_INLINE_RE.sub(lambda m: "\\" + m.group(), line)
        m = _MD_LINE_START_RE.match(line)
        if m:
            k = m.end() - 1
            line = line[:k] + "\\" + line[k:]
        lines.append(line)
    return "\n".join(lines)


def _yaml_str(text: str) -> str:
    out = json.dumps(_scrub(text), ensure_ascii=False)
    # YAML double-quoted strings are JSON strings, but must not hold non-printable characters.
    return re.sub("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]", lambda m: f"\\u{ord(m.group()):04x}", out)


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


def _md_digest(brief: "Brief", highlights: list, facts: str = "highlighted") -> str:
    meta = brief.meta
    out = ["---", f"title: {_yaml_str(meta.title)}"]
    if meta.published:
        out.append(f"published: {meta.published.isoformat()}")
    if meta.source:
        out.append(f"source: {_yaml_str(meta.source)}")
    if meta.url and _is_http(meta.url):
        out.append(f"url: {_yaml_str(meta.url)}")
    if meta.tags:
        out.append("tags: [" + ", ".join(_yaml_str(t) for t in meta.tags) + "]")
    out += ["---", "", "# " + md_escape(" ".join(meta.title.split())), ""]
    line = []
    if meta.published:
        iso = meta.published.isoformat()
        line.append(f"Published {in_words(iso)} ({iso})")
    if meta.source:
        line.append(md_escape(" ".join(meta.source.split())))
    if line:
        out += [" · ".join(line), ""]
    if meta.summary:
        out += [md_escape(" ".join(meta.summary.split())), ""]
    groups = [(kind, found) for kind, found in facts_in_scope(brief, highlights, facts).items() if found]
    if groups:
        out += ["## Key facts" + (" in the highlights" if facts == "highlighted" else ""), ""]
        for kind, found in groups:
            items = []
            for f in found:
                details = fact_details(f)
                label = f.label + (f" ({'; '.join(details)})" if details else "")
                items.append(md_escape(" ".join(label.split())))
            out.append(f"- **{md_escape(group_label(kind))}:** " + " · ".join(items))
        out.append("")
    placed = _placed(brief, highlights)
    out += ["## Highlights", ""]
    if not placed:
        out += ["No highlights.", ""]
    for h in placed:
        passage = md_escape(brief.text[h.start : h.end])
        for para in passage.split("\n"):
            out.append("> " + para if para.strip() else ">")
        out.append("")
        note = clean_note(h.note)
        if note:
            out += ["Note: " + md_escape(note), ""]
    orphans = _orphans(highlights)
    if orphans:
        out += ["## Highlights no longer found in the brief", ""]
        for h in orphans:
            for para in md_escape(h.exact).split("\n"):
                out.append("> " + para if para.strip() else ">")
            out.append("")
            note = clean_note(h.note)
            if note:
                out += ["Note: " + md_escape(note), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def export_markdown(brief: "Brief", highlights: Iterable[HighlightLike] = (), highlights_only: bool = False,
                    facts: str | None = None) -> str:
    highlights = list(highlights)
    if highlights_only:
        return _scrub(_md_digest(brief, highlights, facts or default_scope(True)))
    return _scrub(insert_highlights(brief, highlights))


# ============================================================================ HTML

_CSS = """
:root { color-scheme: light dark; --fg: #1d1d1f; --bg: #fdfdfb; --muted: #666; --rule: #ddd;
  --mark: #fff2a8; --note: #f4f1e6; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8e6e3; --bg: #1b1c1e; --muted: #a0a0a0;
  --rule: #3a3a3a; --mark: #6b5d12; --note: #2a2920; } }
body { font: 17px/1.6 Georgia, "Times New Roman", serif; color: var(--fg); background: var(--bg);
  margin: 0; padding: 2rem 1rem; }
article { max-width: 46rem; margin: 0 auto; }
header h1 { font-size: 1.9rem; line-height: 1.25; margin: 0 0 .5rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; color: var(--muted);
  font: 14px/1.5 system-ui, sans-serif; margin: 0 0 1rem; }
dl.meta dt { font-weight: 600; } dl.meta dd { margin: 0; overflow-wrap: anywhere; }
p.summary { font-style: italic; }
section.facts { font: 14px/1.5 system-ui, sans-serif; border: 1px solid var(--rule); border-radius: 6px;
  padding: .5rem 1rem; margin: 1rem 0 2rem; }
section.facts h2 { font-size: 1rem; margin: .3rem 0; }
section.facts h3 { font-size: .85rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted);
  margin: .6rem 0 .2rem; }
section.facts ul { margin: 0; padding-left: 1.2rem; }
section.facts small, .count { color: var(--muted); }
h2, h3, h4, h5, h6 { line-height: 1.3; }
blockquote { border-left: 3px solid var(--rule); margin: 1rem 0; padding: 0 1rem; color: var(--muted); }
pre { background: var(--note); padding: .75rem 1rem; overflow-x: auto; font-size: 14px; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9em; }
hr { border: 0; border-top: 1px solid var(--rule); margin: 2rem 0; }
mark { background: var(--mark); color: inherit; padding: 0 .1em; }
mark.brief-mark { background: transparent; border-bottom: 2px solid #d4a017; }
sup.note-ref { font: 11px/1 system-ui, sans-serif; color: var(--muted); }
aside.note { font: 14px/1.45 system-ui, sans-serif; background: var(--note); border-left: 3px solid #d4a017;
  padding: .35rem .7rem; margin: .4rem 0 1rem; }
aside.note .n { font-weight: 600; margin-right: .4rem; }
.entity { border-bottom: 2px solid transparent; }
.entity-leader { border-bottom-color: #2f6fde; }
.entity-date { border-bottom-color: #1f9d55; }
.entity-region { border-bottom-color: #c2410c; }
.entity-org { border-bottom-color: #7c3aed; }
.entity-event { border-bottom-color: #db2777; }
.entity:not(.entity-leader):not(.entity-date):not(.entity-region):not(.entity-org):not(.entity-event) {
  border-bottom: 2px dotted var(--muted); }
section.legend { font: 13px/1.5 system-ui, sans-serif; color: var(--muted); margin: -1rem 0 2rem; }
section.legend h2 { position: absolute; left: -9999px; }
ul.legend { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: .2rem 1.2rem; }
section.highlights li { margin-bottom: 1rem; }
section.orphans { color: var(--muted); }
footer { margin-top: 3rem; color: var(--muted); font: 12px/1.4 system-ui, sans-serif; }
@media print { body { background: #fff; color: #000; } mark { background: #fff2a8; } }
""".strip()

CSP = "default-src 'none'; style-src 'unsafe-inline'"
ALLOWED_TAGS = frozenset("""html head meta title style body article header footer section h1 h2 h3 h4 h5 h6 p
    dl dt dd ul ol li blockquote pre code hr br strong em a span mark sup aside small time""".split())


def _esc(text: object) -> str:
    """Text or an attribute value, escaped; no control, bidi or invisible character."""
    return html.escape(sanitise(_scrub(str(text))), quote=True)


@dataclass
class _Span:
    start: int
    end: int
    open: str
    close: str
    rank: int  # outer first when two start and end together
    after: str = ""  # emitted once, where the span really ends


def _inline_spans(brief: "Brief") -> list[_Span]:
    """Mentions, styles and the brief's own marks as HTML spans."""
    spans: list[_Span] = []
    for m in brief.mentions:
        title = m.ref and brief.entities.get(m.ref)
        label = ""
        if title:
            bits = [title.name] + [b for b in (title.role, title.country, title.kind) if b]
            label = " — ".join([bits[0], ", ".join(bits[1:])]) if len(bits) > 1 else bits[0]
        elif m.type == "date" and m.attrs.get("value"):
            label = f"{in_words(m.attrs['value'], m.attrs.get('mod'))} ({iso_label(m.attrs['value'], m.attrs.get('mod'))})"
        attr = f' title="{_esc(label)}"' if label else ""
        spans.append(_Span(m.start, m.end, f'<span class="entity entity-{_esc(m.type)}"{attr}>', "</span>", 3))
    for s in brief.styles:
        if s.kind == "strong":
            spans.append(_Span(s.start, s.end, "<strong>", "</strong>", 4))
        elif s.kind == "emphasis":
            spans.append(_Span(s.start, s.end, "<em>", "</em>", 4))
        elif s.kind == "code":
            spans.append(_Span(s.start, s.end, "<code>", "</code>", 5))
        elif s.kind == "link" and _is_http(s.url):
            spans.append(_Span(s.start, s.end, f'<a href="{_esc(s.url)}" rel="noopener noreferrer nofollow">', "</a>", 2))
        elif s.kind in ("link", "image"):
            label = ("image: " if s.kind == "image" else "link: ") + (s.url or "")
            spans.append(_Span(s.start, s.end, f'<span class="{s.kind}" title="{_esc(label)}">', "</span>", 2))
    for k in brief.marks:
        note = clean_note(k.note)
        attr = f' title="{_esc(note)}"' if note else ""
        spans.append(_Span(k.start, k.end, f'<mark class="brief-mark"{attr}>', "</mark>", 1))
    return spans


class _SpanIndex:
    """Spans bucketed by the blocks they touch, so rendering a block looks only at its own."""

    def __init__(self, brief: "Brief", spans: list[_Span]):
        self.blocks = brief.blocks
        self.starts = [b.start for b in self.blocks]
        self.buckets: list[list[_Span]] = [[] for _ in self.blocks]
        n = len(self.blocks)
        for sp in spans:
            if not n or sp.end <= sp.start:
                continue
            i = max(0, bisect.bisect_right(self.starts, sp.start) - 1)
            while i < n:
                self.buckets[i].append(sp)
                i += 1
                if i >= n or self.blocks[i].start >= sp.end:
                    break

    def between(self, lo: int, hi: int) -> list[_Span]:
        out: list[_Span] = []
        seen: set[int] = set()
        i = max(0, bisect.bisect_right(self.starts, lo) - 1)
        while i < len(self.blocks) and self.blocks[i].start < hi:
            for sp in self.buckets[i]:
                if id(sp) not in seen:
                    seen.add(id(sp))
                    out.append(sp)
            i += 1
        return out


def _render_inline(text: str, lo: int, hi: int, spans: list[_Span], breaks: bool = True) -> str:
    """text[lo:hi] as escaped HTML with the spans properly nested (split where they cross)."""
    items = []
    for sp in spans:
        s, e = max(lo, sp.start), min(hi, sp.end)
        if s < e:
            items.append((s, e, sp))
    points = sorted({lo, hi, *(s for s, _, _ in items), *(e for _, e, _ in items)})
    opens: dict[int, list] = {}
    for it in items:
        opens.setdefault(it[0], []).append(it)
    for lst in opens.values():
        lst.sort(key=lambda it: (-it[1], it[2].rank))
    out: list[str] = []
    stack: list[tuple[int, int, _Span]] = []
    for idx, p in enumerate(points):
        ending = [k for k, it in enumerate(stack) if it[1] == p]
        if ending:
            low = min(ending)
            reopen = []
            while len(stack) > low:
                it = stack.pop()
                out.append(it[2].close)
                if it[1] == p:
                    if it[1] == it[2].end:
                        out.append(it[2].after)
                else:
                    reopen.append(it)
            for it in reversed(reopen):
                out.append(it[2].open)
                stack.append(it)
        for it in opens.get(p, []):
            out.append(it[2].open)
            stack.append(it)
        if idx + 1 < len(points):
            chunk = html.escape(text[p : points[idx + 1]], quote=True)
            out.append(chunk.replace("\n", "<br>\n") if breaks else chunk)
    while stack:
        out.append(stack.pop()[2].close)
    return "".join(out)


def _meta_html(brief: "Brief") -> list[str]:
    meta = brief.meta
    out = [f"<h1>{_esc(meta.title)}</h1>", '<dl class="meta">']
    if meta.published:
        iso = meta.published.isoformat()
        out.append(f'<dt>Published</dt><dd><time datetime="{iso}">{_esc(in_words(iso))}</time></dd>')
    if meta.source:
        out.append(f"<dt>Source</dt><dd>{_esc(meta.source)}</dd>")
    if meta.url:
        if _is_http(meta.url):
            out.append(f'<dt>URL</dt><dd><a href="{_esc(meta.url)}" rel="noopener noreferrer nofollow">{_esc(meta.url)}</a></dd>')
        else:
            out.append(f"<dt>URL</dt><dd>{_esc(meta.url)}</dd>")
    if meta.tags:
        out.append(f"<dt>Tags</dt><dd>{_esc(', '.join(meta.tags))}</dd>")
    out.append("</dl>")
    if meta.summary:
        out.append(f'<p class="summary">{_esc(meta.summary)}</p>')
    return out


def _facts_html(brief: "Brief", highlights: list, scope: str) -> list[str]:
    groups = [(kind, found) for kind, found in facts_in_scope(brief, highlights, scope).items() if found]
    if not groups:
        return []
    heading = "Key facts in the highlights" if scope == "highlighted" else "Key facts"
    out = ['<section class="facts">', f"<h2>{heading}</h2>"]
    for kind, found in groups:
        out.append(f"<h3>{_esc(group_label(kind))}</h3>")
        out.append("<ul>")
        for f in found:
            details = fact_details(f)
            count = f"{f.mentions} mention{'s' if f.mentions != 1 else ''}"
            small = " · ".join([*details, count])
            label = _esc(f.label)
            if f.type == "date" and f.value and f.precision in ("day", "month", "year", "week"):
                label = f'<time datetime="{_esc(f.value)}">{label}</time>'
            out.append(f'<li><span class="entity entity-{_esc(kind)}">{label}</span> <small>{_esc(small)}</small></li>')
        out.append("</ul>")
    out.append("</section>")
    return out


# What each mark on the page means: the same cues as the stylesheet above.
CORE_KINDS = ("leader", "date", "region", "org", "event")
_LEGEND = [
    ("entity entity-leader", "Leader"), ("entity entity-date", "Date"), ("entity entity-region", "Region"),
    ("entity entity-org", "Organisation"), ("entity entity-event", "Event"), ("entity entity-other", "Other fact"),
]


def _legend_html(brief: "Brief", highlights: bool) -> list[str]:
    """The marks this page uses, each drawn as on the page (only the types the brief has)."""
    kinds = {m.type for m in brief.mentions}
    present = [(cls, name) for cls, name in _LEGEND
               if cls.rsplit("-", 1)[1] in kinds or (name == "Other fact" and kinds - set(CORE_KINDS))]
    items = [f'<li><span class="{cls}">{name}</span></li>' for cls, name in present]
    if not items and not highlights:
        return []
    if highlights:
        items.append('<li><mark class="highlight">Highlight</mark></li>')
        items.append('<li><sup class="note-ref">1</sup> note, below the paragraph</li>')
    return ['<section class="legend">', "<h2>Legend</h2>", '<ul class="legend">', *items,
            "</ul>", "</section>"]


def _page(brief: "Brief", body: list[str]) -> str:
    title = _esc(brief.meta.title)
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
        "<article>",
    ]
    tail = ["<footer>Exported by briefing.</footer>", "</article>", "</body>", "</html>", ""]
    return _scrub("\n".join(head + body + tail))


def _note_aside(n: int, note: str) -> str:
    return f'<aside class="note" id="note-{n}"><span class="n">{n}</span>{_esc(note)}</aside>'


def _orphans_html(orphans: list) -> list[str]:
    if not orphans:
        return []
    out = ['<section class="orphans">', "<h2>Highlights no longer found in the brief</h2>", "<ul>"]
    for h in orphans:
        note = clean_note(h.note)
        out.append(f"<li><blockquote>{_esc(h.exact).replace(chr(10), '<br>')}</blockquote>"
                   + (f'<aside class="note">{_esc(note)}</aside>' if note else "") + "</li>")
    out += ["</ul>", "</section>"]
    return out


def export_html(brief: "Brief", highlights: Iterable[HighlightLike] = (), highlights_only: bool = False,
                facts: str | None = None) -> str:
    highlights = list(highlights)
    placed = _placed(brief, highlights)
    spans = _inline_spans(brief)
    body = ["<header>", *_meta_html(brief), "</header>",
            *_facts_html(brief, placed, facts or default_scope(highlights_only)),
            *_legend_html(brief, bool(placed))]
    text = brief.text
    if highlights_only:
        body += ['<section class="highlights">', "<h2>Highlights</h2>"]
        if not placed:
            body.append("<p>No highlights.</p>")
        else:
            body.append("<ol>")
            index = _SpanIndex(brief, spans)
            for h in placed:
                note = clean_note(h.note)
                passage = _render_inline(text, h.start, h.end, index.between(h.start, h.end))
                body.append(f"<li><blockquote><p>{passage}</p></blockquote>"
                            + (f'<aside class="note">{_esc(note)}</aside>' if note else "") + "</li>")
            body.append("</ol>")
        body.append("</section>")
        body += _orphans_html(_orphans(highlights))
        return _page(brief, body)

    numbered: list[tuple[int, object]] = []
    all_spans = list(spans)
    for h in placed:
        note = clean_note(h.note)
        n = len(numbered) + 1 if note else 0
        if note:
            numbered.append((n, h))
        title = f' title="{_esc(note)}"' if note else ""
        after = f'<sup class="note-ref">{n}</sup>' if note else ""
        all_spans.append(_Span(h.start, h.end, f'<mark class="highlight"{title}>', "</mark>", 0, after))
    notes_by_end: dict[int, list[tuple[int, str]]] = {}
    block_starts = [b.start for b in brief.blocks]
    for n, h in numbered:
        i = max(0, bisect.bisect_right(block_starts, max(h.start, h.end - 1)) - 1)
        notes_by_end.setdefault(i, []).append((n, clean_note(h.note)))

    body.append('<section class="text">')
    index = _SpanIndex(brief, all_spans)
    in_list = False
    for i, b in enumerate(brief.blocks):
        asides = "".join(_note_aside(n, note) for n, note in notes_by_end.get(i, []))
        block_spans = index.buckets[i]
        if b.kind == "item":
            if not in_list:
                body.append("<ul>")
                in_list = True
            inner = _render_inline(text, b.content_start, b.end, block_spans)
            style = f' style="margin-left:{min(b.level, 8) * 1.5}rem"' if b.level else ""
            body.append(f"<li{style}>{inner}{asides}</li>")
            continue
        if in_list:
            body.append("</ul>")
            in_list = False
        if b.kind == "heading":
            level = min(6, b.level + 1)
            body.append(f"<h{level}>{_render_inline(text, b.start, b.end, block_spans)}</h{level}>{asides}")
        elif b.kind == "paragraph":
            body.append(f"<p>{_render_inline(text, b.start, b.end, block_spans)}</p>{asides}")
        elif b.kind == "quote":
            body.append(f"<blockquote><p>{_render_inline(text, b.start, b.end, block_spans)}</p>{asides}</blockquote>")
        elif b.kind == "code":
            body.append(f"<pre><code>{_render_inline(text, b.start, b.end, block_spans, breaks=False)}</code></pre>{asides}")
        elif b.kind == "rule":
            body.append(f"<hr>{asides}")
    if in_list:
        body.append("</ul>")
    body.append("</section>")
    body += _orphans_html(_orphans(highlights))
    return _page(brief, body)


# ============================================================================ JSON


def annotation(brief: "Brief", h) -> dict:
    """One highlight as a W3C Web Annotation-like object."""
    note = h.note if h.note else None
    note = _scrub(note) if note else None
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
    ordered = _placed(brief, highlights) + _orphans(highlights)
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
                  for kind, found in facts_in_scope(brief, _placed(brief, highlights), scope).items()},
        "highlights": [annotation(brief, h) for h in ordered],
    }
    if not highlights_only:
        doc["text"] = brief.text
    return json_inert(_scrub(json.dumps(doc, ensure_ascii=False, indent=2))) + "\n"


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
