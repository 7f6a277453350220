"""Every clause and every sentence of the document is accounted for (see :mod:`xfrules.coverage`):
a clause encoded is cited, a context clause says why, every clause can be found, every quote
lies in the clause it cites, and no sentence is a gap."""

from __future__ import annotations

from ..coverage import account_sentences, coverage, read_document
from ..i18n import Msg
from ..registry import JurisdictionRules
from .problems import Collector

__all__ = ["check_coverage"]

_EXCERPT = 48


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _EXCERPT else flat[:_EXCERPT] + "…"


def check_coverage(c: Collector, rules: JurisdictionRules) -> None:
    reading = read_document(rules)
    for row in coverage(rules):
        if not row.problem:
            continue
        subject = f"clause {row.clause}" if row.clause != "-" else "clauses.yaml"
        detail = f" ({', '.join(row.obligations)})" if row.obligations else ""
        c.error(subject, row.code or "clause-coverage", row.problem + detail)
    if reading is None:
        return
    for ob in rules.obligations:
        where = reading.placements.get(ob.id)
        span = reading.span(ob.source.clause)
        if where is None or span is None or span.start is None or span.holds(where[0]):
            continue
        actual = next((s.clause.id for s in reading.spans if s.holds(where[0])), None)
        c.error(
            ob.id,
            "quote-clause",
            Msg(
                "chk.quote_clause",
                clause=ob.source.clause,
                actual=Msg("chk.in_clause", clause=actual)
                if actual
                else Msg("chk.no_declared_clause"),
            ),
        )
    for span in reading.spans:
        if span.start is None:
            continue
        for i, mark in enumerate(span.clause.context):
            at = reading.text.find(mark.quote, span.start)
            if at >= 0 and not span.holds(at) and reading.text.find(mark.quote) >= 0:
                c.error(
                    f"clause {span.clause.id}",
                    "context-mark",
                    Msg("chk.context_mark", i=i, quote=_excerpt(mark.quote)),
                )
    for account in account_sentences(rules):
        if not account.is_gap:
            continue
        subject = f"clause {account.clause}" if account.clause != "-" else "document"
        said = "、".join(account.duty_words)
        words = Msg("chk.gap_says", words=said) if account.duty_words else ""
        fix = (
            Msg("chk.gap_fix_preamble")
            if account.clause == "-"
            else Msg("chk.gap_fix_clause", clause=account.clause)
        )
        gap = Msg(
            "chk.sentence_gap",
            index=account.index,
            text=_excerpt(account.text),
            words=words,
            fix=fix,
        )
        c.error(subject, "sentence-gap", gap)
