"""``briefing annotate``: the command-line contract, run as a user runs it (a subprocess)."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.core.parser import load_brief, parse_brief

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "000_c0672818cc265857.txt"
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture
def annotate(tmp_path):
    def run(*args: str, stdin: bytes | None = None, data_dir: Path | None = None) -> subprocess.CompletedProcess:
        env = dict(os.environ)
        env["PYTHONPATH"] = str(REPO / "tui")
        env["BRIEFING_DATA_DIR"] = str(data_dir or tmp_path / "data")
        return subprocess.run([sys.executable, "-m", "briefing", "annotate", *args], cwd=tmp_path, env=env,
                              input=stdin if stdin is not None else b"", capture_output=True, timeout=120)
    return run


def clean(r: subprocess.CompletedProcess) -> None:
    assert b"Traceback" not in r.stderr and b"Traceback" not in r.stdout


def test_stdin_to_stdout_is_a_valid_draft(annotate) -> None:
    r = annotate("-", "--published", "2024-06-19", "--source", "Wire",
                 stdin=b"Polish President Andrzej Duda met Japanese Prime Minister Fumio Kishida in Tokyo last week.\n")
    clean(r)
    assert r.returncode == 0
    brief = parse_brief(r.stdout.decode())
    assert brief.meta.draft is True and brief.meta.source == "Wire"
    assert {f.name for f in brief.facts["leader"]} == {"Andrzej Duda", "Fumio Kishida"}
    assert {f.value for f in brief.facts["date"]} == {"2024-W24"}


def test_seed_file_output_and_force(annotate, tmp_path) -> None:
    out = tmp_path / "draft.md"
    r = annotate(str(SEED), "--published", "2022-04-21", "-o", str(out))
    clean(r)
    assert r.returncode == 0 and r.stdout == b""
    brief = load_brief(out)
    assert brief.meta.title == "Japan, New Zealand to Cooperate in the Security Domain"
    before = out.read_bytes()
    r = annotate(str(SEED), "--published", "2022-04-21", "-o", str(out))
    assert r.returncode == 1 and b"--force" in r.stderr and out.read_bytes() == before
    r = annotate(str(SEED), "--published", "2022-04-21", "-o", str(out), "--force", "--title", "Mine")
    assert r.returncode == 0 and load_brief(out).meta.title == "Mine"


def test_missing_published_names_the_option(annotate) -> None:
    r = annotate(str(SEED))
    clean(r)
    assert r.returncode == 1 and b"--published" in r.stderr and r.stdout == b""


def test_bad_published_is_a_usage_error(annotate) -> None:
    r = annotate(str(SEED), "--published", "21/04/2022")
    clean(r)
    assert r.returncode == 2 and b"--published" in r.stderr


def test_title_falls_back_to_the_file_name(annotate, tmp_path) -> None:
    src = tmp_path / "kenya-talks.txt"
    src.write_text("President William Ruto said on Monday that the talks in Nairobi had ended, and that more would follow.\n")
    r = annotate(str(src), "--published", "2024-06-19")
    assert r.returncode == 0 and parse_brief(r.stdout.decode()).meta.title == "kenya-talks"


def test_out_dir_many_inputs_and_failures_reported(annotate, tmp_path) -> None:
    src = tmp_path / "raw"
    src.mkdir()
    (src / "a.txt").write_text("Talks were held in Nairobi on Monday.\n")
    (src / "b.txt").write_text("Talks in Lima ended yesterday.\n")
    (src / "bad.txt").write_bytes(b"caf\xe9 au lait\n")
    out = tmp_path / "out"
    r = annotate(str(src), "--out-dir", str(out), "--published", "2024-06-19")
    clean(r)
    assert r.returncode == 1 and b"bad.txt" in r.stderr and b"UTF-8" in r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["a.md", "b.md"]
    for p in out.iterdir():
        load_brief(p)


def test_several_inputs_need_out_dir(annotate) -> None:
    r = annotate(str(SEED), str(SEED), "--published", "2022-04-21")
    clean(r)
    assert r.returncode == 2 and b"--out-dir" in r.stderr


def test_missing_file_is_a_message(annotate) -> None:
    r = annotate("nope.txt", "--published", "2022-04-21")
    clean(r)
    assert r.returncode == 1 and b"nope.txt" in r.stderr


def test_learn_uses_the_index_and_no_learn_does_not(annotate, tmp_path) -> None:
    data = tmp_path / "data-learn"
    data.mkdir()
    con = sqlite3.connect(data / "index.db")
    con.execute("CREATE TABLE facts(brief_id INTEGER, seq INTEGER, type TEXT, match TEXT, label TEXT, key TEXT)")
    con.execute("INSERT INTO facts VALUES (1, 0, 'leader', 'ngozi tamba', 'Ngozi Tamba', 'ref:tamba')")
    con.execute("INSERT INTO facts VALUES (1, 1, 'region', 'zorvan basin', 'Zorvan Reach', 'ref:zr')")
    con.commit()
    con.close()
    text = b"Ngozi Tamba visited Zorvan Reach on Monday. Tamba said the visit went well.\n"
    learned = parse_brief(annotate("-", "--published", "2024-06-19", stdin=text, data_dir=data).stdout.decode())
    assert {f.name for f in learned.facts["leader"]} == {"Ngozi Tamba"}
    assert [f.name for f in learned.facts["region"]] == ["Zorvan Reach"]
    assert learned.facts["leader"][0].spans and len(learned.facts["leader"][0].spans) == 2
    plain = parse_brief(annotate("-", "--published", "2024-06-19", "--no-learn", stdin=text, data_dir=data).stdout.decode())
    assert plain.facts["leader"] == [] and plain.facts["region"] == []


def test_a_broken_index_is_ignored(annotate, tmp_path) -> None:
    data = tmp_path / "data-broken"
    data.mkdir()
    (data / "index.db").write_bytes(b"not sqlite at all" * 100)
    r = annotate("-", "--published", "2024-06-19", stdin=b"Talks in Lima ended yesterday.\n", data_dir=data)
    clean(r)
    assert r.returncode == 0


@pytest.mark.parametrize("path", sorted((REPO / "tests" / "hostile" / "briefs").iterdir()), ids=lambda p: p.name)
def test_hostile_input_never_crashes_nor_reaches_the_terminal_raw(annotate, path: Path) -> None:
    r = annotate(str(path), "--published", "2024-06-19")
    clean(r)
    assert r.returncode in (0, 1)
    out = r.stdout.decode("utf-8")
    assert not RAW_CONTROL.search(out.replace("\n", "").replace("\t", ""))
    assert not RAW_CONTROL.search(r.stderr.decode("utf-8", "replace").replace("\n", ""))
    if r.returncode == 0:
        parse_brief(out)
    else:
        assert r.stderr
