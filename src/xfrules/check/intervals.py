"""Sets of values a threshold admits, and the values a measure can take at all."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..obligations import CountTarget, Coverage, GrowthRate, Obligation, Rate, Threshold

__all__ = ["Interval", "domain_of", "interval_of"]


@dataclass(frozen=True)
class Interval:
    """A set of reals ``lo .. hi``; ``None`` is unbounded; ``*_closed`` says whether the bound is in it."""

    lo: Decimal | None = None
    hi: Decimal | None = None
    lo_closed: bool = True
    hi_closed: bool = True
    integral: bool = False  # only whole numbers can be measured (counts)

    def intersect(self, other: Interval) -> Interval:
        lo, lo_closed = self.lo, self.lo_closed
        if other.lo is not None and (lo is None or other.lo > lo):
            lo, lo_closed = other.lo, other.lo_closed
        elif other.lo is not None and other.lo == lo:
            lo_closed = lo_closed and other.lo_closed
        hi, hi_closed = self.hi, self.hi_closed
        if other.hi is not None and (hi is None or other.hi < hi):
            hi, hi_closed = other.hi, other.hi_closed
        elif other.hi is not None and other.hi == hi:
            hi_closed = hi_closed and other.hi_closed
        return Interval(lo, hi, lo_closed, hi_closed, self.integral or other.integral)

    @property
    def empty(self) -> bool:
        if self.integral:
            lo = self.lo
            hi = self.hi
            if lo is not None:
                first = lo.to_integral_value(rounding="ROUND_CEILING")
                if first == lo and not self.lo_closed:
                    first += 1
                lo = first
            if hi is not None:
                last = hi.to_integral_value(rounding="ROUND_FLOOR")
                if last == hi and not self.hi_closed:
                    last -= 1
                hi = last
            return lo is not None and hi is not None and lo > hi
        if self.lo is None or self.hi is None:
            return False
        if self.lo < self.hi:
            return False
        return not (self.lo == self.hi and self.lo_closed and self.hi_closed)

    def __str__(self) -> str:
        lo = "-∞" if self.lo is None else f"{self.lo.normalize():f}"
        hi = "+∞" if self.hi is None else f"{self.hi.normalize():f}"
        return f"{'[' if self.lo_closed and self.lo is not None else '('}{lo}, {hi}{']' if self.hi_closed and self.hi is not None else ')'}"


def interval_of(threshold: Threshold, value: Decimal | None = None) -> Interval:
    """The measured values that satisfy ``threshold`` (with ``value`` replacing its value)."""
    v = threshold.value if value is None else value
    c = threshold.comparator
    if c == ">=":
        return Interval(lo=v)
    if c == ">":
        return Interval(lo=v, lo_closed=False)
    if c == "<=":
        return Interval(hi=v)
    if c == "<":
        return Interval(hi=v, hi_closed=False)
    return Interval(lo=v, hi=threshold.upper)


_COUNT_AGGREGATES = ("count", "distinct_origins", "distinct_subjects")


def domain_of(ob: Obligation) -> Interval:
    """Every value the obligation's threshold can be compared with, whatever the facts.

    Purchases and observed quantities are never negative; a rate (合格率, numerator
    within denominator) lies in 0..1; growth is at least −100%; counts are whole.
    """
    if isinstance(ob, Rate):
        return Interval(Decimal(0), Decimal(1))
    if isinstance(ob, GrowthRate):
        return Interval(Decimal(-1))
    measure = getattr(ob, "measure", None)
    integral = isinstance(ob, CountTarget | Coverage) and (
        measure is not None and measure.aggregate in _COUNT_AGGREGATES
    )
    return Interval(Decimal(0), integral=integral)
