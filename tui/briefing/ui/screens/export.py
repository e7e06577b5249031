"""The export dialog (``e``): format, digest or full brief, and where to write."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, RadioButton, RadioSet, Static

FORMATS = (("md", "Markdown brief (opens in briefing, renders in Pandoc)"),
           ("html", "HTML page (one self-contained file)"),
           ("json", "JSON (W3C annotation selectors)"))


MAX_COMPONENT_BYTES = 255  # of one name in a path (NAME_MAX on Linux and macOS)


def export_path_problem(raw: str) -> str | None:
    """What is wrong with a typed export path, as a message (sanitised), or None. Every path
    error is a message in the dialog, never a crash (issue 15: '~nosuchuser/x.md' raised
    RuntimeError, a 305-byte name 'File name too long')."""
    from briefing.core.sanitize import terminal_line

    if not raw:
        return "Give a file name"
    if "\0" in raw:
        return "A file name cannot hold a NUL character"
    try:
        path = Path(raw).expanduser()
    except RuntimeError:
        user = raw[1:].split("/", 1)[0]
        return terminal_line(f"No user named {user!r}: write the folder in full")
    for part in path.parts:
        if len(os.fsencode(part)) > MAX_COMPONENT_BYTES:
            return terminal_line(f"The name {part[:40]!r}… is too long ({len(os.fsencode(part))} bytes; "
                                 f"at most {MAX_COMPONENT_BYTES})")
    return None


@dataclass
class ExportRequest:
    fmt: str
    path: Path
    highlights_only: bool
    facts: str = "all"  # "all", or "highlighted": the key facts in the highlighted passages
    replace: bool = False  # the user agreed to replace the existing file


class ExportScreen(ModalScreen[ExportRequest | None]):
    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen #dialog { width: 80; height: auto; border: thick $primary; background: $surface; padding: 1 2; }
    ExportScreen RadioSet { width: 100%; margin: 1 0; }
    ExportScreen #buttons { height: auto; align: right middle; margin-top: 1; }
    ExportScreen Button { margin-left: 2; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export.cancel")]

    def __init__(self, title: str, folder: Path, highlight_count: int) -> None:
        super().__init__()
        self.brief_title = title
        self.folder = folder
        self.highlight_count = highlight_count
        self.fmt = "md"

    def _default_path(self, digest: bool | None = None) -> str:
        """The folder and a name made from the title; only the name when the folder's path
        holds characters the sanitiser would replace (a relative name is written in the
        folder): the Input shows its value as it is, and a folder named with an escape
        sequence set the terminal's title (issue 15)."""
        from briefing.atomic import default_export_name
        from briefing.core.sanitize import is_safe

        if digest is None:
            digest = self._digest()
        name = default_export_name(self.brief_title, self.fmt, digest=digest)
        folder = str(self.folder)
        return str(self.folder / name) if is_safe(folder) and "\n" not in folder and "\t" not in folder else name

    def _digest(self) -> bool:
        try:
            return self.query_one("#digest", Checkbox).value
        except Exception:  # noqa: BLE001 - before compose: the default
            return False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text("Export this brief", style="bold"))
            yield Static(Text(f"{self.highlight_count} highlight(s) will be included.", style="dim"))
            with RadioSet(id="format"):
                for i, (fmt, label) in enumerate(FORMATS):
                    yield RadioButton(label, value=i == 0, name=fmt)
            yield Checkbox("Highlights only (a digest: title, key facts, highlighted passages)", id="digest")
            yield Checkbox("Key facts: only those in the highlighted passages", id="facts-scope")
            yield Static(Text("Write to:"))
            yield Input(value=self._default_path(), id="path")
            with Horizontal(id="buttons"):
                yield Button("Export", variant="primary", id="export")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#format", RadioSet).focus()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        old_default = self._default_path()
        self.fmt = event.pressed.name or "md"
        path_input = self.query_one("#path", Input)
        if path_input.value == old_default or path_input.value.rsplit(".", 1)[-1] in {f for f, _ in FORMATS}:
            stem = path_input.value.rsplit(".", 1)[0]
            path_input.value = f"{stem}.{self.fmt}"

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if event.checkbox.id != "digest":
            return
        # The digest lists the facts of the highlighted passages by default; its file gets a name
        # of its own (unless the user typed one).
        self.query_one("#facts-scope", Checkbox).value = event.value
        path_input = self.query_one("#path", Input)
        if path_input.value == self._default_path(digest=not event.value):
            path_input.value = self._default_path(digest=event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export":
            self._submit()
        else:
            self.dismiss(None)

    def _submit(self) -> None:
        raw = self.query_one("#path", Input).value.strip()
        problem = export_path_problem(raw)
        if problem:
            self.app.tell(problem, severity="warning", timeout=6)
            return
        path = Path(raw).expanduser()
        if not path.is_absolute():
            path = self.folder / path
        request = ExportRequest(self.fmt, path, self._digest(),
                                "highlighted" if self.query_one("#facts-scope", Checkbox).value else "all")
        if not path.exists():
            self.dismiss(request)
            return
        from briefing.ui.screens.confirm import ConfirmScreen

        def answer(replace: bool | None) -> None:
            if replace:
                request.replace = True
                self.dismiss(request)
            else:  # "Keep it": back to this dialog, to choose another name
                self.query_one("#path", Input).focus()

        self.app.push_screen(ConfirmScreen("Replace the existing file?", str(path), yes="Replace", no="Keep it"), answer)

    def action_cancel(self) -> None:
        self.dismiss(None)
