"""inspect_form: the kind of a form file by its bytes, its text, and never an exception."""

from __future__ import annotations

import hashlib
import os
import shutil
import struct
import sys
import zlib
from pathlib import Path

import docx
import openpyxl
import pytest

from cuomin.supervision.forms import KINDS, FormFile, inspect_form

from .docfile import word_document
from .pdffile import FONT, IMAGE, IMAGE_PAGE, chinese_page_pdf, page_pdf, pdf, stream

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TEXT_PAGE = b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def check(form: FormFile, kind: str, detail: str, text=None, *, usable: bool = False) -> None:
    assert kind in KINDS
    assert (form.kind, form.detail, form.text) == (kind, detail, text)
    assert form.editable is usable and form.usable is usable
    assert form.checked is (kind != "url")


def inspect(tmp_path: Path, name: str, data: bytes) -> FormFile:
    write(tmp_path, name, data)
    form = inspect_form(name, tmp_path)
    assert form.ref == name and form.path == tmp_path / name
    assert form.sha256 == hashlib.sha256(data).hexdigest()
    return form


# ------------------------------------------------------------------ Word and Excel
def test_docx_text(tmp_path):
    document = docx.Document()
    document.add_paragraph("营业执照申请表")
    document.add_paragraph("申请人姓名：")
    document.save(tmp_path / "空表.docx")
    form = inspect_form("空表.docx", tmp_path)
    check(form, "docx", "Word文档（.docx）", "营业执照申请表\n申请人姓名：", usable=True)
    assert form.sha256 == hashlib.sha256((tmp_path / "空表.docx").read_bytes()).hexdigest()


def test_docx_by_bytes_whatever_the_suffix(tmp_path):
    document = docx.Document()
    document.add_paragraph("样表")
    document.save(tmp_path / "form.bin")
    check(inspect_form("form.bin", tmp_path), "docx", "Word文档（.docx）", "样表", usable=True)


def test_a_broken_docx_is_unreadable(tmp_path):
    document = docx.Document()
    document.save(tmp_path / "ok.docx")
    data = (tmp_path / "ok.docx").read_bytes()
    check(inspect(tmp_path, "cut.docx", data[: len(data) // 2]), "unreadable", "无法打开的Word文件")
    # a package with word/document.xml that is not XML
    import zipfile

    with zipfile.ZipFile(tmp_path / "bad.docx", "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "not xml")
    check(inspect_form("bad.docx", tmp_path), "unreadable", "无法打开的Word文件")


def test_other_zip(tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "forms.zip", "w") as z:
        z.writestr("a.txt", "x")
    check(inspect_form("forms.zip", tmp_path), "other", "ZIP压缩包（不是Word或Excel文件）")
    check(inspect(tmp_path, "junk.zip", b"PK\x03\x04" + b"\0" * 40), "unreadable", "损坏的ZIP压缩包")


def test_xlsx_text_all_sheets(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"], ws["A2"], ws["B2"], ws["C3"] = "姓名", "张三", 42, 3.5, "  "
    wb.create_sheet("空")
    wb.create_sheet("备注")["B2"] = "盖章"
    wb.save(tmp_path / "样表.xlsx")
    check(inspect_form("样表.xlsx", tmp_path), "xlsx", "Excel工作簿（.xlsx）", "姓名\n张三\n42\n3.5\n盖章", usable=True)
    shutil.copy(tmp_path / "样表.xlsx", tmp_path / "样表.xlsm")
    check(inspect_form("样表.xlsm", tmp_path), "xlsx", "Excel工作簿（.xlsm）", "姓名\n张三\n42\n3.5\n盖章", usable=True)


def test_xls_text(tmp_path):
    shutil.copy(Path(__file__).parent / "fixtures" / "posts.xls", tmp_path / "表.xls")
    form = inspect_form("表.xls", tmp_path)
    check(form, "xls", "Excel 97-2003工作簿（.xls）", form.text, usable=True)
    assert form.text.split("\n")[:6] == ["序号", "账号名称", "标题", "内容", "发布时间", "1"]
    assert "多行\n正文" in form.text and "2023-09-05" in form.text
    # the streams, not the suffix, say it is a workbook
    shutil.copy(tmp_path / "表.xls", tmp_path / "表.bin")
    assert inspect_form("表.bin", tmp_path).text == form.text


def ole(*streams: str) -> bytes:
    """An OLE2 header and a directory sector holding entries with these names."""
    entries = b""
    for name in ("Root Entry", *streams):
        raw = name.encode("utf-16le") + b"\0\0"
        entries += raw.ljust(64, b"\0") + struct.pack("<H", len(raw)) + b"\0" * 62
    return (OLE + b"\0" * 504) + entries.ljust(512, b"\0")


@pytest.mark.parametrize(
    "name, streams, kind, detail",
    [
        ("a.doc", (), "doc", "Word 97-2003文档（.doc）"),
        ("a.wps", (), "wps", "WPS文字文档（.wps）"),
        ("a.et", (), "et", "WPS表格文档（.et）"),
        ("a.bin", ("WordDocument",), "doc", "Word 97-2003文档（.doc）"),
        ("a.wps", ("WordDocument",), "wps", "WPS文字文档（.wps）"),
        ("a.doc", ("Workbook",), "unreadable", "无法打开的Excel文件"),  # an .xls, and not a real one
        ("a.et", ("Workbook",), "et", "WPS表格文档（.et）"),
        ("a.bin", (), "other", "Office复合文档（不是Word或Excel文件）"),
        ("a.ppt", ("PowerPoint Document",), "other", "Office复合文档（不是Word或Excel文件）"),
        ("a.xls", (), "unreadable", "无法打开的Excel文件"),  # calamine cannot read a bare header
        ("a.docx", ("EncryptedPackage",), "unreadable", "有密码保护的Office文件"),
    ],
)
def test_ole2(tmp_path, name, streams, kind, detail):
    form = inspect(tmp_path, name, ole(*streams))
    check(form, kind, detail, usable=kind not in ("other", "unreadable"))


def test_word_97_and_wps_forms_give_their_text(tmp_path):
    data = word_document([("Form\r", True), ("姓名\x07\x07住址\x07\x07\r", False)])
    for name, kind, detail in (("a.doc", "doc", "Word 97-2003文档（.doc）"), ("a.wps", "wps", "WPS文字文档（.wps）")):
        check(inspect(tmp_path, name, data), kind, detail, "Form\n姓名\n\n住址\n\n", usable=True)
    # a password: not usable; a Word 95 file: Word opens it, its text is not read
    check(inspect(tmp_path, "b.doc", word_document([("x\r", False)], encrypted=True)), "unreadable", "有密码保护的Word文件")
    check(inspect(tmp_path, "c.doc", word_document([("x\r", False)], nfib=0x0065)), "doc", "Word 97-2003文档（.doc）",
          usable=True)


def test_ole2_name_outside_a_directory_entry_does_not_count(tmp_path):
    raw = "WordDocument".encode("utf-16le") + b"\0\0"
    data = ole() + b"x" + raw.ljust(64, b"\0") + struct.pack("<H", len(raw)) + b"\0" * 62  # not 128-aligned
    check(inspect(tmp_path, "a.bin", data), "other", "Office复合文档（不是Word或Excel文件）")


def test_rtf_is_word_editable_and_gives_its_text(tmp_path):
    check(inspect(tmp_path, "a.doc", b"{\\rtf1\\ansi Hello}"), "doc", "RTF文档（Word可编辑）", "Hello", usable=True)
    # Chinese RTF: the GBK code page's escapes, and Unicode ones
    data = b"{\\rtf1\\ansi\\ansicpg936{\\fonttbl{\\f0\\fcharset134 \\'cb\\'ce\\'cc\\'e5;}}\\f0 \\'d0\\'d5\\'c3\\'fb\\par \\u22995?\\u21517?\\par}"
    check(inspect(tmp_path, "b.doc", data), "doc", "RTF文档（Word可编辑）", "姓名\n姓名", usable=True)


# ------------------------------------------------------------------ pictures
@pytest.mark.parametrize(
    "name, data, detail",
    [
        ("scan.png", PNG, "PNG图片"),
        ("photo.jpg", JPEG, "JPEG图片"),
        ("photo.JPEG", JPEG, "JPEG图片"),
        ("空表.docx", PNG, "PNG图片（扩展名为.docx）"),
        ("样表.pdf", JPEG, "JPEG图片（扩展名为.pdf）"),
        ("a.gif", b"GIF89a\x01\x00\x01\x00", "GIF图片"),
        ("a.doc", b"GIF87a\x01\x00\x01\x00", "GIF图片（扩展名为.doc）"),
        ("a.tif", b"II*\x00\x08\x00\x00\x00", "TIFF图片"),
        ("a.xls", b"MM\x00*\x00\x00\x00\x08", "TIFF图片（扩展名为.xls）"),
        ("a.webp", b"RIFF\x24\x00\x00\x00WEBPVP8 ", "WebP图片"),
        ("IMG_1.heic", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", "HEIC图片"),
        ("a.bmp", b"BM" + struct.pack("<IHHII", 70, 0, 0, 54, 40) + b"\0" * 52, "BMP图片"),
        ("noext", PNG, "PNG图片"),
    ],
)
def test_pictures_whatever_the_suffix(tmp_path, name, data, detail):
    check(inspect(tmp_path, name, data), "image", detail)


def test_text_starting_with_bm_is_not_a_bmp(tmp_path):
    check(inspect(tmp_path, "a.txt", b"BM report\n"), "other", "不是Word、Excel、WPS或PDF文件（扩展名为.txt）")


# ------------------------------------------------------------------ PDF
def test_pdf_with_text_layer(tmp_path):
    data = page_pdf(TEXT_PAGE, b"<< /Font << /F1 5 0 R >> >>", FONT)
    check(inspect(tmp_path, "空表.pdf", data), "pdf_text", "有文字层的PDF", "Hello", usable=True)


def test_a_chinese_pdf_gives_its_text_through_its_fonts_unicode_map(tmp_path):
    data = chinese_page_pdf("个体工商户登记表\n姓名：\n住址：")
    check(inspect(tmp_path, "a.pdf", data), "pdf_text", "有文字层的PDF", "个体工商户登记表\n姓名：\n住址：", usable=True)


def test_a_pdf_read_through_its_oddities_says_nothing(tmp_path, capfd, caplog):
    # pypdf logs what it works round as errors: a report's output must not fill with them
    data = chinese_page_pdf("姓名：").replace(b"Identity-H", b"Identitx-H")
    assert inspect(tmp_path, "a.pdf", data).kind == "pdf_text"
    assert capfd.readouterr() == ("", "") and not caplog.records


def test_pdf_with_uncompressed_text_and_tj_arrays(tmp_path):
    data = page_pdf(b"BT/F1 12 Tf[(He)20(llo)]TJ ET", b"<< /Font << /F1 5 0 R >> >>", FONT, flate=False)
    check(inspect(tmp_path, "a.pdf", data), "pdf_text", "有文字层的PDF", "Hello", usable=True)


def test_pdf_font_only_inside_an_object_stream(tmp_path):
    objects = b"<< /Font << /F1 7 0 R >> >>\n" + FONT
    objstm = stream(b"6 0 7 28 " + objects, b" /Type /ObjStm /N 2 /First 9")
    data = page_pdf(TEXT_PAGE, b"6 0 R", objstm)
    assert b"/Font" not in data
    check(inspect(tmp_path, "a.pdf", data), "pdf_text", "有文字层的PDF", usable=True)


@pytest.mark.parametrize("body", [zlib.compress(TEXT_PAGE) + b"\r\n\x00junk", zlib.compress(TEXT_PAGE)[:-4]])
def test_pdf_stream_with_junk_or_cut_short(tmp_path, body):
    content = b"<< /Length %d /Filter /FlateDecode >>\nstream\r\n%s\nendstream" % (len(body), body)
    data = pdf(b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Font << /F1 3 0 R >> >>", FONT, content)
    check(inspect(tmp_path, "a.pdf", data), "pdf_text", "有文字层的PDF", usable=True)


def test_scanned_pdf(tmp_path):
    image = stream(b"\x00\xff\xff\x00", IMAGE)
    data = page_pdf(IMAGE_PAGE, b"<< /XObject << /Im1 5 0 R >> >>", image)
    check(inspect(tmp_path, "样表.pdf", data), "pdf_scanned", "无文字层的PDF（扫描件）")


def test_tj_only_in_an_image_stream_is_scanned(tmp_path):
    pixels = b"\x00Tj\x10TJ\xff"
    data = page_pdf(IMAGE_PAGE, b"<< /XObject << /Im1 5 0 R >> >>", stream(pixels, IMAGE, flate=False))
    check(inspect(tmp_path, "a.pdf", data), "pdf_scanned", "无文字层的PDF（扫描件）")


def test_text_operators_in_image_pixels_do_not_count_even_with_a_font(tmp_path):
    pixels = b"\x00 BT (x) Tj ET \xff"  # by chance, in the pixels of a scan
    resources = b"<< /Font << /F1 6 0 R >> /XObject << /Im1 5 0 R >> >>"
    for image in (stream(pixels, IMAGE, flate=False), stream(pixels, IMAGE), stream(pixels, IMAGE + b" /Filter /DCTDecode", flate=False)):
        data = page_pdf(IMAGE_PAGE, resources, image, FONT)
        check(inspect(tmp_path, "a.pdf", data), "pdf_scanned", "无文字层的PDF（扫描件）")


@pytest.mark.parametrize(
    "content, resources",
    [
        (TEXT_PAGE, b"<< >>"),  # text operators but no font resource
        (b"(Hello) Tj BT ET", b"<< /Font << /F1 5 0 R >> >>"),  # Tj before BT only
        (b"BT /F1 12 Tf (Hello) Tjx ET", b"<< /Font << /F1 5 0 R >> >>"),  # not the operator
        (b"BT /F1 12 Tf ET", b"<< /Font << /F1 5 0 R >> >>"),  # a text object showing nothing
    ],
)
def test_pdf_near_misses_are_scanned(tmp_path, content, resources):
    font = FONT if b"/Font" in resources else b"<< /Type /FontDescriptor /FontFile2 7 0 R >>"
    check(inspect(tmp_path, "a.pdf", page_pdf(content, resources, font)), "pdf_scanned", "无文字层的PDF（扫描件）")


def test_encrypted_pdf(tmp_path):
    secret = bytes(range(64))  # not zlib: as an encrypted stream is not
    content = b"<< /Length 64 /Filter /FlateDecode >>\nstream\n%s\nendstream" % secret
    data = pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Font << /F1 3 0 R >> >>",
        FONT,
        content,
        b"<< /Filter /Standard /V 2 /R 3 /O <00> /U <00> /P -4 >>",
        trailer=b"/Encrypt 5 0 R ",
    )
    check(inspect(tmp_path, "a.pdf", data), "unreadable", "加密的PDF")


@pytest.mark.parametrize(
    "content, kind, detail",
    [(TEXT_PAGE, "pdf_text", "有文字层的PDF"), (IMAGE_PAGE, "pdf_scanned", "无文字层的PDF（扫描件）")],
)
def test_encrypted_pdf_with_streams_in_the_clear(tmp_path, content, kind, detail):
    """/StmF /Identity: strings encrypted, streams not; judged like any PDF."""
    encrypt = b"<< /Filter /Standard /V 4 /R 4 /StmF /Identity /StrF /StdCF /O <00> /U <00> /P -4 >>"
    data = page_pdf(content, b"<< /Font << /F1 5 0 R >> >>", FONT, encrypt, trailer=b"/Encrypt 6 0 R ")
    check(inspect(tmp_path, "a.pdf", data), kind, detail, usable=kind == "pdf_text")


def test_pdf_inflating_is_bounded(tmp_path, monkeypatch):
    from cuomin.supervision import forms

    padding = stream(b" " * 5000, b" /Type /Metadata")
    data = pdf(b"<< /Type /Catalog >>", padding, FONT, stream(TEXT_PAGE))
    check(inspect(tmp_path, "a.pdf", data), "pdf_text", "有文字层的PDF", usable=True)
    monkeypatch.setattr(forms, "MAX_INFLATE", 4000)
    check(inspect(tmp_path, "a.pdf", data), "pdf_scanned", "无文字层的PDF（扫描件）")


def test_pdf_without_streams(tmp_path):
    check(inspect(tmp_path, "a.pdf", b"%PDF-1.4\n%%EOF\n"), "unreadable", "无法解析的PDF（没有内容流）")


# ------------------------------------------------------------------ no file to speak of
def test_empty_file(tmp_path):
    check(inspect(tmp_path, "空表.docx", b""), "empty", "空文件（0字节）")


def test_missing_file(tmp_path):
    form = inspect_form("没有.docx", tmp_path)
    check(form, "missing", "文件不存在")
    assert (form.path, form.sha256) == (tmp_path / "没有.docx", None)
    write(tmp_path, "a.txt", b"x")
    check(inspect_form("a.txt/b.docx", tmp_path), "missing", "文件不存在")
    check(inspect_form("  ", tmp_path), "missing", "未给出文件路径")


def test_absolute_path_ignores_base(tmp_path):
    path = write(tmp_path, "a.png", PNG)
    form = inspect_form(str(path), tmp_path / "elsewhere")
    check(form, "image", "PNG图片")
    assert form.path == path


def test_directory_is_unreadable(tmp_path):
    (tmp_path / "forms.docx").mkdir()
    check(inspect_form("forms.docx", tmp_path), "unreadable", "是文件夹，不是文件")


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads anything")
def test_permission_denied(tmp_path):
    path = write(tmp_path, "a.docx", b"x")
    path.chmod(0)
    try:
        check(inspect_form("a.docx", tmp_path), "unreadable", "没有读取权限")
    finally:
        path.chmod(0o644)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_fifo_is_not_opened(tmp_path):
    os.mkfifo(tmp_path / "pipe.docx")
    check(inspect_form("pipe.docx", tmp_path), "unreadable", "不是普通文件")


def test_nul_in_path(tmp_path):
    check(inspect_form("a\0.docx", tmp_path), "unreadable", "无法读取（路径无效）")


@pytest.mark.parametrize("ref", ["http://example.gov.cn/a.docx", "HTTPS://example.gov.cn/b.pdf", " ftp://x/c.xls"])
def test_url_is_not_fetched(tmp_path, ref):
    form = inspect_form(ref, tmp_path)
    check(form, "url", "链接（未下载，未核验）")
    assert (form.path, form.sha256, form.checked, form.usable) == (None, None, False, False)


def test_plain_text_is_other(tmp_path):
    check(inspect(tmp_path, "a.docx", "申请表".encode()), "other", "不是Word、Excel、WPS或PDF文件（扩展名为.docx）")
    check(inspect(tmp_path, "README", b"hello"), "other", "不是Word、Excel、WPS或PDF文件（无扩展名）")


def test_big_file_is_judged_by_its_head(tmp_path, monkeypatch):
    from cuomin.supervision import forms

    monkeypatch.setattr(forms, "MAX_READ", 1000)
    write(tmp_path, "scan.pdf", page_pdf(IMAGE_PAGE, b"<< >>").ljust(2000, b"%"))
    form = inspect_form("scan.pdf", tmp_path)
    check(form, "pdf_scanned", "无文字层的PDF（扫描件）（超过50MB，只检查了开头）")
    assert form.sha256 is None
    document = docx.Document()
    document.add_paragraph("x" * 5000)
    document.save(tmp_path / "big.docx")
    monkeypatch.setattr(forms, "MAX_READ", (tmp_path / "big.docx").stat().st_size - 100)  # no central directory
    check(inspect_form("big.docx", tmp_path), "docx", "Word文档（.docx）（超过50MB，只检查了开头）", usable=True)
