"""False positives on published, proofread text.

    python benchmarks/false_positives.py [--data ../shared/corpus/news_zh.txt]
        [--date 1998-01-31] [--show CATEGORY|CODE ...] [--limit N]

The corpus is scanned as one document, as `cuomin check news_zh.txt --date 1998-01-31`
does. Findings of the suspected tier (generated typo candidates) are reported apart:
they have their own budget.
Every finding on edited news prose is almost surely a false alarm (except outdated
names relative to the text's own date, which is why it is scanned with its date).
Prints findings per category and per 10,000 characters, counting error and warning
severities as the acceptance figure does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections import Counter
from pathlib import Path

from cuomin import Scanner

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "news_zh.txt"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--date", default="1998-01-31")
    ap.add_argument("--show", nargs="*", default=[], help="print findings of these categories/codes")
    ap.add_argument("--limit", type=int, default=200)
    ap.add_argument("--select", nargs="*", default=[])
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"no corpus at {args.data}; nothing measured", file=sys.stderr)
        return 0
    published = dt.date.fromisoformat(args.date)
    scanner = Scanner(select=args.select)
    text = args.data.read_text(encoding="utf-8")
    chars = len(text) - text.count("\n")
    by_cat: Counter = Counter()
    by_code: Counter = Counter()
    shown = 0
    t0 = time.perf_counter()
    for f in scanner.scan(text, published=published):
        key = (f.category.value if f.tier == "confirmed" else f"{f.category.value}*", f.severity.value)
        by_cat[key] += 1
        by_code[(f.code, f.severity.value)] += 1
        if (f.category.value in args.show or any(f.code.startswith(s) for s in args.show)) and shown < args.limit:
            shown += 1
            lo, hi = max(0, f.start - 12), f.end + 12
            context = text[lo:hi].replace("\n", "⏎")
            print(f"{f.code} {f.severity.value:7} {f.text!r:12} → {f.suggestions[:2]}  …{context}…")
    elapsed = time.perf_counter() - t0
    per10k = 10_000 / chars
    print(f"\n{args.data.name}: {chars:,} characters, scanned in {elapsed:.1f} s, date {published}")
    print(f"{'category':12} {'error':>7} {'warning':>8} {'info':>6} {'err+warn/10k':>13}")
    total_ew = 0
    for cat in sorted({c for c, _ in by_cat}):
        e, w, i = by_cat[(cat, "error")], by_cat[(cat, "warning")], by_cat[(cat, "info")]
        if not cat.endswith("*"):
            total_ew += e + w
        print(f"{cat:12} {e:7} {w:8} {i:6} {(e + w) * per10k:13.3f}")
    print(f"{'total':12} {'':7} {'':8} {'':6} {total_ew * per10k:13.3f}   (confirmed tier; target ≤ 0.5)")
    if any(c.endswith("*") for c, _ in by_cat):
        print("* suspected tier (generated candidates), not in the total")
    print("\ntop codes:", ", ".join(f"{c}/{s}:{n}" for (c, s), n in by_code.most_common(15)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
