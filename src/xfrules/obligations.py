"""Obligation types: a pydantic discriminated union on ``kind``.

Every obligation carries its source (document number, clause, verbatim quote), its
modality, the unit kinds it binds, its lead and responsible departments, its validity
and the period it measures. Thresholds are dated data, so a changed policy year is a
data change, not a code change. Each kind is one class in :mod:`xfrules.kinds`; this module
gathers them into the union that validates plug-in data.
"""

from __future__ import annotations

import functools
import operator
from typing import Annotated, Any

from pydantic import Field, TypeAdapter

from .kinds import (
    KINDS,
    AmountTarget,
    BaselineShare,
    CountTarget,
    Coverage,
    Decomposable,
    GrowthRate,
    PerCapita,
    Qualitative,
    Rate,
    Reporting,
    Thresholded,
    kinds_version,
)
from .kinds.base import (
    DEFAULT_TOLERANCE,
    Allocation,
    BaselineRef,
    Comparator,
    Measure,
    Modality,
    ObligationBase,
    ObservationMeasure,
    Period,
    Reads,
    Source,
    Threshold,
    TransactionMeasure,
    Waiver,
)

__all__ = [
    "DEFAULT_TOLERANCE",
    "Allocation",
    "AmountTarget",
    "BaselineRef",
    "BaselineShare",
    "Comparator",
    "CountTarget",
    "Coverage",
    "Decomposable",
    "GrowthRate",
    "Measure",
    "Modality",
    "Obligation",
    "ObligationBase",
    "ObservationMeasure",
    "PerCapita",
    "Period",
    "Qualitative",
    "Rate",
    "Reads",
    "Reporting",
    "Source",
    "Threshold",
    "Thresholded",
    "TransactionMeasure",
    "Waiver",
    "obligation_adapter",
    "region_sets_read",
]

# The built-in kinds, for static typing. At run time an obligation may be of any kind
# registered with xfrules.kinds.register_kind; obligation_adapter validates them all.
Obligation = Annotated[
    AmountTarget
    | CountTarget
    | BaselineShare
    | PerCapita
    | GrowthRate
    | Rate
    | Reporting
    | Coverage
    | Qualitative,
    Field(discriminator="kind"),
]


class _ObligationAdapter:
    """A TypeAdapter of the union of every registered kind, rebuilt when a kind is added."""

    def __init__(self) -> None:
        self._built: tuple[int, TypeAdapter[Any]] | None = None

    def _adapter(self) -> TypeAdapter[Any]:
        version = kinds_version()
        if self._built is None or self._built[0] != version:
            union: Any = functools.reduce(operator.or_, KINDS.values())
            self._built = (version, TypeAdapter(Annotated[union, Field(discriminator="kind")]))
        return self._built[1]

    def validate_python(self, data: Any, **kwargs: Any) -> Obligation:
        result: Obligation = self._adapter().validate_python(data, **kwargs)
        return result

    def json_schema(self, **kwargs: Any) -> dict[str, Any]:
        schema: dict[str, Any] = self._adapter().json_schema(**kwargs)
        return schema


obligation_adapter = _ObligationAdapter()


def region_sets_read(ob: ObligationBase) -> tuple[str, ...]:
    """The names of the region sets an obligation reads: its purchases' origin sets and a
    coverage's target set."""
    return ob.region_sets_read()
