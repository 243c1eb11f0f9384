"""The Word 97–2003 reader (readers/doc.py) on its own: pieces, fields, damage."""

import random

import pytest

from cuomin.readers.doc import DocError, parse_doc

from .docfile import compound_file, word_document


def test_pieces_in_either_storage_make_one_text():
    text, labels = parse_doc(word_document([("Caf\xe9 ", True), ("咖啡馆\r第二段\r", False), ("end\r", True)]))
    assert text == "Café 咖啡馆\n第二段\nend" and labels == ("第1段", "第2段", "第3段")


def test_fields_keep_their_results_nested_or_not():
    raw = "甲\x13 REF a \x14乙\x13 PAGE \x14丙\x15丁\x15戊\x13 TOC \x15己\x15庚\x14辛\r"  # (stray ends last)
    assert parse_doc(word_document([(raw, False)]))[0] == "甲乙丙丁戊己庚辛"


def test_what_is_printed_around_the_main_document_follows_it():
    parts = ["正文\r", "注释己经\r", "\r\r县国土资源局文件\r\r第1页\r", "", "批注不读\r", "尾注\r", "框内\r", "\r"]
    text, labels = parse_doc(word_document([("".join(parts) + "\r", False)], parts=tuple(map(len, parts))))
    assert text.split("\n") == ["正文", "注释己经", "", "", "县国土资源局文件", "", "第1页", "尾注", "框内"]
    assert labels == ("第1段", "脚注第1段", "页眉页脚第1段", "页眉页脚第2段", "页眉页脚第3段", "页眉页脚第4段",
                      "页眉页脚第5段", "尾注第1段", "文本框第1段")


def test_line_breaks_and_control_characters():
    raw = "一\x0b二\x0c三\x01四\x08\r"  # line break; page break; an object's anchor; …
    assert parse_doc(word_document([(raw, False)]))[0] == "一 二\n三四"


@pytest.mark.parametrize("data, message", [
    (b"PK\x03\x04", "not a Word 97–2003 file (not an OLE2 compound file)"),
    (compound_file({"Book": b"x" * 10}), "not a Word document (no WordDocument stream)"),
    (compound_file({"WordDocument": b"\0" * 600}), "not a Word document (no File Information Block)"),
    (compound_file({"WordDocument": b"\xec\xa5\xc1\x00" + b"\0" * 80}), "a damaged Word file (no piece table)"),
    (word_document([("x", False)], encrypted=True), "a password-protected file: save it without a password"),
])
def test_what_is_not_a_readable_word_file_says_why(data, message):
    with pytest.raises(DocError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_doc(data)


def test_damaged_files_raise_doc_errors_only():
    rnd = random.Random(5)
    seed = word_document([("Form\r", True), ("姓名\x07\x07住址\x07\x07\r\x13 X \x14结果\x15\r", False)])
    for _ in range(300):
        data = bytearray(seed)
        for _ in range(rnd.randint(1, 6)):
            i = rnd.randrange(len(data))
            if rnd.random() < 0.7:
                data[i] = rnd.randrange(256)
            else:
                del data[i : i + rnd.randint(1, 512)]
        try:
            parse_doc(bytes(data))
        except DocError:
            pass
