"""The help screen (``?``/F1): every key of every region, read from the live bindings so a
remapped key shows as remapped."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


def _key_names(app, keys: str) -> str:
    return ", ".join(app.get_key_display(Binding(k, "")) for k in keys.split(","))


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close")]

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__()
        self.sections = sections  # (region, [(keys, description)])

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for region, rows in self.sections:
            table.add_row(Text(region, style="bold underline"), Text(""))
            for keys, description in rows:
                table.add_row(Text(_key_names(self.app, keys)), Text(description))
            table.add_row(Text(""), Text(""))
        with VerticalScroll(id="help"):
            yield Static(Text("briefing — keys", style="bold"))
            yield Static(table)
            yield Static(Text("The mouse works too: click a brief, a fact or a link. Esc closes this help.", style="dim"))

    def action_dismiss(self) -> None:
        self.dismiss(None)
