"""PDF text: what a PDF with a text layer shows, read with pypdf.

pypdf maps each font's glyph codes to characters through the font's encoding or its
ToUnicode map (which Chinese PDFs need: their content shows glyph numbers), and gives
a page's text a line for each line the page shows. A line of a paragraph ends where the
page's width does, not where the sentence does, so a line as long as the page's longest
(:data:`FULL_LINE` of it, and :data:`FULL_LINE_CHARS` characters at least) is joined to
the next, directly as Chinese is written (with a space between two words of Latin
letters or digits): a word, a quotation or a bracket broken over two lines is whole
again; a title, a paragraph's short last line, a list of short lines stay lines of their
own. A paragraph goes on over a page the same way, a page number printed below (or
above) the text left out. Each line of the text is labelled with its page and its line
there (``第3页第12行``, lines as joined).

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
#: where two lines joined need a space between them: a Latin letter or digit on each side
_WORD = re.compile("[A-Za-z0-9]")
#: a page's number as printed above or below its text: 3, - 3 -, —3—, 第3页, 3/12, 第3页 共12页
_PAGE_NUMBER = re.compile(r"\s*[-—–－]?\s*(?:第\s*)?\d{1,4}\s*页?\s*(?:[/／]\s*\d{1,4}|共\s*\d{1,4}\s*页)?\s*[-—–－]?\s*")


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
    """``(text, labels)``: the text of every page, a line for each line it shows (a full
    line joined to the next, on the next page too), and each line's place (``第N页第M行``).
    Raises :class:`PdfError` when there is no text (a scan) or the file cannot be read."""
    shown: list[tuple[str, int]] = []  # (line, page)
    for number, page in enumerate(pages_text(data), 1):
        lines = page.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        # a page number below (or above) the text is no line of it, and would keep a
        # paragraph that goes on over the page apart
        while lines and (not lines[-1].strip() or _PAGE_NUMBER.fullmatch(lines[-1])):
            lines.pop()
        while lines and (not lines[0].strip() or _PAGE_NUMBER.fullmatch(lines[0])):
            lines.pop(0)
        shown += [(line, number) for line in lines]
    joined = _joined(shown)
    text = "\n".join(line for line, _ in joined)
    if not text.strip():
        raise PdfError("a PDF without text (a scan?): check the text it was made from")
    labels, k, last = [], 0, 0
    for _, number in joined:
        k = k + 1 if number == last else 1
        labels.append(f"第{number}页第{k}行")
        last = number
    return text, tuple(labels)


def _joined(shown: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The lines, each full one joined to the next (with a space between two words of
    Latin letters or digits, else directly, as Chinese is written); a joined line keeps
    the page of its first part."""
    full = max(FULL_LINE * max((len(line.strip()) for line, _ in shown), default=0), FULL_LINE_CHARS)
    out: list[list] = []
    goes_on = False
    for line, number in shown:
        stripped = line.strip()
        if goes_on and stripped:
            head = out[-1][0].rstrip()
            out[-1][0] = head + (" " if _WORD.match(head[-1]) and _WORD.match(stripped[0]) else "") + line.lstrip()
        else:
            out.append([line, number])
        goes_on = len(stripped) >= full
    return [(line, number) for line, number in out]


def pdf_text(data: bytes) -> Optional[str]:
    """The text of a PDF's pages, a page after another; None when it cannot be read or
    comes out empty (then nothing can be said of it)."""
    try:
        text = "\n".join(pages_text(data, max_pages=50))
    except PdfError:
        return None
    return text if text.strip() else None
