"""GB/T 2260 region codes: the checks every code must pass, and the levels a code falls under.

A region set may list villages or towns (430921105201), counties (520621), prefectures
(520600) or provinces (520000); a purchase from a village counts for every level above it.
:data:`LEVELS` describes those levels once: the evaluator reads a code's levels in Python
(:func:`region_keys`) and the DuckDB backend in SQL (:func:`membership_sql`), both from it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .i18n import Msg

__all__ = [
    "LEVELS",
    "PROVINCE_PREFIXES",
    "RegionLevel",
    "levels_needed",
    "most_specific_entry",
    "region_code_problem",
    "region_keys",
]


@dataclass(frozen=True)
class RegionLevel:
    """One level a code falls under: its first ``digits`` digits padded with zeros to six
    (``digits`` None: the code itself)."""

    name: str
    digits: int | None

    def of(self, code: str) -> str:
        """The entry of this level that ``code`` falls under (its county, prefecture…)."""
        if self.digits is None:
            return code
        return code[: self.digits] + "0" * (6 - self.digits)

    def sql(self, code: str) -> str:
        """:meth:`of` as a DuckDB expression on the text expression ``code``."""
        if self.digits is None:
            return code
        if self.digits == 6:
            # A code of six characters or fewer is its own county: NULL then, so that a
            # semi-join probes nothing (cheaper than taking left() of every row).
            return f"(CASE WHEN strlen({code}) > 6 THEN left({code}, 6) END)"
        return f"(left({code}, {self.digits}) || '{'0' * (6 - self.digits)}')"

    def lists(self, entry: str) -> bool:
        """Whether a set entry is of the shape this level produces (so the level is needed)."""
        if self.digits is None or self.digits == 6:
            return True
        return len(entry) == 6 and entry.endswith("0" * (6 - self.digits))


# Most specific first: the code, its county, prefecture and province.
LEVELS = (
    RegionLevel("code", None),
    RegionLevel("county", 6),
    RegionLevel("prefecture", 4),
    RegionLevel("province", 2),
)


@functools.lru_cache(maxsize=65536)
def region_keys(code: str) -> frozenset[str]:
    """The set entries a region code falls under: itself, its county, prefecture, province."""
    return frozenset(level.of(code) for level in LEVELS)


def most_specific_entry(code: str, entries: frozenset[str]) -> str | None:
    """The most specific entry of a set that ``code`` falls under, or None."""
    return next((key for level in LEVELS if (key := level.of(code)) in entries), None)


def levels_needed(entries: Iterable[str]) -> tuple[RegionLevel, ...]:
    """The levels whose match can succeed for a set of these entries (a set of counties
    needs no prefecture or province match)."""
    listed = list(entries)
    return tuple(level for level in LEVELS if any(level.lists(e) for e in listed))


# Province-level prefixes of GB/T 2260 (31 mainland provinces + 71 Taiwan, 81 HK, 82 Macao).
PROVINCE_PREFIXES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    ]
)
_CODE = re.compile(r"^[0-9]{6}([0-9]{3}([0-9]{3})?)?$")


@functools.lru_cache(maxsize=65536)
def region_code_problem(code: str) -> Msg | None:
    """Why ``code`` is not a plausible region code, or None when it is."""
    if not _CODE.match(code):
        return Msg("region.bad_code", code=code)
    if code[:2] not in PROVINCE_PREFIXES:
        return Msg("region.unknown", code=code, prefix=code[:2])
    return None
