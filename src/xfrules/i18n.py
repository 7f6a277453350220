"""The words people read, in Chinese first and in English on request: one catalog.

Every human-facing text xfrules prints — table headers, status and modality labels, notes,
summaries, report headings, sheet names, finding explanations — is a message here, keyed by
a stable name and given in both languages. Code asks for ``t("key", **params)``; the
language is a context variable (:func:`use_lang`), Chinese (``zh``) unless the caller
chooses English (``en``): ``xfrules … --lang en`` on the command line,
``with use_lang("en"):`` or ``evaluate(…, lang="en")`` from Python.

What programs read does not change with the language: JSON field names, CSV column names and
status codes (``compliant``…) are the stable contract (docs/output-format.md); only the texts
inside them (explanations) come in the chosen language.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Literal

__all__ = [
    "LANGS",
    "Lang",
    "Msg",
    "add_messages",
    "current_lang",
    "default_lang",
    "label",
    "modality_label",
    "status_label",
    "t",
    "use_lang",
]

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

_LANG: ContextVar[Lang] = ContextVar("xfrules_lang", default="zh")


def default_lang() -> Lang:
    """The language when none is chosen: ``$XFRULES_LANG`` if it names one, else Chinese."""
    env = os.environ.get("XFRULES_LANG", "").strip().lower()[:2]
    return env if env in LANGS else "zh"


def current_lang() -> Lang:
    return _LANG.get()


def check_lang(value: object) -> Lang:
    """``value`` as a language, or an InputError naming the choices."""
    if value == "zh" or value == "en":
        return value
    from .errors import InputError, Problem

    raise InputError(
        [Problem("", "", "lang", Msg("in.one_of", choices=", ".join(LANGS), value=value))]
    )


@contextmanager
def use_lang(lang: Lang | None) -> Iterator[Lang]:
    """Within the block, messages are in ``lang`` (None: leave the current language)."""
    if lang is None:
        yield _LANG.get()
        return
    token = _LANG.set(check_lang(lang))
    try:
        yield lang
    finally:
        _LANG.reset(token)


def t(key: str, /, **params: object) -> str:
    """The message ``key`` in the current language, formatted with ``params``."""
    zh, en = MESSAGES[key]
    text = zh if _LANG.get() == "zh" else en
    return text.format(**params) if params else text


class Msg:
    """A message not yet rendered: its catalog key and parameters. ``str()`` renders it in
    the language current then, so a problem made in one place reads in the language of
    whoever prints it; a parameter may be a Msg itself (rendered in the same language).
    The key is the stable code programs read (a problem's ``code``)."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, /, **params: object) -> None:
        if key not in MESSAGES:
            raise KeyError(f"no message {key!r} in the catalog")
        self.key = key
        self.params = params

    def __str__(self) -> str:
        return t(self.key, **self.params)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        return f"Msg({self.key!r}, **{self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Msg) and (self.key, self.params) == (other.key, other.params)

    def __hash__(self) -> int:
        return hash((self.key, tuple(self.params)))

    def english(self) -> str:
        """The English text, whatever the current language: a stable order for problems."""
        token = _LANG.set("en")
        try:
            return str(self)
        finally:
            _LANG.reset(token)


def label(group: str, value: str) -> str:
    """The label of a code (``status``/``compliant``), or the code itself when none exists."""
    key = f"{group}.{value}"
    return t(key) if key in MESSAGES else value


def status_label(status: str) -> str:
    return label("status", str(status))


def modality_label(modality: str) -> str:
    return label("modality", modality)


# key: (Chinese, English). Keep the keys stable; tests read both columns.
MESSAGES: dict[str, tuple[str, str]] = {
    # statuses and modalities
    "status.compliant": ("达标", "compliant"),
    "status.non_compliant": ("未达标", "non-compliant"),
    "status.not_applicable": ("不适用", "not applicable"),
    "status.not_yet_due": ("未到期", "not yet due"),
    "status.insufficient_evidence": ("证据不足", "insufficient evidence"),
    "modality.mandatory": ("约束性", "mandatory"),
    "modality.encouraged": ("鼓励性", "encouraged"),
    "modality.aspirational": ("力争", "aspirational"),
    "unit.ratio": ("%", "%"),
    "unit.purchases": ("笔", "purchases"),
    "unit.regions": ("个地区", "regions"),
    "unit.units": ("件", "units"),
    # finding columns (table, HTML, XLSX)
    "col.unit": ("单位", "unit"),
    "col.unit_id": ("单位编号", "unit id"),
    "col.unit_name": ("单位名称", "unit name"),
    "col.unit_kind": ("单位类型", "unit kind"),
    "col.obligation": ("义务", "obligation"),
    "col.obligation_id": ("义务编号", "obligation id"),
    "col.title": ("义务名称", "title"),
    "col.jurisdiction": ("辖区", "jurisdiction"),
    "col.kind": ("类型", "kind"),
    "col.modality": ("性质", "modality"),
    "col.approximate": ("约数", "approximate"),
    "col.period": ("期间", "period"),
    "col.period_start": ("期间起", "period start"),
    "col.period_end": ("期间止", "period end"),
    "col.due": ("截止日", "due"),
    "col.as_of": ("评估日", "as of"),
    "col.status": ("状态", "status"),
    "col.comparator": ("比较", "comparator"),
    "col.measured": ("实际", "measured"),
    "col.required": ("要求", "required"),
    "col.required_upper": ("要求上限", "required upper"),
    "col.stated_value": ("原文数值", "stated value"),
    "col.tolerance": ("容差", "tolerance"),
    "col.shortfall": ("差距", "shortfall"),
    "col.measure_unit": ("计量单位", "of"),
    "col.of": ("计量", "of"),
    "col.clause": ("条款", "clause"),
    "col.document": ("文件", "document"),
    "col.source": ("出处", "source"),
    "col.explanation": ("说明", "explanation"),
    "col.quote": ("原文", "quote"),
    "col.lead": ("牵头单位", "lead"),
    "col.responsible": ("责任单位", "responsible"),
    "col.participants": ("参与单位", "participants"),
    "col.name": ("名称", "name"),
    "col.plugin": ("插件", "plugin"),
    "col.version": ("版本", "version"),
    "col.obligations": ("义务数", "obligations"),
    "col.departments": ("部门数", "departments"),
    "col.threshold": ("指标", "threshold"),
    "col.applies_to": ("适用对象", "applies to"),
    "col.sentence": ("句子", "sentence"),
    "col.accounting": ("归类", "accounting"),
    "col.encoded_by": ("对应义务 / 理由", "obligations / reason"),
    # roll-up columns
    "col.group": ("分组", "group"),
    "col.findings": ("结论数", "findings"),
    "col.applicable": ("适用", "applicable"),
    "col.judged": ("已判定", "judged"),
    "col.compliance_rate": ("达标率", "compliance rate"),
    "col.mandatory_breaches": ("约束性未达标", "mandatory breaches"),
    "col.mix": ("构成", "mix"),
    "col.item": ("项目", "item"),
    "col.value": ("值", "value"),
    "col.file": ("文件", "file"),
    "col.row": ("行", "row"),
    "col.column": ("列", "column"),
    "col.reason": ("原因", "reason"),
    "col.region_code": ("区划代码", "region code"),
    # evaluation text
    "eval.heading": ("截至 {as_of} 的合规情况", "Compliance as of {as_of}"),
    "eval.as_of_today": (
        "评估日 {as_of} 为今天（未给 --as-of）：换一天结果可能不同",
        "as of {as_of}, today (no --as-of given): another day may give another answer",
    ),
    "eval.note.encouraged": (
        "* 鼓励性（鼓励/支持/引导…）或力争目标：列出，但不算违反",
        "* encouraged (鼓励/支持/引导…) or striven for (力争): reported, never fails the run",
    ),
    "eval.note.approximate": (
        "~ 约数目标（约/左右）：在容差范围内即为达标",
        "~ approximate target (约/左右): judged within its tolerance of the number",
    ),
    "eval.note.hidden": (
        "另有 {n} 项不适用的结论未列出；--all 可显示",
        "{n} not-applicable findings hidden; --all shows them",
    ),
    "eval.note.after_as_of": (
        "{n} 笔采购的日期晚于 {as_of}，未计入",
        "{n} purchase(s) dated after {as_of} are not counted",
    ),
    "eval.note.verbose": (
        "-v 显示每项结论的完整说明和原文",
        "-v shows each finding's whole explanation and quote",
    ),
    "eval.summary_heading": ("按辖区汇总", "By jurisdiction"),
    # the honest headline: a rate never stands alone
    "headline.rate": (
        "达标率 {rate}（{judged}项已判定：达标 {met}，未达标 {missed}）",
        "compliance rate {rate} ({judged} judged: {met} compliant, {missed} non-compliant)",
    ),
    "headline.no_rate": ("达标率 —（尚无已判定的结论）", "compliance rate — (nothing judged yet)"),
    "headline.unjudged": ("{label} {n}项", "{label} {n}"),
    "headline.not_applicable": ("不适用 {n}项（不计入）", "not applicable {n} (not counted)"),
    "headline.breaches": ("约束性未达标 {n}项", "mandatory breaches {n}"),
    "headline.sep": ("；", "; "),
    # selection
    "select.no_finding_unit": (
        "没有单位 {value!r} 的结论（编号写错了？）",
        "no finding for unit {value!r} (unknown id?)",
    ),
    "select.no_department": ("这里没有义务提到 {value!r}", "no obligation here names {value!r}"),
    "select.no_obligation": (
        "没有义务 {value!r} 的结论（编号写错了？相近的：{close}）",
        "no finding for obligation {value!r} (unknown id? close: {close})",
    ),
    "select.emptied": (
        "{option} 筛掉了全部 {n} 项结论：其中存在的值为 {values}",
        "{option} removed all {n} findings left: the values there are {values}",
    ),
    "select.emptied_hidden": (
        "所选结论都是不适用，表格默认不显示；--all 可显示",
        "every selected finding is not applicable, which the table hides; --all shows them",
    ),
    "select.none_at_all": ("没有任何结论", "no findings at all"),
    # ledger rows
    "ledger.rows": (
        "读取台账 {read} 行：接受 {accepted} 行，拒绝 {rejected} 行",
        "{read} ledger rows read: {accepted} accepted, {rejected} rejected",
    ),
    "ledger.rejected_not_counted": (
        "被拒绝的行不计入任何结论",
        "rejected rows are not counted in any finding",
    ),
    "ledger.rejects_written": (
        "全部被拒绝的行及原因已写入 {path}",
        "every rejected row with its reason is in {path}",
    ),
    "ledger.rejects_hint": (
        "用 --rejects 文件 列出全部被拒绝的行",
        "list every rejected row with --rejects FILE",
    ),
    "ledger.more_rejected": ("…… 另有 {n} 行被拒绝", "… {n} more rejected rows"),
    "ledger.rejected_heading": ("被拒绝的台账行", "Rejected ledger rows"),
    "ledger.first_rejected": ("前 {n} 行被拒绝的台账行", "The first {n} rejected ledger rows"),
    "ledger.strict": (
        "--strict：有 {n} 行台账被拒绝，按输入错误处理",
        "--strict: {n} ledger row(s) rejected, treated as bad input",
    ),
    # report
    "report.title": ("消费扶贫合规报告", "Consumption poverty alleviation compliance report"),
    "report.generated": (
        "截至 {as_of} · {findings}项结论 · {units}个单位 · xfrules 生成",
        "As of {as_of} · {findings} findings · {units} units · generated by xfrules",
    ),
    "report.summary": ("概况", "Summary"),
    "report.by_jurisdiction": ("按辖区", "By jurisdiction"),
    "report.by_district": ("按区县（单位所属区县）", "By district (the unit's district)"),
    "report.by_lead": ("按牵头单位", "By lead department"),
    "report.by_department": ("按部门（牵头或责任）", "By department (lead or responsible)"),
    "report.shortfalls": ("差距最大的结论", "Largest shortfalls"),
    "report.no_shortfalls": ("没有差距。", "No shortfalls."),
    "report.findings": ("全部结论（{n}项适用）", "Findings ({n} applicable)"),
    "report.not_applicable": ("{n}项不适用的结论", "{n} not-applicable findings"),
    "report.not_applicable_xlsx": (
        "{n}项不适用的结论（见 XLSX 报告）",
        "{n} not-applicable findings (listed in the XLSX report)",
    ),
    "report.not_applicable_note": (
        "适用的结论 {applicable}项；不适用（义务不约束该单位）{na}项，未计入上面的数字。",
        "{applicable} applicable findings; {na} not applicable (obligations that do not bind the unit) are not counted above.",
    ),
    "report.omitted_groups": (
        "{n}个只有不适用结论的分组未列出。",
        "{n} group(s) with only not-applicable findings not listed.",
    ),
    "report.wrote": ("已写入 {path}（{n}项结论）", "wrote {path} ({n} findings)"),
    "report.no_district": ("（无所属区县）", "(no district)"),
    "report.unnamed_region": ("{code}（名称不详）", "{code} (name unknown)"),
    "report.search": ("搜索", "Search"),
    "report.filter_status": ("状态", "Status"),
    "report.all": ("全部", "all"),
    "report.shown": ("显示 {shown} / {total} 项", "showing {shown} of {total}"),
    "report.sort_hint": ("点击表头排序", "click a heading to sort"),
    "report.encouraged": ("（鼓励性）", "(encouraged)"),
    "report.after_as_of": (
        "{n} 笔采购的日期晚于 {as_of}，未计入任何结论。",
        "{n} purchase(s) dated after {as_of} are not counted in any finding.",
    ),
    "report.mandatory_breaches": (
        "{n}项约束性义务未达标。",
        "{n} mandatory obligation(s) not met.",
    ),
    # summary sheet items
    "item.title": ("标题", "title"),
    "item.as_of": ("评估日", "as of"),
    "item.headline": ("结论", "headline"),
    "item.findings": ("结论数", "findings"),
    "item.applicable": ("适用", "applicable"),
    "item.mandatory_breaches": ("约束性未达标", "mandatory breaches"),
    "item.compliance_rate": ("达标率", "compliance rate"),
    "item.judged": ("已判定", "judged"),
    "item.after_as_of": ("晚于评估日的采购（未计入）", "purchases after as-of (not counted)"),
    "item.ledger_files": ("台账文件", "ledger files"),
    "item.rows_read": ("读取行数", "rows read"),
    "item.rows_accepted": ("接受行数", "rows accepted"),
    "item.rows_rejected": ("拒绝行数", "rows rejected"),
    "sheet.summary": ("概况", "Summary"),
    "sheet.by_jurisdiction": ("按辖区", "By jurisdiction"),
    "sheet.by_district": ("按区县", "By district"),
    "sheet.by_lead": ("按牵头单位", "By lead department"),
    "sheet.by_department": ("按部门", "By department"),
    "sheet.findings": ("全部结论", "Findings"),
    "sheet.rejected": ("被拒绝的行", "Rejected rows"),
    # output
    "out.unknown_suffix": (
        "不认识的输出文件后缀 {suffix!r}：可用 {choices}",
        "unknown output file suffix {suffix!r}: use {choices}",
    ),
    "out.no_dir": ("目录不存在：{dir}", "no such directory: {dir}"),
    "out.binary_stdout": (
        "{fmt} 是二进制格式：用 --out 文件 写入文件",
        "{fmt} is a binary format: write it to a file with --out FILE",
    ),
    "out.not_for": (
        "{fmt} 不适用于这里的输出（可用 {choices}）",
        "{fmt} does not fit this output (use {choices})",
    ),
    # --- finding explanations (xfrules.kinds, xfrules.evaluator) ---
    # comparators: the rule applied, in words (inclusive floors say so)
    "cmp.>=": ("不低于 {v}（含本数）", ">= {v} (inclusive)"),
    "cmp.>": ("高于 {v}", "> {v}"),
    "cmp.<=": ("不高于 {v}（含本数）", "<= {v} (inclusive)"),
    "cmp.<": ("低于 {v}", "< {v}"),
    "cmp.between": (
        "{lo}–{hi}（区间：以下限为准）",
        "{lo}–{hi} (a range: its lower bound binds)",
    ),
    "why.meets": ("达到", "meets"),
    "why.misses": ("未达到", "does not meet"),
    "why.compare": (
        "实际 {measured}，{verb}要求：{bound}{above}",
        "measured {measured} {verb} required {bound}{above}",
    ),
    "why.above_range": (
        "；高于上限 {upper}，不算违反",
        "; above the upper bound {upper}, which is no breach",
    ),
    "why.tolerance": (
        "（原文为约数：{stated} 约/左右，按容差 {tolerance} 判定；容差来源：{source}）",
        " (the document's number is approximate: {stated} 约/左右, judged with a {tolerance} tolerance; tolerance from: {source})",
    ),
    "why.tolerance.default": ("默认值", "the default"),
    "why.tolerance.set": ("插件或部署设定", "the plug-in or the deployment"),
    "why.no_threshold": (
        "自 {start} 起的期间没有生效的指标",
        "no threshold in force for the period starting {start}",
    ),
    "why.insufficient": ("证据不足：{why}", "insufficient evidence: {why}"),
    "why.so_far_measured": ("（目前实际：{measured}）", " (measured so far: {measured})"),
    "why.not_yet_due": ("{due} 到期；目前{text}", "due {due}; so far {text}"),
    "why.met_early": ("（到期前已达到）", " (met before the due date)"),
    "why.unlisted": (
        "来自{where}的采购（{amount}）可能应计入，但地区名单 {sets} 尚未列出地区：由部署在事实文件 region_sets 中补充",
        "purchases from {where} ({amount}) may count, but region set {sets} lists no regions yet: the deployment adds them (facts file region_sets)",
    ),
    "why.unlisted.inside": ("{codes} 内的地区", "regions inside {codes}"),
    "why.unlisted.other": ("其他地区", "other regions"),
    "why.no_allocation": (
        "{unit} 没有此目标的分解数：文件未分解，事实文件也未给出（allocations）",
        "no allocation of this target for {unit}: the document does not split it and the facts file gives no share (allocations)",
    ),
    "why.no_share": (
        "{unit} 未分配此目标的份额{basis}",
        "no share of this target is allocated to {unit}{basis}",
    ),
    "why.per": ("（依据 {document}）", " (per {document})"),
    "why.allocated": (
        "（该单位的分解数，来源：{source}）",
        " (the unit's allocated share, from: {source})",
    ),
    "why.source.document": ("义务所在文件 {document}", "the obligation's document {document}"),
    "why.source.facts": (
        "事实文件 allocations，依据 {document}",
        "the facts file's allocations, per {document}",
    ),
    "why.no_baseline": (
        "没有 {start}..{end} 的基数 {metric!r}",
        "no baseline {metric!r} for {start}..{end}",
    ),
    "why.baseline": (
        "（基数 {baseline} 的 {share}，基数来源：事实文件 observations {metric!r} {start}..{end}；采购额为基数的 {actual}）",
        " ({share} of baseline {baseline}, from the facts file's observations {metric!r} {start}..{end}; purchases are {actual} of baseline)",
    ),
    "why.no_headcount": ("单位没有 {attribute!r} 属性", "unit has no {attribute!r} attribute"),
    "why.per_capita": (
        "（{amount} × {heads} {attribute}，人数来源：事实文件单位属性）",
        " ({amount} × {heads} {attribute}, the head count from the facts file's unit attributes)",
    ),
    "why.no_reference": (
        "{start}..{end} 没有正的参照值",
        "no positive reference value for {start}..{end}",
    ),
    "why.growth": (
        "{grew}；要求增长 {bound}（即 {required_bound}）",
        "{grew}; required growth {bound} ({required_bound})",
    ),
    "why.grew": (
        "从 {previous} 增长 {growth} 到 {current}",
        "grew {growth} from {previous} to {current}",
    ),
    "why.grew_from_nothing": (
        "从 {previous} 增至 {current}：从零起的增长高于任何比率",
        "rose from {previous} to {current}: growth from nothing is above any rate",
    ),
    "why.stayed": ("保持在 {previous}：没有增长", "stayed at {previous}: no increase"),
    "why.no_denominator": ("没有 {metric!r} 的观测值", "no {metric!r} observed"),
    "why.rate": ("（{num}/{den}）", " ({num}/{den})"),
    "why.empty_set": (
        "地区名单 {name!r} 尚未列出地区：由部署在事实文件 region_sets 中补充",
        "region set {name!r} lists no regions yet: the deployment adds them (facts file region_sets)",
    ),
    "why.first_report_due": ("首次报送 {due} 到期", "first report due {due}"),
    "why.reports": (
        "按时报送 {measured}/{required} 次{attach}",
        "{measured}/{required} reports{attach} delivered on time",
    ),
    "why.reports.attach": ("（附 {attachments}）", " with {attachments}"),
    "why.reports.late": ("；缺报或迟报：{periods}", "; missing or late: {periods}"),
    "why.evidence": (
        "已于 {delivered} 提交证明 {evidence!r}",
        "evidence {evidence!r} delivered {delivered}",
    ),
    "why.evidence_not_yet": (
        "尚无证明 {evidence!r}；{due} 到期",
        "no evidence {evidence!r} yet; due {due}",
    ),
    "why.no_evidence": (
        "{start}..{end} 未提交证明 {evidence!r}；定性义务只凭证明判定",
        "no evidence {evidence!r} delivered for {start}..{end}; a qualitative duty is judged on evidence only",
    ),
    "why.other_jurisdiction": (
        "单位属于 {unit!r}，义务属于 {ob!r}",
        "unit belongs to {unit!r}, obligation to {ob!r}",
    ),
    "why.applies_to": ("适用于 {kinds}，不适用于 {kind}", "applies to {kinds}, not to a {kind}"),
    "why.participant": (
        "部门 {department!r} 为参与/配合单位，不作判定；义务约束 {bound}",
        "department {department!r} takes part (参与/配合) and is not judged; the duty binds {bound}",
    ),
    "why.not_named": (
        "本任务未点名部门 {department!r}",
        "department {department!r} is not named by this task",
    ),
    "why.excluded": (
        "本任务所指范围不含 {department!r}",
        "the bodies this task names leave out {department!r}",
    ),
    "why.not_reported": (
        "{start}..{end} 没有上报 {metric!r}",
        "no {metric!r} reported for {start}..{end}",
    ),
    "why.own_recipient": (
        "报告报送给 {recipient}，它不向自己报送",
        "the report is delivered to {recipient}, which does not report to itself",
    ),
    "why.lacks": (
        "义务要求具备 {needs}，事实文件说明该单位没有（lacks）",
        "the duty requires a {needs}, which the facts say the unit lacks",
    ),
    "why.not_in_force": (
        "{as_of} 未生效（有效期 {start}..{end}）",
        "not in force on {as_of} (valid {start}..{end})",
    ),
    "why.until_replaced": ("至被替代", "until replaced"),
    # what was counted and what was not
    "why.counted": ("计入 {n} 笔，共 {sum}", "counted {n} purchase(s), {sum}"),
    "why.not_counted": ("未计入：{parts}", "not counted: {parts}"),
    "why.not_counted.sep": ("；", "; "),
    "why.reason": ("{reason}：{n} 笔（{sum}）", "{n} {reason} ({sum})"),
    "why.reason.period": ("早于期间 {start}..{end}", "dated before the period {start}..{end}"),
    "why.reason.category": (
        "类别不计入（须为 {values}）",
        "of a category not counted (must be {values})",
    ),
    "why.reason.channel": (
        "渠道不计入（须为 {values}）",
        "through a channel not counted (must be {values})",
    ),
    "why.reason.seller_kind": (
        "卖方类型不计入（须为 {values}）",
        "from a seller kind not counted (must be {values})",
    ),
    "why.reason.origin": ("产地不在地区名单 {sets} 内", "with an origin not in region set {sets}"),
    "why.blank": ("空", "blank"),
    # evaluate --explain
    "explain.heading": (
        "{unit}（{unit_id}）· {obligation}（{id}）",
        "{unit} ({unit_id}) · {obligation} ({id})",
    ),
    "explain.source": ("出处：{document} {clause}", "source: {document} {clause}"),
    "explain.quote": ("原文：{quote}", "quote: {quote}"),
    "explain.binds": (
        "性质：{modality}；牵头：{lead}；责任：{responsible}",
        "modality: {modality}; lead: {lead}; responsible: {responsible}",
    ),
    "explain.target": ("指标：{target}", "target: {target}"),
    "explain.period": (
        "期间 {period}（{due} 到期）：{status}",
        "period {period} (due {due}): {status}",
    ),
    "explain.rows": (
        "该单位（含下级）的采购 {n} 笔，逐笔去向：",
        "the unit's purchases (its subtree's too), {n}, and what became of each:",
    ),
    "explain.counted": ("计入", "counted"),
    "explain.after_period": (
        "晚于期间 {start}..{end}（属以后的期间）",
        "after the period {start}..{end} (a later period's)",
    ),
    "explain.after_as_of": ("晚于评估日 {as_of}，未计入", "dated after {as_of}: not counted"),
    "explain.reason.after_as_of": ("晚于评估日 {as_of}", "dated after {as_of}"),
    "explain.tally": ("期间 {period}：{text}", "period {period}: {text}"),
    "explain.no_pair": (
        "单位 {unit!r} 没有义务 {obligation!r} 的结论",
        "no finding of obligation {obligation!r} for unit {unit!r}",
    ),
    "col.date": ("日期", "date"),
    "col.id": ("编号", "id"),
    "col.buyer": ("买方", "buyer"),
    "col.seller": ("卖方", "seller"),
    "col.category": ("类别", "category"),
    "col.origin": ("产地", "origin"),
    "col.amount": ("金额", "amount"),
    "word.yes": ("是", "yes"),
    "word.no": ("否", "no"),
    # progress
    "progress.left": ("剩余约 {left}", "about {left} left"),
    "progress.import": ("导入台账", "import"),
    "progress.batch": ("汇总台账", "batch"),
    "progress.rows": ("行", "rows"),
}


def add_messages(messages: dict[str, tuple[str, str]]) -> None:
    """Add (Chinese, English) messages to the catalog — a plug-in's own, under its own
    prefix (``datonghu.…``) — refusing a key taken by another text."""
    clash = sorted(k for k, v in messages.items() if MESSAGES.get(k, v) != v)
    if clash:
        raise KeyError(f"messages already in the catalog with other words: {clash}")
    MESSAGES.update(messages)


def _input_messages() -> None:
    # Input errors and rejection reasons, the command line's errors and notices: their own
    # modules (xfrules.input_messages, xfrules.error_messages); xfrules check's problems
    # (xfrules.check_messages).
    from .check_messages import CHECK_MESSAGES
    from .error_messages import ERROR_MESSAGES
    from .input_messages import INPUT_MESSAGES

    add_messages(INPUT_MESSAGES)
    add_messages(ERROR_MESSAGES)
    add_messages(CHECK_MESSAGES)


_input_messages()
