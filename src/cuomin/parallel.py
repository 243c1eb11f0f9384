"""Work shared between this process and worker processes (``--jobs``).

:func:`shared_map` is ``map`` computed by this process *and* forked (or spawned)
workers, in input order, with memory bounded by a fixed number of items in flight;
:func:`resolve_jobs` turns ``--jobs`` into a number of processes (``0``: the CPUs
this process may use, as a container's CPU limit allows). The batch scanner hands it
blocks of rows (supervision/batch.py), ``cuomin check`` blocks of files (check.py).
"""

from __future__ import annotations

import math
import os
import pickle
from dataclasses import dataclass
from itertools import chain
from typing import Callable, Iterable, Iterator, Optional


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


#: chunks queued per worker ahead of its current one: enough that a worker never
#: waits while this process scans a chunk itself, few enough to balance the tail
WORKER_BACKLOG = 4
#: chunks read ahead of the oldest result not yet handed on (bounds memory)
IN_FLIGHT_PER_PROCESS = 6


def shared_map(job, items: Iterable, workers: int, on_start: Optional[Callable[[], None]] = None) -> Iterator:
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
