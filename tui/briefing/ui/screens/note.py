"""Add or edit the note of a highlight."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from briefing.ui.screens.modal import Dialog


class NoteScreen(Dialog[str | None]):
    """Returns the new note ("" clears it), or None when cancelled."""
    DEFAULT_CSS = """
    NoteScreen { align: center middle; }
    NoteScreen #dialog { width: 80; height: auto; border: thick $primary; background: $surface; padding: 1 2; }
    NoteScreen #quote { margin: 1 0; color: $text-muted; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="note.cancel")]

    AUTO_FOCUS = "#note"

    def __init__(self, quote: str, note: str | None) -> None:
        super().__init__()
        self.quote = quote
        self.note = note or ""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text("Note on this highlight", style="bold"))
            excerpt = self.quote if len(self.quote) <= 160 else self.quote[:157] + "…"
            yield Static(Text("“" + excerpt + "”", style="italic"), id="quote")
            yield Input(value=self.note, placeholder="Your note (enter: save, esc: cancel; empty clears it)", id="note")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
