"""Tables for supervision reports: Markdown, CSV, XLSX and JSON.

Each report is laid out once (headers + rows) and written in any format, so the
Markdown, CSV and XLSX versions of a bulletin table are the same table.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from dataclasses import dataclass
from typing import Any, BinaryIO, Iterable, Sequence, Union

from ..supervision.records import DECISION_LABELS



@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[Any]]


# ------------------------------------------------------------------ generic writers
def _md_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def markdown(table: Table) -> list[str]:
    lines = [
        "| " + " | ".join(_md_cell(h) for h in table.headers) + " |",
        "| " + " | ".join("---:" if _numeric_column(table, i) else "---" for i in range(len(table.headers))) + " |",
    ]
    for row in table.rows:
        lines.append("| " + " | ".join(_md_cell(c) for c in row) + " |")
    return lines


def _numeric_column(table: Table, i: int) -> bool:
    return bool(table.rows) and all(isinstance(r[i], int) and not isinstance(r[i], bool) for r in table.rows)


def csv_text(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.headers)
    writer.writerows(["" if c is None else c for c in row] for row in table.rows)
    return out.getvalue()


def write_xlsx(tables: Sequence[Table], target: Union[str, BinaryIO]) -> None:
    """One sheet per table (bold header row, frozen, columns sized to content)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for table in tables:
        ws = wb.create_sheet(_sheet_title(table.title))
        ws.append(table.headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            ws.append(["" if c is None else c for c in row])
        ws.freeze_panes = "A2"
        for i, header in enumerate(table.headers):
            width = max([_display_width(header)] + [_display_width(r[i]) for r in table.rows[:500]])
            ws.column_dimensions[_column_letter(i + 1)].width = min(60, max(8, width + 2))
    wb.save(target)


def _sheet_title(title: str) -> str:
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return title[:31] or "Sheet"


def _column_letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def _display_width(value: Any) -> int:
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def json_text(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


# ------------------------------------------------------------------ per-account table
ACCOUNT_HEADERS = ["账号名称", "开设主体", "账号类型", "错敏信息数量", "整改情况"]
DETAIL_HEADERS = ["账号名称", "信息编号", "标题", "发布时间", "规则", "类别", "错敏内容", "修改建议", "整改情况",
                  "计入统计", "审核意见", "指纹"]


def account_table(report) -> Table:
    return Table(
        "错敏信息统计",
        ACCOUNT_HEADERS,
        [[r.account, r.owner, r.account_type, r.errors, r.status] for r in report.rows],
    )


def detail_table(report) -> Table:
    rows = []
    for r, counted in report.details:
        rows.append([
            r.account,
            r.post_id,
            r.title,
            r.published_at.isoformat() if r.published_at else "",
            r.code,
            _category_label(r.category),
            r.text,
            "、".join(s if s else "（删除）" for s in r.suggestions),
            r.status(report.deadline, report.as_of),
            "是" if counted else "否",
            DECISION_LABELS.get(r.decision, r.decision or ""),
            r.fingerprint,
        ])
    return Table("错敏信息明细", DETAIL_HEADERS, rows)


def _category_label(category: str) -> str:
    from ..models import CATEGORY_LABELS

    return CATEGORY_LABELS.get(category, category)


def render_accounts(report, fmt: str) -> Union[str, bytes]:
    """The per-account table in ``fmt`` (md, csv, json: text; xlsx: bytes with a
    second sheet listing every finding)."""
    if fmt == "json":
        return json_text([r.to_dict() for r in report.rows]) + "\n"
    table = account_table(report)
    if fmt == "csv":
        return csv_text(table)
    if fmt == "md":
        return "\n".join(markdown(table) + ["", report.summary()]) + "\n"
    if fmt == "xlsx":
        buf = io.BytesIO()
        write_xlsx([table, detail_table(report)], buf)
        return buf.getvalue()
    raise ValueError(f"unknown format {fmt!r}")


# ------------------------------------------------------------------ column freshness
UNIT_HEADERS = ["部门", "存在问题", "检查结果"]
COLUMN_HEADERS = ["部门", "栏目", "本期条数", "最后更新", "未更新天数", "问题"]


def unit_table(report) -> Table:
    return Table("检查不合格单位", UNIT_HEADERS,
                 [[u.unit, "；".join(u.problems), u.result] for u in report.failing_units()])


def column_table(report) -> Table:
    rows = []
    for c in report.columns:
        rows.append([
            c.unit,
            c.column,
            c.items_in_period,
            c.last.isoformat() if c.last else "",
            "" if c.days_since is None else c.days_since,
            "；".join(c.problems),
        ])
    return Table("栏目更新情况", COLUMN_HEADERS, rows)


def render_columns(report, fmt: str, detail: bool = False) -> Union[str, bytes]:
    """The failing-units table (部门 | 存在问题 | 检查结果); ``detail`` adds the
    per-column table (always in JSON and as the XLSX's second sheet)."""
    return _render_judged(report, fmt, unit_table(report), column_table(report), detail, "（无不合格单位）",
                          detail_after=True)


def _render_judged(report, fmt: str, failing: Table, every: Table, detail: bool, none: str, *,
                   detail_after: bool) -> Union[str, bytes]:
    """A report that judges things (units, guides): the failing ones, or with ``detail``
    every one (in Markdown after the failing ones when ``detail_after``, else instead
    of them), then the summary; JSON is the report's dict, XLSX has both tables."""
    if fmt == "json":
        return json_text(report.to_dict()) + "\n"
    if fmt == "csv":
        return csv_text(every if detail else failing)
    if fmt == "md":
        first = every if detail and not detail_after else failing
        lines = markdown(first) if first.rows else [none]
        lines += ["", report.summary()]
        if detail and detail_after:
            lines += ["", *markdown(every)]
        return "\n".join(lines) + "\n"
    if fmt == "xlsx":
        buf = io.BytesIO()
        write_xlsx([failing, every], buf)
        return buf.getvalue()
    raise ValueError(f"unknown format {fmt!r}")


# ------------------------------------------------------------------ service guides
GUIDE_HEADERS = ["部门", "事项名称", "存在问题", "检查结果"]
GUIDE_DETAIL_HEADERS = ["部门", "事项名称", "表格文件", "未核验（链接）", "存在问题", "检查结果", "文件", "行"]


def guide_table(report) -> Table:
    return Table("办事指南不合格事项", GUIDE_HEADERS,
                 [[g.unit, g.name, "；".join(g.problems), g.result] for g in report.failing()])


def guide_detail_table(report) -> Table:
    rows = [[g.unit, g.name, g.forms, g.forms_unverified, "；".join(g.problems), g.result, g.file, g.row]
            for g in report.guides]
    return Table("办事指南检查明细", GUIDE_DETAIL_HEADERS, rows)


def render_guides(report, fmt: str, detail: bool = False) -> Union[str, bytes]:
    """The failing guides (部门 | 事项名称 | 存在问题 | 检查结果); ``detail`` lists every
    guide instead (always in JSON and as the XLSX's second sheet)."""
    return _render_judged(report, fmt, guide_table(report), guide_detail_table(report), detail, "（无不合格事项）",
                          detail_after=False)


# ------------------------------------------------------------------ ledger listing
LEDGER_HEADERS = ["指纹", "整改情况", "账号名称", "信息编号", "规则", "错敏内容", "修改建议", "发现日期", "整改日期",
                  "审核意见", "审核人"]


def ledger_table(rows: Iterable, deadline=None, as_of=None) -> Table:
    out = []
    for r in rows:
        out.append([
            r.fingerprint[:12],
            r.status(deadline, as_of),
            r.account,
            r.post_id,
            r.code,
            r.text,
            "、".join(s if s else "（删除）" for s in r.suggestions),
            r.first_seen.isoformat() if r.first_seen else "",
            r.rectified_on.isoformat() if r.rectified_on else "",
            DECISION_LABELS.get(r.decision, r.decision or ""),
            r.reviewer,
        ])
    return Table("整改台账", LEDGER_HEADERS, out)


def aligned(table: Table) -> list[str]:
    """Plain text columns aligned by display width (Chinese characters are two wide)."""
    cells = [[str(h) for h in table.headers]] + [["" if c is None else str(c) for c in row] for row in table.rows]
    widths = [max(_display_width(row[i]) for row in cells) for i in range(len(table.headers))]
    lines = []
    for row in cells:
        parts = [c + " " * (widths[i] - _display_width(c)) for i, c in enumerate(row)]
        lines.append("  ".join(parts).rstrip())
    return lines
