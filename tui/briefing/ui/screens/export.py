"""The export dialog (``e``): format, digest or full brief, and where to write."""

from __future__ import annotations

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


@dataclass
class ExportRequest:
    fmt: str
    path: Path
    highlights_only: bool


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

    def _default_path(self) -> str:
        from briefing.atomic import default_export_name

        return str(self.folder / default_export_name(self.brief_title, self.fmt))

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text("Export this brief", style="bold"))
            yield Static(Text(f"{self.highlight_count} highlight(s) will be included.", style="dim"))
            with RadioSet(id="format"):
                for i, (fmt, label) in enumerate(FORMATS):
                    yield RadioButton(label, value=i == 0, name=fmt)
            yield Checkbox("Highlights only (a digest: title, key facts, highlighted passages)", id="digest")
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

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export":
            self._submit()
        else:
            self.dismiss(None)

    def _submit(self) -> None:
        raw = self.query_one("#path", Input).value.strip()
        if not raw:
            self.notify("Give a file name", severity="warning")
            return
        path = Path(raw).expanduser()
        if not path.is_absolute():
            path = self.folder / path
        self.dismiss(ExportRequest(self.fmt, path, self.query_one("#digest", Checkbox).value))

    def action_cancel(self) -> None:
        self.dismiss(None)
