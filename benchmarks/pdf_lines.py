"""What reading a PDF costs the checks: paragraphs of news, checked as plain text, then
wrapped into PDF pages as a word processor sets them and checked again.

    python benchmarks/pdf_lines.py [--data ../shared/corpus/news_zh.txt] [--width 32]
        [--page-lines 40] [--paragraphs 3000] [--page-numbers]

Each paragraph is cut into lines of ``--width`` characters, ``--page-lines`` lines a
page (with a page number below each with ``--page-numbers``), and written as a PDF in a
CID font with a ToUnicode map, as Chinese PDFs are (tests/pdffile.py). Both files are
checked at the corpus's date; the findings only one of them has are printed by code. A
finding only the PDF has is a paragraph the reader failed to put together again (a
bracket or quotation left unpaired at a line's end); one only the text has, a word it
left broken.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT / ".." / "shared" / "corpus" / "news_zh.txt"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--date", default="1998-01-31")
    ap.add_argument("--width", type=int, default=32)
    ap.add_argument("--page-lines", type=int, default=40)
    ap.add_argument("--paragraphs", type=int, default=3000)
    ap.add_argument("--page-numbers", action="store_true")
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"no corpus at {args.data}; nothing measured", file=sys.stderr)
        return 0
    sys.path.insert(0, str(ROOT))
    import datetime as dt

    from cuomin.check import check_inputs
    from cuomin.engine.cache import cached_scanner
    from tests.pdffile import chinese_pdf

    text = args.data.read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()][: args.paragraphs]
    lines = [p[i : i + args.width] for p in paragraphs for i in range(0, len(p), args.width)]
    n = args.page_lines
    pages = ["\n".join(lines[i : i + n]) + (f"\n— {i // n + 1} —" if args.page_numbers else "")
             for i in range(0, len(lines), n)]
    scanner = cached_scanner()
    with tempfile.TemporaryDirectory() as tmp:
        plain, pdf = Path(tmp) / "news.txt", Path(tmp) / "news.pdf"
        plain.write_text("\n".join(paragraphs), encoding="utf-8")
        pdf.write_bytes(chinese_pdf(pages))
        found = {}
        for path in (plain, pdf):
            (result,) = check_inputs(scanner, [str(path)], published=dt.date.fromisoformat(args.date))
            found[path.suffix] = Counter((f.code, f.text) for f in result.findings)
    a, b = found[".txt"], found[".pdf"]
    print(f"{len(paragraphs)} paragraphs, {sum(map(len, paragraphs)):,} characters, {len(pages)} pages "
          f"of {n} lines of {args.width} characters{' with page numbers' if args.page_numbers else ''}")
    print(f"findings: text {sum(a.values())}, PDF {sum(b.values())}")
    print(f"only in the PDF: {sum((b - a).values())} {dict(Counter(k[0] for k in (b - a).elements()))}")
    print(f"only in the text: {sum((a - b).values())} {dict(Counter(k[0] for k in (a - b).elements()))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
