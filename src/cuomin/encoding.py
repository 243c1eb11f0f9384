"""Decoding input bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030.

GBK and GB2312 are subsets of GB18030, so one fallback covers the encodings this
field actually produces. A file with NUL bytes (and no UTF-16 BOM) is binary.
"""

from __future__ import annotations

import codecs
import re
from typing import Optional

from .filetypes import OLE2, PDF, ZIP, picture

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def has_lone_surrogates(text: str) -> bool:
    """Whether ``text`` holds surrogate code points: not characters (half of an emoji
    cut by an exporter, then written as a JSON ``\\ud83d`` escape), so it cannot be
    encoded as UTF-8."""
    return _LONE_SURROGATE.search(text) is not None


def replace_lone_surrogates(text: str) -> str:
    """``text`` with each surrogate code point replaced by U+FFFD (�): the same
    length, so offsets into it still hold."""
    return _LONE_SURROGATE.sub("\ufffd", text)


class DecodeError(ValueError):
    """Bytes that are not text in a supported encoding; the message names the input."""


def decode_bytes(data: bytes, name: str = "<input>", encoding: Optional[str] = None) -> str:
    """Decode ``data``; raise :class:`DecodeError` naming ``name`` when it is not text."""
    return decode_text(data, name, encoding)[0]


def _not_text(head: bytes) -> Optional[str]:
    """What a file often given where text is wanted is, told by its first bytes, and
    what to do with it; None for anything else."""
    if head.startswith(PDF):
        return "a PDF file (name it .pdf to check its text)"
    if head.startswith(ZIP):  # an Office package names its parts near the start
        if b"word/" in head:
            return "a Word file (name it .docx to check it)"
        if b"xl/" in head:
            return "an Excel workbook (name it .xlsx to check it; cuomin scan reads posts in one)"
        return "a ZIP package"
    if head.startswith(OLE2):
        return "a Word/Excel 97–2003 or WPS file (a Word file: name it .doc to check it)"
    if picture(head):
        return "a picture"
    return None


def decode_text(data: bytes, name: str = "<input>", encoding: Optional[str] = None) -> tuple[str, str, bytes]:
    """``(text, codec, bom)``: ``data`` decoded, and the codec and byte-order mark that
    write the text back as the same bytes. Raises :class:`DecodeError` naming ``name``.
    The bytes are not copied (a document may be hundreds of megabytes)."""
    if encoding:
        try:
            return str(data, encoding), encoding, b""
        except LookupError:
            raise DecodeError(f"{name}: unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as exc:
            raise DecodeError(f"{name}: not valid {encoding} at byte {exc.start}") from None
    bom = b""
    if data.startswith(codecs.BOM_UTF8):
        bom = codecs.BOM_UTF8
    elif data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            return str(data, "utf-16"), "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be", data[:2]
        except UnicodeDecodeError:
            raise DecodeError(f"{name}: broken UTF-16 text") from None
    body = memoryview(data)[len(bom):]
    kind = _not_text(bytes(body[:4096]))
    if kind:
        raise DecodeError(f"{name}: {kind}, not text")
    if data.find(b"\x00", len(bom)) >= 0:
        raise DecodeError(f"{name}: binary file (contains NUL bytes), not text")
    try:
        return str(body, "utf-8"), "utf-8", bom
    except UnicodeDecodeError as utf8_error:
        try:
            return str(body, "gb18030"), "gb18030", bom
        except UnicodeDecodeError:
            raise DecodeError(
                f"{name}: neither UTF-8 (bad byte at {utf8_error.start}) nor GB18030/GBK; "
                "give the encoding with --encoding"
            ) from None
