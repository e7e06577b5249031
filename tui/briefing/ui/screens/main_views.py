"""The main screen's doors to the views across briefs (briefing.ui.screens.timeline,
profile, compare, related): the keys T, P, m / M and R, the palette's commands, and opening
a brief at the place a view's row points to.

A mixin of MainScreen, like main_search and main_annotate.
"""

from __future__ import annotations

from textual.screen import Screen


class Views(Screen):
    _marked: tuple[str, str] | None = None  # (path, title) of the brief marked for compare

    # ------------------------------------------------------------------ opening a view

    def _push_view(self, screen) -> None:
        def done(target) -> None:
            if target is not None:
                self.open_at(*target)

        self.app.push_screen(screen, done)

    def action_timeline(self) -> None:
        from briefing.ui.screens.timeline import TimelineScreen

        self._push_view(TimelineScreen(self.session, self.doc_list.query_filter))

    def action_profile(self) -> None:
        """The profile of the fact under the sidebar's cursor, else of the open brief's first
        leader (or first fact)."""
        fact = self.facts.current_fact
        if fact is None and self.pane.brief is not None:
            groups = [g for g in self.pane.brief.facts.values() if g]
            fact = groups[0][0] if groups else None
        if fact is None:
            self.app.tell("No fact to profile: open a brief, pick a fact in the sidebar, then P")
            return
        self.profile_of(fact.value if fact.type == "date" else fact.name, fact.type)

    def profile_of(self, name: str, fact_type: str | None = None) -> None:
        from briefing.ui.screens.profile import ProfileScreen

        self._push_view(ProfileScreen(self.session, name, fact_type, self.doc_list.query_filter))

    def action_mark_compare(self) -> None:
        entry = self.doc_list.current_entry
        if entry is None or not entry.ok:
            self.app.tell("Mark a brief that reads, in the list, to compare it")
            return
        self._marked = (entry.key, entry.title)
        self.app.tell(f"Marked as A: {entry.title} — move to another brief and press M to compare")

    def action_compare(self) -> None:
        from briefing.ui.screens.compare import CompareScreen

        entry = self.doc_list.current_entry
        if self._marked is None:
            self.app.tell("Mark a brief first (m in the list), then move to another and press M")
            return
        if entry is None or entry.key == self._marked[0]:
            self.app.tell("Move to another brief to compare with the marked one")
            return
        self._push_view(CompareScreen(self.session, self._marked[0], entry.key))

    def action_related(self) -> None:
        from briefing.ui.screens.related import RelatedScreen

        entry = self.doc_list.current_entry
        if entry is None or not entry.ok:
            self.app.tell("Open a brief that reads to see its related briefs")
            return
        self._push_view(RelatedScreen(self.session, entry.key, entry.title, self.doc_list.query_filter))

    # ------------------------------------------------------------------ coming back

    def open_at(self, path: str, offset: int) -> None:
        """Open ``path`` with the reading cursor on the sentence at ``offset`` (0: where the
        reader left it)."""
        from briefing.session.library import small
        from briefing.ui.threads import OPEN_WAIT

        session = self.session
        brief = session.brief_cache.get(path)
        if brief is None and not small(path):  # a large brief is parsed on a worker, as ever
            self.doc_list.select_path(path)
            self.current_path = path
            self._load_one(path, offset or None)
            self.pane.focus()
            return
        if brief is None:
            brief = self.parsed_within(path, OPEN_WAIT, offset)
            if brief is None:  # its problems are shown, or it is shown at ``offset`` once parsed
                if path not in self._parsing:
                    return
                self.current_path = path
                self.doc_list.select_path(path)  # (its parse is on the way: not started again)
                self.pane.focus()
                return
            session.remember(path, brief)
        self.doc_list.select_path(path)  # (opens it from the cache, as a move would)
        self.current_path = path
        self._show_brief(brief, offset)
        self.pane.focus()

    def profile_names(self) -> list[tuple[str, str]]:
        """(type, name) of the leaders, regions and other facts most mentioned in the open
        folders, for the palette's "Profile: NAME" (from the index; none while it opens)."""
        session = self.session
        if not session.index_open:
            return []
        out: list[tuple[str, str]] = []
        try:
            for kind in ("leader", "region", "org", "event"):
                out.extend((kind, name) for name, _ in session.index.facet(session.roots, kind, limit=40))
        except Exception:  # noqa: BLE001 - the palette works without them
            return out
        return out
