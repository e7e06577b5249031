"""Open a large brief in two steps: its head first, the whole of it a moment later.

Blocks are independent in the brief format (a span never crosses a blank line), so the
head of a brief cut at a blank line outside any code fence parses to exactly the first
blocks of the whole: same text, same offsets. The reader shows that at once and swaps in
the full parse, at the same reading position, when it is ready.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from briefing.core.front_peek import NotPlain, read_plain, split
from briefing.core.sanitize import normalise_newlines

HEAD_THRESHOLD = 192 * 1024  # briefs larger than this (in characters) open in two steps
HEAD_SIZE = 16 * 1024  # a tall, wide screen of text; the rest follows from the full parse

_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.MULTILINE)


def brief_head(text: str, size: int = HEAD_SIZE) -> str | None:
    """The front matter and the first blocks of ``text`` (about ``size`` characters of body),
    or None when the text is small or cannot be cut safely."""
    text = normalise_newlines(text)
    if len(text) <= HEAD_THRESHOLD:
        return None
    _, _, body_start = split(text)
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


# ---------------------------------------------------------------------------- the first screen

# What the reading pane needs of a brief, for the head shown before the whole is parsed. Built
# from the same Markdown parser as a Brief (same text, same offsets) and the one light
# front-matter reader (briefing.core.front_peek.read_plain: the same data as the parser's
# reader, for the plain front matter nearly every brief has; any other is read by that full
# reader, briefing.core.frontmatter), without pydantic, the parser module or, for plain front
# matter, PyYAML: importing those costs ~0.1 s, which would all come before the first screen
# of a large brief. Nothing here is checked beyond what shows: the full parse that follows
# reports every problem (and replaces this view, or shows the errors).
HIGHLIGHT_TYPE = "highlight"  # as briefing.core.model.HIGHLIGHT_TYPE (importing it would load pydantic)


@dataclass(slots=True)
class HeadMeta:
    title: str
    published: dt.date | None = None
    source: str | None = None
    url: str | None = None
    tags: list[str] = field(default_factory=list)
    summary: str | None = None


@dataclass(slots=True)
class HeadMention:
    type: str
    start: int
    end: int


@dataclass
class HeadBrief:
    path: str
    meta: HeadMeta
    text: str
    blocks: list
    styles: list
    mentions: list[HeadMention]


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def read_head(data: bytes, path: str) -> HeadBrief | None:
    """The head of a large brief, ready for the reading pane; None when the brief is small,
    cannot be cut, or its head does not read cleanly (the full parse then says why)."""
    from briefing.core.markdown import parse_body
    from briefing.core.sanitize import sanitise, sanitise_data

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    head = brief_head(text[1:] if text.startswith("\ufeff") else text)
    if head is None:
        return None
    head = sanitise(head)
    yaml_text, _, body_start = split(head)
    if yaml_text is None:
        return None
    try:
        data = read_plain(yaml_text)
    except NotPlain:  # (front matter in another shape: the full reader, as the parser reads it)
        from briefing.core import frontmatter

        fm = frontmatter.load(yaml_text)
        if fm.issues or not isinstance(fm.data, dict):
            return None
        data = fm.data
    meta_data = sanitise_data(data)
    title = _text(meta_data.get("title"))
    if title is None:
        return None
    published = meta_data.get("published")
    try:
        published = dt.date.fromisoformat(published) if isinstance(published, str) and len(published) == 10 else None
    except ValueError:
        published = None
    tags = meta_data.get("tags")
    body = parse_body(head, body_start, head.count("\n", 0, body_start) + 1)
    if any(issue.severity == "error" for issue in body.issues):
        return None
    return HeadBrief(
        path=path,
        meta=HeadMeta(title=title.strip(), published=published, source=_text(meta_data.get("source")),
                      url=_text(meta_data.get("url")), summary=_text(meta_data.get("summary")),
                      tags=[t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []),
        text=body.text,
        blocks=body.blocks,
        styles=body.styles,
        mentions=[HeadMention(s.type, s.start, s.end) for s in body.spans if s.type != HIGHLIGHT_TYPE],
    )
