"""Deployment data in a facts file: allocations giving the shares a document leaves to another
notice, and region-set extensions — checked against the rules, never silently ignored."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from xfrules.errors import InputError
from xfrules.evaluator import evaluate
from xfrules.facts import parse_facts
from xfrules.findings import Status
from xfrules.registry import load_registry
from xfrules.rulebook import prepare

# These tests read the English texts (what --lang en prints); tests/test_problem_language.py
# holds the Chinese ones.
pytestmark = pytest.mark.usefixtures("xfrules_english")

TOTAL = "tianjin.annual_consumption_total"
DOC = "津消扶组〔2019〕2号 附件（示例）"
HEPING = {
    "id": "hp",
    "name": "和平区",
    "kind": "district",
    "jurisdiction": "tianjin",
    "region_code": "120101",
}
HEDONG = {
    "id": "hd",
    "name": "河东区",
    "kind": "district",
    "jurisdiction": "tianjin",
    "region_code": "120102",
}
AS_OF = date(2019, 12, 31)
HEPING_50M = {
    "obligation": TOTAL,
    "unit": "hp",
    "name": "和平区",
    "value": "50000000",
    "document": DOC,
}


def _tx(i: int, buyer: str, amount: str) -> dict[str, Any]:
    # A purchase from the first county of the plug-in's assisted Gansu counties.
    return {
        "id": f"t{i}",
        "buyer": buyer,
        "amount": amount,
        "date": "2019-06-01",
        "origin_region": _assisted_code(),
    }


def _assisted_code() -> str:
    # A county of a set the plug-in lists (its 甘肃 set ships empty: the deployment lists it).
    rules = load_registry().jurisdictions["tianjin"]
    chengde = rules.region_set("chengde_counties")
    assert chengde is not None and chengde.regions
    return chengde.regions[0].code


def _findings(doc: dict[str, Any]) -> dict[str, Any]:
    facts = parse_facts(doc, source="deploy.yaml")
    registry = load_registry().select(["tianjin"])
    return {
        f.unit_id: f
        for f in evaluate(facts, AS_OF, rules=registry).findings
        if f.obligation_id == TOTAL
    }


def test_a_facts_file_allocation_gives_the_share_the_document_does_not() -> None:
    unknown = _findings({"units": [HEPING, HEDONG], "transactions": [_tx(1, "hp", "50000000")]})
    # The plug-in invents no share: without the facts file's, the district lacks evidence.
    assert unknown["hp"].status is Status.INSUFFICIENT_EVIDENCE and unknown["hp"].required is None
    found = _findings(
        {
            "units": [HEPING, HEDONG],
            "transactions": [_tx(1, "hp", "50000000")],
            "allocations": [
                {
                    "obligation": TOTAL,
                    "region_code": "120101",
                    "name": "和平区",
                    "value": "5000万元",
                    "document": DOC,
                },
            ],
        }
    )
    assert found["hp"].required == Decimal(50_000_000)
    assert found["hp"].status is Status.COMPLIANT  # 以上: inclusive at exactly the share
    assert DOC in found["hp"].explanation
    # The deployment's records replace the plug-in's for the obligation: a district they do
    # not name has no known share (insufficient evidence), not the placeholder.
    assert found["hd"].status is Status.INSUFFICIENT_EVIDENCE


def test_allocations_by_unit_id_and_one_cent_short() -> None:
    found = _findings(
        {
            "units": [HEPING],
            "transactions": [_tx(1, "hp", "49999999.99")],
            "allocations": [HEPING_50M],
        }
    )
    assert found["hp"].status is Status.NON_COMPLIANT
    assert found["hp"].shortfall == Decimal("0.01")


@pytest.mark.parametrize(
    ("record", "field"),
    [
        (
            {
                "obligation": TOTAL,
                "unit": "hp",
                "region_code": "120101",
                "name": "x",
                "value": "1",
                "document": DOC,
            },
            "",
        ),
        ({"obligation": TOTAL, "unit": "hp", "name": "x", "value": "-1", "document": DOC}, "value"),
        ({"obligation": TOTAL, "unit": "hp", "name": "x", "value": "1"}, "document"),
        (
            {"obligation": TOTAL, "unit": "ghost", "name": "x", "value": "1", "document": DOC},
            "unit",
        ),
        (
            {
                "obligation": TOTAL,
                "region_code": "999999",
                "name": "x",
                "value": "1",
                "document": DOC,
            },
            "region_code",
        ),
    ],
)
def test_bad_allocation_records_are_named(record: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as info:
        parse_facts({"units": [HEPING], "allocations": [record]}, source="deploy.yaml")
    (problem,) = info.value.problems
    assert problem.file == "deploy.yaml" and problem.record.startswith("allocations[0]")
    assert problem.field == field


def test_the_same_share_twice_is_refused() -> None:
    record = {"obligation": TOTAL, "unit": "hp", "name": "和平区", "value": "1", "document": DOC}
    with pytest.raises(InputError) as info:
        parse_facts({"units": [HEPING], "allocations": [record, record]}, source="d.yaml")
    assert "allocated more than once" in str(info.value)


@pytest.mark.parametrize(
    ("doc", "record", "message"),
    [
        (
            {
                "allocations": [
                    {
                        "obligation": "tianjin.no_such_target",
                        "unit": "hp",
                        "name": "x",
                        "value": "1",
                        "document": DOC,
                    }
                ]
            },
            "allocations[0]",
            "no obligation 'tianjin.no_such_target'",
        ),
        (
            {
                "allocations": [
                    {
                        "obligation": "NON_DECOMPOSABLE",
                        "unit": "hp",
                        "name": "x",
                        "value": "1",
                        "document": DOC,
                    }
                ]
            },
            "allocations[0]",
            "only amount and count targets",
        ),
        (
            {
                "region_sets": [
                    {
                        "jurisdiction": "tianjin",
                        "name": "gansu_countys",
                        "regions": [{"code": "620102", "name": "城关区"}],
                    }
                ]
            },
            "region_sets[0]",
            "no region set 'gansu_countys'",
        ),
    ],
)
def test_deployment_data_naming_what_the_rules_lack_is_an_error(
    doc: dict[str, Any], record: str, message: str
) -> None:
    registry = load_registry()
    for record_ in doc.get("allocations", []):
        if record_["obligation"] == "NON_DECOMPOSABLE":  # any other kind of the plug-in
            record_["obligation"] = next(
                o.id
                for o in registry.jurisdictions["tianjin"].obligations
                if o.kind not in ("amount_target", "count_target")
            )
    facts = parse_facts({"units": [HEPING], **doc}, source="deploy.yaml")
    with pytest.raises(InputError) as info:
        evaluate(facts, AS_OF, rules=registry.select(["tianjin"]))
    (problem,) = info.value.problems
    assert problem.file == "deploy.yaml" and problem.record == record
    assert message in problem.message


def test_another_jurisdictions_data_is_left_alone_when_it_is_not_evaluated() -> None:
    facts = parse_facts(
        {
            "units": [HEPING],
            "region_sets": [
                {
                    "jurisdiction": "suzhou",
                    "name": "not_checked_here",
                    "regions": [{"code": "522601", "name": "凯里市"}],
                }
            ],
        }
    )
    evaluation = evaluate(facts, AS_OF, rules=load_registry().select(["tianjin"]))
    assert evaluation.findings  # evaluated, no error


def test_the_batch_backend_applies_the_same_allocations(tmp_path: Path) -> None:
    from xfrules.batch import evaluate_ledgers

    ledger = tmp_path / "ledger.csv"
    ledger.write_text(
        f"id,buyer,amount,date,origin_region\nt1,hp,50000000,2019-06-01,{_assisted_code()}\n",
        encoding="utf-8",
    )
    facts = parse_facts(
        {
            "units": [HEPING],
            "allocations": [HEPING_50M],
        }
    )
    registry = load_registry().select(["tianjin"])
    result = evaluate_ledgers(prepare(facts, registry), [ledger], AS_OF, progress=False)
    (finding,) = [f for f in result.evaluation.findings if f.obligation_id == TOTAL]
    assert finding.required == Decimal(50_000_000) and finding.status is Status.COMPLIANT


def test_the_monitor_applies_the_same_allocations_and_checks() -> None:
    from xfrules.monitor import Monitor

    registry = load_registry().select(["tianjin"])
    facts = parse_facts({"units": [HEPING], "allocations": [HEPING_50M]})
    with Monitor.from_registry(facts, start=AS_OF, registry=registry) as monitor:
        tx = _tx(1, "hp", "50000000")
        monitor.post({"type": "transaction", **tx})
        finding = monitor.finding("hp", TOTAL)
    assert finding.required == Decimal(50_000_000) and finding.status is Status.COMPLIANT
    typo = parse_facts(
        {
            "units": [HEPING],
            "region_sets": [
                {
                    "jurisdiction": "tianjin",
                    "name": "gansu_countys",
                    "regions": [{"code": "620102", "name": "城关区"}],
                }
            ],
        },
        source="deploy.yaml",
    )
    with pytest.raises(InputError, match="gansu_countys"):
        Monitor.from_registry(typo, start=AS_OF, registry=registry)


def test_rules_defined_outside_a_plugin_may_take_their_sets_from_the_facts_file() -> None:
    from xfrules.obligations import obligation_adapter

    paired = obligation_adapter.validate_python(
        {
            "id": "own.paired_total",
            "jurisdiction": "own",
            "kind": "amount_target",
            "title": "结对地区采购",
            "applies_to": ["budget_unit"],
            "source": {"document": "自定〔2020〕1号", "clause": "一", "quote": "采购额"},
            "valid_from": "2020-01-01",
            "valid_to": "2020-12-31",
            "period": {"frequency": "annual"},
            "measure": {"source": "transactions", "origin_sets": ["paired"]},
            "thresholds": [{"comparator": ">=", "value": "100", "unit": "元"}],
        }
    )
    doc: dict[str, Any] = {
        "units": [{"id": "b", "name": "局", "kind": "budget_unit", "jurisdiction": "own"}],
        "transactions": [
            {
                "id": "t",
                "buyer": "b",
                "amount": "100",
                "date": "2020-05-01",
                "origin_region": "522601",
            }
        ],
        "region_sets": [
            {
                "jurisdiction": "own",
                "name": "paired",
                "regions": [{"code": "522601", "name": "凯里市"}],
            }
        ],
    }
    (finding,) = evaluate(
        parse_facts(doc), date(2020, 12, 31), obligations=[paired], region_sets={}
    ).findings
    assert finding.status is Status.COMPLIANT and finding.measured == Decimal(100)
    doc["region_sets"][0]["name"] = "piared"
    with pytest.raises(InputError, match=r"no region set 'piared'.*paired"):
        evaluate(parse_facts(doc), date(2020, 12, 31), obligations=[paired], region_sets={})
