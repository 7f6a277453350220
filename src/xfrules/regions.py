"""GB/T 2260 region codes: the checks every code must pass."""

from __future__ import annotations

import re

__all__ = ["PROVINCE_PREFIXES", "region_code_problem"]

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


def region_code_problem(code: str) -> str | None:
    """Why ``code`` is not a plausible region code, or None when it is."""
    if not _CODE.match(code):
        return f"region code {code!r} must be 6 digits (GB/T 2260), or 9/12 for towns and villages"
    if code[:2] not in PROVINCE_PREFIXES:
        return f"unknown region code {code!r}: no province has the prefix {code[:2]}"
    return None
