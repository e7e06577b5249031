"""briefing.index.write._store_rows: a path the refresh took for new is inserted first, and
still updated in place when another process stored it since (no second row, no error)."""

from __future__ import annotations

from briefing.index import Index
from briefing.index.parse import R_TITLE, parse_file
from briefing.index.write import _store_rows


def _brief(path, title: str) -> str:
    path.write_text(f"---\ntitle: {title}\npublished: 2024-01-02\n---\n\n[Xi Jinping]{{.leader}} spoke.\n",
                    encoding="utf-8")
    return str(path)


def test_a_fresh_path_stored_meanwhile_is_updated_in_place(tmp_path):
    key = _brief(tmp_path / "a.md", "First")
    with Index.open(tmp_path / "data", workers=1) as idx:
        with idx._tx() as conn:  # (another process, since the refresh began)
            (first,) = _store_rows(conn, [parse_file(key)], {})
        _brief(tmp_path / "a.md", "Second")
        r = parse_file(key)
        assert r[R_TITLE] == "Second"
        with idx._tx() as conn:
            (again,) = _store_rows(conn, [r], {}, fresh={key})
        conn = idx._conn()
        assert again == first
        assert conn.execute("SELECT id, title FROM briefs").fetchall() == [(first, "Second")]
        assert conn.execute("SELECT count(*) FROM facts WHERE brief_id = ?", (first,)).fetchone() == (1,)
        assert conn.execute("SELECT spelling, name, type FROM spellings").fetchall() == [("xi jinping", 1, "leader")]


def test_fresh_paths_are_inserted(tmp_path):
    keys = [_brief(tmp_path / f"{i}.md", f"T{i}") for i in range(3)]
    with Index.open(tmp_path / "data", workers=1) as idx:
        with idx._tx() as conn:
            bids = _store_rows(conn, [parse_file(k) for k in keys], {}, fresh=set(keys))
        assert len(set(bids)) == 3
        assert idx._conn().execute("SELECT count(*) FROM briefs").fetchone() == (3,)
