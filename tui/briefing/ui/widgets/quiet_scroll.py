"""For scrolling widgets whose size comes from CSS alone, never from their content.

Textual lays out the whole screen whenever a widget's virtual size changes (the reactive is
declared with ``layout=True``), because an ``auto``-sized widget may grow. The list, the
reading pane and the sidebar are sized by the stylesheet, so a new brief in them needs
their scrollbars updated and a repaint: a full layout and redraw of the screen cost ~30 ms
of every brief switch. A scrollbar that appears or disappears still asks for a layout
(``show_vertical_scrollbar`` is a layout reactive).

Their vertical scrollbar is a LineScrollBar: the same bar, drawn without Rich's console.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.scrollbar import ScrollBar

from briefing.ui import _textual_compat as compat
from briefing.ui.widgets.line_scrollbar import LineScrollBar


class QuietVirtualSize:
    """Mix in before a ScrollView class."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def watch_virtual_size(self, size: Size) -> None:
        if self.is_mounted:
            compat.scroll_update(self, size)

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        """As Widget.vertical_scrollbar, with a bar drawn straight into strips."""
        bar = compat.vertical_scrollbar_slot(self)
        if bar is None:
            bar = LineScrollBar(vertical=True, name="vertical", thickness=self.scrollbar_size_vertical)
            compat.set_vertical_scrollbar_slot(self, bar)
            bar.display = False
            compat.start_widget(self, bar)
        return bar
