"""Inline suppression: findings a reviewer has looked at and waived in the document.

Two forms (docs/cli-check.md):

* Markdown and HTML: ``<!-- cuomin-disable [CODES] -->`` … ``<!-- cuomin-enable [CODES] -->``.
  Without CODES every finding is suppressed; CODES are codes, code prefixes or
  category ids separated by commas or spaces. ``cuomin-enable`` without CODES ends
  every open region; a region left open runs to the end of the document.
* Plain text (and Markdown, and a Word paragraph): a line containing
  ``cuomin: ignore[CODES]`` (or ``cuomin: ignore`` for every code) suppresses the
  findings that start on that line.

Suppressed findings are not dropped: :func:`split_suppressed` returns them so that
reports count them and the sign-off record lists them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Optional

from .engine.scanner import code_selected
from .models import Finding

_COMMENT = re.compile(r"<!--\s*cuomin-(disable|enable)\b(.*?)-->", re.S)
_LINE = re.compile(r"cuomin:\s*ignore(?:\[([^\]\n]*)\])?")
_CODES = re.compile(r"[\s,，、]+")


@dataclass(frozen=True)
class Suppression:
    """Findings starting in ``[start, end)`` are suppressed (only ``codes`` if given)."""

    start: int
    end: int
    codes: tuple[str, ...] = ()
    how: str = "comment"  # "comment" or "line"

    def covers(self, f: Finding) -> bool:
        if not (self.start <= f.start < self.end):
            return False
        return not self.codes or code_selected(f.code, f.category.value, self.codes)


def parse_codes(text: str) -> tuple[str, ...]:
    # category ids are lower case; codes and prefixes are matched upper-cased
    return tuple(c.strip("[]") for c in _CODES.split(text.strip()) if c.strip("[]"))


def directive(comment_body: str) -> Optional[tuple[str, tuple[str, ...]]]:
    """``("disable"|"enable", codes)`` for the inside of an HTML comment, else None."""
    m = _COMMENT.fullmatch(f"<!--{comment_body}-->")
    return (m.group(1), parse_codes(m.group(2))) if m else None


def comment_directives(text: str, skip: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int, str, tuple[str, ...]]]:
    """``(start, end, verb, codes)`` of every directive comment in ``text`` outside
    the ``skip`` spans (code blocks, where a comment is shown, not obeyed)."""
    skip = sorted(skip)
    out = []
    for m in _COMMENT.finditer(text):
        if any(s <= m.start() < e for s, e in skip):
            continue
        out.append((m.start(), m.end(), m.group(1), parse_codes(m.group(2))))
    return out


def regions(directives: Iterable[tuple[int, str, tuple[str, ...]]], length: int) -> list[Suppression]:
    """Regions from ``(offset, verb, codes)`` directives in document order."""
    out: list[Suppression] = []
    open_all: Optional[int] = None
    open_codes: dict[str, int] = {}
    for offset, verb, codes in directives:
        if verb == "disable":
            if not codes:
                if open_all is None:
                    open_all = offset
            else:
                for c in codes:
                    open_codes.setdefault(c, offset)
        else:
            if not codes:
                if open_all is not None:
                    out.append(Suppression(open_all, offset))
                    open_all = None
                for c, start in open_codes.items():
                    out.append(Suppression(start, offset, (c,)))
                open_codes.clear()
            else:
                for c in codes:
                    if c in open_codes:
                        out.append(Suppression(open_codes.pop(c), offset, (c,)))
    if open_all is not None:
        out.append(Suppression(open_all, length))
    for c, start in open_codes.items():
        out.append(Suppression(start, length, (c,)))
    return sorted(out, key=lambda s: (s.start, s.end))


def line_suppressions(text: str) -> list[Suppression]:
    """A region for each line that holds ``cuomin: ignore[CODES]``."""
    out = []
    for m in _LINE.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        codes = parse_codes(m.group(1)) if m.group(1) is not None else ()
        out.append(Suppression(start, end, codes, "line"))
    return out


def split_suppressed(
    findings: Iterable[Finding], suppressions: Iterable[Suppression]
) -> tuple[list[Finding], list[Finding]]:
    """``(reported, suppressed)``."""
    suppressions = list(suppressions)
    if not suppressions:
        return list(findings), []
    kept, dropped = [], []
    for f in findings:
        (dropped if any(s.covers(f) for s in suppressions) else kept).append(f)
    return kept, dropped
