"""jieba's dictionary, loaded one first character at a time.

The word-boundary check segments a window of ±8 characters around a hit, which
needs the frequencies of a few dozen strings; jieba's own start-up unmarshals all
~500,000 of them (0.4 s from its cache, ~1.5 s without) in every process that
checks a boundary — one ``cuomin check`` of a short draft, each ``--jobs`` worker.

Here jieba's prefix dictionary (``Tokenizer.FREQ``: every word with its frequency,
every prefix of a word with 0) is stored once, split into buckets by first
character, in the cache directory. A process maps the file and unmarshals a
bucket the first time a string starting with that character is looked up
(:class:`BucketedFreq`); a jieba ``Tokenizer`` given that mapping segments exactly as
with its own dictionary, because the mapping *is* its dictionary (the entry is built
from ``Tokenizer.initialize()``; tests/test_segdict.py compares the two).

The entry is keyed by jieba's version and its ``dict.txt`` (size, modification
time); with the cache disabled or unwritable, jieba loads its dictionary as usual.
"""

from __future__ import annotations

import importlib.util
import marshal
import mmap
import struct
from pathlib import Path
from typing import Optional

from .cachedir import atomic_write, data_cache_dir

FORMAT = 1
_MAGIC = b"CUOMINSEG"
_HEADER = struct.Struct("<9sIQ")  # magic, format, length of the marshalled index


def jieba_dict_path() -> Path:
    """jieba's ``dict.txt``, found without importing jieba."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("jieba is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "dict.txt"


class BucketedFreq:
    """The read side of jieba's ``FREQ`` dict (``in``, ``[]``, ``get``; writes go to
    the bucket too, for ``Tokenizer.add_word``), backed by a mapped cache file."""

    def __init__(self, data, index: dict[str, tuple[int, int]], base: int):
        self._data = data
        self._index = index
        self._base = base
        self._buckets: dict[str, dict[str, int]] = {}

    def _bucket(self, ch: str) -> dict[str, int]:
        bucket = self._buckets.get(ch)
        if bucket is None:
            span = self._index.get(ch)
            if span is None:
                bucket = {}
            else:
                start = self._base + span[0]
                bucket = marshal.loads(self._data[start : start + span[1]])
            self._buckets[ch] = bucket  # two threads may both load it: same content
        return bucket

    def __contains__(self, word) -> bool:
        return bool(word) and word in self._bucket(word[0])

    def __getitem__(self, word: str) -> int:
        if not word:
            raise KeyError(word)
        return self._bucket(word[0])[word]

    def get(self, word: str, default=None):
        return self._bucket(word[0]).get(word, default) if word else default

    def __setitem__(self, word: str, freq: int) -> None:
        self._bucket(word[0])[word] = freq

    def __len__(self) -> int:
        for ch in self._index:
            self._bucket(ch)
        return sum(len(b) for b in self._buckets.values())


def _entry_path(directory: Path) -> Path:
    """The entry's name: jieba's version (how it builds ``FREQ``) and its dictionary's
    size and time. The version is read off the imported module: ``importlib.metadata``
    cost ~12 ms of imports, a tenth of a ``cuomin check`` that segments."""
    path = jieba_dict_path()
    st = path.stat()
    version = getattr(import_jieba(), "__version__", "?")
    name = f"jieba-{version}-{st.st_size}-{st.st_mtime_ns}-f{FORMAT}.seg"
    return directory / name


def encode(freq: dict[str, int], total: int) -> bytes:
    """The cache entry for jieba's ``FREQ`` and ``total``."""
    buckets: dict[str, dict[str, int]] = {}
    for word, n in freq.items():
        if word:
            buckets.setdefault(word[0], {})[word] = n
    parts: list[bytes] = []
    index: dict[str, tuple[int, int]] = {}
    offset = 0
    for ch, bucket in buckets.items():
        blob = marshal.dumps(bucket)
        index[ch] = (offset, len(blob))
        parts.append(blob)
        offset += len(blob)
    head = marshal.dumps((total, index))
    return _HEADER.pack(_MAGIC, FORMAT, len(head)) + head + b"".join(parts)


def decode(data) -> tuple[BucketedFreq, int]:
    """(``FREQ``, ``total``) from an entry (``bytes`` or a memory map); ``ValueError``
    when it is not one."""
    if len(data) < _HEADER.size:
        raise ValueError("truncated entry")
    magic, fmt, head_len = _HEADER.unpack(data[: _HEADER.size])
    if magic != _MAGIC or fmt != FORMAT:
        raise ValueError("not a segmentation dictionary entry")
    base = _HEADER.size + head_len
    if len(data) < base:
        raise ValueError("truncated entry")
    try:
        total, index = marshal.loads(data[_HEADER.size : base])
    except (EOFError, ValueError, TypeError) as exc:
        raise ValueError(f"broken entry: {exc}") from None
    if index and max(off + n for off, n in index.values()) > len(data) - base:
        raise ValueError("truncated entry")
    return BucketedFreq(data, index, base), total


def _load(path: Path) -> Optional[tuple[BucketedFreq, int]]:
    try:
        with open(path, "rb") as fh:
            data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # missing, unreadable or empty
        return None
    try:
        return decode(data)
    except ValueError:
        return None


def import_jieba():
    """``import jieba``, without letting it import ``pkg_resources``: jieba uses that only
    to open its own data files and falls back to plain paths when it is missing, and
    importing it is 55 of jieba's 78 ms of import time (and deprecated in setuptools).
    A ``None`` in ``sys.modules`` makes that one import fail, as documented."""
    import sys

    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    block = "pkg_resources" not in sys.modules
    if block:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]
    try:
        import jieba
    finally:
        if block and sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    return jieba


def new_tokenizer():
    """A jieba ``Tokenizer`` with its default dictionary, initialised from the cache
    entry when there is one (and writing that entry when there is not)."""
    import logging

    jieba = import_jieba()
    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    path = cached_entry()
    loaded = _load(path) if path is not None else None
    if loaded is not None:
        tk.FREQ, tk.total = loaded
        tk.initialized = True
        return tk
    tk.initialize()
    if path is not None:
        atomic_write(path, encode(tk.FREQ, tk.total), keep=2, pattern="*.seg")
    return tk


def cached_entry() -> Optional[Path]:
    """The cache entry this installation of jieba would use (``None`` with the cache off)."""
    directory = data_cache_dir("segdict")
    return _entry_path(directory) if directory is not None else None

