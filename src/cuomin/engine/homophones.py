"""Sensitive words with a character swapped for another of the same reading (谐音替写):
袋开发票, 代凯发票, 陆合彩 — the structure check ``sensitive_homophones`` of the optional
pack ``sensitive-homophones`` (off by default: ``--pack sensitive-homophones``).

The words are the literal entries of the shipped ``sensitive`` packs of at least
``min_length`` characters (short ones collide with ordinary words: 病毒 reads as 冰毒).
Every form with exactly one character replaced by another of the same toneless reading
(``wordlists/confusion_pinyin.tsv``, and ``pinyin_heteronyms.tsv`` for characters read
two ways: 陆 is lu and liu) is a key of one Aho-Corasick automaton (~190,000
keys, built on first use in ~0.8 s with the packs' loading); a form that is itself a
word of any shipped list is left out. A hit is verified as the word's own entry would be — its rule's context
(publicity against the thing is not reported) and, where the entry asks for it, the word
boundary with the word put back — and reported under the check's rule as suspected
(疑似), naming the word and its rule.

Why off by default: the automaton costs ~0.8 s to build in each process and ~30 ms per
3 MB of text (the default scan takes ~100 ms for those), and a government post has
little call for it; message boards (留言板) and comment sections, where spam dodges
filters, do. On the 1.07 million characters of news and the 3,440 official-document
sentences of ``../shared/corpus`` it reports nothing.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Iterator, Optional

#: confidence of a homophone finding
HOMOPHONE_CONFIDENCE = 0.7
MIN_LENGTH = 3
_lock = threading.Lock()


def sensitive_homophones(text: str, *, min_length: int = MIN_LENGTH) -> Iterator[tuple]:
    """``(start, end, [], detail, confidence)`` for each sensitive word found written
    with one character swapped for a homophone."""
    from .verify import WINDOW, context_allows, on_word_boundaries

    index = _index(min_length)
    if index is None:
        return
    matcher, words = index
    for k, start, end in matcher.find(text):
        for lit in words[k]:
            if lit.context is not None and not context_allows(text, start, end, lit.context):
                continue
            if lit.boundary:
                lo, hi = max(0, start - WINDOW), min(len(text), end + WINDOW)
                restored = text[lo:start] + lit.wrong + text[end:hi]
                if not on_word_boundaries(restored, start - lo, start - lo + len(lit.wrong)):
                    continue
            yield start, end, [], f"疑似以同音字替写“{lit.wrong}”（{lit.code} {lit.message}）", HOMOPHONE_CONFIDENCE


@lru_cache(maxsize=4)
def _index(min_length: int) -> Optional[tuple]:
    with _lock:
        return _build(min_length)


def _build(min_length: int) -> Optional[tuple]:
    from ..rules.loader import default_pack_paths, load_pack
    from .chartables import pinyin_heteronyms, pinyin_readings
    from .matcher import LiteralMatcher
    from .scanner import _compile_literal

    readings = pinyin_readings()
    more = pinyin_heteronyms()
    same: dict[str, set[str]] = {}  # reading → the characters read so (陆: lu and liu)
    for table in (readings, more):
        for ch, reading in table.items():
            same.setdefault(reading, set()).add(ch)
    words: dict[str, object] = {}
    listed: set[str] = set()
    for path in default_pack_paths():
        for rule in load_pack(path).rules:
            if rule.kind != "literal":
                continue
            for entry in rule.entries:
                listed.update(entry.wrong)
                if rule.category.value != "sensitive":
                    continue
                for wrong in entry.wrong:
                    if len(wrong) >= min_length and all(ch in readings for ch in wrong):
                        words.setdefault(wrong, _compile_literal(rule, entry, wrong))
    variants: dict[str, list] = {}
    for word, lit in words.items():
        for i, ch in enumerate(word):
            others = same[readings[ch]] | same.get(more.get(ch, ""), set())
            for other in sorted(others):
                if other != ch:
                    variants.setdefault(word[:i] + other + word[i + 1 :], []).append(lit)
    for form in listed:
        variants.pop(form, None)
    if not variants:
        return None
    return LiteralMatcher(list(variants)), list(variants.values())
