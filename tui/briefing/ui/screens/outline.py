"""The outline (``O`` in the pane): the brief's headings, indented by level; ``enter`` jumps to one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from briefing.ui.screens.modal import Dialog

if TYPE_CHECKING:
    from briefing.session.shapes import ShownBrief


def headings(brief: ShownBrief) -> list[tuple[int, int, str]]:
    """(offset, level, text) of each heading of the brief, in order."""
    return [(b.start, b.level, " ".join(brief.text[b.start:b.end].split()))
            for b in brief.blocks if b.kind == "heading"]


class OutlineScreen(Dialog[int | None]):
    """Dismissed with the offset of the chosen heading, or None."""

    DEFAULT_CSS = """
    OutlineScreen { align: center middle; }
    OutlineScreen #dialog { width: 80; max-height: 80%; height: auto; border: thick $primary; background: $surface; padding: 1 2; }
    OutlineScreen OptionList { height: auto; max-height: 30; border: none; }
    """

    BINDINGS = [
        Binding("escape,q,O", "dismiss_none", "Close", id="outline.close"),
        Binding("j", "cursor(1)", "Down", id="outline.down", show=False),
        Binding("k", "cursor(-1)", "Up", id="outline.up", show=False),
    ]

    AUTO_FOCUS = "#outline"

    def __init__(self, brief: ShownBrief, current: int = 0) -> None:
        super().__init__()
        self.items = headings(brief)
        self.current = current
        self.title_text = brief.meta.title
        # Held, not queried (nor focused in on_mount, AUTO_FOCUS does it): a dialog opened as
        # the app quits gets on_mount without its widgets (issue 15's NoMatches race). Text
        # objects, never markup: headings are the brief's own words.
        self.options = OptionList(*[Option(Text("  " * max(level - 1, 0) + text)) for _, level, text in self.items],
                                  id="outline")

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(f"Outline — {self.title_text}", style="bold", no_wrap=True, overflow="ellipsis"))
            if not self.items:
                yield Static(Text("This brief has no headings.", style="dim"))
            yield self.options

    def on_mount(self) -> None:
        if self.items:
            # The heading the reader is under: the last one at or before the cursor.
            before = [i for i, (offset, _, _) in enumerate(self.items) if offset <= self.current]
            self.options.highlighted = before[-1] if before else 0

    def action_cursor(self, step: int) -> None:
        options = self.options
        (options.action_cursor_down if step > 0 else options.action_cursor_up)()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.items[event.option_index][0])

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
