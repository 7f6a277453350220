"""A list ending in 等 is open (issue 13 item 3): a deployment names the further parties it
binds in its facts file (``parties:``), with the document that says so; a list the document
gives in full takes no addition."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from xfrules.entities import Unit
from xfrules.errors import InputError
from xfrules.evaluator import evaluate
from xfrules.facts import Facts, PartyRecord, load_facts
from xfrules.registry import load_registry

# These tests read the English texts (what --lang en prints); tests/test_problem_language.py
# holds the Chinese ones.
pytestmark = pytest.mark.usefixtures("xfrules_english")

OPEN = "suzhou.direct_supply_departments"  # （市发改委、…、市总工会等负责）
CLOSED = "shanghai.pairing_campaigns"  # its list names every party, no 等
FINANCE = Unit(
    id="cz", name="苏州市财政局", kind="department", department="市财政局", jurisdiction="suzhou"
)


def _finding(facts: Facts, obligation: str) -> str:
    ev = evaluate(facts, date(2020, 12, 31), rules=load_registry())
    (found,) = [f for f in ev.findings if f.obligation_id == obligation and f.unit_id == "cz"]
    return found.status.value


def test_a_party_the_deployment_adds_to_an_open_list_is_bound() -> None:
    assert _finding(Facts(units=(FINANCE,)), OPEN) == "not_applicable"
    added = PartyRecord(
        obligation=OPEN, department="市财政局", document="苏消扶办〔2020〕1号（示例）"
    )
    status = _finding(Facts(units=(FINANCE,), parties=(added,)), OPEN)
    assert status not in ("not_applicable", "compliant")  # bound, and no evidence yet


def test_a_participant_the_deployment_adds_is_recorded_not_judged() -> None:
    added = PartyRecord(
        obligation=OPEN, department="市财政局", role="participants", document="苏消扶办（示例）"
    )
    assert _finding(Facts(units=(FINANCE,), parties=(added,)), OPEN) == "not_applicable"


def test_a_list_given_in_full_takes_no_addition() -> None:
    facts = Facts(
        units=(FINANCE,),
        parties=(PartyRecord(obligation=CLOSED, department="市财政局", document="沪（示例）"),),
        source="deploy.yaml",
    )
    with pytest.raises(InputError) as err:
        evaluate(facts, date(2020, 12, 31), rules=load_registry())
    (problem,) = err.value.problems
    assert (problem.file, problem.record, problem.field) == (
        "deploy.yaml",
        "parties[0]",
        "obligation",
    )
    assert "no list ending in 等" in problem.message


def test_a_misspelt_obligation_is_an_error() -> None:
    facts = Facts(
        units=(FINANCE,),
        parties=(
            PartyRecord(
                obligation="suzhou.no_such_duty", department="市财政局", document="x（示例）"
            ),
        ),
    )
    with pytest.raises(InputError, match=r"no obligation 'suzhou\.no_such_duty'"):
        evaluate(facts, date(2020, 12, 31), rules=load_registry())


def test_the_facts_file_section_is_read_strictly(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text(
        "parties:\n"
        f"  - {{obligation: {OPEN}, department: 市财政局, document: 苏消扶办（示例）}}\n"
        f"  - {{obligation: {OPEN}, departmnet: 市财政局, document: 苏消扶办（示例）}}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        load_facts(path)
    assert [(p.record, p.field) for p in err.value.problems] == [
        ("parties[1]", "department"),
        ("parties[1]", "departmnet"),
    ]


@pytest.mark.parametrize(
    ("text", "is_open"),
    [
        ("（市商务局、市农业农村局等部门负责）", True),
        ("（牵头单位：区直机关工委，责任单位：区总工会、各镇等）", True),
        ("（市国资委等部门配合）", True),
        ("(省教育厅、省扶贫办负责,省移民(脱贫)搬迁开发集团参与)", False),
        ("（市商务局、市农业农村局负责）", False),
    ],
)
def test_a_list_is_open_when_it_ends_in_deng(text: str, is_open: bool) -> None:
    from xfrules.parties import Directory, parse_party_list

    listed = parse_party_list(
        text, Directory.of(load_registry().jurisdictions["suzhou"].departments)
    )
    assert listed is not None and listed.open is is_open
