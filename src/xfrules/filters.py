"""Which purchases a transaction measure counts, described once.

A :class:`PurchaseFilter` is the description — a window, the region codes purchases must come
from (matched at every level of :data:`xfrules.regions.LEVELS`), categories, channels and
seller kinds. The evaluator and the monitor ask it :meth:`PurchaseFilter.matches` of each
transaction; the DuckDB backend asks it for the same condition as SQL
(:meth:`PurchaseFilter.sql`, :func:`membership_sql`). Neither spells the rules out again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Protocol

from .regions import levels_needed, region_keys

if TYPE_CHECKING:
    from .kinds.base import TransactionMeasure  # the kinds import this module

__all__ = ["Filtered", "PurchaseFilter", "membership_sql", "origin_matches", "sql_literal"]


class Filtered(Protocol):
    """What a filter reads of a purchase: a :class:`~xfrules.Transaction`, or a stand-in for
    the purchases of one profile (:mod:`xfrules.totals`)."""

    @property
    def date(self) -> date: ...
    @property
    def origin_region(self) -> str | None: ...
    @property
    def category(self) -> str | None: ...
    @property
    def channel(self) -> str | None: ...
    @property
    def seller_kind(self) -> str | None: ...


def sql_literal(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def origin_matches(code: str | None, entries: frozenset[str]) -> bool:
    """Whether a purchase from ``code`` comes from a region of the set ``entries``."""
    return code is not None and not region_keys(code).isdisjoint(entries)


def membership_sql(code: str, entries: frozenset[str], probe: str) -> str:
    """SQL that holds exactly when :func:`origin_matches` does, for the text expression
    ``code``; ``probe(expr)`` (a format string with ``{}``) tests one level's entry against
    the set (an IN list, a semi-join on a table of the set's codes…). Never NULL."""
    tests = [probe.format(level.sql(code)) for level in levels_needed(entries)]
    return "(" + " OR ".join(f"coalesce({t}, FALSE)" for t in tests) + ")" if tests else "FALSE"


@dataclass(frozen=True)
class PurchaseFilter:
    """The purchases a measure counts over a window (``origins`` None: from anywhere)."""

    start: date
    end: date
    origins: frozenset[str] | None
    categories: frozenset[str]
    channels: frozenset[str]
    seller_kinds: frozenset[str]

    @classmethod
    def of(
        cls,
        measure: TransactionMeasure,
        jurisdiction: str,
        start: date,
        end: date,
        region_sets: Mapping[tuple[str, str], frozenset[str]],
    ) -> PurchaseFilter:
        origins = None
        names = measure.origin_sets
        if len(names) == 1:
            # The set itself, not a copy: a county list of thousands of codes, copied for
            # each finding a live monitor re-evaluates, cost 27 µs a filter.
            origins = region_sets.get((jurisdiction, names[0])) or frozenset()
        elif names:
            origins = frozenset().union(
                *(region_sets.get((jurisdiction, n), frozenset()) for n in names)
            )
        return cls(
            start,
            end,
            origins,
            frozenset(measure.categories),
            frozenset(measure.channels),
            frozenset(measure.seller_kinds),
        )

    def matches(self, tx: Filtered) -> bool:
        """Whether ``tx`` counts (its date in the window and every condition met)."""
        return (
            self.start <= tx.date <= self.end
            and (self.origins is None or origin_matches(tx.origin_region, self.origins))
            and (not self.categories or tx.category in self.categories)
            and (not self.channels or tx.channel in self.channels)
            and (not self.seller_kinds or tx.seller_kind in self.seller_kinds)
        )

    def texts(self) -> list[tuple[str, frozenset[str]]]:
        """The (column, values) conditions on text columns."""
        return [
            (column, values)
            for column, values in (
                ("category", self.categories),
                ("channel", self.channels),
                ("seller_kind", self.seller_kinds),
            )
            if values
        ]

    def sql(
        self,
        sets: Mapping[frozenset[str], str],
        texts: Mapping[tuple[str, frozenset[str]], str] | None = None,
    ) -> str:
        """:meth:`matches` as SQL on columns ``day``, ``category``, ``channel``,
        ``seller_kind``; ``sets`` names the column holding each region set's membership
        (:func:`membership_sql`), ``texts`` (if given) the column holding each text condition."""
        parts = [f"day >= DATE '{self.start.isoformat()}'", f"day <= DATE '{self.end.isoformat()}'"]
        if self.origins is not None:
            parts.append(sets[self.origins] if self.origins else "FALSE")
        for column, values in self.texts():
            if texts is not None:
                parts.append(texts[(column, values)])
            else:
                listed = ", ".join(sql_literal(v) for v in sorted(values))
                parts.append(f"{column} IN ({listed})")
        return " AND ".join(parts)
