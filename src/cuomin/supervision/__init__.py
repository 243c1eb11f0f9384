"""Supervision: reading posts in bulk, batch scans, per-account counts, column
freshness and the rectification ledger (整改台账)."""

from .accounts import AccountReport, AccountRow, CountPolicy, report_from_files, report_from_ledger
from .batch import PostFinding, PostResult, scan_posts, scan_reader
from .columns import ColumnReport, FreshnessConfig, freshness_report, load_config
from .ledger import Ledger, LedgerError
from .posts import Post, PostReader, RowProblem, read_posts
from .records import FindingRow

__all__ = [
    "AccountReport",
    "AccountRow",
    "ColumnReport",
    "CountPolicy",
    "FindingRow",
    "FreshnessConfig",
    "Ledger",
    "LedgerError",
    "Post",
    "PostFinding",
    "PostReader",
    "PostResult",
    "RowProblem",
    "freshness_report",
    "load_config",
    "read_posts",
    "report_from_files",
    "report_from_ledger",
    "scan_posts",
    "scan_reader",
]
