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
