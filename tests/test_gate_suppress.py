"""Inline suppression: comment regions in Markdown/HTML, `cuomin: ignore[...]` lines in
plain text; suppressed findings are counted, never silently lost."""

import json

from click.testing import CliRunner

from cuomin.check import check_document, exit_code
from cuomin.cli import main
from cuomin.readers import parse_text
from cuomin.suppress import line_suppressions, regions

from .conftest import DATE


def result(scanner, text, name):
    kind = {"md": "markdown", "html": "html"}.get(name.rsplit(".", 1)[-1], "text")
    return check_document(scanner, parse_text(text, name, kind), DATE)


def codes(findings):
    return [(f.code, f.text, f.line) for f in findings]


MD = """第一段己经开始。
<!-- cuomin-disable TYP001 -->
引用原文：己经按装，中华人名共和国。
<!-- cuomin-enable -->
第四行己经恢复检查。
<!-- cuomin-disable -->
全部豁免：中华人名共和国己经
<!-- cuomin-enable -->
```
<!-- cuomin-disable -->
```
代码块里的注释不生效：己经
"""


def test_markdown_comment_regions(scanner):
    r = result(scanner, MD, "a.md")
    assert codes(r.findings) == [
        ("TYP001", "己经", 1),
        ("POL001", "中华人名共和国", 3),  # only TYP001 was disabled there
        ("TYP001", "己经", 5),
        ("TYP001", "己经", 12),  # the disable inside a code block is shown, not obeyed
    ]
    assert codes(r.suppressed) == [
        ("TYP001", "己经", 3),
        ("TYP001", "按装", 3),
        ("POL001", "中华人名共和国", 7),
        ("TYP001", "己经", 7),
    ]


def test_html_comment_regions_by_category_and_unclosed_to_the_end(scanner):
    html = (
        "<p>中华人名共和国</p><!-- cuomin-disable political, TYP -->\n"
        "<p>中华人名共和国己经</p>\n<!-- cuomin-enable TYP -->\n<p>己经 中华人名共和国</p>"
    )
    r = result(scanner, html, "a.html")
    assert codes(r.findings) == [("POL001", "中华人名共和国", 1), ("TYP001", "己经", 4)]
    assert codes(r.suppressed) == [("POL001", "中华人名共和国", 2), ("TYP001", "己经", 2), ("POL001", "中华人名共和国", 4)]


def test_plain_text_ignore_line(scanner):
    text = (
        "原文照录：己经按装。 cuomin: ignore[TYP001]\n"
        "己经\n"  # the next line is checked again
        "中华人名共和国己经 cuomin: ignore[POL]\n"  # only POL* on this line
        "中华人名共和国己经 cuomin: ignore\n"  # everything on this line
        "cuomin ignore[TYP001] 己经\n"  # near miss: no colon, not a suppression
    )
    r = result(scanner, text, "a.txt")
    assert codes(r.findings) == [("TYP001", "己经", 2), ("TYP001", "己经", 3), ("TYP001", "己经", 5)]
    assert codes(r.suppressed) == [
        ("TYP001", "己经", 1),
        ("TYP001", "按装", 1),
        ("POL001", "中华人名共和国", 3),
        ("POL001", "中华人名共和国", 4),
        ("TYP001", "己经", 4),
    ]


def test_suppressed_findings_do_not_fail_the_gate(scanner):
    r = result(scanner, "己经 cuomin: ignore[TYP001]\n", "a.txt")
    assert r.findings == [] and len(r.suppressed) == 1
    assert exit_code([r], "info") == 0


def test_regions_and_lines_helpers():
    assert [(s.start, s.end, s.codes) for s in regions([(5, "disable", ("A",)), (9, "disable", ()), (20, "enable", ())], 30)] == [
        (5, 20, ("A",)),
        (9, 20, ()),
    ]
    (s,) = line_suppressions("甲\n乙 cuomin: ignore[X1, Y]\n丙")
    assert (s.start, s.end, s.codes) == (2, 25, ("X1", "Y"))


def test_suppressed_counted_in_summaries(tmp_path):
    p = tmp_path / "a.md"
    p.write_text("己经\n<!-- cuomin-disable -->\n己经\n", encoding="utf-8")
    run = lambda *a: CliRunner().invoke(main, ["check", "--isolated", *a, str(p)])  # noqa: E731
    r = run()
    assert r.exit_code == 1
    assert r.output.splitlines()[-1] == "共发现 1 处问题（错误 1），另有 1 处已按注释抑制，检查 1 个输入。"
    doc = json.loads(run("--format", "json").output)
    assert doc["summary"]["suppressed"] == 1 and doc["summary"]["findings"] == 1
    assert doc["files"][0]["suppressed"][0]["line"] == 3
    assert run("--format", "github").output.splitlines()[-1].endswith("另有 1 处已按注释抑制，检查 1 个输入。")
    sarif = json.loads(run("--format", "sarif").output)["runs"][0]["results"]
    assert [("suppressions" in x, x["locations"][0]["physicalLocation"]["region"]["startLine"]) for x in sarif] == [
        (False, 1),
        (True, 3),
    ]
    p.write_text("<!-- cuomin-disable -->\n己经\n", encoding="utf-8")
    assert run().output.splitlines()[-1] == "未发现问题，另有 1 处已按注释抑制，检查 1 个输入。"
    assert run().exit_code == 0
