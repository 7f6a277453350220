"""`check_facts` / `xfrules check --facts`: a facts file's silent mistakes are said out loud."""

from __future__ import annotations

from pathlib import Path

import pytest

from xfrules.cli import main
from xfrules.deployment import check_facts
from xfrules.facts import load_facts
from xfrules.registry import load_registry

# These tests read the English texts (what --lang en prints); tests/test_problem_language.py
# holds the Chinese ones.
pytestmark = pytest.mark.usefixtures("xfrules_english")

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TOTAL = "tianjin.annual_consumption_total"

FACTS = """
units:
  - {id: tj, name: 天津市, kind: city, region_code: "120000", jurisdiction: tianjin}
  - {id: tj-hp, name: 和平区, kind: district, region_code: "120101", parent: tj, jurisdiction: tianjin}
  - {id: tj-hx, name: 河西区, kind: district, region_code: "120103", parent: tj, jurisdiction: tianjin}
  - {id: tj-x, name: 某局, kind: department, department: 市某某局, jurisdiction: tianjin}
  - {id: tj-y, name: 某单位, kind: budget-unit, jurisdiction: tianjin}
  - {id: tj-f, name: 驻甘肃工作组, kind: department, department: 各前方工作机构, jurisdiction: tianjin}
  - {id: tj-g, name: 驻河北工作组, kind: front_office, department: 前方工作机构, jurisdiction: tianjin}
  - {id: x1, name: 某单位, kind: budget_unit, jurisdiction: tianjn}
allocations:
  - {obligation: tianjin.annual_consumption_total, region_code: "120101", name: 和平区,
     value: 10亿元, document: 某通知}
"""


X1 = "  - {id: x1, name: 某单位, kind: budget_unit, jurisdiction: tianjn}\n"


@pytest.fixture
def facts_file(tmp_path: Path) -> Path:
    path = tmp_path / "facts.yaml"
    path.write_text(FACTS, encoding="utf-8")
    return path


@pytest.fixture
def warned_file(tmp_path: Path) -> Path:
    """The facts file without its unit of a misspelt jurisdiction: warnings only."""
    path = tmp_path / "warned.yaml"
    path.write_text(FACTS.replace(X1, ""), encoding="utf-8")
    return path


def codes(problems: list) -> dict[tuple[str, str], str]:  # type: ignore[type-arg]
    return {(p.subject, p.code): p.message for p in problems}


def test_each_silent_mistake_is_named(facts_file: Path) -> None:
    found = codes(check_facts(load_facts(facts_file), load_registry()))
    assert "tianjn" in found[("unit x1", "unknown-jurisdiction")]
    assert "'budget-unit'" in found[("unit tj-y", "unit-kind")]
    assert "市某某局" in found[("unit tj-x", "unknown-department")]
    # A front office modelled as a department: 各前方工作机构 stands for kind front_office.
    assert "'front_office'" in found[("unit tj-f", "department-kind")]
    assert not [key for key in found if key[0] == "unit tj-g"]  # its kind is the name's
    # 10亿元 allocated against 11亿元: less than the total, by 1亿.
    short = found[(TOTAL, "allocations-do-not-sum")]
    assert "1000000000 元, less than the total (in force from 2019-01-01): 1100000000 元" in short
    assert "difference -100000000" in short
    # 河西区 has no share once the facts file's records replace the plug-in's; 和平区 has one.
    missing = found[(TOTAL, "allocation-missing")]
    assert "tj-hx" in missing and "tj-hp" not in missing
    assert len(found) == 6


def test_bundled_samples_are_clean() -> None:
    registry = load_registry()
    for name in ("sample-facts.yaml", "tianjin-2019.yaml"):
        assert check_facts(load_facts(EXAMPLES / name), registry) == [], name


def test_a_selection_does_not_call_other_jurisdictions_unknown(facts_file: Path) -> None:
    registry = load_registry().select(["suzhou"])
    problems = check_facts(load_facts(facts_file), registry)
    unknown = [p for p in problems if p.code == "unknown-jurisdiction"]
    # tianjin is installed, only left out: its units are not unknown; tianjn still is.
    assert [(p.subject, p.severity) for p in unknown] == [("unit x1", "error")]
    assert "did you mean 'tianjin'?" in unknown[0].message


def test_misnamed_deployment_data_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text(
        FACTS.replace("tianjin.annual_consumption_total", "tianjin.no_such_target"), "utf-8"
    )
    problems = check_facts(load_facts(path), load_registry())
    errors = [p for p in problems if p.severity == "error" and p.code != "unknown-jurisdiction"]
    assert len(errors) == 1 and "no_such_target" in errors[0].message


def test_cli_check_facts_exit_codes(
    facts_file: Path, warned_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--facts", str(facts_file)]) == 1  # a unit of no installed jurisdiction
    out = capsys.readouterr().out
    assert "allocations-do-not-sum" in out and "unknown-jurisdiction" in out
    assert main(["check", "--facts", str(warned_file)]) == 0  # warnings only
    capsys.readouterr()
    assert main(["check", "--facts", str(warned_file), "--strict"]) == 1
    capsys.readouterr()
    assert main(["check", "--facts", str(EXAMPLES / "sample-facts.yaml"), "--strict"]) == 0


def test_evaluate_prints_the_warnings_on_stderr(
    warned_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["evaluate", str(warned_file), "--as-of", "2019-12-31", "--exit-zero"]) == 0
    err = capsys.readouterr().err
    assert "xfrules: warning: tianjin: unit tj-y:" in err
    assert "allocations-do-not-sum" in err


@pytest.mark.parametrize("command", ["evaluate", "report", "watch", "ledger"])
def test_a_unit_of_no_installed_jurisdiction_is_bad_input(
    command: str,
    facts_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    ledger = tmp_path / "l.csv"
    ledger.write_text("买方,金额,交易时间\ntj,1,2019-05-01\n", "utf-8")
    args = {
        "evaluate": ["evaluate", str(facts_file), "--as-of", "2019-12-31"],
        "report": ["report", str(facts_file), "--out", str(tmp_path / "r.html")],
        "watch": ["watch", "--facts", str(facts_file), "--start", "2019-06-30"],
        "ledger": ["ledger", "evaluate", str(ledger), "--facts", str(facts_file)],
    }[command]
    facts_file.write_text(FACTS.replace("allocations:", "xx:").split("xx:")[0], "utf-8")
    assert main([*args, "-j", "tianjin"]) == 2  # left out by -j or not: tianjn is no jurisdiction
    err = capsys.readouterr().err
    assert "unit x1, field 'jurisdiction': jurisdiction 'tianjn' is not installed" in err
    assert "did you mean 'tianjin'?" in err and "Traceback" not in err


def test_watch_prints_the_warnings_on_stderr(
    warned_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["watch", "--facts", str(warned_file), "--start", "2019-06-30"]) == 0
    err = capsys.readouterr().err
    assert "xfrules: warning: tianjin: unit tj-y:" in err
    assert "unknown-department" in err


def test_cli_check_facts_json(facts_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert main(["check", "--facts", str(facts_file), "--format", "json"]) == 1
    record = json.loads(capsys.readouterr().out)
    assert record["checked"] == [str(facts_file)]
    found = {(p["subject"], p["code"], p["severity"]) for p in record["problems"]}
    assert ("unit x1", "unknown-jurisdiction", "error") in found
    assert len(found) == 6


def test_a_facts_file_without_units_is_said_to_evaluate_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("transactions: []\n", encoding="utf-8")
    assert main(["evaluate", str(empty), "--as-of", "2020-12-31"]) == 0
    assert "no-units" in capsys.readouterr().err
    assert main(["check", "--facts", str(empty)]) == 0  # a warning, not an error
    assert "lists no units" in capsys.readouterr().out
