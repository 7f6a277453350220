"""``xfrules mutate [-j CODE | PATH]``: mutation testing of a plug-in's rules (see
:mod:`xfrules.mutation`). Prints every surviving mutant; exits 1 when one is not recorded as
equivalent (with a reason) in the plug-in's ``mutants.yaml``, 2 on bad input.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import XfrulesError
from ..i18n import Msg, t

if TYPE_CHECKING:
    from ..mutants import EquivalentMutant
    from ..mutation import MutationReport
    from ..registry import JurisdictionRules


class _Operators:
    """The mutation operators, as argparse choices, read from :mod:`xfrules.mutants` only when
    asked for (``mutate --help``, an --operator given): building the parser of every command
    must not load the rules' models (start-up)."""

    def _names(self) -> list[str]:
        from ..mutants import OPERATORS

        return sorted(OPERATORS)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __contains__(self, name: object) -> bool:
        return name in self._names()


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "mutate",
        help="mutation testing: change the rules one line at a time, see what the kit notices",
        description="Apply one-line mutations to a plug-in's rules in memory (flip a modality, "
        "drop a duty, bind a wrong department, double a threshold…) and run `xfrules check` "
        "and the plug-in's scenarios against each. Prints every surviving mutant; exit 1 "
        "when one is not recorded as equivalent in the plug-in's mutants.yaml.",
    )
    p.add_argument("path", nargs="?", metavar="PATH", help="a plug-in source tree")
    p.add_argument("-j", "--jurisdiction", metavar="CODE", help="an installed plug-in")
    p.add_argument(
        "--obligation", action="append", metavar="ID", help="only this obligation (repeatable)"
    )
    p.add_argument(
        "--operator",
        action="append",
        choices=_Operators(),
        metavar="OPERATOR",  # not the choices: argparse would list them to build the parser
        help="only this kind of mutation (repeatable): %(choices)s",
    )
    p.add_argument(
        "--equivalents",
        metavar="FILE",
        type=Path,
        help="equivalent mutants (default: the plug-in's mutants.yaml)",
    )
    p.add_argument(
        "--properties",
        action="store_true",
        help="also run a quick subset of the property suite on the mutants that survive "
        "check and the scenarios (needs the test extras)",
    )
    p.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: CPUs)"
    )
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=run)


def _plugin_for(code: str) -> tuple[JurisdictionRules, Any, dict[str, JurisdictionRules]]:
    from ..registry import get_plugin_manager, load_registry, unknown_jurisdiction

    pm = get_plugin_manager()
    registry = load_registry(pm)
    rules = registry.jurisdictions.get(code)
    if rules is None:
        raise XfrulesError(unknown_jurisdiction([code], registry.jurisdictions))
    return rules, pm.get_plugin(rules.plugin), dict(registry.jurisdictions)


def load_target(code: str | None, path: str | None) -> JurisdictionRules:
    """The rules of an installed plug-in (``code``) or of a source tree (``path``)."""
    return _target(code, path)[0]


def _target(
    code: str | None, path: str | None
) -> tuple[JurisdictionRules, Any, dict[str, JurisdictionRules]]:
    from ..check import load_plugin_from_path, rules_from_plugin

    if (code is None) == (path is None):
        raise XfrulesError(Msg("tree.name_one"))
    if code is not None:
        return _plugin_for(code)
    assert path is not None
    if not Path(path).is_dir():
        raise XfrulesError(Msg("tree.no_folder", path=path))
    plugin, name, problems = load_plugin_from_path(path)
    rules = None
    if plugin is not None:
        rules, problems = rules_from_plugin(plugin, name)
    errors = [p for p in problems if p.severity == "error"]
    if rules is None or errors:
        detail = "; ".join(str(p) for p in errors[:3])
        raise XfrulesError(Msg("tree.does_not_load", path=path, detail=detail))
    return rules, plugin, {}


def read_equivalents(plugin: Any, file: Path | None) -> list[EquivalentMutant]:
    """The equivalent mutants of ``file``, else of the plug-in's mutants.yaml (none if absent)."""
    from pydantic import ValidationError

    from ..mutants import EquivalentMutant
    from ..yamlio import load_yaml

    if file is not None:
        where = str(file)
        data = load_yaml(file.read_text(encoding="utf-8"), where) or {}
    elif hasattr(plugin, "read_yaml"):
        where = "mutants.yaml"
        data = plugin.read_yaml("mutants.yaml")
    else:
        return []
    items = data.get("equivalent", []) if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise XfrulesError(Msg("mutate.equivalent_not_list", where=where))
    out = []
    for i, item in enumerate(items):
        try:
            out.append(EquivalentMutant.model_validate(item))
        except ValidationError as exc:
            raise XfrulesError(
                Msg("mutate.equivalent_item", where=where, i=i, detail=str(exc))
            ) from exc
    return out


def run(args: argparse.Namespace) -> int:
    from ..mutation import run_mutation

    rules, plugin, others = _target(args.jurisdiction, args.path)
    equivalents = read_equivalents(plugin, args.equivalents)
    started = time.perf_counter()
    report = run_mutation(
        rules,
        equivalents=equivalents,
        others=others,
        obligations=set(args.obligation) if args.obligation else None,
        operators=set(args.operator) if args.operator else None,
        jobs=max(1, args.jobs),
        properties=args.properties,
        progress=lambda text: print(f"xfrules: {text}", file=sys.stderr),
    )
    seconds = time.perf_counter() - started
    if args.format == "json":
        _json(report, seconds)
    else:
        _table(report, seconds)
    return 1 if report.unexplained else 0


def _json(report: MutationReport, seconds: float) -> None:
    from ..render import dump_json

    dump_json(
        {
            "format": "xfrules.mutate/1",
            "jurisdiction": report.code,
            "seconds": round(seconds, 1),
            "scenarios": report.scenarios,
            "mutants": [
                {
                    "obligation": r.mutant.obligation,
                    "mutation": r.mutant.operator,
                    "detail": r.mutant.detail,
                    "killed_by": r.killed_by,
                    "equivalent": r.equivalent,
                }
                for r in report.results
            ],
            "baseline_failures": report.baseline_failures,
            "stale_equivalents": [e.model_dump() for e in report.stale_equivalents],
        },
        sys.stdout,
    )


def _table(report: MutationReport, seconds: float) -> None:
    from ..render import render_table

    survivors = report.survivors
    if survivors:
        print(
            render_table(
                [
                    t("col.obligation"),
                    t("mutate.col.mutation"),
                    t("mutate.col.change"),
                    t("mutate.col.survived"),
                ],
                [
                    [
                        r.mutant.obligation,
                        r.mutant.operator,
                        r.mutant.detail,
                        t("mutate.equivalent", reason=r.equivalent)
                        if r.equivalent
                        else t("mutate.unexplained"),
                    ]
                    for r in survivors
                ],
                max_width={0: 44, 2: 40},
            )
        )
        print()
    rows = []
    for operator, counts in sorted(report.by_operator().items()):
        total = sum(counts.values())
        rows.append([operator, total, counts["killed"], counts["equivalent"], counts["survived"]])
    headings = [
        t("mutate.col.mutation"),
        t("mutate.col.mutants"),
        t("mutate.col.killed"),
        t("mutate.col.equivalent"),
        t("mutate.col.survived"),
    ]
    print(render_table(headings, rows))
    for failure in report.baseline_failures:
        print(f"xfrules: {t('mutate.baseline_fails', failure=failure)}", file=sys.stderr)
    for stale in report.stale_equivalents:
        stale_text = t(
            "mutate.stale_equivalent",
            obligation=stale.obligation,
            mutation=stale.mutation,
            detail=stale.detail or "",
        )
        print(f"xfrules: {stale_text}", file=sys.stderr)
    n = len(report.results)
    killed = n - len(survivors)
    score = f"{100 * killed / n:.0f}%" if n else "-"
    by_property = report.killed("property")
    summary = t(
        "mutate.summary",
        code=report.code,
        n=n,
        seconds=f"{seconds:.0f}",
        killed=killed,
        score=score,
        check=report.killed("check"),
        scenarios=report.killed("scenario"),
        properties=t("mutate.properties", n=by_property) if by_property else "",
        equivalent=len(survivors) - len(report.unexplained),
        unexplained=len(report.unexplained),
    )
    print("\n" + summary)
