"""Shaanxi plug-in: completeness against the document and the decisions README.md records."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from xfrules import InputError, Status, evaluate, parse_facts
from xfrules.coverage import account_sentences, coverage
from xfrules.obligations import (
    CountTarget,
    Coverage,
    GrowthRate,
    ObservationMeasure,
    Qualitative,
    Rate,
    Reporting,
    TransactionMeasure,
)
from xfrules.registry import JurisdictionRules, load_registry
from xfrules.yamlio import load_yaml
from xfrules_shaanxi.cleaning import NUMERALS

RULES: JurisdictionRules = load_registry().jurisdictions["shaanxi"]
assert RULES.document is not None
TEXT = RULES.document.text
OBS = {ob.id: ob for ob in RULES.obligations}
README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
SECTION_OF = {
    n: s
    for s, (a, b) in {"一": (1, 14), "二": (15, 20), "三": (21, 27), "四": (28, 32)}.items()
    for n in range(a, b + 1)
}


def _items() -> dict[str, str]:
    """Clause id (一（一）…四（三十二）) -> the item's text in the cleaned document."""
    out = {}
    for line in TEXT.split("\n"):
        m = re.match(r"^\u3000（([一二三四五六七八九十]+)）", line)
        if m:
            number = NUMERALS.index(m.group(1)) + 1
            out[f"{SECTION_OF[number]}（{m.group(1)}）"] = line
    return out


ITEMS = _items()


def _parenthesis(item: str) -> str:
    """The closing parenthesis of an item: the departments it names."""
    m = re.search(r"\(([^()]*(?:\(脱贫\)[^()]*)*)\)$", item)
    assert m, item
    return m.group(1)


ROLE_OF_SUFFIX = {
    "牵头": "lead",
    "负责": "responsible",
    "配合": "participants",
    "参与": "participants",
}


def _roles(item: str) -> dict[str, set[str]]:
    """The bodies an item's parenthesis names, by role: 牵头 → lead; 负责 / 分别负责 / 等部门负责 /
    a bare list → responsible; 配合 / 参与 → participants. Trailing 等 (an open list) is dropped."""
    roles: dict[str, set[str]] = {"lead": set(), "responsible": set(), "participants": set()}
    for group in _parenthesis(item).split(","):
        m = re.fullmatch(r"(.+?)(?:等部门|等)?(?:分别)?(牵头|负责|配合|参与)?", group)
        assert m, group
        role = ROLE_OF_SUFFIX[m.group(2)] if m.group(2) else "responsible"
        roles[role] |= {_canonical(n) for n in m.group(1).split("、")}
    return roles


def _named_departments(item: str) -> list[str]:
    return sorted(set().union(*_roles(item).values()))


def test_thirty_two_items_in_order() -> None:
    assert list(ITEMS) == [f"{SECTION_OF[n]}（{NUMERALS[n - 1]}）" for n in range(1, 33)]


def test_shipped_source_equals_shared_copy(xfrules_shared_sources: Path) -> None:
    folder = xfrules_shared_sources
    shipped = (resources.files("xfrules_shaanxi") / "source.txt").read_bytes()
    assert shipped == (folder / "shaanxi.txt").read_bytes()
    assert RULES.document is not None and RULES.document.original == shipped.decode("utf-8")


def test_every_quote_lies_in_the_clause_it_cites() -> None:
    wrong = [ob.id for ob in RULES.obligations if ob.source.quote not in ITEMS[ob.source.clause]]
    assert not wrong
    for ob in RULES.obligations:
        for th in getattr(ob, "thresholds", ()):
            assert (
                th.quote is None
                or th.quote in ob.source.quote
                or th.quote in ITEMS[ob.source.clause]
            )


def test_every_item_is_encoded_and_every_clause_accounted_for() -> None:
    encoded = {ob.source.clause for ob in RULES.obligations}
    assert set(ITEMS) <= encoded
    assert not [c.problem for c in coverage(RULES) if c.problem]
    declared = {c.id for c in RULES.clauses}
    assert set(ITEMS) | {"导语", "序言", "一", "二", "三", "四"} == declared


def test_every_sentence_is_accounted_for_and_only_the_plan_s_frame_is_context() -> None:
    accounts = account_sentences(RULES)
    assert not [a.text for a in accounts if a.is_gap]
    context = {a.clause for a in accounts if a.accounting in ("context", "heading")}
    assert context == {"导语", "序言", "一", "二", "三", "四"}
    # every item's closing parenthesis is read as its department list
    assert sum(a.accounting == "parties" for a in accounts) == len(ITEMS)


def test_every_department_the_document_names_is_declared() -> None:
    missing = sorted(
        {
            n
            for item in ITEMS.values()
            for n in _named_departments(item)
            if RULES.department(n) is None
        }
    )
    assert not missing
    for other in (
        "国务院扶贫办",
        "国家发展改革委",
        "国务院办公厅",
        "陕果集团",
        "省供销集团",
        "省青年电商联合会",
    ):
        assert other in TEXT and RULES.department(other) is not None


def _canonical(name: str) -> str:
    department = RULES.department(name)
    assert department is not None, name
    return department.name


def _clause_obligations(clause: str) -> list[Any]:
    return [ob for ob in RULES.obligations if ob.source.clause == clause]


def test_every_duty_carries_its_item_s_parenthesis_in_its_roles() -> None:
    """牵头 → lead, 负责 → responsible, 参与/配合 → participants, on each duty of the item (a duty
    binding a kind of unit records them); 二（十八） is read in order, 四（三十一） below."""
    for clause, item in ITEMS.items():
        roles = _roles(item)
        for ob in _clause_obligations(clause):
            assert {_canonical(d) for d in ob.lead} == roles["lead"], ob.id
            assert {_canonical(d) for d in ob.participants} == roles["participants"], ob.id
            responsible = {_canonical(d) for d in ob.responsible}
            if clause == "二（十八）":
                assert len(responsible) == 1 and responsible < roles["responsible"], ob.id
            elif clause == "四（三十一）":
                assert roles["responsible"] <= responsible, ob.id  # 各相关部门, and by name
            else:
                assert responsible == roles["responsible"], ob.id
    in_order = [OBS[f"shaanxi.{i}"].responsible for i in ("green_channel", "express_to_villages")]
    assert in_order == [("省交通运输厅",), ("省邮政管理局",)]


def test_participants_are_never_bound() -> None:
    for ob in RULES.obligations:
        assert not set(ob.participants) & set(ob.departments), ob.id
    # 一（五） and 一（九）: 省移民(脱贫)搬迁开发集团参与
    for ob_id in ("farm_school_matching", "universities_purchase_growth", "unions_priority"):
        ob = OBS[f"shaanxi.{ob_id}"]
        assert "省移民(脱贫)搬迁开发集团" in ob.participants
        assert "省移民(脱贫)搬迁开发集团" not in ob.departments


def test_lead_only_where_the_text_says_牵头() -> None:
    leads = {ob.source.clause: set(ob.lead) for ob in RULES.obligations if ob.lead}
    assert leads == {
        "一（一）": {"省发展改革委"},
        "一（二）": {"省财政厅", "省扶贫办", "省供销合作社"},
        "四（二十八）": {"省发展改革委"},
    }
    for clause in leads:
        assert "牵头" in _parenthesis(ITEMS[clause])
    assert "陕西省发展和改革委员会牵头制定" in TEXT
    assert _canonical("陕西省发展和改革委员会") == "省发展改革委"


def test_counters_target_is_approximate_aspirational_30000() -> None:
    ob = OBS["shaanxi.poverty_counters_30000"]
    assert isinstance(ob, CountTarget)
    assert ob.approximate and ob.modality == "aspirational"  # 约 and 力争
    (th,) = ob.thresholds
    assert (th.comparator, th.value, th.unit) == (">=", Decimal(30000), "台")
    assert th.quote is not None and "约3万台" in th.quote and "力争" in th.quote
    assert isinstance(ob.measure, ObservationMeasure) and ob.measure.scope == "subtree"


def test_living_halls_cover_both_named_cities() -> None:
    ob = OBS["shaanxi.living_halls_xian_baoji"]
    assert isinstance(ob, Coverage) and ob.target_set == "xian_baoji"
    region_set = RULES.region_set("xian_baoji")
    assert region_set is not None
    assert {r.name for r in region_set.regions} == {"西安市", "宝鸡市"}
    assert ob.thresholds[0].value == len(region_set.regions) == region_set.expected_size == 2
    assert not ob.approximate and ob.modality == "mandatory"


def test_quality_pass_rate_is_an_inclusive_2020_rate() -> None:
    ob = OBS["shaanxi.quality_pass_rate_98"]
    assert isinstance(ob, Rate)
    (th,) = ob.thresholds
    assert (th.comparator, th.value, th.unit) == (">=", Decimal("0.98"), "ratio")
    assert (
        th.in_force(ob.valid_from) and th.effective_to is not None and th.effective_to.year == 2020
    )
    assert set(ob.responsible) == {"省农业农村厅", "省市场监管局"}


def test_related_bodies_are_every_department_and_the_work_group() -> None:
    """四（三十一） 各相关部门 is a declared collective: every unit of kind department (each body
    the parentheses task, or one a deployment adds) and the 苏陕工作队, each for itself — but
    the recipient of the year-end reports, and no unit of another kind (D6)."""
    from xfrules.entities import Unit
    from xfrules.evaluator import binding_problem

    tasked = {
        name
        for clause, item in ITEMS.items()
        if clause != "四（三十一）"
        for role in ("lead", "responsible")
        for name in _roles(item)[role]
    }
    assert len(tasked) == 28
    for ob_id in ("annual_plan_inclusion", "consumption_statistics", "year_end_progress_report"):
        ob = OBS[f"shaanxi.{ob_id}"]
        assert ob.departments == ("各相关部门",)
        assert set(ob.collective_kinds) == {"department", "work_group"}
        for name in [*tasked, "省审计厅"]:
            kind = "work_group" if name == "苏陕工作队" else "department"
            unit = Unit(id="u", name=name, kind=kind, jurisdiction="shaanxi", department=name)
            exempt = ob_id == "year_end_progress_report" and name == "省发展改革委"
            assert (binding_problem(ob, unit) is None) is not exempt, (ob_id, name)
        union = Unit(
            id="u", name="省总工会", kind="union", jurisdiction="shaanxi", department="省总工会"
        )
        assert binding_problem(ob, union) is not None
    assert {_canonical(n) for n in ("有关部门", "各部门")} == {"各相关部门"}


def test_year_end_report_goes_to_the_plan_lead_by_31_december() -> None:
    ob = OBS["shaanxi.year_end_progress_report"]
    assert isinstance(ob, Reporting)
    assert ob.recipient == "省发展改革委"
    assert ob.period.due is not None and (ob.period.due.month, ob.period.due.day) == (12, 31)
    # every related body reports, except the recipient (not bound to report to itself)
    related = set(OBS["shaanxi.annual_plan_inclusion"].departments)
    assert set(ob.departments) == related - {"省发展改革委"}
    assert ob.named_departments_only


def test_no_report_binds_its_recipient() -> None:
    for ob in RULES.obligations:
        if isinstance(ob, Reporting) and ob.recipient:
            assert _canonical(ob.recipient) not in {_canonical(d) for d in ob.departments}


def _with_party(obligation: str) -> dict[str, str]:
    """Evaluate 省商务厅's unit with a deployment naming it as a party of ``obligation``: the
    status of each obligation's finding."""
    facts = parse_facts(
        {
            "units": [
                {
                    "id": "swt",
                    "name": "陕西省商务厅",
                    "kind": "department",
                    "jurisdiction": "shaanxi",
                    "department": "省商务厅",
                }
            ],
            "parties": [
                {"obligation": obligation, "department": "省商务厅", "document": "示例分工文件"}
            ],
        },
        source="deploy.yaml",
    )
    ev = evaluate(facts, date(2020, 12, 31), rules=load_registry())
    return {f.obligation_id: f.status.value for f in ev.findings}


def test_only_the_lists_ending_in_等_take_a_deployment_s_party() -> None:
    """README D7: 二（十六） (…等部门负责) is open, so a deployment binds a further body; 二（十八）
    (省交通运输厅、省邮政管理局分别负责) and 二（十五） name their bodies in full and refuse one."""
    named = "shaanxi.counter_and_hall_model_promotion"
    statuses = _with_party(named)
    assert statuses[named] == "insufficient_evidence"
    # the body joins the duty it is named for, no other duty of the item
    item = [ob.id for ob in RULES.obligations if ob.source.clause == "二（十六）"]
    assert len(item) == 6
    assert {statuses[i] for i in item if i != named} == {"not_applicable"}
    for closed in ("shaanxi.green_channel", "shaanxi.rural_ecommerce_support"):
        with pytest.raises(InputError) as err:
            _with_party(closed)
        (problem,) = err.value.problems
        assert (problem.file, problem.record, problem.field) == (
            "deploy.yaml",
            "parties[0]",
            "obligation",
        )


def test_farm_school_purchases_bind_the_two_responsible_departments_not_universities() -> None:
    ob = OBS["shaanxi.universities_purchase_growth"]
    assert isinstance(ob, GrowthRate)
    assert ob.named_departments_only and set(ob.departments) == {"省教育厅", "省扶贫办"}
    assert "university" not in ob.applies_to
    assert isinstance(ob.measure, ObservationMeasure) and ob.measure.scope == "unit"
    assert ob.source.quote == "加大采购量"


def test_platform_832_is_led_by_its_three_departments() -> None:
    ob = OBS["shaanxi.platform_832_zone"]
    assert "扶贫832平台" in ob.source.quote
    assert ob.lead == ("省财政厅", "省扶贫办", "省供销合作社")


def test_growth_duties_require_strict_growth() -> None:
    growth = [ob for ob in RULES.obligations if isinstance(ob, GrowthRate)]
    assert {ob.id for ob in growth} == {
        "shaanxi.public_bodies_poverty_procurement_growth",
        "shaanxi.universities_purchase_growth",
        "shaanxi.poverty_county_subsidy_ratio_increase",
    }
    for ob in growth:
        (th,) = ob.thresholds
        assert (th.comparator, th.value) == (">", Decimal(0))
        assert re.search("加大|提高", th.quote or "")
    for ob in growth:
        if isinstance(ob.measure, TransactionMeasure):
            assert ob.measure.origin_sets == ("poverty_areas",) and ob.measure.scope == "unit"


# SCHEMA.md: 鼓励/支持/引导/倡议/倡导/探索/可 → encouraged; 力争 → aspirational. 支持力度 (the support
# the departments give, object of 加大) is no verb of encouragement (README, "Modality").
ENCOURAGING = re.compile(r"鼓励|支持(?!力度)|引导|倡议|倡导|探索")


def test_modality_follows_the_duty_s_own_words() -> None:
    for ob in RULES.obligations:
        if "力争" in ob.source.quote:
            expected = "aspirational"
        elif ENCOURAGING.search(ob.source.quote):
            expected = "encouraged"
        else:
            expected = "mandatory"
        assert ob.modality == expected, ob.id


def test_an_aspirational_or_encouraged_miss_is_never_a_breach() -> None:
    facts = parse_facts(
        {
            "units": [
                {"id": "sx", "name": "陕西省", "kind": "province", "jurisdiction": "shaanxi"},
                {
                    "id": "ss",
                    "name": "苏陕工作队",
                    "kind": "work_group",
                    "jurisdiction": "shaanxi",
                    "department": "苏陕工作队",
                },
            ],
        }
    )
    wanted = {
        "shaanxi.poverty_counters_30000",
        "shaanxi.su_shaan_mechanism",
        "shaanxi.su_shaan_platform",
    }
    result = evaluate(facts, date(2021, 1, 1), obligations=[OBS[i] for i in wanted])
    by_id = {f.obligation_id: f for f in result.findings if f.status is not Status.NOT_APPLICABLE}
    counters = by_id["shaanxi.poverty_counters_30000"]
    assert counters.status is Status.NON_COMPLIANT and not counters.is_mandatory_breach
    # 探索建立…机制 is encouraged, 共建…平台 beside it mandatory: only the latter can be a breach
    assert by_id["shaanxi.su_shaan_mechanism"].modality == "encouraged"
    assert by_id["shaanxi.su_shaan_platform"].modality == "mandatory"


def test_a_sentence_s_duties_split_where_the_modality_changes() -> None:
    """Sentences mixing a directive and an encouragement are more than one duty."""
    for clause, first, second in (
        ("一（二）", "大力实施", "鼓励省市县政府"),
        ("一（五）", "加大采购量", "探索开展"),
        ("二（十九）", "针对近期新冠肺炎疫情", "引导对接"),
        ("二（二十）", "支持贫困地区", "积极推进"),
        ("三（二十五）", "继续实施", "支持贫困地区加快"),
        ("三（二十六）", "探索建立", "与江苏方面共建"),
        ("四（二十九）", "积极支持", "根据形势变化"),
    ):
        a, b = (
            next(ob for ob in _clause_obligations(clause) if ob.source.quote.startswith(w))
            for w in (first, second)
        )
        assert a.id != b.id and a.modality != b.modality, clause


KIND_OF_ADDRESSEE = {
    "鼓励省市县政府、事业单位": {
        "province",
        "city",
        "county",
        "budget_unit",
        "university",
        "hospital",
        "research_institute",
    },
    "鼓励市场主体": {"enterprise", "private_enterprise", "provincial_enterprise"},
    "鼓励省移民(脱贫)搬迁开发集团、陕果集团、省供销集团等省属企业": {"provincial_enterprise"},
    "鼓励民营企业": {"private_enterprise"},
    "鼓励省市县工会": {"union"},
    "支持鼓励行业协会商会等社会团体": {"social_organization"},
    "鼓励供销合作社、邮政快递和大型电商企业": {
        "enterprise",
        "private_enterprise",
        "provincial_enterprise",
    },
    "鼓励大中城市": {"city"},
    "支持鼓励龙头企业、新型农业经营主体": {
        "enterprise",
        "private_enterprise",
        "provincial_enterprise",
    },
    "鼓励和引导省内高校院所、龙头企业": {
        "university",
        "research_institute",
        "enterprise",
        "private_enterprise",
        "provincial_enterprise",
    },
}


def test_a_鼓励_addressed_to_a_kind_of_unit_binds_that_kind_only() -> None:
    """The sentence names its addressee; every other duty binds the item's bodies by name (or,
    for the province-wide targets and the canteen duty, the province and the departments)."""
    by_kind = [ob for ob in RULES.obligations if not ob.named_departments_only]
    addressed = {
        opening: ob
        for ob in by_kind
        for opening in KIND_OF_ADDRESSEE
        if ob.source.quote.startswith(opening)
    }
    assert set(addressed) == set(KIND_OF_ADDRESSEE)
    for opening, ob in addressed.items():
        assert set(ob.applies_to) == KIND_OF_ADDRESSEE[opening], ob.id
        assert ob.modality == "encouraged"
    rest = {ob.id for ob in by_kind} - {ob.id for ob in addressed.values()}
    assert rest == {
        "shaanxi.provincial_organs_canteen_priority",
        "shaanxi.poverty_counters_30000",
        "shaanxi.living_halls_xian_baoji",
        "shaanxi.quality_pass_rate_98",
    }
    # 贫困地区 are no unit: the 鼓励 of 三（二十五） binds the item's departments
    assert OBS["shaanxi.living_environment_tourism_integration"].named_departments_only


def test_every_sentence_of_an_item_is_some_duty_s_words() -> None:
    """Each item's text up to its parenthesis is covered by its own duties' quotes."""
    for clause, item in ITEMS.items():
        body = item[: item.rindex("(" + _parenthesis(item))]
        body = re.sub(r"^\u3000（[一二三四五六七八九十]+）", "", body)
        covered = [False] * len(body)
        for ob in _clause_obligations(clause):
            start = body.find(ob.source.quote)
            assert start >= 0, ob.id
            covered[start : start + len(ob.source.quote)] = [True] * len(ob.source.quote)
        gaps = "".join(c if not k else "|" for c, k in zip(body, covered, strict=True))
        assert not re.sub(r"[|,。]+", "", gaps), (clause, gaps)


def test_approximate_flag_matches_the_words() -> None:
    for ob in RULES.obligations:
        words = " ".join([ob.source.quote] + [t.quote or "" for t in getattr(ob, "thresholds", ())])
        has_number = bool(getattr(ob, "thresholds", ()))
        assert ob.approximate == (has_number and bool(re.search("约|左右", words))), ob.id


def test_every_stated_number_is_encoded_or_explained() -> None:
    numbers = set(re.findall(r"\d+(?:\.\d+)?[万%]?", "\n".join(ITEMS.values())))
    encoded = {
        "3万": OBS["shaanxi.poverty_counters_30000"],
        "98%": OBS["shaanxi.quality_pass_rate_98"],
    }
    assert {"3万", "98%"} <= numbers
    explained = {
        "2020",
        "832",
        "7",
        "9",
        "12",
        "1",
    }  # years, a platform's name, 7部委/9部门, 12月底, 1+N
    assert numbers <= set(encoded) | explained
    assert OBS["shaanxi.year_end_progress_report"].source.quote.startswith("12月底")
    for n in ("832", "7部委", "9部门", "“1+N”"):
        assert n in README


def test_department_duties_bind_by_name_and_others_by_kind() -> None:
    for ob in RULES.obligations:
        if ob.named_departments_only:
            assert ob.departments, ob.id
            assert "department" in ob.applies_to
        if isinstance(ob, Qualitative):
            assert re.fullmatch(r"[a-z0-9_]+", ob.evidence)


def test_readme_lists_every_fact_a_user_supplies() -> None:
    keys: set[str] = set()
    for ob in RULES.obligations:
        if isinstance(ob, Qualitative):
            keys.add(ob.evidence)
        elif isinstance(ob, Reporting):
            keys.add(ob.report)
        elif isinstance(ob, Rate):
            keys |= {ob.numerator_metric, ob.denominator_metric}
        measure = getattr(ob, "measure", None)
        if isinstance(measure, ObservationMeasure):
            keys.add(measure.metric)
    missing = sorted(k for k in keys if f"`{k}`" not in README)
    assert not missing
    for ob in RULES.obligations:
        assert f"`{ob.id.split('.', 1)[1]}`" in README or ob.id in README, ob.id


def test_every_waiver_is_a_decision_the_readme_lists() -> None:
    checks = README[README.index("## Checks") : README.index("## Document identity")]
    waived = [(ob.id, w.check) for ob in RULES.obligations for w in ob.waivers]
    waived += [(f"clause {c.id}", w.check) for c in RULES.clauses for w in c.waivers]
    assert len(waived) == 3
    for subject, check in waived:
        name = subject.split(".", 1)[1] if subject.startswith("shaanxi.") else subject
        entry = next(line for line in checks.split("\n- ") if f"`{check}` on" in line)
        assert f"`{name}`" in entry or name.split()[-1] in entry, (subject, check)


def test_the_named_bodies_scenario_holds_every_body_of_every_parenthesis() -> None:
    """scenarios/named_bodies.yaml (D3) has, for each duty binding by name, every body its item's
    parenthesis makes 牵头/负责 (bound) and every declared 参与/配合 body (not bound)."""
    path = Path(__file__).resolve().parents[1] / "src/xfrules_shaanxi/scenarios/named_bodies.yaml"
    data = load_yaml(path.read_text(encoding="utf-8"), str(path))
    department = {u["id"]: u["department"] for u in data["fixtures"]["units"]}
    (scenario,) = data["scenarios"]
    found = {(department[e["unit"]], e["obligation"], e["status"]) for e in scenario["expect"]}
    wanted = set()
    for clause, item in ITEMS.items():
        if clause in ("二（十八）", "四（三十一）"):  # read in order / 各相关部门: own scenarios
            continue
        roles = _roles(item)
        for ob in _clause_obligations(clause):
            if not ob.named_departments_only:
                continue
            wanted |= {
                (b, ob.id, "insufficient_evidence") for b in roles["lead"] | roles["responsible"]
            }
            wanted |= {
                (p, ob.id, "not_applicable")
                for p in roles["participants"]
                if p not in ("各级政府", "事业单位")  # collective names, no unit carries them
            }
    assert found == wanted
