"""PDF text: what a PDF with a text layer shows, read with pypdf.

pypdf maps each font's glyph codes to characters through the font's encoding or its
ToUnicode map (which Chinese PDFs need: their content shows glyph numbers), and gives
a page's text a line for each line the page shows. A line of a paragraph ends where the
page's width does, not where the sentence does: where a line as long as the page's
longest (:data:`FULL_LINE` of it, and :data:`FULL_LINE_CHARS` at least) ends with a
Chinese character and the next starts with
one, the two are joined (as a browser joins lines of Chinese in HTML), so a word broken
over two lines is still one word; a title or a paragraph's last line, shorter, stays a
line of its own. Each line of the text is labelled with its page and its line there
(``第3页第12行``, lines as joined).

A scan (pages that only paint an image) has no text to read; a password-protected file
cannot be read; both are :class:`PdfError`.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from typing import Optional

#: pages read of one PDF
MAX_PAGES = 500
#: a line at least this share of the page's longest, and this many characters, is full:
#: its paragraph may go on (a page of short lines is a list or a table, not prose)
FULL_LINE = 0.8
FULL_LINE_CHARS = 20
#: a Chinese character, or Chinese (full-width) punctuation
_CHINESE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]")


class PdfError(ValueError):
    """A PDF whose text cannot be read; the message says why, for a person."""


def pages_text(data: bytes, max_pages: int = MAX_PAGES) -> list[str]:
    """The text of each page (at most ``max_pages``), as pypdf extracts it. Raises
    :class:`PdfError` for a file pypdf cannot read or one with a password. pypdf logs
    every oddity of a file it reads on through (as errors): silenced while it reads."""
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.CRITICAL + 1)
    try:
        from pypdf import PdfReader

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                raise PdfError("a password-protected PDF: save it without a password")
            return [page.extract_text() or "" for page in reader.pages[:max_pages]]
    except PdfError:
        raise
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except Exception as exc:  # pypdf's errors on a malformed file, and whatever else it raises
        raise PdfError(f"a PDF that cannot be read ({type(exc).__name__})") from None
    finally:
        log.setLevel(level)


def parse_pdf(data: bytes) -> tuple[str, tuple[str, ...]]:
    """``(text, labels)``: the text of every page, a line for each line it shows (those
    broken between Chinese characters joined), and each line's place (``第N页第M行``). Raises
    :class:`PdfError` when there is no text (a scan) or the file cannot be read."""
    lines: list[str] = []
    labels: list[str] = []
    for number, page in enumerate(pages_text(data), 1):
        page_lines = _joined(page.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
        lines += page_lines
        labels += [f"第{number}页第{k}行" for k in range(1, len(page_lines) + 1)]
    text = "\n".join(lines)
    if not text.strip():
        raise PdfError("a PDF without text (a scan?): check the text it was made from")
    return text, tuple(labels)


def _joined(lines: list[str]) -> list[str]:
    """A page's lines, each full one that ends with Chinese joined to a next that starts so."""
    full = max(FULL_LINE * max((len(line.strip()) for line in lines), default=0), FULL_LINE_CHARS)
    out: list[str] = []
    goes_on = False
    for line in lines:
        stripped = line.strip()
        if goes_on and stripped and _CHINESE.match(stripped[0]):
            out[-1] = out[-1].rstrip() + line.lstrip()
        else:
            out.append(line)
        goes_on = bool(stripped) and _CHINESE.match(stripped[-1]) is not None and len(stripped) >= full
    return out


def pdf_text(data: bytes) -> Optional[str]:
    """The text of a PDF's pages, a page after another; None when it cannot be read or
    comes out empty (then nothing can be said of it)."""
    try:
        text = "\n".join(pages_text(data, max_pages=50))
    except PdfError:
        return None
    return text if text.strip() else None
