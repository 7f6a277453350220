"""Scenario files are read strictly: a hole in a regression net must not pass silently."""

from __future__ import annotations

from pathlib import Path

import pytest

from xfrules.errors import InputError
from xfrules.registry import load_registry
from xfrules.scenarios import load_scenarios, run_scenario

UNITS = """\
      units:
        - {id: bu, name: 某预算单位, kind: budget_unit, jurisdiction: suzhou}
"""


def _file(tmp_path: Path, expect: str, *, extra: str = "", top: str = "") -> Path:
    path = tmp_path / "case.yaml"
    path.write_text(
        top
        + "scenarios:\n"
        + "  - name: a case\n"
        + "    as_of: 2020-12-31\n"
        + extra
        + "    facts:\n"
        + UNITS
        + "    expect:\n"
        + expect,
        encoding="utf-8",
    )
    return path


def _problem(path: Path) -> str:
    with pytest.raises(InputError) as info:
        load_scenarios(path)
    return str(info.value)


@pytest.mark.usefixtures("xfrules_english")  # asserts the English texts
def test_a_misspelt_expectation_key_is_an_error_naming_file_and_line(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        "      - unit: bu\n"
        "        obligation: suzhou.canteen_paired_county_share\n"
        "        status: non_compliant\n"
        "        shortfal: '999'\n",
    )
    text = _problem(path)
    assert f"{path}, line 11" in text
    assert "unknown key 'shortfal'" in text and "did you mean 'shortfall'" in text


@pytest.mark.usefixtures("xfrules_english")  # asserts the English texts
def test_a_misspelt_status_key_leaves_no_status_and_is_an_error(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        "      - {unit: bu, obligation: suzhou.canteen_paired_county_share, stauts: compliant}\n",
    )
    text = _problem(path)
    assert "unknown key 'stauts'" in text and "did you mean 'status'" in text
    assert "status" in text and "Field required" in text


def test_a_status_that_is_no_status_is_an_error(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        "      - {unit: bu, obligation: suzhou.canteen_paired_county_share, status: complaint}\n",
    )
    assert "compliant" in _problem(path)  # the allowed values are named


@pytest.mark.usefixtures("xfrules_english")  # asserts the English texts
def test_a_misspelt_scenario_key_is_an_error(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        "      - {unit: bu, obligation: suzhou.canteen_paired_county_share, status: compliant}\n",
        extra="    jurisdiction: [suzhou]\n",
    )
    text = _problem(path)
    assert "line 4" in text and "did you mean 'jurisdictions'" in text


@pytest.mark.usefixtures("xfrules_english")  # asserts the English texts
def test_an_unknown_top_level_key_is_an_error_but_fixtures_are_allowed(tmp_path: Path) -> None:
    expect = (
        "      - {unit: bu, obligation: suzhou.canteen_paired_county_share, status: compliant}\n"
    )
    assert "unknown key 'units'" in _problem(_file(tmp_path, expect, top="units: []\n"))
    assert len(load_scenarios(_file(tmp_path, expect, top="fixtures: {units: []}\n"))) == 1


@pytest.mark.usefixtures("xfrules_english")  # asserts the English texts
def test_an_expectation_naming_an_undefined_unit_is_an_error(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        "      - {unit: ub, obligation: suzhou.canteen_paired_county_share, status: compliant}\n",
    )
    text = _problem(path)
    assert "unit 'ub' is not defined in the scenario's facts (its units: bu)" in text


def test_a_scenario_without_expectations_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("scenarios:\n  - {name: a case, as_of: 2020-12-31, expect: []}\n")
    assert "expect" in _problem(path)


@pytest.mark.usefixtures("xfrules_english")  # asserts the English texts
def test_two_scenarios_of_one_name_are_an_error(tmp_path: Path) -> None:
    path = tmp_path / "twice.yaml"
    one = "  - {name: same, as_of: 2020-12-31, facts: {units: [{id: bu, name: b, kind: budget_unit, jurisdiction: suzhou}]}, expect: [{unit: bu, obligation: suzhou.canteen_paired_county_share, status: compliant}]}\n"
    path.write_text("scenarios:\n" + one + one)
    assert "duplicate scenario name" in _problem(path)


def test_an_expectation_naming_an_obligation_not_installed_fails(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        "      - {unit: bu, obligation: suzhou.canteen_paired_county_shares, status: insufficient_evidence}\n",
    )
    (scenario,) = load_scenarios(path)
    failures = run_scenario(scenario, load_registry())
    assert len(failures) == 1
    assert "no obligation 'suzhou.canteen_paired_county_shares' is installed" in failures[0]
    assert "did you mean 'suzhou.canteen_paired_county_share'" in failures[0]


def test_every_stated_field_is_compared(tmp_path: Path) -> None:
    # The unit has no 2019 baseline: insufficient evidence, nothing measured against a bound.
    right = "      - {unit: bu, obligation: suzhou.canteen_paired_county_share, status: insufficient_evidence, shortfall: null}\n"
    wrong = "      - {unit: bu, obligation: suzhou.canteen_paired_county_share, status: insufficient_evidence, shortfall: '0'}\n"
    registry = load_registry()
    (ok,) = load_scenarios(_file(tmp_path, right))
    assert run_scenario(ok, registry) == []
    (bad,) = load_scenarios(_file(tmp_path, wrong))
    assert run_scenario(bad, registry) == [
        f"{bad.id}: bu / suzhou.canteen_paired_county_share: shortfall expected 0, got None "
        "(证据不足：没有 2019-01-01..2019-12-31 的基数 'canteen_agri_procurement_total'"
        "（目前实际：0.00 元）；计入 0 笔，共 0.00 元)"
    ]


def test_an_expectation_may_name_an_earlier_period(tmp_path: Path) -> None:
    path = tmp_path / "periods.yaml"
    path.write_text(
        """\
scenarios:
  - name: the 2019 verdict stays visible in 2020
    as_of: 2020-06-30
    jurisdictions: [tianjin]
    facts:
      units: [{id: gx, name: 天津市供销合作总社, kind: department, jurisdiction: tianjin, department: 市供销社}]
    expect:
      - {unit: gx, obligation: tianjin.coop_trips_to_assisted_areas, period: 2019-01-01, status: non_compliant}
      - {unit: gx, obligation: tianjin.coop_trips_to_assisted_areas, status: not_yet_due}
      - {unit: gx, obligation: tianjin.coop_trips_to_assisted_areas, period: 2018-01-01, status: compliant}
""",
        encoding="utf-8",
    )
    (scenario,) = load_scenarios(path)
    failures = run_scenario(scenario, load_registry())
    assert failures == [
        f"{scenario.id}: gx / tianjin.coop_trips_to_assisted_areas: no finding for the period "
        "starting 2018-01-01 (periods reported: 2019-01-01, 2020-01-01)"
    ]


def test_an_expectation_may_state_modality_parties_and_breach(tmp_path: Path) -> None:
    path = tmp_path / "parties.yaml"
    path.write_text(
        """\
scenarios:
  - name: a miss of a mandatory share is a breach, with its parties
    as_of: 2020-12-31
    jurisdictions: [suzhou]
    facts:
      units: [{id: bu, name: 某预算单位, kind: budget_unit, jurisdiction: suzhou}]
      observations: [{unit: bu, metric: canteen_agri_procurement_total, period_start: 2019-01-01, period_end: 2019-12-31, value: "100"}]
    expect:
      - {unit: bu, obligation: suzhou.canteen_paired_county_share, status: non_compliant, modality: mandatory, breach: true, participants: []}
      - {unit: bu, obligation: suzhou.canteen_paired_county_share, status: non_compliant, modality: encouraged, breach: false}
""",
        encoding="utf-8",
    )
    (scenario,) = load_scenarios(path)
    failures = run_scenario(scenario, load_registry())
    why = (
        "实际 0.00 元，未达到要求：不低于 5.00 元（含本数）（基数 100.00 元 的 5%，基数来源：事实文件"
        " observations 'canteen_agri_procurement_total' 2019-01-01..2019-12-31；采购额为基数的 0%）"
        "；计入 0 笔，共 0.00 元"
    )
    assert failures == [
        f"{scenario.id}: bu / suzhou.canteen_paired_county_share: modality expected "
        f"'encouraged', got 'mandatory' ({why})",
        f"{scenario.id}: bu / suzhou.canteen_paired_county_share: breach expected False, got "
        f"True ({why})",
    ]
