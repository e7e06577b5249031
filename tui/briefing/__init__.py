"""briefing: a terminal reader for annotated briefs.

The core (model, parsing, facts, store, export) imports no textual; the app lives in
``briefing.ui.app`` and its widgets, and is imported only when the reader opens.
"""

__version__ = "0.1.0"
