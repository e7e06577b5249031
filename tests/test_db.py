"""briefing.db: the one place that opens owned SQLite files (the store's and the index's).

What an error means (a lock is never damage), refusing what is not a regular file without
hanging on a FIFO, and moving a damaged file aside with its side files."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import pytest

from briefing import db
from briefing.index import Index, tuning
from briefing.store import Store

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")


def locked(path: Path) -> sqlite3.Connection:
    """A connection that holds ``path`` locked, as another program would (EXCLUSIVE)."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("CREATE TABLE IF NOT EXISTS other(x)")
    holder.execute("BEGIN EXCLUSIVE")
    return holder


def test_a_lock_held_by_another_process_is_busy_never_corrupt(tmp_path):
    path = tmp_path / "x.db"
    holder = locked(path)
    try:
        with pytest.raises(sqlite3.OperationalError) as caught:
            sqlite3.connect(path, timeout=0.05).execute("SELECT * FROM sqlite_master").fetchall()
        assert db.classify(caught.value) == db.BUSY
        assert db.is_busy(caught.value) and not db.is_corrupt(caught.value)
    finally:
        holder.close()
    # (by its message too, when an error comes without SQLite's result code)
    assert db.classify(sqlite3.OperationalError("database is locked (corrupt?)")) == db.BUSY


def test_a_file_that_is_not_sqlite_is_corrupt(tmp_path):
    path = tmp_path / "x.db"
    path.write_bytes(b"not a database at all " * 100)
    with pytest.raises(sqlite3.DatabaseError) as caught:
        sqlite3.connect(path).execute("PRAGMA schema_version").fetchone()
    assert db.classify(caught.value) == db.CORRUPT
    assert db.classify(UnicodeDecodeError("utf-8", b"\xff", 0, 1, "bad")) == db.CORRUPT
    assert db.classify(sqlite3.IntegrityError("UNIQUE constraint failed")) == db.OTHER
    assert db.classify(sqlite3.OperationalError("attempt to write a readonly database")) == db.UNWRITABLE
    assert db.classify(ValueError("x")) == db.OTHER


@needs_fifo
def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "x.db"
    os.mkfifo(fifo)
    assert db.file_problem(fifo) == "a FIFO"
    with pytest.raises(db.NotRegularFile):
        db.read_header(fifo)
    with pytest.raises(db.NotRegularFile):
        db.connect(fifo, 1)
    assert db.file_problem(tmp_path) == "a folder"
    assert db.file_problem(tmp_path / "absent.db") is None
    os.symlink(tmp_path / "nowhere", tmp_path / "dangling.db")
    assert db.file_problem(tmp_path / "dangling.db") == "a broken symlink"


def test_move_aside_takes_the_side_files_and_never_overwrites(tmp_path):
    path = tmp_path / "x.db"
    for n in range(2):
        path.write_bytes(b"main %d" % n)
        Path(str(path) + "-wal").write_bytes(b"wal %d" % n)
        Path(str(path) + "-shm").write_bytes(b"shm %d" % n)
        moved = db.move_aside(path)
        assert moved is not None and moved.name.startswith("x.db.corrupt-") and moved.read_bytes() == b"main %d" % n
        assert Path(str(moved) + "-wal").read_bytes() == b"wal %d" % n
        assert Path(str(moved) + "-shm").read_bytes() == b"shm %d" % n
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm")))[1].endswith("-2")
    assert not path.exists() and db.move_aside(path) is None


def opened_within(seconds: float, open_):
    """open_() run on a thread: what it returned, or a failure if it hung."""
    result: list = []
    thread = threading.Thread(target=lambda: result.append(open_()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "opening hung"
    return result[0]


@needs_fifo
def test_a_fifo_in_the_place_of_the_index_is_moved_aside_not_read(tmp_path):
    os.mkfifo(tmp_path / "index.db")
    index = opened_within(20, lambda: Index.open(tmp_path, workers=1))
    try:
        assert index.db_path == tmp_path / "index.db"
        assert index.moved_aside and index.moved_aside[0].name.startswith("index.db.corrupt-")
        assert any("not a regular file (a FIFO)" in n for n in index.notices), index.notices
        assert index.entries() == []
    finally:
        index.close()


@needs_fifo
def test_a_fifo_in_the_place_of_the_store_is_moved_aside_not_read(tmp_path):
    os.mkfifo(tmp_path / "briefing.db")
    store = opened_within(20, lambda: Store.open(tmp_path))
    try:
        assert not store.in_memory and store.problem and "a FIFO" in store.problem
        assert "kept as briefing.db.corrupt-" in store.problem
    finally:
        store.close()


def test_an_index_another_program_keeps_locked_is_left_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(tuning, "OPEN_LOCK_WAIT", 0.2)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    data = tmp_path / "data"
    with Index.open(data, workers=1):
        pass
    before = sorted(p.name for p in data.iterdir())
    holder = locked(data / "index.db")
    try:
        index = opened_within(20, lambda: Index.open(data, workers=1))
        try:
            assert index.moved_aside == [] and index.db_path.parent != data
            assert any("locked by another program" in n for n in index.notices), index.notices
        finally:
            index.close()
    finally:
        holder.close()
    assert sorted(p.name for p in data.iterdir()) == before  # nothing moved aside


def test_new_databases_and_their_side_files_are_private_whatever_the_umask(tmp_path):
    """index.db and briefing.db hold brief text and notes: 0600 even under umask 022."""
    import stat

    old = os.umask(0o022)
    try:
        store = Store.open(tmp_path)
        store.set_read(str(tmp_path / "x.md"), True)
        index = Index.open(tmp_path, workers=1)
    finally:
        os.umask(old)
    made = [p for p in tmp_path.iterdir() if p.name.startswith(("briefing.db", "index.db"))]
    assert {p.name for p in made} >= {"briefing.db", "index.db"}
    for p in made:
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, (p.name, oct(p.stat().st_mode))
    store.close()
    index.close()


def test_an_existing_database_keeps_its_mode(tmp_path):
    import stat

    path = tmp_path / "mine.db"
    sqlite3.connect(path).close()
    os.chmod(path, 0o640)
    db.connect(path, 1.0).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
