"""The timeline screen: every dated mention of the briefs the list shows (its search line's
filters apply), in the order of the date referred to, a page at a time (more as the cursor
nears the end). ``enter`` opens the brief at that sentence."""

from __future__ import annotations

from rich.text import Text

from briefing.ui.screens.view_base import BOLD, DIM, Computed, Row, ViewScreen, marked, plain, two_columns

PAGE = 80  # date facts a page (each with every mention of it)
WORDS = 18  # columns for the date in words


class TimelineScreen(ViewScreen):
    def __init__(self, session, query_line: str = "") -> None:
        super().__init__()
        self.session, self.query_line = session, query_line
        self._offset = 0

    def compute(self, more: bool) -> Computed:
        from briefing.index.query import parse_list_query
        from briefing.views.scope import Scope
        from briefing.views.timeline import timeline

        q = parse_list_query(self.query_line)
        scope = Scope(roots=self.session.roots, filters=q.filters, query=q.text or None)
        if not more:
            self._offset = 0
        found = timeline(self.session.index, scope, limit=PAGE, offset=self._offset)
        facts = len({(d.value, d.mod, d.path) for d in found})  # the date facts of this page
        self._offset += PAGE
        rows = []
        for d in found:
            body = marked(d.sentence, d.at[0], d.at[1])
            body.append(f"\n{plain(d.title)} · {plain(d.published or 'undated')}", DIM)
            rows.append(Row(two_columns(Text(plain(d.words), BOLD), body, WORDS), (d.path, d.start)))
        scope_said = f" · {self.query_line}" if self.query_line else ""
        title = f"Timeline{scope_said} — dates in the order they refer to"
        if not rows and not more:
            title = f"Timeline{scope_said} — no dated mention here"
        return Computed(title, [], rows, more=facts >= PAGE)
