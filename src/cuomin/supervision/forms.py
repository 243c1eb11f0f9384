"""Downloadable forms of a service guide (办事指南): is each blank form (空表) and filled
sample (样表) usable by the public? It must exist, not be empty, be in a format people
can fill in (Word, Excel, WPS, or a PDF with a text layer) and not be a picture.

:func:`inspect_form` decides by the file's bytes first and its suffix second (a photo
renamed ``.docx`` is still a photo), reads at most 50 MB of a file, fetches nothing
from the network (a URL is reported as not checked), and never raises: every problem
becomes a kind and a short Chinese phrase for reports. It also extracts the text of
Word (.docx, .doc, .wps, RTF), Excel and PDF files, so that a blank form can be compared
with its sample.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..filetypes import OLE2, PDF, ZIP, picture
from ..readers.rtf import is_rtf

KINDS = ("url", "missing", "unreadable", "empty", "image", "pdf_text", "pdf_scanned",
         "docx", "xlsx", "doc", "xls", "wps", "et", "other")
EDITABLE = frozenset({"doc", "docx", "xls", "xlsx", "wps", "et", "pdf_text"})
MAX_READ = 50 * 1024 * 1024  # bytes read of one file
MAX_INFLATE = 20 * 1024 * 1024  # bytes decompressed from one PDF's streams


@dataclass(frozen=True)
class FormFile:
    """What :func:`inspect_form` found about one form file."""

    ref: str  # the reference as given (a relative or absolute path, or a URL)
    path: Optional[Path]  # the resolved local path; None for a URL
    kind: str  # one of KINDS
    text: Optional[str]  # the text of a Word, Excel or PDF (with text) file; None when not extracted
    sha256: Optional[str]  # of the file's bytes, when the whole file could be read
    detail: str  # a short Chinese phrase for reports

    @property
    def editable(self) -> bool:
        """In a format people can fill in: Word, Excel, WPS, or a PDF with a text layer."""
        return self.kind in EDITABLE

    @property
    def usable(self) -> bool:
        """Exists, is not empty and is editable (the editable kinds imply the first two).
        A URL could not be verified, so it is not usable; see :attr:`checked`."""
        return self.editable

    @property
    def checked(self) -> bool:
        """False only for a URL: nothing about it could be verified offline."""
        return self.kind != "url"


_URL = re.compile(r"\s*(?:https?|ftp)://", re.IGNORECASE)


def inspect_form(ref: str, base: Path) -> FormFile:
    """``ref`` relative to ``base`` (a directory) unless absolute; http(s):// or ftp://
    refs are kind 'url' (never fetched: no network)."""
    if _URL.match(ref):
        return FormFile(ref, None, "url", None, None, "链接（未下载，未核验）")
    if not ref.strip():
        return FormFile(ref, None, "missing", None, None, "未给出文件路径")
    path = Path(base) / ref.strip()  # an absolute ref replaces base

    def result(kind: str, detail: str) -> FormFile:
        return FormFile(ref, path, kind, None, None, detail)

    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            return result("unreadable", "是文件夹，不是文件")
        if not stat.S_ISREG(mode):  # a FIFO or device: opening it could block forever
            return result("unreadable", "不是普通文件")
        with open(path, "rb") as f:
            data = f.read(MAX_READ + 1)
    except (FileNotFoundError, NotADirectoryError):
        return result("missing", "文件不存在")
    except PermissionError:
        return result("unreadable", "没有读取权限")
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        why = "路径无效" if isinstance(exc, ValueError) else exc.strerror or type(exc).__name__
        return result("unreadable", f"无法读取（{why}）")
    whole = len(data) <= MAX_READ
    data = data[:MAX_READ]
    sha = hashlib.sha256(data).hexdigest() if whole else None
    if not data:
        return FormFile(ref, path, "empty", None, sha, "空文件（0字节）")
    kind, detail, text = _classify(data, path.suffix.lower(), whole)
    if not whole:
        detail += "（超过50MB，只检查了开头）"
    return FormFile(ref, path, kind, text, sha, detail)


# ------------------------------------------------------------------ by magic bytes
_OLE_SUFFIXES = {".doc": "doc", ".xls": "xls", ".wps": "wps", ".et": "et"}
_DETAILS = {"doc": "Word 97-2003文档（.doc）", "xls": "Excel 97-2003工作簿（.xls）",
            "wps": "WPS文字文档（.wps）", "et": "WPS表格文档（.et）", "docx": "Word文档（.docx）"}


def _classify(data: bytes, suffix: str, whole: bool) -> tuple[str, str, Optional[str]]:
    """``(kind, detail, text)`` of a file's non-empty bytes (the first 50 MB of them
    when not ``whole``: then the kind comes from the head and no text is extracted)."""
    image = picture(data)
    if image:
        name, suffixes = image
        return "image", f"{name}图片" + (f"（扩展名为{suffix}）" if suffix and suffix not in suffixes else ""), None
    if PDF in data[:1024]:  # readers accept junk before the header
        kind, detail = _pdf(data)
        if kind != "pdf_text" or not whole:
            return kind, detail, None
        from ..readers.pdf import pdf_text

        return kind, detail, pdf_text(data)
    if data.startswith(ZIP):
        return _zip(data, suffix, whole)
    if data.startswith(OLE2):
        return _ole(data, suffix, whole)
    if is_rtf(data):  # Word opens and saves RTF: many ".doc" forms are RTF
        return "doc", "RTF文档（Word可编辑）", _rtf_text(data) if whole else None
    return "other", f"不是Word、Excel、WPS或PDF文件（{f'扩展名为{suffix}' if suffix else '无扩展名'}）", None


def _zip(data: bytes, suffix: str, whole: bool) -> tuple[str, str, Optional[str]]:
    """Word or Excel 2007+ by the package's parts. Without the central directory (past
    the bytes read, or broken) the part names are still in the local headers."""
    names = None
    if whole:
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except Exception:  # BadZipFile, and whatever else a malformed archive raises
            pass
    has = names.__contains__ if names is not None else (lambda name: name.encode() in data)
    word, excel = has("word/document.xml"), has("xl/workbook.xml")
    if names is None and whole:
        what = "Word" if word or suffix == ".docx" else "Excel" if excel or suffix in (".xlsx", ".xlsm") else ""
        return "unreadable", f"无法打开的{what}文件" if what else "损坏的ZIP压缩包", None
    if word:
        if not whole:
            return "docx", _DETAILS["docx"], None
        try:
            from ..readers.docx import parse_docx

            return "docx", _DETAILS["docx"], parse_docx(data)[0]
        except Exception:  # DocxError, and anything else a malformed package raises
            return "unreadable", "无法打开的Word文件", None
    if excel:
        return _excel("xlsx", f"Excel工作簿（{'.xlsm' if suffix == '.xlsm' else '.xlsx'}）", data, whole)
    return "other", "ZIP压缩包（不是Word或Excel文件）", None


def _ole_entry(data: bytes, name: str) -> bool:
    """Whether an OLE2 (compound file) directory holds a stream ``name``: its UTF-16LE
    name, terminated, in a 128-byte directory entry that gives the name's length at
    offset 64. So exact that the whole head can be searched (the directory is
    usually, not always, near the start)."""
    raw = name.encode("utf-16le") + b"\0\0"
    size = struct.pack("<H", len(raw))
    pos = data.find(raw)
    while pos != -1:
        if pos % 128 == 0 and data[pos + 64 : pos + 66] == size:
            return True
        pos = data.find(raw, pos + 1)
    return False


def _ole(data: bytes, suffix: str, whole: bool) -> tuple[str, str, Optional[str]]:
    """Word or Excel 97-2003 (or WPS's .wps/.et, the same containers) by the streams the
    file holds; by suffix when neither is found."""
    if _ole_entry(data, "EncryptedPackage"):  # a password-protected docx/xlsx
        return "unreadable", "有密码保护的Office文件", None
    if _ole_entry(data, "WordDocument"):
        kind = "wps" if suffix == ".wps" else "doc"
    elif _ole_entry(data, "Workbook") or _ole_entry(data, "Book"):
        kind = "et" if suffix == ".et" else "xls"
    else:
        kind = _OLE_SUFFIXES.get(suffix, "other")
    if kind == "xls":
        return _excel("xls", _DETAILS["xls"], data, whole)
    if kind in ("doc", "wps") and whole:
        from ..readers.doc import DocError, parse_doc

        try:
            return kind, _DETAILS[kind], parse_doc(data)[0]
        except DocError as exc:
            if exc.password:
                return "unreadable", "有密码保护的Word文件", None
            # (a Word 6/95 file, or one this reader does not follow: Word may still open it)
    return kind, _DETAILS.get(kind, "Office复合文档（不是Word或Excel文件）"), None


def _rtf_text(data: bytes) -> Optional[str]:
    from ..readers.rtf import RtfError, parse_rtf

    try:
        return parse_rtf(data)[0]
    except RtfError:
        return None


def _excel(kind: str, detail: str, data: bytes, whole: bool) -> tuple[str, str, Optional[str]]:
    """Every non-blank cell of every sheet, one a line (readers/sheet.py)."""
    if not whole:
        return kind, detail, None
    from ..readers.sheet import SheetError, sheet_rows

    try:
        cells = [cell for _, _, row in sheet_rows(data) for cell in row if cell]
    except SheetError:
        return "unreadable", "无法打开的Excel文件", None
    return kind, detail, "\n".join(cells)


# ------------------------------------------------------------------ PDF text layer
_REGULAR = rb"[^\s()<>\[\]{}/%]"  # a character that is neither white space nor a delimiter
_BT = re.compile(rb"(?<!" + _REGULAR + rb")BT(?!" + _REGULAR + rb")")
_SHOW = re.compile(rb"(?<!" + _REGULAR + rb")T[jJ](?!" + _REGULAR + rb")")
_FONT = re.compile(rb"/Font(?!" + _REGULAR + rb")")  # not /FontFile, /FontDescriptor …
_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_PICTURE = re.compile(rb"/Subtype\s*/Image|/(?:DCT|JPX|CCITTFax|JBIG2)Decode")
_ENCRYPT = re.compile(rb"/Encrypt\s*(?:\d+\s+\d+\s+R|<<)")


def _pdf(data: bytes) -> tuple[str, str]:
    """A PDF has a text layer when it has a font resource (``/Font``) and a content
    stream shows text (``Tj``/``TJ`` after ``BT``). Scans (pages that only paint an
    image) have neither. Streams are inflated when they can be (up to 20 MB in all);
    image streams are skipped: their pixels may hold those bytes by chance."""
    font, shows, failed, streams, budget = bool(_FONT.search(data)), False, False, 0, MAX_INFLATE
    match = _STREAM.search(data)
    while match and budget > 0 and not (font and shows):
        end = data.find(b"endstream", match.end())
        end = len(data) if end == -1 else end
        head = data[max(0, match.start() - 2048) : match.start()]
        head = head[head.rfind(b"obj") + 1 :]  # the stream's dictionary
        streams += 1
        if not _PICTURE.search(head):
            body = data[match.end() : end]
            try:  # decompressobj: the bytes before "endstream" may hold an EOL or junk
                body = zlib.decompressobj().decompress(body, budget)
                budget -= len(body)
            except zlib.error:  # not compressed, or encrypted
                failed = failed or b"/FlateDecode" in head
            font = font or bool(_FONT.search(body))
            bt = _BT.search(body)
            shows = shows or bool(bt and _SHOW.search(body, bt.end()))
        match = _STREAM.search(data, end)
    if font and shows:
        return "pdf_text", "有文字层的PDF"
    if failed and _ENCRYPT.search(data):
        return "unreadable", "加密的PDF"
    if not streams:
        return "unreadable", "无法解析的PDF（没有内容流）"
    return "pdf_scanned", "无文字层的PDF（扫描件）"
