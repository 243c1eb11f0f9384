"""Score the suspected-typo family (TYP900) on a labelled development set and count
its false alarms on clean news.

    python benchmarks/eval_typos.py [--data ../shared/corpus/ecspell_odw_train.tsv]
        [--news ../shared/corpus/news_zh.txt] [--thresholds 1 1.5 2 …]
        [--min-freq 1000] [--min-freq-long 1] [--show-fa N]

The data set has lines ``N<TAB>text<TAB>corrected`` aligned character by character.
Sentences are split deterministically into a tune and a held-out half by the CRC-32 of
the *corrected* sentence (the set repeats a corrected sentence with different errors,
so both copies land on the same side); the news paragraphs into a training half (even
positions) and a test half (odd). ``train_typos.py`` fits the score on the tune half
and the training news; the held-out half and the test news are what it has not seen.
For each threshold (the rule's ``min_score``) it reports:

* finding precision — a finding is right when it covers a wrong character;
* position recall — wrong characters covered by some finding;
* sentence detection P/R — a sentence with a finding vs. a sentence with an error;

and false alarms per 10,000 characters on each news half and on the whole (every
finding there counts as false: it is edited, published prose). Findings are selected
exactly as the check selects them. Nothing from the corpora is written anywhere.
"""

from __future__ import annotations

import argparse
import sys
import time
import zlib
from pathlib import Path

from cuomin.engine import confusion

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"


def load_dev(path: Path) -> dict[str, list]:
    """``{"tune": [(error positions, text)], "held-out": [...]}``; misaligned lines are dropped."""
    halves: dict[str, list] = {"tune": [], "held-out": []}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) != 3 or len(parts[1]) != len(parts[2]):
            continue
        _, text, right = parts
        errors = {i for i, (a, b) in enumerate(zip(text, right)) if a != b}
        halves["held-out" if zlib.crc32(right.encode("utf-8")) % 2 else "tune"].append((errors, text))
    return halves


def news_paragraphs(path: Path) -> dict[str, list]:
    """``{"train": [(set(), paragraph)] (even paragraphs), "test": [...] (odd)}``."""
    paras = [p for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]
    return {"train": [(set(), p) for p in paras[0::2]], "test": [(set(), p) for p in paras[1::2]]}


def scored(items, w: confusion.Weights, **opts) -> list:
    """Per text: (errors, characters, [(start, end, word, score)])."""
    return [(errors, len(text), [(s, e, word, w.score(x)) for s, e, word, _g, x in confusion.candidates(text, **opts)])
            for errors, text in items]


def score(rows, threshold):
    tp = fp = covered = wrong = flagged = flagged_right = erroneous = chars = 0
    for errors, n, cands in rows:
        found = confusion.select(cands, threshold)
        chars += n
        wrong += len(errors)
        hit = set()
        for s, e, *_ in found:
            inside = {i for i in errors if s <= i < e}
            tp += bool(inside)
            fp += not inside
            hit |= inside
        covered += len(hit)
        erroneous += bool(errors)
        if found:
            flagged += 1
            flagged_right += bool(errors)
    return {
        "P": tp / (tp + fp) if tp + fp else 1.0,
        "R": covered / wrong if wrong else 0.0,
        "sP": flagged_right / flagged if flagged else 1.0,
        "sR": flagged_right / erroneous if erroneous else 0.0,
        "findings": tp + fp,
        "per10k": (tp + fp) / chars * 1e4 if chars else 0.0,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=SHARED / "ecspell_odw_train.tsv")
    ap.add_argument("--news", type=Path, default=SHARED / "news_zh.txt")
    ap.add_argument("--thresholds", type=float, nargs="*", default=None,
                    help="min_score values (default: around the trained threshold)")
    ap.add_argument("--min-freq", type=int, default=confusion.MIN_FREQ)
    ap.add_argument("--min-freq-long", type=int, default=confusion.MIN_FREQ_LONG)
    ap.add_argument("--show-fa", type=int, default=0, help="print this many test-news false alarms at the trained threshold")
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"no development set at {args.data}; nothing measured", file=sys.stderr)
        return 0
    opts = {"min_freq": args.min_freq, "min_freq_long": args.min_freq_long}
    w = confusion.weights()
    thresholds = args.thresholds or [round(w.min_score + d, 2) for d in (-1.5, -1, -0.5, -0.25, 0, 0.25, 0.5, 1, 1.5, 2)]
    t0 = time.perf_counter()
    m = confusion.model(**opts)
    load = time.perf_counter() - t0
    dev = load_dev(args.data)
    rows = {h: scored(items, w, **opts) for h, items in dev.items()}
    news = news_paragraphs(args.news) if args.news.exists() else {"train": [], "test": []}
    t0 = time.perf_counter()
    news_rows = {h: scored(items, w, **opts) for h, items in news.items()}
    news_time = time.perf_counter() - t0
    news_chars = sum(n for rs in news_rows.values() for _, n, _ in rs)
    print(f"model: {m.patterns} class patterns, {m.variant_patterns} variant patterns, load {load:.2f} s; "
          f"trained min_score {w.min_score}; sentences tune {len(dev['tune'])}, held-out {len(dev['held-out'])}; "
          f"news {news_chars} characters, candidates in {news_time:.1f} s")
    print("| min_score | tune P | tune R | held P | held R | held sent. P | held sent. R "
          "| news train FA/10k | news test FA/10k | news all FA/10k |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for th in thresholds:
        tune, held = score(rows["tune"], th), score(rows["held-out"], th)
        train, test = score(news_rows["train"], th), score(news_rows["test"], th)
        all_fa = (train["findings"] + test["findings"]) / news_chars * 1e4 if news_chars else 0.0
        mark = "**" if th == w.min_score else ""
        print(f"| {mark}{th:g}{mark} | {tune['P']:.3f} | {tune['R']:.3f} | {held['P']:.3f} | {held['R']:.3f} | "
              f"{held['sP']:.3f} | {held['sR']:.3f} | {train['per10k']:.2f} | {test['per10k']:.2f} | {all_fa:.2f} |")
    if args.show_fa:
        shown = 0
        for (_, para), (_, _, cands) in zip(news["test"], news_rows["test"]):
            for s, e, word, sc in confusion.select(cands, w.min_score):
                print(f"{sc:5.2f} {para[max(0, s - 6):s]}[{para[s:e]}→{word}]{para[e:e + 6]}")
                shown += 1
                if shown >= args.show_fa:
                    return 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
