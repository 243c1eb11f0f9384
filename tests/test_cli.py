"""`cuomin check` and `cuomin rules`: formats, exit codes, encodings, bad inputs."""

import json

import pytest
from click.testing import CliRunner

from cuomin.cli import main

ERROR_TEXT = "热烈庆祝中华人名共和国成立75周年\n"
WARNING_TEXT = "休息5、6天\n"
CLEAN_TEXT = "各单位要认真学习贯彻会议精神。\n"


def run(args, input=None):
    return CliRunner().invoke(main, args, input=input)


@pytest.fixture
def files(tmp_path):
    paths = {}
    for name, text in [("error.txt", ERROR_TEXT), ("warning.txt", WARNING_TEXT), ("clean.txt", CLEAN_TEXT)]:
        paths[name] = tmp_path / name
        paths[name].write_text(text, encoding="utf-8")
    return paths


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl"])
def test_exit_codes_are_the_same_for_every_format(files, fmt):
    base = ["check", "--format", fmt, "--date", "2023-10-30"]
    assert run(base + [str(files["clean.txt"])]).exit_code == 0
    assert run(base + [str(files["error.txt"])]).exit_code == 1
    assert run(base + [str(files["warning.txt"])]).exit_code == 0  # default --fail-on error
    assert run(base + ["--fail-on", "warning", str(files["warning.txt"])]).exit_code == 1
    assert run(base + ["--fail-on", "never", str(files["error.txt"])]).exit_code == 0
    assert run(base + ["--fail-on", "info", str(files["clean.txt"])]).exit_code == 0
    assert run(base + [str(files["error.txt"]), "/nonexistent.txt"]).exit_code == 2
    assert run(base + ["--fail-on", "bogus", str(files["clean.txt"])]).exit_code == 2


def test_text_format(files):
    r = run(["check", "--date", "2023-10-30", str(files["error.txt"])])
    lines = r.output.splitlines()
    assert lines[0] == f"{files['error.txt']}:1:5: POL001 国名写错，属严重表述错误 → 中华人民共和国"
    assert lines[1] == "    热烈庆祝中华人名共和国成立75周年"
    assert lines[2] == " " * 12 + "^" * 14
    assert lines[-1] == "共发现 1 处问题（错误 1），检查 1 个输入。"
    assert "\x1b[" not in r.output  # no colour when not a terminal


def test_jsonl_format(files):
    r = run(["check", "--format", "jsonl", str(files["error.txt"]), str(files["warning.txt"])])
    records = [json.loads(line) for line in r.output.splitlines()]
    assert [(x["path"], x["code"], x["start"], x["end"], x["text"]) for x in records] == [
        (str(files["error.txt"]), "POL001", 4, 11, "中华人名共和国"),
        (str(files["warning.txt"]), "NUM003", 2, 5, "5、6"),
    ]
    for key in ("path", "code", "category", "severity", "start", "end", "line", "column", "text", "suggestions", "message"):
        assert key in records[0]


def test_json_format_reports_unreadable_files(files):
    r = run(["check", "--format", "json", str(files["error.txt"]), "/nonexistent.txt"])
    doc = json.loads(r.stdout)
    assert r.exit_code == 2
    assert doc["summary"] == {"files": 2, "unreadable": 1, "findings": 1, "error": 1, "warning": 0, "info": 0, "suppressed": 0}
    assert doc["files"][1]["error"] == "/nonexistent.txt: no such file"
    assert "cuomin: /nonexistent.txt: no such file" in r.stderr


def test_stdin_with_a_name():
    r = run(["check", "--stdin-name", "草稿.md", "-"], input=ERROR_TEXT)
    assert r.exit_code == 1
    assert r.output.startswith("草稿.md:1:5: POL001")
    assert run(["check"], input=CLEAN_TEXT).exit_code == 0


def test_gb18030_and_bom_inputs(tmp_path):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(ERROR_TEXT.encode("gbk"))
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + ERROR_TEXT.encode("utf-8"))
    for p in (gbk, bom):
        r = run(["check", "--format", "jsonl", str(p)])
        assert r.exit_code == 1
        assert json.loads(r.output)["start"] == 4
    r = run(["check", "--encoding", "gb18030", "--format", "jsonl", str(gbk)])
    assert json.loads(r.output)["text"] == "中华人名共和国"


def test_bad_inputs_exit_2_and_the_others_are_still_checked(tmp_path, files):
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    nodocs = tmp_path / "nodocs"  # a directory is walked; one with no documents is an input error
    nodocs.mkdir()
    data = tmp_path / "data.bin"
    data.write_bytes(b"\x01\x02\x00\x03")
    r = run(["check", "--format", "jsonl", str(binary), str(data), str(files["error.txt"]), str(nodocs)])
    assert r.exit_code == 2
    assert f"{binary}: a picture, not text" in r.stderr
    assert f"{data}: binary file (contains NUL bytes), not text" in r.stderr
    assert f"{nodocs}: no documents to check" in r.stderr
    assert json.loads(r.stdout)["code"] == "POL001"  # the good file was still checked
    # the summary counts what was read, and says what was not
    r = run(["check", str(binary), str(files["error.txt"])])
    assert r.stdout.splitlines()[-1] == "共发现 1 处问题（错误 1），检查 1 个输入，另有 1 个输入无法读取（原因见错误输出）。"
    r = run(["check", "--format", "github", str(binary)])
    assert r.exit_code == 2 and r.stdout.splitlines()[-1] == "未能检查：1 个输入无法读取（原因见错误输出）。"
    r = run(["check", str(empty)])
    assert r.exit_code == 0 and "未发现问题" in r.output
    r = run(["check", "--encoding", "ascii", str(files["error.txt"])])
    assert r.exit_code == 2 and "not valid ascii" in r.stderr


def test_select_ignore_date_and_allow(tmp_path, files):
    both = tmp_path / "both.txt"
    both.write_text(ERROR_TEXT + WARNING_TEXT + "国土资源部发布通知\n", encoding="utf-8")

    def codes(*args):
        return [json.loads(x)["code"] for x in run(["check", "--format", "jsonl", *args, str(both)]).output.splitlines()]

    assert codes("--date", "2023-10-30") == ["POL001", "NUM003", "OUT001"]
    assert codes("--date", "2017-01-01") == ["POL001", "NUM003"]
    assert codes("--select", "number") == ["NUM003"]
    assert codes("--select", "POL,NUM") == ["POL001", "NUM003"]
    assert codes("--ignore", "political", "--ignore", "OUT001") == ["NUM003"]
    allow = tmp_path / "allow.txt"
    allow.write_text("中华人名共和国\n", encoding="utf-8")
    assert codes("--allow", str(allow), "--select", "POL") == []
    assert run(["check", "--date", "2023-13-01", str(both)]).exit_code == 2


def test_user_pack_with_failing_example_is_a_usage_error(tmp_path, files):
    pack = tmp_path / "mine.toml"
    pack.write_text(
        '[[rules]]\ncode = "USR001"\ncategory = "typo"\nseverity = "error"\nreason = "r"\nsource = "s"\n'
        'entries = [{ wrong = "甲乙", match = ["丙丁"] }]\n',
        encoding="utf-8",
    )
    r = run(["check", "--pack", str(pack), str(files["clean.txt"])])
    assert r.exit_code == 2
    assert "mine.toml: rule USR001, entry 甲乙: example '丙丁' should match but did not" in r.output


def test_user_pack_adds_rules(tmp_path):
    pack = tmp_path / "mine.toml"
    pack.write_text(
        '[[rules]]\ncode = "USR001"\ncategory = "typo"\nseverity = "error"\nreason = "本单位用字规范"\nsource = "本单位"\n'
        'entries = [{ wrong = "帐号", right = "账号", match = ["官方帐号"], nomatch = ["官方账号"] }]\n',
        encoding="utf-8",
    )
    r = run(["check", "--pack", str(pack), "--format", "jsonl"], input="官方帐号")
    assert json.loads(r.output)["code"] == "USR001"


def test_rules_listing_and_show():
    r = run(["rules"])
    assert r.exit_code == 0
    assert any(line.startswith("POL001   political    error") for line in r.output.splitlines())
    assert "entries per category:" in r.output
    r = run(["rules", "--format", "json"])
    rec = {x["code"]: x for x in json.loads(r.output)}
    assert rec["PRI001"]["kind"] == "pattern" and rec["POL001"]["entries"] >= 5
    r = run(["rules", "show", "pol001"])
    assert r.exit_code == 0 and "中华人名共和国" in r.output and "✗ 中华人名共和国成立75周年" in r.output
    assert run(["rules", "show", "XXX999"]).exit_code == 2
    shown = run(["rules", "show", "PUN002"]).output.splitlines()
    assert "  trigger:  ([，。；：、])\\1" in shown and "  anchor:   ，，|。。|；；|：：|、、" in shown
