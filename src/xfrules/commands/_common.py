"""Options and helpers shared by subcommands."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING

from ..errors import InputError, Problem
from ..pii import masked, scrub
from ..values import parse_date

if TYPE_CHECKING:
    from ..facts import Facts
    from ..findings import Evaluation
    from ..registry import Registry

# Status values, for --status: the Finding model is not imported to build the parser (start-up
# stays light); a test holds this equal to xfrules.findings.Status.
STATUSES = ("compliant", "non_compliant", "not_applicable", "not_yet_due", "insufficient_evidence")

__all__ = [
    "add_as_of",
    "add_format",
    "add_jurisdiction",
    "add_report_options",
    "add_selection",
    "date_arg",
    "emit_evaluation",
    "loaded_registry",
    "select_findings",
    "warn_about_facts",
]


def date_arg(text: str) -> date:
    """argparse type for dates written as people write them (2020-12-31, 2020年12月31日)."""
    try:
        return parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def add_as_of(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as-of",
        type=date_arg,
        default=None,
        metavar="DATE",
        help="evaluate as of this date (default: today)",
    )
    parser.add_argument(
        "--periods",
        choices=("recent", "current", "all"),
        default="recent",
        help="periods of a recurring duty to report: the current one and, while it is open, "
        "the last closed one (recent, the default); only the current one; or all since the "
        "duty came into force",
    )


def add_report_options(parser: argparse.ArgumentParser) -> None:
    """The output options every command printing an evaluation shares."""
    add_format(parser, ("table", "json", "csv"))
    parser.add_argument(
        "--all", action="store_true", help="table: also show not_applicable findings"
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="table: add explanation and quote"
    )
    add_exit_zero(parser)
    add_selection(parser)


def add_exit_zero(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--exit-zero",
        action="store_true",
        help="exit 0 even when a mandatory obligation is non-compliant (bad input still exits 2)",
    )


def add_selection(parser: argparse.ArgumentParser) -> None:
    """--unit, --status, --department: see :func:`select_findings`."""
    select = parser.add_argument_group(
        "selection", "show only some findings; the exit code then speaks of those only"
    )
    select.add_argument("--unit", action="append", metavar="ID", help="only this unit (repeatable)")
    select.add_argument(
        "--status",
        action="append",
        choices=STATUSES,
        help="only findings with this status (repeatable)",
    )
    select.add_argument(
        "--department",
        action="append",
        metavar="NAME",
        help="only obligations naming this department as lead or responsible (repeatable;"
        " aliases such as 教育部门 are accepted)",
    )


def select_findings(
    evaluation: Evaluation, args: argparse.Namespace, registry: Registry | None = None
) -> Evaluation:
    """The evaluation cut down to ``--unit``/``--status``/``--department``.

    A unit or department that no finding mentions is an error, not an empty answer: a
    mistyped id must not read as "nothing to report".
    """
    units = getattr(args, "unit", None)
    statuses = getattr(args, "status", None)
    departments = getattr(args, "department", None)
    if not (units or statuses or departments):
        return evaluation
    problems = []
    seen_units = {f.unit_id for f in evaluation.findings}
    for uid in units or ():
        if uid not in seen_units:
            problems.append(Problem("--unit", "", "", f"no finding for unit {uid!r} (unknown id?)"))
    named = {d for f in evaluation.findings for d in f.lead + f.responsible}
    jurisdictions = {f.jurisdiction for f in evaluation.findings}
    canonical: list[str] = []
    for name in departments or ():
        found = ({name} | _declared_names(name, registry, jurisdictions)) & named
        if not found:
            problems.append(Problem("--department", "", "", f"no obligation here names {name!r}"))
        canonical.extend(sorted(found))
    if problems:
        raise InputError(problems)
    return evaluation.select(
        units=units or None, statuses=statuses or None, departments=canonical or None
    )


def _declared_names(name: str, registry: Registry | None, jurisdictions: set[str]) -> set[str]:
    """What ``name`` stands for in each of ``jurisdictions``: one document's alias may be
    another's declared name (市人社局 is Tianjin's alias of 市人力社保局 and Suzhou's own)."""
    from ..registry import load_registry

    reg = registry or load_registry()
    names = set()
    for code in jurisdictions:
        rules = reg.jurisdictions.get(code)
        department = rules.department(name) if rules is not None else None
        if department is not None:
            names.add(department.name)
    return names


def emit_evaluation(
    evaluation: Evaluation, args: argparse.Namespace, registry: Registry | None = None
) -> int:
    """Print an evaluation as asked (cut down by the selection options); the exit code:
    1 when something mandatory among what is shown is breached."""
    from ..render import dump_json, write_csv
    from .evaluate import CSV_COLUMNS, csv_row, print_table

    # Masked for showing, once selected: ids, names and explanations (never the figures).
    evaluation = masked(select_findings(evaluation, args, registry))
    warn_after_as_of(evaluation)
    if args.format == "json":
        dump_json(evaluation.to_record(), sys.stdout)
    elif args.format == "csv":
        write_csv(CSV_COLUMNS, (csv_row(f) for f in evaluation.findings), sys.stdout)
    else:
        print_table(evaluation, show_all=args.all, verbose=args.verbose)
    return 1 if evaluation.has_mandatory_breach and not args.exit_zero else 0


def add_jurisdiction(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-j",
        "--jurisdiction",
        action="append",
        metavar="JUR",
        help="only this jurisdiction (repeatable; default: every installed one)",
    )


def add_format(
    parser: argparse.ArgumentParser, choices: tuple[str, ...] = ("table", "json")
) -> None:
    parser.add_argument(
        "--format", choices=choices, default="table", help="output format (default: table)"
    )


def loaded_registry(args: argparse.Namespace) -> Registry:
    """The installed plug-ins; a broken one is reported on stderr and the rest go on."""
    from ..registry import load_registry

    registry = load_registry()
    for error in registry.errors:
        print(scrub(f"xfrules: warning: {error} (skipped)"), file=sys.stderr)
    return registry.select(getattr(args, "jurisdiction", None))


def warn_about_facts(facts: Facts, registry: Registry, args: argparse.Namespace) -> None:
    """Say on stderr what ``xfrules check --facts`` would say about the facts file: mistakes
    that evaluate without failing (a kind or department no obligation names, shares that do
    not add up). A unit whose jurisdiction is misspelt, not installed or whose plug-in
    failed to load would get no finding at all, which reads as "nothing to report": that
    is bad input (InputError). Other errors are left to the evaluation, which refuses them
    with context."""
    from ..deployment import check_facts

    unknown: list[Problem] = []
    for problem in check_facts(facts, registry):
        if problem.code == "unknown-jurisdiction":
            unknown.append(
                Problem(facts.source or "<facts>", problem.subject, "jurisdiction", problem.message)
            )
        elif problem.severity == "warning":
            # Not an xfrules error, so not scrubbed on the way: a subject can be a unit's name.
            print(
                scrub(
                    f"xfrules: warning: {problem.jurisdiction}: {problem.subject}: "
                    f"{problem.message} [{problem.code}]"
                ),
                file=sys.stderr,
            )
    if unknown:
        raise InputError(unknown)


def warn_after_as_of(evaluation: Evaluation) -> None:
    """Say on stderr how many purchases are dated after the as-of date (not counted)."""
    if later := evaluation.transactions_after_as_of:
        print(
            f"xfrules: warning: {later} purchase(s) dated after {evaluation.as_of} are not "
            "counted (a purchase counts from its date on)",
            file=sys.stderr,
        )
