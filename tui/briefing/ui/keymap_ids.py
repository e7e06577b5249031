"""Every binding id the reader declares (the keymap.toml contract), for checking a keymap."""

from __future__ import annotations

import importlib
import pkgutil

from textual.binding import Binding


def binding_ids() -> frozenset[str]:
    """The ids of every Binding in the BINDINGS of the app, its screens and its widgets
    (their modules are imported: the app imports them anyway)."""
    import briefing.ui as ui

    ids: set[str] = set()
    for info in pkgutil.walk_packages(ui.__path__, "briefing.ui."):
        try:
            module = importlib.import_module(info.name)
        except Exception:  # noqa: BLE001 - a module that cannot load declares nothing usable
            continue
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == module.__name__:
                for b in getattr(value, "BINDINGS", ()) or ():
                    if isinstance(b, Binding) and b.id:
                        ids.add(b.id)
    return frozenset(ids)
