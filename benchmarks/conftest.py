"""Shared fixtures for the benchmarks and the ratio table printed at the end.

Run (from the repository root):

    pip install -e '.[bench]'
    pytest benchmarks/ --benchmark-columns=median,rounds

Every benchmark records bytes / median seconds under a name; the table at the end
gives MB/s and the ratios the targets in docs/performance.md are stated in, all from
the same run (so a busy machine slows baselines and candidates alike).
"""

from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "news_zh.txt"
POST_BYTES = 2048
PUBLISHED = dt.date(1998, 1, 31)

#: name → {"mbps": …, "seconds": …, "bytes": …} or {"seconds": …} for wall times
RESULTS: dict[str, dict] = {}


def record(name: str, benchmark, nbytes: int | None = None) -> None:
    median = benchmark.stats.stats.median
    RESULTS[name] = {"seconds": median, "bytes": nbytes, "mbps": (nbytes / 1e6 / median) if nbytes else None}


def record_value(name: str, **values) -> None:
    RESULTS[name] = values


def corpus_text() -> tuple[str, str]:
    """(text, where it came from): the shared news corpus, else generated text."""
    if CORPUS.exists():
        return CORPUS.read_text(encoding="utf-8"), str(CORPUS)
    return generated_text(3_000_000), "generated"


def generated_text(nbytes: int, seed: int = 7) -> str:
    """Chinese-looking prose from the packs' own vocabulary plus common characters."""
    rnd = random.Random(seed)
    common = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"
    punct = "，，，。、“”：；"
    out: list[str] = []
    size = 0
    while size < nbytes:
        n = rnd.randint(20, 120)
        para = "".join(rnd.choice(common) if rnd.random() > 0.08 else rnd.choice(punct) for _ in range(n)) + "。"
        if rnd.random() < 0.3:
            para += f"{rnd.randint(1, 12)}月{rnd.randint(1, 28)}日"
        out.append(para)
        size += len(para.encode("utf-8")) + 1
    return "\n".join(out)


def cut_posts(text: str, post_bytes: int = POST_BYTES) -> list[str]:
    """Whole paragraphs gathered into posts of about ``post_bytes`` UTF-8 bytes."""
    posts, cur, n = [], [], 0
    for line in text.split("\n"):
        cur.append(line)
        n += len(line.encode("utf-8")) + 1
        if n >= post_bytes:
            posts.append("\n".join(cur))
            cur, n = [], 0
    if cur:
        posts.append("\n".join(cur))
    return posts


def post_rows(posts: list[str], text_bytes: int) -> list[list[str]]:
    """Rows of an export (id, account, title, text, date), cycling through ``posts``
    until their texts reach ``text_bytes`` UTF-8 bytes."""
    rows, size, i = [], 0, 0
    while size < text_bytes:
        p = posts[i % len(posts)]
        rows.append([f"p{i}", f"账号{i % 50}", p[:20], p, "1998-01-31"])
        size += len(p.encode("utf-8"))
        i += 1
    return rows


@pytest.fixture(scope="session")
def posts() -> list[str]:
    text, source = corpus_text()
    record_value("corpus", source=source, bytes=len(text.encode("utf-8")))
    return cut_posts(text)


@pytest.fixture(scope="session")
def posts_bytes(posts) -> int:
    return sum(len(p.encode("utf-8")) for p in posts)


@pytest.fixture(scope="session")
def scanner():
    from cuomin import Scanner

    s = Scanner()
    record_value("rules", literal_keys=len(s.literal_keys()), patterns=len(s._patterns),
                 structures=len(s._structures), matcher=s._matcher.backend)
    return s


# ------------------------------------------------------------------ the table
RATIOS = [
    # (label, numerator, denominator, target)
    ("Scanner / raw pyahocorasick (str keys)", "scanner", "pyahocorasick_str", 0.6),
    ("Scanner / ahocorasick_rs (default build)", "scanner", "ahocorasick_rs", 1.0),
    ("Scanner / jieba.lcut everything + set look-up", "scanner", "jieba_segment_all", 20.0),
    ("Scanner / flashtext", "scanner", "flashtext", None),
    ("Scanner fast path / plain path", "scanner", "scanner_plain", None),
    ("Scanner + suspected-typos pack / Scanner", "scanner_with_suspected_typos", "scanner", None),
    ("matcher rs (NFA→DFA) / pyahocorasick str", "matcher_rs", "pyahocorasick_str", None),
    ("matcher bytes (latin-1 keys) / pyahocorasick str", "matcher_bytes", "pyahocorasick_str", None),
    ("workbook rows: calamine / openpyxl read-only", "read_xlsx", "read_xlsx_openpyxl", None),
]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not RESULTS:
        return
    w = terminalreporter
    w.section("cuomin throughput (same run)")
    for name in ("corpus", "rules"):
        if name in RESULTS:
            w.write_line(f"{name}: {RESULTS[name]}")
    for name, r in sorted(RESULTS.items()):
        if r.get("mbps"):
            w.write_line(f"  {name:32s} {r['mbps']:9.2f} MB/s   (median {r['seconds'] * 1000:.1f} ms)")
    w.write_line("")
    for label, num, den, target in RATIOS:
        a, b = RESULTS.get(num, {}).get("mbps"), RESULTS.get(den, {}).get("mbps")
        if a and b:
            verdict = "" if target is None else (f"  target ≥ {target}: " + ("met" if a / b >= target else "NOT met"))
            w.write_line(f"  {label:50s} {a / b:8.2f}{verdict}")
    for name, r in sorted(RESULTS.items()):
        if "ratio" in r:
            target = r.get("target")
            verdict = "" if target is None else (
                f"  target {r.get('op', '≤')} {target}: "
                + ("met" if (r["ratio"] <= target if r.get("op", "≤") == "≤" else r["ratio"] >= target) else "NOT met")
            )
            details = {k: v for k, v in r.items() if k not in ("ratio", "target", "op")}
            w.write_line(f"  {name:50s} {r['ratio']:8.3f}{verdict}   {details}")
        elif "peak_rss_mb" in r:
            w.write_line(f"  {name:50s} {r}")


def bench_env() -> dict:
    """Environment for CLI subprocesses: this interpreter's venv, the rule-set cache on,
    and bytecode written: an installed package has its ``.pyc`` files (pip compiles
    them), an editable one under ``PYTHONDONTWRITEBYTECODE`` would compile every
    module on every call (~20 ms) — a cost users don't pay and the baselines (jieba,
    installed normally) don't either."""
    env = dict(os.environ)
    env.pop("CUOMIN_NO_CACHE", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env
