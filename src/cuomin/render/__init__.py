"""Rendering check results for people and for tools."""

from __future__ import annotations

from typing import Iterable

#: ``cuomin check --format`` choices; the exit code is the same for every one.
CHECK_FORMATS = ("text", "json", "jsonl", "sarif", "rdjson", "github")


def render_check(results, fmt: str = "text", *, colour: bool = False, scanner=None) -> Iterable[str]:
    """Lines of output for check results in one of :data:`CHECK_FORMATS`; SARIF
    describes the rules of ``scanner`` that have results."""
    if fmt == "text":
        from .text import render_text

        return render_text(results, colour=colour)
    if fmt in ("json", "jsonl"):
        from .json import render_json, render_jsonl

        return render_json(results) if fmt == "json" else render_jsonl(results)
    if fmt == "sarif":
        from .sarif import render_sarif

        return render_sarif(results, scanner.rules if scanner is not None else None)
    if fmt == "rdjson":
        from .rdjson import render_rdjson

        return render_rdjson(results)
    if fmt == "github":
        from .github import render_github

        return render_github(results)
    raise ValueError(f"unknown format {fmt!r} (known: {', '.join(CHECK_FORMATS)})")
