"""End to end (issue 16): the installed ``briefing`` opens a raw seed text in tmux, the draft is
accepted and written, the written brief reopens, and ``briefing facts --json`` on it matches
the draft's facts (the draft made independently by ``briefing annotate``)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

from tests.test_e2e_tmux import Tmux, briefing_cmd, pytestmark  # noqa: F401  (fixture, skip rule)

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_c0672818cc265857.txt"
TITLE = "Japan, New Zealand to Cooperate"


def facts(briefing_cmd: str, path: Path, env: dict) -> dict:
    done = subprocess.run([briefing_cmd, "facts", "--json", str(path)], capture_output=True, text=True,
                          env={**os.environ, **env})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_raw_seed_reviewed_written_and_reopened(tmp_path, briefing_cmd):
    env = {"BRIEFING_DATA_DIR": str(tmp_path / "data"), "BRIEFING_CONFIG_DIR": str(tmp_path / "config")}
    folder = tmp_path / "inbox"
    folder.mkdir()
    raw = folder / SEED.name
    shutil.copy(SEED, raw)
    written = raw.with_suffix(".md")
    term = Tmux(f"{briefing_cmd} {folder}", cwd=tmp_path, env=env)
    try:
        screen = term.wait_for("raw text, draft")  # listed, not indexed
        term.wait_for("Leaders (2)")  # the draft's facts, computed on the fly
        term.wait_for("? Jacinda Ardern")  # a draft fact carries the cue
        term.wait_for("resolved against the file's date")  # no dateline: the notice says so
        term.wait_for("+ Accept")  # the review keys are in the footer
        term.keys("*")  # accept the whole draft
        term.wait_until_gone("? Jacinda Ardern")
        term.keys("w")
        term.wait_for("when was this text published?")  # no dateline: the date is asked first
        assert not written.exists()
        time.sleep(0.5)  # the dialog's line takes the focus once drawn
        term.keys("Enter")  # the file's date, prefilled: kept deliberately
        term.wait_for("Wrote " + written.name)
        assert written.exists()
        term.wait_until_gone("raw text, draft")  # the raw text hides behind its brief
        term.keys("q")
        deadline = time.monotonic() + 10
        while term.alive() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        term.kill()
    # Reopened: an ordinary brief now (no draft cue, no review keys in the footer).
    term = Tmux(f"{briefing_cmd} {folder}", cwd=tmp_path, env=env)
    try:
        screen = term.wait_for("Jacinda Ardern ×")
        assert "? Jacinda Ardern" not in screen and "raw text, draft" not in screen
        assert TITLE in screen
        term.keys("q")
    finally:
        term.kill()
    published = dt.date.fromtimestamp(raw.stat().st_mtime).isoformat()
    draft = tmp_path / "draft.md"
    done = subprocess.run([briefing_cmd, "annotate", str(raw), "--published", published, "--no-learn",
                           "-o", str(draft)], capture_output=True, text=True, env={**os.environ, **env})
    assert done.returncode == 0, done.stderr
    got, want = facts(briefing_cmd, written, env), facts(briefing_cmd, draft, env)
    assert got["facts"]["leader"] and got["facts"] == want["facts"]
    assert (got["title"], got["published"]) == (want["title"], want["published"])
    assert "draft: true" not in written.read_text(encoding="utf-8")


def test_draft_md_reviewed_by_keyboard_replaced_after_yes_and_reopened(tmp_path, briefing_cmd):
    """A ``draft: true`` brief: a new mention marked with the keyboard only (find, the word
    keys, ``i``), the draft accepted, ``w`` asks, ``y`` replaces the file; reopened, it is an
    ordinary brief that validates, and ``facts --json`` has what the review showed."""
    env = {"BRIEFING_DATA_DIR": str(tmp_path / "data"), "BRIEFING_CONFIG_DIR": str(tmp_path / "config")}
    folder = tmp_path / "inbox"
    folder.mkdir()
    brief = folder / "japan.md"
    done = subprocess.run([briefing_cmd, "annotate", str(SEED), "--published", "2024-06-19", "--no-learn",
                           "-o", str(brief)], capture_output=True, text=True, env={**os.environ, **env})
    assert done.returncode == 0, done.stderr
    before = brief.read_text(encoding="utf-8")
    assert "draft: true" in before and "Ukraine-Russia crisis]" not in before
    term = Tmux(f"{briefing_cmd} {folder}", cwd=tmp_path, env=env)
    try:
        term.wait_for("? Jacinda Ardern")  # the draft cue, and the review keys in the footer
        term.wait_for("+ Accept")
        term.wait_for("Briefs 1/1")  # indexed
        term.keys("Enter", "/")
        term.wait_for("Find in brief")
        subprocess.run([*term.tmux, "send-keys", "-t", term.name, "-l", "Ukraine-Russia cr"], check=True)
        term.wait_for("▊  Ukraine-Russia cr")  # typed into the box (its placeholder went at the first letter)
        term.keys("Enter")
        # The box's own line gone: only then has the pane the keys (waiting for the placeholder
        # to go returned at once, and "Right" went to the box on a busy CI machine).
        term.wait_until_gone("▊  Ukraine-Russia cr")
        term.keys("Right")  # the find's match, as whole words
        term.wait_for("Selected 2 words: “Ukraine-Russia crisis”")
        term.keys("i")
        term.wait_for("New mention: “Ukraine-Russia crisis”")
        time.sleep(0.5)  # the dialog's line takes the focus once drawn (as a person would wait)
        term.keys("e")
        term.wait_for("▊  e  ")  # typed into the dialog's line
        term.keys("Enter")
        term.wait_for("New event mention added")
        term.keys("*")
        term.wait_until_gone("? Jacinda Ardern")
        term.keys("w")
        term.wait_for("Replace this brief with the reviewed one")
        assert brief.read_text(encoding="utf-8") == before  # nothing written before the yes
        term.keys("y")
        term.wait_for("Wrote japan.md")
        term.keys("q")
        deadline = time.monotonic() + 10
        while term.alive() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        term.kill()
    after = brief.read_text(encoding="utf-8")
    assert "draft: true" not in after and "[Ukraine-Russia crisis]{.event ref=ukraine_russia_crisis}" in after
    term = Tmux(f"{briefing_cmd} {folder}", cwd=tmp_path, env=env)
    try:
        screen = term.wait_for("Jacinda Ardern ×")
        assert "? Jacinda Ardern" not in screen and "+ Accept" not in screen
        term.keys("q")
    finally:
        term.kill()
    done = subprocess.run([briefing_cmd, "validate", str(brief)], capture_output=True, text=True,
                          env={**os.environ, **env})
    assert done.returncode == 0, done.stdout + done.stderr
    got = facts(briefing_cmd, brief, env)
    assert [e["name"] for e in got["facts"]["event"]] == ["Ukraine-Russia crisis"]
    assert {e["name"] for e in got["facts"]["leader"]} == {"Jacinda Ardern", "Fumio Kishida"}
