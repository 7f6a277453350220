"""The installed ``xfrules`` command, run in a subprocess as a user would."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
XFRULES = shutil.which("xfrules", path=str(Path(sys.executable).parent)) or "xfrules"
SAMPLE = ROOT / "examples" / "sample-facts.yaml"

UNIT = "{id: u1, name: 苏州市某局, kind: budget_unit, jurisdiction: suzhou}"
BASELINE = (
    "{unit: u1, metric: canteen_agri_procurement_total, period_start: 2019-01-01, "
    "period_end: 2019-12-31, value: '1000000'}"
)


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [XFRULES, *args], capture_output=True, text=True, input=stdin, timeout=120, check=False
    )


def facts_file(tmp_path: Path, amount: str) -> Path:
    path = tmp_path / "facts.yaml"
    path.write_text(
        f"units: [{UNIT}]\nobservations: [{BASELINE}]\n"
        f"transactions: [{{id: t1, buyer: u1, amount: '{amount}', date: 2020-05-01, "
        "origin_region: '520621', category: agricultural}]\n",
        encoding="utf-8",
    )
    return path


def test_plugins_lists_installed_jurisdictions() -> None:
    out = run("plugins", "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = {p["jurisdiction"]: p for p in json.loads(out.stdout)["plugins"]}
    assert rows["suzhou"]["obligations"] >= 1 and rows["suzhou"]["version"] != "unknown"


def test_obligations_json_has_departments_and_quotes() -> None:
    out = run("obligations", "-j", "suzhou", "--format", "json")
    assert out.returncode == 0, out.stderr
    obligations = json.loads(out.stdout)["obligations"]
    share = next(o for o in obligations if o["id"] == "suzhou.canteen_national_poverty_share")
    assert "采购比例不得低于 2019 年度本单位食堂农副产品采购总额的 10%" in share["source"]["quote"]
    assert "市财政局" in share["lead"] + share["responsible"]
    assert all(o["jurisdiction"] == "suzhou" and o["source"]["quote"] for o in obligations)


@pytest.mark.parametrize(
    ("amount", "code", "status", "shortfall"),
    [("100000", 0, "compliant", "0"), ("99999.99", 1, "non_compliant", "0.01")],
)
def test_evaluate_acceptance_case(
    tmp_path: Path, amount: str, code: int, status: str, shortfall: str
) -> None:
    out = run(
        "evaluate",
        str(facts_file(tmp_path, amount)),
        "--as-of",
        "2020-12-31",
        "-j",
        "suzhou",
        "--format",
        "json",
    )
    assert out.returncode == code, out.stderr
    doc = json.loads(out.stdout)
    finding = next(
        f for f in doc["findings"] if f["obligation_id"] == "suzhou.canteen_national_poverty_share"
    )
    assert (finding["status"], finding["shortfall"]) == (status, shortfall)
    contract = {
        "unit_id",
        "obligation_id",
        "jurisdiction",
        "status",
        "measured",
        "required",
        "shortfall",
        "source",
    }
    assert contract <= set(finding) and finding["source"]["quote"]
    assert doc["format"] == "xfrules.evaluation/1"


def test_evaluate_table_and_csv(tmp_path: Path) -> None:
    path = facts_file(tmp_path, "99999.99")
    table = run("evaluate", str(path), "--as-of", "2020-12-31", "-j", "suzhou")
    assert table.returncode == 1
    # Chinese by default: the status label, not the code; the code in English.
    assert "未达标" in table.stdout and "0.01" in table.stdout
    assert "non_compliant" not in table.stdout and "non-compliant" not in table.stdout
    english = run("evaluate", str(path), "--as-of", "2020-12-31", "-j", "suzhou", "--lang", "en")
    assert "non-compliant" in english.stdout and "未达标" not in english.stdout
    csv_out = run("evaluate", str(path), "--as-of", "2020-12-31", "-j", "suzhou", "--format", "csv")
    header, *rows = csv_out.stdout.splitlines()
    assert header.startswith("unit_id,unit_name") and "quote" in header
    assert any("suzhou.canteen_national_poverty_share" in r and "0.01" in r for r in rows)


def test_exit_zero_flag(tmp_path: Path) -> None:
    out = run(
        "evaluate",
        str(facts_file(tmp_path, "1")),
        "--as-of",
        "2020-12-31",
        "-j",
        "suzhou",
        "--exit-zero",
    )
    assert out.returncode == 0 and "未达标" in out.stdout


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            f"units: [{UNIT}]\ntransactions: [{{id: t1, buyer: u1, amount: '-3', date: 2020-05-01}}]\n",
            "transactions[0] (id 't1'), field 'amount'",
        ),
        (
            f"units: [{UNIT}]\ntransactions: [{{id: t1, buyer: u9, amount: '3', date: 2020-05-01}}]\n",
            "field 'buyer': unknown unit 'u9'",
        ),
        (
            f"units: [{UNIT}]\ntransactions: [{{id: t1, buyer: u1, amount: '3', date: 2020-02-30}}]\n",
            "field 'date'",
        ),
        (
            f"units: [{UNIT}]\ntransactions: [{{id: t1, buyer: u1, amount: '3', date: 2020-05-01, "
            "origin_region: '990101'}]\n",
            "field 'origin_region': unknown region code",
        ),
        (
            "units: [{id: u1, kind: budget_unit, jurisdiction: suzhou}]\n",
            "field 'name': required field is missing",
        ),
        ("units: [\n", "malformed yaml"),
    ],
)
@pytest.mark.usefixtures("xfrules_english")  # the English texts; the Chinese: test_problem_language
def test_bad_input_exits_2_with_a_clear_message(
    tmp_path: Path, content: str, expected: str
) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text(content, encoding="utf-8")
    out = run("evaluate", str(path), "--as-of", "2020-12-31")
    assert out.returncode == 2
    assert expected in out.stderr and str(path) in out.stderr
    assert "Traceback" not in out.stderr + out.stdout


@pytest.mark.usefixtures("xfrules_english")
def test_unknown_jurisdiction_and_missing_file(tmp_path: Path) -> None:
    out = run("obligations", "-j", "atlantis")
    assert out.returncode == 2 and "unknown jurisdiction atlantis" in out.stderr
    out = run("evaluate", str(tmp_path / "none.yaml"))
    assert (
        out.returncode == 2 and "cannot read file" in out.stderr and "Traceback" not in out.stderr
    )


def test_bundled_sample_runs() -> None:
    out = run("evaluate", str(SAMPLE), "--as-of", "2020-12-31")
    assert out.returncode in (0, 1), out.stderr
    assert "截至 2020-12-31 的合规情况" in out.stdout
    for status in ("达标", "未达标", "证据不足"):
        assert status in out.stdout
    english = run("evaluate", str(SAMPLE), "--as-of", "2020-12-31", "--lang", "en")
    assert "Compliance as of 2020-12-31" in english.stdout
    for status in ("compliant", "non-compliant", "insufficient evidence"):
        assert status in english.stdout


def test_coverage_json() -> None:
    out = run("coverage", "-j", "suzhou", "--format", "json")
    clauses = json.loads(out.stdout)["clauses"]
    assert any(
        c["clause"] == "三（一）" and "suzhou.canteen_national_poverty_share" in c["obligations"]
        for c in clauses
    )


def test_evaluate_summary_shows_each_jurisdictions_compliance_rate() -> None:
    from decimal import Decimal

    from xfrules.findings import percent

    sample = Path(__file__).resolve().parents[1] / "examples" / "sample-facts.yaml"
    proc = run("evaluate", str(sample), "--as-of", "2020-12-31", "--exit-zero")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("辖区 "))
    columns = lines[head].split("  ")
    columns = [c.strip() for c in columns if c.strip()]
    # The rate stands beside what it is out of.
    assert columns[-3:] == ["已判定", "达标率", "约束性未达标"]
    rows = [line.split() for line in lines[head + 2 :] if line.strip()]
    assert len(rows) == 5
    for row in rows:
        cells = dict(zip(columns, row, strict=True))
        met, missed = int(cells["达标"]), int(cells["未达标"])
        assert int(cells["已判定"]) == met + missed
        expected = percent(Decimal(met) / Decimal(met + missed) if met + missed else None)
        assert cells["达标率"] == expected, row


def _sample_json(*selection: str) -> tuple[int, dict[str, object]]:
    sample = Path(__file__).resolve().parents[1] / "examples" / "sample-facts.yaml"
    proc = run("evaluate", str(sample), "--as-of", "2020-12-31", "--format", "json", *selection)
    return proc.returncode, json.loads(proc.stdout)


def test_selection_options_cut_the_findings_and_the_exit_code() -> None:
    code_all, everything = _sample_json()
    findings: list[dict[str, object]] = everything["findings"]  # type: ignore[assignment]
    assert code_all == 1  # the sample breaches something mandatory
    # A unit with no mandatory breach: exit 0 for it alone.
    breached = {
        f["unit_id"]
        for f in findings
        if f["status"] == "non_compliant" and f["modality"] == "mandatory"
    }
    clean = sorted({str(f["unit_id"]) for f in findings} - breached)[0]
    code, one = _sample_json("--unit", clean)
    assert code == 0
    assert one["findings"] == [f for f in findings if f["unit_id"] == clean]
    code, missed = _sample_json("--status", "non_compliant", "--status", "insufficient_evidence")
    assert code == 1
    assert missed["findings"] == [
        f for f in findings if f["status"] in ("non_compliant", "insufficient_evidence")
    ]
    # An alias selects the department it names (上海市教育委员会 is 市教委).
    code, edu = _sample_json("--department", "上海市教育委员会")
    expected = [f for f in findings if "市教委" in [*f["lead"], *f["responsible"]]]  # type: ignore[misc]
    assert expected and edu["findings"] == expected


def test_selection_of_something_absent_is_an_error_not_an_empty_answer() -> None:
    sample = Path(__file__).resolve().parents[1] / "examples" / "sample-facts.yaml"
    proc = run(
        "evaluate",
        str(sample),
        "--as-of",
        "2020-12-31",
        "--unit",
        "no-such-unit",
        "--department",
        "市外星局",
    )
    assert proc.returncode == 2 and not proc.stdout
    assert "--unit" in proc.stderr and "no-such-unit" in proc.stderr
    assert "--department" in proc.stderr and "市外星局" in proc.stderr


@pytest.mark.usefixtures("xfrules_english")  # the English texts; the Chinese: test_error_language
def test_a_bug_exits_3_not_1_which_means_a_breach(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import xfrules.commands.plugins as plugins_command
    from xfrules.cli import EXIT_INTERNAL, main

    def broken(args: object) -> int:
        raise RuntimeError("unexpected state for 430921198001011236")

    monkeypatch.setattr(plugins_command, "run", broken)
    assert main(["plugins"]) == EXIT_INTERNAL == 3
    err = capsys.readouterr().err
    assert "RuntimeError" in err and "internal error" in err
    assert "430921198001011236" not in err and "430921********1236" in err


def test_a_department_alias_resolves_in_the_jurisdiction_of_the_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 市人社局 is Tianjin's alias of 市人力社保局 — and Suzhou's own name for its bureau, which
    # the first installed jurisdiction to know the name used to decide (exit 2, "no obligation").
    from xfrules.cli import main

    facts = tmp_path / "tj.yaml"
    facts.write_text(
        "units:\n  - {id: rsj, name: 天津市人社局, kind: department, department: 市人力社保局,"
        " jurisdiction: tianjin}\n",
        encoding="utf-8",
    )
    argv = ["evaluate", str(facts), "--as-of", "2019-12-31", "--format", "json", "--exit-zero"]
    assert main([*argv, "--department", "市人社局"]) == 0
    by_alias = json.loads(capsys.readouterr().out)["findings"]
    assert main([*argv, "--department", "市人力社保局"]) == 0
    assert by_alias and by_alias == json.loads(capsys.readouterr().out)["findings"]


def test_csv_columns_are_the_json_fields_with_source_split() -> None:
    # docs/output-format.md: the CSV has every JSON field (title was missing), source split.
    from xfrules.commands.evaluate import CSV_COLUMNS
    from xfrules.findings import Finding

    fields = set(Finding.model_fields) - {"source"}
    assert set(CSV_COLUMNS) == fields | {"document", "clause", "quote"}
    assert len(CSV_COLUMNS) == len(set(CSV_COLUMNS))
