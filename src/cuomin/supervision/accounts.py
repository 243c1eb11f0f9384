"""Per-account counts: the bulletin's table of new-media accounts.

账号名称 | 开设主体 | 账号类型 | 错敏信息数量 | 整改情况, sorted by count (descending)
then account name. The count is the number of problems *found* (bulletins report
"发现N处，已整改M处"), so fixing a post does not lower it; a finding a reviewer
marked as a false positive is not counted at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

from ..engine.scanner import Scanner
from .batch import in_window, post_key, scan_reader
from .posts import PostReader, RowProblem
from .records import ACCEPTED, FALSE_POSITIVE, OPEN, OVERDUE, RECTIFIED, FindingRow, overdue, rows_from_result

DEFAULT_SEVERITIES = ("error", "warning")
#: status shown for an account without counted findings (only with ``include_clean``)
CLEAN = "—"


@dataclass(frozen=True)
class CountPolicy:
    """Which findings count: these severities, confirmed tier (or a suspected one a
    reviewer accepted, or every suspected one with ``include_suspected``), never a
    false positive."""

    severities: frozenset = frozenset(DEFAULT_SEVERITIES)
    include_suspected: bool = False

    def counts(self, row: FindingRow) -> bool:
        if row.decision == FALSE_POSITIVE or row.severity not in self.severities:
            return False
        return row.tier == "confirmed" or self.include_suspected or row.decision == ACCEPTED


@dataclass
class AccountRow:
    account: str
    owner: str
    account_type: str
    errors: int = 0
    rectified: int = 0
    open: int = 0
    status: str = CLEAN

    def to_dict(self) -> dict:
        return {
            "account": self.account,
            "owner": self.owner,
            "account_type": self.account_type,
            "errors": self.errors,
            "status": self.status,
            "rectified": self.rectified,
            "open": self.open,
        }


def account_status(errors: int, open_count: int, deadline: Optional[dt.date], as_of: Optional[dt.date]) -> str:
    """已整改 when every counted finding is rectified, else 未整改, or 逾期未整改
    once ``as_of`` is past ``deadline``."""
    if errors == 0:
        return CLEAN
    if open_count == 0:
        return RECTIFIED
    return OVERDUE if overdue(deadline, as_of) else OPEN


class AccountTally:
    """Streaming aggregation: feed accounts seen and finding rows, get the table."""

    def __init__(self, policy: CountPolicy = CountPolicy(), *, date_from=None, date_to=None,
                 keep_details: bool = False):
        self.policy = policy
        self.date_from = date_from
        self.date_to = date_to
        self.keep_details = keep_details
        self.details: list[tuple[FindingRow, bool]] = []
        self._rows: dict[tuple[str, str], AccountRow] = {}
        self.findings = 0
        self.unattributed = 0  # findings in posts without an account

    def _row(self, account: str, owner: str, account_type: str) -> AccountRow:
        row = self._rows.get((account, account_type))
        if row is None:
            row = self._rows[(account, account_type)] = AccountRow(account, owner, account_type)
        elif owner and not row.owner:
            row.owner = owner
        return row

    def add_account(self, account: str, owner: str = "", account_type: str = "") -> None:
        if account:
            self._row(account, owner, account_type)

    def add(self, r: FindingRow) -> bool:
        """Add a finding; returns whether it was counted."""
        if not in_window(r.published_at, self.date_from, self.date_to):
            return False
        if not r.account:
            self.unattributed += 1
            return False
        counted = self.policy.counts(r)
        row = self._row(r.account, r.owner, r.account_type)
        self.findings += 1
        if counted:
            row.errors += 1
            if r.is_open:
                row.open += 1
            else:
                row.rectified += 1
        if self.keep_details:
            self.details.append((r, counted))
        return counted

    def table(self, *, deadline=None, as_of=None, include_clean: bool = False) -> list[AccountRow]:
        rows = [r for r in self._rows.values() if include_clean or r.errors]
        for r in rows:
            r.status = account_status(r.errors, r.open, deadline, as_of)
        rows.sort(key=lambda r: (-r.errors, r.account, r.account_type))
        return rows


@dataclass
class AccountReport:
    rows: list[AccountRow]
    details: list[tuple[FindingRow, bool]] = field(default_factory=list)
    posts: int = 0
    skipped_rows: int = 0
    unreadable_files: int = 0
    unattributed: int = 0
    deadline: Optional[dt.date] = None
    as_of: Optional[dt.date] = None
    #: posts seen again (the same account and id: overlapping exports?), counted each time
    duplicate_posts: int = 0

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.rows)

    @property
    def rectified(self) -> int:
        return sum(r.rectified for r in self.rows)

    def summary(self) -> str:
        """The bulletin's summary sentence, naming the accounts not yet fixed."""
        listed = [r for r in self.rows if r.errors]
        not_fixed = [r for r in listed if r.open]
        text = (f"共{len(listed)}个账号存在错敏信息，发现错敏信息{self.errors}处，已整改{self.rectified}处；"
                f"{len(listed) - len(not_fixed)}个账号已完成整改，{len(not_fixed)}个账号未完成整改")
        if not_fixed:
            names = "、".join(f"{r.account}（{r.account_type}）" if r.account_type else r.account for r in not_fixed)
            text += f"（{names}）"
        return text + "。"


def report_from_files(
    paths: Iterable,
    scanner: Scanner,
    policy: CountPolicy = CountPolicy(),
    *,
    date_from=None,
    date_to=None,
    deadline=None,
    as_of=None,
    jobs: int = 1,
    encoding: Optional[str] = None,
    include_clean: bool = False,
    keep_details: bool = False,
    on_problem: Optional[Callable[[RowProblem], None]] = None,
) -> AccountReport:
    """Scan posts and count per account; nothing has been rectified yet."""
    reader = PostReader([Path(p) for p in paths], encoding=encoding, on_problem=on_problem)
    tally = AccountTally(policy, date_from=date_from, date_to=date_to, keep_details=keep_details)
    posts = duplicates = 0
    seen: set[int] = set()  # (hashes of post keys: a count of repeats needs no more)
    for result in scan_reader(scanner, reader, jobs=jobs, date_from=date_from, date_to=date_to):
        if not result.scanned:
            continue
        post = result.post
        key = hash(post_key(post))
        duplicates += key in seen
        seen.add(key)
        tally.add_account(post.account, post.owner, post.account_type)
        posts += 1
        for row in rows_from_result(result):
            tally.add(row)
    return AccountReport(
        tally.table(deadline=deadline, as_of=as_of, include_clean=include_clean), tally.details, posts,
        reader.skipped_rows, reader.unreadable_files, tally.unattributed, deadline, as_of, duplicates,
    )


def report_from_ledger(
    ledger,
    policy: CountPolicy = CountPolicy(),
    *,
    date_from=None,
    date_to=None,
    deadline=None,
    as_of=None,
    include_clean: bool = False,
    keep_details: bool = False,
) -> AccountReport:
    """Count per account from a rectification ledger, with what has been fixed."""
    tally = AccountTally(policy, date_from=date_from, date_to=date_to, keep_details=keep_details)
    if include_clean:
        for account, owner, account_type in ledger.accounts():
            tally.add_account(account, owner, account_type)
    for row in ledger.rows():
        tally.add(row)
    return AccountReport(
        tally.table(deadline=deadline, as_of=as_of, include_clean=include_clean), tally.details,
        ledger.post_count(), 0, 0, tally.unattributed, deadline, as_of,
    )
