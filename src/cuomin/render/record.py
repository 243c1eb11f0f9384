"""The sign-off record (``cuomin check --record FILE.md``) for the 三审三校 file.

A Markdown page a reviewer can print, sign and file: when and with what the check
ran (tool version, rule-set version and fingerprint, publication date, threshold,
configuration file), each document with its SHA-256 (so the record is tied to the
exact bytes checked) and counts by severity, every finding, every finding waived by
an inline suppression, and blank lines for the 初审 / 复审 / 终审 names and dates.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Iterable, Optional

from .. import __version__
from ..check import CheckResult, fails, severity_counts
from ..engine.scanner import Scanner
from ..models import SEVERITY_RANK, Finding
from ..rules.loader import PackError, load_pack

SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
FAIL_ON_LABELS = {"error": "错误", "warning": "警告及以上", "info": "提示及以上", "never": "不设阈值"}


def ruleset_version(scanner: Scanner) -> tuple[str, str]:
    """``(packs and their versions, fingerprint)``: the fingerprint is the SHA-256 of
    the pack files' bytes, so two records with the same fingerprint used the same rules."""
    paths = sorted({info.pack for info in scanner.rules.values()})
    h = hashlib.sha256()
    names = []
    for p in paths:
        try:
            h.update(Path(p).read_bytes())
            pack = load_pack(p)
            name = pack.pack.name or Path(p).stem
            names.append(f"{name} {pack.pack.version}".strip())
        except (OSError, PackError):
            h.update(p.encode("utf-8"))
            names.append(Path(p).stem or "(内置规则包)")
    return "，".join(names), h.hexdigest()[:16]


def _cell(s: str) -> str:
    return s.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ") or " "


def _where(r: CheckResult, f: Finding) -> str:
    label = r.label(f)
    return f"{label}第{f.column}字" if label else f"{f.line}:{f.column}"


def _shown_text(f: Finding) -> str:
    """The finding's text; personal data (privacy findings) is masked, so that the
    record, which is filed and passed round, does not spread it further."""
    t = f.text
    if f.category.value != "privacy":
        return t
    keep = 3 if len(t) > 10 else 1 if len(t) > 2 else 0
    return t[:keep] + "*" * (len(t) - keep - min(4, len(t) // 3)) + t[len(t) - min(4, len(t) // 3):]


def _findings_table(rows: list[tuple[CheckResult, Finding]]) -> list[str]:
    out = ["| # | 文件 | 位置 | 代码 | 级别 | 原文 | 建议 | 说明 |", "|---:|---|---|---|---|---|---|---|"]
    for i, (r, f) in enumerate(rows, 1):
        suggestion = "、".join(s if s else "（删除）" for s in f.suggestions) or "—"
        out.append(
            f"| {i} | {_cell(r.name)} | {_where(r, f)} | {f.code} | {SEVERITY_LABELS[f.severity.value]} "
            f"| {_cell(_shown_text(f))} | {_cell(suggestion)} | {_cell(f.message)} |"
        )
    return out


def render_record(
    results: Iterable[CheckResult],
    scanner: Scanner,
    *,
    fail_on: str = "error",
    published: Optional[dt.date] = None,
    config_file: Optional[Path] = None,
    now: Optional[dt.datetime] = None,
) -> str:
    results = list(results)
    now = now or dt.datetime.now().astimezone()
    packs, fingerprint = ruleset_version(scanner)
    reported = [(r, f) for r in results for f in r.findings]
    waived = [(r, f) for r in results for f in r.suppressed]
    unreadable = [r for r in results if r.error]
    failing = fails((f for _, f in reported), fail_on)
    if unreadable:
        verdict = f"未完成：{len(unreadable)} 个文件无法读取，须处理后重新检查"
    elif failing:
        n = sum(1 for _, f in reported if f.severity.rank >= SEVERITY_RANK[fail_on])
        verdict = f"未通过：{n} 处问题达到不通过阈值（{FAIL_ON_LABELS[fail_on]}），须修改或说明理由"
    else:
        verdict = "通过：没有达到不通过阈值的问题" + (f"（另有 {len(reported)} 处低于阈值的问题，见清单）" if reported else "")
    lines = [
        "# 错敏信息检查记录（三审三校）",
        "",
        "| 项目 | 内容 |",
        "|---|---|",
        f"| 检查时间 | {now.isoformat(timespec='seconds')} |",
        f"| 检查工具 | cuomin {__version__} |",
        f"| 规则集版本 | {_cell(packs)}（指纹 {fingerprint}） |",
        f"| 发布日期（日期类规则的依据） | {_dates(results, published, now)} |",
        f"| 不通过阈值 | {fail_on}（{FAIL_ON_LABELS[fail_on]}） |",
        f"| 配置文件 | {_cell(str(config_file)) if config_file else '无'} |",
        f"| 结论 | {verdict} |",
        "",
        "## 受检文件",
        "",
        "| 文件 | 发布日期 | SHA-256 | 错误 | 警告 | 提示 | 已抑制 |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for r in results:
        if r.error:
            lines.append(f"| {_cell(r.name)} | — | 无法读取：{_cell(r.error)} | — | — | — | — |")
            continue
        c = severity_counts(r.findings)
        sha = r.document.sha256 if r.document is not None and r.document.sha256 else "—"
        lines.append(f"| {_cell(r.name)} | {_day(r.published, now)} | `{sha}` | {c['error']} | {c['warning']} | "
                     f"{c['info']} | {len(r.suppressed)} |")
    lines += ["", f"## 问题清单（{len(reported)} 处）", ""]
    lines += _findings_table(reported) if reported else ["未发现问题。"]
    lines += ["", f"## 文内注释豁免的问题（{len(waived)} 处）", ""]
    lines += _findings_table(waived) if waived else ["无。"]
    lines += [
        "",
        "## 审核签字",
        "",
        "初审（责任编辑）：________________　日期：____________",
        "",
        "意见：______________________________________________",
        "",
        "复审（部门负责人）：________________　日期：____________",
        "",
        "意见：______________________________________________",
        "",
        "终审（分管领导）：________________　日期：____________",
        "",
        "意见：______________________________________________",
        "",
    ]
    return "\n".join(lines)


def _day(date: Optional[dt.date], now: dt.datetime) -> str:
    return date.isoformat() if date else "检查当日 " + now.date().isoformat()


def _dates(results: list[CheckResult], published: Optional[dt.date], now: dt.datetime) -> str:
    """The date the rules judged the files at: one for all, or 按文件 when a file gave
    its own (a web page's PubDate)."""
    dates = {r.published for r in results if not r.error}
    if len(dates) > 1:
        return "按文件（网页自带的发布日期；见受检文件）"
    return _day(next(iter(dates)) if dates else published, now)


def write_record(path: Path, text: str) -> None:
    Path(path).write_text(text, encoding="utf-8")
