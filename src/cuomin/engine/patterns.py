"""Pattern rules: a ``regex`` pattern, an optional validator and a fix.

A pattern may name groups; the reported span is the group ``hit`` when the pattern
has one (so context can be matched around it), else the whole match. A suggestion
comes from ``replace`` (a template expanded against the match, ``\\g<name>``) or from
a named fixer below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterator, Optional

import regex

from ..validators import VALIDATORS


def _hit_text(m) -> str:
    return m.group("hit") if "hit" in m.re.groupindex else m.group(0)


def _mask_resident_id(m) -> list[str]:
    v = _hit_text(m)
    return [v[:6] + "*" * 8 + v[14:]]


def _mask_mobile(m) -> list[str]:
    v = _hit_text(m)
    return [v[:3] + "****" + v[7:]]


def _mask_bank_card(m) -> list[str]:
    v = _hit_text(m)
    return [v[:4] + "*" * (len(v) - 8) + v[-4:]]


def _zero_to_ling(m) -> list[str]:
    return [regex.sub(r"[0OoＯｏ０零]", "〇", _hit_text(m))]


def _delete(m) -> list[str]:
    return [""]


_CN_DIGITS = "〇一二三四五六七八九"


def _approximate_numbers(m) -> list[str]:
    """5、6 → 五六 (GB/T 15835: adjacent numbers as an approximation, in Chinese numerals)."""
    return [_CN_DIGITS[int(m.group("a"))] + _CN_DIGITS[int(m.group("b"))]]


def _full_year(m) -> list[str]:
    """23年 → 2023年 (and 98年 → 1998年): the century nearest the past."""
    yy = int(m.group("y"))
    century = 2000 if yy <= date.today().year % 100 else 1900
    return [f"{century + yy}年"]


_FULLWIDTH = str.maketrans(",;:?!", "，；：？！")


def _fullwidth(m) -> list[str]:
    return [_hit_text(m).translate(_FULLWIDTH)]


FIXERS: dict[str, Callable] = {
    "mask_resident_id": _mask_resident_id,
    "mask_mobile": _mask_mobile,
    "mask_bank_card": _mask_bank_card,
    "zero_to_ling": _zero_to_ling,
    "delete": _delete,
    "approximate_numbers": _approximate_numbers,
    "full_year": _full_year,
    "fullwidth": _fullwidth,
}


@dataclass
class PatternRule:
    code: str
    regex: "regex.Pattern"
    validator: Optional[Callable]
    fixer: Optional[Callable]
    replace: Optional[str]

    def finditer(self, text: str) -> Iterator[tuple[int, int, list[str]]]:
        has_hit = "hit" in self.regex.groupindex
        for m in self.regex.finditer(text):
            if self.validator is not None and not self.validator(m):
                continue
            start, end = m.span("hit") if has_hit else m.span()
            if start == end:
                continue
            if self.fixer is not None:
                suggestions = self.fixer(m)
            elif self.replace is not None:
                suggestions = [m.expand(self.replace)]
            else:
                suggestions = []
            yield start, end, suggestions


def compile_pattern_rule(rule) -> PatternRule:
    """Compile a pattern rule; unknown validator/fix names are a pack error."""
    if rule.validator and rule.validator not in VALIDATORS:
        raise ValueError(f"unknown validator {rule.validator!r} (known: {', '.join(sorted(VALIDATORS))})")
    if rule.fix and rule.fix not in FIXERS:
        raise ValueError(f"unknown fix {rule.fix!r} (known: {', '.join(sorted(FIXERS))})")
    try:
        compiled = regex.compile(rule.pattern)
    except regex.error as exc:
        raise ValueError(f"bad pattern: {exc}") from exc
    return PatternRule(
        code=rule.code,
        regex=compiled,
        validator=VALIDATORS.get(rule.validator) if rule.validator else None,
        fixer=FIXERS.get(rule.fix) if rule.fix else None,
        replace=rule.replace,
    )
