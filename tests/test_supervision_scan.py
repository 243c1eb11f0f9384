"""Batch scanning: results in input order with or without worker processes, the
post's date driving date-aware rules, the `cuomin scan` command and its exit codes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import multiprocessing
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from cuomin import Scanner
from cuomin.cli import main
from cuomin.supervision.batch import scan_posts, scan_reader
from cuomin.supervision.posts import PostReader
from cuomin.supervision.posts import Post, read_posts

sys.path.insert(0, str(Path(__file__).parent))
from supervision_helpers import bulletin_posts, write_jsonl  # noqa: E402

EXAMPLES = Path(__file__).parents[1] / "examples"


@pytest.fixture(scope="module")
def scanner():
    return Scanner()


def test_scanner_pickles(scanner):
    clone = pickle.loads(pickle.dumps(scanner))
    assert [f.code for f in clone.scan("精心布署")] == ["TYP001"]


def test_post_date_drives_date_aware_rules(scanner):
    text = "国务院扶贫办召开会议"
    before = Post(id="1", text=text, published_at=dt.date(2020, 10, 30))
    after = Post(id="2", text=text, published_at=dt.date(2023, 10, 30))
    results = list(scan_posts(scanner, [before, after]))
    assert [[pf.finding.code for pf in r.findings] for r in results] == [[], ["OUT005"]]


def test_title_is_scanned_too(scanner):
    (r,) = scan_posts(scanner, [Post(id="1", title="精心布署防汛", text="会议要求精心部署。")])
    assert [(pf.field, pf.finding.text) for pf in r.findings] == [("title", "布署")]


@pytest.mark.slow
def test_jobs_give_the_same_results_in_order(tmp_path, scanner):
    path = write_jsonl(bulletin_posts(), tmp_path / "p.jsonl")
    one = [(r.post.id, [pf.fingerprint for pf in r.findings]) for r in scan_posts(scanner, read_posts([path]))]
    two = [(r.post.id, [pf.fingerprint for pf in r.findings])
           for r in scan_reader(scanner, PostReader([path]), jobs=2, chunksize=4, block_bytes=2000)]
    assert one == two and len(one) == 148
    # the same posts as a JSON array (rows made in this process, handed out in blocks of rows)
    array = tmp_path / "p.json"
    array.write_text(json.dumps([json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()],
                                ensure_ascii=False, indent=1), encoding="utf-8")
    for jobs in (1, 2):
        got = [(r.post.id, [pf.fingerprint for pf in r.findings])
               for r in scan_reader(scanner, PostReader([array]), jobs=jobs, chunksize=4)]
        assert got == one
    # … and as CSV (cut into byte ranges that each process reads itself)
    table = tmp_path / "p.csv"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    with table.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(dict.fromkeys(k for r in records for k in r)))
        writer.writeheader()
        writer.writerows(records)
    for jobs in (1, 2):
        got = [(r.post.id, [pf.fingerprint for pf in r.findings])
               for r in scan_reader(scanner, PostReader([table]), jobs=jobs, chunksize=4, block_bytes=2000)]
        assert got == one


def test_workers_report_bad_rows_in_order_and_go_on(tmp_path, scanner):
    path = tmp_path / "p.jsonl"
    path.write_text(
        '{"id": "1", "text": "工作己经完成"}\n{bad json\n{"id": "3", "text": ""}\n'
        '{"id": "4", "text": "中华人名共和国", "published_at": "2023-13-01"}\n{"id": "5", "text": "按装设备"}\n',
        encoding="utf-8",
    )
    for jobs in (1, 2):
        seen: list = []
        reader = PostReader([path], on_problem=lambda p, seen=seen: seen.append((p.row, p.reason.split(" ")[0])))
        results = list(scan_reader(scanner, reader, jobs=jobs, chunksize=1, block_bytes=1))
        assert [(r.post.id, [pf.finding.text for pf in r.findings]) for r in results] == [("1", ["己经"]), ("5", ["按装"])]
        assert seen == [(2, "bad"), (3, "missing"), (4, "published_at")]
        assert (reader.rows_read, reader.skipped_rows) == (2, 3)


def _rows(tmp_path, n: int):
    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps({"id": str(i), "text": f"第{i}篇：工作己经完成"}, ensure_ascii=False) + "\n"
                            for i in range(n)), encoding="utf-8")
    return path


def _rows_scanned_here(monkeypatch, worker_delay: float = 0.0, parent_delay: float = 0.0) -> list[int]:
    """The rows this process scans (filled during the scan); workers sleep
    ``worker_delay`` seconds per row (forked workers: they inherit the patch), this
    process ``parent_delay``."""
    from cuomin.supervision import batch

    parent, done_here = os.getpid(), []
    real = batch._RowJob.__call__

    def counting(self, raw):
        if os.getpid() == parent:
            done_here.append(raw.row)
            if parent_delay:
                time.sleep(parent_delay)
        elif worker_delay:
            time.sleep(worker_delay)
        return real(self, raw)

    monkeypatch.setattr(batch._RowJob, "__call__", counting)
    return done_here


def test_work_is_shared_between_this_process_and_the_workers(tmp_path, scanner, monkeypatch):
    done_here = _rows_scanned_here(monkeypatch)
    results = list(scan_reader(scanner, PostReader([_rows(tmp_path, 1200)]), jobs=2, chunksize=5, block_bytes=200))
    assert [r.post.id for r in results] == [str(i) for i in range(1200)]
    assert all([pf.finding.text for pf in r.findings] == ["己经"] for r in results)
    assert 0 < len(done_here) < 1200  # this process scanned some blocks, the worker the rest (it starts
    # within milliseconds; this process would need ~0.3 s to take every block itself)
    assert not multiprocessing.active_children()


def test_no_worker_for_input_of_one_block(tmp_path, scanner, monkeypatch):
    """`--jobs` on a handful of posts: forking (~40 ms) would cost more than it saves."""
    started = []
    real_start = multiprocessing.process.BaseProcess.start
    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start",
                        lambda self: (started.append(self), real_start(self))[1])
    path = _rows(tmp_path, 20)
    one = [(r.post.id, [pf.fingerprint for pf in r.findings]) for r in scan_reader(scanner, PostReader([path]))]
    few = [(r.post.id, [pf.fingerprint for pf in r.findings])
           for r in scan_reader(scanner, PostReader([path]), jobs=4)]
    assert few == one and len(one) == 20 and not started
    two_blocks = list(scan_reader(scanner, PostReader([path]), jobs=2, block_bytes=path.stat().st_size // 2))
    assert [r.post.id for r in two_blocks] == [pid for pid, _ in one] and len(started) == 1


def test_this_process_takes_blocks_queued_for_a_slow_worker(tmp_path, scanner, monkeypatch):
    # at the end of the input, rather than wait for the worker's queue to drain, this
    # process scans what is still queued: a slow worker holds up one block, not four
    done_here = _rows_scanned_here(monkeypatch, worker_delay=0.3)
    # ten one-row blocks: four are queued for the worker, which takes one and sleeps
    results = list(scan_reader(scanner, PostReader([_rows(tmp_path, 10)]), jobs=2, block_bytes=1))
    assert [r.post.id for r in results] == [str(i) for i in range(10)]
    assert 10 - len(done_here) <= 2  # the block the worker held (perhaps one more), not all four
    assert not multiprocessing.active_children()


@pytest.mark.slow
def test_jobs_with_spawned_workers(tmp_path, scanner, monkeypatch):
    # macOS and Windows start workers by spawning a fresh interpreter: the job (the
    # Scanner) is pickled to it, and it reads its byte ranges of the file itself
    get_context = multiprocessing.get_context
    monkeypatch.setattr(multiprocessing, "get_context", lambda method=None: get_context(method or "spawn"))
    done_here = _rows_scanned_here(monkeypatch, parent_delay=0.005)  # the spawned worker runs unpatched
    results = list(scan_reader(scanner, PostReader([_rows(tmp_path, 400)]), jobs=2, block_bytes=200))
    assert [r.post.id for r in results] == [str(i) for i in range(400)]
    assert all([pf.finding.text for pf in r.findings] == ["己经"] for r in results)
    assert 0 < len(done_here) < 400  # the worker took some (it starts in ~0.3 s; this process needs 2 s alone)
    assert not multiprocessing.active_children()


@pytest.mark.slow
def test_a_script_without_the_main_guard_does_not_hang_under_spawn(tmp_path):
    # a spawned worker re-imports the script, which starts the scan again and fails;
    # with the job sent through the launcher's pipe this process blocked for good
    # writing it (the pipe's read end stays open here until the write ends)
    script = tmp_path / "unguarded.py"
    script.write_text(
        "import multiprocessing, sys\n"
        "from cuomin import Scanner\n"
        "from cuomin.supervision.batch import scan_reader\n"
        "from cuomin.supervision.posts import PostReader\n"
        "multiprocessing.set_start_method('spawn', force=True)\n"
        "print(len(list(scan_reader(Scanner(), PostReader([sys.argv[1]]), jobs=2, block_bytes=2000))))\n",
        encoding="utf-8",
    )
    temp = tmp_path / "temp"
    temp.mkdir()
    out = subprocess.run([sys.executable, str(script), str(_rows(tmp_path, 600))], capture_output=True, text=True,
                         timeout=120, cwd=tmp_path, env={**os.environ, "TMPDIR": str(temp)})
    assert out.stdout.split() == ["600"]  # this process scanned what the workers could not
    assert "bootstrapping phase" in out.stderr  # and the workers said why they ended
    assert list(temp.iterdir()) == []  # the job's file is gone


def _fail_in_worker(parent: int, how: str):
    def job(self, raw):
        if os.getpid() != parent:
            if how == "raise":
                raise ValueError("broken rule")
            os._exit(3)
        return real_call(self, raw)

    from cuomin.supervision import batch

    real_call = batch._RowJob.__call__
    return job


@pytest.mark.parametrize("how, message", [("raise", "ValueError: broken rule"), ("die", "exit code 3")])
def test_a_failing_worker_is_an_error_not_a_hang(tmp_path, scanner, monkeypatch, how, message):
    from cuomin import parallel
    from cuomin.supervision import batch

    monkeypatch.setattr(batch._RowJob, "__call__", _fail_in_worker(os.getpid(), how))
    # this process must not take the worker's queued blocks itself (as it does at the
    # end of the input): on a slow machine it could take them all before the worker starts
    monkeypatch.setattr(parallel, "_take", lambda tasks: None)
    with pytest.raises(RuntimeError, match=message):
        list(scan_reader(scanner, PostReader([_rows(tmp_path, 300)]), jobs=2, chunksize=5, block_bytes=200))
    assert not multiprocessing.active_children()


def test_stopping_early_ends_the_workers(tmp_path, scanner):
    results = scan_reader(scanner, PostReader([_rows(tmp_path, 300)]), jobs=3, chunksize=5, block_bytes=200)
    assert next(results).post.id == "0"
    results.close()
    assert not multiprocessing.active_children()


def test_cli_scan_jsonl_records(tmp_path):
    res = CliRunner().invoke(main, ["scan", str(EXAMPLES / "posts.jsonl")])
    assert res.exit_code == 1
    records = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(records) == 10
    first = records[0]
    assert {k: first[k] for k in ("id", "account", "title", "published_at", "code", "text", "suggestions",
                                  "line", "column", "path")} == {
        "id": "qxfb-20230703-01", "account": "清溪发布", "title": "我县召开2023年防汛工作部署会",
        "published_at": "2023-07-03", "code": "TYP001", "text": "布署", "suggestions": ["部署"],
        "line": 1, "column": 46, "path": str(EXAMPLES / "posts.jsonl"),
    }
    assert "扫描 13 篇，发现 10 处问题" in res.stderr


def test_cli_scan_json_and_csv(tmp_path):
    runner = CliRunner()
    res = runner.invoke(main, ["scan", str(EXAMPLES / "posts.jsonl"), "--format", "json"])
    doc = json.loads(res.stdout)
    assert doc["summary"] == {"posts": 13, "skipped_rows": 0, "unreadable_files": 0, "findings": 10,
                              "error": 6, "warning": 4, "info": 0}
    assert len(doc["findings"]) == 10
    out = tmp_path / "out.csv"
    res = runner.invoke(main, ["scan", str(EXAMPLES / "posts.jsonl"), "--format", "csv", "-o", str(out)])
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 10 and rows[0]["id"] == "qxfb-20230703-01" and rows[0]["suggestions"] == "部署"


def test_cli_scan_exit_codes(tmp_path):
    runner = CliRunner()
    clean = write_jsonl([{"id": "1", "text": "会议要求精心部署。"}], tmp_path / "clean.jsonl")
    assert runner.invoke(main, ["scan", str(clean)]).exit_code == 0
    warn = write_jsonl([{"id": "1", "text": "县环保局开展执法检查。", "published_at": "2023-10-30"}],
                       tmp_path / "warn.jsonl")
    assert runner.invoke(main, ["scan", str(warn)]).exit_code == 0
    assert runner.invoke(main, ["scan", str(warn), "--fail-on", "warning"]).exit_code == 1
    res = runner.invoke(main, ["scan", str(EXAMPLES / "posts.jsonl"), str(EXAMPLES / "posts-bad-rows.jsonl"),
                               "--format", "json"])
    assert res.exit_code == 2  # skipped rows, but the batch went on
    doc = json.loads(res.stdout)
    assert doc["summary"]["posts"] == 13 and doc["summary"]["skipped_rows"] == 3
    assert "posts-bad-rows.jsonl:1: published_at '2023-09-31' is not a date" in res.stderr
    assert "跳过 3 行无法使用的数据" in res.stderr
    assert runner.invoke(main, ["scan"]).exit_code == 2


@pytest.mark.slow
def test_cli_scan_jobs(tmp_path):
    res = CliRunner().invoke(main, ["scan", str(EXAMPLES / "posts.jsonl"), "--jobs", "2"])
    assert res.exit_code == 1 and len(res.stdout.splitlines()) == 10


def test_cli_scan_and_report_read_a_json_array(tmp_path):
    rows = [json.loads(line) for line in (EXAMPLES / "posts.jsonl").read_text(encoding="utf-8").splitlines() if line]
    array = tmp_path / "posts.json"
    array.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    runner = CliRunner()
    lines = runner.invoke(main, ["scan", str(EXAMPLES / "posts.jsonl")]).stdout.splitlines()
    res = runner.invoke(main, ["scan", str(array)])
    assert res.exit_code == 1
    assert [{**json.loads(x), "path": ""} for x in res.stdout.splitlines()] == [{**json.loads(x), "path": ""} for x in lines]
    report = runner.invoke(main, ["report", "accounts", str(array)])
    assert report.exit_code == 0
    assert report.stdout == runner.invoke(main, ["report", "accounts", str(EXAMPLES / "posts.jsonl")]).stdout


# ------------------------------------------------------------------ --jobs 0
def _cgroup_tree(tmp_path, proc: str, files: dict[str, str]):
    root = tmp_path / "cgroup"
    for rel, content in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(content)
    (tmp_path / "proc_cgroup").write_text(proc)
    return str(root), str(tmp_path / "proc_cgroup")


V1_PROC = "4:memory:/docker/abc\n2:cpu,cpuacct:/docker/abc\n1:name=systemd:/docker/abc\n"


@pytest.mark.parametrize("proc, files, quota", [
    # cgroup v2: the process's own cgroup, or a parent's tighter limit
    ("0::/app\n", {"app/cpu.max": "200000 100000\n"}, 2.0),
    ("0::/app\n", {"app/cpu.max": "150000 100000\n", "cpu.max": "max 100000\n"}, 1.5),
    ("0::/kube/pod/app\n", {"kube/pod/app/cpu.max": "max 100000\n", "kube/cpu.max": "50000 100000\n"}, 0.5),
    ("0::/\n", {"cpu.max": "400000 100000\n"}, 4.0),  # a container's own namespace: its limit at the root
    ("0::/docker/abc\n", {"cpu.max": "300000 100000\n"}, 3.0),  # no namespace: host path not mounted inside
    ("0::/app\n", {"app/cpu.max": "max 100000\n"}, None),
    ("0::/app\n", {}, None),
    ("0::/app\n", {"app/cpu.max": "garbage\n"}, None),
    # cgroup v1: the cpu controller's tree, quota −1 for none
    (V1_PROC, {"cpu,cpuacct/docker/abc/cpu.cfs_quota_us": "250000\n",
               "cpu,cpuacct/docker/abc/cpu.cfs_period_us": "100000\n"}, 2.5),
    (V1_PROC, {"cpu/cpu.cfs_quota_us": "100000\n", "cpu/cpu.cfs_period_us": "100000\n"}, 1.0),
    (V1_PROC, {"cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"}, None),
    ("1:name=systemd:/\n", {"cpu.max": "100000 100000\n"}, None),  # no cpu controller at all
])
def test_cgroup_cpu_quota(tmp_path, proc, files, quota):
    from cuomin.parallel import cgroup_cpu_quota

    assert cgroup_cpu_quota(*_cgroup_tree(tmp_path, proc, files)) == quota


def test_jobs_0_is_the_cpus_this_process_may_use(tmp_path, monkeypatch):
    from cuomin import parallel

    host = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert parallel.resolve_jobs(0) == min(parallel.usable_cpus(), parallel.AUTO_JOBS_MAX) <= host
    assert parallel.resolve_jobs(3) == 3 and parallel.resolve_jobs(64) == 64  # asked for: not capped
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 64)
    assert parallel.resolve_jobs(0) == parallel.AUTO_JOBS_MAX == 8
    monkeypatch.undo()
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    limited = _cgroup_tree(tmp_path, "0::/\n", {"cpu.max": "150000 100000\n"})
    assert parallel.usable_cpus(*limited) == 2  # 1.5 CPUs of time: two processes use it
    tiny = _cgroup_tree(tmp_path / "t", "0::/\n", {"cpu.max": "10000 100000\n"})
    assert parallel.usable_cpus(*tiny) == 1
    assert parallel.usable_cpus(str(tmp_path / "none"), str(tmp_path / "none")) == 64  # no cgroups: the affinity
    monkeypatch.delattr(parallel.os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: None)
    assert parallel.usable_cpus(str(tmp_path / "none"), str(tmp_path / "none")) == 1


def test_cli_scan_uses_every_usable_cpu_unless_told(monkeypatch):
    """DESIGN: batch work uses all cores; `--jobs 1` asks for one process."""
    from cuomin.supervision import scan as scan_module

    seen = []
    real = scan_module.ScanRun.__init__

    def init(self, *args, **kwargs):
        seen.append(kwargs["jobs"])
        real(self, *args, **kwargs)

    monkeypatch.setattr(scan_module.ScanRun, "__init__", init)
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(EXAMPLES / "posts.jsonl")]).exit_code == 1
    assert runner.invoke(main, ["scan", str(EXAMPLES / "posts.jsonl"), "--jobs", "1"]).exit_code == 1
    assert seen == [0, 1]
    assert "default: 0" in runner.invoke(main, ["scan", "--help"]).stdout
