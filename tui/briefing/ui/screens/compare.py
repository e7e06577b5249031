"""The compare screen: two briefs' key facts by type, in both (with both counts), only in A,
only in B. Parses the two briefs on a worker thread (a few milliseconds); ``enter`` on a
fact opens brief A (or B for a fact only in B)."""

from __future__ import annotations

from rich.text import Text

from briefing.ui.screens.view_base import BOLD, DIM, Computed, Row, ViewScreen, plain
from briefing.ui.widgets.facts_panel import group_title


class CompareScreen(ViewScreen):
    def __init__(self, session, a: str, b: str) -> None:
        super().__init__()
        self.session, self.a, self.b = session, a, b

    def compute(self, more: bool) -> Computed:
        from briefing.core.problems import BriefError
        from briefing.views.compare import compare

        try:
            a, b = self.session.load_now(self.a), self.session.load_now(self.b)
        except BriefError as exc:
            raise ValueError(f"A brief does not read: {exc.problems[0].message if exc.problems else exc}") from None
        c = compare(a, b)
        summary = [Text(plain(f"A: {a.meta.title} ({a.meta.published or 'undated'})")),
                   Text(plain(f"B: {b.meta.title} ({b.meta.published or 'undated'})"))]
        rows = []
        for kind, (both, only_a, only_b) in c.groups.items():
            if not (both or only_a or only_b):
                continue
            rows.append(Row(Text(f"{group_title(kind)}: {len(both)} in both, {len(only_a)} only in A, "
                                 f"{len(only_b)} only in B", BOLD), heading=True))
            for side, items, where in (("both  ", both, self.a), ("only A", only_a, self.a), ("only B", only_b, self.b)):
                for s in items:
                    text = Text(f"  {side}  ", DIM)
                    text.append(plain(s.label))
                    counts = f"  A ×{s.a} · B ×{s.b}" if side.startswith("both") else f"  ×{s.a or s.b}"
                    text.append(counts, DIM)
                    rows.append(Row(text, (where, 0)))
        return Computed("Compare A and B — key facts side by side", summary, rows)
