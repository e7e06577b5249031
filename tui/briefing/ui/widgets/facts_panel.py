"""The key-facts sidebar: Leaders, Dates, Regions, then other types, then the reader's
highlights, as rows of one or two lines under group headings.

A ScrollView that draws its lines from a cache, like the document list: a brief switch
rebuilds a few dozen rows in about a millisecond (an OptionList measured and rendered every
option through Textual's content pipeline: ~20 ms of each switch). Rows carry their Fact or
Highlight; every text is a Rich Text built by offset, never markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from briefing.session.file_marks import is_in_file
from briefing.ui.palette import legible_segments
from briefing.ui.widgets.cached_lines import CachedLinesView

if TYPE_CHECKING:
    from briefing.core.anchor import Highlight
    from briefing.session.shapes import FactsBrief, ShownFact

EDGE = "▏"  # what a CSS "border-left: vkey" draws
DIM = Style(dim=True)
BOLD = Style(bold=True)
GROUP_TITLES = {"leader": "Leaders", "date": "Dates", "region": "Regions"}


def group_title(kind: str) -> str:
    return GROUP_TITLES.get(kind) or (kind.capitalize() + ("es" if kind.endswith("s") else "s"))


Piece = tuple[str, Style]  # a run of text and its style


class Option:
    """One row: a heading or note (disabled), a fact or a highlight. Its text is kept as lines
    of (text, style) pieces, drawn straight into segments (no Rich Text rendering per line)."""

    def __init__(self, lines: list[list[Piece]], disabled: bool = False, id: str | None = None) -> None:
        # A newline inside a piece would break the one-row-per-line drawing.
        self.lines = [[(text.replace("\n", " "), style) for text, style in line] for line in lines]
        self.disabled = disabled
        self.id = id

    @property
    def prompt(self) -> Text:
        """The row's text as one Rich Text (lines joined by newlines)."""
        text = Text()
        for i, line in enumerate(self.lines):
            if i:
                text.append("\n")
            for part, style in line:
                text.append(part, style)
        return text


class FactOption(Option):
    def __init__(self, lines: list[list[Piece]], fact: ShownFact) -> None:
        super().__init__(lines, id="fact:" + fact.key)
        self.fact = fact


class HighlightOption(Option):
    def __init__(self, lines: list[list[Piece]], highlight: Highlight) -> None:
        super().__init__(lines, id="highlight:" + highlight.id)
        self.highlight = highlight


class FactsPanel(CachedLinesView, can_focus=True):
    DEFAULT_CSS = """
    FactsPanel > .facts--edge { color: $foreground 20%; }
    FactsPanel > .facts--group { text-style: bold underline; color: $text-secondary; }
    FactsPanel > .facts--name { text-style: bold; }
    FactsPanel > .facts--detail { color: $text-muted; }
    FactsPanel > .facts--count { color: $text-muted; }
    FactsPanel > .facts--cursor { background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold; }
    FactsPanel > .facts--cursor-blurred { background: $block-cursor-blurred-background; }
    """

    COMPONENT_CLASSES = {
        "facts--group", "facts--name", "facts--detail", "facts--count", "facts--cursor", "facts--cursor-blurred",
        "facts--edge",
    }

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", id="facts.down", show=False),
        Binding("k,up", "cursor_up", "Up", id="facts.up", show=False),
        Binding("g,home", "first", "Top", id="facts.top", show=False),
        Binding("G,end", "last", "Bottom", id="facts.bottom", show=False),
        Binding("pagedown", "page(1)", "Page down", id="facts.page_down", show=False),
        Binding("pageup", "page(-1)", "Page up", id="facts.page_up", show=False),
        Binding("enter", "select", "Mark mentions", id="facts.select"),
        Binding("f", "filter", "Filter list", id="facts.filter"),
    ]

    # No repaint of the whole widget when the cursor moves: the watcher redraws the two rows.
    highlighted: reactive[int | None] = reactive(None, always_update=True, repaint=False)

    class FactChosen(Message):
        def __init__(self, fact: ShownFact) -> None:
            super().__init__()
            self.fact = fact

    class HighlightChosen(Message):
        def __init__(self, highlight: Highlight) -> None:
            super().__init__()
            self.highlight = highlight

    class FilterByFact(Message):
        """``f``: filter the list by the fact under the cursor (``current_fact``)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(cache_size=512, **kwargs)
        self.options: list[Option] = []
        self._rows: list[tuple[int, Text]] = []  # (option index, one line of its prompt)
        self._starts: list[int] = []  # first row of each option
        self._brief_path: str | None = None
        self.draft_keys: set[str] = set()  # facts of a draft not reviewed yet: "?" before them

    # ------------------------------------------------------------------ content

    def show_facts(self, brief: FactsBrief, highlights: list[Highlight] | None = None) -> None:
        """Fact groups, then the reader's highlights (keeping the cursor where it was);
        ``highlights`` None: not read yet (the group says so)."""
        keep = self.highlighted_option.id if self.highlighted_option is not None else None
        same_brief = self._brief_path == brief.path
        self._brief_path = brief.path
        options: list[Option] = []
        group_style = self.component_style("facts--group")
        for kind, facts in brief.facts.items():
            options.append(Option([[(f"{group_title(kind)} ({len(facts)})", group_style)]], disabled=True))
            if not facts:
                options.append(Option([[("  none", DIM)]], disabled=True))
            for fact in facts:
                options.append(FactOption(self._prompt(fact), fact))
        if highlights is None:
            options.append(Option([[("Highlights", group_style)]], disabled=True))
            options.append(Option([[("  …", DIM)]], disabled=True))
            highlights = []
        else:
            options.append(Option([[(f"Highlights ({len(highlights)})", group_style)]], disabled=True))
            if not highlights:
                options.append(Option([[("  none yet: h highlights a sentence", DIM)]], disabled=True))
        for h in highlights:
            options.append(HighlightOption(self._highlight_prompt(h), h))
        self._set_options(options)
        if same_brief and keep is not None:
            try:
                self.highlighted = self.get_option_index(keep)
                return
            except KeyError:
                pass
        self.highlighted = self._enabled_from(0, 1)
        self.scroll_to(y=0, animate=False, force=True)  # keep the first group's heading in view

    def show_nothing(self, message: str = "") -> None:
        self._brief_path = None
        self._set_options([Option([[(message, DIM)]], disabled=True)] if message else [])
        self.highlighted = None

    def _set_options(self, options: list[Option]) -> None:
        self.options = options
        self._rows, self._starts = [], []
        for i, option in enumerate(options):
            self._starts.append(len(self._rows))
            self._rows.extend((i, line) for line in option.lines)
        self._cache.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._rows))
        self.refresh()

    def _highlight_prompt(self, h: Highlight) -> list[list[Piece]]:
        name = self.component_style("facts--name")
        detail = self.component_style("facts--detail")
        first: list[Piece] = [("⚠ orphan: ", BOLD)] if h.orphan else []
        if is_in_file(h):  # a .highlight span of the file itself
            first.append(("in the file: ", detail))
        first.append(("“" + " ".join(h.exact.split()) + "”", name))
        lines = [first]
        if h.note:
            lines.append([("\u00a0\u00a0✎ " + " ".join(h.note.split()), detail)])
        return lines

    def _draft_mark(self, fact: ShownFact) -> list[Piece]:
        return [("? ", BOLD)] if fact.key in self.draft_keys else []

    def _prompt(self, fact: ShownFact) -> list[list[Piece]]:
        name = self.component_style("facts--name")
        detail = self.component_style("facts--detail")
        count = self.component_style("facts--count")
        if fact.type == "date":
            # The date in words, then its ISO value dim (what `facts --json` and the brief say).
            lines = [[*self._draft_mark(fact), (fact.label, name), (f" ×{fact.mentions}", count)]]
            if fact.iso != fact.label:
                lines[0].append((f"  {fact.iso}", detail))
            if fact.texts:
                lines.append([("\u00a0\u00a0" + "; ".join(fact.texts), detail)])
            return lines
        lines = [[*self._draft_mark(fact), (fact.name, name), (f" ×{fact.mentions}", count)]]
        details = [d for d in (fact.role, fact.country, fact.kind) if d]
        if details:
            lines.append([("\u00a0\u00a0" + " · ".join(details), detail)])
        return lines

    # ------------------------------------------------------------------ the cursor

    @property
    def option_count(self) -> int:
        return len(self.options)

    @property
    def highlighted_option(self) -> Option | None:
        i = self.highlighted
        return self.options[i] if i is not None and 0 <= i < len(self.options) else None

    @property
    def current_fact(self) -> ShownFact | None:
        option = self.highlighted_option
        return option.fact if isinstance(option, FactOption) else None

    def get_option_index(self, option_id: str) -> int:
        for i, option in enumerate(self.options):
            if option.id == option_id:
                return i
        raise KeyError(option_id)

    def validate_highlighted(self, value: int | None) -> int | None:
        if value is None or not 0 <= value < len(self.options) or self.options[value].disabled:
            return None
        return value

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        for index in {old, new} - {None}:
            if index < len(self._starts):
                self.refresh_rows(self._starts[index], self._height_of(index))
        if new is not None:
            self.scroll_rows_into_view(self._starts[new], self._height_of(new))

    def _height_of(self, index: int) -> int:
        end = self._starts[index + 1] if index + 1 < len(self._starts) else len(self._rows)
        return end - self._starts[index]

    def _enabled_from(self, start: int, step: int) -> int | None:
        """The first option that can take the cursor from ``start`` on, in direction ``step``."""
        i = start
        while 0 <= i < len(self.options):
            if not self.options[i].disabled:
                return i
            i += step
        return None

    def _move(self, start: int, step: int) -> None:
        target = self._enabled_from(start, step)
        if target is not None:
            self.highlighted = target

    def fact_keys(self) -> list[str]:
        """The facts' keys, in the sidebar's order."""
        return [o.fact.key for o in self.options if isinstance(o, FactOption)]

    def next_draft_fact(self, order: list[str], after: str) -> bool:
        """After a review step on fact ``after``: the cursor on the next fact not reviewed yet
        (``draft_keys``), in the sidebar's ``order`` before the step, else the first one left
        from the top. False when none is left (the cursor stays)."""
        index = {o.fact.key: i for i, o in enumerate(self.options) if isinstance(o, FactOption)}
        at = order.index(after) + 1 if after in order else 0
        for key in [*order[at:], *index]:
            if key in self.draft_keys and key in index:
                self.highlighted = index[key]
                return True
        return False

    def action_cursor_down(self) -> None:
        self._move(0 if self.highlighted is None else self.highlighted + 1, 1)

    def action_cursor_up(self) -> None:
        self._move(len(self.options) - 1 if self.highlighted is None else self.highlighted - 1, -1)

    def action_first(self) -> None:
        self._move(0, 1)
        self.scroll_to(y=0, animate=False, force=True)

    def action_last(self) -> None:
        self._move(len(self.options) - 1, -1)

    def action_page(self, step: int) -> None:
        if not self._rows:
            return
        row = self._starts[self.highlighted] if self.highlighted is not None else 0
        row = min(max(row + step * max(self.scrollable_content_region.height - 1, 1), 0), len(self._rows) - 1)
        index = self._rows[row][0]
        target = self._enabled_from(index, step)
        self._move(index, step if target is not None else -step)

    def action_select(self) -> None:
        option = self.highlighted_option
        if isinstance(option, FactOption):
            self.post_message(self.FactChosen(option.fact))
        elif isinstance(option, HighlightOption):
            self.post_message(self.HighlightChosen(option.highlight))

    def action_filter(self) -> None:
        self.post_message(self.FilterByFact())

    def on_click(self, event: events.Click) -> None:
        row = int(self.scroll_offset.y) + event.y
        if 0 <= row < len(self._rows):
            index = self._rows[row][0]
            if not self.options[index].disabled:
                self.highlighted = index
                self.action_select()

    # ------------------------------------------------------------------ drawing

    def on_resize(self, event: events.Resize) -> None:
        self._cache.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._rows))

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = int(self.scroll_offset.y) + y
        base = self.base_style
        if not 0 <= row < len(self._rows):
            return Strip([self._edge(), Segment(" " * max(width - 1, 0), base)])
        index, line = self._rows[row]
        cursor = index == self.highlighted
        key = (row, width, cursor, self.has_focus)
        strip = self._cache.get(key)
        if strip is None:
            style = base
            if cursor:
                style = base + self.component_style("facts--cursor" if self.has_focus else "facts--cursor-blurred")
            segments = [Segment(" ", style)] + [Segment(part, style + piece) for part, piece in line]
            strip = Strip(segments)
            room = max(width - 1, 0)  # after the edge
            if strip.cell_length > room:  # too long: cut, and say so in the style of the cut text
                cut = list(strip.crop(0, max(room - 1, 0)))
                strip = Strip([*cut, Segment("…", cut[-1].style if cut else style)])
            strip = Strip([self._edge(), *legible_segments(strip.adjust_cell_length(room, style))])
            self._cache[key] = strip
        return strip

    def _edge(self) -> Segment:
        """The sidebar's left edge, drawn with its lines: as a CSS border it would send every
        line through Textual's border drawing (~0.15 ms a line on each brief switch)."""
        style = self._component_rich_styles.get("edge")
        if style is None:
            # Its colour blended over the background, as a border's is (a component's partial
            # style would drop the colour's alpha).
            _, background = self.background_colors
            color = self.get_component_styles("facts--edge").color
            style = self._component_rich_styles["edge"] = self.base_style + Style(color=(background + color).rich_color)
        return Segment(EDGE, style)
