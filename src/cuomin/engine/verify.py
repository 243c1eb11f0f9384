"""Verification of literal hits: context conditions and word-boundary checks.

jieba is imported lazily, on the first hit that needs a boundary check, with its
dictionary read a first character at a time from the cache (engine/segdict.py;
jieba's own load costs 0.4–1.5 s per process), and only a window of ±``WINDOW``
characters around the hit is segmented: ±8 agreed with whole-text segmentation on
every one of ~27,000 measured candidates, ±4 did not.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Optional

import regex

WINDOW = 8
#: a sentence is looked for at most this far on each side of a hit (a text with no
#: sentence mark at all must not make every context check scan the whole text)
SENTENCE_REACH = 400
SENTENCE_END = "。！？!?；;\n"
_OPEN_QUOTES = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》"}

_HAN_RUN = regex.compile(r"\p{Han}*")

_tokenizer = None
_tokenizer_lock = threading.Lock()


def tokenizer():
    """The shared jieba tokenizer, created on first use (thread-safe). Its dictionary
    comes from the cache a first character at a time (engine/segdict.py), so a
    process that checks a few boundaries does not load all of it."""
    global _tokenizer
    if _tokenizer is None:
        with _tokenizer_lock:
            if _tokenizer is None:
                from .segdict import new_tokenizer

                _tokenizer = new_tokenizer()
    return _tokenizer


def on_word_boundaries(text: str, start: int, end: int, window: int = WINDOW) -> bool:
    """True when ``text[start:end]`` begins and ends on token boundaries of a jieba
    segmentation of the surrounding window (inner splits are allowed: a wrong form
    that is not a word is usually split by the segmenter)."""
    lo = max(0, start - window)
    hi = min(len(text), end + window)
    pos = lo
    start_ok = start == lo
    for token in tokenizer().cut(text[lo:hi]):
        pos += len(token)
        if pos == start:
            start_ok = True
        elif pos == end:
            return start_ok
        elif pos > end:
            return False
    return False


def on_word_boundaries_as(text: str, start: int, end: int, word: str) -> bool:
    """:func:`on_word_boundaries` for ``word`` put in place of ``text[start:end]``: a
    word found in another spelling (pinyin, a homophone) is judged as if written right
    (遇到了大ma烦 is not 大麻: 大麻烦 is a word)."""
    lo, hi = max(0, start - WINDOW), min(len(text), end + WINDOW)
    restored = text[lo:start] + word + text[end:hi]
    return on_word_boundaries(restored, start - lo, start - lo + len(word))


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    floor = max(0, start - SENTENCE_REACH)
    ceiling = min(len(text), end + SENTENCE_REACH)
    lo = max(floor - 1, *(text.rfind(c, floor, start) for c in SENTENCE_END)) + 1
    his = [i for i in (text.find(c, end, ceiling) for c in SENTENCE_END) if i >= 0]
    return lo, min(his) if his else ceiling


@dataclass(frozen=True)
class ContextCheck:
    """A rule's context conditions (:class:`cuomin.rules.schema.Context`) in the plain
    form the Scanner keeps: no pydantic needed to load and run a compiled Scanner."""

    not_after: tuple[str, ...] = ()
    not_after_within: int = 0
    not_before: tuple[str, ...] = ()
    not_in_sentence: tuple[str, ...] = ()
    in_sentence: tuple[str, ...] = ()
    not_quoted: bool = False

    @classmethod
    def of(cls, ctx) -> Optional["ContextCheck"]:
        """From a schema ``Context`` (``None`` when it sets no condition)."""
        if ctx is None or ctx.is_empty():
            return None
        return cls(
            tuple(ctx.not_after), ctx.not_after_within, tuple(ctx.not_before),
            tuple(ctx.not_in_sentence), tuple(ctx.in_sentence), ctx.not_quoted,
        )


def is_quoted(text: str, start: int) -> bool:
    """Whether ``start`` lies inside an open quotation or 书名号 in its paragraph."""
    para_start = text.rfind("\n", 0, start) + 1
    depth: dict[str, int] = {}
    for ch in text[para_start:start]:
        if ch in _OPEN_QUOTES:
            depth[ch] = depth.get(ch, 0) + 1
        else:
            for o, c in _OPEN_QUOTES.items():
                if ch == c and depth.get(o, 0) > 0:
                    depth[o] -= 1
    return any(v > 0 for v in depth.values())


def context_allows(text: str, start: int, end: int, ctx: Optional[ContextCheck]) -> bool:
    """Apply a rule's context conditions to a hit at ``text[start:end]``."""
    if ctx is None:
        return True
    for before in ctx.not_after:
        if text[max(0, start - len(before)) : start] == before:
            return False
        if ctx.not_after_within:
            lo = max(0, start - len(before) - ctx.not_after_within)
            at = text.rfind(before, lo, start)
            if at >= 0 and _HAN_RUN.fullmatch(text, at + len(before), start):
                return False
    for after in ctx.not_before:
        if text[end : end + len(after)] == after:
            return False
    if ctx.not_in_sentence or ctx.in_sentence:
        lo, hi = sentence_bounds(text, start, end)
        # the hit itself is left out: a trigger word it contains does not count
        sentence = text[lo:start] + "\x00" + text[end:hi]
        if any(w in sentence for w in ctx.not_in_sentence):
            return False
        if ctx.in_sentence and not any(w in sentence for w in ctx.in_sentence):
            return False
    if ctx.not_quoted and is_quoted(text, start):
        return False
    return True
