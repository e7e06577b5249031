"""A vertical scrollbar drawn straight into strips.

Textual draws a scrollbar as a Rich renderable, through the console and its per-line style
machinery: ~1.5 ms for a 38-line bar, and a brief switch redraws two of them. This one asks
the same renderer for the same segments (the same glyphs, colours and click actions) and
makes one strip per line, then applies the app's line filters (NO_COLOR, ANSI colours) as
Textual would. Anything else (a horizontal bar, a thicker one, a custom renderer) is left to
Textual.
"""

from __future__ import annotations

from rich.color import Color
from rich.segment import Segment
from textual.geometry import Region
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip

_DEFAULT_BACK = Color.parse("#555555")
_DEFAULT_BAR = Color.parse("bright_magenta")


class LineScrollBar(ScrollBar):
    def render_lines(self, crop: Region) -> list[Strip]:
        width, height = self.size
        bar = self.render()
        if not self.vertical or width != 1 or height <= 0 or type(bar) is not ScrollBarRender:
            return super().render_lines(crop)
        style = bar.style
        segments = ScrollBarRender.render_bar(
            size=height, window_size=bar.window_size, virtual_size=bar.virtual_size, position=bar.position,
            thickness=1, vertical=True,
            back_color=style.bgcolor or _DEFAULT_BACK, bar_color=style.color or _DEFAULT_BAR,
        ).segments
        _, background = self.background_colors
        base = self.rich_style  # under each segment, as Textual's own drawing puts it
        filters = self.get_line_filters()
        strips = []
        for y in crop.line_range:
            if 0 <= y < len(segments):
                segment = segments[y]
                strip = Strip([Segment(segment.text, base + segment.style)], 1)
            else:
                strip = Strip.blank(1, base)
            for line_filter in filters:
                strip = strip.apply_filter(line_filter, background)
            strips.append(strip.crop(crop.x, crop.right))
        return strips
