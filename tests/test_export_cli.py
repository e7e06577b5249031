"""`briefing export` end to end (a subprocess, a private data dir), and atomic writing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.atomic import default_export_name, write_atomic
from briefing.core.parser import load_brief, parse_brief
from briefing.store import Store

ROOT = Path(__file__).resolve().parent.parent
BRIEF = ROOT / "briefs" / "2022-04-21-japan-new-zealand-security-cooperation.md"


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    d = tmp_path / "data"
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(d))
    return d


def run(*args, cwd=None, env_extra=None):
    env = dict(os.environ)
    env.update(env_extra or {})
    env["PYTHONPATH"] = str(ROOT / "tui") + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "briefing", "export", *map(str, args)], capture_output=True,
                          cwd=cwd or ROOT, env=env, timeout=60)


@pytest.fixture
def highlighted(data_dir):
    brief = load_brief(BRIEF)
    t = brief.text
    with Store.open(data_dir) as st:
        s = t.index("agreed to strengthen")
        st.add_highlight(brief, s, s + len("agreed to strengthen their bilateral partnership"), note='key "pact" <b>')
        s = t.index("They condemned")
        st.add_highlight(brief, s, s + len("They condemned the use of force."))
    return brief


def test_json_to_stdout_includes_the_stored_highlights(highlighted, data_dir):
    r = run(BRIEF, "--format", "json")
    assert r.returncode == 0, r.stderr.decode()
    doc = json.loads(r.stdout.decode("utf-8"))
    assert [a["target"]["selector"][0]["exact"] for a in doc["highlights"]] == [
        "agreed to strengthen their bilateral partnership", "They condemned the use of force."]
    assert doc["highlights"][0]["note"] == 'key "pact" <b>'
    assert r.stderr == b""


def test_markdown_to_a_file_parses_again(highlighted, tmp_path):
    out = tmp_path / "out.md"
    r = run(BRIEF, "--format", "md", "-o", out)
    assert r.returncode == 0, r.stderr.decode()
    again = load_brief(out)
    assert again.text == highlighted.text
    assert [(m.note) for m in again.marks] == ['key "pact" <b>', None]


def test_html_file_is_self_contained(highlighted, tmp_path):
    out = tmp_path / "page.html"
    r = run(BRIEF, "--format", "html", "--output", out)
    assert r.returncode == 0, r.stderr.decode()
    page = out.read_text(encoding="utf-8")
    assert "<mark" in page and "key &quot;pact&quot; &lt;b&gt;" in page
    assert "<script" not in page and "src=" not in page


def test_highlights_only_digest(highlighted):
    r = run(BRIEF, "--format", "md", "--highlights-only")
    assert r.returncode == 0, r.stderr.decode()
    digest = parse_brief(r.stdout.decode("utf-8"))
    assert "They condemned the use of force." in digest.text
    assert "The Kiwi leader" not in digest.text  # not the whole brief


def test_existing_output_needs_force(highlighted, tmp_path):
    out = tmp_path / "out.html"
    out.write_text("precious", encoding="utf-8")
    r = run(BRIEF, "--format", "html", "-o", out)
    assert r.returncode == 1
    err = r.stderr.decode()
    assert "already exists" in err and "--force" in err and "Traceback" not in err
    assert out.read_text(encoding="utf-8") == "precious"
    r = run(BRIEF, "--format", "html", "-o", out, "--force")
    assert r.returncode == 0, r.stderr.decode()
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_invalid_brief_is_reported_compiler_style(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: x\n---\n\nAn [unclosed span here.\n", encoding="utf-8")
    r = run(bad, "--format", "md")
    assert r.returncode == 1 and r.stdout == b""
    err = r.stderr.decode()
    assert f"{bad}:5:" in err and ": error: " in err and "Traceback" not in err


def test_missing_brief_and_unwritable_output(tmp_path):
    r = run(tmp_path / "nope.md", "--format", "json")
    assert r.returncode == 1 and "no such file" in r.stderr.decode()
    r = run(BRIEF, "--format", "json", "-o", tmp_path / "no" / "such" / "dir" / "x.json")
    assert r.returncode == 1
    assert "cannot write" in r.stderr.decode() and "Traceback" not in r.stderr.decode()
    r = run(BRIEF, "--format", "json", "-o", tmp_path)
    assert r.returncode == 1 and "folder" in r.stderr.decode()


def test_a_damaged_store_still_exports(tmp_path, data_dir):
    data_dir.mkdir()
    (data_dir / "briefing.db").write_bytes(b"garbage" * 100)
    r = run(BRIEF, "--format", "json")
    assert r.returncode == 0
    assert json.loads(r.stdout)["highlights"] == []
    assert "warning" in r.stderr.decode() and "damaged" in r.stderr.decode()


def test_nothing_is_written_outside_the_data_dir(highlighted, data_dir, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    r = run(BRIEF, "--format", "json", env_extra={"HOME": str(home), "XDG_DATA_HOME": str(home / "xdg")})
    assert r.returncode == 0
    assert list(home.iterdir()) == []
    assert (data_dir / "briefing.db").exists()


# ---------------------------------------------------------------------------- atomic writing


def test_write_atomic_creates_and_refuses_to_replace(tmp_path):
    target = tmp_path / "a.txt"
    write_atomic(target, "one")
    assert target.read_text(encoding="utf-8") == "one"
    with pytest.raises(FileExistsError):
        write_atomic(target, "two")
    assert target.read_text(encoding="utf-8") == "one"
    write_atomic(target, "three ✓", force=True)
    assert target.read_text(encoding="utf-8") == "three ✓"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_write_atomic_keeps_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "a.txt"
    target.write_text("old", encoding="utf-8")

    def boom(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(OSError):
        write_atomic(target, "new", force=True)
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_write_atomic_refuses_a_folder(tmp_path):
    with pytest.raises(IsADirectoryError):
        write_atomic(tmp_path, "x", force=True)


@pytest.mark.parametrize("title, fmt, expected", [
    ("Japan, New Zealand to Cooperate in the Security Domain", "html",
     "japan-new-zealand-to-cooperate-in-the-security-domain.html"),
    ("../../etc/passwd", "md", "etc-passwd.md"),
    ("a/b\\c:d*e?f\"g<h>i|j", "json", "a-b-c-d-e-f-g-h-i-j.json"),
    ("\x1b]0;evil\x07 title\n\t", "md", "0-evil-title.md"),
    ("...", "html", "brief.html"),
    ("", "json", "brief.json"),
    ("CON", "md", "brief-con.md"),
    ("日本とニュージーランド", "md", "日本とニュージーランド.md"),
])
def test_default_export_name(title, fmt, expected):
    assert default_export_name(title, fmt) == expected


def test_default_export_name_is_short_and_safe():
    name = default_export_name("word " * 100, "html")
    assert len(name) <= 80 and name.endswith(".html") and not name.startswith("-")
    assert "-.html" not in name
    with pytest.raises(ValueError):
        default_export_name("x", "exe")
