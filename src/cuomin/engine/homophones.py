"""Sensitive words with a character swapped for another of the same reading (谐音替写):
袋开发票, 代凯发票, 陆合彩 — the structure check ``sensitive_homophones`` of the optional
pack ``sensitive-homophones`` (off by default: ``--pack sensitive-homophones``).

The words are the sensitive literal entries of the Scanner that runs the check (shipped
and your own packs: the Scanner gives the check its rule set, ``RULE_SET_CHECKS`` in
engine/structure.py) of at least ``min_length`` characters (short ones collide with
ordinary words: 病毒 reads as 冰毒). Every form with exactly one character replaced by
another of the same toneless reading (``wordlists/confusion_pinyin.tsv``, and
``pinyin_heteronyms.tsv`` for characters read two ways: 陆 is lu and liu) is a key of one
Aho-Corasick automaton (~190,000 keys, built on first use in each process in ~0.35 s); a
form that is itself a word of any list the Scanner holds is left out. A hit is verified
as the word's own entry would be — its rule's context (publicity against the thing is
not reported) and, where the entry asks for it, the word boundary with the word put
back — and reported under the check's rule as suspected (疑似), naming the word and its
rule.

Why off by default: the automaton costs ~0.35 s to build in each process and ~30 ms per
3 MB of text (the default scan takes ~100 ms for those), and a government post has
little call for it; message boards (留言板) and comment sections, where spam dodges
filters, do. On the 1.07 million characters of news and the 3,440 official-document
sentences of ``../shared/corpus`` it reports nothing.
"""

from __future__ import annotations

import threading
from typing import Iterator, Optional

#: confidence of a homophone finding
HOMOPHONE_CONFIDENCE = 0.7
MIN_LENGTH = 3


class SensitiveWords:
    """What the check reads of the Scanner that runs it: its sensitive literal entries
    (``(normalized key, literal)`` pairs, shipped and your own packs alike) and every key
    of any category (a homophone form that is itself a listed word is left out). The
    automaton is built on first use, in each process, and not pickled."""

    def __init__(self, words, listed):
        self.words = tuple(words)
        self.listed = frozenset(listed)
        self._built: dict[int, Optional[tuple]] = {}
        self._lock = threading.Lock()

    def __getstate__(self):
        return {"words": self.words, "listed": self.listed}

    def __setstate__(self, state):
        self.__init__(state["words"], state["listed"])

    def index(self, min_length: int) -> Optional[tuple]:
        """``(matcher, literals of each form)``, or None when no word is long enough."""
        if min_length not in self._built:
            with self._lock:
                if min_length not in self._built:
                    self._built[min_length] = self._build(min_length)
        return self._built[min_length]

    def _build(self, min_length: int) -> Optional[tuple]:
        from .chartables import pinyin_heteronyms, pinyin_readings
        from .matcher import LiteralMatcher

        readings, more = pinyin_readings(), pinyin_heteronyms()
        same: dict[str, set[str]] = {}  # reading → the characters read so (陆: lu and liu)
        for table in (readings, more):
            for ch, reading in table.items():
                same.setdefault(reading, set()).add(ch)
        variants: dict[str, list] = {}
        for key, lit in self.words:
            if len(key) < min_length or any(ch not in readings for ch in key):
                continue
            for i, ch in enumerate(key):
                for other in sorted(same[readings[ch]] | same.get(more.get(ch, ""), set())):
                    if other != ch:
                        variants.setdefault(key[:i] + other + key[i + 1 :], []).append(lit)
        for form in self.listed:
            variants.pop(form, None)
        if not variants:
            return None
        return LiteralMatcher(list(variants)), list(variants.values())


def sensitive_homophones(text: str, *, words: SensitiveWords, min_length: int = MIN_LENGTH) -> Iterator[tuple]:
    """``(start, end, [], detail, confidence)`` for each sensitive word found written
    with one character swapped for a homophone; ``words``: given by the Scanner."""
    from .verify import context_allows, on_word_boundaries_as

    index = words.index(min_length)
    if index is None:
        return
    matcher, literals = index
    for k, start, end in matcher.find(text):
        for lit in literals[k]:
            if lit.context is not None and not context_allows(text, start, end, lit.context):
                continue
            if lit.boundary and not on_word_boundaries_as(text, start, end, lit.wrong):
                continue
            yield start, end, [], f"疑似以同音字替写“{lit.wrong}”（{lit.code} {lit.message}）", HOMOPHONE_CONFIDENCE
