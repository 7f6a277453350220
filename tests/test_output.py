"""What auditors get (issue 16): Chinese first, English on request; one renderer registry for
--format and --out; files Excel opens; selections that say why they are empty; whole texts
with -v; an honest headline; districts by region; rejected rows that stop --strict."""

from __future__ import annotations

import json
import re
import string
from decimal import Decimal
from pathlib import Path

import pytest

from xfrules.cli import main
from xfrules.i18n import MESSAGES, t, use_lang
from xfrules.output import Column, Listing, Renderer, Sheet, formats_for, register_renderer
from xfrules.output.evaluation import EvaluationOutput
from xfrules.output.registry import _RENDERERS, write_output
from xfrules.registry import load_registry

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = str(ROOT / "examples" / "sample-facts.yaml")
AS_OF = ["--as-of", "2020-12-31"]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_every_message_has_both_languages_with_the_same_placeholders() -> None:
    fields = string.Formatter()
    for key, (zh, en) in MESSAGES.items():
        assert zh and en, key
        names = [{f for _, f, _, _ in fields.parse(text) if f} for text in (zh, en)]
        assert names[0] == names[1], key
    with use_lang("en"):
        assert t("status.non_compliant") == "non-compliant"
    assert t("status.non_compliant") == "未达标"  # Chinese unless asked
    for status, label in [
        ("compliant", "达标"),
        ("non_compliant", "未达标"),
        ("not_applicable", "不适用"),
        ("not_yet_due", "未到期"),
        ("insufficient_evidence", "证据不足"),
    ]:
        assert t(f"status.{status}") == label


def test_the_headline_says_what_the_rate_is_out_of(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(capsys, "evaluate", SAMPLE, *AS_OF, "--format", "json")
    counts = {s: 0 for s in ("compliant", "non_compliant", "insufficient_evidence")}
    counts |= {"not_yet_due": 0, "not_applicable": 0}
    breaches = 0
    for f in json.loads(out)["findings"]:
        counts[f["status"]] += 1
        breaches += f["status"] == "non_compliant" and f["modality"] == "mandatory"
    met, missed = counts["compliant"], counts["non_compliant"]
    rate = (Decimal(100 * met) / (met + missed)).quantize(Decimal("0.1"))
    expected = (
        f"达标率 {rate}%（{met + missed}项已判定：达标 {met}，未达标 {missed}）；"
        f"证据不足 {counts['insufficient_evidence']}项；未到期 {counts['not_yet_due']}项；"
        f"不适用 {counts['not_applicable']}项（不计入）；约束性未达标 {breaches}项"
    )
    _, table, _ = _run(capsys, "evaluate", SAMPLE, *AS_OF, "--exit-zero")
    assert table.splitlines()[1] == expected
    # Never a lone percentage: every rate printed stands beside its judged count.
    for line in table.splitlines():
        if re.search(r"\d%", line) and "达标率" in line:
            assert "已判定" in line


def test_the_readme_filter_example_says_which_filter_removed_everything(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["evaluate", SAMPLE, *AS_OF, "--status", "non_compliant", "--department", "市教委"]
    code, out, _ = _run(capsys, *argv)
    assert code == 0
    note = next(line for line in out.splitlines() if "筛掉了全部" in line)
    # The department's findings exist; no status is non_compliant among them: say which are.
    assert note.startswith("--status non_compliant 筛掉了全部")
    assert "insufficient_evidence（" in note and "non_compliant（" not in note
    # For programs the output stays clean and the note goes to stderr.
    code, out, err = _run(capsys, *argv, "--format", "json")
    assert json.loads(out)["findings"] == [] and "筛掉了全部" in err
    # A department that names nothing left after --unit: that one is named.
    _, out, _ = _run(
        capsys, "evaluate", SAMPLE, *AS_OF, "--unit", "dth", "--department", "市教委", "--all"
    )
    assert "--department 市教委 筛掉了全部" in out and "dth（" not in out


def test_obligation_filter(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys, "evaluate", SAMPLE, *AS_OF, "--obligation", "datonghu.*", "--format", "json"
    )
    ids = {f["obligation_id"] for f in json.loads(out)["findings"]}
    assert ids and all(i.startswith("datonghu.") for i in ids)
    one = "datonghu.union_festival_purchase_per_member"
    _, out, _ = _run(capsys, "evaluate", SAMPLE, *AS_OF, "--obligation", one, "--format", "json")
    assert {f["obligation_id"] for f in json.loads(out)["findings"]} == {one}
    code, _, err = _run(
        capsys, "evaluate", SAMPLE, *AS_OF, "--obligation", "datonghu.union_festival_purchase"
    )
    assert code == 2 and "--obligation" in err and one in err  # the close ones are named


def test_verbose_shows_whole_explanations_and_quotes_wrapped(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["evaluate", SAMPLE, *AS_OF, "--unit", "dth-union", "--exit-zero"]
    _, short, _ = _run(capsys, *argv)
    assert "原文：" not in short and "-v 显示" in short
    _, full, _ = _run(capsys, *argv, "-v")
    lines = full.splitlines()
    (ob,) = [
        o
        for o in load_registry().obligations
        if o.id == "datonghu.union_festival_purchase_per_member"
    ]
    quote = "".join(ob.source.quote.split())
    assert len(quote) > 100  # long enough that a cut would show
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("原文：" + quote[:8]))
    joined = lines[start].strip().removeprefix("原文：")
    for line in lines[start + 1 :]:
        if not line.startswith(" " * 10):
            break
        joined += line.strip()
    assert joined == quote  # whole, not cut
    assert all(len(line) <= 200 for line in lines)  # wrapped
    assert not any("…" in line for line in lines if line.lstrip().startswith(("说明", "原文")))


def test_out_chooses_the_format_by_suffix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import openpyxl

    argv = ["evaluate", SAMPLE, *AS_OF, "--unit", "dth", "--exit-zero"]
    _, stdout_csv, _ = _run(capsys, *argv, "--format", "csv")
    assert not stdout_csv.startswith("\ufeff")  # programs reading stdout get no BOM
    csv_file = tmp_path / "结论.csv"
    _, _, err = _run(capsys, *argv, "--out", str(csv_file))
    raw = csv_file.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel on Chinese Windows reads UTF-8 by its BOM
    assert raw.decode("utf-8-sig") == stdout_csv and "已写入" in err
    _run(capsys, *argv, "--out", str(csv_file), "--no-bom")
    assert csv_file.read_text(encoding="utf-8") == stdout_csv
    _, bom_stdout, _ = _run(capsys, *argv, "--format", "csv", "--bom")
    assert bom_stdout.startswith("\ufeff")
    _, stdout_json, _ = _run(capsys, *argv, "--format", "json")
    json_file = tmp_path / "e.json"
    _run(capsys, *argv, "--out", str(json_file))
    assert json.loads(json_file.read_text(encoding="utf-8")) == json.loads(stdout_json)
    xlsx = tmp_path / "e.xlsx"
    _run(capsys, *argv, "--out", str(xlsx))
    assert openpyxl.load_workbook(xlsx).sheetnames[:2] == ["概况", "全部结论"]
    html = tmp_path / "e.html"
    _run(capsys, *argv, "--out", str(html))
    assert 'id="findings-table"' in html.read_text(encoding="utf-8")
    code, _, err = _run(capsys, *argv, "--out", str(tmp_path / "e.pdf"))
    assert code == 2 and ".pdf" in err and ".xlsx" in err and ".html" in err
    code, _, err = _run(capsys, *argv, "--format", "xlsx")
    assert code == 2 and "--out" in err  # bytes never go to a terminal


def test_english_on_request_and_the_contract_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl

    argv = ["evaluate", SAMPLE, *AS_OF, "--exit-zero"]
    _, zh_json, _ = _run(capsys, *argv, "--format", "json")
    _, en_json, _ = _run(capsys, *argv, "--format", "json", "--lang", "en")
    zh, en = json.loads(zh_json), json.loads(en_json)
    # Field names, codes and figures are the contract; only texts for people may differ.
    assert [sorted(f) for f in zh["findings"]] == [sorted(f) for f in en["findings"]]
    for a, b in zip(zh["findings"], en["findings"], strict=True):
        assert {k: v for k, v in a.items() if k != "explanation"} == {
            k: v for k, v in b.items() if k != "explanation"
        }
    assert zh["rollups"] == en["rollups"]
    _, zh_csv, _ = _run(capsys, *argv, "--format", "csv")
    _, en_csv, _ = _run(capsys, *argv, "--format", "csv", "--lang", "en")
    assert zh_csv.splitlines()[0] == en_csv.splitlines()[0]  # the contract's column names
    _, table, _ = _run(capsys, *argv, "--lang", "en")
    assert table.startswith("Compliance as of 2020-12-31\ncompliance rate ")
    assert "未达标" not in table and "达标率" not in table
    xlsx = tmp_path / "en.xlsx"
    _run(capsys, "report", SAMPLE, *AS_OF, "--out", str(xlsx), "--lang", "en", "--exit-zero")
    assert openpyxl.load_workbook(xlsx).sheetnames == [
        "Summary",
        "Findings",
        "By jurisdiction",
        "By district",
        "By lead department",
        "By department",
    ]
    monkeypatch.setenv("XFRULES_LANG", "en")
    _, table, _ = _run(capsys, *argv)
    assert table.startswith("Compliance as of")


def test_as_of_defaults_to_today_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import date

    _, out, _ = _run(capsys, "evaluate", SAMPLE, "--unit", "dth", "--exit-zero")
    assert f"评估日 {date.today()} 为今天（未给 --as-of）" in out
    _, out, err = _run(capsys, "evaluate", SAMPLE, "--unit", "dth", "--format", "json")
    assert json.loads(out)["as_of"] == date.today().isoformat() and "未给 --as-of" in err
    _, out, err = _run(capsys, "evaluate", SAMPLE, *AS_OF, "--unit", "dth", "--exit-zero")
    assert "未给 --as-of" not in out + err


def test_districts_are_the_regions_units_belong_to() -> None:
    from datetime import date

    from xfrules.evaluator import evaluate
    from xfrules.facts import load_facts

    facts = load_facts(SAMPLE)
    output = EvaluationOutput(evaluate(facts, date(2020, 12, 31)), units=list(facts.units))
    districts = {
        row[0]: row[1] for row in next(s for s in output.sheets() if s.key == "by_district").rows
    }
    # The district unit, and the county unit named by its region code; everything else —
    # canteens, departments, cities, a town's union under the district — is not a district.
    assert districts == {"大通湖区": None, "某贫困县": "532524", "（无所属区县）": None}
    assert "532524" not in districts  # never a bare code
    by_lead = next(s for s in output.sheets() if s.key == "by_lead")
    # Grouped by the obligations' lead departments only (区总工会 leads the union's duties).
    assert "区总工会" in {row[0] for row in by_lead.rows}


@pytest.mark.parametrize("backend", ["duckdb", "memory"])
def test_strict_makes_a_rejected_row_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], backend: str
) -> None:
    units = tmp_path / "units.yaml"
    units.write_text(
        "units: [{id: u1, name: 苏州市某局, kind: budget_unit, jurisdiction: suzhou}]\n",
        encoding="utf-8",
    )
    ledger = tmp_path / "台账.csv"
    ledger.write_text(
        "买方,金额,交易时间\nu1,100,2020-05-01\nu1,一百,2020-05-02\n", encoding="utf-8"
    )
    common = ["ledger", "evaluate", str(ledger), "--facts", str(units), *AS_OF]
    common += ["-j", "suzhou", "--backend", backend, "--exit-zero"]
    code, _, err = _run(capsys, *common)
    assert code == 0
    # The rejected row is listed with its reason, whichever backend counted it.
    assert "拒绝 1 行" in err and "第 3 行，字段“金额”：不是金额" in err
    assert "用 --rejects 文件 列出全部被拒绝的行" in err
    code, out, err = _run(capsys, *common, "--strict")
    assert code == 2 and "--strict：有 1 行台账被拒绝" in err and not out
    # The report lists it too, its row a number Excel sorts.
    xlsx = tmp_path / "r.xlsx"
    report = ["report", str(ledger), "--facts", str(units), *AS_OF, "--backend", backend]
    code, _, _ = _run(capsys, *report, "--out", str(xlsx), "--exit-zero")
    assert code == 0
    import openpyxl

    rejected = list(openpyxl.load_workbook(xlsx)["被拒绝的行"].iter_rows(values_only=True))
    assert rejected[1][:3] == (str(ledger), 3, "金额") and "一百" in rejected[1][3]
    code, _, err = _run(capsys, "ledger", "import", str(ledger), "--strict")
    assert code == 2


def test_one_registry_serves_every_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert set(formats_for(EvaluationOutput)) >= {"table", "json", "csv", "xlsx", "html"}
    assert "html" not in formats_for(Listing)  # a list of plug-ins has no report page

    def markdown(output: object, stream: object, options: object) -> None:
        sheet = output.sheets()[0]  # type: ignore[attr-defined]
        stream.write("| " + " | ".join(c.header for c in sheet.columns) + " |\n")  # type: ignore[attr-defined]

    register_renderer(Renderer("markdown", (".md",), markdown, lambda kind: isinstance(kind, type)))
    try:
        out = tmp_path / "plugins.md"
        # The new format reaches every command through the registry: by suffix, no code there.
        code, _, _ = _run(capsys, "plugins", "--out", str(out))
        assert code == 0 and out.read_text(encoding="utf-8").startswith("| 辖区 | 名称 |")
        report = tmp_path / "r.md"
        _run(capsys, "report", SAMPLE, *AS_OF, "--out", str(report), "--exit-zero")
        assert report.read_text(encoding="utf-8").startswith("| 项目 | 值 |")
        listing = Listing({}, Sheet("x", "x", [Column("a", "甲")], [[1]]))
        write_output(listing, out=str(tmp_path / "x.md"))
        assert (tmp_path / "x.md").read_text(encoding="utf-8") == "| 甲 |\n"
    finally:
        del _RENDERERS["markdown"]
    # Obligations, plug-ins, coverage and check all take --out by suffix too.
    for argv in (["obligations", "-j", "datonghu"], ["plugins"], ["coverage", "-j", "datonghu"]):
        xlsx = tmp_path / f"{argv[0]}.xlsx"
        _run(capsys, *argv, "--out", str(xlsx))
        assert xlsx.read_bytes()[:2] == b"PK"
