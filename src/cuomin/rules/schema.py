"""The rule-pack schema (docs/rule-packs.md), validated with pydantic.

A pack is a TOML file with an optional ``[pack]`` table and a list of ``[[rules]]``.
A rule has a stable ``code`` and is one of four kinds:

* ``literal`` (default): ``entries``, each a wrong form (or several) and suggestion(s);
* ``pattern``: a ``regex`` pattern, an optional named ``validator`` and a fix;
* ``structure``: a named structural ``check`` over paragraphs (paired brackets …);
* ``roster``: ``people`` and the posts they held, with dates: a title written next to
  a name that did not hold it at the publication date is reported.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..models import Category, Severity

CODE_RE = r"^[A-Z]{2,5}[0-9]{3,4}$"


def _as_list(value):
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


class Example(BaseModel):
    """An example text; ``date`` is the publication date it is checked with."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    text: str = Field(min_length=1)
    date: Optional[dt.date] = None

    @classmethod
    def coerce(cls, value):
        return cls(text=value) if isinstance(value, str) else value


class Context(BaseModel):
    """Context conditions that veto (or require) a hit.

    * ``not_after``: skip when the text right before the hit ends with one of these
      (e.g. ``原`` for 原国土资源部); with ``not_after_within = N`` up to N Chinese
      characters may stand between (原某某县环保局).
    * ``not_before``: skip when the text right after the hit starts with one of these.
    * ``not_in_sentence``: skip when the sentence holding the hit contains one of these
      (e.g. 不再保留, 组建 for a sentence that describes the reform itself). The hit's
      own text does not count.
    * ``in_sentence``: report only when the rest of the sentence contains one of these.
    * ``not_quoted``: skip when the hit stands inside “”, ‘’, 「」 or 《》.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    not_after: list[str] = Field(default_factory=list)
    not_after_within: int = Field(default=0, ge=0, le=20)
    not_before: list[str] = Field(default_factory=list)
    not_in_sentence: list[str] = Field(default_factory=list)
    in_sentence: list[str] = Field(default_factory=list)
    not_quoted: bool = False

    @field_validator("not_after", "not_before", "not_in_sentence", "in_sentence", mode="before")
    @classmethod
    def _listify(cls, v):
        return _as_list(v)

    def merged(self, other: Optional["Context"]) -> "Context":
        if other is None:
            return self
        return Context(
            not_after=[*self.not_after, *other.not_after],
            not_after_within=max(self.not_after_within, other.not_after_within),
            not_before=[*self.not_before, *other.not_before],
            not_in_sentence=[*self.not_in_sentence, *other.not_in_sentence],
            in_sentence=[*self.in_sentence, *other.in_sentence],
            not_quoted=self.not_quoted or other.not_quoted,
        )

    def is_empty(self) -> bool:
        return not (self.not_after or self.not_before or self.not_in_sentence or self.in_sentence or self.not_quoted)


class _Examples(BaseModel):
    match: list[Example] = Field(default_factory=list)
    nomatch: list[Example] = Field(default_factory=list)

    @field_validator("match", "nomatch", mode="before")
    @classmethod
    def _coerce_examples(cls, v):
        return [Example.coerce(x) for x in _as_list(v)]


class Entry(_Examples):
    """One literal entry: wrong form(s) and the suggestion(s) that replace them."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    wrong: list[str] = Field(min_length=1)
    right: list[str] = Field(default_factory=list)
    reason: Optional[str] = None
    source: Optional[str] = None
    severity: Optional[Severity] = None
    effective: Optional[dt.date] = None
    boundary: Optional[bool] = None
    context: Optional[Context] = None
    tag: Optional[str] = None

    @field_validator("wrong", "right", mode="before")
    @classmethod
    def _listify(cls, v):
        return _as_list(v)

    @field_validator("wrong")
    @classmethod
    def _non_blank(cls, v):
        for w in v:
            if not w.strip():
                raise ValueError("wrong forms must not be blank")
        return v


class Term(BaseModel):
    """One post a person held: the titles it is written with (the full title first,
    then customary short forms such as 总理) and the dates it began (``from``) and
    ended (``to``, the day the successor took it over); either may be left open."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, populate_by_name=True)

    title: list[str] = Field(min_length=1)
    start: Optional[dt.date] = Field(default=None, alias="from")
    end: Optional[dt.date] = Field(default=None, alias="to")

    @field_validator("title", mode="before")
    @classmethod
    def _listify(cls, v):
        return _as_list(v)

    @model_validator(mode="after")
    def _check(self):
        for t in self.title:
            if len(t.strip()) < 2:
                raise ValueError(f"title {t!r}: a title has at least two characters")
        if self.start and self.end and self.end <= self.start:
            raise ValueError(f"term of {self.title[0]} ends ({self.end}) before it begins ({self.start})")
        return self


class Person(_Examples):
    """A roster entry: a person's name (or names) and the posts held, with dates."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    name: list[str] = Field(min_length=1)
    posts: list[Term] = Field(min_length=1)

    @field_validator("name", mode="before")
    @classmethod
    def _listify(cls, v):
        return _as_list(v)

    @field_validator("name")
    @classmethod
    def _names(cls, v):
        for n in v:
            if len(n.strip()) < 2:
                raise ValueError(f"name {n!r}: a name has at least two characters")
        return v


class Rule(_Examples):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    code: str = Field(pattern=CODE_RE)
    name: str = ""
    kind: Literal["literal", "pattern", "structure", "roster"] = "literal"
    category: Category
    severity: Severity
    reason: str = Field(min_length=1)
    source: str = Field(min_length=1)
    tag: Optional[str] = None
    effective: Optional[dt.date] = None
    boundary: bool = False
    context: Optional[Context] = None
    # literal
    entries: list[Entry] = Field(default_factory=list)
    # pattern
    pattern: Optional[str] = None
    #: a regex every match contains, searched first: a text without it is skipped
    #: (a cheap prefilter for a pattern that cannot start with a fixed character)
    trigger: Optional[str] = None
    #: a finite pattern (literals, classes, alternation, bounded repeats) for the
    #: strings of which every match contains at least one, in the text as written:
    #: a speed hint. The Scanner finds all rules' anchors in one Aho-Corasick pass and
    #: skips a rule whose anchors a text lacks; the reference path ignores them, so an
    #: incomplete anchor shows up in the equivalence tests and the rule's examples.
    anchor: Optional[str] = None
    validator: Optional[str] = None
    fix: Optional[str] = None
    replace: Optional[str] = None
    # structure
    check: Optional[str] = None
    #: keyword arguments of the check (thresholds …), e.g. ``params = { min_score = 1.5 }``
    params: dict[str, Union[bool, int, float, str]] = Field(default_factory=dict)
    # roster
    people: list[Person] = Field(default_factory=list)
    #: the severity of a title and name that were right at another date (the person
    #: held the post before or after it): often a history written without 时任
    off_term_severity: Severity = Severity.warning
    #: ``confirmed`` (list-based, the default) or ``suspected`` (疑似: a statistical
    #: family whose findings carry a confidence below 1 and are counted apart)
    tier: Literal["confirmed", "suspected"] = "confirmed"

    @model_validator(mode="after")
    def _kind_fields(self):
        if self.kind == "literal":
            if not self.entries:
                raise ValueError(f"literal rule {self.code} has no entries")
            if self.pattern or self.check:
                raise ValueError(f"literal rule {self.code} must not set pattern/check")
        elif self.kind == "pattern":
            if not self.pattern:
                raise ValueError(f"pattern rule {self.code} needs a pattern")
            if self.entries or self.check:
                raise ValueError(f"pattern rule {self.code} must not set entries/check")
        elif self.kind == "roster":
            if not self.people:
                raise ValueError(f"roster rule {self.code} has no people")
            if self.entries or self.pattern or self.check:
                raise ValueError(f"roster rule {self.code} must not set entries/pattern/check")
            counts = Counter(n for p in self.people for n in p.name)
            twice = sorted(n for n, k in counts.items() if k > 1)
            if twice:
                raise ValueError(f"roster rule {self.code}: {'、'.join(twice)} listed more than once (give one person all their posts)")
        else:
            if not self.check:
                raise ValueError(f"structure rule {self.code} needs a check")
            if self.entries or self.pattern:
                raise ValueError(f"structure rule {self.code} must not set entries/pattern")
        if self.people and self.kind != "roster":
            raise ValueError(f"rule {self.code}: only roster rules take people")
        if self.params and self.kind != "structure":
            raise ValueError(f"rule {self.code}: only structure rules take params")
        if self.anchor is not None:
            if self.kind != "pattern":
                raise ValueError(f"rule {self.code}: only pattern rules take an anchor")
            from ..engine.patterns import expand_anchor

            strings = expand_anchor(self.anchor)
            for ex in self.match:
                if not any(a in ex.text for a in strings):
                    raise ValueError(
                        f"rule {self.code}: match example {ex.text!r} contains no string of its anchor "
                        f"{self.anchor!r}: every match must contain one"
                    )
        return self

    def title(self) -> str:
        return self.name or self.reason


class PackInfo(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    name: str = ""
    description: str = ""
    version: str = ""


class Pack(BaseModel):
    """A parsed rule pack; ``path`` is where it came from (for messages)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    pack: PackInfo = Field(default_factory=PackInfo)
    #: 1:1 character folds applied before matching (e.g. traditional → simplified
    #: forms, 門 = "门"), merged over all loaded packs.
    charmap: dict[str, str] = Field(default_factory=dict)
    rules: list[Rule] = Field(default_factory=list)
    path: str = ""

    @field_validator("charmap")
    @classmethod
    def _single_chars(cls, v):
        for src, dst in v.items():
            if len(src) != 1 or len(dst) != 1:
                raise ValueError(f"charmap entries map one character to one character: {src!r} = {dst!r}")
        return v

    @model_validator(mode="after")
    def _unique_codes(self):
        seen: set[str] = set()
        for r in self.rules:
            if r.code in seen:
                raise ValueError(f"duplicate rule code {r.code}")
            seen.add(r.code)
        return self

