"""Per-account table: a 32-account bulletin reproduced exactly in md, csv, xlsx, json."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cuomin import Scanner
from cuomin.cli import main
from cuomin.render.tables import render_accounts
from cuomin.supervision.accounts import CountPolicy, report_from_files, report_from_ledger
from cuomin.supervision.batch import scan_posts
from cuomin.supervision.ledger import Ledger
from cuomin.supervision.posts import read_posts
from cuomin.supervision.records import FindingRow

sys.path.insert(0, str(Path(__file__).parent))
from supervision_helpers import BULLETIN, bulletin_accounts, bulletin_posts, write_jsonl  # noqa: E402

WINDOW = dict(date_from=dt.date(2023, 7, 1), date_to=dt.date(2023, 9, 30))


@pytest.fixture(scope="module")
def scanner():
    return Scanner()


@pytest.fixture(scope="module")
def bulletin_ledger(tmp_path_factory, scanner):
    """Scan on 2023-09-28, the units fix their posts, rescan on 2023-10-12."""
    d = tmp_path_factory.mktemp("bulletin")
    first = write_jsonl(bulletin_posts(), d / "q3.jsonl")
    second = write_jsonl(bulletin_posts(fixed=True), d / "q3-fixed.jsonl")
    db = d / "cuomin.db"
    with Ledger(db) as ledger:
        ledger.record(scan_posts(scanner, read_posts([first])), dt.date(2023, 9, 28))
        ledger.record(scan_posts(scanner, read_posts([second])), dt.date(2023, 10, 12))
    return db, first


def _report(db, **kw):
    with Ledger(db) as ledger:
        return report_from_ledger(ledger, **WINDOW, **kw)


def test_fixture_has_at_least_30_accounts():
    assert len(bulletin_accounts()) == 32


def test_markdown_reproduces_bulletin(bulletin_ledger):
    db, _ = bulletin_ledger
    assert render_accounts(_report(db), "md") == (BULLETIN / "accounts.md").read_text(encoding="utf-8")


def test_csv_reproduces_bulletin(bulletin_ledger):
    db, _ = bulletin_ledger
    assert render_accounts(_report(db), "csv") == (BULLETIN / "accounts.csv").read_text(encoding="utf-8")


def test_json_reproduces_bulletin(bulletin_ledger):
    db, _ = bulletin_ledger
    got = json.loads(render_accounts(_report(db), "json"))
    assert got == json.loads((BULLETIN / "accounts.json").read_text(encoding="utf-8"))
    assert list(got[0]) == ["account", "owner", "account_type", "errors", "status", "rectified", "open"]
    expected = [(a["account"], a["owner"], a["account_type"], a["errors"], a["status"]) for a in bulletin_accounts()]
    assert [(r["account"], r["owner"], r["account_type"], r["errors"], r["status"]) for r in got] == expected


def test_xlsx_reproduces_bulletin_with_detail_sheet(bulletin_ledger):
    openpyxl = pytest.importorskip("openpyxl")
    db, _ = bulletin_ledger
    data = render_accounts(_report(db, keep_details=True), "xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["错敏信息统计", "错敏信息明细"]
    table = [list(r) for r in wb["错敏信息统计"].iter_rows(values_only=True)]
    with open(BULLETIN / "accounts.csv", encoding="utf-8", newline="") as fh:
        expected = [[int(c) if c.isdigit() else c for c in row] for row in csv.reader(fh)]
    assert table == expected
    detail = list(wb["错敏信息明细"].iter_rows(values_only=True))
    assert detail[0][:9] == ("账号名称", "信息编号", "标题", "发布时间", "规则", "类别", "错敏内容", "修改建议", "整改情况")
    counted = [r for r in detail[1:] if r[9] == "是"]
    assert len(counted) == 82  # the sum of the bulletin's counts
    assert {r[8] for r in counted} == {"已整改", "未整改"}
    info = [r for r in detail[1:] if r[4] == "VAR001"]
    assert info and all(r[9] == "否" for r in info)  # advisory findings listed, not counted


def test_counts_unchanged_after_rectification(bulletin_ledger, scanner):
    db, first = bulletin_ledger
    before = report_from_files([first], scanner, **WINDOW)
    after = _report(db)
    assert [(r.account, r.errors) for r in before.rows] == [(r.account, r.errors) for r in after.rows]
    assert {r.status for r in before.rows} == {"未整改"}
    assert after.errors == 82 and after.rectified == 71


def test_overdue_after_deadline(bulletin_ledger):
    db, _ = bulletin_ledger
    rows = _report(db, deadline=dt.date(2023, 10, 20), as_of=dt.date(2023, 10, 21)).rows
    statuses = {r.account + r.account_type: r.status for r in rows}
    assert statuses["清溪发布微信订阅号"] == "逾期未整改"
    assert statuses["清溪教育微信订阅号"] == "已整改"
    on_time = _report(db, deadline=dt.date(2023, 10, 20), as_of=dt.date(2023, 10, 20)).rows
    assert {r.status for r in on_time} == {"已整改", "未整改"}


def test_window_excludes_older_posts(bulletin_ledger):
    db, _ = bulletin_ledger
    with Ledger(db) as ledger:
        everything = report_from_ledger(ledger)
    assert everything.errors == 82 + 32  # one pre-window post per account


def _row(**kw):
    base = dict(fingerprint="f", account="A", owner="O", account_type="T", post_id="1", title="", published_at=None,
                url="", field="text", code="TYP001", category="typo", severity="error", tier="confirmed",
                text="x", suggestions=(), message="")
    return FindingRow(**{**base, **kw})


def test_count_policy():
    default = CountPolicy()
    assert default.counts(_row())
    assert default.counts(_row(severity="warning"))
    assert not default.counts(_row(severity="info"))
    assert not default.counts(_row(tier="suspected"))
    assert default.counts(_row(tier="suspected", decision="accepted"))
    assert not default.counts(_row(decision="false_positive"))
    assert CountPolicy(include_suspected=True).counts(_row(tier="suspected"))
    errors_only = CountPolicy(frozenset({"error"}))
    assert not errors_only.counts(_row(severity="warning"))


def test_cli_report_accounts_from_files(tmp_path):
    path = write_jsonl(bulletin_posts(), tmp_path / "posts.jsonl")
    runner = CliRunner()
    res = runner.invoke(main, ["report", "accounts", str(path), "--from", "2023-07-01", "--to", "2023-09-30",
                               "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert [r["errors"] for r in rows] == [a["errors"] for a in bulletin_accounts()]
    assert {r["status"] for r in rows} == {"未整改"}
    only_errors = runner.invoke(main, ["report", "accounts", str(path), "--count-severity", "info", "--format", "json"])
    assert only_errors.exit_code == 0
    assert {r["errors"] for r in json.loads(only_errors.output)} == {1}  # one 笔划 post each


def test_posts_given_twice_are_counted_twice_and_said(tmp_path):
    """Overlapping exports (August's, then the quarter's) give some posts twice: their
    findings are counted each time, as the files say, and the user is told how many."""
    posts = bulletin_posts()
    path = write_jsonl(posts[:4] + posts[2:6], tmp_path / "posts.jsonl")
    once = write_jsonl(posts[:6], tmp_path / "once.jsonl")
    runner = CliRunner()
    twice, single = (runner.invoke(main, ["report", "accounts", str(p), "--format", "json", "--jobs", "1"])
                     for p in (path, once))
    assert twice.exit_code == single.exit_code == 0
    counts = {r["account"]: r["errors"] for r in json.loads(twice.stdout)}
    assert sum(counts.values()) > sum(r["errors"] for r in json.loads(single.stdout))
    assert ("cuomin: 2 posts were given more than once (the same account and id: overlapping exports?) and their "
            "findings counted each time; give each post once, or scan into a ledger (--ledger), which keeps one"
            ) in twice.stderr
    assert "more than once" not in single.stderr


def test_cli_report_accounts_usage_errors(tmp_path):
    runner = CliRunner()
    assert runner.invoke(main, ["report", "accounts"]).exit_code == 2
    assert runner.invoke(main, ["report", "accounts", "--ledger", str(tmp_path / "none.db")]).exit_code == 2
    path = write_jsonl(bulletin_posts()[:3], tmp_path / "p.jsonl")
    res = runner.invoke(main, ["report", "accounts", str(path), "--count-severity", "fatal"])
    assert res.exit_code == 2 and "fatal" in res.output
