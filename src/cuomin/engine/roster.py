"""Roster rules: which title goes with which name, and when.

A roster rule (``kind = "roster"``) lists people and the posts they held, each post
with the titles it is written with and its term. Every title of the roster is a key of
the literal matcher; where one stands, :class:`TitleProbe` reads the name right after
it (国务院总理李强) or right before it (李强总理) and judges the pair at the publication
date:

* the person holds that title then: right — and the shorter titles inside it are not
  read either (总理丁薛祥 inside 国务院副总理丁薛祥);
* the person held it at another time: reported with ``off_term_severity``
  (国务院总理李克强 in 2024), but not after 时任, 原, 前 … (a history names the post
  held then);
* the person never held it: reported with the rule's severity (国家主席李强 →
  国务院总理李强);
* no name of the roster is there, but one of a person who held the title with one
  character wrong (县长李伟东 for 县长李卫东): suspected (疑似), since the roster cannot
  tell a misspelling from another person's name. The wrong character must be one written
  for the right one by mistake — of the same reading (音近) or shape-similar (形近,
  engine/chartables.py) — so 县长李明 is not read as 县长李强.

A leaders' page lists them with a colon between (县长：李卫东, or ``:``): read alike, and
the suggestions keep the colon (full-width).

Titles joined by 、 before a name are each read with it (县委副书记、县长李卫东;
中共中央总书记、国家主席、中央军委主席习近平), as long as every link is a title of the
roster: a title the name does not go with is reported over the whole run, with the run
less that title as the suggestion; one it goes with keeps only itself from being read
again (the titles after it are still judged with the name).

A title written first is not read after 副 (副县长李四 holds 县长李四 inside it): a deputy
is a different post, one the roster may not list. The suggestions are worked out at the
publication date: the person under the titles held then, 时任… for a past term, and the
title with the name of whoever held it then.

Work per title found is a few dictionary look-ups, and the matcher holds one key per
title, so a city's roster of a hundred people costs what a county's does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from ..rules.schema import Rule

#: words before a title that say the post was held then, not now
HISTORICAL = ("时任", "原", "前", "曾任", "历任")
#: a character before a title that makes it another post
DEPUTY = ("副",)
#: characters that stand between a surname and a title (李副县长, 王代县长): never read
#: as a misspelt character of a name
MODIFIERS = frozenset("副代")
#: what joins titles held together before one name (县委副书记、县长李卫东)
TITLE_JOIN = "、"
#: what may stand between a title written first and its name (领导信息 pages list
#: 县长：李卫东); suggestions write the first
NAME_COLON = ("：", ":")
#: titles after the first in such a run, at most
MAX_JOINED = 4
#: words a run of titles may follow (出席会议的有县委书记、县长…); after any other Chinese
#: character the first title may be a name's (王五县长、县委书记张建国 is two people)
RUN_AFTER = frozenset("的有了是由和与及为向对在把将请被即")


@dataclass(frozen=True)
class Post:
    """A post as the scanner keeps it: its titles and its ``[start, end)`` term."""

    titles: tuple[str, ...]
    start: Optional[dt.date]
    end: Optional[dt.date]

    def covers(self, date: dt.date) -> bool:
        return (self.start is None or self.start <= date) and (self.end is None or date < self.end)

    def dates(self) -> str:
        if self.start and self.end:
            return f"{_day(self.start)}至{_day(self.end)}"
        if self.start:
            return f"{_day(self.start)}起"
        return f"至{_day(self.end)}" if self.end else "不限"


@dataclass(frozen=True)
class Person:
    names: tuple[str, ...]
    posts: tuple[Post, ...]


@dataclass(frozen=True)
class Roster:
    """One roster rule's people, shared by its probes."""

    by_name: dict
    #: the lengths of the names, longest first (the longest name that fits wins)
    lengths: tuple[int, ...]
    #: title → the people who held it
    holders: dict
    #: name → the characters written by mistake for each of its characters
    similar: dict
    #: the lengths of the titles, longest first
    title_lengths: tuple[int, ...] = ()

    def after_titles(self, text: str, pos: int) -> int:
        """Where a name would start after a title ending at ``pos``: ``pos``, or past
        the titles joined to it by 、 (all of them the roster's)."""
        holders = self.holders
        for _ in range(MAX_JOINED):
            if not text.startswith(TITLE_JOIN, pos):
                break
            at = pos + len(TITLE_JOIN)
            n = next((n for n in self.title_lengths if text[at : at + n] in holders), 0)
            if not n:
                break
            pos = at + n
        return pos

    def run_start(self, text: str, pos: int) -> int:
        """Where a run of titles joined by 、 that ends with the title at ``pos`` begins."""
        holders, join = self.holders, len(TITLE_JOIN)
        for _ in range(MAX_JOINED):
            if not text.endswith(TITLE_JOIN, 0, pos):
                break
            end = pos - join
            n = next((n for n in self.title_lengths if n <= end and text[end - n : end] in holders), 0)
            if not n:
                break
            pos = end - n
        return pos

    def holder_at(self, title: str, date: dt.date) -> Optional[Person]:
        """The one person who holds ``title`` on ``date``; nobody when several do or
        the title is a deputy's (副总理, 副县长: there are usually several, and a roster
        may list only some)."""
        if title.startswith(DEPUTY):
            return None
        now = [p for p in self.holders.get(title, ()) if any(title in t.titles and t.covers(date) for t in p.posts)]
        return now[0] if len(now) == 1 else None


@dataclass(frozen=True)
class Verdict:
    """What a probe found beside a title: ``kind`` is ``right`` (nothing to report;
    shorter forms inside are not read), ``never``, ``off_term`` or ``misspelt``."""

    start: int
    end: int
    kind: str
    suggestions: tuple[str, ...] = ()
    message: str = ""


@dataclass(frozen=True)
class TitleProbe:
    """A roster title: where the matcher finds it, :meth:`find` judges the names
    beside it."""

    title: str
    roster: Roster
    off_term_severity: str
    #: the names of the people who held the title (a misspelling is one of these)
    holder_names: tuple[str, ...]

    def find(self, text: str, start: int, end: int, date: dt.date) -> list[Verdict]:
        out: list[Verdict] = []
        if self.title.startswith(DEPUTY) or not text.endswith(DEPUTY, 0, start):
            run_end = self.roster.after_titles(text, end) if _opens_run(text, start) else end
            colon = NAME_COLON[0] if text.startswith(NAME_COLON, run_end) else ""
            side: list[Verdict] = []
            self._side(text, start, end, date, True, side, run_end + len(colon), colon)
            out += side if run_end == end else [self._joined(v, text, end, run_end, colon) for v in side]
        self._side(text, start, end, date, False, out, start)
        return out

    def _side(self, text: str, start: int, end: int, date: dt.date, title_first: bool, out: list, at: int,
              colon: str = "") -> None:
        """The name right after the title (``at``: where it would start, past any
        ``colon``) or right before it."""
        roster = self.roster
        for n in roster.lengths:
            lo, hi = (at, at + n) if title_first else (start - n, start)
            if lo < 0 or hi > len(text):
                continue
            person = roster.by_name.get(text[lo:hi])
            if person is not None:
                span = (start, hi) if title_first else (lo, end)
                out.append(self._judge(person, text[lo:hi], text, span, date, title_first, colon))
                return
        for name in self.holder_names:
            lo = at if title_first else start - len(name)
            # one character at most differs, so one of the first two is right (a quick no)
            if 0 <= lo and lo + len(name) <= len(text) and (text[lo] == name[0] or text[lo + 1] == name[1]):
                verdict = self._misspelt(text, lo, name, start, end, title_first, colon)
                if verdict is not None:
                    out.append(verdict)

    def _joined(self, verdict: Verdict, text: str, end: int, run_end: int, colon: str) -> Verdict:
        """A verdict on a title joined to others (up to ``run_end``) before the name:
        right keeps only this title from being read again; a misspelt name is reported
        over the whole run as it is (the suggestion keeps the run); otherwise the
        suggestion is the run without this title."""
        if verdict.kind == "right":
            return Verdict(verdict.start, end, "right")
        if verdict.kind == "misspelt":
            return verdict
        name = text[run_end : verdict.end].lstrip("".join(NAME_COLON))
        rest = text[end + len(TITLE_JOIN) : run_end] + colon + name
        return Verdict(verdict.start, verdict.end, verdict.kind, (rest,), verdict.message)

    def _written(self, title: str, name: str, title_first: bool, colon: str = "") -> str:
        return title + colon + name if title_first else name + title

    def _judge(self, person: Person, name: str, text: str, span, date: dt.date, title_first: bool,
               colon: str = "") -> Verdict:
        title = self.title
        terms = [t for t in person.posts if title in t.titles]
        if any(t.covers(date) for t in terms):
            return Verdict(*span, "right")
        if terms and text.endswith(HISTORICAL, 0, self.roster.run_start(text, span[0]) if title_first else span[0]):
            return Verdict(*span, "right")  # 时任县长王海涛 (时任县委书记、县长王海涛): the post held then
        held = [t for t in person.posts if t.covers(date)] or _latest_first(person.posts)[:1]
        own = [self._written(_title_as_written(t, title_first), name, title_first, colon)
               for t in _latest_first(held) if title not in t.titles]
        holder = self.roster.holder_at(title, date)
        others = [self._written(title, holder.names[0], title_first, colon)] if holder and holder is not person else []
        if not terms:
            message = f"{name}未担任{title}（{name}：{_posts(person.posts)}）"
            return Verdict(*span, "never", tuple(dict.fromkeys(own + others)), message)
        full = terms[0].titles[0]
        past = any(t.end is not None and t.end <= date for t in terms)
        then = [f"时任{full}{colon}{name}"] if past and title_first else []
        message = f"{name}任{title}的时间为{'、'.join(t.dates() for t in terms)}，不含发布日期"
        if past:
            message += f"；如写当时的职务，可作“时任{full}{name}”"
        return Verdict(*span, "off_term", tuple(dict.fromkeys(then + own + others)), message)

    def _misspelt(self, text: str, lo: int, name: str, start: int, end: int, title_first: bool,
                  colon: str = "") -> Optional[Verdict]:
        wrong = -1
        for i, similar in enumerate(self.roster.similar[name]):  # one character off, and like the right one
            c = text[lo + i]
            if c != name[i]:
                if wrong >= 0 or c not in similar or c in MODIFIERS:
                    return None
                wrong = i
        seen = text[lo : lo + len(name)]
        if wrong < 0 or seen in self.roster.by_name:
            return None
        span = (start, lo + len(name)) if title_first else (lo, end)
        message = f"疑为{name}的姓名写错：“{seen}”与名单中的“{name}”只差一字（{seen[wrong]}/{name[wrong]}）"
        # title first, the titles joined to this one (if any) stay as written
        joined = text[end : lo - len(colon)] if title_first else ""
        fixed = self._written(self.title + joined, name, title_first, colon)
        return Verdict(*span, "misspelt", (fixed,), message)


def title_probes(rule: "Rule", similar: dict) -> list[TitleProbe]:
    """A :class:`TitleProbe` for every title of ``rule`` (a roster rule), sharing one
    :class:`Roster`."""
    people = [
        Person(tuple(p.name), tuple(Post(tuple(t.title), t.start, t.end) for t in p.posts)) for p in rule.people
    ]
    by_name = {name: person for person in people for name in person.names}
    holders: dict[str, list[Person]] = {}
    for person in people:
        for title in dict.fromkeys(t for post in person.posts for t in post.titles):
            holders.setdefault(title, []).append(person)
    roster = Roster(
        by_name,
        tuple(sorted({len(n) for n in by_name}, reverse=True)),
        {title: tuple(ps) for title, ps in holders.items()},
        {name: tuple(similar.get(c, frozenset()) for c in name) for name in by_name},
        tuple(sorted({len(t) for t in holders}, reverse=True)),
    )
    return [
        TitleProbe(title, roster, rule.off_term_severity.value, tuple(n for p in holders[title] for n in p.names))
        for title in holders
    ]


def _opens_run(text: str, start: int) -> bool:
    """Whether a title at ``start`` may begin a run of titles joined by 、: it follows
    no Chinese character, one of :data:`RUN_AFTER`, or a word of :data:`HISTORICAL`."""
    if not start or text.endswith(HISTORICAL, 0, start):
        return True
    c = text[start - 1]
    return c in RUN_AFTER or not ("\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf")


def _latest_first(posts) -> list[Post]:
    return sorted(posts, key=lambda t: (t.end is None, t.end or dt.date.min, t.start or dt.date.min), reverse=True)


def _title_as_written(post: Post, title_first: bool) -> str:
    """The full title before a name; the shortest form after one (李强总理)."""
    return post.titles[0] if title_first else min(post.titles, key=len)


def _day(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _posts(posts) -> str:
    return "；".join(f"{t.titles[0]}（{t.dates()}）" for t in _latest_first(posts))
