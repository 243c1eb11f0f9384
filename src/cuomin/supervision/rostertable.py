"""A roster pack from the table an office keeps of its leaders (领导名单).

One row per post a person held — 姓名, 职务, 简称 (short forms of the title), 任职日期,
免职日期 — in any file :class:`~cuomin.supervision.posts.PostReader` reads (CSV in UTF-8
or GBK, XLSX/XLS with every sheet, JSON). Rows of the same name make one person. A row
that cannot be used (no name or title, a date that is not one, a term that ends before
it begins) is reported with its file and row and left out; the rest make the pack.
:func:`roster_pack` writes the rule as TOML (docs/rule-packs.md#roster-rules) and parses
it back, so what it returns is a pack the Scanner loads.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional

from ..cells import cell_text
from .posts import Columns, PostReader, RowError, RowProblem, parse_date, row_fields

ROSTER_COLUMNS = Columns(
    {
        "name": ("姓名", "名字", "领导姓名", "name"),
        "title": ("职务", "职位", "现任职务", "担任职务", "title", "post"),
        "short": ("简称", "职务简称", "其他写法", "short", "short_titles"),
        "from": ("任职日期", "任职时间", "到任日期", "起始日期", "开始日期", "任期开始", "from", "start"),
        "to": ("免职日期", "免职时间", "离任日期", "卸任日期", "结束日期", "任期结束", "to", "end"),
    },
    required=("name", "title"),
)

_SPLIT = re.compile(r"[、，,;；/\s]+")


@dataclass
class RosterPerson:
    name: str
    #: (titles, from, to) per post, in the order of the rows
    posts: list[tuple[tuple[str, ...], Optional[dt.date], Optional[dt.date]]] = field(default_factory=list)


@dataclass
class RosterTable:
    people: list[RosterPerson]
    problems: list[RowProblem]
    rows: int = 0


def read_roster_table(
    paths: Iterable, *, encoding: Optional[str] = None, on_problem: Optional[Callable[[RowProblem], None]] = None
) -> RosterTable:
    """The people of the roster tables at ``paths`` and the rows left out."""
    problems: list[RowProblem] = []

    def report(problem: RowProblem) -> None:
        problems.append(problem)
        if on_problem is not None:
            on_problem(problem)

    reader = PostReader(paths, require_text=False, encoding=encoding, on_problem=report, columns=ROSTER_COLUMNS)
    people: dict[str, RosterPerson] = {}
    rows = 0
    for raw in reader.rows():
        try:
            name, post = _post(row_fields(raw, ROSTER_COLUMNS))
        except RowError as exc:
            reader.report(RowProblem(raw.file, raw.row, str(exc)))
            continue
        rows += 1
        people.setdefault(name, RosterPerson(name)).posts.append(post)
    return RosterTable(list(people.values()), problems, rows)


def _post(fields: dict):
    """(name, (titles, from, to)) of a row, checked as the pack schema checks a post."""
    from pydantic import ValidationError

    from ..rules.schema import Person

    name = re.sub(r"\s+", "", cell_text(fields.get("name")))
    title = re.sub(r"\s+", "", cell_text(fields.get("title")))
    if not name:
        raise RowError("no 姓名 (name)")
    if not title:
        raise RowError("no 职务 (title)")
    titles = tuple(dict.fromkeys([title, *(t for t in _SPLIT.split(cell_text(fields.get("short"))) if t)]))
    start = parse_date(fields.get("from"), "任职日期")
    end = parse_date(fields.get("to"), "免职日期")
    try:
        Person(name=[name], posts=[{"title": list(titles), "from": start, "to": end}])
    except ValidationError as exc:
        raise RowError(exc.errors()[0]["msg"].removeprefix("Value error, ")) from None
    return name, (titles, start, end)


def roster_pack(
    table: RosterTable,
    *,
    code: str,
    name: str = "领导职务与姓名搭配错误",
    reason: str = "领导职务与姓名搭配错误",
    source: str,
    severity: str = "error",
    off_term_severity: str = "warning",
    origin: str = "",
) -> str:
    """The pack (TOML) of one roster rule with the people of ``table``; raises
    :class:`~cuomin.rules.loader.PackError` when it does not load (a bad code …)."""
    from ..rules.loader import parse_pack

    def s(value: str) -> str:  # a TOML basic string (JSON's escapes are TOML's)
        return json.dumps(value, ensure_ascii=False)

    lines = [f"# A roster pack (docs/rule-packs.md#roster-rules){', from ' + origin if origin else ''}.",
             "# A term runs from its first day up to, not including, its last.", ""]
    lines += ["[[rules]]", f"code = {s(code)}", f"name = {s(name)}", 'kind = "roster"', 'category = "political"',
              f"severity = {s(severity)}", f"off_term_severity = {s(off_term_severity)}", f"reason = {s(reason)}",
              f"source = {s(source)}"]
    for person in table.people:
        lines += ["", "[[rules.people]]", f"name = {s(person.name)}", "posts = ["]
        for titles, start, end in person.posts:
            parts = [f"title = [{', '.join(map(s, titles))}]"]
            if start:
                parts.append(f"from = {start.isoformat()}")
            if end:
                parts.append(f"to = {end.isoformat()}")
            lines.append(f"  {{ {', '.join(parts)} }},")
        lines.append("]")
    text = "\n".join(lines) + "\n"
    parse_pack(text, origin or "<roster>")
    return text
