"""Hostile briefs in the reader (Pilot), and the raw bytes the installed ``briefing`` sends to a
real terminal (tmux, ``pipe-pane``): every brief opens or shows its errors, nothing from a
brief is read as markup, no control character or escape sequence from a brief reaches the
terminal, notifications with brief text are literal, a broken store or index still opens.

"What reaches the terminal" in Pilot is the screen as Textual would write it: the
compositor's full update printed by a Rich console forced into terminal mode (as
``App.export_screenshot`` does), so an ESC in a segment would be an ESC in the output.
"""

from __future__ import annotations

import asyncio
import builtins
import io
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Input

from tests.cpu import cpu_seconds
from tests.hostile import make_fixtures as mf
from tests.hostile.checks import UNSAFE, terminal_leaks
from tests.test_app import fact_index, ready
from briefing import store as store_mod
from briefing.ui.app import create_app
from briefing.ui.widgets.doc_list import DocList
from briefing.ui.widgets.facts_panel import FactsPanel
from briefing.ui.widgets.reading_pane import ReadingPane

HOSTILE = mf.BRIEFS
SIZE = (120, 40)


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def screen_output(app) -> tuple[str, str]:
    """(what the terminal would receive for the whole screen, its plain text)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True, color_system="truecolor",
                      record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.file.getvalue(), console.export_text(styles=False)


def assert_nothing_leaks(app, where: str) -> str:
    raw, plain = screen_output(app)
    leaks = terminal_leaks(raw)
    assert not leaks, f"{where}: {leaks[:5]}"
    return plain


SENTINEL = "-- waiting for the next brief --"


async def wait_shown(app, pilot, path: str, timeout: float = 20.0) -> str:
    """Wait until the pane shows the brief at ``path`` (all of it: "brief") or a message
    about it ("message"); the pane holds SENTINEL or older content until then. "gone" if
    the file left the list meanwhile (the folder watcher saw it vanish)."""
    pane = app.query_one(ReadingPane)
    doc_list = app.query_one(DocList)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        await pilot.pause(0.03)
        if app.main.current_path != path:
            if not any(e.key == path for e in doc_list.entries):
                return "gone"
            continue
        if pane.brief is not None and pane.brief.path == path and app.main._partial_path is None:
            return "brief"
        if pane.brief is None and pane._message and pane._message[0].text.plain not in (SENTINEL, "Loading briefs…"):
            return "message"
    raise AssertionError(f"{path!r} was not shown within {timeout}s")


async def open_at(app, pilot, index: int, timeout: float = 20.0) -> str:
    """Move the list's cursor to ``index`` (which opens that brief) and wait until it shows."""
    doc_list = app.query_one(DocList)
    entry = doc_list.shown[index]
    pane = app.query_one(ReadingPane)
    if app.main.current_path == entry.key and (pane.brief is None or pane.brief.path == entry.key):
        return await wait_shown(app, pilot, entry.key, timeout)  # already open (or opening)
    pane.show_message([(SENTINEL, "pane--message")])
    doc_list.highlighted = index
    return await wait_shown(app, pilot, entry.key, timeout)


async def open_title(app, pilot, title: str, timeout: float = 20.0) -> str:
    doc_list = app.query_one(DocList)
    return await open_at(app, pilot, next(i for i, e in enumerate(doc_list.shown) if e.title == title), timeout)


def pane_message(app) -> str:
    """The lines the pane shows instead of a brief (errors), whole: the screen may cut them."""
    pane = app.query_one(ReadingPane)
    if pane._message is None:
        return ""
    return "\n".join(text for text, _ in pane._message_source)  # before wrapping to the pane's width


async def walk_every_brief(app, pilot) -> list[tuple[str, str, str, str]]:
    """Open every brief of the list in turn, as j does: (file name, title, what showed
    in the pane, screen text and the pane's whole message)."""
    doc_list = app.query_one(DocList)
    doc_list.focus()
    seen = []
    for i in range(len(doc_list.shown)):
        if i == 0:
            shown = await open_at(app, pilot, 0)
        else:
            entry = doc_list.shown[i]
            app.query_one(ReadingPane).show_message([(SENTINEL, "pane--message")])
            doc_list.action_cursor_down()  # what j does (pilot.press costs a tenth of a second)
            assert doc_list.highlighted == i
            shown = await wait_shown(app, pilot, entry.key)
        entry = doc_list.shown[i]
        plain = assert_nothing_leaks(app, entry.title)
        seen.append((Path(entry.key).name, entry.title, shown, plain + "\n" + pane_message(app)))
    return seen


def hostile_folder(tmp_path: Path, names: bool = False) -> Path:
    """The committed fixtures plus the generated small ones; with ``names``, only odd file names."""
    folder = tmp_path / "hostile"
    if names:
        folder.mkdir()
        for raw in mf.ODD_NAMES:
            with open(os.path.join(os.fsencode(folder), raw), "wb") as fh:
                fh.write(mf.odd_name_brief(raw))
        return folder
    mf.write_small(folder)
    for name in ("gen_deep_yaml_flow.md", "gen_deep_yaml_block.md", "gen_deep_markdown.md", "gen_late_nul.md"):
        (folder / name).write_bytes(mf.GENERATED[name][0]())
    mf.write_oversize(folder / "gen_oversize.md")
    return folder


# ---------------------------------------------------------------------------- every brief


async def test_every_hostile_brief_opens_or_shows_its_errors_and_nothing_reaches_the_terminal(tmp_path):
    folder = hostile_folder(tmp_path)
    app = create_app([folder])
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot, timeout=30)
        doc_list = app.query_one(DocList)
        assert len(doc_list.entries) == len(list(folder.iterdir()))
        seen = await walk_every_brief(app, pilot)
        assert len(seen) == len(doc_list.shown)
        shown = {name: (what, plain) for name, title, what, plain in seen}
        assert set(shown) == {p.name for p in folder.iterdir()}
        # Valid briefs open; broken ones show their problems, located.
        for name in shown:
            expected = "brief" if mf.EXPECT.get(name, mf.GENERATED.get(name, (0, "error"))[1]) == "ok" else "message"
            assert shown[name][0] == expected, (name, shown[name][1][:300])
        assert "[bold red]not bold[/]" in shown["markup.md"][1]
        for name in ("binary.md", "empty.md", "utf16.md", "yaml_tags.md", "yaml_alias_bomb.md", "markup_error.md"):
            assert "cannot be shown" in shown[name][1], name
        assert "YAML tags (!!python/object/apply:os.system) are not allowed" in shown["yaml_tags.md"][1]
        assert "briefs over 8 MB are refused" in shown["gen_oversize.md"][1]
        assert "unclosed '['" in shown["markup_error.md"][1]
        # Control characters are visible placeholders, wherever they are.
        assert "\u241b]0;PWNED-TITLE\u2407" in shown["escapes_body.md"][1]
        assert "\u241b]0;PWNED-TITLE\u2407" in shown["escapes_yaml.md"][1]
        assert "\u241b[5mBlink\u241b[0m" in shown["escapes_yaml.md"][1]  # in the sidebar
        assert "\ufffdevil\ufffd" in shown["trojan.md"][1]
        assert app.is_running


async def test_markup_and_escapes_neither_style_link_act_nor_leak_and_notifications_are_literal(tmp_path):
    app = create_app([HOSTILE / "markup.md", HOSTILE / "escapes_body.md", HOSTILE / "escapes_yaml.md"])
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        assert await open_title(app, pilot, mf.MARKUP_TITLE) == "brief"
        await pilot.press("enter")
        await pilot.pause(0.1)
        plain = assert_nothing_leaks(app, "markup.md")
        for literal in ("[bold red]not bold[/]", "[@click=app.quit]click me[/]", "[on red]this[/on red]",
                        "[bold]Evil[/bold] [@click"):  # (the sidebar cuts the rest)
            assert literal in plain, literal
        prompts = [o.prompt.plain for o in app.query_one(FactsPanel).options]
        assert any("[bold]Evil[/bold] [@click=app.quit]Leader[/]" in p for p in prompts)
        assert any("[red]Red Sea[/red]" in p for p in prompts)
        width, height = app.size
        for y in range(height):
            for x in range(width):
                style = app.screen.get_style_at(x, y)
                assert not (style.link and "evil" in style.link), (x, y, style.link)
                click = str((style.meta or {}).get("@click", ""))
                assert "quit" not in click, (x, y, click)
        # Clicking the text that says @click=app.quit does not quit.
        lines = plain.split("\n")
        y = next(i for i, line in enumerate(lines) if "[@click=app.quit]click me" in line)
        x = lines[y].index("[@click=app.quit]click me") + 3
        await pilot.click(offset=(x, y))
        await pilot.pause(0.1)
        assert app.is_running and app.return_code is None
        # The command palette lists briefs by title: literally too.
        await pilot.press("ctrl+p", *"Mark")
        await pilot.pause(0.3)
        plain = assert_nothing_leaks(app, "palette: markup")
        assert "[bold red]Markup[/]" in plain
        app.screen.query_one(Input).value = "PWNED"
        await pilot.pause(0.3)
        assert "\u241b]0;PWNED-TITLE\u2407" in assert_nothing_leaks(app, "palette: escapes")
        await pilot.press("escape")
        assert app.is_running
        # Choosing a fact notifies its name: markup and escapes in it stay literal and inert.
        doc_list = app.query_one(DocList)
        for title, name in ((mf.MARKUP_TITLE, "[bold]Evil[/bold] [@click=app.quit]Leader[/]"),
                            ("YAML \u241b]0;PWNED-TITLE\u2407 title \ufffd2J \ufffd end", "\u241b[5mBlink\u241b[0m")):
            doc_list.focus()
            assert await open_title(app, pilot, title) == "brief"
            panel = app.query_one(FactsPanel)
            panel.focus()
            panel.highlighted = fact_index(panel, name)
            await pilot.press("enter")
            await pilot.pause(0.1)
            messages = [n.message for n in app._notifications]
            assert f"{name}: mention 1 of 1" in messages, messages
            plain = assert_nothing_leaks(app, title)
            assert name[:12] in plain  # in the sidebar and in the toast, as written


async def test_a_broken_briefs_problems_are_readable_on_screen(tmp_path):
    folder = tmp_path / ("a-folder-with-a-rather-long-name-as-real-ones-have" * 2)
    folder.mkdir()
    (folder / "yaml_tags.md").write_bytes(mf.SMALL["yaml_tags.md"])
    app = create_app([folder])
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        assert_nothing_leaks(app, "yaml_tags.md")
        assert "YAML tags (!!python/object/apply:os.system) are not allowed" in pane_message(app)
        pane = app.query_one(ReadingPane)
        assert all(line.text.cell_len <= pane.scrollable_content_region.width for line in pane._message)


async def test_dialogs_notes_and_exports_from_the_reader_stay_inert(tmp_path):
    from textual.widgets import RadioButton

    from tests.hostile.checks import assert_html_inert
    from briefing.ui.screens.confirm import ConfirmScreen
    from briefing.ui.screens.export import ExportScreen
    from briefing.ui.screens.note import NoteScreen

    app = create_app([HOSTILE / "escapes_body.md", HOSTILE / "html_injection.md"])
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        title = next(e.title for e in app.query_one(DocList).shown if e.title.startswith("Escapes"))
        assert await open_title(app, pilot, title) == "brief"
        pane = app.query_one(ReadingPane)
        pane.focus()
        await pilot.press("a")  # a note on the first sentence, which holds an OSC title sequence
        await pilot.pause(0.1)
        assert isinstance(app.screen, NoteScreen)
        assert "\u241b]0;PWNED-TITLE\u2407" in assert_nothing_leaks(app, "note dialog")
        app.screen.query_one("#note", Input).value = "[bold]note[/] \x1b]0;PWNED-NOTE\x07 \u202e"  # as pasted
        await pilot.press("enter")
        await pilot.pause(0.1)
        (highlight,) = pane.highlights
        assert highlight.note == "[bold]note[/] \u241b]0;PWNED-NOTE\u2407 \ufffd"  # kept inert
        assert_nothing_leaks(app, "note saved")
        # Export it as HTML through the dialog.
        await pilot.press("e")
        await pilot.pause(0.1)
        assert isinstance(app.screen, ExportScreen)
        assert_nothing_leaks(app, "export dialog")
        out = tmp_path / "out.html"
        app.screen.query_one("#path", Input).value = str(out)
        next(b for b in app.screen.query(RadioButton) if b.name == "html").value = True
        await pilot.pause()
        app.screen.query_one("#path", Input).value = str(out)
        await pilot.click("#export")
        for _ in range(50):
            await pilot.pause(0.05)
            if out.exists():
                break
        page = out.read_text(encoding="utf-8")
        assert_html_inert(page)
        assert "[bold]note[/] \u241b]0;PWNED-NOTE\u2407" in page
        assert_nothing_leaks(app, "exported")
        # A javascript: link cannot be opened: no dialog, a refusal.
        assert await open_title(app, pilot, "<script>alert('PWNED')</script> & <b>bold</b>") == "brief"
        pane.focus()
        await pilot.press("o")
        await pilot.pause(0.1)
        assert not isinstance(app.screen, ConfirmScreen)
        assert any("Only http, https and mailto links" in n.message for n in app._notifications)
        assert_nothing_leaks(app, "link refused")


# ---------------------------------------------------------------------------- file names and symlinks


async def test_odd_file_names_never_reach_the_terminal(tmp_path):
    folder = hostile_folder(tmp_path, names=True)
    app = create_app([folder])
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot, timeout=30)
        assert len(app.query_one(DocList).entries) == len(mf.ODD_NAMES)
        for name, title, _, plain in await walk_every_brief(app, pilot):
            assert not UNSAFE.search(title)
        assert app.is_running


async def test_a_symlink_leading_outside_is_not_opened(tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "a.md").write_bytes(mf.SMALL["lf.md"])
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text('---\ntitle: "PWNED-SYMLINK secret"\n---\nSecret.\n', encoding="utf-8")
    (folder / "b-link.md").symlink_to(outside / "secret.md")
    app = create_app([folder])
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        for _, _, what, plain in await walk_every_brief(app, pilot):
            assert "PWNED-SYMLINK" not in plain
            assert "Secret." not in plain


async def test_a_file_name_that_is_not_utf8_gets_a_clear_message(tmp_path):
    folder = tmp_path / "f"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.md"), "wb") as fh:
        fh.write(mf.SMALL["lf.md"])
    app = create_app([folder])
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        assert await open_at(app, pilot, 0) == "message"
        assert_nothing_leaks(app, "not utf-8")
        assert "not valid UTF-8" in pane_message(app), pane_message(app)


async def test_a_symlink_leading_outside_is_followed_when_asked(tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text('---\ntitle: "Followed on purpose"\n---\nSecret.\n', encoding="utf-8")
    (folder / "link.md").symlink_to(outside / "secret.md")
    app = create_app([folder], follow_symlinks=True)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        assert [e.title for e in app.query_one(DocList).shown] == ["Followed on purpose"]
        assert app.query_one(ReadingPane).brief.meta.title == "Followed on purpose"


# ---------------------------------------------------------------------------- big briefs


async def test_100000_spans_on_one_long_line_open_within_seconds(tmp_path):
    # 100,000 spans on one 1.2 MB line. (The parser alone handles a 1 MB line of text and
    # deep nesting in test_hostile_core; a file over the limit is in the folder above.)
    data = mf.many_spans()
    assert len(data.split(b"\n")[3]) > 1024 * 1024
    path = tmp_path / "many-spans.md"
    path.write_bytes(data)
    app = create_app([path])
    async with app.run_test(size=SIZE) as pilot:
        t = cpu_seconds()
        assert await wait_shown(app, pilot, str(path), timeout=120) == "brief"
        assert cpu_seconds() - t < 20
        pane = app.query_one(ReadingPane)
        assert len(pane.brief.mentions) == 100_000
        assert len(pane.brief.facts["org"]) == 97
        pane.focus()  # keys answer at once, even while the brief is being indexed
        t = cpu_seconds()
        await pilot.press("G", "g", "j", "pagedown", "k")
        await pilot.pause()
        assert cpu_seconds() - t < 5
        assert pane.cursor == 0 or pane.cursor_range is not None
        assert_nothing_leaks(app, "many spans")


# ---------------------------------------------------------------------------- files and store


async def test_a_brief_that_vanishes_or_becomes_unreadable_shows_a_message(tmp_path, monkeypatch):
    folder = tmp_path / "f"
    folder.mkdir()
    for name in ("a.md", "b.md", "c.md"):
        (folder / name).write_bytes(mf.SMALL["lf.md"].replace(b"Line endings", name.encode()))
    app = create_app([folder])
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        doc_list = app.query_one(DocList)
        assert [e.title for e in doc_list.shown] == ["a.md", "b.md", "c.md"]
        app.session.brief_cache.clear()
        (folder / "b.md").unlink()  # gone after it was listed
        def refusing(real_open):
            def refuse(file, *args, **kwargs):  # root reads anything: the refusal is simulated
                if isinstance(file, (str, os.PathLike)) and os.path.basename(os.fspath(file)) == "c.md":
                    raise PermissionError(13, "Permission denied", str(file))
                return real_open(file, *args, **kwargs)
            return refuse

        # (a whole brief is read with os.open, without blocking; its head with open)
        monkeypatch.setattr(builtins, "open", refusing(builtins.open))
        monkeypatch.setattr(os, "open", refusing(os.open))
        doc_list.focus()
        for name, expected in (("b.md", ("no such file", "removed")), ("c.md", ("Permission denied",))):
            if not any(e.title == name for e in doc_list.shown):
                continue  # the watcher already took it off the list: fine too
            shown = await open_title(app, pilot, name)
            assert_nothing_leaks(app, name)
            if shown == "gone":  # only a vanished file leaves the list
                assert name == "b.md"
                continue
            assert shown == "message", name
            assert any(e in pane_message(app) for e in expected), pane_message(app)
        # The open brief vanishes: the reader says so (or drops it from the list), no crash.
        assert await open_title(app, pilot, "a.md") == "brief"
        (folder / "a.md").unlink()
        for _ in range(100):
            await pilot.pause(0.05)
            if "removed" in pane_message(app) or not any(e.title == "a.md" for e in doc_list.shown):
                break
        assert "removed" in pane_message(app) or not any(e.title == "a.md" for e in doc_list.shown)
        assert_nothing_leaks(app, "removed")
        assert app.is_running


async def test_a_data_dir_that_cannot_be_written_still_opens_and_says_why(tmp_path, monkeypatch):
    blocker = tmp_path / "data-is-a-file"
    blocker.write_text("x")
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(blocker))
    app = create_app([HOSTILE / "lf.md"])
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.pause(0.2)
        messages = " ".join(n.message for n in app._notifications)
        assert "cannot create the data folder" in messages
        pane = app.query_one(ReadingPane)
        assert pane.brief is not None
        await pilot.press("enter", "h")
        await pilot.pause()
        assert len(pane.highlights) == 1  # kept in memory


LOCKER = r"""
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("CREATE TABLE IF NOT EXISTS lock_probe(x)")
print("locked", flush=True)
sys.stdin.read()
conn.execute("ROLLBACK")
"""


async def test_a_store_locked_by_another_briefing_still_opens(tmp_path, data_dir, monkeypatch):
    from briefing.store import Store

    Store.open().close()  # the database exists, as another briefing would have made it
    monkeypatch.setattr(store_mod, "BUSY_TIMEOUT_MS", 200)
    locker = subprocess.Popen([sys.executable, "-c", LOCKER, str(data_dir / "briefing.db")], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert locker.stdout.readline().strip() == "locked"
        app = create_app([HOSTILE / "lf.md"])
        async with app.run_test(size=SIZE) as pilot:
            await ready(app, pilot)
            await pilot.pause(0.2)
            messages = " ".join(n.message for n in app._notifications)
            assert "another program keeps it locked" in messages
            assert app.query_one(ReadingPane).brief is not None
            await pilot.press("enter", "h")
            await pilot.pause()
            assert len(app.query_one(ReadingPane).highlights) == 1
            made = app.query_one(ReadingPane).highlights[0]
    finally:
        locker.stdin.close()
        locker.wait(timeout=10)
    # Quitting kept the highlight beside the database; the next run writes it, the file now free.
    from briefing.core.parser import load_brief

    with Store.open() as store:
        assert not store.in_memory
        assert [(h.start, h.end) for h in store.highlights(load_brief(HOSTILE / "lf.md"))] == [(made.start, made.end)]


async def test_a_corrupt_store_and_index_are_moved_aside_and_the_app_opens(tmp_path, data_dir):
    data_dir.mkdir(parents=True)
    garbage = b"\x1b]0;PWNED\x07 this is not a database " * 200
    (data_dir / "briefing.db").write_bytes(garbage)
    (data_dir / "index.db").write_bytes(b"SQLite format 3\x00" + b"\xfe" * 5000)
    app = create_app([HOSTILE / "lf.md", HOSTILE / "markup.md"])
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.pause(0.2)
        messages = " ".join(n.message for n in app._notifications)
        assert "kept as briefing.db.corrupt-" in messages, messages
        assert "moved aside" in messages and "index" in messages, messages
        assert app.query_one(ReadingPane).brief is not None
        assert len(app.query_one(DocList).entries) == 2
        assert_nothing_leaks(app, "corrupt databases")
    kept = sorted(p.name for p in data_dir.iterdir() if ".corrupt-" in p.name and not p.name.endswith(("-wal", "-shm")))
    assert len(kept) == 2, kept
    assert (data_dir / kept[0]).read_bytes() == garbage or (data_dir / kept[1]).read_bytes() == garbage
    with sqlite3.connect(data_dir / "briefing.db") as conn:  # a new, sound database
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"


# ---------------------------------------------------------------------------- a real terminal (tmux)


def styled_screen(term) -> str:
    """The screen with its colours (so a moved list cursor counts as a change)."""
    return subprocess.run([*term.tmux, "capture-pane", "-p", "-e", "-t", term.name], capture_output=True,
                          text=True, errors="replace").stdout


def settle(term, before: str, quiet: float = 0.15, limit: float = 3.0) -> None:
    """Wait until the screen has changed from ``before`` and then stayed the same for ``quiet``
    seconds (the brief under the cursor is drawn), or ``limit`` seconds have gone by."""
    start = time.monotonic()
    last, since = before, time.monotonic()
    while time.monotonic() - start < limit:
        now = styled_screen(term)
        if now != last:
            last, since = now, time.monotonic()
        elif now != before and time.monotonic() - since >= quiet:
            return
        time.sleep(0.02)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)")
@pytest.mark.xdist_group("e2e")
def test_tmux_no_escape_from_a_brief_reaches_the_terminal(tmp_path):
    """The installed ``briefing`` opens every hostile brief in a real terminal; tmux records
    every byte it writes (``pipe-pane``): no OSC (title, clipboard, hyperlink) and no other
    escape from a brief is among them, only their placeholders. (File names are checked by
    test_odd_file_names_never_reach_the_terminal.)"""
    exe = shutil.which("briefing")
    if exe is None:
        pytest.fail("the briefing command is not installed: run `pip install .` first")
    from tests.test_e2e_tmux import Tmux

    # The briefs that carry terminal payloads, and a few broken ones (every fixture goes through
    # the reader in test_every_hostile_brief_opens_or_shows_its_errors_and_nothing_reaches_the_terminal).
    folder = tmp_path / "hostile"
    folder.mkdir()
    for name in ("markup.md", "markup_error.md", "escapes_body.md", "escapes_error.md", "escapes_yaml.md",
                 "escapes_yaml_error.md", "trojan.md", "html_injection.md", "yaml_tags.md", "binary.md"):
        (folder / name).write_bytes(mf.SMALL[name])
    mf.write_oversize(folder / "oversize.md")
    count = len(os.listdir(folder))
    record = tmp_path / "terminal.bin"
    go = tmp_path / "go"
    # The app starts only once the recording is on, so every byte it writes is captured.
    command = f"while [ ! -e {go} ]; do sleep 0.02; done; exec {exe} {folder}"
    term = Tmux(command, cwd=tmp_path, env={"BRIEFING_DATA_DIR": str(tmp_path / "data")}, width=120, height=40)
    try:
        subprocess.run([*term.tmux, "pipe-pane", "-o", "-t", term.name, f"cat >> {record}"], check=True)
        go.touch()
        term.wait_for(f"Briefs {count}/{count}", timeout=30)
        term.wait_for("Highlights (", timeout=30)  # the first brief is open, with its facts
        time.sleep(1.0)  # and the folder indexed: keys are not queued behind the indexing
        for _ in range(count - 1):  # every brief in turn, as a reader would: wait until it is drawn
            before = styled_screen(term)
            term.keys("j")
            settle(term, before)
        term.keys("g", "Enter", "Tab", "Enter")  # the first brief's pane, its facts, a fact's toast
        time.sleep(0.3)
        term.keys("q")
        deadline = time.monotonic() + 10
        while term.alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not term.alive(), "q did not quit:\n" + term.screen()
    finally:
        term.kill()
    data = record.read_bytes()
    assert len(data) > 20_000, "nothing was recorded"
    oscs = re.findall(rb"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?", data)
    # Textual's own OSC 22 (the mouse pointer's shape) is the only OSC the app writes.
    assert all(s.startswith(b"\x1b]22;") for s in oscs), [s[:40] for s in oscs if not s.startswith(b"\x1b]22;")][:5]
    assert not re.search(rb"\xc2[\x80-\x9f]", data)  # no C1 control (8-bit CSI, OSC), UTF-8 encoded
    assert not re.search(rb"\x1b[^\[\]]", data.replace(b"\x1b7", b"").replace(b"\x1b8", b""))  # only CSI, OSC 22
    for bidi in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        assert bidi.encode() not in data
    for payload in (b"PWNED-TITLE", b"PWNED-CLIP", b"PWNED-LINK", b"PWNED-C1", b"PWNED-MARKUP", b"PWNED-ATTR",
                    b"PWNED-SOURCE"):
        at = data.find(payload)
        while at >= 0:
            assert b"\x1b]" not in data[max(0, at - 40):at], (payload, data[max(0, at - 40):at + 20])
            at = data.find(payload, at + 1)
    # Every brief was drawn (what was drawn instead of escapes: the placeholders), and every
    # broken one showed its problems.
    text = re.sub(rb"\x1b\[[0-?]*[ -/]*[@-~]", b"", data).decode("utf-8", "replace")
    for marker in ("\u241b]52;c;UFdORUQtQ0xJUA==\u2407",  # escapes_body: the pane; escapes_yaml: its header
                   "\u241b]8;;https://evil.example/PWNED-LINK",  # escapes_body
                   "[@click=app.quit]click me[/]",  # markup
                   "Check if admin",  # trojan
                   '<script>alert("PWNED")</script>',  # html_injection
                   "\u241b[5mBlink\u241b[0m",  # escapes_yaml's sidebar
                   "cannot be shown"):  # a broken brief's problems
        assert marker in text, marker
