"""Colours that stay legible on every terminal: mention colours per theme, solid highlight
backgrounds, and a guard that keeps every drawn cell at a WCAG contrast of 4.5 or more.

Why not the theme's own variables: in Textual's default themes $accent and $warning are the
same orange, so leaders and regions differed by italics alone; and a translucent colour in a
component class ("$warning 35%") reaches Rich as the solid colour (Textual drops the alpha),
so a highlight was a full orange block on which orange names vanished. The colours here are
solid, taken from the xterm 256-colour cube so tmux's 256 colours show the same hue as a
truecolor terminal, and the guard catches what a user's theme may still make unreadable.
"""

from __future__ import annotations

from functools import lru_cache

from rich.color import Color as RichColor
from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual.color import Color, ColorParseError

MIN_CONTRAST = 4.5

# Mention colours, one per type and per kind of theme, chosen so that each reads on the
# theme's background *and* on the highlight background (tests/test_contrast.py checks both).
_DARK = {
    "mention-leader": "#ffd75f",  # 221 amber
    "mention-date": "#87ff87",  # 120 green
    "mention-region": "#87ffff",  # 123 cyan
    "mention-org": "#ffd7ff",  # 225 pink
    "mention-event": "#ffd7af",  # 223 peach
    "mention-other": "#e4e4e4",  # 254 light grey
    # 58, a dark olive: the darkest tint the 256-colour cube has that still reads as yellow.
    "highlight-background": "#5f5f00",
}
_LIGHT = {
    "mention-leader": "#870000",  # 88 maroon
    "mention-date": "#005f00",  # 22 green
    "mention-region": "#005f87",  # 24 blue
    "mention-org": "#870087",  # 90 magenta
    "mention-event": "#5f00af",  # 55 violet
    "mention-other": "#4e4e4e",  # 239 grey
    "highlight-background": "#ffffaf",  # 229 pale yellow
}


def theme_variables(dark: bool) -> dict[str, str]:
    """CSS variables for app.tcss ($mention-leader, $highlight-background, ...)."""
    return dict(_DARK if dark else _LIGHT)


# ------------------------------------------------------------------ contrast

def _linear(c: float) -> float:
    c /= 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(rgb: tuple[int, int, int]) -> float:
    r, g, b = rgb
    return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """The WCAG 2 contrast ratio of two sRGB colours (1 to 21)."""
    la, lb = luminance(a), luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def as_256(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    """The colour a 256-colour terminal shows for it (what Rich sends there)."""
    colour = RichColor.from_rgb(*rgb).downgrade(ColorSystem.EIGHT_BIT)
    triplet = colour.get_truecolor()
    return (triplet.red, triplet.green, triplet.blue)


def as_mono(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    """The grey Textual's NO_COLOR filter (Monochrome) turns it into."""
    r, g, b = rgb
    grey = round(r * 0.2126 + g * 0.7152 + b * 0.0722)
    return (grey, grey, grey)


def worst_contrast(fg: tuple[int, int, int], bg: tuple[int, int, int]) -> float:
    """The lowest contrast of fg on bg over truecolor, 256 colours and NO_COLOR's greys."""
    return min(contrast(fg, bg), contrast(as_256(fg), as_256(bg)), contrast(as_mono(fg), as_mono(bg)))


def _solid(value: str) -> tuple[int, int, int] | None:
    """A theme variable's colour as Textual reads it ("#rrggbb", "#rgb", "rgb(…)", a name),
    or None: not a colour ("auto 60%"), an ANSI colour (the terminal's own, whatever its
    RGB here), or transparent. An alpha is ignored, as the terminal gets the colour."""
    try:
        colour = Color.parse(value.strip())
    except ColorParseError:
        return None
    if colour.ansi is not None or colour.a == 0:
        return None
    return colour.rgb


def readable_on(fg: str, bg: str) -> str | None:
    """A colour of ``fg``'s hue that reads on ``bg`` in every mode (WCAG 4.5 in truecolor, 256
    colours and NO_COLOR's greys): ``fg`` mixed step by step toward black or white, whichever
    reads better on ``bg`` (``legible``'s rule). None when ``fg`` already reads, or either is
    not a solid colour (a theme variable such as "auto 60%" is left to the theme)."""
    f, b = _solid(fg), _solid(bg)
    if f is None or b is None or worst_contrast(f, b) >= MIN_CONTRAST:
        return None
    towards = _black_or_white(b)
    for step in range(1, 21):
        t = step / 20
        mixed = tuple(round(c + (o - c) * t) for c, o in zip(f, towards))
        if worst_contrast(mixed, b) >= MIN_CONTRAST:
            return "#%02x%02x%02x" % mixed
    return "#%02x%02x%02x" % towards


def _rgb(colour: RichColor | None) -> tuple[int, int, int] | None:
    if colour is None or colour.is_default:
        return None
    t = colour.get_truecolor()
    return (t.red, t.green, t.blue)


_BLACK = (0, 0, 0)
_WHITE = (255, 255, 255)


def _black_or_white(bg: tuple[int, int, int]) -> tuple[int, int, int]:
    """Black or white, whichever reads better on ``bg`` in the worst of the three modes."""
    return max((_BLACK, _WHITE), key=lambda c: worst_contrast(c, bg))


@lru_cache(maxsize=1024)
def legible(style: Style) -> Style:
    """``style`` with its foreground replaced when it would not read on its background in one of
    the three colour modes: by black or white, whichever reads better. Styles without both
    colours are left alone (the terminal's defaults apply)."""
    fg, bg = _rgb(style.color), _rgb(style.bgcolor)
    if fg is None or bg is None or worst_contrast(fg, bg) >= MIN_CONTRAST:
        return style
    return style + Style(color=RichColor.from_rgb(*_black_or_white(bg)))


def _is_text(text: str) -> bool:
    """Whether a segment shows text (not only blanks, rules, borders and bars)."""
    return any(not ch.isspace() and not "\u2500" <= ch <= "\u259f" for ch in text)


def legible_segments(segments) -> list[Segment]:
    """Each text segment through ``legible``; rules, borders and blanks as they are (decoration
    needs no text contrast, and a faint rule is meant to be faint)."""
    return [Segment(text, legible(style), control) if style is not None and _is_text(text) else Segment(text, style, control)
            for text, style, control in segments]
