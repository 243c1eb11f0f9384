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
_QUOTE_OR_NEWLINE = regex.compile("[“”\n]")
_LIST_ITEM = regex.compile(r"[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|\d{1,2}[.．、]")

Hit = tuple[int, int, list, str]
QUOTE_SPAN = 3  # paragraphs a quotation may run over before its opener counts as unclosed


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line, without copying the text into lines."""
    pos = 0
    while (end := text.find("\n", pos)) >= 0:
        yield pos, end
        pos = end + 1
    yield pos, len(text)


def unpaired_brackets(text: str) -> Iterator[Hit]:
    """Brackets, quotes and 书名号 that are not closed (or opened) within their paragraph.

    Quotations may run over line breaks: an unclosed “ (or ‘) pairs with an unopened
    ” (’) in one of the next ``QUOTE_SPAN`` non-empty paragraphs. The
    multi-paragraph quotation convention (GB/T 15834-2011 §4.1.3.2: every paragraph of
    a quotation opens with “, only the last one closes) is respected: an unclosed “ at
    the start of a paragraph, or followed by a paragraph that opens with “, is not
    reported. A ’ between Latin letters (don’t) or before a digit (’98) is an apostrophe.
    """
    positions = [m.start() for m in _BRACKET_CHARS.finditer(text)]
    if not positions:
        return
    paragraphs = [(s, e) for s, e in _paragraphs(text) if e > s]
    starts = [s for s, _ in paragraphs]
    by_paragraph: dict[int, list[int]] = {}
    for pos in positions:
        by_paragraph.setdefault(bisect_right(starts, pos) - 1, []).append(pos)
    problems: list[int] = []
    carried: list[tuple[int, int]] = []  # (position, paragraph) of unclosed quote openers
    for index, (start, _end) in enumerate(paragraphs):
        unclosed, unopened = _pair(text, by_paragraph.get(index, []))
        for pos in unopened:
            opener = CLOSERS[text[pos]]
            match = next((c for c in reversed(carried) if text[c[0]] == opener), None)
            if match is None:
                problems.append(pos)
            else:
                carried.remove(match)
        expired = [c for c in carried if c[1] < index - QUOTE_SPAN + 1]
        carried = [c for c in carried if c not in expired]
        problems.extend(p for p, i in expired if not _continued_quotation(text, p, paragraphs, i))
        carried.extend((p, index) for p in unclosed if text[p] in "“‘")
        problems.extend(p for p in unclosed if text[p] not in "“‘")
    problems.extend(p for p, i in carried if not _continued_quotation(text, p, paragraphs, i))
    problems.sort()
    i = 0
    while i < len(problems):
        pos = problems[i]
        nxt = problems[i + 1] if i + 1 < len(problems) else -1
        if nxt > 0 and text[pos] == text[nxt] == "“" and not _QUOTE_OR_NEWLINE.search(text, pos + 1, nxt):
            # “一切以病人为中心“: a closing quote typed as an opening one is one
            # problem, reported at the second mark with its fix
            yield nxt, nxt + 1, ["”"], "后引号误写为前引号：「“」应为「”」"
            i += 2
            continue
        ch = text[pos]
        other = PAIRS.get(ch) or CLOSERS[ch]
        yield pos, pos + 1, [], f"「{ch}」缺少配对的「{other}」"
        i += 1


def _pair(text: str, positions: list[int]) -> tuple[list[int], list[int]]:
    """Pair the bracket characters of one paragraph: (unclosed openers, unopened closers)."""
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
    return unclosed + stack, unopened


def _continued_quotation(text: str, pos: int, paragraphs, index: int) -> bool:
    """An unclosed “ that follows the multi-paragraph quotation convention: it opens
    a paragraph, the next paragraph opens with “ too, or it opens a quoted list item
    (“（二）…) whose items were run together into one paragraph."""
    if text[pos] != "“":
        return False
    start = paragraphs[index][0]
    if pos == _first_non_space(text, start) or _LIST_ITEM.match(text, pos + 1):
        return True
    if index + 1 < len(paragraphs):
        first = _first_non_space(text, paragraphs[index + 1][0])
        return first < len(text) and text[first] == "“"  # a last line of spaces opens nothing
    return False


def _first_non_space(text: str, start: int) -> int:
    i = start
    while i < len(text) and text[i] in " \t\u3000":
        i += 1
    return i


def _is_apostrophe(text: str, pos: int) -> bool:
    after = text[pos + 1 : pos + 2]
    if after and (after.isdigit()):
        return True
    return 0 < pos and _LATIN_NEIGHBOUR.match(text[pos - 1]) is not None and _LATIN_NEIGHBOUR.match(after) is not None


def suspected_typos(text: str, **params) -> Iterator[tuple]:
    """Suspected typos (疑似错别字), see :mod:`cuomin.engine.confusion`; yields a
    confidence as a fifth item. Imported lazily: its data loads on first use."""
    from .confusion import suspected_typos as run

    return run(text, **params)


def sensitive_homophones(text: str, **params) -> Iterator[tuple]:
    """Sensitive words with a character swapped for a homophone, see
    :mod:`cuomin.engine.homophones`; yields a confidence as a fifth item. Imported
    lazily: its automaton is built on first use."""
    from .homophones import sensitive_homophones as run

    return run(text, **params)


def _sensitive_words(keys: dict, literals: list) -> dict:
    from .homophones import SensitiveWords

    words = [(key, literals[i]) for key, ids in keys.items() for i in ids if i >= 0 and literals[i].sensitive_word]
    return {"words": SensitiveWords(words, keys)}


#: Checks that read the rule set they run in: given the Scanner's literal keys
#: (normalized key → literal numbers) and literals, each returns the keyword arguments
#: the Scanner binds to the check once every rule is compiled.
RULE_SET_CHECKS: dict[str, Callable[[dict, list], dict]] = {
    "sensitive_homophones": _sensitive_words,
}


CHECKS: dict[str, Callable[[str], Iterator[Hit]]] = {
    "unpaired_brackets": unpaired_brackets,
    "suspected_typos": suspected_typos,
    "sensitive_homophones": sensitive_homophones,
}

#: The parameters each check takes (a rule's ``params``, a configuration's ``params``);
#: kept here so that checking a rule set does not import the checks' data
#: (tests/test_confusion.py compares them with the functions' signatures).
CHECK_PARAMS: dict[str, frozenset[str]] = {
    "unpaired_brackets": frozenset(),
    "suspected_typos": frozenset({"min_score", "min_freq", "min_freq_long", "min_freq_shape_long"}),
    "sensitive_homophones": frozenset({"min_length"}),
}


# ---------------------------------------------------------------- fast path
# Most paragraphs are well nested. Removing every adjacent pair (（）, “”, 《》 …) from
# the text's bracket characters until none is left tells that in a few C-level
# passes; only a text with something left over (or with a ’, which may be an
# apostrophe) runs the full pairing above. A paragraph whose brackets all pair has
# no unclosed opener and no unopened closer, so it can contribute no finding.
import re as _re

_NOT_BRACKET = _re.compile("[^" + _re.escape("".join(PAIRS) + "".join(CLOSERS)) + "\n]+")
_ADJACENT_PAIR = _re.compile("|".join(_re.escape(o + c) for o, c in PAIRS.items()))


def _all_paired(text: str) -> bool:
    if "’" in text:
        return False
    rest = _NOT_BRACKET.sub("", text)
    while True:
        rest, n = _ADJACENT_PAIR.subn("", rest)
        if not n:
            break
    return not rest.strip("\n")


def unpaired_brackets_fast(text: str) -> Iterator[Hit]:
    """:func:`unpaired_brackets`, skipping texts whose brackets all pair."""
    if _all_paired(text):
        return iter(())
    return unpaired_brackets(text)


#: The checks the Scanner runs by default: same findings as ``CHECKS``.
FAST_CHECKS: dict[str, Callable[[str], Iterator[Hit]]] = {
    "unpaired_brackets": unpaired_brackets_fast,
}
