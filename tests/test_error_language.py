"""The command line's errors and notices in the user's language: Chinese unless English is
asked for, with paths, option names, codes and values verbatim, and under ``--lang en`` (or
``$XFRULES_LANG=en``) the very English xfrules printed before it spoke Chinese."""

from __future__ import annotations

import contextlib
import io
import re
import string
from collections.abc import Callable
from pathlib import Path

import pytest

import xfrules.commands.plugins as plugins_command
from xfrules.check_messages import CHECK_MESSAGES
from xfrules.cli import EXIT_BAD_INPUT, EXIT_INTERNAL, main
from xfrules.error_messages import ERROR_MESSAGES
from xfrules.errors import DefinitionError, PluginError, XfrulesError
from xfrules.i18n import MESSAGES, Msg, use_lang
from xfrules.registry import unknown_jurisdiction


@pytest.fixture(autouse=True)
def _no_language_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XFRULES_LANG", raising=False)


def _fields(text: str) -> list[str]:
    return sorted(f for _, f, _, _ in string.Formatter().parse(text) if f)


@pytest.mark.parametrize("catalog", [ERROR_MESSAGES, CHECK_MESSAGES], ids=["errors", "check"])
def test_every_error_message_has_both_languages_with_the_same_placeholders(
    catalog: dict[str, tuple[str, str]],
) -> None:
    assert len(catalog) > 30
    for key, (zh, en) in catalog.items():
        assert zh.strip() and en.strip(), key
        assert _fields(zh) == _fields(en), key
        assert MESSAGES[key] == (zh, en), key  # merged into the one catalog
        assert re.search(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]", zh), key


# (command line, the Chinese, the English xfrules always printed); {tmp} is the test's folder.
CASES: list[tuple[list[str], str, str]] = [
    (
        ["mutate"],
        "错误：请指定一个插件：-j CODE（已安装的）或 PATH（源码目录）",
        "error: name one plug-in: -j CODE (installed) or PATH (a source tree)",
    ),
    (
        ["mutate", "{tmp}/nowhere"],
        "错误：{tmp}/nowhere：没有这个插件文件夹",
        "error: {tmp}/nowhere: no such plug-in folder",
    ),
    (
        ["check", "--shared-sources", "{tmp}/nowhere"],
        "错误：--shared-sources {tmp}/nowhere：不是文件夹",
        "error: --shared-sources {tmp}/nowhere: not a folder",
    ),
    (
        ["new-plugin", "Hang-Zhou", "--dir", "{tmp}"],
        "错误：插件名 'Hang-Zhou' 必须是辖区代码：由小写字母、数字和 _ 组成，以字母开头（如 hangzhou）",
        "error: plug-in name 'Hang-Zhou' must be a jurisdiction code: lowercase letters, "
        "digits and _, starting with a letter (e.g. hangzhou)",
    ),
    (
        [
            "submission",
            "-j",
            "suzhou",
            "--report",
            "no-such-report",
            "--period",
            "2020-03",
            "--delivered",
            "2020-04-01",
            "a=b",
        ],
        "错误：请用 -j 和 --report 选定一份要校验的报送材料（找到的校验器：无）",
        "error: choose one report to validate with -j and --report (validators found: none)",
    ),
]


def _cli(tmp_path: Path, argv: list[str], *lang: str) -> tuple[int, str, Callable[[str], str]]:
    """Exit code and stderr of ``xfrules ARGV`` ({tmp} filled in), and the filling."""

    def fill(text: str) -> str:
        return text.replace("{tmp}", str(tmp_path))

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main([fill(a) for a in argv] + list(lang))
    return code, err.getvalue(), fill


@pytest.mark.parametrize(("argv", "zh", "en"), CASES, ids=[" ".join(c[0][:3]) for c in CASES])
def test_a_command_line_error_is_chinese_by_default_and_the_old_english_on_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str], zh: str, en: str
) -> None:
    code, err, fill = _cli(tmp_path, argv)
    assert (code, err) == (EXIT_BAD_INPUT, f"xfrules: {fill(zh)}\n")
    code, err, fill = _cli(tmp_path, argv, "--lang", "en")
    assert (code, err) == (EXIT_BAD_INPUT, f"xfrules: {fill(en)}\n")
    monkeypatch.setenv("XFRULES_LANG", "en")
    assert _cli(tmp_path, argv)[:2] == (EXIT_BAD_INPUT, f"xfrules: {fill(en)}\n")


def test_an_unknown_jurisdiction_names_the_installed_ones_in_either_language(
    tmp_path: Path,
) -> None:
    code, err, _ = _cli(tmp_path, ["mutate", "-j", "nosuch"])
    assert code == EXIT_BAD_INPUT
    assert re.fullmatch(
        r"xfrules: 错误：未知的辖区 nosuch（已安装：[a-z_, ]*suzhou[a-z_, ]*）\n", err
    )
    code, err, _ = _cli(tmp_path, ["mutate", "-j", "nosuch", "--lang", "en"])
    assert re.fullmatch(
        r"xfrules: error: unknown jurisdiction nosuch \(installed: [a-z_, ]*suzhou[a-z_, ]*\)\n",
        err,
    )
    with use_lang("zh"):
        assert (
            str(XfrulesError(unknown_jurisdiction(["a", "b"], [])))
            == "未知的辖区 a, b（已安装：无）"
        )
    with use_lang("en"):
        none = XfrulesError(unknown_jurisdiction(["a", "b"], []))
        assert str(none) == "unknown jurisdiction a, b (installed: none installed)"
        assert none.code == "jurisdiction.unknown"


def test_a_bug_is_told_in_chinese_and_in_the_old_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(args: object) -> int:
        raise RuntimeError("unexpected")

    monkeypatch.setattr(plugins_command, "run", broken)
    code, err, _ = _cli(tmp_path, ["plugins"])
    assert code == EXIT_INTERNAL
    assert err.endswith(
        "xfrules: 内部错误（是 xfrules 的缺陷，不是输入的问题）：请连同所用命令和以上各行一并报告\n"
    )
    code, err, _ = _cli(tmp_path, ["plugins", "--lang", "en"])
    assert code == EXIT_INTERNAL
    assert err.endswith(
        "xfrules: internal error (a bug in xfrules, not in your input): please report it "
        "with the command and the lines above\n"
    )


def test_an_error_reads_in_the_language_of_whoever_shows_it() -> None:
    # Made while Chinese is current (a plug-in loads at start-up), shown in English later.
    with use_lang("zh"):
        error = PluginError("xfrules_zz", Msg("plugin.load_failed", error="ImportError: x"))
        assert str(error) == "插件 'xfrules_zz'：加载失败（ImportError: x）"
    with use_lang("en"):
        assert str(error) == "plug-in 'xfrules_zz': failed to load (ImportError: x)"
    assert (error.plugin, error.code) == ("xfrules_zz", "err.plugin")
    log = DefinitionError("监测.log", Msg("monitor.other_obligations"))
    with use_lang("zh"):
        assert str(log) == "监测.log：该日志是在另一套义务下写入的，与已安装的义务不同"
    with use_lang("en"):
        assert (
            str(log) == "监测.log: the log was written under other obligations than those installed"
        )


def test_a_plain_text_error_is_kept_as_written_and_masked() -> None:
    # Third-party words (another library's message) are not translated, but still masked.
    error = PluginError("p", "hook failed for 110105194912310021")
    with use_lang("zh"):
        assert str(error) == "插件 'p'：hook failed for 110105********0021"
    assert XfrulesError("plain").code == ""
