"""Careless command lines get exit 2 and a message naming the file, never a traceback, and
what would be silently wrong is said (issue 15)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from xfrules.cli import main

# These tests read the English texts (what --lang en prints); tests/test_problem_language.py
# holds the Chinese ones.
pytestmark = pytest.mark.usefixtures("xfrules_english")

ANNEXES = Path(__file__).resolve().parents[1] / "plugins" / "datonghu" / "examples"
UNITS = "units:\n  - {id: u1, name: 某局, kind: budget_unit, jurisdiction: suzhou}\n"


def _run(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, out.out, out.err


@pytest.fixture
def units(tmp_path: Path) -> Path:
    path = tmp_path / "units.yaml"
    path.write_text(UNITS, "utf-8")
    return path


# --- new-plugin --------------------------------------------------------------------------------


def test_new_plugin_dir_naming_a_file(units: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, ["new-plugin", "zz_x", "--dir", str(units)])
    assert code == 2 and f"{units}: is a file, not a folder" in err


def test_new_plugin_into_an_unwritable_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)
    code, _, err = _run(capsys, ["new-plugin", "zz_x", "--dir", str(tmp_path)])
    assert code == 2 and "cannot write: Permission denied" in err
    assert str(tmp_path / "zz_x") in err


# --- watch -------------------------------------------------------------------------------------


def test_watch_with_a_missing_events_file(
    units: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "events.jsonl"
    code, _, err = _run(capsys, ["watch", "--facts", str(units), str(missing)])
    assert code == 2 and f"{missing}: cannot read events: No such file or directory" in err


def test_watch_with_a_log_in_a_missing_folder(
    units: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    log = tmp_path / "no" / "such" / "log.jsonl"
    code, _, err = _run(capsys, ["watch", "--facts", str(units), "--log", str(log)])
    assert code == 2 and f"{log}: cannot write: No such file or directory" in err


def test_restore_without_its_log_needs_fresh(
    units: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "log.jsonl"
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    args = ["watch", "--facts", str(units), "--log", str(log), "--restore", "--start", "2020-05-01"]
    code, _, err = _run(capsys, args)
    assert code == 2 and "no such log to restore from; give --fresh" in err
    assert not log.exists()  # nothing started silently
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, _, err = _run(capsys, [*args, "--fresh"])
    assert code == 0 and log.exists()
    records = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    assert records[0]["record"] == "start"
    code, _, err = _run(capsys, ["watch", "--facts", str(units), "--fresh"])
    assert code == 2 and "--fresh" in err


def test_watch_a_deeply_nested_event(
    units: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = tmp_path / "events.jsonl"
    events.write_text("[" * 100_000 + "]" * 100_000 + "\n", "utf-8")
    code, _, err = _run(capsys, ["watch", "--facts", str(units), str(events)])
    assert code == 2 and "line 1: not an event: nested too deeply" in err


def test_watch_a_thirty_digit_amount(
    units: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = tmp_path / "events.jsonl"
    event = {"type": "transaction", "id": "t1", "buyer": "u1", "amount": "1" + "0" * 29,
             "date": "2020-05-01"}  # fmt: skip
    events.write_text(json.dumps(event) + "\n" + json.dumps({**event, "amount": 1e300}) + "\n")
    code, _, err = _run(capsys, ["watch", "--facts", str(units), "--start", "2020-05-01",
                                 str(events)])  # fmt: skip
    assert code == 2 and err.count("implausibly large (10^15 or more)") == 2, err


# --- submission: late is said, with the days ---------------------------------------------------


@pytest.mark.parametrize(
    ("delivered", "code", "said"),
    [
        ("2020-05-28", 0, "valid"),
        ("2020-05-29", 0, "valid"),  # 29日前: the 29th is on time
        ("2020-06-02", 1, "LATE: delivered 2020-06-02, 4 days after it was due (2020-05-29"),
        ("2020-05-30", 1, "1 day after it was due"),
    ],
)
def test_a_late_submission_is_flagged_late(
    delivered: str, code: int, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["submission", "-j", "datonghu", f"annex1={ANNEXES / '附件1_2020-05.csv'}",
            f"annex2={ANNEXES / '附件2_2020-05.csv'}", "--period", "2020-05",
            "--delivered", delivered]  # fmt: skip
    got, out, _ = _run(capsys, args)
    assert got == code and said in out
    assert ("LATE" in out) == (code == 1)
