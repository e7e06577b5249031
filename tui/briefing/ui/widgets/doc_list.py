"""The document list: a ScrollView of fixed two-line rows, one per ``briefing.core.entry.Entry``.

Only the rows on screen are ever drawn, so 10,000 or 100,000 briefs cost what 20 do (an
OptionList measures every option before it paints: ~0.5 s for 10,000 here). Rows carry
their Entry (keyed by ``Entry.key``, the path as text); ``read`` holds the keys of the
briefs marked read (the store's marks: not the index's, so not in the entry). Titles and
sources are drawn from Text objects, never markup.

It does not know the app: a cursor move and ``enter`` call the ``on_move`` / ``on_select``
callbacks it was given (inside the key press, so the new brief comes in the same frame), or
post EntryHighlighted / EntrySelected when it was given none; ``r`` posts ToggleRead.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from typing import TYPE_CHECKING, Callable

from briefing.core.entry import Entry
from briefing.session.catalog import sort_entries
from briefing.ui.messages import Say
from briefing.ui.palette import legible_segments
from briefing.ui.widgets.cached_lines import CachedLinesView

if TYPE_CHECKING:
    from briefing.index.entry import Hit

ROW_HEIGHT = 2


class DocList(CachedLinesView, can_focus=True):
    DEFAULT_CSS = """
    DocList > .doclist--title { text-style: bold; }
    DocList > .doclist--meta { color: $text-muted; }
    DocList > .doclist--error { color: $error; text-style: bold; }
    DocList > .doclist--unread { color: $text-accent; text-style: bold; }
    DocList > .doclist--match { text-style: bold underline; color: $text-warning; }
    DocList > .doclist--cursor { background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold; }
    DocList > .doclist--cursor-blurred { background: $block-cursor-blurred-background; }
    """

    COMPONENT_CLASSES = {
        "doclist--title", "doclist--meta", "doclist--error", "doclist--unread", "doclist--match",
        "doclist--cursor", "doclist--cursor-blurred",
    }

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", id="list.down", show=False),
        Binding("k,up", "cursor_up", "Up", id="list.up", show=False),
        Binding("g,home", "first", "Top", id="list.top", show=False),
        Binding("G,end", "last", "Bottom", id="list.bottom", show=False),
        Binding("pagedown", "page(1)", "Page down", id="list.page_down", show=False),
        Binding("pageup", "page(-1)", "Page up", id="list.page_up", show=False),
        Binding("enter", "select", "Open", id="list.open"),
        Binding("s", "toggle_sort", "Sort", id="list.sort"),
        Binding("r", "toggle_read", "Read/unread", id="list.toggle_read"),
        Binding("n", "next_unread", "Next unread", id="list.next_unread"),
        Binding("A", "mark_all_read", "All read", id="list.mark_all_read", show=False),
    ]

    # No repaint of the whole widget when the cursor moves: the watcher redraws the two rows.
    highlighted: reactive[int | None] = reactive(None, always_update=True, repaint=False)

    class Sorted(Message):
        """The list's order changed to ``by`` ("date" or "title"; the header says which)."""

        def __init__(self, by: str) -> None:
            super().__init__()
            self.by = by

    class ToggleRead(Message):
        """``r``: mark the brief under the cursor read or unread."""

    class MarkAllRead(Message):
        """``A``: mark every brief the list shows as read (the screen asks first)."""

    class EntryHighlighted(Message):
        def __init__(self, doc_list: "DocList", entry: Entry) -> None:
            super().__init__()
            self.doc_list = doc_list
            self.entry = entry

        @property
        def control(self) -> "DocList":
            return self.doc_list

    class EntrySelected(EntryHighlighted):
        pass

    def __init__(self, on_move: Callable[[Entry], None] | None = None,
                 on_select: Callable[[Entry], None] | None = None, **kwargs) -> None:
        super().__init__(cache_size=512, **kwargs)
        self._on_move, self._on_select = on_move, on_select
        self.entries: list[Entry] = []
        self.shown: list[Entry] = []
        self.read: set[str] = set()  # keys of the briefs marked read
        self.sort_by = "date"
        self.query_filter: str = ""  # the search line, as typed
        self.allowed_paths: set[str] | None = None  # briefs that pass the filters (from the index)
        self.total_hint: int | None = None  # on a warm start, the first rows come before the rest
        self.matches: int | None = None  # how many briefs a search matched (only the best are listed)
        # A full-text search: paths best first, and each one's snippet with the matching words.
        self.ranked: list[str] | None = None
        self.snippets: dict[str, tuple[str, tuple[tuple[int, int], ...]]] = {}

    # ------------------------------------------------------------------ content

    def set_entries(self, entries: list[Entry], total_hint: int | None = None,
                    read: set[str] | None = None) -> None:
        """Show ``entries``; ``read``: the keys marked read (None: the marks stay as they are)."""
        self.entries = list(entries)
        if read is not None:
            self.read = set(read)
        self.total_hint = total_hint
        self.refresh_entries()

    def is_read(self, entry: Entry) -> bool:
        return entry.key in self.read

    def set_read(self, entries: list[Entry], read: bool) -> None:
        """Mark ``entries`` read or unread and redraw."""
        keys = {e.key for e in entries}
        self.read = self.read | keys if read else self.read - keys
        self.refresh_entries()

    def update_entry(self, entry: Entry) -> None:
        for i, e in enumerate(self.entries):
            if e.key == entry.key:
                self.entries[i] = entry
                break
        else:
            self.entries.append(entry)
        self.refresh_entries()

    def apply_changes(self, updated: list[Entry], removed: set[str]) -> None:
        """Live updates: new and changed entries replace old ones, removed ones go."""
        by_path = {e.key: e for e in updated}
        entries = [by_path.pop(e.key, e) for e in self.entries if e.key not in removed]
        self.entries = entries + list(by_path.values())
        self.refresh_entries()

    def set_filter(self, allowed: set[str] | None = None, hits: list[Hit] | None = None,
                   matches: int | None = None) -> None:
        """Show only ``allowed`` paths, or the search ``hits`` in their ranked order (of
        ``matches`` in all); neither: all."""
        self.allowed_paths = allowed
        self.matches = matches
        if hits is None:
            self.ranked, self.snippets = None, {}
        else:
            self.ranked = [str(h.path) for h in hits]
            self.snippets = {str(h.path): (h.snippet, h.spans) for h in hits}
        self.refresh_entries()

    def refresh_entries(self) -> None:
        """Filter, sort and redraw, keeping the highlighted brief when it is still shown."""
        current = self.current_entry
        if self.ranked is not None:
            by_path = {e.key: e for e in self.entries}
            self.shown = [by_path[p] for p in self.ranked if p in by_path]
        else:
            shown = self.entries
            if self.allowed_paths is not None:
                shown = [e for e in shown if e.key in self.allowed_paths]
            self.shown = sort_entries(shown, self.sort_by)
        self._cache.clear()
        self.virtual_size = self._rows_size()
        index = None
        if self.shown:
            index = 0
            if current is not None:
                for i, e in enumerate(self.shown):
                    if e.key == current.key:
                        index = i
                        break
        self.highlighted = index
        self.refresh()

    @property
    def current_entry(self) -> Entry | None:
        i = self.highlighted
        return self.shown[i] if i is not None and 0 <= i < len(self.shown) else None

    def select_path(self, path: str) -> None:
        for i, e in enumerate(self.shown):
            if e.key == path:
                self.highlighted = i
                return

    def row_text(self, index: int) -> str:
        """The two lines of a row as plain text (for tests and the command palette)."""
        return "\n".join(t.plain for t in self._row_texts(self.shown[index]))

    # ------------------------------------------------------------------ cursor

    def validate_highlighted(self, value: int | None) -> int | None:
        if value is None or not self.shown:
            return None
        return min(max(value, 0), len(self.shown) - 1)

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        # Lines are cached by row and cursor state: only the two rows that changed are redrawn.
        for index in {old, new} - {None}:
            self.refresh_rows(index * ROW_HEIGHT, ROW_HEIGHT)
        if new is None:
            return
        self.scroll_rows_into_view(new * ROW_HEIGHT, ROW_HEIGHT)
        # The screen opens the brief now, inside this key press: the cursor move and the new
        # brief reach the screen in one frame (a message would paint the cursor first).
        if self._on_move is not None:
            self._on_move(self.shown[new])
        else:
            self.post_message(self.EntryHighlighted(self, self.shown[new]))

    def action_cursor_down(self) -> None:
        if self.shown:
            self.highlighted = 0 if self.highlighted is None else self.highlighted + 1

    def action_cursor_up(self) -> None:
        if self.shown:
            self.highlighted = 0 if self.highlighted is None else self.highlighted - 1

    def action_first(self) -> None:
        if self.shown:
            self.highlighted = 0

    def action_last(self) -> None:
        if self.shown:
            self.highlighted = len(self.shown) - 1

    def action_page(self, step: int) -> None:
        if self.shown:
            rows = max(self.scrollable_content_region.height // ROW_HEIGHT - 1, 1)
            self.highlighted = (self.highlighted or 0) + step * rows

    def action_select(self) -> None:
        entry = self.current_entry
        if entry is not None:
            self._select(entry)

    def _select(self, entry: Entry) -> None:
        """Open now, inside the key handler: were it a message, keys typed right after
        ``enter`` would still reach the list before the focus moved to the pane."""
        if self._on_select is not None:
            self._on_select(entry)
        else:
            self.post_message(self.EntrySelected(self, entry))

    def on_click(self, event: events.Click) -> None:
        index = (int(self.scroll_offset.y) + event.y) // ROW_HEIGHT
        if 0 <= index < len(self.shown):
            self.highlighted = index
            self._select(self.shown[index])

    # A row is two lines (title, then date and source). The list scrolls by whole rows, so its
    # top line is always a title: with an odd height, scrolling the least to show the cursor
    # would stop half a row down (after s, the top line was a date line with no title).
    def _rows_size(self) -> Size:
        height = self.scrollable_content_region.height
        return Size(self.scrollable_content_region.width, len(self.shown) * ROW_HEIGHT + height % ROW_HEIGHT)

    def validate_scroll_y(self, value: float) -> float:
        value = super().validate_scroll_y(value)
        return min(round(value / ROW_HEIGHT) * ROW_HEIGHT, max(self.max_scroll_y // ROW_HEIGHT * ROW_HEIGHT, 0))

    def scroll_rows_into_view(self, top: int, count: int) -> None:
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        y = int(self.scroll_offset.y)
        if top < y:
            self.scroll_to(y=top, animate=False, force=True)
        elif top + count > y + height:
            need = top + count - height
            self.scroll_to(y=-(-need // ROW_HEIGHT) * ROW_HEIGHT, animate=False, force=True)

    def action_toggle_sort(self) -> None:
        if self.ranked is not None:
            self.post_message(Say("Search results are in order of relevance; c clears the search", timeout=3))
            return
        self.sort_by = "title" if self.sort_by == "date" else "date"
        self.refresh_entries()
        self.post_message(self.Sorted(self.sort_by))

    def action_toggle_read(self) -> None:
        self.post_message(self.ToggleRead())

    def action_next_unread(self) -> None:
        """``n``: the next unread brief below the cursor (from the top after the last), as newsboat does."""
        count = len(self.shown)
        start = -1 if self.highlighted is None else self.highlighted
        for step in range(1, count + 1):
            i = (start + step) % count
            if self.shown[i].key not in self.read:
                self.highlighted = i
                return
        self.post_message(Say("No unread brief in the list", timeout=3))

    def action_mark_all_read(self) -> None:
        self.post_message(self.MarkAllRead())

    # ------------------------------------------------------------------ drawing

    def on_resize(self, event: events.Resize) -> None:
        self._cache.clear()
        self.virtual_size = self._rows_size()

    def _row_texts(self, entry: Entry) -> tuple[Text, Text]:
        style = self.component_style
        read = entry.key in self.read
        title = Text(no_wrap=True, overflow="ellipsis", end="")
        if not entry.ok:
            title.append("✗ ", style("doclist--error"))
        elif not read and entry.parsed:
            title.append("• ", style("doclist--unread"))
        else:
            title.append("  ")
        title.append(entry.title, style("doclist--title") if not read else Style(bold=False))
        snippet = self.snippets.get(entry.key)
        if snippet is not None and snippet[0]:
            # A search result: the matching words in context, marked by offset (never markup).
            text, spans = snippet
            meta = Text("  " + text, style=style("doclist--meta"), no_wrap=True, overflow="ellipsis", end="")
            for a, b in spans:
                meta.stylize(style("doclist--match"), a + 2, b + 2)
            return title, meta
        bits = [entry.published_iso or "undated"]
        if entry.source:
            bits.append(entry.source)
        if not entry.ok:
            n = entry.error_count or 1
            bits.append(f"{n} error{'s' if n != 1 else ''}")
        elif not entry.parsed:
            bits.append("indexing…")
        meta = Text("  " + " · ".join(bits), style=style("doclist--meta"), no_wrap=True, overflow="ellipsis", end="")
        return title, meta

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row_y = int(self.scroll_offset.y) + y
        index, line = divmod(row_y, ROW_HEIGHT)
        base = self.base_style
        if not 0 <= index < len(self.shown):
            return Strip.blank(width, base)
        cursor = index == self.highlighted
        key = (index, line, width, cursor, self.has_focus)
        strip = self._cache.get(key)
        if strip is None:
            text = self._row_texts(self.shown[index])[line]
            text.truncate(width, overflow="ellipsis")
            style = base
            if cursor:
                style = base + self.component_style("doclist--cursor" if self.has_focus else "doclist--cursor-blurred")
            segments = Segment.apply_style(text.render(self.app.console), style)
            strip = Strip(legible_segments(segments)).adjust_cell_length(width, style)
            self._cache[key] = strip
        return strip

    # ------------------------------------------------------------------ header

    def describe(self) -> Text:
        """The list header: how many of how many briefs, and why."""
        total = self.total_hint if self.total_hint is not None else len(self.entries)
        shown = total if self.total_hint is not None else len(self.shown)
        if self.ranked is not None and self.matches is not None and self.matches > shown:
            text = Text(f"Briefs {self.matches:,}/{total:,}, best {shown:,} listed")
        else:
            text = Text(f"Briefs {shown:,}/{total:,}")
        order = "best match" if self.ranked is not None else "title" if self.sort_by == "title" else "newest"
        # Italic, not dim: the header is already $text-muted, and dim on it read at 2.8:1.
        text.append(" · " + order, "italic")
        if self.query_filter:
            text.append(" · “")
            text.append(self.query_filter)
            text.append("”")
        return text
