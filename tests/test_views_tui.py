"""Pilot tests of the views across briefs in the reader (T timeline, P profile, m/M compare,
R related), at 80x24: what they show, enter opening a brief at the place, the list's filters
applying, brief text shown inert; and their SVG snapshots."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from briefing.ui.app import create_app
from briefing.ui.screens.compare import CompareScreen
from briefing.ui.screens.profile import ProfileScreen
from briefing.ui.screens.related import RelatedScreen
from briefing.ui.screens.timeline import TimelineScreen
from briefing.ui.screens.view_base import ViewScreen
from briefing.ui.widgets.facts_panel import FactsPanel
from tests.test_app import BRIEFS, NEWEST, OLDER, fact_index, ready


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))


async def shown(app, pilot, kind, timeout: float = 10.0) -> ViewScreen:
    """Wait until a view of ``kind`` is on top with its rows computed."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        await pilot.pause(0.05)
        screen = app.screen
        if isinstance(screen, kind) and screen.rows:
            await pilot.pause()
            return screen
    raise AssertionError(f"{kind.__name__} never showed rows (top: {app.screen!r})")


def plain_rows(screen: ViewScreen) -> list[str]:
    out = []
    for row in screen.rows:
        if hasattr(row.text, "plain"):
            out.append(row.text.plain)
        else:  # a grid of two Texts
            out.append(" ".join(c.plain for col in row.text.columns for c in col._cells))
    return out


async def test_timeline_in_date_order_and_enter_opens_the_sentence():
    app = create_app([BRIEFS])
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        await pilot.press("T")
        screen = await shown(app, pilot, TimelineScreen)
        rows = plain_rows(screen)
        assert rows[0].startswith("1949") and "civil war" in rows[0]
        assert any(r.startswith("end of May 2024") or r.startswith("end of") for r in rows)
        i = next(k for k, r in enumerate(rows) if "November 2023" in r)
        path, start = screen.rows[i].target
        await pilot.press(*["j"] * i, "enter")
        await pilot.pause(0.3)
        main = app.main
        assert app.screen is main and main.current_path == path and Path(path).name.startswith("2024")
        s, e = main.pane.cursor_range
        assert s <= start < e and "November 2023" in main.pane.brief.text[s:e]


async def test_timeline_follows_the_search_line():
    app = create_app([BRIEFS])
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        await app.main._apply_list_query('leader:"Christopher Luxon"').wait()  # the search worker
        await pilot.pause()
        await pilot.press("T")
        screen = await shown(app, pilot, TimelineScreen)
        assert {Path(r.target[0]).name[:4] for r in screen.rows} == {"2024"}
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main


async def test_profile_from_the_facts_sidebar():
    app = create_app([BRIEFS])
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        await pilot.press("t")  # the sidebar, collapsed at 80 columns
        panel = app.query_one(FactsPanel)
        panel.focus()
        panel.highlighted = fact_index(panel, "Fumio Kishida")
        await pilot.press("P")
        screen = await shown(app, pilot, ProfileScreen)
        assert "Profile: Fumio Kishida (leader)" in str(screen.query_one("#view-title").render())
        rows = plain_rows(screen)
        assert rows[0] == "Briefs (2), newest first"
        assert rows[1].endswith(NEWEST) and "×5" in rows[1] and rows[2].endswith(OLDER) and "×4" in rows[2]
        contexts = [r for r in screen.rows[4:]]
        assert len(contexts) == 9
        assert screen.query_one("#view-spark").display
        # the last sentence: in the 2022 brief
        await pilot.press("G")
        options = screen.query_one("#view-rows")
        options.highlighted = len(screen.rows) - 1
        target = screen.rows[-1].target
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.main.current_path == target[0] and Path(target[0]).name.startswith("2022")
        s, e = app.main.pane.cursor_range
        assert s <= target[1] < e


async def test_palette_offers_profiles_by_name():
    app = create_app([BRIEFS])
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        await pilot.press(*"Profile: Luxon")
        await pilot.pause(0.5)
        await pilot.press("enter")
        screen = await shown(app, pilot, ProfileScreen)
        assert "Christopher Luxon" in str(screen.query_one("#view-title").render())


async def test_compare_marked_with_another():
    app = create_app([BRIEFS])
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        await pilot.press("M")  # nothing marked yet: says so, stays
        await pilot.pause()
        assert app.screen is app.main
        await pilot.press("m", "j", "M")  # A = the newest (2024), B = the 2022 brief
        screen = await shown(app, pilot, CompareScreen)
        rows = plain_rows(screen)
        assert rows[0] == "Leaders: 2 in both, 1 only in A, 0 only in B"
        assert "  both    Fumio Kishida  A ×5 · B ×4" in rows
        assert "  both    Jacinda Ardern  A ×1 · B ×9" in rows
        assert "  only A  Christopher Luxon  ×5" in rows


async def test_related_of_the_open_brief():
    app = create_app([BRIEFS])
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        await pilot.press("R")
        screen = await shown(app, pilot, RelatedScreen)
        (row,) = screen.rows
        assert Path(row.target[0]).name.startswith("2022")
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert Path(app.main.current_path).name.startswith("2022")


HOSTILE = """---
title: "Evil \\e]0;pwned\\a title"
published: 2024-05-02
---
[Mal\u202eory\x1bc]{.leader} met [Bob]{.leader} on [1 May 2024]{.date value=2024-05-01}; [Mal\u202eory\x1bc]{.leader} left.
"""


async def test_brief_text_in_views_is_inert(tmp_path):
    d = tmp_path / "h"
    d.mkdir()
    (d / "h.md").write_text(HOSTILE, encoding="utf-8")
    app = create_app([d])
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        await pilot.press("T")
        screen = await shown(app, pilot, TimelineScreen)
        for text in plain_rows(screen):
            assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
        await pilot.press("escape")
        app.main.profile_of("Bob", "leader")
        screen = await shown(app, pilot, ProfileScreen)
        for text in plain_rows(screen) + [str(screen.query_one("#view-summary").render())]:
            assert "\x1b" not in text and "\u202e" not in text
        svg = app.export_screenshot()
        assert "\x1b" not in svg and "pwned\x07" not in svg


def _app():
    return create_app([BRIEFS])


async def _loaded(pilot):
    await ready(pilot.app, pilot)


def _then(keys, kind):
    async def run(pilot):
        await _loaded(pilot)
        await pilot.press(*keys)
        await shown(pilot.app, pilot, kind)

    return run


def test_timeline_snapshot_80x24(snap_compare):
    assert snap_compare(_app(), terminal_size=(80, 24), run_before=_then(["T"], TimelineScreen))


def test_profile_snapshot_80x24(snap_compare):
    async def run(pilot):
        await _loaded(pilot)
        pilot.app.main.profile_of("Kishida")
        await shown(pilot.app, pilot, ProfileScreen)

    assert snap_compare(_app(), terminal_size=(80, 24), run_before=run)


def test_compare_snapshot_80x24(snap_compare):
    assert snap_compare(_app(), terminal_size=(80, 24), run_before=_then(["m", "j", "M"], CompareScreen))


def test_related_snapshot_80x24(snap_compare):
    assert snap_compare(_app(), terminal_size=(80, 24), run_before=_then(["R"], RelatedScreen))


async def test_a_large_brief_opens_at_the_place_from_a_worker(monkeypatch):
    import briefing.session.library as library

    app = create_app([BRIEFS])
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        await pilot.press("T")
        screen = await shown(app, pilot, TimelineScreen)
        i = next(k for k, r in enumerate(plain_rows(screen)) if "past two years" in r)  # in the 2022 brief
        path, start = screen.rows[i].target
        app.main.session.brief_cache.clear()
        monkeypatch.setattr(library, "small", lambda path, limit=0: False)  # as if it were large
        screen.query_one("#view-rows").highlighted = i
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.05)
            pane = app.main.pane
            if pane.brief is not None and pane.brief.path == path:
                break
        s, e = app.main.pane.cursor_range
        assert app.main.current_path == path and s <= start < e
