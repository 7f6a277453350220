"""The words of the command line's errors and notices, in Chinese and in English: part of the
one catalog (:mod:`xfrules.i18n` merges it), apart from the input messages so each module
stays small.

An :class:`~xfrules.errors.XfrulesError` made with a :class:`~xfrules.i18n.Msg` renders it
when printed (``xfrules: 错误：…``), in the language of whoever prints it. The English entries
are the texts xfrules printed before it spoke Chinese, word for word (``--lang en`` prints
what it always printed). File names, option names, codes and values are parameters, so
they appear verbatim in either language.
"""

from __future__ import annotations

__all__ = ["ERROR_MESSAGES"]

# key: (Chinese, English), the same placeholders in both (tested).
ERROR_MESSAGES: dict[str, tuple[str, str]] = {
    # --- how the command line frames an error, a warning, a bug ---
    "cli.error": ("错误：{message}", "error: {message}"),
    "cli.warning": ("警告：{message}", "warning: {message}"),
    "cli.skipped": ("警告：{error}（已跳过）", "warning: {error} (skipped)"),
    "cli.internal_error": (
        "内部错误（是 xfrules 的缺陷，不是输入的问题）：请连同所用命令和以上各行一并报告",
        "internal error (a bug in xfrules, not in your input): please report it "
        "with the command and the lines above",
    ),
    # --- the error classes' frames ---
    "err.plugin": ("插件 {plugin!r}：{message}", "plug-in {plugin!r}: {message}"),
    "err.definition": ("{subject}：{message}", "{subject}: {message}"),
    # --- plug-ins that do not load (registry, plug-in manager) ---
    "plugin.load_failed": ("加载失败（{error}）", "failed to load ({error})"),
    "plugin.hook_failed": ("钩子函数出错（{error}）", "hook failed ({error})"),
    "plugin.no_hook": ("未实现任何 xfrules 钩子", "implements no xfrules hook"),
    "plugin.no_jurisdiction_hook": (
        "未实现 xfrules_jurisdiction",
        "does not implement xfrules_jurisdiction",
    ),
    "plugin.invalid_data": ("返回的数据无效：{detail}", "returned invalid data: {detail}"),
    "plugin.foreign_items": (
        "有{kind}属于辖区 {foreign}，而不属于 {code!r}",
        "a {kind} belongs to jurisdiction(s) {foreign}, not {code!r}",
    ),
    "plugin.kind.department": ("部门", "department"),
    "plugin.kind.region_set": ("地区名单", "region set"),
    "plugin.kind.obligation": ("义务", "obligation"),
    "plugin.document_elsewhere": (
        "源文件属于辖区 {document!r}，而不属于 {code!r}",
        "source document is for {document!r}, not {code!r}",
    ),
    "plugin.duplicate_obligation": (
        "义务编号 {id!r} 重复声明",
        "obligation id {id!r} is declared twice",
    ),
    "plugin.obligation_prefix": (
        "义务编号 {id!r} 必须以 {prefix!r} 开头",
        "obligation id {id!r} must start with {prefix!r}",
    ),
    "plugin.already_provided": (
        "辖区 {code!r} 已由插件 {other!r} 提供",
        "jurisdiction {code!r} is already provided by {other!r}",
    ),
    "jurisdiction.unknown": (
        "未知的辖区 {codes}（已安装：{known}）",
        "unknown jurisdiction {codes} (installed: {known})",
    ),
    "jurisdiction.none_installed": ("无", "none installed"),
    # --- a plug-in named by its source tree (check, mutate, scenarios) ---
    "tree.no_folder": ("{path}：没有这个插件文件夹", "{path}: no such plug-in folder"),
    "tree.no_src": (
        "{path}：不是插件源码目录（没有 src/ 文件夹）",
        "{path}: not a plug-in source tree (no src/ folder)",
    ),
    "tree.no_entry_point": (
        "{path}：pyproject.toml 中没有 xfrules 入口点，src/ 中也不是恰好一个包",
        "{path}: no xfrules entry point in pyproject.toml and not exactly one package in src/",
    ),
    "tree.imported_elsewhere": (
        "{path}：{module} 是从 {file} 导入的，不是从这个目录",
        "{path}: {module} was imported from {file}, not from this tree",
    ),
    "tree.does_not_load": (
        "{path}：插件无法加载（{detail}）；请运行 xfrules check",
        "{path}: the plug-in does not load ({detail}); run xfrules check",
    ),
    "tree.name_one": (
        "请指定一个插件：-j CODE（已安装的）或 PATH（源码目录）",
        "name one plug-in: -j CODE (installed) or PATH (a source tree)",
    ),
    # --- xfrules check ---
    "check.shared_not_folder": (
        "--shared-sources {path}：不是文件夹",
        "--shared-sources {path}: not a folder",
    ),
    "check.uncompared": (
        "{codes}：随插件提供的文件未与参照副本比对（未找到 shared/sources；"
        "请用 --shared-sources 或 XFRULES_SHARED_SOURCES 指定）",
        "{codes}: shipped documents not compared with their reference copies"
        " (no shared/sources found; use --shared-sources or XFRULES_SHARED_SOURCES)",
    ),
    # --- xfrules submission ---
    "submission.choose_one": (
        "请用 -j 和 --report 选定一份要校验的报送材料（找到的校验器：{offered}）",
        "choose one report to validate with -j and --report (validators found: {offered})",
    ),
    "submission.no_validators": ("无", "none"),
    "submission.file_form": (
        "文件应写成 NAME=FILE，实际为 {item!r}",
        "files are given as NAME=FILE, got {item!r}",
    ),
    # --- xfrules scenarios ---
    "scenarios.no_obligation": ("{code} 中没有义务 {ids}", "no obligation {ids} in {code}"),
    "scenarios.exists": (
        "{path} 已存在（用 --force 覆盖）",
        "{path} exists (use --force to overwrite it)",
    ),
    "scenarios.wrote": (
        "已向 {dir} 写入 {n} 个场景骨架文件",
        "wrote {n} scenario skeleton file(s) to {dir}",
    ),
    # --- xfrules mutate ---
    "mutate.equivalent_not_list": (
        "{where}：'equivalent' 必须是列表",
        "{where}: 'equivalent' must be a list",
    ),
    "mutate.equivalent_item": (
        "{where}：equivalent[{i}]：{detail}",
        "{where}: equivalent[{i}]: {detail}",
    ),
    "mutate.baseline_fails": (
        "警告：未经变异的规则本身就不通过：{failure}",
        "warning: the unmutated rules fail: {failure}",
    ),
    "mutate.stale_equivalent": (
        "警告：mutants.yaml：{obligation} {mutation} {detail} 没有对应的存活变异体：请删除",
        "warning: mutants.yaml: {obligation} {mutation} {detail} "
        "matches no surviving mutant: remove it",
    ),
    "mutate.col.mutation": ("变异", "mutation"),
    "mutate.col.change": ("改动", "change"),
    "mutate.col.survived": ("存活", "survived"),
    "mutate.col.mutants": ("变异体", "mutants"),
    "mutate.col.killed": ("被杀死", "killed"),
    "mutate.col.equivalent": ("等价", "equivalent"),
    "mutate.equivalent": ("等价：{reason}", "equivalent: {reason}"),
    "mutate.unexplained": ("未解释", "UNEXPLAINED"),
    "mutate.progress": (
        "{code}：{n} 个变异体，{scenarios} 个场景",
        "{code}: {n} mutants, {scenarios} scenarios",
    ),
    "mutate.summary": (
        "{code}：{n} 个变异体，用时 {seconds} 秒：杀死 {killed} 个（{score}；check {check}，"
        "场景 {scenarios}{properties}），等价 {equivalent} 个，未解释 {unexplained} 个",
        "{code}: {n} mutants in {seconds} s: {killed} killed ({score}; "
        "check {check}, scenarios {scenarios}{properties}), "
        "{equivalent} equivalent, {unexplained} unexplained",
    ),
    "mutate.properties": ("，性质测试 {n}", ", properties {n}"),
    # --- xfrules new-plugin ---
    "scaffold.bad_code": (
        "插件名 {code!r} 必须是辖区代码：由小写字母、数字和 _ 组成，以字母开头（如 hangzhou）",
        "plug-in name {code!r} must be a jurisdiction code: lowercase letters, "
        "digits and _, starting with a letter (e.g. hangzhou)",
    ),
    "scaffold.installed": (
        "辖区代码 {code!r} 已经安装：{clash}；请换一个代码，或加 --force 仍然生成",
        "jurisdiction code {code!r} is already installed: {clash}; choose another "
        "code, or pass --force to scaffold it anyway",
    ),
    "scaffold.not_empty": ("{target} 已存在且不为空", "{target} already exists and is not empty"),
    # --- the monitor (xfrules watch) ---
    "watch.restored": (
        "已从 {log} 恢复 {n} 个事件；时钟为 {today}",
        "restored {n} events from {log}; clock at {today}",
    ),
    "monitor.other_obligations": (
        "该日志是在另一套义务下写入的，与已安装的义务不同",
        "the log was written under other obligations than those installed",
    ),
    "monitor.bundle": ("{first}及另外 {n} 个事件", "{first} and {n} more"),
    "engine.action_failed": (
        "durable_rules 的动作处理 {bundle} 时出错：{detail}",
        "durable_rules action failed on {bundle}: {detail}",
    ),
    "engine.action_not_run": (
        "durable_rules 未对 {bundle} 执行动作",
        "durable_rules did not run the action for {bundle}",
    ),
    "engine.failed": (
        "durable_rules 处理 {bundle} 时出错：{error}",
        "durable_rules failed on {bundle}: {error}",
    ),
    "engine.handling_failed": ("处理 {bundle} 失败：{error}", "handling {bundle} failed: {error}"),
    "engine.log_must_replay": (
        "提交事件前请挂接新的日志（日志必须能够重放）",
        "attach a new log before posting events (a log must replay)",
    ),
}
