"""What the dialogs over the main screen share: ``Dialog``, their base class."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen, Screen

Result = TypeVar("Result")


def own_action(screen: Screen, action: str) -> bool:
    """A dialog's ``check_action``: only its own actions. The app-wide keys that act on the
    main screen (``c`` clear filter, ``e`` export, ``t``, ``/``, ``T``…) are looked up on the
    screen on top, and a dialog answering True showed them in the footer under it ("c Clear
    filter" with the help open and no filter set)."""
    return hasattr(screen, f"action_{action}")


class Dialog(ModalScreen[Result]):
    """A dialog over the main screen (help, outline, note, confirm, export, the review
    prompt): the footer under it shows its own keys only (``own_action``)."""

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        return own_action(self, action)
