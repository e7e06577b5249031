"""`briefing -` reads a brief from standard input, keeps it in the data folder, then needs the
terminal for keys."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BRIEF = (REPO / "briefs" / "2024-06-19-japan-new-zealand-information-sharing-pact.md").read_bytes()


def run(data: bytes, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO / "tui"), "BRIEFING_DATA_DIR": str(tmp_path / "data")}
    # A session of its own: no controlling terminal, as in a pipeline run from cron.
    return subprocess.run([sys.executable, "-m", "briefing", "-"], input=data, capture_output=True, env=env,
                          timeout=60, start_new_session=True)


def test_a_piped_brief_is_kept_and_the_reader_asks_for_a_terminal(tmp_path):
    result = run(BRIEF, tmp_path)
    assert result.returncode == 2
    assert b"needs a terminal" in result.stderr
    (saved,) = (tmp_path / "data" / "from-stdin").iterdir()
    assert saved.read_bytes() == BRIEF and saved.suffix == ".md"
    run(BRIEF, tmp_path)  # the same text again: the same file (its highlights would follow)
    assert len(list((tmp_path / "data" / "from-stdin").iterdir())) == 1


def test_empty_standard_input_is_a_clear_message(tmp_path):
    result = run(b"", tmp_path)
    assert result.returncode == 2 and b"standard input was empty" in result.stderr
