"""What a file is, told by its first bytes: the kinds people hand over where text or a
form is wanted (a PDF, an Office package, an old Office or WPS file, a picture)."""

from __future__ import annotations

import struct
from typing import Optional

#: an OLE2 compound file: Word/Excel 97–2003, WPS (.wps/.et), a password-protected docx/xlsx
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: a ZIP archive: every Office 2007+ package (docx, xlsx) is one
ZIP = b"PK\x03\x04"
PDF = b"%PDF-"

_PICTURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG", (".png",)),
    (b"\xff\xd8\xff", "JPEG", (".jpg", ".jpeg", ".jpe", ".jfif")),
    (b"GIF87a", "GIF", (".gif",)),
    (b"GIF89a", "GIF", (".gif",)),
    (b"II*\x00", "TIFF", (".tif", ".tiff")),
    (b"MM\x00*", "TIFF", (".tif", ".tiff")),
)
_HEIF_BRANDS = {b"heic": "HEIC", b"heix": "HEIC", b"hevc": "HEIC", b"heim": "HEIC", b"heis": "HEIC",
                b"mif1": "HEIF", b"avif": "AVIF"}


def picture(head: bytes) -> Optional[tuple[str, tuple[str, ...]]]:
    """``(format, its suffixes)`` when the bytes are a picture (a scan, a photo), else None."""
    for magic, name, suffixes in _PICTURES:
        if head.startswith(magic):
            return name, suffixes
    # BMP's "BM" is only two letters: also ask for zero reserved bytes and a known header size
    if head[:2] == b"BM" and len(head) >= 18 and head[6:10] == b"\0" * 4 \
            and struct.unpack_from("<I", head, 14)[0] in (12, 40, 52, 56, 64, 108, 124):
        return "BMP", (".bmp", ".dib")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP", (".webp",)
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:  # phone photos
        return _HEIF_BRANDS[head[8:12]], (".heic", ".heif", ".avif")
    return None
