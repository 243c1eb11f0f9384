"""A batch scan as one object: read posts, scan them (in worker processes when
asked), record them in a ledger when one is given, keep totals for the summary and
the exit code. ``cuomin scan`` is this plus rendering."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Optional

from ..engine.scanner import Scanner
from .batch import PostResult, ScanTotals, scan_reader
from .posts import PostReader, RowProblem

if TYPE_CHECKING:  # imported (with sqlite3) only by a scan that records in a ledger
    from .ledger import Ledger


class ScanRun:
    """Iterate to run the scan; afterwards :meth:`summary` and :meth:`exit_code`."""

    def __init__(
        self,
        paths: Iterable,
        scanner: Scanner,
        *,
        jobs: int = 1,
        ledger: Optional[Ledger] = None,
        as_of: Optional[dt.date] = None,
        encoding: Optional[str] = None,
        fail_on: str = "error",
        on_problem: Optional[Callable[[RowProblem], None]] = None,
    ):
        self.scanner = scanner
        self.reader = PostReader([Path(p) for p in paths], encoding=encoding, on_problem=on_problem)
        self.jobs = jobs
        self.ledger = ledger
        self.as_of = as_of
        self.fail_on = fail_on
        self.totals = ScanTotals()

    def __iter__(self) -> Iterator[PostResult]:
        results = scan_reader(self.scanner, self.reader, jobs=self.jobs)
        if self.ledger is None:
            for r in results:
                self.totals.add(r, self.fail_on)
                yield r
            return
        with self.ledger.recorder(self.as_of, self.scanner.active_codes) as rec:
            for r in results:
                self.totals.add(r, self.fail_on)
                rec.add(r)
                yield r

    def summary(self) -> dict:
        t = self.totals
        return {
            "posts": t.posts,
            "skipped_rows": self.reader.skipped_rows,
            "unreadable_files": self.reader.unreadable_files,
            "findings": t.findings,
            "error": t.severities["error"],
            "warning": t.severities["warning"],
            "info": t.severities["info"],
        }

    def summary_line(self) -> str:
        s = self.summary()
        text = f"扫描 {s['posts']} 篇，发现 {s['findings']} 处问题（错误 {s['error']}，警告 {s['warning']}，提示 {s['info']}）"
        if s["skipped_rows"]:
            text += f"，跳过 {s['skipped_rows']} 行无法使用的数据"
        if s["unreadable_files"]:
            text += f"，{s['unreadable_files']} 个文件无法读取"
        if self.ledger is not None:
            text += f"；已记入整改台账 {self.ledger.path}"
        return text + "。"

    def exit_code(self) -> int:
        """As ``cuomin check``: 2 when input was skipped, else 1 when findings at or
        above ``fail_on``, else 0."""
        if self.reader.skipped_rows or self.reader.unreadable_files:
            return 2
        return 1 if self.totals.failing else 0
