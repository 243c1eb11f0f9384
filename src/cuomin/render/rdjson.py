"""rdjson (``--format rdjson``): reviewdog's Diagnostic Format, one DiagnosticResult.

Use it as ``cuomin check --format rdjson drafts/ | reviewdog -f=rdjson -reporter=github-pr-review``.
Positions follow the format: 1-based lines, 1-based columns counted in UTF-8 bytes
(a Chinese character is 3), end exclusive. A finding with one unambiguous suggestion
whose text is in the file verbatim carries it as a ``suggestion``, which reviewdog
shows as a suggested change. Suppressed findings are left out (they are counted in
the other formats' summaries).
"""

from __future__ import annotations

import json
from typing import Iterable

from ..check import CheckResult
from ..fix import fixable
from ..models import Finding
from ..readers.locations import LineIndex

SEVERITIES = {"error": "ERROR", "warning": "WARNING", "info": "INFO"}


def _byte_column(line_text: str, column: int) -> int:
    return len(line_text[: column - 1].encode("utf-8")) + 1


class _Positions:
    def __init__(self, text: str):
        self.lines = LineIndex(text)

    def position(self, line: int, column: int) -> dict:
        if line > len(self.lines.starts):
            return {"line": line, "column": 1}
        return {"line": line, "column": _byte_column(self.lines.line_text(line), column)}


def diagnostic(r: CheckResult, f: Finding, positions: _Positions) -> dict:
    reg = r.region(f)
    rng = {"start": positions.position(reg.start_line, reg.start_column), "end": positions.position(reg.end_line, reg.end_column)}
    message = f.message
    if f.suggestions:
        message += " → " + "、".join(s if s else "（删除）" for s in f.suggestions)
    label = r.label(f)
    if label:
        message += f"（{label}）"
    d = {
        "message": message,
        "location": {"path": r.name, "range": rng},
        "severity": SEVERITIES[f.severity.value],
        "code": {"value": f.code},
        "original_output": f.text,
    }
    doc = r.document
    if doc is not None and not doc.extracted and fixable(f) and r.source_span(f) is not None:
        d["suggestions"] = [{"range": rng, "text": f.suggestions[0]}]
    return d


def build_rdjson(results: Iterable[CheckResult]) -> dict:
    diagnostics = []
    for r in results:
        if r.error or not r.findings:
            continue
        source = r.document.source_text if r.document is not None and not r.document.extracted else r.text
        positions = _Positions(source)
        diagnostics.extend(diagnostic(r, f, positions) for f in r.findings)
    return {"source": {"name": "cuomin"}, "diagnostics": diagnostics}


def render_rdjson(results: Iterable[CheckResult]) -> Iterable[str]:
    yield json.dumps(build_rdjson(results), ensure_ascii=False, indent=2)
