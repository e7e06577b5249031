"""The corpus teaches the annotator: leaders and regions already named in the indexed briefs.

The index (``index.db`` in the data directory, see ``briefing.index``) keeps every brief's
key facts by type and name. Their names become a gazetteer: a leader named in any brief
is found by name in a new text (and by surname, as every leader is), a region the packages
lack ("Second Thomas Shoal", a local district) is found too. Read-only, one query: a
missing or unreadable index means nothing learned, never an error.
"""

from __future__ import annotations

import sqlite3
from functools import cached_property
from pathlib import Path

from briefing.annotate.gazetteer import Place, PlaceGazetteer, default_gazetteer

_MAX_NAMES = 20_000


class Learned:
    def __init__(self, leaders: dict[str, dict], places: dict[str, Place]) -> None:
        self.leaders = leaders  # surface form -> {"name": ...}
        self.places = places  # surface form -> Place

    def gazetteer(self) -> PlaceGazetteer:
        return self._gazetteer

    @cached_property
    def _gazetteer(self) -> PlaceGazetteer:
        if not self.places:
            return default_gazetteer()
        return PlaceGazetteer(extra=self.places)


def _usable(name: str) -> bool:
    return 3 <= len(name) <= 80 and name[:1].isupper() and not name.lower().startswith("the ") and "\n" not in name


def load_learned(data_dir: Path | str | None = None) -> Learned | None:
    from briefing.paths import data_dir as default_data_dir

    path = Path(data_dir or default_data_dir()) / "index.db"
    if not path.is_file():
        return None
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.5)
        try:
            rows = con.execute(
                "SELECT DISTINCT type, label FROM facts WHERE type IN ('leader', 'region') LIMIT ?",
                (_MAX_NAMES,)).fetchall()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    known = default_gazetteer().forms
    leaders: dict[str, dict] = {}
    places: dict[str, Place] = {}
    for etype, label in rows:
        if not isinstance(label, str) or not _usable(label):
            continue
        if etype == "leader":
            leaders.setdefault(label, {"name": label})
        elif label not in known:
            places.setdefault(label, Place(label, "region"))
    if not leaders and not places:
        return None
    return Learned(leaders, places)
