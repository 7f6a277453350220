"""Every number a duty states is encoded (``duty-number``): 不少于1500名 needs a threshold of
1500; 13个贫困县 the expected size of a region set the duty reads; 每月29日前 is a date.

The numbers read here are stricter than :func:`.numbers.numbers_in` (which says whether a
threshold's quote states its number): Arabic numbers, and Chinese numerals followed by a
counting word (百家, 两次, 五十个) — not 一批, 进一步, 十九大. Left out: dates and document
numbers (2019年, 10月17日, 〔2018〕129号, 附件1、2), names and titles in “…” 《…》, the clause's
heading and its department list.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..coverage import read_document
from ..i18n import Msg
from ..obligations import Obligation, region_sets_read
from ..registry import JurisdictionRules
from ..values import to_halfwidth
from .duty_text import duty_text
from .numbers import arabic_value, chinese_number, fmt
from .problems import Collector
from .thresholds import thresholds_of

__all__ = ["check_stated_numbers", "stated_numbers"]

_ARABIC = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(亿|万|千)?\s*(%)?")
_CHINESE = re.compile(
    r"(?<![\d.])(百分之)([零〇一二两三四五六七八九十百千]+)"
    r"|(?<![\d.])()([零〇一二两三四五六七八九十百千][零〇一二两三四五六七八九十百千万亿]*)(?=个|家|人|名|次|户|村|县|项|台|元|亩|所|场|届|款|种|支|座|条|批次)"
)
_DATE_AFTER = re.compile(r"\s*(年|月|日|号|时|点|周岁|世纪)")
_QUOTED = re.compile(r"“[^”]*”|《[^》]*》|〔[^〕]*〕|\[[^\]]*\]|<[^>]*>|附件\s*[\d、,，及和\s]+")


def stated_numbers(text: str) -> list[tuple[Decimal, str]]:
    """``[(number, the words around it)]`` a duty's text states (module docstring)."""
    plain = to_halfwidth(text).replace(",", "")
    plain = _QUOTED.sub(lambda m: " " * len(m.group()), plain)
    found: list[tuple[Decimal, str]] = []
    for m in _ARABIC.finditer(plain):
        if _DATE_AFTER.match(plain, m.end()):
            continue
        value = arabic_value(m.group(1), m.group(2) or "")
        if m.group(3):
            value /= 100
        found.append((value, _around(plain, m.start(), m.end())))
    for m in _CHINESE.finditer(plain):
        if m.start() and plain[m.start() - 1] in "每第":
            continue  # 每个, 第一: no number of things
        percent, numeral = (m.group(1), m.group(2)) if m.group(1) else ("", m.group(4))
        n = chinese_number(numeral)
        if n is None:  # pragma: no cover - the pattern admits only numerals
            continue
        value = Decimal(n) / 100 if percent else Decimal(n)
        found.append((value, _around(plain, m.start(), m.end())))
    return found


def _around(text: str, start: int, end: int) -> str:
    return "".join(text[max(0, start - 6) : min(len(text), end + 6)].split())


def _encoded(ob: Obligation, rules: JurisdictionRules) -> set[Decimal]:
    """Every number the obligation's fields hold."""
    values: set[Decimal] = set()
    for th in thresholds_of(ob):
        values.add(th.value)
        if th.upper is not None:
            values.add(th.upper)
        if th.tolerance is not None:
            values.add(th.tolerance)
    values.update(a.value for a in getattr(ob, "allocations", ()) if a.value is not None)
    measure = getattr(ob, "measure", None)
    floor = getattr(measure, "subject_floor", None)
    if floor is not None:
        values.add(floor)
    for name in region_sets_read(ob):
        rs = rules.region_set(name)
        if rs is not None and rs.expected_size is not None:
            values.add(Decimal(rs.expected_size))
    p = ob.period
    values.update(Decimal(n) for n in (p.due_day, p.grace_days, p.days_before, p.days_after) if n)
    return values


def check_stated_numbers(c: Collector, rules: JurisdictionRules) -> None:
    reading = read_document(rules)
    for ob in rules.obligations:
        encoded = _encoded(ob, rules)
        missing: dict[Decimal, str] = {}
        for value, words in stated_numbers(duty_text(ob, reading).quote):
            if value not in encoded:
                missing.setdefault(value, words)
        for value, words in missing.items():
            c.error(
                ob.id,
                "duty-number",
                Msg(
                    "chk.duty_number",
                    value=fmt(value),
                    words=words,
                    hint=Msg("chk.waiver_hint", code="duty-number"),
                ),
            )
