"""One line asked while reviewing a draft: a fact's new type, or a new mention's type."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from briefing.ui.screens.modal import Dialog


class ReviewPrompt(Dialog[str | None]):
    """Returns the answer (stripped), or None when cancelled."""

    DEFAULT_CSS = """
    ReviewPrompt { align: center middle; }
    ReviewPrompt #dialog { width: 76; height: auto; border: thick $primary; background: $surface; padding: 1 2; }
    ReviewPrompt #detail { margin: 1 0; color: $text-muted; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="review_prompt.cancel")]

    AUTO_FOCUS = "#answer"

    def __init__(self, question: str, detail: str, placeholder: str = "", value: str = "") -> None:
        super().__init__()
        self.question, self.detail, self.placeholder, self.value = question, detail, placeholder, value

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(self.question, style="bold"))
            yield Static(Text(self.detail), id="detail")
            yield Input(self.value, placeholder=self.placeholder, id="answer")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
