"""The layers hold: each package imports only from the layers below it, and only the UI
imports textual. The contracts are import-linter's, in pyproject.toml ([tool.importlinter]);
here they run, every package is placed in a layer, and the CLI's commands are checked to
run without textual (the contract sees imports; this sees what a run loads)."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGE = REPO_ROOT / "tui" / "briefing"


def _env() -> dict:
    return dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (str(REPO_ROOT / "tui"), os.environ.get("PYTHONPATH", "")) if p))


def test_the_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    command = [str(lint)] if lint.exists() else [sys.executable, "-m", "importlinter.cli"]
    r = subprocess.run([*command, "--no-cache"], capture_output=True, text=True, env=_env(), cwd=REPO_ROOT,
                       timeout=300)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert "2 kept, 0 broken" in r.stdout


def test_every_package_is_in_a_layer():
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["type"] == "layers")["layers"]
    placed = {name.strip() for layer in layers for name in layer.replace(":", "|").split("|")}
    modules = {f"briefing.{p.stem if p.suffix == '.py' else p.name}" for p in PACKAGE.iterdir()
               if (p.suffix == ".py" and p.stem not in ("__init__", "__main__"))
               or (p.is_dir() and (p / "__init__.py").exists())}
    assert modules - placed == set(), "a package outside the layers: add it to [tool.importlinter] in pyproject.toml"


def test_cli_commands_do_not_import_textual(tmp_path):
    code = (
        "import sys\n"
        "from briefing.cli import main\n"
        f"code = main(['validate', {str(REPO_ROOT / 'briefs')!r}])\n"
        f"main(['facts', {str(next((REPO_ROOT / 'briefs').glob('*.md')))!r}, '--json'])\n"
        "sys.stderr.write('textual' + str('textual' in sys.modules))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env(), cwd=tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stderr.endswith("textualFalse")
