"""validate's near misses (spans that silently stay text) and the wording of its messages."""

from __future__ import annotations

import pytest

from briefing.core.parser import parse_brief
from briefing.core.problems import BriefError

FRONT = "---\ntitle: T\nentities:\n  asean: {type: organisation, name: ASEAN}\n---\n"


def problems(text: str) -> list[tuple[int, int, str, str]]:
    try:
        brief = parse_brief(text, "t.md")
    except BriefError as exc:
        return [(p.line, p.col, p.severity, p.message) for p in exc.problems]
    return [(p.line, p.col, p.severity, p.message) for p in brief.warnings]


@pytest.mark.parametrize(("body", "col", "message"), [
    ("On [Sunday] {.date value=2024-06-16}.\n", 12,
     "a space between ']' and '{' leaves this span as plain text: write [Sunday]{.date value=2024-06-16}"),
    ("On [Monday](.date value=2024-06-17).\n", 12,
     "'(' instead of '{' leaves this span as plain text: write [Monday]{.date value=2024-06-17}"),
    ("[Kishida](.leader)\n", 10, "'(' instead of '{' leaves this span as plain text: write [Kishida]{.leader}"),
])
def test_a_near_miss_is_a_warning_with_the_fix(body, col, message):
    assert problems(FRONT + body) == [(6, col, "warning", message)]


@pytest.mark.parametrize("body", [
    "A [link](https://example.org) and [a relative one](notes.md).\n",
    "Brackets [as text] {like this}.\n",
    "Code `[Sunday] {.date value=2024}` is code.\n",
    "[Sunday]{.date value=2024-06-16} is right.\n",
])
def test_no_warning_for_what_is_not_a_near_miss(body):
    assert problems(FRONT + body) == []


def test_article_before_a_vowel():
    found = problems(FRONT + "[ASEAN]{.leader ref=asean}\n")
    assert found[0][3] == "ref 'asean' is an organisation but the span is .leader"


def test_one_message_per_broken_entity():
    text = "---\ntitle: T\nentities:\n  x: {type: leader, name: X, bogus: 1, role: [1]}\n---\nx\n"
    found = problems(text)
    assert len(found) == 1
    assert found[0][3].startswith("unknown key 'bogus' in entity 'x'") and "also: role must be text" in found[0][3]


def test_the_fast_index_path_leaves_a_near_miss_to_the_parser():
    from briefing.index.fast import extract

    plain = "---\ntitle: T\n---\n"
    assert extract((plain + "On [Sunday]{.date value=2024-06-16}.\n").encode()) is not None
    assert extract((plain + "On [Sunday] {.date value=2024-06-16}.\n").encode()) is None
