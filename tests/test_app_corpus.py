"""The reader over a corpus: the index, search and filters, live updates, warm start."""

from __future__ import annotations

import asyncio
import shutil

import pytest
from textual.widgets import Input

from tests.test_app import BRIEFS, NEWEST, OLDER, ready
from briefing.ui.app import create_app
from bench.corpus import generate_corpus
from briefing.ui.widgets.doc_list import DocList
from briefing.ui.widgets.reading_pane import ReadingPane


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "briefs"
    shutil.copytree(BRIEFS, target)
    return target


async def wait_until(pilot, condition, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition never became true")


def header(app) -> str:
    return app.query_one("#list-header").render().plain


async def test_search_is_ranked_and_shows_matching_words(folder):
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("slash", *"senkaku")
        await pilot.pause(0.5)  # the search runs when typing pauses
        doc_list = app.query_one(DocList)
        assert len(doc_list.shown) == 2 and doc_list.ranked is not None
        for entry in doc_list.shown:
            snippet, spans = doc_list.snippets[entry.key]
            assert [snippet[a:b].lower() for a, b in spans] == ["senkaku"] * len(spans) and spans
        assert "Briefs 2/2" in header(app) and "best match" in header(app) and "senkaku" in header(app)
        await pilot.press(*" luxon")  # words are ANDed
        await pilot.pause(0.5)
        assert [e.title for e in doc_list.shown] == [NEWEST]
        assert "Briefs 1/2" in header(app)
        await pilot.press("enter", "c")  # c clears, from the list
        await pilot.pause(0.2)
        assert len(doc_list.shown) == 2 and doc_list.ranked is None and doc_list.query_filter == ""


async def test_filters_by_fact_tag_and_date_combine(folder):
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        doc_list = app.query_one(DocList)
        for line, expected in [
            ('leader:"Fumio Kishida"', [NEWEST, OLDER]),
            ('leader:"Fumio Kishida" from:2023', [NEWEST]),
            ("tag:defence", [OLDER]),
            ("tag:defence from:2023", []),
            ("region:Taiwan to:2022-12", [OLDER]),
            ('region:"Taiwan Strait"', [NEWEST]),
        ]:
            await pilot.press("escape")
            doc_list.focus()
            await pilot.press("slash")
            app.query_one("#search", Input).value = line
            await pilot.pause(0.5)
            assert [e.title for e in doc_list.shown] == expected, line
            assert f"Briefs {len(expected)}/2" in header(app)


async def test_briefs_added_changed_and_removed_show_up_live(folder):
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        doc_list = app.query_one(DocList)
        pane = app.query_one(ReadingPane)
        await pilot.press("enter", "j", "j")
        position = pane.cursor_range[0]
        (folder / "new.md").write_text("---\ntitle: Brand new brief\npublished: 2025-03-01\n---\nFresh [Tokyo]{.region}.\n")
        await wait_until(pilot, lambda: any(e.title == "Brand new brief" for e in doc_list.shown))
        assert doc_list.current_entry.title == NEWEST  # the selection stays
        assert pane.brief.meta.title == NEWEST
        # The open brief changes on disk: it is reread, the reading position kept.
        target = folder / "2024-06-19-japan-new-zealand-information-sharing-pact.md"
        target.write_text(target.read_text().replace("title: \"", "title: \"Updated: ", 1))
        await wait_until(pilot, lambda: pane.brief is not None and pane.brief.meta.title.startswith("Updated: "))
        assert pane.cursor_range[0] == position
        assert doc_list.current_entry.title.startswith("Updated: ")
        (folder / "new.md").unlink()
        await wait_until(pilot, lambda: not any(e.title == "Brand new brief" for e in doc_list.shown))
        assert "Briefs 2/2" in header(app)


async def test_second_start_paints_the_list_from_the_index(folder, monkeypatch):
    import briefing.session.library

    monkeypatch.setattr(briefing.session.library, "PEEK_LIMIT", 0)  # as for a large folder: no peeking at files
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        # Before any parsing: the entries came from the index, already parsed and checked.
        entries = app.query_one(DocList).entries
        assert {e.title for e in entries} == {NEWEST, OLDER}
        assert all(e.parsed for e in entries)
        await ready(app, pilot)


async def test_cold_indexing_shows_progress_and_lists_briefs_as_they_come(tmp_path):
    corpus = tmp_path / "corpus"
    generate_corpus(corpus, 600, seed=3)
    app = create_app([corpus])
    seen: list[tuple[float, float]] = []
    async with app.run_test(size=(120, 40)) as pilot:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 120
        while not app.main.loaded and loop.time() < deadline:
            if app.main.indexing is not None:
                seen.append(app.main.indexing)
                assert "Indexing █" in header(app) or "Indexing ░" in header(app)
                assert f"/{app.main.indexing[1]:,}" in header(app)
            await pilot.pause(0.1)
        assert app.main.loaded
        assert seen, "no progress was shown while indexing"
        assert len(app.query_one(DocList).entries) == 600
        assert app.main.indexing is None and "Briefs 600/600" in header(app)


async def test_search_lists_the_best_results_and_counts_them_all(folder, monkeypatch):
    import briefing.session.library

    monkeypatch.setattr(briefing.session.library, "SEARCH_LIMIT", 1)
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("slash", *"senkaku")
        await pilot.pause(0.5)
        assert len(app.query_one(DocList).shown) == 1
        assert "Briefs 2/2, best 1 listed" in header(app)
