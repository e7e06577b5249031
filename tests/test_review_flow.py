"""The pace of a review (as Prodigy's): after + or x on a fact the sidebar's cursor goes to the
next fact left to review; in the pane, the mention + and x act on is marked; what a step did is
said on the draft's line above the pane, not in a toast over the text; a merge says that it
accepts the fact merged into; a date prompt's prefilled value is replaced by typing."""

from __future__ import annotations

from briefing.ui.app import create_app
from briefing.ui.screens.review_prompt import ReviewPrompt
from briefing.ui.widgets.facts_panel import FactsPanel
from briefing.ui.widgets.reading_pane import ReadingPane
from briefing.ui.widgets.selection_line import SelectionLine
from tests.test_review import data_dir, focus_fact, folder, open_draft  # noqa: F401  (fixtures)


def toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def line_text(app) -> str:
    """The draft's line above the pane (its last line: a warning may stand above it)."""
    return str(app.query_one(SelectionLine).render()).splitlines()[-1]


async def test_accept_and_reject_on_a_fact_move_to_the_next_fact_to_review(folder):
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        draft = await open_draft(app, pilot)
        panel = app.query_one(FactsPanel)
        order = panel.fact_keys()
        fact = await focus_fact(app, pilot, "Jacinda Ardern")
        await pilot.press("plus")
        await pilot.pause()
        assert fact.key not in draft.draft_fact_keys()
        after = panel.current_fact
        assert after is not None and after.key != fact.key and after.key in draft.draft_fact_keys()
        assert order.index(after.key) == order.index(fact.key) + 1  # the next one down
        await pilot.press("x")  # rejects that one: the cursor goes on again
        await pilot.pause()
        assert after.key not in panel.fact_keys()
        assert panel.current_fact is not None and panel.current_fact.key in draft.draft_fact_keys()
        assert order.index(panel.current_fact.key) > order.index(after.key)
        # What the steps did is on the line above the pane; no toast stacks over the text.
        assert line_text(app).startswith("Rejected “Fumio Kishida”") and "· Draft: " in line_text(app)
        assert not [t for t in toasts(app) if "Accepted" in t or "Rejected" in t]
        # The last fact left: + says every fact is reviewed.
        for _ in range(60):
            if not draft.draft_fact_keys():
                break
            await pilot.press("plus")
            await pilot.pause()
        assert not draft.draft_fact_keys() and "every fact reviewed" in line_text(app)


async def test_the_mention_plus_acts_on_is_marked_in_the_pane(folder):
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        draft = await open_draft(app, pilot)
        pane = app.query_one(ReadingPane)
        pane.focus()
        await pilot.press("j", "j")  # a sentence with several mentions
        await pilot.pause()
        s, e = pane.cursor_range
        pending = [(a, b) for a, b in draft.draft_spans() if a < e and b > s]
        assert len(pending) > 2
        target = pane.review_target()
        assert target == pending[0]
        # Drawn reversed (no colour needed), and nothing else on its line is.
        row = pane.line_y(pane._layout.line_of(target[0])) - int(pane.scroll_offset.y)
        strip = pane.render_line(row)
        reversed_text = "".join(seg.text for seg in strip if seg.style and seg.style.reverse)
        words = pane.brief.text[target[0]:target[1]]
        assert reversed_text and reversed_text in words
        await pilot.press("plus")
        await pilot.pause()
        assert draft.reviewed(draft.hit_at(target[0]))  # the marked one was accepted
        assert pane.review_target() == pending[1]  # the mark goes on to the next in the sentence
        assert f"Accepted “{' '.join(words.split())}”" in line_text(app)
        await pilot.press("x")
        await pilot.pause()
        assert draft.hit_at(pending[1][0]) is None or not any(
            a == pending[1][0] for a, _ in draft.draft_spans())
        assert not [t for t in toasts(app) if "Accepted" in t or "Rejected" in t]


async def test_a_merge_says_that_it_accepts_the_fact_merged_into(folder):
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        draft = await open_draft(app, pilot)
        await focus_fact(app, pilot, "Fumio Kishida")
        await pilot.press("J")
        await pilot.pause()
        assert "Merging “Fumio Kishida”" in line_text(app)
        target = await focus_fact(app, pilot, "Jacinda Ardern")
        assert target.key in draft.draft_fact_keys()
        await pilot.press("J")
        await pilot.pause()
        count = len(draft.hits_of(target.key))
        assert target.key not in draft.draft_fact_keys()  # accepted with the merge ...
        assert line_text(app).startswith(f"Merged into “Jacinda Ardern”; its {count} mentions accepted · Draft: ")


async def test_a_prefilled_date_is_replaced_by_typing(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "wire.txt").write_text("Published 2024-06-19\n\nNew Zealand Prime Minister Jacinda Ardern said late last "
                                     "month that trade with Japan would grow.\n", encoding="utf-8")
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        draft = await open_draft(app, pilot)
        pane = app.query_one(ReadingPane)
        pane.focus()
        at = pane.brief.text.index("late last month")
        draft.reject_mention(draft.hit_at(at))
        app.main._redraw_draft(draft)
        await pilot.pause()
        pane.mouse_selection = (at, at + len("late last month"))
        await pilot.press("i")
        await pilot.pause(0.2)
        assert isinstance(app.screen, ReviewPrompt)
        assert "typing replaces it" in app.screen.detail  # the prompt says so
        await pilot.press(*"2024-05-20", "enter")
        await pilot.pause()
        assert [f.value for f in draft.brief().facts["date"] if f.texts == ["late last month"]] == ["2024-05-20"]
        assert "New date mention added: “late last month”" in line_text(app)


async def test_a_find_goes_on_after_a_review_step(folder):
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        draft = await open_draft(app, pilot)
        app.query_one(ReadingPane).focus()
        await pilot.press("slash", *"Japan", "enter")
        await pilot.pause()
        pane = app.query_one(ReadingPane)
        first = pane.find_index
        await pilot.press("plus")  # the brief is shown again after the step ...
        await pilot.pause()
        assert pane.find_matches and pane.find_index == first  # ... with the find's matches
        await pilot.press("n")
        await pilot.pause()
        a = pane.find_matches[pane.find_index][0]
        assert pane.find_index == first + 1 and pane.cursor_range[0] <= a < pane.cursor_range[1]


async def test_a_find_with_its_line_open_keeps_its_match_after_a_review_step(folder):
    """The find's line still open (the focus back on the pane): a step keeps the current match
    (it went to the first match below the top) and → selects the cursor's word, as after any step."""
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        draft = await open_draft(app, pilot)
        pane = app.query_one(ReadingPane)
        pane.focus()
        await pilot.press("slash", *"the")
        await pilot.pause()
        pane.focus()  # (a click on the pane: the find's line stays open)
        await pilot.press("n", "n", "n")
        await pilot.pause()
        assert app.main._input("find").display
        current, matches = pane.find_index, list(pane.find_matches)
        assert current == 3 and len(matches) > 5
        pane.cursor_to_match()
        await pilot.pause()
        await pilot.press("plus")
        await pilot.pause()
        assert pane.find_matches == matches and pane.find_index == current
        assert not pane._find_fresh


async def test_a_review_step_does_not_bring_back_a_find_that_is_not_on(folder):
    """A find made in another brief, its line closed, is not on in the draft (as in any brief
    opened after it): a review step leaves it off (it came back, marks and all)."""
    (folder / "other.md").write_text("---\ntitle: Other\npublished: 2024-01-01\n---\n\nJapan and New Zealand.\n",
                                     encoding="utf-8")
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        pane = app.query_one(ReadingPane)

        async def shown(entry) -> None:
            app.main.open_entry(entry)
            for _ in range(400):
                await pilot.pause(0.05)
                if app.main.loaded and pane.brief is not None and pane.brief.path == entry.key:
                    break
            await pilot.pause()
            assert pane.brief.path == entry.key

        for _ in range(400):
            await pilot.pause(0.05)
            if app.main.loaded and len(app.main.doc_list.shown) == 2:
                break
        other = next(e for e in app.main.doc_list.shown if e.key.endswith("other.md"))
        draft_entry = next(e for e in app.main.doc_list.shown if e.key.endswith(".txt"))
        await shown(other)
        pane.focus()
        await pilot.press("slash", *"Japan", "enter")
        await pilot.pause()
        assert pane.find_matches and not app.main._input("find").display
        await shown(draft_entry)
        assert app.main.current_draft() is not None
        pane.focus()
        assert pane.find_matches == []  # the closed find does not follow to another brief
        await pilot.press("plus")
        await pilot.pause()
        assert pane.find_matches == []  # ... nor comes back with a review step


async def test_the_review_target_is_found_once_per_move_not_per_line_drawn(folder, monkeypatch):
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        draft = await open_draft(app, pilot)
        pane = app.query_one(ReadingPane)
        pane.focus()
        await pilot.press("j", "j")
        await pilot.pause()
        calls = []
        found = pane._first_draft_in
        monkeypatch.setattr(pane, "_first_draft_in", lambda rng: calls.append(rng) or found(rng))

        def draw_all() -> None:
            pane._cache.clear()
            for y in range(pane.scrollable_content_region.height):
                pane.render_line(y)

        draw_all()
        assert calls == []  # found when the cursor moved (drawn then): each line only compares
        await pilot.press("k")
        draw_all()
        draw_all()
        assert calls == [pane.cursor_range]  # once for the move, whatever is drawn
        s, e = pane.cursor_range
        assert pane.review_target() == min(x for x in draft.draft_spans() if x[0] < e and x[1] > s)
