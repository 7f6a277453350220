"""The cleaning tool: garbled shaanxi.txt -> source.clean.txt, with an offset map back."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from xfrules.registry import load_registry
from xfrules_shaanxi import cleaning

PKG = resources.files("xfrules_shaanxi")
ORIGINAL = (PKG / "source.txt").read_text(encoding="utf-8")
SHIPPED = (PKG / "source.clean.txt").read_text(encoding="utf-8")


def test_garble_reproduces_the_documented_damage() -> None:
    # shared/sources/README.md: ?。ㄒ唬 = 　（一）; the first character of (一) is 積 (B7 65).
    data = "　（一）積".encode("gbk")
    assert "?" + cleaning.garble(data[1:]) == "?。ㄒ唬┓e"
    assert ORIGINAL.split("\n")[8].startswith("?。ㄒ唬┓e極")


def test_garble_drops_unassigned_pairs_and_marks_lone_lead_bytes() -> None:
    assert cleaning.garble(b"\xa6\x8c") == ""  # GBK leaves A6 8C unassigned
    assert cleaning.garble(b"\xb5(") == "?"  # a lead byte swallows an ASCII byte
    assert cleaning.garble(b"\xb5") == "?"
    assert cleaning.garble(b"ab\xb0\xa1") == "ab啊"


def test_items_one_to_thirty_two_in_order_with_repaired_markers() -> None:
    markers = re.findall(r"^\u3000（([一二三四五六七八九十]+)）", SHIPPED, flags=re.M)
    assert markers == list(cleaning.NUMERALS)
    assert "　（一）积极参与2020年全国消费扶贫论坛" in SHIPPED
    assert "　（二）大力实施政府采购贫困地区农副产品实施方案" in SHIPPED
    assert "　（十三）发挥统一战线" in SHIPPED  # garbles exactly like (十): numbered by order


def test_every_damaged_opening_is_consistent_with_the_bytes() -> None:
    damaged = [line for line in ORIGINAL.split("\n") if line.startswith("?。")]
    assert len(damaged) == len(cleaning.OPENINGS) == 29
    items = [line for line in ORIGINAL.split("\n") if line.startswith(("?。", "("))]
    for number, line in enumerate(items, start=1):
        if number in cleaning.OPENINGS:
            span, _ = cleaning._damaged_span(number, cleaning.OPENINGS[number])
            assert line.startswith(span), (number, span, line[:20])


def test_a_wrong_reading_of_an_opening_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(cleaning.OPENINGS, 2, "大力推")
    with pytest.raises(cleaning.CleaningError, match=r"item \(二\): opening .大力推. garbles"):
        cleaning.traditional(ORIGINAL)


def test_a_missing_item_is_detected() -> None:
    broken = ORIGINAL.replace("(八)", "八、", 1)
    with pytest.raises(cleaning.CleaningError):
        cleaning.traditional(broken)


@pytest.mark.parametrize(("before", "damaged", "repair", "reading"), cleaning.MIDLINE_REPAIRS)
def test_midline_repairs_are_consistent_with_the_bytes(
    before: str, damaged: str, repair: str, reading: str
) -> None:
    assert _midline(before, damaged).search(ORIGINAL)
    shifted = cleaning.garble((before + repair + "(").encode("gbk")[1:])
    # Characters that survived the later pinyin step unannotated appear verbatim in the span;
    # annotated ones left their pinyin tail; a lone lead byte left "?" and swallowed "(".
    survivors = [c for c in shifted if "\u4e00" <= c <= "\u9fff"]
    assert survivors, shifted
    tails = re.findall(r"\?([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǘ]+)\)", damaged)
    kept = [c for c in damaged if "\u4e00" <= c <= "\u9fff"]
    assert len(kept) + len(tails) >= len(survivors) - 2, (shifted, damaged)
    assert all(c in shifted for c in kept), (kept, shifted)
    assert reading


def test_no_pinyin_no_damage_left() -> None:
    assert not re.search(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]", SHIPPED)
    assert "?" not in SHIPPED
    assert not re.search(r"[\u2500-\u257f\u3100-\u312f]", SHIPPED)  # box drawing, bopomofo
    assert not re.search(r"\([a-z]+\)", SHIPPED)
    assert re.findall(r"[A-Za-z]", SHIPPED) == ["N"]  # “1+N”布局


def test_no_traditional_characters_left() -> None:
    # Every character of modern simplified text is in GB 2312; traditional forms are not.
    not_gb2312 = set()
    for ch in set(SHIPPED):
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            not_gb2312.add(ch)
    assert not not_gb2312
    for trad in "陜發貧實際積極財農業":
        assert trad not in SHIPPED


def test_regenerating_gives_the_committed_clean_text() -> None:
    assert cleaning.clean(ORIGINAL).text == SHIPPED


def test_converter_leaves_the_clean_text_unchanged() -> None:
    convert = cleaning.default_converter()
    assert convert(SHIPPED) == SHIPPED
    assert convert("陜西省發展和改革委員會") == "陕西省发展和改革委员会"


def test_check_mode_of_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    assert cleaning.main(["--check"]) == 0
    assert "up to date" in capsys.readouterr().out


def _damage_starts() -> set[int]:
    """Offsets in the original where a damaged or normalised span begins (found independently)."""
    out: set[int] = set()
    offset = 0
    for line in ORIGINAL.split("\n"):
        if line.startswith("?。"):
            out.add(offset)
        elif m := re.match(r"\([一二三四五六七八九十]+\)", line):
            out.update({offset, offset + m.end() - 1})
        offset += len(line) + 1
    for before, damaged, _, _ in cleaning.MIDLINE_REPAIRS:
        out.update(m.start("damaged") for m in _midline(before, damaged).finditer(ORIGINAL))
    return out


def _midline(before: str, damaged: str) -> re.Pattern[str]:
    """``before``, its pinyin annotation if any, then the damaged span."""
    return re.compile(
        re.escape(before)
        + r"(?:\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǘ]+\))?(?P<damaged>"
        + re.escape(damaged)
        + ")"
    )


DAMAGE = _damage_starts()


def test_offset_map_identifies_every_undamaged_character() -> None:
    mapped = cleaning.shipped_map()
    trad = cleaning.traditional(ORIGINAL)
    assert trad.starts == mapped.starts
    assert list(mapped.starts) == sorted(mapped.starts)
    repaired = [i for i, start in enumerate(mapped.starts) if start in DAMAGE]
    assert 29 * 4 < len(repaired) < 400
    for i, ch in enumerate(trad.text):
        if mapped.starts[i] not in DAMAGE:
            assert ORIGINAL[mapped.starts[i]] == ch, (i, ch, ORIGINAL[mapped.starts[i]])


def test_original_span_of_a_pinyin_annotated_word() -> None:
    mapped = cleaning.shipped_map()
    at = mapped.text.index("扶贫832平台")
    start, end = mapped.original_span(at, at + len("扶贫832平台"))
    assert ORIGINAL[start:end] == "扶貧832平臺(tái)"
    with pytest.raises(IndexError):
        mapped.original_span(0, len(mapped.text) + 1)


def _quotes() -> list[tuple[str, str]]:
    rules = load_registry().jurisdictions["shaanxi"]
    out = [(ob.id, ob.source.quote) for ob in rules.obligations]
    out += [
        (f"{ob.id} threshold", t.quote)
        for ob in rules.obligations
        for t in getattr(ob, "thresholds", ())
        if t.quote
    ]
    out += [(f"region set {s.name}", s.source_quote) for s in rules.region_sets if s.source_quote]
    return out


@pytest.mark.parametrize(("name", "quote"), _quotes())
def test_every_quote_maps_back_to_the_original(name: str, quote: str) -> None:
    mapped = cleaning.shipped_map()
    trad = cleaning.traditional(ORIGINAL)
    at = mapped.text.find(quote)
    assert at >= 0, f"{name}: quote not in source.clean.txt"
    start, end = mapped.original_span(at, at + len(quote))
    assert 0 <= start < end <= len(ORIGINAL)
    span = ORIGINAL[start:end]
    expected = trad.text[at : at + len(quote)]
    damaged = [i for i in range(at, at + len(quote)) if mapped.starts[i] in DAMAGE]
    if not damaged:
        # The original span with its pinyin dropped is the quote, in traditional characters.
        assert cleaning.strip_pinyin(span) == expected, (name, span)
    else:
        # The span begins at (or contains) the damaged span it repairs, and the rest is verbatim.
        tail = expected[max(damaged) + 1 - at :]
        assert cleaning.strip_pinyin(span).endswith(tail), (name, span, tail)
        assert any(d in range(start, end) for d in DAMAGE)
    assert cleaning.default_converter()(expected) == quote
