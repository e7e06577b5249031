"""Hostile and broken input through the core: the parser, the command line, the exports,
the store and the index. Nothing crashes, nothing reaches the terminal, nothing is lost.

The fixtures are in ``tests/hostile/briefs/`` (small, committed) and made by
``tests/hostile/make_fixtures.py`` (the big and odd ones, in a temporary folder).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.cpu import cpu_seconds
from tests.hostile import make_fixtures as mf
from tests.hostile.checks import UNSAFE, UNSAFE_BYTES, assert_brief_inert, assert_html_inert
from briefing import store as store_mod
from briefing.core.anchor import Highlight
from briefing.cli import main as cli_main
from briefing.export import export, export_html, export_json, export_markdown
from briefing.index import NOT_UTF8_NAME, Index
from briefing.core.parser import MAX_BRIEF_BYTES, iter_brief_paths, load_brief, parse_brief
from briefing.core.problems import BriefError
from briefing.core.sanitize import BIDI_CHARS, INVISIBLE_CHARS, terminal_line
from briefing.store import DB_NAME, Store

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = mf.BRIEFS
OK = sorted(n for n, e in mf.EXPECT.items() if e == "ok")
FAILING = sorted(n for n, e in mf.EXPECT.items() if e != "ok")

@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))


def parse_timed(data: bytes, name: str, budget: float):
    t = cpu_seconds()
    try:
        result = parse_brief(data, name)
    except BriefError as exc:
        result = exc
    elapsed = cpu_seconds() - t
    assert elapsed < budget, f"{name} took {elapsed:.1f}s"
    return result


def run(args: list[str], env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """``python -m briefing ARGS`` with this checkout first on the path; output as bytes."""
    full = dict(os.environ)
    full["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "tui"), full.get("PYTHONPATH", "")) if p)
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", "briefing", *args], capture_output=True, timeout=timeout,
                          env=full, stdin=subprocess.DEVNULL)


# ---------------------------------------------------------------------------- the fixtures


def test_committed_fixtures_are_what_the_script_makes():
    assert mf.main(["--check"]) == 0, "run: python tests/hostile/make_fixtures.py"


@pytest.mark.parametrize("name", sorted(mf.SMALL))
def test_every_fixture_loads_or_fails_with_a_clear_message(name):
    result = parse_timed((HOSTILE / name).read_bytes(), name, budget=2.0)
    expected = mf.EXPECT[name]
    if expected == "ok":
        assert not isinstance(result, BriefError), result
        assert_brief_inert(result)
        return
    assert isinstance(result, BriefError), f"{name} should have failed with {expected!r}"
    assert result.errors and any(expected in p.message for p in result.errors), [p.message for p in result.problems]
    for p in result.problems:
        assert not UNSAFE.search(p.message), repr(p.message)
        assert p.line >= 1 and p.col >= 1


# (gen_many_spans.md, 100,000 spans on one 1.2 MB line, is opened by the reader in
# test_hostile_tui.test_big_briefs_open_within_seconds: not parsed twice.)
@pytest.mark.parametrize("name", sorted(set(mf.GENERATED) - {"gen_many_spans.md"}))
def test_big_and_deep_fixtures_load_or_fail_within_seconds(name):
    make, expected = mf.GENERATED[name]
    t = cpu_seconds()
    result = parse_timed(make(), name, budget=10.0)
    if expected == "ok":
        assert not isinstance(result, BriefError), result.problems[:3]
        assert not UNSAFE.search(result.text)
        if name == "gen_deep_markdown.md":  # 100,000 '>' are shown at depth 32, with a warning
            assert any(b.kind == "quote" and b.level == 32 for b in result.blocks)
            assert any("nested more than 32" in w.message for w in result.warnings)
        if name != "gen_long_line.md":  # its exports are made in seconds too
            page = export_html(result, [])
            json.loads(export_json(result, []))
            assert cpu_seconds() - t < 15
            assert page.count('<span class="entity') >= len(result.mentions)
    else:
        assert isinstance(result, BriefError)
        assert any(expected in p.message for p in result.errors), [p.message for p in result.problems][:5]


# ---------------------------------------------------------------------------- markup, escapes, bidi


def test_markup_stays_literal_text():
    brief = load_brief(HOSTILE / "markup.md")
    assert brief.meta.title == mf.MARKUP_TITLE
    assert brief.meta.source == "[reverse]source[/reverse] [/]"
    assert brief.meta.tags == ["[b]tag[/b]", "[@click=app.quit]"]
    for literal in ("[bold red]not bold[/]", "[@click=app.quit]click me[/]",
                    "[link=https://evil.example/PWNED-MARKUP]a link[/link]", "`[/=`"[1:-1], "[on red]this[/on red]"):
        assert literal in brief.text
    assert brief.text.count("[/=") == 2  # the code span and the escaped bracket
    leaders = brief.facts_json()["facts"]["leader"]
    assert leaders[0]["name"] == "[bold]Evil[/bold] [@click=app.quit]Leader[/]"
    assert brief.facts_json()["facts"]["org"][0]["name"] == "[@click=app.quit]Org[/]"
    assert not brief.styles or all(s.kind == "code" for s in brief.styles)  # no link came from markup


def test_terminal_escapes_become_visible_placeholders_with_warnings():
    brief = load_brief(HOSTILE / "escapes_body.md")
    assert mf.VISIBLE_TITLE in brief.meta.title
    assert mf.VISIBLE_TITLE in brief.text
    assert "\u241b]52;c;" in brief.text and "\u241b]8;;https://evil.example/PWNED-LINK" in brief.text
    assert "\ufffd2J" in brief.text  # the 8-bit CSI
    assert "\u241b[2J\u241b[H" in brief.text  # inside the code span and the fence
    assert brief.meta.source == "plain \u241b]2;PWNED-SOURCE\u2407 source"
    named = {m.attrs.get("name") for m in brief.mentions}
    assert "\u241b]0;PWNED-ATTR\u2407" in named
    names = {m for w in brief.warnings for m in re.findall(r"U\+[0-9A-F]{4}", w.message)}
    assert {"U+001B", "U+0007", "U+009B", "U+009D", "U+009C", "U+007F"} <= names
    assert any("more control characters (shown as placeholders)" in w.message for w in brief.warnings)
    assert all(w.severity == "warning" for w in brief.warnings)


def test_every_character_sanitising_replaces_is_one_isprintable_refuses():
    # (what lets is_safe skip the regex scan of a text that is all printable)
    import sys

    from briefing.core.sanitize import _PRINTABLE_HIDDEN, is_safe, is_unsafe_char, sanitise

    unsafe = [chr(c) for c in range(sys.maxunicode + 1) if is_unsafe_char(chr(c))]
    # (but the default-ignorable letters and marks, which is_safe looks for on its own)
    assert len(unsafe) > 2000 and not any(ch.isprintable() for ch in unsafe if not _PRINTABLE_HIDDEN.match(ch))
    # (and those are marks or other letters, so that a text with neither needs no regex at all)
    import unicodedata

    from briefing.core.sanitize import _MAY_BE_UNSAFE

    assert {unicodedata.category(ch) for ch in unsafe if ch.isprintable()} <= {"Mn", "Lo"}
    assert {unicodedata.category(ch) for ch in unsafe} <= _MAY_BE_UNSAFE
    for text in ("plain", "a\nb\tc", "no\u00a0break", "wide\u3000space"):
        assert is_safe(text) and sanitise(text) == text
    for ch in ("\x1b", "\x85", "\u202e", "\u200b", "\ufeff", "\u2028", "\ud800"):
        assert not is_safe(f"a\t{ch}\nb") and sanitise(f"a{ch}b") != f"a{ch}b"


def test_escapes_written_as_yaml_escapes_are_cleaned_and_reported():
    brief = load_brief(HOSTILE / "escapes_yaml.md")
    assert brief.meta.title == "YAML \u241b]0;PWNED-TITLE\u2407 title \ufffd2J \ufffd end"
    assert brief.meta.source == "\u241b]52;c;UFdORUQtQ0xJUA==\u2407"
    assert "\u2400" in brief.meta.summary and "\u2421" in brief.meta.summary  # NUL, DEL
    assert brief.meta.tags == ["\u241b[31m", "\u241b[2J\u241b[H"]
    e1 = brief.entities["e1"]
    assert (e1.name, e1.role, e1.country, e1.aliases) == (
        "\u241b[5mBlink\u241b[0m", "\u2407bell", "\ufffdZW", ["\u241b]0;alias\u2407"])
    at_title = [w.message for w in brief.warnings if (w.line, w.col) == (2, 8)]  # the title's value
    assert any("U+001B written as a YAML escape" in m for m in at_title)
    assert any("U+202E written as a YAML escape" in m for m in at_title)
    assert any("U+200B written as a YAML escape" in w.message for w in brief.warnings)  # the entity's country
    assert_brief_inert(brief)


def test_trojan_source_characters_are_visible_and_each_is_a_warning():
    brief = load_brief(HOSTILE / "trojan.md")
    assert "\ufffdevil\ufffd" in brief.meta.title
    assert not re.search("[" + BIDI_CHARS + INVISIBLE_CHARS + "]", brief.text)
    reported = [m for w in brief.warnings for m in re.findall(r"U\+[0-9A-F]{4}", w.message)]
    for ch in "\u202e\u202c\u2066\u2069\u200b\u200d\u2060\u061c\u200e\u200f\ufeff":
        assert f"U+{ord(ch):04X}" in reported
    source = (HOSTILE / "trojan.md").read_text(encoding="utf-8")
    for w in brief.warnings:  # each warning points at its character in the file
        line = source.split("\n")[w.line - 1]
        assert f"U+{ord(line[w.col - 1]):04X}" in w.message


def test_a_brief_cannot_smuggle_a_link_other_than_http_or_mailto():
    brief = load_brief(HOSTILE / "html_injection.md")
    urls = [s.url for s in brief.styles if s.kind in ("link", "image")]
    assert "javascript:alert(1)" in urls  # parsed as a link, so the reader can refuse to open it
    assert "<script>" in brief.text and "onerror=alert(1)" in brief.text  # HTML is text


# ---------------------------------------------------------------------------- YAML


def test_yaml_tags_are_refused_before_anything_is_built(tmp_path):
    marker = Path("/tmp/briefing-pwned")
    marker.unlink(missing_ok=True)
    exc = parse_timed((HOSTILE / "yaml_tags.md").read_bytes(), "t.md", budget=1.0)
    assert isinstance(exc, BriefError)
    assert [p.message for p in exc.errors] == [
        "YAML tags (!!python/object/apply:os.system) are not allowed in briefs",
        "YAML tags (!custom) are not allowed in briefs",
        "YAML tags (!!binary) are not allowed in briefs",
    ]
    assert not marker.exists()


def test_alias_bomb_is_refused_quickly():
    exc = parse_timed((HOSTILE / "yaml_alias_bomb.md").read_bytes(), "bomb.md", budget=1.0)
    assert isinstance(exc, BriefError)
    assert exc.errors[0].message == "YAML anchors and aliases (&a, *a) are not allowed in briefs"
    assert len(exc.problems) <= 21  # a few located messages, not one per alias


def test_deep_yaml_is_refused_in_a_child_process_without_crashing(tmp_path):
    # libyaml's composer recurses and segfaults on deep nesting: run it where a crash would show.
    for name in ("gen_deep_yaml_flow.md", "gen_deep_yaml_block.md"):
        (tmp_path / name).write_bytes(mf.GENERATED[name][0]())
    t = cpu_seconds()
    done = run(["validate", str(tmp_path)])
    assert cpu_seconds() - t < 20
    assert done.returncode == 1, (done.returncode, done.stderr[-500:])  # not -11 (SIGSEGV)
    out = done.stdout.decode()
    assert out.count("front matter is nested more than 16 levels deep") == 2
    assert b"Traceback" not in done.stderr


# ---------------------------------------------------------------------------- sizes


def test_file_over_the_limit_is_refused_without_reading_it(tmp_path):
    big = mf.write_oversize(tmp_path / "big.md")
    t = time.perf_counter()
    with pytest.raises(BriefError, match="briefs over 8 MB are refused"):
        load_brief(big)
    assert time.perf_counter() - t < 0.5
    with pytest.raises(BriefError, match="over 8 MB"):
        parse_brief(b"x" * (MAX_BRIEF_BYTES + 1))


# ---------------------------------------------------------------------------- files


def test_crlf_cr_and_bom_keep_every_offset_line_and_column():
    def shape(b):
        return (b.text, [(m.start, m.end, m.line, m.col, m.text, m.src_start, m.src_end) for m in b.mentions],
                [(w.line, w.col, w.message) for w in b.warnings], [(x.kind, x.start, x.end) for x in b.blocks])

    lf = load_brief(HOSTILE / "lf.md")
    for name in ("crlf.md", "cr.md", "bom_crlf.md"):
        assert shape(load_brief(HOSTILE / name)) == shape(lf), name
    # The wrapped span's mention starts at line 6, column 7 whatever the line endings.
    assert (lf.mentions[0].line, lf.mentions[0].col) == (6, 7)
    with pytest.raises(BriefError) as crlf_exc:
        load_brief(HOSTILE / "crlf_error.md")
    assert [(p.line, p.col) for p in crlf_exc.value.errors] == [(7, 6)]


def test_highlights_made_on_lf_stay_put_when_the_file_becomes_crlf(tmp_path):
    path = tmp_path / "b.md"
    path.write_bytes(mf.SMALL["lf.md"])
    brief = load_brief(path)
    with Store.open() as st:
        start = brief.text.index("Quoted")
        h = st.add_highlight(brief, start, start + 6, note="n")
        path.write_bytes(mf.SMALL["crlf.md"])
        again = load_brief(path)
        (placed,) = st.highlights(again)
        assert (placed.start, placed.end, placed.orphan, placed.id) == (h.start, h.end, False, h.id)


def test_empty_binary_and_non_utf8_files_are_refused_with_a_location():
    for name, message, where in (("empty.md", "empty file", (1, 1)), ("binary.md", "binary file", (1, 1)),
                                 ("latin1.md", "not UTF-8: byte 0xe9", (2, 11)),
                                 ("overlong.md", "not UTF-8: byte 0xc0", (4, 7))):
        with pytest.raises(BriefError) as exc:
            load_brief(HOSTILE / name)
        (p,) = exc.value.problems
        assert message in p.message and (p.line, p.col) == where, p


def test_a_file_that_vanishes_or_turns_into_a_folder(tmp_path):
    path = tmp_path / "gone.md"
    path.write_bytes(mf.SMALL["lf.md"])
    listed = [p for p, problem in iter_brief_paths([tmp_path]) if problem is None]
    assert listed == [path]
    path.unlink()
    with pytest.raises(BriefError, match="no such file"):
        load_brief(path)
    path.mkdir()
    with pytest.raises(BriefError, match="is a folder"):
        load_brief(path)


def test_an_unreadable_file_is_a_clear_message(tmp_path, monkeypatch):
    # Tests run as root here, and chmod does not stop root: the refusal is simulated.
    path = tmp_path / "locked.md"
    path.write_bytes(mf.SMALL["lf.md"])
    real_open = os.open  # (a brief is opened with os.open: without blocking, see read_brief_bytes)

    def refuse(file, *args, **kwargs):
        if os.fspath(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(BriefError, match="cannot read: Permission denied"):
        load_brief(path)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file_for_real(tmp_path):
    path = tmp_path / "locked.md"
    path.write_bytes(mf.SMALL["lf.md"])
    path.chmod(0)
    try:
        with pytest.raises(BriefError, match="cannot read"):
            load_brief(path)
    finally:
        path.chmod(0o644)


def test_symlinks_outside_the_folder_are_not_followed_unless_asked(tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "inside.md").write_bytes(mf.SMALL["lf.md"])
    (folder / "link-inside.md").symlink_to(folder / "inside.md")
    outside = tmp_path / "outside" / "secret.md"
    outside.parent.mkdir()
    outside.write_text("---\ntitle: secret\n---\nSecret \x1b.\n", encoding="utf-8")
    (folder / "link-outside.md").symlink_to(outside)
    (folder / "broken.md").symlink_to(folder / "nowhere.md")
    found = dict(iter_brief_paths([folder]))
    assert found[folder / "link-outside.md"] == "symlink leads outside the opened folder (not followed)"
    with pytest.raises(BriefError, match="no such file"):
        load_brief(folder / "broken.md")
    assert found[folder / "link-inside.md"] is None
    assert dict(iter_brief_paths([folder], follow_symlinks=True))[folder / "link-outside.md"] is None

    done = run(["validate", str(folder)])
    out = done.stdout.decode()
    assert "link-outside.md:1:1: warning: symlink leads outside the opened folder (not followed)" in out
    assert "Secret" not in out and "outside/secret.md" not in out and "U+001B" not in out
    followed = run(["validate", "--follow-symlinks", str(folder)])
    assert "link-outside.md:4:8: warning: control character U+001B" in followed.stdout.decode()


# ---------------------------------------------------------------------------- the command line


def test_validate_the_hostile_folder_reports_every_broken_brief_and_prints_nothing_raw(tmp_path):
    folder = mf.hostile_folder(tmp_path / "hostile", big=False, outside=tmp_path / "outside")
    # An ASCII terminal: names that are not UTF-8, control pictures and all must still print.
    done = run(["validate", str(folder)], env={"PYTHONIOENCODING": "ascii", "LC_ALL": "C"})
    assert done.returncode == 1
    assert b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")[-2000:]
    assert not UNSAFE_BYTES.search(done.stdout) and not UNSAFE_BYTES.search(done.stderr)
    assert max(done.stdout, default=0) < 0x80  # ASCII, as asked, with escapes
    out = done.stdout.decode()
    for name in FAILING:
        assert f"{name}:" in out and ": error: " in out, name
    assert "gen_oversize.md:1:1: error: file is 9.0 MB; briefs over 8 MB are refused" in out
    # Odd file names are printed escaped, on one line each.
    assert "name-\\u241b]0;PWNED-NAME\\u2407.md:" in out
    assert "name-\\ufffd2J-c1-\\ufffd-rlo.md:" in out
    assert "\x1b" not in out and "PWNED-SYMLINK" not in out
    summary = done.stderr.decode()
    assert re.search(r"\d+ brief\(s\) checked, \d+ valid, \d+ with errors", summary)


def test_validate_with_a_utf8_terminal_prints_control_pictures(tmp_path):
    folder = tmp_path / "f"
    folder.mkdir()
    bad = os.path.join(os.fsencode(folder), b"bad-\xe9-\x1b]0;PWNED\x07.md")
    with open(bad, "wb") as fh:
        fh.write(b"---\ntitle: x\n---\n\x1b]0;PWNED\x07\n")
    done = run(["validate", str(folder)], env={"PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode("utf-8")
    assert f"bad-\\xe9-\u241b]0;PWNED\u2407.md:4:1: warning: control character U+001B" in out
    assert not UNSAFE_BYTES.search(done.stdout)


def test_facts_json_is_valid_and_inert_for_every_valid_fixture(capsysbinary):
    for name in OK:
        assert cli_main(["facts", "--json", str(HOSTILE / name)]) == 0, name
        out, err = capsysbinary.readouterr()
        assert not UNSAFE_BYTES.search(out), name
        assert json.loads(out)["title"] == load_brief(HOSTILE / name).meta.title
    for name in ("markup_error.md", "binary.md", "escapes_yaml_error.md"):
        assert cli_main(["facts", str(HOSTILE / name)]) == 1
        out, err = capsysbinary.readouterr()
        assert err and not UNSAFE_BYTES.search(err), err


def test_facts_table_prints_markup_literally(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    assert cli_main(["facts", str(HOSTILE / "markup.md")]) == 0
    out = capsys.readouterr().out
    assert "[bold]Evil[/bold] [@click=app.quit]Leader[/]" in out
    assert "[link=https://evil.example/PWNED-MARKUP]role[/link]" in out
    assert "\x1b" not in out


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_export_command_of_hostile_briefs(capsysbinary, fmt):
    for name in ("escapes_body.md", "markup.md", "escapes_yaml.md"):
        assert cli_main(["export", str(HOSTILE / name), "--format", fmt]) == 0
        out, err = capsysbinary.readouterr()
        assert out and not UNSAFE_BYTES.search(out), (name, fmt)
    assert cli_main(["export", str(HOSTILE / "markup_error.md"), "--format", fmt]) == 1
    out, err = capsysbinary.readouterr()
    assert b"unclosed" in err and not out


# ---------------------------------------------------------------------------- exports

HOSTILE_NOTES = [
    '[bold red]note[/] [@click=app.quit]x[/]',
    '"]{.leader ref=x} \\ " \' {.highlight}',
    "line one\nline two\r\n\tthree",
    "\x1b]0;PWNED-NOTE\x07 \x9b2J \u202e",
    "</aside><script>alert(1)</script><!--",
    "&amp; &lt; &#x3C; ]]> -->",
    "javascript:alert(1)",
    "lone \ud800 surrogate",
]


def hostile_highlights(brief) -> list[Highlight]:
    """Highlights with hostile notes over the brief, plus an orphan with a hostile quote."""
    n = len(brief.text)
    out = []
    if n >= 2:
        step = max(1, n // 6)
        for i, start in enumerate(range(0, n - 1, step)):
            end = min(n, start + max(1, step // 2))
            out.append(Highlight(id=f"h{i}", path=brief.path, start=start, end=end, exact=brief.text[start:end],
                                 prefix="", suffix="", text_hash="", note=HOSTILE_NOTES[i % len(HOSTILE_NOTES)],
                                 created="2024-01-01T00:00:00Z", updated="2024-01-01T00:00:00Z"))
    out.append(Highlight(id="orphan", path=brief.path, start=0, end=0, exact="gone \x1b]0;PWNED\x07 <script>x</script>",
                         prefix="", suffix="", text_hash="", note="orphan [b]note[/b]", created="", updated="",
                         orphan=True))
    return out


@pytest.mark.parametrize("name", OK)
@pytest.mark.parametrize("digest", [False, True])
def test_html_export_of_every_valid_fixture_is_inert(name, digest):
    brief = load_brief(HOSTILE / name)
    page = export_html(brief, hostile_highlights(brief), highlights_only=digest)
    assert_html_inert(page)
    if name == "html_injection.md" and not digest:
        text = "".join(assert_html_inert(export_html(brief, [])).data)
        assert "<script>alert(\"PWNED\")</script>" in text  # shown, as text
        assert "<script>alert('PWNED')</script>" in text  # the title


def test_html_export_links_only_http():
    brief = load_brief(HOSTILE / "html_injection.md")
    page = export_html(brief, [])
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert hrefs and all(h.startswith(("http://", "https://")) for h in hrefs)
    assert "https://example.org/auto" in hrefs
    assert not any("javascript" in h or "data:" in h or "vbscript" in h or "file:" in h for h in hrefs)
    # The front matter url has quotes in it: it is not a link, only escaped text.
    assert "https://example.org/&quot;&gt;&lt;script&gt;" in page


@pytest.mark.parametrize("name", OK)
def test_json_export_of_every_valid_fixture_is_valid_and_inert(name):
    brief = load_brief(HOSTILE / name)
    for digest in (False, True):
        text = export_json(brief, hostile_highlights(brief), highlights_only=digest)
        assert not UNSAFE.search(text)
        data = json.loads(text)
        assert data["title"] == brief.meta.title
        if not digest:
            assert data["text"] == brief.text
        notes = [a["note"] for a in data["highlights"] if a["note"]]
        assert any("PWNED-NOTE" in n for n in notes) or len(brief.text) < 2


@pytest.mark.parametrize("name", OK)
def test_markdown_export_of_every_valid_fixture_stays_inert(name):
    brief = load_brief(HOSTILE / name)
    highlights = hostile_highlights(brief)
    full = export_markdown(brief, highlights)
    assert not UNSAFE.search(full)
    again = parse_brief(full, "again.md")
    assert again.text == brief.text  # the notes added nothing to the text
    assert again.meta == brief.meta
    for mark in again.marks:
        assert mark.note is None or not UNSAFE.search(mark.note)
    assert len(again.mentions) == len(brief.mentions)  # no new mention from a note
    digest = export_markdown(brief, highlights, highlights_only=True)
    assert not UNSAFE.search(digest)
    parsed = parse_brief(digest, "digest.md")  # a valid brief, whatever the notes hold
    assert parsed.meta.title == " ".join(brief.meta.title.split()) or parsed.meta.title == brief.meta.title
    assert not parsed.mentions
    assert "[@click=app.quit]" in parsed.text or name != "markup.md"


def test_export_dispatch_with_every_format_never_raises_on_hostile_input():
    for name in OK:
        brief = load_brief(HOSTILE / name)
        for fmt in ("md", "html", "json"):
            for digest in (False, True):
                out = export(brief, hostile_highlights(brief), fmt, digest)
                out.encode("utf-8")  # writable as UTF-8: no lone surrogate


# ---------------------------------------------------------------------------- the store


@pytest.fixture
def pact(tmp_path):
    path = tmp_path / "pact.md"
    path.write_bytes(mf.SMALL["lf.md"])
    return load_brief(path)


def test_notes_with_escapes_are_stored_inert(pact):
    with Store.open() as st:
        h = st.add_highlight(pact, 0, 5, note="\x1b]0;PWNED\x07 [bold]x[/] \u202e")
        assert h.note == "\u241b]0;PWNED\u2407 [bold]x[/] \ufffd"
        st.set_note(h.id, "\x9b2J \ud800")
        assert st.get_highlight(h.id).note == "\ufffd2J ?"


def test_a_brief_whose_path_is_not_utf8_keeps_its_highlights_and_state(tmp_path):
    raw = os.path.join(os.fsencode(tmp_path), b"caf\xe9-\xff.md")
    with open(raw, "wb") as fh:
        fh.write(mf.SMALL["lf.md"])
    brief = load_brief(os.fsdecode(raw))
    with Store.open() as st:  # SQLite text cannot hold the undecodable bytes: never a crash
        h = st.add_highlight(brief, 0, 5, note="n")
        st.set_read(brief.path, True)
        st.set_position(brief.path, 3)
    with Store.open() as st:
        assert [x.id for x in st.highlights(brief)] == [h.id]
        assert st.get_state(brief.path) == (True, 3)
        assert st.count(brief.path) == 1


def test_a_tampered_database_cannot_reach_the_screen(pact, tmp_path):
    with Store.open() as st:
        h = st.add_highlight(pact, 0, 5)
        db = st.db_path
    conn = sqlite3.connect(db)
    conn.execute("UPDATE highlights SET note = ?, exact = ? WHERE id = ?", ("\x1b]52;c;x\x07", "\x1b[2J", h.id))
    conn.commit()
    conn.close()
    with Store.open() as st:
        (got,) = st.highlights(pact, update=False)
        assert not UNSAFE.search(got.note) and not UNSAFE.search(got.exact)


def test_a_data_dir_that_is_a_file_gives_a_working_store_in_memory(tmp_path, pact, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(blocker))
    with Store.open() as st:
        assert st.in_memory and "cannot" in st.problem
        st.add_highlight(pact, 0, 5)
        assert st.count() == 1
    index = Index.open()  # the index falls back on a temporary folder, and says so
    try:
        assert index.notices and "cannot write the index" in index.notices[0]
        index.refresh([pact.path])
        assert [e.title for e in index.entries([pact.path])] == ["Line endings"]
    finally:
        index.close()


def test_a_read_only_data_dir_gives_a_working_store_in_memory(tmp_path, pact, monkeypatch):
    # As root, a read-only folder is still writable: the refusal is simulated where SQLite sees it.
    with Store.open() as st:
        saved = st.add_highlight(pact, 0, 5, note="kept")

    def readonly(db):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    with monkeypatch.context() as m:
        m.setattr(store_mod, "_open_file", readonly)
        with Store.open() as st:
            assert st.in_memory and "read-only" in st.problem
            assert [h.note for h in st.highlights(pact)] == ["kept"]  # what was saved is still there
    with Store.open() as st:
        assert st.get_highlight(saved.id) is not None


LOCKER = r"""
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO briefs(path, updated) VALUES('locker', 'now')")
print("locked", flush=True)
sys.stdin.read()  # hold the write transaction until the test closes our stdin
conn.execute("ROLLBACK")
"""


def hold_write_lock(db: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", LOCKER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_a_store_locked_by_another_process_still_opens(pact, monkeypatch):
    with Store.open() as st:
        saved = st.add_highlight(pact, 0, 5, note="before")
        db = st.db_path
    monkeypatch.setattr(store_mod, "BUSY_TIMEOUT_MS", 200)
    locker = hold_write_lock(db)
    try:
        t = time.perf_counter()
        with Store.open() as st:
            assert time.perf_counter() - t < 3
            assert st.in_memory and "another program keeps it locked" in st.problem
            assert [h.id for h in st.highlights(pact)] == [saved.id]  # read while locked
            st.add_highlight(pact, 6, 9)  # kept in memory
    finally:
        locker.stdin.close()
        locker.wait(timeout=10)
    with Store.open() as st:
        assert not st.in_memory and st.get_highlight(saved.id).note == "before"


@pytest.mark.parametrize("damage", ["garbage", "truncated", "zeroed-header"])
def test_a_corrupt_store_is_moved_aside_never_deleted(pact, damage):
    with Store.open() as st:
        st.add_highlight(pact, 0, 5)
        db = st.db_path
    raw = db.read_bytes()
    for side in ("-wal", "-shm"):
        Path(str(db) + side).unlink(missing_ok=True)
    bad = {"garbage": b"\x1b]0;PWNED\x07 not a database" * 100, "truncated": raw[:1500],
           "zeroed-header": b"\x00" * 100 + raw[100:]}[damage]
    db.write_bytes(bad)
    with Store.open() as st:
        assert not st.in_memory, st.problem
        assert st.count() == 0
        assert st.problem and "kept as briefing.db.corrupt-" in st.problem
    kept = [p for p in db.parent.iterdir() if p.name.startswith(DB_NAME + ".corrupt-") and "-wal" not in p.name
            and "-shm" not in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == bad


def test_a_corrupt_index_is_moved_aside_and_rebuilt(tmp_path):
    data = Path(os.environ["BRIEFING_DATA_DIR"])
    data.mkdir(parents=True)
    bad = b"SQLite format 3\x00" + b"\xff" * 4000
    (data / "index.db").write_bytes(bad)
    index = Index.open()
    try:
        assert index.moved_aside and index.moved_aside[0].read_bytes() == bad
        assert "moved aside" in index.notices[0]
        index.refresh([HOSTILE])
        assert len(index.entries([HOSTILE])) == len(mf.SMALL)
    finally:
        index.close()


# ---------------------------------------------------------------------------- the index


def test_the_index_lists_every_hostile_brief_with_inert_titles(tmp_path):
    folder = mf.hostile_folder(tmp_path / "hostile", big=False, outside=tmp_path / "outside")
    index = Index.open()
    try:
        stats = index.refresh([folder], workers=0)
        entries = index.entries([folder])
        by_name = {e.path.name: e for e in entries}
        # every fixture but the two big ones, plus the oversize one and the symlink
        assert stats.files == len(entries) == len(mf.SMALL) + len(mf.GENERATED) - 2 + 1 + len(mf.ODD_NAMES) + 1
        for e in entries:
            assert not UNSAFE.search(e.title), e
            assert e.status in ("ok", "error")
            e.published, e.error_count, e.warning_count, e.size  # every field decodes
        assert by_name["link-outside.md"].first_error == "1:1: symlink leads outside the opened folder (not followed)"
        not_utf8 = [e for e in entries if "not-utf8" in e.title]
        assert len(not_utf8) == 1 and not_utf8[0].first_error == f"1:1: {NOT_UTF8_NAME}"
        seps = [e for e in entries if "separators" in e.title]
        assert seps[0].title == "name-\u241e\u241f-separators.md" and seps[0].error_count == 1
        assert by_name["markup.md"].title == mf.MARKUP_TITLE
        for query in ('"', "*", "NEAR(", "^x", "-", "title:x", "a OR", "[bold]", "\x1b]0;", "PWNED", "'", "(", ")"):
            index.search(query, [folder])  # never an exception
        assert by_name["binary.md"].status == "error"
        assert not any("PWNED-SYMLINK" in e.title for e in entries)
        # A second refresh finds nothing new or gone, odd names included (a file that could
        # not be read, just written, may be looked at again: nothing vouches for it).
        again = index.refresh([folder], workers=0)
        assert again.added == again.removed == 0
        assert index.entries([folder]) == entries
    finally:
        index.close()


def test_an_index_locked_by_another_briefing_is_waited_for(tmp_path):
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "a.md").write_bytes(mf.SMALL["lf.md"])
    with Index.open() as first:
        first.refresh([folder], workers=0)
        db = first.db_path
    locker = subprocess.Popen([sys.executable, "-c", LOCKER.replace("INSERT INTO briefs(path, updated) VALUES('locker', 'now')",
                                                                    "CREATE TABLE lock_probe(x)"), str(db)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert locker.stdout.readline().strip() == "locked"
        (folder / "b.md").write_bytes(mf.SMALL["crlf.md"])
        with Index.open() as second:
            assert [e.path.name for e in second.entries([folder])] == ["a.md"]  # reading is never blocked
            release = __import__("threading").Timer(0.5, locker.stdin.close)
            release.start()
            t = time.perf_counter()
            stats = second.refresh([folder], workers=0)  # waits for the other writer, then writes
            assert time.perf_counter() - t >= 0.3 and stats.added == 1
            release.join()
    finally:
        if not locker.stdin.closed:
            locker.stdin.close()
        locker.wait(timeout=10)


def test_the_index_forgets_a_file_that_vanished(tmp_path):
    folder = tmp_path / "f"
    folder.mkdir()
    for name in ("lf.md", "crlf.md"):
        (folder / name).write_bytes(mf.SMALL[name])
    odd = os.fsdecode(os.path.join(os.fsencode(folder), b"odd-\xe9.md"))
    with open(odd, "wb") as fh:
        fh.write(mf.SMALL["lf.md"])
    with Index.open() as index:
        index.refresh([folder], workers=0)
        assert len(index.entries([folder])) == 3
        (folder / "crlf.md").unlink()
        stats = index.refresh([folder], workers=0)
        assert stats.removed == 1 and len(index.entries([folder])) == 2
        os.unlink(odd)  # as the watcher reports it: by its real (undecodable) name
        changes = index.refresh_paths([odd])
        assert [c.kind for c in changes] == ["removed"]
        assert [e.path.name for e in index.entries([folder])] == ["lf.md"]
        assert index.get(odd) is None and index.problems_for(odd) == []


def test_terminal_line_shows_odd_names_escaped():
    name = os.fsdecode(b"a\xe9\xff\x1b]0;x\x07\n\t\xe2\x80\xae.md")
    assert terminal_line(name) == "a\\xe9\\xff\u241b]0;x\u2407\u240a\u2409\ufffd.md"
    assert terminal_line("lone \ud800") == "lone \ufffd"


_TRICKY = "\t\n\r\x00\x1b\x7f\x85\u00a0\u00ad\u034f\u115f\u200b\u202e\u2028\u3000\u3164\ufe0f\ufeff\uffa0\ud800\U000e0001\U000e0100é“”ğ中😀"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from(_TRICKY), st.sampled_from("ab .,\n")), max_size=40))
def test_is_safe_is_the_rule_of_each_character(text):
    # is_safe looks only at what is left once printable ASCII, newlines and tabs are taken out
    # of the text's UTF-8: it must still answer for every character, lone surrogates too.
    from briefing.core.sanitize import is_safe, is_unsafe_char

    assert is_safe(text) == (not any(is_unsafe_char(ch) for ch in text))
    assert is_safe(text * 300 + "x") == is_safe(text)  # (a brief's length: the same answer)


def test_is_safe_on_every_ascii_character_and_each_unsafe_one_within_plain_text():
    from briefing.core.sanitize import is_safe, is_unsafe_char

    for code in range(0x80):
        ch = chr(code)
        assert is_safe(f"plain {ch} text") == (ch in "\t\n" or 0x20 <= code < 0x7F)
    for ch in _TRICKY:
        assert is_safe("é" * 50 + ch + "x" * 50) == (not is_unsafe_char(ch))
