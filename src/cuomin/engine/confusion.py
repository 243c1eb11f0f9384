"""Suspected typos (疑似错别字): confusion-set candidates verified by segmentation.

Words that no list contains are found in three steps:

1. **Candidates.** Every character is mapped to the class of its (toneless) pinyin
   reading — the confusion set of an input-method typo — and an Aho-Corasick pass over
   the class string finds every place whose readings spell a dictionary word of 2–4
   characters (jieba's dictionary plus ``wordlists/gov_userdict.txt``). A place whose
   characters differ from the word (one character, or two in words of 3–4) and are
   not themselves a word is a candidate: 总休 → 总体, 大数局 → 大数据. A second
   automaton finds the dictionary words (same lengths) with one character replaced by
   a shape-similar one (形近字, ``wordlists/confusion_shape.tsv``): 菅理 → 管理,
   冶理 → 治理; it runs over the text's UTF-16 code units (at most 256 children per
   node: ~8× faster than over the characters).
2. **Cheap vetoes.** A replaced character that forms a dictionary word with its
   neighbours is not a typo (it belongs to another word: the hit straddles two
   words). A hit that starts at or right after a common surname and whose characters
   are typical of given names is a name (刘方炜 is not 方位).
3. **Verification.** The best segmentation log-probability (jieba's unigram model,
   computed here over a window of ±``WINDOW`` characters, without importing jieba)
   of the corrected window minus that of the original is the *gain*; a candidate is
   reported when the gain reaches ``min_gain``; a shape substitution, a less likely
   slip than a same-pinyin one, must gain ``shape_penalty`` more. A candidate whose
   context-free estimate cannot reach the threshold is not verified (``ESTIMATE_MARGIN``).
   ``confidence = 1 − 2^(−gain/4)`` (gain net of the penalty).

The data (log-probabilities, the pinyin classes, name statistics and the automata)
is built from jieba's installed ``dict.txt``, ``wordlists/confusion_pinyin.tsv`` and
``wordlists/confusion_shape.tsv`` (generated with pypinyin and char-similar's data by
``scripts/build_confusion.py``; neither is needed at run time) and the user dictionary on
first use, then pickled in the cache directory (``$CUOMIN_CACHE_DIR`` or the platform
cache dir, sub-folder ``confusion/``) under the SHA-256 of those inputs, so later runs
load it. ``CUOMIN_NO_CACHE=1`` builds in memory every time. Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import math
import pickle
import re
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import ahocorasick

from .cachedir import atomic_write, data_cache_dir
from .segdict import jieba_dict_path

FORMAT = 3
KEEP_ENTRIES = 4  # cached models kept (one per min_freq in use)
WINDOW = 5  # characters each side of a candidate that the segmentation sees
MAX_WORD = 6  # longest dictionary word the window segmentation tries
MIN_LEN, MAX_LEN = 2, 4  # lengths of the words whose misspellings are searched
USER_FREQ = 5000  # frequency of a user-dictionary word without one
SURNAMES = 200  # the most frequent first characters of three-character person names

# Defaults (a rule pack overrides them with ``params``)
MIN_GAIN = 8.0
MIN_FREQ = 1000
NAME_CHAR = 0.2
SHAPE_PENALTY = 2.0
# A candidate is verified only when its context-free estimate ``log p(word) − Σ log
# p(its characters)`` (less the shape penalty) plus this margin reaches the threshold.
# A heuristic, not a bound: the gain exceeds the estimate by up to 12.5 where the
# correction completes a longer word (中国科穴院 → 科学 → 中国科学院), but such
# candidates have high estimates too. On the development set and the news corpus it
# changes no finding at thresholds ≤ 9 (one held-out finding lost at 10, 11 and 12)
# and saves ~15% of the family's time, which keeps the scanner above 3 MB/s.
ESTIMATE_MARGIN = 6.0



@dataclass
class Model:
    logp: dict  # word → log probability (jieba's unigram model + user words)
    unknown: float  # log probability of a character the dictionary lacks
    classes: dict  # ord(char) → class character (one per toneless reading)
    surnames: frozenset
    name_chars: dict  # char → share of its dictionary occurrences inside person names
    automaton: object  # class string → (length, words)
    patterns: int
    shape_automaton: object = None  # UTF-16-LE (as latin-1) of a misspelt string → (length, words)
    shape_patterns: int = 0


# ------------------------------------------------------------------ data files
def _wordlists_dir() -> Path:
    from ..rules.loader import default_pack_dir

    return default_pack_dir()


def source_paths() -> list[Path]:
    d = _wordlists_dir()
    return [jieba_dict_path(), d / "confusion_pinyin.tsv", d / "gov_userdict.txt", d / "confusion_shape.tsv"]


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
def read_shape_table(text: str) -> dict[str, str]:
    """``char<TAB>shape-similar characters`` lines (``#`` comments skipped)."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and len(parts[0]) == 1 and not line.startswith("#"):
            out[parts[0]] = parts[1].strip()
    return out


def build_model(
    dict_text: str, pinyin_text: str, user_text: str, shape_text: str = "", min_freq: int = MIN_FREQ
) -> Model:
    freq: dict[str, int] = {}
    all_chars: Counter = Counter()
    name_chars: Counter = Counter()
    surnames: Counter = Counter()
    for line in dict_text.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        word, f = parts[0], int(parts[1])
        freq[word] = f
        tag = parts[2] if len(parts) > 2 else ""
        for ch in word:
            all_chars[ch] += 1
        if tag == "nr":
            for ch in word[1:]:
                name_chars[ch] += 1
            if len(word) == 3:
                surnames[word[0]] += 1
    for word, f in read_user_dict(user_text).items():
        freq[word] = max(f, freq.get(word, 0))
    total = sum(freq.values())
    log_total = math.log(total)
    logp = {w: math.log(f) - log_total for w, f in freq.items() if f > 0}
    class_ids: dict[str, int] = {}
    classes: dict[int, str] = {}
    for line in pinyin_text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and len(parts[0]) == 1 and not line.startswith("#"):
            classes[ord(parts[0])] = chr(0xE000 + class_ids.setdefault(parts[1].strip(), len(class_ids)))
    groups: dict[str, list[str]] = {}
    for word, f in freq.items():
        if f < min_freq or not MIN_LEN <= len(word) <= MAX_LEN:
            continue
        key = word.translate(classes)
        if any(ord(c) < 0xE000 for c in key):  # a character without a reading class
            continue
        groups.setdefault(key, []).append(word)
    automaton = ahocorasick.Automaton()
    for key, words in groups.items():
        automaton.add_word(key, (len(key), tuple(words)))
    automaton.make_automaton()
    shapes = read_shape_table(shape_text)
    variants: dict[str, list[str]] = {}
    for words in groups.values():
        for word in words:
            for k, ch in enumerate(word):
                for other in shapes.get(ch, ""):
                    variant = word[:k] + other + word[k + 1 :]
                    if variant not in freq:
                        variants.setdefault(variant, []).append(word)
    shape_automaton = ahocorasick.Automaton()
    for variant, words in variants.items():
        shape_automaton.add_word(_utf16(variant), (len(variant), tuple(words)))
    shape_automaton.make_automaton()
    return Model(
        logp=logp,
        unknown=-log_total,
        classes=classes,
        surnames=frozenset(c for c, _ in surnames.most_common(SURNAMES)),
        name_chars={c: n / all_chars[c] for c, n in name_chars.items() if n / all_chars[c] >= 0.05},
        automaton=automaton,
        patterns=len(groups),
        shape_automaton=shape_automaton if variants else None,
        shape_patterns=len(variants),
    )


def _key(blobs: list[bytes], min_freq: int) -> str:
    h = hashlib.sha256()
    for part in (repr((FORMAT, MIN_LEN, MAX_LEN, min_freq)).encode(), *blobs):
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()[:32]


def load_model(min_freq: int = MIN_FREQ) -> Model:
    """The model for ``min_freq``: from the cache when its inputs are unchanged,
    else built (and cached when the cache directory is writable)."""
    blobs = [p.read_bytes() for p in source_paths()]
    key = _key(blobs, min_freq)
    directory = data_cache_dir("confusion")
    path = directory / f"{key}.pickle" if directory else None
    if path is not None and path.exists():
        try:
            with open(path, "rb") as fh:
                return pickle.load(fh)
        except Exception:  # noqa: BLE001 - a bad entry is rebuilt
            pass
    model = build_model(*(b.decode("utf-8") for b in blobs), min_freq=min_freq)
    if path is not None:
        atomic_write(path, pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL), keep=KEEP_ENTRIES, pattern="*.pickle")
    return model


_models: dict[int, Model] = {}
_lock = threading.Lock()


def model(min_freq: int = MIN_FREQ) -> Model:
    """The shared model for ``min_freq``, loaded on first use (thread-safe)."""
    m = _models.get(min_freq)
    if m is None:
        with _lock:
            m = _models.get(min_freq)
            if m is None:
                m = _models[min_freq] = load_model(min_freq)
    return m


# ------------------------------------------------------------------ scoring
def segment_score(m: Model, text: str) -> float:
    """Log-probability of the best segmentation of ``text`` (jieba's route)."""
    logp, unknown = m.logp, m.unknown
    n = len(text)
    route = [0.0] * (n + 1)
    for i in range(n - 1, -1, -1):
        best = logp.get(text[i], unknown) + route[i + 1]
        for j in range(i + 2, min(n, i + MAX_WORD) + 1):
            lp = logp.get(text[i:j])
            if lp is not None:
                v = lp + route[j]
                if v > best:
                    best = v
        route[i] = best
    return route[0]


def _in_word(logp: dict, text: str, pos: int) -> bool:
    """Whether ``text[pos]`` forms a dictionary word of 2–4 characters with neighbours."""
    n = len(text)
    for a in range(max(0, pos - 3), pos + 1):
        for b in range(max(pos + 1, a + 2), min(n, a + 4) + 1):
            if text[a:b] in logp:
                return True
    return False


def _looks_like_name(m: Model, text: str, start: int, end: int, name_char: float) -> bool:
    before = text[start - 1] if start else ""
    if before not in m.surnames and text[start] not in m.surnames:
        return False
    return max(m.name_chars.get(ch, 0.0) for ch in text[start:end]) >= name_char


def confidence(gain: float) -> float:
    return round(1.0 - 2.0 ** (-gain / 4.0), 3)


_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def _utf16(text: str) -> str:
    """The UTF-16-LE code units of ``text`` as latin-1 characters: an automaton over
    this alphabet has at most 256 children per node and runs ~8× faster on Chinese
    text than one over the characters themselves."""
    return text.encode("utf-16-le", "surrogatepass").decode("latin-1")


def _hits(m: Model, text: str, shape_penalty: float) -> list[tuple]:
    """``(last, (length, words), penalty)`` for every same-pinyin and shape-variant hit
    that is not itself a dictionary word (list comprehensions: this is the hot loop)."""
    logp = m.logp
    hits = [
        (last, value, 0.0)
        for last, value in m.automaton.iter(text.translate(m.classes))
        if text[last - value[0] + 1 : last + 1] not in logp
    ]
    if m.shape_automaton is not None and shape_penalty < math.inf:
        units = _utf16(text)
        if len(units) != 2 * len(text):  # characters outside the BMP take 2 units: one placeholder each
            units = _utf16(_ASTRAL.sub("\ufffd", text))
        # unit i//2 is character i; an odd last unit is aligned on a character boundary
        hits += [(last // 2, value, shape_penalty) for last, value in m.shape_automaton.iter(units) if last % 2]
    return hits


def candidates(
    text: str,
    *,
    min_freq: int = MIN_FREQ,
    name_char: float = NAME_CHAR,
    shape_penalty: float = SHAPE_PENALTY,
    floor: float = -math.inf,
) -> Iterator[tuple]:
    """Every candidate that survives the cheap vetoes, with its gain (less
    ``shape_penalty`` for a shape-similar substitution): ``(start, end, word, gain)``;
    the best word per span. Candidates whose local estimate (see ``ESTIMATE_MARGIN``)
    cannot reach ``floor`` are not verified."""
    m = model(min_freq)
    logp, unknown = m.logp, m.unknown
    skip_below = floor - ESTIMATE_MARGIN
    best: dict[tuple[int, int], tuple[str, float]] = {}
    in_word: dict[int, bool] = {}
    original: dict[tuple[int, int], float] = {}
    n = len(text)
    for last, (length, words), penalty in _hits(m, text, shape_penalty):
        start, end = last - length + 1, last + 1
        sub = text[start:end]
        singles = None
        for word in words:
            diffs = [k for k in range(length) if sub[k] != word[k]]
            if len(diffs) > (1 if length == 2 else 2):
                continue
            if skip_below > -math.inf:
                if singles is None:
                    singles = sum(logp.get(ch, unknown) for ch in sub)
                if logp[word] - singles - penalty < skip_below:
                    continue
            vetoed = False
            for k in diffs:
                veto = in_word.get(start + k)
                if veto is None:
                    veto = in_word[start + k] = _in_word(logp, text, start + k)
                if veto:
                    vetoed = True
                    break
            if vetoed:
                continue
            if name_char < 1.0 and _looks_like_name(m, text, start, end, name_char):
                break
            lo, hi = max(0, start - WINDOW), min(n, end + WINDOW)
            base = original.get((start, end))
            if base is None:
                base = original[(start, end)] = segment_score(m, text[lo:hi])
            gain = segment_score(m, text[lo:start] + word + text[end:hi]) - base - penalty
            if gain > best.get((start, end), ("", -math.inf))[1]:
                best[(start, end)] = (word, gain)
    for (start, end), (word, gain) in sorted(best.items()):
        yield start, end, word, gain


def suspected_typos(
    text: str,
    *,
    min_gain: float = MIN_GAIN,
    min_freq: int = MIN_FREQ,
    name_char: float = NAME_CHAR,
    shape_penalty: float = SHAPE_PENALTY,
) -> Iterator[tuple]:
    """The structure check ``suspected_typos``: ``(start, end, [word], detail, confidence)``
    for each candidate whose gain reaches ``min_gain``; overlapping candidates keep
    the one with the higher gain (then the longer one)."""
    taken: list[tuple[int, int]] = []
    hits = sorted(
        (
            c
            for c in candidates(
                text, min_freq=min_freq, name_char=name_char, shape_penalty=shape_penalty, floor=min_gain
            )
            if c[3] >= min_gain
        ),
        key=lambda c: (-c[3], c[0] - c[1], c[0]),  # higher gain, then the longer span
    )
    kept = []
    for start, end, word, gain in hits:
        if any(s < end and start < e for s, e in taken):
            continue
        taken.append((start, end))
        kept.append((start, end, word, gain))
    for start, end, word, gain in sorted(kept):
        yield start, end, [word], f"疑为「{word}」", confidence(gain)
