"""The SQLite store: round trips, re-anchoring, reading state, and every way the file can fail."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from briefing import store as store_mod
from briefing.core.parser import load_brief
from briefing.store import DB_NAME, SCHEMA_VERSION, Store, StoreError, brief_key

BODY = (
    "The leaders of [Japan]{.region} and New Zealand met on Wednesday. They agreed on a pact to share "
    "classified information.\n\n"
    "Both sides condemned the use of force and pledged to cooperate on economic security.\n\n"
    "Nothing else was said.\n"
)
PASSAGE = "pledged to cooperate on economic security"


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))


def write_brief(path, body=BODY):
    path.write_text("---\ntitle: Pact\n---\n\n" + body, encoding="utf-8")
    return load_brief(path)


@pytest.fixture
def brief(tmp_path):
    return write_brief(tmp_path / "pact.md")


@pytest.fixture
def data(tmp_path):
    return tmp_path / "data"


def span_of(brief, passage):
    s = brief.text.index(passage)
    return s, s + len(passage)


def test_open_creates_a_versioned_wal_database(data):
    with Store.open(data) as st:
        assert st.problem is None and not st.in_memory
        assert st.db_path == data / DB_NAME
    conn = sqlite3.connect(data / DB_NAME)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_default_location_is_the_data_dir(data):
    with Store.open() as st:
        assert st.db_path == data / DB_NAME


def test_round_trip(brief, data):
    s, e = span_of(brief, PASSAGE)
    with Store.open(data) as st:
        h = st.add_highlight(brief, s, e, note='says "cooperate"')
        assert (h.start, h.end, h.exact, h.note, h.orphan) == (s, e, PASSAGE, 'says "cooperate"', False)
        assert h.prefix == brief.text[s - 32 : s] and h.suffix == brief.text[e : e + 32]
        assert h.created and h.updated and h.text_hash
        other = st.add_highlight(brief, 0, 10)
    with Store.open(data) as st:  # a new process would see the same
        got = st.highlights(brief)
        assert [(x.id, x.start, x.end, x.note) for x in got] == [(other.id, 0, 10, None), (h.id, s, e, 'says "cooperate"')]
        assert st.set_note(h.id, "  changed  ") is True
        assert st.get_highlight(h.id).note == "changed"
        assert st.set_note(h.id, "   ") is True and st.get_highlight(h.id).note is None
        assert st.set_note("no-such-id", "x") is False
        assert st.remove_highlight(other.id) is True
        assert st.remove_highlight(other.id) is False
        assert [x.id for x in st.highlights(brief)] == [h.id]
        assert st.highlight_counts() == {brief_key(brief.path): 1}


def test_highlights_are_keyed_by_resolved_path(tmp_path, brief, data, monkeypatch):
    with Store.open(data) as st:
        st.add_highlight(brief, 0, 5)
        monkeypatch.chdir(tmp_path)
        same = load_brief("./pact.md")
        assert len(st.highlights(same)) == 1
        other = write_brief(tmp_path / "other.md")
        assert st.highlights(other) == []


def test_add_rejects_bad_ranges(brief, data):
    with Store.open(data) as st:
        for s, e in [(-1, 3), (3, 3), (5, 2), (0, len(brief.text) + 1)]:
            with pytest.raises(ValueError):
                st.add_highlight(brief, s, e)
        assert st.count() == 0


def test_toggle_adds_then_removes_the_same_range(brief, data):
    s, e = span_of(brief, PASSAGE)
    with Store.open(data) as st:
        h = st.toggle_highlight(brief, s, e)
        assert h is not None and st.count() == 1
        assert st.toggle_highlight(brief, s, e + 1) is not None  # a different range is added
        assert st.count() == 2
        assert st.toggle_highlight(brief, s, e) is None
        assert [(x.start, x.end) for x in st.highlights(brief)] == [(s, e + 1)]


def test_reading_state(brief, data):
    with Store.open(data) as st:
        assert st.get_state(brief.path) == (False, 0)
        st.set_read(brief.path, True)
        st.set_position(brief.path, 42)
    with Store.open(data) as st:
        assert st.get_state(brief.path) == (True, 42)
        st.set_read(brief.path, False)
        assert st.get_state(brief.path) == (False, 42)


def test_text_inserted_before_moves_the_highlight_and_saves_it(tmp_path, brief, data):
    s, e = span_of(brief, PASSAGE)
    with Store.open(data) as st:
        h = st.add_highlight(brief, s, e)
    changed = write_brief(tmp_path / "pact.md", "A new first paragraph.\n\n" + BODY)
    with Store.open(data) as st:
        [moved] = st.highlights(changed)
        assert not moved.orphan
        assert changed.text[moved.start : moved.end] == PASSAGE
        assert moved.start == s + len("A new first paragraph.\n\n")
        stored = st.get_highlight(h.id)
        assert (stored.start, stored.text_hash) == (moved.start, moved.text_hash)
        assert stored.text_hash != h.text_hash


def test_edit_inside_the_passage_is_found_fuzzily(tmp_path, brief, data):
    s, e = span_of(brief, PASSAGE)
    with Store.open(data) as st:
        st.add_highlight(brief, s, e, note="kept")
        changed = write_brief(tmp_path / "pact.md", BODY.replace("economic security", "economic-security"))
        [h] = st.highlights(changed)
        assert not h.orphan and h.note == "kept"
        assert changed.text[h.start : h.end] == "pledged to cooperate on economic-security"


def test_deleted_passage_is_kept_as_an_orphan(tmp_path, brief, data):
    s, e = span_of(brief, PASSAGE)
    with Store.open(data) as st:
        h = st.add_highlight(brief, s, e, note="still here")
        gone = write_brief(tmp_path / "pact.md", BODY.replace(
            "Both sides condemned the use of force and pledged to cooperate on economic security.\n\n", ""))
        [orphan] = st.highlights(gone)
        assert orphan.orphan and orphan.exact == PASSAGE and orphan.note == "still here"
        assert st.count() == 1
        # The passage comes back: the highlight is placed again.
        back = write_brief(tmp_path / "pact.md")
        [again] = st.highlights(back)
        assert not again.orphan and (again.start, again.end) == (s, e) and again.id == h.id


# ---------------------------------------------------------------------------- failures


def _damaged_files(data):
    return sorted(p.name for p in data.iterdir() if ".corrupt-" in p.name)


def test_a_file_that_is_not_sqlite_is_moved_aside(brief, data):
    data.mkdir()
    (data / DB_NAME).write_bytes(b"this is not a database at all, " * 100)
    st = Store.open(data)
    try:
        assert not st.in_memory
        assert st.problem and "damaged" in st.problem
        moved = _damaged_files(data)
        assert len(moved) == 1 and moved[0].startswith(DB_NAME + ".corrupt-")
        assert (data / moved[0]).read_bytes().startswith(b"this is not a database")
        st.add_highlight(brief, 0, 4)
        assert st.count() == 1
    finally:
        st.close()


def test_a_foreign_schema_is_moved_aside(data):
    data.mkdir()
    conn = sqlite3.connect(data / DB_NAME)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('precious')")
    conn.commit()
    conn.close()
    with Store.open(data) as st:
        assert st.problem and "another program" in st.problem and not st.in_memory
    [moved] = _damaged_files(data)
    conn = sqlite3.connect(data / moved)
    assert conn.execute("SELECT body FROM notes").fetchall() == [("precious",)]
    conn.close()


def test_a_damaged_page_is_moved_aside(brief, data):
    with Store.open(data) as st:
        for i in range(300):
            st.add_highlight(brief, 0, 5, note="n" * 200 + str(i))
    db = data / DB_NAME
    size = db.stat().st_size
    assert size > 8 * 4096
    with open(db, "r+b") as fh:  # scribble over a few pages in the middle
        fh.seek(4 * 4096)
        fh.write(b"\xff\x00garbage" * 1024)
    with Store.open(data) as st:
        assert st.problem and "damaged" in st.problem
        assert st.count() == 0
    assert len(_damaged_files(data)) == 1


def test_a_newer_schema_is_left_alone(data):
    with Store.open(data):
        pass
    conn = sqlite3.connect(data / DB_NAME)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    with Store.open(data) as st:
        assert st.in_memory and "newer" in st.problem
    conn = sqlite3.connect(data / DB_NAME)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 99
    conn.close()
    assert _damaged_files(data) == []


def test_a_data_dir_that_cannot_be_created_falls_back_to_memory(tmp_path, brief):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with Store.open(blocker / "data") as st:
        assert st.in_memory and st.problem and "cannot create the data folder" in st.problem
        h = st.add_highlight(brief, 0, 5)
        assert [x.id for x in st.highlights(brief)] == [h.id]
        st.set_position(brief.path, 3)
        assert st.get_state(brief.path) == (False, 3)


def test_a_read_only_database_opens_in_memory_with_what_it_holds(brief, data, monkeypatch):
    with Store.open(data) as st:
        saved = st.add_highlight(brief, 0, 5, note="saved")

    def refuse(db):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(store_mod, "_open_file", refuse)
    with Store.open(data) as st:
        assert st.in_memory and "cannot write" in st.problem
        assert [(h.id, h.note) for h in st.highlights(brief)] == [(saved.id, "saved")]
        st.add_highlight(brief, 6, 9)
        assert st.count() == 2
    monkeypatch.undo()
    with Store.open(data) as st:
        assert st.count() == 1  # nothing was written to the file


def test_a_full_disk_mid_session_keeps_working_in_memory(brief, data):
    st = Store.open(data)
    try:
        first = st.add_highlight(brief, 0, 5)
        pages = st._conn.execute("PRAGMA page_count").fetchone()[0]
        st._conn.execute(f"PRAGMA max_page_count = {pages}")  # the file cannot grow: "disk full"
        added = [st.add_highlight(brief, 0, 5, note="x" * 3000) for _ in range(5)]
        assert st.in_memory and st.problem and "full" in st.problem
        assert {h.id for h in st.highlights(brief)} == {first.id, *(h.id for h in added)}
    finally:
        st.close()
    with Store.open(data) as again:
        assert again.count() >= 1 and again.get_highlight(first.id) is not None


def test_a_locked_database_keeps_the_highlight_and_saves_it_when_free(brief, data):
    with Store.open(data) as st:
        other = sqlite3.connect(data / DB_NAME, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
        try:
            h = st.add_highlight(brief, 0, 5)  # a short wait, then kept (was: ~6 s, then an error)
            assert st.pending == 1
            assert [x.id for x in st.highlights(brief, update=False)] == [h.id]  # shown as saved
            assert any("locked by another program" in n for n in st.take_notices())
        finally:
            other.execute("COMMIT")
            other.close()
        assert st.flush_pending() == 1 and st.pending == 0
        assert st.count() == 1
        assert any("Saved 1 highlight change" in n for n in st.take_notices())


def test_a_database_locked_for_too_long_keeps_every_change_in_order(brief, data):
    with Store.open(data) as st:
        first = st.add_highlight(brief, 0, 5)
        other = sqlite3.connect(data / DB_NAME, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
        try:
            second = st.add_highlight(brief, 6, 10)
            assert st.set_note(second.id, "kept")
            assert st.remove_highlight(first.id)
            assert st.pending == 3
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert not st.in_memory
        st.add_highlight(brief, 11, 14)  # the next change writes the waiting ones first
        assert st.pending == 0
        notes = {h.start: h.note for h in st.highlights(brief)}
        assert notes == {6: "kept", 11: None}


def test_core_modules_do_not_import_textual():
    import subprocess
    import sys

    code = ("import sys; import briefing.store, briefing.core.anchor, briefing.core.sentences, briefing.export, briefing.cli.export, briefing.atomic; "
            "print('textual' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_two_openings_of_a_new_database_at_once_both_get_the_file(tmp_path):
    # Two readers started together on a fresh data folder: switching to the write-ahead log
    # does not wait for a lock in SQLite, and one of them used to fall back to memory.
    import threading

    for trial in range(40):
        folder = tmp_path / f"d{trial}"
        opened: list = []
        barrier = threading.Barrier(2)

        def open_store() -> None:
            barrier.wait()
            opened.append(Store.open(folder))

        threads = [threading.Thread(target=open_store) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert [s.in_memory for s in opened] == [False, False], [s.problem for s in opened]
        for s in opened:
            s.close()
