"""Scanning many posts: one :class:`~cuomin.engine.scanner.Scanner`, optionally
shipped once to each of ``jobs`` worker processes.

Memory stays flat in the input size: posts are read lazily and sent to the workers
in bounded windows (at most two windows in flight), results come back in input order.
"""

from __future__ import annotations

import functools
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain
from typing import Iterable, Iterator, Optional

from ..engine.scanner import Scanner
from ..models import Finding, fails
from ..parallel import resolve_jobs, shared_map
from .posts import FileBlock, Post, PostReader, RawRow, RowProblem, parse_row

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
    """A post and its findings; ``scanned`` is False for a post left out by a date window."""

    post: Post
    findings: list[PostFinding] = field(default_factory=list)
    scanned: bool = True


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
class _BlockJob:
    """Work on rows that a worker process does a block at a time."""

    def block(self, block: "list[RawRow] | FileBlock") -> list:
        """The results of a block of rows (see :meth:`PostReader.blocks`)."""
        return [self(raw) for raw in (block.rows() if isinstance(block, FileBlock) else block)]


@dataclass(frozen=True)
class _ReadJob(_BlockJob):
    """Rows made into posts, for a report that reads posts without scanning them."""

    require_text: bool = True
    keep_text: bool = False

    def __call__(self, raw: RawRow) -> "Post | RowProblem | None":
        post = parse_row(raw, self.require_text)
        return post.replace(text="") if isinstance(post, Post) and not self.keep_text else post


@dataclass(frozen=True)
class _RowJob(_BlockJob):
    """What a worker needs besides the rows: the Scanner (pickled once per worker)."""

    scanner: Scanner
    require_text: bool = True
    date_from: Optional[object] = None
    date_to: Optional[object] = None
    keep_text: bool = False

    def __call__(self, raw: RawRow) -> "PostResult | RowProblem | None":
        post = parse_row(raw, self.require_text)
        if post is None or isinstance(post, RowProblem):
            return post
        if not in_window(post.published_at, self.date_from, self.date_to):
            result = PostResult(post, scanned=False)
        else:
            result = _result(post, *_scan_fields(self.scanner, post))
        if not self.keep_text:
            # the text is most of a post's size and nothing downstream needs it (the
            # findings carry their text and fingerprints): don't ship it back
            result.post = result.post.replace(text="")
        return result


def in_window(date, date_from, date_to) -> bool:
    """Whether a post dated ``date`` is in the data window; an undated post is only
    in an open window."""
    if date_from is None and date_to is None:
        return True
    if date is None:
        return False
    return (date_from is None or date >= date_from) and (date_to is None or date <= date_to)


def scan_posts(scanner: Scanner, posts: Iterable[Post]) -> Iterator[PostResult]:
    """Scan ``posts`` (already made) in order, in this process; for files of posts,
    :func:`scan_reader` also spreads the work over processes."""
    for post in posts:
        yield scan_post(scanner, post)


def scan_reader(
    scanner: Scanner,
    reader: PostReader,
    *,
    jobs: int = 1,
    date_from=None,
    date_to=None,
    keep_text: bool = False,
    chunksize: int = 32,
    block_bytes: int = 1 << 18,
) -> Iterator[PostResult]:
    """Scan every post of ``reader`` in order; posts outside ``date_from``–``date_to``
    come back unscanned (``scanned=False``). With ``jobs`` > 1 (``0``: one per usable CPU)
    the work is shared between this process and ``jobs`` − 1 worker processes (see
    :func:`~cuomin.parallel.shared_map`): workers parse rows as well as scan them, and memory stays
    flat whatever the input's size. Skipped rows are reported through the reader,
    in input order. The work is handed out in blocks: ``block_bytes`` of a JSON Lines
    file (which the process scanning it reads itself) or ``chunksize`` rows of other
    files. The posts in the results carry no text unless ``keep_text``: it is most of
    their size and the findings hold what they matched."""
    job = _RowJob(scanner, reader.require_text, date_from, date_to, keep_text)
    return _map_rows(job, reader, jobs, chunksize, block_bytes)


def read_reader(reader: PostReader, *, jobs: int = 1, keep_text: bool = False, chunksize: int = 32,
                block_bytes: int = 1 << 18) -> Iterator[Post]:
    """The posts of ``reader`` in order, read as :func:`scan_reader` reads them (with
    ``jobs`` > 1, in worker processes too: worth it where reading is the work, as for web
    pages, whose HTML is parsed), scanning nothing. The posts carry no text unless
    ``keep_text``."""
    return _map_rows(_ReadJob(reader.require_text, keep_text), reader, jobs, chunksize, block_bytes)


def _map_rows(job: _BlockJob, reader: PostReader, jobs: int, chunksize: int, block_bytes: int) -> Iterator:
    """``job`` over the rows of ``reader``, in order, skipping the rows it reports."""
    jobs = resolve_jobs(jobs)
    if jobs == 1:
        yield from _collect(reader, map(job, reader.rows()))
        return
    # blocks of rows, each done by one process (a JSON Lines block is read by the
    # process that scans it). No thread may run while workers are forked: the next
    # workbook is read ahead only once they are started.
    reader.read_ahead = False
    # Web pages are read once before any post, to find each site's template: that
    # reading is shared out too (a site's pages are mostly parsing HTML).
    reader.survey_pages(functools.partial(shared_map, workers=jobs - 1))
    blocks = shared_map(job.block, reader.blocks(chunksize, block_bytes), jobs - 1,
                         on_start=reader.start_reading_ahead)
    try:
        yield from _collect(reader, chain.from_iterable(blocks))
    finally:  # stopped early (an error downstream, the consumer gave up): end the workers now
        blocks.close()


def _collect(reader: PostReader, results: Iterable) -> Iterator:
    for item in results:
        if item is None:  # a web page with nothing of its own
            continue
        if isinstance(item, RowProblem):
            reader.report(item)
            continue
        reader.rows_read += 1
        yield item


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
