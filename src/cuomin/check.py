"""Checking documents: the library behind ``cuomin check``.

Inputs that cannot be read become results with an ``error`` instead of stopping the
run, so one bad file never hides the findings of the others.

Every finding's ``start``/``end`` are exact offsets into the document's extracted
text (``CheckResult.document.text``); its ``line``/``column`` are where a person finds
it: the line and column of the file for text, Markdown and HTML (source lines, not
lines of the extracted text), the paragraph number and the character in it for
Word files (``CheckResult.label`` adds "表格1第2行第3列，第12段").
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator, Optional

from .engine.scanner import Scanner
from .models import FAIL_ON_CHOICES, Finding, fails  # noqa: F401 - FAIL_ON_CHOICES: part of this API
from .parallel import resolve_jobs, shared_map
from .readers import Document, InputError, Region, read_document, read_stdin
from .readers.walk import expand
from .suppress import split_suppressed


@dataclass
class CheckResult:
    """One input: its findings, the findings suppressed in it, or why it could not
    be read. ``text`` is the text reports show lines of (the file's own text for
    text and Markdown, the extracted text for HTML and Word)."""

    name: str
    text: str = ""
    findings: list[Finding] = field(default_factory=list)
    error: Optional[str] = None
    suppressed: list[Finding] = field(default_factory=list)
    document: Optional[Document] = None
    #: the publication date the date-aware rules judged the input at (``None``: the
    #: day of the check)
    published: Optional[dt.date] = None

    def label(self, f: Finding) -> str:
        return self.document.label(f.start) if self.document is not None else ""

    def region(self, f: Finding) -> Region:
        if self.document is not None:
            return self.document.region(f.start, f.end)
        return Region(f.line, f.column, f.line, f.column + (f.end - f.start))

    def source_span(self, f: Finding) -> Optional[tuple[int, int]]:
        """Where ``f.text`` is in the file's own text, when it is there verbatim."""
        return self.document.source_span(f.start, f.end) if self.document is not None else (f.start, f.end)


def check_document(
    scanner: Scanner, doc: Document, published: Optional[dt.date] = None, *, default: Optional[dt.date] = None
) -> CheckResult:
    """Check one document at ``published`` if given, else at the date the document
    gives itself (a web page's PubDate), else at ``default``, else today."""
    date = published or doc.published or default
    findings = scanner.scan(doc.text, published=date)
    if doc.source_map is not None:
        findings = [_relocate(doc, f) for f in findings]
    kept, suppressed = split_suppressed(findings, doc.suppressions)
    return CheckResult(doc.name, doc.display_text, kept, None, suppressed, doc, date)


def _relocate(doc: Document, f: Finding) -> Finding:
    r = doc.region(f.start, f.end)
    return f.replace(line=r.start_line, column=r.start_column)


def read_input(item: str, encoding: Optional[str] = None, stdin_name: str = "<stdin>") -> Document:
    """A path, or ``-`` for standard input. Raises :class:`InputError`."""
    return read_stdin(stdin_name, encoding) if item == "-" else read_document(Path(item), encoding)


def check_inputs(
    scanner: Scanner,
    inputs: Iterable[str],
    *,
    published: Optional[dt.date] = None,
    default_date: Optional[dt.date] = None,
    encoding: Optional[str] = None,
    stdin_name: str = "<stdin>",
    skip: Iterable[Path] = (),
    jobs: int = 1,
) -> Iterator[CheckResult]:
    """Check each input in turn: a file, a directory (walked, leaving out ``skip``:
    the allow-list files of the configuration), or ``-`` for standard input. Each is
    judged at ``published``, else its own date, else ``default_date``
    (:func:`check_document`). With ``jobs`` > 1 (``0``: one per usable CPU) the files
    are read and checked ``CHECK_BLOCK`` at a time by this process and ``jobs`` − 1
    workers (:func:`~cuomin.parallel.shared_map`); the results come in input order
    all the same."""
    job = _CheckJob(scanner, published, default_date, encoding, stdin_name)
    items = expand(inputs, skip)
    jobs = resolve_jobs(jobs)
    if jobs == 1:
        yield from map(job, items)
        return
    # only this process can read standard input, and an InputError would lose its
    # name on the way to a worker: both are done here, in their turn
    here = (job(item) if item == "-" or isinstance(item, InputError) else item for item in items)
    blocks = shared_map(job.block, _batches(here, CHECK_BLOCK), jobs - 1)
    try:
        for block in blocks:
            yield from block
    finally:  # stopped early: end the workers now
        blocks.close()


#: files a worker reads and checks at a time
CHECK_BLOCK = 8


@dataclass(frozen=True)
class _CheckJob:
    """Check one input: a path (or ``-``), a walk's :class:`InputError`, or a result
    already made (which passes through)."""

    scanner: Scanner
    published: Optional[dt.date]
    default_date: Optional[dt.date]
    encoding: Optional[str]
    stdin_name: str

    def __call__(self, item) -> CheckResult:
        if isinstance(item, CheckResult):
            return item
        if isinstance(item, InputError):
            return CheckResult(item.name or str(item), error=str(item))
        try:
            doc = read_input(item, self.encoding, self.stdin_name)
        except InputError as exc:
            return CheckResult(self.stdin_name if item == "-" else item, error=str(exc))
        return check_document(self.scanner, doc, self.published, default=self.default_date)

    def block(self, items: list) -> list[CheckResult]:
        return [self(item) for item in items]


def _batches(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def exit_code(results: Iterable[CheckResult], fail_on: str) -> int:
    """0 clean, 1 findings at or above ``fail_on``, 2 when any input could not be read.
    Suppressed findings never count."""
    results = list(results)
    if any(r.error for r in results):
        return 2
    return 1 if fails((f for r in results for f in r.findings), fail_on) else 0


def severity_counts(findings: Iterable[Finding]) -> Counter:
    return Counter(f.severity.value for f in findings)


def summary(results: Iterable[CheckResult]) -> dict:
    """Counts over all results, the same in every output format."""
    results = list(results)
    every = [f for r in results for f in r.findings]
    counts = severity_counts(every)
    return {
        "files": len(results),
        "unreadable": sum(1 for r in results if r.error),
        "findings": len(every),
        "error": counts["error"],
        "warning": counts["warning"],
        "info": counts["info"],
        "suppressed": sum(len(r.suppressed) for r in results),
    }
