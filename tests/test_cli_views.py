"""The views' commands as a user and a script run them (python -m briefing in a subprocess):
one JSON document in a stable key order, exit 1 with one line on a bad argument, never a
traceback, never textual."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys

import pytest

SEED_2022 = "2022-04-21-japan-new-zealand-security-cooperation.md"
SEED_2024 = "2024-06-19-japan-new-zealand-information-sharing-pact.md"


@pytest.fixture
def folder(tmp_path, briefs_dir):
    d = tmp_path / "cwd" / "briefs"
    d.mkdir(parents=True)
    for p in briefs_dir.glob("*.md"):
        shutil.copy(p, d / p.name)
    return d


def ok_json(r) -> dict:
    assert "Traceback" not in r.stderr and r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_compare_json(run_cli, folder):
    out = ok_json(run_cli("compare", f"briefs/{SEED_2022}", f"briefs/{SEED_2024}", "--json"))
    assert list(out) == ["a", "b", "facts"] and list(out["a"]) == ["path", "title", "published"]
    leaders = out["facts"]["leader"]
    assert {"name": "Fumio Kishida", "a": 4, "b": 5} in leaders["both"]
    assert {"name": "Jacinda Ardern", "a": 9, "b": 1} in leaders["both"]
    assert leaders["only_b"] == [{"name": "Christopher Luxon", "mentions": 5}] and leaders["only_a"] == []


def test_compare_text(run_cli, folder):
    r = run_cli("compare", f"briefs/{SEED_2022}", f"briefs/{SEED_2024}")
    assert r.returncode == 0
    assert "  only B  Christopher Luxon  (×5)" in r.stdout.splitlines()


def test_timeline_json_csv_and_text(run_cli, folder):
    out = ok_json(run_cli("timeline", "briefs", "--json", "--from", "2023", "--to", "2024-06"))
    assert list(out) == ["from", "to", "entity", "count", "mentions"]
    assert (out["from"], out["to"]) == ("2023-01-01", "2024-06-31")
    rows = out["mentions"]
    assert [m["date"] for m in rows] == ["2023-11", "2024-05", "2024-06-19"] and out["count"] == 3
    assert list(rows[0]) == ["date", "mod", "precision", "words", "text", "sentence", "at", "path", "title",
                             "published", "start", "end"]
    assert rows[0]["sentence"] == "Luxon was making his first trip to Japan since taking office in November 2023."
    assert rows[0]["text"] == "November 2023" and rows[0]["words"].endswith("2023")
    r = run_cli("timeline", "briefs", "--csv", "--entity", "Luxon")
    table = list(csv.reader(io.StringIO(r.stdout)))
    assert table[0][:4] == ["date", "mod", "precision", "words"] and len(table) > 2
    assert all("Luxon" in row[5] for row in table[1:])
    r = run_cli("timeline", "briefs")
    assert r.returncode == 0 and "civil war" in r.stdout


def test_profile_json(run_cli, folder):
    out = ok_json(run_cli("profile", "Kishida", "briefs", "--json"))
    assert list(out) == ["name", "type", "idents", "names", "mentions", "first_seen", "last_seen", "briefs", "roles",
                         "countries", "mentioned_with", "months", "contexts"]
    assert out["name"] == "Fumio Kishida" and out["mentions"] == 9
    assert [b["mentions"] for b in out["briefs"]] == [5, 4]
    assert out["roles"] == [{"role": "Prime Minister of Japan", "briefs": 2}]
    assert len(out["contexts"]) == 9 and out["months"][0] == {"month": "2022-04", "mentions": 4}


def test_related_json(run_cli, folder):
    out = ok_json(run_cli("related", f"briefs/{SEED_2022}", "--json"))
    assert list(out) == ["path", "related"]
    (only,) = out["related"]
    assert only["path"].endswith(SEED_2024) and list(only) == ["path", "title", "published", "score", "shared"]
    assert {"type": "leader", "name": "Fumio Kishida"} in only["shared"]


@pytest.mark.parametrize("args, message", [
    (("timeline", "nowhere"), "nowhere: no such file or folder"),
    (("timeline", "briefs", "--from", "2024-13"), "month 13 does not exist"),
    (("timeline", "briefs", "--to", "soon"), "malformed date value"),
    (("timeline", "briefs", "--json", "--csv"), "not allowed with"),
    (("timeline",), "required: PATH"),
    (("timeline", "briefs", "--entity", "Nobody"), "no brief mentions 'Nobody'"),
    (("profile", "Nobody", "briefs"), "no brief mentions 'Nobody'"),
    (("profile", "Kishida"), "required: PATH"),
    (("profile", "Q99", "briefs"), "no brief gives the Wikidata id Q99"),
    (("compare", "briefs", f"briefs/{SEED_2024}"), "does not read"),
    (("compare", "a.md", "b.md"), "no such file or folder"),
    (("related", "briefs"), "not a brief file"),
    (("related", f"briefs/{SEED_2024}", "--bogus"), "unrecognized arguments: --bogus"),
])
def test_bad_arguments_exit_1_with_one_line(run_cli, folder, args, message):
    r = run_cli(*args)
    assert r.returncode == 1 and r.stdout == ""
    assert "Traceback" not in r.stderr and message in r.stderr
    assert len(r.stderr.strip().splitlines()) <= 2  # (argparse's usage line, then the message)


def test_ambiguous_name_lists_the_candidates(run_cli, tmp_path):
    d = tmp_path / "cwd" / "x"
    d.mkdir(parents=True)
    for name, q in (("a.md", "Q1"), ("b.md", "Q2")):
        (d / name).write_text(f"---\ntitle: {q}\nentities:\n  s: {{type: leader, name: John Smith, wikidata: {q}}}\n"
                              f"---\n[Smith]{{.leader ref=s}} spoke.\n", encoding="utf-8")
    r = run_cli("profile", "John Smith", "x")
    assert r.returncode == 1 and "names several things" in r.stderr and "Q1" in r.stderr and "Q2" in r.stderr
    assert ok_json(run_cli("profile", "Q2", "x", "--json"))["briefs"][0]["title"] == "Q2"


def test_hostile_text_does_not_reach_the_terminal(run_cli, tmp_path):
    d = tmp_path / "cwd" / "h"
    d.mkdir(parents=True)
    (d / "h.md").write_text("---\ntitle: \"T\\e]0;pwned\\a\"\n---\n[Evil\x1bc]{.leader} on [1 May 2024]{.date value=2024-05-01}.\n",
                            encoding="utf-8")
    for args in (("timeline", "h"), ("timeline", "h", "--csv"), ("profile", "2024-05-01", "h"), ("profile", "2024-05-01", "h", "--json")):
        r = run_cli(*args)
        assert r.returncode == 0 and "\x1b" not in r.stdout and "\x07" not in r.stdout, args


def test_views_never_import_textual(tmp_path, folder):
    code = ("import sys; from briefing.cli import main; "
            f"main(['profile', 'Kishida', {str(folder)!r}, '--json']); "
            "print('textual' in sys.modules, file=sys.stderr)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env={**__import__("os").environ, "BRIEFING_DATA_DIR": str(tmp_path / "d")})
    assert r.stderr.strip().endswith("False"), r.stderr
