"""A self-contained HTML report: inline CSS, SVG charts and one small inline script, nothing
fetched from a network.

The script sorts the findings by any column, filters them by status and searches their text
(the state is kept in the address's #fragment, so a filtered view can be linked). With
scripts off the page is complete: every finding is listed, in order of unit and obligation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from html import escape

from ..findings import Evaluation, Finding, Rollup, Status, percent
from ..i18n import current_lang, status_label, t
from ..periods import period_label
from ..render import _cell
from .model import ReportData, clean
from .script import SCRIPT

__all__ = ["render_html"]

COLOURS = {
    Status.COMPLIANT.value: "#2e7d32",
    Status.NON_COMPLIANT.value: "#c62828",
    Status.NOT_YET_DUE.value: "#1565c0",
    Status.INSUFFICIENT_EVIDENCE.value: "#ef6c00",
    Status.NOT_APPLICABLE.value: "#9e9e9e",
}
_NA_LISTED = 2000  # not_applicable findings listed in full up to this many
_REJECTED_LISTED = 100

CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:2rem;color:#222}
h1{margin-bottom:.2rem}h2{border-bottom:2px solid #ddd;padding-bottom:.2rem;margin-top:2rem}
.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{border-radius:6px;padding:.8rem 1.2rem;color:#fff;min-width:9rem}
.card .n{font-size:1.8rem;font-weight:bold}table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid #ddd;padding:.3rem .5rem;vertical-align:top;text-align:left}th{background:#f5f5f5}
td.num{text-align:right;font-variant-numeric:tabular-nums}.status{font-weight:bold}
blockquote{margin:0;padding-left:.5rem;border-left:3px solid #bbb;color:#555}
.muted{color:#777}.headline{font-size:1.1rem;font-weight:bold}
#controls{margin:.5rem 0;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
th button{all:unset;cursor:pointer}th button::after{content:" ↕";color:#aaa}
th[aria-sort=ascending] button::after{content:" ↑";color:#222}
th[aria-sort=descending] button::after{content:" ↓";color:#222}
tr.hidden{display:none}
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
            f"<title>{escape(status_label(status.value))}: {n}</title></rect>"
        )
        x += w
    return (
        f'<svg class="status-bar" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(t("col.mix"))}">{"".join(rects)}</svg>'
    )


def _rollup_table(table_id: str, heading: str, rollups: dict[str, Rollup]) -> str:
    """One row per group with applicable findings; groups bound by nothing are counted, not listed.
    The rate stands beside what it is out of (judged) and what is not judged."""
    head = "".join(f"<th>{escape(status_label(s.value))}</th>" for s in _JUDGED)
    rows = []
    for key, r in rollups.items():
        if not r.applicable:
            continue
        cells = "".join(f'<td class="num">{r.counts.get(s.value, 0)}</td>' for s in _JUDGED)
        short = "; ".join(f"{_num(v)} {escape(u)}" for u, v in sorted(r.shortfall.items()))
        na = r.counts.get(Status.NOT_APPLICABLE.value, 0)
        judged = r.counts.get(Status.COMPLIANT.value, 0) + r.counts.get(
            Status.NON_COMPLIANT.value, 0
        )
        rows.append(
            f"<tr><td>{_e(key)}</td><td class='num'>{r.applicable}</td>{cells}"
            f"<td class='num'>{judged}</td>"
            f"<td class='num rate'>{percent(r.compliance_rate)}</td>"
            f"<td class='num'>{r.mandatory_breaches}</td><td>{short}</td><td>{_status_bar(r)}</td>"
            f"<td class='num muted'>{na}</td></tr>"
        )
    omitted = sum(1 for r in rollups.values() if not r.applicable)
    note = (
        f'<p class="muted omitted">{escape(t("report.omitted_groups", n=omitted))}</p>'
        if omitted
        else ""
    )
    return (
        f'<section id="{table_id}"><h2>{escape(heading)}</h2><table><thead><tr>'
        f"<th>{escape(t('col.group'))}</th><th>{escape(t('col.applicable'))}</th>{head}"
        f"<th>{escape(t('col.judged'))}</th><th>{escape(t('col.compliance_rate'))}</th>"
        f"<th>{escape(t('col.mandatory_breaches'))}</th><th>{escape(t('col.shortfall'))}</th>"
        f"<th>{escape(t('col.mix'))}</th><th>{escape(status_label('not_applicable'))}</th>"
        "</tr></thead><tbody>" + "".join(rows) + f"</tbody></table>{note}</section>"
    )


def _shortfall_charts(data: ReportData) -> str:
    heading = escape(t("report.shortfalls"))
    if not data.shortfalls:
        return (
            f'<section id="shortfalls"><h2>{heading}</h2>'
            f'<p class="muted">{escape(t("report.no_shortfalls"))}</p></section>'
        )
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
            f'height="{height}" role="img" aria-label="{heading} {escape(measure_unit)}">'
            + "".join(parts)
            + "</svg>"
        )
    return f'<section id="shortfalls"><h2>{heading}</h2>' + "".join(charts) + "</section>"


def _sort_value(value: Decimal | None) -> str:
    return "" if value is None else f"{value:f}"


def _finding_rows(findings: Sequence[Finding]) -> str:
    rows = []
    for f in findings:
        flag = "" if f.modality == "mandatory" else " " + t("report.encouraged")
        unit = escape(f.measure_unit or "") if f.measure_unit != "ratio" else "%"
        rows.append(
            f'<tr class="finding {f.status.value}" data-status="{f.status.value}">'
            f"<td>{_e(f.unit_name)}<br><span class='muted'>{_e(f.unit_id)}</span></td>"
            f"<td>{_e(f.title)}<br><span class='muted'>{_e(f.obligation_id)}</span></td>"
            f"<td>{escape(period_label(f.period_start, f.period_end))}</td>"
            f'<td class="status" style="color:{COLOURS[f.status.value]}">'
            f"{escape(status_label(f.status.value))}{escape(flag)}</td>"
            f'<td class="num" data-v="{_sort_value(f.measured)}">{_num(f.measured)}</td>'
            f'<td class="num" data-v="{_sort_value(f.required)}">{_num(f.required)}</td>'
            f'<td class="num shortfall" data-v="{_sort_value(f.shortfall)}">{_num(f.shortfall)}</td>'
            f"<td>{unit}</td><td>{_e(f.explanation)}</td>"
            f"<td>{_e(f.source.document)} {_e(f.source.clause)}"
            f"<blockquote class='quote'>{_e(f.source.quote)}</blockquote></td></tr>"
        )
    return "".join(rows)


def _finding_head() -> str:
    keys = (
        "unit",
        "obligation",
        "period",
        "status",
        "measured",
        "required",
        "shortfall",
        "of",
        "explanation",
        "source",
    )
    numeric = {"measured", "required", "shortfall"}
    cells = "".join(
        f'<th data-key="{k}"{" data-type=num" if k in numeric else ""}>{escape(t(f"col.{k}"))}</th>'
        for k in keys
    )
    return f"<thead><tr>{cells}</tr></thead>"


def _controls(applicable: Sequence[Finding]) -> str:
    """Search, status filter and count; hidden until the script runs (useless without it)."""
    present = Counter(f.status.value for f in applicable)
    options = "".join(
        f'<option value="{s.value}">{escape(status_label(s.value))} ({present[s.value]})</option>'
        for s in _JUDGED
        if present[s.value]
    )
    return (
        '<div id="controls" hidden>'
        f'<label>{escape(t("report.search"))} <input id="search" type="search"></label>'
        f'<label>{escape(t("report.filter_status"))} <select id="status-filter">'
        f'<option value="">{escape(t("report.all"))} ({len(applicable)})</option>{options}'
        "</select></label>"
        f'<span id="shown-count" class="muted" data-template="{escape(t("report.shown", shown="{shown}", total="{total}"))}"></span>'
        f'<span class="muted">{escape(t("report.sort_hint"))}</span></div>'
    )


def _ledger_rows(data: ReportData) -> str:
    rows = data.ledger_rows
    if rows is None:
        return ""
    files = ", ".join(_e(f) for f in rows.files)
    warning = f' style="color:{COLOURS[Status.NON_COMPLIANT.value]}"' if rows.rejected else ""
    tally = escape(
        t("ledger.rows", read="{read}", accepted="{accepted}", rejected="{rejected}")
    ).format(
        read=f"<strong>{rows.rows_read}</strong>",
        accepted=f"<strong>{rows.accepted}</strong>",
        rejected=f'<strong class="rejected">{rows.rejected}</strong>',
    )
    text = f'<p id="ledger-rows"{warning}>{tally}（{files}）'
    if not rows.rejected:
        return text + "</p>"
    text += " " + escape(t("ledger.rejected_not_counted")) + "</p>"
    listed = rows.first_rejected[:_REJECTED_LISTED]
    body = "".join(
        f"<tr><td>{_e(r.file)}</td><td>{_e(r.row)}</td><td>{_e(r.column)}</td><td>{_e(r.reason)}</td></tr>"
        for r in listed
    )
    rest = rows.rejected - len(listed)
    where = (
        t("ledger.rejects_written", path=rows.rejects_file)
        if rows.rejects_file
        else t("ledger.rejects_hint")
    )
    more = t("ledger.more_rejected", n=rest) + t("headline.sep") if rest > 0 else ""
    return (
        text
        + f'<details id="rejected-rows" open><summary>{escape(t("ledger.first_rejected", n=len(listed)))}'
        f"</summary><table><thead><tr><th>{escape(t('col.file'))}</th><th>{escape(t('col.row'))}</th>"
        f"<th>{escape(t('col.column'))}</th><th>{escape(t('col.reason'))}</th></tr></thead>"
        f"<tbody>{body}</tbody></table><p class='muted'>{_e(more + where)}</p></details>"
    )


def _after_as_of(data: ReportData) -> str:
    later = data.evaluation.transactions_after_as_of
    if not later:
        return ""
    return f'<p id="after-as-of">{escape(t("report.after_as_of", n=later, as_of=data.evaluation.as_of))}</p>'


def render_html(data: ReportData, *, notes: Sequence[str] = (), headline: str | None = None) -> str:
    from ..output.headline import headline as headline_of

    ev = data.evaluation
    if headline is None:
        breaches = ev.mandatory_breaches
        headline = headline_of(data.status_counts, breaches)
    # The cards count what binds: in a city-wide evaluation most (unit, obligation) pairs are
    # tasks of other departments, and their not_applicable count would dwarf the rest.
    cards = "".join(
        f'<div class="card" data-status="{s.value}" style="background:{COLOURS[s.value]}">'
        f'<div class="n">{data.status_counts[s.value]}</div>{escape(status_label(s.value))}</div>'
        for s in _JUDGED
    )
    overall = Rollup("all", Counter(data.status_counts))
    met = overall.counts[Status.COMPLIANT.value]
    judged = met + overall.counts[Status.NON_COMPLIANT.value]
    cards += (
        f'<div class="card" id="compliance-rate" style="background:#37474f"><div class="n">'
        f"{percent(overall.compliance_rate)}</div>{escape(t('col.compliance_rate'))}"
        f"<br><small>{escape(t('col.judged'))} {judged}</small></div>"
    )
    breaches = ev.mandatory_breaches
    applicable = data.applicable
    # Listed when few: counted without making the (lazy) not-applicable findings otherwise.
    n_na = data.status_counts[Status.NOT_APPLICABLE.value]
    head = _finding_head()
    na_block = (
        f'<details id="not-applicable"><summary>{escape(t("report.not_applicable", n=n_na))}</summary>'
        f"<table>{head}<tbody>{_finding_rows(_not_applicable(ev))}</tbody></table></details>"
        if n_na <= _NA_LISTED
        else f'<p id="not-applicable" class="muted">{escape(t("report.not_applicable_xlsx", n=n_na))}</p>'
    )
    note_html = "".join(f'<p class="note">{_e(n)}</p>' for n in notes)
    return (
        f'<!DOCTYPE html><html lang="{"zh-CN" if current_lang() == "zh" else "en"}"><head>'
        '<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(data.title)} — {ev.as_of}</title><style>{CSS}</style></head><body>"
        f"<header><h1>{_e(data.title)}</h1><p>"
        + escape(
            t(
                "report.generated",
                as_of=ev.as_of,
                findings=len(ev),
                units=len(data.units),
            )
        )
        + "</p></header>"
        f'<section id="summary"><h2>{escape(t("report.summary"))}</h2>'
        f'<p id="headline" class="headline">{_e(headline)}</p>{note_html}'
        f'{_ledger_rows(data)}{_after_as_of(data)}<div class="cards">{cards}</div>'
        f'<p id="mandatory-breaches">{escape(t("report.mandatory_breaches", n=breaches))}</p>'
        f'<p id="not-applicable-count" class="muted">'
        f"{escape(t('report.not_applicable_note', applicable=len(applicable), na=n_na))}"
        "</p></section>"
        + _rollup_table("by-jurisdiction", t("report.by_jurisdiction"), data.by_jurisdiction)
        + _rollup_table("by-district", t("report.by_district"), data.by_district)
        + _rollup_table("by-lead", t("report.by_lead"), data.by_lead)
        + _rollup_table("by-department", t("report.by_department"), data.by_department)
        + _shortfall_charts(data)
        + f'<section id="findings"><h2>{escape(t("report.findings", n=len(applicable)))}</h2>'
        + _controls(applicable)
        + f'<table id="findings-table">{head}<tbody>{_finding_rows(applicable)}</tbody></table>'
        f"{na_block}</section><script>{SCRIPT}</script></body></html>\n"
    )


def _not_applicable(ev: Evaluation) -> list[Finding]:
    return [f for f in ev.findings if f.status is Status.NOT_APPLICABLE]
