"""JSON (one document) and JSON Lines (one finding per line) output."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Iterable

from .. import __version__

if TYPE_CHECKING:  # (batch output uses finding_record, and never imports the document checker)
    from ..check import CheckResult


def finding_record(name: str, finding, label: str = "") -> dict:
    record = {"path": name, **finding.to_dict()}
    if label:  # Word files: "表格1第2行第3列，第12段"
        record["location"] = label
    return record


def _finding(r: CheckResult, f) -> dict:
    d = f.to_dict()
    label = r.label(f)
    if label:
        d["location"] = label
    return d


def render_jsonl(results: Iterable[CheckResult]) -> Iterable[str]:
    for r in results:
        for f in r.findings:
            yield json.dumps(finding_record(r.name, f, r.label(f)), ensure_ascii=False)


def render_json(results: Iterable[CheckResult]) -> Iterable[str]:
    from ..check import summary

    results = list(results)
    files = [
        {
            "path": r.name,
            "error": r.error,
            # the date the date-aware rules judged the file at (null: the day of the check)
            "published": r.published.isoformat() if r.published else None,
            "findings": [_finding(r, f) for f in r.findings],
            "suppressed": [_finding(r, f) for f in r.suppressed],
        }
        for r in results
    ]
    doc = {"tool": "cuomin", "version": __version__, "files": files, "summary": summary(results)}
    yield json.dumps(doc, ensure_ascii=False, indent=2)
