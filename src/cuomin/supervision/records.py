"""The finding record that reports and the ledger share, and the rectification
statuses bulletins use (整改情况)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Iterator, Optional

from .batch import PostResult

RECTIFIED = "已整改"
OPEN = "未整改"
OVERDUE = "逾期未整改"
STATUSES = (RECTIFIED, OPEN, OVERDUE)

FALSE_POSITIVE = "false_positive"
ACCEPTED = "accepted"
DECISION_LABELS = {FALSE_POSITIVE: "误报", ACCEPTED: "确认", None: ""}


def overdue(deadline: Optional[dt.date], as_of: Optional[dt.date]) -> bool:
    """Whether ``as_of`` is past the rectification ``deadline``."""
    return deadline is not None and (as_of or dt.date.today()) > deadline


@dataclass(frozen=True)
class FindingRow:
    """One finding of one post, with what the ledger knows about it."""

    fingerprint: str
    account: str
    owner: str
    account_type: str
    post_id: str
    title: str
    published_at: Optional[dt.date]
    url: str
    field: str
    code: str
    category: str
    severity: str
    tier: str
    text: str
    suggestions: tuple[str, ...]
    message: str
    first_seen: Optional[dt.date] = None
    rectified_on: Optional[dt.date] = None
    decision: Optional[str] = None
    reviewer: str = ""
    note: str = ""

    @property
    def is_open(self) -> bool:
        return self.rectified_on is None

    def status(self, deadline: Optional[dt.date] = None, as_of: Optional[dt.date] = None) -> str:
        if not self.is_open:
            return RECTIFIED
        return OVERDUE if overdue(deadline, as_of) else OPEN

    def to_dict(self, deadline: Optional[dt.date] = None, as_of: Optional[dt.date] = None) -> dict:
        return {
            "fingerprint": self.fingerprint,
            "account": self.account,
            "owner": self.owner,
            "account_type": self.account_type,
            "id": self.post_id,
            "title": self.title,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "url": self.url,
            "field": self.field,
            "code": self.code,
            "category": self.category,
            "severity": self.severity,
            "tier": self.tier,
            "text": self.text,
            "suggestions": list(self.suggestions),
            "message": self.message,
            "status": self.status(deadline, as_of),
            "first_seen": self.first_seen.isoformat() if self.first_seen else None,
            "rectified_on": self.rectified_on.isoformat() if self.rectified_on else None,
            "decision": self.decision,
            "reviewer": self.reviewer,
            "note": self.note,
        }


def rows_from_result(result: PostResult, seen_on: Optional[dt.date] = None) -> Iterator[FindingRow]:
    """The findings of a fresh scan (not in a ledger): all open, none reviewed."""
    p = result.post
    for pf in result.findings:
        f = pf.finding
        yield FindingRow(
            fingerprint=pf.fingerprint,
            account=p.account,
            owner=p.owner,
            account_type=p.account_type,
            post_id=p.id,
            title=p.title,
            published_at=p.published_at,
            url=p.url,
            field=pf.field,
            code=f.code,
            category=f.category.value,
            severity=f.severity.value,
            tier=f.tier,
            text=f.text,
            suggestions=tuple(f.suggestions),
            message=f.message,
            first_seen=seen_on,
        )


def rows_from_results(results: Iterable[PostResult], seen_on: Optional[dt.date] = None) -> Iterator[FindingRow]:
    for r in results:
        yield from rows_from_result(r, seen_on)
