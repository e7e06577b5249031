"""A raw text under review: its draft annotations, the review operations, the reviewed brief.

A ``Draft`` holds the raw text (prepared as ``briefing annotate`` prepares it), the mentions
(``briefing.annotate.Hit``) and entities (``Found``) the annotator drafted, and what the
person has accepted. Every review operation is a method that first pushes a snapshot on an
undo stack, so ``undo`` restores any of them. ``markdown()`` renders the brief with the
annotator's own renderer (the words kept, only spans added); ``brief()`` parses it for the
reader. ``write()`` stores the reviewed brief beside the raw file, without ``draft``.

Fact keys are the parser's (briefing.core.facts): ``ref:ID`` for leaders and regions,
``date:VALUE|MOD`` for dates. Offsets given to the mention operations are offsets into the
shown ``Brief.text``; they are mapped onto the raw text by aligning the two.

Textual-free; called on worker threads (drafting) and on the UI thread (review: each
operation re-parses a brief of a few KB, a few milliseconds).
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.core.entry import Entry
from briefing.files import BRIEF_SUFFIXES  # the one place for the suffixes of briefs

if TYPE_CHECKING:
    from briefing.annotate import Found, Hit
    from briefing.core.model import Brief

RAW_SUFFIXES = (".txt",)
TYPES = ("leader", "region", "date", "person", "org", "event")


def is_raw(path: str | os.PathLike) -> bool:
    return str(path).lower().endswith(RAW_SUFFIXES)


def brief_path_for(raw: str | os.PathLike) -> Path:
    """Where the reviewed brief of a raw file goes: ``X.md`` beside ``X.txt``."""
    p = Path(raw)
    return p.with_suffix(".md")


def has_brief(raw: str | os.PathLike) -> bool:
    """A raw file beside a brief of the same stem is hidden (the brief is what is read)."""
    return brief_beside(raw) is not None


def brief_beside(raw: str | os.PathLike) -> Path | None:
    """The brief of the same stem beside a raw file (``X.md`` beside ``X.txt``), or None."""
    p = Path(raw)
    for s in BRIEF_SUFFIXES:
        if p.with_suffix(s).exists():
            return p.with_suffix(s)
    return None


def raw_files(paths: list[Path]) -> list[Path]:
    """The raw ``.txt`` files in ``paths`` (folders searched recursively, hidden names
    skipped) that have no brief beside them."""
    out: list[Path] = []
    stack = list(paths)
    while stack:
        p = stack.pop()
        if not p.is_dir():
            if is_raw(p) and p.exists() and not has_brief(p):
                out.append(p)
            continue
        try:
            children = sorted(os.scandir(p), key=lambda d: d.name)
        except OSError:
            continue
        names = {c.name for c in children}
        for child in children:
            if child.name.startswith("."):
                continue
            if child.is_dir(follow_symlinks=False):
                stack.append(Path(child.path))
            elif is_raw(child.name) and not child.is_symlink():
                stem = child.name.rsplit(".", 1)[0]
                if not any(stem + s in names for s in BRIEF_SUFFIXES):
                    out.append(Path(child.path))
    return out


def raw_head(path: str | os.PathLike) -> tuple[str, str | None]:
    """The list's title of a raw file (as the draft will title it: its headline, else its
    first non-blank line, shortened, else its name) and its dateline's date (ISO, or None),
    from its first 2 KB: what the draft's published date will be, without drafting it."""
    from briefing.core.sanitize import sanitise_line

    from briefing.annotate.draft import dateline, headline, prepare_text

    from briefing.paths import read_regular

    try:  # (regular files only: a FIFO named x.txt hung the reader's start)
        head = read_regular(path, 2048)[:2048].decode("utf-8", "replace")
    except OSError:
        head = ""
    prepared = prepare_text(head)
    day = dateline(prepared)
    published = day.isoformat() if day is not None else None
    title, _ = headline(prepared)  # as the draft will title it (a breadcrumb skipped)
    if title:
        return sanitise_line(title[:100]), published
    for line in head.splitlines():
        line = " ".join(line.split())
        if line:
            return sanitise_line(line[:100]), published
    return sanitise_line(Path(path).stem), published


def raw_entry(path: str | os.PathLike) -> Entry:
    """The list's entry of a raw text: listed, not indexed (its facts are a draft until a
    person reviews it and writes the brief, which the index then holds); dated by its
    dateline when it has one (the date its draft is resolved against)."""
    title, published = raw_head(path)
    return Entry.of(str(path), title, published, "raw text, draft")


@dataclass
class _State:
    hits: list = field(default_factory=list)  # briefing.annotate.Hit, text order, not rejected
    entities: list = field(default_factory=list)  # briefing.annotate.Found
    accepted_facts: set = field(default_factory=set)  # fact keys
    accepted_hits: set = field(default_factory=set)  # (start, end) in the raw text
    added: set = field(default_factory=set)  # (start, end) of the mentions the person marked (``i``)
    published: dt.date | None = None  # what the relative dates are resolved against
    published_confirmed: bool = True  # False: the file's date, which no one has confirmed


class Draft:
    def __init__(self, path: str, body: str, *, title: str, published: dt.date, published_from: str,
                 heading_at: int | None, hits: list[Hit], entities: list[Found], source: str | None = None) -> None:
        self.path = path
        self.body = body
        self.title = title
        self._published_from = published_from  # "dateline" or "mtime"
        self.heading_at = heading_at
        self.source = source
        self.state = _State(list(hits), list(entities), published=published,
                            published_confirmed=published_from != "mtime")
        self.undo_stack: list[_State] = []
        self._brief = None
        self._shown: list = []  # the hits in the order of the brief's mentions
        self.stamp: tuple[int, int] | None = None

    # ------------------------------------------------------------------ making one

    @classmethod
    def from_raw(cls, path: str, learned=None) -> "Draft":
        """Draft a raw file (worker thread): the published date from its dateline, else its
        modification date (``published_from`` says which). Raises OSError, UnicodeDecodeError,
        AnnotateError."""
        from briefing.annotate import annotate
        from briefing.annotate.draft import AnnotateError, dateline, headline, prepare_text
        from briefing.core.limits import MAX_BRIEF_BYTES

        from briefing.session.first_screen import stamp_of

        from briefing.paths import read_regular

        stamp = stamp_of(path)
        data = read_regular(path, MAX_BRIEF_BYTES)  # (a FIFO: NotRegularFile, an OSError, never a wait)
        if len(data) > MAX_BRIEF_BYTES:
            raise AnnotateError(f"the text is larger than {MAX_BRIEF_BYTES // 1048576} MB")
        raw = data.decode("utf-8")
        if "\x00" in raw:
            raise AnnotateError("the file holds a NUL byte: not a text")
        body = prepare_text(raw)
        if not body.strip():
            raise AnnotateError("the text is empty: nothing to annotate")
        head, head_at = headline(body)
        published, came_from = dateline(body), "dateline"
        if published is None:
            published = dt.date.fromtimestamp(os.stat(path).st_mtime)
            came_from = "mtime"
        ann = annotate(body, published=published, learned=learned)
        draft = cls(path, body, title=head or Path(path).stem, published=published, published_from=came_from,
                    heading_at=head_at, hits=ann.hits, entities=ann.entities)
        draft.stamp = stamp  # (mtime, size) when read: opened again unchanged, the review is kept
        return draft

    # ------------------------------------------------------------------ the published date

    @property
    def published(self) -> dt.date:
        return self.state.published

    @property
    def published_confirmed(self) -> bool:
        """False while the dates are resolved against the file's modification date (no
        dateline) and no one has given the published date: ``write`` refuses then."""
        return self.state.published_confirmed

    def set_published(self, published: dt.date) -> int:
        """The published date a person gave (an undoable step): the drafted dates are resolved
        again against it by the annotator's resolver (``timex.find_dates``), the review kept:
        an accepted date stays accepted (its mentions one by one, since its value may change);
        a date the person marked (``i``) keeps the value they typed, or is resolved again when
        its value is the one the resolver gave against the old date (``i``'s prefill). Returns how many dates
        changed value; a drafted date the resolver no longer finds is dropped (counted too)."""
        from briefing.annotate.timex import find_dates

        self._push()
        s = self.state
        for h in s.hits:  # an accepted date fact becomes its accepted mentions
            if h.type == "date" and self.fact_key(h) in s.accepted_facts:
                s.accepted_hits.add((h.start, h.end))
        s.accepted_facts = {k for k in s.accepted_facts if not k.startswith("date:")}
        again = {(h.start, h.end): h for h in find_dates(self.body, published)}
        changed, kept = 0, []
        for h in s.hits:
            if h.type == "date" and (h.start, h.end) in s.added:
                # Marked with ``i``: a value the resolver gave against the old date (the
                # prefilled answer) is resolved again; a value typed otherwise is kept.
                words = self.body[h.start:h.end]
                if guess_date(words, s.published) == (h.value, h.mod):
                    new_guess = guess_date(words, published)
                    if new_guess is not None and new_guess != (h.value, h.mod):
                        h.value, h.mod = new_guess
                        changed += 1
                kept.append(h)
                continue
            if h.type != "date":
                kept.append(h)
                continue
            new = again.get((h.start, h.end))
            if new is None:
                changed += 1
                s.accepted_hits.discard((h.start, h.end))
                continue
            if (new.value, new.mod) != (h.value, h.mod):
                changed += 1
                h.value, h.mod = new.value, new.mod
            kept.append(h)
        s.hits = kept
        s.published = published
        s.published_confirmed = True
        return changed

    @property
    def published_from(self) -> str:
        """Where the published date came from: "dateline", "mtime" (the file's date, not
        confirmed) or "confirmed" (a person gave it, ``set_published``)."""
        if self._published_from == "mtime" and self.state.published_confirmed:
            return "confirmed"
        return self._published_from

    # ------------------------------------------------------------------ what is shown

    def fact_key(self, hit: Hit) -> str:
        if hit.type == "date":
            return f"date:{hit.value}|{(hit.mod or '').upper()}"
        return "ref:" + self._entity_of(hit).id

    def _entity_of(self, hit: Hit) -> Found:
        for e in self.state.entities:
            if e.type == hit.type and e.name == hit.name:
                return e
        raise KeyError(hit.name)

    def reviewed(self, hit: Hit) -> bool:
        s = self.state
        return (hit.start, hit.end) in s.accepted_hits or self.fact_key(hit) in s.accepted_facts

    def markdown(self, final: bool = False) -> str:
        """The brief's Markdown: with ``draft: true`` while under review, without it when ``final``."""
        from briefing.annotate import Annotation
        from briefing.annotate.draft import entity_ids, render

        s = self.state
        used = {(h.type, h.name) for h in s.hits if h.type != "date"}
        entities = [e for e in s.entities if (e.type, e.name) in used]
        ids = [e.id for e in entities]
        entity_ids(entities)  # keeps ids readable and unique after renames and merges
        if ids != [e.id for e in entities]:
            renamed = dict(zip(ids, [e.id for e in entities]))
            s.accepted_facts = {("ref:" + renamed.get(k[4:], k[4:])) if k.startswith("ref:") else k
                                for k in s.accepted_facts}
        text = render(self.body, Annotation(s.hits, entities), title=self.title, published=self.published,
                      source=self.source, heading_at=self.heading_at)
        if final:
            text = text.replace("\ndraft: true\n", "\n", 1)
        return text

    def brief(self) -> Brief:
        """The draft as a parsed ``Brief`` (cached until the next operation)."""
        if self._brief is None:
            from briefing.core.parser import parse_brief

            brief = parse_brief(self.markdown(), self.path)
            brief.facts  # noqa: B018
            self._brief = brief
            self._shown = list(self.state.hits) if len(brief.mentions) == len(self.state.hits) else []
        return self._brief

    def draft_spans(self) -> list[tuple[int, int]]:
        """The shown brief's mentions that no one has reviewed yet (offsets in ``Brief.text``)."""
        brief = self.brief()
        return [(m.start, m.end) for m, h in zip(brief.mentions, self._shown) if not self.reviewed(h)]

    def draft_fact_keys(self) -> set[str]:
        """Facts with at least one mention not reviewed yet."""
        self.brief()
        return {self.fact_key(h) for h in self._shown if not self.reviewed(h)}

    @property
    def pending(self) -> int:
        self.brief()
        return sum(1 for h in self._shown if not self.reviewed(h))

    def hit_at(self, offset: int) -> Hit | None:
        """The mention at ``offset`` of the shown text (or None)."""
        brief = self.brief()
        for m, h in zip(brief.mentions, self._shown):
            if m.start <= offset < m.end:
                return h
        return None

    def hits_of(self, key: str) -> list[Hit]:
        return [h for h in self.state.hits if self.fact_key(h) == key]

    # ------------------------------------------------------------------ review operations

    def _push(self) -> None:
        self.undo_stack.append(copy.deepcopy(self.state))
        self._brief = None

    def undo(self) -> bool:
        if not self.undo_stack:
            return False
        self.state = self.undo_stack.pop()
        self._brief = None
        return True

    def accept_fact(self, key: str) -> None:
        self._push()
        self.state.accepted_facts.add(key)

    def accept_all(self) -> None:
        self._push()
        self.state.accepted_facts |= {self.fact_key(h) for h in self.state.hits}

    def reject_fact(self, key: str) -> None:
        self._push()
        self.state.hits = [h for h in self.state.hits if self.fact_key(h) != key]
        self.state.accepted_facts.discard(key)

    def accept_mention(self, hit: Hit) -> None:
        self._push()
        self.state.accepted_hits.add((hit.start, hit.end))

    def reject_mention(self, hit: Hit) -> None:
        self._push()
        self.state.hits = [h for h in self.state.hits if (h.start, h.end) != (hit.start, hit.end)]

    def retype_fact(self, key: str, new_type: str) -> None:
        """A leader that is a region, a person who is not a leader (dates cannot change type)."""
        hits = self.hits_of(key)
        if not hits or hits[0].type == "date" or new_type not in TYPES or new_type == "date":
            raise ValueError(f"cannot change this fact to {new_type}")
        entity = self._entity_of(hits[0])
        self._push()
        entity = self._entity_of(hits[0])  # the copy's (the snapshot holds the old one)
        for h in self.hits_of(key):
            h.type = new_type
        entity.type = new_type
        if new_type != "leader":
            entity.role = entity.country = None
        if new_type != "region":
            entity.kind = None
        self.state.accepted_facts.add("ref:" + entity.id)

    def merge(self, key: str, into: str) -> None:
        """Fold fact ``key`` into fact ``into`` (an alias the draft missed)."""
        src, dst = self.hits_of(key), self.hits_of(into)
        if not src or not dst or key == into or src[0].type == "date" or dst[0].type == "date":
            raise ValueError("only two different leaders, regions or other named facts merge")
        self._push()
        src, dst = self.hits_of(key), self.hits_of(into)
        target = self._entity_of(dst[0])
        old = self._entity_of(src[0])
        for h in src:
            h.type, h.name = target.type, target.name
            surface = " ".join(self.body[h.start:h.end].split())
            if surface != target.name and surface not in target.aliases:
                target.aliases.append(surface)
        self.state.entities = [e for e in self.state.entities if e is not old]
        self.state.accepted_facts.add(into)

    def add_mention(self, start: int, end: int, new_type: str, value: str | None = None,
                    mod: str | None = None) -> None:
        """Mark shown text [start, end) as a new mention of ``new_type`` (a date needs its
        TIMEX3 ``value``); named after its text, or an existing entity of that name."""
        from briefing.annotate import Found, Hit

        a, b = self.to_raw(start), self.to_raw(end - 1)
        if a is None or b is None:
            raise ValueError("the selection is not in the text")
        b += 1
        surface = " ".join(self.body[a:b].split())
        if not surface or "\n" in self.body[a:b]:
            raise ValueError("a mention is a few words within one paragraph")
        if any(h.start < b and h.end > a for h in self.state.hits):
            raise ValueError("the selection overlaps a mention: reject that one first")
        if new_type not in TYPES:
            raise ValueError(f"unknown type {new_type}")
        if new_type == "date" and not value:
            raise ValueError("a date needs its value (YYYY-MM-DD, YYYY-MM, YYYY-Www or YYYY)")
        self._push()
        hit = Hit(a, b, new_type, name=surface, value=value, mod=mod)
        if new_type != "date":
            if not any(e.type == new_type and e.name == surface for e in self.state.entities):
                self.state.entities.append(Found("", new_type, surface))
                from briefing.annotate.draft import entity_ids

                entity_ids(self.state.entities)
        self.state.hits.append(hit)
        self.state.hits.sort(key=lambda h: h.start)
        self.state.accepted_hits.add((a, b))
        self.state.added.add((a, b))

    # ------------------------------------------------------------------ offsets

    def to_raw(self, offset: int) -> int | None:
        """The raw text's offset of the shown text's character at ``offset`` (the shown text
        is the raw text without the heading's mark-up; whitespace may differ)."""
        shown = self.brief().text
        if not 0 <= offset < len(shown):
            return None
        i = j = 0
        body = self.body
        while j < len(body):
            if i == offset and (shown[i] == body[j] or (shown[i].isspace() and body[j].isspace())):
                return j
            if shown[i] == body[j] or (shown[i].isspace() and body[j].isspace()):
                i += 1
                j += 1
                if i > offset:
                    return None
            elif body[j].isspace() or body[j] in "#\\":
                j += 1
            elif shown[i].isspace():
                i += 1
            else:
                j += 1
        return None

    # ------------------------------------------------------------------ writing

    in_place = False  # ``w`` writes a new file beside the raw text

    @property
    def target(self) -> Path:
        return brief_path_for(self.path)

    def changed_on_disk(self) -> bool:
        return False  # the raw text is never written

    def write(self, force: bool = False) -> Path:
        """Write the reviewed brief beside the raw file (atomically); FileExistsError when one
        is there and not ``force``."""
        from briefing.atomic import write_atomic

        if not self.published_confirmed:  # never a relative date resolved against a date no one gave
            raise ValueError("the published date is not confirmed: give it first (the text has no dateline)")
        target = brief_path_for(self.path)
        if target.exists() and not force:
            raise FileExistsError(str(target))
        return write_atomic(target, self.markdown(final=True), force=force)


DATE_VALUE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?|-W\d{2})?$")
_LEADING = ("", "in", "on", "by", "since", "until", "from", "at", "the")
TYPE_LETTERS = {"l": "leader", "r": "region", "d": "date", "p": "person", "o": "org", "e": "event"}


def guess_date(words: str, published: dt.date | None) -> tuple[str, str | None] | None:
    """The TIMEX3 (value, mod) the annotator's date resolver gives ``words`` when they are
    one date phrase ("late last month" -> 2024-05, END), against the published date."""
    from briefing.annotate.timex import find_dates

    words = " ".join(words.split())
    if not words or published is None:
        return None
    found = [h for h in find_dates(words, published) if h.value]
    whole = [h for h in found if words[:h.start].strip(" ,;(").lower() in _LEADING
             and not words[h.end:].strip(" .,;:)")]
    hit = (whole or [None])[0]
    return (hit.value, hit.mod) if hit is not None else None


def parse_mark_answer(answer: str) -> tuple[str, str | None, str | None]:
    """What ``i`` was answered, as (type, date value, mod): a type or its first letter
    ("leader", "l"), or a date value with an optional mod ("2024-05 END"). ValueError if neither."""
    from briefing.core import dates

    words = answer.strip().split()
    if not words:
        raise ValueError("no type given")
    first = words[0].lower()
    if first[:1].isdigit():
        try:
            dates.parse_value(words[0])
            mod = dates.check_mod(words[1]) if len(words) == 2 else None
        except dates.DateValueError as exc:
            raise ValueError(str(exc)) from None
        if len(words) > 2:
            raise ValueError("a date is its value and an optional mod: 2024-05 END")
        return "date", words[0], mod
    if len(words) == 1:
        kind = TYPE_LETTERS.get(first) or (first if first in TYPES else None)
        if kind is not None:
            return kind, None, None
    raise ValueError(f"not a type ({', '.join(TYPES)}) nor a date value (2024-06-19, 2024-06, 2024-W25, 2024)")
