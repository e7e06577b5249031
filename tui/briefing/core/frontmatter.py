"""The full reader of a brief's front matter: load any YAML safely, every problem located.

The parser reads every brief's front matter here. Front matter in the plain shape nearly
every brief has is also read, exactly and without PyYAML, by the light reader
(``briefing.core.front_peek.read_plain``: the index's fast path, the head of a large brief),
which gives up on anything else for this module to read; ``split`` (where the YAML is) is
that module's too.

Every scalar is kept as the text written (only null is None): dates, numbers and booleans
are not converted here, the parser reads ``published`` as a date itself.

PyYAML's safe loader still expands alias bombs, and libyaml crashes on very deep nesting,
so nothing is composed by PyYAML: the data is built here from the parser's events in one
pass. Anchors, aliases and tags are refused where they stand, nesting deeper than MAX_DEPTH
stops the reading, and marks are kept for every key and value so problems point at the
right line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from briefing.core.front_peek import split  # noqa: F401  (where the front matter is: one place)
from briefing.core.limits import MAX_FRONT_MATTER_CHARS

MAX_DEPTH = 16

Loc = tuple  # a path of keys/indexes into the data


@dataclass
class YamlIssue:
    line: int  # 1-based, within the YAML text
    col: int
    message: str


@dataclass
class FrontMatter:
    data: object = None
    issues: list[YamlIssue] = field(default_factory=list)
    text: str = ""  # the YAML read
    # loc -> (line, col), 1-based. Only a problem to report needs them, and keeping one for
    # every key and value costs ~15% of the reading: they are read again, once, when asked for.
    _key_marks: dict[Loc, tuple[int, int]] | None = None
    _value_marks: dict[Loc, tuple[int, int]] | None = None

    @property
    def key_marks(self) -> dict[Loc, tuple[int, int]]:
        if self._key_marks is None:
            self._read_marks()
        return self._key_marks

    @property
    def value_marks(self) -> dict[Loc, tuple[int, int]]:
        if self._value_marks is None:
            self._read_marks()
        return self._value_marks

    def _read_marks(self) -> None:
        again = FrontMatter(text=self.text, _key_marks={}, _value_marks={})
        _read(again)
        self._key_marks, self._value_marks = again._key_marks, again._value_marks


# libyaml when present: ~5x faster. Its parser is iterative (an explicit state stack), so
# reading events is safe on any input; nothing here recurses either.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ANCHOR_MESSAGE = "YAML anchors and aliases (&a, *a) are not allowed in briefs"
_TAG_RE = re.compile(r"(?:&\S*\s+)?(!\S*)")
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
MAX_ISSUES = 20


class _Refused(Exception):
    """Stop reading: the front matter is nested too deep, or has too many problems."""


def _tag_text(yaml_text: str, mark) -> str:
    """A tag as written (``!!binary``), read from the text at the node's start."""
    m = _TAG_RE.match(yaml_text, mark.index)
    return m.group(1) if m else "!"


def _issue_from(exc: yaml.YAMLError, yaml_text: str = "") -> YamlIssue:
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not accept
        line = yaml_text.count("\n", 0, exc.position) + 1
        col = exc.position - (yaml_text.rfind("\n", 0, exc.position) + 1) + 1
        return YamlIssue(line, col, f"invalid YAML: character U+{exc.character:04X} is not allowed"
                         if isinstance(exc.character, int) else "invalid YAML: a character is not allowed")
    if not isinstance(exc, yaml.MarkedYAMLError):
        return YamlIssue(1, 1, f"invalid YAML: {exc}")
    mark = exc.problem_mark or exc.context_mark
    message = "invalid YAML: " + (exc.problem or exc.context or "syntax error")
    if exc.context and exc.problem and exc.problem.startswith("but "):  # "expected X, but found Y"
        message = f"invalid YAML: {exc.context}, {exc.problem}"
    if mark is None:
        return YamlIssue(1, 1, message)
    return YamlIssue(mark.line + 1, mark.column + 1, message)


def load(yaml_text: str) -> FrontMatter:
    fm = FrontMatter(text=yaml_text)
    if len(yaml_text) > MAX_FRONT_MATTER_CHARS:
        fm.issues.append(YamlIssue(1, 1, f"front matter is larger than {MAX_FRONT_MATTER_CHARS // 1024} KB"))
        fm._key_marks, fm._value_marks = {}, {}
        return fm
    data = _read(fm)
    if fm.issues:
        return fm  # data stays None: nothing of a refused front matter is used
    fm.data = {} if data is None else data
    return fm


def _read(fm: FrontMatter) -> object:
    """Read ``fm.text`` into plain data, adding issues to ``fm`` (and marks, when ``fm``
    has dicts for them)."""
    try:
        return _read_with(_Loader, fm)
    except _TooDeepForLibyaml:
        # The libyaml of PyYAML >= 6.0.4 stops at 1,000 levels while it scans ahead, before
        # the events that MAX_DEPTH would have refused reach us. PyYAML's own parser, no
        # slower for what it reads before MAX_DEPTH, says where the nesting went too deep.
        del fm.issues[:]
        if fm._value_marks is not None:
            fm._key_marks, fm._value_marks = {}, {}
        return _read_with(yaml.SafeLoader, fm)


class _TooDeepForLibyaml(Exception):
    pass


def _read_with(loader_class, fm: FrontMatter) -> object:
    loader = loader_class(fm.text)
    try:
        return _read_events(loader, fm.text, fm)
    except _Refused:
        return None
    except yaml.YAMLError as exc:
        if loader_class is not yaml.SafeLoader and getattr(exc, "problem", None) == "exceeded maximum nesting depth":
            raise _TooDeepForLibyaml from None
        fm.issues.append(_issue_from(exc, fm.text))
        return None
    finally:
        loader.dispose()


def _read_events(loader, yaml_text: str, fm: FrontMatter) -> object:
    """Build plain data from the parser's events, in one pass with an explicit stack.

    Anchors, aliases and tags are refused where they stand (an alias is never expanded) and
    nesting deeper than MAX_DEPTH stops the reading, so neither an alias bomb nor a deep
    document can cost more than reading its text once. When ``fm`` has dicts for them, marks
    are kept for every key and value so that problems point at the right line and column.
    """
    issues = fm.issues
    get_event = loader.get_event
    result: object = None
    key_marks, value_marks = fm._key_marks, fm._value_marks
    marking = value_marks is not None
    # Open collections: [container, loc, pending key, start mark]; for a mapping the pending
    # key is _KEY while a key is awaited, else the key (None: a key whose value is dropped).
    # loc (the path of keys and indexes to the container) is kept only when marking.
    stack: list[list] = []

    def refuse(mark, message: str) -> None:
        issues.append(YamlIssue(mark.line + 1, mark.column + 1, message))
        if len(issues) >= MAX_ISSUES:
            raise _Refused

    def check_properties(event) -> None:
        if event.anchor is not None:
            refuse(event.start_mark, _ANCHOR_MESSAGE)
        if getattr(event, "tag", None) is not None:
            refuse(event.start_mark, f"YAML tags ({_tag_text(yaml_text, event.start_mark)}) are not allowed in briefs")

    def place(value: object, mark) -> None:
        """Put a finished node where it belongs: the result, a list item, a key or a value."""
        nonlocal result
        if not stack:
            if marking:
                value_marks[()] = (mark.line + 1, mark.column + 1)
            result = value
            return
        top = stack[-1]
        container = top[0]
        if container.__class__ is list:
            if marking:
                value_marks[top[1] + (len(container),)] = (mark.line + 1, mark.column + 1)
            container.append(value)
        elif top[2] is _KEY:  # this node is a key
            if value.__class__ is not str or not value:
                issues.append(YamlIssue(mark.line + 1, mark.column + 1, "front matter keys must be plain text"))
                top[2] = None
            elif value in container:
                issues.append(YamlIssue(mark.line + 1, mark.column + 1, f"duplicate key {value!r}"))
                top[2] = None
            else:
                if marking:
                    key_marks[top[1] + (value,)] = (mark.line + 1, mark.column + 1)
                top[2] = value
        else:  # this node is the value of the pending key
            if top[2] is not None:
                if marking:
                    value_marks[top[1] + (top[2],)] = (mark.line + 1, mark.column + 1)
                container[top[2]] = value
            top[2] = _KEY

    def child_loc() -> tuple | None:
        if not marking:
            return None
        if not stack:
            return ()
        top = stack[-1]
        if isinstance(top[0], list):
            return top[1] + (len(top[0]),)
        return top[1] + ((top[2],) if isinstance(top[2], str) and top[2] is not _KEY else ("?",))

    while True:
        event = get_event()
        kind = type(event)
        if kind is yaml.ScalarEvent:
            check_properties(event)
            value = event.value
            if event.implicit[0] and value in _NULLS:  # a plain scalar: ~, null, or nothing
                value = None  # only null is not kept as the text written
            place(value, event.start_mark)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            check_properties(event)
            if len(stack) + 1 > MAX_DEPTH:
                mark = event.start_mark
                issues.append(YamlIssue(mark.line + 1, mark.column + 1,
                                        f"front matter is nested more than {MAX_DEPTH} levels deep"))
                raise _Refused
            container: dict | list = {} if kind is yaml.MappingStartEvent else []
            stack.append([container, child_loc(), _KEY, event.start_mark])
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            container, _, _, mark = stack.pop()
            place(container, mark)
        elif kind is yaml.AliasEvent:
            refuse(event.start_mark, _ANCHOR_MESSAGE)
            place(None, event.start_mark)
        elif kind is yaml.DocumentEndEvent:
            following = get_event()
            if type(following) is not yaml.StreamEndEvent:
                raise yaml.composer.ComposerError("expected a single document in the stream", None,
                                                  "but found another document", following.start_mark)
            break
        elif kind is yaml.StreamEndEvent:
            break
        # StreamStart and DocumentStart carry nothing.
    return None if issues else result


_KEY = object()  # a mapping awaits a key
