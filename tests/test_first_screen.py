"""The first screen a person can read: the newest brief's text and facts, kept from the last
start (briefing.session.first_screen), shown in the first frame and then replaced by the full
parse, which brings the highlights and the reading position."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.test_app import BRIEFS, NEWEST, ready
from briefing.core.parser import load_brief
from briefing.session import first_screen
from briefing.ui.app import create_app
from briefing.ui.widgets.facts_panel import FactOption, FactsPanel
from briefing.ui.widgets.reading_pane import ReadingPane


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def folder(tmp_path) -> Path:
    out = tmp_path / "briefs"
    shutil.copytree(BRIEFS, out)
    return out


def newest(folder: Path) -> Path:
    return max(folder.glob("*.md"))


def count_parses(monkeypatch) -> list[str]:
    """The paths the library parses from now on (whole or head, on any thread), in order."""
    from briefing.session.library import Library

    parsed: list[str] = []
    for name in ("parse", "load_now"):
        real = getattr(Library, name)
        monkeypatch.setattr(Library, name, lambda self, path, *a, _real=real, **k: (parsed.append(path), _real(self, path, *a, **k))[1])
    return parsed


async def second_start(folder: Path, monkeypatch, loader_delay: float):
    """A first start that keeps its first screen, then the app of the next start, whose loader
    starts ``loader_delay`` seconds after its first frame (the kept screen stays that long)."""
    import briefing.ui.screens.main as main_module

    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
    monkeypatch.setattr(main_module, "LOADER_DELAY", loader_delay)
    return create_app([folder])


def test_kept_screen_reads_as_the_parse(tmp_path, folder):
    path = newest(folder)
    brief = load_brief(path)
    file = tmp_path / "first-screen.json"
    first_screen.save(file, brief, first_screen.stamp_of(str(path)))
    kept = first_screen.load(file, str(path))
    assert kept.text == brief.text and kept.meta.title == brief.meta.title == NEWEST
    assert kept.meta.published == brief.meta.published and kept.meta.tags == brief.meta.tags
    assert [(b.kind, b.start, b.end, b.level, b.content_start) for b in kept.blocks] == \
        [(b.kind, b.start, b.end, b.level, b.content_start) for b in brief.blocks]
    assert [(s.kind, s.start, s.end, s.url) for s in kept.styles] == [(s.kind, s.start, s.end, s.url) for s in brief.styles]
    assert [(m.type, m.start, m.end) for m in kept.mentions] == [(m.type, m.start, m.end) for m in brief.mentions]
    assert {k: [(f.key, f.label, f.mentions, f.texts, f.role, [tuple(s) for s in f.spans]) for f in v] for k, v in kept.facts.items()} == \
        {k: [(f.key, f.label, f.mentions, f.texts, f.role, [tuple(s) for s in f.spans]) for f in v] for k, v in brief.facts.items()}


def test_kept_screen_is_used_only_for_the_same_file_as_it_is(tmp_path, folder):
    path = newest(folder)
    file = tmp_path / "first-screen.json"
    first_screen.save(file, load_brief(path), first_screen.stamp_of(str(path)))
    assert first_screen.load(file, str(path)) is not None
    assert first_screen.load(file, str(folder / "other.md")) is None  # another brief
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert first_screen.load(file, str(path)) is None  # changed since
    file.write_text("{not json", encoding="utf-8")
    assert first_screen.load(file, str(path)) is None  # damaged: no first screen, no error
    assert first_screen.load(tmp_path / "missing.json", str(path)) is None


def test_kept_screen_never_brings_a_control_character_to_the_screen(tmp_path, folder):
    path = newest(folder)
    file = tmp_path / "first-screen.json"
    first_screen.save(file, load_brief(path), first_screen.stamp_of(str(path)))
    data = json.loads(file.read_text(encoding="utf-8"))
    data["meta"]["title"] = "\x1b]0;PWNED\x07"
    data["text"] = "\x1b[2J" + data["text"][4:]
    file.write_text(json.dumps(data), encoding="utf-8")
    kept = first_screen.load(file, str(path))
    assert kept is not None and "\x1b" not in kept.text and "\x1b" not in kept.meta.title
    assert len(kept.text) == len(data["text"])  # offsets hold


async def test_second_start_shows_text_and_facts_in_its_first_frame_then_the_whole(folder, monkeypatch):
    import briefing.ui.screens.main as main_module

    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        pane = app.query_one(ReadingPane)
        pane.focus()
        await pilot.press("j", "j", "j", "h")  # a highlight, and a reading position to come back to
        await pilot.pause()
        where = pane.cursor_range[0]
        await pilot.press("q")
    assert (Path(app.session._first_screen_file())).exists()
    monkeypatch.setattr(main_module, "LOADER_DELAY", 1.0)  # the first frame stays long enough to look at
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        pane, panel = app.query_one(ReadingPane), app.query_one(FactsPanel)
        # The first frame: the kept brief, its facts, its highlights still to come.
        assert isinstance(pane.brief, first_screen.ScreenBrief) and pane.brief.meta.title == NEWEST
        assert any(isinstance(o, FactOption) and o.fact.name == "Fumio Kishida" for o in panel.options)
        assert "Highlights" in [o.prompt.plain for o in panel.options if o.disabled]
        assert not pane.has_class("-starting")
        await ready(app, pilot)
        for _ in range(50):
            if not isinstance(pane.brief, first_screen.ScreenBrief):
                break
            await pilot.pause(0.1)
        assert pane.brief.meta.title == NEWEST and not isinstance(pane.brief, first_screen.ScreenBrief)
        assert "Highlights (1)" in [o.prompt.plain for o in panel.options if o.disabled]
        assert pane.cursor_range[0] == where  # the reading position, from the store
        assert len(pane.highlights) == 1


async def test_the_very_first_start_shows_text_and_facts_in_its_first_frame(folder, monkeypatch):
    import briefing.ui.screens.main as main_module

    monkeypatch.setattr(main_module, "LOADER_DELAY", 1.0)  # the first frame stays long enough to look at
    app = create_app([folder])  # nothing kept: an empty data folder
    assert not Path(app.session._first_screen_file()).exists()
    async with app.run_test(size=(120, 40)) as pilot:
        pane, panel = app.query_one(ReadingPane), app.query_one(FactsPanel)
        # The first frame: the newest brief parsed before it, with its facts (not "Loading briefs…").
        assert pane.brief is not None and pane.brief.meta.title == NEWEST and pane._message is None
        assert any(isinstance(o, FactOption) and o.fact.name == "Fumio Kishida" for o in panel.options)
        assert not pane.has_class("-starting")
        await ready(app, pilot)
        for _ in range(50):  # the loader keeps it for the next start
            if Path(app.session._first_screen_file()).exists():
                break
            await pilot.pause(0.1)
    assert first_screen.load(Path(app.session._first_screen_file()), str(newest(folder).resolve())) is not None


async def test_keys_that_need_the_whole_brief_wait_for_it(folder, monkeypatch):
    app = await second_start(folder, monkeypatch, 600.0)  # hold the full parse back (a loaded machine may take seconds to press the keys)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = app.query_one(ReadingPane)
        assert isinstance(pane.brief, first_screen.ScreenBrief)
        await pilot.press("enter", "h", "e")
        await pilot.pause()
        assert pane.highlights == [] and app.screen is app.main  # no highlight, no export dialog
        assert any("Still loading" in str(n.message) for n in app._notifications)


async def test_leaving_the_kept_brief_before_its_parse_and_coming_back_opens_it_whole(folder, monkeypatch):
    app = await second_start(folder, monkeypatch, 0.5)
    async with app.run_test(size=(120, 40)) as pilot:
        pane, panel = app.query_one(ReadingPane), app.query_one(FactsPanel)
        assert isinstance(pane.brief, first_screen.ScreenBrief)
        await pilot.press("j")  # away before the full parse
        await ready(app, pilot)
        await pilot.press("k")  # and back
        for _ in range(50):
            await pilot.pause(0.1)
            if pane.brief is not None and pane.brief.meta.title == NEWEST and not isinstance(pane.brief, first_screen.ScreenBrief):
                break
        assert not isinstance(pane.brief, first_screen.ScreenBrief) and pane.brief.meta.title == NEWEST
        assert "Highlights (0)" in [o.prompt.plain for o in panel.options if o.disabled]


def test_the_benchmark_waits_for_the_pane_and_the_sidebar_not_the_list(folder):
    """bench/bench_reader.py stops its clock on texts that only a readable first screen shows:
    a line of the brief's body (not its title or summary, which the list and the header show
    too) and a fact with its count (which only the sidebar shows)."""
    from bench.bench_reader import first_screen_sentinels

    path = newest(folder)
    brief = load_brief(path)
    pane, sidebar = first_screen_sentinels(path)
    assert pane in brief.text and pane not in brief.meta.title and pane not in (brief.meta.summary or "")
    assert sidebar.endswith(f"×{brief.facts['leader'][0].mentions}") and sidebar not in brief.text
    skeleton = " ".join([brief.meta.title, "Loading briefs…", "Key facts appear here", brief.meta.source or ""])
    assert pane not in skeleton and sidebar not in skeleton


def test_a_warm_start_lists_from_the_index_without_pydantic():
    """The first frame of a warm start reads its rows from the index: importing the index
    must not load pydantic (its import alone is ~0.1 s)."""
    import subprocess
    import sys

    from briefing.core.model import CORE_TYPES
    from briefing.index import CORE_TYPES as INDEX_CORE_TYPES

    assert INDEX_CORE_TYPES == CORE_TYPES
    code = "import sys, briefing.index; assert 'pydantic' not in sys.modules, 'pydantic'"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env={**__import__("os").environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "tui")})
    assert r.returncode == 0, r.stderr


def test_what_a_kept_first_screen_needs_imports_no_regex_package(folder, tmp_path):
    """The list's quick look and the kept first screen of the shipped briefs (English text
    with typographic quotes and no-break spaces) are sanitised without the regex package (its
    import and patterns cost ~13 ms CPU of a first frame): no character there could be one
    sanitise replaces."""
    import os
    import subprocess
    import sys

    path = newest(folder)
    path.write_text(path.read_text(encoding="utf-8") + "\nA no-break\u00a0space.\n", encoding="utf-8")
    first_screen.save(tmp_path / "data" / first_screen.FILE_NAME, load_brief(path), first_screen.stamp_of(str(path)))
    code = ("import sys; from pathlib import Path; from briefing.session.library import Library; "
            "from briefing.session.catalog import sort_entries; "
            f"lib = Library([Path({str(folder)!r})]); entries, _ = lib.initial_entries(); "
            "first = sort_entries(entries, 'date')[0].key; kept = lib.first_screen(first); "
            "assert kept is not None and '\\u00a0' in kept.text and '\\u201c' in kept.text, 'kept'; "
            "assert 'regex' not in sys.modules and 'pydantic' not in sys.modules, 'imported'")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "tui")})
    assert r.returncode == 0, r.stderr


def large_unindexed_folder(tmp_path: Path, n: int = 450) -> tuple[Path, Path]:
    """More briefs than the list peeks at (the index lists them), the shipped newest one
    modified last, the others copies of the older one; returns (folder, newest)."""
    import os

    out = tmp_path / "many"
    out.mkdir()
    older = min(BRIEFS.glob("*.md")).read_bytes()
    for i in range(n):
        (out / f"older-{i:04}.md").write_bytes(older)
        os.utime(out / f"older-{i:04}.md", (1_700_000_000 + i, 1_700_000_000 + i))
    newest_path = out / "zz-newest.md"
    shutil.copy(newest(BRIEFS), newest_path)
    os.utime(newest_path, (1_800_000_000, 1_800_000_000))
    # (named last and modified last, but not the newest by name alone: an older file sorts after it)
    (out / "zzz-old.md").write_bytes(older)
    os.utime(out / "zzz-old.md", (1_600_000_000, 1_600_000_000))
    return out, newest_path


def test_a_large_folder_never_indexed_lists_its_newest_file_for_the_first_frame(tmp_path):
    from briefing.session.library import Library

    folder, newest_path = large_unindexed_folder(tmp_path)
    library = Library([folder])
    entries, total = library.initial_entries()
    assert [e.key for e in entries] == [str(newest_path.resolve())] and total is None and library.first_guessed
    assert entries[0].title == NEWEST and entries[0].status == "pending"


async def test_the_very_first_start_on_a_large_folder_shows_its_newest_brief_in_the_first_frame(tmp_path, monkeypatch):
    import briefing.ui.screens.main as main_module

    monkeypatch.setattr(main_module, "LOADER_DELAY", 1.0)  # the first frame stays long enough to look at
    folder, newest_path = large_unindexed_folder(tmp_path)
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        pane, panel = app.query_one(ReadingPane), app.query_one(FactsPanel)
        # The first frame: the newest file's brief with its facts, not "Loading briefs…".
        assert pane.brief is not None and pane.brief.meta.title == NEWEST and pane._message is None
        assert any(isinstance(o, FactOption) and o.fact.name == "Fumio Kishida" for o in panel.options)
        assert str(app.screen.list_header.render()).startswith("Looking for briefs")
        await ready(app, pilot)
        for _ in range(200):  # indexed: every brief listed, the newest still the one shown
            if app.screen.loaded:
                break
            await pilot.pause(0.1)
        assert app.screen.loaded and len(app.screen.doc_list.entries) == 452
        assert app.screen.doc_list.current_entry.key == str(newest_path.resolve())
        assert pane.brief.meta.title == NEWEST



async def test_the_kept_first_frame_starts_no_parse_before_the_loader(folder, monkeypatch):
    """The list's first highlight opens nothing: a parse started then (on a thread, importing
    the parser and pydantic) held the GIL while Textual drew and wrote the first frame."""
    app = await second_start(folder, monkeypatch, 600.0)
    parsed = count_parses(monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        assert isinstance(app.query_one(ReadingPane).brief, first_screen.ScreenBrief)
        assert parsed == []


async def test_a_cursor_moved_in_the_kept_brief_stays_when_the_whole_comes(folder, monkeypatch):
    app = await second_start(folder, monkeypatch, 0.5)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = app.query_one(ReadingPane)
        assert isinstance(pane.brief, first_screen.ScreenBrief)
        await pilot.press("enter", "j", "j")  # read on before the whole brief came
        where = pane.cursor_range[0]
        assert pane.cursor == 2
        for _ in range(50):
            await pilot.pause(0.1)
            if not isinstance(pane.brief, first_screen.ScreenBrief):
                break
        assert not isinstance(pane.brief, first_screen.ScreenBrief)
        assert pane.cursor_range[0] == where  # h now highlights the sentence the reader is on


async def test_the_brief_parsed_for_the_very_first_frame_is_not_parsed_again(folder, monkeypatch):
    """Nothing kept: the newest brief is parsed for the first frame; the loader delivers that
    parse as the whole brief (h, a, e work at once) and keeps it, without parsing it again."""

    parsed = count_parses(monkeypatch)
    app = create_app([folder])
    first = str(newest(folder).resolve())
    async with app.run_test(size=(120, 40)) as pilot:
        pane = app.query_one(ReadingPane)
        await ready(app, pilot)
        for _ in range(50):  # the loader keeps it for the next start
            if Path(app.session._first_screen_file()).exists():
                break
            await pilot.pause(0.1)
        assert app.main._partial_path is None  # the whole brief: the keys that need it work
        assert pane.brief is not None and pane.brief.meta.title == NEWEST
    assert parsed.count(first) == 1, parsed
    assert first_screen.load(Path(app.session._first_screen_file()), first) is not None


async def test_a_highlight_key_pressed_before_the_whole_brief_acts_when_it_comes(folder, monkeypatch):
    app = await second_start(folder, monkeypatch, 1.5)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = app.query_one(ReadingPane)
        assert isinstance(pane.brief, first_screen.ScreenBrief)
        await pilot.press("enter", "j", "h")  # before the whole brief: told, and done when it comes
        await pilot.pause()
        assert any("done when it has loaded" in str(n.message) for n in app._notifications)
        for _ in range(50):
            await pilot.pause(0.1)
            if pane.highlights:
                break
        assert not isinstance(pane.brief, first_screen.ScreenBrief)
        assert [(h.start, h.end) for h in pane.highlights] == [pane.sentences[1]]  # the sentence j moved to


async def test_a_highlight_key_pressed_while_the_first_parse_runs_long_acts_when_the_brief_comes(folder, monkeypatch):
    """Nothing kept, and the first frame's parse took longer than it waits (a loaded machine):
    the pane says "Loading briefs…" with no brief in it. A key that needs the whole brief (h)
    pressed then was lost ("Open a brief first"); it acts when the brief comes, told so, as
    over a head or a kept screen."""
    import threading

    from briefing.session.library import Library

    real = Library.load_now
    release = threading.Event()

    def held(self, path, *a, **k):  # (the parse ends when the test lets it)
        release.wait(10)
        return real(self, path, *a, **k)

    monkeypatch.setattr(Library, "load_now", held)
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        pane = app.query_one(ReadingPane)
        assert pane.brief is None  # (the first frame waited 0.5 s: "Loading briefs…")
        await pilot.press("enter", "h")
        await pilot.pause()
        said = [str(n.message) for n in app._notifications]
        release.set()
        assert any("done when it has loaded" in m for m in said) and not any("Open a brief first" in m for m in said)
        for _ in range(50):
            await pilot.pause(0.1)
            if pane.highlights:
                break
        assert pane.brief is not None and pane.brief.meta.title == NEWEST
        assert [(h.start, h.end) for h in pane.highlights] == [pane.sentences[0]]


async def test_moving_on_before_the_loader_starts_neither_parses_nor_keeps_the_brief_moved_to_again(folder, monkeypatch):
    """j pressed on the list while the kept first frame shows, before the loader starts: the
    brief moved to is opened by the move. The loader took it for the first brief too: it was
    parsed a second time, and kept as the next start's first screen, which is the newest
    brief's (so the next start had none to use)."""
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
    import json

    import briefing.ui.screens.main as main_module

    kept_file = Path(app.session._first_screen_file())
    newest_key = str(newest(folder).resolve())
    assert json.loads(kept_file.read_text(encoding="utf-8"))["path"] == newest_key
    monkeypatch.setattr(main_module, "LOADER_DELAY", 2.0)
    parsed = count_parses(monkeypatch)
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        pane = app.query_one(ReadingPane)
        assert isinstance(pane.brief, first_screen.ScreenBrief)
        await pilot.press("j")  # (the list has the focus)
        moved_to = app.main.current_path
        assert moved_to != newest_key
        for _ in range(100):
            await pilot.pause(0.1)
            if app.main.loaded and pane.brief is not None and pane.brief.path == moved_to:
                break
        await pilot.pause(0.5)
        assert pane.brief.path == moved_to
    assert parsed.count(moved_to) == 1, parsed
    assert json.loads(kept_file.read_text(encoding="utf-8"))["path"] == newest_key
