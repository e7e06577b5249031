"""A ScrollView that draws lines through a cache, redrawn when focus or theme changes."""

from __future__ import annotations

from rich.style import Style
from textual.cache import LRUCache
from textual.geometry import Region
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.widgets.quiet_scroll import QuietVirtualSize


class CachedLinesView(QuietVirtualSize, ScrollView):
    """Subclasses fill ``self._cache`` in ``render_line``; styles depend on focus and theme,
    so both drop every cached line."""

    def __init__(self, cache_size: int = 1024, **kwargs) -> None:
        super().__init__(**kwargs)
        self._cache: LRUCache[tuple, Strip] = LRUCache(cache_size)
        self._base_style: Style | None = None
        self._component_rich_styles: dict[str, Style] = {}

    def component_style(self, name: str) -> Style:
        """A component class's style (partial), kept until the styles change: Textual
        recomputes it on every call (~50 µs), and a screen of lines asks for it hundreds of
        times."""
        style = self._component_rich_styles.get(name)
        if style is None:
            style = self._component_rich_styles[name] = self.get_component_rich_style(name, partial=True)
        return style

    @property
    def base_style(self) -> Style:
        """``rich_style``, kept: Textual computes it afresh on every call by walking the
        ancestors' backgrounds (~0.1 ms), and every line drawn needs it."""
        if self._base_style is None:
            self._base_style = self.rich_style
        return self._base_style

    def refresh_rows(self, y: int, count: int = 1) -> None:
        """Redraw ``count`` lines from virtual line ``y``. Unlike ScrollView.refresh_lines, the
        region stops before the scrollbar: one that overlaps it has the whole bar redrawn."""
        self.refresh(Region(0, y - int(self.scroll_offset.y), self.scrollable_content_region.width, count))

    def redraw(self) -> None:
        self._cache.clear()
        self._base_style = None
        self._component_rich_styles.clear()
        self.refresh()

    def on_focus(self) -> None:
        self.redraw()

    def on_blur(self) -> None:
        self.redraw()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()
        self._base_style = None
        self._component_rich_styles.clear()
