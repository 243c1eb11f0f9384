"""--fix / --fix --write (only unambiguous single suggestions, files rewritten in their
own encoding after a backup), the sign-off record, and the pre-commit hooks."""

import hashlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cuomin.check import check_document
from cuomin.cli import main
from cuomin.fix import apply_fixes, fix_result, fixable
from cuomin.models import Finding
from cuomin.readers import KINDS, parse_text

from .conftest import DATE
from .test_gate_inputs import make_docx

ROOT = Path(__file__).resolve().parents[1]
DRAFT = "　　县环保局己经按装了设备，定于2023年9月31日召开，休息5、6天。\n联系电话13812345678。\n"
FIXED = "　　县生态环境局已经安装了设备，定于2023年9月31日召开，休息五六天。\n联系电话138****5678。\n"


def run(args, input=None):
    return CliRunner().invoke(main, ["check", "--isolated", "--date", DATE.isoformat(), *args], input=input)


def finding(**kw):
    base = dict(code="TYP001", category="typo", severity="error", start=0, end=2, line=1, column=1, text="己经",
                suggestions=["已经"], message="m")
    return Finding(**{**base, **kw})


def test_only_unambiguous_confirmed_single_suggestions_are_fixable():
    assert fixable(finding())
    assert fixable(finding(text="、", suggestions=[""]))  # deleting is a fix too
    assert not fixable(finding(suggestions=["已经", "业经"]))
    assert not fixable(finding(suggestions=[]))
    assert not fixable(finding(tier="suspected", confidence=0.8))  # a 疑似 typo is for a person to judge
    assert not fixable(finding(suggestions=["己经"]))


def test_apply_fixes_skips_overlaps_and_stale_spans():
    text, done = apply_fixes("甲乙丙丁", [(0, 2, "甲乙", "A"), (1, 3, "乙丙", "B"), (3, 4, "X", "C"), (2, 3, "丙", "")])
    assert text == "A丁" and [e[3] for e in done] == ["A", ""]


def test_fix_result_rechecks_the_fixed_text(scanner):
    r = check_document(scanner, parse_text(DRAFT, "a.txt"), DATE)
    o = fix_result(scanner, r)
    assert o.text == FIXED
    assert [f.code for f in o.applied] == ["OUT002", "TYP001", "TYP001", "NUM003", "PRI002"]
    assert [f.code for f in o.remaining.findings] == ["NUM002"]


def test_a_fix_inside_another_is_applied_on_the_next_pass(scanner):
    # half-width brackets around an abolished agency's name: two findings, one inside the
    # other, whose edits overlap; the second is applied after the text is checked again
    r = check_document(scanner, parse_text("会议由(县环保局)主持。", "a.txt"), DATE)
    assert [(f.code, f.text) for f in r.findings] == [("PUN008", "(县环保局)"), ("OUT002", "环保局")]
    o = fix_result(scanner, r)
    assert o.text == "会议由（县生态环境局）主持。"
    assert [f.code for f in o.applied] == ["PUN008", "OUT002"] and o.remaining.findings == []


def test_fix_prints_the_text_and_leaves_the_file(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(DRAFT, encoding="utf-8")
    r = run(["--fix", str(p)])
    assert r.stdout == FIXED
    assert r.stderr == f"cuomin: {p}: 输出中已修正 5 处，余 1 处需人工处理\n"
    assert r.exit_code == 0  # what is left is a warning; --fail-on error
    assert run(["--fix", "--fail-on", "warning", str(p)]).exit_code == 1
    assert p.read_text(encoding="utf-8") == DRAFT


def test_fix_in_markdown_keeps_code_and_links(tmp_path):
    md = "# 己经\n\n正文己经，见[链接](https://x.cn/己经)。\n\n```\n己经\n```\n"
    p = tmp_path / "a.md"
    p.write_text(md, encoding="utf-8")
    assert run(["--fix", str(p)]).stdout == md.replace("# 己经", "# 已经").replace("正文己经", "正文已经")


def test_fix_write_gb18030_crlf_with_backup(tmp_path):
    p = tmp_path / "draft.txt"
    original = DRAFT.replace("\n", "\r\n").encode("gb18030")
    p.write_bytes(original)
    r = run(["--fix", "--write", "--format", "jsonl", str(p)])
    assert p.read_bytes() == FIXED.replace("\n", "\r\n").encode("gb18030")  # same encoding, same line ends
    assert (tmp_path / "draft.txt.bak").read_bytes() == original
    assert "（原文件备份为" in r.stderr
    assert [line.split('"code": "')[1][:6] for line in r.stdout.splitlines()] == ["NUM002"]  # re-checked file
    # a second run never overwrites the first backup
    p.write_bytes(original)
    run(["--fix", "--write", str(p)])
    assert (tmp_path / "draft.txt.bak.1").read_bytes() == original
    assert (tmp_path / "draft.txt.bak").read_bytes() == original


def test_fix_write_utf8_bom_is_kept(tmp_path):
    p = tmp_path / "a.md"
    p.write_bytes(b"\xef\xbb\xbf" + "己经\n".encode("utf-8"))
    run(["--fix", "--write", str(p)])
    assert p.read_bytes() == b"\xef\xbb\xbf" + "已经\n".encode("utf-8")


def test_fix_write_refuses_docx_html_and_stdin(tmp_path):
    d = make_docx(tmp_path / "a.docx")
    before = d.read_bytes()
    r = run(["--fix", "--write", str(d)])
    assert d.read_bytes() == before and not (tmp_path / "a.docx.bak").exists()
    assert "fixes are written only into .txt and .md files; this docx file is unchanged" in r.stderr
    assert r.exit_code == 1  # its findings still stand
    r = run(["--fix", str(d)])  # printing the fixed text of a Word file works
    assert "热烈庆祝中华人民共和国成立75周年。" in r.stdout and "138****5678" in r.stdout
    r = run(["--fix", "--write", "-"], input="己经")
    assert "standard input cannot be rewritten" in r.stderr
    assert run(["--write", "-"], input="己经").exit_code == 2  # --write needs --fix


def test_fix_several_inputs_get_headers(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("己经\n", encoding="utf-8")
    b.write_text("按装\n", encoding="utf-8")
    assert run(["--fix", str(a), str(b)]).stdout == f"==> {a} <==\n已经\n\n==> {b} <==\n安装\n"


# ------------------------------------------------------------------ record
def test_record_for_sign_off(tmp_path):
    txt = tmp_path / "draft.txt"
    txt.write_text(DRAFT + "原文照录：己经 cuomin: ignore[TYP001]\n", encoding="utf-8")
    d = make_docx(tmp_path / "draft.docx")
    rec = tmp_path / "record.md"
    r = run(["--record", str(rec), str(txt), str(d), str(tmp_path / "missing.txt")])
    assert r.exit_code == 2
    text = rec.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "# 错敏信息检查记录（三审三校）"
    assert "| 检查工具 | cuomin 0.1.0 |" in lines
    assert any(re.fullmatch(r"\| 规则集版本 \| .*political \S+.*（指纹 [0-9a-f]{16}） \|", x) for x in lines)
    assert "| 发布日期（日期类规则的依据） | 2023-10-30 |" in lines
    assert "| 结论 | 未完成：1 个文件无法读取，须处理后重新检查 |" in lines
    sha = hashlib.sha256(txt.read_bytes()).hexdigest()
    assert f"| {txt} | 2023-10-30 | `{sha}` | 3 | 3 | 0 | 1 |" in lines
    assert f"| {d} | 2023-10-30 | `{hashlib.sha256(d.read_bytes()).hexdigest()}` | 4 | 1 | 0 | 0 |" in lines
    assert any(x.startswith(f"| {tmp_path / 'missing.txt'} | — | 无法读取：") for x in lines)
    assert "## 问题清单（11 处）" in lines
    assert f"| 1 | {txt} | 1:4 | OUT002 | 警告 | 环保局 | 生态环境局 | 地方机构已在2018—2019年机构改革中撤并或更名 |" in lines
    assert any(f"| {d} | 表格1第2行第2列，第8段第1字 | PRI002 | 错误 | 138*****678 | 138****5678 |" in x for x in lines)
    assert "13812345678" not in text  # personal data is not copied into the record
    assert "## 文内注释豁免的问题（1 处）" in lines
    assert f"| 1 | {txt} | 3:6 | TYP001 | 错误 | 己经 | 已经 | 常见错别字 |" in lines
    for role in ("初审（责任编辑）", "复审（部门负责人）", "终审（分管领导）"):
        assert f"{role}：________________　日期：____________" in lines


def test_record_verdicts(tmp_path):
    p = tmp_path / "a.txt"
    rec = tmp_path / "r.md"
    p.write_text("休息5、6天\n", encoding="utf-8")
    assert run(["--record", str(rec), str(p)]).exit_code == 0
    assert "| 结论 | 通过：没有达到不通过阈值的问题（另有 1 处低于阈值的问题，见清单） |" in rec.read_text(encoding="utf-8")
    assert run(["--record", str(rec), "--fail-on", "warning", str(p)]).exit_code == 1
    assert "| 结论 | 未通过：1 处问题达到不通过阈值（警告及以上），须修改或说明理由 |" in rec.read_text(encoding="utf-8")


# ------------------------------------------------------------------ pre-commit
def _hooks():
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    hooks = {}
    for block in text.split("\n- ")[1:]:
        fields = dict(re.findall(r"^\s*(\w+): (.*)$", "id: " + block.split("id: ", 1)[1], re.M))
        hooks[fields["id"]] = fields
    return hooks


def test_pre_commit_hooks_cover_the_readers():
    hooks = _hooks()
    assert set(hooks) == {"cuomin", "cuomin-fix"}
    assert hooks["cuomin"]["entry"].startswith("cuomin check") and hooks["cuomin"]["language"] == "python"
    # pre-commit runs one hook process per CPU already: no workers of their own
    assert all("--jobs 1" in hook["entry"] for hook in hooks.values())
    files = re.compile(hooks["cuomin"]["files"].strip("'"))
    for suffix in KINDS:
        assert files.search(f"drafts/通知{suffix}"), suffix
    assert not files.search("drafts/notes.pptx") and not files.search("a.docx.bak")
    fix_files = re.compile(hooks["cuomin-fix"]["files"].strip("'"))
    assert fix_files.search("a.md") and not fix_files.search("a.docx") and not fix_files.search("a.html")
    assert "--fix --write" in hooks["cuomin-fix"]["entry"]


@pytest.mark.parametrize("hook", ["cuomin", "cuomin-fix"])
def test_pre_commit_entries_run(tmp_path, hook):
    """What pre-commit runs: the entry with the staged file names appended."""
    p = tmp_path / "a.md"
    p.write_text("己经\n", encoding="utf-8")
    args = _hooks()[hook]["entry"].split()[1:] + ["--isolated", str(p)]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == (1 if hook == "cuomin" else 0)
