"""Comparator words decide the comparator: 以上/不低于/不少于 are inclusive floors, 超过 a
strict one, 以下/不超过 inclusive ceilings…"""

from __future__ import annotations

import re
from decimal import Decimal

from ..obligations import Obligation, Threshold
from ..registry import JurisdictionRules
from ..values import to_halfwidth
from .numbers import fmt, numbers_in
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


def _plain(quote: str) -> str:
    return re.sub(r"(?<=\d),(?=\d{3})", "", to_halfwidth(quote))


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
            _check_comparator(c, ob, f"thresholds[{i}]", th)


def _check_comparator(c: Collector, ob: Obligation, where: str, th: Threshold) -> None:
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
                f" {fmt(th.value)} with {said}, {_MEANING[expected]}: the comparator must be "
                f"{expected!r}, not {th.comparator!r}",
            )
        return
