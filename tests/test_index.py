"""The brief index (tui/index.py): building, incremental refresh, errors, bad caches,
search and filters. Every test works in tmp_path with BRIEFING_DATA_DIR pointing there."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import briefing.index as index_mod
from briefing.index import parse as parse_mod, pool as pool_mod, schema as schema_mod, tuning
from bench.corpus import generate_corpus
from briefing.index import Index, fts_query, quick_meta, scan_root
from briefing.core.parser import iter_brief_paths, load_brief
from briefing.core.problems import BriefError


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    d = tmp_path / "data"
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(d))
    return d


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "briefs"
    generate_corpus(folder, 12, seed=7, size_kb=2)
    return folder


@pytest.fixture
def index(data_dir):
    idx = Index.open()
    yield idx
    idx.close()


def brief_text(title: str, body: str, *, published: str = "2023-05-01", tags: str = "[test]",
               entities: str = "") -> str:
    return (f'---\ntitle: "{title}"\npublished: {published}\ntags: {tags}\n'
            f"{'entities:' + entities if entities else ''}\n---\n\n{body}\n")


def count_parses(monkeypatch) -> list[str]:
    parsed: list[str] = []
    real = parse_mod.parse_file

    def counting(key):
        parsed.append(key)
        return real(key)

    monkeypatch.setattr(parse_mod, "parse_file", counting)
    return parsed


def age(path: Path, seconds: float = 60) -> None:
    """Make a file look written a while ago (so size and mtime can vouch for it)."""
    t = time.time() - seconds
    os.utime(path, (t, t))


# ---------------------------------------------------------------------------- building


def test_index_lives_in_the_data_dir(index, data_dir):
    assert index.db_path == data_dir / "index.db"
    assert index.db_path.exists()


def test_build_lists_every_brief_with_its_metadata(index, corpus):
    stats = index.refresh([corpus])
    files = sorted(corpus.rglob("*.md"))
    assert stats.files == stats.added == stats.parsed == len(files) == 12
    assert stats.errors == 0
    entries = index.entries([corpus])
    assert [e.path for e in entries] == sorted(p.resolve() for p in files)
    for e in entries:
        brief = load_brief(e.path)
        assert e.ok and e.status == "ok" and e.error_count == 0 and e.first_error is None
        assert e.title == brief.meta.title
        assert e.published == brief.meta.published
        assert e.source == brief.meta.source
        assert list(e.tags) == brief.meta.tags
        assert e.mtime == pytest.approx(e.path.stat().st_mtime, abs=1e-3)
    assert index.count([corpus]) == 12


def test_facts_and_meta_come_back_as_the_parser_gives_them(index, corpus):
    index.refresh([corpus])
    for path in sorted(corpus.rglob("*.md"))[:4]:
        brief = load_brief(path)
        cached = index.fact_labels_for(path)
        expected = [(kind, (f.value or f.name) if kind == "date" else f.name, f.key)
                    for kind, facts in brief.facts.items() for f in facts]
        assert cached == expected and len(cached) > 3
        assert index.meta_for(path) == brief.meta


def test_roots_keep_their_own_lists(index, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    generate_corpus(a, 3, seed=1, size_kb=1)
    generate_corpus(b, 4, seed=2, size_kb=1)
    index.refresh([a, b])
    assert len(index.entries([a])) == 3
    assert len(index.entries([b])) == 4
    assert len(index.entries([a, b])) == 7
    one = sorted(a.rglob("*.md"))[0]
    index.refresh([one])
    assert [e.path for e in index.entries([one])] == [one.resolve()]
    # Refreshing a, then dropping it from disk, forgets only a's briefs.
    for p in a.rglob("*.md"):
        p.unlink()
    stats = index.refresh([a])
    assert stats.removed == 2  # the third is still listed through the root `one`
    assert len(index.entries([b])) == 4
    assert index.forget([one]) == 1 and index.entries([one]) == []
    assert index.forget([b]) == 4 and index.entries(None) == []


# ---------------------------------------------------------------------------- incremental


def test_unchanged_files_are_not_parsed_again(index, corpus, monkeypatch):
    for p in corpus.rglob("*.md"):
        age(p)
    index.refresh([corpus])
    parsed = count_parses(monkeypatch)
    stats = index.refresh([corpus])
    assert parsed == []
    assert stats.unchanged == 12 and stats.parsed == 0 and stats.hashed == 0 and stats.changes == []


def test_modified_file_alone_is_parsed_again(index, corpus, monkeypatch):
    files = sorted(corpus.rglob("*.md"))
    for p in files:
        age(p)
    index.refresh([corpus])
    target = files[5]
    text = target.read_text(encoding="utf-8")
    old_title = load_brief(target).meta.title
    target.write_text(text.replace(old_title, "A brand new title about Tuvalu", 1), encoding="utf-8")
    parsed = count_parses(monkeypatch)
    stats = index.refresh([corpus])
    assert parsed == [str(target.resolve())]
    assert stats.changed == 1 and stats.added == 0 and stats.removed == 0
    assert [c.kind for c in stats.changes] == ["changed"]
    assert index.get(target).title == "A brand new title about Tuvalu"
    assert [h.path for h in index.search("tuvalu", [corpus])] == [target.resolve()]


def test_same_size_and_mtime_rewrite_is_caught_by_the_hash(index, corpus, monkeypatch):
    """A rewrite within the same timestamp tick (same size, same mtime) is still seen."""
    target = sorted(corpus.rglob("*.md"))[0]
    index.refresh([corpus])  # files just written: their mtime is racy
    st = target.stat()
    text = target.read_text(encoding="utf-8")
    title = load_brief(target).meta.title
    swapped = title[::-1].replace('"', "'")
    target.write_text(text.replace(title, swapped, 1), encoding="utf-8")
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert target.stat().st_size == st.st_size
    parsed = count_parses(monkeypatch)
    stats = index.refresh([corpus])
    assert parsed == [str(target.resolve())]
    assert stats.hashed >= 1
    assert index.get(target).title == swapped
    # Same bytes again: compared, not parsed.
    index.refresh([corpus])
    assert parsed == [str(target.resolve())]


def test_deleted_file_is_forgotten(index, corpus):
    index.refresh([corpus])
    victim = sorted(corpus.rglob("*.md"))[3]
    title = index.get(victim).title
    victim.unlink()
    stats = index.refresh([corpus])
    assert stats.removed == 1 and [c.kind for c in stats.changes] == ["removed"]
    assert victim.resolve() not in [e.path for e in index.entries([corpus])]
    assert index.get(victim) is None and index.fact_labels_for(victim) is None
    assert all(h.path != victim.resolve() for h in index.search(f'"{title}"', [corpus]))
    conn = sqlite3.connect(index.db_path)
    assert conn.execute("SELECT count(*) FROM facts WHERE brief_id NOT IN (SELECT id FROM briefs)").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM fts WHERE rowid NOT IN (SELECT id FROM briefs)").fetchone() == (0,)
    conn.close()


def test_added_file_appears(index, corpus, monkeypatch):
    index.refresh([corpus])
    new = corpus / "2030" / "new.md"
    new.parent.mkdir()
    new.write_text(brief_text("Fresh brief on Nauru", "Nothing much happened in Nauru."), encoding="utf-8")
    parsed = count_parses(monkeypatch)
    stats = index.refresh([corpus])
    assert parsed == [str(new.resolve())]
    assert stats.added == 1 and stats.files == 13
    assert index.get(new).title == "Fresh brief on Nauru"
    assert len(index.entries([corpus])) == 13


def test_changed_parser_reparses_everything(data_dir, corpus, monkeypatch):
    with Index.open() as idx:
        idx.refresh([corpus])
    monkeypatch.setattr(schema_mod, "parser_fingerprint", lambda: "a different parser")
    with Index.open() as idx:
        assert len(idx.entries([corpus])) == 12  # still listed at once
        assert idx.refresh([corpus]).parsed == 12


def test_cache_survives_reopening(data_dir, corpus, monkeypatch):
    for p in corpus.rglob("*.md"):
        age(p)
    with Index.open() as idx:
        idx.refresh([corpus])
    parsed = count_parses(monkeypatch)
    with Index.open() as idx:
        assert len(idx.entries([corpus])) == 12
        assert idx.refresh([corpus]).unchanged == 12
    assert parsed == []


def test_many_new_files_are_listed_before_they_are_parsed(index, corpus, monkeypatch):
    monkeypatch.setattr(tuning, "QUICK_MIN_FILES", 1)
    seen_first: list = []

    def progress(done, total, entry):
        if done == 0:
            seen_first.extend(index.entries([corpus]))

    index.refresh([corpus], progress=progress)
    assert len(seen_first) == 12
    assert {e.status for e in seen_first} == {"pending"}
    final = {e.path: e for e in index.entries([corpus])}
    for e in seen_first:
        assert e.title == final[e.path].title and e.published == final[e.path].published
        assert e.tags == final[e.path].tags
    assert {e.status for e in final.values()} == {"ok"}


def test_progress_reports_every_parsed_brief_after_it_is_committed(index, corpus):
    calls = []

    def progress(done, total, entry):
        calls.append((done, total, entry))
        if entry is not None:
            assert index.get(entry.path) == entry

    index.refresh([corpus], progress=progress)
    assert calls[0] == (0, 12, None)
    assert [c[0] for c in calls[1:]] == list(range(1, 13))
    assert calls[-1][:2] == (12, 12)


def test_process_pool_gives_the_same_index(data_dir, corpus, monkeypatch):
    monkeypatch.setattr(tuning, "POOL_MIN_FILES", 2)
    with Index.open(workers=2) as pooled:
        stats = pooled.refresh([corpus])
        assert stats.workers == 2 and stats.parsed == 12
        with_pool = pooled.entries([corpus])
        facts = pooled.fact_labels_for(with_pool[0].path)
    with Index.open(data_dir / "other", workers=1) as inline:
        assert inline.refresh([corpus]).workers == 0
        assert inline.entries([corpus]) == with_pool
        assert inline.fact_labels_for(with_pool[0].path) == facts and facts


def test_workers_store_what_they_parse_but_leave_a_recent_broken_file_to_be_retried(data_dir, corpus, monkeypatch):
    monkeypatch.setattr(tuning, "POOL_MIN_FILES", 2)
    monkeypatch.setattr(tuning, "RETRY_DELAY", 0.01)
    broken = corpus / "broken.md"
    broken.write_text(brief_text("Half written", "See [x]{.leader ref=nobody}."), encoding="utf-8")
    # Written "just now" for the workers too (processes of their own, which a monkeypatch does not
    # reach), however long a loaded machine takes to start them: its time is set a minute ahead.
    ahead = time.time() + 60
    os.utime(broken, (ahead, ahead))
    with Index.open(workers=2) as idx:
        stats = idx.refresh([corpus])
        assert stats.workers == 2 and stats.files == 13 and stats.parsed == 13
        assert stats.retried >= 1 and stats.errors == 1
        entries = idx.entries([corpus])
        assert len(entries) == 13 and sorted(e.status for e in entries).count("error") == 1
        assert idx.search("Half written", [corpus])


def test_a_suspect_is_read_again_a_pause_after_it_was_read_not_after_the_build(tmp_path, monkeypatch):
    broken = tmp_path / "broken.md"
    broken.write_text(brief_text("Half written", "See [x]{.leader ref=nobody}."), encoding="utf-8")
    first = index_mod.parse_file(str(broken))
    assert parse_mod._suspect(first)
    monkeypatch.setattr(tuning, "RETRY_DELAY", 0.4)
    settled = parse_mod._settle([first], index_mod.RefreshStats())
    assert [r[index_mod.R_KEY] for r in settled] == [str(broken)]
    # (just read: read again a pause after that first read)
    assert settled[0][index_mod.R_CHECKED] - first[index_mod.R_CHECKED] >= 0.4e9
    monkeypatch.setattr(tuning, "RETRY_DELAY", 5)
    long_ago = first[:index_mod.R_CHECKED] + (first[index_mod.R_CHECKED] - 10 * 10**9,) + first[index_mod.R_CHECKED + 1:]
    t = time.perf_counter()
    assert len(parse_mod._settle([long_ago], index_mod.RefreshStats())) == 1
    assert time.perf_counter() - t < 2.5  # (read 10 s ago, while the build went on: no pause now)


def test_a_worker_stores_what_it_parsed_but_gives_back_a_file_maybe_half_written(data_dir, corpus):
    broken = corpus / "broken.md"
    broken.write_text(brief_text("Half written", "See [x]{.leader ref=nobody}."), encoding="utf-8")
    keys = [str(broken.resolve())] + sorted(str(p.resolve()) for p in corpus.rglob("*.md") if p != broken)[:2]
    with Index.open() as idx:
        slim, bids, back, seconds = pool_mod._parse_and_store_chunk(str(idx.db_path), keys, {}, False)
        assert [r[index_mod.R_KEY] for r in back] == keys[:1]
        assert [r[index_mod.R_KEY] for r in slim] == keys[1:] and len(bids) == 2 and seconds > 0
        assert all(r[index_mod.R_TEXT] == "" for r in slim)  # (the text stays in the database)
        assert {str(e.path) for e in idx.entries()} == set(keys[1:])


def test_a_worker_that_cannot_store_gives_every_result_back(tmp_path, corpus):
    keys = sorted(str(p.resolve()) for p in corpus.rglob("*.md"))[:3]
    slim, bids, back, seconds = pool_mod._parse_and_store_chunk(str(tmp_path / "none" / "index.db"), keys, {}, False)
    assert slim == [] and bids == [] and [r[index_mod.R_KEY] for r in back] == keys


def test_cancelling_a_pool_that_stores_leaves_a_sound_index_to_finish_later(data_dir, tmp_path, monkeypatch):
    import threading

    folder = tmp_path / "many"
    generate_corpus(folder, 300, seed=4, size_kb=1)
    monkeypatch.setattr(tuning, "POOL_MIN_FILES", 2)
    stop = threading.Event()

    def progress(done, total, entry):
        if done:
            stop.set()

    raised: list = []  # (in the pool's own threads: it must not be left to fail on its own)
    monkeypatch.setattr(threading, "excepthook", raised.append)
    with Index.open(workers=2) as idx:
        stats = idx.refresh([folder], progress=progress, cancel=stop)
        for thread in threading.enumerate():  # (the pool's manager winds down on its own)
            if type(thread).__name__ == "_ExecutorManagerThread":
                thread.join(10)
        assert stats.cancelled and 0 < stats.parsed < 300 and raised == []
        assert idx._conn().execute("PRAGMA quick_check").fetchone()[0] == "ok"
        again = idx.refresh([folder])
        assert not again.cancelled and len(idx.entries([folder])) == 300
        # (what a worker stored but had not reported when it was stopped is kept: unchanged now)
        assert again.parsed + again.unchanged == 300


def test_this_process_parses_the_first_screenful_while_the_pool_starts(data_dir, tmp_path, monkeypatch):
    folder = tmp_path / "many"
    generate_corpus(folder, 300, seed=4, size_kb=1)
    monkeypatch.setattr(tuning, "POOL_MIN_FILES", 2)
    here: list[str] = []
    real = parse_mod.parse_file
    monkeypatch.setattr(parse_mod, "parse_file", lambda key: here.append(key) or real(key))  # (not in the workers)
    with Index.open(workers=2) as idx:
        stats = idx.refresh([folder])
        keys = sorted(str(p.resolve()) for p in folder.rglob("*.md"))
        assert stats.workers == 2 and stats.parsed == 300 and len(idx.entries([folder])) == 300
        # The first chunk here; the workers took the rest (handed over while it was parsed).
        assert here == keys[:tuning.FIRST_BATCH_FILES]


def test_a_pool_that_cannot_start_leaves_the_parsing_to_this_process(data_dir, tmp_path, monkeypatch):
    folder = tmp_path / "many"
    generate_corpus(folder, 300, seed=4, size_kb=1)
    monkeypatch.setattr(tuning, "POOL_MIN_FILES", 2)

    def refuse(self, *args, **kwargs):
        raise OSError("no /dev/shm here")

    monkeypatch.setattr(pool_mod.cf.ProcessPoolExecutor, "submit", refuse)
    with Index.open(workers=2) as idx:
        stats = idx.refresh([folder])
        assert stats.workers == 0 and stats.parsed == 300 and stats.added == 300
        assert len(idx.entries([folder])) == 300


def test_worker_tasks_cover_every_file_once_and_are_small_at_both_ends():
    keys = [str(i) for i in range(5000)]
    chunks = pool_mod._store_chunks(keys)
    assert [k for c in chunks for k in c] == keys
    assert len(chunks[0]) == tuning.FIRST_BATCH_FILES and len(chunks[-1]) <= tuning.FIRST_BATCH_FILES
    assert max(map(len, chunks)) == tuning.STORE_CHUNK_FILES


def test_the_list_can_be_read_while_a_refresh_writes(index, corpus, monkeypatch):
    import threading

    monkeypatch.setattr(tuning, "BATCH_FILES", 2)
    counts: list[int] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def reader():
        try:
            while not done.is_set():
                counts.append(len(index.entries([corpus])))
                index.search("the", [corpus])
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        index.refresh([corpus], workers=1)
    finally:
        done.set()
        thread.join()
    assert errors == []
    assert counts == sorted(counts) and len(index.entries([corpus])) == 12


def test_cancel_keeps_what_was_committed(index, corpus, monkeypatch):
    import threading

    monkeypatch.setattr(tuning, "BATCH_FILES", 1)
    monkeypatch.setattr(tuning, "CHUNK_FILES", 1)
    stop = threading.Event()

    def progress(done, total, entry):
        if done == 3:
            stop.set()

    stats = index.refresh([corpus], progress=progress, cancel=stop, workers=1)
    assert stats.cancelled and 3 <= stats.parsed < 12
    assert index.refresh([corpus]).parsed == 12 - stats.parsed


# ---------------------------------------------------------------------------- broken briefs


def test_broken_brief_is_stored_as_error_with_its_problems(index, tmp_path):
    folder = tmp_path / "briefs"
    folder.mkdir()
    bad = folder / "bad.md"
    bad.write_text(brief_text("Broken on purpose", "See [Kishida]{.leader ref=nobody} speak."), encoding="utf-8")
    (folder / "good.md").write_text(brief_text("Fine", "All is well."), encoding="utf-8")
    (folder / "binary.md").write_bytes(b"\x00\x01\x02")
    index.refresh([folder])
    with pytest.raises(BriefError) as exc:
        load_brief(bad)
    e = index.get(bad)
    assert not e.ok and e.status == "error"
    assert e.title == "Broken on purpose"  # from its title line
    assert e.error_count == len(exc.value.errors) >= 1
    expected = exc.value.errors[0]
    assert e.first_error == f"{expected.line}:{expected.col}: {expected.message}"
    problems = index.problems_for(bad)
    assert [p.format() for p in problems] == [p.format() for p in exc.value.problems]
    assert index.fact_labels_for(bad) is None
    binary = index.get(folder / "binary.md")
    with pytest.raises(BriefError) as exc:
        load_brief(folder / "binary.md")
    assert not binary.ok and binary.title == "binary.md"
    assert binary.first_error.endswith(exc.value.errors[0].message)
    assert index.get(folder / "good.md").ok
    assert [e.path.name for e in index.entries([folder], status="error")] == ["bad.md", "binary.md"]
    # Fixing it turns it ok.
    bad.write_text(brief_text("Mended", "See Kishida speak."), encoding="utf-8")
    index.refresh([folder])
    assert index.get(bad).ok and index.get(bad).title == "Mended" and index.problems_for(bad) == []


def test_symlinks_follow_the_parser_rules(index, tmp_path):
    folder = tmp_path / "briefs"
    folder.mkdir()
    outside = tmp_path / "outside.md"
    outside.write_text(brief_text("Outside", "Far away."), encoding="utf-8")
    (folder / "real.md").write_text(brief_text("Real", "Here."), encoding="utf-8")
    (folder / "inside-link.md").symlink_to(folder / "real.md")
    (folder / "outside-link.md").symlink_to(outside)
    (folder / "broken-link.md").symlink_to(tmp_path / "missing.md")
    (folder / ".hidden.md").write_text(brief_text("Hidden", "No."), encoding="utf-8")
    (folder / "notes.txt").write_text("not a brief", encoding="utf-8")
    (folder / ".git").mkdir()
    (folder / ".git" / "x.md").write_text(brief_text("Git", "No."), encoding="utf-8")
    index.refresh([folder])
    by_name = {e.path.name: e for e in index.entries([folder])}
    assert set(by_name) == {"real.md", "outside-link.md", "broken-link.md"}  # the inside link is real.md
    assert by_name["real.md"].ok
    assert "outside the opened folder" in by_name["outside-link.md"].first_error
    assert "broken symlink" in by_name["broken-link.md"].first_error
    index.refresh([folder], follow_symlinks=True)
    names = {e.path.name: e for e in index.entries([folder])}
    assert names["outside.md"].ok and names["outside.md"].title == "Outside"


def test_scan_finds_what_iter_brief_paths_finds(tmp_path):
    folder = tmp_path / "briefs"
    generate_corpus(folder, 6, seed=3, size_kb=1)
    (folder / ".hidden").mkdir()
    (folder / ".hidden" / "a.md").write_text("x", encoding="utf-8")
    (folder / "B.MARKDOWN").write_text("x", encoding="utf-8")
    (folder / "c.txt").write_text("x", encoding="utf-8")
    (folder / "deep" / "er").mkdir(parents=True)
    (folder / "deep" / "er" / "d.md").write_text("x", encoding="utf-8")
    expected = sorted(str(p.resolve()) for p, problem in iter_brief_paths([folder]) if problem is None)
    assert sorted(f.key for f in scan_root(folder)) == expected
    assert scan_root(tmp_path / "missing") is None



def test_scan_says_once_when_the_folders_listed_hold_many_entries(tmp_path):
    folder = tmp_path / "briefs"
    generate_corpus(folder, 6, seed=3, size_kb=1)
    (folder / "deep").mkdir()
    for i in range(3):
        (folder / "deep" / f"{i}.md").write_text("x", encoding="utf-8")
    entries = sum(len(dirs) + len(files) for _, dirs, files in os.walk(folder))
    for many, expected in ((1, 1), (entries, 1), (entries + 1, 0)):
        calls = []
        assert len(scan_root(folder, on_many=(many, lambda: calls.append(1)))) == 9
        assert len(calls) == expected, many


def test_a_large_folder_new_to_the_index_starts_the_forkserver_during_the_scan(index, corpus, monkeypatch):
    monkeypatch.setattr(tuning, "POOL_MIN_FILES", 5)
    started = []
    monkeypatch.setattr(pool_mod, "_prestart_pool", lambda: started.append(1))
    monkeypatch.setattr(index, "workers", 1)
    index.refresh([corpus])
    assert started == []  # (no pool: parsed in-process)
    monkeypatch.setattr(index, "workers", 2)
    index.refresh([corpus])
    assert started == []  # known to the index: a warm start must not pay for a pool
    index.forget([corpus])
    index.refresh([corpus])
    assert started == [1]

# ---------------------------------------------------------------------------- bad caches


def test_garbage_index_is_moved_aside_and_rebuilt(data_dir, corpus):
    data_dir.mkdir(parents=True)
    garbage = b"this is not a database\n" * 100
    (data_dir / "index.db").write_bytes(garbage)
    with Index.open() as idx:
        assert len(idx.moved_aside) == 1
        moved = idx.moved_aside[0]
        assert moved.name.startswith("index.db.corrupt-") and moved.read_bytes() == garbage
        assert idx.notices and "moved aside" in idx.notices[0]
        assert idx.refresh([corpus]).added == 12
        assert len(idx.entries([corpus])) == 12


def test_foreign_sqlite_file_is_moved_aside(data_dir, corpus):
    data_dir.mkdir(parents=True)
    conn = sqlite3.connect(data_dir / "index.db")
    conn.execute("CREATE TABLE briefs(name TEXT)")
    conn.execute("INSERT INTO briefs VALUES('someone else''s data')")
    conn.commit()
    conn.close()
    with Index.open() as idx:
        assert [p.name.split("-")[0] for p in idx.moved_aside] == ["index.db.foreign"]
        other = sqlite3.connect(idx.moved_aside[0])
        assert other.execute("SELECT name FROM briefs").fetchall() == [("someone else's data",)]
        other.close()
        idx.refresh([corpus])
        assert len(idx.entries([corpus])) == 12


def test_older_schema_is_rebuilt_in_place(data_dir, corpus):
    with Index.open() as idx:
        idx.refresh([corpus])
    conn = sqlite3.connect(data_dir / "index.db")
    conn.execute("PRAGMA user_version = 0")
    conn.close()
    with Index.open() as idx:
        assert idx.moved_aside == []
        assert idx.entries([corpus]) == []
        assert idx.refresh([corpus]).added == 12


def test_damaged_pages_are_detected_and_rebuilt(data_dir, corpus):
    with Index.open() as idx:
        idx.refresh([corpus])
    db = data_dir / "index.db"
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big")  # the file's page size
    assert len(data) > 4 * page
    for i in range(page, len(data), 97):  # scribble over every page but the header page
        data[i] = (data[i] + 0x55) & 0xFF
    db.write_bytes(bytes(data))
    with Index.open() as idx:
        stats = idx.refresh([corpus])
        assert idx.moved_aside, "the damaged file was not moved aside"
        assert stats.added == 12
        assert len(idx.entries([corpus])) == 12
        assert idx.search("the", [corpus])


@pytest.mark.parametrize("start, step", [(100, 7), (4096, 97)])
def test_a_damaged_schema_page_is_detected_and_rebuilt(data_dir, corpus, start, step):
    with Index.open() as idx:
        idx.refresh([corpus])
    db = data_dir / "index.db"
    data = bytearray(db.read_bytes())
    for i in range(start, int.from_bytes(data[16:18], "big"), step):  # the rest of the first page: the schema
        data[i] = (data[i] + 0x55) & 0xFF
    db.write_bytes(bytes(data))
    with Index.open() as idx:
        stats = idx.refresh([corpus])
        assert idx.moved_aside, "the damaged file was not moved aside"
        assert stats.added == 12 and len(idx.entries([corpus])) == 12


def test_unwritable_data_dir_falls_back(tmp_path, monkeypatch):
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root can write anywhere")
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with Index.open(ro) as idx:
            assert idx.db_path.parent != ro and idx.notices
    finally:
        ro.chmod(0o700)


# ---------------------------------------------------------------------------- search


@pytest.fixture
def tuvalu(tmp_path):
    folder = tmp_path / "briefs"
    folder.mkdir()
    (folder / "a-text.md").write_text(brief_text(
        "Regional meeting on fisheries",
        "Delegates from Tuvalu spoke first. Tuvalu asked for funds.\n\nLater Tuvalu and Fiji signed a memorandum."),
        encoding="utf-8")
    (folder / "b-title.md").write_text(brief_text(
        "Tuvalu signs climate pact", "The small island state agreed to a new climate finance framework."),
        encoding="utf-8")
    (folder / "c-none.md").write_text(brief_text("Fiji budget", "The budget grows."), encoding="utf-8")
    (folder / "d-fact.md").write_text(brief_text(
        "Leaders meet", "[The Prime Minister]{.leader ref=tk} spoke.",
        entities="\n  tk:\n    type: leader\n    name: Kausea Natano\n    country: Tuvalu\n"), encoding="utf-8")
    return folder


def test_search_ranks_title_matches_first(index, tuvalu):
    index.refresh([tuvalu])
    hits = index.search("tuvalu", [tuvalu])
    names = [h.path.name for h in hits]
    assert names[0] == "b-title.md" and sorted(names[1:]) == ["a-text.md", "d-fact.md"]
    assert hits[0].title_spans == ((0, 6),) and hits[0].title[0:6] == "Tuvalu"
    assert hits[0].score <= hits[1].score  # bm25: lower is better
    # The leader's fact carries the country: found through the facts.
    assert [h.path.name for h in index.search("natano", [tuvalu])] == ["d-fact.md"]


def test_snippet_offsets_point_at_the_query_words(index, tuvalu, corpus):
    index.refresh([tuvalu, corpus])
    for query, words in [("tuvalu", {"tuvalu"}), ("tuvalu fiji", {"tuvalu", "fiji"}), ("funds", {"funds"}),
                         ("minister", {"minister"}), ("prime minister", {"prime", "minister"})]:
        hits = index.search(query, [tuvalu, corpus])
        assert hits, query
        with_spans = [h for h in hits if h.spans]
        assert with_spans, query
        for h in with_spans:
            assert "\x01" not in h.snippet and "\x02" not in h.snippet and "\n" not in h.snippet
            for start, end in h.spans:
                word = h.snippet[start:end].casefold()
                assert any(word.startswith(w) for w in words), (query, word, h.snippet)
            for start, end in h.title_spans:
                assert any(h.title[start:end].casefold().startswith(w) for w in words)


def test_unselective_search_ranks_title_matches_then_lists_the_rest(index, tuvalu, monkeypatch):
    monkeypatch.setattr(tuning, "RANK_ALL_MAX", 1)
    index.refresh([tuvalu])
    hits = index.search("tuvalu", [tuvalu])
    assert [h.path.name for h in hits][0] == "b-title.md"
    assert sorted(h.path.name for h in hits[1:]) == ["a-text.md", "d-fact.md"]
    assert hits[0].score < 0 and all(h.score == 0.0 for h in hits[1:])
    assert all(h.snippet[s:e].casefold() == "tuvalu" for h in hits for s, e in h.spans)
    assert len(index.search("tuvalu", [tuvalu], limit=2)) == 2


def test_search_as_you_type_matches_prefixes(index, tuvalu):
    index.refresh([tuvalu])
    assert {h.path.name for h in index.search("tuv", [tuvalu])} == {"a-text.md", "b-title.md", "d-fact.md"}
    assert index.search("tuv ", [tuvalu]) == []  # a finished word is a whole word
    hits = index.search("tuval", [tuvalu])
    assert all(h.snippet[s:e].casefold().startswith("tuval") for h in hits for s, e in h.spans)


def test_search_phrases_and_exclusions(index, tuvalu):
    index.refresh([tuvalu])
    assert [h.path.name for h in index.search('"climate finance"', [tuvalu])] == ["b-title.md"]
    assert [h.path.name for h in index.search("tuvalu -fiji", [tuvalu])] == ["b-title.md", "d-fact.md"]
    assert index.search("", [tuvalu]) == [] and index.search("  -fiji ", [tuvalu]) == []


def test_search_limit_and_roots(index, tuvalu, corpus):
    index.refresh([tuvalu, corpus])
    assert len(index.search("the", [corpus], limit=5)) == 5
    assert all(h.path.is_relative_to(corpus.resolve()) for h in index.search("the", [corpus]))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.sampled_from(list('ab "*-()^:+NEAR OR AND NOT {}[].,\'\\\u00e9\u4e2d')), max_size=30))
def test_any_typed_text_is_a_valid_query(index, text):
    q = fts_query(text)
    if q is not None:
        index.search(text, None)  # must not raise
        index.entries(None, query=text)


def test_fts_query_language():
    assert fts_query("kishida") == '"kishida" *'
    assert fts_query("kishida ") == '"kishida"'
    assert fts_query('"south china sea" ardern') == '"south china sea" AND "ardern" *'
    assert fts_query("indo-pacific") == '"indo pacific" *'
    assert fts_query("trade -china ") == '("trade") NOT ("china")'
    assert fts_query("AND OR NOT") == '"AND" AND "OR" AND "NOT" *'
    assert fts_query("  ") is None and fts_query("-x") is None and fts_query('""') is None
    assert fts_query("fiji t") == '"fiji" AND "t"'  # no one-letter prefix


# ---------------------------------------------------------------------------- filters


def test_filters_combine(index, data_dir, tmp_path):
    folder = tmp_path / "many"
    generate_corpus(folder, 40, seed=11, size_kb=1.5)
    index.refresh([folder])
    briefs = {p.resolve(): load_brief(p) for p in folder.rglob("*.md")}

    def has_fact(b, kind, name):
        # As the filters read TYPE:value: a date and every date within it; a name, or the start of one of its words.
        from briefing.core.dates import contains

        if kind == "date":
            return any(f.value and contains(name, f.value) for f in b.facts.get(kind, []))
        n = name.casefold()
        return any(f.name.casefold().startswith(n) or f" {n}" in f.name.casefold() for f in b.facts.get(kind, []))

    leader = max({f.name for b in briefs.values() for f in b.facts["leader"]},
                 key=lambda n: sum(has_fact(b, "leader", n) for b in briefs.values()))
    tag = "security"
    lo, hi = dt.date(2017, 1, 1), dt.date(2024, 12, 31)
    cases = [
        ({"fact": ("leader", leader)}, lambda b: has_fact(b, "leader", leader)),
        ({"fact": ("leader", leader.upper())}, lambda b: has_fact(b, "leader", leader)),
        ({"tag": tag}, lambda b: tag in b.meta.tags),
        ({"date_from": lo, "date_to": hi}, lambda b: lo <= b.meta.published <= hi),
        ({"date_from": "2020-01-01"}, lambda b: b.meta.published >= dt.date(2020, 1, 1)),
        ({"fact": ("leader", leader), "date_from": lo, "date_to": hi},
         lambda b: has_fact(b, "leader", leader) and lo <= b.meta.published <= hi),
        ({"tag": [tag, "defence"], "date_to": hi}, lambda b: tag in b.meta.tags and "defence" in b.meta.tags
         and b.meta.published <= hi),
        ({"query": "agreement", "tag": tag}, lambda b: tag in b.meta.tags and "agreement" in
         (b.meta.title + " " + b.text).lower().replace("agreements", "agreement")),
    ]
    for filters, keep in cases:
        expected = {p for p, b in briefs.items() if keep(b)}
        got = index.entries([folder], **filters)
        assert {e.path for e in got} == expected, filters
        assert index.count([folder], **filters) == len(expected), filters
        assert 0 < len(expected) < 40 or "query" in filters, (filters, len(expected))
    assert index.count([folder]) == 40
    # A fact by key, and by a date's value.
    some = next(iter(briefs.values()))
    key = some.facts["leader"][0].key
    assert {e.path for e in index.entries([folder], fact=key)} == {
        p for p, b in briefs.items() if any(f.key == key for f in b.facts["leader"])}
    value = some.facts["date"][0].value
    assert {e.path for e in index.entries([folder], fact=("date", value))} == {
        p for p, b in briefs.items() if has_fact(b, "date", value)}
    # Search takes the same filters.
    hits = index.search("agreement", [folder], tag=tag, fact=("leader", leader))
    assert {h.path for h in hits} <= {p for p, b in briefs.items() if tag in b.meta.tags and has_fact(b, "leader", leader)}
    # Orders.
    by_date = index.entries([folder], order="-published")
    dates = [e.published for e in by_date]
    assert dates == sorted(dates, reverse=True)
    # Facets and tags count briefs.
    top = index.facet([folder], "leader", limit=3)
    assert top[0][1] == sum(has_fact(b, "leader", top[0][0]) for b in briefs.values())
    assert dict(index.tags([folder]))[tag] == sum(tag in b.meta.tags for b in briefs.values())


def test_quick_meta_reads_the_top_level_lines():
    data = b'---\ntitle: "A \\"quoted\\" title"\npublished: 2021-02-03\nsource: Wire\ntags: [a, "b c"]\n' \
           b"entities:\n  x:\n    title: nested\n---\nbody\n"
    assert quick_meta(data) == {"title": 'A "quoted" title', "published": "2021-02-03", "source": "Wire",
                                "tags": ["a", "b c"]}
    assert quick_meta(b"no front matter")["title"] is None
    assert quick_meta(b"---\ntitle: 'it''s'\npublished: soon\n---\n") == {
        "title": "it's", "published": None, "source": None, "tags": []}
    assert quick_meta(b"---\ntitle: x\x1b]0;evil\x07\n---\n")["title"] == "x\u241b]0;evil\u2407"
    assert quick_meta(b"---\r\ntitle: Windows\r\ntags: [a]\r\n---\r\nbody") == {
        "title": "Windows", "published": None, "source": None, "tags": ["a"]}
    assert quick_meta("\ufeff---\ntitle: BOM\n...\n".encode())["title"] == "BOM"
    assert quick_meta(b"---\ntitle: never closed\n")["title"] is None


def test_index_module_does_not_import_textual():
    import subprocess

    code = "import sys, briefing.index, briefing.index.watch, bench.corpus; sys.exit('textual' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[1]).returncode == 0


def test_a_brief_another_process_indexed_meanwhile_is_rewritten_not_doubled(data_dir, corpus):
    # Two readers on one folder: this refresh began when a brief was new, another wrote it
    # since. Writing it again replaces its facts and tags (no duplicate, no key collision).
    from briefing.index import RefreshStats, parse_file

    with Index.open(data_dir, workers=1) as first, Index.open(data_dir, workers=1) as other:
        keys = sorted(str(p.resolve()) for p in corpus.rglob("*.md"))
        other.refresh([corpus])
        before = {k: other.fact_labels_for(k) for k in keys}
        conn = first._conn()
        results = [parse_file(k) for k in keys]
        first._write(conn, results, {k: [str(corpus.resolve())] for k in keys}, {}, RefreshStats(), None, 0, 0)
        assert {k: first.fact_labels_for(k) for k in keys} == before
        assert all(before[k] for k in keys if first.get(k).ok)
        tags = conn.execute("SELECT count(*), count(DISTINCT tag || '/' || brief_id) FROM tags").fetchone()
        assert tags[0] == tags[1]


def test_two_openings_of_a_new_index_at_once_both_work(tmp_path):
    # Two readers started together on a fresh data folder: the second waited for neither the
    # journal mode ("database is locked") nor the schema the first was creating.
    import threading

    for trial in range(25):
        folder = tmp_path / f"d{trial}"
        opened, failed = [], []
        barrier = threading.Barrier(2)

        def open_index() -> None:
            barrier.wait()
            try:
                opened.append(Index.open(folder, workers=1))
            except Exception as exc:  # noqa: BLE001 - what the test is about
                failed.append(repr(exc))

        threads = [threading.Thread(target=open_index) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not failed and len(opened) == 2
        assert all(not i.notices and i.count() == 0 for i in opened)
        for i in opened:
            i.close()


def test_the_parser_fingerprint_covers_files_that_exist():
    # A module renamed or split without updating FINGERPRINTED would silently stop making a
    # changed parser re-parse every brief (a missing file is hashed by its name only).
    package = Path(schema_mod.__file__).resolve().parent.parent
    assert [name for name in schema_mod.FINGERPRINTED if not (package / name).is_file()] == []
    # ... and every module of the index that a parse result or a stored row comes from is in it.
    for module in ("parse", "fast", "scan", "write", "entry", "schema"):
        assert f"index/{module}.py" in schema_mod.FINGERPRINTED
    # ... and every module of the Markdown parser (a package: a module added to it is listed too).
    markdown = sorted(p.relative_to(package).as_posix() for p in (package / "core" / "markdown").glob("*.py"))
    assert markdown and set(markdown) <= set(schema_mod.FINGERPRINTED)
