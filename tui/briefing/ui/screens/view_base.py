"""What the screens of the views across briefs share (timeline, profile, compare, related):
a full screen with a one-line title, an optional summary and sparkline, a list of rows and
the footer; the rows are computed by a worker thread (briefing.views reads the index) and
arrive as a message, so the reader never waits on them.

A row is Rich Text built by offset from brief text (names, titles, sentences): never
markup. A row may lead somewhere: (path, offset) opens that brief at that place, with
``enter``; headings are disabled rows the cursor skips.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from briefing.core.sanitize import terminal_line

DIM = Style(dim=True)
BOLD = Style(bold=True)
MARK = Style(bold=True, underline=True)


def plain(text: str | None) -> str:
    """Brief text made one safe line (control characters as pictures, no newlines)."""
    return terminal_line(text or "")


def marked(sentence: str, start: int, end: int, style: Style = MARK) -> Text:
    """A sentence with one mention styled, by offset (never markup)."""
    text = Text(plain(sentence), no_wrap=False)
    text.stylize(style, start, end)
    return text


def file_names(rows: list[tuple[str, str]]) -> dict[str, str]:
    """For briefs given as (path, title) rows: the file name of each whose title another has too
    (two copies, two wires of one story: the same title and often the same date), to tell them
    apart in a view; with its folder when the file names are the same too."""
    from collections import Counter
    from pathlib import Path

    same = Counter(title for _, title in rows)
    twins = [path for path, title in rows if same[title] > 1]
    names = Counter(Path(p).name for p in twins)
    return {p: plain(Path(p).name if names[Path(p).name] == 1 else str(Path(Path(p).parent.name) / Path(p).name))
            for p in twins}


def two_columns(left: Text, right: Text, width: int) -> Table:
    """A row as two columns: ``left`` (``width`` cells) and ``right`` wrapping beside it."""
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(width=width, no_wrap=True, overflow="ellipsis")
    grid.add_column(ratio=1)
    grid.add_row(left, right)
    return grid


@dataclass
class Row:
    text: Text | Table
    target: tuple[str, int] | None = None  # (path, offset in the displayed text) to open
    heading: bool = False


@dataclass
class Computed:
    title: str
    summary: list[Text]
    rows: list[Row]
    spark: list[int] | None = None
    spark_label: str = ""
    more: bool = False  # a page more may follow (the timeline)


class ViewReady(Message):
    def __init__(self, computed: Computed | None, error: str | None, append: bool) -> None:
        super().__init__()
        self.computed, self.error, self.append = computed, error, append


class ViewScreen(Screen[tuple[str, int] | None]):
    """Dismissed with (path, offset) when a row is opened, else None."""

    BINDINGS = [
        Binding("escape,q", "dismiss(None)", "Back", id="views.back"),
        Binding("enter", "open", "Open", id="views.open"),
        Binding("j", "cursor_down", "Down", show=False, id="views.down"),
        Binding("k", "cursor_up", "Up", show=False, id="views.up"),
    ]
    DEFAULT_CSS = """
    ViewScreen #view-title { height: 1; padding: 0 1; background: $boost; text-style: bold; }
    ViewScreen #view-summary { height: auto; max-height: 6; padding: 0 1; color: $text-muted; }
    ViewScreen #view-spark { height: 2; margin: 0 1; }
    ViewScreen #view-spark-label { height: 1; padding: 0 1; color: $text-muted; }
    /* The scrollbar's column kept from the start: a row's height is computed at the width
       the rows have, and one computed before the scrollbar came cut a row's last line. */
    ViewScreen #view-rows { height: 1fr; border: none; scrollbar-gutter: stable; }
    """
    LOADING = "Working…"
    AUTO_FOCUS = "#view-rows"

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Row] = []
        self.more = False
        self._loading_more = False
        # Held, not queried, and focused by AUTO_FOCUS: a view opened as the app quits gets
        # on_mount without its widgets (issue 15's NoMatches race).
        self.title_line = Static(self.LOADING, id="view-title", markup=False)
        self.summary = Static("", id="view-summary", markup=False)
        self.spark = Sparkline([], id="view-spark")
        self.spark_label = Static("", id="view-spark-label", markup=False)
        self.options = OptionList(id="view-rows")
        for hidden in (self.summary, self.spark, self.spark_label):
            hidden.display = False

    def compose(self) -> ComposeResult:
        yield self.title_line
        yield self.summary
        yield self.spark
        yield self.spark_label
        yield self.options
        yield Footer()

    def on_mount(self) -> None:
        self._compute(False)

    # -- computing (a worker thread) ------------------------------------------------

    def compute(self, more: bool) -> Computed:
        """The rows (more: the next page); runs on a worker thread. Raise LookupError or
        ValueError with a message for the user."""
        raise NotImplementedError

    @work(thread=True, exclusive=True, group="view", description="_compute")
    def _compute(self, more: bool) -> None:
        try:
            computed, error = self.compute(more), None
        except (LookupError, ValueError) as exc:
            computed, error = None, str(exc)
        self.post_message(ViewReady(computed, error, more))

    @on(ViewReady)
    def _ready(self, event: ViewReady) -> None:
        self._loading_more = False
        title = self.title_line
        if event.error is not None:
            title.update(Text(plain(event.error)))
            self.app.tell(event.error, severity="warning")
            return
        c = event.computed
        title.update(Text(plain(c.title)))
        summary = self.summary
        if c.summary and not event.append:
            summary.update(Text("\n").join(c.summary))
            summary.display = True
        if c.spark and not event.append:
            spark = self.spark
            spark.data = c.spark
            spark.display = True
            label = self.spark_label
            label.update(Text(plain(c.spark_label)))
            label.display = True
        options = self.options
        if not event.append:
            self.rows = []
            options.clear_options()
        self.rows.extend(c.rows)
        self.more = c.more
        options.add_options([Option(r.text, disabled=r.heading) for r in c.rows])
        if options.highlighted is None:
            first = next((i for i, r in enumerate(self.rows) if not r.heading), None)
            if first is not None:
                options.highlighted = first

    # -- keys ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # The app-wide keys that act on the main screen (t, c, e, /) do nothing here: hidden.
        return hasattr(self, f"action_{action}")

    def action_cursor_down(self) -> None:
        self.options.action_cursor_down()

    def action_cursor_up(self) -> None:
        self.options.action_cursor_up()

    def action_open(self) -> None:
        options = self.options
        if options.highlighted is not None:
            row = self.rows[options.highlighted]
            if row.target is not None:
                self.dismiss(row.target)

    @on(OptionList.OptionHighlighted)
    def _near_the_end(self, event: OptionList.OptionHighlighted) -> None:
        if self.more and not self._loading_more and event.option_index >= len(self.rows) - 10:
            self._loading_more = True
            self._compute(True)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        row = self.rows[event.option_index]
        if row.target is not None:
            self.dismiss(row.target)
