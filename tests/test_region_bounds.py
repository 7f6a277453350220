"""A region set the document names without listing, but places (甘肃34县 lie in 甘肃): a
purchase from outside its bound certainly does not count, and a deployment lists only regions
inside it. Tianjin's ``gansu_counties`` is such a set (``within: 620000``)."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from xfrules.batch import evaluate_ledgers
from xfrules.entities import Region, Unit
from xfrules.errors import InputError
from xfrules.facts import Facts, RegionSetExtension
from xfrules.ledger.evaluate import evaluate_ledgers_in_memory
from xfrules.registry import load_registry
from xfrules.rulebook import prepare

# These tests read the English texts (what --lang en prints); tests/test_problem_language.py
# holds the Chinese ones.
pytestmark = pytest.mark.usefixtures("xfrules_english")

TOTAL = "tianjin.annual_consumption_total"
CITY = Unit(id="tj", name="天津市", kind="city", jurisdiction="tianjin", region_code="120000")
AS_OF = date(2019, 12, 31)


def _gansu(*regions: Region) -> RegionSetExtension:
    return RegionSetExtension(jurisdiction="tianjin", name="gansu_counties", regions=regions)


def test_a_deployment_cannot_list_a_county_outside_the_bound() -> None:
    facts = Facts(
        units=(CITY,),
        region_sets=(
            _gansu(Region(code="620121", name="永登县"), Region(code="130821", name="承德县")),
        ),
        source="deploy.yaml",
    )
    with pytest.raises(InputError) as err:
        prepare(facts, load_registry())
    (problem,) = err.value.problems
    assert (problem.file, problem.record, problem.field) == (
        "deploy.yaml",
        "region_sets[0].regions[1]",
        "code",
    )
    assert "130821" in problem.message and "620000" in problem.message


def test_a_county_inside_the_bound_is_listed() -> None:
    facts = Facts(units=(CITY,), region_sets=(_gansu(Region(code="620121", name="永登县")),))
    rules = prepare(facts, load_registry())
    assert "620121" in rules.region_sets[("tianjin", "gansu_counties")]


def _ledger(tmp: Path, origin: str) -> Path:
    path = tmp / "ledger.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["交易编号", "买方", "金额", "交易时间", "产地"])
        w.writerow(["t1", "tj", "1000000000", "2019-05-01", "130821"])
        w.writerow(["t2", "tj", "100000000", "2019-05-01", origin])
    return path


@pytest.mark.parametrize(
    ("origin", "status", "shortfall"),
    [
        ("110101", "non_compliant", "100000000.00"),  # 北京: none of the 34, listed or not
        ("620121", "insufficient_evidence", None),  # 永登县: may be one of the 34
    ],
)
def test_memory_and_duckdb_judge_the_bound_alike(
    tmp_path: Path, origin: str, status: str, shortfall: str | None
) -> None:
    ledger = _ledger(tmp_path, origin)
    rules = prepare(Facts(units=(CITY,)), load_registry().select(["tianjin"]))
    memory, _ = evaluate_ledgers_in_memory(rules, [ledger], AS_OF)
    batch = evaluate_ledgers(rules, [ledger], AS_OF, progress=False)
    for evaluation in (memory, batch.evaluation):
        (finding,) = [f for f in evaluation.findings if f.obligation_id == TOTAL]
        assert (finding.status.value, finding.shortfall) == (
            status,
            None if shortfall is None else Decimal(shortfall),
        )


def test_a_plug_in_cannot_list_a_member_outside_its_bound() -> None:
    from pydantic import ValidationError

    from xfrules.entities import RegionSet

    gansu = Region(code="620000", name="甘肃省")
    kept = RegionSet(
        jurisdiction="t",
        name="s",
        title="甘肃",
        within=(gansu,),
        regions=(Region(code="620121", name="永登县"),),
    )
    assert kept.codes == {"620121"}
    with pytest.raises(ValidationError, match="130821 not within 620000"):
        RegionSet(
            jurisdiction="t",
            name="s",
            title="甘肃",
            within=(gansu,),
            regions=(Region(code="130821", name="承德县"),),
        )
