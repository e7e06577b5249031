"""A find and a fact's mention move the reading cursor (as less and vim move to a match):
``enter`` in the find box, ``n`` / ``N`` and ``enter`` on a fact put the cursor on the
sentence of the match, so ``h`` highlights that sentence and ``j`` goes on from it."""

from __future__ import annotations

from textual.widgets import Input

from briefing.ui.app import create_app
from briefing.ui.widgets.facts_panel import FactsPanel
from briefing.ui.widgets.reading_pane import ReadingPane
from tests.test_app import BRIEFS, data_dir, fact_index, ready  # noqa: F401  (fixture)


def inside(pane: ReadingPane, offset: int) -> bool:
    s, e = pane.cursor_range
    return s <= offset < e


async def test_enter_and_n_put_the_reading_cursor_on_the_match():
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("enter")
        pane = app.query_one(ReadingPane)
        text = pane.brief.text
        await pilot.press("slash", *"Kishida", "enter")
        await pilot.pause()
        assert app.focused is pane and not app.query_one("#find", Input).display
        first = pane.find_matches[pane.find_index][0]
        assert inside(pane, first) and pane.cursor > 0
        await pilot.press("n")
        await pilot.pause()
        match = pane.find_matches[pane.find_index][0]
        s, e = pane.cursor_range
        assert "He agreed with Kishida" in text[s:e] and s <= match < e
        # The match is shown, the cursor's line on screen.
        line = pane.line_y(pane._layout.line_of(match))
        assert pane.scroll_offset.y <= line < pane.scroll_offset.y + pane.scrollable_content_region.height
        await pilot.press("h")  # highlights the match's sentence, not the first one
        await pilot.pause()
        assert [(h.start, h.end) for h in pane.highlights] == [(s, e)]
        await pilot.press("N")
        await pilot.pause()
        assert inside(pane, first)
        await pilot.press("n", "j")  # j goes on from the match's sentence
        await pilot.pause()
        assert pane.cursor_range[0] >= e


async def test_right_after_a_find_still_selects_the_match():
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("enter", "slash", *"free and open", "enter")
        await pilot.pause()
        pane = app.query_one(ReadingPane)
        await pilot.press("right")
        await pilot.pause()
        assert pane.brief.text[slice(*pane.selection)] == "free and open"
        await pilot.press("escape", "n", "right")
        await pilot.pause()
        assert pane.brief.text[slice(*pane.selection)].lower() == "free and open"


async def test_enter_on_a_fact_puts_the_reading_cursor_on_its_mention():
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        pane = app.query_one(ReadingPane)
        panel = app.query_one(FactsPanel)
        panel.focus()
        panel.highlighted = fact_index(panel, "Fumio Kishida")
        await pilot.pause()
        for i in range(3):
            await pilot.press("enter")
            await pilot.pause()
            assert pane.fact_index == i
            assert inside(pane, pane.fact_spans[i][0])
        await pilot.press("tab")  # back to the pane: j goes on from the mention's sentence
        await pilot.pause()
        if app.focused is not pane:
            pane.focus()
        at = pane.cursor
        await pilot.press("j")
        await pilot.pause()
        assert pane.cursor == at + 1
