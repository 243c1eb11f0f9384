"""Build the typo packs (wordlists/typo.toml, wordlists/typo_idioms.toml).

    python scripts/gen_typo_pack.py [--corpus ../shared/corpus/news_zh.txt]

* Hand-written entries come from scripts/typo_hand.txt (one per line:
  ``CODE wrong right [match sentence] [| innocent sentence]``). The nomatch example is
  the match sentence with the right form; an innocent sentence sets boundary = true.
* TYP005 is generated: for well-known four-character idioms (jieba dictionary tag
  ``i`` that are also in pypinyin's phrase dictionary), one character is replaced by
  a common same-syllable, same-tone character. A candidate is kept only when it is in
  neither dictionary, never occurs in the news corpus, no 3-character piece around the
  replaced character occurs in the corpus, and it cannot be split into a (word or word
  ending) + (word or word beginning) pair, i.e. it cannot occur innocently across two
  words. Pairs of characters that form accepted variants (异形词) are never swapped.

The pack files are the reviewed output: rerun, then review the diff.
"""

from __future__ import annotations

import argparse
import collections
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HAND = Path(__file__).with_name("typo_hand.txt")
TEMPLATE = "稿件中“{}”一语需要核对。"
GEN_TEMPLATE = "文中写道：{}。"

# character pairs that are accepted variants or interchangeable in some words
EXCLUDE_PAIRS = """象像相 作做 彩采 划画 分份 惟唯维 连联 希稀 哄轰 宏弘鸿洪 订定 坐座 账帐 复覆
伏服 戒诫 辉晖 惠慧 溜遛 蚀食 原元源 余馀 于於 他她它 的地得 那哪 在再 籍藉 踏塌蹋 沈沉 澈彻
砺厉 记纪 支肢枝 摹模磨摩魔 叠迭 阑栏 蓝兰 沾粘 吁嘘 须需 部布 度渡 才材 截接 反返 毕必 柴豺
嚎嗥 逸佚 浑混 伶零 底柢 戴带 儆警 铤挺 衷中 河合 锤槌 股古 省醒 俱具 糊胡 副符 名明 拥涌
蜚飞 唉哀 震振 惶徨 蒙朦 倘徜 黏粘 糜靡 佳嘉 园圆 工功 嘻嬉 是事 急疾 已以 即既 决绝 其奇
启起 汇会 练炼 付副 象向 惊警 哪拿 嘛吗 呀哑 凭平 暴曝 泄泻 拔跋 型形 姿资 诲悔""".split()

# dictionary "idioms" that are themselves a wrong or non-recommended form, or not idioms
BAD_IDIOMS = {"不能自己", "名符其实", "身不由主", "百事可乐", "自来水笔", "前赴后继", "常年累月", "风声水起"}

RULES = {
    "TYP001": dict(file="typo.toml", name="常见错别字（日常词语）", severity="error",
                   reason="常见错别字", source="《咬文嚼字》常见错别字; 《现代汉语词典》（第7版）词形"),
    "TYP003": dict(file="typo.toml", name="政务文稿常见错别字", severity="error",
                   reason="政务文稿常见错别字",
                   source="《现代汉语词典》（第7版）词形"),
    "TYP002": dict(file="typo_idioms.toml", name="成语错别字", severity="error",
                   reason="成语用字错误", source="《现代汉语词典》（第7版）成语词形; 《咬文嚼字》常见错别字"),
    "TYP005": dict(file="typo_idioms.toml", name="成语同音错字（生成并核验）", severity="warning",
                   reason="成语用字疑误（同音字替换）",
                   source="成语词形依据《现代汉语词典》（第7版）; 同音替换候选由 scripts/gen_typo_pack.py 生成，经 jieba 词典、pypinyin 词语库与新闻语料核验"),
}


def q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def read_hand():
    out = []
    for line in HAND.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        main, _, innocent = line.partition("|")
        parts = main.split()
        code, wrong, right = parts[:3]
        sent = parts[3] if len(parts) > 3 else TEMPLATE.format(wrong)
        assert wrong in sent, line
        out.append((code, wrong, right, sent, innocent.strip() or None))
    return out


def generate(corpus_text: str, hand_wrongs: set[str], variant_wrongs: set[str], limit: int, per: int):
    import jieba
    from pypinyin import Style, phrases_dict, pinyin

    dict_path = Path(jieba.__file__).with_name("dict.txt")
    words: dict[str, int] = {}
    idioms = []
    for line in dict_path.read_text(encoding="utf-8").splitlines():
        p = line.split()
        if len(p) < 3:
            continue
        w, f, t = p[0], int(p[1]), p[2]
        words[w] = f
        if t == "i" and re.fullmatch(r"[\u4e00-\u9fff]{4}", w):
            idioms.append((f, w))
    idioms.sort(key=lambda x: (-x[0], x[1]))
    PD = phrases_dict.phrases_dict
    cf = collections.Counter(ch for ch in corpus_text if "\u4e00" <= ch <= "\u9fff")
    common = sorted(c for c, n in cf.items() if n >= 30)
    W = {w for w, f in words.items() if f >= 10}
    P, S = set(), set()
    for w in W:
        for i in range(1, len(w)):
            P.add(w[:i])
            S.add(w[i:])
    tri = {corpus_text[i : i + 3] for i in range(len(corpus_text) - 2)}
    bysyl = collections.defaultdict(list)
    for c in common:
        bysyl[pinyin(c, style=Style.TONE3)[0][0]].append(c)
    excl = [set(x) for x in EXCLUDE_PAIRS]

    def risky(c):
        for i in range(1, 4):
            L, R = c[:i], c[i:]
            if (L in W or L in S) and (R in W or R in P):
                return True
        return False

    out = []
    used = 0
    for f, idi in idioms:
        if used >= limit:
            break
        if idi not in PD or idi in BAD_IDIOMS or any(v in idi for v in variant_wrongs):
            continue
        used += 1
        pys = [x[0] for x in pinyin(idi, style=Style.TONE3)]
        cands = []
        for pos, ch in enumerate(idi):
            for c in bysyl.get(pys[pos], []):
                if c == ch or any(c in s and ch in s for s in excl):
                    continue
                cand = idi[:pos] + c + idi[pos + 1 :]
                bg = ([idi[pos - 1] + c] if pos else []) + ([c + idi[pos + 1]] if pos < 3 else [])
                real = any(words.get(b, 0) >= 50 for b in bg)
                cands.append((0 if real else 1, -cf[c], cand, pos))
        cands.sort()
        k = 0
        for _, _, cand, pos in cands:
            if cand in words or cand in PD or cand in corpus_text or cand in hand_wrongs:
                continue
            if any(v in cand for v in variant_wrongs) or risky(cand):
                continue
            if any(cand[j : j + 3] in tri for j in range(2) if j <= pos <= j + 2):
                continue
            out.append((cand, idi))
            k += 1
            if k >= per:
                break
    return out


def entry_line(wrong, right, match, nomatch, boundary=False):
    parts = [f"wrong = {q(wrong)}", f"right = {q(right)}"]
    if boundary:
        parts.append("boundary = true")
    parts.append("match = [" + q(match) + "]")
    parts.append("nomatch = [" + ", ".join(q(n) for n in nomatch) + "]")
    return "  { " + ", ".join(parts) + " },"


def write(files):
    for fname, (header, rules) in files.items():
        lines = [header]
        for code, entries in rules:
            r = RULES[code]
            lines += ["", "[[rules]]", f"code = {q(code)}", f"name = {q(r['name'])}", 'category = "typo"',
                      f"severity = {q(r['severity'])}", f"reason = {q(r['reason'])}", f"source = {q(r['source'])}",
                      "entries = ["]
            lines += entries
            lines.append("]")
        (ROOT / "wordlists" / fname).write_text("\n".join(lines) + "\n", encoding="utf-8")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=ROOT / ".." / "shared" / "corpus" / "news_zh.txt")
    ap.add_argument("--idioms", type=int, default=1700, help="how many of the most frequent idioms to vary")
    ap.add_argument("--per", type=int, default=2, help="candidates kept per idiom")
    args = ap.parse_args()
    import tomllib

    variant = tomllib.loads((ROOT / "wordlists" / "variant.toml").read_text(encoding="utf-8"))
    variant_wrongs = {w for r in variant["rules"] for e in r["entries"] for w in ([e["wrong"]] if isinstance(e["wrong"], str) else e["wrong"])}
    hand = read_hand()
    seen = set()
    by_code = collections.defaultdict(list)
    for code, wrong, right, sent, innocent in hand:
        assert wrong not in seen, wrong
        seen.add(wrong)
        nomatch = [sent.replace(wrong, right)] + ([innocent] if innocent else [])
        by_code[code].append(entry_line(wrong, right, sent, nomatch, boundary=bool(innocent)))
    corpus_text = args.corpus.read_text(encoding="utf-8")
    gen = generate(corpus_text, seen, variant_wrongs, args.idioms, args.per)
    for cand, idi in gen:
        # never generate a form that contains, or is contained in, a hand-written wrong form
        if any(w in cand or cand in w for w in seen):
            continue
        seen.add(cand)
        by_code["TYP005"].append(entry_line(cand, idi, GEN_TEMPLATE.format(cand), [GEN_TEMPLATE.format(idi)]))
    write({
        "typo.toml": ("# 错别字: known wrong forms of everyday words and words of government writing (音近/形近).\n"
                      "# Generated by scripts/gen_typo_pack.py from scripts/typo_hand.txt; one entry per line.\n"
                      '[pack]\nname = "typo"\ndescription = "常见错别字（词表）"\nversion = "2026.11"',
                      [("TYP001", by_code["TYP001"]), ("TYP003", by_code["TYP003"])]),
        "typo_idioms.toml": ("# 错别字 in idioms (成语): hand-written TYP002 and generated, verified TYP005.\n"
                             "# Generated by scripts/gen_typo_pack.py; one entry per line.\n"
                             '[pack]\nname = "typo_idioms"\ndescription = "成语错别字（词表）"\nversion = "2026.11"',
                             [("TYP002", by_code["TYP002"]), ("TYP005", by_code["TYP005"])]),
    })
    for c in sorted(by_code):
        print(c, len(by_code[c]))


if __name__ == "__main__":
    main()
