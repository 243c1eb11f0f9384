"""Checksums and calendar validity used by pattern rules.

Pure functions over strings; the registry at the bottom maps the names a rule pack
uses (``validator = "resident_id"``) to predicates over a regex match: a predicate
returns True when the match *is a problem* and must be reported.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable, Optional

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
#: First digit of the region code (GB/T 2260): 1–6 mainland regions, 7 Taiwan,
#: 8 Hong Kong/Macao (and the 2017 residence permits), 9 foreigners' permanent residence.
ID_REGION_FIRST = set("12345678")


def resident_id_check_char(first17: str) -> str:
    """The GB 11643-1999 check character for the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS))
    return ID_CHECK[total % 11]


def parse_date(year: int, month: int, day: int) -> Optional[dt.date]:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def is_resident_id(value: str, today: Optional[dt.date] = None) -> bool:
    """An 18-character resident ID: plausible region, real birth date, valid check char."""
    if len(value) != 18 or not value[:17].isdigit() or value[0] not in ID_REGION_FIRST:
        return False
    if value[17].upper() != resident_id_check_char(value[:17]):
        return False
    birth = parse_date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    today = today or dt.date.today()
    return birth is not None and dt.date(1880, 1, 1) <= birth <= today


def luhn_ok(digits: str) -> bool:
    if not digits.isdigit():
        return False
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def is_bank_card(value: str) -> bool:
    """16–19 digits passing the Luhn check (GB/T 14917 / ISO 7812 card numbers)."""
    digits = value.replace(" ", "").replace("-", "")
    return (
        16 <= len(digits) <= 19
        and digits[0] in "3456"  # issuer: Amex/JCB 3, Visa 4, Mastercard 5, UnionPay 6
        and luhn_ok(digits)
        and len(set(digits)) > 2
    )


# --- predicates over regex matches (name → callable) --------------------------------

Validator = Callable[["object"], bool]


def _group(m, name: str) -> Optional[str]:
    try:
        return m.group(name)
    except (IndexError, KeyError):
        return None


def _v_resident_id(m) -> bool:
    return is_resident_id(_group(m, "id") or m.group(0))


def _v_bank_card(m) -> bool:
    return is_bank_card(_group(m, "card") or m.group(0))


_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_CN_DIGIT["零"] = 0


def number_value(s: str) -> int:
    """Arabic digits, or a Chinese numeral up to 99 (十二, 三十一, 二〇二三 digit by digit)."""
    if s.isdigit():
        return int(s)
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0)
    value = 0
    for ch in s:
        value = value * 10 + _CN_DIGIT[ch]
    return value


def _v_invalid_date(m) -> bool:
    """Reports a date whose year/month/day groups (Arabic or Chinese numerals) do not
    form a real calendar date."""
    y, mo, d = _group(m, "y"), _group(m, "m"), _group(m, "d")
    if mo is None:
        return False
    month = number_value(mo)
    if d is None:
        return not 1 <= month <= 12
    year = number_value(y) if y else 2000  # a leap year: 2月29日 alone is a real date
    return parse_date(year, month, number_value(d)) is None


def _v_adjacent_numbers(m) -> bool:
    """5、6天, 三、四十: two consecutive numbers joined by 顿号 (an approximate number)."""
    return number_value(m.group("b")) == number_value(m.group("a")) + 1


VALIDATORS: dict[str, Validator] = {
    "adjacent_numbers": _v_adjacent_numbers,
    "resident_id": _v_resident_id,
    "bank_card": _v_bank_card,
    "invalid_date": _v_invalid_date,
}
