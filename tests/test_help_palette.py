"""The help screen scrolls by keys and explains the search line; the palette lists each command once."""

from __future__ import annotations

from textual.containers import VerticalScroll

from tests.test_app import BRIEFS, ready
from briefing.ui.app import create_app
from briefing.ui.screens.help import HelpScreen


async def test_help_scrolls_with_j_k_g_G_and_explains_search(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))
    app = create_app([BRIEFS])
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        scroller = app.screen.query_one("#help", VerticalScroll)
        assert scroller.max_scroll_y > 0  # 80x24: more than a screen
        await pilot.press("G")
        await pilot.pause()
        assert scroller.scroll_y == scroller.max_scroll_y
        await pilot.press("g")
        await pilot.pause()
        assert scroller.scroll_y == 0
        await pilot.press("j", "j")
        await pilot.pause()
        assert scroller.scroll_y == 2
        await pilot.press("k")
        await pilot.pause()
        assert scroller.scroll_y == 1
        await pilot.press("G")
        await pilot.pause()
        shot = app.export_screenshot()  # what is on screen at the bottom of the help
        assert "date:2024-06" in shot and "leader:kish" in shot and "is:unread" in shot


async def test_the_palette_lists_quit_once(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        await pilot.press(*"quit")
        await pilot.pause(0.5)
        from textual.command import CommandList

        options = app.screen.query_one(CommandList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert sum("Quit" in p for p in prompts) == 1, prompts
