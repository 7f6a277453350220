"""Benchmark: how long ``xfrules mutate`` takes on each bundled plug-in (issue 14: one bundled
plug-in in at most 2 minutes on two cores).

    python benchmarks/bench_mutate.py [--jobs 2] [-j CODE ...]

For each plug-in, in one process: the kit run once (``xfrules check`` + every shipped
scenario: the baseline an author already waits for), then every mutant judged by check and
the scenarios with ``--jobs`` worker processes. Prints mutants, seconds, mutants per second
and the ratio to the baseline run. Not a test: CI does not run it.
"""

from __future__ import annotations

import argparse
import os
import time

from xfrules.check import check_rules
from xfrules.mutation import run_mutation
from xfrules.registry import Registry, load_registry
from xfrules.render import render_table
from xfrules.scenarios import iter_scenarios, run_scenario


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("-j", "--jurisdiction", action="append")
    args = parser.parse_args()
    registry = load_registry()
    codes = args.jurisdiction or sorted(registry.jurisdictions)
    rows = []
    for code in codes:
        rules = registry.jurisdictions[code]
        start = time.perf_counter()
        check_rules(rules)
        scope = Registry(dict(registry.jurisdictions))
        for scenario in iter_scenarios(list(rules.scenario_paths)):
            run_scenario(scenario, scope if scenario.jurisdictions else scope.select([code]))
        kit = time.perf_counter() - start
        start = time.perf_counter()
        report = run_mutation(rules, others=dict(registry.jurisdictions), jobs=args.jobs)
        seconds = time.perf_counter() - start
        n = len(report.results)
        rows.append(
            [
                code,
                n,
                f"{seconds:.1f}",
                f"{n / seconds:.0f}",
                f"{kit:.2f}",
                f"{seconds / kit:.0f}x",
                f"{100 * (n - len(report.survivors)) / n:.0f}%",
            ]
        )
    print(
        f"xfrules mutate, {args.jobs} worker process(es) on {os.cpu_count()} CPU(s); "
        "baseline: check + every shipped scenario once"
    )
    print(
        render_table(
            ["plug-in", "mutants", "seconds", "mutants/s", "baseline s", "ratio", "killed"], rows
        )
    )


if __name__ == "__main__":
    main()
