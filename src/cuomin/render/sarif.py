"""SARIF 2.1.0 (``--format sarif``): for GitHub code scanning and other SARIF viewers.

One run; ``tool.driver`` is ``cuomin`` with the rules that have results; one result
per finding with ``ruleId``, ``level`` (error / warning / note), ``message``, a
``region`` (1-based ``startLine``/``startColumn``/``endLine``/``endColumn``, columns
in Unicode code points as ``run.columnKind`` says) and, where the finding has a single
unambiguous suggestion and its text is in the file verbatim, a ``fix``. Findings
suppressed in the document are results too, with ``suppressions: [{kind: inSource}]``,
so a viewer shows them as waived rather than losing them. Inputs that could not be
read are ``toolExecutionNotifications`` and make ``executionSuccessful`` false.

Regions are in the file's own coordinates: source lines and columns for text,
Markdown and HTML; for a Word file, ``startLine`` is the paragraph number and the
location's ``message`` names it ("表格1第2行第3列，第12段").
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path, PurePosixPath
from typing import Iterable, Mapping, Optional
from urllib.parse import quote

from .. import __version__
from ..check import CheckResult
from ..fix import fixable
from ..models import Finding

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def artifact_uri(name: str) -> str:
    """A URI reference for a path: relative paths stay relative (with ``/``),
    absolute ones become ``file://`` URIs; non-ASCII characters are %-encoded."""
    p = Path(name)
    if p.is_absolute():
        return p.as_uri()
    return quote(PurePosixPath(*p.parts).as_posix() if p.parts else name, safe="/")


def _region(start_line: int, start_col: int, end_line: int, end_col: int, snippet: Optional[str] = None) -> dict:
    if end_line == start_line:
        end_col = max(end_col, start_col)
    region = {"startLine": start_line, "startColumn": start_col, "endLine": end_line, "endColumn": end_col}
    if snippet is not None:
        region["snippet"] = {"text": snippet}
    return region


def _message(f: Finding) -> str:
    if f.suggestions:
        shown = "、".join(s if s else "（删除）" for s in f.suggestions)
        return f"{f.message}：“{f.text}” → {shown}"
    return f"{f.message}：“{f.text}”"


def _fingerprint(r: CheckResult, f: Finding) -> str:
    line_start = r.document.text.rfind("\n", 0, f.start) + 1 if r.document else 0
    line_end = r.document.text.find("\n", f.start) if r.document else -1
    context = r.document.text[line_start : line_end if line_end >= 0 else None] if r.document else ""
    return hashlib.sha256(f"{f.code}\0{f.text}\0{context.strip()}".encode("utf-8")).hexdigest()[:32]


def _result(r: CheckResult, f: Finding, uri: str, artifact_index: int, rule_index: dict, suppressed: bool) -> dict:
    reg = r.region(f)
    span = r.source_span(f)
    exact = span is not None and r.document is not None and not r.document.extracted
    location = {
        "physicalLocation": {
            "artifactLocation": {"uri": uri, "index": artifact_index},
            "region": _region(*reg, f.text if exact else None),
        }
    }
    label = r.label(f)
    if label:
        location["message"] = {"text": label}
    res = {
        "ruleId": f.code,
        "ruleIndex": rule_index[f.code],
        "level": LEVELS[f.severity.value],
        "message": {"text": _message(f)},
        "locations": [location],
        "partialFingerprints": {"cuomin/v1": _fingerprint(r, f)},
        "properties": {
            "category": f.category.value,
            "severity": f.severity.value,
            "suggestions": list(f.suggestions),
            "tier": f.tier,
            "confidence": f.confidence,
        },
    }
    if exact and fixable(f):
        res["fixes"] = [
            {
                "description": {"text": f"改为“{f.suggestions[0]}”" if f.suggestions[0] else "删除"},
                "artifactChanges": [
                    {
                        "artifactLocation": {"uri": uri, "index": artifact_index},
                        "replacements": [
                            {"deletedRegion": _region(*reg), "insertedContent": {"text": f.suggestions[0]}}
                        ],
                    }
                ],
            }
        ]
    if suppressed:
        res["suppressions"] = [{"kind": "inSource", "justification": "cuomin-disable / cuomin: ignore in the document"}]
    return res


def _rule(code: str, info, example: Finding) -> dict:
    if info is None:  # a finding from a rule the registry does not know (should not happen)
        return {"id": code, "shortDescription": {"text": example.message}}
    rule = info.rule
    d = {
        "id": code,
        "name": rule.title(),
        "shortDescription": {"text": rule.title()},
        "fullDescription": {"text": rule.reason},
        "defaultConfiguration": {"level": LEVELS[rule.severity.value]},
        "properties": {"category": rule.category.value, "tags": [rule.category.value, rule.category.label]},
    }
    if rule.source:
        d["help"] = {"text": f"{rule.reason}（依据：{rule.source}）"}
    return d


def build_sarif(results: Iterable[CheckResult], rules: Optional[Mapping[str, object]] = None) -> dict:
    """The SARIF log as a dict. ``rules``: code → RuleInfo (``Scanner.rules``)."""
    results = list(results)
    rules = rules or {}
    artifacts: list[dict] = []
    sarif_results: list[dict] = []
    notifications: list[dict] = []
    rule_list: list[dict] = []
    rule_index: dict[str, int] = {}
    for r in results:
        uri = artifact_uri(r.name)
        if r.error:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": r.error},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
                }
            )
            continue
        artifact = {"location": {"uri": uri}}
        if r.document is not None and r.document.sha256:
            artifact["hashes"] = {"sha-256": r.document.sha256}
        artifacts.append(artifact)
        index = len(artifacts) - 1
        for suppressed, findings in ((False, r.findings), (True, r.suppressed)):
            for f in findings:
                if f.code not in rule_index:
                    rule_index[f.code] = len(rule_list)
                    rule_list.append(_rule(f.code, rules.get(f.code), f))
                sarif_results.append(_result(r, f, uri, index, rule_index, suppressed))
    run = {
        "tool": {
            "driver": {
                "name": "cuomin",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": rule_list,
            }
        },
        "invocations": [{"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}],
        "artifacts": artifacts,
        "results": sarif_results,
        "columnKind": "unicodeCodePoints",
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render_sarif(results: Iterable[CheckResult], rules: Optional[Mapping[str, object]] = None) -> Iterable[str]:
    yield json.dumps(build_sarif(results, rules), ensure_ascii=False, indent=2)
