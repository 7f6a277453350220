from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from xfrules.values import (
    parse_date,
    parse_decimal,
    parse_money,
    parse_quantity,
    to_halfwidth,
)

# These tests read the English texts (what --lang en prints); tests/test_problem_language.py
# holds the Chinese ones.
pytestmark = pytest.mark.usefixtures("xfrules_english")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.50", "1234.50"),
        ("1.2万元", "12000"),
        ("11亿元", "1100000000"),
        ("２万亩", "20000"),
        ("１００个", "100"),
        ("25%", "0.25"),
        ("1000人次", "1000"),
        (" 0.01 ", "0.01"),
        (7, "7"),
    ],
)
def test_parse_decimal(text: object, expected: str) -> None:
    assert parse_decimal(text) == Decimal(expected)


@pytest.mark.parametrize("bad", ["", "abc", "1.2.3", "NaN", "Infinity", 0.1, True, None])
def test_parse_decimal_rejects(bad: object) -> None:
    with pytest.raises(ValueError):
        parse_decimal(bad)


READERS = [parse_decimal, parse_money, parse_quantity]


@pytest.mark.parametrize("read", READERS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234", "1234"),
        ("12,345,678.50", "12345678.50"),
        ("1，234", "1234"),  # fullwidth comma
        ("１，２３４．５", "1234.5"),
        ("999,999", "999999"),
        (" 1,000 ", "1000"),
    ],
)
def test_commas_separate_thousands(
    read: Callable[[object], Decimal], text: str, expected: str
) -> None:
    assert str(read(text)) == expected  # the exponent too: 12345678.50 keeps its two places


# A decimal comma (12,5; 0,125), groups of other sizes and spaces inside the digits were read
# as if the separators were not there (12,5 → 125, ten times too much): no number now.
BAD_GROUPINGS = ["1,2,3", "12,5", "1,23", "0,125", "1234,567", "1,234,56", ",123", "1,", "1,,234"]
BAD_SPACING = ["1 2 3", "1 234", "12 345.50", "1. 5", "- 5"]


@pytest.mark.parametrize("read", READERS)
@pytest.mark.parametrize("text", BAD_GROUPINGS + BAD_SPACING)
def test_other_commas_and_inner_spaces_are_no_number(
    read: Callable[[object], Decimal], text: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(text))):
        read(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.50", "1234.50"),
        ("1.2万元", "12000"),
        ("3 万 元", "30000"),
        ("11亿", "1100000000"),
        ("5千元", "5000"),
        ("300元", "300"),
        ("１００", "100"),
        (" 0.01 ", "0.01"),
        (7, "7"),
    ],
)
def test_parse_money(text: object, expected: str) -> None:
    assert parse_money(text) == Decimal(expected)


# 25% read as 0.25 元 and 100人 as 100 元 were accepted as amounts without a word.
@pytest.mark.parametrize(
    "bad", ["25%", "100人", "5个", "3亩", "2人次", "10万人", "3 kg", "500斤", "元", "", 0.5, True]
)
def test_parse_money_refuses_percentages_and_other_units(bad: object) -> None:
    with pytest.raises(ValueError, match=r"amount of money|binary float"):
        parse_money(bad)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("500斤", "500"),
        ("2.5公斤", "2.5"),
        ("20只", "20"),
        ("3 kg", "3"),
        ("3kg", "3"),
        ("５千克", "5"),  # 千克 is the kilogram, not 千 × 克
        ("２箱", "2"),
        ("1,200 个", "1200"),
        ("7ＫＧ", "7"),
        ("12", "12"),
    ],
)
def test_parse_quantity_drops_the_unit(text: str, expected: str) -> None:
    assert parse_quantity(text) == Decimal(expected)


# 2万斤 read as 2 or 5k as 5 would be ten thousand or a thousand times too small; a ratio and a
# unit followed by more than a unit (斤/箱) are no quantity either.
@pytest.mark.parametrize(
    "bad", ["25%", "2万斤", "1亿只", "3百只", "十斤", "5k", "1.5w", "20只/箱", "kg", "1.2万元", ""]
)
def test_parse_quantity_refuses(bad: str) -> None:
    with pytest.raises(ValueError, match="not a quantity"):
        parse_quantity(bad)


@pytest.mark.parametrize(
    "text",
    ["2020年4月26日", "2020/4/26", "2020-04-26", "2020.04.26", "20200426", "２０２０年４月２６日"],
)
def test_parse_date(text: str) -> None:
    assert parse_date(text) == date(2020, 4, 26)


@pytest.mark.parametrize("bad", ["2020-02-30", "2020年13月1日", "April", ""])
def test_parse_date_rejects(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_date(bad)


def test_halfwidth() -> None:
    assert to_halfwidth("（一）１２３ＡＢ") == "(一)123AB"


# Arabic-Indic, Devanagari and Bengali digits: Python's \d accepts them, DuckDB's SQL (the
# batch backend) does not. Both readers now take ASCII digits only (fullwidth ones are
# translated first), so a ledger cell reads the same in either.
OTHER_DIGITS = ["١٢٣", "१२३", "১২৩"]


@pytest.mark.parametrize("digits", OTHER_DIGITS)
def test_numbers_take_ascii_and_fullwidth_digits_only(digits: str) -> None:
    with pytest.raises(ValueError, match="not a number"):
        parse_decimal(digits)
    assert parse_decimal("１２３") == Decimal(123)


@pytest.mark.parametrize("digits", OTHER_DIGITS)
def test_dates_take_ascii_and_fullwidth_digits_only(digits: str) -> None:
    with pytest.raises(ValueError, match="not a date"):
        parse_date(f"2020-0{digits[0]}-01")
    assert parse_date("２０２０年４月２６日") == date(2020, 4, 26)


@pytest.mark.parametrize("digits", OTHER_DIGITS)
def test_codes_ids_and_phones_take_ascii_digits_only(digits: str) -> None:
    from xfrules.pii import id_number_problem, phone_problem
    from xfrules.regions import region_code_problem

    assert region_code_problem("52" + digits + "1") is not None
    assert region_code_problem("522601") is None
    valid_id = "11010519491231002X"
    assert id_number_problem(valid_id) is None
    assert id_number_problem(digits[0] + valid_id[1:]) is not None
    assert phone_problem("1380013" + digits + "4") is not None
    assert phone_problem("13800138000") is None
