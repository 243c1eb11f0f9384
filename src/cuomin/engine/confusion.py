"""Suspected typos (疑似错别字): confusion-set candidates, verified by segmentation and scored.

Words that no list contains are found in three steps:

1. **Candidates.** Every character is mapped to the class of its toneless pinyin
   reading, with fuzzy readings merged (z/zh, c/ch, s/sh, n/l, hu/fu, an/ang, en/eng,
   in/ing: ``fuzzy_reading``), and every place whose classes spell a dictionary word
   is looked up — two-character words of frequency ≥ ``min_freq``, three- and
   four-character words of frequency ≥ ``min_freq_long`` (jieba's dictionary plus
   ``wordlists/gov_userdict.txt``, person names left out) — for all positions of the
   text at once (``TargetIndex``: tables and Bloom filters over numpy arrays). A place
   whose characters differ from the word — in one character (two in a four-character
   word) — and are not themselves a word is a candidate: 总休 → 总体, 水务总局 → 税务总局.
   The words with one character replaced by a shape-similar one (形近字,
   ``wordlists/confusion_shape.tsv``) are found likewise (``ShapeIndex``): 菅理 → 管理,
   冶理 → 治理. A fuzzy reading is accepted for one character of a two- or
   four-character word only (elsewhere it brought more false alarms than finds).
2. **Verification.** The best segmentation log-probability (jieba's unigram model over
   a window of ±``WINDOW`` characters, computed here without importing jieba) of the
   corrected window minus that of the original is the *gain*; candidates under
   ``GAIN_FLOOR`` are dropped (and those whose context-free estimate cannot get near
   it are not verified: ``ESTIMATE_MARGIN``).
3. **Score.** A logistic regression over ``FEATURES`` — the gain and the estimate, the
   kind of substitution, the word's frequency, length and part of speech, person- and
   place-name evidence around the hit (a surname before it, characters typical of
   given names, a title, a list or a place suffix), … — trained by
   ``benchmarks/train_typos.py`` and shipped as ``wordlists/confusion_weights.json``.
   A candidate is reported when its score reaches ``min_score`` (the trained
   threshold unless the rule sets one); overlapping candidates keep the higher score;
   ``confidence`` is the logistic of the score.

The data (log-probabilities, the reading classes, name statistics and the two
indexes) is built from jieba's installed ``dict.txt``,
``wordlists/confusion_pinyin.tsv`` and ``wordlists/confusion_shape.tsv`` (generated
with pypinyin and char-similar's data by ``scripts/build_confusion.py``; neither is
needed at run time) and the user dictionary on first use, then pickled in the cache
directory (``confusion/``, engine/cachedir.py) under the SHA-256 of those inputs and
the frequency limits, so later runs load it.
Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import json
import math
import pickle
import re
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from .cachedir import atomic_write, data_cache_dir
from .chartables import PINYIN_FILE, SHAPE_FILE, read_pinyin_table, read_shape_table
from .segdict import jieba_dict_path

FORMAT = 14
KEEP_ENTRIES = 4  # cached models kept (one per frequency setting in use)
WINDOW = 3  # characters each side of a candidate that the segmentation sees
MAX_WORD = 6  # longest dictionary word the window segmentation tries
MIN_LEN, MAX_LEN = 2, 4  # lengths of the words whose misspellings are searched
USER_FREQ = 5000  # frequency of a user-dictionary word without one
SURNAMES = 200  # the most frequent first characters of three-character person names

# Defaults (a rule pack overrides them with ``params``)
#: least jieba frequency of a two-character word whose misspellings are searched
MIN_FREQ = 1000
#: the same for three- and four-character words: a string one character away from a
#: long word is strong evidence even when the word is rare (税务总局, 资金来源)
MIN_FREQ_LONG = 1
#: shape-similar (形近) variants are built for three- and four-character words this
#: frequent only: every word would mean millions of patterns (over 1 GB)
MIN_FREQ_SHAPE_LONG = 50
#: candidates whose segmentation gain is below this are not scored
GAIN_FLOOR = 6.0
# A candidate is verified only when its context-free estimate ``log p(word) − Σ log
# p(its characters)`` plus this margin reaches the gain floor. A heuristic, not a
# bound (a correction that completes a longer word gains more than its estimate): it
# changes no candidate on the test texts (tests/test_confusion.py) and skips a third
# of the segmentations; a margin of 1 would save ~13% of the family's time and lose 5
# of ~460 development-set finds.
ESTIMATE_MARGIN = 2.0
# A candidate whose replaced character already forms a word with its neighbours (the
# text reads as real words there) is verified only when its estimate reaches this:
# 85% of the candidates that reach the window segmentation are such, and they
# rarely gain enough (on the development set and the news, skipping those under 8
# halves the segmentations and loses 4 of ~460 finds, no false alarm).
INWORD_MIN_ESTIMATE = 8.0

#: Fuzzy pinyin (模糊音): readings an input-method user confuses — z/zh, c/ch, s/sh,
#: n/l, hu/fu, an/ang, en/eng, in/ing — fall into one confusion class; a substitution
#: that needs one of them is marked ``fuzzy`` (a feature of the score).
_FUZZY = (
    (re.compile(r"^([zcs])h"), r"\1"),
    (re.compile(r"^n"), "l"),
    (re.compile(r"^h(?=u)"), "f"),
    (re.compile(r"(an|en|in)g$"), r"\1"),
)


def fuzzy_reading(reading: str) -> str:
    for pattern, repl in _FUZZY:
        reading = pattern.sub(repl, reading)
    return reading


#: jieba part-of-speech tags of function words (adverbs, conjunctions, prepositions,
#: pronouns, numerals, measure words, time and place words, particles …)
_FUNCTION_TAGS = tuple("dcprmqtfuyeokh")
#: titles and roles that stand before a person's name, and what follows one
_TITLES = ("书记", "主任", "经理", "教授", "院长", "局长", "市长", "省长", "县长", "部长", "主席", "委员", "记者",
           "司长", "总裁", "董事长", "代表", "专家", "厂长", "校长", "队长", "处长", "科长", "社长", "会长",
           "主持人", "先生", "女士", "同志", "总理", "总统", "首相", "大使", "长官", "党首", "老师", "医生", "博士")
_AFTER_NAME = ("同志", "教授", "先生", "女士", "摄", "说", "表示", "指出", "认为", "介绍", "告诉", "等人", "主任",
               "书记", "（女）")
_PLACE_SUFFIX = frozenset("镇村县乡山岛湾河湖矶岩庙寺桥街路港峡岭江州市区")


@dataclass
class Model:
    logp: dict  # word → log probability (jieba's unigram model + user words)
    unknown: float  # log probability of a character the dictionary lacks
    classes: dict  # ord(char) → class character (one per toneless reading)
    surnames: frozenset
    name_chars: dict  # char → share of its dictionary occurrences inside person names
    patterns: int  # class strings (targets of 2–4 characters grouped by their classes)
    shapes: "ShapeIndex" = None  # the shape-similar variants of the targets

    @property
    def variant_patterns(self) -> int:
        return len(self.shapes)
    readings: dict = None  # ord(char) → its exact (not fuzzy) reading
    tags: dict = None  # target word → jieba part-of-speech tag ("" for user words)
    gov: frozenset = frozenset()  # the user dictionary's words
    prefixes: frozenset = frozenset()  # proper prefixes (2+ characters) of words the segmentation tries
    targets: "TargetIndex" = None  # where a text's classes spell a target


#: bits of the Bloom filters of ``TargetIndex`` (2 MB, ~1.8% of the bits set; 4 MB, ~0.2%)
KEPT_BITS = 24
QUAD_BITS = 25


class TargetIndex:
    """Where the reading classes of a text spell a target word: every position of the
    text at once, in a few array operations (numpy), so that Python sees only the
    places that can give a candidate. Each condition here is one that ``candidates``
    requires of every hit anyway (it checks them exactly, word by word), so nothing it
    would keep is left out:

    * two characters: the pair is not a word (a bit per pair of word characters), one
      character is the target's, and the best such target's context-free estimate
      ``logp(word) − logp(a) − logp(b)`` reaches ``min_estimate`` (exact bounds in two
      tables, by kept character and the other's class);
    * three characters: the classes spell a target (a bit per class triple), and two
      of the characters, with the third's exact reading, are a target's (a Bloom
      filter; a three-character target allows one differing character of the same
      reading);
    * four characters: the classes spell a target (a Bloom filter over class quads).

    Then Python checks that a three- or four-character place is not a word and takes
    its targets. On a million characters of news: of ~480k places whose classes spell
    a target (nearly all the text's own words), ~100k reach Python (two characters
    22k, all hits; three 45k and four 35k, mostly the text's own words) and ~31k are
    hits. Characters outside the BMP have no class."""

    def __init__(self, classes: dict, n_classes: int, readings: dict, logp: dict, unknown: float, groups: dict):
        self.words = logp  # the same dict as the model's (pickled once)
        self.stride = s = n_classes + 1  # class n_classes: "no class"
        self.cls = np.full(0x10000, n_classes, dtype=np.int64)
        for cp, ch in classes.items():
            if cp < 0x10000:
                self.cls[cp] = ord(ch) - 0xE000
        reading_ids: dict[str, int] = {}
        self.reading = np.zeros(0x10000, dtype=np.int64)  # exact reading, 0: none
        for cp, r in readings.items():
            if cp < 0x10000:
                self.reading[cp] = reading_ids.setdefault(r, len(reading_ids) + 1)
        self.n_readings = len(reading_ids) + 1
        self.char_logp = np.full(0x10000, unknown)
        for w, lp in logp.items():
            if len(w) == 1 and ord(w) < 0x10000:
                self.char_logp[ord(w)] = lp
        #: per length: class key (base ``stride``) → (length, ((word, False), …))
        self.entries: dict[int, dict[int, tuple]] = {2: {}, 3: {}, 4: {}}
        for key, value in groups.items():
            self.entries[len(key)][self._class_key(key)] = value
        targets = {n: [w for _n, ws in e.values() for w, _shape in ws] for n, e in self.entries.items()}
        # two characters: every word, as one bit per pair of word characters
        words = [w for w in logp if len(w) == 2 and ord(max(w)) < 0x10000]
        self.word_char, self.word_stride = _dense({ch for w in words for ch in w})
        self.word_bits = _bitset(self.word_stride**2, [_pair_key(self.word_char, self.word_stride, w) for w in words])
        # … and the best log-probability of a target aB by (a, class of B), of Ab by (class of A, b)
        self.target_char, rows = _dense({ch for w in targets[2] for ch in w})
        self.best_first = np.full((rows, s), -np.inf)
        self.best_second = np.full((s, rows), -np.inf)
        for w in targets[2]:
            a, b = ord(w[0]), ord(w[1])
            i, j = (self.target_char[a], self.cls[b]), (self.cls[a], self.target_char[b])
            self.best_first[i] = max(self.best_first[i], logp[w])
            self.best_second[j] = max(self.best_second[j], logp[w])
        # three characters
        self.class3 = _bitset(s**3, list(self.entries[3]))
        self.char3, self.stride3 = _dense({ch for w in targets[3] for ch in w})
        kept = []
        for w in targets[3]:
            (a, b, c), (ra, rb, rc) = self.char3[[ord(ch) for ch in w]], self.reading[[ord(ch) for ch in w]]
            kept += [self._kept(a, b, rc, 0), self._kept(a, c, rb, 1), self._kept(b, c, ra, 2)]
        self.kept_bits, self.quad_bits = KEPT_BITS, QUAD_BITS  # (a cached index keeps its own sizes)
        self.kept3 = _bitset(1 << KEPT_BITS, _hash(np.array(kept, dtype=np.int64), KEPT_BITS))
        # four characters
        self.class4 = _bitset(1 << QUAD_BITS, _hash(np.array(list(self.entries[4]), dtype=np.int64), QUAD_BITS))

    def _class_key(self, key: str) -> int:
        k = 0
        for ch in key:
            k = k * self.stride + ord(ch) - 0xE000
        return k

    def _kept(self, x, y, reading, which):
        """Bloom key of two kept characters (dense numbers), the other one's reading,
        and which two they are (0: first two, 1: first and last, 2: last two)."""
        return ((x * self.stride3 + y) * self.n_readings + reading) * 3 + which

    def __len__(self) -> int:
        return sum(map(len, self.entries.values()))

    def groups(self) -> dict[str, tuple]:
        """Class string → (length, ((word, False), …)): what the index was built from."""
        out = {}
        for n, entries in self.entries.items():
            for k, value in entries.items():
                chars = []
                for _ in range(n):
                    k, c = divmod(k, self.stride)
                    chars.append(chr(0xE000 + c))
                out["".join(reversed(chars))] = value
        return out

    def hits(self, text: str, min_estimate: float, cp: np.ndarray | None = None) -> list[tuple]:
        """``(last, (length, ((word, False), …)))`` for each place that passes (see the
        class): those of three and four characters, then those of two. ``cp``: the
        text's ``code_points`` when the caller has them."""
        n = len(text)
        if n < 2:
            return []
        if cp is None:
            cp = code_points(text)
        cls = self.cls[cp]
        out = self._longer(text, cp, cls) if n >= 3 else []
        out += self._pairs(text, cp, cls, min_estimate)
        return out

    def _longer(self, text: str, cp, cls) -> list[tuple]:
        s, words = self.stride, self.words
        triple = (cls[:-2] * s + cls[1:-1]) * s + cls[2:]
        d, r = self.char3[cp], self.reading[cp]
        x, y, z = d[:-2], d[1:-1], d[2:]
        kept = np.concatenate((self._kept(x, y, r[2:], 0), self._kept(x, z, r[1:-1], 1), self._kept(y, z, r[:-2], 2)))
        near = _test(self.kept3, _hash(kept, self.kept_bits)).reshape(3, -1).any(axis=0)
        at = np.flatnonzero(_test(self.class3, triple) & near)
        e3 = self.entries[3]
        out = [(i + 2, e3[k]) for i, k in zip(at.tolist(), triple[at].tolist()) if text[i : i + 3] not in words]
        if len(triple) > 1:
            quad = triple[:-1] * s + cls[3:]
            at = np.flatnonzero(_test(self.class4, _hash(quad, self.quad_bits)))
            e4 = self.entries[4]
            out += [(i + 3, v) for i, k in zip(at.tolist(), quad[at].tolist())
                    if text[i : i + 4] not in words and (v := e4.get(k)) is not None]
        return out

    def _pairs(self, text: str, cp, cls, min_estimate: float) -> list[tuple]:
        kept, lp = self.target_char[cp], self.char_logp[cp]
        best = np.maximum(self.best_first[kept[:-1], cls[1:]], self.best_second[cls[:-1], kept[1:]])
        if min_estimate == -math.inf:
            at = np.flatnonzero(best > min_estimate)
        else:  # the slack keeps float rounding (numpy's order of operations) on the safe side
            at = np.flatnonzero(best - lp[:-1] - lp[1:] >= min_estimate - 1e-9)
        if not at.size:
            return []
        w = self.word_char[cp]
        at = at[_test(self.word_bits, w[at] * self.word_stride + w[at + 1]) == 0]
        e2 = self.entries[2]
        return [(i + 1, e2[k]) for i, k in zip(at.tolist(), (cls[at] * self.stride + cls[at + 1]).tolist())]


class ShapeIndex:
    """Where a shape-similar variant of a target stands (菅理 for 管理): the variants are
    strings of 2–4 characters, tested at every position of a text at once — a bit per
    pair of variant characters (exact) for two characters, a Bloom filter over the
    characters' code points for three and four (~0.2% of the bits set), then a
    dictionary look-up in Python for what passes. The same places as an Aho-Corasick
    automaton over the variants (which took 0.15 s to rebuild on every load of the
    model, and ran no faster). Variants outside the BMP are not kept (there are none)."""

    def __init__(self, variants: dict[str, tuple]):
        self.entries = {k: v for k, v in variants.items() if ord(max(k)) < 0x10000}
        pairs = [k for k in self.entries if len(k) == 2]
        self.char, self.stride = _dense({ch for k in pairs for ch in k})
        self.pairs = _bitset(self.stride**2, [_pair_key(self.char, self.stride, k) for k in pairs])
        self.bits = SHAPE_BITS
        self.longer = {n: _bitset(1 << SHAPE_BITS, _hash(_code_keys([k for k in self.entries if len(k) == n]),
                                                          SHAPE_BITS))
                       for n in (3, 4)}

    def __len__(self) -> int:
        return len(self.entries)

    def hits(self, text: str, cp: np.ndarray | None = None) -> list[tuple]:
        """``(last, (length, ((word, True), …)))`` for each variant in ``text`` (``cp``:
        its ``code_points`` when the caller has them)."""
        n = len(text)
        if n < 2 or not self.entries:
            return []
        if cp is None:
            cp = code_points(text)
        entries = self.entries
        d = self.char[cp]
        at = np.flatnonzero(_test(self.pairs, d[:-1] * self.stride + d[1:]))
        out = [(i + 1, entries[text[i : i + 2]]) for i in at.tolist()]
        wide = cp.astype(np.uint64)
        key = (wide[:-1] << _SHIFT16) | wide[1:]  # two characters' code points
        for length in (3, 4):
            if n < length:
                break
            key = (key[:-1] << _SHIFT16) | wide[length - 1 :]
            at = np.flatnonzero(_test(self.longer[length], _hash(key.view(np.int64), self.bits)))
            out += [(i + length - 1, v) for i in at.tolist() if (v := entries.get(text[i : i + length])) is not None]
        return out


def code_points(text: str) -> np.ndarray:
    """The text's code points, one per character (a lone surrogate too), those outside
    the BMP as U+FFFF: what the indexes' tables are looked up with."""
    return np.minimum(np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32), 0xFFFF)


#: bits of ``ShapeIndex``'s Bloom filters (4 MB each)
SHAPE_BITS = 25
_SHIFT16 = np.uint64(16)


def _code_keys(strings: list[str]) -> np.ndarray:
    """Each string's BMP code points, 16 bits apiece, as one 64-bit key."""
    keys = []
    for string in strings:
        k = 0
        for ch in string:
            k = (k << 16) | ord(ch)
        keys.append(k)
    return np.array(keys, dtype=np.uint64).view(np.int64)


_FIBONACCI = np.uint64(0x9E3779B97F4A7C15)


def _hash(keys: np.ndarray, bits: int) -> np.ndarray:
    """Multiplicative (Fibonacci) hashing of int64 keys to ``bits`` bits."""
    return ((keys.view(np.uint64) * _FIBONACCI) >> np.uint64(64 - bits)).view(np.int64)


def _bitset(size: int, positions) -> np.ndarray:
    bits = np.zeros(size, dtype=bool)
    bits[positions] = True
    return np.packbits(bits, bitorder="little")


def _test(bits: np.ndarray, positions: np.ndarray) -> np.ndarray:
    return (bits[positions >> 3] >> (positions & 7)) & 1


def _pair_key(dense: np.ndarray, stride: int, pair: str) -> int:
    """The bit of a two-character string in a pair bitset over ``dense`` numbers."""
    return int(dense[ord(pair[0])]) * stride + int(dense[ord(pair[1])])


def _dense(chars: set) -> tuple:
    """A table BMP code point → 1…n for ``chars`` (0 for the rest), and n + 1."""
    table = np.zeros(0x10000, dtype=np.int64)
    for i, ch in enumerate(sorted(chars), 1):
        table[ord(ch)] = i
    return table, len(chars) + 1


# ------------------------------------------------------------------ data files
def _wordlists_dir() -> Path:
    from ..rules.loader import default_pack_dir

    return default_pack_dir()


def source_paths() -> list[Path]:
    d = _wordlists_dir()
    return [jieba_dict_path(), d / PINYIN_FILE, d / "gov_userdict.txt", d / SHAPE_FILE]


def read_user_dict(text: str) -> dict[str, int]:
    """``word [freq]`` lines; blank lines and ``#`` comments are skipped."""
    out: dict[str, int] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else USER_FREQ
        out[parts[0]] = freq
    return out


# ------------------------------------------------------------------ building
def build_model(
    dict_text: str, pinyin_text: str, user_text: str, shape_text: str = "", min_freq: int = MIN_FREQ,
    min_freq_long: int = MIN_FREQ_LONG, min_freq_shape_long: int = MIN_FREQ_SHAPE_LONG,
) -> Model:
    freq: dict[str, int] = {}
    tags: dict[str, str] = {}
    all_chars: Counter = Counter()
    name_chars: Counter = Counter()
    surnames: Counter = Counter()
    for line in dict_text.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        word, f = parts[0], int(parts[1])
        freq[word] = f
        tag = tags[word] = parts[2] if len(parts) > 2 else ""
        for ch in word:
            all_chars[ch] += 1
        if tag == "nr":
            for ch in word[1:]:
                name_chars[ch] += 1
            if len(word) == 3:
                surnames[word[0]] += 1
    user = read_user_dict(user_text)
    for word, f in user.items():
        freq[word] = max(f, freq.get(word, 0))
    total = sum(freq.values())
    log_total = math.log(total)
    logp = {w: math.log(f) - log_total for w, f in freq.items() if f > 0}
    class_ids: dict[str, int] = {}
    classes: dict[int, str] = {}
    readings: dict[int, str] = {}
    for ch, reading in read_pinyin_table(pinyin_text).items():
        readings[ord(ch)] = reading
        classes[ord(ch)] = chr(0xE000 + class_ids.setdefault(fuzzy_reading(reading), len(class_ids)))
    groups: dict[str, list[str]] = {}
    for word, f in freq.items():
        if not MIN_LEN <= len(word) <= MAX_LEN or f < (min_freq if len(word) == 2 else min_freq_long):
            continue
        if tags.get(word) in ("nr", "nrt"):  # a person's name is not what a typo was meant to be
            continue
        key = word.translate(classes)
        if any(ord(c) < 0xE000 for c in key):  # a character without a reading class
            continue
        groups.setdefault(key, []).append(word)
    # shape-similar (形近) variants: one character of a word replaced by a similar one
    shapes = read_shape_table(shape_text)
    variants: dict[str, list[str]] = {}
    for words in groups.values():
        for word in words:
            if len(word) > 2 and freq[word] < min_freq_shape_long:
                continue
            for k, ch in enumerate(word):
                for other in shapes.get(ch, ""):
                    variant = word[:k] + other + word[k + 1 :]
                    if variant not in freq:
                        variants.setdefault(variant, []).append(word)
    return Model(
        logp=logp,
        unknown=-log_total,
        classes=classes,
        surnames=frozenset(c for c, _ in surnames.most_common(SURNAMES)),
        name_chars={c: n / all_chars[c] for c, n in name_chars.items() if n / all_chars[c] >= 0.05},
        targets=TargetIndex(classes, len(class_ids), readings, logp, -log_total,
                            {k: (len(k), tuple((w, False) for w in ws)) for k, ws in groups.items()}),
        patterns=len(groups),
        shapes=ShapeIndex({k: (len(k), tuple((w, True) for w in ws)) for k, ws in variants.items()}),
        readings=readings,
        tags={w: tags.get(w, "") for ws in groups.values() for w in ws},
        gov=frozenset(user),
        prefixes=frozenset(w[:k] for w in logp if 2 < len(w) <= MAX_WORD for k in range(2, len(w))),
    )


def _key(blobs: list[bytes], *limits: int) -> str:
    h = hashlib.sha256()
    for part in (repr((FORMAT, MIN_LEN, MAX_LEN, *limits)).encode(), *blobs):
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()[:32]


def load_model(min_freq: int = MIN_FREQ, min_freq_long: int = MIN_FREQ_LONG,
               min_freq_shape_long: int = MIN_FREQ_SHAPE_LONG) -> Model:
    """The model for these frequency limits: from the cache when its inputs are
    unchanged, else built (and cached when the cache directory is writable)."""
    blobs = [p.read_bytes() for p in source_paths()]
    key = _key(blobs, min_freq, min_freq_long, min_freq_shape_long)
    directory = data_cache_dir("confusion")
    path = directory / f"{key}.pickle" if directory else None
    if path is not None and path.exists():
        try:
            with open(path, "rb") as fh:
                return pickle.load(fh)
        except Exception:  # noqa: BLE001 - a bad entry is rebuilt
            pass
    model = build_model(*(b.decode("utf-8") for b in blobs), min_freq=min_freq, min_freq_long=min_freq_long,
                        min_freq_shape_long=min_freq_shape_long)
    if path is not None:
        atomic_write(path, pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL), keep=KEEP_ENTRIES, pattern="*.pickle")
    return model


_models: dict[tuple[int, int, int], Model] = {}
_lock = threading.Lock()


def model(min_freq: int = MIN_FREQ, min_freq_long: int = MIN_FREQ_LONG,
          min_freq_shape_long: int = MIN_FREQ_SHAPE_LONG) -> Model:
    """The shared model for these limits, loaded on first use (thread-safe)."""
    key = (min_freq, min_freq_long, min_freq_shape_long)
    m = _models.get(key)
    if m is None:
        with _lock:
            m = _models.get(key)
            if m is None:
                m = _models[key] = load_model(*key)
    return m


# ------------------------------------------------------------------ scoring
def segment_score(m: Model, text: str) -> float:
    """Log-probability of the best segmentation of ``text`` (jieba's route)."""
    return _route(m, text)[0]


def _route(m: Model, text: str, known: list[float] | None = None, known_from: int = 0) -> list[float]:
    """``route[i]``: the best segmentation score of ``text[i:]``. With ``known`` (the
    route of a text that ends like this one from ``known_from`` on), positions from
    ``known_from`` on are taken from it: a correction only changes the route up to its
    end. A piece that begins no dictionary word ends the search for longer ones."""
    get, unknown, prefixes = m.logp.get, m.unknown, m.prefixes
    n = len(text)
    if known is None:
        route = [0.0] * (n + 1)
        top = n - 1
    else:
        route = known[:]
        top = known_from - 1
    for i in range(top, -1, -1):
        best = get(text[i], unknown) + route[i + 1]
        stop = i + MAX_WORD if i + MAX_WORD < n else n
        j = i + 2
        while j <= stop:
            piece = text[i:j]
            lp = get(piece)
            if lp is not None and lp + route[j] > best:
                best = lp + route[j]
            if piece not in prefixes:
                break
            j += 1
        route[i] = best
    return route


def _any_in_word(m: Model, text: str, start: int, diffs: list[int], cache: dict[int, bool]) -> bool:
    """Whether a replaced character (``start + k`` for ``k`` in ``diffs``) forms a
    dictionary word with its neighbours; ``cache`` keeps the answer per position."""
    for k in diffs:
        joined = cache.get(start + k)
        if joined is None:
            joined = cache[start + k] = _in_word(m, text, start + k)
        if joined:
            return True
    return False


def _in_word(m: Model, text: str, pos: int) -> bool:
    """Whether ``text[pos]`` forms a dictionary word of 2–4 characters with neighbours
    (a piece that begins no word ends the search from its start)."""
    logp, prefixes = m.logp, m.prefixes
    n = len(text)
    for a in range(max(0, pos - 3), pos + 1):
        if a + 2 <= pos and text[a : a + 2] not in prefixes:
            continue  # no word of three or more characters starts here
        for b in range(max(pos + 1, a + 2), min(n, a + 4) + 1):
            piece = text[a:b]
            if piece in logp:
                return True
            if piece not in prefixes:
                break
    return False


#: characters of a text the indexes take at a time: their arrays cost ~100 bytes a
#: character, so a document of millions of characters is taken in pieces
INDEX_CHUNK = 1 << 16


def _hits(m: Model, text: str, min_estimate: float = -math.inf) -> list[tuple]:
    """``(last, (length, ((word, shape), …)))`` for every place that may be a
    misspelling: where the reading classes spell a word (``TargetIndex``; two-character
    places whose words cannot reach an estimate of ``min_estimate`` are left out),
    then where a shape-similar variant of a word stands (``ShapeIndex``) — per piece
    of ``INDEX_CHUNK`` characters in a long text (a place belongs to the piece it
    starts in)."""
    if len(text) <= INDEX_CHUNK:
        return _piece_hits(m, text, min_estimate)
    out = []
    for a in range(0, len(text), INDEX_CHUNK):
        piece = text[a : a + INDEX_CHUNK + MAX_LEN - 1]
        out += [(a + last, value) for last, value in _piece_hits(m, piece, min_estimate)
                if last - value[0] + 1 < INDEX_CHUNK]
    return out


def _piece_hits(m: Model, text: str, min_estimate: float) -> list[tuple]:
    cp = code_points(text)  # both indexes look up the same code points
    return m.targets.hits(text, min_estimate, cp) + m.shapes.hits(text, cp)


# ------------------------------------------------------------------ features
#: What the score sees of a candidate, in the order of the weights file. ``gain``: the
#: segmentation log-probability gain of the correction; ``est``: its context-free
#: estimate; ``shape``/``fuzzy``: the kind of substitution; ``lf``: log-probability of
#: the word; ``inword``: a replaced character forms a dictionary word with its
#: neighbours; ``sur*``, ``namec``, ``given``, ``title``, ``listctx``: person-name
#: evidence; ``place_after``: a place-name suffix follows; ``func``/``pn``/``pv``/
#: ``pnrs``: the word's part of speech (function word, noun, verb, proper noun);
#: ``gov``: the word is in the government user dictionary; then bins and products.
_BASE_FEATURES = (
    "gain", "est", "shape", "fuzzy", "ndiff", "L", "lf", "inword", "sur", "namec", "wsingle", "func", "pn", "pv",
    "pnrs", "edge", "punct_before", "after_punct", "sur_before", "sur_at", "given", "title", "listctx",
    "place_after", "gov", "lsingle",
)
_GAIN_BINS = (6, 7, 8, 9, 10, 11, 12, 14)
_EST_BINS = (0, 2, 4, 6, 8, 10)
_LF_BINS = (-14, -12, -10, -8)
FEATURES = (
    *_BASE_FEATURES, "sur*namec", "gain20", "title*sur", "given*sur",
    *(f"gain>={b}" for b in _GAIN_BINS), *(f"est>={b}" for b in _EST_BINS), *(f"lf>={b}" for b in _LF_BINS),
    "L3", "L4", "gain*long", "gain*shape", "gain*fuzzy", "gain*func",
)


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def features(m: Model, text: str, start: int, end: int, word: str, diffs: list[int], gain: float, est: float,
             shape: bool, inword: bool) -> list[float]:
    """The feature vector (``FEATURES``) of one candidate."""
    sub = text[start:end]
    n, length = len(text), end - start
    logp, unknown, names = m.logp, m.unknown, m.name_chars
    before = text[start - 1] if start else ""
    after = text[end] if end < n else ""
    fuzzy = not shape and any(m.readings.get(ord(sub[k])) != m.readings.get(ord(word[k])) for k in diffs)
    sur_before, sur_at = before in m.surnames, sub[0] in m.surnames
    sur = sur_before or sur_at
    namec = max(names.get(ch, 0.0) for ch in sub)
    given_chars = text[start + 1 : start + 3] if sur_at else text[start : start + 2]
    given = min((names.get(ch, 0.0) for ch in given_chars), default=0.0)
    tag = m.tags.get(word, "")
    func = bool(tag) and tag[0] in _FUNCTION_TAGS
    title = any(t in text[max(0, start - 5) : start] for t in _TITLES) or text[end : end + 4].startswith(_AFTER_NAME)
    base = (
        gain, est, shape, fuzzy, len(diffs), length, logp[word], inword, sur, namec,
        max(logp.get(sub[k], unknown) for k in diffs), func, tag[:1] == "n" or tag == "j", tag[:1] == "v",
        tag in ("nr", "ns", "nz", "nrt"), diffs[0] == 0 or diffs[-1] == length - 1,
        bool(before) and not _is_han(before), bool(after) and not _is_han(after), sur_before, sur_at, given, title,
        (bool(before) and before in "、（(") or (bool(after) and after in "、）)"),
        bool(after) and after in _PLACE_SUFFIX, word in m.gov, min(logp.get(ch, unknown) for ch in sub),
    )
    x = [float(v) for v in base]
    x += [sur * namec, min(gain, 20.0), float(title and sur), given * sur]
    x += [float(gain >= b) for b in _GAIN_BINS]  # (len(x) == len(FEATURES): tests/test_confusion.py)
    x += [float(est >= b) for b in _EST_BINS]
    x += [float(logp[word] >= b) for b in _LF_BINS]
    x += [float(length == 3), float(length == 4), gain * (length > 2), gain * shape, gain * fuzzy, gain * func]
    return x


@dataclass(frozen=True)
class Weights:
    """A linear score over ``FEATURES`` (logistic regression, standardisation folded
    in), trained by ``benchmarks/train_typos.py``; ``min_score`` is its default
    threshold."""

    weights: tuple[float, ...]
    bias: float
    min_score: float

    def score(self, x: list[float]) -> float:
        return self.bias + sum(w * v for w, v in zip(self.weights, x))


def weights_path() -> Path:
    return _wordlists_dir() / "confusion_weights.json"


_weights: Weights | None = None


def weights() -> Weights:
    """The shipped weights (``wordlists/confusion_weights.json``), read once."""
    global _weights
    if _weights is None:
        data = json.loads(weights_path().read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES or len(data["weights"]) != len(FEATURES):
            raise RuntimeError(f"{weights_path()} was trained for other features: run benchmarks/train_typos.py")
        _weights = Weights(tuple(data["weights"]), float(data["bias"]), float(data["min_score"]))
    return _weights


def confidence(score: float) -> float:
    """The score as a number between 0 and 1 (logistic)."""
    return round(1.0 / (1.0 + math.exp(-score)), 3)


# ------------------------------------------------------------------ candidates
def candidates(
    text: str,
    *,
    min_freq: int = MIN_FREQ,
    min_freq_long: int = MIN_FREQ_LONG,
    min_freq_shape_long: int = MIN_FREQ_SHAPE_LONG,
    floor: float = GAIN_FLOOR,
) -> Iterator[tuple]:
    """Every candidate correction whose segmentation gain reaches ``floor``:
    ``(start, end, word, gain, features)``, one per span and word. Candidates whose
    context-free estimate (see ``ESTIMATE_MARGIN``) cannot reach ``floor`` are not
    verified."""
    m = model(min_freq, min_freq_long, min_freq_shape_long)
    logp, unknown, readings = m.logp, m.unknown, m.readings
    skip_below = floor - ESTIMATE_MARGIN
    in_word: dict[int, bool] = {}
    original: dict[tuple[int, int], list[float]] = {}
    seen: set[tuple[int, int, str]] = set()
    n = len(text)
    for last, (length, entries) in _hits(m, text, skip_below):
        start, end = last - length + 1, last + 1
        sub = text[start:end]
        singles = None
        for word, shape in entries:
            if length == 2:  # most hits: one of the two characters must differ
                first = sub[0] != word[0]
                if first == (sub[1] != word[1]):
                    continue
                diffs = [0] if first else [1]
            else:
                diffs = [k for k in range(length) if sub[k] != word[k]]
                if not diffs or len(diffs) > (2 if length == 4 else 1):
                    continue
            if shape and (start, end, word) in seen:  # verified as a same-reading hit (those come first)
                continue
            if not shape and (length == 3 or len(diffs) > 1) and any(
                readings.get(ord(sub[k])) != readings.get(ord(word[k])) for k in diffs
            ):
                continue  # fuzzy readings only for one character of a two- or four-character word
            if singles is None:
                singles = 0.0
                for ch in sub:
                    singles += logp.get(ch, unknown)
            est = logp[word] - singles
            if est < skip_below:
                continue
            inword = None  # worked out only where it decides (a feature of the survivors too)
            if est < INWORD_MIN_ESTIMATE:
                inword = _any_in_word(m, text, start, diffs, in_word)
                if inword:
                    continue
            seen.add((start, end, word))
            lo, hi = max(0, start - WINDOW), min(n, end + WINDOW)
            base = original.get((start, end))
            if base is None:
                base = original[(start, end)] = _route(m, text[lo:hi])
            gain = _route(m, text[lo:start] + word + text[end:hi], base, end - lo)[0] - base[0]
            if gain < floor:
                continue
            if inword is None:
                inword = _any_in_word(m, text, start, diffs, in_word)
            yield start, end, word, gain, features(m, text, start, end, word, diffs, gain, est, shape, inword)


def select(scored: list[tuple], min_score: float) -> list[tuple]:
    """The check's choice among scored candidates ``(start, end, word, score)``: those
    reaching ``min_score``, highest score first (then the longer span), none
    overlapping another."""
    kept: list[tuple] = []
    for c in sorted((c for c in scored if c[3] >= min_score), key=lambda c: (-c[3], c[0] - c[1], c[0])):
        if not any(s < c[1] and c[0] < e for s, e, *_ in kept):
            kept.append(c)
    return sorted(kept)


def suspected_typos(
    text: str,
    *,
    min_score: float | None = None,
    min_freq: int = MIN_FREQ,
    min_freq_long: int = MIN_FREQ_LONG,
    min_freq_shape_long: int = MIN_FREQ_SHAPE_LONG,
) -> Iterator[tuple]:
    """The structure check ``suspected_typos``: ``(start, end, [word], detail, confidence)``
    for each candidate whose score reaches ``min_score`` (default: the trained
    threshold); overlapping candidates keep the higher score."""
    w = weights()
    threshold = w.min_score if min_score is None else min_score
    scored = [(s, e, word, w.score(x)) for s, e, word, _gain, x in
              candidates(text, min_freq=min_freq, min_freq_long=min_freq_long, min_freq_shape_long=min_freq_shape_long)]
    for start, end, word, score in select(scored, threshold):
        yield start, end, [word], f"疑为「{word}」", confidence(score)
