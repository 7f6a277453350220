"""The parties a document names: a task's department list in parentheses, and the declared
departments a sentence mentions.

A department list follows the sentences it assigns (（市财政局、市农业农村局负责）,
（牵头单位：区直机关工委，责任单位：区总工会、各镇等）, (省教育厅、省扶贫办负责,
省移民(脱贫)搬迁开发集团参与), (省扶贫办、省国资委)). Its roles:

- 牵头 / 牵头单位： → ``lead``;
- 负责 / 责任单位： / a list without role words → ``responsible``;
- 配合 / 参与 / 配合单位： → ``participants`` (recorded, never bound).

A role word after names (…负责) gives them its role; one before them (责任单位：…) gives its
role to the names that follow. Names are matched against the declared departments and
aliases (longest first, so 各市、区人民政府 stays one name); the rest, split at 、，, are
names the plug-in does not declare. 等 / 等部门 / 按职责分工 and generic groups (有关部门,
相关单位) are not names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .entities import Department
from .values import to_halfwidth

__all__ = ["Directory", "PartyList", "parse_party_list"]

_PREFIX = re.compile(r"(牵头|责任|配合|参与|协办)单位[:：]?")
_SUFFIX = re.compile(r"(?:按职责分工|共同|分别)?(牵头|负责|配合|参与)")
_SEPARATORS = "、，,；;：: "
_SKIP = re.compile(r"等部门|等单位|等|和|及|按职责分工")
_OPEN = re.compile(r"等(?:部门|单位)?(?:共同|分别)?(?:牵头|负责|配合|参与|[)），,；;]|$)")
_GENERIC = re.compile(r"^(各)?(有关|相关|其他|其它)(部门|单位|机构)$")
_MEMBERS = re.compile(r"各?成员单位")
_ROLE = {
    "牵头": "lead",
    "负责": "responsible",
    "责任": "responsible",
    "配合": "participants",
    "参与": "participants",
    "协办": "participants",
}


def _norm(text: str) -> str:
    return re.sub(r"[\s*]+", "", to_halfwidth(text))


@dataclass(frozen=True)
class Directory:
    """The declared departments, looked up by any name or alias as the text writes it."""

    names: dict[str, str] = field(default_factory=dict)  # normalised name or alias → name
    # Name lengths, longest first; what ``mentioned`` found per text (asked again and again by
    # the checks, and by every mutant of xfrules mutate).
    sizes: tuple[int, ...] = field(default=(), compare=False)
    _seen: dict[str, frozenset[str]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, departments: Iterable[Department]) -> Directory:
        names: dict[str, str] = {}
        for d in departments:
            for name in (d.name, *d.aliases):
                names.setdefault(_norm(name), d.name)
        sizes = tuple(sorted({len(n) for n in names if len(n) > 1}, reverse=True))
        return cls(names, sizes)

    def canonical(self, name: str) -> str | None:
        return self.names.get(_norm(name))

    def _longest(self, text: str, at: int) -> tuple[str, int] | None:
        for size in self.sizes:
            if at + size <= len(text):
                found = self.names.get(text[at : at + size])
                if found is not None:
                    return found, size
        return None

    def starts(self, text: str) -> str | None:
        """The declared department ``text`` opens with, if any."""
        match = self._longest(_norm(text), 0)
        return match[0] if match is not None else None

    def mentioned(self, text: str) -> frozenset[str]:
        """The declared departments ``text`` names (longest match first: 区委宣传统战部 is
        not 区委). A name followed by (各)成员单位 names the body's members, not the body
        (市消费扶贫专项工作组各成员单位), unless that longer name is declared itself."""
        if text in self._seen:
            return self._seen[text]
        plain = _norm(text)
        found: set[str] = set()
        i = 0
        while i < len(plain):
            match = self._longest(plain, i)
            if match is None:
                i += 1
                continue
            if not _MEMBERS.match(plain, i + match[1]):
                found.add(match[0])
            i += match[1]
        self._seen[text] = frozenset(found)
        return self._seen[text]


@dataclass(frozen=True)
class PartyList:
    """A department list: its names by role (declared names as declared; others as written)."""

    text: str
    lead: tuple[str, ...] = ()
    responsible: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    undeclared: tuple[str, ...] = ()
    explicit_roles: bool = False  # the list says 牵头/负责/配合…, not just names

    @property
    def open(self) -> bool:
        """The list ends in 等 (…、市农业农村局等部门负责): it names some of its parties, and a
        deployment may name the others."""
        return _OPEN.search(_norm(self.text)) is not None

    @property
    def bound(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.lead + self.responsible))

    def roles_of(self, name: str) -> set[str]:
        """The roles the list gives ``name``: one, or two when it names it twice
        (（牵头单位：区科技工信局，责任单位：…、区科技工信局…）)."""
        return {
            role for role in ("lead", "responsible", "participants") if name in getattr(self, role)
        }


def parse_party_list(text: str, directory: Directory) -> PartyList | None:
    """``text`` (a parenthesis, brackets included or not) read as a department list; None when
    it is not one: it names no declared department and says no role word."""
    inner = _norm(text)
    if inner[:1] in "(（" and inner[-1:] in ")）":
        inner = inner[1:-1]
    roles: dict[str, list[str]] = {"lead": [], "responsible": [], "participants": []}
    undeclared: list[str] = []
    pending: list[tuple[str, bool]] = []  # (name, declared) waiting for a role word
    prefix_role: str | None = None
    explicit = False

    def flush(role: str | None) -> None:
        for name, known in pending:
            bucket = roles[role or prefix_role or "responsible"] if known else undeclared
            if name not in bucket:
                bucket.append(name)
        pending.clear()

    i = 0
    while i < len(inner):
        prefix = _PREFIX.match(inner, i)
        if prefix is not None:
            flush(None)
            prefix_role, explicit = _ROLE[prefix.group(1)], True
            i = prefix.end()
            continue
        suffix = _SUFFIX.match(inner, i)
        if suffix is not None and (pending or i == len(inner) - len(suffix.group())):
            flush(_ROLE[suffix.group(1)])
            explicit = True
            i = suffix.end()
            continue
        if inner[i] in _SEPARATORS:
            i += 1
            continue
        skip = _SKIP.match(inner, i)
        if skip is not None:
            i = skip.end()
            continue
        match = directory._longest(inner, i)
        if match is not None:
            pending.append((match[0], True))
            i += match[1]
            continue
        end = i
        while end < len(inner) and inner[end] not in _SEPARATORS:
            if _SUFFIX.match(inner, end) or (end > i and inner.startswith("等", end)):
                break
            end += 1
        name = inner[i:end]
        if name and not _GENERIC.match(name):
            pending.append((name, False))
        i = max(end, i + 1)
    flush(None)
    declared = any(roles.values())
    if not declared and not explicit:
        return None
    if not declared and len(undeclared) > 8:
        return None  # prose, not a list
    return PartyList(
        text=text,
        lead=tuple(roles["lead"]),
        responsible=tuple(roles["responsible"]),
        participants=tuple(roles["participants"]),
        undeclared=tuple(undeclared),
        explicit_roles=explicit,
    )


def lists_in(sentences: Sequence[str], directory: Directory) -> list[PartyList | None]:
    """Each sentence read as a department list when it is a parenthesis (None otherwise)."""
    out: list[PartyList | None] = []
    for text in sentences:
        plain = _norm(text)
        if plain[:1] in "(（" and plain[-1:] in ")）":
            out.append(parse_party_list(plain, directory))
        else:
            out.append(None)
    return out
