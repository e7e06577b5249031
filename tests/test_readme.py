"""The README's list of binding ids (a contract: keymap.toml uses them) matches the code."""

from __future__ import annotations

import re
from pathlib import Path

from briefing.ui.app import BriefingApp
from briefing.ui.widgets.doc_list import DocList
from briefing.ui.widgets.facts_panel import FactsPanel
from briefing.ui.widgets.reading_pane import ReadingPane

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_lists_every_binding_id_and_no_other():
    text = README.read_text(encoding="utf-8")
    paragraph = text[text.index("Binding ids:"):].split("\n\n", 1)[0]
    listed = set(re.findall(r"`([a-z]+\.[a-z_]+)`", paragraph))
    ids = {b.id for cls in (BriefingApp, DocList, ReadingPane, FactsPanel) for b in cls.BINDINGS if b.id}
    assert listed == ids
