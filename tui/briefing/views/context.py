"""The sentence around a place in a brief's displayed text, from the text alone.

The index keeps a brief's displayed text and the offsets of its mentions, not its blocks:
a block of the displayed text is a run of lines between blank lines or line breaks (a
hard line break inside a paragraph counts as a break here, which only shortens a context),
and its sentences are briefing.core.sentences' (the reader's own splitting).
"""

from __future__ import annotations

import threading

from briefing.core.sentences import split_sentences

MAX_CONTEXT = 400  # characters of a sentence shown at most (a long one is cut around the mention)


def sentence_around(text: str, start: int, end: int | None = None) -> tuple[int, int]:
    """(start, end) of the sentence of ``text`` that holds the offset ``start``."""
    end = start if end is None else end
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end < 0:
        line_end = len(text)
    for s, e in _sentences(text, line_start, line_end):
        if s <= start < e or start < s:
            return (min(s, start), max(e, end))
    return (line_start, line_end)


_LAST = threading.local()  # the last line split, per thread: mentions come in runs


def _sentences(text: str, line_start: int, line_end: int) -> list[tuple[int, int]]:
    last = getattr(_LAST, "line", None)
    if last is not None and last[0] is text and last[1] == line_start and last[2] == line_end:
        return last[3]
    found = split_sentences(text, line_start, line_end)
    _LAST.line = (text, line_start, line_end, found)
    return found


def context(text: str, start: int, end: int) -> tuple[str, int, int]:
    """(the sentence, the mention's start and end within it): at most MAX_CONTEXT
    characters, cut around the mention with "…" where cut."""
    s, e = sentence_around(text, start, end)
    if e - s > MAX_CONTEXT:
        half = (MAX_CONTEXT - (end - start)) // 2
        cs, ce = max(s, start - max(half, 0)), min(e, end + max(half, 0))
        head = "…" if cs > s else ""
        tail = "…" if ce < e else ""
        return head + text[cs:ce] + tail, start - cs + len(head), end - cs + len(head)
    return text[s:e], start - s, end - s
