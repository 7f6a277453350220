"""Who a duty addresses, from its words: ``applies_to`` against the applicability table the
plug-in declares in jurisdiction.yaml (``applicability: {帮扶: [pairing_unit], 受援地:
[paired_county]}``).

Every unit kind an obligation applies to that the table knows (some word addresses it) must be
addressed by a word of the duty — its quote or the sentences it lies in: a duty of 帮扶 units
encoded for 受帮扶 ones, or widened to them, is reported. Words are matched longest first, so
受帮扶 is not read as 帮扶. A collective department name the duty's words or its department
list give (各镇 with ``covers_kinds: [town]``) addresses its kinds too. A department bound by
name is addressed by its name: a ``named_departments_only`` duty binding a department its list
or sentence names addresses every kind of its ``applies_to`` but those a collective name
stands for (the named 市商务局's unit needs no word 部门; a district is addressed by 各区 or a
word, not by 市商务局). A plug-in that declares unit kinds but no table gets one warning
(``applicability-table``).

A kind the table does not know has no word to be read against. A duty that binds parties
(not by name: by kind) and whose other kinds its words or parties address is addressed in
that kind only by what its parties stand for (``applicability-party``): 各市、区人民政府负责
gives a duty districts, but nothing in its words or its parties adds the city as a whole. A
duty no kind of which the text addresses is the duty of the whole, as encoded; a measured
target is exempt (who holds a figure given jointly is a reading of the figure, in its notes).
"""

from __future__ import annotations

from ..coverage import DocumentReading, read_document
from ..entities import ApplicabilityWord
from ..i18n import Msg
from ..obligations import Obligation, Thresholded
from ..registry import JurisdictionRules
from .duty_text import duty_text, excerpt
from .problems import Collector

__all__ = ["check_applicability", "words_in"]


def words_in(text: str, table: tuple[ApplicabilityWord, ...]) -> list[ApplicabilityWord]:
    """The table's words ``text`` says, longest first, none read inside a longer one."""
    found: list[ApplicabilityWord] = []
    masked = text
    for entry in sorted(table, key=lambda e: -len(e.word)):
        if entry.word in masked:
            found.append(entry)
            masked = masked.replace(entry.word, "\0" * len(entry.word))
    return found


def _names_given(reading: DocumentReading | None, obligation: str, text: str) -> set[str]:
    """The declared departments the duty's words or its department list name."""
    if reading is None:
        return set()
    names = set(reading.directory.mentioned(text))
    for i in reading.sentences_of(obligation):
        closing = reading.group_list[i]
        listed = reading.party_lists[closing] if closing is not None else None
        if listed is not None:
            names.update(listed.bound)
    return names


def _collective_kinds(rules: JurisdictionRules, names: set[str]) -> set[str]:
    """The kinds a collective name stands for (各镇 → town), where the duty's words or its
    department list name it: 各镇负责 addresses every town as surely as a word of the table."""
    return {kind for d in rules.departments if d.name in names for kind in d.covers_kinds}


def _kinds_by_name(rules: JurisdictionRules, ob: Obligation, names: set[str]) -> set[str]:
    """A ``named_departments_only`` duty binding a department the text names (its list or its
    sentence) addresses that department by its name: every kind of ``applies_to`` the name's
    unit may be — all but the kinds a collective name stands for (各区 → district), which
    only that name or a word addresses."""
    if not ob.named_departments_only:
        return set()
    by_name = False
    for bound in ob.departments:
        d = rules.department(bound)
        if d is not None and not d.covers_kinds and d.name in names:
            by_name = True
    if not by_name:
        return set()
    collective = {kind for d in rules.departments for kind in d.covers_kinds}
    return {kind for kind in ob.applies_to if kind not in collective}


def check_applicability(c: Collector, rules: JurisdictionRules) -> None:
    table = rules.jurisdiction.applicability
    kinds = rules.jurisdiction.unit_kinds
    if not table:
        if kinds and rules.obligations:
            c.warning(
                "jurisdiction.yaml",
                "applicability-table",
                Msg("chk.no_applicability_table"),
            )
        return
    for entry in table:
        for kind in entry.kinds:
            if kinds and kind not in kinds:
                c.error(
                    "jurisdiction.yaml",
                    "unknown-unit-kind",
                    Msg(
                        "chk.applicability_word_kind",
                        word=entry.word,
                        kind=kind,
                        kinds=", ".join(kinds),
                    ),
                )
    known = {kind for entry in table for kind in entry.kinds}
    reading = read_document(rules)
    for ob in rules.obligations:
        duty = duty_text(ob, reading)
        said = words_in(duty.quote + "\n" + duty.sentences, table)
        addressed = {kind for entry in said for kind in entry.kinds}
        names = _names_given(reading, ob.id, duty.quote + duty.sentences)
        addressed |= _collective_kinds(rules, names) | _kinds_by_name(rules, ob, names)
        if ob.departments and not ob.named_departments_only and not isinstance(ob, Thresholded):
            _check_by_parties(c, ob, known, addressed)
        for kind in ob.applies_to:
            if kind not in known or kind in addressed:
                continue
            words = "、".join(e.word for e in table if kind in e.kinds)
            pairs = ", ".join(f"{e.word} → {'/'.join(e.kinds)}" for e in said)
            heard = Msg("chk.applicability_heard", pairs=pairs) if said else ""
            problem = Msg(
                "chk.applicability",
                kind=kind,
                words=words,
                sentences=excerpt(duty.sentences),
                heard=heard,
                hint=Msg("chk.waiver_hint", code="applicability"),
            )
            c.error(ob.id, "applicability", problem)


def _check_by_parties(c: Collector, ob: Obligation, known: set[str], addressed: set[str]) -> None:
    if not set(ob.applies_to) & addressed:
        return  # no kind of it is read from the text: the duty of the whole, as encoded
    for kind in ob.applies_to:
        if kind in known or kind in addressed:
            continue
        c.error(
            ob.id,
            "applicability-party",
            Msg(
                "chk.applicability_party",
                kind=kind,
                parties=", ".join(ob.departments),
                hint=Msg("chk.waiver_hint", code="applicability-party"),
            ),
        )
