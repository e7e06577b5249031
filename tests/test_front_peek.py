"""The one light front-matter reader (briefing.core.front_peek): the list's quick look and the
index's give the same fields, and where the parser reads a plain value they agree with it;
read_plain gives the full reader's data or gives up, in time linear in its input."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.corpus import generate_brief
from briefing.core import frontmatter
from briefing.core.front_peek import NotPlain, peek_front, read_plain, split
from briefing.core.sanitize import normalise_newlines, sanitise
from tests.cpu import cpu_seconds
from briefing.core.parser import load_brief
from briefing.core.problems import BriefError
from briefing.index import quick_meta
from briefing.session.catalog import peek_entry
from tests.conftest import BRIEFS_DIR
from tests.hostile.make_fixtures import write_small

SAMPLES = [
    "---\ntitle: Plain\npublished: 2024-06-19\nsource: Wire # a comment\ntags: [a, \"b c\"]\n---\nbody\n",
    "---\ntitle : 'it''s'\npublished: soon\n---\n",
    '---\ntitle: "A \\"quoted\\" title"\nsource: |\n  block\n---\n',
    "---\r\ntitle: Windows\r\n---\r\nbody",
    "\ufeff---\ntitle: BOM\n...\n",
    "---\ntitle: never closed\n",
    "no front matter at all\n",
    "---\ntitle: x\x1b]0;evil\x07\n---\n",
    "---\ntitle: [not, a, title]\n---\n",
]


def test_the_lists_quick_look_and_the_index_read_the_same(tmp_path):
    files = sorted(BRIEFS_DIR.glob("*.md")) + write_small(tmp_path / "hostile")
    for i, text in enumerate(SAMPLES):
        files.append(tmp_path / f"sample{i}.md")
        files[-1].write_text(text, encoding="utf-8", newline="")
    for path in files:
        if not path.is_file():
            continue
        meta = quick_meta(path.read_bytes())
        entry = peek_entry(path)
        assert entry.title == (meta["title"] or entry.title), path
        assert (entry.published_iso, entry.source) == (meta["published"], meta["source"]), path


def test_plain_values_read_as_the_parser_reads_them():
    for path in sorted(BRIEFS_DIR.glob("*.md")):
        try:
            brief = load_brief(path)
        except BriefError:
            continue
        meta = peek_front(path.read_text(encoding="utf-8"))
        assert meta["title"] == brief.meta.title, path
        assert meta["published"] == (brief.meta.published.isoformat() if brief.meta.published else None), path
        assert meta["source"] == brief.meta.source and meta["tags"] == list(brief.meta.tags), path


def test_a_cut_head_reads_front_matter_that_closes_later():
    text = "---\ntitle: Long one\nsummary: " + "x" * 5000 + "\n---\nbody\n"
    assert peek_front(text[:4096])["title"] is None  # as if the whole file: never closed
    assert peek_front(text[:4096], cut=True)["title"] == "Long one"
    assert peek_front(SAMPLES[1]) == {"title": "it's", "published": None, "source": None, "tags": []}
    assert peek_front(SAMPLES[2])["title"] == 'A "quoted" title' and peek_front(SAMPLES[2])["source"] is None
    assert peek_front(SAMPLES[0])["tags"] == ["a", "b c"] and peek_front(SAMPLES[0])["source"] == "Wire"


# ---------------------------------------------------------------------------- read_plain


def _text(data: bytes) -> str:
    """As the parser reads a brief: decoded, newlines normalised, sanitised."""
    return sanitise(normalise_newlines(data.decode("utf-8", "replace").removeprefix("\ufeff")))


def _yaml(data: bytes) -> str | None:
    return split(_text(data))[0]


def plain_or_none(yaml_text: str) -> dict | None:
    """read_plain's data, checked against the full reader's; None where it gave up. (Both read
    sanitised text, as every reader of a brief does.)"""
    yaml_text = sanitise(yaml_text)
    try:
        data = read_plain(yaml_text)
    except NotPlain:
        return None
    fm = frontmatter.load(yaml_text)
    assert not fm.issues and data == fm.data, yaml_text[:200]
    return data


def briefs_to_read(tmp_path: Path) -> list[bytes]:
    out = [generate_brief(7, i)[1].encode() for i in range(300)]
    out += [p.read_bytes() for p in sorted(BRIEFS_DIR.glob("*.md"))]
    out += [p.read_bytes() for p in write_small(tmp_path / "hostile") if p.is_file()]
    return out + [s.encode() for s in SAMPLES]


def test_read_plain_gives_the_full_readers_data_or_gives_up(tmp_path):
    read = 0
    for data in briefs_to_read(tmp_path):
        yaml_text = _yaml(data)
        if yaml_text is not None and plain_or_none(yaml_text) is not None:
            read += 1
    assert read >= 300 + len(list(BRIEFS_DIR.glob("*.md")))  # the common brief is read: the fast path rests on it


def test_where_read_plain_reads_a_brief_the_quick_look_gives_the_same(tmp_path):
    for data in briefs_to_read(tmp_path):
        yaml_text = _yaml(data)
        plain = plain_or_none(yaml_text) if yaml_text is not None else None
        if plain is None or not isinstance(plain.get("title"), str) or "\n" in plain["title"]:
            continue
        meta = peek_front(_text(data))
        assert meta["title"] == plain["title"] and meta["source"] == plain.get("source")
        assert meta["tags"] == plain.get("tags", [])
        assert meta["published"] == plain.get("published")


VALUES = st.one_of(
    st.sampled_from(["x", "a b", "yes", "null", "~", "''", "'a''b'", "\"a\\\"b\"", "\"\"", "a: b", "a:", "a #b",
                     "a#b", "-x", "[a, b]", "[a, [b]]", "[ ]", "[a,]", "[\"a, b\", c]", "{a: b}", "&x y", "*x",
                     "!t x", "|", ">", "%x", "2024-06-19", "https://x.org/a?b=c:d", "a  b", "a ", "\"a\" b", "[a ,b ]",
                     "[ a b , c]", "[a\u00a0, b]", "a\u00a0", "[a, ~]", ""]),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=10),
)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from([0, 0, 0, 2, 4, 6]), st.sampled_from(["title", "tags", "entities", "x", "0",
                                                                                 "null", "a.b"]), VALUES), max_size=8))
def test_random_front_matter_is_read_as_the_full_reader_reads_it_or_given_up(lines):
    yaml_text = "".join(f"{' ' * indent}{key}: {value}\n" for indent, key, value in lines)
    plain_or_none(yaml_text)
    plain_or_none("entities:\n  a:\n" + yaml_text)


@pytest.mark.parametrize("yaml_text", [
    "a: &x [1]\nb: *x\n", "a: !!binary x\n", "a: {b: c}\n", "a: |\n  text\n", "a: b # c\n", "a: 'it''s'\n",
    "a:\n  b:\n    c:\n      d: e\n", "a: b\na: c\n", "a:\tb\n", "a: \"\\x1b\"\n", "- a\n", "a: [b, [c]]\n",
    "entities:\n  e:\n    \n", "entities:\n  e: x\n    type: y\n", "  a: b\n", "null: x\n",
])
def test_read_plain_gives_up_on_every_other_shape(yaml_text):
    with pytest.raises(NotPlain):
        read_plain(yaml_text)


def test_read_plain_gives_up_on_front_matter_over_the_limit():
    from briefing.core.limits import MAX_FRONT_MATTER_CHARS

    with pytest.raises(NotPlain):
        read_plain("title: x\n" + "summary: " + "x" * MAX_FRONT_MATTER_CHARS + "\n")


def test_long_lines_cost_time_linear_in_their_length():
    """Lines that the patterns could match in many ways (spaces before a character that ends
    the match): before, 2,000 spaces cost the index's fast path 15 s, 60,000 the quick look 10 s."""
    from briefing.index import fast, quick_meta

    n = 200_000
    cases = [f"title: a{' ' * n}#", f"tags: [{' ' * n}#]", f"tags: [a{' ' * n}#]", f"tags: [a,{' ' * n}b{' ' * n}#]",
             "entities:\n  a:\n" + "  \n" * n + "x", f"title{' ' * n}x", f"title: a{': a' * n}#"]
    t = cpu_seconds()
    for case in cases:
        data = f"---\n{case}\n---\nbody\n".encode()
        assert fast.extract(data) is None
        quick_meta(data)
        peek_front(data.decode(), cut=True)
    assert cpu_seconds() - t < 5
