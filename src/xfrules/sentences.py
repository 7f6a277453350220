"""A policy document as sentences and numbered clauses, for sentence-level coverage.

:func:`sentences` splits the text at 。；！？ (and their halfwidth forms; a halfwidth full
stop too, as some documents write it, but not inside a number), at numbered headings
(一、 （一） (一) 1. 1．一是) that begin a line, after a department list in parentheses
(（市商务局负责）), and after a title line without punctuation. Each :class:`Sentence` keeps
its offsets in the document, so a verbatim quote is placed exactly; its ``content`` drops
whitespace, line breaks and markdown markup, which a received file scatters through its
sentences (quotes keep them: "…工\\n\\n会活动").

:func:`locate_clauses` finds where each declared clause begins: by its number (三（一） is
（一） under 三、; 二（一）1 is 1. under it; 三一是 is 一是 under 三、), by ``starts`` (verbatim
words) for a clause the document does not number, or by its heading; a clause runs to the
start of the next clause found. Numbered parts the plug-in does not declare stay in the
clause before them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .documents import Clause

__all__ = [
    "ClauseSpan",
    "Sentence",
    "content_of",
    "find_quote",
    "locate_clauses",
    "sentences",
]

_NUMERAL = "一二三四五六七八九十"
# A numbering marker at the start of a line (after indentation and markdown markup).
_MARKER = re.compile(
    rf"(?P<l1>[{_NUMERAL}]+)、"
    rf"|[（(](?P<l2>[{_NUMERAL}]+)[）)]"
    r"|(?P<l3>\d+)\s*[.．、](?!\d)"
    rf"|(?P<shi>[{_NUMERAL}])是"
)
_LEAD = re.compile(r"[ \t\u3000#>*]*")  # indentation and markdown markup before a marker
_TERMINATORS = "。；！？;!?"
_FULL_STOPS = ".．"  # a full stop when not inside a number (1.5) nor a marker (1.)
_CLOSERS = "”’」』\"'*"  # stay with the sentence they close
_PUNCTUATION = re.compile(r"[，,、。；;：:！!？?．.]")
_NOISE = re.compile(r"[\s*#>`|\-—_=]+")
_HAS_WORDS = re.compile(r"[\w\u4e00-\u9fff]")
_TITLE_LINE = 24  # a line this short without punctuation is a title, date or signature
_BRACKETS: tuple[tuple[str, str], ...] = (
    ("《", "》"),
    ("«", "»"),
    ("“", "”"),
    ("（", "）"),
    ("(", ")"),
    ("「", "」"),
    ("『", "』"),
)
_HEADING = 40  # a numbered heading's title is at most this long


def content_of(text: str) -> str:
    """``text`` without whitespace, line breaks and markdown markup: what is compared."""
    return _NOISE.sub("", text)


@dataclass(frozen=True)
class Sentence:
    """One sentence: its offsets in the document and its verbatim text."""

    start: int
    end: int
    text: str
    heading: bool = False  # a numbered heading: the marker and a short title, no clause of its own

    @property
    def content(self) -> str:
        return content_of(self.text)

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass(frozen=True)
class ClauseSpan:
    """Where a declared clause lies in the document (``start is None``: not found)."""

    clause: Clause
    start: int | None
    end: int | None

    def holds(self, offset: int) -> bool:
        return self.start is not None and self.end is not None and self.start <= offset < self.end


def _marker_at(text: str, pos: int) -> re.Match[str] | None:
    lead = _LEAD.match(text, pos)
    return _MARKER.match(text, lead.end() if lead else pos)


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        out.append((pos, pos + len(line.rstrip("\r\n"))))
        pos += len(line)
    return out


def _closing(text: str, opening: int) -> int | None:
    """The offset after the parenthesis opened at ``opening`` (nesting respected)."""
    depth = 0
    for i in range(opening, min(len(text), opening + 400)):
        ch = text[i]
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth -= 1
            if depth == 0:
                return i + 1
        elif ch in "。；;" and depth:
            return None  # a sentence ends inside: not a closed aside
    return None


def _after_terminator(text: str, i: int) -> int:
    """The offset after the terminator at ``i`` and the closing quotes or markup after it."""
    j = i + 1
    while j < len(text) and text[j] in _CLOSERS:
        j += 1
    return j


def _ends_sentence(line: str) -> bool:
    tail = line.rstrip(" \t\u3000*")
    return not tail or tail[-1] in _TERMINATORS + _FULL_STOPS + _CLOSERS + ":：）)"


def _breaks(text: str) -> list[int]:
    cuts: set[int] = {0, len(text)}
    previous_done = True  # the line before ended a sentence (or there is none)
    for start, end in _lines(text):
        line = text[start:end]
        if not line.strip():
            continue
        marker = _marker_at(text, start)
        if marker is not None and marker.start() < end:
            cuts.add(start)
        # A line without punctuation after a finished sentence is a heading, title, date or
        # signature: it stands alone. One that continues an unfinished sentence (a received
        # file wraps its lines: "…各前\n\n方工作机构)") does not.
        words = text[marker.end() : end] if marker is not None and marker.start() < end else line
        standalone = (
            not _PUNCTUATION.search(words)
            and _HAS_WORDS.search(line) is not None
            and (previous_done or marker is not None)
            and (marker is not None or _title_line(line))
        )
        if standalone:
            cuts.add(start)
            cuts.add(end)
        previous_done = standalone or _ends_sentence(line)
    for i, ch in enumerate(text):
        if ch in _TERMINATORS:
            cuts.add(_after_terminator(text, i))
        elif ch in _FULL_STOPS:
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if before.isdigit() and (after.isdigit() or _is_marker(text, i)):
                continue  # 1.5, or the marker 1.
            cuts.add(_after_terminator(text, i))
        elif ch in "（(" and not _is_marker(text, i) and _aside_starts(text, i, cuts):
            closing = _closing(text, i)
            if closing is not None:
                cuts.add(i)
                cuts.add(_after_terminator(text, closing - 1))
    return sorted(cuts)


def _title_line(line: str) -> bool:
    """A line without punctuation after a finished sentence is a title, date or signature when
    it is short, or up to a heading's length with its brackets closed: a longer line, or one
    leaving a 《 open, is the first line of a sentence the file wraps (为贯彻《…打赢脱贫\n攻坚战…》)."""
    size = len(content_of(line))
    if size <= _TITLE_LINE:
        return True
    return size <= _HEADING and all(line.count(a) == line.count(b) for a, b in _BRACKETS)


def _is_marker(text: str, i: int) -> bool:
    """Whether the character at ``i`` belongs to the numbering marker that begins its line."""
    marker = _marker_at(text, _line_start(text, i))
    return marker is not None and marker.start() <= i < marker.end()


def _line_start(text: str, i: int) -> int:
    return text.rfind("\n", 0, i) + 1


def _aside_starts(text: str, i: int, cuts: set[int]) -> bool:
    """A parenthesis right after a sentence ends (or at a line start) is an aside of its own:
    the department list of the sentences before it (（市商务局负责）)."""
    j = i
    while j > 0 and text[j - 1] in " \t\u3000*\r\n":
        j -= 1
    return j == 0 or text[j - 1] in _TERMINATORS + _FULL_STOPS + _CLOSERS or j in cuts


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in "*#>"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "*#>"):
        end -= 1
    return start, end


def _is_heading(text: str) -> bool:
    marker = _MARKER.match(text.lstrip(" \t\u3000#>*"))
    if marker is None:
        return False
    title = content_of(text.lstrip(" \t\u3000#>*")[marker.end() :]).rstrip("。.．;；")
    return 0 < len(title) <= _HEADING and not re.search(r"[，,；;：:]", title)


def _level(text: str) -> str | None:
    marker = _MARKER.match(text.lstrip(" \t\u3000#>*"))
    if marker is None:
        return None
    return next(name for name, value in marker.groupdict().items() if value)


@lru_cache(maxsize=32)
def sentences(text: str) -> tuple[Sentence, ...]:
    """The document's sentences in order (cached: a document is split once per process).

    A numbered item's first sentence is its heading when short and without a comma
    (（一）加大采购力度。) — unless most items of its level have none: then their first
    sentences are all duties (（十八）严格落实…政策。 in a plan whose items start with their
    duty)."""
    cuts = _breaks(text)
    pieces = []
    for a, b in itertools.pairwise(cuts):
        start, end = _trim(text, a, b)
        if start >= end or not _HAS_WORDS.search(text[start:end]):
            continue
        piece = text[start:end]
        pieces.append((start, end, piece, _level(piece), _is_heading(piece)))
    items: dict[str, list[bool]] = {}
    for *_, level, heading in pieces:
        if level is not None:
            items.setdefault(level, []).append(heading)
    titled = {level for level, headings in items.items() if sum(headings) * 2 > len(headings)}
    return tuple(
        Sentence(start, end, piece, heading and level in titled)
        for start, end, piece, level, heading in pieces
    )


# --------------------------------------------------------------------------- clauses


def _normal_id(clause_id: str) -> str:
    return clause_id.replace("(", "（").replace(")", "）").replace(" ", "")


@lru_cache(maxsize=32)
def _numbered(text: str) -> tuple[tuple[int, str], ...]:
    """(offset, id) of every numbering marker that begins a line, ids built from the levels
    above it: 三、 → 三; （四） → 三（四）; 1. → 三（四）1; 一是 → 三一是."""
    levels: list[str] = ["", "", ""]
    out = []
    for start, end in _lines(text):
        marker = _marker_at(text, start)
        if marker is None or marker.start() >= end:
            continue
        if marker["l1"]:
            levels = [marker["l1"], "", ""]
            out.append((start, levels[0]))
        elif marker["l2"]:
            levels[1], levels[2] = f"（{marker['l2']}）", ""
            out.append((start, levels[0] + levels[1]))
        else:
            levels[2] = marker["l3"] or f"{marker['shi']}是"
            out.append((start, "".join(levels)))
    return tuple(out)


def find_quote(text: str, quote: str, near: int = 0) -> int | None:
    """Where ``quote`` is in ``text`` — the occurrence at or after ``near`` if there is one —
    else where it is once whitespace is ignored; None when it is not there at all."""
    at = text.find(quote, near)
    if at < 0:
        at = text.find(quote)
    if at >= 0:
        return at
    squashed = content_of(quote)
    if not squashed:
        return None
    pattern = r"[\s*#>]*".join(re.escape(ch) for ch in squashed)
    found = re.search(pattern, text[near:]) or re.search(pattern, text)
    if found is None:
        return None
    return found.start() + (near if found.string is not text else 0)


def _at_line_start(text: str, needle: str, cursor: int) -> int | None:
    for match in re.finditer(re.escape(needle), text[cursor:]):
        at = cursor + match.start()
        line = text[_line_start(text, at) : at]
        if not line.strip(" \t\u3000#>*"):
            return at
    return None


def _locate(text: str, clause: Clause, cursor: int) -> int | None:
    wanted = _normal_id(clause.id)
    for near in (cursor, 0):
        if clause.starts:
            at = find_quote(text, clause.starts, near)
            if at is not None:
                return at
        for offset, found in _numbered(text):
            if offset >= near and found == wanted:
                return offset
        at = _at_line_start(text, clause.id, near)
        if at is not None:
            return at
        if clause.heading and len(content_of(clause.heading)) >= 4:
            at = _at_line_start(text, clause.heading, near)
            if at is not None:
                return at
    return None


def locate_clauses(text: str, clauses: Sequence[Clause]) -> tuple[ClauseSpan, ...]:
    """Each clause with the part of ``text`` it covers (see the module docstring)."""
    return _locate_all(text, tuple(clauses))


@lru_cache(maxsize=32)
def _locate_all(text: str, clauses: tuple[Clause, ...]) -> tuple[ClauseSpan, ...]:
    starts: list[int | None] = []
    cursor = 0
    for i, clause in enumerate(clauses):
        at = _locate(text, clause, cursor)
        if at is None and i == 0:
            at = 0  # the first clause (a preamble) starts the document
        starts.append(at)
        if at is not None:
            cursor = max(cursor, at)
    located = sorted({s for s in starts if s is not None})
    spans = []
    for clause, start in zip(clauses, starts, strict=True):
        if start is None:
            spans.append(ClauseSpan(clause, None, None))
            continue
        later = [s for s in located if s > start]
        spans.append(ClauseSpan(clause, start, later[0] if later else len(text)))
    return tuple(spans)
