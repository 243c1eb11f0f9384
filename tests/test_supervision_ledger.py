"""The rectification ledger: fingerprints, statuses, reviewer marks, migrations,
and two processes writing at once."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import sqlite3

import pytest
from click.testing import CliRunner

from cuomin import Scanner
from cuomin.cli import main
from cuomin.supervision import ledger as ledger_mod
from cuomin.supervision.accounts import report_from_ledger
from cuomin.supervision.batch import scan_post, scan_posts
from cuomin.supervision.ledger import Ledger, LedgerError
from cuomin.supervision.posts import Post

D1, D2, D3 = dt.date(2023, 9, 28), dt.date(2023, 10, 12), dt.date(2023, 10, 30)


@pytest.fixture(scope="module")
def scanner():
    return Scanner()


def post(pid, text, account="清溪发布", **kw):
    return Post(id=pid, account=account, owner="清溪县人民政府办公室", account_type="微信订阅号",
                text=text, published_at=dt.date(2023, 9, 1), **kw)


def record(db, scanner, posts, day, **kw):
    with Ledger(db) as ledger:
        ledger.record(scan_posts(scanner, posts), day, **kw)


def statuses(db, **kw):
    with Ledger(db) as ledger:
        return {(r.post_id, r.text): r.status(**kw) for r in ledger.rows()}


def test_fingerprint_survives_unrelated_edits(scanner):
    a = scan_post(scanner, post("1", "会议要求精心布署，确保安全。"))
    b = scan_post(scanner, post("1", "7月3日上午，县里召开会议。会议要求精心布署，确保安全。"))
    assert [f.finding.start for f in a.findings] != [f.finding.start for f in b.findings]
    assert [f.fingerprint for f in a.findings] == [f.fingerprint for f in b.findings]
    other_post = scan_post(scanner, post("2", "会议要求精心布署，确保安全。"))
    assert other_post.findings[0].fingerprint != a.findings[0].fingerprint


def test_repeated_match_gets_distinct_fingerprints(scanner):
    r = scan_post(scanner, post("1", "精心布署。\n\n精心布署。"))
    assert len(r.findings) == 2
    assert len({f.fingerprint for f in r.findings}) == 2


def test_flow_fix_rescan_statuses(tmp_path, scanner):
    db = tmp_path / "cuomin.db"
    record(db, scanner, [post("1", "会议要求精心布署。希望大家再接再励。"), post("2", "坚定四个自心。"),
                         post("3", "一如继往地支持。", account="清溪教育")], D1)
    assert set(statuses(db).values()) == {"未整改"}
    # post 1 fixes one of two errors, post 3 fixes everything, post 2 is not rescanned
    record(db, scanner, [post("1", "会议要求精心部署。希望大家再接再励。"),
                         post("3", "一如既往地支持。", account="清溪教育")], D2)
    assert statuses(db) == {
        ("1", "布署"): "已整改",
        ("1", "再接再励"): "未整改",
        ("2", "四个自心"): "未整改",
        ("3", "一如继往"): "已整改",
    }
    with Ledger(db) as ledger:
        fixed = [r for r in ledger.rows() if r.text == "布署"][0]
        assert fixed.rectified_on == D2 and fixed.first_seen == D1
        rows = {r.account: r for r in report_from_ledger(ledger).rows}
        assert (rows["清溪发布"].errors, rows["清溪发布"].rectified, rows["清溪发布"].status) == (3, 1, "未整改")
        assert (rows["清溪教育"].errors, rows["清溪教育"].status) == (1, "已整改")
        late = {r.account: r.status for r in report_from_ledger(ledger, deadline=D2, as_of=D3).rows}
        assert late == {"清溪发布": "逾期未整改", "清溪教育": "已整改"}
    assert statuses(db, deadline=D2, as_of=D3)[("2", "四个自心")] == "逾期未整改"


def test_error_that_comes_back_is_open_again(tmp_path, scanner):
    db = tmp_path / "l.db"
    record(db, scanner, [post("1", "精心布署。")], D1)
    record(db, scanner, [post("1", "精心部署。")], D2)
    record(db, scanner, [post("1", "精心布署。")], D3)
    with Ledger(db) as ledger:
        (row,) = ledger.rows()
    assert row.is_open and row.first_seen == D1


def test_scan_with_select_does_not_rectify_other_rules(tmp_path, scanner):
    db = tmp_path / "l.db"
    record(db, scanner, [post("1", "精心布署。坚定四个自心。")], D1)
    typos_only = Scanner(select=["typo"])
    with Ledger(db) as ledger:
        ledger.record(scan_posts(typos_only, [post("1", "精心布署。坚定四个自心。")]), D2,
                      active_codes=[i.code for i in typos_only.active_rules()])
    assert set(statuses(db).values()) == {"未整改"}


def test_false_positive_mark_removes_from_counts(tmp_path, scanner):
    db = tmp_path / "l.db"
    record(db, scanner, [post("1", "精心布署。坚定四个自心。")], D1)
    with Ledger(db) as ledger:
        assert report_from_ledger(ledger).rows[0].errors == 2
        fp = [r for r in ledger.rows() if r.text == "四个自心"][0].fingerprint
        marked = ledger.mark(fp[:8], "false_positive", "李审核", "引用原文")
        assert (marked.decision, marked.reviewer, marked.note) == ("false_positive", "李审核", "引用原文")
        assert report_from_ledger(ledger).rows[0].errors == 1
        ledger.mark(fp, "accepted", "王复审")  # the latest decision wins
        assert report_from_ledger(ledger).rows[0].errors == 2


def test_mark_errors(tmp_path, scanner):
    db = tmp_path / "l.db"
    record(db, scanner, [post("1", "精心布署。")], D1)
    with Ledger(db) as ledger:
        with pytest.raises(LedgerError, match="too short"):
            ledger.mark("abc", "accepted", "李")
        with pytest.raises(LedgerError, match="no finding"):
            ledger.mark("ffffffffffff", "accepted", "李")
        fp = next(ledger.rows()).fingerprint
        with pytest.raises(LedgerError, match="reviewer"):
            ledger.mark(fp, "accepted", " ")


def test_schema_version_and_migrations(tmp_path, monkeypatch):
    db = tmp_path / "l.db"
    with Ledger(db) as ledger:
        assert ledger.version == 1
    calls = []

    def v2(conn):
        calls.append(2)
        conn.execute("ALTER TABLE marks ADD COLUMN source TEXT")

    monkeypatch.setitem(ledger_mod.MIGRATIONS, 2, v2)
    with Ledger(db) as ledger:
        assert ledger.version == 2
    with Ledger(db):
        pass
    assert calls == [2]  # applied once
    monkeypatch.delitem(ledger_mod.MIGRATIONS, 2)
    with pytest.raises(LedgerError, match="newer than this cuomin"):
        Ledger(db)


def test_refuses_other_files(tmp_path):
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(LedgerError, match="not a cuomin ledger"):
        Ledger(other)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(LedgerError, match="not a cuomin ledger"):
        Ledger(junk)


def _writer(db: str, prefix: str, n: int, barrier) -> None:
    scanner = Scanner()
    posts = [post(f"{prefix}{i}", f"第{i}条：会议要求精心布署。", account=f"账号{prefix}") for i in range(n)]
    barrier.wait()
    with Ledger(db) as ledger:
        with ledger.recorder(D1) as rec:
            for r in scan_posts(scanner, posts):
                rec.add(r)
                rec.flush()  # one transaction per post: maximal interleaving


@pytest.mark.slow
def test_two_processes_write_at_once(tmp_path):
    db = str(tmp_path / "shared.db")
    Ledger(db).close()
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    procs = [ctx.Process(target=_writer, args=(db, p, 150, barrier)) for p in ("a", "b")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    with Ledger(db) as ledger:
        rows = list(ledger.rows())
        assert len(rows) == 300
        assert ledger.post_count() == 300
        assert ledger.conn.execute("SELECT COUNT(*) FROM scans").fetchone()[0] == 2


def test_cli_scan_ledger_mark_list(tmp_path):
    posts = tmp_path / "posts.jsonl"
    posts.write_text(json.dumps({"id": "1", "account": "清溪发布", "text": "精心布署。坚定四个自心。",
                                 "published_at": "2023-09-01"}, ensure_ascii=False) + "\n", encoding="utf-8")
    db = tmp_path / "cuomin.db"
    runner = CliRunner()
    res = runner.invoke(main, ["scan", str(posts), "--ledger", str(db), "--as-of", "2023-09-28"])
    assert res.exit_code == 1
    fps = {json.loads(line)["text"]: json.loads(line)["fingerprint"] for line in res.stdout.splitlines()}
    res = runner.invoke(main, ["ledger", "mark", fps["四个自心"][:10], "--false-positive", "--by", "李审核",
                               "--ledger", str(db)])
    assert res.exit_code == 0, res.output
    assert "误报（李审核）" in res.output
    res = runner.invoke(main, ["ledger", "list", "--ledger", str(db), "--status", "误报", "--format", "json"])
    assert [r["text"] for r in json.loads(res.output)] == ["四个自心"]
    res = runner.invoke(main, ["ledger", "list", "--ledger", str(db), "--code", "typo", "--format", "json"])
    assert [r["code"] for r in json.loads(res.output)] == ["TYP001"]
    res = runner.invoke(main, ["ledger", "list", "--ledger", str(db), "--account", "别的账号"])
    assert res.exit_code == 0 and "共 0 条" in res.output
    res = runner.invoke(main, ["report", "accounts", "--ledger", str(db), "--format", "json"])
    assert json.loads(res.output)[0]["errors"] == 1
    assert runner.invoke(main, ["ledger", "mark", fps["布署"], "--by", "李", "--ledger", str(db)]).exit_code == 2
    assert runner.invoke(main, ["ledger", "list", "--ledger", str(tmp_path / "missing.db")]).exit_code == 2
