"""Reading posts: JSONL, CSV, XLSX; English and Chinese headers; malformed rows
reported with file and row, skipped and counted; dates in the forms exports use."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import pickle
import re
import zipfile
from pathlib import Path

import pytest

from cuomin import Scanner
from cuomin.supervision.batch import scan_reader
from cuomin.supervision import posts as posts_module
from cuomin.supervision.posts import CsvBlock, FileBlock, LineBlock, Post, PostReader, RowError, parse_date


def _jsonl(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_english_and_chinese_keys(tmp_path):
    path = _jsonl(tmp_path / "p.jsonl", [
        json.dumps({"id": 1, "account": "清溪发布", "text": "正文一", "published_at": "2023-09-28"}, ensure_ascii=False),
        json.dumps({"编号": "b", "账号名称": "清溪教育", "开设主体": "县教育局", "账号类型": "微信订阅号",
                    "标题": "标题二", "正文": "正文二", "发布时间": "2023年9月1日 10:30", "栏目": "工作动态",
                    "单位": "县教育局", "链接": "https://example.gov.cn/2"}, ensure_ascii=False),
    ])
    posts = list(PostReader([path]))
    assert [(p.id, p.account, p.text, p.published_at, p.row) for p in posts] == [
        ("1", "清溪发布", "正文一", dt.date(2023, 9, 28), 1),
        ("b", "清溪教育", "正文二", dt.date(2023, 9, 1), 2),
    ]
    assert (posts[1].owner, posts[1].account_type, posts[1].title, posts[1].column, posts[1].unit, posts[1].url) == (
        "县教育局", "微信订阅号", "标题二", "工作动态", "县教育局", "https://example.gov.cn/2")


def test_malformed_rows_reported_skipped_counted(tmp_path):
    path = _jsonl(tmp_path / "p.jsonl", [
        '{"id": "1", "text": "好的"}',
        '{"id": "2", "text": "坏的"',
        '{"id": "3", "title": "没有正文"}',
        '{"id": "4", "text": "日期不对", "published_at": "2023-09-31"}',
        '[1, 2]',
        '',
        '{"id": "5", "text": "也好"}',
    ])
    seen = []
    reader = PostReader([path], on_problem=seen.append)
    assert [p.id for p in reader] == ["1", "5"]
    assert reader.skipped_rows == 4 and reader.rows_read == 2 and reader.unreadable_files == 0
    assert [str(p) for p in seen] == [
        f"{path}:2: bad JSON (Expecting ',' delimiter at column 25); row skipped",
        f"{path}:3: missing text (正文/内容); row skipped",
        f"{path}:4: published_at '2023-09-31' is not a date (expected e.g. 2023-09-28 or 2023年9月28日); row skipped",
        f"{path}:5: not a JSON object; row skipped",
    ]


def test_half_an_emoji_in_json_is_replaced_and_the_post_still_scanned(tmp_path):
    # exporters that cut a title or text inside an emoji write half of its surrogate
    # pair as an escape; json.loads gives a lone surrogate, which no UTF-8 matcher or
    # output file takes
    path = _jsonl(tmp_path / "p.jsonl", [
        '{"id": "1", "title": "\\u901a\\u77e5\\ud83d", "text": "\\u7cbe\\u5fc3\\u5e03\\u7f72\\udc80"}',
        '{"id": "2", "text": "emoji \\ud83d\\ude00 whole", "account": "a\\\\udc80"}',
        json.dumps({"id": "3", "text": "精心布署"}, ensure_ascii=False),
    ])
    for jobs in (1, 2):
        reader = PostReader([path])
        results = list(scan_reader(Scanner(), reader, jobs=jobs, keep_text=True))
        assert [(r.post.id, r.post.title, r.post.text, r.post.account) for r in results] == [
            ("1", "通知\ufffd", "精心布署\ufffd", ""),
            ("2", "", "emoji \U0001F600 whole", "a\\udc80"),  # a whole pair; an escaped backslash
            ("3", "", "精心布署", ""),
        ]
        assert [[(f.finding.code, f.finding.start) for f in r.findings] for r in results] == [
            [("TYP001", 2)], [], [("TYP001", 2)]]
        assert reader.skipped_rows == 0


def test_a_row_nested_too_deeply_is_one_bad_row(tmp_path):
    # json.loads raises RecursionError, not a JSONDecodeError, on deep nesting
    deep = '{"id": "2", "text": ' + "[" * 100_000 + "]" * 100_000 + "}"
    path = _jsonl(tmp_path / "p.jsonl", ['{"id": "1", "text": "精心布署"}', deep, '{"id": "3", "text": "精心布署"}'])
    for jobs in (1, 2):
        reader = PostReader([path])
        assert [r.post.id for r in scan_reader(Scanner(), reader, jobs=jobs)] == ["1", "3"]
        assert [(p.row, p.reason) for p in reader.problems] == [(2, "bad JSON (nested too deeply)")]


def test_a_csv_field_longer_than_the_csv_modules_default_limit(tmp_path):
    # 131,072 characters by default: a long article with its markup ended its file
    long_text = "精心布署。" + "这是一段很长的正文。" * 20_000
    path = tmp_path / "p.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerows([["id", "text"], ["1", "正文一"], ["2", long_text], ["3", "正文三"]])
    reader = PostReader([path])
    assert [(p.id, len(p.text)) for p in reader] == [("1", 3), ("2", len(long_text)), ("3", 3)]
    assert reader.skipped_rows == 0 and reader.unreadable_files == 0


def test_an_unclosed_quote_in_a_csv_is_reported_not_read_into_one_field(tmp_path):
    # the csv module reads the rest of the file into the open field, silently
    path = tmp_path / "p.csv"
    path.write_text('id,text\n1,正文一\n2,"没有结束的引号\n3,正文三\n4,正文四\n', encoding="utf-8")
    reader = PostReader([path])
    assert [p.id for p in reader] == ["1"]
    assert reader.unreadable_files == 1
    assert [str(p) for p in reader.problems] == [
        f"{path}: a quote (\") opened in row 3 (line 3) is never closed: lines 3–5 cannot be read as rows; "
        "rest of file skipped"]


@pytest.mark.parametrize("last", ["4,最后一行", '4,"最后\n一行"', '4,他说"好', '4,"最后\n一行"\n', '4,他说"好,"最后\n一行"'])
def test_quotes_that_csv_exports_use_are_read(tmp_path, last):
    # a quoted field over lines, doubled quotes, a stray quote in an unquoted field,
    # a last line without a line end: none of them is an unclosed quote
    path = tmp_path / "p.csv"
    path.write_text(f'id,text\n1,"正文一\n第二行"\n2,"他说""好"""\n3,他说"好"\n{last}', encoding="utf-8")
    reader = PostReader([path])
    assert [(p.id, p.text) for p in reader] == [
        ("1", "正文一\n第二行"), ("2", '他说"好"'), ("3", '他说"好"'),
        ("4", "最后一行" if "最后一行" in last else "最后\n一行" if last.startswith('4,"') else '他说"好')]
    assert reader.problems == []


@pytest.mark.parametrize("end", ["", "\n"])
@pytest.mark.parametrize("stray", ['他说"好', '他说"好"了"吗'])
def test_stray_quotes_before_a_last_row_over_lines_are_not_an_unclosed_quote(tmp_path, stray, end):
    # an odd number of stray quotes in unquoted fields, then a legitimate quoted field
    # over lines in the last row: the file's quote count is odd, yet nothing is unclosed
    path = tmp_path / "p.csv"
    path.write_text(f'id,text\n1,{stray}\n2,"正文\n第二行"{end}', encoding="utf-8")
    reader = PostReader([path])
    assert [(p.id, p.text) for p in reader] == [("1", stray), ("2", "正文\n第二行")]
    assert reader.problems == []


@pytest.mark.parametrize("row", ['4,他说"好,"没有结束\n的引号\n', '4,"a"b,"没有结束\n的引号\n', '4,"没有结束""\n的引号'])
def test_an_unclosed_quote_after_stray_or_doubled_quotes_is_still_reported(tmp_path, row):
    path = tmp_path / "p.csv"
    path.write_text(f'id,text\n1,正文一\n{row}', encoding="utf-8")
    reader = PostReader([path])
    assert [p.id for p in reader] == ["1"]
    assert reader.unreadable_files == 1
    assert "is never closed" in str(reader.problems[0])


def test_csv_chinese_headers_gbk(tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes("账号名称,标题,内容,发布日期\n清溪发布,通知,精心布署,2023/9/5\n清溪发布,空,,2023/9/6\n".encode("gbk"))
    reader = PostReader([path])
    posts = list(reader)
    assert [(p.account, p.text, p.published_at, p.row) for p in posts] == [("清溪发布", "精心布署", dt.date(2023, 9, 5), 2)]
    assert reader.problems[0].row == 3 and reader.skipped_rows == 1
    # no id and no url: an id derived from account, title and date, stable across reads
    assert posts[0].id == list(PostReader([path]))[0].id and posts[0].id.startswith("h")


def test_csv_without_text_column_is_a_file_problem(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("账号名称,标题\n清溪发布,通知\n", encoding="utf-8")
    reader = PostReader([path])
    assert list(reader) == []
    assert reader.unreadable_files == 1 and "no text column" in str(reader.problems[0])


def test_xlsx(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "账号名称", "账号类型", "标题", "正文", "发布时间"])
    ws.append([1, "健康清溪", "新浪微博", "提示", "天燃气安全", dt.datetime(2023, 9, 1, 8, 30)])
    ws.append([2, "健康清溪", "新浪微博", "提示", "坏日期", "昨天"])
    ws.append([3, "健康清溪", "新浪微博", "提示", "Excel 日期序号", 45200])
    path = tmp_path / "p.xlsx"
    wb.save(path)
    reader = PostReader([path])
    posts = list(reader)
    assert [(p.id, p.published_at, p.row) for p in posts] == [("1", dt.date(2023, 9, 1), 2),
                                                              ("3", dt.date(2023, 10, 1), 4)]
    assert reader.skipped_rows == 1 and reader.problems[0].row == 3


def test_xlsx_url_cells_that_are_hyperlinks_give_their_address(tmp_path):
    """An export shows 原文链接 and links it: the post's url is the link's address. The
    table may start anywhere on the sheet; a range of cells may share one link."""
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    for col, header in zip("BCD", ["编号", "正文", "原文链接"]):
        ws[f"{col}3"] = header
    for row, (pid, url) in enumerate([("1", None), ("2", "https://x.gov.cn/p?a=1&b=2"), ("3", None)], 4):
        ws[f"B{row}"], ws[f"C{row}"], ws[f"D{row}"] = pid, "正文", "原文链接"
        if url:
            ws[f"D{row}"].hyperlink = url
    ws["C4"].hyperlink = "https://x.gov.cn/not-the-url"  # a link on another column changes nothing
    wb.save(tmp_path / "p.xlsx")
    assert [(p.row, p.id, p.url) for p in PostReader([tmp_path / "p.xlsx"])] == [
        (4, "1", "原文链接"), (5, "2", "https://x.gov.cn/p?a=1&b=2"), (6, "3", "原文链接")]
    # a link over a range of cells, as Excel writes when one link is given to several
    path = tmp_path / "range.xlsx"
    with zipfile.ZipFile(tmp_path / "p.xlsx") as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = re.sub(r'ref="D5"', 'ref="D4:D6"', sheet)
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    assert [p.url for p in PostReader([path])] == ["https://x.gov.cn/p?a=1&b=2"] * 3
    assert posts_module.sheet_links(tmp_path / "none.xlsx") == {}  # unreadable: no links, no error


def _rewrite_sheet(path: Path, edit) -> None:
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/worksheets/sheet1.xml"] = edit(parts["xl/worksheets/sheet1.xml"].decode()).encode()
    with zipfile.ZipFile(path, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)


def test_xlsx_url_cells_that_are_hyperlink_formulas_give_their_address(tmp_path, monkeypatch):
    """Generated exports write links as formulas: =HYPERLINK("https://…", "原文链接")."""
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["编号", "正文", "原文链接"])
    ws.append(["1", "正文", '=HYPERLINK("https://x.gov.cn/p?a=1&b=2","原文链接")'])
    ws.append(["2", "正文", '=hyperlink("https://x.gov.cn/""q""")'])  # lower case; a quote doubled
    ws.append(["3", "正文", "=HYPERLINK(A3)"])  # a cell's reference: not followed
    ws.append(["4", "正文", "https://x.gov.cn/4"])  # an address as the cell's value: kept
    ws.append(["5", "正文", None])
    path = tmp_path / "p.xlsx"
    wb.save(path)  # (openpyxl writes formulas without their values: the cells read empty)
    assert [(p.id, p.url) for p in PostReader([path])] == [
        ("1", "https://x.gov.cn/p?a=1&b=2"), ("2", 'https://x.gov.cn/"q"'), ("3", ""),
        ("4", "https://x.gov.cn/4"), ("5", "")]
    # saved by Excel or WPS, a formula's cell holds its value too: the text shown
    _rewrite_sheet(path, lambda xml: xml.replace("<v></v>", '<v>原文链接</v>').replace('<c r="C2"', '<c r="C2" t="str"'))
    assert [p.url for p in PostReader([path])][:2] == ["https://x.gov.cn/p?a=1&b=2", 'https://x.gov.cn/"q"']
    # a sheet too large to read again for an empty cell is not; one that shows link text is
    monkeypatch.setattr(posts_module, "FORMULA_SCAN_BYTES", 10)
    assert [p.url for p in PostReader([path])][:2] == ["https://x.gov.cn/p?a=1&b=2", 'https://x.gov.cn/"q"']
    wb.save(path)
    assert [p.url for p in PostReader([path])][:2] == ["", ""]
    assert posts_module.sheet_formula_links(tmp_path / "none.xlsx") == {}  # unreadable: no links, no error


def _workbooks(tmp_path, n: int) -> list[Path]:
    openpyxl = pytest.importorskip("openpyxl")
    paths = []
    for k in range(n):
        wb = openpyxl.Workbook()
        wb.active.append(["编号", "正文"])
        for i in range(3):
            wb.active.append([f"{k}-{i}", f"第{k}个文件第{i}篇"])
        wb.active.append([f"{k}-bad", None])
        paths.append(tmp_path / f"w{k}.xlsx")
        wb.save(paths[-1])
    return paths


def test_the_next_workbook_is_read_ahead_in_a_thread(tmp_path, monkeypatch):
    """While one file's rows are used the next workbook is read in a thread (calamine
    lets go of the GIL): the same rows, row numbers and problems, in the same order."""
    w0, w1, w2 = _workbooks(tmp_path, 3)
    html = tmp_path / "page.xlsx"
    html.write_bytes(b"<html><table></table></html>")
    good = _jsonl(tmp_path / "good.jsonl", ['{"id": "j", "text": "好"}'])
    paths = [w0, html, tmp_path / "missing.xlsx", w1, good, w2]
    started = []
    real = posts_module._SheetAhead.__init__
    monkeypatch.setattr(posts_module._SheetAhead, "__init__", lambda self, path: (started.append(path.name), real(self, path))[1])

    def read(ahead: bool):
        reader = PostReader(paths)
        reader.read_ahead = ahead
        return [(p.id, p.row) for p in reader], [str(p) for p in reader.problems]

    assert read(True) == read(False)
    assert started == ["page.xlsx", "w1.xlsx", "w2.xlsx"]  # the next file when it is a workbook (not a missing one)
    posts, problems = read(False)
    assert [pid for pid, _ in posts] == ["0-0", "0-1", "0-2", "1-0", "1-1", "1-2", "j", "2-0", "2-1", "2-2"]
    assert problems == [f"{w0}:5: missing text (正文/内容); row skipped",
                        f"{html}: not an XLSX workbook but an HTML or XML page (some platforms export tables so): "
                        "open it in Excel and save it as .xlsx",
                        f"{tmp_path / 'missing.xlsx'}: no such file",
                        f"{w1}:5: missing text (正文/内容); row skipped",
                        f"{w2}:5: missing text (正文/内容); row skipped"]
    reader = PostReader([w0, w1])
    it = iter(reader)
    next(it)
    assert list(reader._ahead) == [w1]  # reading w1 began while w0's first row was in use
    assert [p.id for p in it] == ["0-1", "0-2", "1-0", "1-1", "1-2"] and not reader._ahead


def test_no_read_ahead_thread_runs_while_workers_are_forked(tmp_path, monkeypatch):
    import multiprocessing
    import threading
    import time

    paths = _workbooks(tmp_path, 3)
    threads_at_start = []
    real_start = multiprocessing.process.BaseProcess.start

    def start(self):
        threads_at_start.append(sorted(t.name for t in threading.enumerate() if t.name.startswith("cuomin")))
        real_start(self)

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", start)
    real_read = posts_module.read_sheets

    def slow_read(path):  # a thread reading ahead would still be running at the fork
        if threading.current_thread() is not threading.main_thread():
            time.sleep(0.3)
        yield from real_read(path)

    monkeypatch.setattr(posts_module, "read_sheets", slow_read)
    reader = PostReader(paths)
    results = list(scan_reader(Scanner(), reader, jobs=2, chunksize=1))
    assert [r.post.id for r in results] == [f"{k}-{i}" for k in range(3) for i in range(3)]
    assert threads_at_start == [[]]
    assert reader.read_ahead  # turned on once the worker was started


def test_workbook_cells_of_every_kind(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    wb = openpyxl.Workbook()
    ws = wb.active
    # the table starts at C3: rows keep the sheet's numbers, columns are found by header
    ws["C3"], ws["D3"], ws["E3"], ws["F3"], ws["G3"] = "编号", "账号名称", "标题", "正文", "发布日期"
    rows = [
        (1, "健康清溪", "整数编号", "正文一", dt.datetime(2023, 9, 1, 8, 30)),  # row 4
        (2.0, "健康清溪", True, "正文二", dt.date(2023, 9, 2)),  # row 5: a float id, a boolean title
        ("0012", None, "=1/0", "正文三", 45200),  # row 6: a text id keeps its zeros; a serial day
        (None, "健康清溪", "无编号", "  前后空格  ", "2023年9月4日"),  # row 7: no id: one is derived
    ]
    ws["D8"] = "#N/A"  # an error cell (openpyxl writes error codes as such)
    for r, values in enumerate(rows, 4):
        for c, value in enumerate(values, 3):
            ws.cell(r, c, value)
    ws["F8"] = CellRichText(["富", TextBlock(InlineFont(b=True), "文本")])  # row 8: rich text, no id
    ws["C8"] = 5
    ws.merge_cells("C9:F9")
    ws["C9"] = "合并的一行"  # row 9: no text column value: a bad row
    path = tmp_path / "kinds.xlsx"
    wb.save(path)
    reader = PostReader([path])
    posts = list(reader)
    assert [(p.row, p.id[:1] if p.row == 7 else p.id, p.account, p.title, p.text, p.published_at) for p in posts] == [
        (4, "1", "健康清溪", "整数编号", "正文一", dt.date(2023, 9, 1)),
        (5, "2", "健康清溪", "True", "正文二", dt.date(2023, 9, 2)),
        (6, "0012", "", "", "正文三", dt.date(2023, 10, 1)),  # a formula without a cached value is empty
        (7, "h", "健康清溪", "无编号", "  前后空格  ", dt.date(2023, 9, 4)),  # the text as written
        (8, "5", "", "", "富文本", None),  # the error cell is empty
    ]
    assert [(p.row, p.reason) for p in reader.problems] == [(9, "missing text (正文/内容)")]


def test_a_sheet_as_an_office_compiles_it_title_rows_and_merged_accounts(tmp_path):
    """A title and a 填报单位 line above the header; each account's name merged down over
    its posts; a heading row inside the table merged across it. Every post gets its
    account, and the heading row is one bad row, not a post of an account named so."""
    openpyxl = pytest.importorskip("openpyxl")
    xlwt = pytest.importorskip("xlwt")
    table = [["清溪县政务新媒体信息汇总表（2023年第三季度）"], ["填报单位：县政府办", None, None, "填报日期：2023-09-30"],
             ["账号名称", "标题", "正文", "发布日期"],
             ["清溪发布", "甲", "正文一", "2023-09-01"], [None, "乙", "正文二", "2023-09-02"],
             [None, "丙", "正文三", "2023-09-03"], ["一、部门账号"], ["清溪教育", "丁", "正文四", "2023-09-04"]]
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in table:
        ws.append(row)
    ws.merge_cells("A1:D1")
    ws.merge_cells("A4:A6")
    ws.merge_cells("A7:D7")
    wb.save(tmp_path / "p.xlsx")
    book = xlwt.Workbook()
    sheet = book.add_sheet("s")
    for r, row in enumerate(table):
        for c, value in enumerate(row):
            if value is not None and (r, c) not in ((0, 0), (3, 0), (6, 0)):
                sheet.write(r, c, value)
    sheet.write_merge(0, 0, 0, 3, table[0][0])
    sheet.write_merge(3, 5, 0, 0, "清溪发布")
    sheet.write_merge(6, 6, 0, 3, "一、部门账号")
    book.save(str(tmp_path / "p.xls"))
    for name in ("p.xlsx", "p.xls"):
        reader = PostReader([tmp_path / name])
        assert [(p.row, p.account, p.title) for p in reader] == [
            (4, "清溪发布", "甲"), (5, "清溪发布", "乙"), (6, "清溪发布", "丙"), (8, "清溪教育", "丁")], name
        assert [(p.row, p.reason) for p in reader.problems] == [(7, "missing text (正文/内容)")], name


def test_every_sheet_with_a_header_is_read(tmp_path):
    """A workbook of a sheet of notes, then a sheet a month: every month is read, its
    rows named by the sheet; the notes and a summary without a text column are left out."""
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "填表说明"
    notes.append(["本表按月分工作表填报。"])
    for month, ids in (("七月", ["7-1", "7-2"]), ("八月", ["8-1"])):
        ws = wb.create_sheet(month)
        ws.append(["编号", "账号名称", "正文", "原文链接"])
        for i in ids:
            ws.append([i, "清溪发布", "正文", "链接"])
    wb["八月"]["D2"].hyperlink = "https://x.gov.cn/8-1"
    wb.create_sheet("汇总").append(["账号名称", "篇数"])
    wb.save(tmp_path / "p.xlsx")
    reader = PostReader([tmp_path / "p.xlsx"])
    assert [(p.file, p.row, p.id, p.url) for p in reader] == [
        (f"{tmp_path / 'p.xlsx'}#七月", 2, "7-1", "链接"), (f"{tmp_path / 'p.xlsx'}#七月", 3, "7-2", "链接"),
        (f"{tmp_path / 'p.xlsx'}#八月", 2, "8-1", "https://x.gov.cn/8-1")]
    assert reader.problems == []
    # no sheet with a header: the first sheet's problem is the file's
    del wb["七月"], wb["八月"]
    wb.save(tmp_path / "q.xlsx")
    reader = PostReader([tmp_path / "q.xlsx"])
    assert list(reader) == [] and [p.reason[:20] for p in reader.problems] == ["no text column in th"]


def test_a_directory_of_exports_is_read_file_by_file(tmp_path):
    """A quarter's exports in one folder, by account and month: every file of posts in
    it and below, in sorted order; not the Office lock file, hidden folders or other files."""
    (tmp_path / "q3" / "清溪发布").mkdir(parents=True)
    (tmp_path / "q3" / ".git").mkdir()
    _jsonl(tmp_path / "q3" / "清溪发布" / "08.jsonl", [json.dumps({"id": "8", "text": "好"})])
    _jsonl(tmp_path / "q3" / "清溪发布" / "07.jsonl", [json.dumps({"id": "7", "text": "好"})])
    (tmp_path / "q3" / "清溪教育.csv").write_text("编号,正文\n9,好\n", encoding="utf-8")
    (tmp_path / "q3" / "~$清溪教育.xlsx").write_bytes(b"lock")
    (tmp_path / "q3" / ".git" / "x.json").write_text("[]", encoding="utf-8")
    (tmp_path / "q3" / "说明.txt").write_text("本季度导出", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    reader = PostReader([tmp_path / "q3", tmp_path / "empty"])
    assert [(Path(p.file).relative_to(tmp_path).as_posix(), p.id) for p in reader] == [
        ("q3/清溪发布/07.jsonl", "7"), ("q3/清溪发布/08.jsonl", "8"), ("q3/清溪教育.csv", "9")]
    assert [(p.file, p.reason) for p in reader.problems] == [
        (str(tmp_path / "empty"),
         "no files of posts in this directory (.jsonl .ndjson .json .csv .tsv .xlsx .xlsm .xls .html .htm .shtml .xhtml)")]


def test_title_rows_above_a_csv_header_and_no_header_at_all(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("清溪县政务新媒体信息汇总表\n填报单位：县政府办,,填报日期：2023-09-30\n编号,正文\n1,好\n",
                    encoding="utf-8")
    assert [(p.row, p.id) for p in PostReader([path])] == [(4, "1")]
    path.write_text("说明：本表为汇总表\n" * 3 + "账号名称,标题\n清溪发布,通知\n", encoding="utf-8")
    reader = PostReader([path])
    assert list(reader) == []  # no row has a text column: the first row's problem is the file's
    assert [p.reason for p in reader.problems] == [
        "no text column in the header (expected one of: text, content, body, 正文, 内容, 文章内容, 正文内容)"]
    path.write_text("\n".join(f"第{i}行说明" for i in range(12)) + "\n编号,正文\n1,好\n", encoding="utf-8")
    reader = PostReader([path])  # a header below the tenth row is not looked for
    assert list(reader) == [] and reader.unreadable_files == 1


def test_xls_from_an_old_excel_export():
    # Excel 97–2003 (.xls), as some platforms still export: header on the second row
    path = Path(__file__).parent / "fixtures" / "posts.xls"
    reader = PostReader([path])
    assert [(p.id, p.account, p.title, p.text, p.published_at, p.row) for p in reader] == [
        ("1", "清溪发布", "通知", "精心布署防汛工作", dt.date(2023, 9, 5), 3),
        ("3", "健康清溪", "公告", "多行\n正文", dt.date(2023, 10, 1), 5),
    ]
    assert [(p.row, p.reason) for p in reader.problems] == [(4, "missing text (正文/内容)")]


@pytest.mark.parametrize("name, content, message", [
    ("export.xls", "<html><body><table><tr><td>编号</td></tr></table></body></html>".encode("utf-8"),
     "not an XLS workbook but an HTML or XML page (some platforms export tables so): "
     "open it in Excel and save it as .xlsx"),
    ("export.xlsx", "\ufeff编号,正文\n1,正文\n".encode("utf-8"),
     "not an XLSX workbook but plain text: if it is CSV, give it a .csv name"),
    ("export.xlsx", "编号,正文\n1,正文\n".encode("gbk"), "not an XLSX workbook but plain text: if it is CSV, give it a .csv name"),
    ("export.xlsx", b"", "empty file, not an XLSX workbook"),
    ("export.xlsx", b"PK\x03\x04" + bytes(200), "not a readable XLSX workbook (invalid Zip archive"),
    ("export.xls", bytes(range(256)) * 4, "not a readable XLS workbook ("),
])
def test_a_file_named_as_a_workbook_that_is_not_one(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    good = _jsonl(tmp_path / "good.jsonl", ['{"id": "1", "text": "好"}'])
    reader = PostReader([path, good])
    assert [p.id for p in reader] == ["1"]  # the batch goes on
    assert reader.unreadable_files == 1
    assert str(reader.problems[0]).startswith(f"{path}: {message}")


def test_unreadable_files_do_not_stop_the_batch(tmp_path):
    good = _jsonl(tmp_path / "good.jsonl", ['{"id": "1", "text": "好"}'])
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    reader = PostReader([tmp_path / "missing.jsonl", broken, tmp_path / "notes.txt", good])
    assert [p.id for p in reader] == ["1"]
    assert reader.unreadable_files == 3
    assert [str(p) for p in reader.problems] == [
        f"{tmp_path / 'missing.jsonl'}: no such file",
        f"{broken}: not an XLSX workbook but plain text: if it is CSV, give it a .csv name",
        f"{tmp_path / 'notes.txt'}: unknown file type .txt; expected .jsonl, .json, .csv, .xlsx, .xls or .html",
    ]


def test_a_line_in_another_encoding_is_one_bad_row(tmp_path):
    # a UTF-8 export with one line, far down, pasted in from a GBK file: that row is
    # reported, the rest read (the encoding is judged on the file's first 4 KB)
    path = tmp_path / "mixed.jsonl"
    lines = [json.dumps({"id": str(i), "text": f"正文{i}" * 20}, ensure_ascii=False) for i in range(1, 101)]
    data = [line.encode("gbk" if i == 60 else "utf-8") for i, line in enumerate(lines, 1)]
    path.write_bytes(b"\n".join(data) + b"\n")
    for jobs in (1, 2):
        reader = PostReader([path])
        assert [r.post.id for r in scan_reader(Scanner(), reader, jobs=jobs, chunksize=8)] == [
            str(i) for i in range(1, 101) if i != 60
        ]
        assert [(p.row, p.reason) for p in reader.problems] == [
            (60, "not valid utf-8 text (another encoding? give it with --encoding)")
        ]


def test_a_csv_row_in_another_encoding_is_one_bad_row(tmp_path):
    path = tmp_path / "mixed.csv"
    head = "账号名称,标题,内容\n".encode()
    rows = [f"清溪发布,第{i}篇,{'正文' * 100}{i}\n" for i in range(1, 301)]  # row 250 is past the 64 KB judged
    path.write_bytes(head + b"".join(r.encode("gbk" if i == 250 else "utf-8") for i, r in enumerate(rows, 1)))
    reader = PostReader([path])
    assert len(list(reader)) == 299
    assert [(p.row, p.reason) for p in reader.problems] == [
        (251, "not valid utf-8 text (another encoding? give it with --encoding)")  # row 1 is the header
    ]
    path.write_bytes("账号名称,标题,内容\n".encode("gbk") + ("x" * 70000).encode() + b"\n")
    reader = PostReader([path], encoding="utf-8")
    assert list(reader) == []
    assert [p.reason for p in reader.problems] == ["the header row is not valid utf-8 text; give the encoding with --encoding"]


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-16"])
def test_jsonl_in_the_encodings_exports_use(tmp_path, encoding):
    path = tmp_path / f"{encoding}.jsonl"
    rows = [{"id": "1", "账号名称": "清溪发布", "正文": "精心布署"}, {"id": "2", "正文": "第二篇"}]
    path.write_bytes(("\r\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\r\n").encode(encoding))
    reader = PostReader([path])
    assert [(p.id, p.account, p.text, p.row) for p in reader] == [("1", "清溪发布", "精心布署", 1), ("2", "", "第二篇", 2)]
    assert reader.problems == []


def test_unknown_encoding_is_a_file_problem(tmp_path):
    path = _jsonl(tmp_path / "p.jsonl", ['{"id": "1", "text": "好"}'])
    reader = PostReader([path], encoding="no-such-codec")
    assert list(reader) == [] and [p.reason for p in reader.problems] == ["unknown encoding 'no-such-codec'"]


def _messy_jsonl(tmp_path):
    """BOM, CRLF, blank lines, a GBK line (past the 4 KB the encoding is judged on), a
    bad line, no newline at the end."""
    path = tmp_path / "messy.jsonl"
    lines = [json.dumps({"id": str(i), "text": f"第{i}篇" * (i % 7 + 20)}, ensure_ascii=False).encode() for i in range(40)]
    lines[5] = b""
    lines[6] = b"   "
    lines[31] = json.dumps({"id": "31", "text": "国标码"}, ensure_ascii=False).encode("gbk")
    lines[17] = b"{bad json"
    path.write_bytes(b"\xef\xbb\xbf" + b"\r\n".join(lines[:20]) + b"\r\n" + b"\n".join(lines[20:]))
    return path


@pytest.mark.parametrize("nbytes", [1, 7, 64, 1000, 1 << 18])
def test_line_blocks_hold_every_line_once_with_its_number(tmp_path, nbytes):
    # what a worker reads from a block's byte range is what reading the file line by
    # line gives: same rows, same numbers, same payloads
    path = _messy_jsonl(tmp_path)
    rows = list(PostReader([path]).rows())
    blocks = list(PostReader([path]).blocks(rows=4, nbytes=nbytes))
    assert all(isinstance(b, LineBlock) for b in blocks)
    assert [r for b in blocks for r in b.rows()] == rows
    assert [r.row for r in rows] == [i + 1 for i in range(40) if i not in (5, 6)]
    assert len(blocks) == {1: 40, 1 << 18: 1}.get(nbytes, len(blocks))  # a block ends at a line end
    reader = PostReader([path])
    assert len(list(reader)) == 36
    assert [(p.row, p.reason.split(" (")[0]) for p in reader.problems] == [
        (18, "bad JSON"), (32, "not valid utf-8 text")]


def test_files_that_cannot_be_cut_by_lines_come_in_row_blocks(tmp_path):
    csv_path = tmp_path / "p.csv"
    csv_path.write_text("id,text\n" + "".join(f"{i},第{i}篇\n" for i in range(10)), encoding="utf-16")
    utf16 = tmp_path / "p16.jsonl"
    utf16.write_bytes("".join(json.dumps({"id": str(i), "text": "好"}) + "\n" for i in range(5)).encode("utf-16"))
    blocks = list(PostReader([csv_path, utf16]).blocks(rows=4, nbytes=10))
    # a block is full before it is shipped, whichever files its rows come from (a web
    # page is a file of one row)
    assert [[(Path(r.file).stem, r.row) for r in b] for b in blocks] == [
        [("p", 2), ("p", 3), ("p", 4), ("p", 5)], [("p", 6), ("p", 7), ("p", 8), ("p", 9)],
        [("p", 10), ("p", 11), ("p16", 1), ("p16", 2)], [("p16", 3), ("p16", 4), ("p16", 5)]]


def test_a_block_of_rows_ends_before_a_block_of_lines(tmp_path):
    csv_path = tmp_path / "p.csv"
    csv_path.write_text("id,text\n1,第一篇\n2,第二篇\n", encoding="utf-16")
    jsonl = tmp_path / "q.jsonl"
    jsonl.write_text("".join(json.dumps({"id": str(i), "text": "正文"}) + "\n" for i in range(3)), encoding="utf-8")
    blocks = list(PostReader([csv_path, jsonl, csv_path]).blocks(rows=4, nbytes=1 << 20))
    assert [type(b).__name__ for b in blocks] == ["list", "LineBlock", "list"]
    assert [r.row for r in blocks[0]] == [2, 3] and [r.row for r in blocks[1].rows()] == [1, 2, 3]


def _csv_file(path: Path, *, seed: int = 7, n: int = 60, newline: str = "\n", delimiter: str = ",",
              encoding: str = "utf-8", head: str = "", tail: str = "") -> Path:
    """Rows the way CSV writers put them: quoted fields holding commas, doubled quotes and
    line ends (CRLF too), blank rows, an empty field now and then."""
    import random

    rnd = random.Random(seed)
    parts = ["正文", "，", ",", '"', "\n", "\r\n", "\t", "“引号”", "a", " ", "工作己经完成"]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline)
    writer.writerow(["id", "account", "text"])
    for i in range(n):
        if rnd.random() < 0.1:
            out.write(newline)  # a blank row
        text = "".join(rnd.choice(parts) for _ in range(rnd.randint(0, 12)))
        writer.writerow([f"p{i}", f"账号{i % 3}" if rnd.random() < 0.9 else "", text])
    path.write_bytes((head + out.getvalue() + tail).encode(encoding))
    return path


def _read_serially(path: Path, **kw) -> list:
    """(row, fields or why) as a reader gives them one by one, a problem of the file last."""
    reader = PostReader([path], **kw)
    return _items(reader.rows(), reader)


def _read_in_blocks(path: Path, nbytes: int, **kw) -> tuple[list, list]:
    """The same, through :meth:`PostReader.blocks`, and the blocks."""
    reader = PostReader([path], **kw)
    blocks = list(reader.blocks(rows=4, nbytes=nbytes))
    return _items((r for b in blocks for r in (b.rows() if isinstance(b, FileBlock) else b)), reader), blocks


def _items(raws, reader: PostReader) -> list:
    items = [(r.row, str(r.payload) if isinstance(r.payload, RowError) else r.payload) for r in raws]
    return items + [(0, p.reason) for p in reader.problems if p.row == 0]


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 64, 1 << 20])
@pytest.mark.parametrize("nbytes", [1, 50, 400, 1 << 18])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_csv_blocks_hold_every_row_once_with_its_number(tmp_path, monkeypatch, chunk, nbytes, newline):
    # what a worker reads from a block's byte range is what reading the file row by row
    # gives: same rows, same numbers, same fields, whatever the cuts and reads
    monkeypatch.setattr(posts_module, "CSV_CUT_CHUNK", chunk)
    path = _csv_file(tmp_path / "p.csv", newline=newline, head="\ufeff2023年第三季度发文\n\n")
    rows, blocks = _read_in_blocks(path, nbytes)
    assert rows == _read_serially(path) and len(rows) == 60
    assert all(isinstance(b, CsvBlock) for b in blocks)
    assert len(blocks) > 1 if nbytes < 1 << 18 else len(blocks) == 1
    assert blocks[0].row == 3  # after the title, a blank row and the header
    assert [b.length for b in blocks][-1] == -1 and all(b.length > 0 for b in blocks[:-1])


@pytest.mark.parametrize("case, bad", [
    # a quote that is not at a field's edge is text to the csv module (王"五); so is one
    # after a space. From the row before it on, the file is one block, read as a whole
    # file is; so after a NUL, a lone CR, and a quote never closed
    ("stray quote", 'p60,账号,王"五说\n'),
    ("quote after a space", 'p60,账号, "五"\n'),
    ("quote after a tab in CSV", 'p60,账号,\t"五"\n'),
    ("NUL", "p60,账号,正\0文\n"),
    ("lone CR", "p60,账号,正文\rp61,账号,正文\n"),
    ("quote never closed", 'p60,账号,"正文\n'),
])
def test_csv_blocks_that_must_not_be_cut_further(tmp_path, monkeypatch, case, bad):
    # (a NUL or a lone CR stops the cuts from the read that finds it on: reads of 64 bytes)
    monkeypatch.setattr(posts_module, "CSV_CUT_CHUNK", 64)
    after = "".join(f"p{i},账号,第{i}篇正文\n" for i in range(70, 80))
    path = _csv_file(tmp_path / "p.csv", n=30, tail=bad + after)
    serial = _read_serially(path)
    rows, blocks = _read_in_blocks(path, 40)
    assert rows == serial, case
    assert len(blocks) > 5  # the rows before it were still cut into blocks
    assert blocks[-1].length == -1 and blocks[-1].offset <= path.read_bytes().index(bad[:4].encode())
    if case == "quote never closed":
        assert serial[-1] == (0, "a quote (\") opened in row 32 (line 67) is never closed: lines 67–77 cannot be "
                                 "read as rows; rest of file skipped")
    if case == "stray quote":
        assert [r[1]["text"] for r in serial[-11:-9]] == ['王"五说', "第70篇正文"]


def _damaged(data: bytes, rnd) -> bytes:
    """``data`` with a few bytes changed, cut out, inserted or repeated."""
    data = bytearray(data)
    for _ in range(rnd.randint(1, 5)):
        i = rnd.randrange(len(data) + 1)
        how = rnd.random()
        if how < 0.3 and i < len(data):
            data[i] = rnd.randrange(256)
        elif how < 0.5:
            del data[i : i + rnd.randint(1, 50)]
        elif how < 0.8:
            data[i:i] = rnd.choice([b'"', b'""', b"\n", b"\r", b"\r\n", b",", b"\t", b"\0", "“".encode(), b"\xe4"])
        else:
            j = rnd.randrange(len(data) + 1)
            data[i:i] = data[j : j + rnd.randint(1, 80)]
    return bytes(data)


@pytest.mark.parametrize("seed", range(4))
def test_csv_blocks_on_damaged_files_hold_the_rows_of_the_file_read_whole(tmp_path, monkeypatch, seed):
    import random

    rnd = random.Random(seed)
    for k in range(100):
        path = _csv_file(tmp_path / ("p.tsv" if k % 5 == 0 else "p.csv"), seed=k, n=rnd.randint(1, 30),
                         newline=rnd.choice(["\n", "\r\n"]), delimiter=rnd.choice([",", "\t"]),
                         encoding=rnd.choice(["utf-8", "gbk", "utf-8-sig"]))
        path.write_bytes(_damaged(path.read_bytes(), rnd))
        monkeypatch.setattr(posts_module, "CSV_CUT_CHUNK", rnd.choice([1, 3, 64, 1 << 20]))
        assert _read_in_blocks(path, rnd.choice([1, 10, 100]))[0] == _read_serially(path), (seed, k)


def test_a_csv_without_a_line_end_at_its_end(tmp_path):
    path = _csv_file(tmp_path / "p.csv", n=30, tail="p60,账号,正文")
    rows, blocks = _read_in_blocks(path, 40)
    assert rows == _read_serially(path) and rows[-1][1]["text"] == "正文" and len(blocks) > 5


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig"])
def test_csv_blocks_in_other_encodings_and_tsv(tmp_path, encoding):
    path = _csv_file(tmp_path / "p.tsv", delimiter="\t", encoding=encoding)
    rows, blocks = _read_in_blocks(path, 100)
    assert rows == _read_serially(path) and len(blocks) > 1 and isinstance(blocks[0], CsvBlock)
    # a row in another encoding is one bad row, numbered where it is
    # (and in UTF-8, a row that starts with U+FEFF: only the file's first bytes may drop it)
    last = "\ufeffp61" if encoding == "utf-8-sig" else "p61"
    data = path.read_bytes() + b"p60\t\xff\xfe\t\x81\n" + f"{last}\ta\tb\n".encode(encoding.split("-sig")[0])
    path.write_bytes(data)
    given = {} if encoding == "utf-8-sig" else {"encoding": encoding}  # (too little text to tell GBK by)
    rows, _ = _read_in_blocks(path, 1, **given)  # (a block per row)
    assert rows == _read_serially(path, **given)
    assert rows[-2][1].startswith(f"not valid {encoding} text") and rows[-1][1]["id"] == last


def test_csv_without_rows_after_its_header_or_without_a_header(tmp_path):
    for text in ("id,text\n", "id,text", "", "标题行\n"):
        path = tmp_path / "p.csv"
        path.write_text(text, encoding="utf-8")
        rows, blocks = _read_in_blocks(path, 1)
        assert rows == _read_serially(path), text
        assert all(isinstance(b, CsvBlock) for b in blocks)


def test_csv_blocks_travel_as_their_place_only(tmp_path):
    path = _csv_file(tmp_path / "p.csv", n=400)
    _, blocks = _read_in_blocks(path, 1000)
    assert max(len(pickle.dumps(b)) for b in blocks) < 400 < path.stat().st_size // len(blocks)


ARRAY_POSTS = [
    {"id": "1", "account": "清溪发布", "text": "正文一", "published_at": "2023-09-28"},
    3,
    {"编号": "2", "账号名称": "清溪教育", "标题": "没有正文"},
    {"id": "3", "text": "表情\ud83d断了"},
    {"id": "4", "正文": "正文四\n第二段", "发布时间": "2023年9月1日"},
]


def _array_rows(reader):
    return [(r.row, r.payload if isinstance(r.payload, dict) else str(r.payload)) for r in reader.rows()]


@pytest.mark.parametrize("indent", [None, 2])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_a_json_array_of_posts_is_read_element_by_element(tmp_path, indent, encoding):
    path = tmp_path / "posts.json"
    text = json.dumps(ARRAY_POSTS, ensure_ascii=False, indent=indent).replace("\ud83d", "\\ud83d")
    path.write_bytes(("\n " + text + "\n").encode(encoding))
    seen = []
    reader = PostReader([path], on_problem=seen.append)
    posts = list(reader)
    assert [(p.id, p.account, p.text, p.published_at, p.row) for p in posts] == [
        ("1", "清溪发布", "正文一", dt.date(2023, 9, 28), 1),
        ("3", "", "表情\ufffd断了", None, 4),  # half an emoji (a lone \ud83d escape) reads as U+FFFD
        ("4", "", "正文四\n第二段", dt.date(2023, 9, 1), 5),
    ]
    assert [str(p) for p in seen] == [f"{path}:2: not a JSON object; row skipped",
                                      f"{path}:3: missing text (正文/内容); row skipped"]
    assert (reader.rows_read, reader.skipped_rows, reader.unreadable_files) == (3, 2, 0)
    blocks = list(PostReader([path]).blocks(rows=2))
    assert [[r.row for r in b] for b in blocks] == [[1, 2], [3, 4], [5]]
    if encoding == "utf-8-sig":  # the BOM is dropped when the encoding is given as plain UTF-8 too
        assert [p.id for p in PostReader([path], encoding="utf-8")] == ["1", "3", "4"]


@pytest.mark.parametrize("chunk", [1, 2, 7, 64, 1 << 20])
def test_json_array_elements_across_read_windows(tmp_path, monkeypatch, chunk):
    """Elements, strings, escapes and numbers cut anywhere by the read window."""
    monkeypatch.setattr(posts_module, "ARRAY_CHUNK", chunk)
    items = [{"id": str(i), "text": "第" + "长" * (i * 7) + "篇 \" \\ \u00e9", "n": 10 ** i, "f": [1.5e3, None, True]}
             for i in range(12)]
    path = tmp_path / "a.json"
    path.write_text(json.dumps(items, ensure_ascii=bool(chunk % 2), indent=chunk % 3 or None), encoding="utf-8")
    rows = list(PostReader([path]).rows())
    assert [r.payload for r in rows] == [{"id": it["id"], "text": it["text"]} for it in items]
    assert [r.row for r in rows] == list(range(1, 13))


def _random_json(seed: int):
    """``(rnd, text, value)``: a seeded random source, and makers of random strings (JSON's
    special characters, CJK, emoji, number-like runs) and random JSON values."""
    import random

    rnd = random.Random(seed)
    alphabet = '中文字符测试"\\/\n\t ,[]{}:abc123.eE+-\u00e9\U0001F600'

    def text():
        return "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 12)))

    def value(depth=0):
        k = rnd.random()
        if depth > 2 or k < 0.3:
            return text()
        if k < 0.5:
            return rnd.choice([None, True, False, 0, -1.5e10, 0.25, 12345678901234567890])
        if k < 0.7:
            return [value(depth + 1) for _ in range(rnd.randint(0, 3))]
        return {text(): value(depth + 1) for _ in range(rnd.randint(0, 3))}

    return rnd, text, value


def test_json_array_reader_agrees_with_json_loads_on_random_arrays(monkeypatch):
    """Random arrays (objects, non-objects, nesting, escapes, emoji, every indent and
    separator style) read through windows of 1 character and up: the same elements as
    ``json.loads`` gives, numbered by place."""
    import io

    rnd, text, value = _random_json(5)
    for _ in range(150):
        items = [value() if rnd.random() < 0.1 else {"id": str(i), "text": text() or "x", **{text(): value()}}
                 for i in range(rnd.randint(0, 8))]
        dumped = json.dumps(items, ensure_ascii=rnd.random() < 0.5, indent=rnd.choice([None, 0, 1, 4]),
                            separators=rnd.choice([None, (",", ":"), (" , ", " : ")]))
        monkeypatch.setattr(posts_module, "ARRAY_CHUNK", rnd.choice([1, 2, 3, 7, 64, 65536]))
        got = [(n, str(p) if isinstance(p, Exception) else p)
               for n, p in posts_module._array_elements(io.BytesIO(dumped.encode()), "utf-8", escape=True)]
        expected = []
        for n, item in enumerate(json.loads(dumped), 1):
            try:
                expected.append((n, posts_module._object_fields(item, escaped=True)))
            except RowError as exc:
                expected.append((n, str(exc)))
        assert got == expected, dumped


@pytest.mark.parametrize("text, rows, problem", [
    ("[]", [], None),
    ("  [ ]  \n", [], None),
    ('[{"id": "1", "text": "好"},]', ["1"], None),  # a trailing comma, as some exporters write
    ('[{"id": "1", "text": "好"}', ["1"], "broken JSON array after element 1 (line 1): the array is not closed"),
    ('[{"id": "1", "text": "好"}, ', ["1"], "broken JSON array after element 1 (line 1): the array is not closed"),
    ('[{"id": "1", "text": "好"}] [2]', ["1"], "broken JSON array after element 1 (line 1): more text after the array's end"),
    ('[{"id": "1", "text": "好"}\n {"id": "2", "text": "坏"}]', ["1"],
     "broken JSON array after element 1 (line 2): expected , or ] after an element"),
    ('[\n{"id": "1", "text": "好"},\n{"id": "2", "text": "坏"\n}, {"id": "3", "text": "好"}]', ["1"], None),
    ('[\n{"id": "1", "text": "好"},\n{"id": "2", "text": "坏" "x"}]', ["1"],
     "broken JSON array after element 1 (line 3): Expecting ',' delimiter"),
    ('[{"id": "1", "text": "好"}, ' + "[" * 100_000 + "]" * 100_000 + "]", ["1"],
     "broken JSON array after element 1 (line 1): nested too deeply"),
])
def test_json_array_ends_and_breaks(tmp_path, text, rows, problem):
    """Broken JSON ends the file (where the next element starts cannot be known): the
    elements before it are kept, and the file is reported with the element and line."""
    path = tmp_path / "a.json"
    path.write_text(text, encoding="utf-8")
    reader = PostReader([path])
    assert [p.id for p in reader] == rows or rows == ["1"] and "坏" in text and [p.id for p in PostReader([path])] == ["1", "2", "3"]
    expected = [] if problem is None else [f"{problem}; rest of file skipped"]
    assert [p.reason for p in reader.problems if p.row == 0] == expected


def test_json_array_bytes_not_valid_in_its_encoding(tmp_path, monkeypatch):
    """In UTF-8 or GB18030 such bytes make their element one bad row, as in the other
    readers; in UTF-16 (no ASCII to resynchronise on) they end the file, and the
    elements read before them are kept."""
    monkeypatch.setattr(posts_module, "ARRAY_CHUNK", 16)
    path = tmp_path / "a.json"
    path.write_bytes('[{"id": "1", "text": "好"}, {"id": "2", "text": "坏'.encode() + b"\xff\xfe" +
                     '"}, {"id": "3", "text": "好"}]'.encode())
    reader = PostReader([path], encoding="utf-8")  # (sniffing would call the file neither UTF-8 nor GB18030)
    assert [p.id for p in reader] == ["1", "3"]
    assert [str(p) for p in reader.problems] == [
        f"{path}:2: not valid utf-8 text (another encoding? give it with --encoding); row skipped"]
    utf16 = tmp_path / "a16.json"
    good = json.dumps([{"id": "1", "text": "好"}, {"id": "2", "text": "好"}], ensure_ascii=False)[:-1]
    utf16.write_bytes(good.encode("utf-16") + (', {"id": "3", "text": "' + "长" * 50_000).encode("utf-16-le") +
                      b"\x00\xdc" + '"}]'.encode("utf-16-le"))
    reader = PostReader([utf16])
    assert [p.id for p in reader] == ["1", "2"]
    assert [p.reason for p in reader.problems] == ["not valid utf-16 text after element 2; rest of file skipped"]
    utf16.write_bytes('[{"id": "1", "text": "好"}]'.encode("utf-16")[:-1])  # cut in the middle of a character
    reader = PostReader([utf16])
    assert list(reader) == []
    assert [p.reason for p in reader.problems] == [
        "not valid utf-16 text before its first element; rest of file skipped"]


def test_a_json_array_is_read_in_a_window_of_flat_size(tmp_path, monkeypatch):
    import tracemalloc

    monkeypatch.setattr(posts_module, "ARRAY_CHUNK", 1 << 14)
    path = tmp_path / "big.json"
    item = {"id": "x", "text": "政务新媒体" * 400}
    with path.open("w", encoding="utf-8") as fh:
        fh.write("[" + ",\n".join(json.dumps({**item, "id": str(i)}, ensure_ascii=False) for i in range(2000)) + "]")
    assert path.stat().st_size > 11_000_000
    tracemalloc.start()
    try:
        n = sum(1 for _ in PostReader([path]).rows())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert n == 2000 and peak < 1_000_000


def _reply(posts, **more):
    """An API's reply as the platforms give it: the posts two levels down."""
    return {"code": 0, "msg": "ok", **more, "data": {"total": len(posts), "list": posts}}


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_api_replies_one_a_line_are_read_where_their_posts_are(tmp_path, suffix):
    """A crawler's dump: one reply (a page) a line. Records are numbered through the file."""
    path = _jsonl(tmp_path / f"pages{suffix}", [
        json.dumps(_reply([{"id": "1", "正文": "好"}, {"id": "2", "正文": "好"}]), ensure_ascii=False),
        json.dumps({"code": 0, "rows": [{"id": "3", "title": "t", "text": "好"}]}),
        json.dumps({"code": 0, "msg": "ok", "data": [1, 2]}),  # nothing that looks like posts
        json.dumps({"id": "4", "text": "好", "attachments": [{"url": "https://example.gov.cn/a.pdf", "text": "附件"}]}),
        json.dumps(_reply([])),  # a last, empty page: its list has no post to tell it by
    ])
    reader = PostReader([path])
    assert [(p.id, p.row) for p in reader] == [("1", 1), ("2", 2), ("3", 3), ("4", 5)]
    assert [(p.row, p.reason) for p in reader.problems] == [
        (4, "a JSON object that is neither a post nor holds a list of posts"),
        (6, "a JSON object that is neither a post nor holds a list of posts"),
    ]


def test_a_pretty_printed_reply_or_post(tmp_path):
    path = tmp_path / "reply.json"
    posts = [{"id": str(i), "text": "好", "account": "清溪发布"} for i in range(3)]
    path.write_text(json.dumps({"status": {"code": 0, "time": [1, 2]}, "result": {"page": {"items": posts}}},
                               indent=2), encoding="utf-8")
    assert [(p.id, p.account, p.row) for p in PostReader([path])] == [("0", "清溪发布", 1), ("1", "清溪发布", 2),
                                                                       ("2", "清溪发布", 3)]
    path.write_text(json.dumps({"id": "9", "text": "好", "tags": ["a"]}, indent=2) + "\n"
                    + json.dumps({"id": "10", "text": "好"}, indent=4), encoding="utf-8")
    assert [(p.id, p.row) for p in PostReader([path])] == [("9", 1), ("10", 2)]  # posts, one after another


def test_a_reply_with_its_posts_too_deep_or_not_a_list_of_posts(tmp_path):
    path = tmp_path / "reply.json"
    path.write_text(json.dumps({"a": {"b": {"c": {"list": [{"id": "1", "text": "好"}]}}}}, indent=1), encoding="utf-8")
    reader = PostReader([path])
    assert list(reader) == []
    assert [(p.row, p.reason) for p in reader.problems] == [
        (1, "a JSON object that is neither a post nor holds a list of posts")]


def test_a_huge_object_without_posts_is_not_kept_whole(tmp_path, monkeypatch):
    import tracemalloc

    monkeypatch.setattr(posts_module, "ARRAY_CHUNK", 1 << 12)
    monkeypatch.setattr(posts_module, "CSV_FIELD_LIMIT", 1 << 16)
    path = tmp_path / "dump.json"
    items = {f"a{i}": {"k": "值" * 100, "n": [i]} for i in range(5000)}  # walked member by member: no posts
    # pretty-printed, so read as objects (on one line, the file would be JSON Lines of posts)
    path.write_text(json.dumps({"id": "1", "items": items, "text": "好"}, ensure_ascii=False, indent=1) + "\n"
                    + json.dumps({"id": "2", "text": "好"}), encoding="utf-8")
    tracemalloc.start()
    try:
        reader = PostReader([path])
        ids = [p.id for p in reader]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert ids == ["2"] and peak < 1_000_000
    assert [(p.row, p.reason) for p in reader.problems] == [
        (1, "a JSON object longer than a post can be that holds no list of posts")]


def test_a_big_reply_is_read_in_a_window_of_flat_size(tmp_path, monkeypatch):
    import tracemalloc

    monkeypatch.setattr(posts_module, "ARRAY_CHUNK", 1 << 14)
    path = tmp_path / "big.json"
    posts = [{"id": str(i), "text": "政务新媒体" * 400} for i in range(2000)]
    path.write_text(json.dumps(_reply(posts, note="x" * 100), ensure_ascii=False), encoding="utf-8")  # one line
    assert path.stat().st_size > 11_000_000
    tracemalloc.start()
    try:
        rows = [r.row for r in PostReader([path]).rows()]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert rows == list(range(1, 2001)) and peak < 1_000_000


@pytest.mark.parametrize("chunk", [1, 3, 64, 1 << 16])
def test_replies_across_read_windows(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(posts_module, "ARRAY_CHUNK", chunk)
    path = tmp_path / "r.json"
    pages = [_reply([{"id": f"{n}-{i}", "text": "第" + "长" * i + "篇 \" \\"} for i in range(4)], n=n * 1.5)
             for n in range(3)]
    path.write_text("\n".join(json.dumps(p, ensure_ascii=bool(chunk % 2), indent=chunk % 3 or None) for p in pages),
                    encoding="utf-8")
    got = [(p.id, p.text) for p in PostReader([path])]
    assert got == [(f"{n}-{i}", "第" + "长" * i + "篇 \" \\") for n in range(3) for i in range(4)]


def test_reply_reader_agrees_with_json_loads_on_random_replies(tmp_path, monkeypatch):
    """Random replies (other members of every kind around the list, nesting, escapes,
    every indent and separator style) read through windows of 1 character and up: the
    posts of the list, as ``json.loads`` gives them."""
    rnd, text, value = _random_json(7)
    path = tmp_path / "r.json"
    for _ in range(150):
        pages = []
        for _ in range(rnd.randint(1, 3)):
            posts = [{"id": str(i), "text": text() or "x", text(): value()} for i in range(rnd.randint(1, 5))]
            before = {"x" + text(): value() for _ in range(rnd.randint(0, 3))}
            after = {"y" + text(): value() for _ in range(rnd.randint(0, 3))}
            pages.append({**before, "data": {"meta": value(), "list": posts, "more": value()}, **after})
        indent = rnd.choice([None, None, 0, 1, 4])
        separators = rnd.choice([None, (",", ":"), (" , ", " : ")])
        path.write_text("\n".join(json.dumps(p, ensure_ascii=rnd.random() < 0.5, indent=indent, separators=separators)
                                  for p in pages), encoding="utf-8")
        monkeypatch.setattr(posts_module, "ARRAY_CHUNK", rnd.choice([1, 2, 3, 7, 64, 65536]))
        got = [r.payload for r in PostReader([path]).rows()]
        expected = [posts_module._object_fields(post, escaped=True) for p in pages for post in p["data"]["list"]]
        assert got == expected, path.read_text(encoding="utf-8")


@pytest.mark.parametrize("text, ids, problem", [
    ('{"data": {"list": [{"id": "1", "text": "好"}, {"id": "2", "text": "好"', ["1"],
     "broken JSON after record 1 (line 1): Expecting ',' delimiter"),
    ('{"data": {"list": [{"id": "1", "text": "好"}, ', ["1"], "broken JSON after record 1 (line 1): the array is not closed"),
    ('{"data": {"list": [{"id": "1", "text": "好"}]}', ["1"], "broken JSON after record 1 (line 1): an object is not closed"),
    ('{"data": {"list": [{"id": "1", "text": "好"}]}}\n[1]', ["1"],
     "broken JSON after record 1 (line 2): expected an object (a post, or a reply holding a list of posts)"),
    ('{\n"code": 0,\n"data" {"list": []}}', [], "broken JSON before its first record (line 3): expected : after a member's name"),
    ('{\n"code": 0\n"data": 1}', [], "broken JSON before its first record (line 3): expected , or } after a member"),
    ('{\n"id": "1", "text": "好"', [], "broken JSON before its first record (line 2): an object is not closed"),
])
def test_broken_replies_end_the_file(tmp_path, text, ids, problem):
    path = tmp_path / "r.json"
    path.write_text(text, encoding="utf-8")
    reader = PostReader([path])
    assert [p.id for p in reader] == ids
    assert [p.reason for p in reader.problems] == [f"{problem}; rest of file skipped"]


def test_json_lines_of_posts_stay_json_lines(tmp_path):
    """A first line that is a post: the file is JSON Lines, and a broken line later is
    one bad row, not the end of the file."""
    path = _jsonl(tmp_path / "p.json", [json.dumps({"id": "1", "text": "好"}), '{"id": "2", "text": ',
                                        json.dumps(_reply([{"id": "3", "text": "好"}]))])
    reader = PostReader([path])
    assert [p.id for p in reader] == ["1"]
    assert [(p.row, p.reason[:20]) for p in reader.problems] == [(2, "bad JSON (Expecting "), (3, "not a post but 1 rec")]


@pytest.mark.parametrize("name, content, problem", [
    ("p.csv", b"", "empty file: no header row, no posts (an export that failed?)"),
    ("p.csv", b"\r\n\n  \n", "empty file: no header row, no posts (an export that failed?)"),
    ("p.jsonl", b"", "empty file: no JSON, no posts (an export that failed?)"),
    ("p.json", b" \n\t\n", "empty file: no JSON, no posts (an export that failed?)"),
    ("p.json", b"\xef\xbb\xbf", "empty file: no JSON, no posts (an export that failed?)"),
    ("p.csv", "编号,正文\n".encode(), None),  # an account with no posts: a header and nothing else
    ("p.json", b"[ ]", None),
])
def test_an_empty_file_is_reported_a_file_of_no_posts_is_not(tmp_path, name, content, problem):
    path = tmp_path / name
    path.write_bytes(content)
    reader = PostReader([path])
    assert list(reader) == []
    assert [p.reason for p in reader.problems] == ([problem] if problem else [])


def test_an_empty_sheet_is_reported(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    wb.save(tmp_path / "empty.xlsx")
    wb.active.append(["编号", "正文"])
    wb.save(tmp_path / "header.xlsx")
    reader = PostReader([tmp_path / "empty.xlsx", tmp_path / "header.xlsx"])
    assert list(reader) == []
    assert [p.file for p in reader.problems] == [str(tmp_path / "empty.xlsx")]
    reason = reader.problems[0].reason
    assert (reason == "its first sheet is empty: no header row, no posts (an export that failed?)"
            or reason.startswith("its first sheet cannot be read ("))  # python-calamine 0.8 panics on it


def test_a_panic_in_calamine_is_one_unreadable_workbook(tmp_path, monkeypatch):
    """pyo3 raises a Rust panic as PanicException, a BaseException (python-calamine 0.8
    panics on an empty sheet): it must not end the batch."""
    python_calamine = pytest.importorskip("python_calamine")

    class PanicException(BaseException):
        pass

    def panics(*args, **kwargs):
        raise PanicException("called `Option::unwrap()` on a `None` value")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", panics)
    broken = tmp_path / "w.xlsx"
    broken.write_bytes(b"PK\x03\x04" + bytes(100))
    good = _jsonl(tmp_path / "good.jsonl", ['{"id": "1", "text": "好"}'])
    reader = PostReader([broken, good])
    assert [p.id for p in reader] == ["1"]
    assert [p.reason for p in reader.problems] == [
        "not a readable XLSX workbook (called `Option::unwrap()` on a `None` value)"]
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path",
                        lambda *a, **k: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):  # what is not a workbook's failure still stops the run
        list(PostReader([broken]))


def test_reading_is_lazy(tmp_path):
    path = _jsonl(tmp_path / "p.jsonl", ['{"id": "1", "text": "一"}', '{"id": "2", "text": "二"', ])
    it = iter(PostReader([path]))
    assert next(it).id == "1"  # the bad second line is not read yet


@pytest.mark.parametrize("value, expected", [
    ("2023-09-28", dt.date(2023, 9, 28)),
    ("2023/9/8", dt.date(2023, 9, 8)),
    ("2023.09.08", dt.date(2023, 9, 8)),
    ("2023年9月8日", dt.date(2023, 9, 8)),
    ("2023-09-08 14:05:00", dt.date(2023, 9, 8)),
    ("2023-09-08T14:05:00+08:00", dt.date(2023, 9, 8)),
    ("20230908", dt.date(2023, 9, 8)),
    ("", None),
    (None, None),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["2023-02-30", "昨天", "9/8/2023", "2023-9"])
def test_parse_date_rejects(value):
    with pytest.raises(RowError):
        parse_date(value)


def test_post_is_a_frozen_record_that_reads_dates():
    p = Post(id="7", account="清溪发布", text="正文", published_at="2023年9月28日 10:30", row=3)
    assert p.published_at == dt.date(2023, 9, 28)
    assert Post(id="7", published_at=dt.datetime(2023, 9, 28, 10, 30)).published_at == dt.date(2023, 9, 28)
    assert Post(id="7").published_at is None
    with pytest.raises(RowError, match="not a date"):
        Post(id="7", published_at="昨天")
    with pytest.raises(AttributeError):
        p.text = "改"
    blank = p.replace(text="")
    assert (blank.text, blank.account, blank.row, p.text) == ("", "清溪发布", 3, "正文")
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        again = pickle.loads(pickle.dumps(p, protocol=protocol))
        assert again == p and type(again) is Post
    with pytest.raises(TypeError):
        Post("7")  # keywords only
    with pytest.raises(TypeError, match="Post.id must be a str, not int"):
        Post(id=7)
    with pytest.raises(TypeError, match="Post.text must be a str, not NoneType"):
        Post(id="7", text=None)
