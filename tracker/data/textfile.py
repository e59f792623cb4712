"""Read an input file as text: UTF-8, of a sane size, without invisible control characters."""

from __future__ import annotations

import re
from pathlib import Path

from tracker.errors import DataError, Problem

MAX_BYTES = 100_000_000  # a national data set (20,000 records) is about 50 MB; refuses accidents before parsing
# Invisible characters that arrive by copy and paste (or an escape such as "\x00") and break pages and feeds.
# Tab, line feed, carriage return and NEL (U+0085) are line breaks or spacing, so they are allowed.
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
# CONTROLS' characters below 128, for the common case of a file in plain ASCII (a copy in C beats a search).
ASCII_CONTROLS = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def control_words(char: str) -> str:
    return f"the text holds an invisible control character (U+{ord(char):04X})"


def line_col_at(text: str, index: int) -> tuple[int, int]:
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def _decode(path: str, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError([Problem(path, 1, None, "the file is saved as UTF-16; save it as UTF-8.", title="Encoding")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        message = f"the file is not valid UTF-8 text (bad byte at position {e.start}); save it as UTF-8."
        raise DataError([Problem(path, line, None, message, title="Encoding")]) from e
    return text.removeprefix("\ufeff")  # a UTF-8 byte-order mark is harmless: some Windows editors add one


def _check_controls(path: str, data: bytes, text: str) -> None:
    if data.isascii() and len(data.translate(None, ASCII_CONTROLS)) == len(data):
        return
    if found := CONTROLS.search(text):
        message = f"{control_words(found.group())}, probably pasted by accident; delete it."
        raise DataError([Problem(path, *line_col_at(text, found.start()), message, title="Control character")])


def read_text_file(file: Path, display: str) -> str:
    """Read a UTF-8 input file, refusing huge files, other encodings and invisible control characters."""
    try:
        # A huge file is refused by its size alone; reading stops at the limit even for a pipe.
        too_big = file.is_file() and file.stat().st_size > MAX_BYTES
        data = b""
        if not too_big:
            with file.open("rb") as handle:
                data = handle.read(MAX_BYTES + 1)
    except OSError as e:
        message = f"cannot read the file: {e.strerror or e}."
        raise DataError([Problem(display, None, None, message, title="Missing file")]) from e
    if too_big or len(data) > MAX_BYTES:
        size = f"{file.stat().st_size:,} bytes" if file.is_file() else "larger"
        message = f"the file is {size}, more than the {MAX_BYTES:,} allowed; is it the right file?"
        raise DataError([Problem(display, None, None, message, title="File too large")])
    text = _decode(display, data)
    _check_controls(display, data, text)
    return text
