"""Coverage of a document by its plug-in: clause by clause, and sentence by sentence.

Every sentence of the document (see :mod:`xfrules.sentences`) is accounted for as one of

- ``encoded``: an obligation's quote covers it (the obligation ids are given);
- ``heading``: the numbered heading of a clause (（一）预算单位加大…力度。) — a heading names
  the task; its duties are the clause's sentences, encoded one by one;
- ``parties``: the clause's department list (（市财政局负责）), read by ``xfrules check``;
- ``context``: the clause is context (``disposition: context``, with its reason), or a
  ``context`` mark of the clause covers the sentence (with the mark's reason);
- ``gap``: none of these — a duty may be unencoded. ``xfrules coverage`` exits 1 and
  ``xfrules check`` reports ``sentence-gap`` for each.

**When a quote covers a sentence.** Counting characters other than whitespace, line breaks and
markup: a quote lying within the sentence covers it when it holds at least a third of the
sentence or 10 characters (the duty's own words, not a stray phrase such as 受援地); a quote
reaching beyond the sentence (a quote of several sentences, or one running into the next)
covers it when it holds at least half of it. A context mark covers sentences by the same rule.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from .documents import Clause
from .entities import Department
from .i18n import t
from .parties import Directory, PartyList, lists_in
from .registry import JurisdictionRules
from .sentences import ClauseSpan, Sentence, content_of, find_quote, locate_clauses, sentences

__all__ = [
    "ClauseCoverage",
    "DocumentReading",
    "SentenceAccount",
    "account_sentences",
    "coverage",
    "covers",
    "read_document",
]

Accounting = Literal["encoded", "heading", "parties", "context", "gap"]
_INSIDE_SHARE = 3  # a quote within a sentence covers it with a third of it…
_INSIDE_ENOUGH = 10  # …or 10 characters
_SUBJECTLESS = re.compile(r"[\s*]*(?:同时|并|还|也|均)?(?:要|应当|应|须|必须)(?![求素点])")
_DUTY_WORDS = re.compile(
    r"必须|确保|不得|严禁|力争|鼓励|支持|引导|倡议|倡导|探索|(?<![主重需])要(?!求)|(?<![供相适响对反效呼顺])应(?![用急对])"
    r"|建设|建立|推动|推进|组织|开展|实施|加强|完善|培训|设立|开通|推广|落实|制定|举办|打造|培育"
)


@dataclass(frozen=True)
class ClauseCoverage:
    """A declared clause with the obligations citing it, or a problem a reviewer must see."""

    jurisdiction: str
    clause: str
    heading: str
    disposition: str
    obligations: tuple[str, ...]
    reason: str | None
    problem: str | None  # a gap a reviewer must see, in the language of the run
    code: str | None = None  # the xfrules check code of the problem


@dataclass(frozen=True)
class SentenceAccount:
    """One sentence of the document and how the plug-in accounts for it."""

    jurisdiction: str
    clause: str  # the clause it lies in; "-" before the first clause found
    index: int  # its number within the clause, from 1
    text: str
    accounting: Accounting
    obligations: tuple[str, ...] = ()
    reason: str | None = None
    duty_words: tuple[str, ...] = ()  # words that often carry a duty (a gap's priority)

    @property
    def is_gap(self) -> bool:
        return self.accounting == "gap"


def covers(text: str, start: int, end: int, sentence: Sentence) -> bool:
    """Whether the quote at ``text[start:end]`` covers ``sentence`` (module docstring)."""
    lo, hi = max(start, sentence.start), min(end, sentence.end)
    if lo >= hi:
        return False
    overlap = len(content_of(text[lo:hi]))
    if overlap == 0:
        return False
    size = sentence.size
    if start >= sentence.start and end <= sentence.end:
        return overlap * _INSIDE_SHARE >= size or overlap >= _INSIDE_ENOUGH
    return overlap * 2 >= size


@dataclass(frozen=True)
class DocumentReading:
    """A document read against a plug-in: sentences, clauses, quotes placed, department lists."""

    text: str
    sentences: tuple[Sentence, ...]
    spans: tuple[ClauseSpan, ...]
    clause_of: tuple[str | None, ...]  # per sentence
    placements: dict[str, tuple[int, int]]  # obligation id → where its quote is
    covered_by: tuple[tuple[str, ...], ...]  # per sentence: obligations whose quote covers it
    marked: tuple[str | None, ...]  # per sentence: the reason of a context mark covering it
    party_lists: tuple[PartyList | None, ...]  # per sentence
    group_list: tuple[int | None, ...]  # per sentence: the department list closing its group
    directory: Directory = field(repr=False)

    def span(self, clause_id: str) -> ClauseSpan | None:
        return next((s for s in self.spans if s.clause.id == clause_id), None)

    def sentences_of(self, obligation: str) -> list[int]:
        """Indexes of the sentences an obligation's quote lies in (covering them or not)."""
        where = self.placements.get(obligation)
        if where is None:
            return []
        return [i for i, s in enumerate(self.sentences) if s.start < where[1] and where[0] < s.end]

    def with_subject(self, index: int) -> list[int]:
        """The sentence, after those whose subject it takes: one opening with 要/应 and no
        subject of its own (各地各部门要高度重视…。要将消费扶贫作为…) continues the sentence before
        it in its clause, whose party is its party."""
        out = [index]
        i = index
        while (
            i > 0
            and _SUBJECTLESS.match(self.sentences[i].text)
            and self.clause_of[i - 1] == self.clause_of[i]
            and not self.sentences[i - 1].heading
            and self.party_lists[i - 1] is None
        ):
            i -= 1
            out.insert(0, i)
        return out

    def group(self, index: int) -> list[int]:
        """The sentences sharing a sentence's department list (all its clause's before the
        list, back to the previous list); just the sentence when no list closes it."""
        closing = self.group_list[index]
        if closing is None:
            return [index]
        return [i for i, g in enumerate(self.group_list) if g == closing]


def _place(text: str, quote: str, near: int) -> tuple[int, int] | None:
    at = find_quote(text, quote, near)
    if at is None:
        return None
    if text.startswith(quote, at):
        return at, at + len(quote)
    # Found with whitespace ignored: extend over as many characters as the quote's content.
    need, end = len(content_of(quote)), at
    while end < len(text) and len(content_of(text[at:end])) < need:
        end += 1
    return at, end


def read_document(rules: JurisdictionRules) -> DocumentReading | None:
    """The plug-in's document read against its clauses, obligations and departments (cached)."""
    if rules.document is None:
        return None
    quotes = tuple((ob.id, ob.source.clause, ob.source.quote) for ob in rules.obligations)
    return _read(rules.document.text, tuple(rules.clauses), quotes, tuple(rules.departments))


@lru_cache(maxsize=64)
def _read(
    text: str,
    clauses: tuple[Clause, ...],
    quotes: tuple[tuple[str, str, str], ...],
    departments: tuple[Department, ...],
) -> DocumentReading:
    found = sentences(text)
    spans = locate_clauses(text, clauses)
    clause_of = tuple(
        next((s.clause.id for s in spans if s.holds(sentence.start)), None) for sentence in found
    )
    starts = {s.clause.id: s.start or 0 for s in spans}
    placements: dict[str, tuple[int, int]] = {}
    for ob_id, clause_id, quote in quotes:
        where = _place(text, quote, starts.get(clause_id, 0))
        if where is not None:
            placements.setdefault(ob_id, where)
    covered_by = tuple(
        tuple(ob for ob, (a, b) in placements.items() if covers(text, a, b, sentence))
        for sentence in found
    )
    marks: list[str | None] = [None] * len(found)
    for span in spans:
        for mark in span.clause.context:
            where = _place(text, mark.quote, span.start or 0)
            if where is None:
                continue
            for i, sentence in enumerate(found):
                if marks[i] is None and covers(text, where[0], where[1], sentence):
                    marks[i] = mark.reason
    directory = Directory.of(departments)
    party_lists = tuple(lists_in([s.text for s in found], directory))
    group_list: list[int | None] = [None] * len(found)
    pending: list[int] = []
    for i, listed in enumerate(party_lists):
        if i and clause_of[i] != clause_of[i - 1]:
            pending = []
        if listed is None:
            pending.append(i)
            continue
        for j in [*pending, i]:
            group_list[j] = i
        pending = []
    return DocumentReading(
        text,
        found,
        spans,
        clause_of,
        placements,
        covered_by,
        tuple(marks),
        party_lists,
        tuple(group_list),
        directory,
    )


def account_sentences(rules: JurisdictionRules) -> list[SentenceAccount]:
    """Every sentence of the plug-in's document with its accounting (module docstring)."""
    reading = read_document(rules)
    if reading is None:
        return []
    by_id = {c.id: c for c in rules.clauses}
    out: list[SentenceAccount] = []
    numbers: dict[str, int] = {}
    for i, sentence in enumerate(reading.sentences):
        clause_id = reading.clause_of[i] or "-"
        numbers[clause_id] = numbers.get(clause_id, 0) + 1
        clause = by_id.get(clause_id)
        obligations = reading.covered_by[i]
        accounting: Accounting
        reason: str | None = None
        if obligations:
            accounting = "encoded"
        elif sentence.heading:
            accounting, reason = "heading", "the clause's heading: its duties are its sentences"
        elif reading.party_lists[i] is not None:
            accounting, reason = "parties", "the department list of the sentences before it"
        elif clause is not None and clause.disposition == "context":
            accounting, reason = "context", clause.reason
        elif reading.marked[i] is not None:
            accounting, reason = "context", reading.marked[i]
        else:
            accounting = "gap"
        words = tuple(dict.fromkeys(m.group() for m in _DUTY_WORDS.finditer(sentence.content)))
        out.append(
            SentenceAccount(
                rules.code,
                clause_id,
                numbers[clause_id],
                sentence.text,
                accounting,
                obligations,
                reason,
                words[:3],
            )
        )
    return out


def coverage(rules: JurisdictionRules) -> list[ClauseCoverage]:
    """Every declared clause with its obligations; a clause encoded but cited by nothing, a
    context clause without a reason or cited by obligations, a clause that cannot be found in
    the document and a clause cited but not declared are problems."""
    by_clause: dict[str, list[str]] = {}
    for ob in rules.obligations:
        by_clause.setdefault(ob.source.clause, []).append(ob.id)
    reading = read_document(rules)
    located = {s.clause.id: s.start is not None for s in reading.spans} if reading else {}
    out: list[ClauseCoverage] = []
    declared: set[str] = set()
    for clause in rules.clauses:
        declared.add(clause.id)
        obs = tuple(by_clause.get(clause.id, ()))
        problem, code = None, "clause-coverage"
        if clause.disposition == "encoded" and not obs:
            problem = t("cov.encoded_uncited")
        elif clause.disposition == "context" and not clause.reason:
            problem = t("cov.context_no_reason")
        elif clause.disposition == "context" and obs:
            problem = t("cov.context_cited")
        elif reading is not None and not located.get(clause.id, True):
            problem, code = t("cov.unlocated"), "clause-unlocated"
        out.append(
            ClauseCoverage(
                rules.code,
                clause.id,
                clause.heading,
                clause.disposition,
                obs,
                clause.reason,
                problem,
                code if problem else None,
            )
        )
    for clause_id, citing in by_clause.items():
        if clause_id not in declared:
            out.append(
                ClauseCoverage(
                    rules.code,
                    clause_id,
                    "",
                    "encoded",
                    tuple(citing),
                    None,
                    t("cov.undeclared_clause"),
                    "clause-coverage",
                )
            )
    if not rules.clauses:
        out.append(
            ClauseCoverage(
                rules.code,
                "-",
                "",
                "missing",
                (),
                None,
                t("cov.no_clauses"),
                "clause-coverage",
            )
        )
    return out


def gaps(accounts: Sequence[SentenceAccount]) -> list[SentenceAccount]:
    return [a for a in accounts if a.is_gap]
