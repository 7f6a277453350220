"""Numbers, dates and YAML read by one set of rules, whatever the file: a facts file, a ledger
(either backend) and a monitor event accept and refuse the same values, and YAML reads no
number other than the one written (issue 15, "silently wrong")."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from xfrules.cli import main
from xfrules.errors import InputError
from xfrules.facts import load_facts, parse_facts
from xfrules.ledger import import_ledgers
from xfrules.monitor import EventError, parse_event
from xfrules.rulebook import prepare
from xfrules.values import parse_date
from xfrules.yamlio import TooDeepError, YamlSyntaxError, load_yaml

# These tests read the English texts (what --lang en prints); tests/test_problem_language.py
# holds the Chinese ones.
pytestmark = pytest.mark.usefixtures("xfrules_english")

UNIT = {"id": "u1", "name": "某局", "kind": "budget_unit", "jurisdiction": "suzhou"}


def _tx(amount: object, day: object = "2020-05-01") -> dict[str, object]:
    return {"id": "t1", "buyer": "u1", "amount": amount, "date": day}


def _facts_refuse(field: str, value: object) -> str | None:
    """The facts loader's reason for refusing a transaction with ``field`` = ``value``."""
    tx = _tx("12.50")
    tx[field] = value
    try:
        parse_facts({"units": [UNIT], "transactions": [tx]})
    except InputError as exc:
        return "; ".join(p.message for p in exc.problems)
    return None


def _ledger_refuse(tmp: Path, field: str, value: str) -> str | None:
    cells = {"amount": "12.50", "date": "2020-05-01"}
    cells[field] = value
    path = tmp / "l.csv"
    path.write_text(f"买方,金额,交易时间\nu1,{cells['amount']},{cells['date']}\n", "utf-8")
    result = import_ledgers([path])
    assert result.accepted + result.rejected == result.rows_read == 1
    return "; ".join(p.message for p in result.problems) or None


def _event_refuse(field: str, value: object) -> str | None:
    event = {"type": "transaction", **_tx("12.50")}
    event[field] = value
    try:
        parse_event(event)
    except EventError as exc:
        return "; ".join(p.message for p in exc.problems)
    return None


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("amount", "1000000000000000", "implausibly large (10^15 or more)"),
        ("amount", "123456789012345678901234567890", "implausibly large (10^15 or more)"),
        ("amount", "12.001", "amount is finer than 0.01"),
        ("amount", "-3", "amount is negative"),
        ("amount", ".nan", "not an amount of money"),
        ("amount", "0x10", "not an amount of money"),
        ("date", "2020-05-01T25:00:00", "not a date"),
        ("date", "2020-05-01 garbage", "not a date"),
    ],
)
def test_facts_ledgers_and_events_refuse_alike(
    field: str, value: str, reason: str, tmp_path: Path
) -> None:
    facts, ledger, event = (
        _facts_refuse(field, value),
        _ledger_refuse(tmp_path, field, value),
        _event_refuse(field, value),
    )
    for said in (facts, ledger, event):
        assert said is not None and reason in said, (facts, ledger, event)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", "999999999999999.99"),
        ("amount", "12.5"),
        ("date", "2020-05-01 13:45:00"),
        ("date", "2020/5/1 23:59"),
        ("date", "2020-05-01T10:00:00+08:00"),
    ],
)
def test_facts_ledgers_and_events_accept_alike(field: str, value: str, tmp_path: Path) -> None:
    assert _facts_refuse(field, value) is None
    assert _ledger_refuse(tmp_path, field, value) is None
    assert _event_refuse(field, value) is None


def test_a_time_of_day_must_be_one() -> None:
    assert parse_date("2020-05-01 23:59:59") == date(2020, 5, 1)
    for bad in ("2020-05-01T24:00", "2020-05-01 12:60", "2020-05-01T10:00:00+25:00"):
        with pytest.raises(ValueError, match="not a date"):
            parse_date(bad)


def test_the_batch_backend_reads_dates_by_the_same_patterns(tmp_path: Path) -> None:
    from xfrules.batch import evaluate_ledgers
    from xfrules.entities import Unit
    from xfrules.facts import Facts

    ledger = tmp_path / "l.csv"
    ledger.write_text(
        "买方,金额,交易时间\nu1,1,2020-05-01T25:00:00\nu1,2,2020-05-01 13:45\n", "utf-8"
    )
    facts = Facts(units=(Unit.model_validate(UNIT),))
    result = evaluate_ledgers(prepare(facts), [ledger], date(2020, 12, 31))
    assert (result.rows_read, result.accepted) == (2, 1)


# --- YAML: only plain decimals are numbers; no key twice ---------------------------------------


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("0x10", "0x10"),
        ("010", "010"),
        ("0o17", "0o17"),
        ("0b11", "0b11"),
        ("1:30", "1:30"),
        ("1_000", "1_000"),
        (".nan", ".nan"),
        ("-.inf", "-.inf"),
        ("2020-05-01", "2020-05-01"),
        ("12", 12),
        ("-3", -3),
        ("12.50", Decimal("12.50")),
        ("1.5e3", Decimal("1.5e3")),
    ],
)
def test_yaml_reads_a_number_only_as_written(written: str, read: object) -> None:
    value = load_yaml(f"a: {written}")["a"]
    assert value == read and type(value) is type(read)


def test_a_hex_amount_in_a_facts_file_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(
        "units:\n  - {id: u1, name: a, kind: budget_unit, jurisdiction: suzhou}\n"
        "transactions:\n  - {id: t1, buyer: u1, amount: 0x10, date: 2020-05-01}\n",
        "utf-8",
    )
    with pytest.raises(InputError, match=r"transactions\[0\].*'amount'.*'0x10'"):
        load_facts(path)


def test_a_key_written_twice_is_an_error_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(
        "units:\n  - id: u1\n    name: a\n    kind: budget_unit\n    name: b\n"
        "    jurisdiction: suzhou\n",
        "utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_facts(path)
    (problem,) = caught.value.problems
    assert problem.record.startswith("line 5")
    assert "key 'name' is written twice (first on line 3)" in problem.message
    with pytest.raises(YamlSyntaxError):
        load_yaml(path.read_text("utf-8"), str(path))


def test_merge_keys_may_be_overridden() -> None:
    assert load_yaml("b: &b {x: 1, y: 2}\nc: {<<: *b, x: 5}\n")["c"] == {"x": 5, "y": 2}


def test_plain_yaml_still_raises_yaml_errors() -> None:
    with pytest.raises(yaml.YAMLError):
        load_yaml("a: 1\na: 2\n")


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_deeply_nested_documents_are_bad_input(
    suffix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / f"deep{suffix}"
    path.write_text('{"units": ' + "[" * 100_000 + "]" * 100_000 + "}", "utf-8")
    assert main(["evaluate", str(path), "--as-of", "2020-12-31"]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "Traceback" not in err


def test_load_json_turns_recursion_into_its_own_error() -> None:
    with pytest.raises(TooDeepError):
        from xfrules.yamlio import load_json

        load_json("[" * 100_000 + "]" * 100_000)


def test_malformed_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    path.write_text(json.dumps({"units": []})[:-1] + ",}", "utf-8")
    with pytest.raises(InputError, match=r"f\.json, line 1, column \d+: malformed json"):
        load_facts(path)
