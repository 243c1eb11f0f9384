"""Rendering the rule registry for ``cuomin rules``."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Iterable

from ..engine.scanner import RuleInfo, Scanner
from ..models import CATEGORY_LABELS


def _pad(s: str, width: int) -> str:
    w = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
    return s + " " * max(0, width - w)


def rule_record(info: RuleInfo) -> dict:
    r = info.rule
    return {
        "code": r.code,
        "name": r.title(),
        "kind": r.kind,
        "category": r.category.value,
        "severity": r.severity.value,
        "entries": info.entry_count,
        "tag": r.tag,
        "source": r.source,
        "pack": Path(info.pack).name,
    }


def render_rules(scanner: Scanner, fmt: str = "text") -> Iterable[str]:
    infos = scanner.active_rules()
    if fmt == "json":
        yield json.dumps([rule_record(i) for i in infos], ensure_ascii=False, indent=2)
        return
    yield f"{'code':8} {'category':12} {'severity':8} {'entries':>7}  {_pad('name', 28)} source"
    per_category: Counter = Counter()
    for info in infos:
        rec = rule_record(info)
        per_category[rec["category"]] += rec["entries"]
        source = rec["source"] if len(rec["source"]) <= 48 else rec["source"][:47] + "…"
        yield (
            f"{rec['code']:8} {rec['category']:12} {rec['severity']:8} {rec['entries']:7}  "
            f"{_pad(rec['name'], 28)} {source}"
        )
    yield ""
    yield "entries per category: " + ", ".join(
        f"{cat} {CATEGORY_LABELS[cat]} {n}" for cat, n in sorted(per_category.items())
    )
    yield f"{len(infos)} rules, {sum(per_category.values())} entries"


def example_text(ex) -> str:
    """An example with the publication date it is checked at, if any."""
    return ex.text + (f" ({ex.date})" if ex.date else "")


def entry_notes(entry) -> list[str]:
    """What sets an entry apart from its rule: date, boundary check, context, reason."""
    notes = []
    if entry.effective:
        notes.append(f"effective {entry.effective}")
    if entry.boundary:
        notes.append("boundary")
    if entry.context and not entry.context.is_empty():
        notes.append(f"context {entry.context.model_dump(exclude_defaults=True)}")
    if entry.reason:
        notes.append(entry.reason)
    return notes


def term_text(term) -> str:
    """A roster post: its titles and term, ``国务院总理（总理） 2013-03-15 – 2023-03-11``."""
    titles = term.title[0] + (f"（{'、'.join(term.title[1:])}）" if len(term.title) > 1 else "")
    if term.start is None and term.end is None:
        return titles
    return f"{titles} {term.start or '…'} – {term.end or ''}".rstrip()


def render_rule(info: RuleInfo) -> Iterable[str]:
    r = info.rule
    yield f"{r.code}  {r.title()}"
    yield f"  category: {r.category.value} ({CATEGORY_LABELS[r.category.value]})   severity: {r.severity.value}   kind: {r.kind}"
    yield f"  reason:   {r.reason}"
    yield f"  source:   {r.source}"
    if r.tag:
        yield f"  tag:      {r.tag}"
    if r.effective:
        yield f"  effective: {r.effective} (not reported in documents dated earlier)"
    if r.boundary:
        yield "  boundary: hits must align with word boundaries (jieba)"
    if r.context and not r.context.is_empty():
        yield f"  context:  {r.context.model_dump(exclude_defaults=True)}"
    for name in ("pattern", "trigger", "anchor", "validator", "check"):
        value = getattr(r, name)
        if value:
            yield f"  {name + ':':9} {value}"
    yield f"  pack:     {info.pack}"
    for ex in r.match:
        yield f"  ✗ {example_text(ex)}"
    for ex in r.nomatch:
        yield f"  ✓ {example_text(ex)}"
    if r.people:
        yield f"  people ({len(r.people)}; a term runs from its first day up to, not including, its last):"
        yield f"  off-term severity: {r.off_term_severity.value} (a title the person held at another date)"
    for p in r.people:
        yield f"    {'、'.join(p.name)}: " + "; ".join(term_text(t) for t in p.posts)
        for ex in p.match:
            yield f"      ✗ {example_text(ex)}"
        for ex in p.nomatch:
            yield f"      ✓ {example_text(ex)}"
    if r.entries:
        yield f"  entries ({info.entry_count} wrong forms):"
    for e in r.entries:
        right = "、".join(e.right) if e.right else "—"
        notes = entry_notes(e)
        yield f"    {'、'.join(e.wrong)} → {right}" + (f"  [{'; '.join(notes)}]" if notes else "")
        for ex in e.match:
            yield f"      ✗ {example_text(ex)}"
        for ex in e.nomatch:
            yield f"      ✓ {example_text(ex)}"
