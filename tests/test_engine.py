"""The matching engine: normalization, offsets, verification, overlaps, API contract."""

import dataclasses
import datetime as dt
import json
import pickle
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from cuomin import AllowPhrase, Category, Finding, PackError, Scanner, Severity, parse_pack
from cuomin.engine.normalize import normalize

from .conftest import assert_offsets

PACK = Path(__file__).parent / "fixtures" / "engine_pack.toml"
D = dt.date(2023, 10, 30)


@pytest.fixture(scope="module")
def s():
    return Scanner(packs=[PACK])


def found(scanner, text, published=D):
    return [(f.code, f.start, f.end, f.text, f.suggestions) for f in assert_offsets(text, scanner.scan(text, published))]


def test_plain_hit_with_offsets_line_and_column(s):
    text = "第一行\n工作己经完成"
    (f,) = s.scan(text, D)
    assert (f.code, f.start, f.end, f.text, f.suggestions) == ("TST002", 6, 8, "己经", ["已经"])
    assert (f.line, f.column) == (2, 3)
    assert f.category.value == "typo" and f.severity.value == "warning"
    assert f.message == "测试：错别字" and f.source == "tests"


def test_boundary_verification_both_directions(s):
    assert found(s, "我遇到了一个大麻烦") == []
    assert found(s, "有人出售大麻") == [("TST001", 4, 6, "大麻", [])]


def test_evasion_characters_are_skipped_for_sensitive_rules(s):
    for text in ["代*开*发*票", "代 开 发 票", "代\u200b开\u200b发\u200b票", "代_开-发.票", "代　开　发　票"]:
        (hit,) = found(s, "专业" + text + "联系")
        assert hit[0] == "TST001" and hit[3] == text and hit[1] == 2


def test_evasion_never_joins_words_for_other_categories(s):
    assert found(s, "己 经") == []  # a typo rule does not match across a space
    assert found(s, "中华人名 共和国") == [("TST002", 0, 4, "中华人名", ["中华人民"])]


def test_full_width_and_case_folding_keep_original_offsets(s):
    text = "甲：ａｂｃ公司己经"
    assert found(s, text) == [("TST002", 2, 7, "ａｂｃ公司", ["甲公司"]), ("TST002", 7, 9, "己经", ["已经"])]


def test_longest_most_specific_rule_wins(s):
    assert found(s, "中华人名共和国") == [("TST003", 0, 7, "中华人名共和国", ["中华人民共和国"])]


def test_effective_date_and_context(s):
    assert found(s, "国土资源部发布", published=dt.date(2017, 1, 1)) == []
    assert found(s, "国土资源部发布")[0][0] == "TST004"
    assert found(s, "原国土资源部发布") == []
    assert found(s, "组建自然资源部，不再保留国土资源部。") == []
    assert found(s, "不再保留。国土资源部发布")[0][0] == "TST004"  # another sentence


def test_datetime_published_is_accepted(s):
    assert found(s, "国土资源部", published=dt.datetime(2017, 1, 1, 8, 0)) == []


def test_allow_phrases_and_per_code_allow():
    s = Scanner(packs=[PACK], allow=["己经营"])
    assert found(s, "自己经营") == []
    assert found(s, "己经")[0][0] == "TST002"
    s = Scanner(packs=[PACK], allow=[AllowPhrase("出售大麻", ("TST002",))])
    assert found(s, "出售大麻")[0][0] == "TST001"  # allowed only for another code
    s = Scanner(packs=[PACK], allow=[AllowPhrase("出售大麻", ("sensitive",))])
    assert found(s, "出售大麻") == []


def test_allow_file(tmp_path):
    f = tmp_path / "allow.txt"
    f.write_text("# 说明\n\n[TST002] 己经\n", encoding="utf-8")
    s = Scanner(packs=[PACK], allow=[f])
    assert found(s, "己经") == []


def test_select_and_ignore_by_code_prefix_and_category():
    assert {f.code for f in Scanner(packs=[PACK], select=["TST002"]).scan("己经出售大麻", D)} == {"TST002"}
    assert {f.code for f in Scanner(packs=[PACK], select=["sensitive"]).scan("己经出售大麻", D)} == {"TST001"}
    assert {f.code for f in Scanner(packs=[PACK], ignore=["TST00"]).scan("己经出售大麻", D)} == set()
    assert {f.code for f in Scanner(packs=[PACK], ignore=["typo"]).scan("己经出售大麻", D)} == {"TST001"}


def test_surrogate_code_points_read_as_replacement_characters(scanner):
    # not characters (a JSON "\\udc80" escape): the UTF-8 matchers cannot take them
    text = "精心布署\udc80\ud83d，工作己经完成"
    for scan in (scanner.scan, scanner._scan_plain):
        findings = scan(text, D)
        assert [(f.code, f.start, f.end, f.text) for f in findings] == [("TYP001", 2, 4, "布署"), ("TYP001", 9, 11, "己经")]
        assert_offsets(text.replace("\udc80", "\ufffd").replace("\ud83d", "\ufffd"), findings)


def test_empty_text(s):
    assert s.scan("") == []


def test_finding_round_trips_through_dict_and_pickle(s):
    (f,) = s.scan("己经", D)
    assert isinstance(f, Finding)
    d = f.to_dict()
    assert d == {"code": "TST002", "category": "typo", "severity": "warning", "start": 0, "end": 2, "line": 1,
                 "column": 1, "text": "己经", "suggestions": ["已经"], "message": f.message, "source": f.source,
                 "confidence": 1.0, "tier": "confirmed"}
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d
    back = Finding.from_dict(d)
    assert back == f and back.category is Category.typo and back.severity is Severity.warning
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        again = pickle.loads(pickle.dumps(f, protocol=protocol))
        assert again == f and type(again) is Finding and again.category is Category.typo
    d["suggestions"].append("x")  # a copy: the finding is not changed through its dict
    assert f.suggestions == ["已经"]


def test_finding_is_frozen_and_checked(s):
    (f,) = s.scan("己经", D)
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.start = 3
    moved = f.replace(line=4, column=7)
    assert (moved.line, moved.column, moved.code, f.line) == (4, 7, "TST002", 1)
    base = f.to_dict()
    for bad, what in [({"start": 3}, "bad span 3–2"), ({"start": -1}, "bad span -1–2"), ({"line": 0}, "count from 1"),
                      ({"column": 0}, "count from 1"), ({"confidence": 1.5}, "not in 0–1")]:
        with pytest.raises(ValueError, match=what):
            Finding(**{**base, **bad})
    with pytest.raises(ValueError, match="'typos' is not a valid Category"):
        Finding(**{**base, "category": "typos"})
    with pytest.raises(ValueError, match="bad span"):
        f.replace(end=-1)
    with pytest.raises(TypeError):  # keywords only, as before
        Finding(*base.values())
    with pytest.raises(TypeError, match="message"):
        Finding(**{k: v for k, v in base.items() if k != "message"})


def test_scanner_is_picklable_and_reusable(s):
    clone = pickle.loads(pickle.dumps(s))
    text = "有人出售大麻，工作己经完成，代*开*发*票"
    assert clone.scan(text, D) == s.scan(text, D)


def test_scanner_is_thread_safe(s):
    texts = [f"第{i}条：有人出售大麻，工作己经完成，代*开*发*票。" * (i % 5 + 1) for i in range(40)]
    expected = [s.scan(t, D) for t in texts]
    results = [None] * len(texts)

    def work(idx):
        for i in range(idx, len(texts), 4):
            results[i] = s.scan(texts[i], D)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == expected


def test_clean_paragraph_does_not_import_jieba():
    code = (
        "import sys, datetime\n"
        "from cuomin import Scanner\n"
        "s = Scanner()\n"
        "assert 'jieba' not in sys.modules, 'import'\n"
        "f = s.scan('各单位要认真学习贯彻会议精神，扎实推进各项工作任务落实。', datetime.date(2023, 10, 30))\n"
        "assert f == [], f\n"
        "assert 'jieba' not in sys.modules, 'scan'\n"
        "s.scan('有人出售大麻', datetime.date(2023, 10, 30))\n"
        "assert 'jieba' in sys.modules, 'boundary check should load jieba'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_normalize_offset_map():
    n = normalize("代*开 发\u200b票")
    assert n.text == "代开发票"
    assert n.span(0, 4) == (0, 7)
    assert normalize("ＡＢＣ").index is None


# --- pack validation --------------------------------------------------------------

BAD_EXAMPLE = """
[[rules]]
code = "TST100"
category = "typo"
severity = "error"
reason = "r"
source = "s"
entries = [ { wrong = "己经", right = "已经", match = ["工作已经完成"] } ]
"""


def test_pack_whose_example_fails_is_refused(tmp_path):
    p = tmp_path / "mine.toml"
    p.write_text(BAD_EXAMPLE, encoding="utf-8")
    with pytest.raises(PackError) as exc:
        Scanner(packs=[p])
    msg = str(exc.value)
    assert "mine.toml" in msg and "TST100" in msg and "己经" in msg and "工作已经完成" in msg
    assert "should match" in msg


def test_nomatch_example_that_fires_is_refused():
    pack = parse_pack(BAD_EXAMPLE.replace('match = ["工作已经完成"]', 'nomatch = ["工作己经完成"]'), "x.toml")
    with pytest.raises(PackError, match="must not match"):
        Scanner(packs=[pack])


@pytest.mark.parametrize(
    "body, expected",
    [
        ("[[rules]]\ncode = 1", "not valid TOML|code"),
        ('[[rules]]\ncode = "bad"\ncategory = "typo"\nseverity = "error"\nreason = "r"\nsource = "s"\nentries = [{wrong="a"}]', "rule bad"),
        ('[[rules]]\ncode = "TST101"\ncategory = "nope"\nseverity = "error"\nreason = "r"\nsource = "s"\nentries = [{wrong="a"}]', "category"),
        ('[[rules]]\ncode = "TST102"\ncategory = "typo"\nseverity = "error"\nreason = "r"\nsource = "s"\nentries = [{wrong=""}]', "entry 1"),
        ('[[rules]]\ncode = "TST103"\nkind = "pattern"\ncategory = "number"\nseverity = "error"\nreason = "r"\nsource = "s"\npattern = "a"\nvalidator = "nope"', "unknown validator"),
        ('[[rules]]\ncode = "TST104"\nkind = "pattern"\ncategory = "number"\nseverity = "error"\nreason = "r"\nsource = "s"\npattern = "(a"', "bad pattern"),
        ("[[rules]\n", "not valid TOML"),
    ],
)
def test_pack_errors_name_the_file_and_rule(tmp_path, body, expected):
    p = tmp_path / "bad.toml"
    p.write_text(body, encoding="utf-8")
    with pytest.raises(PackError, match=expected) as exc:
        Scanner(packs=[p])
    assert "bad.toml" in str(exc.value)


def test_duplicate_code_across_packs_is_refused(tmp_path):
    p = tmp_path / "dup.toml"
    p.write_text(PACK.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(PackError, match="already defined"):
        Scanner(packs=[PACK, p])


def test_missing_pack_file():
    with pytest.raises(PackError, match="cannot read"):
        Scanner(packs=["/nonexistent/pack.toml"])


def test_sentence_context_leaves_out_the_hit_itself(s):
    assert found(s, "低价出售毒品")[0][0] == "TST005"  # 毒品 inside the hit does not veto it
    assert found(s, "禁毒宣传：严禁出售毒品") == []
    assert found(s, "禁毒宣传。低价出售毒品")[0][0] == "TST005"  # another sentence


def test_a_longer_hit_turned_down_by_date_or_context_shadows_shorter_hits(s):
    assert found(s, "土资源")[0][0] == "TST002"
    assert found(s, "国土资源部发布")[0][0] == "TST004"  # the longer hit wins anyway
    assert found(s, "原国土资源部发布") == []  # turned down by context: 土资源 inside is not reported
    assert found(s, "国土资源部发布", published=dt.date(2017, 1, 1)) == []  # turned down by date


def test_shipped_charmap_folds_traditional_forms_whatever_packs_are_loaded(s):
    assert found(s, "專業代開發票") == [("TST001", 2, 6, "代開發票", [])]
    assert found(s, "代 開 發 票")[0][3] == "代 開 發 票"
