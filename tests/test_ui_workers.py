"""Search and export run off the UI thread (issue 15): the search line and the export dialog hand
their work to workers, a new search line cancels the old one and a stale result is never shown,
keys answer while the work runs, a failed export is a message in the dialog, and q ends the
process even while a worker cannot stop. Slow work is injected (no timing assertions)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from textual.widgets import Input

from briefing.db import is_interrupted
from briefing.index import Index
from briefing.session.library import Library
from briefing.ui.app import create_app
from briefing.ui.messages import ListQueryDone
from briefing.ui.screens.export import ExportScreen
from briefing.ui.screens.main import MainScreen
from briefing.ui.widgets.doc_list import DocList
from tests.test_app import BRIEFS, NEWEST, OLDER, ready
from tests.test_app_corpus import wait_until

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def data(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "data"


def titles(app) -> list[str]:
    return [e.title for e in app.query_one(DocList).shown]


class SlowSearch:
    """Stands in for ``Library.run_list_query``: a line that starts with a word in ``slow``
    waits for ``release`` (stopping early when cancelled, unless ``stubborn``), then runs
    for real. Records the thread of each call and the lines that saw their cancellation."""

    def __init__(self, real, slow: set[str], stubborn: bool = False) -> None:
        self.real, self.slow, self.stubborn = real, slow, stubborn
        self.release = threading.Event()
        self.started = threading.Event()
        self.on_ui_thread: list[bool] = []
        self.cancelled: list[str] = []

    def __call__(self, line: str, cancelled=None):
        self.on_ui_thread.append(threading.current_thread() is threading.main_thread())
        if line.split(" ", 1)[0] in self.slow:
            self.started.set()
            while not self.release.wait(0.01):
                if not self.stubborn and cancelled is not None and cancelled():
                    self.cancelled.append(line)
                    raise sqlite3.OperationalError("interrupted")
        return self.real(line, cancelled)


async def search_for(pilot, line: str) -> None:
    app = pilot.app
    app.query_one(DocList).focus()
    await pilot.press("slash")
    await pilot.pause()
    app.query_one("#search", Input).value = line
    await pilot.press("enter")


async def test_keys_answer_while_a_slow_search_runs_then_its_result_is_shown():
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        slow = SlowSearch(app.session.run_list_query, {"cooperate"})
        app.session.run_list_query = slow
        try:
            await search_for(pilot, "cooperate")
            await wait_until(pilot, slow.started.is_set)
            # The search waits in its worker; the reader answers keys meanwhile.
            main = app.main
            wide = not main.has_class("-narrow")
            await pilot.press("t")
            assert main.has_class("-hide-facts") == wide
            doc_list = app.query_one(DocList)
            first = doc_list.current_entry.path
            await pilot.press("j")
            assert doc_list.current_entry.path != first
            assert titles(app) == [NEWEST, OLDER]  # not filtered yet
        finally:
            slow.release.set()
        await wait_until(pilot, lambda: titles(app) == [OLDER])
        assert slow.on_ui_thread == [False]


async def test_a_new_line_cancels_the_running_search():
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        slow = SlowSearch(app.session.run_list_query, {"senkaku"})
        app.session.run_list_query = slow
        try:
            await search_for(pilot, "senkaku")
            await wait_until(pilot, slow.started.is_set)
            await search_for(pilot, "cooperate")
            await wait_until(pilot, lambda: titles(app) == [OLDER])
            await wait_until(pilot, lambda: slow.cancelled == ["senkaku"])
            # c clears the line: a search still running is cancelled too, at once.
            slow.started.clear()
            await search_for(pilot, "senkaku")
            await wait_until(pilot, slow.started.is_set)
            await pilot.press("c")
            assert titles(app) == [NEWEST, OLDER]
            await wait_until(pilot, lambda: slow.cancelled == ["senkaku", "senkaku"])
        finally:
            slow.release.set()


async def test_a_stale_result_is_never_shown():
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        # A search that ignores its cancel flag and comes back after a newer line.
        slow = SlowSearch(app.session.run_list_query, {"senkaku"}, stubborn=True)
        app.session.run_list_query = slow
        main = app.main
        await search_for(pilot, "senkaku")
        await wait_until(pilot, slow.started.is_set)
        await search_for(pilot, "cooperate")
        await wait_until(pilot, lambda: titles(app) == [OLDER])
        slow.release.set()
        await wait_until(pilot, lambda: not any(w.is_running for w in main.workers if w.group == "search"))
        await pilot.pause()
        assert titles(app) == [OLDER] and app.query_one(DocList).query_filter == "cooperate"
        # And a result that reaches the screen late (its serial not the latest) is dropped there.
        real = app.session.run_list_query.real
        main.post_message(ListQueryDone(main._search_serial - 1, "senkaku", real("senkaku"), quiet=True))
        await pilot.pause()
        assert titles(app) == [OLDER]


async def test_filter_by_fact_tells_the_count_once_the_search_is_done():
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        main = app.main
        main.facts.focus()
        await pilot.press("down")  # the first leader
        fact = main.facts.current_fact
        await pilot.press("f")
        await wait_until(pilot, lambda: any("mention" in n.message for n in app._notifications))
        told = [n.message for n in app._notifications if "mention" in n.message]
        assert told == [f"{len(main.doc_list.shown)} brief(s) mention {fact.label}"]


def test_an_index_query_stops_when_its_cancel_flag_turns_true(tmp_path):
    index = Index.open(tmp_path / "data")
    try:
        index.refresh([BRIEFS])
        asked = []

        def cancelled() -> bool:
            asked.append(1)
            return len(asked) > 3  # polled during the query, not only before it

        endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
        with index.cancellable(cancelled):
            with pytest.raises(sqlite3.OperationalError) as raised:
                index._conn().execute(endless).fetchone()
        assert is_interrupted(raised.value) and len(asked) == 4
        assert index.search("Kishida", [BRIEFS])  # the flag is gone after the block: queries run
        assert len(asked) == 4
    finally:
        index.close()


def test_the_session_search_is_interrupted_by_its_flag(tmp_path):
    from bench.corpus import generate_corpus

    folder = tmp_path / "corpus"
    generate_corpus(folder, 200, seed=15)  # (a query of two briefs ends before SQLite asks)
    session = Library([folder])
    try:
        session.index.refresh([folder])
        assert session.run_list_query("minister").hits
        with pytest.raises(sqlite3.OperationalError) as raised:
            session.run_list_query("minister", cancelled=lambda: True)
        assert is_interrupted(raised.value)
        assert session.run_list_query("minister", cancelled=lambda: False).hits
    finally:
        session.close()
        session.index.close()


def test_the_filters_of_a_line_are_capped_and_counted_once():
    from briefing.index.query import parse_list_query
    from briefing.index.search import MAX_QUERY_TERMS

    q = parse_list_query("tag:x " * 50 + "leader:kish leader:Kish trade")
    assert q.tags == ["x"] and q.facts == [("leader", "kish")] and q.text == "trade"
    q = parse_list_query(" ".join(f"region:r{i}" for i in range(60)))
    assert len(q.facts) == MAX_QUERY_TERMS and q.problems == [f"too many filters: the first {MAX_QUERY_TERMS} are used"]
    assert parse_list_query("x" * 5000).text == "x" * 1000  # cut at MAX_QUERY_CHARS


# ---------------------------------------------------------------------------- export


class SlowExport:
    """Stands in for ``MainScreen._export_to``: waits for ``release`` or its cancellation."""

    def __init__(self, fail: Exception | None = None) -> None:
        self.fail = fail
        self.release = threading.Event()
        self.started = threading.Event()
        self.saw_cancel = False
        self.on_ui_thread: list[bool] = []

    def __call__(self, screen, brief, request, cancelled):
        self.on_ui_thread.append(threading.current_thread() is threading.main_thread())
        self.started.set()
        if self.fail is not None:
            raise self.fail
        while not self.release.wait(0.01):
            if cancelled():
                self.saw_cancel = True
                return None
        return MainScreen._real_export_to(screen, brief, request, cancelled)


@pytest.fixture
def slow_export(monkeypatch):
    def install(fail: Exception | None = None) -> SlowExport:
        slow = SlowExport(fail)
        monkeypatch.setattr(MainScreen, "_real_export_to", MainScreen._export_to, raising=False)
        monkeypatch.setattr(MainScreen, "_export_to", lambda self, *a: slow(self, *a))
        return slow
    return install


async def open_export(app, pilot, out: Path) -> ExportScreen:
    await pilot.press("enter", "j", "h", "e")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ExportScreen)
    screen.path_input.value = str(out)
    screen.path_input.focus()
    await pilot.press("enter")
    return screen


async def test_export_runs_in_a_worker_says_so_and_escape_cancels_it(slow_export, tmp_path):
    slow = slow_export()
    out = tmp_path / "out.md"
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        try:
            screen = await open_export(app, pilot, out)
            await wait_until(pilot, slow.started.is_set)
            assert app.screen is screen and screen.exporting
            assert "Exporting 1 highlight(s)…" in screen.status.render().plain
            assert screen.form.disabled and app.focused is screen.cancel_button  # q reaches the app
            await pilot.press("escape")
            assert app.screen is app.main
            await wait_until(pilot, lambda: slow.saw_cancel)
        finally:
            slow.release.set()
        assert not out.exists() and slow.on_ui_thread == [False]


async def test_a_slow_export_finishes_and_the_dialog_closes(slow_export, tmp_path):
    slow = slow_export()
    out = tmp_path / "out.md"
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        screen = await open_export(app, pilot, out)
        await wait_until(pilot, slow.started.is_set)
        slow.release.set()
        await wait_until(pilot, lambda: any(n.message.startswith("Exported to ") for n in app._notifications))
        assert app.screen is app.main
        assert out.read_text().startswith("---\n") and screen.exporting is False


async def test_a_failed_export_is_a_message_in_the_dialog_with_every_choice_kept(slow_export, tmp_path):
    slow = slow_export(OSError(28, "No space left on device"))
    out = tmp_path / "out.md"
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        screen = await open_export(app, pilot, out)
        await wait_until(pilot, lambda: not screen.exporting and "failed" in screen.status.render().plain)
        assert app.screen is screen  # the dialog stays, to try another name
        assert "Export failed: [Errno 28] No space left on device" in screen.status.render().plain
        assert screen.path_input.value == str(out) and not screen.form.disabled
        assert app.focused is screen.path_input
        assert not out.exists()


async def test_the_path_submitted_is_the_one_written_whatever_is_typed_next(tmp_path):
    out = tmp_path / "out.md"
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("enter", "e")
        await pilot.pause()
        screen = app.screen
        screen.path_input.value = str(out)
        screen.path_input.focus()
        await pilot.press("enter", "x")  # x reaches the line before the Submitted handler runs
        await wait_until(pilot, lambda: app.screen is app.main)
    assert out.read_text().startswith("---\n") and not (tmp_path / "x").exists()


# ---------------------------------------------------------------------------- a dialog as the app quits

OPENERS = {
    "export": lambda app: app.main.action_export(),
    "confirm": lambda app: app.main._mark_all_read(),
    "outline": lambda app: app.main._outline(),
    "timeline": lambda app: app.main.action_timeline(),
    "profile": lambda app: app.main.action_profile(),
    "related": lambda app: app.main.action_related(),
    "help": lambda app: app.action_help(),
}


@pytest.mark.parametrize("name", list(OPENERS))
async def test_a_dialog_opened_as_the_app_quits_queries_nothing(name):
    # e then q pressed together raised NoMatches in ExportScreen's on_mount: the app was
    # closing, the dialog got on_mount without its widgets. Every dialog holds its widgets.
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        OPENERS[name](app)
        app.exit()
        await pilot.pause()
    assert app.return_code == 0  # (an exception in a handler fails the test when the app ends)


async def test_e_then_q_quits():
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("enter", "e", "q")
        await pilot.pause()
    assert app.return_code == 0


# ---------------------------------------------------------------------------- q while a worker cannot stop

QUIT_SCRIPT = textwrap.dedent("""
    import sys, threading
    from pathlib import Path
    from briefing.ui.app import create_app

    app = create_app([Path(sys.argv[1])])
    blocked = threading.Event()

    def parse_forever(path, on_head=None):  # a parse that never ends, and never checks a flag
        blocked.set()
        threading.Event().wait()

    app.session.parse = app.session.load_now = parse_forever  # (the first frame's parse too: the loader takes it over)

    async def press_q(pilot):
        while not blocked.is_set():
            await pilot.pause(0.05)
        print("worker blocked", flush=True)
        await pilot.press("q")

    app.run(headless=True, size=(120, 40), auto_pilot=press_q)
    print("app ended", flush=True)
""")


def test_q_ends_the_process_while_a_worker_is_stuck(tmp_path):
    script = tmp_path / "quit.py"
    script.write_text(QUIT_SCRIPT)
    folder = tmp_path / "briefs"
    folder.mkdir()
    (folder / "one.md").write_text("---\ntitle: One\n---\nText.\n")
    # With asyncio's own executor the process waits for the worker forever: the timeout fails it.
    proc = subprocess.run([sys.executable, str(script), str(folder)], capture_output=True, text=True, timeout=120,
                          cwd=tmp_path)
    assert proc.stdout.splitlines() == ["worker blocked", "app ended"], proc.stderr[-2000:]
    assert proc.returncode == 0


END_SCRIPT = textwrap.dedent("""
    import asyncio, sys, threading
    from briefing.cli import end_now_if_busy
    from briefing.ui import threads

    stuck = sys.argv[1] == "stuck"

    async def main():
        threads.install()
        loop = asyncio.get_running_loop()
        started = threading.Event()

        def work():
            started.set()
            if stuck:
                threading.Event().wait()  # never ends

        future = loop.run_in_executor(None, work)
        while not started.is_set():
            await asyncio.sleep(0.01)
        if not stuck:
            await future

    asyncio.run(main())
    print("the app ended", end="")  # (no newline: flushed by end_now_if_busy, not by a line end)
    code = end_now_if_busy(3)
    print(f" and the interpreter ends as usual ({code})")
""")


@pytest.mark.parametrize("state", ["stuck", "idle"])
def test_the_process_ends_at_once_only_when_a_worker_is_still_busy(tmp_path, state):
    script = tmp_path / "end.py"
    script.write_text(END_SCRIPT)
    proc = subprocess.run([sys.executable, str(script), state], capture_output=True, text=True, timeout=120)
    if state == "stuck":
        assert (proc.returncode, proc.stdout) == (3, "the app ended")
    else:
        assert (proc.returncode, proc.stdout) == (0, "the app ended and the interpreter ends as usual (3)\n")
