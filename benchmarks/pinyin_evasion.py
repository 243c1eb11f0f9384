"""Sensitive words written in pinyin: how many are found, and what Latin text that is
not evasion sets off.

    python benchmarks/pinyin_evasion.py [--data ../shared/corpus/news_zh.txt] [--seed 1]

Recall: every sensitive key the pinyin reading covers (engine/pinyin.py) is written,
in its reading as a word (pypinyin, when installed: 银行卡 is yinhangka), four ways — half its characters as pinyin (代kai发piao), all but the first (代kaifapiao),
upper-case pinyin apart with the last character kept (DAI KAI FA 票), and, for three
syllables or more, one run of pinyin (daikaifapiao) — inside a spam-like sentence, and
counts as found when a finding of its rule overlaps it (a confirmed hit inside, as 冰毒 of
冰毒chushou, wins over the longer suspected one).

False alarms: paragraphs of real news (or, without the corpus, the project's own
Chinese docs) with Latin put in at random places, three kinds:

* English words (from the project's docs, which are English);
* romanized names as Chinese text quotes them (记者Zhang Wei报道, Liu Hecai);
* random pinyin syllables glued to Chinese characters — the worst case: nothing
  written by a person looks like that, so it bounds how often chance alone matches.

Every pinyin finding on those is a false alarm.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from cuomin import Scanner  # noqa: E402
from cuomin.engine.chartables import pinyin_readings  # noqa: E402
from cuomin.engine.pinyin import MIN_LATIN_ONLY  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "corpus" / "news_zh.txt"
DAY = dt.date(2024, 1, 1)
SURNAMES = "li wang zhang liu chen yang zhao huang zhou wu xu sun hu zhu gao lin he guo ma luo".split()


def spelt(findings) -> list:
    return [f for f in findings if f.tier == "suspected" and "疑似以拼音替写" in f.message]


def word_reading(key: str, readings: dict) -> list[str]:
    """The key's syllables as a writer types them: pypinyin's reading of the word where
    it is installed (银行卡 yin hang ka), else each character's reading in the table."""
    try:
        from pypinyin import Style, lazy_pinyin
    except ImportError:
        return [readings[c] for c in key]
    return [s.replace("ü", "v") for s in lazy_pinyin(key, style=Style.NORMAL)]


def variants(key: str, readings: dict, rnd: random.Random) -> list[str]:
    sounds = word_reading(key, readings)
    n = len(key)
    some = set(rnd.sample(range(n), max(1, n // 2)))
    out = [
        "".join(sounds[i] if i in some else key[i] for i in range(n)),
        "".join(sounds[i] if i else key[0] for i in range(n)),
        " ".join(sounds[i].upper() if i != n - 1 else key[i] for i in range(n)),
    ]
    if n >= MIN_LATIN_ONLY:
        out.append("".join(sounds))
    return out


def recall(scanner: Scanner, readings: dict, rnd: random.Random) -> tuple[int, int, list]:
    total = hit = 0
    missed = []
    seen = set()
    for lit in scanner._literals:
        if lit.category != "sensitive" or lit.wrong in seen:
            continue
        seen.add(lit.wrong)
        if len(lit.wrong) < 2 or any(c not in readings for c in lit.wrong):
            continue
        for form in variants(lit.wrong, readings, rnd):
            text = f"诚信经营，{form}，联系微信"
            start = text.index(form)
            total += 1
            if any(f.code == lit.code and f.start < start + len(form) and start < f.end for f in scanner.scan(text, DAY)):
                hit += 1
            else:
                missed.append((lit.code, form))
    return hit, total, missed


def paragraphs(data: Path) -> list[str]:
    if data.exists():
        text = data.read_text(encoding="utf-8")
    else:  # the project's docs hold Chinese examples enough to stand in
        text = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").rglob("*.md")))
        text = re.sub(r"[A-Za-z`*_#|\[\]()<>/]+", "", text)
    return [p for p in text.split("\n") if len(p) >= 20]


def false_alarms(scanner: Scanner, paras: list[str], kind: str, rnd: random.Random, syllables: list[str],
                 english: list[str]) -> tuple[int, Counter, list]:
    inserted = 0
    codes: Counter = Counter()
    examples = []
    for p in paras:
        chars = list(p)
        for _ in range(3):
            if kind == "english":
                token = rnd.choice(english)
            elif kind == "names":
                given = "".join(rnd.choice(syllables) for _ in range(rnd.randint(1, 2)))
                token = f"{rnd.choice(SURNAMES).capitalize()} {given.capitalize()}"
            else:
                token = "".join(rnd.choice(syllables) for _ in range(rnd.randint(1, 3)))
            if rnd.random() < 0.3:
                token = f" {token} "
            chars.insert(rnd.randrange(len(chars) + 1), token)
            inserted += 1
        text = "".join(chars)
        for f in spelt(scanner.scan(text, DAY)):
            codes[f.code] += 1
            if len(examples) < 8:
                examples.append(text[max(0, f.start - 4) : f.end + 4])
    return inserted, codes, examples


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    scanner = Scanner()
    readings = pinyin_readings()
    syllables = sorted(set(readings.values()))
    rnd = random.Random(args.seed)

    hit, total, missed = recall(scanner, readings, rnd)
    try:
        import pypinyin

        how = f"each word read by pypinyin {pypinyin.__version__}"
    except ImportError:
        how = "each character read by the table (pip install pypinyin to read words as written)"
    print(f"recall: {hit}/{total} = {hit / total:.1%} of sensitive keys written in pinyin ({how})")
    for code, form in missed[:10]:
        print(f"  missed {code} {form}")

    # English words of the docs, less the spam words they quote (liuhecai, TMD)
    words = set(re.findall(r"\b[A-Za-z]{2,}\b", "\n".join(
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").rglob("*.md")))))
    english = sorted(w for w in words if not scanner.scan(w, DAY))
    paras = paragraphs(args.data)
    source = args.data.name if args.data.exists() else "docs/*.md (Chinese text only)"
    print(f"false alarms: {len(paras):,} paragraphs of {source}, three insertions each")
    for kind in ("english", "names", "random-pinyin"):
        inserted, codes, examples = false_alarms(scanner, paras, kind, random.Random(args.seed), syllables, english)
        n = sum(codes.values())
        print(f"  {kind:14s} {n:4d} in {inserted:,} insertions ({n / inserted * 10000:.1f} per 10,000) {dict(codes)}")
        for e in examples:
            print(f"      {e!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
