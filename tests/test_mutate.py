"""``xfrules scenarios suggest`` and ``xfrules mutate`` on the toy plug-in: skeletons load
strictly and pass unchanged; every one-line mutant is killed by check or by the scenarios, or
recorded as equivalent with a reason; a deliberately broken encoding is reported."""

from __future__ import annotations

import dataclasses
import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from toy_plugin import CLEAN, changed, rules, write_tree

from xfrules.cli import main
from xfrules.mutants import EquivalentMutant, mutants
from xfrules.mutation import run_mutation
from xfrules.obligations import Allocation
from xfrules.registry import Registry
from xfrules.scenarios import load_scenarios, run_scenario
from xfrules.skeletons import HEADER, skeleton_file, skeletons

EQUIVALENT = """\
equivalent:
  - obligation: demo.publicity
    mutation: swap-lead-responsible
    reason: the sentence names 市委宣传部 with no 牵头/负责, so its role is not decided by the text
  - obligation: demo.promotion
    mutation: drop-department
    reason: &own_party >-
      the sentence names its own party as a kind of unit (帮扶单位, 受帮扶县), which the duty binds;
      whether the list's 市商务局 answers for it too the text does not decide (the other duties of
      the clause bind 市商务局), and no unit's verdict changes
  - obligation: demo.reward_fund
    mutation: drop-department
    reason: *own_party
  - obligation: demo.buy
    mutation: drop-department
    reason: *own_party
"""


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The toy plug-in as a source tree with its suggested scenarios and its mutants.yaml."""
    monkeypatch.setenv("XFRULES_SHARED_SOURCES", str(tmp_path / "none"))
    root = write_tree(tmp_path / "toy", rules())
    assert (
        main(["scenarios", "suggest", "--path", str(root), "--out", str(_pkg(root) / "scenarios")])
        == 0
    )
    (_pkg(root) / "mutants.yaml").write_text(EQUIVALENT, encoding="utf-8")
    return root


def _pkg(root: Path) -> Path:
    return root / "src" / "xfrules_demo_toy"


# --------------------------------------------------------------------------- skeletons


def test_skeletons_cover_the_boundaries_and_pass_unchanged(tmp_path: Path) -> None:
    r = rules()
    buy = next(o for o in CLEAN if o.id == "demo.buy")
    names = [s["name"].split(": ", 1)[1] for s in skeletons(r, buy)]
    assert names == [
        "exactly at the threshold (>= 100000)",
        "one step short",
        "no evidence at all",
        "the day before the validity",
        "after the validity: the last period stands",
        "a unit of a kind it does not bind (pairing_unit)",
        "the facts of a subordinate unit (subtree)",
    ]
    counters = next(o for o in CLEAN if o.id == "demo.counters")
    assert [s["name"].split(": ", 1)[1] for s in skeletons(r, counters)][:3] == [
        "at the stated number (>= 100, approximate)",
        "at its tolerance (90)",
        "one step short",
    ]
    path = tmp_path / "suggested.yaml"
    text = skeleton_file(r, r.obligations)
    assert text.startswith(HEADER.format(what="6 obligations of demo"))
    assert "CURRENT reading" in text
    path.write_text(text, encoding="utf-8")
    scenarios = load_scenarios(path)  # the strict loader
    assert len(scenarios) == sum(len(skeletons(r, o)) for o in r.obligations)
    registry = Registry({"demo": r})
    assert [f for s in scenarios for f in run_scenario(s, registry)] == []
    statuses = {e.status.value for s in scenarios for e in s.expect}
    assert {"compliant", "non_compliant", "not_applicable"} <= statuses
    # They encode the reading: the rules changed, a skeleton fails.
    doubled = changed(
        "buy",
        thresholds=(buy.thresholds[0].model_copy(update={"value": Decimal(200000)}),),  # type: ignore[union-attr]
    )
    failures = [f for s in scenarios for f in run_scenario(s, Registry({"demo": doubled}))]
    assert failures and all("demo.buy" in f for f in failures)


# Two narrowings of who is bound: by name (the unnamed are out) or by exclusion (a named
# department of the kind is out); one obligation cannot meaningfully have both.
NARROWED = {
    "by name": (
        {"named_departments_only": True},
        "a department it does not name (市委宣传部)",
        "bind-unnamed",
    ),
    "by exclusion": (
        {"excluded_departments": ("市委宣传部",)},
        "a unit of a department it leaves out (市委宣传部)",
        "drop-exclusion",
    ),
}


@pytest.mark.parametrize("how", sorted(NARROWED))
def test_skeletons_pin_who_is_bound_and_whose_facts_count(tmp_path: Path, how: str) -> None:
    """The cases of parties, requirements, scope and filters: each one's verdict differs from
    the mutant's, so the committed skeletons kill every such mutant of the obligation."""
    narrowing, left_out, operator = NARROWED[how]
    buy = next(o for o in CLEAN if o.id == "demo.buy")
    measure = buy.measure.model_copy(update={"categories": ("agricultural",)})  # type: ignore[union-attr]
    r = changed("buy", measure=measure, requires=("canteen",), **narrowing)
    narrow = next(o for o in r.obligations if o.id == "demo.buy")
    cases = {s["name"].split(": ", 1)[1]: s for s in skeletons(r, narrow)}
    statuses = {name: case["expect"][0]["status"] for name, case in cases.items()}
    assert statuses[left_out] == "not_applicable"
    assert statuses["a unit that lacks what it requires (canteen)"] == "not_applicable"
    assert statuses["the facts of a subordinate unit (subtree)"] == "compliant"
    assert statuses["a purchase outside its filters"] == "non_compliant"
    (bought,) = cases["a purchase outside its filters"]["facts"]["transactions"]
    assert bought["category"] == "not_agricultural"
    path = tmp_path / "suggested.yaml"
    path.write_text(skeleton_file(r, [narrow]), encoding="utf-8")
    with_cases = dataclasses.replace(r, scenario_paths=(path,))
    new = {operator, "drop-requirement", "drop-filter", "flip-scope"}
    report = run_mutation(with_cases, obligations={"demo.buy"}, operators=new, jobs=1)
    assert {x.mutant.operator for x in report.results} == new
    assert report.survivors == []
    assert all(str(x.killed_by).startswith("scenario: ") for x in report.results)
    # without the cases, check alone lets them all through: the skeletons are what pin them
    alone = run_mutation(r, obligations={"demo.buy"}, operators=new, jobs=1)
    assert {x.mutant.operator for x in alone.survivors} == new


def test_no_purchase_outside_origin_sets_that_cover_every_province() -> None:
    from types import SimpleNamespace

    from xfrules.regions import PROVINCE_PREFIXES
    from xfrules.skeletons import _outside

    measure = next(o for o in CLEAN if o.id == "demo.buy").measure.model_copy(  # type: ignore[union-attr]
        update={"origin_sets": ("everywhere",)}
    )

    def rules_with(codes: set[str]) -> Any:
        return SimpleNamespace(region_set=lambda name: SimpleNamespace(codes=frozenset(codes)))

    assert _outside(rules_with({p + "0000" for p in PROVINCE_PREFIXES}), measure) is None
    outside = _outside(rules_with({"110000", "520602"}), measure)
    assert outside is not None and outside[:2] != "11" and outside != "520602"


def test_a_unit_scope_is_pinned_by_a_subordinates_purchase(tmp_path: Path) -> None:
    buy = next(o for o in CLEAN if o.id == "demo.buy")
    r = changed("buy", measure=buy.measure.model_copy(update={"scope": "unit"}))  # type: ignore[union-attr]
    (case,) = [s for s in skeletons(r, r.obligations[0]) if "subordinate" in s["name"]]
    assert case["name"].endswith("(unit)") and case["expect"][0]["status"] == "non_compliant"


def test_a_baseline_read_a_year_off_is_caught_by_the_dates_the_text_states() -> None:
    from xfrules.registry import load_registry

    suzhou = load_registry().jurisdictions["suzhou"]
    report = run_mutation(suzhou, operators={"shift-baseline"}, jobs=1)
    assert report.results, "Suzhou's baselines (2019年度) give mutants"
    assert {x.mutant.detail.split(" → ")[1] for x in report.results} == {"2018-01-01..2018-12-31"}
    assert all(str(x.killed_by).startswith("check: date-unstated") for x in report.results)


def test_a_share_copied_wrong_is_caught_by_the_shares_adding_up() -> None:
    shares = [
        {"unit": "u1", "name": "甲", "value": "60000"},
        {"unit": "u2", "name": "乙", "value": "40000"},
    ]
    r = changed("buy", allocations=tuple(Allocation.model_validate(a) for a in shares))
    (mutant,) = mutants(r, {"demo.buy"}, {"double-allocation"})
    assert mutant.detail == "allocations[0] (u1) 60000 → ×2"
    report = run_mutation(r, obligations={"demo.buy"}, operators={"double-allocation"}, jobs=1)
    assert [x.killed_by for x in report.results] == ["check: allocations-do-not-sum (demo.buy)"]


def test_a_dated_target_a_year_off_is_caught_by_the_dates_the_text_states() -> None:
    from xfrules.registry import load_registry

    tianjin = load_registry().jurisdictions["tianjin"]
    report = run_mutation(tianjin, operators={"shift-threshold-date"}, jobs=1)
    assert report.results, "Tianjin's dated targets (2019年…) give mutants"
    assert all(str(x.killed_by).startswith("check: date-unstated") for x in report.results)


def test_other_key_reads_a_key_the_plugin_uses() -> None:
    by = {(m.obligation, m.detail) for m in mutants(rules(), operators={"other-key"})}
    # qualitative evidence and report keys are one family; metrics another
    assert ("demo.staff", "evidence staff → publicity") in by
    assert ("demo.promotion", "measure.metric promotions → counters") in by
    assert ("demo.counters", "measure.metric counters → promotions") in by


@pytest.mark.usefixtures("xfrules_english")  # the English texts; the Chinese: test_error_language
def test_suggest_writes_one_file_per_obligation_and_keeps_existing_ones(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _pkg(tree) / "scenarios"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"suggested_{o.id.split('.')[1]}.yaml" for o in CLEAN
    )
    assert main(["scenarios", "suggest", "--path", str(tree), "--out", str(folder)]) == 2
    assert "exists" in capsys.readouterr().err
    assert main(["scenarios", "suggest", "--path", str(tree), "--obligation", "demo.buy"]) == 0
    out = capsys.readouterr().out
    assert "demo.buy: exactly at the threshold" in out and "demo.staff" not in out
    assert main(["scenarios", "suggest", "--path", str(tree), "--obligation", "demo.nope"]) == 2


# --------------------------------------------------------------------------- mutate


def test_every_mutant_of_the_toy_is_killed_or_equivalent(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(tree)]) == 0
    capsys.readouterr()
    assert main(["mutate", str(tree), "--jobs", "2"]) == 0
    out = capsys.readouterr().out
    # The suggested scenarios state who is bound and how (modality, lead, responsible): once
    # committed, they pin the readings check leaves open, and no mutant survives.
    assert "杀死 78 个（100%" in out and "未解释 0 个" in out
    assert out.count("未解释") == 1  # the summary's only: no survivor is listed as unexplained


def test_the_kit_alone_leaves_the_readings_it_cannot_decide_to_mutants_yaml(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Without the scenarios, check decides the readings of the words (modality, parties, kinds,
    # numbers, dates) but those recorded as equivalent; which facts a duty reads — its evidence
    # key, its metric, its scope — no word of the text shows, so only scenarios pin them.
    shutil.rmtree(_pkg(tree) / "scenarios")
    assert main(["mutate", str(tree), "--jobs", "2", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    unexplained = {
        m["mutation"] for m in data["mutants"] if not m["killed_by"] and not m["equivalent"]
    }
    assert unexplained == {"other-key", "flip-scope"}
    assert {m["equivalent"] for m in data["mutants"] if m["equivalent"]} >= {
        "the sentence names 市委宣传部 with no 牵头/负责, so its role is not decided by the text"
    }


def test_an_unexplained_survivor_fails_and_is_named(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (_pkg(tree) / "mutants.yaml").unlink()
    shutil.rmtree(_pkg(tree) / "scenarios")
    assert main(["mutate", str(tree), "--jobs", "1"]) == 1
    out = capsys.readouterr().out
    assert "demo.publicity" in out and "swap-lead-responsible" in out
    # the four readings check leaves open, and the eight keys and scopes only scenarios pin
    assert out.count("未解释") == 12 + 1 and "未解释 12 个" in out


def test_mutate_json_and_a_stale_equivalent(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (_pkg(tree) / "mutants.yaml").write_text(
        EQUIVALENT
        + "  - obligation: demo.buy\n    mutation: flip-modality\n"
        + "    reason: not equivalent at all, and killed anyway\n",
        encoding="utf-8",
    )
    assert main(["mutate", str(tree), "--format", "json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["format"] == "xfrules.mutate/1" and data["jurisdiction"] == "demo"
    flips = [m for m in data["mutants"] if m["mutation"] == "flip-modality"]
    assert {m["killed_by"] for m in flips} == {
        "check: modality (" + m["obligation"] + ")" for m in flips
    }
    # every recorded equivalent is killed by the suggested scenarios, which state the parties
    assert [e["obligation"] for e in data["stale_equivalents"]] == [
        "demo.publicity",
        "demo.promotion",
        "demo.reward_fund",
        "demo.buy",
        "demo.buy",
    ]


def test_where_each_kind_of_mutant_is_caught() -> None:
    r = rules()
    report = run_mutation(r, jobs=1)  # no scenarios: check alone
    by = {(x.mutant.obligation, x.mutant.operator): x.killed_by for x in report.results}
    assert by[("demo.buy", "flip-modality")] == "check: modality (demo.buy)"
    assert by[("demo.reward_fund", "drop-duty")] == "check: sentence-gap (clause 一（二）)"
    assert by[("demo.buy", "swap-lead-responsible")] == "check: party-role (demo.buy)"
    assert by[("demo.buy", "double-threshold")] == "check: duty-number (demo.buy)"
    assert by[("demo.buy", "strict-comparator")] == "check: threshold-comparator (demo.buy)"
    assert by[("demo.promotion", "wrong-unit-kind")] == "check: applicability (demo.promotion)"
    assert by[("demo.buy", "shift-date")] == "check: date-unstated (demo.buy)"
    assert (
        by[("demo.counters", "drop-approximate")] == "check: threshold-approximate (demo.counters)"
    )
    # an approximate number's tolerance is the author's decision, stated in the notes
    shifted = [x for x in report.results if x.mutant.operator == "shift-tolerance"]
    assert [(x.mutant.obligation, x.mutant.detail, x.killed_by) for x in shifted] == [
        (
            "demo.counters",
            f"thresholds[0] tolerance 0.1 → {new}",
            "check: threshold-tolerance (demo.counters)",
        )
        for new in ("0.2", "0.05")
    ]
    survivors = {(x.mutant.obligation, x.mutant.operator) for x in report.survivors}
    # the sentences that name their own party by kind may leave the list's party out
    assert survivors == {
        ("demo.publicity", "swap-lead-responsible"),
        ("demo.promotion", "drop-department"),
        ("demo.reward_fund", "drop-department"),
        ("demo.buy", "drop-department"),  # 各预算单位要…: its own party, by kind
        # which facts a duty reads (its keys, its scope) no word shows: scenarios pin them
        # (demo.buy reads every purchase: no key of its own)
        *((f"demo.{name}", "other-key") for name in ("staff", "promotion", "reward_fund")),
        *((f"demo.{name}", "other-key") for name in ("counters", "publicity")),
        *((f"demo.{name}", "flip-scope") for name in ("buy", "promotion", "counters")),
    }
    # a sentence naming no party of its own takes every party of its list
    assert by[("demo.staff", "drop-department")] == "check: party-dropped (clause 一（一）)"


def test_equivalents_match_an_operator_or_one_mutant() -> None:
    (mutant,) = [m for m in mutants(rules(), {"demo.publicity"}, {"swap-lead-responsible"})]
    every = EquivalentMutant(
        obligation="demo.publicity", mutation="swap-lead-responsible", reason="a good reason"
    )
    one = every.model_copy(update={"detail": "lead ⇄ responsible"})
    other = every.model_copy(update={"detail": "something else"})
    assert every.covers(mutant) and one.covers(mutant) and not other.covers(mutant)
    with pytest.raises(ValueError):
        EquivalentMutant(obligation="demo.publicity", mutation="x", reason="short")


def test_a_broken_encoding_is_reported_by_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A new author's deliberately broken encoding: an encouraged duty made mandatory, the
    lead and responsible parties swapped, a duty deleted."""
    broken = rules(
        *(
            o.model_copy(update={"modality": "mandatory"})
            if o.id == "demo.staff"
            else o.model_copy(update={"lead": o.responsible, "responsible": o.lead})
            if o.id == "demo.buy"
            else o
            for o in CLEAN
            if o.id != "demo.reward_fund"
        )
    )
    root = write_tree(tmp_path / "broken", broken)
    assert main(["check", str(root)]) == 1
    out = capsys.readouterr().out
    assert "modality" in out and "'鼓励'" in out
    assert "party-role" in out
    assert "sentence-gap" in out and "受帮扶县应设立奖励资金" in out


@pytest.mark.usefixtures("xfrules_english")  # the English texts; the Chinese: test_error_language
def test_mutate_refuses_what_it_cannot_load(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["mutate", str(tmp_path / "nowhere")]) == 2
    assert main(["mutate", "-j", "nosuch"]) == 2
    assert main(["mutate"]) == 2
    assert "name one plug-in" in capsys.readouterr().err


def test_quick_properties_kill_only_what_the_unmutated_rules_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The property phase (``--properties``) runs on survivors of check and scenarios; a
    property the unmutated obligation already fails kills nothing."""
    from hypothesis import given
    from hypothesis import strategies as st

    from xfrules import mutation
    from xfrules.testing import properties

    @given(st.just(0))
    def test_publicity_is_responsible(xfrules_obligation: object, _: int) -> None:
        _, ob = xfrules_obligation  # type: ignore[misc]
        assert ob.id != "demo.publicity" or ob.responsible

    @given(st.just(0))
    def test_always_fails(xfrules_obligation: object, _: int) -> None:
        raise AssertionError("fails on the unmutated rules too")

    monkeypatch.setattr(
        properties, "test_publicity_is_responsible", test_publicity_is_responsible, raising=False
    )
    monkeypatch.setattr(properties, "test_always_fails", test_always_fails, raising=False)
    monkeypatch.setattr(
        mutation, "QUICK_PROPERTIES", ("test_always_fails", "test_publicity_is_responsible")
    )
    monkeypatch.setattr(mutation, "_BASELINE_PROPERTIES", {})
    scope = {"obligations": {"demo.publicity"}, "operators": {"swap-lead-responsible"}}
    without = run_mutation(rules(), jobs=1, **scope)  # type: ignore[arg-type]
    assert [r.killed_by for r in without.results] == [None]
    report = run_mutation(rules(), jobs=1, properties=True, **scope)  # type: ignore[arg-type]
    assert [r.killed_by for r in report.results] == ["property: publicity_is_responsible"]


@pytest.mark.parametrize("code", ["datonghu", "shaanxi", "shanghai", "suzhou", "tianjin"])
def test_skeletons_of_every_bundled_plugin_load_strictly_and_pass(
    code: str, tmp_path: Path
) -> None:
    from xfrules.registry import load_registry

    r = load_registry().jurisdictions[code]
    path = tmp_path / f"{code}.yaml"
    path.write_text(skeleton_file(r, r.obligations), encoding="utf-8")
    scenarios = load_scenarios(path)
    assert len(scenarios) >= 4 * len(r.obligations)
    registry = Registry({code: r})
    assert [f for s in scenarios for f in run_scenario(s, registry)] == []


@pytest.mark.parametrize("code", ["datonghu", "shaanxi", "shanghai", "suzhou", "tianjin"])
def test_every_bundled_plugin_pins_what_its_duties_read(code: str) -> None:
    """Parties by name, requirements, filters, scopes and keys: check cannot see them in the
    words, so each bundled plug-in's scenarios must kill every such mutant (the whole mutate
    run is too slow for CI: benchmarks/bench_mutate.py)."""
    from xfrules.mutants import OPERATORS
    from xfrules.registry import load_registry

    read = {"bind-unnamed", "drop-requirement", "drop-exclusion", "drop-filter", "flip-scope"}
    read |= {"other-key"}
    assert read <= set(OPERATORS)
    report = run_mutation(load_registry().jurisdictions[code], operators=read, jobs=2)
    assert report.results, "no mutant of these kinds: the test would prove nothing"
    assert [x.mutant.label + " " + x.mutant.obligation for x in report.survivors] == []


def test_a_scenario_settling_one_duty_still_tests_the_others(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """mutate evaluates each duty alone: a scenario whose facts settle another duty (here a
    tolerance for demo.counters) must still test the duty it expects something of, not be
    refused for naming an obligation that is not loaded."""
    import yaml

    scenarios = _pkg(tree) / "scenarios"
    (path,) = [p for p in scenarios.glob("*.yaml") if "publicity" in p.name]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for scenario in data["scenarios"]:
        scenario["facts"]["tolerances"] = [{"obligation": "demo.counters", "tolerance": "0.2"}]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["mutate", str(tree), "--jobs", "1", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "78 killed (100%" in out and "0 unexplained" in out
