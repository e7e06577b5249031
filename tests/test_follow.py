"""Highlights follow a brief that moved (re-attached) or was copied (copied on request)."""

from __future__ import annotations

import shutil
from pathlib import Path

from briefing.core.parser import load_brief
from briefing.core.sentences import sentence_spans
from briefing.store import Store

SHIPPED = Path(__file__).resolve().parent.parent / "briefs" / "2024-06-19-japan-new-zealand-information-sharing-pact.md"


def setup(tmp_path):
    old = tmp_path / "inbox" / "brief.md"
    old.parent.mkdir()
    shutil.copy(SHIPPED, old)
    store = Store.open(tmp_path / "data")
    brief = load_brief(old)
    start, end = sentence_spans(brief)[1]
    store.add_highlight(brief, start, end, note="why")
    store.set_read(brief.path, True)
    return store, old


def test_a_moved_brief_gets_its_highlights_back(tmp_path):
    store, old = setup(tmp_path)
    new = tmp_path / "archive" / "renamed.md"
    new.parent.mkdir()
    old.rename(new)
    brief = load_brief(new)
    origin = store.origin_of(brief)
    assert origin is not None and origin.gone and origin.count == 1 and origin.by == "text"
    assert store.reattach(origin, brief) == 1
    (h,) = store.highlights(brief)
    assert h.note == "why" and not h.orphan
    assert store.get_state(brief.path)[0] is True  # the read mark came along
    assert store.origin_of(brief) is None  # it has its own now
    assert store.count() == 1  # nothing duplicated, nothing dropped


def test_a_moved_and_edited_brief_is_found_by_its_quotes(tmp_path):
    store, old = setup(tmp_path)
    new = tmp_path / "moved.md"
    new.write_text(old.read_text().replace("\n---\n", "\n---\nA new first paragraph.\n\n", 1))
    old.unlink()
    brief = load_brief(new)
    origin = store.origin_of(brief)
    assert origin is not None and origin.by == "quotes" and origin.gone
    store.reattach(origin, brief)
    (h,) = store.highlights(brief)
    assert brief.text[h.start:h.end].startswith("During their talks in Tokyo")


def test_a_copy_is_offered_the_highlights_and_the_original_keeps_them(tmp_path):
    store, old = setup(tmp_path)
    copy = tmp_path / "copy.md"
    shutil.copy(old, copy)
    brief = load_brief(copy)
    origin = store.origin_of(brief)
    assert origin is not None and not origin.gone
    assert store.copy_highlights(origin, brief) == 1
    assert len(store.highlights(brief)) == 1 and len(store.highlights(load_brief(old))) == 1
    assert store.count() == 2


def test_an_unrelated_brief_has_no_origin(tmp_path):
    store, old = setup(tmp_path)
    other = tmp_path / "other.md"
    other.write_text("---\ntitle: Other\n---\nNothing alike.\n")
    old.unlink()
    assert store.origin_of(load_brief(other)) is None


async def test_the_reader_reattaches_a_moved_briefs_highlights_and_says_so(tmp_path, monkeypatch):
    from tests.test_app import ready
    from briefing.ui.app import create_app
    from briefing.ui.widgets.reading_pane import ReadingPane

    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))
    store, old = setup(tmp_path)
    store.close()
    new = tmp_path / "archive" / "renamed.md"
    new.parent.mkdir()
    old.rename(new)
    app = create_app([new.parent])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        pane = app.screen.query_one(ReadingPane)
        for _ in range(40):
            await pilot.pause(0.05)
            if pane.highlights:
                break
        assert [h.note for h in pane.highlights] == ["why"]
        assert any("re-attached" in n.message and "inbox" in n.message for n in app._notifications)
