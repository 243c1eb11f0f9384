"""The types shared by every layer: categories, severities and findings.

They are plain frozen dataclasses, not pydantic models: a finding is made for every
problem in every post, shipped between processes in a batch scan and imported by every
CLI call, and pydantic's import alone was half of a call's start-up. Construction
still checks what matters (enum values, offsets); see :class:`Finding`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from enum import Enum
from functools import cache
from typing import Iterable


class Category(str, Enum):
    """Stable category ids (see docs/rules/)."""

    sensitive = "sensitive"
    political = "political"
    expression = "expression"
    outdated = "outdated"
    typo = "typo"
    variant = "variant"
    number = "number"
    punctuation = "punctuation"
    privacy = "privacy"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self.value]


CATEGORY_LABELS = {
    "sensitive": "敏感信息",
    "political": "严重表述错误",
    "expression": "禁用/慎用/不规范表述",
    "outdated": "过时表述/机构名称",
    "typo": "错别字",
    "variant": "异形词",
    "number": "数字用法",
    "punctuation": "标点符号",
    "privacy": "个人隐私",
}

#: When two findings cover the same span, the category earlier in this list wins.
CATEGORY_PRIORITY = [
    "political",
    "sensitive",
    "privacy",
    "expression",
    "outdated",
    "typo",
    "number",
    "punctuation",
    "variant",
]


class Severity(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"

    @property
    def rank(self) -> int:
        return SEVERITY_RANK[self.value]


SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}
SEVERITY_CHOICES = ("error", "warning", "info")
#: what ``--fail-on`` takes: a severity, or never fail
FAIL_ON_CHOICES = (*SEVERITY_CHOICES, "never")


def fails(findings: Iterable["Finding"], fail_on: str) -> bool:
    """Whether any finding is at or above the ``fail_on`` severity."""
    if fail_on == "never":
        return False
    threshold = SEVERITY_RANK[fail_on]
    return any(SEVERITY_RANK[f.severity.value] >= threshold for f in findings)


class Record:
    """Base of the frozen record types (:class:`Finding`, ``Post``): a copy with
    changes, and pickling as a bare tuple of values — a batch scan ships every post
    and finding from its worker processes, and this unpickles about twice as fast as
    the dataclass default (values come from a checked object, so they are not
    checked again)."""

    __slots__ = ()

    def replace(self, **changes):
        """A copy with ``changes`` applied (and checked)."""
        return replace(self, **changes)

    def __reduce__(self):
        return (_restore, (type(self), tuple(getattr(self, name) for name in field_names(type(self)))))


@cache
def field_names(cls) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _restore(cls, values: tuple):
    obj = object.__new__(cls)
    for name, value in zip(field_names(cls), values):
        object.__setattr__(obj, name, value)
    return obj


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding(Record):
    """One problem in a text.

    ``start``/``end`` are 0-based offsets into the original ``str`` (end exclusive), so
    ``original[start:end] == text`` always holds. ``line``/``column`` are 1-based and
    count characters, not bytes. Built with keywords; ``category`` and ``severity``
    accept their string values; impossible offsets raise :class:`ValueError`.
    """

    code: str
    category: Category
    severity: Severity
    start: int
    end: int
    line: int
    column: int
    text: str
    suggestions: list[str] = field(default_factory=list)
    message: str
    source: str = ""
    confidence: float = 1.0
    tier: str = "confirmed"

    def __post_init__(self) -> None:
        if type(self.category) is not Category:
            object.__setattr__(self, "category", Category(self.category))
        if type(self.severity) is not Severity:
            object.__setattr__(self, "severity", Severity(self.severity))
        if not 0 <= self.start <= self.end:
            raise ValueError(f"finding {self.code}: bad span {self.start}–{self.end}")
        if self.line < 1 or self.column < 1:
            raise ValueError(f"finding {self.code}: line and column count from 1 (got {self.line}:{self.column})")
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"finding {self.code}: confidence {self.confidence} is not in 0–1")

    def to_dict(self) -> dict:
        """Plain JSON-ready dict (enums as their string values)."""
        d = {name: getattr(self, name) for name in field_names(Finding)}
        d["category"] = self.category.value
        d["severity"] = self.severity.value
        d["suggestions"] = list(self.suggestions)
        return d

    @classmethod
    def from_dict(cls, data: dict) -> "Finding":
        """The inverse of :meth:`to_dict` (unknown keys are an error)."""
        return cls(**data)
