"""The views' rows keep every line of a row when the list is long enough for a scrollbar: the
timeline's source line ("Title · date") under a sentence that wraps was cut off, its height
computed at the width the scrollbar then took a column of."""

from __future__ import annotations

import asyncio

import pytest

from briefing.ui.app import create_app
from briefing.ui.screens.timeline import TimelineScreen
from tests.test_app import ready
from tests.test_views_tui import data_dir, shown  # noqa: F401  (fixture)

MONTHS = ["January", "February", "March", "April", "May", "June"]


def brief(n: int, words: int) -> str:
    """A brief whose sentences, each with a date, are of every length around a line's width."""
    body = []
    for i in range(12):
        day, month = 1 + (n * 12 + i) % 27, MONTHS[(n + i) % 6]
        filler = " ".join(["the council met again"] * ((words + i) // 4))[: 40 + (words + i) * 3]
        body.append(f"On [{day} {month} 2024]{{.date value=2024-{(n + i) % 6 + 1:02d}-{day:02d}}} {filler}.")
    return (f"---\ntitle: \"Brief number {n} of a long series\"\npublished: 2024-07-{n % 27 + 1:02d}\n---\n\n"
            + "\n\n".join(body) + "\n")


@pytest.fixture
def folders(tmp_path):
    made = []
    for f in range(2):
        d = tmp_path / f"briefs{f}"
        d.mkdir()
        for n in range(f * 6, f * 6 + 6):
            (d / f"b{n:02d}.md").write_text(brief(n, 10 + n * 3), encoding="utf-8")
        made.append(d)
    return made


@pytest.mark.parametrize("size", [(120, 40), (100, 30), (80, 24)])
async def test_timeline_rows_keep_their_source_line(folders, size):
    app = create_app(folders)
    async with app.run_test(size=size) as pilot:
        await ready(app, pilot)
        await pilot.press("T")
        screen = await shown(app, pilot, TimelineScreen)
        options = screen.options
        for _ in range(3):  # let the scrollbar come and the rows be laid out again
            await pilot.pause(0.05)
        assert options.show_vertical_scrollbar  # a list longer than the screen
        style = options.get_visual_style("option-list--option")
        short = []
        for i, option in enumerate(options.options):
            drawn = options._get_option_render(option, style)
            text = "".join(seg.text for seg in drawn[-1]).strip() if drawn else ""
            if options._heights[i] != len(drawn) or " · 2024-07-" not in "".join(
                    seg.text for strip in drawn[: options._heights[i]] for seg in strip):
                short.append((i, options._heights[i], len(drawn), text))
        assert not short, short[:5]


@pytest.fixture
def twins(tmp_path):
    """The 2024 brief, and the 2022 brief twice (same title, same date) in two folders."""
    import shutil

    from tests.test_app import BRIEFS

    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    shutil.copy(next(BRIEFS.glob("2024-*.md")), one / "newest.md")
    older = next(BRIEFS.glob("2022-*.md"))
    shutil.copy(older, one / "wire-a.md")
    (two / "wire-b.md").write_text(older.read_text(encoding="utf-8") + "\nA line more.\n", encoding="utf-8")
    return [one, two]


async def test_related_and_profile_tell_briefs_of_one_title_apart(twins):
    from briefing.ui.screens.profile import ProfileScreen
    from briefing.ui.screens.related import RelatedScreen
    from tests.test_views_tui import plain_rows

    app = create_app(twins)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        app.main.open_path(str(twins[0] / "newest.md"))
        await pilot.pause()
        await pilot.press("R")
        screen = await shown(app, pilot, RelatedScreen)
        rows = plain_rows(screen)
        assert len(rows) == 2 and any("wire-a.md" in r for r in rows) and any("wire-b.md" in r for r in rows)
        await pilot.press("escape")
        await pilot.pause()
        app.main.profile_of("Fumio Kishida", "leader")
        screen = await shown(app, pilot, ProfileScreen)
        briefs = [r for r in plain_rows(screen)[1:4]]
        assert [("wire-a.md" in r, "wire-b.md" in r, "newest.md" in r) for r in briefs].count((False, False, False)) == 1
        assert any(r.endswith("wire-a.md") for r in briefs) and any(r.endswith("wire-b.md") for r in briefs)
