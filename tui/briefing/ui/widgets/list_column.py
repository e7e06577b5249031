"""The document list's column: its right border is a handle that widens or narrows it.

Drag the border with the mouse, or press ``<`` / ``>`` (app.list_narrower / app.list_wider);
the width is saved in settings.toml (``list_width``) by the screen's ``on_width`` callback.
"""

from __future__ import annotations

from typing import Callable

from textual import events
from textual.containers import Vertical

from briefing.settings import LIST_WIDTH_RANGE

MIN_PANE = 30  # columns the reading pane keeps however wide the list


class ListColumn(Vertical):
    def __init__(self, on_width: Callable[[int], None] | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self._on_width = on_width
        self._dragging = False

    def set_width(self, width: int) -> int:
        """Fix the column at ``width`` columns (clamped); returns the width set."""
        screen_width = self.app.size.width  # (0 before the first layout: then the range alone)
        most = LIST_WIDTH_RANGE[1]
        if screen_width:
            most = min(most, max(screen_width - MIN_PANE, LIST_WIDTH_RANGE[0]))
        width = max(LIST_WIDTH_RANGE[0], min(int(width), most))
        styles = self.styles
        styles.width = styles.min_width = styles.max_width = width
        self._width = width
        return width

    _width: int | None = None

    @property
    def width_now(self) -> int:
        """The width set last (keys pressed faster than a layout add up), else the laid-out one."""
        return self._width or self.outer_size.width

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.screen_x >= self.region.right - 1:  # the border: the handle
            self._dragging = True
            self.capture_mouse()
            event.stop()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._dragging:
            self.set_width(event.screen_x - self.region.x + 1)
            event.stop()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            self._dragging = False
            self.release_mouse()
            event.stop()
            if self._on_width is not None:
                self._on_width(self.width_now)
