"""GitHub Actions workflow commands (``--format github``): one annotation per finding.

``::error file=…,line=…,col=…,endLine=…,endColumn=…,title=cuomin POL001::message``;
``info`` findings become ``notice`` annotations. An input that could not be read is an
``error`` annotation on that file. The last line is the plain summary (with the
count of suppressed findings), which the log shows as text.
"""

from __future__ import annotations

from typing import Iterable

from ..check import CheckResult
from .text import summary_line

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def _data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(s: str) -> str:
    return _data(s).replace(":", "%3A").replace(",", "%2C")


def render_github(results: Iterable[CheckResult]) -> Iterable[str]:
    files = suppressed = unreadable = 0
    every = []
    for r in results:
        if r.error:
            unreadable += 1
            yield f"::error file={_prop(r.name)},title={_prop('cuomin: cannot read')}::{_data(r.error)}"
            continue
        files += 1
        suppressed += len(r.suppressed)
        for f in r.findings:
            every.append(f)
            reg = r.region(f)
            props = [
                f"file={_prop(r.name)}",
                f"line={reg.start_line}",
                f"col={reg.start_column}",
                f"endLine={reg.end_line}",
                f"endColumn={reg.end_column}",
                f"title={_prop(f'cuomin {f.code}')}",
            ]
            message = f"{f.message}：“{f.text}”"
            if f.suggestions:
                message += " → " + "、".join(s if s else "（删除）" for s in f.suggestions)
            label = r.label(f)
            if label:
                message += f"（{label}）"
            yield f"::{COMMANDS[f.severity.value]} {','.join(props)}::{_data(message)}"
    yield summary_line(every, files, suppressed, unreadable)
