"""Obligation kinds: one class each, owning what it reads and how a unit is judged.

A kind is a subclass of :class:`~xfrules.kinds.base.ObligationBase` (or of
:class:`~xfrules.kinds.thresholded.Thresholded` when a threshold decides) with a ``kind``
literal field, registered with :func:`register_kind`. Everything else derives from the class:
validation (the discriminated union :data:`xfrules.obligations.obligation_adapter` is built
from the registered kinds), the monitor's routing and the facts checks (``reads()``), the
judgement (``assess()`` / ``judge()``). Adding a kind touches one module and its docs.
"""

from __future__ import annotations

from typing import Any, TypeVar

from .amounts import AmountTarget, CountTarget
from .base import ObligationBase, Reads
from .coverage import Coverage
from .growth import GrowthRate
from .qualitative import Qualitative
from .rate import Rate
from .reporting import Reporting
from .shares import BaselineShare, PerCapita
from .thresholded import Decomposable, Thresholded

__all__ = [
    "KINDS",
    "AmountTarget",
    "BaselineShare",
    "CountTarget",
    "Coverage",
    "Decomposable",
    "GrowthRate",
    "ObligationBase",
    "PerCapita",
    "Qualitative",
    "Rate",
    "Reads",
    "Reporting",
    "Thresholded",
    "builtin_kinds_only",
    "kinds_version",
    "register_kind",
    "unregister_kind",
]

K = TypeVar("K", bound=type[ObligationBase])

# kind name -> class, in registration order (the built-in kinds first).
KINDS: dict[str, type[ObligationBase]] = {}
_version = [0]


def kind_name(cls: type[ObligationBase]) -> str:
    """The ``kind`` literal a class declares."""
    field: Any = cls.model_fields.get("kind")
    if field is None or not isinstance(field.default, str):
        raise TypeError(f"{cls.__name__} declares no `kind: Literal[...] = ...` field")
    return str(field.default)


def register_kind(cls: K) -> K:
    """Register an obligation kind (usable as a class decorator)."""
    name = kind_name(cls)
    if name in KINDS and KINDS[name] is not cls:
        raise ValueError(f"an obligation kind {name!r} is already registered")
    KINDS[name] = cls
    _version[0] += 1
    return cls


def unregister_kind(cls: type[ObligationBase]) -> None:
    """Remove a kind registered with :func:`register_kind` (tests of a toy kind)."""
    KINDS.pop(kind_name(cls), None)
    _version[0] += 1


def kinds_version() -> int:
    """Changes whenever the registered kinds do (for caches of the union)."""
    return _version[0]


def builtin_kinds_only() -> bool:
    """Whether the registered kinds are still the built-in ones, as this module registered
    them (cached plug-in summaries were validated by those alone)."""
    return KINDS == _BUILTIN


for _kind in (
    AmountTarget,
    CountTarget,
    BaselineShare,
    PerCapita,
    GrowthRate,
    Rate,
    Reporting,
    Coverage,
    Qualitative,
):
    register_kind(_kind)
_BUILTIN = dict(KINDS)
