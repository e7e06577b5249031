"""Problems found in a brief, reported in compiler form, and the project's own error type."""

from __future__ import annotations

from typing import Literal

from briefing.core.basemodel import Model

Severity = Literal["error", "warning"]


class Problem(Model):
    """One diagnostic: ``FILE:LINE:COL: error: MESSAGE``. Lines and columns count from 1."""

    path: str
    line: int = 1
    col: int = 1
    severity: Severity = "error"
    message: str

    def format(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"


class BriefError(Exception):
    """The only exception the parser raises for bad input: it carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(p.format() for p in problems) or "invalid brief")

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]
