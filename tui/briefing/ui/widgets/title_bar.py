"""The one-line title bar: the app's name and the open brief's title.

Textual's Header shows its title in a Static that it updates with a layout of the whole
screen (~30 ms at 120x40), on every brief switch. This bar is one widget whose size never
depends on its text: a new title repaints one line. Like Header, the icon on the left opens
the command palette when clicked.
"""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widget import Widget

ICON = "⭘"
ICON_WIDTH = 8  # the icon and its padding, as Header draws it
RIGHT_SPACE = 10  # where Header keeps room for its clock: the title stays centred as before


class TitleBar(Widget):
    DEFAULT_CSS = """
    TitleBar { dock: top; width: 100%; height: 1; background: $panel; color: $foreground; }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "title", self._title_changed, init=False)
        self.watch(self.app, "sub_title", self._title_changed, init=False)
        if self.app.ENABLE_COMMAND_PALETTE:
            self.tooltip = "Click the icon for the command palette"

    def _title_changed(self, _value: str) -> None:
        self.refresh()

    def render(self) -> Content:
        width = self.size.width
        # Content(...) of a plain string is never read as markup; the sub-title is a brief's
        # title, sanitised when the brief was loaded.
        # Not App.format_title: it dims the sub-title, which then read at 4.2:1 in the light theme.
        sub = self.app.sub_title
        title = Content.assemble(Content(self.app.title), Content(" — " + sub)) if sub else Content(self.app.title)
        room = max(0, width - ICON_WIDTH - RIGHT_SPACE)
        icon = Content(f" {ICON}".ljust(ICON_WIDTH))
        return Content.assemble(icon, title.center(room, ellipsis=True) if room else Content(""))

    def on_click(self, event: events.Click) -> None:
        if event.x < ICON_WIDTH and self.app.ENABLE_COMMAND_PALETTE:
            event.stop()
            self.app.action_command_palette()
