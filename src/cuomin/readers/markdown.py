"""Markdown: the prose is checked, the markup that is not prose is masked.

Masked spans (front matter, fenced code, inline code, HTML comments and tags, link
destinations, autolinks and bare URLs) are replaced by spaces of the same length,
so the scanned text has exactly the source's offsets, lines and columns: a finding
points at the source file and ``--fix --write`` edits it in place. A ``date:`` in the
front matter (Hugo, Jekyll) is the document's publication date.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Optional

from ..dates import parse_date_text
from ..suppress import comment_directives, line_suppressions, regions

_FENCE_OPEN = re.compile(r"^( {0,3})(`{3,}|~{3,})[^\n]*$", re.M)
_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FRONT_MATTER_DATE = re.compile(r"^(?:date|publishDate|pubdate)[ \t]*:[ \t]*['\"]?([^'\"\n]*?)['\"]?[ \t]*$", re.M | re.I)
_INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?/?>")
_LINK_DEST = re.compile(r"\]\(([^()\s]*(?:\([^()\s]*\))?[^()\s]*(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?)\)")
_REF_DEF = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*(\S+.*)$", re.M)
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*|[^<>\s@]+@[^<>\s@]+)>")
_BARE_URL = re.compile(r"(?<![A-Za-z0-9])(?:https?|ftp)://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")


def code_spans(text: str) -> list[tuple[int, int]]:
    """Fenced code blocks (to the closing fence or the end) and inline code spans."""
    spans: list[tuple[int, int]] = []
    pos = 0
    while True:
        m = _FENCE_OPEN.search(text, pos)
        if m is None:
            break
        fence = m.group(2)
        closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.M)
        c = closing.search(text, m.end())
        end = c.end() if c else len(text)
        spans.append((m.start(), end))
        pos = end if end > m.start() else m.end()
        if pos >= len(text):
            break
    chars = list(text)
    for s, e in spans:
        _mask(chars, s, e)
    inline = [m.span() for m in _INLINE_CODE.finditer("".join(chars))]  # outside the fenced blocks
    return sorted(spans + inline)


def _mask(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] not in "\r\n":
            chars[i] = " "


def mask_markdown(text: str) -> tuple[str, list[tuple[int, int]]]:
    """``(masked text, code spans)``; the masked text has the same length as ``text``."""
    chars = list(text)
    code = code_spans(text)
    for s, e in code:
        _mask(chars, s, e)
    fm = _FRONT_MATTER.match(text)
    if fm:
        _mask(chars, 0, fm.end())

    # each pass runs over the text masked so far, so a URL inside a link destination
    # is masked once, with the destination's parentheses
    for rx, group in ((_COMMENT, 0), (_TAG, 0), (_AUTOLINK, 0), (_LINK_DEST, 1), (_REF_DEF, 1), (_BARE_URL, 0)):
        current = "".join(chars)
        for m in rx.finditer(current):
            start, end = m.span(group)
            if rx is _LINK_DEST:
                start, end = start - 1, end + 1  # the ( and ) around the destination
            elif rx is _BARE_URL:
                end = start + len(m.group().rstrip(".,;:!?'\")"))
                if "(" in m.group()[: end - start] and m.group()[end - start : end - start + 1] == ")":
                    end += 1  # a balanced (…) inside the URL, as in wiki links
            _mask(chars, start, end)
    return "".join(chars), code


def front_matter_date(source: str) -> Optional[dt.date]:
    """The ``date:`` (or ``publishDate:``) of the front matter, if it gives one."""
    fm = _FRONT_MATTER.match(source)
    m = _FRONT_MATTER_DATE.search(fm.group()) if fm else None
    return parse_date_text(m.group(1)) if m else None


def parse_markdown(source: str):
    """``(scanned text, suppressions, publication date)`` for Markdown source."""
    masked, code = mask_markdown(source)
    directives = [(start, verb, codes) for start, _end, verb, codes in comment_directives(source, code)]
    sup = regions(directives, len(source))
    # a `cuomin: ignore[...]` line works in Markdown too (outside code blocks)
    sup += [s for s in line_suppressions(source) if not any(a <= s.start < b for a, b in code)]
    return masked, sup, front_matter_date(source)
