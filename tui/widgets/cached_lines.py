"""A ScrollView that draws lines through a cache, redrawn when focus or theme changes."""

from __future__ import annotations

from textual.cache import LRUCache
from textual.scroll_view import ScrollView
from textual.strip import Strip


class CachedLinesView(ScrollView):
    """Subclasses fill ``self._cache`` in ``render_line``; styles depend on focus and theme,
    so both drop every cached line."""

    def __init__(self, cache_size: int = 1024, **kwargs) -> None:
        super().__init__(**kwargs)
        self._cache: LRUCache[tuple, Strip] = LRUCache(cache_size)

    def redraw(self) -> None:
        self._cache.clear()
        self.refresh()

    def on_focus(self) -> None:
        self.redraw()

    def on_blur(self) -> None:
        self.redraw()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()
