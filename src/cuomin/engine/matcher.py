"""The literal matcher: every (overlapping) occurrence of a fixed set of keys.

Three interchangeable back ends, all returning ``(key_index, start, end)`` in
character offsets, for every occurrence, overlapping ones included:

* ``rs``: ahocorasick_rs (Rust ``aho-corasick``). The fastest on Chinese text;
  chosen by default when the package is importable. It starts as the library's
  contiguous NFA (cheap to build: a CLI call on one small file never pays for more)
  and switches to its DFA (~4× the build time, ~1.6× the speed) once
  ``DFA_AFTER_CHARS`` characters have been scanned.
* ``bytes``: pyahocorasick fed the text's UTF-8 bytes decoded as latin-1 (keys
  likewise), so no trie node has more than 256 children; byte offsets are mapped
  back to characters. The fallback when ahocorasick_rs is missing.
* ``str``: pyahocorasick over plain ``str`` keys: the reference (plain) path.

docs/performance.md has the measurements behind the choice.
"""

from __future__ import annotations

import os
import threading
from typing import Optional, Sequence

import ahocorasick

try:  # pragma: no cover - exercised when installed (it is a dependency)
    import ahocorasick_rs as _rs
except ImportError:  # pragma: no cover
    _rs = None

BACKENDS = ("rs", "bytes", "str")

#: Above this many keys the DFA is not built (its size grows with keys × byte classes);
#: the contiguous NFA of the same library is used instead.
DFA_MAX_KEYS = 50_000
#: Characters scanned with the NFA before the DFA is built.
DFA_AFTER_CHARS = 200_000
#: A longer text is searched in windows of this many characters (overlapping by the
#: longest key less one, so every occurrence is found exactly once): ahocorasick_rs
#: maps byte offsets to character offsets through a table of 8 bytes per byte of
#: UTF-8: one search of a 10M-character document took 265 MB, a window takes ~7 MB.
FIND_WINDOW = 1 << 18


def default_backend() -> str:
    """``CUOMIN_MATCHER`` (rs, bytes, str) when set, else rs when installed, else bytes."""
    env = os.environ.get("CUOMIN_MATCHER", "").strip().lower()
    if env in BACKENDS and (env != "rs" or _rs is not None):
        return env
    return "rs" if _rs is not None else "bytes"


class LiteralMatcher:
    """Finds all occurrences of ``keys`` (non-empty strings) in a text.

    Picklable: only the keys and the back end name are stored; the automaton is
    rebuilt on unpickling (a few milliseconds for thousands of keys).
    """

    def __init__(self, keys: Sequence[str], backend: Optional[str] = None):
        self.keys = list(keys)
        self.backend = backend or default_backend()
        if self.backend not in BACKENDS:
            raise ValueError(f"unknown matcher back end {self.backend!r} (known: {', '.join(BACKENDS)})")
        if self.backend == "rs" and _rs is None:
            self.backend = "bytes"
        self._build()

    def __getstate__(self):
        return {"keys": self.keys, "backend": self.backend}

    def __setstate__(self, state):
        self.keys = state["keys"]
        self.backend = state["backend"]
        if self.backend == "rs" and _rs is None:
            self.backend = "bytes"
        self._build()

    def _build(self) -> None:
        self._find = None
        self._upgrade_lock = threading.Lock()
        self._overlap = max(map(len, self.keys), default=1) - 1
        if not self.keys:
            self._find = _no_matches
            return
        if self.backend == "rs":
            self._until_dfa = DFA_AFTER_CHARS if len(self.keys) <= DFA_MAX_KEYS else None
            self._find = self._rs_finder(_rs.Implementation.ContiguousNFA)
        elif self.backend == "bytes":
            auto = ahocorasick.Automaton()
            for i, key in enumerate(self.keys):
                latin = key.encode("utf-8").decode("latin-1")
                auto.add_word(latin, (i, len(latin)))
            auto.make_automaton()
            self._find = _bytes_finder(auto)
        else:
            auto = ahocorasick.Automaton()
            for i, key in enumerate(self.keys):
                auto.add_word(key, (i, len(key)))
            auto.make_automaton()

            def _find_str(text: str):
                return [(i, last - n + 1, last + 1) for last, (i, n) in auto.iter(text)]

            self._find = _find_str

    def _rs_finder(self, implementation):
        find = _rs.AhoCorasick(self.keys, implementation=implementation).find_matches_as_indexes

        def _find_rs(text: str):
            return find(text, overlapping=True)

        return _find_rs

    def _upgrade(self) -> None:
        self._until_dfa = None
        try:
            self._find = self._rs_finder(_rs.Implementation.DFA)
        except Exception:  # pragma: no cover - DFA beyond the crate's size limits: keep the NFA
            pass

    def find(self, text: str) -> list[tuple[int, int, int]]:
        """``(key_index, start, end)`` for every occurrence, in character offsets."""
        if self.backend == "rs":
            # read once: another thread may upgrade (and clear the count) meanwhile
            until = self._until_dfa
            if until is not None:
                until -= len(text)
                if until >= 0:
                    self._until_dfa = until
                else:
                    with self._upgrade_lock:
                        if self._until_dfa is not None:
                            self._upgrade()
        if len(text) > FIND_WINDOW + self._overlap:
            return _in_windows(self._find, text, FIND_WINDOW, self._overlap)
        return self._find(text)


def _in_windows(find, text: str, window: int, overlap: int) -> list[tuple[int, int, int]]:
    """``find(text)`` a window at a time: each window is searched with ``overlap``
    characters beyond it and keeps the occurrences that start inside it."""
    out = []
    for w in range(0, len(text), window):
        out.extend((k, s + w, e + w) for k, s, e in find(text[w : w + window + overlap]) if s < window)
    return out


def _no_matches(text: str) -> list:
    return []


def _bytes_finder(auto):
    def find(text: str):
        data = text.encode("utf-8")
        latin = data.decode("latin-1")
        hits = [(i, last - n + 1, last + 1) for last, (i, n) in auto.iter(latin)]
        if not hits or len(data) == len(text):  # ASCII text: byte offsets are character offsets
            return hits
        return _to_char_offsets(data, hits)

    return find


def _to_char_offsets(data: bytes, hits):
    """Map byte offsets (on UTF-8 character boundaries) to character offsets."""
    marks = sorted({b for _, s, e in hits for b in (s, e)})
    char_at: dict[int, int] = {}
    pos = chars = 0
    for b in marks:
        chars += len(data[pos:b].decode("utf-8"))
        pos = b
        char_at[b] = chars
    return [(i, char_at[s], char_at[e]) for i, s, e in hits]
