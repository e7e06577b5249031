"""End to end: the installed ``briefing`` in a real terminal (tmux), driven by keys."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)"),
    pytest.mark.xdist_group("e2e"),  # one real terminal at a time: they time what they wait for
]


class Tmux:
    def __init__(self, command: str, cwd, env: dict, width: int = 120, height: int = 40):
        self.name = "briefing-test-" + uuid.uuid4().hex[:8]
        self.tmux = ["tmux", "-L", self.name]  # a private server: nothing else can kill it
        # (pytest-xdist's workers set COLUMNS=80 and LINES=24: Textual would take them over the pane's size)
        full_env = {k: v for k, v in {**os.environ, **env}.items() if k not in ("COLUMNS", "LINES")}
        subprocess.run([*self.tmux, "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
                        "-c", str(cwd), command], check=True, env=full_env)

    def screen(self) -> str:
        return subprocess.run([*self.tmux, "capture-pane", "-p", "-t", self.name], capture_output=True, text=True).stdout

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")

    def wait_until_gone(self, text: str, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text not in self.screen():
                return
            time.sleep(0.05)
        raise AssertionError(f"{text!r} stayed on screen")

    def keys(self, *keys: str) -> None:
        for key in keys:
            subprocess.run([*self.tmux, "send-keys", "-t", self.name, key], check=True)
            # After Escape a terminal waits to tell a lone Esc from Alt+key: pause as a person would.
            time.sleep(0.4 if key == "Escape" else 0.08)

    def alive(self) -> bool:
        return subprocess.run([*self.tmux, "has-session", "-t", self.name], capture_output=True).returncode == 0

    def kill(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)


@pytest.fixture
def briefing_cmd():
    exe = shutil.which("briefing")
    if exe is None:
        pytest.fail("the briefing command is not installed: run `pip install .` first")
    return exe


def test_installed_briefing_reads_bundled_briefs_by_keyboard(tmp_path, briefing_cmd):
    # An empty working directory: briefing must fall back on the briefs bundled with it.
    term = Tmux(briefing_cmd, cwd=tmp_path, env={"BRIEFING_DATA_DIR": str(tmp_path / "data")})
    try:
        term.wait_for("Japan and New Zealand agree on pact")
        term.wait_for("Briefs 2/2")  # (the header says "Indexing" first, for longer on a busy machine)
        term.wait_for("Leaders (3)")  # the newest brief opened, its facts in the sidebar
        term.keys("j")
        term.wait_for("Kiwi leader")  # the older brief shows in the pane
        term.keys("Enter", "/")
        term.wait_for("Find in brief")
        term.keys("Senkaku", "Enter")
        term.wait_for("Next match")  # the search is done and the pane has the keys again
        term.keys("?")
        term.wait_for("briefing — keys")
        screen = term.wait_for("Document list")  # the table is drawn after the title: wait for it
        assert "Everywhere" in screen
        term.keys("Escape", "q")
        deadline = time.monotonic() + 10
        while term.alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not term.alive(), "q did not quit"
    finally:
        term.kill()


def test_highlight_quit_then_export_from_the_command_line(tmp_path, briefing_cmd):
    import shutil as _shutil

    env = {"BRIEFING_DATA_DIR": str(tmp_path / "data")}
    # A ./briefs folder in the working directory: briefing opens it, and we export the same file.
    _shutil.copytree(Path(__file__).resolve().parent.parent / "briefs", tmp_path / "briefs")
    term = Tmux(briefing_cmd, cwd=tmp_path, env=env)
    try:
        term.wait_for("Leaders (3)")
        term.keys("Enter", "j", "h")  # open the newest brief, second sentence, highlight
        term.wait_for("▌›During their talks in Tokyo")  # the highlight bar and the cursor, in the gutter
        term.keys("a")
        term.wait_for("Your note (enter: save")  # the input is on screen (and has the focus)
        term.keys("checked in tmux", "Enter")
        term.wait_until_gone("Note on this highlight")
        term.keys("q")
        deadline = time.monotonic() + 10
        while term.alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not term.alive()
    finally:
        term.kill()
    out = tmp_path / "digest.md"
    brief = tmp_path / "briefs" / "2024-06-19-japan-new-zealand-information-sharing-pact.md"
    done = subprocess.run([briefing_cmd, "export", str(brief), "--format", "md", "-o", str(out)],
                          capture_output=True, text=True, env={**os.environ, **env})
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    spans = [line for line in text.splitlines() if ".highlight" in line]
    assert any('note="checked in tmux"}' in line for line in spans), spans
    assert "[During their talks in [Tokyo]" in text
    again = subprocess.run([briefing_cmd, "validate", str(out)], capture_output=True, text=True)
    assert again.returncode == 0, again.stdout
