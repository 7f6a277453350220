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
