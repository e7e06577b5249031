"""The JSON the CLI prints, as pydantic models: the contract outside scripts rely on.

    briefing schema NAME       the JSON Schema of one contract (generated from its model)
    briefing schema --list     the names, one a line, with what prints them

Each model forbids keys it does not declare, and tests/test_contracts.py validates the real
output of every command (shipped and generated briefs) against it: a key added to a
command's JSON fails that test until its model learns it, so the models stay the truth.
The views (timeline, profile, compare, related) print through their models (validated, then
dumped in the models' key order: byte for byte the dicts they built before); facts and
export still build their JSON as before. Only the commands that print JSON, ``schema`` and
the tests import this module (pydantic costs the reader's start-up time).

A new command that prints JSON: write its model here and add one line to ``CONTRACTS``.
"""

from __future__ import annotations

import sys
from typing import Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field


class Contract(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------- key facts (core.model.Fact.as_json)

class LeaderFact(Contract):
    name: str
    role: Optional[str]
    country: Optional[str]
    mentions: int


class DateFact(Contract):
    value: str = Field(description="the ISO-like value as written in the brief (2024-06-19, 2024-W25, 2025-12)")
    text: str = Field(description="the mentions as written, joined by '; '")
    mentions: int
    precision: Optional[str]
    mod: Optional[str]
    texts: list[str]


class RegionFact(Contract):
    name: str
    kind: Optional[str]
    mentions: int


class OtherFact(Contract):
    """Any other fact type (organisation, ...): role, country and kind only when set."""
    name: str
    mentions: int
    role: Optional[str] = None
    country: Optional[str] = None
    kind: Optional[str] = None


Fact = Union[LeaderFact, DateFact, RegionFact, OtherFact]
FactsByType = dict[str, list[Fact]]


class FactsJson(Contract):
    """`briefing facts PATH --json`"""
    path: str
    title: str
    published: Optional[str] = Field(description="YYYY-MM-DD or null")
    facts: FactsByType


# ---------------------------------------------------------------- export --format json (export.export_json)

class TextQuoteSelector(Contract):
    type: Literal["TextQuoteSelector"]
    exact: str
    prefix: str
    suffix: str


class TextPositionSelector(Contract):
    type: Literal["TextPositionSelector"]
    start: int
    end: int


class TextualBody(Contract):
    type: Literal["TextualBody"]
    value: str
    format: Literal["text/plain"]
    purpose: Literal["commenting"]


class Target(Contract):
    source: str
    selector: list[Union[TextQuoteSelector, TextPositionSelector]]


class Annotation(Contract):
    """One highlight as a W3C Web Annotation-like object."""
    id: str
    type: Literal["Annotation"]
    motivation: Literal["commenting", "highlighting"]
    body: Optional[TextualBody]
    target: Target
    orphan: bool
    note: Optional[str]
    created: Optional[str] = None
    modified: Optional[str] = None


class ExportJson(Contract):
    """`briefing export PATH --format json` (text is absent in a digest: --highlights-only)"""
    format: Literal["briefing-export"]
    version: Literal[1]
    digest: bool
    path: str
    title: str
    published: Optional[str]
    source: Optional[str]
    url: Optional[str]
    tags: list[str]
    summary: Optional[str]
    facts_scope: Literal["all", "highlighted"]
    facts: FactsByType
    highlights: list[Annotation]
    text: Optional[str] = None


# ---------------------------------------------------------------- the views (briefing.views, cli/views.py)

class DatedMention(Contract):
    date: str
    mod: Optional[str]
    precision: Optional[str]
    words: str
    text: str
    sentence: str
    at: tuple[int, int] = Field(description="the mention within the sentence")
    path: str
    title: str
    published: Optional[str]
    start: int
    end: int


class TimelineJson(Contract):
    """`briefing timeline PATH... --json`"""
    model_config = ConfigDict(populate_by_name=True)
    date_from: Optional[str] = Field(alias="from")
    date_to: Optional[str] = Field(alias="to")
    entity: Optional[str]
    count: int
    mentions: list[DatedMention]


class SeenIn(Contract):
    path: str
    title: str
    published: Optional[str]
    mentions: int


class InContext(Contract):
    path: str
    title: str
    published: Optional[str]
    start: int
    end: int
    sentence: str
    at: tuple[int, int]


class RoleCount(Contract):
    role: str
    briefs: int


class CountryCount(Contract):
    country: str
    briefs: int


class MentionedWith(Contract):
    type: str
    name: str
    briefs: int


class MonthCount(Contract):
    month: str = Field(description="YYYY-MM")
    mentions: int


class ProfileJson(Contract):
    """`briefing profile NAME PATH... --json`"""
    name: str
    type: str
    idents: list[str]
    names: list[str]
    mentions: int
    first_seen: Optional[str]
    last_seen: Optional[str]
    briefs: list[SeenIn]
    roles: list[RoleCount]
    countries: list[CountryCount]
    mentioned_with: list[MentionedWith]
    months: list[MonthCount]
    contexts: list[InContext]


class BriefRef(Contract):
    path: str
    title: str
    published: Optional[str]


class InBoth(Contract):
    name: str
    a: int
    b: int


class InOne(Contract):
    name: str
    mentions: int


class CompareGroup(Contract):
    both: list[InBoth]
    only_a: list[InOne]
    only_b: list[InOne]


class CompareJson(Contract):
    """`briefing compare A B --json`"""
    a: BriefRef
    b: BriefRef
    facts: dict[str, CompareGroup]


class SharedFact(Contract):
    type: str
    name: str


class RelatedBrief(Contract):
    path: str
    title: str
    published: Optional[str]
    score: float
    shared: list[SharedFact]


class RelatedJson(Contract):
    """`briefing related PATH --json`"""
    path: str
    related: list[RelatedBrief]


# One line per contract: its name for `briefing schema NAME`, and its model.
CONTRACTS: dict[str, type[Contract]] = {
    "facts": FactsJson,
    "export": ExportJson,
    "timeline": TimelineJson,
    "profile": ProfileJson,
    "compare": CompareJson,
    "related": RelatedJson,
}


def json_schema(name: str) -> dict:
    """The JSON Schema of contract ``name`` (KeyError if there is none)."""
    model = CONTRACTS[name]
    schema = model.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"briefing:{name}", **schema}


def main_schema(argv: list[str]) -> int:
    """``briefing schema NAME | --list``: exit 1 with one line on anything else."""
    from briefing.cli import json_text

    args = argv[1:]
    known = ", ".join(CONTRACTS)
    if args == ["--list"]:
        for name, model in CONTRACTS.items():
            sys.stdout.write(f"{name}\t{(model.__doc__ or '').strip()}\n")
        return 0
    if len(args) != 1 or args[0].startswith("-"):
        print(f"briefing: usage: briefing schema NAME | --list (NAME: {known})", file=sys.stderr)
        return 1
    if args[0] not in CONTRACTS:
        from briefing.cli import _line

        print(_line(f"briefing: schema: no contract named {args[0]!r}; known: {known}"), file=sys.stderr)
        return 1
    sys.stdout.write(json_text(json_schema(args[0])) + "\n")
    return 0
