"""Column freshness (栏目更新情况): items per period and days since the last item,
per unit and column, and new-media accounts silent too long; every threshold comes
from a TOML configuration (``examples/freshness.toml``; :data:`DEFAULT_CONFIG` when
none is given).

Rules, in the configuration's words:

- ``[[columns]]``: ``match`` (substrings of column names; the first rule that
  matches a column applies), ``min_items`` per ``per`` (quarter / month / year, or
  the ``--from``/``--to`` window), ``max_silent_days`` (passes while the last item is
  at most that many days before the check date), ``required`` (every unit must have
  the column; one with no items is a blank column).
- ``[accounts] max_silent_days`` / ``veto``: a new-media account whose last post is
  more than that many days before the check date fails (单项否决 when ``veto``).
- ``[site] blank_columns_veto`` / ``stale_columns_veto``: that many blank / stale
  columns in one unit is a veto.

A column with no items at all is blank (空白栏目); an item with no publication date
counts as not updated; items dated after the check date are ignored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from .posts import PostReader, RowProblem
from .tomlmodels import load_model, parse_model

NO_UNIT = "（未注明单位）"
PASS = "合格"
FAIL = "不合格"
FAIL_VETO = "不合格（单项否决）"


class FreshnessConfigError(ValueError):
    """A freshness configuration that cannot be used; the message names the file."""


class ColumnRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    match: list[str] = Field(min_length=1)
    min_items: Optional[int] = Field(default=None, ge=1)
    per: Literal["quarter", "month", "year", "period"] = "quarter"
    max_silent_days: Optional[int] = Field(default=None, ge=0)
    required: bool = False

    def matches(self, column: str) -> bool:
        return any(m in column for m in self.match)


class AccountRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_silent_days: int = Field(default=14, ge=0)
    veto: bool = True


class SiteRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    blank_columns_veto: Optional[int] = Field(default=None, ge=1)
    stale_columns_veto: Optional[int] = Field(default=None, ge=1)


class FreshnessConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    units: list[str] = Field(default_factory=list)
    columns: list[ColumnRule] = Field(default_factory=list)
    accounts: Optional[AccountRule] = Field(default_factory=AccountRule)
    site: SiteRule = Field(default_factory=SiteRule)

    def rule_for(self, column: str) -> Optional[ColumnRule]:
        return next((r for r in self.columns if r.matches(column)), None)


#: The national indicators (国办秘函〔2019〕19号): 动态/要闻 ≤ 2 weeks, 通知公告/政策文件
#: ≤ 6 months, new media ≤ 2 weeks (veto), ≥ 5 blank or stale columns (veto).
DEFAULT_CONFIG = """
[[columns]]
name = "动态/要闻"
match = ["动态", "要闻"]
max_silent_days = 14

[[columns]]
name = "通知公告/政策文件"
match = ["通知公告", "政策文件"]
max_silent_days = 183

[accounts]
max_silent_days = 14
veto = true

[site]
blank_columns_veto = 5
stale_columns_veto = 5
"""


def parse_config(text: str, name: str = "<config>") -> FreshnessConfig:
    return parse_model(text, name, FreshnessConfig, FreshnessConfigError)


def load_config(path: Optional[Path] = None) -> FreshnessConfig:
    """The configuration in ``path``, or :data:`DEFAULT_CONFIG`."""
    return load_model(path, DEFAULT_CONFIG, parse_config, FreshnessConfigError)


# ------------------------------------------------------------------ periods
PERIOD_LABELS = {"quarter": "本季度", "month": "本月", "year": "本年度", "period": "检查期内"}


def period_start(as_of: dt.date, per: str) -> dt.date:
    if per == "month":
        return as_of.replace(day=1)
    if per == "year":
        return as_of.replace(month=1, day=1)
    return as_of.replace(month=(as_of.month - 1) // 3 * 3 + 1, day=1)


@dataclass(frozen=True)
class Window:
    start: dt.date
    end: dt.date
    label: str

    def __contains__(self, date: dt.date) -> bool:
        return self.start <= date <= self.end


def window_for(per: str, as_of: dt.date, date_from=None, date_to=None) -> Window:
    """The counting window: ``--from``/``--to`` when given, else the quarter (month,
    year) that contains the check date, up to the check date."""
    if date_from is not None or date_to is not None:
        return Window(date_from or dt.date.min, date_to or as_of, PERIOD_LABELS["period"])
    if per == "period":
        per = "quarter"
    return Window(period_start(as_of, per), as_of, PERIOD_LABELS[per])


# ------------------------------------------------------------------ results
@dataclass
class ColumnStatus:
    unit: str
    column: str
    rule: Optional[str] = None
    items_in_period: int = 0
    total_items: int = 0
    undated: int = 0
    last: Optional[dt.date] = None
    days_since: Optional[int] = None
    problems: list[str] = field(default_factory=list)
    blank: bool = False
    stale: bool = False
    veto: bool = False
    account: bool = False

    def to_dict(self) -> dict:
        return {
            "unit": self.unit,
            "column": self.column,
            "kind": "account" if self.account else "column",
            "rule": self.rule,
            "items_in_period": self.items_in_period,
            "total_items": self.total_items,
            "undated": self.undated,
            "last": self.last.isoformat() if self.last else None,
            "days_since": self.days_since,
            "blank": self.blank,
            "stale": self.stale,
            "veto": self.veto,
            "problems": self.problems,
        }


@dataclass
class UnitStatus:
    unit: str
    problems: list[str] = field(default_factory=list)
    veto: bool = False

    @property
    def result(self) -> str:
        if not self.problems:
            return PASS
        return FAIL_VETO if self.veto else FAIL

    def to_dict(self) -> dict:
        return {"unit": self.unit, "problems": self.problems, "result": self.result, "veto": self.veto}


@dataclass
class ColumnReport:
    as_of: dt.date
    window: Window
    units: list[UnitStatus]
    columns: list[ColumnStatus]
    items: int = 0
    skipped_rows: int = 0
    unreadable_files: int = 0

    def failing_units(self) -> list[UnitStatus]:
        return [u for u in self.units if u.problems]

    def summary(self) -> str:
        failing = self.failing_units()
        return (f"共检查{len(self.units)}个单位，{len(failing)}个不合格"
                f"（其中单项否决{sum(1 for u in failing if u.veto)}个）。"
                f"检查日期{self.as_of.isoformat()}，统计期间{self.window.start.isoformat()}至"
                f"{self.window.end.isoformat()}。")

    def to_dict(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "period": {"from": self.window.start.isoformat(), "to": self.window.end.isoformat()},
            "units": [u.to_dict() for u in self.units],
            "columns": [c.to_dict() for c in self.columns],
            "summary": {
                "units": len(self.units),
                "failing": len(self.failing_units()),
                "veto": sum(1 for u in self.units if u.veto),
                "items": self.items,
                "skipped_rows": self.skipped_rows,
                "unreadable_files": self.unreadable_files,
            },
        }


# ------------------------------------------------------------------ tallying
@dataclass
class _Tally:
    total: int = 0
    undated: int = 0
    last: Optional[dt.date] = None
    in_window: dict = field(default_factory=dict)  # per → count
    label: str = ""


class FreshnessTally:
    """Streaming: feed posts (items) one at a time, then :meth:`report`."""

    def __init__(self, config: FreshnessConfig, as_of: dt.date, date_from=None, date_to=None):
        self.config = config
        self.as_of = as_of
        self.windows = {per: window_for(per, as_of, date_from, date_to) for per in ("quarter", "month", "year", "period")}
        self.units: dict[str, None] = dict.fromkeys(config.units)
        self.columns: dict[tuple[str, str], _Tally] = {}
        self.accounts: dict[tuple[str, str, str], _Tally] = {}
        self.items = 0

    def add(self, post) -> None:
        is_item = bool(post.title or post.text or post.published_at or post.url)
        if post.column:
            unit = post.unit or post.owner or NO_UNIT
            self.units.setdefault(unit, None)
            tally = self.columns.setdefault((unit, post.column), _Tally())
        elif post.account:
            unit = post.owner or post.unit or NO_UNIT
            self.units.setdefault(unit, None)
            tally = self.accounts.setdefault((unit, post.account, post.account_type), _Tally())
        else:  # pragma: no cover - the reader refuses such rows
            return
        if not is_item:
            return  # a row that only declares a column
        self.items += 1
        date = post.published_at
        if date is None:
            tally.total += 1
            tally.undated += 1
            return
        if date > self.as_of:
            return
        tally.total += 1
        if tally.last is None or date > tally.last:
            tally.last = date
        for per, window in self.windows.items():
            if date in window:
                tally.in_window[per] = tally.in_window.get(per, 0) + 1

    def report(self) -> ColumnReport:
        cfg = self.config
        units = {u: UnitStatus(u) for u in self.units}
        statuses: list[ColumnStatus] = []
        blank: dict[str, int] = {}
        stale: dict[str, int] = {}
        seen_rules: dict[str, set[str]] = {u: set() for u in units}
        for (unit, column), t in self.columns.items():
            rule = cfg.rule_for(column)
            if rule is not None:
                seen_rules[unit].add(rule.name)
            st = self._judge_column(unit, column, rule, t)
            statuses.append(st)
        website_units = {u for u, _ in self.columns} | set(cfg.units)
        for unit in units:
            if unit not in website_units:
                continue
            for rule in cfg.columns:
                if rule.required and rule.name not in seen_rules[unit]:
                    statuses.append(self._judge_column(unit, rule.match[0], rule, _Tally()))
        for (unit, account, account_type), t in self.accounts.items():
            statuses.append(self._judge_account(unit, account, account_type, t))
        order = {u: i for i, u in enumerate(units)}
        statuses.sort(key=lambda s: order[s.unit])
        for st in statuses:
            u = units[st.unit]
            u.problems.extend(st.problems)
            u.veto = u.veto or st.veto
            if st.blank:
                blank[st.unit] = blank.get(st.unit, 0) + 1
            if st.stale:
                stale[st.unit] = stale.get(st.unit, 0) + 1
        for unit, u in units.items():
            n = blank.get(unit, 0)
            if cfg.site.blank_columns_veto and n >= cfg.site.blank_columns_veto:
                u.problems.append(f"空白栏目{n}个（单项否决）")
                u.veto = True
            n = stale.get(unit, 0)
            if cfg.site.stale_columns_veto and n >= cfg.site.stale_columns_veto:
                u.problems.append(f"未及时更新栏目{n}个（单项否决）")
                u.veto = True
        return ColumnReport(self.as_of, self.windows["period"] if self._explicit else self.windows["quarter"],
                            list(units.values()), statuses, self.items)

    @property
    def _explicit(self) -> bool:
        return self.windows["quarter"].label == PERIOD_LABELS["period"]

    def _judge_column(self, unit: str, column: str, rule: Optional[ColumnRule], t: _Tally) -> ColumnStatus:
        st = ColumnStatus(unit, column, rule.name if rule else None, total_items=t.total, undated=t.undated,
                          last=t.last)
        if t.last is not None:
            st.days_since = (self.as_of - t.last).days
        if t.total == 0:
            st.blank = True
            st.problems.append(f"{column}栏目为空白栏目")
            return st
        if rule is None:
            return st
        if rule.min_items is not None:
            window = self.windows[rule.per]
            st.items_in_period = t.in_window.get(rule.per, 0)
            if st.items_in_period < rule.min_items:
                st.stale = True
                st.problems.append(
                    f"{column}栏目未更新（{window.label}{st.items_in_period}条，应不少于{rule.min_items}条）"
                )
        else:
            st.items_in_period = t.in_window.get(rule.per, 0)
        if rule.max_silent_days is not None:
            if t.last is None:
                st.stale = True
                st.problems.append(f"{column}栏目信息均无发布日期，视为未更新")
            elif st.days_since > rule.max_silent_days:
                st.stale = True
                st.problems.append(
                    f"{column}栏目未及时更新（最后更新{t.last.isoformat()}，已{st.days_since}天未更新，"
                    f"应不超过{rule.max_silent_days}天）"
                )
        return st

    def _judge_account(self, unit: str, account: str, account_type: str, t: _Tally) -> ColumnStatus:
        label = f"新媒体账号“{account}”" + (f"（{account_type}）" if account_type else "")
        st = ColumnStatus(unit, label, "accounts", total_items=t.total, undated=t.undated, last=t.last,
                          account=True, items_in_period=t.in_window.get("quarter", 0))
        rule = self.config.accounts
        if rule is None:
            return st
        if t.last is not None:
            st.days_since = (self.as_of - t.last).days
        veto = "，单项否决" if rule.veto else ""
        if t.last is None:
            st.problems.append(f"{label}检查日前{rule.max_silent_days}天内无更新（无有效发布日期）{veto}")
        elif st.days_since > rule.max_silent_days:
            st.problems.append(
                f"{label}超过{rule.max_silent_days}天未更新（最后更新{t.last.isoformat()}，已{st.days_since}天）{veto}"
            )
        if st.problems:
            st.stale = True
            st.veto = rule.veto
        return st


def freshness_report(
    paths: Iterable,
    as_of: dt.date,
    config: Optional[FreshnessConfig] = None,
    *,
    date_from=None,
    date_to=None,
    encoding: Optional[str] = None,
    on_problem: Optional[Callable[[RowProblem], None]] = None,
    jobs: int = 1,
) -> ColumnReport:
    """Read posts/items from ``paths`` and judge every unit's columns and accounts; with
    ``jobs`` > 1 the reading is shared with worker processes (see :func:`read_reader`)."""
    from .batch import read_reader

    config = config or load_config()
    reader = PostReader([Path(p) for p in paths], require_text=False, encoding=encoding, on_problem=on_problem)
    tally = FreshnessTally(config, as_of, date_from, date_to)
    for post in read_reader(reader, jobs=jobs):
        tally.add(post)
    report = tally.report()
    report.skipped_rows = reader.skipped_rows
    report.unreadable_files = reader.unreadable_files
    return report
