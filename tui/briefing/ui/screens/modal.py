"""What the dialogs over the main screen share."""

from __future__ import annotations

from textual.screen import Screen


def own_action(screen: Screen, action: str) -> bool:
    """A dialog's ``check_action``: only its own actions. The app-wide keys that act on the
    main screen (``c`` clear filter, ``e`` export, ``t``, ``/``, ``T``…) are looked up on the
    screen on top, and a dialog answering True showed them in the footer under it ("c Clear
    filter" with the help open and no filter set)."""
    return hasattr(screen, f"action_{action}")
