"""Pattern rules: a ``regex`` pattern, an optional validator and a fix.

A pattern may name groups; the reported span is the group ``hit`` when the pattern
has one (so context can be matched around it), else the whole match extended over
every named group it captured (also inside look-behinds). A suggestion
comes from ``replace`` (a template expanded against the match, ``\\g<name>``) or from
a named fixer below.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterator, Optional

import regex

from ..validators import VALIDATORS, number_value


def _hit_text(m) -> str:
    return m.group("hit") if "hit" in m.re.groupindex else m.group(0)


def _mask_resident_id(m) -> list[str]:
    v = _hit_text(m)
    return [v[:6] + "*" * 8 + v[14:]]


def _mask_mobile(m) -> list[str]:
    """138 0731 5678 → 138 **** 5678: the middle four digits, separators kept."""
    v = _hit_text(m)
    out, digits = [], 0
    for ch in v:
        if ch.isdigit():
            digits += 1
            out.append("*" if 4 <= digits <= 7 else ch)
        else:
            out.append(ch)
    return ["".join(out)]


def _mask_bank_card(m) -> list[str]:
    v = _hit_text(m)
    return [v[:4] + "*" * (len(v) - 8) + v[-4:]]


def _zero_to_ling(m) -> list[str]:
    return [regex.sub(r"[0OoＯｏ０零]", "〇", _hit_text(m))]


def _delete(m) -> list[str]:
    return [""]


_CN_DIGITS = "〇一二三四五六七八九"


def _approximate_numbers(m) -> list[str]:
    """5、6 → 五六, 三、四 → 三四 (GB/T 15835: adjacent numbers as an approximation are
    written in Chinese numerals without 顿号)."""
    return [_CN_DIGITS[number_value(m.group("a"))] + _CN_DIGITS[number_value(m.group("b"))]]


def _full_year(m) -> list[str]:
    """23年 → 2023年 (and 98年 → 1998年): the century nearest the past."""
    yy = int(m.group("y"))
    century = 2000 if yy <= date.today().year % 100 else 1900
    return [f"{century + yy}年"]


_FULLWIDTH = str.maketrans(",;:?!", "，；：？！")


def _fullwidth(m) -> list[str]:
    return [_hit_text(m).translate(_FULLWIDTH)]


def _year_month(m) -> list[str]:
    """2024-7 → 2024年7月."""
    return [f"{m.group('y')}年{int(m.group('m'))}月"]


def _fullwidth_pair(m) -> list[str]:
    """"文明城市" → “文明城市”; (县广播电视台) → （县广播电视台）."""
    inner = m.group("inner")
    return [f"“{inner}”" if _hit_text(m).startswith('"') else f"（{inner}）"]


def _enumeration_mark(m) -> list[str]:
    """一. → 一、; the 、 or ， after （一） is deleted (GB/T 9704-2012 numbering)."""
    n = m.group("n")
    return [n + "、" if n else ""]


def _mask_address(m) -> list[str]:
    """Keep the address down to the street (街道/路), drop the house and room numbers."""
    return [m.group("street")]


FIXERS: dict[str, Callable] = {
    "mask_resident_id": _mask_resident_id,
    "mask_mobile": _mask_mobile,
    "mask_bank_card": _mask_bank_card,
    "zero_to_ling": _zero_to_ling,
    "delete": _delete,
    "approximate_numbers": _approximate_numbers,
    "full_year": _full_year,
    "fullwidth": _fullwidth,
    "year_month": _year_month,
    "fullwidth_pair": _fullwidth_pair,
    "enumeration_mark": _enumeration_mark,
    "mask_address": _mask_address,
}


@dataclass
class PatternRule:
    code: str
    regex: "regex.Pattern"
    validator: Optional[Callable]
    fixer: Optional[Callable]
    replace: Optional[str]
    #: a character class that every match must contain (its possible first
    #: characters); a text without any of them cannot match: see :func:`first_char_gate`
    gate: Optional["regex.Pattern"] = None
    #: the gate holds digits only: the Scanner then asks once per text whether it
    #: holds a digit at all (usually answered at the first digit) and shares the answer
    gate_digits_only: bool = False
    #: the rule's ``trigger``: part of its meaning (every match contains it), so it
    #: applies on every path
    trigger: Optional["regex.Pattern"] = None
    #: literal strings every match contains (a speed hint used by the Scanner's fast
    #: path only: see ``Rule.anchor``)
    anchors: tuple[str, ...] = ()

    def finditer(self, text: str) -> Iterator[tuple[int, int, list[str]]]:
        if self.trigger is not None and self.trigger.search(text) is None:
            return
        has_hit = "hit" in self.regex.groupindex
        for m in self.regex.finditer(text):
            if self.validator is not None and not self.validator(m):
                continue
            start, end = m.span("hit") if has_hit else _covering_span(m)
            if start == end:
                continue
            if self.fixer is not None:
                suggestions = self.fixer(m)
            elif self.replace is not None:
                suggestions = [m.expand(self.replace)]
            else:
                suggestions = []
            yield start, end, suggestions


def _covering_span(m) -> tuple[int, int]:
    """The match together with every named group it captured, including groups inside
    look-behinds: ``(?<=(?P<a>\\d))、…`` lets a pattern start with a literal (fast to
    search) while its finding still covers the digit before it."""
    start, end = m.span()
    for name in m.re.groupindex:
        s, e = m.span(name)
        if s >= 0:
            start, end = min(start, s), max(end, e)
    return start, end


def _compile(pattern: str, what: str) -> "regex.Pattern":
    try:
        return regex.compile(pattern)
    except regex.error as exc:
        raise ValueError(f"bad {what}: {exc}") from exc


def compile_pattern_rule(rule) -> PatternRule:
    """Compile a pattern rule; unknown validator/fix names are a pack error."""
    if rule.validator and rule.validator not in VALIDATORS:
        raise ValueError(f"unknown validator {rule.validator!r} (known: {', '.join(sorted(VALIDATORS))})")
    if rule.fix and rule.fix not in FIXERS:
        raise ValueError(f"unknown fix {rule.fix!r} (known: {', '.join(sorted(FIXERS))})")
    compiled = _compile(rule.pattern, "pattern")
    gate = first_char_gate(rule.pattern)
    return PatternRule(
        code=rule.code,
        regex=compiled,
        validator=VALIDATORS.get(rule.validator) if rule.validator else None,
        fixer=FIXERS.get(rule.fix) if rule.fix else None,
        replace=rule.replace,
        gate=gate,
        gate_digits_only=gate is not None and _digits_only(gate.pattern),
        trigger=_compile(rule.trigger, "trigger") if rule.trigger else None,
        anchors=tuple(expand_anchor(rule.anchor)) if rule.anchor else (),
    )


# ---------------------------------------------------------------- prefilter
# A pattern rule costs a full regex pass per text even where it cannot match. The gate
# is the set of characters a match can start with (look-arounds skipped, as they
# consume nothing), computed from the pattern's parse tree; a text that holds none
# of them is skipped with one character-class search. Patterns the stdlib parser
# cannot read, case-insensitive ones, and those whose first character can be any
# character (., negated classes, \p{...} classes, back-references) get no gate.

_SENTINEL = "\U0010fffe"  # stands for \p{...} classes while parsing with the stdlib
_UNICODE_PROPERTY = regex.compile(r"\\[pP]\{[^}]*\}|\\[pP][A-Za-z]")
_OPAQUE = regex.compile(r"\(\?[a-zA-Z]*[iV]|\\[XmMNGKLQE]|\(\?\(|\[\[|&&|--|\|\|")


def _sre_parse():
    """The stdlib's regex parser (its module moved in Python 3.11)."""
    try:
        import re._parser as sre_parse  # Python ≥ 3.11
    except ImportError:  # pragma: no cover
        import sre_parse  # type: ignore[no-redef]
    return sre_parse


class _NoGate(Exception):
    pass


def first_char_gate(pattern: str) -> Optional["regex.Pattern"]:
    """A compiled character class of the characters any match of ``pattern`` starts
    with, or ``None`` when no such class can be given."""
    if _OPAQUE.search(pattern):
        return None
    sre_parse = _sre_parse()
    substituted = _UNICODE_PROPERTY.sub(lambda m: _SENTINEL, pattern)
    try:
        parsed = sre_parse.parse(substituted)
    except Exception:
        return None
    if parsed.state.flags & 2:  # re.IGNORECASE
        return None
    try:
        items, nullable = _first(list(parsed), sre_parse)
    except _NoGate:
        return None
    if nullable or not items:
        return None
    return regex.compile("[" + "".join(items) + "]")


def _first(seq, sp):
    """(class items, nullable) for a sequence of parse-tree nodes."""
    items: list[str] = []
    c = sp  # constants live in the parser module's namespace
    for op, av in seq:
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero-width
        if op is c.LITERAL:
            items.append(_lit(av))
            return items, False
        if op is c.IN:
            items.extend(_in_items(av, sp))
            return items, False
        if op is c.SUBPATTERN:
            _group, add_flags, _del_flags, sub = av
            if add_flags & 2:
                raise _NoGate
            sub_items, nullable = _first(list(sub), sp)
        elif op is c.BRANCH:
            sub_items, nullable = [], False
            for branch in av[1]:
                b_items, b_null = _first(list(branch), sp)
                sub_items.extend(b_items)
                nullable = nullable or b_null
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) or op is getattr(c, "POSSESSIVE_REPEAT", None):
            lo, _hi, sub = av
            sub_items, nullable = _first(list(sub), sp)
            nullable = nullable or lo == 0
        elif op is getattr(c, "ATOMIC_GROUP", None):
            sub_items, nullable = _first(list(av), sp)
        else:  # ANY, NOT_LITERAL, GROUPREF, GROUPREF_EXISTS, …
            raise _NoGate
        items.extend(sub_items)
        if not nullable:
            return items, False
    return items, True


def _lit(code: int) -> str:
    ch = chr(code)
    if ch == _SENTINEL:
        raise _NoGate
    return regex.escape(ch)


def _in_items(av, sp) -> list[str]:
    out = []
    for op, a in av:
        if op is sp.LITERAL:
            out.append(_lit(a))
        elif op is sp.RANGE:
            lo, hi = a
            if lo <= ord(_SENTINEL) <= hi:
                raise _NoGate
            out.append(f"{regex.escape(chr(lo))}-{regex.escape(chr(hi))}")
        elif op is sp.CATEGORY and a is sp.CATEGORY_DIGIT:
            out.append("\\d")
        else:  # NEGATE, other categories
            raise _NoGate
    return out


#: Any decimal digit, as the pattern rules' ``\d`` sees it.
DIGIT = regex.compile(r"\d")
_DIGIT_CLASS = regex.compile(r"\[(?:\\d|[0-9](?:-[0-9])?)+\]")


def _digits_only(gate_pattern: str) -> bool:
    """Whether a gate class (as built by :func:`first_char_gate`) holds only digits."""
    return _DIGIT_CLASS.fullmatch(gate_pattern) is not None


# ---------------------------------------------------------------- anchors
#: At most this many strings an ``anchor`` pattern may stand for.
ANCHOR_LIMIT = 5_000


def expand_anchor(pattern: str, limit: int = ANCHOR_LIMIT) -> list[str]:
    """Every string a *finite* pattern matches: literals, character classes (listed
    characters and ranges), alternation, groups and bounded repeats, e.g.
    ``'\\d月|十[一二]月'`` (``\\d`` stands for every decimal digit, as in a pattern
    rule). Anything else (``\\w``, ``\\p{…}``, ``.``, negated classes,
    look-arounds, unbounded repeats) is a ``ValueError``: an anchor must be a fixed
    set of strings the Scanner can put into an Aho-Corasick automaton."""
    sre_parse = _sre_parse()
    try:
        parsed = sre_parse.parse(pattern)
    except Exception as exc:
        raise ValueError(f"bad anchor {pattern!r}: {exc}") from None
    if parsed.state.flags & 2:
        raise ValueError(f"anchor {pattern!r}: case-insensitive anchors are not supported")
    strings = _expand(list(parsed), sre_parse, limit, pattern)
    if not strings or "" in strings:
        raise ValueError(f"anchor {pattern!r} can match the empty string")
    return sorted(strings)


def _expand(seq, sp, limit: int, pattern: str) -> set[str]:
    out = {""}
    for op, av in seq:
        if op is sp.LITERAL:
            alts = {chr(av)}
        elif op is sp.IN:
            alts = set()
            for iop, a in av:
                if iop is sp.LITERAL:
                    alts.add(chr(a))
                elif iop is sp.RANGE and a[1] - a[0] < limit:
                    alts.update(chr(c) for c in range(a[0], a[1] + 1))
                elif iop is sp.CATEGORY and a is sp.CATEGORY_DIGIT:
                    alts.update(_all_digits())
                else:
                    raise ValueError(
                        f"anchor {pattern!r}: a class may hold only listed characters and ranges (and \\d; not \\w, \\p{{…}} or a negation)"
                    )
        elif op is sp.SUBPATTERN:
            alts = _expand(list(av[3]), sp, limit, pattern)
        elif op is sp.BRANCH:
            alts = set()
            for branch in av[1]:
                alts |= _expand(list(branch), sp, limit, pattern)
        elif op in (sp.MAX_REPEAT, sp.MIN_REPEAT) and av[1] is not sp.MAXREPEAT:
            lo, hi, sub = av
            one = _expand(list(sub), sp, limit, pattern)
            alts, level = set(), {""}
            for n in range(hi + 1):
                if n >= lo:
                    alts |= level
                if n < hi:
                    level = {a + b for a in level for b in one}
                    if len(level) > limit:
                        raise ValueError(f"anchor {pattern!r} stands for more than {limit} strings")
        else:
            raise ValueError(f"anchor {pattern!r}: only literals, classes, alternation and bounded repeats are allowed")
        out = {a + b for a in out for b in alts}
        if len(out) > limit:
            raise ValueError(f"anchor {pattern!r} stands for more than {limit} strings")
    return out


@functools.lru_cache(maxsize=1)
def _all_digits() -> tuple[str, ...]:
    """Every character the pattern rules' ``\\d`` matches (Unicode decimal digits)."""
    return tuple(DIGIT.findall("".join(map(chr, range(0x30, 0x20000)))))
