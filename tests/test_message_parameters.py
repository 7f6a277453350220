"""Every message the code renders is given exactly the parameters its words name.

A message is rendered when it is read — often when a rejected row or a finding is printed, far
from where it was made — so a missing parameter would surface as a crash on someone's bad
input, and a misspelt one as a placeholder printed as is. Each call of ``t("key", …)`` or
``Msg("key", …)`` with a literal key is read from the source and checked against the catalog.
"""

from __future__ import annotations

import ast
import importlib
import string
from pathlib import Path

from xfrules.i18n import MESSAGES

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [*(ROOT / "src").rglob("*.py"), *(ROOT / "plugins").glob("*/src/**/*.py")]


def _placeholders(text: str) -> set[str]:
    return {
        name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name
    }


def _calls(sources: list[Path]) -> list[tuple[str, int, str, set[str]]]:
    """(file, line, key, keyword names) of each t/Msg call with a literal key and no **."""
    found = []
    for path in sources:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else None
            key = node.args[0]
            if name not in ("t", "Msg") or not isinstance(key, ast.Constant):
                continue
            if not isinstance(key.value, str) or any(k.arg is None for k in node.keywords):
                continue
            names = {k.arg for k in node.keywords if k.arg is not None}
            found.append((str(path), node.lineno, key.value, names))
    return found


def _wrong(calls: list[tuple[str, int, str, set[str]]]) -> list[str]:
    wrong = []
    for where, line, key, given in calls:
        if key not in MESSAGES:
            wrong.append(f"{where}:{line} {key}: not in the catalog")
            continue
        zh, en = MESSAGES[key]
        named = _placeholders(zh) | _placeholders(en)
        if named != given:
            wrong.append(f"{where}:{line} {key}: words name {sorted(named)}, given {sorted(given)}")
    return wrong


def test_each_message_is_given_the_parameters_its_words_name() -> None:
    for own in (ROOT / "plugins").glob("*/src/*/messages.py"):  # a plug-in's own words
        importlib.import_module(f"{own.parent.name}.messages")
    calls = _calls(SOURCES)
    assert len(calls) > 300, "the source was not read: the test would prove nothing"
    assert _wrong(calls) == []


def test_the_check_tells_a_missing_a_misspelt_and_an_unknown_parameter(tmp_path: Path) -> None:
    key = next(k for k, (zh, _) in MESSAGES.items() if len(_placeholders(zh)) >= 1)
    names = sorted(_placeholders(MESSAGES[key][0]))
    good = ", ".join(f"{n}=1" for n in names)
    source = tmp_path / "mod.py"
    source.write_text(
        f"t({key!r}, {good})\n"
        f"Msg({key!r})\n"  # none given
        f"t({key!r}, {good}, typo=2)\n"
        "Msg('no.such.key')\n",
        encoding="utf-8",
    )
    wrong = _wrong(_calls([source]))
    assert [w.split(" ", 1)[0].rsplit(":", 1)[1] for w in wrong] == ["2", "3", "4"]
