"""Evidence that nothing reads: an observation metric or a submission report key that no
installed obligation reads is named, with the closest key that is read — by ``check --facts``,
``evaluate`` and ``watch`` — instead of leaving its duty insufficient_evidence in silence."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from test_monitor import _write_inputs
from test_monitor_support import observation, submission

from xfrules.cli import main
from xfrules.deployment import check_facts, evidence_keys
from xfrules.facts import load_facts
from xfrules.registry import load_registry

# These tests read the English texts (what --lang en prints); tests/test_problem_language.py
# holds the Chinese ones.
pytestmark = pytest.mark.usefixtures("xfrules_english")

FACTS = """
units:
  - {id: u1, name: 某局, kind: budget_unit, jurisdiction: suzhou}
observations:
  - {unit: u1, metric: canteen_agri_procurment_total, period_start: 2019-01-01, period_end: 2019-12-31, value: "1000000"}
  - {unit: u1, metric: canteen_agri_procurment_total, period_start: 2018-01-01, period_end: 2018-12-31, value: "1000000"}
  - {unit: u1, metric: canteen_agri_procurement_total, period_start: 2019-01-01, period_end: 2019-12-31, value: "1000000"}
submissions:
  - {unit: u1, report: work_mechanisms, period_start: 2020-01-01, period_end: 2020-12-31, delivered: 2020-12-01}
  - {unit: u1, report: work_mechanism, period_start: 2020-01-01, period_end: 2020-12-31, delivered: 2020-12-01}
"""


@pytest.fixture
def facts_file(tmp_path: Path) -> Path:
    path = tmp_path / "facts.yaml"
    path.write_text(FACTS, encoding="utf-8")
    return path


def test_keys_read_by_the_obligations() -> None:
    keys = evidence_keys(load_registry().jurisdictions["suzhou"].obligations)
    assert "canteen_agri_procurement_total" in keys.metrics  # a baseline's metric
    assert "work_mechanism" in keys.reports  # a qualitative duty's evidence
    assert keys.unread("metric", "canteen_agri_procurement_total") is None
    why = keys.unread("report", "work_mechanisms")
    assert why is not None and "did you mean 'work_mechanism'?" in why


def test_check_facts_names_each_unread_key_once_with_the_closest(facts_file: Path) -> None:
    problems = [
        p
        for p in check_facts(load_facts(facts_file), load_registry())
        if p.code.startswith("unread-")
    ]
    assert [(p.subject, p.code, p.severity) for p in problems] == [
        ("observations: metric canteen_agri_procurment_total", "unread-metric", "warning"),
        ("submissions: report work_mechanisms", "unread-report", "warning"),
    ]
    assert "did you mean 'canteen_agri_procurement_total'?" in problems[0].message
    assert "(2 records of suzhou units)" in problems[0].message


def test_a_key_read_only_by_another_jurisdiction_is_unread_for_this_one(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text(
        "units: [{id: t, name: 天津某区, kind: district, jurisdiction: tianjin}]\n"
        "submissions: [{unit: t, report: work_mechanism, period_start: 2020-01-01, "
        "period_end: 2020-12-31, delivered: 2020-12-01}]\n",
        encoding="utf-8",
    )
    codes = {p.code for p in check_facts(load_facts(path), load_registry())}
    assert "unread-report" in codes


def test_check_facts_and_evaluate_say_it(
    facts_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--facts", str(facts_file), "--strict"]) == 1
    assert "did you mean 'work_mechanism'?" in capsys.readouterr().out
    main(["evaluate", str(facts_file), "--as-of", "2020-12-31", "-j", "suzhou", "--exit-zero"])
    err = capsys.readouterr().err
    assert "unread-metric" in err and "unread-report" in err


def test_watch_warns_once_per_unread_event_key(tmp_path: Path) -> None:
    facts, obs = _write_inputs(tmp_path)
    day = date(2020, 3, 1)
    events = [
        submission("b1", "monthy", day, date(2020, 3, 31), day),
        submission("b1", "monthy", day, date(2020, 3, 31), day),
        observation("b1", "no_such_metric", day, day, "1"),
        submission("b1", "monthly", day, date(2020, 3, 31), day),
    ]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "xfrules",
            "watch",
            "--facts",
            str(facts),
            "--obligations",
            str(obs),
            "--start",
            day.isoformat(),
        ],
        input="".join(json.dumps(e) + "\n" for e in events).encode(),
        capture_output=True,
        timeout=60,
    )
    err = done.stderr.decode()
    assert err.count("report key 'monthy'") == 1 and "did you mean 'monthly'?" in err
    assert "line 1" in err and "observation metric 'no_such_metric'" in err
    assert "'monthly' is read" not in err
