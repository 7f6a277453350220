"""The datonghu plug-in is complete and faithful to 大扶办发〔2020〕10号, and its decisions hold."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

from xfrules.commands.coverage import coverage
from xfrules.evaluator import evaluate
from xfrules.facts import parse_facts
from xfrules.findings import Status
from xfrules.obligations import Coverage, PerCapita, Qualitative, Rate, Reporting
from xfrules.registry import JurisdictionRules, Registry, load_registry

REGISTRY: Registry = load_registry().select(["datonghu"])
RULES: JurisdictionRules = REGISTRY.jurisdictions["datonghu"]
TEXT: str = RULES.document.text if RULES.document else ""

# Names the document writes in a 牵头/责任 list that the rules spell as the declared main name (D9).
CANONICAL = {"区市监局": "区市场监督管理局", "各帮扶单位": "全区各帮扶单位"}


def _ob(ob_id: str) -> object:
    return next(ob for ob in RULES.obligations if ob.id == ob_id)


# --------------------------------------------------------------------------- faithfulness


def test_plugin_loads_without_errors() -> None:
    assert not load_registry().errors
    assert RULES.jurisdiction.document_number == "大扶办发〔2020〕10号"
    assert RULES.jurisdiction.issued == date(2020, 4, 26)


def test_source_is_byte_identical_to_the_shared_copy(xfrules_shared_sources: Path) -> None:
    shipped = (resources.files("xfrules_datonghu") / "source.txt").read_bytes()
    assert shipped == (xfrules_shared_sources / "datonghu.txt").read_bytes()


def test_every_quote_is_verbatim() -> None:
    for ob in RULES.obligations:
        assert ob.source.quote in TEXT, ob.id
        assert ob.source.document == "大扶办发〔2020〕10号"
        for th in getattr(ob, "thresholds", ()):
            assert th.quote is None or th.quote in TEXT, ob.id
    for rs in RULES.region_sets:
        assert rs.source_quote is None or rs.source_quote in TEXT


def _clause_text(clause: str) -> str:
    """The text of a numbered clause like 二（三）, up to the next numbered item."""
    section, _, item = clause.partition("（")
    sec_start = TEXT.index(f"\n{section}、")
    start = TEXT.index(f"（{item}", sec_start) if item else sec_start
    nxt = re.compile(r"\n\s*(?:（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|附件：)")
    match = nxt.search(TEXT, start + 1)
    return TEXT[start : match.start() if match else len(TEXT)]


def _document_departments(clause: str) -> tuple[set[str], set[str]]:
    """The 牵头 and 责任 bodies the clause's closing parenthesis names."""
    body = _clause_text(clause)
    match = re.search(r"（牵头单位：([^）]*)）", body)
    assert match, clause
    lead_part, _, rest = match.group(1).partition("责任单位：")
    lead_names = {n for n in re.split(r"[、，,]", lead_part) if n}
    resp_names = {n.removesuffix("等") for n in re.split(r"[、，,]", rest) if n}

    def canon(names: set[str]) -> set[str]:
        return {CANONICAL.get(n, n) for n in names}

    return canon(lead_names), canon(resp_names)


TASK_CLAUSES = [c.id for c in RULES.clauses if "（" in c.id and "牵头单位" in _clause_text(c.id)]


def test_every_task_with_a_lead_is_found() -> None:
    assert len(TASK_CLAUSES) == 23  # 二 5 + 三 3 + 四 5 + 五 2 + 六 8


@pytest.mark.parametrize("clause", TASK_CLAUSES)
def test_each_task_binds_exactly_the_departments_the_document_names(clause: str) -> None:
    lead, responsible = _document_departments(clause)
    obs = [ob for ob in RULES.obligations if ob.source.clause == clause]
    assert obs, f"no obligation encodes {clause}"
    # The clause's task obligation(s) carry the document's lists exactly.
    exact = [ob for ob in obs if set(ob.lead) == lead and set(ob.responsible) == responsible]
    assert exact, (clause, lead, responsible, [(o.id, o.lead, o.responsible) for o in obs])
    for ob in obs:
        assert set(ob.lead) <= lead, ob.id
        assert set(ob.responsible) <= responsible | lead, ob.id
    # Every body listed is declared as a department.
    for name in lead | responsible:
        assert RULES.department(name) is not None, name


def test_every_named_body_is_declared() -> None:
    named = set(
        re.findall(r"区[^\s，、。；：（）“”《》]{1,10}?(?:局|委|办|部|联|会|分局|台)", TEXT)
    )
    # 地区开展工会活动 is an activity, not a body.
    named -= {"区开展工会"}
    declared = {d.name for d in RULES.departments} | {
        a for d in RULES.departments for a in d.aliases
    }
    for name in ("区扶贫办", "区电视台", "镇扶贫部门", "村委会", "团区委", "各驻村工作队"):
        assert name in TEXT and name in declared
    undeclared = {n for n in named if not any(n in d for d in declared)}
    assert not undeclared, undeclared


def test_every_numbered_clause_is_declared_and_accounted_for() -> None:
    sections = re.findall(r"\n([一二三四五六七八九十]+)、", TEXT)
    ids: list[str] = []
    for section in sections:
        ids.append(section)
        start = TEXT.index(f"\n{section}、")
        nxt = re.search(r"\n[一二三四五六七八九十]+、|\n附件：", TEXT[start + 1 :])
        end = start + 1 + nxt.start() if nxt else len(TEXT)
        ids += [
            f"{section}{m}"
            for m in re.findall(r"\n\s*(（[一二三四五六七八九十]+）)", TEXT[start:end])
        ]
    declared = [c.id for c in RULES.clauses]
    assert ids == [c for c in declared if not c.startswith("附件")]
    assert {"附件1", "附件2"} <= set(declared)
    assert not [c for c in coverage(RULES) if c.problem]


# Every number in the document is either in an obligation's quote or not a target, with a reason.
NOT_TARGETS = {
    "〔2020〕10号": "document number",
    "2020年4月26日": "issue date (D1: valid_from)",
    "〔2018〕129号": "cited State Council document",
    "〔2019〕44号": "cited Hunan document",
    "〔2018〕20号": "cited union finance rules",
    "突出11个贫困村和贫困人口在100人以上的面上村": "scope of the plan (clause 一); region set poor_villages",
    "联系方式：5665855": "contact telephone of 区扶贫办",
    "附件：1．带贫人员名册": "list of annexes",
    "2．消费扶贫证明材料": "list of annexes",
    "附件1\n带贫人员名册": "annex 1 template",
    "附件2\n消费扶贫证明材料": "annex 2 template",
}


def test_every_number_in_the_document_is_encoded_or_explained() -> None:
    covered = [False] * len(TEXT)
    quotes = [ob.source.quote for ob in RULES.obligations] + list(NOT_TARGETS)
    for quote in quotes:
        for match in re.finditer(re.escape(quote), TEXT):
            covered[match.start() : match.end()] = [True] * len(quote)
    loose = [
        TEXT[max(0, m.start() - 10) : m.end() + 10]
        for m in re.finditer(r"[0-9０-９]+", TEXT)
        if not all(covered[m.start() : m.end()])
    ]
    assert not loose, loose


# --------------------------------------------------------------------------- decisions


def test_d1_validity_is_issue_date_to_end_of_2020() -> None:
    for ob in RULES.obligations:
        assert (ob.valid_from, ob.valid_to) == (date(2020, 4, 26), date(2020, 12, 31)), ob.id


def test_d2_union_floor_is_500_per_member_per_calendar_year() -> None:
    ob = _ob("datonghu.union_festival_purchase_per_member")
    assert isinstance(ob, PerCapita)
    assert ob.headcount_attribute == "members"
    assert ob.applies_to == ("union",)
    assert ob.modality == "encouraged" and not ob.approximate
    [th] = ob.thresholds
    assert (th.comparator, th.value, th.unit) == (">=", Decimal(500), "元")
    assert ob.period.frequency == "annual"
    assert set(ob.measure.origin_sets) == {"poverty_areas", "poor_villages"}  # type: ignore[union-attr]
    assert "D2" in ob.notes and "D3" in ob.notes


def test_d5_eleven_villages_are_the_poor_villages_the_deployment_lists() -> None:
    ob = _ob("datonghu.ecommerce_pilot_poor_villages")
    assert isinstance(ob, Coverage)
    assert ob.target_set == "poor_villages"  # 覆盖11个贫困村: those villages, not any 11
    assert ob.measure.aggregate == "distinct_subjects"
    assert ob.thresholds[0].value == 11 and ob.thresholds[0].unit == "个"
    assert ob.lead == ("区发改财政局",)
    poor = RULES.region_set("poor_villages")
    assert poor is not None and poor.extensible and not poor.regions
    assert "D5" in ob.notes


def test_d6_express_coverage_is_all_villages() -> None:
    ob = _ob("datonghu.express_network_coverage")
    assert isinstance(ob, Rate)
    assert ob.thresholds[0].value == 1 and ob.thresholds[0].unit == "ratio"


def test_d10_monthly_report_due_on_the_29th_with_annexes() -> None:
    ob = _ob("datonghu.monthly_report")
    assert isinstance(ob, Reporting)
    assert ob.period.frequency == "monthly" and ob.period.due_day == 29
    assert not ob.period.due_next_month
    assert ob.recipient == "区扶贫办"
    assert ob.required_attachments == ("annex1", "annex2", "sales_vouchers")
    assert set(ob.lead) == {"全区各帮扶单位", "各镇"}


def test_modality_follows_the_verbs() -> None:
    encouraged = {ob.id for ob in RULES.obligations if ob.modality == "encouraged"}
    for ob in RULES.obligations:
        quote = ob.source.quote
        if quote.startswith(("鼓励", "支持")):
            assert ob.id in encouraged, ob.id
        if re.search("应(?!链)|要", quote) or quote.startswith("实现"):
            assert ob.id not in encouraged, ob.id
    # The document says 约/左右/力争 nowhere, so nothing is approximate.
    assert not re.search("约|左右|力争", TEXT)
    assert not [ob.id for ob in RULES.obligations if ob.approximate]


def test_task_duties_bind_named_bodies_only() -> None:
    tasks = [ob for ob in RULES.obligations if isinstance(ob, Qualitative)]
    named = [ob for ob in tasks if ob.named_departments_only]
    assert len(named) >= 20
    for ob in named:
        assert ob.departments, ob.id


def test_february_would_be_due_on_its_last_day() -> None:
    # D10 reading of 29日前 for a short month, checked through the core's calendar.
    from xfrules.periods import month_due

    ob = _ob("datonghu.monthly_report")
    assert isinstance(ob, Reporting)
    assert month_due(ob.period, 2021, 2) == date(2021, 2, 28)
    assert month_due(ob.period, 2020, 2) == date(2020, 2, 29)


def test_region_set_extension_makes_village_purchases_count() -> None:
    facts = parse_facts(
        {
            "units": [
                {
                    "id": "g",
                    "name": "工会",
                    "kind": "union",
                    "jurisdiction": "datonghu",
                    "attributes": {"members": 3},
                }
            ],
            "transactions": [
                {
                    "id": "t",
                    "buyer": "g",
                    "amount": "1500",
                    "date": "2020-10-01",
                    "origin_region": "430921105201",
                    "category": "agricultural",
                }
            ],
        }
    )
    ob_id = "datonghu.union_festival_purchase_per_member"

    def status(f: object) -> Status:
        ev = evaluate(f, date(2020, 12, 31), rules=REGISTRY)  # type: ignore[arg-type]
        return next(x.status for x in ev.findings if x.obligation_id == ob_id)

    # The shipped sets are empty: without the deployment's list the purchase cannot be
    # recognised, so the shortfall lacks evidence rather than being a made-up miss.
    assert status(facts) == Status.INSUFFICIENT_EVIDENCE
    extended = parse_facts(
        {
            **facts.model_dump(mode="json"),
            "region_sets": [
                {
                    "jurisdiction": "datonghu",
                    "name": "poor_villages",
                    "regions": [{"code": "430921105201", "name": "某村"}],
                }
            ],
        }
    )
    assert status(extended) == Status.COMPLIANT
