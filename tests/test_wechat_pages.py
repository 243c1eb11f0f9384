"""WeChat articles saved from mp.weixin.qq.com: the article only, and the account,
title, address and date from the page's script (readers/html.py, supervision/sitepages.py)."""

import datetime as dt
import json

from click.testing import CliRunner

from cuomin.cli import main
from cuomin.readers.html import parse_html, parse_page

# the shape of a saved article page: meta tags, the article between page furniture, and
# the script that holds the account, title, address and time (1695834000 is
# 2023-09-27 17:00 UTC: 2023-09-28 01:00 in China)
PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<meta property="og:title" content="{title}" />
<meta property="og:site_name" content="微信公众平台" />
<title>{title}</title>
</head><body>
<div id="js_top_ad_area"></div>
<div class="rich_media_inner">
<h1 class="rich_media_title" id="activity-name">
{title}
</h1>
<div id="meta_content"><span id="profileBt"><a id="js_name">{nickname}</a></span>
<em id="publish_time"></em></div>
<div class="rich_media_content" id="js_content" style="visibility: hidden;">
<section><p><span style="font-size:15px">{body}</span></p><div><p>来源：县融媒体中心</p></div></section>
</div>
</div>
<div id="js_pc_qr_code"><p>微信扫一扫<br>关注该公众号</p></div>
<div class="interaction_bar">：，。视频小程序赞，轻点两下取消赞在看，轻点两下取消在看分享留言收藏</div>
<script>
var nickname = htmlDecode("{nickname}");
var msg_title = '{title}'.html(false);
var msg_link = "http://mp.weixin.qq.com/s?__biz=MzA5&amp;mid=2247&amp;idx=1&amp;sn=ab#rd";
var ct = "{ct}";
</script>
</body></html>
"""


def page(title="县环保局开展专项检查", body="近日，县环保局对辖区企业己经开展检查。", nickname="清溪发布", ct="1695834000"):
    return PAGE.format(title=title, body=body, nickname=nickname, ct=ct)


def test_only_the_article_is_text_and_its_date_is_the_script_time():
    source = page()
    text, smap, _, published = parse_html(source)
    assert text == "县环保局开展专项检查\n近日，县环保局对辖区企业己经开展检查。\n来源：县融媒体中心\n"
    assert published == dt.date(2023, 9, 28)  # China's date, not UTC's (27th)
    # offsets still point into the file
    start = text.index("己经")
    a, b = smap.source_span(start, start + 2)
    assert source[a:b] == "己经"


def test_the_page_gives_account_title_address_and_type():
    p = parse_page(page())
    assert p.meta["sitename"] == "清溪发布" and p.meta["accounttype"] == "微信公众号"
    assert p.meta["articletitle"] == "县环保局开展专项检查"
    assert p.meta["url"] == "http://mp.weixin.qq.com/s?__biz=MzA5&mid=2247&idx=1&sn=ab#rd"
    assert p.title == "" and p.published == dt.date(2023, 9, 28)
    assert p.lines == ("县环保局开展专项检查", "近日，县环保局对辖区企业己经开展检查。", "来源：县融媒体中心")


def test_script_forms_and_fallbacks():
    # a plain string for the account, \x26 and entities in the title, no msg_title: og:title
    source = page(title="清溪&amp;青山").replace('htmlDecode("清溪发布")', '"清溪发布"')
    p = parse_page(source.replace("var msg_title = '清溪&amp;青山'.html(false);", ""))
    assert (p.meta["sitename"], p.meta["articletitle"]) == ("清溪发布", "清溪&青山")
    p = parse_page(page().replace("var msg_title = '县环保局开展专项检查'", r"var msg_title = '县\x26局'"))
    assert p.meta["articletitle"] == "县&局"
    # a page's own meta tags win over the script; a broken time gives no date
    p = parse_page(page(ct="99999999999999999999").replace("<title>", '<meta name="PubDate" content="2023-10-01"><title>'))
    assert p.published == dt.date(2023, 10, 1)
    assert parse_page(page(ct="99999999999999999999")).published is None


def test_a_page_that_only_mentions_js_content_is_an_ordinary_page():
    text, _, _, published = parse_html("<html><title>说明</title><p>把正文放进 js_content 元素。</p></html>")
    assert text == "说明\n把正文放进 js_content 元素。\n" and published is None
    # another site's element of that id, without WeChat's page around it
    text, _, _, _ = parse_html('<html><title>通知</title><h1>标题</h1><div id="js_content"><p>正文</p></div></html>')
    assert text == "通知\n标题\n正文\n"


def test_check_reports_the_article_only_at_its_own_date(tmp_path):
    (tmp_path / "a.html").write_text(page(), encoding="utf-8")
    # an article of 2017: 县环保局 was still its name
    (tmp_path / "b.html").write_text(page(ct="1497000000"), encoding="utf-8")
    r = CliRunner().invoke(main, ["check", "--format", "json", "--jobs", "1", str(tmp_path)])
    files = {f["path"].rsplit("/", 1)[-1]: f for f in json.loads(r.output)["files"]}
    assert files["a.html"]["published"] == "2023-09-28" and files["b.html"]["published"] == "2017-06-09"
    assert [(f["code"], f["text"]) for f in files["a.html"]["findings"]] == [
        ("OUT002", "环保局"), ("OUT002", "环保局"), ("TYP001", "己经")]
    assert [(f["code"], f["text"]) for f in files["b.html"]["findings"]] == [("TYP001", "己经")]


def test_scan_counts_articles_per_account(tmp_path):
    for i, (nickname, ct, title, body) in enumerate([
        ("清溪发布", "1695834000", "县环保局开展专项检查", "近日，县环保局对辖区企业己经开展检查。"),
        ("清溪发布", "1696866400", "国庆假期安全提示", "假期出行注意安全。"),
        ("清溪教育", "1697000000", "开学第一课", "全县中小学开展开学第一课。"),
    ]):
        (tmp_path / f"{i}.html").write_text(page(title, body, nickname, ct), encoding="utf-8")
    r = CliRunner().invoke(main, ["scan", "--jobs", "1", str(tmp_path)])
    rows = [json.loads(line) for line in r.output.splitlines() if line.startswith("{")]
    assert {(d["account"], d["account_type"], d["title"], d["published_at"], d["code"]) for d in rows} == {
        ("清溪发布", "微信公众号", "县环保局开展专项检查", "2023-09-28", "OUT002"),
        ("清溪发布", "微信公众号", "县环保局开展专项检查", "2023-09-28", "TYP001"),
    }
    r = CliRunner().invoke(main, ["report", "columns", "--as-of", "2023-10-30", str(tmp_path)])
    assert "新媒体账号“清溪教育”（微信公众号）超过14天未更新（最后更新2023-10-11，已19天），单项否决" in r.output
