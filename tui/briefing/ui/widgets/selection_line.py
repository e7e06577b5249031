"""One line above the reading pane: the words selected (by the word keys or the mouse) and
what can be done with them; while a draft is under review, how many mentions are left and
the keys, when nothing is selected. The selection is visible without colour (reversed in
the pane) and readable here in words, on a monochrome terminal or by a screen reader. Above
the pane, not below it: notifications appear at the bottom and would cover it.

Brief text reaches it as a plain ``Content`` (never markup), already sanitised by the parser.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

MAX_QUOTE = 60  # characters of the selection quoted; longer ones are shortened in the middle


class SelectionLine(Static):
    DEFAULT_CSS = """
    SelectionLine { height: 1; display: none; background: $boost; color: $text; padding: 0 1; }
    SelectionLine.-shown { display: block; }
    SelectionLine.-warn { height: auto; max-height: 4; }
    """

    def show_words(self, words: str | None, hint: str = "", idle: str = "", warning: str = "") -> None:
        """``words`` selected and what keys do with them; none: ``idle`` (or the line hides).
        ``warning``: a line above them that stays until its cause is gone (the published date
        of a raw text that no one has confirmed), never a toast that disappears."""
        self.set_class(bool(warning), "-warn")
        if warning:
            line = "⚠ " + warning
            warn = Content.assemble(Content(line).stylize("bold", 0, len(line)), "\n")
        else:
            warn = Content("")
        if not words:
            if idle or warning:
                self.update(Content.assemble(warn, Content(idle)))
            self.set_class(bool(idle or warning), "-shown")
            return
        words = " ".join(words.split())
        count = len(words.split())
        if len(words) > MAX_QUOTE:
            words = words[: MAX_QUOTE // 2 - 1] + "…" + words[-(MAX_QUOTE // 2 - 1):]
        text = f"Selected {count} word{'s' if count != 1 else ''}: “{words}”"
        self.update(Content.assemble(warn, Content(text).stylize("bold", 0, len(text)),
                                     Content("  " + hint if hint else "")))
        self.set_class(True, "-shown")
