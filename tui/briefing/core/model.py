"""The parsed brief: metadata, displayed text, structure, mentions, entities and key facts.

Every offset (``start``/``end``) is a character offset into ``Brief.text``, the plain text
the reader displays; ``src_start``/``src_end`` are offsets into ``Brief.source``, the file's
text after line endings were normalised and unsafe characters neutralised.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Literal

from pydantic import ConfigDict, field_serializer

from briefing.core import dates
from briefing.core.basemodel import Model, constructor
from briefing.core.columns import MentionColumns, Pairs, Segments, StyleColumns

from briefing.core.problems import Problem

BlockKind = Literal["heading", "paragraph", "quote", "item", "code", "rule"]
StyleKind = Literal["strong", "emphasis", "code", "link", "image"]

# Fact groups that always exist, in this order; other types follow alphabetically.
CORE_TYPES = ("leader", "date", "region")
HIGHLIGHT_TYPE = "highlight"


# Empty list and dict defaults are plain values, not default factories: pydantic copies them
# for each instance, and its model_construct inspects a factory's signature on every call
# (~0.2 ms each, which once made computing a brief's facts 20x slower).


class Meta(Model):
    title: str
    published: dt.date | None = None
    source: str | None = None
    url: str | None = None
    tags: list[str] = []
    summary: str | None = None
    draft: bool = False  # drafted by `briefing annotate`, not yet reviewed by a person


class Entity(Model):
    """A thing declared in the front matter that mentions point to with ``ref=ID``."""

    model_config = ConfigDict(extra="forbid")

    id: str
    type: str
    name: str
    aliases: list[str] = []
    role: str | None = None
    country: str | None = None
    kind: str | None = None
    value: str | None = None
    mod: str | None = None
    description: str | None = None
    wikidata: str | None = None  # a Wikidata entity id, Q…: the same thing across briefs


class Block(Model):
    kind: BlockKind
    start: int
    end: int
    level: int = 0  # heading level, quote depth or list nesting
    content_start: int = 0  # after a list item's bullet


class Style(Model):
    kind: StyleKind
    start: int
    end: int
    url: str | None = None
    src_start: int = 0
    src_end: int = 0


class Mention(Model):
    type: str
    start: int
    end: int
    text: str
    ref: str | None = None
    attrs: dict[str, str] = {}
    line: int = 0
    col: int = 0
    src_start: int = 0
    src_end: int = 0


# The objects a brief has by the hundred thousand, made from checked values by position.
_make_style, _make_mention = constructor(Style), constructor(Mention)


class Styles(StyleColumns):
    """A brief's styles, stored by column (``briefing.core.columns``); an item is a ``Style``
    made when asked for. Walk a large brief's styles with ``rows()``."""

    __slots__ = ()

    def _item(self, row: tuple) -> Style:
        return _make_style(*row)

    def __iter__(self):
        return map(_make_style, *self.columns())


class Mentions(MentionColumns):
    """A brief's mentions, stored by column (``briefing.core.columns``); an item is a
    ``Mention`` made when asked for. Walk a large brief's mentions with ``rows()``."""

    __slots__ = ()

    def _item(self, row: tuple) -> Mention:
        return _make_mention(*row)

    def __iter__(self):
        return map(_make_mention, *self.columns())


class Mark(Model):
    """A ``[text]{.highlight note="..."}`` span in the brief itself (an exported highlight)."""

    start: int
    end: int
    note: str | None = None
    src_start: int = 0
    src_end: int = 0


class Fact(Model):
    type: str
    key: str
    name: str
    role: str | None = None
    country: str | None = None
    kind: str | None = None
    value: str | None = None
    precision: str | None = None
    mod: str | None = None
    texts: list[str] = []
    # (start, end) of each mention: a list, or (as compute_facts makes them) Pairs, by column.
    spans: list[tuple[int, int]] = []

    @field_serializer("spans")
    def _dump_spans(self, spans: list[tuple[int, int]] | Pairs) -> list[tuple[int, int]]:
        return list(spans)

    @property
    def mentions(self) -> int:
        return len(self.spans)

    @property
    def label(self) -> str:
        """One line for the sidebar and the facts table."""
        if self.type == "date":
            return dates.in_words(self.value, self.mod)
        return self.name

    @property
    def iso(self) -> str:
        """A date's value as the brief wrote it ("2025-12 END"), shown dim beside the words."""
        return dates.iso_label(self.value, self.mod) if self.type == "date" else ""

    def as_json(self) -> dict:
        if self.type == "leader":
            return {"name": self.name, "role": self.role, "country": self.country, "mentions": self.mentions}
        if self.type == "date":
            return {
                "value": self.value,
                "text": "; ".join(self.texts),
                "mentions": self.mentions,
                "precision": self.precision,
                "mod": self.mod,
                "texts": self.texts,
            }
        if self.type == "region":
            return {"name": self.name, "kind": self.kind, "mentions": self.mentions}
        out = {"name": self.name, "mentions": self.mentions}
        for field in ("role", "country", "kind"):
            if getattr(self, field):
                out[field] = getattr(self, field)
        return out


class Brief(Model):
    path: str
    meta: Meta
    entities: dict[str, Entity] = {}
    text: str = ""
    blocks: list[Block] = []
    # Read-only sequences of Style and Mention, stored by column (an 8 MB brief has a million).
    styles: Styles = Styles()
    mentions: Mentions = Mentions()
    marks: list[Mark] = []
    warnings: list[Problem] = []
    source: str = ""
    body_start: int = 0
    # (display offset, source offset, length): runs of text copied verbatim from the source
    # (a read-only sequence of tuples, stored by column).
    segments: Segments = Segments()

    model_config = ConfigDict(ignored_types=(cached_property,), arbitrary_types_allowed=True)

    # Dumped as the lists they replace (tests and checks walk a brief's dump).
    @field_serializer("styles")
    def _dump_styles(self, styles: Styles) -> list[Style]:
        return list(styles)

    @field_serializer("mentions")
    def _dump_mentions(self, mentions: Mentions) -> list[Mention]:
        return list(mentions)

    @field_serializer("segments")
    def _dump_segments(self, segments: Segments) -> list[tuple[int, int, int]]:
        return list(segments)

    @cached_property
    def facts(self) -> dict[str, list[Fact]]:
        from briefing.core.facts import compute_facts

        return compute_facts(self)

    def facts_json(self) -> dict:
        return {
            "path": self.path,
            "title": self.meta.title,
            "published": self.meta.published.isoformat() if self.meta.published else None,
            "facts": {kind: [f.as_json() for f in facts] for kind, facts in self.facts.items()},
        }
