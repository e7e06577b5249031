"""The document list: an OptionList whose options carry their DocEntry (thousands of briefs
cost one widget, not thousands)."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.catalog import DocEntry, sort_entries


class EntryOption(Option):
    def __init__(self, prompt: Text, entry: DocEntry):
        super().__init__(prompt, id=entry.path)
        self.entry = entry


class DocList(OptionList):
    COMPONENT_CLASSES = {"doclist--title", "doclist--meta", "doclist--error", "doclist--unread"}

    BINDINGS = [
        Binding("j", "cursor_down", "Down", id="list.down", show=False),
        Binding("k", "cursor_up", "Up", id="list.up", show=False),
        Binding("g", "first", "Top", id="list.top", show=False),
        Binding("G", "last", "Bottom", id="list.bottom", show=False),
        Binding("enter", "select", "Open", id="list.open"),
        Binding("s", "toggle_sort", "Sort", id="list.sort"),
        Binding("r", "app.toggle_read", "Read/unread", id="list.toggle_read"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.entries: list[DocEntry] = []
        self.shown: list[DocEntry] = []
        self.sort_by = "date"
        self.fact_filter: tuple[str, str] | None = None  # (global fact key, label)
        self.query_filter: str = ""

    # -- content
    def set_entries(self, entries: list[DocEntry]) -> None:
        self.entries = list(entries)
        self.refresh_entries()

    def update_entry(self, entry: DocEntry) -> None:
        for i, e in enumerate(self.entries):
            if e.path == entry.path:
                self.entries[i] = entry
                break
        else:
            self.entries.append(entry)
        self.refresh_entries()

    def refresh_entries(self) -> None:
        """Filter, sort and redraw, keeping the highlighted brief when it is still shown."""
        current = self.current_entry
        shown = self.entries
        if self.fact_filter is not None:
            key = self.fact_filter[0]
            shown = [e for e in shown if key in e.fact_keys]
        if self.query_filter:
            q = self.query_filter.casefold()
            shown = [e for e in shown if q in e.title.casefold() or q in (e.source or "").casefold()
                     or any(q in t.casefold() for t in e.tags)]
        self.shown = sort_entries(shown, self.sort_by)
        self.set_options([EntryOption(self._prompt(e), e) for e in self.shown])
        if self.shown:
            index = 0
            if current is not None:
                for i, e in enumerate(self.shown):
                    if e.path == current.path:
                        index = i
                        break
            self.highlighted = index

    def _prompt(self, entry: DocEntry) -> Text:
        title_style = self.get_component_rich_style("doclist--title", partial=True)
        meta_style = self.get_component_rich_style("doclist--meta", partial=True)
        text = Text(no_wrap=True, overflow="ellipsis")
        if not entry.ok:
            text.append("✗ ", self.get_component_rich_style("doclist--error", partial=True))
        elif not entry.read and entry.parsed:
            text.append("• ", self.get_component_rich_style("doclist--unread", partial=True))
        else:
            text.append("  ")
        text.append(entry.title, title_style if not entry.read else Style(bold=False) + title_style + Style(bold=False))
        bits = [entry.published or "undated"]
        if entry.source:
            bits.append(entry.source)
        if not entry.ok:
            bits.append(f"{len(entry.errors)} error{'s' if len(entry.errors) != 1 else ''}")
        text.append("\n\u00a0\u00a0" + " · ".join(bits), meta_style)
        return text

    @property
    def current_entry(self) -> DocEntry | None:
        option = self.highlighted_option
        return option.entry if isinstance(option, EntryOption) else None

    def select_path(self, path: str) -> None:
        for i, e in enumerate(self.shown):
            if e.path == path:
                self.highlighted = i
                return

    # -- actions
    def action_toggle_sort(self) -> None:
        self.sort_by = "title" if self.sort_by == "date" else "date"
        self.refresh_entries()
        self.app.notify(f"Sorted by {'title (A-Z)' if self.sort_by == 'title' else 'date (newest first)'}", timeout=2)

    def describe(self) -> Text:
        """The list header: how many of how many briefs, and why."""
        text = Text(f"Briefs {len(self.shown)}/{len(self.entries)}")
        text.append(" · " + ("title" if self.sort_by == "title" else "newest"), "dim")
        if self.fact_filter is not None:
            text.append(" · with ", "dim")
            text.append(self.fact_filter[1])
        if self.query_filter:
            text.append(" · “", "dim")
            text.append(self.query_filter)
            text.append("”", "dim")
        return text
