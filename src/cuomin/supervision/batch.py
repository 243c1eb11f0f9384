"""Scanning many posts: one :class:`~cuomin.engine.scanner.Scanner`, optionally
shipped once to each of ``jobs`` worker processes.

Memory stays flat in the input size: posts are read lazily and sent to the workers
in bounded windows (at most two windows in flight), results come back in input order.
"""

from __future__ import annotations

import functools
import hashlib
import math
import os
import pickle
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain
from typing import Callable, Iterable, Iterator, Optional

from ..engine.scanner import Scanner
from ..models import Finding, fails
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


#: ``jobs=0`` starts at most this many processes: each holds the rule set (~85 MB), and a
#: batch on a large shared server should not take every core unasked
AUTO_JOBS_MAX = 8


def resolve_jobs(jobs: int) -> int:
    """``0`` means one per CPU this process may use (:func:`usable_cpus`), at most
    :data:`AUTO_JOBS_MAX`."""
    return min(usable_cpus(), AUTO_JOBS_MAX) if jobs <= 0 else jobs


def usable_cpus(cgroup_root: str = "/sys/fs/cgroup", proc_cgroup: str = "/proc/self/cgroup") -> int:
    """The CPUs this process may use: its affinity mask where the OS has one, capped by
    a cgroup CPU quota (a container's ``--cpus``, a Kubernetes CPU limit), rounded up.
    ``os.cpu_count()`` is the host's count: in a container limited to 2 CPUs on a
    64-core host, ``--jobs 0`` would start 64 processes, each holding the rule set."""
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        n = os.cpu_count() or 1
    quota = cgroup_cpu_quota(cgroup_root, proc_cgroup)
    if quota is not None:
        n = min(n, math.ceil(quota))
    return max(1, n)


def cgroup_cpu_quota(root: str, proc_cgroup: str) -> Optional[float]:
    """CPUs' worth of time the cgroups of this process allow (the tightest limit on
    its cgroup or any parent, v2 ``cpu.max`` or v1 ``cpu.cfs_quota_us``), or None
    when there is none or it cannot be read."""
    try:
        with open(proc_cgroup, encoding="utf-8") as fh:
            entries = [line.rstrip("\n").split(":", 2) for line in fh if line.count(":") >= 2]
    except OSError:
        return None
    limits = []
    for hierarchy, controllers, path in entries:
        if hierarchy == "0" and not controllers:  # v2: one tree
            dirs, read = [root], _cpu_max
        elif "cpu" in controllers.split(","):  # v1: the cpu controller's tree
            dirs, read = [os.path.join(root, c) for c in (controllers, "cpu", "cpu,cpuacct")], _cfs_quota
        else:
            continue
        parts = [p for p in path.split("/") if p]
        for base in dict.fromkeys(dirs):
            # the cgroup and its parents; inside a container the tree may be mounted at its own cgroup
            for depth in range(len(parts), -1, -1):
                quota = read(os.path.join(base, *parts[:depth]))
                if quota is not None:
                    limits.append(quota)
    return min(limits) if limits else None


def _cpu_max(directory: str) -> Optional[float]:
    try:
        with open(os.path.join(directory, "cpu.max"), encoding="utf-8") as fh:
            quota, period = fh.read().split()[:2]
        return int(quota) / int(period) if quota != "max" and int(period) > 0 else None
    except (OSError, ValueError):
        return None


def _cfs_quota(directory: str) -> Optional[float]:
    try:
        with open(os.path.join(directory, "cpu.cfs_quota_us"), encoding="utf-8") as fh:
            quota = int(fh.read())
        with open(os.path.join(directory, "cpu.cfs_period_us"), encoding="utf-8") as fh:
            period = int(fh.read())
        return quota / period if quota > 0 and period > 0 else None
    except (OSError, ValueError):
        return None


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
    :func:`_shared_map`): workers parse rows as well as scan them, and memory stays
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
    reader.survey_pages(functools.partial(_shared_map, workers=jobs - 1))
    blocks = _shared_map(job.block, reader.blocks(chunksize, block_bytes), jobs - 1,
                         on_start=reader.start_reading_ahead)
    try:
        yield from _collect(reader, chain.from_iterable(blocks))
    finally:  # stopped early (an error downstream, the consumer gave up): end the workers now
        blocks.close()


#: chunks queued per worker ahead of its current one: enough that a worker never
#: waits while this process scans a chunk itself, few enough to balance the tail
WORKER_BACKLOG = 4
#: chunks read ahead of the oldest result not yet handed on (bounds memory)
IN_FLIGHT_PER_PROCESS = 6


def _shared_map(job, items: Iterable, workers: int, on_start: Optional[Callable[[], None]] = None) -> Iterator:
    """``map(job, items)`` in input order, computed by this process *and* ``workers``
    worker processes. Workers take items (blocks of rows: the "chunks" below) from a
    queue kept ``WORKER_BACKLOG`` deep per worker; this process scans the chunks
    beyond that itself instead of waiting, so on *n* cores *n* processes work (a pool
    of *n* workers beside an idle-but-busy parent puts *n* + 1 processes on them and
    ships every row and result through pipes). A worker's exception is raised here; a
    worker that dies is an error. ``on_start`` is called once the workers are started."""
    chunks = enumerate(items)
    ready: dict[int, object] = {}
    # The first chunk is scanned here before the workers start: what it loads lazily
    # (jieba and its dictionary buckets, the matchers' automata) is then inherited by
    # forked workers instead of being loaded again in each.
    first = next(chunks, None)
    if first is None:
        return
    ready[0] = job(first[1])
    second = next(chunks, None)
    if second is None:  # one chunk in all: no worker is worth starting
        if on_start is not None:
            on_start()
        yield ready.pop(0)
        return
    chunks = chain([second], chunks)
    import multiprocessing  # (here: a scan in one process never needs it, nor its imports)

    ctx = multiprocessing.get_context()
    tasks = ctx.Queue()
    done = ctx.Queue()
    shipped = None
    if ctx.get_start_method() != "fork":
        # A spawned worker is handed the job (the Scanner: megabytes) in a file, not
        # through the pipe that starts it: CPython's launcher holds that pipe's read end
        # until everything is written, so a worker that dies while starting (a script
        # without the ``__main__`` guard) would block this process for good.
        shipped = _JobFile.write(job)
    procs = [ctx.Process(target=_worker_loop, args=(shipped or job, tasks, done), daemon=True) for _ in range(workers)]
    next_out = sent = received = 0
    read = 1  # chunks taken from ``items``
    exhausted = False
    limit = IN_FLIGHT_PER_PROCESS * (workers + 1)
    finished = False
    try:
        for proc in procs:
            proc.start()
        if on_start is not None:
            on_start()
        while True:
            while not exhausted and sent - received < WORKER_BACKLOG * workers and read - next_out < limit:
                nxt = next(chunks, None)
                if nxt is None:
                    exhausted = True
                    break
                tasks.put(nxt)
                sent += 1
                read += 1
            received += _drain(done, ready, block=False, procs=procs)
            while next_out in ready:
                yield ready.pop(next_out)
                next_out += 1
            if not exhausted and read - next_out < limit:
                nxt = next(chunks, None)
                if nxt is None:
                    exhausted = True
                else:
                    idx, chunk = nxt
                    read += 1
                    ready[idx] = job(chunk)
                continue
            if received < sent:
                # nothing new to take: rather than wait, scan a chunk still queued for
                # the workers (at the end of the input this keeps both busy to the last)
                stolen = _take(tasks)
                if stolen is not None:
                    sent -= 1
                    ready[stolen[0]] = job(stolen[1])
                    continue
                received += _drain(done, ready, block=True, procs=procs)
            elif exhausted and next_out == read:
                finished = True
                return
    finally:
        if finished:
            for _ in procs:
                tasks.put(None)
            for proc in procs:
                proc.join(timeout=5)
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
                proc.join(timeout=5)
        tasks.cancel_join_thread()
        tasks.close()
        done.close()
        if shipped is not None:
            shipped.remove()


def _take(tasks):
    """A chunk from the workers' queue if one is there now, else None."""
    import queue

    try:
        return tasks.get_nowait()
    except queue.Empty:
        return None


def _drain(done, ready: dict, *, block: bool, procs) -> int:
    """Move finished chunks from the result queue into ``ready``; with ``block``,
    wait for at least one (checking that the workers are alive). Returns how many."""
    import queue

    got = 0
    while True:
        try:
            item = done.get(timeout=0.5) if block and not got else done.get_nowait()
        except queue.Empty:
            if block and not got:
                dead = [p.exitcode for p in procs if not p.is_alive()]
                if dead:
                    raise RuntimeError(f"a scan worker process ended unexpectedly (exit code {dead[0]})") from None
                continue
            return got
        idx, results, error = item
        if error is not None:
            raise RuntimeError(f"a scan worker failed:\n{error}")
        ready[idx] = results
        got += 1


@dataclass(frozen=True)
class _JobFile:
    """A job pickled to a temporary file, for spawned workers to load."""

    path: str

    @classmethod
    def write(cls, job) -> "_JobFile":
        import tempfile

        fd, path = tempfile.mkstemp(prefix="cuomin-job-", suffix=".pickle")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(job, fh, protocol=pickle.HIGHEST_PROTOCOL)
        return cls(path)

    def load(self):
        with open(self.path, "rb") as fh:
            return pickle.load(fh)

    def remove(self) -> None:
        try:
            os.unlink(self.path)
        except OSError:  # pragma: no cover - already gone, or still open on Windows
            pass


def _worker_loop(job, tasks, done) -> None:
    import traceback

    if isinstance(job, _JobFile):
        job = job.load()
    while True:
        item = tasks.get()
        if item is None:
            return
        idx, chunk = item
        try:
            done.put((idx, job(chunk), None))
        except Exception:  # noqa: BLE001 - reported to (and raised in) the parent
            done.put((idx, None, traceback.format_exc()))


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
