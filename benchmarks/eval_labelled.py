"""Recall and false alarms on a hand-labelled set of government sentences.

    python benchmarks/eval_labelled.py [--data benchmarks/labelled/gov_sentences.tsv]
        [--show [CATEGORY ...]] [--limit N]

The data file is UTF-8 TSV with a header row and no quoting (a field never holds a
tab or newline; ASCII quotes are ordinary characters):

    id  date  category  wrong  right  text

``date`` is the publication date (YYYY-MM-DD): every sentence is scanned with the
default :class:`cuomin.Scanner` at its own date, so outdated names and dated rosters
are judged as of publication. ``category`` is empty for a clean sentence; a sentence
with two errors lists them separated by ``|`` in ``category``, ``wrong`` and
``right`` (same number of parts; ``right`` parts may be empty).

Scoring:

* an error is **caught** when a finding of its category overlaps the span of the
  ``wrong`` substring (any occurrence of it in the text);
* **as other** counts errors not caught but overlapped by a finding of another
  category (the pack reports it under a different id, or the label is wrong);
* **other-cat** counts findings on the error sentences whose category is not among
  the sentence's labels (possible false alarms, or errors the label missed);
* on **clean** sentences, the share with a finding at warning or above (target
  ≤ 1 %) and at any severity.

Exit code is always 0: this is a measurement, not a gate (the packs are still
growing). ``--show`` lists misses and false alarms, optionally only for the given
categories.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from cuomin import Category, Scanner

DEFAULT_DATA = Path(__file__).resolve().parent / "labelled" / "gov_sentences.tsv"
COLUMNS = ["id", "date", "category", "wrong", "right", "text"]
CATEGORIES = [c.value for c in Category]
RECALL_TARGET = 0.95
CLEAN_TARGET = 0.01
WARNING_OR_ABOVE = {"warning", "error"}


@dataclass(frozen=True)
class Error:
    category: str
    wrong: str
    right: str


@dataclass(frozen=True)
class Sentence:
    id: str
    date: dt.date
    errors: tuple[Error, ...]
    text: str
    line: int = 0

    @property
    def clean(self) -> bool:
        return not self.errors

    def spans(self, wrong: str) -> list[tuple[int, int]]:
        """Every occurrence of ``wrong`` in the text, as (start, end)."""
        out, i = [], self.text.find(wrong)
        while i >= 0:
            out.append((i, i + len(wrong)))
            i = self.text.find(wrong, i + 1)
        return out


def parse_row(fields: list[str], line: int) -> Sentence:
    """One TSV row → :class:`Sentence`; raises ``ValueError`` naming what is wrong."""
    if len(fields) != len(COLUMNS):
        raise ValueError(f"expected {len(COLUMNS)} tab-separated columns, got {len(fields)}")
    sid, date, category, wrong, right, text = fields
    if not sid.strip():
        raise ValueError("empty id")
    if not text.strip():
        raise ValueError("empty text")
    try:
        published = dt.date.fromisoformat(date)
    except ValueError:
        raise ValueError(f"date {date!r} is not YYYY-MM-DD") from None
    if not category:
        if wrong or right:
            raise ValueError("clean sentence (empty category) with wrong/right filled in")
        return Sentence(sid, published, (), text, line)
    cats, wrongs = category.split("|"), wrong.split("|")
    rights = right.split("|") if right else [""] * len(cats)
    if not (len(cats) == len(wrongs) == len(rights)):
        raise ValueError(f"category/wrong/right have {len(cats)}/{len(wrongs)}/{len(rights)} parts")
    errors = []
    for c, w, r in zip(cats, wrongs, rights):
        if c not in CATEGORIES:
            raise ValueError(f"unknown category {c!r} (known: {', '.join(CATEGORIES)})")
        if not w:
            raise ValueError(f"empty wrong substring for category {c}")
        if w not in text:
            raise ValueError(f"wrong substring {w!r} does not occur in the text")
        errors.append(Error(c, w, r))
    return Sentence(sid, published, tuple(errors), text, line)


def load_labelled(path: Path) -> tuple[list[Sentence], list[str]]:
    """All well-formed sentences and one message per malformed row (never raises on
    a bad row: a bad record is reported and skipped, the rest is still measured)."""
    sentences: list[Sentence] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        header = fh.readline().rstrip("\r\n").split("\t")
        if header != COLUMNS:
            return [], [f"{path}:1: header must be {' '.join(COLUMNS)} (tab-separated), got {header}"]
        for n, raw in enumerate(fh, start=2):
            raw = raw.rstrip("\r\n")
            if not raw.strip():
                continue
            try:
                s = parse_row(raw.split("\t"), n)
            except ValueError as exc:
                problems.append(f"{path}:{n}: {exc}")
                continue
            if s.id in seen:
                problems.append(f"{path}:{n}: id {s.id} already used on line {seen[s.id]}")
                continue
            seen[s.id] = n
            sentences.append(s)
    return sentences, problems


@dataclass
class Outcome:
    sentence: Sentence
    findings: list = field(default_factory=list)
    caught: dict = field(default_factory=dict)  # Error -> bool
    as_other: dict = field(default_factory=dict)  # Error -> category that overlapped, or ""
    other: list = field(default_factory=list)  # findings outside the labelled categories
    failed: str = ""


def _overlaps(f, spans) -> bool:
    return any(f.start < e and s < f.end for s, e in spans)


def score(scanner: Scanner, sentence: Sentence) -> Outcome:
    out = Outcome(sentence)
    try:
        out.findings = scanner.scan(sentence.text, published=sentence.date)
    except Exception as exc:  # a measurement never dies on one sentence
        out.failed = f"{type(exc).__name__}: {exc}"
        return out
    labels = {e.category for e in sentence.errors}
    for err in sentence.errors:
        spans = sentence.spans(err.wrong)
        hits = [f for f in out.findings if _overlaps(f, spans)]
        out.caught[err] = any(f.category.value == err.category for f in hits)
        out.as_other[err] = "" if out.caught[err] else ",".join(sorted({f.category.value for f in hits}))
    out.other = [f for f in out.findings if f.category.value not in labels]
    return out


def _fmt_finding(f) -> str:
    sugg = f" → {'/'.join(f.suggestions[:2])}" if f.suggestions else ""
    return f"{f.code} {f.severity.value} {f.category.value} {f.text!r}{sugg}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument(
        "--show", nargs="*", default=None, metavar="CATEGORY",
        help="list misses and false alarms (all, or only these categories)",
    )
    ap.add_argument("--limit", type=int, default=1000, help="at most N lines per list")
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"no labelled set at {args.data}; nothing measured", file=sys.stderr)
        return 0
    sentences, problems = load_labelled(args.data)
    for p in problems:
        print(f"skipped: {p}", file=sys.stderr)

    t0 = time.perf_counter()
    scanner = Scanner()
    built = time.perf_counter() - t0
    t0 = time.perf_counter()
    outcomes = [score(scanner, s) for s in sentences]
    elapsed = time.perf_counter() - t0

    total, caught, as_other, other, other_warn = Counter(), Counter(), Counter(), Counter(), Counter()
    clean_warn_by_cat, clean_any_by_cat = Counter(), Counter()
    clean_n = clean_warn = clean_any = 0
    other_all = other_all_warn = 0  # per sentence, so a two-error sentence counts once
    failed = [o for o in outcomes if o.failed]
    for o in outcomes:
        if o.failed:
            continue
        if o.sentence.clean:
            clean_n += 1
            cats_any = {f.category.value for f in o.findings}
            cats_warn = {f.category.value for f in o.findings if f.severity.value in WARNING_OR_ABOVE}
            clean_any += bool(cats_any)
            clean_warn += bool(cats_warn)
            clean_any_by_cat.update(cats_any)
            clean_warn_by_cat.update(cats_warn)
            continue
        other_all += len(o.other)
        other_all_warn += sum(f.severity.value in WARNING_OR_ABOVE for f in o.other)
        for err in o.sentence.errors:
            total[err.category] += 1
            caught[err.category] += o.caught[err]
            as_other[err.category] += bool(o.as_other[err])
            other[err.category] += len(o.other)
            other_warn[err.category] += sum(f.severity.value in WARNING_OR_ABOVE for f in o.other)

    n_err = sum(1 for o in outcomes if not o.failed and not o.sentence.clean)
    print(f"{args.data}: {n_err} error sentences ({sum(total.values())} labelled errors), "
          f"{clean_n} clean sentences; scanner built in {built:.1f} s, scanned in {elapsed:.2f} s")
    print()
    head = f"{'category':12} {'errors':>6} {'caught':>6} {'recall':>7} {'as other':>8} " \
           f"{'other-cat':>9} {'(≥warn)':>7}   {'clean flagged ≥warn / any':>25}"
    print(head)
    print("-" * len(head))
    for cat in CATEGORIES:
        n = total[cat]
        recall = f"{caught[cat] / n:7.1%}" if n else f"{'—':>7}"
        print(f"{cat:12} {n:6} {caught[cat]:6} {recall} {as_other[cat]:8} {other[cat]:9} {other_warn[cat]:7}   "
              f"{clean_warn_by_cat[cat]:14} / {clean_any_by_cat[cat]:<3}")
    n_all, c_all = sum(total.values()), sum(caught.values())
    print("-" * len(head))
    print(f"{'all':12} {n_all:6} {c_all:6} {c_all / max(n_all, 1):7.1%} {sum(as_other.values()):8} "
          f"{other_all:9} {other_all_warn:7}   {clean_warn:14} / {clean_any:<3}")
    print()
    share_warn = clean_warn / max(clean_n, 1)
    share_any = clean_any / max(clean_n, 1)
    print(f"clean sentences flagged: at warning or above {clean_warn}/{clean_n} = {share_warn:.1%}; "
          f"at any severity {clean_any}/{clean_n} = {share_any:.1%}")
    low = [f"{c} {caught[c] / total[c]:.0%}" for c in CATEGORIES if total[c] and caught[c] / total[c] < RECALL_TARGET]
    print(f"target: recall ≥ {RECALL_TARGET:.0%} in every category — "
          + ("met" if not low else f"NOT MET ({', '.join(low)})"))
    print(f"target: clean flagged at warning or above ≤ {CLEAN_TARGET:.0%} — "
          + ("met" if share_warn <= CLEAN_TARGET else f"NOT MET ({share_warn:.1%})"))
    if failed:
        print(f"\n{len(failed)} sentences could not be scanned:")
        for o in failed:
            print(f"  {o.sentence.id}: {o.failed}")

    if args.show is not None:
        wanted = set(args.show) or set(CATEGORIES)
        _show(outcomes, wanted, args.limit)
    return 0


def _show(outcomes, wanted: set[str], limit: int) -> None:
    misses = defaultdict(list)
    for o in outcomes:
        if o.failed or o.sentence.clean:
            continue
        for err in o.sentence.errors:
            if err.category in wanted and not o.caught[err]:
                misses[err.category].append((o, err))
    print("\nMISSES (error sentences whose labelled error no finding of its category covers)")
    for cat in CATEGORIES:
        if not misses[cat]:
            continue
        print(f"\n[{cat}] {len(misses[cat])}")
        for o, err in misses[cat][:limit]:
            s = o.sentence
            fix = f" → {err.right}" if err.right else ""
            note = f"   (covered by {o.as_other[err]})" if o.as_other[err] else ""
            print(f"  {s.id} {s.date} {err.wrong!r}{fix}{note}\n      {s.text}")

    print("\nFALSE ALARMS ON CLEAN SENTENCES")
    _print_findings(((o, o.findings) for o in outcomes if not o.failed and o.sentence.clean), wanted, limit,
                    with_date=True)
    print("\nOTHER-CATEGORY FINDINGS ON ERROR SENTENCES")
    _print_findings(((o, o.other) for o in outcomes if not o.failed and not o.sentence.clean), wanted, limit,
                    with_date=False)


def _print_findings(rows, wanted, limit: int, *, with_date: bool) -> None:
    """Up to ``limit`` findings of the wanted categories, each with its sentence."""
    shown = 0
    for o, findings in rows:
        for f in findings:
            if f.category.value in wanted and shown < limit:
                shown += 1
                date = f" {o.sentence.date}" if with_date else ""
                print(f"  {o.sentence.id}{date} {_fmt_finding(f)}\n      {o.sentence.text}")
    if not shown:
        print("  none")


if __name__ == "__main__":
    sys.exit(main())
