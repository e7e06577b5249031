"""The profile screen of a leader, region or any fact across the briefs the list shows:
counts, first and last seen, roles and countries, who is mentioned with it, a sparkline of
mentions per month, the briefs (newest first) and each mention in its sentence. ``enter``
on a brief opens it; on a sentence, opens the brief at that place."""

from __future__ import annotations

from rich.text import Text

from briefing.ui.screens.view_base import BOLD, DIM, Computed, Row, ViewScreen, file_names, marked, plain, two_columns

CONTEXTS = 200  # sentences shown at most (the command line gives them all)
COMPANY_BRIEFS = 300  # what is mentioned with it: counted in its newest 300 briefs


class ProfileScreen(ViewScreen):
    def __init__(self, session, name: str, fact_type: str | None = None, query_line: str = "") -> None:
        super().__init__()
        self.session, self.fact_name, self.fact_type, self.query_line = session, name, fact_type, query_line

    def compute(self, more: bool) -> Computed:
        from briefing.index.query import parse_list_query
        from briefing.views.profile import profile
        from briefing.views.scope import Scope

        q = parse_list_query(self.query_line)
        scope = Scope(roots=self.session.roots, filters=q.filters, query=q.text or None)
        p = profile(self.session.index, self.fact_name, scope, fact_type=self.fact_type, contexts=CONTEXTS, company=8,
                    company_briefs=COMPANY_BRIEFS)
        summary = [Text(plain(f"{p.mentions} mention(s) in {len(p.briefs)} brief(s) · first seen "
                              f"{p.first_seen or '?'} · last seen {p.last_seen or '?'}"))]
        given = [f"{r} ({n})" for r, n in p.roles[:3]] + [f"{c} ({n})" for c, n in p.countries[:3]]
        if given:
            summary.append(Text(plain("Given as: " + "; ".join(given))))
        if p.company:
            summary.append(Text(plain("With: " + ", ".join(f"{n} ({k})" for _, n, k in p.company))))
        rows = [Row(Text(f"Briefs ({len(p.briefs)}), newest first", BOLD), heading=True)]
        names = file_names([(b.path, b.title) for b in p.briefs])
        for b in p.briefs:
            text = Text(plain(f"{b.published or 'undated':<10} ×{b.mentions:<3} "), DIM)
            text.append(plain(b.title))
            if b.path in names:  # another brief has this title and date: its file tells them apart
                text.append(f"  {names[b.path]}", DIM)
            rows.append(Row(text, (b.path, 0)))
        rows.append(Row(Text(f"Mentions in context ({len(p.contexts)} of {p.mentions})", BOLD), heading=True))
        for c in p.contexts:
            rows.append(Row(two_columns(Text(plain(c.published or "undated"), DIM), marked(c.sentence, c.at[0], c.at[1]), 10),
                            (c.path, c.start)))
        spark = [n for _, n in p.months] if len(p.months) > 1 else None
        label = f"Mentions per month, {p.months[0][0]} to {p.months[-1][0]}" if spark else ""
        return Computed(f"Profile: {p.name} ({p.type})", summary, rows, spark, label)
