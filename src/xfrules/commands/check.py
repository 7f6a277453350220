"""``xfrules check [-j JUR | PATH]``: lint plug-ins for consistency (see :mod:`xfrules.check`);
``xfrules check --facts FILE [-j JUR]``: check a deployment's facts file against the installed
rules instead (see :mod:`xfrules.deployment`).

Exit codes: 0 no errors (warnings are printed), 1 errors found (or warnings with
``--strict``), 2 bad input (unknown jurisdiction, a PATH that is not a plug-in).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ._common import add_jurisdiction, add_output

if TYPE_CHECKING:
    from ..check import CheckProblem


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "check",
        help="check plug-ins for consistency: quotes, departments, thresholds, contradictions",
        description="Check installed plug-ins (-j, default: all) or plug-in source trees (PATH) "
        "for consistency. Exit 1 when a check fails.",
    )
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="plug-in source tree (pyproject.toml + src/<package>)",
    )
    add_jurisdiction(p)

    add_output(p, "xfrules.output.Listing")
    p.add_argument(
        "--shared-sources",
        metavar="DIR",
        type=Path,
        help="folder the shipped source documents must equal "
        "(default: $XFRULES_SHARED_SOURCES or ../shared/sources beside the repository)",
    )
    p.add_argument("--strict", action="store_true", help="warnings fail too")
    p.add_argument(
        "--facts",
        metavar="FILE",
        help="check this facts file against the installed rules (misspelt jurisdictions, kinds "
        "and departments; allocations that do not add up) instead of the plug-ins",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..check import (
        CheckProblem,
        check_rules,
        find_shared_sources,
        load_rules_from_path,
        rules_from_plugin,
    )
    from ..errors import XfrulesError
    from ..i18n import Msg, t
    from ..registry import (
        JurisdictionRules,
        get_plugin_manager,
        load_registry,
        unknown_jurisdiction,
    )

    shared = args.shared_sources
    if shared is not None and not shared.is_dir():
        raise XfrulesError(Msg("check.shared_not_folder", path=shared))
    problems: list[CheckProblem] = []
    checked: list[str] = []
    unloaded: list[str] = []  # plug-ins that could not be read at all
    uncompared: list[str] = []  # checked without the documents' reference copies
    if args.facts is not None:
        from ..deployment import check_facts
        from ..facts import load_facts
        from ._common import loaded_registry

        registry = loaded_registry(args)
        problems = check_facts(load_facts(args.facts), registry)
        return _emit(problems, [args.facts], args)

    def check(
        rules: JurisdictionRules | None, load_problems: list[CheckProblem], start: Path
    ) -> None:
        problems.extend(load_problems)
        if rules is None:
            unloaded.extend(sorted({p.jurisdiction for p in load_problems}))
            return
        checked.append(rules.code)
        folder = shared or find_shared_sources(start)
        if folder is None:
            uncompared.append(rules.code)
        problems.extend(check_rules(rules, shared_sources=folder))

    for path in args.paths:
        if not Path(path).is_dir():
            raise XfrulesError(Msg("tree.no_folder", path=path))
        rules, load_problems = load_rules_from_path(path)
        check(rules, load_problems, Path(path))
    if not args.paths or args.jurisdiction:
        pm = get_plugin_manager()
        registry = load_registry(pm)
        by_plugin = {r.plugin: r for r in registry.jurisdictions.values()}
        broken = {e.plugin: e for e in registry.errors}
        wanted = args.jurisdiction or sorted(set(by_plugin) | set(broken))
        codes = {r.code: r for r in registry.jurisdictions.values()}
        for name in wanted:
            if name in codes:
                rules = codes[name]
                plugin = pm.get_plugin(rules.plugin)
                loaded, load_problems = rules_from_plugin(plugin, rules.plugin)
                # Data plug-ins are re-read item by item; anything else is checked as loaded.
                check(loaded or rules, load_problems, Path.cwd())
            elif name in broken:
                plugin = pm.get_plugin(name)
                if plugin is None:
                    problems.append(
                        CheckProblem(name, "plug-in", "invalid-definition", str(broken[name]))
                    )
                    continue
                loaded, load_problems = rules_from_plugin(plugin, name)
                if not load_problems and loaded is None:
                    load_problems = [
                        CheckProblem(name, "plug-in", "invalid-definition", str(broken[name]))
                    ]
                check(loaded, load_problems, Path.cwd())
            else:
                raise XfrulesError(unknown_jurisdiction([name], codes))
    if uncompared:
        # Said, not silently skipped: a clean result would otherwise vouch for the comparison.
        print(
            f"xfrules: {t('check.uncompared', codes=', '.join(uncompared))}",
            file=sys.stderr,
        )
    return _emit(sorted(set(problems)), checked, args, unloaded)


def _emit(
    problems: list[CheckProblem],
    checked: list[str],
    args: argparse.Namespace,
    unloaded: list[str] | None = None,
) -> int:
    from ..i18n import Msg, t
    from ..output import Column, Listing, RenderOptions, Sheet
    from ..pii import masked
    from ..render import render_table
    from ._common import emit

    # A facts file's subjects are unit ids and names, its messages quote its values.
    problems, checked = masked(problems), masked(checked)
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    waived = [p for p in problems if p.severity == "waived"]
    record = {
        "format": "xfrules.check/1",
        "checked": checked,
        "problems": [p.to_record() for p in problems],
    }
    sheet = Sheet(
        "problems",
        "problems",
        [
            Column("jurisdiction", "jurisdiction"),
            Column("severity", "severity"),
            Column("subject", "subject"),
            Column("check", "check"),
            Column("problem", "problem", "long_text"),
            Column("waiver", "waiver", "long_text"),
        ],
        [[p.jurisdiction, p.severity, p.subject, p.code, p.message, p.waiver] for p in problems],
    )

    def text(options: RenderOptions) -> str:
        out: list[str] = []
        shown = errors + warnings
        if shown:
            out.append(
                render_table(
                    [
                        t("chk.col.jurisdiction"),
                        t("chk.col.severity"),
                        t("chk.col.subject"),
                        t("chk.col.check"),
                        t("chk.col.problem"),
                    ],
                    [
                        [p.jurisdiction, p.severity, p.subject, p.code, p.message]
                        for p in sorted(shown)
                    ],
                    # The problem is the last column: never cut, its hint is at the end.
                    max_width={2: 40},
                )
            )
            out.append("")
        if waived:
            # Deliberate departures from the words, each with the author's reason.
            out.append(
                render_table(
                    [
                        t("chk.col.jurisdiction"),
                        t("chk.col.subject"),
                        t("chk.col.waived_check"),
                        t("chk.col.reason"),
                    ],
                    [[p.jurisdiction, p.subject, p.code, p.waiver] for p in waived],
                    max_width={1: 40},
                )
            )
            out.append("")
        n_errors, n_warnings = len(errors), len(warnings)
        out.append(
            t(
                "chk.summary",
                checked=", ".join(checked) or Msg("chk.nothing"),
                not_loaded=Msg("chk.not_loaded", names=", ".join(unloaded)) if unloaded else "",
                errors=Msg("chk.errors_one") if n_errors == 1 else Msg("chk.errors", n=n_errors),
                warnings=Msg("chk.warnings_one")
                if n_warnings == 1
                else Msg("chk.warnings", n=n_warnings),
                waived=Msg("chk.waived", n=len(waived)) if waived else "",
            )
        )
        return "\n".join(out)

    emit(Listing(record, sheet, text_maker=text), args)
    return 1 if errors or (args.strict and warnings) else 0
