"""briefing.index.parse reads a brief in one read (``_read_plain``), and leaves anything
out of the ordinary to ``read_brief_bytes``: the same bytes, the same messages."""

from __future__ import annotations

import os

import pytest

from briefing.core import limits
from briefing.core.parser import BriefError, read_brief_bytes
from briefing.index import parse as parse_mod
from briefing.index.parse import R_PROBLEMS, R_STATUS, R_UNSTABLE, _read_plain, parse_file

BRIEF = "---\ntitle: T\npublished: 2024-01-02\n---\n\n[Xi Jinping]{.leader} spoke.\n"


def test_the_same_bytes_as_the_readers_read(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(BRIEF * 3, encoding="utf-8")
    assert _read_plain(str(path), path.stat().st_size) == read_brief_bytes(path)


def test_anything_else_is_none(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(BRIEF, encoding="utf-8")
    size = path.stat().st_size
    assert _read_plain(str(path), size - 1) is None  # grew since its stat
    assert _read_plain(str(path), size + 1) is None  # shrank since
    assert _read_plain(str(tmp_path / "gone.md"), size) is None
    assert _read_plain(str(tmp_path), 0) is None  # a folder put in its place
    assert _read_plain(str(path), limits.MAX_BRIEF_BYTES + 1) is None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_never_blocks(tmp_path):
    fifo = tmp_path / "f.md"
    os.mkfifo(fifo)
    assert _read_plain(str(fifo), 10) is None


def test_a_file_that_changed_between_stat_and_read_is_read_the_readers_way(tmp_path, monkeypatch):
    path = tmp_path / "a.md"
    path.write_text(BRIEF, encoding="utf-8")
    real_stat = os.stat
    calls = []

    def stat(p, *a, **k):  # the first stat of parse_file sees the file one byte shorter
        st = real_stat(p, *a, **k)
        calls.append(p)
        if len(calls) == 1:
            return os.stat_result((st.st_mode, st.st_ino, st.st_dev, st.st_nlink, st.st_uid, st.st_gid,
                                   st.st_size - 1, int(st.st_atime), int(st.st_mtime), int(st.st_ctime)))
        return st

    used = []
    monkeypatch.setattr(parse_mod.os, "stat", stat)
    monkeypatch.setattr("briefing.core.parser.read_brief_bytes", lambda key: used.append(key) or read_brief_bytes(key))
    r = parse_file(str(path))
    assert used == [str(path)]
    assert r[R_STATUS] == "ok" and r[R_UNSTABLE]  # (so it is read again later)


def test_an_oversized_brief_keeps_its_message(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_BRIEF_BYTES", 20)
    monkeypatch.setattr(parse_mod, "MAX_BRIEF_BYTES", 20)
    monkeypatch.setattr("briefing.core.parser.MAX_BRIEF_BYTES", 20)
    path = tmp_path / "a.md"
    path.write_text(BRIEF, encoding="utf-8")
    r = parse_file(str(path))
    assert r[R_STATUS] == "error" and "refused" in r[R_PROBLEMS][0][3]
    # read_brief_bytes's own words ("file is ... MB"), not parse_brief's ("brief is over"),
    # which a brief over the limit that _read_plain let through would get
    with pytest.raises(BriefError) as exc:
        read_brief_bytes(path)
    assert r[R_PROBLEMS][0][3] == exc.value.problems[0].message
