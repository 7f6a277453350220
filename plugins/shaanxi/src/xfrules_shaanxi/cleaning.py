"""Derive clean simplified Chinese from the garbled Shaanxi source, with an offset map back.

The received file (shared/sources/shaanxi.txt) is damaged in two ways:

1. Every traditional character that a converter annotated is followed by its pinyin in
   parentheses: ``發(fā)展`` = 发展. The text is traditional Chinese throughout.
2. The opening of 29 of the 32 numbered items was mis-decoded. The GBK bytes of
   ``　（一）積`` lost their first byte and were decoded again as GBK one byte out of step,
   which gives ``?。ㄒ唬┓e``. :func:`garble` is that damage as a function: bytes pairs
   that GBK does not assign vanish, a lead byte before an ASCII byte becomes ``?`` and
   swallows it (which is how the ``(`` of a following pinyin annotation disappears).

The item numbers cannot be read back from the bytes (unassigned pairs vanished, so
(十) and (十三) garble identically), but the items are numbered in order, so item *n* of
the document is （n）. The first characters of each item can mostly be read from the
garbled bytes; where a pair vanished they cannot, so :data:`OPENINGS` records, per item,
the traditional characters the damaged span stood for. Each entry is *checked*:
:func:`clean` re-garbles ``　（n）`` + opening and requires the result to equal the damaged
span of the received line byte for byte, so a wrong reading fails loudly.

:func:`clean` returns the cleaned text and, for every cleaned character, where its span
starts in the original, so any span of the cleaned text maps back to the original
(:meth:`CleanText.original_span`). Traditional→simplified conversion uses OpenCC (the
``clean`` extra), imported only here: at run time the plug-in reads the committed
``source.clean.txt`` and needs no converter.

Regenerate with ``python -m xfrules_shaanxi.cleaning`` (``--check`` compares instead).
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

__all__ = [
    "EXTRA_T2S",
    "MIDLINE_REPAIRS",
    "NUMERALS",
    "OPENINGS",
    "CleanText",
    "CleaningError",
    "clean",
    "default_converter",
    "garble",
    "main",
    "shipped_map",
    "strip_pinyin",
    "traditional",
]

NUMERALS: tuple[str, ...] = tuple(
    [
        "一",
        "二",
        "三",
        "四",
        "五",
        "六",
        "七",
        "八",
        "九",
        "十",
        "十一",
        "十二",
        "十三",
        "十四",
        "十五",
        "十六",
        "十七",
        "十八",
        "十九",
        "二十",
        "二十一",
        "二十二",
        "二十三",
        "二十四",
        "二十五",
        "二十六",
        "二十七",
        "二十八",
        "二十九",
        "三十",
        "三十一",
        "三十二",
    ]
)

# Item number -> the traditional characters the damaged span covers after the marker.
# Read from the garbled bytes (e.g. ┓e = A9 B7 65 -> B7 65 = 積) and, where GBK pairs
# vanished, from the surviving bytes plus the pinyin that follows (大力實 in (二): the
# surviving F3 C1 ... lone 8D and "(shí)" fix 大力實). Each entry is verified by garble().
OPENINGS: dict[int, str] = {
    1: "積",
    2: "大力實",
    3: "督促省級",
    4: "落實",
    5: "深入開",
    6: "進",
    7: "繼",
    9: "鼓勵",
    10: "發",
    11: "運",
    12: "結",
    13: "發",
    14: "引導",
    15: "繼",
    16: "推廣",
    17: "支持貧困地區",
    18: "嚴",
    19: "支持貧困地區",
    21: "支持鼓勵",
    22: "繼",
    23: "鼓勵",
    24: "持續",
    25: "繼",
    26: "積",
    27: "持續",
    28: "加大消費",
    30: "組",
    31: "將消費",
    32: "繼",
}

# Damage inside lines: the same one-byte-shifted GBK decoding, after which characters the
# pinyin tool annotated turned into "?" + their pinyin tail. Each entry: (preceding intact
# character, damaged span as received, the traditional text it stands for, the reading).
# The reading is checked by tests: garble(GBK(preceding + repair + "(")[1:]) gives the
# characters whose pinyin tails survive (績 jī, 數 shù, 驅 qū) and the rest of the span.
MIDLINE_REPAIRS: tuple[tuple[str, str, str, str], ...] = (
    ("量", "?jī)?yōu)", "優", "量優( shifted = 績(jī) + lone byte (yōu): 流量優勢"),
    ("當", "?shù)貎?yōu)", "地優", "當地優( shifted = 數(shù) 貎 + lone byte (yōu): 當地優質"),
    ("規", "?;M", "模化、組", "規模化、組 shifted = 幠；⒔M; 幠 and ⒔ lost: 規模化、組織化"),
    (
        "域",
        "?qū)趲头龅闹匾獌?nèi)",
        "對口幫扶的重要內",
        "域對口幫扶的重要內( shifted = 驅(qū) 趲头龅闹匾獌 + lone byte (nèi): 對口幫扶的重要內容",
    ),
)

# Variant traditional forms OpenCC's t2s leaves alone (陜 U+965C is the variant of 陝).
EXTRA_T2S: dict[str, str] = {"陜": "陕"}

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ"
_PINYIN = re.compile(rf"\([a-z{_TONED}]+\)")
_PINYIN_TAIL = re.compile(rf"[a-z{_TONED}]+\)")  # a pinyin annotation whose "(" was swallowed
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_GARBLED = "?。"  # lost first byte, then A1 A3 (the 2nd byte of 　 and the 1st of （)
_PLAIN_MARKER = re.compile(r"\(([一二三四五六七八九十]+)\)")
IDEOGRAPHIC_SPACE = "\u3000"


class CleaningError(ValueError):
    """The source does not have the damage this cleaner knows how to repair."""


def garble(data: bytes) -> str:
    """Decode ``data`` the way the damaged span was decoded (GBK, lossy).

    ASCII bytes stand for themselves; a lead byte and a valid trail byte form a pair
    that decodes to its GBK character or, when GBK does not assign it, to nothing; a
    lead byte before a byte that cannot trail (or at the end) becomes ``?`` and
    swallows that byte.
    """
    out: list[str] = []
    i = 0
    while i < len(data):
        lead = data[i]
        if lead < 0x80:
            out.append(chr(lead))
            i += 1
            continue
        trail = data[i + 1] if i + 1 < len(data) else None
        if trail is not None and 0x40 <= trail <= 0xFE and trail != 0x7F:
            with contextlib.suppress(UnicodeDecodeError):  # an unassigned pair vanishes
                out.append(data[i : i + 2].decode("gbk"))
        else:
            out.append("?")
        i += 2
    return "".join(out)


def _damaged_span(number: int, opening: str) -> tuple[str, bool]:
    """The received form of ``　（number）opening`` and whether it swallowed the next byte."""
    data = (f"{IDEOGRAPHIC_SPACE}（{NUMERALS[number - 1]}）{opening}").encode("gbk")[1:]
    pairs_odd = _dangles(data)
    return "?" + garble(data), pairs_odd


def _dangles(data: bytes) -> bool:
    """Whether decoding ``data`` pair by pair leaves a lone lead byte at the end."""
    i = 0
    while i < len(data):
        i += 1 if data[i] < 0x80 else 2
    return i > len(data)


@dataclass(frozen=True)
class CleanText:
    """The cleaned text and, per cleaned character, where its span starts in ``original``.

    Cleaned character ``i`` stands for ``original[starts[i]:starts[i + 1]]`` (its pinyin
    annotation included); a repaired item opening stands, as a whole, for the damaged
    span it replaces.
    """

    text: str
    original: str
    starts: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of ``original`` that ``text[start:end]`` was derived from."""
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(
                f"span {start}..{end} outside the cleaned text (length {len(self.text)})"
            )
        bounds = (*self.starts, len(self.original))
        if start == end:
            return bounds[start], bounds[start]
        return bounds[start], bounds[end]

    def locate(self, quote: str) -> tuple[int, int]:
        """The original span of the first occurrence of ``quote`` in the cleaned text."""
        at = self.text.find(quote)
        if at < 0:
            raise KeyError(f"not in the cleaned text: {quote!r}")
        return self.original_span(at, at + len(quote))


def strip_pinyin(text: str) -> str:
    """Drop pinyin annotations that follow a character: ``發(fā)展`` -> ``發展``."""
    return re.sub(rf"(?<=[\u3400-\u9fff]){_PINYIN.pattern}", "", text)


class _Builder:
    def __init__(self) -> None:
        self.chars: list[str] = []
        self.starts: list[int] = []

    def emit(self, text: str, at: int) -> None:
        for ch in text:
            self.chars.append(ch)
            self.starts.append(at)

    def copy(self, line: str, offset: int, pos: int) -> None:
        """Copy ``line[pos:]``, dropping pinyin annotations after a CJK character
        and replacing the damaged spans of :data:`MIDLINE_REPAIRS`."""
        while pos < len(line):
            repair = next(
                (
                    r
                    for r in MIDLINE_REPAIRS
                    if line.startswith(r[1], pos) and self.chars and self.chars[-1] == r[0]
                ),
                None,
            )
            if repair is not None:
                self.emit(repair[2], offset + pos)
                pos += len(repair[1])
                continue
            if self.chars and _CJK.match(self.chars[-1]):
                m = _PINYIN.match(line, pos)
                if m:
                    pos = m.end()
                    continue
            self.emit(line[pos], offset + pos)
            pos += 1


def _repair_line(line: str, number: int, offset: int, out: _Builder) -> int:
    """Emit the repaired opening of a damaged item line; return where the rest starts."""
    opening = OPENINGS.get(number)
    if opening is None:
        raise CleaningError(f"item ({NUMERALS[number - 1]}) is damaged but has no recorded opening")
    span, swallowed = _damaged_span(number, opening)
    if not line.startswith(span):
        raise CleaningError(
            f"item ({NUMERALS[number - 1]}): opening {opening!r} garbles to {span!r}, "
            f"but the line starts {line[: len(span) + 4]!r}"
        )
    out.emit(f"{IDEOGRAPHIC_SPACE}（{NUMERALS[number - 1]}）{opening}", offset)
    pos = len(span)
    if swallowed:
        # The "(" of the opening's last pinyin annotation was swallowed: drop the rest of it.
        m = _PINYIN_TAIL.match(line, pos)
        if m is None:
            raise CleaningError(
                f"item ({NUMERALS[number - 1]}): expected a pinyin tail after {span!r}"
            )
        pos = m.end()
    elif pos < len(line) and not (
        _CJK.match(line[pos]) or _PINYIN.match(line, pos) or line[pos] in "“"
    ):
        raise CleaningError(f"item ({NUMERALS[number - 1]}): damage continues after {span!r}")
    return pos


def _clean_structure(original: str) -> _Builder:
    """Repair markers and drop pinyin; still traditional."""
    out = _Builder()
    offset = 0
    number = 0
    for raw in original.split("\n"):
        if raw.startswith(_GARBLED):
            number += 1
            pos = _repair_line(raw, number, offset, out)
        elif m := _PLAIN_MARKER.match(raw):
            number += 1
            if m.group(1) != NUMERALS[number - 1]:
                raise CleaningError(f"item {number} is numbered ({m.group(1)})")
            # Normalise the undamaged markers to the document's form: 　（八）.
            out.emit(IDEOGRAPHIC_SPACE, offset)
            out.emit("（", offset)
            for k, numeral in enumerate(m.group(1), start=1):
                out.emit(numeral, offset + k)
            out.emit("）", offset + m.end() - 1)
            pos = m.end()
        else:
            pos = 0
        out.copy(raw, offset, pos)
        offset += len(raw)
        if offset < len(original):
            out.emit("\n", offset)
            offset += 1
    if number != len(NUMERALS):
        raise CleaningError(f"found {number} numbered items, expected {len(NUMERALS)}")
    return out


def default_converter() -> Callable[[str], str]:
    """OpenCC's t2s plus :data:`EXTRA_T2S`; raises ImportError without the ``clean`` extra."""
    import opencc  # type: ignore[import-not-found,unused-ignore]  # the optional ``clean`` extra

    converter = opencc.OpenCC("t2s")
    table = str.maketrans(EXTRA_T2S)

    def convert(text: str) -> str:
        return str(converter.convert(text)).translate(table)

    return convert


def clean(original: str, convert: Callable[[str], str] | None = None) -> CleanText:
    """Clean simplified text from the received ``original``, with its offset map."""
    built = _clean_structure(original)
    traditional = "".join(built.chars)
    simplified = (convert or default_converter())(traditional)
    if len(simplified) != len(traditional):
        raise CleaningError("the converter changed the text's length; offsets would not map back")
    return CleanText(text=simplified, original=original, starts=tuple(built.starts))


def shipped_map() -> CleanText:
    """The shipped ``source.clean.txt`` with its offset map into ``source.txt``.

    Needs no converter: the map comes from the structural cleaning (markers, pinyin,
    damaged spans), which the converter never changes, since it keeps the length.
    """
    original = _package_file("source.txt").read_text(encoding="utf-8")
    text = _package_file("source.clean.txt").read_text(encoding="utf-8")
    starts = tuple(_clean_structure(original).starts)
    if len(starts) != len(text):
        raise CleaningError("source.clean.txt does not derive from source.txt; regenerate it")
    return CleanText(text=text, original=original, starts=starts)


def traditional(original: str) -> CleanText:
    """The structural cleaning only (markers, pinyin, damaged spans), still traditional."""
    return clean(original, convert=lambda text: text)


def _package_file(name: str) -> Path:
    return Path(str(resources.files("xfrules_shaanxi") / name))


def main(argv: list[str] | None = None) -> int:
    """Write (or, with --check, compare) source.clean.txt from source.txt."""
    parser = argparse.ArgumentParser(
        prog="python -m xfrules_shaanxi.cleaning", description=main.__doc__
    )
    parser.add_argument("--source", type=Path, default=_package_file("source.txt"))
    parser.add_argument("--output", type=Path, default=_package_file("source.clean.txt"))
    parser.add_argument("--check", action="store_true", help="fail if the output differs")
    args = parser.parse_args(argv)
    result = clean(args.source.read_text(encoding="utf-8"))
    if args.check:
        same = args.output.is_file() and args.output.read_text(encoding="utf-8") == result.text
        print(f"{args.output}: {'up to date' if same else 'differs from a fresh cleaning'}")
        return 0 if same else 1
    args.output.write_text(result.text, encoding="utf-8")
    print(f"wrote {args.output} ({len(result.text)} characters)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
