"""One text decoder for facts files, annex tables and ledgers: UTF-8 (BOM or not), UTF-16 with
its BOM (Excel's "Unicode Text") and GBK/GB18030 read alike; anything else is bad input naming
the file and the line of the first byte that cannot be read."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from xfrules.annexes import Column, TableSchema, read_table
from xfrules.errors import InputError
from xfrules.facts import load_facts
from xfrules.ledger.mapping import LedgerMapping
from xfrules.ledger.readers import open_ledger
from xfrules.textio import decode_text, encoding_of

# These tests read the English texts (what --lang en prints); tests/test_problem_language.py
# holds the Chinese ones.
pytestmark = pytest.mark.usefixtures("xfrules_english")

FACTS = "units:\n  - {id: u1, name: 苏州市教育局, kind: department, jurisdiction: suzhou}\n"
ENCODINGS = [
    ("utf-8", b""),
    ("utf-8", codecs.BOM_UTF8),
    ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE),
    ("gbk", b""),
]


@pytest.mark.parametrize(("codec", "bom"), ENCODINGS)
def test_a_facts_file_reads_the_same_in_every_encoding(
    tmp_path: Path, codec: str, bom: bytes
) -> None:
    path = tmp_path / "facts.yaml"
    path.write_bytes(bom + FACTS.encode(codec))
    assert load_facts(path).units[0].name == "苏州市教育局"


@pytest.mark.parametrize(("codec", "bom"), ENCODINGS)
def test_an_annex_and_a_ledger_read_the_same_in_every_encoding(
    tmp_path: Path, codec: str, bom: bytes
) -> None:
    delimiter = "\t" if codec.startswith("utf-16") else ","
    text = delimiter.join(["买方", "金额", "交易时间"]) + "\n"
    text += delimiter.join(["u1", "100", "2020-05-01"]) + "\n"
    path = tmp_path / "t.csv"
    path.write_bytes(bom + text.encode(codec))
    schema = TableSchema("表", (Column("buyer", ("买方",)), Column("amount", ("金额",))))
    (record,) = read_table(path, schema)
    assert record.values["buyer"] == "u1"
    table = open_ledger(path, LedgerMapping())
    assert [cells[:2] for _, cells in table.rows] == [["u1", "100"]]


def test_undecodable_text_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_bytes(b"units:\n  - {id: u1}\n" + b"  - {id: \x81\x30\xff}\n")
    with pytest.raises(InputError) as err:
        load_facts(path)
    (problem,) = err.value.problems
    assert (problem.file, problem.record) == (str(path), "line 3")
    assert "not UTF-8, UTF-16 or GBK/GB18030 text" in problem.message


def test_a_character_cut_at_the_end_of_a_sniffed_head_is_not_held_against_it() -> None:
    head = "金额".encode()[:-1]
    assert encoding_of(head, complete=False) == "utf-8"
    assert decode_text("金额".encode("gbk"), "t.csv") == "金额"
