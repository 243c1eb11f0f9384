"""Pydantic models shared by every layer: categories, severities and findings."""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, ConfigDict, Field


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


class Finding(BaseModel):
    """One problem in a text.

    ``start``/``end`` are 0-based offsets into the original ``str`` (end exclusive), so
    ``original[start:end] == text`` always holds. ``line``/``column`` are 1-based and
    count characters, not bytes.
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    code: str
    category: Category
    severity: Severity
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    line: int = Field(ge=1)
    column: int = Field(ge=1)
    text: str
    suggestions: list[str] = Field(default_factory=list)
    message: str
    source: str = ""
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    tier: str = "confirmed"

    def to_dict(self) -> dict:
        """Plain JSON-ready dict (enums as their string values)."""
        return self.model_dump(mode="json")
