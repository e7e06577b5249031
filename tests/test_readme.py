"""The README is for users: short, and true to the code.

It says what it is, how to set up, the common keys (each bound in the code), the CLI contract
(every command), where data is kept; details live in docs/ (every link must resolve)."""

from __future__ import annotations

import re
from pathlib import Path

from briefing.cli import SUBCOMMANDS

from tests.test_keys_doc import bindings_in_code

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
TEXT = README.read_text(encoding="utf-8")

# Keys Textual itself handles (focus), which no binding of ours declares.
TEXTUAL_KEYS = {"tab", "shift+tab"}
KEY_NAMES = {"/": "slash", "?": "question_mark", "+": "plus", "<": "less_than_sign", ">": "greater_than_sign"}


def section(title: str) -> str:
    return TEXT.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_readme_is_short():
    # Details (every key, the measurement log, the code's layout) belong in docs/.
    assert len(TEXT.encode("utf-8")) <= 10_000, "README.md is for users: move details to docs/"


def test_readme_has_the_two_setup_lines():
    setup = section("Set up")
    assert "python -m pip install . && briefing" in setup
    assert "python -m pytest" in setup


def test_every_key_the_readme_shows_is_bound_in_the_code():
    bound = {k.strip() for keys in bindings_in_code().values() for k in keys.split(",")} | TEXTUAL_KEYS
    table = [line for line in section("Reading").splitlines() if line.startswith("| ") and "`" in line]
    assert len(table) >= 8
    shown = set()
    for line in table:
        keys_cell = line.split("|")[2]
        shown |= {KEY_NAMES.get(k, k) for k in re.findall(r"`([^`]+)`", keys_cell)}
    assert shown - bound == set()


def test_the_cli_section_names_every_command():
    block = section("Command line").split("```sh", 1)[1].split("```", 1)[0]
    for command in SUBCOMMANDS:
        assert f"briefing {command} " in block, command


def test_links_to_docs_resolve():
    links = re.findall(r"\]\(((?:docs/)?[\w./-]+\.md)\)", TEXT)
    assert {"docs/KEYS.md", "docs/FORMAT.md", "docs/SECURITY.md", "docs/PERFORMANCE.md",
            "docs/ARCHITECTURE.md"} <= set(links)
    assert [link for link in links if not (ROOT / link).is_file()] == []


def test_readme_says_where_data_is_kept():
    kept = section("Where data is kept")
    assert "BRIEFING_DATA_DIR" in kept and "briefing.db" in kept and "index.db" in kept
