"""Publication dates: the one date parser, dates documents give themselves, and which
date `cuomin check` judges an input at."""

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cuomin.check import check_document
from cuomin.cli import main
from cuomin.dates import parse_date_text
from cuomin.fix import fix_result
from cuomin.readers import parse_text

ROOT = Path(__file__).resolve().parents[1]
D = dt.date


@pytest.mark.parametrize("text, date", [
    ("2017-06-12", D(2017, 6, 12)),
    ("2017-06-12 09:30", D(2017, 6, 12)),
    ("2017-06-12T09:30:00+08:00", D(2017, 6, 12)),
    ("2017/6/12", D(2017, 6, 12)),
    ("2017.6.12", D(2017, 6, 12)),
    ("2017年6月12日", D(2017, 6, 12)),
    ("2017年6月12日 9时30分", D(2017, 6, 12)),
    ("20170612", D(2017, 6, 12)),
    (" 2017-06-12 ", D(2017, 6, 12)),
    ("2017-02-30", None),
    ("2017-06", None),
    ("六月十二日", None),
    ("", None),
])
def test_parse_date_text(text, date):
    assert parse_date_text(text) == date


def page(meta: str, body: str = "<p>县环保局开展检查。</p>") -> str:
    return f"<html><head>{meta}<title>通知</title></head><body>{body}</body></html>"


@pytest.mark.parametrize("meta, date", [
    ('<meta name="PubDate" content="2017-06-12 09:30">', D(2017, 6, 12)),
    ('<META NAME="pubdate" CONTENT="2017-06-12">', D(2017, 6, 12)),
    ('<meta name="publishdate" content="2017年6月12日"/>', D(2017, 6, 12)),
    ('<meta property="article:published_time" content="2017-06-12T09:30:00+08:00" />', D(2017, 6, 12)),
    # the first date given wins; a tag that is not a date gives none
    ('<meta name="PubDate" content="2017-06-12"><meta name="PubDate" content="2020-01-01">', D(2017, 6, 12)),
    ('<meta name="PubDate" content="待定">', None),
    ('<meta name="PubDate">', None),
    ('<meta name="ArticleTitle" content="2017-06-12">', None),
    ("", None),
])
def test_an_html_page_gives_its_publication_date(meta, date):
    doc = parse_text(page(meta), "a.html", "html")
    assert doc.published == date
    assert doc.text == "通知\n县环保局开展检查。\n"  # the meta tags add no text


@pytest.mark.parametrize("front, date", [
    ("---\ntitle: 通知\ndate: 2017-06-12\n---\n", D(2017, 6, 12)),
    ("---\ndate: '2017-06-12T09:30:00+08:00'\n---\n", D(2017, 6, 12)),
    ('---\npublishDate: "2017/6/12"\n---\n', D(2017, 6, 12)),
    ("---\ntitle: 通知\n---\n", None),
    ("date: 2017-06-12\n\n", None),  # not front matter: the first line is not ---
])
def test_markdown_front_matter_gives_its_date(front, date):
    doc = parse_text(front + "县环保局开展检查。\n", "a.md", "markdown")
    assert doc.published == date


def test_plain_text_gives_no_date():
    assert parse_text("发布时间：2017-06-12\n县环保局开展检查。", "a.txt").published is None


def codes(result):
    return [f.code for f in result.findings]


def test_which_date_an_input_is_judged_at(scanner):
    html = parse_text(page('<meta name="PubDate" content="2017-06-12">'), "a.html", "html")
    txt = parse_text("县环保局开展检查。", "a.txt")
    # the page's own date (before the 2018 reform: 县环保局 is right), over the default
    r = check_document(scanner, html, default=D(2023, 10, 30))
    assert (codes(r), r.published) == ([], D(2017, 6, 12))
    # an explicit date over the page's own
    r = check_document(scanner, html, D(2023, 10, 30))
    assert (codes(r), r.published) == (["OUT002"], D(2023, 10, 30))
    # a text without one: the default, else the day of the check
    r = check_document(scanner, txt, default=D(2017, 6, 12))
    assert (codes(r), r.published) == ([], D(2017, 6, 12))
    r = check_document(scanner, txt)
    assert (codes(r), r.published) == (["OUT002"], None)


def test_a_fix_is_rechecked_at_the_date_the_input_was_checked_at(scanner):
    html = parse_text(page('<meta name="PubDate" content="2017-06-12">', "<p>县环保局己经开展检查。</p>"), "a.html", "html")
    r = check_document(scanner, html)
    assert codes(r) == ["TYP001"]
    o = fix_result(scanner, r)
    assert [f.text for f in o.applied] == ["己经"]
    assert codes(o.remaining) == [] and o.remaining.published == D(2017, 6, 12)


def test_the_cli_judges_a_page_at_its_own_date_unless_told_otherwise(tmp_path):
    site = ROOT / "examples" / "site" / "2017-06-环保.html"
    config = tmp_path / "cuomin.toml"
    config.write_text("date = 2023-10-30\n", encoding="utf-8")
    draft = tmp_path / "稿件.txt"
    draft.write_text("县环保局开展检查。\n", encoding="utf-8")

    def run(*args):
        r = CliRunner().invoke(main, ["check", "--config", str(config), "--format", "json", *args, str(site), str(draft)])
        files = json.loads(r.stdout)["files"]
        return [(f["published"], len(f["findings"])) for f in files]

    # the page at its PubDate (the configuration's date does not override it); the draft at the configuration's
    assert run() == [("2017-06-12", 0), ("2023-10-30", 1)]
    # --date judges both at that date
    assert run("--date", "2017-01-01") == [("2017-01-01", 0), ("2017-01-01", 0)]
    assert run("--date", "2024-01-01") == [("2024-01-01", 4), ("2024-01-01", 1)]


def test_the_record_lists_each_files_date(tmp_path):
    site = ROOT / "examples" / "site" / "2017-06-环保.html"
    draft = tmp_path / "稿件.txt"
    draft.write_text("县环保局开展检查。\n", encoding="utf-8")
    rec = tmp_path / "r.md"
    r = CliRunner().invoke(main, ["check", "--isolated", "--record", str(rec), str(site), str(draft)])
    assert r.exit_code == 0
    lines = rec.read_text(encoding="utf-8").splitlines()
    assert "| 发布日期（日期类规则的依据） | 按文件（网页自带的发布日期；见受检文件） |" in lines
    assert any(x.startswith(f"| {site} | 2017-06-12 | `") for x in lines)
    assert any(x.startswith(f"| {draft} | 检查当日 {dt.date.today().isoformat()} | `") for x in lines)
