"""Human-readable output: ``path:line:col: CODE message → suggestion`` and the line
with the span marked underneath (display width aware: Chinese characters take two
terminal columns)."""

from __future__ import annotations

import unicodedata
from typing import Iterable

import click

from ..check import CheckResult, severity_counts
from ..models import Finding

SEVERITY_COLOURS = {"error": "red", "warning": "yellow", "info": "blue"}
CONTEXT = 30  # characters of the line shown on each side of a long line's span


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _suggestion_text(f: Finding) -> str:
    if not f.suggestions:
        return ""
    shown = "、".join(s if s else "（删除）" for s in f.suggestions)
    return f" → {shown}"


def finding_header(name: str, f: Finding, colour: bool, label: str = "") -> str:
    code = click.style(f.code, fg=SEVERITY_COLOURS[f.severity.value], bold=True) if colour else f.code
    where = f"［{label}］" if label else ""
    return f"{name}:{f.line}:{f.column}: {where}{code} {f.message}{_suggestion_text(f)}"


def marked_line(text: str, f: Finding, colour: bool) -> list[str]:
    line_start = text.rfind("\n", 0, f.start) + 1
    line_end = text.find("\n", f.start)
    line_end = len(text) if line_end < 0 else line_end
    lo = max(line_start, f.start - CONTEXT)
    hi = min(line_end, max(f.end, f.start + 1) + CONTEXT)
    before, span, after = text[lo : f.start], text[f.start : min(f.end, hi)], text[min(f.end, hi) : hi]
    prefix = "…" if lo > line_start else ""
    suffix = "…" if hi < line_end else ""
    shown_span = click.style(span, fg=SEVERITY_COLOURS[f.severity.value], underline=True) if colour else span
    line = f"    {prefix}{before}{shown_span}{after}{suffix}".replace("\t", " ")
    marker = " " * (4 + _width(prefix + before)) + "^" * max(1, _width(span))
    return [line, marker]


def render_text(results: Iterable[CheckResult], colour: bool = False, show_lines: bool = True) -> Iterable[str]:
    total = []
    files = 0
    suppressed = 0
    unreadable = 0
    for r in results:
        if r.error:
            unreadable += 1
            continue
        files += 1
        suppressed += len(r.suppressed)
        for f in r.findings:
            total.append(f)
            yield finding_header(r.name, f, colour, r.label(f))
            if show_lines:
                yield from marked_line(r.text, f, colour)
    yield summary_line(total, files, suppressed, unreadable)


def summary_line(findings: list[Finding], files: int, suppressed: int = 0, unreadable: int = 0) -> str:
    """The last line: what was found in the ``files`` inputs read, and how many could
    not be read (never "未发现问题" alone when nothing could be read)."""
    if not files and unreadable:
        return f"未能检查：{unreadable} 个输入无法读取（原因见错误输出）。"
    counts = severity_counts(findings)
    waived = f"另有 {suppressed} 处已按注释抑制，" if suppressed else ""
    not_read = f"，另有 {unreadable} 个输入无法读取（原因见错误输出）" if unreadable else ""
    if findings:
        detail = "，".join(f"{label} {counts[k]}" for k, label in (("error", "错误"), ("warning", "警告"), ("info", "提示")) if counts[k])
        return f"共发现 {len(findings)} 处问题（{detail}），{waived}检查 {files} 个输入{not_read}。"
    return f"未发现问题，{waived}检查 {files} 个输入{not_read}。"
