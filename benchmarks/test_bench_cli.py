"""Wall time of whole commands, as ratios to baselines run in the same session.

* ``cuomin check`` on one ~2 KB clean text (rule set loaded from the warm cache)
  against ``python -c "import jieba; jieba.lcut('测试')"`` (jieba's own dictionary
  cache warm too): target ≤ 0.35.
* ``cuomin scan --jobs 2`` against ``--jobs 1`` on 20 MB and 60 MB of JSONL posts and
  20 MB of CSV: target ≥ 1.7 (on ≥ 20 MB); and on 20 MB of posts in an XLSX and on
  20 MB of web pages of mirrored sites, for information.
* Peak RSS (the process tree, sampled from /proc) while scanning a 200 MB JSONL:
  target ≤ 300 MB, with ``--jobs 1`` and ``--jobs 2`` (which gives the speed-up on
  200 MB too). It takes a minute, so it runs only with ``CUOMIN_BENCH_BIG=1``.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import PUBLISHED, bench_env, post_rows, record_value

BIN = Path(sys.executable).parent
CUOMIN = [str(BIN / "cuomin")] if (BIN / "cuomin").exists() else [sys.executable, "-m", "cuomin"]


def _wall(cmd, runs: int, **kw) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=bench_env(), **kw)
        times.append(time.perf_counter() - t0)
    return times


@pytest.fixture(scope="module")
def clean_post(tmp_path_factory, posts, scanner) -> Path:
    text = next((p for p in posts if not scanner.scan(p, PUBLISHED)), None)
    if text is None:  # pragma: no cover - every corpus post has a finding
        from conftest import generated_text

        text = generated_text(2048)
    path = tmp_path_factory.mktemp("cli") / "clean.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_check_vs_jieba_startup(benchmark, clean_post):
    check = [*CUOMIN, "check", "--date", PUBLISHED.isoformat(), str(clean_post)]
    jieba_cmd = [sys.executable, "-c", "import jieba; jieba.lcut('测试')"]
    _wall(check, 1)  # fill the rule-set cache
    _wall(jieba_cmd, 1)  # and jieba's
    # the same text with one hit that needs a word-boundary check (jieba segments a window)
    boundary_post = clean_post.with_name("boundary.txt")
    boundary_post.write_text(clean_post.read_text(encoding="utf-8") + "\n工作己经完成。\n", encoding="utf-8")
    check_boundary = [*check[:-1], str(boundary_post)]
    _wall(check_boundary, 1)  # and the segmentation dictionary's
    rounds = {"check": [], "jieba": [], "check_no_cache": [], "python_pass": [], "check_boundary": []}
    for _ in range(5):  # interleaved, so load on the machine hits both alike
        rounds["check"] += _wall(check, 1)
        rounds["check_boundary"] += _wall(check_boundary, 1)
        rounds["jieba"] += _wall(jieba_cmd, 1)
        rounds["check_no_cache"] += _wall([*check[:2], "--no-cache", *check[2:]], 1)
        rounds["python_pass"] += _wall([sys.executable, "-c", "pass"], 1)
    med = {k: statistics.median(v) for k, v in rounds.items()}
    benchmark.pedantic(lambda: None, rounds=1)
    record_value("check 2KB / jieba first lcut (wall)", ratio=med["check"] / med["jieba"], target=0.35, op="≤",
                 check_s=round(med["check"], 3), jieba_s=round(med["jieba"], 3))
    record_value("check --no-cache / jieba first lcut (wall)", ratio=med["check_no_cache"] / med["jieba"],
                 check_no_cache_s=round(med["check_no_cache"], 3))
    record_value("check 2KB with a boundary check / jieba first lcut (wall)",
                 ratio=med["check_boundary"] / med["jieba"], check_boundary_s=round(med["check_boundary"], 3))
    record_value("python -c pass / jieba first lcut (wall)", ratio=med["python_pass"] / med["jieba"],
                 python_pass_s=round(med["python_pass"], 3))


# ------------------------------------------------------------------ batch
def _write_jsonl(path: Path, posts: list[str], target_bytes: int) -> int:
    size = 0
    i = 0
    with path.open("w", encoding="utf-8") as fh:
        while size < target_bytes:
            p = posts[i % len(posts)]
            line = json.dumps({"id": f"p{i}", "account": f"账号{i % 50}", "title": p[:20], "text": p,
                               "published_at": "1998-01-31"}, ensure_ascii=False) + "\n"
            fh.write(line)
            size += len(line.encode("utf-8"))
            i += 1
    return size


def _has_scan() -> bool:
    r = subprocess.run([*CUOMIN, "scan", "--help"], capture_output=True, env=bench_env())
    return r.returncode == 0


def _write_xlsx(path: Path, posts: list[str], target_bytes: int) -> int:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["id", "account", "title", "text", "published_at"])
    rows = post_rows(posts, target_bytes)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return sum(len(row[3].encode("utf-8")) for row in rows)


def _write_csv(path: Path, posts: list[str], target_bytes: int) -> int:
    import csv

    rows = post_rows(posts, target_bytes)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)  # (a text with a line end or comma is quoted, as exports do)
        writer.writerow(["id", "account", "title", "text", "published_at"])
        writer.writerows(rows)
    return path.stat().st_size


_NAV = "".join(f'<li><a href="/c{i}/">栏目{i}</a></li>' for i in range(30))
_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="SiteName" content="{site}">
<meta name="ColumnName" content="工作动态"><meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="1998-01-31 10:00"><meta name="Url" content="http://www.example.gov.cn/{i}.html">
<title>{title}_{site}</title><link rel="stylesheet" href="/css/main.css"><script src="/js/jquery.js"></script></head>
<body><div class="header"><div class="logo"><img src="/img/logo.png" alt="{site}"></div>
<ul class="nav">{nav}</ul></div><div class="main"><div class="location">当前位置：<a href="/">首页</a> &gt; 工作动态</div>
<h1>{title}</h1><div class="info">发布时间：1998-01-31　来源：{site}</div>
<div class="TRS_Editor">{body}</div><div class="share"><a href="javascript:window.print()">打印本页</a>
<a href="javascript:window.close()">关闭窗口</a></div></div>
<div class="footer"><p>主办：{site}办公室　承办：{site}信息中心</p><p>网站标识码：1234000001　备案号：京ICP备00000000号</p></div>
</body></html>
"""


def _write_site(root: Path, posts: list[str], target_bytes: int) -> int:
    """A mirrored website: one page per post (paragraphs, with a menu, a header and a
    footer around them) under ten sites' folders, ``target_bytes`` of HTML in all."""
    size = i = 0
    while size < target_bytes:
        p = posts[i % len(posts)]
        site = f"测试县人民政府{i % 10}"
        body = "".join(f"<p>{line}</p>" for line in p.split("\n") if line.strip())
        data = _PAGE.format(site=site, title=p[:20].replace('"', ""), i=i, nav=_NAV, body=body).encode("utf-8")
        folder = root / f"www.site{i % 10}.gov.cn"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"t{i}.html").write_bytes(data)
        size += len(data)
        i += 1
    return size


_WRITERS = {"jsonl": _write_jsonl, "csv": _write_csv, "xlsx": _write_xlsx, "site": _write_site}


@pytest.mark.parametrize("fmt, megabytes", [("jsonl", 20), ("jsonl", 60), ("csv", 20), ("xlsx", 20), ("site", 20)])
def test_scan_jobs_scaling(benchmark, tmp_path, posts, fmt, megabytes):
    if not _has_scan():
        pytest.skip("`cuomin scan` is not available")
    data = tmp_path / f"posts.{fmt}"
    size = _WRITERS[fmt](data, posts, megabytes * 1_000_000)
    scan = [*CUOMIN, "scan", "--format", "jsonl", "--output", str(tmp_path / "out.jsonl"), str(data)]
    one, two = [], []
    for _ in range(4 if megabytes <= 20 and fmt != "site" else 2):  # interleaved; a ~1 s run is noisy here
        one += _wall([*scan, "--jobs", "1"], 1)
        two += _wall([*scan, "--jobs", "2"], 1)
    benchmark.pedantic(lambda: None, rounds=1)
    m1, m2 = statistics.median(one), statistics.median(two)
    # the issue states its target for posts in general; it is held against JSON Lines and
    # CSV, the formats for large batches (every process reads its own byte ranges). A
    # workbook is read by this process alone, which caps its speed-up well under 1.7, and a
    # site's pages are surveyed for their template before any is scanned (printed without
    # a verdict; docs/performance.md says so)
    target = dict(target=1.7, op="≥") if fmt in ("jsonl", "csv") else {}
    label = {"jsonl": f"{megabytes} MB", "csv": f"{megabytes} MB of CSV", "xlsx": f"{megabytes} MB of text in XLSX",
             "site": f"{megabytes} MB of web pages (a mirrored site)"}[fmt]
    record_value(f"scan --jobs 2 speed-up over --jobs 1, {label}", ratio=m1 / m2, **target,
                 mb=round(size / 1e6, 1), jobs1_s=round(m1, 2), jobs2_s=round(m2, 2),
                 jobs1_mbps=round(size / 1e6 / m1, 2))


def _tree_rss_kb(pid: int) -> int:
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return total


def peak_rss(cmd) -> tuple[float, float]:
    """(peak RSS of the process tree in MB, wall seconds), sampled every 50 ms."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=bench_env())
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            time.sleep(0.05)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    proc.wait()
    done.set()
    t.join()
    return peak / 1024, time.perf_counter() - t0


_BIG_WALL: dict[int, float] = {}


@pytest.mark.skipif(os.environ.get("CUOMIN_BENCH_BIG") != "1", reason="set CUOMIN_BENCH_BIG=1 (takes minutes)")
@pytest.mark.parametrize("jobs", [1, 2])
def test_scan_peak_rss_200mb(benchmark, tmp_path_factory, posts, jobs):
    if not _has_scan():
        pytest.skip("`cuomin scan` is not available")
    d = tmp_path_factory.getbasetemp() / "big"
    d.mkdir(exist_ok=True)
    data = d / "posts200.jsonl"
    if not data.exists():
        _write_jsonl(data, posts, 200_000_000)
    size = data.stat().st_size
    out = d / f"out{jobs}.jsonl"
    rss, wall = peak_rss([*CUOMIN, "scan", "--format", "jsonl", "--jobs", str(jobs), "--output", str(out), str(data)])
    out.unlink(missing_ok=True)
    benchmark.pedantic(lambda: None, rounds=1)
    record_value(f"scan 200 MB JSONL --jobs {jobs}: peak RSS MB (tree)", ratio=rss, target=300, op="≤",
                 mb=round(size / 1e6), wall_s=round(wall, 1))
    _BIG_WALL[jobs] = wall
    if jobs == 2 and 1 in _BIG_WALL:  # one run each: the 20 and 60 MB figures take medians
        record_value("scan --jobs 2 speed-up over --jobs 1, 200 MB (one run)", ratio=_BIG_WALL[1] / wall, target=1.7,
                     op="≥", jobs1_s=round(_BIG_WALL[1], 1), jobs2_s=round(wall, 1))
    if jobs == 2:
        shutil.rmtree(d, ignore_errors=True)
