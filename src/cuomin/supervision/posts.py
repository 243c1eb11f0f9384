"""Reading posts and articles from JSON Lines, JSON arrays, API replies, CSV and
workbooks into :class:`Post` records (and, given other :class:`Columns`, other
records: service guides).

Column names may be English (``id``, ``account``, ``text`` …) or the Chinese
headers that supervision platforms and spreadsheets use (账号名称, 正文, 发布时间 …).

Reading streams: one row at a time, so memory does not grow with the input (a
workbook's sheet is read whole: it holds at most 1,048,576 rows). A row
that cannot be used (bad JSON, no text, a date that is not a date) is reported to
``on_problem`` with its file and row, counted, and skipped; the rest of the file is
still read. A file that cannot be read at all is reported once and skipped.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import hashlib
import io
import json
import re
import threading
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping, Optional

from ..cells import cell_text
from ..dates import parse_date_text
from ..encoding import DecodeError, decode_bytes, has_lone_surrogates, replace_lone_surrogates
from ..models import Record
from .sitepages import PAGE_SUFFIXES, AttachmentRow, PageError, PageRow, SitePages, is_page


@dataclass(frozen=True, slots=True, kw_only=True)
class Post(Record):
    """One post or article. ``file``/``row`` say where it was read from. Built with
    keywords; ``published_at`` also takes a datetime or a date string in any form
    :func:`parse_date` reads (a bad one raises :class:`RowError`)."""

    id: str
    account: str = ""
    owner: str = ""
    account_type: str = ""
    title: str = ""
    text: str = ""
    published_at: Optional[dt.date] = None
    url: str = ""
    column: str = ""
    unit: str = ""
    file: str = ""
    row: int = 0

    def __post_init__(self) -> None:
        for name in _POST_TEXT_FIELDS:
            if type(getattr(self, name)) is not str:
                raise TypeError(f"Post.{name} must be a str, not {type(getattr(self, name)).__name__}")
        if self.published_at is not None and type(self.published_at) is not dt.date:
            object.__setattr__(self, "published_at", parse_date(self.published_at))


_POST_TEXT_FIELDS = ("id", "account", "owner", "account_type", "title", "text", "url", "column", "unit", "file")


#: Field → accepted column names (compared after stripping spaces and lower-casing).
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "post_id", "编号", "文章id", "信息id", "稿件id", "序号"),
    "account": ("account", "account_name", "账号名称", "账号", "公众号名称", "新媒体名称", "网站名称"),
    "owner": ("owner", "开设主体", "主办单位", "运营主体", "主管单位"),
    "account_type": ("account_type", "type", "账号类型", "平台", "平台类型"),
    "title": ("title", "标题", "文章标题", "信息标题"),
    "text": ("text", "content", "body", "正文", "内容", "文章内容", "正文内容"),
    "published_at": ("published_at", "date", "published", "发布时间", "发布日期", "日期"),
    "url": ("url", "link", "链接", "网址", "原文链接"),
    "column": ("column", "栏目", "栏目名称"),
    "unit": ("unit", "department", "单位", "部门", "单位/部门", "部门/单位"),
}
_ALIAS_TO_FIELD = {_alias: field for field, names in FIELD_ALIASES.items() for _alias in names}


def _key(name) -> str:
    return re.sub(r"\s+", "", str(name)).lstrip("\ufeff").lower()


def header_map(headers: Iterable) -> dict[int, str]:
    """Column index → field, for the headers of posts we recognise (the first of each wins)."""
    return _map_headers(headers, _ALIAS_TO_FIELD)


def _map_headers(headers: Iterable, alias_to_field: Mapping[str, str]) -> dict[int, str]:
    out: dict[int, str] = {}
    seen: set[str] = set()
    for i, name in enumerate(headers):
        if name is None:
            continue
        field = alias_to_field.get(_key(name))
        if field and field not in seen:
            out[i] = field
            seen.add(field)
    return out


@dataclass(frozen=True)
class Columns:
    """The columns of a kind of record other than posts (service guides…): field →
    accepted column names (compared without spaces, lower-cased), and the fields a file's
    header must have. A :class:`PostReader` given one yields rows of these fields."""

    aliases: Mapping[str, tuple[str, ...]]
    required: tuple[str, ...] = ()
    #: fields whose workbook cells may be hyperlinks: the link's address is read, not its text
    links: tuple[str, ...] = ()

    @functools.cached_property
    def _alias_to_field(self) -> dict[str, str]:
        return {_key(name): field for field, names in self.aliases.items() for name in names}

    def map(self, headers: Iterable) -> dict[int, str]:
        """Column index → field, as :func:`header_map` does for posts."""
        return _map_headers(headers, self._alias_to_field)

    def check(self, mapped: dict[int, str]) -> None:
        """Raise :class:`RowError` naming the first required field the header lacks."""
        for field in self.required:
            if field not in mapped.values():
                raise RowError(f"no {field} column in the header (expected one of: "
                               + ", ".join(self.aliases[field]) + ")")


@dataclass(frozen=True)
class RowProblem:
    """A row (or a whole file, ``row`` = 0) that was skipped, and why."""

    file: str
    row: int
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}" if self.row else self.file
        tail = "; row skipped" if self.row else ""
        return f"{where}: {self.reason}{tail}"


class RowError(ValueError):
    pass


def _undecodable_row(encoding: str) -> RowError:
    """A row that is not valid text in its file's encoding (a line pasted in from a
    file in another): one bad row, whichever reader finds it."""
    return RowError(f"not valid {encoding} text (another encoding? give it with --encoding)")


# ------------------------------------------------------------------ dates
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(value, field: str = "published_at") -> Optional[dt.date]:
    """A date from the forms found in exports: 2023-09-28, 2023/9/28, 2023.9.28,
    2023年9月28日, with an optional time; datetime objects; Excel serial day numbers.
    ``None``/blank → ``None``; anything else raises :class:`RowError` naming ``field``."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # Excel serial day number
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise RowError(f"{field} {value!r} is not a date")
    s = str(value).strip()
    if not s:
        return None
    date = parse_date_text(s)
    if date is not None:
        return date
    raise RowError(f"{field} {s!r} is not a date (expected e.g. 2023-09-28 or 2023年9月28日)")


# ------------------------------------------------------------------ rows → posts
def make_post(fields: dict, file: str, row: int, *, require_text: bool = True) -> Post:
    """A :class:`Post` from field → raw value; raises :class:`RowError` when unusable."""
    text = fields.get("text")
    text = "" if text is None else (text if isinstance(text, str) else cell_text(text))
    published = parse_date(fields.get("published_at"))
    values = {k: cell_text(fields.get(k)) for k in ("id", "account", "owner", "account_type", "title", "url", "column", "unit")}
    if require_text and not text.strip():
        raise RowError("missing text (正文/内容)")
    if not require_text and not (values["column"] or values["account"]):
        raise RowError("neither a column (栏目) nor an account (账号名称)")
    if not values["id"]:
        values["id"] = values["url"] or _derived_id(values, published, file, row)
    return Post(text=text, published_at=published, file=file, row=row, **values)


def _derived_id(values: dict, published: Optional[dt.date], file: str, row: int) -> str:
    """An id for a row that has neither id nor url: from account, title and date (so
    it survives edits to the text), else from the file and row."""
    if values["title"]:
        basis = "|".join([values["account"], values["unit"], values["title"], str(published or "")])
        return "h" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:12]
    return f"{Path(file).name}:{row}"


# ------------------------------------------------------------------ readers
ProblemHandler = Callable[[RowProblem], None]


class PostReader:
    """Iterate the posts of some files; ``problems`` counts what was skipped.

    >>> reader = PostReader(["posts.jsonl"])            # doctest: +SKIP
    >>> for post in reader: ...                         # doctest: +SKIP
    >>> reader.skipped_rows, reader.unreadable_files    # doctest: +SKIP
    """

    def __init__(
        self,
        paths: Iterable,
        *,
        require_text: bool = True,
        encoding: Optional[str] = None,
        on_problem: Optional[ProblemHandler] = None,
        columns: Optional[Columns] = None,
        recursive: bool = True,
    ):
        #: the files read: posts are also read from web pages (sitepages.py), other
        #: records only from tables
        self.suffixes = POST_SUFFIXES + (PAGE_SUFFIXES if columns is None else ())
        #: the files to read, a directory standing for the files of posts in it (and
        #: below it with ``recursive``: see :func:`expand_paths`)
        self.paths = list(expand_paths(paths, recursive=recursive, suffixes=self.suffixes))
        self.require_text = require_text
        #: the fields rows are read into: posts' (:data:`FIELD_ALIASES`) unless given
        self.columns = columns
        self.encoding = encoding
        self.on_problem = on_problem
        self.rows_read = 0
        self.skipped_rows = 0
        self.unreadable_files = 0
        self.problems: list[RowProblem] = []  # kept up to MAX_KEPT, all are counted
        #: read the next workbook in a thread while this file's rows are used (see
        #: :meth:`start_reading_ahead`); a caller that forks turns it off until it has
        self.read_ahead = True
        self._ahead: dict[Path, _SheetAhead] = {}
        self._reading: Optional[int] = None  # index in paths of the file being read
        self._pages: Optional[SitePages] = None  # the web pages among paths, surveyed on first use

    MAX_KEPT = 1000

    def _problem(self, problem: RowProblem) -> None:
        if problem.row:
            self.skipped_rows += 1
        else:
            self.unreadable_files += 1
        if len(self.problems) < self.MAX_KEPT:
            self.problems.append(problem)
        if self.on_problem is not None:
            self.on_problem(problem)

    def report(self, problem: RowProblem) -> None:
        """Count and pass on a skipped row (or unreadable file)."""
        self._problem(problem)

    def __iter__(self) -> Iterator[Post]:
        for raw in self.rows():
            item = parse_row(raw, self.require_text)
            if item is None:
                continue
            if isinstance(item, RowProblem):
                self._problem(item)
                continue
            self.rows_read += 1
            yield item

    def rows(self) -> Iterator["RawRow"]:
        """The rows of every file, not yet made into posts (see :func:`parse_row`): the
        cheap, sequential part of reading. A JSON Lines row is still its line of text,
        so that worker processes can do the parsing. Unreadable files are reported here."""
        for i in range(len(self.paths)):
            yield from self._file_rows(i)

    def blocks(self, rows: int = 32, nbytes: int = 1 << 18) -> Iterator["list[RawRow] | FileBlock"]:
        """The rows of every file in blocks, for worker processes: a JSON Lines or CSV
        file in an ASCII-compatible encoding as :class:`FileBlock` s of about ``nbytes``
        (:class:`LineBlock`, :class:`CsvBlock`: rows the worker reads itself, only the
        block's place travels through the pipe), other files as lists of up to ``rows``
        rows (of one file or several: a web page is a file of one row). Unreadable files
        are reported here."""
        window: list[RawRow] = []
        for i in range(len(self.paths)):
            for item in self._file_rows(i, split=nbytes):
                if isinstance(item, FileBlock):
                    if window:
                        yield window
                        window = []
                    yield item
                    continue
                window.append(item)
                if len(window) >= rows:
                    yield window
                    window = []
        if window:
            yield window

    def start_reading_ahead(self) -> None:
        """Read each next workbook in a thread while the current file's rows are used
        (calamine parses without holding the GIL, so a batch of workbooks is read on a
        second core while this one scans). A caller that forks worker processes turns
        this on once they are started: no thread should run across a fork."""
        self.read_ahead = True
        self._read_next_ahead()

    def _read_next_ahead(self) -> None:
        """Start reading the file after the current one if it is a workbook (only that
        one: at most two sheets are in memory)."""
        if not self.read_ahead or self._reading is None or self._reading + 1 >= len(self.paths):
            return
        path = self.paths[self._reading + 1]
        if path.suffix.lower() in _WORKBOOK_SUFFIXES and path not in self._ahead and path.is_file():
            self._ahead[path] = _SheetAhead(path)

    def _file_rows(self, index: int, split: int = 0) -> Iterator["RawRow | FileBlock"]:
        """The rows of ``paths[index]`` (reading the next workbook ahead meanwhile)."""
        path = self.paths[index]
        self._reading = index
        self._read_next_ahead()
        name = str(path)
        suffix = path.suffix.lower()
        if path.is_dir():  # (one holding files of posts was replaced by them)
            self._problem(RowProblem(name, 0, f"no files of posts in this directory ({' '.join(self.suffixes)})"))
            return
        # JSON Lines and CSV can be cut into byte ranges (FileBlock s) for worker processes
        jsonl, csv_ = functools.partial(self._json, split=split), functools.partial(self._csv, split=split)
        reader = {".jsonl": jsonl, ".ndjson": jsonl, ".json": jsonl, ".csv": csv_, ".tsv": csv_,
                  **dict.fromkeys(_WORKBOOK_SUFFIXES, self._workbook), **dict.fromkeys(PAGE_SUFFIXES, self._page),
                  }.get(suffix) if suffix in self.suffixes else None
        if reader is None:
            kinds = [".jsonl", ".json", ".csv", ".xlsx", ".xls", *([".html"] if PAGE_SUFFIXES[0] in self.suffixes else [])]
            self._problem(RowProblem(name, 0, f"unknown file type {suffix or '(none)'}; "
                                              f"expected {', '.join(kinds[:-1])} or {kinds[-1]}"))
            return
        if not path.exists():
            self._problem(RowProblem(name, 0, "no such file"))
            return
        try:
            for row, payload in reader(path):
                yield payload if isinstance(payload, (FileBlock, RawRow)) else RawRow(name, row, payload)
        except _FileError as exc:
            self._problem(RowProblem(name, 0, str(exc)))
        except PermissionError:
            self._problem(RowProblem(name, 0, "permission denied"))
        except OSError as exc:
            self._problem(RowProblem(name, 0, f"cannot read: {exc.strerror or exc}"))

    # Each reader yields (row number, payload): a fields dict, a JSON Lines line (text, or
    # an EncodedLine still to decode), or a RowError.
    def survey_pages(self, map_chunks: Callable = map) -> None:
        """Survey the web pages among the paths now (see :meth:`SitePages.survey`),
        with ``map_chunks`` spreading the reading over processes; otherwise it is done
        with ``map`` where the first page is read."""
        if self._pages is None:
            self._pages = SitePages(self.paths, self.encoding, common_part=self.require_text)
        self._pages.survey(map_chunks)

    def _page(self, path: Path):
        """A web page: its post, and after a site's last page the site's common part."""
        self.survey_pages()
        try:
            for where, row in self._pages.rows(path):  # (a PageRow or AttachmentRow is read later)
                yield (1, RawRow(where, 1, row)) if where else (1, row)
        except PageError as exc:
            raise _FileError(str(exc)) from None

    def _json(self, path: Path, split: int = 0):
        """JSON Lines, or a JSON array of objects (told by its first character). With
        ``split``, JSON Lines come as ``(first line, LineBlock)`` of about ``split``
        bytes instead of lines where the encoding allows it."""
        with path.open("rb") as fh:
            first = fh.read(4096)
            fh.seek(0)
            encoding = self.encoding or _sniff_encoding(first, path)
            line_encoding = _line_encoding(encoding)  # (an unknown encoding is a file problem)
            opening = _first_line(first, encoding)
            if not opening and len(first) < 4096:
                raise _empty("empty file", "JSON")
            escape = line_encoding is not None
            if opening.startswith("["):  # a JSON array of posts (what many exports and APIs give)
                yield from _array_elements(fh, encoding, escape=escape, columns=self.columns)
                return
            if opening == "{" or opening.startswith("{") and _starts_with_a_reply(fh, encoding, escape, self.columns):
                # objects over several lines (pretty-printed), or API replies wrapping lists of posts
                yield from _json_objects(fh, encoding, escape=escape, columns=self.columns)
                return
            if line_encoding is not None:
                # lines split on the byte \n (never inside a character of UTF-8 or GB18030)
                # and decoded one by one where they are parsed: an undecodable line is one
                # bad row, not the end of the file
                if split:
                    yield from _line_blocks(fh, str(path), line_encoding, split)
                else:
                    yield from _line_rows(fh, 1, line_encoding)
                return
            stream = io.TextIOWrapper(fh, encoding=encoding, errors="strict", newline="")
            line_no = 0
            try:
                for line_no, line in enumerate(stream, 1):
                    line = line.strip().lstrip("\ufeff")
                    if not line:
                        continue
                    yield line_no, line  # parsed by parse_row, possibly in a worker
            except UnicodeDecodeError:
                raise _FileError(f"not valid {encoding} text after line {line_no}; rest of file skipped") from None

    def _csv(self, path: Path, split: int = 0):
        """CSV (TSV by its suffix): the header row is looked for, then each row is read
        into its fields. With ``split``, the rows after the header come as
        :class:`CsvBlock` s of about ``split`` bytes where the file allows it
        (:func:`_csv_cuts`)."""
        with path.open("rb") as fh:
            first = fh.read(65536)
            fh.seek(0)
            encoding = self.encoding or _sniff_encoding(first, path)
            # in an ASCII-compatible encoding, undecodable bytes are kept as escapes
            # (U+DC80…U+DCFF) so that the row holding them is reported, not the file ended
            escape = _line_encoding(encoding) is not None
            stream = io.TextIOWrapper(fh, encoding=encoding, errors="surrogateescape" if escape else "strict", newline="")
            delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
            records = _CsvRecords(stream, delimiter, encoding)
            columns = None
            header = _HeaderSearch(lambda row: self._check_header(row, path))
            for _, row in records:
                if not any(c.strip() for c in row):
                    continue
                if escape and any(_ESCAPED.search(c) for c in row):
                    raise _FileError(f"the header row is not valid {encoding} text; give the encoding with --encoding")
                columns = header(row)
                if columns is not None:
                    break
            if columns is None:
                raise header.failure() or _empty("empty file", "header row")
            blocks = _csv_blocks(path, encoding, delimiter, columns, records.row, split) if split and escape else None
            yield from blocks if blocks is not None else records.fields(columns, escape)

    def _workbook(self, path: Path):
        """Every sheet of a workbook (XLSX, XLSM, or Excel 97–2003 XLS) that has a header,
        read with calamine (Rust): 3–5× faster than openpyxl's streaming reader, which
        took longer than scanning the posts. A sheet is read whole (about its text's size
        in memory; a sheet holds at most 1,048,576 rows of 32,767-character cells), the
        first one here or ahead, in a thread (:meth:`start_reading_ahead`). Rows of a
        sheet after the first name it: ``posts.xlsx#二月``. A sheet without a header (a
        sheet of notes) is left out; when none has one, the first one's problem is the file's."""
        ahead = self._ahead.pop(path, None)
        failure, found, sheets = None, False, 0
        for sheet in ahead.take() if ahead is not None else read_sheets(path):
            sheets += 1
            name = str(path) if sheet.index == 0 else f"{path}#{sheet.name}"
            header = _HeaderSearch(lambda row: self._check_header(row, path))
            rows, columns, links = sheet.rows, None, None
            for row_no in range(1, len(rows) + 1):  # rows are numbered from the sheet's first
                row, rows[row_no - 1] = rows[row_no - 1], None  # (let go of what was used)
                if not any(c not in (None, "") for c in row):
                    continue
                if columns is None:
                    columns = header(row)
                    if columns is None:
                        continue
                    link_fields = self.columns.links if self.columns is not None else _POST_LINKS
                    link_cols = [i for i, f in columns.items() if f in link_fields]
                    if link_cols:
                        links = _SheetLinks(path, sheet.index)
                    continue
                fields = {field: row[i] if i < len(row) else None for i, field in columns.items()}
                for i in link_cols:  # a cell that is a hyperlink ("原文链接", "下载"): its address
                    target = links.get(row_no, sheet.first_col + i, fields[columns[i]])
                    if target:
                        fields[columns[i]] = target
                yield row_no, RawRow(name, row_no, fields)
            found = found or columns is not None
            failure = failure or header.failure()
        if not found:
            raise failure or _empty("its first sheet is empty" if sheets <= 1 else "its sheets are empty", "header row")

    def _check_header(self, row, path: Path) -> dict[int, str]:
        if self.columns is not None:
            columns = self.columns.map(row)
            try:
                self.columns.check(columns)
            except RowError as exc:
                raise _FileError(str(exc)) from None
            return columns
        columns = header_map(row)
        fields = set(columns.values())
        if self.require_text and "text" not in fields:
            raise _FileError(
                "no text column in the header (expected one of: " + ", ".join(FIELD_ALIASES["text"]) + ")"
            )
        if not self.require_text and not ({"column", "account"} & fields):
            raise _FileError("no column (栏目) or account (账号名称) column in the header")
        return columns


#: non-empty rows looked at for the header: a sheet may have a title above it
#: (…检查情况汇总表, 填报单位：…, 填报日期：…)
HEADER_SEARCH_ROWS = 10


class _HeaderSearch:
    """Finds the header row: the first of the first ``HEADER_SEARCH_ROWS`` non-empty rows
    that ``check`` accepts (it returns the columns, or raises :class:`_FileError`). The
    rows above it are a title and notes, left out; when no row is accepted, what was
    wrong with the first is the file's problem."""

    def __init__(self, check: Callable[[list], dict[int, str]]):
        self._check = check
        self._tried = 0
        self._first: Optional[_FileError] = None

    def __call__(self, row: list) -> Optional[dict[int, str]]:
        """The columns if ``row`` is the header, else None (look at the next row)."""
        try:
            return self._check(row)
        except _FileError as exc:
            self._first = self._first or exc
            self._tried += 1
            if self._tried >= HEADER_SEARCH_ROWS:
                raise self._first from None
            return None

    def failure(self) -> Optional[_FileError]:
        """Why no header was found, if rows were looked at (None for a file of no rows)."""
        return self._first


_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
#: the files of posts a directory given as input is searched for
POST_SUFFIXES = (".jsonl", ".ndjson", ".json", ".csv", ".tsv", *_WORKBOOK_SUFFIXES)


def expand_paths(paths: Iterable, *, recursive: bool = True, suffixes: tuple = POST_SUFFIXES) -> Iterator[Path]:
    """``paths``, each directory replaced by the files of posts in it (and below, with
    ``recursive``), in sorted order (a quarter's exports in one folder); ``suffixes``
    says which files those are. Hidden files and directories, and the lock files Office
    leaves beside an open workbook (``~$…``), are left out, and so are tables in a
    folder that holds web pages or below it (a mirrored site's own files: its articles'
    attachments are read through their links). A directory without any stays, to be
    reported."""
    for p in map(Path, paths):
        if not p.is_dir():
            yield p
            continue
        found = sorted(f for f in (p.rglob("*") if recursive else p.iterdir()) if _a_file_of(f, p, suffixes))
        # a folder holding web pages is a mirrored site: the tables in it and below it are
        # its own files (attachments, data for its scripts), not exports of posts
        sites = {f.parent for f in found if is_page(f)}
        if sites:
            found = [f for f in found if is_page(f) or not sites.intersection(f.parents)]
        yield from found or [p]


def _a_file_of(path: Path, root: Path, suffixes: tuple) -> bool:
    hidden = any(part.startswith((".", "~$")) for part in path.relative_to(root).parts)
    return not hidden and path.suffix.lower() in suffixes and path.is_file()


@dataclass
class _Sheet:
    """A workbook's sheet: its rows as lists of cell values (from row 1; from the first
    column that holds anything, whose index, from 0, is ``first_col``), merged cells
    filled with their value."""

    index: int
    name: str
    rows: list
    first_col: int


def read_sheets(path: Path) -> Iterator[_Sheet]:
    """The sheets of a workbook, in order, each read when asked for (the workbook is
    opened once); :class:`_FileError` when it, or a sheet, cannot be read."""
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
    except BaseException as exc:  # ZipError, XmlError, PasswordError … (all CalamineError), OSError
        if not _workbook_failure(exc):
            raise
        kind = path.suffix.lstrip(".").upper()
        raise _FileError(_not_a_workbook(path, kind) or f"not a readable {kind} workbook ({exc})") from None
    with wb:
        for index, name in enumerate(wb.sheet_names):
            try:
                sheet = wb.get_sheet_by_index(index)
                first_col = (sheet.start or (0, 0))[1]
                rows = list(sheet.iter_rows())
                _fill_merged(rows, sheet.merged_cell_ranges or (), first_col)
            except BaseException as exc:
                if not _workbook_failure(exc):
                    raise
                which = "its first sheet" if index == 0 else f"its sheet {name!r}"
                raise _FileError(f"{which} cannot be read ({exc})") from None
            yield _Sheet(index, name, rows, first_col)


#: rows one merged range may cover and still be filled (a sheet-sized merge is layout)
MAX_MERGED_ROWS = 100_000


def _fill_merged(rows: list[list], ranges, first_col: int) -> None:
    """Give the rows of a range merged down a column the value of its first: a sheet that
    merges an account's (账号名称) or a unit's cells over their rows holds it for each
    row, as a person reads it. Merges across columns (a title, a heading row inside the
    table, a header over two columns) are layout, not one value per cell: left alone."""
    for (r1, c1), (r2, _c2) in ranges:
        c = c1 - first_col
        if r2 <= r1 or r2 - r1 >= MAX_MERGED_ROWS or r1 >= len(rows) or not 0 <= c < len(rows[r1]):
            continue
        value = rows[r1][c]
        if value in (None, ""):
            continue
        for r in range(r1 + 1, min(r2, len(rows) - 1) + 1):
            row = rows[r]
            if c >= len(row):
                row.extend([""] * (c - len(row) + 1))
            row[c] = value


#: the posts' fields whose workbook cells may be hyperlinks (see :attr:`Columns.links`)
_POST_LINKS = ("url",)
_HYPERLINK = re.compile(r"<(?:\w+:)?hyperlink\b([^>]*)>")
_ATTR = re.compile(r'([\w:]+)="([^"]*)"')
_CELL = re.compile(r"([A-Z]+)([0-9]+)")


def sheet_links(path: Path, index: int = 0) -> dict[tuple[int, int], str]:
    """The hyperlinks of an XLSX workbook's sheet ``index`` (from 0): ``(row, column)``
    (row from 1, column from 0) → the address. Empty for other workbooks, or when they
    cannot be read: a link is a bonus, never a reason to skip a file."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return {}
    import html
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            sheet = _sheet_part(z, index)
            folder, name = sheet.rsplit("/", 1)
            rels = f"{folder}/_rels/{name}.rels"
            if rels not in z.namelist():
                return {}
            targets = {r["id"]: html.unescape(r["target"]) for r in _RELATIONSHIP.finditer(z.read(rels).decode("utf-8"))
                       if r["type"].endswith("/hyperlink")}
            if not targets:  # (then the sheet's XML, the size of its text, is not read again)
                return {}
            xml = z.read(sheet).decode("utf-8")
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return {}
    links: dict[tuple[int, int], str] = {}
    for link in _HYPERLINK.finditer(xml, max(xml.rfind("<hyperlinks"), 0)):
        attrs = dict(_ATTR.findall(link.group(1)))
        target = targets.get(next((v for k, v in attrs.items() if k.endswith(":id")), ""))
        corners = [_CELL.fullmatch(c) for c in attrs.get("ref", "").split(":")]
        if not target or not all(corners):
            continue
        (c1, r1), (c2, r2) = [(_column_index(c.group(1)), int(c.group(2))) for c in (corners[0], corners[-1])]
        if (r2 - r1 + 1) * (c2 - c1 + 1) > MAX_LINKED_CELLS:  # a link over whole columns: not a cell's
            continue
        for row in range(r1, r2 + 1):
            for col in range(c1, c2 + 1):
                links[(row, col)] = target
    return links


class _SheetLinks:
    """The addresses behind a sheet's cells: its hyperlinks (:func:`sheet_links`), read
    with the header, and its HYPERLINK formulas (:func:`sheet_formula_links`), read once
    a linked column's cell shows something that is not an address — 下载 or 原文链接, as
    Excel and WPS save a formula's value, or nothing, as libraries write formulas without
    one; for an empty cell only when the sheet's XML is under
    :data:`FORMULA_SCAN_BYTES` (a posts export's empty url column is common, and a
    sheet's XML is about its text's size to read again)."""

    def __init__(self, path: Path, index: int):
        self.path, self.index = path, index
        self.links = sheet_links(path, index)
        self.formulas: Optional[dict] = None  # (None: not read)
        self.too_big = False  # to be read for empty cells

    def get(self, row: int, col: int, shown) -> Optional[str]:
        target = self.links.get((row, col))
        if target or _an_address(shown):
            return target
        if self.formulas is None:
            empty = shown in (None, "")
            if empty and self.too_big:
                return None
            self.formulas = sheet_formula_links(self.path, self.index, FORMULA_SCAN_BYTES if empty else None)
            if self.formulas is None:
                self.too_big = True
                return None
        return self.formulas.get((row, col))


def _an_address(value) -> bool:
    """Whether a cell's value reads as a URL or a file's path (not 下载 or 原文链接)."""
    return isinstance(value, str) and any(c in value for c in "./\\:")


#: the largest sheet XML (bytes) read for HYPERLINK formulas when a linked cell is empty
FORMULA_SCAN_BYTES = 4 << 20
_FORMULA_CELL = re.compile(r'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+)([0-9]+)"[^>]*>\s*<(?:\w+:)?f\b[^>]*>([^<]*)<')
_ANY_HYPERLINK = re.compile(rb"(?i)hyperlink\(")
_HYPERLINK_ARG = re.compile(r'\bHYPERLINK\(\s*"((?:[^"]|"")*)"', re.IGNORECASE)


def sheet_formula_links(path: Path, index: int = 0, max_bytes: Optional[int] = None) -> Optional[dict]:
    """The addresses of an XLSX sheet's HYPERLINK formulas (``=HYPERLINK("https://…",
    "下载")``, as generated exports write links): ``(row, column)`` → the address, for a
    first argument written as a string (not a cell's reference). None when the sheet's
    XML is larger than ``max_bytes``; empty for other workbooks or when it cannot be read."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return {}
    import html
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            part = _sheet_part(z, index)
            if max_bytes is not None and z.getinfo(part).file_size > max_bytes:
                return None
            data = z.read(part)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return {}
    if _ANY_HYPERLINK.search(data) is None:
        return {}
    links = {}
    for cell in _FORMULA_CELL.finditer(data.decode("utf-8", "replace")):
        arg = _HYPERLINK_ARG.search(html.unescape(cell.group(3)))
        target = arg.group(1).replace('""', '"').strip() if arg else ""
        if target:
            links[(int(cell.group(2)), _column_index(cell.group(1)))] = target
    return links


#: cells one hyperlink may cover and still be read as each cell's own address
MAX_LINKED_CELLS = 10_000
_RELATIONSHIP = re.compile(r'<Relationship\b(?=[^>]*\bId="(?P<id>[^"]*)")(?=[^>]*\bType="(?P<type>[^"]*)")'
                           r'(?=[^>]*\bTarget="(?P<target>[^"]*)")[^>]*>')


def _sheet_part(z, index: int) -> str:
    """The part name of sheet ``index`` of the workbook ``z`` (a ``zipfile.ZipFile``), in
    the workbook's order, as calamine reads."""
    book = z.read("xl/workbook.xml").decode("utf-8")
    ids = re.findall(r"<(?:\w+:)?sheet\b[^>]*?\b\w+:id=\"([^\"]*)\"", book)
    if index >= len(ids):
        raise ValueError("no such sheet")
    rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    target = {r["id"]: r["target"] for r in _RELATIONSHIP.finditer(rels)}[ids[index]]
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _workbook_failure(exc: BaseException) -> bool:
    """Whether ``exc`` says a workbook cannot be read: calamine's errors are Exceptions,
    but a panic in its Rust code is pyo3's PanicException, a BaseException (python-calamine
    0.8 panics on a workbook with an empty sheet): one bad file, not the end of the batch."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


class _SheetAhead:
    """:func:`read_sheets` of one workbook, its first sheet read in a thread; :meth:`take`
    waits for it and gives the sheets, or raises what reading it raised."""

    def __init__(self, path: Path):
        self._sheets = read_sheets(path)
        self._outcome: tuple = (None, None)
        self._thread = threading.Thread(target=self._read, name="cuomin-read-ahead", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            self._outcome = (next(self._sheets, None), None)
        except BaseException as exc:  # noqa: BLE001 - raised again where the rows are taken
            self._outcome = (None, exc)

    def take(self) -> Iterator[_Sheet]:
        self._thread.join()
        first, exc = self._outcome
        if exc is not None:
            raise exc
        if first is not None:
            yield first
            yield from self._sheets


def _not_a_workbook(path: Path, kind: str) -> Optional[str]:
    """What a file with a workbook's name that is not one is, when it is text: some
    platforms export an HTML table, or CSV, under an .xls name."""
    try:
        with path.open("rb") as fh:
            head = fh.read(2048).removeprefix(codecs.BOM_UTF8)
    except OSError:
        return None
    if not head:
        return f"empty file, not an {kind} workbook"
    if b"\x00" in head or not head.strip():  # a workbook's bytes, however damaged
        return None
    if head.lstrip().startswith(b"<"):
        return (f"not an {kind} workbook but an HTML or XML page (some platforms export tables so): "
                "open it in Excel and save it as .xlsx")
    return f"not an {kind} workbook but plain text: if it is CSV, give it a .csv name"


class _FileError(Exception):
    pass


def _empty(where: str, what: str) -> _FileError:
    """A file with nothing in it: a posts file may hold no posts, but then it still has
    its header row (or its [ ]), so an empty one is more likely an export that failed."""
    return _FileError(f"{where}: no {what}, no posts (an export that failed?)")


@dataclass(frozen=True)
class EncodedLine:
    """A JSON Lines line as read: its bytes and the file's encoding (decoded by
    :func:`parse_row`, possibly in a worker process)."""

    data: bytes
    encoding: str


def _line_rows(lines: Iterable[bytes], first: int, encoding: str) -> Iterator[tuple[int, "EncodedLine"]]:
    """``(line number, EncodedLine)`` for the non-blank lines of a JSON Lines file
    (bytes in an ASCII-compatible encoding), numbered from ``first``."""
    for line_no, data in enumerate(lines, first):
        data = data.strip()
        if line_no == 1 and data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
        if data:
            yield line_no, EncodedLine(data, encoding)


def _line_blocks(fh, name: str, encoding: str, nbytes: int) -> Iterator[tuple[int, "LineBlock"]]:
    """Cut an open JSON Lines file into :class:`LineBlock` s of about ``nbytes``, each
    ending at a line end. The bytes are read here only to count the lines."""
    offset, line_no = 0, 1
    while True:
        data = fh.read(nbytes)
        if not data:
            return
        if not data.endswith(b"\n"):
            data += fh.readline()
        yield line_no, LineBlock(name, offset, len(data), line_no, encoding)
        offset += len(data)
        line_no += data.count(b"\n")


class FileBlock:
    """A stretch of a file's rows that the process handling them reads itself (see
    :meth:`PostReader.blocks`): only where it is travels through the pipe."""

    def rows(self) -> Iterator["RawRow"]:  # pragma: no cover - abstract
        raise NotImplementedError

    def _read(self, offset: int, length: int) -> bytes:
        with open(self.file, "rb") as fh:  # type: ignore[attr-defined]
            fh.seek(offset)
            return fh.read(length) if length >= 0 else fh.read()


@dataclass(frozen=True)
class LineBlock(FileBlock):
    """Lines of a JSON Lines file from line ``first`` on: ``length`` bytes from byte
    ``offset``. Read by :meth:`rows` where they are parsed, so that a worker process
    gets this description instead of the lines."""

    file: str
    offset: int
    length: int
    first: int
    encoding: str

    def rows(self) -> Iterator["RawRow"]:
        data = self._read(self.offset, self.length)
        for line_no, line in _line_rows(data.split(b"\n"), self.first, self.encoding):
            yield RawRow(self.file, line_no, line)


@dataclass(frozen=True)
class CsvBlock(FileBlock):
    """Rows of a CSV file after its header: ``length`` bytes from byte ``offset`` (-1:
    to the end), which begin after ``row`` rows and ``line`` lines of the file, read
    into ``columns`` (cell index → field) where they are parsed. A problem that ends
    the reading of the file (:class:`_CsvRecords`) is the last row, numbered 0."""

    file: str
    offset: int
    length: int
    row: int
    line: int
    encoding: str
    delimiter: str
    columns: tuple[tuple[int, str], ...]

    def rows(self) -> Iterator["RawRow"]:
        # (UTF-8 with a BOM is UTF-8 past the file's start: a block never starts there)
        stream = io.TextIOWrapper(io.BytesIO(self._read(self.offset, self.length)),
                                  encoding=_line_encoding(self.encoding), errors="surrogateescape", newline="")
        records = _CsvRecords(stream, self.delimiter, self.encoding, self.row, self.line)
        try:
            for row_no, fields in records.fields(dict(self.columns), escape=True):
                yield RawRow(self.file, row_no, fields)
        except _FileError as exc:
            yield RawRow(self.file, 0, RowError(str(exc)))


def _csv_blocks(path: Path, encoding: str, delimiter: str, columns: dict[int, str], header_rows: int,
                nbytes: int) -> Optional[Iterator[tuple[int, CsvBlock]]]:
    """The rows of a CSV file after its first ``header_rows`` as ``(row, CsvBlock)`` of
    about ``nbytes`` (:func:`_csv_cuts`), or None when it cannot be cut even there."""
    fh = path.open("rb")
    cuts = _csv_cuts(fh, delimiter.encode("ascii"), header_rows, nbytes)
    start = next(cuts, None)
    if start is None:
        fh.close()
        return None

    def blocks():
        with fh:
            prev = start
            for cut in chain(cuts, [None]):
                offset, rows, lines = prev
                length = cut[0] - offset if cut is not None else -1
                yield rows + 1, CsvBlock(str(path), offset, length, rows, lines, encoding, delimiter,
                                         tuple(columns.items()))
                prev = cut

    return blocks()


#: what may stand right before a quote that opens a field and right after one that
#: closes it, besides the delimiter (and the file's start and end); a quote beside
#: anything else is text to the csv module (王"五, 王 "五"), which :func:`_csv_cuts`
#: does not follow
_FIELD_EDGES = b'\r\n"'
#: bytes of a CSV file read at a time while looking for where to cut it
CSV_CUT_CHUNK = 1 << 20


def _csv_cuts(fh, delimiter: bytes, header_rows: int, nbytes: int) -> Iterator[tuple[int, int, int]]:
    """Where an open CSV file may be cut into blocks of rows: ``(byte offset, rows
    before it, lines before it)``, first right after the first ``header_rows`` rows,
    then at the first line end after every ``nbytes``. The quotes are followed from the
    start of the file and a cut falls on a line end outside quoted fields: the csv
    module's reading, as long as every quote stands at the edge of a field (as CSV
    writers put them). At the first that does not — or a lone CR, a NUL, or a stretch
    that may hold a field longer than the csv module reads — no further cut is made:
    the rest of the file is one block, read as a whole file is."""
    edges = frozenset(delimiter + _FIELD_EDGES)
    quoted = made = False
    rows = lines = base = 0
    last = 0
    prev: Optional[int] = None  # the byte before the chunk (None: the file's start)
    carry = b""
    while True:
        more = fh.read(CSV_CUT_CHUNK)
        data, end_of_file = carry + more, not more
        carry = b""
        if not end_of_file and data.endswith((b'"', b"\r")):  # judged with the byte after it
            data, carry = data[:-1], data[-1:]
        start = pos = 3 if base == 0 and data.startswith(codecs.BOM_UTF8) else 0
        if b"\0" in data or data.count(b"\r") != data.count(b"\r\n"):
            return  # (a lone CR ends a line, and a row outside quotes)
        while True:
            q = data.find(b'"', pos)
            stop = len(data) if q < 0 else q
            if quoted:
                lines += data.count(b"\n", pos, stop)
            else:
                while True:
                    if made:
                        at = max(pos, last + nbytes - base)
                        nl = data.find(b"\n", at, stop) if at < stop else -1
                    else:
                        nl = _nth(data, b"\n", pos, stop, header_rows - rows)
                    if nl < 0:
                        break
                    n = data.count(b"\n", pos, nl + 1)
                    rows, lines, pos = rows + n, lines + n, nl + 1
                    if made and base + pos - last > CSV_FIELD_LIMIT:
                        return
                    last, made = base + pos, True
                    yield last, rows, lines
                n = data.count(b"\n", pos, stop)
                rows, lines = rows + n, lines + n
            if q < 0:
                break
            if quoted:  # a quote that closes a field (or the first of a doubled one)
                ok = q + 1 == len(data) or data[q + 1] in edges
            else:
                before = data[q - 1] if q > start else prev
                ok = before is None or before in edges
            if not ok:
                return
            quoted, pos = not quoted, q + 1
        if end_of_file:
            return
        prev, base = (data[-1] if data else prev), base + len(data)


def _nth(data: bytes, sub: bytes, start: int, stop: int, n: int) -> int:
    """Where the ``n``-th ``sub`` in ``data[start:stop]`` is, or -1."""
    at = start - 1
    for _ in range(n):
        at = data.find(sub, at + 1, stop)
        if at < 0:
            return -1
    return at


@dataclass(frozen=True)
class RawRow:
    """A row as read: ``payload`` is a JSON Lines line, a field → value dict, or a
    :class:`RowError` found while reading."""

    file: str
    row: int
    payload: object


def parse_row(raw: RawRow, require_text: bool = True) -> "Post | RowProblem | None":
    """Make a :class:`Post` of a row, or say why the row is skipped; None for a web
    page that turns out to be no post (:func:`~cuomin.supervision.sitepages.page_fields`)."""
    try:
        fields = raw.payload.fields() if isinstance(raw.payload, (PageRow, AttachmentRow)) else row_fields(raw)
        return None if fields is None else make_post(fields, raw.file, raw.row, require_text=require_text)
    except RowError as exc:
        return RowProblem(raw.file, raw.row, str(exc))
    except PageError as exc:
        return RowProblem(raw.file, 0, str(exc))  # the whole page


def row_fields(raw: RawRow, columns: Optional[Columns] = None) -> dict:
    """Field → value of a row of a :class:`PostReader` (a JSON Lines row is parsed
    here); raises :class:`RowError` saying why the row cannot be read."""
    fields = raw.payload
    if isinstance(fields, RowError):
        raise fields
    if isinstance(fields, EncodedLine):
        try:
            fields = fields.data.decode(fields.encoding).strip()
        except UnicodeDecodeError:
            raise _undecodable_row(fields.encoding) from None
    if isinstance(fields, str):
        fields = _jsonl_fields(fields, columns)
    return fields


def _jsonl_fields(line: str, columns: Optional[Columns] = None) -> dict:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RowError(f"bad JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise RowError("bad JSON (nested too deeply)") from None
    return _object_fields(obj, escaped="\\u" in line, columns=columns)


def _object_fields(obj, *, escaped: bool, columns: Optional[Columns] = None) -> dict:
    """Field → value of a post (or a record of ``columns``) given as a JSON object;
    ``escaped``: its text holds a ``\\u`` escape, which may stand for a lone surrogate
    (half an emoji, cut by the exporter): such a value is read with U+FFFD there, and
    the post is still scanned."""
    if not isinstance(obj, dict):
        raise RowError("not a JSON object")
    keys = tuple(obj)
    fields = {field: obj[keys[i]] for i, field in _key_fields(keys, columns).items()}
    if not fields and columns is None:
        wrapped = _wrapped_records(obj)
        if wrapped is not None:  # {"code": 0, "data": {"list": [...]}}, as APIs give
            where, n = wrapped
            raise RowError(f"not a post but {n} record{'s' if n != 1 else ''} under {where!r} (an API's reply?): "
                           "give the records as a JSON array ([{…}, {…}]) or as JSON Lines, one per line")
    if escaped:
        for field, value in fields.items():
            if isinstance(value, str) and has_lone_surrogates(value):
                fields[field] = replace_lone_surrogates(value)
    return fields


def _wrapped_records(obj: dict, depth: int = 3) -> Optional[tuple[str, int]]:
    """Where an object that is not a post holds a list of posts (objects with a column
    we know), as a dotted path, and how many: breadth-first, ``depth`` levels down."""
    level = [("", obj)]
    for _ in range(depth):
        below = []
        for where, node in level:
            for key, value in node.items():
                path = f"{where}.{key}" if where else str(key)
                if isinstance(value, list) and value and isinstance(value[0], dict) and header_map(value[0]):
                    return path, len(value)
                if isinstance(value, dict):
                    below.append((path, value))
        level = below
    return None


def _key_fields(keys: tuple, columns: Optional[Columns]) -> dict[int, str]:
    """Key index → field for a JSON object's keys: a post's, or a record's of ``columns``."""
    return _json_header_map(keys) if columns is None else columns.map(keys)


@functools.lru_cache(maxsize=256)
def _json_header_map(keys: tuple) -> dict[int, str]:
    """:func:`header_map` for a row's keys: rows of one file share them, so it is
    worked out once (it was ~5% of a batch scan's time)."""
    return header_map(keys)


def _first_line(head: bytes, encoding: str) -> str:
    """The first non-blank line of a file's head, stripped (decoding errors ignored)."""
    text = codecs.getincrementaldecoder(encoding)(errors="ignore").decode(head)
    return next((line.strip() for line in text.lstrip("\ufeff").splitlines() if line.strip()), "")


#: characters of a JSON text (not JSON Lines) read at a time
ARRAY_CHUNK = 1 << 16
_NOT_WHITESPACE = re.compile(r"[^ \t\n\r]")
_NUMBER_GOES_ON = re.compile(r"[0-9.eE+-]+")
#: how deep in an API's reply (``{"data": {"list": [...]}}``) a list of posts is looked for
WRAPPED_DEPTH = 3


class _JsonWindow:
    """A JSON text that is not JSON Lines, read from the binary file ``fh`` through a
    window: values are parsed one at a time, so memory stays flat however long the
    text. Records are numbered by their place in the file. With ``escape`` (an
    ASCII-compatible encoding), bytes not valid in ``encoding`` make their record one
    bad row, as in the other readers. Broken JSON ends the file: where the next record
    starts cannot be known, so the records before it are kept and the rest is reported."""

    def __init__(self, fh, encoding: str, *, escape: bool, columns: Optional[Columns] = None):
        self.stream = io.TextIOWrapper(fh, encoding=encoding, errors="surrogateescape" if escape else "strict",
                                       newline="")
        self.encoding, self.escape, self.columns = encoding, escape, columns
        #: the field that makes an object a record (posts: their text; others: their first required field)
        self.key_field = "text" if columns is None else (columns.required or (None,))[0]
        self.decoder = json.JSONDecoder()
        self.buf, self.pos, self.done_lines, self.eof = "", 0, 0, False  # done_lines: in text dropped from buf
        self.base = 0  # characters dropped from the window's start: buf[i] is character base + i of the text
        self.keep: Optional[int] = None  # a character (base + i) the window keeps, to go back to: an object's start
        self.mark: Optional[int] = None  # and another: a list's "[" while its first element is looked at
        self.n_read = 0
        self.wrapped = False  # a list of records was found inside an object
        self.kind, self.noun = "JSON", "record"  # for messages: "broken JSON array after element 3"
        self.more()
        self.pos = 1 if self.buf.startswith("\ufeff") else 0  # a BOM the encoding given does not drop

    # ---------------------------------------------------------------- the window
    def more(self, n: int = 0) -> None:
        """Read ``n`` (default ``ARRAY_CHUNK``) more characters into the window."""
        if self.keep is not None and self.pos - (self.keep - self.base) > CSV_FIELD_LIMIT:
            self.keep = None  # an object this long is no post (no post is longer than a CSV field may be)
        drop = min([self.pos] + [k - self.base for k in (self.keep, self.mark) if k is not None])
        if drop > ARRAY_CHUNK:  # drop what was parsed (counting its lines)
            self.done_lines += self.buf.count("\n", 0, drop)
            self.buf, self.pos, self.base = self.buf[drop:], self.pos - drop, self.base + drop
        try:
            data = self.stream.read(n or ARRAY_CHUNK)
        except UnicodeDecodeError:
            raise _FileError(f"not valid {self.encoding} text {self.after()}; rest of file skipped") from None
        self.buf += data
        self.eof = not data

    def peek(self) -> str:
        """The next character that is not white space (``pos`` at it), or '' at the end."""
        while True:
            m = _NOT_WHITESPACE.search(self.buf, self.pos)
            if m:
                self.pos = m.start()
                return self.buf[self.pos]
            self.pos = len(self.buf)
            if self.eof:
                return ""
            self.more()

    def value(self) -> tuple[object, int, int]:
        """``(value, start, end)`` of the value at ``pos`` (read further until it is
        complete); ``pos`` moves to its end."""
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buf, self.pos)
                # a number may go on past the window: "0." is read as 0 until "0.5" is in
                if self.eof or end < len(self.buf) and not (
                        type(value) in (int, float) and _NUMBER_GOES_ON.fullmatch(self.buf, end)):
                    break
            except json.JSONDecodeError as exc:  # broken, or not all read yet
                if self.eof or len(self.buf) - self.pos > CSV_FIELD_LIMIT:  # (no post is longer than a CSV field may be)
                    raise self.broken(exc.msg, exc.pos) from None
            except RecursionError:
                raise self.broken("nested too deeply", self.pos) from None
            self.more(max(ARRAY_CHUNK, len(self.buf) - self.pos))
        start, self.pos = self.pos, end
        return value, start, end

    def after(self) -> str:
        return f"after {self.noun} {self.n_read}" if self.n_read else f"before its first {self.noun}"

    def broken(self, what: str, at: int) -> _FileError:
        line = self.done_lines + self.buf.count("\n", 0, at) + 1
        return _FileError(f"broken {self.kind} {self.after()} (line {line}): {what}; rest of file skipped")

    def _after_member(self, close: str) -> None:
        """Past the ``,`` after an element (``close`` "]") or a member ("}")."""
        ch = self.peek()
        if ch == ",":
            self.pos += 1
        elif not ch:
            raise self.broken("the array is not closed" if close == "]" else "an object is not closed", self.pos)
        elif ch != close:
            raise self.broken("expected , or ] after an element" if close == "]" else "expected , or } after a member",
                              self.pos)

    # ---------------------------------------------------------------- records
    def record(self, value, start: int, end: int) -> tuple[int, object]:
        """``(n, fields)`` of the next record; a :class:`RowError` for one that is not an
        object, or holds bytes not valid in the encoding."""
        self.n_read += 1
        try:
            if self.escape and _ESCAPED.search(self.buf, start, end):
                raise _undecodable_row(self.encoding)
            payload = _object_fields(value, escaped=self.buf.find("\\u", start, end) >= 0, columns=self.columns)
        except RowError as exc:
            payload = exc
        return self.n_read, payload

    def array(self) -> Iterator[tuple[int, object]]:
        """The elements of the array at ``pos``, as records."""
        self.pos += 1  # the "["
        while True:
            ch = self.peek()
            if ch == "]":
                self.pos += 1
                return
            if not ch:
                raise self.broken("the array is not closed", self.pos)
            yield self.record(*self.value())
            self._after_member("]")

    def objects(self) -> Iterator[tuple[int, object]]:
        """Objects one after another (one, pretty-printed, or one a line): each a record,
        or an API's reply that holds a list of records (``{"code": 0, "data": {"list":
        [...]}}``), read from where the list is."""
        while True:
            ch = self.peek()
            if not ch:
                return
            if ch != "{":
                raise self.broken("expected an object (a post, or a reply holding a list of posts)", self.pos)
            yield from self._object()

    def _names(self, keys: tuple) -> set:
        return set(_key_fields(keys, self.columns).values())

    def _object(self) -> Iterator[tuple[int, object]]:
        """The object at ``pos``: a record when one of its own members names the key
        field (read whole), else the records of the first list of them found inside it
        (``WRAPPED_DEPTH`` levels down at most); a :class:`RowError` row when neither."""
        self.keep = start = self.base + self.pos
        is_record = named = found = False
        for name, ch in self._members():
            if not (is_record or found) and ch in "[{":
                found = yield from self._look_in(ch, 1)
            else:
                self.value()
                fields = self._names((name,))
                named = named or bool(fields)
                is_record = is_record or self.key_field in fields
        if found:
            return
        kept, self.keep = self.keep is not None, None
        if (is_record or named) and kept:
            end, self.pos = self.pos, start - self.base
            yield self.record(*self.value())
            self.pos = end
        else:
            self.n_read += 1
            yield self.n_read, RowError("a JSON object longer than a post can be that holds no list of posts" if not kept
                                        else "a JSON object that is neither a post nor holds a list of posts")

    def _members(self) -> Iterator[tuple[object, str]]:
        """The members of the object at ``pos``: ``(name, first character of the value)``
        with ``pos`` at the value, which the caller reads before asking for the next."""
        self.pos += 1  # the "{"
        while True:
            ch = self.peek()
            if ch == "}":
                self.pos += 1
                return
            if ch != '"':
                raise self.broken("expected a member's name" if ch else "an object is not closed", self.pos)
            name = self.value()[0]
            if self.peek() != ":":
                raise self.broken("expected : after a member's name", self.pos)
            self.pos += 1
            yield name, self.peek()
            self._after_member("}")

    def _look_in(self, ch: str, depth: int):
        """Look for a list of records in the array or object at ``pos`` (yielding its
        records); return whether one was found. ``pos`` ends after the value."""
        if ch == "[":
            self.mark = self.base + self.pos
            self.pos += 1
            first = self.value()[0] if self.peek() == "{" else None
            self.pos, self.mark = self.mark - self.base, None
            if isinstance(first, dict) and self.key_field in self._names(tuple(first)):
                self.keep = None  # found: the window need not keep the object
                self.wrapped = True
                yield from self.array()
                return True
            self.value()
            return False
        if depth >= WRAPPED_DEPTH:
            self.value()
            return False
        found = False
        for _name, ch in self._members():
            if not found and ch in "[{":
                found = yield from self._look_in(ch, depth + 1)
            else:
                self.value()
        return found


def _array_elements(fh, encoding: str, *, escape: bool, columns: Optional[Columns] = None) -> Iterator[tuple[int, object]]:
    """``(n, fields)`` for the *n*-th element of the JSON array that is the file ``fh``
    (a :class:`RowError` for an element that is not an object): see :class:`_JsonWindow`."""
    window = _JsonWindow(fh, encoding, escape=escape, columns=columns)
    window.kind, window.noun = "JSON array", "element"
    window.peek()  # the "[" (the caller looked)
    yield from window.array()
    if window.peek():
        raise window.broken("more text after the array's end", window.pos)


def _starts_with_a_reply(fh, encoding: str, escape: bool, columns: Optional[Columns]) -> bool:
    """Whether the first object of ``fh`` holds a list of records (an API's reply on
    one line) rather than being one (JSON Lines): walked until that is known, then
    ``fh`` is rewound. Broken JSON there is left for the line reader to report."""
    probe = _JsonWindow(fh, encoding, escape=escape, columns=columns)
    try:
        next(probe.objects(), None)
    except _FileError:
        pass
    probe.stream.detach()  # (without closing fh)
    fh.seek(0)
    return probe.wrapped


def _json_objects(fh, encoding: str, *, escape: bool, columns: Optional[Columns] = None) -> Iterator[tuple[int, object]]:
    """The records of a file of JSON objects (one, pretty-printed; several; or API
    replies wrapping lists of records): see :meth:`_JsonWindow.objects`."""
    yield from _JsonWindow(fh, encoding, escape=escape, columns=columns).objects()


class _LinesToTheEnd:
    """A text stream's lines, noting when the stream is exhausted. The csv module ends a
    row at the end of each line unless a quoted field is open, so a row that was only
    complete once the lines ran out had a quote opened and never closed."""

    def __init__(self, stream):
        self._stream = stream
        self.ended = False

    def __iter__(self):
        yield from self._stream
        self.ended = True


class _CsvRecords:
    """The records of a CSV text stream as ``(row number, cells)``, numbered on from
    ``row`` (lines on from ``line``: a block of a file starts past its first rows). What
    ends the reading of the file is raised as :class:`_FileError`: a quote never
    closed, broken CSV, text not in the encoding. Iterated once, in steps: the header
    is looked for, then :meth:`fields` reads on."""

    def __init__(self, stream, delimiter: str, encoding: str, row: int = 0, line: int = 0):
        if csv.field_size_limit() < CSV_FIELD_LIMIT:  # process-wide: only ever raised
            csv.field_size_limit(CSV_FIELD_LIMIT)
        self._lines = _LinesToTheEnd(stream)
        self._reader = csv.reader(self._lines, delimiter=delimiter)
        self.encoding = encoding
        self.row = row
        self._line = line
        self._records = self._read()

    def __iter__(self):
        return self._records

    def _read(self) -> Iterator[tuple[int, list]]:
        reader, at = self._reader, self._line
        last_line = 0
        try:
            for cells in reader:
                self.row += 1
                first_line, last_line = last_line + 1, reader.line_num
                if self._lines.ended and last_line > first_line:
                    # a quote opened and never closed: the csv module reads the rest
                    # of the file into one field and says nothing
                    raise _FileError(f"a quote (\") opened in row {self.row} (line {at + first_line}) is never closed: "
                                     f"lines {at + first_line}–{at + last_line} cannot be read as rows; rest of file skipped")
                yield self.row, cells
        except UnicodeDecodeError:
            raise _FileError(f"not valid {self.encoding} text after row {self.row}; rest of file skipped") from None
        except csv.Error as exc:
            raise _FileError(f"broken CSV at row {self.row + 1}: {exc}; rest of file skipped") from None

    def fields(self, columns: dict[int, str], escape: bool) -> Iterator[tuple[int, "dict | RowError"]]:
        """The rows still to read, each as its fields (blank rows left out); a row with
        undecodable bytes (kept as escapes when ``escape``) is a :class:`RowError`."""
        for row_no, cells in self:
            if not any(c.strip() for c in cells):
                continue
            if escape and any(_ESCAPED.search(c) for c in cells):
                yield row_no, _undecodable_row(self.encoding)
                continue
            yield row_no, {field: cells[i] if i < len(cells) else None for i, field in columns.items()}


_ESCAPED = re.compile("[\udc80-\udcff]")
#: longest CSV field read (characters). The csv module's default, 131,072, is shorter
#: than some articles with their markup: such a row ended the reading of its file.
#: An unclosed quote still ends it, once the field it opens reaches this.
CSV_FIELD_LIMIT = 1 << 24


def _line_encoding(encoding: str) -> Optional[str]:
    """The encoding to decode a file's lines with one by one, or None when lines cannot
    be cut at the byte \\n (UTF-16 …: ASCII is not written as ASCII). UTF-8 with a BOM
    is UTF-8 line by line (the BOM is dropped from the first). An unknown encoding is
    a file problem."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise _FileError(f"unknown encoding {encoding!r}") from None
    if name == "utf-8-sig":
        return "utf-8"
    return encoding if "\n[,".encode(encoding) == b"\n[," else None


def _sniff_encoding(head: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030: judged on the head."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        decode_bytes(head[: len(head) - 4] if len(head) > 4 else head, name=str(path), encoding="gb18030")
        return "gb18030"
    except DecodeError:
        raise _FileError("neither UTF-8 nor GB18030/GBK text; give the encoding with --encoding") from None


def read_posts(paths: Iterable, **kwargs) -> Iterator[Post]:
    """Shorthand: iterate the posts of ``paths`` (see :class:`PostReader`)."""
    return iter(PostReader(paths, **kwargs))
