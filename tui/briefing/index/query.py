"""The document list's search line: free text plus filters that combine.

    kishida trade tag:security leader:"Fumio Kishida" region:Taiwan from:2023 to:2024-06

``TYPE:value`` filters by a key fact (leader, region, org, event, date or any type),
``tag:`` by tag, ``from:``/``to:`` (also ``after:``/``before:``) by published date, which may
be a year, a month or a day, ``is:unread``/``is:read``/``is:highlighted`` by what the reader
did (the store knows that, not the index: ``states``); the rest is searched in titles, texts and facts. Nothing here
imports textual.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_TOKEN_RE = re.compile(r'(?:(?P<key>[A-Za-z][\w-]*):)?(?:"(?P<quoted>[^"]*)"?|(?P<bare>\S+))')
_DATE_RE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
STATES = ("unread", "read", "highlighted")
DATE_KEYS = {"from": "from", "after": "from", "since": "from", "to": "to", "before": "to", "until": "to"}


@dataclass
class ListQuery:
    text: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    date_from: str | None = None
    date_to: str | None = None
    states: list[str] = field(default_factory=list)  # is:unread, is:read, is:highlighted (the reader's own)
    problems: list[str] = field(default_factory=list)

    @property
    def filters(self) -> dict:
        """Keyword arguments for ``Index.entries``/``search``/``count``."""
        out: dict = {}
        if self.facts:
            out["fact"] = list(self.facts)
        if self.tags:
            out["tag"] = list(self.tags)
        if self.date_from:
            out["date_from"] = self.date_from
        if self.date_to:
            out["date_to"] = self.date_to
        return out

    def __bool__(self) -> bool:
        return bool(self.text or self.filters or self.states)


def _date_bound(value: str, end: bool) -> str | None:
    if not _DATE_RE.match(value):
        return None
    if len(value) == 4:
        return value + ("-12-31" if end else "-01-01")
    if len(value) == 7:
        return value + ("-31" if end else "-01")  # ISO strings compare in order; day 31 ends any month
    return value


def parse_list_query(line: str) -> ListQuery:
    """The search line's parts. Like the words (``search.fts_query``), the filters are capped
    and counted once each: the line is cut at MAX_QUERY_CHARS, a repeated tag: or TYPE:
    filter is kept once, and at most MAX_QUERY_TERMS of them are kept (each is a subquery:
    400 of them made a line take seconds, issue 15)."""
    from briefing.index.search import MAX_QUERY_CHARS, MAX_QUERY_TERMS

    q = ListQuery()
    words: list[str] = []
    seen: set[tuple[str, str]] = set()
    for m in _TOKEN_RE.finditer(line[:MAX_QUERY_CHARS]):
        key = (m.group("key") or "").lower()
        value = m.group("quoted") if m.group("quoted") is not None else m.group("bare") or ""
        if not key:
            words.append(m.group(0))
            continue
        if key == "tag" or (key not in DATE_KEYS and key != "is" and value):
            mark = ("tag" if key == "tag" else key, value.casefold())
            if not value or mark in seen:
                continue
            if len(seen) >= MAX_QUERY_TERMS:
                if "too many filters" not in " ".join(q.problems):
                    q.problems.append(f"too many filters: the first {MAX_QUERY_TERMS} are used")
                continue
            seen.add(mark)
        if key == "tag":
            if value:
                q.tags.append(value)
        elif key == "is":
            state = value.lower()
            if state in STATES:
                if state not in q.states:
                    q.states.append(state)
            else:
                q.problems.append(f"is: wants {', '.join(STATES)}")
        elif key in DATE_KEYS:
            bound = _date_bound(value, DATE_KEYS[key] == "to")
            if bound is None:
                q.problems.append(f"{key}: wants a date like 2024, 2024-06 or 2024-06-19")
            elif DATE_KEYS[key] == "from":
                q.date_from = bound
            else:
                q.date_to = bound
        elif value:
            q.facts.append((key, value))
        else:
            words.append(m.group(0))
    q.text = " ".join(words).strip()
    return q


def fact_term(fact_type: str, name: str) -> str:
    """The search-line term that filters by a fact (quoted when it has spaces)."""
    return f'{fact_type}:"{name}"' if (" " in name or '"' in name) else f"{fact_type}:{name}"
