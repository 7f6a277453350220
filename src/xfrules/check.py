"""Rule consistency: everything ``xfrules check`` reports about a plug-in.

:func:`check_rules` is a pure function of a :class:`~xfrules.registry.JurisdictionRules`;
it returns one :class:`CheckProblem` per inconsistency, each naming what is wrong
(``subject``: an obligation id, ``region set X``, ``clause Y``…), a stable ``code`` and a
message a plug-in author can act on. :func:`check_shared_source` compares the shipped
document with the ``shared/sources`` copy, and :func:`load_rules_from_path` loads a plug-in
source tree item by item, so that a definition pydantic rejects becomes a problem of that
item instead of stopping the whole plug-in.

Errors make ``xfrules check`` exit non-zero; warnings are printed (``--strict`` fails on them).
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from .documents import Clause, SourceDocument
from .entities import Department, Jurisdiction, RegionSet
from .obligations import (
    AmountTarget,
    BaselineShare,
    CountTarget,
    Coverage,
    GrowthRate,
    Obligation,
    ObservationMeasure,
    PerCapita,
    Rate,
    Reporting,
    Threshold,
    TransactionMeasure,
    obligation_adapter,
    region_sets_read,
)
from .regions import region_code_problem
from .registry import JurisdictionRules
from .yamlio import YamlSyntaxError

__all__ = [
    "CheckProblem",
    "Interval",
    "check_rules",
    "check_shared_source",
    "comparator_words",
    "domain_of",
    "find_shared_sources",
    "interval_of",
    "load_rules_from_path",
    "numbers_in",
]

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class CheckProblem:
    """One inconsistency in a plug-in: where, what kind (``code``) and why."""

    jurisdiction: str
    subject: str
    code: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.jurisdiction}: {self.severity}: {self.subject}: {self.message} [{self.code}]"

    def to_record(self) -> dict[str, str]:
        return {
            "jurisdiction": self.jurisdiction,
            "severity": self.severity,
            "subject": self.subject,
            "code": self.code,
            "message": self.message,
        }


# --------------------------------------------------------------------------- intervals


@dataclass(frozen=True)
class Interval:
    """A set of reals ``lo .. hi``; ``None`` is unbounded; ``*_closed`` says whether the bound is in it."""

    lo: Decimal | None = None
    hi: Decimal | None = None
    lo_closed: bool = True
    hi_closed: bool = True
    integral: bool = False  # only whole numbers can be measured (counts)

    def intersect(self, other: Interval) -> Interval:
        lo, lo_closed = self.lo, self.lo_closed
        if other.lo is not None and (lo is None or other.lo > lo):
            lo, lo_closed = other.lo, other.lo_closed
        elif other.lo is not None and other.lo == lo:
            lo_closed = lo_closed and other.lo_closed
        hi, hi_closed = self.hi, self.hi_closed
        if other.hi is not None and (hi is None or other.hi < hi):
            hi, hi_closed = other.hi, other.hi_closed
        elif other.hi is not None and other.hi == hi:
            hi_closed = hi_closed and other.hi_closed
        return Interval(lo, hi, lo_closed, hi_closed, self.integral or other.integral)

    @property
    def empty(self) -> bool:
        if self.integral:
            lo = self.lo
            hi = self.hi
            if lo is not None:
                first = lo.to_integral_value(rounding="ROUND_CEILING")
                if first == lo and not self.lo_closed:
                    first += 1
                lo = first
            if hi is not None:
                last = hi.to_integral_value(rounding="ROUND_FLOOR")
                if last == hi and not self.hi_closed:
                    last -= 1
                hi = last
            return lo is not None and hi is not None and lo > hi
        if self.lo is None or self.hi is None:
            return False
        if self.lo < self.hi:
            return False
        return not (self.lo == self.hi and self.lo_closed and self.hi_closed)

    def __str__(self) -> str:
        lo = "-∞" if self.lo is None else f"{self.lo.normalize():f}"
        hi = "+∞" if self.hi is None else f"{self.hi.normalize():f}"
        return f"{'[' if self.lo_closed and self.lo is not None else '('}{lo}, {hi}{']' if self.hi_closed and self.hi is not None else ')'}"


def interval_of(threshold: Threshold, value: Decimal | None = None) -> Interval:
    """The measured values that satisfy ``threshold`` (with ``value`` replacing its value)."""
    v = threshold.value if value is None else value
    c = threshold.comparator
    if c == ">=":
        return Interval(lo=v)
    if c == ">":
        return Interval(lo=v, lo_closed=False)
    if c == "<=":
        return Interval(hi=v)
    if c == "<":
        return Interval(hi=v, hi_closed=False)
    return Interval(lo=v, hi=threshold.upper)


_COUNT_AGGREGATES = ("count", "distinct_origins", "distinct_subjects")


def domain_of(ob: Obligation) -> Interval:
    """Every value the obligation's threshold can be compared with, whatever the facts.

    Purchases and observed quantities are never negative; a rate (合格率, numerator
    within denominator) lies in 0..1; growth is at least −100%; counts are whole.
    """
    if isinstance(ob, Rate):
        return Interval(Decimal(0), Decimal(1))
    if isinstance(ob, GrowthRate):
        return Interval(Decimal(-1))
    measure = getattr(ob, "measure", None)
    integral = isinstance(ob, CountTarget | Coverage) and (
        measure is not None and measure.aggregate in _COUNT_AGGREGATES
    )
    return Interval(Decimal(0), integral=integral)


# --------------------------------------------------------------------------- numbers in quotes

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
_ARABIC = re.compile(r"(\d+(?:\.\d+)?)\s*(亿|万|千)?\s*(%|％)?")
_CHINESE = re.compile(r"(百分之)?([零〇一二两三四五六七八九十百千万亿]+)")


def _chinese_number(text: str) -> int | None:
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        elif ch in _CN_BIG:
            section += digit or 0
            total += (section or 1) * _CN_BIG[ch]
            section, digit = 0, None
        else:  # pragma: no cover - the regex admits nothing else
            return None
    return total + section + (digit or 0)


def numbers_in(text: str) -> set[Decimal]:
    """Every number a Chinese policy text states: 10%, 11亿, ２万, 1.2万元, 百分之五, 五十, 百."""
    from .values import to_halfwidth

    text = to_halfwidth(text).replace(",", "")
    found: set[Decimal] = set()
    for number, multiplier, percent in _ARABIC.findall(text):
        value = Decimal(number)
        if multiplier:
            value *= {"亿": Decimal(100_000_000), "万": Decimal(10_000), "千": Decimal(1000)}[
                multiplier
            ]
        found.add(value)
        if percent:
            found.add(value / 100)
    for percent, numeral in _CHINESE.findall(text):
        n = _chinese_number(numeral)
        if n is None:
            continue
        found.add(Decimal(n) / 100 if percent else Decimal(n))
    return found


# --------------------------------------------------------------------------- the checks

_RATIO_KINDS = (BaselineShare, GrowthRate, Rate)
_SUB_COUNTY_UNITS = ("村", "镇", "乡", "户", "人")


class _Collector:
    def __init__(self, code: str) -> None:
        self.jurisdiction = code
        self.problems: list[CheckProblem] = []

    def error(self, subject: str, code: str, message: str) -> None:
        self.problems.append(CheckProblem(self.jurisdiction, subject, code, message, "error"))

    def warning(self, subject: str, code: str, message: str) -> None:
        self.problems.append(CheckProblem(self.jurisdiction, subject, code, message, "warning"))


def _quote_hint(quote: str, text: str) -> str:
    """Why ``quote`` is not in ``text``: whitespace only, or where it stops matching."""
    squash = re.compile(r"\s+")
    if squash.sub("", quote) in squash.sub("", text):
        return "it differs from the document only in spaces or line breaks; copy it exactly"
    from .values import to_halfwidth

    if to_halfwidth(quote) in to_halfwidth(text):
        return "it differs from the document in fullwidth/halfwidth characters; copy it exactly"
    lo, hi = 0, len(quote)
    while lo < hi:  # longest prefix found in the document
        mid = (lo + hi + 1) // 2
        if quote[:mid] in text:
            lo = mid
        else:
            hi = mid - 1
    if lo == 0:
        return "no part of it occurs in the document"
    return f"the document has {quote[:lo]!r} but not what follows: {quote[lo : lo + 12]!r}…"


def _document_file(document: SourceDocument) -> str:
    """The plug-in file quotes are checked against (``filename`` names the shared copy).

    A data plug-in ships ``source.txt``, and ``source.clean.txt`` beside a garbled original.
    """
    return "source.clean.txt" if document.original is not None else "source.txt"


def _check_quote(
    c: _Collector, document: SourceDocument | None, subject: str, what: str, quote: str | None
) -> None:
    if quote is None or document is None:
        return
    if not document.contains(quote):
        c.error(
            subject,
            "quote-not-verbatim",
            f"{what} {quote!r} is not verbatim in {_document_file(document)}: "
            f"{_quote_hint(quote, document.text)}",
        )


def _duplicates(items: Iterable[str]) -> list[str]:
    return sorted(k for k, n in Counter(items).items() if n > 1)


def _thresholds(ob: Obligation) -> tuple[Threshold, ...]:
    return tuple(getattr(ob, "thresholds", ()))


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _check_identity(c: _Collector, rules: JurisdictionRules) -> None:
    code = rules.code
    for dup in _duplicates(o.id for o in rules.obligations):
        c.error(dup, "duplicate-id", "obligation id is declared more than once")
    for dup in _duplicates(d.name for d in rules.departments):
        c.error(f"department {dup}", "duplicate-id", "department is declared more than once")
    names: Counter[str] = Counter()
    for d in rules.departments:
        names.update({d.name, *d.aliases})
    for d in rules.departments:
        for alias in d.aliases:
            if names[alias] > 1:
                c.error(
                    f"department {d.name}",
                    "duplicate-id",
                    f"alias {alias!r} also names another department",
                )
    for dup in _duplicates(s.name for s in rules.region_sets):
        c.error(f"region set {dup}", "duplicate-id", "region set is declared more than once")
    for dup in _duplicates(cl.id for cl in rules.clauses):
        c.error(f"clause {dup}", "duplicate-id", "clause is declared more than once")
    for kind, items in (
        ("department", rules.departments),
        ("region set", rules.region_sets),
        ("obligation", rules.obligations),
    ):
        for item in items:
            if item.jurisdiction != code:
                label = getattr(item, "id", None) or f"{kind} {getattr(item, 'name', '?')}"
                c.error(
                    label, "wrong-jurisdiction", f"belongs to {item.jurisdiction!r}, not {code!r}"
                )
    for ob in rules.obligations:
        if not ob.id.startswith(code + "."):
            c.error(ob.id, "duplicate-id", f"obligation id must start with {code + '.'!r}")


def _check_sources(c: _Collector, rules: JurisdictionRules) -> None:
    doc = rules.document
    if doc is None:
        c.error(
            "source document",
            "no-document",
            "the plug-in ships no source document (source.txt), so no quote can be checked",
        )
    for ob in rules.obligations:
        if ob.source.document != rules.jurisdiction.document_number:
            c.error(
                ob.id,
                "wrong-document",
                f"cites document {ob.source.document!r}, but the plug-in encodes "
                f"{rules.jurisdiction.document_number!r}",
            )
        _check_quote(c, doc, ob.id, "source quote", ob.source.quote)
        for i, th in enumerate(_thresholds(ob)):
            _check_quote(c, doc, ob.id, f"thresholds[{i}] quote", th.quote)
    for rs in rules.region_sets:
        _check_quote(c, doc, f"region set {rs.name}", "source_quote", rs.source_quote)


def _check_departments(c: _Collector, rules: JurisdictionRules) -> None:
    declared = ", ".join(d.name for d in rules.departments) or "none"
    for ob in rules.obligations:
        for role, names in (("lead", ob.lead), ("responsible", ob.responsible)):
            for name in names:
                if rules.department(name) is None:
                    c.error(
                        ob.id,
                        "unknown-department",
                        f"{role} department {name!r} is not declared by the jurisdiction "
                        f"(declared: {declared})",
                    )
        if isinstance(ob, Reporting) and ob.recipient and rules.department(ob.recipient) is None:
            c.error(
                ob.id,
                "unknown-department",
                f"report recipient {ob.recipient!r} is not a declared department",
            )
        if ob.named_departments_only and not ob.departments:
            c.error(
                ob.id,
                "binds-nothing",
                "named_departments_only is set but the obligation names no department",
            )
        kinds = rules.jurisdiction.unit_kinds
        if kinds:
            for kind in ob.applies_to:
                if kind not in kinds:
                    c.error(
                        ob.id,
                        "unknown-unit-kind",
                        f"applies to unit kind {kind!r}, which the jurisdiction does not declare "
                        f"(unit_kinds: {', '.join(kinds)})",
                    )
    used = {kind for ob in rules.obligations for kind in ob.applies_to}
    for d in rules.departments:
        for kind in d.covers_kinds:
            if kind not in used:
                c.error(
                    f"department {d.name}",
                    "unknown-unit-kind",
                    f"covers unit kind {kind!r}, which no obligation applies to",
                )


def _expected_unit(ob: Obligation) -> str | None:
    """'元', 'ratio', 'count' (any counting unit) or None (anything goes)."""
    if isinstance(ob, _RATIO_KINDS):
        return "ratio"
    if isinstance(ob, PerCapita):
        return "元"
    measure = getattr(ob, "measure", None)
    if isinstance(ob, AmountTarget):
        if isinstance(measure, TransactionMeasure):
            return {"amount": "元", "quantity": None}.get(measure.aggregate, "count")
        return None
    if isinstance(ob, CountTarget | Coverage):
        if isinstance(measure, TransactionMeasure) and measure.aggregate == "amount":
            return "元"
        if isinstance(measure, ObservationMeasure) and measure.aggregate == "sum":
            return None if isinstance(ob, CountTarget) else "count"
        return "count"
    return None


def _check_thresholds(c: _Collector, rules: JurisdictionRules) -> None:
    for ob in rules.obligations:
        expected = _expected_unit(ob)
        ths = _thresholds(ob)
        for i, th in enumerate(ths):
            where = f"thresholds[{i}]"
            if expected == "ratio" and th.unit != "ratio":
                c.error(
                    ob.id,
                    "threshold-type",
                    f"{where}: a {ob.kind} compares ratios; its unit must be 'ratio', not {th.unit!r}",
                )
            elif expected in ("元", "count") and th.unit == "ratio":
                c.error(
                    ob.id,
                    "threshold-type",
                    f"{where}: a {ob.kind} on this measure is a {'money amount' if expected == '元' else 'count'}, not a ratio",
                )
            elif expected == "元" and th.unit != "元":
                c.error(
                    ob.id, "threshold-type", f"{where}: money is measured in 元, not {th.unit!r}"
                )
            elif expected == "count" and th.unit == "元":
                c.error(ob.id, "threshold-type", f"{where}: a count is not measured in 元")
            bounds = [th.value] + ([th.upper] if th.upper is not None else [])
            if expected == "count" and any(b != b.to_integral_value() for b in bounds):
                c.error(
                    ob.id, "threshold-type", f"{where}: a count threshold must be a whole number"
                )
            if isinstance(ob, GrowthRate):
                if th.value < -1:
                    c.error(ob.id, "threshold-sign", f"{where}: growth below −100% is impossible")
            elif any(b < 0 for b in bounds):
                c.error(ob.id, "threshold-sign", f"{where}: threshold value must not be negative")
            if isinstance(ob, BaselineShare | Rate) and any(b > 1 for b in bounds):
                c.error(
                    ob.id,
                    "share-out-of-range",
                    f"{where}: a share is between 0 and 1 (10% is 0.10), got {_fmt(max(bounds))}",
                )
            _check_threshold_quote_number(c, ob, where, th)
            _check_threshold_comparator(c, ob, where, th)
        _check_threshold_dates(c, ob, ths)


def _check_threshold_quote_number(c: _Collector, ob: Obligation, where: str, th: Threshold) -> None:
    """A threshold's ``quote`` states its number: 10% for 0.10, 11亿元 for 1100000000."""
    if th.quote is None:
        return
    numbers = numbers_in(th.quote)
    if not numbers:
        return
    for bound in [th.value] + ([th.upper] if th.upper is not None else []):
        if bound not in numbers:
            stated = ", ".join(_fmt(n) for n in sorted(numbers))
            c.error(
                ob.id,
                "threshold-quote",
                f"{where}: value {_fmt(bound)} ({th.unit}) is not a number its quote "
                f"{th.quote!r} states (it states: {stated})",
            )


# --------------------------------------------------------------------------- comparator words

# Words that bound the number after them. A negation turns a strict word into the inclusive
# opposite (不得低于 = at least), so negated forms are matched first, as one word: 超过 inside
# 不超过 is never read alone. 达到 (reach) is an inclusive floor; 未达到 decides nothing.
_PREFIX_WORD = re.compile(
    r"未达到|(?:不得|不能|不应|不宜|不可|不|未)(?:低于|少于|小于|高于|多于|大于|超过)"
    r"|低于|少于|小于|高于|多于|大于|超过|不足|至少|最少|至多|最多|达到"
)
_STRICT_FLOOR_WORDS = ("高于", "多于", "大于", "超过")
_STRICT_CEILING_WORDS = ("低于", "少于", "小于")
# Words that bound the number before them (after its unit): 100个以上, 20人以下.
_SUFFIX_WORD = re.compile(r"\s*[^\W\d_以的不]{0,3}?\s*(及以上|以上|及以下|以下|以内|的)")
_NUMBER_TOKEN = re.compile(
    r"\d+(?:\.\d+)?\s*(?:亿|万|千)?\s*%?|(?:百分之)?[零〇一二两三四五六七八九十百千万亿]+"
)
_CLAUSE_END = re.compile(r"[,，。;；!！?？\n]")
_MEANING = {
    ">=": "an inclusive floor",
    "<=": "an inclusive ceiling",
    ">": "a strict floor",
    "<": "a strict ceiling",
}


def _prefix_comparator(word: str) -> str | None:
    if word == "未达到":
        return None
    if word in ("至少", "最少", "达到"):
        return ">="
    if word in ("至多", "最多"):
        return "<="
    if word == "不足":
        return "<"
    base = word[-2:]
    negated = len(word) > 2
    if base in _STRICT_CEILING_WORDS:
        return ">=" if negated else "<"
    if base in _STRICT_FLOOR_WORDS:
        return "<=" if negated else ">"
    return None  # pragma: no cover - the regex admits nothing else


def comparator_words(quote: str, value: Decimal) -> list[tuple[str, str]]:
    """The comparator words of ``quote`` that bound ``value``: ``[(word, comparator)]``.

    A word bounds the value when the quote states the value right after it, in the same
    clause (不少于 1500 名; 不得低于 2019 年度…的 10%: the nearest word before it), or right
    before it, after its unit (11 亿元以上). A number followed by 的 qualifies something
    (100人以上的村, 低于10%的单位) rather than states the duty: its words decide nothing.
    """
    from .values import to_halfwidth

    text = re.sub(r"(?<=\d),(?=\d{3})", "", to_halfwidth(quote))
    found: list[tuple[str, str]] = []
    for token in _NUMBER_TOKEN.finditer(text):
        number = token.group()
        if number.endswith("%"):  # 10% bounds 0.10, not 10
            stated = {n / 100 for n in numbers_in(number.rstrip("%"))}
        else:
            stated = numbers_in(number)
        if value not in stated:
            continue
        words: list[tuple[str, str]] = []
        after = _SUFFIX_WORD.match(text, token.end())
        if after is not None:
            if after.group(1) == "的" or text[after.end() :].lstrip().startswith("的"):
                continue
            word = after.group(1)
            words.append((word, ">=" if word.endswith("以上") else "<="))
        clause_start = max(
            (m.end() for m in _CLAUSE_END.finditer(text, 0, token.start())), default=0
        )
        prefixes = list(_PREFIX_WORD.finditer(text, clause_start, token.start()))
        if prefixes:
            word = prefixes[-1].group()
            comparator = _prefix_comparator(word)
            if comparator is not None:
                words.append((word, comparator))
        found.extend(words)
    return found


def _check_threshold_comparator(c: _Collector, ob: Obligation, where: str, th: Threshold) -> None:
    """Inclusive words are inclusive: 不低于/以上 → ``>=``, 不超过/以下 → ``<=``, 超过 → ``>``…

    Read from the threshold's quote, or from the obligation's source quote when the
    threshold's states no comparator word. Silent when the words disagree, or when none
    bounds the threshold's number: the text does not decide then.
    """
    if th.comparator == "between":
        return
    for label, quote in (("its quote", th.quote), ("the source quote", ob.source.quote)):
        if not quote:
            continue
        words = comparator_words(quote, th.value)
        if not words:
            continue
        comparators = {comparator for _, comparator in words}
        if len(comparators) != 1:
            return
        (expected,) = comparators
        if th.comparator != expected:
            said = ", ".join(dict.fromkeys(repr(word) for word, _ in words))
            c.error(
                ob.id,
                "threshold-comparator",
                f"{where}: {label} {quote!r} bounds"
                f" {_fmt(th.value)} with {said}, {_MEANING[expected]}: the comparator must be "
                f"{expected!r}, not {th.comparator!r}",
            )
        return


def _check_threshold_dates(c: _Collector, ob: Obligation, ths: Sequence[Threshold]) -> None:
    for i, th in enumerate(ths):
        if th.effective_from and th.effective_to and th.effective_to < th.effective_from:
            c.error(
                ob.id,
                "dates-out-of-order",
                f"thresholds[{i}]: effective_to is before effective_from",
            )
        if (th.effective_from and th.effective_from > ob.last_day) or (
            th.effective_to and th.effective_to < ob.valid_from
        ):
            c.warning(
                ob.id,
                "threshold-never-in-force",
                f"thresholds[{i}] is in force only outside the validity {ob.valid_from}..{ob.valid_to}",
            )
    for i in range(len(ths)):
        for j in range(i + 1, len(ths)):
            a, b = ths[i], ths[j]
            a_from, a_to = a.effective_from or date.min, a.effective_to or date.max
            b_from, b_to = b.effective_from or date.min, b.effective_to or date.max
            if a_from <= b_to and b_from <= a_to:
                c.error(
                    ob.id,
                    "thresholds-overlap",
                    f"thresholds[{i}] and thresholds[{j}] are both in force from {max(a_from, b_from)}; "
                    "give each its effective_from/effective_to",
                )


def _check_dates(c: _Collector, rules: JurisdictionRules) -> None:
    for ob in rules.obligations:
        if ob.valid_to is not None and ob.valid_to < ob.valid_from:
            c.error(
                ob.id,
                "dates-out-of-order",
                f"valid_to {ob.valid_to} is before valid_from {ob.valid_from}",
            )
            continue
        p = ob.period
        if p.frequency == "fixed" and p.start and p.end:
            if p.end < p.start:
                c.error(ob.id, "dates-out-of-order", "period end is before its start")
            due = p.due or p.end + timedelta(days=p.grace_days)
            if due < p.start:
                c.error(
                    ob.id,
                    "dates-out-of-order",
                    f"period is due ({due}) before it starts ({p.start})",
                )
            elif due < p.end:
                c.warning(
                    ob.id,
                    "due-before-period-end",
                    f"due {due}, before the measured period ends ({p.end}): later facts "
                    "change a finding already due",
                )
            # A due date after valid_to is fine: the last period is judged after it ends.
            if p.start > ob.last_day or p.end < ob.valid_from:
                c.warning(
                    ob.id,
                    "period-outside-validity",
                    "the measured period lies outside the validity",
                )
        for ref_name in ("baseline",):
            ref = getattr(ob, ref_name, None)
            if ref is not None and ref.end < ref.start:
                c.error(
                    ob.id,
                    "dates-out-of-order",
                    f"{ref_name} end {ref.end} is before its start {ref.start}",
                )


def _check_allocations(c: _Collector, rules: JurisdictionRules) -> None:
    for ob in rules.obligations:
        if not isinstance(ob, AmountTarget | CountTarget):
            continue
        for kind in ob.allocated_kinds:
            if kind not in ob.applies_to:
                c.error(
                    ob.id,
                    "allocation-kind",
                    f"allocated_kinds names {kind!r}, a kind the obligation does not apply to",
                )
        if ob.allocated_kinds and not ob.allocations:
            c.warning(
                ob.id,
                "allocation-kind",
                "allocated_kinds is set but there are no allocations: every such unit "
                "lacks evidence",
            )
        if not ob.allocations:
            continue
        keys = [a.unit or f"region {a.region_code}" for a in ob.allocations]
        for dup in _duplicates(keys):
            c.error(ob.id, "allocation-duplicate", f"{dup} is allocated more than once")
        for a in ob.allocations:
            if a.value is not None and a.value < 0:
                c.error(ob.id, "threshold-sign", f"allocation to {a.name} is negative")
            if a.region_code and (why := region_code_problem(a.region_code)):
                c.error(ob.id, "allocation-region", f"allocation to {a.name}: {why}")
        for i, th, total in ob.allocation_gaps():
            c.error(
                ob.id,
                "allocations-do-not-sum",
                f"allocations sum to {_fmt(total)} {th.unit}, but thresholds[{i}] (the parent "
                f"total) is {_fmt(th.value)} {th.unit} (difference {_fmt(total - th.value)})",
            )


def _check_region_sets(c: _Collector, rules: JurisdictionRules) -> None:
    for rs in rules.region_sets:
        subject = f"region set {rs.name}"
        for dup in _duplicates(r.code for r in rs.regions):
            c.error(subject, "duplicate-id", f"region {dup} is listed more than once")
        n = len(rs.regions)
        if rs.expected_size is not None and n != rs.expected_size:
            if rs.extensible and n < rs.expected_size:
                c.warning(
                    subject,
                    "region-set-size",
                    f"the document states {rs.expected_size} regions, {n} are listed; "
                    "a deployment must add the rest through its facts file",
                )
            else:
                c.error(
                    subject,
                    "region-set-size",
                    f"the document states {rs.expected_size} regions but {n} are listed",
                )
    known = {rs.name for rs in rules.region_sets}
    for ob in rules.obligations:
        for name in region_sets_read(ob):
            if name not in known:
                c.error(
                    ob.id,
                    "unknown-region-set",
                    f"filters on region set {name!r}, which the plug-in does not declare",
                )


def _unit_kinds_overlap(a: Obligation, b: Obligation) -> set[str]:
    shared = set(a.applies_to) & set(b.applies_to)
    if (
        a.named_departments_only
        and b.named_departments_only
        and not (set(a.departments) & set(b.departments))
    ):
        return set()
    return shared


def _metric_key(ob: Obligation) -> tuple[Any, ...] | None:
    """What an obligation compares its threshold with; equal keys measure the same quantity."""
    if isinstance(ob, Rate):
        return ("rate", ob.numerator_metric, ob.denominator_metric, ob.scope)
    measure = getattr(ob, "measure", None)
    if measure is None:
        return None
    extra: Any = None
    if isinstance(ob, BaselineShare):
        extra = ob.baseline
    elif isinstance(ob, PerCapita):
        extra = ob.headcount_attribute
    elif isinstance(ob, GrowthRate):
        extra = ob.baseline
    elif isinstance(ob, Coverage):
        extra = ob.target_set
    elif isinstance(ob, AmountTarget | CountTarget):
        if ob.allocations:
            return None  # per-unit targets differ by design
        extra = "total"
    return (ob.kind, measure.model_dump_json(), repr(extra))


def _period_key(ob: Obligation) -> tuple[Any, ...]:
    p = ob.period
    return (p.frequency, p.start, p.end)


def _in_force_span(ob: Obligation, th: Threshold) -> tuple[date, date]:
    return (
        max(ob.valid_from, th.effective_from or date.min),
        min(ob.last_day, th.effective_to or date.max),
    )


def _check_contradictions(c: _Collector, rules: JurisdictionRules) -> None:
    obs = [o for o in rules.obligations if _thresholds(o) and _metric_key(o) is not None]
    for i, a in enumerate(obs):
        for b in obs[i + 1 :]:
            if _metric_key(a) != _metric_key(b) or _period_key(a) != _period_key(b):
                continue
            kinds = _unit_kinds_overlap(a, b)
            if not kinds:
                continue
            for ta in _thresholds(a):
                for tb in _thresholds(b):
                    a_from, a_to = _in_force_span(a, ta)
                    b_from, b_to = _in_force_span(b, tb)
                    if not (a_from <= b_to and b_from <= a_to):
                        continue
                    both = interval_of(ta).intersect(interval_of(tb)).intersect(domain_of(a))
                    if both.empty:
                        c.error(
                            a.id,
                            "contradiction",
                            f"contradicts {b.id} for {', '.join(sorted(kinds))} "
                            f"({a.period.frequency}, from {max(a_from, b_from)}): no value satisfies both "
                            f"{ta.comparator} {_fmt(ta.value)} and {tb.comparator} {_fmt(tb.value)}"
                            + (f"–{_fmt(tb.upper)}" if tb.upper is not None else ""),
                        )


def _check_satisfiable(c: _Collector, rules: JurisdictionRules) -> None:
    sets = {rs.name: rs for rs in rules.region_sets}
    for ob in rules.obligations:
        report: Callable[[str, str, str], None] = (
            c.error if ob.modality == "mandatory" else c.warning
        )
        domain = domain_of(ob)
        measure = getattr(ob, "measure", None)
        allocations = getattr(ob, "allocations", ())
        for i, th in enumerate(_thresholds(ob)):
            values = [th.value] + [a.value for a in allocations]
            for value in values:
                satisfying = interval_of(th, value).intersect(domain)
                if satisfying.empty:
                    report(
                        ob.id,
                        "unsatisfiable",
                        f"thresholds[{i}] ({th.comparator} {_fmt(value)}) cannot be met: "
                        f"the measured value always lies in {domain}",
                    )
                    break
            if not th.is_floor or th.value <= 0:
                continue
            # A floor on purchases from regions that can never be listed is never met.
            if isinstance(measure, TransactionMeasure) and measure.origin_sets:
                known = [sets[n] for n in measure.origin_sets if n in sets]
                if known and all(not s.regions and not s.extensible for s in known):
                    report(
                        ob.id,
                        "unsatisfiable",
                        f"thresholds[{i}]: purchases must come from {', '.join(measure.origin_sets)}, "
                        "which list no regions and cannot be extended",
                    )
            if isinstance(ob, Coverage) and ob.target_set in sets:
                target = sets[ob.target_set]
                sub_county = any(u in th.unit for u in _SUB_COUNTY_UNITS)
                if not target.extensible and not sub_county and th.value > len(target.regions):
                    report(
                        ob.id,
                        "unsatisfiable",
                        f"thresholds[{i}] requires {_fmt(th.value)} {th.unit} but target set "
                        f"{target.name!r} holds only {len(target.regions)} regions",
                    )


def _check_clauses(c: _Collector, rules: JurisdictionRules) -> None:
    from .commands.coverage import coverage

    for row in coverage(rules):
        if row.problem:
            subject = f"clause {row.clause}" if row.clause != "-" else "clauses.yaml"
            detail = f" ({', '.join(row.obligations)})" if row.obligations else ""
            c.error(subject, "clause-coverage", row.problem + detail)


_CHECKS: tuple[Callable[[_Collector, JurisdictionRules], None], ...] = (
    _check_identity,
    _check_sources,
    _check_departments,
    _check_thresholds,
    _check_dates,
    _check_allocations,
    _check_region_sets,
    _check_contradictions,
    _check_satisfiable,
    _check_clauses,
)


def check_rules(
    rules: JurisdictionRules, *, shared_sources: Path | None = None
) -> list[CheckProblem]:
    """Every inconsistency of one plug-in's rules, sorted; empty when the plug-in is clean.

    Pure: it reads nothing but ``rules`` — unless ``shared_sources`` names the folder the
    shipped source document must be identical to.
    """
    c = _Collector(rules.code)
    for check in _CHECKS:
        check(c, rules)
    if shared_sources is not None:
        c.problems.extend(check_shared_source(rules, shared_sources))
    return sorted(set(c.problems))


# --------------------------------------------------------------------------- shared sources


def find_shared_sources(start: Path | None = None) -> Path | None:
    """``$XFRULES_SHARED_SOURCES``, else ``../shared/sources`` beside the repository root.

    The root is looked for upwards from ``start`` (default: the working directory),
    then from this package (a source checkout).
    """
    env = os.environ.get("XFRULES_SHARED_SOURCES")
    if env:
        return Path(env) if Path(env).is_dir() else None
    origins = [Path(start) if start else Path.cwd(), Path(__file__)]
    for origin in origins:
        for folder in [origin.resolve(), *origin.resolve().parents]:
            if (folder / ".git").exists():
                candidate = folder.parent / "shared" / "sources"
                if candidate.is_dir():
                    return candidate
                break
    return None


def check_shared_source(rules: JurisdictionRules, folder: Path) -> list[CheckProblem]:
    """The shipped document must be identical to its copy in ``folder`` (when there is one)."""
    doc = rules.document
    if doc is None:
        return []
    copy = folder / doc.filename
    if not copy.is_file():
        return []
    shipped = doc.original if doc.original is not None else doc.text
    reference = copy.read_text(encoding="utf-8")
    if shipped == reference:
        return []
    a, b = shipped.splitlines(), reference.splitlines()
    line = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    return [
        CheckProblem(
            rules.code,
            "source document",
            "source-differs",
            f"shipped source differs from {copy} (first difference at line {line + 1}); "
            "ship the document byte for byte",
        )
    ]


# --------------------------------------------------------------------------- loading a source tree


def _validation_messages(exc: ValidationError) -> Iterator[str]:
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        msg = str(err["msg"]).removeprefix("Value error, ")
        yield f"{loc}: {msg}" if loc else msg


def _validate_items(
    items: Any,
    model: Callable[[Any], Any],
    label: Callable[[int, Any], str],
    code: str,
    problems: list[CheckProblem],
    file: str,
) -> list[Any]:
    out: list[Any] = []
    if items is None:
        return out
    if not isinstance(items, list):
        problems.append(CheckProblem(code, file, "invalid-definition", "must be a list"))
        return out
    for i, item in enumerate(items):
        try:
            out.append(model(item))
        except ValidationError as exc:
            for msg in _validation_messages(exc):
                problems.append(
                    CheckProblem(code, label(i, item), "invalid-definition", f"{file}: {msg}")
                )
        except (TypeError, ValueError) as exc:
            problems.append(
                CheckProblem(code, label(i, item), "invalid-definition", f"{file}: {exc}")
            )
    return out


def _item_label(section: str) -> Callable[[int, Any], str]:
    def label(i: int, item: Any) -> str:
        if isinstance(item, Mapping):
            for key in ("id", "name"):
                if item.get(key):
                    return str(item[key])
        return f"{section}[{i}]"

    return label


def _rules_from_data_plugin(
    plugin: Any, name: str
) -> tuple[JurisdictionRules | None, list[CheckProblem]]:
    """Load a DataPlugin's files item by item; invalid items become problems, the rest is checked."""
    from .plugin_kit import merge_defaults

    problems: list[CheckProblem] = []
    try:
        jdata = plugin.read_yaml("jurisdiction.yaml")
        jurisdiction = Jurisdiction.model_validate(jdata["jurisdiction"])
    except (KeyError, TypeError) as exc:
        return None, [
            CheckProblem(name, "jurisdiction.yaml", "invalid-definition", f"missing {exc}")
        ]
    except ValidationError as exc:
        return None, [
            CheckProblem(name, "jurisdiction.yaml", "invalid-definition", m)
            for m in _validation_messages(exc)
        ]
    code = jurisdiction.code

    def model(cls: type[BaseModel], extra: Mapping[str, Any]) -> Callable[[Any], Any]:
        def build(item: Any) -> Any:
            if not isinstance(item, Mapping):
                raise TypeError(f"must be a mapping, got {type(item).__name__}")
            return cls.model_validate({**extra, **item})

        return build

    departments = _validate_items(
        jdata.get("departments", []),
        model(Department, {"jurisdiction": code}),
        _item_label("departments"),
        code,
        problems,
        "jurisdiction.yaml",
    )
    region_sets = _validate_items(
        plugin.read_yaml("regions.yaml").get("region_sets", []),
        model(RegionSet, {"jurisdiction": code}),
        _item_label("region_sets"),
        code,
        problems,
        "regions.yaml",
    )
    odata = plugin.read_yaml("obligations.yaml")
    defaults = {"jurisdiction": code, **(odata.get("defaults") or {})}

    def obligation(item: Any) -> Obligation:
        if not isinstance(item, Mapping):
            raise TypeError(f"must be a mapping, got {type(item).__name__}")
        return obligation_adapter.validate_python(merge_defaults(defaults, item))

    obligations = _validate_items(
        odata.get("obligations", []),
        obligation,
        _item_label("obligations"),
        code,
        problems,
        "obligations.yaml",
    )
    clauses = _validate_items(
        plugin.read_yaml("clauses.yaml").get("clauses", []),
        model(Clause, {}),
        _item_label("clauses"),
        code,
        problems,
        "clauses.yaml",
    )
    try:
        document = plugin.xfrules_source_document()
        scenarios = tuple(plugin.xfrules_scenario_paths())
    except (ValidationError, OSError, UnicodeDecodeError) as exc:
        problems.append(CheckProblem(code, "source document", "invalid-definition", str(exc)))
        document, scenarios = None, ()
    rules = JurisdictionRules(
        plugin=name,
        version="source",
        jurisdiction=jurisdiction,
        departments=tuple(departments),
        region_sets=tuple(region_sets),
        obligations=tuple(obligations),
        document=document,
        clauses=tuple(clauses),
        scenario_paths=scenarios,
    )
    return rules, problems


def rules_from_plugin(
    plugin: Any, name: str
) -> tuple[JurisdictionRules | None, list[CheckProblem]]:
    """Rules of a plug-in object: item by item for a DataPlugin, through its hooks otherwise."""
    from .plugin_kit import DataPlugin

    if isinstance(plugin, DataPlugin):
        try:
            return _rules_from_data_plugin(plugin, name)
        except YamlSyntaxError as exc:  # names the file, line and column
            return None, [CheckProblem(name, Path(exc.name).name, "invalid-definition", str(exc))]
        except Exception as exc:  # anything else malformed: report, do not crash
            return None, [
                CheckProblem(name, "plug-in", "invalid-definition", f"{type(exc).__name__}: {exc}")
            ]
    from .errors import PluginError
    from .registry import get_plugin_manager, load_registry

    pm = get_plugin_manager(load_entry_points=False)
    pm.register(plugin, name=name)
    registry = load_registry(pm)
    problems = [
        CheckProblem(name, "plug-in", "invalid-definition", str(e)) for e in registry.errors
    ]
    rules = next(iter(registry.jurisdictions.values()), None)
    if rules is None and not problems:
        problems.append(
            CheckProblem(
                name,
                "plug-in",
                "invalid-definition",
                str(PluginError(name, "implements no xfrules hook")),
            )
        )
    return rules, problems


def _entry_point(path: Path) -> tuple[str, str] | None:
    """``module:attr`` of the first ``xfrules`` entry point declared in PATH/pyproject.toml."""
    import tomllib

    pyproject = path / "pyproject.toml"
    if not pyproject.is_file():
        return None
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    eps = data.get("project", {}).get("entry-points", {}).get("xfrules", {})
    for target in eps.values():
        module, _, attr = str(target).partition(":")
        return module.strip(), attr.strip() or "plugin"
    return None


def load_rules_from_path(path: str | Path) -> tuple[JurisdictionRules | None, list[CheckProblem]]:
    """Load a plug-in source tree (``PATH/pyproject.toml`` + ``PATH/src/<package>``) without installing it."""
    from .errors import XfrulesError

    root = Path(path).resolve()
    src = root / "src"
    if not src.is_dir():
        raise XfrulesError(f"{path}: not a plug-in source tree (no src/ folder)")
    target = _entry_point(root)
    if target is None:
        packages = sorted(p.name for p in src.iterdir() if (p / "__init__.py").is_file())
        if len(packages) != 1:
            raise XfrulesError(
                f"{path}: no xfrules entry point in pyproject.toml and not exactly one package in src/"
            )
        target = (packages[0], "plugin")
    module_name, attr = target
    top = module_name.split(".")[0]
    for name in [m for m in sys.modules if m == top or m.startswith(top + ".")]:
        del sys.modules[name]  # a copy imported from elsewhere must not shadow this tree
    sys.path.insert(0, str(src))
    try:
        module = importlib.import_module(module_name)
        plugin = getattr(module, attr)
    except Exception as exc:
        return None, [
            CheckProblem(
                top,
                "plug-in",
                "invalid-definition",
                f"cannot import {module_name}:{attr}: {type(exc).__name__}: {exc}",
            )
        ]
    finally:
        sys.path.remove(str(src))
    module_file = Path(getattr(module, "__file__", "") or "").resolve()
    if src not in module_file.parents:
        raise XfrulesError(
            f"{path}: {module_name} was imported from {module_file}, not from this tree"
        )
    return rules_from_plugin(plugin, top)
