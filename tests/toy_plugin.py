"""A toy plug-in faithful to its toy document, for the faithfulness checks, scenario
skeletons and mutation tests: ``rules()`` in memory, ``write_tree()`` as a source tree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from xfrules.documents import Clause, SourceDocument
from xfrules.entities import Department, Jurisdiction
from xfrules.obligations import Obligation, obligation_adapter
from xfrules.registry import JurisdictionRules

DOC = (
    "示例市2020年消费扶贫方案\n\n"
    "一、重点任务\n\n"
    "（一）加大采购。各预算单位要采购贫困地区农产品，全年不少于10万元。"
    "鼓励干部职工购买贫困地区产品。（市财政局牵头，市商务局负责，市教育局配合）\n\n"
    "（二）帮扶促销。帮扶单位要组织促销活动2次。受帮扶县应设立奖励资金。"
    "力争建设100个左右专柜。由市委宣传部组织宣传。（市商务局负责）\n"
)

CLAUSES = (
    Clause(id="序言", heading="标题", disposition="context", reason="the title"),
    Clause(id="一", heading="重点任务", disposition="context", reason="section heading"),
    Clause(id="一（一）", heading="加大采购"),
    Clause(id="一（二）", heading="帮扶促销"),
)


def ob(ob_id: str, quote: str, clause: str = "一（一）", **over: Any) -> Obligation:
    data: dict[str, Any] = {
        "id": f"demo.{ob_id}",
        "jurisdiction": "demo",
        "kind": "qualitative",
        "evidence": ob_id,
        "title": ob_id,
        "applies_to": ["city"],
        "source": {"document": "示〔2020〕1号", "clause": clause, "quote": quote},
        "valid_from": "2020-01-01",
        "valid_to": "2020-12-31",
        "period": {"frequency": "annual"},
    }
    data.update(over)
    # None drops a field (kinds without an evidence key)
    return obligation_adapter.validate_python({k: v for k, v in data.items() if v is not None})


CLEAN = (
    ob(
        "buy",
        "各预算单位要采购贫困地区农产品，全年不少于10万元",
        kind="amount_target",
        evidence=None,
        applies_to=["budget_unit"],
        lead=["市财政局"],
        responsible=["市商务局"],
        participants=["市教育局"],
        measure={"source": "transactions"},
        thresholds=[{"value": "100000", "unit": "元", "quote": "不少于10万元"}],
    ),
    # the list's lead leads every sentence of the task that names no party of its own
    ob(
        "staff",
        "鼓励干部职工购买贫困地区产品",
        modality="encouraged",
        lead=["市财政局"],
        responsible=["市商务局"],
    ),
    ob(
        "promotion",
        "帮扶单位要组织促销活动2次",
        clause="一（二）",
        kind="count_target",
        evidence=None,
        applies_to=["pairing_unit"],
        responsible=["商务局"],  # an alias counts as its department
        measure={"source": "observations", "metric": "promotions", "aggregate": "sum"},
        thresholds=[{"value": "2", "unit": "次", "quote": "2次"}],
    ),
    ob(
        "reward_fund",
        "受帮扶县应设立奖励资金",
        clause="一（二）",
        applies_to=["paired_county"],
        responsible=["市商务局"],
    ),
    ob(
        "counters",
        "力争建设100个左右专柜",
        clause="一（二）",
        kind="count_target",
        evidence=None,
        modality="aspirational",
        responsible=["市商务局"],
        measure={"source": "observations", "metric": "counters", "aggregate": "sum"},
        thresholds=[{"value": "100", "unit": "个", "quote": "100个左右", "approximate": True}],
    ),
    # a party the sentence itself names may be bound although the list does not name it
    ob("publicity", "由市委宣传部组织宣传", clause="一（二）", responsible=["市委宣传部"]),
)


def rules(*obligations: Obligation, clauses: tuple[Clause, ...] = CLAUSES) -> JurisdictionRules:
    return JurisdictionRules(
        plugin="demo",
        version="0",
        jurisdiction=Jurisdiction(
            code="demo",
            name="示例市",
            document_number="示〔2020〕1号",
            document_title="示例",
            unit_kinds=("budget_unit", "pairing_unit", "paired_county", "city"),
            applicability={
                "预算单位": ["budget_unit"],
                "帮扶": ["pairing_unit"],
                "受帮扶": ["paired_county"],
            },
        ),
        departments=tuple(
            Department(jurisdiction="demo", name=name, aliases=aliases)
            for name, aliases in (
                ("市财政局", ()),
                ("市商务局", ("商务局",)),
                ("市教育局", ()),
                ("市委宣传部", ()),
            )
        ),
        region_sets=(),
        obligations=obligations or CLEAN,
        document=SourceDocument(
            jurisdiction="demo",
            document_number="示〔2020〕1号",
            title="示例",
            text=DOC,
            filename="demo.txt",
        ),
        clauses=clauses,
        scenario_paths=(),
    )


def changed(ob_id: str, **update: Any) -> JurisdictionRules:
    """The clean rules with one obligation changed (``update`` as model_copy takes it)."""
    return rules(*(o.model_copy(update=update) if o.id == f"demo.{ob_id}" else o for o in CLEAN))


def write_tree(root: Path, r: JurisdictionRules) -> Path:
    """The toy rules as a data plug-in source tree (what an author edits)."""
    pkg = root / "src" / "xfrules_demo_toy"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text(
        "from xfrules.plugin_kit import DataPlugin\n\nplugin = DataPlugin(__name__)\n",
        encoding="utf-8",
    )

    def dump(name: str, data: Any) -> None:
        (pkg / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    jurisdiction = r.jurisdiction.model_dump(mode="json", exclude={"applicability"})
    dump(
        "jurisdiction.yaml",
        {
            "jurisdiction": jurisdiction,
            "applicability": {e.word: list(e.kinds) for e in r.jurisdiction.applicability},
            "departments": [
                d.model_dump(mode="json", exclude={"jurisdiction"}) for d in r.departments
            ],
        },
    )
    dump(
        "obligations.yaml",
        {
            "obligations": [
                o.model_dump(
                    mode="json", exclude_none=True, exclude={"jurisdiction", "collective_kinds"}
                )
                | {"kind": o.kind}
                for o in r.obligations
            ]
        },
    )
    dump("clauses.yaml", {"clauses": [c.model_dump(mode="json") for c in r.clauses]})
    assert r.document is not None
    (pkg / "source.txt").write_text(r.document.text, encoding="utf-8")
    return root
