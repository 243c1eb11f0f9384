"""Roster rules (kind = "roster"): titles and names checked against dated posts."""

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from cuomin import Scanner
from cuomin.engine.roster import Post, title_probes
from cuomin.rules.loader import PackError, parse_pack

from .conftest import assert_offsets

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "roster"

PACK = """
[[rules]]
code = "LOC101"
kind = "roster"
category = "political"
severity = "error"
reason = "本县领导的职务与姓名搭配错误"
source = "任免通知"
{context}

[[rules.people]]
name = "张建国"
posts = [{{ title = ["县委书记", "书记"], from = 2021-05-10 }}]

[[rules.people]]
name = ["李卫东", "李卫冬"]
posts = [
  {{ title = "县长", from = 2024-01-18 }},
  {{ title = "常务副县长", from = 2019-09-01, to = 2024-01-18 }},
]

[[rules.people]]
name = "王海涛"
posts = [{{ title = "县长", from = 2019-01-06, to = 2024-01-18 }}]
"""

MARCH_2024 = dt.date(2024, 3, 6)
JUNE_2023 = dt.date(2023, 6, 1)


def scanner(context: str = "") -> Scanner:
    return Scanner(packs=[parse_pack(PACK.format(context=context), "local.toml")])


@pytest.fixture(scope="module")
def local():
    return scanner()


def found(scanner, text, date=MARCH_2024):
    return [(f.text, f.start, f.severity.value, f.suggestions) for f in assert_offsets(text, scanner.scan(text, published=date))]


def test_a_title_the_person_never_held_is_an_error_whatever_the_date(local):
    # the suggestions are worked out at the date: who was 县长 then
    assert found(local, "会上，县长张建国讲话。", JUNE_2023) == [("县长张建国", 3, "error", ["县委书记张建国", "县长王海涛"])]
    assert found(local, "会上，县长张建国讲话。", MARCH_2024) == [("县长张建国", 3, "error", ["县委书记张建国", "县长李卫东"])]
    (f,) = local.scan("县长张建国讲话", published=MARCH_2024)
    assert (f.code, f.category.value) == ("LOC101", "political")
    assert f.message == "本县领导的职务与姓名搭配错误：张建国未担任县长（张建国：县委书记（2021年5月10日起））"


def test_a_title_held_at_another_date_is_a_warning_outside_the_term(local):
    assert found(local, "县长王海涛出席", JUNE_2023) == []
    assert found(local, "县长王海涛出席", MARCH_2024) == [("县长王海涛", 0, "warning", ["时任县长王海涛", "县长李卫东"])]
    (f,) = local.scan("县长王海涛出席", published=MARCH_2024)
    assert f.message == (
        "本县领导的职务与姓名搭配错误：王海涛任县长的时间为2019年1月6日至2024年1月18日，不含发布日期；"
        "如写当时的职务，可作“时任县长王海涛”"
    )


def test_terms_run_from_their_first_day_up_to_not_including_their_last(local):
    assert found(local, "县长李卫东", dt.date(2024, 1, 18)) == []
    assert [x[2] for x in found(local, "县长李卫东", dt.date(2024, 1, 17))] == ["warning"]
    assert found(local, "县长王海涛", dt.date(2024, 1, 17)) == []
    assert [x[2] for x in found(local, "县长王海涛", dt.date(2024, 1, 18))] == ["warning"]
    # before the first term: held at another date as well
    assert [x[2] for x in found(local, "县长王海涛", dt.date(2018, 12, 31))] == ["warning"]


def test_a_past_post_suggests_the_post_held_now(local):
    assert found(local, "常务副县长李卫东出席", MARCH_2024) == [
        ("常务副县长李卫东", 0, "warning", ["时任常务副县长李卫东", "县长李卫东"])
    ]
    assert found(local, "常务副县长李卫东出席", JUNE_2023) == []


def test_name_first_forms_and_short_titles(local):
    assert found(local, "李卫东县长强调。张建国书记出席。") == []
    assert found(local, "张建国县长强调") == [("张建国县长", 0, "error", ["张建国书记", "李卫东县长"])]
    # every name of a person
    assert found(local, "县委书记李卫冬") == [("县委书记李卫冬", 0, "error", ["县长李卫冬", "县委书记张建国"])]


def test_historical_words_keep_a_past_post_from_being_reported(local):
    for before in ("时任", "原", "前", "曾任", "历任"):
        assert found(local, f"{before}县长王海涛", MARCH_2024) == [], before
    # … but not a post never held
    assert [x[0] for x in found(local, "时任县长张建国")] == ["县长张建国"]


def test_a_deputy_is_another_post(local):
    # 副县长张建国: 张建国 is not the county head; the roster does not list the deputy post
    assert found(local, "副县长张建国") == []
    # a deputy's title the roster lists is a title like any other
    assert found(local, "常务副县长张建国") == [("常务副县长张建国", 0, "error", ["县委书记张建国"])]
    # the longer right form shadows the shorter one inside it
    assert found(local, "常务副县长李卫东", JUNE_2023) == []


def test_titles_joined_by_a_dunhao_before_a_name_are_each_judged(local):
    # a title the name never went with: the whole run, and the run without that title
    assert found(local, "县委书记、县长李卫东出席会议。") == [("县委书记、县长李卫东", 0, "error", ["县长李卫东"])]
    assert found(local, "县委书记、常务副县长李卫东", JUNE_2023) == [
        ("县委书记、常务副县长李卫东", 0, "error", ["常务副县长李卫东"])]
    # a title the name goes with keeps only itself from being read again: the next is judged
    assert found(local, "县委书记、县长张建国出席。") == [("县长张建国", 5, "error", ["县委书记张建国", "县长李卫东"])]
    # a misspelt name after a run: the run with the name put right
    assert found(local, "县长、常务副县长李伟东出席。") == [("县长、常务副县长李伟东", 0, "error", ["县长、常务副县长李卫东"])]
    # 时任/原 before the run hold for every title in it (王海涛 was 县长, never 县委书记)
    assert found(local, "时任县委书记、县长王海涛") == [("县委书记、县长王海涛", 2, "error", ["县长王海涛"])]
    assert found(local, "时任县长、常务副县长李卫东", JUNE_2023) == []
    assert found(local, "原县长、常务副县长王海涛") == [("常务副县长王海涛", 4, "error", ["县长王海涛"])]


def test_runs_of_titles_that_must_not_be_read(local):
    # a title right after another Chinese character may be a name's: two people here
    assert found(local, "王五县长、县委书记张建国") == []
    assert found(local, "赵六书记、县长李卫东出席") == []
    # titles only, no name; a link that is not the roster's title ends the run
    assert found(local, "出席会议的有县委书记、县长、副县长等。") == []
    assert found(local, "县委书记、副县长李卫东出席。") == []
    assert found(local, "县委书记、县长，李卫东出席。") == []
    # several people, each after their own title
    assert found(local, "县委书记张建国、县长李卫东出席。") == []



def test_a_colon_between_title_and_name_as_a_leaders_page_lists_them(local):
    # right: nothing, and the shorter titles inside are not read (县长：李卫东 holds 县长 only)
    assert found(local, "县委书记：张建国\n县长：李卫东\n常务副县长：李卫东", JUNE_2023) == [
        ("县长：李卫东", 9, "warning", ["常务副县长：李卫东", "县长：王海涛"])]
    # the suggestions keep the colon, full-width whatever was written
    assert found(local, "县长：张建国") == [("县长：张建国", 0, "error", ["县委书记：张建国", "县长：李卫东"])]
    assert found(local, "县长:张建国") == [("县长:张建国", 0, "error", ["县委书记：张建国", "县长：李卫东"])]
    assert found(local, "县长：王海涛") == [("县长：王海涛", 0, "warning", ["时任县长：王海涛", "县长：李卫东"])]
    assert found(local, "时任县长：王海涛") == []
    # titles joined by 、 before the colon; a misspelt name
    assert found(local, "县委书记、县长：李卫东") == [("县委书记、县长：李卫东", 0, "error", ["县长：李卫东"])]
    assert found(local, "县长、常务副县长：李伟东") == [("县长、常务副县长：李伟东", 0, "error", ["县长、常务副县长：李卫东"])]
    assert near(local, "县长：李伟东")[0][:4] == ("县长：李伟东", 0, 6, ["县长：李卫东"])


def test_colons_that_do_not_join_a_title_to_a_name(local):
    assert found(local, "县长：赵小明") == []  # not a name of the roster
    assert found(local, "县长：“张建国同志……”") == []  # a quotation after the colon
    assert found(local, "张建国：县长") == []  # a name first is read only right before the title
    assert found(local, "县长：：张建国") == []  # one colon only

def test_names_not_in_the_roster_are_never_judged(local):
    assert found(local, "县长赵小明出席。县委书记钱多多讲话。") == []


def test_the_rules_own_context_applies_to_every_form():
    s = scanner('context = { not_quoted = true }')
    assert found(s, "他说“县长张建国来了”") == []
    assert [x[0] for x in found(s, "县长张建国来了")] == ["县长张建国"]


def test_the_shipped_national_roster(scanner):
    def scan(text, date):
        return [(f.code, f.text, f.severity.value, f.suggestions) for f in scanner.scan(text, published=date) if f.code == "POL009"]

    d2024, d2020 = dt.date(2024, 1, 10), dt.date(2020, 1, 10)
    assert scan("国务院总理李克强主持召开国务院常务会议", d2020) == []
    assert scan("国务院总理李克强主持召开国务院常务会议", d2024) == [
        ("POL009", "国务院总理李克强", "warning", ["时任国务院总理李克强", "国务院总理李强"])
    ]
    assert scan("出席会议的国务院总理习近平", d2024) == [
        ("POL009", "国务院总理习近平", "error", ["国家主席习近平", "中共中央总书记习近平", "中央军委主席习近平", "国务院总理李强"])
    ]
    assert scan("国务院副总理丁薛祥、韩正副总理出席", d2024) == [("POL009", "韩正副总理", "warning", ["韩正国家副主席"])]
    assert scan("李强总理、习近平总书记、赵乐际委员长、全国政协主席王沪宁", d2024) == []
    # titles joined by 、: each is judged at the date
    assert scan("中共中央总书记、国家主席、中央军委主席习近平", d2024) == []
    assert scan("中共中央总书记、国家主席、中央军委主席习近平", dt.date(2012, 12, 1)) == [
        ("POL009", "国家主席、中央军委主席习近平", "warning", ["中央军委主席习近平"])]
    assert scan("国家主席、国务院总理李强", d2024) == [("POL009", "国家主席、国务院总理李强", "error", ["国务院总理李强"])]
    assert scan("国务院副总理、中央纪委书记丁薛祥", d2024) == [
        ("POL009", "中央纪委书记丁薛祥", "error", ["国务院副总理丁薛祥", "中央纪委书记李希"])]
    # a county official who shares a leader's name, under a local title
    assert scan("县政协主席李强、市委书记李强", d2024) == []
    # a colon between, as a list of leaders is written
    assert scan("国务院副总理：丁薛祥；中共中央总书记、国家主席、中央军委主席：习近平", d2024) == []
    assert scan("国务院总理：李克强", d2024) == [
        ("POL009", "国务院总理：李克强", "warning", ["时任国务院总理：李克强", "国务院总理：李强"])]


def test_terms_cover_from_their_first_day_up_to_their_last():
    a, b = dt.date(2020, 1, 1), dt.date(2021, 1, 1)
    assert Post(("县长",), a, b).covers(a) and not Post(("县长",), a, b).covers(b)
    assert Post(("县长",), None, b).covers(dt.date(1900, 1, 1)) and Post(("县长",), a, None).covers(dt.date(2999, 1, 1))


def test_one_probe_per_title_sharing_one_roster():
    rule = parse_pack(PACK.format(context=""), "x.toml").rules[0]
    probes = title_probes(rule, {})
    assert [p.title for p in probes] == ["县委书记", "书记", "县长", "常务副县长"]
    roster = probes[0].roster
    assert all(p.roster is roster for p in probes)
    assert roster.lengths == (3,) and set(roster.by_name) == {"张建国", "李卫东", "李卫冬", "王海涛"}
    assert [p.names[0] for p in roster.holders["县长"]] == ["李卫东", "王海涛"]
    assert roster.holder_at("县长", JUNE_2023).names == ("王海涛",)
    assert roster.holder_at("县长", MARCH_2024).names == ("李卫东", "李卫冬")


def test_a_city_roster_costs_one_key_per_title():
    # the matcher holds the titles, not every title next to every name
    people = "\n".join(
        f'[[rules.people]]\nname = "{s}{g}"\nposts = [{{ title = "{u}局长", from = 2022-01-01 }}]'
        for s, g, u in zip("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平",
                           ["教育", "公安", "民政", "司法", "财政", "审计", "统计", "水利", "商务", "林业"] * 2)
    )
    head = '[[rules]]\ncode = "LOC101"\nkind = "roster"\ncategory = "political"\nseverity = "error"\nreason = "r"\nsource = "s"\n'
    s = Scanner(packs=[parse_pack(head + people, "x.toml")])
    assert len(s._matcher.keys) == 10
    # 李芳 heads 公安; 教育局长 has two holders in this roster, so no one is suggested for it
    assert [(f.text, f.suggestions) for f in s.scan("教育局长李芳", published=MARCH_2024)] == [
        ("教育局长李芳", ["公安局长李芳"])
    ]


@pytest.mark.parametrize(
    "people, message",
    [
        ("", "roster rule LOC101 has no people"),
        ('[[rules.people]]\nname = "张三"\nposts = [{ title = "县长" }]\n[[rules.people]]\nname = "张三"\nposts = [{ title = "书记" }]',
         "张三 listed more than once"),
        ('[[rules.people]]\nname = "张三"\nposts = [{ title = "县长", from = 2024-01-01, to = 2023-01-01 }]',
         "term of 县长 ends (2023-01-01) before it begins (2024-01-01)"),
        ('[[rules.people]]\nname = "张三"\nposts = [{ title = "长" }]', "title '长': a title has at least two characters"),
        ('[[rules.people]]\nname = "张"\nposts = [{ title = "县长" }]', "name '张': a name has at least two characters"),
        ('[[rules.people]]\nname = "张三"\nposts = []', "posts"),
        ('[[rules.people]]\nname = "张三"\nposts = [{ title = "县长", since = 2020-01-01 }]', "since"),
    ],
)
def test_bad_rosters_are_refused_with_the_place_named(people, message):
    head = '[[rules]]\ncode = "LOC101"\nkind = "roster"\ncategory = "political"\nseverity = "error"\nreason = "r"\nsource = "s"\n'
    with pytest.raises(PackError) as exc:
        parse_pack(head + people, "local.toml")
    assert str(exc.value).startswith("local.toml: ") and message in str(exc.value)


def test_only_roster_rules_take_people():
    text = ('[[rules]]\ncode = "LOC101"\ncategory = "typo"\nseverity = "error"\nreason = "r"\nsource = "s"\n'
            'entries = [{ wrong = "甲乙", match = ["甲乙"], nomatch = ["乙"] }]\n'
            '[[rules.people]]\nname = "张三"\nposts = [{ title = "县长" }]\n')
    with pytest.raises(PackError, match="only roster rules take people"):
        parse_pack(text, "x.toml")


def test_a_persons_failing_example_refuses_the_pack_and_names_the_person(tmp_path):
    pack = tmp_path / "local.toml"
    pack.write_text(PACK.format(context="").replace(
        'posts = [{ title = "县长", from = 2019-01-06, to = 2024-01-18 }]',
        'posts = [{ title = "县长", from = 2019-01-06, to = 2024-01-18 }]\nmatch = [{ text = "县长王海涛", date = 2020-01-01 }]',
    ), encoding="utf-8")
    with pytest.raises(PackError) as exc:
        Scanner(extra_packs=[pack])
    assert str(exc.value) == (
        f"{pack}: rule LOC101, entry 王海涛: example '县长王海涛' (date 2020-01-01) should match but did not"
    )


def test_the_county_example_from_the_docs():
    r = subprocess.run(
        [sys.executable, "-m", "cuomin", "check", "--isolated", "--pack", "本县领导.toml", "--date", "2024-03-06",
         "--format", "json", "通稿.txt"],
        cwd=EXAMPLE, capture_output=True, text=True,
    )
    assert r.returncode == 1, r.stderr
    import json

    findings = json.loads(r.stdout)["files"][0]["findings"]
    assert [(f["code"], f["text"], f["severity"], f["tier"], f["suggestions"]) for f in findings] == [
        ("LOC101", "县长张建国", "error", "confirmed", ["县委书记张建国", "县长李卫东"]),
        ("LOC101", "县长王海涛", "warning", "confirmed", ["时任县长王海涛", "县长李卫东"]),
        ("LOC101", "常务副县长李卫东", "warning", "confirmed", ["时任常务副县长李卫东", "县长李卫东"]),
        ("LOC101", "县长李伟东", "error", "suspected", ["县长李卫东"]),
    ]


def test_rules_show_lists_the_people():
    from click.testing import CliRunner

    from cuomin.cli import main

    r = CliRunner().invoke(main, ["rules", "--isolated", "show", "POL009"])
    assert r.exit_code == 0, r.output
    assert "kind: roster" in r.output
    assert "    李克强: 国务院总理（总理） 2013-03-15 – 2023-03-11; 国务院副总理（副总理） 2008-03-17 – 2013-03-15" in r.output
    assert "off-term severity: warning" in r.output


# ---------------------------------------------------------------- misspelt names
def near(scanner, text, date=MARCH_2024):
    return [(f.text, f.start, f.end, f.suggestions, f.tier, f.confidence, f.message)
            for f in assert_offsets(text, scanner.scan(text, published=date)) if f.tier == "suspected"]


def test_a_name_with_one_similar_character_wrong_beside_a_title_is_suspected(local):
    assert near(local, "会上，县长李伟东讲话。") == [
        ("县长李伟东", 3, 8, ["县长李卫东"], "suspected", 0.9, "疑为李卫东的姓名写错：“李伟东”与名单中的“李卫东”只差一字（伟/卫）")
    ]
    # name first; a shape-similar character (冻/东); a past holder's name
    assert [x[:4] for x in near(local, "李卫冻县长讲话。县长王海滔出席。")] == [
        ("李卫冻县长", 0, 5, ["李卫东县长"]), ("县长王海滔", 8, 13, ["县长王海涛"])
    ]
    (f,) = local.scan("县长李伟东讲话", published=MARCH_2024)
    assert (f.code, f.severity.value, f.category.value) == ("LOC101", "error", "political")


def test_near_names_that_must_not_fire(local):
    assert near(local, "县长李明出席。") == []  # 明 is neither like 卫 in sound nor in shape
    assert near(local, "县长李卫东出席。县长李卫冬出席。") == []  # the name, and another name of the person
    assert near(local, "副县长李伟东出席。") == []  # a deputy is another post
    assert near(local, "县长李伟栋出席。") == []  # two characters off
    assert near(local, "县委书记李伟东出席。") == []  # 李卫东 never held that title: nothing to compare with
    assert near(local, "县长") == [] and near(local, "李县长") == []  # the text ends before a name could


def test_a_surname_before_a_deputy_or_acting_title_is_not_a_misspelt_name():
    # 富 and 副, 岱 and 代 sound alike: 李副县长 is how one addresses a deputy, not 李富县长 misspelt
    s = Scanner(packs=[parse_pack(
        '[[rules]]\ncode = "LOC102"\nkind = "roster"\ncategory = "political"\nseverity = "error"\nreason = "r"\n'
        'source = "s"\n[[rules.people]]\nname = "李富"\nposts = [{ title = "县长" }]\n'
        '[[rules.people]]\nname = "王岱"\nposts = [{ title = "镇长" }]\n', "x.toml")])
    assert near(s, "李副县长强调。王代镇长出席。") == []
    assert [x[0] for x in near(s, "李傅县长强调。王黛镇长出席。")] == ["李傅县长", "王黛镇长"]


def test_near_names_in_folded_text_point_into_the_original(local):
    text = "县长李伟東講話"  # 東 is folded to 东 before matching
    assert [x[:4] for x in near(local, text)] == [("县长李伟東", 0, 5, ["县长李卫东"])]


def test_near_names_fast_and_plain_paths_agree(local):
    for text in ["县长李伟东讲话。李卫冻县长讲话。", "县长李伟東講話", "副县长李伟东", "县长王海滔、县长张建国"]:
        assert local.scan(text, published=MARCH_2024) == local._scan_plain(text, published=MARCH_2024)


def test_a_confirmed_finding_beats_a_suspected_name(scanner):
    # POL006 lists 习近乎 itself; POL009 would only suspect it
    findings = scanner.scan("总书记习近乎出席", published=dt.date(2024, 1, 10))
    assert [(f.code, f.text, f.tier) for f in findings] == [("POL006", "习近乎", "confirmed")]
    assert [(f.code, f.text, f.suggestions) for f in scanner.scan("国务院总理李墙出席", published=dt.date(2024, 1, 10))] == [
        ("POL009", "国务院总理李墙", ["国务院总理李强"])
    ]


def test_similar_characters():
    from cuomin.engine.chartables import similar_chars

    table = similar_chars()
    assert {"伟", "为", "位"} <= table["卫"] and "卫" not in table["卫"]
    assert "冻" in table["东"] and "明" not in table["强"]


def test_a_batch_scan_judges_each_post_at_its_own_date(tmp_path):
    import json

    posts = tmp_path / "posts.jsonl"
    rows = [
        {"id": "a", "account": "清溪发布", "text": "县长王海涛出席会议。", "published_at": "2023-06-01"},
        {"id": "b", "account": "清溪发布", "text": "县长王海涛出席会议。", "published_at": "2024-03-06"},
        {"id": "c", "account": "清溪发布", "text": "县长李伟东出席会议。", "published_at": "2024-03-06"},
    ]
    posts.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    r = subprocess.run(
        [sys.executable, "-m", "cuomin", "scan", "--isolated", "--pack", str(EXAMPLE / "本县领导.toml"),
         "--format", "jsonl", str(posts)],
        capture_output=True, text=True,
    )
    assert r.returncode == 1, r.stderr  # an error was found
    found = [json.loads(line) for line in r.stdout.splitlines()]
    assert [(f["id"], f["code"], f["text"], f["severity"], f["tier"]) for f in found] == [
        ("b", "LOC101", "县长王海涛", "warning", "confirmed"),
        ("c", "LOC101", "县长李伟东", "error", "suspected"),
    ]


def test_a_rosters_effective_date_holds_for_its_names_too():
    s = scanner("effective = 2024-01-01")
    for text in ("县长张建国", "县长李伟东"):
        assert s.scan(text, published=JUNE_2023) == []
        assert [f.text for f in s.scan(text, published=MARCH_2024)] == [text]


# ---------------------------------------------------------------- roster tables
TABLE = ("姓名,职务,简称,任职日期,免职日期\n"
         "张建国,县委书记,书记,2021-05-10,\n"
         "李卫东,县长,,2024年1月18日,\n"
         "李卫东,常务副县长,,2019/9/1,2024-01-18\n"
         "王海涛,县长,,2019-01-06,2024-01-18\n")


def run_roster(tmp_path, *args, table=TABLE, name="名单.csv", encoding="utf-8"):
    from click.testing import CliRunner

    from cuomin.cli import main

    path = tmp_path / name
    if isinstance(table, bytes):
        path.write_bytes(table)
    else:
        path.write_text(table, encoding=encoding)
    return CliRunner().invoke(main, ["rules", "roster", str(path), "--code", "loc101", "--source", "任免通知", *args])


def test_a_roster_table_becomes_a_pack_that_finds_what_the_hand_written_one_does(tmp_path):
    r = run_roster(tmp_path, "-o", str(tmp_path / "本县领导.toml"), encoding="gbk")
    assert r.exit_code == 0, r.output
    assert r.stderr == "名单：3 人，4 条任职。\n"
    pack = parse_pack((tmp_path / "本县领导.toml").read_text(encoding="utf-8"), "x.toml")
    (rule,) = pack.rules
    assert (rule.code, rule.kind, rule.severity.value, rule.off_term_severity.value) == ("LOC101", "roster", "error", "warning")
    assert [(p.name, [(t.title, t.start, t.end) for t in p.posts]) for p in rule.people] == [
        (["张建国"], [(["县委书记", "书记"], dt.date(2021, 5, 10), None)]),
        (["李卫东"], [(["县长"], dt.date(2024, 1, 18), None), (["常务副县长"], dt.date(2019, 9, 1), dt.date(2024, 1, 18))]),
        (["王海涛"], [(["县长"], dt.date(2019, 1, 6), dt.date(2024, 1, 18))]),
    ]
    text = (EXAMPLE / "通稿.txt").read_text(encoding="utf-8")
    by_table = Scanner(packs=[pack]).scan(text, published=MARCH_2024)
    by_hand = Scanner(packs=[EXAMPLE / "本县领导.toml"]).scan(text, published=MARCH_2024)
    assert [(f.start, f.end, f.suggestions, f.severity, f.tier) for f in by_table] == [
        (f.start, f.end, f.suggestions, f.severity, f.tier) for f in by_hand
    ]


def test_bad_rows_are_reported_and_left_out_and_the_rest_is_written(tmp_path):
    table = TABLE + ",县长,,,\n赵四,县长,,2024-13-01,\n钱五,副县长,,2024-01-01,2023-01-01\n孙六,长,,,\n"
    r = run_roster(tmp_path, table=table)
    assert r.exit_code == 2
    assert r.stderr.splitlines() == [
        f"cuomin: {tmp_path / '名单.csv'}:6: no 姓名 (name); row skipped",
        f"cuomin: {tmp_path / '名单.csv'}:7: 任职日期 '2024-13-01' is not a date (expected e.g. 2023-09-28 or 2023年9月28日); row skipped",
        f"cuomin: {tmp_path / '名单.csv'}:8: term of 副县长 ends (2023-01-01) before it begins (2024-01-01); row skipped",
        f"cuomin: {tmp_path / '名单.csv'}:9: title '长': a title has at least two characters; row skipped",
        "名单：3 人，4 条任职；4 行未能使用（原因见上）。",
    ]
    assert [p.name for p in parse_pack(r.stdout, "x.toml").rules[0].people] == [["张建国"], ["李卫东"], ["王海涛"]]


def test_a_workbook_roster_with_a_title_row_and_dates_as_cells(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["清溪县领导名单（2024年3月）"])
    ws.append(["姓名", "职务", "任职时间", "离任日期"])
    ws.append(["张建国", "县委书记", dt.datetime(2021, 5, 10), None])
    ws.append(["李卫东", "县长", dt.datetime(2024, 1, 18), None])
    wb.save(tmp_path / "名单.xlsx")
    from click.testing import CliRunner

    from cuomin.cli import main

    r = CliRunner().invoke(main, ["rules", "roster", str(tmp_path / "名单.xlsx"), "--code", "LOC101", "--source", "s",
                                  "--severity", "warning"])
    assert r.exit_code == 0, r.output
    rule = parse_pack(r.stdout, "x.toml").rules[0]
    assert rule.severity.value == "warning"
    assert [(p.name[0], p.posts[0].title, p.posts[0].start) for p in rule.people] == [
        ("张建国", ["县委书记"], dt.date(2021, 5, 10)), ("李卫东", ["县长"], dt.date(2024, 1, 18))
    ]


@pytest.mark.parametrize("table, code, message", [
    ("姓名,职务\n,\n", "LOC101", "Error: no usable row in the roster table: nothing to write"),
    ("名字,岗位\n张三,县长\n", "LOC101", "Error: no usable row in the roster table: nothing to write"),
    (TABLE, "L1", "Error: Invalid value for '--code': 'L1': 2–5 letters and 3–4 digits, e.g. LOC101"),
])
def test_a_roster_that_cannot_be_made_exits_2(tmp_path, table, code, message):
    from click.testing import CliRunner

    from cuomin.cli import main

    (tmp_path / "t.csv").write_text(table, encoding="utf-8")
    r = CliRunner().invoke(main, ["rules", "roster", str(tmp_path / "t.csv"), "--source", "s", "--code", code])
    assert r.exit_code == 2
    assert r.output.splitlines()[-1] == message
    if code == "L1":  # refused before the table is read
        assert "row skipped" not in r.output


def test_the_longer_name_and_the_longer_title_win():
    s = Scanner(packs=[parse_pack(
        '[[rules]]\ncode = "LOC103"\nkind = "roster"\ncategory = "political"\nseverity = "error"\nreason = "r"\n'
        'source = "s"\n'
        '[[rules.people]]\nname = "王海"\nposts = [{ title = "镇长" }]\n'
        '[[rules.people]]\nname = "王海涛"\nposts = [{ title = "县长" }]\n'
        '[[rules.people]]\nname = "张建国"\nposts = [{ title = ["县委书记", "书记"] }]\n'
        '[[rules.people]]\nname = "李四海"\nposts = [{ title = "县纪委书记" }]\n', "x.toml")])
    # 县长王海涛 is 王海涛, not 王海 followed by 涛; 镇长王海 is right
    assert s.scan("县长王海涛出席，镇长王海陪同。", published=MARCH_2024) == []
    # 书记李四海 inside 县纪委书记李四海: the longer title is the post he holds
    assert s.scan("县纪委书记李四海讲话", published=MARCH_2024) == []
    assert [(f.text, f.suggestions) for f in s.scan("县长王海讲话", published=MARCH_2024)] == [
        ("县长王海", ["镇长王海", "县长王海涛"])
    ]
