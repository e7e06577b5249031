"""Open a large brief in two steps: its head first, the whole of it a moment later.

Blocks are independent in the brief format (a span never crosses a blank line), so the
head of a brief cut at a blank line outside any code fence parses to exactly the first
blocks of the whole: same text, same offsets. The reader shows that at once and swaps in
the full parse, at the same reading position, when it is ready.
"""

from __future__ import annotations

import re

from tui.sanitize import normalise_newlines

HEAD_THRESHOLD = 192 * 1024  # briefs larger than this (in characters) open in two steps
HEAD_SIZE = 16 * 1024  # a tall, wide screen of text; the rest follows from the full parse

_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.MULTILINE)


def brief_head(text: str, size: int = HEAD_SIZE) -> str | None:
    """The front matter and the first blocks of ``text`` (about ``size`` characters of body),
    or None when the text is small or cannot be cut safely."""
    text = normalise_newlines(text)
    if len(text) <= HEAD_THRESHOLD:
        return None
    from tui import frontmatter  # YAML is not needed to decide whether a brief is large

    _, _, body_start = frontmatter.split(text)
    if body_start <= 0:
        return None
    cut = text.find("\n\n", body_start + size)
    while cut > 0:
        # Not inside a fenced code block: an even number of fences before the cut.
        if len(_FENCE_RE.findall(text, body_start, cut)) % 2 == 0:
            return text[: cut + 1]
        cut = text.find("\n\n", cut + 2)
        if cut - body_start > 8 * size:
            return None
    return None
