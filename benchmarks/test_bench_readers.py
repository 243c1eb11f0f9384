"""Reading posts from files: the workbook reader (calamine) against openpyxl's
streaming reader, the one it replaced, on the same workbook in the same run (the
baseline only reads rows; ours also makes them into posts).

The workbook holds the benchmark's posts (~6 MB of text, one post per row, with the
columns an export has); both readers go through every row of its first sheet.
JSON Lines, JSON array (``read_json``) and CSV readers are measured on the same posts
for comparison. A batch of six workbooks is scanned with and without reading the next
workbook ahead in a thread (``PostReader.read_ahead``), interleaved in the same run.
"""

from __future__ import annotations

import csv
import json
import statistics
import time
from pathlib import Path

import pytest

from conftest import post_rows, record, record_value
from cuomin.supervision.batch import scan_reader
from cuomin.supervision.posts import PostReader

TARGET_BYTES = 6_000_000
HEADER = ["编号", "账号名称", "标题", "正文", "发布时间"]


@pytest.fixture(scope="module")
def rows(posts) -> list[list[str]]:
    return post_rows(posts, TARGET_BYTES)


@pytest.fixture(scope="module")
def text_bytes(rows) -> int:
    return sum(len(r[3].encode("utf-8")) for r in rows)


@pytest.fixture(scope="module")
def files(tmp_path_factory, rows) -> dict[str, Path]:
    openpyxl = pytest.importorskip("openpyxl")
    d = tmp_path_factory.mktemp("readers")
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    wb.save(d / "posts.xlsx")
    with (d / "posts.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(rows)
    objects = [dict(zip(["id", "account", "title", "text", "published_at"], r)) for r in rows]
    with (d / "posts.jsonl").open("w", encoding="utf-8") as fh:
        for obj in objects:
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
    with (d / "posts.json").open("w", encoding="utf-8") as fh:
        json.dump(objects, fh, ensure_ascii=False, indent=1)
    return {"xlsx": d / "posts.xlsx", "csv": d / "posts.csv", "jsonl": d / "posts.jsonl", "json": d / "posts.json"}


def _read_all(path: Path) -> int:
    reader = PostReader([path])
    n = sum(1 for _ in reader)  # rows made into posts (JSON Lines rows are parsed then)
    assert not reader.problems
    return n


@pytest.mark.parametrize("kind", ["xlsx", "csv", "jsonl", "json"])
def test_read_posts(benchmark, files, rows, text_bytes, kind):
    n = benchmark.pedantic(_read_all, args=(files[kind],), rounds=5, warmup_rounds=1)
    assert n == len(rows)
    record(f"read_{kind}", benchmark, text_bytes)


def test_read_xlsx_with_openpyxl_baseline(benchmark, files, rows, text_bytes):
    import openpyxl

    def read() -> int:
        wb = openpyxl.load_workbook(files["xlsx"], read_only=True, data_only=True)
        try:
            return sum(1 for row in wb.worksheets[0].iter_rows(values_only=True) if any(row))
        finally:
            wb.close()

    n = benchmark.pedantic(read, rounds=5, warmup_rounds=1)
    assert n == len(rows) + 1  # and the header
    record("read_xlsx_openpyxl", benchmark, text_bytes)


def test_batch_of_workbooks_read_ahead(tmp_path, rows, text_bytes, scanner):
    """Six workbooks of ~1 MB of text scanned in one process: the next workbook read in
    a thread while this one is scanned, against one after the other."""
    import openpyxl

    paths = []
    for k in range(6):
        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet()
        ws.append(HEADER)
        for r in rows[k::6]:
            ws.append(r)
        paths.append(tmp_path / f"w{k}.xlsx")
        wb.save(paths[-1])

    def scan(ahead: bool) -> float:
        reader = PostReader(paths)
        reader.read_ahead = ahead
        t = time.perf_counter()
        n = sum(1 for _ in scan_reader(scanner, reader))
        assert n == len(rows)
        return time.perf_counter() - t

    scan(True)  # warm-up: lazy loads, DFA
    times = {True: [], False: []}
    for _ in range(5):
        for ahead in (False, True):
            times[ahead].append(scan(ahead))
    one_by_one, ahead = statistics.median(times[False]), statistics.median(times[True])
    record_value("workbook batch scan: read ahead / one after the other (speed)", ratio=one_by_one / ahead,
                 ahead_s=round(ahead, 3), one_by_one_s=round(one_by_one, 3), mb=round(text_bytes / 1e6, 1))
