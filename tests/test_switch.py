"""Switching briefs: what keeps it fast (no screen layout, neighbours parsed ahead, one frame)
and the sidebar's own list (cursor, keys, mouse), the title bar."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.screen import Screen

from tests.test_app import NEWEST, OLDER, ready
from briefing.ui.app import create_app
from bench.corpus import generate_corpus
from briefing.ui.widgets.doc_list import DocList
from briefing.ui.widgets.facts_panel import FactOption, FactsPanel
from briefing.ui.widgets.reading_pane import ReadingPane
from briefing.ui.widgets.title_bar import TitleBar

BRIEFS = Path(__file__).resolve().parent.parent / "briefs"


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    generate_corpus(folder, 12, seed=3, nested=False)
    return folder


async def test_switching_briefs_needs_no_layout_of_the_screen(corpus, monkeypatch):
    """A new brief changes what the pane, the sidebar and the title bar hold, never their
    sizes: no full layout (it costs ~30 ms at 120x40) and no repaint of the whole screen."""
    app = create_app([corpus])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.pause(0.3)
        layouts: list[int] = []
        full_repaints: list[int] = []
        original_layout = Screen._refresh_layout
        original_refresh = Screen.refresh

        def counting_layout(self, *args, **kwargs):
            layouts.append(1)
            return original_layout(self, *args, **kwargs)

        def counting_refresh(self, *regions, **kwargs):
            if not regions:
                full_repaints.append(1)
            return original_refresh(self, *regions, **kwargs)

        monkeypatch.setattr(Screen, "_refresh_layout", counting_layout)
        monkeypatch.setattr(Screen, "refresh", counting_refresh)
        titles = []
        for _ in range(5):
            await pilot.press("j")
            await pilot.pause(0.1)
            titles.append(app.query_one(ReadingPane).brief.meta.title)
        assert len(set(titles)) == 5  # every press opened another brief
        assert layouts == [] and full_repaints == []


async def test_a_brief_switch_is_painted_in_one_frame(corpus, monkeypatch):
    """The list's cursor, the title, the pane and the sidebar change from one key press, and
    reach the terminal in one frame: the list's change, reported first, was painted alone and
    the rest a frame interval later (a switch took ~2x as long in tmux). While the frame is
    held, nothing is painted; then the whole switch is."""
    import time

    import briefing.ui.screens.main as main_module
    from textual.app import App

    # Held long enough for any machine: the test checks that the frame is held, not how long.
    monkeypatch.setattr(main_module, "FRAME_HOLD", 0.5)
    held: list[float] = []
    original_hold = main_module.hold_frame

    def recording_hold(screen, seconds):
        held.append(time.monotonic())
        return original_hold(screen, seconds)

    monkeypatch.setattr(main_module, "hold_frame", recording_hold)
    app = create_app([corpus])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.pause(0.3)
        frames: list[float] = []
        original_display = App._display

        def recording_display(self, *args, **kwargs):
            frames.append(time.monotonic())
            return original_display(self, *args, **kwargs)

        monkeypatch.setattr(App, "_display", recording_display)
        for _ in range(4):
            held.clear()
            frames.clear()
            before = app.query_one(ReadingPane).brief.meta.title
            await pilot.press("j")
            await pilot.pause(0.8)
            assert app.query_one(ReadingPane).brief.meta.title != before
            assert len(held) == 1, "the switch held no frame"
            during = [t for t in frames if held[0] <= t < held[0] + 0.4]
            after = [t for t in frames if t >= held[0] + 0.4]
            assert during == [] and after, (len(during), len(after))


async def test_neighbours_are_parsed_ahead_and_open_from_memory(corpus):
    app = create_app([corpus])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        doc_list = app.query_one(DocList)
        await pilot.press("j")
        await pilot.pause(0.5)  # the prefetch waits for the frame, then parses in a thread
        below = doc_list.shown[doc_list.highlighted + 1].key
        above = doc_list.shown[doc_list.highlighted - 1].key
        assert below in app.session.brief_cache and above in app.session.brief_cache
        cached = app.session.brief_cache[below]
        await pilot.press("j")
        await pilot.pause()
        assert app.query_one(ReadingPane).brief is cached  # no second parse


async def test_a_brief_changed_after_its_prefetch_is_not_served_stale(corpus):
    app = create_app([corpus])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        from briefing.core.parser import load_brief

        path = app.query_one(DocList).shown[1].key
        app.session.brief_cache.pop(path, None)
        st = Path(path).stat()
        brief = load_brief(path)
        Path(path).write_text(Path(path).read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
        app.session.accept_prefetched(path, brief, (st.st_mtime_ns, st.st_size))  # parsed before the change
        assert path not in app.session.brief_cache
        app.session.accept_prefetched(path, load_brief(path), (Path(path).stat().st_mtime_ns, Path(path).stat().st_size))
        assert path in app.session.brief_cache


async def test_sidebar_cursor_skips_headings_and_follows_keys_and_mouse():
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        panel = app.query_one(FactsPanel)
        panel.focus()
        await pilot.pause()
        first = panel.highlighted
        assert isinstance(panel.options[first], FactOption)  # the first group's heading is skipped
        assert panel.options[first - 1].disabled
        assert panel.scroll_offset.y == 0  # ... and stays in view
        await pilot.press("j", "j", "j")
        moved = panel.highlighted
        assert moved > first and not panel.options[moved].disabled
        await pilot.press("k", "k", "k")
        assert panel.highlighted == first
        await pilot.press("G")
        assert panel.highlighted == max(i for i, o in enumerate(panel.options) if not o.disabled)
        await pilot.press("g")
        assert panel.highlighted == first
        await pilot.press("pagedown")
        assert panel.highlighted > moved
        # Headings are never the cursor's: setting one leaves no cursor.
        panel.highlighted = 0
        assert panel.highlighted is None
        # A click on a fact's row selects it and marks its mentions.
        kishida = next(i for i, o in enumerate(panel.options) if isinstance(o, FactOption) and o.fact.name == "Fumio Kishida")
        row = panel._starts[kishida] - int(panel.scroll_offset.y)
        await pilot.click(FactsPanel, offset=(3, row))
        await pilot.pause()
        assert panel.highlighted == kishida
        assert len(app.query_one(ReadingPane).fact_spans) == 5


async def test_title_bar_shows_the_open_brief_and_its_icon_opens_the_palette():
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        bar = app.query_one(TitleBar)
        assert NEWEST in bar.render().plain
        await pilot.press("j")
        await pilot.pause()
        assert OLDER in bar.render().plain and app.sub_title == OLDER
        await pilot.click(TitleBar, offset=(2, 0))
        await pilot.pause()
        from textual.command import CommandPalette

        assert isinstance(app.screen, CommandPalette)


@pytest.mark.parametrize("no_color", [False, True])
async def test_line_scrollbar_draws_what_textual_draws(monkeypatch, no_color):
    """The pane's and the sidebar's scrollbars skip Rich's console, not a glyph or a colour:
    line for line the same strips as Textual's ScrollBar, at every scroll position."""
    from textual.geometry import Region
    from textual.scrollbar import ScrollBar

    from briefing.ui.widgets.line_scrollbar import LineScrollBar

    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        pane = app.query_one(ReadingPane)
        bars = [w.vertical_scrollbar for w in (pane, app.query_one(FactsPanel))]
        assert all(isinstance(bar, LineScrollBar) for bar in bars)
        compared = 0
        for y in (0, 7, 30, 10_000):
            pane.scroll_to(y=y, animate=False, force=True)
            await pilot.pause()
            for bar in bars:
                region = Region(0, 0, bar.size.width, bar.size.height)
                ours = bar.render_lines(region)
                textual = ScrollBar.render_lines(bar, region)
                assert [list(s) for s in ours] == [list(s) for s in textual]
                compared += len(ours)
        assert compared > 200


@pytest.mark.parametrize("no_color", [False, True])
async def test_plain_widgets_draw_what_textual_draws(monkeypatch, no_color):
    """The list, the pane and the sidebar skip Textual's style cache when they have no border, padding,
    tint or opacity: line for line, the same strips as Textual's own drawing, through a brief
    switch, a scroll, a find, focus changes and a highlight."""
    from textual.geometry import Region
    from textual.widget import Widget

    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        doc_list, pane, facts = app.query_one(DocList), app.query_one(ReadingPane), app.query_one(FactsPanel)

        def same() -> int:
            n = 0
            for w in (doc_list, pane, facts):
                assert w._plain_box()
                region = Region(0, 0, w.region.width, w.region.height)
                ours = w.render_lines(region)
                w._styles_cache.clear()
                textual = Widget.render_lines(w, region)
                assert [list(s) for s in ours] == [list(s) for s in textual], type(w).__name__
                part = Region(3, 2, 20, 5)  # a crop inside, as a partial update asks for
                assert [list(s) for s in w.render_lines(part)] == [list(s) for s in Widget.render_lines(w, part)]
                n += len(ours)
            return n

        compared = same()
        await pilot.press("j")
        await pilot.pause()
        compared += same()
        await pilot.press("enter", "j", "j", "h")  # into the pane: cursor, a highlight
        await pilot.pause()
        compared += same()
        pane.scroll_to(y=12, animate=False, force=True)
        await pilot.pause()
        compared += same()
        await pilot.press("slash")
        await pilot.press(*"Kishida", "enter")
        await pilot.pause()
        compared += same()
        assert compared > 300


def test_head_of_a_large_brief_reads_like_the_parser_without_pydantic(tmp_path):
    """The first screen of a large brief comes from read_head, which imports neither the
    parser nor pydantic: same text, blocks, styles and mentions as the parse of that head."""
    import subprocess
    import sys

    from bench.bench_reader import make_big_brief
    from briefing.core.model import HIGHLIGHT_TYPE
    from briefing.core.parser import parse_brief
    from briefing.session.progressive import HIGHLIGHT_TYPE as HEAD_HIGHLIGHT, brief_head, read_head

    assert HEAD_HIGHLIGHT == HIGHLIGHT_TYPE
    path = make_big_brief(tmp_path)
    data = path.read_bytes()
    head = read_head(data, str(path))
    full = parse_brief(brief_head(data.decode("utf-8")), str(path))
    assert head.text == full.text and len(head.text) > 10_000
    assert [(b.kind, b.start, b.end, b.level, b.content_start) for b in head.blocks] == \
        [(b.kind, b.start, b.end, b.level, b.content_start) for b in full.blocks]
    assert [(s.kind, s.start, s.end) for s in head.styles] == [(s.kind, s.start, s.end) for s in full.styles]
    assert [(m.type, m.start, m.end) for m in head.mentions] == [(m.type, m.start, m.end) for m in full.mentions]
    assert (head.meta.title, head.meta.published) == (full.meta.title, full.meta.published)
    assert read_head(b"---\ntitle: small\n---\nbody\n", "small.md") is None  # small: no head
    code = ("import sys; from briefing.session.progressive import read_head; "
            f"assert read_head(open({str(path)!r}, 'rb').read(), 'x') is not None; "
            "assert 'pydantic' not in sys.modules and 'briefing.core.parser' not in sys.modules; "
            "assert 'yaml' not in sys.modules")  # (plain front matter: the light reader's)
    assert subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0


def test_head_of_a_large_brief_with_front_matter_in_another_shape(tmp_path):
    """Front matter the light reader gives up on (a comment, a block scalar) is read by the
    full reader: the head still shows, with the same title and summary as the parse; front
    matter the full reader refuses (an alias) gives no head, and the parse says why."""
    from bench.bench_reader import make_big_brief
    from briefing.core.parser import parse_brief
    from briefing.session.progressive import brief_head, read_head

    data = make_big_brief(tmp_path).read_bytes()
    other = data.replace(b"title: One megabyte brief\n",
                         b"title: One megabyte brief # a comment\nsummary: |\n  Two\n  lines\n", 1)
    head = read_head(other, "x.md")
    full = parse_brief(brief_head(other.decode("utf-8")), "x.md")
    assert (head.meta.title, head.meta.summary) == (full.meta.title, full.meta.summary) == \
        ("One megabyte brief", "Two\nlines\n")
    assert read_head(data.replace(b"title: One megabyte brief\n", b"title: &t One megabyte brief\nsource: *t\n", 1),
                     "x.md") is None


async def test_large_brief_shows_its_head_then_the_whole(tmp_path):
    from bench.bench_reader import make_big_brief

    path = make_big_brief(tmp_path)
    app = create_app([path])
    async with app.run_test(size=(120, 40)) as pilot:
        pane = app.query_one(ReadingPane)
        assert pane.brief is not None and "Benchmarkopening" in pane.brief.text  # in the first frame
        for _ in range(100):
            await pilot.pause(0.1)
            if app.main._partial_path is None and len(pane.brief.text) > 500_000:
                break
        assert len(pane.brief.text) > 500_000  # the whole brief replaced its head
        assert any(o.id and o.id.startswith("fact:") for o in app.query_one(FactsPanel).options)


async def test_the_ui_thread_never_parses_a_brief(corpus, monkeypatch):
    """A small brief opened with j is parsed on a thread of its own while the UI waits a few
    milliseconds (issue 15: the UI thread never parses); one that takes longer (a dense brief)
    does not hold the screen: keys are answered at once and the brief shows when parsed."""
    import threading
    import time

    from briefing.session.library import Library

    app = create_app([corpus])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.pause(0.3)
        app.screen.session.brief_cache.clear()
        threads: list[str] = []
        original = Library.load_now
        slow = {"on": False}

        def recording(self, path):
            threads.append(threading.current_thread().name)
            if slow["on"]:
                time.sleep(0.6)  # a parse far longer than the UI waits
            return original(self, path)

        monkeypatch.setattr(Library, "load_now", recording)
        monkeypatch.setattr(Library, "prefetch", lambda *a, **k: None)  # every open parses
        pane = app.query_one(ReadingPane)
        before = pane.brief.meta.title
        await pilot.press("j")
        await pilot.pause(0.1)
        assert threads and threading.main_thread().name not in threads
        assert pane.brief.meta.title != before  # shown at once (within the wait)
        slow["on"] = True
        shown = pane.brief.meta.title
        started = time.perf_counter()
        await pilot.press("j")
        waited = time.perf_counter() - started
        assert waited < 0.4, waited  # the key's handler did not wait for the parse
        assert pane.brief.meta.title == shown  # not parsed yet
        for _ in range(40):
            await pilot.pause(0.05)
            if pane.brief.meta.title != shown:
                break
        assert pane.brief.meta.title != shown  # shown once parsed
        assert len(threads) == 2 and threading.main_thread().name not in threads
