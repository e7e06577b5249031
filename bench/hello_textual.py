"""The reference for first-paint ratios: the smallest Textual app that paints a screen.

    python bench/hello_textual.py     # shows READY until q / ctrl+q (a copy of ../shared/tools/hello_textual.py)
"""
from textual.app import App
from textual.widgets import Footer, Header, Static


class Hello(App):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self):
        yield Header()
        yield Static("READY")
        yield Footer()


if __name__ == "__main__":
    Hello().run()
