"""Structural checks over paragraphs, named by ``check = "…"`` in a pack.

Each check takes the original text and yields ``(start, end, suggestions, detail)``;
``detail`` is appended to the rule's reason in the message.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Callable, Iterator

import regex

PAIRS = {"（": "）", "(": ")", "“": "”", "‘": "’", "《": "》", "〈": "〉", "【": "】", "〔": "〕", "[": "]"}
CLOSERS = {v: k for k, v in PAIRS.items()}
_BRACKET_CHARS = regex.compile("[" + regex.escape("".join(PAIRS) + "".join(CLOSERS)) + "]")
_LATIN_NEIGHBOUR = regex.compile(r"[A-Za-z]")

Hit = tuple[int, int, list, str]


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line)
        pos += len(line) + 1


def unpaired_brackets(text: str) -> Iterator[Hit]:
    """Brackets, quotes and 书名号 that are not closed (or opened) within their paragraph.

    A paragraph that opens with “ and leaves it open while the next paragraph also
    opens with “ follows the multi-paragraph quotation convention (GB/T 15834-2011
    §4.1.3.2) and is not reported. A ’ between Latin letters is an apostrophe.
    """
    positions = [m.start() for m in _BRACKET_CHARS.finditer(text)]
    if not positions:
        return
    paragraphs = list(_paragraphs(text))
    starts = [s for s, _ in paragraphs]
    by_paragraph: dict[int, list[int]] = {}
    for pos in positions:
        by_paragraph.setdefault(bisect_right(starts, pos) - 1, []).append(pos)
    for p_index, p_positions in by_paragraph.items():
        yield from _pair_paragraph(text, p_positions, paragraphs, p_index)


def _pair_paragraph(text: str, positions: list[int], paragraphs, p_index: int) -> Iterator[Hit]:
    stack: list[int] = []
    unclosed: list[int] = []
    unopened: list[int] = []
    for pos in positions:
        ch = text[pos]
        if ch in PAIRS:
            stack.append(pos)
            continue
        if ch == "’" and _is_apostrophe(text, pos):
            continue
        opener = CLOSERS[ch]
        if any(text[p] == opener for p in stack):
            # close the nearest matching opener; whatever stood above it is unclosed
            while text[stack[-1]] != opener:
                unclosed.append(stack.pop())
            stack.pop()
        else:
            unopened.append(pos)
    unclosed.extend(stack)
    start, _ = paragraphs[p_index]
    following = next((s for s, e in paragraphs[p_index + 1 :] if e > s), None)
    for pos in sorted(unclosed + unopened):
        ch = text[pos]
        if ch in PAIRS:
            if (
                ch == "“"
                and pos == _first_non_space(text, start)
                and following is not None
                and text[_first_non_space(text, following)] == "“"
            ):
                continue  # multi-paragraph quotation
            yield pos, pos + 1, [], f"「{ch}」缺少配对的「{PAIRS[ch]}」"
        else:
            yield pos, pos + 1, [], f"「{ch}」缺少配对的「{CLOSERS[ch]}」"


def _first_non_space(text: str, start: int) -> int:
    i = start
    while i < len(text) and text[i] in " \t\u3000":
        i += 1
    return i


def _is_apostrophe(text: str, pos: int) -> bool:
    return (
        0 < pos < len(text) - 1
        and _LATIN_NEIGHBOUR.match(text[pos - 1]) is not None
        and _LATIN_NEIGHBOUR.match(text[pos + 1]) is not None
    )


CHECKS: dict[str, Callable[[str], Iterator[Hit]]] = {
    "unpaired_brackets": unpaired_brackets,
}
