"""The list's width (keys, mouse drag on its border) and the settings the reader keeps in
settings.toml: theme, list width, sort order, sidebar; problems reported once at start."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from tests.test_app import BRIEFS, ready
from briefing.ui.app import create_app
from briefing.ui.widgets.doc_list import DocList
from briefing.ui.widgets.list_column import ListColumn


def config() -> Path:
    return Path(os.environ["BRIEFING_CONFIG_DIR"])


def saved() -> dict:
    path = config() / "settings.toml"
    return tomllib.loads(path.read_text()) if path.exists() else {}


async def test_keys_and_drag_widen_the_list_and_it_is_remembered(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        column = app.screen.query_one(ListColumn)
        before = column.width_now
        await pilot.press("greater_than_sign", "greater_than_sign")
        await pilot.pause()
        assert column.width_now == before + 8 and saved()["list_width"] == before + 8
        await pilot.press("less_than_sign")
        await pilot.pause()
        assert column.width_now == before + 4
        # Drag the border (the column's last cell) to column 60.
        edge = column.region.right - 1
        await pilot.mouse_down(app.screen, offset=(edge, 5))
        await pilot.hover(app.screen, offset=(60, 5))
        await pilot.mouse_up(app.screen, offset=(60, 5))
        await pilot.pause()
        assert column.width_now == 61 - column.region.x and edge != column.region.right - 1
        assert saved()["list_width"] == column.width_now
        await pilot.press("s")  # the order is kept too
        await pilot.pause()
        assert saved()["sort"] == "title"
        await pilot.press("t")
        await pilot.pause()
        assert saved()["sidebar"] is False
        app.theme = "textual-light"
        await pilot.pause()
        assert saved()["theme"] == "textual-light"
    width = saved()["list_width"]
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        assert app.screen.query_one(ListColumn).width_now == width
        assert app.screen.query_one(DocList).sort_by == "title"
        assert app.screen.has_class("-hide-facts") and app.theme == "textual-light"


async def test_after_s_the_top_row_is_a_title(tmp_path, monkeypatch):
    """Rows are two lines: the list scrolls by whole rows, whatever its height."""
    from bench.corpus import generate_corpus

    folder = tmp_path / "many"
    generate_corpus(folder, 40, seed=3, size_kb=1)
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))
    app = create_app([folder])
    async with app.run_test(size=(100, 27)) as pilot:  # an odd list height
        await ready(app, pilot)
        doc_list = app.screen.query_one(DocList)
        for keys in (["G"], ["s"], ["k", "k", "k"], ["s"], ["pagedown"], ["j"] * 5):
            await pilot.press(*keys)
            await pilot.pause()
            assert int(doc_list.scroll_offset.y) % 2 == 0, keys
            top = int(doc_list.scroll_offset.y) // 2
            assert doc_list.render_line(0).text.strip(" •").startswith(doc_list.shown[top].title[:10]), keys


async def test_unknown_settings_and_binding_ids_are_reported_once(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))
    (config() / "settings.toml").write_text('colour = "red"\nlist_width = 36\n')
    (config() / "keymap.toml").write_text('[keys]\n"pane.hilite" = "H"\n"list.sort" = "o"\n')
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.pause(0.5)
        messages = [n.message for n in app._notifications]
        assert sum("unknown setting 'colour'" in m for m in messages) == 1
        assert sum("'pane.hilite'" in m for m in messages) == 1
        assert not any("list.sort" in m for m in messages)
        assert app.screen.query_one(ListColumn).width_now == 36
