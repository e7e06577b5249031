"""The command line, run as a user runs it: ``python -m briefing ...`` in a subprocess."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from briefing import __version__

LINE_RE = re.compile(r"^.+:\d+:\d+: (error|warning): .+$")
BROKEN = "---\ntitle: Broken\n---\nfine line\nx [a]{.leader ref=zz}\n"


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def assert_clean(result) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


@pytest.fixture
def folder(tmp_path, briefs_dir):
    """A folder holding copies of the shipped briefs."""
    d = tmp_path / "cwd" / "briefs"
    d.mkdir(parents=True)
    for p in briefs_dir.glob("*.md"):
        shutil.copy(p, d / p.name)
    return d


def test_validate_valid_folder(run_cli, folder):
    r = run_cli("validate", "briefs")
    assert_clean(r)
    assert (r.returncode, r.stdout) == (0, "")
    assert r.stderr.strip() == "2 brief(s) checked, 2 valid, 0 with errors"


def test_validate_one_failing_brief(run_cli, folder):
    (folder / "broken.md").write_text(BROKEN, encoding="utf-8")
    r = run_cli("validate", "briefs/broken.md")
    assert_clean(r)
    assert r.returncode == 1
    assert lines(r.stdout) == [f"briefs{os.sep}broken.md:5:15: error: ref 'zz' names no entity declared in the front matter"]


def test_validate_mixed_folder_reports_every_brief(run_cli, folder, tmp_path):
    (folder / "broken.md").write_text(BROKEN, encoding="utf-8")
    (folder / "also-broken.md").write_text("no front matter\n[x\n", encoding="utf-8")
    (folder / "binary.md").write_bytes(b"---\ntitle: T\n---\n\x00\x01\x02")
    (folder / "latin1.md").write_bytes(b"---\ntitle: caf\xe9\n---\nx\n")
    (folder / "picture.png").write_bytes(b"\x89PNG\x00\x00")  # not a brief: skipped
    outside = tmp_path / "outside.md"
    outside.write_text("---\ntitle: Outside\n---\n[x]{.leader ref=zz}\n", encoding="utf-8")
    (folder / "link.md").symlink_to(outside)
    r = run_cli("validate", "briefs")
    assert_clean(r)
    assert r.returncode == 1
    out = lines(r.stdout)
    assert all(LINE_RE.match(line) for line in out), out
    sep = os.sep
    assert out == [
        f"briefs{sep}also-broken.md:1:1: error: missing front matter: a brief starts with a '---' line, then 'title: ...', then '---'",
        f"briefs{sep}also-broken.md:2:1: error: unclosed '[': close the span, or write \\[ for a literal bracket",
        f"briefs{sep}binary.md:1:1: error: binary file (it contains NUL bytes): a brief is UTF-8 text",
        f"briefs{sep}broken.md:5:15: error: ref 'zz' names no entity declared in the front matter",
        f"briefs{sep}latin1.md:2:11: error: not UTF-8: byte 0xe9 cannot start or continue a character; save the file as UTF-8",
        f"briefs{sep}link.md:1:1: warning: symlink leads outside the opened folder (not followed)",
    ]
    assert "Outside" not in r.stdout and "outside.md" not in r.stdout  # not followed
    assert r.stderr.strip() == "7 brief(s) checked, 3 valid, 4 with errors"


def test_validate_several_paths_and_a_missing_one(run_cli, folder):
    (folder / "broken.md").write_text(BROKEN, encoding="utf-8")
    r = run_cli("validate", "nope.md", "briefs/broken.md", "briefs")
    assert_clean(r)
    assert r.returncode == 1
    out = lines(r.stdout)
    assert all(LINE_RE.match(line) for line in out)
    assert out[0] == "nope.md:1:1: error: no such file or folder"
    assert sum("broken.md:5:15: error" in line for line in out) == 2


def test_validate_only_a_missing_path(run_cli):
    r = run_cli("validate", "does-not-exist")
    assert_clean(r)
    assert r.returncode == 1
    assert lines(r.stdout) == ["does-not-exist:1:1: error: no such file or folder"]


def test_validate_warnings_only_exit_zero(run_cli, tmp_path):
    (tmp_path / "cwd").mkdir(exist_ok=True)
    (tmp_path / "cwd" / "w.md").write_text("---\ntitle: T\n---\nzero\u200bwidth\n", encoding="utf-8")
    r = run_cli("validate", "w.md")
    assert_clean(r)
    assert r.returncode == 0
    (line,) = lines(r.stdout)
    assert line.startswith("w.md:4:5: warning: invisible or bidirectional control character U+200B")


def test_validate_needs_a_path(run_cli):
    r = run_cli("validate")
    assert r.returncode == 2
    assert "usage:" in r.stderr
    assert_clean(r)


def test_facts_table(run_cli, folder):
    r = run_cli("facts", "briefs/2024-06-19-japan-new-zealand-information-sharing-pact.md")
    assert_clean(r)
    assert r.returncode == 0
    out = r.stdout
    assert out.splitlines()[0].startswith("Japan and New Zealand agree on pact to share classified information")
    for needle in ("Leaders", "Dates", "Regions", "Christopher Luxon", "Prime Minister of New Zealand",
                   "2024-06-19", "Wednesday", "Late last month", "END", "Taiwan Strait", "strait"):
        assert needle in out, needle
    assert out.index("1949") < out.index("1997") < out.index("2023-11") < out.index("2024-05") < out.index("2024-07")


def test_facts_json_shape(run_cli, folder):
    r = run_cli("facts", "briefs/2022-04-21-japan-new-zealand-security-cooperation.md", "--json")
    assert_clean(r)
    assert r.returncode == 0
    data = json.loads(r.stdout)
    assert set(data) == {"path", "title", "published", "facts"}
    assert data["path"] == "briefs/2022-04-21-japan-new-zealand-security-cooperation.md"
    assert data["title"] == "Japan, New Zealand to Cooperate in the Security Domain"
    assert data["published"] == "2022-04-21"
    facts = data["facts"]
    assert list(facts)[:3] == ["leader", "date", "region"]
    for leader in facts["leader"]:
        assert set(leader) == {"name", "role", "country", "mentions"}
    for date in facts["date"]:
        assert {"value", "text", "mentions"} <= set(date)
    for region in facts["region"]:
        assert set(region) == {"name", "kind", "mentions"}
    assert {"name": "Fumio Kishida", "role": "Prime Minister of Japan", "country": "Japan", "mentions": 4} in facts["leader"]


def test_facts_of_a_broken_brief(run_cli, tmp_path):
    (tmp_path / "cwd").mkdir(exist_ok=True)
    (tmp_path / "cwd" / "b.md").write_text(BROKEN, encoding="utf-8")
    for extra in ([], ["--json"]):
        r = run_cli("facts", "b.md", *extra)
        assert_clean(r)
        assert (r.returncode, r.stdout) == (1, "")
        assert lines(r.stderr) == ["b.md:5:15: error: ref 'zz' names no entity declared in the front matter"]


def test_facts_of_a_missing_or_binary_file(run_cli, tmp_path):
    (tmp_path / "cwd").mkdir(exist_ok=True)
    (tmp_path / "cwd" / "bin.md").write_bytes(b"\x00\xff\x00")
    for name in ("missing.md", "bin.md"):
        r = run_cli("facts", name, "--json")
        assert_clean(r)
        assert r.returncode == 1
        (line,) = lines(r.stderr)
        assert LINE_RE.match(line) and line.startswith(f"{name}:1:1: error: ")


def test_version(run_cli):
    r = run_cli("--version")
    assert (r.returncode, r.stdout.strip()) == (0, f"briefing {__version__}")


def test_help_mentions_every_command(run_cli):
    r = run_cli("--help")
    assert r.returncode == 0
    for word in ("validate", "facts", "export"):
        assert word in r.stdout
    assert_clean(r)


def test_reader_without_a_terminal_says_so_instead_of_spinning(tmp_path):
    """`briefing` in a pipe or a cron job: a message and exit 2 at once, not a Textual app
    spinning a core with nowhere to draw."""
    import subprocess
    import sys

    from tests.cpu import cpu_seconds

    start = cpu_seconds()
    done = subprocess.run([sys.executable, "-c", "import sys; from briefing.cli import main; sys.exit(main([]))"],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, cwd=tmp_path, timeout=30,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "tui")})
    assert done.returncode == 2
    assert "needs a terminal" in done.stderr and "briefing validate" in done.stderr
    assert cpu_seconds() - start < 10  # a spinning app would use the 30 s of the timeout
