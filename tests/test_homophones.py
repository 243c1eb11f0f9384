"""Sensitive words with a character swapped for a homophone: the optional pack
sensitive-homophones (SEN900, engine/homophones.py)."""

import pytest

from cuomin import Scanner
from cuomin.engine.homophones import HOMOPHONE_CONFIDENCE

from .conftest import DATE, assert_offsets


@pytest.fixture(scope="module")
def on():
    return Scanner(extra_packs=["sensitive-homophones"])


def found(scanner, text):
    return [(f.code, f.start, f.end, f.text) for f in assert_offsets(text, scanner.scan(text, DATE))]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("专业代凯发票，联系微信", ("SEN900", 2, 6, "代凯发票")),
        ("袋开发票，点数低", ("SEN900", 0, 4, "袋开发票")),
        ("陆合彩开奖结果", ("SEN900", 0, 3, "陆合彩")),  # 陆 reads liu too
        ("摇头玩到货", ("SEN900", 0, 3, "摇头玩")),
    ],
)
def test_homophone_forms_are_found(on, text, expected):
    assert found(on, text) == [expected]


def test_the_finding_names_the_word_and_its_rule(on):
    (f,) = on.scan("专业代凯发票", DATE)
    assert (f.tier, f.severity.value, f.category.value, f.confidence) == ("suspected", "warning", "sensitive",
                                                                         HOMOPHONE_CONFIDENCE)
    assert f.suggestions == []
    assert f.message.startswith("疑似用同音字替写敏感词，请核对：疑似以同音字替写“代开发票”（SEN001 违法服务广告")


@pytest.mark.parametrize(
    "text",
    [
        "严厉打击代凯发票违法行为",  # the word's own context
        "病毒感染",  # two characters: not read (冰毒)
        "六合村村委会",
        "代开发票",  # the word itself: its own rule reports it
        "代凯",
    ],
)
def test_near_misses(on, text):
    assert [c for c, *_ in found(on, text) if c == "SEN900"] == []


def test_off_by_default_and_min_length(scanner):
    assert found(scanner, "专业代凯发票") == []
    four = Scanner(extra_packs=["sensitive-homophones"], params={"SEN900": {"min_length": 4}})
    assert found(four, "专业代凯发票") == [("SEN900", 2, 6, "代凯发票")]
    assert found(four, "陆合彩开奖结果") == []


def _forms(scanner):
    (words,) = [check.keywords["words"] for _, check, _ in scanner._structures
                if "words" in getattr(check, "keywords", {})]
    matcher, _ = words.index(3)
    return set(matcher.keys)


def test_forms_that_are_listed_words_are_left_out(on):
    forms = _forms(on)
    assert "代凯发票" in forms and "陆合彩" in forms
    # 吊炸天 is a homophone form of 屌炸天 and a listed word itself: its own entry reports it
    assert "吊炸天" not in forms and "屌炸天" not in forms
    assert all(len(f) >= 3 for f in forms)


PACK = """
[pack]
name = "本地敏感词"
[[rules]]
code = "ZZZ001"
name = "本地涉赌"
category = "sensitive"
severity = "error"
reason = "本地涉赌广告"
source = "本县公安局"
entries = [{ wrong = "私彩投注站", right = [], match = ["私彩投注站营业中"] }]
"""


def test_your_own_packs_sensitive_words_are_read_too(tmp_path):
    pack = tmp_path / "local.toml"
    pack.write_text(PACK, encoding="utf-8")
    scanner = Scanner(extra_packs=["sensitive-homophones", pack])
    (f,) = scanner.scan("私菜投注站营业中", DATE)
    assert (f.code, f.text) == ("SEN900", "私菜投注站")
    assert "疑似以同音字替写“私彩投注站”（ZZZ001 本地涉赌广告）" in f.message


def test_a_pickled_scanner_builds_its_automaton_again(on):
    import pickle

    again = pickle.loads(pickle.dumps(on))
    assert found(again, "专业代凯发票") == [("SEN900", 2, 6, "代凯发票")]
