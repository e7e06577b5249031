"""A large build of a new index leaves the facts' secondary indexes out (briefing.index.
schema.defer_indexes): the search's is made by the first search filtering by a fact, the
views' by the first view; the index is then the one a build that kept them up to date
leaves, and the search and the views work (the same answers) while they are missing."""

from __future__ import annotations

import sqlite3

import pytest

from bench.corpus import generate_corpus
from briefing.index import Index, schema, tuning
from briefing.views.related import related
from briefing.views.scope import Scope
from briefing.views.timeline import timeline


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "briefs"
    generate_corpus(folder, 40, seed=3, size_kb=2)
    return folder


def _dump(idx: Index) -> tuple[list, list]:
    conn = idx._conn()
    facts = conn.execute("SELECT b.path, f.* FROM facts f JOIN briefs b ON b.id = f.brief_id "
                         "ORDER BY b.path, f.seq").fetchall()
    indexes = conn.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                           "ORDER BY name").fetchall()
    return [r[:1] + r[2:] for r in facts], indexes  # (not the row ids)


def _defers(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = schema.defer_indexes

    def counting(conn):
        calls.append(1)
        real(conn)

    monkeypatch.setattr(schema, "defer_indexes", counting)
    return calls


@pytest.mark.parametrize("workers", [1, 2])
def test_a_large_new_build_defers_the_indexes_and_leaves_the_same_index(tmp_path, corpus, monkeypatch, workers):
    monkeypatch.setattr(tuning, "POOL_MIN_FILES", 2)
    with Index.open(tmp_path / "kept", workers=workers) as kept:  # below BULK_MIN_FILES: kept up to date
        calls = _defers(monkeypatch)
        kept.refresh([corpus])
        assert calls == []
        expected = _dump(kept)
    monkeypatch.setattr(tuning, "BULK_MIN_FILES", 10)
    with Index.open(tmp_path / "deferred", workers=workers) as deferred:
        stats = deferred.refresh([corpus])
        assert calls == [1] and stats.parsed == 40
        assert schema.missing_indexes(deferred._conn()) == ["facts_match", "facts_ident"]
        assert timeline(deferred, Scope(), limit=5)  # the first view makes the views'
        assert schema.missing_indexes(deferred._conn()) == ["facts_match"]
        leader = deferred._conn().execute("SELECT label FROM facts WHERE type = 'leader' LIMIT 1").fetchone()[0]
        assert deferred.count(fact=("leader", leader)) > 0  # the first search filtering by a fact, the search's
        assert schema.missing_indexes(deferred._conn()) == []
        assert _dump(deferred) == expected
        assert [i[0] for i in expected[1]] == sorted({"facts_match", "facts_ident", "briefs_published", "briefs_list",
                                                      "tags_brief", "members_brief"})


def test_a_refresh_of_a_few_briefs_in_a_large_index_keeps_the_indexes(tmp_path, corpus, monkeypatch):
    monkeypatch.setattr(tuning, "BULK_MIN_FILES", 10)
    with Index.open(tmp_path / "data", workers=1) as idx:
        idx.refresh([corpus])
        calls = _defers(monkeypatch)
        more = corpus / "more"
        generate_corpus(more, 12, seed=4, size_kb=2)  # 12 new beside 40 stored: under half
        stats = idx.refresh([corpus])
        assert stats.parsed == 12 and calls == []


def test_indexes_a_killed_build_left_out_are_made_when_first_needed(tmp_path, corpus):
    with Index.open(tmp_path / "data", workers=1) as idx:
        idx.refresh([corpus])
        expected = _dump(idx)
        with idx._tx() as conn:
            schema.defer_indexes(conn)  # as a build does at its start; then it is killed
        assert sorted(schema.missing_indexes(idx._conn())) == ["facts_ident", "facts_match"]
    with Index.open(tmp_path / "data", workers=1) as idx:
        assert sorted(schema.missing_indexes(idx._conn())) == ["facts_ident", "facts_match"]  # (opening makes none)
        assert idx.ready_for_views() and schema.missing_indexes(idx._conn()) == ["facts_match"]
        assert idx.ready_for_search() and schema.missing_indexes(idx._conn()) == []
        assert _dump(idx) == expected


@pytest.mark.parametrize("view", ["timeline", "related", "profile"])
def test_each_view_makes_the_views_index_it_needs(tmp_path, corpus, monkeypatch, view):
    from briefing.views.profile import profile

    monkeypatch.setattr(tuning, "BULK_MIN_FILES", 10)
    with Index.open(tmp_path / "data", workers=1) as idx:
        idx.refresh([corpus])
        assert "facts_ident" in schema.missing_indexes(idx._conn())
        if view == "timeline":
            assert timeline(idx, Scope(), limit=5)
        elif view == "related":
            assert _related(idx, str(sorted(corpus.rglob("*.md"))[0]), Scope())
        else:
            name = idx._conn().execute("SELECT label FROM facts WHERE type = 'leader' LIMIT 1").fetchone()[0]
            assert profile(idx, name, Scope()).briefs
        assert "facts_ident" not in schema.missing_indexes(idx._conn())


def test_a_view_does_not_wait_for_a_build_to_make_the_views_index(tmp_path, corpus, monkeypatch):
    monkeypatch.setattr(tuning, "BULK_MIN_FILES", 10)
    with Index.open(tmp_path / "data", workers=1) as idx:
        idx.refresh([corpus])
        before = timeline(idx, Scope(), limit=50)
        with idx._tx() as conn:
            schema.defer_indexes(conn)
        other = sqlite3.connect(idx.db_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # (another process's build holds the file)
        try:
            assert idx.ready_for_views() is False
            assert timeline(idx, Scope(), limit=50) == before  # read without it
        finally:
            other.execute("ROLLBACK")
            other.close()
        with idx._refresh_lock:  # (a refresh of this process is running)
            assert idx.ready_for_views() is False
        assert timeline(idx, Scope(), limit=50) == before  # (this one makes it)
        assert schema.missing_indexes(idx._conn()) == ["facts_match"]  # (the first fact filter's)


def test_the_views_work_while_a_build_has_the_indexes_deferred(tmp_path, briefs_dir):
    with Index.open(tmp_path / "data", workers=1) as idx:
        idx.refresh([briefs_dir])
        scopes = (Scope(), Scope(roots=[str(briefs_dir)]))  # (every brief; a folder's: a join)
        first = str(sorted(briefs_dir.glob("*.md"))[0])
        before = [(timeline(idx, s, limit=50), _related(idx, first, s)) for s in scopes]
        assert all(t and r for t, r in before) and schema.index_hint(idx._conn(), "facts_ident") == " INDEXED BY facts_ident"
        with idx._tx() as conn:
            schema.defer_indexes(conn)
        assert schema.index_hint(idx._conn(), "facts_ident") == ""
        with pytest.raises(sqlite3.OperationalError):  # what the hint avoids
            idx._conn().execute("SELECT count(*) FROM facts INDEXED BY facts_ident").fetchone()
        with idx._refresh_lock:  # (while a refresh runs, a view does not make the index)
            assert [(timeline(idx, s, limit=50), _related(idx, first, s)) for s in scopes] == before
        assert schema.missing_indexes(idx._conn(), schema.VIEWS_INDEXES) == ["facts_ident"]


def _related(idx, path, scope) -> list[tuple]:
    """Related briefs, their scores to 9 places and all the facts shared, as a set: read
    without the index, the postings come in another order (the sums differ in the last
    bits, and facts of equal weight are shared in another order)."""
    return [(r.path, round(r.score, 9), frozenset(r.shared)) for r in related(idx, path, scope, shown_shared=1000)]


def test_a_cancelled_build_leaves_them_to_the_first_search_and_view(tmp_path, corpus, monkeypatch):
    import threading

    monkeypatch.setattr(tuning, "BULK_MIN_FILES", 10)
    stop = threading.Event()
    stop.set()  # (as if the reader quit once the build had begun: it stops at its first check)

    with Index.open(tmp_path / "data", workers=1) as idx:
        stats = idx.refresh([corpus], cancel=stop)
        assert stats.cancelled
        assert sorted(schema.missing_indexes(idx._conn())) == ["facts_ident", "facts_match"]
        monkeypatch.setattr(tuning, "BULK_MIN_FILES", 10**6)  # (the next refresh defers nothing itself)
        stats = idx.refresh([corpus])
        assert not stats.cancelled and stats.parsed == 40
        assert sorted(schema.missing_indexes(idx._conn())) == ["facts_ident", "facts_match"]
        assert idx.ready_for_search() and idx.ready_for_views() and schema.missing_indexes(idx._conn()) == []


def test_a_search_filtering_by_a_fact_gives_the_same_briefs_without_the_index(tmp_path, corpus, monkeypatch):
    monkeypatch.setattr(tuning, "BULK_MIN_FILES", 10)
    with Index.open(tmp_path / "data", workers=1) as idx:
        idx.refresh([corpus])
        conn = idx._conn()
        filters = [(t, label) for t, label in conn.execute("SELECT DISTINCT type, label FROM facts ORDER BY 1, 2")]
        filters += [("date", "2024"), ("leader", "a")]  # (a period; a word's beginning)
        # Without it (a refresh of this process runs: the search reads the table)...
        with idx._refresh_lock:
            without = [[e.path for e in idx.entries(fact=f)] for f in filters]
            assert schema.missing_indexes(conn, schema.SEARCH_INDEXES) == ["facts_match"]
        # ... and with it, made by the first such search.
        assert [[e.path for e in idx.entries(fact=f)] for f in filters] == without
        assert schema.missing_indexes(conn, schema.SEARCH_INDEXES) == []
        assert any(without)


def test_the_search_does_not_wait_for_another_process_to_make_its_index(tmp_path, corpus, monkeypatch):
    monkeypatch.setattr(tuning, "BULK_MIN_FILES", 10)
    with Index.open(tmp_path / "data", workers=1) as idx:
        idx.refresh([corpus])
        leader = idx._conn().execute("SELECT label FROM facts WHERE type = 'leader' LIMIT 1").fetchone()[0]
        other = sqlite3.connect(idx.db_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # (another process's build holds the file)
        try:
            assert idx.ready_for_search() is False
            assert idx.count(fact=("leader", leader)) > 0  # read without it
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert schema.missing_indexes(idx._conn(), schema.SEARCH_INDEXES) == ["facts_match"]


def test_resolving_a_date_makes_the_search_index(tmp_path, corpus, monkeypatch):
    from briefing.views.resolve import resolve

    monkeypatch.setattr(tuning, "BULK_MIN_FILES", 10)
    with Index.open(tmp_path / "data", workers=1) as idx:
        idx.refresh([corpus])
        day = idx._conn().execute("SELECT label FROM facts WHERE type = 'date' LIMIT 1").fetchone()[0]
        with idx._refresh_lock:  # (without the indexes)
            before = resolve(idx, day)
        assert resolve(idx, day) == before and before.idents
        assert schema.missing_indexes(idx._conn()) == []


def test_the_search_index_is_made_whole_even_inside_a_search_a_new_line_cancels(tmp_path, corpus):
    """The first search filtering by a fact makes facts_match inside the search worker's
    cancellable read: a line typed meanwhile cancels the search, not the index (it was
    cancelled part-way and thrown away, again at each new line)."""
    with Index.open(tmp_path / "data", workers=1) as idx:
        idx.refresh([corpus])
        with idx._tx() as conn:
            schema.defer_indexes(conn)
        with idx.cancellable(lambda: True):  # a new line already typed: every read stops
            assert idx.ready_for_search()
            with pytest.raises(sqlite3.OperationalError):  # the reads inside are still cancelled
                idx._conn().execute("SELECT count(*) FROM facts f1, facts f2").fetchone()
        assert schema.missing_indexes(idx._conn()) == ["facts_ident"]
