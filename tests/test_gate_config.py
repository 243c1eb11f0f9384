"""Configuration: cuomin.toml or [tool.cuomin] discovered upward, --config, --isolated,
command-line precedence, `cuomin config` with sources, and clear errors (exit 2)."""

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from cuomin.cli import main
from cuomin.config import AllowFile, ConfigError, find_config, resolve
from cuomin.rules.loader import AllowPhrase

TEXT = "中华人名共和国己经按装了，县环保局。\n"  # POL001, TYP001 ×2, OUT002 (from 2018)


def run(args, input=None):
    return CliRunner().invoke(main, args, input=input)


def codes(r):
    assert r.exit_code in (0, 1), r.output
    return [json.loads(x)["code"] for x in r.stdout.splitlines()]


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A drafts project with [tool.cuomin] in pyproject.toml; cwd is a subfolder."""
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "drafts"\n\n[tool.cuomin]\nselect = ["political", "TYP"]\nfail-on = "warning"\n'
        'allow = ["[TYP001] 己经", { file = "allow.txt" }]\ndate = 2017-01-01\n',
        encoding="utf-8",
    )
    (tmp_path / "allow.txt").write_text("# 本单位确认\n按装\n", encoding="utf-8")
    sub = tmp_path / "drafts" / "2023"
    sub.mkdir(parents=True)
    (sub / "a.txt").write_text(TEXT, encoding="utf-8")
    monkeypatch.chdir(sub)
    return tmp_path


def test_discovered_from_a_subfolder(project):
    assert find_config(project / "drafts" / "2023") == project / "pyproject.toml"
    r = run(["check", "--format", "jsonl", "a.txt"])
    assert codes(r) == ["POL001"]  # select, allow (inline and file) applied; OUT002 not selected
    assert r.exit_code == 1


def test_allow_files_are_not_checked_as_drafts(project):
    r = run(["check", "--format", "json", str(project)])
    assert [f["path"] for f in json.loads(r.stdout)["files"]] == [str(project / "drafts" / "2023" / "a.txt")]
    assert run(["check", "--isolated", "--format", "json", str(project)]).stdout.count('"path"') == 2


def test_cuomin_toml_wins_over_pyproject_and_nearest_wins(project):
    (project / "drafts" / "cuomin.toml").write_text('select = ["outdated"]\ndate = "2023-10-30"\n', encoding="utf-8")
    assert codes(run(["check", "--format", "jsonl", "a.txt"])) == ["OUT002"]
    (project / "drafts" / "2023" / "cuomin.toml").write_text('ignore = ["political"]\n', encoding="utf-8")
    got = codes(run(["check", "--format", "jsonl", "--date", "2023-10-30", "a.txt"]))
    assert got == ["TYP001", "TYP001", "OUT002"]


def test_a_pyproject_without_tool_cuomin_is_passed_over(tmp_path, monkeypatch):
    (tmp_path / "cuomin.toml").write_text('select = ["typo"]\n', encoding="utf-8")
    inner = tmp_path / "pkg"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert find_config(inner) == tmp_path / "cuomin.toml"


def test_config_option_isolated_and_command_line_precedence(project, tmp_path_factory):
    other = tmp_path_factory.mktemp("elsewhere") / "strict.toml"
    other.write_text('fail_on = "info"\nselect = ["outdated"]\n', encoding="utf-8")
    r = run(["check", "--config", str(other), "--format", "jsonl", "--date", "2023-10-30", "a.txt"])
    assert codes(r) == ["OUT002"]
    r = run(["check", "--isolated", "--format", "jsonl", "--date", "2023-10-30", "a.txt"])
    assert codes(r) == ["POL001", "TYP001", "TYP001", "OUT002"]
    # --select replaces, --ignore adds, --fail-on and --date replace
    r = run(["check", "--select", "typo,outdated", "--date", "2023-10-30", "--format", "jsonl", "a.txt"])
    assert codes(r) == ["OUT002"]  # both typos are allowed by the configured allow-list
    r = run(["check", "--ignore", "TYP", "--format", "jsonl", "a.txt"])
    assert codes(r) == ["POL001"]
    p = project / "drafts" / "2023" / "w.txt"
    p.write_text("休息5、6天\n", encoding="utf-8")
    assert run(["check", "--select", "number", "w.txt"]).exit_code == 1  # fail-on warning from the file
    assert run(["check", "--select", "number", "--fail-on", "error", "w.txt"]).exit_code == 0
    assert run(["check", "--config", str(other), "--isolated", "a.txt"]).exit_code == 2


def test_cuomin_config_prints_values_and_sources(project):
    r = run(["config"])
    assert r.exit_code == 0
    pyproject = project / "pyproject.toml"
    assert r.output.splitlines() == [
        "# cuomin effective configuration (生效配置)",
        f"# configuration file: {pyproject}",
        f'select = ["political", "TYP"]  # {pyproject}',
        "ignore = []  # default",
        f'fail_on = "warning"  # {pyproject}',
        f"date = 2017-01-01  # {pyproject}",
        "allow = [",
        f'  {{ phrase = "己经", codes = ["TYP001"] }},  # {pyproject}',
        f'  {{ file = "{project / "allow.txt"}" }},  # {pyproject}',
        "]",
        "packs = []  # default (the shipped packs are always loaded)",
    ]
    r = run(["config", "--format", "json", "--fail-on", "error", "--ignore", "variant"])
    doc = json.loads(r.output)
    assert doc["fail_on"] == {"value": "error", "source": "--fail-on"}
    assert doc["ignore"] == {"value": ["variant"], "source": "--ignore"}
    assert doc["select"]["source"] == str(pyproject)
    r = run(["config", "--isolated"])
    assert "# configuration file: none" in r.output and 'fail_on = "error"  # default' in r.output


@pytest.mark.parametrize(
    "toml, message",
    [
        ('fail_on = "sometimes"\n', "fail_on: must be one of error, warning, info, never, not 'sometimes'"),
        ('selct = ["typo"]\n', "unknown key 'selct' (known: select, ignore, fail_on, allow, packs, date, params)"),
        ("params = 3\n", "params: must be a table of rule codes"),
        ("[params.min_score]\nx = 1\n", "params: 'min_score' is not a rule code"),
        ("[params]\nTYP900 = 1.0\n", "params.TYP900: must be a table of numbers, strings or booleans"),
        ('select = ["politcal"]\n', "select: 'politcal' is neither a category"),
        ('select = ["POLX"]\n', "select: 'POLX' is not a category, rule code or code prefix of any loaded rule"),
        ('allow = [{ file = "nope.txt" }]\n', "allow[1]: allow-list file"),
        ('allow = [{ path = "x" }]\n', "allow[1]: give a phrase"),
        ('packs = ["rules/none.toml"]\n', "packs: rule pack"),
        ('date = "2023-02-30"\n', "date: '2023-02-30' is not a date in YYYY-MM-DD form"),
        ("select = [\n", "not valid TOML"),
    ],
)
def test_bad_configuration_is_a_usage_error_naming_file_and_key(tmp_path, monkeypatch, toml, message):
    (tmp_path / "cuomin.toml").write_text(toml, encoding="utf-8")
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for args in (["check", "a.txt"], ["config"]):
        r = run(args)
        assert r.exit_code == 2
        assert str(tmp_path / "cuomin.toml") in r.output and message in r.output


def test_resolve_library_api(tmp_path):
    cfg = tmp_path / "cuomin.toml"
    cfg.write_text('allow = ["县环保局", { phrase = "大麻", codes = ["sensitive"] }]\npacks = []\n', encoding="utf-8")
    s = resolve(cwd=tmp_path, date=dt.date(2023, 10, 30), allow=[])
    assert s.config_file == cfg and s.date == dt.date(2023, 10, 30) and s.sources["date"] == "--date"
    assert s.allow == [AllowPhrase("县环保局"), AllowPhrase("大麻", ("sensitive",))]
    scanner = s.build_scanner(use_cache=False)
    assert [f.code for f in scanner.scan("县环保局", published=s.date)] == []
    with pytest.raises(ConfigError):
        resolve(cwd=tmp_path, config=tmp_path / "missing.toml")
    assert isinstance(resolve(cwd=tmp_path, allow=[str(cfg)]).allow[-1], AllowFile)


def test_check_parameters_come_from_the_configuration(tmp_path, monkeypatch):
    (tmp_path / "d.txt").write_text("按照总休方案推进\n", encoding="utf-8")  # 总休 → 总体 scores ≈ 2.8
    monkeypatch.chdir(tmp_path)
    cfg = tmp_path / "cuomin.toml"
    cfg.write_text('packs = ["suspected-typos"]\n', encoding="utf-8")
    assert codes(run(["check", "--format", "jsonl", "d.txt"])) == ["TYP900"]
    cfg.write_text('packs = ["suspected-typos"]\n\n[params.TYP900]\nmin_score = 6.0\n', encoding="utf-8")
    assert codes(run(["check", "--format", "jsonl", "d.txt"])) == []
    shown = run(["config"]).output
    assert f"[params.TYP900]  # {cfg}\nmin_score = 6.0" in shown
    assert json.loads(run(["config", "--format", "json"]).output)["params"] == {
        "TYP900": {"value": {"min_score": 6.0}, "source": str(cfg)}
    }
    # a parameter the check does not take, or a code without such a rule: exit 2, naming the file
    cfg.write_text('packs = ["suspected-typos"]\n\n[params.TYP900]\nmin_scor = 6.0\n', encoding="utf-8")
    r = run(["check", "d.txt"])
    assert r.exit_code == 2 and f"{cfg}: params for TYP900: check suspected_typos takes no parameter min_scor" in r.output
    cfg.write_text("[params.TYP900]\nmin_score = 6.0\n", encoding="utf-8")
    r = run(["check", "d.txt"])
    assert r.exit_code == 2 and f"{cfg}: params for TYP900: no structure rule of that code is loaded" in r.output
