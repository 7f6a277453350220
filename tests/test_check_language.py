"""``xfrules check``'s problems for plug-in authors in the run's language: Chinese unless
English is asked for, the English word for word as before; codes, subjects and the names
an author looks up in the YAML stay as written."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from xfrules.check.departments import check_departments
from xfrules.check.identity import check_identity
from xfrules.check.modality import check_modality
from xfrules.check.problems import Collector
from xfrules.check.region_sets import check_region_sets
from xfrules.check.thresholds import check_thresholds
from xfrules.i18n import Lang, Msg, use_lang
from xfrules.registry import JurisdictionRules, load_registry


@pytest.fixture(scope="module")
def broken() -> JurisdictionRules:
    """suzhou's rules with a department and a region set declared twice and an obligation
    led by an undeclared department."""
    rules = load_registry().jurisdictions["suzhou"]
    first = rules.obligations[0]
    led_by_nobody = first.model_copy(update={"lead": ("不存在的局",)})
    return dataclasses.replace(
        rules,
        departments=(*rules.departments, rules.departments[0]),
        region_sets=(*rules.region_sets, rules.region_sets[0]),
        obligations=(led_by_nobody, *rules.obligations[1:]),
    )


def _problems(rules: JurisdictionRules) -> list[tuple[str, str, str]]:
    c = Collector(rules.code)
    for check in (check_identity, check_departments, check_region_sets):
        check(c, rules)
    return [(p.subject, p.code, p.message) for p in c.problems]


def test_check_problems_are_chinese_by_default_and_the_old_english_on_request(
    broken: JurisdictionRules,
) -> None:
    department = broken.departments[0].name
    region_set = broken.region_sets[0].name
    ob = broken.obligations[0].id
    with use_lang("zh"):
        zh = _problems(broken)
    with use_lang("en"):
        en = _problems(broken)
    # The same problems, subjects and codes in both languages; only the words differ.
    assert [p[:2] for p in zh] == [p[:2] for p in en]
    assert all(z[2] != e[2] for z, e in zip(zh, en, strict=True))
    assert (f"department {department}", "duplicate-id", "部门重复声明") in zh
    assert (
        f"department {department}",
        "duplicate-id",
        "department is declared more than once",
    ) in en
    assert (f"region set {region_set}", "duplicate-id", "地区名单重复声明") in zh
    assert (
        f"region set {region_set}",
        "duplicate-id",
        "region set is declared more than once",
    ) in en
    declared = ", ".join(d.name for d in broken.departments)
    assert (
        ob,
        "unknown-department",
        f"牵头部门 '不存在的局' 未在辖区中声明（已声明：{declared}）",
    ) in zh
    assert (
        ob,
        "unknown-department",
        f"lead department '不存在的局' is not declared by the jurisdiction (declared: {declared})",
    ) in en


def test_a_threshold_problem_names_the_yaml_field_and_the_value_in_either_language() -> None:
    rules = load_registry().jurisdictions["suzhou"]
    share = next(ob for ob in rules.obligations if ob.kind == "baseline_share")
    too_big = share.thresholds[0].model_copy(update={"value": Decimal("1.5"), "unit": "元"})
    wrong = dataclasses.replace(
        rules, obligations=(share.model_copy(update={"thresholds": (too_big,)}),)
    )
    found: dict[str, list[tuple[str, str]]] = {}
    langs: tuple[Lang, ...] = ("zh", "en")
    for lang in langs:
        c = Collector(rules.code)
        with use_lang(lang):
            check_thresholds(c, wrong)
        found[lang] = sorted((p.code, p.message) for p in c.problems if p.subject == share.id)
    assert (
        "share-out-of-range",
        "thresholds[0]：比例应在 0 到 1 之间（10% 写作 0.10），实际为 1.5",
    ) in found["zh"]
    assert (
        "share-out-of-range",
        "thresholds[0]: a share is between 0 and 1 (10% is 0.10), got 1.5",
    ) in found["en"]
    assert (
        "threshold-type",
        "thresholds[0]：baseline_share 比较的是比率，unit 必须是 'ratio'，而不是 '元'",
    ) in found["zh"]
    assert (
        "threshold-type",
        "thresholds[0]: a baseline_share compares ratios; its unit must be 'ratio', not '元'",
    ) in found["en"]


def test_the_waiver_hint_gives_the_yaml_to_write_in_either_language() -> None:
    # The English is the hint the checks wrote before; the YAML is the same in both.
    for code in ("duty-number", "period-words"):
        hint = Msg("chk.waiver_hint", code=code)
        assert (
            hint.english()
            == f"or, if deliberate, waive it: waivers: [{{check: {code}, reason: ...}}]"
        )
        with use_lang("zh"):
            assert (
                str(hint)
                == f"或者，如系有意为之，加上豁免：waivers: [{{check: {code}, reason: ...}}]"
            )


def test_a_modality_problem_quotes_the_words_and_names_the_yaml_value() -> None:
    rules = load_registry().jurisdictions["suzhou"]
    ob = next(o for o in rules.obligations if o.id == "suzhou.canteen_national_poverty_share")
    assert ob.modality == "mandatory"
    wrong = dataclasses.replace(
        rules, obligations=(ob.model_copy(update={"modality": "aspirational"}),)
    )
    messages: dict[str, str] = {}
    langs: tuple[Lang, ...] = ("zh", "en")
    for lang in langs:
        c = Collector(rules.code)
        with use_lang(lang):
            check_modality(c, wrong)
        [problem] = c.problems
        assert (problem.subject, problem.code) == (ob.id, "modality")
        messages[lang] = problem.message
    assert messages["zh"].startswith(
        "编码为 aspirational，但原文表明其性质为 mandatory（'各预算单位要"
    )
    assert "中的 '要', '不得'）；请设为 modality: mandatory，或者，如系有意为之" in messages["zh"]
    assert messages["en"].startswith(
        "encoded aspirational, but its words say mandatory ('要', '不得' in '各预算单位要"
    )
    assert messages["en"].endswith(
        "; set modality: mandatory, or, if deliberate, waive it: "
        "waivers: [{check: modality, reason: ...}]"
    )


def test_a_party_problem_quotes_the_department_list_in_either_language() -> None:
    from toy_plugin import changed

    from xfrules.check import check_rules

    swapped = changed("staff", responsible=("市委宣传部",))
    told: dict[str, dict[str, str]] = {}
    langs: tuple[Lang, ...] = ("zh", "en")
    for lang in langs:
        with use_lang(lang):
            told[lang] = {p.code: p.message for p in check_rules(swapped) if p.severity == "error"}
    listed = "'(市财政局牵头,市商务局负责,市教育局配合)'"
    assert told["zh"]["party-dropped"].startswith(
        f"第 3 句 '鼓励干部职工购买贫困地区产品。' 没有点名自己的责任方，因此其部门名单 {listed} "
        "的各方都适用于它，但其义务（demo.staff）没有约束 市商务局：请一并约束，"
    )
    assert told["en"]["party-dropped"] == (
        f"sentence 3 '鼓励干部职工购买贫困地区产品。' names no party of its own, so its "
        f"department list {listed} gives it every party, but its duty (demo.staff) does not "
        "bind 市商务局: bind them too, or, if deliberate, waive it: "
        "waivers: [{check: party-dropped, reason: ...}] on the clause"
    )
    assert told["zh"]["party-not-named"].startswith(
        "把 市委宣传部 约束为 responsible，但其部门名单（(市财政局牵头,市商务局负责,市教育局配合)）"
        "和其句子都没有提到它："
    )
    assert told["en"]["party-not-named"].startswith(
        "binds 市委宣传部 as responsible, but neither its department list "
        "((市财政局牵头,市商务局负责,市教育局配合)) nor its sentences name it: "
    )


def test_a_comparator_problem_names_the_words_and_the_comparator_in_either_language() -> None:
    from toy_plugin import CLEAN, changed

    from xfrules.check import check_rules

    buy = next(o for o in CLEAN if o.id == "demo.buy")
    strict = changed("buy", thresholds=(buy.thresholds[0].model_copy(update={"comparator": ">"}),))
    counters = next(o for o in CLEAN if o.id == "demo.counters")
    exact = changed(
        "counters", thresholds=(counters.thresholds[0].model_copy(update={"approximate": False}),)
    )
    told: dict[str, list[str]] = {}
    langs: tuple[Lang, ...] = ("zh", "en")
    for lang in langs:
        with use_lang(lang):
            told[lang] = [
                p.message for r in (strict, exact) for p in check_rules(r) if p.severity == "error"
            ]
    assert told["zh"] == [
        "thresholds[0]：其引文 '不少于10万元' 用 '不少于' 限定 100000，即含本数的下限："
        "比较方式必须是 '>='，而不是 '>'",
        "thresholds[0]：'100个左右' 中的 100 带有 左右：请设 approximate: true（在容差内即为达标），"
        "或者，如系有意为之，加上豁免：waivers: [{check: threshold-approximate, reason: ...}]",
    ]
    assert told["en"] == [
        "thresholds[0]: its quote '不少于10万元' bounds 100000 with '不少于', an inclusive floor: "
        "the comparator must be '>=', not '>'",
        "thresholds[0]: '100个左右' says 左右 of 100: set approximate: true (met within the "
        "tolerance), or, if deliberate, waive it: "
        "waivers: [{check: threshold-approximate, reason: ...}]",
    ]


def test_a_quote_not_verbatim_says_why_in_either_language() -> None:
    from toy_plugin import CLEAN, changed

    from xfrules.check import check_rules

    buy = next(o for o in CLEAN if o.id == "demo.buy")
    quote = buy.source.quote[:4] + " " + buy.source.quote[4:]  # a space the document lacks
    spaced = changed("buy", source=buy.source.model_copy(update={"quote": quote}))
    told = {}
    langs: tuple[Lang, ...] = ("zh", "en")
    for lang in langs:
        with use_lang(lang):
            [told[lang]] = [
                p.message for p in check_rules(spaced) if p.code == "quote-not-verbatim"
            ]
    assert told["zh"] == (
        f"source quote {quote!r} 没有原样出现在 source.txt 中：与文件只差空格或换行；请原样复制"
    )
    assert told["en"] == (
        f"source quote {quote!r} is not verbatim in source.txt: "
        "it differs from the document only in spaces or line breaks; copy it exactly"
    )


def test_a_clause_problem_is_told_in_either_language() -> None:
    from toy_plugin import CLAUSES, CLEAN, rules

    from xfrules.coverage import coverage

    # the title marked context with no reason: a reviewer must be told why it is not a duty
    unexplained = (CLAUSES[0].model_copy(update={"reason": None}), *CLAUSES[1:])
    told = {}
    langs: tuple[Lang, ...] = ("zh", "en")
    for lang in langs:
        with use_lang(lang):
            rows = coverage(rules(*CLEAN, clauses=unexplained))
        [told[lang]] = [(r.clause, r.code, r.problem) for r in rows if r.problem]
    assert told["zh"] == ("序言", "clause-coverage", "标为 context，但没有写理由")
    assert told["en"] == ("序言", "clause-coverage", "marked context without a reason")
