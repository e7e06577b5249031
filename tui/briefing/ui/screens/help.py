"""The help screen (``?``/F1): every key of every region, read from the live bindings so a
remapped key shows as remapped."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from briefing.ui.screens.modal import Dialog


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


SEARCH_SYNTAX = [
    ("kishida trade", "briefs with every word (title, text, facts); the last word as a prefix"),
    ('"a phrase"  -word', "a phrase; leave out briefs with a word"),
    ("leader:kish  region:Taiwan", "briefs that mention a fact: its name or the start of a word of it"),
    ("date:2024-06", "a date and every date within it (days, weeks); date:2024-Q1, date:2024-W25"),
    ("tag:security", "briefs with a tag"),
    ("from:2023  to:2024-06", "published from / to (a year, a month or a day); also after: / before:"),
    ("is:unread  is:read  is:highlighted", "by what you did with them"),
]


class HelpScreen(Dialog[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen #help { width: 100; max-width: 95%; max-height: 90%; border: thick $primary; background: $surface; padding: 1 2; }
    """

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close"),
        Binding("j,down", "scroll(1)", "Down", id="help.down", show=False),
        Binding("k,up", "scroll(-1)", "Up", id="help.up", show=False),
        Binding("space,pagedown", "page(1)", "Page down", id="help.page_down", show=False),
        Binding("b,pageup", "page(-1)", "Page up", id="help.page_up", show=False),
        Binding("g,home", "edge(0)", "Top", id="help.top", show=False),
        Binding("G,end", "edge(1)", "Bottom", id="help.bottom", show=False),
    ]

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__()
        self.sections = sections  # (region, [(keys, description)])

    def _table(self, rows: list[tuple[str, str]]) -> Table:
        # A region's keys: the keys' column as wide as its keys, the description the rest (a
        # region's title in the keys' column made it 60 wide: 14 were left for descriptions).
        table = Table.grid(padding=(0, 2), expand=True)
        table.add_column(style="bold", no_wrap=True)
        table.add_column(ratio=1)
        for keys, description in rows:
            table.add_row(Text(_key_names(self.app, keys)), Text(description))
        return table

    def compose(self) -> ComposeResult:
        syntax = Table.grid(padding=(0, 2))
        syntax.add_column(style="bold", no_wrap=True)
        syntax.add_column()
        for example, meaning in SEARCH_SYNTAX:
            syntax.add_row(Text(example), Text(meaning))
        with VerticalScroll(id="help"):
            yield Static(Text("briefing — keys (j/k scroll, g/G top/bottom, Esc closes)", style="bold"))
            for region, rows in self.sections:
                yield Static(Text(region, style="bold underline"))
                yield Static(self._table(rows))
                yield Static(Text(""))
            yield Static(Text("Searching the list (/): words and filters combine", style="bold underline"))
            yield Static(syntax)
            yield Static(Text("\nThe mouse works too: click a brief, a fact or a link. Esc closes this help.", style="dim"))

    def _scroller(self) -> VerticalScroll:
        return self.query_one("#help", VerticalScroll)

    def action_scroll(self, step: int) -> None:
        self._scroller().scroll_relative(y=step, animate=False)

    def action_page(self, step: int) -> None:
        scroller = self._scroller()
        scroller.scroll_relative(y=step * max(scroller.scrollable_content_region.height - 1, 1), animate=False)

    def action_edge(self, end: int) -> None:
        (self._scroller().scroll_end if end else self._scroller().scroll_home)(animate=False)

    def action_dismiss(self) -> None:
        self.dismiss(None)
