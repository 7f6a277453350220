"""``xfrules evaluate FACTS``: findings per unit and obligation, as of a date.

Exit codes: 0 nothing mandatory is non-compliant, 1 something is, 2 bad input.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ._common import (
    add_as_of,
    add_jurisdiction,
    add_report_options,
    as_of,
    emit_evaluation,
    evaluation_output,
    loaded_registry,
    warn_about_facts,
)

if TYPE_CHECKING:
    from ..facts import Facts
    from ..output.evaluation import CSV_COLUMNS, csv_row
    from ..registry import Registry

__all__ = ["CSV_COLUMNS", "csv_row", "register", "run"]


def __getattr__(name: str) -> Any:
    # CSV_COLUMNS and csv_row, kept importable from here, loaded when asked for (not to build
    # the command line's parser).
    if name in ("CSV_COLUMNS", "csv_row"):
        from ..output import evaluation as module

        return getattr(module, name)
    raise AttributeError(name)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("evaluate", help="evaluate units in a facts file against the obligations")
    p.add_argument(
        "facts", help="facts file (JSON or YAML: units, transactions, observations, submissions)"
    )
    add_as_of(p)
    add_jurisdiction(p)
    add_report_options(p)
    p.add_argument(
        "--explain",
        nargs=2,
        metavar=("UNIT", "OBLIGATION"),
        help="print the whole derivation of one finding: the rule applied, each period's "
        "verdict, and every purchase of the unit with what became of it (personal data masked)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..evaluator import evaluate
    from ..facts import load_facts

    registry = loaded_registry(args)
    facts = load_facts(args.facts)
    warn_about_facts(facts, registry, args)
    if args.explain:
        return _explain(facts, registry, args)
    evaluation = evaluate(facts, as_of(args), rules=registry, periods=args.periods)
    output = evaluation_output(evaluation, args, registry=registry, facts=facts)
    return emit_evaluation(output, args)


def _explain(facts: Facts, registry: Registry, args: argparse.Namespace) -> int:
    from ..errors import InputError, Problem
    from ..evaluator import evaluate
    from ..explain import derivation
    from ..rulebook import prepare

    # Purchases dated after the as-of date are kept in the rulebook: the derivation lists
    # them as not counted (the evaluation itself leaves them out).
    rules = prepare(facts, registry)
    evaluation = evaluate(facts, as_of(args), rules=registry, periods=args.periods)
    unit, obligation = args.explain
    try:
        print(derivation(rules, evaluation, unit, obligation))
    except KeyError as exc:
        raise InputError([Problem("--explain", "", "", str(exc.args[0]))]) from exc
    return 0
