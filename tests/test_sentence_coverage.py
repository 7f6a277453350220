"""Sentence-level coverage: the document split into sentences and clauses, each sentence
accounted for (encoded / heading / parties / context / gap), and the gaps reported by
``xfrules coverage`` and ``xfrules check``."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from xfrules.check import check_rules
from xfrules.cli import main
from xfrules.coverage import account_sentences, coverage, covers
from xfrules.documents import Clause, ContextMark, SourceDocument
from xfrules.entities import Department, Jurisdiction
from xfrules.obligations import Obligation, obligation_adapter
from xfrules.registry import JurisdictionRules
from xfrules.sentences import Sentence, locate_clauses, sentences

DOC = (
    "示例市消费扶贫方案\n\n"
    "为助力脱贫攻坚，制定本方案。\n\n"
    "一、总体要求\n\n"
    "坚持政府引导、社会参与。\n\n"
    "二、重点任务\n\n"
    "（一）加大采购力度。各单位要采购贫困地区农产品，全年不少于10万元。"
    "鼓励干部职工购买贫困地区产品。建设一批社区智慧微菜场。（市商务局负责，市财政局配合）\n\n"
    "（二）开展宣传。组织媒体宣传消费扶贫\n\n"
    "典型案例。（市委宣传部负责）\n\n"
    "2020年1月1日\n"
)


def _ob(ob_id: str, quote: str, clause: str = "二（一）", **over: Any) -> Obligation:
    data: dict[str, Any] = {
        "id": f"demo.{ob_id}",
        "jurisdiction": "demo",
        "kind": "qualitative",
        "evidence": ob_id,
        "title": ob_id,
        "applies_to": ["city"],
        "responsible": ["市商务局"],
        "source": {"document": "示〔2020〕1号", "clause": clause, "quote": quote},
        "valid_from": "2020-01-01",
        "period": {"frequency": "annual"},
    }
    data.update(over)
    return obligation_adapter.validate_python(data)


CLAUSES = (
    Clause(id="序言", heading="标题和目的", disposition="context", reason="title and purpose"),
    Clause(id="一", heading="总体要求", disposition="context", reason="principles"),
    Clause(id="二", heading="重点任务", disposition="context", reason="section heading"),
    Clause(id="二（一）", heading="加大采购力度"),
    Clause(id="二（二）", heading="开展宣传"),
    Clause(
        id="落款",
        heading="成文日期",
        disposition="context",
        reason="date",
        starts="2020年1月1日",
    ),
)


def rules(*obligations: Obligation, clauses: tuple[Clause, ...] = CLAUSES) -> JurisdictionRules:
    return JurisdictionRules(
        plugin="demo",
        version="0",
        jurisdiction=Jurisdiction(
            code="demo",
            name="示例市",
            document_number="示〔2020〕1号",
            document_title="示例",
            unit_kinds=("city",),
        ),
        departments=(
            Department(jurisdiction="demo", name="市商务局"),
            Department(jurisdiction="demo", name="市财政局"),
            Department(jurisdiction="demo", name="市委宣传部"),
        ),
        region_sets=(),
        obligations=obligations,
        document=SourceDocument(
            jurisdiction="demo",
            document_number="示〔2020〕1号",
            title="示例",
            text=DOC,
            filename="demo.txt",
        ),
        clauses=clauses,
        scenario_paths=(),
    )


FULL = (
    _ob("buy", "各单位要采购贫困地区农产品，全年不少于10万元"),
    _ob("encourage", "鼓励干部职工购买贫困地区产品", modality="encouraged"),
    _ob("markets", "建设一批社区智慧微菜场"),
    _ob(
        "publicity",
        "组织媒体宣传消费扶贫\n\n典型案例",
        clause="二（二）",
        responsible=["市委宣传部"],
    ),
)


def _texts(found: tuple[Sentence, ...]) -> list[str]:
    return [s.content for s in found]


def test_sentences_split_at_stops_headings_and_department_lists() -> None:
    texts = _texts(sentences(DOC))
    assert texts == [
        "示例市消费扶贫方案",
        "为助力脱贫攻坚，制定本方案。",
        "一、总体要求",
        "坚持政府引导、社会参与。",
        "二、重点任务",
        "（一）加大采购力度。",
        "各单位要采购贫困地区农产品，全年不少于10万元。",
        "鼓励干部职工购买贫困地区产品。",
        "建设一批社区智慧微菜场。",
        "（市商务局负责，市财政局配合）",
        "（二）开展宣传。",
        # a line wrapped inside a sentence does not end it
        "组织媒体宣传消费扶贫典型案例。",
        "（市委宣传部负责）",
        "2020年1月1日",
    ]
    headings = [s.content for s in sentences(DOC) if s.heading]
    assert headings == ["一、总体要求", "二、重点任务", "（一）加大采购力度。", "（二）开展宣传。"]


def test_a_halfwidth_full_stop_ends_a_sentence_but_not_a_number_or_a_marker() -> None:
    text = "(一)推动采购.鼓励购买1.5万元产品.\n\n1. 组织培训.\n"
    assert _texts(sentences(text)) == ["(一)推动采购.", "鼓励购买1.5万元产品.", "1.组织培训."]


def test_clauses_are_located_by_number_by_starts_and_fold_undeclared_parts() -> None:
    spans = {s.clause.id: s for s in locate_clauses(DOC, CLAUSES)}
    assert spans["序言"].start == 0
    assert DOC[spans["二（一）"].start or 0 :].lstrip().startswith("（一）加大采购力度")
    assert DOC[spans["落款"].start or 0 :].startswith("2020年1月1日")
    assert spans["二（二）"].end == spans["落款"].start
    # （二） undeclared: its text stays in the clause before it
    without = locate_clauses(DOC, tuple(c for c in CLAUSES if c.id != "二（二）"))
    first = next(s for s in without if s.clause.id == "二（一）")
    assert "典型案例" in DOC[first.start or 0 : first.end or 0]


def test_an_unlocated_clause_is_reported() -> None:
    lost = tuple(c.model_copy(update={"starts": None}) if c.id == "落款" else c for c in CLAUSES)
    problems = check_rules(rules(*FULL, clauses=lost))
    # its date then lies in the clause before it, where nothing accounts for it
    coverage_codes = {"sentence-gap", "clause-unlocated"}
    assert [(p.subject, p.code) for p in problems if p.code in coverage_codes] == [
        ("clause 二（二）", "sentence-gap"),
        ("clause 落款", "clause-unlocated"),
    ]


def test_the_overlap_rule() -> None:
    sentence = next(s for s in sentences(DOC) if s.content.startswith("各单位要采购"))
    text = DOC

    def quote(q: str) -> tuple[int, int]:
        at = text.index(q)
        return at, at + len(q)

    assert covers(text, *quote("各单位要采购贫困地区农产品"), sentence)  # a third, within
    assert not covers(text, *quote("贫困地区"), sentence)  # a stray phrase
    # a quote that runs into the next sentence covers it only with half of it
    assert not covers(
        text, *quote("10万元。鼓励"), next(s for s in sentences(DOC) if "鼓励" in s.text)
    )
    whole = quote("10万元。鼓励干部职工购买贫困地区产品")
    assert covers(text, *whole, next(s for s in sentences(DOC) if "鼓励" in s.text))


def test_every_sentence_accounted_for_when_fully_encoded() -> None:
    accounts = account_sentences(rules(*FULL))
    kinds = [(a.clause, a.accounting) for a in accounts]
    assert kinds == [
        ("序言", "context"),
        ("序言", "context"),
        ("一", "heading"),
        ("一", "context"),
        ("二", "heading"),
        ("二（一）", "heading"),
        ("二（一）", "encoded"),
        ("二（一）", "encoded"),
        ("二（一）", "encoded"),
        ("二（一）", "parties"),
        ("二（二）", "heading"),
        ("二（二）", "encoded"),
        ("二（二）", "parties"),
        ("落款", "context"),
    ]
    assert accounts[6].obligations == ("demo.buy",)
    assert not [p for p in check_rules(rules(*FULL)) if p.code == "sentence-gap"]


def test_a_duty_without_a_modal_word_is_a_gap_until_encoded_or_marked() -> None:
    without = tuple(ob for ob in FULL if ob.id != "demo.markets")
    gaps = [a for a in account_sentences(rules(*without)) if a.is_gap]
    assert [(g.clause, g.index, g.text) for g in gaps] == [
        ("二（一）", 4, "建设一批社区智慧微菜场。")
    ]
    (problem,) = [p for p in check_rules(rules(*without)) if p.code == "sentence-gap"]
    assert problem.subject == "clause 二（一）" and "建设一批社区智慧微菜场" in problem.message
    assert "context: [{quote" in problem.message
    marked = tuple(
        c.model_copy(
            update={"context": (ContextMark(quote="建设一批社区智慧微菜场", reason="aside"),)}
        )
        if c.id == "二（一）"
        else c
        for c in CLAUSES
    )
    accounts = account_sentences(rules(*without, clauses=marked))
    assert not [a for a in accounts if a.is_gap]
    assert any(a.accounting == "context" and a.reason == "aside" for a in accounts)


def test_text_before_the_first_clause_is_a_gap() -> None:
    clauses = tuple(c for c in CLAUSES if c.id != "序言")
    problems = [p for p in check_rules(rules(*FULL, clauses=clauses)) if p.code == "sentence-gap"]
    assert {p.subject for p in problems} == {"document"}
    assert "为第一条之前的文字声明一个条款" in problems[0].message


def test_a_quote_outside_its_clause_and_a_misplaced_context_mark() -> None:
    wrong = dataclasses.replace(
        rules(*FULL),
        obligations=(
            *FULL[:3],
            FULL[3].model_copy(
                update={"source": FULL[3].source.model_copy(update={"clause": "二（一）"})}
            ),
        ),
    )
    assert [p.subject for p in check_rules(wrong) if p.code == "quote-clause"] == ["demo.publicity"]
    misplaced = tuple(
        c.model_copy(update={"context": (ContextMark(quote="典型案例", reason="misplaced"),)})
        if c.id == "二（一）"
        else c
        for c in CLAUSES
    )
    assert [
        p.subject for p in check_rules(rules(*FULL, clauses=misplaced)) if p.code == "context-mark"
    ] == ["clause 二（一）"]


def test_not_checkable_is_read_as_context() -> None:
    clause = Clause.model_validate(
        {"id": "一", "heading": "x", "disposition": "not_checkable", "reason": "principles"}
    )
    assert clause.disposition == "context"


def test_coverage_rows_keep_their_clause_problems() -> None:
    rows = coverage(rules(*FULL[:3]))
    assert [(r.clause, r.code) for r in rows if r.problem] == [("二（二）", "clause-coverage")]


def test_cli_coverage_table_json_and_exit_status(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from xfrules.commands import coverage as command
    from xfrules.registry import Registry

    state = {"rules": rules(*FULL)}
    monkeypatch.setattr(command, "loaded_registry", lambda args: Registry({"demo": state["rules"]}))
    assert main(["coverage"]) == 0
    out = capsys.readouterr().out
    assert "共 14 句" in out and "缺口 0 句" in out
    assert main(["coverage", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "14 sentences" in out and "0 gaps" in out
    state["rules"] = rules(*FULL[:2], FULL[3])
    assert main(["coverage", "--gaps"]) == 1
    out = capsys.readouterr().out
    assert "建设一批社区智慧微菜场" in out and "缺口 1 句" in out and "鼓励干部职工" not in out
    assert main(["coverage", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "xfrules.coverage/2"
    assert [s["text"] for s in data["sentences"] if s["accounting"] == "gap"] == [
        "建设一批社区智慧微菜场。"
    ]
