"""The hand-labelled recall set (benchmarks/labelled/gov_sentences.tsv) is well-formed.

These tests pin the shape of the data, not the recall figure: the packs are still
growing, and the figure is reported by ``python benchmarks/eval_labelled.py``.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from cuomin import Category, default_pack_paths, load_pack
from cuomin.validators import is_bank_card, is_resident_id

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "labelled" / "gov_sentences.tsv"
CORPUS = ROOT / ".." / "shared" / "corpus" / "news_zh.txt"
CATEGORIES = {c.value for c in Category}


def _eval_module():
    spec = importlib.util.spec_from_file_location("eval_labelled", ROOT / "benchmarks" / "eval_labelled.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("eval_labelled", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


EVAL = _eval_module()


@pytest.fixture(scope="module")
def sentences():
    rows, problems = EVAL.load_labelled(DATA)
    assert problems == []
    return rows


def raw_rows():
    lines = DATA.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "", "file ends with a newline"
    return [line.split("\t") for line in lines[:-1]]


def test_header_and_column_count():
    rows = raw_rows()
    assert rows[0] == ["id", "date", "category", "wrong", "right", "text"]
    bad = [(n, len(r)) for n, r in enumerate(rows, start=1) if len(r) != 6]
    assert bad == []


def test_ids_and_texts_unique(sentences):
    ids = Counter(s.id for s in sentences)
    texts = Counter(s.text for s in sentences)
    assert [i for i, n in ids.items() if n > 1] == []
    assert [t for t, n in texts.items() if n > 1] == []


def test_dates_are_realistic(sentences):
    years = Counter(s.date.year for s in sentences)
    assert min(years) >= 2010 and max(years) <= 2026
    recent = sum(n for y, n in years.items() if 2023 <= y <= 2026)
    assert recent / len(sentences) >= 0.9
    # near-misses dated before a reform exist (outdated names that must not fire)
    assert sum(n for y, n in years.items() if y <= 2018) >= 5


def test_wrong_occurs_in_text_and_categories_valid(sentences):
    for s in sentences:
        for err in s.errors:
            assert err.category in CATEGORIES, s.id
            assert err.wrong and err.wrong in s.text, s.id
            assert err.wrong != err.right, s.id


def test_counts_per_category(sentences):
    per_cat = Counter(err.category for s in sentences for err in s.errors)
    assert set(per_cat) == CATEGORIES
    assert {c: n for c, n in per_cat.items() if n < 25} == {}
    assert sum(1 for s in sentences if s.errors) >= 300
    assert sum(1 for s in sentences if s.clean) >= 300
    assert any(len(s.errors) == 2 for s in sentences)


def test_id_prefix_matches_category(sentences):
    prefix = {
        "political": "pol", "expression": "exp", "outdated": "out", "typo": "typ", "variant": "var",
        "number": "num", "punctuation": "pun", "privacy": "pri", "sensitive": "sen",
    }
    for s in sentences:
        if s.clean:
            assert s.id.startswith("cln-"), s.id
        elif len(s.errors) == 1:
            assert s.id.startswith(prefix[s.errors[0].category] + "-"), s.id
        else:
            assert s.id.startswith("mul-"), s.id


def test_privacy_numbers_are_valid(sentences):
    """Unmasked IDs carry a valid check character and cards pass Luhn, so a miss is
    the detector's, not the data's; masked forms in clean sentences stay masked."""
    ids = cards = 0
    for s in sentences:
        for err in s.errors:
            if err.category != "privacy":
                continue
            digits = re.sub(r"[\s+]", "", err.wrong)
            if re.fullmatch(r"\d{17}[\dX]", digits):
                ids += 1
                assert is_resident_id(digits, today=s.date), s.id
            elif re.fullmatch(r"\d{16,19}", digits):
                cards += 1
                assert is_bank_card(digits), s.id
    assert ids >= 10 and cards >= 5
    masked = [s for s in sentences if s.clean and "****" in s.text]
    assert len(masked) >= 3


def test_near_misses_present(sentences):
    clean = "\n".join(s.text for s in sentences if s.clean)
    for phrase in ["大麻烦", "原国土资源部", "打击电信网络诈骗", "禁毒宣传", "已经", "138****1234", "〔2023〕", "“中华民国”"]:
        assert phrase in clean, phrase
    hk = [s.text for s in sentences if s.clean and "港澳台" in s.text]
    assert hk and all("来华" not in t for t in hk)


def test_does_not_echo_pack_examples(sentences):
    """The set measures the packs, not echoes them: no sentence is a pack example, and
    no long pack example (≥ 20 characters: a sentence, not a fixed slogan such as
    “三个代表”重要思想) is lifted from a sentence here."""
    examples = set()
    for path in default_pack_paths():
        for rule in load_pack(path).rules:
            for holder in [rule, *getattr(rule, "entries", [])]:
                for ex in [*(getattr(holder, "match", None) or []), *(getattr(holder, "nomatch", None) or [])]:
                    text = ex if isinstance(ex, str) else getattr(ex, "text", "")
                    if text:
                        examples.add(text.rstrip("。！？!?"))
    echoed = [
        (s.id, ex)
        for s in sentences
        for ex in examples
        if ex == s.text.rstrip("。！？!?") or (len(ex) >= 20 and ex in s.text)
    ]
    assert echoed == []


def test_not_copied_from_corpus(sentences):
    if not CORPUS.exists():
        pytest.skip("shared corpus not present")
    corpus = CORPUS.read_text(encoding="utf-8")
    assert [s.id for s in sentences if s.text in corpus] == []


def test_parse_row_rejects_bad_rows():
    ok = ["x-1", "2024-01-02", "typo", "以经", "已经", "全县以经完成任务。"]
    assert EVAL.parse_row(ok, 2).errors[0].wrong == "以经"
    with pytest.raises(ValueError, match="does not occur"):
        EVAL.parse_row([*ok[:3], "已经", "", ok[5]], 2)
    with pytest.raises(ValueError, match="unknown category"):
        EVAL.parse_row([ok[0], ok[1], "spelling", *ok[3:]], 2)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        EVAL.parse_row([ok[0], "2024/01/02", *ok[2:]], 2)
    with pytest.raises(ValueError, match="parts"):
        EVAL.parse_row([ok[0], ok[1], "typo|number", "以经", "", ok[5]], 2)
    with pytest.raises(ValueError, match="columns"):
        EVAL.parse_row(ok[:5], 2)
    clean = EVAL.parse_row(["c-1", "2024-01-02", "", "", "", "全县已经完成任务。"], 2)
    assert clean.clean


def test_scorer_counts_overlap_of_the_right_category():
    """Scoring rule: caught = a finding of the labelled category overlapping the span."""
    scanner = __import__("cuomin").Scanner()
    s = EVAL.parse_row(["t-1", "2023-10-30", "political", "人名共和", "人民共和", "中华人名共和国成立"], 2)
    out = EVAL.score(scanner, s)
    assert list(out.caught.values()) == [True]
    clean = EVAL.parse_row(["c-1", "2023-10-30", "", "", "", "中华人民共和国成立"], 2)
    assert EVAL.score(scanner, clean).findings == []


def test_loader_skips_a_bad_row_and_keeps_the_rest(tmp_path):
    path = tmp_path / "set.tsv"
    path.write_text(
        "id\tdate\tcategory\twrong\tright\ttext\n"
        "a-1\t2024-01-02\ttypo\t以经\t已经\t全县以经完成任务。\n"
        "a-2\t2024-13-02\ttypo\t以经\t已经\t全县以经完成任务。\n"
        "a-3\t2024-01-02\t\t\t\t全县已经完成任务。\n"
        "a-1\t2024-01-02\t\t\t\t重复的编号。\n",
        encoding="utf-8",
    )
    rows, problems = EVAL.load_labelled(path)
    assert [r.id for r in rows] == ["a-1", "a-3"]
    assert len(problems) == 2
    assert ":3:" in problems[0] and "YYYY-MM-DD" in problems[0]
    assert ":5:" in problems[1] and "already used" in problems[1]
