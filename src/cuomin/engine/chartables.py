"""The shipped character tables (``wordlists/confusion_*.tsv``), read without numpy or
jieba: the suspected-typo family (engine/confusion.py), roster rules' misspelt names
(engine/roster.py) and sensitive words written in pinyin (engine/pinyin.py) use them."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

PINYIN_FILE = "confusion_pinyin.tsv"
SHAPE_FILE = "confusion_shape.tsv"
HETERONYM_FILE = "pinyin_heteronyms.tsv"


def _rows(text: str):
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and len(parts[0]) == 1 and not line.startswith("#"):
            yield parts[0], parts[1].strip()


def read_pinyin_table(text: str) -> dict[str, str]:
    """``char<TAB>toneless pinyin`` lines (``#`` comments skipped)."""
    return dict(_rows(text))


def read_shape_table(text: str) -> dict[str, str]:
    """``char<TAB>shape-similar characters`` lines (``#`` comments skipped)."""
    return dict(_rows(text))


def table_paths() -> tuple[Path, Path, Path]:
    """The pinyin, the shape and the heteronym table (a compiled rule set depends on
    them: its cache key covers them)."""
    from ..rules.loader import default_pack_dir

    d = Path(default_pack_dir())
    return d / PINYIN_FILE, d / SHAPE_FILE, d / HETERONYM_FILE


@lru_cache(maxsize=1)
def pinyin_readings() -> dict[str, str]:
    """Character → its toneless reading (one per character: the most common)."""
    return read_pinyin_table(table_paths()[0].read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def pinyin_heteronyms() -> dict[str, str]:
    """Character → its next toneless reading, for characters read more than one way
    (行 hang, 藏 zang)."""
    return read_pinyin_table(table_paths()[2].read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def similar_chars() -> dict[str, frozenset[str]]:
    """Character → the characters written for it by mistake: those of the same toneless
    reading (音近, as an input method offers them) and the shape-similar ones (形近)."""
    readings = pinyin_readings()
    shapes = read_shape_table(table_paths()[1].read_text(encoding="utf-8"))
    by_reading: dict[str, set[str]] = {}
    for ch, reading in readings.items():
        by_reading.setdefault(reading, set()).add(ch)
    out: dict[str, frozenset[str]] = {}
    for ch in readings.keys() | shapes.keys():
        near = set(by_reading.get(readings.get(ch, ""), ())) | set(shapes.get(ch, ""))
        near.discard(ch)
        out[ch] = frozenset(near)
    return out
