"""``xfrules ledger import|evaluate``: exit codes, outputs, and agreement with ``xfrules evaluate``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from xfrules.cli import main

UNITS = {
    "units": [
        {"id": "u1", "name": "苏州市某局", "kind": "budget_unit", "jurisdiction": "suzhou"},
        {"id": "u2", "name": "苏州市另一局", "kind": "budget_unit", "jurisdiction": "suzhou"},
    ],
    "observations": [
        {
            "unit": u,
            "metric": "canteen_agri_procurement_total",
            "period_start": "2019-01-01",
            "period_end": "2019-12-31",
            "value": v,
        }
        for u, v in (("u1", "1000000"), ("u2", "1000"))
    ],
}
LEDGER = (
    "买方,金额（元）,交易时间,产地,类别\n"
    '苏州市某局,"99,999.99",2020年4月26日,520621,agricultural\n'
    "u2,0.01万元,2020/4/26,520621,agricultural\n"
    "nobody,12,2020/4/26,520621,agricultural\n"
)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    facts = tmp_path / "units.yaml"
    facts.write_text(yaml.safe_dump(UNITS, allow_unicode=True), encoding="utf-8")
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    # The same purchases written directly as facts, for `xfrules evaluate`.
    direct = dict(UNITS)
    direct["transactions"] = [
        {
            "id": "t1",
            "buyer": "u1",
            "amount": "99999.99",
            "date": "2020-04-26",
            "origin_region": "520621",
            "category": "agricultural",
        },
        {
            "id": "t2",
            "buyer": "u2",
            "amount": "100.00",
            "date": "2020-04-26",
            "origin_region": "520621",
            "category": "agricultural",
        },
    ]
    both = tmp_path / "facts.yaml"
    both.write_text(yaml.safe_dump(direct, allow_unicode=True), encoding="utf-8")
    return {"facts": facts, "ledger": ledger, "direct": both, "dir": tmp_path}


def test_import_exit_codes_and_outputs(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    out = files["dir"] / "tx.jsonl"
    rejects = files["dir"] / "rejects.csv"
    code = main(
        [
            "ledger",
            "import",
            str(files["ledger"]),
            "--facts",
            str(files["facts"]),
            "--out",
            str(out),
            "--rejects",
            str(rejects),
        ]
    )
    assert code == 1  # a row was rejected
    err = capsys.readouterr().err
    assert "读取台账 3 行：接受 2 行，拒绝 1 行" in err
    # --rejects was given: the output names the file, and does not tell to give it.
    assert f"全部被拒绝的行及原因已写入 {rejects}" in err and "用 --rejects" not in err
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["buyer"], r["amount"]) for r in records] == [("u1", "99999.99"), ("u2", "100.00")]
    text = rejects.read_text(encoding="utf-8-sig")
    assert "nobody" in text and "未知的买方 'nobody'：既不是单位编号，也不是唯一的单位名称" in text
    good = files["dir"] / "good.csv"
    good.write_text("\n".join(LEDGER.splitlines()[:3]) + "\n", encoding="utf-8")
    assert main(["ledger", "import", str(good)]) == 0
    bad = files["dir"] / "bad.csv"
    bad.write_text("x,y\n1,2\n", encoding="utf-8")
    assert main(["ledger", "import", str(bad)]) == 2
    capsys.readouterr()
    # The JSON summary on stdout, or the transactions there: not both, and never one dropped.
    assert main(["ledger", "import", str(good), "--out", "-", "--format", "json"]) == 2
    assert "请用 --out 文件" in capsys.readouterr().err
    assert main(["ledger", "import", str(good), "--out", str(out), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["accepted"] == 2


@pytest.mark.parametrize("backend", ["duckdb", "memory"])
def test_ledger_evaluate_equals_evaluate(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str], backend: str
) -> None:
    common = ["--as-of", "2020-12-31", "-j", "suzhou", "--format", "json"]
    expected_code = main(["evaluate", str(files["direct"]), *common])
    expected = json.loads(capsys.readouterr().out)
    code = main(
        [
            "ledger",
            "evaluate",
            str(files["ledger"]),
            "--facts",
            str(files["facts"]),
            "--backend",
            backend,
            *common,
        ]
    )
    got = json.loads(capsys.readouterr().out)
    assert code == expected_code == 1  # u1 misses the 10% share by 0.01
    assert got == expected
    breach = [f for f in got["findings"] if f["status"] == "non_compliant"]
    assert [(f["unit_id"], f["shortfall"]) for f in breach] == [("u1", "0.01")]


def test_ledger_evaluate_csv_and_table(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "ledger",
        "evaluate",
        str(files["ledger"]),
        "--facts",
        str(files["facts"]),
        "--as-of",
        "2020-12-31",
        "-j",
        "suzhou",
    ]
    main([*args, "--format", "csv"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("unit_id,unit_name,unit_kind,obligation_id")
    main(args)
    table = capsys.readouterr().out
    assert "未达标" in table and "截至 2020-12-31 的合规情况" in table
    main([*args, "--lang", "en"])
    table = capsys.readouterr().out
    assert "non-compliant" in table and "Compliance as of 2020-12-31" in table


def test_duckdbs_own_progress_bar_stays_off(
    files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # DuckDB draws its bar on stdout during any query over 2 s: in `ledger evaluate --format
    # json` that was text inside the JSON. Every connection xfrules opens turns it off.
    import duckdb

    settings: list[object] = []
    connect = duckdb.connect

    class Recording:
        """A connection that notes its progress-bar setting when it is closed."""

        def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
            self.con = con

        def __getattr__(self, name: str) -> object:
            return getattr(self.con, name)

        def close(self) -> None:
            query = "SELECT current_setting('enable_progress_bar')"
            settings.append(self.con.execute(query).fetchone())
            self.con.close()

    def recording(*args: object, **kwargs: object) -> Recording:
        return Recording(connect(*args, **kwargs))  # type: ignore[arg-type]

    monkeypatch.setattr(duckdb, "connect", recording)
    parquet = files["dir"] / "l.parquet"
    connect().execute(
        f"COPY (SELECT 'u1' AS 买方, 10 AS 金额, DATE '2020-05-01' AS 交易时间) TO '{parquet}'"
    )
    common = ["--facts", str(files["facts"]), "--as-of", "2020-12-31", "--format", "json"]
    main(["ledger", "evaluate", str(files["ledger"]), *common])
    main(["ledger", "evaluate", str(parquet), *common, "--backend", "memory"])
    assert len(settings) >= 2 and set(settings) == {(False,)}
