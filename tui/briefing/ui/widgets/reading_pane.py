"""The reading pane: a ScrollView that draws the brief line by line.

Nothing from the brief is ever parsed as markup: each screen line is a slice of
``Brief.text`` (already sanitised at load) cut into Segments at the offsets where a style
starts or stops. Styles come from its component classes (DEFAULT_CSS), so themes and NO_COLOR
apply. Rendered lines are cached and the cache is dropped when an overlay changes. The
reading cursor and the selection are in ReadingCursor (reading_cursor.py).

(Just over 600 lines: what a brief shows, its overlays by offset and the drawing of a line
that combines them are one contract; the layout is in ui/layout.py, the cursor apart.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import bisect
import re
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from briefing.ui.layout import Layout, VLine, layout_brief
from briefing.core.columns import mention_spans, style_spans
from briefing.core.sanitize import PLACEHOLDER_RE
from briefing.ui.messages import Say
from briefing.ui.palette import legible_segments
from briefing.ui.widgets.ranges import RangeIndex
from briefing.ui.widgets.reading_cursor import ReadingCursor

if TYPE_CHECKING:
    from briefing.session.shapes import ShownBrief

GUTTER = 2  # column 0: highlight bar; column 1: reading cursor


@dataclass
class HeaderLine:
    text: Text


class ReadingPane(ReadingCursor, can_focus=True):
    """Shows one brief: a metadata header, then its text with every mention styled by type."""
    DEFAULT_CSS = """
    ReadingPane > .pane--title { text-style: bold; color: $text-primary; }
    ReadingPane > .pane--meta { color: $text-muted; }
    ReadingPane > .pane--tags { color: $text-secondary; }
    ReadingPane > .pane--summary { text-style: italic; color: $text-muted; }
    ReadingPane > .pane--rule { color: $foreground 30%; }
    ReadingPane > .pane--heading { text-style: bold; color: $text-primary; }
    ReadingPane > .pane--heading-1 { text-style: bold underline; color: $text-primary; }
    ReadingPane > .pane--quote { text-style: italic; }
    ReadingPane > .pane--quote-bar { color: $text-secondary; }
    ReadingPane > .pane--code { background: $boost; }
    ReadingPane > .pane--bullet { color: $text-secondary; text-style: bold; }
    ReadingPane > .pane--emphasis { text-style: italic; }
    ReadingPane > .pane--strong { text-style: bold; }
    ReadingPane > .pane--inline-code { background: $boost; }
    ReadingPane > .pane--link { text-style: underline; color: $text-accent; }
    ReadingPane > .pane--leader { text-style: bold; color: $mention-leader; }
    ReadingPane > .pane--date { text-style: underline; color: $mention-date; }
    ReadingPane > .pane--region { text-style: bold underline; color: $mention-region; }
    ReadingPane > .pane--org { text-style: italic; color: $mention-org; }
    ReadingPane > .pane--event { text-style: italic underline; color: $mention-event; }
    ReadingPane > .pane--other { text-style: bold italic; color: $mention-other; }
    ReadingPane > .pane--placeholder { text-style: reverse; color: $error; }
    ReadingPane > .pane--fact { text-style: reverse; }
    ReadingPane > .pane--fact-current { text-style: reverse bold underline; }
    ReadingPane > .pane--find { text-style: reverse; }
    ReadingPane > .pane--find-current { text-style: reverse bold underline; }
    /* A solid tint (palette.py): a translucent one reached the terminal as the solid colour. */
    ReadingPane > .pane--highlight { background: $highlight-background; }
    ReadingPane > .pane--highlight-bar { color: $text-warning; }
    ReadingPane > .pane--cursor { background: $boost; }
    ReadingPane > .pane--cursor-bar { color: $text-accent; text-style: bold; }
    ReadingPane > .pane--selection { text-style: reverse; }
    /* A draft (unreviewed) mention: its type's colour and cue, and an overline: a cue without
       colour that adds to the type's bold / italic / underline (dim read at 2.7:1, and dim
       underline made a draft leader look like a draft region without colour). */
    ReadingPane > .pane--draft { text-style: overline; }
    ReadingPane > .pane--draft-mark { text-style: bold; }
    /* The unreviewed mention + and x act on: reversed (no colour needed), and only that: bold or
       italic are the mention types' cues without colour (a marked region read as a leader). */
    ReadingPane > .pane--review-target { text-style: reverse; }
    ReadingPane > .pane--error { color: $error; text-style: bold; }
    ReadingPane > .pane--message { color: $text; }
    """


    COMPONENT_CLASSES = {
        "pane--title", "pane--meta", "pane--tags", "pane--summary", "pane--rule",
        "pane--heading", "pane--heading-1", "pane--quote", "pane--quote-bar", "pane--code", "pane--bullet",
        "pane--emphasis", "pane--strong", "pane--inline-code", "pane--link",
        "pane--leader", "pane--date", "pane--region", "pane--org", "pane--event", "pane--other",
        "pane--placeholder", "pane--fact", "pane--fact-current", "pane--find", "pane--find-current",
        "pane--highlight", "pane--highlight-bar", "pane--cursor", "pane--cursor-bar", "pane--selection",
        "pane--error", "pane--message", "pane--draft", "pane--draft-mark", "pane--review-target",
    }

    BINDINGS = [
        Binding("j,down", "move(1)", "Next sentence", id="pane.down", show=False),
        Binding("k,up", "move(-1)", "Previous sentence", id="pane.up", show=False),
        Binding("h", "highlight", "Highlight", id="pane.highlight"),
        Binding("v", "select", "Select", id="pane.select"),
        Binding("a", "note", "Note", id="pane.note"),
        Binding("g,home", "top", "Top", id="pane.top", show=False),
        Binding("G,end", "bottom", "Bottom", id="pane.bottom", show=False),
        Binding("pagedown,space", "page(1)", "Page down", id="pane.page_down", show=False),
        Binding("pageup,b", "page(-1)", "Page up", id="pane.page_up", show=False),
        Binding("n", "find_next(1)", "Next match", id="pane.find_next"),
        Binding("N", "find_next(-1)", "Previous match", id="pane.find_previous"),
        Binding("o", "open_link", "Open link", id="pane.open_link", show=False),
        Binding("O", "outline", "Outline", id="pane.outline"),
        Binding("y", "copy", "Copy", id="pane.copy"),
        Binding("right", "word(1)", "Select the next word", id="pane.word_next", show=False),
        Binding("left", "word(-1)", "Select the previous word", id="pane.word_previous", show=False),
        Binding("shift+right", "extend_word(1)", "Extend the selection right", id="pane.extend_next", show=False),
        Binding("shift+left", "extend_word(-1)", "Extend the selection left", id="pane.extend_previous", show=False),
    ]

    class LinkClicked(Message):
        def __init__(self, url: str) -> None:
            super().__init__()
            self.url = url

    class OutlineKey(Message):
        """``O``: show the brief's headings to jump to one."""

    class CopyKey(Message):
        """``y``: copy the selection, else the highlight at the cursor, else the sentence."""

    def action_outline(self) -> None:
        self.post_message(self.OutlineKey())

    def action_copy(self) -> None:
        self.post_message(self.CopyKey())

    def copy_range(self) -> tuple[int, int] | None:
        """What ``y`` copies: the selection, else the highlight under the cursor, else the sentence."""
        if self.selection is not None:
            return self.selection
        h = self.highlight_at_cursor()
        if h is not None:
            return (h.start, h.end)
        return self.cursor_range

    class HighlightKey(Message):
        """``h``: highlight the selection, or toggle the highlight on the cursor sentence."""

    class NoteKey(Message):
        """``a``: add or edit the note of the highlight under the cursor."""

    def action_highlight(self) -> None:
        self.post_message(self.HighlightKey())

    def action_note(self) -> None:
        self.post_message(self.NoteKey())

    def __init__(self, **kwargs) -> None:
        super().__init__(cache_size=2048, **kwargs)
        self.brief = None
        self._message: list[HeaderLine] | None = None
        self._message_source: list[tuple[str, str]] = []
        self._message_width = 0
        self._header: list[HeaderLine] = []
        self._layout: Layout | None = None
        self._mentions = RangeIndex([])
        self._drafts = RangeIndex([])
        self.reviewing = False  # the draft's review keys act here: the mention they act on is marked
        # The mention they act on, and what it was found for (the drafts, the range): found
        # once per change of either, not at each line drawn (review_target).
        self._target: tuple[int, int] | None = None
        self._target_for: tuple | None = None
        self._inline = RangeIndex([])
        self._facts = RangeIndex([])
        self._finds = RangeIndex([])
        self.fact_spans: list[tuple[int, int]] = []
        self.fact_index = -1
        self.find_query = ""
        self.find_matches: list[tuple[int, int]] = []
        self.find_index = -1
        self.sentences: list[tuple[int, int]] = []
        self.cursor = 0  # index into sentences
        self.select_anchor: int | None = None  # sentence index where ``v`` started
        self.mouse_selection: tuple[int, int] | None = None  # text offsets
        self._mouse_down: int | None = None
        self.highlights: list = []  # objects with start, end, orphan
        self._highlights = RangeIndex([])

    # ------------------------------------------------------------------ content

    def show_brief(self, brief: ShownBrief, position: int = 0) -> None:
        self.brief = brief
        self._message = None
        self._mentions = RangeIndex([(start, end, "pane--" + self._type_class(kind))
                                     for kind, start, end in mention_spans(brief.mentions)])
        inline = [(start, end, "pane--" + ("inline-code" if kind == "code" else "link" if kind in ("link", "image") else kind))
                  for kind, start, end, _ in style_spans(brief.styles)]
        inline += [(m.start(), m.end(), "pane--placeholder") for m in PLACEHOLDER_RE.finditer(brief.text)]
        self._inline = RangeIndex(inline)
        self.clear_fact()
        self.find_matches, self.find_index, self._finds = [], -1, RangeIndex([])
        from briefing.core.sentences import sentence_spans

        self.sentences = sentence_spans(brief)
        self.select_anchor = None
        if self.mouse_selection is not None:
            self.post_message(self.SelectionChanged())
        self.mouse_selection = None
        self._words = self._word_selection = None
        self.cursor = self._sentence_index_at(position) if position else 0
        self._relayout()
        self.scroll_to(y=0, animate=False)
        if position:
            self.scroll_to_offset(position, center=False, top=True)

    def set_drafts(self, spans: list[tuple[int, int]], reviewing: bool = False) -> None:
        """Mark the mentions a person has not reviewed yet (a draft's): a cue without colour;
        ``reviewing``: the review keys act on them (the one they act on is marked too)."""
        self._drafts = RangeIndex([(a, b, None) for a, b in spans])  # kept until the next call
        self.reviewing = reviewing
        self._cache.clear()
        self.refresh()

    def show_message(self, lines: list[tuple[str, str]]) -> None:
        """Show plain lines instead of a brief: (text, component class), wrapped to the width
        (a problem line starts with a path that may be longer than the pane)."""
        self.brief = None
        self._layout = None
        self._message_source = lines
        self._wrap_message()
        self.scroll_to(y=0, animate=False)

    def _wrap_message(self) -> None:
        width = max(self.scrollable_content_region.width - 1, 20)
        wrapped: list[HeaderLine] = []
        for text, cls in self._message_source:
            line = Text(text, style=self._style(cls))
            wrapped.extend(HeaderLine(part) for part in line.wrap(self.app.console, width)) if text else wrapped.append(HeaderLine(line))
        self._message = wrapped
        self._message_width = width
        self._cache.clear()
        self._update_virtual_size()
        self.refresh()

    @staticmethod
    def _type_class(kind: str) -> str:
        return kind if kind in ("leader", "date", "region", "org", "event") else "other"

    def _style(self, cls: str) -> Style:
        return self.component_style(cls)

    def _text_width(self) -> int:
        return max(self.scrollable_content_region.width - GUTTER - 1, 20)

    def _build_header(self, width: int) -> list[HeaderLine]:
        brief = self.brief
        meta = brief.meta
        lines: list[HeaderLine] = []

        def add(text: Text) -> None:
            for part in text.wrap(self.app.console, width):
                part.rstrip()
                lines.append(HeaderLine(part))

        add(Text(meta.title, style=self._style("pane--title")))
        bits = [b for b in (meta.published.isoformat() if meta.published else None, meta.source) if b]
        if bits:
            add(Text(" · ".join(bits), style=self._style("pane--meta")))
        if meta.url:
            add(Text(meta.url, style=self._style("pane--meta")))
        if meta.tags:
            add(Text("  ".join("#" + t for t in meta.tags), style=self._style("pane--tags")))
        if meta.summary:
            add(Text(meta.summary, style=self._style("pane--summary")))
        lines.append(HeaderLine(Text("─" * width, style=self._style("pane--rule"))))
        lines.append(HeaderLine(Text("")))
        return lines

    def _relayout(self) -> None:
        self._cache.clear()
        if self.brief is None:
            self._update_virtual_size()
            return
        width = self._text_width()
        self._header = self._build_header(width)
        self._layout = layout_brief(self.brief, width)
        self._update_virtual_size()
        self.refresh()

    def _update_virtual_size(self) -> None:
        if self._message is not None:
            height = len(self._message)
        elif self._layout is not None:
            height = len(self._header) + len(self._layout.lines) + 1
        else:
            height = 0
        self.virtual_size = Size(self.scrollable_content_region.width, height)

    def on_resize(self, event: events.Resize) -> None:
        if self._message is not None and self._message_width != max(self.scrollable_content_region.width - 1, 20):
            self._wrap_message()
        if self.brief is not None and (self._layout is None or self._layout.width != self._text_width()):
            top = self.top_offset()
            self._relayout()
            if top is not None:
                self.scroll_to_offset(top, center=False, top=True)
        else:
            self._update_virtual_size()

    def notify_style_update(self) -> None:
        """Theme changed: styles come from CSS, so drop every cached line (and the header's)."""
        super().notify_style_update()
        if self.brief is not None:
            self._header = self._build_header(self._text_width())

    # ------------------------------------------------------------------ geometry

    def line_y(self, line_index: int) -> int:
        return len(self._header) + line_index

    def top_offset(self) -> int | None:
        """The text offset shown on the first visible row (the reading position)."""
        if self._layout is None or not self._layout.lines:
            return None
        i = min(max(int(self.scroll_offset.y) - len(self._header), 0), len(self._layout.lines) - 1)
        return self._layout.lines[i].start

    def scroll_to_offset(self, offset: int, center: bool = True, top: bool = False) -> None:
        if self._layout is None:
            return
        y = self.line_y(self._layout.line_of(offset))
        height = self.scrollable_content_region.height
        if top:
            self.scroll_to(y=max(y - len(self._header) * 0, 0), animate=False)
        elif center:
            if not (self.scroll_offset.y <= y < self.scroll_offset.y + height):
                self.scroll_to(y=max(y - height // 3, 0), animate=False)
        else:
            self.scroll_to(y=y, animate=False)

    def offset_at(self, x: int, y: int) -> int | None:
        """The text offset under a point of the widget, if any."""
        if self._layout is None:
            return None
        row = int(self.scroll_offset.y) + y - len(self._header)
        if not 0 <= row < len(self._layout.lines):
            return None
        line = self._layout.lines[row]
        col = x - GUTTER - line.indent + int(self.scroll_offset.x)
        if line.kind == "blank" or col < 0:
            return None
        text = self.brief.text
        cells = 0
        for i in range(line.start, line.end):
            cells += 2 if ord(text[i]) > 0x1100 and _wide(text[i]) else 1
            if cells > col:
                return i
        return None

    # ------------------------------------------------------------------ overlays

    def set_fact(self, spans: list[tuple[int, int]], index: int = 0) -> None:
        self.fact_spans = sorted(spans)
        self.fact_index = index if spans else -1
        self._facts = RangeIndex([(a, b, i) for i, (a, b) in enumerate(self.fact_spans)])
        self._cache.clear()
        self.refresh()
        if self.fact_spans:
            self.clear_selection()
            self.cursor_to(self.fact_spans[self.fact_index][0])  # the reading cursor goes to the mention

    def clear_fact(self) -> None:
        self.fact_spans, self.fact_index, self._facts = [], -1, RangeIndex([])
        self._cache.clear()
        self.refresh()

    def find(self, query: str, from_offset: int | None = None) -> int:
        """Mark every case-insensitive match of ``query``; go to the first one after the top."""
        self.find_query = query
        self.find_matches = []
        if self.brief is not None and query:
            pattern = re.compile(re.escape(query), re.IGNORECASE)
            for m in pattern.finditer(self.brief.text):
                self.find_matches.append((m.start(), m.end()))
                if len(self.find_matches) >= 100_000:
                    break
        self._finds = RangeIndex([(a, b, i) for i, (a, b) in enumerate(self.find_matches)])
        self.find_index = -1
        if self.find_matches:
            start = from_offset if from_offset is not None else (self.top_offset() or 0)
            i = bisect.bisect_left(self.find_matches, (start, 0))
            self.find_index = i % len(self.find_matches)
            self.scroll_to_offset(self.find_matches[self.find_index][0])
            self._find_fresh = True
        self._cache.clear()
        self.refresh()
        self.screen.refresh_bindings()
        return len(self.find_matches)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "find_next":
            return bool(self.find_matches)  # n/N show in the footer only while a search is on
        return True

    def action_find_next(self, step: int) -> None:
        if not self.find_matches:
            if self.find_query:
                self.post_message(Say("No match", severity="warning", timeout=2))
            return
        self.find_index = (self.find_index + step) % len(self.find_matches)
        self.clear_selection()
        self.cursor_to_match()

    def cursor_to_match(self) -> None:
        """The reading cursor on the current find match's sentence (``enter`` in the find box,
        ``n`` / ``N``), as less and vim move to the match: ``h``, ``j`` and the review keys go
        on from there, and ``→`` still selects the match's words."""
        if 0 <= self.find_index < len(self.find_matches):
            self.cursor_to(self.find_matches[self.find_index][0])
            self._find_fresh = True

    def action_open_link(self) -> None:
        """Open the first link on screen (after confirmation, by the app)."""
        if self.brief is None or self._layout is None:
            return
        top = int(self.scroll_offset.y) - len(self._header)
        lines = self._layout.lines[max(top, 0) : max(top, 0) + self.scrollable_content_region.height]
        if not lines:
            return
        start, end = lines[0].start, lines[-1].end
        for kind, s_start, s_end, url in style_spans(self.brief.styles):
            if kind in ("link", "image") and url and s_end > start and s_start < end:
                self.post_message(self.LinkClicked(url))
                return
        self.post_message(Say("No link on screen", timeout=2))

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self._mouse_down = self.offset_at(event.x, event.y)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._mouse_down is None:  # not every terminal reports the button in motion events
            return
        here = self.offset_at(event.x, event.y)
        if here is not None and here != self._mouse_down:
            a, b = sorted((self._mouse_down, here))
            self.mouse_selection = (a, b + 1)
            self.select_anchor = None
            self._cache.clear()
            self.refresh()
            self.post_message(self.SelectionChanged())

    def on_mouse_up(self, event: events.MouseUp) -> None:
        self._mouse_down = None

    def on_click(self, event: events.Click) -> None:
        offset = self.offset_at(event.x, event.y)
        if offset is None or self.brief is None:
            return
        if self.mouse_selection is None:
            self.move_cursor_to(self._sentence_index_at(offset))
        for kind, start, end, url in style_spans(self.brief.styles):
            if kind in ("link", "image") and url and start <= offset < end:
                self.post_message(self.LinkClicked(url))
                return

    # ------------------------------------------------------------------ drawing

    def render_line(self, y: int) -> Strip:
        if self._layout is not None and self._layout.width != self._text_width():
            self._relayout()  # the width changed without a resize (a scrollbar came or went)
        scroll_x, scroll_y = self.scroll_offset
        row = scroll_y + y
        width = self.scrollable_content_region.width
        key = (row, width, scroll_x)
        strip = self._cache.get(key)
        if strip is None:
            # Every cell of text at a contrast of 4.5 or more in every colour mode, whatever the theme.
            strip = Strip(legible_segments(self._render_row(row, width)))
            self._cache[key] = strip
        return strip.crop(scroll_x, scroll_x + width)

    def _render_row(self, row: int, width: int) -> Strip:
        base = self.base_style
        if self._message is not None:
            if row < len(self._message):
                segments = Segment.apply_style(self._message[row].text.render(self.app.console), base)
                return Strip(list(segments)).simplify().adjust_cell_length(width, base)
            return Strip.blank(width, base)
        if self._layout is None:
            return Strip.blank(width, base)
        if row < len(self._header):
            pad = [Segment(" " * GUTTER, base)]
            header = Segment.apply_style(self._header[row].text.render(self.app.console), base)
            return Strip(pad + list(header)).adjust_cell_length(width, base)
        index = row - len(self._header)
        if index >= len(self._layout.lines):
            return Strip.blank(width, base)
        return Strip(self._line_segments(self._layout.lines[index], base)).adjust_cell_length(width, base)

    def _line_segments(self, line: VLine, base: Style) -> list[Segment]:
        text = self.brief.text
        s, e = line.start, line.end
        if line.kind == "blank":
            return [Segment(" " * GUTTER, base)]
        # Gutter: a bar where a highlight runs (a cue that needs no colour), an arrow on the cursor.
        probe_end = max(e, s + 1)
        marks = self._highlights.overlapping(s, probe_end)
        cursor = self.cursor_range if self.has_focus or self.select_anchor is not None else None
        on_cursor = cursor is not None and cursor[0] < probe_end and cursor[1] > s
        # A highlight with a note shows ✎ on the line where it starts (the bar on the others).
        noted = any(h.note and s <= a < probe_end for a, _, h in marks)
        drafted = not marks and bool(self._drafts.overlapping(s, probe_end))  # "?": a draft mention here
        segments: list[Segment] = [
            Segment("?", base + self._style("pane--draft-mark")) if drafted else
            Segment("✎" if noted else "▌" if marks else " ", base + self._style("pane--highlight-bar")),
            Segment("›" if on_cursor else " ", base + self._style("pane--cursor-bar")),
        ]
        block_cls = {
            "heading": "pane--heading-1" if line.level == 1 else "pane--heading",
            "quote": "pane--quote",
            "code": "pane--code",
            "rule": "pane--rule",
        }.get(line.kind)
        line_style = base + self._style(block_cls) if block_cls else base
        if line.kind == "quote":
            bar = self._style("pane--quote-bar")
            segments.append(Segment("▎ " * line.level, base + bar))
            segments.append(Segment(" " * max(line.indent - 2 * line.level, 0), base))
        else:
            segments.append(Segment(" " * line.indent, base))
        if s == e:
            return segments
        # Every range that touches this slice, as (start, end, style).
        ranges: list[tuple[int, int, Style]] = []
        for a, b, cls in self._inline.overlapping(s, e):
            ranges.append((a, b, self._style(cls)))
        for a, b, cls in self._mentions.overlapping(s, e):
            ranges.append((a, b, self._style(cls)))
        for a, b, _ in self._drafts.overlapping(s, e):
            ranges.append((a, b, self._style("pane--draft")))
        for a, b, i in self._facts.overlapping(s, e):
            ranges.append((a, b, self._style("pane--fact-current" if i == self.fact_index else "pane--fact")))
        for a, b, i in self._finds.overlapping(s, e):
            ranges.append((a, b, self._style("pane--find-current" if i == self.find_index else "pane--find")))
        ranges.extend(self.extra_ranges(s, e))
        if line.kind == "item":
            block = self.brief.blocks[line.block]
            if s == block.start and block.content_start > s:
                ranges.append((s, block.content_start, self._style("pane--bullet")))
        cuts = {s, e}
        for a, b, _ in ranges:
            if s < a < e:
                cuts.add(a)
            if s < b < e:
                cuts.add(b)
        points = sorted(cuts)
        for a, b in zip(points, points[1:]):
            style = line_style
            for ra, rb, rstyle in ranges:
                if ra <= a and rb >= b:
                    style = style + rstyle
            chunk = text[a:b]
            if "\t" in chunk:
                chunk = chunk.replace("\t", " ")
            segments.append(Segment(chunk, style))
        return segments

    def review_target(self) -> tuple[int, int] | None:
        """The unreviewed mention ``+`` and ``x`` act on (``Reviewing._target``) and the pane
        marks: the first in the selection, else in the cursor's sentence (None when there is
        none, or no draft is under review). Found once per change of the drafts, the cursor or
        the selection; asked again (each line drawn asks) it is only compared with them."""
        if not self.reviewing:
            return None
        rng = self.selection or self.cursor_range
        key = (self._drafts, rng)
        if key != self._target_for:
            self._target, self._target_for = self._first_draft_in(rng), key
        return self._target

    def _first_draft_in(self, rng: tuple[int, int] | None) -> tuple[int, int] | None:
        found = self._drafts.overlapping(*rng) if rng is not None else []
        return min((a, b) for a, b, _ in found) if found else None

    def extra_ranges(self, start: int, end: int) -> list[tuple[int, int, Style]]:
        """The reading cursor, highlights and the selection, by offset. Later ranges win where
        they set the same colour: a highlight keeps its tint under the cursor (the gutter's ›
        shows the cursor there), and the selection shows over both."""
        out = []
        cursor = self.cursor_range
        if cursor is not None and self.has_focus and cursor[0] < end and cursor[1] > start:
            out.append((cursor[0], cursor[1], self._style("pane--cursor")))
        target = self.review_target() if self.has_focus else None
        if target is not None and target[0] < end and target[1] > start:
            out.append((target[0], target[1], self._style("pane--review-target")))
        out += [(a, b, self._style("pane--highlight")) for a, b, _ in self._highlights.overlapping(start, end)]
        selection = self.selection
        if selection is not None and selection[0] < end and selection[1] > start:
            out.append((selection[0], selection[1], self._style("pane--selection")))
        return out



def _wide(ch: str) -> bool:
    from rich.cells import get_character_cell_size

    return get_character_cell_size(ch) == 2
