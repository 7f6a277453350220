"""Suzhou read sentence by sentence (issue 13): every sentence of every task is some duty's own
words, each duty has its own verb's modality, its group obligations are one duty, and the
document's special cases (canteens, 加大旅游推介频率) are judged as the README decides.

These tests read the document itself — its task headings, its 负责 parentheses, its sentences —
and check the encoding against it, so a duty dropped, merged or given the wrong verb fails here.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Any

import pytest

from xfrules import Facts, Finding, GrowthRate, evaluate, load_registry, parse_facts
from xfrules.check import check_rules
from xfrules.coverage import account_sentences
from xfrules.findings import Status
from xfrules.obligations import Obligation
from xfrules.registry import JurisdictionRules
from xfrules.sentences import content_of

REGISTRY = load_registry()
RULES: JurisdictionRules = REGISTRY.jurisdictions["suzhou"]
TEXT: str = RULES.document.text if RULES.document else ""
OBLIGATIONS = {ob.id: ob for ob in RULES.obligations}
REGION_SETS = {k: s.codes for k, s in REGISTRY.region_sets().items()}

# A task: its number, its heading (up to the first 。) and its closing 负责 parenthesis.
TASK = re.compile(
    r"^[（(](?P<num>[一二三四五六七八])[）)]\s*(?P<heading>[^。]+)。(?P<body>.*?)"
    r"(?P<parenthesis>[（(][^（(]*负\s*责[）)])",
    re.M | re.S,
)
TASKS = list(TASK.finditer(TEXT))
ENCOURAGING = ("鼓励", "引导", "支持", "探索", "倡议", "倡导")
# Words of the encouraged list that are not the duty's verb (README D7): a policy or a fund
# that 支持 something, 支持力度 (a noun), an appeal (倡议) issued, what an activity is for.
NOT_THE_VERB = ("政策支持脱贫攻坚", "支持力度", "支持消费扶贫", "发出倡议", "引导全社会参")


def _duties() -> dict[str, list[Obligation]]:
    """Obligations grouped by duty: a duty's obligations quote its words, no other's."""
    groups: dict[str, list[Obligation]] = defaultdict(list)
    for ob in RULES.obligations:
        groups[ob.source.quote].append(ob)
    return groups


DUTIES = _duties()


def _span(quote: str) -> range:
    start = TEXT.index(quote)
    return range(start, start + len(quote))


# --------------------------------------------------------------------------- sentences


def test_the_document_has_eleven_tasks_each_with_a_parenthesis() -> None:
    assert len(TASKS) == 11  # 三（一）…（八）, 四（一）…（三）


# Clauses that bear no duty of their own and are left out of the quote of the duty they serve
# (README D7): the means of a verb, and what a duty is for.
NOT_DUTIES = {
    "发挥东西部扶贫协作和对口支援工作组织及政治优势": "the means of 引导 (direct_supply)",
    "引导全社会参\n\n与，营造良好氛围": "what the 扶贫日 activities and appeal are for",
    "支持消费扶贫。": "what the 受援地's reward fund is for",
}


@pytest.mark.parametrize("task", TASKS, ids=lambda m: m.group("heading"))
def test_every_sentence_of_every_task_is_some_duty(task: re.Match[str]) -> None:
    """Every character of a task's sentences (not its heading, not its parenthesis) is inside
    the quote of some obligation — or of a clause that serves a duty and bears none of its own
    (NOT_DUTIES): no duty-bearing sentence is left without one."""
    covered = {i for ob in RULES.obligations for i in _span(ob.source.quote)}
    covered |= {i for words in NOT_DUTIES for i in _span(words)}
    body = range(task.start("body"), task.end("body"))
    missing = "".join(TEXT[i] for i in body if i not in covered and TEXT[i] not in "，。；、 \n")
    assert not missing, f"{task.group('heading')}: no duty quotes {missing!r}"


def test_the_library_accounts_for_every_sentence_and_check_finds_nothing() -> None:
    """xfrules coverage: every sentence encoded, a heading, a department list or context with a
    reason (二's objectives); xfrules check: no problem but the waived."""
    accounts = account_sentences(RULES)
    assert accounts and not [a.text for a in accounts if a.is_gap]
    assert {a.clause for a in accounts if a.accounting == "context"} == {"序言", "一", "二"}
    assert not [str(p) for p in check_rules(RULES) if p.severity != "waived"]


@pytest.mark.parametrize("task", TASKS, ids=lambda m: m.group("heading"))
def test_no_duty_quotes_a_task_heading(task: re.Match[str]) -> None:
    heading = task.group("heading")
    assert not [ob.id for ob in RULES.obligations if ob.source.quote in heading]


def test_two_duties_never_share_words() -> None:
    """The duties of a sentence partition it: two duties' quotes never overlap, so evidence
    recorded for one is never read as evidence for another's words."""
    spans = sorted(
        ((_span(obs[0].source.quote), key) for key, obs in DUTIES.items()),
        key=lambda item: item[0].start,
    )
    for (a, key_a), (b, key_b) in pairwise(spans):
        assert a.stop <= b.start, (key_a, key_b)


def test_group_obligations_are_one_duty() -> None:
    """The `_departments` / `_districts` / `_work_groups` obligations of a duty share its
    quote, modality, kind and evidence, and differ only in whom they bind (README D6)."""
    for key, obs in DUTIES.items():
        same = {(ob.modality, ob.kind, ob.period, getattr(ob, "evidence", None)) for ob in obs}
        assert len(same) == 1, key
        districts = [ob for ob in obs if ob.id.endswith("_districts")]
        for ob in districts:
            assert ob.applies_to == ("district",)
            # 四（一）'s parenthesis names no district: its 各地各部门 binds the localities (各地)
            expected = (
                ("各地",)
                if ob.source.clause == "四（一）"
                else ("各市、区人民政府", "苏州工业园区管委会", "苏州高新区管委会")
            )
            assert ob.departments == expected, ob.id
        for ob in obs:
            if ob.id.endswith("_work_groups"):
                assert (ob.applies_to, ob.departments) == (("work_group",), ("各前方工作组",))


@pytest.mark.parametrize("task", TASKS, ids=lambda m: m.group("heading"))
def test_work_groups_are_bound_exactly_where_the_parenthesis_names_them(
    task: re.Match[str],
) -> None:
    names_them = "前方工作" in task.group("parenthesis")
    clause = ("三" if task.start() < TEXT.index("四、工作要求") else "四") + f"（{task['num']}）"
    kinds = {k for ob in RULES.obligations if ob.source.clause == clause for k in ob.applies_to}
    assert ("work_group" in kinds) == names_them, clause


# --------------------------------------------------------------------------- modality


def test_modality_is_the_duty_s_own_verb() -> None:
    """Encouraged exactly when the duty's own words hold an encouraging verb (README D7)."""
    for ob in RULES.obligations:
        words = ob.source.quote
        for phrase in NOT_THE_VERB:
            words = words.replace(phrase, "")
        expected = "encouraged" if any(v in words for v in ENCOURAGING) else "mandatory"
        assert ob.modality == expected, (ob.id, ob.source.quote)
    # every listed non-verb use is in the document, and in a mandatory duty or left out of the
    # quote of the mandatory duty it serves (NOT_DUTIES)
    for phrase in NOT_THE_VERB:
        assert phrase in TEXT, phrase
        holders = {ob.modality for ob in RULES.obligations if phrase in ob.source.quote}
        served = any(phrase in content_of(words) for words in NOT_DUTIES)
        assert holders == {"mandatory"} or (served and not holders), phrase


def test_encouraged_and_mandatory_sentences_of_a_task_are_separate_duties() -> None:
    """The issue's example (三（四）): the encouraged e-commerce shops and the mandatory reward
    fund are duties of their own, with their own evidence, beside the task's mandatory duties."""

    def holder(words: str) -> list[Obligation]:
        return [ob for ob in RULES.obligations if words in ob.source.quote]

    shops = holder("鼓励食行生鲜、邮乐购等更多的大型电商为受援地设立扶贫专卖店、电商扶贫馆")
    fund = holder("受援地应设立消费扶贫奖励资金")
    assert {ob.modality for ob in shops} == {"encouraged"} and len(shops) == 3
    assert [(ob.modality, ob.applies_to) for ob in fund] == [("mandatory", ("paired_county",))]
    task = [ob for ob in RULES.obligations if ob.source.clause == "三（四）"]
    assert {ob.modality for ob in task} == {"mandatory", "encouraged"}
    assert len({getattr(ob, "evidence", None) for ob in task}) == 6  # six duties


def test_no_aspirational_duty_because_the_document_never_says_力争() -> None:
    assert "力争" not in TEXT
    assert all(ob.modality != "aspirational" for ob in RULES.obligations)


# --------------------------------------------------------------------------- who is bound


def test_a_sentence_that_names_its_party_binds_that_party() -> None:
    expected = {
        "suzhou.pairing_units_include_consumption": ("结对帮扶单位", ("pairing_unit",)),
        "suzhou.paired_county_reward_fund": ("受援地应", ("paired_county",)),
        "suzhou.union_activities_in_paired_areas": ("各级工会", ("union",)),
        "suzhou.recuperation_base_departments": ("各地各部门", ("department",)),
        "suzhou.progress_summary_departments": ("各地各部门", ("department",)),
        "suzhou.canteen_national_poverty_share": ("各预算单位", ("budget_unit",)),
    }
    for oid, (party, kinds) in expected.items():
        ob = OBLIGATIONS[oid]
        assert party in ob.source.quote and ob.applies_to == kinds, oid
        assert not ob.named_departments_only, oid  # every unit of that kind
    # ... and not the task's parenthesis bodies (they were recorded as responsible before)
    assert not OBLIGATIONS["suzhou.paired_county_reward_fund"].departments


def test_the_three_bodies_of_one_sentence_are_bound_each_by_its_own_verb() -> None:
    """三（二）: 教育部门指导院校、卫生健康部门鼓励属地公立医院、机关事务管理局指导食堂…"""
    got = {
        OBLIGATIONS[oid].responsible: OBLIGATIONS[oid].modality
        for oid in (
            "suzhou.schools_paired_procurement",
            "suzhou.hospitals_paired_procurement",
            "suzhou.canteens_paired_procurement",
        )
    }
    assert got == {
        ("市教育局",): "mandatory",
        ("市卫生健康委",): "encouraged",
        ("机关事务管理局",): "mandatory",
    }


# --------------------------------------------------------------------------- canteens


def _unit(**extra: Any) -> dict[str, Any]:
    return {"id": "u", "name": "单位", "kind": "budget_unit", "jurisdiction": "suzhou", **extra}


def _canteen_facts(unit: dict[str, Any]) -> Facts:
    return parse_facts(
        {
            "units": [unit],
            "observations": [
                {
                    "unit": "u",
                    "metric": "canteen_agri_procurement_total",
                    "period_start": "2019-01-01",
                    "period_end": "2019-12-31",
                    "value": "1000000",
                }
            ],
            "transactions": [
                {
                    "id": "t",
                    "buyer": "u",
                    "amount": "1000",
                    "date": "2020-06-01",
                    "origin_region": "520621",
                    "category": "agricultural",
                }
            ],
        }
    )


def _judge(facts: Facts, oid: str, as_of: date = date(2020, 12, 31)) -> Finding:
    ev = evaluate(facts, as_of, obligations=[OBLIGATIONS[oid]], region_sets=REGION_SETS)
    (finding,) = ev.findings
    return finding


@pytest.mark.parametrize(
    "oid", ["suzhou.canteen_national_poverty_share", "suzhou.canteen_paired_county_share"]
)
def test_canteen_shares_require_a_canteen(oid: str) -> None:
    """README D13: a budget unit the facts say has no canteen is not bound by the shares."""
    without = _judge(_canteen_facts(_unit(lacks=["canteen"])), oid)
    assert without.status is Status.NOT_APPLICABLE and "canteen" in without.explanation
    said_nothing = _judge(_canteen_facts(_unit()), oid)
    assert said_nothing.status is Status.NON_COMPLIANT  # 1,000 元 is short of 5% and of 10%
    assert [ob.id for ob in RULES.obligations if ob.requires] == [
        "suzhou.canteen_national_poverty_share",
        "suzhou.canteen_paired_county_share",
    ]


# --------------------------------------------------------------------------- 加大旅游推介频率


def _promotions(in_2019: str, in_2020: str) -> Facts:
    unit = {"id": "u", "name": "苏州市文广旅局", "kind": "department", "jurisdiction": "suzhou"}
    return parse_facts(
        {
            "units": [{**unit, "department": "市文广旅局"}],
            "observations": [
                {"unit": "u", "metric": "tourism_promotion_events", "value": value}
                | {"period_start": day, "period_end": day}
                for value, day in ((in_2019, "2019-05-01"), (in_2020, "2020-05-01"))
            ],
        }
    )


@pytest.mark.parametrize(
    ("before", "now", "status", "shortfall"),
    [
        ("3", "4", Status.COMPLIANT, Decimal(0)),
        ("3", "3", Status.NON_COMPLIANT, Decimal(1)),  # 加大: as many as in 2019 is no increase
        ("0", "2", Status.COMPLIANT, Decimal(0)),  # from a reported 0: growth (G3, the core's)
        ("0", "0", Status.NON_COMPLIANT, Decimal(1)),  # 0 again is no increase
    ],
)
def test_more_tourism_promotions_than_in_2019(
    before: str, now: str, status: Status, shortfall: Decimal | None
) -> None:
    f = _judge(_promotions(before, now), "suzhou.tourism_promotion_growth_departments")
    assert (f.status, f.shortfall) == (status, shortfall), f.explanation


def test_only_frequency_is_a_growth_above_zero() -> None:
    """README D11: of the document's 加大/提高/提升, only 加大旅游推介频率 names a measured
    quantity; every other (力度, 水平, 程度, 能力, 知晓度, 覆盖面) is a qualitative duty."""
    above_zero = [
        ob for ob in RULES.obligations if isinstance(ob, GrowthRate) and ob.thresholds[0].value == 0
    ]
    assert {ob.source.quote for ob in above_zero} == {"加大旅游推介频率"}
    assert all(ob.thresholds[0].comparator == ">" for ob in above_zero)
    assert len(above_zero) == 3  # named bodies, districts, work groups
    for ob in RULES.obligations:
        if re.search(r"(加大|提高|提升).*(力度|水平|程度|能力|知晓度|覆盖面)", ob.source.quote):
            assert ob.kind == "qualitative", ob.id


def test_each_finding_of_a_task_carries_its_own_duty_s_modality() -> None:
    """三（四） for a named body with no evidence at year end: one finding per duty, each lacking
    its own evidence and carrying its own modality, so an auditor sees which duty is missing
    and that an encouraged one is not a mandatory duty (README D7, D8)."""
    unit = {"id": "u", "name": "苏州市商务局", "kind": "department", "jurisdiction": "suzhou"}
    facts = parse_facts({"units": [{**unit, "department": "市商务局"}]})
    task = [
        ob
        for ob in RULES.obligations
        if ob.source.clause == "三（四）" and ob.id.endswith("_departments")
    ]
    ev = evaluate(facts, date(2020, 12, 31), obligations=task, region_sets=REGION_SETS)
    assert {f.status for f in ev.findings} == {Status.INSUFFICIENT_EVIDENCE}
    assert {f.obligation_id: f.modality for f in ev.findings} == {
        "suzhou.demonstration_departments": "mandatory",
        "suzhou.supply_chain_funding_departments": "mandatory",
        "suzhou.ecommerce_poverty_shops_departments": "encouraged",
        "suzhou.circulation_enterprises_supported_departments": "encouraged",
        "suzhou.farm_to_table_linkage_departments": "mandatory",
    }
