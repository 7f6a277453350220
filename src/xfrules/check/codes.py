"""Every code ``xfrules check`` reports, with what it means (docs/guide.md lists them too).

A waiver must name one of these: a misspelt code would silence nothing.
"""

from __future__ import annotations

__all__ = ["CHECK_CODES"]

CHECK_CODES: dict[str, str] = {
    # identity and loading
    "invalid-definition": "an item pydantic (or the YAML parser) rejects",
    "duplicate-id": "an id, name or alias declared twice",
    "wrong-jurisdiction": "an item of another jurisdiction",
    # quotes and the document
    "no-document": "the plug-in ships no source document",
    "wrong-document": "an obligation cites another document number",
    "quote-not-verbatim": "a quote that is not a substring of the document",
    "source-differs": "the shipped document differs from its shared/sources copy",
    # departments and unit kinds
    "unknown-department": "a bound party or recipient jurisdiction.yaml does not declare",
    "binds-nothing": "named_departments_only with no department",
    "unknown-unit-kind": "a unit kind the jurisdiction does not declare, or no obligation uses",
    # thresholds and numbers
    "threshold-type": "a threshold's unit does not fit the measure",
    "threshold-sign": "a negative threshold (or growth below −100%)",
    "share-out-of-range": "a share above 1",
    "threshold-quote": "a threshold's number its quote does not state",
    "threshold-comparator": "a comparator the words (以上/不低于/超过/2－3个…) contradict",
    "threshold-unworded": "a strict comparator for a number stated with no comparator word",
    "threshold-range": "a range (２－３个) not encoded as between, or between with no range",
    "threshold-approximate": "约/左右 and the approximate flag disagree",
    "threshold-tolerance": "a tolerance the obligation's notes do not state",
    "duty-number": "a number of the duty's quote that no threshold (or other field) encodes",
    # dates
    "dates-out-of-order": "an end before its start",
    "thresholds-overlap": "two dated thresholds of one obligation in force at once",
    "threshold-never-in-force": "a dated threshold outside the validity",
    "date-unstated": "a date the document does not write (nor issued, nor the notes)",
    "period-words": "a monthly period without 每月/按月, or 每月 measured otherwise",
    "due-before-period-end": "a fixed period due before it ends",
    "period-outside-validity": "a fixed period outside the validity",
    # allocations and region sets
    "allocation-kind": "allocated_kinds the obligation does not apply to, or no allocations",
    "allocation-duplicate": "a unit or region allocated twice",
    "allocation-region": "an allocation's region code is malformed",
    "allocations-do-not-sum": "shares that do not add up to the total",
    "region-set-size": "a region set's size differs from the count the document states",
    "unknown-region-set": "an obligation reads a region set the plug-in does not declare",
    # consistency
    "contradiction": "two obligations no value satisfies together",
    "unsatisfiable": "a threshold no measured value can meet",
    # coverage of the document
    "clause-coverage": "a clause encoded but not cited, context without reason, or undeclared",
    "clause-unlocated": "a clause whose start cannot be found in the document",
    "quote-clause": "an obligation's quote lies outside the clause it cites",
    "context-mark": "a context mark whose quote is not in its clause",
    "sentence-gap": "a sentence neither encoded by an obligation nor marked context",
    # faithfulness to the words
    "modality": "the modality the duty's own words (鼓励/要/力争…) give disagrees",
    "modality-mixed": "one quote holds duties of two modalities",
    "party-unbound": "a party of the clause's department list that no duty binds",
    "party-dropped": "a sentence naming no party of its own, encoded without a party its list gives",
    "party-not-named": "a bound party the clause's list and the duty's sentence do not name",
    "party-role": "a party bound in another role than the list gives (牵头/负责/配合)",
    "participant-bound": "a 配合/参与 party bound as lead or responsible",
    "party-recipient": "a report's recipient bound to report to itself",
    "quote-heading": "a quote that is only its clause's heading",
    "party-undeclared": "a name of a department list jurisdiction.yaml does not declare",
    "applicability": "applies_to disagrees with the applicability words of the duty",
    "applicability-party": "a kind no word addresses and none of the duty's parties stands for",
    "applicability-table": "no applicability table, so applies_to cannot be read against the words",
    # waivers
    "waiver-unknown-check": "a waiver naming no check",
    "waiver-unused": "a waiver whose check finds nothing to silence",
}
