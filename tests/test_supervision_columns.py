"""Column freshness with a fixed check date: counts per period, silent columns, a
blank column, a silent new-media account, thresholds from configuration."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cuomin.cli import main
from cuomin.supervision.columns import FreshnessConfigError, freshness_report, load_config, parse_config

ROOT = Path(__file__).parents[1]
EXAMPLE_RULES = ROOT / "examples" / "freshness.toml"
AS_OF = dt.date(2023, 9, 28)

ROWS = [
    # unit, column, title, date, account, type
    ("县教育局", "部门镇办文件", "关于做好秋季开学工作的通知", "2023-08-25", "", ""),
    ("县教育局", "部门镇办文件", "义务教育招生工作方案", "2023-07-11", "", ""),
    ("县教育局", "部门镇办文件", "上季度的文件", "2023-06-20", "", ""),
    ("县教育局", "工作动态", "开学安全大检查", "2023-09-14", "", ""),
    ("县教育局", "通知公告", "教师资格认定公告", "2023-03-29", "", ""),
    ("县教育局", "", "新学期校园安全", "2023-09-13", "清溪教育", "微信订阅号"),
    ("县卫生健康局", "部门镇办文件", "文件一", "2023-07-03", "", ""),
    ("县卫生健康局", "部门镇办文件", "文件二", "2023-07-20", "", ""),
    ("县卫生健康局", "部门镇办文件", "文件三", "2023-08-01", "", ""),
    ("县卫生健康局", "部门镇办文件", "文件四", "2023-08-22", "", ""),
    ("县卫生健康局", "部门镇办文件", "文件五", "2023-09-12", "", ""),
    ("县卫生健康局", "部门镇办文件", "检查日之后的文件", "2023-10-08", "", ""),
    ("县卫生健康局", "工作动态", "义诊进社区", "2023-09-22", "", ""),
    ("县卫生健康局", "通知公告", "无日期的公告", "", "", ""),
    ("县卫生健康局", "政策文件", "", "", "", ""),  # the column exists, nothing in it
    ("县卫生健康局", "", "健康提示", "2023-09-20", "健康清溪", "新浪微博"),
    ("东岭镇", "乡镇动态", "第三季度工作推进会", "2023-09-26", "", ""),
    ("东岭镇", "", "秋收见闻", "2023-08-20", "东岭镇发布", "微信订阅号"),
]


@pytest.fixture
def items(tmp_path) -> Path:
    path = tmp_path / "items.csv"
    lines = ["单位,栏目,标题,发布时间,账号名称,账号类型"] + [",".join(r) for r in ROWS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_failing_units_with_example_rules(items):
    report = freshness_report([items], AS_OF, load_config(EXAMPLE_RULES))
    failing = {u.unit: (u.problems, u.result) for u in report.failing_units()}
    assert failing == {
        "县教育局": (
            ["部门镇办文件栏目未更新（本季度2条，应不少于5条）",
             "新媒体账号“清溪教育”（微信订阅号）超过14天未更新（最后更新2023-09-13，已15天），单项否决"],
            "不合格（单项否决）",
        ),
        "县卫生健康局": (
            ["通知公告栏目信息均无发布日期，视为未更新", "政策文件栏目为空白栏目"],
            "不合格",
        ),
        "东岭镇": (
            ["部门镇办文件栏目为空白栏目",
             "新媒体账号“东岭镇发布”（微信订阅号）超过14天未更新（最后更新2023-08-20，已39天），单项否决"],
            "不合格（单项否决）",
        ),
    }
    assert report.window.start == dt.date(2023, 7, 1) and report.window.end == AS_OF


def test_boundaries_pass(items):
    report = freshness_report([items], AS_OF, load_config(EXAMPLE_RULES))
    cols = {(c.unit, c.column): c for c in report.columns}
    # 14 days silent is still fine; 183 days is still fine; 15 days would not be
    assert cols[("县教育局", "工作动态")].days_since == 14 and not cols[("县教育局", "工作动态")].problems
    assert cols[("县教育局", "通知公告")].days_since == 183 and not cols[("县教育局", "通知公告")].problems
    acc = cols[("县教育局", "新媒体账号“清溪教育”（微信订阅号）")]
    assert acc.days_since == 15 and acc.veto
    assert not cols[("县卫生健康局", "新媒体账号“健康清溪”（新浪微博）")].problems
    # items after the check date are ignored, items before the quarter do not count in it
    assert cols[("县卫生健康局", "部门镇办文件")].items_in_period == 5
    assert cols[("县卫生健康局", "部门镇办文件")].last == dt.date(2023, 9, 12)
    assert cols[("县教育局", "部门镇办文件")].items_in_period == 2
    assert cols[("县卫生健康局", "政策文件")].blank


def test_silent_account_veto_at_fifteen_days(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"account": "清溪教育", "owner": "县教育局", "title": "a", "published_at": "2023-09-14"},
        {"account": "清溪文旅", "owner": "县文旅局", "title": "b", "published_at": "2023-09-13"},
    ]) + "\n", encoding="utf-8")
    report = freshness_report([path], AS_OF, load_config(EXAMPLE_RULES))
    assert [(u.unit, u.result) for u in report.failing_units()] == [("县文旅局", "不合格（单项否决）")]
    assert report.failing_units()[0].problems == [
        "新媒体账号“清溪文旅”超过14天未更新（最后更新2023-09-13，已15天），单项否决"]


def test_explicit_window_and_thresholds_are_configuration(items):
    config = parse_config('[[columns]]\nname = "文件"\nmatch = ["部门镇办文件"]\nmin_items = 3\nper = "period"\n'
                          "[accounts]\nmax_silent_days = 60\nveto = false\n")
    report = freshness_report([items], AS_OF, config, date_from=dt.date(2023, 6, 1), date_to=AS_OF)
    failing = {u.unit: u.problems for u in report.failing_units()}
    assert failing == {"县卫生健康局": ["政策文件栏目为空白栏目"]}
    assert report.window.start == dt.date(2023, 6, 1)
    assert "县教育局" not in failing  # 3 items from June on, 3 required
    assert "东岭镇" not in failing  # account silent 39 days < 60, no veto


def test_blank_and_stale_column_vetoes(tmp_path):
    rows = ["单位,栏目,标题,发布时间"] + [f"县水利局,栏目{i},,," for i in range(5)]
    path = tmp_path / "blank.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = freshness_report([path], AS_OF)
    (unit,) = report.failing_units()
    assert unit.problems[-1] == "空白栏目5个（单项否决）" and unit.veto


def test_config_errors():
    with pytest.raises(FreshnessConfigError, match="min_items"):
        parse_config('[[columns]]\nname = "x"\nmatch = ["x"]\nmin_items = 0\n', "bad.toml")
    with pytest.raises(FreshnessConfigError, match="bad.toml: not valid TOML"):
        parse_config("[[columns]\n", "bad.toml")
    with pytest.raises(FreshnessConfigError, match="no such file"):
        load_config(Path("/nonexistent/rules.toml"))


def test_cli_columns(items, tmp_path):
    runner = CliRunner()
    res = runner.invoke(main, ["report", "columns", str(items), "--as-of", "2023-09-28", "--rules",
                               str(EXAMPLE_RULES)])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[:2] == ["| 部门 | 存在问题 | 检查结果 |", "| --- | --- | --- |"]
    assert lines[2] == ("| 县教育局 | 部门镇办文件栏目未更新（本季度2条，应不少于5条）；新媒体账号“清溪教育”（微信订阅号）"
                        "超过14天未更新（最后更新2023-09-13，已15天），单项否决 | 不合格（单项否决） |")
    assert lines[-1] == "共检查3个单位，3个不合格（其中单项否决2个）。检查日期2023-09-28，统计期间2023-07-01至2023-09-28。"
    res = runner.invoke(main, ["report", "columns", str(items), "--as-of", "2023-09-28", "--format", "json"])
    data = json.loads(res.output)
    assert data["summary"]["units"] == 3 and {c["kind"] for c in data["columns"]} == {"column", "account"}
    assert runner.invoke(main, ["report", "columns", str(items)]).exit_code == 2  # --as-of is required
    bad = tmp_path / "bad.toml"
    bad.write_text("[[columns]]\nname = 1\n", encoding="utf-8")
    res = runner.invoke(main, ["report", "columns", str(items), "--as-of", "2023-09-28", "--rules", str(bad)])
    assert res.exit_code == 2 and "bad.toml" in res.output
