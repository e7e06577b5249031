"""Shared fixtures. Keep this small: helpers that only one test file needs live in that file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
BRIEFS_DIR = REPO_ROOT / "briefs"

# Processes started by the code under test (the index's worker pool, the tmux e2e tests'
# `briefing`) import this checkout too, not whatever `briefing` is installed: pyproject's
# pythonpath only reaches this process, and Python 3.11's forkserver ignores its sys.path.
_TUI = str(REPO_ROOT / "tui")
os.environ["PYTHONPATH"] = os.pathsep.join(
    [_TUI] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != _TUI])


@pytest.fixture(autouse=True)
def _config_dir(tmp_path_factory, monkeypatch):
    """Every test reads and writes settings.toml and keymap.toml in a folder of its own, never
    the user's (the reader saves settings when they change)."""
    if "BRIEFING_CONFIG_DIR" not in os.environ or os.environ["BRIEFING_CONFIG_DIR"].startswith(os.path.expanduser("~")):
        monkeypatch.setenv("BRIEFING_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))


@pytest.fixture
def briefs_dir() -> Path:
    """The shipped briefs."""
    return BRIEFS_DIR


@pytest.fixture
def run_cli(tmp_path):
    """Run ``python -m briefing ARGS`` in a subprocess, from ``cwd`` (default: an empty folder
    inside tmp_path), with this checkout first on the import path. Returns the CompletedProcess."""

    def run(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
        if cwd is None:
            cwd = tmp_path / "cwd"
            cwd.mkdir(exist_ok=True)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT / "tui"), env.get("PYTHONPATH", "")) if p)
        env["PYTHONIOENCODING"] = "utf-8"
        env["BRIEFING_DATA_DIR"] = str(tmp_path / "briefing-data")
        env.pop("PYTHONSTARTUP", None)
        return subprocess.run(
            [sys.executable, "-m", "briefing", *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )

    return run
