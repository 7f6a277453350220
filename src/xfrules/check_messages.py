"""The words of ``xfrules check``'s problems for plug-in authors, in Chinese and in English:
part of the one catalog (:mod:`xfrules.i18n` merges it).

A check reports ``c.error(subject, code, Msg(...))``; the problem's ``code`` (check/codes.py)
is the stable name programs read, the message is rendered in the language of the run
(``--lang``). The English entries are the texts the checks gave before, word for word.
Field names (valid_to, effective_from), file names and values are parameters or kept
verbatim, so an author can find them in the YAML.
"""

from __future__ import annotations

__all__ = ["CHECK_MESSAGES"]

# key: (Chinese, English), the same placeholders in both (tested).
CHECK_MESSAGES: dict[str, tuple[str, str]] = {
    "chk.none": ("无", "none"),
    # the table and summary xfrules check prints (commands/check.py); severities and check
    # codes stay as JSON gives them
    "chk.col.jurisdiction": ("辖区", "jurisdiction"),
    "chk.col.severity": ("级别", "severity"),
    "chk.col.subject": ("对象", "subject"),
    "chk.col.check": ("检查", "check"),
    "chk.col.problem": ("问题", "problem"),
    "chk.col.waived_check": ("豁免的检查", "waived check"),
    "chk.col.reason": ("理由", "reason"),
    "chk.summary": (
        "已检查 {checked}{not_loaded}：{errors}，{warnings}{waived}",
        "checked {checked}{not_loaded}: {errors}, {warnings}{waived}",
    ),
    "chk.nothing": ("（无）", "nothing"),
    "chk.not_loaded": ("（无法加载 {names}）", " (could not load {names})"),
    "chk.errors_one": ("错误 1 项", "1 error"),
    "chk.errors": ("错误 {n} 项", "{n} errors"),
    "chk.warnings_one": ("警告 1 项", "1 warning"),
    "chk.warnings": ("警告 {n} 项", "{n} warnings"),
    "chk.waived": ("，豁免 {n} 项", ", {n} waived"),
    # a plug-in source tree that cannot be read (check/loader.py)
    "chk.cannot_import": ("无法导入 {target}：{error}", "cannot import {target}: {error}"),
    # dates (check/dates.py)
    "chk.valid_to_before_from": (
        "valid_to {valid_to} 早于 valid_from {valid_from}",
        "valid_to {valid_to} is before valid_from {valid_from}",
    ),
    "chk.period_end_before_start": ("期间的结束日早于开始日", "period end is before its start"),
    "chk.due_before_start": (
        "期间在开始（{start}）之前就已到期（{due}）",
        "period is due ({due}) before it starts ({start})",
    ),
    "chk.due_before_end": (
        "截止日 {due} 早于计量期间结束（{end}）：之后的事实会改变已到期的结论",
        "due {due}, before the measured period ends ({end}): later facts "
        "change a finding already due",
    ),
    "chk.period_outside_validity": (
        "计量期间在有效期之外",
        "the measured period lies outside the validity",
    ),
    "chk.baseline_end_before_start": (
        "基数期间的结束日 {end} 早于开始日 {start}",
        "baseline end {end} is before its start {start}",
    ),
    "chk.effective_to_before_from": (
        "thresholds[{i}]：effective_to 早于 effective_from",
        "thresholds[{i}]: effective_to is before effective_from",
    ),
    "chk.threshold_never_in_force": (
        "thresholds[{i}] 只在有效期 {valid_from}..{valid_to} 之外生效",
        "thresholds[{i}] is in force only outside the validity {valid_from}..{valid_to}",
    ),
    "chk.thresholds_overlap": (
        "thresholds[{i}] 与 thresholds[{j}] 自 {day} 起同时生效；"
        "请分别给出各自的 effective_from/effective_to",
        "thresholds[{i}] and thresholds[{j}] are both in force from {day}; "
        "give each its effective_from/effective_to",
    ),
    # region sets (check/region_sets.py)
    "chk.region_listed_twice": (
        "地区 {region} 重复列出",
        "region {region} is listed more than once",
    ),
    "chk.region_set_short": (
        "文件写明 {expected} 个地区，列出了 {n} 个；其余须由部署方在事实文件中补充",
        "the document states {expected} regions, {n} are listed; "
        "a deployment must add the rest through its facts file",
    ),
    "chk.region_set_size": (
        "文件写明 {expected} 个地区，但列出了 {n} 个",
        "the document states {expected} regions but {n} are listed",
    ),
    "chk.unknown_region_set": (
        "按地区名单 {name!r} 筛选，但插件未声明该名单",
        "filters on region set {name!r}, which the plug-in does not declare",
    ),
    # departments and unit kinds (check/departments.py)
    "chk.role.lead": ("牵头", "lead"),
    "chk.role.responsible": ("责任", "responsible"),
    "chk.role.participant": ("参与", "participant"),
    "chk.role.excluded": ("排除", "excluded"),
    "chk.undeclared_department": (
        "{role}部门 {name!r} 未在辖区中声明（已声明：{declared}）",
        "{role} department {name!r} is not declared by the jurisdiction (declared: {declared})",
    ),
    "chk.excluded_alias": (
        "排除的部门 {name!r} 是别名：请写 {canonical!r}",
        "excluded department {name!r} is an alias: write {canonical!r}",
    ),
    "chk.unknown_recipient": (
        "报告接收单位 {recipient!r} 不是已声明的部门",
        "report recipient {recipient!r} is not a declared department",
    ),
    "chk.binds_nothing": (
        "设置了 named_departments_only，但该义务没有点名任何部门",
        "named_departments_only is set but the obligation names no department",
    ),
    "chk.undeclared_unit_kind": (
        "适用于单位类型 {kind!r}，但辖区未声明该类型（unit_kinds：{kinds}）",
        "applies to unit kind {kind!r}, which the jurisdiction does not declare "
        "(unit_kinds: {kinds})",
    ),
    "chk.unused_unit_kind": (
        "涵盖单位类型 {kind!r}，但没有义务适用于该类型",
        "covers unit kind {kind!r}, which no obligation applies to",
    ),
    # identity (check/identity.py)
    "chk.obligation_twice": ("义务编号重复声明", "obligation id is declared more than once"),
    "chk.department_twice": ("部门重复声明", "department is declared more than once"),
    "chk.region_set_twice": ("地区名单重复声明", "region set is declared more than once"),
    "chk.clause_twice": ("条款重复声明", "clause is declared more than once"),
    "chk.alias_clash": (
        "别名 {alias!r} 同时指向另一个部门",
        "alias {alias!r} also names another department",
    ),
    "chk.wrong_jurisdiction": (
        "属于 {owner!r}，而不属于 {code!r}",
        "belongs to {owner!r}, not {code!r}",
    ),
    "chk.id_prefix": (
        "义务编号必须以 {prefix!r} 开头",
        "obligation id must start with {prefix!r}",
    ),
    # allocations (check/allocations.py)
    "chk.allocation_kind": (
        "allocated_kinds 列出了 {kind!r}，但该义务不适用于这一类型",
        "allocated_kinds names {kind!r}, a kind the obligation does not apply to",
    ),
    "chk.no_allocations": (
        "设置了 allocated_kinds，但没有 allocations：这类单位的结论都将是证据不足",
        "allocated_kinds is set but there are no allocations: every such unit lacks evidence",
    ),
    "chk.allocated_twice": ("{name} 的份额重复分配", "{name} is allocated more than once"),
    "chk.allocation_negative": ("分配给 {name} 的份额为负数", "allocation to {name} is negative"),
    "chk.allocation_region": ("分配给 {name} 的份额：{why}", "allocation to {name}: {why}"),
    "chk.allocations_sum": (
        "allocations 合计 {total} {unit}，但 thresholds[{i}]（上级总数）为 {value} {unit}"
        "（相差 {difference}）",
        "allocations sum to {total} {unit}, but thresholds[{i}] (the parent "
        "total) is {value} {unit} (difference {difference})",
    ),
    # thresholds (check/thresholds.py); {where} is thresholds[i], as the YAML writes it
    "chk.unit_not_ratio": (
        "{where}：{kind} 比较的是比率，unit 必须是 'ratio'，而不是 {unit!r}",
        "{where}: a {kind} compares ratios; its unit must be 'ratio', not {unit!r}",
    ),
    "chk.unit_is_ratio": (
        "{where}：这一计量上的 {kind} 是{measure}，不是比率",
        "{where}: a {kind} on this measure is a {measure}, not a ratio",
    ),
    "chk.measure.money": ("金额", "money amount"),
    "chk.measure.count": ("计数", "count"),
    "chk.money_in_yuan": (
        "{where}：金额以 元 计量，而不是 {unit!r}",
        "{where}: money is measured in 元, not {unit!r}",
    ),
    "chk.count_not_yuan": ("{where}：计数不以 元 计量", "{where}: a count is not measured in 元"),
    "chk.count_whole": (
        "{where}：计数的指标必须是整数",
        "{where}: a count threshold must be a whole number",
    ),
    "chk.growth_below": (
        "{where}：增长率不可能低于 −100%",
        "{where}: growth below −100% is impossible",
    ),
    "chk.negative_threshold": (
        "{where}：指标值不能为负数",
        "{where}: threshold value must not be negative",
    ),
    "chk.share_range": (
        "{where}：比例应在 0 到 1 之间（10% 写作 0.10），实际为 {value}",
        "{where}: a share is between 0 and 1 (10% is 0.10), got {value}",
    ),
    "chk.value_not_in_quote": (
        "{where}：数值 {value}（{unit}）不是其引文 {quote!r} 中写明的数（引文写明的是：{stated}）",
        "{where}: value {value} ({unit}) is not a number its quote "
        "{quote!r} states (it states: {stated})",
    ),
    # the shipped document against the shared reference copy (check/shared_sources.py)
    "chk.source_differs": (
        "随插件提供的源文件与 {copy} 不一致（第 {line} 行起不同）；请逐字节照原样提供文件",
        "shipped source differs from {copy} (first difference at line {line}); "
        "ship the document byte for byte",
    ),
    # how to record a deliberate decision that silences check {code}, ending a problem
    "chk.waiver_hint": (
        "或者，如系有意为之，加上豁免：waivers: [{{check: {code}, reason: ...}}]",
        "or, if deliberate, waive it: waivers: [{{check: {code}, reason: ...}}]",
    ),
    # dates and periods against the document's words (check/time_words.py)
    "chk.date_unstated": (
        "{what} {day} 不是文件写明的日期（也不是辖区的印发日期）：请取自原文，"
        "或在 notes 中写明这一决定（日期及理由），{hint}",
        "{what} {day} is a date the document does not write (nor the "
        "jurisdiction's issued date): take it from the text, or give the "
        "decision in notes (the date and why), {hint}",
    ),
    "chk.monthly_unsaid": (
        "按月计量，但其句子 {sentence!r} 没有说 每月/按月/月度：请按原文给出的期间计量，{hint}",
        "measured monthly, but its sentence {sentence!r} says no "
        "每月/按月/月度: use the period the words give, {hint}",
    ),
    "chk.monthly_said": (
        "其引文说 {said!r}，但计量期间为 {frequency}：请按月计量，{hint}",
        "its quote says {said!r}, but it is measured {frequency}: measure it monthly, {hint}",
    ),
    # modality against the duty's words (check/modality.py); modality values stay as the
    # YAML writes them (mandatory, encouraged, aspirational)
    "chk.quote_heading": (
        "其引文 {quote!r} 只是条款 {clause} 的标题：请引用该义务本身的文字"
        "（标题的性质和责任方不是其下各句的），{hint}",
        "its quote {quote!r} is only the heading of clause "
        "{clause}: quote the duty's own words (a heading's modality and "
        "parties are not its sentences'), {hint}",
    ),
    "chk.modality_mixed": (
        "其引文 {quote!r} 包含 {n} 种性质的义务（{said}）：性质一变即是另一项义务"
        "——请把每项编码为单独的义务，{hint}",
        "its quote {quote!r} holds duties of {n} modalities "
        "({said}): a change of modality starts a new duty — encode each as its own "
        "obligation, {hint}",
    ),
    "chk.modality_said": (
        "原文表明其性质为 {expected}（{text!r} 中的 {said}）",
        "its words say {expected} ({said} in {text!r})",
    ),
    "chk.modality_unsaid": (
        "其引文 {quote!r} 没有表示性质的词（鼓励/支持/可…、力争）：直接的要求即为约束性"
        "——如不是，请引用表明这一点的词",
        "its quote {quote!r} has no modal word (鼓励/支持/可…, 力争): a "
        "plain directive is mandatory — quote the word that makes it otherwise",
    ),
    "chk.modality": (
        "编码为 {modality}，但{why}；请设为 modality: {expected}，{hint}",
        "encoded {modality}, but {why}; set modality: {expected}, {hint}",
    ),
    # clauses.yaml against the obligations (xfrules/coverage.py: xfrules coverage and check)
    "cov.encoded_uncited": (
        "标为 encoded，但没有义务引用它",
        "marked encoded but no obligation cites it",
    ),
    "cov.context_no_reason": ("标为 context，但没有写理由", "marked context without a reason"),
    "cov.context_cited": (
        "标为 context，但有义务引用它",
        "marked context but obligations cite it",
    ),
    "cov.unlocated": (
        "在文件中找不到（其编号、标题和 `starts` 都不在文中）：请在 `starts:` 中写上它开头的文字",
        "cannot be found in the document (neither its number, its heading nor "
        "`starts` is there): give `starts:` the words it begins with",
    ),
    "cov.undeclared_clause": (
        "有义务引用了插件未声明的条款",
        "obligations cite a clause the plug-in does not declare",
    ),
    "cov.no_clauses": ("插件没有声明任何条款", "plug-in declares no clauses"),
    # xfrules coverage's clause table and summary (commands/coverage.py); the accounting
    # codes (encoded, heading, parties, context) stay as JSON gives them
    "cov.col.heading": ("标题", "heading"),
    "cov.col.disposition": ("处理", "disposition"),
    "cov.col.obligations": ("义务", "obligations"),
    "cov.summary": (
        "共 {n} 句，{m} 个条款：{counts}；{gaps}{problems}",
        "{n} sentences in {m} clauses: {counts}; {gaps}{problems}",
    ),
    "cov.count": ("{kind} {n} 句", "{n} {kind}"),
    "cov.sep": ("，", ", "),
    "cov.gaps_one": ("缺口 1 句", "1 gap"),
    "cov.gaps": ("缺口 {n} 句", "{n} gaps"),
    "cov.problems_one": ("；条款问题 1 项", "; 1 clause problem"),
    "cov.problems": ("；条款问题 {n} 项", "; {n} clause problems"),
    # quotes and sentences against the clauses (check/coverage.py)
    "chk.quote_clause": (
        "引用的是条款 {clause}，但其引文位于{actual}：请引用引文所在的条款",
        "cites clause {clause}, but its quote lies in {actual}: cite the clause it is in",
    ),
    "chk.in_clause": ("条款 {clause}", "clause {clause}"),
    "chk.no_declared_clause": ("任何已声明的条款之外", "no declared clause"),
    "chk.context_mark": (
        "context[{i}] 的引文 {quote!r} 不在该条款内：请把它标注在所在的条款下",
        "context[{i}] quote {quote!r} lies outside the clause: mark it under the clause it is in",
    ),
    "chk.sentence_gap": (
        "第 {index} 句既未编码也未标为 context：{text!r}{words}；{fix}",
        "sentence {index} is neither encoded nor context: {text!r}{words}; {fix}",
    ),
    "chk.gap_says": ("（其中有 {words}）", " (it says {words})"),
    "chk.gap_fix_preamble": (
        "为第一条之前的文字声明一个条款（如 序言，disposition: context，并写明理由）",
        "declare a clause for the text before the first clause (e.g. 序言, "
        "disposition: context, with a reason)",
    ),
    "chk.gap_fix_clause": (
        "把其中的义务编码到引文涵盖该句的义务中，或在 clauses.yaml 的 {clause} 下标注："
        "context: [{{quote: ..., reason: ...}}]",
        "encode its duty in an obligation whose quote covers it, or mark it in "
        "clauses.yaml under {clause}: context: [{{quote: ..., reason: ...}}]",
    ),
    # obligations that no value can satisfy together (check/consistency.py)
    "chk.contradiction": (
        "与 {other} 在 {kinds} 上相互矛盾（{frequency}，自 {day} 起）：没有任何数值能同时满足 {a} 和 {b}",
        "contradicts {other} for {kinds} ({frequency}, from {day}): no value satisfies both "
        "{a} and {b}",
    ),
    # whom a duty applies to against its words (check/applicability.py)
    "chk.no_applicability_table": (
        "没有适用对象表：applies_to 无法与义务的文字对照；"
        "请声明 `applicability: {{WORD: [unit kinds]}}`（帮扶: [pairing_unit]…）",
        "no applicability table: applies_to cannot be read against the duties' words; "
        "declare `applicability: {{WORD: [unit kinds]}}` (帮扶: [pairing_unit]…)",
    ),
    "chk.applicability_word_kind": (
        "适用对象词 {word!r} 指向 {kind!r}，但辖区未声明该类型（unit_kinds：{kinds}）",
        "applicability word {word!r} addresses {kind!r}, which the "
        "jurisdiction does not declare (unit_kinds: {kinds})",
    ),
    "chk.applicability": (
        "适用于 {kind}，但其引文和所在句子 {sentences!r} 都没有说 {words}"
        "（jurisdiction.yaml 为 {kind} 给出的词）{heard}：请约束文字所指的类型，{hint}",
        "applies to {kind}, but neither its quote nor its sentence says {words} "
        "(the words jurisdiction.yaml gives {kind}) in {sentences!r}"
        "{heard}: bind the kinds the words address, {hint}",
    ),
    "chk.applicability_heard": ("；其文字指向 {pairs}", "; its words address {pairs}"),
    "chk.applicability_party": (
        "适用于 {kind}，但适用对象表中没有词指向它，其约束的各方（{parties}）也都不代表它"
        "（covers_kinds）：请约束其各方所属的类型，或在 jurisdiction.yaml 中为 {kind} "
        "给出相应的词，{hint}",
        "applies to {kind}, which no word of the applicability table addresses and none "
        "of the parties it binds ({parties}) stands for (covers_kinds): "
        "bind the kinds its parties are, give {kind} its words in jurisdiction.yaml, {hint}",
    ),
    # the parties a duty binds against its department list (check/binding.py); lead,
    # responsible, participants are the YAML's keys, 牵头/负责/配合 the document's words
    "chk.party_recipient": (
        "约束报告的接收方 {recipient} 向自己报送：请约束报送的各方，{hint}",
        "binds {recipient}, the recipient of the report, to report to itself: "
        "bind those who report, {hint}",
    ),
    "chk.party_undeclared": (
        "其部门名单 {list!r} 提到 {name!r}，但 jurisdiction.yaml 未声明：请声明它"
        "（或作为其所指部门的别名加入），{hint}（加在条款上）",
        "its department list {list!r} names {name!r}, which "
        "jurisdiction.yaml does not declare: declare it (or add it as an alias of the "
        "department it is), {hint} on the clause",
    ),
    "chk.party_unbound_list": (
        "其部门名单 {list!r} 列 {name} 为{role}单位，但这些句子的义务（{ids}）都没有约束它："
        "请把它加入所承担义务的 lead 或 responsible，{hint}（加在条款上）",
        "its department list {list!r} makes {name} {role}, but "
        "no duty of those sentences binds it ({ids}): add it to the lead or "
        "responsible of the duties it carries, {hint} on the clause",
    ),
    "chk.party_unbound_sentence": (
        "第 {n} 句 {text!r} 由 {ids} 编码，但它们都没有约束其部门名单或其文字给出的责任方"
        "（{given}）：请约束原文为该义务给出的各方，{hint}（加在条款上）",
        "sentence {n} {text!r} is encoded by {ids}, but none of them binds a party its "
        "department list or its words give ({given}): bind the "
        "parties the text gives the duty, {hint} on the clause",
    ),
    "chk.party_dropped": (
        "第 {n} 句 {text!r} 没有点名自己的责任方，因此其部门名单 {list!r} 的各方都适用于它，"
        "但其义务（{ids}）没有约束 {dropped}：请一并约束，{hint}（加在条款上）",
        "sentence {n} {text!r} names no party of its own, so its "
        "department list {list!r} gives it every party, but its duty "
        "({ids}) does not bind {dropped}: bind them too, {hint} on the clause",
    ),
    "chk.participant_bound": (
        "把 {party} 约束为 {role}，但其部门名单列它为参与方（{word}）：请记在 participants 下，{hint}",
        "binds {party} as {role}, but its department list makes it a participant "
        "({word}): record it under participants, {hint}",
    ),
    "chk.party_not_named": (
        "把 {party} 约束为 {role}，但{where}：请约束原文为该义务给出的各方，{hint}",
        "binds {party} as {role}, but neither {where}: bind the parties the text "
        "gives the duty, {hint}",
    ),
    "chk.not_named_in_list": (
        "其部门名单（{lists}）和其句子都没有提到它",
        "its department list ({lists}) nor its sentences name it",
    ),
    "chk.not_named_no_list": (
        "其句子没有提到它（这些句子没有部门名单）",
        "its sentences name it (they have no department list)",
    ),
    "chk.party_role": (
        "把 {party} 约束为 {role}，但其部门名单列它为{word}（{given}）：请约束为 {given}，{hint}",
        "binds {party} as {role}, but its department list makes it "
        "{word} ({given}): bind it as {given}, {hint}",
    ),
    # comparators against the words that bound a number (check/comparators.py); the
    # comparators ('>=', 'between') and approximate/tolerance are the YAML's own
    "chk.range_unstated": (
        "{where}：'between' {lo} 与 {hi}，但其引文没有写这一区间（{lo}－{hi}）："
        "请使用原文所示的比较方式，{hint}",
        "{where}: 'between' {lo} and {hi}, but its quotes state "
        "no such range ({lo}－{hi}): use the comparator the words give, {hint}",
    ),
    "chk.range_stated": (
        "{where}：其引文写明区间 {lo}－{hi}：比较方式应为 'between'，upper 为 {hi}"
        "（以下限为准），而不是 {comparator!r}，{hint}",
        "{where}: its quote states the range {lo}－{hi}: the comparator is "
        "'between' with upper {hi} (the lower bound binds), not {comparator!r}, {hint}",
    ),
    "chk.unworded": (
        "{where}：{comparator!r} {value}，但 {quote!r} 中没有词把 {value} 定为严格界限"
        "（超过/高于/低于/不足）：写明的目标达到该数即算达成——请用 {inclusive!r}，{hint}",
        "{where}: {comparator!r} {value}, but no word of {quote!r} makes "
        "{value} a strict bound (超过/高于/低于/不足): a stated target is reached at "
        "the number — use {inclusive!r}, {hint}",
    ),
    "chk.approximate_said": (
        "{where}：{quote!r} 中的 {value} 带有 {words}：请设 approximate: true（在容差内即为达标），{hint}",
        "{where}: {quote!r} says {words} of {value}: "
        "set approximate: true (met within the tolerance), {hint}",
    ),
    "chk.approximate_unsaid": (
        "{where}：设为 approximate，但 {quote!r} 中的 {value} 既没有 约 也没有 左右："
        "请去掉 approximate，{hint}",
        "{where}: approximate, but {quote!r} says neither 约 nor 左右 of "
        "{value}: drop approximate, {hint}",
    ),
    "chk.tolerance": (
        "{where}：容差 {tolerance} 是原文没有写明的决定：请在该义务的 notes 和 README 中写明它"
        "（写作 {percent} 或 {tolerance}）及理由",
        "{where}: tolerance {tolerance} is a decision the text does not state: write it "
        "(as {percent} or {tolerance}) and why in the obligation's notes and the README",
    ),
    "chk.comparator": (
        "{where}：{label} {quote!r} 用 {said} 限定 {value}，{meaning}：比较方式必须是 "
        "{expected!r}，而不是 {comparator!r}",
        "{where}: {label} {quote!r} bounds {value} with {said}, {meaning}: the comparator must be "
        "{expected!r}, not {comparator!r}",
    ),
    "chk.label.own_quote": ("其引文", "its quote"),
    "chk.label.source_quote": ("源引文", "the source quote"),
    "chk.meaning.>=": ("即含本数的下限", "an inclusive floor"),
    "chk.meaning.<=": ("即含本数的上限", "an inclusive ceiling"),
    "chk.meaning.>": ("即不含本数的下限", "a strict floor"),
    "chk.meaning.<": ("即不含本数的上限", "a strict ceiling"),
    # numbers the duty states (check/stated_numbers.py)
    "chk.duty_number": (
        "其引文写明 {value}（{words!r}），但没有任何 threshold（也没有地区名单的数量、"
        "分配份额或截止日）编码它：请加以编码，{hint}，并说明这个数是什么",
        "its quote states {value} ({words!r}), which none of its thresholds "
        "(nor a region set's size, an allocation or a due day) encodes: encode it, "
        "{hint} saying what the number is",
    ),
    # the source document (check/quotes.py)
    "chk.not_verbatim": (
        "{what} {quote!r} 没有原样出现在 {file} 中：{hint}",
        "{what} {quote!r} is not verbatim in {file}: {hint}",
    ),
    "chk.quote_spaces": (
        "与文件只差空格或换行；请原样复制",
        "it differs from the document only in spaces or line breaks; copy it exactly",
    ),
    "chk.quote_width": (
        "与文件只差全角/半角字符；请原样复制",
        "it differs from the document in fullwidth/halfwidth characters; copy it exactly",
    ),
    "chk.quote_absent": ("文件中没有它的任何部分", "no part of it occurs in the document"),
    "chk.quote_stops": (
        "文件中有 {found!r}，但没有其后的 {rest!r}…",
        "the document has {found!r} but not what follows: {rest!r}…",
    ),
    "chk.no_document": (
        "插件没有附带源文件（source.txt），无法核对任何引文",
        "the plug-in ships no source document (source.txt), so no quote can be checked",
    ),
    "chk.wrong_document": (
        "引用的文件是 {cited!r}，但插件编码的是 {encoded!r}",
        "cites document {cited!r}, but the plug-in encodes {encoded!r}",
    ),
    # waivers (check/__init__.py)
    "chk.waiver_unknown": (
        "豁免了 {check!r}，但 xfrules check 没有这项检查（检查代码见 docs/guide.md）",
        "waives {check!r}, which is no check of xfrules check "
        "(the codes are listed in docs/guide.md)",
    ),
    "chk.waiver_unused": (
        "豁免了 {check!r}，但这项检查在此处没有可豁免的问题：编码已不再像豁免所说的那样"
        "偏离原文——请删除该豁免，或恢复它所记录的解读",
        "waives {check!r}, but that check finds nothing to silence here: "
        "the encoding no longer departs from the words as the waiver says — remove "
        "the waiver, or restore the reading it records",
    ),
}
