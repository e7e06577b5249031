"""The command palette (ctrl+p): the app's own commands and every brief by title."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class BriefingCommands(Provider):
    _names: list[tuple[str, str]] = []

    async def startup(self) -> None:
        # "Profile: NAME" for the most mentioned facts: read from the index off the UI thread.
        import asyncio

        self._names = await asyncio.to_thread(self.app.main.profile_names)

    def _commands(self) -> list[tuple[str, object, str]]:
        app = self.app
        main = app.main  # the reader's screen, under the palette
        commands = [
            ("Sort the list by date / title", main.doc_list.action_toggle_sort, "Toggle the order of the document list"),
            ("Filter the list by the selected fact", main.action_filter_by_fact, "Show only briefs that mention the fact under the sidebar cursor"),
            ("Clear filters", main.action_clear_filter, "Show every brief again"),
            ("Find in brief", main.action_find, "Search the text of the open brief"),
            ("Toggle key facts sidebar", main.action_toggle_facts, "Show or hide the key facts"),
            ("Toggle dark / light theme", lambda: setattr(app, "theme", "textual-light" if app.current_theme.dark else "textual-dark"), "Switch between dark and light"),
            ("Timeline of the listed briefs", main.action_timeline, "Every dated mention, in the order of the dates (T)"),
            ("Profile of the selected fact", main.action_profile, "A fact across briefs (P)"),
            ("Mark this brief for compare", main.action_mark_compare, "Then move to another brief and compare (m)"),
            ("Compare with the marked brief", main.action_compare, "Key facts side by side (M)"),
            ("Related briefs", main.action_related, "The briefs that share the most key facts (R)"),
            ("Help: keys", app.action_help, "Show every key"),
            ("Mark all shown briefs read", main.doc_list.action_mark_all_read, "Every brief the list shows (asks first)"),
            ("Copy the highlights of the original", main.copy_origin_highlights, "For a brief that is a copy of one with highlights"),
            # (no "Quit": Textual's own commands have it, and the palette listed it twice)
        ]
        for kind, name in self._names:
            commands.append((f"Profile: {name}", partial(main.profile_of, name, kind), kind))
        for entry in main.doc_list.entries:
            commands.append((f"Open: {entry.title}", partial(main.open_path, entry.key), entry.published_iso or ""))
        return commands

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands()[:7]:
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                # highlight() returns Content built from plain text: brief titles stay inert.
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
