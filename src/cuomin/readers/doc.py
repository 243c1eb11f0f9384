"""Word 97–2003 (.doc) and WPS (.wps) text: the text of a binary Word file.

The file is an OLE2 compound file (read with olefile); its ``WordDocument`` stream
starts with the File Information Block, which says where the piece table is (in the
``0Table`` or ``1Table`` stream) and how many characters each part of the document has.
The piece table lists where each run of characters is stored: UTF-16LE, or one byte a
character (Windows-1252) for runs Word could store so. ([MS-DOC] 2.4.1, "Retrieving
Text".) WPS Office writes its .wps files the same way.

The text has one paragraph a line, as for .docx: a paragraph mark, a table cell's or
row's end mark and a page or section break end a line; a line break inside a paragraph
becomes a space; a field's instructions are skipped and its result kept. The main
document comes first (``第N段``), then what is printed around it, which the file keeps
after it: footnotes (``脚注第N段``), headers and footers (``页眉页脚第N段``: all of a
document's, in the file's order), endnotes (``尾注第N段``), text boxes (``文本框第N段``)
and those in headers (``页眉文本框第N段``). Comments are not read: they are not published.
"""

from __future__ import annotations

import io
import re
import struct

from ..filetypes import OLE2

#: the File Information Block's first two bytes (wIdent)
_WORD = b"\xec\xa5"
#: the first nFib of Word 97: Word 6 and 95 files keep their text another way
_NFIB_97 = 0x00C1
#: FibBase.flags: fEncrypted, fWhichTblStm (the table stream is 1Table)
_ENCRYPTED = 0x0100
_TABLE_1 = 0x0200
#: the index of fcClx/lcbClx among FibRgFcLcb97's pairs
_CLX = 33
#: the parts of the text, in order, by the index of their length (ccp…) in FibRgLw97,
#: and the label of their paragraphs (None: not read)
_PARTS = ((3, "第{}段"), (4, "脚注第{}段"), (5, "页眉页脚第{}段"), (6, None), (7, None), (8, "尾注第{}段"),
          (9, "文本框第{}段"), (10, "页眉文本框第{}段"))
#: what ends a line of the text: paragraph mark, cell/row end, page or section break
_LINE_END = re.compile("[\r\x07\x0c]")
#: a field: \x13 instructions [\x14 result] \x15 (fields nest; results are kept)
_FIELD_MARK = re.compile("[\x13\x14\x15]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")


class DocError(ValueError):
    """Bytes that are not a readable Word 97–2003 document; the message says why, and
    ``password`` whether it is because the file is password-protected."""

    def __init__(self, message: str, *, password: bool = False):
        super().__init__(message)
        self.password = password


_PASSWORD = "a password-protected file: save it without a password"


def parse_doc(data: bytes) -> tuple[str, tuple[str, ...]]:
    """``(text, labels)``: one line of text and one label per paragraph: the main
    document's (``第N段``), then those of the parts printed around it (``脚注第N段`` …).
    Raises :class:`DocError`."""
    if not data.startswith(OLE2):
        raise DocError("not a Word 97–2003 file (not an OLE2 compound file)")
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            if ole.exists("EncryptedPackage"):
                raise DocError(_PASSWORD, password=True)
            if not ole.exists("WordDocument"):
                raise DocError("not a Word document (no WordDocument stream)")
            word = ole.openstream("WordDocument").read()
            flags = _u16(word, 0x0A) if len(word) >= 0x0C else 0
            table_name = "1Table" if flags & _TABLE_1 else "0Table"
            table = ole.openstream(table_name).read() if ole.exists(table_name) else b""
    except DocError:
        raise
    except Exception as exc:  # olefile's errors on a damaged container, struct errors …
        raise DocError(f"a damaged Word 97–2003 file ({type(exc).__name__})") from None
    text, lengths = _text(word, table)
    lines: list[str] = []
    labels: list[str] = []
    at = 0
    for index, ((_, label), length) in enumerate(zip(_PARTS, lengths)):
        part, at = text[at : at + length], at + length
        if label is None or not part:
            continue
        paragraphs = [_clean(line) for line in _LINE_END.split(_fields(part))]
        if paragraphs and not paragraphs[-1]:
            paragraphs.pop()  # (the part's last paragraph mark ends it)
        if index and not any(p.strip() for p in paragraphs):
            continue  # (a part around the main document with nothing in it: headers are kept
            # as a story for each section, most of them empty)
        lines += paragraphs
        labels += [label.format(i) for i in range(1, len(paragraphs) + 1)]
    return "\n".join(lines), tuple(labels)


def _text(word: bytes, table: bytes) -> tuple[str, list[int]]:
    """The document's text (all its parts, in order) and the length of each part."""
    if word[:2] != _WORD:
        raise DocError("not a Word document (no File Information Block)")
    if _u16(word, 2) < _NFIB_97:
        raise DocError("a Word 6 or Word 95 file: save it as .docx")
    if _u16(word, 0x0A) & _ENCRYPTED:
        raise DocError(_PASSWORD, password=True)
    try:
        pos = 32
        pos += 2 + 2 * _u16(word, pos)  # csw, FibRgW97
        lw, count = pos + 2, _u16(word, pos)  # cslw, FibRgLw97
        lengths = [_u32(word, lw + 4 * index) if index < count else 0 for index, _ in _PARTS]
        pos = lw + 4 * count
        pairs = pos + 2  # cbRgFcLcb, FibRgFcLcb
        fc_clx, lcb_clx = struct.unpack_from("<II", word, pairs + 8 * _CLX)
    except struct.error:
        raise DocError("a damaged Word file (File Information Block cut short)") from None
    clx = table[fc_clx : fc_clx + lcb_clx]
    i = 0
    while i < len(clx) and clx[i] == 1:  # Prc: property modifiers, skipped
        i += 3 + _u16(clx, i + 1) if i + 3 <= len(clx) else len(clx)
    if i + 5 > len(clx) or clx[i] != 2:
        raise DocError("a damaged Word file (no piece table)")
    lcb = _u32(clx, i + 1)
    plc = clx[i + 5 : i + 5 + lcb]
    n = (len(plc) - 4) // 12
    if n <= 0 or len(plc) < 4 + 12 * n:
        raise DocError("a damaged Word file (no piece table)")
    cps = struct.unpack_from(f"<{n + 1}I", plc)
    out: list[str] = []
    for k in range(n):
        fc = _u32(plc, 4 * (n + 1) + 8 * k + 2)
        chars = max(0, cps[k + 1] - cps[k])
        if fc & 0x40000000:  # one byte a character
            start = (fc & 0x3FFFFFFF) // 2
            out.append(word[start : start + chars].decode("cp1252", "replace"))
        else:
            out.append(word[fc : fc + 2 * chars].decode("utf-16-le", "replace"))
    return "".join(out), lengths


def _fields(text: str) -> str:
    """``text`` with each field's instructions left out (its result kept)."""
    if "\x13" not in text:
        return text
    out: list[str] = []
    in_code: list[bool] = []  # per open field: still in its instructions
    pos = 0
    for mark in _FIELD_MARK.finditer(text):
        if not any(in_code):
            out.append(text[pos : mark.start()])
        ch = mark.group()
        if ch == "\x13":
            in_code.append(True)
        elif in_code and ch == "\x14":
            in_code[-1] = False
        elif in_code:  # \x15
            in_code.pop()
        pos = mark.end()
    if not any(in_code):
        out.append(text[pos:])
    return "".join(out)


def _clean(line: str) -> str:
    """A line break (\\x0b) inside a paragraph as a space; other control characters out."""
    return _CONTROL.sub("", line.replace("\x0b", " "))


def _u16(data: bytes, at: int) -> int:
    return int.from_bytes(data[at : at + 2], "little")


def _u32(data: bytes, at: int) -> int:
    return int.from_bytes(data[at : at + 4], "little")
