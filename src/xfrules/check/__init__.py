"""Rule consistency and faithfulness: everything ``xfrules check`` reports about a plug-in.

:func:`check_rules` is a pure function of a :class:`~xfrules.registry.JurisdictionRules`;
it returns one :class:`CheckProblem` per inconsistency, each naming what is wrong
(``subject``: an obligation id, ``region set X``, ``clause Y``…), a stable ``code`` (listed
in :data:`CHECK_CODES`) and a message a plug-in author can act on. One module per family
of checks:

- :mod:`.identity`, :mod:`.quotes`, :mod:`.departments` — ids, verbatim quotes, declared names;
- :mod:`.thresholds`, :mod:`.comparators`, :mod:`.stated_numbers` — numbers and their words;
- :mod:`.dates`, :mod:`.time_words`, :mod:`.allocations`, :mod:`.region_sets`, :mod:`.consistency`;
- :mod:`.coverage` — every clause and sentence accounted for;
- :mod:`.modality`, :mod:`.binding`, :mod:`.applicability` — the duty's own words against
  its modality, bound parties and unit kinds;
- :mod:`.loader` — loading a plug-in item by item; :mod:`.shared_sources`.

An obligation (or a clause) silences one check for itself with a waiver
(``waivers: [{check: CODE, reason: ...}]``): its problem becomes ``waived`` and carries the
reason. A waiver whose check finds nothing to silence is an error (``waiver-unused``): it
records a reading the encoding no longer holds. Errors make ``xfrules check`` exit non-zero;
warnings are printed (``--strict`` fails on them); waived problems are listed with their
reasons.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..i18n import Msg
from ..registry import JurisdictionRules
from .allocations import check_allocations
from .applicability import check_applicability
from .binding import check_binding
from .codes import CHECK_CODES
from .comparators import check_comparators, comparator_words
from .consistency import check_contradictions, check_satisfiable
from .coverage import check_coverage
from .dates import check_dates
from .departments import check_departments
from .identity import check_identity
from .intervals import Interval, domain_of, interval_of
from .loader import load_plugin_from_path, load_rules_from_path, rules_from_plugin
from .modality import check_modality
from .numbers import numbers_in
from .problems import CheckProblem, Collector, Severity
from .quotes import check_sources
from .region_sets import check_region_sets
from .shared_sources import check_shared_source, find_shared_sources
from .stated_numbers import check_stated_numbers
from .thresholds import check_thresholds
from .time_words import check_time_words

__all__ = [
    "CHECKS",
    "CHECK_CODES",
    "CheckProblem",
    "Interval",
    "Severity",
    "check_rules",
    "check_shared_source",
    "comparator_words",
    "domain_of",
    "find_shared_sources",
    "interval_of",
    "load_plugin_from_path",
    "load_rules_from_path",
    "numbers_in",
    "rules_from_plugin",
]

Check = Callable[[Collector, JurisdictionRules], None]

CHECKS: tuple[Check, ...] = (
    check_identity,
    check_sources,
    check_departments,
    check_thresholds,
    check_comparators,
    check_stated_numbers,
    check_dates,
    check_time_words,
    check_allocations,
    check_region_sets,
    check_contradictions,
    check_satisfiable,
    check_coverage,
    check_modality,
    check_binding,
    check_applicability,
)


def check_rules(
    rules: JurisdictionRules, *, shared_sources: Path | None = None
) -> list[CheckProblem]:
    """Every inconsistency of one plug-in's rules, sorted; empty when the plug-in is clean.

    Pure: it reads nothing but ``rules`` — unless ``shared_sources`` names the folder the
    shipped source document must be identical to.
    """
    declared = {ob.id: ob.waivers for ob in rules.obligations}
    declared.update({f"clause {cl.id}": cl.waivers for cl in rules.clauses})
    c = Collector(rules.code, declared)
    for check in CHECKS:
        check(c, rules)
    for subject, waivers in declared.items():
        for waiver in waivers:
            if waiver.check not in CHECK_CODES:
                c.error(
                    subject,
                    "waiver-unknown-check",
                    Msg("chk.waiver_unknown", check=waiver.check),
                )
            elif (subject, waiver.check) not in c.used:
                # An error, not a warning: the waiver records a reading of the words the
                # encoding no longer holds (or never did) — the encoding or the waiver is wrong,
                # and a rule change that silently drops a deliberate reading must fail check
                # (xfrules mutate counts such a mutant as killed).
                c.error(
                    subject,
                    "waiver-unused",
                    Msg("chk.waiver_unused", check=waiver.check),
                )
    if shared_sources is not None:
        c.problems.extend(check_shared_source(rules, shared_sources))
    return sorted(set(c.problems))
