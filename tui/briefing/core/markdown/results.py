"""What ``parse_body`` returns, and the limits it keeps to.

``Body``: the display text of a brief's body, with its blocks (``RawBlock``), inline styles
(``RawStyles``, items ``RawStyle``), bracketed spans as written (``RawSpans``, items
``RawSpan``), the runs of text copied verbatim from the source (``segments``, display offset
to source offset) and the problems found (``BodyIssue``). Styles, spans and segments are
stored by column (``briefing.core.columns``: a machine integer per offset), each item made
when asked for. Offsets are into ``Body.text`` (display) or the whole source (``src_*``);
lines and columns are 1-based. ``briefing.core.parser`` checks the spans against the front
matter and builds the model from these. Nothing here parses: the builder (``builder``) and
the inline code (``inline``, ``spans``, ``shortcut``) fill them in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from briefing.core.columns import Segments, SpanColumns, StyleColumns

MAX_SPAN_DEPTH = 32  # brackets open at once inside one block
MAX_BLOCK_DEPTH = 32  # block-quote depth and list nesting shown (deeper is clamped, with a warning)
MAX_ATTR_CHARS = 4096  # an attribute block {...} longer than this is refused
MAX_LINK_TITLE_CHARS = 1000
JOIN_EVERY = 4096  # pieces of display text kept apart at most, then joined (the builder, the shortcut)


@dataclass(slots=True)
class RawSpan:
    """A bracketed span as written; checked against the front matter by the parser.

    (An 8 MB brief has 300,000 of them: what spans with the same attribute block share,
    their ``attrs`` and ``where``, is one object, read-only, and the offsets of the
    attributes are worked out only when a problem is reported.)"""

    type: str
    attrs: dict[str, str]  # shared by the spans written with the same {...}: not to be changed
    start: int  # display offsets
    end: int
    src_start: int  # source offsets of '[' and just after '}'
    src_end: int
    line: int
    col: int
    classes: tuple[str, ...] = ()  # the classes after the first (the type)
    brace: int = 0  # source offset of the '{'
    where: dict[str, int] = field(default_factory=dict)  # attribute name -> its offset from the '{'

    @property
    def attr_src(self) -> dict[str, int]:
        """Attribute name -> source offset of the name."""
        return {k: self.brace + v for k, v in self.where.items()}


@dataclass(slots=True)
class RawStyle:
    kind: str
    start: int
    end: int
    url: str | None
    src_start: int
    src_end: int


@dataclass(slots=True)
class RawBlock:
    kind: str
    start: int
    end: int
    level: int
    content_start: int


@dataclass
class BodyIssue:
    line: int
    col: int
    message: str
    severity: str = "error"


class RawStyles(StyleColumns):
    """The body's styles by column (briefing.core.columns); an item is a RawStyle."""

    __slots__ = ()

    def _item(self, row: tuple) -> RawStyle:
        return RawStyle(*row)


class RawSpans(SpanColumns):
    """The body's spans by column (briefing.core.columns), in the order they close; an item
    is a RawSpan."""

    __slots__ = ()

    def _item(self, row: tuple) -> RawSpan:
        return RawSpan(*row)


@dataclass
class Body:
    """What parse_body gives. Styles, spans and segments are stored by column (one machine
    integer per offset): an 8 MB brief has a million of them, and as objects they were the
    peak of its parse (issue 15)."""

    text: str = ""
    blocks: list[RawBlock] = field(default_factory=list)
    styles: RawStyles = field(default_factory=RawStyles)
    spans: RawSpans = field(default_factory=RawSpans)
    # (display offset, source offset, length): runs of display text copied verbatim from the
    # source (a soft line break, shown as a space, maps to its newline).
    segments: Segments = field(default_factory=Segments)
    issues: list[BodyIssue] = field(default_factory=list)
    # Where reading stopped after MAX_PROBLEMS errors (line, col), else None: nothing after
    # could make the brief valid, and a body of 4 million bad spans took minutes (issue 15).
    stopped_at: tuple[int, int] | None = None


class _TooManyErrors(Exception):
    """Raised by the builder at the first error past MAX_PROBLEMS; parse_body catches it."""
