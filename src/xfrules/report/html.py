"""A self-contained HTML report: inline CSS and SVG, no scripts, nothing fetched from a network."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from html import escape

from ..findings import Rollup, Status, percent
from ..render import _cell
from .model import ReportData, clean

__all__ = ["render_html"]

COLOURS = {
    Status.COMPLIANT.value: "#2e7d32",
    Status.NON_COMPLIANT.value: "#c62828",
    Status.NOT_YET_DUE.value: "#1565c0",
    Status.INSUFFICIENT_EVIDENCE.value: "#ef6c00",
    Status.NOT_APPLICABLE.value: "#9e9e9e",
}
LABELS = {
    Status.COMPLIANT.value: "达标 compliant",
    Status.NON_COMPLIANT.value: "未达标 non-compliant",
    Status.NOT_YET_DUE.value: "未到期 not yet due",
    Status.INSUFFICIENT_EVIDENCE.value: "证据不足 insufficient evidence",
    Status.NOT_APPLICABLE.value: "不适用 not applicable",
}
_NA_LISTED = 2000  # not_applicable findings listed in full up to this many

CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:2rem;color:#222}
h1{margin-bottom:.2rem}h2{border-bottom:2px solid #ddd;padding-bottom:.2rem;margin-top:2rem}
.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{border-radius:6px;padding:.8rem 1.2rem;color:#fff;min-width:9rem}
.card .n{font-size:1.8rem;font-weight:bold}table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid #ddd;padding:.3rem .5rem;vertical-align:top;text-align:left}th{background:#f5f5f5}
td.num{text-align:right;font-variant-numeric:tabular-nums}.status{font-weight:bold}
blockquote{margin:0;padding-left:.5rem;border-left:3px solid #bbb;color:#555}
.muted{color:#777}
"""


def _e(value: object) -> str:
    return escape(clean(value))


def _num(value: Decimal | int | None) -> str:
    return escape(_cell(value))


_JUDGED = [s for s in Status if s is not Status.NOT_APPLICABLE]


def _status_bar(r: Rollup, width: int = 240, height: int = 14) -> str:
    """The mix of the group's applicable findings (not_applicable ones would drown it)."""
    total = r.applicable or 1
    x = 0.0
    rects = []
    for status in _JUDGED:
        n = r.counts.get(status.value, 0)
        if not n:
            continue
        w = width * n / total
        rects.append(
            f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" fill="{COLOURS[status.value]}">'
            f"<title>{status.value}: {n}</title></rect>"
        )
        x += w
    return (
        f'<svg class="status-bar" width="{width}" height="{height}" role="img" '
        f'aria-label="status mix">{"".join(rects)}</svg>'
    )


def _rollup_table(table_id: str, heading: str, rollups: dict[str, Rollup]) -> str:
    """One row per group with applicable findings; groups bound by nothing are counted, not listed."""
    head = "".join(f"<th>{escape(s.value)}</th>" for s in _JUDGED)
    rows = []
    for key, r in rollups.items():
        if not r.applicable:
            continue
        cells = "".join(f'<td class="num">{r.counts.get(s.value, 0)}</td>' for s in _JUDGED)
        short = "; ".join(f"{_num(v)} {escape(u)}" for u, v in sorted(r.shortfall.items()))
        na = r.counts.get(Status.NOT_APPLICABLE.value, 0)
        rows.append(
            f"<tr><td>{_e(key)}</td><td class='num'>{r.applicable}</td>{cells}"
            f"<td class='num rate'>{percent(r.compliance_rate)}</td>"
            f"<td class='num'>{r.mandatory_breaches}</td><td>{short}</td><td>{_status_bar(r)}</td>"
            f"<td class='num muted'>{na}</td></tr>"
        )
    omitted = sum(1 for r in rollups.values() if not r.applicable)
    note = (
        f'<p class="muted omitted">{omitted} group(s) with only not_applicable findings not listed.</p>'
        if omitted
        else ""
    )
    return (
        f'<section id="{table_id}"><h2>{heading}</h2><table><thead><tr><th>group</th>'
        f"<th>applicable</th>{head}<th>compliance rate</th><th>mandatory breaches</th>"
        "<th>shortfall</th><th>mix</th><th>not applicable</th></tr></thead><tbody>"
        + "".join(rows)
        + f"</tbody></table>{note}</section>"
    )


def _shortfall_charts(data: ReportData) -> str:
    if not data.shortfalls:
        return '<section id="shortfalls"><h2>差距 Shortfalls</h2><p class="muted">No shortfalls.</p></section>'
    charts = []
    for i, (measure_unit, items) in enumerate(data.shortfalls.items()):
        top = max(v for _, v in items) or Decimal(1)
        bar_h, gap, label_w, bar_w = 18, 6, 360, 420
        height = len(items) * (bar_h + gap) + 10
        parts = []
        for j, (f, v) in enumerate(items):
            y = j * (bar_h + gap) + 5
            w = max(1.0, float(v / top) * bar_w)  # drawing only; the numbers shown stay exact
            label = f"{f.unit_name} · {f.obligation_id}"
            parts.append(
                f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end" font-size="12">{_e(label)}</text>'
                f'<rect class="bar" x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="#c62828">'
                f"<title>{_e(label)}: {_num(v)} {escape(measure_unit)}</title></rect>"
                f'<text x="{label_w + w + 4:.1f}" y="{y + 13}" font-size="12">{_num(v)} {escape(measure_unit)}</text>'
            )
        charts.append(
            f"<h3>{escape(measure_unit)}</h3>"
            f'<svg id="shortfall-chart-{i}" class="shortfall-chart" width="{label_w + bar_w + 140}" '
            f'height="{height}" role="img" aria-label="largest shortfalls in {escape(measure_unit)}">'
            + "".join(parts)
            + "</svg>"
        )
    return (
        '<section id="shortfalls"><h2>差距 Shortfalls (largest)</h2>'
        + "".join(charts)
        + "</section>"
    )


def _finding_rows(data: ReportData, findings: list) -> str:  # type: ignore[type-arg]
    rows = []
    for f in findings:
        flag = "" if f.modality == "mandatory" else " (encouraged)"
        rows.append(
            f'<tr class="finding {f.status.value}"><td>{_e(f.unit_name)}<br><span class="muted">{_e(f.unit_id)}</span></td>'
            f"<td>{_e(f.title)}<br><span class='muted'>{_e(f.obligation_id)}</span></td>"
            f'<td class="status" style="color:{COLOURS[f.status.value]}">{escape(f.status.value)}{flag}</td>'
            f'<td class="num">{_num(f.measured)}</td><td class="num">{_num(f.required)}</td>'
            f'<td class="num">{_num(f.shortfall)}</td><td>{escape(f.measure_unit or "")}</td>'
            f"<td>{_e(f.explanation)}</td>"
            f"<td>{_e(f.source.document)} {_e(f.source.clause)}<blockquote class='quote'>{_e(f.source.quote)}</blockquote></td></tr>"
        )
    return "".join(rows)


FINDING_HEAD = (
    "<thead><tr><th>unit</th><th>obligation</th><th>status</th><th>measured</th><th>required</th>"
    "<th>shortfall</th><th>of</th><th>explanation</th><th>source</th></tr></thead>"
)


def _ledger_rows(data: ReportData) -> str:
    rows = data.ledger_rows
    if rows is None:
        return ""
    files = ", ".join(_e(f) for f in rows.files)
    warning = f' style="color:{COLOURS[Status.NON_COMPLIANT.value]}"' if rows.rejected else ""
    hint = (
        " Rejected rows are not counted in any finding: list them with <code>--rejects FILE</code>"
        " or <code>xfrules ledger import</code>."
        if rows.rejected
        else ""
    )
    return (
        f'<p id="ledger-rows"{warning}><strong>{rows.rows_read}</strong> ledger rows read from'
        f" {files}: <strong>{rows.accepted}</strong> accepted,"
        f' <strong class="rejected">{rows.rejected}</strong> rejected.{hint}</p>'
    )


def _after_as_of(data: ReportData) -> str:
    later = data.evaluation.transactions_after_as_of
    if not later:
        return ""
    return (
        f'<p id="after-as-of"><strong>{later}</strong> purchase(s) dated after'
        f" {data.evaluation.as_of} are not counted in any finding.</p>"
    )


def render_html(data: ReportData) -> str:
    ev = data.evaluation
    # The cards count what binds: in a city-wide evaluation most (unit, obligation) pairs are
    # tasks of other departments, and their not_applicable count would dwarf the rest.
    cards = "".join(
        f'<div class="card" data-status="{s.value}" style="background:{COLOURS[s.value]}">'
        f'<div class="n">{data.status_counts[s.value]}</div>{escape(LABELS[s.value])}</div>'
        for s in _JUDGED
    )
    overall = Rollup("all", Counter(data.status_counts))
    met = overall.counts[Status.COMPLIANT.value]
    judged = met + overall.counts[Status.NON_COMPLIANT.value]
    cards += (
        f'<div class="card" id="compliance-rate" style="background:#37474f"><div class="n">'
        f"{percent(overall.compliance_rate)}</div>"
        f"达标率 compliance rate<br><small>{met} of {judged} judged</small></div>"
    )
    breaches = sum(1 for f in ev.findings if f.is_mandatory_breach)
    applicable = data.applicable
    na = [f for f in ev.findings if f.status is Status.NOT_APPLICABLE]
    na_block = (
        f'<details id="not-applicable"><summary>{len(na)} not_applicable findings</summary>'
        f"<table>{FINDING_HEAD}<tbody>{_finding_rows(data, na)}</tbody></table></details>"
        if len(na) <= _NA_LISTED
        else f'<p id="not-applicable" class="muted">{len(na)} not_applicable findings (listed in the XLSX report).</p>'
    )
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(data.title)} — {ev.as_of}</title><style>{CSS}</style></head><body>"
        f"<header><h1>{_e(data.title)}</h1><p>As of <time>{ev.as_of}</time> · {len(ev.findings)} findings"
        f" · {len(data.units)} units · generated by xfrules</p></header>"
        f'<section id="summary"><h2>概况 Summary</h2>{_ledger_rows(data)}{_after_as_of(data)}<div class="cards">{cards}</div>'
        f'<p id="mandatory-breaches"><strong>{breaches}</strong> mandatory obligation(s) not met.</p>'
        f'<p id="not-applicable-count" class="muted">{len(applicable)} applicable findings; '
        f"{len(na)} not_applicable (obligations that do not bind the unit) are not counted above."
        "</p></section>"
        + _rollup_table("by-jurisdiction", "按辖区 By jurisdiction", data.by_jurisdiction)
        + _rollup_table(
            "by-department", "按部门 By department (lead or responsible)", data.by_department
        )
        + _rollup_table(
            "by-district", "按区县 By district (parent unit or region)", data.by_district
        )
        + _shortfall_charts(data)
        + f'<section id="findings"><h2>全部结论 Findings ({len(applicable)} applicable)</h2>'
        f'<table id="findings-table">{FINDING_HEAD}<tbody>{_finding_rows(data, applicable)}</tbody></table>'
        f"{na_block}</section></body></html>\n"
    )
