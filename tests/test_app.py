"""Pilot tests of the reader: navigation, fact selection, filtering, find, help, errors."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.widgets import Input

from briefing.ui.app import BriefingApp, create_app
from briefing.ui.widgets.doc_list import DocList
from briefing.ui.widgets.facts_panel import FactOption, FactsPanel
from briefing.ui.widgets.reading_pane import ReadingPane

BRIEFS = Path(__file__).resolve().parent.parent / "briefs"
NEWEST = "Japan and New Zealand agree on pact to share classified information"
OLDER = "Japan, New Zealand to Cooperate in the Security Domain"


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))


async def ready(app: BriefingApp, pilot, timeout: float = 15.0) -> None:
    """Wait until the briefs are loaded and the pane shows something."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        await pilot.pause(0.05)
        # The main screen composes in its own task: under the snapshot plugin this can be
        # called before its widgets exist.
        pane = app.main.query_one_optional(ReadingPane)
        if pane is not None and app.main.loaded and (pane.brief is not None or pane._message and "Loading" not in pane._message[0].text.plain):
            await pilot.pause()
            return
    raise AssertionError("the reader never finished loading")


def fact_index(panel: FactsPanel, name: str) -> int:
    for i, option in enumerate(panel.options):
        if isinstance(option, FactOption) and option.fact.name == name:
            return i
    raise AssertionError(f"no fact {name!r} in the sidebar")


async def test_opens_newest_brief_with_facts():
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        doc_list = app.query_one(DocList)
        assert [e.title for e in doc_list.shown] == [NEWEST, OLDER]  # newest first
        pane = app.query_one(ReadingPane)
        assert pane.brief.meta.title == NEWEST
        assert app.sub_title == NEWEST
        panel = app.query_one(FactsPanel)
        headings = [o.prompt.plain for o in panel.options if o.disabled]
        assert headings[:3] == ["Leaders (3)", "Dates (7)", "Regions (16)"]
        assert app.focused is doc_list


async def test_keyboard_navigation_between_regions():
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        doc_list = app.query_one(DocList)
        pane = app.query_one(ReadingPane)
        panel = app.query_one(FactsPanel)
        await pilot.press("j")
        await pilot.pause()
        assert doc_list.highlighted == 1
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.focused is pane
        assert pane.brief.meta.title == OLDER
        await pilot.press("tab")
        assert app.focused is panel
        await pilot.press("tab")
        assert app.focused is doc_list
        await pilot.press("shift+tab")
        assert app.focused is panel
        await pilot.press("escape")
        assert app.focused is doc_list
        await pilot.press("k")
        await pilot.pause(0.3)
        assert doc_list.highlighted == 0
        assert pane.brief.meta.title == NEWEST
        await pilot.press("G")
        assert doc_list.highlighted == 1
        await pilot.press("g")
        assert doc_list.highlighted == 0


def cursor_visible(pane: ReadingPane) -> bool:
    start, end = pane.cursor_range
    top = pane.line_y(pane._layout.line_of(start))
    bottom = pane.line_y(pane._layout.line_of(end - 1))
    y, height = pane.scroll_offset.y, pane.scrollable_content_region.height
    return y <= top and bottom < y + height


async def test_reading_cursor_moves_by_sentence_and_pages_scroll():
    app = create_app([BRIEFS])
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        await pilot.press("enter")
        pane = app.query_one(ReadingPane)
        text = pane.brief.text
        assert pane.cursor == 0 and pane.scroll_offset.y == 0
        assert text[slice(*pane.cursor_range)].startswith("The leaders of Japan and New Zealand")
        await pilot.press("j", "j", "j")
        assert pane.cursor == 3
        assert text[slice(*pane.cursor_range)].startswith("He replaced Jacinda Ardern")
        assert cursor_visible(pane)
        await pilot.press("k")
        assert pane.cursor == 2
        await pilot.press("G")
        assert pane.cursor == len(pane.sentences) - 1
        assert pane.scroll_offset.y == pane.max_scroll_y > 10
        await pilot.press("g")
        assert pane.cursor == 0 and pane.scroll_offset.y == 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert pane.scroll_offset.y > 10
        assert cursor_visible(pane)  # the cursor follows the page


async def test_selecting_a_fact_marks_and_cycles_its_mentions():
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        pane = app.query_one(ReadingPane)
        panel = app.query_one(FactsPanel)
        panel.focus()
        panel.highlighted = fact_index(panel, "Fumio Kishida")
        await pilot.press("enter")
        await pilot.pause()
        text = pane.brief.text
        assert len(pane.fact_spans) == 5
        assert pane.fact_index == 0
        assert all("Kishida" in text[a:b] or "Prime Minister" in text[a:b] for a, b in pane.fact_spans)
        await pilot.press("enter")
        assert pane.fact_index == 1
        for _ in range(4):
            await pilot.press("enter")
        assert pane.fact_index == 0  # wrapped around after the fifth mention
        # The marked mention is on screen.
        first = pane.fact_spans[0][0]
        y = pane.line_y(pane._layout.line_of(first))
        assert pane.scroll_offset.y <= y < pane.scroll_offset.y + pane.scrollable_content_region.height


async def test_filter_list_by_fact_and_clear():
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        doc_list = app.query_one(DocList)
        panel = app.query_one(FactsPanel)
        panel.focus()
        panel.highlighted = fact_index(panel, "Christopher Luxon")  # only in the 2024 brief
        await pilot.press("f")
        await pilot.pause()
        assert [e.title for e in doc_list.shown] == [NEWEST]
        assert "1/2" in app.query_one("#list-header").render().plain
        await pilot.press("c")
        await pilot.pause()
        assert len(doc_list.shown) == 2
        panel.highlighted = fact_index(panel, "Fumio Kishida")  # in both
        await pilot.press("f")
        await pilot.pause()
        assert len(doc_list.shown) == 2


async def test_find_in_brief_with_next_and_previous():
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("enter")
        pane = app.query_one(ReadingPane)
        await pilot.press("slash")
        find = app.query_one("#find", Input)
        assert find.display and find.has_focus
        await pilot.press(*"china")
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is pane
        count = pane.brief.text.lower().count("china")
        assert len(pane.find_matches) == count > 3
        assert pane.find_index == 0
        await pilot.press("n")
        assert pane.find_index == 1
        await pilot.press("N", "N")
        assert pane.find_index == count - 1
        for a, b in pane.find_matches:
            assert pane.brief.text[a:b].lower() == "china"


async def test_slash_in_list_searches_titles():
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("slash", *"cooperate")
        await pilot.pause(0.5)  # the search runs when typing pauses
        assert [e.title for e in app.query_one(DocList).shown] == [OLDER]
        await pilot.press("escape")  # leaves the search line, keeps its filter (as less and newsboat)
        await pilot.pause()
        assert [e.title for e in app.query_one(DocList).shown] == [OLDER]
        await pilot.press("c")  # c clears it
        await pilot.pause()
        assert len(app.query_one(DocList).shown) == 2


async def test_help_screen_lists_every_region():
    from briefing.ui.screens.help import HelpScreen

    app = create_app([BRIEFS])
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        sections = dict(app.key_sections())
        assert {"Everywhere", "Document list", "Reading pane", "Key facts"} <= set(sections)
        everywhere = dict((d, k) for k, d in sections["Everywhere"])
        assert "q" in everywhere["Quit"].split(",") and "slash" in everywhere["Find"]
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_sort_by_title_and_back():
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        doc_list = app.query_one(DocList)
        header = app.query_one("#list-header")
        await pilot.press("s")
        assert [e.title for e in doc_list.shown] == [NEWEST, OLDER]  # "Japan and" < "Japan, New"
        assert doc_list.sort_by == "title"
        await pilot.pause()
        assert "title" in str(header.render()) and "newest" not in str(header.render())  # the header says so
        await pilot.press("s")
        assert doc_list.sort_by == "date"
        await pilot.pause()
        assert "newest" in str(header.render())


async def test_narrow_terminal_collapses_sidebar_and_t_shows_it():
    app = create_app([BRIEFS])
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        panel = app.query_one(FactsPanel)
        assert not panel.display or panel.region.width == 0
        await pilot.press("t")
        await pilot.pause()
        assert panel.region.width > 0
        await pilot.resize_terminal(130, 40)
        await pilot.pause()
        assert panel.region.width > 0


async def test_resizing_never_crashes():
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("enter")
        for size in [(40, 10), (10, 5), (200, 60), (80, 24), (1, 1), (120, 40)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
        assert app.query_one(ReadingPane).brief is not None


async def test_light_and_dark_themes_render():
    app = create_app([BRIEFS])
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        for theme in ("textual-light", "textual-dark"):
            app.theme = theme
            await pilot.pause()
            assert "Kishida" in app.export_screenshot()


async def test_broken_brief_is_marked_and_shows_its_errors(tmp_path):
    folder = tmp_path / "briefs"
    folder.mkdir()
    (folder / "good.md").write_text("---\ntitle: Good one\npublished: 2024-01-02\n---\nHello [Tokyo]{.region}.\n")
    (folder / "bad.md").write_text("---\ntitle: Broken one\npublished: 2025-01-01\n---\nAn [unclosed span{.leader}\n")
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        doc_list = app.query_one(DocList)
        bad = next(e for e in doc_list.shown if e.title == "Broken one")
        assert not bad.ok and bad.error_count == 1
        assert doc_list.shown[0] is bad  # newest first, broken or not
        assert "✗" in doc_list.row_text(0)
        pane = app.query_one(ReadingPane)
        lines = [text for text, _ in pane._message_source]
        assert any(line.endswith("bad.md") for line in lines)  # the file once, then LINE:COL: problems
        assert any(line.startswith("5:4: error: unclosed '['") for line in lines)
        await pilot.press("j")
        await pilot.pause(0.3)
        assert pane.brief is not None and pane.brief.meta.title == "Good one"


async def test_brief_text_markup_is_shown_literally(tmp_path):
    folder = tmp_path / "briefs"
    folder.mkdir()
    hostile = (
        '---\ntitle: "[bold red]Loud[/] [@click=app.quit]x[/]"\nsource: "[link=http://evil]s[/link]"\n---\n'
        "Text with \\[bold red\\]markup\\[/\\] and [/= and [@click=app.quit]{.org} and \x1b]0;pwned\x07 done.\n"
    )
    (folder / "hostile.md").write_text(hostile)
    app = create_app([folder])
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(app, pilot)
        pane = app.query_one(ReadingPane)
        assert pane.brief is not None
        screen = app.export_screenshot()
        assert "[bold red]Loud[/]" in screen.replace("&#160;", " ")
        assert "[bold red]markup[/]" in screen.replace("&#160;", " ")
        assert "\x1b" not in pane.brief.text and "␛]0;pwned␇" in pane.brief.text
        await pilot.click(ReadingPane, offset=(10, 8))
        await pilot.pause()
        assert app.is_running  # no action was triggered by brief text


async def test_link_opens_only_after_confirmation(tmp_path, monkeypatch):
    from briefing.ui.screens.confirm import ConfirmScreen

    folder = tmp_path / "briefs"
    folder.mkdir()
    (folder / "l.md").write_text("---\ntitle: Links\n---\nSee [the report](https://example.org/r) now.\n")
    opened: list[str] = []
    app = create_app([folder])
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(app, pilot)
        await pilot.press("enter", "o")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert opened == []
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert opened == ["https://example.org/r"]


async def test_command_palette_runs_app_commands():
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"sort the list")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.query_one(DocList).sort_by == "title"


async def test_a_one_megabyte_brief_opens(tmp_path):
    folder = tmp_path / "big"
    folder.mkdir()
    para = ("On [Wednesday]{.date value=2024-06-19} the [Prime Minister]{.leader} spoke in "
            "[Tokyo]{.region kind=city} about trade, security and the regional order. ") * 12
    body = "\n\n".join(para for _ in range(int(1_000_000 / len(para))))
    (folder / "big.md").write_text("---\ntitle: Big brief\n---\n" + body + "\n")
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot, timeout=60)
        pane = app.query_one(ReadingPane)
        assert pane.brief.meta.title == "Big brief"
        assert len(pane.brief.source) > 990_000 and len(pane.brief.text) > 600_000
        await pilot.press("enter", "G")
        assert pane.scroll_offset.y > 10_000
        assert "Tokyo" in app.export_screenshot()


async def test_keys_can_be_remapped_by_binding_id(tmp_path, monkeypatch):
    (tmp_path / "keymap.toml").write_text('[keys]\n"pane.highlight" = "H"\n"list.sort" = "o"\n')
    monkeypatch.setenv("BRIEFING_CONFIG_DIR", str(tmp_path))
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("o")
        assert app.query_one(DocList).sort_by == "title"
        await pilot.press("s")
        assert app.query_one(DocList).sort_by == "title"  # s is no longer bound
        sections = dict(app.key_sections())
        assert ("H", "Highlight") in sections["Reading pane"]


async def test_a_broken_keymap_is_reported_not_fatal(tmp_path, monkeypatch):
    (tmp_path / "keymap.toml").write_text("[keys\n")
    monkeypatch.setenv("BRIEFING_CONFIG_DIR", str(tmp_path))
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        assert any("keymap" in str(n.message) for n in app._notifications)


async def test_read_marks_persist_across_restarts():
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        doc_list = app.query_one(DocList)
        assert [doc_list.is_read(e) for e in doc_list.shown] == [False, False]
        assert doc_list.row_text(0).startswith("• ")
        await pilot.press("enter")  # opening marks read
        await pilot.press("escape", "j", "r")  # r toggles the other one
        await pilot.pause()
        assert [doc_list.is_read(e) for e in doc_list.shown] == [True, True]
        await pilot.press("k", "r")
        assert [doc_list.is_read(e) for e in doc_list.shown] == [False, True]
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        assert [app.query_one(DocList).is_read(e) for e in app.query_one(DocList).shown] == [False, True]


async def test_reading_position_is_restored():
    app = create_app([BRIEFS])
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        await pilot.press("enter", *["j"] * 8)
        where = app.query_one(ReadingPane).cursor_range[0]
        await pilot.press("q")
    app = create_app([BRIEFS])
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        pane = app.query_one(ReadingPane)
        assert pane.cursor_range[0] == where and pane.cursor == 8
        assert pane.scroll_offset.y > 0


def test_store_and_index_open_once_when_two_threads_ask_at_once(monkeypatch):
    # At start-up the loader thread and the UI thread both reach for the store; two Stores
    # opened at once could leave the app writing highlights to an in-memory fallback.
    import threading
    import time

    import briefing.index
    import briefing.store

    opened = {"store": 0, "index": 0}
    real_store, real_index = briefing.store.Store.open.__func__, briefing.index.Index.open.__func__

    def slow(kind, real):
        def open_(cls, *args, **kwargs):
            opened[kind] += 1
            time.sleep(0.05)  # widen the window in which a second thread would open another
            return real(cls, *args, **kwargs)
        return classmethod(open_)

    monkeypatch.setattr(briefing.store.Store, "open", slow("store", real_store))
    monkeypatch.setattr(briefing.index.Index, "open", slow("index", real_index))
    app = BriefingApp([BRIEFS])
    got: list = []
    barrier = threading.Barrier(4)

    def ask(attr: str) -> None:
        barrier.wait()
        got.append((attr, getattr(app.session, attr)))

    threads = [threading.Thread(target=ask, args=(a,)) for a in ("store", "store", "index", "index")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert opened == {"store": 1, "index": 1}
    assert len({id(v) for a, v in got if a == "store"}) == 1
    assert len({id(v) for a, v in got if a == "index"}) == 1
    app.session.store.close()
    app.session.index.close()


async def test_list_header_keeps_the_indexing_counts_on_its_line():
    from textual.widgets import Static

    app = create_app([BRIEFS])
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        header = app.query_one("#list-header", Static)
        app.main.indexing = (1793, 10000)
        app.main._update_list_header()
        await pilot.pause()
        line = header.render().plain
        assert line.startswith("Indexing ") and line.endswith(" 1,793/10,000")
        assert len(line) <= header.content_region.width  # the counts are never cut off
        app.main.indexing = None
        app.main._update_list_header()
        assert header.render().plain.startswith("Briefs 2/2")


async def test_garbage_collection_is_back_on_once_the_first_frame_is_shown():
    # `briefing` turns the cyclic collector off while it starts (a full pass cost ~13 ms of
    # the first frame); the app must turn it back on, or a long session would only grow.
    import gc

    gc.disable()
    try:
        app = create_app([BRIEFS])
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(app, pilot)
            assert gc.isenabled()
    finally:
        gc.enable()


async def test_widgets_speak_through_the_app_as_plain_text():
    """Widgets do not know the app: they post Say, and the app tells it (never as markup)."""
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("enter", "v")  # into the pane; start a selection
        await pilot.pause()
        messages = [str(n.message) for n in app._notifications]
        assert any(m.startswith("Selecting: j/k extend") for m in messages), messages
        await pilot.press("escape", "o")  # no link on the first screen of this brief
        await pilot.pause()
        assert "No link on screen" in [str(n.message) for n in app._notifications]
        notes = [n for n in app._notifications if not n.markup]
        assert len(notes) == len(app._notifications)


async def test_a_worker_result_for_a_closed_screen_is_dropped():
    from briefing.ui.messages import BriefLoaded

    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        main = app.main
        brief = app.query_one(ReadingPane).brief
    # The app has closed: a late result is not delivered, and handling one is harmless.
    assert main.post_message(BriefLoaded(brief.path, brief)) is False
    main._brief_loaded(BriefLoaded(brief.path, brief))
