"""The words around a threshold's number decide how it binds:

- ``threshold-comparator``: 以上/不低于/不少于/至少/达到 are inclusive floors (``>=``), 超过/高于
  strict ones, 以下/以内/不超过 inclusive ceilings, 低于/少于/不足 strict ones;
- ``threshold-unworded``: a number stated with no such word is a target reached at the number
  — never a strict ``>`` or ``<``;
- ``threshold-range``: ２－３个 (2至3) is ``between`` 2 and 3, and ``between`` needs a range;
- ``threshold-approximate``: 约 / 左右 (100个左右, 约3万台) make the number ``approximate``, and
  an approximate number says 约 or 左右;
- ``threshold-tolerance``: a tolerance the plug-in sets is a decision the text does not state:
  the obligation's notes state it.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..i18n import Msg
from ..obligations import Obligation, Threshold
from ..registry import JurisdictionRules
from ..values import to_halfwidth
from .duty_text import unwrapped
from .numbers import chinese_number, fmt, numbers_in
from .problems import Collector
from .thresholds import thresholds_of

__all__ = ["check_comparators", "comparator_words"]

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
    ">=": Msg("chk.meaning.>="),
    "<=": Msg("chk.meaning.<="),
    ">": Msg("chk.meaning.>"),
    "<": Msg("chk.meaning.<"),
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


def _plain(quote: str) -> str:
    return re.sub(r"(?<=\d),(?=\d{3})", "", to_halfwidth(unwrapped(quote)))


def _stated(number: str) -> set[Decimal]:
    if number.endswith("%"):  # 10% bounds 0.10, not 10
        return {n / 100 for n in numbers_in(number.rstrip("%"))}
    return numbers_in(number)


def comparator_words(quote: str, value: Decimal) -> list[tuple[str, str]]:
    """The comparator words of ``quote`` that bound ``value``: ``[(word, comparator)]``.

    A word bounds the value when the quote states the value right after it, in the same
    clause (不少于 1500 名; 不得低于 2019 年度…的 10%: the nearest word before it), or right
    before it, after its unit (11 亿元以上). A number followed by 的 qualifies something
    (100人以上的村, 低于10%的单位) rather than states the duty: its words decide nothing.
    """
    text = _plain(quote)
    found: list[tuple[str, str]] = []
    for token in _NUMBER_TOKEN.finditer(text):
        if value not in _stated(token.group()):
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


def check_comparators(c: Collector, rules: JurisdictionRules) -> None:
    for ob in rules.obligations:
        for i, th in enumerate(thresholds_of(ob)):
            where = f"thresholds[{i}]"
            _check_comparator(c, ob, where, th)
            _check_unworded(c, ob, where, th)
            _check_range(c, ob, where, th)
            _check_approximate(c, ob, where, th)
            _check_tolerance(c, ob, where, th)


def _quotes(ob: Obligation, th: Threshold) -> list[str]:
    return [q for q in (th.quote, ob.source.quote) if q]


_CN = "零〇一二两三四五六七八九十百千"
_RANGE = re.compile(rf"(\d+(?:\.\d+)?|[{_CN}]+)\s*(?:[-~—–至到])\s*(\d+(?:\.\d+)?|[{_CN}]+)")


def _number(text: str) -> Decimal | None:
    if text[0].isdigit():
        return Decimal(text)
    n = chinese_number(text)
    return None if n is None else Decimal(n)


def ranges_in(quote: str) -> list[tuple[Decimal, Decimal]]:
    """The ranges ``quote`` states: ２－３个 → (2, 3); 二至三次 → (2, 3)."""
    out = []
    for m in _RANGE.finditer(_plain(quote)):
        lo, hi = _number(m.group(1)), _number(m.group(2))
        if lo is not None and hi is not None and lo < hi:
            out.append((lo, hi))
    return out


def _check_range(c: Collector, ob: Obligation, where: str, th: Threshold) -> None:
    # The threshold's own quote when it has one: the source quote may state another number's
    # range (２－３个…市级 beside 若干个区级).
    own = [th.quote] if th.quote else [ob.source.quote]
    stated = [r for q in own for r in ranges_in(q)]
    if th.comparator == "between":
        if (
            th.upper is not None
            and (th.value, th.upper) not in stated
            and any(th.value in numbers_in(q) for q in own)
        ):
            c.error(
                ob.id,
                "threshold-range",
                Msg(
                    "chk.range_unstated",
                    where=where,
                    lo=fmt(th.value),
                    hi=fmt(th.upper),
                    hint=Msg("chk.waiver_hint", code="threshold-range"),
                ),
            )
        return
    for lo, hi in stated:
        if lo == th.value:
            c.error(
                ob.id,
                "threshold-range",
                Msg(
                    "chk.range_stated",
                    where=where,
                    lo=fmt(lo),
                    hi=fmt(hi),
                    comparator=th.comparator,
                    hint=Msg("chk.waiver_hint", code="threshold-range"),
                ),
            )
            return


def _check_unworded(c: Collector, ob: Obligation, where: str, th: Threshold) -> None:
    """A number stated without a comparator word is a target reached at the number."""
    if th.comparator not in (">", "<"):
        return
    quotes = [q for q in _quotes(ob, th) if th.value in numbers_in(q)]
    if not quotes or any(comparator_words(q, th.value) for q in quotes):
        return
    inclusive = ">=" if th.comparator == ">" else "<="
    c.error(
        ob.id,
        "threshold-unworded",
        Msg(
            "chk.unworded",
            where=where,
            comparator=th.comparator,
            value=fmt(th.value),
            quote=quotes[0],
            inclusive=inclusive,
            hint=Msg("chk.waiver_hint", code="threshold-unworded"),
        ),
    )


_ABOUT_BEFORE = re.compile(r"(约|大约|大概|近)\s*$")
_ABOUT_AFTER = re.compile(r"\s*[^\W\d_以的不]{0,3}?\s*(左右)")


def approximation_words(quote: str, value: Decimal) -> list[str]:
    """The words of ``quote`` that make ``value`` approximate: 约 before it, 左右 after it."""
    text = _plain(quote)
    found = []
    for token in _NUMBER_TOKEN.finditer(text):
        if value not in _stated(token.group()):
            continue
        before = _ABOUT_BEFORE.search(text, max(0, token.start() - 3), token.start())
        if before is not None:
            found.append(before.group(1))
        after = _ABOUT_AFTER.match(text, token.end())
        if after is not None:
            found.append(after.group(1))
    return found


def _check_approximate(c: Collector, ob: Obligation, where: str, th: Threshold) -> None:
    quotes = [q for q in _quotes(ob, th) if th.value in numbers_in(q)]
    if not quotes:
        return
    words = [w for q in quotes for w in approximation_words(q, th.value)]
    if words and not th.approximate:
        c.error(
            ob.id,
            "threshold-approximate",
            Msg(
                "chk.approximate_said",
                where=where,
                quote=quotes[0],
                words="、".join(dict.fromkeys(words)),
                value=fmt(th.value),
                hint=Msg("chk.waiver_hint", code="threshold-approximate"),
            ),
        )
    elif th.approximate and not words:
        c.error(
            ob.id,
            "threshold-approximate",
            Msg(
                "chk.approximate_unsaid",
                where=where,
                quote=quotes[0],
                value=fmt(th.value),
                hint=Msg("chk.waiver_hint", code="threshold-approximate"),
            ),
        )


def _check_tolerance(c: Collector, ob: Obligation, where: str, th: Threshold) -> None:
    if th.tolerance is None:
        return
    percent = fmt(th.tolerance * 100) + "%"
    if fmt(th.tolerance) in ob.notes or percent in ob.notes:
        return
    c.error(
        ob.id,
        "threshold-tolerance",
        Msg("chk.tolerance", where=where, tolerance=fmt(th.tolerance), percent=percent),
    )


def _check_comparator(c: Collector, ob: Obligation, where: str, th: Threshold) -> None:
    """Inclusive words are inclusive: 不低于/以上 → ``>=``, 不超过/以下 → ``<=``, 超过 → ``>``…

    Read from the threshold's quote, or from the obligation's source quote when the
    threshold's states no comparator word. Silent when the words disagree, or when none
    bounds the threshold's number: the text does not decide then.
    """
    if th.comparator == "between":
        return
    for label, quote in (
        (Msg("chk.label.own_quote"), th.quote),
        (Msg("chk.label.source_quote"), ob.source.quote),
    ):
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
                Msg(
                    "chk.comparator",
                    where=where,
                    label=label,
                    quote=quote,
                    value=fmt(th.value),
                    said=said,
                    meaning=_MEANING[expected],
                    expected=expected,
                    comparator=th.comparator,
                ),
            )
        return
