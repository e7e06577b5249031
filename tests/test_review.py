"""Issue 16, in the reader: a raw .txt opens as a draft; the review keys; w writes the brief."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from briefing.core.parser import load_brief
from briefing.session.drafts import Draft, guess_date, raw_files
from briefing.ui.app import create_app
from briefing.ui.screens.review_prompt import ReviewPrompt
from textual.widgets import Input
from briefing.ui.widgets.facts_panel import FactOption, FactsPanel
from briefing.ui.widgets.reading_pane import ReadingPane

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_c0672818cc265857.txt"


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "briefs"
    d.mkdir()
    shutil.copy(SEED, d / SEED.name)
    return d


def facts_json(brief) -> dict:
    return {k: [f.as_json() for f in v] for k, v in brief.facts.items()}


# ---------------------------------------------------------------------- the draft (no UI)

def test_raw_file_beside_a_brief_is_hidden(folder):
    assert raw_files([folder]) == [folder / SEED.name]
    (folder / (SEED.stem + ".md")).write_text("---\ntitle: x\n---\nx\n")
    assert raw_files([folder]) == []


def test_review_operations_and_undo(folder):
    d = Draft.from_raw(str(folder / SEED.name))
    assert d.published_from == "mtime"  # the seed has no dateline
    n = d.pending
    assert n == len(d.brief().mentions) > 10
    key = d.fact_key(d.state.hits[0])
    d.accept_fact(key)
    assert key not in d.draft_fact_keys() and d.pending < n
    d.reject_fact(key)
    assert all(d.fact_key(h) != key for h in d.state.hits)
    assert d.undo() and any(d.fact_key(h) == key for h in d.state.hits)
    assert d.undo() and d.pending == n
    ardern, kishida = "ref:jacinda_ardern", "ref:fumio_kishida"
    d.merge(kishida, ardern)
    assert kishida not in {d.fact_key(h) for h in d.state.hits}
    d.undo()
    d.retype_fact(kishida, "person")
    assert [f.name for f in d.brief().facts.get("person", [])] == ["Fumio Kishida"]
    d.undo()
    text = d.brief().text
    at = text.index("Ukraine-Russia")
    d.add_mention(at, at + len("Ukraine-Russia crisis"), "event")
    assert [f.name for f in d.brief().facts["event"]] == ["Ukraine-Russia crisis"]
    with pytest.raises(ValueError):
        d.add_mention(at, at + 5, "event")  # overlaps the new one


def test_no_dateline_the_published_date_is_asked_and_dates_resolved_again(folder):
    """The file's date is never written as the published date unless a person gives it: the
    relative dates ('on 21 April' without a year) are resolved again against the date given,
    and the review steps are kept."""
    import datetime as dt

    d = Draft.from_raw(str(folder / SEED.name))
    assert d.published_from == "mtime" and not d.published_confirmed
    april = next(h for h in d.state.hits if h.type == "date" and d.body[h.start:h.end] == "21 April")
    assert april.value == f"{d.published.year}-04-21" or april.value.endswith("-04-21")
    text = d.brief().text
    at = text.index("three-day")
    d.add_mention(at, at + len("three-day"), "date", "2022-04-20")  # a date the person typed
    d.accept_fact(d.fact_key(april))
    with pytest.raises(ValueError, match="published date"):
        d.write()
    assert not (folder / (SEED.stem + ".md")).exists()
    d.set_published(dt.date(2022, 4, 22))
    assert d.published_confirmed and d.published_from == "confirmed"
    april = next(h for h in d.state.hits if h.type == "date" and d.body[h.start:h.end] == "21 April")
    assert april.value == "2022-04-21" and d.reviewed(april)  # resolved again, still accepted
    mine = next(h for h in d.state.hits if h.type == "date" and d.body[h.start:h.end] == "three-day")
    assert mine.value == "2022-04-20"
    brief = load_brief(d.write())
    assert brief.meta.published == dt.date(2022, 4, 22)
    assert "2022-04-21" in {f.value for f in brief.facts["date"]}
    d2 = Draft.from_raw(str(folder / SEED.name))
    d2.set_published(dt.date(2022, 4, 22))
    assert d2.undo() and not d2.published_confirmed and d2.published_from == "mtime"


def test_a_date_marked_with_its_prefilled_value_is_resolved_again(tmp_path):
    """`i` on words the resolver reads offers their value against the date in use (the file's,
    unconfirmed): kept as offered, it is resolved again when the published date is given."""
    import datetime as dt

    raw = tmp_path / "talks.txt"
    raw.write_text("Talks resume\n\nThe ministers met on Thursday and agreed.\n", encoding="utf-8")
    d = Draft.from_raw(str(raw))
    [hit] = [h for h in d.state.hits if h.type == "date"]
    d.reject_mention(hit)  # the person takes the drafted date out, then marks the words again
    text = d.brief().text
    at = text.index("on Thursday")
    prefilled = guess_date("on Thursday", d.published)
    d.add_mention(at, at + len("on Thursday"), "date", *prefilled)
    assert d.set_published(dt.date(2024, 6, 19)) == 1  # a Wednesday: the Thursday before
    [mine] = [h for h in d.state.hits if h.type == "date"]
    assert (mine.value, mine.mod) == ("2024-06-13", None) != prefilled


def test_write_removes_draft_and_refuses_to_overwrite(folder):
    import datetime as dt

    d = Draft.from_raw(str(folder / SEED.name))
    d.accept_all()
    d.set_published(dt.date(2022, 4, 22))
    written = d.write()
    assert written == folder / (SEED.stem + ".md")
    brief = load_brief(written)
    assert not brief.meta.draft
    assert facts_json(brief) == facts_json(d.brief())
    with pytest.raises(FileExistsError):
        d.write()


# ---------------------------------------------------------------------- the keys (Pilot)

async def open_draft(app, pilot, timeout: float = 20.0):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        await pilot.pause(0.05)
        pane = app.main.query_one_optional(ReadingPane)
        if pane is not None and app.main.loaded and app.main.current_draft() is not None:
            await pilot.pause()
            return app.main.current_draft()
    raise AssertionError("the draft never opened")


async def focus_fact(app, pilot, name: str):
    panel = app.query_one(FactsPanel)
    panel.focus()
    for i, option in enumerate(panel.options):
        if isinstance(option, FactOption) and option.fact.name == name:
            panel.highlighted = i
            await pilot.pause()
            return option.fact
    raise AssertionError(name)


async def test_raw_text_opens_with_draft_cues(folder):
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        draft = await open_draft(app, pilot)
        pane = app.query_one(ReadingPane)
        assert pane._drafts.ranges  # the mentions carry the draft cue
        panel = app.query_one(FactsPanel)
        assert any(o.prompt.plain.startswith("? ") for o in panel.options if isinstance(o, FactOption))
        assert draft.published_from == "mtime"
        line = app.main.selection_line  # a cue that stays, not a toast
        assert line.display
        assert (f"Published date unknown — dates resolved against the file's date "
                f"{draft.published.isoformat()} · d: set the date") in str(line.render())
        await pilot.press("d")
        await pilot.pause(0.1)
        assert isinstance(app.screen, ReviewPrompt)
        app.screen.query_one(Input).value = "2022-04-22"
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert draft.published_confirmed and "Published date unknown" not in str(line.render())


async def test_fact_keys_accept_reject_undo(folder):
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        draft = await open_draft(app, pilot)
        fact = await focus_fact(app, pilot, "Fumio Kishida")
        await pilot.press("plus")
        await pilot.pause()
        assert fact.key not in draft.draft_fact_keys()
        fact = await focus_fact(app, pilot, "Jacinda Ardern")
        await pilot.press("x")
        await pilot.pause()
        assert "Jacinda Ardern" not in [f.name for f in draft.brief().facts["leader"]]
        await pilot.press("u")
        await pilot.pause()
        assert "Jacinda Ardern" in [f.name for f in draft.brief().facts["leader"]]


async def test_mention_keys_under_the_cursor(folder):
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        draft = await open_draft(app, pilot)
        pane = app.query_one(ReadingPane)
        pane.focus()
        await pilot.press("j", "j")  # a sentence with mentions
        await pilot.pause()
        before = draft.pending
        await pilot.press("plus")
        await pilot.pause()
        assert draft.pending == before - 1
        n = len(draft.state.hits)
        await pilot.press("x")
        await pilot.pause()
        assert len(draft.state.hits) == n - 1


async def test_retype_merge_mark_keys(folder):
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        draft = await open_draft(app, pilot)
        await focus_fact(app, pilot, "Fumio Kishida")
        await pilot.press("equals_sign")
        await pilot.pause()
        await pilot.press(*"person", "enter")
        await pilot.pause()
        assert [f.name for f in draft.brief().facts.get("person", [])] == ["Fumio Kishida"]
        await pilot.press("u")
        await pilot.pause()
        await focus_fact(app, pilot, "Fumio Kishida")
        await pilot.press("J")
        await focus_fact(app, pilot, "Jacinda Ardern")
        await pilot.press("J")
        await pilot.pause()
        assert [f.name for f in draft.brief().facts["leader"]] == ["Jacinda Ardern"]
        pane = app.query_one(ReadingPane)
        text = pane.brief.text
        at = text.index("Ukraine-Russia")
        pane.focus()
        pane.mouse_selection = (at, at + len("Ukraine-Russia crisis"))
        await pilot.press("i")
        await pilot.pause()
        await pilot.press(*"event", "enter")
        await pilot.pause()
        assert [f.name for f in draft.brief().facts["event"]] == ["Ukraine-Russia crisis"]


async def test_write_key_writes_beside_and_asks_before_replacing(folder):
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        draft = await open_draft(app, pilot)
        await pilot.press("asterisk")
        await pilot.pause()
        await pilot.press("w")  # no dateline: the published date is asked first
        await pilot.pause(0.2)
        written = folder / (SEED.stem + ".md")
        assert isinstance(app.screen, ReviewPrompt) and not written.exists()
        assert app.screen.value == draft.published.isoformat()  # the file's date, offered
        app.screen.query_one(Input).value = "2022-04-22"
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert written.exists()
        assert load_brief(written).meta.published.isoformat() == "2022-04-22"
        expected = facts_json(draft.brief())
        assert "2022-04-21" in {d["value"] for d in expected["date"]}
        assert facts_json(load_brief(written)) == expected
        assert not load_brief(written).meta.draft
        paths = [e.key for e in app.main.doc_list.shown]
        assert str(written) in paths and str(folder / SEED.name) not in paths


async def test_write_asks_before_replacing_a_brief_that_appeared(folder):
    from briefing.ui.screens.confirm import ConfirmScreen

    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        draft = await open_draft(app, pilot)
        import datetime as dt

        draft.set_published(dt.date(2022, 4, 22))
        mine = folder / (SEED.stem + ".md")
        mine.write_text("---\ntitle: Mine\n---\nmine\n")
        await pilot.press("w")
        await pilot.pause(0.2)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert mine.read_text() == "---\ntitle: Mine\n---\nmine\n"


# ---------------------------------------------------------------------- a raw text in the list

def test_raw_text_given_by_name_is_one_draft_entry(folder):
    """`briefing raw/x.txt`: one entry, the draft's, never also a broken brief from the index
    (before: '✗ x.txt · undated · 1 error (missing front matter)' beside it, 'Briefs 2/2')."""
    from briefing.session.library import Library

    raw = folder / SEED.name
    lib = Library([raw])
    try:
        first, _ = lib.initial_entries()
        lib.refresh_index(lambda *a: None)
        listed = lib.entries_from_index()
        for entries in (first, listed):
            assert [e.key for e in entries] == [str(raw.resolve())]
            assert entries[0].source == "raw text, draft" and entries[0].error_count == 0
        assert lib.index.entries(None) == [] or all(e.key != str(raw.resolve()) for e in lib.index.entries(None))
    finally:
        lib.close()
    brief = raw.with_suffix(".md")  # a brief beside it: that is what is read, as in a folder
    brief.write_text("---\ntitle: Reviewed\npublished: 2022-04-22\n---\nText.\n", encoding="utf-8")
    lib = Library([raw])
    try:
        lib.refresh_index(lambda *a: None)
        assert [(e.key, e.title) for e in lib.entries_from_index()] == [(str(brief.resolve()), "Reviewed")]
    finally:
        lib.close()


def test_raw_entry_is_dated_by_its_dateline(tmp_path):
    from briefing.session.drafts import raw_entry

    dated = tmp_path / "dated.txt"
    dated.write_text("Talks resume\n\nGENEVA, June 19, 2024 -- The ministers met on Thursday.\n", encoding="utf-8")
    undated = tmp_path / "undated.txt"
    undated.write_text("Talks resume\n\nThe ministers met on Thursday.\n", encoding="utf-8")
    assert raw_entry(dated).published_iso == "2024-06-19"
    assert raw_entry(dated).title == "Talks resume"
    assert raw_entry(undated).published_iso is None
