"""The whole derivation of one finding, for ``xfrules evaluate --explain UNIT OBLIGATION``:
the obligation and its clause, the rule applied, each period's verdict with its explanation,
and every purchase of the unit with what became of it — counted, or the first reason it was
not (outside the period, category, channel, seller kind, origin, dated after the as-of date).

Personal data is masked as everywhere (:mod:`xfrules.pii`): numbers in every text, and the
name of a seller who is a person (a household).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from .entities import Transaction
from .facts import FactIndex
from .filters import PurchaseFilter
from .findings import Evaluation, Finding
from .i18n import modality_label, status_label, t
from .kinds.base import TransactionMeasure
from .kinds.judging import ZERO, fmt, purchase_fate, reason_text
from .periods import Window, period_label
from .pii import mask_name, scrub
from .render import render_table
from .rulebook import Rulebook

__all__ = ["derivation"]


def derivation(rules: Rulebook, evaluation: Evaluation, unit_id: str, obligation_id: str) -> str:
    """The derivation as text (raises KeyError naming what is unknown)."""
    unit = next((u for u in rules.units if u.id == unit_id), None)
    if unit is None:
        raise KeyError(t("select.no_finding_unit", value=unit_id))
    ob = next((o for o in rules.obligations if o.id == obligation_id), None)
    findings = [
        f for f in evaluation.findings if f.unit_id == unit_id and f.obligation_id == obligation_id
    ]
    if ob is None or not findings:
        raise KeyError(t("explain.no_pair", unit=unit_id, obligation=obligation_id))
    lines = [
        t("explain.heading", unit=unit.name, unit_id=unit.id, obligation=ob.title, id=ob.id),
        t("explain.source", document=ob.source.document, clause=ob.source.clause),
        t("explain.quote", quote=" ".join(ob.source.quote.split())),
        t(
            "explain.binds",
            modality=modality_label(ob.modality),
            lead="、".join(ob.lead) or "-",
            responsible="、".join(ob.responsible) or "-",
        ),
        t("explain.target", target=ob.target_text()),
        "",
    ]
    for f in findings:
        lines += _verdict(f)
    measure = getattr(ob, "measure", None)
    if isinstance(measure, TransactionMeasure):
        lines.append("")
        lines += _rows(rules, evaluation.as_of, unit_id, ob.jurisdiction, measure, findings)
    return scrub("\n".join(lines))


def _verdict(f: Finding) -> list[str]:
    return [
        t(
            "explain.period",
            period=period_label(f.period_start, f.period_end),
            due=f.due or "-",
            status=status_label(f.status.value),
        ),
        "  " + f.explanation,
    ]


def _rows(
    rules: Rulebook,
    as_of: date,
    unit_id: str,
    jurisdiction: str,
    measure: TransactionMeasure,
    findings: list[Finding],
) -> list[str]:
    """Every purchase of the unit's scope with its fate in each period judged."""
    index = FactIndex(rules.facts)
    scope = index.scope(unit_id, measure.scope == "subtree")
    purchases = sorted(
        (tx for uid in scope for tx in index.transactions_by_buyer.get(uid, ())),
        key=lambda tx: (tx.date, tx.id),
    )
    windows = [
        Window(f.period_start, f.period_end, f.due or f.period_end)
        for f in findings
        if f.period_start is not None and f.period_end is not None
    ]
    heads = [
        t("col.date"),
        t("col.id"),
        t("col.buyer"),
        t("col.seller"),
        t("col.category"),
        t("col.origin"),
        t("col.amount"),
        *(period_label(w.start, w.end) for w in windows),
    ]
    fates = [list(_fates(tx, as_of, jurisdiction, measure, windows, rules)) for tx in purchases]
    table = [
        [
            tx.date,
            tx.id,
            tx.buyer,
            _seller(tx),
            tx.category or t("why.blank"),
            tx.origin_region or "-",
            fmt(tx.amount, "元"),
            *(label for _, label in row),
        ]
        for tx, row in zip(purchases, fates, strict=True)
    ]
    title = t("explain.rows", n=len(purchases))
    if not purchases:
        return [title]
    # Each period's sums by fate: a met finding's explanation does not tally its purchases
    # (that costs every compliant unit), the derivation does.
    sums = [
        t(
            "explain.tally",
            period=period_label(w.start, w.end),
            text=_tally(purchases, fates, i, as_of),
        )
        for i, w in enumerate(windows)
    ]
    return [title, render_table(heads, table), *sums]


def _tally(
    purchases: list[Transaction], fates: list[list[tuple[str, str]]], i: int, as_of: date
) -> str:
    """What period ``i`` counted and what it did not, by reason, with numbers and amounts."""
    totals: dict[str, tuple[str, int, Decimal]] = {}
    for tx, row in zip(purchases, fates, strict=True):
        key, label = row[i]
        if key == "after_as_of":  # the row's words say "not counted": the sum says it once
            label = t("explain.reason.after_as_of", as_of=as_of)
        _, n, amount = totals.get(key, (label, 0, ZERO))
        totals[key] = (label, n + 1, amount + tx.amount)
    _, n, amount = totals.pop("counted", ("", 0, ZERO))
    text = t("why.counted", n=n, sum=fmt(amount, "元"))
    missed = [t("why.reason", reason=r, n=n, sum=fmt(a, "元")) for r, n, a in totals.values()]
    if missed:
        text += t("headline.sep") + t(
            "why.not_counted", parts=t("why.not_counted.sep").join(missed)
        )
    return text


def _fates(
    tx: Transaction,
    as_of: date,
    jurisdiction: str,
    measure: TransactionMeasure,
    windows: list[Window],
    rules: Rulebook,
) -> Iterator[tuple[str, str]]:
    """Per window: what became of ``tx`` (``counted`` or a reason) and the words for it."""
    for w in windows:
        if tx.date > as_of:
            yield "after_as_of", t("explain.after_as_of", as_of=as_of)
            continue
        if tx.date > w.end:
            yield "after_period", t("explain.after_period", start=w.start, end=w.end)
            continue
        flt = PurchaseFilter.of(measure, jurisdiction, w.start, w.end, rules.region_sets)
        fate = purchase_fate(tx, flt)
        yield fate, (t("explain.counted") if fate == "counted" else reason_text(fate, measure, w))


def _seller(tx: Transaction) -> str:
    """A household seller is a person: the name is masked (the family name stays)."""
    return mask_name(tx.seller) if tx.seller_kind == "household" else tx.seller or "-"
