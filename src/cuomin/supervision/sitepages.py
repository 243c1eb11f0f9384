"""Web pages saved from a government website, read as posts.

A mirrored site (``wget --mirror``, a CMS export of static pages) is a folder of HTML
pages. Each article page becomes one post: the site (``<meta name="SiteName">``) is its
account, ``ColumnName`` its column, ``ArticleTitle`` (else ``<title>``) its title,
``PubDate`` its date, ``Url`` its address and id — the meta tags the State Council's
政府网站发展指引 (国办发〔2017〕47号) asks of every article page. The site is also the
unit (部门) a column report names: ``ContentSource`` says where an article came from,
not who keeps the column.

A WeChat article saved from ``mp.weixin.qq.com`` is a post of its account (the page
script's ``nickname``), of type 微信公众号, with its title, address and publication time
from the same script (readers/html.py); only the article itself is its text.

A page without them still reads: its site is the folder named after its host (where
``wget --mirror`` puts it) or else its folder, its title ``<title>``. A page
with the site's tags but no ``ArticleTitle`` is a column's list or the home page, not an
article: it is no post (its lines still count towards the site's common part). For column
reports a list page with a ``ColumnName`` declares that column, so a column whose list
page is there but none of its articles is blank (空白栏目).

**Navigation, headers and footers are counted once.** They repeat on every page, and
a wrong name in a footer is one problem, not one per page. So the pages of a batch are
surveyed first: a line (a block of the page's visible text) found on
``BOILERPLATE_PAGES`` or more pages of one site is the site's, not the page's. It is
left out of each page and checked once, in one more post per site, ``页面公共部分``
(only where text is checked: it is not an item a column published). A page with nothing
of its own left is no post.

**Attachments (附件) are posts too, where text is checked.** A document an article links
to — a PDF, Word, WPS, RTF or spreadsheet file saved in the mirror (by a relative link, one from the
site's root, or an address on a host the mirror saved; never a file outside the mirror)
— is read as a post of the article that published it, the earliest page that links to
it: that page's site, column and date, the link's text (else the file's name) as its
title. One no page links to is not read; one that cannot be read (a scan, a password) is
reported. Column reports leave them out: an attachment is part of its article, not an
item of the column.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional
from urllib.parse import unquote, urljoin, urlsplit

from ..encoding import DecodeError, decode_text

PAGE_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
#: a line on this many pages of a site or more is the site's template, not an article's
BOILERPLATE_PAGES = 3
ACCOUNT_TYPE = "政府网站"
COMMON_PART = "页面公共部分"
ATTACHMENT = "附件"
#: a page larger than this is not an article (and is not read whole)
MAX_PAGE_BYTES = 16 * 1024 * 1024
#: pages read in the survey are kept for their turn up to this many characters of text;
#: the rest are read again (parsing HTML is most of the time a site's scan takes)
KEEP_CHARS = 8_000_000
#: pages a task of the survey reads (~100 KB of HTML)
SURVEY_CHUNK = 16


class PageError(ValueError):
    """A page that cannot be read; the message says why."""


@dataclass
class _Site:
    name: str
    #: hash of a line → how many pages it is on (a hash, not the line: a big site has
    #: hundreds of thousands of paragraphs, and only the template's are wanted)
    seen: dict = field(default_factory=dict)
    #: hash → the line, for the lines on ``BOILERPLATE_PAGES`` pages or more
    common: dict = field(default_factory=dict)
    last: Optional[Path] = None
    #: one copy of each line of the pages kept from the survey (while it runs)
    canon: dict = field(default_factory=dict)
    #: the common lines, once the survey is done
    lines: frozenset = frozenset()
    #: the documents its articles link to, in the order first linked: path → AttachmentRow
    attachments: dict = field(default_factory=dict)
    #: the columns its list pages name (ColumnName), in the order met
    columns: dict = field(default_factory=dict)

    def add(self, lines) -> None:
        seen = self.seen
        for h, line in {hash(x): x for x in lines}.items():  # once per page
            n = seen[h] = seen.get(h, 0) + 1
            if n == BOILERPLATE_PAGES:
                self.common[h] = line


def is_page(path: Path) -> bool:
    return path.suffix.lower() in PAGE_SUFFIXES


def read_page(path: Path, encoding: Optional[str] = None):
    """The :class:`~cuomin.readers.html.Page` of an HTML file; raises :class:`PageError`."""
    from ..readers.html import parse_page

    try:
        size = path.stat().st_size
        if size > MAX_PAGE_BYTES:
            raise PageError(f"{size / 1e6:.0f} MB: too large for a web page (over {MAX_PAGE_BYTES >> 20} MB)")
        data = path.read_bytes()
    except OSError as exc:
        raise PageError(f"cannot read: {exc.strerror or exc}") from None
    if not data.strip():
        raise PageError("empty file")
    try:
        text, _, _ = decode_text(data, name=str(path), encoding=encoding)
    except DecodeError as exc:
        raise PageError(str(exc).removeprefix(f"{path}: ")) from None
    return parse_page(text)


def _a_list_page(meta: dict) -> bool:
    """A page that gives the site's tags but no ArticleTitle: a column's list of
    articles, or the home page — not an article."""
    return "articletitle" not in meta and ("sitename" in meta or "columnname" in meta)


def site_name(page, path: Path) -> str:
    """The site a page belongs to: ``SiteName``, else ``SiteDomain``, else the folder
    named after a host that holds it (``wget --mirror`` puts a site under
    ``www.qingxi.gov.cn/``), else its folder."""
    named = page.meta.get("sitename") or page.meta.get("sitedomain")
    if named:
        return named
    host = next((d.name for d in path.parents if _HOST.fullmatch(d.name)), None)
    return host or path.parent.name


_HOST = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


class SitePages:
    """The pages among ``paths``, surveyed (:meth:`survey`) for each site's common lines
    before the first page is read as a post."""

    def __init__(self, paths: Iterable[Path], encoding: Optional[str] = None, *, common_part: bool = True):
        self.paths = list(dict.fromkeys(p for p in paths if is_page(p)))  # a page named twice is surveyed once
        self.encoding = encoding
        #: yield each site's common part as a post (for scanning, not for column reports)
        self.common_part = common_part
        self._sites: Optional[dict[str, _Site]] = None
        self._site_of: dict[Path, _Site] = {}
        self._kept: dict[Path, object] = {}  # pages read in the survey, not yet used
        self._failed: dict[Path, str] = {}  # pages the survey could not read, and why

    def survey(self, map_chunks: Callable = map) -> None:
        """Read every page once, counting each site's lines (done once; :meth:`rows`
        does it when it has not been done). Parsing HTML is most of the time a site's
        scan takes: ``map_chunks(function, chunks)`` (``map`` by default) may spread it
        over processes, as long as it gives the results in order."""
        if self._sites is not None:
            return
        self._sites = {}
        room = KEEP_CHARS
        chunks = [self.paths[i : i + SURVEY_CHUNK] for i in range(0, len(self.paths), SURVEY_CHUNK)]
        for chunk, pages in zip(chunks, map_chunks(functools.partial(read_pages, encoding=self.encoding), chunks)):
            for path, page in zip(chunk, pages):
                if isinstance(page, PageError):
                    self._failed[path] = str(page)  # reported when the page's turn comes
                    continue
                name = site_name(page, path)
                site = self._sites.setdefault(name, _Site(name))
                site.add(page.lines)
                size = sum(map(len, page.lines))
                if size <= room:
                    # kept with the site's copy of each line: the template's lines once
                    # for all its pages
                    canon = site.canon
                    self._kept[path] = replace(page, lines=tuple(canon.setdefault(x, x) for x in page.lines))
                    room -= size
                site.last = path
                self._site_of[path] = site
                if self.common_part and page.documents and not _a_list_page(page.meta):
                    self._attach(site, page, path)
                elif not self.common_part and _a_list_page(page.meta) and page.meta.get("columnname"):
                    site.columns.setdefault(page.meta["columnname"], None)
        for site in self._sites.values():
            site.canon = {}
            site.lines = frozenset(site.common.values())

    def _attach(self, site: _Site, page, path: Path) -> None:
        """Note the documents ``page`` links to that are in the mirror. The earliest page
        that links to one (by date, then by path; an undated page last) is the article
        that published it: it gives the post's column, date and title."""
        for href, text in page.documents:
            local = _local_file(href, path)
            if local is None:
                continue
            known = site.attachments.get(local)
            if known is not None and not _earlier(page.published, known.published):
                continue
            page_url = page.meta.get("url", "")
            site.attachments[local] = AttachmentRow(
                str(local), site.name, text or local.name, page.meta.get("columnname", ""), page.published,
                urljoin(page_url, href) if page_url else "")

    def rows(self, path: Path) -> Iterator[tuple[str, object]]:
        """``(where, fields)``: the page's post (``where`` empty), if anything of its own
        is left; after the site's last page the site's common part and its attachments
        (``where`` names them). A page the survey did not keep comes as a
        :class:`PageRow`, an attachment as an :class:`AttachmentRow`: read where it is
        made into a post (perhaps in a worker process). Raises :class:`PageError`."""
        self.survey()
        if path in self._failed:
            raise PageError(self._failed[path])
        site = self._site_of[path]
        page = self._kept.pop(path, None)
        if page is None:
            yield "", PageRow(str(path), self.encoding, site.name, site.lines)
        else:
            fields = page_fields(page, str(path), site.name, site.lines)
            if fields is not None:
                yield "", fields
        if self.common_part and site.last == path and site.common:
            yield f"{site.name}#{COMMON_PART}", {
                "id": f"{site.name}#{COMMON_PART}",
                "account": site.name,
                "account_type": ACCOUNT_TYPE,
                "title": f"{COMMON_PART}（导航、页眉、页脚等，出现在{BOILERPLATE_PAGES}个及以上页面）",
                "unit": site.name,
                "text": "\n".join(site.common.values()),
            }
        if site.last == path:
            for attachment in site.attachments.values():
                yield attachment.path, attachment
            # a column's list page declares the column (for column reports): one with no
            # article is a blank column (空白栏目), as its list page shows 暂无信息
            for column in site.columns:
                yield f"{site.name}#{column}", {"id": f"{site.name}#{column}", "account": site.name,
                                                "unit": site.name, "column": column}


def read_pages(paths: list, encoding: Optional[str] = None) -> list:
    """The :class:`~cuomin.readers.html.Page` of each path, or the :class:`PageError`
    saying why it cannot be read (a task of the survey, perhaps in a worker process)."""
    out: list = []
    for path in paths:
        try:
            out.append(read_page(path, encoding))
        except PageError as exc:
            out.append(exc)
    return out


def page_fields(page, path: str, site: str, common: frozenset) -> Optional[dict]:
    """A post's fields for an article page, without the lines of its site's common part;
    None for a list page or a page with nothing of its own left."""
    meta = page.meta
    if _a_list_page(meta):
        return None
    lines = [line for line in page.lines if line not in common]
    title = meta.get("articletitle") or page.title
    if title and lines and lines[0] == title:
        lines = lines[1:]  # the heading repeats the title
    if not lines:
        return None
    return {
        "id": meta.get("url") or path,
        "account": site,
        "account_type": meta.get("accounttype") or ACCOUNT_TYPE,
        "title": title,
        "text": "\n".join(lines),
        "published_at": page.published,
        "url": meta.get("url", ""),
        "column": meta.get("columnname", ""),
        "unit": site,
    }


def _earlier(date, than) -> bool:
    return date is not None and (than is None or date < than)


def _local_file(href: str, page: Path) -> Optional[Path]:
    """The file of the mirror a link of ``page`` points to, if it is there: a relative
    link, one from the site's root (the folder named after its host), or an address on
    that host or another the mirror saved (a folder beside it)."""
    try:
        link = urlsplit(href)
    except ValueError:
        return None
    if link.scheme not in ("", "http", "https"):
        return None
    target = unquote(link.path)
    if not target:
        return None
    # the site's root: the folder named after its host (wget --mirror), beside which a
    # mirror keeps the other hosts it saved (files.qingxi.gov.cn/…)
    site_root = next((d for d in page.parents if _HOST.fullmatch(d.name)), None)
    if link.netloc or target.startswith("/"):
        if site_root is None:
            return None
        local = (site_root.parent / link.netloc if link.netloc else site_root) / target.lstrip("/")
    else:
        local = page.parent / target
    # never a file outside the mirror (../../ out of it): the mirror's folder, or for
    # pages not under a host's folder, the folder above the page's
    mirror = os.path.normpath(site_root.parent if site_root is not None else page.parent.parent)
    try:
        local = Path(os.path.normpath(local))
        if os.path.commonpath([mirror, str(local)]) != mirror:
            return None
        return local if local.is_file() else None
    except (OSError, ValueError):
        return None


@dataclass(frozen=True)
class AttachmentRow:
    """A document an article attaches, still to read (where it is made into a post),
    with what its post takes from that article (the earliest page that links to it)."""

    path: str
    site: str
    title: str
    column: str
    published: Optional[object]
    url: str

    def fields(self) -> Optional[dict]:
        """The post's fields; None for a document with no text. Raises :class:`PageError`."""
        from ..readers import InputError, read_document

        try:
            doc = read_document(Path(self.path))
        except InputError as exc:
            raise PageError(str(exc).removeprefix(f"{self.path}: ")) from None
        if not doc.text.strip():
            return None
        return {
            "id": self.url or self.path,
            "account": self.site,
            "account_type": ACCOUNT_TYPE,
            "title": f"{ATTACHMENT}：{self.title}",
            "text": doc.text,
            "published_at": self.published,
            "url": self.url,
            "column": self.column,
            "unit": self.site,
        }


@dataclass(frozen=True)
class PageRow:
    """A page still to read, with what making its post needs: its site and the site's
    common lines (a few hundred at most, shipped once per block of rows)."""

    path: str
    encoding: Optional[str]
    site: str
    common: frozenset

    def fields(self) -> Optional[dict]:
        """See :func:`page_fields`; raises :class:`PageError`."""
        return page_fields(read_page(Path(self.path), self.encoding), self.path, self.site, self.common)
