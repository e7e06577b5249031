"""What the index keeps of a brief, straight from its text, for the common brief.

The index needs a brief's metadata, display text and fact labels. The reader's parser
builds far more (blocks, styles, segments, mentions and models) and locates every problem
it finds. For a brief that has no problem at all, in the shape nearly every brief has,
``extract`` computes the index's fields about 4.5 times faster; for anything else it
returns None and the full parser runs. Nothing here reports a problem: when in doubt, it
gives up.

What it reads: the front matter when it is plain ``key: value`` lines (double- or
single-quoted strings without escapes, plain text, ``[flow, lists]``) with entities two
levels down at 2 and 4 spaces, read by the one light front-matter reader
(``briefing.core.front_peek.read_plain``; the entities checked here); blocks of plain text,
simple spans and pairs of ``*`` or ``**``, read here (the spans _Inline reads are counted
alike ones together, ``_alike_spans``). The rest of the body (the block structure itself, and any block with links, code,
escapes, nested spans, other emphasis...) is read by briefing.core.markdown, the reader's code. The
checks and the grouping of mentions into facts follow briefing.core.parser and briefing.core.facts rule for
rule.

tests/test_index_fast.py compares every result with the full parser's, on the generated
corpus, the shipped briefs, the hostile fixtures and random edits of them: this path may
only be faster, never different. A change to the format, the checks or the facts must be
made here too (or make this give up on what changed); those tests say where it was not.
"""

from __future__ import annotations

import re
from array import array

from briefing.core import dates
from briefing.core.columns import in_order
from briefing.core.facts import _norm  # (the same matching of mentions to entities)
from briefing.core.front_peek import NotPlain, read_entity, read_plain, split
from briefing.core.identity import WIKIDATA_RE, ident
from briefing.index.viewrows import date_ident, folded_aliases, pack_groups, pack_one, pack_starts
from briefing.core.limits import MAX_BRIEF_BYTES
from briefing.core.markdown import MAX_ATTR_CHARS, _BodyBuilder, _Inline, _is_punct, no_gc, parse_body
from briefing.core.model import CORE_TYPES, HIGHLIGHT_TYPE
from briefing.core.parser import ENTITY_KEYS, META_KEYS, SPAN_ATTRS, URL_RE, _ID_RE, _TYPE_RE, _iso_date
from briefing.core.sanitize import is_safe, normalise_newlines

# (title, published ISO date or None, source, url, summary, tags, display text,
#  fact rows (type, casefolded label, label, key), words of the facts for search)
Fields = tuple


class _GiveUp(Exception):
    """Not the common shape (or a problem somewhere): the full parser decides."""


def extract(data: bytes) -> Fields | None:
    """The index's fields of a brief with no problem, or None (then parse it in full)."""
    try:
        with no_gc():  # (see briefing.core.markdown.no_gc)
            return _extract(data)
    except _GiveUp:
        return None
    except Exception:  # noqa: BLE001 - a mistake here must cost speed, not the brief (the tests call _extract)
        return None


def _extract(data: bytes) -> Fields:
    if len(data) > MAX_BRIEF_BYTES:
        raise _GiveUp
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _GiveUp from None
    if raw.startswith("\ufeff"):
        raw = raw[1:]
    text = normalise_newlines(raw)
    # Nothing to warn about and nothing to replace: the text is its own sanitised copy.
    if not is_safe(text):
        raise _GiveUp
    yaml_text, _, body_start = split(text)
    if yaml_text is None:
        raise _GiveUp
    meta, entities = _check_front_matter(_read_front_matter(yaml_text))

    b = _Body(text, body_start)
    body = parse_body(text, body_start, 1, b)
    if body.issues:
        raise _GiveUp
    spans = list(b.light.values())  # in the order of their first mentions
    if body.spans:  # read by _Inline: in the order _check_spans takes them, alike ones together
        spans.extend(_alike_spans(body.spans, body.text))
        if b.light:  # (each list is in order already; stable: the light ones first at a tie)
            spans.sort(key=lambda s: (s[0], -s[1]))
    rows, words = _facts(spans, entities, body.text)
    return (*meta, body.text, rows, words)


def _alike_spans(sp, text: str) -> list[tuple]:
    """The spans _Inline read (``sp``, by column), alike ones together as ``_Body.light``
    keeps its own: (start, end, _span_info, None, starts) of the first of each set of spans
    with the same attribute block and the same text shown, in the order _check_spans takes
    them (by start, an enclosing span first), ``starts`` every one's start, ascending.

    _facts gives the same rows as with a tuple per span: a later span like an earlier one
    has its key, its mention and nothing new to fill in; it only counts once more and adds
    its place (8 MB of nested brackets made 300,000 of each: 70 MB, issue 15)."""
    starts, ends = sp.starts, sp.ends
    if in_order(starts, ends):
        order = range(len(starts))
    else:  # (spans are recorded as they close: out of order only where they nest)
        order = sorted(range(len(starts)), key=lambda k: (starts[k], -ends[k]))
    # One _span_info per attribute block (spans written alike share their attrs).
    infos: dict[tuple[str, int], tuple] = {}
    groups: dict[tuple, tuple] = {}
    types, attrs = sp.types, sp.attrs
    for k in order:
        kind, block = types[k], attrs[k]
        key = (kind, id(block))  # (the attrs stay alive in sp meanwhile)
        info = infos.get(key)
        if info is None:
            info = infos[key] = _span_info(kind, block)
        start, end = starts[k], ends[k]
        alike = (id(info), text[start:end])
        group = groups.get(alike)
        if group is None:
            groups[alike] = (start, end, info, None, array("i", (start,)))
        else:
            group[4].append(start)
    return list(groups.values())


# ---------------------------------------------------------------------------- front matter

# The same entity blocks recur from brief to brief (the same leaders, the same countries):
# each is read and checked once per process.
_ENTITIES: dict[str, tuple[str, "_Entity"]] = {}
_ENTITIES_MAX = 50_000


def _entity(block: str) -> tuple[str, "_Entity"]:
    hit = _ENTITIES.get(block)
    if hit is None:
        hit = _read_entity(block)
        if len(_ENTITIES) < _ENTITIES_MAX:
            _ENTITIES[block] = hit
    return hit


def _read_front_matter(yaml_text: str) -> dict:
    """The data of front matter in the plain shape (``briefing.core.front_peek.read_plain``,
    the one light reader: every value the text written), but for the entities: those are
    read and checked already (``data["entities"]``: id -> _Entity). Known keys only, and
    lists only where lists belong: what _check_front_matter then needs to look at no more."""
    try:
        data = read_plain(yaml_text, _entity)
    except NotPlain:
        raise _GiveUp from None
    for key, value in data.items():
        if (key not in META_KEYS or (value.__class__ is list) != (key == "tags")
                or (key == "draft" and str(value).lower() not in ("true", "false"))
                or (key == "entities") != (value is None or value.__class__ is dict)):
            raise _GiveUp
    return data


def _read_entity(block: str) -> tuple[str, "_Entity"]:
    """(id, entity) of one entity block, checked as briefing.core.parser._check_front_matter checks
    it (_GiveUp where that would report a problem)."""
    eid, spec = read_entity(block)
    for key, value in spec.items():
        if key not in _ENTITY_FIELDS or (value.__class__ is list and key != "aliases"):
            raise _GiveUp
    if not _ID_RE.match(eid):
        raise _GiveUp
    field = spec.get
    etype, name = field("type"), field("name")
    if not etype or not name:
        raise _GiveUp
    etype = etype.lower()
    if not _TYPE_RE.match(etype):
        raise _GiveUp
    aliases = field("aliases") or []
    if aliases.__class__ is str:
        aliases = [aliases]
    value, mod = field("value"), field("mod")
    try:
        if etype == "date" and not value:
            raise _GiveUp
        if value:
            dates.parse_value(value)
        if mod:
            mod = dates.check_mod(mod)
    except dates.DateValueError:
        raise _GiveUp from None
    wikidata = field("wikidata")
    if wikidata is not None and (wikidata.__class__ is not str or not WIKIDATA_RE.match(wikidata)):
        raise _GiveUp
    return eid, _Entity(etype, name, aliases, field("role"), field("country"), field("kind"), value, mod, wikidata)


class _Entity:
    """An entity as _facts needs it. Shared between the briefs that declare it alike: read only."""

    __slots__ = ("type", "name", "aliases", "role", "country", "kind", "value", "mod", "wikidata", "spellings",
                 "ident", "folded")

    def __init__(self, type, name, aliases, role, country, kind, value, mod, wikidata=None):
        self.type, self.name, self.aliases = type, name, aliases
        self.role, self.country, self.kind, self.value, self.mod = role, country, kind, value, mod
        self.wikidata = wikidata
        # What a mention without a ref is matched by (briefing.core.facts: name and aliases, normalised).
        self.spellings = [(type, _norm(name))] + [(type, _norm(a)) for a in aliases]
        # Its view columns (briefing.index.viewrows), made once for every brief declaring it.
        self.ident = None if type == "date" else ident(type, name, wikidata)
        self.folded = folded_aliases(aliases)


_ENTITY_FIELDS = frozenset(k for k in ENTITY_KEYS if k != "id")


def _check_front_matter(data: dict) -> tuple[tuple, dict[str, _Entity]]:
    """briefing.core.parser._check_front_matter, for what _read_front_matter gives (known keys, text
    values, lists for tags only, entities checked): the same meta, or _GiveUp where it
    would report a problem."""
    get = data.get
    title = get("title")
    if not title or not title.strip():
        raise _GiveUp
    published = get("published")
    if published is not None:
        day = _iso_date(published)
        if day is None:
            raise _GiveUp
        published = day.isoformat()
    url = get("url")
    if url and not URL_RE.match(url):
        raise _GiveUp
    tags = get("tags", [])
    return (title.strip(), published, get("source"), url, get("summary"), list(tags)), get("entities") or {}


# ---------------------------------------------------------------------------- body


class _AttrText:
    """Stands for the _Inline whose text parse_attrs reads: an attribute block alone."""

    __slots__ = ("s",)

    def __init__(self, s: str):
        self.s = s


def _span_info(kind: str, attrs: dict) -> tuple:
    """(type, attributes, ref, value, mod, fact key if the attributes settle it, what a
    later mention fills in) of a span whose type and attributes pass _check_spans (a date's
    mod normalised); _GiveUp where they would not."""
    if not _TYPE_RE.match(kind):
        raise _GiveUp
    for key in attrs:
        if key not in SPAN_ATTRS:
            raise _GiveUp
    value, mod = attrs.get("value"), attrs.get("mod")
    if kind == "date":
        try:
            if value:
                dates.parse_value(value)
            if "mod" in attrs:
                mod = dates.check_mod(mod)
        except dates.DateValueError:
            raise _GiveUp from None
    ref = attrs.get("ref")
    key = None
    if kind != "date":
        if ref:
            key = "ref:" + ref
    elif value and (ref is None or mod):  # (else the entity's value or mod counts)
        key = f"date:{value}|{mod or ''}"
    # What a later mention of a fact may fill in: (position in a fact's list, value).
    given = (attrs.get("name"), attrs.get("role"), attrs.get("country"), attrs.get("kind"))
    fills = tuple((i, given[i - 2]) for i in (3, 4, 5) if given[i - 2])
    return kind, attrs, ref, value, mod, key, fills, given


# Attribute blocks repeat across briefs ({.leader ref=xi}): each is read once per process.
_ATTRS: dict[str, tuple | None] = {}
_ATTRS_MAX = 50_000
_UNREAD = object()
_MENTIONS: dict[str, str] = {}  # a span's text as written -> as a mention shows it


def _attrs(block: str) -> tuple | None:
    """_span_info of a ``{...}`` block as _Inline.parse_attrs reads it; None if it does not
    read (then _Inline reports it) or its span would have a problem."""
    hit = _ATTRS.get(block, _UNREAD)
    if hit is _UNREAD:
        parsed = _Inline.parse_attrs(_AttrText(block), 0, len(block), False)
        try:
            hit = None if parsed is None else _span_info(parsed[0][0], parsed[1])
        except _GiveUp:
            hit = None
        if len(_ATTRS) < _ATTRS_MAX:
            _ATTRS[block] = hit
    return hit


# _TOKEN_RE's first alternative, its text and attribute block as groups.
_SIMPLE_SPAN_RE = re.compile(
    r"""\[([^\[\]\\`*_<\n]++)\](\{(?:[^{}"'\n]++|"(?:[^"\\\n]++|\\.)*+"|'(?:[^'\\\n]++|\\.)*+')*+\})""")
# What starts any other token of _TOKEN_RE but '*' (conservatively: '<' alone is one here).
_OTHER_TOKEN_RE = re.compile(r"[\\\[\]_`<]")  # (and " \n", a hard line break: looked for apart)
_STARS_RE = re.compile(r"\*+")


def _star_runs(pieces: list[str]):
    """(start, end) in the block of each '*' run between its spans (``pieces``: text, span
    text, attributes, text, ...), in order."""
    off = 0
    for j in range(0, len(pieces), 3):
        piece = pieces[j]
        if "*" in piece:
            for m in _STARS_RE.finditer(piece):
                yield off + m.start(), off + m.end()
        off += len(piece)
        if j + 1 < len(pieces):
            off += len(pieces[j + 1]) + len(pieces[j + 2]) + 2


def _simple_emphasis(s: str, pieces: list[str]) -> bool:
    """Whether every '*' run between the spans of block ``s`` (split into ``pieces``) is one
    of pairs *a* or **a**: an opener that can only open, then a closer that can only close,
    of the same length. CommonMark then matches each pair, and nothing else: every '*' goes
    (the same delimiter rules as _Inline.token and process_emphasis). The runs are read one
    by one, never listed (8 MB of '*a **b ' made a list of 2 million: 385 MB)."""
    n = len(s)
    k = opener = 0  # how many runs so far; the length of the last opener
    for i, end in _star_runs(pieces):
        if end - i > 2 or (k % 2 and end - i != opener):
            return False
        before = s[i - 1] if i else " "
        after = s[end] if end < n else " "
        b_space, a_space = before.isspace(), after.isspace()
        b_punct, a_punct = _is_punct(before), _is_punct(after)
        left = not a_space and (not a_punct or b_space or b_punct)
        right = not b_space and (not b_punct or a_space or a_punct)
        if (left, right) != ((False, True) if k % 2 else (True, False)):
            return False
        opener = end - i
        k += 1
    return k % 2 == 0


class _Body(_BodyBuilder):
    """The reader's block reading; a block of plain text and simple spans is shown here
    without _Inline (as _Inline.run_simple would show it), anything else by _Inline. (The
    index keeps no blocks: none listed.)"""

    keeps_blocks = False

    def __init__(self, source: str, body_start: int):
        super().__init__(source, body_start)
        # The spans read here, alike ones together: (attribute block, text as written) ->
        # (start, end, _span_info, text as written, [the start of each]) of the first. A span
        # like an earlier one only adds its start there: in _facts, it counts once more (the
        # same checks, the same fact), and the views' column is made of those starts.
        self.light: dict[tuple[str, str], tuple] = {}

    def add_issue(self, issue) -> None:
        raise _GiveUp  # the first problem: the full parser reports it (and any others)

    def inline(self, s: str, starts: list[int], lines: list[tuple[str, int, int, int]]) -> None:
        pieces = _SIMPLE_SPAN_RE.split(s)  # text, span text, attributes, text, ...
        between = "".join(pieces[::3])
        if (_OTHER_TOKEN_RE.search(between) is None and " \n" not in between and "![" not in s
                and ("*" not in between or _simple_emphasis(s, pieces))):
            # (the '*' of the text between the spans are not shown: taken out of the block's
            # text once, at the end, not out of each piece: 8 MB of one paragraph had 300,000)
            stars = "*" in between
            light = self.light
            first = pieces[0]
            length = self.length + len(first) - (first.count("*") if stars else 0)
            get = _ATTRS.get
            for k in range(1, len(pieces), 3):
                inner, block = pieces[k], pieces[k + 1]
                end = length + len(inner)
                span = light.get((block, inner))
                if span is not None:
                    span[4].append(length)
                else:
                    info = get(block, _UNREAD)
                    if info is _UNREAD:
                        info = _attrs(block) if len(block) <= MAX_ATTR_CHARS else None
                    if info is None:  # _Inline would report it (see _attrs): a problem
                        raise _GiveUp
                    light[(block, inner)] = (length, end, info, inner, [length])
                after = pieces[k + 2]
                length = end + len(after) - (after.count("*") if stars else 0)
            del pieces[2::3]  # the attribute blocks are not shown
            block_text = "".join(pieces)
            if stars:  # (a span's text has no '*')
                block_text = block_text.replace("*", "")
            self.parts.append(block_text.replace("\n", " ") if "\n" in block_text else block_text)
            self.length = length
            return
        _Inline(self, s, starts, lines).run()


# ---------------------------------------------------------------------------- facts


_DATE_ORDER: dict[tuple, tuple] = {}  # (value, mod) -> dates.sort_key: the same few recur


def _date_order(fact: list) -> tuple:
    key = (fact[6] or "", fact[7])
    order = _DATE_ORDER.get(key)
    if order is None:
        order = dates.sort_key(*key)
        if len(_DATE_ORDER) < _ATTRS_MAX:
            _DATE_ORDER[key] = order
    return order


def _facts(spans: list[tuple], entities: dict[str, _Entity], text: str) -> tuple[list[tuple], str]:
    """briefing.core.parser._check_spans, briefing.core.facts.compute_facts and briefing.index._fact_rows in one
    pass: the fact rows and words the index stores, or _GiveUp where a problem would be."""
    alias_index: dict[tuple[str, str], str] = {}
    for eid, e in entities.items():
        for spelling in e.spellings:
            alias_index.setdefault(spelling, eid)

    # key -> [type, key, name, role, country, kind, value, mod, texts, mentions, first offset,
    # mentions as [(width, starts)] (alike spans together), texts as a set (a list membership
    # test made N different texts cost N*N: issue 15)]
    facts: dict[str, list] = {}
    for start, end, (kind, attrs, ref, value, mod, key, fills, given), shown, starts in spans:
        if kind == HIGHLIGHT_TYPE:
            continue
        count = len(starts)
        where = (end - start, starts)
        entity = None
        if ref is not None:
            entity = entities.get(ref)
            if entity is None or entity.type != kind:
                raise _GiveUp
        mention = _MENTIONS.get(shown) if shown is not None else None
        if mention is None:
            mention = " ".join(text[start:end].split())
            if shown is not None and len(_MENTIONS) < _ATTRS_MAX:
                _MENTIONS[shown] = mention
        if key is not None:
            pass
        elif kind == "date":
            if not value:
                value = entity.value if entity else None
                if not value:
                    raise _GiveUp
                try:
                    dates.parse_value(value)
                except dates.DateValueError:
                    raise _GiveUp from None
            mod = mod or (entity.mod if entity else None)
            mod = mod.upper() if mod else None
            key = f"date:{value}|{mod or ''}"
        else:
            eid = alias_index.get((kind, _norm(mention)))
            key = "ref:" + eid if eid else f"{kind}:{_norm(attrs.get('name', mention))}"
        fact = facts.get(key)
        if fact is None:
            if kind != "date":
                entity = entities.get(key[4:]) if key.startswith("ref:") else None
                if entity is not None:
                    value, mod = value or entity.value, mod or entity.mod
            name, role, country, what = given
            if entity is not None:
                fact = [kind, key, entity.name, entity.role or role, entity.country or country, entity.kind or what,
                        value, mod, [mention], count, start, [where], {mention}]
            else:
                fact = [kind, key, mention if name is None else name, role, country, what, value, mod, [mention], count,
                        start, [where], {mention}]
            facts[key] = fact
        else:  # later mentions may fill what the first one left out (role, country, kind)
            for i, given in fills:
                if fact[i] is None:
                    fact[i] = given
            fact[9] += count
            fact[11].append(where)
            if mention not in fact[12]:
                fact[12].add(mention)
                fact[8].append(mention)

    # Declared entities never mentioned are still facts of the brief.
    for eid, e in entities.items():
        key = f"date:{e.value}|{(e.mod or '').upper()}" if e.type == "date" else "ref:" + eid
        if key not in facts and not (e.type == "date" and not e.value):
            facts[key] = [e.type, key, e.name, e.role, e.country, e.kind, e.value, e.mod, [], 0,
                          len(text) + len(facts), []]

    groups: dict[str, list[list]] = {t: [] for t in CORE_TYPES}
    for fact in facts.values():
        groups.setdefault(fact[0], []).append(fact)
    rows: list[tuple] = []
    words: list[str] = []
    seen: set[str] = set()
    append, add, said = rows.append, seen.add, words.append
    for kind in (*CORE_TYPES, *sorted(k for k in groups if k not in CORE_TYPES)):
        items = groups[kind]
        is_date = kind == "date"
        if is_date:
            items.sort(key=_date_order)
        else:
            items.sort(key=lambda f: (-f[9], f[10]))
        for f in items:
            key = f[1]
            # The view columns (briefing.index.viewrows.view_columns, made from what is at hand).
            where = f[11]
            if len(where) == 1:
                width, starts = where[0]
                places = pack_one(starts[0], width) if len(starts) == 1 else pack_starts(starts, width)
            elif where:
                places = pack_groups(where)
            else:
                places = b""
            entity = None
            if is_date:
                label = f[6] or f[2]
                append((kind, label.casefold(), label, key, date_ident(f[6], f[7]), f[9], f[3], f[4], places, None))
            else:
                label = f[2]
                if key.startswith("ref:"):
                    entity = entities.get(key[4:])
                if entity is not None:
                    append((kind, label.casefold(), label, key, entity.ident, f[9], f[3], f[4], places, entity.folded))
                else:
                    append((kind, label.casefold(), label, key, ident(kind, label), f[9], f[3], f[4], places, None))
            # The words the search finds it by: its name, role and country, how it is
            # written, its entity's aliases.
            for word in (label if not is_date else f[2], f[3], f[4]):
                if word and word not in seen:
                    add(word)
                    said(word)
            for word in f[8]:
                if word and word not in seen:
                    add(word)
                    said(word)
            if entity is not None:
                for word in entity.aliases:
                    if word and word not in seen:
                        add(word)
                        said(word)
    return rows, " ; ".join(words)
