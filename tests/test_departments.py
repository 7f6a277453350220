"""Tasks that bind named departments recognise a department by any declared alias."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from xfrules import (
    Department,
    Jurisdiction,
    Status,
    evaluate,
    get_plugin_manager,
    hookimpl,
    load_registry,
    parse_facts,
)


class Plugin:
    @hookimpl
    def xfrules_jurisdiction(self) -> Jurisdiction:
        return Jurisdiction(
            code="deptland", name="部门市", document_number="部〔2020〕1号", document_title="t"
        )

    @hookimpl
    def xfrules_departments(self) -> Sequence[Department]:
        return [Department(jurisdiction="deptland", name="市教育局", aliases=("教育部门",))]

    @hookimpl
    def xfrules_obligations(self) -> Sequence[Any]:
        return [
            {
                "id": "deptland.schools",
                "jurisdiction": "deptland",
                "title": "指导院校",
                "kind": "qualitative",
                "evidence": "guidance",
                "applies_to": ["department"],
                "named_departments_only": True,
                "responsible": ["市教育局"],
                "source": {
                    "document": "部〔2020〕1号",
                    "clause": "一",
                    "quote": "教育部门指导院校",
                },
                "valid_from": "2020-01-01",
                "valid_to": "2020-12-31",
                "period": {"frequency": "annual"},
            }
        ]


def test_alias_binds_like_the_declared_name() -> None:
    pm = get_plugin_manager(load_entry_points=False)
    pm.register(Plugin(), name="deptland")
    registry = load_registry(pm)
    facts = parse_facts(
        {
            "units": [
                {
                    "id": name,
                    "name": name,
                    "kind": "department",
                    "jurisdiction": "deptland",
                    "department": name,
                }
                for name in ("市教育局", "教育部门", "市财政局")
            ]
        }
    )
    findings = {
        f.unit_id: f.status for f in evaluate(facts, date(2020, 12, 31), rules=registry).findings
    }
    assert findings == {
        "市教育局": Status.INSUFFICIENT_EVIDENCE,
        "教育部门": Status.INSUFFICIENT_EVIDENCE,
        "市财政局": Status.NOT_APPLICABLE,
    }
