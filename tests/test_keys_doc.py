"""docs/KEYS.md lists every binding id in the code, with its default keys, and no other.

Binding ids are a contract (keymap.toml remaps keys by id): a binding added without its line
in KEYS.md, or a line for an id that is gone, fails here."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import briefing.ui
from textual.binding import Binding

ROOT = Path(__file__).resolve().parent.parent
KEYS = ROOT / "docs" / "KEYS.md"


def bindings_in_code() -> dict[str, str]:
    """Binding id -> its default keys, from every class of briefing.ui that declares BINDINGS."""
    found: dict[str, str] = {}
    for info in pkgutil.walk_packages(briefing.ui.__path__, "briefing.ui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            for b in vars(cls).get("BINDINGS", ()):
                if isinstance(b, Binding) and b.id:
                    assert found.get(b.id, b.key) == b.key, f"{b.id} is bound to two different keys"
                    found[b.id] = b.key
    return found


def ids_in_source() -> set[str]:
    """Every id="x.y" given to a Binding anywhere in the package (also one a class built at
    run time would declare): a second look, independent of importing."""
    ids: set[str] = set()
    for path in (ROOT / "tui" / "briefing").rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "Binding(" in line:
                ids |= set(re.findall(r'\bid="([a-z_]+\.[a-z_]+)"', line))
    return ids


def listed() -> dict[str, str]:
    rows = re.findall(r"^\| `([a-z_]+\.[a-z_]+)` \| `([^`]+)` \|", KEYS.read_text(encoding="utf-8"), re.M)
    assert len(rows) == len(dict(rows)), "an id is listed twice"
    return dict(rows)


def test_keys_doc_lists_every_binding_id_with_its_keys_and_no_other():
    code = bindings_in_code()
    assert set(code) == ids_in_source()
    assert {"confirm.yes", "confirm.no", "export.cancel", "help.close", "note.cancel"} <= set(code)
    assert listed() == code
