"""The core never imports textual: only the reader (briefing.ui.app) does, and only when it opens."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

CORE = ["briefing.core.model", "briefing.core.parser", "briefing.core.facts", "briefing.core.markdown", "briefing.core.frontmatter", "briefing.core.sanitize", "briefing.cli",
        "briefing.core.dates", "briefing.core.problems", "briefing.cli.facts_table"]
OPTIONAL = ["briefing.store", "briefing.export", "briefing.core.anchor", "briefing.index", "briefing.core.sentences"]


def test_core_modules_do_not_import_textual():
    modules = CORE + [m for m in OPTIONAL if importlib.util.find_spec(m) is not None]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print('textual modules:', bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (str(REPO_ROOT / "tui"), os.environ.get("PYTHONPATH", "")) if p))
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.strip() == "textual modules: []"


def test_cli_commands_do_not_import_textual(tmp_path):
    code = (
        "import sys\n"
        "from briefing.cli import main\n"
        f"code = main(['validate', {str(REPO_ROOT / 'briefs')!r}])\n"
        f"main(['facts', {str(next((REPO_ROOT / 'briefs').glob('*.md')))!r}, '--json'])\n"
        "sys.stderr.write('textual' + str('textual' in sys.modules))\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (str(REPO_ROOT / "tui"), os.environ.get("PYTHONPATH", "")) if p))
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stderr.endswith("textualFalse")
