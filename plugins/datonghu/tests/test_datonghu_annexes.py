"""附件1 / 附件2 of the monthly report (六（八）): validation, evidence rules (D11, D12), masking."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from xfrules.annexes import PersonName
from xfrules.entities import Submission, Unit
from xfrules.errors import InputError
from xfrules.evaluator import evaluate
from xfrules.facts import Facts
from xfrules.findings import Status
from xfrules.pii import id_check_digit
from xfrules.registry import load_registry
from xfrules_datonghu.annexes import (
    MONTHLY_REPORT,
    Annex2Row,
    read_submission,
    validate_submission_files,
)

# These tests read the English texts (what --lang en prints); tests/test_problem_language.py
# holds the Chinese ones.
pytestmark = pytest.mark.usefixtures("xfrules_english")

ID_A = "43092119800101123" + id_check_digit("43092119800101123")
ID_B = "43092119751231004" + id_check_digit("43092119751231004")
BAD_ID = ID_A[:17] + ("0" if ID_A[-1] != "0" else "1")
NAMES = ("张三丰", "李四光")
PHONES = ("13812345678", "15900001111")
HOUSEHOLD = "王老五"
PERSONAL = (*NAMES, ID_A, ID_B, BAD_ID, *PHONES, HOUSEHOLD, "三丰", "四光", "老五")

ANNEX1_HEAD = "附件1\n带贫人员名册\n姓名,身份证,联系方式,受益金额\n"
ANNEX2_HEAD = (
    "附件2\n消费扶贫证明材料\n"
    "序号,产品名称,卖方,买方,数量,金额,交易时间,备注,发票或凭证号,贫困户直购,行政村盖章,贫困户签字\n"
)
GOOD_ANNEX1 = ANNEX1_HEAD + (
    f'{NAMES[0]},{ID_A},{PHONES[0]},1200\n{NAMES[1]},{ID_B},{PHONES[1]},"1,500.50"\n'
)
GOOD_ANNEX2 = ANNEX2_HEAD + (
    '1,大通湖大米,大通湖某合作社,区某局工会,500斤,"1,500.00",2020-05-10,节日慰问品,FP-0001,,,\n'
    f"2,大闸蟹,{HOUSEHOLD},区某局工会,20只,1200,2020年5月29日,,,是,是,是\n"
)


def _files(tmp_path: Path, annex1: str, annex2: str, encoding: str = "utf-8") -> tuple[Path, Path]:
    a1, a2 = tmp_path / "附件1.csv", tmp_path / "附件2.csv"
    a1.write_bytes(annex1.encode(encoding))
    a2.write_bytes(annex2.encode(encoding))
    return a1, a2


def _problems(tmp_path: Path, annex1: str = GOOD_ANNEX1, annex2: str = GOOD_ANNEX2) -> list[str]:
    a1, a2 = _files(tmp_path, annex1, annex2)
    problems = validate_submission_files(a1, a2, month="2020-05", delivered=date(2020, 5, 29))
    for p in problems:
        for raw in PERSONAL:
            assert raw not in str(p), f"personal data in {p}"
    return [f"{Path(p.file).name}|{p.record}|{p.field}|{p.message}" for p in problems]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_valid_files_have_no_problems(tmp_path: Path, encoding: str) -> None:
    a1, a2 = _files(tmp_path, GOOD_ANNEX1, GOOD_ANNEX2, encoding)
    assert validate_submission_files(a1, a2, month="2020年5月", delivered="2020-05-29") == []
    sub = read_submission(a1, a2, month=date(2020, 5, 1), delivered="2020/5/29")
    assert [r.row for r in sub.annex1] == [4, 5]  # rows as numbered in the file
    assert sub.annex1[1].benefit_amount == Decimal("1500.50")
    first, second = sub.annex2
    assert (first.quantity, first.quantity_unit, first.amount) == (
        Decimal(500),
        "斤",
        Decimal(1500),
    )
    assert first.voucher_no == "FP-0001" and not first.household_direct
    assert second.household_direct and second.village_stamp and second.household_signature
    assert isinstance(second.seller, PersonName) and second.seller.reveal() == HOUSEHOLD
    assert first.seller == "大通湖某合作社"
    assert sub.attachments == ("annex1", "annex2", "sales_vouchers")


def test_personal_data_masked_in_every_output(tmp_path: Path) -> None:
    a1, a2 = _files(tmp_path, GOOD_ANNEX1, GOOD_ANNEX2)
    sub = read_submission(a1, a2, month="2020-05", delivered="2020-05-29")
    outputs = [repr(sub), str(sub)]
    for row in (*sub.annex1, *sub.annex2):
        outputs += [
            repr(row),
            str(row),
            row.model_dump_json(),
            json.dumps(row.model_dump(mode="json")),
        ]
    for text in outputs:
        for raw in PERSONAL:
            assert raw not in text, f"{raw!r} leaked"
    assert sub.annex1[0].model_dump()["name"] == "张**"
    assert sub.annex1[0].model_dump()["phone"] == "138****5678"
    assert sub.annex2[1].model_dump()["seller"] == "王**"
    assert sub.annex1[0].id_number.reveal() == ID_A


def test_annex1_problems_name_file_row_and_field(tmp_path: Path) -> None:
    annex1 = ANNEX1_HEAD + (
        f"{NAMES[0]},{BAD_ID},{PHONES[0]},100\n"  # row 4: checksum
        f"{NAMES[1]},{ID_B},1381234567,100\n"  # row 5: phone
        f",{ID_A},{PHONES[0]},-0.01\n"  # row 6: no name, negative amount
        f"{NAMES[1]},{ID_A},{PHONES[1]},\n"  # row 7: empty amount, duplicate ID of row 6
    )
    assert _problems(tmp_path, annex1=annex1) == [
        "附件1.csv|row 4|身份证|ID number check digit does not match (GB 11643)",
        "附件1.csv|row 5|联系方式|phone must be an 11-digit mobile number or an area-coded landline",
        "附件1.csv|row 6|受益金额|must not be below 0 (got '-0.01')",
        "附件1.csv|row 6|姓名|required value is empty",
        "附件1.csv|row 7|受益金额|required amount is empty",
        "附件1.csv|row 7|身份证|the same ID number is already listed in row 6",
    ]


def test_annex2_amount_quantity_and_sequence_problems(tmp_path: Path) -> None:
    annex2 = ANNEX2_HEAD + (
        "1,大米,合作社,工会,五百斤,1.2万,2020-05-10,,FP1,,,\n"  # row 4: quantity
        "1,大米,合作社,工会,5,-3,2020-05-10,,FP2,,,\n"  # row 5: dup 序号, negative amount
        "x,,合作社,工会,5,3,2020-05-10,,FP3,,,\n"  # row 6: 序号, product
        "4,大米,合作社,工会,20只,25%,2020-05-10,,FP4,,,\n"  # row 7: a share is no amount
    )
    assert _problems(tmp_path, annex2=annex2) == [
        "附件2.csv|row 4|数量|not a quantity (a number, optionally a unit): '五百斤'",
        "附件2.csv|row 5|序号|序号 already used in row 4",
        "附件2.csv|row 5|金额|must not be below 0 (got '-3')",
        "附件2.csv|row 6|产品名称|required value is empty",
        "附件2.csv|row 6|序号|序号 must be a positive whole number, got 'x'",
        "附件2.csv|row 7|金额|not an amount of money: '25%'",
    ]


def test_d12_transaction_dates_inside_the_month_and_not_after_delivery(tmp_path: Path) -> None:
    annex2 = ANNEX2_HEAD + (
        "1,大米,合作社,工会,5,3,2020-05-01,,FP1,,,\n"  # first day: fine
        "2,大米,合作社,工会,5,3,2020-05-29,,FP2,,,\n"  # delivery day: fine
        "3,大米,合作社,工会,5,3,2020-05-30,,FP3,,,\n"  # after delivery
        "4,大米,合作社,工会,5,3,2020-04-30,,FP4,,,\n"  # previous month
        "5,大米,合作社,工会,5,3,2020-05-32,,FP5,,,\n"  # impossible
    )
    problems = _problems(tmp_path, annex2=annex2)
    assert [p.split("|")[1] for p in problems] == ["row 6", "row 7", "row 8"]
    assert "2020-05-30 is after the delivery date 2020-05-29" in problems[0]
    assert "outside the reported month 2020-05" in problems[1]
    assert "impossible date" in problems[2]


def test_d11_evidence_rules(tmp_path: Path) -> None:
    annex2 = ANNEX2_HEAD + (
        "1,大米,合作社,工会,5,3,2020-05-10,,,,,\n"  # no invoice or voucher
        f"2,鸭蛋,{HOUSEHOLD},工会,5,3,2020-05-10,,,是,,是\n"  # household: no stamp
        f"3,鸭蛋,{HOUSEHOLD},工会,5,3,2020-05-10,,,是,是,\n"  # household: no signature
        f"4,鸭蛋,{HOUSEHOLD},工会,5,3,2020-05-10,,,是,是,是\n"  # household: complete
        "5,鸭蛋,合作社,工会,5,3,2020-05-10,,,否,是,是\n"  # stamp alone is no voucher
        "6,鸭蛋,合作社,工会,5,3,2020-05-10,,FP6,也许,,\n"  # unreadable flag
    )
    assert [p.split("|", 3)[1:3] for p in _problems(tmp_path, annex2=annex2)] == [
        ["row 4", "发票或凭证号"],
        ["row 5", "行政村盖章"],
        ["row 6", "贫困户签字"],
        ["row 8", "发票或凭证号"],
        ["row 9", "贫困户直购"],
    ]


def test_template_without_evidence_columns_asks_for_vouchers(tmp_path: Path) -> None:
    annex2 = "序号,产品名称,卖方,买方,数量,金额,交易时间,备注\n1,大米,合作社,工会,5,3,2020-05-10,有发票\n"
    assert _problems(tmp_path, annex2=annex2) == [
        "附件2.csv|row 2|发票或凭证号|no sales invoice or sales voucher (销售发票或销售凭证) recorded; "
        "for a purchase straight from a poor household mark 贫困户直购 = 是 with 行政村盖章 and 贫困户签字"
    ]
    a1, a2 = _files(tmp_path, GOOD_ANNEX1, annex2)
    assert read_submission(a1, a2, month="2020-05", delivered="2020-05-29").attachments == ()


def test_missing_header_and_missing_file_are_problems_not_crashes(tmp_path: Path) -> None:
    annex1 = "姓名,联系方式,受益金额\n张三,13812345678,1\n"
    problems = _problems(tmp_path, annex1=annex1)
    assert (
        len(problems) == 1 and "身份证号" in problems[0] and problems[0].startswith("附件1.csv||")
    )
    missing = validate_submission_files(
        tmp_path / "none1.csv", tmp_path / "none2.xlsx", month="2020-05", delivered="2020-05-29"
    )
    assert [Path(p.file).name for p in missing] == ["none1.csv", "none2.xlsx"]


def test_problems_are_in_reading_order(tmp_path: Path) -> None:
    rows = "".join(f"{i},大米,合作社,工会,5,3,2020-05-10,,,,,\n" for i in range(1, 12))
    problems = _problems(tmp_path, annex2=ANNEX2_HEAD + rows)
    assert [p.split("|")[1] for p in problems] == [f"row {n}" for n in range(4, 15)]


def test_xlsx_annexes(tmp_path: Path) -> None:
    from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]

    def save(name: str, rows: list[list[object]]) -> Path:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        for row in rows:
            sheet.append(row)
        path = tmp_path / name
        book.save(path)
        return path

    a1 = save(
        "a1.xlsx",
        [
            ["附件1"],
            ["姓名", "身份证号", "联系方式", "受益金额（元）"],
            [NAMES[0], ID_A, PHONES[0], 1200],
        ],
    )
    a2 = save(
        "a2.xlsx",
        [
            ["序号", "产品名称", "卖方", "买方", "数量", "金额", "交易时间", "备注", "发票号码"],
            [1, "大米", "合作社", "工会", 500, 1500.5, date(2020, 5, 10), None, "FP1"],
            [2, "大米", "合作社", "工会", 500, 99.99, date(2020, 6, 1), None, "FP2"],
        ],
    )
    sub = read_submission(a1, a2, month="2020-05", delivered="2020-05-29")
    assert sub.annex1[0].benefit_amount == Decimal(1200)
    assert sub.annex2[0].amount == Decimal("1500.5")
    assert [(p.record, p.field) for p in sub.problems] == [
        ("row 3", "交易时间"),
        ("row 3", "交易时间"),
    ]


def test_a_clean_submission_satisfies_the_monthly_report(tmp_path: Path) -> None:
    submissions = []
    for month in ("2020-04", "2020-05"):
        folder = tmp_path / month
        folder.mkdir()
        annex2 = GOOD_ANNEX2.replace("2020-05-10", f"{month}-10").replace(
            "2020年5月29日", f"{month}-20"
        )
        a1, a2 = _files(folder, GOOD_ANNEX1, annex2)
        sub = read_submission(a1, a2, month=month, delivered=f"{month}-29")
        assert not sub.problems
        submissions.append(sub.submission("z"))
    assert submissions[0].report == MONTHLY_REPORT
    assert submissions[0].period_end == date(2020, 4, 30)
    town = Unit(id="z", name="某镇", kind="town", department="各镇", jurisdiction="datonghu")
    registry = load_registry().select(["datonghu"])

    def status(subs: list[Submission]) -> Status:
        facts = Facts(units=(town,), submissions=tuple(subs))
        findings = evaluate(facts, date(2020, 5, 31), rules=registry).findings
        return next(f.status for f in findings if f.obligation_id == "datonghu.monthly_report")

    assert status(submissions) == Status.COMPLIANT
    assert status(submissions[:1]) == Status.NON_COMPLIANT


def test_annex2_row_evidenced_property() -> None:
    base = {
        "file": "f",
        "row": 2,
        "seq": 1,
        "product": "米",
        "seller": "社",
        "buyer": "会",
        "quantity": Decimal(1),
        "amount": Decimal(1),
        "traded_on": date(2020, 5, 1),
    }
    assert Annex2Row(**base, voucher_no="FP").evidenced
    assert not Annex2Row(**base).evidenced
    assert not Annex2Row(**base, household_direct=True, village_stamp=True).evidenced
    assert Annex2Row(
        **base, household_direct=True, village_stamp=True, household_signature=True
    ).evidenced


def test_personal_data_in_the_wrong_column_is_not_echoed(tmp_path: Path) -> None:
    annex1 = (
        ANNEX1_HEAD
        + f"{NAMES[0]},{ID_A},{PHONES[0]},{ID_B}\n{NAMES[1]},{ID_B},{PHONES[1]},{PHONES[0]}\n"
    )
    annex2 = ANNEX2_HEAD + f"{PHONES[1]},大米,合作社,工会,{ID_A},3,{ID_B},,FP1,{PHONES[0]},,\n"
    problems = _problems(tmp_path, annex1=annex1, annex2=annex2)  # asserts nothing raw leaks
    assert [p.split("|")[2] for p in problems] == [
        "受益金额",
        "受益金额",
        "交易时间",
        "序号",
        "数量",
        "贫困户直购",
    ]
    assert "looks like an ID or phone number" in problems[0]
    assert "430921********" in problems[2]  # the misplaced ID number, masked


def test_unreadable_month_or_delivery_date_is_an_input_error(tmp_path: Path) -> None:
    a1, a2 = _files(tmp_path, GOOD_ANNEX1, GOOD_ANNEX2)
    with pytest.raises(InputError) as info:
        validate_submission_files(a1, a2, month="五月", delivered="2020-02-30")
    assert [p.field for p in info.value.problems] == ["delivered", "month"]


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_shipped_examples_are_valid() -> None:
    from xfrules.facts import load_facts

    problems = validate_submission_files(
        EXAMPLES / "附件1_2020-05.csv",
        EXAMPLES / "附件2_2020-05.csv",
        month="2020-05",
        delivered="2020-05-29",
    )
    assert problems == []
    facts = load_facts(EXAMPLES / "facts.yaml")
    registry = load_registry().select(["datonghu"])
    findings = {
        (f.unit_id, f.obligation_id): f
        for f in evaluate(facts, date(2020, 12, 31), rules=registry).findings
    }
    per_member = findings[("g1", "datonghu.union_festival_purchase_per_member")]
    assert (per_member.status, per_member.measured, per_member.required) == (
        Status.COMPLIANT,
        Decimal("2600.00"),
        Decimal(2500),
    )
    assert findings[("dth", "datonghu.ecommerce_pilot_poor_villages")].shortfall == 10
