"""``xfrules coverage -j JUR``: the document clause by clause, with the obligations encoding each."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

from ..registry import JurisdictionRules
from ..render import dump_json, render_table
from ._common import add_format, add_jurisdiction, loaded_registry


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("coverage", help="show each clause of a document and what encodes it")
    add_jurisdiction(p)
    add_format(p)
    p.set_defaults(func=run)


@dataclass(frozen=True)
class ClauseCoverage:
    jurisdiction: str
    clause: str
    heading: str
    disposition: str
    obligations: tuple[str, ...]
    reason: str | None
    problem: str | None  # a gap a reviewer must see


def coverage(rules: JurisdictionRules) -> list[ClauseCoverage]:
    """Every declared clause with its obligations; obligations citing undeclared clauses are gaps too."""
    by_clause: dict[str, list[str]] = {}
    for ob in rules.obligations:
        by_clause.setdefault(ob.source.clause, []).append(ob.id)
    out: list[ClauseCoverage] = []
    declared: set[str] = set()
    for clause in rules.clauses:
        declared.add(clause.id)
        obs = tuple(by_clause.get(clause.id, ()))
        problem = None
        if clause.disposition == "encoded" and not obs:
            problem = "marked encoded but no obligation cites it"
        elif clause.disposition == "not_checkable" and not clause.reason:
            problem = "marked not checkable without a reason"
        elif clause.disposition == "not_checkable" and obs:
            problem = "marked not checkable but obligations cite it"
        out.append(
            ClauseCoverage(
                rules.code,
                clause.id,
                clause.heading,
                clause.disposition,
                obs,
                clause.reason,
                problem,
            )
        )
    for clause_id, citing in by_clause.items():
        if clause_id not in declared:
            out.append(
                ClauseCoverage(
                    rules.code,
                    clause_id,
                    "",
                    "encoded",
                    tuple(citing),
                    None,
                    "obligations cite a clause the plug-in does not declare",
                )
            )
    if not rules.clauses:
        out.append(
            ClauseCoverage(rules.code, "-", "", "missing", (), None, "plug-in declares no clauses")
        )
    return out


def run(args: argparse.Namespace) -> int:
    registry = loaded_registry(args)
    rows = [c for rules in registry.jurisdictions.values() for c in coverage(rules)]
    if args.format == "json":
        dump_json(
            {"format": "xfrules.coverage/1", "clauses": [c.__dict__ for c in rows]}, sys.stdout
        )
    else:
        print(
            render_table(
                [
                    "jurisdiction",
                    "clause",
                    "heading",
                    "disposition",
                    "obligations",
                    "reason / problem",
                ],
                [
                    [
                        c.jurisdiction,
                        c.clause,
                        c.heading,
                        c.disposition,
                        ", ".join(c.obligations) or "-",
                        c.problem or c.reason or "",
                    ]
                    for c in rows
                ],
                max_width={2: 24, 4: 60, 5: 50},
            )
        )
        gaps = [c for c in rows if c.problem]
        print(
            f"\n{len(rows)} clauses; {sum(1 for c in rows if c.obligations)} encoded; "
            f"{sum(1 for c in rows if c.disposition == 'not_checkable')} not checkable; {len(gaps)} gaps"
        )
    return 1 if any(c.problem for c in rows) else 0
