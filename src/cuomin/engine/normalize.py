"""Normalization for matching, with an offset map back to the original text.

Two steps, both applied identically to rule keys (at build time) and to scanned text:

1. ``fold``: a 1:1 character translation (full-width ASCII → half-width, U+3000 →
   space, Latin upper → lower case, and an optional extra character map such as
   traditional → simplified forms). It never changes the length, so offsets in the
   folded text are offsets in the original.
2. ``strip_interference``: runs of interference characters (spaces, ``*``, ``.``,
   ``_``, ``-``, zero-width characters, other symbols) *between two Chinese
   characters* are removed, as spam writers insert them to dodge filters
   (代*开*发*票); a run next to a Latin letter or digit counts too when the other
   side is Chinese (k 粉). The result carries ``index``: for each character of the stripped
   text, its offset in the original. Only ``sensitive`` rules may report a hit that
   spans removed characters; for every other rule such a hit is discarded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional

import regex

_BASE_FOLD: dict[int, str] = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
_BASE_FOLD[0x3000] = " "
for _cp in range(ord("A"), ord("Z") + 1):
    _BASE_FOLD[_cp] = chr(_cp + 32)
for _cp in range(0xFF21, 0xFF3B):  # full-width A-Z → a-z
    _BASE_FOLD[_cp] = chr(_cp - 0xFEE0 + 32)

#: Characters treated as interference when they stand between two Chinese characters.
INTERFERENCE = (
    " \t\u00a0\u3000"  # spaces (U+3000 is folded to a space before this runs)
    "\u200b\u200c\u200d\u2060\ufeff\u00ad"  # zero-width characters, soft hyphen
    "*.-_~`'\"^#@$%&+=|/\\<>"  # ASCII symbols (after folding full-width ones)
    "·•・◆◇○●★☆※¤§×÷°"  # other symbols
)
_RUN = "[" + regex.escape(INTERFERENCE) + "]+"
_INTERFERENCE_RUN = regex.compile(
    rf"(?<=\p{{Han}}){_RUN}(?=[\p{{Han}}a-z0-9])|(?<=[a-z0-9]){_RUN}(?=\p{{Han}})"
)


def make_fold_table(extra: Optional[Mapping[str, str]] = None) -> dict[int, str]:
    """The translate table: the base fold plus 1:1 ``extra`` pairs (e.g. 門 → 门)."""
    table = dict(_BASE_FOLD)
    for src, dst in (extra or {}).items():
        if len(src) != 1 or len(dst) != 1:
            raise ValueError(f"character map entries must be single characters: {src!r} → {dst!r}")
        table[ord(src)] = dst
    return table


BASE_TABLE = make_fold_table()


@dataclass(frozen=True)
class Normalized:
    """Text prepared for matching. ``index`` is ``None`` when nothing was stripped
    (then offsets are identical to the original's)."""

    text: str
    index: Optional[list[int]]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the normalized text to the original text."""
        if self.index is None:
            return start, end
        return self.index[start], self.index[end - 1] + 1


def strip_interference(folded: str) -> Normalized:
    runs = [m.span() for m in _INTERFERENCE_RUN.finditer(folded)]
    if not runs:
        return Normalized(folded, None)
    parts: list[str] = []
    index: list[int] = []
    pos = 0
    for a, b in runs:
        parts.append(folded[pos:a])
        index.extend(range(pos, a))
        pos = b
    parts.append(folded[pos:])
    index.extend(range(pos, len(folded)))
    return Normalized("".join(parts), index)


def normalize(text: str, table: Mapping[int, str] = BASE_TABLE) -> Normalized:
    return strip_interference(text.translate(table))


def normalize_key(key: str, table: Mapping[int, str] = BASE_TABLE) -> str:
    """Normalize a rule's wrong form the same way scanned text is normalized."""
    return normalize(key, table).text


# ---------------------------------------------------------------- fast path
# The Scanner uses ``Normalizer`` below; ``normalize`` above is the plain reference.
# Both give the same findings (tests/test_performance_guards.py checks it on real
# text); docs/performance.md has the figures behind each shortcut.
#
# 1. Most characters the fold table maps are *neutral* for matching: full-width
#    ，：；（）？！ become ASCII punctuation that no key contains, that is not
#    interference and that jieba treats exactly like the full-width form (a
#    one-character token). Texts holding no other foldable character are not
#    translated at all; the others get only their non-neutral characters replaced
#    (``re.sub`` over the few that occur is ~3× faster than ``str.translate`` with a
#    dict, which raises and clears a LookupError for every unmapped character).
# 2. Interference runs are found with a plain character-class scan (stdlib ``re``,
#    ~10× faster than the look-behind-first pattern) and their two neighbours are
#    checked in Python: the look-arounds of ``_INTERFERENCE_RUN`` only ever accept
#    maximal runs, so this gives the same spans.

import re as _re
from bisect import bisect_right

#: Characters jieba glues into one token (its ``re_han_default``) besides CJK.
_JIEBA_WORD_ASCII = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+#&._%-")
_LOWER_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_HAN_CHAR = regex.compile(r"\p{Han}")
_RUN_FAST = _re.compile("[" + _re.escape(INTERFERENCE) + "]+")


def _neutral(src: str, dst: str, key_chars: frozenset) -> bool:
    """Whether folding ``src`` → ``dst`` can change neither a match, an interference
    run nor a jieba token boundary."""
    for ch in (src, dst):
        if (
            ch in key_chars
            or ch in INTERFERENCE
            or ch in _JIEBA_WORD_ASCII
            or ch.isspace()
            or "\u4e00" <= ch <= "\u9fd5"
            or _HAN_CHAR.match(ch)
        ):
            return False
    return dst.isascii() and src != dst


def _is_han(ch: str) -> bool:
    return _HAN_CHAR.match(ch) is not None


def strip_interference_fast(folded: str) -> Normalized:
    """:func:`strip_interference` with a cheaper search (same result)."""
    runs = None
    n = len(folded)
    for m in _RUN_FAST.finditer(folded):
        a, b = m.span()
        if a == 0 or b == n:
            continue
        left, right = folded[a - 1], folded[b]
        if left in _LOWER_ALNUM:
            ok = _is_han(right)
        elif _is_han(left):
            ok = right in _LOWER_ALNUM or _is_han(right)
        else:
            ok = False
        if ok:
            if runs is None:
                runs = []
            runs.append((a, b))
    if runs is None:
        return Normalized(folded, None)
    parts: list[str] = []
    cuts: list[int] = []  # normalized offset right after which each run was removed
    shifts: list[int] = []  # characters removed up to and including that run
    pos = removed = 0
    for a, b in runs:
        parts.append(folded[pos:a])
        removed += b - a
        cuts.append(a - (removed - (b - a)))
        shifts.append(removed)
        pos = b
    parts.append(folded[pos:])
    return _CutNormalized("".join(parts), cuts, shifts)


class _CutNormalized:
    """A :class:`Normalized` whose offset map is kept as the removed runs rather than
    a list with one entry per character (most texts have one or two runs)."""

    __slots__ = ("text", "_cuts", "_shifts")

    def __init__(self, text: str, cuts: list[int], shifts: list[int]):
        self.text = text
        self._cuts = cuts
        self._shifts = shifts

    def _orig(self, p: int) -> int:
        i = bisect_right(self._cuts, p)
        return p + (self._shifts[i - 1] if i else 0)

    @property
    def index(self) -> list[int]:
        return [self._orig(p) for p in range(len(self.text))]

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self._orig(start), self._orig(end - 1) + 1


class Normalizer:
    """Fast :func:`normalize` for a fixed table and key set (see the notes above)."""

    def __init__(self, table: Mapping[int, str], keys):
        key_chars = frozenset("".join(keys))
        self.table = dict(table)
        active = {cp: dst for cp, dst in self.table.items() if not _neutral(chr(cp), dst, key_chars)}
        self._active = active
        self._fold_re = _re.compile("[" + _re.escape("".join(map(chr, active))) + "]") if active else None

    def _fold_one(self, m) -> str:
        return self._active[ord(m.group())]

    def fold(self, text: str) -> str:
        fold_re = self._fold_re
        if fold_re is None or fold_re.search(text) is None:
            return text
        return fold_re.sub(self._fold_one, text)

    def __call__(self, text: str) -> Normalized:
        return strip_interference_fast(self.fold(text))

    def __getstate__(self):
        return {"table": self.table, "active": self._active}

    def __setstate__(self, state):
        self.table = state["table"]
        self._active = state["active"]
        active = self._active
        self._fold_re = _re.compile("[" + _re.escape("".join(map(chr, active))) + "]") if active else None
