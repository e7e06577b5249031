"""The parser's shortcuts give what the long way gives: ``construct`` builds the objects
``model_construct`` builds, and blocks of plain text and simple spans, shown without the
inline tree, come out as the general inline parser shows them."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import briefing.core.markdown as markdown
from briefing.core.basemodel import construct
from briefing.core.markdown.results import JOIN_EVERY
from bench.corpus import generate_brief
from briefing.core.model import Block, Brief, Entity, Fact, Mark, Mention, Meta, Style
from briefing.core.parser import parse_brief
from briefing.core.problems import BriefError

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "briefs").glob("*.md"))
HOSTILE = sorted((ROOT / "tests" / "hostile" / "briefs").glob("*.md"))


def same_model(a, b) -> None:
    assert a == b
    assert list(a.__dict__) == list(b.__dict__)  # the same field order (repr, iteration)
    assert a.model_fields_set == b.model_fields_set
    assert a.model_dump() == b.model_dump()
    assert repr(a) == repr(b)


@pytest.mark.parametrize("cls, values", [
    (Mention, dict(type="leader", start=1, end=5, text="Xi", ref="xi", attrs={"ref": "xi"}, line=3, col=4,
                   src_start=10, src_end=20)),
    (Mention, dict(type="region", start=0, end=3, text="Fiji")),  # defaults filled in
    (Mention, dict(end=3, start=0, text="Fiji", type="region")),  # any order of the names
    (Fact, dict(type="date", key="date:2024|", name="2024", value="2024", precision="year", texts=["2024"],
                spans=[(0, 4)])),
    (Entity, dict(id="xi", type="leader", name="Xi Jinping", aliases=["Xi"], role=None, country="China",
                  kind=None, value=None, mod=None, description=None)),
    (Meta, dict(title="T")),
    (Block, dict(kind="paragraph", start=0, end=4)),
    (Style, dict(kind="link", start=0, end=4, url="https://example.org")),
    (Mark, dict(start=0, end=4, note="why")),
    (Brief, dict(path="p", meta=Meta.model_construct(title="T"), text="abc")),
])
def test_construct_builds_what_model_construct_builds(cls, values):
    made = construct(cls, **dict(values))
    same_model(made, cls.model_construct(**dict(values)))
    # Mutable defaults are copies, never the class's own list or dict.
    for name, field in cls.model_fields.items():
        if name not in values and isinstance(field.default, (list, dict)):
            assert getattr(made, name) == field.default and getattr(made, name) is not field.default


def body_both_ways(source: str, monkeypatch) -> tuple[dict, dict, int]:
    """parse_body with its shortcuts, then without (every block through the inline tree);
    also how many blocks took a shortcut (``run_simple`` or ``run_brackets``)."""
    taken = [0]
    simple, brackets = markdown._Inline.run_simple, markdown._Inline.run_brackets

    def counting(shortcut):
        def run(self):
            ok = shortcut(self)
            taken[0] += ok
            return ok
        return run

    monkeypatch.setattr(markdown._Inline, "run_simple", counting(simple))
    monkeypatch.setattr(markdown._Inline, "run_brackets", counting(brackets))
    fast = asdict(markdown.parse_body(source, 0, 1))
    monkeypatch.setattr(markdown._Inline, "run_simple", lambda self: False)
    monkeypatch.setattr(markdown._Inline, "run_brackets", lambda self: False)
    slow = asdict(markdown.parse_body(source, 0, 1))
    monkeypatch.setattr(markdown._Inline, "run_simple", simple)
    monkeypatch.setattr(markdown._Inline, "run_brackets", brackets)
    return fast, slow, taken[0]


def bodies() -> list[tuple[str, str]]:
    out = [(p.name, p.read_text(encoding="utf-8", errors="replace")) for p in SHIPPED + HOSTILE]
    out += [(f"generated-{i}", generate_brief(7, i, size_kb=3)[1]) for i in range(30)]
    return out


@pytest.mark.parametrize("name, source", bodies(), ids=lambda v: v if isinstance(v, str) and len(v) < 60 else "")
def test_simple_blocks_come_out_as_the_inline_parser_shows_them(name, source, monkeypatch):
    fast, slow, taken = body_both_ways(source, monkeypatch)
    assert fast == slow
    if name.startswith("generated") or name in {p.name for p in SHIPPED}:
        assert taken, "no block took the shortcut: the test would prove nothing"


_PIECES = st.sampled_from([
    "Kishida", " met ", "[Luxon]{.leader ref=luxon}", "[Tokyo]{.region kind=city}", "[x]{.date value=2024}",
    "[a b]{.org name=\"A B\"}", "\n", "\n\n", "- ", "> ", "## ", "  \n", "*", "_", "`", "[", "]", "{", "}",
    "\\[", "[]{.leader}", "[y]{leader}", "[z]{.leader bad=\"x}", "<https://a.example>", "[l](https://b.example)",
    "é", "\t", "1. ", "[q]{.region ref=q\nkind=x}", "[w]{.date value=2024 value=2025}",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=30).map("".join))
def test_any_mix_of_plain_and_marked_text_comes_out_the_same(source):
    from _pytest.monkeypatch import MonkeyPatch

    with MonkeyPatch.context() as mp:
        fast, slow, _ = body_both_ways(source, mp)
    assert fast == slow


# Emphasis: flat pairs take the shortcut; nesting, runs that both open and close, runs
# left open, runs of 3 and mixed '*'/'_' go the long way; both must give the same body.
_EMPHASIS_PIECES = st.sampled_from([
    "*a*", "**b**", "_c_", "__d__", "***e***", "*", "**", "_", "__", " * ", " _ ", "a*", "*a", "a_", "_a",
    "x", " ", "é", ".", "(", ")", "\n", "\n\n", "[T]{.region}", "[a] ", "*[T]{.region}*", "**[a]**",
    "*a **b** c*", "_a *b* c_", "a*b*c", "a_b_c", "*.*", "_._", "\\*", "`c`", "[l](https://e.org)",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(_EMPHASIS_PIECES, min_size=1, max_size=25).map("".join))
def test_emphasis_in_flat_pairs_comes_out_the_same(source):
    from _pytest.monkeypatch import MonkeyPatch

    with MonkeyPatch.context() as mp:
        fast, slow, _ = body_both_ways(source, mp)
    assert fast == slow


@pytest.mark.parametrize("lines", [1, 3])
def test_a_block_of_many_thousand_pieces_comes_out_the_same(lines, monkeypatch):
    # The shortcut joins a block's text every JOIN_EVERY pieces (one block may be 8 MB):
    # a block of 3 x that many, on one line and over several, as the long way shows it.
    unit = "[Tokyo]{.region} and *it* x"
    n = 3 * JOIN_EVERY // 4 + 7
    source = "\n".join([" ".join([unit] * (n // lines))] * lines) + "\n"
    fast, slow, taken = body_both_ways(source, monkeypatch)
    assert taken == 1 and fast == slow
    assert len(fast["spans"]) == n // lines * lines and len(fast["styles"]) == n // lines * lines
    assert fast["text"] == " ".join(["Tokyo and it x"] * (n // lines * lines))


@pytest.mark.parametrize("source, shortcut", [
    ("Some *emphasis* and **strong** and _under_ words, a * b, [T]{.region} *[U]{.region}* too.", True),
    ("*a **b** c*", False),  # nested
    ("*a* *b", False),  # the second left open
    ("a*b*c", False),  # runs that both open and close
    ("***a***", False),
])
def test_which_emphasis_takes_the_shortcut(source, shortcut, monkeypatch):
    fast, slow, taken = body_both_ways(source, monkeypatch)
    assert fast == slow
    assert bool(taken) == shortcut
    if shortcut:
        assert [st.kind for st in fast["styles"]] == ["emphasis", "strong", "emphasis", "emphasis"]


def test_a_brief_with_escapes_in_its_yaml_still_gets_their_warnings():
    # The escape check runs only when the front matter has a backslash: this one has.
    text = '---\ntitle: "Bad \\e]0;x\\a title"\n---\nBody.\n'
    brief = parse_brief(text.encode(), "b.md")
    assert any("YAML escape" in w.message for w in brief.warnings)
    assert "\x1b" not in brief.meta.title and "\u241b" in brief.meta.title


def test_front_matter_without_backslashes_is_kept_as_written():
    text = '---\ntitle: "Plain title"\ntags: [a, b]\n---\nBody.\n'
    brief = parse_brief(text.encode(), "b.md")
    assert brief.meta.title == "Plain title" and brief.meta.tags == ["a", "b"] and not brief.warnings
    with pytest.raises(BriefError):
        parse_brief(b'---\ntitle: ""\n---\nBody.\n', "b.md")


def test_the_display_text_of_many_blocks_is_joined_whole(monkeypatch):
    # The builder joins its pieces of display text every JOIN_EVERY (8 MB of short pieces
    # were ~60 MB of string objects): the same body as when they are joined only at the end.
    from briefing.core.markdown import builder

    para = "[[a] b] *c* [d](https://e.org) `e` x\\*"  # the general path: several pieces a block
    source = "\n\n".join([para] * (JOIN_EVERY // 2)) + "\n"
    joined = asdict(markdown.parse_body(source, 0, 1))
    monkeypatch.setattr(builder, "JOIN_EVERY", 10**9)
    whole = asdict(markdown.parse_body(source, 0, 1))
    assert joined == whole and len(whole["blocks"]) == JOIN_EVERY // 2
    assert whole["text"].startswith("[[a] b] c d e x*\n\n[[a] b] c d e x*\n\n")


# Blocks of brackets (links, nested spans, plain brackets, autolinks) take run_brackets
# (issue 15: 8 MB of nested brackets made a tree node per token); what it declines, or a
# problem it does not word itself, goes the long way. The same body either way.
@pytest.mark.parametrize("source, shortcut", [
    ("[[[a] b] c] [x [y]{.region} z](https://e.org) " * 3, True),
    ("- [[[a] b] c] [x [y]{.region}\n  z](https://e.org)\n- > [q [r]{.region}](u)", True),  # at no constant offset
    ("[a [b]{.region} c]{.org}, [[x]]{.region} and [[]](u) [<https://e.org>](v) []", True),
    ("[a]\n[b] and [c](<u v> 'title') [d](u (t)) [e](\\(x\\)) [f](u\nt)", False),  # (a backslash: the long way)
    ("[a](u v) [b](u \"t\")\n[c] (.region) [d] {.region} [e](.date)", True),  # near misses: warned about
    ("[a [b] c", True), ("[a [b](u) c [d", True), ("x ]{.region} y", False), ("[a]{bad}", False),
    ("[[](u)]{.region}", False), ("[]{.region}", False), ("[a]{.region} [b]{.date value=x y", False),
    ("[" * 40 + "a" + "]" * 40, False), ("*a* [b](u)", False), ("a `c` [b](u)", False), ("![i](u) [b](u)", False),
    ("[a]  \n[b](u)", False), ("[a](u){.region} [b]{.region}(u) [c]{.region}{.org}", True),
])
def test_which_bracket_blocks_take_the_shortcut(source, shortcut, monkeypatch):
    fast, slow, taken = body_both_ways(source, monkeypatch)
    assert fast == slow
    assert bool(taken) == shortcut


def test_a_block_of_many_thousand_brackets_comes_out_the_same(monkeypatch):
    # run_brackets joins a block's text every JOIN_EVERY events (one block may be 8 MB).
    unit = "[[[a] b] c] [x [y]{.region} z](https://e.org) "
    source = (unit * (JOIN_EVERY // 2)).rstrip() + "\n"
    fast, slow, taken = body_both_ways(source, monkeypatch)
    assert taken == 1 and fast == slow
    assert len(fast["spans"]) == JOIN_EVERY // 2 and fast["text"].startswith("[[[a] b] c] x y z [[[a] b] c] x y z")


_BRACKET_PIECES = st.sampled_from([
    "[", "]", "[a]", "[a] ", "]{.region}", "]{.leader ref=k}", "](https://e.org)", "](u \"t\")", "](<u>)", "(", ")",
    "{", "}", "[y]{.region}", " ", "x", "\n", "\n\n", "- ", "> ", "<https://x.org>", "<", ">", "] {.region}",
    "](.region)", "]{bad}", "]{}", "é", "[b c]{.date value=2024}", "]{.region", "[z]{.org name=\"a b\"}",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(_BRACKET_PIECES, min_size=1, max_size=30).map("".join))
def test_any_mix_of_brackets_comes_out_the_same(source):
    from _pytest.monkeypatch import MonkeyPatch

    with MonkeyPatch.context() as mp:
        fast, slow, _ = body_both_ways(source, mp)
    assert fast == slow
