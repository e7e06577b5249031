"""The key-facts sidebar: Leaders, Dates, Regions, then other types, as one OptionList."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

GROUP_TITLES = {"leader": "Leaders", "date": "Dates", "region": "Regions"}


def group_title(kind: str) -> str:
    return GROUP_TITLES.get(kind) or (kind.capitalize() + ("es" if kind.endswith("s") else "s"))


class FactOption(Option):
    def __init__(self, prompt: Text, fact) -> None:
        super().__init__(prompt, id="fact:" + fact.key)
        self.fact = fact


class HighlightOption(Option):
    def __init__(self, prompt: Text, highlight) -> None:
        super().__init__(prompt, id="highlight:" + highlight.id)
        self.highlight = highlight


class FactsPanel(OptionList):
    COMPONENT_CLASSES = {"facts--group", "facts--name", "facts--detail", "facts--count"}

    BINDINGS = [
        Binding("j", "cursor_down", "Down", id="facts.down", show=False),
        Binding("k", "cursor_up", "Up", id="facts.up", show=False),
        Binding("g", "first", "Top", id="facts.top", show=False),
        Binding("G", "last", "Bottom", id="facts.bottom", show=False),
        Binding("enter", "select", "Mark mentions", id="facts.select"),
        Binding("f", "app.filter_by_fact", "Filter list", id="facts.filter"),
    ]

    class FactChosen(Message):
        def __init__(self, fact) -> None:
            super().__init__()
            self.fact = fact

    class HighlightChosen(Message):
        def __init__(self, highlight) -> None:
            super().__init__()
            self.highlight = highlight

    def show_facts(self, brief, highlights: list | None = None) -> None:
        """Fact groups, then the reader's highlights (keeping the cursor where it was)."""
        keep = self.highlighted_option.id if self.highlighted_option is not None and self.option_count else None
        same_brief = getattr(self, "_brief_path", None) == brief.path
        self._brief_path = brief.path
        options: list[Option | None] = []
        group_style = self.get_component_rich_style("facts--group", partial=True)
        for kind, facts in brief.facts.items():
            header = Text(f"{group_title(kind)} ({len(facts)})", style=group_style)
            options.append(Option(header, disabled=True))
            if not facts:
                options.append(Option(Text("  none", style="dim"), disabled=True))
            for fact in facts:
                options.append(FactOption(self._prompt(fact), fact))
        highlights = highlights or []
        options.append(Option(Text(f"Highlights ({len(highlights)})", style=group_style), disabled=True))
        if not highlights:
            options.append(Option(Text("  none yet: h highlights a sentence", style="dim"), disabled=True))
        for h in highlights:
            options.append(HighlightOption(self._highlight_prompt(h), h))
        self.set_options(options)
        if same_brief and keep is not None:
            try:
                self.highlighted = self.get_option_index(keep)
                return
            except Exception:
                pass
        self.highlighted = next((i for i, o in enumerate(self.options) if not o.disabled), None)
        self.call_after_refresh(self.scroll_home, animate=False)  # keep the first group's heading in view

    def _highlight_prompt(self, h) -> Text:
        name = self.get_component_rich_style("facts--name", partial=True)
        detail = self.get_component_rich_style("facts--detail", partial=True)
        text = Text(no_wrap=True, overflow="ellipsis")
        quote = " ".join(h.exact.split())
        if h.orphan:
            text.append("⚠ orphan: ", "bold")
        text.append("“" + quote + "”", name)
        if h.note:
            text.append("\n\u00a0\u00a0✎ " + " ".join(h.note.split()), detail)
        return text
    def show_nothing(self, message: str = "") -> None:
        self.set_options([Option(Text(message, style="dim"), disabled=True)] if message else [])

    def _prompt(self, fact) -> Text:
        name = self.get_component_rich_style("facts--name", partial=True)
        detail = self.get_component_rich_style("facts--detail", partial=True)
        count = self.get_component_rich_style("facts--count", partial=True)
        text = Text(no_wrap=True, overflow="ellipsis")
        if fact.type == "date":
            text.append(fact.label, name)
            text.append(f" ×{fact.mentions}", count)
            if fact.texts:
                text.append("\n\u00a0\u00a0" + "; ".join(fact.texts), detail)
            return text
        text.append(fact.name, name)
        text.append(f" ×{fact.mentions}", count)
        details = [d for d in (fact.role, fact.country, fact.kind) if d]
        if details:
            text.append("\n\u00a0\u00a0" + " · ".join(details), detail)
        return text

    @property
    def current_fact(self):
        option = self.highlighted_option
        return option.fact if isinstance(option, FactOption) else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if isinstance(event.option, FactOption):
            self.post_message(self.FactChosen(event.option.fact))
        elif isinstance(event.option, HighlightOption):
            self.post_message(self.HighlightChosen(event.option.highlight))
