"""Reading inputs into documents (name + text) for the scanner."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..encoding import DecodeError, decode_bytes

#: A file larger than this is refused rather than read into memory whole.
MAX_DOCUMENT_BYTES = 256 * 1024 * 1024


class InputError(ValueError):
    """An input that cannot be read; the message names it."""


@dataclass(frozen=True)
class Document:
    name: str
    text: str


def read_document(path: Path, encoding: Optional[str] = None) -> Document:
    """Read and decode one text file (UTF-8 with or without BOM, else GB18030/GBK)."""
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
    return Document(name, _decode(data, name, encoding))


def read_stdin(name: str = "<stdin>", encoding: Optional[str] = None) -> Document:
    return Document(name, _decode(sys.stdin.buffer.read(), name, encoding))


def _decode(data: bytes, name: str, encoding: Optional[str]) -> str:
    try:
        return decode_bytes(data, name=name, encoding=encoding)
    except DecodeError as exc:
        raise InputError(str(exc)) from None
