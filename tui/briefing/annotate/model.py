"""What the recognisers find: mentions (``Hit``) and the entities they group into (``Found``)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Hit:
    """One mention: [start, end) in the raw text, its type, and what it refers to.

    ``name`` is the canonical name of the entity (leaders, regions), ``value``/``mod`` the
    TIMEX3 value of a date."""

    start: int
    end: int
    type: str
    name: str = ""
    kind: str | None = None
    country: str | None = None
    role: str | None = None
    value: str | None = None
    mod: str | None = None


@dataclass(slots=True)
class Found:
    """An entity of the draft: what the front matter declares."""

    id: str
    type: str
    name: str
    aliases: list[str] = field(default_factory=list)
    role: str | None = None
    country: str | None = None
    kind: str | None = None


@dataclass(slots=True)
class Annotation:
    """The result of ``annotate``: the mentions in text order and the entities they refer to
    (``Hit.name`` of leaders and regions is the ``Found.name`` of their entity)."""

    hits: list[Hit]
    entities: list[Found]
