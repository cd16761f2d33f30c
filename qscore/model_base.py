"""Shared pieces of the rubric model: the strict base class and small value types."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Key = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]*$", max_length=64)]
"""Identifiers in a rubric: ASCII letters, digits, underscores; they name things in code and files."""

Text = Annotated[str, StringConstraints(min_length=1, max_length=500, strip_whitespace=True)]
Points = Annotated[float, Field(ge=0, le=10_000)]
Positive = Annotated[float, Field(gt=0, le=1_000_000)]


class Strict(BaseModel):
    """Frozen, and unknown keys are errors (a misspelt key must never be ignored)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
