"""Bound as written (issue 13 item 3): an obligation's lead and responsible parties against
the department list of its sentences (see :mod:`xfrules.parties`) and the parties its
sentences name.

- ``party-unbound``: a party the list makes 牵头 or 负责 that no obligation of those sentences
  binds;
- ``party-dropped``: a sentence that names no party of its own (no department, no kind of
  unit, no 相关部门) takes every party its list makes 牵头 or 负责, but its duties leave one out
  (a party dropped from one duty of a task whose other sentences still bind it);
- ``party-not-named``: a bound party that neither the list nor the duty's sentences name (a
  sentence opening with 要/应 and no subject takes the party of the sentence before it);
- ``participant-bound``: a 配合/参与 party bound as lead or responsible;
- ``party-role``: a party bound as lead that the list makes 负责, or as responsible that it
  makes 牵头 (lists without role words decide nothing; a party the list names in both roles
  may be bound in either);
- ``party-undeclared``: a name of a list that jurisdiction.yaml does not declare (nor as an
  alias), so nothing can be checked against it;
- ``party-recipient``: a report's recipient bound to report to itself.

Names are compared through jurisdiction.yaml: a declared alias is its department.
"""

from __future__ import annotations

import re

from ..coverage import DocumentReading, read_document
from ..i18n import Msg
from ..obligations import Obligation, Reporting
from ..parties import Directory, PartyList
from ..registry import JurisdictionRules
from .applicability import words_in
from .duty_text import excerpt, unwrapped
from .problems import Collector

__all__ = ["check_binding"]

_ROLE_WORD = {"lead": "牵头", "responsible": "负责", "participants": "配合/参与"}


def _lists_of(reading: DocumentReading, indexes: list[int]) -> dict[int, PartyList]:
    out: dict[int, PartyList] = {}
    for i in indexes:
        closing = reading.group_list[i]
        if closing is not None:
            listed = reading.party_lists[closing]
            if listed is not None:
                out[closing] = listed
    return out


def _duty_sentences(reading: DocumentReading, ob: Obligation) -> list[int]:
    return [
        i
        for i in reading.sentences_of(ob.id)
        if not reading.sentences[i].heading and reading.party_lists[i] is None
    ]


def check_binding(c: Collector, rules: JurisdictionRules) -> None:
    reading = read_document(rules)
    if reading is None:
        return
    directory = reading.directory
    members: dict[int, list[Obligation]] = {}  # department list → obligations of its sentences
    for ob in rules.obligations:
        indexes = _duty_sentences(reading, ob)
        if not indexes:
            continue
        lists = _lists_of(reading, indexes)
        for closing in lists:
            members.setdefault(closing, []).append(ob)
        named = set().union(
            *(
                directory.mentioned(reading.sentences[j].text)
                for i in indexes
                for j in reading.with_subject(i)
            )
        )
        _check_bound(c, ob, lists, named, directory)
        if isinstance(ob, Reporting) and ob.recipient:
            recipient = directory.canonical(ob.recipient) or ob.recipient
            if recipient in {directory.canonical(d) or d for d in ob.departments}:
                c.error(
                    ob.id,
                    "party-recipient",
                    Msg(
                        "chk.party_recipient",
                        recipient=recipient,
                        hint=Msg("chk.waiver_hint", code="party-recipient"),
                    ),
                )
    _check_sentences(c, rules, reading)
    for closing, listed in enumerate(reading.party_lists):
        if listed is None:
            continue
        clause = reading.clause_of[closing] or "-"
        subject = f"clause {clause}"
        for name in listed.undeclared:
            c.error(
                subject,
                "party-undeclared",
                Msg(
                    "chk.party_undeclared",
                    list=excerpt(listed.text),
                    name=name,
                    hint=Msg("chk.waiver_hint", code="party-undeclared"),
                ),
            )
        obligations = members.get(closing, [])
        if not obligations:
            continue  # nothing encoded here: its sentences are gaps or context
        bound = {directory.canonical(d) or d for ob in obligations for d in ob.departments}
        for name in listed.bound:
            if name not in bound:
                role = _ROLE_WORD["lead" if name in listed.lead else "responsible"]
                c.error(
                    subject,
                    "party-unbound",
                    Msg(
                        "chk.party_unbound_list",
                        list=excerpt(listed.text),
                        name=name,
                        role=role,
                        ids=", ".join(ob.id for ob in obligations),
                        hint=Msg("chk.waiver_hint", code="party-unbound"),
                    ),
                )


def _check_sentences(c: Collector, rules: JurisdictionRules, reading: DocumentReading) -> None:
    """Each encoded sentence binds some party its department list or its own words give — a
    department, or a kind of unit a word of the applicability table names (结对帮扶单位): a
    duty whose obligations bind nobody the text names is bound by nobody the text names."""
    directory = reading.directory
    table = rules.jurisdiction.applicability
    by_id = {ob.id: ob for ob in rules.obligations}
    numbers: dict[str | None, int] = {}
    for i, sentence in enumerate(reading.sentences):
        clause = reading.clause_of[i]
        numbers[clause] = numbers.get(clause, 0) + 1
        covering = [by_id[o] for o in reading.covered_by[i] if o in by_id]
        if not covering or sentence.heading or reading.party_lists[i] is not None:
            continue
        closing = reading.group_list[i]
        listed = reading.party_lists[closing] if closing is not None else None
        named = set().union(
            *(directory.mentioned(reading.sentences[j].text) for j in reading.with_subject(i))
        )
        recipients = {
            directory.canonical(ob.recipient) or ob.recipient
            for ob in covering
            if isinstance(ob, Reporting) and ob.recipient
        }
        given = (set(listed.bound) if listed else set()) | named
        given -= recipients | (set(listed.participants) if listed else set())
        bound = {directory.canonical(d) or d for ob in covering for d in ob.departments}
        # The sentence's own words may give its party as a kind of unit (结对帮扶单位…,
        # 受援地应…: a word of the applicability table): an obligation binding that kind binds it.
        words = unwrapped("".join(reading.sentences[j].text for j in reading.with_subject(i)))
        addressed = {kind for e in words_in(words, table) for kind in e.kinds}
        by_kind = any(
            set(ob.applies_to) & addressed for ob in covering if not ob.named_departments_only
        )
        if listed and bound & given and not named and not addressed and not _GROUP.search(words):
            _check_dropped(
                c, clause, numbers[clause], sentence.text, listed, covering, recipients, directory
            )
        if given and not bound & given and not by_kind:
            c.error(
                f"clause {clause or '-'}",
                "party-unbound",
                Msg(
                    "chk.party_unbound_sentence",
                    n=numbers[clause],
                    text=excerpt(sentence.text),
                    ids=", ".join(ob.id for ob in covering),
                    given=", ".join(sorted(given)),
                    hint=Msg("chk.waiver_hint", code="party-unbound"),
                ),
            )


# A sentence whose subject is a group word (相关部门要…, 各单位要…) names its own party: which
# of the list's parties it means is the encoding's reading, not every one of them.
_GROUP = re.compile(r"(各|相关|有关)(部门|单位|责任单位)")


def _check_dropped(
    c: Collector,
    clause: str | None,
    number: int,
    text: str,
    listed: PartyList,
    covering: list[Obligation],
    recipients: set[str],
    directory: Directory,
) -> None:
    """The sentence takes all its list's bound parties: each duty of it (the obligations
    quoting the same words, one per group of parties) binds every one of them by name. A list
    whose parties are 分别负责 shares its sentences out among them (party-unbound sees that
    each party has one)."""
    if "分别" in listed.text:
        return
    duties: dict[str, list[Obligation]] = {}
    for ob in covering:
        duties.setdefault(ob.source.quote, []).append(ob)
    for obligations in duties.values():
        bound = {directory.canonical(d) or d for ob in obligations for d in ob.departments}
        dropped = [name for name in listed.bound if name not in bound | recipients]
        if dropped:
            c.error(
                f"clause {clause or '-'}",
                "party-dropped",
                Msg(
                    "chk.party_dropped",
                    n=number,
                    text=excerpt(text),
                    list=excerpt(listed.text),
                    ids=", ".join(ob.id for ob in obligations),
                    dropped=", ".join(dropped),
                    hint=Msg("chk.waiver_hint", code="party-dropped"),
                ),
            )


def _check_bound(
    c: Collector,
    ob: Obligation,
    lists: dict[int, PartyList],
    named: set[str],
    directory: Directory,
) -> None:
    for role in ("lead", "responsible"):
        for name in getattr(ob, role):
            party = directory.canonical(name) or name
            roles = {r for listed in lists.values() for r in listed.roles_of(party)}
            explicit = any(listed.explicit_roles for listed in lists.values())
            if roles == {"participants"}:
                c.error(
                    ob.id,
                    "participant-bound",
                    Msg(
                        "chk.participant_bound",
                        party=party,
                        role=role,
                        word=_ROLE_WORD["participants"],
                        hint=Msg("chk.waiver_hint", code="participant-bound"),
                    ),
                )
            elif not roles and party not in named:
                where = (
                    Msg(
                        "chk.not_named_in_list",
                        lists="; ".join(excerpt(listed.text) for listed in lists.values()),
                    )
                    if lists
                    else Msg("chk.not_named_no_list")
                )
                c.error(
                    ob.id,
                    "party-not-named",
                    Msg(
                        "chk.party_not_named",
                        party=party,
                        role=role,
                        where=where,
                        hint=Msg("chk.waiver_hint", code="party-not-named"),
                    ),
                )
            elif explicit and roles and role not in roles and "participants" not in roles:
                given = sorted(roles)[0]
                c.error(
                    ob.id,
                    "party-role",
                    Msg(
                        "chk.party_role",
                        party=party,
                        role=role,
                        word=_ROLE_WORD[given],
                        given=given,
                        hint=Msg("chk.waiver_hint", code="party-role"),
                    ),
                )
