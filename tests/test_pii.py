"""身份证号 checksum (GB 11643), phone validation and the masks every output uses."""

from __future__ import annotations

import pytest

from xfrules.i18n import use_lang
from xfrules.pii import (
    id_check_digit,
    id_number_problem,
    mask_id_number,
    mask_name,
    mask_phone,
    phone_problem,
    scrub,
)

# These tests read the English texts (what --lang en prints); tests/test_problem_language.py
# holds the Chinese ones.
pytestmark = pytest.mark.usefixtures("xfrules_english")

VALID = "11010519491231002X"  # the standard's worked example


def test_valid_id_number() -> None:
    assert id_check_digit(VALID[:17]) == "X"
    assert id_number_problem(VALID) is None
    assert id_number_problem(VALID.lower()) is None


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("110105194912310021", "check digit"),
        ("11010519491331002X", "birth date"),
        ("1101051949123100", "17 digits"),
        ("11010519491231002Y", "17 digits"),
    ],
)
def test_invalid_id_numbers_never_echo_the_number(value: str, reason: str) -> None:
    why = id_number_problem(value)
    assert why is not None and reason in str(why) and value not in str(why)
    with use_lang("zh"):
        assert "身份证号" in str(why) and value not in str(why)


@pytest.mark.parametrize(
    ("value", "ok"), [("13812345678", True), ("0737-1234567", True), ("12345", False)]
)
def test_phone(value: str, ok: bool) -> None:
    assert (phone_problem(value) is None) is ok


def test_masks_hide_the_middle() -> None:
    assert mask_id_number(VALID) == "110105********002X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_id_number("1234") == "****"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x430921198001011236 (got 13812345678)", "x430921********1236 (got 138****5678)"),
        (
            "u1,9.50,43092119800101123X,张三13812345678",
            "u1,9.50,430921********123X,张三138****5678",
        ),
        ("old ID 430921800101123", "old ID 430921*****1123"),
        ("+86 138-1234-5678 or 0731-84123456", "+86*********5678 or 073******3456"),
        ("４３０９２１１９８００１０１１２３６", "４３０９２１********１２３６"),  # fullwidth
        # Not personal: dates, amounts, codes, and digit runs of other lengths.
        ("2020-04-26 1,234.50 520621 20200426 12345678901234567890", None),
    ],
)
def test_scrub_masks_numbers_inside_text(text: str, expected: str | None) -> None:
    assert scrub(text) == (text if expected is None else expected)
    assert scrub(scrub(text)) == scrub(text)  # a mask never matches again


def test_the_monitor_log_masks_as_every_other_output() -> None:
    # One scrubber: the watch log's free-text fields see the same forms as error messages.
    from xfrules.monitor.events import masked

    event = {
        "type": "transaction",
        "note": "联系 +86 138-1234-5678，旧证 430921800101123",
        "tags": ["电话 13812345678"],
        "buyer": "u1",
    }
    out = masked(event)
    text = str(out)
    for raw in ("138-1234-5678", "13812345678", "430921800101123"):
        assert raw not in text
    assert out["buyer"] == "u1"  # identifiers are kept, so a restored log replays the same
