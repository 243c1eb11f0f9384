"""Scanning many posts: one :class:`~cuomin.engine.scanner.Scanner`, optionally
shipped once to each of ``jobs`` worker processes.

Memory stays flat in the input size: posts are read lazily and sent to the workers
in bounded windows (at most two windows in flight), results come back in input order.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections import Counter, deque
from dataclasses import dataclass, field
from itertools import islice
from typing import Iterable, Iterator, Optional

from ..check import fails
from ..engine.scanner import Scanner
from ..models import Finding
from .posts import Post

#: characters of context on each side of a match that go into its fingerprint
FINGERPRINT_CONTEXT = 5


@dataclass(frozen=True)
class PostFinding:
    """A finding in a post: ``field`` is ``title`` or ``text``."""

    field: str
    finding: Finding
    fingerprint: str


@dataclass
class PostResult:
    post: Post
    findings: list[PostFinding] = field(default_factory=list)


def post_key(post: Post) -> str:
    """The ledger's key for a post: its account and id (id falls back to the url)."""
    return f"{post.account}\x1f{post.id}"


def fingerprints(post: Post, field_name: str, text: str, findings: Iterable[Finding]) -> list[str]:
    """Stable fingerprints: post, field, rule code, matched text and a few characters
    of context (whitespace ignored) — not offsets, so unrelated edits elsewhere in the
    post keep them. Identical matches in identical context are numbered."""
    seen: Counter = Counter()
    out = []
    key = post_key(post)
    for f in findings:
        before = "".join(text[max(0, f.start - FINGERPRINT_CONTEXT * 2) : f.start].split())[-FINGERPRINT_CONTEXT:]
        after = "".join(text[f.end : f.end + FINGERPRINT_CONTEXT * 2].split())[:FINGERPRINT_CONTEXT]
        basis = (key, field_name, f.code, f.text, before, after)
        n = seen[basis]
        seen[basis] += 1
        raw = "\x1f".join([*basis, str(n)])
        out.append(hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16])
    return out


def scan_post(scanner: Scanner, post: Post) -> PostResult:
    """Scan one post's title and text; the post's date drives date-aware rules."""
    return _result(post, *_scan_fields(scanner, post))


def _scan_fields(scanner: Scanner, post: Post) -> tuple[list[Finding], list[Finding]]:
    title = scanner.scan(post.title, published=post.published_at) if post.title else []
    text = scanner.scan(post.text, published=post.published_at) if post.text else []
    return title, text


def _result(post: Post, title: list[Finding], text: list[Finding]) -> PostResult:
    out = PostResult(post)
    for name, source, found in (("title", post.title, title), ("text", post.text, text)):
        for f, fp in zip(found, fingerprints(post, name, source, found)):
            out.findings.append(PostFinding(name, f, fp))
    return out


# ------------------------------------------------------------------ workers
_WORKER_SCANNER: Optional[Scanner] = None


def _init_worker(scanner: Scanner) -> None:
    global _WORKER_SCANNER
    _WORKER_SCANNER = scanner


def _worker_scan(post: Post):
    return _scan_fields(_WORKER_SCANNER, post)


def _windows(items: Iterable[Post], size: int) -> Iterator[list[Post]]:
    it = iter(items)
    while True:
        window = list(islice(it, size))
        if not window:
            return
        yield window


def resolve_jobs(jobs: int) -> int:
    """``0`` means one per CPU."""
    return max(1, os.cpu_count() or 1) if jobs <= 0 else jobs


def scan_posts(scanner: Scanner, posts: Iterable[Post], *, jobs: int = 1, chunksize: int = 16) -> Iterator[PostResult]:
    """Scan ``posts`` in order. ``jobs`` > 1 uses that many worker processes, each
    getting the Scanner once (pickled); ``0`` uses one per CPU."""
    jobs = resolve_jobs(jobs)
    if jobs == 1:
        for post in posts:
            yield scan_post(scanner, post)
        return
    window = jobs * chunksize * 8
    with multiprocessing.get_context().Pool(jobs, initializer=_init_worker, initargs=(scanner,)) as pool:
        pending: deque = deque()
        for batch in _windows(posts, window):
            pending.append((batch, pool.imap(_worker_scan, batch, chunksize)))
            if len(pending) > 1:
                yield from _drain(*pending.popleft())
        while pending:
            yield from _drain(*pending.popleft())


def _drain(batch: list[Post], results) -> Iterator[PostResult]:
    for post, (title, text) in zip(batch, results):
        yield _result(post, title, text)


@dataclass
class ScanTotals:
    """Running totals of a scan, for the summary line and the exit code."""

    posts: int = 0
    findings: int = 0
    severities: Counter = field(default_factory=Counter)
    failing: bool = False

    def add(self, result: PostResult, fail_on: str = "never") -> None:
        self.posts += 1
        self.findings += len(result.findings)
        self.severities.update(pf.finding.severity.value for pf in result.findings)
        if not self.failing and fails((pf.finding for pf in result.findings), fail_on):
            self.failing = True
