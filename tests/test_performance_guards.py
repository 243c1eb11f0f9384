"""Guards for the speed work (docs/performance.md): the fast path finds exactly what
the plain path finds, jieba and heavy readers load only when needed, and the on-disk
rule-set cache is invalidated by any change to its inputs and survives a bad cache
directory."""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import random
import subprocess
import sys
from pathlib import Path

import pytest

from cuomin import Scanner
from cuomin.engine import cache as cache_mod
from cuomin.engine import matcher as matcher_mod
from cuomin.engine.matcher import LiteralMatcher
from cuomin.engine.normalize import BASE_TABLE, strip_interference, strip_interference_fast
from cuomin.engine.patterns import expand_anchor, first_char_gate
from cuomin.engine.structure import unpaired_brackets, unpaired_brackets_fast

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "news_zh.txt"
DAY = dt.date(2024, 6, 1)


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner()


def _dump(findings):
    return [f.to_dict() for f in findings]


def _noisy_texts(scanner: Scanner, n: int, seed: int = 5) -> list[str]:
    """Generated posts full of the things the shortcuts skip or special-case: rule
    keys (some with interference characters inside, some in full-width or upper
    case), digits of both widths, dates, brackets that do and do not pair, ’."""
    rnd = random.Random(seed)
    keys = scanner.literal_keys()
    pieces = [
        "的", "了", "我们", "工作", "会议", "，", "。", "、", "：", "；", "（", "）", "“", "”", "《", "》", "‘", "’",
        "【", "】", "(", ")", "[", "]", " ", "\u3000", "*", "·", ".", "-", "%", "％", "．", "／", "\n", "\n\n",
        "2023年7月3日", "２０２３年", "23年5月", "5、6个", "1、2", "第条", "，，", "。。", "...", "……", "App", "ＡＰＰ",
        "k 粉", "Ｋ粉", "don’t", "’98", "13812345678", "110101199003074514", "6222020200112233445", "ok!好", "中,文",
        "(2023)第12号", "》、《", "”、“", "〇一", "二0二三年", "\u200b",
        # the pattern rules' anchors and near-misses of them
        "县县委", "州委", "十二月", "三月五日", "三、四", "、5", "（2023）", "第5号", "（一）、", "一．", "\"中\"",
        "(中)", "七中全会", "全会", "二〇〇五年", "零", "1998-5", "-7", "303室", "号房", "2单元", "年01", "第季度",
        "23年", "１２月", ",;", "；，", "。。。", "０一",
        # pinyin written for characters of sensitive keys (engine/pinyin.py)
        "kai", "Dai", "fapiao", "liuhecai", "ma", "du", "he", " piao ", "ｋａｉ",
    ]
    texts = []
    for _ in range(n):
        parts = []
        for _ in range(rnd.randint(5, 60)):
            r = rnd.random()
            if r < 0.3 and keys:
                key = rnd.choice(keys)
                if rnd.random() < 0.3 and len(key) > 1:
                    cut = rnd.randint(1, len(key) - 1)
                    key = key[:cut] + rnd.choice(["*", " ", "·", "\u200b", "..", "-_-"]) + key[cut:]
                if rnd.random() < 0.2:
                    key = key.upper()
                parts.append(key)
            else:
                parts.append(rnd.choice(pieces))
        texts.append("".join(parts))
    return texts


# ------------------------------------------------------------ identical findings
def test_fast_and_plain_paths_agree_on_generated_text(scanner):
    for text in _noisy_texts(scanner, 400):
        assert _dump(scanner.scan(text, DAY)) == _dump(scanner._scan_plain(text, DAY)), text


def test_fast_and_plain_paths_agree_on_every_pattern_rule_example(scanner):
    """Anchors and gates skip rules; on each pattern rule's own examples (and on all
    of them joined) the fast path must still report exactly what the plain one does."""
    texts = []
    for info in scanner.active_rules():
        if info.rule.kind == "pattern":
            texts += [(ex.text, ex.date or DAY) for ex in [*info.rule.match, *info.rule.nomatch]]
    assert len(texts) > 40
    texts.append(("\n".join(t for t, _ in texts), DAY))
    for text, day in texts:
        assert _dump(scanner.scan(text, day)) == _dump(scanner._scan_plain(text, day)), text


@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not present")
def test_fast_and_plain_paths_agree_on_real_text(scanner):
    text = CORPUS.read_text(encoding="utf-8")[:120_000]
    posts, cur, size = [], [], 0
    for line in text.split("\n"):
        cur.append(line)
        size += len(line.encode("utf-8")) + 1
        if size >= 2048:
            posts.append("\n".join(cur))
            cur, size = [], 0
    found = 0
    for post in posts:
        for day in (dt.date(1998, 1, 31), DAY):
            fast = _dump(scanner.scan(post, day))
            assert fast == _dump(scanner._scan_plain(post, day))
            found += len(fast)
    assert found > 0  # the comparison covered real findings, not only empty lists


def test_matcher_backends_report_the_same_occurrences(scanner):
    keys = scanner._matcher.keys + ["ab", "b", "中华", "华人", "人", "𠀀字"]
    matchers = [LiteralMatcher(keys, b) for b in ("rs", "bytes", "str")]
    for text in _noisy_texts(scanner, 100, seed=9) + ["𠀀字中华人民", "ab" * 50, ""]:
        results = [sorted(m.find(text)) for m in matchers]
        assert results[0] == results[1] == results[2], text


@pytest.mark.parametrize("backend", ["rs", "bytes", "str"])
def test_a_long_text_searched_in_windows_gives_every_occurrence_once(scanner, monkeypatch, backend):
    keys = scanner._matcher.keys + ["ab", "b", "中华", "华人", "人", "𠀀字"]
    text = "".join(_noisy_texts(scanner, 60, seed=11)) + "𠀀字中华人民" + "ab" * 50
    whole = sorted(LiteralMatcher(keys, backend).find(text))
    assert len(whole) > 400
    for window in (1, 7, 64, 1000):
        monkeypatch.setattr(matcher_mod, "FIND_WINDOW", window)
        assert sorted(LiteralMatcher(keys, backend).find(text)) == whole, window


def test_findings_do_not_change_when_a_text_is_searched_in_windows(scanner, monkeypatch):
    text = "\n".join(_noisy_texts(scanner, 150, seed=12))
    whole = _dump(scanner.scan(text, DAY))
    assert len(whole) > 300
    monkeypatch.setattr(matcher_mod, "FIND_WINDOW", 50)
    assert _dump(scanner.scan(text, DAY)) == whole


def test_rs_matcher_switch_to_dfa_keeps_results():
    m = LiteralMatcher(["中华", "华人", "人民"], "rs")
    text = "中华人民共和国" * 40_000  # past DFA_AFTER_CHARS
    before = m.find("中华人民")
    m.find(text)
    assert m._until_dfa is None
    assert m.find("中华人民") == before == [(0, 0, 2), (1, 1, 3), (2, 2, 4)]


def test_fast_interference_strip_equals_the_regex():
    rnd = random.Random(3)
    alphabet = "中文字ab9 *._-·\u200b，,Ｋk%／"
    for _ in range(5000):
        folded = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 14))).translate(BASE_TABLE)
        plain, fast = strip_interference(folded), strip_interference_fast(folded)
        assert plain.text == fast.text
        n = len(plain.text)
        for s in range(n):
            for e in range(s + 1, n + 1):
                assert plain.span(s, e) == fast.span(s, e)


def test_fast_bracket_check_equals_the_full_pairing():
    rnd = random.Random(4)
    alphabet = "（）()“”‘’《》【】[]〈〉〔〕字a1\n"
    for _ in range(5000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 16)))
        assert list(unpaired_brackets_fast(text)) == list(unpaired_brackets(text)), text


@pytest.mark.parametrize(
    "pattern, gate",
    [
        (r"(?<![0-9])(?P<y>\d{4})年", "[\\d]"),
        (r"(?<=\p{Han})[,;]", "[,;]"),
        (r"a?b", "[ab]"),
        (r"第(?:条|款)", "[第]"),
        (r".abc", None),  # any character first
        (r"(?i)abc", None),  # case-insensitive
        (r"\p{Han}x", None),  # a property class first
        (r"[^a]b", None),  # negated class
        (r"a*", None),  # may match empty
    ],
)
def test_pattern_gate(pattern, gate):
    got = first_char_gate(pattern)
    assert (got.pattern if got is not None else None) == gate


# ------------------------------------------------------------ lazy imports
def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True, env={**os.environ, "CUOMIN_NO_CACHE": "1"},
    ).stdout
    return {m.split(".")[0] for m in json.loads(out.splitlines()[-1])}


def test_import_cuomin_loads_no_heavy_module():
    mods = _modules_after("import cuomin")
    assert not mods & {"jieba", "openpyxl", "python_calamine", "docx", "lxml", "bs4"}


def test_clean_paragraph_does_not_import_jieba():
    mods = _modules_after(
        "from cuomin import Scanner\n"
        "assert Scanner().scan('今天上午，市政府召开常务会议，研究部署下一阶段的重点工作。') == []"
    )
    assert "jieba" not in mods
    assert "numpy" not in mods  # the suspected-typo family's (off by default)


def test_a_scan_without_a_ledger_imports_only_what_it_uses(tmp_path):
    # each cuomin scan pays its imports before the work is shared with --jobs workers
    posts = tmp_path / "p.jsonl"
    posts.write_text('{"id": "1", "text": "精心布署"}\n', encoding="utf-8")
    # the rule set as a scan normally finds it: in the cache (building it reads the packs
    # through importlib.resources, which imports zipfile; a fresh checkout may run this first)
    subprocess.run([sys.executable, "-m", "cuomin", "scan", str(posts)], capture_output=True, check=False)
    out = subprocess.run(
        [sys.executable, "-c", "import sys; from cuomin.cli import main\n"
         f"sys.argv = ['cuomin', 'scan', {str(posts)!r}]\n"
         "try:\n    main()\nexcept SystemExit:\n    pass\n"
         "import json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True,
    ).stdout
    mods = set(json.loads(out.splitlines()[-1]))
    assert '"code": "TYP001"' in out  # the scan ran
    assert not mods & {"sqlite3", "cuomin.supervision.ledger", "cuomin.supervision.columns",
                       "cuomin.supervision.accounts", "openpyxl", "pkg_resources",
                       # nor the document checker and readers, nor the workbooks' hyperlinks, nor
                       # (one block: no worker) multiprocessing
                       "cuomin.check", "cuomin.readers", "html", "zipfile", "multiprocessing"}


@pytest.mark.parametrize("command, name", [(["check"], "draft.txt"), (["check", "--format", "json"], "draft.md"),
                                           (["scan", "--jobs", "1"], "posts.jsonl")])
def test_reading_text_imports_no_reader_of_other_formats(tmp_path, command, name):
    """The Word 97, PDF, RTF and workbook readers (olefile, pypdf, striprtf, calamine)
    are imported only when such a file is read: a check of a text draft or a scan of
    JSON Lines loads none of them."""
    target = tmp_path / name
    target.write_text('{"id": "1", "text": "工作己经完成。"}\n' if name.endswith(".jsonl") else "工作己经完成。\n",
                      encoding="utf-8")
    code = ("import sys\nfrom cuomin.cli import main\n"
            f"sys.argv = ['cuomin', *{command!r}, {str(target)!r}]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('olefile', 'pypdf', 'striprtf', 'python_calamine') if m in sys.modules))\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.splitlines()[-1] == "[]"


def test_the_supervision_package_still_offers_every_public_name():
    import cuomin.supervision as sup

    assert sorted(sup.__all__) == sorted(sup._HOMES)
    for name in sup.__all__:
        assert getattr(sup, name).__name__ == name
    with pytest.raises(AttributeError):
        sup.no_such_name  # noqa: B018


# ------------------------------------------------------------ on-disk cache
PACK = """
[pack]
name = "perf-test"

[[rules]]
code = "ZZZ001"
category = "typo"
severity = "error"
reason = "测试用"
source = "测试"
entries = [{{ wrong = "{wrong}", right = "正确" }}]
"""


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("CUOMIN_CACHE_DIR", str(d))
    monkeypatch.delenv("CUOMIN_NO_CACHE", raising=False)
    return d


def _entries(cache_dir: Path) -> list[Path]:
    return sorted((cache_dir / "scanners").glob("*.pickle"))


def test_cache_hit_loads_instead_of_building(cache_dir, tmp_path, monkeypatch):
    pack = tmp_path / "p.toml"
    pack.write_text(PACK.format(wrong="甲乙丙"), encoding="utf-8")
    first = cache_mod.cached_scanner(extra_packs=[pack])
    assert len(_entries(cache_dir)) == 1

    def no_build(self):
        raise AssertionError("built although a cache entry exists")

    monkeypatch.setattr(Scanner, "_build", no_build)
    second = cache_mod.cached_scanner(extra_packs=[pack])
    assert second is not first
    assert [f.code for f in second.scan("这是甲乙丙。", DAY)] == ["ZZZ001"]
    assert second.rule("ZZZ001").rule.reason == "测试用"  # the lazily unpacked rules


def test_cache_is_invalidated_when_a_pack_changes(cache_dir, tmp_path):
    pack = tmp_path / "p.toml"
    pack.write_text(PACK.format(wrong="甲乙丙"), encoding="utf-8")
    s1 = cache_mod.cached_scanner(extra_packs=[pack])
    assert [f.text for f in s1.scan("甲乙丙 丁戊己", DAY) if f.code == "ZZZ001"] == ["甲乙丙"]
    pack.write_text(PACK.format(wrong="丁戊己"), encoding="utf-8")
    s2 = cache_mod.cached_scanner(extra_packs=[pack])
    assert [f.text for f in s2.scan("甲乙丙 丁戊己", DAY) if f.code == "ZZZ001"] == ["丁戊己"]
    assert len(_entries(cache_dir)) == 2


def test_cache_key_covers_the_character_tables_rules_compile_from(tmp_path, monkeypatch):
    from cuomin.engine import chartables

    tables = (tmp_path / "confusion_pinyin.tsv", tmp_path / "confusion_shape.tsv", tmp_path / "pinyin_heteronyms.tsv")
    for t in tables:
        t.write_text("卫\twei\n", encoding="utf-8")
    monkeypatch.setattr(chartables, "table_paths", lambda: tables)
    k1 = cache_mod.scanner_key()
    assert cache_mod.scanner_key() == k1
    tables[1].write_text("卫\twei\n伟\twei\n", encoding="utf-8")
    k2 = cache_mod.scanner_key()
    assert k2 != k1
    tables[2].write_text("行\thang\n", encoding="utf-8")  # the sensitive keys' pinyin reads it
    assert cache_mod.scanner_key() != k2


def test_cache_key_covers_select_ignore_and_allow(tmp_path):
    base = cache_mod.scanner_key()
    assert base == cache_mod.scanner_key()
    assert cache_mod.scanner_key(select=["POL"]) != base
    assert cache_mod.scanner_key(ignore=["POL"]) != base
    assert cache_mod.scanner_key(allow=["中华人名共和国"]) != base
    allow = tmp_path / "allow.txt"
    allow.write_text("甲\n", encoding="utf-8")
    k1 = cache_mod.scanner_key(allow=[allow])
    allow.write_text("乙\n", encoding="utf-8")
    assert cache_mod.scanner_key(allow=[allow]) != k1


def test_unwritable_cache_dir_still_scans(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("CUOMIN_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.delenv("CUOMIN_NO_CACHE", raising=False)
    s = cache_mod.cached_scanner()
    assert [f.code for f in s.scan("中华人名共和国成立", DAY)] == ["POL001"]


def test_corrupt_entry_is_rebuilt(cache_dir):
    cache_mod.cached_scanner()
    (entry,) = _entries(cache_dir)
    entry.write_bytes(b"\x80\x05truncated")
    s = cache_mod.cached_scanner()
    assert [f.code for f in s.scan("中华人名共和国成立", DAY)] == ["POL001"]
    assert pickle.loads(entry.read_bytes()).literal_count == s.literal_count  # rewritten


def test_no_cache_env_and_flag_write_nothing(cache_dir, monkeypatch):
    cache_mod.cached_scanner(use_cache=False)
    assert not _entries(cache_dir)
    monkeypatch.setenv("CUOMIN_NO_CACHE", "1")
    cache_mod.cached_scanner()
    assert not _entries(cache_dir)


def test_cli_no_cache_flag(cache_dir, tmp_path):
    from click.testing import CliRunner

    from cuomin.cli import main

    doc = tmp_path / "a.txt"
    doc.write_text("中华人名共和国成立", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", str(doc)])
    assert result.exit_code == 1
    assert not _entries(cache_dir)
    result = CliRunner().invoke(main, ["check", "--format", "json", str(doc)])
    assert result.exit_code == 1
    assert len(_entries(cache_dir)) == 1


def test_rule_codes_and_categories_without_the_rule_objects():
    from cuomin import Scanner

    typos = Scanner(select=["typo"], ignore=["TYP002"])
    clone = pickle.loads(pickle.dumps(typos))
    assert clone._rules is None  # (the rule objects are still packed)
    assert clone.active_codes == {i.code for i in typos.active_rules()} and "TYP001" in clone.active_codes
    assert "TYP002" not in clone.active_codes and "POL001" not in clone.active_codes
    assert clone.rule_categories == {code: info.rule.category.value for code, info in typos.rules.items()}
    assert clone._rules is None and clone.rule_categories["POL001"] == "political"


def test_pickled_scanner_scans_the_same(scanner):
    clone = pickle.loads(pickle.dumps(scanner))
    for text in _noisy_texts(scanner, 30, seed=11):
        assert _dump(clone.scan(text, DAY)) == _dump(scanner.scan(text, DAY))
    assert clone.rules.keys() == scanner.rules.keys()


@pytest.mark.parametrize("command", [["check"], ["check", "--select", "typo,POL"], ["scan", "--jobs", "2"],
                                     ["scan", "--ledger", "LEDGER"]])
def test_cli_from_the_cache_imports_neither_pack_schema_nor_pydantic(tmp_path, command):
    """A CLI call that loads a cached Scanner imports neither the pack schema (pydantic
    models of every rule) nor pydantic itself (findings and posts are dataclasses):
    pydantic's import was half of a call's start-up. Checking ``--select`` and
    recording in a ledger need only the rules' codes and categories."""
    command = [str(tmp_path / "cuomin.db") if c == "LEDGER" else c for c in command]
    draft = tmp_path / "draft.txt"
    draft.write_text("今天上午，市政府召开常务会议，研究部署下一阶段的重点工作。\n", encoding="utf-8")
    posts = tmp_path / "posts.jsonl"
    posts.write_text('{"id": "1", "text": "今天上午，市政府召开常务会议，工作己经完成。"}\n' * 50, encoding="utf-8")
    env = {**os.environ, "CUOMIN_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("CUOMIN_NO_CACHE", None)
    target = draft if command[0] == "check" else posts
    code = (
        "import sys\nfrom cuomin.cli import main\n"
        f"sys.argv = ['cuomin', *{command!r}, {str(target)!r}]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert exc.code in (0, 1), exc.code\n"
        "import gc; print('frozen' if gc.get_freeze_count() > 10_000 else 'not frozen')\n"
        "print(sorted(m for m in ('cuomin.rules.schema', 'pydantic') if m in sys.modules))\n"
    )
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert first.stdout.splitlines()[-1] == "['cuomin.rules.schema', 'pydantic']"  # built: packs parsed
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert second.stdout.splitlines()[-1] == "[]"  # loaded from the cache
    # the rule set is out of the garbage collector's sight (see cli._rule_set)
    assert second.stdout.splitlines()[-2] == "frozen"
    if command[0] == "scan":
        assert second.stdout.count('"code": "TYP001"') == 50  # and it scanned


def test_matcher_upgrade_is_safe_across_threads():
    """The rs matcher swaps its NFA for a DFA after DFA_AFTER_CHARS characters; threads
    scanning at that moment must all get the same, correct hits."""
    import threading

    m = matcher_mod.LiteralMatcher(["甲乙", "乙丙"], "rs")
    if m.backend != "rs":
        pytest.skip("ahocorasick_rs not installed")
    text = "甲乙丙" * 2000
    expected = sorted(m.find(text))
    results, errors = [], []

    def work():
        try:
            for _ in range(60):
                results.append(sorted(m.find(text)))
        except Exception as exc:  # pragma: no cover - what the test guards against
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and all(r == expected for r in results)
    assert m._until_dfa is None  # upgraded


# ------------------------------------------------------------------- anchors
@pytest.mark.parametrize(
    "anchor, strings",
    [
        ("年[01]", ["年0", "年1"]),
        ("、[1-3一]", ["、1", "、2", "、3", "、一"]),
        ("第(?:条|款)", ["第条", "第款"]),
        (r"\.\.\.|。{3}", ["...", "。。。"]),
        ("ab?", ["a", "ab"]),
        ("[(\\[]19", ["(19", "[19"]),
    ],
)
def test_expand_anchor(anchor, strings):
    assert expand_anchor(anchor) == sorted(strings)


def test_expand_anchor_digit_class_is_every_decimal_digit():
    got = expand_anchor(r"\d月")
    assert {"0月", "9月", "０月", "٣月"} <= set(got)
    assert "a月" not in got and "十月" not in got


@pytest.mark.parametrize(
    "anchor, message",
    [
        ("a+", "bounded repeats"),
        (".", "only literals"),
        ("[^a]", "only literals"),
        ("[^ab]", "class may hold"),
        (r"\w", "class may hold"),
        ("(?=a)b", "only literals"),
        ("a?", "empty string"),
        ("(?i)ab", "case-insensitive"),
        ("[0-9]{6}", "more than"),
        ("(", "bad anchor"),
    ],
)
def test_expand_anchor_refuses_what_is_not_a_finite_set(anchor, message):
    with pytest.raises(ValueError, match=message):
        expand_anchor(anchor)


def _pattern_pack(**rule):
    from cuomin.rules.schema import Pack

    base = dict(code="TST901", kind="pattern", category="expression", severity="warning", reason="r", source="s",
                pattern="ab")
    return Pack.model_validate({"pack": {"name": "t"}, "rules": [{**base, **rule}]})


def test_anchor_is_a_speed_hint_the_reference_path_ignores():
    # an anchor that misses the match: the fast path skips the rule, the plain one does not
    wrong = Scanner(packs=[_pattern_pack(anchor="zz")])
    assert wrong.scan("xaby", DAY) == []
    assert [f.text for f in wrong._scan_plain("xaby", DAY)] == ["ab"]
    right = Scanner(packs=[_pattern_pack(anchor="a[b]")])
    assert [(f.start, f.end) for f in right.scan("xaby", DAY)] == [(1, 3)]
    assert right.scan("xa by", DAY) == []


def test_anchor_must_cover_every_match_example_and_only_pattern_rules_take_one():
    with pytest.raises(Exception, match="contains no string of its anchor"):
        _pattern_pack(anchor="zz", match=["xaby"])
    with pytest.raises(Exception, match="only pattern rules take an anchor"):
        _pattern_pack(kind="structure", pattern=None, check="unpaired_brackets", anchor="ab")
    with pytest.raises(Exception, match="bounded repeats"):
        _pattern_pack(anchor="a+")
