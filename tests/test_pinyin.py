"""Sensitive words written in pinyin (engine/pinyin.py): what is found, exactly, and
the near-misses that must stay silent."""

import pickle

import pytest

from cuomin import Scanner
from cuomin.engine.chartables import pinyin_readings
from cuomin.engine.pinyin import MIN_LATIN_ONLY, PINYIN_CONFIDENCE, PinyinIndex, _splits

from .conftest import DATE, assert_offsets


def spelt(scanner, text, published=DATE):
    """(code, start, end, text) of the findings read through pinyin, checked for tier,
    confidence and message."""
    out = []
    for f in assert_offsets(text, scanner.scan(text, published)):
        if "疑似以拼音替写" not in f.message:
            continue
        assert f.tier == "suspected" and f.confidence == PINYIN_CONFIDENCE, f
        out.append((f.code, f.start, f.end, f.text))
    return out


@pytest.mark.parametrize(
    "text, expected",
    [
        # one or more characters replaced by their pinyin
        ("专业代kai发票", ("SEN001", 2, 8, "代kai发票")),
        ("dai开发票，联系微信", ("SEN001", 0, 6, "dai开发票")),
        ("代开fapiao", ("SEN001", 0, 8, "代开fapiao")),
        ("代kaifa票", ("SEN001", 0, 7, "代kaifa票")),
        # spaces and symbols between the pieces, as for the characters themselves
        ("代 kai 发 票", ("SEN001", 0, 9, "代 kai 发 票")),
        ("代*kai*发*票", ("SEN001", 0, 9, "代*kai*发*票")),
        ("代kai fa piao", ("SEN001", 0, 12, "代kai fa piao")),
        # full-width and capital letters, offsets in the text as written
        ("ｄａｉ开发票", ("SEN001", 0, 6, "ｄａｉ开发票")),
        ("DaiKaiFaPiao联系我", ("SEN001", 0, 12, "DaiKaiFaPiao")),
        # pinyin alone, written as one run of three syllables or more (a spam address too)
        ("liuhecai", ("SEN003", 0, 8, "liuhecai")),
        ("访问www.daikaifapiao.com", ("SEN001", 6, 18, "daikaifapiao")),
        ("六he彩开奖", ("SEN003", 0, 4, "六he彩")),
        ("办zheng刻章", ("SEN001", 0, 8, "办zheng刻章")),
        ("有大ma出售", ("SEN015", 1, 6, "大ma出售")),  # the longer key wins
        ("大ma，量大从优", ("SEN002", 0, 3, "大ma")),
        ("冰du货源充足", ("SEN002", 0, 3, "冰du")),
        ("出售裸zhao", ("SEN005", 2, 7, "裸zhao")),
        ("大MA，量大从优", ("SEN002", 0, 3, "大MA")),  # upper case is no name
    ],
)
def test_pinyin_forms_are_found(scanner, text, expected):
    assert spelt(scanner, text) == [expected]


def test_the_finding_says_which_word_and_keeps_the_rule(scanner):
    (f,) = scanner.scan("代kai发票", DATE)
    assert (f.code, f.category.value, f.severity.value, f.suggestions) == ("SEN001", "sensitive", "error", [])
    assert f.message.endswith("：疑似以拼音替写“代开发票”")
    assert f.source == scanner.rule("SEN001").rule.source


@pytest.mark.parametrize(
    "text",
    [
        "严厉打击代kai发票违法行为",  # the rule's context, as for 代开发票 itself
        "遇到了大ma烦",  # 大麻 would not be a word there: the boundary is judged with 大麻 put back
        "大mafan",  # a Latin run is never cut: ma of mafan is no unit
        "代kaixin发票",
        "hdaikaifapiao",  # not pinyin at all
        "dama",  # two syllables of Latin alone: a name or a word as often as not
        "bingdu",
        "Liu Hecai",  # Latin alone, written apart: a name
        "dai kai fa piao",
        "病毒",  # the same reading in characters is a homophone, not pinyin
        "China Daily报道",
        "下载app",
        "GDP增长",
        "代kai。发票",  # punctuation breaks the reading
        "代kai1发票",
        "罗zhao",  # 裸照 read, but 罗 is not the key's character
        "袋kai发票",
        "记者Zhang Wei报道",  # capitalized beside characters: a name
        "大Ma，量大从优",
    ],
)
def test_near_misses_stay_silent(scanner, text):
    assert spelt(scanner, text) == []


def test_literal_forms_stay_confirmed_and_are_not_read_twice(scanner):
    (f,) = scanner.scan("代开发票", DATE)
    assert (f.tier, f.confidence, f.text) == ("confirmed", 1.0, "代开发票")


def test_select_ignore_and_allow_apply(scanner):
    assert Scanner(ignore=["SEN001"]).scan("代kai发票", DATE) == []
    assert [f.code for f in Scanner(select=["sensitive"]).scan("代kai发票", DATE)] == ["SEN001"]
    assert Scanner(allow=["代kai发票"]).scan("专业代kai发票", DATE) == []


def test_only_sensitive_rules_are_read_through_pinyin(scanner):
    # 己经 (a typo rule) and 中华人名共和国 (political) have readings too
    assert spelt(scanner, "ji经完成") == []
    assert spelt(scanner, "中华ren名共和国") == []


def test_fast_and_plain_paths_agree(scanner):
    for text in ["专业代kai发票", "代 kai 发 票", "ｄａｉ开发票", "liuhecai", "遇到了大ma烦", "大ma", "代kai fa piao"]:
        assert scanner.scan(text, DATE) == scanner._scan_plain(text, DATE), text


def test_a_pickled_scanner_still_reads_pinyin(scanner):
    again = pickle.loads(pickle.dumps(scanner))
    assert spelt(again, "代kai发票") == [("SEN001", 0, 6, "代kai发票")]


# ------------------------------------------------------------------ the index itself
def test_index_leaves_out_keys_it_cannot_read():
    readings = {"代": "dai", "开": "kai", "发": "fa", "票": "piao", "毒": "du"}
    index = PinyinIndex([("代开发票", 0), ("毒", 1), ("k粉", 2), ("代开发单", 3)], readings)
    assert index._letters == ["daikaifapiao"]  # one character; a letter; 单 has no reading
    assert index.find("代kai发票") == [(0, 0, 6, "代开发票")]
    assert not PinyinIndex([("毒", 1)], readings)


def test_keys_of_one_reading_share_it_and_keep_their_characters():
    readings = {"代": "dai", "带": "dai", "开": "kai"}
    index = PinyinIndex([("代开", 0), ("带开", 1)], readings)
    assert index.find("dai开") == [(0, 0, 4, "代开"), (1, 0, 4, "带开")]
    assert index.find("代kai") == [(0, 0, 4, "代开")]
    assert index.find("带kai") == [(1, 0, 4, "带开")]


def test_a_character_read_two_ways_is_read_both_ways():
    readings = {"银": "yin", "行": "xing", "卡": "ka"}
    index = PinyinIndex([("银行卡", 0)], readings, {"行": "hang"})
    assert index.find("yinhang卡") == [(0, 0, 8, "银行卡")]
    assert index.find("yinxingka") == [(0, 0, 9, "银行卡")]
    assert index.find("银hangka") == [(0, 0, 7, "银行卡")]
    assert PinyinIndex([("银行卡", 0)], readings).find("yinhang卡") == []


def test_shipped_tables_read_words_as_they_are_said(scanner):
    for text, expected in [("出售yinhang卡", "出售yinhang卡"), ("西zang独立", "西zang独立"), ("弹huang刀出售", "弹huang刀出售")]:
        assert [f.text for f in scanner.scan(text, DATE)] == [expected]


def test_a_capitalized_word_beside_characters_is_a_name():
    readings = {"大": "da", "麻": "ma"}
    index = PinyinIndex([("大麻", 0)], readings)
    for written, found in [("大Ma", []), ("大ma", [(0, 0, 3, "大麻")]), ("大MA", [(0, 0, 3, "大麻")])]:
        assert index.find(written.lower(), lambda a, b: written[a:b]) == found, written


def test_latin_alone_needs_three_syllables():
    readings = {"六": "liu", "合": "he", "彩": "cai", "大": "da", "麻": "ma"}
    index = PinyinIndex([("六合彩", 0), ("大麻", 1)], readings)
    assert MIN_LATIN_ONLY == 3
    assert index.find("liuhecai") == [(0, 0, 8, "六合彩")]
    assert index.find("dama") == []
    assert index.find("da ma") == []
    assert index.find("大ma") == [(1, 0, 3, "大麻")]


def test_syllable_split():
    syllables = frozenset(pinyin_readings().values())
    assert _splits("daikaifapiao", syllables, 6)
    assert _splits("zhuang", syllables, 6)
    assert not _splits("http", syllables, 6)
    assert not _splits("gdp", syllables, 6)
    assert not _splits("app", syllables, 6)


def test_a_stretch_is_read_once_however_many_runs_it_holds(monkeypatch):
    # a long text of pinyin must stay linear: one reading of each unbroken stretch
    from cuomin.engine import pinyin

    calls = []
    real = pinyin._stretch
    monkeypatch.setattr(pinyin, "_stretch", lambda *a: calls.append(a[1]) or real(*a))
    readings = {"大": "da", "麻": "ma"}
    index = PinyinIndex([("大麻", 0)], readings)
    text = "ma " * 1000 + "大ma。" + "ma 大" * 500
    hits = index.find(text)
    assert len(calls) == 2  # the stretch before 。 and the one after it
    assert hits[0] == (0, 3000, 3003, "大麻") and len(hits) == 1 + 499
