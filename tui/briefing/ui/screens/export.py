"""The export dialog (``e``): format, digest or full brief, and where to write; the export
itself runs in the dialog's worker (``ExportScreen._export``)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Checkbox, Input, RadioButton, RadioSet, Static

from briefing.core.sanitize import terminal_line
from briefing.ui.screens.modal import Dialog

FORMATS = (("md", "Markdown brief (opens in briefing, renders in Pandoc)"),
           ("html", "HTML page (one self-contained file)"),
           ("json", "JSON (W3C annotation selectors)"))

MAX_COMPONENT_BYTES = 255  # of one name in a path (NAME_MAX on Linux and macOS)


def export_path_problem(raw: str) -> str | None:
    """What is wrong with a typed export path, as a message (sanitised), or None. Every path
    error is a message in the dialog, never a crash (issue 15: '~nosuchuser/x.md' raised
    RuntimeError, a 305-byte name 'File name too long')."""
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


# What the dialog calls, on a worker thread, to export: (the request, a cancel test) -> the path
# written, or None when cancelled (nothing written). What it raises is shown in the dialog.
Exporter = Callable[[ExportRequest, Callable[[], bool]], "Path | None"]


class ExportDone(Message):
    """From the export worker: the brief was written to ``path``."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path


class ExportFailed(Message):
    """From the export worker: why nothing was written (plain text, sanitised)."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class StateRadio(RadioButton):
    """A radio button whose state shows without colour: ● when chosen, blank when not (Textual
    shows ● in both, told apart only by its shade: 232 or 250 on 235 in 256 colours)."""

    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802  (Textual's class attribute, read per render)
        return "●" if self.value else " "


class StateCheckbox(Checkbox):
    """A checkbox that shows X when checked and a blank when not (as ``StateRadio``)."""

    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802
        return "X" if self.value else " "


class ExportScreen(Dialog[Path | None]):
    """Dismissed with the path written, or None. The export runs in a worker of this dialog
    (a brief of thousands of highlights takes a while): the dialog says "Exporting…" and every
    key still answers (escape cancels it, q quits); a failure is a message in the dialog,
    with every choice kept, to try another name. Widgets are held from ``compose``, never
    queried: a dialog opened as the app quits is closed before it is composed (issue 15's
    NoMatches race)."""

    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen #dialog { width: 80; height: auto; border: thick $primary; background: $surface; padding: 1 2; }
    ExportScreen RadioSet { width: 100%; margin: 1 0; }
    ExportScreen #form { height: auto; }
    ExportScreen #status { height: auto; margin-top: 1; }
    ExportScreen #status.-failed { color: $error; }
    ExportScreen #buttons { height: auto; align: right middle; margin-top: 1; }
    ExportScreen Button { margin-left: 2; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
        # A modal dialog hides the app's keys: q quits from here too (while an export runs, the
        # focus is on Cancel; in the path line q is a letter).
        Binding("q", "app.quit", "Quit", id="export.quit", show=False),
    ]

    AUTO_FOCUS = "#format"

    def __init__(self, title: str, folder: Path, highlight_count: int, exporter: Exporter | None = None) -> None:
        super().__init__()
        self.brief_title = title
        self.folder = folder
        self.highlight_count = highlight_count
        self.exporter = exporter
        self.fmt = "md"
        self.exporting = False

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
        digest = getattr(self, "digest", None)  # (None before compose: the default)
        return bool(digest is not None and digest.value)

    def compose(self) -> ComposeResult:
        # The widgets the handlers use are held from here (a handler runs only once they exist).
        self.form = Vertical(id="form")
        self.formats = RadioSet(id="format")
        self.digest = StateCheckbox("Highlights only (a digest: title, key facts, highlighted passages)", id="digest")
        self.facts_scope = StateCheckbox("Key facts: only those in the highlighted passages", id="facts-scope")
        self.path_input = Input(value=self._default_path(), id="path")
        self.export_button = Button("Export", variant="primary", id="export")
        self.cancel_button = Button("Cancel", id="cancel")
        self.status = Static("", id="status")
        with Vertical(id="dialog"):
            yield Static(Text("Export this brief", style="bold"))
            yield Static(Text(f"{self.highlight_count} highlight(s) will be included.", style="dim"))
            with self.form:
                with self.formats:
                    for i, (fmt, label) in enumerate(FORMATS):
                        yield StateRadio(label, value=i == 0, name=fmt)
                yield self.digest
                yield self.facts_scope
                yield Static(Text("Write to:"))
                yield self.path_input
            yield self.status
            with Horizontal(id="buttons"):
                yield self.export_button
                yield self.cancel_button

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        old_default = self._default_path()
        self.fmt = event.pressed.name or "md"
        path_input = self.path_input
        if path_input.value == old_default or path_input.value.rsplit(".", 1)[-1] in {f for f, _ in FORMATS}:
            stem = path_input.value.rsplit(".", 1)[0]
            path_input.value = f"{stem}.{self.fmt}"

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if event.checkbox is not self.digest:
            return
        # The digest lists the facts of the highlighted passages by default; its file gets a name
        # of its own (unless the user typed one).
        self.facts_scope.value = event.value
        if self.path_input.value == self._default_path(digest=not event.value):
            self.path_input.value = self._default_path(digest=event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # The value as submitted: a key typed right after enter reaches the line before this
        # handler runs (a q that followed enter was taken as the file's name).
        self._submit(event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button is self.export_button:
            self._submit()
        else:
            self.action_cancel()

    def _say(self, text: str, failed: bool = False) -> None:
        """A line in the dialog (plain text, never markup: it may quote a path)."""
        self.status.update(Text(text))
        self.status.set_class(failed, "-failed")

    def _submit(self, value: str | None = None) -> None:
        if self.exporting:
            return
        raw = (self.path_input.value if value is None else value).strip()
        problem = export_path_problem(raw)
        if problem:
            self._say(problem, failed=True)
            self.app.tell(problem, severity="warning", timeout=6)
            return
        path = Path(raw).expanduser()
        if not path.is_absolute():
            path = self.folder / path
        request = ExportRequest(self.fmt, path, self._digest(), "highlighted" if self.facts_scope.value else "all")
        try:
            exists = path.exists() or path.is_symlink()
        except (OSError, ValueError) as exc:  # a name too long, a NUL: a message, never a crash
            self._say(f"Export failed: {terminal_line(str(exc))}", failed=True)
            return
        if not exists:
            self._start(request)
            return
        from briefing.ui.screens.confirm import ConfirmScreen

        def answer(replace: bool | None) -> None:
            if replace:
                request.replace = True
                self._start(request)
            else:  # "Keep it": back to this dialog, to choose another name
                self.path_input.focus()

        self.app.push_screen(ConfirmScreen("Replace the existing file?", terminal_line(str(path)),
                                           yes="Replace", no="Keep it"), answer)

    # ------------------------------------------------------------------ exporting (a worker)

    def _start(self, request: ExportRequest) -> None:
        if self.exporter is None:  # (a dialog made without one, as in a test: nothing to run)
            self.dismiss(None)
            return
        self.exporting = True
        self.form.disabled = True
        self.export_button.disabled = True
        self.cancel_button.focus()  # keys go on answering: escape cancels, q quits
        self._say(f"Exporting {self.highlight_count:,} highlight(s)…" if self.highlight_count else "Exporting…")
        self._export(request)

    @work(thread=True, exclusive=True, group="export", description="_export", exit_on_error=False)
    def _export(self, request: ExportRequest) -> None:
        """On a worker thread: the exporter builds the text and writes it (atomically: the
        old file or the new one, never half); the result goes back as a message."""
        from textual.worker import get_current_worker

        worker = get_current_worker()
        try:
            written = self.exporter(request, lambda: worker.is_cancelled)
        except Exception as exc:  # noqa: BLE001 - whatever it is, a message in the dialog, never a crash
            if not worker.is_cancelled:
                self.post_message(ExportFailed(f"Export failed: {terminal_line(str(exc))}"))
            return
        if written is not None and not worker.is_cancelled:
            self.post_message(ExportDone(written))

    @on(ExportDone)
    def _export_done(self, event: ExportDone) -> None:
        self.exporting = False
        self.dismiss(event.path)

    @on(ExportFailed)
    def _export_failed(self, event: ExportFailed) -> None:
        # Nothing lost: the dialog stays, with every choice as it was, to try another name.
        self.exporting = False
        self.form.disabled = False
        self.export_button.disabled = False
        self._say(event.error, failed=True)
        self.path_input.focus()

    def action_cancel(self) -> None:
        if self.exporting:  # the export stops before it writes (a write already made is whole)
            self.workers.cancel_group(self, "export")
            self.app.tell("Export cancelled", timeout=3)
        self.dismiss(None)
