"""A brief's per-mention, per-style and per-segment data as columns: one machine integer per
offset (``array('i')``) and one reference per string, instead of a Python object per item.

Why (issue 15): an 8 MB brief has up to a million styles, 300,000 mentions and 1.3 million
segments. As objects, a mention was ~600 bytes (a pydantic object, its ``__dict__`` of 10
fields, an ``int`` object of 28 bytes for each offset, its segments as tuples), and the peak
of parsing 8 MB of spans was 4x the goal of 100 MB + 10x the file. As columns a mention is
~56 bytes, a style 32, a segment 12.

Each class is a read-only sequence: ``len``, indexing, slicing (a list), iteration and
``==`` (with a list or another of its kind) work as they did on the lists of objects they
replace; an item is made when it is asked for (a segment is a tuple; a style or a mention
is made by the model, ``briefing.core.model``, which gives the item maker). Code that walks
a large brief reads ``rows()``: plain tuples in the model's field order, made at C speed
(making a pydantic object per item costs ~1 us: a second for a million styles).

Offsets fit in 32 bits: a brief is at most MAX_BRIEF_BYTES, so no offset reaches 2**31
(an ``array('i')`` would raise OverflowError rather than wrap). No pydantic here: the
Markdown parser and the index's fast path import this module.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence

from briefing.core.limits import MAX_BRIEF_BYTES

assert MAX_BRIEF_BYTES < 2**31  # offsets are stored as C ints
_INT = "i"


class _Columns(Sequence):
    """The shared reading side: subclasses name their columns (``_COLUMNS``, in the item's
    field order); an item is the row's tuple unless a subclass makes it (``_item``)."""

    __slots__ = ()
    _COLUMNS: tuple[str, ...] = ()

    def columns(self) -> list:
        return [getattr(self, name) for name in self._COLUMNS]

    @classmethod
    def of(cls, **columns):
        """A ``cls`` over the given columns (each named, not copied)."""
        new = cls.__new__(cls)
        for name in cls._COLUMNS:
            setattr(new, name, columns[name])
        return new

    @classmethod
    def adopt(cls, other: "_Columns"):
        """A ``cls`` over the columns of ``other`` (one with the same columns), not copied:
        ``other`` is not to be used after."""
        return cls.of(**{name: getattr(other, name) for name in cls._COLUMNS})

    def rows(self) -> Iterator[tuple]:
        """Every item as a plain tuple of its fields, in order (fast: no object per item)."""
        return zip(*self.columns())

    def _item(self, row: tuple):
        return row

    def __len__(self) -> int:
        return len(getattr(self, self._COLUMNS[0]))

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._item(row) for row in zip(*(column[i] for column in self.columns()))]
        return self._item(tuple(column[i] for column in self.columns()))

    def __iter__(self) -> Iterator:
        return map(self._item, self.rows())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _Columns):
            if type(self) is type(other):
                return self.columns() == other.columns()
            return NotImplemented
        if isinstance(other, (list, tuple)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  (built up while parsing, like the lists it replaces)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list(self)!r})"


class Segments(_Columns):
    """(display offset, source offset, length) of each run of display text copied verbatim
    from the source, in display order: items are 3-tuples, as the list of tuples was."""

    __slots__ = ("displays", "sources", "lengths")
    _COLUMNS = ("displays", "sources", "lengths")

    def __init__(self, items: Sequence[tuple[int, int, int]] = ()):
        self.displays, self.sources, self.lengths = array(_INT), array(_INT), array(_INT)
        for d, s, n in items:
            self.add(d, s, n)

    def add(self, display: int, source: int, length: int) -> None:
        self.displays.append(display)
        self.sources.append(source)
        self.lengths.append(length)

    def __iter__(self) -> Iterator[tuple[int, int, int]]:
        return zip(self.displays, self.sources, self.lengths)


class Pairs(_Columns):
    """(start, end) pairs by column, items 2-tuples: the mentions of a fact (``Fact.spans``;
    one fact of an 8 MB brief may have 300,000)."""

    __slots__ = ("starts", "ends")
    _COLUMNS = ("starts", "ends")

    def __init__(self, items: Sequence[tuple[int, int]] = ()):
        self.starts, self.ends = array(_INT), array(_INT)
        for start, end in items:
            self.add(start, end)

    def add(self, start: int, end: int) -> None:
        self.starts.append(start)
        self.ends.append(end)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self.starts, self.ends)


class StyleColumns(_Columns):
    """Styles (strong, emphasis, code, link, image) by column; the fields of
    ``briefing.core.model.Style``: kind, start, end, url, src_start, src_end."""

    __slots__ = ("kinds", "starts", "ends", "urls", "src_starts", "src_ends")
    _COLUMNS = ("kinds", "starts", "ends", "urls", "src_starts", "src_ends")

    def __init__(self) -> None:
        self.kinds: list[str] = []
        self.urls: list[str | None] = []
        self.starts, self.ends, self.src_starts, self.src_ends = array(_INT), array(_INT), array(_INT), array(_INT)

    def add(self, kind: str, start: int, end: int, url: str | None, src_start: int, src_end: int) -> None:
        self.kinds.append(kind)
        self.starts.append(start)
        self.ends.append(end)
        self.urls.append(url)
        self.src_starts.append(src_start)
        self.src_ends.append(src_end)


class MentionColumns(_Columns):
    """Mentions by column; the fields of ``briefing.core.model.Mention``: type, start, end,
    text, ref, attrs, line, col, src_start, src_end. ``attrs`` dicts are shared by the
    mentions written with the same attribute block: never change one in place."""

    __slots__ = ("types", "starts", "ends", "texts", "refs", "attrs", "lines", "cols", "src_starts", "src_ends")
    _COLUMNS = ("types", "starts", "ends", "texts", "refs", "attrs", "lines", "cols", "src_starts", "src_ends")

    def __init__(self) -> None:
        self.types: list[str] = []
        self.texts: list[str] = []
        self.refs: list[str | None] = []
        self.attrs: list[dict[str, str]] = []
        self.starts, self.ends, self.lines = array(_INT), array(_INT), array(_INT)
        self.cols, self.src_starts, self.src_ends = array(_INT), array(_INT), array(_INT)

    def add(self, type: str, start: int, end: int, text: str, ref: str | None, attrs: dict[str, str],
            line: int, col: int, src_start: int, src_end: int) -> None:
        self.types.append(type)
        self.starts.append(start)
        self.ends.append(end)
        self.texts.append(text)
        self.refs.append(ref)
        self.attrs.append(attrs)
        self.lines.append(line)
        self.cols.append(col)
        self.src_starts.append(src_start)
        self.src_ends.append(src_end)


def mention_spans(mentions) -> Iterator[tuple[str, int, int]]:
    """(type, start, end) of each mention, of any shape a brief is shown in (columns, or a
    list of objects with those fields): a parsed brief's columns are read without making
    a Mention per row."""
    if isinstance(mentions, MentionColumns):
        return zip(mentions.types, mentions.starts, mentions.ends)
    return ((m.type, m.start, m.end) for m in mentions)


def style_spans(styles) -> Iterator[tuple[str, int, int, str | None]]:
    """(kind, start, end, url) of each style, of any shape a brief is shown in (see
    mention_spans)."""
    if isinstance(styles, StyleColumns):
        return zip(styles.kinds, styles.starts, styles.ends, styles.urls)
    return ((s.kind, s.start, s.end, s.url) for s in styles)


class SpanColumns(_Columns):
    """Bracketed spans as written (``[text]{.type key=value}``), by column, for the parser to
    check: the fields of ``briefing.core.markdown.RawSpan``: type, attrs, start, end,
    src_start, src_end, line, col, classes, brace, where (``attrs`` and ``where`` shared by
    the spans written with the same attribute block: never change one in place)."""

    __slots__ = ("types", "attrs", "starts", "ends", "src_starts", "src_ends", "lines", "cols", "classes",
                 "braces", "wheres")
    _COLUMNS = ("types", "attrs", "starts", "ends", "src_starts", "src_ends", "lines", "cols", "classes",
                "braces", "wheres")

    def __init__(self) -> None:
        self.types: list[str] = []
        self.attrs: list[dict[str, str]] = []
        self.classes: list[tuple[str, ...]] = []
        self.wheres: list[dict[str, int]] = []
        self.starts, self.ends, self.src_starts, self.src_ends = array(_INT), array(_INT), array(_INT), array(_INT)
        self.lines, self.cols, self.braces = array(_INT), array(_INT), array(_INT)

    def add(self, type: str, attrs: dict[str, str], start: int, end: int, src_start: int, src_end: int,
            line: int, col: int, classes: tuple[str, ...], brace: int, where: dict[str, int]) -> None:
        self.types.append(type)
        self.attrs.append(attrs)
        self.starts.append(start)
        self.ends.append(end)
        self.src_starts.append(src_start)
        self.src_ends.append(src_end)
        self.lines.append(line)
        self.cols.append(col)
        self.classes.append(classes)
        self.braces.append(brace)
        self.wheres.append(where)


def in_order(starts: Sequence[int], ends: Sequence[int]) -> bool:
    """Whether the rows are sorted by (start, -end), an enclosing span before those inside it
    (spans are recorded as they close: out of order only where they nest)."""
    return not any(a > b or (a == b and e < f) for a, b, e, f in zip(starts, starts[1:], ends, ends[1:]))
