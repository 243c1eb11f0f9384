"""Checksums, calendar validity and Chinese numerals used by the pattern rules."""

import pytest

from cuomin.validators import is_bank_card, is_resident_id, luhn_ok, number_value, resident_id_check_char


def test_resident_id_check_character():
    assert resident_id_check_char("11010519491231002") == "X"
    assert is_resident_id("11010519491231002X")
    assert is_resident_id("11010519491231002x")
    assert not is_resident_id("110105194912310021")  # wrong check character
    assert not is_resident_id("910105194912310021")  # region digit 9 is not a resident ID
    assert not is_resident_id("11010519491331002X".replace("1331", "1331"))  # month 13


@pytest.mark.parametrize("first17", ["44030419900307281", "32010219851123451", "51010720000229123"])
def test_ids_with_computed_check_character_are_valid(first17):
    assert is_resident_id(first17 + resident_id_check_char(first17))


def test_invalid_birth_dates_are_not_ids():
    first17 = "51010720010229123"  # 2001-02-29 does not exist
    assert not is_resident_id(first17 + resident_id_check_char(first17))


def test_luhn_and_bank_cards():
    assert luhn_ok("79927398713")
    assert not luhn_ok("79927398710")
    assert is_bank_card("6222021234567890128")
    assert not is_bank_card("6222021234567890123")
    assert not is_bank_card("1234567812345670")  # issuer digit 1
    assert not is_bank_card("6666666666666666")  # a run of one digit


@pytest.mark.parametrize(
    "text, value", [("12", 12), ("十", 10), ("十二", 12), ("三十一", 31), ("二十", 20), ("二〇二三", 2023), ("二零二四", 2024), ("九", 9)]
)
def test_number_value(text, value):
    assert number_value(text) == value


@pytest.mark.parametrize(
    "text, code, span, suggestions",
    [
        ("九月三十一日", "NUM002", "九月三十一日", []),
        ("二〇二三年二月二十九日", "NUM002", "二〇二三年二月二十九日", []),
        ("来了三、四十人", "NUM003", "三、四", ["三四"]),
        ("二零二三年工作总结", "NUM007", "二零二三", ["二〇二三"]),
        ("自2024-7起施行", "NUM008", "2024-7", ["2024年7月"]),
        ("（一）、总体要求", "PUN007", "、", [""]),
        ("一.总体要求", "PUN007", "一.", ["一、"]),
        ('创建"文明城市"活动', "PUN008", '"文明城市"', ["“文明城市”"]),
        ("县融媒体中心(县广播电视台)发布", "PUN008", "(县广播电视台)", ["（县广播电视台）"]),
        ("电话138 0731 5678", "PRI002", "138 0731 5678", ["138 **** 5678"]),
        ("家住幸福小区3号楼1201室", "PRI004", "幸福小区3号楼1201室", ["幸福小区"]),
        ("卡号6222021234567890128。", "PRI003", "6222021234567890128", ["6222***********0128"]),
    ],
)
def test_pattern_rule_findings(scan, text, code, span, suggestions):
    hits = [(f.code, f.text, f.suggestions) for f in scan(text) if f.code == code]
    assert hits == [(code, span, suggestions)]
