"""Views across briefs: timeline, profile, compare, related (issue 17).

Textual-free: the command line (briefing.cli.views) and the reader's screens
(briefing.ui.screens.*) both show what these modules compute. Timeline, profile and related
read the corpus index (briefing.index: the facts table's identity keys, mention offsets
and the spellings table); compare reads two parsed briefs.
"""
