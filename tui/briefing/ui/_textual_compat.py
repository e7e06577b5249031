"""The one place that touches Textual's private internals (pinned: textual>=8.2,<9).

Each function names what the reader needs and why Textual has no public way to give it. A
Textual upgrade that renames one of these breaks here, in one file, and in the tests that
compare what our widgets draw with what Textual itself draws (tests/test_switch.py,
tests/test_textual_compat.py). Nothing else in briefing may use an ``_``-prefixed name of
Textual's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App
    from textual.binding import BindingsMap
    from textual.dom import DOMNode
    from textual.geometry import Size
    from textual.scrollbar import ScrollBar
    from textual.widget import Widget


def registered_themes(app: "App") -> dict | None:
    """The app's themes by name. ``App.available_themes`` copies the dict on every call, and
    the renderer asks for the current theme for each line it draws."""
    themes = getattr(app, "_registered_themes", None)
    return themes if isinstance(themes, dict) else None


def active_keymap(app: "App") -> dict:
    """The keymap set by ``App.set_keymap`` (binding id -> keys); Textual has no getter."""
    return getattr(app, "_keymap", None) or {}


def node_bindings(node: "DOMNode") -> "BindingsMap":
    """A node's own bindings, as Textual looks a key up (the help screen lists them)."""
    return node._bindings


def start_widget(parent: "Widget", widget: "Widget") -> None:
    """Start a widget that is not in the DOM, as Textual starts a scrollbar it makes itself."""
    parent.app._start_widget(parent, widget)


def vertical_scrollbar_slot(widget: "Widget") -> "ScrollBar | None":
    """The scrollbar Widget.vertical_scrollbar keeps (None until first asked)."""
    return widget._vertical_scrollbar


def set_vertical_scrollbar_slot(widget: "Widget", bar: "ScrollBar") -> None:
    widget._vertical_scrollbar = bar


def scroll_update(widget: "Widget", virtual_size: "Size") -> None:
    """What ScrollView does when its virtual size changes (scrollbars, clamping), without the
    layout of the whole screen its reactive asks for."""
    widget._scroll_update(virtual_size)


def has_border_titles(widget: "Widget") -> bool:
    """True when a border title or subtitle is set (then Textual's own drawing is used)."""
    return widget._border_title is not None or widget._border_subtitle is not None


def hold_frame(screen: "Widget", seconds: float) -> None:
    """Hold the screen's next frame for ``seconds`` (App._begin_batch/_end_batch, which
    ``App.batch_update`` uses), then paint whatever changed in one frame. A brief switch
    changes the list, the title, the pane and the sidebar from one key press, but each widget
    reports its change to the screen from its own task: the list's report came first, the
    screen painted it alone, and the rest waited a frame interval for a second frame."""
    app = screen.app
    seconds = max(seconds, 0.001)  # (a timer of 0 s was seen never to end the hold)
    app._begin_batch()

    def release() -> None:
        app._end_batch()
        screen.check_idle()  # the screen, idle meanwhile, paints what its widgets reported

    app.set_timer(seconds, release, name="hold_frame")  # (the app's: it ends even if the screen goes)
