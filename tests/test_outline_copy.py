"""The outline of a brief's headings (O, enter jumps) and copy to the clipboard (y): only the
brief's text, the selection, else the highlight, else the sentence."""

from __future__ import annotations

from textual.widgets import OptionList

from tests.test_app import ready
from briefing.ui.app import create_app
from briefing.ui.screens.outline import OutlineScreen
from briefing.ui.widgets.reading_pane import ReadingPane

BRIEF = """---
title: Outline
---
# Summary

First sentence here. Second one follows.

## Background

Old news \x1b]0;PWNED\x07 from the wire.

## What next

Talks resume in June.
"""


async def test_outline_jumps_to_a_heading_and_y_copies_brief_text(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "o.md").write_text(BRIEF, encoding="utf-8")
    app = create_app([folder])
    copied: list[str] = []
    app.copy_to_clipboard = copied.append
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        await pilot.press("enter", "O")
        await pilot.pause()
        assert isinstance(app.screen, OutlineScreen)
        options = app.screen.query_one(OptionList)
        assert [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)] == [
            "Summary", "  Background", "  What next"]
        await pilot.press("j", "j", "enter")
        await pilot.pause()
        pane = app.screen.query_one(ReadingPane)
        assert not isinstance(app.screen, OutlineScreen) and app.focused is pane
        assert pane.brief.text[pane.cursor_range[0]:].startswith("What next")
        await pilot.press("j", "y")  # the sentence under the cursor
        await pilot.pause()
        assert copied[-1] == "Talks resume in June."
        await pilot.press("O")
        await pilot.pause()
        await pilot.press("k", "enter")
        await pilot.pause()
        await pilot.press("j", "y")
        await pilot.pause()
        assert "\x1b" not in copied[-1] and "\x07" not in copied[-1]  # nothing that could act in a terminal
        assert "\u241b]0;PWNED\u2407" in copied[-1]
        await pilot.press("h", "y")  # a highlight under the cursor: the highlight
        await pilot.pause()
        assert copied[-1] == copied[-2]
        assert any("Copied" in n.message for n in app._notifications)
