"""The reading pane's reading cursor: a sentence at a time (j/k), the selection that grows
sentence by sentence (v), word by word from the keyboard (right/left move a one-word
selection, shift+right/left extend it) or by mouse, paging that takes the cursor along, and
the highlight under the cursor. A base class of ReadingPane (briefing.ui.widgets.reading_pane), which
holds the brief, its layout and its sentences; every method runs on the UI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import bisect
import re

from textual.message import Message

from briefing.ui.messages import Say
from briefing.ui.widgets.cached_lines import CachedLinesView
from briefing.ui.widgets.ranges import RangeIndex

if TYPE_CHECKING:
    from briefing.core.anchor import Highlight


# A word: letters and digits, with inner hyphens, apostrophes and dots ("Ukraine-Russia",
# "country's", "U.S"); the selection runs from a word's first character to another's last.
WORD_RE = re.compile(r"\w(?:[\w'’.\-]*\w)?")


class ReadingCursor(CachedLinesView):
    class SelectionChanged(Message):
        """The keyboard's or the mouse's selection changed (``selection`` says what it is)."""

    _words: list[tuple[int, int]] | None = None  # the brief's words (made when first needed)
    _word_anchor = _word_head = 0  # word indexes: where shift+arrows started, where they are
    _word_selection: tuple[int, int] | None = None  # the range the word keys last selected

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
        self._find_fresh = False  # the word keys start from this sentence now, not a find's match
        if self.mouse_selection is not None:
            self.mouse_selection = None
            self.post_message(self.SelectionChanged())
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
        if self.mouse_selection is not None:
            self.mouse_selection = None
            self.post_message(self.SelectionChanged())
        self._cache.clear()
        self.refresh()
        if self.select_anchor is not None:
            self.post_message(Say("Selecting: j/k extend, h highlights, v or esc cancels", timeout=3))

    def clear_selection(self) -> bool:
        had = self.select_anchor is not None or self.mouse_selection is not None
        words = self.mouse_selection is not None
        self.select_anchor = None
        self.mouse_selection = None
        if had:
            self._cache.clear()
            self.refresh()
        if words:
            self.post_message(self.SelectionChanged())
        return had

    # ------------------------------------------------------------------ word selection

    def words(self) -> list[tuple[int, int]]:
        if self._words is None:
            self._words = [m.span() for m in WORD_RE.finditer(self.brief.text)] if self.brief is not None else []
        return self._words

    def _in_word_mode(self) -> bool:
        return self._word_selection is not None and self.mouse_selection == self._word_selection

    _find_fresh = False  # a find just went to a match: the word keys start from it

    def action_word(self, step: int) -> None:
        """right/left: a one-word selection, moved a word at a time; it starts on the cursor
        sentence's first word (right) or last word (left) — or, just after a find (``/``,
        ``n``), selects the words of the match."""
        words = self.words()
        if not words:
            return
        if self._in_word_mode():
            i = min(max(self._word_head + step, 0), len(words) - 1)
        elif self._find_fresh and 0 <= self.find_index < len(self.find_matches):
            self._find_fresh = False
            a, b = self.find_matches[self.find_index]
            first = max(bisect.bisect_right(words, (a, 1 << 62)) - 1, 0)
            if words[first][1] <= a:
                first = min(first + 1, len(words) - 1)
            last = max(bisect.bisect_left(words, (b, -1)) - 1, first)
            self._word_anchor, self._word_head = first, last
            self._select_words()
            return
        else:
            rng = self.cursor_range or (0, 0)
            if step > 0:
                i = bisect.bisect_left(words, (rng[0], -1))
            else:
                i = bisect.bisect_left(words, (rng[1], -1)) - 1
            i = min(max(i, 0), len(words) - 1)
        self._word_anchor = self._word_head = i
        self._select_words()

    def action_extend_word(self, step: int) -> None:
        """shift+right/left: the selection's moving end goes a word further (or back)."""
        words = self.words()
        if not words:
            return
        if not self._in_word_mode():
            self.action_word(step)
            return
        self._word_head = min(max(self._word_head + step, 0), len(words) - 1)
        self._select_words()

    def _select_words(self) -> None:
        words = self.words()
        lo, hi = sorted((self._word_anchor, self._word_head))
        self.select_anchor = None
        self.mouse_selection = self._word_selection = (words[lo][0], words[hi][1])
        head = words[self._word_head][0]
        self.cursor = self._sentence_index_at(head)  # the sentence cursor follows
        self._cache.clear()
        self.refresh()
        self._keep_cursor_visible()
        self.post_message(self.SelectionChanged())

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

    def cursor_to(self, offset: int) -> None:
        """The reading cursor on the sentence at ``offset``, that offset's line shown (scrolled
        to a third of the height when it was off screen): a find's match, a fact's mention."""
        self.scroll_to_offset(offset)
        if self.sentences:
            self.cursor = self._sentence_index_at(offset)
            self._find_fresh = False
        self._cache.clear()
        self.refresh()

    def keep_cursor_on(self, offset: int) -> None:
        """The reading cursor on the sentence at ``offset``, scrolled only if it is off screen
        (a brief shown again whole, after its head: the reader's place in it)."""
        self.move_cursor_to(self._sentence_index_at(offset))

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
