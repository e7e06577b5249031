"""The related-briefs screen: for the open brief, the briefs (among those the list shows)
that share the most key facts, rare facts weighing more (briefing.views.related).
``enter`` opens one."""

from __future__ import annotations

from rich.text import Text

from briefing.ui.screens.view_base import DIM, Computed, Row, ViewScreen, file_names, plain, two_columns


class RelatedScreen(ViewScreen):
    def __init__(self, session, path: str, title: str, query_line: str = "") -> None:
        super().__init__()
        self.session, self.brief_path, self.brief_title, self.query_line = session, path, title, query_line

    def compute(self, more: bool) -> Computed:
        from briefing.index.query import parse_list_query
        from briefing.views.related import related
        from briefing.views.scope import Scope

        q = parse_list_query(self.query_line)
        scope = Scope(roots=self.session.roots, filters=q.filters, query=q.text or None)
        found = related(self.session.index, self.brief_path, scope)
        rows = []
        names = file_names([(r.path, r.title) for r in found])
        for r in found:
            body = Text(plain(r.title))
            if r.path in names:  # another brief has this title and date: its file tells them apart
                body.append(f"  {names[r.path]}", DIM)
            body.append("\n" + plain(f"{r.published or 'undated'} · shares " + ", ".join(n for _, n in r.shared)), DIM)
            rows.append(Row(two_columns(Text(f"{r.score:5.1f}", DIM), body, 5), (r.path, 0)))
        title = f"Related to: {self.brief_title}" if rows else f"Nothing shares key facts with: {self.brief_title}"
        return Computed(title, [], rows)
