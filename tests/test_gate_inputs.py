"""Inputs of the pre-publication gate: .txt, .md, .html, .docx, stdin and directories.

Each test pins where a finding is reported (line/column as the user sees the file,
and the exact offsets into the extracted text) and what must not be read.
"""

import json
import zipfile

import docx
import pytest
from click.testing import CliRunner

from cuomin.check import check_inputs
from cuomin.cli import main
from cuomin.readers import InputError, read_bytes, read_document
from cuomin.readers.walk import expand

from .conftest import DATE
from .docfile import word_document
from .pdffile import chinese_pdf

POL = "中华人名共和国"


def run(args, input=None):
    return CliRunner().invoke(main, ["check", "--isolated", "--date", DATE.isoformat(), *args], input=input)


def check(scanner, *paths):
    return list(check_inputs(scanner, [str(p) for p in paths], published=DATE))


def where(result):
    return [(f.code, f.line, f.column, f.text) for f in result.findings]


def assert_exact(result):
    """Offsets are exact in the extracted text, whatever the line/column say."""
    for f in result.findings + result.suppressed:
        assert result.document.text[f.start : f.end] == f.text


# ------------------------------------------------------------------ plain text
def test_plain_text_crlf_keeps_lines_and_columns(tmp_path, scanner):
    p = tmp_path / "a.txt"
    p.write_bytes("第一行\r\n热烈庆祝中华人名共和国成立\r\n".encode("utf-8"))
    (r,) = check(scanner, p)
    assert where(r) == [("POL001", 2, 5, POL)]
    assert r.document.kind == "text" and r.document.encoding == "utf-8"
    assert_exact(r)


# ------------------------------------------------------------------ markdown
MD = """---
title: 中华人名共和国
---
# 通知

热烈庆祝中华人名共和国成立，详见[附件](https://example.gov.cn/己经.html)。

```text
代码里的中华人名共和国不查
```

行内 `己经` 不查，正文己经要查。<span class="己经">标签不查</span>
"""


def test_markdown_checks_prose_and_masks_code_links_and_front_matter(tmp_path, scanner):
    p = tmp_path / "a.md"
    p.write_text(MD, encoding="utf-8")
    (r,) = check(scanner, p)
    assert where(r) == [("POL001", 6, 5, POL), ("TYP001", 12, 14, "己经")]
    assert len(r.document.text) == len(MD)  # masking keeps every offset
    assert r.text == MD  # reports show the source lines, not the masked text
    assert_exact(r)


def test_markdown_gb18030_file(tmp_path, scanner):
    p = tmp_path / "gbk.md"
    p.write_bytes("# 标题\n\n中华人名共和国\n".encode("gbk"))
    (r,) = check(scanner, p)
    assert where(r) == [("POL001", 3, 1, POL)]
    assert r.document.encoding == "gb18030"


# ------------------------------------------------------------------ html
HTML = """<!DOCTYPE html>
<html><head><title>中华人名共和国国庆通知</title>
<style>p::after { content: "中华人名共和国"; }</style>
<script>var s = "己经";</script>
</head><body>
<div class="nav"><a href="/己经">首页</a></div>
<p>热烈庆祝中华人
名共和国成立，
县环保局已经安装。</p><p>第二段&nbsp;己经&amp;</p>
<pre>保留  空格 己经</pre>
</body></html>
"""


def test_html_visible_text_only_with_source_lines(tmp_path, scanner):
    p = tmp_path / "a.html"
    p.write_text(HTML, encoding="utf-8")
    (r,) = check(scanner, p)
    doc = r.document
    assert doc.text == (
        "中华人名共和国国庆通知\n首页\n热烈庆祝中华人名共和国成立，县环保局已经安装。\n"
        "第二段\xa0己经&\n保留  空格 己经\n"
    )
    # line and column in the HTML source; the word broken over two source lines is
    # found (a line break between Chinese characters is not a space)
    assert [(f.code, f.line, f.column) for f in r.findings] == [
        ("POL001", 2, 20),  # <title>
        ("POL001", 7, 8),  # starts on line 7, ends on line 8
        ("OUT002", 9, 2),
        ("TYP001", 9, 26),  # after &nbsp;
        ("TYP001", 10, 13),  # inside <pre>
    ]
    assert [f.text for f in r.findings] == [POL, POL, "环保局", "己经", "己经"]
    assert_exact(r)
    span = doc.source_span(r.findings[2].start, r.findings[2].end)
    assert HTML[span[0] : span[1]] == "环保局"  # verbatim: a fix can point into the file
    assert doc.source_span(r.findings[1].start, r.findings[1].end) is None  # broken over lines: no exact span
    assert r.region(r.findings[1]) == (7, 8, 8, 5)
    # the map travels back from a --jobs worker (as arrays of integers) and still says the same
    import pickle

    back = pickle.loads(pickle.dumps(r))
    every = [(a, b) for a in range(len(doc.text) + 1) for b in range(a, min(a + 9, len(doc.text) + 1))]
    assert [back.document.source_map.region(a, b) for a, b in every] == [doc.source_map.region(a, b) for a, b in every]
    assert [back.document.source_span(a, b) for a, b in every] == [doc.source_span(a, b) for a, b in every]


def test_pdf_text_a_line_per_line_joined_where_a_paragraph_goes_on(tmp_path, scanner):
    # a body line as long as the page allows, ending in Chinese, goes on in the next: a
    # word broken there is one word; the title and a paragraph's short last line do not
    page1 = ("关于庆祝国庆的通知\n"
             "各单位：为热烈庆祝中华人名共和国成立七十五周\n"
             "年，县环保局现将有关事项通知如下。\n"
             "一、时间安排\n")
    (tmp_path / "a.pdf").write_bytes(chinese_pdf([page1, "联系人：王某，电话13812345678"]))
    (r,) = check(scanner, tmp_path / "a.pdf")
    assert r.error is None and r.document.kind == "pdf"
    assert r.document.text == ("关于庆祝国庆的通知\n各单位：为热烈庆祝中华人名共和国成立七十五周年，县环保局现将有关事项"
                               "通知如下。\n一、时间安排\n联系人：王某，电话13812345678")
    assert [(f.code, f.line, f.column, r.label(f)) for f in r.findings] == [
        ("POL001", 2, 10, "第1页第2行"), ("OUT002", 2, 26, "第1页第2行"), ("PRI002", 4, 10, "第2页第1行")]
    assert_exact(r)
    # a list of short lines is not prose: not joined
    (tmp_path / "b.pdf").write_bytes(chinese_pdf(["县长\n李卫东"]))
    assert check(scanner, tmp_path / "b.pdf")[0].document.text == "县长\n李卫东"
    # found in a walk; a fix is never written into one
    assert [x.rsplit("/", 1)[1] for x in expand([str(tmp_path)])] == ["a.pdf", "b.pdf"]
    before = (tmp_path / "a.pdf").read_bytes()
    r = run(["--fix", "--write", str(tmp_path / "a.pdf")])
    assert r.exit_code == 1 and (tmp_path / "a.pdf").read_bytes() == before
    assert not (tmp_path / "a.pdf.bak").exists()
    assert "a.pdf:2:10: ［第1页第2行］POL001" in run([str(tmp_path / "a.pdf")]).stdout


def test_a_paragraph_goes_on_over_a_page_its_page_number_left_out(tmp_path, scanner):
    page1 = "关于庆祝国庆的通知\n各单位：为热烈庆祝中华人民共和国成立七十五周\n年，根据《国务院办公厅关于国庆节放假的通\n— 1 —\n"
    page2 = "第2页 共2页\n知》，现将有关事项通知如下。\n县政府办公室"
    (tmp_path / "a.pdf").write_bytes(chinese_pdf([page1, page2]))
    (r,) = check(scanner, tmp_path / "a.pdf")
    assert r.document.text == ("关于庆祝国庆的通知\n各单位：为热烈庆祝中华人民共和国成立七十五周年，根据《国务院办公厅关于国庆节"
                               "放假的通知》，现将有关事项通知如下。\n县政府办公室")
    assert r.document.labels == ("第1页第1行", "第1页第2行", "第2页第1行")
    assert r.findings == []  # 《…》 whole again: nothing unpaired
    # a line of Latin letters or digits goes on after a space
    (tmp_path / "b.pdf").write_bytes(chinese_pdf(["The State Council of the People's\nRepublic of China 2024"]))
    assert check(scanner, tmp_path / "b.pdf")[0].document.text == "The State Council of the People's Republic of China 2024"


def test_pdfs_without_text_are_input_errors(tmp_path, scanner):
    from .pdffile import IMAGE, IMAGE_PAGE, page_pdf, stream

    tree(tmp_path, {
        "scan.pdf": page_pdf(IMAGE_PAGE, b"<< /XObject << /Im1 5 0 R >> >>", stream(b"\x00\xff\xff\x00", IMAGE)),
        "broken.pdf": b"%PDF-1.4\n1 0 obj << /Type /Catalog",
        "named.pdf": POL.encode(),
    })
    results = check(scanner, *(tmp_path / n for n in ("scan.pdf", "broken.pdf", "named.pdf")))
    assert [r.error[len(str(tmp_path)) + 1 :] for r in results] == [
        "scan.pdf: a PDF without text (a scan?): check the text it was made from",
        "broken.pdf: a PDF that cannot be read (PdfStreamError)",
        "named.pdf: not a PDF file",
    ]


def test_html_script_and_style_never_read_even_unclosed_elsewhere(scanner):
    doc = read_bytes("<p>甲</p><script>中华人名共和国</script><style>己经</style><p>乙</p>".encode(), "x.html")
    assert doc.text == "甲\n乙\n"


# ------------------------------------------------------------------ docx
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def make_docx(path):
    d = docx.Document()
    d.add_heading("关于开展专项行动的通知", 1)  # 第1段
    d.add_paragraph("热烈庆祝中华人名共和国成立75周年。")  # 第2段
    d.add_paragraph("")  # 第3段 (empty paragraphs count, as in Word)
    p = d.add_paragraph("县环保局")  # 第4段: the text is split over runs
    p.add_run("己").bold = True
    p.add_run("经完成。")
    t = d.add_table(rows=2, cols=2)  # 第5-8段
    t.cell(0, 0).text = "联系人"
    t.cell(0, 1).text = "电话"
    t.cell(1, 0).text = "王某"
    t.cell(1, 1).text = "13812345678"
    d.add_paragraph("修订：")  # 第9段, tracked changes below
    d.save(path)
    # tracked changes as Word writes them: a deletion and an insertion in 第9段
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    changes = (
        f'<w:del w:id="1" w:author="a" xmlns:w="{W}"><w:r><w:delText>中华人名共和国</w:delText></w:r></w:del>'
        f'<w:ins w:id="2" w:author="a" xmlns:w="{W}"><w:r><w:t>按装</w:t></w:r></w:ins>'
    )
    xml = xml.replace("<w:t>修订：</w:t></w:r>", "<w:t>修订：</w:t></w:r>" + changes, 1)
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, xml.encode("utf-8") if name == "word/document.xml" else data)
    return path


def test_docx_paragraphs_tables_and_tracked_changes(tmp_path, scanner):
    p = make_docx(tmp_path / "draft.docx")
    (r,) = check(scanner, p)
    doc = r.document
    assert doc.text.split("\n") == [
        "关于开展专项行动的通知",
        "热烈庆祝中华人名共和国成立75周年。",
        "",
        "县环保局己经完成。",
        "联系人",
        "电话",
        "王某",
        "13812345678",
        "修订：按装",  # deletion left out, insertion in: the text that will be published
    ]
    got = [(f.code, f.line, f.column, r.label(f)) for f in r.findings]
    assert got == [
        ("POL001", 2, 5, "第2段"),
        ("OUT002", 4, 2, "第4段"),
        ("TYP001", 4, 5, "第4段"),
        ("PRI002", 8, 1, "表格1第2行第2列，第8段"),
        ("TYP001", 9, 4, "第9段"),
    ]
    assert_exact(r)
    assert len(doc.sha256) == 64 and not doc.writable


def test_docx_label_in_text_and_json_output(tmp_path):
    p = make_docx(tmp_path / "draft.docx")
    r = run([str(p)])
    assert r.exit_code == 1
    assert f"{p}:8:1: ［表格1第2行第2列，第8段］PRI002 " in r.output
    r = run(["--format", "jsonl", str(p)])
    records = [json.loads(x) for x in r.output.splitlines()]
    assert records[0]["location"] == "第2段" and records[0]["line"] == 2


def _rewrite_docx(path, edit):
    """Apply ``edit(parts)`` (part name → bytes) to a .docx written by python-docx."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    edit(parts)
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)


R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _notes(kind, texts):
    """A footnotes/endnotes part as Word writes it: two separator notes, then the notes."""
    tag = kind[:-1]
    seps = "".join(f'<w:{tag} w:type="{t}" w:id="{i}"><w:p><w:r><w:separator/></w:r></w:p></w:{tag}>'
                   for i, t in ((-1, "separator"), (0, "continuationSeparator")))
    notes = "".join(f'<w:{tag} w:id="{i}">' + "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in paras)
                    + f"</w:{tag}>" for i, paras in enumerate(texts, 1))
    return f'<?xml version="1.0" encoding="UTF-8"?><w:{kind} xmlns:w="{W}">{seps}{notes}</w:{kind}>'.encode()


def make_docx_with_surroundings(path):
    d = docx.Document()
    d.add_paragraph("正文第一段。")  # 第1段, refers to footnote 2, then (deleted) footnote 3
    d.add_paragraph("正文第二段。")  # 第2段, holds the text box; refers to footnote 1 and the endnote
    section = d.sections[0]
    section.header.paragraphs[0].text = "县国土资源局文件"
    section.different_first_page_header_footer = True
    section.first_page_footer.paragraphs[0].text = "第一页页脚：中华人名共和国"
    section.footer.paragraphs[0].text = "普通页脚"
    d.add_section()  # a second section: it shares the first one's header (no part of its own)
    d.add_paragraph("第二节正文，己经完成。")  # 第3段
    d.save(path)

    def edit(parts):
        xml = parts["word/document.xml"].decode("utf-8")
        box = "<w:p><w:r><w:t>文本框里的按装说明</w:t></w:r></w:p>"
        # Word writes a text box twice: for readers that know shapes (mc:Choice) and a VML copy (mc:Fallback)
        shape = (f'<w:r><mc:AlternateContent xmlns:mc="{MC_NS}"><mc:Choice Requires="wps"><w:drawing>'
                 f"<w:txbxContent>{box}</w:txbxContent></w:drawing></mc:Choice>"
                 f"<mc:Fallback><w:pict><w:txbxContent>{box}</w:txbxContent></w:pict></mc:Fallback>"
                 "</mc:AlternateContent></w:r>")
        xml = xml.replace("<w:t>正文第二段。</w:t></w:r>", "<w:t>正文第二段。</w:t></w:r>" + shape
                          + '<w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:endnoteReference w:id="1"/></w:r>', 1)
        # Word numbers notes as the text refers to them: footnote 2 is shown first; a
        # reference in a tracked deletion is gone, and its note with it
        xml = xml.replace("<w:t>正文第一段。</w:t></w:r>", '<w:t>正文第一段。</w:t></w:r>'
                          '<w:r><w:footnoteReference w:id="2"/></w:r>'
                          '<w:del w:id="9" w:author="a"><w:r><w:footnoteReference w:id="3"/></w:r></w:del>', 1)
        parts["word/document.xml"] = xml.encode("utf-8")
        header = parts["word/header1.xml"].decode("utf-8")  # and a red header's box in the page header
        parts["word/header1.xml"] = header.replace(
            "<w:t>县国土资源局文件</w:t></w:r>",
            "<w:t>县国土资源局文件</w:t></w:r>" + shape.replace("文本框里的按装说明", "县人民政府办公室"), 1).encode()
        parts["word/footnotes.xml"] = _notes("footnotes", [["脚注一：中华人名共和国"], ["脚注二", "第二段己经"],
                                                           ["删去的脚注：己经"]])
        parts["word/endnotes.xml"] = _notes("endnotes", [["尾注：一如继往"]])
        rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
        extra = "".join(f'<Relationship Id="rIdN{kind}" Type="{R_NS}/{kind}" Target="{kind}.xml"/>'
                        for kind in ("footnotes", "endnotes"))
        parts["word/_rels/document.xml.rels"] = rels.replace("</Relationships>", extra + "</Relationships>").encode()
        types = parts["[Content_Types].xml"].decode("utf-8")
        extra = "".join(
            f'<Override PartName="/word/{kind}.xml" ContentType="application/'
            f'vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml"/>' for kind in ("footnotes", "endnotes"))
        parts["[Content_Types].xml"] = types.replace("</Types>", extra + "</Types>").encode()

    _rewrite_docx(path, edit)
    return path


def test_docx_text_boxes_headers_footers_and_notes_come_after_the_body(tmp_path, scanner):
    p = make_docx_with_surroundings(tmp_path / "red_header.docx")
    (r,) = check(scanner, p)
    lines = r.document.text.split("\n")
    labels = r.document.labels
    assert list(zip(labels, lines)) == [
        ("第1段", "正文第一段。"),
        ("第2段", "正文第二段。"),  # the text box's text is not the paragraph's
        ("第3段", ""),  # the section break (an empty paragraph holding it, as Word counts it)
        ("第4段", "第二节正文，己经完成。"),
        ("文本框1第1段", "文本框里的按装说明"),  # once: the VML copy is not read again
        ("第1节页眉第1段", "县国土资源局文件"),  # headers before footers, the first page's first
        ("第1节页眉文本框1第1段", "县人民政府办公室"),
        ("第1节首页页脚第1段", "第一页页脚：中华人名共和国"),
        ("第1节页脚第1段", "普通页脚"),
        ("脚注1第1段", "脚注二"),  # referred to first
        ("脚注1第2段", "第二段己经"),
        ("脚注2第1段", "脚注一：中华人名共和国"),  # (the deleted one is not read)
        ("尾注1第1段", "尾注：一如继往"),
    ]
    got = [(f.code, f.line, f.column, f.text, r.label(f)) for f in r.findings]
    assert got == [
        ("TYP001", 4, 7, "己经", "第4段"),
        ("TYP001", 5, 6, "按装", "文本框1第1段"),
        ("OUT002", 6, 2, "国土资源局", "第1节页眉第1段"),  # the red header's outdated unit name
        ("POL001", 8, 7, "中华人名共和国", "第1节首页页脚第1段"),
        ("TYP001", 11, 4, "己经", "脚注1第2段"),
        ("POL001", 12, 5, "中华人名共和国", "脚注2第1段"),
        ("TYP001", 13, 4, "一如继往", "尾注1第1段"),
    ]
    assert_exact(r)


def test_a_broken_header_part_is_an_input_error(tmp_path, scanner):
    p = make_docx_with_surroundings(tmp_path / "x.docx")
    _rewrite_docx(p, lambda parts: parts.update({"word/endnotes.xml": b"<w:endnotes"}))
    (r,) = check(scanner, p)
    assert r.error.startswith(f"{p}: a broken .docx package (XMLSyntaxError: ")


def test_bad_word_files_are_input_errors(tmp_path, scanner):
    files = {
        "bad.docx": b"PK\x03\x04 not really a zip",
        "old.docx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,  # an OLE2 header, nothing behind it
        "text.doc": "中华人名共和国".encode("gbk"),
        "locked.doc": word_document([(POL, False)], encrypted=True),
        "word95.doc": word_document([(POL, False)], nfib=0x0065),
        "a.txt": POL.encode(),
    }
    tree(tmp_path, files)
    results = check(scanner, *(tmp_path / n for n in files))
    assert [r.error[len(str(tmp_path)) + 1 :] if r.error else None for r in results] == [
        "bad.docx: not a .docx file (not a Word 2007+ package)",
        "old.docx: a damaged Word 97–2003 file (NotOleFileError)",
        "text.doc: not a Word file (neither Word 97–2003, RTF nor .docx)",
        "locked.doc: a password-protected file: save it without a password",
        "word95.doc: a Word 6 or Word 95 file: save it as .docx",
        None,
    ]
    assert where(results[-1]) == [("POL001", 1, 1, POL)]  # the batch went on


def test_doc_and_wps_files_are_read_a_paragraph_a_line(tmp_path, scanner):
    # one byte a character where Word can store a run so, UTF-16 elsewhere; a table's
    # cells and rows end lines; a field's instructions are skipped and its result kept
    pieces = [("Notice 2023\r", True),
              (f"关于{POL}成立的通知\r姓名\x07张三\x07\x07电话\x07\x13 MERGEFIELD 电话 \x14县安监局\x15\x07\x07"
               f"第一行\x0b第二行己经\r", False)]
    (tmp_path / "a.doc").write_bytes(word_document(pieces))
    (tmp_path / "a.wps").write_bytes(word_document(pieces))
    (tmp_path / "doc.docx").write_bytes(word_document(pieces))  # a .doc under another name
    for name in ("a.doc", "a.wps", "doc.docx"):
        (r,) = check(scanner, tmp_path / name)
        assert r.error is None and r.document.kind == "doc"
        assert r.document.text == f"Notice 2023\n关于{POL}成立的通知\n姓名\n张三\n\n电话\n县安监局\n\n第一行 第二行己经"
        assert [(f.code, f.line, f.column, r.label(f)) for f in r.findings] == [
            ("POL001", 2, 3, "第2段"), ("OUT002", 7, 2, "第7段"), ("TYP001", 9, 8, "第9段")]
        assert_exact(r)
    # a directory's .doc and .wps files are walked and read like the others
    assert [x.rsplit("/", 1)[1] for x in expand([str(tmp_path)])] == ["a.doc", "a.wps", "doc.docx"]
    # no fix is written into one; the text output shows the paragraph
    r = run(["--fix", "--write", str(tmp_path / "a.doc")])
    assert r.exit_code == 1 and (tmp_path / "a.doc").read_bytes() == word_document(pieces)
    r = run([str(tmp_path / "a.doc")])
    assert "a.doc:2:3: ［第2段］POL001" in r.stdout


# ------------------------------------------------------------------ stdin
def test_stdin_reader_follows_the_stdin_name(tmp_path):
    r = run(["--stdin-name", "post.html", "--format", "jsonl", "-"], input="<p>甲</p>\n<p>中华人名共和国</p>")
    rec = json.loads(r.output)
    assert (rec["path"], rec["line"], rec["column"], rec["start"]) == ("post.html", 2, 4, 2)
    data = make_docx(tmp_path / "x.docx").read_bytes()
    r = CliRunner().invoke(main, ["check", "--isolated", "--stdin-name", "x.docx", "--format", "jsonl"], input=data)
    assert json.loads(r.output.splitlines()[0])["location"] == "第2段"


# ------------------------------------------------------------------ directories
def tree(root, files):
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            p.write_bytes(text)
        else:
            p.write_text(text, encoding="utf-8")


def test_directory_walk_honours_cuominignore(tmp_path):
    tree(
        tmp_path,
        {
            ".cuominignore": "# drafts not for publication\narchive/\n*.html\n!keep.html\n",
            "a.txt": POL,
            "b.md": POL,
            "keep.html": POL,
            "skip.html": POL,
            "archive/old.txt": POL,
            "sub/.cuominignore": "c.txt\n",
            "sub/c.txt": POL,
            "sub/d.txt": POL,
            "image.png": b"\x89PNG\x00",
            "~$lock.docx": b"\x00",
            ".git/x.txt": POL,
        },
    )
    got = [x for x in expand([str(tmp_path)])]
    assert got == [str(tmp_path / n) for n in ("a.txt", "b.md", "keep.html", "sub/d.txt")]


def test_rtf_drafts_are_read_a_paragraph_a_line(tmp_path, scanner):
    # Chinese RTF as Word writes it: the GBK code page (\ansicpg936) in \'xx escapes,
    # Unicode in \uN escapes; the font table and pictures are not text
    gbk = "".join(f"\\'{b:02x}" for b in f"关于{POL}成立".encode("gbk"))
    rtf = ("{\\rtf1\\ansi\\ansicpg936{\\fonttbl{\\f0\\fcharset134 SimSun;}}{\\pict\\wmetafile8 0102}"
           f"\\f0 {gbk}\\par " + "".join(f"\\u{ord(c)}?" for c in "县安监局己经") + "\\par}")
    for name in ("a.rtf", "a.doc"):  # Word saves RTF under .doc too
        (tmp_path / name).write_text(rtf, encoding="ascii")
        (r,) = check(scanner, tmp_path / name)
        assert r.error is None and r.document.kind == "rtf" and r.document.text == f"关于{POL}成立\n县安监局己经"
        assert [(f.code, f.line, f.column, r.label(f)) for f in r.findings] == [
            ("POL001", 1, 3, "第1段"), ("OUT002", 2, 2, "第2段"), ("TYP001", 2, 5, "第2段")]


def test_spreadsheets_are_read_a_row_a_line(tmp_path, scanner):
    # a list published as a workbook is where ID and phone numbers are left unmasked
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "公示名单"
    ws.append(["序号", "姓名", "身份证号", "联系电话"])
    ws.append([1, "张某", "11010519491231002X", "13812345678"])
    ws.append([2, "李某", "110105********002X", "138****5678"])  # masked: fine
    ws["F5"] = f"{POL}成立纪念"  # a cell far from the table, its row's other cells empty
    other = wb.create_sheet("说明")
    other.append(["本名单由县安监局提供"])
    wb.save(tmp_path / "名单.xlsx")
    (r,) = check(scanner, tmp_path / "名单.xlsx")
    assert r.error is None and r.document.kind == "sheet"
    assert r.document.text.split("\n") == [
        "序号\t姓名\t身份证号\t联系电话", "1\t张某\t11010519491231002X\t13812345678", "2\t李某\t110105********002X\t138****5678",
        f"\t\t\t\t\t{POL}成立纪念", "本名单由县安监局提供"]
    assert [(f.code, f.text, r.label(f)) for f in r.findings] == [
        ("PRI001", "11010519491231002X", "公示名单第2行"), ("PRI002", "13812345678", "公示名单第2行"),
        ("POL001", POL, "公示名单第5行"), ("OUT002", "安监局", "说明第1行")]
    # a workbook that is not one
    (tmp_path / "坏.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    (bad,) = check(scanner, tmp_path / "坏.xlsx")
    assert bad.error.endswith("坏.xlsx: a workbook that cannot be read (CalamineError)")


def test_a_cell_reads_the_same_in_a_document_and_in_posts(tmp_path):
    import datetime as dt

    import openpyxl

    from cuomin.cells import cell_text
    from cuomin.readers.sheet import sheet_rows
    from cuomin.supervision.posts import read_posts

    when = dt.datetime(2023, 9, 28, 10, 0)
    assert [cell_text(v) for v in (None, 42.0, 42.5, " 县安监局 ", when, when.date(), True)] == [
        "", "42", "42.5", "县安监局", "2023-09-28 10:00:00", "2023-09-28", "True"]
    wb = openpyxl.Workbook()
    wb.active.append(["编号", "正文"])
    wb.active.append([when, "县安监局己经"])
    wb.save(tmp_path / "p.xlsx")
    (row,) = [cells for _, number, cells in sheet_rows((tmp_path / "p.xlsx").read_bytes()) if number == 2]
    (post,) = read_posts([tmp_path / "p.xlsx"])
    assert row[0] == post.id == "2023-09-28 10:00:00"


def test_directory_with_unreadable_drafts_and_explicit_files(tmp_path):
    tree(tmp_path, {"a.txt": POL, "old.doc": b"\xd0\xcf", ".cuominignore": "a.txt\n"})
    assert list(expand([str(tmp_path)])) == [str(tmp_path / "old.doc")]
    # a file named explicitly is read whatever the ignore file says
    assert list(expand([str(tmp_path / "a.txt")])) == [str(tmp_path / "a.txt")]
    r = run([str(tmp_path), str(tmp_path / "a.txt")])
    assert r.exit_code == 2 and "POL001" in r.stdout
    assert r.stderr == f"cuomin: {tmp_path / 'old.doc'}: not a Word file (neither Word 97–2003, RTF nor .docx)\n"


def test_read_document_keeps_bom_for_writing_back(tmp_path):
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbf" + POL.encode("utf-8"))
    doc = read_document(p)
    assert (doc.text, doc.encoding, doc.bom) == (POL, "utf-8", b"\xef\xbb\xbf")


TEXT = "中华人民共和国成立"


@pytest.mark.parametrize("data, encoding, codec, bom", [
    (TEXT.encode("utf-8"), None, "utf-8", b""),
    (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), None, "utf-8", b"\xef\xbb\xbf"),
    (TEXT.encode("gbk"), None, "gb18030", b""),
    (b"\xef\xbb\xbf" + TEXT.encode("gb18030"), None, "gb18030", b"\xef\xbb\xbf"),  # a BOM, then GBK bytes
    (b"\xff\xfe" + TEXT.encode("utf-16-le"), None, "utf-16-le", b"\xff\xfe"),
    (b"\xfe\xff" + TEXT.encode("utf-16-be"), None, "utf-16-be", b"\xfe\xff"),
    (TEXT.encode("utf-16-le"), "utf-16-le", "utf-16-le", b""),
])
def test_decoding_says_how_to_write_the_same_bytes_back(data, encoding, codec, bom):
    doc = read_bytes(data, "a.txt", encoding=encoding)
    assert (doc.text, doc.encoding, doc.bom) == (TEXT, codec, bom)
    assert doc.bom + doc.text.encode(doc.encoding) == data


@pytest.mark.parametrize("data, encoding, message", [
    (b"abc\x00def", None, "a.txt: binary file (contains NUL bytes), not text"),
    (b"\xef\xbb\xbf\x00", None, "a.txt: binary file (contains NUL bytes), not text"),
    (b"ok \xff\xff\xff", None, "a.txt: neither UTF-8 (bad byte at 3) nor GB18030/GBK; give the encoding with --encoding"),
    (b"\xff\xfe\x00\xd8", None, "a.txt: broken UTF-16 text"),
    (b"abc", "no-such-codec", "a.txt: unknown encoding 'no-such-codec'"),
    (b"ok \xff", "utf-8", "a.txt: not valid utf-8 at byte 3"),
    # files often given instead of text, told by their first bytes, with what to do
    (b"%PDF-1.7\n%\xe2\xe3", None, "a.txt: a PDF file (name it .pdf to check its text), not text"),
    (b"PK\x03\x04\x14\x00[Content_Types].xml...word/document.xml", None,
     "a.txt: a Word file (name it .docx to check it), not text"),
    (b"PK\x03\x04\x14\x00[Content_Types].xml...xl/workbook.xml", None,
     "a.txt: an Excel workbook (name it .xlsx to check it; cuomin scan reads posts in one), not text"),
    (b"PK\x03\x04\x14\x00photos/1.jpg", None, "a.txt: a ZIP package, not text"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", None, "a.txt: a Word/Excel 97–2003 or WPS file (a Word file: name it .doc to check it), not text"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", None, "a.txt: a picture, not text"),
    (b"\xef\xbb\xbf%PDF-1.7", None, "a.txt: a PDF file (name it .pdf to check its text), not text"),
    (b"%PDF is how a PDF starts", None, None),  # text that merely begins alike is text
])
def test_bytes_that_are_not_text(data, encoding, message):
    if message is None:
        assert read_bytes(data, "a.txt").text == data.decode()
        return
    with pytest.raises(InputError) as exc:
        read_bytes(data, "a.txt", encoding=encoding)
    assert str(exc.value) == message


# ------------------------------------------------------------------ --jobs
def _results(results):
    """What a user sees of each result: its name, error, findings (with their places)
    and suppressed findings."""
    return [(r.name, r.error, [(f.code, f.start, f.end, f.line, f.column, f.suggestions) for f in r.findings],
             [f.code for f in r.suppressed], r.published) for r in results]


def test_jobs_check_files_in_workers_with_the_same_results_in_order(tmp_path, scanner, monkeypatch):
    from cuomin import check as check_module

    monkeypatch.setattr(check_module, "CHECK_BLOCK", 2)  # several blocks from a few files
    files = {f"{i:02d}.txt": f"第{i}段：{POL}，工作己经完成。" for i in range(9)}
    files.update({
        "page.html": f"<html><head><meta name='PubDate' content='2019-01-02'></head><body><p>国家工商总局</p><p>{POL}</p></body></html>",
        "notes.md": f"# 标题\n\n{POL} `{POL}`\n<!-- cuomin: ignore POL001 -->\n{POL}\n",
        "old.doc": b"\xd0\xcf\x11\xe0",
        "empty.txt": b"",
        "binary.txt": b"\x00\x01\x02\xff" * 20,
    })
    tree(tmp_path, files)
    doc = docx.Document()
    doc.add_paragraph(POL)
    doc.save(tmp_path / "draft.docx")
    inputs = [str(tmp_path), str(tmp_path / "01.txt")]
    one = _results(check_inputs(scanner, inputs, default_date=DATE))
    assert len(one) == 16 and [r[0][-7:] for r in one if r[1]] == ["ary.txt", "old.doc"]
    # with each file read, checked (and its HTML located) in a worker, or in this process
    for jobs in (2, 3):
        assert _results(check_inputs(scanner, inputs, default_date=DATE, jobs=jobs)) == one
    # standard input is read here, in its turn
    monkeypatch.setattr("sys.stdin", type("In", (), {"buffer": __import__("io").BytesIO(POL.encode())})())
    got = _results(check_inputs(scanner, ["-", *inputs], default_date=DATE, jobs=2))
    assert got[0][:3] == ("<stdin>", None, [("POL001", 0, 7, 1, 1, ["中华人民共和国"])]) and got[1:] == one


def test_cli_check_jobs_prints_what_one_process_does(tmp_path):
    tree(tmp_path, {f"{i:02d}.txt": f"{POL}{i}" for i in range(20)})
    outputs = []
    for jobs in ("1", "2"):
        r = run(["--jobs", jobs, "--format", "json", str(tmp_path)])
        outputs.append((r.exit_code, r.stdout))
    assert outputs[0] == outputs[1] and outputs[0][0] == 1
    assert len(json.loads(outputs[0][1])["files"]) == 20
