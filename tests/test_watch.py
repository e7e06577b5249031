"""Live updates (tui/watch.py and Index.refresh_paths)."""

from __future__ import annotations

import os
import queue
import threading
import time

import pytest

from briefing.index import Index
from briefing.index.watch import BriefFilter, follow, watch_briefs


def brief(title: str, body: str = "Some text about Samoa.") -> str:
    return f'---\ntitle: "{title}"\npublished: 2024-01-02\ntags: [pacific]\n---\n\n{body}\n'


@pytest.fixture
def index(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))
    idx = Index.open()
    yield idx
    idx.close()


@pytest.fixture
def folder(tmp_path):
    f = tmp_path / "briefs"
    f.mkdir()
    (f / "one.md").write_text(brief("One"), encoding="utf-8")
    (f / "two.md").write_text(brief("Two"), encoding="utf-8")
    return f


def test_written_file_appears_through_refresh_paths(index, folder):
    index.refresh([folder])
    new = folder / "three.md"
    new.write_text(brief("Three"), encoding="utf-8")
    changes = index.refresh_paths({new})
    assert [(c.kind, c.path) for c in changes] == [("added", new.resolve())]
    assert changes[0].entry.title == "Three" and changes[0].entry.ok
    assert [e.title for e in index.entries([folder])] == ["One", "Three", "Two"]
    assert [h.path for h in index.search("three", [folder])] == [new.resolve()]


def test_modified_and_deleted_files(index, folder):
    index.refresh([folder])
    one, two = folder / "one.md", folder / "two.md"
    one.write_text(brief("One, revised", "Now about Tonga instead."), encoding="utf-8")
    two.unlink()
    changes = index.refresh_paths({one, two})
    assert sorted((c.kind, c.path.name) for c in changes) == [("changed", "one.md"), ("removed", "two.md")]
    assert [e.title for e in index.entries([folder])] == ["One, revised"]
    assert [h.path.name for h in index.search("tonga", [folder])] == ["one.md"]
    assert index.search("samoa", [folder]) == []
    # Nothing changed: nothing reported.
    assert index.refresh_paths({one}) == []


def test_paths_outside_roots_hidden_or_not_briefs_are_ignored(index, folder, tmp_path):
    assert index.refresh_paths({folder / "one.md"}) == []  # no refresh yet: no roots
    index.refresh([folder])
    outside = tmp_path / "elsewhere.md"
    outside.write_text(brief("Elsewhere"), encoding="utf-8")
    hidden = folder / ".draft.md"
    hidden.write_text(brief("Draft"), encoding="utf-8")
    notes = folder / "notes.txt"
    notes.write_text("hello", encoding="utf-8")
    assert index.refresh_paths({outside, hidden, notes}) == []
    assert len(index.entries([folder])) == 2


def test_new_folder_is_scanned(index, folder):
    index.refresh([folder])
    sub = folder / "2025"
    sub.mkdir()
    (sub / "a.md").write_text(brief("Alpha"), encoding="utf-8")
    (sub / "b.md").write_text(brief("Beta"), encoding="utf-8")
    changes = index.refresh_paths({sub})
    assert sorted((c.kind, c.path.name) for c in changes) == [("added", "a.md"), ("added", "b.md")]
    assert len(index.entries([folder])) == 4


def test_half_written_file_is_read_again_not_reported_broken(index, folder):
    index.refresh([folder])
    path = folder / "slow.md"
    full = brief("Written slowly", "A long paragraph about Fiji. " * 20)
    path.write_text(full[:25], encoding="utf-8")  # the front matter is not even closed yet

    def finish():
        time.sleep(0.1)
        path.write_text(full, encoding="utf-8")

    writer = threading.Thread(target=finish)
    writer.start()
    changes = index.refresh_paths({path})
    writer.join()
    assert [(c.kind, c.entry.ok, c.entry.title) for c in changes] == [("added", True, "Written slowly")]


def test_broken_file_is_still_reported_promptly(index, folder):
    index.refresh([folder])
    path = folder / "bad.md"
    path.write_text("---\ntitle: [unclosed\n---\n\nBody.\n", encoding="utf-8")
    t = time.perf_counter()
    changes = index.refresh_paths({path})
    assert time.perf_counter() - t < 2
    assert [(c.kind, c.entry.ok) for c in changes] == [("added", False)]
    assert changes[0].entry.error_count >= 1


def test_brief_filter():
    f = BriefFilter(["/r"])
    assert f(None, "/r/a.md") and f(None, "/r/sub/B.Markdown")
    assert not f(None, "/r/.a.md") and not f(None, "/r/.git/x.md") and not f(None, "/r/a.md.swp")
    assert not f(None, "/r/notes.txt") and not f(None, "/r/a.md~")
    assert f(None, "/r/gone-folder")  # deleted: could have been a folder of briefs


def _collect(gen, out: queue.Queue) -> None:
    for batch in gen:
        out.put(batch)


def test_watch_briefs_reports_written_briefs_only(folder):
    stop = threading.Event()
    out: queue.Queue = queue.Queue()
    thread = threading.Thread(target=_collect, args=(watch_briefs([folder], stop, debounce_ms=100), out), daemon=True)
    thread.start()
    try:
        target = (folder / "new.md").resolve()
        seen: set = set()
        deadline = time.monotonic() + 5
        while target not in seen and time.monotonic() < deadline:
            # (Written again until seen: the watcher may take a moment to start.)
            (folder / ".hidden.md").write_text(brief("Hidden"), encoding="utf-8")
            (folder / "notes.txt").write_text("x", encoding="utf-8")
            (folder / "new.md").write_text(brief("New"), encoding="utf-8")
            try:
                while True:
                    seen |= out.get(timeout=0.5)
            except queue.Empty:
                pass
        assert target in seen
        assert all(p.name == "new.md" for p in seen), seen
    finally:
        stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive()


def test_follow_feeds_the_index(index, folder):
    index.refresh([folder])
    stop = threading.Event()
    got: queue.Queue = queue.Queue()
    thread = threading.Thread(target=follow, args=(index, [folder], stop, got.put), kwargs={"debounce_ms": 100},
                              daemon=True)
    thread.start()

    def wait_for(action) -> list:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            action()  # (repeated until noticed: the watcher may take a moment to start)
            try:
                return got.get(timeout=0.5)
            except queue.Empty:
                pass
        raise AssertionError("no change reported")

    try:
        live = folder / "live.md"
        changes = wait_for(lambda: live.write_text(brief("Live"), encoding="utf-8"))
        assert [(c.kind, c.path.name) for c in changes] == [("added", "live.md")]
        assert "Live" in [e.title for e in index.entries([folder])]
        os.remove(live)
        changes = got.get(timeout=5)
        assert [(c.kind, c.path.name) for c in changes] == [("removed", "live.md")]
    finally:
        stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive()


def test_watching_nothing_returns_at_once(tmp_path):
    assert list(watch_briefs([tmp_path / "missing"], threading.Event())) == []
