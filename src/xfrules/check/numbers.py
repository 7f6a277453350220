"""Numbers as Chinese policy texts write them: 10%, 11亿, ２万, 1.2万元, 百分之五, 五十, 百."""

from __future__ import annotations

import re
from decimal import Decimal

from ..values import to_halfwidth

__all__ = ["fmt", "numbers_in"]

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
_MULTIPLIERS = {"亿": Decimal(100_000_000), "万": Decimal(10_000), "千": Decimal(1000)}
_ARABIC = re.compile(r"(\d+(?:\.\d+)?)\s*(亿|万|千)?\s*(%|％)?")
_CHINESE = re.compile(r"(百分之)?([零〇一二两三四五六七八九十百千万亿]+)")


def chinese_number(text: str) -> int | None:
    """The value of a Chinese numeral (五十, 一百二十, 两万); None if it is not one."""
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        elif ch in _CN_BIG:
            section += digit or 0
            total += (section or 1) * _CN_BIG[ch]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def arabic_value(number: str, multiplier: str) -> Decimal:
    value = Decimal(number)
    return value * _MULTIPLIERS[multiplier] if multiplier else value


def numbers_in(text: str) -> set[Decimal]:
    """Every number a Chinese policy text states: 10%, 11亿, ２万, 1.2万元, 百分之五, 五十, 百."""
    text = to_halfwidth(text).replace(",", "")
    found: set[Decimal] = set()
    for number, multiplier, percent in _ARABIC.findall(text):
        value = arabic_value(number, multiplier)
        found.add(value)
        if percent:
            found.add(value / 100)
    for percent, numeral in _CHINESE.findall(text):
        n = chinese_number(numeral)
        if n is None:  # pragma: no cover - the regex admits nothing else
            continue
        found.add(Decimal(n) / 100 if percent else Decimal(n))
    return found


def fmt(value: Decimal) -> str:
    """A number as people write it: 0.1, 1100000000 (no exponent, no trailing zeros)."""
    return f"{value.normalize():f}"
