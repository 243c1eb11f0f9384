"""Roster rules: which title goes with which name, and when.

A roster rule (``kind = "roster"``) lists people and the posts they held, each post
with the titles it is written with and its term. It is compiled into literal forms —
every title of the roster next to every name, title first (国务院总理李强) and name
first (李强总理) — each with the dates on which it is right:

* a title the person never held: always reported, with the rule's severity
  (国家主席李强 → 国务院总理李强);
* a title the person held at another time: reported when the publication date lies
  outside every term, with ``off_term_severity`` (国务院总理李克强 in 2024), but not
  after 时任, 原, 前 … (a history names the post held then);
* a title the person held then: not reported, and it shadows the shorter forms inside
  it (总理丁薛祥 inside 国务院副总理丁薛祥).

A title written first is not read after 副 (副县长李四 holds 县长李四 inside it): a
deputy is a different post, one the roster may not list.

A name written with one wrong character next to a title its owner held (县长李伟东 for
县长李卫东) is found by :class:`NearNames`: each title is a key of its own, and where it
stands the characters beside it are compared with the names of the people who held it.
The wrong character must be one written for the right one by mistake — of the same
reading (音近) or shape-similar (形近, engine/chartables.py) — so 县长李明 is not read as
县长李强. These findings are suspected (疑似): the roster cannot tell a misspelt name
from another person's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator, Optional

if TYPE_CHECKING:
    from ..rules.schema import Person, Rule, Term

#: words before a title that say the post was held then, not now
HISTORICAL = ("时任", "原", "前", "曾任", "历任")
#: a character before a title that makes it another post
DEPUTY = ("副",)
#: characters that stand between a surname and a title (李副县长, 王代县长): never read
#: as a misspelt character of a name
MODIFIERS = frozenset("副代")

Interval = tuple[Optional[dt.date], Optional[dt.date]]


@dataclass(frozen=True)
class RosterForm:
    """One title-and-name form of a roster rule and when it is right."""

    wrong: str
    suggestions: tuple[str, ...]
    detail: str
    #: the person held the title at some time: reported only outside ``valid``
    off_term: bool
    #: ``[from, to)`` intervals (either end open) in which the form is right
    valid: tuple[Interval, ...]
    #: words before the form that keep it from being reported
    not_after: tuple[str, ...]


@dataclass(frozen=True)
class NearNames:
    """The names that may stand beside a title — after it (县长李卫东) or before it
    (李卫东县长) — each with, per character, the characters written for it by mistake."""

    title: str
    names: tuple[tuple[str, tuple[frozenset, ...]], ...]
    #: every name of the roster: a string equal to one is that person, not a misspelling
    known: frozenset
    #: a title written first is not read after these (副县长李卫东: another post)
    not_after: tuple[str, ...]

    def find(self, text: str, start: int, end: int) -> list[tuple[int, int, str, str]]:
        """``(start, end, suggestion, message)`` for each misspelt name beside the title
        at ``text[start:end]``."""
        out = []
        after = not text.endswith(self.not_after, 0, start) if self.not_after else True
        for name, allowed in self.names:
            n = len(name)
            if after and end + n <= len(text):
                self._compare(text, end, name, allowed, start, True, out)
            if start >= n:
                self._compare(text, start - n, name, allowed, start, False, out)
        return out

    def _compare(self, text: str, lo: int, name: str, allowed, title_at: int, title_first: bool, out: list) -> None:
        wrong = -1
        for i, ok in enumerate(allowed):  # at most one character may differ, and like the right one
            c = text[lo + i]
            if c != name[i]:
                if wrong >= 0 or c not in ok or c in MODIFIERS:
                    return
                wrong = i
        seen = text[lo : lo + len(name)]
        if wrong < 0 or seen in self.known:
            return
        right = self.title + name if title_first else name + self.title
        message = f"疑为{name}的姓名写错：“{seen}”与名单中的“{name}”只差一字（{seen[wrong]}/{name[wrong]}）"
        span = (title_at, lo + len(name)) if title_first else (lo, title_at + len(self.title))
        out.append((*span, right, message))


def near_names(rule: "Rule", similar: dict) -> Iterator[NearNames]:
    """A :class:`NearNames` for every title of ``rule``."""
    known = frozenset(n for p in rule.people for n in p.name)
    holders: dict[str, dict[str, None]] = {}  # title → the names of all who held it, in order
    for person in rule.people:
        for term in person.posts:
            for title in term.title:
                holders.setdefault(title, {}).update(dict.fromkeys(person.name))
    for title, names in holders.items():
        table = tuple((n, tuple(similar.get(c, frozenset()) for c in n)) for n in names)
        yield NearNames(title, table, known, () if title.startswith(DEPUTY) else DEPUTY)


def roster_forms(rule: "Rule") -> Iterator[RosterForm]:
    """Every title-and-name form of ``rule`` (a roster rule)."""
    titles = list(dict.fromkeys(t for p in rule.people for term in p.posts for t in term.title))
    current = _current_holders(rule.people)
    for person in rule.people:
        for name in person.name:
            for title in titles:
                terms = [term for term in person.posts if title in term.title]
                for title_first in (True, False):
                    yield _form(person, name, title, terms, title_first, current)


def _form(person: "Person", name: str, title: str, terms: list["Term"], title_first: bool, current) -> RosterForm:
    def written(t: str, n: str) -> str:
        return t + n if title_first else n + t

    holder = current.get(title)
    # the person under the right title: the posts held now (else the last one held) …
    held = [t for t in person.posts if t.end is None and t not in terms] or [
        t for t in _latest_first(person.posts)[:1] if t not in terms
    ]
    own = [written(_title_as_written(term, title_first), name) for term in _latest_first(held)]
    # … or the title with the name of whoever holds it now
    others = [] if holder is None or holder == name else [written(title, holder)]
    not_after = DEPUTY if title_first and not title.startswith(DEPUTY) else ()
    if not terms:
        detail = f"{name}未担任{title}（{name}：{_posts(person.posts)}）"
        return RosterForm(written(title, name), tuple(dict.fromkeys(own + others)), detail, False, (), not_after)
    full = terms[0].title[0]
    then = [f"时任{full}{name}"] if title_first else []
    detail = f"{name}任{title}的时间为{'、'.join(_term_dates(t) for t in terms)}，不含发布日期；如写当时的职务，可作“时任{full}{name}”"
    valid = tuple((t.start, t.end) for t in terms)
    return RosterForm(written(title, name), tuple(dict.fromkeys(then + own + others)), detail, True, valid, not_after + HISTORICAL)


def _current_holders(people) -> dict[str, str]:
    """Title → the one person who holds it with no end date. A title several people
    hold now names nobody: the suggestion would be a guess; so does a deputy's
    (副总理, 副县长): there are usually several, and a roster may list only some."""
    holders: dict[str, set[str]] = {}
    for person in people:
        for term in person.posts:
            if term.end is None:
                for title in term.title:
                    if not title.startswith(DEPUTY):
                        holders.setdefault(title, set()).add(person.name[0])
    return {title: names.pop() for title, names in holders.items() if len(names) == 1}


def _latest_first(terms) -> list["Term"]:
    return sorted(terms, key=lambda t: (t.end is None, t.end or dt.date.min, t.start or dt.date.min), reverse=True)


def _title_as_written(term: "Term", title_first: bool) -> str:
    """The full title before a name; the shortest form after one (李强总理)."""
    return term.title[0] if title_first else min(term.title, key=len)


def during(date: dt.date, valid: tuple[Interval, ...]) -> bool:
    """Whether ``date`` lies in one of the ``[from, to)`` intervals."""
    return any((a is None or a <= date) and (b is None or date < b) for a, b in valid)


def _day(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _term_dates(term: "Term") -> str:
    if term.start and term.end:
        return f"{_day(term.start)}至{_day(term.end)}"
    if term.start:
        return f"{_day(term.start)}起"
    if term.end:
        return f"至{_day(term.end)}"
    return "不限"


def _posts(terms) -> str:
    return "；".join(f"{t.title[0]}（{_term_dates(t)}）" for t in _latest_first(terms))
