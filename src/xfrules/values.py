"""Read numbers and dates the way Chinese policy documents and ledgers write them.

Money and ratios are always :class:`~decimal.Decimal`; nothing here goes through float.
"""

from __future__ import annotations

import functools
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .i18n import MESSAGES, Msg

__all__ = [
    "CENT",
    "DATE_PATTERNS",
    "LIMIT",
    "MILLI",
    "MONEY_PATTERN",
    "QUANTITY_PATTERN",
    "amount_problem",
    "money",
    "parse_date",
    "parse_decimal",
    "parse_money",
    "parse_quantity",
    "to_halfwidth",
]

CENT = Decimal("0.01")
MILLI = Decimal("0.001")
# No figure a ledger or a facts file holds reaches 10^15 (a thousand trillion 元); one that
# does is a slip (digits pasted twice, an ID number in the amount column), and past 28
# digits Decimal arithmetic would round it without a word.
LIMIT = Decimal(10) ** 15

_FULLWIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {"\u3000": " "}
_FULLWIDTH_TABLE = str.maketrans(_FULLWIDTH)

_MULTIPLIERS = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "千": Decimal(1_000)}
# A comma (fullwidth ， too, once halfwidth) only separates thousands: 1–3 digits, not starting
# with 0, then groups of exactly three (1,234 or 12,345,678.50). Reading 12,5 or 0,125 (decimal
# commas) as 125, or 1,2,3 as 123, would be a wrong value with no warning, so any other comma
# makes the text no number.
# Whitespace (\s, the str.isspace set) may stand between number, multiplier and unit only:
# 1 234 is no number. The patterns are plain RE2 too: the batch backend runs them in DuckDB.
_NUM = r"(?P<sg>[+-]?)(?P<ip>[1-9][0-9]{0,2}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<fp>[0-9]+))?"
# Documents and thresholds: 25%, 1000人次, ２万亩.
_NUMBER = re.compile(
    rf"^{_NUM}\s*(?P<mu>亿|万|千)?\s*(?P<un>元|人次|人|个|家|亩|台|次|户)?\s*(?P<pc>%)?$"
)
# Money: 万/亿/千 and 元 only. 25% is no sum of money and 100人 no amount. A currency sign or
# code may come first, as spreadsheets and bank exports write it: ¥100 (U+00A5), ￥100
# (U+FFE5, which halfwidth conversion leaves alone), RMB 100, CNY 100 (any case).
_CURRENCY = r"(?:[¥￥]|(?i:RMB|CNY))?\s*"
MONEY_PATTERN = rf"^{_CURRENCY}{_NUM}\s*(?P<mu>亿|万|千)?\s*(?P<un>元)?$"
# Quantity: a number and the unit it is counted in (500斤, 2.5公斤, 20只, 3 kg), which is not
# converted. A unit may not start with a numeral (十百千万亿, but 千克 is kilograms) nor be a
# lone k or w: 2万斤 or 5k read as 2 or 5 would be 10^4 or 10^3 times too small.
_CJK = "\u4e00-\u9fff"  # CJK unified ideographs
_NOT_NUMERAL = "".join(  # the same, without 十百千万亿, as ranges (RE2 has no class subtraction)
    f"{chr(a)}-{chr(b)}"
    for a, b in zip(
        [0x4E00, *(ord(c) + 1 for c in "万亿十千百")],
        [*(ord(c) - 1 for c in "万亿十千百"), 0x9FFF],
        strict=True,
    )
)
_UNIT = rf"[A-Za-z]{{2,}}|[A-JL-VX-Za-jl-vx-z]|(?:千克|[{_NOT_NUMERAL}])[{_CJK}]*"
QUANTITY_PATTERN = rf"^{_NUM}\s*(?P<un>{_UNIT})?$"
_MONEY = re.compile(MONEY_PATTERN)
_QUANTITY = re.compile(QUANTITY_PATTERN)


# A plain number every reader (money, quantity, figure) reads as itself.
_PLAIN = re.compile(r"[0-9]{1,15}(?:\.[0-9]{1,8})?\Z")


def to_halfwidth(text: str) -> str:
    """Fullwidth digits, letters and punctuation (２万亩, １００个) to their ASCII forms."""
    return text.translate(_FULLWIDTH_TABLE)


def _read(value: object, pattern: re.Pattern[str], refusal: str) -> Decimal:
    """``value`` as a Decimal; text by ``pattern`` (groups sg, ip, fp and maybe mu, pc)."""
    if type(value) is str and _PLAIN.match(value):  # 1234.50: most cells, read as written
        result = Decimal(value)
        if result >= LIMIT:
            raise ValueError(Msg("value.implausible", value=value))
        return result
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool):
        raise ValueError(Msg(refusal, value=value))
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        raise ValueError(Msg("value.float", value=value))
    elif isinstance(value, str):
        match = pattern.match(to_halfwidth(value).strip())
        if not match:
            raise ValueError(Msg(refusal, value=value))
        parts = match.groupdict()
        fraction = "." + parts["fp"] if parts["fp"] else ""
        result = Decimal(parts["sg"] + parts["ip"].replace(",", "") + fraction)
        if parts.get("mu"):
            result *= _MULTIPLIERS[parts["mu"]]
        if parts.get("pc"):
            result /= 100
    else:
        raise ValueError(Msg(refusal, value=value))
    if not result.is_finite():
        raise ValueError(Msg("value.not_finite", value=value))
    if abs(result) >= LIMIT:
        raise ValueError(Msg("value.implausible", value=value))
    return result


def amount_problem(number: Decimal, what: str, step: Decimal) -> Msg | None:
    """Why ``number`` (already scaled to 元) cannot be the ``what`` of a purchase, or None:
    negative, 10^15 or more, or finer than ``step`` (0.01 元 for money, 0.001 for a
    quantity). Facts files, monitor events and every ledger reader apply this same rule."""
    if number < 0:
        return Msg("value.negative", what=field_name(what))
    if number >= LIMIT:
        return Msg("value.too_large", what=field_name(what))
    if number != number.quantize(step):
        return Msg("value.too_fine", what=field_name(what), step=step)
    return None


def field_name(what: str) -> Msg | str:
    """``amount``, ``quantity``, ``date``, ``buyer`` as the user's language names them."""
    key = f"field.{what}"
    return Msg(key) if key in MESSAGES else what


def parse_decimal(value: object) -> Decimal:
    """Parse ``1,234.50``, ``1.2万元``, ``１００个``, ``25%`` or a number into a Decimal.

    The general reader, for documents and thresholds. Raises ValueError with a readable
    message; floats are rejected because they cannot carry exact money.
    """
    return _read(value, _NUMBER, "value.not_number")


def parse_money(value: object) -> Decimal:
    """An amount of money: ``1,234.50``, ``1.2万元``, ``300元``, ``¥100``, ``￥100``, ``RMB 100``
    — no ``%``, no other unit."""
    return _read(value, _MONEY, "value.not_money")


def parse_quantity(value: object) -> Decimal:
    """A quantity: ``500斤``, ``2.5公斤``, ``3 kg``, ``12`` — the unit is dropped, not converted."""
    return _read(value, _QUANTITY, "value.not_quantity")


def money(value: Decimal) -> Decimal:
    """Round to the cent, half up, for display."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# A time of day after the date is allowed (spreadsheets export one) and ignored, but it must
# be a time: 2020-05-01T25:00:00 is no date, not 1 May. Plain RE2 too (the batch backend).
_TIME = (
    r"(?:[ T](?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{1,9})?)?"
    r"(?:Z|[+-](?:[01][0-9]|2[0-3]):?[0-5][0-9])?)?"
)
DATE_PATTERNS = (
    r"^([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日$",
    rf"^([0-9]{{4}})[-/.]([0-9]{{1,2}})[-/.]([0-9]{{1,2}}){_TIME}$",
    r"^([0-9]{4})([0-9]{2})([0-9]{2})$",
)
_DATE_PATTERNS = tuple(re.compile(p) for p in DATE_PATTERNS)


def parse_date(value: object) -> date:
    """Parse ``2020年4月26日``, ``2020/4/26``, ``2020-04-26`` (a valid time of day after it,
    ``2020-04-26 13:45:00``, is ignored)."""
    if isinstance(value, date):
        return value if type(value) is date else date(value.year, value.month, value.day)
    if not isinstance(value, str):
        raise ValueError(Msg("value.not_date", value=value))
    return _parse_date_text(value)


@functools.lru_cache(maxsize=8192)
def _parse_date_text(value: str) -> date:
    # Ledgers and facts files repeat a few hundred dates a year: each is read once.
    text = to_halfwidth(value).strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return date(year, month, day)
            except ValueError as exc:
                why = (
                    Msg("value.bad_year", year=year)
                    if not 1 <= year <= 9999
                    else Msg("value.bad_month")
                    if not 1 <= month <= 12
                    else Msg("value.bad_day")
                )
                raise ValueError(Msg("value.impossible_date", value=value, why=why)) from exc
    raise ValueError(Msg("value.not_date", value=value))
