"""The one light front-matter reader: where the front matter is (``split``), and a peek at its
plain top-level lines for ``title``, ``published``, ``source`` and ``tags`` (``peek_front``),
without a YAML library, the parser or pydantic.

Used where a brief is listed before it is parsed: the list's quick look at a small folder
(``briefing.session.catalog.peek_entry``, for the first frame), the index's rows of briefs not
parsed yet or that fail to parse (``briefing.index.parse.quick_meta``). ``split`` is also how
the parser, the index's fast path and the head-first view find the YAML they read in full
(``briefing.core.frontmatter`` re-exports it).

Best effort, never raises: a value in any unusual form (flow collections other than a tag
list, block scalars, anchors, a quoted string that does not end) is left out, for the real
parser to read. Values are sanitised like a brief's text; ``published`` is kept only as
YYYY-MM-DD.
"""

from __future__ import annotations

import re

from briefing.core.sanitize import is_safe, normalise_newlines, sanitise_line

_OPEN_RE = re.compile(r"---[ \t]*(?:\n|$)")
# The closing line, found from the newline before it: a pattern that starts with a
# character is searched several times faster than one that starts with "^".
_CLOSE_RE = re.compile(r"\n(?:---|\.\.\.)[ \t]*(?=\n|\Z)")
_KEY_RE = re.compile(r"^(title|published|source|tags)[ \t]*:[ \t]*(.*?)[ \t]*$", re.M)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def split(text: str) -> tuple[str | None, int, int]:
    """Return (yaml_text or None, offset of the YAML, offset where the body starts).

    A missing closing line returns yaml_text None and body offset -1.
    """
    m = _OPEN_RE.match(text)
    if m is None:
        return None, 0, 0
    start = m.end()
    close = _CLOSE_RE.search(text, start - 1)  # (the opening line's newline, if any, starts the search)
    if close is None:
        return None, start, -1
    body = close.end() + 1 if close.end() < len(text) else close.end()
    return text[start : close.start() + 1], start, body


def _scalar(raw: str) -> str | None:
    """A plain or quoted scalar as YAML reads it; None for anything else."""
    raw = raw.strip()
    if not raw:
        return None
    if raw[0] == '"':
        if "\\" not in raw and raw.endswith('"') and len(raw) > 1:
            return raw[1:-1] or None  # (what json.loads gives, without its cost)
        import json

        try:
            value = json.loads(raw)
            return value if isinstance(value, str) else None
        except ValueError:
            return raw.strip('"') or None
    if raw[0] == "'":
        return raw[1:-1].replace("''", "'") if raw.endswith("'") and len(raw) > 1 else None
    if raw[0] in "[]{}|>&*!%@`":
        return None
    return raw.split(" #", 1)[0].strip() or None


def peek_front(text: str, cut: bool = False, tags: bool = True) -> dict:
    """``{"title", "published", "source", "tags"}`` read from the front matter's top-level
    lines of ``text`` (the start of a file, decoded); missing values are None (tags: []).
    ``cut``: ``text`` is only the start of the file, so front matter that does not close in
    it is read as far as it goes (else such a brief has none). ``tags=False``: not read (the
    list's first frame shows none, and a brief has several)."""
    out: dict = {"title": None, "published": None, "source": None, "tags": []}
    text = normalise_newlines(text.removeprefix("\ufeff"))
    yaml_text, start, body = split(text)
    if yaml_text is None:
        if not (cut and body == -1):
            return out
        yaml_text = text[start:]
    for key, raw in _KEY_RE.findall(yaml_text):
        if key == "tags":
            if tags and raw.startswith("[") and raw.endswith("]"):
                found = [t for t in map(_scalar, raw[1:-1].split(",")) if t]
                every = "".join(found)  # (one look at all of them: a brief has several tags)
                if "\n" in every or "\t" in every or not is_safe(every):
                    found = [sanitise_line(t) for t in found]
                out["tags"] = found
            continue
        value = _scalar(raw)
        if value is None:
            continue
        if key == "published":
            out["published"] = value if _DATE_RE.match(value) else None
        else:
            out[key] = sanitise_line(value)
    return out
