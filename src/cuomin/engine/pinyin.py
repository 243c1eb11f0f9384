"""Sensitive words written partly or wholly in pinyin (拼音替写): 代kai发票,
dai开发票, dai kai fa piao, daikaifapiao.

Spam writers swap characters of a filtered word for their pinyin. The literal matcher
cannot see these, so the Scanner gives every *sensitive* key its readings (toneless:
each character's from ``wordlists/confusion_pinyin.tsv``, and a second one from
``wordlists/pinyin_heteronyms.tsv`` for a character read more than one way, in every
combination: 银行卡 is yinxingka and yinhangka) and compares readings where the text
has pinyin:

1. Latin runs of the normalized text (already folded to lower case, with spaces and
   symbols next to Chinese characters stripped) that read as a sequence of pinyin
   syllables are the only places looked at: most texts have none, and English words,
   URLs and acronyms (app, http, gdp) are not pinyin. A text without one costs a single
   ``[a-z]+`` scan.
2. Around each such run, the text is read as *units*: a Chinese character with a
   reading (its syllable) or a whole Latin run (its letters); spaces and interference
   symbols between units are skipped; anything else (punctuation, digits, a character
   no key holds: a match keeps only its key's own characters) breaks the sequence.
3. The keys' readings are matched over the units' letters; a match counts only when it
   starts and ends on unit boundaries (a Latin run is never cut: ``kai`` of ``kaifa``
   is no unit) and holds at least one Latin unit (the same reading in Chinese
   characters alone is a homophone, not pinyin — 病毒 reads as 冰毒). The Chinese
   characters of a match must be the key's own (罗Zhao reads as 裸照 but is a name),
   and a capitalized word beside them (Ma, Zhao) is taken for a name. A match made of
   Latin letters alone must be one run (daikaifapiao, not Liu Hecai: names are written
   apart) of at least ``MIN_LATIN_ONLY`` syllables (two, as dama or bingdu, are too
   often a name or a word).

The Scanner then verifies such a hit like the key's literal hit (publication date,
context, word boundary on the text with the key put back in place of the pinyin) and
reports it as suspected (疑似).
"""

from __future__ import annotations

from itertools import accumulate, islice, product
from typing import Callable, Iterable, Mapping, Optional, Tuple

import regex

from .matcher import LiteralMatcher
from .normalize import INTERFERENCE

#: a key read from Latin letters alone needs at least this many syllables
MIN_LATIN_ONLY = 3
#: confidence of a finding read through pinyin
PINYIN_CONFIDENCE = 0.9
#: readings of one key at most (its characters' readings combined: 银行卡 yinxingka, yinhangka)
MAX_READINGS = 16
_LATIN_RUN = regex.compile("[a-z]+")
_SKIP = frozenset(INTERFERENCE)
_PINYIN_CACHE_SIZE = 4096

#: ``(start, end, letters, character)``: a Chinese character and its reading, or a
#: Latin run (character ``None``) and its letters
Unit = Tuple[int, int, str, Optional[str]]


class PinyinIndex:
    """The readings of the sensitive keys, and the search for them where a text has
    pinyin. ``keys``: ``(normalized key, key number)`` pairs; ``readings``: character →
    toneless syllable. Keys of one character, or with a character that has no reading
    (Latin letters, digits, rare characters), are left out."""

    def __init__(
        self, keys: Iterable[tuple[str, int]], readings: Mapping[str, str], more: Mapping[str, str] = {}
    ):
        by_letters: dict[str, list[tuple[int, str, tuple[int, ...]]]] = {}
        used: set[str] = set()
        for key, number in keys:
            if len(key) < 2 or any(ch not in readings for ch in key):
                continue
            used.update(key)
            options = [(readings[ch], *((more[ch],) if ch in more else ())) for ch in key]
            for sounds in islice(product(*options), MAX_READINGS):
                offsets = tuple(accumulate((len(s) for s in sounds[:-1]), initial=0))
                by_letters.setdefault("".join(sounds), []).append((number, key, offsets))
        self._letters = list(by_letters)
        #: the readings a Latin run may be on its own (three syllables or more)
        self._whole = frozenset(
            letters for letters, v in by_letters.items() if any(len(key) >= MIN_LATIN_ONLY for _, key, _ in v)
        )
        #: for each reading: (key number, key, where each character's syllable starts)
        self._keys = [tuple(v) for v in by_letters.values()]
        # the characters a match may hold are the keys' own: any other breaks a stretch
        self._readings = {ch: readings[ch] for ch in sorted(used)}
        self._syllables = frozenset(readings.values()) | frozenset(more.values())
        self._longest_syllable = max(map(len, self._syllables), default=0)
        self._longest_letters = max(map(len, self._letters), default=0)
        self._matcher: Optional[LiteralMatcher] = None
        self._is_pinyin_cache: dict[str, bool] = {}

    def __bool__(self) -> bool:
        return bool(self._letters)

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_matcher"] = None  # built on first use, in the process that uses it
        state["_is_pinyin_cache"] = {}
        return state

    # ---------------------------------------------------------------- searching
    def find(self, text: str, written: Optional[Callable[[int, int], str]] = None) -> list[tuple[int, int, int, str]]:
        """``(key number, start, end, key)`` of every key read through pinyin in
        ``text`` (a normalized text: offsets are its own). ``written(start, end)`` gives
        a stretch as the text was written (before case folding): a capitalized word
        beside Chinese characters is taken for a name."""
        if _LATIN_RUN.search(text) is None:
            return []
        hits: set[tuple[int, int, int, str]] = set()
        readings = self._readings
        n = len(text)
        read_to = 0  # the end of the last stretch read: its runs are done
        for m in _LATIN_RUN.finditer(text):
            a, b = m.span()
            if a < read_to or not self._is_pinyin(m.group()):
                continue
            if not (a and _joins(text[a - 1], readings)) and not (b < n and _joins(text[b], readings)):
                # nothing beside it to read with: only the run itself can be a key
                if m.group() in self._whole:
                    self._match_units([(a, b, m.group(), None)], written, hits)
                continue
            units = _stretch(text, a, readings)
            read_to = units[-1][1]
            self._match_units(units, written, hits)
        return sorted(hits)

    def _is_pinyin(self, run: str) -> bool:
        """Whether a Latin run is a sequence of pinyin syllables (and no longer than the
        longest key's reading)."""
        if len(run) > self._longest_letters:
            return False  # (not kept: a run can be megabytes long)
        known = self._is_pinyin_cache.get(run)
        if known is None:
            known = _splits(run, self._syllables, self._longest_syllable)
            if len(self._is_pinyin_cache) >= _PINYIN_CACHE_SIZE:
                self._is_pinyin_cache.clear()
            self._is_pinyin_cache[run] = known
        return known

    def _match_units(self, units: list[Unit], written, hits: set) -> None:
        letters = "".join(u[2] for u in units)
        starts: dict[int, int] = {}
        ends: dict[int, int] = {}
        pos = 0
        for i, unit in enumerate(units):
            starts[pos] = i
            pos += len(unit[2])
            ends[pos] = i
        if self._matcher is None:
            self._matcher = LiteralMatcher(self._letters)
        for k, s, e in self._matcher.find(letters):
            first, last = starts.get(s), ends.get(e)
            if first is None or last is None:
                continue
            span = units[first : last + 1]
            latin = [u for u in span if u[3] is None]
            if not latin or (len(latin) == len(span) > 1):
                continue
            if len(latin) < len(span) and written is not None and any(_capitalized(written(u[0], u[1])) for u in latin):
                continue
            for number, key, offsets in self._keys[k]:
                if len(latin) == len(span) and len(key) < MIN_LATIN_ONLY:
                    continue
                if _keeps_characters(key, offsets, span):
                    hits.add((number, span[0][0], span[-1][1], key))


def _keeps_characters(key: str, offsets: tuple[int, ...], span: list[Unit]) -> bool:
    """Whether the Chinese characters of the match are the key's own, each where the
    key has it (罗Zhao reads as 裸照, but is not it); ``offsets``: where each character's
    syllable starts in the reading matched."""
    at = dict(zip(offsets, key))
    pos = 0
    for _, _, letters, ch in span:
        if ch is not None and at.get(pos) != ch:
            return False
        pos += len(letters)
    return True


def _capitalized(word: str) -> bool:
    """A word written as a name is (Ma, Zhao; not ma, MA)."""
    return len(word) > 1 and word[0].isupper() and word[1:].islower()


def _splits(run: str, syllables: frozenset, longest: int) -> bool:
    """Whether ``run`` is a concatenation of ``syllables``."""
    n = len(run)
    ok = [True] + [False] * n
    for end in range(1, n + 1):
        for size in range(1, min(longest, end) + 1):
            if ok[end - size] and run[end - size : end] in syllables:
                ok[end] = True
                break
    return ok[n]


def _stretch(text: str, a: int, readings: Mapping[str, str]) -> list[Unit]:
    """The units of the unbroken stretch of text around position ``a``: from the break
    before it to the break after it."""
    i = a
    while i > 0 and _joins(text[i - 1], readings):
        i -= 1
    units: list[Unit] = []
    n = len(text)
    while i < n:
        ch = text[i]
        if _latin(ch):
            j = _LATIN_RUN.match(text, i).end()
            units.append((i, j, text[i:j], None))
            i = j
            continue
        reading = readings.get(ch)
        if reading is not None:
            units.append((i, i + 1, reading, ch))
        elif ch not in _SKIP:
            break
        i += 1
    return units


def _joins(ch: str, readings: Mapping[str, str]) -> bool:
    """Whether a unit can go on across ``ch``: a Latin letter, a character with a
    reading, or a space or symbol skipped between units."""
    return _latin(ch) or ch in readings or ch in _SKIP


def _latin(ch: str) -> bool:
    return "a" <= ch <= "z"
