"""briefing.core.frontmatter: splitting a brief, the safety guard before YAML is composed, key marks."""

from __future__ import annotations

import pytest

from briefing.core import frontmatter
from briefing.core.frontmatter import MAX_DEPTH, load, split


@pytest.mark.parametrize("text, expected", [
    ("---\ntitle: T\n---\nbody", ("title: T\n", 4, 17)),
    ("---  \ntitle: T\n...\nbody", ("title: T\n", 6, 19)),
    ("---\ntitle: T\n---", ("title: T\n", 4, 16)),
    ("---\n---\nbody", ("", 4, 8)),
    ("no front matter\n---\n", (None, 0, 0)),
    ("---\ntitle: T\nbody\n", (None, 4, -1)),
    (" ---\ntitle: T\n---\n", (None, 0, 0)),
    ("---", (None, 3, -1)), ("---\n", (None, 4, -1)), ("---\n---", ("", 4, 7)), ("---\n--- \t\nb", ("", 4, 10)),
    ("---\ntitle: T\n ---\n----\n---x\n...\n", ("title: T\n ---\n----\n---x\n", 4, 32)),
    ("---\na\n\n---\n", ("a\n\n", 4, 11)),
])
def test_split(text, expected):
    assert split(text) == expected


def test_load_records_key_and_value_marks():
    fm = load("title: T\nentities:\n  a:\n    type: leader\n    name: A\n")
    assert fm.issues == []
    assert fm.data == {"title": "T", "entities": {"a": {"type": "leader", "name": "A"}}}
    assert fm.key_marks[("title",)] == (1, 1)
    assert fm.value_marks[("title",)] == (1, 8)
    assert fm.key_marks[("entities", "a", "name")] == (5, 5)
    assert fm.value_marks[("entities", "a", "name")] == (5, 11)


def test_scalars_are_text_and_null_is_none():
    fm = load("a: 2024-06-19\nb: 1e3\nc: yes\nd: ~\ne:\nf: 'quoted'\ng: \"esc\\tape\"\n")
    assert fm.data == {"a": "2024-06-19", "b": "1e3", "c": "yes", "d": None, "e": None, "f": "quoted", "g": "esc\tape"}


def test_empty_yaml_is_an_empty_mapping():
    assert load("").data == {}
    assert load("# only a comment\n").data == {}


def issues(yaml_text: str) -> list[tuple[int, int, str]]:
    return [(i.line, i.col, i.message) for i in load(yaml_text).issues]


def test_anchor_alias_and_tag_are_refused_before_composing():
    assert issues("a: &x [1, 2]\nb: *x\n") == [
        (1, 4, "YAML anchors and aliases (&a, *a) are not allowed in briefs"),
        (2, 4, "YAML anchors and aliases (&a, *a) are not allowed in briefs"),
    ]
    assert issues("a: !!binary aGk=\n") == [(1, 4, "YAML tags (!!binary) are not allowed in briefs")]


def test_billion_laughs_is_refused_without_expanding():
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n" for i in range(9))
    fm = load(bomb)
    assert fm.data is None
    assert fm.issues and all("anchors and aliases" in i.message for i in fm.issues)
    assert len(fm.issues) <= 20


def test_depth_limit_exactly():
    ok = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    assert load(ok).issues == []
    deep = "a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n"
    assert issues(deep) == [(1, 4 + MAX_DEPTH - 1, f"front matter is nested more than {MAX_DEPTH} levels deep")]


def test_size_limit(monkeypatch):
    monkeypatch.setattr(frontmatter, "MAX_FRONT_MATTER_CHARS", 10)
    assert issues("title: a long title\n") == [(1, 1, "front matter is larger than 0 KB")]


def test_duplicate_and_non_text_keys():
    assert issues("a: 1\nb: 2\na: 3\n") == [(3, 1, "duplicate key 'a'")]
    assert issues("[a, b]: 1\n") == [(1, 1, "front matter keys must be plain text")]
    assert issues("~: 1\n") == [(1, 1, "front matter keys must be plain text")]


def test_syntax_errors_are_located():
    # libyaml (used when installed) and pure PyYAML word some errors differently; places agree.
    [(line, col, message)] = issues("a: b: c\n")
    assert (line, col) == (1, 5) and message.startswith("invalid YAML: mapping values are not allowed")
    [(line, col, message)] = issues("a: 'unterminated\n")
    assert (line, col) == (2, 1) and "unexpected end of stream" in message
    [(line, col, message)] = issues("a: 1\n---\nb: 2\n")
    assert (line, col) == (2, 1) and message.startswith("invalid YAML: ") and "document" in message


def test_characters_yaml_rejects_are_located_not_raised():
    assert issues("a: b\nc: x\ufffey\n") == [(2, 5, "invalid YAML: character U+FFFE is not allowed")]


# -- the event reader against PyYAML's own composer ---------------------------------------
# Built from PyYAML's node tree (what the loader did before it read events itself): every
# scalar as written, null as None, marks for every key and value. Any YAML without anchors
# or tags must give the same data and the same marks.

import yaml  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def _reference(yaml_text: str):
    key_marks, value_marks = {}, {}

    def mark(node):
        return node.start_mark.line + 1, node.start_mark.column + 1

    def build(node, loc):
        value_marks[loc] = mark(node)
        if isinstance(node, yaml.MappingNode):
            out = {}
            for k, v in node.value:
                key = None if k.tag == "tag:yaml.org,2002:null" else k.value
                assert isinstance(k, yaml.ScalarNode) and key and key not in out  # the strategy makes no other
                key_marks[loc + (key,)] = mark(k)
                out[key] = build(v, loc + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [build(child, loc + (i,)) for i, child in enumerate(node.value)]
        return None if node.tag == "tag:yaml.org,2002:null" else node.value

    node = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
    return ({} if node is None else build(node, ())), key_marks, value_marks


_words = st.sampled_from(["a", "b", "title", "x y", "null", "~", "NULL", "yes", "1e3", "0x1F", "2024-06-19", "é",
                          "Kishida", "New Zealand", ""])


def _scalar_text(word: str, style: str) -> str:
    if style == "double":
        return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if style == "single":
        return "'" + word.replace("'", "''") + "'"
    return word if word and word[0] not in "[]{}#&*!|>'\"%@`-?:," and ": " not in word else '"' + word + '"'


@st.composite
def _documents(draw, depth=0):
    keys = draw(st.lists(st.sampled_from(["title", "tags", "a", "b", "entities", "k1", "k2"]), min_size=1, max_size=4,
                         unique=True))
    lines = []
    indent = "  " * depth
    for key in keys:
        kind = draw(st.sampled_from(["scalar", "flow", "block", "map"] if depth < 3 else ["scalar", "flow"]))
        if kind == "scalar":
            lines.append(f"{indent}{key}: {_scalar_text(draw(_words), draw(st.sampled_from(['plain', 'double', 'single'])))}")
        elif kind == "flow":
            items = draw(st.lists(_words.filter(bool), max_size=3))
            lines.append(f"{indent}{key}: [" + ", ".join(_scalar_text(w, 'double') for w in items) + "]")
        elif kind == "block":
            items = draw(st.lists(_words, min_size=1, max_size=3))
            lines.append(f"{indent}{key}:")
            lines.extend(f"{indent}  - {_scalar_text(w, 'plain')}" for w in items)
        else:
            lines.append(f"{indent}{key}:")
            lines.append(draw(_documents(depth=depth + 1)).rstrip("\n"))
    return "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None)
@given(_documents())
def test_event_reader_matches_pyyaml_composer(doc):
    data, key_marks, value_marks = _reference(doc)
    fm = load(doc)
    assert fm.issues == []
    assert fm.data == data
    assert fm.key_marks == key_marks
    assert fm.value_marks == value_marks


def test_marks_are_read_when_asked_for_and_match_a_marking_read():
    from briefing.core import frontmatter

    text = 'title: "T"\ntags: [a, b]\nentities:\n  xi:\n    type: leader\n    name: "Xi"\n'
    fm = frontmatter.load(text)
    assert fm._key_marks is None and fm._value_marks is None  # the data came without them
    assert fm.data["entities"]["xi"]["name"] == "Xi"
    assert fm.key_marks[("entities", "xi", "name")] == (6, 5)
    assert fm.value_marks[("tags", 1)] == (2, 11)
    assert fm.value_marks[("title",)] == (1, 8)
    marking = frontmatter.FrontMatter(text=text, _key_marks={}, _value_marks={})
    assert frontmatter._read(marking) == fm.data
    assert (marking._key_marks, marking._value_marks) == (fm.key_marks, fm.value_marks)


def test_libyaml_giving_up_on_deep_nesting_still_gets_our_located_refusal(monkeypatch):
    # PyYAML >= 6.0.4 bundles a libyaml that stops at 1,000 levels while scanning ahead, before
    # the events MAX_DEPTH checks arrive; PyYAML's own parser then reads it (as 6.0.3's did).
    import yaml

    class GivesUp(yaml.SafeLoader):
        def get_event(self):
            raise yaml.scanner.ScannerError("while increasing flow level", None, "exceeded maximum nesting depth",
                                            None)

    text = "title: " + "[" * 5000 + "\n"
    monkeypatch.setattr(frontmatter, "_Loader", GivesUp)
    fm = load(text)
    assert [(i.line, i.col, i.message) for i in fm.issues] == [
        (1, 7 + MAX_DEPTH, f"front matter is nested more than {MAX_DEPTH} levels deep")]
    assert fm.value_marks is not None and not fm.data
