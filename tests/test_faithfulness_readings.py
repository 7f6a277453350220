"""Readings of the faithfulness checks that the plug-in engineers found wrong, each on the toy
plug-in: the faithful encoding passes, and the check still fails on an unfaithful one."""

from __future__ import annotations

import dataclasses
from typing import Any

from toy_plugin import CLEAN, DOC, rules

from xfrules.check import CheckProblem, check_rules
from xfrules.obligations import Obligation
from xfrules.registry import JurisdictionRules


def errors(r: JurisdictionRules) -> set[tuple[str, str]]:
    return {(p.subject, p.code) for p in check_rules(r) if p.severity == "error"}


def problems(r: JurisdictionRules) -> list[CheckProblem]:
    return [p for p in check_rules(r) if p.severity == "error"]


def on_text(
    text: str, *obligations: Obligation, updates: dict[str, dict[str, Any]] | None = None
) -> JurisdictionRules:
    """The toy rules on another document text, with obligations changed by id."""
    base = rules(*(obligations or CLEAN))
    changed = tuple(
        o.model_copy(update=(updates or {}).get(o.id.removeprefix("demo."), {}))
        for o in base.obligations
    )
    assert base.document is not None
    return dataclasses.replace(
        base, document=base.document.model_copy(update={"text": text}), obligations=changed
    )


def quoted(ob_id: str, quote: str, **more: Any) -> dict[str, dict[str, Any]]:
    source = next(o for o in CLEAN if o.id == f"demo.{ob_id}").source
    return {ob_id: {"source": source.model_copy(update={"quote": quote}), **more}}


# --------------------------------------------------------------------------- line breaks


WRAPPED = DOC.replace("鼓励干部职工", "鼓\n\n励干部职工").replace(
    "各预算单位要", "各预\n\n算单位要"
)


STAFF = "鼓\n\n励干部职工购买贫困地区产品"
BUY = "各预\n\n算单位要采购贫困地区农产品，全年不少于10万元"


def test_words_broken_by_a_line_break_are_read_whole() -> None:
    updates = {**quoted("staff", STAFF), **quoted("buy", BUY)}
    assert errors(on_text(WRAPPED, updates=updates)) == set()


def test_a_wrapped_word_still_disagrees_with_a_wrong_encoding() -> None:
    flipped = {**quoted("staff", STAFF, modality="mandatory"), **quoted("buy", BUY)}
    (problem,) = problems(on_text(WRAPPED, updates=flipped))
    assert problem.code == "modality" and "'鼓励'" in problem.message
    wrong_kind = {**quoted("staff", STAFF), **quoted("buy", BUY, applies_to=("pairing_unit",))}
    assert errors(on_text(WRAPPED, updates=wrong_kind)) == {("demo.buy", "applicability")}


# --------------------------------------------------------------------------- mutants re-derive


def _with_districts() -> JurisdictionRules:
    """The toy plug-in whose 一（二） list also names 各区, a collective of every district."""
    from xfrules.entities import Department

    base = on_text(
        DOC.replace("（市商务局负责）", "（市商务局、各区负责）"),
        updates={
            "reward_fund": {"responsible": ("市商务局", "各区"), "named_departments_only": True}
        },
    )
    kinds = (*base.jurisdiction.unit_kinds, "district")
    departments = (
        *base.departments,
        Department(jurisdiction="demo", name="各区", covers_kinds=("district",)),
    )
    from xfrules.registry import assemble_rules

    return assemble_rules(
        base.plugin,
        base.version,
        base.jurisdiction.model_copy(update={"unit_kinds": kinds}),
        departments,
        base.region_sets,
        tuple(
            o.model_copy(update={"applies_to": ("paired_county", "district")})
            if o.id == "demo.reward_fund"
            else o
            for o in base.obligations
        ),
        base.document,
        base.clauses,
        base.scenario_paths,
    )


def test_a_mutant_that_drops_a_collective_name_no_longer_binds_its_kind() -> None:
    from xfrules.entities import Unit
    from xfrules.evaluator import binding_problem
    from xfrules.mutants import mutants

    r = _with_districts()
    fund = next(o for o in r.obligations if o.id == "demo.reward_fund")
    assert fund.collective_kinds == ("district",)
    district = Unit(
        id="d1", name="某区", kind="district", jurisdiction="demo", department="某区政府"
    )
    assert binding_problem(fund, district) is None
    (dropped,) = mutants(r, {"demo.reward_fund"}, {"drop-department"})
    assert dropped.detail == "responsible − 各区"
    assert dropped.replacement is not None and dropped.replacement.collective_kinds == ()
    assert binding_problem(dropped.replacement, district) is not None
    # and check notices: the list names 各区, which no duty of its sentences binds any more
    assert ("clause 一（二）", "party-unbound") in errors(dropped.apply(r))


# --------------------------------------------------------------------------- both roles

BOTH_ROLES = DOC.replace("（市财政局牵头，市商务局负责", "（市财政局牵头，市财政局、市商务局负责")


def test_a_name_the_list_gives_both_roles_may_be_bound_in_either() -> None:
    updates = {"staff": {"responsible": ("市商务局", "市财政局")}}
    assert errors(on_text(BOTH_ROLES, updates=updates)) == set()


def test_a_name_given_one_role_is_still_bound_in_that_role_only() -> None:
    swapped = {"buy": {"lead": ("市商务局",), "responsible": ("市财政局",)}}
    assert errors(on_text(BOTH_ROLES, updates=swapped)) == {("demo.buy", "party-role")}
    participant = {"staff": {"lead": ("市教育局",), "responsible": ("市商务局",)}}
    # the participant takes the lead's place: bound as lead, and the lead 市财政局 dropped
    assert errors(on_text(BOTH_ROLES, updates=participant)) == {
        ("demo.staff", "participant-bound"),
        ("clause 一（一）", "party-dropped"),
    }


# --------------------------------------------------------------------------- the means of a verb

MEANS = DOC.replace("鼓励干部职工购买", "积极通过展销、团购等方式，鼓励干部职工购买")


def test_a_clause_of_means_belongs_to_the_verb_it_serves() -> None:
    quote = "积极通过展销、团购等方式，鼓励干部职工购买贫困地区产品"
    assert errors(on_text(MEANS, updates=quoted("staff", quote))) == set()
    flipped = quoted("staff", quote, modality="mandatory")
    assert errors(on_text(MEANS, updates=flipped)) == {("demo.staff", "modality")}


def test_a_clause_with_its_own_verb_before_an_encouragement_is_still_a_second_duty() -> None:
    text = DOC.replace("鼓励干部职工购买", "积极开展展销活动，鼓励干部职工购买")
    quote = "积极开展展销活动，鼓励干部职工购买贫困地区产品"
    assert errors(on_text(text, updates=quoted("staff", quote))) == {
        ("demo.staff", "modality-mixed")
    }


# --------------------------------------------------------------------------- carry-over


def test_a_clause_with_its_own_verb_of_governing_starts_its_own_modality() -> None:
    from xfrules.check.modality import modality_of

    assert modality_of("引导对接扶贫产品销售平台，积极推进农产品产销对接")[0] == {
        "encouraged",
        "mandatory",
    }
    assert modality_of("积极推进农产品产销对接", "引导对接扶贫产品销售平台，")[0] == {"mandatory"}
    assert modality_of("根据形势变化调整优化消费扶贫政策措施", "积极支持企业复工复产，")[0] == {
        "mandatory"
    }
    assert modality_of("探索建立推介协作机制，与江苏方面共建销售平台")[0] == {
        "encouraged",
        "mandatory",
    }
    # the clauses after it continue it, not the 支持 before
    assert modality_of("发挥优势特色", "支持贫困地区实施优质粮食工程，积极推进订单种植，")[0] == {
        "mandatory"
    }


def test_a_clause_that_goes_on_with_the_encouraged_parties_stays_encouraged() -> None:
    from xfrules.check.modality import modality_of

    for quote in (
        "鼓励企业采购，优先采购农产品",
        "鼓励龙头企业在贫困地区建立生产基地，大力发展订单农业",
        "鼓励企业到对口地区投资兴办企业，推动农产品就地加工",
        "探索优先收储农产品，在贫困地区建设农产品收储基地",
    ):
        assert modality_of(quote)[0] == {"encouraged"}, quote


def test_an_encouraged_quote_with_a_directive_of_its_own_is_reported() -> None:
    text = DOC.replace(
        "鼓励干部职工购买贫困地区产品", "鼓励干部职工购买贫困地区产品，积极推进产销对接"
    )
    quote = "鼓励干部职工购买贫困地区产品，积极推进产销对接"
    assert errors(on_text(text, updates=quoted("staff", quote))) == {
        ("demo.staff", "modality-mixed")
    }


# --------------------------------------------------------------------------- headings and titles

UNTITLED = DOC.replace("（一）加大采购。", "（一）").replace("（二）帮扶促销。", "（二）")


def test_items_without_headings_have_no_heading_read_into_their_first_sentence() -> None:
    from xfrules.sentences import sentences

    first = [s for s in sentences(UNTITLED) if s.text.startswith("（二）")]
    assert [s.heading for s in first] == [False]  # 帮扶单位要组织促销活动2次。 is a duty
    assert errors(on_text(UNTITLED)) == set()
    flipped = {"promotion": {"modality": "encouraged"}}
    assert errors(on_text(UNTITLED, updates=flipped)) == {("demo.promotion", "modality")}


def test_items_with_headings_keep_them() -> None:
    from xfrules.sentences import sentences

    assert [s.text for s in sentences(DOC) if s.heading] == [
        "一、重点任务",
        "（一）加大采购。",
        "（二）帮扶促销。",
    ]


def test_a_title_line_longer_than_a_short_title_stands_alone() -> None:
    from xfrules.sentences import sentences

    title = "示例市关于深入开展消费扶贫助力打赢脱贫攻坚战的实施方案"
    text = f"{title}\n\n为落实上级要求，制定本方案。\n\n" + DOC.split("\n\n", 1)[1]
    assert [s.text for s in sentences(text)][:2] == [title, "为落实上级要求，制定本方案。"]
    # a sentence wrapped after an unclosed 《 goes on on the next line
    wrapped = (
        "为贯彻《国务院办公厅关于深入开展消费扶贫助力打赢脱贫\n\n攻坚战的指导意见》，制定本方案。\n"
    )
    assert len(sentences(wrapped)) == 1


# --------------------------------------------------------------------------- bound by name


def _departmental(districts: bool) -> JurisdictionRules:
    """The toy plug-in with department units and a word for them (部门); with ``districts``,
    district units and a collective 各区 standing for every one."""
    from xfrules.entities import Department

    base = rules()
    table = {e.word: list(e.kinds) for e in base.jurisdiction.applicability}
    jurisdiction = base.jurisdiction.model_copy(
        update={
            "unit_kinds": (
                *base.jurisdiction.unit_kinds,
                "department",
                *(("district",) if districts else ()),
            )
        }
    )
    jurisdiction = type(jurisdiction).model_validate(
        {
            **jurisdiction.model_dump(),
            "applicability": {
                **table,
                "部门": ["department"],
                **({"区政府": ["district"]} if districts else {}),
            },
        }
    )
    collective = Department(jurisdiction="demo", name="各区", covers_kinds=("district",))
    return dataclasses.replace(
        base,
        jurisdiction=jurisdiction,
        departments=(*base.departments, *((collective,) if districts else ())),
    )


def _staff(**update: Any) -> JurisdictionRules:
    base = _departmental("district" in update.get("applies_to", ()))
    return dataclasses.replace(
        base,
        obligations=tuple(
            o.model_copy(update=update) if o.id == "demo.staff" else o for o in base.obligations
        ),
    )


def test_a_department_bound_by_name_is_addressed_by_its_name() -> None:
    named = _staff(applies_to=("department",), named_departments_only=True)
    assert errors(named) == set()


def test_a_kind_bound_by_no_name_still_needs_its_words() -> None:
    # not bound by name: 部门 is not said
    assert errors(_staff(applies_to=("department",))) == {("demo.staff", "applicability")}
    # a kind a collective name stands for (district: 各区) is not addressed by 市商务局's name
    widened = _staff(applies_to=("department", "district"), named_departments_only=True)
    assert errors(widened) == {("demo.staff", "applicability")}


# --------------------------------------------------------------------------- waivers and mutants


def test_a_mutant_that_makes_a_waiver_unused_is_killed_by_check() -> None:
    from xfrules.mutation import run_mutation
    from xfrules.obligations import Waiver

    waiver = Waiver(check="modality", reason="read as encouraged on purpose: README D1")
    r = rules(
        *(
            o.model_copy(update={"modality": "encouraged", "waivers": (waiver,)})
            if o.id == "demo.buy"
            else o
            for o in CLEAN
        )
    )
    assert errors(r) == set()
    report = run_mutation(r, obligations={"demo.buy"}, operators={"flip-modality"}, jobs=1)
    (result,) = report.results
    assert result.mutant.detail == "encouraged → mandatory"
    assert result.killed_by == "check: waiver-unused (demo.buy)"


# --------------------------------------------------------------------------- members of a body


def test_a_bodys_members_are_not_the_body() -> None:
    from xfrules.entities import Department
    from xfrules.parties import Directory

    group = Department(jurisdiction="demo", name="专项工作组")
    directory = Directory.of([group, Department(jurisdiction="demo", name="市商务局")])
    assert directory.mentioned("专项工作组各成员单位要制定计划") == frozenset()
    assert directory.mentioned("专项工作组要召开会议，市商务局成员单位") == {"专项工作组"}
    members = Department(jurisdiction="demo", name="专项工作组成员单位")
    assert Directory.of([group, members]).mentioned("专项工作组成员单位负责") == {
        "专项工作组成员单位"
    }


# --------------------------------------------------------------------------- a kind as the party


def test_a_sentence_whose_words_address_a_kind_is_bound_by_an_obligation_of_that_kind() -> None:
    # 受帮扶县应设立奖励资金: the sentence's party is the paired counties, not 市商务局 of the list
    assert errors(changed_fund(responsible=())) == set()
    # bound to another kind, it binds neither the list's party nor the sentence's
    assert errors(changed_fund(responsible=(), applies_to=("pairing_unit",))) == {
        ("clause 一（二）", "party-unbound"),
        ("demo.reward_fund", "applicability"),
    }


def changed_fund(**update: Any) -> JurisdictionRules:
    return rules(*(o.model_copy(update=update) if o.id == "demo.reward_fund" else o for o in CLEAN))


# --------------------------------------------------------------------------- a sentence without subject

SUBJECTLESS = DOC.replace(
    "帮扶单位要组织促销活动2次。", "帮扶单位要组织促销活动2次。要做好促销宣传。"
)


def test_a_sentence_opening_with_yao_takes_the_party_of_the_sentence_before() -> None:
    from toy_plugin import ob

    publicity = ob(
        "promotion_publicity",
        "要做好促销宣传",
        clause="一（二）",
        applies_to=["pairing_unit"],
        responsible=["市商务局"],
    )
    r = on_text(SUBJECTLESS, *CLEAN, publicity)
    assert errors(r) == set()  # 帮扶 of the sentence before addresses pairing units
    wrong = publicity.model_copy(update={"applies_to": ("paired_county",)})
    assert errors(on_text(SUBJECTLESS, *CLEAN, wrong)) == {
        ("demo.promotion_publicity", "applicability")
    }


# --------------------------------------------------------------------------- a party of its own

OWN_PARTY = DOC.replace("由市委宣传部组织宣传", "鼓励帮扶单位参与宣传、市委宣传部组织宣传")


def test_a_duty_opening_with_its_own_party_is_not_governed_by_the_word_before() -> None:
    quote = {
        "publicity": {"source": CLEAN[5].source.model_copy(update={"quote": "市委宣传部组织宣传"})}
    }
    assert errors(on_text(OWN_PARTY, updates=quote)) == set()
    flipped = {"publicity": {**quote["publicity"], "modality": "encouraged"}}
    assert errors(on_text(OWN_PARTY, updates=flipped)) == {("demo.publicity", "modality")}
