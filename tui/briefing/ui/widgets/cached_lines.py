"""A ScrollView that draws lines through a cache, redrawn when focus or theme changes."""

from __future__ import annotations

from rich.style import Style
from textual.cache import LRUCache
from textual.geometry import Region
from textual.scroll_view import ScrollView
from textual.strip import Strip

from briefing.ui import _textual_compat as compat
from briefing.ui.widgets.quiet_scroll import QuietVirtualSize


class CachedLinesView(QuietVirtualSize, ScrollView):
    """Subclasses fill ``self._cache`` in ``render_line``; styles depend on focus and theme,
    so both drop every cached line."""

    def __init__(self, cache_size: int = 1024, **kwargs) -> None:
        super().__init__(**kwargs)
        self._cache: LRUCache[tuple, Strip] = LRUCache(cache_size)
        self._base_style: Style | None = None
        self._component_rich_styles: dict[str, Style] = {}
        self._final_lines: dict[int, tuple[Strip | None, Strip]] = {}  # y -> (our line, the line drawn)

    def component_style(self, name: str) -> Style:
        """A component class's style (partial), kept until the styles change: Textual
        recomputes it on every call (~50 µs), and a screen of lines asks for it hundreds of
        times."""
        style = self._component_rich_styles.get(name)
        if style is None:
            style = self._component_rich_styles[name] = self._solid_component_style(name)
        return style

    def _solid_component_style(self, name: str) -> Style:
        """Textual's partial style, with translucent colours ("$foreground 20%") blended over
        this widget's background and automatic ones ("auto 60%") worked out against it: Textual
        hands the first to Rich as the solid colour and the second as white, whatever the theme."""
        style = self.get_component_rich_style(name, partial=True)
        styles = self.get_component_styles(name)
        background = self.background_colors[1]
        solid = {}
        if styles.has_rule("background") and 0 < styles.background.a < 1:
            background = background + styles.background
            solid["bgcolor"] = background.rich_color
        if styles.has_rule("auto_color") and styles.auto_color:
            # "auto 60%" ($text-muted): a contrasting text colour, worked out against this background.
            solid["color"] = (background + background.get_contrast_text(styles.color.a)).rich_color
        elif styles.has_rule("color") and 0 < styles.color.a < 1:
            solid["color"] = (background + styles.color).rich_color
        return style + Style(**solid) if solid else style

    @property
    def base_style(self) -> Style:
        """``rich_style``, kept: Textual computes it afresh on every call by walking the
        ancestors' backgrounds (~0.1 ms), and every line drawn needs it."""
        if self._base_style is None:
            self._base_style = self.rich_style
        return self._base_style

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines in ``crop``, as Textual's style cache would give them for a widget with no
        border, padding, outline, tint or opacity: our lines, padded with the background, through
        the app's line filters. Textual builds about six strips per line on that path (~0.1 ms a
        line, most of a brief switch); anything beyond that plain box is left to Textual."""
        if not self._plain_box():
            return super().render_lines(crop)
        width = self.region.width
        content_width, content_height = self.content_region.size
        base_background, background = self.background_colors
        inner = Style(bgcolor=(base_background + background).rich_color)
        filters = self.get_line_filters()
        final = self._final_lines
        strips: list[Strip] = []
        for y in crop.line_range:
            line = self.render_line(y) if y < content_height else None
            kept = final.get(y)
            if kept is not None and kept[0] is line and line is not None:
                strip = kept[1]
            else:
                body = line.adjust_cell_length(content_width, inner) if line is not None else Strip.blank(content_width, inner)
                strip = Strip(list(body), width)
                for line_filter in filters:
                    strip = strip.apply_filter(line_filter, background)
                final[y] = (line, strip)
            strips.append(strip)
        if crop.column_span != (0, width):
            x1, x2 = crop.column_span
            strips = [strip.crop(x1, x2) for strip in strips]
        return strips

    def _plain_box(self) -> bool:
        styles = self.styles
        if any(styles.gutter) or compat.has_border_titles(self):
            return False
        if any(kind for kind, _ in styles.outline) or styles.tint.a or self.opacity != 1.0 or styles.text_opacity != 1.0:
            return False
        if styles.has_rule("hatch") and styles.hatch != "none":
            return False
        hover = self.hover_style
        return not (self.auto_links and hover.link_id and hover.meta and "@click" in hover.meta)

    def scroll_rows_into_view(self, top: int, count: int) -> None:
        """Scroll the least that shows virtual lines ``top`` .. ``top + count - 1``."""
        height = self.scrollable_content_region.height
        if height <= 0:
            return  # not laid out yet: the first rows show anyway
        y = int(self.scroll_offset.y)
        if top < y:
            self.scroll_to(y=top, animate=False, force=True)
        elif top + count > y + height:
            self.scroll_to(y=top + count - height, animate=False, force=True)

    def refresh_rows(self, y: int, count: int = 1) -> None:
        """Redraw ``count`` lines from virtual line ``y``. Unlike ScrollView.refresh_lines, the
        region stops before the scrollbar: one that overlaps it has the whole bar redrawn."""
        self.refresh(Region(0, y - int(self.scroll_offset.y), self.scrollable_content_region.width, count))

    def redraw(self) -> None:
        self._cache.clear()
        self._base_style = None
        self._component_rich_styles.clear()
        self._final_lines.clear()
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
        self._final_lines.clear()
