"""``xfrules coverage -j JUR``: the document sentence by sentence, with what accounts for each
(the obligations encoding it, or why it is context), and its clauses.

Exit 1 when a sentence is a gap or a clause has a problem (see :mod:`xfrules.coverage`).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ..i18n import t
from ..output import Column, Listing, RenderOptions, Sheet
from ..render import render_table
from ._common import add_jurisdiction, add_output, emit, loaded_registry

if TYPE_CHECKING:
    from ..coverage import ClauseCoverage, SentenceAccount, coverage

__all__ = ["ClauseCoverage", "coverage", "register", "run"]


def __getattr__(name: str) -> Any:
    # ClauseCoverage and coverage, kept importable from here, loaded when asked for (not
    # to build the command line's parser).
    if name in ("ClauseCoverage", "coverage"):
        from .. import coverage as module

        return getattr(module, name)
    raise AttributeError(name)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "coverage", help="show each sentence of a document and what encodes it (or why not)"
    )
    p.add_argument(
        "path", nargs="?", metavar="PATH", help="a plug-in source tree (default: installed ones)"
    )
    add_jurisdiction(p)
    add_output(p, "xfrules.output.Listing")
    p.add_argument(
        "--gaps", action="store_true", help="table: show only the sentences that are gaps"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..coverage import account_sentences, coverage

    if args.path is not None:
        from .mutate import load_target

        selected = [load_target(None, args.path)]
    else:
        selected = list(loaded_registry(args).jurisdictions.values())
    clauses: list[ClauseCoverage] = []
    sentences: list[SentenceAccount] = []
    for rules in selected:
        clauses.extend(coverage(rules))
        sentences.extend(account_sentences(rules))
    gaps = [s for s in sentences if s.is_gap]
    problems = [c for c in clauses if c.problem]
    record = {
        "format": "xfrules.coverage/2",
        "clauses": [c.__dict__ for c in clauses],
        "sentences": [s.__dict__ for s in sentences],
    }
    shown = gaps if args.gaps else sentences
    sheet = Sheet(
        "sentences",
        t("col.sentence"),
        [
            Column("jurisdiction", t("col.jurisdiction")),
            Column("clause", t("col.clause")),
            Column("index", "#", "int"),
            Column("sentence", t("col.sentence"), "long_text"),
            Column("accounting", t("col.accounting")),
            Column("reason", t("col.encoded_by")),
        ],
        [
            [
                s.jurisdiction,
                s.clause,
                s.index,
                " ".join(s.text.split()),
                s.accounting,
                ", ".join(s.obligations) or s.reason or "、".join(s.duty_words),
            ]
            for s in shown
        ],
    )

    def text(options: RenderOptions) -> str:
        return _text(sheet, clauses, sentences, gaps, problems, options)

    emit(Listing(record, sheet, text_maker=text), args)
    return 1 if gaps or problems else 0


def _text(
    sheet: Sheet,
    clauses: list[ClauseCoverage],
    sentences: list[SentenceAccount],
    gaps: list[SentenceAccount],
    problems: list[ClauseCoverage],
    options: RenderOptions,
) -> str:
    from ..output.outputs import listing_text

    out = [listing_text(sheet, {"sentence": 60, "reason": 60}, (), options)]
    if problems:
        out.append("")
        out.append(
            render_table(
                [
                    t("col.jurisdiction"),
                    t("col.clause"),
                    t("cov.col.heading"),
                    t("cov.col.disposition"),
                    t("cov.col.obligations"),
                    t("chk.col.problem"),
                ],
                [
                    [
                        c.jurisdiction,
                        c.clause,
                        c.heading,
                        c.disposition,
                        ", ".join(c.obligations) or "-",
                        c.problem,
                    ]
                    for c in problems
                ],
                max_width={2: 24, 4: 60},
            )
        )
    counts = {kind: sum(1 for s in sentences if s.accounting == kind) for kind in _KINDS}
    n_gaps, n_problems = len(gaps), len(problems)
    summary = t(
        "cov.summary",
        n=len(sentences),
        m=len(clauses),
        counts=t("cov.sep").join(t("cov.count", kind=k, n=n) for k, n in counts.items()),
        gaps=t("cov.gaps_one") if n_gaps == 1 else t("cov.gaps", n=n_gaps),
        problems=""
        if not problems
        else t("cov.problems_one")
        if n_problems == 1
        else t("cov.problems", n=n_problems),
    )
    out.append("\n" + summary)
    return "\n".join(out)


_KINDS = ("encoded", "heading", "parties", "context")
