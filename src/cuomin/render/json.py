"""JSON (one document) and JSON Lines (one finding per line) output."""

from __future__ import annotations

import json
from typing import Iterable

from .. import __version__
from ..check import CheckResult, severity_counts


def finding_record(name: str, finding) -> dict:
    return {"path": name, **finding.to_dict()}


def render_jsonl(results: Iterable[CheckResult]) -> Iterable[str]:
    for r in results:
        for f in r.findings:
            yield json.dumps(finding_record(r.name, f), ensure_ascii=False)


def render_json(results: Iterable[CheckResult]) -> Iterable[str]:
    files = []
    every = []
    for r in results:
        every.extend(r.findings)
        files.append(
            {
                "path": r.name,
                "error": r.error,
                "findings": [f.to_dict() for f in r.findings],
            }
        )
    counts = severity_counts(every)
    doc = {
        "tool": "cuomin",
        "version": __version__,
        "files": files,
        "summary": {
            "files": len(files),
            "unreadable": sum(1 for f in files if f["error"]),
            "findings": len(every),
            "error": counts["error"],
            "warning": counts["warning"],
            "info": counts["info"],
        },
    }
    yield json.dumps(doc, ensure_ascii=False, indent=2)
