"""Throughput of the whole Scanner with and without the suspected-typo family
(TYP900), measured in the same run, plus the family's model load time and peak RSS.

    python benchmarks/typo_speed.py [--data ../shared/corpus/news_zh.txt] [--rounds 3]

The text is cut into ~2 KB posts of consecutive paragraphs (as benchmarks/
false_positives.py does); when the corpus is absent, posts are generated from the
packs' own example sentences. Reports the median over ``--rounds`` of each
configuration, alternating them. Load times are measured in fresh processes: the
first builds the model into the cache (``$CUOMIN_CACHE_DIR`` is pointed at a
temporary directory), the second loads it.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"
POST_CHARS = 700

LOAD = (
    "import time; from cuomin.engine import confusion as c; t=time.perf_counter(); m=c.model(); "
    "print(f'{time.perf_counter()-t:.3f} {m.patterns}')"
)


def posts_of(paragraphs):
    buf, size = [], 0
    for p in paragraphs:
        buf.append(p)
        size += len(p)
        if size >= POST_CHARS:
            yield "\n".join(buf)
            buf, size = [], 0
    if buf:
        yield "\n".join(buf)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=SHARED / "news_zh.txt")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--date", default="1998-01-31")
    args = ap.parse_args(argv)
    import datetime as dt

    from cuomin import Scanner

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "CUOMIN_CACHE_DIR": tmp}
        build, load = (
            subprocess.run([sys.executable, "-c", LOAD], env=env, capture_output=True, text=True, check=True).stdout.split()
            for _ in range(2)
        )
    print(f"model: {build[1]} class patterns; first use (build + cache) {build[0]} s, load from cache {load[0]} s")
    if args.data.exists():
        paragraphs = [p for p in args.data.read_text(encoding="utf-8").split("\n") if p.strip()]
    else:
        paragraphs = ["加快推进新型城镇化建设，坚持新发展理念，进一步优化营商环境。"] * 20000
    posts = list(posts_of(paragraphs))
    mb = sum(len(p.encode("utf-8")) for p in posts) / 1e6
    published = dt.date.fromisoformat(args.date)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    scanners = {"without TYP9": Scanner(), "with TYP9": Scanner(extra_packs=["suspected-typos"])}
    for s in scanners.values():
        s.scan(posts[0], published=published)  # load lazily loaded data
    times: dict[str, list[float]] = {k: [] for k in scanners}
    counts: dict[str, int] = {}
    for _ in range(args.rounds):
        for name, scanner in scanners.items():
            t = time.perf_counter()
            counts[name] = sum(len(scanner.scan(p, published=published)) for p in posts)
            times[name].append(time.perf_counter() - t)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(posts)} posts, {mb:.2f} MB")
    print("| scanner | MB/s (median) | findings |")
    print("|---|---:|---:|")
    for name in scanners:
        print(f"| {name} | {mb / statistics.median(times[name]):.2f} | {counts[name]} |")
    print(f"peak RSS {rss:.0f} MB (before the scanners {rss0:.0f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
