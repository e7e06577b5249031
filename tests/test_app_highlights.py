"""Pilot tests of highlighting, notes, selections and export in the reader."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.test_app import BRIEFS, ready
from briefing.ui.app import create_app
from briefing.ui.screens.confirm import ConfirmScreen
from briefing.ui.screens.export import ExportScreen
from briefing.ui.screens.note import NoteScreen
from briefing.store import Store
from briefing.ui.widgets.facts_panel import FactsPanel, HighlightOption
from briefing.ui.widgets.reading_pane import ReadingPane


@pytest.fixture
def data(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(folder))
    monkeypatch.chdir(tmp_path)
    return folder


def stored(data: Path):
    store = Store.open(data)
    try:
        return store.count()
    finally:
        store.close()


def highlight_options(app) -> list[HighlightOption]:
    return [o for o in app.query_one(FactsPanel).options if isinstance(o, HighlightOption)]


async def test_h_toggles_a_highlight_on_the_cursor_sentence(data):
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("enter", "j", "h")
        pane = app.query_one(ReadingPane)
        assert [(h.start, h.end) for h in pane.highlights] == [pane.sentences[1]]
        assert pane.brief.text[pane.highlights[0].start:].startswith("During their talks in Tokyo")
        assert "Highlights (1)" in [o.prompt.plain for o in app.query_one(FactsPanel).options if o.disabled]
        assert stored(data) == 1
        await pilot.press("h")  # again: removed
        assert pane.highlights == [] and stored(data) == 0


async def test_v_selects_sentence_by_sentence_and_h_highlights_it(data):
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("enter", "v", "j", "j", "h")
        pane = app.query_one(ReadingPane)
        assert [(h.start, h.end) for h in pane.highlights] == [(pane.sentences[0][0], pane.sentences[2][1])]
        assert pane.selection is None  # the selection ends with the highlight


async def test_escape_cancels_a_selection_first(data):
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("enter", "v", "j", "escape")
        pane = app.query_one(ReadingPane)
        assert pane.selection is None and app.focused is pane
        await pilot.press("escape")
        assert app.focused is not pane


async def test_mouse_selection_can_be_highlighted(data):
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("enter")
        pane = app.query_one(ReadingPane)
        body_row = len(pane._header)
        await pilot.mouse_down(ReadingPane, offset=(2, body_row))
        await pilot.hover(ReadingPane, offset=(12, body_row))
        await pilot.mouse_up(ReadingPane, offset=(12, body_row))
        assert pane.mouse_selection is not None
        start, end = pane.mouse_selection
        assert pane.brief.text[start:end] == "The leaders"
        await pilot.press("h")
        assert [(h.start, h.end) for h in pane.highlights] == [(start, end)]


async def test_a_adds_and_edits_a_note(data):
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("enter", "h", "a")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"first note", "enter")
        await pilot.pause()
        pane = app.query_one(ReadingPane)
        assert pane.highlights[0].note == "first note"
        assert "✎ first note" in highlight_options(app)[0].prompt.plain
        await pilot.press("a")
        await pilot.pause()
        note_input = app.screen.query_one("#note", Input)
        assert note_input.value == "first note"
        note_input.value = ""
        await pilot.press(*"[bold]edited[/]", "enter")
        await pilot.pause()
        assert pane.highlights[0].note == "[bold]edited[/]"  # kept literally, shown literally
        assert "✎ [bold]edited[/]" in highlight_options(app)[0].prompt.plain


async def test_a_without_a_highlight_creates_one(data):
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("enter", "j", "a", *"why", "enter")
        await pilot.pause()
        pane = app.query_one(ReadingPane)
        assert [(h.start, h.end, h.note) for h in pane.highlights] == [(*pane.sentences[1], "why")]


async def test_selecting_a_highlight_in_the_sidebar_jumps_to_it(data):
    app = create_app([BRIEFS])
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        await pilot.press("enter", "G", "h", "g")
        pane = app.query_one(ReadingPane)
        assert pane.cursor == 0
        panel = app.query_one(FactsPanel)
        await pilot.press("t")  # the sidebar is collapsed at 80 columns
        panel.focus()
        panel.highlighted = panel.get_option_index(highlight_options(app)[0].id)
        await pilot.press("enter")
        assert pane.cursor == len(pane.sentences) - 1
        assert pane.scroll_offset.y > 0


async def test_export_dialog_writes_and_asks_before_replacing(data, tmp_path):
    app = create_app([BRIEFS])
    out = tmp_path / "out.html"
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("enter", "j", "h", "e")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        default = app.screen.query_one("#path", Input).value
        assert default.endswith("japan-and-new-zealand-agree-on-pact-to-share-classified-information.md")
        await pilot.press("down", "enter")  # choose HTML
        await pilot.pause()
        app.screen.query_one("#path", Input).value = str(out)
        app.screen.query_one("#path", Input).focus()
        await pilot.press("enter")
        await pilot.pause(0.3)
        html = out.read_text()
        assert "<mark" in html and "During their talks in" in html and "<script" not in html.lower()
        out.write_text("keep me")
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#path", Input).value = str(out)
        app.screen.query_one("#path", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert out.read_text() == "keep me"
        # "Keep it" goes back to the dialog, with what was typed, to choose another name.
        assert isinstance(app.screen, ExportScreen)
        assert app.screen.query_one("#path", Input).value == str(out)
        assert app.screen.query_one("#path", Input).has_focus
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause(0.3)
        assert out.read_text().startswith("---\n")  # the default format, md, replaced it


async def test_highlights_reanchor_when_the_brief_changes(data, tmp_path):
    folder = tmp_path / "briefs"
    shutil.copytree(BRIEFS, folder)
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("enter", "j", "h", "q")
    target = folder / "2024-06-19-japan-new-zealand-information-sharing-pact.md"
    source = target.read_text()
    head, body = source.split("\n---\n", 1)
    target.write_text(head + "\n---\nA new opening paragraph was added by the editor.\n\n" + body)
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        pane = app.query_one(ReadingPane)
        [h] = pane.highlights
        assert not h.orphan
        assert pane.brief.text[h.start:h.end].startswith("During their talks in Tokyo")


async def test_export_dialog_digest_has_its_own_name_and_lists_the_highlighted_facts(data, tmp_path):
    from textual.widgets import Checkbox

    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("enter", "j", "h", "e")
        await pilot.pause()
        screen = app.screen
        path = screen.query_one("#path", Input)
        full_name = path.value
        assert not screen.query_one("#facts-scope", Checkbox).value
        screen.query_one("#digest", Checkbox).value = True
        await pilot.pause()
        assert path.value == full_name.replace(".md", "-digest.md")
        assert screen.query_one("#facts-scope", Checkbox).value  # the digest's default
        out = tmp_path / "digest.md"
        path.value = str(out)
        path.focus()
        await pilot.press("enter")
        await pilot.pause(0.3)
        digest = out.read_text()
        assert "## Key facts in the highlights" in digest
        assert "Fumio Kishida" in digest and "Jacinda Ardern" not in digest  # only the highlighted sentence's


async def test_an_exported_briefs_own_highlights_show_with_their_notes(data, tmp_path):
    """`e` → Markdown writes `[…]{.highlight note="…"}`; opened with a fresh data folder the
    brief shows them as highlights (the bar, ✎ for a note, the sidebar), which `h` does not
    remove (they are the file's) and `a` copies into the reader's own."""
    from briefing.core.anchor import Highlight
    from briefing.core.parser import load_brief
    from briefing.export import export

    original = load_brief(next(BRIEFS.glob("*.md")))
    at = original.text.index("During their talks in Tokyo")
    end = original.text.index(".", at) + 1
    mine = Highlight(id="h1", path=str(original.path), start=at, end=end, exact=original.text[at:end],
                     note="why it matters")
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "exported.md").write_text(export(original, [mine], "md"), encoding="utf-8")
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        pane = app.query_one(ReadingPane)
        assert [(h.start, h.end, h.note) for h in pane.highlights] == [(at, end, "why it matters")]
        [option] = highlight_options(app)
        assert "in the file" in option.prompt.plain and "why it matters" in option.prompt.plain
        await pilot.press("enter")
        pane.jump_to(at)
        await pilot.pause()
        drawn = ["".join(seg.text for seg in pane.render_line(y)) for y in range(pane.size.height)]
        assert any(line.startswith("✎") and "During their talks" in line for line in drawn), drawn
        await pilot.press("h")  # the file's: not removed, and nothing stored
        await pilot.pause()
        assert len(pane.highlights) == 1 and stored(data) == 0
        await pilot.press("a")  # copied into the store, with its note, to edit
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert stored(data) == 1
        assert [(h.start, h.end, h.note, h.id.startswith("file:")) for h in pane.highlights] == \
            [(at, end, "why it matters", False)]  # yours, shown instead of the file's (no double)


def test_file_marks_are_keyed_as_the_store_keys_the_brief(data, tmp_path, monkeypatch):
    """A brief's own .highlight spans carry the store's key of the brief (brief_key: the
    resolved path, whatever path it was opened by), made by the model's Highlight.of_text;
    a highlight the store holds over the same words (as any version wrote it: the store's
    rows are unchanged) is shown instead of the file's."""
    import sqlite3

    from briefing.core.parser import load_brief
    from briefing.session.file_marks import is_in_file, with_file_marks
    from briefing.store import brief_key

    real = tmp_path / "real"
    real.mkdir()
    text = ("---\ntitle: Marks\npublished: 2024-06-19\n---\n\n"
            "One [sentence marked]{.highlight note=\"why\"} here. And [another]{.highlight}.\n")
    (real / "marks.md").write_text(text, encoding="utf-8")
    (tmp_path / "link").symlink_to(real)
    monkeypatch.chdir(tmp_path)
    brief = load_brief(Path("link") / "marks.md")  # opened by a path that is not the key
    assert brief_key(brief.path) == str(real / "marks.md") != str(brief.path)
    shown = with_file_marks(brief, [])
    assert [(brief.text[h.start:h.end], h.note, h.path, is_in_file(h)) for h in shown] == [
        ("sentence marked", "why", str(real / "marks.md"), True), ("another", None, str(real / "marks.md"), True)]
    first = shown[0]
    assert (first.exact, first.id) == ("sentence marked", f"file:{first.start}:{first.end}")
    assert first.prefix and brief.text.endswith(first.suffix + brief.text[first.end + len(first.suffix):])

    # A row of the highlights table as the store writes it (unchanged: the file is a contract),
    # over the second mark's words: shown instead of it, under the same key.
    store = Store.open(data)
    try:
        store.add_highlight(brief, shown[1].start, shown[1].end, note="mine")
        stored_ones = store.highlights(brief)
    finally:
        store.close()
    rows = sqlite3.connect(data / "briefing.db").execute("SELECT path, start_pos, end_pos, note FROM highlights").fetchall()
    assert rows == [(str(real / "marks.md"), shown[1].start, shown[1].end, "mine")]
    both = with_file_marks(brief, stored_ones)
    assert [(h.path, h.note, is_in_file(h)) for h in both] == [
        (str(real / "marks.md"), "why", True), (str(real / "marks.md"), "mine", False)]
