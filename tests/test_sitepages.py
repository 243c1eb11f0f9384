"""Web pages saved from a government website, read as posts (supervision/sitepages.py)."""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from cuomin.readers.html import parse_page
from cuomin.supervision.posts import PostReader
from cuomin.supervision.sitepages import BOILERPLATE_PAGES

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "examples" / "site"

PAGE = """<html><head><meta charset="utf-8">{meta}<title>{title}_清溪县人民政府</title></head>
<body><ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li></ul>
<h1>{title}</h1>
<div class="TRS_Editor">{body}</div>
<div class="footer"><p>主办：清溪县人民政府办公室　承办：县环保局信息中心</p></div>
</body></html>"""


def page(title, body, *, column="工作动态", date="2023-09-12 10:00", url=None, site="清溪县人民政府", extra=""):
    meta = "".join(f'<meta name="{k}" content="{v}">' for k, v in [
        ("SiteName", site), ("ColumnName", column), ("ArticleTitle", title), ("PubDate", date),
        ("Url", url or f"http://www.qingxi.gov.cn/{title}.html")] if v is not None) + extra
    return PAGE.format(meta=meta, title=title, body=body)


def write_site(root: Path, pages: dict) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, html in pages.items():
        data = html if isinstance(html, bytes) else html.encode("utf-8")
        (root / name).write_bytes(data)
    return root


def read(root, **kw):
    problems = []
    reader = PostReader([root], on_problem=problems.append, **kw)
    return list(reader), problems


def test_a_page_read_as_an_article():
    p = parse_page(page("县政府召开常务会议", "<p>会议研究了秋粮收购等事项。</p>"))
    assert p.meta["sitename"] == "清溪县人民政府" and p.meta["articletitle"] == "县政府召开常务会议"
    assert p.title == "县政府召开常务会议_清溪县人民政府"
    assert p.published == dt.date(2023, 9, 12)
    assert p.lines == ("首页", "政务公开", "县政府召开常务会议", "会议研究了秋粮收购等事项。",
                       "主办：清溪县人民政府办公室　承办：县环保局信息中心")


def test_each_article_is_a_post_and_the_template_is_one_post_of_its_own(tmp_path):
    root = write_site(tmp_path / "site", {
        f"a{i}.html": page(f"标题{i}", f"<p>第{i}篇正文。</p><p>责任编辑：王某</p>", date=f"2023-09-1{i} 10:00")
        for i in range(1, 5)
    })
    posts, problems = read(root)
    assert problems == []
    articles, common = posts[:4], posts[4]
    assert [(p.id, p.title, p.text, p.published_at) for p in articles] == [
        (f"http://www.qingxi.gov.cn/标题{i}.html", f"标题{i}", f"第{i}篇正文。", dt.date(2023, 9, 10 + i))
        for i in range(1, 5)
    ]
    p = articles[0]
    assert (p.account, p.account_type, p.column, p.unit, p.url, p.file, p.row) == (
        "清溪县人民政府", "政府网站", "工作动态", "清溪县人民政府", "http://www.qingxi.gov.cn/标题1.html",
        str(root / "a1.html"), 1)
    # the lines on three pages or more (nav, footer, the editor line) are checked once
    assert (common.id, common.account, common.title, common.text, common.published_at) == (
        "清溪县人民政府#页面公共部分", "清溪县人民政府", "页面公共部分（导航、页眉、页脚等，出现在3个及以上页面）",
        "首页\n政务公开\n责任编辑：王某\n主办：清溪县人民政府办公室　承办：县环保局信息中心", None)


def test_a_line_on_fewer_pages_stays_in_them(tmp_path):
    assert BOILERPLATE_PAGES == 3
    root = write_site(tmp_path / "site", {
        "a.html": page("甲", "<p>共同的一段话。</p><p>甲文。</p>"),
        "b.html": page("乙", "<p>共同的一段话。</p><p>乙文。</p>"),
    })
    posts, _ = read(root)
    # two pages: nothing is on three, so nav and footer stay too, and there is no common part
    footer = "主办：清溪县人民政府办公室　承办：县环保局信息中心"
    assert [p.text for p in posts] == [f"首页\n政务公开\n{t}\n共同的一段话。\n{t}文。\n{footer}" for t in "甲乙"]


def test_list_pages_and_pages_without_tags(tmp_path):
    listing = page("工作动态", '<p><a href="a.html">县政府召开常务会议</a></p>').replace(
        '<meta name="ArticleTitle" content="工作动态">', "")
    bare = "<html><head><title>关于秋粮收购的通知</title></head><body><p>请各乡镇做好秋粮收购工作。</p></body></html>"
    root = write_site(tmp_path / "县农业农村局", {"index.html": listing, "notice.htm": bare})
    posts, problems = read(root)
    assert problems == []
    (p,) = posts  # the list page is no post
    assert (p.id, p.account, p.title, p.text, p.published_at, p.column) == (
        str(root / "notice.htm"), "县农业农村局", "关于秋粮收购的通知", "请各乡镇做好秋粮收购工作。", None, "")


def test_bad_pages_are_reported_and_the_rest_are_read(tmp_path):
    root = write_site(tmp_path / "site", {
        "a.html": page("甲", "<p>甲文。</p>"),
        "empty.html": b"  \n",
        "gbk.html": page("乙", "<p>乙文在国标码里。</p>").encode("gbk"),
        "binary.html": bytes(range(256)) * 4,
    })
    posts, problems = read(root)
    assert sorted(p.title for p in posts) == ["乙", "甲"]
    assert [(Path(p.file).name, p.row, p.reason) for p in problems] == [
        ("binary.html", 0, "binary file (contains NUL bytes), not text"), ("empty.html", 0, "empty file")]


def test_other_records_do_not_read_pages(tmp_path):
    from cuomin.supervision.guides import guide_columns, load_guide_config

    root = write_site(tmp_path / "guides", {"a.html": page("甲", "<p>甲文。</p>")})
    problems = []
    reader = PostReader([root], require_text=False, columns=guide_columns(load_guide_config()), on_problem=problems.append)
    assert list(reader.rows()) == []
    assert [p.reason for p in problems][0].startswith("no files of posts in this directory")
    # a page given by name is not a file of such records either
    reader = PostReader([root / "a.html"], require_text=False, columns=guide_columns(load_guide_config()))
    assert list(reader.rows()) == []
    assert [p.reason for p in reader.problems] == ["unknown file type .html; expected .jsonl, .json, .csv, .xlsx or .xls"]


def test_a_column_report_reads_the_articles_not_the_template(tmp_path):
    root = write_site(tmp_path / "site", {f"a{i}.html": page(f"标题{i}", f"<p>第{i}篇。</p>") for i in range(1, 5)})
    posts, _ = read(root, require_text=False)
    assert [p.title for p in posts] == ["标题1", "标题2", "标题3", "标题4"]


def test_a_columns_list_page_declares_it_and_an_empty_one_is_blank(tmp_path):
    def listing(column):
        return page(column, "<p>暂无信息</p>", column=column).replace(f'<meta name="ArticleTitle" content="{column}">', "")

    root = write_site(tmp_path / "site", {
        "zcwj.html": listing("政策文件"),  # no article: blank
        "gzdt.html": listing("工作动态"),
        "a1.html": page("县政府召开常务会议", "<p>会议研究了秋粮收购。</p>", date="2023-09-20"),
    })
    posts, problems = read(root, require_text=False)
    assert problems == []
    assert sorted((p.column, p.title, p.published_at) for p in posts) == [
        ("工作动态", "", None), ("工作动态", "县政府召开常务会议", dt.date(2023, 9, 20)), ("政策文件", "", None)]
    r = run("report", "columns", "--as-of", "2023-09-28", str(root))
    assert "| 清溪县人民政府 | 政策文件栏目为空白栏目 | 不合格 |" in r.stdout
    assert "工作动态栏目" not in r.stdout
    # a scan reads no declarations: the list pages are no posts
    posts, problems = read(root)
    assert [p.title for p in posts] == ["县政府召开常务会议", "页面公共部分（导航、页眉、页脚等，出现在3个及以上页面）"]
    assert problems == []


def run(*args):
    return subprocess.run([sys.executable, "-m", "cuomin", *args], capture_output=True, text=True, cwd=ROOT)


def test_scan_a_mirrored_site():
    r = run("scan", "--isolated", "--format", "jsonl", "examples/site")
    assert r.returncode == 1, r.stderr
    found = [json.loads(line) for line in r.stdout.splitlines()]
    assert [(f["id"], f["code"], f["text"], f["severity"]) for f in found] == [
        ("http://www.qingxi.gov.cn/xwzx/gzdt/202308/t20230815_1001.html", "TYP001", "布署", "error"),
        ("http://www.qingxi.gov.cn/xwzx/gzdt/202309/t20230912_1017.html", "POL009", "国务院总理李克强", "warning"),
        ("http://www.qingxi.gov.cn/zwgk/tzgg/202309/t20230920_1023.html", "PRI002", "13812345678", "error"),
        ("清溪县人民政府#页面公共部分", "OUT002", "环保局", "warning"),
        ("http://www.qingxi.gov.cn/zwgk/tzgg/202309/P020230920.doc", "OUT002", "安监局", "warning"),  # 附件
    ]
    assert r.stderr.strip() == "扫描 6 篇，发现 5 处问题（错误 2，警告 3，提示 0）。"
    # the same with a worker process
    r2 = run("scan", "--isolated", "--format", "jsonl", "--jobs", "2", "examples/site")
    assert r2.stdout == r.stdout


def test_report_columns_from_a_mirrored_site():
    r = run("report", "columns", "examples/site", "--as-of", "2023-09-28", "--format", "csv", "--detail")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.lstrip("\ufeff").splitlines()
    assert "清溪县人民政府,工作动态,2,2023-09-12,16,工作动态栏目未及时更新（最后更新2023-09-12，已16天未更新，应不超过14天）" in lines
    assert "清溪县人民政府,通知公告,1,2023-09-20,8," in lines


def test_a_mirror_without_tags_is_one_site_under_its_host_folder(tmp_path):
    bare = ("<html><head><title>{0}</title></head><body><ul><li>首页</li><li>政务公开</li></ul>"
            "<p>{0}的正文。</p><p>主办：清溪县人民政府</p></body></html>")
    root = tmp_path / "www.qingxi.gov.cn"
    for i, month in enumerate(["202307", "202308", "202309"]):
        write_site(root / "xwzx" / month, {f"t{i}.html": bare.format(f"通知{i}")})
    posts, problems = read(tmp_path)
    assert problems == []
    # one site (the host folder), so the menu and footer on all three pages are its template
    assert [(p.account, p.title, p.text) for p in posts] == [
        ("www.qingxi.gov.cn", f"通知{i}", f"通知{i}的正文。") for i in range(3)
    ] + [("www.qingxi.gov.cn", "页面公共部分（导航、页眉、页脚等，出现在3个及以上页面）", "首页\n政务公开\n主办：清溪县人民政府")]


def _site_with_every_kind_of_page(root: Path) -> Path:
    listing = page("工作动态", '<p><a href="a.html">标题1</a></p>').replace('<meta name="ArticleTitle" content="工作动态">', "")
    pages = {f"a{i}.html": page(f"标题{i}", f"<p>第{i}篇正文，布署工作。</p><p>责任编辑：王某</p>") for i in range(1, 40)}
    pages.update({"index.html": listing, "only-template.html": page("模板", "<p>责任编辑：王某</p>"),
                  "empty.html": b"", "gbk.html": page("乙", "<p>乙文在国标码里。</p>").encode("gbk")})
    return write_site(root, pages)


def _posts_and_problems(root, **kw):
    posts, problems = read(root, **kw)
    return [(p.id, p.title, p.text, p.published_at) for p in posts], [(Path(p.file).name, p.row, p.reason) for p in problems]


def test_pages_not_kept_from_the_survey_are_read_again_to_the_same_posts(tmp_path, monkeypatch):
    from cuomin.supervision import sitepages

    root = _site_with_every_kind_of_page(tmp_path / "site")
    kept = _posts_and_problems(root)
    reads = []
    read_page = sitepages.read_page
    monkeypatch.setattr(sitepages, "read_page", lambda path, enc=None: reads.append(path.name) or read_page(path, enc))
    assert _posts_and_problems(root) == kept
    assert sorted(reads) == sorted(p.name for p in root.iterdir())  # each page once: the survey kept them
    reads.clear()
    monkeypatch.setattr(sitepages, "KEEP_CHARS", 0)
    assert _posts_and_problems(root) == kept
    # each readable page twice (the survey, then its post); a page the survey could not read, once
    assert {n: reads.count(n) for n in set(reads)} == {
        p.name: 1 if p.name == "empty.html" else 2 for p in root.iterdir()}
    posts, problems = kept
    assert len(posts) == 41 and posts[-1][0] == "清溪县人民政府#页面公共部分"  # 39 articles, 乙, the template
    assert not [p for p in posts if p[1] in ("模板", "工作动态")]  # nothing of its own; a list page
    assert problems == [("empty.html", 0, "empty file")]


def test_a_page_spoilt_after_the_survey_is_reported_and_the_rest_are_read(tmp_path, monkeypatch):
    from cuomin.supervision import sitepages

    monkeypatch.setattr(sitepages, "KEEP_CHARS", 0)
    root = write_site(tmp_path / "site", {f"a{i}.html": page(f"标题{i}", f"<p>第{i}篇。</p>") for i in range(1, 5)})
    problems = []
    reader = PostReader([root], on_problem=problems.append)
    reader.survey_pages()
    (root / "a2.html").write_bytes(b"\0" * 10)  # (its post is made from the file as it is now)
    assert [p.title for p in reader] == ["标题1", "标题3", "标题4", "页面公共部分（导航、页眉、页脚等，出现在3个及以上页面）"]
    assert [(Path(p.file).name, p.row, p.reason) for p in problems] == [
        ("a2.html", 0, "binary file (contains NUL bytes), not text")]
    assert (reader.unreadable_files, reader.skipped_rows, reader.rows_read) == (1, 0, 4)


def test_the_survey_is_handed_out_in_chunks_of_pages(tmp_path):
    from cuomin.supervision.sitepages import SURVEY_CHUNK

    root = _site_with_every_kind_of_page(tmp_path / "site")
    calls = []

    def map_chunks(function, chunks):
        calls.append([len(c) for c in chunks])
        return map(function, chunks)

    reader = PostReader([root])
    reader.survey_pages(map_chunks)
    list(reader)
    assert calls == [[SURVEY_CHUNK] * 2 + [43 - 2 * SURVEY_CHUNK]]  # once, not again when the pages are read


@pytest.mark.parametrize("keep", [True, False])
def test_a_site_scanned_with_workers_gives_what_one_process_gives(tmp_path, monkeypatch, keep, scanner):
    from cuomin.supervision import sitepages
    from cuomin.supervision.batch import scan_reader

    if not keep:
        monkeypatch.setattr(sitepages, "KEEP_CHARS", 0)  # (forked workers inherit it)
    root = _site_with_every_kind_of_page(tmp_path / "site")

    def scan(jobs):
        problems = []
        reader = PostReader([root], on_problem=problems.append)
        results = [(r.post.id, [(f.field, f.finding.code, f.finding.start) for f in r.findings])
                   for r in scan_reader(scanner, reader, jobs=jobs, chunksize=4)]
        return results, [(Path(p.file).name, p.row) for p in problems], reader.rows_read

    one = scan(1)
    assert scan(2) == one
    results, problems, rows = one
    assert rows == 41 and problems == [("empty.html", 0)]
    assert sum(code == "TYP001" for _, found in results for _, code, _ in found) == 39


def test_report_columns_shares_out_the_pages_and_gives_the_same_report(tmp_path):
    root = _site_with_every_kind_of_page(tmp_path / "site")
    one = run("report", "columns", str(root), "--as-of", "2023-09-28", "--format", "json", "--jobs", "1")
    two = run("report", "columns", str(root), "--as-of", "2023-09-28", "--format", "json", "--jobs", "2")
    assert one.returncode == two.returncode == 2  # the empty page
    assert one.stdout == two.stdout and one.stderr == two.stderr
    columns = json.loads(one.stdout)["columns"]
    # 39 articles and 乙; not the list page, nor the page with nothing of its own
    assert [(c["unit"], c["column"], c["total_items"]) for c in columns] == [("清溪县人民政府", "工作动态", 40)]


def test_a_page_named_twice_is_surveyed_once_and_read_twice(tmp_path):
    root = write_site(tmp_path / "site", {f"a{i}.html": page(f"标题{i}", f"<p>第{i}篇。</p>") for i in range(1, 3)}
                      | {"empty.html": b""})
    a1, empty = root / "a1.html", root / "empty.html"
    problems = []
    posts = list(PostReader([empty, a1, root / "a2.html", empty, a1], on_problem=problems.append))
    # two pages, so no line is the site's: a page named twice does not make its lines a template
    assert [p.title for p in posts] == ["标题1", "标题2", "标题1"] and "首页" in posts[0].text
    assert [(Path(p.file).name, p.reason) for p in problems] == [("empty.html", "empty file")] * 2


# ------------------------------------------------------------------ attachments (附件)
def _site_with_attachments(tmp_path) -> Path:
    from .docfile import word_document
    from .pdffile import IMAGE, IMAGE_PAGE, chinese_pdf, page_pdf, stream

    root = tmp_path / "www.qingxi.gov.cn"
    body = ('<p>现将有关事项通知如下。</p><p>附件：<a href="P020230915.pdf">1.防汛工作方案</a></p>'
            '<p><a href="/zwgk/files/名单.doc">2.人员名单</a> <a href="http://www.qingxi.gov.cn/zwgk/files/扫描.pdf">3.</a>'
            '<a href="缺失.pdf">4.不在镜像里</a> <a href="https://other.gov.cn/a.pdf">5.别的网站</a>'
            '<a href="http://files.qingxi.gov.cn/f/%E8%AF%B4%E6%98%8E.docx">6.说明</a>'
            '<a href="../../../../outside.pdf">7.镜像之外</a><a href="名单.xlsx">8.公示名单</a></p>')
    pages = {
        "zwgk/tzgg/t1.html": page("关于做好防汛工作的通知", body, column="通知公告", date="2023-09-15 09:00",
                                  url="http://www.qingxi.gov.cn/zwgk/tzgg/t1.html"),
        # a second page linking the same file: it stays the first page's
        "zwgk/gzdt/t2.html": page("防汛工作部署会召开", '<p>会议部署防汛。<a href="../tzgg/P020230915.pdf">方案</a></p>',
                                  date="2023-09-16 09:00"),
        "zwgk/gzdt/t3.html": page("第三篇", "<p>正文。</p>"),
    }
    for name, html in pages.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(html, encoding="utf-8")
    text = "防汛工作方案\n各乡镇要加强中华人名共和国防汛法的学习，落实责任。"
    (root / "zwgk/tzgg/P020230915.pdf").write_bytes(chinese_pdf([text]))
    (root / "zwgk/files").mkdir(parents=True)
    (root / "zwgk/files/名单.doc").write_bytes(word_document([("人员名单\r联系人：王某，电话13812345678\r", False)]))
    (root / "zwgk/files/扫描.pdf").write_bytes(page_pdf(IMAGE_PAGE, b"<< /XObject << /Im1 5 0 R >> >>",
                                                        stream(b"\x00\xff\xff\x00", IMAGE)))
    (root / "zwgk/files/没人链接.doc").write_bytes(word_document([("中华人名共和国\r", False)]))
    (tmp_path.parent / "outside.pdf").write_bytes(chinese_pdf(["镜像之外的文件"]))  # never read
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "身份证号"])
    wb.active.append(["张某", "11010519491231002X"])
    wb.save(root / "zwgk/tzgg/名单.xlsx")
    import docx

    other = tmp_path / "files.qingxi.gov.cn" / "f"  # another host the mirror saved, beside the site
    other.mkdir(parents=True)
    d = docx.Document()
    d.add_paragraph("说明：本方案由县安监局负责解释。")
    d.save(other / "说明.docx")
    return root


def test_documents_an_article_attaches_are_posts_of_that_article(tmp_path):
    root = _site_with_attachments(tmp_path)
    posts, problems = read(root)
    attached = [p for p in posts if p.title.startswith("附件：")]
    assert [(p.title, p.column, p.published_at, p.url, p.account) for p in attached] == [
        ("附件：1.防汛工作方案", "通知公告", dt.date(2023, 9, 15), "http://www.qingxi.gov.cn/zwgk/tzgg/P020230915.pdf",
         "清溪县人民政府"),
        ("附件：2.人员名单", "通知公告", dt.date(2023, 9, 15), "http://www.qingxi.gov.cn/zwgk/files/名单.doc", "清溪县人民政府"),
        ("附件：6.说明", "通知公告", dt.date(2023, 9, 15), "http://files.qingxi.gov.cn/f/%E8%AF%B4%E6%98%8E.docx",
         "清溪县人民政府"),
        ("附件：8.公示名单", "通知公告", dt.date(2023, 9, 15), "http://www.qingxi.gov.cn/zwgk/tzgg/名单.xlsx", "清溪县人民政府"),
    ]
    assert "中华人名共和国防汛法" in attached[0].text and "13812345678" in attached[1].text
    # a scan cannot be read: reported, the rest read; one no page links to is not read
    assert [(Path(p.file).name, p.row, p.reason) for p in problems] == [
        ("扫描.pdf", 0, "a PDF without text (a scan?): check the text it was made from")]
    # a column report counts articles, not their attachments
    columns, _ = read(root, require_text=False)
    assert not [p for p in columns if p.title.startswith("附件")]


def test_attachments_are_scanned_alike_with_workers(tmp_path, scanner):
    from cuomin.supervision.batch import scan_reader

    root = _site_with_attachments(tmp_path)

    def scan(jobs):
        reader = PostReader([root], on_problem=lambda p: None)
        return [(r.post.title, [f.finding.code for f in r.findings]) for r in scan_reader(scanner, reader, jobs=jobs, chunksize=1)]

    one = scan(1)
    assert scan(2) == one
    assert ("附件：1.防汛工作方案", ["POL001"]) in one and ("附件：2.人员名单", ["PRI002"]) in one
    assert ("附件：8.公示名单", ["PRI001"]) in one  # a list with an ID number unmasked


def test_tables_inside_a_mirrored_site_are_its_own_files_not_exports(tmp_path):
    from cuomin.supervision.posts import expand_paths

    quarter = tmp_path / "2023Q3"
    site = write_site(quarter / "www.qingxi.gov.cn", {"index.html": page("首页", "<p>正文。</p>")})
    (site / "js").mkdir()
    (site / "js" / "config.json").write_text('{"menu": []}', encoding="utf-8")
    (site / "upload").mkdir()
    (site / "upload" / "名单.xlsx").write_bytes(b"PK\x03\x04")
    (site / "gzdt").mkdir()
    (site / "gzdt" / "a.html").write_text(page("第一篇", "<p>正文。</p>"), encoding="utf-8")
    (quarter / "新媒体导出.jsonl").write_text('{"id": "1", "text": "正文"}\n', encoding="utf-8")
    got = [f.relative_to(quarter).as_posix() for f in expand_paths([quarter], suffixes=(".jsonl", ".json", ".xlsx", ".html"))]
    # the exports beside the site are read; the site's own data files are not
    assert got == ["www.qingxi.gov.cn/gzdt/a.html", "www.qingxi.gov.cn/index.html", "新媒体导出.jsonl"]
