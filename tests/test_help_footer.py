"""The footer under a dialog shows no key of the main screen the dialog does not have ("c Clear
filter" showed under the help with no filter set), and the help screen gives its descriptions
the room: a region's title in the keys' column left them 14 columns at 120."""

from __future__ import annotations

from briefing.ui.app import create_app
from briefing.ui.screens.help import HelpScreen
from briefing.ui.screens.outline import OutlineScreen
from tests.test_app import BRIEFS, data_dir, ready  # noqa: F401  (fixture)


def screen_lines(app) -> list[str]:
    return ["".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()]


async def test_no_main_screen_key_in_the_footer_under_a_dialog():
    app = create_app([BRIEFS])
    async with app.run_test(size=(160, 40)) as pilot:
        await ready(app, pilot)
        assert "Clear filter" not in screen_lines(app)[-1]  # no filter set
        await pilot.press("question_mark")
        await pilot.pause(0.3)
        assert isinstance(app.screen, HelpScreen)
        footer = screen_lines(app)[-1]
        assert "Clear filter" not in footer and "Export" not in footer and "Facts" not in footer
        await pilot.press("escape", "enter", "O")
        await pilot.pause(0.3)
        assert isinstance(app.screen, OutlineScreen)
        assert "Clear filter" not in screen_lines(app)[-1]
        await pilot.press("escape")
        await app.main._apply_list_query("kishida").wait()
        await pilot.pause()
        assert "c Clear filter" in screen_lines(app)[-1]  # with a filter, on the main screen: shown


async def test_help_descriptions_have_the_room():
    app = create_app([BRIEFS])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause(0.3)
        text = "\n".join(screen_lines(app))
        assert "Move between list, reading pane and facts" in text  # on one line
        help_box = [line for line in screen_lines(app) if "Quit" in line and "Move" not in line]
        assert help_box  # "^q, q ... Quit": the keys' column as wide as the keys, not 60
        keys_end = help_box[0].index("q ") + 2
        assert help_box[0].index("Quit") - keys_end < 24


def test_every_dialog_answers_check_action_through_the_one_base():
    """Every modal screen is a Dialog (ui/screens/modal.py), whose check_action is the one rule:
    none pastes its own again."""
    import importlib
    import pkgutil

    from textual.screen import ModalScreen

    import briefing.ui.screens as screens
    from briefing.ui.screens.modal import Dialog

    for info in pkgutil.iter_modules(screens.__path__):
        importlib.import_module(f"briefing.ui.screens.{info.name}")
    dialogs = [c for c in _subclasses(ModalScreen) if c.__module__.startswith("briefing.")]
    assert {c.__name__ for c in dialogs} >= {"ConfirmScreen", "ExportScreen", "HelpScreen", "NoteScreen",
                                              "OutlineScreen", "ReviewPrompt"}
    for c in dialogs:
        assert issubclass(c, Dialog), c
        assert c is Dialog or "check_action" not in vars(c), c


def _subclasses(cls: type) -> list[type]:
    out = []
    for sub in cls.__subclasses__():
        out += [sub, *_subclasses(sub)]
    return out
