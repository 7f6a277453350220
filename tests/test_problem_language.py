"""Input errors and rejection reasons in the user's language: Chinese unless English is asked
for, with file, row, column and value verbatim, and the same English as before under
``--lang en``; what programs read (codes, field names, the record) does not change."""

from __future__ import annotations

import csv
import importlib
import json
import re
import string
from pathlib import Path

import pytest

from xfrules import InputError
from xfrules.cli import main
from xfrules.errors import Problem
from xfrules.facts import parse_facts
from xfrules.i18n import MESSAGES, Msg, use_lang
from xfrules.input_messages import INPUT_MESSAGES
from xfrules.ledger.importer import import_ledgers

SRC = Path(__file__).resolve().parents[1] / "src" / "xfrules"
PLUGINS = Path(__file__).resolve().parents[1] / "plugins"

LEDGER = (
    "买方,金额,交易时间,卖方身份证号,联系电话\n"
    "u1,100.00,2020-05-01,,\n"
    "u1,abc,2020-13-40,,\n"
    "u1,12.001,2020-05-02,110105194912310021,1391234\n"
)


def _fields(text: str) -> list[str]:
    # The names only: Chinese quotes a name “{field}” where English writes {field!r}.
    return sorted(f for _, f, _, _ in string.Formatter().parse(text) if f)


def test_every_input_message_has_both_languages_with_the_same_placeholders() -> None:
    assert len(INPUT_MESSAGES) > 100
    for key, (zh, en) in INPUT_MESSAGES.items():
        assert zh.strip() and en.strip(), key
        assert _fields(zh) == _fields(en), key
        assert MESSAGES[key] == (zh, en), key  # merged into the one catalog
        if key != "in.joined":  # Chinese words or at least Chinese punctuation
            assert re.search(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]", zh), key


def test_every_message_key_the_code_names_is_in_the_catalog() -> None:
    # A Msg of an unknown key fails only when made: every literal key is checked here.
    for own in PLUGINS.glob("*/src/*/messages.py"):  # a plug-in's own words (datonghu.…)
        importlib.import_module(f"{own.parent.name}.messages")
    files = [*SRC.rglob("*.py"), *PLUGINS.glob("*/src/**/*.py")]
    keys = {k for f in files for k in re.findall(r'Msg\(\s*"([^"]+)"', f.read_text("utf-8"))}
    assert len(keys) > 100
    assert sorted(keys - MESSAGES.keys()) == []
    with pytest.raises(KeyError):
        Msg("no.such.message")


def _ledger(tmp_path: Path) -> Path:
    path = tmp_path / "附件2.csv"
    path.write_text(LEDGER, encoding="gbk")  # what an auditor's Excel saves
    return path


def test_a_rejected_row_is_told_in_chinese_naming_file_row_column_and_value(
    tmp_path: Path,
) -> None:
    path = _ledger(tmp_path)
    result = import_ledgers([path])
    assert (result.rows_read, result.accepted, result.rejected) == (3, 1, 2)
    lines = [str(p) for p in result.problems]
    assert f"{path}，第 3 行，字段“金额”：不是金额（应为数字，可带 万/亿/千 和 元）：'abc'" in lines
    assert (
        f"{path}，第 3 行，字段“交易时间”：不存在的日期 '2020-13-40'：月份须在 1..12 之间" in lines
    )
    assert f"{path}，第 4 行，字段“金额”：金额的小数位过多：最小单位为 0.01" in lines
    assert f"{path}，第 4 行，字段“卖方身份证号”：身份证号校验码不符（GB 11643）" in lines
    assert f"{path}，第 4 行，字段“联系电话”：电话应为 11 位手机号或带区号的固定电话" in lines
    assert not any("110105194912310021" in line for line in lines)


def test_english_is_the_text_xfrules_always_gave(tmp_path: Path) -> None:
    path = _ledger(tmp_path)
    result = import_ledgers([path])
    with use_lang("en"):
        lines = [str(p) for p in result.problems]
    assert lines == [
        f"{path}, row 3, field '金额': not an amount of money (a number, optionally 万/亿/千 "
        "and 元): 'abc'",
        f"{path}, row 3, field '交易时间': impossible date '2020-13-40': month must be in 1..12",
        f"{path}, row 4, field '金额': amount is finer than 0.01",
        f"{path}, row 4, field '卖方身份证号': ID number check digit does not match (GB 11643)",
        f"{path}, row 4, field '联系电话': phone must be an 11-digit mobile number or an "
        "area-coded landline",
    ]


def test_ledger_import_cli_rejects_file_and_report_follow_the_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XFRULES_LANG", raising=False)
    path = _ledger(tmp_path)
    rejects = tmp_path / "rejected.csv"
    code = main(["ledger", "import", str(path), "--rejects", str(rejects)])
    err = capsys.readouterr().err
    assert code == 1
    assert "读取台账 3 行：接受 1 行，拒绝 2 行" in err
    assert f"  - {path}，第 3 行，字段“金额”：不是金额" in err
    with rejects.open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:4] == ["file", "row", "column", "reason"]  # the contract: not translated
    assert rows[1][1:3] == ["3", "金额; 交易时间"]
    assert rows[1][3] == (
        "不是金额（应为数字，可带 万/亿/千 和 元）：'abc'；不存在的日期 '2020-13-40'：月份须在 1..12 之间"
    )
    assert "110105********0021" in rows[2] and "110105194912310021" not in str(rows)

    code = main(["ledger", "import", str(path), "--rejects", str(rejects), "--lang", "en"])
    err = capsys.readouterr().err
    assert f"  - {path}, row 3, field '金额': not an amount of money" in err
    with rejects.open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[1][3] == (
        "not an amount of money (a number, optionally 万/亿/千 and 元): 'abc'; "
        "impossible date '2020-13-40': month must be in 1..12"
    )


def test_json_problems_keep_code_record_and_field_in_every_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _ledger(tmp_path)
    records = {}
    for lang in ("zh", "en"):
        main(["ledger", "import", str(path), "--format", "json", "--lang", lang])
        records[lang] = json.loads(capsys.readouterr().out)["problems"]
    zh, en = records["zh"], records["en"]
    assert [(p["file"], p["record"], p["field"], p["code"]) for p in zh] == [
        (p["file"], p["record"], p["field"], p["code"]) for p in en
    ]
    assert zh[0] == {
        "file": str(path),
        "record": "row 3",
        "field": "金额",
        "code": "value.not_money",
        "message": "不是金额（应为数字，可带 万/亿/千 和 元）：'abc'",
    }
    assert (
        en[0]["message"] == "not an amount of money (a number, optionally 万/亿/千 and 元): 'abc'"
    )


def test_a_file_error_is_chinese_on_the_command_line_and_english_with_lang_en(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XFRULES_LANG", raising=False)
    path = tmp_path / "台账.csv"
    path.write_text("品名,备注\n大米,x\n", encoding="utf-8")
    assert main(["ledger", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"xfrules: 输入有 1 处问题：\n  - {path}，第 1 行："
        "缺少必需的列：buyer, amount, date；找到的表头：品名, 备注\n"
    )
    assert main(["ledger", "import", str(path), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"xfrules: 1 problem in input:\n  - {path}, row 1: "
        "no column for buyer, amount, date (required); headers found: 品名, 备注\n"
    )


def test_a_facts_error_names_file_record_and_field_in_chinese() -> None:
    doc = {
        "units": [{"id": "u1", "name": "甲", "kind": "county", "jurisdiction": "suzhou"}],
        "transactions": [
            {"id": "t1", "buyer": "u9", "seller": "s", "product": "p", "amount": "1万", "date": "x"}
        ],
    }
    with pytest.raises(InputError) as info:
        parse_facts(doc, source="facts.yaml")
    text = str(info.value)
    assert text.startswith("输入有 2 处问题：\n")
    assert "  - facts.yaml，transactions[0] (id 't1')，字段“buyer”：未知的单位 'u9'" in text
    assert "  - facts.yaml，transactions[0] (id 't1')，字段“date”：不是日期：'x'" in text
    with use_lang("en"):
        assert "facts.yaml, transactions[0] (id 't1'), field 'buyer': unknown unit 'u9'" in str(
            info.value
        )


def test_problems_are_ordered_by_row_number_whatever_the_language() -> None:
    problems = [
        Problem("a.csv", Msg("at.row", n=n), "金额", Msg("value.missing", what=Msg("field.amount")))
        for n in (10, 2, 33)
    ]
    error = InputError(problems)
    assert [p.record for p in error.problems] == ["第 2 行", "第 10 行", "第 33 行"]
    with use_lang("en"):
        assert [p.record for p in error.problems] == ["row 2", "row 10", "row 33"]
        assert str(error.problems[0]) == "a.csv, row 2, field '金额': amount is missing"


def test_personal_numbers_in_a_message_parameter_are_masked_in_either_language() -> None:
    problem = Problem("x.csv", "", "买方", Msg("ledger.unknown_buyer", buyer="13912345678"))
    for lang in ("zh", "en"):
        with use_lang(lang):
            assert "13912345678" not in str(problem)
            assert "139****5678" in problem.message


def test_a_plug_in_adds_its_own_words_and_cannot_take_anothers() -> None:
    from xfrules.i18n import add_messages

    add_messages({"value.missing": MESSAGES["value.missing"]})  # the same words again: fine
    with pytest.raises(KeyError, match=r"value\.missing"):
        add_messages({"value.missing": ("缺", "missing")})
    assert MESSAGES["value.missing"] == ("{what}为空", "{what} is missing")


def test_a_refused_event_is_told_in_chinese_naming_file_line_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XFRULES_LANG", raising=False)
    facts = tmp_path / "units.yaml"
    facts.write_text(
        "units: [{id: u1, name: 甲, kind: budget_unit, jurisdiction: suzhou}]\n", encoding="utf-8"
    )
    events = tmp_path / "events.jsonl"
    events.write_text(
        '{"type": "transaction", "id": "t1", "buyer": "u9", "amount": "1", "date": "2020-01-01",'
        ' "seller": "s", "product": "p"}\n{"type": "clock", "date": "x"}\nnot json\n',
        encoding="utf-8",
    )
    argv = ["watch", "--facts", str(facts), "--start", "2020-01-01", "-j", "suzhou", str(events)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"  - {events}，第 1 行（transaction 编号 't1'），字段“buyer”：未知的单位 'u9'" in err
    assert f"  - {events}，第 2 行（clock），字段“date”：不是日期：'x'" in err
    assert f"xfrules: {events}，第 3 行：不是 JSON：" in err
    assert err.rstrip().endswith("xfrules: 3 个事件被拒绝")
    assert main([*argv, "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert f"  - {events}, line 1 (transaction id 't1'), field 'buyer': unknown unit 'u9'" in err
    assert f"xfrules: {events}, line 3: not JSON: " in err
    assert err.rstrip().endswith("xfrules: 3 event(s) rejected")


def test_a_problem_made_with_the_old_keywords_is_the_same_problem() -> None:
    """Plug-ins' report validators made problems as Problem(file=, record=, field=, message=)."""
    from xfrules.errors import Problem

    old = Problem(file="附件1.xlsx", record="row 3", field="金额", message="不是金额")
    assert old == Problem("附件1.xlsx", "row 3", "金额", "不是金额")
    assert (old.record, old.message, old.code) == ("row 3", "不是金额", "")
    masked = Problem(file="f", record="row 2", message="号码 13812345678 不对")
    assert "13812345678" not in masked.message and masked.field == ""


@pytest.mark.parametrize(
    ("make", "zh", "en"),
    [
        (lambda d: d / "missing.yaml", "文件或目录不存在", "No such file or directory"),
        (lambda d: d, "这是一个目录，不是文件", "Is a directory"),
    ],
)
def test_the_systems_reason_a_file_cannot_be_read_is_in_the_users_words(
    tmp_path: Path, make: object, zh: str, en: str
) -> None:
    """The system's own words (English on any locale) are worded in the user's language;
    --lang en reads as the system says it."""
    from xfrules.facts import load_facts

    path = make(tmp_path)  # type: ignore[operator]
    with pytest.raises(InputError) as caught:
        load_facts(path)
    (problem,) = caught.value.problems
    assert str(problem) == f"{path}：无法读取文件：{zh}"
    with use_lang("en"):
        assert str(problem) == f"{path}: cannot read file: {en}"


def test_a_directory_given_as_a_ledger_is_called_one(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        import_ledgers([tmp_path])
    assert [p.message for p in caught.value.problems] == ["这是一个目录：请给出台账文件"]


def test_an_unreadable_monitor_log_gives_the_systems_reason_in_the_users_words(
    tmp_path: Path,
) -> None:
    from xfrules.monitor.log import read_log

    with pytest.raises(InputError) as caught:
        read_log(tmp_path)  # a directory: the system refuses to read it
    (problem,) = caught.value.problems
    assert problem.message == "无法读取日志：这是一个目录，不是文件"
    with use_lang("en"):
        assert problem.message == "cannot read the log: Is a directory"
