"""Exact findings for every category with the shipped packs, and near-misses."""

import datetime as dt

import pytest

from .conftest import triples


@pytest.mark.parametrize(
    "text, expected",
    [
        # political
        ("热烈庆祝中华人名共和国成立75周年", [("POL001", "中华人名共和国", ["中华人民共和国"])]),
        ("中国共产常成立", [("POL002", "中国共产常", ["中国共产党"])]),
        # expression
        ("县人民检察院院长李某", [("EXP002", "检察院院长", ["检察长"])]),
        ("中共某某省省委书记", [("EXP005", "省省委书记", ["省委书记"])]),
        # outdated
        ("国土资源部发布通知", [("OUT001", "国土资源部", ["自然资源部"])]),
        # typo
        ("工作己经完成", [("TYP001", "己经", ["已经"])]),
        ("一如继往地支持", [("TYP001", "一如继往", ["一如既往"])]),
        # variant
        ("化学成份", [("VAR001", "成份", ["成分"])]),
        # sensitive, through evasion
        ("专业代*开*发*票", [("SEN001", "代*开*发*票", [])]),
        # number
        ("二00六年", [("NUM001", "二00六", ["二〇〇六"])]),
        ("2023年2月30日", [("NUM002", "2023年2月30日", [])]),
        ("休息5、6天", [("NUM003", "5、6", ["五六"])]),
        # punctuation
        ("依据《史记》、《汉书》", [("PUN003", "、", [""])]),
        ("国办发(2023)5号", [("PUN006", "(2023)", ["〔2023〕"])]),
        # a punctuation finding is about its marks: the name between them is still judged
        ("会议由(县环保局)主持", [("PUN008", "(县环保局)", ["（县环保局）"]), ("OUT002", "环保局", ["生态环境局"])]),
        ("会议要求,各单位", [("PUN005", ",", ["，"])]),
        ("坚持“以人民为中心“的发展思想", [("PUN001", "“", ["”"])]),
        ("他说：“今年要完成。", [("PUN001", "“", [])]),
        ("他说：“今年要完成。\n ", [("PUN001", "“", [])]),  # a last line of spaces (it crashed the check)
        ("他说：“今年要完成。\n\u3000\u3000", [("PUN001", "“", [])]),
        ("苹果、香蕉等等...", [("PUN004", "...", ["……"])]),
        # privacy
        ("身份证号11010519491231002X。", [("PRI001", "11010519491231002X", ["110105********002X"])]),
        ("电话13812345678。", [("PRI002", "13812345678", ["138****5678"])]),
    ],
)
def test_exact_findings(scan, text, expected):
    assert triples(scan(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "我遇到了一个大麻烦",  # 大麻 straddles 大麻烦
        "原国土资源部发布通知",
        "自己经营的门店",  # 己经 straddles 自己|经营
        "严厉打击电信网络诈骗，严禁代开、虚开发票",
        "电话138****5678，身份证号110105********002X",
        "国办发〔2023〕5号",
        "中华人民共和国成立75周年",
        "《史记》《汉书》",
        "二〇〇六年",
    ],
)
def test_near_misses_do_not_fire(scan, text):
    assert [f for f in scan(text) if f.severity.value != "info"] == []


def test_outdated_respects_publication_date(scan):
    assert scan("国土资源部发布通知", published=dt.date(2017, 5, 1)) == []
    assert triples(scan("国土资源部发布通知", published=dt.date(2018, 3, 17)))[0][0] == "OUT001"


def test_every_finding_points_into_the_original_text(scan):
    text = "ＡＢＣ代 开 发 票，中华人名共和国\n　　休息5、6天，电话13812345678。（未闭合"
    findings = scan(text)
    assert {f.code for f in findings} >= {"SEN001", "POL001", "NUM003", "PRI002", "PUN001"}
