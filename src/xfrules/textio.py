"""One way to read the bytes of a text file people save on Chinese office machines: UTF-8
(with or without the BOM Excel and Notepad write), UTF-16 with its BOM (Excel's "Unicode
Text"), or GBK — read as GB18030, its superset. Facts files, annex tables and ledgers all
decode here, so a file one reader takes the others take too.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from .errors import InputError, Problem
from .i18n import Msg

__all__ = ["ENCODING_NAMES", "decode_text", "encoding_of"]

# What a person calls each encoding, in messages.
ENCODING_NAMES = {
    "utf-8-sig": "UTF-8",
    "utf-8": "UTF-8",
    "gb18030": "GBK/GB18030",
    "utf-16": "UTF-16",
}


def encoding_of(head: bytes, *, complete: bool) -> str | None:
    """The encoding of a file starting with ``head`` ('utf-8-sig', 'utf-16', 'utf-8' or
    'gb18030'), or None when ``head`` is none of them. ``complete``: ``head`` is the whole file
    (otherwise a character cut at its end is not held against it)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=complete)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


def decode_text(raw: bytes, path: str | Path) -> str:
    """The whole text of a file's bytes; bad input naming the file and the line of the first
    byte that cannot be read when it is no text of the encodings above."""
    if not raw.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:  # what encoding_of tries first, decoded once rather than twice
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
    encoding = encoding_of(raw, complete=True)
    if encoding is not None:
        return raw.decode(encoding)
    # Name the line in the encoding the file most likely is: UTF-8 unless GB18030 reads
    # further into it.
    problems = []
    for candidate in ("utf-8", "gb18030"):
        try:
            raw.decode(candidate)
        except UnicodeDecodeError as exc:
            problems.append((exc.start, candidate))
    start, _ = max(problems)
    line = raw.count(b"\n", 0, start) + 1
    raise InputError(
        [
            Problem(
                str(path),
                Msg("at.line", n=line),
                "",
                Msg("file.undecodable", offset=start),
            )
        ]
    )
