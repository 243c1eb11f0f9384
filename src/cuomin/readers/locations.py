"""Where a span of extracted text is in the file the user has open.

The scanner always works on a document's extracted ``text`` and reports exact offsets
into it. When that text is not the file itself (HTML markup removed, a Word file's
paragraphs), a :class:`SegmentMap` takes an offset back to the source file (HTML: the
source line and column, and the exact source span when the text there is verbatim),
and per-line ``labels`` name what a line is (DOCX: "第12段", "表格1 第2行第3列").
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from typing import NamedTuple, Optional


class Region(NamedTuple):
    """1-based start line/column and end line/column (end column exclusive)."""

    start_line: int
    start_column: int
    end_line: int
    end_column: int


class LineIndex:
    """Offset ↔ (line, column) for one string; lines split at ``\\n`` only."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0]
        find = text.find
        i = find("\n")
        while i >= 0:
            self.starts.append(i + 1)
            i = find("\n", i + 1)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of ``offset`` (columns count characters)."""
        line = bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def line_text(self, line: int) -> str:
        """The text of 1-based ``line`` without its line break."""
        start = self.starts[line - 1]
        end = self.starts[line] - 1 if line < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r")

    def region(self, start: int, end: int) -> Region:
        sl, sc = self.position(start)
        el, ec = self.position(max(end, start))
        return Region(sl, sc, el, ec)


class SegmentMap:
    """Extracted-text offsets → source offsets, built in text order by a reader.

    A *verbatim* segment is text copied unchanged from the source; any other segment
    (a line break inserted for a block element, collapsed white space, a character
    reference) points at the source position it stands for. The segments are kept as
    four arrays of integers (where each starts in the text and in the source, its
    length, whether it is verbatim): a page has a hundred or more, and a map travels
    back from ``--jobs`` workers with its document, as bytes rather than as objects.
    """

    def __init__(self, source: str):
        self.source = source
        self.lines = LineIndex(source)
        self._starts = array("q")
        self._sources = array("q")
        self._lengths = array("q")
        self._verbatim = array("b")

    def add(self, text_start: int, source_start: int, length: int, verbatim: bool) -> None:
        if length <= 0:
            return
        if (
            verbatim
            and self._verbatim
            and self._verbatim[-1]
            and self._starts[-1] + self._lengths[-1] == text_start
            and self._sources[-1] + self._lengths[-1] == source_start
        ):
            self._lengths[-1] += length
            return
        self._starts.append(text_start)
        self._sources.append(source_start)
        self._lengths.append(length)
        self._verbatim.append(verbatim)

    def _segment(self, offset: int) -> int:
        """The index of the segment holding text ``offset`` (-1: before the first)."""
        return bisect_right(self._starts, offset) - 1

    def source_offset(self, offset: int) -> int:
        i = self._segment(offset)
        if i < 0:
            return 0
        if self._verbatim[i]:
            return self._sources[i] + min(offset - self._starts[i], self._lengths[i])
        return self._sources[i]

    def source_span(self, start: int, end: int) -> Optional[tuple[int, int]]:
        """The source span holding exactly ``text[start:end]``, or None when the
        text there is not a verbatim copy of one source span."""
        i = self._segment(start)
        if i < 0 or not self._verbatim[i] or end > self._starts[i] + self._lengths[i] or end < start:
            return None
        s = self._sources[i] + (start - self._starts[i])
        return s, s + (end - start)

    def region(self, start: int, end: int) -> Region:
        span = self.source_span(start, end)
        if span is not None:
            return self.lines.region(*span)
        s = self.source_offset(start)
        e = self.source_offset(end - 1) + 1 if end > start else s
        return self.lines.region(s, max(s, e))
