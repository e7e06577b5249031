"""The reading pane's reading cursor: a sentence at a time (j/k), the selection that grows
sentence by sentence (v) or by mouse, paging that takes the cursor along, and the highlight
under the cursor. A base class of ReadingPane (briefing.ui.widgets.reading_pane), which
holds the brief, its layout and its sentences; every method runs on the UI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import bisect

from briefing.ui.messages import Say
from briefing.ui.widgets.cached_lines import CachedLinesView
from briefing.ui.widgets.ranges import RangeIndex

if TYPE_CHECKING:
    from briefing.core.anchor import Highlight


class ReadingCursor(CachedLinesView):
    # ------------------------------------------------------------------ reading cursor

    def _sentence_index_at(self, offset: int) -> int:
        if not self.sentences:
            return 0
        i = bisect.bisect_right(self.sentences, (offset, 1 << 62)) - 1
        return min(max(i, 0), len(self.sentences) - 1)

    @property
    def cursor_range(self) -> tuple[int, int] | None:
        if not self.sentences or self.brief is None:
            return None
        return self.sentences[min(self.cursor, len(self.sentences) - 1)]

    @property
    def selection(self) -> tuple[int, int] | None:
        """The passage ``h`` acts on when it is not just the cursor sentence."""
        if self.select_anchor is not None and self.sentences:
            lo, hi = sorted((self.select_anchor, self.cursor))
            return self.sentences[lo][0], self.sentences[hi][1]
        return self.mouse_selection

    def move_cursor_to(self, index: int) -> None:
        if not self.sentences:
            return
        self.cursor = min(max(index, 0), len(self.sentences) - 1)
        self.mouse_selection = None
        self._cache.clear()
        self.refresh()
        self._keep_cursor_visible()

    def _keep_cursor_visible(self) -> None:
        if self._layout is None or not self.sentences:
            return
        start, end = self.sentences[self.cursor]
        top = self.line_y(self._layout.line_of(start))
        bottom = self.line_y(self._layout.line_of(max(end - 1, start)))
        height = self.scrollable_content_region.height
        y = int(self.scroll_offset.y)
        if self.cursor == 0:
            self.scroll_to(y=0, animate=False)
        elif top < y:
            self.scroll_to(y=top, animate=False)
        elif bottom >= y + height:
            self.scroll_to(y=min(top, bottom - height + 1), animate=False)

    def action_select(self) -> None:
        """Start (or drop) a selection that grows sentence by sentence."""
        self.select_anchor = None if self.select_anchor is not None else self.cursor
        self.mouse_selection = None
        self._cache.clear()
        self.refresh()
        if self.select_anchor is not None:
            self.post_message(Say("Selecting: j/k extend, h highlights, v or esc cancels", timeout=3))

    def clear_selection(self) -> bool:
        had = self.select_anchor is not None or self.mouse_selection is not None
        self.select_anchor = None
        self.mouse_selection = None
        if had:
            self._cache.clear()
            self.refresh()
        return had

    def set_highlights(self, highlights: list[Highlight]) -> None:
        self.highlights = highlights
        self._highlights = RangeIndex([(h.start, h.end, h) for h in highlights if not h.orphan])
        self._cache.clear()
        self.refresh()

    def highlight_at_cursor(self) -> Highlight | None:
        """The highlight overlapping the cursor sentence (or selection), if any."""
        rng = self.selection or self.cursor_range
        if rng is None:
            return None
        found = self._highlights.overlapping(*rng)
        return found[0][2] if found else None

    def jump_to(self, offset: int) -> None:
        self.move_cursor_to(self._sentence_index_at(offset))
        self.scroll_to_offset(offset)

    # ------------------------------------------------------------------ actions

    def action_move(self, step: int) -> None:
        if self.sentences:
            self.move_cursor_to(self.cursor + step)
        else:
            self.scroll_relative(y=step, animate=False)

    def action_top(self) -> None:
        self.move_cursor_to(0)
        self.scroll_home(animate=False)

    def action_bottom(self) -> None:
        self.move_cursor_to(len(self.sentences) - 1)
        self.scroll_end(animate=False)

    def action_page(self, step: int) -> None:
        """Page keys scroll; the cursor follows to the first sentence on screen."""
        self.scroll_relative(y=step * max(self.scrollable_content_region.height - 2, 1), animate=False)
        self.call_after_refresh(self._cursor_to_screen)

    def _cursor_to_screen(self) -> None:
        top = self.top_offset()
        if top is not None and self.sentences:
            index = self._sentence_index_at(top)
            if self.sentences[index][1] <= top and index + 1 < len(self.sentences):
                index += 1
            self.cursor = index
            self._cache.clear()
            self.refresh()
