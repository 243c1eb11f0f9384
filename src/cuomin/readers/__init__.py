"""Reading inputs into documents for the scanner.

Plain text (``.txt`` and anything unknown), Markdown (``.md``, ``.markdown``), HTML
(``.html``, ``.htm``, ``.xhtml``), Word (``.docx``; ``.doc`` and WPS ``.wps``, the
binary format; RTF), PDF with a text layer (``.pdf``) and spreadsheets (``.xlsx``,
``.xls``, WPS ``.et``: a line a row), from files, directories
(:mod:`cuomin.readers.walk`) or standard input. A :class:`Document` carries the text
the scanner sees (``text``), the file's own text where it differs (``source``), how to
get from one to the other, and the inline suppressions found in it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Optional

from ..encoding import DecodeError, decode_text
from ..suppress import Suppression, line_suppressions
from .locations import LineIndex, Region, SegmentMap

__all__ = ["Document", "InputError", "KINDS", "Region", "kind_for", "parse_text", "read_bytes", "read_document", "read_stdin"]

#: A file larger than this is refused rather than read into memory whole.
MAX_DOCUMENT_BYTES = 256 * 1024 * 1024

#: File name suffix → document kind; anything else is read as plain text.
KINDS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".doc": "doc",
    ".wps": "doc",
    ".rtf": "doc",
    ".pdf": "pdf",
    ".xlsx": "sheet",
    ".xlsm": "sheet",
    ".xls": "sheet",
    ".et": "sheet",
}
#: the kinds whose text is extracted from a file that is not text (Word, RTF, PDF,
#: spreadsheets): fixes are not written back into it, and reports show the extracted text
EXTRACTED_KINDS = ("docx", "doc", "rtf", "pdf", "sheet")


class InputError(ValueError):
    """An input that cannot be read; the message names it (``name`` is the input)."""

    def __init__(self, message: str, name: Optional[str] = None):
        super().__init__(message)
        self.name = name


@dataclass(frozen=True)
class Document:
    """One input, ready to scan.

    ``text`` is what the scanner reads, and every finding's ``start``/``end`` are
    offsets into it. ``source`` is the file's decoded text when that differs (Markdown
    with its code masked, HTML markup); ``source_map`` takes text offsets to source
    offsets when they are not the same offsets (HTML). ``labels`` name each line of
    ``text`` for people (DOCX: ``第12段``). ``published`` is the publication date the
    document gives itself (an HTML page's ``<meta name="PubDate">``, Markdown front
    matter's ``date:``). ``encoding``/``bom`` say how to write the
    file back (text and Markdown files only).
    """

    name: str
    text: str
    kind: str = "text"
    source: Optional[str] = None
    source_map: Optional[SegmentMap] = None
    labels: Optional[tuple[str, ...]] = None
    suppressions: tuple[Suppression, ...] = ()
    sha256: str = ""
    path: Optional[str] = None
    encoding: Optional[str] = None
    bom: bytes = b""
    published: Optional[dt.date] = None

    @property
    def source_text(self) -> str:
        """The file's own text (for DOCX, the extracted text: there is no other)."""
        return self.text if self.source is None else self.source

    @property
    def display_text(self) -> str:
        """The text whose lines reports show: the source where offsets are shared."""
        return self.source_text if self.source_map is None else self.text

    @property
    def extracted(self) -> bool:
        """Whether ``text`` was extracted (Word, RTF, PDF) rather than read from text."""
        return self.kind in EXTRACTED_KINDS

    @property
    def writable(self) -> bool:
        """Whether fixes can be written back into the file (text and Markdown)."""
        return self.kind in ("text", "markdown") and self.path is not None and self.encoding is not None

    @cached_property
    def _lines(self) -> LineIndex:
        return LineIndex(self.text)

    def region(self, start: int, end: int) -> Region:
        """Start and end (line, column) of ``text[start:end]`` in the user's file:
        source lines for HTML, paragraph and character for DOCX."""
        if self.source_map is not None:
            return self.source_map.region(start, end)
        return self._lines.region(start, end)

    def source_span(self, start: int, end: int) -> Optional[tuple[int, int]]:
        """The span of ``source_text`` holding exactly ``text[start:end]``, if any."""
        if self.source_map is not None:
            return self.source_map.source_span(start, end)
        return start, end

    def label(self, offset: int) -> str:
        """What a person calls the place of ``offset`` ("第3段"), or ""."""
        if not self.labels:
            return ""
        line = self._lines.position(offset)[0]
        return self.labels[line - 1] if line <= len(self.labels) else ""


def kind_for(name: str) -> str:
    return KINDS.get(Path(name).suffix.lower(), "text")


def parse_text(source: str, name: str, kind: str = "text", **extra) -> Document:
    """A Document from decoded text of a text, Markdown or HTML file."""
    if kind == "markdown":
        from .markdown import parse_markdown

        text, sup, published = parse_markdown(source)
        return Document(name, text, kind, source=source, suppressions=tuple(sup), published=published, **extra)
    if kind == "html":
        from .html import parse_html

        text, smap, sup, published = parse_html(source)
        return Document(name, text, kind, source=source, source_map=smap, suppressions=tuple(sup),
                        published=published, **extra)
    return Document(name, source, "text", suppressions=tuple(line_suppressions(source)), **extra)


def read_bytes(
    data: bytes,
    name: str,
    *,
    kind: Optional[str] = None,
    encoding: Optional[str] = None,
    path: Optional[str] = None,
) -> Document:
    """A Document from the bytes of a file; ``kind`` defaults to the one ``name``'s
    suffix implies. Raises :class:`InputError` naming ``name``."""
    kind = kind or kind_for(name)
    digest = hashlib.sha256(data).hexdigest()
    if kind in EXTRACTED_KINDS:
        text, labels, kind = _extracted(data, name, kind)
        return Document(
            name, text, kind, labels=labels, suppressions=tuple(line_suppressions(text)), sha256=digest, path=path
        )
    try:
        text, codec, bom = decode_text(data, name=name, encoding=encoding)
    except DecodeError as exc:
        raise InputError(str(exc)) from None
    return parse_text(text, name, kind, sha256=digest, path=path, encoding=codec, bom=bom)


def _extracted(data: bytes, name: str, kind: str) -> tuple[str, tuple[str, ...], str]:
    """``(text, labels, kind)`` of a file whose text is extracted (:data:`EXTRACTED_KINDS`).
    A Word file is read by what its bytes are: a .doc named .docx, or the reverse, is read
    all the same, and so is RTF under either (Word saves it so). Raises :class:`InputError`."""
    from ..filetypes import OLE2, PDF, ZIP
    from .doc import DocError, parse_doc
    from .docx import DocxError, parse_docx
    from .pdf import PdfError, parse_pdf
    from .rtf import RtfError, is_rtf, parse_rtf
    from .sheet import SheetError, parse_sheet

    if kind == "pdf":
        if PDF not in data[:1024]:  # (readers accept junk before the header)
            raise InputError(f"{name}: not a PDF file")
        parse = parse_pdf
    elif kind == "sheet":
        parse = parse_sheet
    elif is_rtf(data):
        parse, kind = parse_rtf, "rtf"
    elif data.startswith(OLE2):
        parse, kind = parse_doc, "doc"
    elif kind == "doc" and not data.startswith(ZIP):
        raise InputError(f"{name}: not a Word file (neither Word 97–2003, RTF nor .docx)")
    else:
        parse, kind = parse_docx, "docx"
    try:
        return (*parse(data), kind)
    except (DocError, DocxError, PdfError, RtfError, SheetError) as exc:
        raise InputError(f"{name}: {exc}") from None


def read_document(path: Path, encoding: Optional[str] = None) -> Document:
    """Read one file: decoded (UTF-8 with or without BOM, else GB18030/GBK) and parsed
    by its kind (suffix)."""
    path = Path(path)
    name = str(path)
    try:
        if path.is_dir():
            raise InputError(f"{name}: is a directory")
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise InputError(f"{name}: {size:,} bytes is more than one document can be ({MAX_DOCUMENT_BYTES:,})")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror}") from None
    return read_bytes(data, name, encoding=encoding, path=name)


def read_stdin(name: str = "<stdin>", encoding: Optional[str] = None) -> Document:
    """Standard input, parsed by the kind ``name`` implies (``--stdin-name draft.md``)."""
    return read_bytes(sys.stdin.buffer.read(), name, encoding=encoding)
