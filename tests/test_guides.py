"""Service guides (办事指南): key elements, phone numbers, blank forms and samples."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from cuomin.cli import main
from cuomin.supervision.guides import (
    GuideConfigError,
    form_name,
    guide_report,
    load_guide_config,
    pair_forms,
    parse_guide_config,
)

from .docfile import word_document
from .pdffile import chinese_page_pdf

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
COMPLETE = {
    "设定依据": "《最低生活保障审核确认办法》", "申请条件": "本县户籍", "办理材料": "申请书、身份证",
    "办理地点": "县政务服务中心", "办理时间": "工作日 9:00—17:00", "办理流程": "申请—受理—审核—确认",
    "办理期限": "30个工作日", "收费依据及标准": "不收费", "咨询电话": "0571-88881234", "监督投诉电话": "12345",
}


def write_csv(path: Path, rows: list[dict]) -> Path:
    columns = list(dict.fromkeys(k for row in rows for k in row))
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def guide(name="低保审核", unit="县民政局", **changes) -> dict:
    return {"部门": unit, "事项名称": name, **COMPLETE, "空表": "", "样表": "", **changes}


def form(path: Path, *cells: tuple[str, str], author: str = "") -> str:
    """A Word form: a title and a two-column table (label, value)."""
    d = docx.Document()
    d.core_properties.author = author  # (so that two forms with the same text differ in bytes)
    d.add_paragraph(path.stem.split("（")[0])
    table = d.add_table(rows=len(cells), cols=2)
    for i, (label, value) in enumerate(cells):
        table.cell(i, 0).text, table.cell(i, 1).text = label, value
    path.parent.mkdir(parents=True, exist_ok=True)
    d.save(path)
    return path.name


def problems(tmp_path, *rows, **kw) -> list[list[str]]:
    report = guide_report([write_csv(tmp_path / "guides.csv", list(rows))], **kw)
    return [g.problems for g in report.guides]


# ------------------------------------------------------------------ elements
def test_a_complete_guide_passes(tmp_path):
    report = guide_report([write_csv(tmp_path / "g.csv", [guide()])])
    (g,) = report.guides
    assert (g.unit, g.name, g.problems, g.result, g.row) == ("县民政局", "低保审核", [], "合格", 2)
    assert report.failing() == []
    assert report.summary() == "检查办事指南 1 项，不合格 0 项；表格文件 0 个。"


def test_missing_and_placeholder_elements(tmp_path):
    got = problems(tmp_path, guide(办理地点="", 办理期限="暂无", 申请条件=" / ", 收费依据及标准="无"))
    # 收费依据及标准 = 无 is allowed (no fee); the others are not filled in
    assert got == [["申请条件未填写实际内容（“/”）", "缺少办理地点", "办理期限未填写实际内容（“暂无”）"]]


@pytest.mark.parametrize("number, ok", [
    ("0571-88881234", True),
    ("（0571）88881234", True),
    ("0571 88881234", True),
    ("13812345678", True),
    ("12345", True),
    ("12315热线", True),
    ("400-123-4567", True),
    ("88881234", True),  # a local number
    ("咨询电话：8888 1234", True),  # grouped with a space
    ("详见窗口公示", False),
    ("请拨打咨询电话", False),
    ("123456", False),  # too short for a phone number, not a hot line
    ("1381234567", False),  # a mobile number with a digit missing
])
def test_phone_elements_need_a_number(tmp_path, number, ok):
    got = problems(tmp_path, guide(咨询电话=number))
    assert got == [[] if ok else [f"咨询电话无有效号码（“{number}”）"]]


def test_a_phone_number_a_spreadsheet_stored_as_a_number(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    row = guide()
    ws.append(list(row))
    ws.append([88881234 if k == "咨询电话" else 12345.0 if k == "监督投诉电话" else v for k, v in row.items()])
    wb.save(tmp_path / "g.xlsx")
    report = guide_report([tmp_path / "g.xlsx"])
    assert [g.problems for g in report.guides] == [[]]


def test_a_column_the_export_lacks_counts_missing_in_every_guide_and_is_named(tmp_path):
    rows = [{k: v for k, v in guide(name=n).items() if k != "监督投诉电话"} for n in ("甲", "乙")]
    report = guide_report([write_csv(tmp_path / "g.csv", rows)])
    assert [g.problems for g in report.guides] == [["缺少监督投诉电话"]] * 2
    assert report.missing_columns == {str(tmp_path / "g.csv"): ["监督投诉电话"]}
    assert report.summary().splitlines()[1] == f"{tmp_path / 'g.csv'} 没有监督投诉电话列，其中的指南均按缺少该要素计。"


def test_element_columns_by_other_names(tmp_path):
    row = {"实施主体": "县民政局", "事项名称": "低保", **COMPLETE}
    row["受理地点"] = row.pop("办理地点")
    row["承诺时限"] = row.pop("办理期限")
    assert problems(tmp_path, row) == [[]]


# ------------------------------------------------------------------ reading
def test_a_gbk_export_with_a_platforms_column_names(tmp_path):
    """An export from a 政务服务网 as Excel saves CSV: GBK, its own column names."""
    header = "事项名称,实施主体,设定依据,受理条件,申请材料,办理地点,办理时间,办理流程,法定办结时限,承诺办结时限,收费标准,咨询电话,监督投诉电话"
    row = "低保审核,县民政局,《社会救助暂行办法》,本县户籍,申请书,县政务服务中心,工作日,申请—审核,30个工作日,,不收费,88881234,12345"
    (tmp_path / "g.csv").write_bytes(f"{header}\r\n{row}\r\n".encode("gbk"))
    report = guide_report([tmp_path / "g.csv"])
    assert [(g.unit, g.name, g.problems) for g in report.guides] == [("县民政局", "低保审核", [])]
    assert report.missing_columns == {}  # (法定 and 承诺办结时限 both name 办理期限: the first is read)


def test_bad_rows_are_reported_and_the_batch_goes_on(tmp_path):
    seen = []
    report = guide_report([write_csv(tmp_path / "g.csv", [guide(name=""), guide(name="乙")])], on_problem=seen.append)
    assert [g.name for g in report.guides] == ["乙"]
    assert [(p.row, p.reason) for p in seen] == [(2, "missing 事项名称 (the matter's name)")]
    assert report.skipped_rows == 1


def test_a_file_without_a_name_column_is_a_file_problem(tmp_path):
    seen = []
    path = write_csv(tmp_path / "g.csv", [{"部门": "县民政局", **COMPLETE}])
    report = guide_report([path, tmp_path / "none.csv"], on_problem=seen.append)
    assert report.guides == [] and report.unreadable_files == 2
    assert seen[0].reason.startswith("no name column in the header (expected one of: name, matter, 事项名称")
    assert seen[1].reason == "no such file"


def test_json_lines_and_arrays_with_lists_of_forms(tmp_path):
    blank = form(tmp_path / "申请表.docx", ("姓名", ""))
    sample = form(tmp_path / "申请表（样表）.docx", ("姓名", "张某"))
    row = {"unit": "县民政局", "name": "低保", **COMPLETE, "blank_forms": [blank], "sample_forms": [sample]}
    (tmp_path / "g.jsonl").write_text(json.dumps(row, ensure_ascii=False) + "\n" + "not json\n", encoding="utf-8")
    (tmp_path / "g.json").write_text(json.dumps([row], ensure_ascii=False), encoding="utf-8")
    seen = []
    report = guide_report([tmp_path / "g.jsonl", tmp_path / "g.json"], on_problem=seen.append)
    assert [(g.name, g.problems, g.forms) for g in report.guides] == [("低保", [], 2), ("低保", [], 2)]
    assert [(p.row, p.reason) for p in seen] == [(2, "bad JSON (Expecting value at column 1)")]


# ------------------------------------------------------------------ forms
def test_form_names_and_pairs():
    assert form_name("表格/申请表（空表）.docx") == "申请表"
    assert form_name("https://x.gov.cn/a/申请表-样表.docx") == "申请表"
    assert form_name("样表.docx") == "样表"  # nothing left: the name as it is
    # one of each: a pair whatever the names
    assert pair_forms(["a.docx"], ["b.docx"]) == [("a", "a.docx", "b.docx")]
    assert pair_forms(["甲表.docx", "乙表.docx", "丙表.docx"], ["乙表（样表）.docx", "甲表样例.docx", "丁表（样表）.doc"]) == [
        ("甲表", "甲表.docx", "甲表样例.docx"),
        ("乙表", "乙表.docx", "乙表（样表）.docx"),
        ("丙表", "丙表.docx", None),
        ("丁表", None, "丁表（样表）.doc"),
    ]


def test_good_forms_pass(tmp_path):
    blank = form(tmp_path / "表格" / "申请表.docx", ("姓名", ""), ("住址", ""))
    sample = form(tmp_path / "表格" / "申请表（样表）.docx", ("姓名", "张某"), ("住址", "城关镇"))
    report = guide_report([write_csv(tmp_path / "g.csv", [guide(空表=f"表格/{blank}", 样表=f"表格/{sample}")])])
    (g,) = report.guides
    assert (g.problems, g.forms, g.forms_unverified) == ([], 2, 0)


def test_a_missing_half_of_a_pair(tmp_path):
    form(tmp_path / "甲表.docx", ("姓名", ""))
    form(tmp_path / "乙表（样表）.docx", ("姓名", "张某"))
    form(tmp_path / "丙表.docx", ("姓名", ""))
    form(tmp_path / "丙表（样表）.docx", ("姓名", "李某"))
    got = problems(tmp_path, guide(空表="甲表.docx\n丙表.docx", 样表="乙表（样表）.docx；丙表（样表）.docx"))
    assert got == [["表格“甲表”缺少样表", "表格“乙表”缺少空表"]]


def test_unusable_files(tmp_path):
    (tmp_path / "照片.jpg").write_bytes(JPEG)
    (tmp_path / "空.docx").write_bytes(b"")
    (tmp_path / "说明.txt").write_text("请到窗口领取", encoding="utf-8")
    (tmp_path / "拍照.docx").write_bytes(JPEG)
    got = problems(tmp_path, guide(
        空表="照片.jpg;空.docx;说明.txt;没有.docx;拍照.docx",
        样表="照片（样表）.docx;空（样表）.docx;说明（样表）.docx;没有（样表）.docx;拍照（样表）.docx"))
    assert got == [[
        "空表“照片.jpg”为图片（JPEG图片），不可编辑",
        "样表“照片（样表）.docx”文件不存在",
        "空表“空.docx”为空文件",
        "样表“空（样表）.docx”文件不存在",
        "空表“说明.txt”格式不可编辑（不是Word、Excel、WPS或PDF文件（扩展名为.txt））",
        "样表“说明（样表）.docx”文件不存在",
        "空表“没有.docx”文件不存在",
        "样表“没有（样表）.docx”文件不存在",
        "空表“拍照.docx”为图片（JPEG图片（扩展名为.docx）），不可编辑",
        "样表“拍照（样表）.docx”文件不存在",
    ]]
    # the text of a hyperlink, its address left out by the export
    assert problems(tmp_path, guide(空表="点击下载", 样表="点击下载（样表）")) == [[
        "空表“点击下载”不是文件名或网址（超链接的文字？请导出链接地址或文件路径）",
        "样表“点击下载（样表）”不是文件名或网址（超链接的文字？请导出链接地址或文件路径）",
    ]]


def test_blank_and_sample_compared(tmp_path):
    form(tmp_path / "同一.docx", ("姓名", ""))
    form(tmp_path / "未填.docx", ("姓名", ""), ("住址", ""))
    form(tmp_path / "未填（样表）.docx", ("姓名", ""), ("住址", ""), author="x")  # same text, other bytes
    form(tmp_path / "互换（空表）.docx", ("姓名", "张某"), ("住址", "城关镇"))  # the filled one offered as blank
    form(tmp_path / "互换（样表）.docx", ("姓名", ""), ("住址", ""))
    got = problems(
        tmp_path,
        guide(name="同一", 空表="同一.docx", 样表="同一.docx"),
        guide(name="未填", 空表="未填.docx", 样表="未填（样表）.docx"),
        guide(name="互换", 空表="互换（空表）.docx", 样表="互换（样表）.docx"),
    )
    assert got == [
        ["表格“同一”的空表与样表是同一文件"],
        ["表格“未填”的样表未填写示例内容（与空表相同）"],
        ["表格“互换”的空表与样表疑似互换（空表内容多于样表）"],
    ]


def _doc_form(path: Path, *cells: tuple[str, str], author: str = "") -> None:
    """A Word 97–2003 form: a title and a table; ``author`` (any) stores it in two runs:
    other bytes, the same text."""
    rows = "".join(f"{label}\x07{value}\x07\x07" for label, value in cells)
    title = path.stem.split("（")[0]
    runs = [(f"{title}\r", False), (f"{rows}\r", False)] if author else [(f"{title}\r{rows}\r", False)]
    path.write_bytes(word_document(runs))


def _pdf_form(path: Path, *cells: tuple[str, str], author: str = "") -> None:
    """A PDF form: a title and a line for each label and value; ``author`` (any) adds a
    byte after the end."""
    lines = [path.stem.split("（")[0], *(f"{label}：{value}" for label, value in cells)]
    path.write_bytes(chinese_page_pdf("\n".join(lines)) + (b"\n" if author else b""))


@pytest.mark.parametrize("suffix, write", [(".doc", _doc_form), (".wps", _doc_form), (".pdf", _pdf_form)])
def test_word_97_wps_and_pdf_forms_are_compared_too(tmp_path, suffix, write):
    """.doc, .wps and PDF forms (most guides offer them) are compared like .docx ones."""
    write(tmp_path / f"未填{suffix}", ("姓名", ""), ("住址", ""))
    write(tmp_path / f"未填（样表）{suffix}", ("姓名", ""), ("住址", ""), author="x")
    write(tmp_path / f"互换（空表）{suffix}", ("姓名", "张某"), ("住址", "城关镇"))
    write(tmp_path / f"互换（样表）{suffix}", ("姓名", ""), ("住址", ""))
    write(tmp_path / f"好（样表）{suffix}", ("姓名", "张某"), ("住址", "城关镇"))
    got = problems(
        tmp_path,
        guide(name="未填", 空表=f"未填{suffix}", 样表=f"未填（样表）{suffix}"),
        guide(name="互换", 空表=f"互换（空表）{suffix}", 样表=f"互换（样表）{suffix}"),
        guide(name="好", 空表=f"未填{suffix}", 样表=f"好（样表）{suffix}"),
    )
    assert got == [
        ["表格“未填”的样表未填写示例内容（与空表相同）"],
        ["表格“互换”的空表与样表疑似互换（空表内容多于样表）"],
        [],
    ]


def test_a_password_protected_word_97_form_cannot_be_used(tmp_path):
    (tmp_path / "锁.doc").write_bytes(word_document([("申请表\r", False)], encrypted=True))
    _doc_form(tmp_path / "锁（样表）.doc", ("姓名", "张某"))
    assert problems(tmp_path, guide(name="锁", 空表="锁.doc", 样表="锁（样表）.doc")) == [
        ["空表“锁.doc”无法读取（有密码保护的Word文件）"]]


def test_a_filled_sample_is_not_called_swapped(tmp_path):
    """Near misses: a sample with more written in, or with other labels, is fine."""
    form(tmp_path / "甲.docx", ("姓名", ""), ("备注", "（可不填）"))
    form(tmp_path / "甲（样表）.docx", ("姓名", "张某"), ("备注", ""))  # a shorter sample, but not a subset
    assert problems(tmp_path, guide(空表="甲.docx", 样表="甲（样表）.docx")) == [[]]


def test_files_labelled_as_the_other_role(tmp_path):
    form(tmp_path / "申请表（样表）.docx", ("姓名", "张某"), ("住址", "城关镇"))
    form(tmp_path / "申请表（空白）.docx", ("姓名", ""), ("住址", ""))
    got = problems(tmp_path, guide(空表="申请表（样表）.docx", 样表="申请表（空白）.docx"))
    assert got == [[
        "空表“申请表（样表）.docx”的文件名标为样表，疑似链接错误",
        "样表“申请表（空白）.docx”的文件名标为空表，疑似链接错误",
        "表格“申请表”的空表与样表疑似互换（空表内容多于样表）",
    ]]


def test_forms_the_materials_name_must_be_offered(tmp_path):
    materials = "1.《临时救助申请表》；2.《个人（家庭）经济状况承诺书》；3.身份证；4.提交申请表一份"
    form(tmp_path / "申请表.docx", ("姓名", ""))
    form(tmp_path / "申请表（样表）.docx", ("姓名", "张某"))
    got = problems(tmp_path, guide(name="甲", 办理材料=materials),
                   guide(name="乙", 办理材料=materials, 空表="申请表.docx", 样表="申请表（样表）.docx"),
                   guide(name="丙", 办理材料="《中华人民共和国社会救助法》规定的材料"))
    assert got == [
        # only names in title marks: "提交申请表一份" names no form; a law is not a form
        ["办理材料所列《临时救助申请表》未提供空表、样表下载", "办理材料所列《个人（家庭）经济状况承诺书》未提供空表、样表下载"],
        [],  # forms are offered (which one is which, file names cannot say for sure)
        [],
    ]


def test_no_form_columns_or_no_materials_element_means_no_forms_check(tmp_path):
    row = {k: v for k, v in guide(办理材料="《临时救助申请表》").items() if k not in ("空表", "样表")}
    assert problems(tmp_path, row) == [[]]  # the export does not say what is offered
    config = parse_guide_config('materials = ""\n[[elements]]\nname = "办理材料"\n')
    report = guide_report([write_csv(tmp_path / "g.csv", [guide(办理材料="《临时救助申请表》")])], config)
    assert [g.problems for g in report.guides] == [[]]


def test_one_column_of_forms_is_split_by_the_files_names(tmp_path):
    form(tmp_path / "申请表.docx", ("姓名", ""))
    form(tmp_path / "申请表（样表）.docx", ("姓名", "张某"))
    form(tmp_path / "承诺书.docx", ("承诺人", ""))
    row = {k: v for k, v in guide(办理材料="《申请表》《承诺书》").items() if k not in ("空表", "样表")}
    report = guide_report([write_csv(tmp_path / "g.csv", [
        {**row, "表格下载": "申请表.docx\n申请表（样表）.docx\n承诺书.docx"}, {**row, "事项名称": "乙", "表格下载": ""}])])
    assert [(g.name, g.problems, g.forms) for g in report.guides] == [
        ("低保审核", ["表格“承诺书”缺少样表"], 3),
        ("乙", ["办理材料所列《申请表》未提供空表、样表下载", "办理材料所列《承诺书》未提供空表、样表下载"], 0),
    ]


def test_guides_in_an_api_reply(tmp_path):
    reply = {"code": 200, "data": {"records": [{"name": "低保审核", "unit": "县民政局", **COMPLETE}]}}
    (tmp_path / "g.json").write_text(json.dumps(reply, ensure_ascii=False), encoding="utf-8")
    report = guide_report([tmp_path / "g.json"])
    assert [(g.unit, g.name, g.problems, g.row) for g in report.guides] == [("县民政局", "低保审核", [], 1)]


def test_links_are_counted_not_verified(tmp_path):
    report = guide_report([write_csv(tmp_path / "g.csv", [
        guide(空表="https://x.gov.cn/申请表.docx", 样表="https://x.gov.cn/申请表（样表）.docx")])])
    (g,) = report.guides
    assert (g.problems, g.forms, g.forms_unverified) == ([], 2, 2)
    assert report.summary() == "检查办事指南 1 项，不合格 0 项；表格文件 2 个，其中 2 个为链接，未核验。"


def test_workbook_cells_that_link_to_the_forms(tmp_path):
    """A platform's export shows 下载 and links it to the form: the link is the form."""
    form(tmp_path / "表格" / "申请表.docx", ("姓名", ""))
    form(tmp_path / "表格" / "申请表（样表）.docx", ("姓名", "张某"))
    wb = openpyxl.Workbook()
    ws = wb.active
    row = guide(空表="下载", 样表="下载")
    ws.append(list(row))
    ws.append(list(row.values()))
    blank, sample = list(row).index("空表") + 1, list(row).index("样表") + 1
    ws.cell(2, blank).hyperlink = "表格/申请表.docx"  # a relative link, as a saved page's export has
    ws.cell(2, sample).hyperlink = "https://x.gov.cn/表格/申请表（样表）.docx"
    wb.save(tmp_path / "g.xlsx")
    (g,) = guide_report([tmp_path / "g.xlsx"]).guides
    assert (g.problems, g.forms, g.forms_unverified) == ([], 2, 1)


def test_workbook_cells_with_hyperlink_formulas_to_the_forms(tmp_path):
    """A generated export writes =HYPERLINK("表格/申请表.docx", "下载"): the address is the form."""
    form(tmp_path / "表格" / "申请表.docx", ("姓名", ""))
    (tmp_path / "表格" / "申请表（样表）.jpg").write_bytes(JPEG)
    wb = openpyxl.Workbook()
    ws = wb.active
    row = guide(空表='=HYPERLINK("表格/申请表.docx","下载")', 样表='=HYPERLINK("表格/申请表（样表）.jpg","下载")')
    ws.append(list(row))
    ws.append(list(row.values()))
    wb.save(tmp_path / "g.xlsx")
    (g,) = guide_report([tmp_path / "g.xlsx"]).guides
    assert (g.problems, g.forms, g.forms_unverified) == (["样表“表格/申请表（样表）.jpg”为图片（JPEG图片），不可编辑"], 2, 0)


def test_links_downloaded_into_the_forms_dir_are_checked(tmp_path):
    (tmp_path / "下载").mkdir()
    (tmp_path / "下载" / "申请表.jpg").write_bytes(JPEG)
    form(tmp_path / "下载" / "申请表（样表）.docx", ("姓名", "张某"))
    row = guide(空表="https://x.gov.cn/bs/%E7%94%B3%E8%AF%B7%E8%A1%A8.jpg?v=2",  # 申请表.jpg, percent-escaped
                样表="https://x.gov.cn/bs/申请表（样表）.docx")
    report = guide_report([write_csv(tmp_path / "g.csv", [row, guide(name="乙", 空表="https://x.gov.cn/a/甲表.docx",
                                                                     样表="https://x.gov.cn/a/")])],
                          forms_dir=tmp_path / "下载")
    assert [(g.problems, g.forms, g.forms_unverified) for g in report.guides] == [
        (["空表“https://x.gov.cn/bs/%E7%94%B3%E8%AF%B7%E8%A1%A8.jpg?v=2”为图片（JPEG图片），不可编辑"], 2, 0),
        ([], 2, 2),  # not downloaded (or no file name): not verified
    ]


def test_a_windows_path_to_a_form(tmp_path):
    form(tmp_path / "表格" / "申请表.docx", ("姓名", ""))
    form(tmp_path / "表格" / "申请表（样表）.docx", ("姓名", "张某"))
    assert problems(tmp_path, guide(空表="表格\\申请表.docx", 样表="表格\\申请表（样表）.docx")) == [[]]


def test_a_directory_of_guides_beside_a_folder_of_forms(tmp_path):
    form(tmp_path / "表格" / "申请表.docx", ("姓名", ""))
    form(tmp_path / "表格" / "申请表（样表）.docx", ("姓名", "张某"))
    write_csv(tmp_path / "民政.csv", [guide(空表="表格/申请表.docx", 样表="表格/申请表（样表）.docx")])
    write_csv(tmp_path / "人社.csv", [guide(name="乙", unit="县人社局")])
    seen = []
    report = guide_report([tmp_path], on_problem=seen.append)  # the files in it, not the forms below it
    assert [(Path(g.file).name, g.name, g.problems) for g in report.guides] == [
        ("人社.csv", "乙", []), ("民政.csv", "低保审核", [])]
    assert seen == []
    # a folder of forms only: no guides file in it, and the workbook below is not read as one
    (tmp_path / "表格" / "excel").mkdir()
    openpyxl.Workbook().save(tmp_path / "表格" / "excel" / "登记表（样表）.xlsx")
    report = guide_report([tmp_path / "表格"], on_problem=seen.append)
    assert report.guides == [] and [p.reason[:16] for p in seen] == ["no files of post"]


def test_forms_dir(tmp_path):
    form(tmp_path / "下载" / "申请表.docx", ("姓名", ""))
    form(tmp_path / "下载" / "申请表（样表）.docx", ("姓名", "张某"))
    (tmp_path / "export").mkdir()
    path = write_csv(tmp_path / "export" / "g.csv", [guide(空表="申请表.docx", 样表="申请表（样表）.docx")])
    assert [g.problems for g in guide_report([path]).guides] == [
        ["空表“申请表.docx”文件不存在", "样表“申请表（样表）.docx”文件不存在"]]
    assert [g.problems for g in guide_report([path], forms_dir=tmp_path / "下载").guides] == [[]]


# ------------------------------------------------------------------ configuration
def test_configuration_replaces_the_elements():
    config = parse_guide_config('placeholders = ["暂无"]\n[[elements]]\nname = "办理地点"\n'
                          '[[elements]]\nname = "咨询电话"\naliases = ["联系电话"]\nphone = true\n')
    assert [e.name for e in config.elements] == ["办理地点", "咨询电话"]
    assert [e.name for e in load_guide_config().elements] == [
        "设定依据", "申请条件", "办理材料", "办理地点", "办理时间", "办理流程", "办理期限", "收费依据及标准",
        "咨询电话", "监督投诉电话"]


def test_configured_elements_are_checked(tmp_path):
    config = parse_guide_config('placeholders = ["暂无"]\n[[elements]]\nname = "联系电话"\nphone = true\n')
    rows = [{"事项名称": "甲", "联系电话": "暂无"}, {"事项名称": "乙", "联系电话": "无"}, {"事项名称": "丙", "联系电话": "12345"}]
    report = guide_report([write_csv(tmp_path / "g.csv", rows)], config)
    assert [g.problems for g in report.guides] == [["联系电话未填写实际内容（“暂无”）"], ["联系电话无有效号码（“无”）"], []]


@pytest.mark.parametrize("text, message", [
    ("elements = 3", "elements: Input should be a valid list"),
    ("[[elements]]\nname = \"\"", "elements.0.name: String should have at least 1 character"),
    ("[[elements]]\nname = \"a\"\n[[elements]]\nname = \"a\"", "element a is listed twice"),
    ("[[elements]]\nname = \"a\"\nphone = \"maybe\"", "elements.0.phone: Input should be a valid boolean"),
    ("colour = 1", "colour: Extra inputs are not permitted"),
    ('materials = "申请材料"\n[[elements]]\nname = "办理材料"', "materials: no element is named 申请材料"),
    ("[[elements]", "not valid TOML"),
])
def test_a_bad_configuration_is_a_clear_error(text, message):
    with pytest.raises(GuideConfigError) as info:
        parse_guide_config(text, "guides.toml")
    assert str(info.value).startswith("guides.toml: ") and message in str(info.value)


# ------------------------------------------------------------------ command
def run(*args):
    return CliRunner().invoke(main, ["report", "guides", *args])


def test_command_formats_and_exit_codes(tmp_path):
    blank = form(tmp_path / "申请表.docx", ("姓名", ""))
    (tmp_path / "申请表（样表）.jpg").write_bytes(JPEG)
    path = write_csv(tmp_path / "g.csv", [guide(name="甲", 办理地点=""), guide(name="乙", 空表=blank, 样表="申请表（样表）.jpg"),
                                          guide(name="丙", unit="县人社局")])
    r = run(str(path))
    assert r.exit_code == 0
    assert r.output == (
        "| 部门 | 事项名称 | 存在问题 | 检查结果 |\n"
        "| --- | --- | --- | --- |\n"
        "| 县民政局 | 甲 | 缺少办理地点 | 不合格 |\n"
        "| 县民政局 | 乙 | 样表“申请表（样表）.jpg”为图片（JPEG图片），不可编辑 | 不合格 |\n"
        "\n"
        "检查办事指南 3 项，不合格 2 项（涉及 1 个部门）；表格文件 2 个。\n"
    )
    r = run("--format", "csv", "--detail", str(path))
    rows = list(csv.reader(r.output.splitlines()))
    assert rows[0] == ["部门", "事项名称", "表格文件", "未核验（链接）", "存在问题", "检查结果", "文件", "行"]
    assert rows[3] == ["县人社局", "丙", "0", "0", "", "合格", str(path), "4"]
    data = json.loads(run("--format", "json", str(path)).output)
    assert data["summary"] == {"guides": 3, "failing": 2, "forms": 2, "forms_unverified": 0, "skipped_rows": 0,
                               "unreadable_files": 0, "missing_columns": {}}
    assert data["guides"][0] == {"unit": "县民政局", "name": "甲", "url": "", "result": "不合格",
                                 "problems": ["缺少办理地点"], "forms": 0, "forms_unverified": 0,
                                 "file": str(path), "row": 2}
    out = tmp_path / "report.xlsx"
    assert run("--format", "xlsx", "--output", str(out), str(path)).exit_code == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["办事指南不合格事项", "办事指南检查明细"]
    assert wb["办事指南检查明细"].max_row == 4
    # a bad row: reported on stderr, counted, exit 2
    path.write_text(path.read_text(encoding="utf-8-sig") + "县民政局,,,,\n", encoding="utf-8")
    r = run(str(path))
    assert r.exit_code == 2
    assert f"{path}:5: missing 事项名称 (the matter's name); row skipped" in r.stderr
    assert r.exit_code == 2 and "跳过 1 行、0 个无法读取的文件" in r.stdout


def test_a_forms_dir_that_is_not_there_is_a_usage_error(tmp_path):
    r = run("--forms-dir", str(tmp_path / "nowhere"), str(write_csv(tmp_path / "g.csv", [guide()])))
    assert r.exit_code == 2 and "does not exist" in r.stderr


def test_a_bad_rules_file_is_a_usage_error(tmp_path):
    rules = tmp_path / "guides.toml"
    rules.write_text("[[elements]]\nname = 1\n", encoding="utf-8")
    r = run("--rules", str(rules), str(write_csv(tmp_path / "g.csv", [guide()])))
    assert r.exit_code == 2 and f"{rules}: elements.0.name: Input should be a valid string" in r.stderr


def test_the_docs_example_is_real(monkeypatch):
    """docs/cli-report.md pastes a run over examples/guides; it must still be true."""
    root = Path(__file__).resolve().parents[1]
    monkeypatch.chdir(root)
    r = CliRunner().invoke(main, ["report", "guides", "examples/guides/办事指南.csv"], catch_exceptions=False)
    docs = (root / "docs" / "cli-report.md").read_text(encoding="utf-8")
    assert f"$ cuomin report guides examples/guides/办事指南.csv\n{r.stdout}```" in docs
