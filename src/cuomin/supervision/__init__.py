"""Supervision: reading posts in bulk, batch scans, per-account counts, column
freshness, service guides (办事指南) and the rectification ledger (整改台账)."""

import importlib

#: where each public name lives: imported on first use, so that a command that needs
#: one part (``cuomin scan``: batch and posts) does not import the others
_HOMES = {
    "AccountReport": "accounts", "AccountRow": "accounts", "CountPolicy": "accounts",
    "report_from_files": "accounts", "report_from_ledger": "accounts",
    "PostFinding": "batch", "PostResult": "batch", "scan_posts": "batch", "scan_reader": "batch",
    "ColumnReport": "columns", "FreshnessConfig": "columns", "freshness_report": "columns", "load_config": "columns",
    "FormFile": "forms", "inspect_form": "forms",
    "GuideConfig": "guides", "GuideReport": "guides", "GuideStatus": "guides", "guide_report": "guides",
    "load_guide_config": "guides",
    "Ledger": "ledger", "LedgerError": "ledger",
    "Post": "posts", "PostReader": "posts", "RowProblem": "posts", "read_posts": "posts",
    "FindingRow": "records",
}


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_HOMES))


__all__ = [
    "AccountReport",
    "AccountRow",
    "ColumnReport",
    "CountPolicy",
    "FindingRow",
    "FormFile",
    "FreshnessConfig",
    "GuideConfig",
    "GuideReport",
    "GuideStatus",
    "Ledger",
    "LedgerError",
    "Post",
    "PostFinding",
    "PostReader",
    "PostResult",
    "RowProblem",
    "freshness_report",
    "guide_report",
    "inspect_form",
    "load_config",
    "load_guide_config",
    "read_posts",
    "report_from_files",
    "report_from_ledger",
    "scan_posts",
    "scan_reader",
]
