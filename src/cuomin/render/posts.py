"""Output of ``cuomin scan``: one record per finding, with the post it is in.

Every format streams (a record is written as soon as its post is scanned), so a
scan of a million posts does not hold its findings in memory; JSON is written as
one document whose ``findings`` array is filled as the scan goes.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Callable, Iterable, Iterator

from .. import __version__
from ..supervision.batch import PostResult
from .json import finding_record

CSV_FIELDS = ["id", "account", "owner", "account_type", "title", "published_at", "url", "field", "code", "category",
              "severity", "tier", "line", "column", "text", "suggestions", "message", "fingerprint", "path"]


def scan_record(result: PostResult, pf) -> dict:
    p = result.post
    return {
        "id": p.id,
        "account": p.account,
        "owner": p.owner,
        "account_type": p.account_type,
        "title": p.title,
        "published_at": p.published_at.isoformat() if p.published_at else None,
        "url": p.url,
        "field": pf.field,
        "fingerprint": pf.fingerprint,
        **finding_record(p.file, pf.finding),
    }


def records(results: Iterable[PostResult]) -> Iterator[dict]:
    for r in results:
        for pf in r.findings:
            yield scan_record(r, pf)


def render_scan(results: Iterable[PostResult], fmt: str, summary: Callable[[], dict]) -> Iterator[str]:
    """Chunks of output text; ``summary`` is called after the last result (JSON only)."""
    if fmt == "jsonl":
        for rec in records(results):
            yield json.dumps(rec, ensure_ascii=False) + "\n"
    elif fmt == "csv":
        yield _csv_row(CSV_FIELDS)
        for rec in records(results):
            rec = dict(rec, suggestions="、".join(s if s else "（删除）" for s in rec["suggestions"]))
            yield _csv_row([rec[k] if rec[k] is not None else "" for k in CSV_FIELDS])
    elif fmt == "json":
        yield '{\n  "tool": "cuomin",\n  "version": ' + json.dumps(__version__) + ',\n  "findings": ['
        first = True
        for rec in records(results):
            yield ("\n    " if first else ",\n    ") + json.dumps(rec, ensure_ascii=False)
            first = False
        yield ("\n  ]" if not first else "]") + ',\n  "summary": ' + json.dumps(summary(), ensure_ascii=False) + "\n}\n"
    else:
        raise ValueError(f"unknown format {fmt!r}")


def _csv_row(values) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(values)
    return out.getvalue()
