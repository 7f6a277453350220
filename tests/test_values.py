from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from xfrules.values import parse_date, parse_decimal, to_halfwidth


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
