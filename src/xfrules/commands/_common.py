"""Options and helpers shared by subcommands."""

from __future__ import annotations

import argparse
import difflib
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from ..errors import InputError, Problem
from ..i18n import Msg, t
from ..pii import scrub
from ..values import parse_date

# The parser is built without the rules' models (start-up stays light): these load with the
# commands that read rules.
if TYPE_CHECKING:
    from ..facts import Facts
    from ..findings import Evaluation, Finding
    from ..output import RenderOptions
    from ..output.evaluation import EvaluationOutput
    from ..registry import Registry
    from ..report.model import LedgerRows

# Status values, for --status: the Finding model is not imported to build the parser; a test
# holds this equal to xfrules.findings.Status.
STATUSES = ("compliant", "non_compliant", "not_applicable", "not_yet_due", "insufficient_evidence")

__all__ = [
    "add_as_of",
    "add_jurisdiction",
    "add_output",
    "add_report_options",
    "add_selection",
    "as_of",
    "date_arg",
    "emit",
    "emit_evaluation",
    "evaluation_output",
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
        help="evaluate as of this date (default: today, which the output then says: the "
        "answer depends on the date)",
    )
    parser.add_argument(
        "--periods",
        choices=("recent", "current", "all"),
        default="recent",
        help="periods of a recurring duty to report: the current one and, while it is open, "
        "the last closed one (recent, the default); only the current one; or all since the "
        "duty came into force",
    )


def as_of(args: argparse.Namespace) -> date:
    """The date to evaluate as of: ``--as-of``, or today (which the output states)."""
    return args.as_of or date.today()


class _Formats:
    """``--format``'s choices: the registry's formats for an output type named by its dotted
    path, looked up when a command runs or shows its help — the parser is built without the
    registry and the output models (start-up stays light)."""

    def __init__(self, output_type: str) -> None:
        self.output_type = output_type
        self._names: tuple[str, ...] | None = None

    def names(self) -> tuple[str, ...]:
        if self._names is None:
            import importlib

            from ..output import formats_for

            module, _, name = self.output_type.rpartition(".")
            self._names = formats_for(getattr(importlib.import_module(module), name))
        return self._names

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __contains__(self, name: object) -> bool:
        return name in self.names()


def add_output(
    parser: argparse.ArgumentParser,
    output_type: str,
    *,
    out_help: str | None = None,
    out_required: bool = False,
) -> None:
    """``--format`` (the registry's formats for this output, ``output_type`` the dotted path
    of its class) and ``--out FILE`` (the format by its suffix): see :mod:`xfrules.output`."""
    formats = _Formats(output_type)
    parser.add_argument(
        "--format",
        # A metavar, so that argparse does not list the choices while building the parser;
        # %(choices)s is expanded only when the help is shown.
        choices=formats,
        metavar="FORMAT",
        default=None,
        help="output format: %(choices)s (default: table, or as --out's suffix says)",
    )
    parser.add_argument(
        "--out",
        metavar="FILE",
        required=out_required,
        help=out_help
        or "write to FILE, in the format its suffix names (.txt, .json, .csv, .xlsx, .html "
        "where --format offers it); a CSV file gets a UTF-8 BOM so that Excel reads its Chinese",
    )
    parser.add_argument(
        "--bom",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="CSV: start with a UTF-8 byte order mark (default: in a file, not on stdout)",
    )


def render_options(args: argparse.Namespace) -> RenderOptions:
    from ..output import RenderOptions

    return RenderOptions(
        verbose=getattr(args, "verbose", False),
        show_all=getattr(args, "all", False),
        bom=getattr(args, "bom", None),
    )


def emit(output: object, args: argparse.Namespace) -> None:
    """Render ``output`` as ``--format`` / ``--out`` ask (the one place commands do)."""
    from ..output import write_output

    renderer = write_output(
        output,
        fmt=getattr(args, "format", None),
        out=getattr(args, "out", None),
        options=render_options(args),
    )
    if getattr(args, "out", None) not in (None, "-"):
        print(
            scrub(f"xfrules: {t('report.wrote', path=args.out, n=_size(output))}"), file=sys.stderr
        )
    elif renderer.name != "table":
        for note in getattr(output, "notes", ()):
            print(f"xfrules: {note}", file=sys.stderr)


def _size(output: object) -> int:
    evaluation = getattr(output, "evaluation", None)
    return len(evaluation.findings) if evaluation is not None else len(output.sheets()[0].rows)  # type: ignore[attr-defined]


def add_report_options(parser: argparse.ArgumentParser) -> None:
    """The output options every command printing an evaluation shares."""
    add_output(parser, "xfrules.output.evaluation.EvaluationOutput")
    parser.add_argument(
        "--all", action="store_true", help="table: also show not_applicable findings"
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="table: each finding's whole explanation and quote, wrapped",
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
    """--unit, --obligation, --status, --department: see :func:`select_findings`."""
    select = parser.add_argument_group(
        "selection", "show only some findings; the exit code then speaks of those only"
    )
    select.add_argument("--unit", action="append", metavar="ID", help="only this unit (repeatable)")
    select.add_argument(
        "--obligation",
        action="append",
        metavar="ID",
        help="only this obligation (repeatable; a trailing * matches a prefix: suzhou.*)",
    )
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
) -> tuple[Evaluation, list[str]]:
    """The evaluation cut down to ``--unit``/``--obligation``/``--department``/``--status``,
    and notes saying which option removed everything, when one did, and what values there were.

    A unit, obligation or department that no finding mentions is an error, not an empty
    answer: a mistyped id must not read as "nothing to report".
    """
    units = getattr(args, "unit", None)
    obligations = getattr(args, "obligation", None)
    statuses = getattr(args, "status", None)
    departments = getattr(args, "department", None)
    if not (units or obligations or statuses or departments):
        return evaluation, []
    problems = []
    seen_units = {f.unit_id for f in evaluation.findings}
    for uid in units or ():
        if uid not in seen_units:
            problems.append(Problem("--unit", "", "", Msg("select.no_finding_unit", value=uid)))
    seen_obligations = sorted({f.obligation_id for f in evaluation.findings})
    chosen_obligations: list[str] = []
    for oid in obligations or ():
        found = [o for o in seen_obligations if _id_matches(oid, o)]
        if not found:
            close = ", ".join(difflib.get_close_matches(oid, seen_obligations, n=3)) or "-"
            problems.append(
                Problem("--obligation", "", "", Msg("select.no_obligation", value=oid, close=close))
            )
        chosen_obligations.extend(found)
    named = {d for f in evaluation.findings for d in f.lead + f.responsible}
    jurisdictions = {f.jurisdiction for f in evaluation.findings}
    canonical: list[str] = []
    for name in departments or ():
        found_names = ({name} | _declared_names(name, registry, jurisdictions)) & named
        if not found_names:
            problems.append(
                Problem("--department", "", "", Msg("select.no_department", value=name))
            )
        canonical.extend(sorted(found_names))
    if problems:
        raise InputError(problems)
    # One criterion at a time, to say which one left nothing.
    steps: list[tuple[str, dict[str, Any], Callable[[Finding], list[str]]]] = [
        ("--unit", {"units": units}, lambda f: [f.unit_id]),
        ("--obligation", {"obligations": chosen_obligations or None}, lambda f: [f.obligation_id]),
        (
            "--department",
            {"departments": canonical or None},
            lambda f: list(f.lead + f.responsible),
        ),
        ("--status", {"statuses": statuses}, lambda f: [f.status.value]),
    ]
    notes: list[str] = []
    current = evaluation
    for option, criterion, values_of in steps:
        if next(iter(criterion.values())) is None:
            continue
        before = current
        current = current.select(**criterion)
        if before.findings and not current.findings:
            present = Counter(v for f in before.findings for v in values_of(f))
            listed = "、".join(f"{v}（{n}）" for v, n in present.most_common(12))
            given = " ".join(f"{option} {v}" for v in _given(args, option))
            notes.append(t("select.emptied", option=given, n=len(before.findings), values=listed))
            break
    from ..findings import Status

    if (
        current.findings
        and not getattr(args, "all", True)
        and all(f.status is Status.NOT_APPLICABLE for f in current.findings)
    ):
        notes.append(t("select.emptied_hidden"))
    return current, notes


def _given(args: argparse.Namespace, option: str) -> list[str]:
    return list(getattr(args, option.removeprefix("--")) or ())


def _id_matches(pattern: str, oid: str) -> bool:
    if pattern.endswith("*"):
        return oid.startswith(pattern[:-1])
    return oid == pattern


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


def evaluation_output(
    evaluation: Evaluation,
    args: argparse.Namespace,
    *,
    registry: Registry | None = None,
    facts: Facts | None = None,
    ledger_rows: LedgerRows | None = None,
    title: str | None = None,
) -> EvaluationOutput:
    """The evaluation, cut down by the selection options, with what its outputs show beside
    it: the units (districts), region names, ledger rows, notes."""
    from ..output.evaluation import EvaluationOutput

    selected, notes = select_findings(evaluation, args, registry)
    if getattr(args, "as_of", None) is None:
        notes.insert(0, t("eval.as_of_today", as_of=evaluation.as_of))
    return EvaluationOutput(
        selected,
        units=list(facts.units) if facts is not None else [],
        names=_region_names(registry, facts),
        title=title,
        ledger_rows=ledger_rows,
        notes=notes,
    )


def _region_names(registry: Registry | None, facts: Facts | None) -> dict[str, str]:
    """Region code -> name from every region set the plug-ins and the facts file list."""
    from ..report.model import region_names

    pairs: list[tuple[str, str]] = []
    if facts is not None:
        pairs += [(r.code, r.name) for s in facts.region_sets for r in s.regions]
    if registry is not None:
        for rules in registry.jurisdictions.values():
            juris = rules.jurisdiction
            if juris.region_code:
                pairs.append((juris.region_code, juris.name))
            pairs += [(r.code, r.name) for s in rules.region_sets for r in s.regions]
    return region_names(pairs)


def emit_evaluation(output: EvaluationOutput, args: argparse.Namespace) -> int:
    """Show an evaluation as asked; the exit code: 1 when something mandatory among what is
    shown is breached."""
    warn_after_as_of(output.evaluation)
    emit(output, args)
    return 1 if output.evaluation.has_mandatory_breach and not args.exit_zero else 0


def add_jurisdiction(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-j",
        "--jurisdiction",
        action="append",
        metavar="JUR",
        help="only this jurisdiction (repeatable; default: every installed one)",
    )


def loaded_registry(args: argparse.Namespace) -> Registry:
    """The installed plug-ins; a broken one is reported on stderr and the rest go on."""
    from ..registry import load_registry

    registry = load_registry()
    for error in registry.errors:
        print(scrub(f"xfrules: {t('cli.skipped', error=error)}"), file=sys.stderr)
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
                    "xfrules: "
                    + t(
                        "warning.at",
                        where=f"{problem.jurisdiction}: {problem.subject}",
                        message=f"{problem.message} [{problem.code}]",
                    )
                ),
                file=sys.stderr,
            )
    if unknown:
        raise InputError(unknown)


def warn_after_as_of(evaluation: Evaluation) -> None:
    """Say on stderr how many purchases are dated after the as-of date (not counted)."""
    if later := evaluation.transactions_after_as_of:
        note = Msg("eval.note.after_as_of", n=later, as_of=evaluation.as_of)
        print(f"xfrules: {t('cli.warning', message=note)}", file=sys.stderr)
