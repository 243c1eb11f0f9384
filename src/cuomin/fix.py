"""Applying fixes: only the unambiguous ones.

A finding is fixed automatically only when it has exactly one suggestion, is a
confirmed finding (``tier == "confirmed"``, confidence 1.0: never a suspected 疑似
typo), and the suggestion differs from the text. Everything else (several
suggestions, no suggestion, a date that does not exist) is left for a person.

Fixes are applied to the file's own text (``CheckResult.source_text``): the Markdown
source, the HTML source (when the finding's text is there verbatim), or a Word file's
extracted text. :func:`write_fixed` rewrites text and Markdown files in place, in
their own encoding and line endings, after copying the original to a backup.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from .check import CheckResult, check_document
from .engine.scanner import Scanner
from .models import Finding
from .readers import Document, InputError, parse_text


def fixable(f: Finding) -> bool:
    """Whether ``f`` has one unambiguous, confirmed suggestion."""
    return (
        len(f.suggestions) == 1
        and f.tier == "confirmed"
        and f.confidence >= 1.0
        and f.suggestions[0] != f.text
    )


Edit = tuple  # (start, end, expected text, replacement, *anything)


def apply_fixes(text: str, edits: Iterable[Edit]) -> tuple[str, list[Edit]]:
    """Apply ``(start, end, expected, replacement, ...)`` edits to ``text``: an edit
    that overlaps an earlier one, or whose span does not hold ``expected``, is
    skipped. Returns the new text and the edits applied."""
    out: list[str] = []
    pos = 0
    applied: list[Edit] = []
    for edit in sorted(edits, key=lambda e: (e[0], e[1])):
        start, end, expected, replacement = edit[:4]
        if start < pos or text[start:end] != expected:
            continue
        out.append(text[pos:start])
        out.append(replacement)
        pos = end
        applied.append(edit)
    out.append(text[pos:])
    return "".join(out), applied


@dataclass
class FixOutcome:
    """One document after fixing: the fixed text, what was applied, the findings that
    remain (a fresh check of the fixed text), and where the original was backed up."""

    name: str
    text: str
    applied: list[Finding] = field(default_factory=list)
    remaining: Optional[CheckResult] = None
    backup: Optional[Path] = None
    written: bool = False
    note: str = ""


#: fixes are applied, and the text checked again, at most this many times: one fix can
#: hold another inside it (（县环保局） and 生态环境局), and overlapping edits wait a pass
MAX_FIX_PASSES = 3


def fix_result(scanner: Scanner, result: CheckResult) -> FixOutcome:
    """Apply the unambiguous fixes of ``result`` and check the fixed text again, at the
    date the result was checked at; fixes that overlapped one applied are applied on
    the next pass (at most :data:`MAX_FIX_PASSES`)."""
    doc = result.document
    if doc is None:
        return FixOutcome(result.name, result.text, remaining=result)
    text, applied, current = doc.source_text, [], result
    for _ in range(MAX_FIX_PASSES):
        edits = []
        for f in current.findings:
            span = doc.source_span(f.start, f.end)
            if fixable(f) and span is not None:
                edits.append((span[0], span[1], f.text, f.suggestions[0], f))
        text, done = apply_fixes(text, edits)
        if not done:
            break
        applied += [e[4] for e in done]
        if doc.extracted:
            doc = dataclasses.replace(doc, text=text)
        else:
            doc = parse_text(text, doc.name, doc.kind, sha256=doc.sha256, path=doc.path, encoding=doc.encoding, bom=doc.bom)
        current = check_document(scanner, doc, result.published)
    return FixOutcome(result.name, text, applied, current)


def backup_path(path: Path) -> Path:
    """``draft.md.bak``, or ``draft.md.bak.1`` … when that exists: a backup is never
    overwritten."""
    candidate = path.with_name(path.name + ".bak")
    n = 0
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.bak.{n}")
    return candidate


def write_fixed(doc: Document, fixed_text: str) -> Path:
    """Rewrite ``doc``'s file with ``fixed_text`` in its own encoding, after copying
    the original to a backup (returned). Refuses (InputError) a file that is not text
    or Markdown, a file changed since it was read, and text the encoding cannot hold."""
    if doc.path is None:
        raise InputError(f"{doc.name}: standard input cannot be rewritten; use --fix without --write", doc.name)
    if not doc.writable:
        raise InputError(
            f"{doc.name}: fixes are written only into .txt and .md files; this {doc.kind} file is unchanged "
            "(--fix without --write prints the fixed text)",
            doc.name,
        )
    path = Path(doc.path)
    try:
        current = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{doc.name}: cannot read it again: {exc.strerror}", doc.name) from None
    if doc.sha256 and hashlib.sha256(current).hexdigest() != doc.sha256:
        raise InputError(f"{doc.name}: changed since it was read; not rewritten", doc.name)
    try:
        data = doc.bom + fixed_text.encode(doc.encoding)
    except UnicodeEncodeError as exc:
        raise InputError(f"{doc.name}: the fixed text cannot be written in {doc.encoding} ({exc.reason})", doc.name) from None
    backup = backup_path(path)
    tmp = path.with_name(f".{path.name}.cuomin-tmp")
    try:
        shutil.copy2(path, backup)
        tmp.write_bytes(data)
        shutil.copymode(path, tmp)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"{doc.name}: cannot rewrite: {exc.strerror}", doc.name) from None
    return backup


def fix_results(
    scanner: Scanner,
    results: Iterable[CheckResult],
    *,
    write: bool = False,
) -> list[FixOutcome]:
    """Fix every readable result; with ``write``, rewrite the files that had fixes
    (text and Markdown only: other kinds get a ``note`` and stay unchanged)."""
    outcomes = []
    for r in results:
        if r.error:
            outcomes.append(FixOutcome(r.name, "", remaining=r))
            continue
        o = fix_result(scanner, r)
        if write and o.applied:
            try:
                o.backup = write_fixed(r.document, o.text)
                o.written = True
            except InputError as exc:
                o.note = str(exc)
                o.remaining = r  # the file is as it was
                o.applied = []
        outcomes.append(o)
    return outcomes


def fix_message(o: FixOutcome) -> Optional[str]:
    """One line for standard error about what happened to a document, or None."""
    if o.remaining is None or o.remaining.error:
        return None
    left = len(o.remaining.findings)
    if o.note:
        return o.note
    if o.written:
        return f"{o.name}: 已修正 {len(o.applied)} 处（原文件备份为 {o.backup}），余 {left} 处需人工处理"
    if not o.applied and not left:
        return None  # a clean document: nothing to say
    verb = f"输出中已修正 {len(o.applied)} 处" if o.applied else "无可自动修正之处"
    return f"{o.name}: {verb}，余 {left} 处需人工处理"


def fixed_output(outcomes: Iterable[FixOutcome]) -> str:
    """What ``--fix`` prints: the fixed text of the one input, or of each input under a
    ``==> name <==`` header."""
    readable = [o for o in outcomes if o.remaining is not None and not o.remaining.error]
    if len(readable) == 1:
        return readable[0].text
    parts = []
    for o in readable:
        body = o.text if o.text.endswith("\n") or not o.text else o.text + "\n"
        parts.append(f"==> {o.name} <==\n{body}")
    return "\n".join(parts)
