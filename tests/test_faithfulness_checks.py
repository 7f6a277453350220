"""The faithfulness checks of ``xfrules check`` on a toy plug-in: the clean encoding passes,
and each one-line unfaithful change (modality, parties, numbers, comparators, applicability,
duties) is reported under its code — or waived, with its reason, when deliberate."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from toy_plugin import CLAUSES, CLEAN, DOC, changed, ob, rules, write_tree

from xfrules.check import CheckProblem, check_rules
from xfrules.check.modality import modal_words, modality_of
from xfrules.check.stated_numbers import stated_numbers
from xfrules.cli import main
from xfrules.obligations import Waiver, obligation_adapter
from xfrules.registry import JurisdictionRules


def errors(r: JurisdictionRules) -> list[CheckProblem]:
    return [p for p in check_rules(r) if p.severity == "error"]


def found(r: JurisdictionRules) -> set[tuple[str, str]]:
    return {(p.subject, p.code) for p in errors(r)}


def test_the_clean_toy_plugin_passes_every_check() -> None:
    assert check_rules(rules()) == []


# --------------------------------------------------------------------------- modality


@pytest.mark.parametrize(
    ("ob_id", "modality", "word"),
    [
        ("buy", "encouraged", "'要'"),
        ("staff", "mandatory", "'鼓励'"),
        ("counters", "mandatory", "'力争'"),
        ("reward_fund", "aspirational", "'应'"),
    ],
)
def test_a_flipped_modality_is_reported_with_the_words(
    ob_id: str, modality: str, word: str
) -> None:
    (problem,) = errors(changed(ob_id, modality=modality))
    assert (problem.subject, problem.code) == (f"demo.{ob_id}", "modality")
    assert word in problem.message and "waivers: [{check: modality" in problem.message


def test_a_plain_directive_is_mandatory() -> None:
    (problem,) = errors(changed("publicity", modality="encouraged"))
    assert problem.code == "modality" and "a plain directive" in problem.message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("促进可持续发展", []),
        ("具备条件的单位可以采购", ["可以"]),
        ("可明确一定额度", ["可"]),
        ("给予政策支持", []),
        ("采取政府支持与市场运作相结合方式", []),
        ("支持企业设立专柜", ["支持"]),
        ("加大支持力度", []),
        ("坚持政府引导、社会参与", []),
        ("发出倡议", []),
        ("主要目标和重要抓手", []),
        ("按照文件要求", []),
        ("供应链建设和应用", []),
        ("各单位要采购", ["要"]),
        ("签字即可", []),
    ],
)
def test_modal_words_avoid_the_traps(text: str, words: list[str]) -> None:
    assert [w for w, _ in modal_words(text)] == words


def test_modality_reads_clause_by_clause_and_the_words_before_the_quote() -> None:
    assert modality_of("要鼓励企业采购")[0] == {"mandatory"}  # a duty to encourage
    assert modality_of("鼓励企业采购，优先采购农产品")[0] == {"encouraged"}  # the list goes on
    assert modality_of("采取以购代捐方式采购", "鼓励民企")[0] == {"encouraged"}
    assert modality_of("各地要设立基地，探索建立专线")[0] == {"mandatory", "encouraged"}
    assert modality_of("针对疫情影响，支持企业复工")[0] == {"encouraged"}  # circumstance


def test_a_quote_holding_two_modalities_is_reported() -> None:
    both = "各预算单位要采购贫困地区农产品，全年不少于10万元。鼓励干部职工购买贫困地区产品"
    (problem,) = errors(changed("buy", source=CLEAN[0].source.model_copy(update={"quote": both})))
    assert problem.code == "modality-mixed" and "'要'" in problem.message
    assert "'鼓励'" in problem.message


def test_a_headings_words_are_not_the_duty_and_a_heading_alone_is_no_quote() -> None:
    heading = CLEAN[5].source.model_copy(update={"quote": "（二）帮扶促销"})
    assert found(changed("publicity", source=heading)) == {
        ("demo.publicity", "quote-heading"),
        ("clause 一（二）", "sentence-gap"),  # its own sentence is left unencoded
    }


# --------------------------------------------------------------------------- bound parties


def test_swapped_lead_and_responsible_are_reported() -> None:
    assert found(changed("buy", lead=("市商务局",), responsible=("市财政局",))) == {
        ("demo.buy", "party-role")
    }


def test_a_participant_bound_as_responsible_is_reported() -> None:
    assert found(changed("buy", responsible=("市商务局", "市教育局"), participants=())) == {
        ("demo.buy", "participant-bound")
    }


def test_a_wrong_department_is_reported_and_the_listed_one_unbound() -> None:
    assert found(changed("buy", responsible=("市委宣传部",))) == {("demo.buy", "party-not-named")}
    # the sentence keeps its lead, but its 负责 party is swapped for one the text does not name
    assert found(changed("staff", responsible=("市委宣传部",))) == {
        ("demo.staff", "party-not-named"),
        ("clause 一（一）", "party-dropped"),
    }
    both = rules(
        *(
            o.model_copy(update={"responsible": ("市委宣传部",)})
            if o.id in ("demo.buy", "demo.staff")
            else o
            for o in CLEAN
        )
    )
    unbound = found(both)
    assert ("clause 一（一）", "party-unbound") in unbound


def test_a_dropped_department_is_reported() -> None:
    # dropped from a sentence that names no party of its own (so takes all of its list's)
    # while the task's other sentence still binds it
    assert found(changed("staff", lead=())) == {("clause 一（一）", "party-dropped")}
    # a sentence naming its own party by kind (各预算单位要…) is bound as written
    assert found(changed("buy", lead=())) == set()
    # dropped from every sentence of the task
    assert found(
        rules(
            *(
                o.model_copy(update={"lead": ()}) if o.id in ("demo.buy", "demo.staff") else o
                for o in CLEAN
            )
        )
    ) == {("clause 一（一）", "party-unbound"), ("clause 一（一）", "party-dropped")}


def test_a_kind_nothing_in_the_text_gives_is_reported_beside_the_kinds_it_does() -> None:
    """受帮扶县应设立奖励资金 gives paired counties (a word of the table); the city as a whole,
    which the table has no word for and no bound party stands for, is added by nothing."""
    assert found(changed("reward_fund", applies_to=("paired_county", "city"))) == {
        ("demo.reward_fund", "applicability-party")
    }
    # a duty no kind of which the text addresses is the duty of the whole, as encoded
    assert found(changed("staff", applies_to=("city",))) == set()
    # a measured target is exempt: who holds a figure given jointly is read in its notes
    assert found(changed("promotion", applies_to=("pairing_unit", "city"))) == set()


def test_a_list_shared_out_among_its_sentences_takes_no_dropped_party() -> None:
    """(…分别负责): the list's parties take its sentences in turn; each needs a duty only."""
    text = DOC.replace(
        "（市财政局牵头，市商务局负责，市教育局配合）", "（市财政局、市商务局分别负责）"
    )
    r = rules(
        *(
            o.model_copy(update={"lead": (), "participants": ()})
            if o.id in ("demo.buy", "demo.staff")
            else o
            for o in CLEAN
        )
    )
    r = dataclasses.replace(r, document=r.document.model_copy(update={"text": text}))  # type: ignore[union-attr]
    assert found(r) == {("clause 一（一）", "party-unbound")}  # 市财政局: bound by no sentence
    shared = dataclasses.replace(
        r,
        obligations=tuple(
            o.model_copy(update={"responsible": ("市财政局",)}) if o.id == "demo.buy" else o
            for o in r.obligations
        ),
    )
    assert found(shared) == set()


def test_a_sentence_naming_its_own_group_takes_no_dropped_party() -> None:
    text = DOC.replace("鼓励干部职工购买贫困地区产品", "鼓励相关部门干部职工购买贫困地区产品")
    staff = next(o for o in CLEAN if o.id == "demo.staff")
    source = staff.source.model_copy(update={"quote": "鼓励相关部门干部职工购买贫困地区产品"})
    r = changed("staff", lead=(), source=source)
    r = dataclasses.replace(r, document=r.document.model_copy(update={"text": text}))  # type: ignore[union-attr]
    assert found(r) == set()
    # without the group word the sentence takes the list's lead, 市财政局, too
    assert found(changed("staff", lead=())) == {("clause 一（一）", "party-dropped")}


def test_an_undeclared_name_of_a_list_is_reported() -> None:
    text = DOC.replace("（市商务局负责）", "（市商务局、市农业局负责）")
    r = dataclasses.replace(
        rules(),
        document=rules().document.model_copy(update={"text": text}),  # type: ignore[union-attr]
    )
    (problem,) = errors(r)
    assert (problem.subject, problem.code) == ("clause 一（二）", "party-undeclared")
    assert "市农业局" in problem.message


def test_a_report_recipient_is_not_bound_to_report_to_itself() -> None:
    report = ob(
        "report",
        "由市委宣传部组织宣传",
        clause="一（二）",
        kind="reporting",
        evidence=None,
        report="r",
        recipient="市委宣传部",
        responsible=["市委宣传部"],
    )
    r = rules(*CLEAN, report)
    assert ("demo.report", "party-recipient") in found(r)


# --------------------------------------------------------------------------- numbers


def test_a_number_of_the_duty_no_threshold_encodes_is_reported() -> None:
    dropped = ("kind", "thresholds", "measure", "allocations", "allocated_kinds")
    data = {k: v for k, v in CLEAN[2].model_dump().items() if k not in dropped}
    qualitative = obligation_adapter.validate_python(
        {**data, "kind": "qualitative", "evidence": "promotions"}
    )
    r = rules(*(qualitative if o.id == "demo.promotion" else o for o in CLEAN))
    (problem,) = errors(r)
    assert problem.code == "duty-number" and "写明 2（'组织促销活动2次'）" in problem.message


def test_stated_numbers_skip_dates_titles_and_non_counts() -> None:
    text = "按照《2019年工作要点》，进一步推动一批企业，每月29日前报送附件1、2，每个县培训两次，达到1.2万元和百分之五"
    assert sorted(v for v, _ in stated_numbers(text)) == [
        Decimal("0.05"),
        Decimal(2),
        Decimal(12000),
    ]


def test_a_threshold_value_its_quote_does_not_state_is_reported_twice() -> None:
    th = CLEAN[2].thresholds[0].model_copy(update={"value": Decimal(3)})  # type: ignore[union-attr]
    assert found(changed("promotion", thresholds=(th,))) == {
        ("demo.promotion", "threshold-quote"),
        ("demo.promotion", "duty-number"),
    }


# --------------------------------------------------------------------------- comparators


def _threshold(ob_id: str, **update: Any) -> JurisdictionRules:
    base = next(o for o in CLEAN if o.id == f"demo.{ob_id}")
    th = base.thresholds[0].model_copy(update=update)  # type: ignore[union-attr]
    return changed(ob_id, thresholds=(th,))


def test_a_strict_comparator_is_reported_with_or_without_words() -> None:
    assert found(_threshold("buy", comparator=">")) == {("demo.buy", "threshold-comparator")}
    assert found(_threshold("promotion", comparator=">")) == {
        ("demo.promotion", "threshold-unworded")
    }


def test_approximation_words_and_the_flag_agree() -> None:
    assert found(_threshold("counters", approximate=False)) == {
        ("demo.counters", "threshold-approximate")
    }
    assert found(_threshold("buy", approximate=True)) == {("demo.buy", "threshold-approximate")}


def test_a_tolerance_is_written_in_the_notes() -> None:
    assert found(_threshold("counters", tolerance=Decimal("0.05"))) == {
        ("demo.counters", "threshold-tolerance")
    }
    base = _threshold("counters", tolerance=Decimal("0.05"))
    noted = changed(
        "counters",
        thresholds=next(o for o in base.obligations if o.id == "demo.counters").thresholds,  # type: ignore[union-attr]
        notes="100左右: met within 5% (decision, see README).",
    )
    assert errors(noted) == []


def test_a_range_is_between() -> None:
    assert found(_threshold("promotion", comparator="between", upper=Decimal(3))) == {
        ("demo.promotion", "threshold-range"),
        ("demo.promotion", "threshold-quote"),  # nor does it state 3
    }
    text = DOC.replace("组织促销活动2次", "组织促销活动2－3次")
    ranged = dataclasses.replace(
        rules(),
        document=rules().document.model_copy(update={"text": text}),  # type: ignore[union-attr]
        obligations=tuple(
            o.model_copy(
                update={
                    "source": o.source.model_copy(update={"quote": "帮扶单位要组织促销活动2－3次"}),
                    "thresholds": (
                        o.thresholds[0].model_copy(update={"quote": "2－3次"}),  # type: ignore[union-attr]
                    ),
                }
            )
            if o.id == "demo.promotion"
            else o
            for o in CLEAN
        ),
    )
    assert ("demo.promotion", "threshold-range") in found(ranged)


# --------------------------------------------------------------------------- applicability


def test_a_duty_bound_on_the_wrong_side_is_reported() -> None:
    (problem,) = errors(changed("promotion", applies_to=("paired_county",)))
    assert (problem.subject, problem.code) == ("demo.promotion", "applicability")
    assert "受帮扶" in problem.message
    # 受帮扶 is not read as 帮扶
    assert found(changed("reward_fund", applies_to=("pairing_unit",))) == {
        ("demo.reward_fund", "applicability")
    }


def test_a_widened_applies_to_is_reported() -> None:
    assert found(changed("buy", applies_to=("budget_unit", "pairing_unit"))) == {
        ("demo.buy", "applicability")
    }


def test_no_table_is_a_warning() -> None:
    bare = dataclasses.replace(
        rules(), jurisdiction=rules().jurisdiction.model_copy(update={"applicability": ()})
    )
    problems = check_rules(bare)
    assert [(p.code, p.severity) for p in problems] == [("applicability-table", "warning")]


# --------------------------------------------------------------------------- duties and waivers


def test_a_deleted_duty_leaves_a_gap() -> None:
    r = rules(*(o for o in CLEAN if o.id != "demo.reward_fund"))
    (problem,) = errors(r)
    assert (problem.subject, problem.code) == ("clause 一（二）", "sentence-gap")
    assert "受帮扶县应设立奖励资金" in problem.message


def test_a_waiver_silences_exactly_its_check_and_keeps_the_reason() -> None:
    waiver = Waiver(check="modality", reason="read as encouraged: see README D1")
    r = changed("buy", modality="encouraged", waivers=(waiver,))
    problems = check_rules(r)
    assert errors(r) == []
    (waived,) = problems
    assert (waived.severity, waived.code, waived.waiver) == (
        "waived",
        "modality",
        "read as encouraged: see README D1",
    )
    # it silences nothing else: a wrong party on the same obligation is still an error
    both = rules(
        *(
            o.model_copy(update={"modality": "encouraged", "waivers": (waiver,)})
            if o.id == "demo.buy"
            else o.model_copy(update={"lead": ()})
            if o.id == "demo.staff"
            else o
            for o in CLEAN
        )
    )
    assert found(both) == {("clause 一（一）", "party-dropped")}


def test_stale_and_unknown_waivers() -> None:
    stale = changed("buy", waivers=(Waiver(check="modality", reason="no longer needed"),))
    assert [(p.code, p.severity) for p in check_rules(stale)] == [("waiver-unused", "error")]
    unknown = changed("buy", waivers=(Waiver(check="modalty", reason="misspelt code"),))
    assert found(unknown) == {("demo.buy", "waiver-unknown-check")}


def test_a_clause_waiver_silences_a_clause_problem() -> None:
    waived = tuple(
        c.model_copy(
            update={"waivers": (Waiver(check="party-dropped", reason="lead by custom, README"),)}
        )
        if c.id == "一（一）"
        else c
        for c in CLAUSES
    )
    r = rules(
        *(o.model_copy(update={"lead": ()}) if o.id == "demo.staff" else o for o in CLEAN),
        clauses=waived,
    )
    assert errors(r) == []
    assert [p.code for p in check_rules(r) if p.severity == "waived"] == ["party-dropped"]


def test_check_prints_waivers_with_their_reasons(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XFRULES_SHARED_SOURCES", str(tmp_path / "none"))
    tree = write_tree(tmp_path / "clean", rules())
    assert main(["check", str(tree)]) == 0
    assert "错误 0 项，警告 0 项" in capsys.readouterr().out
    r = changed(
        "buy", modality="encouraged", waivers=(Waiver(check="modality", reason="read as 鼓励: D1"),)
    )
    waived = str(write_tree(tmp_path / "waived", r))
    assert main(["check", waived]) == 0
    out = capsys.readouterr().out
    assert "read as 鼓励: D1" in out and "错误 0 项，警告 0 项，豁免 1 项" in out
    assert "豁免的检查" in out  # the waived table's heading
    assert main(["check", waived, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "read as 鼓励: D1" in out and "0 errors, 0 warnings, 1 waived" in out
    assert "waived check" in out
    broken = changed("buy", modality="encouraged")
    assert main(["check", str(write_tree(tmp_path / "broken", broken))]) == 1
    assert "modality" in capsys.readouterr().out


# --------------------------------------------------------------------------- dates and periods


def test_a_date_the_document_does_not_write_is_reported_unless_the_notes_decide_it() -> None:
    from datetime import date

    shifted = changed("buy", valid_to=date(2020, 12, 1))
    (problem,) = errors(shifted)
    assert problem.code == "date-unstated" and "valid_to 2020-12-01" in problem.message
    noted = changed("buy", valid_to=date(2020, 12, 1), notes="in force to 2020-12-01 (decision)")
    assert errors(noted) == []


def test_a_monthly_period_needs_monthly_words() -> None:
    from xfrules.obligations import Period

    monthly = changed("promotion", period=Period(frequency="monthly", due_day=10))
    assert found(monthly) == {("demo.promotion", "period-words")}


def test_the_guide_documents_every_check_code() -> None:
    from xfrules.check import CHECK_CODES

    guide = (Path(__file__).resolve().parents[1] / "docs" / "guide.md").read_text(encoding="utf-8")
    missing = [code for code in CHECK_CODES if f"`{code}`" not in guide]
    assert not missing, missing
