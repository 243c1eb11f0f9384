"""Score the suspected-typo family (TYP900) on a labelled development set and count
its false alarms on clean news.

    python benchmarks/eval_typos.py [--data ../shared/corpus/ecspell_odw_train.tsv]
        [--news ../shared/corpus/news_zh.txt] [--thresholds 6 7 8 9 9.5 10 11 12]
        [--min-freq 100] [--name-char 0.2] [--shape-penalty 2] [--show-fa N]

The data set has lines ``N<TAB>text<TAB>corrected`` aligned character by character.
Sentences are split deterministically into a tune and a held-out half by the CRC-32 of
the *corrected* sentence (the set repeats a corrected sentence with different errors,
so both copies land on the same side). For each threshold (the ``min_gain`` of the
rule) it reports, per half:

* finding precision — a finding is right when it covers a wrong character;
* position recall — wrong characters covered by some finding;
* sentence detection P/R — a sentence with a finding vs. a sentence with an error;

and false alarms per 10,000 characters on the news text (every finding there counts
as false: it is edited, published prose). Candidates are computed per threshold (the
check skips candidates whose estimate cannot reach it) and selected exactly as the
check does. Nothing from the corpora is
written anywhere.
"""

from __future__ import annotations

import argparse
import sys
import time
import zlib
from pathlib import Path

from cuomin.engine import confusion

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"


def select(cands, threshold):
    """The check's own selection: gain ≥ threshold, overlaps keep the higher gain."""
    kept = []
    for c in sorted((c for c in cands if c[3] >= threshold), key=lambda c: (-c[3], c[0] - c[1], c[0])):
        if not any(s < c[1] and c[0] < e for s, e, *_ in kept):
            kept.append(c)
    return kept


def score(rows, threshold):
    tp = fp = covered = wrong = flagged = flagged_right = erroneous = 0
    for errors, cands in rows:
        found = select(cands, threshold)
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
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=SHARED / "ecspell_odw_train.tsv")
    ap.add_argument("--news", type=Path, default=SHARED / "news_zh.txt")
    ap.add_argument("--thresholds", type=float, nargs="*", default=[6, 7, 8, 9, 9.5, 10, 11, 12, 14])
    ap.add_argument("--min-freq", type=int, default=confusion.MIN_FREQ)
    ap.add_argument("--name-char", type=float, default=confusion.NAME_CHAR)
    ap.add_argument("--shape-penalty", type=float, default=confusion.SHAPE_PENALTY,
                    help="gain subtracted from shape-similar substitutions (inf: none)")
    ap.add_argument("--show-fa", type=int, default=0, help="print this many news false alarms at the lowest threshold")
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"no development set at {args.data}; nothing measured", file=sys.stderr)
        return 0
    opts = {"min_freq": args.min_freq, "name_char": args.name_char, "shape_penalty": args.shape_penalty}
    t0 = time.perf_counter()
    m = confusion.model(args.min_freq)
    load = time.perf_counter() - t0
    halves: dict[str, list] = {"tune": [], "held-out": []}
    skipped = 0
    for line in args.data.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) != 3 or len(parts[1]) != len(parts[2]):
            skipped += 1
            continue
        _, text, right = parts
        errors = {i for i, (a, b) in enumerate(zip(text, right)) if a != b}
        halves["held-out" if zlib.crc32(right.encode("utf-8")) % 2 else "tune"].append((errors, text))
    paragraphs = [p for p in args.news.read_text(encoding="utf-8").split("\n") if p.strip()] if args.news.exists() else []
    news_chars = sum(map(len, paragraphs))
    rows, news_time = [], 0.0
    for th in args.thresholds:
        # candidates as the check computes them for this threshold (floor = min_gain: the
        # estimate shortcut depends on it)
        cands = {h: [(errors, list(confusion.candidates(text, floor=th, **opts))) for errors, text in items]
                 for h, items in halves.items()}
        t0 = time.perf_counter()
        news_cands = [(para, list(confusion.candidates(para, floor=th, **opts))) for para in paragraphs]
        news_time = max(news_time, time.perf_counter() - t0)
        rows.append((th, cands, news_cands))
    print(f"model: {m.patterns} class patterns, {m.shape_patterns} shape patterns, load {load:.2f} s; "
          f"sentences tune {len(halves['tune'])}, held-out {len(halves['held-out'])} (skipped {skipped}); "
          f"news {news_chars} characters" + (f", candidates in ≤ {news_time:.1f} s per threshold" if news_chars else ""))
    print("| min_gain | tune P | tune R | held P | held R | held sent. P | held sent. R | news FA/10k |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for th, cands, news_cands in rows:
        tune, held = score(cands["tune"], th), score(cands["held-out"], th)
        fa = sum(len(select(c, th)) for _, c in news_cands)
        fa10k = f"{fa / news_chars * 1e4:.2f}" if news_chars else "n/a"
        print(f"| {th:g} | {tune['P']:.3f} | {tune['R']:.3f} | {held['P']:.3f} | {held['R']:.3f} | "
              f"{held['sP']:.3f} | {held['sR']:.3f} | {fa10k} |")
    th, _, news_cands = min(rows, key=lambda r: r[0]) if rows else (0, None, [])
    if args.show_fa and news_cands:
        shown = 0
        for para, cands in news_cands:
            for s, e, word, gain in select(cands, th):
                print(f"{gain:5.1f} {para[max(0, s - 6):s]}[{para[s:e]}→{word}]{para[e:e + 6]}")
                shown += 1
                if shown >= args.show_fa:
                    return 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
