"""The datonghu plug-in is complete and faithful to 大扶办发〔2020〕10号, and its decisions hold."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

from xfrules.commands.coverage import coverage
from xfrules.coverage import account_sentences
from xfrules.evaluator import evaluate
from xfrules.facts import parse_facts
from xfrules.findings import Finding, Status
from xfrules.obligations import Coverage, GrowthRate, PerCapita, Qualitative, Rate, Reporting
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
    unnumbered = [c.id for c in RULES.clauses if c.starts]  # the notice and the plan's title
    assert unnumbered == ["印发通知", "序言"]
    assert ids == [c for c in declared if not c.startswith("附件") and c not in unnumbered]
    assert {"附件1", "附件2"} <= set(declared)
    assert not [c for c in coverage(RULES) if c.problem]


def test_every_sentence_is_a_duty_a_heading_a_department_list_or_context() -> None:
    """Sentence-level coverage (issue 13, D23): no gap, and context only where decided."""
    accounts = account_sentences(RULES)
    assert not [(a.clause, a.index, a.text) for a in accounts if a.is_gap]
    context_in_tasks = [a for a in accounts if a.accounting == "context" and "（" in a.clause]
    # Inside the 23 tasks only 四（五）'s opening principles and 六（八）'s contact person and
    # annex list are context; every other sentence of a task is a duty, its heading or its list.
    assert [(a.clause, a.index) for a in context_in_tasks] == [
        ("四（五）", 2),
        ("六（八）", 3),
        ("六（八）", 5),
        ("六（八）", 6),
    ]
    assert all(a.reason for a in accounts if a.accounting == "context")
    tasks = {a.clause for a in accounts if a.accounting == "parties"}
    assert len(tasks) == 23


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


# --------------------------------------------------------------------------- bound as written (D18)


def _parenthesis(clause: str) -> tuple[set[str], set[str]]:
    return _document_departments(clause)


def _named_in(name: str, quote: str) -> bool:
    """Whether the duty's own words name the body: its name, an alias, or the phrase a
    collective stands for (工会 → 全区各级工会组织)."""
    dept = RULES.department(name)
    spellings = {name, *(dept.aliases if dept else ())}
    spellings |= SENTENCE_SPELLINGS.get(name, set())
    return any(s in quote for s in spellings)


# How a sentence writes a party that is declared under a collective name.
SENTENCE_SPELLINGS = {
    "全区各级工会组织": {"工会"},
    "全区各帮扶单位": {"驻村帮扶单位"},
    "各驻村帮扶工作队": {"各驻村工作队"},
    "区扶贫办": {"区扶贫办"},
}


@pytest.mark.parametrize("clause", TASK_CLAUSES)
def test_lead_and_responsible_keep_their_parenthesis_roles(clause: str) -> None:
    lead, responsible = _parenthesis(clause)
    for ob in [o for o in RULES.obligations if o.source.clause == clause]:
        # A 牵头单位 is never made responsible, a 责任单位 never lead (三（三） lists
        # 区科技工信局 as both, as written).
        assert not (set(ob.responsible) & (lead - responsible)), ob.id
        assert not (set(ob.lead) & (responsible - lead)), ob.id
        assert not ob.participants, ob.id  # the document says 参与/配合 of no body


@pytest.mark.parametrize("clause", TASK_CLAUSES)
def test_every_body_of_a_parenthesis_is_bound_by_a_duty_of_its_task(clause: str) -> None:
    lead, responsible = _parenthesis(clause)
    obs = [o for o in RULES.obligations if o.source.clause == clause]
    bound = {d for o in obs for d in o.departments}
    assert lead | responsible <= bound, (lead | responsible) - bound


@pytest.mark.parametrize("clause", TASK_CLAUSES)
def test_a_party_outside_the_parenthesis_is_named_by_the_duty_itself(clause: str) -> None:
    lead, responsible = _parenthesis(clause)
    for ob in [o for o in RULES.obligations if o.source.clause == clause]:
        for name in set(ob.departments) - lead - responsible:
            assert _named_in(name, ob.source.quote), (ob.id, name)


def test_d7_the_product_catalogue_binds_the_bodies_its_sentences_name() -> None:
    survey = _ob("datonghu.poverty_product_survey")
    catalogue = _ob("datonghu.poverty_product_catalogue")
    assert survey.lead == ("镇扶贫部门",)  # 由镇扶贫部门组织…
    assert {"各驻村帮扶工作队", "村委会"} <= set(survey.responsible)
    assert "区扶贫办" in catalogue.lead  # 区扶贫办会同相关行业单位进行审定
    # 会同: joint action by the sector units, bound, not mere participants (D20)
    assert {"区市场监督管理局", "区生态环保分局"} <= set(catalogue.responsible)
    assert not survey.participants and not catalogue.participants
    village_committees = RULES.department("村委会")
    assert village_committees is not None and village_committees.covers_kinds == ("village",)


def test_d18_a_named_actor_alone_is_bound() -> None:
    tv = _ob("datonghu.publicity_task")
    assert tv.departments == ("区电视台",) and tv.named_departments_only
    for ob_id in ("towns_product_certification", "towns_rural_tourism_upgrade"):
        ob = _ob(f"datonghu.{ob_id}")
        assert ob.applies_to == ("town",) and ob.departments == ("各镇",), ob_id
    assert _ob("datonghu.assisting_units_promotion").departments == ("全区各帮扶单位",)
    assert _ob("datonghu.union_festival_purchase_per_member").departments == ("全区各级工会组织",)


def test_d19_each_unit_is_every_department_not_the_towns() -> None:
    each_unit = RULES.department("各单位")
    assert each_unit is not None and each_unit.covers_kinds == ("department",)
    quoted = [o for o in RULES.obligations if "各单位" in o.source.quote]
    assert {o.id for o in quoted} >= {
        "datonghu.work_mechanism",
        "datonghu.supervision_and_follow_up",
        "datonghu.monthly_report",
    }
    for ob in quoted:
        assert "各单位" in ob.departments, ob.id
        if "各镇" not in ob.source.quote:
            assert "town" not in ob.applies_to, ob.id


def test_d25_canteen_duties_bind_only_units_with_a_canteen() -> None:
    canteen = [o for o in RULES.obligations if "食堂" in o.source.quote]
    assert len(canteen) == 3
    for ob in canteen:
        assert ob.requires == ("canteen",), ob.id


# --------------------------------------------------------------------------- modality (D15, D17, D24)

ENCOURAGING = re.compile("鼓励|支持|引导|倡议|倡导|探索")

# Mandatory duties whose words contain an encouraging verb, each decided (README).
DELIBERATE_MANDATORY = {
    "datonghu.union_canteen_advocacy": "应积极向单位建议倡导: 倡导 is what 应 requires of the union (D4)",
    "datonghu.financial_support_task": "金融支持力度: 支持 is a noun (D24)",
    "datonghu.land_support_task": "用地支持力度: 支持 is a noun (D24)",
}

# Encouraging words outside every duty's quote: headings, principles, and words that are no verb.
NOT_DUTIES = (
    "坚持政府引导、社会参与",  # 一 总体要求: a principle
    "（五）动员引导社会各界广泛参与",  # headings
    "（二）落实财政支持政策",
    "（三）加大金融支持力度",
    "（四）完善用地支持政策",
)


def test_modality_follows_each_duty_own_words() -> None:
    for ob in RULES.obligations:
        words = ENCOURAGING.findall(ob.source.quote)
        if ob.modality == "encouraged":
            assert words, ob.id
        elif ob.id not in DELIBERATE_MANDATORY:
            assert not words, (ob.id, words)
        if ENCOURAGING.match(ob.source.quote):
            assert ob.modality == "encouraged", ob.id
    # The document says 约/左右/力争 nowhere: nothing is approximate or aspirational.
    assert not re.search("约|左右|力争", TEXT)
    assert not [o.id for o in RULES.obligations if o.approximate or o.modality == "aspirational"]


MODAL = re.compile(
    "鼓励|支持|引导|倡议|倡导|探索|(?<![主重需])要(?!求)|(?<![供相适])应(?!用)|确保|实现"
)


def test_d17_a_modal_word_governs_the_clauses_after_it_in_its_sentence() -> None:
    """A duty quoted from mid-sentence with no modal word of its own takes the modality of the
    last modal word before it in the sentence (鼓励区电视台…，大力宣传推介… is encouraged);
    the one deliberate exception carries a waiver."""
    followers = 0
    for ob in RULES.obligations:
        at = TEXT.index(ob.source.quote)
        start = max(TEXT.rfind("。", 0, at), TEXT.rfind("\n", 0, at)) + 1
        before = MODAL.findall(TEXT[start:at])
        first_clause = re.split("[，；]", ob.source.quote, maxsplit=1)[0]
        if not before or MODAL.search(first_clause):
            continue
        followers += 1
        governed = "encouraged" if ENCOURAGING.fullmatch(before[-1]) else "mandatory"
        if ob.waived("modality"):
            assert ob.modality != governed, ob.id
        else:
            assert ob.modality == governed, (ob.id, before[-1])
    assert followers >= 2


def test_every_encouraging_word_of_the_document_is_read() -> None:
    """Each 鼓励/支持/引导/倡议/倡导/探索 is in an encouraged duty's words, a decided mandatory
    one's, or a heading or principle."""
    spans: list[tuple[int, int]] = []
    for ob in RULES.obligations:
        if ob.modality == "encouraged" or ob.id in DELIBERATE_MANDATORY:
            spans += [(m.start(), m.end()) for m in re.finditer(re.escape(ob.source.quote), TEXT)]
    for phrase in NOT_DUTIES:
        spans += [(m.start(), m.end()) for m in re.finditer(re.escape(phrase), TEXT)]
    unread = [
        TEXT[m.start() - 8 : m.end() + 8]
        for m in ENCOURAGING.finditer(TEXT)
        if not any(a <= m.start() and m.end() <= b for a, b in spans)
    ]
    assert not unread, unread


def test_a_directive_inside_an_encouraged_task_is_mandatory() -> None:
    # issue 13's example: 三（一） opens with 支持 but 组织企业参加…展会 is a directive.
    assert _ob("datonghu.supply_chain_task").modality == "encouraged"
    assert _ob("datonghu.trade_fair_participation").modality == "mandatory"
    # and the other way round: 鼓励 inside a mandatory task (五（二）)
    assert _ob("datonghu.travel_agency_reward_policy").modality == "mandatory"
    assert _ob("datonghu.tourism_cooperatives").modality == "encouraged"


# --------------------------------------------------------------------------- growth (D21)

# 扩大/提高/增加/提升/加大 whose object is no measured quantity, with why.
NOT_MEASURED = {
    "质量提升": "一: a field of the plan, not a target",
    "扩大贫困户的产品和服务消费": "section heading 二",
    "提高农产品规模收储": "…能力: a capability",
    "加大村级信息员培训力度": "力度: an effort, no count",
    "提升农产品供给水平和质量": "section heading 四",
    "提高农业产业科技化水平和农产品品质": "a level and a quality, not measured",
    "提升农产品规模化供给水平": "heading 四（二）",
    "加大监管力度": "力度: an effort",
    "提升交通通达性和游客便利度": "accessibility, not measured",
    "提升服务能力": "heading 五（二）",
    "提升贫困户规范化服务和标准化水平": "a level, not measured",
    "加大金融支持力度": "heading 六（三） and 力度",
    "加大对区域内从事": "金融支持力度: an effort",
    "加大对消费扶贫用地支持力度": "力度: an effort",
    "加大电视广告宣传力度": "力度: an effort",
    "加大工作力度": "力度: an effort",
}


def test_d21_every_increase_of_a_measured_quantity_is_growth_above_zero() -> None:
    growth = {th.quote: ob for ob in RULES.obligations for th in getattr(ob, "thresholds", ())}
    growth = {q: ob for q, ob in growth.items() if isinstance(ob, GrowthRate)}
    assert set(growth) == {
        "扩大农特产品网销规模",
        "提高农产品初加工率",
        "扩大劳务就业",
        "增加消费扶贫信贷投放量",
    }
    for quote, ob in growth.items():
        [th] = ob.thresholds
        assert (th.comparator, th.value, th.unit) == (">", Decimal(0), "ratio"), ob.id
        assert quote in ob.source.quote and "D21" in ob.notes
    assert _ob("datonghu.primary_processing_rate_growth").measure_unit == "ratio"
    assert _ob("datonghu.towns_labour_employment_growth").measure_unit == "人"

    def spans(phrases: object) -> list[tuple[int, int]]:
        return [
            (m.start(), m.end())
            for p in phrases  # type: ignore[attr-defined]
            for m in re.finditer(re.escape(p), TEXT)
        ]

    read = spans(growth) + spans(NOT_MEASURED)
    unread = [
        TEXT[m.start() : m.start() + 12]
        for m in re.finditer("扩大|提高|增加|提升|加大", TEXT)
        if not any(a <= m.start() < b for a, b in read)
    ]
    assert not unread, unread


def test_no_stated_number_is_never_a_count() -> None:
    # 一批 (D8): every duty saying it is judged on evidence, never counted.
    batch = [o for o in RULES.obligations if "一批" in o.source.quote]
    assert len(batch) == 5  # 培育/实施/打造/打造/推介一批
    assert all(isinstance(o, Qualitative) for o in batch)


def test_each_duty_has_its_own_evidence() -> None:
    keys = [o.evidence for o in RULES.obligations if isinstance(o, Qualitative)]
    assert len(keys) == len(set(keys))


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


def test_task_duties_bind_named_bodies_only() -> None:
    tasks = [ob for ob in RULES.obligations if isinstance(ob, Qualitative)]
    named = [ob for ob in tasks if ob.named_departments_only]
    assert len(named) >= 70
    for ob in named:
        assert ob.departments, ob.id
    # The two canteen duties bind by kind (every organ with a canteen), the rest by name.
    assert {o.id for o in tasks if not o.named_departments_only} == {
        "datonghu.organs_lead_by_example",
        "datonghu.canteen_directed_procurement_task",
    }


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


def _finding(facts: dict[str, object], ob_id: str, unit: str, as_of: date) -> Finding:
    ev = evaluate(parse_facts(facts), as_of, rules=REGISTRY)
    return next(f for f in ev.findings if f.obligation_id == ob_id and f.unit_id == unit)


def _district_growth(metric: str, before: str, after: str) -> dict[str, object]:
    return {
        "units": [{"id": "q", "name": "大通湖区", "kind": "district", "jurisdiction": "datonghu"}],
        "observations": [
            {
                "unit": "q",
                "metric": metric,
                "period_start": f"{year}-01-01",
                "period_end": f"{year}-12-31",
                "value": value,
            }
            for year, value in ((2019, before), (2020, after))
        ],
    }


def test_an_encouraged_miss_is_reported_but_never_a_breach() -> None:
    # 引导金融机构…增加消费扶贫信贷投放量 (D17, D21) against the directive 扩大农特产品网销规模
    loans = _finding(
        _district_growth("consumption_poverty_loans", "500", "400"),
        "datonghu.credit_volume_growth",
        "q",
        date(2020, 12, 31),
    )
    sales = _finding(
        _district_growth("online_agricultural_sales", "500", "400"),
        "datonghu.online_sales_growth",
        "q",
        date(2020, 12, 31),
    )
    assert loans.status is sales.status is Status.NON_COMPLIANT
    assert not loans.is_mandatory_breach
    assert sales.is_mandatory_breach


def test_the_recipient_is_not_bound_to_report_to_itself() -> None:
    facts = {
        "units": [
            {
                "id": "fpb",
                "name": "区扶贫办",
                "kind": "department",
                "department": "区扶贫办",
                "jurisdiction": "datonghu",
            }
        ]
    }
    finding = _finding(facts, "datonghu.monthly_report", "fpb", date(2020, 6, 30))
    assert finding.status is Status.NOT_APPLICABLE
    assert "不向自己报送" in finding.explanation
