"""``briefing facts PATH``: the key facts as readable tables (Rich, no markup from briefs)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from briefing.core.model import Brief


def _cell(value: object) -> Text:
    return Text("" if value is None else str(value))


def print_facts(brief: Brief, console: Console | None = None) -> None:
    console = console or Console(highlight=False, emoji=False)
    meta = brief.meta
    head = Text(meta.title, style="bold")
    if meta.published:
        head.append(f"  {meta.published.isoformat()}", style="dim")
    console.print(head)
    for kind, facts in brief.facts.items():
        if not facts:
            continue
        title = {"leader": "Leaders", "date": "Dates", "region": "Regions"}.get(kind, kind.capitalize() + "s")
        table = Table(title=Text(title), title_justify="left", show_edge=False, pad_edge=False)
        if kind == "leader":
            columns = ("name", "role", "country", "mentions")
        elif kind == "date":
            columns = ("value", "precision", "mod", "text", "mentions")
        elif kind == "region":
            columns = ("name", "kind", "mentions")
        else:
            columns = ("name", "mentions")
        for col in columns:
            table.add_column(col, justify="right" if col == "mentions" else "left")
        for fact in facts:
            row = []
            for col in columns:
                value = "; ".join(fact.texts) if col == "text" else getattr(fact, col)
                row.append(_cell(value))
            table.add_row(*row)
        console.print(table)
