"""The unread workflow (newsboat's): is:unread / is:read / is:highlighted in the search line, n for
the next unread brief, A to mark every shown brief read (after a question); escape in the search
line keeps its filter, c clears it."""

from __future__ import annotations

from tests.test_app import BRIEFS, NEWEST, OLDER, ready
from briefing.ui.app import create_app
from briefing.ui.screens.confirm import ConfirmScreen
from briefing.ui.widgets.doc_list import DocList


def titles(app) -> list[str]:
    return [e.title for e in app.query_one(DocList).shown]


async def search(pilot, line: str, key: str = "enter") -> None:
    await pilot.press("slash")
    await pilot.pause()
    await pilot.press(*line, key)
    await pilot.pause(0.3)


async def test_is_filters_next_unread_and_mark_all_read(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        doc_list = app.query_one(DocList)
        await pilot.press("enter", "escape")  # open the newest (marks it read), back to the list
        await pilot.pause()
        assert doc_list.is_read(doc_list.shown[0]) and not doc_list.is_read(doc_list.shown[1])
        await search(pilot, "is:unread")
        assert titles(app) == [OLDER]
        await pilot.press("c")
        await pilot.pause(0.2)
        await search(pilot, "is:read")
        assert titles(app) == [NEWEST]
        await pilot.press("c")
        await pilot.pause(0.2)
        await search(pilot, "is:highlighted")
        assert titles(app) == []
        await pilot.press("c")
        await pilot.pause(0.2)
        # n: the next unread brief.
        doc_list.highlighted = 0
        await pilot.press("n")
        assert doc_list.current_entry.title == OLDER
        # A: mark every shown brief read, after a question (no: nothing changes).
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert not doc_list.is_read(doc_list.shown[1])
        await pilot.press("A")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert all(doc_list.is_read(e) for e in doc_list.shown)
        await pilot.press("n")  # nothing unread: it says so and stays
        await pilot.pause()
        assert doc_list.current_entry.title == OLDER
        assert any("No unread brief" in n.message for n in app._notifications)


async def test_escape_in_the_search_line_keeps_the_filter(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await search(pilot, "tag:defence", key="escape")
        doc_list = app.query_one(DocList)
        assert app.focused is doc_list
        assert doc_list.query_filter == "tag:defence" and titles(app) == [OLDER]
        await pilot.press("c")
        await pilot.pause(0.2)
        assert doc_list.query_filter == "" and titles(app) == [NEWEST, OLDER]
