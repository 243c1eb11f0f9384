"""Where a span of extracted text is in the file the user has open.

The scanner always works on a document's extracted ``text`` and reports exact offsets
into it. When that text is not the file itself (HTML markup removed, a Word file's
paragraphs), a :class:`SegmentMap` takes an offset back to the source file (HTML: the
source line and column, and the exact source span when the text there is verbatim),
and per-line ``labels`` name what a line is (DOCX: "第12段", "表格1 第2行第3列").
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
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


@dataclass
class _Segment:
    text_start: int
    source_start: int
    length: int
    verbatim: bool  # text[t:t+n] == source[s:s+n]


class SegmentMap:
    """Extracted-text offsets → source offsets, built in text order by a reader.

    A *verbatim* segment is text copied unchanged from the source; any other segment
    (a line break inserted for a block element, collapsed white space, a character
    reference) points at the source position it stands for.
    """

    def __init__(self, source: str):
        self.source = source
        self.lines = LineIndex(source)
        self._segments: list[_Segment] = []
        self._starts: list[int] = []

    def add(self, text_start: int, source_start: int, length: int, verbatim: bool) -> None:
        if length <= 0:
            return
        last = self._segments[-1] if self._segments else None
        if (
            last is not None
            and verbatim
            and last.verbatim
            and last.text_start + last.length == text_start
            and last.source_start + last.length == source_start
        ):
            last.length += length
            return
        self._segments.append(_Segment(text_start, source_start, length, verbatim))
        self._starts.append(text_start)

    def _segment(self, offset: int) -> Optional[_Segment]:
        i = bisect_right(self._starts, offset) - 1
        return self._segments[i] if i >= 0 else None

    def source_offset(self, offset: int) -> int:
        seg = self._segment(offset)
        if seg is None:
            return 0
        if seg.verbatim:
            return seg.source_start + min(offset - seg.text_start, seg.length)
        return seg.source_start

    def source_span(self, start: int, end: int) -> Optional[tuple[int, int]]:
        """The source span holding exactly ``text[start:end]``, or None when the
        text there is not a verbatim copy of one source span."""
        seg = self._segment(start)
        if seg is None or not seg.verbatim or end > seg.text_start + seg.length or end < start:
            return None
        s = seg.source_start + (start - seg.text_start)
        return s, s + (end - start)

    def region(self, start: int, end: int) -> Region:
        span = self.source_span(start, end)
        if span is not None:
            return self.lines.region(*span)
        s = self.source_offset(start)
        e = self.source_offset(end - 1) + 1 if end > start else s
        return self.lines.region(s, max(s, e))
