"""Every bundled plug-in is faithful to its document: quotes verbatim, source identical,
departments declared, every clause accounted for."""

from __future__ import annotations

from pathlib import Path

import pytest

from xfrules.commands.coverage import coverage
from xfrules.registry import JurisdictionRules, load_registry

BUNDLED = ("datonghu", "shaanxi", "shanghai", "suzhou", "tianjin")
REGISTRY = load_registry()
RULES = [pytest.param(r, id=r.code) for r in REGISTRY.jurisdictions.values()]


def test_all_bundled_plugins_load() -> None:
    assert not REGISTRY.errors, [str(e) for e in REGISTRY.errors]
    assert set(BUNDLED) <= set(REGISTRY.jurisdictions)


@pytest.mark.parametrize("rules", RULES)
def test_shipped_source_is_identical_to_shared_copy(
    rules: JurisdictionRules, xfrules_shared_sources: Path
) -> None:
    assert rules.document is not None, "plug-in ships its source document"
    folder = xfrules_shared_sources
    shipped = (
        rules.document.original if rules.document.original is not None else rules.document.text
    )
    assert shipped == (folder / rules.document.filename).read_text(encoding="utf-8")


@pytest.mark.parametrize("rules", RULES)
def test_every_quote_is_verbatim(rules: JurisdictionRules) -> None:
    assert rules.document is not None
    text = rules.document.text
    missing = [ob.id for ob in rules.obligations if ob.source.quote not in text]
    missing += [
        f"{ob.id} threshold quote {t.quote!r}"
        for ob in rules.obligations
        for t in getattr(ob, "thresholds", ())
        if t.quote is not None and t.quote not in text
    ]
    missing += [
        f"region set {s.name}"
        for s in rules.region_sets
        if s.source_quote and s.source_quote not in text
    ]
    assert not missing, missing


@pytest.mark.parametrize("rules", RULES)
def test_departments_resolve(rules: JurisdictionRules) -> None:
    unknown = sorted(
        {
            (ob.id, d)
            for ob in rules.obligations
            for d in ob.departments
            if rules.department(d) is None
        }
    )
    assert not unknown, unknown


@pytest.mark.parametrize("rules", RULES)
def test_document_number_matches_obligations(rules: JurisdictionRules) -> None:
    assert {ob.source.document for ob in rules.obligations} == {rules.jurisdiction.document_number}


@pytest.mark.parametrize("rules", RULES)
def test_every_clause_is_encoded_or_explained(rules: JurisdictionRules) -> None:
    gaps = [(c.clause, c.problem) for c in coverage(rules) if c.problem]
    assert not gaps, gaps


@pytest.mark.parametrize("rules", RULES)
def test_region_sets_match_stated_sizes(rules: JurisdictionRules) -> None:
    wrong = [
        (s.name, len(s.regions), s.expected_size)
        for s in rules.region_sets
        if s.expected_size is not None and len(s.regions) != s.expected_size
    ]
    assert not wrong, wrong
