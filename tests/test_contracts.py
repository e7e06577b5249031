"""The CLI's JSON contracts (briefing.cli.contracts) are the truth about what the commands
print: the real output of facts, export, timeline, profile, compare and related, on the
shipped briefs and on generated ones, validates against its model, which forbids keys it
does not declare (a new key fails here until the model learns it). And `briefing schema`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.corpus import generate_corpus
from briefing.cli import main
from briefing.cli.contracts import CONTRACTS, json_schema


@pytest.fixture
def briefs(tmp_path, briefs_dir, monkeypatch):
    """The shipped briefs and a few generated ones in one folder, a data folder of their own,
    and a highlight (one with a note) in every brief, so the export's annotations are there."""
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))
    folder = tmp_path / "briefs"
    folder.mkdir()
    for p in briefs_dir.glob("*.md"):
        shutil.copy(p, folder / p.name)
    generate_corpus(folder / "gen", 4, seed=7, size_kb=3.0)
    paths = sorted(folder.rglob("*.md"))
    from briefing.core.parser import load_brief
    from briefing.store import Store

    st = Store.open()
    try:
        for p in paths:
            brief = load_brief(p)
            n = len(brief.text)
            st.add_highlight(brief, n // 4, n // 4 + 20, note='a "note" <b>')
            st.add_highlight(brief, n // 2, n // 2 + 30)
    finally:
        st.close()
    return folder, paths


def run(capsys, *args: str) -> str:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Traceback" not in err
    return out


def check(name: str, out: str) -> dict:
    CONTRACTS[name].model_validate_json(out)  # extra="forbid": any key it does not know fails
    doc = json.loads(out)
    # and the schema other tools get from `briefing schema NAME` accepts it too
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator(json_schema(name)).validate(doc)
    return doc


def test_facts_and_export_of_every_brief_fit_their_models(briefs, capsys):
    folder, paths = briefs
    assert len(paths) >= 6
    for p in paths:
        facts = check("facts", run(capsys, "facts", str(p), "--json"))
        assert facts["facts"], p
        full = check("export", run(capsys, "export", str(p), "--format", "json"))
        assert full["highlights"] and "text" in full
        assert any(h["note"] for h in full["highlights"])
        digest = check("export", run(capsys, "export", str(p), "--format", "json", "--highlights-only"))
        assert "text" not in digest and digest["digest"] is True
        check("export", run(capsys, "export", str(p), "--format", "json", "--facts", "all"))


def test_views_fit_their_models(briefs, capsys):
    folder, paths = briefs
    timeline = check("timeline", run(capsys, "timeline", str(folder), "--json"))
    assert timeline["count"] > 0
    check("timeline", run(capsys, "timeline", str(folder), "--json", "--from", "2023", "--to", "2024-06",
                          "--entity", "Luxon"))
    for name in ("Fumio Kishida", "leader:Luxon"):
        prof = check("profile", run(capsys, "profile", name, str(folder), "--json"))
        assert prof["briefs"] and prof["contexts"]
    gen = [p for p in paths if "gen" in p.parts]
    for a, b in ((paths[0], paths[1]), (gen[0], gen[1]), (paths[0], gen[0])):
        check("compare", run(capsys, "compare", str(a), str(b), "--json"))
    for p in (paths[0], gen[0]):
        rel = check("related", run(capsys, "related", str(p), "--in", str(folder), "--json"))
        assert rel["related"], p


def test_a_key_the_model_does_not_know_fails():
    out = {"path": "x.md", "title": "T", "published": None, "facts": {}, "new": 1}
    with pytest.raises(Exception, match="new"):
        CONTRACTS["facts"].model_validate_json(json.dumps(out))
    jsonschema = pytest.importorskip("jsonschema")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(json_schema("facts")).validate(out)
    leader = {"name": "A", "role": None, "country": None, "mentions": 1, "born": "1957"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(json_schema("facts")).validate(
            {"path": "x.md", "title": "T", "published": None, "facts": {"leader": [leader]}})


@pytest.mark.parametrize("name", list(CONTRACTS))
def test_schema_of_each_contract(name, capsys):
    out = run(capsys, "schema", name)
    schema = json.loads(out)
    assert schema == json_schema(name)
    assert schema["type"] == "object" and schema["additionalProperties"] is False
    assert schema["$schema"].startswith("https://json-schema.org/")


def test_schema_list_and_unknown_name(capsys):
    out = run(capsys, "schema", "--list")
    assert [line.split("\t")[0] for line in out.splitlines()] == list(CONTRACTS)
    for args in (["schema", "nope"], ["schema"], ["schema", "a", "b"], ["schema", "--bogus"]):
        assert main(args) == 1
        out, err = capsys.readouterr()
        assert out == "" and len(err.splitlines()) == 1 and "timeline" in err and "Traceback" not in err


def test_the_reader_and_plain_commands_do_not_import_the_contracts(tmp_path):
    code = ("import sys; from briefing.cli import main; import briefing.ui.app; "
            "main(['validate', 'nothing-here.md']); "
            "print('briefing.cli.contracts' in sys.modules)")
    tui = Path(__file__).resolve().parent.parent / "tui"
    env = {**os.environ, "PYTHONPATH": str(tui), "BRIEFING_DATA_DIR": str(tmp_path)}
    r = subprocess.run([sys.executable, "-c", code + "; import briefing; print(briefing.__file__)"],
                       capture_output=True, text=True, env=env, cwd=tmp_path)
    assert r.stdout.splitlines()[-1].startswith(str(tui)), r.stdout
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert r.stdout.strip().splitlines()[-1] == "False", r.stderr


def test_hostile_briefs_that_load_print_json_that_fits(tmp_path, monkeypatch, capsys):
    """Escapes, markup, CR/CRLF, a BOM, HTML: whatever a brief holds, facts and export still
    print their contract (the ones that do not load exit 1 and print no JSON)."""
    from briefing.core.parser import load_brief
    from briefing.core.problems import BriefError

    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))
    hostile = sorted((Path(__file__).parent / "hostile" / "briefs").glob("*.md"))
    loaded = 0
    for p in hostile:
        try:
            load_brief(p)
        except BriefError:
            assert main(["facts", str(p), "--json"]) == 1
            assert capsys.readouterr().out == ""
            continue
        loaded += 1
        check("facts", run(capsys, "facts", str(p), "--json"))
        check("export", run(capsys, "export", str(p), "--format", "json"))
        check("export", run(capsys, "export", str(p), "--format", "json", "--highlights-only"))
    assert loaded >= 8
