"""briefing.files: the one walker. The CLI, the index and the first frame's list find the
same briefs by the same policy (suffixes, hidden entries, symlinks), and a cycle of links
ends."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefing import files
from briefing.core.parser import iter_brief_paths
from briefing.index.scan import scan_root
from briefing.session.library import Library


@pytest.fixture
def folder(tmp_path) -> Path:
    root = tmp_path / "briefs"
    (root / "deep" / "er").mkdir(parents=True)
    (root / ".hidden").mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    for p in (root / "a.md", root / "B.MARKDOWN", root / "deep" / "er" / "d.md", root / ".hidden" / "h.md",
              root / ".dot.md", root / "c.txt", outside / "o.md"):
        p.write_text("---\ntitle: x\n---\nx\n", encoding="utf-8")
    os.symlink(root / "a.md", root / "inside-link.md")
    os.symlink(outside / "o.md", root / "outside-link.md")
    os.symlink(root / "nowhere.md", root / "broken-link.md")
    os.symlink(outside, root / "linked-folder")
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "fifo.md")
    return root


def test_the_cli_the_index_and_the_first_frame_find_the_same_briefs(folder):
    cli = {str(p.resolve()) for p, problem in iter_brief_paths([folder]) if problem is None}
    index = {f.key for f in scan_root(folder) if f.problem is None}
    first_frame = {str(p.resolve()) for p in Library([folder]).quick_files()}
    real = str(folder.resolve())
    assert index == first_frame == {f"{real}/a.md", f"{real}/B.MARKDOWN", f"{real}/deep/er/d.md"}
    # The CLI leaves a FIFO and a broken link inside the folder to load_brief, which reports
    # them ("not a regular file", "no such file"), as validate always did.
    assert cli - index <= {f"{real}/fifo.md", f"{real}/nowhere.md"}
    problems = {Path(f.path).name: f.problem for f in files.walk(folder) if f.problem}
    assert problems["outside-link.md"] == files.OUTSIDE and problems["broken-link.md"] == files.BROKEN
    if hasattr(os, "mkfifo"):
        assert problems["fifo.md"] == files.NOT_REGULAR


def test_following_symlinks_enters_linked_folders_under_their_names(folder):
    found = {os.path.relpath(f.path, folder): f.key for f in files.walk(folder, follow_symlinks=True)
             if f.problem is None}
    assert found["linked-folder/o.md"] == str((folder.parent / "outside" / "o.md").resolve())
    assert found["outside-link.md"] == str((folder.parent / "outside" / "o.md").resolve())


def test_a_cycle_of_linked_folders_ends(folder):
    os.symlink(folder, folder / "deep" / "back-to-the-top")
    os.symlink(folder / "deep", folder / "deep" / "er" / "up")
    found = [f.path for f in files.walk(folder, follow_symlinks=True)]
    assert len(found) == len(set(found)) < 20
    assert len(iter_brief_paths([folder], follow_symlinks=True)) < 20


def test_a_limit_gives_none_when_there_are_more(folder):
    assert files.walk(folder, limit=100) is not None
    assert files.walk(folder, limit=2) is None
    assert files.walk(folder / "missing") is None


def test_one_set_of_brief_suffixes():
    from briefing.core import parser
    from briefing.index import scan, watch

    assert parser.BRIEF_SUFFIXES is scan.BRIEF_SUFFIXES is watch.BRIEF_SUFFIXES is files.BRIEF_SUFFIXES
    assert files.is_brief_name("A.MD") and not files.is_brief_name(".a.md") and not files.is_brief_name("a.txt")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_validate_reports_a_fifo_named_like_a_brief_instead_of_waiting_for_a_writer(tmp_path, run_cli):
    os.mkfifo(tmp_path / "fifo.md")
    for args in ([str(tmp_path)], ["--follow-symlinks", str(tmp_path)], [str(tmp_path / "fifo.md")]):
        r = run_cli("validate", *args, timeout=60)
        assert r.returncode == 1 and "fifo.md:1:1: error: not a regular file" in r.stdout, (args, r.stdout, r.stderr)
