"""The suspected-typo family (TYP900): confusion-set candidates verified by segmentation."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

from cuomin import Scanner
from cuomin.engine import confusion
from cuomin.rules.loader import PackError, parse_pack

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "news_zh.txt"


@pytest.fixture(scope="module")
def typos():
    return Scanner(extra_packs=["suspected-typos"], select=["TYP900"])


def _found(scanner, text):
    return [(f.code, f.text, f.start, f.end, f.suggestions, f.tier) for f in scanner.scan(text)]


@pytest.mark.parametrize(
    "text, wrong, start, right",
    [
        ("加快推进新型城镇化键设", "键设", 9, "建设"),
        ("坚持新发展里念", "里念", 5, "理念"),
        ("深入开展调查研纠", "研纠", 6, "研究"),
        ("推进乡村振性", "乡村振性", 2, "乡村振兴"),
        ("严格落实安全生产责任制度，加强监督管里", "监督管里", 15, "监督管理"),  # the longer word wins
        ("推进乡村振兴，健全联农带农机制，促进农民增收，加强财务管里", "财务管里", 25, "财务管理"),
        # long words, however rare in jieba's dictionary (税务总局: frequency 6)
        ("国家水务总局发布公告", "水务总局", 2, "税务总局"),
        ("做好防讯抗旱工作", "防讯抗旱", 2, "防汛抗旱"),
        ("我们要坚持实是求是", "实是求是", 5, "实事求是"),
        # shape-similar characters (形近字, wordlists/confusion_shape.tsv)
        ("加强城市菅理", "菅理", 4, "管理"),
        ("推进国家冶理体系建设", "冶理", 4, "治理"),
        ("加快推进基层社会冶理现代化", "冶理", 8, "治理"),
    ],
)
def test_typical_hits(typos, text, wrong, start, right):
    assert _found(typos, text) == [("TYP900", wrong, start, start + len(wrong), [right], "suspected")]
    (finding,) = typos.scan(text)
    assert 0.5 < finding.confidence < 1.0
    assert finding.message.endswith(f"疑为「{right}」")


@pytest.mark.parametrize(
    "text",
    [
        # real words and clean official prose
        "加快推进新型城镇化建设，坚持新发展理念，进一步优化营商环境",
        "国务院办公厅关于进一步优化营商环境的意见",
        "人民银行、财政部、银保监会指导",
        "温度处于极低水平",
        # government jargon of wordlists/gov_userdict.txt
        "推进放管服改革，提质增效",
        "实行一照一码，上好思政课",
        "北京申奥成功",
        # jieba has the misspelling 已法治税 but not 依法治税 (the user dictionary has it)
        "坚持依法治税、依率计征",
        # person names
        "本报记者刘方炜报道",
        "董事长张国卿和矿长",
        "中国农科院梅方权教授",
        # places and brands
        "安徽省庐江县",
        "鹭江出版社",
        # real words built of shape-similar characters
        "坚持和完善人民代表大会制度，推进国家治理体系和治理能力现代化",
        "职工休息日和体育活动",
        "全面从严治党，冶金行业",
    ],
)
def test_near_misses_do_not_fire(typos, text):
    assert _found(typos, text) == []


def test_a_brand_the_dictionary_lacks_is_allow_listed():
    # 江铃 (a carmaker) reads like a misspelt 江陵 (a county): the score cannot know the
    # brand; an allow-list phrase (or a line in the user dictionary) settles it
    text = "福特与江铃联合开发"
    assert [(f.text, f.suggestions) for f in Scanner(extra_packs=["suspected-typos"]).scan(text)] == [("江铃", ["江陵"])]
    assert Scanner(extra_packs=["suspected-typos"], allow=["江铃"]).scan(text) == []


def test_opt_in_and_switched_off_by_code_prefix():
    text = "加快推进新型城镇化键设"
    assert [f.code for f in Scanner().scan(text)] == []  # not in the default packs
    assert [f.code for f in Scanner(extra_packs=["suspected-typos"]).scan(text)] == ["TYP900"]
    assert [f.code for f in Scanner(extra_packs=["suspected-typos"], ignore=["TYP9"]).scan(text)] == []


def test_confirmed_list_finding_wins_over_suspected_one_on_the_same_span():
    pack = parse_pack(
        """
[[rules]]
code = "LOC001"
category = "typo"
severity = "error"
reason = "本地错别字表"
source = "test"
entries = [{ wrong = "键设", right = "建设" }]
""",
        "local.toml",
    )
    findings = Scanner(extra_packs=[pack, "suspected-typos"], select=["LOC001", "TYP900"]).scan("加快推进新型城镇化键设")
    assert [(f.code, f.tier, f.confidence) for f in findings] == [("LOC001", "confirmed", 1.0)]


def _typ901_pack(params: str, name: str = "local.toml"):
    """A local rule TYP901 running the suspected-typo check with these params."""
    return parse_pack(
        f"""
[[rules]]
code = "TYP901"
kind = "structure"
check = "suspected_typos"
tier = "suspected"
category = "typo"
severity = "info"
reason = "疑似错别字（本地阈值）"
source = "test"
params = {{ {params} }}
""",
        name,
    )


def _threshold_pack(min_score: float):
    return _typ901_pack(f"min_score = {min_score}, min_freq = 1000")


def test_threshold_comes_from_the_rule_params():
    text = "按照总休方案推进"  # score ≈ 2.8 for 总休 → 总体
    strict = Scanner(extra_packs=[_threshold_pack(6)], select=["TYP901"])
    lenient = Scanner(extra_packs=[_threshold_pack(-5)], select=["TYP901"])
    assert strict.scan(text) == []
    assert [(f.code, f.text, f.tier) for f in lenient.scan(text)] == [("TYP901", "总休", "suspected")]
    # without min_score the trained threshold applies
    assert [f.text for f in Scanner(extra_packs=["suspected-typos"], select=["TYP900"]).scan(text)] == ["总休"]


def test_params_only_on_structure_rules():
    with pytest.raises(PackError, match="only structure rules take params"):
        parse_pack(
            """
[[rules]]
code = "LOC001"
category = "typo"
severity = "error"
reason = "x"
source = "x"
params = { min_score = 3 }
entries = [{ wrong = "键设", right = "建设" }]
""",
            "bad.toml",
        )


def test_list_rules_stay_confirmed(typos):
    findings = Scanner(select=["TYP001"]).scan("工作己经完成")
    assert [(f.code, f.tier, f.confidence) for f in findings] == [("TYP001", "confirmed", 1.0)]


def test_model_is_cached_by_content_and_loaded(tmp_path, monkeypatch):
    monkeypatch.setenv("CUOMIN_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("CUOMIN_NO_CACHE", raising=False)
    built = confusion.load_model()
    entries = list((tmp_path / "confusion").glob("*.pickle"))
    assert len(entries) == 1
    loaded = confusion.load_model()
    assert loaded.patterns == built.patterns and loaded.logp == built.logp
    assert loaded.variant_patterns == built.variant_patterns > 0
    text = "加强城市菅理，按照总休方案推进"
    assert confusion._hits(loaded, text) == confusion._hits(built, text)  # the rebuilt matcher finds the same
    assert list((tmp_path / "confusion").glob("*.pickle")) == entries  # not rebuilt


def _feature(text: str, span: tuple, name: str) -> float:
    (x,) = [x for s, e, w, _g, x in confusion.candidates(text) if (s, e, w) == span]
    return x[confusion.FEATURES.index(name)]


def test_kind_of_substitution_is_a_feature():
    # 冶/治: shape-similar; 防讯/防汛: same reading; 牛动/流动 (niu/liu): a fuzzy reading (n/l)
    assert _feature("推进国家冶理体系建设", (4, 6, "治理"), "shape") == 1.0
    assert _feature("推进国家冶理体系建设", (4, 6, "治理"), "fuzzy") == 0.0
    assert _feature("做好防讯抗旱工作", (2, 6, "防汛抗旱"), "shape") == 0.0
    assert _feature("做好防讯抗旱工作", (2, 6, "防汛抗旱"), "fuzzy") == 0.0
    assert _feature("促进人才合理牛动", (6, 8, "流动"), "fuzzy") == 1.0
    (x,) = [x for *_, x in confusion.candidates("做好防讯抗旱工作")]
    assert len(x) == len(confusion.FEATURES)


@pytest.mark.parametrize(
    "reading, fuzzy",
    [("zhong", "zong"), ("chang", "can"), ("shi", "si"), ("nan", "lan"), ("hua", "fua"), ("qing", "qin"), ("li", "li")],
)
def test_fuzzy_readings(reading, fuzzy):
    assert confusion.fuzzy_reading(reading) == fuzzy


def test_person_names_are_not_targets():
    m = confusion.model()
    assert all(m.tags[w] not in ("nr", "nrt") for w in m.tags)


@pytest.mark.parametrize(
    "text, start",
    [
        ("ABC公司加强城市菅理", 9),  # ASCII before the hit: offsets stay in characters
        ("第1步：加强城市菅理", 8),
        ("𠀀𠀁加强城市菅理", 6),  # characters outside the BMP (two UTF-16 units each)
    ],
)
def test_shape_offsets_are_character_offsets(text, start):
    spans = [(s, e, w) for s, e, (w,), *_ in confusion.suspected_typos(text)]
    assert spans == [(start, start + 2, "管理")]


def test_estimate_shortcut_changes_no_finding(monkeypatch):
    text = "加快推进新型城镇化键设，坚持新发展里念，加强城市菅理，推进国家冶理体系建设，本报记者刘方炜报道，按照总休方案推进"
    fast = [c[:4] for c in confusion.candidates(text)]
    monkeypatch.setattr(confusion, "ESTIMATE_MARGIN", float("inf"))  # verify every candidate
    monkeypatch.setattr(confusion, "INWORD_MIN_ESTIMATE", -float("inf"))
    full = [c[:4] for c in confusion.candidates(text)]
    assert fast == full and len(full) >= 5


def test_weights_match_the_features_and_give_confidences():
    w = confusion.weights()
    assert len(w.weights) == len(confusion.FEATURES)
    findings = list(confusion.suspected_typos("加快推进新型城镇化键设"))
    assert [(s, e, words) for s, e, words, *_ in findings] == [(9, 11, ["建设"])]
    assert 0.5 < findings[0][4] < 1.0
    assert confusion.confidence(w.min_score) == pytest.approx(1 / (1 + math.exp(-w.min_score)), abs=1e-3)


def test_stale_weights_are_refused(tmp_path, monkeypatch):
    stale = tmp_path / "w.json"
    stale.write_text('{"features": ["gain"], "weights": [1.0], "bias": 0, "min_score": 0}', encoding="utf-8")
    monkeypatch.setattr(confusion, "weights_path", lambda: stale)
    monkeypatch.setattr(confusion, "_weights", None)
    with pytest.raises(RuntimeError, match="trained for other features"):
        confusion.weights()


def test_shape_table_format():
    assert confusion.read_shape_table("# comment\n治\t冶台\n管\t官菅\nbad line\n") == {"治": "冶台", "管": "官菅"}


def test_user_dictionary_format():
    assert confusion.read_user_dict("# comment\n提质\n放管服 800\n\n") == {"提质": confusion.USER_FREQ, "放管服": 800}


def test_family_does_not_import_jieba():
    code = (
        "import sys; from cuomin import Scanner; s = Scanner(extra_packs=['suspected-typos'], select=['TYP900']);"
        "assert s.scan('加快推进新型城镇化键设'); print('jieba' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_turned_on_by_name_on_the_command_line_and_in_the_configuration(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from cuomin.cli import main

    monkeypatch.chdir(tmp_path)
    draft = tmp_path / "draft.txt"
    draft.write_text("加快推进新型城镇化键设\n", encoding="utf-8")
    run = CliRunner().invoke
    assert run(main, ["check", "--isolated", "--format", "jsonl", str(draft)]).output == ""
    r = run(main, ["check", "--isolated", "--pack", "suspected-typos", "--format", "jsonl", str(draft)])
    assert '"code": "TYP900"' in r.output and '"tier": "suspected"' in r.output
    (tmp_path / "cuomin.toml").write_text('packs = ["suspected-typos"]\n', encoding="utf-8")
    assert '"code": "TYP900"' in run(main, ["check", "--format", "jsonl", str(draft)]).output
    (tmp_path / "cuomin.toml").write_text('packs = ["no-such-pack"]\n', encoding="utf-8")
    r = run(main, ["check", str(draft)])
    assert r.exit_code == 2 and "shipped optional packs: sensitive-homophones, suspected-typos" in r.output


def test_word_neighbour_check_equals_the_plain_search():
    m = confusion.model()

    def plain(text, pos):
        return any(text[a:b] in m.logp for a in range(max(0, pos - 3), pos + 1)
                   for b in range(max(pos + 1, a + 2), min(len(text), a + 4) + 1))

    texts = ["加快推进新型城镇化键设，坚持新发展里念", "中华人民共和国国务院办公厅", "他说：“今年要完成。”abc 123",
             "按照总休方案推进", "一", ""]
    for text in texts:
        for pos in range(len(text)):
            assert confusion._in_word(m, text, pos) == plain(text, pos), (text, pos)


_INDEX_TEXTS = [
    "加快推进新型城镇化键设，坚持新发展里念，深入开展调查研纠，加强城市菅理",
    "推进乡村振性，国家水务总局发布公告，做好防讯抗旱工作，我们要坚持实是求是",
    "方案报请国务原批准后，由公司懂事会审议",  # three characters: 国务院, 董事会
    "中华人民共和国国务院办公厅关于进一步优化营商环境的意见",
    "本报记者刘方炜报道：温度处于极低水平。ABC公司第1步",
    "𠀀键设\udc80里念水务总局",  # outside the BMP, a lone surrogate: no reading class
    "键", "", "键设", "水务总",
]


_GROUPS: dict = {}


def _plain_places(m, text):
    """Every place whose reading classes spell a target and which is not a word:
    ``(last, value)``, one place at a time (what the index narrows down)."""
    groups = _GROUPS.get(id(m))
    if groups is None:
        groups = _GROUPS[id(m)] = m.targets.groups()
    out = []
    for n in (2, 3, 4):
        for i in range(len(text) - n + 1):
            sub = text[i : i + n]
            value = groups.get("".join(m.classes.get(ord(ch), "\0") for ch in sub))
            if value is not None and sub not in m.logp:
                out.append((i + n - 1, value))
    return out


def _can_be_candidate(m, text, last, value, min_estimate):
    """Whether some word of a place passes the checks ``candidates`` makes before
    segmenting: how many characters differ, their readings, the estimate."""
    n = value[0]
    sub = text[last - n + 1 : last + 1]
    singles = sum(m.logp.get(ch, m.unknown) for ch in sub)
    for word, _shape in value[1]:
        diffs = [k for k in range(n) if sub[k] != word[k]]
        if not diffs or len(diffs) > (2 if n == 4 else 1):
            continue
        if n == 3 and m.readings.get(ord(sub[diffs[0]])) != m.readings.get(ord(word[diffs[0]])):
            continue
        if m.logp[word] - singles >= min_estimate:
            return True
    return False


def _check_index(m, text, min_estimate):
    got = m.targets.hits(text, min_estimate)
    plain = _plain_places(m, text)
    pairs = [h for h in plain if h[1][0] == 2 and _can_be_candidate(m, text, *h, min_estimate)]
    assert [h for h in got if h[1][0] == 2] == pairs, text  # two characters: exactly
    longer = [h for h in got if h[1][0] > 2]
    needed = [h for h in plain if h[1][0] > 2 and _can_be_candidate(m, text, *h, min_estimate)]
    # three and four characters: nothing needed is missing, nothing is made up
    assert set(map(repr, needed)) <= set(map(repr, longer)) <= set(map(repr, plain)), text
    assert len(set(map(repr, longer))) == len(longer)
    return got, needed


@pytest.mark.parametrize("min_estimate", [-math.inf, 0.0, confusion.GAIN_FLOOR - confusion.ESTIMATE_MARGIN, 8.0])
def test_target_index_keeps_every_place_a_candidate_needs(min_estimate):
    m = confusion.model()
    for text in _INDEX_TEXTS:
        _check_index(m, text, min_estimate)
    found = {(last, tuple(w for w, _ in v[1])) for last, v in m.targets.hits(_INDEX_TEXTS[1], 4.0)}
    assert {(5, ("乡村振兴",)), (12, ("税务总局",)), (23, ("防汛抗旱",)), (35, ("实事求是",))} <= found
    found = {(last, tuple(w for w, _ in v[1])) for last, v in m.targets.hits(_INDEX_TEXTS[2], 4.0)}
    assert {(6, ("国务院",)), (16, ("董事会",))} <= found


def test_target_index_lets_few_places_through():
    m = confusion.model()
    text = _INDEX_TEXTS[0] + _INDEX_TEXTS[3]
    assert len(m.targets.hits(text, 4.0)) < len(_plain_places(m, text)) / 3


def _plain_shapes(m, text):
    return [(i + n - 1, m.shapes.entries[text[i : i + n]]) for n in (2, 3, 4) for i in range(len(text) - n + 1)
            if text[i : i + n] in m.shapes.entries]


def _plain_hits(m, text, min_estimate=-math.inf):
    return _plain_places(m, text) + _plain_shapes(m, text)


def test_a_long_text_is_indexed_in_pieces(monkeypatch):
    m = confusion.model()
    text = "".join(_INDEX_TEXTS[:4]) * 3 + "加强城市菅理，推进国家冶理体系建设"
    whole = confusion._hits(m, text, 4.0)
    for chunk in (7, 16, 50):  # places across every boundary between pieces
        monkeypatch.setattr(confusion, "INDEX_CHUNK", chunk)
        assert sorted(map(repr, confusion._hits(m, text, 4.0))) == sorted(map(repr, whole)), chunk
    assert len(whole) > 30


def test_shape_index_equals_the_plain_search():
    m = confusion.model()
    texts = _INDEX_TEXTS + ["加强城市菅理，推进国家冶理体系建设", "𠀀𠀁加强城市菅理"]
    for text in texts:
        assert sorted(map(repr, m.shapes.hits(text))) == sorted(map(repr, _plain_shapes(m, text))), text
    assert [(last, [w for w, _ in v[1]]) for last, v in m.shapes.hits("加强城市菅理")] == [(5, ["管理"])]


def test_candidates_from_the_index_equal_those_of_the_plain_search(monkeypatch):
    texts = [t for t in _INDEX_TEXTS if "\udc80" not in t]  # (the Scanner replaces surrogates first)
    texts += ["严格落实安全生产责任制度，加强监督管里", "推进国家冶理体系建设，本报记者刘方炜报道，按照总休方案推进"]
    fast = [sorted(confusion.candidates(t)) for t in texts]
    monkeypatch.setattr(confusion, "_hits", _plain_hits)
    assert [sorted(confusion.candidates(t)) for t in texts] == fast
    assert sum(map(len, fast)) >= 10


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not present")
def test_target_index_on_news(monkeypatch):
    m = confusion.model()
    bound = confusion.GAIN_FLOOR - confusion.ESTIMATE_MARGIN
    lines = [line for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()][:1500]
    needed = 0
    shapes = 0
    for line in lines:
        needed += len(_check_index(m, line, bound)[1])
        got = m.shapes.hits(line)
        assert sorted(map(repr, got)) == sorted(map(repr, _plain_shapes(m, line))), line
        shapes += len(got)
    assert needed > 1000 and shapes > 1000
    fast = [sorted(confusion.candidates(line)) for line in lines[:400]]
    monkeypatch.setattr(confusion, "_hits", _plain_hits)
    assert [sorted(confusion.candidates(line)) for line in lines[:400]] == fast


def test_declared_check_parameters_are_the_functions_own():
    import inspect

    from cuomin.engine.structure import CHECK_PARAMS

    own = {name for name, p in inspect.signature(confusion.suspected_typos).parameters.items()
           if p.kind is p.KEYWORD_ONLY}
    assert CHECK_PARAMS["suspected_typos"] == own


def test_scanner_params_override_the_rule_and_are_checked():
    text = "按照总休方案推进"
    assert [f.text for f in Scanner(extra_packs=["suspected-typos"], select=["TYP900"]).scan(text)] == ["总休"]
    strict = Scanner(extra_packs=["suspected-typos"], select=["TYP900"], params={"typ900": {"min_score": 6.0}})
    assert strict.scan(text) == []
    with pytest.raises(PackError, match="params for TYP900: check suspected_typos takes no parameter min_gain"):
        Scanner(extra_packs=["suspected-typos"], params={"TYP900": {"min_gain": 8}})
    with pytest.raises(PackError, match="params for PUN002: no structure rule of that code is loaded"):
        Scanner(params={"PUN002": {"x": 1}})
    with pytest.raises(PackError, match="rule TYP901: check suspected_typos takes no parameter shape_penalty"):
        Scanner(extra_packs=[_typ901_pack("shape_penalty = 2", "old.toml")])


def test_cache_key_covers_params():
    from cuomin.engine.cache import scanner_key

    assert scanner_key(params={"TYP900": {"min_score": 1}}) != scanner_key()
    assert scanner_key(params={"TYP900": {"min_score": 1}}) == scanner_key(params={"typ900": {"min_score": 1}})

