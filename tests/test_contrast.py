"""Legibility: a highlighted sentence full of mentions, with the reading cursor, a find match and a
fact's marks on it, read in truecolor, in 256 colours (what tmux shows) and with NO_COLOR, in the
dark and the light theme. Every cell drawn must have a WCAG contrast of at least 4.5 between its
text and its background, as the terminal gets them; with NO_COLOR every mention type must still
differ from the others and from plain text by attributes alone.

The cells are taken from the widgets' final lines (Textual's line filters applied: NO_COLOR's
Monochrome filter turns every colour grey), then for 256 colours turned into the palette colour
Rich sends to such a terminal.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.segment import Segment
from textual.geometry import Region

from tests.test_app import ready
from briefing.ui import palette
from briefing.ui.app import create_app
from briefing.ui.widgets.doc_list import DocList
from briefing.ui.widgets.facts_panel import FactsPanel
from briefing.ui.widgets.reading_pane import ReadingPane

SENTENCE = (
    "On [Monday]{.date value=2025-10-20} [Anwar Ibrahim]{.leader ref=anwar} met "
    "[Xanana Gusmão]{.leader ref=xanana} in [Kuala Lumpur]{.region ref=kl}, with "
    "[ASEAN]{.org ref=asean} envoys at the [summit]{.event name=\"ASEAN Summit\"} on "
    "[Timor-Leste]{.region ref=tl} and a [treaty]{.treaty name=\"Treaty of Amity\"} in "
    "[Q1 2026]{.date value=2026-Q1}."
)
BRIEF = f"""---
title: Contrast of a highlighted sentence
published: 2025-10-20
source: Test
tags: [contrast]
entities:
  anwar: {{type: leader, name: Anwar Ibrahim, role: Prime Minister of Malaysia, country: Malaysia}}
  xanana: {{type: leader, name: Xanana Gusmão, role: Prime Minister of Timor-Leste, country: Timor-Leste}}
  kl: {{type: region, name: Kuala Lumpur, kind: city}}
  tl: {{type: region, name: Timor-Leste, kind: country}}
  asean: {{type: org, name: ASEAN}}
---
{SENTENCE} A second sentence follows it.
"""

MODES = ("truecolor", "256", "no_color")
THEMES = ("textual-dark", "textual-light")
MENTION_WORDS = {"leader": "Anwar Ibrahim", "date": "Monday", "region": "Kuala Lumpur", "org": "ASEAN",
                 "event": "summit", "other": "treaty"}


def cells(strips) -> list[tuple[str, Segment]]:
    return [(ch, seg) for strip in strips for seg in strip if not seg.control for ch in seg.text]


def rgb(colour):
    if colour is None or colour.is_default:
        return None
    t = colour.get_truecolor()
    return (t.red, t.green, t.blue)


def seen(style, mode: str):
    """The (fg, bg) the terminal shows for a cell's style."""
    fg, bg = rgb(style.color), rgb(style.bgcolor)
    if style.reverse:
        fg, bg = bg, fg
    if mode == "256":
        fg, bg = (palette.as_256(c) if c else None for c in (fg, bg))
    return fg, bg


def visible_leaves(screen):
    """Every widget drawn on the screen that draws its own cells (the title bar, the list's
    header, the footer's keys, the line above the pane, …): the lines a person reads."""
    for widget in screen.query("*"):
        if not widget.children and widget.display and widget.size.area:
            yield widget


async def draw(tmp_path, monkeypatch, mode: str, theme: str, draft: bool = False):
    """``draft``: the brief says ``draft: true`` (every mention unreviewed: the draft cue), and
    the find match is on a draft leader."""
    folder = tmp_path / "briefs"
    folder.mkdir()
    text = BRIEF.replace("tags: [contrast]\n", "tags: [contrast]\ndraft: true\n") if draft else BRIEF
    (folder / "contrast.md").write_text(text, encoding="utf-8")
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))
    if mode == "no_color":
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    app = create_app([folder])
    lines: dict[str, list] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        app.theme = theme
        await pilot.press("enter", "h")  # highlight the first sentence, cursor on it
        pane = app.query_one(ReadingPane)
        assert pane.highlights, "the sentence was not highlighted"
        if draft:
            assert pane._drafts.ranges, "the draft cue is not shown"
        pane.find("Ibrahim" if draft else "Kuala")  # a find match inside the highlight (draft: on a leader)
        start = pane.brief.text.index("Timor-Leste")
        pane.set_fact([(start, start + len("Timor-Leste"))])  # a fact's mark inside it
        await pilot.pause()
        drawn = [pane, app.query_one(FactsPanel), app.query_one(DocList)]
        drawn += [w for w in visible_leaves(app.screen) if w not in drawn]
        assert {"TitleBar", "FooterKey"} <= {type(w).__name__ for w in drawn}
        for widget in drawn:
            size = widget.size if widget in drawn[:3] else widget.outer_size  # (a leaf's border too)
            strips = widget.render_lines(Region(0, 0, size.width, size.height))
            lines.setdefault(type(widget).__name__ + (f"#{widget.id}" if widget.id else ""), []).extend(strips)
        text = pane.brief.text
        mentions = {m.type: (m.start, m.end) for m in pane.brief.mentions}
        styles = {}
        for kind, word in MENTION_WORDS.items():
            offset = text.index(word)
            line = next(line for line in pane._layout.lines if line.start <= offset < line.end)
            y = pane.line_y(pane._layout.lines.index(line))
            strip = pane._render_row(y, pane.scrollable_content_region.width)
            styles[kind] = _style_at(strip, pane, line, offset)
        styles["plain"] = _style_at(*_plain_probe(pane, text.index("envoys")))
    return lines, styles, mentions


async def test_export_dialog_choices_show_without_colour(tmp_path, monkeypatch):
    """The export dialog's chosen format and its checkboxes: told by a mark (● / X), not only
    by the shade of one (232 or 250 on 235 before)."""
    from textual.widgets import Checkbox, RadioButton

    folder = tmp_path / "briefs"
    folder.mkdir()
    (folder / "contrast.md").write_text(BRIEF, encoding="utf-8")
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NO_COLOR", "1")
    app = create_app([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("enter", "h", "e")
        await pilot.pause()

        def shown(widget) -> str:
            return "".join(seg.text for strip in widget.render_lines(Region(0, 0, *widget.outer_size))
                           for seg in strip)

        radios = list(app.screen.query(RadioButton))
        assert len(radios) == 3 and radios[0].value
        assert "▐●▌" in shown(radios[0]) and not any("●" in shown(r) for r in radios[1:])
        boxes = list(app.screen.query(Checkbox))
        assert boxes and all(not b.value and "X" not in shown(b).split("▌")[0] for b in boxes), [shown(b) for b in boxes]
        boxes[0].value = True
        await pilot.pause()
        assert "▐X▌" in shown(boxes[0])


def _plain_probe(pane, offset):
    line = next(line for line in pane._layout.lines if line.start <= offset < line.end)
    y = pane.line_y(pane._layout.lines.index(line))
    return pane._render_row(y, pane.scrollable_content_region.width), pane, line, offset


def _style_at(strip, pane, line, offset):
    """The style of the cell showing text[offset] (the gutter and indent come first)."""
    wanted = pane.brief.text[line.start:offset]
    x = 0
    skipped = 0
    for seg in strip:
        if skipped < 2:  # the gutter's two cells
            skipped += 1
            continue
        if not seg.text.strip() and x == 0:
            continue  # indent
        if x + len(seg.text) > len(wanted):
            return seg.style
        x += len(seg.text)
    raise AssertionError("offset not on the line")


@pytest.mark.parametrize("draft", [False, True], ids=["reviewed", "draft"])
@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("mode", MODES)
async def test_every_cell_reads_in_every_mode(tmp_path, monkeypatch, mode, theme, draft):
    """Every cell of the screen: the pane (a draft's mentions too, and a find match on one),
    the sidebar, the list and its header, the title bar, the footer's keys."""
    lines, _, _ = await draw(tmp_path, monkeypatch, mode, theme, draft)
    worst = (99.0, "")
    for name, strips in lines.items():
        for ch, seg in cells(strips):
            if not ch.strip() or "\u2500" <= ch <= "\u259f":
                continue  # a blank cell, or a rule or border (decoration, not text)
            fg, bg = seen(seg.style, mode)
            if fg is None or bg is None:
                continue
            ratio = palette.contrast(fg, bg)
            if ratio < worst[0]:
                worst = (ratio, f"{name} {ch!r} fg={fg} bg={bg}")
    print(f"{mode} {theme}: worst contrast {worst[0]:.2f} at {worst[1]}")
    assert worst[0] >= palette.MIN_CONTRAST, f"{mode} {theme}: {worst}"


@pytest.mark.parametrize("theme", THEMES)
async def test_mentions_differ_by_attributes_without_colour(tmp_path, monkeypatch, theme):
    _, styles, _ = await draw(tmp_path, monkeypatch, "no_color", theme)
    cues = {kind: (bool(s.bold), bool(s.italic), bool(s.underline)) for kind, s in styles.items()}
    # The reading cursor is on the sentence and the find/fact marks are elsewhere: these cells
    # show only the highlight and the mention.
    assert len(set(cues.values())) == len(cues), cues
    # Leaders and regions differ by more than italics (bold or underline).
    leader, region = cues["leader"], cues["region"]
    assert (leader[0], leader[2]) != (region[0], region[2]), cues


@pytest.mark.parametrize("theme", THEMES)
async def test_draft_mentions_differ_by_attributes_without_colour(tmp_path, monkeypatch, theme):
    """A draft's mentions: each type still differs from the others without colour (a draft
    leader looked like a draft region: both bold underline), and a draft mention from a
    reviewed one of its type."""
    (tmp_path / "r").mkdir(), (tmp_path / "d").mkdir()
    _, reviewed, _ = await draw(tmp_path / "r", monkeypatch, "no_color", theme)
    _, drafted, _ = await draw(tmp_path / "d", monkeypatch, "no_color", theme, draft=True)

    def cue(s):
        return (bool(s.bold), bool(s.italic), bool(s.underline), bool(s.underline2), bool(s.overline), bool(s.dim))

    draft_cues = {kind: cue(s) for kind, s in drafted.items() if kind != "plain"}
    assert len(set(draft_cues.values())) == len(draft_cues), draft_cues
    for kind, c in draft_cues.items():
        assert c != cue(reviewed[kind]), (kind, c)
        assert c != cue(reviewed["plain"]), (kind, c)


def test_legible_replaces_a_foreground_that_would_vanish():
    from rich.style import Style

    orange_on_orange = Style(color="#ffa62b", bgcolor="#fea62b")
    fixed = palette.legible(orange_on_orange)
    fg, bg = rgb(fixed.color), rgb(fixed.bgcolor)
    assert palette.worst_contrast(fg, bg) >= palette.MIN_CONTRAST
    readable = Style(color="#e0e0e0", bgcolor="#121212")
    assert palette.legible(readable) == readable


def test_readable_on_goes_the_way_legible_does():
    """The footer's key colour (app.get_css_variables) is mixed toward black or white by the
    rule legible uses (whichever reads better in the worst mode), from colours as Textual reads
    them. On a green of luminance 0.18 black reads at 3.7 at best, white at 4.5: mixed toward
    black by a luminance cut, it ended as black at 3.7."""
    from textual.color import Color

    def as_rgb(value: str) -> tuple[int, int, int]:
        return Color.parse(value).rgb

    fixed = palette.readable_on("#10a050", "#008844")
    assert fixed is not None and palette.worst_contrast(as_rgb(fixed), (0, 0x88, 0x44)) >= palette.MIN_CONTRAST
    assert palette.readable_on("green", "#1e1e1e") is not None  # a name Textual reads is a colour
    for fg, bg in (("#0178D4", "#D0D0D0"), ("#fdf6e3", "#268bd2")):  # textual-light's, solarized's
        fixed = palette.readable_on(fg, bg)
        assert palette.worst_contrast(as_rgb(fixed), as_rgb(bg)) >= palette.MIN_CONTRAST
    assert palette.readable_on("#e0e0e0", "#121212") is None  # it reads already
    for theme_value in ("auto 60%", "ansi_magenta", "transparent", ""):  # left to the theme
        assert palette.readable_on(theme_value, "#121212") is None
        assert palette.readable_on("#777777", theme_value) is None


def test_palette_itself_reads_on_its_backgrounds():
    """Every mention colour on the pane's background and on the highlight, in all modes."""
    for dark, backgrounds in ((True, ["#121212", "#1e1e1e"]), (False, ["#e0e0e0", "#d8d8d8"])):
        variables = palette.theme_variables(dark)
        backgrounds.append(variables["highlight-background"])
        for name, value in variables.items():
            if not name.startswith("mention-"):
                continue
            for bg in backgrounds:
                fg_rgb = tuple(int(value[i:i + 2], 16) for i in (1, 3, 5))
                bg_rgb = tuple(int(bg[i:i + 2], 16) for i in (1, 3, 5))
                assert palette.worst_contrast(fg_rgb, bg_rgb) >= palette.MIN_CONTRAST, (dark, name, bg)
