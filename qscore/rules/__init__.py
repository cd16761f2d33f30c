"""The registry of rule types. A new rule type is one module here, one entry in RULE_TYPES,
one test file; the rubric model, `rubric schema` and the language reference pick it up."""

from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field

from .all_or_nothing import AllOrNothing
from .bands import Bands
from .base import Rule, RuleContext, Scored
from .levels import Levels
from .per_incident import PerIncident
from .per_shortfall import PerShortfall
from .rank import Rank
from .ratio import Ratio
from .votes import Votes

RULE_TYPES: tuple[type[Rule], ...] = (
    AllOrNothing, PerShortfall, Bands, Levels, PerIncident, Ratio, Rank, Votes,
)

AnyRule = Annotated[
    Union[AllOrNothing, PerShortfall, Bands, Levels, PerIncident, Ratio, Rank, Votes],  # noqa: UP007
    Field(discriminator="type"),
]

__all__ = ["RULE_TYPES", "AnyRule", "Rule", "RuleContext", "Scored"]
