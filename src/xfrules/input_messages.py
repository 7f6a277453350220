"""The words of input errors and rejection reasons, in Chinese and in English: part of the
one catalog (:mod:`xfrules.i18n` merges it), kept apart so each module stays small.

A :class:`~xfrules.errors.Problem` carries one of these keys and its parameters
(:class:`~xfrules.i18n.Msg`); the key is its ``code``, the same in every language, and the
text is rendered in the current language. The English entries are the texts xfrules gave
before it spoke Chinese, word for word (``--lang en`` prints what it always printed).
File names, row numbers, the column as the ledger's header writes it and the offending
value are parameters, so they appear verbatim (masked) in either language.
"""

from __future__ import annotations

__all__ = ["INPUT_MESSAGES"]

# key: (Chinese, English), the same placeholders in both (tested).
INPUT_MESSAGES: dict[str, tuple[str, str]] = {
    # --- how a problem is framed: where, then why ---
    "problem.field": ("字段“{field}”", "field {field!r}"),
    "problem.sep": ("，", ", "),
    "problem.at": ("{where}：{message}", "{where}: {message}"),
    "problem.count_one": ("输入有 1 处问题", "1 problem in input"),
    "problem.count": ("输入有 {n} 处问题", "{n} problems in input"),
    "problem.list": ("：\n", ":\n"),
    "problem.reasons_sep": ("；", "; "),
    # where in a file
    "at.row": ("第 {n} 行", "row {n}"),
    "at.line": ("第 {n} 行", "line {n}"),
    "at.record": ("第 {n} 条记录", "record {n}"),
    "at.header": ("表头", "header"),
    "at.unit": ("单位 {id}", "unit {id}"),
    "at.event": ("第 {n} 个事件", "event {n}"),
    "at.event_id": ("{where}（{kind} 编号 {id!r}）", "{where} ({kind} id {id!r})"),
    "at.event_kind": ("{where}（{kind}）", "{where} ({kind})"),
    "at.line_column": ("第 {line} 行第 {column} 列", "line {line}, column {column}"),
    # --- general ---
    "in.one_of": (
        "必须是 {choices} 之一，实际为 {value!r}",
        "must be one of {choices}, got {value!r}",
    ),
    "in.joined": ("{parts}", "{parts}"),
    # --- values: numbers, money, dates (facts files, ledgers, monitor events) ---
    "field.amount": ("金额", "amount"),
    "field.quantity": ("数量", "quantity"),
    "field.date": ("日期", "date"),
    "field.buyer": ("买方", "buyer"),
    "value.missing": ("{what}为空", "{what} is missing"),
    "value.is_date": ("{what}是日期，不是数字", "{what} is a date, not a number"),
    "value.negative": ("{what}为负数", "{what} is negative"),
    "value.too_large": (
        "{what}过大，不合常理（10^15 或以上）",
        "{what} is implausibly large (10^15 or more)",
    ),
    "value.too_fine": ("{what}的小数位过多：最小单位为 {step}", "{what} is finer than {step}"),
    "value.implausible": (
        "数值过大，不合常理（10^15 或以上）：{value!r}",
        "implausibly large (10^15 or more): {value!r}",
    ),
    "value.not_number": ("不是数字：{value!r}", "not a number: {value!r}"),
    "value.not_money": (
        "不是金额（应为数字，可带 万/亿/千 和 元）：{value!r}",
        "not an amount of money (a number, optionally 万/亿/千 and 元): {value!r}",
    ),
    "value.not_quantity": (
        "不是数量（应为数字，可带单位，如 斤 或 kg）：{value!r}",
        "not a quantity (a number, optionally a unit such as 斤 or kg): {value!r}",
    ),
    "value.float": (
        "二进制浮点数 {value!r} 无法精确表示金额；请写成字符串",
        "binary float {value!r} cannot hold exact money; write it as a string",
    ),
    "value.not_finite": ("不是有限的数：{value!r}", "not a finite number: {value!r}"),
    "value.not_date": ("不是日期：{value!r}", "not a date: {value!r}"),
    "value.impossible_date": ("不存在的日期 {value!r}：{why}", "impossible date {value!r}: {why}"),
    "value.bad_year": ("年份 {year} 超出范围", "year {year} is out of range"),
    "value.bad_month": ("月份须在 1..12 之间", "month must be in 1..12"),
    "value.bad_day": ("该月没有这一天", "day is out of range for month"),
    # --- region codes and personal numbers ---
    "region.bad_code": (
        "地区代码 {code!r} 应为 6 位数字（GB/T 2260），乡镇、村级为 9 位或 12 位",
        "region code {code!r} must be 6 digits (GB/T 2260), or 9/12 for towns and villages",
    ),
    "region.unknown": (
        "未知的地区代码 {code!r}：没有省份的代码以 {prefix} 开头",
        "unknown region code {code!r}: no province has the prefix {prefix}",
    ),
    "pii.id_form": (
        "身份证号应为 17 位数字加 1 位校验码（0-9 或 X）",
        "ID number must be 17 digits and a check digit (0-9 or X)",
    ),
    "pii.id_birth": ("身份证号中的出生日期不存在", "ID number holds an impossible birth date"),
    "pii.id_check": (
        "身份证号校验码不符（GB 11643）",
        "ID number check digit does not match (GB 11643)",
    ),
    "pii.phone": (
        "电话应为 11 位手机号或带区号的固定电话",
        "phone must be an 11-digit mobile number or an area-coded landline",
    ),
    # --- ledger files (xfrules.ledger.readers) ---
    "ledger.too_wide": (
        "该行比表头多出 {limit} 个以上单元格，不是台账行（错位或损坏的行）；两种后端都拒绝读取此台账",
        "a row with more than {limit} cells beyond the header's: no ledger row "
        "(a shifted or corrupt line); the ledger is refused by either backend",
    ),
    "ledger.unknown_format": (
        "无法识别的台账格式；请使用 .csv、.xlsx、.parquet 或 .jsonl",
        "unknown ledger format; use .csv, .xlsx, .parquet or .jsonl",
    ),
    "ledger.not_text": (
        "不是 UTF-8、UTF-16 或 GBK/GB18030 编码的文本",
        "not UTF-8, UTF-16 or GBK/GB18030 text",
    ),
    "ledger.not_encoding": ("不是 {encoding} 编码的文本", "not {encoding} text"),
    "ledger.undecodable": (
        "不是 {encoding} 编码的文本：第 {offset} 字节（从 0 起算）无法解码"
        "（编码按文件前 1 MiB 判断；请把整个文件存为同一种编码）",
        "not {encoding} text: byte offset {offset} cannot be decoded (the encoding was "
        "detected from the first MiB; save the whole file in one encoding)",
    ),
    "ledger.header_row_not_found": ("找不到表头行", "header row not found"),
    "ledger.no_header": (
        "前 {n} 行中没有能对应台账字段的表头行（如 买方、金额、交易时间）；请提供映射文件",
        "no header row in the first {n} rows maps to ledger fields "
        "(e.g. 买方, 金额, 交易时间); give a mapping file",
    ),
    "ledger.empty": ("台账是空的", "the ledger is empty"),
    "ledger.no_file": ("文件不存在", "no such file"),
    "ledger.unreadable": ("无法读取 {kind} 文件：{detail}", "unreadable {kind}: {detail}"),
    "ledger.no_sheet": (
        "没有工作表 {sheet!r}；现有工作表：{sheets}",
        "no sheet {sheet!r}; sheets: {sheets}",
    ),
    "ledger.bad_json": ("JSON 格式有误：{detail}", "malformed JSON: {detail}"),
    "ledger.not_object": ("每一行必须是一个 JSON 对象", "each line must be a JSON object"),
    "ledger.duckdb": ("DuckDB 无法读取：{reason}", "DuckDB cannot read it: {reason}"),
    "ledger.duckdb_too_wide": ("{limit_text}（{reason}）", "{limit_text} ({reason})"),
    # the header of a ledger (xfrules.ledger.mapping.LedgerMapping.header_problem)
    "ledger.no_column": ("缺少必需的列：{fields}", "no column for {fields} (required)"),
    "ledger.unmatched": (
        "映射文件 {source} 中的 {names} 与任何表头都对不上",
        "mapping {source}: {names} match no header",
    ),
    "ledger.headers_found": ("找到的表头：{headers}{more}", "headers found: {headers}{more}"),
    "ledger.more_headers": ("，……（另有 {n} 个）", ", … ({n} more)"),
    "ledger.no_headers": ("（无）", "(none)"),
    "ledger.header_row_in_mapping": (
        "映射文件指定 header_row 为 {n}",
        "header_row: {n} in the mapping",
    ),
    # a ledger row (xfrules.ledger.rules, xfrules.ledger.importer)
    "ledger.unknown_buyer": (
        "未知的买方 {buyer!r}：既不是单位编号，也不是唯一的单位名称",
        "unknown buyer {buyer!r}: not a unit id or unique unit name",
    ),
    "ledger.duplicate": (
        "与 {file} 第 {row} 行重复（交易编号 {tid!r}）",
        "duplicate of {file} row {row} (transaction id {tid!r})",
    ),
    "ledger.disagree": (
        "{n} 行使用同一交易编号 {tid!r}，但内容不一致",
        "{n} rows share transaction id {tid!r} but disagree",
    ),
    "ledger.facts_transactions": (
        "使用台账时，交易只来自台账文件；请把事实文件中的交易移到台账中",
        "with ledgers, transactions come from the ledger files only; move them into a ledger",
    ),
    # ledger mapping files (xfrules.ledger.mapping.load_mapping)
    "mapping.cannot_read": ("无法读取映射文件：{detail}", "cannot read mapping: {detail}"),
    "mapping.not_mapping": (
        "映射文件必须是 YAML 映射（键: 值）",
        "a mapping file is a YAML mapping",
    ),
    "mapping.unknown_key": (
        "未知的键；应为以下之一：{known}",
        "unknown key; expected one of {known}",
    ),
    "mapping.section": ("必须是映射（表头: 字段, …）", "must be a mapping (header: field, …)"),
    "mapping.unknown_field": (
        "未知的字段 {value!r}；可用字段：{fields}",
        "unknown field {value!r}; fields: {fields}",
    ),
    "mapping.defaults": (
        "只有 category、channel、seller_kind、origin_region 和 buyer 可以设默认值",
        "only category, channel, seller_kind, origin_region and buyer take defaults",
    ),
    "mapping.values_shape": (
        "必须是映射（原写法: 读作）",
        "must be a mapping (as written: as read)",
    ),
    "mapping.values_fields": (
        "值映射只适用于 category、channel、seller_kind、origin_region 和 buyer",
        "value maps apply to category, channel, seller_kind, origin_region and buyer",
    ),
    "mapping.amount_scale": (
        "必须是 1、10、100、1000（千元）、10000（万元）或 100000000（亿元）",
        "must be 1, 10, 100, 1000 (千元), 10000 (万元) or 100000000 (亿元)",
    ),
    "mapping.header_row": ("必须是行号（1 为第一行）", "must be a row number (1 = first row)"),
    "mapping.sheet": ("必须是工作表名称（文本）", "must be a sheet name (text)"),
    # facts files (xfrules.facts)
    "facts.not_list": ("必须是列表，实际为 {got}", "must be a list, got {got}"),
    "facts.not_mapping": ("必须是映射（字段: 值），实际为 {got}", "must be a mapping, got {got}"),
    "facts.missing_field": ("缺少必填字段", "required field is missing"),
    "facts.got": ("{reason}（实际为 {value!r}）", "{reason} (got {value!r})"),
    "facts.top_level": ("顶层必须是由各部分组成的映射", "top level must be a mapping of sections"),
    "facts.unknown_section": (
        "未知的部分；应为以下之一：{known}",
        "unknown section; expected one of {known}",
    ),
    "facts.duplicate_unit": ("单位编号重复", "duplicate unit id"),
    "facts.duplicate_transaction": ("交易编号重复", "duplicate transaction id"),
    "facts.duplicate_observation": ("观测记录编号重复", "duplicate observation id"),
    "facts.unknown_unit": ("未知的单位 {unit!r}", "unknown unit {unit!r}"),
    "facts.same_observation": (
        "与 {first} 的单位、指标、期间、对象和数值都相同：照抄的一行会被重复计算；"
        "如果两条都确实需要，请分别给出 id",
        "same unit, metric, period, subject and value as {first}: "
        "a copied row would count twice; give each an id if both are meant",
    ),
    "facts.allocated_twice": ("分解数重复给出", "allocated more than once"),
    "facts.period_order": ("period_end 早于 period_start", "period_end is before period_start"),
    "facts.outside_bound": (
        "{codes} 不在 {bound} 范围内（见其 within）",
        "{codes} not within {bound} (its `within`)",
    ),
    # pydantic's commonest errors in a facts file (the English is pydantic's own text)
    "pydantic.extra_forbidden": (
        "无法识别的字段：此处不允许有该字段",
        "Extra inputs are not permitted",
    ),
    "pydantic.string_type": ("应为文本", "Input should be a valid string"),
    "pydantic.list_type": ("应为列表", "Input should be a valid list"),
    "pydantic.dict_type": ("应为映射（字段: 值）", "Input should be a valid dictionary"),
    "pydantic.bool_type": ("应为 true 或 false", "Input should be a valid boolean"),
    "pydantic.bool_parsing": (
        "应为 true 或 false，无法识别",
        "Input should be a valid boolean, unable to interpret input",
    ),
    "pydantic.literal_error": ("应为 {expected}", "Input should be {expected}"),
    "pydantic.date_from_datetime_inexact": (
        "日期不能带有时间部分",
        "Datetimes provided to dates should have zero time - e.g. be exact dates",
    ),
    # monitor events (xfrules.monitor, xfrules watch)
    "event.not_object": (
        "事件必须是 JSON 对象，实际为 {got}",
        "an event must be a JSON object, got {got}",
    ),
    "event.bad_type": (
        "必须是 {types} 之一（实际为 {value!r}）",
        "must be one of {types} (got {value!r})",
    ),
    "event.clock_fields": ("时钟事件只能有 'date' 一个字段", "a clock event has only 'date'"),
    "event.clock_back": (
        "时钟从 {today} 倒退到 {day}：时钟只能向前走",
        "the clock moves back from {today} to {day}: it only moves forward",
    ),
    "event.id_taken": (
        "{kind} 编号 {value!r} 已被另一条 {fields} 不同的记录使用：同一编号必须指同一事实（以第一条为准）",
        "{kind} id {value!r} was taken by one with other {fields}: "
        "the same id must mean the same fact (the first one stands)",
    ),
    "event.unhandled_keyed": (
        "没有规则处理这个 {key} 为 {value!r} 的 {kind}：没有义务读取它",
        "no rule handles this {kind} with {key} {value!r}: no obligation reads it",
    ),
    "event.unhandled": (
        "没有规则处理这个 {kind}：没有义务读取它",
        "no rule handles this {kind}: no obligation reads it",
    ),
    "monitor.bad_key_file": ("无法读取密钥文件：{detail}", "unreadable key file: {detail}"),
    "monitor.key_missing": (
        "日志中的个人号码已用 {path} 中的密钥做了假名化处理，而该密钥文件不存在：没有它就无法重放日志",
        "its personal numbers are pseudonymised under the key in {path}, which is "
        "missing: the log cannot be replayed without it",
    ),
    "monitor.cannot_read_log": ("无法读取日志：{detail}", "cannot read the log: {detail}"),
    "monitor.not_a_record": ("不是监测日志记录：{detail}", "not a monitor log record: {detail}"),
    "monitor.no_start": ("没有 start 记录：不是监测日志", "no start record: not a monitor log"),
    "monitor.log_taken": (
        "已保存了一个监测的历史：请从它恢复（--restore），或写到别的日志",
        "already holds a monitor's history: restore from it or log elsewhere",
    ),
    "file.cannot_write": ("无法写入：{detail}", "cannot write: {detail}"),
    # xfrules watch
    "watch.rejected": ("{n} 个事件被拒绝", "{n} event(s) rejected"),
    "watch.not_utf8": ("不是 UTF-8：{detail}", "not UTF-8: {detail}"),
    "watch.not_json": ("不是 JSON：{detail}", "not JSON: {detail}"),
    "watch.not_event": ("不是事件：{detail}", "not an event: {detail}"),
    "watch.cannot_read_obligations": (
        "无法读取义务文件：{detail}",
        "cannot read obligations: {detail}",
    ),
    "watch.not_obligations": ("必须是义务的列表", "must be a list of obligations"),
    "watch.cannot_read_events": ("无法读取事件：{detail}", "cannot read events: {detail}"),
    "watch.restore_needs_log": ("需要 --log 文件 才能恢复", "needs --log FILE to restore from"),
    "watch.fresh_needs_restore": ("只能与 --restore 一起使用", "only goes with --restore"),
    "watch.no_log": (
        "没有可供恢复的日志；用 --fresh 重新开始并创建它",
        "no such log to restore from; give --fresh to start afresh and create it",
    ),
    # what a facts file adds to the plug-ins' rules (xfrules.rulebook)
    "rules.none": ("无", "none"),
    "rules.plugin_failed": (
        "辖区 {code!r}：其插件加载失败，该单位将得不到任何结论：{error}",
        "jurisdiction {code!r}: its plug-in failed to load, so the unit would get no "
        "findings: {error}",
    ),
    "rules.not_installed": (
        "辖区 {code!r} 的插件未安装，该单位将得不到任何结论（已安装：{installed}{broken}）{hint}",
        "jurisdiction {code!r} is not installed, so the unit would get no findings "
        "(installed: {installed}{broken}){hint}",
    ),
    "rules.did_you_mean": ("；是否应为 {close!r}？", "; did you mean {close!r}?"),
    "rules.plugins_failed": (
        "；加载失败的插件：{errors}",
        "; plug-ins that failed to load: {errors}",
    ),
    "rules.no_region_set": (
        "{jurisdiction} 没有地区名单 {name!r}（它的名单：{sets}）",
        "{jurisdiction} has no region set {name!r} (its sets: {sets})",
    ),
    "rules.outside_set": (
        "{code}（{name}）不在 {jurisdiction} {set!r} 范围内：按文件规定，该名单的地区都在 {bound} 之内",
        "{code} ({name}) is not in {jurisdiction} {set!r}, whose "
        "regions all lie in {bound} as its document says",
    ),
    "rules.no_obligation": (
        "{jurisdiction} 中没有义务 {obligation!r}",
        "no obligation {obligation!r} in {jurisdiction}",
    ),
    "rules.not_decomposed": (
        "{id} 属于 {kind}：只有金额和数量目标可以分解",
        "{id} is a {kind}: only amount and count targets are decomposed",
    ),
    "rules.no_approximate": (
        "{id} 的原文数值不是约数（约/左右）：容差无从适用",
        "{id} states no approximate number (约/左右): a tolerance has nothing to apply to",
    ),
    "rules.closed_parties": (
        "{id} 的文件已列全参与单位（列举不以“等”结尾）：部署不能再添加",
        "{id}'s document names its parties in full (no list ending in 等): "
        "a deployment cannot add one",
    ),
    # the Python API
    "api.not_a_date": (
        "必须是 datetime.date，实际为 {type} {value!r}（xfrules.values.parse_date 可读取 2020-12-31 或 2020年12月31日）",
        "must be a datetime.date, got {type} {value!r} "
        "(xfrules.values.parse_date reads 2020-12-31 or 2020年12月31日)",
    ),
    # files of any kind
    "file.undecodable": (
        "不是 UTF-8、UTF-16 或 GBK/GB18030 编码的文本：第 {offset} 字节（从 0 起算）无法解码（请把文件存为 UTF-8）",
        "not UTF-8, UTF-16 or GBK/GB18030 text: byte offset {offset} cannot be decoded "
        "(save the file as UTF-8)",
    ),
    "file.not_folder": ("这是文件，不是文件夹", "is a file, not a folder"),
    "file.written_before": (
        "{detail}（此前已写入 {n} 个文件）",
        "{detail} ({n} files were written before it)",
    ),
    "cmd.report_inputs": (
        "请给出一个事实文件，或给出台账并用 --facts 指定单位文件",
        "give one facts file, or ledgers with --facts UNITS",
    ),
    # submitted annex tables (xfrules.annexes)
    "annex.file_type": (
        "不支持的文件类型 {suffix!r}；请用 .csv 或 .xlsx",
        "unsupported file type {suffix!r}; use .csv or .xlsx",
    ),
    "annex.no_header": (
        "{title}：前 {n} 行中没有列齐全部必填列的表头行；缺少 {missing}",
        "{title}: no header row in the first {n} rows names every required column; "
        "missing {missing}",
    ),
    "annex.empty_value": ("必填项为空", "required value is empty"),
    "annex.empty_amount": ("必填金额为空", "required amount is empty"),
    "annex.empty_quantity": ("必填数量为空", "required quantity is empty"),
    "annex.empty_date": ("必填日期为空", "required date is empty"),
    "annex.empty_id": ("必填身份证号为空", "required ID number is empty"),
    "annex.empty_phone": ("必填电话号码为空", "required phone number is empty"),
    "annex.personal": (
        "看起来是身份证号或电话号码（列错位了？）",
        "holds what looks like an ID or phone number (columns shifted?)",
    ),
    "annex.not_number": ("不是数字：{value}", "not a number: {value}"),
    "annex.not_money": ("不是金额：{value}", "not an amount of money: {value}"),
    "annex.not_quantity": (
        "不是数量（应为数字，可带单位）：{value}",
        "not a quantity (a number, optionally a unit): {value}",
    ),
    "annex.below": (
        "不能低于 {minimum}（实际为 {value}）",
        "must not be below {minimum} (got {value})",
    ),
    "annex.negative": ("不能为负数（实际为 {value}）", "must not be negative (got {value})"),
    "annex.delivery_date": ("报送日期", "the delivery date"),
    "annex.reported_period": ("报送期间", "the reported period"),
    "annex.outside": (
        "{value} 不在{what}（{start}..{end}）之内",
        "{value} is outside {what} ({start}..{end})",
    ),
    "annex.after": ("{value} 晚于{what} {day}", "{value} is after {what} {day}"),
    "annex.flag": ("应为“是”或“否”，实际为 {value}", "expected 是 or 否, got {value}"),
    "annex.reported_month": ("报送月份 {month}", "the reported month {month}"),
    "annex.not_month": ("不是月份：{value!r}", "not a month: {value!r}"),
    # checking a deployment's facts file (xfrules.deployment: check --facts, warnings)
    "warning.at": ("警告：{where}：{message}", "warning: {where}: {message}"),
    "deploy.did_you_mean": ("：是否应为 {close!r}？", ": did you mean {close!r}?"),
    "deploy.keys_read": ("（被读取的键：{keys}）", " (the keys read: {keys})"),
    "deploy.unread_metric": (
        "观测指标 {name!r} 没有任何义务读取，因此不构成任何证据{hint}",
        "observation metric {name!r} is read by no obligation, so it evidences nothing{hint}",
    ),
    "deploy.unread_report": (
        "报送键 {name!r} 没有任何义务读取，因此不构成任何证据{hint}",
        "submission report key {name!r} is read by no obligation, so it evidences nothing{hint}",
    ),
    "deploy.record": ("{why}（1 条记录）", "{why} (1 record)"),
    "deploy.records": ("{why}（{n} 条记录）", "{why} ({n} records)"),
    "deploy.record_of": ("{why}（{code} 单位的 1 条记录）", "{why} (1 record of {code} units)"),
    "deploy.records_of": (
        "{why}（{code} 单位的 {n} 条记录）",
        "{why} ({n} records of {code} units)",
    ),
    "deploy.no_units": (
        "事实文件没有列出任何单位：没有可评估的对象",
        "the facts file lists no units: there is nothing to evaluate",
    ),
    "deploy.unit_kind": (
        "没有义务适用于类型 {kind!r}：该单位的所有结论都将是不适用（义务适用的类型：{kinds}）",
        "no obligation applies to kind {kind!r}: every finding of the unit is "
        "not_applicable (kinds the obligations apply to: {kinds})",
    ),
    "deploy.unknown_department": (
        "部门 {department!r} 不是文件点名的部门（也不是其别名）：分配给点名部门的任务不约束该单位",
        "department {department!r} is not one the document names (nor an alias of "
        "one): tasks assigned to named departments do not bind the unit",
    ),
    "deploy.department_kind": (
        "部门 {department!r} 是 {kinds} 类单位的统称，但该单位的类型是 {kind!r}："
        "{name} 的任务只在其类型为 {alternatives} 时约束它",
        "department {department!r} is a collective name for units of kind "
        "{kinds}, but the unit is of kind {kind!r}: "
        "the tasks of {name} bind it only as kind {alternatives}",
    ),
    "deploy.more": ("多于", "more"),
    "deploy.less": ("少于", "less"),
    "deploy.since": ("（自 {day} 起生效）", " (in force from {day})"),
    "deploy.shares_sum": (
        "事实文件中的分解数合计 {total} {unit}，{more}总数{since}：{value} {unit}（相差 {difference}）",
        "the facts file's shares sum to {total} {unit}, {more} than "
        "the total{since}: {value} {unit} (difference {difference})",
    ),
    "deploy.no_share": (
        "单位 {id}（{name}，{kind}）没有分配份额：其结论为证据不足",
        "unit {id} ({name}, {kind}) has no allocated share: its finding is insufficient_evidence",
    ),
    # a plug-in's scenario files (xfrules.scenarios)
    "scenario.unknown_key": ("未知的键 {key!r}{hint}", "unknown key {key!r}{hint}"),
    "scenario.did_you_mean": ("（是否应为 {close!r}？）", " (did you mean {close!r}?)"),
    "scenario.expected": ("（应为以下之一：{known}）", " (expected one of {known})"),
    "scenario.none": ("文件中没有场景", "no scenarios in file"),
    "scenario.duplicate": ("场景名称重复", "duplicate scenario name"),
    "scenario.unknown_unit": (
        "单位 {unit!r} 未在场景的事实中定义（其单位：{units}）",
        "unit {unit!r} is not defined in the scenario's facts (its units: {units})",
    ),
    # the command line
    "cmd.json_and_out": (
        "--format json 会把汇总打印到标准输出，而 --out - 会把交易也写到标准输出：请用 --out 文件",
        "--format json prints the summary on stdout, which --out - fills with "
        "the transactions: give --out FILE",
    ),
    # YAML and JSON files of any kind
    "file.malformed": ("{kind} 格式有误：{detail}", "malformed {kind}: {detail}"),
    "file.cannot_read": ("无法读取文件：{detail}", "cannot read file: {detail}"),
    # what the operating system says (xfrules.errors.os_reason)
    "os.not_found": ("文件或目录不存在", "No such file or directory"),
    "os.permission": ("没有权限", "Permission denied"),
    "os.is_directory": ("这是一个目录，不是文件", "Is a directory"),
    "os.not_directory": ("路径中有一段不是目录", "Not a directory"),
    "os.disk_full": ("磁盘空间已满", "No space left on device"),
    "ledger.is_directory": ("这是一个目录：请给出台账文件", "a directory: give a ledger file"),
}
