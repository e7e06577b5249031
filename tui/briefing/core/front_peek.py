"""The one light front-matter reader: where the front matter is (``split``), and its data
read without a YAML library, the parser or pydantic, in two ways over the same lines:

- ``read_plain(yaml_text)``: exact, all or nothing. Front matter in the plain shape nearly
  every brief has (top-level ``key: value`` lines, entities two levels down at 2 and 4
  spaces) gives the same data as ``briefing.core.frontmatter.load`` (every value the text
  written); anything else raises ``NotPlain``, and the caller reads it with that full
  reader. Used by the index's fast path (``briefing.index.fast``, which passes its own
  checked, cached reader of entity blocks) and the head-first view of a large brief
  (``briefing.session.progressive``).
- ``peek_front(text)``: best effort, never raises: ``title``, ``published``, ``source`` and
  ``tags`` from the top-level lines of front matter in any shape, cut or broken, sanitised.
  Used where a brief is listed before (or instead of) being parsed: the list's quick look
  at a small folder (``briefing.session.catalog.peek_entry``, for the first frame) and the
  index's rows of briefs not parsed yet or that fail to parse
  (``briefing.index.parse.quick_meta``). Where ``read_plain`` reads a brief, the two agree
  (tests/test_front_peek.py).

Why here and not in ``briefing.core.frontmatter``: that module is the full reader the parser
uses (PyYAML's events, any YAML, every problem located) and imports PyYAML; this one imports
only ``re`` and the sanitiser, so a first frame, the head of a large brief and the index's
common brief pay for no YAML library, and ``frontmatter`` depends on this module (for
``split``), never the other way.

Hostile input: every pattern here runs in time linear in its input (possessive quantifiers,
matches anchored at line starts or after commas: an unanchored pattern that backtracks cost
15 s on a 2 KB line before); ``read_plain`` refuses what the full reader refuses (anchors,
aliases, tags, flow mappings, block scalars, nesting past two levels, front matter over
``MAX_FRONT_MATTER_CHARS``) by giving up on it, so the full reader's guards apply. Values are
not sanitised by ``read_plain`` (its callers do, or take only safe text); ``peek_front``
sanitises every value it gives.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from operator import itemgetter

from briefing.core.limits import MAX_FRONT_MATTER_CHARS
from briefing.core.sanitize import is_safe, normalise_newlines, sanitise_line

_OPEN_RE = re.compile(r"---[ \t]*(?:\n|$)")
# The closing line, found from the newline before it: a pattern that starts with a
# character is searched several times faster than one that starts with "^".
_CLOSE_RE = re.compile(r"\n(?:---|\.\.\.)[ \t]*(?=\n|\Z)")


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


# ---------------------------------------------------------------------------- read_plain: exact


class NotPlain(Exception):
    """The front matter is not in the plain shape: ``briefing.core.frontmatter`` reads it."""


# One line of front matter in the plain shape (all of it, then its parts): blank, or "key:"
# then nothing, a double- or single-quoted string without escapes, a [flow, list] or a
# plain scalar (it may not start with a YAML indicator, nor hold ": " or "#"). Anchored at a
# line's start, possessive: a line that does not match costs one look at it.
_LINE_RE = re.compile(
    r"""^(( *+)(?:([A-Za-z0-9_][A-Za-z0-9_.-]*+):(?: ++(?:("[^"\\\n]*+")|('[^'\n]*+')|(\[[^\]\n]*+\])"""
    r"""|([^\s\-?:,\[\]{}#&*!|>'"%@`][^\n#:]*+(?::(?=\S)[^\n#:]*+)*+)))?)? *+(?:\n|\Z))""", re.M)
# One item of a flow list (all of it, the item with its quotes if quoted, the plain item with
# any spaces after it, the comma after it), starting at the list's start or after a comma.
_FLOW_ITEM_RE = re.compile(
    r"""(?<![^,])( *+(?:("[^"\\]*+")|([^\s,\[\]{}#:"'&*!|>%@`?-][^,\[\]{}#:"]*+)) *+(,|$))""")
# An entity as nearly every brief writes it: "  id:" alone on its line, then its fields at
# four spaces, a line each (blank lines between them too).
_BLOCK_RE = re.compile(r"^  [A-Za-z0-9_][^\n]*+\n(?:(?: *+\n)*    [^\n]*+\n)+", re.M)
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))  # what YAML reads as null


def _lines(text: str) -> list[tuple]:
    lines = _LINE_RE.findall(text)
    # The matches follow each other; if they cover the text, no line had another shape.
    if sum(map(len, map(itemgetter(0), lines))) != len(text):
        raise NotPlain
    return lines


def _flow_list(inner: str) -> list[str]:
    if not inner.strip(" "):
        return []
    found = _FLOW_ITEM_RE.findall(inner)
    # The items must follow each other to the end (each before a comma: only the last can
    # be at the end), and the last must not have a comma after it ("a," reads otherwise).
    if sum(map(len, map(itemgetter(0), found))) != len(inner) or found[-1][3]:
        raise NotPlain
    items = []
    for _, quoted, plain, _ in found:
        if quoted:
            items.append(quoted[1:-1])
            continue
        plain = plain.rstrip(" ")
        if plain in _NULLS or plain[-1].isspace():
            raise NotPlain
        items.append(plain)
    return items


def _value(dq: str, sq: str, flow: str, plain: str) -> str | list[str] | None:
    """The value of one line (_LINE_RE's groups); None if there is none (a mapping follows)."""
    if dq or sq:  # (findall gives "" for a group that did not match: quotes included)
        return (dq or sq)[1:-1]
    if flow:
        return _flow_list(flow[1:-1])
    if plain:
        value = plain.rstrip(" ")
        if value in _NULLS or value.endswith(":"):
            raise NotPlain
        return value
    return None


def read_entity(block: str) -> tuple[str, dict]:
    """(id, fields) of one entity block (``_BLOCK_RE``): its fields a line each, at four spaces."""
    lines = _lines(block)
    _, indent, eid, *head = lines[0]
    if len(indent) != 2 or any(head) or eid in _NULLS:
        raise NotPlain
    fields: dict = {}
    for _, indent, key, dq, sq, flow, plain in lines[1:]:
        if not key:
            continue  # a blank line
        value = _value(dq, sq, flow, plain)
        if len(indent) != 4 or key in _NULLS or value is None or key in fields:
            raise NotPlain
        fields[key] = value
    if not fields:
        raise NotPlain
    return eid, fields


def read_plain(yaml_text: str, entity: Callable[[str], tuple[str, object]] = read_entity) -> dict:
    """The data of front matter in the plain shape, as ``frontmatter.load`` gives it: keys to
    the text written, ``[flow, lists]`` of it, and under a bare ``key:`` (``entities:``) a
    mapping of the blocks that follow, each read by ``entity`` (block -> (id, value));
    ``NotPlain`` for anything else (escapes, tabs, comments, nulls, other shapes).
    ``yaml_text`` is sanitised text (``briefing.core.sanitize``), as every reader of a brief
    gets it: raw control characters, which PyYAML refuses, are not looked for here."""
    if len(yaml_text) > MAX_FRONT_MATTER_CHARS or "\t" in yaml_text or "\\" in yaml_text:
        raise NotPlain
    data: dict = {}
    under: dict | None = None  # the mapping of a bare "key:" while its blocks are read
    pos = 0
    for m in _BLOCK_RE.finditer(yaml_text):
        if m.start() > pos:
            under = _read_keys(yaml_text[pos:m.start()], data, under)
        eid, value = entity(m.group())
        if under is None or eid in under:
            raise NotPlain
        under[eid] = value
        pos = m.end()
    if pos < len(yaml_text):
        _read_keys(yaml_text[pos:], data, under)
    for key, value in data.items():
        if value == {}:
            data[key] = None  # a bare "key:" with nothing under it: null
    return data


def _read_keys(text: str, data: dict, under: dict | None) -> dict | None:
    """Read the lines between entity blocks into ``data``: top-level keys and blank lines
    only. Returns the mapping the next blocks go into (after a bare "key:"), or None."""
    for _, indent, key, dq, sq, flow, plain in _lines(text):
        if not key:
            continue  # a blank line
        if indent or key in _NULLS or key in data:  # (an entity not in a block of its own: unusual)
            raise NotPlain
        value = _value(dq, sq, flow, plain)
        if value is None:
            under = data[key] = {}
        else:
            data[key] = value
            under = None
    return under


# ---------------------------------------------------------------------------- peek_front: best effort

_KEY_RE = re.compile(r"^(title|published|source|tags)[ \t]*+:[ \t]*+([^\n]*+)", re.M)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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
        raw = raw.rstrip(" \t")
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
