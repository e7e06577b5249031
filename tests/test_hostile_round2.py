"""Issue 15, the second hostile-input pass: each reproduction as a regression test.

Complexity is tested by counting operations (string comparisons, problems built), never
by timing: the machine is shared. bench/bench_hostile.py measures the times.
"""

from __future__ import annotations

import json
import os
import sys
import unicodedata

import pytest

from bench import hostile_shapes as shapes
from briefing.cli import main as cli_main
from briefing.core import markdown
from briefing.core.markdown import blocks as markdown_blocks
from briefing.core.markdown import inline as markdown_inline
from briefing.core.facts import compute_facts
from briefing.core.limits import MAX_PROBLEMS
from briefing.core.parser import parse_brief
from briefing.core.problems import BriefError
from briefing.core.sanitize import is_safe, json_inert, sanitise
from briefing.index import fast


class CountingStr(str):
    """A str that counts how often it is compared for equality (a list membership test
    compares with every element; a set lookup does not)."""

    compares = 0

    def __eq__(self, other):
        CountingStr.compares += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


# ---------------------------------------------------------------------------- 1. facts


def _refs_brief(n: int) -> str:
    head = shapes.HEAD.replace("---\n\n", "entities:\n  k:\n    type: leader\n    name: K\n---\n\n")
    return head + "".join(f"[k{i}]{{.leader ref=k}} " for i in range(n)) + "\n"


def test_facts_of_one_entity_with_many_different_texts_compare_linearly():
    # 80,000 mentions of one entity, each a different text, took 205 s (a list membership test)
    n = 4000
    brief = parse_brief(_refs_brief(n))
    for m in brief.mentions:
        m.__dict__["text"] = CountingStr(m.text)
    CountingStr.compares = 0
    facts = compute_facts(brief)
    (leader,) = facts["leader"]
    assert len(leader.texts) == n and leader.mentions == n
    assert CountingStr.compares < 4 * n  # was n * n / 2


def test_index_fast_path_facts_compare_linearly(monkeypatch):
    n = 4000
    text = _refs_brief(n)
    monkeypatch.setattr(fast, "_MENTIONS", {f"k{i}": CountingStr(f"k{i}") for i in range(n)})
    CountingStr.compares = 0
    fields = fast._extract(text.encode())
    assert CountingStr.compares < 4 * n  # was n * n / 2
    assert all(f"k{i}" in fields[-1] for i in (0, n // 2, n - 1))  # every text is a search word


def test_many_aliases_used_once_each():
    brief = parse_brief(shapes.facts_aliases(60_000))
    (leader,) = brief.facts["leader"]
    assert leader.mentions == len(leader.texts) == 1000


# ---------------------------------------------------------------------------- 2. problem caps


def _count_issues(monkeypatch) -> list:
    made = []
    real = markdown.BodyIssue

    def counting(*args, **kwargs):
        made.append(args)
        return real(*args, **kwargs)

    # (patched where problems are made: the block reader and the inline parser, spans included)
    for module in (markdown_blocks, markdown_inline):
        monkeypatch.setattr(module, "BodyIssue", counting)
    return made


@pytest.mark.parametrize("shape", ["close_brace", "open_close_brace"])
def test_a_body_of_errors_stops_after_the_cap(shape, monkeypatch):
    # 1 MB of ']{' made 500,000 problems: 15.5 s and 912 MB, then 500,000 index rows
    made = _count_issues(monkeypatch)
    with pytest.raises(BriefError) as exc:
        parse_brief(getattr(shapes, shape)(200_000))
    problems = exc.value.problems
    assert len(problems) == MAX_PROBLEMS + 1
    assert "stopped checking here after 100 errors" in problems[-1].message
    assert problems[-1].line == problems[-2].line == 6 and problems[-1].col > problems[-2].col
    assert MAX_PROBLEMS <= len(made) <= MAX_PROBLEMS + 1  # reading stopped: no work on the other ~99,900


def test_validate_prints_the_first_problems_then_the_rest_counted(tmp_path, capsys):
    spans = "".join(f"[x{i}]{{.region odd{i}=1}} " for i in range(500))  # 500 warnings, no error
    path = tmp_path / "w.md"
    path.write_text(shapes.HEAD + spans + "\n", encoding="utf-8")
    assert cli_main(["validate", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == MAX_PROBLEMS + 1
    assert lines[-1].endswith("warning: and 400 more problems not listed (400 warnings)")
    brief = parse_brief(path.read_bytes())
    assert len(brief.warnings) == MAX_PROBLEMS + 1  # what the index stores, too


def test_errors_past_the_cap_are_counted_by_kind():
    text = shapes.HEAD + "".join(f"[x]{{.leader ref=nobody{i}}} " for i in range(300)) + "\n"
    with pytest.raises(BriefError) as exc:
        parse_brief(text)
    assert len(exc.value.problems) == MAX_PROBLEMS + 1
    assert exc.value.problems[-1].message == "and 200 more problems not listed (200 errors)"


def test_warnings_about_characters_are_counted_without_a_list_of_them():
    brief = parse_brief(shapes.HEAD + "a\u200b" * 100_000 + "\n")
    assert sum("more invisible" in w.message for w in brief.warnings) == 1
    assert any("99980 more invisible" in w.message for w in brief.warnings)


# ---------------------------------------------------------------------------- 10. invisible characters

# Default_Ignorable_Code_Point, from the Unicode Character Database (DerivedCoreProperties.txt,
# Unicode 15.1), written out here as the oracle the sanitiser is checked against.
DEFAULT_IGNORABLE = [
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
]
# What the issue found passing the old sanitiser.
ISSUE_LIST = [*range(0xE0000, 0xE0080), 0x2065, *range(0x206A, 0x2070), 0x00AD, 0x034F, 0x115F, 0x1160, 0x3164,
              0xFFA0, *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0), *range(0xFFF9, 0xFFFC), *range(0x180B, 0x1810),
              0x17B4, 0x17B5, *range(0x1BCA0, 0x1BCA4), *range(0x1D173, 0x1D17B)]


def _expected_unsafe(code: int) -> bool | None:
    """By Python's own Unicode tables and the list above; None where Python's tables are
    older than the sanitiser's (a code point unassigned in one, assigned in the other)."""
    if code in (0x09, 0x0A):
        return False
    cat = unicodedata.category(chr(code))
    if cat in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp"):
        return True
    if any(a <= code <= b for a, b in DEFAULT_IGNORABLE):
        return True
    if cat == "Cn":
        return True if (code & 0xFFFE) == 0xFFFE or 0xFDD0 <= code <= 0xFDEF else None
    return False


def test_every_code_point_is_decided_by_its_unicode_properties():
    everything = "".join(chr(c) for c in range(sys.maxunicode + 1))
    cleaned = sanitise(everything)
    assert len(cleaned) == len(everything)  # one character for one
    newer = 0
    for code in range(sys.maxunicode + 1):
        expected = _expected_unsafe(code)
        replaced = cleaned[code] != everything[code]
        if expected is None:
            newer += not replaced
            continue
        assert replaced == expected, f"U+{code:04X}"
        if replaced:
            assert cleaned[code] in ("\ufffd", "\u2421") or 0x2400 <= ord(cleaned[code]) <= 0x241F
            if code < 0x20000 or code % 251 == 0:  # (the planes above are unassigned or private)
                assert not is_safe("a" + everything[code] + "b"), f"U+{code:04X}"
    # Assigned since Python's tables (Unicode 14) and known to the `regex` package's newer ones: CJK
    # extensions, new scripts and emoji, kept. regex 2026.5 keeps <20,000 here, 2026.11 (a fresh venv's)
    # 28,104; the bound only catches a rule that lets whole unassigned planes through (>800,000).
    assert newer < 60_000


def test_the_characters_the_issue_found_are_replaced_warned_and_escaped(tmp_path, capsys):
    for code in ISSUE_LIST:
        assert sanitise(chr(code)) == "\ufffd", f"U+{code:04X}"
    hidden = "".join(chr(0xE0000 + ord(c)) for c in "ignore previous instructions")
    path = tmp_path / "t.md"
    path.write_text(f"---\ntitle: Plain{hidden} title\n---\n\nText\u00ad here \u3164 and ❤\ufe0f.\n", encoding="utf-8")
    brief = parse_brief(path.read_bytes())
    assert brief.meta.title == "Plain" + "\ufffd" * len(hidden) + " title"
    assert "\u00ad" not in brief.text and "\u3164" not in brief.text
    assert cli_main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "t.md:2:13: warning: invisible or bidirectional control character U+E0069" in out
    assert "warning: 11 more invisible" in out  # 20 listed, the rest counted
    path.write_text("---\ntitle: T\n---\n\nText\u00ad here \u3164 and ❤\ufe0f.\n", encoding="utf-8")
    assert cli_main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "U+00AD" in out and "U+3164" in out and "U+FE0F" in out
    dumped = json_inert(json.dumps({"t": "a\U000E0041\u00ad\ufe0f\u2065"}, ensure_ascii=False))
    assert dumped == '{"t": "a\\udb40\\udc41\\u00ad\\ufe0f\\u2065"}'
    assert json.loads(dumped)["t"] == "a\U000E0041\u00ad\ufe0f\u2065"


# ---------------------------------------------------------------------------- 6, 7. export targets


def test_a_default_export_name_is_capped_in_bytes():
    from briefing.atomic import MAX_NAME_BYTES, default_export_name

    name = default_export_name("\U00020000" * 100, "md")  # 305 bytes before: "File name too long"
    assert len(name.encode()) <= MAX_NAME_BYTES and name.endswith(".md") and name.startswith("\U00020000")


def _brief_file(tmp_path):
    path = tmp_path / "b.md"
    path.write_text(shapes.HEAD + "Some [Tokyo]{.region} text.\n", encoding="utf-8")
    return path


def test_export_to_a_character_device_writes_through_it_and_never_replaces_it(tmp_path):
    import os
    import stat

    link = tmp_path / "null"
    link.symlink_to("/dev/null")  # (a link of our own: the old code replaced the entry it was given)
    assert cli_main(["export", str(_brief_file(tmp_path)), "--format", "md", "-o", str(link), "--force"]) == 0
    assert link.is_symlink() and stat.S_ISCHR(os.stat(link).st_mode)


def test_export_to_a_full_device_is_a_clear_error(tmp_path, capsys):
    import os
    import stat

    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    link = tmp_path / "full"
    link.symlink_to("/dev/full")
    assert cli_main(["export", str(_brief_file(tmp_path)), "--format", "md", "-o", str(link), "--force"]) == 1
    assert "cannot write: No space left on device" in capsys.readouterr().err
    assert link.is_symlink() and stat.S_ISCHR(os.stat(link).st_mode)


def test_export_to_dev_stdout_goes_to_standard_output(tmp_path):
    import os
    import subprocess

    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")  # what /dev/stdout is, in a folder of our own
    env = {**os.environ, "BRIEFING_DATA_DIR": str(tmp_path / "data")}
    run = subprocess.run([sys.executable, "-m", "briefing", "export", str(_brief_file(tmp_path)), "--format", "md", "-o", str(link),
                          "--force"], capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "Some Tokyo text." in run.stdout or "Some [Tokyo]" in run.stdout
    assert link.is_symlink()


def test_export_to_a_fifo_nobody_reads_fails_at_once(tmp_path, capsys):
    import os

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert cli_main(["export", str(_brief_file(tmp_path)), "--format", "md", "-o", str(fifo), "--force"]) == 1
    assert "a pipe that no process is reading" in capsys.readouterr().err
    assert not fifo.is_file()


def test_export_to_a_socket_is_refused(tmp_path, capsys):
    import socket

    path = tmp_path / "sock"
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(path))
    try:
        assert cli_main(["export", str(_brief_file(tmp_path)), "--format", "md", "-o", str(path), "--force"]) == 1
        assert "is not a regular file" in capsys.readouterr().err
        assert path.is_socket()
    finally:
        s.close()


# ---------------------------------------------------------------------------- 8. fallback folder


def test_the_fallback_data_folder_is_private_even_if_someone_made_it_first(tmp_path, monkeypatch):
    import os
    import stat
    import tempfile

    from briefing.index import Index

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    planted = tmp_path / f"briefing-{os.getuid()}"
    planted.mkdir()
    os.chmod(planted, 0o777)  # another user's, waiting for our index
    blocked = tmp_path / "file"
    blocked.write_text("x")
    index = Index.open(blocked / "data")  # a folder under a file: cannot be made
    try:
        folder = index.db_path.parent
        st = os.lstat(folder)
        assert folder != planted and stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid()
        assert stat.S_IMODE(st.st_mode) == 0o700
        assert any("cannot write the index" in n for n in index.notices)
    finally:
        index.close()


def test_the_fallback_data_folder_is_made_private(tmp_path, monkeypatch):
    import os
    import stat
    import tempfile

    from briefing.paths import private_fallback_dir

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    folder = private_fallback_dir()
    assert folder == tmp_path / f"briefing-{os.getuid()}"
    assert stat.S_IMODE(os.lstat(folder).st_mode) == 0o700
    assert private_fallback_dir() == folder  # ours: reused
    folder.rmdir()
    folder.symlink_to(tmp_path)  # a link is never taken for the folder
    assert private_fallback_dir() != folder


# ---------------------------------------------------------------------------- 3. parsing ordinary text


def _count_nodes(monkeypatch) -> list:
    made = [0]
    real_init = markdown._Node.__init__

    def counting(self, *args, **kwargs):
        made[0] += 1
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(markdown._Node, "__init__", counting)
    return made


@pytest.mark.parametrize("shape", ["plain_brackets", "underscores"])
def test_text_that_only_looks_like_markup_makes_no_nodes(shape, monkeypatch):
    made = _count_nodes(monkeypatch)
    brief = parse_brief(getattr(shapes, shape)(100_000))
    assert made[0] < 10  # was one to three per '[a] ' or '_a_b' (50,000 and more)
    assert brief.text.startswith("[a] [a] " if shape == "plain_brackets" else "_a_b_a_b")


@pytest.mark.parametrize("shape", ["emphasis_runs", "link_opens", "plain_brackets", "underscores", "valid_spans",
                                   "valid_emphasis", "valid_links", "nested_brackets", "one_paragraph_spans",
                                   "close_brace", "open_close_brace"])
def test_parsing_work_grows_linearly(shape, monkeypatch):
    made = _count_nodes(monkeypatch)
    counts = []
    for size in (50_000, 200_000):
        made[0] = 0
        try:
            parse_brief(getattr(shapes, shape)(size))
        except BriefError:
            pass
        counts.append(made[0])
    assert counts[1] <= 4.2 * counts[0] + 200, counts


# ---------------------------------------------------------------------------- 4. export


def test_markdown_export_work_is_linear_in_highlights(monkeypatch):
    from briefing import export as export_mod
    from briefing.core.anchor import Highlight, make_quote, text_hash
    from briefing.export import insert as insert_mod  # where highlights are placed in the source

    reads = [0]

    class CountingUnit(insert_mod._Unit):
        def __getattribute__(self, name):
            if name in ("start", "end"):
                reads[0] += 1
            return object.__getattribute__(self, name)

    monkeypatch.setattr(insert_mod, "_Unit", CountingUnit)
    n = 300
    text, spans = shapes.highlighted_paragraph(n)
    brief = parse_brief(text)
    th = text_hash(brief.text)
    highlights = []
    for i, (s, e) in enumerate(spans):
        q = make_quote(brief.text, s, e)
        highlights.append(Highlight(id=str(i), path="x", start=s, end=e, exact=q.exact, prefix=q.prefix,
                                    suffix=q.suffix, text_hash=th))
    out = export_mod.export_markdown(brief, highlights)
    assert out.count("{.highlight}") == n
    assert 0 < reads[0] < 60 * n  # was ~n * units * 2 (540,000 here); 0: the count missed the units


# ---------------------------------------------------------------------------- 5. search lines, config files


def test_a_long_search_line_is_capped_and_repeats_count_once():
    from briefing.index.search import MAX_QUERY_TERMS, fts_query

    many = fts_query(" ".join(f"word{i}" for i in range(800)))
    assert many.count(" AND ") == MAX_QUERY_TERMS - 1  # was 799
    assert fts_query("china " * 100 + "China trade") == '"china" AND "trade" *'
    assert len(fts_query("x" * 5000)) < 1100  # cut at MAX_QUERY_CHARS
    assert fts_query("a -x -x -X b") == '("a" AND "b") NOT ("x")'


def test_a_huge_keymap_is_refused_before_it_is_read(tmp_path):
    from briefing.keymap import load_keymap
    from briefing.paths import MAX_CONFIG_BYTES

    path = tmp_path / "keymap.toml"
    path.write_text("[keys]\n" + "# padding\n" * (MAX_CONFIG_BYTES // 10 + 10))
    keys, problem = load_keymap(path)
    assert keys == {} and "over the" in problem and "KB" in problem


def test_a_fifo_in_place_of_the_keymap_does_not_block(tmp_path):
    import os

    from briefing.keymap import load_keymap

    path = tmp_path / "keymap.toml"
    os.mkfifo(path)
    keys, problem = load_keymap(path)  # (a blocking open or read would hang here)
    assert keys == {} and "not a regular file" in problem


def test_keymap_values_must_be_key_names_and_ids_must_exist(tmp_path):
    from briefing.keymap import load_keymap
    from tests.hostile.checks import UNSAFE

    path = tmp_path / "keymap.toml"
    path.write_text('[keys]\n"list.sort" = "\\u001b]0;K\\u0007"\n"app.export" = "\\u009b31m"\n'
                    '"pane.highlight" = "H"\n"app.help" = "f2,ctrl+shift+h,é"\n"no.such\\u001b[2J" = "x"\n',
                    encoding="utf-8")
    keys, problem = load_keymap(path, known_ids={"list.sort", "app.export", "pane.highlight", "app.help"})
    assert keys == {"pane.highlight": "H", "app.help": "f2,ctrl+shift+h,é"}
    assert "'list.sort'" in problem and "'app.export'" in problem and "unknown binding ids" in problem
    assert not UNSAFE.search(problem)


def test_every_binding_id_is_known_to_the_keymap_check():
    from briefing.ui.keymap_ids import binding_ids

    ids = binding_ids()
    assert {"app.quit", "app.export", "list.sort", "pane.highlight", "facts.filter"} <= ids


# ---------------------------------------------------------------------------- 9. a tampered index


def test_rows_of_a_tampered_index_are_sanitised(tmp_path):
    import sqlite3

    from briefing.index import Index
    from tests.hostile.checks import UNSAFE, strings

    folder = tmp_path / "briefs"
    folder.mkdir()
    (folder / "a.md").write_text("---\ntitle: Port deal\nsource: Wire\ntags: [trade]\nentities:\n"
                                 "  k:\n    type: leader\n    name: Kishida\n---\n\nThe [port]{.region} deal "
                                 "and [Kishida]{.leader ref=k} [x]{.region odd=1}.\n", encoding="utf-8")
    index = Index.open(tmp_path / "data", workers=0)
    try:
        index.refresh([folder])
        evil = "\x1b]2;PWNED\x07 \x9b31m \u202e \U000E0041"
        conn = sqlite3.connect(index.db_path)
        with conn:
            conn.execute("UPDATE briefs SET title = ?, source = ?", (evil, evil))  # (listing follows: generated)
            conn.execute("UPDATE details SET summary = ?, url = ?, problems = ?",
                         (evil, evil, f'[[1, 1, "warning", "{evil}"]]'.replace("\x1b", "\\u001b").replace("\x07", "\\u0007")))
            conn.execute("UPDATE facts SET label = ?", (evil,))
        conn.close()
        index.close()
        index = Index.open(tmp_path / "data", workers=0)
        path = folder / "a.md"
        (entry,) = index.entries([folder])
        seen = [entry.title, entry.source, *entry.tags, entry.first_error or ""]
        meta = index.meta_for(path)
        seen += [meta.title, meta.source, meta.url, meta.summary, *meta.tags] if meta else []
        seen += [s for row in (index.fact_labels_for(path) or []) for s in row]
        seen += [p.message for p in index.problems_for(path)]
        for hit in index.search("port", [folder]):
            seen += [hit.entry.title, hit.snippet]
        assert "\u241b]2;PWNED\u2407" in entry.title
        for s in strings(seen):
            assert not UNSAFE.search(s), repr(s)
    finally:
        index.close()


# ---------------------------------------------------------------------------- 12. a locked highlights database


def _exclusive(db):
    import sqlite3

    other = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    other.execute("PRAGMA locking_mode=EXCLUSIVE")
    other.execute("BEGIN IMMEDIATE")
    other.execute("CREATE TABLE IF NOT EXISTS other_program(x)")
    other.execute("COMMIT")  # the exclusive lock stays until the connection closes
    return other


def test_highlights_made_while_another_program_holds_the_store_are_never_lost(tmp_path):
    from briefing.store import DB_NAME, Store

    data = tmp_path / "data"
    brief = parse_brief(shapes.HEAD + "One two three four five six seven eight nine ten.\n", str(tmp_path / "b.md"))
    Store.open(data).close()
    other = _exclusive(data / DB_NAME)
    try:
        st = Store.open(data)
        made = [st.add_highlight(brief, 4 * i, 4 * i + 3) for i in range(4)]  # 4 'h' presses
        assert len(st.highlights(brief, update=False)) == 4 or st.in_memory
        st.close()  # quitting while it is still locked
    finally:
        other.close()
    assert not list(data.glob("*.corrupt*"))  # locked is never corrupt: nothing moved aside
    with Store.open(data) as st:
        assert {h.id for h in st.highlights(brief)} == {h.id for h in made}  # all 4 (was 3 rows for 4)
        assert st.count() == 4
    with Store.open(data) as st:  # taken up once, not twice
        assert st.count() == 4
        assert not list(data.glob("*.pending.jsonl"))


def test_a_store_locked_after_opening_keeps_changes_and_writes_them_on_the_next_call(tmp_path):
    from briefing.store import DB_NAME, Store

    data = tmp_path / "data"
    brief = parse_brief(shapes.HEAD + "One two three four five six seven eight nine ten.\n", str(tmp_path / "b.md"))
    with Store.open(data) as st:
        import sqlite3

        other = sqlite3.connect(data / DB_NAME, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")  # another program's write transaction, held
        try:
            kept = [st.add_highlight(brief, 4 * i, 4 * i + 3) for i in range(4)]
            assert st.pending == 4
            assert any("locked by another program" in n for n in st.take_notices())
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert st.flush_pending() == 4
        assert {h.id for h in st.highlights(brief)} == {h.id for h in kept}


# ---------------------------------------------------------------------------- 6, 9. the export dialog


def test_every_typed_export_path_error_is_a_message():
    from briefing.ui.screens.export import export_path_problem
    from tests.hostile.checks import UNSAFE

    assert export_path_problem("report.md") is None
    assert export_path_problem("~/report.md") is None
    assert "No user named 'nosuchuser-x'" in export_path_problem("~nosuchuser-x/x.md")  # was RuntimeError
    assert "too long" in export_path_problem("\U00020000" * 100 + ".md")  # was 'File name too long', a crash
    assert "NUL" in export_path_problem("a\0b.md")
    assert export_path_problem("") == "Give a file name"
    assert not UNSAFE.search(export_path_problem("~\x1b]0;X\x07/x.md"))


def test_the_export_dialog_never_shows_a_folder_name_raw(tmp_path):
    from briefing.ui.screens.export import ExportScreen

    evil = tmp_path / "dir\x1b]0;PWNED\x07"
    assert ExportScreen("Title", evil, 0)._default_path() == "title.md"  # the name alone: written in that folder
    assert ExportScreen("Title", tmp_path, 0)._default_path() == str(tmp_path / "title.md")
    long = ExportScreen("\U00020000" * 100, tmp_path, 0)._default_path()
    assert len(os.fsencode(os.path.basename(long))) <= 200


def test_the_views_and_the_palette_names_of_a_tampered_index_are_sanitised(tmp_path):
    """Red-team re-check of issue 15, item 9: the views across briefs (timeline, profile,
    related), the palette's "Profile: NAME" (facet) and the tags read the index's rows
    themselves; a published date, a label, a role or a country edited in index.db reached
    the terminal raw (the timeline's ``title · published`` line set the pane's title)."""
    import sqlite3

    from briefing.index import Index
    from briefing.views.profile import profile
    from briefing.views.related import related
    from briefing.views.scope import Scope
    from briefing.views.timeline import timeline
    from tests.hostile.checks import UNSAFE, strings

    folder = tmp_path / "briefs"
    folder.mkdir()
    for name, day in (("a.md", "2024-06-19"), ("b.md", "2022-04-21")):
        (folder / name).write_text(
            f"---\ntitle: Port deal {name}\npublished: {day}\ntags: [trade]\nentities:\n"
            "  k:\n    type: leader\n    name: Kishida\n    role: Prime Minister\n    country: Japan\n---\n\n"
            "On 3 May 2021 [Kishida]{.leader ref=k} met [Japan]{.region} officials.\n", encoding="utf-8")
    index = Index.open(tmp_path / "data", workers=0)
    try:
        index.refresh([folder])
        evil = "\x1b]2;PWNED\x07 \x9b31m \u202e \U000E0041"
        conn = sqlite3.connect(index.db_path)
        with conn:
            conn.execute("UPDATE briefs SET title = title || ?, published = published || ?", (evil, evil))
            conn.execute("UPDATE facts SET label = label || ?, role = ?, country = ?", (evil, evil, evil))
            conn.execute("UPDATE tags SET tag = tag || ?", (evil,))
        conn.close()
        index.close()
        index = Index.open(tmp_path / "data", workers=0)
        scope = Scope(roots=[folder])
        seen = [d.as_json() for d in timeline(index, scope)]
        p = profile(index, "Kishida", scope, contexts=10, company=8)
        seen += [p.as_json(), p.name, p.roles, p.countries, p.company, p.months, p.first_seen, p.last_seen]
        seen += [r.as_json() for r in related(index, str(folder / "a.md"), scope)]
        for kind in ("leader", "region", "date"):
            seen += index.facet([folder], kind)
        seen += index.tags([folder])
        assert any("\u241b]2;PWNED" in s for s in strings(seen))  # (the tampered rows were read)
        for s in strings(seen):
            assert not UNSAFE.search(s), repr(s)
    finally:
        index.close()


# ---------------------------------------------------------------------------- red-team re-check: other files in the data folder


def _returns_within(fn, seconds: float, fifo) -> tuple[bool, object]:
    """Run ``fn`` on a thread: (whether it returned within ``seconds``, its result). A call
    still blocked on opening ``fifo`` is let go (a writer opens it) so no thread is left."""
    import threading

    out = {}
    thread = threading.Thread(target=lambda: out.setdefault("r", fn()), daemon=True)
    thread.start()
    thread.join(seconds)
    blocked = thread.is_alive()
    if blocked:
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        thread.join(5)
    return not blocked, out.get("r")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_a_fifo_in_place_of_the_first_screen_file_does_not_block_the_start(tmp_path):
    """Issue 15, item 11's kind (red-team re-check): first-screen.json, read before the first
    frame, was opened with open(): a FIFO in its place hung the reader at start (a blank
    screen; q, ctrl+c did nothing)."""
    from briefing.session import first_screen

    brief = tmp_path / "a.md"
    brief.write_text(shapes.HEAD + "Text.\n", encoding="utf-8")
    fifo = tmp_path / first_screen.FILE_NAME
    os.mkfifo(fifo)
    returned, result = _returns_within(lambda: first_screen.load(fifo, str(brief)), 3, fifo)
    assert returned and result is None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_a_fifo_in_place_of_the_pending_changes_file_does_not_block_the_store(tmp_path):
    """The store reads briefing.db.pending.jsonl when it opens: a FIFO in its place hung
    Store.open (and the reader's start) for good."""
    from briefing import store_pending
    from briefing.store import DB_NAME, Store

    data = tmp_path / "data"
    Store.open(data).close()
    fifo = store_pending.path_of(data / DB_NAME)
    os.mkfifo(fifo)

    def open_close():
        store = Store.open(data)
        try:
            return store.count()
        finally:
            store.close()

    returned, result = _returns_within(open_close, 3, fifo)
    assert returned and result == 0


def test_pending_changes_read_back_from_their_file_are_sanitised(tmp_path):
    """A pending change is shown as if saved before it is written: its quote and note, read
    from a file in the data folder, are sanitised like rows read from the database."""
    from briefing import store_pending
    from briefing.core.anchor import make_quote, text_hash
    from briefing.store import DB_NAME
    from tests.hostile.checks import UNSAFE, strings

    evil = "\x1b]2;PWNED\x07 \x9b31m \u202e"
    brief = parse_brief(shapes.HEAD + "One two three four five.\n", str(tmp_path / "b.md"))
    q = make_quote(brief.text, 0, 3)
    change = ("add", {"id": "h1", "path": brief.path, "start": 0, "end": 3, "exact": q.exact + evil,
                      "prefix": evil, "suffix": evil, "text_hash": text_hash(brief.text), "note": evil,
                      "created": "2026-01-01T00:00:00", "updated": "2026-01-01T00:00:00"})
    db = tmp_path / DB_NAME
    store_pending.save(db, [change, ("note", "h1", evil)])
    loaded = store_pending.load(db)
    assert len(loaded) == 2
    seen = [loaded[0][1], loaded[1][2]]
    assert any("\u241b]2;PWNED" in s for s in strings(seen))
    for s in strings(seen):
        assert not UNSAFE.search(s), repr(s)


def test_a_tilde_that_names_no_user_is_a_path_as_written(tmp_path, monkeypatch, run_cli):
    """A brief named '~x.md' given on the command line, or BRIEFING_DATA_DIR /
    BRIEFING_CONFIG_DIR starting with '~nosuchuser', crashed the reader at start
    (RuntimeError from Path.expanduser) and failed the export. As a shell does, a '~name'
    that names no user stays as written."""
    from briefing import paths
    from briefing.session.library import Library  # noqa: F401  (imports; the walk below uses expand_user)

    monkeypatch.setenv("BRIEFING_DATA_DIR", "~nosuchuser-briefing/d")
    monkeypatch.setenv("BRIEFING_CONFIG_DIR", "~nosuchuser-briefing/c")
    assert paths.data_dir() == paths.Path("~nosuchuser-briefing/d")
    assert paths.keymap_path() == paths.Path("~nosuchuser-briefing/c/keymap.toml")
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    (cwd / "~x.md").write_text(shapes.HEAD + "Text.\n", encoding="utf-8")
    done = run_cli("export", "~x.md", "--format", "md", "-o", "out.md", cwd=cwd)
    assert done.returncode == 0, done.stderr
    assert (cwd / "out.md").read_text(encoding="utf-8").startswith("---")


def test_a_tampered_store_with_values_of_the_wrong_type_neither_crashes_nor_loses_the_rest(tmp_path):
    """Red-team re-check of issue 15: the reader crashed (TypeError, ValueError, AttributeError)
    on a briefing.db whose columns hold values of another type than briefing writes (SQLite
    keeps what it is given: 'abc' or 1.5 in start_pos, a blob in exact or note, 'abc' in
    position). Each value is read as what it should be; a highlight whose offsets are not
    whole numbers is placed again by its quote."""
    import shutil
    import sqlite3

    from briefing.export import export
    from briefing.store import DB_NAME, Store
    from tests.hostile.checks import UNSAFE, strings

    brief = parse_brief(shapes.HEAD + "One two three four five. Six seven eight nine ten.\n", str(tmp_path / "b.md"))
    base = tmp_path / "base"
    store = Store.open(base)
    for start in (0, 25):
        store.add_highlight(brief, start, start + 8, note="kept")
    store.set_position(brief.path, 30)
    store.close()
    evil = "\x1b]2;PWNED\x07 \x9b31m \u202e"
    values = ["abc", 1.5, b"\xff\x00blob", None, -7, 10**18, evil]
    columns = {"highlights": ["id", "exact", "prefix", "suffix", "text_hash", "note", "created", "updated",
                              "start_pos", "end_pos"],
               "briefs": ["read", "position", "text_hash", "updated"]}
    for table, names in columns.items():
        for column in names:
            for value in values:
                data = tmp_path / f"{table}-{column}-{values.index(value)}"
                shutil.copytree(base, data)
                conn = sqlite3.connect(data / DB_NAME)
                try:
                    with conn:
                        conn.execute(f"UPDATE {table} SET {column} = ?", (value,))
                except sqlite3.IntegrityError:  # (NOT NULL: nothing to read back)
                    continue
                finally:
                    conn.close()
                store = Store.open(data)
                try:
                    highlights = store.highlights(brief)
                    read, position = store.get_state(brief.path)
                    assert isinstance(read, bool) and isinstance(position, int) and position >= 0
                    assert len(highlights) == 2, (table, column, value)
                    for h in highlights:
                        assert isinstance(h.start, int) and isinstance(h.end, int)
                    if table == "highlights" and column in ("start_pos", "end_pos"):
                        # placed again by the quote
                        assert [brief.text[h.start:h.end] for h in highlights] == ["One two ", "Six seve"]
                    seen = [getattr(h, f) for h in highlights for f in ("exact", "prefix", "suffix", "note", "created",
                                                                        "updated")]  # (id and path: keys)
                    for s in strings(seen):
                        assert not UNSAFE.search(s), (table, column, value, s)
                    for fmt in ("md", "html", "json"):
                        export(brief, highlights, fmt, False)
                finally:
                    store.close()


def test_a_tampered_store_with_paths_and_quotes_that_are_not_text_names_no_origin(tmp_path):
    """The search for a moved brief's highlights (origin_of) read paths and quotes from the
    file as they were: a blob there raised TypeError."""
    import sqlite3

    from briefing.store import DB_NAME, Store

    brief = parse_brief(shapes.HEAD + "One two three four five.\n", str(tmp_path / "b.md"))
    other = parse_brief(shapes.HEAD + "Something else entirely.\n", str(tmp_path / "gone.md"))
    data = tmp_path / "data"
    store = Store.open(data)
    store.add_highlight(other, 0, 9)
    store.close()
    conn = sqlite3.connect(data / DB_NAME)
    with conn:
        conn.execute("UPDATE highlights SET exact = ?", (b"\xff One two",))
    conn.execute("INSERT INTO highlights SELECT id || 'x', ?, start_pos, end_pos, exact, prefix, suffix, text_hash, "
                 "note, created, updated FROM highlights", (b"/gone/\xff.md",))
    conn.commit()
    conn.close()
    store = Store.open(data)
    try:
        assert store.origin_of(brief) is None
    finally:
        store.close()


def test_text_that_is_not_utf8_in_a_tampered_index_or_store_neither_crashes_nor_hides_highlights(tmp_path):
    """A title written into index.db as bytes that are not UTF-8 crashed the reader
    (OperationalError 'Could not decode to UTF-8 column listing', from the list's read); such
    a note in briefing.db made every highlight of its brief unreadable. The index, a cache,
    counts it as damage (moved aside, rebuilt); the store reads the value with U+FFFD."""
    import sqlite3

    from briefing.index import Index
    from briefing.store import DB_NAME, Store

    folder = tmp_path / "briefs"
    folder.mkdir()
    (folder / "a.md").write_text(shapes.HEAD + "One two three.\n", encoding="utf-8")
    data = tmp_path / "data"
    index = Index.open(data, workers=0)
    index.refresh([folder])
    index.close()
    conn = sqlite3.connect(data / "index.db")
    with conn:
        conn.execute("UPDATE briefs SET title = CAST(X'41ff00' AS TEXT)")
    conn.close()
    index = Index.open(data, workers=0)
    try:
        index.entries([folder])  # (raised OperationalError)
        assert index.moved_aside
        index.refresh([folder])
        assert [e.title for e in index.entries([folder])] == ["Hostile shape"]
    finally:
        index.close()

    brief = parse_brief(shapes.HEAD + "One two three four five.\n", str(folder / "a.md"))
    store = Store.open(data)
    store.add_highlight(brief, 0, 7, note="kept")
    store.add_highlight(brief, 8, 13)
    store.close()
    conn = sqlite3.connect(data / DB_NAME)
    with conn:
        conn.execute("UPDATE highlights SET note = CAST(X'6e6fff' AS TEXT) WHERE note IS NOT NULL")
    conn.close()
    store = Store.open(data)
    try:
        assert sorted((h.start, h.note) for h in store.highlights(brief)) == [(0, "no\ufffd"), (8, None)]
    finally:
        store.close()


def test_an_index_found_damaged_by_the_lists_read_is_rebuilt_and_the_reader_told(tmp_path, monkeypatch):
    """The index moved aside by a read (a title that is not UTF-8, a damaged page) was left
    empty: the reader's list said "No briefs here" until the next start, and nobody was told."""
    import sqlite3

    from briefing.session.library import Library

    folder = tmp_path / "briefs"
    folder.mkdir()
    (folder / "a.md").write_text(shapes.HEAD + "One two three.\n", encoding="utf-8")
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))
    told = []
    library = Library([folder], tell=lambda message, **kw: told.append(message))
    library.refresh_index(lambda *a: None)
    conn = sqlite3.connect(tmp_path / "data" / "index.db")
    with conn:
        conn.execute("UPDATE briefs SET title = CAST(X'41ff00' AS TEXT)")
    conn.close()
    library.refresh_index(lambda *a: None)  # (nothing changed on disk: no row is parsed again)
    assert [e.title for e in library.entries_from_index()] == ["Hostile shape"]
    assert any("moved aside" in m for m in told)


def test_an_index_found_damaged_by_a_read_inside_a_refresh_does_not_deadlock_the_loader(tmp_path, monkeypatch):
    """The loader lists what the index holds from the refresh's first progress call (inside
    the refresh, which holds Index._refresh_lock). A damaged index found by that read was
    rebuilt there by a second refresh on the same thread: it waited for the lock it held, and
    the loader hung for good (the list stuck at "indexing"). The refresh under way rebuilds
    it instead (it starts again on the new file), and the reader is told."""
    import sqlite3
    import threading
    import time

    from briefing.session.library import Library

    folder = tmp_path / "briefs"
    folder.mkdir()
    (folder / "a.md").write_text(shapes.HEAD + "One two three.\n", encoding="utf-8")
    (folder / "b.md").write_text(shapes.HEAD + "Four five six.\n", encoding="utf-8")
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))
    told = []
    library = Library([folder], tell=lambda message, **kw: told.append(message))
    library.refresh_index(lambda *a: None)
    conn = sqlite3.connect(tmp_path / "data" / "index.db")
    with conn:
        conn.execute("UPDATE briefs SET title = CAST(X'41ff00' AS TEXT) WHERE path LIKE '%a.md'")
    conn.close()
    (folder / "b.md").write_text(shapes.HEAD + "Four five six seven.\n", encoding="utf-8")  # (to parse: total 1)
    later = time.time() + 5
    os.utime(folder / "b.md", (later, later))
    listed = []

    def progress(done, total, entry):  # as the loader's (ui/screens/main_loading.py)
        if done == 0 and total:
            listed.append(library.entries_from_index())

    thread = threading.Thread(target=lambda: library.refresh_index(progress), daemon=True)
    thread.start()
    thread.join(20)
    assert not thread.is_alive(), "the refresh waits for itself"
    assert listed
    assert sorted(e.title for e in library.entries_from_index()) == ["Hostile shape", "Hostile shape"]
    assert any("moved aside" in m for m in told)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_a_fifo_named_like_a_raw_text_is_listed_but_never_read(tmp_path):
    """A FIFO named x.txt in an opened folder hung the reader at start (the raw texts' list
    reads each one's head with open()); drafting it is a message."""
    from briefing.session.drafts import Draft, raw_entry, raw_files

    folder = tmp_path / "briefs"
    folder.mkdir()
    fifo = folder / "news.txt"
    os.mkfifo(fifo)
    assert raw_files([folder]) == [fifo]
    returned, entry = _returns_within(lambda: raw_entry(fifo), 3, fifo)
    assert returned and entry.title == "news"
    returned, _ = _returns_within(lambda: pytest.raises(OSError, Draft.from_raw, str(fifo)), 3, fifo)
    assert returned


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_a_fifo_or_folder_in_place_of_a_wal_or_shm_file_is_moved_aside(tmp_path):
    """index.db-wal as a FIFO: every write failed ('disk I/O error'), the reader's list was
    empty; briefing.db-shm as one: the store fell back to memory. SQLite's side files are
    opened only if regular: anything else in their place is moved aside (it holds no data)."""
    from briefing.index import Index
    from briefing.store import DB_NAME, Store

    folder = tmp_path / "briefs"
    folder.mkdir()
    (folder / "a.md").write_text(shapes.HEAD + "One two three.\n", encoding="utf-8")
    data = tmp_path / "data"
    Index.open(data, workers=0).close()
    Store.open(data).close()
    os.mkfifo(data / "index.db-wal")
    (data / "index.db-shm").mkdir()
    os.mkfifo(data / f"{DB_NAME}-shm")
    os.mkfifo(data / f"{DB_NAME}-wal")
    index = Index.open(data, workers=0)
    try:
        index.refresh([folder])
        assert [e.title for e in index.entries([folder])] == ["Hostile shape"]
    finally:
        index.close()
    brief = parse_brief(shapes.HEAD + "One two three.\n", str(folder / "a.md"))
    store = Store.open(data)
    try:
        assert store.problem is None
        store.add_highlight(brief, 0, 3)
    finally:
        store.close()
    store = Store.open(data)
    try:
        assert store.count() == 1
    finally:
        store.close()


def test_numbers_of_a_tampered_index_that_are_not_numbers_neither_crash_the_list_nor_the_views(tmp_path):
    """A row edited to status 'error' with error_count 'abc' (its size left as the file's, so
    the refresh keeps it) crashed the reader's list (ValueError drawing the row); a published
    date, a mention count or the places blob that are not what the index writes made the
    profile and the timeline fail."""
    import sqlite3

    from briefing.index import Index
    from briefing.views.profile import profile
    from briefing.views.scope import Scope
    from briefing.views.timeline import timeline

    folder = tmp_path / "briefs"
    folder.mkdir()
    for name, day in (("a.md", "2024-06-19"), ("b.md", "2022-04-21")):
        (folder / name).write_text(
            f"---\ntitle: Port deal {name}\npublished: {day}\nentities:\n  k:\n    type: leader\n    name: Kishida\n"
            "---\n\nOn 3 May 2021 [Kishida]{.leader ref=k} met officials.\n", encoding="utf-8")
    index = Index.open(tmp_path / "data", workers=0)
    try:
        index.refresh([folder])
        conn = sqlite3.connect(index.db_path)
        with conn:
            conn.execute("UPDATE briefs SET status = 'error', error_count = 'abc', warning_count = 'x'")
        index.refresh([folder])  # (the files did not change: the rows stay)
        entries = index.entries([folder])
        assert [(e.ok, e.error_count, e.warning_count) for e in entries] == [(False, 0, 0)] * 2
        with conn:
            conn.execute("UPDATE briefs SET status = 'ok', error_count = 0, warning_count = 0, published = 'abc'")
            conn.execute("UPDATE facts SET mentions = 'abc' WHERE type = 'leader'")
            conn.execute("UPDATE facts SET spans = 'abc' WHERE type = 'date'")
        conn.close()
        scope = Scope(roots=[folder])
        p = profile(index, "Kishida", scope, contexts=10, company=8)
        assert len(p.briefs) == 2 and all(b.published is None for b in p.briefs)
        assert timeline(index, scope) == []
    finally:
        index.close()


def test_a_link_address_from_a_tampered_first_screen_file_is_sanitised(tmp_path):
    """first-screen.json's texts were sanitised when read, but not its links' addresses: a
    link's address is shown raw in the confirmation before it is opened (o)."""
    import json

    from briefing.session import first_screen

    path = tmp_path / "a.md"
    path.write_text(shapes.HEAD + "See [the site](https://example.org/x) now.\n", encoding="utf-8")
    file = tmp_path / first_screen.FILE_NAME
    first_screen.save(file, parse_brief(path.read_text(encoding="utf-8"), str(path)), first_screen.stamp_of(str(path)))
    data = json.loads(file.read_text(encoding="utf-8"))
    links = [s for s in data["styles"] if len(s) > 3 and s[3]]
    assert links
    for s in links:
        s[3] = "https://example.org/\x1b]0;PWNED\x07\x9b"
    file.write_text(json.dumps(data), encoding="utf-8")
    kept = first_screen.load(file, str(path))
    urls = [s.url for s in kept.styles if s.url]
    assert urls and all("\x1b" not in u and "\x9b" not in u and "\x07" not in u for u in urls)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symlinks")
def test_a_loop_of_symlinks_named_like_a_brief_is_reported_not_skipped_unseen(tmp_path):
    """loop.md -> a -> b -> a: the walk skipped it without a word (ELOOP from is_dir), where a
    broken link is reported; now it is reported as broken too."""
    from briefing import files

    folder = tmp_path / "briefs"
    folder.mkdir()
    (folder / "a.md").write_text(shapes.HEAD + "Text.\n", encoding="utf-8")
    os.symlink("la", folder / "lb")
    os.symlink("lb", folder / "la")
    os.symlink("la", folder / "loop.md")
    found = {os.path.basename(f.path): f.problem for f in files.walk(folder)}
    assert found == {"a.md": None, "loop.md": files.BROKEN}
