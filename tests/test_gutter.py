"""The reading pane's gutter: a bar beside a highlight, ✎ where a highlight with a note starts."""

from __future__ import annotations

from tests.test_app import BRIEFS, ready
from tests.test_app_highlights import data  # noqa: F401  (fixture)
from briefing.ui.app import create_app
from briefing.ui.widgets.reading_pane import ReadingPane


def gutter(pane: ReadingPane) -> list[str]:
    """Column 0 of every line of the brief's text (the header lines have none)."""
    width = pane.scrollable_content_region.width
    rows = range(len(pane._header), len(pane._header) + len(pane._layout.lines))
    return [pane._render_row(row, width).text[:1] for row in rows]


async def test_a_highlight_with_a_note_shows_a_pencil_in_the_gutter(data):  # noqa: F811
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("enter", "j", "h")
        pane = app.query_one(ReadingPane)
        marks = [c for c in gutter(pane) if c.strip()]
        assert marks and set(marks) == {"▌"}  # no note yet: the bar alone
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"why", "enter")
        await pilot.pause()
        marks = [c for c in gutter(pane) if c.strip()]
        assert marks[0] == "✎" and set(marks[1:]) <= {"▌"}  # the pencil where it starts
        assert len(marks) > 1, "a two-line highlight keeps its bar on the next lines"
