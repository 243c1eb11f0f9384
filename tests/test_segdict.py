"""jieba's dictionary from the bucketed cache entry segments exactly like jieba's own."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import jieba
import pytest

from cuomin.engine import segdict
from cuomin.engine.segdict import BucketedFreq, decode, encode


@pytest.fixture(scope="module")
def reference():
    tk = jieba.Tokenizer()
    tk.initialize()
    return tk


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CUOMIN_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("CUOMIN_NO_CACHE", raising=False)
    return tmp_path / "segdict"


def _windows(n: int, seed: int = 3) -> list[str]:
    rnd = random.Random(seed)
    pieces = ["我们", "坚持", "以人民为中心", "的", "发展思想", "，", "推进", "国家治理", "体系", "和", "治理能力",
              "现代化", "乡村振兴", "放管服", "一网通办", "2023年", "7月", "App", "鲍玉慧", "说", "。", "！", " ", "\n",
              "中华人民共和国", "国务院办公厅", "关于", "进一步", "优化", "营商环境", "的通知", "k粉", "全面", "深化改革"]
    return ["".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 12))) for _ in range(n)]


def test_bucketed_dictionary_segments_like_jieba(reference, cache):
    tk = segdict.new_tokenizer()  # builds the entry
    assert list(cache.glob("*.seg"))
    again = segdict.new_tokenizer()  # loads it
    assert isinstance(again.FREQ, BucketedFreq)
    for text in _windows(3000):
        expected = list(reference.cut(text))
        assert list(tk.cut(text)) == expected, text
        assert list(again.cut(text)) == expected, text


def test_entry_load_does_not_initialise_jieba(cache, monkeypatch):
    segdict.new_tokenizer()

    def boom(self, *a, **k):
        raise AssertionError("jieba loaded its whole dictionary")

    monkeypatch.setattr(jieba.Tokenizer, "initialize", boom)
    tk = segdict.new_tokenizer()
    assert tk.lcut("推进国家治理体系") == ["推进", "国家", "治理", "体系"]


def test_round_trip_and_lookups():
    freq, total = decode(encode({"中": 5, "中国": 7, "中国人": 0, "a": 1}, 13))
    assert total == 13
    assert "中国" in freq and "中国人" in freq and "国" not in freq and "" not in freq
    assert freq["中国"] == 7 and freq.get("中国人") == 0 and freq.get("日本", 1) == 1 and freq.get("") is None
    freq["日本"] = 3  # jieba's add_word writes into the dictionary
    assert freq.get("日本") == 3
    with pytest.raises(KeyError):
        freq["国"]
    assert len(freq) == 5


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_a_damaged_entry_is_rebuilt(cache, damage):
    segdict.new_tokenizer()
    (entry,) = cache.glob("*.seg")
    data = entry.read_bytes()
    entry.write_bytes({"truncate": data[: len(data) // 2], "garbage": b"x" * 100, "empty": b""}[damage])
    tk = segdict.new_tokenizer()
    assert tk.lcut("推进国家治理体系") == ["推进", "国家", "治理", "体系"]
    assert entry.stat().st_size == len(data)  # written again, whole


def test_no_cache_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("CUOMIN_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("CUOMIN_NO_CACHE", "1")
    assert segdict.cached_entry() is None
    tk = segdict.new_tokenizer()
    assert tk.lcut("推进国家治理体系") == ["推进", "国家", "治理", "体系"]
    assert not any(tmp_path.iterdir())


def test_entry_is_keyed_by_jieba_and_its_dictionary(cache):
    entry = segdict.cached_entry()
    st = segdict.jieba_dict_path().stat()
    assert entry.parent == cache
    assert f"-{st.st_size}-{st.st_mtime_ns}-" in entry.name
    assert entry.name.startswith(f"jieba-{segdict.import_jieba().__version__}-")


CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "news_zh.txt"


@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not present")
def test_bucketed_dictionary_segments_real_text_like_jieba(reference, cache):
    text = CORPUS.read_text(encoding="utf-8")[:400_000]
    tk = segdict.new_tokenizer()
    for i in range(0, len(text) - 24, 97):  # ~4,000 windows of the size the boundary check cuts
        window = text[i : i + 24]
        assert list(tk.cut(window)) == list(reference.cut(window)), window


def test_jieba_is_imported_without_pkg_resources():
    # pkg_resources was 55 of jieba's 78 ms of import; jieba falls back to plain paths
    code = (
        "import sys\n"
        "from cuomin.engine.segdict import import_jieba, new_tokenizer\n"
        "jieba = import_jieba()\n"
        "assert 'pkg_resources' not in sys.modules, 'pkg_resources imported'\n"
        "with jieba._compat.get_module_res('dict.txt') as fh: assert fh.read(4)\n"
        "print(' '.join(new_tokenizer().lcut('工作己经完成了')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "工作 己经 完成 了\n"
