"""Service guides (办事指南): is each one usable?

Supervisors fail a guide that lacks a key element (设定依据, 申请条件, 办理材料, 办理地点,
办理时间, 办理流程, 办理期限, 收费依据及标准, 咨询电话, 监督投诉电话 …: the list is
configuration), whose phone elements hold no phone number, or whose forms cannot be used:
each form offered both as a blank form (空表) and a filled sample (样表), correctly
labelled and not swapped, in an editable format (doc/docx/xls/xlsx/wps/et, or a PDF with a
text layer), not a picture and not an empty file. Real bulletins cite "样表为空白表",
"空表链接下载的是样表", "空表以图片形式提供".

Guides come one per row (CSV, XLSX/XLS, JSON Lines, a JSON array, API replies), read
by the posts' :class:`~cuomin.supervision.posts.PostReader` with guide columns; a row's
forms are file paths (relative to ``forms_dir``) or links, several in a cell separated
by new lines or semicolons (a workbook cell that is a hyperlink, or a HYPERLINK formula,
gives its address).
Links are not fetched (no network): one whose file was downloaded into ``forms_dir``
under its own name is judged by that file, the others are counted as not verified.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Optional
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel, ConfigDict, Field

from ..cells import cell_text
from .forms import FormFile, inspect_form
from .posts import Columns, PostReader, RowError, RowProblem, row_fields
from .tomlmodels import load_model, parse_model

PASS = "合格"
FAIL = "不合格"


class GuideConfigError(ValueError):
    """A guides configuration that cannot be used; the message names the file."""


class ElementRule(BaseModel):
    """A key element: its column name (and other names exports give it); ``phone``: it
    must hold a phone number; ``allow``: values accepted even though they are in
    ``placeholders`` (收费依据及标准 = 无)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    phone: bool = False
    allow: list[str] = Field(default_factory=list)


class GuideConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    elements: list[ElementRule] = Field(default_factory=list)
    #: values that say nothing: an element holding only one of them is not filled in
    placeholders: list[str] = Field(default_factory=list)
    #: the element that lists the materials: a form it names (《…申请表》) must be offered
    #: for download, as a blank form and a sample ("" to not check)
    materials: str = ""


#: The elements the national indicators name (国办秘函〔2019〕19号: 办事指南要素缺失),
#: with the names exports commonly give their columns.
DEFAULT_CONFIG = """
materials = "办理材料"
placeholders = ["无", "暂无", "待定", "待补充", "略", "空", "null", "none", "n/a", "-", "—", "/", "\\\\", "…", "..."]

[[elements]]
name = "设定依据"
aliases = ["法律依据", "实施依据"]

[[elements]]
name = "申请条件"
aliases = ["受理条件", "办理条件"]

[[elements]]
name = "办理材料"
aliases = ["申请材料", "申报材料", "材料清单"]

[[elements]]
name = "办理地点"
aliases = ["受理地点", "办公地点", "办理地址"]

[[elements]]
name = "办理时间"
aliases = ["受理时间", "办公时间"]

[[elements]]
name = "办理流程"
aliases = ["办理程序", "办事流程"]

[[elements]]
name = "办理期限"
aliases = ["承诺时限", "法定时限", "办结时限", "承诺办结时限", "法定办结时限"]

[[elements]]
name = "收费依据及标准"
aliases = ["收费标准", "收费依据", "是否收费"]
allow = ["无"]

[[elements]]
name = "咨询电话"
aliases = ["咨询方式"]
phone = true

[[elements]]
name = "监督投诉电话"
aliases = ["监督投诉方式", "投诉电话", "监督电话"]
phone = true
"""


def parse_guide_config(text: str, name: str = "<config>") -> GuideConfig:
    config = parse_model(text, name, GuideConfig, GuideConfigError)
    names = [e.name for e in config.elements]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise GuideConfigError(f"{name}: element {twice[0]} is listed twice")
    if config.materials and config.materials not in names:
        raise GuideConfigError(f"{name}: materials: no element is named {config.materials}")
    return config


def load_guide_config(path: Optional[Path] = None) -> GuideConfig:
    """The configuration in ``path``, or :data:`DEFAULT_CONFIG`."""
    return load_model(path, DEFAULT_CONFIG, parse_guide_config, GuideConfigError)


#: a guide's own columns; each element is the field ``element:<name>``
GUIDE_ALIASES = {
    "unit": ("unit", "department", "单位", "部门", "实施主体", "实施机构", "单位/部门", "部门/单位"),
    "name": ("name", "matter", "事项名称", "事项", "服务事项", "办理事项"),
    "url": ("url", "link", "链接", "网址", "指南链接"),
    "blank_forms": ("blank_forms", "blank_form", "空表", "空白表格", "表格下载（空表）"),
    "sample_forms": ("sample_forms", "sample_form", "样表", "示例样表", "填写样例", "填写示范"),
    # blank forms and samples in one column, told apart by their names
    "forms": ("forms", "表格", "表格下载", "申请表格", "附件下载"),
}


def guide_columns(config: GuideConfig) -> Columns:
    aliases = dict(GUIDE_ALIASES)
    for e in config.elements:
        aliases[f"element:{e.name}"] = (e.name, *e.aliases)
    return Columns(aliases, required=("name",), links=("url", "blank_forms", "sample_forms", "forms"))


# ------------------------------------------------------------------ checks
_PHONE = re.compile(
    r"(?<!\d)(?:"
    r"1[3-9]\d{9}"  # mobile
    r"|0\d{2,3}[-－—‐ ]?\d{7,8}"  # landline with its area code
    r"|[48]00[-－ ]?\d{3}[-－ ]?\d{4}"  # 400/800 numbers
    r"|\d{7,8}"  # a local number
    r"|12345|123\d\d"  # government hot lines (12345, 12315, 12369 …)
    r")(?!\d)"
)
_SPLIT_REFS = re.compile(r"[\n;；|]+")
_FORM_MARKS = re.compile(r"空白表格?|空表|样表|样例|示例|范本|填写示范|填写说明|模板|blank|sample|example", re.I)
_NOT_NAME = re.compile(r"[\s()（）【】\[\]〔〕_\-—－·.]+")
_SAMPLE_NAME = re.compile(r"样表|样例|示例|范本|填写示范")
_BLANK_NAME = re.compile(r"空表|空白")


def _file_name(ref: str) -> str:
    return ref.rstrip("/").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]


def _refs(value) -> list[str]:
    """Form references in a cell: a list (JSON), or text with one per line or ``;``."""
    items = value if isinstance(value, list) else _SPLIT_REFS.split(cell_text(value))
    return [s for s in (cell_text(v) for v in items) if s]


def form_name(ref: str) -> str:
    """What a form is called, from its file name: 申请表（空表）.docx → 申请表."""
    stem = _file_name(ref)
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    return _NOT_NAME.sub("", _FORM_MARKS.sub("", stem)) or stem


#: a form in title marks: 《最低生活保障申请表》, 《个体工商户登记（备案）申请书》 (a name
#: without them, "提交申请表一份", cannot be told from the words around it)
_NAMED_FORM = re.compile(r"《([^《》]{0,40}?(?:表|申请书|承诺书))》")


def forms_named(materials: str) -> list[str]:
    """The forms a list of materials names in title marks, in order, once each."""
    return list(dict.fromkeys("".join(m.group(1).split()) for m in _NAMED_FORM.finditer(materials)))


def pair_forms(blanks: list[str], samples: list[str]) -> list[tuple[str, Optional[str], Optional[str]]]:
    """``(form, blank, sample)`` pairs: matched by the form's name; a guide offering one
    blank and one sample pairs them whatever their names."""
    if len(blanks) == 1 and len(samples) == 1:
        return [(form_name(blanks[0]), blanks[0], samples[0])]
    left = list(samples)
    out: list[tuple[str, Optional[str], Optional[str]]] = []
    for blank in blanks:
        name = form_name(blank)
        sample = next((s for s in left if form_name(s) == name), None)
        if sample is not None:
            left.remove(sample)
        out.append((name, blank, sample))
    out.extend((form_name(s), None, s) for s in left)
    return out


def _file_problem(role: str, form: FormFile) -> Optional[str]:
    where = f"{role}“{form.ref}”"
    if form.kind == "missing" and "." not in _file_name(form.ref):
        # "点击下载": the text of a hyperlink, whose address the export left out
        return f"{where}不是文件名或网址（超链接的文字？请导出链接地址或文件路径）"
    if form.kind == "missing":
        return f"{where}文件不存在"
    if form.kind == "empty":
        return f"{where}为空文件"
    if form.kind == "image":
        return f"{where}为图片（{form.detail}），不可编辑"
    if form.kind == "pdf_scanned":
        return f"{where}为扫描件PDF（无文字层），不可编辑"
    if form.kind == "unreadable":
        return f"{where}无法读取（{form.detail}）"
    if form.checked and not form.editable:
        return f"{where}格式不可编辑（{form.detail}）"
    return None


def _label_problem(role: str, ref: str) -> Optional[str]:
    """A file offered as one role whose name says it is the other (空表链接的是样表)."""
    name = _file_name(ref)
    if role == "空表" and _SAMPLE_NAME.search(name) and not _BLANK_NAME.search(name):
        return f"空表“{ref}”的文件名标为样表，疑似链接错误"
    if role == "样表" and _BLANK_NAME.search(name) and not _SAMPLE_NAME.search(name):
        return f"样表“{ref}”的文件名标为空表，疑似链接错误"
    return None


def _content(text: Optional[str]) -> str:
    return re.sub(r"\s+", "", text or "")


def _pair_problems(name: str, blank: FormFile, sample: FormFile) -> list[str]:
    """What is wrong with a blank form and its sample as a pair (both readable)."""
    if blank.sha256 is not None and blank.sha256 == sample.sha256:
        return [f"表格“{name}”的空表与样表是同一文件"]
    if blank.text is None or sample.text is None:  # (a scan, Word 95: no text to compare)
        return []
    b, s = _content(blank.text), _content(sample.text)
    if not s:
        return [f"表格“{name}”的样表没有内容"]
    if s == b:
        return [f"表格“{name}”的样表未填写示例内容（与空表相同）"]
    if len(b) > len(s) and all(ch in b for ch in set(s)) and _filled_in(blank.text, sample.text):
        return [f"表格“{name}”的空表与样表疑似互换（空表内容多于样表）"]
    return []


def _filled_in(fuller: str, emptier: str) -> bool:
    """Whether ``fuller`` is ``emptier`` with things written into it: every line of the
    emptier form is found, in order, at the start of a line of the fuller one."""
    lines = [_content(x) for x in fuller.splitlines() if _content(x)]
    i = 0
    for want in (_content(x) for x in emptier.splitlines() if _content(x)):
        while i < len(lines) and not lines[i].startswith(want):
            i += 1
        if i == len(lines):
            return False
        i += 1
    return True


@dataclass
class GuideStatus:
    """One guide (a row), judged: ``problems`` in the words a bulletin uses."""

    file: str
    row: int
    unit: str
    name: str
    url: str = ""
    problems: list[str] = field(default_factory=list)
    forms: int = 0  # blank and sample files named
    forms_unverified: int = 0  # of them, links (not fetched)

    @property
    def result(self) -> str:
        return FAIL if self.problems else PASS

    def to_dict(self) -> dict:
        return {"unit": self.unit, "name": self.name, "url": self.url, "result": self.result,
                "problems": list(self.problems), "forms": self.forms, "forms_unverified": self.forms_unverified,
                "file": self.file, "row": self.row}


class GuideChecker:
    """Judges guide rows (field → value, as :class:`PostReader` gives them with
    :func:`guide_columns`) against a :class:`GuideConfig`."""

    def __init__(self, config: GuideConfig, forms_dir: Optional[Path] = None):
        self.config = config
        self.forms_dir = forms_dir
        self._placeholders = {p.strip().lower() for p in config.placeholders}
        self._inspected: dict[tuple[str, Path], FormFile] = {}

    def check(self, fields: dict, file: str, row: int) -> GuideStatus:
        name = cell_text(fields.get("name"))
        if not name:
            raise RowError("missing 事项名称 (the matter's name)")
        status = GuideStatus(file, row, cell_text(fields.get("unit")), name, cell_text(fields.get("url")))
        for element in self.config.elements:
            problem = self._element_problem(element, fields.get(f"element:{element.name}"))
            if problem:
                status.problems.append(problem)
        blanks, samples = _refs(fields.get("blank_forms")), _refs(fields.get("sample_forms"))
        for ref in _refs(fields.get("forms")):
            (samples if _SAMPLE_NAME.search(_file_name(ref)) else blanks).append(ref)
        has_form_columns = any(f in fields for f in ("blank_forms", "sample_forms", "forms"))
        if self.config.materials and not blanks and not samples and has_form_columns:
            # forms named in the materials, none offered (an export without form columns
            # says nothing of what is offered; names of offered files are too loose to
            # tell one form missing among several)
            for form in forms_named(cell_text(fields.get(f"element:{self.config.materials}"))):
                status.problems.append(f"{self.config.materials}所列《{form}》未提供空表、样表下载")
        self._check_forms(status, blanks, samples, self.forms_dir or Path(file).parent)
        return status

    def _element_problem(self, element: ElementRule, value) -> Optional[str]:
        text = cell_text(value)
        if not text:
            return f"缺少{element.name}"
        if text.lower() in self._placeholders and text not in element.allow:
            return f"{element.name}未填写实际内容（“{text}”）"
        if element.phone and not _PHONE.search(re.sub(r"(?<=\d)[ \u00a0](?=\d)", "", text)):
            return f"{element.name}无有效号码（“{_short(text)}”）"
        return None

    def _check_forms(self, status: GuideStatus, blanks: list[str], samples: list[str], base: Path) -> None:
        for name, blank_ref, sample_ref in pair_forms(blanks, samples):
            found = {}
            for role, ref in (("空表", blank_ref), ("样表", sample_ref)):
                if ref is None:
                    status.problems.append(f"表格“{name}”缺少{role}")
                    continue
                label = _label_problem(role, ref)
                if label:
                    status.problems.append(label)
                form = self._inspect(ref, base)
                status.forms += 1
                if not form.checked:
                    status.forms_unverified += 1
                    continue
                problem = _file_problem(role, form)
                if problem:
                    status.problems.append(problem)
                else:
                    found[role] = form
            if len(found) == 2:
                status.problems.extend(_pair_problems(name, found["空表"], found["样表"]))

    def _inspect(self, ref: str, base: Path) -> FormFile:
        """:func:`inspect_form`, once per file (guides often share a form). A link whose
        file was downloaded into ``base`` under its own name is judged by that file."""
        key = (ref, base)
        if key not in self._inspected:
            # (a path written on Windows, 表格\申请表.docx, is the same path here)
            form = replace(inspect_form(ref.replace("\\", "/") if os.sep == "/" else ref, base), ref=ref)
            downloaded = base / _url_file_name(ref) if not form.checked and _url_file_name(ref) else None
            if downloaded is not None and downloaded.is_file():
                form = replace(inspect_form(str(downloaded), base), ref=ref)
            self._inspected[key] = form
        return self._inspected[key]


def _url_file_name(url: str) -> str:
    """The file name at the end of a link's path (percent-escapes decoded), or ''."""
    return unquote(urlsplit(url).path.rsplit("/", 1)[-1])


def _short(text: str, n: int = 20) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


@dataclass
class GuideReport:
    guides: list[GuideStatus]
    skipped_rows: int = 0
    unreadable_files: int = 0
    #: file → configured elements its header lacks (each of its guides counts them missing)
    missing_columns: dict[str, list[str]] = field(default_factory=dict)

    def failing(self) -> list[GuideStatus]:
        return [g for g in self.guides if g.problems]

    def summary(self) -> str:
        failing = self.failing()
        units = {g.unit for g in failing}
        forms = sum(g.forms for g in self.guides)
        unverified = sum(g.forms_unverified for g in self.guides)
        line = f"检查办事指南 {len(self.guides)} 项，不合格 {len(failing)} 项"
        line += f"（涉及 {len(units)} 个部门）" if failing else ""
        line += f"；表格文件 {forms} 个"
        line += f"，其中 {unverified} 个为链接，未核验" if unverified else ""
        line += "。"
        for file, names in self.missing_columns.items():
            line += f"\n{file} 没有{'、'.join(names)}列，其中的指南均按缺少该要素计。"
        if self.skipped_rows or self.unreadable_files:
            line += f"\n跳过 {self.skipped_rows} 行、{self.unreadable_files} 个无法读取的文件（见标准错误输出）。"
        return line

    def to_dict(self) -> dict:
        return {
            "guides": [g.to_dict() for g in self.guides],
            "summary": {"guides": len(self.guides), "failing": len(self.failing()),
                        "forms": sum(g.forms for g in self.guides),
                        "forms_unverified": sum(g.forms_unverified for g in self.guides),
                        "skipped_rows": self.skipped_rows, "unreadable_files": self.unreadable_files,
                        "missing_columns": self.missing_columns},
        }


def guide_report(
    paths: Iterable,
    config: Optional[GuideConfig] = None,
    *,
    forms_dir: Optional[Path] = None,
    encoding: Optional[str] = None,
    on_problem: Optional[Callable[[RowProblem], None]] = None,
) -> GuideReport:
    """Read service guides from ``paths`` (one per row) and judge each."""
    config = config or load_guide_config()
    columns = guide_columns(config)
    # a directory: the files in it, not below (the forms are often in a folder beside them)
    reader = PostReader(paths, require_text=False, encoding=encoding, on_problem=on_problem, columns=columns,
                        recursive=False)
    checker = GuideChecker(config, Path(forms_dir) if forms_dir else None)
    report = GuideReport([])
    headers: dict[str, set] = {}
    for raw in reader.rows():
        try:
            fields = row_fields(raw, columns)
            status = checker.check(fields, raw.file, raw.row)
        except RowError as exc:
            reader.report(RowProblem(raw.file, raw.row, str(exc)))
            continue
        report.guides.append(status)
        headers.setdefault(raw.file, set()).update(fields)
    for file, seen in headers.items():
        missing = [e.name for e in config.elements if f"element:{e.name}" not in seen]
        if missing:
            report.missing_columns[file] = missing
    report.skipped_rows = reader.skipped_rows
    report.unreadable_files = reader.unreadable_files
    return report
