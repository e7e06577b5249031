"""SVG snapshots of the main screen (pytest-textual-snapshot). Update after a deliberate change
of looks with ``pytest tests/test_snapshots.py --snapshot-update`` and look at the SVGs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_app import BRIEFS, ready
from briefing.ui.app import create_app


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))


def _app():
    return create_app([BRIEFS])


async def _loaded(pilot) -> None:
    await ready(pilot.app, pilot)


def test_main_screen_80x24(snap_compare):
    assert snap_compare(_app(), terminal_size=(80, 24), run_before=_loaded)


def test_main_screen_120x40(snap_compare):
    assert snap_compare(_app(), terminal_size=(120, 40), run_before=_loaded)


def test_fact_selected_120x40(snap_compare):
    async def select_fact(pilot):
        await _loaded(pilot)
        await pilot.press("tab", "tab", "enter")
        await pilot.pause()

    assert snap_compare(_app(), terminal_size=(120, 40), run_before=select_fact)
