"""Exceptions that carry enough structure for the CLI to print a one-line, actionable message."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class QscoreError(Exception):
    """Base class: anything the user can fix. The CLI prints it and exits 1."""


@dataclass(frozen=True)
class RubricIssue:
    """One problem in a rubric file, located by line and key path."""

    file: str
    line: int | None
    path: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        key = f" {self.path}:" if self.path else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}:{key} {self.message}{hint}"


class RubricError(QscoreError):
    """A rubric that cannot be used; holds every issue found, not just the first."""

    def __init__(self, issues: Sequence[RubricIssue]):
        self.issues = tuple(issues)
        super().__init__("\n".join(str(i) for i in self.issues))


class InputError(QscoreError):
    """Returns that cannot be scored; holds the problems found (see qscore.problems)."""

    def __init__(self, message: str, problems: Sequence[object] = ()):
        self.problems = tuple(problems)
        super().__init__(message)
