"""The main screen's keys for reviewing a draft — a raw ``.txt`` opened in the reader (its
annotations drafted by briefing.annotate), or a brief whose front matter says ``draft: true``:
accept or reject a fact or the mention under the reading cursor, change a fact's type, merge
two facts, mark the selection as a new mention, undo, and ``w`` to write the reviewed brief
(beside the raw text; over the ``.md`` itself, after a confirmation).

A base class of MainScreen; the review state is a ``briefing.session.drafts.Draft`` or a
``briefing.session.md_draft.MarkdownDraft`` (both textual-free, one interface) kept in
``session.drafts``; every method here runs on the UI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from textual import on
from textual.binding import Binding
from textual.screen import Screen

from briefing.session.library import said
from briefing.ui.widgets.reading_pane import ReadingPane

if TYPE_CHECKING:
    from briefing.annotate import Hit
    from briefing.core.model import Mention
    from briefing.session.drafts import Draft
    from briefing.session.md_draft import MarkdownDraft
    from briefing.session.shapes import ShownBrief

REVIEW_ACTIONS = {"review_accept", "review_reject", "review_accept_all", "review_retype", "review_merge",
                  "review_mark", "review_undo", "review_write", "review_published"}
TYPE_HELP = "leader, region, person, org or event"


class Reviewing(Screen):
    """Part of MainScreen (a Screen, so that Textual collects its bindings)."""

    BINDINGS = [
        Binding("plus", "review_accept", "Accept", id="review.accept"),
        Binding("x", "review_reject", "Reject", id="review.reject"),
        Binding("asterisk", "review_accept_all", "Accept all", id="review.accept_all", show=False),
        Binding("equals_sign", "review_retype", "Change type", id="review.retype", show=False),
        Binding("J", "review_merge", "Merge facts", id="review.merge", show=False),
        Binding("i", "review_mark", "New mention", id="review.mark", show=False),
        Binding("u", "review_undo", "Undo", id="review.undo"),
        Binding("w", "review_write", "Write brief", id="review.write"),
        Binding("d", "review_published", "Published date", id="review.published", show=False),
    ]

    _merge_from: str | None = None  # the fact key ``J`` was first pressed on
    # What the last review step did, said on the draft's line above the pane (not in a toast:
    # one a step stacked over the text): (the draft's path, the words).
    _review_said: tuple[str, str] | None = None
    _review_keys_shown = False  # the footer shows the review keys (a draft is open)

    # ------------------------------------------------------------------ showing

    def current_draft(self) -> Draft | MarkdownDraft | None:
        pane = self.pane
        if pane.brief is None:
            return None
        return self.session.drafts.get(pane.brief.path)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in REVIEW_ACTIONS:
            return self.current_draft() is not None  # hidden from the footer unless a draft is open
        return super().check_action(action, parameters)

    def show_review(self, brief: ShownBrief) -> ShownBrief:
        """Before a brief is shown: the draft cue on its unreviewed mentions and facts (a raw
        text under review, or a brief whose front matter says ``draft: true``). Returns the
        brief to show: a draft's review state is the truth for its text."""
        draft = self._draft_for(brief)
        if draft is not None:
            brief = draft.brief()
            self.pane.set_drafts(draft.draft_spans(), reviewing=True)
            self.facts.draft_keys = draft.draft_fact_keys()
        elif getattr(brief.meta, "draft", False):
            self.pane.set_drafts([(m.start, m.end) for m in brief.mentions])
            self.facts.draft_keys = {f.key for facts in brief.facts.values() for f in facts}
        else:
            self.pane.set_drafts([])
            self.facts.draft_keys = set()
        if (draft is not None) != self._review_keys_shown:  # the footer changes (a layout): only then
            self._review_keys_shown = draft is not None
            self.refresh_bindings()
        self.call_later(self._show_selection_line)  # (after the pane shows the brief)
        return brief

    def _draft_for(self, brief: ShownBrief) -> Draft | MarkdownDraft | None:
        """The review of ``brief``: the one under way, or, for a ``draft: true`` brief shown
        whole, a new one (read from its file, a few ms). A ``.md`` that changed on disk since
        its review began starts again from the file."""
        drafts = self.session.drafts
        draft = drafts.get(brief.path)
        if draft is None and not getattr(brief.meta, "draft", False):
            return None  # (most briefs: without importing the review's modules for the first frame)
        from briefing.session.md_draft import MarkdownDraft

        if isinstance(draft, MarkdownDraft) and draft.changed_on_disk():
            drafts.pop(brief.path, None)
            if draft.undo_stack:
                self.app.tell("This brief changed on disk: its review starts again from the file",
                              severity="warning", timeout=6)
            draft = None
        if draft is not None or not getattr(brief.meta, "draft", False) or self._partial_path == brief.path:
            return draft
        try:
            draft = MarkdownDraft.from_path(brief.path)
        except Exception as exc:  # noqa: BLE001  (OSError, BriefError, ValueError: the cue stays, the keys say why)
            self._draft_refused = (brief.path, said(exc) if isinstance(exc, (OSError, ValueError)) else "it does not load")
            return None
        drafts[brief.path] = draft
        return draft

    _draft_refused: tuple[str, str] | None = None

    def review_notice(self, brief: ShownBrief) -> None:
        draft = self.session.drafts.get(brief.path)
        if draft is None:
            if getattr(brief.meta, "draft", False):
                refused = self._draft_refused
                why = f" The review keys cannot edit it: {refused[1]}." if refused and refused[0] == brief.path else ""
                self.app.tell(f"A draft (draft: true): its annotations are marked '?' until reviewed.{why}", timeout=8)
            return
        when = ""
        if draft.published_from == "mtime":
            when = (f" Published date unknown (no dateline): dates are resolved against the file's date, "
                    f"{draft.published.isoformat()}, until you give it (d; w asks).")
        writes = "w writes this brief without draft: true (asks first)" if draft.in_place else "w write the brief"
        self.app.tell(f"Draft annotations, {draft.pending} to review ('?'): + accept, x reject, u undo, "
                      f"{writes}. →/← select a word, shift+→/← more, i marks it.{when}",
                      severity="warning" if when else "information", timeout=8)

    def _redraw_draft(self, draft: Draft | MarkdownDraft, message: str | None = None) -> None:
        """Show the draft after a review step; ``message`` (what the step did) goes on the
        draft's line above the pane."""
        brief = draft.brief()
        self.session.remember(draft.path, brief)
        pane = self.pane
        where = pane.cursor_range[0] if pane.cursor_range else 0
        top = pane.scroll_offset.y
        # A find on goes on (n, N) in the text shown again, from its current match.
        match = pane.find_matches[pane.find_index][0] if 0 <= pane.find_index < len(pane.find_matches) else None
        self.facts.draft_keys = draft.draft_fact_keys()
        self._show_brief(brief, position=where, find_at=match)
        pane.scroll_to(y=top, animate=False)
        if message:
            self.say_review(message)

    def say_review(self, message: str) -> None:
        """What a review step did, on the draft's line above the pane until the next step."""
        draft = self.current_draft()
        if draft is None:
            self.app.tell(message, timeout=3)
            return
        self._review_said = (draft.path, message)
        self._show_selection_line()

    # ------------------------------------------------------------------ what a key acts on

    def _target(self, draft: Draft | MarkdownDraft) -> tuple[str, str, str] | tuple[str, Hit | Mention, str] | None:
        """("fact", key, its name) from the sidebar, or ("mention", hit, its words) under the
        reading cursor: the unreviewed one the pane marks (``ReadingPane.review_target``, the
        one place it is found), else, every mention there reviewed, the first (x rejects it)."""
        if self.facts.has_focus:
            fact = self.facts.current_fact
            if fact is None:
                self.app.tell("Put the sidebar's cursor on a fact", timeout=3)
                return None
            return "fact", fact.key, fact.label
        pane = self.pane
        rng = pane.selection or pane.cursor_range
        if rng is None:
            return None
        brief = draft.brief()
        marked = pane.review_target()
        hit = draft.hit_at(marked[0]) if marked is not None else None
        span = marked
        if hit is None:
            for m in brief.mentions:
                if m.start < rng[1] and m.end > rng[0]:
                    hit = draft.hit_at(m.start)
                    if hit is not None:
                        span = (m.start, m.end)
                        break
        if hit is None:
            where = "the selection" if pane.selection else "this sentence"
            self.app.tell(f"No mention in {where} (j/k move; → selects a word; tab to the facts)", timeout=3)
            return None
        return "mention", hit, " ".join(brief.text[span[0]:span[1]].split())

    def _with_draft(self) -> Draft | MarkdownDraft | None:
        draft = self.current_draft()
        if draft is None:
            self.app.tell("Review keys work on a draft: a raw .txt, or a brief with draft: true",
                          severity="warning", timeout=3)
        return draft

    # ------------------------------------------------------------------ the keys

    def action_review_accept(self) -> None:
        self._review_step(accept=True)

    def action_review_reject(self) -> None:
        self._review_step(accept=False)

    def _review_step(self, accept: bool) -> None:
        """``+`` / ``x`` on a fact (then the sidebar's cursor goes to the next fact left to
        review, as Prodigy moves to the next task) or on the mention the pane marks."""
        draft = self._with_draft()
        target = draft and self._target(draft)
        if not target:
            return
        kind, what, name = target
        order = self.facts.fact_keys() if kind == "fact" else []
        if kind == "fact":
            count = len(draft.hits_of(what))
            (draft.accept_fact if accept else draft.reject_fact)(what)
            done = f"{'Accepted' if accept else 'Rejected'} “{name}”" + (f", {count} mentions" if count > 1 else "")
        else:
            (draft.accept_mention if accept else draft.reject_mention)(what)
            done = f"{'Accepted' if accept else 'Rejected'} “{name}”"
        self._redraw_draft(draft, done)
        if kind == "fact" and not self.facts.next_draft_fact(order, what):
            self.say_review(done + "; every fact reviewed, w writes the brief")

    def action_review_accept_all(self) -> None:
        draft = self._with_draft()
        if draft is not None:
            draft.accept_all()
            self._redraw_draft(draft, "Every drafted mention accepted; w writes the brief")

    def action_review_undo(self) -> None:
        draft = self._with_draft()
        if draft is not None:
            self._redraw_draft(draft, "Undone" if draft.undo() else "Nothing to undo")

    def action_review_retype(self) -> None:
        from briefing.ui.screens.review_prompt import ReviewPrompt

        draft = self._with_draft()
        fact = self.facts.current_fact if draft is not None else None
        if fact is None or not self.facts.has_focus:
            if draft is not None:
                self.app.tell("Change type: put the sidebar's cursor on a fact (tab), then press the key", timeout=4)
            return

        def answer(value: str | None) -> None:
            if not value:
                return
            try:
                draft.retype_fact(fact.key, value.lower())
            except ValueError as exc:
                self.app.tell(f"{said(exc)} (types: {TYPE_HELP})", severity="warning", timeout=5)
                return
            count = len(draft.hits_of(fact.key))
            self._redraw_draft(draft, f"Now a {value.lower()}; its {count} mention{'s' if count != 1 else ''} accepted")

        self.app.push_screen(ReviewPrompt(f"Change the type of “{fact.label}”", f"New type: {TYPE_HELP}.",
                                          "type, then enter (esc: cancel)"), answer)

    def action_review_merge(self) -> None:
        draft = self._with_draft()
        fact = self.facts.current_fact if draft is not None else None
        if fact is None or not self.facts.has_focus:
            if draft is not None:
                self.app.tell("Merge: in the sidebar, press the key on the fact to fold in, then on the one it is", timeout=5)
            return
        if self._merge_from is None or self._merge_from == fact.key:
            self._merge_from = fact.key
            self.say_review(f"Merging “{fact.label}”: J on the fact it is the same as")
            return
        source, self._merge_from = self._merge_from, None
        try:
            draft.merge(source, fact.key)
        except ValueError as exc:
            self.app.tell(said(exc), severity="warning", timeout=5)
            return
        # A merge is a person's judgement of both facts: the fact merged into is accepted with
        # every mention (docs/ANNOTATE.md), and the line says so.
        count = len(draft.hits_of(fact.key))
        self._redraw_draft(draft, f"Merged into “{fact.label}”; its {count} mention{'s' if count != 1 else ''} accepted")


    def action_review_mark(self) -> None:
        from briefing.session.drafts import guess_date, parse_mark_answer
        from briefing.ui.screens.review_prompt import ReviewPrompt

        draft = self._with_draft()
        if draft is None:
            return
        rng = self.pane.selection
        if rng is None:
            self.app.tell("Select the words first: → / ← choose a word, shift+→ / shift+← add words "
                          "(or drag with the mouse), then press the key", timeout=5)
            return
        if any(m.start < rng[1] and m.end > rng[0] for m in draft.brief().mentions):
            self.app.tell("These words are already (part of) a mention: x rejects it, + accepts it", timeout=5)
            return
        words = " ".join(draft.brief().text[rng[0]:rng[1]].split())
        guessed = guess_date(words, draft.published)
        prefill = " ".join(x for x in guessed if x) if guessed else ""

        def answer(value: str | None) -> None:
            if not value:
                return
            try:
                kind, date_value, mod = parse_mark_answer(value)
                if kind == "date" and date_value is None:
                    if guessed is None:
                        raise ValueError("type the date's value instead: 2024-06-19, 2024-06, 2024-W25 or 2024")
                    date_value, mod = guessed
                draft.add_mention(rng[0], rng[1], kind, date_value, mod)
            except ValueError as exc:
                self.app.tell(said(exc), severity="warning", timeout=6)
                return
            self.pane.clear_selection()
            self._redraw_draft(draft, f"New {kind} mention added: “{excerpt}”")

        excerpt = words if len(words) <= 120 else words[:117] + "…"
        detail = ("Its type: l leader, r region, p person, o org, e event (a letter or the word); "
                  "or a date's value and mod (2024-06-19, 2024-06 END, 2024-W25, 2024).")
        if guessed:
            detail += " The date value below was resolved from the words: enter keeps it, typing replaces it."
        self.app.push_screen(ReviewPrompt(f"New mention: “{excerpt}”", detail,
                                          "type or date value, then enter (esc: cancel)", value=prefill), answer)

    def action_review_published(self, then: Callable[[], None] | None = None) -> None:
        """``d``: the published date of a raw text, which its relative dates ("on Thursday")
        are resolved against; prefilled with the date they are resolved against now (the
        file's date when the text has no dateline), so keeping it is a deliberate ``enter``.
        ``then``: what to do once it is given (``w`` asks first when no one has given it)."""
        import datetime as dt

        from briefing.ui.screens.review_prompt import ReviewPrompt

        draft = self._with_draft()
        if draft is None:
            return
        from briefing.session.md_draft import MarkdownDraft

        if isinstance(draft, MarkdownDraft):
            self.app.tell("This draft's published date is its front matter's 'published:' (edit the file)", timeout=5)
            return

        def answer(value: str | None) -> None:
            if not value:
                if then is not None:
                    self.app.tell("Not written: the published date is needed first", severity="warning", timeout=5)
                return
            try:
                day = dt.date.fromisoformat(value) if len(value) == 10 else None
            except ValueError:
                day = None
            if day is None:
                self.app.tell(f"Not a date: give it as YYYY-MM-DD (e.g. {draft.published.isoformat()})",
                              severity="warning", timeout=6)
                return
            changed = draft.set_published(day)
            self._redraw_draft(draft, f"Published {day.isoformat()}: {changed} date(s) resolved again")
            if then is not None:
                then()

        if draft.published_from == "mtime":
            detail = (f"This text has no dateline. Its relative dates ('on Thursday', 'last month') are resolved "
                      f"against the file's date, {draft.published.isoformat()}, which may not be when it was "
                      f"published. Give the published date (YYYY-MM-DD): the dates are resolved again against "
                      f"it, the review kept. enter keeps the date shown.")
        else:
            detail = ("Relative dates ('on Thursday', 'last month') are resolved against this date. "
                      "A new one (YYYY-MM-DD) resolves them again, the review kept.")
        question = "Before writing: when was this text published?" if then is not None else "Published date"
        self.app.push_screen(ReviewPrompt(question, detail, "YYYY-MM-DD, then enter (esc: cancel)",
                                          value=draft.published.isoformat()), answer)

    def action_review_write(self, force: bool = False) -> None:
        from briefing.core.sanitize import terminal_line
        from briefing.ui.screens.confirm import ConfirmScreen

        draft = self._with_draft()
        if draft is None:
            return
        if not draft.published_confirmed:  # never written resolved against a date no one gave
            self.action_review_published(then=lambda: self.action_review_write(force))
            return
        target = draft.target
        if not force:
            if draft.in_place:  # the .md itself: never replaced without a yes
                question = ("This brief changed on disk since it was opened. Replace it with the reviewed one anyway?"
                            if draft.changed_on_disk() else
                            "Replace this brief with the reviewed one (draft: true removed)?")
            elif target.exists() or target.is_symlink():
                question = "A brief of this name exists. Replace it?"
            else:
                question = None
            if question is not None:
                def answer(ok: bool | None) -> None:
                    if ok:
                        self.action_review_write(force=True)

                self.app.push_screen(ConfirmScreen(question, terminal_line(str(target)),
                                                   yes="Replace", no="Keep it"), answer)
                return
        try:
            written = draft.write(force=force)
        except (OSError, ValueError) as exc:
            self.app.tell(f"Could not write the brief: {said(exc)}", severity="error", timeout=8)
            return
        left = draft.pending
        self._brief_written(draft.path, str(written))
        self.app.tell(f"Wrote {terminal_line(Path(written).name)}" +
                      (f" ({left} drafted mentions kept unreviewed as written)" if left else ""), timeout=5)

    def _brief_written(self, source: str, written: str) -> None:
        """A raw text hides behind its brief; the brief is listed and opened like any (a
        ``.md`` draft written over itself is opened again from its file)."""
        from briefing.session.catalog import peek_entry

        session = self.session
        session.drafts.pop(source, None)
        session.brief_cache.pop(source, None)
        session.brief_cache.pop(written, None)
        entry = peek_entry(Path(written))
        self.doc_list.apply_changes([entry], {source} - {written})
        self.open_path(written)

    def unwritten_reviews(self) -> list[str]:
        """The drafts with review steps that ``w`` has not written (asked about on quitting)."""
        return [path for path, draft in self.session.drafts.items() if draft.undo_stack]

    # ------------------------------------------------------------------ the selection line

    @on(ReadingPane.SelectionChanged)
    def _selection_changed(self) -> None:
        self._show_selection_line()

    def _show_selection_line(self) -> None:
        pane, draft = self.pane, self.current_draft()
        rng = pane.mouse_selection if pane.brief is not None else None
        words = pane.brief.text[rng[0]:rng[1]] if rng is not None else None
        warning = ""
        if draft is not None and draft.published_from == "mtime":
            warning = (f"Published date unknown — dates resolved against the file's date "
                       f"{draft.published.isoformat()} · d: set the date")
        if draft is not None:
            hint = "shift+→/← more or fewer · i new mention · x rejects a mention in it · esc"
            # What the last step did first (the line is cut at the pane's width), then the count
            # and what the footer does not show.
            said_now = self._review_said[1] + " · " if self._review_said and self._review_said[0] == draft.path else ""
            idle = (f"{said_now}Draft: {draft.pending} to review · → select words · i new mention · "
                    f"* accept all · tab: facts (= type, J merge)")
        else:
            hint, idle = "shift+→/← more or fewer · h highlight · y copy · esc", ""
        self.selection_line.show_words(words, hint, idle, warning)
