"""Issue 16, the reader's last half: a brief whose front matter says ``draft: true`` is reviewed
with the same keys as a raw text, and ``w`` replaces it (after a yes) with the reviewed brief;
a new mention's words are selected from the keyboard, a word at a time."""

from __future__ import annotations

import asyncio
import difflib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.annotate import draft_brief
from briefing.core.parser import load_brief, parse_brief
from briefing.core.problems import BriefError
from briefing.session.drafts import guess_date, parse_mark_answer
from briefing.session.md_draft import MarkdownDraft
from briefing.ui.app import create_app
from briefing.ui.screens.confirm import ConfirmScreen
from briefing.ui.screens.review_prompt import ReviewPrompt
from tests.test_review import focus_fact
from briefing.ui.widgets.reading_pane import ReadingPane
from briefing.ui.widgets.selection_line import SelectionLine

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_c0672818cc265857.txt"
PUBLISHED = "2024-06-19"
# Front matter a person wrote around the drafted entities: kept byte for byte by the review.
EXTRA = "# the desk's own note, kept\ntags: [asia, defence]\nsummary: 'Two prime ministers agree.'\n"


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BRIEFING_CONFIG_DIR", str(tmp_path / "config"))


def drafted() -> str:
    import datetime as dt

    text = draft_brief(SEED.read_text(encoding="utf-8"), published=dt.date.fromisoformat(PUBLISHED))
    return text.replace("draft: true\n", "draft: true\n" + EXTRA, 1)


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "briefs"
    d.mkdir()
    (d / "japan.md").write_text(drafted(), encoding="utf-8")
    return d


def facts_json(brief) -> dict:
    return {k: [f.as_json() for f in v] for k, v in brief.facts.items()}


def briefing(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "tui"), str(ROOT)])}
    return subprocess.run([sys.executable, "-m", "briefing", *args], capture_output=True, text=True, env=env)


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


# ---------------------------------------------------------------------- the review state (no UI)

def test_every_operation_keeps_the_words_and_the_rest_of_the_file(folder):
    path = folder / "japan.md"
    before = path.read_text(encoding="utf-8")
    d = MarkdownDraft.from_path(str(path))
    words = d.brief().text
    n = d.pending
    assert n == len(d.brief().mentions) > 10 and d.draft_fact_keys()
    d.accept_fact("ref:fumio_kishida")
    assert "ref:fumio_kishida" not in d.draft_fact_keys() and d.pending < n
    d.reject_fact("ref:jacinda_ardern")
    assert "Jacinda Ardern" not in [f.name for f in d.brief().facts["leader"]]
    d.retype_fact("ref:fumio_kishida", "person")
    d.merge("ref:europe", "ref:china")
    at = words.index("Ukraine-Russia")
    d.add_mention(at, at + len("Ukraine-Russia crisis"), "event")
    with pytest.raises(ValueError):
        d.add_mention(at, at + 5, "event")  # overlaps the new one: nothing changes
    with pytest.raises(ValueError):
        d.retype_fact("date:2024-04-21|", "leader")  # a date keeps its type
    for _ in range(5):
        assert d.brief().text == words  # no step changed a word
        d.undo()
    assert d.source == before and d.pending == n and not d.undo()
    # Each step, redone and written: only the spans and entities it changed differ.
    d.reject_fact("ref:jacinda_ardern")
    d.retype_fact("ref:fumio_kishida", "person")
    d.merge("ref:europe", "ref:china")
    d.add_mention(at, at + len("Ukraine-Russia crisis"), "event")
    shown = facts_json(d.brief())
    written = d.write(force=True)
    after = path.read_text(encoding="utf-8")
    assert written == path
    assert EXTRA in after and "draft: true" not in after
    assert after.split("\n---\n", 1)[0].splitlines()[:3] == before.splitlines()[:3]  # title, published
    brief = load_brief(path)
    assert brief.text == words and not brief.meta.draft
    assert brief.meta.tags == ["asia", "defence"] and brief.meta.summary == "Two prime ministers agree."
    assert facts_json(brief) == shown
    changed = changed_lines(before, after)
    assert "-draft: true" in changed
    europe = [line for line in before.splitlines() if "ref=europe" in line and "ardern" not in line]
    assert europe and all("+" + line.replace("ref=europe", "ref=china") in changed for line in europe)
    untouched = [line for line in before.splitlines() if "ref=japan" in line and "ref=europe" not in line
                 and "ardern" not in line and "kishida" not in line and "Ukraine" not in line]
    assert untouched and all(line in after.splitlines() for line in untouched)
    assert len([line for line in changed if line.startswith("+")]) <= 15  # nothing else moved
    # The command line agrees: it validates, and facts --json is what the review showed.
    done = briefing("validate", str(path))
    assert done.returncode == 0, done.stdout + done.stderr
    done = briefing("facts", "--json", str(path))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["facts"] == json.loads(json.dumps(shown))


def test_new_entity_goes_into_a_front_matter_without_entities(tmp_path):
    path = tmp_path / "d.md"
    path.write_text("---\ntitle: T\npublished: 2024-06-19\ndraft: true\n---\n\nThe [Kiwi]{.region ref=x} leader Ardern "
                    "spoke late last month.\n", encoding="utf-8")
    with pytest.raises(BriefError):  # a draft that does not load is not reviewed (the reader shows why)
        MarkdownDraft.from_path(str(path))
    path.write_text("---\ntitle: T\npublished: 2024-06-19\ndraft: true\n---\n\nThe Kiwi leader *Ardern* spoke "
                    "late last month.\n", encoding="utf-8")
    d = MarkdownDraft.from_path(str(path))
    text = d.brief().text
    at = text.index("Ardern")
    d.add_mention(at, at + 6, "leader")
    at = text.index("late last month")
    d.add_mention(at, at + len("late last month"), "date", "2024-05", "END")
    assert "entities:\n  ardern:\n    type: leader\n    name: \"Ardern\"\n" in d.source
    assert "*[Ardern]{.leader ref=ardern}*" in d.source and "[late last month]{.date value=2024-05 mod=END}" in d.source
    assert d.pending == 0  # marked by a person: reviewed
    d.write(force=True)
    brief = load_brief(path)
    assert brief.text == text and not brief.meta.draft
    assert [f.name for f in brief.facts["leader"]] == ["Ardern"]
    assert [(f.value, f.mod) for f in brief.facts["date"]] == [("2024-05", "END")]


def test_crlf_and_bom_are_kept_and_write_needs_force(tmp_path):
    path = tmp_path / "d.md"
    body = "---\ntitle: T\ndraft: true\n---\n\nIn [Japan]{.region} today.\n"
    path.write_bytes(b"\xef\xbb\xbf" + body.replace("\n", "\r\n").encode())
    d = MarkdownDraft.from_path(str(path))
    d.reject_fact("region:japan")
    with pytest.raises(FileExistsError):
        d.write()
    d.write(force=True)
    assert path.read_bytes() == b"\xef\xbb\xbf" + b"---\r\ntitle: T\r\n---\r\n\r\nIn Japan today.\r\n"


def test_mark_answers_and_date_guesses():
    import datetime as dt

    assert parse_mark_answer("l") == ("leader", None, None)
    assert parse_mark_answer(" Region ") == ("region", None, None)
    assert parse_mark_answer("2024-05 end") == ("date", "2024-05", "END")
    for bad in ("x", "2024-13", "2024 SOON", ""):
        with pytest.raises(ValueError):
            parse_mark_answer(bad)
    published = dt.date(2024, 6, 19)
    assert guess_date("late last month", published) == ("2024-05", "END")
    assert guess_date("next week", published) == ("2024-W26", None)
    assert guess_date("the talks", published) is None
    assert guess_date("late last month", None) is None


# ---------------------------------------------------------------------- the keys (Pilot)

async def open_draft(app, pilot, timeout: float = 20.0):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        await pilot.pause(0.05)
        pane = app.main.query_one_optional(ReadingPane)
        if pane is not None and pane.brief is not None and app.main.current_draft() is not None:
            await pilot.pause()
            return app.main.current_draft()
    raise AssertionError("the draft never opened")


async def test_a_draft_md_shows_the_review_keys_and_they_work(folder):
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        draft = await open_draft(app, pilot)
        assert isinstance(draft, MarkdownDraft)
        assert app.main.pane._drafts.ranges
        assert app.main.check_action("review_write", ()) is True  # the footer shows the keys
        await focus_fact(app, pilot, "Fumio Kishida")
        await pilot.press("plus")
        await pilot.pause()
        assert "ref:fumio_kishida" not in draft.draft_fact_keys()
        await focus_fact(app, pilot, "Jacinda Ardern")
        await pilot.press("x")
        await pilot.pause()
        assert "Jacinda Ardern" not in [f.name for f in app.main.pane.brief.facts["leader"]]
        await pilot.press("u")
        await pilot.pause()
        assert "Jacinda Ardern" in [f.name for f in app.main.pane.brief.facts["leader"]]
        await focus_fact(app, pilot, "Fumio Kishida")
        await pilot.press("equals_sign")
        await pilot.pause()
        await pilot.press(*"person", "enter")
        await pilot.pause()
        assert [f.name for f in draft.brief().facts.get("person", [])] == ["Fumio Kishida"]
        await pilot.press("u")
        await pilot.pause()
        await focus_fact(app, pilot, "Europe")
        await pilot.press("J")
        await focus_fact(app, pilot, "China")
        await pilot.press("J")
        await pilot.pause()
        assert "Europe" not in [f.name for f in draft.brief().facts["region"]]
        pane = app.query_one(ReadingPane)
        pane.focus()
        await pilot.press("j", "j")  # a sentence with mentions
        await pilot.pause()
        before = draft.pending
        await pilot.press("plus")
        await pilot.pause()
        assert draft.pending == before - 1
        assert app.main.pane.brief is draft.brief()  # the pane shows the review's state


async def test_word_keys_select_and_i_marks_a_new_mention(folder):
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        draft = await open_draft(app, pilot)
        pane = app.query_one(ReadingPane)
        pane.focus()
        text = pane.brief.text
        target = text.index("Ukraine-Russia crisis")
        pane.jump_to(target)
        await pilot.press("right")
        await pilot.pause()
        line = app.query_one(SelectionLine)
        assert pane.selection is not None and line.has_class("-shown")
        assert str(line.render()).startswith("Selected 1 word: ")
        while pane.selection[0] < target:
            await pilot.press("right")
        await pilot.pause()
        assert text[slice(*pane.selection)] == "Ukraine-Russia"  # one word, hyphen and all
        await pilot.press("shift+right")
        await pilot.pause()
        assert text[slice(*pane.selection)] == "Ukraine-Russia crisis"
        assert "Ukraine-Russia crisis" in str(line.render())
        await pilot.press("shift+right", "shift+left")
        await pilot.pause()
        assert text[slice(*pane.selection)] == "Ukraine-Russia crisis"
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ReviewPrompt)
        await pilot.press("e", "enter")
        await pilot.pause()
        assert [f.name for f in draft.brief().facts["event"]] == ["Ukraine-Russia crisis"]
        assert pane.selection is None and "· Draft: " in str(line.render())  # what the step did, then the count left and the keys
        # A date: the value is prefilled from the annotator's resolver; enter keeps it.
        target = text.index("21 April")
        draft.reject_mention(draft.hit_at(target))
        app.main._redraw_draft(draft)
        await pilot.pause()
        pane.jump_to(target)
        await pilot.press("right")
        while pane.selection[0] < target:
            await pilot.press("right")
        await pilot.press("shift+right", "i")
        await pilot.pause()
        assert isinstance(app.screen, ReviewPrompt)
        assert app.screen.query_one("#answer").value == "2024-04-21"
        await pilot.press("enter")
        await pilot.pause()
        assert [f.value for f in draft.brief().facts["date"] if f.spans and f.spans[0][0] == target] == ["2024-04-21"]
        await pilot.press("left", "escape")
        await pilot.pause()
        assert pane.selection is None and "Selected" not in str(line.render())


async def test_w_on_a_draft_md_asks_then_replaces_it(folder):
    path = folder / "japan.md"
    before = path.read_text(encoding="utf-8")
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        draft = await open_draft(app, pilot)
        await pilot.press("asterisk")
        await pilot.pause()
        expected = facts_json(draft.brief())
        await pilot.press("w")
        await pilot.pause(0.2)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # kept: nothing written
        await pilot.pause()
        assert path.read_text(encoding="utf-8") == before
        await pilot.press("w")
        await pilot.pause(0.2)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause(0.3)
        brief = load_brief(path)
        assert not brief.meta.draft and facts_json(brief) == expected
        assert path.read_text(encoding="utf-8") == before.replace("draft: true\n", "", 1)
        assert app.main.current_draft() is None  # an ordinary brief now: no review keys
        assert app.main.check_action("review_write", ()) is False


async def test_a_draft_md_changed_on_disk_is_not_overwritten_silently(folder):
    path = folder / "japan.md"
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        draft = await open_draft(app, pilot)
        await pilot.press("asterisk")
        theirs = path.read_text(encoding="utf-8").replace("Two prime ministers agree.", "Edited elsewhere.")
        path.write_text(theirs, encoding="utf-8")
        os.utime(path, ns=(draft.stamp[0] + 10**9, draft.stamp[0] + 10**9))
        await pilot.press("w")
        await pilot.pause(0.2)
        assert isinstance(app.screen, ConfirmScreen)
        assert "changed on disk" in app.screen.question
        await pilot.press("n")
        await pilot.pause()
        assert path.read_text(encoding="utf-8") == theirs


def test_reviewed_brief_parses_as_written(folder):
    """The written text is what parse_brief reads back: no hidden second format."""
    d = MarkdownDraft.from_path(str(folder / "japan.md"))
    d.accept_all()
    final = d.markdown(final=True)
    assert not parse_brief(final).meta.draft and parse_brief(final).text == d.brief().text


async def test_raw_text_word_keys_and_a_date_prefilled_with_its_mod(tmp_path):
    """The same keys on a raw .txt: a rejected date is marked again from the keyboard; the
    prompt holds the resolver's value and mod ("late last month" -> 2024-05 END)."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "wire.txt").write_text("Published 2024-06-19\n\nNew Zealand Prime Minister Jacinda Ardern said late last "
                                     "month that trade with Japan would grow.\n", encoding="utf-8")
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        draft = await open_draft(app, pilot)
        pane = app.query_one(ReadingPane)
        pane.focus()
        text = pane.brief.text
        at = text.index("late last month")
        pane.jump_to(at)
        await pilot.pause()
        await pilot.press("right")
        while pane.selection[0] < at:
            await pilot.press("right")
        await pilot.press("shift+right", "shift+right")
        await pilot.pause()
        assert text[slice(*pane.selection)] == "late last month"
        await pilot.press("x")  # the drafted date in the selection is rejected
        await pilot.pause()
        assert not [f for f in draft.brief().facts["date"] if f.value == "2024-05"]
        pane.jump_to(at)
        await pilot.press("right")
        while pane.selection[0] < at:
            await pilot.press("right")
        await pilot.press("shift+right", "shift+right", "i")
        await pilot.pause()
        assert app.screen.query_one("#answer").value == "2024-05 END"
        await pilot.press("enter")
        await pilot.pause()
        dates = [(f.value, f.mod, f.texts) for f in draft.brief().facts["date"] if f.value == "2024-05"]
        assert dates == [("2024-05", "END", ["late last month"])]
        assert draft.pending == len(draft.brief().mentions) - 1  # marked by a person: reviewed


async def test_quitting_with_an_unwritten_review_asks_first(folder):
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        draft = await open_draft(app, pilot)
        await pilot.press("asterisk")
        await pilot.pause()
        assert draft.undo_stack
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and "review of 1 draft" in app.screen.question
        await pilot.press("n")  # stays, the review kept
        await pilot.pause()
        assert app.is_running and app.main.current_draft() is draft
        await pilot.press("u", "q")  # undone back to the draft: nothing to lose, no question
        await pilot.pause()
        assert not app.is_running


def test_a_large_draft_is_not_reviewed_by_keys(tmp_path):
    from briefing.session.md_draft import MAX_REVIEW_BYTES

    path = tmp_path / "big.md"
    path.write_text("---\ntitle: T\ndraft: true\n---\n\n" + "In [Japan]{.region} today.\n\n" * (MAX_REVIEW_BYTES // 20),
                    encoding="utf-8")
    with pytest.raises(ValueError, match="KB"):
        MarkdownDraft.from_path(str(path))
