"""xfrules.annexes: reading annex tables and keeping personal data masked."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError

from xfrules.annexes import (
    Column,
    IdNumber,
    MaskedRow,
    PersonName,
    PhoneNumber,
    Record,
    TableSchema,
    date_field,
    decimal_field,
    flag_field,
    id_number_field,
    money_field,
    month_bounds,
    normalise_header,
    phone_field,
    read_table,
)
from xfrules.errors import InputError, Problem
from xfrules.pii import id_check_digit

# These tests read the English texts (what --lang en prints); tests/test_problem_language.py
# holds the Chinese ones.
pytestmark = pytest.mark.usefixtures("xfrules_english")

SCHEMA = TableSchema(
    "测试表",
    (
        Column("name", ("姓名",)),
        Column("id_number", ("身份证号", "身份证")),
        Column("amount", ("金额",)),
        Column("note", ("备注",), required=False),
    ),
)

RAW_NAME = "欧阳娜娜"
ID17 = "43092119800101123"
RAW_ID = ID17 + id_check_digit(ID17)
RAW_PHONE = "13812345678"


class Person(MaskedRow):
    name: PersonName
    id_number: IdNumber
    phone: PhoneNumber
    amount: Decimal


def _person() -> Person:
    return Person(
        file="f.csv", row=2, name=RAW_NAME, id_number=RAW_ID, phone=RAW_PHONE, amount="12.50"
    )


def _raw_values_absent(text: str) -> None:
    for raw in (RAW_NAME, RAW_ID, RAW_PHONE, RAW_NAME[1:], RAW_ID[6:14]):
        assert raw not in text, f"{raw!r} leaked into {text!r}"


# --------------------------------------------------------------------------- masking


def test_personal_values_show_only_masks_everywhere() -> None:
    person = _person()
    outputs = [
        repr(person),
        str(person),
        f"{person.name} {person.id_number} {person.phone}",
        person.model_dump_json(),
        json.dumps(person.model_dump(), default=str),
        json.dumps(person.model_dump(mode="json")),
        repr(person.model_dump()),
        repr(person.__dict__),
    ]
    for text in outputs:
        _raw_values_absent(text)
    dumped = person.model_dump()
    assert dumped["name"] == "欧***"
    assert dumped["id_number"] == RAW_ID[:6] + "********" + RAW_ID[-4:]
    assert dumped["phone"] == "138****5678"


def test_raw_value_is_reachable_only_on_purpose() -> None:
    person = _person()
    assert person.name.reveal() == RAW_NAME
    assert person.id_number.reveal() == RAW_ID
    assert person.phone == PhoneNumber(RAW_PHONE)
    assert person.phone != PersonName(RAW_PHONE)  # same text, different kind
    assert person.amount == Decimal("12.50")


def test_validation_errors_do_not_echo_input() -> None:
    with pytest.raises(ValidationError) as info:
        Person(
            file="f", row=2, name=RAW_NAME, id_number=RAW_ID, phone=RAW_PHONE, amount=RAW_ID + "x"
        )
    _raw_values_absent(str(info.value))
    with pytest.raises(ValidationError) as info:
        Person(file="f", row=2, name=[RAW_NAME], id_number=RAW_ID, phone=RAW_PHONE, amount="1")
    _raw_values_absent(str(info.value))


def test_personal_is_not_a_string() -> None:
    name = PersonName(RAW_NAME)
    assert not isinstance(name, str)
    with pytest.raises(TypeError):
        json.dumps({"n": name})
    with pytest.raises(TypeError):
        PersonName(123)  # type: ignore[arg-type]


def test_record_repr_hides_cells() -> None:
    record = Record("f.csv", 3, {"name": RAW_NAME, "id_number": RAW_ID}, {"name": "姓名"})
    _raw_values_absent(repr(record))
    assert "row=3" in repr(record)


# --------------------------------------------------------------------------- reading


def _write_csv(path: Path, text: str, encoding: str) -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_read_csv_in_each_encoding(tmp_path: Path, encoding: str) -> None:
    path = _write_csv(
        tmp_path / "t.csv",
        f'姓名,身份证,金额（元）,备注\n张三,{RAW_ID},"1,200.50",节日慰问\n',
        encoding,
    )
    [record] = read_table(path, SCHEMA)
    assert record.row == 2
    assert record.get("name") == "张三"
    assert record.get("amount") == "1,200.50"
    assert record.get("note") == "节日慰问"
    assert record.header("id_number") == "身份证"  # as written in the file
    assert record.header("amount") == "金额（元）"


def test_header_after_title_rows_blank_rows_skipped_and_row_numbers_kept(tmp_path: Path) -> None:
    path = _write_csv(
        tmp_path / "t.csv",
        "附件1,,,\n带贫人员名册,,,\n姓名 , 身份证号 ,金额,\n,,,\n张三,1,2,\n\n李四,3,4,\n",
        "utf-8",
    )
    records = read_table(path, SCHEMA)
    assert [(r.row, r.get("name")) for r in records] == [(5, "张三"), (7, "李四")]
    assert records[0].get("note") == ""  # optional column absent
    assert records[0].header("note") == "备注"


def test_quoted_multiline_cell_keeps_physical_row_numbers(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "t.csv", '姓名,身份证号,金额\n"张\n三",1,2\n李四,3,4\n', "utf-8")
    assert [r.row for r in read_table(path, SCHEMA)] == [2, 4]


def test_missing_required_header_names_it(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "t.csv", "姓名,金额\n张三,1\n", "utf-8")
    with pytest.raises(InputError) as info:
        read_table(path, SCHEMA)
    [problem] = info.value.problems
    assert problem.file == str(path)
    assert "身份证号" in problem.message and "测试表" in problem.message


def test_unsupported_and_undecodable_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unsupported file type"):
        read_table(tmp_path / "t.xls", SCHEMA)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x81\x30\xff\xfe")  # neither UTF-8 nor GB18030, no UTF-16 BOM
    with pytest.raises(InputError, match="not UTF-8"):
        read_table(bad, SCHEMA)
    with pytest.raises(InputError, match="cannot read file"):
        read_table(tmp_path / "absent.csv", SCHEMA)


def test_read_xlsx(tmp_path: Path) -> None:
    from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["附件1"])
    sheet.append(["姓名", "身份证号", "金额", "备注"])
    sheet.append(["张三", RAW_ID, 1200.5, datetime(2020, 5, 3, 10, 0)])
    sheet.append([None, None, None, None])
    sheet.append(["李四", RAW_ID, 0.1, date(2020, 5, 4)])
    sheet.append(["王五", RAW_ID, 300, None])
    path = tmp_path / "t.xlsx"
    book.save(path)
    records = read_table(path, SCHEMA)
    assert [r.row for r in records] == [3, 5, 6]
    assert [r.get("amount") for r in records] == ["1200.5", "0.1", "300"]
    assert records[0].get("note") == "2020-05-03"
    assert records[1].get("note") == "2020-05-04"


def test_normalise_header() -> None:
    assert normalise_header(" 金额（元） ") == "金额"
    assert normalise_header("*身份证号") == "身份证号"
    assert normalise_header("联系 方式") == "联系方式"


# --------------------------------------------------------------------------- field readers


def _record(**values: str) -> Record:
    return Record("f.csv", 4, values, {k: f"<{k}>" for k in values})


def test_decimal_field() -> None:
    problems: list[Problem] = []
    assert decimal_field(_record(a="1.2万"), "a", problems) == Decimal("12000")
    assert decimal_field(_record(a="１２３.４５"), "a", problems) == Decimal("123.45")
    assert decimal_field(_record(a="0"), "a", problems) == 0
    assert not problems
    assert decimal_field(_record(a="-0.01"), "a", problems) is None
    assert decimal_field(_record(a="abc"), "a", problems) is None
    assert decimal_field(_record(a=""), "a", problems) is None
    assert [(p.record, p.field) for p in problems] == [("row 4", "<a>")] * 3
    assert "below 0" in problems[0].message and "not a number" in problems[1].message


def test_money_field_reads_amounts_as_the_ledger_importer_does() -> None:
    problems: list[Problem] = []
    assert money_field(_record(a="1.2万元"), "a", problems) == Decimal("12000")
    assert money_field(_record(a="1,234.50"), "a", problems) == Decimal("1234.50")
    assert not problems
    for text in ("25%", "100人", "1,2,3"):
        assert money_field(_record(a=text), "a", problems) is None
    assert [p.message for p in problems] == [
        "not an amount of money: '25%'",
        "not an amount of money: '100人'",
        "not an amount of money: '1,2,3'",
    ]
    assert decimal_field(_record(a="25%"), "a", []) == Decimal("0.25")  # a figure, not money


def test_date_field_bounds() -> None:
    may = (date(2020, 5, 1), date(2020, 5, 31))
    problems: list[Problem] = []
    assert date_field(_record(d="2020年5月31日"), "d", problems, within=may) == date(2020, 5, 31)
    assert date_field(_record(d="2020/5/1"), "d", problems, within=may) == date(2020, 5, 1)
    assert not problems
    date_field(_record(d="2020-04-30"), "d", problems, within=may)
    date_field(_record(d="2020-05-30"), "d", problems, not_after=date(2020, 5, 29))
    date_field(_record(d="2020-02-30"), "d", problems)
    assert len(problems) == 3
    assert "outside" in problems[0].message
    assert "after the delivery date 2020-05-29" in problems[1].message
    assert "impossible" in problems[2].message


def test_flag_field() -> None:
    problems: list[Problem] = []
    assert flag_field(_record(f="是"), "f", problems)
    assert flag_field(_record(f="√"), "f", problems)
    assert flag_field(_record(f="Ｙ"), "f", problems)
    assert not flag_field(_record(f=""), "f", problems)
    assert not flag_field(_record(f="否"), "f", problems)
    assert not problems
    assert not flag_field(_record(f="也许"), "f", problems)
    assert len(problems) == 1


def test_id_and_phone_fields_never_echo() -> None:
    problems: list[Problem] = []
    wrong = ID17 + ("0" if RAW_ID[-1] != "0" else "1")
    assert id_number_field(_record(i=wrong), "i", problems) is None
    assert phone_field(_record(p="1381234567"), "p", problems) is None
    assert len(problems) == 2
    for p in problems:
        assert wrong not in str(p) and "1381234567" not in str(p)
    got = id_number_field(_record(i=RAW_ID.lower()), "i", problems)
    assert got is not None and got.reveal() == RAW_ID.upper()
    phone = phone_field(_record(p="１３８ １２３４ ５６７８"), "p", problems)
    assert phone is not None and phone.reveal() == RAW_PHONE
    assert len(problems) == 2


@pytest.mark.parametrize(
    ("month", "bounds"),
    [
        ("2020-02", (date(2020, 2, 1), date(2020, 2, 29))),
        ("2020年5月", (date(2020, 5, 1), date(2020, 5, 31))),
        ("202012", (date(2020, 12, 1), date(2020, 12, 31))),
        (date(2020, 4, 26), (date(2020, 4, 1), date(2020, 4, 30))),
        ("2020-06-15", (date(2020, 6, 1), date(2020, 6, 30))),
    ],
)
def test_month_bounds(month: date | str, bounds: tuple[date, date]) -> None:
    assert month_bounds(month) == bounds


def test_month_bounds_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        month_bounds("2020-13")
    with pytest.raises(ValueError):
        month_bounds("五月")


def test_misplaced_personal_data_is_refused_and_redacted() -> None:
    from xfrules.annexes import echo, looks_personal, redact

    assert looks_personal(RAW_ID) and looks_personal(RAW_PHONE) and looks_personal("0737-5665855")
    assert not looks_personal("1200") and not looks_personal("20200501")
    problems: list[Problem] = []
    assert decimal_field(_record(a=RAW_ID), "a", problems) is None
    assert decimal_field(_record(a=RAW_PHONE), "a", problems) is None
    assert len(problems) == 2 and all("looks like an ID" in p.message for p in problems)
    text = redact(f"x {RAW_ID} y {RAW_PHONE} z 12345")
    assert RAW_ID not in text and RAW_PHONE not in text and text.endswith("z 12345")
    assert RAW_ID not in echo(RAW_ID) and echo("abc") == "'abc'"
    date_field(_record(d=RAW_ID), "d", problems)
    assert RAW_ID not in problems[-1].message
