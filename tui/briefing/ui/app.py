"""The reader's App: thin. It owns the session (the open library, briefing.session.library),
the stylesheet, the app-wide keys and the one path for messages to the user (``tell``); the
reader itself is one MainScreen (briefing.ui.screens.main). ``create_app`` is the factory the
tests reuse; ``run_reader`` is what ``briefing [PATH…]`` runs.

Where a key is handled: the app-wide keys are declared here (their binding ids are the
keymap.toml contract) and act on the main screen (``screen.…`` actions); the list's, the
pane's and the sidebar's keys are declared by those widgets (briefing.ui.widgets), which
handle their own and post a message for the screen to act on the rest.
"""

from __future__ import annotations

import threading
from pathlib import Path

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.reactive import Reactive

from briefing.session.library import Library
from briefing.ui import _textual_compat as compat
from briefing.ui import palette, threads
from briefing.ui.commands import BriefingCommands
from briefing.ui.messages import Say
from briefing.ui.screens.main import MainScreen

NARROW = 100  # below this many columns the sidebar collapses (t shows it)


class BriefingApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "briefing"
    # Below NARROW columns the screen gets the class -narrow and the sidebar collapses.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW, "-wide")]
    COMMANDS = App.COMMANDS | {BriefingCommands}
    # The sub-title is the open brief's title, shown by the TitleBar (which watches it). App's
    # own reactive repaints the whole screen on every change: ~30 ms of every brief switch.
    sub_title: Reactive[str] = Reactive("", compute=False, repaint=False)

    # App-wide keys. Those that act on what the reader shows are the main screen's actions;
    # declared here, they keep their place in the footer and the help, and their ids.
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        Binding("slash", "screen.find", "Find", id="app.find"),
        Binding("escape", "screen.back", "Back", id="app.back", show=False),
        Binding("t", "screen.toggle_facts", "Facts", id="app.toggle_facts"),
        Binding("c", "screen.clear_filter", "Clear filter", id="app.clear_filter"),
        Binding("e", "screen.export", "Export", id="app.export"),
        Binding("ctrl+p", "command_palette", "Commands", id="app.commands", show=False),
        # The views across briefs (briefing.ui.screens.main_views).
        Binding("T", "screen.timeline", "Timeline", id="app.timeline", show=False),
        Binding("P", "screen.profile", "Profile", id="app.profile", show=False),
        Binding("m", "screen.mark_compare", "Mark for compare", id="app.mark_compare", show=False),
        Binding("M", "screen.compare", "Compare with marked", id="app.compare", show=False),
        Binding("R", "screen.related", "Related briefs", id="app.related", show=False),
        Binding("less_than_sign", "screen.list_width(-4)", "Narrower list", id="app.list_narrower", show=False),
        Binding("greater_than_sign", "screen.list_width(4)", "Wider list", id="app.list_wider", show=False),
    ]

    def __init__(self, paths: list[Path], follow_symlinks: bool = False, preferences=None) -> None:
        super().__init__()
        self.session = Library(paths, follow_symlinks, tell=self.tell)
        self._main: MainScreen | None = None
        from briefing.settings import DEFAULTS
        from briefing.ui.preferences import Preferences

        self.preferences = preferences or Preferences(dict(DEFAULTS))
        self._settings_failed = False
        theme = self.preferences.settings["theme"]
        if theme:
            if theme in self.available_themes:
                self.theme = theme
            else:
                self.preferences.problems.append(f"settings.toml: theme {theme!r} is not one of: "
                                                 f"{', '.join(sorted(self.available_themes))}")

    @property
    def main(self) -> MainScreen:
        """The reader's screen (under any dialog that is open)."""
        if self._main is None:
            self._main = MainScreen(self.session)
        return self._main

    def get_default_screen(self) -> MainScreen:
        return self.main

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """Mention and highlight colours for app.tcss, per dark or light theme (ui/palette.py)."""
        return palette.theme_variables(self.current_theme.dark)

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables, with the footer's key letters made to read on the footer
        (textual-light's blue on its grey was 2.3:1 in 256 colours): ui/palette.readable_on."""
        variables = super().get_css_variables()
        fixed = palette.readable_on(variables.get("footer-key-foreground", ""), variables.get("footer-background", ""))
        if fixed is not None:
            variables["footer-key-foreground"] = fixed
        return variables

    def get_theme(self, theme_name: str):
        """As App.get_theme, without copying every registered theme into a new dict first: the
        renderer asks for the current theme for each line it draws (~200 per brief switch)."""
        registered = compat.registered_themes(self)
        if registered is None:
            return super().get_theme(theme_name)
        for name in theme_name.split(","):
            theme = registered.get(name.strip())
            if theme is not None:
                return theme
        return None

    def on_load(self) -> None:
        # Before any worker starts: the threads of @work(thread=True) never keep the process
        # alive after q (briefing.ui.threads).
        threads.install()

    def on_mount(self) -> None:
        from briefing.keymap import quick_keymap

        # The keys are in place before the first frame; the keymap's problems (and its ids
        # checked against every binding the UI declares) are found after it, on a thread.
        keymap = quick_keymap()
        if keymap:
            self.set_keymap(keymap)
        self.theme_changed_signal.subscribe(self, lambda theme: self.save_settings(theme=theme.name))
        self.call_after_refresh(self._check_preferences)

    @work(thread=True, exclusive=True, group="preferences", description="_check_preferences")
    def _check_preferences(self) -> None:
        """After the first frame: settings.toml and keymap.toml against their models; each
        problem told once (and written to stderr when the reader quits)."""
        from briefing.ui.preferences import check_preferences

        problems, writable = check_preferences()
        self.preferences.writable = self.preferences.writable and writable
        self.preferences.problems += problems
        for problem in self.preferences.problems:
            self.tell(problem, severity="warning", timeout=10)

    def save_settings(self, **changes) -> None:
        """Keep a change made in the app in settings.toml (not when that file could not be read)."""
        settings = self.preferences.settings
        if all(settings.get(k) == v for k, v in changes.items()):
            return
        settings.update(changes)
        if not self.preferences.writable or self._settings_failed:
            return
        from briefing.settings import save_settings

        try:
            save_settings(settings)
        except OSError as exc:
            self._settings_failed = True  # said once; the app goes on with them in memory
            self.tell(f"Settings not saved: {exc.strerror or exc}", severity="warning", timeout=6)

    def tell(self, message: str, **kwargs) -> None:
        """A message for the user, from any thread. Always plain text, never markup: what it
        says may hold a brief's words (a fact's label, a file name, an error about a file).
        Sanitised here as well (one character for one; a no-op on the callers' already clean
        text): a view's error quotes names read from the index, a file anyone may edit."""
        from briefing.core.sanitize import sanitise

        message = sanitise(message)
        if threading.current_thread() is threading.main_thread():
            self.notify(message, markup=False, **kwargs)
        else:
            # Queued, not waited for: a worker never blocks on the UI thread, and a message
            # told while the app closes is dropped (call_from_thread would raise).
            self.post_message(Say(message, kwargs.get("severity", "information"), kwargs.get("timeout")))

    def on_say(self, event: Say) -> None:
        kwargs = {"timeout": event.timeout} if event.timeout is not None else {}
        self.tell(event.text, severity=event.severity, **kwargs)

    async def action_quit(self) -> None:
        unwritten = self.main.unwritten_reviews()
        if unwritten:  # a review is kept only while the app runs: never lost without a word
            from pathlib import Path

            from briefing.core.sanitize import terminal_line
            from briefing.ui.screens.confirm import ConfirmScreen

            names = ", ".join(terminal_line(Path(p).name) for p in unwritten[:3]) + (" …" if len(unwritten) > 3 else "")

            def answer(ok: bool | None) -> None:
                if ok:
                    self.main.save_position()
                    self.exit()

            self.push_screen(ConfirmScreen(f"Quit without writing the review of {len(unwritten)} draft(s)? "
                                           "(w writes a draft's review)", names, yes="Quit", no="Stay"), answer)
            return
        self.main.save_position()
        self.exit()

    def action_help(self) -> None:
        from briefing.ui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.key_sections()))

    def key_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Every binding by region, with the keys currently bound (after any remapping)."""
        from briefing.ui.screens.help import key_sections

        main = self.main
        return key_sections(self, [("Everywhere", self), ("Document list", main.doc_list),
                                   ("Reading pane", main.pane), ("Key facts", main.facts),
                                   ("Reviewing a draft (a raw .txt, or a brief with draft: true)", main)])


def create_app(paths: list[Path] | None = None, follow_symlinks: bool = False, preferences=None) -> BriefingApp:
    from briefing.paths import default_brief_paths
    from briefing.ui.preferences import quick_preferences

    if preferences is None:
        preferences = quick_preferences()
    return BriefingApp(list(paths) if paths else default_brief_paths(), follow_symlinks=follow_symlinks,
                       preferences=preferences)


def run_reader(paths: list[Path], follow_symlinks: bool = False) -> int:
    from briefing.ui.preferences import report_on_stderr

    app = create_app(paths, follow_symlinks)
    app.run()
    report_on_stderr(app.preferences.problems)  # once more where a script or a shell sees them
    return 0
