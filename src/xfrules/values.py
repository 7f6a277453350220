"""Read numbers and dates the way Chinese policy documents and ledgers write them.

Money and ratios are always :class:`~decimal.Decimal`; nothing here goes through float.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = ["CENT", "money", "parse_date", "parse_decimal", "to_halfwidth"]

CENT = Decimal("0.01")

_FULLWIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {"\u3000": " "}
_FULLWIDTH_TABLE = str.maketrans(_FULLWIDTH)

_MULTIPLIERS = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "千": Decimal(1_000)}
_NUMBER = re.compile(
    r"^([+-]?[0-9]+(?:\.[0-9]+)?)\s*(亿|万|千)?\s*(元|人次|人|个|家|亩|台|次|户)?\s*(%)?$"
)


def to_halfwidth(text: str) -> str:
    """Fullwidth digits, letters and punctuation (２万亩, １００个) to their ASCII forms."""
    return text.translate(_FULLWIDTH_TABLE)


def parse_decimal(value: object) -> Decimal:
    """Parse ``1,234.50``, ``1.2万元``, ``１００个``, ``25%`` or a number into a Decimal.

    Raises ValueError with a readable message; floats are rejected because they
    cannot carry exact money.
    """
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        raise ValueError(f"binary float {value!r} cannot hold exact money; write it as a string")
    elif isinstance(value, str):
        text = to_halfwidth(value).strip().replace(",", "").replace(" ", "")
        match = _NUMBER.match(text)
        if not match:
            raise ValueError(f"not a number: {value!r}")
        number, multiplier, _unit, percent = match.groups()
        try:
            result = Decimal(number)
        except InvalidOperation as exc:  # pragma: no cover - regex already guards
            raise ValueError(f"not a number: {value!r}") from exc
        if multiplier:
            result *= _MULTIPLIERS[multiplier]
        if percent:
            result /= 100
    else:
        raise ValueError(f"not a number: {value!r}")
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


def money(value: Decimal) -> Decimal:
    """Round to the cent, half up, for display."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


_DATE_PATTERNS = (
    re.compile(r"^([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日$"),
    re.compile(r"^([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(?:[ T].*)?$"),
    re.compile(r"^([0-9]{4})([0-9]{2})([0-9]{2})$"),
)


def parse_date(value: object) -> date:
    """Parse ``2020年4月26日``, ``2020/4/26``, ``2020-04-26`` (time of day ignored)."""
    if isinstance(value, date):
        return value if type(value) is date else date(value.year, value.month, value.day)
    if not isinstance(value, str):
        raise ValueError(f"not a date: {value!r}")
    text = to_halfwidth(value).strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return date(year, month, day)
            except ValueError as exc:
                raise ValueError(f"impossible date {value!r}: {exc}") from exc
    raise ValueError(f"not a date: {value!r}")
