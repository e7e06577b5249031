"""A brief whose front matter says ``draft: true``, under review: the operations of a raw
text's ``Draft`` (briefing.session.drafts), done on the brief's own Markdown.

The state is the brief's source. Each operation edits it where the review changes something
— a span's brackets or attribute block, one entity's entry in the front matter — and parses
the result; an edit that would change the brief's words, or that the parser refuses, is not
kept (ValueError says why). Everything else stays byte for byte: other front-matter keys and
their comments, entities the review did not touch, the body's Markdown. Reviewed mentions are
remembered by their offsets in ``Brief.text``, which no edit moves (spans are only added or
removed around the same words).

``write()`` replaces the file itself, atomically, with the ``draft`` line removed and the
newline style and byte-order mark the file had; the UI asks first (it always exists).

Textual-free; UI thread (each step parses a brief of a few KB: a few milliseconds).
"""

from __future__ import annotations

import bisect
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from briefing.core.model import Brief, Entity, Mention

MAX_REVIEW_BYTES = 512 * 1024  # each review step parses the whole brief again, on the UI thread
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_YAML_WORDS = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}
ENTITY_FIELDS = ("role", "country", "kind", "value", "mod", "description", "wikidata")


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def _plain(word: str) -> str:
    """An id or a type as YAML reads it back as the same string."""
    if _PLAIN_KEY.fullmatch(word) and word.lower() not in _YAML_WORDS:
        return word
    return _q(word)


def _entity_block(e, indent: int, step: int) -> str:
    pad, sub = " " * indent, " " * (indent + step)
    lines = [f"{pad}{_plain(e.id)}:", f"{sub}type: {_plain(e.type)}", f"{sub}name: {_q(e.name)}"]
    if e.aliases:
        lines.append(f"{sub}aliases: [" + ", ".join(_q(a) for a in e.aliases) + "]")
    for key in ENTITY_FIELDS:
        value = getattr(e, key)
        if value:
            lines.append(f"{sub}{key}: {_q(value)}")
    return "\n".join(lines) + "\n"


def _last_index(node) -> int:
    """Where the node's last character ends in the YAML text."""
    import yaml

    if isinstance(node, yaml.MappingNode) and node.value and not node.flow_style:
        return _last_index(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and node.value and not node.flow_style:
        return _last_index(node.value[-1])
    return node.end_mark.index


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


class _Yaml:
    """The front matter's YAML with where each root key's entry and each entity's entry lies
    (offsets in the brief's source). Only block style is edited."""

    def __init__(self, source: str) -> None:
        import yaml

        from briefing.core import frontmatter

        text, start, _ = frontmatter.split(source)
        if text is None:
            raise ValueError("the brief has no front matter")
        self.text, self.start = text, start
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        if root is None:
            self.root_pairs = []
        elif not isinstance(root, yaml.MappingNode) or root.flow_style:
            raise ValueError("the front matter is not a block mapping: edit it by hand")
        else:
            self.root_pairs = root.value

    def _line_start(self, index: int) -> int:
        start = self.text.rfind("\n", 0, index) + 1
        if self.text[start:index].strip():
            raise ValueError("the front matter puts two entries on one line: edit it by hand")
        return start

    def _line_end(self, index: int) -> int:
        if index and self.text[index - 1] == "\n":
            return index  # a block scalar ends with its newline
        end = self.text.find("\n", index)
        return len(self.text) if end < 0 else end + 1

    def entry(self, key_node, value_node) -> tuple[int, int]:
        """The source range of one ``key: value`` entry, whole lines."""
        a = self._line_start(key_node.start_mark.index)
        b = self._line_end(_last_index(value_node))
        return self.start + a, self.start + b

    def root(self, name: str):
        for k, v in self.root_pairs:
            if getattr(k, "value", None) == name:
                return k, v
        return None

    def entities(self):
        """(key node, value node, [(id, key node, value node)]) of ``entities``, or None."""
        import yaml

        found = self.root("entities")
        if found is None:
            return None
        k, v = found
        if isinstance(v, yaml.MappingNode):
            if v.flow_style and v.value:
                raise ValueError("the front matter's entities are in flow style ({...}): edit them by hand")
            return k, v, [(ek.value, ek, ev) for ek, ev in v.value]
        if isinstance(v, yaml.ScalarNode) and v.value in ("", "~", "null", "Null", "NULL"):
            return k, v, []
        if isinstance(v, yaml.MappingNode):
            return k, v, []
        raise ValueError("the front matter's entities are not a mapping")


class MarkdownDraft:
    """The review of one ``draft: true`` brief. Same interface as ``Draft``."""

    in_place = True  # ``w`` replaces the file itself

    def __init__(self, path: str, source: str, *, crlf: bool = False, bom: bool = False,
                 stamp: tuple[int, int] | None = None) -> None:
        self.path = path
        self.source = source
        self.crlf, self.bom = crlf, bom
        self.stamp = stamp  # (mtime, size) when read
        self.accepted_facts: set[str] = set()
        self.accepted_spans: set[tuple[int, int]] = set()
        self.undo_stack: list[tuple[str, set, set]] = []
        self._brief = None
        self._keys: dict[tuple[int, int], str] = {}
        brief = self.brief()
        self.text = brief.text  # the words: no review step changes them
        self.published = brief.meta.published
        self.published_from = "front matter"
        self.published_confirmed = True  # the front matter's date is the person's

    @classmethod
    def from_path(cls, path: str) -> "MarkdownDraft":
        """Read the brief (any thread). Raises OSError, BriefError, ValueError (a brief the
        review could not write back as it is: one whose text the reader shows changed)."""
        from briefing.core.parser import decode, read_brief_bytes
        from briefing.core.sanitize import is_safe, normalise_newlines

        from briefing.session.first_screen import stamp_of

        stamp = stamp_of(path)
        if stamp is not None and stamp[1] > MAX_REVIEW_BYTES:
            raise ValueError(f"it is over {MAX_REVIEW_BYTES // 1024} KB (each step would parse it again): "
                             "review it in an editor")
        data = read_brief_bytes(path)
        text = decode(data, path)
        bom = data.startswith(b"\xef\xbb\xbf")
        source = normalise_newlines(text)
        crlf = source != text
        if crlf and text.replace("\r\n", "\n") != source:
            raise ValueError("the file mixes line endings: the review would change them; save it with one kind")
        if not is_safe(source):
            from briefing.core.sanitize import sanitise

            if sanitise(source) != source:
                raise ValueError("the file holds control or invisible characters (shown replaced): "
                                 "the review would not write them back; fix them first")
        return cls(path, source, crlf=crlf, bom=bom, stamp=stamp)

    @property
    def target(self) -> Path:
        return Path(self.path)

    # ------------------------------------------------------------------ what is shown

    def brief(self) -> Brief:
        if self._brief is None:
            from briefing.core.parser import parse_brief

            self._brief = parse_brief(self.source, self.path)
        if not self._keys:
            self._keys = {span: f.key for facts in self._brief.facts.values() for f in facts for span in f.spans}
            # (the brief keeps its mentions by column and makes each when asked: a draft under
            # review is small, and these are walked at every step)
            self._mentions = list(self._brief.mentions)
        return self._brief

    def mentions(self) -> list[Mention]:
        """The brief's mentions, made once per parse."""
        self.brief()
        return self._mentions

    def fact_key(self, mention: Mention) -> str:
        self.brief()
        return self._keys[(mention.start, mention.end)]

    def reviewed(self, mention: Mention) -> bool:
        span = (mention.start, mention.end)
        return span in self.accepted_spans or self.fact_key(mention) in self.accepted_facts

    def draft_spans(self) -> list[tuple[int, int]]:
        return [(m.start, m.end) for m in self.mentions() if not self.reviewed(m)]

    def draft_fact_keys(self) -> set[str]:
        return {self.fact_key(m) for m in self.mentions() if not self.reviewed(m)}

    @property
    def pending(self) -> int:
        return sum(1 for m in self.mentions() if not self.reviewed(m))

    def hit_at(self, offset: int) -> Mention | None:
        for m in self.mentions():
            if m.start <= offset < m.end:
                return m
        return None

    def hits_of(self, key: str) -> list[Mention]:
        self.brief()
        return [m for m in self.mentions() if self._keys.get((m.start, m.end)) == key]

    def markdown(self, final: bool = False) -> str:
        """The brief's Markdown (LF newlines): as under review, or as ``w`` writes it."""
        if not final:
            return self.source
        y = _Yaml(self.source)
        found = y.root("draft")
        if found is None:
            return self.source
        a, b = y.entry(*found)
        return self.source[:a] + self.source[b:]

    # ------------------------------------------------------------------ editing

    def _src(self, offset: int) -> int | None:
        """The source offset of the shown text's character at ``offset`` (None: not verbatim)."""
        segs = self.brief().segments
        i = bisect.bisect_right(segs, (offset, 1 << 62, 0)) - 1
        if i >= 0:
            shown, src, n = segs[i]
            if offset < shown + n:
                return src + offset - shown
        return None

    def _span_parts(self, m: Mention) -> tuple[int, int, int]:
        """('[' offset, ']' offset, offset after '}') of a mention's span in the source."""
        src = self.source
        last = self._src(m.end - 1)
        close = src.find("]{", (last + 1) if last is not None else m.src_start + 1, m.src_end)
        if src[m.src_start:m.src_start + 1] != "[" or close < 0 or src[m.src_end - 1:m.src_end] != "}":
            raise ValueError("this mention's Markdown is not a [text]{...} span: edit it by hand")
        return m.src_start, close, m.src_end

    def _attrs(self, m: Mention) -> tuple[int, str]:
        """(offset of '{', the attribute block '{...}') of a mention's span."""
        _, close, end = self._span_parts(m)
        return close + 1, self.source[close + 1:end]

    def _commit(self, edits: list[tuple[int, int, str]], check: Callable[[Brief], None] | None = None) -> None:
        """Apply (start, end, replacement) edits to the source; keep the result only if it
        parses, shows the same words, and passes ``check(brief)``. Pushes an undo step."""
        from briefing.core.parser import parse_brief
        from briefing.core.problems import BriefError

        source = self.source
        for a, b, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
            source = source[:a] + new + source[b:]
        try:
            brief = parse_brief(source, self.path)
            brief.facts  # noqa: B018
        except BriefError as exc:
            first = next((p for p in exc.problems if p.severity == "error"), exc.problems[0])
            raise ValueError(f"the edit would break the brief ({first.line}:{first.col}: {first.message})") from None
        if brief.text != self.text:
            raise ValueError("the edit would change the brief's words: edit this one by hand")
        if check is not None:
            check(brief)
        self._push()
        self.source, self._brief, self._keys = source, brief, {}

    def _push(self) -> None:
        self.undo_stack.append((self.source, set(self.accepted_facts), set(self.accepted_spans)))

    def undo(self) -> bool:
        if not self.undo_stack:
            return False
        self.source, self.accepted_facts, self.accepted_spans = self.undo_stack.pop()
        self._brief, self._keys = None, {}
        return True

    def _entity_edits(self, changed: dict[str, Entity | None], added: list[Entity] = ()) -> list[tuple[int, int, str]]:
        """Front-matter edits: ``changed`` maps an entity id to its new Entity (None: removed);
        ``added`` entities go after the last one."""
        y = _Yaml(self.source)
        found = y.entities()
        edits = []
        if found is None:
            if added:
                at = y.start + len(y.text)
                lead = "" if not y.text or y.text.endswith("\n") else "\n"
                edits.append((at, at, lead + "entities:\n" + "".join(_entity_block(e, 2, 2) for e in added)))
            return edits
        key, node, entries = found
        if not entries:
            if added:
                a, b = y.entry(key, node)
                edits.append((a, b, "entities:\n" + "".join(_entity_block(e, 2, 2) for e in added)))
            return edits
        indent = entries[0][1].start_mark.column
        first_value = entries[0][2]
        step = 2
        if getattr(first_value, "value", None) and not isinstance(first_value.value, str):
            step = max(first_value.value[0][0].start_mark.column - indent, 1)
        for eid, ek, ev in entries:
            if eid in changed:
                a, b = y.entry(ek, ev)
                e = changed[eid]
                edits.append((a, b, "" if e is None else _entity_block(e, indent, step)))
        if added:
            _, end = y.entry(entries[-1][1], entries[-1][2])
            lead = "" if y.text[:end - y.start].endswith("\n") else "\n"
            edits.append((end, end, lead + "".join(_entity_block(e, indent, step) for e in added)))
        return edits

    def _declared(self, key: str) -> Entity | None:
        brief = self.brief()
        if key.startswith("ref:"):
            return brief.entities.get(key[4:])
        return None

    # ------------------------------------------------------------------ review operations

    def accept_fact(self, key: str) -> None:
        self._push()
        self.accepted_facts.add(key)

    def accept_mention(self, mention: Mention) -> None:
        self._push()
        self.accepted_spans.add((mention.start, mention.end))

    def accept_all(self) -> None:
        self._push()
        self.accepted_facts |= {self.fact_key(m) for m in self.mentions()}

    def _unwrap(self, m: Mention) -> list[tuple[int, int, str]]:
        a, close, end = self._span_parts(m)
        return [(a, a + 1, ""), (close, end, "")]

    def reject_mention(self, mention: Mention) -> None:
        self._commit(self._unwrap(mention))

    def reject_fact(self, key: str) -> None:
        """Every mention of the fact loses its span; its entity leaves the front matter (a
        declared entity is a fact even when nothing mentions it)."""
        edits = [e for m in self.hits_of(key) for e in self._unwrap(m)]
        brief = self.brief()
        gone = {eid: None for eid, e in brief.entities.items()
                if (key == "ref:" + eid) or (e.type == "date" and key == f"date:{e.value}|{(e.mod or '').upper()}")}
        edits += self._entity_edits(gone)
        if not edits:
            raise ValueError("nothing to reject")
        self._commit(edits)
        self.accepted_facts.discard(key)

    def retype_fact(self, key: str, new_type: str) -> None:
        from briefing.session.drafts import TYPES

        mentions = self.hits_of(key)
        entity = self._declared(key)
        old = mentions[0].type if mentions else (entity.type if entity else None)
        if old is None or old == "date" or new_type not in TYPES or new_type == "date":
            raise ValueError(f"cannot change this fact to {new_type}")
        edits = []
        for m in mentions:
            brace, block = self._attrs(m)
            new_block = re.sub(r"(?<=[{\s])\." + re.escape(m.type) + r"(?=[\s}])", "." + new_type, block, count=1)
            edits.append((brace, brace + len(block), new_block))
        if entity is not None:
            update = {"type": new_type}
            if new_type != "leader":
                update.update(role=None, country=None)
            if new_type != "region":
                update["kind"] = None
            edits += self._entity_edits({entity.id: entity.model_copy(update=update)})
        self._commit(edits)
        self.accepted_facts.add(key if entity is not None else self._keys_of_first(mentions))

    def _keys_of_first(self, mentions: list[Mention]) -> str:
        self.brief()
        return self._keys.get((mentions[0].start, mentions[0].end), "")

    def merge(self, key: str, into: str) -> None:
        """Fold fact ``key`` into fact ``into`` (an alias the draft missed): its spans refer
        to ``into``'s entity, whose aliases gain their spellings; its own entity goes."""
        src, dst = self.hits_of(key), self.hits_of(into)
        target = self._declared(into)
        if not src or not dst or key == into or src[0].type == "date" or dst[0].type == "date":
            raise ValueError("only two different leaders, regions or other named facts merge")
        if target is None:
            raise ValueError("merge into a fact declared in the front matter (with ref=)")
        edits = []
        aliases = list(target.aliases)
        for m in src:
            brace, block = self._attrs(m)
            new = re.sub(r"(?<=[{\s])\." + re.escape(m.type) + r"(?=[\s}])", "." + target.type, block, count=1)
            ref = re.compile(r"""(?<=[{\s])ref=(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s"'{}=]+)""")
            if ref.search(new):
                new = ref.sub("ref=" + target.id, new, count=1)
            else:
                new = new[:-1].rstrip() + " ref=" + target.id + "}"
            edits.append((brace, brace + len(block), new))
            if _norm(m.text) != _norm(target.name) and _norm(m.text) not in {_norm(a) for a in aliases}:
                aliases.append(m.text)
        changed = {target.id: target.model_copy(update={"aliases": aliases})}
        old = self._declared(key)
        if old is not None:
            changed[old.id] = None
        edits += self._entity_edits(changed)
        self._commit(edits)
        self.accepted_facts.add(into)

    def add_mention(self, start: int, end: int, new_type: str, value: str | None = None,
                    mod: str | None = None) -> None:
        """Mark shown text [start, end) as a new mention of ``new_type`` (a date needs its
        TIMEX3 ``value``): it refers to a declared entity of that type and name, or to a new one."""
        from briefing.core.model import Entity
        from briefing.session.drafts import TYPES

        text = self.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if new_type not in TYPES:
            raise ValueError(f"unknown type {new_type}")
        if new_type == "date" and not value:
            raise ValueError("a date needs its value (YYYY-MM-DD, YYYY-MM, YYYY-Www or YYYY)")
        a, last = self._src(start) if start < end else None, self._src(end - 1) if start < end else None
        if a is None or last is None:
            raise ValueError("the selection is not plain text of the brief")
        b = last + 1
        if "\n\n" in self.source[a:b]:
            raise ValueError("a mention is a few words within one paragraph")
        if any(m.start < end and m.end > start for m in self.mentions()):
            raise ValueError("the selection overlaps a mention: reject that one first")
        if a and self.source[a - 1] == "\\":
            a -= 1  # the first character is escaped: the bracket goes before its backslash
        surface = " ".join(text[start:end].split())
        edits = []
        if new_type == "date":
            attrs = "{.date value=" + value + (f" mod={mod}" if mod else "") + "}"
        else:
            brief = self.brief()
            entity = next((e for e in brief.entities.values() if e.type == new_type and
                           _norm(surface) in {_norm(s) for s in (e.name, *e.aliases)}), None)
            if entity is None:
                entity = Entity(id=self._new_id(surface, new_type), type=new_type, name=surface)
                edits += self._entity_edits({}, [entity])
            attrs = "{." + new_type + " ref=" + entity.id + "}"
        edits += [(a, a, "["), (b, b, "]" + attrs)]

        def check(brief: Brief) -> None:
            if not any((m.start, m.end, m.type) == (start, end, new_type) for m in brief.mentions):
                raise ValueError("these words cannot be one span (they cross formatting): edit by hand")

        self._commit(edits, check)
        self.accepted_spans.add((start, end))

    def _new_id(self, name: str, type_: str) -> str:
        from briefing.annotate.gazetteer import fold

        taken = set(self.brief().entities)
        base = re.sub(r"[^a-z0-9]+", "_", fold(name).lower()).strip("_")[:40] or type_
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}_{n}", n + 1
        return candidate

    # ------------------------------------------------------------------ writing

    def changed_on_disk(self) -> bool:
        from briefing.session.first_screen import stamp_of

        return self.stamp is not None and stamp_of(self.path) != self.stamp

    def write(self, force: bool = False) -> Path:
        """Replace the brief with the reviewed one, without ``draft`` (atomically). The file
        always exists: FileExistsError unless ``force`` (the UI asks first)."""
        from briefing.atomic import write_atomic
        from briefing.core.parser import parse_brief
        from briefing.core.problems import BriefError

        if not force:
            raise FileExistsError(self.path)
        text = self.markdown(final=True)
        try:
            written = parse_brief(text, self.path)
        except BriefError as exc:
            raise ValueError(f"the reviewed brief would not load: {exc.problems[0].message}") from None
        if written.text != self.text or written.meta.draft:
            raise ValueError("the reviewed brief did not come out as reviewed; nothing written")
        if self.crlf:
            text = text.replace("\n", "\r\n")
        if self.bom:
            text = "\ufeff" + text
        return write_atomic(self.target, text, force=True)
