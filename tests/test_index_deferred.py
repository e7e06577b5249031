"""A large build of a new index makes the facts' secondary indexes after its last insert,
the views' one when a view first runs (briefing.index.schema.defer_indexes): the index it
leaves is the one a build that kept them up to date leaves, a build killed in between
leaves nothing the search needs missing at the next open, and the views work meanwhile."""

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
        assert calls == [1] and stats.index_seconds > 0 and stats.parsed == 40
        assert schema.missing_indexes(deferred._conn()) == ["facts_ident"]  # (the views')
        assert timeline(deferred, Scope(), limit=5)  # the first view makes it
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
        assert stats.parsed == 12 and calls == [] and stats.index_seconds == 0


def test_indexes_a_killed_build_left_out_are_made_at_the_next_open(tmp_path, corpus):
    with Index.open(tmp_path / "data", workers=1) as idx:
        idx.refresh([corpus])
        expected = _dump(idx)
        with idx._tx() as conn:
            schema.defer_indexes(conn)  # as a build does at its start; then it is killed
        assert sorted(schema.missing_indexes(idx._conn())) == ["facts_ident", "facts_match"]
    with Index.open(tmp_path / "data", workers=1) as idx:
        assert schema.missing_indexes(idx._conn()) == ["facts_ident"]  # (made by the first view)
        assert idx.ready_for_views() and schema.missing_indexes(idx._conn()) == []
        assert _dump(idx) == expected


@pytest.mark.parametrize("view", ["timeline", "related", "profile"])
def test_each_view_makes_the_views_index_it_needs(tmp_path, corpus, monkeypatch, view):
    from briefing.views.profile import profile

    monkeypatch.setattr(tuning, "BULK_MIN_FILES", 10)
    with Index.open(tmp_path / "data", workers=1) as idx:
        idx.refresh([corpus])
        assert schema.missing_indexes(idx._conn()) == ["facts_ident"]
        if view == "timeline":
            assert timeline(idx, Scope(), limit=5)
        elif view == "related":
            assert _related(idx, str(sorted(corpus.rglob("*.md"))[0]), Scope())
        else:
            name = idx._conn().execute("SELECT label FROM facts WHERE type = 'leader' LIMIT 1").fetchone()[0]
            assert profile(idx, name, Scope()).briefs
        assert schema.missing_indexes(idx._conn()) == []


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
        assert timeline(idx, Scope(), limit=50) == before
        assert schema.missing_indexes(idx._conn()) == ["facts_match"]  # (the build's: the next refresh's)


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


def test_a_cancelled_build_leaves_them_to_the_next_refresh(tmp_path, corpus, monkeypatch):
    # (quitting the reader in the middle of a build does not wait for them to be made)
    import threading

    monkeypatch.setattr(tuning, "BULK_MIN_FILES", 10)
    stop = threading.Event()
    stop.set()  # (as if the reader quit once the build had begun: it stops at its first check)

    with Index.open(tmp_path / "data", workers=1) as idx:
        stats = idx.refresh([corpus], cancel=stop)
        assert stats.cancelled and stats.index_seconds == 0
        assert sorted(schema.missing_indexes(idx._conn())) == ["facts_ident", "facts_match"]
        monkeypatch.setattr(tuning, "BULK_MIN_FILES", 10**6)  # (the next refresh defers nothing itself)
        stats = idx.refresh([corpus])
        assert not stats.cancelled and stats.index_seconds > 0
        assert schema.missing_indexes(idx._conn()) == ["facts_ident"]  # (the first view's)
