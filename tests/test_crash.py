"""Killing the process at any moment loses nothing committed and never damages the database."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefing.store import DB_NAME, Store

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import sys
from briefing.core.parser import load_brief
from briefing.store import Store

brief = load_brief(sys.argv[1])
store = Store.open(sys.argv[2])
assert store.problem is None, store.problem
n = len(brief.text)
i = 0
print("ready", flush=True)
while True:
    start = (i * 7) % (n - 20)
    store.add_highlight(brief, start, start + 10 + i % 9, note=f"note {i}")
    i += 1
    print(i, flush=True)  # only after the commit returned
"""

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))


def run_and_kill(brief_path: Path, data: Path, rng: random.Random) -> int:
    """Start the child, kill it with SIGKILL at a random moment; the count it reported."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "tui") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(brief_path), str(data)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=env, cwd=ROOT)
    reported = 0
    try:
        assert child.stdout.readline().strip() == b"ready", child.stderr.read().decode()
        target = rng.randint(5, 60)
        while reported < target:
            line = child.stdout.readline()
            assert line, child.stderr.read().decode()
            reported = int(line)
        time.sleep(rng.random() * 0.05)  # anywhere: between commits, inside one, inside fsync
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        for line in child.stdout.read().split():  # what it printed before dying
            reported = max(reported, int(line))
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    return reported


def test_sigkill_loses_no_committed_highlight(tmp_path):
    brief_path = ROOT / "briefs" / "2022-04-21-japan-new-zealand-security-cooperation.md"
    data = tmp_path / "data"
    rng = random.Random(os.getpid() ^ int(time.time()))
    total = 0
    for _ in range(3):
        total += run_and_kill(brief_path, data, rng)
        conn = sqlite3.connect(data / DB_NAME)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            count = conn.execute("SELECT COUNT(*) FROM highlights").fetchone()[0]
        finally:
            conn.close()
        assert count >= total, (count, total)
        # At most the one being written when the signal came may be there unreported.
        assert count <= total + 1
        total = count
    with Store.open(data) as st:
        assert st.problem is None and not st.in_memory
        assert st.count() == total
