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


# Inherited bindings that only add noise to the help screen.
HIDDEN_IN_HELP = {"scroll_left", "scroll_right", "page_left", "page_right", "help_quit", "scroll_home", "scroll_end"}


def key_sections(app, regions: list) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every binding of each (title, node) region, with the keys currently bound (after any
    remapping by keymap.toml), in binding order."""
    from briefing.ui import _textual_compat as compat

    keymap = compat.active_keymap(app)
    sections = []
    for title, node in regions:
        rows: dict[str, list[str]] = {}  # action -> keys, in binding order
        labels: dict[str, str] = {}
        bindings_map = compat.node_bindings(node).copy()
        if keymap:
            bindings_map.apply_keymap(keymap)  # as Textual does when it looks a key up
        for key, bindings in bindings_map.key_to_bindings.items():
            for b in bindings:
                if b.action in HIDDEN_IN_HELP or not b.description:
                    continue
                labels.setdefault(b.action, b.description)
                keys = rows.setdefault(b.action, [])
                if key not in keys:
                    keys.append(key)
        sections.append((title, [(",".join(keys), labels[action]) for action, keys in rows.items()]))
    sections[0][1].insert(0, ("tab,shift+tab", "Move between list, reading pane and facts"))
    return sections


def _key_names(app, keys: str) -> str:
    return ", ".join(app.get_key_display(Binding(k, "")) for k in keys.split(","))


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen #help { width: 80; max-height: 90%; border: thick $primary; background: $surface; padding: 1 2; }
    """

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
