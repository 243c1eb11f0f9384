"""Checking documents: the library behind ``cuomin check``.

Inputs that cannot be read become results with an ``error`` instead of stopping the
run, so one bad file never hides the findings of the others.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Optional

from .engine.scanner import Scanner
from .models import SEVERITY_RANK, Finding
from .readers import Document, InputError, read_document, read_stdin

FAIL_ON_CHOICES = ("error", "warning", "info", "never")


@dataclass
class CheckResult:
    name: str
    text: str = ""
    findings: list[Finding] = field(default_factory=list)
    error: Optional[str] = None


def check_document(scanner: Scanner, doc: Document, published: Optional[dt.date] = None) -> CheckResult:
    return CheckResult(doc.name, doc.text, scanner.scan(doc.text, published=published))


def check_inputs(
    scanner: Scanner,
    inputs: Iterable[str],
    *,
    published: Optional[dt.date] = None,
    encoding: Optional[str] = None,
    stdin_name: str = "<stdin>",
) -> Iterator[CheckResult]:
    """Check each input in turn: a path, or ``-`` for standard input."""
    for item in inputs:
        try:
            doc = read_stdin(stdin_name, encoding) if item == "-" else read_document(Path(item), encoding)
        except InputError as exc:
            yield CheckResult(stdin_name if item == "-" else item, error=str(exc))
            continue
        yield check_document(scanner, doc, published)


def fails(findings: Iterable[Finding], fail_on: str) -> bool:
    """Whether any finding is at or above the ``fail_on`` severity."""
    if fail_on == "never":
        return False
    threshold = SEVERITY_RANK[fail_on]
    return any(SEVERITY_RANK[f.severity.value] >= threshold for f in findings)


def exit_code(results: Iterable[CheckResult], fail_on: str) -> int:
    """0 clean, 1 findings at or above ``fail_on``, 2 when any input could not be read."""
    results = list(results)
    if any(r.error for r in results):
        return 2
    return 1 if fails((f for r in results for f in r.findings), fail_on) else 0


def severity_counts(findings: Iterable[Finding]) -> Counter:
    return Counter(f.severity.value for f in findings)
