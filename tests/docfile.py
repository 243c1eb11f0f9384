"""Word 97–2003 (.doc) files for tests, written the way Word lays them out: an OLE2
compound file (version 3, 512-byte sectors) holding a ``WordDocument`` stream (the File
Information Block, then the text) and a ``1Table`` stream (the piece table). Streams are
padded to 4,096 bytes so that none lives in the mini stream.

``pieces`` are the runs of the main document's text in order, each stored as UTF-16LE,
or as one byte a character (``compressed``: Windows-1252) as Word stores runs it can.
"""

from __future__ import annotations

import struct

SECTOR = 512
END, FREE, FAT_SECTOR = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
TEXT_AT = 1024  # where the text starts in the WordDocument stream


def word_document(pieces: list[tuple[str, bool]], *, nfib: int = 0x00C1, encrypted: bool = False,
                  parts: tuple[int, ...] = ()) -> bytes:
    """A .doc file whose text is the concatenated ``pieces``: all of it the main
    document, or as many characters for each part as ``parts`` says (main document,
    footnotes, headers, macros, comments, endnotes, text boxes, header text boxes)."""
    text_bytes, pcds, cps, cp = b"", [], [0], 0
    for text, compressed in pieces:
        fc = TEXT_AT + len(text_bytes)
        data = text.encode("cp1252") if compressed else text.encode("utf-16-le")
        pcds.append(struct.pack("<HIH", 0, (fc * 2) | 0x40000000 if compressed else fc, 0))
        text_bytes += data
        cp += len(text)
        cps.append(cp)
    plc = struct.pack(f"<{len(cps)}I", *cps) + b"".join(pcds)
    table = (b"\x01" + struct.pack("<H", 3) + b"\x00\x00\x00"  # a Prc, skipped by readers
             + b"\x02" + struct.pack("<I", len(plc)) + plc)
    fib = bytearray(TEXT_AT)
    struct.pack_into("<HH", fib, 0, 0xA5EC, nfib)
    struct.pack_into("<H", fib, 0x0A, 0x0200 | (0x0100 if encrypted else 0))  # fWhichTblStm: 1Table
    struct.pack_into("<H", fib, 32, 14)  # csw, then FibRgW97
    struct.pack_into("<H", fib, 62, 22)  # cslw, then FibRgLw97
    for i, length in enumerate(parts or (cp,)):  # ccpText, ccpFtn, ccpHdd …
        struct.pack_into("<I", fib, 64 + 4 * (3 + i), length)
    struct.pack_into("<H", fib, 152, 93)  # cbRgFcLcb, then FibRgFcLcb97
    struct.pack_into("<II", fib, 154 + 8 * 33, 0, len(table))  # fcClx, lcbClx
    return compound_file({"WordDocument": bytes(fib) + text_bytes, "1Table": table})


def compound_file(streams: dict[str, bytes]) -> bytes:
    """An OLE2 compound file holding ``streams`` (at most three, each in regular sectors)."""
    streams = {name: data.ljust(max(4096, -(-len(data) // SECTOR) * SECTOR), b"\0") for name, data in streams.items()}
    fat = [FAT_SECTOR, END]  # sector 0: the FAT; sector 1: the directory
    starts = {}
    for name, data in streams.items():
        n = len(data) // SECTOR
        starts[name] = len(fat)
        fat.extend(range(len(fat) + 1, len(fat) + n))
        fat.append(END)
    assert len(fat) <= SECTOR // 4
    header = bytearray(SECTOR)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 4096, END, 0, END, 0)
    struct.pack_into("<109I", header, 76, 0, *([FREE] * 108))
    names = list(streams)  # a red-black tree, all black: the first stream under the root,
    directory = _entry("Root Entry", 5, END, 0, child=1)  # the others its left siblings
    for i, name in enumerate(names, 1):
        directory += _entry(name, 2, starts[name], len(streams[name]), left=i + 1 if i < len(names) else FREE)
    directory = directory.ljust(SECTOR, b"\0")
    fat_sector = struct.pack(f"<{SECTOR // 4}I", *fat, *([FREE] * (SECTOR // 4 - len(fat))))
    return bytes(header) + fat_sector + directory + b"".join(streams.values())


def _entry(name: str, kind: int, start: int, size: int, *, child: int = FREE, left: int = FREE) -> bytes:
    raw = name.encode("utf-16-le") + b"\0\0"
    entry = bytearray(128)
    entry[: len(raw)] = raw
    struct.pack_into("<HBBIII", entry, 64, len(raw), kind, 1, left, FREE, child)
    struct.pack_into("<II", entry, 116, start, size)
    return bytes(entry)
