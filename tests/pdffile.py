"""PDF files for tests: objects numbered from 1 with a correct xref table, one-page
documents, and a page of Chinese text in a CID font mapped to Unicode (as Chinese PDFs
are written: glyph numbers in the content, a ToUnicode map beside them)."""

from __future__ import annotations

import zlib

FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def pdf(*objects: bytes, trailer: bytes = b"") -> bytes:
    """A PDF with these objects (numbered from 1), a correct xref table and a trailer."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


def stream(data: bytes, extra: bytes = b"", *, flate: bool = True) -> bytes:
    if flate:
        data, extra = zlib.compress(data), extra + b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(data), extra, data)


def page_pdf(content: bytes, resources: bytes, *more: bytes, flate: bool = True, trailer: bytes = b"") -> bytes:
    """One A4 page with this content stream (object 4) and resources; more objects from 5."""
    return pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s /Contents 4 0 R >>" % resources,
        stream(content, flate=flate),
        *more,
        trailer=trailer,
    )


IMAGE_PAGE = b"q 595 0 0 842 0 0 cm /Im1 Do Q"  # a page that paints one picture: a scan
IMAGE = b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8"


def chinese_page_pdf(text: str) -> bytes:
    """One page showing ``text`` (see :func:`chinese_pdf`)."""
    return chinese_pdf([text])


def chinese_pdf(pages: list[str]) -> bytes:
    """Pages showing these texts (a line of the page for each of a text's lines) in a
    CID font (Identity-H) whose ToUnicode map gives each glyph number back its character."""
    chars = list(dict.fromkeys("".join(pages).replace("\n", "")))

    def content(text: str) -> bytes:
        shows = b" 0 -20 Td ".join(b"<" + b"".join(b"%04X" % (chars.index(c) + 1) for c in line) + b"> Tj"
                                   for line in text.split("\n"))
        return b"BT /F1 12 Tf 72 720 Td " + shows + b" ET"

    bfchar = b"".join(b"<%04X> <%04X>\n" % (i, ord(c)) for i, c in enumerate(chars, 1))
    cmap = (b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            b"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            b"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
            b"%d beginbfchar\n%sendbfchar\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
            % (len(chars), bfchar))
    n = len(pages)  # objects: catalog, pages, font, CID font, ToUnicode, then a page and its content each
    kids = b" ".join(b"%d 0 R" % (6 + 2 * i) for i in range(n))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [4 0 R] "
        b"/ToUnicode 5 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
        stream(cmap),
    ]
    for i, text in enumerate(pages):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                       b"/Contents %d 0 R >>" % (7 + 2 * i))
        objects.append(stream(content(text)))
    return pdf(*objects)
