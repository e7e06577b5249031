"""The names the reader's annotations use for what it shows (types only: importing this
module imports nothing of pydantic or the parser).

A brief reaches the reading pane and the sidebar in one of three shapes, each with ``path``,
``meta``, ``text``, ``blocks``, ``styles`` and ``mentions``:

- ``briefing.core.model.Brief``: the whole parse (pydantic), with ``facts``;
- ``briefing.session.progressive.HeadBrief``: a large brief's head, shown while the rest parses;
- ``briefing.session.first_screen.ScreenBrief``: the newest brief as the last start kept it,
  with its facts (``ScreenFact``), shown in the first frame.

``tests/test_annotations.py`` checks that every function of ``briefing.ui`` and
``briefing.session`` that takes a brief, a fact, a highlight or a list entry says which.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from briefing.core.model import Brief, Fact
    from briefing.session.first_screen import ScreenBrief, ScreenFact
    from briefing.session.progressive import HeadBrief

ShownBrief = Union["Brief", "HeadBrief", "ScreenBrief"]  # what the pane shows
FactsBrief = Union["Brief", "ScreenBrief"]  # what the sidebar lists facts of (a head has none yet)
ShownFact = Union["Fact", "ScreenFact"]  # a row of the sidebar
