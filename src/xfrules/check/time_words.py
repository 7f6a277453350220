"""Dates and periods come from the text:

- ``date-unstated``: every date an obligation encodes (validity, a fixed period, a baseline, a
  dated threshold) is one the document writes — 2020年4月26日 that day, 2020年12月 the first or
  last of the month, a year it names (2019年度, 2020年4月26日) its first or last day — or the jurisdiction's
  ``issued`` date, a day written without a year (10月17日, any year), or a date its ``notes`` give (a decision written down: "due 2020-12-31, the
  脱贫攻坚 deadline");
- ``period-words``: a monthly period needs 每月/按月/月度 in the duty's sentence, and a duty
  whose own words say 每月 is not measured over a year.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache

from ..coverage import read_document
from ..i18n import Msg
from ..obligations import Obligation
from ..registry import JurisdictionRules
from ..values import to_halfwidth
from .duty_text import duty_text, excerpt
from .problems import Collector
from .thresholds import thresholds_of

__all__ = ["check_time_words", "dates_written"]

_CHINESE_DATE = re.compile(r"(\d{4})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?)?")
_MONTH_DAY = re.compile(r"(?<![\d年])\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MONTHLY = re.compile(r"每月|按月|月度|逐月|每个月")


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


@lru_cache(maxsize=64)
def dates_written(text: str) -> frozenset[date]:
    """The days ``text`` states: a full date; the first and last day of a month or a year it
    names (2020年12月, 2019年度); ISO dates (in notes)."""
    plain = to_halfwidth(text)
    found: set[date | None] = set()
    for m in _CHINESE_DATE.finditer(plain):
        year = int(m.group(1))
        found.update((date(year, 1, 1), date(year, 12, 31)))  # a year named: its first, last day
        if m.group(3):
            found.add(_safe(year, int(m.group(2)), int(m.group(3))))
        elif m.group(2):
            month = int(m.group(2))
            if 1 <= month <= 12:
                last = calendar.monthrange(year, month)[1]
                found.update((_safe(year, month, 1), _safe(year, month, last)))
    for m in _ISO_DATE.finditer(plain):
        found.add(_safe(int(m.group(1)), int(m.group(2)), int(m.group(3))))
    return frozenset(d for d in found if d is not None)


@lru_cache(maxsize=64)
def days_written(text: str) -> frozenset[tuple[int, int]]:
    """The (month, day) of dates ``text`` writes without a year (10月17日: every year)."""
    return frozenset(
        (int(m.group(1)), int(m.group(2))) for m in _MONTH_DAY.finditer(to_halfwidth(text))
    )


def _encoded_dates(ob: Obligation) -> list[tuple[str, date]]:
    out: list[tuple[str, date]] = [("valid_from", ob.valid_from)]
    if ob.valid_to is not None:
        out.append(("valid_to", ob.valid_to))
    p = ob.period
    out += [(f"period {name}", d) for name in ("start", "end", "due") if (d := getattr(p, name))]
    baseline = getattr(ob, "baseline", None)
    if baseline is not None:
        out += [("baseline start", baseline.start), ("baseline end", baseline.end)]
    for i, th in enumerate(thresholds_of(ob)):
        for name in ("effective_from", "effective_to"):
            if (d := getattr(th, name)) is not None:
                out.append((f"thresholds[{i}] {name}", d))
    return out


def check_time_words(c: Collector, rules: JurisdictionRules) -> None:
    reading = read_document(rules)
    text = rules.document.text if rules.document is not None else ""
    written, yearly = dates_written(text), days_written(text)
    issued = {rules.jurisdiction.issued} if rules.jurisdiction.issued else set()
    for ob in rules.obligations:
        if rules.document is not None:
            allowed = written | issued | dates_written(ob.notes)
            for what, day in _encoded_dates(ob):
                if day not in allowed and (day.month, day.day) not in yearly:
                    c.error(
                        ob.id,
                        "date-unstated",
                        Msg(
                            "chk.date_unstated",
                            what=what,
                            day=day,
                            hint=Msg("chk.waiver_hint", code="date-unstated"),
                        ),
                    )
        duty = duty_text(ob, reading)
        monthly_words = _MONTHLY.findall(duty.sentences + duty.quote)
        if ob.period.frequency == "monthly" and not monthly_words:
            c.error(
                ob.id,
                "period-words",
                Msg(
                    "chk.monthly_unsaid",
                    sentence=excerpt(duty.sentences),
                    hint=Msg("chk.waiver_hint", code="period-words"),
                ),
            )
        elif ob.period.frequency != "monthly" and (said := _MONTHLY.search(duty.quote)):
            c.error(
                ob.id,
                "period-words",
                Msg(
                    "chk.monthly_said",
                    said=said.group(),
                    frequency=ob.period.frequency,
                    hint=Msg("chk.waiver_hint", code="period-words"),
                ),
            )
