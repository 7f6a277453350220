"""The words of a duty, as the faithfulness checks read them.

An obligation's quote is read without the heading of its clause (a heading's words are not
its sentences': （一）加大…支持力度 says nothing of a duty's modality) and without department
lists in parentheses; the words before the quote in the same sentence govern its first
clause (鼓励民企…采取“以购代捐”等方式采购: a quote of the second half is still encouraged).

A received file breaks lines inside words (鼓\\n\\n励, 科研机\\n\\n构): the words are read with every
line break — and the spaces around it — taken out (:func:`unwrapped`), so 鼓\\n\\n励 is 鼓励.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..coverage import DocumentReading
from ..obligations import Obligation
from ..sentences import content_of

__all__ = ["DutyText", "duty_text", "excerpt", "unwrapped", "without_asides"]

_EXCERPT = 40
_LINE_BREAK = re.compile(r"[ \t\u3000]*(?:\r?\n[ \t\u3000]*)+")
_ASIDE = re.compile(r"[（(][^（()）]*(?:负责|牵头|配合|参与|责任单位)[^（()）]*[）)]")


@dataclass(frozen=True)
class DutyText:
    """``quote``: the duty's own words; ``prefix``: the words before it in its sentence;
    ``sentences``: the whole sentences it lies in (headings left out), after the one whose
    subject the first of them takes (要将…: see ``DocumentReading.with_subject``)."""

    quote: str
    prefix: str
    sentences: str
    heading_only: bool  # the quote is nothing but its clause's heading


def unwrapped(text: str) -> str:
    """``text`` without its line breaks (and the spaces around them): a received file wraps
    its lines inside words, which are read whole."""
    return _LINE_BREAK.sub("", text)


def without_asides(text: str) -> str:
    """``text`` without department lists in parentheses (（市商务局负责）), its lines unwrapped."""
    return _ASIDE.sub("", unwrapped(text))


def excerpt(text: str, size: int = _EXCERPT) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= size else flat[:size] + "…"


def duty_text(ob: Obligation, reading: DocumentReading | None) -> DutyText:
    quote = ob.source.quote
    if reading is None or ob.id not in reading.placements:
        plain = without_asides(quote)
        return DutyText(plain, "", plain, False)
    start, end = reading.placements[ob.id]
    kept: list[str] = []
    prefix = ""
    around: list[str] = []
    heading_only = True
    for i in reading.sentences_of(ob.id):
        sentence = reading.sentences[i]
        lo, hi = max(start, sentence.start), min(end, sentence.end)
        if sentence.heading or reading.party_lists[i] is not None:
            continue
        if content_of(reading.text[lo:hi]):
            heading_only = False
        kept.append(reading.text[lo:hi])
        around.extend(
            reading.sentences[j].text for j in reading.with_subject(i) if j != i and not around
        )
        around.append(sentence.text)
        if sentence.start < start and not prefix:
            prefix = reading.text[sentence.start : start]
    if heading_only:
        return DutyText(without_asides(quote), "", without_asides(quote), True)
    return DutyText(
        without_asides("".join(kept)),
        without_asides(prefix),
        without_asides("".join(around)),
        False,
    )
